import { listOf, type PolicyDocument, type PolicyStatement } from '../../../modules/core';
import { policyFindings } from '../../../modules/core/validate-policy';
import { statePermissionsPolicy, type StatePermissionsProps } from '../../../modules/state-access';
import { SEED_MULTI, SEED_SIMPLE, seedPolicyText } from '../../fixtures/state-access/seed-examples';

const BUCKET = 'arn:aws:s3:::my-state-bucket';
const TABLE = 'arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table';
const BUCKET_KEY = 'arn:aws:kms:eu-west-1:123456123456:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TABLE_KEY = 'arn:aws:kms:eu-west-1:123456123456:key/mrk-1234567890abcdef1234567890abcdef';

function statement(doc: PolicyDocument, sid: string): PolicyStatement | undefined {
  return doc.Statement.find((s) => s.Sid === sid);
}

function sids(doc: PolicyDocument): string[] {
  return doc.Statement.map((s) => s.Sid!);
}

function listPrefixes(doc: PolicyDocument): string[] {
  return listOf(statement(doc, 'S3List')!.Condition!.StringLike['s3:prefix']);
}

function actionsOf(doc: PolicyDocument): string[] {
  return doc.Statement.flatMap((s) => listOf(s.Action ?? []));
}

describe('seed parity (golden): JSON.stringify equals the seed README output byte for byte', () => {
  it('example 1: apply on terraform.tfstate in every workspace', () => {
    expect(JSON.stringify(statePermissionsPolicy({ ...SEED_SIMPLE, listNewWorkspaces: false }))).toBe(seedPolicyText('seed-simple'));
  });

  it('example 2: apply, plan and read across projects and workspaces', () => {
    expect(JSON.stringify(statePermissionsPolicy({ ...SEED_MULTI, listNewWorkspaces: false }))).toBe(seedPolicyText('seed-multi'));
  });

  it('by default, the same inputs give the seed policy plus the new-workspace prefixes', () => {
    const simple = statePermissionsPolicy(SEED_SIMPLE);
    expect(listPrefixes(simple)).toEqual(['env:/', 'env:/*/terraform.tfstate', 'terraform.tfstate']);
    const multi = statePermissionsPolicy(SEED_MULTI);
    expect(listPrefixes(multi)).toEqual(['applications/my-app/', 'applications/my-app/dev/terraform.tfstate', 'infra/network/', 'sandbox/*', 'terraform.tfstate']);
    // Everything but the S3List condition is the seed's.
    const seed = JSON.parse(seedPolicyText('seed-multi')) as PolicyDocument;
    expect(multi.Statement.slice(1)).toEqual(seed.Statement.slice(1));
  });

  it('is deterministic: same input, same bytes; grant order does not matter', () => {
    const once = JSON.stringify(statePermissionsPolicy(SEED_MULTI));
    expect(JSON.stringify(statePermissionsPolicy(SEED_MULTI))).toBe(once);
    const shuffled: StatePermissionsProps = {
      ...SEED_MULTI,
      canApply: [...SEED_MULTI.canApply!].reverse(),
      canPlan: [{ ...SEED_MULTI.canPlan![0], workspaces: ['staging', 'test'] }],
    };
    expect(JSON.stringify(statePermissionsPolicy(shuffled))).toBe(once);
  });

  it('passes the policy core validation for an identity policy', () => {
    for (const props of [SEED_SIMPLE, SEED_MULTI]) {
      const doc = statePermissionsPolicy({ ...props, stateBucketKmsKeyArn: BUCKET_KEY, lockTableKmsKeyArn: TABLE_KEY, useLockfile: true });
      expect(policyFindings(doc, { kind: 'identity', acknowledge: ['FOR_ALL_VALUES_UNGUARDED'] })).toEqual([]);
    }
  });
});

