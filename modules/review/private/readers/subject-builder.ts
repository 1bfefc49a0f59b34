/** One subject's parts, collected while a stack's facts are linked, then built into a `Subject`. */
import { POLICY_SIZE_LIMITS, type PolicyKind, textSize } from '../../../core/policy-kind';
import type { AppliedPolicy, SizeCheck, Subject, SubjectKind, UnmodelledPart } from '../../stack-iam';
import type { Closure } from './terraform-config';
import { cmp } from '../../../core/order';

export class SubjectBuilder {
  readonly addresses = new Set<string>();
  readonly policies: AppliedPolicy[] = [];
  readonly inlineTexts: string[] = [];
  /** The builder keys of a user's groups (in this stack). */
  readonly groupKeys = new Set<string>();
  readonly memberNames = new Set<string>();
  readonly profileNames = new Set<string>();
  readonly targetIds = new Set<string>();
  readonly sizes: SizeCheck[] = [];
  readonly parts = new Map<string, UnmodelledPart>();
  trustPolicy?: AppliedPolicy;
  boundary?: AppliedPolicy;
  path?: string;
  tags?: Readonly<Record<string, string>>;

  constructor(
    readonly key: string,
    readonly id: string,
    readonly kind: SubjectKind,
    readonly name: string,
    readonly provider: string,
    readonly account: string | undefined,
    /** Where its name lives (`account:<id>`, `provider:<stack>/<alias>`), to find it in another stack. */
    readonly namespace: string,
  ) {}

  /** Whether this stack creates it (a principal only named here lives elsewhere). */
  get created(): boolean {
    return this.addresses.size > 0;
  }

  size(what: string, kind: PolicyKind, text: string): void {
    this.sizes.push(sizeCheck(what, kind, text));
  }

  /** Something bearing on its access that the review does not model: compared by content in the diff. */
  part(key: string, why: string, closure: Pick<Closure, 'digest' | 'outside'>, removalNarrows = false): void {
    this.parts.set(key, { key, why, digest: closure.digest, ...(closure.outside.length > 0 && { outside: closure.outside }), ...(removalNarrows && { removalNarrows: true }) });
  }

  build(groupNames: ReadonlyMap<string, string>, managedSizes: ReadonlyMap<string, SizeCheck>): Subject {
    const sizes = [...this.sizes];
    // Each managed policy of this stack that applies here (directly, through a group, as the boundary), once.
    for (const p of [...this.policies, ...(this.boundary === undefined ? [] : [this.boundary])]) {
      const check = p.address === undefined ? undefined : managedSizes.get(p.address);
      if (check !== undefined && !sizes.includes(check)) sizes.push(check);
    }
    if (this.inlineTexts.length > 0 && (this.kind === 'role' || this.kind === 'user' || this.kind === 'group')) {
      const kind: PolicyKind = this.kind === 'role' ? 'role-inline' : this.kind === 'user' ? 'user-inline' : 'group-inline';
      const { limit, unit } = POLICY_SIZE_LIMITS[kind];
      const size = this.inlineTexts.reduce((sum, text) => sum + measured(text, unit), 0);
      sizes.push({ what: `inline policies of ${this.kind} ${this.name}, summed`, size, limit, unit });
    }
    const parts = [...this.parts.values()].sort((a, b) => cmp(a.key, b.key));
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      ...(this.path !== undefined && { path: this.path }),
      provider: this.provider,
      ...(this.account !== undefined && { account: this.account }),
      addresses: [...this.addresses].sort(),
      policies: [...this.policies].sort((a, b) => cmp(a.label, b.label) || cmp(a.address ?? '', b.address ?? '')),
      ...(this.trustPolicy !== undefined && { trustPolicy: this.trustPolicy }),
      ...(this.boundary !== undefined && { boundary: this.boundary }),
      groups: [...new Set([...this.groupKeys].map((k) => groupNames.get(k)!))].sort(),
      members: [...this.memberNames].sort(),
      instanceProfiles: [...this.profileNames].sort(),
      targets: [...this.targetIds].sort(),
      sizes: sizes.sort((a, b) => cmp(a.what, b.what)),
      ...(this.tags !== undefined && { tags: this.tags }),
      ...(parts.length > 0 && { unmodelled: parts }),
    };
  }
}

export function sizeCheck(what: string, kind: PolicyKind, text: string): SizeCheck {
  const { limit, unit } = POLICY_SIZE_LIMITS[kind];
  return { what, size: measured(text, unit), limit, unit };
}

/**
 * IAM counts a policy's characters without white space; the policy is saved minified, so its size is
 * that of its minified JSON (`characters`). Organizations counts what was sent, S3 the bytes.
 */
function measured(text: string, unit: 'characters' | 'characters-as-saved' | 'bytes'): number {
  if (unit === 'characters') return textSize(JSON.stringify(JSON.parse(text)), unit);
  return textSize(text, unit);
}
