/**
 * Grants grouped for reading: one row per service, access level, resources, principals and condition,
 * listing the actions. A row is exactly the product of its principals, actions and resources, so
 * grouping loses nothing. Whole services collapse to one row (flagged `SERVICE_WILDCARD`), and a set
 * that holds every action of most services to one `*` row that lists what it lacks (`ANY_ACTION`).
 */
import type { Effect } from '../core/policy-document';
import { type AccessLevel, ACCESS_LEVELS, type Grant, principalText, resourceText } from './grants';
import { actionsOfService } from './private/action-catalog';
import { clauseText, conditionId } from './private/conditions';
import { allServiceKeys } from '../core/private/iam-data';
import { grantFlags, type RiskFlag, sortFlags } from './risk-flags';

/** One row of grants. */
export interface GrantRow {
  readonly effect: Effect;
  /** The service prefix, or `*` for a row over every service. */
  readonly service: string;
  /** The actions' access level; `All` for a whole service or every service. */
  readonly accessLevel: AccessLevel | 'All';
  /** The actions' names, sorted; when `allActions`, only actions outside iam-data's catalogue (usually none). */
  readonly actions: readonly string[];
  /** Every action of the service (of every service, for `*`). */
  readonly allActions: boolean;
  /** For a `*` row: the actions it lacks (`service:*` for a whole service), sorted. */
  readonly except: readonly string[];
  /** The resources, sorted. */
  readonly resources: readonly string[];
  /** The principals (trust and resource policies), sorted; empty for identity policies. */
  readonly principals: readonly string[];
  /** The conditions, each clause as text; all must hold. */
  readonly conditions: readonly string[];
  readonly flags: readonly RiskFlag[];
  /** Where the grants were written: policy and Sid (or statement position). */
  readonly policies: readonly string[];
  /** What the caller tagged the grants with (the diff's kind of change); '' when untagged. */
  readonly tag: string;
}

interface Bucket {
  readonly grants: Grant[];
  readonly resources: Set<string>;
  readonly principals: Set<string>;
  readonly actions: Map<string, Grant>;
}

/**
 * Groups `grants` into rows. `tag` puts grants with different tags in different rows (and names the
 * row's tag).
 */
export function grantRows(grants: readonly Grant[], tag: (grant: Grant) => string = () => ''): GrantRow[] {
  // 1. For each (tag, effect, action, principal, condition): the resources.
  const perAction = new Map<string, Bucket>();
  for (const grant of grants) {
    const principal = grant.principal === undefined ? '' : principalText(grant.principal);
    const id = [tag(grant), grant.effect, grant.action.id, principal, conditionId(grant.condition)].join('\u0000');
    const bucket = perAction.get(id) ?? newBucket();
    perAction.set(id, bucket);
    bucket.grants.push(grant);
    bucket.resources.add(resourceText(grant.resource));
    if (principal !== '') bucket.principals.add(principal);
    bucket.actions.set(grant.action.id, grant);
  }
  // 2. For each (tag, effect, action, condition, resources): the principals.
  const perPrincipals = new Map<string, Bucket>();
  for (const bucket of perAction.values()) {
    const g = bucket.grants[0];
    const id = [tag(g), g.effect, g.action.id, conditionId(g.condition), sortedList(bucket.resources).join('\n')].join('\u0000');
    const merged = perPrincipals.get(id) ?? newBucket();
    perPrincipals.set(id, merged);
    merge(merged, bucket);
  }
  // 3. For each (tag, effect, service, condition, resources, principals): the actions.
  const perService = new Map<string, Bucket>();
  for (const bucket of perPrincipals.values()) {
    const g = bucket.grants[0];
    const id = [tag(g), g.effect, g.action.service, conditionId(g.condition), sortedList(bucket.resources).join('\n'), sortedList(bucket.principals).join('\n')].join('\u0000');
    const merged = perService.get(id) ?? newBucket();
    perService.set(id, merged);
    merge(merged, bucket);
  }
  // 4. Per (tag, effect, condition, resources, principals): whole services and the others, to see
  //    whether together they make up `*`.
  const scopes = new Map<string, { full: Bucket[]; partial: Bucket[] }>();
  for (const bucket of perService.values()) {
    const g = bucket.grants[0];
    const id = [tag(g), g.effect, conditionId(g.condition), sortedList(bucket.resources).join('\n'), sortedList(bucket.principals).join('\n')].join('\u0000');
    const scope = scopes.get(id) ?? { full: [], partial: [] };
    scopes.set(id, scope);
    const listed = actionsOfService(g.action.service);
    (listed.length > 0 && listed.every((a) => bucket.actions.has(a.id)) ? scope.full : scope.partial).push(bucket);
  }
  const serviceCount = allServiceKeys().filter((s) => actionsOfService(s).length > 0).length;
  const rows: GrantRow[] = [];
  for (const { full, partial } of scopes.values()) {
    if (full.length * 2 > serviceCount) {
      rows.push(everyActionRow(full, partial, tag));
      continue;
    }
    for (const bucket of full) rows.push(row(bucket, tag, { service: bucket.grants[0].action.service, accessLevel: 'All', allActions: true }));
    for (const bucket of partial) rows.push(...levelRows(bucket, tag));
  }
  return rows.filter((r) => r.actions.length > 0 || r.allActions).sort(compareRows);
}

