/**
 * A policy written once, as a table of statements: each row's Sid, effect, actions, resources and
 * conditions, and when it applies, with the inputs named instead of read. Two interpreters read a table:
 * `tableStatements` here (the statements the TypeScript functions render, given the inputs' values) and
 * `statementLocals` in terraform-statements.ts (the Terraform module's locals, given each input's HCL
 * expression). So a policy's action lists and ARN patterns exist in its table only, and the differential
 * tests hold the two readings equal. Pure: no cdktf, no file system.
 *
 * What is not a table: an algorithm over the inputs (the state paths of state-access, the regions and
 * accounts of ECS services). Its result is a named value like an input, computed on each side.
 */
import type { Effect, StatementProps } from '../core/policy-document';

/** A named value that is one string (an ARN, an account ID, a path). */
export interface One<N extends string = string> {
  readonly one: N;
}

/** A named value that is a list of strings. */
export interface Many<N extends string = string> {
  readonly many: N;
}

/**
 * Text joined with named values: an ARN pattern. With `Many` values in it, one string for each element (for
 * each combination, the first value's elements outermost), in order.
 */
export interface Pattern<N extends string = string> {
  readonly pattern: readonly (string | One<N> | Many<N>)[];
}

/** One or more strings of a Resource or condition list: a literal, a named value, or a pattern. */
export type Term<N extends string = string> = string | One<N> | Many<N> | Pattern<N>;

/** When a statement applies, as a test of named values. */
export type Test<N extends string = string> =
  { readonly isTrue: N } | { readonly isSet: N } | { readonly nonEmpty: N } | { readonly not: Test<N> } | { readonly all: readonly Test<N>[] } | { readonly any: readonly Test<N>[] };

/** One condition: operator, key, and values (kept in order, as `policyStatement` keeps them). */
export interface ConditionRow<N extends string = string> {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly Term<N>[];
}

/** One statement of a table. */
export interface StatementRow<N extends string = string> {
  /**
   * The statement's name in the Terraform module (its local is `statement_<name>`).
   * @default - the Sid in snake case
   */
  readonly name?: string;
  /** @default - no Sid */
  readonly sid?: string;
  /** @default 'Allow' */
  readonly effect?: Effect;
  /** The actions, in any order: rendering sorts them. */
  readonly actions: readonly string[];
  readonly resources: readonly Term<N>[];
  /** Distinct operator and key pairs. */
  readonly conditions?: readonly ConditionRow<N>[];
  /** @default - always */
  readonly when?: Test<N>;
}

/** A policy's statements, in the order they appear. */
export type StatementTable<N extends string = string> = readonly StatementRow<N>[];

/** The value of each name a table reads, as the TypeScript computes it from the inputs. */
export type TableValues<N extends string> = { readonly [K in N]: string | readonly string[] | boolean | undefined };

export const one = <N extends string>(name: N): One<N> => ({ one: name });
export const many = <N extends string>(name: N): Many<N> => ({ many: name });
export const isTrue = <N extends string>(name: N): Test<N> => ({ isTrue: name });
export const isSet = <N extends string>(name: N): Test<N> => ({ isSet: name });
export const nonEmpty = <N extends string>(name: N): Test<N> => ({ nonEmpty: name });
export const not = <N extends string>(test: Test<N>): Test<N> => ({ not: test });
export const all = <N extends string>(...tests: Test<N>[]): Test<N> => ({ all: tests });
export const any = <N extends string>(...tests: Test<N>[]): Test<N> => ({ any: tests });

/**
 * A pattern written as a template literal, `` arn`arn:aws:iam::${one('account')}:role/*` ``: each `One` or
 * `Many` a named value, a string placed in it literal text.
 */
export function arn<N extends string>(text: TemplateStringsArray, ...values: (string | One<N> | Many<N>)[]): Pattern<N> {
  const parts: (string | One<N> | Many<N>)[] = [];
  const push = (part: string | One<N> | Many<N>) => {
    if (part === '') return;
    const last = parts[parts.length - 1];
    if (typeof part === 'string' && typeof last === 'string') parts[parts.length - 1] = last + part;
    else parts.push(part);
  };
  text.forEach((literal, i) => {
    push(literal);
    if (i < values.length) push(values[i]);
  });
  return { pattern: parts };
}

// --- the TypeScript interpreter ----------------------------------------------------------------------

/** The statements of `table` that apply for `values`, for `policyDocument`. */
export function tableStatements<N extends string>(table: StatementTable<N>, values: TableValues<N>): StatementProps[] {
  return table
    .filter((row) => row.when === undefined || holds(row.when, values))
    .map((row) => ({
      ...(row.sid !== undefined && { sid: row.sid }),
      ...(row.effect !== undefined && { effect: row.effect }),
      actions: row.actions,
      resources: strings(row.resources, values),
      ...(row.conditions !== undefined && {
        conditions: row.conditions.map((c) => ({ test: c.test, variable: c.variable, values: strings(c.values, values) })),
      }),
    }));
}

function holds<N extends string>(test: Test<N>, values: TableValues<N>): boolean {
  if ('isTrue' in test) return values[test.isTrue] === true;
  if ('isSet' in test) return values[test.isSet] !== undefined;
  if ('nonEmpty' in test) {
    const value = values[test.nonEmpty];
    return Array.isArray(value) && value.length > 0;
  }
  if ('not' in test) return !holds(test.not, values);
  if ('all' in test) return test.all.every((t) => holds(t, values));
  return test.any.some((t) => holds(t, values));
}

function strings<N extends string>(terms: readonly Term<N>[], values: TableValues<N>): string[] {
  return terms.flatMap((term) => {
    if (typeof term === 'string') return [term];
    if ('one' in term) return [oneValue(term.one, values)];
    if ('many' in term) return [...manyValue(term.many, values)];
    // Each part multiplies the texts so far by its values: the first part's elements outermost.
    let texts = [''];
    for (const part of term.pattern) {
      const options = typeof part === 'string' ? [part] : 'one' in part ? [oneValue(part.one, values)] : manyValue(part.many, values);
      texts = texts.flatMap((text) => options.map((option) => text + option));
    }
    return texts;
  });
}

function oneValue<N extends string>(name: N, values: TableValues<N>): string {
  const value = values[name];
  if (typeof value !== 'string') throw new Error(`the table reads ${name} as one string`);
  return value;
}

function manyValue<N extends string>(name: N, values: TableValues<N>): readonly string[] {
  const value = values[name];
  if (!Array.isArray(value)) throw new Error(`the table reads ${name} as a list`);
  return value as readonly string[];
}
