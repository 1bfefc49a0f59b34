/**
 * `least-privilege-iam diff <git-ref>`: what the working tree changes in effective permissions, against
 * the app at `<git-ref>`. Both are synthesized fresh, each the way `cdktf synth` would (synth-env.ts):
 * the ref first, in a temporary worktree (`git worktree add --detach`, the app's folder in it, its
 * node_modules folders linked to the working tree's, but for a `.cache` of its own), into its own output
 * folder; its stacks are read before any code of the working tree runs. Then the working tree, in place,
 * into the app's output folder (cdktf.json's `output`, else `cdktf.out`) with CDKTF_OUTDIR as `cdktf synth`
 * passes it: the working tree's synth cannot tell the diff from `cdktf synth` by its output folder. The
 * output folder is removed afterwards when it was not there before.
 *
 * The review is this process's code: the installed package's, never the ref's and never the working
 * tree's (the synths run in processes of their own; nothing is loaded from the app). Every file Terraform
 * loads in a stack's folder is read, or reported as an unreviewed access change (stack-folder.ts).
 *
 * Exit codes: 0 no change widens permissions; 1 some change does, or a file Terraform loads is not
 * reviewed; 2 could not decide.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import {
  diffJson,
  GITHUB_COMMENT_MAX_LENGTH,
  permissionDiff,
  readSynthesizedStacks,
  renderDiff,
  renderDiffFailureMarkdown,
  renderDiffMarkdown,
  type DiffSides,
  type PermissionDiff,
  type StackIam,
} from '../review';
import type { Format } from './args';
import { appOutput, CliError, defaultSynth, findAppRoot, readCdktfJson, readStackFiles, runSynth, shownPath, stopSynths, type StacksRead } from './app';
import type { UnreviewedFile } from './stack-folder';
import { cdktfSynthEnv } from './synth-env';

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
 * dependencies for both versions. Entry by entry, so that the worktree's `.cache` is a folder of its own,
 * removed with the worktree: what a tool builds there for the ref (this repository's scripts/run-bundled.js
 * bundles the app there, and finds the package's data/ folder above the bundle) stays the ref's, and nothing
 * the working tree's code writes into its own caches is run for the ref.
 */
export function linkNodeModules(name: string, root: string, prefix: string, tree: string): void {
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
    mkdirSync(join(target, '.cache'), { recursive: true });
    for (const entry of readdirSync(source)) if (entry !== '.cache') symlinkSync(join(source, entry), join(target, entry));
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
      process.stdout.write(
        `${JSON.stringify({ format: 'least-privilege-iam/permission-diff', formatVersion: 1, before: label.before, after: AFTER, verdict: 'undecided', exitCode: 2, error: message }, null, 2)}\n`,
      );
    }
    throw error instanceof CliError ? error : new CliError(message);
  }
}

