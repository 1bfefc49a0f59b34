/**
 * The cdktf app the CLI reviews: where it is (the folder of its cdktf.json), where it synthesizes to,
 * how it is synthesized, and reading what it synthesized. The file and process side of the CLI; the
 * review itself (modules/review) reads no file.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { SynthesizedStackFile } from '../review';
import { readStackFolder, type UnreviewedFile } from './stack-folder';
import { cdktfOutput, type CdktfJson } from './synth-env';

/** A failure that is not a verdict: exit 2, with the message. */
export class CliError extends Error {}

/** The nearest folder from `start` up that holds a cdktf.json; `hint` is added to the fix when there is none. */
export function findAppRoot(start: string, name: string, hint = ''): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'cdktf.json'))) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new CliError(`${name}: no cdktf.json in ${resolve(start)} or any folder above it. Fix: run it in your cdktf app's folder (where cdktf.json is)${hint}`);
}

/** The app's cdktf.json; throws `CliError` naming the fix when it is missing or not a JSON object. */
export function readCdktfJson(appRoot: string, name: string, what = appRoot): CdktfJson {
  const file = join(appRoot, 'cdktf.json');
  if (!existsSync(file)) throw new CliError(`${name}: ${what} has no cdktf.json. Fix: compare with a ref that has the app, or run in the app's folder`);
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('not a JSON object');
    return json as CdktfJson;
  } catch (error) {
    throw new CliError(`${name}: ${what}/cdktf.json cannot be read: ${error instanceof Error ? error.message : String(error)}. Fix: make it a JSON object, as \`cdktf init\` writes it`);
  }
}

/**
 * The app's output folder as `cdktf synth` passes it in CDKTF_OUTDIR: cdktf.json's `output` as written
 * (relative to the app's folder), else `cdktf.out`.
 */
export function appOutput(appRoot: string, name: string, what = appRoot): string {
  const output = readCdktfJson(appRoot, name, what).output;
  if (output !== undefined && (typeof output !== 'string' || output.trim() === '')) {
    throw new CliError(`${name}: ${what}/cdktf.json "output" is ${JSON.stringify(output)}, not a folder name. Fix: make it a folder, e.g. "cdktf.out", or pass --out <dir>`);
  }
  return cdktfOutput({ output });
}

/** The output folder: `--out` (relative to the current folder), else cdktf.json's `output` (relative to the app), else `cdktf.out`. */
export function outDirOf(appRoot: string, out: string | undefined, name: string): string {
  if (out !== undefined) return resolve(out);
  return resolve(appRoot, appOutput(appRoot, name));
}

/**
 * The default synth of the app in `appRoot`: its cdktf.json `app`, the command `cdktf synth` itself runs
 * with CDKTF_OUTDIR set. Run directly, it needs no cdktf-cli and writes where CDKTF_OUTDIR says, which
 * `cdktf synth` (and so the template's `npm run synth`) does not: it passes its own `--output`.
 */
export function defaultSynth(appRoot: string, name: string, what = appRoot): string {
  const app = readCdktfJson(appRoot, name, what).app;
  if (typeof app !== 'string' || app.trim() === '') {
    throw new CliError(`${name}: ${what}/cdktf.json "app" is ${JSON.stringify(app)}, not a command. Fix: set it to how the app runs (e.g. "npx ts-node main.ts"), or pass --synth "<command>"`);
  }
  return app;
}

const running = new Set<ChildProcess>();
let stopped = false;

/**
 * Stops the synths still running with `signal`, and settles when they are gone (at most 5 s); no synth
 * starts after it: a synth must not write into a folder after it was cleaned up.
 */
export function stopSynths(signal: NodeJS.Signals): Promise<void> {
  stopped = true;
  const stopping = [...running].map(
    (child) =>
      new Promise<void>((done) => {
        const timer = setTimeout(done, 5_000);
        child.once('close', () => {
          clearTimeout(timer);
          done();
        });
        child.kill(signal);
      }),
  );
  return Promise.all(stopping).then(() => undefined);
}

