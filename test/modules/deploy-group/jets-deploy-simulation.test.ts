import { readFileSync } from 'fs';
import { join } from 'path';
import { canonicalPolicy } from '../../../modules/core';
import { jetsDeployPolicy } from '../../../modules/deploy-group';
import { isAllowed, SIMULATED_ACCOUNT } from '../../support/simulator';

const A = SIMULATED_ACCOUNT;
const R = 'us-east-1';
const UUID = '6d3c1a40-9b1e-11ef-8f3b-0a1b2c3d4e5f';
const policy = jetsDeployPolicy({ prefix: 'my-cool-prefix' });
const seed = canonicalPolicy(JSON.parse(readFileSync(join(__dirname, '../../fixtures/deploy-group/seed-jets-policy.json'), 'utf8').split('${MY_PREFIX}').join('my-cool-prefix')));

type Case = readonly [action: string, resource: string, context?: Record<string, string>];

// What `jets deploy` and `jets delete` do, on the project's own resources (prefix my-cool-prefix).
const ALLOWED: readonly Case[] = [
  ['cloudformation:CreateStack', `arn:aws:cloudformation:${R}:${A}:stack/my-cool-prefix-dev/${UUID}`],
  ['cloudformation:UpdateStack', `arn:aws:cloudformation:${R}:${A}:stack/my-cool-prefix-dev/${UUID}`],
  ['cloudformation:DeleteStack', `arn:aws:cloudformation:${R}:${A}:stack/my-cool-prefix-dev-ApiGateway-1ABC/${UUID}`],
  ['cloudformation:DescribeStackEvents', `arn:aws:cloudformation:${R}:${A}:stack/my-cool-prefix-dev/${UUID}`],
  ['cloudformation:DescribeStacks', '*'],
  ['iam:CreateRole', `arn:aws:iam::${A}:role/my-cool-prefix-dev-IamRole-1XYZ`],
  ['iam:GetRole', `arn:aws:iam::${A}:role/my-cool-prefix-dev-IamRole-1XYZ`],
  ['iam:GetRolePolicy', `arn:aws:iam::${A}:role/my-cool-prefix-dev-IamRole-1XYZ`],
  ['iam:PassRole', `arn:aws:iam::${A}:role/my-cool-prefix-dev-IamRole-1XYZ`, { 'iam:PassedToService': 'lambda.amazonaws.com' }],
  ['lambda:CreateFunction', `arn:aws:lambda:${R}:${A}:function:my-cool-prefix-dev-controller`],
  ['lambda:GetFunctionConfiguration', `arn:aws:lambda:${R}:${A}:function:my-cool-prefix-dev-controller`],
  ['lambda:InvokeFunction', `arn:aws:lambda:${R}:${A}:function:my-cool-prefix-dev-jets-preheat_job-warm`],
  ['lambda:PublishLayerVersion', `arn:aws:lambda:${R}:${A}:layer:dev-my-cool-prefix-gems`],
  ['lambda:GetLayerVersion', `arn:aws:lambda:${R}:${A}:layer:prod-my-cool-prefix-gems:3`],
  ['lambda:DeleteLayerVersion', `arn:aws:lambda:${R}:${A}:layer:dev-my-cool-prefix-gems:2`],
  ['s3:CreateBucket', 'arn:aws:s3:::my-cool-prefix-dev-s3bucket-1abc'],
  ['s3:PutObject', 'arn:aws:s3:::my-cool-prefix-dev-s3bucket-1abc/jets/code/code-abc.zip'],
  ['s3:ListBucket', 'arn:aws:s3:::my-cool-prefix-dev-s3bucket-1abc'],
  ['s3:DeleteBucket', 'arn:aws:s3:::my-cool-prefix-dev-s3bucket-1abc'], // the seed's s3:Delete*
  ['apigateway:POST', `arn:aws:apigateway:${R}::/restapis`],
  ['logs:DescribeLogGroups', '*'],
  ['logs:DeleteLogGroup', `arn:aws:logs:${R}:${A}:log-group:/aws/lambda/my-cool-prefix-dev-controller`],
  // (The `:*` form of a log group ARN cannot be simulated: the simulator reads a `*` in a request as a
  // wildcard. jets-deploy-policy.test.ts checks that form against the patterns literally.)
  ['events:PutRule', `arn:aws:events:${R}:${A}:rule/my-cool-prefix-dev-HardJob-1ABC`],
  ['events:PutTargets', `arn:aws:events:${R}:${A}:rule/my-cool-prefix-dev-HardJob-1ABC`],
];

