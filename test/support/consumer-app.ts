/**
 * A team's app with this library installed the way a team installs it: the package packed by `npm pack`
 * (its `prepare` builds it), a git URL, or a folder path, into a copy of one of `examples/*-app`, with the
 * framework versions the test chooses, by a real `npm install` from the registry (npm's cache makes a
 * repeated install fast). Nothing links back into this repository's node_modules: what resolves is what a
 * consumer gets.
 */
import { execFile, type ExecFileOptions } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** This repository (a caller bundled elsewhere, as `npm run bench` is, passes its own root). */
export const ROOT = join(__dirname, '..', '..');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to the end; never throws on a non-zero exit (the caller checks `code`). */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeout = 600_000): Promise<Run> {
  const options: ExecFileOptions = {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...env },
    maxBuffer: 256 * 1024 * 1024,
    timeout,
    encoding: 'utf8',
  };
  return new Promise((resolve) => {
    execFile(command, [...args], options, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) + (error !== null && typeof error.code !== 'number' ? `\n${error.message}` : '') });
    });
  });
}

/** Runs a command and returns its output; throws with everything it printed when it fails. */
export async function must(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.code}:\n${result.stdout}\n${result.stderr}`.slice(-8_000));
  return result.stdout;
}

/** `npm pack` of this repository into `dest` (the `prepare` script builds dist/ first); the tarball's path. */
export async function packLibrary(dest: string, root = ROOT): Promise<string> {
  mkdirSync(dest, { recursive: true });
  const out = await must('npm', ['pack', '--json', '--pack-destination', dest], root);
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as { filename: string }[];
  return join(dest, filename);
}

/**
 * A git repository holding this working tree's files (tracked and new, not ignored) in one commit, so that
 * `git+file://` installs what is being tested, committed or not. npm clones it, installs its dependencies
 * and runs `prepare`, as it does for any git dependency.
 */
export async function gitSnapshot(dest: string): Promise<string> {
  // Never node_modules, even as a link git's `node_modules/` pattern does not match: npm would install the
  // snapshot's dependencies through it, into this repository's own.
  const files = (await must('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT))
    .split('\0')
    .filter((f) => f !== '' && !/(^|\/)(node_modules|dist)(\/|$)/.test(f) && existsSync(join(ROOT, f)) && !lstatSync(join(ROOT, f)).isSymbolicLink());
  for (const file of files) cpSync(join(ROOT, file), join(dest, file), { recursive: true });
  await gitCommitAll(dest, 'the library under test');
  return `git+file://${dest}`;
}

export async function gitCommitAll(dir: string, message: string): Promise<void> {
  const identity = ['-c', 'user.name=consumer test', '-c', 'user.email=consumer@example.com', '-c', 'commit.gpgsign=false'];
  if (!existsSync(join(dir, '.git'))) await must('git', ['init', '-q', '-b', 'main'], dir);
  await must('git', ['add', '-A'], dir);
  await must('git', [...identity, 'commit', '-q', '--allow-empty', '-m', message], dir);
}

export interface ConsumerSpec {
  /** The example app copied: `cdktf-app` or `cdktn-app` (under examples/). */
  readonly example: 'cdktf-app' | 'cdktn-app';
  /** How the app depends on this library: a tarball path, a git URL, `file:<folder>`. */
  readonly library: string;
  /** Exact versions of the app's framework packages (the peers under test). */
  readonly versions: Readonly<Record<string, string>>;
}

/** Copies the example app into `dir`, pins the versions and the library, and installs it as a team would. */
export async function installConsumer(dir: string, spec: ConsumerSpec, root = ROOT): Promise<void> {
  cpSync(join(root, 'examples', spec.example), dir, { recursive: true, filter: (src) => !/[\\/](node_modules|cdktf\.out)$/.test(src) });
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const [name, version] of Object.entries(spec.versions)) {
    if (manifest.dependencies[name] === undefined) throw new Error(`examples/${spec.example}/package.json has no dependency ${name} to pin`);
    manifest.dependencies[name] = version;
  }
  manifest.dependencies['least-privilege-iam'] = spec.library;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await must('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir);
}
