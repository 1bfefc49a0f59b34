/**
 * The stacks require the AWS provider as a range (AWS_PROVIDER_VERSIONS), not the exact version of the
 * binding they were built with: each stack, as synthesized and with no override, initializes from the local
 * mirror's hashicorp/aws 5.100.0 (AWS provider 5) and passes `terraform validate`.
 */
import { execFileSync } from 'child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { STACKS } from '../../stacks';
import { AWS_PROVIDER_VERSIONS } from '../../stacks/private/reproducible-stack';
import { requireTool, TERRAFORM_INSTALL } from '../support/aws-lab/tools';
import { recordFigure } from '../support/figures';
import { providerMirror, terraform } from '../support/terraform-cli';

jest.setTimeout(300_000);

const ROOT = join(__dirname, '..', '..');
const NAMES = STACKS.map(([name]) => name);

describe('the stacks and AWS provider versions', () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'provider-versions-'));
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'run-bundled.js'), 'main.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: join(work, 'out'), CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1' },
      stdio: 'pipe',
    });
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(NAMES.map((n) => [n]))('%s requires the AWS provider as the range, not a pin', (name) => {
    const stack = JSON.parse(readFileSync(join(work, 'out', 'stacks', name, 'cdk.tf.json'), 'utf8'));
    expect(stack.terraform.required_providers.aws).toEqual({ source: 'aws', version: AWS_PROVIDER_VERSIONS });
  });

  it("every stack initializes from the mirror's AWS provider 5.100.0, unedited, and passes terraform validate", async () => {
    const binary = requireTool('terraform', TERRAFORM_INSTALL);
    const mirror = providerMirror();
    if (mirror === undefined) throw new Error("no local AWS provider mirror (TF_AWS_PROVIDER_MIRROR, or /opt/tf-plugins): install hashicorp/aws 5.100.0 there in terraform's unpacked layout");
    mkdirSync(join(work, 'plugins'));
    writeFileSync(
      join(work, 'terraformrc'),
      `plugin_cache_dir = "${join(work, 'plugins')}"\nprovider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
    );
    // One after the other: terraform's plugin cache is not safe for two inits at once.
    const check = async (name: string) => {
      const dir = join(work, 'stacks', name);
      cpSync(join(work, 'out', 'stacks', name), dir, { recursive: true });
      const init = await terraform(binary, dir, ['init', '-input=false', '-backend=false'], work);
      expect([name, init]).toEqual([name, expect.stringMatching(/Installing hashicorp\/aws v5\.100\.0|Using hashicorp\/aws v5\.100\.0/)]);
      expect([name, await terraform(binary, dir, ['validate'], work)]).toEqual([name, expect.stringContaining('The configuration is valid.')]);
    };
    for (const name of NAMES) await check(name);
    recordFigure('stacks validated with AWS provider 5.100.0, unedited', NAMES.length);
  });
});
