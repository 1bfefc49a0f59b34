/**
 * `terraform-modules/service-control-policy/`: `ServiceControlPolicy` as a plain Terraform module, an `aws_organizations_policy` of type `SERVICE_CONTROL_POLICY` and one `aws_organizations_policy_attachment` per target.
 * Generated from this file; what the three policy-type modules share is in private/policy-type-module-parts.ts.
 * Pure: no cdktf, no file system.
 */
import { POLICY_SIZE_LIMITS } from '../core/policy-kind';
import { expr, guardedValidations, matches, nullOr, type OutputDefinition, type VariableDefinition } from '../private/terraform-module-files';
import { ORGANIZATIONS_TARGET_ID } from './scp';
import { noPrincipal, POLICY_DESCRIPTION, policyTypeModuleFiles, policyValidations } from './private/policy-type-module-parts';

export const SERVICE_CONTROL_POLICY_MODULE_DIR = 'terraform-modules/service-control-policy';

// --- service-control-policy ------------------------------------------------------------------------------

const SCP = POLICY_SIZE_LIMITS['service-control'];
/** scp.ts's target id patterns (the Organizations API reference's), which RE2 reads as JavaScript does. */
const TARGET_ID = Object.values(ORGANIZATIONS_TARGET_ID)
  .map((re) => `(${re.source})`)
  .join('|');

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
  return policyTypeModuleFiles({
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
