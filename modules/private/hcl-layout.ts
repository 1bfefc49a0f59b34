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
      const close = closing(text, i);
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
    if (c === '"' || c === '(' || c === '[' || c === '{') i = closing(text, i);
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
    if (c === '"' || c === '(' || c === '[' || c === '{') i = closing(text, i);
    else if (text.startsWith(needle, i)) return i;
  }
  return -1;
}

/** The index that closes the bracket or quote at `open`, across nested brackets, strings and `${…}` in strings. */
function closing(text: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  if (text[open] === '"') {
    for (let j = open + 1; j < text.length; j++) {
      const c = text[j];
      if (c === '\\') j++;
      else if (c === '"') return j;
      else if ((c === '$' || c === '%') && text[j + 1] === c && text[j + 2] === '{') j += 2;
      else if ((c === '$' || c === '%') && text[j + 1] === '{') j = closing(text, j + 1);
    }
    throw new Error(`layoutExpression: a string that does not end: ${text.slice(open)}`);
  }
  const want = pairs[text[open]];
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === want) return j;
    if (c === '"' || c in pairs) j = closing(text, j);
  }
  throw new Error(`layoutExpression: a bracket that does not close: ${text.slice(open)}`);
}