/**
 * Runs the shell command `command` in `cwd` with the environment `env` (`cdktfSynthEnv`: what `cdktf synth`
 * gives the app); settles with the error to report (its exit code and the end of its output), or undefined.
 */
export function runSynth(name: string, what: string, command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<CliError | undefined> {
  if (stopped) return Promise.resolve(new CliError(`${name}: interrupted before synthesizing ${what}`));
  return new Promise((resolvePromise) => {
    const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    child.once('close', () => running.delete(child));
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => resolvePromise(new CliError(`${name}: could not run the synth of ${what} (${command}): ${error.message}`)));
    child.once('close', (status, signal) =>
      resolvePromise(
        status === 0 ? undefined : new CliError(`${name}: synthesizing ${what} failed (${status === null ? `signal ${signal}` : `exit ${status}`} of \`${command}\`):\n${output.trim().slice(-4_000)}`),
      ),
    );
  });
}

/** What a synth left in an output folder, read for the review. */
export interface StacksRead {
  /** Each stack's `cdk.tf.json` (with what could be merged of the folder's other files), in name order. */
  readonly files: SynthesizedStackFile[];
  /** The files Terraform loads from the stacks' folders that the review does not read. */
  readonly unreviewed: UnreviewedFile[];
  /** Every file Terraform loads, relative to the output folder (`stacks/<stack>/<file>`), and manifest.json. */
  readonly loaded: string[];
}

/**
 * The stacks in `outDir` (`<outDir>/stacks/<stack>/`), in name order, named as `<shownOut>/stacks/<stack>/…`
 * (in messages after `side`, the side of a diff it is on), with every file Terraform loads from each
 * stack's folder (see stack-folder.ts). The stacks are those its manifest.json lists (the ones `cdktf
 * deploy` deploys), or, with no manifest.json, every folder holding a cdk.tf.json. With `since` (the time
 * a synth into it started),
 * only what that synth wrote: the manifest and each stack's cdk.tf.json written after `since`; a folder it
 * did not write fails, rather than a stale stack being reviewed as the app's.
 */
export function readStackFiles(outDir: string, shownOut: string, name: string, fix: string, since?: number, side?: string): StacksRead {
  const stacksDir = join(outDir, 'stacks');
  // Files are named from the output folder; messages also say which side of a diff they are on.
  const where = side === undefined ? shownOut : `${side}: ${shownOut}`;
  const shown = `${where}/stacks`;
  let names: string[];
  const manifest = existsSync(join(outDir, 'manifest.json'));
  if (since === undefined && !manifest) {
    names = existsSync(stacksDir)
      ? readdirSync(stacksDir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && existsSync(join(stacksDir, d.name, 'cdk.tf.json')))
          .map((d) => d.name)
          .sort()
      : [];
    if (names.length === 0) throw new CliError(`${name}: ${shown}: no synthesized stack (no <stack>/cdk.tf.json). Fix: ${fix}`);
  } else {
    names = manifestStacks(outDir, where, name, since);
    for (const stack of names) {
      const file = join(stacksDir, stack, 'cdk.tf.json');
      if (!existsSync(file))
        throw new CliError(`${name}: ${shown}/${stack}/cdk.tf.json is missing, though ${where}/manifest.json lists it. Fix: synthesize again${since === undefined ? ` (${fix})` : ''}`);
      if (since !== undefined && !fresh(file, since)) {
        throw new CliError(`${name}: ${shown}/${stack}/cdk.tf.json was not written by this synth, though its manifest.json lists it. Fix: synthesize into an empty folder (remove ${shown})`);
      }
    }
    if (names.length === 0) throw new CliError(`${name}: the synth wrote no stack to ${shown} (its manifest.json lists none). Fix: check that the app calls app.synth() and defines a stack`);
  }
  const files: SynthesizedStackFile[] = [];
  const unreviewed: UnreviewedFile[] = [];
  const loaded: string[] = manifest ? ['manifest.json'] : [];
  for (const stack of names) {
    const folder = readStackFolder(join(stacksDir, stack), stack, `${shownOut}/stacks/${stack}`, since);
    files.push(folder.stack);
    unreviewed.push(...folder.unreviewed);
    loaded.push(...folder.loaded.map((file) => `stacks/${stack}/${file}`));
  }
  return { files, unreviewed, loaded };
}

