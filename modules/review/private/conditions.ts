/**
 * A statement's `Condition` in one canonical form, and whether one condition implies another: the
 * relation the permission diff needs to tell a relaxed condition from a reformatted one.
 *
 * Semantics from the IAM user guide, "IAM JSON policy elements: Condition operators" and "Multivalued
 * context keys": clauses (operator, key) are ANDed; the values of one clause are ORed for positive
 * operators and NORed for negated ones (`StringNotEquals` holds when the value equals none of them);
 * condition keys are case-insensitive, values case-sensitive except for the `IgnoreCase` operators;
 * `…IfExists` also holds when the key is absent.
 */
import type { ConditionMap } from '../../core/policy-document';
import { parseOperator } from '../../core/iam-data';
import { cmp } from '../../core/order';
import { arnPatternCovers, patternCovers } from './wildcards';

/** One (operator, key) test, its values sorted and distinct. */
export interface ConditionClause {
  /** The operator as written, e.g. `ForAllValues:StringLike`. */
  readonly operator: string;
  /** The key as written, e.g. `s3:prefix`. */
  readonly key: string;
  /** The values, sorted and distinct. */
  readonly values: readonly string[];
}

/** A statement's conditions, all of which must hold, sorted by operator then key. Empty: no condition. */
export type CanonicalCondition = readonly ConditionClause[];

/** The canonical form of a statement's `Condition` (undefined: no condition). */
export function canonicalCondition(condition: ConditionMap | undefined): CanonicalCondition {
  if (condition === undefined) return [];
  const clauses: ConditionClause[] = [];
  for (const [operator, keys] of Object.entries(condition)) {
    for (const [key, raw] of Object.entries(keys ?? {})) {
      // A policy's JSON may write a boolean or a number where a string is meant (`"Bool": {"k": false}`).
      const values = (Array.isArray(raw) ? raw : [raw]).map((v: unknown) => String(v));
      clauses.push({ operator, key, values: [...new Set(values)].sort() });
    }
  }
  return clauses.sort((a, b) => cmp(a.operator, b.operator) || cmp(a.key.toLowerCase(), b.key.toLowerCase()) || cmp(a.key, b.key));
}

/** One clause as text, e.g. `StringLike s3:prefix: "a/", "b/*"`. */
export function clauseText(clause: ConditionClause): string {
  return `${clause.operator} ${clause.key}: ${clause.values.map((v) => JSON.stringify(v)).join(', ')}`;
}

const ids = new WeakMap<CanonicalCondition, string>();

/**
 * A condition's identity, for exact comparison: case of keys ignored, values as normalized for the
 * operator. (Kept per condition: the grants of one statement share theirs, and a `*` has 22,000 grants.)
 */
export function conditionId(condition: CanonicalCondition): string {
  let id = ids.get(condition);
  if (id === undefined) {
    id = condition.map((c) => `${c.operator} ${c.key.toLowerCase()} ${JSON.stringify(normalizedValues(c))}`).join(' & ');
    ids.set(condition, id);
  }
  return id;
}

/**
 * Whether `specific` (all its clauses) implies `general`: every request that satisfies `specific`
 * satisfies `general`. Sound, and conservative where the operators' value sets are not compared
 * (numbers, dates, addresses, booleans and `Null` must be equal).
 */
export function conditionImplies(specific: CanonicalCondition, general: CanonicalCondition): boolean {
  return general.every((g) => specific.some((s) => clauseImplies(s, g)));
}

const POSITIVE_STRING = new Set(['StringEquals', 'StringLike', 'StringEqualsIgnoreCase', 'ArnEquals', 'ArnLike']);
const NEGATED_STRING = new Set(['StringNotEquals', 'StringNotLike', 'StringNotEqualsIgnoreCase', 'ArnNotEquals', 'ArnNotLike']);

function clauseImplies(s: ConditionClause, g: ConditionClause): boolean {
  if (s.key.toLowerCase() !== g.key.toLowerCase()) return false;
  const ps = parseOperator(s.operator);
  const pg = parseOperator(g.operator);
  if (ps === undefined || pg === undefined) return s.operator === g.operator && sameValues(s, g);
  if (ps.qualifier !== pg.qualifier || ps.base !== pg.base) return false;
  // `X` fails or holds where `XIfExists` does when the key is present, and never holds more when it is absent.
  if (ps.ifExists && !pg.ifExists) return false;
  const base = ps.base;
  // Positive: each value the specific clause accepts is accepted by the general one. The same holds with
  // ForAllValues (every request value matches one) and ForAnyValue (one request value matches one).
  if (POSITIVE_STRING.has(base)) return s.values.every((sv) => g.values.some((gv) => valueCovers(base, gv, sv)));
  // Negated: each value the general clause rejects, the specific one rejects too.
  if (NEGATED_STRING.has(base)) return g.values.every((gv) => s.values.some((sv) => valueCovers(base, sv, gv)));
  return sameValues(s, g);
}

/** Whether the condition value `general` matches every request value the value `specific` matches. */
function valueCovers(base: string, general: string, specific: string): boolean {
  if (base.endsWith('IgnoreCase')) return general.toLowerCase() === specific.toLowerCase();
  if (base === 'StringLike' || base === 'StringNotLike') return patternCovers(general, specific);
  if (base.startsWith('Arn')) return arnPatternCovers(general, specific); // every ARN operator reads wildcards
  return general === specific;
}

function normalizedValues(clause: ConditionClause): readonly string[] {
  const parsed = parseOperator(clause.operator);
  const lower = parsed !== undefined && (parsed.base.endsWith('IgnoreCase') || parsed.family === 'Bool' || parsed.family === 'Null');
  return lower ? [...new Set(clause.values.map((v) => v.toLowerCase()))].sort() : clause.values;
}

function sameValues(a: ConditionClause, b: ConditionClause): boolean {
  const x = normalizedValues(a);
  const y = normalizedValues(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
