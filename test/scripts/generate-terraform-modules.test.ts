import { spawnSync } from 'child_process';
import { readdirSync } from 'fs';
import { join } from 'path';
import { generatedTerraformModules } from '../../modules/terraform-modules';
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

  it('is the same bytes on every run', () => {
    expect(generatedTerraformModules()).toEqual(generatedTerraformModules());
  });
});
