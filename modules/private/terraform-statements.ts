/**
 * The one Terraform renderer of a policy statement and a policy document, for every generated module that
 * writes a policy: a statement is `jsonencode` of an HCL object, laid out as `terraform fmt` writes it, and
 * the document joins the statements' JSON. `statementLocals` reads a statement table
 * (policy-statements.ts) into a module's locals, the Terraform reading of the table whose TypeScript
 * reading is `tableStatements`. Pure: no cdktf, no file system.
 *
 * The text is canonical JSON as core/policy-document.ts writes it, byte for byte, except where Go's encoder
 * differs from `JSON.stringify` (`<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`: the same
 * document once parsed):
 * - statement keys sorted (Action, Condition, Effect, Resource, Sid): `jsonencode` writes an object's
 *   attributes in lexical order ("jsonencode Function", Terraform language documentation, which maps an
 *   object to a JSON object; cty's JSON marshalling sorts the attribute names), and so are condition
 *   operators and keys;
 * - `Action` and `Resource` distinct and reverse-sorted, condition values in the order given;
 * - a list of one written as the string (`oneOrList`).
 * Literal text (actions, Sids, ARN patterns' fixed parts) is written as HCL quoted strings with `${` and `%{`
 * escaped (`hclString`), so an IAM policy variable such as `${aws:username}` stays literal text.
 */
import { POLICY_VERSION, sortedDistinct } from '../core/policy-document';
import { type Many, type One, type StatementRow, type StatementTable, type Term, type Test } from './policy-statements';
import { type HclObject, hclLayout, type HclValue } from './hcl-layout';
import { expr, hclString, oneOrList } from './terraform-module-files';

// --- one statement, one document ------------------------------------------------------------------------

/**
 * One statement: `jsonencode` of `fields` (HCL expressions by statement key, in the canonical order), laid
 * out one key per line.
 */
export function jsonencodeStatement(fields: HclObject): string {
  return `jsonencode(${hclLayout(fields, 0, { multiline: true }).join('\n')})`;
}

/**
 * The document around `statements` (an expression of a list of statement JSON texts), as a template:
 * `jsonencode` would write `Statement` before `Version`, so the canonical order is written as text.
 */
export function documentTemplate(statements: string): string {
  return `{"Version":${JSON.stringify(POLICY_VERSION)},"Statement":[\${join(",", ${statements})}]}`;
}

/** The comment written above a `document` local. */
export const DOCUMENT_COMMENT =
  'The document: Version, then Statement, as the TypeScript writes it. jsonencode would sort the keys (Statement first), so the statements are joined into the text instead.';

/** The `document` local of `statements`, with its comment: `{ '//': …, document: … }`, to spread last into the locals. */
export function documentLocals(statements = 'local.statements'): Record<string, string> {
  return { '//': DOCUMENT_COMMENT, document: documentTemplate(statements) };
}

/** A literal list of actions as a statement writes it: distinct, reverse-sorted, one written as the string. */
export function actionsValue(actions: readonly string[]): HclValue {
  const canonical = sortedDistinct(actions).reverse();
  return canonical.length === 1 ? hclString(canonical[0]) : canonical.map(hclString);
}

// --- a statement table as a module's locals -------------------------------------------------------------

/** How the module reads each value a table names: an HCL expression (a variable, or a local of its own). */
export type Bindings<N extends string> = { readonly [K in N]: string };

/** One term as an expression: one string (`scalar`), or a list. */
type Part = { readonly scalar: string } | { readonly list: string };

/** Loop variables for the lists of a pattern, outermost first. */
const LOOP_VARIABLES = ['x', 'y', 'z'];

function part<N extends string>(term: Term<N>, bindings: Bindings<N>): Part {
  if (typeof term === 'string') return { scalar: hclString(term) };
  if ('one' in term) return { scalar: bindings[term.one] };
  if ('many' in term) return { list: bindings[term.many] };
  const lists = term.pattern.filter((p): p is Many<N> => typeof p !== 'string' && 'many' in p);
  if (lists.length > LOOP_VARIABLES.length) throw new Error('a pattern of more than three lists');
  if (term.pattern.length === 1 && lists.length === 0) return part(term.pattern[0] as string | One<N>, bindings);
  let loop = 0;
  const text = term.pattern
    .map((p) => {
      if (typeof p === 'string') return hclString(p).slice(1, -1);
      return `\${${'one' in p ? bindings[p.one] : LOOP_VARIABLES[loop++]}}`;
    })
    .join('');
  if (lists.length === 0) return { scalar: `"${text}"` };
  // One string per combination, the first list outermost: nested `for`, flattened.
  let list = `"${text}"`;
  for (let i = lists.length - 1; i >= 0; i--) list = `[for ${LOOP_VARIABLES[i]} in ${bindings[lists[i].many]} : ${list}]`;
  return { list: lists.length > 1 ? `flatten(${list})` : list };
}

/** `terms` as an expression of a list, when they are more than one string. */
function listOf<N extends string>(terms: readonly Term<N>[], bindings: Bindings<N>): string {
  const parts = terms.map((t) => part(t, bindings));
  if (parts.length === 1 && 'list' in parts[0]) return parts[0].list;
  if (parts.every((p) => 'scalar' in p)) return hclLayout(parts.map((p) => (p as { scalar: string }).scalar)).join('\n');
  // Runs of strings as tuples, lists as they are: concat keeps the order.
  const groups: string[] = [];
  let run: string[] = [];
  for (const p of parts) {
    if ('scalar' in p) run.push(p.scalar);
    else {
      if (run.length > 0) groups.push(`[${run.join(', ')}]`);
      run = [];
      groups.push(p.list);
    }
  }
  if (run.length > 0) groups.push(`[${run.join(', ')}]`);
  return `concat(${groups.join(', ')})`;
}

