/**
 * `JetsDeployGroup` as a plain Terraform module (`terraform-modules/jets-deploy-group/`), generated from
 * this file. Pure: no cdktf, no file system.
 *
 * It creates what the construct (a `DeployGroup`) creates: the `aws_iam_group`, the jets-deploy policy of
 * `../jets-deploy-policy` inline on it (`aws_iam_group_policy`, the seed's `put-group-policy`), one
 * `aws_iam_group_policy_attachment` per managed policy, and, per user, an `aws_iam_user` and an
 * `aws_iam_user_group_membership` (which adds the user without taking the group's other members away, as
 * the seed's `add-user-to-group`). Users are keyed by name and attachments by the caller's names, never
 * by position. `prefix` and `pass_role_to_services` are passed on to `../jets-deploy-policy`, which checks
 * them (and the 5,120 characters of a group's inline policies) once.
 *
 * Validation blocks make the construct's checks of names, paths and managed policy ARNs (`deploy-group.ts`);
 * values known only at apply are not checked, as the construct passes references through.
 */
import { IAM_NAME_LIMITS, IAM_PATH, IAM_PATH_MAX_LENGTH, iamName, iamNameWithPath, PARTITION, partitionExamples, POLICY_OWNER } from '../core/iam-identifiers';
import {
  AWS_PROVIDER_RANGE,
  expr,
  generatedNote,
  guardedValidations,
  matches,
  nullOr,
  policyArnPathLength,
  type OutputDefinition,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  type VariableDefinition,
  resourceModuleFiles,
} from '../private/terraform-module-files';
import { IAM_ENTITY_NAME_LIMITS } from './private/iam-entity-names';
import { JETS_DEPLOY_POLICY_SIZE_LIMIT, JETS_DEPLOY_POLICY_VARIABLES } from './terraform-jets-deploy-policy';
import { AWS_MANAGED_POLICIES_MODULE_CALL, awsManagedArnCheck } from '../private/terraform-aws-managed-policies';

/** The generated module's folder, relative to the project root. */
export const JETS_DEPLOY_GROUP_MODULE_DIR = 'terraform-modules/jets-deploy-group';

export const JETS_DEPLOY_GROUP_NOTE = generatedNote('modules/deploy-group/terraform-jets-deploy-group.ts');

// CreateGroup's GroupName, CreateUser's UserName, PutGroupPolicy's PolicyName and Path: core/iam-identifiers.ts,
// as private/iam-entity-names.ts and core/iam-names.ts check them.
const pathOk = (value: string) => nullOr(value, `length(${value}) <= ${IAM_PATH_MAX_LENGTH} && ${matches(IAM_PATH.re2, value)}`);
const PATH_MESSAGE = 'an IAM path starts and ends with "/" and holds printable ASCII only; write it like "/ci/" or "/"';
const NAME_FIX = 'rename it within those characters';
const ARN_FIX = 'pass the ARN of an IAM policy, e.g. "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"';

/** `alltrue` of `test` over the ARNs `a` of `managed_policy_arns`. */
const eachArn = (test: string) => `alltrue([for a in values(var.managed_policy_arns) : ${test}])`;

