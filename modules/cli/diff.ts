/**
 * `least-privilege-iam diff <git-ref>`: what the working tree changes in effective permissions, against
 * the app at `<git-ref>`. Both are synthesized fresh: the ref in a temporary worktree
 * (`git worktree add --detach`, the app's folder in it, its node_modules folders linked to the working
 * tree's), the working tree into a temporary folder (or `--out`). The review is this process's code: the
 * installed package's, never the ref's; the ref only synthesizes.
 *
 * Exit codes: 0 no change widens permissions; 1 some change does; 2 could not decide.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { diffJson, GITHUB_COMMENT_MAX_LENGTH, permissionDiff, readSynthesizedStacks, renderDiff, renderDiffFailureMarkdown, renderDiffMarkdown, type DiffSides } from '../review';
import type { Format } from './args';
import { CliError, defaultSynth, findAppRoot, readStackFiles, runSynth, shownPath } from './app';

export interface DiffRun {
  /** How the command is named in messages, e.g. `least-privilege-iam diff`. */
  readonly name: string;
  /** How it is started, for the messages' fixes, e.g. `least-privilege-iam diff`, `npm run diff --`. */
  readonly start: string;
  readonly ref: string;
  /** The synth command of both versions; absent: each version's cdktf.json `app`. */
  readonly synth?: string;
  readonly out?: string;
  readonly format: Format;
  readonly cwd: string;
}

const AFTER = 'the working tree';

