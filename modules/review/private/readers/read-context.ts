/**
 * What the per-type readers (`resource-table.ts`) read a stack's resources into: facts (a role and its
 * trust policy, an inline policy and the principal it names, …) that `assemble.ts` then turns into
 * subjects, and the resources whose access is not modelled (`UnreviewedItem`), which the diff compares by
 * content. Also the helpers every reader shares: a literal argument, a policy argument, a reference to a
 * principal or a managed policy.
 */
import type { PolicyDocument } from '../../../core/policy-document';
import type { Finding } from '../../../core/policy-error';
import { ACCOUNT_ID, PARTITION, parseManagedPolicyArn } from '../../../core/iam-identifiers';
import { documentProblem } from '../policy-text';
import { literalText, referenceOf } from '../terraform-json';
import { canonicalJson, type Closure, closureOf, isObject, isTemplate, type JsonObject, nestedDeeperThan, type ReferableBlocks } from './terraform-config';

/** One resource of the stack, as its reader gets it. */
export interface Resource {
  readonly type: string;
  readonly name: string;
  /** `aws_iam_role.ci`. */
  readonly address: string;
  /** Its arguments, provisioners and `connection` left out (they are read on their own). */
  readonly body: JsonObject;
  /** The provider configuration it is created through: `aws`, `aws.<alias>`, or another provider's name. */
  readonly provider: string;
}

/** A policy argument, read: its document, or, built from a reference or a template, what it depends on. */
export type PolicyRead =
  | {
      readonly kind: 'document';
      readonly document: PolicyDocument;
      /** The text as written, for its size. */
      readonly text: string;
    }
  | {
      readonly kind: 'unknown';
      /** The argument's value as written, cut short: `${data.aws_iam_policy_document.x.json}`. */
      readonly written: string;
      readonly closure: Closure;
    };

/** How a resource names a role, user or group: a reference to one of the stack's, or a name (an ARN's name). */
export type PrincipalRef = { readonly address: string; readonly field: string } | { readonly name: string; readonly field: string };

/** How a resource names a managed policy: a reference to one of the stack's (`aws_iam_policy.x.arn`), or an ARN. */
export type PolicyRef = { readonly address: string; readonly field: string } | { readonly arn: string; readonly field: string };

/** Tags, read: literal ones, or built from references (their closure). */
export type TagsRead = { readonly kind: 'literal'; readonly tags: Readonly<Record<string, string>> } | { readonly kind: 'unknown'; readonly closure: Closure };

export type PrincipalKind = 'role' | 'user' | 'group';

export interface EntityFact {
  readonly resource: Resource;
  readonly name: string;
  readonly path?: string;
  readonly tags?: TagsRead;
}

export interface RoleFact extends EntityFact {
  readonly trust?: PolicyRead;
  readonly boundary?: PolicyRef;
}

export interface UserFact extends EntityFact {
  readonly boundary?: PolicyRef;
}

export interface ManagedPolicyFact extends EntityFact {
  readonly policy?: PolicyRead;
}

export interface InlinePolicyFact {
  readonly resource: Resource;
  readonly kind: PrincipalKind;
  readonly target: PrincipalRef;
  readonly name: string;
  readonly policy: PolicyRead;
}

export interface AttachmentFact {
  readonly resource: Resource;
  readonly kind: PrincipalKind;
  readonly target: PrincipalRef;
  readonly policy: PolicyRef;
}

export interface MembershipFact {
  readonly resource: Resource;
  readonly user: PrincipalRef;
  readonly group: PrincipalRef;
}

export interface InstanceProfileFact {
  readonly resource: Resource;
  readonly name: string;
  readonly role?: PrincipalRef;
}

export interface BucketPolicyFact {
  readonly resource: Resource;
  readonly bucket: string;
  readonly policy: PolicyRead;
}

export interface ScpFact {
  readonly resource: Resource;
  readonly name: string;
  readonly policy: PolicyRead;
}

