/**
 * Checks a generated Terraform module with AWS resources without the AWS provider: `terraform validate`
 * needs the provider's schema, and the provider cannot be downloaded in the tests. The schema that
 * @cdktf/provider-aws was generated from stands in for it:
 *
 * - each `resource` and `data` block is given, its arguments in camelCase, to the matching provider-aws
 *   class (`aws_iam_role` is `IamRole` of `@cdktf/provider-aws/lib/iam-role`) in a cdktf `Testing` stack,
 *   and synthesized; the class writes exactly the arguments of its schema and silently drops any other,
 *   so an argument that does not come back, or comes back changed, is a typo or a wrong attribute;
 * - the arguments the class's config declares required must be there;
 * - every `<type>.<name>.<attribute>` a block or an output reads must be a block of the module and an
 *   attribute (argument or computed) of that class;
 * - every `var.`, `local.` and `module.<call>.<output>` must exist, and each module call's arguments must be
 *   variables of the called module, with every variable that has no default given.
 *
 * What it does not check, and `terraform validate` would: argument types (the expressions are strings
 * here), conflicting arguments, and the provider version's own schema (the range in versions.tf.json may
 * allow older providers than the one provider-aws was generated from).
 */
import { existsSync, readFileSync } from 'fs';
import { TerraformStack, Testing } from 'cdktf';
import { dirname, join, normalize } from 'path';
import { terraformModuleConfigurations } from '../../modules/terraform-modules';

/** Terraform's meta-arguments: not the provider's, so not in any class's config. */
const META_ARGUMENTS = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider']);

/** Blocks of one kind in a JSON-syntax file: `{ type: { name: arguments } }`. */
type Blocks = Record<string, Record<string, Record<string, unknown>>>;

interface ModuleJson {
  readonly resource?: Blocks;
  readonly data?: Blocks;
  readonly module?: Record<string, Record<string, unknown>>;
  readonly locals?: Record<string, unknown>;
  readonly variable?: Record<string, { default?: unknown }>;
  readonly output?: Record<string, unknown>;
}

const PROVIDER_AWS = dirname(require.resolve('@cdktf/provider-aws/package.json'));

/** The provider-aws module path and class name of a resource or data source type. */
export function providerAwsClass(kind: 'resource' | 'data', type: string): { path: string; className: string } {
  const base = type.replace(/^aws_/, '');
  const kebab = (kind === 'data' ? `data-aws-${base}` : base).replace(/_/g, '-');
  const className = kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
  return { path: `@cdktf/provider-aws/lib/${kebab}`, className };
}

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Block arguments as a cdktf config: keys in camelCase, nested blocks too; values (expressions) as they are. */
function toConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toConfig);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), toConfig(v)]));
  return value;
}

/** The config fields the class declares required (no `?`), from its type declarations. */
function requiredArguments(path: string, className: string): string[] {
  const declarations = readFileSync(join(PROVIDER_AWS, path.replace('@cdktf/provider-aws/', ''), 'index.d.ts'), 'utf8');
  const start = declarations.indexOf(`export interface ${className}Config `);
  if (start < 0) throw new Error(`${path}: no ${className}Config in its declarations`);
  const body = declarations.slice(start, declarations.indexOf('\n}', start));
  return [...body.matchAll(/^ {4}readonly (\w+):/gm)].map((m) => m[1]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ProviderClass = new (scope: TerraformStack, id: string, config: any) => object;

function loadClass(path: string, className: string): ProviderClass | undefined {
  if (!existsSync(join(PROVIDER_AWS, path.replace('@cdktf/provider-aws/', '')))) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(path) as Record<string, ProviderClass>)[className];
}

/** Findings for one block: arguments the class drops or changes, and required arguments left out. */
function blockFindings(kind: 'resource' | 'data', type: string, name: string, block: Record<string, unknown>): string[] {
  const where = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
  const { path, className } = providerAwsClass(kind, type);
  const Class = loadClass(path, className);
  if (Class === undefined) return [`${where}: ${type} is no ${kind === 'data' ? 'data source' : 'resource type'} of the AWS provider (no ${path})`];
  const findings: string[] = [];
  const args = Object.fromEntries(Object.entries(block).filter(([k]) => !META_ARGUMENTS.has(k) && k !== '//'));
  if ('dynamic' in args) findings.push(`${where}: dynamic blocks are not checked here; write the block out`);
  const stack = new TerraformStack(Testing.app(), 'schema');
  new Class(stack, name, toConfig(args));
  const synthesized = JSON.parse(Testing.synth(stack)) as ModuleJson;
  const written = (kind === 'data' ? synthesized.data : synthesized.resource)?.[type]?.[name] ?? {};
  for (const [argument, value] of Object.entries(args)) {
    if (!(argument in written)) findings.push(`${where}: ${argument} is not an argument of ${type} (provider-aws's ${className} dropped it)`);
    else if (JSON.stringify(written[argument]) !== JSON.stringify(value)) {
      findings.push(`${where}: ${argument} came back as ${JSON.stringify(written[argument])}, not ${JSON.stringify(value)}: a nested block's argument is unknown`);
    }
  }
  for (const required of requiredArguments(path, className)) {
    if (!Object.keys(args).some((a) => camel(a) === required)) findings.push(`${where}: the required argument ${required.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} is missing`);
  }
  return findings;
}

/** Prose, not expressions: descriptions, messages and the generated-file note. */
const PROSE = new Set(['description', 'error_message', '//']);

/** Every expression string in `value`, with where it is. */
function strings(value: unknown, at: string): [string, string][] {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => (PROSE.has(k) ? [] : strings(v, `${at}.${k}`)));
  return [];
}

