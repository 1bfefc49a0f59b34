/**
 * `terraform-modules/permissions-boundary/`: `PermissionsBoundary` as a plain Terraform module, the `aws_iam_policy` of a boundary.
 * Generated from this file; what the three policy-type modules share is in private/policy-type-module-parts.ts.
 * Pure: no cdktf, no file system.
 */
import { IAM_NAME_LIMITS, IAM_PATH, IAM_PATH_MAX_LENGTH, iamName } from '../core/iam-identifiers';
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import { expr, guardedValidations, matches, nullOr, type OutputDefinition, type VariableDefinition } from '../private/terraform-module-files';
import { noPrincipal, POLICY_DESCRIPTION, policyTypeModuleFiles, policyValidations } from './private/policy-type-module-parts';

export const PERMISSIONS_BOUNDARY_MODULE_DIR = 'terraform-modules/permissions-boundary';

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
      [
        nullOr('var.path', `length(var.path) <= ${IAM_PATH_MAX_LENGTH} && ${matches(IAM_PATH.re2, 'var.path')}`),
        'path: an IAM path starts and ends with "/" and holds printable ASCII only; write it like "/boundaries/" or "/".',
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
  return policyTypeModuleFiles({
    dir: PERMISSIONS_BOUNDARY_MODULE_DIR,
    title: 'permissions-boundary',
    intro: [
      'A permissions boundary as plain Terraform, creating what `PermissionsBoundary` of `modules/policy-types` creates: the',
      "customer managed policy (`aws_iam_policy`) that bounds a role's permissions. Pass `boundary_arn` to `../iam-role`'s",
      '`permissions_boundary`. Bad literal inputs fail `terraform plan` with a validation error naming the variable and the',
      `fix: the name, path and description, and the policy's JSON, characters, ${MANAGED.limit.toLocaleString('en-US')} characters (minified), and no Principal.`,
    ],
    example: ['module "boundary" {', '  source = "./terraform-modules/permissions-boundary"', '', '  name   = "PermissionsBoundary"', '  policy = data.aws_iam_policy_document.boundary.json', '}'],
    variables: PERMISSIONS_BOUNDARY_VARIABLES,
    outputs: PERMISSIONS_BOUNDARY_OUTPUTS,
    resource: {
      aws_iam_policy: { this: { name: expr('var.name'), path: expr('var.path'), description: expr('var.description'), policy: expr('var.policy') } },
    },
  });
}
