/**
 * Three policy types as plain Terraform modules, generated from this file. Pure: no cdktf, no file system.
 * Each creates what its construct creates, with the policy given as JSON text:
 * - `terraform-modules/service-control-policy/`: `ServiceControlPolicy`, an `aws_organizations_policy` of
 *   type `SERVICE_CONTROL_POLICY` and one `aws_organizations_policy_attachment` per target;
 * - `terraform-modules/permissions-boundary/`: `PermissionsBoundary`, the `aws_iam_policy` of a boundary;
 * - `terraform-modules/s3-bucket-policy/`: `BucketPolicy`, an `aws_s3_bucket_policy`.
 *
 * Validation blocks make the constructs' checks that Terraform can express: the names, description,
 * targets and bucket; the document well-formed JSON with a Statement, of the characters a policy may hold,
 * within the size limit of its kind (core/policy-kind.ts, measured on the text the module saves: the
 * constructs save the canonical minified JSON, a module the text it is given), and the checks of the
 * statements' shape the kind asks for (no Principal in an SCP or a boundary; a principal in every
 * statement of a bucket policy, and no resource outside its bucket). Not made: the core's checks of
 * actions, resources and condition keys against the Service Authorization Reference, and the SCPs-per-target
 * quota, which counts SCPs a module cannot see.
 */
import { IAM_NAME_LIMITS, IAM_PATH, IAM_PATH_MAX_LENGTH, iamName, PARTITION, partitionExamples } from '../core/iam-identifiers';
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import {
  AWS_PROVIDER_RANGE,
  expr,
  generatedNote,
  guardedValidations,
  matches,
  nullOr,
  type OutputDefinition,
  policyTextChecks,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  type VariableDefinition,
  resourceModuleFiles,
} from '../private/terraform-module-files';
import { admissionCall } from '../iam-role/terraform-module';
import { ACKNOWLEDGE_TYPE, acknowledgeDescription, acknowledgeValidations, ADMISSION_FACTS } from '../private/terraform-admission-module';
import { ORGANIZATIONS_TARGET_ID } from './scp';

export const SERVICE_CONTROL_POLICY_MODULE_DIR = 'terraform-modules/service-control-policy';
export const PERMISSIONS_BOUNDARY_MODULE_DIR = 'terraform-modules/permissions-boundary';
export const S3_BUCKET_POLICY_MODULE_DIR = 'terraform-modules/s3-bucket-policy';

export const POLICY_TYPES_NOTE = generatedNote('modules/policy-types/terraform-modules.ts');

/** The statements of the policy text in `var.policy`: `Statement` may be one object or a list. */
const STATEMENTS = 'flatten([jsondecode(var.policy).Statement])';

/** `policyTextChecks` of `var.policy` for `kind`, and `extra` checks of its statements after them. */
function policyValidations(kind: Parameters<typeof policyTextChecks>[2], extra: [string, string][] = []) {
  return guardedValidations([...policyTextChecks('policy', 'var.policy', kind), ...extra]);
}

const POLICY_DESCRIPTION = (what: string) =>
  `The ${what} as JSON text: \`data.aws_iam_policy_document.<name>.json\`, \`jsonencode({...})\` or a policy module's \`json\` output.`;

const noPrincipal = (what: string): [string, string] => [
  `alltrue([for s in ${STATEMENTS} : !can(s.Principal) && !can(s.NotPrincipal)])`,
  `policy: a statement has a Principal or NotPrincipal; ${what} applies to the principals it is attached to and takes none; remove Principal and NotPrincipal.`,
];

interface ModuleSpec {
  readonly dir: string;
  readonly title: string;
  readonly intro: readonly string[];
  readonly example: readonly string[];
  readonly variables: readonly VariableDefinition[];
  readonly outputs: readonly OutputDefinition[];
  readonly resource: Record<string, unknown>;
  /** Module calls, if any. */
  readonly module?: Record<string, unknown>;
}

function files(spec: ModuleSpec): Record<string, string> {
  const readme = [
    `# ${spec.title}`,
    '',
    POLICY_TYPES_NOTE,
    '',
    ...spec.intro,
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\` and the AWS provider \`${AWS_PROVIDER_RANGE}\`.`,
    '',
    'Unlike the construct, the module does not check the policy\'s actions, resources and condition keys against the',
    "Service Authorization Reference, and writes the policy as given rather than in canonical form: pass a document",
    "built by this project's modules, or checked elsewhere.",
    '',
    '```hcl',
    ...spec.example,
    '```',
    '',
    ...readmeTables(spec.variables, spec.outputs),
  ].join('\n');
  return resourceModuleFiles(spec.dir, { note: POLICY_TYPES_NOTE, readme: readme, main: { ...(spec.module !== undefined && { module: spec.module }), resource: spec.resource }, variables: spec.variables, outputs: spec.outputs });
}