export const JETS_DEPLOY_GROUP_VARIABLES: readonly VariableDefinition[] = [
  {
    name: 'name',
    description: "Name of the group. The seed's: `Jets`.",
    type: 'string',
    default: 'Jets',
    nullable: false,
    validations: guardedValidations([
      [matches(iamName('group').re2, 'var.name'), `name: an IAM group name is 1 to ${IAM_ENTITY_NAME_LIMITS.group} characters of letters, digits and +=,.@_-; ${NAME_FIX}.`],
    ]),
  },
  {
    name: 'path',
    description: 'Path of the group. `null`: "/".',
    type: 'string',
    default: null,
    nullable: true,
    validations: guardedValidations([[pathOk('var.path'), `path: ${PATH_MESSAGE}.`]]),
  },
  {
    name: 'policy_name',
    description: "Name of the inline policy. The seed's: `JetsPolicy`.",
    type: 'string',
    default: 'JetsPolicy',
    nullable: false,
    validations: guardedValidations([
      [matches(iamName('rolePolicy').re2, 'var.policy_name'), `policy_name: an IAM policy name is 1 to ${IAM_NAME_LIMITS.rolePolicy} characters of letters, digits and +=,.@_-; ${NAME_FIX}.`],
    ]),
  },
  // Checked once, in ../jets-deploy-policy: the same variable checked twice could disagree.
  ...JETS_DEPLOY_POLICY_VARIABLES.map((v) => ({ ...v, validations: [] })),
  {
    name: 'users',
    description:
      'Users to create (`aws_iam_user`) and add to the group (`aws_iam_user_group_membership`): `name`, and an optional `path`. `null`: the group alone, members added elsewhere; an empty list is refused.',
    type: 'list(object({ name = string, path = optional(string) }))',
    default: null,
    nullable: true,
    validations: guardedValidations([
      [
        nullOr('var.users', 'length(var.users) > 0'),
        'users: an empty list adds nobody to the group, so its policies reach no one; list the users, e.g. [{ name = "tung" }], or leave users null to create the group alone and add members elsewhere.',
      ],
      [
        nullOr('var.users', `alltrue([for u in var.users : ${matches(iamName('user').re2, 'u.name')}])`),
        `users: an IAM user name is 1 to ${IAM_ENTITY_NAME_LIMITS.user} characters of letters, digits and +=,.@_-; ${NAME_FIX}.`,
      ],
      [nullOr('var.users', `alltrue([for u in var.users : ${pathOk('u.path')}])`), `users: ${PATH_MESSAGE}.`],
      [
        nullOr('var.users', 'length(distinct([for u in var.users : lower(u.name)])) == length(var.users)'),
        'users: a user is listed twice: IAM user names are not distinguished by case, so both name one user; list each once.',
      ],
    ]),
  },
  {
    name: 'managed_policy_arns',
    description:
      "Managed policies to attach to the group (`aws_iam_group_policy_attachment`), AWS or customer managed, by ARN: a map from a name of your choosing, which keys the attachment, to the ARN (which may be an `aws_iam_policy`'s `arn`), e.g. the seed's `arn:aws:iam::aws:policy/service-role/AWS_ConfigRole`.",
    type: 'map(string)',
    default: {},
    nullable: false,
    validations: guardedValidations([
      [eachArn(matches('^arn:[^:]+:iam::[^:]*:policy/', 'a')), `managed_policy_arns: not an IAM policy ARN (arn:aws:iam::<account or aws>:policy/<path><name>); ${ARN_FIX}.`],
      [eachArn(`!${matches('[*?]', 'a')}`), `managed_policy_arns: holds a wildcard; a policy attachment names one policy; ${ARN_FIX}.`],
      [eachArn(matches(`^arn:${PARTITION.source}:`, 'a')), `managed_policy_arns: not an AWS partition (${partitionExamples('"')}); ${ARN_FIX}.`],
      [eachArn(matches(`^arn:[^:]+:iam::${POLICY_OWNER.source}:`, 'a')), `managed_policy_arns: the account is neither "aws" (an AWS managed policy) nor a 12-digit account ID; ${ARN_FIX}.`],
      [
        eachArn(matches(`^arn:[^:]+:iam::${POLICY_OWNER.source}:policy/${iamNameWithPath('policy').source}$`, 'a')),
        `managed_policy_arns: the policy's path or name is not IAM's (a path of printable ASCII between "/", a name of 1 to ${IAM_NAME_LIMITS.policy} letters, digits and +=,.@_-); ${ARN_FIX}.`,
      ],
      [eachArn(`${policyArnPathLength('a')} <= ${IAM_PATH_MAX_LENGTH}`), `managed_policy_arns: the policy's path is over IAM's ${IAM_PATH_MAX_LENGTH} characters; ${ARN_FIX}.`],
      awsManagedArnCheck('managed_policy_arns', 'values(var.managed_policy_arns)'),
      ['length(distinct(values(var.managed_policy_arns))) == length(var.managed_policy_arns)', 'managed_policy_arns: the same policy is listed twice; list each policy once.'],
    ]),
  },
];

