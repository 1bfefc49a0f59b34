/**
 * A stack's Terraform JSON as Terraform reads it, before any resource is looked at: its blocks, every
 * value walked without recursion, and a digest of a value together with everything in the stack it refers
 * to.
 *
 * What Terraform accepts and `JSON.parse` alone would misread (HCL's JSON syntax specification,
 * hashicorp/hcl `json/spec.md`, "Blocks" and "Bodies"):
 * - a body is "either a single JSON object or a JSON array of objects", and each labelling level of a
 *   block type "a nested JSON object or JSON array of objects": `"resource": [{…}, {…}]`,
 *   `"aws_iam_role": [{"a": {…}}]` and `"a": [{…}]` are all valid, and are read here as Terraform does;
 * - "A JSON HCL parser must support duplicate definitions of the same property name within a single
 *   object, preserving all of them": a file with two `"resource"` keys is two sets of resources, of which
 *   `JSON.parse` keeps the last only. `duplicateKeys` finds them in the text, and the reader refuses them;
 * - the property `"//"` in a body is a comment, and is ignored.
 * Strings are templates: `${…}` an interpolation, `%{…}` a directive, `$${` and `%%{` their escapes
 * (Terraform language docs, "JSON Configuration Syntax").
 *
 * Every walk here keeps its own stack: a value nested a million levels deep is read, never a
 * `Maximum call stack size exceeded`.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../../../core/policy-error';

/** A JSON object, as parsed. */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One block: its labels (a resource's type and name) and its body. */
export interface Block {
  readonly labels: readonly string[];
  readonly body: JsonObject;
  /** Where it is in the file, for errors: `resource.aws_iam_role.ci`. */
  readonly field: string;
}

/**
 * The blocks of one block type, given the value of its property (`json.resource`) and how many labels it
 * takes (`resource`: 2, `module`: 1, `locals`: 0). A level that is neither an object nor an array of
 * objects, and a body that is `null` or not an object, are findings: Terraform refuses them too.
 */
export function blocksOf(value: unknown, labels: number, field: string, findings: Finding[]): Block[] {
  const out: Block[] = [];
  // Each entry: a value at some labelling level, with the labels read so far.
  const stack: { value: unknown; labels: string[]; field: string }[] = [{ value, labels: [], field }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    const level = next.labels.length;
    const objects = objectsOf(next.value, next.field, level < labels ? 'a block label level' : 'a block body', findings);
    if (level === labels) {
      for (const body of objects) out.push({ labels: next.labels, body, field: next.field });
      continue;
    }
    // Pushed in reverse so that blocks come out in the file's order.
    const children: { value: unknown; labels: string[]; field: string }[] = [];
    for (const object of objects) {
      for (const [key, child] of Object.entries(object)) {
        if (key === '//') continue;
        children.push({ value: child, labels: [...next.labels, key], field: `${next.field}.${key}` });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

/** A level of a block: one object, or an array of objects. */
function objectsOf(value: unknown, field: string, what: string, findings: Finding[]): JsonObject[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) {
    const objects: JsonObject[] = [];
    value.forEach((item, i) => {
      if (isObject(item)) objects.push(item);
      else findings.push(notAnObject(`${field}[${i}]`, item, what));
    });
    return objects;
  }
  findings.push(notAnObject(field, value, what));
  return [];
}

function notAnObject(field: string, value: unknown, what: string): Finding {
  return {
    field,
    value: value === null ? null : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : value,
    problem: `is ${value === null ? 'null' : `a ${Array.isArray(value) ? 'array' : typeof value}`}, not ${what} (a JSON object, or an array of objects, in HCL's JSON syntax)`,
    fix: 'synthesize the stack again, or write the block as a JSON object',
  };
}

/**
 * Where an object of `text` (JSON that parses) holds the same key twice: HCL keeps both, `JSON.parse` the
 * last only. Each as the path of the object and the key. A scan of the text, without recursion.
 */
export function duplicateKeys(text: string, limit = 5): { path: string; key: string }[] {
  const found: { path: string; key: string }[] = [];
  interface Frame {
    readonly object: boolean;
    readonly keys: Set<string>;
    readonly path: string;
    expectKey: boolean;
    lastKey: string;
    index: number;
  }
  const frames: Frame[] = [];
  const childPath = (): string => {
    const top = frames[frames.length - 1];
    if (top === undefined) return '';
    const step = top.object ? top.lastKey : `[${top.index}]`;
    return top.path === '' ? step : top.object ? `${top.path}.${step}` : `${top.path}${step}`;
  };
  for (let i = 0; i < text.length && found.length < limit; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = frames[frames.length - 1];
      if (top?.object && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) found.push({ path: top.path, key });
        top.keys.add(key);
        top.lastKey = key;
        top.expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      const path = childPath();
      frames.push({ object: c === '{', keys: new Set(), path, expectKey: c === '{', lastKey: '', index: 0 });
    } else if (c === '}' || c === ']') frames.pop();
    else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top?.object) top.expectKey = true;
      else if (top !== undefined) top.index++;
    }
  }
  return found;
}

/** Every string in `value` with where it is (`field` and the path below it), without recursion. */
export function stringsIn(value: unknown, field: string): [string, string][] {
  const out: [string, string][] = [];
  const stack: [unknown, string][] = [[value, field]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') out.push([at, v]);
    else if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}[${i}]`]);
    else if (isObject(v)) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) if (entries[i][0] !== '//') stack.push([entries[i][1], `${at}.${entries[i][0]}`]);
    }
  }
  return out;
}

/** Whether `value` nests objects and arrays deeper than `limit`, found without recursion. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > limit) return true;
    if (Array.isArray(v)) for (const x of v) stack.push([x, depth + 1]);
    else if (isObject(v)) for (const x of Object.values(v)) stack.push([x, depth + 1]);
  }
  return false;
}

/**
 * `value` as JSON with every object's keys sorted (the `"//"` comments left out), without recursion: two
 * values that Terraform reads alike but that are written in another key order give the same text.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  // Either a value to write, or a literal piece of text (brackets, commas, keys).
  const stack: ({ value: unknown } | { text: string })[] = [{ value }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('text' in item) {
      parts.push(item.text);
      continue;
    }
    const v = item.value;
    if (Array.isArray(v)) {
      const pieces: ({ value: unknown } | { text: string })[] = [{ text: '[' }];
      v.forEach((x, i) => {
        if (i > 0) pieces.push({ text: ',' });
        pieces.push({ value: x });
      });
      pieces.push({ text: ']' });
      for (let i = pieces.length - 1; i >= 0; i--) stack.push(pieces[i]);
    } else if (isObject(v)) {
      const keys = Object.keys(v)
        .filter((k) => k !== '//' && v[k] !== undefined)
        .sort();
      const pieces: ({ value: unknown } | { text: string })[] = [{ text: '{' }];
      keys.forEach((k, i) => {
        pieces.push({ text: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` }, { value: v[k] });
      });
      pieces.push({ text: '}' });
      for (let i = pieces.length - 1; i >= 0; i--) stack.push(pieces[i]);
    } else parts.push(JSON.stringify(v) ?? 'null');
  }
  return parts.join('');
}

