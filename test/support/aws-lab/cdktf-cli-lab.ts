/**
 * What test/apply/cdktf-cli.test.ts needs to run the cdktf CLI on a copy of the project as a user would, and
 * to read back from moto what it deployed:
 * - `projectCopy`: the files a synth needs, in a temporary folder, with a node_modules of symlinks to the
 *   project's packages (see there why not one symlink), and `removeCopy`, which never follows a link;
 * - `runCdktf`: `npm run cdktf -- <args>` in the copy, with an environment built from nothing but what it
 *   is given (no inherited AWS_*, TF_* or npm_* variable);
 * - `iamModel` / `expectedIamModel`: the IAM objects moto holds and those a synthesized stack declares, in the
 *   same shape, so that one `toEqual` compares them.
 */
import { spawn } from 'child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, symlinkSync, unlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// ---------------------------------------------------------------------------------------------------------
// The copy of the project
// ---------------------------------------------------------------------------------------------------------

/** What `cdktf synth` of main.ts reads (package-lock.json: run-bundled.js hashes it into its cache key). */
const PROJECT_FILES = ['cdktf.json', 'main.ts', 'package.json', 'package-lock.json', 'tsconfig.json', 'stacks', 'modules', 'scripts'];
/** Copied when the project has them: the package's data files, which the modules look up above their own folder. */
const OPTIONAL_PROJECT_FILES = ['data'];

export interface ProjectCopy {
  /** The temporary folder holding `project/` and `home/`. */
  readonly work: string;
  /** The copy of the project: cdktf runs here, the stacks' local backends write here. */
  readonly project: string;
  /** The HOME cdktf, npm and terraform are given (cdktf makes ~/.terraform.d/plugin-cache there). */
  readonly home: string;
}

/**
 * Copies the project's synth inputs from `root` to a temporary folder. node_modules is a real folder whose
 * entries are symlinks to `root/node_modules/<entry>`, all but `.cache`: run-bundled.js writes its bundle to
 * node_modules/.cache/least-privilege-iam and deletes the other bundles of the same entry there, so one
 * symlink for the whole of node_modules would let the copy's synth delete the bundle the project's own
 * `npm run synth` is about to load. Nothing is written through the links.
 */
export function projectCopy(root: string): ProjectCopy {
  const work = mkdtempSync(join(tmpdir(), 'cdktf-cli-'));
  const project = join(work, 'project');
  const home = join(work, 'home');
  mkdirSync(project);
  mkdirSync(home);
  for (const name of PROJECT_FILES) cpSync(join(root, name), join(project, name), { recursive: true });
  for (const name of OPTIONAL_PROJECT_FILES) if (existsSync(join(root, name))) cpSync(join(root, name), join(project, name), { recursive: true });
  const modules = join(project, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry !== '.cache') symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  return { work, project, home };
}

/**
 * Removes `path` without ever following a symbolic link: each link is unlinked, each folder emptied then
 * removed. The copy holds links to the project's packages and terraform's links into its plugin cache and
 * the provider mirror; none of what they point to is touched.
 */
export function removeTree(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) removeTree(join(path, entry));
    rmdirSync(path);
  } else unlinkSync(path); // a file or a symbolic link: the link itself
}

/** Removes a copy made by `projectCopy`: the node_modules links first, then the rest, link by link. */
export function removeCopy(copy: ProjectCopy): void {
  const modules = join(copy.project, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isDirectory()) {
    for (const entry of readdirSync(modules)) {
      const path = join(modules, entry);
      if (lstatSync(path).isSymbolicLink()) unlinkSync(path);
    }
  }
  removeTree(copy.work);
}