/**
 * The stacks manifest.json lists, when this synth wrote it (with `since`). Each must be synthesized to
 * `stacks/<stack>/cdk.tf.json` and deployed from that folder (`cdktf deploy` runs terraform in its
 * `workingDirectory`: a stack deployed from another folder than the one reviewed is refused), and carry
 * no error annotation (`cdktf synth` fails on them; the app wrote its stacks regardless, as cdktf asks).
 */
function manifestStacks(outDir: string, folder: string, name: string, since: number | undefined): string[] {
  const file = join(outDir, 'manifest.json');
  if (!existsSync(file) || (since !== undefined && !fresh(file, since))) {
    throw new CliError(
      `${name}: the synth did not write ${folder}/manifest.json: it must write where CDKTF_OUTDIR says. ` +
        'Fix: `cdktf synth` (and a package.json "synth": "cdktf synth") writes to its own --output instead: ' +
        'pass --synth \'npx cdktf synth --output "$CDKTF_OUTDIR"\', or leave --synth out to run cdktf.json\'s "app"',
    );
  }
  let stacks: unknown;
  try {
    stacks = (JSON.parse(readFileSync(file, 'utf8')) as { stacks?: unknown }).stacks;
  } catch (error) {
    throw new CliError(`${name}: ${folder}/manifest.json cannot be read: ${error instanceof Error ? error.message : String(error)}. Fix: synthesize again`);
  }
  if (typeof stacks !== 'object' || stacks === null) throw new CliError(`${name}: ${folder}/manifest.json has no "stacks" object. Fix: synthesize with cdktf 0.21`);
  const errors: string[] = [];
  const names = Object.values(stacks as Record<string, { synthesizedStackPath?: unknown; workingDirectory?: unknown; annotations?: unknown }>).map((s) => {
    const path = s.synthesizedStackPath;
    const match = typeof path === 'string' ? /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path) : null;
    if (match === null || match[1] === '.' || match[1] === '..') {
      const hcl = typeof path === 'string' && /^stacks\/[^/]+\/cdk\.tf$/.test(path);
      throw new CliError(
        `${name}: ${folder}/manifest.json lists a stack at ${JSON.stringify(path)}, not stacks/<stack>/cdk.tf.json. Fix: ${hcl ? 'synthesize without --hcl (the review reads the JSON cdktf writes)' : 'synthesize with cdktf 0.21'}`,
      );
    }
    const stack = match[1];
    if (s.workingDirectory !== `stacks/${stack}`) {
      throw new CliError(
        `${name}: ${folder}/manifest.json deploys stack ${stack} from ${JSON.stringify(s.workingDirectory)}, not from stacks/${stack}, the folder the review reads: ` +
          'cdktf deploy would run terraform on files the review does not see. Fix: synthesize with cdktf 0.21, which writes "workingDirectory": "stacks/<stack>"',
      );
    }
    for (const annotation of Array.isArray(s.annotations) ? (s.annotations as { level?: unknown; message?: unknown; constructPath?: unknown }[]) : []) {
      if (annotation?.level === '@cdktf/error') errors.push(`[${String(annotation.constructPath)}] ${String(annotation.message)}`);
    }
    return stack;
  });
  if (errors.length > 0) {
    throw new CliError(
      `${name}: the synth recorded ${errors.length === 1 ? 'an error annotation' : `${errors.length} error annotations`} in ${folder}/manifest.json, which cdktf synth fails on:\n${errors.join('\n')}\nFix: correct what they say`,
    );
  }
  return names.sort();
}

/** Written at or after `since`; file times are kept to the second on some file systems. */
function fresh(file: string, since: number): boolean {
  return statSync(file).mtimeMs >= Math.floor(since / 1000) * 1000;
}

/** `path` as shown in messages and reports: relative to `from` when inside it. */
export function shownPath(path: string, from: string): string {
  const rel = relative(from, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel.split('\\').join('/');
}
