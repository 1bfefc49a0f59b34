/**
 * The seed's Example Corp, synthesized, and its seven policies proved together with the simulator
 * (@cloud-copilot/iam-simulate, tests only): SCP, permissions boundary, identity policies and the data
 * lake's bucket policy, across the application and data lake accounts.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Testing } from 'cdktf';
import type { PolicyDocument } from '../../modules/core';
import { exampleCorpPipelinePolicy } from '../../modules/delegated-role-creation';
import { applicationRolePolicy, dataLakeBucketPolicy, developerReadOnlyPolicy, exampleCorpBoundary, exampleCorpScp } from '../../modules/policy-types';
import { ExampleCorpStack, type ExampleCorpStackProps } from '../../stacks/example-corp';

const APP = '111111111111';
const DATA_LAKE = '222222222222';
const APP_BUCKET = 'doc-example-bucket1';
const LAKE_BUCKET = 'doc-example-bucket2';
const ROLE_PATH = '/application-roles/';
const INSTANCE_PROFILE_PATH = '/application-instance-profiles/';
const BOUNDARY_ARN = `arn:aws:iam::${APP}:policy/PermissionsBoundary`;

const scp = exampleCorpScp();
const boundary = exampleCorpBoundary();
const applicationPolicy = applicationRolePolicy({ appBucket: APP_BUCKET, dataLakeBucket: LAKE_BUCKET });
const lakePolicy = dataLakeBucketPolicy({ bucket: LAKE_BUCKET, applicationAccount: APP, rolePath: ROLE_PATH });
const pipelinePolicy = exampleCorpPipelinePolicy({ account: APP, rolePath: ROLE_PATH, instanceProfilePath: INSTANCE_PROFILE_PATH, permissionsBoundaryArn: BOUNDARY_ARN });
const developerPolicy = developerReadOnlyPolicy();

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  provider: { aws: Array<{ alias?: string; allowed_account_ids?: string[]; assume_role?: Array<{ role_arn: string }> }> };
}

const EXAMPLE_CORP_ENV = /^EXAMPLE_CORP_/;

/** The stack synthesized with `props`, the cdktf `context` and the environment variables `env` (the others named EXAMPLE_CORP_* unset). */
function synthesize(props: ExampleCorpStackProps = {}, context: Record<string, unknown> = {}, env: Record<string, string> = {}): Synthesized {
  const saved = Object.entries(process.env).filter(([key]) => EXAMPLE_CORP_ENV.test(key));
  for (const [key] of saved) delete process.env[key];
  Object.assign(process.env, env);
  try {
    return JSON.parse(Testing.synth(new ExampleCorpStack(Testing.app({ context }), 'example-corp', props), true)) as Synthesized;
  } finally {
    for (const key of Object.keys(env)) delete process.env[key];
    for (const [key, value] of saved) process.env[key] = value;
  }
}

const providersOf = (out: Synthesized) => out.provider.aws.filter((p) => p.alias !== undefined).map((p) => [p.alias, p.allowed_account_ids, p.assume_role?.map((r) => r.role_arn)]);