// --- service-control-policy ------------------------------------------------------------------------------

const SCP = POLICY_SIZE_LIMITS['service-control'];
/** scp.ts's target id patterns (the Organizations API reference's), which RE2 reads as JavaScript does. */
const TARGET_ID = Object.values(ORGANIZATIONS_TARGET_ID).map((re) => `(${re.source})`).join('|');

export const SERVICE_CONTROL_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'name',
    description: 'Name of the policy (Organizations CreatePolicy `Name`: 1 to 128 characters).',
    type: 'string',
    nullable: false,
    validations: guardedValidations([['length(var.name) >= 1 && length(var.name) <= 128', 'name: an Organizations policy name is 1 to 128 characters; shorten it, or give one.']]),
  },
  {
    name: 'description',
    description: 'Description of the policy (at most 512 characters). `null`: none.',
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([[nullOr('var.description', 'length(var.description) <= 512'), 'description: an Organizations policy description is at most 512 characters; shorten it.']]),
  },
  {
    name: 'policy',
    description: `${POLICY_DESCRIPTION('service control policy')} At most ${SCP.limit.toLocaleString('en-US')} characters as saved.`,
    type: 'string',
    nullable: false,
    validations: policyValidations('service-control', [noPrincipal('an SCP')]),
  },
  {
    name: 'targets',
    description:
      'The roots (`r-…`), OUs (`ou-…-…`) and accounts (12 digits) to attach the policy to (`aws_organizations_policy_attachment`): a map from a name of your choosing, which keys the attachment, to the id (which may be a reference). `{}`: created, not attached.',
    type: 'map(string)',
    default: {},
    nullable: false,
    validations: guardedValidations([
      [
        `alltrue([for t in values(var.targets) : ${matches(`^(${TARGET_ID})$`, 't')}])`,
        'targets: not a root ("r-" + 4 to 32 lowercase letters or digits), OU ("ou-<root part>-<8 to 32 lowercase letters or digits>") or account id (12 digits); give the id AWS Organizations lists for the target, e.g. "r-ab12", "ou-ab12-cd34ef56" or "123456789012".',
      ],
      [
        'length(distinct(values(var.targets))) == length(var.targets)',
        'targets: a target is listed twice: Organizations refuses a second attachment (DuplicatePolicyAttachmentException); list each target once.',
      ],
    ]),
  },
];

export const SERVICE_CONTROL_POLICY_OUTPUTS: readonly OutputDefinition[] = [
  { name: 'scp_id', description: 'The id of the service control policy.', value: 'aws_organizations_policy.this.id' },
  { name: 'scp_arn', description: 'The ARN of the service control policy.', value: 'aws_organizations_policy.this.arn' },
  { name: 'scp_json', description: 'The service control policy, as given.', value: 'var.policy' },
];

export function serviceControlPolicyModuleFiles(): Record<string, string> {
  return files({
    dir: SERVICE_CONTROL_POLICY_MODULE_DIR,
    title: 'service-control-policy',
    intro: [
      'A service control policy as plain Terraform, creating what `ServiceControlPolicy` of `modules/policy-types` creates:',
      'the `aws_organizations_policy` (type `SERVICE_CONTROL_POLICY`) and one attachment per target, keyed by the names you',
      'give the targets. Bad literal inputs fail `terraform plan` with a validation error naming the variable and the fix:',
      `the name and description, the target ids, and the policy's JSON, characters, ${SCP.limit.toLocaleString('en-US')} characters as saved, and no Principal.`,
      'The SCPs-per-target quota is not checked: it counts SCPs attached elsewhere, which a module cannot see.',
    ],
    example: [
      'module "deny_leaving" {',
      '  source = "./terraform-modules/service-control-policy"',
      '',
      '  name    = "deny-leave-organization"',
      '  policy  = data.aws_iam_policy_document.deny_leaving.json',
      '  targets = { workloads = "ou-ab12-cd34ef56" }',
      '}',
    ],
    variables: SERVICE_CONTROL_POLICY_VARIABLES,
    outputs: SERVICE_CONTROL_POLICY_OUTPUTS,
    resource: {
      aws_organizations_policy: {
        this: { name: expr('var.name'), description: expr('var.description'), type: 'SERVICE_CONTROL_POLICY', content: expr('var.policy') },
      },
      aws_organizations_policy_attachment: {
        targets: { for_each: expr('var.targets'), policy_id: expr('aws_organizations_policy.this.id'), target_id: expr('each.value') },
      },
    },
  });
}

