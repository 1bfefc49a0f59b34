/**
 * The command line of `least-privilege-iam`: its subcommands, their options, and the parser. Pure: no
 * file or process access, so the tests (and the check of the GitHub Actions example) read the same
 * table the tool does.
 */

export type Format = 'text' | 'markdown' | 'json';
export const FORMATS: readonly Format[] = ['text', 'markdown', 'json'];

export type CommandName = 'report' | 'diff';

/** An option that takes a value. */
export interface OptionSpec {
  readonly name: string;
  readonly value: string;
  readonly choices?: readonly string[];
  readonly help: string;
}

export interface CommandSpec {
  readonly name: CommandName;
  /** The positional arguments, in order, all required. */
  readonly positionals: readonly string[];
  readonly options: readonly OptionSpec[];
  readonly summary: string;
  /** The rest of its --help: what it reads, what it writes, its exit codes. */
  readonly help: string;
}

const FORMAT_OPTION: OptionSpec = {
  name: '--format',
  value: 'text|markdown|json',
  choices: FORMATS,
  help: 'text for a terminal (the default); markdown for a pull-request comment (summary first, details folded, never over 65,536 characters); json for machines',
};

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'report',
    positionals: [],
    summary: 'who may do what, in every synthesized stack',
    options: [
      {
        name: '--synth',
        value: '<command>',
        help: "synthesize first, with this shell command run in the app folder with the environment `cdktf synth` gives its app (cdktf.json's context; CDKTF_OUTDIR, the output folder, where it must write). Without it, the stacks already in the output folder are read",
      },
      { name: '--out', value: '<dir>', help: 'the cdktf output folder (default: cdktf.json\'s "output", else cdktf.out)' },
      FORMAT_OPTION,
    ],
    help: [
      'Reads <dir>/stacks/<stack>/cdk.tf.json and writes the whole report beside them as <dir>/access-report.md',
      'and <dir>/access-report.json. Prints, by --format: text, the files written; markdown, the report cut to',
      'fit a pull-request comment; json, the report as JSON (the same as access-report.json).',
      '',
      'Exit codes: 0 written; 2 bad usage, a synth that failed, no synthesized stack, a stack the review',
      'cannot read (the message names the stack, the resource, the value and the fix), or a file Terraform',
      "loads from a stack's folder that the review does not read (UNREVIEWED_FILE: another *.tf, an override,",
      'a tfvars file): the report would leave out what it grants.',
    ].join('\n'),
  },
  {
    name: 'diff',
    positionals: ['<git-ref>'],
    summary: 'what the working tree changes in effective permissions, against a git ref',
    options: [
      {
        name: '--synth',
        value: '<command>',
        help: 'how to synthesize, in both versions: a shell command run in the app folder with the environment `cdktf synth` gives its app (cdktf.json\'s context in CDKTF_CONTEXT_JSON; CDKTF_OUTDIR, where it must write). Default: each version\'s own cdktf.json "app" (what `cdktf synth` runs)',
      },
      {
        name: '--out',
        value: '<dir>',
        help: 'write the whole diff into this folder (permission-diff.md, permission-diff.json), with a copy of the stacks it reviewed (manifest.json, stacks/<stack>/…). Default: nothing written',
      },
      FORMAT_OPTION,
    ],
    help: [
      "The ref is synthesized first, in a temporary git worktree (the app's own folder in it, its node_modules",
      "linked to the app's), and read; then the working tree, in place, into the app's output folder (cdktf.json's",
      '"output", else cdktf.out), as `cdktf synth` would: a folder the diff made is removed afterwards, the',
      "worktree whatever happens. Every file Terraform loads in a stack's folder is read, or reported as an",
      "unreviewed access change. The review code is this installed package, never the ref's or the app's.",
      '',
      'Exit codes: 0 no change widens permissions; 1 some change does, or Terraform loads a file the review',
      'does not read (ask for a second reviewer); 2 could not decide: bad usage, an unknown ref, a synth that',
      'failed, or a stack the review cannot read. Never 0 when it could not decide.',
    ].join('\n'),
  },
];

/** A bad command line: exit 2, with the message. */
export class UsageError extends Error {}

export type Parsed =
  | { readonly kind: 'help'; readonly text: string }
  | {
      readonly kind: 'run';
      readonly command: CommandName;
      /** The positional arguments (the diff's git ref). */
      readonly positionals: readonly string[];
      readonly synth?: string;
      readonly out?: string;
      readonly format: Format;
    };

/** How the tool is invoked, for the messages: `least-privilege-iam`, or this repository's `npm run`. */
export interface Invocation {
  /** The program, e.g. `least-privilege-iam`. */
  readonly program: string;
  /** How one command is started, e.g. `least-privilege-iam diff`, or `npm run diff --` for this repository. */
  readonly start: (command: CommandName) => string;
  /** How one command is named in messages, e.g. `least-privilege-iam diff`, or `npm run diff`. */
  readonly name: (command: CommandName) => string;
}

export const CLI: Invocation = {
  program: 'least-privilege-iam',
  start: (command) => `least-privilege-iam ${command}`,
  name: (command) => `least-privilege-iam ${command}`,
};