/** The one string of `terms`, when they are one string. */
function scalarOf<N extends string>(terms: readonly Term<N>[], bindings: Bindings<N>): string | undefined {
  if (terms.length !== 1) return undefined;
  const p = part(terms[0], bindings);
  return 'scalar' in p ? p.scalar : undefined;
}

/** `test` as an HCL condition. */
function condition<N extends string>(test: Test<N>, bindings: Bindings<N>): string {
  if ('isTrue' in test) return bindings[test.isTrue];
  if ('isSet' in test) return `${bindings[test.isSet]} != null`;
  if ('nonEmpty' in test) return `length(${bindings[test.nonEmpty]}) > 0`;
  if ('not' in test) {
    const inner = test.not;
    if ('isTrue' in inner) return `!${bindings[inner.isTrue]}`;
    if ('isSet' in inner) return `${bindings[inner.isSet]} == null`;
    if ('nonEmpty' in inner) return `length(${bindings[inner.nonEmpty]}) == 0`;
    return `!(${condition(inner, bindings)})`;
  }
  if ('all' in test) return test.all.map((t) => ('any' in t ? `(${condition(t, bindings)})` : condition(t, bindings))).join(' && ');
  return test.any.map((t) => ('all' in t ? `(${condition(t, bindings)})` : condition(t, bindings))).join(' || ');
}

/** `name` (a table's value name, camel case) in snake case: `stateBucketArns` is `state_bucket_arns`. */
const snake = (name: string) => name.replace(/(?<=[a-z0-9])(?=[A-Z])/g, '_').toLowerCase();

/** The name of a row's statement in the module (its local is `statement_<name>`): its `name`, else its Sid in snake case. */
function rowName(row: StatementRow<string>): string {
  if (row.name !== undefined) return row.name;
  if (row.sid === undefined) throw new Error('a statement row needs a name or a Sid');
  return snake(row.sid);
}

/**
 * The locals of one row, added to `locals`: its resources as a local when they are a list, distinct and
 * reverse-sorted as `policyStatement` writes them (named after the value when they are one list value, else
 * `<name>_resources`; shared by the rows with the same list), then `statement_<name>`, the
 * statement's JSON, null when the row does not apply.
 */
function addRowLocals<N extends string>(locals: Record<string, string>, row: StatementRow<N>, bindings: Bindings<N>): void {
  const name = rowName(row);
  const add = (local: string, value: string) => {
    if (local in locals && locals[local] !== value) throw new Error(`two locals named ${local}`);
    locals[local] = value;
  };
  let resource = scalarOf(row.resources, bindings);
  if (resource === undefined) {
    const only = row.resources.length === 1 && typeof row.resources[0] !== 'string' && 'many' in row.resources[0] ? row.resources[0].many : undefined;
    const value = expr(`reverse(sort(distinct(${listOf(row.resources, bindings)})))`);
    // The same list as an earlier row's: that row's local.
    let local = Object.keys(locals).find((l) => l.endsWith('_resources') && locals[l] === value) ?? (only !== undefined ? snake(only) : `${name}_resources`);
    if (only !== undefined && bindings[only] === `local.${local}`) local = `${local}_resources`;
    add(local, value);
    resource = oneOrList(`local.${local}`);
  }
  const fields: Record<string, HclValue> = { Action: actionsValue(row.actions) };
  if (row.conditions !== undefined && row.conditions.length > 0) {
    const operators: Record<string, Record<string, string>> = {};
    for (const c of [...row.conditions].sort((a, b) => (a.test < b.test ? -1 : a.test > b.test ? 1 : a.variable < b.variable ? -1 : 1))) {
      const keys = (operators[c.test] ??= {});
      if (c.variable in keys) throw new Error(`${name}: ${c.test} ${c.variable} twice`);
      keys[c.variable] = scalarOf(c.values, bindings) ?? oneOrList(listOf(c.values, bindings));
    }
    fields.Condition = operators;
  }
  fields.Effect = hclString(row.effect ?? 'Allow');
  fields.Resource = resource;
  if (row.sid !== undefined) fields.Sid = hclString(row.sid);
  const statement = jsonencodeStatement(fields);
  add(`statement_${name}`, expr(row.when === undefined ? statement : `${condition(row.when, bindings)} ? ${statement} : null`));
}

/**
 * The locals that write `table` with `bindings`: `locals` (the module's own, which the bindings may read),
 * then each row's (see `addRowLocals`), `statements` (the JSON of those that apply, in order) and `document`,
 * with its comment.
 */
export function statementLocals<N extends string>(table: StatementTable<N>, bindings: Bindings<N>, locals: Record<string, string> = {}): Record<string, string> {
  const names = table.map(rowName);
  if (new Set(names).size !== names.length) throw new Error(`statement names twice: ${names.join(', ')}`);
  const out = { ...locals };
  for (const row of table) addRowLocals(out, row, bindings);
  const list = hclLayout(
    names.map((n) => `local.statement_${n}`),
    0,
  ).join('\n');
  // compact drops the nulls of the rows that do not apply.
  const statements = table.some((row) => row.when !== undefined) ? `compact(${list})` : list;
  return { ...out, statements: expr(statements), ...documentLocals() };
}
