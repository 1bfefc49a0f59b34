/**
 * `cdktf synth --hcl`, the reviewer's view of the stacks: the real CLI writes `cdk.tf` for every stack,
 * terraform parses each, and each declares the same blocks, with the same policy text, as `cdk.tf.json`.
 * Switching format in one output folder leaves only the new format's files (terraform would otherwise read
 * both, and fail on every resource declared twice).
 *
 * Terraform cannot validate the stacks here (that needs the AWS provider, which cannot be downloaded), so
 * what is compared is the declarations: block headers, and every string value of the JSON as an HCL string.
 */
import { spawn } from 'child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdktf';
import { buildStacks, STACKS } from '../../stacks';
import { removeOtherFormat } from '../../stacks/private/stale-output';
import { requireTool, TERRAFORM_INSTALL } from '../support/aws-lab/tools';
import { terraform } from '../support/terraform-cli';

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

/** Every string in a parsed JSON value, object keys and cdktf's `//` metadata (not written to HCL) aside. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, v]) => (key === '//' ? [] : strings(v)));
  return [];
}

/** The JSON-mode synthesized stacks, by name, parsed. */
function jsonStacks(outdir: string): Record<string, Record<string, Record<string, Record<string, unknown>>>> {
  const app = new App({ outdir, hclOutput: false });
  buildStacks(app);
  app.synth();
  removeOtherFormat(app);
  return Object.fromEntries(STACKS.map(([name]) => [name, JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'))]));
}

describe('cdktf synth --hcl', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'synth-hcl-'));
  const jsonDir = mkdtempSync(join(tmpdir(), 'synth-json-'));
  let hcl: Record<string, string>;

  beforeAll(async () => {
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', CI: 'true' };
    await run(process.execPath, [join(ROOT, 'node_modules/cdktf-cli/bundle/bin/cdktf'), 'synth', '--hcl', '--output', outdir], env);
    hcl = Object.fromEntries(STACKS.map(([name]) => [name, readFileSync(join(outdir, 'stacks', name, 'cdk.tf'), 'utf8')]));
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(jsonDir, { recursive: true, force: true });
  });

  it('writes cdk.tf, and no cdk.tf.json, for every stack', () => {
    for (const [name] of STACKS) {
      expect({ name, files: readdirSync(join(outdir, 'stacks', name)).sort() }).toEqual({ name, files: ['cdk.tf', 'metadata.json'] });
    }
  });

  it('writes HCL that terraform parses', async () => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const home = mkdtempSync(join(tmpdir(), 'fmt-home-'));
    try {
      writeFileSync(join(home, 'terraformrc'), '');
      // `fmt` parses every file and fails (exit 2) on a syntax error; -write=false changes nothing.
      for (const [name] of STACKS) await terraform(binary, join(outdir, 'stacks', name), ['fmt', '-write=false', '-list=false', 'cdk.tf'], home);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('declares every resource, output and provider of the JSON, and writes every string of it as an HCL string', () => {
    const json = jsonStacks(jsonDir);
    for (const [name] of STACKS) {
      const text = hcl[name];
      const stack = json[name];
      const declared = [
        ...Object.entries(stack.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((id) => `resource "${type}" "${id}" {`)),
        ...Object.keys(stack.output ?? {}).map((id) => `output "${id}" {`),
        ...Object.keys(stack.provider ?? {}).map((type) => `provider "${type}" {`),
      ];
      expect(declared.length).toBeGreaterThan(0);
      for (const header of declared) expect({ name, header, found: text.includes(header) }).toEqual({ name, header, found: true });
      // An HCL quoted string escapes as JSON does for these values (no control characters, no `%{`).
      for (const value of strings(stack)) expect({ name, value, found: text.includes(JSON.stringify(value)) }).toEqual({ name, value, found: true });
    }
  });

  it('a JSON synth into the same folder leaves only cdk.tf.json, and an HCL synth only cdk.tf', () => {
    const app = new App({ outdir, hclOutput: false });
    buildStacks(app);
    app.synth();
    removeOtherFormat(app);
    for (const [name] of STACKS) expect({ name, files: readdirSync(join(outdir, 'stacks', name)).sort() }).toEqual({ name, files: ['cdk.tf.json'] });
    // The stacks read the format from the environment, as `cdktf synth --hcl` sets it, not from the app.
    const saved = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const again = new App({ outdir });
      buildStacks(again);
      again.synth();
      removeOtherFormat(again);
    } finally {
      if (saved === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = saved;
    }
    for (const [name] of STACKS) {
      expect(existsSync(join(outdir, 'stacks', name, 'cdk.tf.json'))).toBe(false);
      // The same declarations: the CLI formats the app's HCL afterwards (aligned `=`, indented blocks).
      const unformatted = (text: string) => text.replace(/\s+/g, '');
      expect(unformatted(readFileSync(join(outdir, 'stacks', name, 'cdk.tf'), 'utf8'))).toBe(unformatted(hcl[name]));
    }
  });
});
