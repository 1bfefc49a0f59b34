/**
 * Subsumption between grants: whether what one set of grants decides includes a given grant. The
 * permission diff calls a grant "added" only when the old version's grants do not cover it.
 *
 * A grant G covers a grant S when they have the same effect and action (actions are compared after
 * expansion, so patterns never need comparing), G's resource scope includes S's (IAM's `*` and `?`
 * compared pattern to pattern, ARN part by ARN part), G's principal includes S's, and S's condition
 * implies G's. Every test is sound (it never claims a cover that does not hold); where it cannot be
 * sure it answers "not covered", so a diff can over-report, never under-report.
 */
import type { Effect } from '../core/policy-document';
import { type CanonicalCondition, type Grant, type PrincipalScope, type ResourceScope } from './grants';
import { parseOperator } from '../core/iam-data';
import { ACCOUNT_ID, ACCOUNT_ROOT_ARN } from '../core/iam-identifiers';
import { conditionId, conditionImplies } from './private/conditions';
import { ActionIdSet } from './private/action-catalog';
import { arnPatternCovers, arnSegments, hasPatternWildcard, patternCovers, patternsIntersect } from './private/wildcards';

/** Why a grant is not covered, for the diff to say which kind of change it is. */
export type UncoveredReason =
  /** No grant of that effect has the action. */
  | 'new-action'
  /** Some grant has the action, for other resources. */
  | 'wider-resource'
  /** Some grant has the action on the resource, for other principals. */
  | 'new-principal'
  /** Some grant has the action on the resource for the principal, under a condition this one does not imply. */
  | 'relaxed-condition';

/**
 * A set of grants, indexed for cover queries.
 *
 * Grants are kept by *scope*: everything but the action (effect, resource, principal, condition). A `*`
 * statement on 50 resources is 50 scopes of some 22,000 actions each, a million grants, and a query is
 * answered per scope, not per grant:
 *
 * - each scope knows its actions (`ActionIdSet`: a bitmap over iam-data's catalogue when it has many);
 * - only the scopes that may cover a query's resource are looked at: those on the same resource, when it
 *   has no wildcard; the patterns whose literal start it starts with (a pattern covers only those:
 *   `resourcePatternCovers`), found by that start; and the `NotResource`s;
 * - for each action, the scopes that hold it form a list, a node of a tree shared by every action with
 *   the same list (every action of a `*` statement shares one), and a query's answer is kept per list.
 *
 * So a query costs a few lookups, and the cover tests (pattern against pattern) run once per pair of a
 * query's scope and a scope that may cover it: no step is quadratic in the number of grants.
 */
export class GrantSet {
  /** The scopes of this set, by their key. */
  private readonly scopes: ScopeTable<Scope> = new ScopeTable<Scope>((parts) => this.newScope(parts));
  /** For each effect and action: every scope that holds it, as a list. */
  private readonly byAction = new Map<string, Map<string, ScopeList>>();
  /** The empty list: the root of this set's tree of lists. */
  private readonly root: ScopeList = {};
  /**
   * The scopes by what a resource must be to be covered by them: by effect, and the resource itself when
   * it has no wildcard (or the role itself), the literal start of a pattern with wildcards, or `not`.
   */
  private readonly byResource = new Map<string, Scope[]>();
  /** The lengths of the literal starts of the patterns with wildcards. */
  private readonly headLengths = new Set<number>();
  /** The scopes asked about, with what they got from the set. */
  private readonly probes = new ScopeTable<Probe>(newProbe);

  constructor(readonly grants: readonly Grant[]) {
    let effect: string | undefined;
    let actions = new Map<string, ScopeList>();
    for (const grant of grants) {
      const scope = this.scopes.get(grant);
      const id = grant.action.id;
      scope.actions.add(id);
      if (grant.effect !== effect) {
        effect = grant.effect;
        actions = this.actionsOf(effect);
      }
      // A scope listed twice for an action (the same statement written twice) changes no answer: only
      // the cheap check.
      const list = actions.get(id);
      if (list?.scope !== scope) actions.set(id, extend(list ?? this.root, scope));
    }
  }

  /**
   * Whether the grants of this set cover `grant`: one of them, or, for a condition with several values
   * ORed, one for each value (two statements for one region each cover one statement for both).
   */
  covers(grant: Grant): boolean {
    const list = this.listOf(grant.effect, grant.action.id);
    if (list === undefined) return false;
    const probe = this.probe(grant);
    return this.holdsExactly(probe, grant.action.id) || (this.answer(probe, list, grant.action.id) & COVERED) !== 0;
  }

