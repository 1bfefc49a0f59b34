/**
 * The review at scale: the access report and the permission diff of a stack of more than a million grants
 * (bench/scale-child.ts: `"Action": "*"` on fifty resources, AWS managed AdministratorAccess and
 * ReadOnlyAccess, and the diff against every resource widened), each in a process of its own, so that
 * its time and its peak memory are its own: wall-clock of the work (reading the stack's text to the last
 * text rendered) and the process's peak RSS (getrusage's maxRSS, node and iam-data included).
 *
 * Targets (issue 15): each under 10 s and under 1 GiB on a 2-core machine. Before issue 15 both died at
 * about 132,000 grants (`Maximum call stack size exceeded`, an argument spread), and the diff's cover test
 * was quadratic in the grants of an action.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ScaleResult } from './scale-child';

export interface Check {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

const TARGETS = { maxMs: 10_000, maxRssBytes: 1024 * 1024 * 1024, minGrants: 1_000_000 };

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function child(root: string, mode: string): ScaleResult & { processMs: number } {
  const start = performance.now();
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'run-bundled.js'), 'bench/scale-child.ts', mode], { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const processMs = performance.now() - start;
  if (run.status !== 0) throw new Error(`bench/scale-child.ts ${mode} exited ${run.status}:\n${`${run.stdout}${run.stderr}`.trim().slice(-4_000)}`);
  const last = run.stdout.trim().split('\n').pop() ?? '';
  return { ...(JSON.parse(last) as ScaleResult), processMs };
}

export function scaleReview(root: string, progress: (message: string) => void): { text: string; checks: Check[] } {
  progress('review at scale: bundling bench/scale-child.ts (warm-up)');
  child(root, 'warm-up');
  progress('review at scale: the access report of a stack of a million grants, in a child process');
  const report = child(root, 'report');
  progress('review at scale: the permission diff of a million grants widened, in a child process');
  const diff = child(root, 'diff');
  const rows = [report, diff].map((r) => [
    r.mode === 'report' ? 'access report (Markdown, cut Markdown, JSON)' : 'permission diff, every resource widened (text, Markdown, cut Markdown, JSON)',
    r.grants.toLocaleString('en-US'),
    seconds(r.ms),
    seconds(r.processMs),
    mib(r.maxRssBytes),
    r.result,
  ]);
  const header = ['what', 'grants', 'work', 'process', 'peak RSS', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const text = [
    'Review at scale (bench/scale-child.ts): one stack, `"Action": "*"` on 50 resources and AWS managed AdministratorAccess and ReadOnlyAccess; ' +
      'work = reading the stack to the last text, in its own process (process = the same with node starting); peak RSS = getrusage maxRSS',
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
  ].join('\n');
  const checks: Check[] = [report, diff].flatMap((r) => {
    const what = r.mode === 'report' ? 'access report' : 'permission diff';
    return [
      { name: `${what} of ${TARGETS.minGrants.toLocaleString('en-US')}+ grants (the stack holds ${r.grants.toLocaleString('en-US')})`, pass: r.grants >= TARGETS.minGrants, detail: r.result },
      { name: `${what} of a million grants under ${seconds(TARGETS.maxMs)}`, pass: r.ms < TARGETS.maxMs, detail: `${seconds(r.ms)} (process ${seconds(r.processMs)})` },
      { name: `${what} of a million grants under ${mib(TARGETS.maxRssBytes)} peak RSS`, pass: r.maxRssBytes < TARGETS.maxRssBytes, detail: mib(r.maxRssBytes) },
    ];
  });
  return { text, checks };
}
