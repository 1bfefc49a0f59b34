/**
 * What a user calling the installed package from plain JavaScript (or TypeScript with `as any`, or values
 * built at run time) sees for the mistakes a first user made: each one a `PolicyValidationError` naming the
 * construct path, the field, the value and the fix, with the `INPUT_TYPE` rule id, never a `TypeError`; and
 * fixes that name the props of the construct or function being called.
 */
import type { Construct } from 'constructs';
import { type PolicyDocument, policyDocument, PolicyValidationError } from '../../modules/core';
import {
  EcrDockerPushPolicy,
  ecrDockerPushPolicy,
  EcsServiceDeploymentPolicy,
  ecsServiceDeploymentPolicy,
  terraformRemoteStateS3Policy,
  TerragruntPolicy,
  terragruntPolicy,
} from '../../modules/ci-policies';
import { delegatedRoleCreationPolicy, EXAMPLE_CORP_PIPELINE } from '../../modules/delegated-role-creation';
import { jetsDeployPolicy } from '../../modules/deploy-group';
import { statePermissionsPolicy } from '../../modules/state-access';
import { githubTerraformTrusts } from '../../modules/terraform-ci';
import { Role, trustPolicy } from '../../modules/iam-role';
import { BucketPolicy, bucketPolicy, exampleCorpBoundary, PermissionsBoundary, serviceControlPolicy, validateTargets } from '../../modules/policy-types';
import { StateAccessRole, StatePermissionsPolicy } from '../../modules/state-access';
import { validationErrorOf } from '../support/errors';
import { synth } from '../support/synth';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const ECR = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/web`;
const EC2 = { services: ['ec2.amazonaws.com'] };
const BOUNDARY: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };

/** The message of the error building `build` in a stack `test` throws. */
const messageOf = (build: (s: Construct) => unknown) => validationErrorOf(() => synth((s) => void build(s))).message;
const role = (s: Construct) => new Role(s, 'ci', { name: 'ci', account: ACCOUNT, trustPolicy: EC2 });

describe('a value that is not a list where a list goes: INPUT_TYPE, saying to put it in one', () => {
  it('a construct, not in an array, for attachToRoles: names the construct by class and path', () => {
    expect(messageOf((s) => new EcrDockerPushPolicy(s, 'ecr', { repositoryArns: [ECR], attachToRoles: role(s) as never }))).toBe(
      'test/ecr: 1 problem\n- attachToRoles: (Role (test/ci)): is a Role (test/ci), not a list: this takes a list, even of one. Fix: put it in a list: [Role (test/ci)] [INPUT_TYPE]',
    );
  });

  it.each([
    ['attachToRoles', 'ci', 'is a string, not a list: this takes a list, even of one. Fix: put it in a list: ["ci"]'],
    ['attachToUsers', 5, 'is a number, not a list: this takes a list, even of one. Fix: put it in a list: [5]'],
    ['attachToGroups', { name: 'g' }, 'is an object, not a list: this takes a list, even of one. Fix: put it in a list: [{"name":"g"}]'],
  ])('%s: %j', (field, value, says) => {
    expect(messageOf((s) => new EcrDockerPushPolicy(s, 'ecr', { repositoryArns: [ECR], [field]: value }))).toBe(`test/ecr: 1 problem\n- ${field}: ${JSON.stringify(value)}: ${says} [INPUT_TYPE]`);
  });

  it.each([
    ['EcrDockerPushPolicy repositoryArns', (s: Construct) => new EcrDockerPushPolicy(s, 'p', { repositoryArns: ECR as never }), 'repositoryArns', ECR],
    [
      'EcsServiceDeploymentPolicy serviceArns',
      (s: Construct) =>
        new EcsServiceDeploymentPolicy(s, 'p', {
          serviceArns: `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/main/web` as never,
          taskDefinitionFamilies: ['web'],
          passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/t`],
        }),
      'serviceArns',
      `arn:aws:ecs:eu-west-1:${ACCOUNT}:service/main/web`,
    ],
    ['TerragruntPolicy stateBucketArns', (s: Construct) => new TerragruntPolicy(s, 'p', { stateBucketArns: 'arn:aws:s3:::state' as never }), 'stateBucketArns', 'arn:aws:s3:::state'],
  ])('%s: a string, not "the list is empty"', (_name, build, field, value) => {
    const message = messageOf(build);
    expect(message).toBe(`test/p: 1 problem\n- ${field}: "${value}": is a string, not a list of strings: this takes a list, even of one. Fix: put it in a list: ["${value}"] [INPUT_TYPE]`);
    expect(message).not.toContain('empty');
  });

  it('the pure functions say the same, under their own names', () => {
    expect(validationErrorOf(() => ecrDockerPushPolicy({ repositoryArns: ECR as never })).message).toMatch(/^ecrDockerPushPolicy: 1 problem\n- repositoryArns: .*put it in a list.* \[INPUT_TYPE\]$/);
    expect(validationErrorOf(() => terragruntPolicy({ stateBucketArns: ['arn:aws:s3:::state'], lockTableArns: 'x' as never })).findings).toEqual([
      expect.objectContaining({ field: 'lockTableArns', code: 'INPUT_TYPE' }),
    ]);
  });

  it('a CiPolicy, not in an array, for managedPolicyArns: says what it is and that a list goes there', () => {
    const message = messageOf((s) => {
      const ecr = new EcrDockerPushPolicy(s, 'ecr', { repositoryArns: [ECR] });
      return new Role(s, 'r', { name: 'r', account: ACCOUNT, trustPolicy: EC2, managedPolicyArns: ecr as never });
    });
    expect(message).toBe(
      'test/r: 1 problem\n- managedPolicyArns: (EcrDockerPushPolicy (test/ecr)): is an EcrDockerPushPolicy (test/ecr), not a list: this takes a list, even of one. Fix: put it in a list: [EcrDockerPushPolicy (test/ecr)] [INPUT_TYPE]',
    );
    expect(message).not.toContain('(object)');
  });
});

