/**
 * What every generated Terraform module (`npm run modules`) is written with: variable, output and
 * validation definitions, HCL expressions in JSON syntax, the README tables, and the file layout. Pure: no
 * cdktf, no file system. Each module family's generator (its terraform-module file) builds on it.
 */
import { POLICY_SIZE_LIMITS, type PolicyKind } from '../core/policy-kind';
import { closingIndex, escapeQuoted } from './hcl-scan';

/** The Terraform versions the module supports: validation conditions that name other variables need 1.9. */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.9.0';

/** One `validation` block. */
export interface Validation {
  readonly condition: string;
  readonly error_message: string;
}

/** One input variable, as written to `variables.tf.json` and the README's inputs table. */
export interface VariableDefinition {
  readonly name: string;
  readonly description: string;
  /** A Terraform type constraint. */
  readonly type: string;
  /** Absent: the variable is required. */
  readonly default?: unknown;
  readonly nullable: boolean;
  readonly validations: readonly Validation[];
}

/** One output. */
export interface OutputDefinition {
  readonly name: string;
  readonly description: string;
  /** The value expression (without `${ }`). */
  readonly value: string;
}

/** An HCL quoted string literal for `value` (a regex or message inside an expression). */
export function hclString(value: string): string {
  // In a replacement string `$$` writes one `$`: `'$$$${'` is the text `$${`.
  return JSON.stringify(value).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

/**
 * `text` as literal template text in a JSON-syntax string (a message, a description): every `${` and `%{`
 * escaped, so that only the interpolations written around it are evaluated.
 */
export function templateText(text: string): string {
  return text.replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{');
}

/** An HCL tuple of quoted strings, spaced as `terraform fmt` writes it: `["a", "b"]`. */
export function hclList(values: readonly string[]): string {
  return `[${values.map(hclString).join(', ')}]`;
}

/**
 * Template text (literal text with `${…}` interpolations written on purpose) as the inside of an HCL quoted
 * string within an expression: the literal parts escaped (`\\`, `"`, `%{`, line ends), each interpolation
 * kept as written, quotes and braces inside it included.
 */
export function quotedTemplate(text: string): string {
  const escape = (literal: string) => escapeQuoted(literal).replace(/%\{/g, '%%{');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const start = text.indexOf('${', i);
    if (start < 0) {
      out += escape(text.slice(i));
      break;
    }
    out += escape(text.slice(i, start));
    // The interpolation ends at the brace that closes it, outside quoted strings.
    const end = closingIndex(text, start + 1);
    out += text.slice(start, end + 1);
    i = end + 1;
  }
  return out;
}

/** JavaScript's white space as the inside of an RE2 class: core/iam-identifiers.ts, where the IAM patterns use it. */
export { JS_WHITE_SPACE } from '../core/iam-identifiers';

// --- values of any type ----------------------------------------------------------------------------------
// A value read with `jsondecode`, or given to a variable of type `any`, may be of any JSON type. Terraform has
// no type test for values; these are built on what each type can do: only an object or a map has `keys`,
// only a string is its own `tostring` (`==` never converts), and only a list, a tuple or a set besides has a
// `length` but no `keys`. Each reads its value as it is, with no JSON round trip, which costs.

/** Whether `value` (an expression) is a string. */
export function isString(value: string): string {
  return `(${value} != null && try(tostring(${value}) == ${value}, false))`;
}

/** Whether `value` is a list (a tuple, a list or a set). */
export function isList(value: string): string {
  return `(${value} != null && can(length(${value})) && !can(keys(${value})) && !${isString(value)})`;
}

/** Whether `value` is an object or a map. */
export function isObject(value: string): string {
  return `can(keys(${value}))`;
}

/**
 * `value` as a list, as JavaScript's `Array.isArray(v) ? v : [v]` reads it: its elements when it is a list,
 * none when it is an object, else a list of it (a string becomes a list of one).
 */
export function listed(value: string): string {
  return `[for x in try([for y in ${value} : y], [${value}]) : x if !can(keys(${value}))]`;
}

/**
 * The length of the path of the managed policy ARN `arn` (an expression): from the `/` after `policy` up to the
 * name, both slashes included, as IAM's 512-character path limit counts it. Fails on a value that is not a
 * managed policy ARN: guard it (`try`, or an earlier check).
 */
export function policyArnPathLength(arn: string): string {
  return `length(regex(${hclString('^arn:[^:]+:iam::[^:]*:policy(/(?:.*/)?)[^/]*$')}, ${arn})[0])`;
}

/** `can(regex(pattern, value))`: true when `value` is a string matching `pattern`, false for null. */
export function matches(pattern: string, value: string): string {
  return `can(regex(${hclString(pattern)}, ${value}))`;
}

/** A condition expression as a JSON-syntax template. */
export function expr(expression: string): string {
  return `\${${expression}}`;
}

/**
 * Validation blocks that report one problem at a time: check i passes whenever an earlier check failed,
 * so a bad value gets the message of the first rule it breaks. Each check is `[ok expression, message]`.
 */
export function orderedValidations(checks: readonly (readonly [string, string])[]): Validation[] {
  return checks.map(([ok, message], i) => ({
    condition: expr(
      i === 0
        ? ok
        : `!(${checks
            .slice(0, i)
            .map(([earlier]) => `(${earlier})`)
            .join(' && ')}) || (${ok})`,
    ),
    error_message: message,
  }));
}

/**
 * `orderedValidations` for checks that may fail to evaluate (a null element, text that is not JSON): each
 * check is wrapped in `try(…, false)`, so a value a check cannot read breaks that check, with its message,
 * instead of the condition. Terraform's `&&` and `||` evaluate both sides, so a guard written in the same
 * expression (`x != null && length(x) > 0`) does not keep the second side from failing.
 */
export function guardedValidations(checks: readonly (readonly [string, string])[]): Validation[] {
  return orderedValidations(checks.map(([ok, message]) => [`try(${ok}, false)`, message]));
}

/**
 * `check` of `value`, true when `value` is null: a conditional, which evaluates only the branch it takes,
 * where `value == null || check` would evaluate `check` of null too (and fail, or be false under `try`).
 */
export function nullOr(value: string, check: string): string {
  return `${value} == null ? true : (${check})`;
}

/** The note at the top of each generated file, naming the file it is generated from. */
export function generatedNote(source: string): string {
  return `Generated by \`npm run modules\` from \`${source}\`: do not edit by hand.`;
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The README's inputs and outputs tables, in the layout terraform-docs writes (as the seed's README). */
export function readmeTables(variables: readonly VariableDefinition[], outputs: readonly OutputDefinition[]): string[] {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const inputs = variables.map((v) => {
    const required = v.default === undefined;
    return `| \`${v.name}\` | ${cell(v.description)} | \`${cell(v.type)}\` | ${required ? 'n/a' : `\`${cell(JSON.stringify(v.default))}\``} | ${required ? 'yes' : 'no'} |`;
  });
  return [
    '## Inputs',
    '',
    '| Name | Description | Type | Default | Required |',
    '|---|---|---|---|---|',
    ...inputs,
    '',
    '## Outputs',
    '',
    '| Name | Description |',
    '|---|---|',
    ...outputs.map((o) => `| \`${o.name}\` | ${cell(o.description)} |`),
    '',
  ];
}

/** `variables.tf.json`'s `variable` block. */
export function variableBlocks(variables: readonly VariableDefinition[]): Record<string, unknown> {
  const variable: Record<string, unknown> = {};
  for (const v of variables) {
    variable[v.name] = {
      description: v.description,
      type: v.type,
      ...(v.default !== undefined && { default: v.default }),
      nullable: v.nullable,
      ...(v.validations.length > 0 && { validation: v.validations }),
    };
  }
  return variable;
}

/** `outputs.tf.json`'s `output` block. */
export function outputBlocks(outputs: readonly OutputDefinition[]): Record<string, unknown> {
  const output: Record<string, unknown> = {};
  for (const o of outputs) output[o.name] = { description: o.description, value: expr(o.value) };
  return output;
}

/** The parts of a policy-only module (no provider): what goes into its five files. */
export interface PolicyModuleParts {
  /** The generated-file note written at the top of each JSON file. */
  readonly note: string;
  readonly readme: string;
  /** `main.tf.json`'s locals. */
  readonly locals: Record<string, string>;
  readonly variables: readonly VariableDefinition[];
  /** `outputs.tf.json`'s output block. */
  readonly outputs: Record<string, unknown>;
  /** `main.tf.json`'s module calls (of other policy-only modules), if any. */
  readonly modules?: Record<string, Record<string, unknown>>;
}

/** The files of a policy-only module under `dir`: README, locals, outputs, variables, a version range only. */
export function policyModuleFiles(dir: string, parts: PolicyModuleParts): Record<string, string> {
  return moduleFiles(dir, {
    'README.md': parts.readme,
    'main.tf.json': json({ '//': parts.note, locals: parts.locals, ...(parts.modules !== undefined && { module: parts.modules }) }),
    'outputs.tf.json': json({ '//': parts.note, output: parts.outputs }),
    'variables.tf.json': json({ '//': parts.note, variable: variableBlocks(parts.variables) }),
    'versions.tf.json': json({ '//': parts.note, terraform: { required_version: REQUIRED_TERRAFORM_VERSION } }),
  });
}

/**
 * The output block of `outputs` with a precondition on `json`: the policy in `local.document` may be at
 * most `limit` characters; `message` says which limit and what to do.
 */
export function sizeCheckedOutputBlocks(outputs: readonly OutputDefinition[], limit: number, message: string): Record<string, unknown> {
  const blocks = outputBlocks(outputs) as Record<string, Record<string, unknown>>;
  return {
    ...blocks,
    json: { ...blocks.json, precondition: [{ condition: expr(`length(local.document) <= ${limit}`), error_message: message }] },
  };
}

/** A module's files by path under `dir`, in a stable order. */
export function moduleFiles(dir: string, files: Record<string, string>): Record<string, string> {
  const byPath: Record<string, string> = {};
  for (const name of Object.keys(files).sort()) byPath[`${dir}/${name}`] = files[name];
  return byPath;
}

// --- policies as JSON text, and modules with AWS resources ------------------------------------------------

/** The parts of a module with AWS resources: what goes into its five files. */
export interface ResourceModuleParts {
  /** The generated-file note written at the top of each JSON file. */
  readonly note: string;
  readonly readme: string;
  /** `main.tf.json`'s blocks (resource, module, locals, ...). */
  readonly main: Record<string, unknown>;
  readonly variables: readonly VariableDefinition[];
  readonly outputs: readonly OutputDefinition[];
}

/** The files of a module with AWS resources under `dir`: README, blocks, outputs, variables, version ranges. */
export function resourceModuleFiles(dir: string, parts: ResourceModuleParts): Record<string, string> {
  return moduleFiles(dir, {
    'README.md': parts.readme,
    'main.tf.json': json({ '//': parts.note, ...parts.main }),
    'outputs.tf.json': json({ '//': parts.note, output: outputBlocks(parts.outputs) }),
    'variables.tf.json': json({ '//': parts.note, variable: variableBlocks(parts.variables) }),
    'versions.tf.json': awsVersionsFile(parts.note),
  });
}

/**
 * The AWS provider versions a module with resources takes: a range, never a pin, so the caller's own
 * constraint decides. The state-access seed's (">= 4.9.0"); every resource and argument the generated
 * modules use exists since.
 */
export const AWS_PROVIDER_RANGE = '>= 4.9.0';

/** `versions.tf.json` of a module with AWS resources: Terraform's and the provider's ranges; no provider block. */
export function awsVersionsFile(note: string): string {
  return json({
    '//': note,
    terraform: { required_version: REQUIRED_TERRAFORM_VERSION, required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_RANGE } } },
  });
}

