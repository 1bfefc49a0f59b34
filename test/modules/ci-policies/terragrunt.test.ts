import { listOf, PolicyValidationError } from '../../../modules/core';
import { terragruntPolicy } from '../../../modules/ci-policies/terragrunt';
import { isAllowed } from '../../support/simulator';

const BUCKET = 'arn:aws:s3:::tg-state';
const TABLE = 'arn:aws:dynamodb:eu-west-1:123456789012:table/tg-locks';
const base = { stateBucketArns: [BUCKET], lockTableArns: [TABLE] };

const allowed = (policy: ReturnType<typeof terragruntPolicy>, action: string, resource: string) => isAllowed(policy, { action, resource, context: {} });

describe('terragruntPolicy', () => {
  it('checks the named buckets and tables only; no state, lock-item or identity grants', () => {
    const doc = terragruntPolicy(base);
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['CheckStateBucket', 'CheckLockTable']);
    const actions = doc.Statement.flatMap((s) => listOf(s.Action!));
    expect(actions).not.toContain('sts:GetCallerIdentity'); // needs no permission (STS API reference)
    expect(actions.filter((a) => a.startsWith('dynamodb:') && a.endsWith('Item'))).toEqual([]);
  });

  it('without a lock table: no DynamoDB permission', () => {
    expect(JSON.stringify(terragruntPolicy({ stateBucketArns: [BUCKET] }))).not.toContain('dynamodb');
  });

  it('bootstrap is opt-in: creating and configuring buckets and tables', async () => {
    const checkOnly = terragruntPolicy(base);
    const bootstrap = terragruntPolicy({ ...base, allowBootstrap: true });
    for (const [action, resource] of [
      ['s3:CreateBucket', BUCKET],
      ['s3:PutBucketVersioning', BUCKET],
      ['s3:PutEncryptionConfiguration', BUCKET],
      ['s3:PutBucketPublicAccessBlock', BUCKET],
      ['s3:PutBucketPolicy', BUCKET],
      ['dynamodb:CreateTable', TABLE],
      ['dynamodb:UpdateTable', TABLE],
    ]) {
      expect([action, await allowed(checkOnly, action, resource)]).toEqual([action, false]);
      expect([action, await allowed(bootstrap, action, resource)]).toEqual([action, true]);
    }
  });

  it('allows the checks Terragrunt makes on an existing bucket and table', async () => {
    const doc = terragruntPolicy(base);
    for (const action of ['s3:ListBucket', 's3:GetBucketVersioning', 's3:GetEncryptionConfiguration', 's3:GetBucketPublicAccessBlock', 's3:GetBucketPolicy']) {
      expect([action, await allowed(doc, action, BUCKET)]).toEqual([action, true]);
    }
    expect(await allowed(doc, 'dynamodb:DescribeTable', TABLE)).toBe(true);
  });

  it('denies the nearest requests it must not make: other buckets and tables, deleting, writing state', async () => {
    const doc = terragruntPolicy({ ...base, allowBootstrap: true });
    const denied: Array<[string, string]> = [
      ['s3:CreateBucket', 'arn:aws:s3:::other-bucket'],
      ['s3:DeleteBucket', BUCKET],
      ['s3:PutBucketAcl', BUCKET],
      ['s3:PutObject', `${BUCKET}/terraform.tfstate`],
      ['dynamodb:DeleteTable', TABLE],
      ['dynamodb:CreateTable', 'arn:aws:dynamodb:eu-west-1:123456789012:table/other'],
      ['dynamodb:PutItem', TABLE],
      ['iam:ListAccountAliases', '*'],
    ];
    for (const [action, resource] of denied) expect([action, resource, await allowed(doc, action, resource)]).toEqual([action, resource, false]);
    expect(await allowed(terragruntPolicy({ ...base, allowAccountAlias: true }), 'iam:ListAccountAliases', '*')).toBe(true);
  });

  it.each([
    ['an empty bucket list', { stateBucketArns: [] }, 'stateBucketArns'],
    ['an object ARN for a bucket', { stateBucketArns: [`${BUCKET}/key`] }, 'stateBucketArns[0]'],
    ['a wildcard bucket', { stateBucketArns: ['arn:aws:s3:::tg-*'] }, 'stateBucketArns[0]'],
    ['a table ARN that is not a table', { stateBucketArns: [BUCKET], lockTableArns: [BUCKET] }, 'lockTableArns[0]'],
    ['a bucket listed twice', { stateBucketArns: [BUCKET, BUCKET] }, 'stateBucketArns[1]'],
  ])('rejects %s, naming the field', (_, props, field) => {
    expect(() => terragruntPolicy(props)).toThrow(PolicyValidationError);
    expect(() => terragruntPolicy(props)).toThrow(new RegExp(`^terragruntPolicy: 1 problem\\n- ${field.replace(/[[\]]/g, '\\$&')}: `));
  });
});
