/**
 * CONTRIBUTING.md's naming rule for the files under modules/, the part ESLint cannot see file by file:
 * a generator is `terraform-<folder>.ts`, after the one folder under terraform-modules/ it writes, and every
 * folder there has exactly one generator. (That only construct files import cdktf, and are named after the
 * construct class they export, is the lint rule `project/cdktf-in-construct-files`: test/scripts/eslint/.)
 */
import { readdirSync, readFileSync, statSync } from 'fs';
import { basename, join, relative } from 'path';

const ROOT = join(__dirname, '..', '..');

/**
 * Generators not yet named after the folder they write (issue 16: renamed once the generators' rewrite is
 * in), each with the name or names it is to have: a file that writes several folders is split, one
 * generator each. Remove an entry when its file is renamed; the test fails while an entry is no longer needed.
 */
const PENDING_RENAMES: Readonly<Record<string, readonly string[]>> = {
  'modules/state-access/terraform-module.ts': ['terraform-permissions-policy.ts'],
  'modules/state-access/terraform-role-module.ts': ['terraform-state-access-role.ts'],
  'modules/ci-policies/terraform-modules.ts': ['terraform-ecr-docker-push-policy.ts', 'terraform-ecs-service-deployment-policy.ts', 'terraform-terragrunt-policy.ts'],
  'modules/ci-policies/terraform-managed-policy-module.ts': ['terraform-managed-policy.ts'],
  'modules/delegated-role-creation/terraform-module.ts': ['terraform-delegated-role-creation-policy.ts'],
  'modules/deploy-group/terraform-module.ts': ['terraform-jets-deploy-policy.ts'],
  'modules/deploy-group/terraform-group-module.ts': ['terraform-jets-deploy-group.ts'],
  'modules/iam-role/terraform-module.ts': ['terraform-trust-policy.ts'],
  'modules/iam-role/terraform-role-module.ts': ['terraform-iam-role.ts'],
  'modules/policy-types/terraform-modules.ts': ['terraform-service-control-policy.ts', 'terraform-permissions-boundary.ts', 'terraform-s3-bucket-policy.ts'],
  'modules/private/terraform-admission-module.ts': ['terraform-policy-admission.ts'],
};

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

  it('a generator is terraform-<folder>.ts, after the one folder it writes (or is listed in PENDING_RENAMES)', () => {
    const misnamed = [...writers].flatMap(([file, dirs]) => (dirs.length === 1 && basename(file) === `terraform-${dirs[0]}.ts` ? [] : [{ file, toBe: dirs.map((d) => `terraform-${d}.ts`) }]));
    const byFile = (a: { file: string }, b: { file: string }) => a.file.localeCompare(b.file);
    const pending = Object.entries(PENDING_RENAMES).map(([file, toBe]) => ({ file, toBe: [...toBe] }));
    expect(misnamed.sort(byFile)).toEqual(pending.filter(({ file }) => misnamed.some((m) => m.file === file)).sort(byFile));
    // An entry whose file was renamed (or split) must go.
    expect(pending.filter(({ file }) => !misnamed.some((m) => m.file === file)).map(({ file }) => file)).toEqual([]);
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
