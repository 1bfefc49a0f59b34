import { spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { cloneOfWorkingTree } from './working-tree-clone';

jest.setTimeout(300_000);

const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' };
delete env.CDKTF_OUTDIR;
delete env.CDKTF_CONTEXT_JSON;

/** Every file under `dir`, by its path relative to it. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

// `npm run synth` runs main.ts directly, `cdktf synth` runs it (cdktf.json's "app") with cdktf.json's context
// in CDKTF_CONTEXT_JSON: main.ts gives itself the same context, so the two write the same stacks.
describe('npm run synth and cdktf synth: the same inputs, the same stacks', () => {
  let temp: string;
  let repo: string;
  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'synth-test-'));
    repo = cloneOfWorkingTree(temp, env);
  });
  afterAll(() => rmSync(temp, { recursive: true, force: true }));

  const npmSynth = (extra: NodeJS.ProcessEnv = {}) => {
    rmSync(join(repo, 'cdktf.out'), { recursive: true, force: true });
    const result = spawnSync('npm', ['run', '-s', 'synth'], { cwd: repo, env: { ...env, ...extra }, encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([0, '']);
    return files(join(repo, 'cdktf.out'));
  };
  const cdktfSynth = (extra: NodeJS.ProcessEnv = {}) => {
    rmSync(join(repo, 'by-cdktf'), { recursive: true, force: true });
    const result = spawnSync(join(repo, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', 'by-cdktf'], { cwd: repo, env: { ...env, ...extra }, encoding: 'utf8' });
    expect(result.status).toBe(0);
    return files(join(repo, 'by-cdktf'));
  };

  it("a stack that reads its settings from cdktf.json's context: byte for byte the same, and the context applied", () => {
    const config = JSON.parse(readFileSync(join(repo, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(repo, 'cdktf.json'), JSON.stringify({ ...config, context: { 'ciWeb.roleName': 'ci-from-context', 'jetsDeploy.users': ['ann', 'bob'] } }, null, 2));
    const byNpm = npmSynth();
    const byCdktf = cdktfSynth();
    expect(Object.keys(byNpm).sort()).toEqual(Object.keys(byCdktf).sort());
    expect(byNpm).toEqual(byCdktf);
    const ciWeb = JSON.parse(byNpm['stacks/ci-web/cdk.tf.json']) as { resource: { aws_iam_role: Record<string, { name: string }> } };
    expect(Object.values(ciWeb.resource.aws_iam_role).map((r) => r.name)).toEqual(['ci-from-context']);
    expect(byNpm['stacks/jets-deploy/cdk.tf.json']).toContain('"ann"');
    // The environment before the context, as the settings promise, in both.
    const overridden = npmSynth({ CI_WEB_ROLE_NAME: 'ci-from-env' });
    expect(overridden).toEqual(cdktfSynth({ CI_WEB_ROLE_NAME: 'ci-from-env' }));
    expect(overridden['stacks/ci-web/cdk.tf.json']).toContain('"ci-from-env"');
  });

  it('with no context in cdktf.json, a CDKTF_CONTEXT_JSON of the environment is the context of both', () => {
    const config = JSON.parse(readFileSync(join(repo, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
    delete config.context;
    writeFileSync(join(repo, 'cdktf.json'), JSON.stringify(config, null, 2));
    const context = { CDKTF_CONTEXT_JSON: JSON.stringify({ 'ciWeb.roleName': 'ci-from-env-context' }) };
    const byNpm = npmSynth(context);
    expect(byNpm).toEqual(cdktfSynth(context));
    expect(byNpm['stacks/ci-web/cdk.tf.json']).toContain('"ci-from-env-context"');
  });
});
