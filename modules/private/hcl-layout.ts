/**
 * Long HCL expressions broken over lines, so that a validation's condition or a local reads as its parts
 * rather than as one line of several hundred characters. Pure: no cdktf, no file system.
 *
 * Only where newlines mean nothing to HCL: inside the parentheses of a call and the brackets of a tuple or a
 * `for` expression ("Native Syntax Specification", hashicorp/hcl hclsyntax/spec.md: newlines are ignored
 * inside `(`, `[`, and significant inside `{`, where they end an object's item). A string is never broken, an
 * object constructor never opened. The lines are indented as `terraform fmt` indents them (hashicorp/hcl
 * hclwrite/format.go formatIndent: one level for each line that opens more brackets than it closes), so the
 * committed files stay what `terraform fmt` writes.
 */

import { closingIndex } from './hcl-scan';
import { hclString } from './terraform-module-files';

// --- values: tuples and objects ---------------------------------------------------------------------------

/** An HCL value to lay out: an expression (one line), a tuple, or an object (attributes in order). */
export type HclValue = string | readonly HclValue[] | HclObject;
export interface HclObject {
  readonly [key: string]: HclValue;
}

/** Lines wider than this are broken, one element or attribute per line (`terraform fmt` leaves either alone). */
const WIDTH = 100;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * An object key as HCL writes it: an identifier as it is, an expression key (written in parentheses, e.g.
 * `("${local.provider}:aud")`) as it is, any other text quoted (`"iam:PassedToService"`).
 */
function hclKey(key: string): string {
  return IDENTIFIER.test(key) || /^\(.*\)$/.test(key) ? key : hclString(key);
}

/** How `hclLayout` breaks a value over lines. */
export interface HclLayoutOptions {
  /** The value itself (not what it holds) one element or attribute per line, even where it fits on one. */
  readonly multiline?: boolean;
  /** Every object, at any depth, one attribute per line (a module's locals and defaults, as terraform-hcl.ts writes them). */
  readonly expandObjects?: boolean;
}

/**
 * `value` as lines of HCL: the first line as it follows `key = `, each further line indented by `indent`, the
 * indent of the line the value starts on (a statement's object, laid out at 0, is indented further by the
 * module file's writer, terraform-hcl.ts). A tuple or object that does not fit in the width is written one
 * element or attribute per line; attributes on lines of their own are aligned at `=` in runs of one-line
 * attributes, as `terraform fmt` aligns them.
 */
export function hclLayout(value: HclValue, indent = 0, options: HclLayoutOptions = {}): string[] {
  const inner: HclLayoutOptions = { expandObjects: options.expandObjects };
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value) && Object.keys(value).length === 0) return ['{}'];
  const pad = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    const items = (value as readonly HclValue[]).map((v) => hclLayout(v, indent + 2, inner));
    const oneLine = `[${items.map((i) => i[0]).join(', ')}]`;
    if (!options.multiline && items.every((i) => i.length === 1) && indent + oneLine.length <= WIDTH) return [oneLine];
    return ['[', ...items.flatMap((i) => [`${pad}${i[0]}`, ...i.slice(1)].map((line, n, all) => (n === all.length - 1 ? `${line},` : line))), `${' '.repeat(indent)}]`];
  }
  const entries = Object.entries(value as HclObject).map(([k, v]) => [hclKey(k), hclLayout(v, indent + 2, inner)] as const);
  const oneLine = `{ ${entries.map(([k, v]) => `${k} = ${v[0]}`).join(', ')} }`;
  if (!options.multiline && !options.expandObjects && entries.every(([, v]) => v.length === 1) && indent + oneLine.length <= WIDTH) return [oneLine];
  const lines: string[] = ['{'];
  for (let i = 0; i < entries.length;) {
    const [key, v] = entries[i];
    if (v.length > 1) {
      lines.push(`${pad}${key} = ${v[0]}`, ...v.slice(1));
      i++;
      continue;
    }
    let j = i;
    while (j < entries.length && entries[j][1].length === 1) j++;
    const width = Math.max(...entries.slice(i, j).map(([k]) => k.length));
    for (const [k, [line]] of entries.slice(i, j)) lines.push(`${pad}${k.padEnd(width)} = ${line}`);
    i = j;
  }
  return [...lines, `${' '.repeat(indent)}}`];
}

// --- one expression ---------------------------------------------------------------------------------------

/** The column past which an expression is broken, when it can be. */
export const LINE_WIDTH = 120;

