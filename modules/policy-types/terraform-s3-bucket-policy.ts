/**
 * `terraform-modules/s3-bucket-policy/`: `BucketPolicy` as a plain Terraform module, an `aws_s3_bucket_policy`.
 * Generated from this file; what the three policy-type modules share is in private/policy-type-module-parts.ts.
 * Pure: no cdktf, no file system.
 */
import { PARTITION, partitionExamples } from '../core/iam-identifiers';
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import { expr, guardedValidations, matches, nullOr, type OutputDefinition, type VariableDefinition } from '../private/terraform-module-files';
import { admissionCall } from '../iam-role/terraform-trust-policy';
import { ACKNOWLEDGE_TYPE, acknowledgeDescription, acknowledgeValidations, ADMISSION_FACTS } from '../private/terraform-policy-admission';
import { POLICY_DESCRIPTION, policyTypeModuleFiles, policyValidations, STATEMENTS } from './private/policy-type-module-parts';

export const S3_BUCKET_POLICY_MODULE_DIR = 'terraform-modules/s3-bucket-policy';

// --- s3-bucket-policy ----------------------------------------------------------------------------------------

const BUCKET = POLICY_SIZE_LIMITS['s3-bucket'];
// s3-bucket-policy.ts's bucket name rules (S3 user guide, "General purpose bucket naming rules") and
// partitions.
const BUCKET_NAME = '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$';
const BUCKET_ARN = 'arn:${var.partition}:s3:::${var.bucket}';

export const S3_BUCKET_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'bucket',
    description: 'Name of the bucket (not its ARN), written out: the policy may name only it and its objects, which is checked at plan time.',
    type: 'string',
    nullable: false,
    validations: guardedValidations([
      [
        `${matches(BUCKET_NAME, 'var.bucket')} && !strcontains(var.bucket, "..")`,
        'bucket: not an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit; give the bucket\'s name (not its ARN), e.g. "data-lake-bucket".',
      ],
    ]),
  },
  {
    name: 'partition',
    description: 'Partition of the bucket ARN the policy may name.',
    type: 'string',
    default: 'aws',
    nullable: false,
    validations: guardedValidations([[matches(PARTITION.re2, 'var.partition'), `partition: not an AWS partition; use ${partitionExamples('"')}.`]]),
  },
  {
    name: 'policy',
    description: `${POLICY_DESCRIPTION('bucket policy')} At most ${BUCKET.limit.toLocaleString('en-US')} bytes.`,
    type: 'string',
    nullable: false,
    validations: policyValidations('s3-bucket', [
      [
        `alltrue([for s in ${STATEMENTS} : can(s.Principal) || can(s.NotPrincipal)])`,
        'policy: a bucket policy statement without a principal: a resource policy says whom it applies to in each statement; add a Principal, e.g. { AWS = "arn:aws:iam::111111111111:role/application-roles/ApplicationRole" }.',
      ],
      [
        `alltrue([for r in flatten([for s in ${STATEMENTS} : [try(s.Resource, []), try(s.NotResource, [])]]) : r == "${BUCKET_ARN}" || startswith(r, "${BUCKET_ARN}/")])`,
        "policy: a resource outside its bucket: a bucket policy may name only the bucket (arn:<partition>:s3:::<bucket>) and its objects (…/<key>); put other resources' grants in their own policies.",
      ],
    ]),
  },
  {
    name: 'account',
    description:
      'The 12-digit ID of the account the bucket is in: principals of other accounts are `CROSS_ACCOUNT` findings. `null`: not known; every principal named by account is then a `CROSS_ACCOUNT` finding.',
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [nullOr('var.account', matches(ADMISSION_FACTS.accountId, 'var.account')), 'account: an account ID is 12 digits; write the ID of the account the bucket is in, e.g. "123456123456".'],
    ]),
  },
  {
    name: 'acknowledge',
    description: acknowledgeDescription('the bucket policy'),
    type: ACKNOWLEDGE_TYPE,
    default: [],
    nullable: false,
    validations: acknowledgeValidations('acknowledge', 'acknowledge'),
  },
];

export const S3_BUCKET_POLICY_OUTPUTS: readonly OutputDefinition[] = [
  { name: 'json', description: 'The bucket policy, as given.', value: 'aws_s3_bucket_policy.this.policy' },
  {
    name: 'acknowledged',
    description: 'The findings of who the policy admits that `acknowledge` accepts: `rule`, `field`, `reason`, as `BucketPolicy` writes them next to the resource.',
    value: 'module.admission.acknowledged',
  },
];

export function s3BucketPolicyModuleFiles(): Record<string, string> {
  return policyTypeModuleFiles({
    dir: S3_BUCKET_POLICY_MODULE_DIR,
    title: 's3-bucket-policy',
    intro: [
      'An S3 bucket policy as plain Terraform, creating what `BucketPolicy` of `modules/policy-types` creates: the',
      '`aws_s3_bucket_policy` of one bucket. Bad literal inputs fail `terraform plan` with a validation error naming the',
      `variable and the fix: the bucket name, and the policy's JSON, characters, ${BUCKET.limit.toLocaleString('en-US')} bytes, a principal in every statement, and no`,
      'resource outside the bucket (S3 refuses those: MalformedPolicy, "Policy has invalid resource").',
      '',
      'The policy goes through `../policy-admission`, as `BucketPolicy` checks it: planning fails while it admits principals',
      'nobody may have meant (`Principal: "*"` with no condition pinning an organization, account or source; a principal of',
      'another account than `account`), naming the rule, until the finding is accepted with a reason in `acknowledge`:',
      '`{ rule = "ANY_PRINCIPAL", reason = "public website assets" }`. Without `account`, every principal named by account is',
      '`CROSS_ACCOUNT`.',
    ],
    example: [
      'module "data_lake_policy" {',
      '  source = "./terraform-modules/s3-bucket-policy"',
      '',
      '  bucket  = "data-lake-bucket"',
      '  policy  = data.aws_iam_policy_document.data_lake.json',
      '  account = "123456123456"',
      '  acknowledge = [',
      '    { rule = "CROSS_ACCOUNT", reason = "the application account reads the data lake" },',
      '  ]',
      '}',
    ],
    variables: S3_BUCKET_POLICY_VARIABLES,
    outputs: S3_BUCKET_POLICY_OUTPUTS,
    module: { admission: admissionCall('var.policy', 'var.account', 'var.acknowledge') },
    resource: { aws_s3_bucket_policy: { this: { bucket: expr('var.bucket'), policy: expr('module.admission.json') } } },
  });
}