describe('wrong primitives and objects: INPUT_TYPE', () => {
  it("createResources: 'no' is refused, not read as true", () => {
    expect(messageOf((s) => new EcrDockerPushPolicy(s, 'ecr', { repositoryArns: [ECR], createResources: 'no' as never }))).toBe(
      'test/ecr: 1 problem\n- createResources: "no": is a string, not true or false. Fix: give true or false [INPUT_TYPE]',
    );
  });

  it('role: 5 on StatePermissionsPolicy', () => {
    expect(messageOf((s) => new StatePermissionsPolicy(s, 'p', { stateBucketArn: 'arn:aws:s3:::state', canApply: [{ key: 'k' }], role: 5 as never }))).toMatch(
      /^test\/p: 1 problem\n- role: 5: is not a role name, nor a Role, .*\. Fix: pass the role's name, or the construct that creates it \[INPUT_TYPE\]$/,
    );
  });

  it('permissionsBoundary: { name } on a Role', () => {
    expect(messageOf((s) => new Role(s, 'r', { name: 'r', account: ACCOUNT, trustPolicy: EC2, permissionsBoundary: { name: 'b' } as never }))).toMatch(
      /^test\/r: 1 problem\n- permissionsBoundary: \{"name":"b"\}: is not a managed policy ARN, .* \[INPUT_TYPE\]$/,
    );
  });
});

