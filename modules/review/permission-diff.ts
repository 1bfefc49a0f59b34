/**
 * The permission diff: what changed in effective permissions between two versions of the stacks, subject
 * by subject, as grants added and removed, each marked as widening or not.
 *
 * A grant is *added* only when the old version's grants of the same subject and part (permissions, trust,
 * boundary) do not cover it (`GrantSet`): a reordered, reformatted or re-Sid'd policy, a statement moved
 * to another policy of the same subject, or a wildcard replaced by its expansion adds nothing.
 *
 * What widens, and how Denies, boundaries and SCPs are treated (conservatively: a change is called a
 * widening whenever it can widen, even where other policies would stop it):
 * - an added Allow (a new action, more resources, a new principal, a condition removed or relaxed);
 * - a removed or narrowed Deny, in any policy, SCP or boundary;
 * - a policy whose content is not in the stack attached (an AWS managed policy), or a boundary or SCP
 *   whose content is not in the stack replaced by another;
 * - a boundary removed, or one that allows more; an SCP removed or detached from a target, or one that
 *   allows more;
 * - a new subject with any Allow (a new role, a new bucket policy), except a new SCP, which only restricts.
 * Allows and Denies are compared separately and a Deny never cancels an Allow here, so an Allow added
 * under an unchanged Deny still counts: effective permissions are (Allows − Denies) ∩ boundary ∩ SCPs,
 * and they can only grow if an Allow grows, a Deny shrinks, a boundary grows or an SCP grows, each of
 * which is reported. One exception, as sound: an Allow added to a role or user whose boundary's content is
 * in the stack, where no Allow of that boundary has the action (one iam-data lists) on a resource that may
 * overlap (`GrantSet.excludes`), can never take effect: it is listed as added, `…, but outside the
 * boundary: not effective`, and does not widen. A boundary that changes is compared on its own.
 */
import { GrantSet, type UncoveredReason } from './grant-cover';
import { type Grant, GrantKeySet } from './grants';
import type { StackIam, Subject, SubjectKind } from './stack-iam';
import { subjectGrants, type SubjectGrants } from './subject-grants';
import { subjectChanges } from './private/subject-changes';
import { compareSubjectKinds } from './private/order';
import { cmp } from '../core/order';
import { type EscalationFinding, newEscalationPathLine, openedEscalationPaths } from './escalation/detector';
import { principalName } from './escalation/render';

/** Which part of IAM's evaluation a grant takes part in. */
export type GrantPart = 'permissions' | 'trust' | 'boundary';

/** One grant added or removed. */
export interface GrantChange {
  readonly part: GrantPart;
  readonly change: 'added' | 'removed';
  readonly grant: Grant;
  readonly widens: boolean;
  /** What kind of change it is, e.g. `new action`, `condition removed or relaxed`, `Deny removed`. */
  readonly why: string;
}

/** A change that is not one grant: a boundary, an unexpanded policy, an SCP's targets. */
export interface OtherChange {
  readonly description: string;
  readonly widens: boolean;
}

/** What changed for one subject. */
export interface SubjectDiff {
  readonly id: string;
  readonly kind: SubjectKind;
  readonly name: string;
  readonly provider: string;
  readonly account?: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly grants: readonly GrantChange[];
  readonly other: readonly OtherChange[];
  readonly widens: boolean;
  /** The privilege-escalation paths it completes now and did not before (`escalation/`): each widens. */
  readonly escalations?: readonly EscalationFinding[];
}

export interface StackDiff {
  readonly stack: string;
  readonly status: 'added' | 'removed' | 'changed';
  readonly subjects: readonly SubjectDiff[];
}

/** The whole diff. */
export interface PermissionDiff {
  /** Stacks with at least one change, sorted. */
  readonly stacks: readonly StackDiff[];
  /** Whether any change widens permissions. */
  readonly widens: boolean;
}

/** What changed from `before` to `after` (the same stacks at two versions). */
export function permissionDiff(before: readonly StackIam[], after: readonly StackIam[]): PermissionDiff {
  const names = [...new Set([...before, ...after].map((s) => s.stack))].sort();
  const stacks: StackDiff[] = [];
  // By name and id: a find() per subject would be quadratic in the subjects of a stack.
  const beforeByName = firstBy(before, (s) => s.stack);
  const afterByName = firstBy(after, (s) => s.stack);
  for (const name of names) {
    const old = beforeByName.get(name);
    const now = afterByName.get(name);
    const oldById = firstBy(old?.subjects ?? [], (s) => s.id);
    const nowById = firstBy(now?.subjects ?? [], (s) => s.id);
    const ids = [...new Set([...(old?.subjects ?? []), ...(now?.subjects ?? [])].map((s) => s.id))];
    const subjects = ids
      .map((id) => subjectDiff(oldById.get(id), nowById.get(id), old, now))
      .filter((d): d is SubjectDiff => d !== undefined)
      .sort((a, b) => order(a, b));
    if (subjects.length > 0) stacks.push({ stack: name, status: old === undefined ? 'added' : now === undefined ? 'removed' : 'changed', subjects });
  }
  return { stacks, widens: stacks.some((s) => s.subjects.some((d) => d.widens)) };
}

