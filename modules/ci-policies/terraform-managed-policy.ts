/**
 * `CiPolicy`'s resources as a plain Terraform module (`terraform-modules/managed-policy/`), generated from
 * this file: a customer managed policy (`aws_iam_policy`) from a JSON document, attached to roles, users
 * and groups (`aws_iam_role_policy_attachment`, `aws_iam_user_policy_attachment`,
 * `aws_iam_group_policy_attachment`), with Gruntwork's `create_resources` switch and outputs `json`, `arn`
 * and `name`. The policy-only CI modules (`ecr-docker-push-policy`, `ecs-service-deployment-policy`,
 * `terragrunt-policy`) give it their `json`. Pure: no cdktf, no file system.
 *
 * Attachments are `for_each` over maps keyed by the caller's names, never by position, as `CiPolicy` keys
 * them by the entity's name. Validation blocks make `CiPolicy`'s checks (name, path, nothing attached when
 * nothing is created) and the managed kind's checks Terraform can express (JSON with a Statement, policy
 * characters, 6,144 characters minified, no Principal). Not mirrored: `CiPolicy`'s split of an oversized
 * policy into `<name>-2`, … (`maxPolicies`), which needs the policy's statements, not its text: a caller
 * with more grants calls the module once per part.
 */
import { IAM_NAME_LIMITS, IAM_PATH, IAM_PATH_MAX_LENGTH, iamName } from '../core/iam-identifiers';
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

/** The generated module's folder, relative to the project root. */
export const MANAGED_POLICY_MODULE_DIR = 'terraform-modules/managed-policy';

export const MANAGED_POLICY_NOTE = generatedNote('modules/ci-policies/terraform-managed-policy.ts');

const MANAGED = POLICY_SIZE_LIMITS.managed;
// CreatePolicy's PolicyName and Path, as core/iam-identifiers.ts writes them, and Description (at most
// 1,000): the IAM API reference.

/** What `attach_to_<kind>` takes, for its description. */
const attachDescription = (kind: string, resource: string) =>
  `Names of ${kind} to attach the policy to (\`${resource}\`): a map from a name of your choosing, which keys the attachment, to the ${kind.slice(0, -1)}'s name (which may be a reference).`;

export const MANAGED_POLICY_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'name',
    description: "Name of the managed policy, e.g. the CI module's (`ecr-docker-push`, `ecs-service-deployment`, `terragrunt`).",
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
      [
        nullOr('var.path', `length(var.path) <= ${IAM_PATH_MAX_LENGTH} && ${matches(IAM_PATH.re2, 'var.path')}`),
        'path: an IAM path starts and ends with "/" and holds printable ASCII only; write it like "/ci/" or "/".',
      ],
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
    description: `The policy as JSON text, e.g. a CI policy module's \`json\` output. At most ${MANAGED.limit.toLocaleString('en-US')} characters, minified.`,
    type: 'string',
    nullable: false,
    validations: guardedValidations([
      ...policyTextChecks('policy', 'var.policy', 'managed'),
      [
        'alltrue([for s in flatten([jsondecode(var.policy).Statement]) : !can(s.Principal) && !can(s.NotPrincipal)])',
        'policy: a statement has a Principal or NotPrincipal; a managed policy applies to the identities it is attached to and takes none; remove Principal and NotPrincipal.',
      ],
    ]),
  },
  {
    name: 'create_resources',
    description: "Create the managed policy and its attachments. `false`: nothing is created, and `json` is still output (Gruntwork's `create_resources`).",
    type: 'bool',
    default: true,
    nullable: false,
    validations: guardedValidations([
      [
        'var.create_resources || length(var.attach_to_roles) + length(var.attach_to_users) + length(var.attach_to_groups) == 0',
        'create_resources: nothing is created, so nothing can be attached; remove the attach_to_* maps, or create the policy.',
      ],
    ]),
  },
  { name: 'attach_to_roles', description: attachDescription('roles', 'aws_iam_role_policy_attachment'), type: 'map(string)', default: {}, nullable: false, validations: [] },
  { name: 'attach_to_users', description: attachDescription('users', 'aws_iam_user_policy_attachment'), type: 'map(string)', default: {}, nullable: false, validations: [] },
  { name: 'attach_to_groups', description: attachDescription('groups', 'aws_iam_group_policy_attachment'), type: 'map(string)', default: {}, nullable: false, validations: [] },
];

