import { App, DefaultTokenResolver, StringConcat, TerraformProvider, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isAccountId, roleArnAccount } from '../core/iam-identifiers';
import { type IamNameEntry, iamNameCollisions, type IamNameKind } from '../core/name-collisions';
import { type Finding, PolicyValidationError } from '../core/policy-error';

/**
 * Installs, once per stack and once per app, the check that no two resources write the same IAM name
 * where IAM keeps one (`iamNameCollisions`, rule `IAM_NAME_COLLISION`). Every construct of this library
 * calls it; the check then reads every resource of the stack, a caller's own `IamRole` included.
 *
 * It runs as a cdktf validation, at synth, after the aspects (an aspect may still set a resource's
 * provider, as the stacks' `AccountScope` does): the stack's, in `app.synth()` before the stack's JSON is
 * written, and in `Testing.synth(stack, true)`; the app's, for names shared by two stacks, in
 * `app.synth()` once every stack is synthesized (cdktf writes no manifest then, so `cdktf deploy` stops).
 */
export function checkIamNameCollisions(scope: IConstruct): void {
  const stack = TerraformStack.of(scope);
  if (!CHECKED.has(stack)) {
    CHECKED.add(stack);
    stack.node.addValidation({ validate: () => messages(iamNameCollisions(stackEntries(stack))) });
  }
  const app = appOf(scope);
  if (app !== undefined && !CHECKED.has(app)) {
    CHECKED.add(app);
    app.node.addValidation({
      validate: () => {
        const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
        return messages(iamNameCollisions(stacks.flatMap(stackEntries), { acrossStacksOnly: true }));
      },
    });
  }
}

const CHECKED = new WeakSet<IConstruct>();

function appOf(scope: IConstruct): App | undefined {
  try {
    return App.of(scope);
  } catch {
    return undefined; // a tree without an App (a bare TerraformStack root): the stack's check alone
  }
}

function messages(collisions: readonly { path: string; finding: Finding }[]): string[] {
  return collisions.map(({ path, finding }) => new PolicyValidationError(path, [finding]).message);
}

/** The resource types checked: the attribute holding the name, and for inline policies the principal's. */
const TYPES: { readonly [type: string]: { readonly kind: IamNameKind; readonly name: string; readonly principal?: 'role' | 'user' | 'group' } } = {
  aws_iam_role: { kind: 'role', name: 'name' },
  aws_iam_user: { kind: 'user', name: 'name' },
  aws_iam_group: { kind: 'group', name: 'name' },
  aws_iam_policy: { kind: 'managed policy', name: 'name' },
  aws_iam_instance_profile: { kind: 'instance profile', name: 'name' },
  aws_iam_role_policy: { kind: 'inline policy', name: 'name', principal: 'role' },
  aws_iam_user_policy: { kind: 'inline policy', name: 'name', principal: 'user' },
  aws_iam_group_policy: { kind: 'inline policy', name: 'name', principal: 'group' },
  aws_iam_openid_connect_provider: { kind: 'OIDC provider', name: 'url' },
  aws_organizations_policy: { kind: 'organizations policy', name: 'name' },
  aws_s3_bucket_policy: { kind: 'bucket policy', name: 'bucket' },
};

/** A reference to a role's, user's, group's or bucket's name (`${aws_iam_role.ci.name}`; `id` is the name too). */
const NAME_REFERENCE = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.(?:name|id|bucket)\}$/;

/**
 * The names the resources of `stack` write, with the account each is in. Names are read from what the
 * resource synthesizes (overrides included) and resolved in the stack; a reference to a role, user, group
 * or bucket of the stack whose name is written out counts as that name. Skipped: a name left to Terraform
 * (absent, or `name_prefix`), and resources with `count` or `for_each` (one expression, several names).
 */