/**
 * `list` (an expression of a list) as Terraform's value of the canonical form: the one element itself when
 * the list holds one, else the list. Both branches are JSON text, so the conditional has one type; the
 * decoded value may be put in an object given to `jsonencode`.
 */
export function oneOrList(list: string): string {
  return `jsondecode(length(${list}) == 1 ? jsonencode(${list}[0]) : jsonencode(${list}))`;
}

/**
 * The characters a policy may hold, as an RE2 class: tab, LF, CR and U+0020 to U+00FF (IAM quotas page,
 * "IAM and AWS STS character limits"; the core checks the same set in validate-policy.ts).
 */
export const POLICY_CHARACTER = '[\\t\\n\\r\\x{20}-\\x{FF}]';

/**
 * Go's JSON encoder (terraform's `jsonencode`) writes `&`, `<`, `>`, U+2028 and U+2029 as six-character
 * `\u` escapes where `JSON.stringify` writes the one character. A match is a run of backslashes and such an
 * escape's `u....`: the run is odd exactly when its last backslash starts the escape (an even run is
 * escaped backslashes followed by the letters), i.e. when the match's length is even.
 */
const GO_ESCAPE = '\\\\+u(?:0026|003c|003e|2028|2029)';

/**
 * The length `JSON.stringify` gives the JSON value whose `jsonencode` text is `text` (an expression):
 * `length(text)` less five characters per escape Go writes and JavaScript does not. Terraform's `length`
 * counts grapheme clusters, the same as characters for JSON text of policy characters (CR LF, the one
 * cluster of two among them, is written `\r\n`).
 */
