/**
 * A generated module's configuration, built as Terraform's JSON syntax (the form the generators compose and
 * the tests read), written out in HCL native syntax: the `.tf` files an HCL team reads, reviews and forks.
 * The output is what `terraform fmt` writes (two-space indent, `=` aligned across consecutive one-line
 * attributes), so `terraform fmt -check` accepts the committed files unchanged. Pure: no cdktf, no file system.
 *
 * The meaning is Terraform's own ("JSON Configuration Syntax",
 * https://developer.hashicorp.com/terraform/language/syntax/json): a JSON string is a string template, and
 * one that is a single interpolation is that expression's value; `"//"` is a comment; a variable's `type` is a
 * type expression and its `default` a literal value; `validation`, `precondition`, `lifecycle` and
 * `required_providers` are nested blocks. Every generated module is applied by the tests from these files.
 */

import { layoutExpression } from './hcl-layout';

/** Nested block types by the block that holds them: everything else in a body is an attribute. */
const NESTED_BLOCKS: Record<string, readonly string[]> = {
  variable: ['validation'],
  output: ['precondition'],
  resource: ['lifecycle'],
  data: ['lifecycle'],
  lifecycle: ['precondition', 'postcondition'],
  terraform: ['required_providers'],
};

/** Top-level block types and how many labels each takes (`resource "type" "name"`). */
const LABELS: Record<string, number> = { variable: 1, output: 1, module: 1, provider: 1, resource: 2, data: 2, locals: 0, terraform: 0 };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** One output line: its indent, its text, and whether it is an `=` assignment whole on its line (fmt aligns those). */
interface Line {
  readonly indent: number;
  readonly text: string;
  /** Length of the key, when the line is `key = value` with the value on the line. */
  readonly key?: number;
}

/** The HCL text of a Terraform JSON configuration (one file's object), with `comment` at the top. */
export function hclConfiguration(config: Record<string, unknown>): string {
  const lines: Line[] = [];
  const comment = config['//'];
  if (typeof comment === 'string') lines.push(...commentLines(0, comment), { indent: 0, text: '' });
  for (const [type, value] of Object.entries(config)) {
    if (type === '//') continue;
    if (!(type in LABELS)) throw new Error(`hclConfiguration: no rule for the top-level block type ${type}`);
    for (const body of asBlocks(value)) {
      for (const [labels, inner] of labelled(body, LABELS[type])) {
        block(lines, 0, type, labels, inner as Record<string, unknown>, type);
        lines.push({ indent: 0, text: '' });
      }
    }
  }
  while (lines.length > 0 && lines[lines.length - 1].text === '') lines.pop();
  return `${aligned(lines).join('\n')}\n`;
}

/** A block's bodies: JSON syntax lets a block type's value be an object or an array of objects. */
function asBlocks(value: unknown): Record<string, unknown>[] {
  return (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
}

/** The `[labels, body]` of each block under an object of `depth` levels of labels. */
function labelled(value: Record<string, unknown>, depth: number): [string[], unknown][] {
  if (depth === 0) return [[[], value]];
  return Object.entries(value)
    .filter(([key]) => key !== '//')
    .flatMap(([key, inner]) => asBlocks(inner).flatMap((b) => labelled(b, depth - 1).map(([rest, body]): [string[], unknown] => [[key, ...rest], body])));
}

function commentLines(indent: number, text: string): Line[] {
  return text.split('\n').map((t) => ({ indent, text: `# ${t}`.trimEnd() }));
}

function block(lines: Line[], indent: number, type: string, labels: readonly string[], body: Record<string, unknown>, context: string): void {
  lines.push({ indent, text: `${[type, ...labels.map((l) => JSON.stringify(l))].join(' ')} {` });
  const nested = NESTED_BLOCKS[context] ?? [];
  const entries = Object.entries(body);
  // Attributes first, then nested blocks, each block after a blank line, as HCL modules are written.
  for (const [key, value] of entries) {
    if (key === '//') lines.push(...commentLines(indent + 2, String(value)));
    else if (!nested.includes(key)) attribute(lines, indent + 2, key, value, context);
  }
  for (const [key, value] of entries) {
    if (key === '//' || !nested.includes(key)) continue;
    for (const inner of asBlocks(value)) {
      if (!lines[lines.length - 1].text.endsWith('{')) lines.push({ indent: 0, text: '' });
      block(lines, indent + 2, key, [], inner, key);
    }
  }
  lines.push({ indent, text: '}' });
}

function attribute(lines: Line[], indent: number, key: string, value: unknown, context: string): void {
  const name = IDENTIFIER.test(key) ? key : JSON.stringify(key);
  const rendered =
    context === 'variable' && key === 'type'
      ? [String(value)]
      : context === 'variable' && key === 'default'
        ? literal(value, indent)
        : typeof value === 'string'
          ? layoutExpression(template(value), indent, indent + name.length + 3)
          : expression(value, indent);
  pushAssignment(lines, indent, name, rendered);
}

function pushAssignment(lines: Line[], indent: number, name: string, rendered: readonly string[]): void {
  if (rendered.length === 1) {
    lines.push({ indent, text: `${name} = ${rendered[0]}`, key: name.length });
    return;
  }
  lines.push({ indent, text: `${name} = ${rendered[0]}` });
  for (const line of rendered.slice(1)) lines.push({ indent: 0, text: line });
}

/**
 * A JSON-syntax value as an HCL expression: one line, or several where an object or a long list reads
 * better one element per line. Continuation lines carry their full indent (`indent` is the attribute's).
 */
function expression(value: unknown, indent: number): string[] {
  if (typeof value === 'string') {
    // An expression a generator laid out on several lines (a statement's object, terraform-statements.ts)
    // keeps its lines, each further one indented from the attribute's own line.
    const [first, ...rest] = template(value).split('\n');
    return [first, ...rest.map((line) => (line === '' ? line : `${' '.repeat(indent)}${line}`))];
  }
  return composite(value, indent, expression);
}

/** A literal value (a variable's default): strings are not templates, so `${` and `%{` are escaped. */
function literal(value: unknown, indent: number): string[] {
  if (typeof value === 'string') return [`"${escapeLiteral(value).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{')}"`];
  return composite(value, indent, literal);
}

function composite(value: unknown, indent: number, element: (v: unknown, indent: number) => string[]): string[] {
  if (value === null) return ['null'];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value)) {
    const items = value.map((v) => element(v, indent + 2));
    const oneLine = `[${items.map((i) => i[0]).join(', ')}]`;
    if (items.every((i) => i.length === 1) && indent + oneLine.length <= 100) return [oneLine];
    return ['[', ...items.flatMap((i) => withComma(i, indent + 2)), `${' '.repeat(indent)}]`];
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => k !== '//');
    if (entries.length === 0) return ['{}'];
    const inner: Line[] = [];
    for (const [k, v] of entries) {
      pushAssignment(inner, indent + 2, IDENTIFIER.test(k) ? k : JSON.stringify(k), element(v, indent + 2));
    }
    return ['{', ...aligned(inner), `${' '.repeat(indent)}}`];
  }
  throw new Error(`hclConfiguration: no HCL for the value ${String(value)}`);
}

