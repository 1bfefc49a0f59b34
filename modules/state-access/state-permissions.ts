/**
 * Least-privilege access to Terraform state in S3: the permissions-policy of
 * george-richardson/terraform-aws-state-access-role, as a pure function.
 *
 * Which AWS calls each terraform command makes, and why each grant below exists, is written out in the
 * README's "What each statement is for"; where this differs from the seed module, in "How this differs".
 */
import { parseArn } from '../core/arn';
import { type PolicyDocument, policyDocument, sortedDistinct, type StatementProps } from '../core/policy-document';
import { all, any, arn, isSet, isTrue, many, nonEmpty, not, one, type StatementRow, type StatementTable, tableStatements } from '../private/policy-statements';
import { type AcknowledgeableFinding, type Finding, throwIfAny } from '../core/policy-error';
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import { type PolicyDestination, validatePolicy } from '../core/validate-policy';
import { DEFAULT_WORKSPACE_KEY_PREFIX, inputFindings, type NormalizedGrant, normalizeGrant, statePaths } from './private/grants';

/** One backend configuration the principal may use: the backend's `key` and workspace settings. */
export interface StateAccessGrant {
  /** The backend's `key`: the state object's path in the bucket. May hold `*` and `?`. */
  readonly key: string;
  /**
   * The backend's `workspace_key_prefix`. May hold `*` and `?`.
   * @default 'env:'
   */
  readonly workspaceKeyPrefix?: string;
  /**
   * Named workspaces the grant covers. May hold `*` and `?`; `[]` for none.
   * @default ['*']
   */
  readonly workspaces?: readonly string[];
  /**
   * Whether the grant covers the default workspace (the object at `key` itself).
   * @default true
   */
  readonly allowDefaultWorkspace?: boolean;
}

export interface StatePermissionsProps {
  /** ARN of the S3 bucket that holds the state, e.g. `arn:aws:s3:::my-state-bucket`. */
  readonly stateBucketArn: string;
  /**
   * ARN of the DynamoDB lock table (the backend's `dynamodb_table`).
   * @default - no DynamoDB permissions
   */
  readonly lockTableArn?: string;
  /**
   * ARN of the KMS key the state objects are encrypted with (the backend's `kms_key_id`, or the bucket's
   * default key). A key ARN, never an alias ARN.
   * @default - no KMS permissions for S3
   */
  readonly stateBucketKmsKeyArn?: string;
  /**
   * ARN of the KMS key the lock table is encrypted with, when it is a customer managed key.
   * @default - no KMS permissions for DynamoDB
   */
  readonly lockTableKmsKeyArn?: string;
  /**
   * Allow listing the whole bucket instead of only the prefixes terraform lists. Makes the policy smaller.
   * @default false
   */
  readonly allowFullBucketList?: boolean;
  /**
   * Configurations that may be applied: read, write and lock state.
   * @default []
   */
  readonly canApply?: readonly StateAccessGrant[];
  /**
   * Configurations that may be planned: read and lock state, never write it.
   * @default []
   */
  readonly canPlan?: readonly StateAccessGrant[];
  /**
   * Configurations that may be read (`terraform_remote_state`, `state pull`): no locks, no writes.
   * @default []
   */
  readonly canRead?: readonly StateAccessGrant[];
  /**
   * Let `canApply` grants create their named workspaces (`terraform workspace new`): S3 answers 403
   * instead of 404 for a missing object unless `s3:ListBucket` matches its key.
   * @default true
   */
  readonly listNewWorkspaces?: boolean;
  /**
   * The backend uses S3 native locking (`use_lockfile = true`, Terraform 1.10+): grant the `.tflock`
   * objects of apply and plan grants.
   * @default false
   */
  readonly useLockfile?: boolean;
  /**
   * The largest policy, in characters of minified JSON, to return. A construct that writes the policy into
   * one resource takes it only at or below that resource's limit (AWS refuses a larger policy at apply).
   * @default - the limit of where the policy goes: 10,240 for `statePermissionsPolicy` (the largest any
   * identity policy may be), 6,144 for a managed policy
   */
  readonly maxPolicySize?: number;
}