  /** Why `grant` is not covered; undefined when it is. */
  uncoveredReason(grant: Grant): UncoveredReason | undefined {
    const list = this.listOf(grant.effect, grant.action.id);
    if (list === undefined) return 'new-action';
    const probe = this.probe(grant);
    if (this.holdsExactly(probe, grant.action.id)) return undefined;
    const answer = this.answer(probe, list, grant.action.id);
    if ((answer & COVERED) !== 0) return undefined;
    if ((answer & RESOURCE) === 0) return 'wider-resource';
    if ((answer & RESOURCE_AND_PRINCIPAL) === 0) return 'new-principal';
    return 'relaxed-condition';
  }

  /**
   * Whether no grant of this set can allow a request `grant` allows, read as a permissions boundary: no
   * Allow of the set has `grant`'s action on a resource that may overlap `grant`'s. Sound, never complete:
   * an action iam-data does not list is never excluded (the set's `*` and `NotAction` were expanded
   * through iam-data only); the set's conditions are ignored (an Allow under any condition may allow);
   * only resource patterns that provably share no resource count as apart (policy variables may be
   * anything; compared case-blind); a `NotResource` or the role itself never does.
   */
  excludes(grant: Grant): boolean {
    if (!grant.action.known) return false;
    const list = this.listOf('Allow', grant.action.id);
    if (list === undefined) return true;
    return !this.overlaps(this.probe(grant), list);
  }

  private newScope(parts: ScopeParts): Scope {
    const scope: Scope = { ...parts, actions: new ActionIdSet() };
    const key = coverKey(parts.effect, parts.resource);
    const list = this.byResource.get(key);
    if (list === undefined) this.byResource.set(key, [scope]);
    else list.push(scope);
    if (parts.resource.kind === 'pattern' && hasPatternWildcard(parts.resource.pattern)) this.headLengths.add(literalHead(parts.resource.pattern).length);
    return scope;
  }

  private actionsOf(effect: string): Map<string, ScopeList> {
    let actions = this.byAction.get(effect);
    if (actions === undefined) {
      actions = new Map();
      this.byAction.set(effect, actions);
    }
    return actions;
  }

  private listOf(effect: string, action: string): ScopeList | undefined {
    return this.byAction.get(effect)?.get(action);
  }

  private probe(grant: Grant): Probe {
    return this.probes.get(grant);
  }

  /**
   * Whether the set holds the probe's own scope with `action`: a grant of the same key, covered without
   * looking at any other (a stack diffed against itself, thousands of statements each their own scope).
   */
  private holdsExactly(probe: Probe, action: string): boolean {
    if (probe.exact === undefined) probe.exact = this.scopes.find(probe.parts) ?? null;
    return probe.exact !== null && probe.exact.actions.has(action);
  }

  /**
   * What the scopes holding `action` are to `probe` (`RESOURCE`, …, ORed) and whether they cover it
   * (`COVERED`: one of them, or for each value of an ORed condition one). The same for every action held
   * by the same scopes, so kept per list.
   */
  private answer(probe: Probe, list: ScopeList, action: string): number {
    probe.answers ??= new Map();
    let answer = probe.answers.get(list);
    if (answer === undefined) {
      answer = this.coverBitsOf(probe, action);
      if ((answer & COVERS) !== 0 || this.ways(probe).some((parts) => parts.every((part) => (this.coverBitsOf(part, action) & COVERS) !== 0))) answer |= COVERED;
      probe.answers.set(list, answer);
    }
    return answer;
  }

  /** The `coverBits` of every scope holding `action` that may cover the probe, ORed. */
  private coverBitsOf(probe: Probe, action: string): number {
    const candidates = this.candidates(probe);
    let bits = 0;
    for (let i = 0; i < candidates.scopes.length && bits !== ALL_COVER_BITS; i++) {
      if (candidates.bits[i] !== 0 && candidates.scopes[i].actions.has(action)) bits |= candidates.bits[i];
    }
    return bits;
  }

