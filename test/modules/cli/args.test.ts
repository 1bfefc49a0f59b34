import { CLI, commandHelp, COMMANDS, parseArgs, programHelp, UsageError } from '../../../modules/cli/args';

const usageError = (argv: string[]): string => {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`parseArgs(${JSON.stringify(argv)}) did not fail`);
};

describe('least-privilege-iam: the command line', () => {
  it('reads each command with its options, in either spelling, text by default', () => {
    expect(parseArgs(['report'])).toEqual({ kind: 'run', command: 'report', positionals: [], format: 'text' });
    expect(parseArgs(['report', '--synth', 'npm run synth', '--out=build/out', '--format', 'json'])).toEqual({
      kind: 'run',
      command: 'report',
      positionals: [],
      synth: 'npm run synth',
      out: 'build/out',
      format: 'json',
    });
    expect(parseArgs(['diff', 'origin/main', '--format=markdown'])).toEqual({ kind: 'run', command: 'diff', positionals: ['origin/main'], format: 'markdown' });
    expect(parseArgs(['diff', '--synth', 'npx cdktf synth --output "$CDKTF_OUTDIR"', 'HEAD~1'])).toMatchObject({ positionals: ['HEAD~1'], synth: 'npx cdktf synth --output "$CDKTF_OUTDIR"' });
  });

  it('--help, for the program and for each command, naming every option', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help', text: programHelp(CLI) });
    expect(parseArgs(['help', 'diff'])).toEqual({ kind: 'help', text: commandHelp(COMMANDS[1], CLI) });
    const diffHelp = (parseArgs(['diff', '--help']) as { text: string }).text;
    expect(diffHelp.split('\n')[0]).toBe('usage: least-privilege-iam diff <git-ref> [--synth "<command>"] [--out <dir>] [--format text|markdown|json]');
    for (const option of ['--synth', '--out', '--format', '--help']) expect(diffHelp).toContain(`  ${option}`);
    expect(diffHelp).toContain('Exit codes: 0 no change widens permissions; 1 some change does');
    const reportHelp = (parseArgs(['report', '-h']) as { text: string }).text;
    expect(reportHelp).toContain('Without it, the stacks already in the output folder are read');
  });

  it('a bad command line fails naming the argument, the value and the fix', () => {
    expect(usageError([])).toContain('least-privilege-iam: no command given. Fix: use one of report, diff');
    expect(usageError(['audit'])).toContain('unknown command "audit". Fix: use one of report, diff');
    expect(usageError(['diff'])).toContain('least-privilege-iam diff: missing <git-ref>. Fix: give <git-ref> (e.g. HEAD, main, origin/main, a commit)');
    expect(usageError(['diff', 'main', 'extra'])).toContain('unexpected argument "extra". Fix: give only <git-ref>');
    expect(usageError(['report', 'main'])).toContain('least-privilege-iam report: unexpected argument "main". Fix: this command takes options only');
    expect(usageError(['diff', 'main', '--fromat', 'json'])).toContain('unknown option "--fromat". Fix: use --synth, --out, --format or --help');
    expect(usageError(['diff', 'main', '--format', 'html'])).toContain('--format "html" is not one of text, markdown, json. Fix: use --format text|markdown|json');
    expect(usageError(['diff', 'main', '--synth'])).toContain('--synth needs a value. Fix: give it as --synth <command>');
    expect(usageError(['diff', 'main', '--synth='])).toContain('--synth is empty');
    expect(usageError(['report', '--out', 'a', '--out', 'b'])).toContain('--out given twice ("a" and "b"). Fix: give it once');
    // Each message ends with the usage line.
    expect(usageError(['diff'])).toMatch(/\nusage: least-privilege-iam diff <git-ref> \[--synth/);
  });
});
