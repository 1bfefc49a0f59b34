/**
 * `npm run diff -- <git-ref> [--synth "<command>"] [--out <dir>] [--format text|markdown|json]`: what
 * changed in effective permissions between the stacks at `<git-ref>` and the working tree, this
 * repository's way: the CLI's `least-privilege-iam diff` (modules/cli) under its npm name.
 *
 * Who reviews: the code at `<git-ref>`, never the working tree's. The working tree is the change under
 * review; its modules/review and modules/cli are part of that change, and a branch that could edit the
 * reviewer could pass itself (make the review say "no change"). So this file, run from the working tree,
 * only launches: it checks `<git-ref>` out into a temporary worktree (its node_modules linked to this
 * tree's, but for a `.cache` of its own), and runs that worktree's `scripts/run-bundled.js scripts/diff.ts`
 * with the same arguments, in the current folder, with `LEAST_PRIVILEGE_IAM_REVIEWER` set to the commit.
 * That process, the ref's own `npm run diff`, does the diff with the ref's code (the ref is the base: its
 * code was reviewed when it was merged). The installed `least-privilege-iam` command has no such step: it
 * is a package installed apart from the app it reviews, and reviews with its own code.
 *
 * What the launcher trusts, and a branch could still change: this file, scripts/run-bundled.js and
 * package.json's "diff" script (they start everything), and node_modules (installed from the branch's
 * package-lock.json). It loads none of the working tree's modules: the review code is `require`d only in
 * the reviewer process.
 *
 * `LEAST_PRIVILEGE_IAM_REVIEWER=working-tree npm run diff -- main` reviews with this working tree's own
 * code, to try a change to the review itself: never a verdict on that change.
 *
 * Exit codes: 0 no change widens permissions; 1 some change does, or a file Terraform loads is not
 * reviewed (ask for a second reviewer); 2 bad usage, an unknown ref, a ref with no review code, a synth
 * that failed, or a stack the review cannot read.
 */
import { spawn, spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type * as Cli from '../modules/cli/main';

/** modules/cli/synth-env.ts's REVIEWER_ENV (not imported: the launcher loads nothing of modules/). */
const REVIEWER_ENV = 'LEAST_PRIVILEGE_IAM_REVIEWER';
const NAME = 'npm run diff';
const AFTER = 'the working tree';

/** The arguments after this script's own path (scripts/run-bundled.js passes that path first). */
function scriptArgs(): string[] {
  const self = process.argv.findIndex((arg, i) => i > 0 && /(^|[\\/])diff\.ts$/.test(arg));
  return process.argv.slice(self >= 0 ? self + 1 : 2);
}

/** The diff with this tree's code (modules/cli), loaded only now. */
function reviewHere(args: string[]): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cli = require('../modules/cli/main') as typeof Cli;
  void cli.runCommand('diff', args, {
    how: { program: NAME, start: () => 'npm run diff --', name: () => NAME },
    synthHint: 'npm run synth',
  });
}

/** The ref and the format the arguments give, read as the CLI's parser reads them; no ref: leave it to the parser. */
function readArgs(args: readonly string[]): { ref?: string; format: string } {
  const positionals: string[] = [];
  let format = 'text';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return { format };
    if (!arg.startsWith('-')) positionals.push(arg);
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg === '--format') format = args[++i] ?? format;
    else if (arg === '--synth' || arg === '--out') i++;
    else if (!/^--(synth|out)=/.test(arg)) return { format };
  }
  return positionals.length === 1 ? { ref: positionals[0], format } : { format };
}

