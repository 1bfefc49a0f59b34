/**
 * One stack's Terraform JSON into facts: every block found as Terraform finds it (`terraform-config.ts`),
 * every resource handed to the reader its type has in `RESOURCE_TYPES`, and everything else that can grant
 * access without a reader (a resource of a type not in the table, a module call, a provisioner, a data
 * source outside the AWS provider, a block type the review does not know) kept as an unreviewed item.
 */
import { isAccountId, roleArnAccount } from '../../../core/iam-identifiers';
import { literalText } from '../terraform-json';
import { looksLikePolicy } from '../policy-text';
import { type ProviderInfo, ReadContext, type Resource } from './read-context';
import { META_ARGUMENTS, RESOURCE_TYPES } from './resource-table';
import { type Block, blocksOf, type Closure, closureOf, isObject, type JsonObject, type ReferableBlocks, stringsIn } from './terraform-config';
import { cmp } from '../../../core/order';

/** Top-level block types that decide no access by themselves (their values count where something refers to them). */
const INERT_BLOCK_TYPES = new Set(['//', 'terraform', 'provider', 'resource', 'data', 'module', 'locals', 'variable', 'output', 'moved', 'removed', 'import', 'check']);

/**
 * Data sources of the AWS provider only read; any other is compared by content: the external provider's
 * `external` data source lets "an external program … act as a data source" (hashicorp/external docs), run
 * on the machine that plans.
 */
const READ_ONLY_DATA_PREFIX = 'aws_';

/** Reads the stack's JSON into its facts; the findings are in the context, for the caller to throw. */
export function readStackFacts(stack: string, json: unknown): ReadContext {
  const findings: ReadContext['findings'] = [];
  if (!isObject(json)) {
    const ctx = new ReadContext(stack, new Map(), { byName: new Map(), resourceTypes: new Set() }, new Map());
    ctx.report('cdk.tf.json', Array.isArray(json) ? 'an array' : json === null ? null : typeof json, 'is not a JSON object', 'synthesize the stack again (npm run synth)');
    return ctx;
  }
  const resources = blocksOf(json.resource ?? {}, 2, 'resource', findings);
  const data = blocksOf(json.data ?? {}, 2, 'data', findings);
  const modules = blocksOf(json.module ?? {}, 1, 'module', findings);
  const variables = blocksOf(json.variable ?? {}, 1, 'variable', findings);
  const locals = blocksOf(json.locals ?? {}, 0, 'locals', findings);
  const providers = readProviders(stack, blocksOf(json.provider ?? {}, 1, 'provider', findings), findings);

  const byName = new Map<string, unknown>();
  const bodies = new Map<string, JsonObject>();
  const define = (name: string, block: Block, kind: string) => {
    if (byName.has(name)) {
      findings.push({ field: block.field, value: name, problem: `defines ${kind} ${name} a second time (Terraform refuses a duplicate ${kind})`, fix: 'give each block its own name' });
      return false;
    }
    byName.set(name, block.body);
    return true;
  };
  const resourceList: Block[] = [];
  for (const block of resources) if (define(`${block.labels[0]}.${block.labels[1]}`, block, 'resource')) resourceList.push(block);
  for (const block of data) define(`data.${block.labels[0]}.${block.labels[1]}`, block, 'data source');
  for (const block of modules) define(`module.${block.labels[0]}`, block, 'module call');
  for (const block of variables) define(`var.${block.labels[0]}`, block, 'variable');
  for (const block of locals) for (const [key, value] of Object.entries(block.body)) if (key !== '//') byName.set(`local.${key}`, value);
  const referable: ReferableBlocks = { byName, resourceTypes: new Set(resources.map((b) => b.labels[0])) };
  for (const block of resourceList) bodies.set(`${block.labels[0]}.${block.labels[1]}`, block.body);

  const ctx = new ReadContext(stack, providers, referable, bodies);
  for (const finding of findings) ctx.findings.push(finding);

  // Resources, by type and name (a bucket before the bucket policies that name it, whatever the order).
  const sorted = [...resourceList].sort((a, b) => cmp(a.labels[0], b.labels[0]) || cmp(a.labels[1], b.labels[1]));
  for (const block of sorted) readResource(block, ctx);

  for (const block of data) {
    const [type, name] = block.labels;
    if (type.startsWith(READ_ONLY_DATA_PREFIX)) continue; // read where a value refers to it (a policy's closure)
    ctx.unreviewed.push({
      name: `data.${type}.${name}`,
      provider: providerOf(type, block.body),
      addresses: [`data.${type}.${name}`],
      why: `a data source of another provider than AWS's (${type}): reading it may run code at plan time (the external data source runs a program)`,
      closure: closureOf(block.body, referable),
    });
  }
  for (const block of modules) {
    const name = `module.${block.labels[0]}`;
    const source = typeof block.body.source === 'string' ? block.body.source : '';
    const outside = moduleSourceOutside(source, block.body.version);
    ctx.unreviewed.push({
      name,
      provider: 'module',
      addresses: [name],
      why: `a module call (${source || 'no source'}): the resources of the module are not in the stack's JSON`,
      closure: withOutside(closureOf(block.body, referable), outside),
    });
  }
  for (const block of blocksOf(json.import ?? [], 0, 'import', ctx.findings)) {
    const to = typeof block.body.to === 'string' ? block.body.to : '(a target that is not an address)';
    ctx.unreviewed.push({
      name: `import ${to}`,
      provider: providerOf(to.split('.')[0], block.body),
      addresses: [to],
      why: `adopts an existing object into ${to}: the policies it already has that the stack does not manage are unknown to the review`,
      closure: closureOf(block.body, referable),
      removalNarrows: true,
    });
  }
  for (const block of blocksOf(json.check ?? {}, 1, 'check', ctx.findings)) {
    if (block.body.data === undefined) continue;
    ctx.unreviewed.push({
      name: `check.${block.labels[0]}`,
      provider: 'check',
      addresses: [`check.${block.labels[0]}`],
      why: 'a check block with a scoped data source, which may be of any provider',
      closure: closureOf(block.body, referable),
    });
  }
  for (const key of Object.keys(json).sort()) {
    if (INERT_BLOCK_TYPES.has(key)) continue;
    ctx.unreviewed.push({ name: key, provider: key, addresses: [key], why: `a top-level block type the review does not know (${key})`, closure: closureOf(json[key], referable) });
  }
  return ctx;
}