export function jsonStringifyLength(text: string): string {
  return `length(${text}) - 5 * length([for m in regexall(${hclString(GO_ESCAPE)}, ${text}) : m if length(m) % 2 == 0])`;
}

/** The characters of the minified JSON of the policy text `text`, as IAM counts a policy (white space left out). */
export function minifiedPolicyLength(text: string): string {
  return jsonStringifyLength(`jsonencode(jsondecode(${text}))`);
}

/** The characters of `text` as saved: `length` counts CR LF as one grapheme cluster, so each is added back. */
export function savedTextLength(text: string): string {
  return `length(${text}) + length(regexall("\\r\\n", ${text}))`;
}

/** The UTF-8 bytes of `text`: base64 writes 4 characters per 3 bytes, less one byte per `=` of padding. */
export function utf8Length(text: string): string {
  return `length(base64encode(${text})) / 4 * 3 - length(regex("=*$", base64encode(${text})))`;
}

/** A module output with preconditions: each `[condition expression, message]`. */
export function outputWithPreconditions(output: OutputDefinition, preconditions: readonly (readonly [string, string])[]): Record<string, unknown> {
  return {
    description: output.description,
    value: expr(output.value),
    ...(preconditions.length > 0 && { precondition: preconditions.map(([condition, message]) => ({ condition: expr(condition), error_message: message })) }),
  };
}

