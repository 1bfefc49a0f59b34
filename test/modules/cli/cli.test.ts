import { execFileSync, spawnSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { DiffReview } from '../../../modules/review';

jest.setTimeout(120_000);

const root = join(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
// No output folder inherited from whoever runs the tests: the CLI sets its own.
const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' };
delete env.CDKTF_OUTDIR;

/**
 * A team's own cdktf app, as it is after `npm install least-privilege-iam`: in a subfolder (`infra`) of
 * its git repository, with `node_modules/least-privilege-iam` holding the package as it is published (its
 * package.json with "bin", bin/, and dist/ built by `tsc -p tsconfig.build.json`), and
 * `node_modules/.bin/least-privilege-iam` linking to the bin. The other packages are links to this
 * tree's. The app is plain JavaScript (`node main.js`), reading the actions of its one role from
 * actions.json, so that a test changes permissions by writing a file.
 */
function consumerRepo(temp: string): { repo: string; app: string } {
  const repo = join(temp, 'repo');
  const app = join(repo, 'infra');
  const modules = join(app, 'node_modules');
  mkdirSync(join(modules, '@cdktf'), { recursive: true });
  for (const name of ['cdktf', 'constructs', '@cloud-copilot']) symlinkSync(join(root, 'node_modules', name), join(modules, name));
  symlinkSync(join(root, 'node_modules', '@cdktf', 'provider-aws'), join(modules, '@cdktf', 'provider-aws'));
  const installed = join(modules, 'least-privilege-iam');
  mkdirSync(join(installed, 'bin'), { recursive: true });
  writeFileSync(join(installed, 'package.json'), JSON.stringify({ ...pkg, bin: { 'least-privilege-iam': 'bin/least-privilege-iam.js' } }, null, 2));
  copyFileSync(join(root, 'bin', 'least-privilege-iam.js'), join(installed, 'bin', 'least-privilege-iam.js'));
  // Type errors elsewhere in the tree (work in progress) do not stop tsc emitting: the files are checked instead.
  spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')], { encoding: 'utf8' });
  expect(existsSync(join(installed, 'dist', 'modules', 'cli', 'main.js'))).toBe(true);
  mkdirSync(join(modules, '.bin'));
  symlinkSync('../least-privilege-iam/bin/least-privilege-iam.js', join(modules, '.bin', 'least-privilege-iam'));

  writeFileSync(join(repo, '.gitignore'), 'node_modules\ncdktf.out\n');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'team-infra', private: true }));
  writeFileSync(join(app, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node main.js' }));
  writeFileSync(
    join(app, 'main.js'),
    `const { App, TerraformStack } = require('cdktf');
const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
const { IamRole } = require('@cdktf/provider-aws/lib/iam-role');
const { IamRolePolicy } = require('@cdktf/provider-aws/lib/iam-role-policy');
const { actions, resource } = require('./actions.json');
const app = new App();
const stack = new TerraformStack(app, 'team');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
const role = new IamRole(stack, 'reader', {
  name: 'reader',
  assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }] }),
});
new IamRolePolicy(stack, 'read', { name: 'read', role: role.name, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: actions, Resource: resource }] }) });
app.synth();
`,
  );
  setActions(app, ['s3:GetObject'], 'arn:aws:s3:::data/*');
  git(repo, 'init', '--quiet');
  git(repo, 'add', '-A');
  git(repo, 'commit', '--quiet', '-m', 'the app');
  return { repo, app };
}

function setActions(app: string, actions: string[], resource: string): void {
  writeFileSync(join(app, 'actions.json'), JSON.stringify({ actions, resource }));
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, env, encoding: 'utf8' });
}