/** One resource: its provisioners kept apart, then its type's reader, or the no-access check, or unreviewed. */
function readResource(block: Block, ctx: ReadContext): void {
  const [type, name] = block.labels;
  const address = `${type}.${name}`;
  const { provisioner, connection, ...body } = block.body;
  const resource: Resource = { type, name, address, body, provider: providerOf(type, body) };
  if (provisioner !== undefined) {
    // A provisioner runs a command with whatever credentials it finds where it runs: "The local-exec
    // provisioner invokes a local executable after a resource is created. This invokes a process on the
    // machine running Terraform, not on the resource" (Terraform docs, "local-exec Provisioner"; remote-exec
    // runs on the resource). Nothing the review can read.
    ctx.unreviewed.push({
      name: `${address} (provisioner)`,
      provider: resource.provider,
      addresses: [address],
      why: 'a provisioner runs commands when the resource is created or destroyed, with the credentials where it runs',
      closure: closureOf({ provisioner, connection }, ctx.referable),
    });
  }
  const entry = RESOURCE_TYPES[type];
  if (entry === undefined) {
    ctx.unreviewedResource(resource, `a resource type the review does not read (${type}): it may grant access (a resource policy, a grant, an ACL, a public URL, a permission set, …)`);
    return;
  }
  if (entry.classification === 'no-access') {
    // Known to carry no access; a policy in one all the same (in a string) is not left unread.
    const held = stringsIn(body, address).find(([, text]) => looksLikePolicy(literalText(text) ?? text));
    if (held !== undefined) ctx.unreviewedResource(resource, `${type} carries no access, but ${held[0]} holds a policy document`);
    return;
  }
  const unknown = Object.keys(body).filter((argument) => !entry.arguments.includes(argument) && !META_ARGUMENTS.includes(argument));
  if (unknown.length > 0 && entry.otherArguments === 'unreviewed') {
    ctx.unreviewedResource(resource, `${type} with ${unknown.join(', ')}, which the review does not model (${entry.reads})`);
    entry.read(resource, ctx);
    return;
  }
  for (const argument of unknown) {
    const problem =
      argument === 'count' || argument === 'for_each'
        ? `${argument} makes the number of ${type} resources known only at plan time`
        : `the review does not read ${type}'s argument ${argument}, which could grant what the report would not show`;
    ctx.report(`${address}.${argument}`, body[argument], problem, 'extend modules/review/private/readers to read it, or write the value out literally');
  }
  // Read all the same (the findings fail the stack): what refers to it is then not reported as well.
  entry.read(resource, ctx);
}

