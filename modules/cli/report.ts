/**
 * `least-privilege-iam report`: the access report of the app's synthesized stacks. Reads the output
 * folder as it is, or synthesizes into it first when given `--synth`; writes the whole report beside the
 * stacks (access-report.md, access-report.json) and prints it in the format asked.
 */
import { writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { accessReport, GITHUB_COMMENT_MAX_LENGTH, plural, readSynthesizedStacks, renderReport, reportJson } from '../review';
import type { Format } from './args';
import { CliError, findAppRoot, outDirOf, readCdktfJson, readStackFiles, runSynth, shownPath } from './app';
import { cdktfSynthEnv } from './synth-env';

export interface ReportRun {
  /** How the command is named in messages and in the report, e.g. `least-privilege-iam report`. */
  readonly name: string;
  readonly synth?: string;
  readonly out?: string;
  readonly format: Format;
  /** What to run first when nothing is synthesized, for the message, e.g. `npx cdktf synth`. */
  readonly synthHint: string;
  readonly cwd: string;
}

/** Runs the report; returns the exit code (0), or throws `CliError` (exit 2). */
export async function runReport(run: ReportRun): Promise<number> {
  const { name } = run;
  // The app's folder is needed only to find the default output folder or to synthesize.
  const appRoot = run.out !== undefined && run.synth === undefined ? undefined : findAppRoot(run.cwd, name);
  const outDir = appRoot === undefined ? resolve(run.cwd, run.out!) : outDirOf(appRoot, run.out === undefined ? undefined : resolve(run.cwd, run.out), name);
  const shown = shownPath(outDir, run.cwd);
  let since: number | undefined;
  if (run.synth !== undefined) {
    since = Date.now();
    // CDKTF_OUTDIR as `cdktf synth --output <dir>` run in the app's folder passes it.
    const rel = relative(appRoot!, outDir);
    const cdktfOut = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : outDir;
    const failed = await runSynth(name, 'the app', run.synth, appRoot!, cdktfSynthEnv(readCdktfJson(appRoot!, name), cdktfOut));
    if (failed !== undefined) throw failed;
  }
  const fix = `run \`${run.synthHint}\` first, or pass --synth "<command>"`;
  const read = readStackFiles(outDir, shown, name, fix, since);
  if (read.unreviewed.length > 0) {
    // A report that leaves out what a file grants would read as the whole truth: none is written.
    throw new CliError(
      `${name}: UNREVIEWED_FILE: Terraform loads ${read.unreviewed.length === 1 ? '1 file' : `${read.unreviewed.length} files`} of the stacks' folders that the review does not read, so the report would leave out what ${read.unreviewed.length === 1 ? 'it grants' : 'they grant'}:\n` +
        read.unreviewed.map((u) => `  ${u.file}: ${u.reason}`).join('\n') +
        "\nFix: remove each from its stack's folder, or declare what it holds in the app (a stack's folder holds only what the synth writes)",
    );
  }
  const stacks = readSynthesizedStacks(read.files, name);
  const report = accessReport(stacks);
  // The files hold the whole report; what is printed for a comment is cut to fit and says where they are.
  const source = { stacksDir: 'stacks', command: name, jsonFile: 'access-report.json' };
  writeFileSync(join(outDir, 'access-report.md'), renderReport(report, source));
  writeFileSync(join(outDir, 'access-report.json'), reportJson(report));
  const subjects = report.stacks.reduce((n, s) => n + s.subjects.length, 0);
  const wrote = `${name}: wrote ${shown}/access-report.md and ${shown}/access-report.json (${plural(report.stacks.length, 'stack')}, ${plural(subjects, 'subject')})\n`;
  if (run.format === 'text') {
    process.stdout.write(wrote);
    return 0;
  }
  // stdout is the document; what was written goes to stderr.
  process.stderr.write(wrote);
  if (run.format === 'json') process.stdout.write(reportJson(report));
  else {
    const fullText = `\`${shown}/access-report.md\` and \`${shown}/access-report.json\`, written by \`${name}\` (keep them as a CI artifact, or run it locally)`;
    process.stdout.write(renderReport(report, { ...source, stacksDir: `${shown}/stacks`, stacksWhere: 'of the app' }, { maxLength: GITHUB_COMMENT_MAX_LENGTH, fullText }));
  }
  return 0;
}