  /**
   * The scopes that may cover the probe's resource, each with its `coverBits`: those on the same resource
   * when it has no wildcard (or on the role itself), the patterns with wildcards whose literal start the
   * resource starts with, and the `NotResource`s (no other scope's resources include the probe's:
   * `resourceCovers`).
   */
  private candidates(probe: Probe): Candidates {
    if (probe.candidates !== undefined) return probe.candidates;
    const { effect, resource } = probe.parts;
    const scopes: Scope[] = [];
    const add = (key: string) => {
      for (const scope of this.byResource.get(key) ?? []) scopes.push(scope);
    };
    if (resource.kind === 'self') add(coverKey(effect, resource));
    else {
      add(notKey(effect));
      if (resource.kind === 'not') add(headKey(effect, ''));
      else {
        if (!hasPatternWildcard(resource.pattern)) add(coverKey(effect, resource));
        for (const length of this.headLengths) if (length <= resource.pattern.length) add(headKey(effect, resource.pattern.slice(0, length)));
      }
    }
    probe.candidates = { scopes, bits: scopes.map((scope) => coverBits(probe.parts, scope)) };
    return probe.candidates;
  }

  /** The probe's scope written as several, one value of an ORed condition each (see `splitByValue`). */
  private ways(probe: Probe): Probe[][] {
    if (probe.ways === undefined) {
      probe.ways = splitByValue(probe.parts).map((parts) => parts.map((part) => this.probes.byParts(part)));
    }
    return probe.ways;
  }

  /**
   * Whether a scope of `list` may share a resource with `probe` (`excludes`): up the list to the nearest
   * list already worked out for the probe, one scope at a time, without recursion, and no further once
   * one may. Kept for the list asked about only, so a probe holds one answer per list it was asked about.
   */
  private overlaps(probe: Probe, list: ScopeList): boolean {
    probe.overlaps ??= new Map();
    let overlap = probe.overlaps.get(list);
    if (overlap !== undefined) return overlap;
    overlap = false;
    list.asked = true;
    for (let at: ScopeList = list; at.scope !== undefined && !overlap; at = at.parent!) {
      const known = at === list || at.asked !== true ? undefined : probe.overlaps.get(at);
      if (known !== undefined) {
        overlap = known;
        break;
      }
      overlap = !resourcesApart(at.scope.resource, probe.parts.resource);
    }
    probe.overlaps.set(list, overlap);
    return overlap;
  }
}

/**
 * Where a scope is found for cover queries: by its resource when that has no wildcard (or is the role
 * itself), by the literal start of a pattern with wildcards, and all `NotResource`s together.
 */
function coverKey(effect: string, resource: ResourceScope): string {
  if (resource.kind === 'self') return `${effect}\u0000self`;
  if (resource.kind === 'not') return notKey(effect);
  return hasPatternWildcard(resource.pattern) ? headKey(effect, literalHead(resource.pattern)) : `${effect}\u0000=${resource.pattern}`;
}

function notKey(effect: string): string {
  return `${effect}\u0000not`;
}

function headKey(effect: string, head: string): string {
  return `${effect}\u0000^${head}`;
}

/** What may cover a probe (`GrantSet.candidates`), and what each is to it (`coverBits`). */
interface Candidates {
  readonly scopes: readonly Scope[];
  readonly bits: readonly number[];
}

/** A grant without its action: what cover tests compare. */
interface ScopeParts {
  readonly effect: Effect;
  readonly resource: ResourceScope;
  readonly principal?: PrincipalScope;
  readonly condition: CanonicalCondition;
}

/** A scope of a set, with the actions it holds. */
interface Scope extends ScopeParts {
  readonly actions: ActionIdSet;
}

/** A list of scopes, as a node of a tree: its last scope, and the list before it; the root, neither. */
interface ScopeList {
  readonly scope?: Scope;
  readonly parent?: ScopeList;
  /** The lists one scope longer: the first directly, the others in a map. */
  first?: ScopeList;
  others?: Map<Scope, ScopeList>;
  /** Set once a query asked about this list: only such a list may have an answer kept for a probe. */
  asked?: true;
}

/** The list `list` followed by `scope`, the same node for the same lists. */
function extend(list: ScopeList, scope: Scope): ScopeList {
  if (list.first === undefined) {
    list.first = { scope, parent: list };
    return list.first;
  }
  if (list.first.scope === scope) return list.first;
  list.others ??= new Map();
  let next = list.others.get(scope);
  if (next === undefined) {
    next = { scope, parent: list };
    list.others.set(scope, next);
  }
  return next;
}