/** The provider configuration a block goes through: its `provider` (`aws.app`, or `${aws.app}`), else its type's. */
function providerOf(type: string, body: JsonObject): string {
  const written = body.provider;
  if (typeof written === 'string') return written.replace(/^\$\{(.*)\}$/, '$1');
  return type.includes('_') ? type.slice(0, type.indexOf('_')) : type;
}

/** The AWS provider configurations: alias, account, namespace, default tags. */
function readProviders(stack: string, blocks: readonly Block[], findings: ReadContext['findings']): Map<string, ProviderInfo> {
  const providers = new Map<string, ProviderInfo>();
  for (const block of blocks) {
    if (block.labels[0] !== 'aws') continue;
    const alias = typeof block.body.alias === 'string' ? block.body.alias : undefined;
    const key = alias === undefined ? 'aws' : `aws.${alias}`;
    const ids = Array.isArray(block.body.allowed_account_ids) ? block.body.allowed_account_ids : [];
    const account = ids.length === 1 && isAccountId(ids[0]) ? ids[0] : undefined;
    const assumed = blocksOf(block.body.assume_role ?? [], 0, `${block.field}.assume_role`, findings)[0]?.body.role_arn;
    const assumedAccount = roleArnAccount(assumed)?.account;
    const namespaceAccount = account ?? assumedAccount;
    const tagsBlock = blocksOf(block.body.default_tags ?? [], 0, `${block.field}.default_tags`, findings)[0]?.body.tags;
    const info: ProviderInfo = {
      key,
      ...(account !== undefined && { account }),
      namespace: namespaceAccount !== undefined ? `account:${namespaceAccount}` : `provider:${stack}/${alias ?? 'default'}`,
    };
    providers.set(key, info);
    if (tagsBlock !== undefined) {
      // Read through a throwaway context: the provider's tags are merged into each resource's.
      const reader = new ReadContext(stack, new Map(), { byName: new Map(), resourceTypes: new Set() }, new Map());
      const defaultTags = reader.tagsValue(tagsBlock, `${block.field}.default_tags.tags`);
      for (const finding of reader.findings) findings.push(finding);
      if (defaultTags !== undefined) providers.set(key, { ...info, defaultTags });
    }
  }
  return providers;
}

/**
 * Where a module's content is not fixed by its call: a local path the stack's JSON does not hold (cdktf
 * copies local modules into `assets/__cdktf_module_asset_<id>/<content hash>/`, which is fixed), or a registry
 * module whose version is a range or absent (`~> 5.0`: the next release may differ).
 */
function moduleSourceOutside(source: string, version: unknown): string | undefined {
  if (source.startsWith('./') || source.startsWith('../')) {
    if (/^\.\/assets\/__cdktf_module_asset[^/]*\/[0-9A-Fa-f]{16,}\//.test(source)) return undefined;
    return `the files of the local module ${source}`;
  }
  const registry = /^[\w-]+\/[\w-]+\/[\w-]+$/.test(source) || /^[\w.-]+\/[\w-]+\/[\w-]+\/[\w-]+$/.test(source);
  if (registry && !(typeof version === 'string' && /^=?\s*\d+\.\d+\.\d+$/.test(version.trim())))
    return `the release of ${source} that version ${version === undefined ? '(none)' : JSON.stringify(version)} resolves to`;
  return undefined;
}

function withOutside(closure: Closure, outside: string | undefined): Closure {
  return outside === undefined ? closure : { ...closure, outside: [...closure.outside, outside].sort() };
}