export interface ScpAttachmentFact {
  readonly resource: Resource;
  readonly policyAddress: string;
  readonly target: string;
}

/**
 * A part of the stack whose access the review does not model: a resource of a type it does not read, a
 * module call, a provisioner, a data source outside the AWS provider. Compared by content: any change is
 * an unreviewed access change.
 */
export interface UnreviewedItem {
  /** What it is, as the report names it: `aws_lambda_permission.invoke`, `module.roles`. */
  readonly name: string;
  readonly provider: string;
  /** The Terraform addresses of the resources it is in. */
  readonly addresses: readonly string[];
  /** Why it is not modelled, and what it may grant. */
  readonly why: string;
  readonly closure: Closure;
  /** Taking it away can grant nothing (an `import` block, which only ever adopts): its removal does not widen. */
  readonly removalNarrows?: boolean;
}

/** A provider configuration of the stack. */
export interface ProviderInfo {
  /** `aws`, `aws.<alias>`. */
  readonly key: string;
  /** The account, when `allowed_account_ids` names one. */
  readonly account?: string;
  /**
   * The account its names live in as far as the stack can tell (as `core/name-collisions.ts` has it):
   * `account:<id>` from `allowed_account_ids` or the role it assumes, else `provider:<stack>/<alias>`.
   */
  readonly namespace: string;
  /** Its `default_tags`, merged into every resource's tags (resource tags win). */
  readonly defaultTags?: TagsRead;
}

export const EXTEND_FIX = 'extend modules/review/private/readers to read it, or write the value out literally';

/** Policies are a few levels deep (Statement, Condition, operator, key, values): anything deeper is no policy. */
const MAX_POLICY_DEPTH = 16;

/** The facts of one stack, and the findings met while reading them. */
export class ReadContext {
  readonly findings: Finding[] = [];
  readonly roles = new Map<string, RoleFact>();
  readonly users = new Map<string, UserFact>();
  readonly groups = new Map<string, EntityFact>();
  readonly policies = new Map<string, ManagedPolicyFact>();
  readonly inline: InlinePolicyFact[] = [];
  readonly attachments: AttachmentFact[] = [];
  readonly memberships: MembershipFact[] = [];
  readonly instanceProfiles: InstanceProfileFact[] = [];
  readonly bucketPolicies: BucketPolicyFact[] = [];
  readonly scps = new Map<string, ScpFact>();
  readonly scpAttachments: ScpAttachmentFact[] = [];
  readonly unreviewed: UnreviewedItem[] = [];
  constructor(
    readonly stack: string,
    readonly providers: ReadonlyMap<string, ProviderInfo>,
    readonly referable: ReferableBlocks,
    /** Every resource's body by address, whatever its type (a reference names one). */
    readonly bodies: ReadonlyMap<string, JsonObject>,
  ) {}

  report(field: string, value: unknown, problem: string, fix: string): void {
    this.findings.push({ field, value, problem, fix });
  }

  /** The provider of `resource`, or the default one of its kind. */
  provider(key: string): ProviderInfo {
    return this.providers.get(key) ?? { key, namespace: `provider:${this.stack}/${key.includes('.') ? key.slice(key.indexOf('.') + 1) : 'default'}` };
  }

  /** A resource whose access is not modelled: any change to it is reported as widening. */
  unreviewedResource(resource: Resource, why: string, extra: { name?: string; value?: unknown; removalNarrows?: boolean } = {}): void {
    this.unreviewed.push({
      name: extra.name ?? resource.address,
      provider: resource.provider,
      addresses: [resource.address],
      why,
      closure: closureOf(extra.value ?? resource.body, this.referable),
      ...(extra.removalNarrows === true && { removalNarrows: true }),
    });
  }

