/**
 * The state-access module's `permissions-policy` as a plain Terraform module (`terraform-modules/
 * permissions-policy/`), generated from this file: the one source of truth for its variables, its
 * validation, its policy logic and its README. Pure: no cdktf, no file system.
 *
 * The statements are `STATE_POLICY_STATEMENTS`, the table `statePermissionsPolicy` renders, written as locals by
 * the one renderer (private/terraform-statements.ts). What is written here is the path logic, as Terraform
 * expressions evaluated at plan time (locals, `for`): the state paths of the grants, their lock files and
 * lock item IDs and the `s3:prefix` values, as `statePathIndex` and `listPrefixes` compute them, which the
 * differential test holds equal. Go's JSON encoder writes `<`, `>` and `&` as `\u003c`, `\u003e` and
 * `\u0026`: the same document once parsed, different bytes from `JSON.stringify`.
 *
 * The module needs no provider, so `terraform apply` of a root module that calls it only evaluates
 * outputs; the differential test runs it against `statePermissionsPolicy` offline.
 */
import {
  expr,
  generatedNote,
  hclString,
  matches,
  outputBlocks,
  type OutputDefinition,
  policyModuleFiles,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  type Validation,
  type VariableDefinition,
} from '../private/terraform-module-files';
import { ACCOUNT_ID as IAM_ACCOUNT_ID } from '../core/iam-identifiers';
import { DEFAULT_WORKSPACE_KEY_PREFIX } from './private/grants';
import { statementLocals } from '../private/terraform-statements';
import { STATE_POLICY_STATEMENTS } from './state-permissions';

/** The generated module's folder, relative to the project root. */
export const PERMISSIONS_POLICY_MODULE_DIR = 'terraform-modules/permissions-policy';

const GRANT_TYPE =
  `list(object({ key = string, workspace_key_prefix = optional(string, ${JSON.stringify(DEFAULT_WORKSPACE_KEY_PREFIX)}), ` +
  `workspaces = optional(list(string), ["*"]), allow_default_workspace = optional(bool, true) }))`;

// RE2 patterns (Terraform's regex), written as HCL string literals by `re`.
const BUCKET_NAME = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
const TABLE_NAME = '[A-Za-z0-9_.-]{3,255}';
const ACCOUNT_ID = IAM_ACCOUNT_ID.source;

/** The checks `private/grants.ts` makes of a key or prefix (`checkPath`), for `value` (non-null). */
function pathValidations(list: string, attribute: string, what: string, label: string): Validation[] {
  const each = (test: string) => expr(`alltrue([for g in var.${list} : ${test}])`);
  return [
    {
      condition: each(`!${matches('(^/)|(/$)', `g.${attribute}`)}`),
      error_message: `Each ${list} entry's ${label}: ${what} may not start or end with "/".`,
    },
    {
      condition: each(`!${matches('//', `g.${attribute}`)}`),
      error_message: `Each ${list} entry's ${label}: ${what} may not hold "//".`,
    },
    {
      condition: each(`!${matches('(^|/)\\.\\.?(/|$)', `g.${attribute}`)}`),
      error_message: `Each ${list} entry's ${label}: ${what} may not hold "." or ".." segments: terraform joins paths with path.Join, which removes them.`,
    },
  ];
}

