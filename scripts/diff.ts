/**
 * `npm run diff -- <git-ref>`: what changed in effective permissions between the stacks at `<git-ref>`
 * and the working tree. Both are synthesized fresh: the ref in a temporary worktree
 * (`git worktree add --detach`, sharing this tree's node_modules, removed afterwards whatever happens)
 * with that ref's own `npm run synth`; the working tree with its `npm run synth` into a temporary
 * directory, so that cdktf.out is left as it is.
 *
 * Exit codes: 0 no change widens permissions; 1 some change does (ask for a second reviewer);
 * 2 bad usage, an unknown ref, a synth that failed, or a stack the review cannot read.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { permissionDiff, readSynthesizedStacks, renderDiff, type SynthesizedStackFile } from '../modules/review';

const COMMAND = 'npm run diff';
const USAGE = `usage: ${COMMAND} -- <git-ref>   (e.g. HEAD, main, a commit)`;

/** An error with its exit code: 2 for everything that is not a verdict. */
class DiffError extends Error {}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (child.error) throw new DiffError(`${COMMAND}: could not run ${command}: ${child.error.message}`);
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function git(args: readonly string[], cwd: string): string {
  const result = run('git', args, cwd);
  if (result.status !== 0) throw new DiffError(`${COMMAND}: git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** The environment of each synth: no calls home, and no output directory inherited from the caller. */
function synthEnv(outDir?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' };
  delete env.CDKTF_OUTDIR;
  if (outDir !== undefined) env.CDKTF_OUTDIR = outDir;
  return env;
}

/**
 * Runs `what`'s own `npm run synth` in `cwd`. Asynchronous, so that the two versions synthesize at the same
 * time (one per core); settles with the error to report, or undefined.
 */
function synth(what: string, cwd: string, env: NodeJS.ProcessEnv): Promise<DiffError | undefined> {
  const scripts = (JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  if (scripts.synth === undefined) return Promise.resolve(new DiffError(`${COMMAND}: ${what} has no "synth" script in package.json. Fix: compare with a ref that has one`));
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '-s', 'synth'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', (error) => resolve(new DiffError(`${COMMAND}: could not run npm: ${error.message}`)));
    child.once('close', (status) =>
      resolve(status === 0 ? undefined : new DiffError(`${COMMAND}: synthesizing ${what} failed (exit ${status}):\n${output.trim().slice(-4_000)}`)),
    );
  });
}

function stackFiles(outDir: string, what: string): SynthesizedStackFile[] {
  const stacksDir = join(outDir, 'stacks');
  const names = existsSync(stacksDir) ? readdirSync(stacksDir).filter((n) => existsSync(join(stacksDir, n, 'cdk.tf.json'))).sort() : [];
  if (names.length === 0) throw new DiffError(`${COMMAND}: synthesizing ${what} wrote no stack (no stacks/<stack>/cdk.tf.json)`);
  return names.map((stack) => ({ stack, file: `${what}: stacks/${stack}/cdk.tf.json`, text: readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8') }));
}

/**
 * The worktree gets its own node_modules folder of links to this tree's packages: the same installed
 * dependencies. Its bundle cache (node_modules/.cache) is a folder of this tree's kept for the diff's refs
 * alone: scripts/run-bundled.js keeps one bundle per entry in a cache and removes the others, so sharing
 * this tree's own would delete its bundle, while a cache of its own lets a second diff against the same
 * ref skip the build.
 */
function linkNodeModules(root: string, tree: string): void {
  const source = join(root, 'node_modules');
  if (!existsSync(source)) throw new DiffError(`${COMMAND}: ${source} is missing. Fix: run npm ci first`);
  const target = join(tree, 'node_modules');
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(source)) if (entry !== '.cache') symlinkSync(join(source, entry), join(target, entry));
  const refCache = join(source, '.cache', 'permission-diff');
  mkdirSync(refCache, { recursive: true });
  symlinkSync(refCache, join(target, '.cache'));
}

async function main(args: readonly string[]): Promise<number> {
  if (args.length !== 1 || args[0].startsWith('-')) throw new DiffError(`${COMMAND}: expected one git ref, got ${JSON.stringify(args)}. ${USAGE}`);
  const ref = args[0];
  const root = git(['rev-parse', '--show-toplevel'], process.cwd());
  const verified = run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  if (verified.status !== 0) throw new DiffError(`${COMMAND}: ${JSON.stringify(ref)} is not a commit in this repository. ${USAGE}`);
  const commit = verified.stdout.trim();

  const temp = mkdtempSync(join(tmpdir(), 'permission-diff-'));
  const tree = join(temp, 'tree');
  let added = false;
  const cleanUp = () => {
    if (added) run('git', ['worktree', 'remove', '--force', tree], root);
    added = false;
    rmSync(temp, { recursive: true, force: true });
    run('git', ['worktree', 'prune'], root);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const afterDir = join(temp, 'working-tree-out');
  // The working tree synthesizes while the worktree is added; both are awaited before anything is read.
  const workingTree = synth('the working tree', root, synthEnv(afterDir));
  try {
    const what = `${ref} (${commit.slice(0, 7)})`;
    let atRef: Promise<DiffError | undefined>;
    try {
      git(['worktree', 'add', '--detach', tree, commit], root);
      added = true;
      linkNodeModules(root, tree);
      atRef = synth(what, tree, synthEnv());
    } catch (error) {
      await workingTree;
      throw error;
    }
    const [refError, workingTreeError] = await Promise.all([atRef, workingTree]);
    if (refError !== undefined) throw refError;
    if (workingTreeError !== undefined) throw workingTreeError;
    const before = readSynthesizedStacks(stackFiles(join(tree, 'cdktf.out'), what), `${COMMAND} (${what})`);
    const after = readSynthesizedStacks(stackFiles(afterDir, 'the working tree'), `${COMMAND} (the working tree)`);
    const diff = permissionDiff(before, after);
    process.stdout.write(renderDiff(diff, { before: what, after: 'the working tree' }));
    if (diff.widens) process.stdout.write('Exit 1: this change widens permissions; ask for a second reviewer.\n');
    return diff.widens ? 1 : 0;
  } finally {
    cleanUp();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** The arguments after this script's own path (scripts/run-bundled.js passes that path first). */
function scriptArgs(): string[] {
  const self = process.argv.findIndex((arg, i) => i > 0 && /(^|[\\/])diff\.ts$/.test(arg));
  return process.argv.slice(self >= 0 ? self + 1 : 2);
}

main(scriptArgs()).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