  /** A literal string argument; reports and returns undefined when absent (if required) or not a literal. */
  literal(resource: Resource, argument: string, required: boolean): string | undefined {
    const value = resource.body[argument];
    if (value === undefined || value === null) {
      if (required) this.report(`${resource.address}.${argument}`, value, 'is not set', `set ${argument} to a literal value`);
      return undefined;
    }
    const text = typeof value === 'string' ? literalText(value) : undefined;
    if (text === undefined) this.report(`${resource.address}.${argument}`, value, 'is not a literal: the value is known only at apply time', EXTEND_FIX);
    return text;
  }

  /**
   * The policy of `argument`. Literal JSON is parsed and checked to be a document the grants model reads
   * (else a finding); a value built from a reference or a template (`${data.aws_iam_policy_document.x.json}`,
   * `${jsonencode(…)}`) is a policy of unknown content, known by the closure of what it refers to.
   */
  policy(resource: Resource, argument: string): PolicyRead | undefined {
    const field = `${resource.address}.${argument}`;
    const value = resource.body[argument];
    if (typeof value !== 'string') {
      this.report(field, value, value === undefined ? 'is not set' : 'is not a string of policy JSON', 'write the policy as JSON text');
      return undefined;
    }
    const text = literalText(value);
    if (text === undefined) return { kind: 'unknown', written: value.length > 120 ? `${value.slice(0, 117)}...` : value, closure: closureOf(value, this.referable) };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      this.report(field, text.slice(0, 120), `is not JSON (${(e as Error).message})`, 'write the policy as JSON');
      return undefined;
    }
    if (nestedDeeperThan(parsed, MAX_POLICY_DEPTH)) {
      this.report(
        field,
        text.slice(0, 120),
        `nests values deeper than ${MAX_POLICY_DEPTH} levels, which no policy document does`,
        'write a policy document (Version, Statement with Effect, Action or NotAction, …)',
      );
      return undefined;
    }
    const problem = documentProblem(parsed);
    if (problem !== undefined) {
      this.report(field, text.slice(0, 120), `is not a policy document the review can read: ${problem}`, 'write a policy document (Version, Statement with Effect, Action or NotAction, …)');
      return undefined;
    }
    return { kind: 'document', document: asWrittenVersion(parsed as PolicyDocument), text };
  }

  /**
   * The role, user or group `value` names: a reference `${aws_iam_<kind>.<name>.name}` (or `.id`, which is
   * the name for these types) to a resource of the stack, or a literal name, or an IAM ARN of that kind
   * (its name is what IAM compares). Anything else is a finding.
   */
  principal(resource: Resource, field: string, value: unknown, kind: PrincipalKind): PrincipalRef | undefined {
    const type = `aws_iam_${kind}`;
    const ref = referenceOf(value);
    if (ref !== undefined) {
      if (ref.type === type && (ref.attribute === 'name' || ref.attribute === 'id')) return { address: `${ref.type}.${ref.name}`, field };
      this.report(`${resource.address}.${field}`, value, `is a reference the review cannot follow (it reads ${type}.<name>.name of this stack)`, EXTEND_FIX);
      return undefined;
    }
    const text = typeof value === 'string' ? literalText(value) : undefined;
    if (text === undefined || text === '') {
      this.report(`${resource.address}.${field}`, value, 'is neither a literal name nor a reference to this stack', EXTEND_FIX);
      return undefined;
    }
    const arn = new RegExp(`^arn:${PARTITION.js}:iam::${ACCOUNT_ID.js}:${kind}/(?:.*/)?([^/]+)$`).exec(text);
    return { name: arn === null ? text : arn[1], field };
  }

  /** The managed policy `argument` names: `${aws_iam_policy.<name>.arn}`, or a managed policy ARN. */
  policyRef(resource: Resource, argument: string): PolicyRef | undefined {
    const field = `${resource.address}.${argument}`;
    const value = resource.body[argument];
    const ref = referenceOf(value);
    if (ref !== undefined) {
      if (ref.type === 'aws_iam_policy' && ref.attribute === 'arn') return { address: `${ref.type}.${ref.name}`, field };
      this.report(field, value, 'is a reference the review cannot follow (it reads aws_iam_policy.<name>.arn of this stack)', EXTEND_FIX);
      return undefined;
    }
    const arn = this.literal(resource, argument, true);
    if (arn === undefined) return undefined;
    if (parseManagedPolicyArn(arn) === undefined) {
      this.report(field, arn, 'is not a managed policy ARN', 'write arn:<partition>:iam::<account or "aws">:policy/<path><name>');
      return undefined;
    }
    return { arn, field };
  }

  /**
   * A resource's `tags`, merged over its provider's `default_tags` ("Setting default tags at the provider
   * level will not supersede tags set on individual resources as resource tags take precedence", HashiCorp,
   * "Default Tags in the Terraform AWS Provider"): literal, or known by their closure.
   */
  tags(resource: Resource): TagsRead | undefined {
    const own = this.tagsValue(resource.body.tags, `${resource.address}.tags`);
    const defaults = this.provider(resource.provider).defaultTags;
    if (own === undefined) return defaults;
    if (defaults === undefined) return own;
    if (own.kind === 'literal' && defaults.kind === 'literal') return { kind: 'literal', tags: { ...defaults.tags, ...own.tags } };
    return { kind: 'unknown', closure: closureOf([resource.body.tags, defaults.kind === 'unknown' ? defaults.closure.digest : defaults.tags], this.referable) };
  }

  tagsValue(value: unknown, field: string): TagsRead | undefined {
    if (value === undefined || value === null) return undefined;
    if (isObject(value) && Object.values(value).every((v) => typeof v === 'string' && !isTemplate(v))) {
      const tags: Record<string, string> = {};
      for (const key of Object.keys(value).sort()) if (key !== '//') tags[literalText(key) ?? key] = literalText(value[key] as string)!;
      return { kind: 'literal', tags };
    }
    if (typeof value === 'string' || isObject(value)) return { kind: 'unknown', closure: closureOf(value, this.referable) };
    this.report(field, value, 'is not a map of tags', 'write tags as a JSON object of strings');
    return undefined;
  }
}

