/**
 * `npm run report [-- --out <dir>]`: the access report of the synthesized stacks. Reads
 * `<dir>/stacks/<stack>/cdk.tf.json` (`<dir>` is `cdktf.out` unless given; run `npm run synth` first)
 * and writes `<dir>/access-report.md` and `<dir>/access-report.json`.
 *
 * Exit codes: 0 written; 2 bad usage, no synthesized stacks, or a stack the review cannot read (the
 * message names the stack, the resource, the value and the fix).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { accessReport, readSynthesizedStacks, renderReport, reportJson, type SynthesizedStackFile } from '../modules/review';

const COMMAND = 'npm run report';
const USAGE = `usage: ${COMMAND} [-- --out <cdktf output directory>]`;

class UsageError extends Error {}

/** The stack files under `<outDir>/stacks`, in name order. */
function stackFiles(outDir: string, command: string): SynthesizedStackFile[] {
  const stacksDir = join(outDir, 'stacks');
  const shown = relative(process.cwd(), stacksDir) || '.';
  const names = existsSync(stacksDir) ? readdirSync(stacksDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
  const files = names.filter((name) => existsSync(join(stacksDir, name, 'cdk.tf.json')));
  if (files.length === 0) throw new UsageError(`${command}: ${shown}: no synthesized stack (no <stack>/cdk.tf.json). Fix: run \`npm run synth\` first`);
  return files.map((stack) => ({ stack, file: `${shown}/${stack}/cdk.tf.json`, text: readFileSync(join(stacksDir, stack, 'cdk.tf.json'), 'utf8') }));
}

function outDirOf(args: readonly string[]): string {
  if (args.length === 0) return resolve('cdktf.out');
  if (args.length === 2 && args[0] === '--out') return resolve(args[1]);
  throw new UsageError(`${COMMAND}: unexpected arguments ${JSON.stringify(args)}. ${USAGE}`);
}

function main(args: readonly string[]): number {
  const outDir = outDirOf(args);
  const stacks = readSynthesizedStacks(stackFiles(outDir, COMMAND), COMMAND);
  const report = accessReport(stacks);
  const shown = relative(process.cwd(), outDir) || '.';
  writeFileSync(join(outDir, 'access-report.md'), renderReport(report, { stacksDir: 'stacks', command: COMMAND, jsonFile: 'access-report.json' }));
  writeFileSync(join(outDir, 'access-report.json'), reportJson(report));
  const subjects = report.stacks.reduce((n, s) => n + s.subjects.length, 0);
  console.log(`${COMMAND}: wrote ${shown}/access-report.md and ${shown}/access-report.json (${report.stacks.length} stacks, ${subjects} subjects)`);
  return 0;
}

/** The arguments after this script's own path (scripts/run-bundled.js passes that path first). */
function scriptArgs(): string[] {
  const self = process.argv.findIndex((arg, i) => i > 0 && /(^|[\\/])report\.ts$/.test(arg));
  return process.argv.slice(self >= 0 ? self + 1 : 2);
}

try {
  process.exitCode = main(scriptArgs());
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
