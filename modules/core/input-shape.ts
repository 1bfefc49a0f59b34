/**
 * The JavaScript types of a construct's or a function's input, checked before anything reads it: a caller
 * in JavaScript, or one whose values are built at run time, gets a finding naming the field (rule
 * `INPUT_TYPE`) instead of a `TypeError` from deep inside. Pure: no cdktf.
 *
 * A shape says what a value must be; `shapeFindings` reports every field that is not, and does not look
 * inside a value of the wrong type.
 */
import type { Finding } from './policy-error';

export type Shape =
  | { readonly kind: 'string' | 'boolean' | 'number' | 'any' }
  | { readonly kind: 'literal'; readonly values: readonly string[] }
  | { readonly kind: 'list'; readonly of: Shape }
  | { readonly kind: 'record'; readonly of: Shape }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Field>>; readonly strict: boolean; readonly example: string }
  | { readonly kind: 'oneOf'; readonly options: readonly Shape[]; readonly described: string };

export interface Field {
  readonly shape: Shape;
  readonly optional: boolean;
}

/** Shape builders. */
export const shape = {
  string: (): Shape => ({ kind: 'string' }),
  boolean: (): Shape => ({ kind: 'boolean' }),
  number: (): Shape => ({ kind: 'number' }),
  /** Anything: checked elsewhere (a policy document, a reference). */
  any: (): Shape => ({ kind: 'any' }),
  literal: (...values: string[]): Shape => ({ kind: 'literal', values }),
  list: (of: Shape): Shape => ({ kind: 'list', of }),
  /** An object of any keys whose values are all `of` (tags). */
  record: (of: Shape): Shape => ({ kind: 'record', of }),
  /**
   * An object with `fields`; `strict` refuses other keys, so that a misspelt optional field (`branch` for
   * `branches`) is not silently ignored.
   */
  object: (fields: Record<string, Field | Shape>, options: { strict?: boolean; example?: string } = {}): Shape => ({
    kind: 'object',
    fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, 'optional' in v ? v : { shape: v, optional: false }])),
    strict: options.strict ?? false,
    example: options.example ?? '',
  }),
  optional: (of: Shape): Field => ({ shape: of, optional: true }),
  oneOf: (described: string, ...options: Shape[]): Shape => ({ kind: 'oneOf', options, described }),
};

/** Every finding for `value` against `s`, at `field`. */
export function shapeFindings(value: unknown, s: Shape, field: string): Finding[] {
  const findings: Finding[] = [];
  check(value, s, field === '' ? '(props)' : field, findings);
  return findings;
}

function typeName(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const construct = constructName(value);
  if (construct !== undefined) return `${/^[AEIOU]/.test(construct) ? 'an' : 'a'} ${construct}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * A construct (anything with a `node.path`, as the `constructs` library gives every construct) by its class
 * and path, `CiPolicy (stack/ecr)`: what a user passed, where "an object" would not say which one. Read
 * without importing `constructs`, so that the core stays free of cdktf.
 */
export function constructName(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const node: unknown = (value as { node?: unknown }).node;
  const path: unknown = typeof node === 'object' && node !== null ? (node as { path?: unknown }).path : undefined;
  if (typeof path !== 'string') return undefined;
  const cls = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return `${typeof cls === 'string' && cls !== '' ? cls : 'construct'} (${path === '' ? 'the app' : path})`;
}

/**
 * The known field closest to `unknown`, when it is close enough to be a slip: one holds the other
 * (`accountId`, `account`), or they differ by a few letters (`branch`, `branches`; `tag`, `tags`).
 */
export function closestField(unknown: string, known: readonly string[]): string | undefined {
  const lower = unknown.toLowerCase();
  let best: { field: string; distance: number } | undefined;
  for (const field of known) {
    const other = field.toLowerCase();
    const contained = other.length >= 3 && lower.length >= 3 && (lower.includes(other) || other.includes(lower));
    const distance = editDistance(lower, other);
    const close = contained || distance <= Math.max(2, Math.floor(Math.min(lower.length, other.length) / 3));
    // The nearest wins: `rolePaths` is `rolePath`, not `path`, which it also holds.
    if (close && (best === undefined || distance < best.distance)) best = { field, distance };
  }
  return best?.field;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

function describe(s: Shape): string {
  switch (s.kind) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'any':
      return 'a value';
    case 'literal':
      return `one of ${s.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'list':
      return s.of.kind === 'any' ? 'a list' : `a list of ${describe(s.of).replace(/^an? /, '')}s`;
    case 'record':
      return `an object of ${describe(s.of).replace(/^an? /, '')}s`;
    case 'object':
      return 'an object';
    case 'oneOf':
      return s.described;
  }
}

function fits(value: unknown, s: Shape): boolean {
  const findings: Finding[] = [];
  check(value, s, 'value', findings);
  return findings.length === 0;
}

function check(value: unknown, s: Shape, field: string, findings: Finding[]): void {
  const wrong = () =>
    findings.push({
      field,
      value,
      problem: `is ${typeName(value)}, not ${describe(s)}`,
      fix: `give ${describe(s)}${s.kind === 'object' && s.example ? `, e.g. ${s.example}` : ''}`,
      code: 'INPUT_TYPE',
    });
  switch (s.kind) {
    case 'any':
      return;
    case 'string':
    case 'boolean':
    case 'number':
      if (typeof value !== s.kind || (s.kind === 'number' && Number.isNaN(value))) wrong();
      return;
    case 'literal':
      if (typeof value !== 'string' || !s.values.includes(value)) wrong();
      return;
    case 'list':
      if (!Array.isArray(value)) {
        // One item given where a list of them goes (a string, a construct): the fix is to put it in one.
        if (value !== undefined && value !== null && fits(value, s.of)) {
          const item = constructName(value) ?? JSON.stringify(value) ?? String(value);
          return void findings.push({ field, value, problem: `is ${typeName(value)}, not ${describe(s)}: this takes a list, even of one`, fix: `put it in a list: [${item}]`, code: 'INPUT_TYPE' });
        }
        return void wrong();
      }
      value.forEach((v, i) => check(v, s.of, `${field}[${i}]`, findings));
      return;
    case 'record':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void wrong();
      for (const [k, v] of Object.entries(value)) check(v, s.of, `${field}.${k}`, findings);
      return;
    case 'oneOf':
      if (!s.options.some((o) => fits(value, o))) wrong();
      return;
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return void wrong();
      const at = (k: string) => (field === '(props)' ? k : `${field}.${k}`);
      const record = value as Record<string, unknown>;
      for (const [k, f] of Object.entries(s.fields)) {
        const v = record[k];
        if (v === undefined) {
          if (!f.optional) findings.push({ field: at(k), value: v, problem: 'is required', fix: `give ${describe(f.shape)}`, code: 'INPUT_TYPE' });
          continue;
        }
        check(v, f.shape, at(k), findings);
      }
      if (s.strict) {
        const known = Object.keys(s.fields);
        for (const k of Object.keys(record)) {
          // An own key set to undefined is left out, as TypeScript's optional fields are (`{ ...(x && { k }) }`).
          if (!(k in s.fields) && record[k] !== undefined) {
            const near = closestField(k, known);
            findings.push({
              field: at(k),
              value: record[k],
              problem: 'is not an input here, and would be ignored',
              fix: `${near === undefined ? '' : `did you mean ${near}? `}The inputs here are ${known.join(', ')}`,
              code: 'INPUT_TYPE',
            });
          }
        }
      }
      return;
    }
  }
}
