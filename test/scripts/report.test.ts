import { spawnSync } from 'child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { AccessReport } from '../../modules/review';
import { STACKS } from '../../stacks';
import { awsManagedPolicyDocument } from '../../modules/core';

jest.setTimeout(120_000);

const root = join(__dirname, '../..');
const env = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' };

function run(entry: string, args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawnSync(process.execPath, [join(root, 'scripts', 'run-bundled.js'), entry, ...args], { cwd: root, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

describe("npm run report (scripts/report.ts) on the project's own stacks", () => {
  const dirs: string[] = [];
  const tmp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  let out: string;
  let report: AccessReport;
  let markdown: string;
  beforeAll(() => {
    out = tmp('report-out-');
    const synth = run('main.ts', [], { CDKTF_OUTDIR: out });
    expect(synth.status).toBe(0);
    const result = run('scripts/report.ts', ['--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^npm run report: wrote .*access-report\.md and .*access-report\.json \(7 stacks, \d+ subjects\)\n$/);
    report = JSON.parse(readFileSync(join(out, 'access-report.json'), 'utf8')) as AccessReport;
    markdown = readFileSync(join(out, 'access-report.md'), 'utf8');
  });

  it('has every stack, and in it every role, user, group, bucket policy and SCP the stack creates', () => {
    expect(report.stacks.map((s) => s.stack)).toEqual(STACKS.map(([name]) => name).sort());
    for (const stack of report.stacks) {
      const resources = (JSON.parse(readFileSync(join(out, 'stacks', stack.stack, 'cdk.tf.json'), 'utf8')) as { resource: Resources }).resource;
      const names = (type: string, attribute: string) => Object.values(resources[type] ?? {}).map((r) => r[attribute] as string);
      const subjects = (kind: string) => stack.subjects.filter((s) => s.kind === kind).map((s) => s.name);
      expect(subjects('role')).toEqual(expect.arrayContaining(names('aws_iam_role', 'name')));
      expect(subjects('user')).toEqual(expect.arrayContaining(names('aws_iam_user', 'name')));
      expect(subjects('group')).toEqual(expect.arrayContaining(names('aws_iam_group', 'name')));
      expect(subjects('bucket-policy')).toEqual(names('aws_s3_bucket_policy', 'bucket'));
      expect(subjects('service-control-policy')).toEqual(names('aws_organizations_policy', 'name'));
      // Every policy resource is reported on some subject.
      const reported = new Set(stack.subjects.flatMap((s) => [...s.policies, ...(s.boundary ? [s.boundary.policy] : [])].map((p) => p.address)));
      for (const type of ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_group_policy', 'aws_iam_user_policy', 'aws_s3_bucket_policy', 'aws_organizations_policy']) {
        for (const name of Object.keys(resources[type] ?? {})) expect([stack.stack, `${type}.${name}`, reported.has(`${type}.${name}`)]).toEqual([stack.stack, `${type}.${name}`, true]);
      }
    }
  });

  it('lists every action each policy names, under its effect', () => {
    for (const stack of report.stacks) {
      const resources = (JSON.parse(readFileSync(join(out, 'stacks', stack.stack, 'cdk.tf.json'), 'utf8')) as { resource: Resources }).resource;
      for (const subject of stack.subjects) {
        for (const policy of subject.policies.filter((p) => p.expanded)) {
          type Statements = { Statement: { Effect: string; Action?: string | string[] }[] };
          // An AWS managed policy is expanded from the library's copy of AWS's; the others are in the stack.
          const [type, name] = policy.address?.split('.') ?? [];
          const body = type === undefined ? undefined : resources[type][name];
          const document = (body === undefined ? awsManagedPolicyDocument(policy.arn!)!.document : JSON.parse((body.policy ?? body.content) as string)) as Statements;
          for (const statement of document.Statement) {
            for (const action of typeof statement.Action === 'string' ? [statement.Action] : (statement.Action ?? [])) {
              // Services are matched case-insensitively, as IAM does (AWS_ConfigRole writes cloudTrail:GetChannel).
              const [service, actionName] = action.split(':');
              const listed = subject.permissions.some(
                (r) =>
                  r.effect === statement.Effect &&
                  (r.service === '*' || (r.service === service.toLowerCase() && (r.allActions || r.actions.some((a) => new RegExp(`^${actionName.replace(/\*/g, '.*')}$`, 'i').test(a))))),
              );
              expect([stack.stack, subject.name, statement.Effect, action, listed]).toEqual([stack.stack, subject.name, statement.Effect, action, true]);
            }
          }
        }
      }
    }
  });

  it('recovers the state-access principals in Terraform terms', () => {
    const withState = report.stacks.flatMap((s) => s.subjects.filter((x) => x.terraformState !== undefined).map((x) => `${s.stack}: ${x.id}`));
    expect(withState).toEqual([
      'ci-policies: user aws ci',
      'ci-terraform-github: role aws infra-apply',
      'ci-terraform-github: role aws infra-plan',
      'state-access-multi: role aws developer-state-access',
      'state-access-simple: role aws state-access',
    ]);
    expect(markdown).toContain('| apply | `terraform.tfstate` | `env:` | default, `*` |');
    expect(markdown).toContain('| plan | `terraform.tfstate` | `applications/my-app` | `staging`, `test` |');
    expect(markdown).toContain('| read | `terraform.tfstate` | `infra/network` | default, `*` | none |');
  });

  it('expands the AWS managed policies into their grants, and flags the risky grants', () => {
    const central = report.stacks.find((s) => s.stack === 'example-corp')!.subjects.find((s) => s.name === 'CentralCloudTeamReadonlyRole')!;
    expect(central.policies).toEqual([expect.objectContaining({ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', expanded: true, version: expect.stringMatching(/^v\d+$/) })]);
    expect(central.flags).not.toContain('NOT_EXPANDED');
    expect(central.permissions.find((r) => r.service === 's3' && r.actions.includes('GetObject'))).toMatchObject({ effect: 'Allow', resources: ['*'] });
    const pipeline = report.stacks.find((s) => s.stack === 'example-corp')!.subjects.find((s) => s.name === 'CICDPipelineRole')!;
    expect(pipeline.flags).toEqual(expect.arrayContaining(['SERVICE_WILDCARD', 'PERMISSIONS_MANAGEMENT', 'PASS_ROLE']));
  });

  it('is deterministic: byte-identical on a second run, with no absolute path and no time in it', () => {
    const second = run('scripts/report.ts', ['--out', out]);
    expect(second.status).toBe(0);
    expect(readFileSync(join(out, 'access-report.md'), 'utf8')).toBe(markdown);
    expect(readFileSync(join(out, 'access-report.json'), 'utf8')).toBe(`${JSON.stringify(report, null, 2)}\n`);
    for (const text of [markdown, JSON.stringify(report)]) {
      expect(text).not.toContain(out);
      expect(text).not.toContain(root);
      expect(text).not.toMatch(/\b20\d\d-\d\d-\d\dT/);
    }
  });

  it('fails with exit 2 naming the stack, the resource and the fix for a stack it cannot read', () => {
    const bad = tmp('report-bad-');
    mkdirSync(join(bad, 'stacks', 'broken'), { recursive: true });
    // A trust policy that is not JSON (one built from a data source is read: a policy of unknown content).
    const resources = { aws_iam_role: { r: { name: 'r', assume_role_policy: '{"Version":"2012-10-17"' } } };
    writeFileSync(join(bad, 'stacks', 'broken', 'cdk.tf.json'), JSON.stringify({ resource: resources }));
    const result = run('scripts/report.ts', ['--out', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('npm run report: stack broken: 1 problem');
    expect(result.stderr).toContain('aws_iam_role.r.assume_role_policy');
    expect(result.stderr).toContain('Fix:');
    expect(readdirSync(bad)).toEqual(['stacks']); // nothing written
  });

  it("fails with exit 2 (UNREVIEWED_FILE) when a stack's folder holds a file Terraform loads that the review does not read, writing nothing", () => {
    const copy = tmp('report-extra-');
    cpSync(join(out, 'stacks'), join(copy, 'stacks'), { recursive: true });
    copyFileSync(join(out, 'manifest.json'), join(copy, 'manifest.json'));
    writeFileSync(join(copy, 'stacks', 'ci-web', 'main_override.tf.json'), JSON.stringify({ resource: { aws_iam_role: { role: { assume_role_policy: '{}' } } } }));
    const result = run('scripts/report.ts', ['--out', copy]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("npm run report: UNREVIEWED_FILE: Terraform loads 1 file of the stacks' folders that the review does not read");
    expect(result.stderr).toContain("/stacks/ci-web/main_override.tf.json: an override file: Terraform merges it into the blocks of the folder's other files");
    expect(readdirSync(copy).sort()).toEqual(['manifest.json', 'stacks']);
  });

  it('fails with exit 2 when there is nothing synthesized, or on bad arguments', () => {
    const empty = run('scripts/report.ts', ['--out', tmp('report-empty-')]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/no synthesized stack.*run `npm run synth` first/);
    const usage = run('scripts/report.ts', ['--bogus']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run report');
  });
});