/** A scope asked about, with what each list of scopes is to it. */
interface Probe {
  readonly parts: ScopeParts;
  /** The set's scope with the same key, or null when it has none; undefined until looked up. */
  exact?: Scope | null;
  /** The set's scopes that may cover it. */
  candidates?: Candidates;
  /** Per list of the scopes holding an action: `GrantSet.answer`. */
  answers?: Map<ScopeList, number>;
  /** Per list asked about: whether one of its scopes may share a resource with the probe. */
  overlaps?: Map<ScopeList, boolean>;
  ways?: Probe[][];
}

function newProbe(parts: ScopeParts): Probe {
  return { parts };
}

/** A scope covers the probe: resource, principal and condition. */
const COVERS = 1;
/** A scope's resources include the probe's. */
const RESOURCE = 2;
/** A scope's resources and principals include the probe's. */
const RESOURCE_AND_PRINCIPAL = 4;
const ALL_COVER_BITS = COVERS | RESOURCE | RESOURCE_AND_PRINCIPAL;
/** The scopes cover the probe: one of them, or one for each value of an ORed condition. */
const COVERED = 8;

/** What `scope` is to the probe's scope `specific` (scopes of one list share the probe's action). */
function coverBits(specific: ScopeParts, scope: Scope): number {
  if (scope.effect !== specific.effect || !resourceCovers(scope.resource, specific.resource)) return 0;
  if (!principalCovers(scope.principal, specific.principal)) return RESOURCE;
  return conditionImplies(specific.condition, scope.condition) ? ALL_COVER_BITS : RESOURCE | RESOURCE_AND_PRINCIPAL;
}

function scopeParts(grant: ScopeParts): ScopeParts {
  const { effect, resource, principal, condition } = grant;
  return principal === undefined ? { effect, resource, condition } : { effect, resource, principal, condition };
}

/**
 * Values per scope: by the identity of the grant's parts (the grants of one statement share them, so a run
 * of them costs one comparison), else by a key of their content. Two scopes with the same key decide the
 * same requests: the same effect, resource and principal (as JSON) and the same condition (`conditionId`).
 */
class ScopeTable<T> {
  private readonly byKey = new Map<string, T>();
  private last?: { parts: ScopeParts; value: T };

  /** `create` makes the value of a scope first seen, from its parts (a copy: never the grant itself). */
  constructor(private readonly create: (parts: ScopeParts) => T) {}

  get(grant: ScopeParts): T {
    const last = this.last;
    if (last !== undefined && last.parts.resource === grant.resource && last.parts.condition === grant.condition && last.parts.principal === grant.principal && last.parts.effect === grant.effect) {
      return last.value;
    }
    const value = this.byParts(grant);
    this.last = { parts: scopeParts(grant), value };
    return value;
  }

  /** The value of the scope with `parts`' key, if the table has one. */
  find(parts: ScopeParts): T | undefined {
    return this.byKey.get(scopeKey(parts));
  }

  byParts(parts: ScopeParts): T {
    const key = scopeKey(parts);
    let value = this.byKey.get(key);
    if (value === undefined) {
      value = this.create(scopeParts(parts));
      this.byKey.set(key, value);
    }
    return value;
  }
}

const resourceKeys = new WeakMap<ResourceScope, string>();
const principalKeys = new WeakMap<PrincipalScope, string>();

function scopeKey(parts: ScopeParts): string {
  let resource = resourceKeys.get(parts.resource);
  if (resource === undefined) {
    resource = JSON.stringify(parts.resource);
    resourceKeys.set(parts.resource, resource);
  }
  let principal = '';
  if (parts.principal !== undefined) {
    principal = principalKeys.get(parts.principal) ?? JSON.stringify(parts.principal);
    principalKeys.set(parts.principal, principal);
  }
  // JSON has no raw NUL: the parts cannot run into each other.
  return `${JSON.stringify(parts.effect)}\u0000${resource}\u0000${principal}\u0000${conditionId(parts.condition)}`;
}

/**
 * Operators whose values are ORed: a clause with values V holds exactly when the clause with one value x
 * holds for some x in V (IAM user guide, "Condition operators": "If the key contains multiple values,
 * … a logical OR"). Not the negated ones (their values are NORed) nor `ForAllValues` (every request
 * value must match one of V: the request {a, b} satisfies V = [a, b] but neither [a] nor [b]).
 */
