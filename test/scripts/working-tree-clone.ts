import { execFileSync } from 'child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'fs';
import { dirname, join } from 'path';

const root = join(__dirname, '../..');

/** git with a committer, in `repo`. */
export function git(repo: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: repo, env, encoding: 'utf8' });
}

/**
 * A clone of this repository into `<temp>/repo` with this working tree's changes (modified, new and deleted
 * files, not ignored ones) committed on top, so that what is tested is the working tree, committed or not
 * (`npm run diff` reviews with the ref's code: here, this tree's), and a node_modules folder of links to
 * this tree's packages, with a `.cache` of its own (nothing it builds touches this tree's).
 */
export function cloneOfWorkingTree(temp: string, env: NodeJS.ProcessEnv): string {
  const repo = join(temp, 'repo');
  execFileSync('git', ['clone', '--quiet', '--no-local', root, repo], { env });
  const list = (...args: string[]) =>
    execFileSync('git', ['ls-files', '-z', ...args], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((p) => p !== '');
  const deleted = new Set(list('--deleted'));
  for (const path of list('--modified', '--others', '--exclude-standard')) {
    if (deleted.has(path)) rmSync(join(repo, path), { force: true });
    else {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      copyFileSync(join(root, path), join(repo, path));
    }
  }
  git(repo, env, 'add', '-A');
  if (git(repo, env, 'status', '--porcelain') !== '') git(repo, env, 'commit', '--quiet', '-m', 'the working tree under test');
  mkdirSync(join(repo, 'node_modules', '.cache'), { recursive: true });
  for (const entry of readdirSync(join(root, 'node_modules'))) if (entry !== '.cache') symlinkSync(join(root, 'node_modules', entry), join(repo, 'node_modules', entry));
  return repo;
}
