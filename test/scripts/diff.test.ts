import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { REVIEWER_ENV } from '../../modules/cli/synth-env';
import { cloneOfWorkingTree, git as gitIn } from './working-tree-clone';

jest.setTimeout(300_000);

const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' };
delete env.CDKTF_OUTDIR;
delete env[REVIEWER_ENV];

function git(repo: string, ...args: string[]): string {
  return gitIn(repo, env, ...args);
}

/** `npm run diff -- <args>` in `repo`, as npm runs it there: the clone's own package.json script. */
function diff(repo: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const child = spawnSync(process.execPath, [join(repo, 'scripts', 'run-bundled.js'), 'scripts/diff.ts', ...args], { cwd: repo, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function worktrees(repo: string): number {
  return git(repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((l) => l.startsWith('worktree ')).length;
}

/**
 * main.ts with one more stack: a role whose inline policy's statements are `statements` (or the TypeScript
 * expression `statements` when a string); `before` runs before anything, `after` after the synth.
 */
function mainWithCraftedStack(statements: unknown[] | string, after = '', before = ''): string {
  return `${before}
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { buildStacks } from './stacks';

const app = new App();
buildStacks(app);
const stack = new TerraformStack(app, 'review-crafted');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
const role = new IamRole(stack, 'role', {
  name: 'crafted',
  assumeRolePolicy: ${JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' } }] }))},
});
new IamRolePolicy(stack, 'policy', { name: 'crafted', role: role.name, policy: JSON.stringify({ Version: '2012-10-17', Statement: STATEMENTS }) });
app.synth();
${after}
`.replace('STATEMENTS', typeof statements === 'string' ? statements : JSON.stringify(statements));
}

const read: Record<string, unknown> = { Sid: 'Read', Action: ['s3:ListBucket', 's3:GetObject'], Effect: 'Allow', Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'] };
const deny: Record<string, unknown> = { Sid: 'KeepSecrets', Action: 's3:GetObject', Effect: 'Deny', Resource: 'arn:aws:s3:::data/secret/*' };
const wide: Record<string, unknown> = { ...read, Action: ['s3:ListBucket', 's3:GetObject', 'iam:PassRole'], Resource: '*' };

describe('npm run diff (scripts/diff.ts)', () => {
  const temps: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'diff-test-'));
    temps.push(dir);
    return dir;
  };
  afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('against HEAD of an unchanged tree: no change, exit 0, the worktrees gone and no output folder left', () => {
    const repo = cloneOfWorkingTree(temp(), env);
    const result = diff(repo, ['HEAD']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Permission diff: HEAD \([0-9a-f]{7}\) -> the working tree\n\nNo change in effective permissions\.\n$/);
    expect(result.status).toBe(0);
    expect(worktrees(repo)).toBe(1);
    // The working tree synthesized into cdktf.out, as `cdktf synth` does, and removed: it was not there before.
    expect(readdirSync(repo)).not.toContain('cdktf.out');
  });

  describe('on a crafted commit', () => {
    let repo: string;
    beforeAll(() => {
      repo = cloneOfWorkingTree(temp(), env);
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([read, deny]));
      git(repo, 'commit', '--quiet', '-am', 'crafted stack');
    });
    afterEach(() => {
      git(repo, 'checkout', '--quiet', '--', '.');
      git(repo, 'clean', '--quiet', '-fd', '--', 'modules', 'scripts');
      expect(worktrees(repo)).toBe(1);
    });

    it('a widening change: exit 1, each widening named and marked', () => {
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([wide]));
      const result = diff(repo, ['HEAD']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(1);
      const out = result.stdout;
      expect(out).toContain('stack review-crafted\n  role crafted (aws)  WIDENS\n');
      expect(out).toMatch(/WIDENS \+ Allow iam Write: PassRole {2}\(new action\)\n\s+on \*\n\s+risky: PASS_ROLE, ANY_RESOURCE/);
      expect(out).toMatch(/WIDENS \+ Allow s3 Read: GetObject {2}\(more resources\)/);
      expect(out).toMatch(/WIDENS - Deny s3 Read: GetObject {2}\(Deny removed\)\n\s+on arn:aws:s3:::data\/secret\/\*/);
      expect(out).toMatch(/Exit 1: this change widens permissions; ask for a second reviewer\.\n$/);
      // Only the crafted stack changed.
      expect(out.match(/^stack /gm)).toEqual(['stack ']);
    });

    it('a branch that edits the review code to always say "no change" is still reported as widening: the ref\'s code reviews', () => {
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([wide]));
      // The diff and the renderers say nothing changed; the CLI exits 0 whatever the verdict.
      const permissionDiff = join(repo, 'modules', 'review', 'permission-diff.ts');
      writeFileSync(
        permissionDiff,
        readFileSync(permissionDiff, 'utf8').replace(/(export function permissionDiff\([^)]*\)[^{]*\{)/, '$1\n  if (before !== after) return { stacks: [], widens: false };'),
      );
      expect(readFileSync(permissionDiff, 'utf8')).toContain('return { stacks: [], widens: false };');
      const cliMain = join(repo, 'modules', 'cli', 'main.ts');
      writeFileSync(cliMain, `${readFileSync(cliMain, 'utf8')}\nprocess.on('exit', () => { process.exitCode = 0; });\n`);
      const result = diff(repo, ['HEAD']);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/WIDENS \+ Allow iam Write: PassRole {2}\(new action\)/);
      // Reviewed by the working tree's own code, on request only, the sabotage shows: the base is what keeps it out.
      const own = diff(repo, ['HEAD'], { [REVIEWER_ENV]: 'working-tree' });
      expect(own.stderr).toContain(`npm run diff: reviewing with this working tree's own review code (${REVIEWER_ENV}=working-tree)`);
      expect([own.status, own.stdout]).toEqual([0, expect.stringContaining('No change in effective permissions.')]);
    });

    it('a synth that behaves differently when it can tell it runs under the diff: it cannot, by the output folder or the environment', () => {
      // Narrow whenever the output folder is not the one `cdktf synth` passes, or a variable only the diff sets is there.
      const detector = `const underDiff = process.env.CDKTF_OUTDIR !== 'cdktf.out' || process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS !== 'true' || Object.keys(process.env).some((k) => /REVIEWER|PERMISSION_DIFF/i.test(k)) || process.cwd() !== ${JSON.stringify(repo)};`;
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack(`underDiff ? ${JSON.stringify([read, deny])} : ${JSON.stringify([wide])}`, '', detector));
      const result = diff(repo, ['HEAD']);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/WIDENS \+ Allow iam Write: PassRole {2}\(new action\)/);
    });

    it("a file the working tree's synth adds to a stack's folder: merged when it can be, else an unreviewed access change (exit 1)", () => {
      const extra = (name: string, text: string) => `require('fs').writeFileSync(require('path').join(app.outdir, 'stacks', 'review-crafted', ${JSON.stringify(name)}), ${JSON.stringify(text)});`;
      const sneaky = {
        resource: {
          aws_iam_role_policy: { sneaky: { name: 'sneaky', role: 'crafted', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }] }) } },
        },
      };
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([read, deny], extra('sneaky.tf.json', JSON.stringify(sneaky))));
      const merged = diff(repo, ['HEAD']);
      expect(merged.status).toBe(1);
      expect(merged.stdout).toMatch(/WIDENS \+ Allow iam:\* \(every iam action\) {2}\(new action\)[\s\S]*from inline sneaky/);
      expect(merged.stdout).not.toContain('UNREVIEWED');

      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([read, deny], extra('sneaky.tf', 'resource "aws_iam_user_policy_attachment" "x" {}')));
      const hcl = diff(repo, ['HEAD', '--format', 'json']);
      expect(hcl.status).toBe(1);
      const json = JSON.parse(hcl.stdout) as { verdict: string; exitCode: number; summary: { changes: number }; unreviewed: unknown[] };
      expect(json).toMatchObject({ verdict: 'widens', exitCode: 1, summary: { changes: 0 } });
      expect(json.unreviewed).toEqual([
        { side: 'the working tree', stack: 'review-crafted', file: 'cdktf.out/stacks/review-crafted/sneaky.tf', reason: 'a Terraform (HCL) file: the review reads JSON only' },
      ]);
      const text = diff(repo, ['HEAD']);
      expect(text.status).toBe(1);
      expect(text.stdout).toBe(
        'Permission diff: HEAD (' +
          git(repo, 'rev-parse', '--short=7', 'HEAD').trim() +
          ') -> the working tree\n\n' +
          'UNREVIEWED ACCESS CHANGE: Terraform loads 1 file the review does not read; this change counts as widening:\n' +
          '  the working tree: cdktf.out/stacks/review-crafted/sneaky.tf: a Terraform (HCL) file: the review reads JSON only\n\n' +
          'No change in effective permissions.\n' +
          'Exit 1: Terraform loads files the review does not read; ask for a second reviewer.\n',
      );
      const markdown = diff(repo, ['HEAD', '--format', 'markdown']);
      expect(markdown.status).toBe(1);
      expect(markdown.stdout).toMatch(
        /^<!-- least-privilege-iam:diff -->\n## Permission diff: `HEAD \([0-9a-f]{7}\)` -> the working tree\n\n\*\*Unreviewed access change: Terraform loads 1 file the review does not read\. This change counts as widening: ask for a second reviewer\.\*\*\n\n- `the working tree`: `cdktf.out\/stacks\/review-crafted\/sneaky\.tf`: a Terraform \(HCL\) file/,
      );
    });

    it('the same unreviewed file on both sides still exits 1: what it does depends on the files beside it', () => {
      const after = "require('fs').writeFileSync(require('path').join(app.outdir, 'stacks', 'review-crafted', 'backend_override.tf.json'), '{}');";
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([read, deny], after));
      git(repo, 'commit', '--quiet', '-am', 'an override file, on both sides');
      try {
        const result = diff(repo, ['HEAD', '--format', 'json']);
        expect(result.status).toBe(1);
        const json = JSON.parse(result.stdout) as { summary: { changes: number }; unreviewed: { side: string; file: string }[] };
        expect(json.summary.changes).toBe(0);
        expect(json.unreviewed.map((u) => u.file)).toEqual(['cdktf.out/stacks/review-crafted/backend_override.tf.json', 'cdktf.out/stacks/review-crafted/backend_override.tf.json']);
        expect(json.unreviewed.map((u) => u.side)).toEqual([expect.stringMatching(/^HEAD \([0-9a-f]{7}\)$/), 'the working tree']);
      } finally {
        git(repo, 'reset', '--quiet', '--hard', 'HEAD~1');
      }
    });

    it("synthesizes with cdktf.json's context, as cdktf synth does: a change of context alone is reviewed", () => {
      const config = JSON.parse(readFileSync(join(repo, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(repo, 'cdktf.json'), JSON.stringify({ ...config, context: { 'jetsDeploy.users': ['tung', 'mallory'] } }, null, 2));
      const result = diff(repo, ['HEAD', '--format', 'json']);
      expect(result.status).toBe(1);
      const json = JSON.parse(result.stdout) as { widened: { stack: string; kind: string; name: string; status: string }[] };
      expect(json.widened.map((s) => `${s.stack} ${s.kind} ${s.name} ${s.status}`)).toEqual(['jets-deploy user mallory added']);
    });

    it('a pure reordering and reformatting: no change, exit 0', () => {
      const reordered = [
        { Resource: 'arn:aws:s3:::data/secret/*', Effect: 'Deny', Action: ['s3:GetObject'] },
        { Resource: ['arn:aws:s3:::data/*', 'arn:aws:s3:::data'], Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'] },
      ];
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack(reordered));
      const result = diff(repo, ['HEAD']);
      expect(result.stdout).toContain('No change in effective permissions.');
      expect(result.status).toBe(0);
    });

    it("a narrowing change: the removals listed, exit 0; an output folder that was there is left with the working tree's stacks", () => {
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([{ ...read, Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }, deny]));
      mkdirSync(join(repo, 'cdktf.out'));
      try {
        const result = diff(repo, ['HEAD']);
        expect(result.status).toBe(0);
        expect(result.stdout).toMatch(/ {7}- Allow s3 List: ListBucket {2}\(action no longer allowed\)/);
        expect(result.stdout).toMatch(/none widens permissions\.\n$/);
        expect(readFileSync(join(repo, 'cdktf.out', 'stacks', 'review-crafted', 'cdk.tf.json'), 'utf8')).not.toContain('ListBucket');
      } finally {
        rmSync(join(repo, 'cdktf.out'), { recursive: true, force: true });
      }
    });

    it('a ref whose synth fails: exit 2 with its output, and the worktrees removed all the same', () => {
      writeFileSync(join(repo, 'main.ts'), "throw new Error('crafted synth failure');\n");
      git(repo, 'commit', '--quiet', '-am', 'broken synth');
      try {
        const result = diff(repo, ['HEAD']);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^npm run diff: synthesizing HEAD \([0-9a-f]{7}\) failed/);
        expect(result.stderr).toContain('crafted synth failure');
      } finally {
        git(repo, 'reset', '--quiet', '--hard', 'HEAD~1');
      }
    });
  });

  it("the launcher names the reviewer's variable as modules/cli does (it imports nothing of modules/)", () => {
    const launcher = readFileSync(join(__dirname, '../../scripts/diff.ts'), 'utf8');
    expect(launcher).toContain(`const REVIEWER_ENV = '${REVIEWER_ENV}';`);
    expect(launcher.match(/^import .* from '\.\.\/modules\/.*$/gm)).toEqual(["import type * as Cli from '../modules/cli/main';"]);
  });

  it('bad usage, unknown refs, and a ref with no review code: exit 2 (a document saying so for a comment or a bot)', () => {
    const repo = cloneOfWorkingTree(temp(), env);
    const none = diff(repo, []);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run diff -- <git-ref>');
    const unknown = diff(repo, ['no-such-ref-anywhere', '--format', 'json']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('"no-such-ref-anywhere" is not a commit in this repository');
    expect(JSON.parse(unknown.stdout)).toMatchObject({ verdict: 'undecided', exitCode: 2 });
    // The repository's first commit came before npm run diff.
    const first = git(repo, 'rev-list', '--max-parents=0', 'HEAD').trim();
    const old = diff(repo, [first, '--format', 'markdown']);
    expect(old.status).toBe(2);
    expect(old.stderr).toContain('has no scripts/run-bundled.js: no review code at the ref to review the working tree with');
    expect(old.stdout).toContain('**Could not decide whether this change widens permissions** (exit 2)');
    expect(worktrees(repo)).toBe(1);
    expect(existsSync(join(repo, 'cdktf.out'))).toBe(false);
  });
});
