import { readFileSync } from 'fs';
import { join } from 'path';
import { parseArgs, UsageError } from '../../../modules/cli/args';
import { DIFF_COMMENT_MARKER } from '../../../modules/review';

// js-yaml comes with jest (through istanbul); it has no types here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load: (text: string) => unknown };

const FILE = join(__dirname, '../../../examples/github-actions/iam-review.yml');

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly if?: string;
}
interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, { steps: Step[] }>;
}

/** The words of a shell command line up to its first operator (`>`, `|`, `||`, `&&`, `;`), quotes removed. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: string | undefined;
  for (const ch of line) {
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else word = (word ?? '') + ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word = word ?? '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if ('>|&;'.includes(ch)) break;
    else word = (word ?? '') + ch;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** Every `least-privilege-iam …` command line in the workflow's `run` steps: its arguments. */
function invocations(workflow: Workflow): string[][] {
  const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.map((s) => s.run ?? ''));
  return runs.flatMap((run) =>
    run
      .split('\n')
      .map((line) => /(?:^|\s)(?:npx\s+|\S*\/)?least-privilege-iam\s+(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => shellWords(m[1])),
  );
}

describe('examples/github-actions/iam-review.yml, the workflow the README shows', () => {
  const text = readFileSync(FILE, 'utf8');
  const workflow = yaml.load(text) as Workflow;
  const steps = workflow.jobs['iam-review'].steps;

  it('calls least-privilege-iam with a command and options its parser accepts', () => {
    const calls = invocations(workflow);
    expect(calls).toEqual([['diff', 'origin/$BASE_REF', '--format', 'markdown', '--out', '$RUNNER_TEMP/iam-review']]);
    for (const args of calls) expect(parseArgs(args)).toMatchObject({ kind: 'run', command: 'diff', format: 'markdown', out: '$RUNNER_TEMP/iam-review', positionals: ['origin/$BASE_REF'] });
  });

  it('writes nothing into the checkout: the comment and the whole diff go to $RUNNER_TEMP, where the later steps read them', () => {
    const diffStep = steps.find((s) => s.run?.includes('least-privilege-iam diff'))!;
    const line = diffStep.run!.split('\n').find((l) => l.includes('least-privilege-iam diff'))!;
    // Every file the command writes: its --out folder and its redirected stdout.
    const out = /--out\s+("[^"]*"|\S+)/.exec(line)![1].replace(/"/g, '');
    const redirect = />\s*("[^"]*"|[^\s|&;]+)/.exec(line)![1].replace(/"/g, '');
    expect([out, redirect]).toEqual(['$RUNNER_TEMP/iam-review', '$RUNNER_TEMP/iam-diff.md']);
    // No other step of the workflow writes a file or names a path in the checkout.
    for (const step of steps) {
      if (step === diffStep) continue;
      for (const path of String(step.with?.path ?? '')
        .split('\n')
        .filter((p) => p.trim() !== ''))
        expect(path.trim().startsWith('${{ runner.temp }}/')).toBe(true);
      expect(String(step.with?.script ?? '')).not.toMatch(/['"`]iam-(diff|review)/);
    }
  });

  it("starts the command from node_modules/.bin, never through npm: npm would apply the pull request's .npmrc (node-options, script-shell) to the reviewer", () => {
    const lines = steps.flatMap((s) => (s.run ?? '').split('\n')).filter((l) => /least-privilege-iam\s/.test(l) && !l.trim().startsWith('#') && !l.trim().startsWith('echo'));
    expect(lines).toHaveLength(1);
    expect(lines[0].trim().startsWith('./node_modules/.bin/least-privilege-iam diff ')).toBe(true);
    expect(steps.map((s) => s.run ?? '').join('\n')).not.toMatch(/\b(npx|npm (exec|run|x))\b[^\n]*least-privilege-iam/);
  });

  it('the check fails on an option the CLI does not have', () => {
    const broken = yaml.load(text.replace('--format markdown', '--fromat markdown')) as Workflow;
    expect(() => invocations(broken).forEach((args) => parseArgs(args))).toThrow(UsageError);
  });

  it('runs on pull requests, with the history of the base branch, Node 20, and writes only comments', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    expect(steps.find((s) => s.uses?.startsWith('actions/checkout@'))!.with).toMatchObject({ 'fetch-depth': 0 });
    expect(steps.find((s) => s.uses?.startsWith('actions/setup-node@'))!.with).toMatchObject({ 'node-version': 20 });
    expect(steps.some((s) => s.run?.trim() === 'npm ci')).toBe(true);
  });

  it('updates its own comment (found by the marker the Markdown starts with), keeps the whole diff, and fails on exit 1 or 2', () => {
    const comment = steps.find((s) => s.uses?.startsWith('actions/github-script@'))!;
    expect(String(comment.with!.script)).toContain(`const marker = '${DIFF_COMMENT_MARKER}';`);
    expect(String(comment.with!.script)).toContain('const file = `${process.env.RUNNER_TEMP}/iam-diff.md`;');
    expect(String(comment.with!.script)).toContain("readFileSync(file, 'utf8')");
    const artifact = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    // The files `diff --out "$RUNNER_TEMP/iam-review"` writes.
    expect(String(artifact.with!.path).trim().split('\n')).toEqual(['${{ runner.temp }}/iam-review/permission-diff.md', '${{ runner.temp }}/iam-review/permission-diff.json']);
    const gate = steps[steps.length - 1];
    // Always: whatever happened to the comment; and an exit code never written ('') fails too.
    expect(gate.if).toBe("always() && steps.diff.outputs.exit-code != '0'");
    expect(gate.run).toContain('exit 1');
  });
});

describe('README.md: the workflow it shows', () => {
  it('is examples/github-actions/iam-review.yml, byte for byte, so the file the tests check is the one users copy', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.filter((block) => block.includes('least-privilege-iam diff'))).toEqual([readFileSync(FILE, 'utf8')]);
  });
});
