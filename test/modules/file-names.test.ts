/**
 * CONTRIBUTING.md's naming rule for the files under modules/, the part ESLint cannot see file by file:
 * a generator is `terraform-<folder>.ts`, after the one folder under terraform-modules/ it writes, and every
 * folder there has exactly one generator. (That only construct files import cdktf, and are named after the
 * construct class they export, is the lint rule `project/cdktf-in-construct-files`: test/scripts/eslint/.)
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { basename, join, relative } from 'path';

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Each generator with the folders it writes: the `terraform-modules/<folder>` its `*_MODULE_DIR` constants name. */
function generators(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles('modules')) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const dirs = [...text.matchAll(/export const \w+_MODULE_DIR\s*=\s*['"]terraform-modules\/([^'"/]+)['"]/g)].map((m) => m[1]);
    if (dirs.length > 0) found.set(file, dirs);
  }
  return found;
}

describe('file names under modules/ (CONTRIBUTING.md, "Files")', () => {
  const writers = generators();

  it('every folder under terraform-modules/ has exactly one generator, and every generator a folder', () => {
    const folders = readdirSync(join(ROOT, 'terraform-modules'))
      .filter((d) => statSync(join(ROOT, 'terraform-modules', d)).isDirectory())
      .sort();
    const written = [...writers.values()].flat();
    expect([...written].sort()).toEqual(folders);
    expect(written.filter((d, i) => written.indexOf(d) !== i)).toEqual([]);
  });

  it('a generator is terraform-<folder>.ts, after the one folder it writes', () => {
    const misnamed = [...writers].flatMap(([file, dirs]) => (dirs.length === 1 && basename(file) === `terraform-${dirs[0]}.ts` ? [] : [{ file, toBe: dirs.map((d) => `terraform-${d}.ts`) }]));
    expect(misnamed).toEqual([]);
    expect(writers.size).toBeGreaterThan(10);
  });

  it('a file named terraform-<folder>.ts, for a folder under terraform-modules/, is that folder’s generator', () => {
    const folders = new Set([...writers.values()].flat());
    const impostors = sourceFiles('modules')
      .map((file) => ({ file, folder: /^terraform-(.+)\.ts$/.exec(basename(file))?.[1] }))
      .filter(({ file, folder }) => folder !== undefined && folders.has(folder) && !(writers.get(file) ?? []).includes(folder))
      .map(({ file }) => relative(ROOT, join(ROOT, file)));
    expect(impostors).toEqual([]);
  });
});
