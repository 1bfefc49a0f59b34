/**
 * The state-access module's root module, `state-access-role`, as a plain Terraform module
 * (`terraform-modules/state-access-role/`): an `aws_iam_role` with the caller's trust policy and the
 * permissions of `permissions-policy` inline as `terraform-state-access`, with the outputs `role_arn` and
 * `role_name`, as george-richardson/terraform-aws-state-access-role's root module. It takes every variable
 * of `permissions-policy` and passes it on unchanged, so the policy (and its validation) is that module's,
 * not written again. Its trust policy goes through `../policy-admission`, as `StateAccessRole` checks who it
 * admits (`account`, `trust_policy_acknowledge`). As `StateAccessRole` takes what `Role` takes, it takes
 * `iam-role`'s role settings (session duration, boundary, tags, managed policy attachments keyed by the
 * caller's names), the same variables with the same validations, written to the role as `iam-role` writes
 * them: `ROLE_SETTING_VARIABLES` of modules/iam-role/terraform-iam-role.ts. Pure: no cdktf, no file system.
 */
import {
  AWS_PROVIDER_RANGE,
  awsVersionsFile,
  expr,
  json,
  matches,
  moduleFiles,
  nullOr,
  outputBlocks,
  type OutputDefinition,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  variableBlocks,
  type VariableDefinition,
} from '../private/terraform-module-files';
import { IAM_PATH, IAM_PATH_MAX_LENGTH, iamName } from '../core/iam-identifiers';
import { admissionCall } from '../iam-role/terraform-trust-policy';
import { MANAGED_POLICY_ATTACHMENTS, ROLE_SETTING_ARGUMENTS, ROLE_SETTING_VARIABLES } from '../iam-role/terraform-iam-role';
import { ACKNOWLEDGE_TYPE, acknowledgeDescription, acknowledgeValidations, ADMISSION_FACTS } from '../private/terraform-policy-admission';
import { GENERATED_NOTE, PERMISSIONS_POLICY_VARIABLES } from './terraform-permissions-policy';
import { AWS_MANAGED_POLICIES_MODULE_CALL } from '../private/terraform-aws-managed-policies';

/** The generated module's folder, relative to the project root. */
export const STATE_ACCESS_ROLE_MODULE_DIR = 'terraform-modules/state-access-role';

// IAM API reference: CreateRole's RoleName and Path, as core/iam-identifiers.ts writes them.
const ROLE_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'name',
    description: 'The name of the role to create.',
    type: 'string',
    nullable: false,
    validations: [
      {
        condition: expr(matches(iamName('role').re2, 'var.name')),
        error_message: 'name: an IAM role name is 1 to 64 characters of letters, digits and +=,.@_-; rename it within those characters.',
      },
    ],
  },
  {
    name: 'path',
    description: 'The path of the role. `null`: "/".',
    type: 'string',
    default: null,
    nullable: true,
    validations: [
      {
        condition: expr(nullOr('var.path', `length(var.path) <= ${IAM_PATH_MAX_LENGTH} && ${matches(IAM_PATH.re2, 'var.path')}`)),
        error_message: 'path: an IAM path starts and ends with "/" and holds printable ASCII only; write it like "/ci/" or "/".',
      },
    ],
  },
  {
    name: 'trust_policy',
    description: "A JSON trust policy document: who may assume the role. Checked by `../policy-admission` for who it admits, in the role's `account`.",
    type: 'string',
    nullable: false,
    validations: [
      {
        condition: expr('can(jsondecode(var.trust_policy).Statement)'),
        error_message: 'trust_policy: not a JSON policy document with a Statement; pass the JSON text of the trust policy.',
      },
    ],
  },
  {
    name: 'account',
    description:
      'The 12-digit ID of the account the role is in: trust in principals of other accounts is a `CROSS_ACCOUNT` finding. `null`: not known; every principal named by account is then a `CROSS_ACCOUNT` finding.',
    type: 'string',
    default: null,
    nullable: true,
    validations: [
      {
        condition: expr(`var.account == null ? true : can(regex(${JSON.stringify(ADMISSION_FACTS.accountId)}, var.account))`),
        error_message: 'account: an account ID is 12 digits; write the ID of the account the role is in, e.g. "123456123456".',
      },
    ],
  },
  {
    name: 'trust_policy_acknowledge',
    description: acknowledgeDescription('the trust policy'),
    type: ACKNOWLEDGE_TYPE,
    default: [],
    nullable: false,
    validations: acknowledgeValidations('trust_policy_acknowledge', 'trust_policy_acknowledge'),
  },
];

const ROLE_OUTPUTS: readonly OutputDefinition[] = [
  { name: 'role_arn', description: 'The ARN of the IAM role.', value: 'aws_iam_role.this.arn' },
  { name: 'role_name', description: 'The name of the IAM role.', value: 'aws_iam_role.this.name' },
  {
    name: 'trust_policy_acknowledged',
    description: 'The findings of who the trust policy admits that `trust_policy_acknowledge` accepts: `rule`, `field`, `reason`, as `StateAccessRole` writes them next to the role.',
    value: 'module.trust_policy_admission.acknowledged',
  },
];