/** `node_modules/.bin/least-privilege-iam <args>`, run in `cwd` as a team runs it. */
function cli(cwd: string, app: string, ...args: string[]) {
  const child = spawnSync(join(app, 'node_modules', '.bin', 'least-privilege-iam'), args, { cwd, env, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/**
 * A commit on top of HEAD with some paths removed or written, made through a separate index: HEAD, the
 * branch and the working tree stay as they are. Returns its hash.
 */
function commitFromHead(repo: string, temp: string, change: { remove?: string[]; write?: Record<string, string> }): string {
  const indexEnv = { ...env, GIT_INDEX_FILE: join(temp, 'index-for-commit') };
  const run = (args: string[], input?: string) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: repo, env: indexEnv, encoding: 'utf8', ...(input !== undefined && { input }) }).trim();
  run(['read-tree', 'HEAD']);
  for (const path of change.remove ?? []) run(['rm', '--cached', '--quiet', '-r', path]);
  for (const [path, text] of Object.entries(change.write ?? {})) run(['update-index', '--add', '--cacheinfo', `100644,${run(['hash-object', '-w', '--stdin'], text)},${path}`]);
  const commit = run(['commit-tree', run(['write-tree']), '-p', 'HEAD', '-m', 'crafted']);
  rmSync(join(temp, 'index-for-commit'), { force: true });
  return commit;
}

function worktrees(repo: string): number {
  return git(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree ')).length;
}

describe("least-privilege-iam, installed in a team's own cdktf app", () => {
  let temp: string;
  let repo: string;
  let app: string;
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'cli-consumer-'));
    ({ repo, app } = consumerRepo(temp));
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  afterEach(() => {
    git(repo, 'checkout', '--quiet', '--', '.');
    setActions(app, ['s3:GetObject'], 'arn:aws:s3:::data/*');
    expect(worktrees(repo)).toBe(1); // every worktree removed, whatever happened
    expect(existsSync(join(app, 'cdktf.out'))).toBe(false); // the output folder the diff made, removed
  });

  it('--help, and a usage error exits 2 naming the argument', () => {
    const help = cli(app, app, '--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('least-privilege-iam diff <git-ref> [--synth "<command>"] [--out <dir>] [--format text|markdown|json]');
    const bad = cli(app, app, 'diff', 'HEAD', '--format', 'yaml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('least-privilege-iam diff: --format "yaml" is not one of text, markdown, json.');
  });

  it("diff HEAD with no change: exit 0, and the app's own folder is left alone", () => {
    const result = cli(app, app, 'diff', 'HEAD');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Permission diff: HEAD \([0-9a-f]{7}\) -> the working tree\n\nNo change in effective permissions\.\n$/);
    expect(result.status).toBe(0);
    expect(readdirSync(app)).not.toContain('cdktf.out');
  });

  it('a widening in the working tree: exit 1, and the text says what widened', () => {
    setActions(app, ['s3:GetObject', 'iam:PassRole'], '*');
    const result = cli(app, app, 'diff', 'HEAD');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('stack team\n  role reader (aws)  WIDENS\n');
    expect(result.stdout).toMatch(/WIDENS \+ Allow iam Write: PassRole {2}\(new action\)\n\s+on \*\n\s+risky: PASS_ROLE, ANY_RESOURCE/);
    expect(result.stdout).toMatch(/Exit 1: this change widens permissions; ask for a second reviewer\.\n$/);
  });

  it('--format json: the verdict, the exit code, the widened subject and its risky lines; run from a folder below the app, itself a subfolder of the repository', () => {
    setActions(app, ['s3:GetObject', 'iam:PassRole'], '*');
    // From a folder under the app (the app is found by its cdktf.json above it).
    mkdirSync(join(app, 'lib'), { recursive: true });
    const result = cli(join(app, 'lib'), app, 'diff', 'HEAD', '--format', 'json');
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout) as DiffReview;
    expect(json).toMatchObject({ format: 'least-privilege-iam/permission-diff', verdict: 'widens', exitCode: 1, after: 'the working tree' });
    expect(json.summary).toMatchObject({ widenedSubjects: 1, narrowedSubjects: 0, riskFlags: { PASS_ROLE: 1, ANY_RESOURCE: 2 } });
    expect(json.widened.map((s) => `${s.stack} ${s.kind} ${s.name}`)).toEqual(['team role reader']);
    expect(json.flagged.map((f) => f.line)).toEqual(['+ Allow s3 Read: GetObject on *', '+ Allow iam Write: PassRole on *']);
  });

  it('--format markdown with --out: a comment with the verdict first, and the whole diff written beside the synthesized stacks', () => {
    setActions(app, ['s3:GetObject', 'iam:PassRole'], '*');
    const result = cli(app, app, 'diff', 'HEAD', '--format', 'markdown', '--out', 'review-out');
    expect(result.status).toBe(1);
    const md = result.stdout;
    expect(md.startsWith('<!-- least-privilege-iam:diff -->\n## Permission diff: `HEAD (')).toBe(true);
    expect(md).toContain('**Widens permissions: 1 subject can do more than before. Ask for a second reviewer.**');
    expect(md).toContain('- `team`: role `reader`: `+ Allow iam Write: PassRole on *`: `PASS_ROLE` `ANY_RESOURCE`');
    expect(md.indexOf('**Risky lines added:**')).toBeLessThan(md.indexOf('<details>'));
    expect(readFileSync(join(app, 'review-out', 'permission-diff.md'), 'utf8')).toBe(md);
    expect(JSON.parse(readFileSync(join(app, 'review-out', 'permission-diff.json'), 'utf8'))).toMatchObject({ verdict: 'widens' });
    expect(readdirSync(join(app, 'review-out', 'stacks'))).toEqual(['team']);
    rmSync(join(app, 'review-out'), { recursive: true });
  });

  it("--out: the stacks reviewed are copied beside the diff; an output folder that was there holds the working tree's stacks afterwards", () => {
    setActions(app, ['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::data/*');
    mkdirSync(join(app, 'cdktf.out'));
    try {
      const result = cli(app, app, 'diff', 'HEAD', '--out', 'review-out');
      expect(result.status).toBe(1);
      expect(readdirSync(join(app, 'review-out')).sort()).toEqual(['manifest.json', 'permission-diff.json', 'permission-diff.md', 'stacks']);
      const copied = readFileSync(join(app, 'review-out', 'stacks', 'team', 'cdk.tf.json'), 'utf8');
      expect(copied).toContain('s3:PutObject');
      // Synthesized where `cdktf synth` writes, as it would.
      expect(readFileSync(join(app, 'cdktf.out', 'stacks', 'team', 'cdk.tf.json'), 'utf8')).toBe(copied);
    } finally {
      rmSync(join(app, 'review-out'), { recursive: true, force: true });
      rmSync(join(app, 'cdktf.out'), { recursive: true, force: true });
    }
  });

  it("synthesizes with the inputs cdktf synth gives: cdktf.json's context, CDKTF_OUTDIR as cdktf passes it", () => {
    // The app widens only under a real synth: with its context, into cdktf.out, with cdktf's variables.
    writeFileSync(
      join(app, 'main.js'),
      readFileSync(join(app, 'main.js'), 'utf8')
        .replace(
          'const app = new App();',
          "const app = new App();\nconst real = app.node.tryGetContext('team.wide') === true && process.env.CDKTF_OUTDIR === 'cdktf.out' && process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS === 'true';",
        )
        .replace('Action: actions, Resource: resource', "Action: real ? ['iam:PassRole'] : actions, Resource: real ? '*' : resource"),
    );
    const config = JSON.parse(readFileSync(join(app, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(app, 'cdktf.json'), JSON.stringify({ ...config, context: { 'team.wide': true } }));
    const result = cli(app, app, 'diff', 'HEAD', '--format', 'json');
    expect(result.status).toBe(1);
    expect((JSON.parse(result.stdout) as DiffReview).flagged.map((f) => f.line)).toEqual(['+ Allow iam Write: PassRole on *']);
  });

  it("a file Terraform loads that the working tree's synth adds to a stack's folder: an unreviewed access change, exit 1, in all three formats", () => {
    writeFileSync(
      join(app, 'main.js'),
      `${readFileSync(join(app, 'main.js'), 'utf8')}\nrequire('fs').writeFileSync(require('path').join(app.outdir, 'stacks', 'team', 'admin_override.tf.json'), '{}');\n`,
    );
    const text = cli(app, app, 'diff', 'HEAD');
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(
      /^Permission diff: HEAD \([0-9a-f]{7}\) -> the working tree\n\nUNREVIEWED ACCESS CHANGE: Terraform loads 1 file the review does not read; this change counts as widening:\n  the working tree: cdktf\.out\/stacks\/team\/admin_override\.tf\.json: an override file/,
    );
    expect(text.stdout).toMatch(/Exit 1: Terraform loads files the review does not read; ask for a second reviewer\.\n$/);
    const json = cli(app, app, 'diff', 'HEAD', '--format', 'json');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ verdict: 'widens', exitCode: 1, unreviewed: [{ side: 'the working tree', stack: 'team', file: 'cdktf.out/stacks/team/admin_override.tf.json' }] });
    const markdown = cli(app, app, 'diff', 'HEAD', '--format', 'markdown');
    expect(markdown.status).toBe(1);
    expect(markdown.stdout).toContain('**Unreviewed access change: Terraform loads 1 file the review does not read. This change counts as widening: ask for a second reviewer.**');
  });

  it("the review is the installed package's, loaded before any of the app's code runs: a synth that rewrites it does not change the verdict", () => {
    const installed = join(app, 'node_modules', 'least-privilege-iam', 'dist', 'modules', 'review', 'permission-diff.js');
    const original = readFileSync(installed, 'utf8');
    setActions(app, ['s3:GetObject', 'iam:PassRole'], '*');
    writeFileSync(
      join(app, 'main.js'),
      `${readFileSync(join(app, 'main.js'), 'utf8')}\nrequire('fs').writeFileSync(${JSON.stringify(installed)}, 'exports.permissionDiff = () => ({ stacks: [], widens: false });');\n`,
    );
    try {
      const result = cli(app, app, 'diff', 'HEAD');
      expect(readFileSync(installed, 'utf8')).not.toBe(original); // the synth did rewrite it
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/WIDENS \+ Allow iam Write: PassRole {2}\(new action\)/);
    } finally {
      writeFileSync(installed, original);
    }
  });

  it('a narrowing: exit 0, with the removal listed', () => {
    setActions(app, ['s3:GetObject', 's3:PutObject'], 'arn:aws:s3:::*');
    git(repo, 'commit', '--quiet', '-am', 'wider');
    try {
      setActions(app, ['s3:GetObject'], 'arn:aws:s3:::data/*');
      const result = cli(app, app, 'diff', 'HEAD');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/ {7}- Allow s3 Write: PutObject {2}\(action no longer allowed\)/);
      expect(result.stdout).toMatch(/ {7}- Allow s3 Read: GetObject {2}\(fewer resources\)/);
      expect(result.stdout).toMatch(/none widens permissions\.\n$/);
    } finally {
      git(repo, 'reset', '--quiet', '--hard', 'HEAD~1');
    }
  });

  it('a synth that fails exits 2 with its output (and a Markdown comment that says there is no verdict)', () => {
    writeFileSync(join(app, 'actions.json'), '{ not json');
    const result = cli(app, app, 'diff', 'HEAD', '--format', 'markdown');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^least-privilege-iam diff: synthesizing the working tree failed \(exit 1 of `node main.js`\):/);
    expect(result.stderr).toContain('actions.json');
    expect(result.stdout).toContain('**Could not decide whether this change widens permissions** (exit 2)');
  });

  it('a synth that does not write where CDKTF_OUTDIR says exits 2, rather than reading something else', () => {
    const result = cli(app, app, 'diff', 'HEAD', '--synth', 'CDKTF_OUTDIR=elsewhere node main.js');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the synth did not write');
    expect(result.stderr).toContain('it must write where CDKTF_OUTDIR says');
    rmSync(join(app, 'elsewhere'), { recursive: true, force: true });
  });

  it("an error annotation fails the diff (exit 2) as it fails cdktf synth, though the app writes its stacks under cdktf's variables", () => {
    writeFileSync(
      join(app, 'main.js'),
      readFileSync(join(app, 'main.js'), 'utf8').replace('app.synth();', "require('cdktf').Annotations.of(role).addError('no role named reader here');\napp.synth();"),
    );
    const result = cli(app, app, 'diff', 'HEAD');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'least-privilege-iam diff: the synth recorded an error annotation in the working tree: cdktf.out/manifest.json, which cdktf synth fails on:\n[team/reader] no role named reader here\nFix: correct what they say\n',
    );
  });

  it('an unknown ref exits 2 naming it', () => {
    const result = cli(app, app, 'diff', 'no-such-branch');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('least-privilege-iam diff: "no-such-branch" is not a commit in this repository.');
  });

  it('a ref without the app (the pull request that adds it): everything is new, exit 1, said plainly in all three formats', () => {
    // The app's folder is not in the ref at all; then the folder is, without cdktf.json.
    for (const remove of ['infra', 'infra/cdktf.json']) {
      const commit = commitFromHead(repo, temp, { remove: [remove] });
      const short = commit.slice(0, 7);
      const note = `${short} (${short}) has no app at infra: everything is new`;
      const text = cli(app, app, 'diff', short);
      expect([remove, text.status, text.stderr]).toEqual([remove, 1, '']);
      expect(text.stdout.startsWith(`Permission diff: ${short} (${short}) -> the working tree\n${note}\n\nstack team (added)\n  role reader (aws, added)  WIDENS\n`)).toBe(true);
      expect(text.stdout).toMatch(/WIDENS \+ Allow s3 Read: GetObject {2}\(new action\)/);
      expect(text.stdout).toContain('2 changes in 1 subject of 1 stack; 2 widen permissions.\n');
      const markdown = cli(app, app, 'diff', short, '--format', 'markdown');
      expect(markdown.status).toBe(1);
      expect(markdown.stdout).toContain(`## Permission diff: \`${short} (${short})\` -> the working tree\n\n**${note}.**\n\n**Widens permissions: 1 subject can do more than before.`);
      const json = cli(app, app, 'diff', short, '--format', 'json');
      expect(json.status).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ note, verdict: 'widens', exitCode: 1, summary: { stacks: 1, subjects: 1, widenedSubjects: 1 } });
    }
  });

  it('a ref with the app whose synth fails still exits 2: only the app\'s absence counts as "everything is new"', () => {
    const commit = commitFromHead(repo, temp, { write: { 'infra/actions.json': '{ not json' } });
    const result = cli(app, app, 'diff', commit, '--format', 'json');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^least-privilege-iam diff: synthesizing [0-9a-f]{40} \([0-9a-f]{7}\) failed \(exit 1 of `node main.js`\):/);
    expect(JSON.parse(result.stdout)).toMatchObject({ verdict: 'undecided', exitCode: 2 });
    expect(result.stdout).not.toContain('everything is new');
  });

  it('a working tree without the app (a change that deletes it): exit 2, saying why there is nothing to compare', () => {
    const file = join(app, 'cdktf.json');
    const text = readFileSync(file, 'utf8');
    rmSync(file);
    try {
      const result = cli(app, app, 'diff', 'HEAD');
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `least-privilege-iam diff: no cdktf.json in ${app} or any folder above it. Fix: run it in your cdktf app's folder (where cdktf.json is); ` +
          'diff compares the app in the working tree with the app at "HEAD", so a working tree without it (a change that deletes the app) has nothing to compare: review that deletion by hand\n',
      );
    } finally {
      writeFileSync(file, text);
    }
  });

  it('report: reads the stacks already synthesized, or synthesizes with --synth; markdown and json on stdout', () => {
    const none = cli(app, app, 'report');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('least-privilege-iam report: cdktf.out/stacks: no synthesized stack (no <stack>/cdk.tf.json). Fix: run `npx cdktf synth` first, or pass --synth "<command>"');
    const synthesized = cli(app, app, 'report', '--synth', 'node main.js');
    expect(synthesized.stderr).toBe('');
    expect(synthesized.status).toBe(0);
    expect(synthesized.stdout).toBe('least-privilege-iam report: wrote cdktf.out/access-report.md and cdktf.out/access-report.json (1 stack, 1 subject)\n');
    const markdown = cli(app, app, 'report', '--format', 'markdown');
    expect(markdown.status).toBe(0);
    expect(markdown.stdout.startsWith('<!-- least-privilege-iam:report -->\n# Access report\n')).toBe(true);
    expect(markdown.stdout).toContain('| `team` | Role `reader` |');
    const json = cli(app, app, 'report', '--format', 'json');
    expect(json.stdout).toBe(readFileSync(join(app, 'cdktf.out', 'access-report.json'), 'utf8'));
    expect(JSON.parse(json.stdout)).toMatchObject({ stacks: [{ stack: 'team', subjects: [{ kind: 'role', name: 'reader' }] }] });
    rmSync(join(app, 'cdktf.out'), { recursive: true });
  });

  it('report: a file Terraform loads that the review does not read fails it (UNREVIEWED_FILE, exit 2), writing nothing', () => {
    const synthesized = cli(app, app, 'report', '--synth', 'node main.js');
    expect(synthesized.status).toBe(0);
    writeFileSync(join(app, 'cdktf.out', 'stacks', 'team', 'extra.tf'), 'resource "aws_iam_user_policy" "x" {}');
    rmSync(join(app, 'cdktf.out', 'access-report.md'));
    const result = cli(app, app, 'report');
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "least-privilege-iam report: UNREVIEWED_FILE: Terraform loads 1 file of the stacks' folders that the review does not read, so the report would leave out what it grants:\n" +
        '  cdktf.out/stacks/team/extra.tf: a Terraform (HCL) file: the review reads JSON only\n' +
        "Fix: remove each from its stack's folder, or declare what it holds in the app (a stack's folder holds only what the synth writes)\n",
    );
    expect(existsSync(join(app, 'cdktf.out', 'access-report.md'))).toBe(false);
    rmSync(join(app, 'cdktf.out'), { recursive: true });
  });

  it('report: a manifest that deploys a stack from another folder than the one reviewed fails it (exit 2)', () => {
    expect(cli(app, app, 'report', '--synth', 'node main.js').status).toBe(0);
    const manifest = join(app, 'cdktf.out', 'manifest.json');
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { stacks: Record<string, { workingDirectory: string }> };
    json.stacks.team.workingDirectory = 'stacks/elsewhere';
    writeFileSync(manifest, JSON.stringify(json));
    const result = cli(app, app, 'report');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('least-privilege-iam report: cdktf.out/manifest.json deploys stack team from "stacks/elsewhere", not from stacks/team, the folder the review reads');
    rmSync(join(app, 'cdktf.out'), { recursive: true });
  });
});
