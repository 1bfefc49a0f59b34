import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

jest.setTimeout(300_000);

const root = join(__dirname, '../..');
const env = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' };

/**
 * A clone of this repository at its HEAD, with a node_modules folder of links to this tree's packages
 * (its own bundle cache, so that nothing it builds touches this tree's).
 */
function cloneOfHead(temp: string): string {
  const repo = join(temp, 'repo');
  execFileSync('git', ['clone', '--quiet', '--no-local', root, repo], { env });
  mkdirSync(join(repo, 'node_modules'));
  for (const entry of readdirSync(join(root, 'node_modules'))) if (entry !== '.cache') symlinkSync(join(root, 'node_modules', entry), join(repo, 'node_modules', entry));
  return repo;
}

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', ...args], { cwd: repo, env, encoding: 'utf8' });
}

/** This tree's `npm run diff` (scripts/diff.ts), run in `repo`. */
function diff(repo: string, ...args: string[]) {
  const child = spawnSync(process.execPath, [join(root, 'scripts', 'run-bundled.js'), 'scripts/diff.ts', ...args], { cwd: repo, env, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

function worktrees(repo: string): number {
  return git(repo, 'worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length;
}

/** main.ts with one more stack: a role whose inline policy is `statements`. */
function mainWithCraftedStack(statements: unknown[]): string {
  return `import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
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
new IamRolePolicy(stack, 'policy', { name: 'crafted', role: role.name, policy: ${JSON.stringify(JSON.stringify({ Version: '2012-10-17', Statement: statements }))} });
app.synth();
`;
}

describe('npm run diff (scripts/diff.ts)', () => {
  const temps: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'diff-test-'));
    temps.push(dir);
    return dir;
  };
  afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('against HEAD of an unchanged tree: no change, exit 0, and the worktree is gone', () => {
    const repo = cloneOfHead(temp());
    const result = diff(repo, 'HEAD');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Permission diff: HEAD \([0-9a-f]{7}\) -> the working tree\n\nNo change in effective permissions\.\n$/);
    expect(result.status).toBe(0);
    expect(worktrees(repo)).toBe(1);
    // The working tree's own cdktf.out is left alone: the diff synthesizes into a temporary folder.
    expect(readdirSync(repo)).not.toContain('cdktf.out');
  });

  describe('on a crafted commit', () => {
    const read: Record<string, unknown> = { Sid: 'Read', Action: ['s3:ListBucket', 's3:GetObject'], Effect: 'Allow', Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'] };
    const deny: Record<string, unknown> = { Sid: 'KeepSecrets', Action: 's3:GetObject', Effect: 'Deny', Resource: 'arn:aws:s3:::data/secret/*' };
    let repo: string;
    beforeAll(() => {
      repo = cloneOfHead(temp());
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([read, deny]));
      git(repo, 'commit', '--quiet', '-am', 'crafted stack');
    });

    it('a widening change: exit 1, each widening named and marked', () => {
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([{ ...read, Action: ['s3:ListBucket', 's3:GetObject', 'iam:PassRole'], Resource: '*' }]));
      const result = diff(repo, 'HEAD');
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
      expect(worktrees(repo)).toBe(1);
    });

    it('a pure reordering and reformatting: no change, exit 0', () => {
      const reordered = [{ Resource: 'arn:aws:s3:::data/secret/*', Effect: 'Deny', Action: ['s3:GetObject'] }, { Resource: ['arn:aws:s3:::data/*', 'arn:aws:s3:::data'], Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'] }];
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack(reordered));
      const result = diff(repo, 'HEAD');
      expect(result.stdout).toContain('No change in effective permissions.');
      expect(result.status).toBe(0);
    });

    it('a narrowing change: the removals listed, exit 0', () => {
      writeFileSync(join(repo, 'main.ts'), mainWithCraftedStack([{ ...read, Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }, deny]));
      const result = diff(repo, 'HEAD');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/ {7}- Allow s3 List: ListBucket {2}\(action no longer allowed\)/);
      expect(result.stdout).toMatch(/none widens permissions\.\n$/);
    });

    it('a ref whose synth fails: exit 2 with its output, and the worktree removed all the same', () => {
      writeFileSync(join(repo, 'main.ts'), "throw new Error('crafted synth failure');\n");
      git(repo, 'commit', '--quiet', '-am', 'broken synth');
      const result = diff(repo, 'HEAD');
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/^npm run diff: synthesizing HEAD \([0-9a-f]{7}\) failed/);
      expect(result.stderr).toContain('crafted synth failure');
      expect(worktrees(repo)).toBe(1);
      git(repo, 'reset', '--quiet', '--hard', 'HEAD~1');
    });
  });

  it('bad usage and unknown refs: exit 2', () => {
    const none = diff(root);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run diff -- <git-ref>');
    const unknown = diff(root, 'no-such-ref-anywhere');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('"no-such-ref-anywhere" is not a commit in this repository');
  });
});