const NO_GRANTS: SubjectGrants = { permissions: [], trust: [], unexpanded: [] };

function subjectDiff(old: Subject | undefined, now: Subject | undefined, beforeStack?: StackIam, afterStack?: StackIam): SubjectDiff | undefined {
  const subject = (now ?? old)!;
  const status = old === undefined ? 'added' : now === undefined ? 'removed' : 'changed';
  const before = old === undefined ? NO_GRANTS : subjectGrants(old);
  const after = now === undefined ? NO_GRANTS : subjectGrants(now);
  const restrictsOnly = subject.kind === 'service-control-policy';
  const grants: GrantChange[] = [];
  const other: OtherChange[] = [];

  // A new SCP only ever takes away; a removed one only gives back. A removed role, user, group or
  // managed policy takes its Denies with it, which matters to nobody (its members are subjects too);
  // not a principal the stack only names (no address): it lives on elsewhere, without the Denies.
  const removedDenyWidens = status !== 'removed' || subject.kind === 'bucket-policy' || restrictsOnly || old!.addresses.length === 0;
  const addedAllowWidens = !(restrictsOnly && status === 'added');
  // A boundary whose content is in the stack: an added Allow it provably never allows is not effective.
  const bounded = now?.boundary?.document !== undefined && after.boundary !== undefined && after.boundary.arn === undefined ? new GrantSet(after.boundary.grants) : undefined;
  pushAll(grants, partChanges('permissions', subject.kind, before.permissions, after.permissions, addedAllowWidens, removedDenyWidens, bounded));
  pushAll(grants, partChanges('trust', subject.kind, before.trust, after.trust, true, removedDenyWidens));
  if (restrictsOnly && status === 'removed') other.push({ description: 'service control policy removed: it no longer restricts its targets', widens: true });
  if (restrictsOnly && status === 'added') other.push({ description: 'service control policy added: it only restricts', widens: false });

  if (status === 'added' && after.boundary !== undefined) other.push({ description: `bounded by ${after.boundary.policy}: only what it allows takes effect`, widens: false });
  if (status === 'changed') {
    other.push(...boundaryChanges(before, after, grants));
    for (const target of difference(old!.targets, now!.targets)) other.push({ description: `detached from ${target}: it no longer restricts it`, widens: true });
    for (const target of difference(now!.targets, old!.targets)) other.push({ description: `attached to ${target}`, widens: false });
    for (const group of difference(now!.groups, old!.groups)) other.push({ description: `now a member of group ${group} (its grants are listed above)`, widens: false });
    for (const group of difference(old!.groups, now!.groups)) other.push({ description: `no longer a member of group ${group}`, widens: false });
  }
  for (const arn of difference(after.unexpanded, before.unexpanded)) {
    other.push({ description: `policy ${arn} attached: its content is not in the stack, so not expanded (NOT_EXPANDED)`, widens: true });
  }
  for (const arn of difference(before.unexpanded, after.unexpanded)) other.push({ description: `policy ${arn} detached (not expanded)`, widens: false });
  // What the review does not model (compared by content), path, tags, Version, instance profiles (private/subject-changes.ts).
  for (const change of subjectChanges(old, now, beforeStack, afterStack)) other.push(change);

  // Privilege-escalation paths the change opens (escalation/): each its own line, and a widening.
  const escalations = openedEscalationPaths(old, now, before, after);
  for (const finding of escalations) other.push({ description: newEscalationPathLine(finding, principalName(subject)), widens: true });

  if (grants.length === 0 && other.length === 0 && status === 'changed') return undefined;
  return {
    id: subject.id,
    kind: subject.kind,
    name: subject.name,
    provider: subject.provider,
    ...(subject.account !== undefined && { account: subject.account }),
    status,
    grants,
    other,
    widens: grants.some((g) => g.widens) || other.some((o) => o.widens),
    ...(escalations.length > 0 && { escalations }),
  };
}