/** Exit 2 with `message`, and for a comment or a bot, the document the CLI writes when it cannot decide. */
function fail(message: string, before: string, format: string): void {
  process.stderr.write(`${NAME}: ${message}\n`);
  if (format === 'json') {
    process.stdout.write(
      `${JSON.stringify({ format: 'least-privilege-iam/permission-diff', formatVersion: 1, before, after: AFTER, verdict: 'undecided', exitCode: 2, error: `${NAME}: ${message}` }, null, 2)}\n`,
    );
  }
  if (format === 'markdown') {
    const fence = '`'.repeat(Math.max(3, ...(message.match(/`+/g) ?? []).map((r) => r.length + 1)));
    process.stdout.write(
      `<!-- least-privilege-iam:diff -->\n## Permission diff: \`${before}\` -> ${AFTER}\n\n**Could not decide whether this change widens permissions** (exit 2): treat it as widening until it is fixed.\n\n${fence}\n${NAME}: ${message}\n${fence}\n`,
    );
  }
  process.exitCode = 2;
}

function git(args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const child = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (child.error) return { status: null, stdout: '', stderr: child.error.message };
  return { status: child.status, stdout: child.stdout.trim(), stderr: child.stderr.trim() };
}

/** Starts the ref's own `npm run diff` on the working tree; settles the exit code. */
function launch(args: string[], ref: string, format: string): void {
  const cwd = process.cwd();
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (top.status !== 0) return fail(`${cwd} is not in a git repository (${top.stderr}). Fix: run it in a clone`, ref, format);
  const root = top.stdout;
  const prefix = git(['rev-parse', '--show-prefix'], cwd).stdout;
  const verified = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  if (verified.status !== 0) {
    return fail(
      `${JSON.stringify(ref)} is not a commit in this repository. Fix: give a branch, tag or commit that exists here (in CI, fetch it: actions/checkout with fetch-depth: 0). usage: npm run diff -- <git-ref>`,
      ref,
      format,
    );
  }
  const commit = verified.stdout;
  const before = `${ref} (${commit.slice(0, 7)})`;
  for (const file of ['scripts/run-bundled.js', 'scripts/diff.ts']) {
    if (git(['cat-file', '-e', `${commit}:${prefix}${file}`], cwd).status !== 0) {
      return fail(
        `${before} has no ${file}: no review code at the ref to review the working tree with (the reviewer is always the ref's code). Fix: diff against a ref that has npm run diff`,
        before,
        format,
      );
    }
  }

  const temp = mkdtempSync(join(tmpdir(), 'permission-diff-reviewer-'));
  const tree = join(temp, 'reviewer');
  const segments = prefix.split('/').filter((p) => p !== '');
  let added = false;
  const cleanUp = () => {
    if (added) git(['worktree', 'remove', '--force', tree], root);
    added = false;
    rmSync(temp, { recursive: true, force: true });
    git(['worktree', 'prune'], root);
  };
  const addition = git(['worktree', 'add', '--detach', tree, commit], root);
  if (addition.status !== 0) {
    cleanUp();
    return fail(`git worktree add of ${before} failed: ${addition.stderr}`, before, format);
  }
  added = true;
  // The working tree's installed packages, and a .cache of the worktree's own: the reviewer's bundle is
  // built from the ref's sources into it, and finds the ref's data/ folder above it.
  let linked = 0;
  for (let depth = 0; depth <= segments.length; depth++) {
    const source = join(root, ...segments.slice(0, depth), 'node_modules');
    const target = join(tree, ...segments.slice(0, depth), 'node_modules');
    if (!existsSync(source) || existsSync(target)) continue;
    mkdirSync(join(target, '.cache'), { recursive: true });
    for (const entry of readdirSync(source)) if (entry !== '.cache') symlinkSync(join(source, entry), join(target, entry));
    linked++;
  }
  if (linked === 0) {
    cleanUp();
    return fail("no node_modules in this folder or above it in the repository. Fix: install the project's dependencies first (npm ci)", before, format);
  }

  const reviewer = spawn(process.execPath, [join(tree, ...segments, 'scripts', 'run-bundled.js'), 'scripts/diff.ts', ...args], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, [REVIEWER_ENV]: commit },
  });
  let signalled: NodeJS.Signals | undefined;
  const forward = (signal: NodeJS.Signals) => {
    // The reviewer cleans up its own worktree on the signal; this one is removed when it is gone.
    signalled ??= signal;
    if (reviewer.exitCode === null) reviewer.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  reviewer.once('error', (error) => {
    process.stderr.write(`${NAME}: could not start the review code of ${before}: ${error.message}\n`);
  });
  reviewer.once('close', (code) => {
    cleanUp();
    process.removeListener('SIGINT', forward);
    process.removeListener('SIGTERM', forward);
    if (signalled !== undefined) process.exit(signalled === 'SIGINT' ? 130 : 143);
    // A reviewer that died without an exit code could not decide.
    process.exitCode = code ?? 2;
  });
}

function main(): void {
  const args = scriptArgs();
  const reviewer = process.env[REVIEWER_ENV];
  if (reviewer !== undefined && reviewer !== '') {
    if (reviewer === 'working-tree') {
      process.stderr.write(`${NAME}: reviewing with this working tree's own review code (${REVIEWER_ENV}=working-tree): a change reviewed by its own code; never a verdict on it\n`);
    }
    return reviewHere(args);
  }
  const { ref, format } = readArgs(args);
  // --help and bad usage: no verdict to give; the CLI's parser says what is wrong (exit 2).
  if (ref === undefined) return reviewHere(args);
  launch(args, ref, format);
}

main();
