/**
 * A stack's facts linked into subjects: each role, user and group with every policy that applies to it,
 * each bucket policy and SCP, each managed policy attached to nothing here, and each unreviewed item.
 * Then, across the stacks of one app: a user's groups created in another stack of the same account, and a
 * role or user that several stacks of one account write to (one creates it, another attaches to it).
 *
 * IAM compares role, user and group names without case ("Names are not distinguished by case", IAM API
 * reference, CreateRole, CreateUser, CreateGroup): `Deployers` named by a membership is the stack's group
 * `deployers`, and two spellings of a principal the stack does not create are one subject.
 */
import { AWS_MANAGED_POLICIES_AS_OF, awsManagedPolicyDocument } from '../../../core/aws-managed-policies';
import type { IamNameEntry } from '../../../core/name-collisions';
import { ADMISSION_COMMENT_KEY } from '../../../core/acknowledgements';
import { AWS_MANAGED_POLICY_OWNER, isAccountId, parseManagedPolicyArn } from '../../../core/iam-identifiers';
import type { AppliedPolicy, InstanceProfileEntry, RecordedAcknowledgement, RecordedAdmission, SizeCheck, StackIam, Subject, SubjectKind } from '../../stack-iam';
import type { EntityFact, PolicyRead, PolicyRef, PrincipalKind, PrincipalRef, ReadContext, Resource } from './read-context';
import { cmp } from '../../../core/order';
import { compareSubjectKinds } from '../order';
import { sizeCheck, SubjectBuilder } from './subject-builder';

/** A stack's subjects before they are built: linked across stacks, then built. */
export interface AssembledStack {
  readonly stack: string;
  readonly builders: Map<string, SubjectBuilder>;
  readonly profiles: readonly InstanceProfileEntry[];
  /** The names its resources write, for the overwrite check (`core/name-collisions.ts`). */
  readonly names: readonly IamNameEntry[];
  readonly managedSizes: ReadonlyMap<string, SizeCheck>;
}

/** Links one stack's facts into subject builders; findings go to the context. */
export function assemble(ctx: ReadContext): AssembledStack {
  return new Assembly(ctx).run();
}

/**
 * What a user inherits from its groups: each group's own policies and unmodelled parts, those written in
 * this stack and, for a group of the same account, in every other stack of the app. A group no stack of
 * the app creates has policies the review cannot see: the user gets a part of unknown content for it, so
 * that joining (or leaving) the group is reported as widening.
 */
export function linkStacks(stacks: readonly AssembledStack[]): void {
  linkPrincipals(stacks);
  // Group builders of every stack by namespace and name, for groups of a known account.
  const groups = new Map<string, { stack: string; builder: SubjectBuilder }[]>();
  for (const s of stacks) {
    for (const b of s.builders.values()) {
      if (b.kind !== 'group' || !b.namespace.startsWith('account:')) continue;
      const key = `${b.namespace} ${b.name.toLowerCase()}`;
      groups.set(key, [...(groups.get(key) ?? []), { stack: s.stack, builder: b }]);
    }
  }
  for (const s of stacks) {
    for (const user of s.builders.values()) {
      for (const key of [...user.groupKeys].sort()) {
        const group = s.builders.get(key)!;
        inherit(user, group, `group ${group.name}`);
        const elsewhere = group.namespace.startsWith('account:') ? (groups.get(`${group.namespace} ${group.name.toLowerCase()}`) ?? []).filter((g) => g.stack !== s.stack) : [];
        for (const other of elsewhere) inherit(user, other.builder, `group ${group.name} of stack ${other.stack}`);
        if (!group.created && !elsewhere.some((g) => g.builder.created)) {
          user.part(`group ${group.name}`, `group ${group.name} is not created in ${stacks.length > 1 ? "this app's stacks" : 'this stack'}: its policies are unknown to the review`, {
            digest: 'unknown',
            outside: [],
          });
        }
      }
    }
  }
}

/**
 * A role or user of a known account that more than one stack of the app writes to is one principal: each
 * stack's subject for it gets what the others give it (their policies, labelled with the stack), and a stack
 * that only names it gets the creating stack's trust policy, boundary, path and tags, so that the report
 * shows the principal whole and a change in either stack shows in both. Two stacks whose providers name no
 * account may deploy to two accounts: they are not linked (the principal the stack only names stays of
 * unknown content, and every change to it widens).
 */
