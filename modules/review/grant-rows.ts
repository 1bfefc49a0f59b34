/**
 * Grants grouped for reading: one row per service, access level, resources, principals and condition,
 * listing the actions. A row is exactly the product of its principals, actions and resources, so
 * grouping loses nothing. Whole services collapse to one row (flagged `SERVICE_WILDCARD`), and a set
 * that holds every action of most services to one `*` row that lists what it lacks (`ANY_ACTION`).
 */
import type { Effect } from '../core/policy-document';
import { type AccessLevel, ACCESS_LEVELS, type Grant, type GrantOrigin, principalText, resourceText } from './grants';
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

/** The grants of one (tag, effect, action, principal, condition): the resources they apply to. */
interface Entry {
  readonly first: Grant;
  readonly grants: Grant[];
  readonly resources: Set<string>;
  readonly tag: string;
  readonly principal: string;
  readonly condition: string;
  /** The resources, sorted and joined: set once step 1 is done. */
  resourceList?: string[];
}

/** Entries that share everything but the action: one row's worth, before levels are split. */
interface Group {
  readonly first: Grant;
  readonly entries: Entry[];
  readonly actions: Map<string, Grant>;
  readonly resources: readonly string[];
  readonly principals: readonly string[];
  readonly tag: string;
}

/**
 * Groups `grants` into rows. `tag` puts grants with different tags in different rows (and names the
 * row's tag).
 */
