/**
 * `npm run diff -- <git-ref> [--synth "<command>"] [--out <dir>] [--format text|markdown|json]`: what
 * changed in effective permissions between the stacks at `<git-ref>` and the working tree, this
 * repository's way: the CLI's `least-privilege-iam diff` (modules/cli) under its npm name, with this
 * repository's synth, each version's own `npm run synth`, by default. The ref synthesizes in a temporary
 * worktree (sharing this tree's node_modules, removed afterwards whatever happens), the working tree into
 * a temporary directory, so that cdktf.out is left as it is.
 *
 * Exit codes: 0 no change widens permissions; 1 some change does (ask for a second reviewer);
 * 2 bad usage, an unknown ref, a synth that failed, or a stack the review cannot read.
 */
import { runCommand } from '../modules/cli/main';

/** The arguments after this script's own path (scripts/run-bundled.js passes that path first). */
function scriptArgs(): string[] {
  const self = process.argv.findIndex((arg, i) => i > 0 && /(^|[\\/])diff\.ts$/.test(arg));
  return process.argv.slice(self >= 0 ? self + 1 : 2);
}

void runCommand('diff', scriptArgs(), {
  how: { program: 'npm run diff', start: () => 'npm run diff --', name: () => 'npm run diff' },
  defaultSynth: 'npm run -s synth',
  synthHint: 'npm run synth',
});
