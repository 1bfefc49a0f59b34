/**
 * Applies a Terraform configuration of the project (a synthesized stack or an HCL example) to a moto server
 * of its own, as a user would to an account, and reports what happened: the configuration is copied to a
 * temporary folder, override files (never an edit of the copied files) point every AWS provider
 * configuration at moto, then `init` from the local provider mirror, `apply`, `plan -detailed-exitcode`
 * (no drift), every IAM object read back through moto's own API and compared with the configuration's
 * document, `destroy`, and every account listed again: nothing may be left.
 *
 * moto checks less than AWS. What it does not, this lab checks itself (test/apply says each in a test name):
 * - a principal the configuration creates, named in a trust or resource policy, must be a dependency of that
 *   policy: AWS refuses a principal that does not exist yet (`MalformedPolicy: Invalid principal`), moto
 *   accepts any string, so without a dependency the order Terraform happens to pick decides;
 * - policy sizes and attachment quotas (AWS's default quotas; moto has none);
 * - one set of credentials per configuration: a provider configuration pinned (`allowed_account_ids`) to an
 *   account other than the credentials' must assume a role there. moto's STS hands out credentials of any
 *   role's account without checking the role exists or trusts the caller; the provider still checks
 *   `allowed_account_ids` against the account moto answers for.
 */
import { spawn } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { moduleUsesAws } from '../examples';
import { runTerraform, type TerraformRun } from '../terraform-cli';
import { type MotoServer, startMoto } from './moto';
import { requireTool, TERRAFORM_INSTALL } from './tools';

/** The account the project's stacks and examples are written for: the lab's credentials', where no provider configuration is pinned. */
export const BASE_ACCOUNT = '123456123456';
const DEPLOYER = 'lab-deployer';
/** The services an IAM configuration of the project may call. */
const ENDPOINT_SERVICES = ['iam', 'sts', 's3', 'organizations', 'dynamodb', 'kms', 'ec2'] as const;

export const MIRROR_INSTALL =
  "a local mirror of the AWS provider is needed: set TF_AWS_PROVIDER_MIRROR to a folder in terraform's unpacked layout " +
  '(registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/, e.g. made by `terraform providers mirror`), or put one at /opt/tf-plugins';

export type TargetKind = 'stack' | 'example';

/** A root module to apply: `stacks/<name>/` of a synth output, or `examples/<name>/` with `terraform-modules/`. */
export interface ApplyTarget {
  readonly kind: TargetKind;
  readonly name: string;
}

export interface LabSettings {
  /** The project's root (examples/ and terraform-modules/ are copied from it). */
  readonly root: string;
  /** A synth output folder (CDKTF_OUTDIR): its stacks/<name>/. */
  readonly synthOut: string;
  /** The provider mirror (unpacked layout). */
  readonly mirror: string;
}

/** What applying one target found. Every list is empty when all went well. */
export interface TargetReport {
  readonly target: ApplyTarget;
  /** Whether the configuration uses the AWS provider (a moto was started for it). */
  usesAws: boolean;
  /** What the override files change beyond pointing the providers at moto, and why. */
  readonly overrides: string[];
  /** What was created in moto before the apply: what a real account already has. */
  readonly fixtures: string[];
  /** Each step with its duration. */
  readonly steps: string[];
  /** A failure that stopped the run before or during apply. */
  applyError?: string;
  applied: boolean;
  /** `plan -detailed-exitcode` output when it reported changes or failed. */
  drift?: string;
  planned: boolean;
  destroyError?: string;
  destroyed: boolean;
  /** What a listing after destroy shows that the one before apply did not. */
  readonly leftovers: string[];
  objectsRead: number;
  documentsCompared: number;
  /** What the documents were compared with: the synthesized JSON, or the value Terraform computed. */
  readonly documentSources: Record<string, number>;
  /** Objects or documents read back that differ from the configuration. */
  readonly mismatches: string[];
  readonly dependencyFindings: string[];
  readonly quotaFindings: string[];
  readonly credentialFindings: string[];
  seconds: number;
}

// ---------------------------------------------------------------------------------------------------------
// Provider configurations
// ---------------------------------------------------------------------------------------------------------

export interface ProviderConfig {
  readonly alias?: string;
  readonly region: string;
  readonly allowedAccountIds?: readonly string[];
  readonly assumeRoleArn?: string;
}

const providerKey = (alias: string | undefined) => (alias === undefined ? 'aws' : `aws.${alias}`);
const arnAccount = (arn: string) => /^arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):/.exec(arn)?.[1];

/**
 * The account of the one set of credentials that deploys a configuration: the account most of its provider
 * configurations that assume no role are pinned to (`allowed_account_ids`), all of them when they agree;
 * BASE_ACCOUNT when none is pinned. Those pinned elsewhere fail the credentials check.
 */
export function credentialsAccount(providers: readonly ProviderConfig[]): string {
  const pins = providers.filter((p) => p.assumeRoleArn === undefined && (p.allowedAccountIds ?? []).length > 0).map((p) => p.allowedAccountIds!);
  if (pins.length === 0) return BASE_ACCOUNT;
  const candidates = [...new Set([BASE_ACCOUNT, ...pins.flat()])];
  const reach = (account: string) => pins.filter((pin) => pin.includes(account)).length;
  return candidates.reduce((best, a) => (reach(a) > reach(best) ? a : best));
}

/** The account a provider configuration reaches with the credentials of `home`: its role's, or `home`. */
function reachedWithOneCredential(p: ProviderConfig, home: string): string | undefined {
  if (p.assumeRoleArn === undefined) return home;
  return arnAccount(p.assumeRoleArn);
}

/**
 * The account the lab deploys a provider configuration to: where its role is, with `assume_role`; the
 * pinned account, where it is pinned to one other than the credentials' and assumes no role (the lab then
 * gives it credentials of that account, and the credentials check reports it); `home` otherwise.
 */
function deployAccount(p: ProviderConfig, home: string): string {
  const reached = reachedWithOneCredential(p, home);
  if (reached !== undefined && p.assumeRoleArn !== undefined) return reached;
  const allowed = p.allowedAccountIds ?? [];
  if (allowed.length > 0 && !allowed.includes(home)) return allowed[0];
  return home;
}

export function stackProviders(stack: StackJson): ProviderConfig[] {
  const raw = stack.provider?.aws;
  const blocks = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Record<string, unknown>[];
  return blocks.map((b) => {
    const assume = b.assume_role as Record<string, unknown> | Record<string, unknown>[] | undefined;
    const first = Array.isArray(assume) ? assume[0] : assume;
    return {
      alias: b.alias as string | undefined,
      region: (b.region as string | undefined) ?? 'us-east-1',
      allowedAccountIds: b.allowed_account_ids as string[] | undefined,
      assumeRoleArn: first?.role_arn as string | undefined,
    };
  });
}