/** `path` is `folder` or inside it. */
function within(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
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
    throw new CliError(
      `${name}: ${JSON.stringify(ref)} is not a commit in this repository. Fix: give a branch, tag or commit that exists here (in CI, fetch it: actions/checkout with fetch-depth: 0). usage: ${run.start} <git-ref>`,
    );
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
  // Where `cdktf synth` writes the working tree's stacks, and the folder as it passes it.
  const workingOutput = appOutput(appRoot, name, shownPath(appRoot, run.cwd));
  const workingOut = resolve(appRoot, workingOutput);
  const workingOutExisted = existsSync(workingOut);

  const temp = mkdtempSync(join(tmpdir(), 'permission-diff-'));
  const tree = join(temp, 'tree');
  const refApp = join(tree, ...prefix.split('/').filter((p) => p !== ''));
  let added = false;
  const removeWorktree = () => {
    if (added) git(name, ['worktree', 'remove', '--force', tree], root);
    added = false;
    rmSync(temp, { recursive: true, force: true });
    git(name, ['worktree', 'prune'], root);
  };
  const cleanUp = () => {
    removeWorktree();
    // The working tree as it was: an output folder the diff made goes (unless --out is in it).
    if (!workingOutExisted && !(afterOut !== undefined && within(afterOut, workingOut))) rmSync(workingOut, { recursive: true, force: true });
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // Once: a second Ctrl-C while the synths stop is not the default exit, which would skip the clean-up.
    if (stopping) return;
    stopping = true;
    void stopSynths(signal).then(() => {
      cleanUp();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const fix = 'check that the synth command writes where CDKTF_OUTDIR says';
    // The ref first, read whole before the working tree's code runs: nothing the working tree's synth
    // does can change what was read of the ref.
    let old: StackIam[] = [];
    let oldUnreviewed: UnreviewedFile[] = [];
    if (refHasApp) {
      const what = `${before}:${prefix.replace(/\/$/, '') || '.'}`;
      gitOrFail(name, ['worktree', 'add', '--detach', tree, commit], root);
      added = true;
      linkNodeModules(name, root, prefix, tree);
      const refOutput = appOutput(refApp, name, what);
      const since = Date.now();
      const refError = await runSynth(name, before, run.synth ?? defaultSynth(refApp, name, what), refApp, cdktfSynthEnv(readCdktfJson(refApp, name, what), refOutput));
      if (refError !== undefined) throw refError;
      const read = readStackFiles(resolve(refApp, refOutput), `${prefix}${refOutput}`, name, fix, since, before);
      old = readSynthesizedStacks(read.files, `${name} (${before})`);
      oldUnreviewed = read.unreviewed;
      removeWorktree();
    }

    const since = Date.now();
    const workingSynth = run.synth ?? defaultSynth(appRoot, name, shownPath(appRoot, run.cwd));
    const workingError = await runSynth(name, AFTER, workingSynth, appRoot, cdktfSynthEnv(readCdktfJson(appRoot, name), workingOutput));
    if (workingError !== undefined) throw workingError;
    const shownOut = shownPath(workingOut, run.cwd);
    const read = readStackFiles(workingOut, shownOut, name, fix, since, AFTER);
    const now = readSynthesizedStacks(read.files, `${name} (${AFTER})`);
    const diff = permissionDiff(old, now);
    const unreviewed: SidedUnreviewed[] = [...oldUnreviewed.map((u) => ({ ...u, side: before })), ...read.unreviewed.map((u) => ({ ...u, side: AFTER }))];
    const code = diff.widens || unreviewed.length > 0 ? 1 : 0;
    let fullText = `run \`${run.start} ${ref} --out <dir>\` to write it whole (<dir>/permission-diff.md), or use --format json`;
    if (afterOut !== undefined) {
      const shown = shownPath(afterOut, run.cwd);
      writeReviewedStacks(read, workingOut, afterOut);
      writeFileSync(join(afterOut, 'permission-diff.md'), diffMarkdown(diff, sides, unreviewed));
      writeFileSync(join(afterOut, 'permission-diff.json'), diffJsonWith(diff, sides, unreviewed));
      fullText = `\`${shown}/permission-diff.md\` and \`${shown}/permission-diff.json\`, written by this run (keep them as a CI artifact)`;
    }
    if (run.format === 'json') process.stdout.write(diffJsonWith(diff, sides, unreviewed));
    else if (run.format === 'markdown') process.stdout.write(diffMarkdown(diff, sides, unreviewed, { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText }));
    else {
      process.stdout.write(diffText(diff, sides, unreviewed));
      if (diff.widens) process.stdout.write('Exit 1: this change widens permissions; ask for a second reviewer.\n');
      else if (unreviewed.length > 0) process.stdout.write('Exit 1: Terraform loads files the review does not read; ask for a second reviewer.\n');
    }
    return code;
  } finally {
    cleanUp();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * The stacks reviewed, copied into `out` (manifest.json and every file Terraform loads from each stack's
 * folder, at the same paths): what a deploy of the reviewed change can take unchanged.
 */
function writeReviewedStacks(read: StacksRead, from: string, out: string): void {
  if (resolve(from) === resolve(out)) return;
  mkdirSync(out, { recursive: true });
  for (const file of read.loaded) {
    mkdirSync(dirname(join(out, file)), { recursive: true });
    copyFileSync(join(from, file), join(out, file));
  }
}

/** An unreviewed file, with the side of the diff it is on (`HEAD (1a2b3c4)`, `the working tree`). */
export interface SidedUnreviewed extends UnreviewedFile {
  readonly side: string;
}

/** How many unreviewed files a text or a comment lists; JSON lists them all. */
const LISTED = 20;

function unreviewedLines(unreviewed: readonly SidedUnreviewed[], line: (u: SidedUnreviewed) => string): string[] {
  const lines = unreviewed.slice(0, LISTED).map(line);
  if (unreviewed.length > LISTED) lines.push(`  and ${unreviewed.length - LISTED} more (--format json lists them all)`);
  return lines;
}

function filesText(n: number): string {
  return n === 1 ? '1 file' : `${n} files`;
}

/** `rendered` with `section` put after its heading (and note): the heading is what an empty diff renders before its verdict line. */
function afterHeading(rendered: string, emptyRendered: string, verdictLine: string, section: string): string {
  const heading = emptyRendered.endsWith(verdictLine) ? emptyRendered.slice(0, -verdictLine.length) : '';
  return heading !== '' && rendered.startsWith(heading) ? `${heading}${section}${rendered.slice(heading.length)}` : `${section}${rendered}`;
}

const NO_CHANGE: PermissionDiff = { stacks: [], widens: false };

/** The diff as text, with the unreviewed files first. */
export function diffText(diff: PermissionDiff, sides: DiffSides, unreviewed: readonly SidedUnreviewed[]): string {
  const text = renderDiff(diff, sides);
  if (unreviewed.length === 0) return text;
  const section = [
    `UNREVIEWED ACCESS CHANGE: Terraform loads ${filesText(unreviewed.length)} the review does not read; this change counts as widening:`,
    ...unreviewedLines(unreviewed, (u) => `  ${u.side}: ${u.file}: ${u.reason}`),
    '',
    '',
  ].join('\n');
  return afterHeading(text, renderDiff(NO_CHANGE, sides), 'No change in effective permissions.\n', section);
}

/** The diff as Markdown, with the unreviewed files first; `limit` as `renderDiffMarkdown` takes it, for the whole. */
export function diffMarkdown(diff: PermissionDiff, sides: DiffSides, unreviewed: readonly SidedUnreviewed[], limit?: { maxLength: number; fullText: string }): string {
  if (unreviewed.length === 0) return renderDiffMarkdown(diff, sides, limit);
  const code = (value: string) => `\`${value.replace(/`/g, "'").replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``;
  const section = [
    `**Unreviewed access change: Terraform loads ${filesText(unreviewed.length)} the review does not read. This change counts as widening: ask for a second reviewer.**`,
    '',
    ...unreviewedLines(unreviewed, (u) => `- ${code(u.side)}: ${code(u.file)}: ${u.reason.replace(/\r?\n/g, ' ')}`),
    '',
    '',
  ].join('\n');
  const rendered = renderDiffMarkdown(diff, sides, limit === undefined ? undefined : { ...limit, maxLength: limit.maxLength - section.length });
  return afterHeading(rendered, renderDiffMarkdown(NO_CHANGE, sides), '**No change in effective permissions.**\n', section);
}

/** The diff's JSON (`diffJson`), with the unreviewed files (`unreviewed`), which make the verdict `widens`. */
export function diffJsonWith(diff: PermissionDiff, sides: DiffSides, unreviewed: readonly SidedUnreviewed[]): string {
  const review = JSON.parse(diffJson(diff, sides)) as Record<string, unknown>;
  const list = unreviewed.map((u) => ({ side: u.side, stack: u.stack, file: u.file, reason: u.reason }));
  const widens = diff.widens || unreviewed.length > 0;
  return `${JSON.stringify({ ...review, verdict: widens ? 'widens' : 'does-not-widen', exitCode: widens ? 1 : 0, unreviewed: list }, null, 2)}\n`;
}