const ORED_OPERATORS = new Set(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase', 'ArnEquals', 'ArnLike', 'NumericEquals', 'DateEquals', 'IpAddress']);

/**
 * The ways to write `scope` as several scopes whose conditions, ORed, are its own: for each clause of an
 * ORed operator with more than one value, one scope per value.
 */
function splitByValue(scope: ScopeParts): ScopeParts[][] {
  const ways: ScopeParts[][] = [];
  scope.condition.forEach((clause, i) => {
    const parsed = parseOperator(clause.operator);
    if (parsed === undefined || parsed.qualifier === 'ForAllValues' || !ORED_OPERATORS.has(parsed.base) || clause.values.length < 2) return;
    ways.push(clause.values.map((value) => ({ ...scope, condition: scope.condition.map((c, j) => (j === i ? { ...c, values: [value] } : c)) })));
  });
  return ways;
}

/** Whether `general` decides every request `specific` decides, the same way. */
export function grantCovers(general: Grant, specific: Grant): boolean {
  return (
    general.effect === specific.effect &&
    general.action.id === specific.action.id &&
    resourceCovers(general.resource, specific.resource) &&
    principalCovers(general.principal, specific.principal) &&
    conditionImplies(specific.condition, general.condition)
  );
}

/** Whether two resource scopes provably share no resource: two patterns no string matches both of. */
function resourcesApart(a: ResourceScope, b: ResourceScope): boolean {
  return a.kind === 'pattern' && b.kind === 'pattern' && !patternsIntersect(a.pattern.toLowerCase(), b.pattern.toLowerCase());
}

/** Whether the resources of `general` include those of `specific`. */
export function resourceCovers(general: ResourceScope, specific: ResourceScope): boolean {
  if (general.kind === 'self' || specific.kind === 'self') return general.kind === specific.kind;
  if (general.kind === 'pattern') {
    if (specific.kind === 'pattern') return resourcePatternCovers(general.pattern, specific.pattern);
    return patternCovers(general.pattern, '*'); // only "everything" includes "everything but …"
  }
  if (specific.kind === 'pattern') {
    // Everything but X includes a pattern that provably shares no resource with X.
    return general.patterns.every((excluded) => !patternsIntersect(excluded, specific.pattern));
  }
  // Everything but X includes everything but Y when each of X is inside Y.
  return general.patterns.every((x) => specific.patterns.some((y) => resourcePatternCovers(y, x)));
}

function resourcePatternCovers(general: string, specific: string): boolean {
  // Quick answers, the same as the full test's: a pattern without wildcards covers only itself, and any
  // pattern only what starts with its literal head (a literal step of a pattern matches only itself).
  if (general === specific) return true;
  if (!startsWithHead(specific, general) || !hasPatternWildcard(general)) return false;
  // ARNs part by part; anything that is not an ARN (`*`, a malformed value) only by the whole text.
  if (arnSegments(general) !== undefined && arnSegments(specific) !== undefined) return arnPatternCovers(general, specific);
  return patternCovers(general, '*');
}

/** Whether `text` starts with `pattern`'s `literalHead`, compared in place. */
function startsWithHead(text: string, pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 || c === 63 || c === 36) return true;
    if (i >= text.length || text.charCodeAt(i) !== c) return false;
  }
  return true;
}

/** The start of `pattern` before its first `*`, `?` or `$` (which may open a policy variable). */
function literalHead(pattern: string): string {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 42 || c === 63 || c === 36) return pattern.slice(0, i);
  }
  return pattern;
}

/**
 * Whether the principals of `general` include those of `specific`. Only `*` and equal principals are
 * taken to include each other (an account and its root ARN are one principal, IAM user guide, "AWS JSON
 * policy elements: Principal"); IAM gives no wildcard inside a principal.
 */
export function principalCovers(general: PrincipalScope | undefined, specific: PrincipalScope | undefined): boolean {
  if (general === undefined || specific === undefined) return general === specific;
  if (general.kind === 'any') return true;
  if (general.kind === 'id') {
    if (specific.kind !== 'id' || specific.type !== general.type) return false;
    return general.id === '*' || samePrincipal(general.type, general.id, specific.id);
  }
  return specific.kind === 'not' && general.principals.every((p) => specific.principals.includes(p));
}

function samePrincipal(type: string, a: string, b: string): boolean {
  if (a === b) return true;
  return type === 'AWS' && accountOf(a) !== undefined && accountOf(a) === accountOf(b);
}

/** The account an account principal names: `111111111111` or `arn:<partition>:iam::111111111111:root`. */
function accountOf(id: string): string | undefined {
  if (ACCOUNT_ID.test(id)) return id;
  return ACCOUNT_ROOT_ARN.test(id) ? id.split(':')[4] : undefined;
}
