/**
 * `npm run report [-- --out <dir>] [--synth "<command>"] [--format text|markdown|json]`: the access report
 * of the synthesized stacks, this repository's way: the CLI's `least-privilege-iam report`
 * (modules/cli) under its npm name. Reads `<dir>/stacks/<stack>/cdk.tf.json` (`<dir>` is `cdktf.out`
 * unless given; run `npm run synth` first, or pass `--synth "npm run -s synth"`) and writes
 * `<dir>/access-report.md` and `<dir>/access-report.json`.
 *
 * Exit codes: 0 written; 2 bad usage, no synthesized stacks, or a stack the review cannot read (the
 * message names the stack, the resource, the value and the fix).
 */
import { runCommand } from '../modules/cli/main';

/** The arguments after this script's own path (scripts/run-bundled.js passes that path first). */
function scriptArgs(): string[] {
  const self = process.argv.findIndex((arg, i) => i > 0 && /(^|[\\/])report\.ts$/.test(arg));
  return process.argv.slice(self >= 0 ? self + 1 : 2);
}

void runCommand('report', scriptArgs(), {
  how: { program: 'npm run report', start: () => 'npm run report --', name: () => 'npm run report' },
  synthHint: 'npm run synth',
});