function linkPrincipals(stacks: readonly AssembledStack[]): void {
  const byName = new Map<string, { stack: string; builder: SubjectBuilder; own: readonly AppliedPolicy[] }[]>();
  for (const s of stacks) {
    for (const b of s.builders.values()) {
      if ((b.kind !== 'role' && b.kind !== 'user') || !b.namespace.startsWith('account:')) continue;
      const key = `${b.namespace} ${b.kind} ${b.name.toLowerCase()}`;
      byName.set(key, [...(byName.get(key) ?? []), { stack: s.stack, builder: b, own: [...b.policies] }]);
    }
  }
  for (const same of byName.values()) {
    if (same.length < 2) continue;
    for (const { stack, builder } of same) {
      for (const other of same) {
        if (other.stack === stack) continue;
        const via = `${other.builder.kind} ${other.builder.name} of stack ${other.stack}`;
        for (const p of other.own) builder.policies.push({ ...p, via, label: `${p.label} (via ${via})` });
        if (builder.created || !other.builder.created) continue;
        builder.trustPolicy ??= other.builder.trustPolicy;
        builder.boundary ??= other.builder.boundary;
        builder.path ??= other.builder.path;
        builder.tags ??= other.builder.tags;
      }
    }
  }
}

function inherit(user: SubjectBuilder, group: SubjectBuilder, via: string): void {
  for (const p of group.policies) user.policies.push({ ...p, via, label: `${p.label} (via ${via})` });
  for (const part of group.parts.values()) user.parts.set(`${via}: ${part.key}`, { ...part, key: `${via}: ${part.key}` });
}

/** The stack's subjects, sorted by kind, provider, name. */
export function buildStack(s: AssembledStack): StackIam {
  const groupNames = new Map([...s.builders].filter(([, b]) => b.kind === 'group').map(([k, b]) => [k, b.name]));
  const subjects = [...s.builders.values()].map((b) => b.build(groupNames, s.managedSizes)).sort(compareSubjects);
  return { stack: s.stack, subjects, ...(s.profiles.length > 0 && { instanceProfiles: s.profiles }) };
}

function compareSubjects(a: Subject, b: Subject): number {
  return compareSubjectKinds(a.kind, b.kind) || cmp(a.provider, b.provider) || cmp(a.name, b.name);
}

/** A principal a resource names, resolved: its builder key, name as the subject has it, and its fact when the stack creates it. */
interface Resolved {
  readonly key: string;
  readonly name: string;
  readonly provider: string;
  readonly entity?: EntityFact;
}

class Assembly {
  private readonly builders = new Map<string, SubjectBuilder>();
  private readonly names: IamNameEntry[] = [];
  private readonly attachedPolicies = new Set<string>();
  private readonly entities: { readonly [K in PrincipalKind]: ReadonlyMap<string, EntityFact> };
  /** The stack's principals by kind, provider and name without case: a name resolves in one look-up. */
  private readonly byName = new Map<string, EntityFact>();

  constructor(private readonly ctx: ReadContext) {
    this.entities = { role: ctx.roles, user: ctx.users, group: ctx.groups };
    for (const kind of ['role', 'user', 'group'] as const) {
      for (const e of this.entities[kind].values()) {
        const key = principalKey(kind, e.resource.provider, e.name);
        if (!this.byName.has(key)) this.byName.set(key, e);
      }
    }
  }

  run(): AssembledStack {
    this.principals();
    this.policiesOfPrincipals();
    this.membershipsAndProfiles();
    const profiles = this.profiles();
    this.resourcePolicies();
    const managedSizes = this.managedPolicies();
    this.unreviewed();
    return { stack: this.ctx.stack, builders: this.builders, profiles, names: this.names, managedSizes };
  }

  private builder(kind: SubjectKind, provider: string, name: string, key = `${kind} ${provider} ${name}`): SubjectBuilder {
    let b = this.builders.get(key);
    if (b === undefined) {
      const info = this.ctx.provider(provider);
      b = new SubjectBuilder(key, `${kind} ${provider} ${name}`, kind, name, provider, info.account, info.namespace);
      this.builders.set(key, b);
    }
    return b;
  }

  private principalBuilder(kind: PrincipalKind, resolved: Resolved): SubjectBuilder {
    const b = this.builder(kind, resolved.provider, resolved.name, resolved.key);
    if (resolved.entity !== undefined) this.define(b, resolved.entity);
    return b;
  }