describe('rule 1: S3List, s3:ListBucket with s3:prefix', () => {
  it('lists the key of a grant only when it allows the default workspace', () => {
    const doc = statePermissionsPolicy({
      stateBucketArn: BUCKET,
      canRead: [
        { key: 'a.tfstate', workspaces: [] },
        { key: 'b.tfstate', workspaces: ['w'], allowDefaultWorkspace: false },
      ],
    });
    expect(listPrefixes(doc)).toEqual(['a.tfstate', 'env:/']);
  });

  it('lists <prefix>/ for a grant with workspaces, or with a prefix other than env: even without workspaces', () => {
    const doc = statePermissionsPolicy({
      stateBucketArn: BUCKET,
      canRead: [
        { key: 'k', workspaces: [] }, // default prefix, no workspaces: terraform tolerates the denied listing
        { key: 'k', workspaceKeyPrefix: 'custom', workspaces: [] }, // a denied listing of custom/ is fatal
      ],
    });
    expect(listPrefixes(doc)).toEqual(['custom/', 'k']);
  });

  it('adds <prefix>/<workspace>/<key> for each workspace of canApply grants only (listNewWorkspaces)', () => {
    const props: StatePermissionsProps = {
      stateBucketArn: BUCKET,
      canApply: [{ key: 'k', workspaceKeyPrefix: 'p', workspaces: ['dev', 'qa'] }],
      canPlan: [{ key: 'k', workspaceKeyPrefix: 'p', workspaces: ['test'] }],
      canRead: [{ key: 'k', workspaceKeyPrefix: 'r', workspaces: ['prod'] }],
    };
    expect(listPrefixes(statePermissionsPolicy(props))).toEqual(['k', 'p/', 'p/dev/k', 'p/qa/k', 'r/']);
    expect(listPrefixes(statePermissionsPolicy({ ...props, listNewWorkspaces: false }))).toEqual(['k', 'p/', 'r/']);
  });

  it('values are sorted and distinct', () => {
    const doc = statePermissionsPolicy({
      stateBucketArn: BUCKET,
      canApply: [{ key: 'z' }, { key: 'a' }, { key: 'z' }],
      listNewWorkspaces: false,
    });
    expect(listPrefixes(doc)).toEqual(['a', 'env:/', 'z']);
  });

  it('has no condition with allowFullBucketList', () => {
    const s3List = statement(statePermissionsPolicy({ ...SEED_MULTI, allowFullBucketList: true }), 'S3List')!;
    expect(s3List).toEqual({ Action: 's3:ListBucket', Effect: 'Allow', Resource: BUCKET, Sid: 'S3List' });
  });
});

describe('rules 2 and 3: S3Read and S3Write', () => {
  it('S3Read grants s3:GetObject on the state paths of canRead and canPlan grants', () => {
    const doc = statePermissionsPolicy({
      stateBucketArn: BUCKET,
      canPlan: [{ key: 'k', workspaces: ['a'], allowDefaultWorkspace: false }],
      canRead: [{ key: 'r', workspaces: [] }],
    });
    expect(statement(doc, 'S3Read')).toEqual({
      Action: 's3:GetObject',
      Effect: 'Allow',
      Resource: [`${BUCKET}/r`, `${BUCKET}/env:/a/k`],
      Sid: 'S3Read',
    });
    expect(statement(doc, 'S3Write')).toBeUndefined();
  });

  it('S3Write grants get, put and delete on the state paths of canApply grants; no S3Read without read or plan', () => {
    const doc = statePermissionsPolicy({ stateBucketArn: BUCKET, canApply: [{ key: 'k', workspaceKeyPrefix: 'p', workspaces: ['x'] }] });
    expect(statement(doc, 'S3Write')).toEqual({
      Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
      Effect: 'Allow',
      Resource: [`${BUCKET}/p/x/k`, `${BUCKET}/k`],
      Sid: 'S3Write',
    });
    expect(statement(doc, 'S3Read')).toBeUndefined();
  });
});

describe('rule 4: KMS, only the actions each service calls', () => {
  const viaS3 = { StringLike: { 'kms:ViaService': 's3.*.amazonaws.com' } };

  it('apply: kms:GenerateDataKey to write (S3Encrypt) and kms:Decrypt to read (S3Decrypt), never kms:Encrypt', () => {
    const doc = statePermissionsPolicy({ ...SEED_SIMPLE, stateBucketKmsKeyArn: BUCKET_KEY });
    expect(statement(doc, 'S3Encrypt')).toEqual({ Action: 'kms:GenerateDataKey', Condition: viaS3, Effect: 'Allow', Resource: BUCKET_KEY, Sid: 'S3Encrypt' });
    expect(statement(doc, 'S3Decrypt')).toEqual({ Action: 'kms:Decrypt', Condition: viaS3, Effect: 'Allow', Resource: BUCKET_KEY, Sid: 'S3Decrypt' });
    expect(actionsOf(doc)).not.toContain('kms:Encrypt');
  });

  it('read and plan only: decrypt, no data keys (nothing is written without a lock file)', () => {
    const doc = statePermissionsPolicy({ stateBucketArn: BUCKET, stateBucketKmsKeyArn: BUCKET_KEY, canPlan: [{ key: 'k' }], canRead: [{ key: 'r' }] });
    expect(statement(doc, 'S3Encrypt')).toBeUndefined();
    expect(statement(doc, 'S3Decrypt')).toBeDefined();
  });

  it('plan with useLockfile: kms:GenerateDataKey too, to write the lock object', () => {
    const doc = statePermissionsPolicy({ stateBucketArn: BUCKET, stateBucketKmsKeyArn: BUCKET_KEY, useLockfile: true, canPlan: [{ key: 'k' }] });
    expect(statement(doc, 'S3Encrypt')!.Action).toBe('kms:GenerateDataKey');
  });

  it('lock table key: DynamoEncrypt grants kms:Decrypt via DynamoDB, only with a lock grant', () => {
    const doc = statePermissionsPolicy({ ...SEED_SIMPLE, lockTableKmsKeyArn: TABLE_KEY });
    expect(statement(doc, 'DynamoEncrypt')).toEqual({
      Action: 'kms:Decrypt',
      Condition: { StringLike: { 'kms:ViaService': 'dynamodb.*.amazonaws.com' } },
      Effect: 'Allow',
      Resource: TABLE_KEY,
      Sid: 'DynamoEncrypt',
    });
    const readOnly = statePermissionsPolicy({ stateBucketArn: BUCKET, lockTableArn: TABLE, lockTableKmsKeyArn: TABLE_KEY, canRead: [{ key: 'k' }] });
    expect(sids(readOnly)).toEqual(['S3List', 'S3Read']);
  });

  it('no KMS statement without a key', () => {
    expect(actionsOf(statePermissionsPolicy(SEED_MULTI)).filter((a) => a.startsWith('kms:'))).toEqual([]);
  });
});

