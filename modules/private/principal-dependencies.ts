import { DefaultTokenResolver, dependable, StringConcat, TerraformProvider, TerraformResource, TerraformStack, Token, Tokenization } from 'cdktf';
import { ACCOUNT_ID, IAM_NAME_CHARACTER, IAM_PATH_CHARACTER, isAccountId, PARTITION, roleArnAccount } from '../core/iam-identifiers';

/*
 * A resource-based policy (a bucket policy, a role's trust policy) that names, by its ARN written out, a role or a
 * user the same configuration creates must be written after it: S3's PutBucketPolicy refuses a principal that does
 * not exist yet (`MalformedPolicy: Invalid principal in policy`), IAM's CreateRole and UpdateAssumeRolePolicy refuse
 * such a trust policy (`MalformedPolicyDocument: Invalid principal in policy`). A literal ARN is no reference, so
 * Terraform sees no dependency and may well create the policy first. `dependOnNamedPrincipals` adds the dependency.
 *
 * When: at synth, as the resource is written out (`toTerraform`, `toHclTerraform`), not when the construct is
 * built: the role a policy names may be created after it, and the provider that tells its account may be set by
 * an aspect (the stacks' `AccountScope`), and cdktf runs every aspect before it writes a resource, in `app.synth()`
 * and in `Testing.synth`, in cdktf 0.21 as in cdktn 0.24. An aspect of our own (cdktf's other synth-time hook)
 * would run in tree order: before the aspect that sets the provider of a role coming later in the tree.
 *
 * How: the resource's `terraformMetaArguments`, from which `TerraformResource` writes `depends_on` (with `count`,
 * `provider`, `lifecycle`, …) in `toTerraform` and `toHclTerraform`, gets the dependencies found then, after those
 * it was given, written as cdktf writes a `dependsOn` it is given (`dependable`). Its `dependsOn` stays a plain
 * list the caller may still change (a `Lazy` list put there would be a token nothing can be appended to); nothing
 * changes for a policy that names no such principal (no getter is installed on a resource whose document names no
 * role or user by ARN, and none is written when the stack creates none of those it names).
 */

/**
 * A role's or a user's ARN: `arn:<partition>:iam::<account>:role/<path><name>` (or `user/`), the path `/` or
 * `/<segments>/` (IAM user guide, "IAM identifiers", "IAM ARNs"; names of letters, digits and `+=,.@_-`).
 */
const PRINCIPAL_ARN = new RegExp(`^arn:(${PARTITION.js}):iam::(${ACCOUNT_ID.js}):(role|user)(\\/(?:${IAM_PATH_CHARACTER.js}*\\/)?)(${IAM_NAME_CHARACTER.js}+)$`);

/** The resource types that create a principal a policy can name by ARN, by the ARN's resource type. */
const PRINCIPAL_TYPES = { role: 'aws_iam_role', user: 'aws_iam_user' } as const;

/** A role or user named in a policy by ARN. */
export interface NamedPrincipal {
  readonly partition: string;
  readonly account: string;
  readonly kind: keyof typeof PRINCIPAL_TYPES;
  readonly path: string;
  readonly name: string;
}

/**
 * The roles and users a policy document (its JSON text) names by ARN, in its `Principal` and `NotPrincipal`
 * (`AWS`), in order, each once. A reference (a token) is left out: Terraform follows it, so it carries its
 * dependency already. Text that is not JSON (a reference to a whole document) names none.
 */