function withComma(item: readonly string[], indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (item.length === 1) return [`${pad}${item[0]},`];
  return [`${pad}${item[0]}`, ...item.slice(1, -1), `${item[item.length - 1]},`];
}

/** The literal parts of a string as the inside of an HCL quoted string. */
function escapeLiteral(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}

/**
 * A JSON-syntax string template as HCL: the expression itself when the string is one interpolation, else a
 * quoted template whose literal parts are escaped for HCL and whose interpolations are kept as written.
 */
export function template(text: string): string {
  const expression = singleInterpolation(text);
  if (expression !== undefined) return expression;
  const parts = templateParts(text);
  return `"${parts.map((p) => (p.interpolation ? p.text : escapeLiteral(p.text))).join('')}"`;
}

/** The expression of a JSON-syntax string that is one `${…}` interpolation and nothing else; else undefined. */
export function singleInterpolation(text: string): string | undefined {
  const parts = templateParts(text);
  const only = parts.length === 1 && parts[0].interpolation ? parts[0].text : undefined;
  return only !== undefined && only.startsWith('${') && !/^\$\{~|~\}$/.test(only) ? only.slice(2, -1) : undefined;
}

interface TemplatePart {
  readonly text: string;
  readonly interpolation: boolean;
}

/** A template split into literal text and `${…}` / `%{…}` sequences (an escaped `$${` or `%%{` is literal). */
function templateParts(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literalStart = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      i += 3;
      continue;
    }
    if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const end = closingBrace(text, i + 1);
      if (i > literalStart) parts.push({ text: text.slice(literalStart, i), interpolation: false });
      parts.push({ text: text.slice(i, end + 1), interpolation: true });
      i = end + 1;
      literalStart = i;
      continue;
    }
    i++;
  }
  if (literalStart < text.length || parts.length === 0) parts.push({ text: text.slice(literalStart), interpolation: false });
  return parts;
}

/** The index of the `}` that closes the `{` at `open`, outside quoted strings (which may hold templates). */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      j = closingQuote(text, j);
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return j;
  }
  throw new Error(`hclConfiguration: an interpolation that does not end: ${text.slice(open - 1)}`);
}

/** The index of the `"` that closes the quoted string opening at `open`, across nested interpolations. */
function closingQuote(text: string, open: number): number {
  for (let j = open + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j;
    else if ((c === '$' || c === '%') && text[j + 1] === c && text[j + 2] === '{') j += 2;
    else if ((c === '$' || c === '%') && text[j + 1] === '{') j = closingBrace(text, j + 1);
  }
  throw new Error(`hclConfiguration: a quoted string that does not end: ${text.slice(open)}`);
}

/** The lines as text, with `=` aligned across runs of consecutive one-line assignments, as `terraform fmt` does. */
function aligned(lines: readonly Line[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].key === undefined) {
      const { indent, text } = lines[i];
      out.push(text === '' ? '' : `${' '.repeat(indent)}${text}`);
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j].key !== undefined) j++;
    const width = Math.max(...lines.slice(i, j).map((l) => l.indent + l.key!));
    for (const l of lines.slice(i, j)) out.push(`${' '.repeat(l.indent)}${l.text.slice(0, l.key)}${' '.repeat(width - l.indent - l.key!)}${l.text.slice(l.key)}`);
    i = j;
  }
  return out;
}

/**
 * A module's files as committed: each `*.tf.json` a generator composes written as the `*.tf` file of the same
 * configuration, every other file (the README) as it is.
 */
export function hclModuleFiles(files: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('.tf.json')) out[path.slice(0, -'.json'.length)] = hclConfiguration(JSON.parse(text) as Record<string, unknown>);
    else out[path] = text;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