/** The Sids, in the order the statements appear. */
export const STATE_POLICY_SIDS = ['S3List', 'S3Read', 'S3Write', 'S3Lock', 'S3Unlock', 'S3Encrypt', 'S3Decrypt', 'DynamoWrite', 'DynamoEncrypt'] as const;

/**
 * The least-privilege policy for the given grants. Throws a `PolicyValidationError` naming each bad
 * input, or a policy over `maxPolicySize`.
 */
export function statePermissionsPolicy(props: StatePermissionsProps): PolicyDocument {
  return renderStatePolicy(props, {
    context: 'statePermissionsPolicy',
    kind: 'identity',
    sizeFix: 'set allowFullBucketList to drop the s3:prefix list, cover keys with fewer wildcard patterns, or split the grants across principals',
  });
}

/**
 * A `maxPolicySize` above what AWS takes where the policy goes. A construct that writes the policy into one
 * resource (a managed policy, a role's inline policy) passes no `sizeLimit`: raising the limit there would
 * write a policy AWS refuses at apply (IAM and STS quotas). Only a destination that is no resource
 * ('identity', for the pure function's caller to use as it likes) or that fits the document itself (a
 * `sizeLimit`, as `CiPolicy` with `maxPolicies`) may go above it.
 */
function maxPolicySizeFindings(props: StatePermissionsProps, destination: PolicyDestination): Finding[] {
  const { limit, appliesTo } = POLICY_SIZE_LIMITS[destination.kind];
  if (props.maxPolicySize === undefined || destination.sizeLimit !== undefined || destination.kind === 'identity' || props.maxPolicySize <= limit) return [];
  return [
    {
      field: 'maxPolicySize',
      value: props.maxPolicySize,
      problem: `over the ${limit} characters AWS allows ${appliesTo}: the policy would be refused at apply`,
      fix: `lower it to ${limit} or less, or leave it out`,
    },
  ];
}

/**
 * The state policy for `props`, validated for `destination`. Constructs call this with their own. Its size
 * is checked against `props.maxPolicySize` when the caller set one, else the destination's `sizeLimit`.
 */
/**
 * What the state policy's own checks accept, and a role that carries it must accept too. DynamoWrite's
 * ForAllValues:StringLike on dynamodb:LeadingKeys has no Null guard, as in the seed: the item operations it
 * allows (GetItem, PutItem, DeleteItem) always name the item's partition key, so the key is never absent
 * (DynamoDB developer guide, "Using IAM policy conditions for fine-grained access control", which writes the
 * same condition without a guard).
 */
export const STATE_POLICY_ACKNOWLEDGED: readonly AcknowledgeableFinding[] = ['FOR_ALL_VALUES_UNGUARDED'];

export function renderStatePolicy(props: StatePermissionsProps, destination: PolicyDestination): PolicyDocument {
  throwIfAny(destination.context, [...inputFindings(props), ...maxPolicySizeFindings(props, destination)]);
  const doc = policyDocument({ statements: stateStatements(props) });
  validatePolicy(doc, destination.context, {
    kind: destination.kind,
    sizeLimit: props.maxPolicySize ?? destination.sizeLimit ?? POLICY_SIZE_LIMITS[destination.kind].limit,
    sizeFix: destination.sizeFix,
    acknowledge: STATE_POLICY_ACKNOWLEDGED,
  });
  return doc;
}

/**
 * The values the statements read: the props, and the state paths of the grants (`statePathIndex`): paths
 * read only (`readPaths`), written (`writePaths`), locked (`lockingPaths`), their `.tflock` objects
 * (`lockFiles`, with `useLockfile`), the lock items' IDs (`lockItemIds`) and the `s3:prefix` values
 * (`listPrefixes`). The Terraform module computes the paths with its own expressions.
 */
export type StatePolicyValue =
  | 'stateBucketArn'
  | 'allowFullBucketList'
  | 'listPrefixes'
  | 'readPaths'
  | 'writePaths'
  | 'lockingPaths'
  | 'lockFiles'
  | 'lockItemIds'
  | 'stateBucketKmsKeyArn'
  | 'lockTableArn'
  | 'lockTableKmsKeyArn';

