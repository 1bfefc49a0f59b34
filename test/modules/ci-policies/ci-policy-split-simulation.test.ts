/**
 * A CI policy far over the 10,240 characters any one identity policy may hold, split by `maxPolicies` into
 * managed policies of at most 6,144 characters each (IAM quotas page), and evidence from the simulator
 * that the split policies, together the principal's identity policies, allow exactly what the one
 * unsplit document (the reference: the module's pure function, built with no size check) allows, on
 * requests sampled in and around its grants.
 */
import { TerraformRemoteStateS3Policy, terraformRemoteStateS3Policy } from '../../../modules/ci-policies';
import type { PolicyDocument } from '../../../modules/core';
import { isAllowed, isAllowedByPolicies, SIMULATED_ACCOUNT, type SimulatedRequest } from '../../support/simulator';
import { synth } from '../../support/synth';

jest.setTimeout(120_000);

const BUCKET = 'tg-state';
const TABLE = `arn:aws:dynamodb:eu-west-1:${SIMULATED_ACCOUNT}:table/locks`;
const KEY = `arn:aws:kms:eu-west-1:${SIMULATED_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const stateKey = (kind: string, i: number) => `${kind}-${i}/app/terraform.tfstate`;
const grants = (kind: string, count: number) => Array.from({ length: count }, (_, i) => ({ key: stateKey(kind, i), workspaces: [] }));

const props = {
  stateBucketArn: `arn:aws:s3:::${BUCKET}`,
  lockTableArn: TABLE,
  stateBucketKmsKeyArn: KEY,
  useLockfile: true,
  canApply: grants('apply', 40),
  canPlan: grants('plan', 20),
  canRead: grants('read', 40),
};
const reference = terraformRemoteStateS3Policy(props, { context: 'reference', kind: 'managed', sizeLimit: Infinity });

/** The managed policies synthesized, ordered <name>, <name>-2, …, with their documents. */
function splitPolicies(): { name: string; json: string; document: PolicyDocument }[] {
  const out = synth((s) => new TerraformRemoteStateS3Policy(s, 'state', { ...props, maxPolicies: 6, attachToRoles: ['ci'] }));
  const part = (name: string) => Number(/-(\d+)$/.exec(name)?.[1] ?? 1);
  return Object.values(out.resource.aws_iam_policy)
    .map((p) => ({ name: String(p.name), json: String(p.policy), document: JSON.parse(String(p.policy)) as PolicyDocument }))
    .sort((a, b) => part(a.name) - part(b.name));
}

/**
 * Requests a CI job makes on its state and near it: for state paths of every kind of grant (the first, a
 * middle and the last of each) and paths granted to no one, reads, writes and deletes of the state and its
 * lock file (with `If-None-Match: *`, as Terraform creates it), a list of its prefix, the lock table's items
 * for it and its digest, and the KMS calls S3 makes for the state.
 */
function sampledRequests(): SimulatedRequest[] {
  const keys = [
    ...['apply', 'read'].flatMap((kind) => [0, 17, 39].map((i) => stateKey(kind, i))),
    ...[0, 9, 19].map((i) => stateKey('plan', i)),
    stateKey('apply', 40),
    stateKey('plan', 20),
    'other/app/terraform.tfstate',
    'apply-1/app/terraform.tfstate.backup',
  ];
  const requests: SimulatedRequest[] = [];
  for (const key of keys) {
    for (const action of ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']) {
      requests.push({ action, resource: `arn:aws:s3:::${BUCKET}/${key}`, context: {} });
      requests.push({ action, resource: `arn:aws:s3:::${BUCKET}/${key}.tflock`, context: action === 's3:PutObject' ? { 's3:if-none-match': '*' } : {} });
    }
    requests.push({ action: 's3:ListBucket', resource: `arn:aws:s3:::${BUCKET}`, context: { 's3:prefix': key } });
    requests.push({ action: 's3:ListBucket', resource: `arn:aws:s3:::${BUCKET}`, context: { 's3:prefix': key.slice(0, key.indexOf('/') + 1) } });
    for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem']) {
      for (const item of [`${BUCKET}/${key}`, `${BUCKET}/${key}-md5`]) requests.push({ action, resource: TABLE, context: { 'dynamodb:LeadingKeys': [item] } });
    }
  }
  for (const action of ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt']) {
    requests.push({ action, resource: KEY, context: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': SIMULATED_ACCOUNT } });
  }
  return requests;
}

describe('CiPolicy: a policy far over 10,240 characters, split with maxPolicies', () => {
  const policies = splitPolicies();

  it('is split into the fewest managed policies, each within 6,144 characters, together holding its statements in order', () => {
    expect(JSON.stringify(reference).length).toBeGreaterThan(2 * 10_240);
    // Five statements are each over half a policy (3,072 characters): no fewer than five policies hold them.
    expect(policies.map((p) => p.name)).toEqual([
      'terraform-remote-state-s3',
      'terraform-remote-state-s3-2',
      'terraform-remote-state-s3-3',
      'terraform-remote-state-s3-4',
      'terraform-remote-state-s3-5',
    ]);
    for (const p of policies) expect(p.json.length).toBeLessThanOrEqual(6_144);
    expect(policies.flatMap((p) => p.document.Statement)).toEqual(reference.Statement);
  });

  it('the split policies together allow exactly what the unsplit document allows, on every sampled request', async () => {
    const documents = policies.map((p) => p.document);
    const wrong: string[] = [];
    let allowed = 0;
    const requests = sampledRequests();
    for (const request of requests) {
      const expected = await isAllowed(reference, request);
      if (expected) allowed++;
      if ((await isAllowedByPolicies(documents, request)) !== expected) {
        wrong.push(`${expected ? 'denied' : 'allowed'}, the reference ${expected ? 'allows' : 'denies'}: ${request.action} ${request.resource} ${JSON.stringify(request.context)}`);
      }
    }
    expect(wrong).toEqual([]);
    // The sample reaches both sides: requests each split policy's statements allow, and requests none does.
    expect(allowed).toBeGreaterThan(requests.length / 4);
    expect(requests.length - allowed).toBeGreaterThan(requests.length / 4);
    for (const document of documents) {
      let any = false;
      for (const request of requests) if (!any && (await isAllowed(document, request))) any = true;
      expect(any).toBe(true);
    }
  });
});
