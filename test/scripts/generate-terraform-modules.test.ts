import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import { join } from 'path';
import { generatedTerraformModules } from '../../modules/terraform-modules';
import { requireTool, TERRAFORM_INSTALL } from '../support/aws-lab/tools';
import { expectCommittedFolder } from '../support/terraform-cli';

const root = join(__dirname, '../..');

// `npm run modules` writes terraform-modules/ from modules/terraform-modules.ts; `--check` only compares.
describe('scripts/generate-terraform-modules.ts', () => {
  it('--check exits 0, and prints nothing, on the committed folders', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'run-bundled.js'), 'scripts/generate-terraform-modules.ts', '--check'], { cwd: root, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({ status: 0, stderr: '', stdout: '' });
  });

  it('every folder under terraform-modules/ is generated (none is kept by hand), each exactly as generated', () => {
    const modules = generatedTerraformModules();
    expect(readdirSync(join(root, 'terraform-modules')).sort()).toEqual(modules.map(({ dir }) => dir.replace(/^terraform-modules\//, '')).sort());
    for (const { dir, files } of modules) {
      expect(Object.keys(files).every((path) => path.startsWith(`${dir}/`))).toBe(true);
      expectCommittedFolder(root, dir, files);
    }
  });

  it('writes every module as HCL `.tf` files, in the layout HCL users know, that `terraform fmt -check` accepts with the examples', () => {
    for (const { dir, files } of generatedTerraformModules()) {
      const names = Object.keys(files).map((path) => path.slice(dir.length + 1));
      expect({ dir, names }).toEqual({ dir, names: ['README.md', 'main.tf', 'outputs.tf', 'variables.tf', 'versions.tf'] });
    }
    const terraform = requireTool('terraform', TERRAFORM_INSTALL);
    const fmt = spawnSync(terraform, ['fmt', '-check', '-recursive', '-diff', 'terraform-modules', 'examples'], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1', DISABLE_VERSION_CHECK: '1', TF_CLI_CONFIG_FILE: '/dev/null' },
    });
    expect({ status: fmt.status, stdout: fmt.stdout }).toEqual({ status: 0, stdout: '' });
  });

  it('is the same bytes on every run', () => {
    expect(generatedTerraformModules()).toEqual(generatedTerraformModules());
  });
});