describe('a policy document given as text: JSON text is taken, text that is not JSON is an INPUT_TYPE finding', () => {
  it('PermissionsBoundary: "not json"', () => {
    expect(messageOf((s) => new PermissionsBoundary(s, 'b', { name: 'b', document: 'not json' as never }))).toMatch(
      /^test\/b: 1 problem\n- document: "not json": is text that is not JSON \(.+\)\. Fix: give the policy document \(.*\), the props that render one \(.*\), or the document's JSON text \[INPUT_TYPE\]$/,
    );
  });

  it('PermissionsBoundary, BucketPolicy and serviceControlPolicy: JSON text gives the same policy as the document', () => {
    let fromText: PermissionsBoundary | undefined;
    let fromDocument: PermissionsBoundary | undefined;
    synth((s) => {
      fromText = new PermissionsBoundary(s, 'text', { name: 'text', document: JSON.stringify(BOUNDARY) });
      fromDocument = new PermissionsBoundary(s, 'document', { name: 'document', document: BOUNDARY });
    });
    expect(fromText!.json).toBe(fromDocument!.json);
    const site: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }] };
    expect(bucketPolicy(JSON.stringify(site), 'site', { context: 'bucketPolicy', account: ACCOUNT })).toEqual(bucketPolicy(site, 'site', { context: 'bucketPolicy', account: ACCOUNT }));
    const scp: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }] };
    expect(serviceControlPolicy(JSON.stringify(scp))).toEqual(serviceControlPolicy(scp));
    expect(validationErrorOf(() => serviceControlPolicy('{')).findings).toEqual([expect.objectContaining({ field: 'input', code: 'INPUT_TYPE' })]);
  });
});

describe('a field the construct does not take: INPUT_TYPE, suggesting the closest known field', () => {
  it('accountId on a Role: "did you mean account?", not a CROSS_ACCOUNT error it would have caused', () => {
    const message = messageOf((s) => new Role(s, 'r', { name: 'r', accountId: ACCOUNT, trustPolicy: { accounts: [ACCOUNT] } } as never));
    expect(message).toMatch(
      /^test\/r: 1 problem\n- accountId: "111111111111": is not an input here, and would be ignored\. Fix: did you mean account\? The inputs here are name, path, trustPolicy, .* \[INPUT_TYPE\]$/,
    );
    expect(message).not.toContain('CROSS_ACCOUNT');
  });

  it('a field far from any known one: no suggestion', () => {
    expect(messageOf((s) => new Role(s, 'r', { name: 'r', account: ACCOUNT, trustPolicy: EC2, zebra: 1 } as never))).toMatch(
      /- zebra: 1: is not an input here, and would be ignored\. Fix: The inputs here are name,/,
    );
  });

  it('an unknown field set to undefined (a spread of optional fields) is not refused', () => {
    expect(() => synth((s) => new Role(s, 'r', { name: 'r', account: ACCOUNT, trustPolicy: EC2, ...{ unused: undefined } } as never))).not.toThrow();
  });

  it('StateAccessRole: a field of neither the role nor the permissions is refused under its own path', () => {
    expect(
      messageOf((s) => new StateAccessRole(s, 'state', { name: 'state', account: ACCOUNT, trustPolicy: EC2, stateBucketArn: 'arn:aws:s3:::state', canApply: [{ key: 'k' }], lockTable: 'x' } as never)),
    ).toMatch(/^test\/state: 1 problem\n- lockTable: "x": is not an input here, and would be ignored\. Fix: did you mean lockTableArn\?/);
  });

  it('a state grant with a misspelt field (workspace for workspaces) is refused, not widened to every workspace', () => {
    expect(messageOf((s) => new StatePermissionsPolicy(s, 'p', { stateBucketArn: 'arn:aws:s3:::state', canApply: [{ key: 'k', workspace: ['dev'] } as never] }))).toMatch(
      /- canApply\[0\]\.workspace: \["dev"\]: is not an input here, and would be ignored\. Fix: did you mean workspaces\?/,
    );
  });
});

