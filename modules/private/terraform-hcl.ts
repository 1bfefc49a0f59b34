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

import { hclLayout, type HclValue, layoutExpression } from './hcl-layout';
import { closingIndex, escapeQuoted } from './hcl-scan';

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
          : composite(value, indent, template);
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

/** A literal value (a variable's default): strings are not templates, so `${` and `%{` are escaped. */
function literal(value: unknown, indent: number): string[] {
  if (typeof value === 'string') return [literalString(value)];
  return composite(value, indent, literalString);
}

function literalString(text: string): string {
  return `"${escapeQuoted(text).replace(/\$\{/g, '$$$${').replace(/%\{/g, '%%{')}"`;
}

/** A JSON tuple or object as HCL lines (`hclLayout`), its strings written by `leaf`: as expressions, or as literal text. */
function composite(value: unknown, indent: number, leaf: (text: string) => string): string[] {
  return hclLayout(hclValue(value, leaf), indent, { expandObjects: true });
}

function hclValue(value: unknown, leaf: (text: string) => string): HclValue {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') {
    const text = leaf(value);
    if (text.includes('\n')) throw new Error(`hclConfiguration: an expression on several lines inside a tuple or object: ${text}`);
    return text;
  }
  if (Array.isArray(value)) return value.map((v) => hclValue(v, leaf));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => k !== '//');
    for (const [k] of entries) if (k.startsWith('(') || /[$%]\{/.test(k)) throw new Error(`hclConfiguration: no rule for the object key ${k}`);
    return Object.fromEntries(entries.map(([k, v]) => [k, hclValue(v, leaf)]));
  }
  throw new Error(`hclConfiguration: no HCL for the value ${String(value)}`);
}

/**
 * A JSON-syntax string template as HCL: the expression itself when the string is one interpolation, else a
 * quoted template whose literal parts are escaped for HCL and whose interpolations are kept as written.
 */
export function template(text: string): string {
  const expression = singleInterpolation(text);
  if (expression !== undefined) return expression;
  const parts = templateParts(text);
  return `"${parts.map((p) => (p.interpolation ? p.text : escapeQuoted(p.text))).join('')}"`;
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
      const end = closingIndex(text, i + 1);
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
