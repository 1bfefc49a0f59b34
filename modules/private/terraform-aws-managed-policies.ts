/**
 * AWS's managed policies for the generated Terraform modules: `terraform-modules/aws-managed-policies`, a
 * module of data only (no provider, no resource) holding the path and name of every current AWS managed
 * policy, from the same list the constructs check (`core/aws-managed-policies.ts`), and the validation rule
 * a module's variable adds to refuse an AWS managed ARN that names none of them. A module that takes AWS
 * managed ARNs calls it as `module.aws_managed_policies` (`AWS_MANAGED_POLICIES_MODULE_CALL`), a sibling
 * folder, as `../trust-policy` is called. Pure: no cdktf, no file system.
 *
 * What HCL cannot do that the constructs do: name the nearest policy by spelling. The rule names the policy
 * AWS offers under another path or in another case, and otherwise points at AWS's list.
 */
import { AWS_MANAGED_POLICIES_AS_OF } from '../core/aws-managed-policies';
import { AWS_MANAGED_POLICY_PATHS_AND_NAMES } from '../core/iam-data';
import { AWS_MANAGED_POLICY_OWNER, PARTITION } from '../core/iam-identifiers';
import { generatedNote, json, moduleFiles, REQUIRED_TERRAFORM_VERSION } from './terraform-module-files';

export const AWS_MANAGED_POLICIES_MODULE_DIR = 'terraform-modules/aws-managed-policies';

/** `main.tf.json`'s module block of a module that checks AWS managed ARNs. */
export const AWS_MANAGED_POLICIES_MODULE_CALL: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_managed_policies: { source: '../aws-managed-policies' },
};

const NOTE = generatedNote('modules/private/terraform-aws-managed-policies.ts');
const LIST_URL = 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html';
// An AWS managed policy's ARN, any partition: the account is the literal `aws` (core/iam-identifiers.ts).
const AWS_MANAGED = `^arn:${PARTITION.source}:iam::${AWS_MANAGED_POLICY_OWNER}:policy/`;
const PATH_AND_NAME = `^arn:${PARTITION.source}:iam::${AWS_MANAGED_POLICY_OWNER}:policy(/.*)$`;

/** The module's files: the list as locals, three outputs, a README; Terraform's version range only. */
export function awsManagedPoliciesModuleFiles(): Record<string, string> {
  const byLowerName = Object.fromEntries(AWS_MANAGED_POLICY_PATHS_AND_NAMES.map((entry) => [entry.slice(entry.lastIndexOf('/') + 1).toLowerCase(), entry]));
  const readme = [
    '# aws-managed-policies',
    '',
    `${NOTE}`,
    '',
    `The path and name of every AWS managed policy AWS offers, as of ${AWS_MANAGED_POLICIES_AS_OF.updated}`,
    `(\`${AWS_MANAGED_POLICIES_AS_OF.package}\` ${AWS_MANAGED_POLICIES_AS_OF.version}, refreshed by \`npm run managed-policies\`), for the`,
    'modules that take AWS managed policy ARNs (`iam-role`, `state-access-role`, `jets-deploy-group`,',
    '`delegated-role-creation-policy`): they refuse, at plan, an ARN that names none of them (misspelt, on the',
    'wrong path, or deprecated: a deprecated AWS managed policy cannot be attached to a new principal), naming the',
    'policy AWS offers under another path or case. A policy AWS published after this list passes as a reference',
    "(a `data.aws_iam_policy`'s `arn`), which Terraform looks up at plan. No provider, no resource.",
    '',
    '```hcl',
    'module "aws_managed_policies" {',
    '  source = "./terraform-modules/aws-managed-policies"',
    '}',
    '```',
    '',
    '## Inputs',
    '',
    'None.',
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '|---|---|',
    '| `paths_and_names` | Every current AWS managed policy as `<path><name>` (`/service-role/AWS_ConfigRole`): its ARN is `arn:<partition>:iam::aws:policy` followed by it. |',
    '| `by_lower_name` | The same, by lower-case name (`aws_configrole`), to find a policy given under another path or case. |',
    '| `as_of` | The date of the newest policy version in the list. |',
    '',
  ].join('\n');
  return moduleFiles(AWS_MANAGED_POLICIES_MODULE_DIR, {
    'README.md': readme,
    'main.tf.json': json({ '//': NOTE, locals: { paths_and_names: AWS_MANAGED_POLICY_PATHS_AND_NAMES, by_lower_name: byLowerName } }),
    'outputs.tf.json': json({
      '//': NOTE,
      output: {
        paths_and_names: { description: 'Every current AWS managed policy as <path><name>.', value: '${local.paths_and_names}' },
        by_lower_name: { description: 'The same, by lower-case name.', value: '${local.by_lower_name}' },
        as_of: { description: 'The date of the newest policy version in the list.', value: AWS_MANAGED_POLICIES_AS_OF.updated },
      },
    }),
    // No inputs (Terraform refuses an empty variable block): the file is there so that every module has the same files.
    'variables.tf.json': json({ '//': `${NOTE} This module takes no variables.` }),
    'versions.tf.json': json({ '//': NOTE, terraform: { required_version: REQUIRED_TERRAFORM_VERSION } }),
  });
}

/**
 * The validation check (`[condition, error_message]`, for `guardedValidations`) that every AWS managed ARN in
 * `arns` (an HCL expression of a list of strings; customer managed ARNs and unknown values pass) is one of
 * the list's. The message names each ARN that is not, with the policy AWS offers under another path or case.
 */
export function awsManagedArnCheck(field: string, arns: string): [string, string] {
  const isAws = (a: string) => `can(regex(${JSON.stringify(AWS_MANAGED)}, ${a}))`;
  // A conditional, not `||`: Terraform evaluates both sides of `||`, and regex fails on a customer ARN.
  const current = (a: string) => `(${isAws(a)} ? contains(module.aws_managed_policies.paths_and_names, regex(${JSON.stringify(PATH_AND_NAME)}, ${a})[0]) : true)`;
  const offered = (a: string) => `lookup(module.aws_managed_policies.by_lower_name, lower(regex("[^/]+$", ${a})), "")`;
  const condition = `alltrue([for a in ${arns} : ${current('a')}])`;
  const each =
    `\${a} is not one of AWS's managed policies as of ${AWS_MANAGED_POLICIES_AS_OF.updated}: \${${offered('a')} != "" ? ` +
    `"AWS offers it as arn:\${regex("^arn:([^:]+):", a)[0]}:iam::aws:policy\${${offered('a')}}" : ` +
    `"misspelt, or deprecated (a deprecated AWS managed policy cannot be attached to a new principal); find it in ${LIST_URL}, or pass a data.aws_iam_policy's arn for one newer than this list"}`;
  // Quotes inside an interpolation of an HCL quoted template need no escape.
  const message = `${field}: \${join("; ", [for a in ${arns} : "${each}" if !try(${current('a')}, true)])}. [AWS_MANAGED_POLICY_UNKNOWN]`;
  return [condition, message];
}