/** The CLI configuration that makes terraform install hashicorp/aws from the filesystem mirror `mirror`, and nothing from the network. */
export function mirrorCliConfig(mirror: string): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
`;
}

/** Whether a mirror version satisfies the stacks' `>= 5.99.1, < 7.0.0`. */
export function satisfiesStackConstraint(version: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number);
  if (major === 6) return true;
  return major === 5 && (minor > 99 || (minor === 99 && patch >= 1));
}

// ---------------------------------------------------------------------------------------------------------
// Running the CLI
// ---------------------------------------------------------------------------------------------------------

export interface CliRun {
  readonly code: number;
  /** stdout and stderr as they came, without terminal escape sequences. */
  readonly output: string;
  readonly seconds: number;
}

/** Terminal escape sequences (colours, cursor moves of cdktf's progress display). */
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * Runs `npm run cdktf -- <args>` in `dir` with exactly `env` (PATH included), as a shell a user prepared
 * would; killed with its process group (npm, cdktf, terraform, the provider) after `timeoutMs`.
 */
export function runCdktf(dir: string, args: readonly string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<CliRun> {
  const started = Date.now();
  const child = spawn('npm', ['run', 'cdktf', '--', ...args], { cwd: dir, env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const text = output.replace(ESCAPES, '') + (timedOut ? `\n(killed after ${timeoutMs / 1000} s)` : '');
      resolve({ code: code ?? -1, output: text, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** The lines of a CLI run worth showing in a failure: from the first error on, else the tail; no progress lines. */
export function cliExcerpt(output: string, lines = 25): string {
  const all = output
    .split('\n')
    .map((l) => l.replace(/^\s*[│╷╵]\s?/, '').trimEnd())
    .filter((l) => l.trim() !== '' && !/Synthesizing|^\s*[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|Stacks? (deploying|destroying|done|waiting)/.test(l));
  const start = all.findIndex((l) => /Error/.test(l));
  return (start >= 0 ? all.slice(start, start + lines) : all.slice(-lines)).join('\n');
}

// ---------------------------------------------------------------------------------------------------------
// moto's IAM and STS query APIs, unsigned (moto takes the service from the credential scope)
// ---------------------------------------------------------------------------------------------------------

async function query(endpoint: string, service: 'iam' | 'sts', action: string, params: Record<string, string> = {}): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=reader/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ Action: action, Version: service === 'iam' ? '2010-05-08' : '2011-06-15', ...params }).toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${service} ${action} ${JSON.stringify(params)}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#[0-9]+|#x[0-9a-fA-F]+);/g, (_, e: string) =>
    e in XML_ENTITIES ? XML_ENTITIES[e] : String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

/** The unescaped text of every `<tag>…</tag>` in `xml`. */
function tags(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => unescapeXml(m[1]));
}

function tag(xml: string, name: string): string {
  const value = tags(xml, name)[0];
  if (value === undefined) throw new Error(`no <${name}> in ${xml.slice(0, 300)}`);
  return value;
}

/** A policy document as IAM answers it (URL-encoded JSON), parsed. */
function document(xml: string, name: string): unknown {
  const value = tag(xml, name).trim();
  return JSON.parse(value.startsWith('{') ? value : decodeURIComponent(value));
}

/** The account moto answers for to the credentials the provider was given (all unknown keys: moto's default account). */
export async function callerAccount(endpoint: string): Promise<string> {
  return tag(await query(endpoint, 'sts', 'GetCallerIdentity'), 'Account');
}

// ---------------------------------------------------------------------------------------------------------
// The IAM objects, as moto holds them and as a stack declares them
// ---------------------------------------------------------------------------------------------------------

export interface IamModel {
  /** Roles by name: path, trust policy, inline policies by name, attached managed policy ARNs (sorted). */
  readonly roles: Record<string, { path: string; trustPolicy: unknown; inlinePolicies: Record<string, unknown>; managedPolicyArns: string[] }>;
  /** Customer managed policies by name: path and default version's document. */
  readonly policies: Record<string, { path: string; document: unknown }>;
  /** Every other IAM object: users, groups, instance profiles, OpenID Connect and SAML providers. */
  readonly others: string[];
}

/** Everything moto's IAM holds in the account, but AWS's managed policies. */
export async function iamModel(endpoint: string): Promise<IamModel> {
  const iam = (action: string, params: Record<string, string> = {}) => query(endpoint, 'iam', action, params);
  const model: IamModel = { roles: {}, policies: {}, others: [] };
  for (const name of tags(await iam('ListRoles', { MaxItems: '1000' }), 'RoleName')) {
    const role = await iam('GetRole', { RoleName: name });
    const inlinePolicies: Record<string, unknown> = {};
    for (const policy of tags(await iam('ListRolePolicies', { RoleName: name, MaxItems: '1000' }), 'member')) {
      inlinePolicies[policy] = document(await iam('GetRolePolicy', { RoleName: name, PolicyName: policy }), 'PolicyDocument');
    }
    const managedPolicyArns = tags(await iam('ListAttachedRolePolicies', { RoleName: name, MaxItems: '1000' }), 'PolicyArn').sort();
    model.roles[name] = { path: tag(role, 'Path'), trustPolicy: document(role, 'AssumeRolePolicyDocument'), inlinePolicies, managedPolicyArns };
  }
  const policies = await iam('ListPolicies', { Scope: 'Local', MaxItems: '1000' });
  for (const arn of tags(policies, 'Arn')) {
    const policy = await iam('GetPolicy', { PolicyArn: arn });
    const version = await iam('GetPolicyVersion', { PolicyArn: arn, VersionId: tag(policy, 'DefaultVersionId') });
    model.policies[tag(policy, 'PolicyName')] = { path: tag(policy, 'Path'), document: document(version, 'Document') };
  }
  // An instance profile's listing holds its roles' ARNs too: it is listed by name.
  for (const [action, name] of [
    ['ListUsers', 'Arn'],
    ['ListGroups', 'Arn'],
    ['ListInstanceProfiles', 'InstanceProfileName'],
    ['ListOpenIDConnectProviders', 'Arn'],
    ['ListSAMLProviders', 'Arn'],
  ] as const) {
    for (const value of tags(await iam(action), name)) model.others.push(`${action.replace(/^List/, '')}: ${value}`);
  }
  model.others.sort();
  return model;
}

type Block = Record<string, unknown>;
export interface SynthesizedStack {
  resource?: Record<string, Record<string, Block>>;
  terraform?: { backend?: { local?: { path?: string } } };
}

/** The resource types `expectedIamModel` knows how to expect; a stack with another fails the comparison. */
export const READ_BACK_TYPES = ['aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_policy'];

/**
 * The IAM objects the synthesized `stack` declares, in moto's account `account`: each reference
 * (`${aws_iam_role.x.name}`, `${aws_iam_policy.y.arn}`) resolved from the stack's own literals. Throws for a
 * resource type, or an expression, it does not know, so that a stack grown beyond them is not half compared.
 */
export function expectedIamModel(stack: SynthesizedStack, account: string): IamModel {
  const resources = stack.resource ?? {};
  const unknown = Object.keys(resources).filter((t) => !READ_BACK_TYPES.includes(t));
  if (unknown.length > 0) throw new Error(`the read-back knows ${READ_BACK_TYPES.join(', ')}; the stack also declares ${unknown.join(', ')}: teach expectedIamModel and iamModel`);
  const literal = (type: string, name: string, attribute: string): string => {
    const value = resources[type]?.[name]?.[attribute];
    if (attribute === 'path' && value === undefined) return '/';
    if (typeof value !== 'string' || value.includes('${')) throw new Error(`${type}.${name}.${attribute} is not a literal: ${JSON.stringify(value)}`);
    return value;
  };
  const resolve = (value: unknown): string => {
    if (typeof value !== 'string') throw new Error(`not a string: ${JSON.stringify(value)}`);
    const reference = /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(value);
    if (reference === null) {
      if (value.includes('${')) throw new Error(`an expression the read-back does not resolve: ${value}`);
      return value;
    }
    const [, type, name, attribute] = reference;
    if (attribute === 'arn' && type === 'aws_iam_policy') return `arn:aws:iam::${account}:policy${literal(type, name, 'path')}${literal(type, name, 'name')}`;
    if (attribute === 'name' || attribute === 'id') return literal(type, name, 'name');
    throw new Error(`a reference the read-back does not resolve: ${value}`);
  };
  const model: IamModel = { roles: {}, policies: {}, others: [] };
  for (const [name, block] of Object.entries(resources.aws_iam_role ?? {})) {
    if (block.inline_policy !== undefined || block.managed_policy_arns !== undefined) throw new Error(`aws_iam_role.${name} declares inline_policy or managed_policy_arns: teach expectedIamModel`);
    model.roles[literal('aws_iam_role', name, 'name')] = {
      path: literal('aws_iam_role', name, 'path'),
      trustPolicy: JSON.parse(literal('aws_iam_role', name, 'assume_role_policy')),
      inlinePolicies: {},
      managedPolicyArns: [],
    };
  }
  const roleOf = (address: string, value: unknown) => {
    const role = model.roles[resolve(value)];
    if (role === undefined) throw new Error(`${address} names a role the stack does not create: ${JSON.stringify(value)}`);
    return role;
  };
  for (const [name, block] of Object.entries(resources.aws_iam_role_policy ?? {})) {
    roleOf(`aws_iam_role_policy.${name}`, block.role).inlinePolicies[literal('aws_iam_role_policy', name, 'name')] = JSON.parse(literal('aws_iam_role_policy', name, 'policy'));
  }
  for (const [name, block] of Object.entries(resources.aws_iam_role_policy_attachment ?? {})) {
    const role = roleOf(`aws_iam_role_policy_attachment.${name}`, block.role);
    role.managedPolicyArns.push(resolve(block.policy_arn));
    role.managedPolicyArns.sort();
  }
  for (const [name] of Object.entries(resources.aws_iam_policy ?? {})) {
    model.policies[literal('aws_iam_policy', name, 'name')] = {
      path: literal('aws_iam_policy', name, 'path'),
      document: JSON.parse(literal('aws_iam_policy', name, 'policy')),
    };
  }
  return model;
}

/** The managed resource addresses of a state file (`type.name`, with `[key]` for counted instances). */
export function stateAddresses(path: string): string[] {
  const state = JSON.parse(readFileSync(path, 'utf8')) as {
    resources?: { module?: string; mode: string; type: string; name: string; instances: { index_key?: string | number }[] }[];
  };
  return (state.resources ?? [])
    .filter((r) => r.mode === 'managed')
    .flatMap((r) => r.instances.map((i) => `${r.module === undefined ? '' : `${r.module}.`}${r.type}.${r.name}${i.index_key === undefined ? '' : `[${JSON.stringify(i.index_key)}]`}`))
    .sort();
}
