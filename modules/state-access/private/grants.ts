/**
 * Input checks and normalisation for the state-access module: every bad input is reported with its
 * field, value and fix before any policy is built.
 */
import { posix } from 'path';
import { arnResourceTypes, parseArn } from '../../core/arn';
import { ACCOUNT_ID } from '../../core/iam-identifiers';
import { shape, shapeFindings } from '../../core/input-shape';
import type { Finding } from '../../core/policy-error';
import type { StateAccessGrant, StatePermissionsProps } from '../state-permissions';

/** The workspace key prefix Terraform's S3 backend uses when none is configured. */
export const DEFAULT_WORKSPACE_KEY_PREFIX = 'env:';

/** A grant with its defaults filled in. */
export interface NormalizedGrant {
  readonly key: string;
  readonly workspaceKeyPrefix: string;
  readonly workspaces: readonly string[];
  readonly allowDefaultWorkspace: boolean;
}

export type GrantList = 'canApply' | 'canPlan' | 'canRead';

export function normalizeGrant(grant: StateAccessGrant): NormalizedGrant {
  return {
    key: grant.key,
    workspaceKeyPrefix: grant.workspaceKeyPrefix ?? DEFAULT_WORKSPACE_KEY_PREFIX,
    workspaces: grant.workspaces ?? ['*'],
    allowDefaultWorkspace: grant.allowDefaultWorkspace ?? true,
  };
}

/**
 * The object keys one grant covers, as Terraform's backend builds them (`Backend.path`): `key` for the
 * default workspace, `<prefix>/<workspace>/<key>` for each named one.
 */
export function statePaths(grant: NormalizedGrant): string[] {
  return [...(grant.allowDefaultWorkspace ? [grant.key] : []), ...grant.workspaces.map((workspace) => `${grant.workspaceKeyPrefix}/${workspace}/${grant.key}`)];
}

const WILDCARD = /[*?]/;

/** Every problem with `props`, as findings naming the field. */
/** The JavaScript types of a grant and of the props, checked before anything reads them. */
const GRANT_SHAPE = shape.object(
  {
    key: shape.string(),
    workspaceKeyPrefix: shape.optional(shape.string()),
    workspaces: shape.optional(shape.list(shape.string())),
    allowDefaultWorkspace: shape.optional(shape.boolean()),
  },
  // Strict: a misspelt field (`workspace` for `workspaces`) would otherwise widen the grant to its default.
  { strict: true, example: "{ key: 'terraform.tfstate' }" },
);
const GRANTS = shape.optional(shape.list(GRANT_SHAPE));
const ARN = shape.optional(shape.string());
/** The fields of `StatePermissionsProps`: with the constructs' own, all those constructs take. */
export const STATE_PERMISSIONS_FIELDS = {
  stateBucketArn: shape.string(),
  lockTableArn: ARN,
  stateBucketKmsKeyArn: ARN,
  lockTableKmsKeyArn: ARN,
  allowFullBucketList: shape.optional(shape.boolean()),
  canApply: GRANTS,
  canPlan: GRANTS,
  canRead: GRANTS,
  listNewWorkspaces: shape.optional(shape.boolean()),
  useLockfile: shape.optional(shape.boolean()),
  maxPolicySize: shape.optional(shape.number()),
};
export const STATE_PERMISSIONS_EXAMPLE = "{ stateBucketArn: 'arn:aws:s3:::my-state-bucket', canApply: [{ key: 'terraform.tfstate' }] }";
const STATE_PERMISSIONS_SHAPE = shape.object(STATE_PERMISSIONS_FIELDS, { example: STATE_PERMISSIONS_EXAMPLE });

export function inputFindings(props: StatePermissionsProps): Finding[] {
  const types = shapeFindings(props, STATE_PERMISSIONS_SHAPE, '');
  if (types.length > 0) return types;
  const findings: Finding[] = [];
  const report = (field: string, value: unknown, problem: string, fix: string) => findings.push({ field, value, problem, fix });

  checkBucketArn(props.stateBucketArn, report);
  if (props.lockTableArn !== undefined) checkTableArn(props.lockTableArn, report);
  if (props.stateBucketKmsKeyArn !== undefined) checkKmsKeyArn('stateBucketKmsKeyArn', props.stateBucketKmsKeyArn, report);
  if (props.lockTableKmsKeyArn !== undefined) {
    checkKmsKeyArn('lockTableKmsKeyArn', props.lockTableKmsKeyArn, report);
    if (props.lockTableArn === undefined) {
      report('lockTableKmsKeyArn', props.lockTableKmsKeyArn, 'a lock table key without a lock table grants nothing', 'set lockTableArn too, or remove lockTableKmsKeyArn');
    }
  }

  const lists: GrantList[] = ['canApply', 'canPlan', 'canRead'];
  if (lists.every((list) => (props[list] ?? []).length === 0)) {
    report('canApply, canPlan, canRead', [], 'no grants: the policy would grant nothing', 'add at least one entry to canApply, canPlan or canRead');
  }
  for (const list of lists) {
    (props[list] ?? []).forEach((grant, index) => checkGrant(grant, `${list}[${index}]`, report));
  }
  return findings;
}

type Reporter = (field: string, value: unknown, problem: string, fix: string) => void;

// S3 bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html):
// 3 to 63 characters; lower-case letters, digits, dots and hyphens; a letter or digit at each end.
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// DynamoDB naming rules (docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html):
// table names are 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'.
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