/** The grants of one part added and removed, each judged. */
function partChanges(part: GrantPart, kind: SubjectKind, before: readonly Grant[], after: readonly Grant[], addedAllowWidens: boolean, removedDenyWidens: boolean, boundary?: GrantSet): GrantChange[] {
  const old = new GrantSet(before);
  const now = new GrantSet(after);
  const changes: GrantChange[] = [];
  // The principals of the old grants, once: not every old grant again for each added one.
  let oldPrincipals: Set<string> | undefined;
  const newTrustPrincipal = (grant: Grant) => {
    oldPrincipals ??= new Set(before.filter((g) => g.principal !== undefined).map(principalJson));
    return !oldPrincipals.has(principalJson(grant));
  };
  for (const grant of after) {
    const reason = old.uncoveredReason(grant);
    if (reason === undefined) continue;
    if (grant.effect === 'Allow') {
      const why = part === 'trust' && newTrustPrincipal(grant) ? 'new trust principal' : addedAllowWhy(reason, part, kind);
      if (addedAllowWidens && boundary?.excludes(grant) === true) changes.push({ part, change: 'added', grant, widens: false, why: `${why}, but outside the boundary: not effective` });
      else changes.push({ part, change: 'added', grant, widens: addedAllowWidens, why });
    } else changes.push({ part, change: 'added', grant, widens: false, why: 'Deny added or widened' });
  }
  for (const grant of before) {
    const reason = now.uncoveredReason(grant);
    if (reason === undefined) continue;
    if (grant.effect === 'Deny') changes.push({ part, change: 'removed', grant, widens: removedDenyWidens, why: removedDenyWhy(reason) });
    else changes.push({ part, change: 'removed', grant, widens: false, why: removedAllowWhy(reason) });
  }
  return dedupe(changes);
}

const principalJsons = new WeakMap<object, string>();

/** A grant's principal as JSON, kept per principal (the grants of one statement share theirs). */
function principalJson(grant: Grant): string {
  if (grant.principal === undefined) return JSON.stringify(undefined) ?? '';
  let text = principalJsons.get(grant.principal);
  if (text === undefined) {
    text = JSON.stringify(grant.principal);
    principalJsons.set(grant.principal, text);
  }
  return text;
}

function addedAllowWhy(reason: UncoveredReason, part: GrantPart, kind: SubjectKind): string {
  if (reason === 'new-action') return 'new action';
  if (reason === 'wider-resource') return 'more resources';
  if (reason === 'new-principal') return part === 'trust' ? 'new trust principal' : kind === 'bucket-policy' ? 'new principal in the bucket policy' : 'new principal';
  return 'condition removed or relaxed';
}

function removedAllowWhy(reason: UncoveredReason): string {
  if (reason === 'new-action') return 'action no longer allowed';
  if (reason === 'wider-resource') return 'fewer resources';
  if (reason === 'new-principal') return 'principal removed';
  return 'condition added or tightened';
}

function removedDenyWhy(reason: UncoveredReason): string {
  if (reason === 'new-action') return 'Deny removed';
  if (reason === 'wider-resource') return 'Deny narrowed to fewer resources';
  if (reason === 'new-principal') return 'Deny no longer applies to this principal';
  return 'Deny now applies under fewer conditions';
}

function dedupe(changes: GrantChange[]): GrantChange[] {
  // By key, without hashing a million key strings (GrantKeySet).
  const seen = { added: new GrantKeySet(), removed: new GrantKeySet() };
  return changes.filter((c) => seen[c.change].add(c.grant));
}

/** Boundary changes: removed and added boundaries, or the grants of one that stays. */
function boundaryChanges(before: SubjectGrants, after: SubjectGrants, grants: GrantChange[]): OtherChange[] {
  const old = before.boundary;
  const now = after.boundary;
  if (old === undefined && now === undefined) return [];
  if (now === undefined) return [{ description: `permissions boundary removed (was ${old!.policy})`, widens: true }];
  if (old === undefined) return [{ description: `permissions boundary added: ${now.policy}`, widens: false }];
  if (old.arn !== undefined || now.arn !== undefined) {
    if (old.arn === now.arn) return [];
    return [{ description: `permissions boundary changed from ${old.policy} to ${now.policy}, whose content is not all in the stack (NOT_EXPANDED)`, widens: true }];
  }
  pushAll(grants, partChanges('boundary', 'role', old.grants, now.grants, true, true));
  return [];
}

/** The first item of each key, as `find` would give it. */
function firstBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
  return map;
}

/** `items` added to `list` one by one: `push(...items)` fails past some 100,000 (a `*` policy is 22,000 grants per resource). */
function pushAll<T>(list: T[], items: readonly T[]): void {
  for (const item of items) list.push(item);
}

function difference(a: readonly string[], b: readonly string[]): string[] {
  const other = new Set(b);
  return a.filter((x) => !other.has(x));
}

/** As the report orders its subjects (`SUBJECT_KIND_ORDER`): kind, provider, name. */
function order(a: SubjectDiff, b: SubjectDiff): number {
  return compareSubjectKinds(a.kind, b.kind) || cmp(a.provider, b.provider) || cmp(a.name, b.name);
}