const LIST_BUCKET: StatementRow<StatePolicyValue> = { sid: 'S3List', actions: ['s3:ListBucket'], resources: [one('stateBucketArn')] };
/** S3 asks KMS for data keys on the caller's behalf only through S3. */
const VIA_S3 = { test: 'StringLike', variable: 'kms:ViaService', values: ['s3.*.amazonaws.com'] };
const BUCKET = one('stateBucketArn');
const LOCK_FILES = [arn`${BUCKET}/${many('lockFiles')}`];
const LOCKS_IN_TABLE = all<StatePolicyValue>(isSet('lockTableArn'), nonEmpty('lockingPaths'));

/**
 * The statements, written once: `statePermissionsPolicy` renders them with the props' values, the Terraform
 * module (terraform-permissions-policy.ts) with its variables and locals.
 */
export const STATE_POLICY_STATEMENTS: StatementTable<StatePolicyValue> = [
  { ...LIST_BUCKET, name: 's3_list', when: isTrue('allowFullBucketList') },
  {
    ...LIST_BUCKET,
    name: 's3_list_prefixes',
    when: not(isTrue('allowFullBucketList')),
    conditions: [{ test: 'StringLike', variable: 's3:prefix', values: [many('listPrefixes')] }],
  },
  { sid: 'S3Read', actions: ['s3:GetObject'], resources: [arn`${BUCKET}/${many('readPaths')}`], when: nonEmpty('readPaths') },
  { sid: 'S3Write', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [arn`${BUCKET}/${many('writePaths')}`], when: nonEmpty('writePaths') },
  // Terraform takes the lock with PutObject and If-None-Match: * (client.go, lockWithFile), so the
  // grant is create-only: a plan can take a free lock but never overwrite one somebody else holds.
  {
    sid: 'S3Lock',
    actions: ['s3:PutObject'],
    resources: LOCK_FILES,
    conditions: [{ test: 'StringEquals', variable: 's3:if-none-match', values: ['*'] }],
    when: nonEmpty('lockFiles'),
  },
  // Reading the lock back (to compare its ID, or to show the holder) and deleting it on unlock.
  { sid: 'S3Unlock', actions: ['s3:GetObject', 's3:DeleteObject'], resources: LOCK_FILES, when: nonEmpty('lockFiles') },
  // S3 asks KMS for a data key to encrypt each object it writes, and to decrypt each it reads; it never
  // calls kms:Encrypt (S3 user guide, UsingKMSEncryption.html). Plans write only the lock object.
  {
    sid: 'S3Encrypt',
    actions: ['kms:GenerateDataKey'],
    resources: [one('stateBucketKmsKeyArn')],
    conditions: [VIA_S3],
    when: all(isSet('stateBucketKmsKeyArn'), any(nonEmpty('writePaths'), nonEmpty('lockFiles'))),
  },
  { sid: 'S3Decrypt', actions: ['kms:Decrypt'], resources: [one('stateBucketKmsKeyArn')], conditions: [VIA_S3], when: isSet('stateBucketKmsKeyArn') },
  {
    sid: 'DynamoWrite',
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
    resources: [one('lockTableArn')],
    // The lock item's LockID is <bucket>/<path>; its digest item's is the same with -md5 (client.go).
    conditions: [{ test: 'ForAllValues:StringLike', variable: 'dynamodb:LeadingKeys', values: [many('lockItemIds')] }],
    when: LOCKS_IN_TABLE,
  },
  // DynamoDB decrypts the table key with the caller's permissions when the caller accesses the table;
  // it generates the table key as itself, at creation ("DynamoDB encryption at rest: how it works").
  {
    sid: 'DynamoEncrypt',
    actions: ['kms:Decrypt'],
    resources: [one('lockTableKmsKeyArn')],
    conditions: [{ test: 'StringLike', variable: 'kms:ViaService', values: ['dynamodb.*.amazonaws.com'] }],
    when: all(LOCKS_IN_TABLE, isSet('lockTableKmsKeyArn')),
  },
];