  private define(b: SubjectBuilder, entity: EntityFact): void {
    if (b.addresses.has(entity.resource.address)) return;
    b.addresses.add(entity.resource.address);
    if (entity.path !== undefined) b.path = entity.path;
    if (entity.tags?.kind === 'literal') b.tags = entity.tags.tags;
    if (entity.tags?.kind === 'unknown') b.part('tags', 'its tags are built from references: conditions on aws:PrincipalTag or aws:ResourceTag may match them', entity.tags.closure);
  }

  private nameEntry(kind: IamNameEntry['kind'], resource: Resource, name: string): void {
    this.names.push({ kind, namespace: this.ctx.provider(resource.provider).namespace, name, literal: true, path: resource.address, stack: this.ctx.stack, resourceType: resource.type });
  }

  /** The principal `ref` names, or undefined (with a finding) for a reference to nothing of the stack. */
  private resolve(kind: PrincipalKind, ref: PrincipalRef, resource: Resource): Resolved | undefined {
    const entities = this.entities[kind];
    if ('address' in ref) {
      const entity = entities.get(ref.address);
      if (entity === undefined) {
        this.ctx.report(
          `${resource.address}.${ref.field}`,
          `\${${ref.address}}`,
          `is a reference the review cannot follow (no aws_iam_${kind} of this stack is ${ref.address})`,
          'refer to a resource of the stack',
        );
        return undefined;
      }
      return { key: principalKey(kind, entity.resource.provider, entity.name), name: entity.name, provider: entity.resource.provider, entity };
    }
    const key = principalKey(kind, resource.provider, ref.name);
    const entity = this.byName.get(key);
    return { key, name: entity?.name ?? ref.name, provider: resource.provider, ...(entity !== undefined && { entity }) };
  }

  private principals(): void {
    const define = (kind: PrincipalKind, e: EntityFact) => {
      this.nameEntry(kind, e.resource, e.name);
      return this.principalBuilder(kind, { key: principalKey(kind, e.resource.provider, e.name), name: e.name, provider: e.resource.provider, entity: e });
    };
    for (const role of this.ctx.roles.values()) {
      const b = define('role', role);
      if (role.trust !== undefined) {
        b.trustPolicy = this.applied(b, role.trust, `trust policy of ${role.name}`, role.resource.address, 'inline', recordedAdmission(role.resource));
        if (role.trust.kind === 'document') b.size(`trust policy of role ${role.name}`, 'trust', role.trust.text);
      }
      if (role.boundary !== undefined) b.boundary = this.managed(role.boundary, role.resource, b, 'permissions boundary');
    }
    for (const user of this.ctx.users.values()) {
      const b = define('user', user);
      if (user.boundary !== undefined) b.boundary = this.managed(user.boundary, user.resource, b, 'permissions boundary');
    }
    for (const group of this.ctx.groups.values()) define('group', group);
    for (const p of this.ctx.policies.values()) this.nameEntry('managed policy', p.resource, p.name);
  }

  /**
   * The applied policy of a policy read: its document, or, for one built from references, a policy of
   * unknown content with a part that the diff compares by the digest of what it is built from.
   */
  private applied(b: SubjectBuilder, read: PolicyRead, label: string, address: string, attachment: 'inline' | 'managed', admission?: RecordedAdmission, partKey = label): AppliedPolicy {
    if (read.kind === 'document') return { attachment, label, address, document: read.document, ...(admission !== undefined && { admission }) };
    const from = read.closure.refersTo.length > 0 ? read.closure.refersTo.join(', ') : read.written;
    b.part(partKey, `built from ${from}, which the review does not evaluate: its content is known at plan time only`, read.closure);
    return { attachment: 'unknown', label: `${label} (built from ${from}: not read)`, address };
  }