function stackEntries(stack: TerraformStack): IamNameEntry[] {
  const resolve = (value: unknown): unknown => Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
  const all = stack.node.findAll();
  const resources = all.filter((c): c is TerraformResource => c instanceof TerraformResource && (TYPES[c.terraformResourceType] !== undefined || c.terraformResourceType === 'aws_s3_bucket'));
  const providers = all.filter((c): c is TerraformProvider => c instanceof TerraformProvider);
  const namespaces = new Map<TerraformProvider | undefined, string>();
  const configs = resources.map((resource) => {
    const synthesized = resource.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    const attributes = synthesized.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId];
    return { resource, attributes: attributes === undefined ? undefined : (resolve({ ...attributes, '//': undefined }) as Record<string, unknown>) };
  });
  // The literal names of the stack's roles, users, groups and buckets, by address, to read references by.
  const names = new Map<string, string>();
  for (const { resource, attributes } of configs) {
    const attribute = resource.terraformResourceType === 'aws_s3_bucket' ? 'bucket' : 'name';
    const value = attributes?.[attribute];
    if (typeof value === 'string' && !value.includes('${')) names.set(`${resource.terraformResourceType}.${resource.friendlyUniqueId}`, value);
  }
  const named = (value: string): string => {
    const address = NAME_REFERENCE.exec(value)?.[1];
    return (address !== undefined ? names.get(address) : undefined) ?? value;
  };
  const entries: IamNameEntry[] = [];
  for (const { resource, attributes } of configs) {
    const spec = TYPES[resource.terraformResourceType];
    if (spec === undefined || attributes === undefined) continue;
    if (attributes.count !== undefined || attributes.for_each !== undefined) continue;
    const raw = attributes[spec.name];
    if (typeof raw !== 'string') continue;
    let name = spec.kind === 'bucket policy' ? named(raw) : raw;
    // Organizations policies are compared within their type only: a collision reported is a certain one.
    if (spec.kind === 'organizations policy') name = `${typeof attributes.type === 'string' ? attributes.type : 'SERVICE_CONTROL_POLICY'}:${raw}`;
    if (spec.principal !== undefined) {
      const principal = attributes[spec.principal];
      if (typeof principal !== 'string') continue;
      // The principal as IAM names it (without case); the policy name exactly.
      name = `${spec.principal}:${named(principal).toLowerCase()}/${raw}`;
    }
    entries.push({
      kind: spec.kind,
      namespace: namespaceOf(resource, stack, providers, namespaces, resolve),
      name,
      literal: !name.includes('${'),
      path: resource.node.path,
      stack: stack.node.path,
      resourceType: resource.terraformResourceType,
    });
  }
  return entries;
}

/**
 * The account a resource is created in, as far as synth can tell, from its AWS provider (its own, or the
 * stack's provider without an alias): the one account of `allowed_account_ids`, or the account of the
 * role it assumes; otherwise the provider itself, in its stack (`provider:<stack>/<alias>`): two stacks'
 * providers that name no account may well be two accounts (a dev and a prod stack, each run with its own
 * credentials), so their names are compared within the stack only.
 */
function namespaceOf(
  resource: TerraformResource,
  stack: TerraformStack,
  providers: readonly TerraformProvider[],
  cache: Map<TerraformProvider | undefined, string>,
  resolve: (value: unknown) => unknown,
): string {
  const type = resource.terraformGeneratorMetadata?.providerName ?? 'aws';
  const provider = resource.provider ?? providers.find((p) => p.terraformResourceType === type && p.alias === undefined);
  let namespace = cache.get(provider);
  if (namespace === undefined) {
    namespace = providerNamespace(provider, stack, type, resolve);
    cache.set(provider, namespace);
  }
  return namespace;
}

function providerNamespace(provider: TerraformProvider | undefined, stack: TerraformStack, type: string, resolve: (value: unknown) => unknown): string {
  if (provider === undefined) return `provider:${stack.node.path}/default`;
  const config = (resolve(provider.toTerraform()) as { provider?: Record<string, Record<string, unknown>[]> }).provider?.[type]?.[0] ?? {};
  const allowed = config.allowed_account_ids;
  if (Array.isArray(allowed) && allowed.length === 1 && isAccountId(allowed[0])) return `account:${allowed[0]}`;
  const assumed = Array.isArray(config.assume_role) ? (config.assume_role[0] as { role_arn?: unknown } | undefined)?.role_arn : undefined;
  const account = roleArnAccount(assumed)?.account;
  if (account !== undefined) return `account:${account}`;
  return `provider:${stack.node.path}/${provider.alias ?? 'default'}`;
}
