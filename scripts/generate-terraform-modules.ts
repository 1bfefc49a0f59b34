/**
 * Writes the generated Terraform modules (`terraform-modules/`) from their one source of truth in
 * `modules/`: `npm run modules`. Each run writes the same bytes; files in a generated module's folder that
 * the generator no longer produces are removed, so the folder is exactly the generator's output.
 * `--check` writes nothing and exits 1 when the committed folders differ.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { dirname, join, relative } from 'path';
import { generatedTerraformModules } from '../modules/terraform-modules';
import { projectRoot } from './private/project-root';

const root = projectRoot();

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

function main(): void {
  const check = process.argv.includes('--check');
  const differences: string[] = [];
  for (const { dir, files } of generatedTerraformModules()) {
    for (const existing of filesUnder(join(root, dir))) {
      const path = relative(root, existing);
      if (!(path in files)) {
        differences.push(`${path}: not generated`);
        if (!check) rmSync(existing);
      }
    }
    for (const [path, contents] of Object.entries(files)) {
      const file = join(root, path);
      if (existsSync(file) && readFileSync(file, 'utf8') === contents) continue;
      differences.push(`${path}: ${existsSync(file) ? 'differs' : 'missing'}`);
      if (!check) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, contents);
      }
    }
  }
  if (check && differences.length > 0) {
    process.stderr.write(`terraform-modules/ differs from the generator's output (run npm run modules):\n${differences.join('\n')}\n`);
    process.exitCode = 1;
  } else if (!check) {
    process.stdout.write(differences.length === 0 ? 'terraform-modules/ is up to date\n' : `wrote:\n${differences.join('\n')}\n`);
  }
}

main();