function newBucket(): Bucket {
  return { grants: [], resources: new Set(), principals: new Set(), actions: new Map() };
}

function merge(into: Bucket, from: Bucket): void {
  into.grants.push(...from.grants);
  from.resources.forEach((r) => into.resources.add(r));
  from.principals.forEach((p) => into.principals.add(p));
  from.actions.forEach((g, id) => into.actions.set(id, g));
}

function sortedList(values: Iterable<string>): string[] {
  return [...values].sort();
}

/** One row per access level of a bucket that is not a whole service. */
function levelRows(bucket: Bucket, tag: (grant: Grant) => string): GrantRow[] {
  const levels: (AccessLevel | 'Unknown')[] = [...ACCESS_LEVELS, 'Unknown'];
  return levels.flatMap((level) => {
    const actions = [...bucket.actions.values()].filter((g) => g.action.accessLevel === level);
    if (actions.length === 0) return [];
    const part: Bucket = { ...bucket, grants: bucket.grants.filter((g) => g.action.accessLevel === level), actions: new Map(actions.map((g) => [g.action.id, g])) };
    return [row(part, tag, { service: bucket.grants[0].action.service, accessLevel: level, allActions: false })];
  });
}

/**
 * One `*` row for whole services that are most of the catalogue, listing what it lacks instead: the
 * other services, whole or the actions the partial ones lack.
 */
function everyActionRow(full: Bucket[], partial: Bucket[], tag: (grant: Grant) => string): GrantRow {
  const merged = newBucket();
  [...full, ...partial].forEach((b) => merge(merged, b));
  const fullServices = new Set(full.map((b) => b.grants[0].action.service));
  const partialActions = new Map(partial.map((b) => [b.grants[0].action.service, b.actions]));
  const except: string[] = [];
  for (const service of allServiceKeys()) {
    const listed = actionsOfService(service);
    if (fullServices.has(service) || listed.length === 0) continue;
    const have = partialActions.get(service);
    if (have === undefined) except.push(`${service}:*`);
    else for (const a of listed) if (!have.has(a.id)) except.push(`${service}:${a.name}`);
  }
  return row(merged, tag, { service: '*', accessLevel: 'All', allActions: true, except: except.sort() });
}

function row(
  bucket: Bucket,
  tag: (grant: Grant) => string,
  shape: { service: string; accessLevel: AccessLevel | 'All'; allActions: boolean; except?: string[] },
): GrantRow {
  const g = bucket.grants[0];
  const flags = new Set<RiskFlag>(bucket.grants.flatMap(grantFlags));
  if (g.effect === 'Allow' && shape.allActions) flags.add(shape.service === '*' ? 'ANY_ACTION' : 'SERVICE_WILDCARD');
  return {
    effect: g.effect,
    service: shape.service,
    accessLevel: shape.accessLevel,
    // A whole-service row names only what is beyond the catalogue: actions iam-data does not list.
    actions: sortedList(new Set([...bucket.actions.values()].filter((a) => !shape.allActions || !a.action.known).map((a) => (shape.service === '*' ? a.action.id : a.action.name)))),
    allActions: shape.allActions,
    except: shape.except ?? [],
    resources: sortedList(bucket.resources),
    principals: sortedList(bucket.principals),
    conditions: g.condition.map(clauseText),
    flags: sortFlags(flags),
    policies: sortedList(new Set(bucket.grants.map(originText))),
    tag: tag(g),
  };
}

function originText(grant: Grant): string {
  const { policy, sid, statement } = grant.origin;
  return `${policy} ${sid !== undefined ? `(${sid})` : `(statement ${statement + 1})`}`;
}

const LEVEL_ORDER: readonly string[] = ['All', ...ACCESS_LEVELS, 'Unknown'];

function compareRows(a: GrantRow, b: GrantRow): number {
  return (
    cmp(a.tag, b.tag) ||
    cmp(a.effect === 'Allow' ? 0 : 1, b.effect === 'Allow' ? 0 : 1) ||
    cmp(a.service === '*' ? '' : a.service, b.service === '*' ? '' : b.service) ||
    cmp(LEVEL_ORDER.indexOf(a.accessLevel), LEVEL_ORDER.indexOf(b.accessLevel)) ||
    cmp(a.principals.join('\n'), b.principals.join('\n')) ||
    cmp(a.resources.join('\n'), b.resources.join('\n')) ||
    cmp(a.conditions.join('\n'), b.conditions.join('\n')) ||
    cmp(a.actions.join('\n'), b.actions.join('\n'))
  );
}

function cmp<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
