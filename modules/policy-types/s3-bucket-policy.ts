/**
 * S3 bucket policies, as pure functions: the document checked as kind 's3-bucket' (20 KB) and against
 * its bucket. No cdktf import.
 */
import { acceptedIn, acknowledgementFindings, type AcknowledgedFinding } from '../core/acknowledgements';
import { ACCOUNT_ID, ACCOUNT_ROOT_ARN, accountRootArn, iamArn, partitionFindings, pattern, ROLE_ARN } from '../core/iam-identifiers';
import { listOf, type PolicyDocument, type PrincipalMap } from '../core/policy-document';
import { type Acknowledgement, type Finding, throwIfAny } from '../core/policy-error';
import { checkPolicy } from '../core/validate-policy';
import { canonicalInput, type PolicyInput, policyInputFindings } from './document-input';

/** Where a bucket policy is checked. */
export interface BucketPolicyDestination {
  /** A construct path or a function name, named first in every error. */
  readonly context: string;
  /**
   * Findings accepted: by rule id (`SERVICE_PRINCIPAL_UNSCOPED`), or, for who gets in, with a reason:
   * `{ rule: 'ANY_PRINCIPAL', reason: 'public website assets' }`.
   * @default - none
   */
  readonly acknowledge?: readonly Acknowledgement[];
  /**
   * The 12-digit ID of the account the bucket is in: principals of other accounts are `CROSS_ACCOUNT` findings.
   * @default - not known: every principal named by account is a `CROSS_ACCOUNT` finding
   */
  readonly account?: string;
  /**
   * Size limit in bytes.
   * @default - `POLICY_SIZE_LIMITS['s3-bucket'].limit` (20 KB)
   */
  readonly sizeLimit?: number;
}

// General purpose bucket names (S3 user guide, "General purpose bucket naming rules"): 3 to 63
// characters of lowercase letters, digits, dots and hyphens, beginning and ending with a letter or digit.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// An AWS principal in another account: its 12-digit ID, its root (arn:…:iam::<account>:root), or a role
// (arn:…:iam::<account>:role/<path><name>) (IAM user guide, "AWS JSON policy elements: Principal"), as
// core/iam-identifiers.ts writes them; the same ARNs with an account of any number of digits, a mistyped ID.
const DIGITS = pattern`[0-9]+`;
const MISTYPED_ACCOUNT_ARNS = [accountRootArn(DIGITS), iamArn('role', DIGITS)];

/** Findings for a bucket name given to a bucket policy. */
export function bucketNameFindings(field: string, bucket: string): Finding[] {
  if (typeof bucket === 'string' && BUCKET_NAME.test(bucket) && !bucket.includes('..')) return [];
  return [
    {
      field,
      value: bucket,
      problem: 'not an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit',
      fix: 'give the bucket\'s name (not its ARN), e.g. "data-lake-bucket"',
    },
  ];
}

/**
 * Findings for `doc` as the policy of bucket `bucket` beyond what the core checks: every statement has a
 * Principal or NotPrincipal (the core reports that too, as grammar; here it names the bucket policy),
 * every Resource and NotResource is the bucket or its objects (S3 rejects a bucket policy naming any
 * other resource: PutBucketPolicy fails with MalformedPolicy, "Policy has invalid resource"), and every
 * AWS principal is an account ID of 12 digits, an account root ARN or a role ARN.
 */
export function bucketPolicyFindings(doc: PolicyDocument, bucket: string, partition = 'aws'): Finding[] {
  const findings: Finding[] = [];
  const bucketArn = `arn:${partition}:s3:::${bucket}`;
  doc.Statement.forEach((statement, index) => {
    const at = `Statement[${index}]`;
    if (statement.Principal === undefined && statement.NotPrincipal === undefined) {
      findings.push({
        field: `${at}.Principal`,
        value: statement.Sid ?? at,
        problem: 'a bucket policy without a principal: a resource policy says whom it applies to in each statement',
        fix: 'add a Principal, e.g. { AWS: "arn:aws:iam::111111111111:role/application-roles/ApplicationRole" } or { AWS: "111111111111" }',
      });
    }
    for (const field of ['Resource', 'NotResource'] as const) {
      const value = statement[field];
      if (value === undefined) continue;
      listOf(value).forEach((resource, i) => {
        if (resource === bucketArn || resource.startsWith(`${bucketArn}/`)) return;
        findings.push({
          field: `${at}.${field}[${i}]`,
          value: resource,
          problem: `a resource outside its bucket: the policy of ${bucket} may name only ${bucketArn} and ${bucketArn}/<key>`,
          fix: `write ${bucketArn} for the bucket or ${bucketArn}/* (or a key prefix) for its objects; put other resources' grants in their own policies`,
        });
      });
    }
    for (const field of ['Principal', 'NotPrincipal'] as const) {
      const principal: PrincipalMap | undefined = statement[field];
      if (principal === undefined || principal === '*' || principal.AWS === undefined) continue;
      listOf(principal.AWS).forEach((id, i) => findings.push(...awsPrincipalFindings(`${at}.${field}.AWS[${i}]`, id)));
    }
  });
  return findings;
}