export const JETS_DEPLOY_GROUP_OUTPUTS: readonly OutputDefinition[] = [
  { name: 'group_name', description: 'The name of the IAM group.', value: 'aws_iam_group.this.name' },
  { name: 'group_arn', description: 'The ARN of the IAM group.', value: 'aws_iam_group.this.arn' },
  {
    name: 'user_names',
    description: 'The names of the IAM users created and added to the group; `null` without users.',
    value: 'var.users == null ? null : [for u in var.users : aws_iam_user.users[u.name].name]',
  },
  { name: 'json', description: "The jets-deploy policy put inline on the group: `../jets-deploy-policy`'s `json`.", value: 'module.jets_deploy_policy.json' },
];

function main(): Record<string, unknown> {
  const group = expr('aws_iam_group.this.name');
  return {
    '//': JETS_DEPLOY_GROUP_NOTE,
    locals: { users: expr('{ for u in coalesce(var.users, []) : u.name => u }') },
    module: {
      jets_deploy_policy: { source: '../jets-deploy-policy', ...Object.fromEntries(JETS_DEPLOY_POLICY_VARIABLES.map((v) => [v.name, expr(`var.${v.name}`)])) },
      ...AWS_MANAGED_POLICIES_MODULE_CALL,
    },
    resource: {
      aws_iam_group: { this: { name: expr('var.name'), path: expr('var.path') } },
      aws_iam_group_policy: { jets: { name: expr('var.policy_name'), group, policy: expr('module.jets_deploy_policy.json') } },
      aws_iam_group_policy_attachment: { managed: { for_each: expr('var.managed_policy_arns'), group, policy_arn: expr('each.value') } },
      aws_iam_user: { users: { for_each: expr('local.users'), name: expr('each.value.name'), path: expr('each.value.path') } },
      aws_iam_user_group_membership: { users: { for_each: expr('local.users'), user: expr('aws_iam_user.users[each.key].name'), groups: [group] } },
    },
  };
}

export const JETS_DEPLOY_GROUP_EXAMPLE = [
  'module "jets_group" {',
  '  source = "./terraform-modules/jets-deploy-group"',
  '',
  '  prefix = "my-cool-prefix"',
  '  users  = [{ name = "tung" }]',
  '',
  '  managed_policy_arns = { config = "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole" }',
  '}',
];

function readme(): string {
  return [
    '# jets-deploy-group',
    '',
    JETS_DEPLOY_GROUP_NOTE,
    '',
    "The seed's `Jets` group as plain Terraform, creating what `JetsDeployGroup` of `modules/deploy-group` creates: the",
    'group, the jets-deploy policy inline on it (the document of `../jets-deploy-policy`, byte for byte `jetsDeployPolicy`),',
    'its managed policy attachments, and its users with their memberships. Users are keyed by name and attachments by the',
    'names you give them, never by position. Bad literal inputs fail `terraform plan` with a validation error naming the',
    `variable and the fix; \`../jets-deploy-policy\` checks the prefix and the ${JETS_DEPLOY_POLICY_SIZE_LIMIT.toLocaleString('en-US')} characters of a group's inline policies.`,
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\` and the AWS provider \`${AWS_PROVIDER_RANGE}\`.`,
    '',
    '```hcl',
    ...JETS_DEPLOY_GROUP_EXAMPLE,
    '```',
    '',
    ...readmeTables(JETS_DEPLOY_GROUP_VARIABLES, JETS_DEPLOY_GROUP_OUTPUTS),
  ].join('\n');
}

/** The files of `terraform-modules/jets-deploy-group/`, by path relative to the project root. */
export function jetsDeployGroupModuleFiles(): Record<string, string> {
  return resourceModuleFiles(JETS_DEPLOY_GROUP_MODULE_DIR, {
    note: JETS_DEPLOY_GROUP_NOTE,
    readme: readme(),
    main: main(),
    variables: JETS_DEPLOY_GROUP_VARIABLES,
    outputs: JETS_DEPLOY_GROUP_OUTPUTS,
  });
}
