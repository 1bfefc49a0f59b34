/**
 * Two resources writing one IAM name where IAM keeps one fail at synth (`IAM_NAME_COLLISION`), naming both
 * constructs, through the path users run: `app.synth()` (and `Testing.synth(stack, true)`, which runs the
 * stack's validations). Raw provider resources count; accounts are told apart by their providers.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { IamGroup } from '@cdktf/provider-aws/lib/iam-group';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { iamNameCollisions, RULES } from '../../../modules/core';
import { EcrDockerPushPolicy } from '../../../modules/ci-policies';
import { DeployGroup } from '../../../modules/deploy-group';
import { githubActionsOidcProvider, InstanceProfile, OidcProvider, Role } from '../../../modules/iam-role';
import { BucketPolicy, exampleCorpScp, ServiceControlPolicy } from '../../../modules/policy-types';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { StatePermissionsPolicy } from '../../../modules/state-access';

const EC2 = { services: ['ec2.amazonaws.com'] };
const STATE = { stateBucketArn: 'arn:aws:s3:::my-state-bucket', canApply: [{ key: 'terraform.tfstate' }] };
const BUCKET_DOC = {
  Version: '2012-10-17' as const,
  Statement: [{ Effect: 'Allow' as const, Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }],
};

function newApp(): App {
  return new App({ outdir: mkdtempSync(join(tmpdir(), 'name-collisions-')), skipValidation: false });
}

function stackOf(app: App, name: string, provider: ConstructorParameters<typeof AwsProvider>[2] = { region: 'eu-west-1' }): TerraformStack {
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'aws', provider);
  return stack;
}

/** The message `app.synth()` fails with, or undefined when it synthesizes. */
function synthError(app: App): string | undefined {
  try {
    app.synth();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

describe('IAM_NAME_COLLISION', () => {
  it('is a rule, never acknowledged', () => {
    expect(RULES.IAM_NAME_COLLISION.accepted).toBe('none');
  });

  it('two roles of one name (whatever the case) in one stack fail app.synth, naming both constructs, the name and the fix', () => {
    const app = newApp();
    const stack = stackOf(app, 'test');
    new Role(stack, 'first', { name: 'ci', trustPolicy: EC2 });
    new Role(stack, 'second', { name: 'CI', trustPolicy: EC2 });
    const message = synthError(app);
    expect(message).toContain(
      'test/second/role: 1 problem\n- (aws_iam_role): "CI": test/first/role (aws_iam_role) writes it too as "ci" through the same AWS provider (default), which names no account: ' +
        'IAM role names are unique in an account, whatever the case: the second CreateRole fails with EntityAlreadyExists. Fix: give one of the roles another name [IAM_NAME_COLLISION]',
    );
  });

  it("Testing.synth(stack, true) runs the stack's check too", () => {
    const stack = stackOf(Testing.app(), 'test');
    new Role(stack, 'first', { name: 'ci', trustPolicy: EC2 });
    new IamRole(stack, 'raw', { name: 'ci', assumeRolePolicy: '{}' });
    expect(() => Testing.synth(stack, true)).toThrow(/test\/raw: 1 problem\n- \(aws_iam_role\): "ci": test\/first\/role \(aws_iam_role\) writes it too/);
  });

  it("a caller's own resources count, of every kind checked", () => {
    const cases: [string, (stack: TerraformStack) => void, RegExp][] = [
      [
        'user',
        (s) => {
          new DeployGroup(s, 'group', { name: 'g', users: ['tung'] });
          new IamUser(s, 'raw', { name: 'Tung' });
        },
        /\(aws_iam_user\): "Tung": test\/group\/user_tung/,
      ],
      [
        'group',
        (s) => {
          new DeployGroup(s, 'group', { name: 'ops' });
          new IamGroup(s, 'raw', { name: 'ops' });
        },
        /\(aws_iam_group\): "ops": test\/group\/group/,
      ],
      [
        'managed policy',
        (s) => {
          new StatePermissionsPolicy(s, 'state', STATE);
          new IamPolicy(s, 'raw', { name: 'terraform-state-access', path: '/other/', policy: '{}' });
        },
        /\(aws_iam_policy\): "terraform-state-access": test\/state\/policy .*whatever the case and the path/,
      ],
      [
        'instance profile',
        (s) => {
          new InstanceProfile(s, 'a', { name: 'web', role: 'r' });
          new InstanceProfile(s, 'b', { name: 'web', role: 'r2' });
        },
        /test\/b\/profile: 1 problem\n- \(aws_iam_instance_profile\): "web": test\/a\/profile/,
      ],
      [
        'inline policy on one role, by reference and by name',
        (s) => {
          const role = new Role(s, 'role', {
            name: 'ci',
            trustPolicy: EC2,
            inlinePolicies: [{ name: 'terraform-state-access', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }] } }],
          });
          new StatePermissionsPolicy(s, 'by_construct', { ...STATE, role });
          new IamRolePolicy(s, 'by_name', { name: 'terraform-state-access', role: 'CI', policy: '{}' });
        },
        /test\/by_construct\/policy: 1 problem\n- \(aws_iam_role_policy\): "role:ci\/terraform-state-access": test\/role\/inline_terraform-state-access .*replaces the other[\s\S]*test\/by_name: 1 problem/,
      ],
      [
        'bucket policy',
        (s) => {
          new BucketPolicy(s, 'a', { bucket: 'data', account: '111111111111', document: BUCKET_DOC });
          new BucketPolicy(s, 'b', { bucket: 'data', account: '111111111111', document: BUCKET_DOC });
        },
        /\(aws_s3_bucket_policy\): "data": test\/a\/policy \(aws_s3_bucket_policy\) writes it too: a bucket has one bucket policy/,
      ],
    ];
    for (const [what, build, expected] of cases) {
      const app = newApp();
      build(stackOf(app, 'test'));
      expect([what, synthError(app)]).toEqual([what, expect.stringMatching(expected)]);
    }
  });

  it('names left to Terraform, identical names on resources with count, and inline policies of one name on two roles pass', () => {
    const app = newApp();
    const stack = stackOf(app, 'test');
    new IamRole(stack, 'a', { namePrefix: 'ci', assumeRolePolicy: '{}' });
    new IamRole(stack, 'b', { namePrefix: 'ci', assumeRolePolicy: '{}' });
    new IamRole(stack, 'c', { assumeRolePolicy: '{}' });
    new IamRole(stack, 'd', { assumeRolePolicy: '{}' });
    new Role(stack, 'one', {
      name: 'one',
      trustPolicy: EC2,
      inlinePolicies: [{ name: 'read', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }] } }],
    });
    new Role(stack, 'two', {
      name: 'two',
      trustPolicy: EC2,
      inlinePolicies: [{ name: 'read', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }] } }],
    });
    expect(synthError(app)).toBeUndefined();
  });

  it('one Terraform expression written as two names collides in its stack; two expressions do not', () => {
    const app = newApp();
    const stack = stackOf(app, 'test');
    const name = new TerraformVariable(stack, 'role_name', { type: 'string' });
    const other = new TerraformVariable(stack, 'other_name', { type: 'string' });
    new IamRole(stack, 'a', { name: name.stringValue, assumeRolePolicy: '{}' });
    new IamRole(stack, 'b', { name: other.stringValue, assumeRolePolicy: '{}' });
    new Role(stack, 'ours', { name: 'ci', trustPolicy: EC2 });
    expect(synthError(app)).toBeUndefined();
    const again = newApp();
    const stack2 = stackOf(again, 'test');
    const v = new TerraformVariable(stack2, 'role_name', { type: 'string' });
    new IamRole(stack2, 'a', { name: v.stringValue, assumeRolePolicy: '{}' });
    new IamRole(stack2, 'b', { name: v.stringValue, assumeRolePolicy: '{}' });
    new Role(stack2, 'ours', { name: 'ci', trustPolicy: EC2 });
    expect(synthError(again)).toMatch(/\(aws_iam_role\): "\$\{var\.role_name\}": test\/a/);
  });

  it('in one stack, providers of two accounts keep apart, providers of one account do not', () => {
    const build = (second: string) => {
      const app = newApp();
      const stack = stackOf(app, 'test', { region: 'eu-west-1', allowedAccountIds: ['111111111111'] });
      const other = new AwsProvider(stack, 'other', { region: 'eu-west-1', alias: 'other', assumeRole: [{ roleArn: `arn:aws:iam::${second}:role/deployer` }] });
      new Role(stack, 'a', { name: 'ci', trustPolicy: EC2 });
      const b = new Role(stack, 'b', { name: 'ci', trustPolicy: EC2 });
      b.role.provider = other;
      return synthError(app);
    };
    expect(build('222222222222')).toBeUndefined();
    expect(build('111111111111')).toMatch(/test\/b\/role: 1 problem\n- \(aws_iam_role\): "ci": test\/a\/role \(aws_iam_role\) writes it too in account 111111111111/);
  });

  it('in one stack, two aliased providers that name no account keep apart', () => {
    const app = newApp();
    const stack = stackOf(app, 'test');
    const other = new AwsProvider(stack, 'other', { region: 'us-east-1', alias: 'other' });
    new Role(stack, 'a', { name: 'ci', trustPolicy: EC2 });
    const b = new Role(stack, 'b', { name: 'ci', trustPolicy: EC2 });
    b.role.provider = other;
    expect(synthError(app)).toBeUndefined();
  });

  it('across stacks: one account collides; two accounts, or stacks whose providers name no account (dev and prod, each run with its own credentials), do not', () => {
    const across = (first: string | undefined, second: string | undefined) => {
      const app = newApp();
      const account = (a: string | undefined) => ({ region: 'eu-west-1', ...(a !== undefined && { allowedAccountIds: [a] }) });
      new EcrDockerPushPolicy(stackOf(app, 'one', account(first)), 'ecr', { repositoryArns: ['arn:aws:ecr:eu-west-1:111111111111:repository/web'] });
      new EcrDockerPushPolicy(stackOf(app, 'two', account(second)), 'ecr', { repositoryArns: ['arn:aws:ecr:eu-west-1:111111111111:repository/api'] });
      return synthError(app);
    };
    expect(across('111111111111', '222222222222')).toBeUndefined();
    expect(across('111111111111', undefined)).toBeUndefined();
    expect(across('111111111111', '111111111111')).toMatch(
      /two\/ecr\/policy: 1 problem\n- \(aws_iam_policy\): "ecr-docker-push": one\/ecr\/policy \(aws_iam_policy\) writes it too in account 111111111111: IAM policy names are unique/,
    );
    expect(across(undefined, undefined)).toBeUndefined();
  });

  it('in one stack, one provider that names no account is one account: two policies of one name through it collide', () => {
    const app = newApp();
    const stack = stackOf(app, 'one', { region: 'eu-west-1' });
    new EcrDockerPushPolicy(stack, 'ecr', { repositoryArns: ['arn:aws:ecr:eu-west-1:111111111111:repository/web'] });
    new EcrDockerPushPolicy(stack, 'ecr2', { repositoryArns: ['arn:aws:ecr:eu-west-1:111111111111:repository/api'] });
    expect(synthError(app)).toMatch(
      /one\/ecr2\/policy: 1 problem\n- \(aws_iam_policy\): "ecr-docker-push": one\/ecr\/policy \(aws_iam_policy\) writes it too through the same AWS provider \(default\), which names no account/,
    );
  });

  it('two service control policies of one name in one organization collide; a tag policy of that name is not compared', () => {
    const app = newApp();
    const stack = stackOf(app, 'org', { region: 'us-east-1', allowedAccountIds: ['333333333333'] });
    new ServiceControlPolicy(stack, 'deny', { name: 'guardrails', document: exampleCorpScp() });
    new OrganizationsPolicy(stack, 'tags', { name: 'guardrails', type: 'TAG_POLICY', content: '{}' });
    expect(synthError(app)).toBeUndefined();
    new ServiceControlPolicy(stack, 'deny_again', { name: 'guardrails', document: exampleCorpScp() });
    expect(synthError(app)).toMatch(
      /org\/deny_again\/policy: 1 problem\n- \(aws_organizations_policy\): "SERVICE_CONTROL_POLICY:guardrails": org\/deny\/policy .*DuplicatePolicyException.*\[IAM_NAME_COLLISION\]/s,
    );
  });

  it('two OIDC providers of one URL in one account collide: IAM registers a URL once per account', () => {
    const app = newApp();
    const stack = stackOf(app, 'one', { region: 'eu-west-1' });
    new OidcProvider(stack, 'github', githubActionsOidcProvider());
    new OidcProvider(stack, 'github_again', githubActionsOidcProvider());
    expect(synthError(app)).toMatch(
      /one\/github_again\/provider: 1 problem\n- \(aws_iam_openid_connect_provider\): "https:\/\/token.actions.githubusercontent.com": one\/github\/provider .* once per URL.*\[IAM_NAME_COLLISION\]/s,
    );
  });

  it('the pure check: case counts for inline policy and instance profile names, not for principals', () => {
    const entry = (kind: Parameters<typeof iamNameCollisions>[0][number]['kind'], name: string, path: string) => ({
      kind,
      name,
      path,
      namespace: 'account:1',
      literal: true,
      stack: 's',
      resourceType: 't',
    });
    expect(iamNameCollisions([entry('inline policy', 'role:ci/Read', 'a'), entry('inline policy', 'role:ci/read', 'b')])).toEqual([]);
    expect(iamNameCollisions([entry('instance profile', 'Web', 'a'), entry('instance profile', 'web', 'b')])).toEqual([]);
    expect(iamNameCollisions([entry('group', 'Ops', 'a'), entry('group', 'ops', 'b')])).toHaveLength(1);
  });
});