/**
 * A policy as IAM reads it. With `"Version": "2012-10-17"` it is as written. Without, or with the older
 * `2008-10-17`, IAM reads `${aws:username}` and every other `${…}` as literal text, not as a policy
 * variable ("If you do not include a Version element, the value defaults to 2008-10-17 … variables such as
 * ${aws:username} aren't recognized as variables and are instead treated as literal strings", IAM User
 * Guide, "IAM JSON policy elements: Version"). The grants model reads every `${…}` as a variable, so such
 * text is rewritten here as the 2012-10-17 language writes a literal `$`: `${$}` ("IAM policy elements:
 * Variables and tags", special characters), which the model compares as a token of its own.
 */
function asWrittenVersion(document: PolicyDocument): PolicyDocument {
  if (document.Version === '2012-10-17') return document;
  const text = canonicalJson(document.Statement);
  if (!text.includes('${')) return document;
  const literal = (value: unknown): unknown => (typeof value === 'string' ? value.replace(/\$\{/g, '${$}{') : Array.isArray(value) ? value.map(literal) : value);
  const statements = (Array.isArray(document.Statement) ? document.Statement : [document.Statement]) as unknown as JsonObject[];
  const rewritten = statements.map((s) => {
    const out: JsonObject = { ...s };
    for (const field of ['Resource', 'NotResource']) if (s[field] !== undefined) out[field] = literal(s[field]);
    if (isObject(s.Condition)) {
      out.Condition = Object.fromEntries(
        Object.entries(s.Condition).map(([operator, keys]) => [operator, isObject(keys) ? Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, literal(v)])) : keys]),
      );
    }
    return out;
  });
  return { ...document, Statement: rewritten } as unknown as PolicyDocument;
}