// --- permissions-boundary ----------------------------------------------------------------------------------

const MANAGED = POLICY_SIZE_LIMITS.managed;
// CreatePolicy's PolicyName and Path, as core/iam-identifiers.ts writes them; Description at most
// 1,000 characters (IAM API reference, CreatePolicy).

export const PERMISSIONS_BOUNDARY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'name',
    description: 'Name of the managed policy.',
    type: 'string',
    nullable: false,
    validations: guardedValidations([
      [matches(iamName('policy').re2, 'var.name'), `name: an IAM policy name is 1 to ${IAM_NAME_LIMITS.policy} characters of letters, digits and +=,.@_-; rename it within those characters.`],
    ]),
  },
  {
    name: 'path',
    description: 'Path of the managed policy. `null`: "/".',
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [nullOr('var.path', `length(var.path) <= ${IAM_PATH_MAX_LENGTH} && ${matches(IAM_PATH.re2, 'var.path')}`), 'path: an IAM path starts and ends with "/" and holds printable ASCII only; write it like "/boundaries/" or "/".'],
    ]),
  },
  {
    name: 'description',
    description: 'Description of the managed policy (at most 1,000 characters; IAM cannot change it later). `null`: none.',
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([[nullOr('var.description', 'length(var.description) <= 1000'), 'description: a managed policy description is at most 1000 characters; shorten it.']]),
  },
  {
    name: 'policy',
    description: `${POLICY_DESCRIPTION('boundary')} At most ${MANAGED.limit.toLocaleString('en-US')} characters, minified.`,
    type: 'string',
    nullable: false,
    validations: policyValidations('managed', [noPrincipal('a permissions boundary')]),
  },
];

export const PERMISSIONS_BOUNDARY_OUTPUTS: readonly OutputDefinition[] = [
  { name: 'boundary_arn', description: "The ARN of the permissions boundary policy: pass it to `../iam-role`'s `permissions_boundary`.", value: 'aws_iam_policy.this.arn' },
  { name: 'boundary_json', description: 'The permissions boundary, as given.', value: 'var.policy' },
];

export function permissionsBoundaryModuleFiles(): Record<string, string> {
  return files({
    dir: PERMISSIONS_BOUNDARY_MODULE_DIR,
    title: 'permissions-boundary',
    intro: [
      'A permissions boundary as plain Terraform, creating what `PermissionsBoundary` of `modules/policy-types` creates: the',
      "customer managed policy (`aws_iam_policy`) that bounds a role's permissions. Pass `boundary_arn` to `../iam-role`'s",
      '`permissions_boundary`. Bad literal inputs fail `terraform plan` with a validation error naming the variable and the',
      `fix: the name, path and description, and the policy's JSON, characters, ${MANAGED.limit.toLocaleString('en-US')} characters (minified), and no Principal.`,
    ],
    example: [
      'module "boundary" {',
      '  source = "./terraform-modules/permissions-boundary"',
      '',
      '  name   = "PermissionsBoundary"',
      '  policy = data.aws_iam_policy_document.boundary.json',
      '}',
    ],
    variables: PERMISSIONS_BOUNDARY_VARIABLES,
    outputs: PERMISSIONS_BOUNDARY_OUTPUTS,
    resource: {
      aws_iam_policy: { this: { name: expr('var.name'), path: expr('var.path'), description: expr('var.description'), policy: expr('var.policy') } },
    },
  });
}

// --- s3-bucket-policy ----------------------------------------------------------------------------------------

const BUCKET = POLICY_SIZE_LIMITS['s3-bucket'];
// s3-bucket-policy.ts's bucket name rules (S3 user guide, "General purpose bucket naming rules") and
// partitions.
const BUCKET_NAME = '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$';
const BUCKET_ARN = 'arn:${var.partition}:s3:::${var.bucket}';

export const S3_BUCKET_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'bucket',
    description: "Name of the bucket (not its ARN), written out: the policy may name only it and its objects, which is checked at plan time.",
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
        'policy: a resource outside its bucket: a bucket policy may name only the bucket (arn:<partition>:s3:::<bucket>) and its objects (…/<key>); put other resources\' grants in their own policies.',
      ],
    ]),
  },
  {
    name: 'account',
    description: 'The 12-digit ID of the account the bucket is in: principals of other accounts are `CROSS_ACCOUNT` findings. `null`: not known; every principal named by account is then a `CROSS_ACCOUNT` finding.',
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
  return files({
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