function awsPrincipalFindings(field: string, id: string): Finding[] {
  if (id === '*' || ACCOUNT_ID.test(id)) return [];
  if (ACCOUNT_ROOT_ARN.test(id) || ROLE_ARN.test(id)) return [];
  const looksLikeAccount = /^\d+$/.test(id) || MISTYPED_ACCOUNT_ARNS.some((arn) => arn.test(id));
  return [
    {
      field,
      value: id,
      problem: looksLikeAccount ? 'an account ID is exactly 12 digits' : 'not an account ID (12 digits), an account root ARN or a role ARN',
      fix: looksLikeAccount
        ? 'write the account ID in full, leading zeros included, e.g. "011111111111"'
        : 'name the other account as "111111111111" or a role in it as "arn:aws:iam::111111111111:role/<path><name>"',
    },
  ];
}

/**
 * The canonical policy for bucket `bucket`, checked as kind 's3-bucket' and against the bucket. Throws a
 * `PolicyValidationError` naming `destination.context` with every finding.
 */
export function bucketPolicy(input: PolicyInput, bucket: string, destination: BucketPolicyDestination = { context: 'bucketPolicy' }, partition = 'aws'): PolicyDocument {
  const checked = checkBucketPolicy(input, bucket, destination, partition);
  throwIfAny(destination.context, checked.findings);
  return checked.document;
}

/**
 * `bucketPolicy` without throwing for the policy's findings: the document, every finding in force, and
 * those `destination.acknowledge` accepts (which `BucketPolicy` writes next to the resource). Throws for
 * input it cannot build a document from (a bad bucket name, partition or document shape).
 */
export function checkBucketPolicy(
  input: PolicyInput,
  bucket: string,
  destination: BucketPolicyDestination = { context: 'bucketPolicy' },
  partition = 'aws',
): { document: PolicyDocument; findings: Finding[]; acknowledged: AcknowledgedFinding[] } {
  const nameFindings = [
    // Only what the resource checks rely on: the S3 naming rules are the BucketPolicy construct's, so the
    // seed's placeholder names (DOC-EXAMPLE-BUCKET2, upper case) still render here.
    ...(typeof bucket === 'string' && /^[^/*?\s]+$/.test(bucket)
      ? []
      : [{ field: 'bucket', value: bucket, problem: 'a bucket name holds no "/", "*", "?" or white space', fix: 'give the bucket\'s name alone, e.g. "data-lake-bucket"' }]),
    ...partitionFindings('partition', partition),
    ...(destination.account === undefined || ACCOUNT_ID.test(destination.account)
      ? []
      : [{ field: 'account', value: destination.account, problem: 'an account ID is 12 digits', fix: 'write the ID of the account the bucket is in, e.g. "123456123456"' }]),
    ...acknowledgementFindings('acknowledge', destination.acknowledge),
    ...policyInputFindings(input, 'document'),
  ];
  throwIfAny(destination.context, nameFindings);
  const doc = canonicalInput(input);
  const own = bucketPolicyFindings(doc, bucket, partition);
  // The core reports a missing Principal as grammar; ours says it of a bucket policy, so keep one.
  const missing = new Set(own.filter((f) => f.field.endsWith('.Principal')).map((f) => f.field.replace(/\.Principal$/, '')));
  const core = checkPolicy(doc, {
    kind: 's3-bucket',
    ...(destination.acknowledge !== undefined && { acknowledge: destination.acknowledge }),
    ...(destination.account !== undefined && { account: destination.account }),
    ...(destination.sizeLimit !== undefined && { sizeLimit: destination.sizeLimit }),
    sizeFix: 'grant with fewer statements (one per principal set), or move same-account grants into identity policies',
  });
  const findings = core.findings.filter((f) => !(missing.has(f.field) && f.value === 'Principal and NotPrincipal'));
  // Fixes name the props a caller gives: `account` and `acknowledge` (BucketPolicy's, and the destination's).
  const named = acceptedIn([...own, ...findings], { acknowledge: 'acknowledge', account: 'account', resource: 'the bucket', accountGiven: destination.account !== undefined });
  return { document: doc, findings: named, acknowledged: core.acknowledged };
}
