/**
 * What the three policy-type modules' generators share (terraform-service-control-policy.ts,
 * terraform-permissions-boundary.ts, terraform-s3-bucket-policy.ts): the checks of the policy given as JSON
 * text, and the files of a module with AWS resources and its README. Pure: no cdktf, no file system.
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
import {
  AWS_PROVIDER_RANGE,
  generatedNote,
  guardedValidations,
  type OutputDefinition,
  policyTextChecks,
  readmeTables,
  REQUIRED_TERRAFORM_VERSION,
  type VariableDefinition,
  resourceModuleFiles,
} from '../../private/terraform-module-files';

/** The statements of the policy text in `var.policy`: `Statement` may be one object or a list. */
export const STATEMENTS = 'flatten([jsondecode(var.policy).Statement])';

/** `policyTextChecks` of `var.policy` for `kind`, and `extra` checks of its statements after them. */
export function policyValidations(kind: Parameters<typeof policyTextChecks>[2], extra: [string, string][] = []) {
  return guardedValidations([...policyTextChecks('policy', 'var.policy', kind), ...extra]);
}

export const POLICY_DESCRIPTION = (what: string) => `The ${what} as JSON text: \`data.aws_iam_policy_document.<name>.json\`, \`jsonencode({...})\` or a policy module's \`json\` output.`;

export const noPrincipal = (what: string): [string, string] => [
  `alltrue([for s in ${STATEMENTS} : !can(s.Principal) && !can(s.NotPrincipal)])`,
  `policy: a statement has a Principal or NotPrincipal; ${what} applies to the principals it is attached to and takes none; remove Principal and NotPrincipal.`,
];

export interface ModuleSpec {
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

export function policyTypeModuleFiles(spec: ModuleSpec): Record<string, string> {
  // Each module names the generator it is written from: modules/policy-types/terraform-<folder>.ts.
  const note = generatedNote(`modules/policy-types/terraform-${spec.dir.replace(/^terraform-modules\//, '')}.ts`);
  const readme = [
    `# ${spec.title}`,
    '',
    note,
    '',
    ...spec.intro,
    `Requires Terraform \`${REQUIRED_TERRAFORM_VERSION}\` and the AWS provider \`${AWS_PROVIDER_RANGE}\`.`,
    '',
    "Unlike the construct, the module does not check the policy's actions, resources and condition keys against the",
    'Service Authorization Reference, and writes the policy as given rather than in canonical form: pass a document',
    "built by this project's modules, or checked elsewhere.",
    '',
    '```hcl',
    ...spec.example,
    '```',
    '',
    ...readmeTables(spec.variables, spec.outputs),
  ].join('\n');
  return resourceModuleFiles(spec.dir, {
    note,
    readme: readme,
    main: { ...(spec.module !== undefined && { module: spec.module }), resource: spec.resource },
    variables: spec.variables,
    outputs: spec.outputs,
  });
}