function stateStatements(props: StatePermissionsProps): StatementProps[] {
  const apply = (props.canApply ?? []).map(normalizeGrant);
  const plan = (props.canPlan ?? []).map(normalizeGrant);
  const read = (props.canRead ?? []).map(normalizeGrant);
  const paths = statePathIndex(apply, plan, read);
  const bucketName = parseArn(props.stateBucketArn)!.resource;
  return tableStatements(STATE_POLICY_STATEMENTS, {
    stateBucketArn: props.stateBucketArn,
    allowFullBucketList: props.allowFullBucketList === true,
    listPrefixes: props.allowFullBucketList ? [] : listPrefixes([...apply, ...plan, ...read], props.listNewWorkspaces === false ? [] : paths.newWorkspacePaths),
    readPaths: paths.reading,
    writePaths: paths.writing,
    lockingPaths: paths.locking,
    lockFiles: props.useLockfile ? paths.locking.map((path) => `${path}.tflock`) : [],
    // The locking paths are sorted and distinct, and prefixing each with the bucket keeps them so.
    lockItemIds: props.lockTableArn === undefined ? [] : withDigestItems(paths.locking.map((path) => `${bucketName}/${path}`)),
    stateBucketKmsKeyArn: props.stateBucketKmsKeyArn,
    lockTableArn: props.lockTableArn,
    lockTableKmsKeyArn: props.lockTableKmsKeyArn,
  });
}

/** Each lock ID followed by its digest item's (`<id>-md5`). */
function withDigestItems(lockIds: readonly string[]): string[] {
  const values: string[] = [];
  for (const id of lockIds) values.push(id, `${id}-md5`);
  return values;
}

/** The state paths of the grants, sorted and distinct, split by which kinds of grant cover them. */
interface StatePathIndex {
  /** Paths of apply and plan grants: the ones that take locks. */
  readonly locking: string[];
  /** Paths of plan and read grants: read only. */
  readonly reading: string[];
  /** Paths of apply grants. */
  readonly writing: string[];
  /** Named-workspace paths of apply grants, unsorted: `workspace new` may create them. */
  readonly newWorkspacePaths: string[];
}

/**
 * With thousands of grants, building and sorting path strings is most of the work, so each path is built
 * once, each kind's paths sorted once, and the unions taken by merging sorted lists (no hashing).
 */
function statePathIndex(apply: NormalizedGrant[], plan: NormalizedGrant[], read: NormalizedGrant[]): StatePathIndex {
  const newWorkspacePaths: string[] = [];
  const pathsOf = (grants: NormalizedGrant[], named?: string[]) => {
    const all: string[] = [];
    for (const grant of grants) {
      const paths = statePaths(grant); // the default workspace's path first, when it has one
      for (let i = 0; i < paths.length; i++) {
        all.push(paths[i]);
        if (named !== undefined && (i > 0 || !grant.allowDefaultWorkspace)) named.push(paths[i]);
      }
    }
    return sortedDistinct(all);
  };
  const writing = pathsOf(apply, newWorkspacePaths);
  const planned = pathsOf(plan);
  const readOnly = pathsOf(read);
  return { locking: mergeSorted(writing, planned), reading: mergeSorted(planned, readOnly), writing, newWorkspacePaths };
}

/** The sorted, distinct union of two sorted, distinct lists. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  const merged: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) merged.push(a[i++]);
    else if (b[j] < a[i]) merged.push(b[j++]);
    else {
      merged.push(a[i++]);
      j++;
    }
  }
  while (i < a.length) merged.push(a[i++]);
  while (j < b.length) merged.push(b[j++]);
  return merged;
}

/** The `s3:prefix` values terraform's requests carry, for the grants given. */
function listPrefixes(grants: NormalizedGrant[], newWorkspacePaths: string[]): string[] {
  const prefixes: string[] = [];
  const listed = new Set<string>();
  for (const grant of grants) {
    // A missing state object answers 404 (not 403) only when ListBucket matches its key: init of a new state.
    if (grant.allowDefaultWorkspace) prefixes.push(grant.key);
    // Every command lists <prefix>/ (Backend.Workspaces); a denial is tolerated only for the default prefix.
    if ((grant.workspaces.length > 0 || grant.workspaceKeyPrefix !== DEFAULT_WORKSPACE_KEY_PREFIX) && !listed.has(grant.workspaceKeyPrefix)) {
      listed.add(grant.workspaceKeyPrefix);
      prefixes.push(`${grant.workspaceKeyPrefix}/`);
    }
  }
  // `workspace new` reads the new workspace's state before writing it: that HEAD must answer 404.
  return sortedDistinct([...prefixes, ...newWorkspacePaths]);
}
