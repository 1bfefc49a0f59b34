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
import { allServiceKeys } from '../core/iam-data';
import { grantFlags, type RiskFlag, sortFlags } from './risk-flags';
import { cmp } from '../core/order';

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

/**
 * The grants of one (tag, effect, action, principal, condition): the resources they apply to, and what
 * their row needs of them (their flags and where they were written), gathered as they are seen.
 */
interface Entry {
  readonly first: Grant;
  /** Their resources, as a list shared with every entry that has the same ones in the same order (repeats and all). */
  list: ResourceList;
  readonly flags: Set<RiskFlag>;
  /** Where they were written: `originText`. */
  readonly policies: Set<string>;
  lastOrigin?: GrantOrigin;
  readonly tag: string;
  readonly principal: string;
  readonly condition: string;
}

/** Entries that share everything but the action: one row's worth, before levels are split. */
interface Group {
  readonly first: Grant;
  readonly entries: Entry[];
  readonly actions: Map<string, Grant>;
  readonly resources: readonly string[];
  /** Names `resources`: equal lists, equal numbers. */
  readonly resourcesId: number;
  readonly principals: readonly string[];
  readonly tag: string;
}

/**
 * Grants of one tag, effect, principal and condition: the entries by action. Consecutive grants of one
 * statement share these, so finding them costs one comparison per grant, and building an id only when
 * they change.
 */
interface Context {
  readonly tag: string;
  readonly effect: Effect;
  readonly principalScope: Grant['principal'];
  readonly conditionScope: Grant['condition'];
  readonly principal: string;
  readonly condition: string;
  readonly byAction: Map<string, Entry>;
}

/**
 * Groups `grants` into rows. `tag` puts grants with different tags in different rows (and names the
 * row's tag). Linear in the grants (a `*` on 50 resources is a million of them): each is looked at once
 * in step 1, and the later steps work on the entries, whose resource lists are shared and sorted once.
 */
export function grantRows(grants: readonly Grant[], tag: (grant: Grant) => string = () => ''): GrantRow[] {
  // 1. For each (tag, effect, action, principal, condition): the resources.
  const contexts = new Map<string, Context>();
  const entries: Entry[] = [];
  const lists = new ResourceLists();
  let context: Context | undefined;
  for (const grant of grants) {
    const t = tag(grant);
    if (context === undefined || context.tag !== t || context.effect !== grant.effect || context.principalScope !== grant.principal || context.conditionScope !== grant.condition) {
      const principal = grant.principal === undefined ? '' : principalText(grant.principal);
      const condition = conditionId(grant.condition);
      const id = `${t}\u0000${grant.effect}\u0000${principal}\u0000${condition}`;
      const known = contexts.get(id);
      context = { tag: t, effect: grant.effect, principalScope: grant.principal, conditionScope: grant.condition, principal, condition, byAction: known?.byAction ?? new Map() };
      if (known === undefined) contexts.set(id, context);
    }
    let entry = context.byAction.get(grant.action.id);
    if (entry === undefined) {
      entry = { first: grant, list: lists.root, flags: new Set(), policies: new Set(), tag: t, principal: context.principal, condition: context.condition };
      context.byAction.set(grant.action.id, entry);
      entries.push(entry);
    }
    entry.list = lists.extend(entry.list, resourceText(grant.resource));
    for (const flag of grantFlags(grant)) entry.flags.add(flag);
    if (grant.origin !== entry.lastOrigin) {
      entry.lastOrigin = grant.origin;
      entry.policies.add(originText(grant));
    }
  }
  // 2. For each (tag, effect, action, condition, resources): the principals.
  const byPrincipals = new Map<string, { entries: Entry[]; principals: Set<string> }>();
  for (const entry of entries) {
    const g = entry.first;
    const id = `${entry.tag}\u0000${g.effect}\u0000${g.action.id}\u0000${entry.condition}\u0000${lists.sorted(entry.list).id}`;
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
    const resources = lists.sorted(e.list);
    const id = `${e.tag}\u0000${g.effect}\u0000${g.action.service}\u0000${e.condition}\u0000${resources.id}\u0000${principalList.join('\n')}`;
    let group = groups.get(id);
    if (group === undefined) {
      group = { first: g, entries: [], actions: new Map(), resources: resources.texts, resourcesId: resources.id, principals: principalList, tag: e.tag };
      groups.set(id, group);
    }
    for (const entry of list) group.entries.push(entry);
    group.actions.set(g.action.id, g);
  }
  // 4. Per (tag, effect, condition, resources, principals): whole services and the others, to see
  //    whether together they make up `*`.
  const scopes = new Map<string, { full: Group[]; partial: Group[] }>();
  for (const group of groups.values()) {
    const e = group.entries[0];
    const id = `${group.tag}\u0000${group.first.effect}\u0000${e.condition}\u0000${group.resourcesId}\u0000${group.principals.join('\n')}`;
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
    for (const group of partial) for (const r of levelRows(group)) rows.push(r);
  }
  return sortRows(rows.filter((r) => r.actions.length > 0 || r.allActions));
}

