/**
 * `terraform-modules/terragrunt-policy/`: `terragruntPolicy` (terragrunt.ts) as a plain, policy-only Terraform module.
 * Generated from this file, the one source of truth for its variables, validation and README; the
 * statements are the policy's own table, written as locals by private/terraform-statements.ts. What the
 * three CI policy modules share is in private/policy-module-parts.ts. Pure: no cdktf, no file system.
 */
import { type VariableDefinition } from '../private/terraform-module-files';
import { statementLocals } from '../private/terraform-statements';
import { TERRAGRUNT_STATEMENTS } from './terragrunt';
import { arnListValidations, ciPolicyModuleFiles, LOCK_TABLE, STATE_BUCKET } from './private/policy-module-parts';

export const TERRAGRUNT_POLICY_MODULE_DIR = 'terraform-modules/terragrunt-policy';

// --- terragrunt-policy --------------------------------------------------------------------------------

export const TERRAGRUNT_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'state_bucket_arns',
    description: "ARNs of the state buckets Terragrunt's `remote_state` names (`arn:aws:s3:::<bucket>`).",
    type: 'list(string)',
    nullable: false,
    validations: arnListValidations('state_bucket_arns', STATE_BUCKET),
  },
  {
    name: 'lock_table_arns',
    description: 'ARNs of the lock tables `remote_state` names (`dynamodb_table`). `[]`: no DynamoDB permissions (S3 native locking, or none).',
    type: 'list(string)',
    default: [],
    nullable: false,
    validations: arnListValidations('lock_table_arns', LOCK_TABLE, true),
  },
  {
    name: 'allow_bootstrap',
    description:
      'Let Terragrunt create the buckets and tables and set them up as its `remote_state` settings ask (versioning, encryption, public access block, TLS-only bucket policy, tags; table tags and encryption). `false`: the buckets and tables exist; Terragrunt only checks them.',
    type: 'bool',
    default: false,
    nullable: false,
    validations: [],
  },
  {
    name: 'allow_account_alias',
    description: "Allow `iam:ListAccountAliases`, for Terragrunt's `get_aws_account_alias()` function.",
    type: 'bool',
    default: false,
    nullable: false,
    validations: [],
  },
];

function terragruntLocals(): Record<string, string> {
  return statementLocals(TERRAGRUNT_STATEMENTS, {
    stateBucketArns: 'var.state_bucket_arns',
    lockTableArns: 'var.lock_table_arns',
    allowBootstrap: 'var.allow_bootstrap',
    allowAccountAlias: 'var.allow_account_alias',
  });
}

export function terragruntPolicyModuleFiles(): Record<string, string> {
  return ciPolicyModuleFiles({
    dir: TERRAGRUNT_POLICY_MODULE_DIR,
    title: 'terragrunt-policy',
    summary: [
      "What Terragrunt's remote-state feature needs on its state buckets and lock tables, as plain Terraform: the same",
      "document, byte for byte, as `terragruntPolicy` in `modules/ci-policies` (see its README for each call). Terraform's",
      "own state access is the permissions-policy module's.",
    ],
    example: [
      'module "terragrunt_policy" {',
      '  source = "./terraform-modules/terragrunt-policy"',
      '',
      '  state_bucket_arns = ["arn:aws:s3:::my-state-bucket"]',
      '  lock_table_arns   = ["arn:aws:dynamodb:eu-west-1:123456789012:table/my-lock-table"]',
      '}',
    ],
    variables: TERRAGRUNT_POLICY_VARIABLES,
    locals: terragruntLocals(),
  });
}