/**
 * Every input: the role's, then `iam-role`'s role settings (the same definitions, validations included;
 * each defaults to the role without it, so a call that does not give them plans as before), then
 * `permissions-policy`'s, which are passed on as they are.
 */
export const STATE_ACCESS_ROLE_VARIABLES: readonly VariableDefinition[] = [
  ...ROLE_VARIABLES,
  ...ROLE_SETTING_VARIABLES,
  // Validation happens once, in permissions-policy: the same variable checked twice could disagree.
  ...PERMISSIONS_POLICY_VARIABLES.map((v) => ({ ...v, validations: [] })),
];

function readme(): string {
  return [
    '# state-access-role',
    '',
    GENERATED_NOTE.replace('terraform-permissions-policy.ts', 'terraform-state-access-role.ts'),
    '',
    'A role for least-privilege access to Terraform state in S3, as plain Terraform: `aws_iam_role` with your trust',
    'policy, and the document of `../permissions-policy` inline as `terraform-state-access`. Every variable of',
    '`permissions-policy` is passed to it unchanged, so are its validation and its policy (byte for byte the',
    "state-access module's `statePermissionsPolicy`). The trust policy goes through `../policy-admission`, as",
    '`StateAccessRole` checks it: planning fails while it admits principals nobody may have meant (`Principal: "*"`, an OIDC',
    'provider without pinned tokens, a principal of another account than `account`), naming the rule, until the finding is',
    'accepted with a reason in `trust_policy_acknowledge`: `{ rule = "CROSS_ACCOUNT", reason = "the CI account runs terraform" }`.',
    'As `StateAccessRole` takes what `Role` takes, the role takes what `../iam-role` takes for it, the same variables with',
    'the same validations: `max_session_duration`, `permissions_boundary`, `tags`, and managed policies (customer or AWS',
    'managed) in `managed_policy_arns`, attached by the names you give them, never by position, at most',
    '`max_managed_policies`. Left out, the role is as before: no boundary, no tags, nothing attached.',
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\` and the AWS provider \`${AWS_PROVIDER_RANGE}\`.`,
    '',
    '```hcl',
    'module "access_role" {',
    '  source = "./terraform-modules/state-access-role"',
    '',
    '  name             = "state-access"',
    '  state_bucket_arn = "arn:aws:s3:::my-state-bucket"',
    '  lock_table_arn   = "arn:aws:dynamodb:eu-west-1:123456123456:table/my-lock-table"',
    '  trust_policy     = data.aws_iam_policy_document.trust.json',
    '  account          = "123456123456"',
    '  can_apply        = [{ key = "terraform.tfstate" }]',
    '',
    '  permissions_boundary = aws_iam_policy.boundary.arn',
    '  tags                 = { team = "platform" }',
    '}',
    '```',
    '',
    ...readmeTables(STATE_ACCESS_ROLE_VARIABLES, ROLE_OUTPUTS),
  ].join('\n');
}

/** The files of `terraform-modules/state-access-role/`, by path relative to the project root. */
export function stateAccessRoleModuleFiles(): Record<string, string> {
  const note = GENERATED_NOTE.replace('terraform-permissions-policy.ts', 'terraform-state-access-role.ts');
  const passOn = Object.fromEntries(PERMISSIONS_POLICY_VARIABLES.map((v) => [v.name, expr(`var.${v.name}`)]));
  return moduleFiles(STATE_ACCESS_ROLE_MODULE_DIR, {
    'README.md': readme(),
    'main.tf.json': json({
      '//': note,
      module: {
        permissions_policy: { source: '../permissions-policy', ...passOn },
        trust_policy_admission: admissionCall('var.trust_policy', 'var.account', 'var.trust_policy_acknowledge'),
        ...AWS_MANAGED_POLICIES_MODULE_CALL,
      },
      resource: {
        aws_iam_role: { this: { name: expr('var.name'), path: expr('var.path'), assume_role_policy: expr('module.trust_policy_admission.json'), ...ROLE_SETTING_ARGUMENTS } },
        aws_iam_role_policy: {
          inline_policy: { name: 'terraform-state-access', role: expr('aws_iam_role.this.name'), policy: expr('module.permissions_policy.json') },
        },
        aws_iam_role_policy_attachment: MANAGED_POLICY_ATTACHMENTS,
      },
    }),
    'outputs.tf.json': json({ '//': note, output: outputBlocks(ROLE_OUTPUTS) }),
    'variables.tf.json': json({ '//': note, variable: variableBlocks(STATE_ACCESS_ROLE_VARIABLES) }),
    'versions.tf.json': awsVersionsFile(note),
  });
}