/** A short, stable digest of a text. */
export function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/**
 * The expressions of a template string: the text inside each `${…}` and `%{…}` (escapes `$${`, `%%{`
 * skipped), braces and quoted strings inside it followed to its own closing brace.
 */
export function templateExpressions(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') {
      i += 2;
      continue;
    }
    if ((c !== '$' && c !== '%') || text[i + 1] !== '{') continue;
    let depth = 1;
    let j = i + 2;
    let quoted = false;
    for (; j < text.length && depth > 0; j++) {
      const d = text[j];
      if (quoted) {
        if (d === '\\') j++;
        else if (d === '"') quoted = false;
      } else if (d === '"') quoted = true;
      else if (d === '{') depth++;
      else if (d === '}') depth--;
    }
    out.push(text.slice(i + 2, depth === 0 ? j - 1 : j));
    i = j - 1;
  }
  return out;
}

/** Whether a string of the stack holds an interpolation or a directive (is not a literal). */
export function isTemplate(text: string): boolean {
  return templateExpressions(text).length > 0;
}

/** Terraform functions whose result comes from outside the configuration: files of the module, the clock, randomness. */
const OUTSIDE_FUNCTIONS: Readonly<Record<string, string>> = {
  file: 'a file it reads (file)',
  fileexists: 'a file it reads (fileexists)',
  fileset: 'the files it lists (fileset)',
  filebase64: 'a file it reads (filebase64)',
  filebase64sha256: 'a file it reads (filebase64sha256)',
  filebase64sha512: 'a file it reads (filebase64sha512)',
  filemd5: 'a file it reads (filemd5)',
  filesha1: 'a file it reads (filesha1)',
  filesha256: 'a file it reads (filesha256)',
  filesha512: 'a file it reads (filesha512)',
  templatefile: 'a template file it reads (templatefile)',
  timestamp: 'the time of the plan (timestamp)',
  plantimestamp: 'the time of the plan (plantimestamp)',
  uuid: 'a random value (uuid)',
};

