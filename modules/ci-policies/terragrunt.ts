/**
 * What Terragrunt's remote-state feature needs on its state buckets and lock tables, after Gruntwork's
 * `terragrunt` iam-policy ("enables using the locking and user-identity features of Terragrunt"), for the
 * Terragrunt of today. The calls and their IAM actions are those of Terragrunt's S3 remote-state client
 * (internal/remotestate/backend/s3/client.go), mapped with the Service Authorization Reference (HeadBucket
 * needs s3:ListBucket, PutBucketEncryption is s3:PutEncryptionConfiguration, PutPublicAccessBlock is
 * s3:PutBucketPublicAccessBlock); see the module README.
 *
 * Not granted, on purpose:
 * - Terraform's own state and lock-item access: that is `terraformRemoteStateS3Policy`'s (state-access).
 * - `sts:GetCallerIdentity`, Terragrunt's "user identity": it needs no permission (STS API reference,
 *   GetCallerIdentity: "No permissions are required to perform this operation").
 * - Terragrunt's DynamoDB locking of its own (GetItem/PutItem/DeleteItem on `terragrunt_locks`): removed
 *   from Terragrunt in v0.12.0 (2017); Terraform locks.
 */
import { type PolicyDocument, policyDocument } from '../core/policy-document';
import { all, isTrue, many, nonEmpty, type StatementTable, tableStatements } from '../private/policy-statements';
import { shape, shapeFindings } from '../core/input-shape';
import { type Finding, throwIfAny } from '../core/policy-error';
import { type PolicyDestination, validatePolicy } from '../core/validate-policy';
import { namedArnListFindings, type NamedResourceKind } from './private/named-resource-arns';

export interface TerragruntPolicyProps {
  /** ARNs of the state buckets Terragrunt's `remote_state` names (`arn:aws:s3:::<bucket>`). */
  readonly stateBucketArns: readonly string[];
  /**
   * ARNs of the lock tables `remote_state` names (`dynamodb_table`).
   * @default [] - no DynamoDB permissions (S3 native locking, or none)
   */
  readonly lockTableArns?: readonly string[];
  /**
   * Let Terragrunt create the buckets and tables and set them up as its `remote_state` settings ask
   * (versioning, encryption, public access block, TLS-only bucket policy, tags; table tags and encryption).
   * @default false - the buckets and tables exist; Terragrunt only checks them
   */
  readonly allowBootstrap?: boolean;
  /**
   * Allow `iam:ListAccountAliases`, for Terragrunt's `get_aws_account_alias()` function.
   * @default false
   */
  readonly allowAccountAlias?: boolean;
}

/** The JavaScript types of `TerragruntPolicyProps`, checked first (and, with `CiPolicyProps`, all `TerragruntPolicy` takes). */
export const TERRAGRUNT_FIELDS = {
  stateBucketArns: shape.list(shape.string()),
  lockTableArns: shape.optional(shape.list(shape.string())),
  allowBootstrap: shape.optional(shape.boolean()),
  allowAccountAlias: shape.optional(shape.boolean()),
};

const STATE_BUCKET: NamedResourceKind = { service: 's3', resourceType: 'bucket', what: 'S3 bucket', example: 'arn:aws:s3:::my-state-bucket', regional: false, hasAccount: false };
const LOCK_TABLE: NamedResourceKind = { service: 'dynamodb', resourceType: 'table', what: 'DynamoDB table', example: 'arn:aws:dynamodb:eu-west-1:123456789012:table/my-lock-table', regional: true };

/** The values the statements read: the props, with their defaults. */
export type TerragruntValue = 'stateBucketArns' | 'lockTableArns' | 'allowBootstrap' | 'allowAccountAlias';

/**
 * The statements, written once: `terragruntPolicy` renders them with the props' values, the Terraform
 * module (terraform-modules.ts) with its variables.
 */
export const TERRAGRUNT_STATEMENTS: StatementTable<TerragruntValue> = [
  {
    sid: 'CheckStateBucket',
    // HeadBucket (does the bucket exist: s3:ListBucket) and the reads that compare its settings with the
    // remote_state block: versioning, encryption, public access block, bucket policy.
    actions: ['s3:ListBucket', 's3:GetBucketVersioning', 's3:GetEncryptionConfiguration', 's3:GetBucketPublicAccessBlock', 's3:GetBucketPolicy'],
    resources: [many('stateBucketArns')],
  },
  {
    sid: 'CreateStateBucket',
    actions: ['s3:CreateBucket', 's3:PutBucketVersioning', 's3:PutEncryptionConfiguration', 's3:PutBucketPublicAccessBlock', 's3:PutBucketPolicy', 's3:PutBucketTagging'],
    resources: [many('stateBucketArns')],
    when: isTrue('allowBootstrap'),
  },
  { sid: 'CheckLockTable', actions: ['dynamodb:DescribeTable'], resources: [many('lockTableArns')], when: nonEmpty('lockTableArns') },
  {
    sid: 'CreateLockTable',
    // CreateTable; TagResource for dynamodb_table_tags; UpdateTable for enable_lock_table_ssencryption.
    actions: ['dynamodb:CreateTable', 'dynamodb:TagResource', 'dynamodb:UpdateTable'],
    resources: [many('lockTableArns')],
    when: all(nonEmpty('lockTableArns'), isTrue('allowBootstrap')),
  },
  // ListAccountAliases has no resource type: AWS takes only "*" for it (Service Authorization Reference).
  { sid: 'AccountAlias', actions: ['iam:ListAccountAliases'], resources: ['*'], when: isTrue('allowAccountAlias') },
];

/** The policy Terragrunt's remote-state feature needs for `props`. */
export function terragruntPolicy(props: TerragruntPolicyProps, destination: PolicyDestination = { context: 'terragruntPolicy', kind: 'identity' }): PolicyDocument {
  throwIfAny(destination.context, shapeFindings(props, shape.object(TERRAGRUNT_FIELDS), ''));
  const findings: Finding[] = [...namedArnListFindings('stateBucketArns', props.stateBucketArns, STATE_BUCKET), ...namedArnListFindings('lockTableArns', props.lockTableArns, LOCK_TABLE, true)];
  throwIfAny(destination.context, findings);
  const values = {
    stateBucketArns: props.stateBucketArns,
    lockTableArns: props.lockTableArns ?? [],
    allowBootstrap: props.allowBootstrap === true,
    allowAccountAlias: props.allowAccountAlias === true,
  };
  const doc = policyDocument({ statements: tableStatements(TERRAGRUNT_STATEMENTS, values) });
  validatePolicy(doc, destination.context, { kind: destination.kind, sizeLimit: destination.sizeLimit, ...(destination.sizeFix !== undefined && { sizeFix: destination.sizeFix }) });
  return doc;
}