/** The usage line of one command. */
export function usageLine(spec: CommandSpec, how: Invocation): string {
  const options = spec.options.map((o) => `[${o.name} ${o.value === '<command>' ? '"<command>"' : o.value}]`).join(' ');
  return `${how.start(spec.name)}${spec.positionals.map((p) => ` ${p}`).join('')} ${options}`;
}

/** The --help of the program. */
export function programHelp(how: Invocation): string {
  return [
    `${how.program}: review the IAM of a cdktf app's synthesized stacks.`,
    '',
    'Usage:',
    ...COMMANDS.map((c) => `  ${usageLine(c, how)}`),
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(8)}${c.summary}`),
    '',
    `Run in the app's folder (where cdktf.json is, or below it). \`${how.program} <command> --help\` for more.`,
    '',
  ].join('\n');
}

/** The --help of one command. */
export function commandHelp(spec: CommandSpec, how: Invocation): string {
  const width = Math.max(...spec.options.map((o) => `${o.name} ${o.value}`.length));
  return [
    `usage: ${usageLine(spec, how)}`,
    '',
    `${spec.summary[0].toUpperCase()}${spec.summary.slice(1)}.`,
    '',
    ...spec.options.map((o) => `  ${`${o.name} ${o.value}`.padEnd(width)}  ${o.help}`),
    `  ${'--help'.padEnd(width)}  this text`,
    '',
    spec.help,
    '',
  ].join('\n');
}

/**
 * The command line after the program name: `<command> [positionals] [--option value | --option=value]`.
 * Throws `UsageError` naming the bad argument and the fix.
 */
export function parseArgs(argv: readonly string[], how: Invocation = CLI): Parsed {
  if (argv.length === 0) throw new UsageError(`${how.program}: no command given. Fix: use one of ${COMMANDS.map((c) => c.name).join(', ')}\n\n${programHelp(how)}`);
  const [first, ...rest] = argv;
  if (first === '--help' || first === '-h' || first === 'help') {
    const spec = COMMANDS.find((c) => c.name === rest[0]);
    return { kind: 'help', text: spec !== undefined ? commandHelp(spec, how) : programHelp(how) };
  }
  const spec = COMMANDS.find((c) => c.name === first);
  if (spec === undefined) {
    throw new UsageError(`${how.program}: unknown command ${JSON.stringify(first)}. Fix: use one of ${COMMANDS.map((c) => c.name).join(', ')} (see ${how.program} --help)`);
  }
  return parseCommand(spec, rest, how);
}

/** The arguments of one command (this repository's `npm run report`/`npm run diff` start here). */
export function parseCommand(spec: CommandSpec, args: readonly string[], how: Invocation): Parsed {
  const name = how.name(spec.name);
  const usage = `usage: ${usageLine(spec, how)}`;
  const fail = (problem: string, fix: string): never => {
    throw new UsageError(`${name}: ${problem}. Fix: ${fix}\n${usage}`);
  };
  if (args.includes('--help') || args.includes('-h')) return { kind: 'help', text: commandHelp(spec, how) };
  const values = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = eq > 0 && arg.startsWith('--') ? arg.slice(0, eq) : arg;
    const option = spec.options.find((o) => o.name === key);
    if (option === undefined) {
      fail(`unknown option ${JSON.stringify(key)}`, `use ${spec.options.map((o) => o.name).join(', ')} or --help`);
      continue;
    }
    let value: string | undefined;
    if (eq > 0 && key !== arg) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
      if (value === undefined) fail(`${option.name} needs a value`, `give it as ${option.name} ${option.value}`);
    }
    if (values.has(option.name)) fail(`${option.name} given twice (${JSON.stringify(values.get(option.name))} and ${JSON.stringify(value)})`, 'give it once');
    if (value!.trim() === '') fail(`${option.name} is empty`, `give it as ${option.name} ${option.value}`);
    if (option.choices !== undefined && !option.choices.includes(value!))
      fail(`${option.name} ${JSON.stringify(value)} is not one of ${option.choices.join(', ')}`, `use ${option.name} ${option.choices.join('|')}`);
    values.set(option.name, value!);
  }
  if (positionals.length < spec.positionals.length)
    fail(`missing ${spec.positionals.slice(positionals.length).join(' ')}`, `give ${spec.positionals.join(' ')}${spec.name === 'diff' ? ' (e.g. HEAD, main, origin/main, a commit)' : ''}`);
  if (positionals.length > spec.positionals.length) {
    fail(
      `unexpected argument${positionals.length - spec.positionals.length > 1 ? 's' : ''} ${positionals
        .slice(spec.positionals.length)
        .map((p) => JSON.stringify(p))
        .join(' ')}`,
      spec.positionals.length === 0 ? 'this command takes options only' : `give only ${spec.positionals.join(' ')}`,
    );
  }
  return {
    kind: 'run',
    command: spec.name,
    positionals,
    ...(values.has('--synth') && { synth: values.get('--synth')! }),
    ...(values.has('--out') && { out: values.get('--out')! }),
    format: (values.get('--format') as Format | undefined) ?? 'text',
  };
}