/**
 * Every finding for the module whose files are `files` (by path; each `*.tf.json` configuration of `dir` is
 * read, the called modules' variables and outputs from `files` or else from the configurations the generators
 * compose, or from the disk under `root` for a `*.tf.json` written by hand there).
 */
export function moduleSchemaFindings(files: Readonly<Record<string, string>>, dir: string, root: string): string[] {
  const generated = Object.assign({}, ...terraformModuleConfigurations().map((m) => m.files)) as Record<string, string>;
  const read = (path: string): ModuleJson | undefined => {
    const text = files[path] ?? generated[path] ?? (existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined);
    return text === undefined ? undefined : (JSON.parse(text) as ModuleJson);
  };
  const parts = ['main.tf.json', 'outputs.tf.json', 'variables.tf.json'].map((name) => read(`${dir}/${name}`) ?? {});
  const merged = (key: keyof ModuleJson) => Object.assign({}, ...parts.map((p) => p[key] ?? {})) as Record<string, unknown>;
  const resources = merged('resource') as Blocks;
  const data = merged('data') as Blocks;
  const locals = merged('locals');
  const variables = merged('variable');
  const calls = merged('module') as Record<string, Record<string, unknown>>;
  const findings: string[] = [];

  for (const [type, blocks] of Object.entries(resources)) for (const [name, block] of Object.entries(blocks)) findings.push(...blockFindings('resource', type, name, block));
  for (const [type, blocks] of Object.entries(data)) for (const [name, block] of Object.entries(blocks)) findings.push(...blockFindings('data', type, name, block));

  const calledOutputs: Record<string, Set<string>> = {};
  for (const [call, { source, ...args }] of Object.entries(calls)) {
    const called = normalize(join(dir, String(source)));
    // A module of data only (aws-managed-policies) has no variables file.
    const calledVariables = read(`${called}/variables.tf.json`)?.variable ?? (read(`${called}/main.tf.json`) === undefined ? undefined : {});
    if (calledVariables === undefined) {
      findings.push(`module.${call}: no module at ${source} (${called}/main.tf.json)`);
      continue;
    }
    calledOutputs[call] = new Set(Object.keys(read(`${called}/outputs.tf.json`)?.output ?? {}));
    for (const arg of Object.keys(args)) {
      if (!META_ARGUMENTS.has(arg) && !(arg in calledVariables)) findings.push(`module.${call}: ${arg} is not a variable of ${source}`);
    }
    for (const [variable, definition] of Object.entries(calledVariables)) {
      if (!('default' in definition) && !(variable in args)) findings.push(`module.${call}: the required variable ${variable} of ${source} is not given`);
    }
  }

  // References, in every expression of the module (descriptions, messages and the README are prose).
  for (const [at, text] of parts.flatMap((p, i) => strings(p, ['main', 'outputs', 'variables'][i]))) {
    for (const [, name] of text.matchAll(/\bvar\.([a-z0-9_]+)/g)) if (!(name in variables)) findings.push(`${at}: var.${name} is not a variable`);
    for (const [, name] of text.matchAll(/\blocal\.([a-z0-9_]+)/g)) if (!(name in locals)) findings.push(`${at}: local.${name} is not a local`);
    for (const [, call, output] of text.matchAll(/\bmodule\.([a-z0-9_]+)(?:\[[^\]]*\])?\.([a-z0-9_]+)/g)) {
      if (!calledOutputs[call]?.has(output)) findings.push(`${at}: module.${call}.${output} is not an output of a module call`);
    }
    for (const [, dataPrefix, type, name, attribute] of text.matchAll(/(?<![\w.])(data\.)?(aws_[a-z0-9_]+)\.([a-z0-9_]+)(?:\[[^\]]*\])*\.([a-z0-9_]+)/g)) {
      const kind = dataPrefix === undefined ? 'resource' : 'data';
      if ((kind === 'resource' ? resources : data)[type]?.[name] === undefined) {
        findings.push(`${at}: ${dataPrefix ?? ''}${type}.${name} is not a block of the module`);
        continue;
      }
      const { path, className } = providerAwsClass(kind, type);
      const Class = loadClass(path, className);
      if (Class !== undefined && Object.getOwnPropertyDescriptor(Class.prototype, camel(attribute))?.get === undefined) {
        findings.push(`${at}: ${attribute} is not an attribute of ${type}`);
      }
    }
  }
  return findings;
}

/**
 * How a module's resources differ from what a construct synthesizes: resource types one has and the other
 * not, and, per type, the arguments the construct writes that the module's blocks do not (meta-arguments
 * aside), and those the module writes that the construct does not, unless listed in `extras` (by type).
 * Both sides are the JSON of `resource` blocks.
 */
export function mirrorFindings(construct: Blocks, module: Blocks, extras: Readonly<Record<string, readonly string[]>> = {}): string[] {
  const argumentsOf = (blocks: Record<string, Record<string, unknown>>) => new Set(Object.values(blocks).flatMap((block) => Object.keys(block).filter((k) => !META_ARGUMENTS.has(k) && k !== '//')));
  const findings: string[] = [];
  for (const type of new Set([...Object.keys(construct), ...Object.keys(module)])) {
    if (construct[type] === undefined) {
      findings.push(`${type}: the module creates it, the construct does not`);
      continue;
    }
    if (module[type] === undefined) {
      findings.push(`${type}: the construct creates it, the module does not`);
      continue;
    }
    const ours = argumentsOf(module[type]);
    const theirs = argumentsOf(construct[type]);
    for (const a of theirs) if (!ours.has(a)) findings.push(`${type}: the construct writes ${a}, the module does not`);
    for (const a of ours) if (!theirs.has(a) && !(extras[type] ?? []).includes(a)) findings.push(`${type}: the module writes ${a}, the construct does not`);
  }
  return findings;
}