export function namedPrincipals(policyJson: string): NamedPrincipal[] {
  let document: unknown;
  try {
    document = JSON.parse(policyJson);
  } catch {
    return [];
  }
  const statements = (document as { Statement?: unknown } | null)?.Statement;
  const list: unknown[] = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
  const seen = new Set<string>();
  const out: NamedPrincipal[] = [];
  for (const statement of list) {
    for (const key of ['Principal', 'NotPrincipal']) {
      const principal = (statement as Record<string, unknown> | null)?.[key];
      if (principal === null || typeof principal !== 'object') continue; // "*", or nothing
      const aws = (principal as Record<string, unknown>).AWS;
      for (const value of Array.isArray(aws) ? aws : [aws]) {
        if (typeof value !== 'string' || Token.isUnresolved(value) || seen.has(value)) continue;
        const match = PRINCIPAL_ARN.exec(value);
        if (match === null) continue;
        seen.add(value);
        out.push({ partition: match[1], account: match[2], kind: match[3] as NamedPrincipal['kind'], path: match[4], name: match[5] });
      }
    }
  }
  return out;
}

/**
 * Makes `resource`, which writes `policyJson` (a bucket policy, a trust policy), depend on the roles and users of
 * its stack that the policy names by ARN: at synth, each `aws_iam_role` and `aws_iam_user` of the same stack
 * whose written-out name and path give a named ARN, in an account and partition its provider allows (any, when
 * the provider pins none), is added to its `depends_on`, after what it was given, once, in address order; the
 * resource itself never (a trust policy naming its own role). Returns `resource`.
 */
export function dependOnNamedPrincipals<R extends TerraformResource>(resource: R, policyJson: string): R {
  const named = namedPrincipals(policyJson);
  if (named.length === 0) return resource;
  const written = metaArgumentsGetter(resource);
  if (written === undefined) return resource; // not cdktf's TerraformResource as we know it: left as it is
  Object.defineProperty(resource, 'terraformMetaArguments', {
    configurable: true,
    enumerable: false,
    get(this: R): { [name: string]: unknown } {
      const meta = written.call(this) as { dependsOn?: string[]; [name: string]: unknown };
      const found = principalResources(this, named);
      if (found.length === 0) return meta;
      const stack = TerraformStack.of(this);
      const given = meta.dependsOn ?? [];
      if (Token.isUnresolved(given)) return meta; // one list token (a `Lazy.listValue`): nothing can be added to it
      const have = new Set(given.map((d) => resolveString(d, stack)));
      const added = found.filter((r) => !have.has(address(r))).map((r) => dependable(r));
      return added.length === 0 ? meta : { ...meta, dependsOn: [...given, ...added] };
    },
  });
  return resource;
}

/** `TerraformResource`'s own `terraformMetaArguments` getter, as the resource inherits it. */
function metaArgumentsGetter(resource: TerraformResource): (() => unknown) | undefined {
  for (let proto: object | null = Object.getPrototypeOf(resource); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'terraformMetaArguments');
    if (descriptor !== undefined) return descriptor.get;
  }
  return undefined;
}

/** What a principal-creating resource of the stack creates: its ARN's parts, as far as synth knows them. */
interface StackPrincipal {
  readonly resource: TerraformResource;
  readonly kind: NamedPrincipal['kind'];
  readonly path: string;
  readonly name: string;
  /** The account its provider is pinned to, or assumes a role in; undefined: not known, any. */
  readonly account: string | undefined;
  /** The partition of the role its provider assumes; undefined: not known, any. */
  readonly partition: string | undefined;
}

/** The resources of `policy`'s stack that create a principal of `named`, other than `policy` itself, by address. */
function principalResources(policy: TerraformResource, named: readonly NamedPrincipal[]): TerraformResource[] {
  const stack = TerraformStack.of(policy);
  const found = new Map<string, TerraformResource>();
  for (const principal of stackPrincipals(stack)) {
    if (principal.resource === policy) continue; // a trust policy naming its own role: valid only once it exists
    if (named.some((n) => names(n, principal))) found.set(address(principal.resource), principal.resource);
  }
  return [...found.keys()].sort().map((key) => found.get(key)!);
}

