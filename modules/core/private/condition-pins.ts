/**
 * What a statement's `Condition` requires of a request, key by key: the values a key must take for the
 * statement to apply. Used to decide whether a principal is narrowed ("pinned") by its conditions.
 *
 * A condition pins a key only when it fails for every request without the key or with another value:
 * - a positive String or Arn operator (`StringEquals`, `StringLike`, `ArnEquals`, `ArnLike`, the
 *   `IgnoreCase` form), not negated (`…Not…` is true for every other value);
 * - without `IfExists` (true when the key is absent);
 * - without `ForAllValues:` (true when the key is absent: IAM user guide, "Multivalued context keys").
 *   `ForAnyValue:` is false when the key is absent, so it still pins.
 * Sources: IAM user guide, "IAM JSON policy elements: Condition operators" and "Multivalued context keys".
 */
import { conditionValuesOf, type ConditionMap } from '../policy-document';
import { parseOperator, type ParsedOperator, readsWildcards } from './condition-operators';
import { hasWildcard } from './patterns';

/** One condition on one key. */
export interface ConditionOnKey {
  /** The key as written. */
  readonly key: string;
  readonly operator: string;
  readonly parsed: ParsedOperator;
  /** Its values, ORed. */
  readonly values: readonly string[];
  /** Where it is, e.g. `Statement[0].Condition.StringLike.token.actions.githubusercontent.com:sub`. */
  readonly field: string;
}

/** The conditions of a statement, by lower-case key. */
export type ConditionsByKey = ReadonlyMap<string, readonly ConditionOnKey[]>;

/** Every condition of `condition`, by lower-case key. Operators IAM does not have are left out (validation reports them). */
export function conditionsByKey(condition: ConditionMap | undefined, at: string): ConditionsByKey {
  const byKey = new Map<string, ConditionOnKey[]>();
  if (condition === undefined || condition === null || typeof condition !== 'object') return byKey;
  for (const [operator, keys] of Object.entries(condition)) {
    const parsed = parseOperator(operator);
    if (parsed === undefined || keys === null || typeof keys !== 'object') continue;
    for (const [key, raw] of Object.entries(keys)) {
      const values = conditionValuesOf(raw).filter((v): v is string => typeof v === 'string');
      const entry: ConditionOnKey = { key, operator, parsed, values, field: `${at}.Condition.${operator}.${key}` };
      const lower = key.toLowerCase();
      byKey.set(lower, [...(byKey.get(lower) ?? []), entry]);
    }
  }
  return byKey;
}

/** Whether `c` fails for every request that lacks its key or has a value outside `c.values`. */
export function pins(c: ConditionOnKey): boolean {
  const { parsed } = c;
  if (parsed.family !== 'String' && parsed.family !== 'Arn') return false;
  if (parsed.ifExists || parsed.qualifier === 'ForAllValues') return false;
  if (/Not/.test(parsed.base)) return false;
  return c.values.length > 0;
}

/** Whether `value`, compared by `c`'s operator, is one fixed value: no wildcard it reads, no policy variable. */
export function isFixedValue(c: ConditionOnKey, value: string): boolean {
  if (value.includes('${')) return false;
  return !(readsWildcards(c.parsed) && hasWildcard(value));
}

/**
 * The literal text every value matched by `value` starts with: all of it for an operator that reads no
 * wildcard, else the part before the first `*` or `?`. (A policy variable ends it too: it stands for
 * any text.)
 */
export function literalPrefix(c: ConditionOnKey, value: string): string {
  const variable = value.indexOf('${');
  const cut = (text: string) => (variable >= 0 ? text.slice(0, Math.min(variable, text.length)) : text);
  if (!readsWildcards(c.parsed)) return cut(value);
  const wildcard = value.search(/[*?]/);
  return cut(wildcard < 0 ? value : value.slice(0, wildcard));
}

/** The conditions on `key` (any case) that pin it. */
export function pinsOf(conditions: ConditionsByKey, key: string): ConditionOnKey[] {
  return (conditions.get(key.toLowerCase()) ?? []).filter(pins);
}

/** Whether some condition pins `key` to fixed values only (each accepted by `fixed`, by default `isFixedValue`). */
export function pinnedToFixedValues(conditions: ConditionsByKey, key: string, fixed: (c: ConditionOnKey, value: string) => boolean = isFixedValue): boolean {
  return pinsOf(conditions, key).some((c) => c.values.every((v) => fixed(c, v)));
}
