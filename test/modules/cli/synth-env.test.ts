import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { homedir, tmpdir } from 'os';
import { join } from 'path';
import { runSynth } from '../../../modules/cli/app';
import { cdktfContextJson, cdktfOutput, cdktfSynthEnv, REVIEWER_ENV } from '../../../modules/cli/synth-env';

jest.setTimeout(120_000);

const root = join(__dirname, '../../..');

describe('the environment cdktf synth gives an app (modules/cli/synth-env.ts)', () => {
  it("context: cdktf.json's replaces the environment's, else the environment's is kept; relative modules added; idempotent", () => {
    const inherited = { CDKTF_CONTEXT_JSON: JSON.stringify({ fromEnv: 1 }) };
    expect(JSON.parse(cdktfContextJson({ context: { 'ciWeb.roleName': 'x' } }, inherited))).toEqual({ 'ciWeb.roleName': 'x', cdktfRelativeModules: [] });
    expect(JSON.parse(cdktfContextJson({}, inherited))).toEqual({ fromEnv: 1, cdktfRelativeModules: [] });
    expect(JSON.parse(cdktfContextJson(undefined, {}))).toEqual({ cdktfRelativeModules: [] });
    // An empty object is a context all the same (cdktf tests it for truth), so it replaces the environment's.
    expect(JSON.parse(cdktfContextJson({ context: {} }, inherited))).toEqual({ cdktfRelativeModules: [] });
    const modules = ['./local', { name: 'x', source: '../other' }, 'terraform-aws-modules/vpc/aws@5.0.0', { name: 'y', source: 'hashicorp/consul/aws' }];
    expect(JSON.parse(cdktfContextJson({ context: { a: 1 }, terraformModules: modules }, {}))).toEqual({ a: 1, cdktfRelativeModules: ['./local', { name: 'x', source: '../other' }] });
    // Given the environment it made, it makes the same: an app that applies it under cdktf changes nothing.
    for (const config of [{ context: { a: 1 } }, {}, undefined]) {
      const once = cdktfContextJson(config, inherited);
      expect(cdktfContextJson(config, { CDKTF_CONTEXT_JSON: once })).toBe(once);
    }
  });

  it("the rest: TF_VAR_* and the diff's own variable left out, NODE_OPTIONS, NODE_ENV and TF_PLUGIN_CACHE_DIR only when unset", () => {
    const env = cdktfSynthEnv({ output: 'out' }, 'out', { PATH: '/bin', TF_VAR_secret: 's', [REVIEWER_ENV]: 'abc' });
    expect(env).toEqual({
      PATH: '/bin',
      NODE_ENV: 'production',
      TF_PLUGIN_CACHE_DIR: join(homedir(), '.terraform.d', 'plugin-cache'),
      NODE_OPTIONS: '--max-old-space-size=4096',
      CDKTF_OUTDIR: 'out',
      CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS: 'true',
      CDKTF_CONTEXT_JSON: '{"cdktfRelativeModules":[]}',
      SYNTH_HCL_OUTPUT: 'false',
    });
    const set = cdktfSynthEnv(undefined, 'cdktf.out', { NODE_ENV: 'test', NODE_OPTIONS: '--inspect', TF_PLUGIN_CACHE_DIR: '/cache' });
    expect(set).toMatchObject({ NODE_ENV: 'test', NODE_OPTIONS: '--inspect', TF_PLUGIN_CACHE_DIR: '/cache' });
    expect(cdktfSynthEnv(undefined, 'cdktf.out', { CDKTF_DISABLE_PLUGIN_CACHE_ENV: 'true' }).TF_PLUGIN_CACHE_DIR).toBeUndefined();
    expect([cdktfOutput(undefined), cdktfOutput({ output: 'build/out' }), cdktfOutput({ output: '' })]).toEqual(['cdktf.out', 'build/out', 'cdktf.out']);
  });

  it("is what cdktf-cli 0.21 gives: an app that records its environment sees the same under `cdktf synth` and under the CLI's synth", async () => {
    const app = mkdtempSync(join(tmpdir(), 'synth-env-'));
    try {
      const record = `const fs = require('fs'); const path = require('path');
fs.writeFileSync(process.argv[2], JSON.stringify({ cwd: process.cwd(), env: process.env }));
const out = process.env.CDKTF_OUTDIR; fs.mkdirSync(path.join(out, 'stacks'), { recursive: true });
fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: {} }));
`;
      writeFileSync(join(app, 'record.js'), record);
      const config = {
        language: 'typescript',
        app: `node record.js ${join(app, 'under-cdktf.json')}`,
        output: 'build/out',
        context: { 'ciWeb.roleName': 'from-context' },
        terraformModules: ['./mod'],
      };
      writeFileSync(join(app, 'cdktf.json'), JSON.stringify(config));
      // cdktf synth refuses an app with terraformModules whose bindings `cdktf get` has not generated.
      mkdirSync(join(app, '.gen'));
      // One environment for both, as a CI job's: with a TF_VAR_, an inherited context, no NODE_OPTIONS.
      const base: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', TF_VAR_token: 'x', CDKTF_CONTEXT_JSON: '{"inherited":true}' };
      delete base.NODE_OPTIONS;
      delete base.NODE_ENV;
      delete base.CDKTF_OUTDIR;
      const cdktf = spawnSync(join(root, 'node_modules', '.bin', 'cdktf'), ['synth'], { cwd: app, env: base, encoding: 'utf8' });
      expect(cdktf.status).toBe(0);
      // How the diff and the report run a synth.
      expect(await runSynth('test', 'the app', `node record.js ${join(app, 'direct.json')}`, app, cdktfSynthEnv(config, cdktfOutput(config), base))).toBeUndefined();
      const under = JSON.parse(readFileSync(join(app, 'under-cdktf.json'), 'utf8')) as { cwd: string; env: Record<string, string> };
      const ours = JSON.parse(readFileSync(join(app, 'direct.json'), 'utf8')) as { cwd: string; env: Record<string, string> };
      expect(ours.cwd).toBe(under.cwd);
      // `_` is the shell's last command; npm_* come from how jest was started and are the same in both.
      const differing = [...new Set([...Object.keys(under.env), ...Object.keys(ours.env)])].filter((k) => k !== '_' && under.env[k] !== ours.env[k]);
      expect(differing.map((k) => [k, under.env[k], ours.env[k]])).toEqual([]);
      expect(JSON.parse(ours.env.CDKTF_CONTEXT_JSON)).toEqual({ 'ciWeb.roleName': 'from-context', cdktfRelativeModules: ['./mod'] });
      expect(ours.env.CDKTF_OUTDIR).toBe('build/out');
      expect(ours.env.TF_VAR_token).toBeUndefined();
    } finally {
      rmSync(app, { recursive: true, force: true });
    }
  });
});
