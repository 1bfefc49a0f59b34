/**
 * Merging statements that differ in one list only, to bring a policy under its size limit without
 * changing what it allows or denies.
 *
 * A statement applies to a request when its action is in `Action`, its resource is in `Resource` (and its
 * principal in `Principal`) and its `Condition` holds (IAM user guide, "Policy evaluation logic"). Two
 * statements with the same Effect, Condition, Principal and Resource therefore apply to exactly the
 * requests one statement with the union of their Actions applies to; the same holds with Action and
 * Resource swapped. That is true for Allow and for Deny alike, and it is all this file relies on. It does not
 * hold for `NotAction`, `NotResource` or `NotPrincipal` (the union of two exclusions is not the
 * exclusion of the union), so statements with one are never merged.
 */
import { cmp } from './order';
import { canonicalPolicy, listOf, type PolicyDocument, type PolicyStatement, policyStatement, sortedDistinct, statementPropsOf } from './policy-document';

export interface MergeStatementsOptions {
  /**
   * Sids whose statements may be merged with others. A merged statement takes the Sid of its first
   * statement that has one. Any other Sid is kept with its statement as it is, because a Sid is what
   * reviewers, tests and exceptions elsewhere refer to.
   * @default - none: a statement with a Sid is never merged
   */
  readonly mergeableSids?: readonly string[];
}

/**
 * `document` in canonical form with its statements merged wherever two of them have the same Effect,
 * Condition (compared canonically, values as a set) and Principal, no `Not*` element, no Sid that must
 * stay, and differ only in Action or only in Resource. Merges repeat, actions first, until none applies;
 * a merged statement takes the place of the first of its statements. Deterministic and idempotent, and
 * it allows and denies exactly the requests `document` does.
 */
export function mergeStatements(document: PolicyDocument, options: MergeStatementsOptions = {}): PolicyDocument {
  const canonical = canonicalPolicy(document);
  const mergeable = new Set(options.mergeableSids ?? []);
  let statements = canonical.Statement;
  for (;;) {
    const byActions = mergePass(statements, 'Action', 'Resource', mergeable);
    const byResources = mergePass(byActions, 'Resource', 'Action', mergeable);
    if (byResources.length === statements.length) break;
    statements = byResources;
  }
  return { ...canonical, Statement: statements };
}

type ListField = 'Action' | 'Resource';

/** Merges the `union` lists of statements equal in everything else, `same` included. */
function mergePass(statements: readonly PolicyStatement[], union: ListField, same: ListField, mergeable: ReadonlySet<string>): PolicyStatement[] {
  // Each group is rendered once, after all its members are known, so a long run of merges sorts once.
  const groups: { first: PolicyStatement; values: string[]; sid?: string; size: number }[] = [];
  const at = new Map<string, number>();
  for (const statement of statements) {
    const key = canMerge(statement, mergeable) ? mergeKey(statement, same) : undefined;
    const first = key === undefined ? undefined : at.get(key);
    if (first === undefined) {
      if (key !== undefined) at.set(key, groups.length);
      groups.push({ first: statement, values: key === undefined ? [] : listOf(statement[union]!), sid: statement.Sid, size: 1 });
      continue;
    }
    const group = groups[first];
    group.values.push(...listOf(statement[union]!));
    group.sid ??= statement.Sid;
    group.size++;
  }
  return groups.map(({ first, values, sid, size }) => {
    if (size === 1) return first;
    return policyStatement({
      ...statementPropsOf(first),
      ...(sid !== undefined && { sid }),
      ...(union === 'Action' ? { actions: values } : { resources: values }),
    });
  });
}

function canMerge(statement: PolicyStatement, mergeable: ReadonlySet<string>): boolean {
  return (
    statement.NotAction === undefined &&
    statement.NotResource === undefined &&
    statement.NotPrincipal === undefined &&
    statement.Action !== undefined &&
    statement.Resource !== undefined &&
    (statement.Sid === undefined || mergeable.has(statement.Sid))
  );
}

/**
 * What two statements must share to merge over the other list: Effect, Condition, Principal and the `same`
 * list. Lists compare as sets; a condition's values too (a key's values are alternatives: IAM user guide,
 * "Creating a condition with multiple keys or values"), its operators and keys by name as written.
 */
function mergeKey(statement: PolicyStatement, same: ListField): string {
  const condition = Object.entries(statement.Condition ?? {})
    .map(
      ([operator, keys]) =>
        [
          operator,
          Object.entries(keys)
            .map(([key, values]) => [key, sortedDistinct(listOf(values))])
            .sort(byFirst),
        ] as const,
    )
    .sort(byFirst);
  const principal =
    statement.Principal === undefined || statement.Principal === '*'
      ? (statement.Principal ?? null)
      : Object.entries(statement.Principal)
          .map(([type, ids]) => [type, sortedDistinct(listOf(ids))])
          .sort(byFirst);
  return JSON.stringify([statement.Effect, condition, principal, sortedDistinct(listOf(statement[same]!))]);
}

function byFirst(a: readonly unknown[], b: readonly unknown[]): number {
  return cmp(String(a[0]), String(b[0]));
}