function git(name: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.error) throw new CliError(`${name}: could not run git: ${child.error.message}. Fix: install git`);
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function gitOrFail(name: string, args: readonly string[], cwd: string): string {
  const result = git(name, args, cwd);
  if (result.status !== 0) throw new CliError(`${name}: git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/**
 * Links each node_modules folder of the working tree between the repository's root and the app's folder
 * (a workspace's hoisted one, the app's own) into the same place in the worktree: the same installed
 * dependencies for both versions. Entry by entry, so that the worktree's `.cache` can be a folder of its
 * own: a tool that keeps one build per entry there (this repository's scripts/run-bundled.js) would
 * otherwise delete the working tree's; kept across runs, so a second diff against the same ref is fast.
 */
function linkNodeModules(name: string, root: string, prefix: string, tree: string): void {
  // Folders by the path git gives (`prefix`), not by comparing paths: a symbolic link (macOS's /tmp) would
  // otherwise make the app look outside the repository.
  const segments = prefix.split('/').filter((p) => p !== '');
  let linked = 0;
  for (let depth = 0; depth <= segments.length; depth++) {
    const folder = segments.slice(0, depth);
    const source = join(root, ...folder, 'node_modules');
    if (!existsSync(source)) continue;
    const target = join(tree, ...folder, 'node_modules');
    if (existsSync(target)) continue; // committed at the ref: left as it is
    mkdirSync(target, { recursive: true });
    for (const entry of readdirSync(source)) if (entry !== '.cache') symlinkSync(join(source, entry), join(target, entry));
    const refCache = join(source, '.cache', 'permission-diff');
    mkdirSync(refCache, { recursive: true });
    symlinkSync(refCache, join(target, '.cache'));
    linked++;
  }
  if (linked === 0) throw new CliError(`${name}: no node_modules in the app's folder or above it in the repository. Fix: install the app's dependencies first (npm ci)`);
}

/**
 * Runs the diff; returns its exit code (0 or 1), or throws `CliError` (exit 2). When it cannot decide,
 * the message goes to stderr, and a Markdown or JSON reader (a pull-request comment, a bot) gets a
 * document that says so on stdout: an empty comment would read as nothing to review.
 */
export async function runDiff(run: DiffRun): Promise<number> {
  const label = { before: run.ref };
  try {
    return await diffOrThrow(run, label);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (run.format === 'markdown') process.stdout.write(renderDiffFailureMarkdown({ before: label.before, after: AFTER }, message));
    if (run.format === 'json') {
      process.stdout.write(`${JSON.stringify({ format: 'least-privilege-iam/permission-diff', formatVersion: 1, before: label.before, after: AFTER, verdict: 'undecided', exitCode: 2, error: message }, null, 2)}\n`);
    }
    throw error instanceof CliError ? error : new CliError(message);
  }
}

async function diffOrThrow(run: DiffRun, label: { before: string }): Promise<number> {
  const { name, ref } = run;
  const appRoot = findAppRoot(
    run.cwd,
    name,
    `; diff compares the app in the working tree with the app at ${JSON.stringify(ref)}, so a working tree without it (a change that deletes the app) has nothing to compare: review that deletion by hand`,
  );
  const inside = git(name, ['rev-parse', '--show-toplevel'], appRoot);
  if (inside.status !== 0) throw new CliError(`${name}: ${appRoot} is not in a git repository. Fix: run it in a clone (a CI checkout needs fetch-depth: 0 to see the base branch)`);
  const root = inside.stdout.trim();
  // The app's folder inside the repository, as git sees it (the same through any symbolic link).
  const prefix = gitOrFail(name, ['rev-parse', '--show-prefix'], appRoot);
  const verified = git(name, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], appRoot);
  if (verified.status !== 0) {
    throw new CliError(`${name}: ${JSON.stringify(ref)} is not a commit in this repository. Fix: give a branch, tag or commit that exists here (in CI, fetch it: actions/checkout with fetch-depth: 0). usage: ${run.start} <git-ref>`);
  }
  const commit = verified.stdout.trim();
  const before = `${ref} (${commit.slice(0, 7)})`;
  label.before = before;
  // A ref without the app (the pull request that adds it) is an app with no stacks: everything is new,
  // so every Allow widens. Only the app's absence: a ref with the app whose synth fails still fails (exit 2).
  const refHasApp = gitOrFail(name, ['ls-tree', '--full-tree', '--name-only', commit, '--', `${prefix}cdktf.json`], root) !== '';
  const folder = prefix === '' ? "the repository's root" : prefix.replace(/\/$/, '');
  const sides: DiffSides = { before, after: AFTER, ...(!refHasApp && { note: `${before} has no app at ${folder}: everything is new` }) };
  const afterOut = run.out === undefined ? undefined : resolve(run.cwd, run.out);

  const temp = mkdtempSync(join(tmpdir(), 'permission-diff-'));
  const tree = join(temp, 'tree');
  const refApp = join(tree, ...prefix.split('/').filter((p) => p !== ''));
  let added = false;
  const cleanUp = () => {
    if (added) git(name, ['worktree', 'remove', '--force', tree], root);
    added = false;
    rmSync(temp, { recursive: true, force: true });
    git(name, ['worktree', 'prune'], root);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const beforeOut = join(temp, 'ref-out');
    const workingOut = afterOut ?? join(temp, 'working-tree-out');
    const workingSynth = run.synth ?? defaultSynth(appRoot, name, shownPath(appRoot, run.cwd));
    const since = Date.now();
    // The working tree synthesizes while the worktree is added; both are awaited before anything is read.
    const workingTree = runSynth(name, AFTER, workingSynth, appRoot, workingOut);
    let atRef: Promise<CliError | undefined> = Promise.resolve(undefined);
    if (refHasApp) {
      try {
        gitOrFail(name, ['worktree', 'add', '--detach', tree, commit], root);
        added = true;
        linkNodeModules(name, root, prefix, tree);
        const refSynth = run.synth ?? defaultSynth(refApp, name, `${before}:${prefix.replace(/\/$/, '') || '.'}`);
        atRef = runSynth(name, before, refSynth, refApp, beforeOut);
      } catch (error) {
        await workingTree;
        throw error;
      }
    }
    const [refError, workingTreeError] = await Promise.all([atRef, workingTree]);
    if (refError !== undefined) throw refError;
    if (workingTreeError !== undefined) throw workingTreeError;
    const fix = 'check that the synth command writes where CDKTF_OUTDIR says';
    const old = refHasApp ? readSynthesizedStacks(readStackFiles(beforeOut, `${before}: ${prefix}cdktf output`, name, fix, since), `${name} (${before})`) : [];
    const now = readSynthesizedStacks(
      readStackFiles(workingOut, afterOut === undefined ? `${AFTER}: cdktf output` : shownPath(afterOut, run.cwd), name, fix, since),
      `${name} (${AFTER})`,
    );
    const diff = permissionDiff(old, now);
    const code = diff.widens ? 1 : 0;
    let fullText = `run \`${run.start} ${ref} --out <dir>\` to write it whole (<dir>/permission-diff.md), or use --format json`;
    if (afterOut !== undefined) {
      const shown = shownPath(afterOut, run.cwd);
      writeFileSync(join(afterOut, 'permission-diff.md'), renderDiffMarkdown(diff, sides));
      writeFileSync(join(afterOut, 'permission-diff.json'), diffJson(diff, sides));
      fullText = `\`${shown}/permission-diff.md\` and \`${shown}/permission-diff.json\`, written by this run (keep them as a CI artifact)`;
    }
    if (run.format === 'json') process.stdout.write(diffJson(diff, sides));
    else if (run.format === 'markdown') process.stdout.write(renderDiffMarkdown(diff, sides, { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText }));
    else {
      process.stdout.write(renderDiff(diff, sides));
      if (diff.widens) process.stdout.write('Exit 1: this change widens permissions; ask for a second reviewer.\n');
    }
    return code;
  } finally {
    cleanUp();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
