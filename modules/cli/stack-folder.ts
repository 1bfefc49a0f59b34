/**
 * A synthesized stack's folder as Terraform reads it. `cdktf deploy` (and `terraform plan|apply` run there)
 * loads every configuration file of the folder, not only the `cdk.tf.json` cdktf wrote:
 *
 * - every `*.tf` and `*.tf.json` file: "Terraform evaluates all of the configuration files in a module,
 *   effectively treating the entire module as a single document"
 *   (https://developer.hashicorp.com/terraform/language/files);
 * - among them, `override.tf(.json)` and `*_override.tf(.json)` are merged into the others' blocks,
 *   attribute by attribute, after them (https://developer.hashicorp.com/terraform/language/files/override);
 * - `terraform.tfvars(.json)` and `*.auto.tfvars(.json)`, which set the variables' values
 *   (https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files);
 * - under OpenTofu, also `*.tofu` and `*.tofu.json`, a `.tofu` file taking the place of the `.tf` file of the
 *   same name (https://opentofu.org/docs/language/files/);
 * - except names Terraform skips as editor files: starting with `.`, ending with `~`, or starting and
 *   ending with `#` (`configs.IsIgnoredFile` in hashicorp/terraform's internal/configs/parser_config_dir.go).
 *
 * The review reads JSON. A further `*.tf.json` is read with `cdk.tf.json` when the two can be merged the way
 * Terraform merges them, without doubt: it holds only `resource` and `data` blocks, written as objects, none
 * of them also in `cdk.tf.json` (Terraform refuses two blocks with one address). Anything else Terraform
 * loads is an unreviewed file: the diff counts it as widening (exit 1), the report refuses to leave it out
 * (exit 2), on either side of a diff, identical or not: what it does depends on the other files, so an
 * unchanged file says nothing about an unchanged effect. A file Terraform loads that holds a key twice in
 * one object is unreviewed too: Terraform's JSON reads every copy (several blocks), JSON.parse only the last.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SynthesizedStackFile } from '../review';

/** The file cdktf writes, the one the review reads. */
export const STACK_FILE = 'cdk.tf.json';

/** A file Terraform loads from a stack's folder that the review does not read. */
export interface UnreviewedFile {
  readonly stack: string;
  /** As shown in messages, e.g. `cdktf.out/stacks/team/extra.tf`. */
  readonly file: string;
  /** Why the review does not read it. */
  readonly reason: string;
}

/** What a stack's folder holds for Terraform. */
export interface StackFolder {
  /** `cdk.tf.json`, with the further `*.tf.json` files merged in when they can be. */
  readonly stack: SynthesizedStackFile;
  /** Every file Terraform loads from the folder, `cdk.tf.json` first. */
  readonly loaded: readonly string[];
  readonly unreviewed: readonly UnreviewedFile[];
}

/** How Terraform (or OpenTofu) takes a file of a stack's folder, by its name; undefined: it does not load it. */
export type LoadedAs = 'configuration' | 'override' | 'variables' | 'opentofu';

export function loadedAs(name: string): LoadedAs | undefined {
  if (name.startsWith('.') || name.endsWith('~') || (name.startsWith('#') && name.endsWith('#'))) return undefined;
  if (name === 'terraform.tfvars' || name === 'terraform.tfvars.json' || name.endsWith('.auto.tfvars') || name.endsWith('.auto.tfvars.json')) return 'variables';
  const suffix = ['.tf.json', '.tf', '.tofu.json', '.tofu'].find((s) => name.endsWith(s));
  if (suffix === undefined) return undefined;
  if (suffix.startsWith('.tofu')) return 'opentofu';
  const base = name.slice(0, -suffix.length);
  return base === 'override' || base.endsWith('_override') ? 'override' : 'configuration';
}

const REASONS: Record<Exclude<LoadedAs, 'configuration'>, string> = {
  override: "an override file: Terraform merges it into the blocks of the folder's other files, attribute by attribute, which the review does not model",
  variables: "a variable definitions file: Terraform sets the stack's variables from it, which the review does not read",
  opentofu: 'an OpenTofu file: OpenTofu loads it (in place of the .tf file of the same name), which the review does not read',
};

/**
 * Reads the stack folder `dir` of stack `stack`; `shown` is the folder as messages name it. With `since`
 * (when the synth started), a file written before it is said to be left from before: the fix is to remove
 * it. Throws (a plain Error) only when `cdk.tf.json` cannot be read.
 */