/** The blocks of a stack a template can refer to, by the name it refers to them with. */
export interface ReferableBlocks {
  /** `aws_iam_role.ci` → its body; also `data.aws_iam_policy_document.x`, `module.roles`, `var.name`, `local.name`. */
  readonly byName: ReadonlyMap<string, unknown>;
  /** The resource types of the stack (a reference `aws_iam_role.ci` starts with one of them). */
  readonly resourceTypes: ReadonlySet<string>;
}

/** What a value refers to, all the way down, and its digest with all of it. */
export interface Closure {
  /** A digest of the value and of every block of the stack it refers to, directly or not. */
  readonly digest: string;
  /** The blocks it refers to, sorted (`data.aws_iam_policy_document.x`, `var.name`). */
  readonly refersTo: readonly string[];
  /** What its content depends on that the stack's JSON does not hold (a variable's value, a file), sorted. */
  readonly outside: readonly string[];
}

const REFERENCE = /(?<![\w.])(data\.[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*|module\.[A-Za-z_][\w-]*|var\.[A-Za-z_][\w-]*|local\.[A-Za-z_][\w-]*|terraform\.workspace|[A-Za-z][\w]*\.[A-Za-z_][\w-]*)/g;
const CALL = /(?<![\w.])([a-z][a-z0-9_]*)\s*\(/g;

/**
 * The closure of `value` in the stack: every block it refers to through its templates, and what those
 * refer to, with the digest of all of it (in a canonical form: a key order or a reformatting changes no
 * digest). Over-inclusive by design: a name that only looks like a reference adds to the digest, which
 * can only make a change show, never hide one.
 */
export function closureOf(value: unknown, blocks: ReferableBlocks): Closure {
  const seen = new Map<string, string>();
  const outside = new Set<string>();
  const queue: unknown[] = [value];
  while (queue.length > 0) {
    const next = queue.pop();
    for (const [, text] of stringsIn(next, '')) {
      for (const expression of templateExpressions(text)) {
        for (const [, call] of expression.matchAll(CALL)) if (OUTSIDE_FUNCTIONS[call] !== undefined) outside.add(OUTSIDE_FUNCTIONS[call]);
        for (const [, name] of expression.matchAll(REFERENCE)) {
          if (name === 'terraform.workspace') {
            outside.add('the Terraform workspace it is planned in (terraform.workspace)');
            continue;
          }
          const head = name.split('.')[0];
          if (head !== 'data' && head !== 'module' && head !== 'var' && head !== 'local' && !blocks.resourceTypes.has(head)) continue;
          if (seen.has(name)) continue;
          const block = blocks.byName.get(name);
          if (head === 'var') outside.add(`the value of variable ${name.slice(4)}, given at plan time`);
          if (block === undefined) {
            seen.set(name, 'absent');
            continue;
          }
          seen.set(name, canonicalJson(block));
          queue.push(block);
        }
      }
    }
  }
  const refersTo = [...seen.keys()].sort();
  const text = canonicalJson({ value, refersTo: refersTo.map((name) => [name, seen.get(name)]) });
  return { digest: digestOf(text), refersTo, outside: [...outside].sort() };
}