describe('CROSS_ACCOUNT: one fix, naming the props of what is being called', () => {
  const once = (message: string, text: string) => expect(message.split(text).length - 1).toBe(1);

  it.each([
    ['Role', (s: Construct, props: Record<string, unknown>) => new Role(s, 'r', { name: 'r', trustPolicy: { accounts: [OTHER] }, ...props })],
    [
      'StateAccessRole',
      (s: Construct, props: Record<string, unknown>) =>
        new StateAccessRole(s, 'r', { name: 'r', trustPolicy: { accounts: [OTHER] }, stateBucketArn: 'arn:aws:s3:::state', canApply: [{ key: 'k' }], ...props }),
    ],
  ])('%s: account and trustPolicyAcknowledge, once each', (_name, build) => {
    const known = messageOf((s) => build(s, { account: ACCOUNT }));
    expect(known).toContain(
      "is a principal of account 222222222222, not of 111111111111, the account this policy is in. Fix: name only principals of the role's own account; or, if this one is meant to get in, accept it with a reason: trustPolicyAcknowledge: [{ rule: 'CROSS_ACCOUNT', reason: '…' }] [CROSS_ACCOUNT]",
    );
    once(known, 'accept it with a reason');
    const unknown = messageOf((s) => build(s, {}));
    expect(unknown).toContain(
      "Fix: give account, the 12-digit ID of the account the role is in; or, if another account is meant to get in, accept it with a reason: trustPolicyAcknowledge: [{ rule: 'CROSS_ACCOUNT', reason: '…' }] [CROSS_ACCOUNT]",
    );
    once(unknown, 'accept it with a reason');
    expect(unknown).not.toMatch(/\backnowledge \{/);
  });

  it('a Role given a trust policy document: the same fix', () => {
    const document: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }] };
    expect(messageOf((s) => new Role(s, 'r', { name: 'r', account: ACCOUNT, trustPolicy: document }))).toContain(
      "accept it with a reason: trustPolicyAcknowledge: [{ rule: 'CROSS_ACCOUNT', reason: '…' }] [CROSS_ACCOUNT]",
    );
  });

  it('trustPolicy(): account and acknowledge', () => {
    const message = validationErrorOf(() => trustPolicy({ accounts: [OTHER] })).message;
    expect(message).toContain(
      "Fix: give account, the 12-digit ID of the account the role is in; or, if another account is meant to get in, accept it with a reason: acknowledge: [{ rule: 'CROSS_ACCOUNT', reason: '…' }] [CROSS_ACCOUNT]",
    );
    once(message, 'accept it with a reason');
  });

  it('BucketPolicy: its own account and acknowledge', () => {
    const document: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: OTHER }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' }] };
    const message = messageOf((s) => new BucketPolicy(s, 'bp', { bucket: 'site', account: ACCOUNT, document }));
    expect(message).toContain(
      "Fix: name only principals of the bucket's own account; or, if this one is meant to get in, accept it with a reason: acknowledge: [{ rule: 'CROSS_ACCOUNT', reason: '…' }] [CROSS_ACCOUNT]",
    );
    once(message, 'accept it with a reason');
  });

  it("another acknowledgeable rule on a Role's trust names trustPolicyAcknowledge too", () => {
    expect(messageOf((s) => new Role(s, 'r', { name: 'r', account: ACCOUNT, trustPolicy: { services: ['lambda.amazonaws.com'] } }))).toContain(
      "(or accept it by adding 'SERVICE_PRINCIPAL_UNSCOPED' to trustPolicyAcknowledge)",
    );
  });
});

describe("a CI preset with no account: on a construct, the fix is the construct's own account", () => {
  const github = { githubActions: [{ owner: 'o', repository: 'r', branches: ['main'] }] };

  it.each([
    ['Role', (s: Construct) => new Role(s, 'r', { name: 'r', trustPolicy: github })],
    ['StateAccessRole', (s: Construct) => new StateAccessRole(s, 'r', { name: 'r', trustPolicy: github, stateBucketArn: 'arn:aws:s3:::state', canApply: [{ key: 'k' }] })],
  ])('%s', (name, build) => {
    expect(messageOf(build)).toBe(
      `test/r: 1 problem\n- trustPolicy.githubActions[0].providerArn: undefined: the OIDC provider is in the role's account, and neither the account nor the provider ARN is given. Fix: set account on the ${name}: the 12-digit ID of the account the role and its OIDC provider are in; or give providerArn`,
    );
  });

  it("trustPolicy() keeps its own: the trust policy's account", () => {
    expect(validationErrorOf(() => trustPolicy(github)).message).toContain("Fix: give the trust policy's account (the role's account ID), or providerArn");
  });
});