/**
 * The resource lists of entries, as a tree: a list is a node, its last resource and the list before it,
 * so the entries of a `*` statement (one per action, each with the statement's resources in the same
 * order) share one node. A list may name a resource twice (two statements on it); each node's resources
 * are sorted and made distinct once, and numbered: equal lists, equal numbers.
 */
class ResourceLists {
  readonly root: ResourceList = {};
  private readonly ids = new Map<string, number>();

  extend(list: ResourceList, resource: string): ResourceList {
    if (list.first?.resource === resource) return list.first;
    if (list.first === undefined) {
      list.first = { resource, parent: list };
      return list.first;
    }
    list.others ??= new Map();
    let next = list.others.get(resource);
    if (next === undefined) {
      next = { resource, parent: list };
      list.others.set(resource, next);
    }
    return next;
  }

  sorted(list: ResourceList): SortedResources {
    if (list.sorted === undefined) {
      const distinct = new Set<string>();
      for (let at: ResourceList | undefined = list; at?.resource !== undefined; at = at.parent) distinct.add(at.resource);
      const texts = [...distinct].sort();
      const joined = texts.join('\n');
      let id = this.ids.get(joined);
      if (id === undefined) {
        id = this.ids.size;
        this.ids.set(joined, id);
      }
      list.sorted = { texts, id };
    }
    return list.sorted;
  }
}

interface ResourceList {
  readonly resource?: string;
  readonly parent?: ResourceList;
  /** The lists one resource longer: the first directly, the others in a map. */
  first?: ResourceList;
  others?: Map<string, ResourceList>;
  sorted?: SortedResources;
}

interface SortedResources {
  readonly texts: string[];
  readonly id: number;
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
  const entries: Entry[] = [];
  for (const group of full) for (const entry of group.entries) entries.push(entry);
  for (const group of partial) for (const entry of group.entries) entries.push(entry);
  return row(full[0], entries, { service: '*', accessLevel: 'All', allActions: true, except: except.sort() });
}

function row(group: Group, entries: readonly Entry[], shape: { service: string; accessLevel: AccessLevel | 'All'; allActions: boolean; except?: string[] }): GrantRow {
  const g = group.first;
  const flags = new Set<RiskFlag>();
  const policies = new Set<string>();
  const names = new Set<string>();
  for (const entry of entries) {
    for (const flag of entry.flags) flags.add(flag);
    for (const policy of entry.policies) policies.add(policy);
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

/** The rows in their order: by tag, Allows first, service (`*` first), level, principals, resources, conditions, actions. */
function sortRows(rows: GrantRow[]): GrantRow[] {
  // Each row's sort key once, not at every comparison (lists of thousands of resources are joined once).
  const keyed = rows.map((r) => ({
    r,
    effect: r.effect === 'Allow' ? 0 : 1,
    service: r.service === '*' ? '' : r.service,
    level: LEVEL_ORDER.indexOf(r.accessLevel),
    principals: r.principals.join('\n'),
    resources: r.resources.join('\n'),
    conditions: r.conditions.join('\n'),
    actions: r.actions.join('\n'),
  }));
  keyed.sort(
    (a, b) =>
      cmp(a.r.tag, b.r.tag) ||
      cmp(a.effect, b.effect) ||
      cmp(a.service, b.service) ||
      cmp(a.level, b.level) ||
      cmp(a.principals, b.principals) ||
      cmp(a.resources, b.resources) ||
      cmp(a.conditions, b.conditions) ||
      cmp(a.actions, b.actions),
  );
  return keyed.map((k) => k.r);
}