/**
 * The size of the policy text `text` as AWS counts it for a policy of `kind` (core/policy-kind.ts): the
 * minified JSON's characters, the characters as saved, or the UTF-8 bytes as saved. The constructs save
 * the canonical minified JSON; a module saves the text it is given, so it counts that text.
 */
export function policyTextSize(text: string, kind: PolicyKind): string {
  const { unit } = POLICY_SIZE_LIMITS[kind];
  if (unit === 'characters') return minifiedPolicyLength(text);
  if (unit === 'characters-as-saved') return savedTextLength(text);
  return utf8Length(text);
}

/**
 * The checks, for `guardedValidations` or preconditions, of one policy given as JSON text (`text`, an
 * expression known not to be null) to a destination of `kind`: a JSON object with a Statement, only the
 * characters a policy may hold, and the size limit of the kind. `field` names it in the messages.
 */
export function policyTextChecks(field: string, text: string, kind: PolicyKind): [string, string][] {
  const { limit, unit, appliesTo } = POLICY_SIZE_LIMITS[kind];
  const measured = unit === 'bytes' ? 'bytes' : unit === 'characters' ? 'characters (minified)' : 'characters as saved';
  return [
    [
      `can(jsondecode(${text}).Statement)`,
      `${field}: not a JSON policy document with a Statement; pass the policy's JSON text, e.g. data.aws_iam_policy_document.<name>.json or a policy module's json output.`,
    ],
    [matches(`^${POLICY_CHARACTER}*$`, text), `${field}: holds a character outside those a policy may hold; use tab, LF, CR and U+0020 to U+00FF only.`],
    [`${policyTextSize(text, kind)} <= ${limit}`, `${field}: the policy is over the ${limit} ${measured} allowed for ${appliesTo}; split it, or grant with fewer statements.`],
  ];
}