/** A bracketed part of an expression: `(…)` or `[…]` (or `{…}`, `"…"`, which are kept whole). */
interface Group {
  readonly open: number;
  readonly close: number;
}

/**
 * `text` (an expression on one line) as lines: the first continues a line whose text so far is `column`
 * characters wide; every further line carries its own indent, `indent` being that of the line the expression
 * starts on.
 */
export function layoutExpression(text: string, indent: number, column: number): string[] {
  // Laid out already by its generator (a statement's object, terraform-statements.ts): its lines kept, each
  // further one indented from the line the expression starts on.
  if (text.includes('\n')) return text.split('\n').map((line, i) => (i === 0 || line === '' ? line : `${' '.repeat(indent)}${line}`));
  if (column + text.length <= LINE_WIDTH) return [text];
  const group = widestGroup(text);
  if (group === undefined) return [text];
  let open = group.open;
  let close = group.close;
  // A call or a tuple that holds one bracketed thing opens both on one line: `alltrue([` … `])`.
  for (;;) {
    const inner = text.slice(open + 1, close).trim();
    const only = topLevelGroups(inner);
    const nested = only.length === 1 && only[0].open === 0 && only[0].close === inner.length - 1 && '(['.includes(inner[0]) ? only[0] : undefined;
    if (nested === undefined) break;
    const start = text.indexOf(inner, open + 1);
    open = start + nested.open;
    close = start + nested.close;
  }
  const head = text.slice(0, open + 1);
  const tail = text.slice(close);
  const inner = text.slice(open + 1, close).trim();
  const pad = ' '.repeat(indent + 2);
  // A `for` expression's head holds a comma of its own (`for i, x in …`): it is one element.
  const parts = /^for\s/.test(inner) ? [inner] : splitTopLevel(inner, ',');
  const body: string[] = [];
  parts.forEach((part, i) => {
    const comma = parts.length > 1 && i < parts.length - 1 ? ',' : '';
    for (const [j, line] of bodyLines(part, indent + 2).entries()) body.push(j === 0 ? `${pad}${line}` : line);
    body[body.length - 1] += comma;
  });
  // The rest stays on the closing line: a line that closes and opens as many brackets keeps the inner
  // indent in terraform fmt, so breaking it again would not be what fmt writes.
  return [head, ...body, `${' '.repeat(indent)}${tail}`];
}

/** One element of a broken group: a `for` expression's head and body on a line each when too long, else as it lays out. */
function bodyLines(part: string, indent: number): string[] {
  const forHead = /^for\s[^:]*?:\s/.exec(part);
  if (forHead !== undefined && forHead !== null && topLevelIndex(part, ' : ') === forHead[0].length - 3 && indent + part.length > LINE_WIDTH) {
    const head = forHead[0].trimEnd();
    const rest = part.slice(forHead[0].length);
    return [head, ...layoutExpression(rest, indent, indent).map((line, i) => (i === 0 ? `${' '.repeat(indent)}${line}` : line))];
  }
  return layoutExpression(part, indent, indent);
}

/** The widest `(…)` or `[…]` group at the top level of `text`, when it is wide enough to be worth a break. */
function widestGroup(text: string): Group | undefined {
  const groups = topLevelGroups(text).filter((g) => '(['.includes(text[g.open]) && g.close - g.open > 40);
  return groups.sort((a, b) => b.close - b.open - (a.close - a.open) || a.open - b.open)[0];
}

/** The groups at the top level of `text`: brackets, braces and quoted strings, each with where it opens and closes. */
function topLevelGroups(text: string): Group[] {
  const groups: Group[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '(' || c === '[' || c === '{') {
      const close = closingIndex(text, i);
      if (c !== '"') groups.push({ open: i, close });
      i = close;
    }
  }
  return groups;
}

/** `text` split at each top-level `separator` (outside brackets and strings), each part trimmed. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '(' || c === '[' || c === '{') i = closingIndex(text, i);
    else if (text.startsWith(separator, i)) {
      parts.push(text.slice(start, i).trim());
      start = i + separator.length;
    }
  }
  const last = text.slice(start).trim();
  if (last !== '' || parts.length === 0) parts.push(last);
  return parts;
}

/** Where `needle` first occurs at the top level of `text`; -1 when it does not. */
function topLevelIndex(text: string, needle: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '(' || c === '[' || c === '{') i = closingIndex(text, i);
    else if (text.startsWith(needle, i)) return i;
  }
  return -1;
}