describe('every list-typed prop of the pure functions: a string or an object where the list goes is INPUT_TYPE on that field', () => {
  const ecs = {
    serviceArns: [`arn:aws:ecs:eu-west-1:${ACCOUNT}:service/main/web`],
    taskDefinitionFamilies: ['web'],
    passRoleArns: [`arn:aws:iam::${ACCOUNT}:role/t`],
  };
  const state = { stateBucketArn: 'arn:aws:s3:::state', canApply: [{ key: 'k', workspaces: ['dev'] }], canPlan: [{ key: 'j' }], canRead: [{ key: 'r' }] };
  const trusts = { repository: { owner: 'o', repository: 'r' }, apply: { branches: ['main'], environments: ['prod'] }, plan: { branches: ['main'], environments: ['dev'] } };
  const PURE: [string, Record<string, unknown>, (props: never) => unknown, string[]][] = [
    ['ecrDockerPushPolicy', { repositoryArns: [ECR] }, (p) => ecrDockerPushPolicy(p), ['repositoryArns']],
    ['ecsServiceDeploymentPolicy', ecs, (p) => ecsServiceDeploymentPolicy(p), ['serviceArns', 'taskDefinitionFamilies', 'passRoleArns']],
    [
      'terragruntPolicy',
      { stateBucketArns: ['arn:aws:s3:::state'], lockTableArns: [`arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/l`] },
      (p) => terragruntPolicy(p),
      ['stateBucketArns', 'lockTableArns'],
    ],
    ['statePermissionsPolicy', state, (p) => statePermissionsPolicy(p), ['canApply', 'canPlan', 'canRead', 'canApply[0].workspaces']],
    ['terraformRemoteStateS3Policy', state, (p) => terraformRemoteStateS3Policy(p), ['canApply', 'canPlan', 'canRead']],
    ['delegatedRoleCreationPolicy', { ...EXAMPLE_CORP_PIPELINE }, (p) => delegatedRoleCreationPolicy(p), ['passedToServices', 'serviceLinkedRoleServices']],
    ['jetsDeployPolicy', { prefix: 'app', passRoleToServices: ['lambda.amazonaws.com'] }, (p) => jetsDeployPolicy(p), ['passRoleToServices']],
    ['exampleCorpBoundary', { actions: ['s3:GetObject'] }, (p) => exampleCorpBoundary(p), ['actions']],
    ['trustPolicy', { account: ACCOUNT, services: ['ec2.amazonaws.com'], accounts: [ACCOUNT], roles: [`arn:aws:iam::${ACCOUNT}:role/r`] }, (p) => trustPolicy(p), ['services', 'accounts', 'roles']],
    [
      'githubTerraformTrusts',
      trusts,
      (p) => {
        const { findings } = githubTerraformTrusts(p);
        if (findings.length > 0) throw new PolicyValidationError('githubTerraformTrusts', findings);
      },
      ['apply.branches', 'apply.environments', 'plan.branches', 'plan.environments'],
    ],
    ['policyDocument', { statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }] }, (p) => policyDocument(p), ['statements', 'statements[0].actions', 'statements[0].resources']],
  ];

  /** A copy of `props` with the value at the dotted `path` (`canApply[0].workspaces`) replaced. */
  const replacedAt = (props: Record<string, unknown>, path: string, value: unknown) => {
    const copy = JSON.parse(JSON.stringify(props)) as Record<string, unknown>;
    const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
    let at = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
    at[keys[keys.length - 1]] = value;
    return copy;
  };

  it.each(PURE)('%s', (_name, valid, fn, lists) => {
    expect(() => fn(valid as never)).not.toThrow();
    for (const field of lists) {
      for (const value of ['x', { x: 1 }, 5]) {
        const e = validationErrorOf(() => fn(replacedAt(valid, field, value) as never));
        expect({ field, value, codes: e.findings.filter((f) => f.field === field).map((f) => f.code) }).toEqual({ field, value, codes: ['INPUT_TYPE'] });
      }
    }
  });

  it('validateTargets: a string for the list of ids', () => {
    expect(validationErrorOf(() => validateTargets('scp', 'targets', 'r-ab12' as never)).findings).toEqual([expect.objectContaining({ field: 'targets', code: 'INPUT_TYPE' })]);
  });
});
