import { PolicyValidationError } from '../../../modules/core';
import { statePermissionsPolicy, type StatePermissionsProps } from '../../../modules/state-access';

const BUCKET = 'arn:aws:s3:::my-state-bucket';
const TABLE = 'arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table';
const KEY = 'arn:aws:kms:eu-west-1:123456123456:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OK: StatePermissionsProps = { stateBucketArn: BUCKET, canApply: [{ key: 'terraform.tfstate' }] };

/** The one finding `props` are rejected for, checking the message names field, value and fix. */
function rejection(props: StatePermissionsProps) {
  let error: unknown;
  try {
    statePermissionsPolicy(props);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PolicyValidationError);
  const { findings, message } = error as PolicyValidationError;
  expect(findings).toHaveLength(1);
  const [finding] = findings;
  expect(message).toContain('statePermissionsPolicy');
  expect(message).toContain(finding.field);
  expect(message).toContain(JSON.stringify(finding.value));
  expect(message).toContain(`Fix: ${finding.fix}`);
  return finding;
}

describe('statePermissionsPolicy rejects bad input with the field, the value and the fix', () => {
  it.each([
    ['a DynamoDB ARN', TABLE],
    ['a bare bucket name', 'my-state-bucket'],
    ['an S3 access point', 'arn:aws:s3:eu-west-1:123456123456:accesspoint/ap'],
  ])('a bucket ARN that is not an S3 bucket ARN: %s', (_, arn) => {
    const f = rejection({ ...OK, stateBucketArn: arn });
    expect(f).toMatchObject({ field: 'stateBucketArn', value: arn, problem: 'not an S3 bucket ARN' });
  });

  it.each([
    ['one character', 'arn:aws:s3:::b', 1],
    ['64 characters', `arn:aws:s3:::${'b'.repeat(64)}`, 64],
  ])('a bucket ARN whose name has %s: says bucket names have 3 to 63, citing the S3 naming rules', (_, arn, length) => {
    const f = rejection({ ...OK, stateBucketArn: arn });
    expect(f.problem).toBe(
      `the bucket name "${arn.slice('arn:aws:s3:::'.length)}" has ${length} character${length === 1 ? '' : 's'}: S3 bucket names have 3 to 63 (S3 user guide, "General purpose bucket naming rules")`,
    );
  });

  it('a bucket ARN with an upper-case name: names the S3 naming rules it breaks', () => {
    const f = rejection({ ...OK, stateBucketArn: 'arn:aws:s3:::My_Bucket' });
    expect(f.problem).toMatch(/^the bucket name "My_Bucket" breaks the S3 bucket naming rules: lower-case letters, digits, dots and hyphens/);
  });

  it('a bucket ARN with a key part: says to pass the bucket alone', () => {
    const f = rejection({ ...OK, stateBucketArn: 'arn:aws:s3:::my-state-bucket/terraform.tfstate' });
    expect(f.problem).toContain('has a key part');
    expect(f.fix).toContain('arn:aws:s3:::my-state-bucket)');
  });

  it('a wildcard bucket: would grant state access in every matching bucket', () => {
    expect(rejection({ ...OK, stateBucketArn: 'arn:aws:s3:::state-*' }).problem).toContain('wildcard');
  });

  it.each([
    ['an S3 ARN', BUCKET],
    ['a stream of the table', `${TABLE}/stream/2024-01-01T00:00:00.000`],
    ['no account', 'arn:aws:dynamodb:eu-west-1::table/my-lock-table'],
    ['no region', 'arn:aws:dynamodb::123456123456:table/my-lock-table'],
    ['a wildcard table', 'arn:aws:dynamodb:eu-west-1:123456123456:table/*'],
  ])('a lock table ARN that is not a DynamoDB table ARN: %s', (_, arn) => {
    expect(rejection({ ...OK, lockTableArn: arn })).toMatchObject({ field: 'lockTableArn', problem: 'not a DynamoDB table ARN' });
  });

  it('a KMS alias ARN: an alias in Resource grants nothing on its key, pass the key ARN', () => {
    const f = rejection({ ...OK, stateBucketKmsKeyArn: 'arn:aws:kms:eu-west-1:123456123456:alias/terraform-state' });
    expect(f.field).toBe('stateBucketKmsKeyArn');
    expect(f.problem).toContain('alias');
    expect(f.fix).toContain('key ARN');
  });

  it.each([
    ['a bucket ARN', BUCKET],
    ['a key id alone', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['a wildcard key', 'arn:aws:kms:eu-west-1:123456123456:key/*'],
  ])('a KMS ARN that is not a KMS key ARN: %s', (_, arn) => {
    expect(rejection({ ...OK, lockTableArn: TABLE, lockTableKmsKeyArn: arn })).toMatchObject({ field: 'lockTableKmsKeyArn', problem: 'not a KMS key ARN' });
  });

  it('a lock table key without a lock table grants nothing', () => {
    expect(rejection({ ...OK, lockTableKmsKeyArn: KEY }).field).toBe('lockTableKmsKeyArn');
  });

  it('an empty key', () => {
    expect(rejection({ ...OK, canPlan: [{ key: '' }] })).toMatchObject({ field: 'canPlan[0].key', value: '', problem: 'the state key is empty' });
  });

  it.each(['/terraform.tfstate', 'app/'])('a key starting or ending with "/": %s', (key) => {
    const f = rejection({ ...OK, canRead: [{ key }] });
    expect(f).toMatchObject({ field: 'canRead[0].key', value: key });
    expect(f.problem).toContain('start or end with "/"');
  });

  it.each(['a//b.tfstate', 'apps/../b.tfstate', './b.tfstate'])('a key that terraform would not use as written (path.Join cleans it, or the backend rejects it): %s', (key) => {
    expect(rejection({ ...OK, canApply: [{ key }] })).toMatchObject({ field: 'canApply[0].key', value: key });
  });

  it.each(['apps//web', 'apps/./web'])('a workspace key prefix that path.Join would rewrite: %s', (workspaceKeyPrefix) => {
    expect(rejection({ ...OK, canApply: [{ key: 'k', workspaceKeyPrefix }] }).fix).toContain('apps/web');
  });

  it.each(['/apps', 'apps/'])('a workspace key prefix starting or ending with "/": %s', (workspaceKeyPrefix) => {
    const f = rejection({ ...OK, canApply: [{ key: 'k', workspaceKeyPrefix }] });
    expect(f).toMatchObject({ field: 'canApply[0].workspaceKeyPrefix', value: workspaceKeyPrefix });
  });

  it('an empty workspace key prefix (terraform would list the whole bucket)', () => {
    expect(rejection({ ...OK, canApply: [{ key: 'k', workspaceKeyPrefix: '' }] }).field).toBe('canApply[0].workspaceKeyPrefix');
  });

  it.each(['', 'team/dev'])('a workspace name that is empty or holds "/": %j', (workspace) => {
    expect(rejection({ ...OK, canApply: [{ key: 'k', workspaces: ['ok', workspace] }] })).toMatchObject({
      field: 'canApply[0].workspaces[1]',
      value: workspace,
    });
  });

  it('an entry that grants no state path (no default workspace and no workspaces)', () => {
    const grant = { key: 'k', workspaces: [], allowDefaultWorkspace: false };
    expect(rejection({ ...OK, canPlan: [grant] })).toMatchObject({ field: 'canPlan[0]', value: grant });
  });

  it('no entries in any of the three lists', () => {
    const f = rejection({ stateBucketArn: BUCKET, canApply: [], canPlan: [], canRead: [] });
    expect(f.field).toBe('canApply, canPlan, canRead');
  });

  it('a policy over 10,240 characters: suggests allowFullBucketList', () => {
    const canApply = Array.from({ length: 80 }, (_, i) => ({ key: `team-${i}/application/terraform.tfstate`, workspaces: [] }));
    const f = rejection({ stateBucketArn: BUCKET, lockTableArn: TABLE, canApply });
    expect(f.field).toBe('(policy size)');
    expect(f.value).toBeGreaterThan(10_240);
    expect(f.problem).toContain('over the 10240 allowed');
    expect(f.fix).toContain('allowFullBucketList');
  });

  it('accepts a larger policy when the caller raises maxPolicySize by name', () => {
    // 100 keys: about 11,000 characters, over the 10,240 of any identity policy.
    const canApply = Array.from({ length: 100 }, (_, i) => ({ key: `team-${i}/application/terraform.tfstate`, workspaces: [] }));
    expect(() => statePermissionsPolicy({ stateBucketArn: BUCKET, canApply })).toThrow(/over the 10240 allowed/);
    expect(JSON.stringify(statePermissionsPolicy({ stateBucketArn: BUCKET, canApply, maxPolicySize: 20_000 })).length).toBeGreaterThan(10_240);
  });

  it('reports every problem at once, not only the first', () => {
    expect(() => statePermissionsPolicy({ stateBucketArn: 'bucket', canApply: [{ key: '' }], canRead: [{ key: '/x' }] })).toThrow(
      /3 problems[\s\S]*stateBucketArn[\s\S]*canApply\[0\]\.key[\s\S]*canRead\[0\]\.key/,
    );
  });
});