export function readStackFolder(dir: string, stack: string, shown: string, since?: number): StackFolder {
  const text = readFileSync(join(dir, STACK_FILE), 'utf8');
  const unreviewed: UnreviewedFile[] = [];
  const file = `${shown}/${STACK_FILE}`;
  const flag = (name: string, reason: string) => {
    let left = false;
    try {
      left = since !== undefined && statSync(join(dir, name)).mtimeMs < Math.floor(since / 1000) * 1000;
    } catch {
      // A link to nothing: Terraform fails on it; the reason says it cannot be read.
    }
    unreviewed.push({ stack, file: `${shown}/${name}`, reason: left ? `${reason} (left in the folder from before this synth: remove it)` : reason });
  };
  const duplicate = duplicateKey(text);
  if (duplicate !== undefined) flag(STACK_FILE, duplicateReason(duplicate));

  // Every entry but folders: Terraform reads a link to a file as the file.
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => !entry.isDirectory() && entry.name !== STACK_FILE && loadedAs(entry.name) !== undefined)
    .map((entry) => entry.name)
    .sort();
  let merged: Record<string, unknown> | undefined;
  const mergedFrom: string[] = [];
  for (const name of names) {
    const as = loadedAs(name)!;
    if (as !== 'configuration') {
      flag(name, REASONS[as]);
      continue;
    }
    if (!name.endsWith('.tf.json')) {
      flag(name, 'a Terraform (HCL) file: the review reads JSON only');
      continue;
    }
    let extra: string;
    try {
      extra = readFileSync(join(dir, name), 'utf8');
    } catch (error) {
      flag(name, `cannot be read (${error instanceof Error ? error.message : String(error)}), and Terraform would try to`);
      continue;
    }
    if (merged === undefined) {
      try {
        merged = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // cdk.tf.json is not JSON: the review fails on it, naming it.
        flag(name, 'not merged: cdk.tf.json, which it would be merged into, is not JSON');
        continue;
      }
    }
    const problem = mergeInto(merged, extra);
    if (problem !== undefined) flag(name, problem);
    else mergedFrom.push(name);
  }
  const stackFile: SynthesizedStackFile =
    mergedFrom.length === 0 ? { stack, file, text } : { stack, file: `${file} (with ${mergedFrom.map((n) => `${shown}/${n}`).join(', ')} merged in)`, text: JSON.stringify(merged) };
  return { stack: stackFile, loaded: [STACK_FILE, ...names], unreviewed };
}

function duplicateReason(path: string): string {
  return `holds ${path} twice in one object: Terraform reads every copy, the review only the last`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges the further configuration file `text` into the stack's JSON `into` (changed in place only when it
 * merges whole), or says why it cannot be merged faithfully.
 */
function mergeInto(into: Record<string, unknown>, text: string): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)}): Terraform reads it as configuration all the same`;
  }
  if (!isObject(json)) return 'not a JSON object';
  const duplicate = duplicateKey(text);
  if (duplicate !== undefined) return duplicateReason(duplicate);
  const additions: [kind: string, type: string, name: string, body: unknown][] = [];
  for (const [kind, blocks] of Object.entries(json)) {
    if (kind === '//') continue; // a comment, which Terraform ignores
    if (kind !== 'resource' && kind !== 'data') return `holds ${JSON.stringify(kind)}: the review merges only resource and data blocks`;
    if (!isObject(blocks)) return `its ${kind} is not an object of blocks: the review merges only the object form`;
    for (const [type, named] of Object.entries(blocks)) {
      if (type === '//' || !isObject(named)) return `its ${kind} ${JSON.stringify(type)} is not an object of blocks: the review merges only the object form`;
      for (const [name, body] of Object.entries(named)) {
        if (name === '//' || !isObject(body)) return `its ${kind} ${type}.${name} is not one block written as an object: the review merges only that form`;
        const existing = into[kind];
        if (existing !== undefined && !isObject(existing)) return `cdk.tf.json's ${kind} is not an object of blocks: the review merges only the object form`;
        const sameType = isObject(existing) ? existing[type] : undefined;
        if (sameType !== undefined && !isObject(sameType)) return `cdk.tf.json's ${kind} ${type} is not an object of blocks: the review merges only the object form`;
        if (isObject(sameType) && Object.prototype.hasOwnProperty.call(sameType, name)) {
          return `declares ${kind === 'data' ? 'data.' : ''}${type}.${name}, which the folder's other files declare too: Terraform refuses it, and the review cannot say which would apply`;
        }
        additions.push([kind, type, name, body]);
      }
    }
  }
  for (const [kind, type, name, body] of additions) {
    const blocks = (into[kind] ??= {}) as Record<string, Record<string, unknown>>;
    (blocks[type] ??= {})[name] = body;
  }
  return undefined;
}

/**
 * The first key some object of the JSON `text` holds twice, as a path (`resource.aws_iam_role`), or
 * undefined. `text` must be JSON (JSON.parse accepts it). A loop over the characters: no recursion, any size.
 */
export function duplicateKey(text: string): string | undefined {
  interface Frame {
    readonly keys?: Set<string>;
    readonly path: string;
    last?: string;
  }
  const frames: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      const top = frames[frames.length - 1];
      if (expectKey && top?.keys !== undefined) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return top.path === '' ? key : `${top.path}.${key}`;
        top.keys.add(key);
        top.last = key;
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const top = frames[frames.length - 1];
      const path = top === undefined ? '' : top.keys !== undefined ? (top.path === '' ? top.last! : `${top.path}.${top.last}`) : `${top.path}[]`;
      frames.push(c === 0x7b ? { keys: new Set(), path } : { path });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      frames.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = frames[frames.length - 1]?.keys !== undefined;
    }
  }
  return undefined;
}
