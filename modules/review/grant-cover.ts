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
import { type Grant, type PrincipalScope, type ResourceScope } from './grants';
import { parseOperator } from '../core/private/condition-operators';
import { conditionImplies } from './private/conditions';
import { arnPatternCovers, arnSegments, patternCovers, patternsIntersect } from './private/wildcards';

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

/** A set of grants, indexed for cover queries. */
export class GrantSet {
  private readonly keys = new Set<string>();
  private readonly byAction = new Map<string, Grant[]>();

  constructor(readonly grants: readonly Grant[]) {
    for (const grant of grants) {
      this.keys.add(grant.key);
      const id = `${grant.effect}|${grant.action.id}`;
      const list = this.byAction.get(id);
      if (list === undefined) this.byAction.set(id, [grant]);
      else list.push(grant);
    }
  }

  /**
   * Whether the grants of this set cover `grant`: one of them, or, for a condition with several values
   * ORed, one for each value (two statements for one region each cover one statement for both).
   */
  covers(grant: Grant): boolean {
    if (this.keys.has(grant.key)) return true;
    const candidates = this.candidates(grant);
    if (candidates.some((g) => grantCovers(g, grant))) return true;
    return splitByValue(grant).some((parts) => parts.every((part) => candidates.some((g) => grantCovers(g, part))));
  }

  /** Why `grant` is not covered; undefined when it is. */
  uncoveredReason(grant: Grant): UncoveredReason | undefined {
    if (this.covers(grant)) return undefined;
    const candidates = this.candidates(grant);
    if (candidates.length === 0) return 'new-action';
    const onResource = candidates.filter((g) => resourceCovers(g.resource, grant.resource));
    if (onResource.length === 0) return 'wider-resource';
    if (!onResource.some((g) => principalCovers(g.principal, grant.principal))) return 'new-principal';
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
    const allows = this.byAction.get(`Allow|${grant.action.id}`) ?? [];
    return allows.every((g) => resourcesApart(g.resource, grant.resource));
  }

  private candidates(grant: Grant): readonly Grant[] {
    return this.byAction.get(`${grant.effect}|${grant.action.id}`) ?? [];
  }
}

/**
 * Operators whose values are ORed: a clause with values V holds exactly when the clause with one value x
 * holds for some x in V (IAM user guide, "Condition operators": "If the key contains multiple values,
 * … a logical OR"). Not the negated ones (their values are NORed) nor `ForAllValues` (every request
 * value must match one of V: the request {a, b} satisfies V = [a, b] but neither [a] nor [b]).
 */
const ORED_OPERATORS = new Set(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase', 'ArnEquals', 'ArnLike', 'NumericEquals', 'DateEquals', 'IpAddress']);

/**
 * The ways to write `grant` as several grants whose conditions, ORed, are its own: for each clause of
 * an ORed operator with more than one value, one grant per value.
 */
function splitByValue(grant: Grant): Grant[][] {
  const ways: Grant[][] = [];
  grant.condition.forEach((clause, i) => {
    const parsed = parseOperator(clause.operator);
    if (parsed === undefined || parsed.qualifier === 'ForAllValues' || !ORED_OPERATORS.has(parsed.base) || clause.values.length < 2) return;
    ways.push(clause.values.map((value) => ({ ...grant, condition: grant.condition.map((c, j) => (j === i ? { ...c, values: [value] } : c)), key: '' })));
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
  // ARNs part by part; anything that is not an ARN (`*`, a malformed value) only by the whole text.
  if (arnSegments(general) !== undefined && arnSegments(specific) !== undefined) return arnPatternCovers(general, specific);
  return general === specific || patternCovers(general, '*');
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
  return /^(\d{12})$/.exec(id)?.[1] ?? /^arn:[a-z-]+:iam::(\d{12}):root$/.exec(id)?.[1];
}