  /** The policy a `policy_arn` (or boundary) names: one of this stack's, or one known only by ARN. */
  private managed(ref: PolicyRef, resource: Resource, b: SubjectBuilder, as?: string): AppliedPolicy | undefined {
    if ('address' in ref) {
      const entity = this.ctx.policies.get(ref.address);
      if (entity === undefined) {
        this.ctx.report(ref.field, `\${${ref.address}.arn}`, 'is a reference the review cannot follow (it reads aws_iam_policy.<name>.arn of this stack)', 'refer to a policy of the stack');
        return undefined;
      }
      this.attachedPolicies.add(entity.resource.address);
      if (entity.policy === undefined) return undefined;
      return this.applied(b, entity.policy, `managed ${entity.name}`, entity.resource.address, 'managed', undefined, as === undefined ? `managed ${entity.name}` : `${as}: managed ${entity.name}`);
    }
    // read-context.ts's policyRef keeps only managed policy ARNs.
    const { owner, path, name } = parseManagedPolicyArn(ref.arn)!;
    if (owner === AWS_MANAGED_POLICY_OWNER) {
      // Expanded from the library's copy of AWS's managed policies; one AWS does not offer (today) stays by ARN.
      const known = awsManagedPolicyDocument(ref.arn);
      if (known === undefined) return { attachment: 'aws-managed', label: `AWS managed ${ref.arn} (not one of AWS's managed policies as of ${AWS_MANAGED_POLICIES_AS_OF.updated})`, arn: ref.arn };
      return { attachment: 'aws-managed', label: `AWS managed ${ref.arn}`, arn: ref.arn, document: known.document, version: known.version };
    }
    // A customer policy of this stack, named by ARN: same account (the provider's), path and name.
    const entity = [...this.ctx.policies.values()].find(
      (p) => p.name === name && (p.path ?? '/') === path && this.ctx.provider(p.resource.provider).account === owner && p.resource.provider === resource.provider,
    );
    if (entity?.policy !== undefined) {
      this.attachedPolicies.add(entity.resource.address);
      return this.applied(b, entity.policy, `managed ${entity.name}`, entity.resource.address, 'managed', undefined, as === undefined ? `managed ${entity.name}` : `${as}: managed ${entity.name}`);
    }
    return { attachment: 'by-arn', label: `managed by ARN ${ref.arn}`, arn: ref.arn };
  }

  private policiesOfPrincipals(): void {
    for (const f of this.ctx.inline) {
      const target = this.resolve(f.kind, f.target, f.resource);
      if (target === undefined) continue;
      const b = this.principalBuilder(f.kind, target);
      b.policies.push(this.applied(b, f.policy, `inline ${f.name}`, f.resource.address, 'inline'));
      if (f.policy.kind === 'document') b.inlineTexts.push(f.policy.text);
      // A principal has one inline policy of a name: a second of that name replaces the first (PutRolePolicy,
      // "Adds or updates an inline policy"). Whether IAM tells inline policy names apart by case its
      // reference does not say: names that differ only in case are refused too, so that no replaced policy
      // is read as applying.
      this.names.push({
        kind: 'inline policy',
        namespace: this.ctx.provider(target.provider).namespace,
        name: `${f.kind}:${target.name.toLowerCase()}/${f.name.toLowerCase()}`,
        literal: true,
        path: f.resource.address,
        stack: this.ctx.stack,
        resourceType: f.resource.type,
      });
    }
    for (const f of this.ctx.attachments) {
      const target = this.resolve(f.kind, f.target, f.resource);
      if (target === undefined) continue;
      const b = this.principalBuilder(f.kind, target);
      const policy = this.managed(f.policy, f.resource, b);
      if (policy !== undefined) b.policies.push(policy);
    }
  }

  private membershipsAndProfiles(): void {
    for (const f of this.ctx.memberships) {
      const user = this.resolve('user', f.user, f.resource);
      const group = this.resolve('group', f.group, f.resource);
      if (user === undefined || group === undefined) continue;
      const u = this.principalBuilder('user', user);
      const g = this.principalBuilder('group', group);
      u.groupKeys.add(g.key);
      g.memberNames.add(u.name);
    }
  }

  private profiles(): InstanceProfileEntry[] {
    const out: InstanceProfileEntry[] = [];
    for (const f of this.ctx.instanceProfiles) {
      this.nameEntry('instance profile', f.resource, f.name);
      const role = f.role === undefined ? undefined : this.resolve('role', f.role, f.resource);
      if (role !== undefined) this.principalBuilder('role', role).profileNames.add(f.name);
      out.push({ name: f.name, provider: f.resource.provider, ...(role !== undefined && { role: role.name }) });
    }
    return out.sort((a, b) => cmp(a.provider, b.provider) || cmp(a.name, b.name));
  }

