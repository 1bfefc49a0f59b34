import { spawn } from 'child_process';
import { readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';

/**
 * Runs terraform in `dir`, offline: HOME at `home`, whose empty CLI configuration (`home/terraformrc`) the
 * caller writes, no checkpoint or version calls, no prompts. Resolves with stdout; rejects with everything
 * it printed.
 */
export function terraform(binary: string, dir: string, args: string[], home = dir): Promise<string> {
  const child = spawn(binary, [...args, '-no-color'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      HOME: home,
      CHECKPOINT_DISABLE: '1',
      DISABLE_VERSION_CHECK: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_CLI_CONFIG_FILE: join(home, 'terraformrc'),
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`terraform ${args.join(' ')} in ${dir} failed (${code}):\n${stdout}\n${stderr}`));
    });
  });
}

/** Expects the committed folder `dir` (under `root`) to hold exactly `files`, byte for byte. */
export function expectCommittedFolder(root: string, dir: string, files: Readonly<Record<string, string>>): void {
  const committed = readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
  expect(committed).toEqual(Object.keys(files).sort());
  for (const [path, contents] of Object.entries(files)) expect({ path, contents: readFileSync(join(root, path), 'utf8') }).toEqual({ path, contents });
}