/**
 * Whether the ARN `n` names the principal `p` creates. Role and user names are compared without case: "IAM user,
 * group, role, and policy names must be unique within the account. Names are not distinguished by case. For
 * example, you cannot create resources named both "MyResource" and "myresource"." (IAM API reference, CreateRole,
 * RoleName; CreateUser, UserName). An ARN that differs from the principal's only in the name's case can name no
 * other role or user of the account, and a dependency too many costs an ordering, one too few a failed apply.
 * Paths are compared exactly, accounts and partitions where the principal's provider tells them.
 */
function names(n: NamedPrincipal, p: StackPrincipal): boolean {
  return (
    n.kind === p.kind &&
    n.path === p.path &&
    n.name.toLowerCase() === p.name.toLowerCase() &&
    (p.account === undefined || p.account === n.account) &&
    (p.partition === undefined || p.partition === n.partition)
  );
}

/**
 * The stack's roles and users whose name (and path, `/` when not given) are written out, as given to the
 * provider's resource class (`nameInput`, `pathInput`; an `addOverride` of them is not seen). Read from the
 * inputs, not from the resource's `toTerraform()`: that would write the meta-arguments of every role of the stack
 * for every policy, and, for a role whose own trust policy names roles, come back here. Skipped: a name left to
 * Terraform (`name_prefix`) or given by reference, and resources with `count` or `for_each` (several names).
 */
function stackPrincipals(stack: TerraformStack): StackPrincipal[] {
  const all = stack.node.findAll();
  const providers = all.filter((c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c));
  const scopes = new Map<TerraformProvider | undefined, { account: string | undefined; partition: string | undefined }>();
  const out: StackPrincipal[] = [];
  for (const c of all) {
    if (!TerraformResource.isTerraformResource(c)) continue;
    const kind = c.terraformResourceType === PRINCIPAL_TYPES.role ? 'role' : c.terraformResourceType === PRINCIPAL_TYPES.user ? 'user' : undefined;
    if (kind === undefined || c.count !== undefined || c.forEach !== undefined) continue;
    const { nameInput: name, pathInput } = c as { nameInput?: unknown; pathInput?: unknown };
    const path = pathInput ?? '/';
    if (!literal(name) || !literal(path)) continue;
    const provider = c.provider ?? providers.find((p) => p.terraformResourceType === 'aws' && p.alias === undefined);
    let scope = scopes.get(provider);
    if (scope === undefined) {
      scope = providerScope(provider, stack);
      scopes.set(provider, scope);
    }
    out.push({ resource: c, kind, path, name, ...scope });
  }
  return out;
}

/**
 * The account and partition an AWS provider configuration creates resources in, as far as it says: the one
 * account of `allowed_account_ids`, or the account of the role it assumes; the partition of that role.
 */
function providerScope(provider: TerraformProvider | undefined, stack: TerraformStack): { account: string | undefined; partition: string | undefined } {
  if (provider === undefined) return { account: undefined, partition: undefined };
  const written = resolve(provider.toTerraform(), stack) as { provider?: Record<string, Record<string, unknown>[]> };
  const config = written.provider?.aws?.[0] ?? {};
  const allowed = config.allowed_account_ids;
  const pinned = Array.isArray(allowed) && allowed.length === 1 && isAccountId(allowed[0]) ? allowed[0] : undefined;
  const assumed = Array.isArray(config.assume_role) ? (config.assume_role[0] as { role_arn?: unknown } | undefined)?.role_arn : undefined;
  const role = roleArnAccount(assumed);
  return { account: pinned ?? role?.account, partition: role?.partition };
}

function literal(value: unknown): value is string {
  return typeof value === 'string' && !Token.isUnresolved(value);
}

/** The resource's Terraform address, `<type>.<logical id>`, as `depends_on` names it. */
function address(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

function resolve(value: unknown, stack: TerraformStack): unknown {
  return Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) });
}

function resolveString(value: string, stack: TerraformStack): string {
  const resolved = resolve(value, stack);
  return typeof resolved === 'string' ? resolved : String(value);
}