export const MANAGED_POLICY_OUTPUTS: readonly OutputDefinition[] = [
  { name: 'json', description: 'The policy document, as given.', value: 'var.policy' },
  { name: 'arn', description: 'The ARN of the policy; `null` when create_resources is false.', value: 'one(aws_iam_policy.this[*].arn)' },
  { name: 'name', description: 'The name of the policy; `null` when create_resources is false.', value: 'one(aws_iam_policy.this[*].name)' },
];

function main(): Record<string, unknown> {
  const attachments = (variable: string, argument: string) => ({
    for_each: expr(`var.create_resources ? var.${variable} : {}`),
    [argument]: expr('each.value'),
    policy_arn: expr('aws_iam_policy.this[0].arn'),
  });
  return {
    '//': MANAGED_POLICY_NOTE,
    resource: {
      aws_iam_policy: {
        this: { count: expr('var.create_resources ? 1 : 0'), name: expr('var.name'), path: expr('var.path'), description: expr('var.description'), policy: expr('var.policy') },
      },
      aws_iam_role_policy_attachment: { roles: attachments('attach_to_roles', 'role') },
      aws_iam_user_policy_attachment: { users: attachments('attach_to_users', 'user') },
      aws_iam_group_policy_attachment: { groups: attachments('attach_to_groups', 'group') },
    },
  };
}

function readme(): string {
  return [
    '# managed-policy',
    '',
    MANAGED_POLICY_NOTE,
    '',
    'A customer managed policy and its attachments as plain Terraform, creating what `CiPolicy` of `modules/ci-policies`',
    'creates for a CI policy: the `aws_iam_policy` and one attachment per role, user and group, keyed by the names you give',
    'them, never by position. Give it the `json` of `../ecr-docker-push-policy`, `../ecs-service-deployment-policy` or',
    '`../terragrunt-policy` (or any identity policy). Bad literal inputs fail `terraform plan` with a validation error naming',
    `the variable and the fix: the name, path and description, and the policy's JSON, characters, ${MANAGED.limit.toLocaleString('en-US')} characters (minified) and no`,
    'Principal. Unlike `CiPolicy`, the module does not split a policy over the limit into several (`maxPolicies`): call it',
    'once per part.',
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\` and the AWS provider \`${AWS_PROVIDER_RANGE}\`.`,
    '',
    '```hcl',
    'module "ecr_push_policy" {',
    '  source = "./terraform-modules/ecr-docker-push-policy"',
    '',
    '  repository_arns = ["arn:aws:ecr:eu-west-1:123456123456:repository/web"]',
    '}',
    '',
    'module "ecr_push" {',
    '  source = "./terraform-modules/managed-policy"',
    '',
    '  name            = "ecr-docker-push"',
    '  policy          = module.ecr_push_policy.json',
    '  attach_to_roles = { ci = "ci-web" }',
    '}',
    '```',
    '',
    ...readmeTables(MANAGED_POLICY_VARIABLES, MANAGED_POLICY_OUTPUTS),
  ].join('\n');
}

/** The files of `terraform-modules/managed-policy/`, by path relative to the project root. */
export function managedPolicyModuleFiles(): Record<string, string> {
  return resourceModuleFiles(MANAGED_POLICY_MODULE_DIR, { note: MANAGED_POLICY_NOTE, readme: readme(), main: main(), variables: MANAGED_POLICY_VARIABLES, outputs: MANAGED_POLICY_OUTPUTS });
}