// The nearest requests it must not make: another project's resources, another service, other IAM.
const DENIED: readonly Case[] = [
  ['cloudformation:CreateStack', `arn:aws:cloudformation:${R}:${A}:stack/other-prefix-dev/${UUID}`],
  ['cloudformation:UpdateStack', `arn:aws:cloudformation:${R}:${A}:stack/my-cool-prefixdev/${UUID}`], // no hyphen: another project
  ['cloudformation:ExecuteChangeSet', `arn:aws:cloudformation:${R}:${A}:stack/my-cool-prefix-dev/${UUID}`],
  ['iam:CreateRole', `arn:aws:iam::${A}:role/other-prefix-dev-IamRole`],
  ['iam:PassRole', `arn:aws:iam::${A}:role/other-prefix-dev-IamRole`, { 'iam:PassedToService': 'lambda.amazonaws.com' }],
  ['iam:CreateUser', `arn:aws:iam::${A}:user/my-cool-prefix-dev`],
  ['iam:AttachRolePolicy', `arn:aws:iam::${A}:role/my-cool-prefix-dev-IamRole-1XYZ`],
  ['iam:PutGroupPolicy', `arn:aws:iam::${A}:group/Jets`],
  ['lambda:CreateFunction', `arn:aws:lambda:${R}:${A}:function:other-prefix-dev-controller`],
  ['lambda:UpdateFunctionCode', `arn:aws:lambda:${R}:${A}:function:my-cool-prefix-dev-controller`],
  ['lambda:PublishLayerVersion', `arn:aws:lambda:${R}:${A}:layer:staging-my-cool-prefix-gems`], // only dev- and prod- layers
  ['lambda:PublishLayerVersion', `arn:aws:lambda:${R}:${A}:layer:dev-other-prefix-gems`],
  ['s3:PutObject', 'arn:aws:s3:::other-prefix-dev-s3bucket/jets/code.zip'],
  ['s3:CreateBucket', 'arn:aws:s3:::other-prefix-dev-s3bucket'],
  ['s3:ListAllMyBuckets', '*'],
  ['logs:DeleteLogGroup', `arn:aws:logs:${R}:${A}:log-group:/aws/lambda/other-prefix-dev-controller`],
  ['logs:DeleteLogGroup', `arn:aws:logs:${R}:${A}:log-group:/other/my-cool-prefix-dev`],
  ['logs:CreateLogGroup', `arn:aws:logs:${R}:${A}:log-group:/aws/lambda/my-cool-prefix-dev-controller`],
  ['events:PutRule', `arn:aws:events:${R}:${A}:rule/other-prefix-dev-HardJob`],
  ['dynamodb:DeleteTable', `arn:aws:dynamodb:${R}:${A}:table/my-cool-prefix-dev-table`],
  ['route53:ChangeResourceRecordSets', 'arn:aws:route53:::hostedzone/Z123'],
  ['ec2:RunInstances', `arn:aws:ec2:${R}:${A}:instance/*`],
];

/** The cases with their context filled in, as `it.each` wants a row of one type. */
function rows(cases: readonly Case[]): Array<[string, string, Record<string, string>]> {
  return cases.map(([action, resource, context]) => [action, resource, context ?? {}]);
}

describe('jets-deploy policy, simulated', () => {
  it.each(rows(ALLOWED))('allows %s on %s', async (action, resource, context) => {
    expect(await isAllowed(policy, { action, resource, context })).toBe(true);
  });

  it.each(rows(DENIED))('denies %s on %s', async (action, resource, context) => {
    expect(await isAllowed(policy, { action, resource, context })).toBe(false);
  });
});

describe('the fixes, simulated against the seed as published', () => {
  it.each([`arn:aws:logs:${R}:${A}:log-group:/aws/lambda/my-cool-prefix-dev-controller`, `arn:aws:logs:${R}:${A}:log-group:/aws/lambda/my-cool-prefix-dev-jets-preheat_job-warm`])(
    'fix: log group ARN: the seed denies logs:DeleteLogGroup on %s, the fixed policy allows it',
    async (resource) => {
      expect(await isAllowed(seed, { action: 'logs:DeleteLogGroup', resource, context: {} })).toBe(false);
      expect(await isAllowed(policy, { action: 'logs:DeleteLogGroup', resource, context: {} })).toBe(true);
    },
  );

  it('fix: s3:Describe*: the seed grants no Describe action on the buckets it names, so removing it loses nothing', async () => {
    const job = `arn:aws:s3:${R}:${A}:job/my-cool-prefix-job`;
    expect(await isAllowed(seed, { action: 's3:DescribeJob', resource: job, context: {} })).toBe(false);
    expect(await isAllowed(policy, { action: 's3:DescribeJob', resource: job, context: {} })).toBe(false);
  });

  it('everything else the seed allows, the fixed policy allows', async () => {
    for (const [action, resource, context = {}] of ALLOWED.filter(([a]) => a !== 'logs:DeleteLogGroup')) {
      expect([action, resource, await isAllowed(seed, { action, resource, context })]).toEqual([action, resource, true]);
    }
    for (const [action, resource, context = {}] of DENIED) {
      expect([action, resource, await isAllowed(seed, { action, resource, context })]).toEqual([action, resource, false]);
    }
  });
});

describe('with passRoleToServices: iam:PassRole only to the services listed', () => {
  const scoped = jetsDeployPolicy({ prefix: 'my-cool-prefix', passRoleToServices: ['lambda.amazonaws.com'] });
  const role = `arn:aws:iam::${A}:role/my-cool-prefix-dev-IamRole-1XYZ`;

  it('allows passing a project role to Lambda, denies passing it to EC2', async () => {
    expect(await isAllowed(scoped, { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe(true);
    expect(await isAllowed(scoped, { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe(false);
    // The seed's (default) policy passes it to any service.
    expect(await isAllowed(policy, { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe(true);
  });
});