/** The `provider "aws"` blocks of an HCL file, read with patterns: the examples' are a few plain attributes. */
function hclProviders(text: string): ProviderConfig[] {
  return hclBlocks(text, /provider\s+"aws"\s*\{/g).map(({ body }) => {
    const str = (name: string) => new RegExp(`^\\s*${name}\\s*=\\s*"([^"]*)"`, 'm').exec(body)?.[1];
    const list = /^\s*allowed_account_ids\s*=\s*\[([^\]]*)\]/m.exec(body)?.[1];
    const assume = hclBlocks(body, /assume_role\s*\{/g)[0]?.body;
    return {
      alias: str('alias'),
      region: str('region') ?? 'us-east-1',
      allowedAccountIds: list === undefined ? undefined : [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1]),
      assumeRoleArn: assume === undefined ? undefined : /role_arn\s*=\s*"([^"]*)"/.exec(assume)?.[1],
    };
  });
}

/** Blocks of HCL text whose opening matches `open` (ending with `{`), with their brace-balanced bodies. */
function hclBlocks(text: string, open: RegExp): { header: string; body: string }[] {
  const blocks: { header: string; body: string }[] = [];
  for (const match of text.matchAll(open)) {
    let depth = 1;
    let i = match.index! + match[0].length;
    const start = i;
    let inString = false;
    for (; i < text.length && depth > 0; i++) {
      const c = text[i];
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    blocks.push({ header: match[0], body: text.slice(start, i - 1) });
  }
  return blocks;
}

/** One set of credentials per configuration: every provider configuration reaches its pinned account. */
export function credentialFindings(providers: readonly ProviderConfig[]): string[] {
  const home = credentialsAccount(providers);
  const findings: string[] = [];
  for (const p of providers) {
    const allowed = p.allowedAccountIds ?? [];
    if (allowed.length === 0) continue;
    const reached = reachedWithOneCredential(p, home);
    if (reached !== undefined && allowed.includes(reached)) continue;
    findings.push(
      `provider ${providerKey(p.alias)} is pinned to ${allowed.join(', ')} (allowed_account_ids) but ` +
        (p.assumeRoleArn === undefined
          ? `assumes no role: the one set of credentials that deploys the configuration, of account ${home}, cannot reach it; give it an assume_role into ${allowed[0]}`
          : `assumes ${p.assumeRoleArn}, of account ${reached ?? '(not a literal ARN)'}`),
    );
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------
// Synthesized stacks, read statically
// ---------------------------------------------------------------------------------------------------------

export interface StackJson {
  provider?: { aws?: unknown };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Identity policies: their documents name no principal. Every other `policy`-like attribute may. */
const IDENTITY_POLICY_TYPES = new Set(['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy', 'aws_organizations_policy']);

/** The resource and data addresses an expression names (`aws_iam_role.x`, `data.aws_iam_policy_document.y`). */
function referencesIn(value: unknown): Set<string> {
  const refs = new Set<string>();
  const text = JSON.stringify(value ?? null);
  for (const interpolation of text.matchAll(/\$\{([^}]*)\}/g)) {
    for (const ref of interpolation[1].matchAll(/\b((?:data\.)?aws_[a-z0-9_]+\.[A-Za-z0-9_-]+)/g)) refs.add(ref[1]);
  }
  return refs;
}

/** Every resource address `address` depends on, through references and depends_on, transitively. */
function stackDependencies(stack: StackJson, address: string): Set<string> {
  const block = (addr: string): Record<string, unknown> | undefined => {
    const parts = addr.split('.');
    return parts[0] === 'data' ? stack.data?.[parts[1]]?.[parts[2]] : stack.resource?.[parts[0]]?.[parts[1]];
  };
  const seen = new Set<string>();
  const queue = [address];
  while (queue.length > 0) {
    const current = block(queue.pop()!);
    if (current === undefined) continue;
    const { depends_on: dependsOn, ...rest } = current;
    const direct = referencesIn(rest);
    for (const d of (dependsOn as string[] | undefined) ?? []) direct.add(d.replace(/^\$\{|\}$/g, ''));
    for (const d of direct) {
      if (!seen.has(d)) {
        seen.add(d);
        queue.push(d);
      }
    }
  }
  return seen;
}

/** Each principal value (AWS, Federated, Service, CanonicalUser) of a policy document's statements. */
function principalsOf(document: unknown): string[] {
  const statements = (document as { Statement?: unknown })?.Statement;
  const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  const out: string[] = [];
  for (const statement of list as Record<string, unknown>[]) {
    for (const key of ['Principal', 'NotPrincipal']) {
      const principal = statement?.[key];
      if (typeof principal === 'string') out.push(principal);
      else if (principal && typeof principal === 'object') {
        for (const v of Object.values(principal)) out.push(...(Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string'));
      }
    }
  }
  return out;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The principal ARNs a synthesized stack creates, by resource address: roles and users with a literal name
 * (their ARN in the account their provider configuration is pinned to or assumes a role in; any account
 * where neither says), and OpenID Connect providers with a literal URL.
 */
function stackPrincipals(stack: StackJson): { address: string; matches: (arn: string) => boolean; arn: string }[] {
  const providers = new Map(stackProviders(stack).map((p) => [providerKey(p.alias), p]));
  const out: { address: string; matches: (arn: string) => boolean; arn: string }[] = [];
  const accountOf = (block: Record<string, unknown>): string | undefined => {
    const p = providers.get((block.provider as string | undefined) ?? 'aws');
    if (p === undefined) return undefined;
    if (p.assumeRoleArn !== undefined) return arnAccount(p.assumeRoleArn);
    return p.allowedAccountIds?.length === 1 ? p.allowedAccountIds[0] : undefined;
  };
  const literal = (v: unknown): v is string => typeof v === 'string' && !v.includes('${');
  const add = (address: string, block: Record<string, unknown>, resourcePart: string) => {
    const account = accountOf(block);
    const pattern = new RegExp(`^arn:aws:iam::${account ?? '\\d{12}'}:${resourcePart.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}$`);
    out.push({ address, matches: (arn) => pattern.test(arn), arn: `arn:aws:iam::${account ?? '<account>'}:${resourcePart}` });
  };
  for (const [type, kind] of [
    ['aws_iam_role', 'role'],
    ['aws_iam_user', 'user'],
  ] as const) {
    for (const [name, block] of Object.entries(stack.resource?.[type] ?? {})) {
      const path = block.path ?? '/';
      if (literal(block.name) && literal(path)) add(`${type}.${name}`, block, `${kind}${path}${block.name}`);
    }
  }
  for (const [name, block] of Object.entries(stack.resource?.aws_iam_openid_connect_provider ?? {})) {
    if (literal(block.url)) add(`aws_iam_openid_connect_provider.${name}`, block, `oidc-provider/${block.url.replace(/^https:\/\//, '')}`);
  }
  return out;
}

/** Policy attributes of a stack's resources that may name principals: trust policies and resource policies. */
function principalPolicies(stack: StackJson): { address: string; attribute: string; document: unknown }[] {
  const out: { address: string; attribute: string; document: unknown }[] = [];
  for (const [type, resources] of Object.entries(stack.resource ?? {})) {
    if (IDENTITY_POLICY_TYPES.has(type)) continue;
    for (const [name, block] of Object.entries(resources)) {
      for (const attribute of ['assume_role_policy', 'policy']) {
        const document = parseJson(block[attribute]);
        if (document !== undefined) out.push({ address: `${type}.${name}`, attribute, document });
      }
    }
  }
  return out;
}

/** The static dependency check on a synthesized stack: it runs whether or not the apply does. */
export function stackDependencyFindings(stack: StackJson): string[] {
  const principals = stackPrincipals(stack);
  const findings: string[] = [];
  for (const { address, attribute, document } of principalPolicies(stack)) {
    const dependencies = stackDependencies(stack, address);
    for (const value of principalsOf(document)) {
      for (const principal of principals) {
        if (!principal.matches(value)) continue;
        if (principal.address === address) findings.push(`${address}.${attribute} names ${value}, the principal ${address} itself creates: AWS refuses a principal that does not exist yet`);
        else if (!dependencies.has(principal.address)) {
          findings.push(
            `${address}.${attribute} names ${value} as a literal, created by ${principal.address}, without depending on it: Terraform may apply the policy first, and AWS refuses it (MalformedPolicy: Invalid principal in policy)`,
          );
        }
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------
// Terraform state
// ---------------------------------------------------------------------------------------------------------

interface StateResource {
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  provider: string;
  instances: { index_key?: string | number; attributes: Record<string, unknown>; dependencies?: string[] }[];
}

export interface StateInstance {
  /** Config address (no instance keys), as state dependencies name resources. */
  readonly configAddress: string;
  readonly address: string;
  readonly resource: StateResource;
  readonly attributes: Record<string, unknown>;
  readonly dependencies: readonly string[];
  /** The provider configuration's key: `aws` or `aws.<alias>`. */
  readonly providerKey: string;
}

function readState(dir: string): StateInstance[] {
  const file = join(dir, 'terraform.tfstate');
  return existsSync(file) ? stateInstances(JSON.parse(readFileSync(file, 'utf8'))) : [];
}

/** The managed resource instances of a state file's JSON. */
export function stateInstances(json: unknown): StateInstance[] {
  const state = json as { resources?: StateResource[] };
  const out: StateInstance[] = [];
  for (const resource of state.resources ?? []) {
    if (resource.mode !== 'managed') continue;
    const modulePath = resource.module === undefined ? '' : `${resource.module.replace(/\[[^\]]*\]/g, '')}.`;
    const alias = /\]\.([A-Za-z0-9_-]+)$/.exec(resource.provider)?.[1];
    for (const instance of resource.instances) {
      const key = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      out.push({
        configAddress: `${modulePath}${resource.type}.${resource.name}`,
        address: `${resource.module === undefined ? '' : `${resource.module}.`}${resource.type}.${resource.name}${key}`,
        resource,
        attributes: instance.attributes,
        dependencies: instance.dependencies ?? [],
        providerKey: providerKey(alias),
      });
    }
  }
  return out;
}

/** The dependency check on what was applied: the principals' ARNs as moto made them, the dependencies as Terraform recorded them. */
export function stateDependencyFindings(instances: readonly StateInstance[]): string[] {
  const principals = instances
    .filter((i) => ['aws_iam_role', 'aws_iam_user', 'aws_iam_openid_connect_provider', 'aws_iam_saml_provider'].includes(i.resource.type))
    .map((i) => ({ configAddress: i.configAddress, address: i.address, arn: i.attributes.arn as string }));
  const findings: string[] = [];
  for (const instance of instances) {
    if (IDENTITY_POLICY_TYPES.has(instance.resource.type)) continue;
    for (const attribute of ['assume_role_policy', 'policy']) {
      const document = parseJson(instance.attributes[attribute]);
      if (document === undefined) continue;
      for (const value of principalsOf(document)) {
        for (const principal of principals) {
          if (principal.arn !== value) continue;
          if (principal.address === instance.address) findings.push(`${instance.address}.${attribute} names ${value}, the principal it creates itself`);
          else if (!instance.dependencies.includes(principal.configAddress)) {
            findings.push(
              `${instance.address}.${attribute} names ${value}, created by ${principal.address}, without depending on it (state dependencies: ${instance.dependencies.join(', ') || 'none'})`,
            );
          }
        }
      }
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------
// moto's APIs, unsigned (moto reads the service and region from the credential scope; the account from
// x-moto-account-id)
// ---------------------------------------------------------------------------------------------------------

class MotoClient {
  constructor(readonly endpoint: string) {}

  private headers(service: string, account: string, region = 'us-east-1'): Record<string, string> {
    return {
      authorization: `AWS4-HMAC-SHA256 Credential=lab/20261201/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      'x-moto-account-id': account,
    };
  }

  /** An IAM query API call; resolves with the XML, rejects with moto's error. */
  async iam(account: string, action: string, params: Record<string, string> = {}): Promise<string> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: { ...this.headers('iam', account), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ Action: action, Version: '2010-05-08', ...params }).toString(),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`IAM ${action} ${JSON.stringify(params)} in ${account}: ${response.status} ${xmlValue(text, 'Message') ?? text.slice(0, 300)}`);
    return text;
  }

  async organizations(account: string, action: string, body: unknown = {}): Promise<Record<string, unknown>> {
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        ...this.headers('organizations', account),
        'x-amz-target': `AWSOrganizationsV20161128.${action}`,
        'content-type': 'application/x-amz-json-1.1',
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Organizations ${action} in ${account}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as Record<string, unknown>;
  }

  /** An S3 call; resolves with status and body. */
  async s3(account: string, region: string, method: string, path: string, body?: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${this.endpoint}${path}`, { method, body, headers: this.headers('s3', account, region) });
    return { status: response.status, text: await response.text() };
  }
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
    if (entity in named) return named[entity];
    return String.fromCodePoint(entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

/** The texts of every `<tag>…</tag>` (not nested in itself), unescaped. */
function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => unescapeXml(m[1]));
}

function xmlValue(xml: string, tag: string): string | undefined {
  return xmlValues(xml, tag)[0];
}

/** A policy document as IAM returns it: URL-encoded JSON. */
function iamDocument(xml: string, tag: string): string {
  const value = xmlValue(xml, tag);
  if (value === undefined) throw new Error(`no <${tag}> in ${xml.slice(0, 300)}`);
  return value.trimStart().startsWith('{') ? value : decodeURIComponent(value);
}

/** IAM names of an account, by kind: what a listing shows before and after. */
async function iamInventory(moto: MotoClient, account: string): Promise<string[]> {
  const names: string[] = [];
  const list = async (action: string, tag: string, params: Record<string, string> = {}) => {
    const xml = await moto.iam(account, action, { MaxItems: '1000', ...params });
    for (const value of xmlValues(xml, tag)) names.push(`${account} ${action.replace(/^List/, '')}: ${value}`);
  };
  await list('ListRoles', 'Arn');
  await list('ListPolicies', 'Arn', { Scope: 'Local' });
  await list('ListUsers', 'Arn');
  await list('ListGroups', 'Arn');
  await list('ListInstanceProfiles', 'InstanceProfileName');
  const oidc = await moto.iam(account, 'ListOpenIDConnectProviders');
  for (const value of xmlValues(oidc, 'Arn')) names.push(`${account} OpenIDConnectProviders: ${value}`);
  return names.sort();
}

// ---------------------------------------------------------------------------------------------------------
// Fixtures: what a real account already has
// ---------------------------------------------------------------------------------------------------------

interface Fixtures {
  /** Organizations target literals of the configuration → the IDs moto gave them. */
  readonly organizationTargets: Map<string, string>;
  /** Accounts with an organization (their management account). */
  readonly organizationAccounts: string[];
  /** Buckets created, with their account and region. */
  readonly buckets: { bucket: string; account: string; region: string }[];
}

const TARGET_LITERAL = /"((?:r-[0-9a-z]{4,32})|(?:ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}))"/g;

async function createOrganization(moto: MotoClient, account: string, literals: readonly string[], fixtures: Fixtures, log: string[]): Promise<void> {
  await moto.organizations(account, 'CreateOrganization', { FeatureSet: 'ALL' });
  const roots = (await moto.organizations(account, 'ListRoots')) as { Roots: { Id: string }[] };
  const rootId = roots.Roots[0].Id;
  await moto.organizations(account, 'EnablePolicyType', { RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' });
  fixtures.organizationAccounts.push(account);
  log.push(`an organization managed by ${account} (root ${rootId}), SCPs enabled`);
  for (const literal of literals) {
    if (literal.startsWith('r-')) fixtures.organizationTargets.set(literal, rootId);
    else {
      const ou = (await moto.organizations(account, 'CreateOrganizationalUnit', { ParentId: rootId, Name: literal })) as { OrganizationalUnit: { Id: string } };
      fixtures.organizationTargets.set(literal, ou.OrganizationalUnit.Id);
      log.push(`organizational unit ${ou.OrganizationalUnit.Id} (for ${literal})`);
    }
  }
}

async function createBucket(moto: MotoClient, bucket: string, account: string, region: string, fixtures: Fixtures, log: string[]): Promise<void> {
  const body = region === 'us-east-1' ? undefined : `<CreateBucketConfiguration><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
  const created = await moto.s3(account, region, 'PUT', `/${bucket}`, body);
  if (created.status >= 300) throw new Error(`creating bucket ${bucket} in ${account}: ${created.status} ${created.text.slice(0, 300)}`);
  fixtures.buckets.push({ bucket, account, region });
  log.push(`bucket ${bucket} in ${account} (${region})`);
}

/** Credentials of a user of `account`: what the lab gives a provider configuration there. */
async function deployerCredentials(moto: MotoClient, account: string): Promise<{ accessKey: string; secretKey: string }> {
  await moto.iam(account, 'CreateUser', { UserName: DEPLOYER });
  const xml = await moto.iam(account, 'CreateAccessKey', { UserName: DEPLOYER });
  return { accessKey: xmlValue(xml, 'AccessKeyId')!, secretKey: xmlValue(xml, 'SecretAccessKey')! };
}

// ---------------------------------------------------------------------------------------------------------
// Running terraform
// ---------------------------------------------------------------------------------------------------------

/** terraform, as the other tests run it, with the lab's settings on top. */
function labTerraform(binary: string, dir: string, home: string, args: string[]): Promise<TerraformRun> {
  return runTerraform(binary, dir, args, home, {
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(process.env.APPLY_LAB_TF_LOG !== undefined && { TF_LOG: process.env.APPLY_LAB_TF_LOG, TF_LOG_PATH: join(dir, `terraform-${args[0]}.log`) }),
    // The provider's start-up builds its whole schema: a laxer garbage collector saves a third of the CPU.
    GOGC: '400',
  });
}

/** The lines of terraform's output that say what failed, or its tail. */
export function excerpt(output: string, lines = 12): string {
  const all = output.split('\n');
  const start = all.findIndex((l) => /^(│ )?Error: /.test(l));
  const chosen = start >= 0 ? all.slice(start, start + lines) : all.filter((l) => l.trim() !== '').slice(-lines);
  return chosen.map((l) => l.replace(/^│ ?/, '').trimEnd()).join('\n');
}

/** The versions of hashicorp/aws a mirror holds, highest first. */
export function mirrorVersions(mirror: string): string[] {
  const dir = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws');
  const versions = existsSync(dir) ? readdirSync(dir).filter((v) => /^\d+\.\d+\.\d+$/.test(v)) : [];
  const key = (v: string) => v.split('.').map(Number);
  return versions.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
  });
}

// ---------------------------------------------------------------------------------------------------------
// Quotas (AWS's defaults: IAM and STS quotas, Organizations quotas, S3 bucket policy size)
// ---------------------------------------------------------------------------------------------------------

/** IAM counts a policy's characters without whitespace. */
const iamSize = (document: string) => document.replace(/\s/g, '').length;

const QUOTAS = {
  managedPolicy: 6144,
  trustPolicy: 2048, // default; raised to 4096 on request
  roleInline: 10240,
  userInline: 2048,
  groupInline: 5120,
  managedPerPrincipal: 10, // default; raised to 20 on request
  groupsPerUser: 10,
  scp: 5120,
  scpsPerTarget: 5,
  bucketPolicyBytes: 20480,
  rolesPerInstanceProfile: 1,
} as const;

// ---------------------------------------------------------------------------------------------------------
// One target
// ---------------------------------------------------------------------------------------------------------

/** The configuration of a target, as this lab needs to know it before applying. */
interface TargetConfig {
  /** The folder terraform runs in. */
  readonly dir: string;
  readonly usesAws: boolean;
  readonly providers: ProviderConfig[];
  /** Whether the root module declares the providers (then they are overridden; else added). */
  readonly declaresProviders: boolean;
  /** The synthesized JSON, for stacks. */
  readonly stack?: StackJson;
  /** The HCL text, for examples. */
  readonly hcl?: string;
}

/** Whether the example `examples/<name>/` under `root` uses the AWS provider (then it is applied to moto). */
export function exampleUsesAws(root: string, name: string): boolean {
  const dir = join(root, 'examples', name);
  const hcl = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  return hclUsesAws(hcl);
}

function hclUsesAws(hcl: string): boolean {
  const calls = [...hcl.matchAll(/source\s*=\s*"\.\.\/\.\.\/terraform-modules\/([^"]+)"/g)].map((m) => m[1]);
  return hclProviders(hcl).length > 0 || /(resource|data)\s+"aws_/.test(hcl) || calls.some((m) => moduleUsesAws(m));
}

function prepare(target: ApplyTarget, settings: LabSettings, work: string): TargetConfig {
  if (target.kind === 'stack') {
    const dir = join(work, 'stacks', target.name);
    cpSync(join(settings.synthOut, 'stacks', target.name), dir, { recursive: true });
    const stack = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as StackJson;
    const providers = stackProviders(stack);
    const usesAws = providers.length > 0 || Object.keys({ ...stack.resource, ...stack.data }).some((t) => t.startsWith('aws_'));
    return {
      dir,
      usesAws,
      providers: providers.length > 0 ? providers : usesAws ? [{ region: 'us-east-1' }] : [],
      declaresProviders: providers.length > 0,
      stack,
    };
  }
  // The example calls ../../terraform-modules/<module>: both trees, in the same relative layout.
  cpSync(join(settings.root, 'terraform-modules'), join(work, 'terraform-modules'), { recursive: true });
  const dir = join(work, 'examples', target.name);
  cpSync(join(settings.root, 'examples', target.name), dir, { recursive: true });
  const hcl = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  const providers = hclProviders(hcl);
  const usesAws = hclUsesAws(hcl);
  return { dir, usesAws, providers: providers.length > 0 ? providers : usesAws ? [{ region: 'us-east-1' }] : [], declaresProviders: providers.length > 0, hcl };
}

/** The organization target literals and the bucket names a configuration needs to exist before it applies. */
function fixtureNeeds(config: TargetConfig): { organization?: { provider: string; literals: string[] }; buckets: { bucket: string; provider: string }[] } {
  if (config.stack !== undefined) {
    const resources = config.stack.resource ?? {};
    const scps = Object.values(resources.aws_organizations_policy ?? {});
    const attachments = Object.values(resources.aws_organizations_policy_attachment ?? {});
    const literals = attachments.map((a) => a.target_id).filter((t): t is string => typeof t === 'string' && /^(r-|ou-)/.test(t));
    const created = new Set(Object.values(resources.aws_s3_bucket ?? {}).map((b) => b.bucket));
    const buckets = Object.values(resources.aws_s3_bucket_policy ?? {})
      .filter((b) => typeof b.bucket === 'string' && !(b.bucket as string).includes('${') && !created.has(b.bucket))
      .map((b) => ({ bucket: b.bucket as string, provider: (b.provider as string | undefined) ?? 'aws' }));
    const organization = scps.length > 0 ? { provider: (scps[0].provider as string | undefined) ?? 'aws', literals: [...new Set(literals)] } : undefined;
    return { organization, buckets };
  }
  const hcl = config.hcl!;
  const usesOrganizations = /aws_organizations_|terraform-modules\/service-control-policy/.test(hcl);
  const literals = [...new Set([...hcl.matchAll(TARGET_LITERAL)].map((m) => m[1]))];
  const creates = /resource\s+"aws_s3_bucket"\s/.test(hcl);
  const buckets = creates ? [] : [...new Set([...hcl.matchAll(/^\s*bucket\s*=\s*"([a-z0-9.-]+)"/gm)].map((m) => m[1]))].map((bucket) => ({ bucket, provider: 'aws' }));
  return { organization: usesOrganizations ? { provider: 'aws', literals } : undefined, buckets };
}

/**
 * Overrides of the organization target literals (they name the organization's root and OUs, whose IDs moto
 * chooses): for a stack, the attachments' `target_id`; for an example, the module argument that holds them.
 */
function targetOverrides(config: TargetConfig, mapping: ReadonlyMap<string, string>, overrides: string[]): { resource?: unknown; module?: unknown } {
  if (mapping.size === 0) return {};
  if (config.stack !== undefined) {
    const resource: Record<string, Record<string, unknown>> = {};
    for (const [name, block] of Object.entries(config.stack.resource?.aws_organizations_policy_attachment ?? {})) {
      const id = mapping.get(block.target_id as string);
      if (id === undefined) continue;
      (resource.aws_organizations_policy_attachment ??= {})[name] = { target_id: id };
      overrides.push(`aws_organizations_policy_attachment.${name}.target_id: ${block.target_id} → ${id}, the ID moto gave the organization's ${id.startsWith('r-') ? 'root' : 'OU'}`);
    }
    return { resource };
  }
  const module: Record<string, Record<string, unknown>> = {};
  for (const { header, body } of hclBlocks(config.hcl!, /module\s+"([^"]+)"\s*\{/g)) {
    const moduleName = /"([^"]+)"/.exec(header)![1];
    for (const attr of body.matchAll(/^\s*(\w+)\s*=\s*(\{[^{}]*\}|\[[^[\]]*\]|"[^"]*")/gm)) {
      if (![...attr[2].matchAll(TARGET_LITERAL)].some((m) => mapping.has(m[1]))) continue;
      const json = attr[2].replace(/(\w+)\s*=\s*"/g, '"$1": "').replace(/"\s*\n\s*"/g, '", "');
      const value = JSON.parse(json.replace(TARGET_LITERAL, (_, literal: string) => `"${mapping.get(literal) ?? literal}"`)) as unknown;
      (module[moduleName] ??= {})[attr[1]] = value;
      overrides.push(`module.${moduleName}.${attr[1]}: ${attr[2].replace(/\s+/g, ' ')} → ${JSON.stringify(value)}, the IDs moto gave the organization's root/OUs`);
    }
  }
  return { module };
}

/**
 * Applies `target` to a moto of its own and reports. Never rejects for what the configuration does (that is
 * in the report); rejects when a tool is missing or moto cannot be started.
 */
export async function applyTarget(target: ApplyTarget, settings: LabSettings): Promise<TargetReport> {
  const started = Date.now();
  const report: TargetReport = {
    target,
    usesAws: false,
    overrides: [],
    fixtures: [],
    steps: [],
    applied: false,
    planned: false,
    destroyed: false,
    leftovers: [],
    objectsRead: 0,
    documentsCompared: 0,
    documentSources: {},
    mismatches: [],
    dependencyFindings: [],
    quotaFindings: [],
    credentialFindings: [],
    seconds: 0,
  };
  const binary = requireTool('terraform', TERRAFORM_INSTALL);
  const work = mkdtempSync(join(tmpdir(), `apply-${target.kind}-${target.name}-`));
  let moto: MotoServer | undefined;
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    try {
      return await run();
    } finally {
      report.steps.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  };
  try {
    const config = prepare(target, settings, work);
    report.usesAws = config.usesAws;
    writeFileSync(
      join(work, 'terraformrc'),
      `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(settings.mirror)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
}
`,
    );
    const tf = (...args: string[]) => labTerraform(binary, config.dir, work, args);
    if (config.stack !== undefined) report.dependencyFindings.push(...stackDependencyFindings(config.stack).map((f) => `(synthesized) ${f}`));
    report.credentialFindings.push(...credentialFindings(config.providers));

    let client: MotoClient | undefined;
    const home = credentialsAccount(config.providers);
    const accounts = new Set<string>([home]);
    let before: string[] = [];
    const fixtures: Fixtures = { organizationTargets: new Map(), organizationAccounts: [], buckets: [] };
    const override: Record<string, unknown> = {};
    if (config.stack !== undefined) {
      // The stack's local backend writes beside the project: here, in the copy.
      override.terraform = { backend: { local: { path: 'terraform.tfstate' } } };
    }
    if (config.usesAws) {
      moto = await step('moto', () => startMoto({ loadManagedPolicies: true }));
      client = new MotoClient(moto.endpoint);
      const moto_ = client;
      const version = mirrorVersions(settings.mirror)[0];
      if (config.stack !== undefined) {
        (override.terraform as Record<string, unknown>).required_providers = { aws: { source: 'hashicorp/aws', version } };
        report.overrides.push(`terraform.required_providers.aws.version: ${JSON.stringify(requiredVersion(config.stack))} → ${version}, the mirror's`);
      }
      const credentials = new Map<string, { accessKey: string; secretKey: string }>();
      const credentialsOf = async (account: string) => {
        if (!credentials.has(account)) credentials.set(account, await deployerCredentials(moto_, account));
        return credentials.get(account)!;
      };
      const base = await credentialsOf(home);
      const providerBlocks: Record<string, unknown>[] = [];
      const providerAccounts = new Map<string, string>();
      for (const p of config.providers) {
        const account = deployAccount(p, home);
        providerAccounts.set(providerKey(p.alias), account);
        accounts.add(account);
        for (const a of p.allowedAccountIds ?? []) accounts.add(a);
        let keys = base;
        if (p.assumeRoleArn === undefined && account !== home) {
          keys = await credentialsOf(account);
          report.overrides.push(
            `provider ${providerKey(
              p.alias,
            )}: credentials of a user of ${account}, the account it is pinned to, instead of the one set of credentials (${home}'s), so that the rest can be applied; the credentials check reports it`,
          );
        }
        providerBlocks.push({
          ...(p.alias !== undefined && { alias: p.alias }),
          ...(!config.declaresProviders && { region: p.region }),
          access_key: keys.accessKey,
          secret_key: keys.secretKey,
          skip_credentials_validation: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          s3_use_path_style: true,
          endpoints: Object.fromEntries(ENDPOINT_SERVICES.map((s) => [s, moto!.endpoint])),
        });
      }
      const regionOf = (key: string) => config.providers.find((p) => providerKey(p.alias) === key)?.region ?? 'us-east-1';
      const accountOf = (key: string) => providerAccounts.get(key) ?? home;

      const needs = fixtureNeeds(config);
      await step('fixtures', async () => {
        if (needs.organization !== undefined) await createOrganization(moto_, accountOf(needs.organization.provider), needs.organization.literals, fixtures, report.fixtures);
        for (const { bucket, provider } of needs.buckets) await createBucket(moto_, bucket, accountOf(provider), regionOf(provider), fixtures, report.fixtures);
      });
      Object.assign(override, targetOverrides(config, fixtures.organizationTargets, report.overrides));
      const providerFile = { provider: { aws: providerBlocks } };
      if (config.declaresProviders) (override as Record<string, unknown>).provider = providerFile.provider;
      else writeFileSync(join(config.dir, 'zz_lab_provider.tf.json'), JSON.stringify(providerFile, null, 2));
      before = await step('inventory before', async () => (await Promise.all([...accounts].map((a) => iamInventory(moto_, a)))).flat());
    }
    if (Object.keys(override).length > 0) writeFileSync(join(config.dir, 'zz_override.tf.json'), JSON.stringify(override, null, 2));

    const init = await step('init', () => tf('init', '-input=false'));
    if (init.code !== 0) {
      report.applyError = `terraform init failed:\n${excerpt(init.output)}`;
      return report;
    }
    const apply = await step('apply', () => tf('apply', '-auto-approve', '-input=false'));
    const state = readState(config.dir);
    if (apply.code !== 0) report.applyError = `terraform apply failed:\n${excerpt(apply.output)}`;
    else report.applied = true;

    try {
      report.dependencyFindings.push(...stateDependencyFindings(state).map((f) => `(applied) ${f}`));
      if (report.applied && client !== undefined) {
        await step('read back', () =>
          readBack(client!, config, state, report).catch((error: Error) => {
            report.mismatches.push(`reading back through moto failed: ${error.message}`);
          }),
        );
      }
      if (report.applied) {
        const plan = await step('plan', () => tf('plan', '-detailed-exitcode', '-input=false'));
        if (plan.code === 0) report.planned = true;
        else report.drift = plan.code === 2 ? `plan after apply shows changes:\n${changedLines(plan.output)}` : `plan after apply failed:\n${excerpt(plan.output)}`;
      }
    } finally {
      const destroy = await step('destroy', () => tf('destroy', '-auto-approve', '-input=false'));
      if (destroy.code !== 0) report.destroyError = `terraform destroy failed:\n${excerpt(destroy.output)}`;
      else {
        const remaining = readState(config.dir);
        if (remaining.length > 0) report.leftovers.push(...remaining.map((r) => `still in state: ${r.address}`));
        if (client !== undefined) {
          const after = (await Promise.all([...accounts].map((a) => iamInventory(client!, a)))).flat();
          report.leftovers.push(...after.filter((n) => !before.includes(n)));
          report.leftovers.push(...(await organizationAndBucketLeftovers(client, fixtures)));
        }
        report.destroyed = report.leftovers.length === 0;
      }
    }
    return report;
  } finally {
    if (moto !== undefined) await moto.stop();
    // APPLY_LAB_KEEP=1 keeps the copies, with their state and override files, to look at.
    if (process.env.APPLY_LAB_KEEP === undefined) rmSync(work, { recursive: true, force: true });
    else report.steps.push(`kept in ${work}`);
    report.seconds = (Date.now() - started) / 1000;
  }
}

function requiredVersion(stack: StackJson): unknown {
  return (stack as { terraform?: { required_providers?: { aws?: { version?: string } } } }).terraform?.required_providers?.aws?.version;
}

/** The resource lines of a plan that wants changes. */
function changedLines(output: string): string {
  const lines = output.split('\n').filter((l) => /^\s*# .* (will|must) be |^\s*[~+-] .*=|^Plan:/.test(l));
  return lines.slice(0, 30).join('\n');
}

/** SCPs (not AWS's FullAWSAccess) and bucket policies left after destroy. */
async function organizationAndBucketLeftovers(moto: MotoClient, fixtures: Fixtures): Promise<string[]> {
  const left: string[] = [];
  for (const account of fixtures.organizationAccounts) {
    const policies = (await moto.organizations(account, 'ListPolicies', { Filter: 'SERVICE_CONTROL_POLICY' })) as {
      Policies: { Id: string; Name: string; AwsManaged: boolean }[];
    };
    for (const p of policies.Policies) if (!p.AwsManaged) left.push(`${account} SCP: ${p.Name} (${p.Id})`);
  }
  for (const { bucket, account, region } of fixtures.buckets) {
    const policy = await moto.s3(account, region, 'GET', `/${bucket}?policy`);
    if (policy.status === 200) left.push(`${account} bucket policy on ${bucket}`);
  }
  return left;
}

// ---------------------------------------------------------------------------------------------------------
// Reading back
// ---------------------------------------------------------------------------------------------------------

/** JSON with its object keys sorted: parsed documents compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The document the configuration gives `instance.attribute`: for a stack, the synthesized string with its
 * references (`${aws_x.y.attr}`) replaced by the applied values; for an example, the value Terraform computed
 * from the HCL (the state's, which the no-drift plan holds equal to the configuration's).
 */
function expectedDocument(config: TargetConfig, state: readonly StateInstance[], instance: StateInstance, attribute: string): { text: string; source: string } {
  const applied = instance.attributes[attribute] as string;
  if (config.stack === undefined || instance.resource.module !== undefined) return { text: applied, source: 'the value Terraform computed from the HCL' };
  const synthesized = config.stack.resource?.[instance.resource.type]?.[instance.resource.name]?.[attribute];
  if (typeof synthesized !== 'string') return { text: applied, source: 'the applied value (no synthesized string)' };
  let unresolved = false;
  const text = synthesized.replace(/\$\{((?:data\.)?aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}/g, (whole, type: string, name: string, attr: string) => {
    const target = state.find((s) => s.resource.type === type && s.resource.name === name && s.resource.module === undefined);
    const value = target?.attributes[attr];
    if (typeof value !== 'string') {
      unresolved = true;
      return whole;
    }
    return value.replace(/["\\]/g, '\\$&');
  });
  if (unresolved || text.includes('${')) return { text: applied, source: 'the applied value (the synthesized string has expressions)' };
  return { text, source: 'the synthesized JSON' };
}

async function readBack(moto: MotoClient, config: TargetConfig, state: readonly StateInstance[], report: TargetReport): Promise<void> {
  const home = credentialsAccount(config.providers);
  const accountOf = (i: StateInstance) => {
    const p = config.providers.find((c) => providerKey(c.alias) === i.providerKey);
    return p === undefined ? home : deployAccount(p, home);
  };
  const regionOf = (i: StateInstance) => config.providers.find((c) => providerKey(c.alias) === i.providerKey)?.region ?? 'us-east-1';
  const compare = (instance: StateInstance, attribute: string, actualText: string) => {
    report.documentsCompared++;
    const expected = expectedDocument(config, state, instance, attribute);
    report.documentSources[expected.source] = (report.documentSources[expected.source] ?? 0) + 1;
    const [want, got] = [parseJson(expected.text), parseJson(actualText)];
    if (want === undefined || got === undefined || canonical(want) !== canonical(got)) {
      report.mismatches.push(`${instance.address}.${attribute}: moto holds ${actualText.slice(0, 400)}\n  ${expected.source}: ${expected.text.slice(0, 400)}`);
    }
  };
  const expectEqual = (instance: StateInstance, what: string, got: unknown, want: unknown) => {
    if (canonical(got) !== canonical(want)) report.mismatches.push(`${instance.address} ${what}: moto has ${JSON.stringify(got)}, the configuration ${JSON.stringify(want)}`);
  };
  const inline = new Map<string, number>(); // principal → aggregate inline size
  const managed = new Map<string, Set<string>>(); // principal → attached policy ARNs
  const quota = (instance: StateInstance, what: string, size: number, limit: number) => {
    if (size > limit) report.quotaFindings.push(`${instance.address}: ${what} is ${size}, over AWS's ${limit}`);
  };
  const addInline = (key: string, size: number) => inline.set(key, (inline.get(key) ?? 0) + size);

  for (const i of state) {
    const a = i.attributes;
    const account = accountOf(i);
    const s = (name: string) => a[name] as string;
    switch (i.resource.type) {
      case 'aws_iam_role': {
        const xml = await moto.iam(account, 'GetRole', { RoleName: s('name') });
        const document = iamDocument(xml, 'AssumeRolePolicyDocument');
        compare(i, 'assume_role_policy', document);
        expectEqual(i, 'path', xmlValue(xml, 'Path'), s('path'));
        const boundary = /<PermissionsBoundary>[\s\S]*?<PermissionsBoundaryArn>([^<]*)</.exec(xml)?.[1];
        expectEqual(i, 'permissions boundary', boundary ?? '', s('permissions_boundary') ?? '');
        quota(i, 'the trust policy (characters without whitespace)', iamSize(document), QUOTAS.trustPolicy);
        const attached = await moto.iam(account, 'ListAttachedRolePolicies', { RoleName: s('name'), MaxItems: '1000' });
        managed.set(`role ${s('name')}`, new Set(xmlValues(attached, 'PolicyArn')));
        break;
      }
      case 'aws_iam_role_policy': {
        const document = iamDocument(await moto.iam(account, 'GetRolePolicy', { RoleName: s('role'), PolicyName: s('name') }), 'PolicyDocument');
        compare(i, 'policy', document);
        addInline(`role ${s('role')}`, iamSize(document));
        break;
      }
      case 'aws_iam_user_policy': {
        const document = iamDocument(await moto.iam(account, 'GetUserPolicy', { UserName: s('user'), PolicyName: s('name') }), 'PolicyDocument');
        compare(i, 'policy', document);
        addInline(`user ${s('user')}`, iamSize(document));
        break;
      }
      case 'aws_iam_group_policy': {
        const document = iamDocument(await moto.iam(account, 'GetGroupPolicy', { GroupName: s('group'), PolicyName: s('name') }), 'PolicyDocument');
        compare(i, 'policy', document);
        addInline(`group ${s('group')}`, iamSize(document));
        break;
      }
      case 'aws_iam_policy': {
        const policy = await moto.iam(account, 'GetPolicy', { PolicyArn: s('arn') });
        expectEqual(i, 'path', xmlValue(policy, 'Path'), s('path'));
        const version = xmlValue(policy, 'DefaultVersionId')!;
        const document = iamDocument(await moto.iam(account, 'GetPolicyVersion', { PolicyArn: s('arn'), VersionId: version }), 'Document');
        compare(i, 'policy', document);
        quota(i, 'the managed policy (characters without whitespace)', iamSize(document), QUOTAS.managedPolicy);
        break;
      }
      case 'aws_iam_user': {
        const xml = await moto.iam(account, 'GetUser', { UserName: s('name') });
        expectEqual(i, 'path', xmlValue(xml, 'Path'), s('path'));
        const attached = await moto.iam(account, 'ListAttachedUserPolicies', { UserName: s('name'), MaxItems: '1000' });
        managed.set(`user ${s('name')}`, new Set(xmlValues(attached, 'PolicyArn')));
        const groups = xmlValues(await moto.iam(account, 'ListGroupsForUser', { UserName: s('name'), MaxItems: '1000' }), 'GroupName');
        quota(i, 'the number of groups of the user', groups.length, QUOTAS.groupsPerUser);
        break;
      }
      case 'aws_iam_group': {
        const xml = await moto.iam(account, 'GetGroup', { GroupName: s('name') });
        expectEqual(i, 'path', xmlValue(xml, 'Path'), s('path'));
        const attached = await moto.iam(account, 'ListAttachedGroupPolicies', { GroupName: s('name'), MaxItems: '1000' });
        managed.set(`group ${s('name')}`, new Set(xmlValues(attached, 'PolicyArn')));
        break;
      }
      case 'aws_iam_role_policy_attachment':
      case 'aws_iam_user_policy_attachment':
      case 'aws_iam_group_policy_attachment': {
        const kind = i.resource.type.split('_')[2] as 'role' | 'user' | 'group';
        const principal = s(kind);
        const list = { role: 'ListAttachedRolePolicies', user: 'ListAttachedUserPolicies', group: 'ListAttachedGroupPolicies' }[kind];
        const param = { role: 'RoleName', user: 'UserName', group: 'GroupName' }[kind];
        const arns = xmlValues(await moto.iam(account, list, { [param]: principal, MaxItems: '1000' }), 'PolicyArn');
        if (!arns.includes(s('policy_arn'))) report.mismatches.push(`${i.address}: ${s('policy_arn')} is not attached to ${kind} ${principal} (attached: ${arns.join(', ') || 'none'})`);
        break;
      }
      case 'aws_iam_user_group_membership': {
        const groups = xmlValues(await moto.iam(account, 'ListGroupsForUser', { UserName: s('user'), MaxItems: '1000' }), 'GroupName');
        for (const g of a.groups as string[]) if (!groups.includes(g)) report.mismatches.push(`${i.address}: user ${s('user')} is not in group ${g} (in: ${groups.join(', ') || 'none'})`);
        break;
      }
      case 'aws_iam_instance_profile': {
        const xml = await moto.iam(account, 'GetInstanceProfile', { InstanceProfileName: s('name') });
        expectEqual(i, 'path', xmlValue(/<InstanceProfile>([\s\S]*?)<Roles>/.exec(xml)?.[1] ?? xml, 'Path'), s('path'));
        const roles = xmlValues(xml, 'RoleName');
        expectEqual(i, 'roles', roles, a.role ? [s('role')] : []);
        quota(i, 'the number of roles of the instance profile', roles.length, QUOTAS.rolesPerInstanceProfile);
        break;
      }
      case 'aws_iam_openid_connect_provider': {
        const xml = await moto.iam(account, 'GetOpenIDConnectProvider', { OpenIDConnectProviderArn: s('arn') });
        expectEqual(i, 'url', xmlValue(xml, 'Url'), s('url').replace(/^https:\/\//, ''));
        expectEqual(
          i,
          'client IDs',
          xmlValues(xml, 'member')
            .filter((m) => (a.client_id_list as string[]).includes(m))
            .sort(),
          [...(a.client_id_list as string[])].sort(),
        );
        break;
      }
      case 'aws_organizations_policy': {
        const described = (await moto.organizations(account, 'DescribePolicy', { PolicyId: s('id') })) as { Policy: { Content: string } };
        compare(i, 'content', described.Policy.Content);
        quota(i, 'the SCP (characters)', JSON.stringify(JSON.parse(described.Policy.Content)).length, QUOTAS.scp);
        break;
      }
      case 'aws_organizations_policy_attachment': {
        const targets = (await moto.organizations(account, 'ListTargetsForPolicy', { PolicyId: s('policy_id') })) as { Targets: { TargetId: string }[] };
        if (!targets.Targets.some((t) => t.TargetId === s('target_id'))) report.mismatches.push(`${i.address}: policy ${s('policy_id')} is not attached to ${s('target_id')}`);
        const attached = (await moto.organizations(account, 'ListPoliciesForTarget', { TargetId: s('target_id'), Filter: 'SERVICE_CONTROL_POLICY' })) as {
          Policies: unknown[];
        };
        quota(i, `the number of SCPs on ${s('target_id')}`, attached.Policies.length, QUOTAS.scpsPerTarget);
        break;
      }
      case 'aws_s3_bucket_policy': {
        const got = await moto.s3(account, regionOf(i), 'GET', `/${s('bucket')}?policy`);
        if (got.status !== 200) report.mismatches.push(`${i.address}: GetBucketPolicy answered ${got.status} ${got.text.slice(0, 200)}`);
        else {
          compare(i, 'policy', got.text);
          quota(i, 'the bucket policy (bytes)', Buffer.byteLength(got.text), QUOTAS.bucketPolicyBytes);
        }
        break;
      }
      default:
        // Every IAM-like object is read back; the others (a launch template, say) are not IAM's.
        if (/^aws_(iam|organizations)_/.test(i.resource.type)) report.mismatches.push(`${i.address}: the lab does not read back ${i.resource.type}; teach readBack it`);
        continue;
    }
    report.objectsRead++;
  }
  for (const [principal, size] of inline) {
    const limit = principal.startsWith('role') ? QUOTAS.roleInline : principal.startsWith('user') ? QUOTAS.userInline : QUOTAS.groupInline;
    if (size > limit) report.quotaFindings.push(`${principal}: its inline policies total ${size} characters without whitespace, over AWS's ${limit}`);
  }
  for (const [principal, arns] of managed) {
    if (arns.size > QUOTAS.managedPerPrincipal) report.quotaFindings.push(`${principal}: ${arns.size} managed policies attached, over AWS's default ${QUOTAS.managedPerPrincipal}`);
  }
}

/** Synthesizes every stack of main.ts into `out` (CDKTF_OUTDIR), the way `npm run synth` does. */
export function synthesize(root: string, out: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  const child = spawn(process.execPath, [join(root, 'scripts', 'run-bundled.js'), 'main.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CDKTF_OUTDIR: out, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' },
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`synth failed (${code}):\n${output}`))));
  });
}

/** Runs `tasks` at most `limit` at a time; each promise settles as its task does. */
export function limited<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T>[] {
  let running = 0;
  const queue: (() => void)[] = [];
  const next = () => {
    if (running >= limit || queue.length === 0) return;
    running++;
    queue.shift()!();
  };
  return tasks.map(
    (task) =>
      new Promise<T>((resolve, reject) => {
        queue.push(() =>
          task()
            .then(resolve, reject)
            .finally(() => {
              running--;
              next();
            }),
        );
        next();
      }),
  );
}
