/**
 * The seed's Example Corp, synthesized, and its seven policies proved together with the simulator
 * (@cloud-copilot/iam-simulate, tests only): SCP, permissions boundary, identity policies and the data
 * lake's bucket policy, across the application and data lake accounts.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Testing } from 'cdktf';
import type { PolicyDocument } from '../../modules/core';
import { exampleCorpPipelinePolicy } from '../../modules/delegated-role-creation';
import {
  applicationRolePolicy,
  dataLakeBucketPolicy,
  developerReadOnlyPolicy,
  exampleCorpBoundary,
  exampleCorpScp,
} from '../../modules/policy-types';
import { ExampleCorpStack } from '../../stacks/example-corp';

const APP = '111111111111';
const DATA_LAKE = '222222222222';
const APP_BUCKET = 'doc-example-bucket1';
const LAKE_BUCKET = 'doc-example-bucket2';
const ROLE_PATH = '/application-roles/';
const BOUNDARY_ARN = `arn:aws:iam::${APP}:policy/PermissionsBoundary`;

const scp = exampleCorpScp();
const boundary = exampleCorpBoundary();
const applicationPolicy = applicationRolePolicy({ appBucket: APP_BUCKET, dataLakeBucket: LAKE_BUCKET });
const lakePolicy = dataLakeBucketPolicy({ bucket: LAKE_BUCKET, applicationAccount: APP, rolePath: ROLE_PATH });
const pipelinePolicy = exampleCorpPipelinePolicy({ account: APP, rolePath: ROLE_PATH, permissionsBoundaryArn: BOUNDARY_ARN });
const developerPolicy = developerReadOnlyPolicy();

interface Synthesized {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  provider: { aws: Array<{ alias?: string; allowed_account_ids?: string[] }> };
}

describe('stack example-corp', () => {
  const stack = new ExampleCorpStack(Testing.app(), 'example-corp');
  const text = Testing.synth(stack, true);
  const out = JSON.parse(text) as Synthesized;
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

  it('creates each account\'s resources with that account\'s provider, and holds no absolute path', () => {
    const providers = out.provider.aws.filter((p) => p.alias !== undefined).map((p) => [p.alias, p.allowed_account_ids]);
    expect(providers).toEqual([
      ['management', ['333333333333']],
      ['application', [APP]],
      ['data_lake', [DATA_LAKE]],
    ]);
    expect(byName('aws_s3_bucket_policy', LAKE_BUCKET).provider).toBe('aws.data_lake');
    expect(byName('aws_organizations_policy', 'example-corp-guardrails').provider).toBe('aws.management');
    expect(byName('aws_iam_role', 'ApplicationRole').provider).toBe('aws.application');
    expect(text).not.toContain(process.cwd());
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