function grantValidations(list: string): Validation[] {
  const each = (test: string) => expr(`alltrue([for g in var.${list} : ${test}])`);
  return [
    {
      condition: each('g.key != null && g.key != ""'),
      error_message: `Each ${list} entry's key: the state key is empty; set key to the backend's key, e.g. "terraform.tfstate".`,
    },
    ...pathValidations(list, 'key', 'a key', 'key'),
    {
      condition: each('g.workspace_key_prefix != ""'),
      error_message: `Each ${list} entry's workspace_key_prefix: an empty prefix makes terraform list the whole bucket for every command; set a prefix, or leave it unset for "env:".`,
    },
    ...pathValidations(list, 'workspace_key_prefix', 'a prefix', 'workspace_key_prefix'),
    {
      condition: expr(`alltrue(flatten([for g in var.${list} : [for w in g.workspaces : w != null && w != "" && !${matches('/', 'w')}]]))`),
      error_message: `Each ${list} entry's workspaces: a workspace name may not be empty or hold "/"; use the name terraform shows in \`terraform workspace list\`.`,
    },
    {
      condition: each('g.allow_default_workspace || length(g.workspaces) > 0'),
      error_message: `Each ${list} entry must grant a state path: the default workspace is off and no workspace is listed; list workspaces, or set allow_default_workspace to true.`,
    },
  ];
}

function kmsKeyValidations(name: string): Validation[] {
  const alias = `^arn:[^:]+:kms:[^:]*:[^:]*:alias/`;
  return [
    {
      condition: expr(`var.${name} == null || !${matches(alias, `var.${name}`)}`),
      error_message: `${name}: an alias ARN in Resource grants nothing on the key it names; pass the key ARN (arn:aws:kms:<region>:<account>:key/<key-id>).`,
    },
    {
      condition: expr(`var.${name} == null || ${matches(alias, `var.${name}`)} || ${matches(`^arn:[^:]+:kms:[^:]+:${ACCOUNT_ID}:key/[^*?]+$`, `var.${name}`)}`),
      error_message: `${name}: not a KMS key ARN; pass the key ARN (arn:aws:kms:<region>:<account>:key/<key-id>).`,
    },
  ];
}