  /** Resource policies and SCPs: the policy is the subject. */
  private resourcePolicies(): void {
    for (const f of this.ctx.bucketPolicies) {
      const b = this.builder('bucket-policy', f.resource.provider, f.bucket);
      b.addresses.add(f.resource.address);
      b.policies.push(this.applied(b, f.policy, `bucket policy of ${f.bucket}`, f.resource.address, 'inline', recordedAdmission(f.resource)));
      if (f.policy.kind === 'document') b.size(`bucket policy of ${f.bucket}`, 's3-bucket', f.policy.text);
      this.nameEntry('bucket policy', f.resource, f.bucket);
    }
    const scps = new Map<string, SubjectBuilder>();
    for (const f of this.ctx.scps.values()) {
      const b = this.builder('service-control-policy', f.resource.provider, f.name);
      b.addresses.add(f.resource.address);
      b.policies.push(this.applied(b, f.policy, `SCP ${f.name}`, f.resource.address, 'inline'));
      if (f.policy.kind === 'document') b.size(`SCP ${f.name}`, 'service-control', f.policy.text);
      scps.set(f.resource.address, b);
      this.nameEntry('organizations policy', f.resource, `SERVICE_CONTROL_POLICY:${f.name}`);
    }
    for (const f of this.ctx.scpAttachments) {
      const scp = scps.get(f.policyAddress);
      if (scp === undefined) {
        // An attachment of an Organizations policy of another type (read as unreviewed), or of none here.
        this.ctx.unreviewedResource(f.resource, `attaches ${f.policyAddress}, which is no service control policy the review reads`);
        continue;
      }
      scp.targetIds.add(f.target);
    }
  }

  /** Managed policies attached to nothing in this stack: perhaps attached elsewhere, so reported alone. */
  private managedPolicies(): Map<string, SizeCheck> {
    const managedSizes = new Map<string, SizeCheck>();
    for (const [address, entity] of this.ctx.policies) {
      if (entity.policy?.kind === 'document') managedSizes.set(address, sizeCheck(`managed policy ${entity.name}`, 'managed', entity.policy.text));
      if (this.attachedPolicies.has(address) || entity.policy === undefined) continue;
      const b = this.builder('managed-policy', entity.resource.provider, entity.name);
      this.define(b, entity);
      b.policies.push(this.applied(b, entity.policy, `managed ${entity.name}`, address, 'inline'));
    }
    return managedSizes;
  }

  /** Each unreviewed item is a subject of its own, whose one part is the item's content. */
  private unreviewed(): void {
    for (const item of this.ctx.unreviewed) {
      const b = this.builder('unreviewed', item.provider, item.name);
      for (const address of item.addresses) b.addresses.add(address);
      b.policies.push({ attachment: 'unknown', label: `not read: ${item.why}`, address: item.addresses[0] });
      b.part(item.name, item.why, item.closure, item.removalNarrows === true);
    }
  }
}

/** The builder key of a principal: kind, provider and IAM name without case. */
function principalKey(kind: PrincipalKind, provider: string, name: string): string {
  return `${kind} ${provider} ${name.toLowerCase()}`;
}

/**
 * What a construct recorded in the resource's `"//"` comment about the policy's admission check. Entries
 * that are not `{ rule, field, reason? }` of strings, and an account that is not 12 digits, are left out: a
 * finding they would cover is then shown as not acknowledged, never the other way round.
 */
function recordedAdmission(resource: Resource): RecordedAdmission | undefined {
  const comment = resource.body['//'];
  const record = comment !== null && typeof comment === 'object' ? (comment as Record<string, unknown>)[ADMISSION_COMMENT_KEY] : undefined;
  if (record === null || typeof record !== 'object') return undefined;
  const { account, acknowledged } = record as Record<string, unknown>;
  const list: unknown[] = Array.isArray(acknowledged) ? acknowledged : [];
  const entries = list.flatMap((entry: unknown): RecordedAcknowledgement[] => {
    if (entry === null || typeof entry !== 'object') return [];
    const { rule, field, reason } = entry as Record<string, unknown>;
    if (typeof rule !== 'string' || typeof field !== 'string' || (reason !== undefined && typeof reason !== 'string')) return [];
    return [{ rule, field, ...(typeof reason === 'string' && { reason }) }];
  });
  return { ...(isAccountId(account) && { account }), acknowledged: entries };
}