describe('stack example-corp', () => {
  const out = synthesize();
  const text = JSON.stringify(out);
  const byName = (type: string, name: string) => Object.values(out.resource[type]).find((r) => r.name === name || r.bucket === name)!;

  it('writes each of the seven policies where it belongs, as the pure functions render it', () => {
    expect(byName('aws_organizations_policy', 'example-corp-guardrails').content).toBe(JSON.stringify(scp));
    expect(byName('aws_iam_policy', 'PermissionsBoundary').policy).toBe(JSON.stringify(boundary));
    expect(byName('aws_iam_role_policy', 'DeveloperRoleBaselinePolicy').policy).toBe(JSON.stringify(developerPolicy));
    expect(byName('aws_iam_role_policy', 'CICDPipelinePolicy').policy).toBe(JSON.stringify(pipelinePolicy));
    expect(byName('aws_iam_role_policy', 'ApplicationRolePolicy').policy).toBe(JSON.stringify(applicationPolicy));
    expect(byName('aws_s3_bucket_policy', LAKE_BUCKET).policy).toBe(JSON.stringify(lakePolicy));
    expect(Object.values(out.resource.aws_iam_role_policy_attachment).map((a) => a.policy_arn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
  });

  it('puts the application role under the boundary, on a path the pipeline may manage, and on an instance profile', () => {
    const role = byName('aws_iam_role', 'ApplicationRole');
    expect(role.path).toBe(ROLE_PATH);
    expect(role.permissions_boundary).toMatch(/^\$\{aws_iam_policy\.application_boundary_policy_[0-9A-F]{8}\.arn\}$/);
    expect(byName('aws_iam_instance_profile', 'ApplicationRole').role).toMatch(/aws_iam_role\.application_application_role/);
  });

  it('writes the data lake bucket policy after the application role it names (S3 refuses a principal that does not exist yet)', () => {
    const roleKey = Object.keys(out.resource.aws_iam_role).find((key) => out.resource.aws_iam_role[key].name === 'ApplicationRole')!;
    const role = out.resource.aws_iam_role[roleKey];
    const lake = byName('aws_s3_bucket_policy', LAKE_BUCKET);
    expect(lake.depends_on).toEqual([`aws_iam_role.${roleKey}`]);
    // The principal it names is that role's ARN, from the synthesized name and path.
    expect(JSON.parse(lake.policy as string).Statement[0].Principal.AWS).toBe(`arn:aws:iam::${APP}:role${role.path as string}${role.name as string}`);
  });

  it("creates each account's resources with that account's provider, each assuming a role in its account, and holds no absolute path", () => {
    expect(providersOf(out)).toEqual([
      // The management account's provider uses the deploying credentials: Organizations creates no
      // OrganizationAccountAccessRole in the management account.
      ['management', ['333333333333'], undefined],
      ['application', [APP], [`arn:aws:iam::${APP}:role/OrganizationAccountAccessRole`]],
      ['data_lake', [DATA_LAKE], [`arn:aws:iam::${DATA_LAKE}:role/OrganizationAccountAccessRole`]],
    ]);
    expect(byName('aws_s3_bucket_policy', LAKE_BUCKET).provider).toBe('aws.data_lake');
    expect(byName('aws_organizations_policy', 'example-corp-guardrails').provider).toBe('aws.management');
    expect(byName('aws_iam_role', 'ApplicationRole').provider).toBe('aws.application');
    expect(text).not.toContain(process.cwd());
  });
});

describe("stack example-corp: the application's instance profile is one its own pipeline may create", () => {
  /** The pipeline policy, the application role and the instance profile as the stack synthesized them, and the pipeline principal. */
  function synthesized(props: ExampleCorpStackProps = {}) {
    const out = synthesize(props);
    const find = (type: string, name: string) => Object.values(out.resource[type]).find((r) => r.name === name)!;
    const account = props.applicationAccount ?? APP;
    const policy = JSON.parse(find('aws_iam_role_policy', 'CICDPipelinePolicy').policy as string) as PolicyDocument;
    const profile = find('aws_iam_instance_profile', 'ApplicationRole');
    const role = find('aws_iam_role', 'ApplicationRole');
    return {
      profile,
      profileArn: `arn:aws:iam::${account}:instance-profile${profile.path as string}${profile.name as string}`,
      roleArn: `arn:aws:iam::${account}:role${role.path as string}${role.name as string}`,
      pipeline: { arn: `arn:aws:iam::${account}:role/CICDPipelineRole`, policies: [policy] } satisfies Principal,
      account,
    };
  }

  it.each([
    ['the defaults', {}],
    ['paths of its own', { applicationRolePath: '/apps/', instanceProfilePath: '/apps-profiles/' }],
    ['one path for both', { applicationRolePath: '/apps/', instanceProfilePath: '/apps/' }],
    ['another account', { applicationAccount: '444455556666' }],
  ] as const)("with %s, the pipeline policy allows creating the stack's instance profile and putting the role in it", async (_, props) => {
    const { profile, profileArn, roleArn, pipeline, account } = synthesized(props);
    expect(profile.path).toBe((props as ExampleCorpStackProps).instanceProfilePath ?? INSTANCE_PROFILE_PATH);
    for (const action of ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile']) {
      expect([action, await decide(pipeline, { action, resource: profileArn, account })]).toEqual([action, 'Allowed']);
    }
    // AddRoleToInstanceProfile also needs PassRole on the role (IAM API reference): the pipeline has it for EC2.
    expect(await decide(pipeline, { action: 'iam:PassRole', resource: roleArn, account, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe('Allowed');
  });

  it('the role path, where the profile used to be, is not one the pipeline may create instance profiles in', async () => {
    const { pipeline } = synthesized();
    expect(await decide(pipeline, { action: 'iam:CreateInstanceProfile', resource: `arn:aws:iam::${APP}:instance-profile${ROLE_PATH}ApplicationRole` })).toBe('ImplicitlyDenied');
  });
});

describe('stack example-corp: accounts, buckets, paths and deploy roles from configuration', () => {
  const OTHER = { application: '444455556666', dataLake: '777788889999', management: '121212121212' };
  const summary = (out: Synthesized) => ({
    providers: providersOf(out),
    region: out.provider.aws.map((p) => (p as { region?: string }).region),
    scpTargets: Object.values(out.resource.aws_organizations_policy_attachment ?? {}).map((a) => a.target_id),
    buckets: Object.values(out.resource.aws_s3_bucket_policy).map((b) => b.bucket),
    rolePath: Object.values(out.resource.aws_iam_role).find((r) => r.name === 'ApplicationRole')!.path,
    profilePath: Object.values(out.resource.aws_iam_instance_profile)[0].path,
  });

  it("takes each setting from the environment (EXAMPLE_CORP_<NAME>), and the deploy roles' defaults follow the accounts", () => {
    const out = synthesize(
      {},
      {},
      {
        EXAMPLE_CORP_APPLICATION_ACCOUNT: OTHER.application,
        EXAMPLE_CORP_DATA_LAKE_ACCOUNT: OTHER.dataLake,
        EXAMPLE_CORP_MANAGEMENT_ACCOUNT: OTHER.management,
        EXAMPLE_CORP_MANAGEMENT_ROLE_ARN: `arn:aws:iam::${OTHER.management}:role/deploy/OrganizationsDeployer`,
        EXAMPLE_CORP_ORGANIZATION_ROOT_ID: 'r-zz99',
        EXAMPLE_CORP_APP_BUCKET: 'corp-app',
        EXAMPLE_CORP_DATA_LAKE_BUCKET: 'corp-lake',
        EXAMPLE_CORP_APPLICATION_ROLE_PATH: '/apps/',
        EXAMPLE_CORP_INSTANCE_PROFILE_PATH: '/apps-profiles/',
        EXAMPLE_CORP_REGION: 'us-east-2',
      },
    );
    expect(summary(out)).toEqual({
      providers: [
        ['management', [OTHER.management], [`arn:aws:iam::${OTHER.management}:role/deploy/OrganizationsDeployer`]],
        ['application', [OTHER.application], [`arn:aws:iam::${OTHER.application}:role/OrganizationAccountAccessRole`]],
        ['data_lake', [OTHER.dataLake], [`arn:aws:iam::${OTHER.dataLake}:role/OrganizationAccountAccessRole`]],
      ],
      region: ['us-east-2', 'us-east-2', 'us-east-2', 'us-east-2'],
      scpTargets: ['r-zz99'],
      buckets: ['corp-lake'],
      rolePath: '/apps/',
      profilePath: '/apps-profiles/',
    });
    const lake = JSON.parse(Object.values(out.resource.aws_s3_bucket_policy)[0].policy as string);
    expect(lake.Statement[0].Principal.AWS).toBe(`arn:aws:iam::${OTHER.application}:role/apps/ApplicationRole`);
  });

  it('takes them from the cdktf context (exampleCorp.<name>); a prop comes first, then the environment, then the context', () => {
    const context = {
      'exampleCorp.applicationAccount': OTHER.application,
      'exampleCorp.applicationRoleArn': `arn:aws:iam::${OTHER.application}:role/Deployer`,
      'exampleCorp.dataLakeBucket': 'context-lake',
    };
    expect(summary(synthesize({}, context)).providers[1]).toEqual(['application', [OTHER.application], [`arn:aws:iam::${OTHER.application}:role/Deployer`]]);
    expect(summary(synthesize({}, context)).buckets).toEqual(['context-lake']);
    const fromEnv = synthesize({}, context, { EXAMPLE_CORP_DATA_LAKE_BUCKET: 'env-lake', EXAMPLE_CORP_APPLICATION_ROLE_ARN: `arn:aws:iam::${OTHER.application}:role/EnvDeployer` });
    expect(summary(fromEnv).buckets).toEqual(['env-lake']);
    expect(summary(fromEnv).providers[1][2]).toEqual([`arn:aws:iam::${OTHER.application}:role/EnvDeployer`]);
    expect(summary(synthesize({ dataLakeBucket: 'prop-lake' }, context, { EXAMPLE_CORP_DATA_LAKE_BUCKET: 'env-lake' })).buckets).toEqual(['prop-lake']);
    // An empty environment variable counts as unset.
    expect(summary(synthesize({}, context, { EXAMPLE_CORP_DATA_LAKE_BUCKET: '' })).buckets).toEqual(['context-lake']);
  });

  it('refuses an account that is not 12 digits and a deploy role of another account, naming where each was read', () => {
    expect(() => synthesize({ managementRoleArn: `arn:aws:iam::${APP}:role/Deployer` }, {}, { EXAMPLE_CORP_DATA_LAKE_ACCOUNT: '2222' })).toThrow(
      /- EXAMPLE_CORP_DATA_LAKE_ACCOUNT \(environment\): "2222": an AWS account ID is 12 digits/,
    );
    expect(() => synthesize({ managementRoleArn: `arn:aws:iam::${APP}:role/Deployer` })).toThrow(
      /- managementRoleArn: "arn:aws:iam::111111111111:role\/Deployer": is a role of account 111111111111, not of account 333333333333/,
    );
    expect(() => synthesize({}, { 'exampleCorp.dataLakeRoleArn': 'OrganizationAccountAccessRole' })).toThrow(
      /- exampleCorp\.dataLakeRoleArn \(cdktf context\): "OrganizationAccountAccessRole": not the ARN of an IAM role/,
    );
    expect(() => synthesize({}, { 'exampleCorp.appBucket': 42 })).toThrow(/- exampleCorp\.appBucket \(cdktf context\): 42: not a string/);
  });
});

// ---------------------------------------------------------------------------------------------------
// The seven together

const FULL_AWS_ACCESS = { name: 'FullAWSAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } };
const asRecord = (doc: PolicyDocument) => doc as unknown as Record<string, unknown>;

interface Principal {
  readonly arn: string;
  readonly policies: readonly PolicyDocument[];
  readonly boundary?: PolicyDocument;
}

const application: Principal = { arn: `arn:aws:iam::${APP}:role${ROLE_PATH}ApplicationRole`, policies: [applicationPolicy], boundary };
const pipeline: Principal = { arn: `arn:aws:iam::${APP}:role/CICDPipelineRole`, policies: [pipelinePolicy] };
const developer: Principal = { arn: `arn:aws:iam::${APP}:role/DeveloperReadOnlyRole`, policies: [developerPolicy] };

interface Ask {
  readonly action: string;
  readonly resource: string;
  /** Owner of the resource. @default the application account */
  readonly account?: string;
  readonly context?: Record<string, string | string[]>;
  readonly resourcePolicy?: PolicyDocument;
}

/** The decision for `who` asking `ask`, over TLS unless the context says otherwise, with the SCP at the root. */
async function decide(who: Principal, ask: Ask): Promise<string> {
  const result = (await runSimulation(
    {
      request: {
        principal: who.arn,
        action: ask.action,
        resource: { resource: ask.resource, accountId: ask.account ?? APP },
        contextVariables: { 'aws:SecureTransport': 'true', ...ask.context },
      },
      identityPolicies: who.policies.map((p, i) => ({ name: `policy${i}`, policy: asRecord(p) })),
      ...(who.boundary !== undefined && { permissionBoundaryPolicies: [{ name: 'boundary', policy: asRecord(who.boundary) }] }),
      ...(ask.resourcePolicy !== undefined && { resourcePolicy: asRecord(ask.resourcePolicy) }),
      serviceControlPolicies: [
        { orgIdentifier: 'r-ab12', policies: [FULL_AWS_ACCESS, { name: 'example-corp-guardrails', policy: asRecord(scp) }] },
        { orgIdentifier: APP, policies: [FULL_AWS_ACCESS] },
      ],
      resourceControlPolicies: [],
    } as Parameters<typeof runSimulation>[0],
    {},
  )) as { overallResult?: string };
  if (result.overallResult === undefined) throw new Error(`the simulator rejected ${ask.action} on ${ask.resource}: ${JSON.stringify(result).slice(0, 400)}`);
  return result.overallResult;
}

const object = (bucket: string, key = 'data.csv') => `arn:aws:s3:::${bucket}/${key}`;
const lakeRead: Ask = { action: 's3:GetObject', resource: object(LAKE_BUCKET), account: DATA_LAKE, resourcePolicy: lakePolicy };

describe('Example Corp, proved with the simulator', () => {
  it.each([
    ['the application role', application, { action: 's3:GetObject', resource: object(APP_BUCKET) }],
    ['the pipeline role', pipeline, { action: 'sqs:SendMessage', resource: `arn:aws:sqs:eu-west-1:${APP}:orders` }],
    ['the developer role', developer, { action: 'ec2:DescribeInstances', resource: '*' }],
  ] as const)('a request without TLS is denied for %s, though allowed with TLS', async (_, who, ask) => {
    expect(await decide(who, ask)).toBe('Allowed');
    expect(await decide(who, { ...ask, context: { 'aws:SecureTransport': 'false' } })).toBe('ExplicitlyDenied');
  });

  it('no account can leave the organization, whatever its own policies allow', async () => {
    const admin: Principal = { arn: `arn:aws:iam::${APP}:role/Admin`, policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }] };
    expect(await decide(admin, { action: 'organizations:LeaveOrganization', resource: '*' })).toBe('ExplicitlyDenied');
  });

  it('the application role gets and puts objects in its own bucket', async () => {
    expect(await decide(application, { action: 's3:GetObject', resource: object(APP_BUCKET) })).toBe('Allowed');
    expect(await decide(application, { action: 's3:PutObject', resource: object(APP_BUCKET) })).toBe('Allowed');
  });

  it('it only gets from the data lake bucket in the other account: both its policy and the bucket policy must allow it', async () => {
    expect(await decide(application, lakeRead)).toBe('Allowed');
    expect(await decide(application, { ...lakeRead, action: 's3:PutObject' })).not.toBe('Allowed');
    // Without the bucket policy the other account's bucket is closed to it.
    expect(await decide(application, { ...lakeRead, resourcePolicy: undefined })).not.toBe('Allowed');
    // Without the identity policy the bucket policy alone does not let it in.
    expect(await decide({ ...application, policies: [] }, lakeRead)).not.toBe('Allowed');
    // Another role of the application account is not the one the bucket policy names.
    expect(await decide({ ...application, arn: `arn:aws:iam::${APP}:role${ROLE_PATH}OtherRole` }, lakeRead)).not.toBe('Allowed');
  });

  it('it cannot create a bucket even if its own policy were to allow it: the boundary does not', async () => {
    const widened: Principal = {
      ...application,
      policies: [applicationPolicy, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:CreateBucket', Resource: '*' }] }],
    };
    expect(await decide(widened, { action: 's3:CreateBucket', resource: 'arn:aws:s3:::new-bucket' })).not.toBe('Allowed');
    expect(await decide({ ...widened, boundary: undefined }, { action: 's3:CreateBucket', resource: 'arn:aws:s3:::new-bucket' })).toBe('Allowed');
  });

  it('the pipeline creates roles only under its path and only with the boundary', async () => {
    const role = `arn:aws:iam::${APP}:role${ROLE_PATH}Worker`;
    expect(await decide(pipeline, { action: 'iam:CreateRole', resource: role, context: { 'iam:PermissionsBoundary': BOUNDARY_ARN } })).toBe('Allowed');
    expect(await decide(pipeline, { action: 'iam:CreateRole', resource: role })).not.toBe('Allowed');
    expect(await decide(pipeline, { action: 'iam:CreateRole', resource: `arn:aws:iam::${APP}:role/Admin`, context: { 'iam:PermissionsBoundary': BOUNDARY_ARN } })).not.toBe('Allowed');
    expect(await decide(pipeline, { action: 'iam:DeleteRolePermissionsBoundary', resource: role })).toBe('ExplicitlyDenied');
    expect(await decide(pipeline, { action: 'iam:CreatePolicyVersion', resource: BOUNDARY_ARN })).toBe('ExplicitlyDenied');
  });

  it('the developer role can describe and list, but never write', async () => {
    for (const ask of [
      { action: 'ec2:DescribeInstances', resource: '*' },
      { action: 's3:ListBucket', resource: `arn:aws:s3:::${APP_BUCKET}` },
      { action: 'sqs:GetQueueAttributes', resource: `arn:aws:sqs:eu-west-1:${APP}:orders` },
    ]) {
      expect([ask.action, await decide(developer, ask)]).toEqual([ask.action, 'Allowed']);
    }
    for (const ask of [
      { action: 'ec2:RunInstances', resource: `arn:aws:ec2:eu-west-1:${APP}:instance/*` },
      { action: 's3:PutObject', resource: object(APP_BUCKET) },
      { action: 'sqs:SendMessage', resource: `arn:aws:sqs:eu-west-1:${APP}:orders` },
      { action: 'cloudformation:DeleteStack', resource: `arn:aws:cloudformation:eu-west-1:${APP}:stack/app/abc` },
    ]) {
      expect([ask.action, await decide(developer, ask)]).toEqual([ask.action, 'ImplicitlyDenied']);
    }
  });
});