/** The variables, in the seed module's order, then ours. */
export const PERMISSIONS_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'state_bucket_arn',
    description: 'ARN of the S3 bucket that holds the state, e.g. `arn:aws:s3:::my-state-bucket`.',
    type: 'string',
    nullable: false,
    validations: [
      {
        condition: expr(
          `${matches('^arn:[^:]+:s3:::', 'var.state_bucket_arn')} && (${matches('[/*?]', 'var.state_bucket_arn')} || ${matches(`^arn:[^:]+:s3:::${BUCKET_NAME}$`, 'var.state_bucket_arn')})`,
        ),
        error_message: "state_bucket_arn: not an S3 bucket ARN; pass the bucket's ARN, e.g. arn:aws:s3:::my-state-bucket.",
      },
      {
        condition: expr(`!${matches('[*?]', 'var.state_bucket_arn')}`),
        error_message: 'state_bucket_arn: a wildcard would grant state access in every bucket it matches; name one bucket.',
      },
      {
        condition: expr(`!${matches('^arn:[^:]+:s3:::[^/]*/', 'var.state_bucket_arn')}`),
        error_message: 'state_bucket_arn: has a key part: this is an object ARN; pass the bucket alone (arn:<partition>:s3:::<bucket>) and put the key in the grants.',
      },
    ],
  },
  {
    name: 'lock_table_arn',
    description: "ARN of the DynamoDB lock table (the backend's `dynamodb_table`). `null`: no DynamoDB permissions.",
    type: 'string',
    default: null,
    nullable: true,
    validations: [
      {
        condition: expr(`var.lock_table_arn == null || ${matches(`^arn:[^:]+:dynamodb:[^:]+:${ACCOUNT_ID}:table/${TABLE_NAME}$`, 'var.lock_table_arn')}`),
        error_message: "lock_table_arn: not a DynamoDB table ARN; pass the table's ARN, e.g. arn:aws:dynamodb:eu-west-1:123456789012:table/my-lock-table.",
      },
    ],
  },
  {
    name: 'state_bucket_kms_key_arn',
    description: "ARN of the KMS key the state objects are encrypted with (the backend's `kms_key_id`, or the bucket's default key). A key ARN, never an alias ARN. `null`: no KMS permissions for S3.",
    type: 'string',
    default: null,
    nullable: true,
    validations: kmsKeyValidations('state_bucket_kms_key_arn'),
  },
  {
    name: 'lock_table_kms_key_arn',
    description: 'ARN of the KMS key the lock table is encrypted with, when it is a customer managed key. `null`: no KMS permissions for DynamoDB.',
    type: 'string',
    default: null,
    nullable: true,
    validations: [
      ...kmsKeyValidations('lock_table_kms_key_arn'),
      {
        condition: expr('var.lock_table_kms_key_arn == null || var.lock_table_arn != null'),
        error_message: 'lock_table_kms_key_arn: a lock table key without a lock table grants nothing; set lock_table_arn too, or remove lock_table_kms_key_arn.',
      },
    ],
  },
  {
    name: 'allow_full_bucket_list',
    description: 'Allow listing the whole bucket instead of only the prefixes terraform lists. Makes the policy smaller.',
    type: 'bool',
    default: false,
    nullable: false,
    validations: [],
  },
  {
    name: 'can_apply',
    description: 'Configurations that may be applied: read, write and lock state.',
    type: GRANT_TYPE,
    default: [],
    nullable: false,
    validations: [
      {
        condition: expr('length(var.can_apply) + length(var.can_plan) + length(var.can_read) > 0'),
        error_message: 'can_apply, can_plan, can_read: no grants: the policy would grant nothing; add at least one entry to can_apply, can_plan or can_read.',
      },
      ...grantValidations('can_apply'),
    ],
  },
  {
    name: 'can_plan',
    description: 'Configurations that may be planned: read and lock state, never write it.',
    type: GRANT_TYPE,
    default: [],
    nullable: false,
    validations: grantValidations('can_plan'),
  },
  {
    name: 'can_read',
    description: 'Configurations that may be read (`terraform_remote_state`, `state pull`): no locks, no writes.',
    type: GRANT_TYPE,
    default: [],
    nullable: false,
    validations: grantValidations('can_read'),
  },
  {
    name: 'list_new_workspaces',
    description: "Let `can_apply` grants create their named workspaces (`terraform workspace new`). Not in the seed; `false` gives the seed's published policies exactly.",
    type: 'bool',
    default: true,
    nullable: false,
    validations: [],
  },
  {
    name: 'use_lockfile',
    description: 'The backend uses S3 native locking (`use_lockfile = true`, Terraform 1.10+): grant the `.tflock` objects of apply and plan grants.',
    type: 'bool',
    default: false,
    nullable: false,
    validations: [],
  },
];

export const PERMISSIONS_POLICY_OUTPUTS: readonly OutputDefinition[] = [{ name: 'json', description: 'The policy document, as canonical minified JSON.', value: 'local.document' }];

/**
 * The locals of `main.tf.json`: the state paths, as `statePathIndex` and `listPrefixes` compute them, then
 * the statements of `STATE_POLICY_STATEMENTS`.
 */