function checkBucketArn(arn: string, report: Reporter): void {
  const field = 'stateBucketArn';
  const fix = "pass the bucket's ARN, e.g. arn:aws:s3:::my-state-bucket";
  const parsed = typeof arn === 'string' ? parseArn(arn) : undefined;
  if (parsed === undefined || parsed.service !== 's3') {
    return report(field, arn, 'not an S3 bucket ARN', fix);
  }
  if (WILDCARD.test(arn)) {
    return report(field, arn, 'a wildcard would grant state access in every bucket it matches', 'name one bucket');
  }
  const types = arnResourceTypes(arn);
  if (types.includes('object') && !types.includes('bucket')) {
    const bucket = parsed.resource.split('/')[0];
    return report(field, arn, 'has a key part: this is an object ARN', `pass the bucket alone (arn:${parsed.partition}:s3:::${bucket}) and put the key in the grants`);
  }
  if (types.includes('bucket') && (parsed.resource.length < 3 || parsed.resource.length > 63)) {
    return report(
      field,
      arn,
      `the bucket name "${parsed.resource}" has ${parsed.resource.length} character${parsed.resource.length === 1 ? '' : 's'}: S3 bucket names have 3 to 63 (S3 user guide, "General purpose bucket naming rules")`,
      fix,
    );
  }
  if (!types.includes('bucket') || !BUCKET_NAME.test(parsed.resource)) {
    return report(
      field,
      arn,
      types.includes('bucket')
        ? `the bucket name "${parsed.resource}" breaks the S3 bucket naming rules: lower-case letters, digits, dots and hyphens, a letter or digit at each end (S3 user guide, "General purpose bucket naming rules")`
        : 'not an S3 bucket ARN',
      fix,
    );
  }
}

function checkTableArn(arn: string, report: Reporter): void {
  const field = 'lockTableArn';
  const parsed = parseArn(arn);
  const name = parsed?.resource.replace(/^table\//, '');
  if (
    parsed === undefined ||
    parsed.service !== 'dynamodb' ||
    !arnResourceTypes(arn).includes('table') ||
    parsed.region === '' ||
    !ACCOUNT_ID.test(parsed.account) ||
    name === undefined ||
    !TABLE_NAME.test(name)
  ) {
    report(field, arn, 'not a DynamoDB table ARN', "pass the table's ARN, e.g. arn:aws:dynamodb:eu-west-1:123456789012:table/my-lock-table");
  }
}

function checkKmsKeyArn(field: string, arn: string, report: Reporter): void {
  const parsed = parseArn(arn);
  const types = parsed?.service === 'kms' ? arnResourceTypes(arn) : [];
  if (types.includes('alias')) {
    // docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html: an alias ARN in Resource
    // controls the alias itself, never the key it points to.
    return report(field, arn, 'an alias ARN in Resource grants nothing on the key it names', 'pass the key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)');
  }
  if (parsed === undefined || !types.includes('key') || WILDCARD.test(arn) || parsed.region === '' || !ACCOUNT_ID.test(parsed.account) || parsed.resource === 'key/') {
    report(field, arn, 'not a KMS key ARN', 'pass the key ARN (arn:aws:kms:<region>:<account>:key/<key-id>)');
  }
}

function checkGrant(grant: StateAccessGrant, at: string, report: Reporter): void {
  const { key, workspaceKeyPrefix, workspaces, allowDefaultWorkspace } = normalizeGrant(grant);
  if (typeof key !== 'string' || key === '') {
    report(`${at}.key`, key, 'the state key is empty', 'set key to the backend\'s key, e.g. "terraform.tfstate"');
  } else {
    // Terraform rejects keys that start or end with "/" or hold "//" itself (internal/backend/remote-state/s3:
    // validateStringS3Path and validateStringDoesNotContain("//") in validate.go and backend.go).
    checkPath(`${at}.key`, key, 'a key', report);
  }
  if (workspaceKeyPrefix === '') {
    report(`${at}.workspaceKeyPrefix`, workspaceKeyPrefix, 'an empty prefix makes terraform list the whole bucket for every command', 'set a prefix, or leave it unset for "env:"');
  } else {
    checkPath(`${at}.workspaceKeyPrefix`, workspaceKeyPrefix, 'a prefix', report);
  }
  workspaces.forEach((workspace, i) => {
    if (workspace === '' || workspace.includes('/')) {
      report(`${at}.workspaces[${i}]`, workspace, 'a workspace name may not be empty or hold "/"', 'use the name terraform shows in `terraform workspace list`');
    }
  });
  if (!allowDefaultWorkspace && workspaces.length === 0) {
    report(at, grant, 'grants no state path: the default workspace is off and no workspace is listed', 'list workspaces, or set allowDefaultWorkspace to true');
  }
}

/**
 * A key or prefix the policy can name exactly. Terraform builds a named workspace's path with Go's
 * `path.Join(prefix, workspace, key)` (Backend.path), which drops "." and ".." segments and doubled "/":
 * the object it writes would not be the one the policy names.
 */
function checkPath(field: string, value: string, what: string, report: Reporter): void {
  // Node's posix.normalize cleans a path as Go's path.Clean does (only worked out for an error message).
  const clean = () => posix.normalize(value).replace(/^\/+|\/+$/g, '');
  if (value.startsWith('/') || value.endsWith('/')) {
    report(field, value, `${what} may not start or end with "/"`, `write it as "${clean()}"`);
  } else if (value.includes('//')) {
    report(field, value, `${what} may not hold "//"`, `write it as "${clean()}"`);
  } else if (/(^|\/)\.\.?(\/|$)/.test(value)) {
    report(field, value, `${what} may not hold "." or ".." segments: terraform joins paths with path.Join, which removes them`, `write it as "${clean()}"`);
  }
}
