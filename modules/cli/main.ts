/**
 * `least-privilege-iam`: the review of a cdktf app's IAM, for the team that installed this package into
 * its app. `report` (who may do what) and `diff <git-ref>` (what a change widens); `--help` says the rest.
 * bin/least-privilege-iam.js calls `runCli` with the compiled code in dist/; this repository's
 * `npm run report` and `npm run diff` call `runCommand` with their own names (`npm run diff` only in the
 * process scripts/diff.ts starts from the ref's worktree: the ref's code reviews). The review is always
 * the code of this process, loaded here before any synth runs: nothing is loaded from the app reviewed,
 * whose code runs only in the synths' own processes.
 *
 * Exit codes: 0 done (diff: nothing widens); 1 diff: something widens; 2 could not do or decide (bad
 * usage, a synth that failed, a stack the review cannot read). Never 0 when it could not decide.
 */
import { CLI, COMMANDS, type CommandName, type Invocation, parseArgs, parseCommand, type Parsed, UsageError } from './args';
import { PolicyValidationError } from '../core/policy-error';
import { CliError } from './app';
import { runDiff } from './diff';
import { runReport } from './report';

export { COMMANDS, parseArgs, parseCommand, UsageError, CLI } from './args';
export type { CommandName, CommandSpec, Format, Invocation, OptionSpec, Parsed } from './args';

/** What a caller of `runCommand` changes: how it is named, and the synth it uses by default. */
export interface CommandHost {
  readonly how: Invocation;
  /** The diff's synth when --synth is not given (default: each version's cdktf.json `app`). */
  readonly defaultSynth?: string;
  /** How to synthesize, named in the report's message when nothing is synthesized. */
  readonly synthHint: string;
}

const CLI_HOST: CommandHost = { how: CLI, synthHint: 'npx cdktf synth' };

/** The program: `argv` is what follows `least-privilege-iam`. Sets `process.exitCode`; resolves with it. */
export function runCli(argv: readonly string[]): Promise<number> {
  return settle(() => parseArgs(argv, CLI), CLI_HOST);
}

/** One command with its own arguments (this repository's `npm run report -- …`, `npm run diff -- …`). */
export function runCommand(command: CommandName, args: readonly string[], host: CommandHost): Promise<number> {
  return settle(
    () =>
      parseCommand(
        COMMANDS.find((c) => c.name === command)!,
        args,
        host.how,
      ),
    host,
  );
}

async function settle(parse: () => Parsed, host: CommandHost): Promise<number> {
  let code: number;
  try {
    code = await execute(parse(), host);
  } catch (error) {
    if (!(error instanceof UsageError) && !(error instanceof CliError) && !(error instanceof PolicyValidationError)) {
      // Not a message written for the user (naming the field, the value and the fix): its stack says where it came from.
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    } else process.stderr.write(`${error.message}\n`);
    code = 2;
  }
  process.exitCode = code;
  return code;
}

async function execute(parsed: Parsed, host: CommandHost): Promise<number> {
  if (parsed.kind === 'help') {
    process.stdout.write(parsed.text);
    return 0;
  }
  const name = host.how.name(parsed.command);
  const cwd = process.cwd();
  if (parsed.command === 'report') {
    return runReport({ name, format: parsed.format, synthHint: host.synthHint, cwd, ...(parsed.synth !== undefined && { synth: parsed.synth }), ...(parsed.out !== undefined && { out: parsed.out }) });
  }
  const synth = parsed.synth ?? host.defaultSynth;
  return runDiff({
    name,
    start: host.how.start('diff'),
    ref: parsed.positionals[0],
    format: parsed.format,
    cwd,
    ...(synth !== undefined && { synth }),
    ...(parsed.out !== undefined && { out: parsed.out }),
  });
}