function policyLocals(): Record<string, string> {
  const statePaths = (g: string) => `concat(${g}.allow_default_workspace ? [${g}.key] : [], [for w in ${g}.workspaces : "\${${g}.workspace_key_prefix}/\${w}/\${${g}.key}"])`;
  const pathsOf = (list: string) => expr(`flatten([for g in var.${list} : ${statePaths('g')}])`);
  const grantsWithNamedPrefix = `[for g in local.grants : "\${g.workspace_key_prefix}/" if length(g.workspaces) > 0 || g.workspace_key_prefix != ${hclString(DEFAULT_WORKSPACE_KEY_PREFIX)}]`;
  const paths: Record<string, string> = {
    // parseArn(...).resource: everything after the fifth ":".
    bucket_name: expr('join(":", slice(split(":", var.state_bucket_arn), 5, length(split(":", var.state_bucket_arn))))'),
    grants: expr('concat(var.can_apply, var.can_plan, var.can_read)'),
    apply_paths: pathsOf('can_apply'),
    plan_paths: pathsOf('can_plan'),
    read_paths: pathsOf('can_read'),
    // Named-workspace paths of apply grants: `workspace new` may create them.
    new_workspace_paths: expr('flatten([for g in var.can_apply : [for w in g.workspaces : "${g.workspace_key_prefix}/${w}/${g.key}"]])'),
    // Sorted and distinct, as statePathIndex builds them.
    writing: expr('sort(distinct(local.apply_paths))'),
    locking: expr('sort(distinct(concat(local.apply_paths, local.plan_paths)))'),
    reading: expr('sort(distinct(concat(local.plan_paths, local.read_paths)))'),
    list_prefixes: expr(`sort(distinct(concat([for g in local.grants : g.key if g.allow_default_workspace], ${grantsWithNamedPrefix}, var.list_new_workspaces ? local.new_workspace_paths : [])))`),
    lock_files: expr('var.use_lockfile ? [for p in local.locking : "${p}.tflock"] : []'),
    // The lock item's LockID is <bucket>/<path>; its digest item's is the same with -md5.
    lock_item_ids: expr('flatten([for p in local.locking : ["${local.bucket_name}/${p}", "${local.bucket_name}/${p}-md5"]])'),
  };
  return statementLocals(
    STATE_POLICY_STATEMENTS,
    {
      stateBucketArn: 'var.state_bucket_arn',
      allowFullBucketList: 'var.allow_full_bucket_list',
      listPrefixes: 'local.list_prefixes',
      readPaths: 'local.reading',
      writePaths: 'local.writing',
      lockingPaths: 'local.locking',
      lockFiles: 'local.lock_files',
      lockItemIds: 'local.lock_item_ids',
      stateBucketKmsKeyArn: 'var.state_bucket_kms_key_arn',
      lockTableArn: 'var.lock_table_arn',
      lockTableKmsKeyArn: 'var.lock_table_kms_key_arn',
    },
    paths,
  );
}

export const GENERATED_NOTE = generatedNote('modules/state-access/terraform-permissions-policy.ts');

function readme(): string {
  return [
    '# permissions-policy',
    '',
    GENERATED_NOTE,
    '',
    'The least-privilege policy for access to Terraform state in S3, as plain Terraform: the same document, byte for',
    'byte, as `statePermissionsPolicy` in `modules/state-access` (see its README for what each statement is for and',
    'how it differs from george-richardson/terraform-aws-state-access-role). It needs no provider: pass `json` to an',
    '`aws_iam_policy` or `aws_iam_role_policy`. Bad inputs fail `terraform plan` with a validation error naming the',
    `variable and the fix. Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\`.`,
    '',
    'Unlike `statePermissionsPolicy`, the module does not check the policy against the 10,240-character limit of',
    'identity policies or the Service Authorization Reference; AWS does when the policy is attached.',
    '',
    '```hcl',
    'module "state_access_policy" {',
    '  source = "./terraform-modules/permissions-policy"',
    '',
    '  state_bucket_arn = "arn:aws:s3:::my-state-bucket"',
    '  lock_table_arn   = "arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table"',
    '  can_apply        = [{ key = "terraform.tfstate" }]',
    '}',
    '```',
    '',
    ...readmeTables(PERMISSIONS_POLICY_VARIABLES, PERMISSIONS_POLICY_OUTPUTS),
  ].join('\n');
}

/** The files of `terraform-modules/permissions-policy/`, by path relative to the project root. */
export function permissionsPolicyModuleFiles(): Record<string, string> {
  return policyModuleFiles(PERMISSIONS_POLICY_MODULE_DIR, {
    note: GENERATED_NOTE,
    readme: readme(),
    locals: policyLocals(),
    variables: PERMISSIONS_POLICY_VARIABLES,
    outputs: outputBlocks(PERMISSIONS_POLICY_OUTPUTS),
  });
}
