/**
 * The cdktf app the CLI reviews: where it is (the folder of its cdktf.json), where it synthesizes to,
 * how it is synthesized, and reading what it synthesized. The file and process side of the CLI; the
 * review itself (modules/review) reads no file.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { SynthesizedStackFile } from '../review';

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

interface CdktfJson {
  readonly app?: unknown;
  readonly output?: unknown;
}

function readCdktfJson(appRoot: string, name: string, what = appRoot): CdktfJson {
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

/** The output folder: `--out` (relative to the current folder), else cdktf.json's `output` (relative to the app), else `cdktf.out`. */
export function outDirOf(appRoot: string, out: string | undefined, name: string): string {
  if (out !== undefined) return resolve(out);
  const output = readCdktfJson(appRoot, name).output;
  if (output === undefined) return join(appRoot, 'cdktf.out');
  if (typeof output !== 'string' || output.trim() === '') {
    throw new CliError(`${name}: cdktf.json "output" is ${JSON.stringify(output)}, not a folder name. Fix: make it a folder, e.g. "cdktf.out", or pass --out <dir>`);
  }
  return isAbsolute(output) ? output : join(appRoot, output);
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

/** The environment of a synth: no calls home, and the output folder it must write to. */
export function synthEnv(outDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CDKTF_OUTDIR: outDir };
  return env;
}

/**
 * Runs the shell command `command` in `cwd` with CDKTF_OUTDIR=`outDir`; settles with the error to
 * report (its exit code and the end of its output), or undefined. Asynchronous, so that the diff's two
 * versions synthesize at the same time.
 */
export function runSynth(name: string, what: string, command: string, cwd: string, outDir: string): Promise<CliError | undefined> {
  return new Promise((resolvePromise) => {
    const child = spawn(command, { cwd, env: synthEnv(outDir), shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => resolvePromise(new CliError(`${name}: could not run the synth of ${what} (${command}): ${error.message}`)));
    child.once('close', (status, signal) =>
      resolvePromise(
        status === 0
          ? undefined
          : new CliError(`${name}: synthesizing ${what} failed (${status === null ? `signal ${signal}` : `exit ${status}`} of \`${command}\`):\n${output.trim().slice(-4_000)}`),
      ),
    );
  });
}

/**
 * The stacks in `outDir` (`<outDir>/stacks/<stack>/cdk.tf.json`), in name order, named in messages as
 * `<shownOut>/stacks/<stack>/cdk.tf.json`. With `since` (the time a synth into it started), only what that synth
 * wrote: the stacks its manifest.json lists, each written after `since`; a folder it did not write fails,
 * rather than a stale stack being reviewed as the app's.
 */
export function readStackFiles(outDir: string, shownOut: string, name: string, fix: string, since?: number): SynthesizedStackFile[] {
  const stacksDir = join(outDir, 'stacks');
  const shown = `${shownOut}/stacks`;
  let names: string[];
  if (since === undefined) {
    names = existsSync(stacksDir) ? readdirSync(stacksDir, { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(stacksDir, d.name, 'cdk.tf.json'))).map((d) => d.name).sort() : [];
    if (names.length === 0) throw new CliError(`${name}: ${shown}: no synthesized stack (no <stack>/cdk.tf.json). Fix: ${fix}`);
  } else {
    names = manifestStacks(outDir, shownOut, name, since);
    for (const stack of names) {
      const file = join(stacksDir, stack, 'cdk.tf.json');
      if (!existsSync(file) || !fresh(file, since)) {
        throw new CliError(`${name}: ${shown}/${stack}/cdk.tf.json was not written by this synth, though its manifest.json lists it. Fix: synthesize into an empty folder (remove ${shown})`);
      }
    }
    if (names.length === 0) throw new CliError(`${name}: the synth wrote no stack to ${shown} (its manifest.json lists none). Fix: check that the app calls app.synth() and defines a stack`);
  }
  return names.map((stack) => ({ stack, file: `${shown}/${stack}/cdk.tf.json`, text: readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8') }));
}

/** The stacks manifest.json lists, when this synth wrote it. */
function manifestStacks(outDir: string, folder: string, name: string, since: number): string[] {
  const file = join(outDir, 'manifest.json');
  if (!existsSync(file) || !fresh(file, since)) {
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
  return Object.values(stacks as Record<string, { synthesizedStackPath?: unknown }>)
    .map((s) => s.synthesizedStackPath)
    .map((path) => {
      const match = typeof path === 'string' ? /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(path) : null;
      if (match === null) throw new CliError(`${name}: ${folder}/manifest.json lists a stack at ${JSON.stringify(path)}, not stacks/<stack>/cdk.tf.json. Fix: synthesize with cdktf 0.21`);
      return match[1];
    })
    .sort();
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
