/**
 * What a library user expects of the constructs (issue 13, item 5): no top-level outputs unless asked for,
 * so that two constructs of a kind share a stack; every input naming a role, user, group, managed policy
 * or boundary takes the construct that creates it; child resources keyed by name, never by position.
 */
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { OrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/organizations-organizational-unit';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { policyDocument } from '../../modules/core';
import { EcrDockerPushPolicy, EcsServiceDeploymentPolicy, TerraformRemoteStateS3Policy, TerragruntPolicy } from '../../modules/ci-policies';
import { DelegatedRoleCreationPolicy, EXAMPLE_CORP_PIPELINE } from '../../modules/delegated-role-creation';
import { DeployGroup, JetsDeployGroup } from '../../modules/deploy-group';
import { githubActionsOidcProvider, InstanceProfile, OidcProvider, Role } from '../../modules/iam-role';
import { BucketPolicy, exampleCorpBoundary, exampleCorpScp, PermissionsBoundary, ServiceControlPolicy, BOUNDARY_ACKNOWLEDGED } from '../../modules/policy-types';
import { StateAccessRole, StatePermissionsPolicy } from '../../modules/state-access';
import { GitHubTerraformRoles } from '../../modules/terraform-ci';
import { validationErrorOf } from '../support/errors';
import { synth, type Synthesized } from '../support/synth';

const ACCOUNT = '123456123456';
const EC2 = { services: ['ec2.amazonaws.com'] };
const STATE = { stateBucketArn: 'arn:aws:s3:::my-state-bucket', canApply: [{ key: 'terraform.tfstate' }] };
const READ = (bucket: string) => policyDocument({ statements: [{ actions: ['s3:GetObject'], resources: [`arn:aws:s3:::${bucket}/*`] }] });
const BUCKET_DOC = (bucket: string) => ({
  Version: '2012-10-17' as const,
  Statement: [{ Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
});

/** One of each exported construct in `scope`, every name taken from `n`, with `outputPrefix` as given. */
function everyConstruct(scope: Construct, n: string, outputPrefix?: string): void {
  // With a prefix, each construct's outputs go after `<prefix><kind>_`.
  const prefixFor = (kind: string) => (outputPrefix === undefined ? {} : { outputPrefix: `${outputPrefix}${kind}_` });
  const role = new Role(scope, `role_${n}`, { name: `role-${n}`, trustPolicy: EC2, ...prefixFor('role') });
  new StateAccessRole(scope, `state_role_${n}`, { name: `state-${n}`, trustPolicy: { accounts: [ACCOUNT] }, account: ACCOUNT, ...STATE, ...prefixFor('state_role') });
  new StatePermissionsPolicy(scope, `state_policy_${n}`, { ...STATE, name: `state-policy-${n}` });
  new InstanceProfile(scope, `profile_${n}`, { name: `profile-${n}`, role, ...prefixFor('profile') });
  new OidcProvider(scope, `oidc_${n}`, { ...githubActionsOidcProvider(), url: `https://token.actions.githubusercontent.com/${n}` });
  new DeployGroup(scope, `group_${n}`, { name: `group-${n}`, users: [`user-${n}`], ...prefixFor('group') });
  new JetsDeployGroup(scope, `jets_${n}`, { name: `jets-${n}`, prefix: `app-${n}`, ...prefixFor('jets') });
  new EcrDockerPushPolicy(scope, `ecr_${n}`, { name: `ecr-${n}`, repositoryArns: [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/${n}`], ...prefixFor('ecr') });
  new EcsServiceDeploymentPolicy(scope, `ecs_${n}`, {
    name: `ecs-${n}`,
    serviceArns: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/main/${n}`],
    taskDefinitionFamilies: [n],
    passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/${n}-task`],
    clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT}:cluster/main`,
    ...prefixFor('ecs'),
  });
  new TerraformRemoteStateS3Policy(scope, `tfstate_${n}`, { name: `tfstate-${n}`, ...STATE, ...prefixFor('tfstate') });
  new TerragruntPolicy(scope, `terragrunt_${n}`, { name: `terragrunt-${n}`, stateBucketArns: [`arn:aws:s3:::state-${n}`], ...prefixFor('terragrunt') });
  new DelegatedRoleCreationPolicy(scope, `delegated_${n}`, { ...EXAMPLE_CORP_PIPELINE, name: `delegated-${n}`, ...prefixFor('delegated') });
  new PermissionsBoundary(scope, `boundary_${n}`, { name: `boundary-${n}`, document: exampleCorpBoundary(), acknowledge: BOUNDARY_ACKNOWLEDGED, ...prefixFor('boundary') });
  new ServiceControlPolicy(scope, `scp_${n}`, { name: `scp-${n}`, document: exampleCorpScp(), ...prefixFor('scp') });
  new BucketPolicy(scope, `bucket_${n}`, { bucket: `bucket-${n}`, account: ACCOUNT, document: BUCKET_DOC(`bucket-${n}`) });
  new GitHubTerraformRoles(scope, `terraform_${n}`, {
    name: `infra-${n}`,
    account: ACCOUNT,
    repository: { owner: 'my-org', repository: `infra-${n}` },
    apply: { environments: ['production'] },
    state: { stateBucketArn: 'arn:aws:s3:::my-state-bucket' },
    configurations: [{ key: `${n}/terraform.tfstate` }],
    planPermissions: {},
    applyPermissions: {},
    ...prefixFor('terraform'),
  });
}

/** The stack `test` of a real app, synthesized by `app.synth()` (validations included), parsed. */
function appSynth(build: (stack: Construct) => void): Synthesized {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  build(stack);
  app.synth();
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}

/** The Terraform addresses of `out`, `type.logicalId`. */
function addresses(out: Synthesized): string[] {
  return Object.entries(out.resource).flatMap(([type, rs]) => Object.keys(rs).map((id) => `${type}.${id}`));
}

describe('outputs only when asked for', () => {
  it('two constructs of every kind synthesize in one stack (the real app.synth, validations included), and write no outputs', () => {
    const out = appSynth((s) => {
      everyConstruct(s, 'a');
      everyConstruct(s, 'b');
    });
    expect(out.output).toBeUndefined();
    // Each kind twice: nothing of the second replaced the first.
    expect(Object.keys(out.resource.aws_iam_role)).toHaveLength(2 * 4);
    expect(Object.keys(out.resource.aws_organizations_policy)).toHaveLength(2);
    expect(Object.keys(out.resource.aws_s3_bucket_policy)).toHaveLength(2);
  });

  it("outputPrefix '' gives the HCL modules' output names; another prefix goes before them", () => {
    const seed = synth((s) => new Role(s, 'role', { name: 'ci', trustPolicy: EC2, outputPrefix: '' }));
    expect(Object.keys(seed.output ?? {})).toEqual(['role_arn', 'role_name']);
    const prefixed = synth((s) => {
      new Role(s, 'ci', { name: 'ci', trustPolicy: EC2, outputPrefix: 'ci_' });
      new Role(s, 'web', { name: 'web', trustPolicy: EC2, outputPrefix: 'web_' });
    });
    expect(Object.keys(prefixed.output ?? {}).sort()).toEqual(['ci_role_arn', 'ci_role_name', 'web_role_arn', 'web_role_name']);
  });

  it('with prefixes of their own, two of every kind write all their outputs', () => {
    const out = synth((s) => {
      everyConstruct(s, 'a', 'a_');
      everyConstruct(s, 'b', 'b_');
    });
    const names = Object.keys(out.output ?? {});
    for (const n of ['a', 'b']) {
      for (const name of [
        'role_role_arn',
        'state_role_role_name',
        'profile_instance_profile_arn',
        'group_user_names',
        'jets_group_name',
        'ecr_json',
        'ecs_arn',
        'tfstate_name',
        'terragrunt_json',
        'delegated_arn',
        'boundary_boundary_arn',
        'scp_scp_id',
        'terraform_plan_role_arn',
        'terraform_apply_role_name',
      ]) {
        expect(names).toContain(`${n}_${name}`);
      }
    }
  });

  it('the output properties are undefined without a prefix, and the outputs with one', () => {
    let without!: Role;
    let withPrefix!: Role;
    synth((s) => {
      without = new Role(s, 'a', { name: 'a', trustPolicy: EC2 });
      withPrefix = new Role(s, 'b', { name: 'b', trustPolicy: EC2, outputPrefix: '' });
    });
    expect(without.roleArnOutput).toBeUndefined();
    expect(withPrefix.roleArnOutput?.friendlyUniqueId).toBe('role_arn');
  });
});

describe('inputs take the construct that creates what they name', () => {
  it('roles, users, groups and policies as constructs become references Terraform follows', () => {
    const out = synth((s) => {
      const role = new Role(s, 'role', { name: 'ci', trustPolicy: EC2 });
      const stateRole = new StateAccessRole(s, 'state_role', { name: 'state', trustPolicy: { accounts: [ACCOUNT] }, account: ACCOUNT, ...STATE });
      const providerRole = new IamRole(s, 'raw_role', { name: 'raw', assumeRolePolicy: '{}' });
      const user = new IamUser(s, 'raw_user', { name: 'deployer' });
      const group = new DeployGroup(s, 'group', { name: 'deployers' });
      const rawGroup = new IamGroup(s, 'raw_group', { name: 'readers' });
      const ecr = new EcrDockerPushPolicy(s, 'ecr', {
        repositoryArns: [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/web`],
        attachToRoles: [role, stateRole, providerRole],
        attachToUsers: [user],
        attachToGroups: [group, rawGroup],
      });
      const boundary = new PermissionsBoundary(s, 'boundary', { name: 'Boundary', document: exampleCorpBoundary(), acknowledge: BOUNDARY_ACKNOWLEDGED });
      const rawPolicy = new IamPolicy(s, 'raw_policy', { name: 'extra', policy: '{}' });
      new Role(s, 'bounded', { name: 'bounded', trustPolicy: EC2, permissionsBoundary: boundary, managedPolicyArns: [ecr, rawPolicy] });
      new Role(s, 'bounded_raw', { name: 'bounded-raw', trustPolicy: EC2, permissionsBoundary: rawPolicy });
      new StatePermissionsPolicy(s, 'inline', { ...STATE, role });
      new InstanceProfile(s, 'profile', { name: 'state', role: stateRole });
      new DeployGroup(s, 'group_with_policies', { name: 'ops', managedPolicyArns: [ecr, rawPolicy] });
    });
    const attachments = Object.entries(out.resource.aws_iam_role_policy_attachment);
    // Keyed by the roles' names (ci, raw, state), each attachment on a reference to its role.
    expect(attachments.filter(([id]) => id.startsWith('ecr_role-')).map(([id, a]) => [id.replace(/_[0-9A-F]{8}$/, ''), a.role])).toEqual([
      ['ecr_role-ci', expect.stringMatching(/^\$\{aws_iam_role\.role_[0-9A-F]{8}\.name\}$/)],
      ['ecr_role-raw', '${aws_iam_role.raw_role.name}'],
      ['ecr_role-state', expect.stringMatching(/^\$\{aws_iam_role\.state_role_[0-9A-F]{8}\.name\}$/)],
    ]);
    expect(Object.values(out.resource.aws_iam_user_policy_attachment).map((a) => a.user)).toEqual(['${aws_iam_user.raw_user.name}']);
    const ecrArn = expect.stringMatching(/^\$\{aws_iam_policy\.ecr_policy_[0-9A-F]{8}\.arn\}$/);
    expect(Object.values(out.resource.aws_iam_group_policy_attachment).map((a) => [a.group, a.policy_arn])).toEqual([
      [expect.stringMatching(/^\$\{aws_iam_group\.group_[0-9A-F]{8}\.name\}$/), ecrArn],
      ['${aws_iam_group.raw_group.name}', ecrArn],
      [expect.stringMatching(/^\$\{aws_iam_group\.group_with_policies_group_[0-9A-F]{8}\.name\}$/), ecrArn],
      [expect.stringMatching(/^\$\{aws_iam_group\.group_with_policies_group_[0-9A-F]{8}\.name\}$/), '${aws_iam_policy.raw_policy.arn}'],
    ]);
    const roles = out.resource.aws_iam_role;
    const bounded = Object.entries(roles).find(([, r]) => r.name === 'bounded')![1];
    expect(bounded.permissions_boundary).toMatch(/^\$\{aws_iam_policy\.boundary_policy_[0-9A-F]+\.arn\}$/);
    expect(Object.values(roles).find((r) => r.name === 'bounded-raw')!.permissions_boundary).toBe('${aws_iam_policy.raw_policy.arn}');
    expect(attachments.filter(([id]) => id.startsWith('bounded_attachment'))).toHaveLength(2);
    const inline = Object.entries(out.resource.aws_iam_role_policy).find(([id]) => id.startsWith('inline_policy_'))![1];
    expect(inline.role).toMatch(/^\$\{aws_iam_role\.role_[0-9A-F]{8}\.name\}$/);
    expect(Object.values(out.resource.aws_iam_instance_profile)[0].role).toMatch(/^\$\{aws_iam_role\.state_role_[0-9A-F]{8}\.name\}$/);
  });

  it('a CiPolicy split into parts attaches every part', () => {
    const out = synth((s) => {
      const big = new TerraformRemoteStateS3Policy(s, 'state', {
        stateBucketArn: 'arn:aws:s3:::my-state-bucket',
        canApply: Array.from({ length: 70 }, (_, i) => ({ key: `team-${i}/app/terraform.tfstate`, workspaces: [] })),
        maxPolicies: 3,
      });
      expect(big.policyArns.length).toBeGreaterThan(1);
      new Role(s, 'role', { name: 'ci', trustPolicy: EC2, managedPolicyArns: [big] });
    });
    const arns = Object.values(out.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn);
    expect(arns.length).toBe(Object.keys(out.resource.aws_iam_policy).length);
  });

  it('a value that is none of them fails naming the field and what it takes', () => {
    const e = validationErrorOf(() =>
      synth((s) => {
        const user = new IamUser(s, 'user', { name: 'u' });
        new EcrDockerPushPolicy(s, 'ecr', { repositoryArns: [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/web`], attachToRoles: [user as never] });
      }),
    );
    expect(e.message).toMatch(
      /^test\/ecr: 1 problem\n- attachToRoles\[0\]: .*is not a role name, nor a Role, a StateAccessRole or an aws_iam_role \(IamRole\)\. Fix: pass the role's name, or the construct that creates it/,
    );
    const none = validationErrorOf(() =>
      synth((s) => {
        const unmade = new EcrDockerPushPolicy(s, 'ecr', { repositoryArns: [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/web`], createResources: false });
        new Role(s, 'role', { name: 'ci', trustPolicy: EC2, managedPolicyArns: [unmade] });
      }),
    );
    expect(none.message).toMatch(/managedPolicyArns\[0\]: .*creates no managed policy \(createResources: false\)/);
  });
});

describe('StateAccessRole has what Role has', () => {
  it('tags, boundary, session length, path and managed policies, on the role it is', () => {
    let role!: StateAccessRole;
    const out = synth((s) => {
      const boundary = new PermissionsBoundary(s, 'boundary', { name: 'Boundary', document: exampleCorpBoundary(), acknowledge: BOUNDARY_ACKNOWLEDGED });
      role = new StateAccessRole(s, 'access_role', {
        name: 'state',
        path: '/terraform/',
        trustPolicy: { accounts: [ACCOUNT] },
        account: ACCOUNT,
        ...STATE,
        tags: { team: 'platform' },
        permissionsBoundary: boundary,
        maxSessionDuration: 7200,
        managedPolicyArns: [`arn:aws:iam::${ACCOUNT}:policy/extra`],
        awsManagedPolicies: [{ name: 'ReadOnlyAccess', path: '/' }],
      });
    });
    expect(role).toBeInstanceOf(Role);
    // The address it had before it was built on Role.
    expect(out.resource.aws_iam_role.access_role_11A1DE22).toMatchObject({
      name: 'state',
      path: '/terraform/',
      tags: { team: 'platform' },
      max_session_duration: 7200,
      permissions_boundary: expect.stringMatching(/^\$\{aws_iam_policy\.boundary_policy_[0-9A-F]+\.arn\}$/),
    });
    expect(Object.keys(out.resource.aws_iam_role_policy)).toEqual(['access_role_permissions_policy_43B4B964']);
    expect(
      Object.values(out.resource.aws_iam_role_policy_attachment)
        .map((a) => a.policy_arn)
        .sort(),
    ).toEqual([`arn:aws:iam::${ACCOUNT}:policy/extra`, 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
  });

  it("fails on the role's fields as Role does, naming its own path", () => {
    const e = validationErrorOf(() => synth((s) => new StateAccessRole(s, 'access_role', { name: 'state', trustPolicy: EC2, ...STATE, maxSessionDuration: 60 })));
    expect(e.message).toMatch(/^test\/access_role: 1 problem\n- maxSessionDuration: 60: IAM takes a whole number of seconds from 3600/);
  });
});

describe('child resources keyed by name, never by position', () => {
  /** Builds with each list as given, and with its first entry removed and the rest reversed. */
  function compare(build: (stack: Construct, shift: <T>(list: readonly T[]) => readonly T[]) => void): { before: string[]; after: string[] } {
    const before = addresses(synth((s) => build(s, (list) => list)));
    const after = addresses(synth((s) => build(s, (list) => [...list.slice(1)].reverse())));
    return { before, after };
  }

  it('removing the first entry and reordering the rest changes no other resource address', () => {
    const { before, after } = compare((s, shift) => {
      const policies = ['a', 'b', 'c'].map((n) => new IamPolicy(s, `policy_${n}`, { name: `p-${n}`, policy: '{}' }));
      const users = ['x', 'y', 'z'].map((n) => new IamUser(s, `user_${n}`, { name: n }));
      const ous = ['1', '2', '3'].map((n) => new OrganizationsOrganizationalUnit(s, `ou_${n}`, { name: n, parentId: 'r-ab12' }));
      new Role(s, 'role', {
        name: 'ci',
        trustPolicy: EC2,
        inlinePolicies: shift(['one', 'two', 'three'].map((name) => ({ name, document: READ(name) }))),
        managedPolicyArns: shift([...policies, `arn:aws:iam::${ACCOUNT}:policy/literal`]),
        awsManagedPolicies: shift(['arn:aws:iam::aws:policy/ReadOnlyAccess', { name: 'AWS_ConfigRole', path: '/service-role/' }]),
      });
      new EcrDockerPushPolicy(s, 'ecr', {
        repositoryArns: [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/web`],
        // A construct, a reference to a user's name, a name written out.
        attachToUsers: shift([users[0], users[1].name, 'w']),
        attachToRoles: shift(['r1', 'r2', 'r3']),
        attachToGroups: shift(['g1', 'g2']),
      });
      new DeployGroup(s, 'group', { name: 'ops', managedPolicyArns: shift([...policies, 'arn:aws:iam::aws:policy/ReadOnlyAccess']) });
      new ServiceControlPolicy(s, 'scp', { name: 'scp', document: exampleCorpScp(), targets: shift([...ous.map((o) => o.id), '111111111111']) });
    });
    const removed = before.filter((a) => !after.includes(a));
    const added = after.filter((a) => !before.includes(a));
    expect(added).toEqual([]);
    // Only the first entry of each list went: one inline policy, one attachment each, one SCP target.
    expect(removed.map((a) => a.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual(
      [
        'aws_iam_role_policy.role_inline_one',
        'aws_iam_role_policy_attachment.role_attachment_policy_p-a',
        'aws_iam_role_policy_attachment.role_attachment_policy_ReadOnlyAccess',
        'aws_iam_user_policy_attachment.ecr_user-x',
        'aws_iam_role_policy_attachment.ecr_role-r1',
        'aws_iam_group_policy_attachment.ecr_group-g1',
        'aws_iam_group_policy_attachment.group_attachment_policy_p-a',
        'aws_organizations_policy_attachment.scp_target-aws_organizations_organizational_unitou_1',
      ].sort(),
    );
  });

  it('a reference built from other values, which names no one resource, is refused rather than keyed by position', () => {
    const e = validationErrorOf(() =>
      synth((s) => {
        const user = new IamUser(s, 'user', { name: 'x' });
        new EcrDockerPushPolicy(s, 'ecr', { repositoryArns: [`arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/web`], attachToUsers: [`${user.name}-suffix`] });
      }),
    );
    expect(e.message).toMatch(
      /attachToUsers\[0\]: .*is a reference built from other values .* keyed only by position\. Fix: pass the user's name written out, the construct that creates it, or its name attribute/,
    );
  });
});
