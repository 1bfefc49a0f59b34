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
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
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
      return `a list of ${describe(s.of).replace(/^an? /, '')}s`;
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
    findings.push({ field, value, problem: `is ${typeName(value)}, not ${describe(s)}`, fix: `give ${describe(s)}${s.kind === 'object' && s.example ? `, e.g. ${s.example}` : ''}`, code: 'INPUT_TYPE' });
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
      if (!Array.isArray(value)) return void wrong();
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
        for (const k of Object.keys(record)) {
          if (!(k in s.fields)) {
            findings.push({ field: at(k), value: record[k], problem: 'is not an input here', fix: `use only ${Object.keys(s.fields).join(', ')}`, code: 'INPUT_TYPE' });
          }
        }
      }
      return;
    }
  }
}