describe('rule 5: DynamoWrite', () => {
  it('LeadingKeys: each sorted, distinct <bucket>/<path> of apply and plan grants, then the same with -md5', () => {
    const doc = statePermissionsPolicy({
      stateBucketArn: BUCKET,
      lockTableArn: TABLE,
      canApply: [{ key: 'b', workspaces: [] }],
      canPlan: [
        { key: 'a', workspaces: [] },
        { key: 'b', workspaces: [] },
      ],
      canRead: [{ key: 'c', workspaces: [] }],
    });
    expect(statement(doc, 'DynamoWrite')).toEqual({
      Action: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'],
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['my-state-bucket/a', 'my-state-bucket/a-md5', 'my-state-bucket/b', 'my-state-bucket/b-md5'] } },
      Effect: 'Allow',
      Resource: TABLE,
      Sid: 'DynamoWrite',
    });
  });

  it('is left out without a lock table, and for read-only grants', () => {
    expect(statement(statePermissionsPolicy({ stateBucketArn: BUCKET, canApply: [{ key: 'k' }] }), 'DynamoWrite')).toBeUndefined();
    expect(statement(statePermissionsPolicy({ stateBucketArn: BUCKET, lockTableArn: TABLE, canRead: [{ key: 'k' }] }), 'DynamoWrite')).toBeUndefined();
  });
});

describe('rule 6: statement order', () => {
  it('S3List, S3Read, S3Write, S3Lock, S3Unlock, S3Encrypt, S3Decrypt, DynamoWrite, DynamoEncrypt', () => {
    const doc = statePermissionsPolicy({ ...SEED_MULTI, stateBucketKmsKeyArn: BUCKET_KEY, lockTableKmsKeyArn: TABLE_KEY, useLockfile: true });
    expect(sids(doc)).toEqual(['S3List', 'S3Read', 'S3Write', 'S3Lock', 'S3Unlock', 'S3Encrypt', 'S3Decrypt', 'DynamoWrite', 'DynamoEncrypt']);
  });

  it('a statement with nothing to grant is left out', () => {
    expect(sids(statePermissionsPolicy({ stateBucketArn: BUCKET, canRead: [{ key: 'k' }] }))).toEqual(['S3List', 'S3Read']);
  });
});

describe('rule 7: useLockfile (S3 native locking, <state path>.tflock)', () => {
  const props: StatePermissionsProps = {
    stateBucketArn: BUCKET,
    useLockfile: true,
    canApply: [{ key: 'app', workspaces: ['dev'] }],
    canPlan: [{ key: 'plan', workspaces: [] }],
    canRead: [{ key: 'read', workspaces: [] }],
  };
  const locks = [`${BUCKET}/plan.tflock`, `${BUCKET}/env:/dev/app.tflock`, `${BUCKET}/app.tflock`];

  it('apply and plan grants may create their lock objects only with If-None-Match: *', () => {
    expect(statement(statePermissionsPolicy(props), 'S3Lock')).toEqual({
      Action: 's3:PutObject',
      Condition: { StringEquals: { 's3:if-none-match': '*' } },
      Effect: 'Allow',
      Resource: locks,
      Sid: 'S3Lock',
    });
  });

  it('and read and delete them to unlock; read grants get no lock rights', () => {
    const doc = statePermissionsPolicy(props);
    expect(statement(doc, 'S3Unlock')).toEqual({ Action: ['s3:GetObject', 's3:DeleteObject'], Effect: 'Allow', Resource: locks, Sid: 'S3Unlock' });
    expect(JSON.stringify(doc)).not.toContain('read.tflock');
  });

  it('works with a lock table at the same time (terraform takes both locks)', () => {
    const doc = statePermissionsPolicy({ ...props, lockTableArn: TABLE });
    expect(sids(doc)).toEqual(['S3List', 'S3Read', 'S3Write', 'S3Lock', 'S3Unlock', 'DynamoWrite']);
  });

  it('grants no lock objects when off', () => {
    expect(JSON.stringify(statePermissionsPolicy({ ...props, useLockfile: false }))).not.toContain('.tflock');
  });

  it('a read-only principal gets no lock statements even with useLockfile', () => {
    const doc = statePermissionsPolicy({ stateBucketArn: BUCKET, useLockfile: true, canRead: [{ key: 'k' }] });
    expect(sids(doc)).toEqual(['S3List', 'S3Read']);
  });
});
