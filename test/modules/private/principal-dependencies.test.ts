/**
 * A policy that names, by its ARN written out, a role or a user of its own stack is written after it
 * (`dependOnNamedPrincipals`): S3 and IAM refuse a principal that does not exist yet (`Invalid principal in
 * policy`), and Terraform sees no dependency in a literal ARN. Here: which ARNs count, what is added to
 * `depends_on` and when (at synth, after every aspect), and that the apply lab's static dependency check
 * (`stackDependencyFindings`, test/apply) finds nothing in a stack of the constructs with no `dependsOn` written,
 * and finds each problem in the same stack written with the provider's resources.
 */
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { Aspects, dependable, type IAspect, TerraformResource, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { Role } from '../../../modules/iam-role';
import { BucketPolicy } from '../../../modules/policy-types';
import { dependOnNamedPrincipals, namedPrincipals } from '../../../modules/private/principal-dependencies';
import { stackDependencyFindings } from '../../support/aws-lab/apply-lab';

const ACCOUNT = '111111111111';
const EC2 = { services: ['ec2.amazonaws.com'] };

function policy(principal: unknown, key: 'Principal' | 'NotPrincipal' = 'Principal'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', [key]: principal, Resource: 'arn:aws:s3:::lake/*' }] });
}

function trust(principal: unknown): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: principal }] });
}

function newStack(provider: ConstructorParameters<typeof AwsProvider>[2] = { region: 'eu-west-1' }): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', provider);
  return stack;
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

function synthesized(stack: TerraformStack): { resource: Blocks; provider?: { aws?: unknown } } {
  return JSON.parse(Testing.synth(stack)) as { resource: Blocks };
}

/** The synthesized `depends_on` of each resource of `type`, by logical id. */
function dependsOn(stack: TerraformStack, type: string): Record<string, unknown> {
  const out = synthesized(stack);
  return Object.fromEntries(Object.entries(out.resource[type] ?? {}).map(([key, block]) => [key, block.depends_on]));
}

const addressOf = (r: TerraformResource) => `${r.terraformResourceType}.${r.friendlyUniqueId}`;

/** Sets the provider of each resource under a scope at synth, as the stacks' `AccountScope` does. */
class UseProvider implements IAspect {
  constructor(private readonly provider: AwsProvider) {}
  visit(node: IConstruct): void {
    if (node instanceof TerraformResource && node.provider === undefined) node.provider = this.provider;
  }
}

describe('namedPrincipals', () => {
  it('reads the roles and users named by ARN under Principal and NotPrincipal (AWS), with path and partition, each once', () => {
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Principal: { AWS: ['arn:aws:iam::111111111111:role/apps/team/App', 'arn:aws:iam::111111111111:user/bob'] }, Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', NotPrincipal: { AWS: 'arn:aws-cn:iam::222222222222:role/Admin' }, Resource: '*' },
        { Effect: 'Allow', Action: 's3:GetObject', Principal: { AWS: 'arn:aws:iam::111111111111:user/bob' }, Resource: '*' },
      ],
    });
    expect(namedPrincipals(doc)).toEqual([
      { partition: 'aws', account: '111111111111', kind: 'role', path: '/apps/team/', name: 'App' },
      { partition: 'aws', account: '111111111111', kind: 'user', path: '/', name: 'bob' },
      { partition: 'aws-cn', account: '222222222222', kind: 'role', path: '/', name: 'Admin' },
    ]);
  });

  it('names none for accounts, roots, services, federated providers, "*", assumed-role sessions, references and text that is not JSON', () => {
    const role = new IamRole(newStack(), 'r', { name: 'r', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    expect(namedPrincipals(policy({ AWS: ['111111111111', 'arn:aws:iam::111111111111:root', '*', 'arn:aws:sts::111111111111:assumed-role/App/session', role.arn] }))).toEqual([]);
    expect(namedPrincipals(policy('*'))).toEqual([]);
    expect(namedPrincipals(trust({ Service: 'ec2.amazonaws.com' }))).toEqual([]);
    expect(namedPrincipals(trust({ Federated: 'arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com' }))).toEqual([]);
    expect(namedPrincipals(new TerraformVariable(newStack(), 'doc', { type: 'string' }).stringValue)).toEqual([]);
    expect(namedPrincipals('not json')).toEqual([]);
  });
});

describe('dependOnNamedPrincipals', () => {
  it('adds the roles and users of the stack that a policy names, in address order, at synth', () => {
    const stack = newStack();
    // The policy comes first: the principals it names are created after it in the tree.
    const lake = dependOnNamedPrincipals(
      new S3BucketPolicy(stack, 'lake', { bucket: 'lake', policy: policy({ AWS: ['arn:aws:iam::111111111111:user/ops/bob', 'arn:aws:iam::111111111111:role/apps/App'] }) }),
      policy({ AWS: ['arn:aws:iam::111111111111:user/ops/bob', 'arn:aws:iam::111111111111:role/apps/App'] }),
    );
    const app = new IamRole(stack, 'app', { name: 'App', path: '/apps/', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    const bob = new IamUser(stack, 'bob', { name: 'bob', path: '/ops/' });
    expect(lake.dependsOn).toBeUndefined(); // nothing is written into the resource: it is found at synth
    expect(dependsOn(stack, 'aws_s3_bucket_policy')).toEqual({ [lake.friendlyUniqueId]: [addressOf(app), addressOf(bob)].sort() });
  });

  it('keeps the dependencies given, first, and adds a principal given there too only once', () => {
    const stack = newStack();
    const app = new IamRole(stack, 'app', { name: 'App', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    const other = new IamRole(stack, 'other', { name: 'Other', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    const text = policy({ AWS: ['arn:aws:iam::111111111111:role/App', 'arn:aws:iam::111111111111:role/Other'] });
    const lake = dependOnNamedPrincipals(new S3BucketPolicy(stack, 'lake', { bucket: 'lake', policy: text, dependsOn: [other] }), text);
    // Changed after the resource was built: still kept.
    const later = new IamUser(stack, 'later', { name: 'later' });
    lake.dependsOn = [...(lake.dependsOn ?? []), dependable(later)];
    expect(dependsOn(stack, 'aws_s3_bucket_policy')[lake.friendlyUniqueId]).toEqual([addressOf(other), addressOf(later), addressOf(app)]);
  });

  it('matches the path exactly and the name without case (IAM names are unique whatever the case)', () => {
    const stack = newStack();
    const app = new IamRole(stack, 'app', { name: 'App', path: '/apps/', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    const text = (arn: string) => policy({ AWS: arn });
    const named = (arn: string, id: string) => dependOnNamedPrincipals(new S3BucketPolicy(stack, id, { bucket: id, policy: text(arn) }), text(arn));
    const lower = named('arn:aws:iam::111111111111:role/apps/app', 'lower');
    const otherPath = named('arn:aws:iam::111111111111:role/App', 'otherpath');
    const user = named('arn:aws:iam::111111111111:user/apps/App', 'user');
    const deps = dependsOn(stack, 'aws_s3_bucket_policy');
    expect(deps[lower.friendlyUniqueId]).toEqual([addressOf(app)]);
    expect(deps[otherPath.friendlyUniqueId]).toBeUndefined();
    expect(deps[user.friendlyUniqueId]).toBeUndefined();
  });

  it("adds nothing for a principal of another account than the provider's, read after the aspects that set providers", () => {
    for (const [account, expected] of [
      ['111111111111', true],
      ['222222222222', false],
    ] as const) {
      const stack = newStack();
      const text = policy({ AWS: 'arn:aws:iam::111111111111:role/App' });
      const lake = dependOnNamedPrincipals(new S3BucketPolicy(stack, 'lake', { bucket: 'lake', policy: text }), text);
      // The role's provider is set by an aspect of a scope that comes after the policy.
      const scope = new Construct(stack, 'member');
      Aspects.of(scope).add(new UseProvider(new AwsProvider(stack, 'aws_member', { region: 'eu-west-1', alias: 'member', allowedAccountIds: [account] })));
      const app = new IamRole(scope, 'app', { name: 'App', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
      expect(dependsOn(stack, 'aws_s3_bucket_policy')[lake.friendlyUniqueId]).toEqual(expected ? [addressOf(app)] : undefined);
    }
  });

  it('reads the account and partition of the role a provider assumes; any, when the provider pins none', () => {
    const viaRole = newStack({ region: 'cn-north-1', assumeRole: [{ roleArn: 'arn:aws-cn:iam::111111111111:role/deployer' }] });
    const free = newStack();
    for (const stack of [viaRole, free]) {
      const app = new IamRole(stack, 'app', { name: 'App', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
      const named = (arn: string, id: string) => dependOnNamedPrincipals(new S3BucketPolicy(stack, id, { bucket: id, policy: policy({ AWS: arn }) }), policy({ AWS: arn }));
      const ids = {
        cn: named('arn:aws-cn:iam::111111111111:role/App', 'cn').friendlyUniqueId,
        commercial: named('arn:aws:iam::111111111111:role/App', 'commercial').friendlyUniqueId,
        otherAccount: named('arn:aws-cn:iam::333333333333:role/App', 'other').friendlyUniqueId,
      };
      const deps = dependsOn(stack, 'aws_s3_bucket_policy');
      const pinned = stack === viaRole;
      expect([deps[ids.cn], deps[ids.commercial], deps[ids.otherAccount]]).toEqual([[addressOf(app)], pinned ? undefined : [addressOf(app)], pinned ? undefined : [addressOf(app)]]);
    }
  });

  it('adds nothing for a principal of another stack, one the stack does not create, one named by reference or with a name left to Terraform', () => {
    const app = Testing.app();
    const one = new TerraformStack(app, 'one');
    const two = new TerraformStack(app, 'two');
    for (const s of [one, two]) new AwsProvider(s, 'aws', { region: 'eu-west-1' });
    new IamRole(two, 'app', { name: 'App', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    const variable = new TerraformVariable(one, 'name', { type: 'string' });
    new IamRole(one, 'byvariable', { name: variable.stringValue, assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    new IamRole(one, 'prefixed', { namePrefix: 'Pre', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    const text = policy({ AWS: ['arn:aws:iam::111111111111:role/App', 'arn:aws:iam::111111111111:role/Unknown', 'arn:aws:iam::111111111111:role/Pre'] });
    const lake = dependOnNamedPrincipals(new S3BucketPolicy(one, 'lake', { bucket: 'lake', policy: text }), text);
    expect(synthesized(one).resource.aws_s3_bucket_policy[lake.friendlyUniqueId]).not.toHaveProperty('depends_on');
  });

  it('leaves a resource whose policy names no role or user by ARN untouched', () => {
    const stack = newStack();
    new IamRole(stack, 'app', { name: 'App', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    for (const text of [policy({ AWS: ACCOUNT }), policy('*'), trust({ Service: 'ec2.amazonaws.com' })]) {
      const resource = new S3BucketPolicy(stack, `p${text.length}`, { bucket: 'lake', policy: text });
      dependOnNamedPrincipals(resource, text);
      expect(Object.getOwnPropertyNames(resource)).not.toContain('terraformMetaArguments');
    }
  });
});

describe("Role's trust policy", () => {
  it('depends on the roles and users of the stack it names by ARN, never on its own role', () => {
    const stack = newStack({ region: 'eu-west-1', allowedAccountIds: [ACCOUNT] });
    const deployer = new Role(stack, 'deployer', {
      name: 'Deployer',
      account: ACCOUNT,
      trustPolicy: { roles: ['arn:aws:iam::111111111111:role/ci/Builder', 'arn:aws:iam::111111111111:role/Deployer'] },
    });
    const builder = new Role(stack, 'builder', { name: 'Builder', path: '/ci/', trustPolicy: EC2 });
    const bob = new IamUser(stack, 'bob', { name: 'bob' });
    const bobs = new Role(stack, 'bobs', { name: 'BobsRole', account: ACCOUNT, trustPolicy: trust({ AWS: 'arn:aws:iam::111111111111:user/bob' }) });
    expect(dependsOn(stack, 'aws_iam_role')).toEqual({
      [deployer.role.friendlyUniqueId]: [addressOf(builder.role)],
      [builder.role.friendlyUniqueId]: undefined,
      [bobs.role.friendlyUniqueId]: [addressOf(bob)],
    });
  });

  it('two roles trusting each other by ARN depend on each other: synth ends (terraform validate then reports the cycle: AWS could create neither first)', () => {
    const stack = newStack();
    const a = new Role(stack, 'a', { name: 'A', account: ACCOUNT, trustPolicy: { roles: ['arn:aws:iam::111111111111:role/B'] } });
    const b = new Role(stack, 'b', { name: 'B', account: ACCOUNT, trustPolicy: { roles: ['arn:aws:iam::111111111111:role/A'] } });
    expect(dependsOn(stack, 'aws_iam_role')).toEqual({ [a.role.friendlyUniqueId]: [addressOf(b.role)], [b.role.friendlyUniqueId]: [addressOf(a.role)] });
  });

  it('keeps the dependsOn it is given', () => {
    const stack = newStack({ region: 'eu-west-1', allowedAccountIds: [ACCOUNT] });
    const builder = new Role(stack, 'builder', { name: 'Builder', trustPolicy: EC2 });
    const other = new IamUser(stack, 'other', { name: 'other' });
    const deployer = new Role(stack, 'deployer', { name: 'Deployer', account: ACCOUNT, trustPolicy: { roles: ['arn:aws:iam::111111111111:role/Builder'] }, dependsOn: [other] });
    expect(dependsOn(stack, 'aws_iam_role')[deployer.role.friendlyUniqueId]).toEqual([addressOf(other), addressOf(builder.role)]);
  });
});

describe("the apply lab's dependency check (stackDependencyFindings) on a stack of the constructs", () => {
  /**
   * A bucket policy naming a role, a role trusting a role and a role trusting a user, all of the stack, by ARN,
   * with no dependsOn written: built with the constructs (`raw` false) or with the provider's resources writing
   * the same policies (`raw` true), which add no dependency.
   */
  function build(raw: boolean): TerraformStack {
    const stack = newStack({ region: 'eu-west-1', allowedAccountIds: [ACCOUNT] });
    const lakeDoc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/apps/App` }, Resource: 'arn:aws:s3:::lake/*' }] };
    const deployerTrust = { roles: [`arn:aws:iam::${ACCOUNT}:role/apps/App`] };
    const bobsTrust = trust({ AWS: `arn:aws:iam::${ACCOUNT}:user/bob` });
    // The policies first: nothing in the order of the tree orders the apply.
    if (raw) {
      new S3BucketPolicy(stack, 'lake', { bucket: 'lake', policy: JSON.stringify(lakeDoc) });
      new IamRole(stack, 'deployer', { name: 'Deployer', assumeRolePolicy: trust({ AWS: deployerTrust.roles }) });
      new IamRole(stack, 'bobs', { name: 'BobsRole', assumeRolePolicy: bobsTrust });
      new IamRole(stack, 'app', { name: 'App', path: '/apps/', assumeRolePolicy: trust({ Service: 'ec2.amazonaws.com' }) });
    } else {
      new BucketPolicy(stack, 'lake', { bucket: 'lake', account: ACCOUNT, document: lakeDoc as never });
      new Role(stack, 'deployer', { name: 'Deployer', account: ACCOUNT, trustPolicy: deployerTrust });
      new Role(stack, 'bobs', { name: 'BobsRole', account: ACCOUNT, trustPolicy: bobsTrust });
      new Role(stack, 'app', { name: 'App', path: '/apps/', trustPolicy: EC2 });
    }
    new IamUser(stack, 'bob', { name: 'bob' });
    return stack;
  }

  it('finds nothing in the stack of the constructs', () => {
    expect(stackDependencyFindings(synthesized(build(false)))).toEqual([]);
  });

  it('finds each policy written before the principal it names in the same stack of raw resources', () => {
    const findings = stackDependencyFindings(synthesized(build(true)));
    expect(findings).toEqual([
      expect.stringMatching(/^aws_iam_role\.bobs\.assume_role_policy names arn:aws:iam::111111111111:user\/bob as a literal, created by aws_iam_user\.bob, without depending on it/),
      expect.stringMatching(/^aws_iam_role\.deployer\.assume_role_policy names arn:aws:iam::111111111111:role\/apps\/App as a literal, created by aws_iam_role\.app, without depending on it/),
      expect.stringMatching(/^aws_s3_bucket_policy\.lake\.policy names arn:aws:iam::111111111111:role\/apps\/App as a literal, created by aws_iam_role\.app, without depending on it/),
    ]);
  });
});