export function grantRows(grants: readonly Grant[], tag: (grant: Grant) => string = () => ''): GrantRow[] {
  // 1. For each (tag, effect, action, principal, condition): the resources.
  const entries = new Map<string, Entry>();
  for (const grant of grants) {
    const t = tag(grant);
    const principal = grant.principal === undefined ? '' : principalText(grant.principal);
    const condition = conditionId(grant.condition);
    const id = `${t}\u0000${grant.effect}\u0000${grant.action.id}\u0000${principal}\u0000${condition}`;
    let entry = entries.get(id);
    if (entry === undefined) {
      entry = { first: grant, grants: [], resources: new Set(), tag: t, principal, condition };
      entries.set(id, entry);
    }
    entry.grants.push(grant);
    entry.resources.add(resourceText(grant.resource));
  }
  // 2. For each (tag, effect, action, condition, resources): the principals.
  const byPrincipals = new Map<string, { entries: Entry[]; principals: Set<string> }>();
  for (const entry of entries.values()) {
    entry.resourceList = [...entry.resources].sort();
    const g = entry.first;
    const id = `${entry.tag}\u0000${g.effect}\u0000${g.action.id}\u0000${entry.condition}\u0000${entry.resourceList.join('\n')}`;
    let merged = byPrincipals.get(id);
    if (merged === undefined) {
      merged = { entries: [], principals: new Set() };
      byPrincipals.set(id, merged);
    }
    merged.entries.push(entry);
    if (entry.principal !== '') merged.principals.add(entry.principal);
  }
  // 3. For each (tag, effect, service, condition, resources, principals): the actions.
  const groups = new Map<string, Group>();
  for (const { entries: list, principals } of byPrincipals.values()) {
    const e = list[0];
    const g = e.first;
    const principalList = [...principals].sort();
    const id = `${e.tag}\u0000${g.effect}\u0000${g.action.service}\u0000${e.condition}\u0000${e.resourceList!.join('\n')}\u0000${principalList.join('\n')}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { first: g, entries: [], actions: new Map(), resources: e.resourceList!, principals: principalList, tag: e.tag };
      groups.set(id, group);
    }
    group.entries.push(...list);
    group.actions.set(g.action.id, g);
  }
  // 4. Per (tag, effect, condition, resources, principals): whole services and the others, to see
  //    whether together they make up `*`.
  const scopes = new Map<string, { full: Group[]; partial: Group[] }>();
  for (const group of groups.values()) {
    const e = group.entries[0];
    const id = `${group.tag}\u0000${group.first.effect}\u0000${e.condition}\u0000${group.resources.join('\n')}\u0000${group.principals.join('\n')}`;
    let scope = scopes.get(id);
    if (scope === undefined) {
      scope = { full: [], partial: [] };
      scopes.set(id, scope);
    }
    const listed = actionsOfService(group.first.action.service);
    (listed.length > 0 && listed.every((a) => group.actions.has(a.id)) ? scope.full : scope.partial).push(group);
  }
  // Every service iam-data lists has actions, so its service list is the catalogue's size (and reading
  // it does not read every service's actions, which only a `*` row needs).
  const serviceCount = allServiceKeys().length;
  const rows: GrantRow[] = [];
  for (const { full, partial } of scopes.values()) {
    if (full.length * 2 > serviceCount) {
      rows.push(everyActionRow(full, partial));
      continue;
    }
    for (const group of full) rows.push(row(group, group.entries, { service: group.first.action.service, accessLevel: 'All', allActions: true }));
    for (const group of partial) rows.push(...levelRows(group));
  }
  return rows.filter((r) => r.actions.length > 0 || r.allActions).sort(compareRows);
}

/** One row per access level of a group that is not a whole service. */
function levelRows(group: Group): GrantRow[] {
  const levels: (AccessLevel | 'Unknown')[] = [...ACCESS_LEVELS, 'Unknown'];
  return levels.flatMap((level) => {
    const entries = group.entries.filter((e) => e.first.action.accessLevel === level);
    if (entries.length === 0) return [];
    return [row(group, entries, { service: group.first.action.service, accessLevel: level, allActions: false })];
  });
}

/**
 * One `*` row for whole services that are most of the catalogue, listing what it lacks instead: the
 * other services, whole or the actions the partial ones lack.
 */
function everyActionRow(full: Group[], partial: Group[]): GrantRow {
  const fullServices = new Set(full.map((g) => g.first.action.service));
  const partialActions = new Map<string, Set<string>>();
  for (const group of partial) {
    const have = partialActions.get(group.first.action.service) ?? new Set<string>();
    group.actions.forEach((_, id) => have.add(id));
    partialActions.set(group.first.action.service, have);
  }
  const except: string[] = [];
  for (const service of allServiceKeys()) {
    const listed = actionsOfService(service);
    if (fullServices.has(service) || listed.length === 0) continue;
    const have = partialActions.get(service);
    if (have === undefined) except.push(`${service}:*`);
    else for (const a of listed) if (!have.has(a.id)) except.push(`${service}:${a.name}`);
  }
  const entries = [...full, ...partial].flatMap((g) => g.entries);
  return row(full[0], entries, { service: '*', accessLevel: 'All', allActions: true, except: except.sort() });
}

function row(group: Group, entries: readonly Entry[], shape: { service: string; accessLevel: AccessLevel | 'All'; allActions: boolean; except?: string[] }): GrantRow {
  const g = group.first;
  const flags = new Set<RiskFlag>();
  const policies = new Set<string>();
  const names = new Set<string>();
  for (const entry of entries) {
    for (const grant of entry.grants) {
      for (const flag of grantFlags(grant)) flags.add(flag);
      policies.add(originText(grant));
    }
    // A whole-service row names only what is beyond the catalogue: actions iam-data does not list.
    const action = entry.first.action;
    if (!shape.allActions || !action.known) names.add(shape.service === '*' ? action.id : action.name);
  }
  if (g.effect === 'Allow' && shape.allActions) flags.add(shape.service === '*' ? 'ANY_ACTION' : 'SERVICE_WILDCARD');
  return {
    effect: g.effect,
    service: shape.service,
    accessLevel: shape.accessLevel,
    actions: [...names].sort(),
    allActions: shape.allActions,
    except: shape.except ?? [],
    resources: group.resources,
    principals: group.principals,
    conditions: g.condition.map(clauseText),
    flags: sortFlags(flags),
    policies: [...policies].sort(),
    tag: group.tag,
  };
}

const originTexts = new WeakMap<GrantOrigin, string>();

function originText(grant: Grant): string {
  let text = originTexts.get(grant.origin);
  if (text === undefined) {
    const { policy, sid, statement } = grant.origin;
    text = `${policy} ${sid !== undefined ? `(${sid})` : `(statement ${statement + 1})`}`;
    originTexts.set(grant.origin, text);
  }
  return text;
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
