/**
 * The lint rule that keeps cdktf out of the pure files (scripts/eslint/cdktf-in-construct-files.mjs), through
 * the project's own eslint.config.mjs: each case is linted as if it were the file named. ESLint loads its
 * config as an ES module, which Jest's CommonJS runtime cannot, so one child Node process lints them all.
 */
import { spawnSync } from 'child_process';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..', '..');

interface Case {
  readonly filePath: string;
  readonly text: string;
}

/** The messages of `project/cdktf-in-construct-files` for each case, in order. */
function lint(cases: readonly Case[]): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
      const out = [];
      for (const c of cases) {
        const [result] = await eslint.lintText(c.text, { filePath: ${JSON.stringify(ROOT)} + '/' + c.filePath });
        out.push(result.messages.filter((m) => m.ruleId === 'project/cdktf-in-construct-files').map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const run = spawnSync(process.execPath, ['-e', script, JSON.stringify(cases)], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`eslint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

describe('project/cdktf-in-construct-files', () => {
  const cases: [string, Case, boolean][] = [
    ['a pure file importing cdktf', { filePath: 'modules/core/example.ts', text: "import { Token } from 'cdktf';\nexport const t = Token;\n" }, false],
    ['a pure file importing a type from constructs', { filePath: 'modules/core/example.ts', text: "import type { Construct } from 'constructs';\nexport type C = Construct;\n" }, false],
    ['a pure file naming a cdktf type inline', { filePath: 'modules/core/example.ts', text: "export type A = import('cdktf').App;\n" }, false],
    ['a pure file re-exporting cdktn', { filePath: 'modules/core/example.ts', text: "export * from 'cdktn';\n" }, false],
    ['a pure file requiring a provider', { filePath: 'modules/core/example.ts', text: "import p = require('@cdktn/provider-aws');\nexport const q = p;\n" }, false],
    ['a generator importing cdktf', { filePath: 'modules/state-access/terraform-permissions-policy.ts', text: "import { Fn } from 'cdktf';\nexport const f = Fn;\n" }, false],
    ['a generator helper in modules/private/', { filePath: 'modules/private/terraform-helpers.ts', text: "import { Fn } from 'cdktf';\nexport const f = Fn;\n" }, false],
    [
      'a construct file not named after its class',
      { filePath: 'modules/deploy-group/group.ts', text: "import { Construct } from 'constructs';\nexport class DeployGroup extends Construct {}\n" },
      false,
    ],
    [
      'a construct file named after its class',
      { filePath: 'modules/deploy-group/deploy-group.ts', text: "import { Construct } from 'constructs';\nexport class DeployGroup extends Construct {}\n" },
      true,
    ],
    [
      'a construct file whose class has an acronym (GitHub, S3)',
      { filePath: 'modules/terraform-ci/github-terraform-roles.ts', text: "import { Construct } from 'constructs';\nexport class GitHubTerraformRoles extends Construct {}\n" },
      true,
    ],
    ['listed plumbing in modules/private/', { filePath: 'modules/private/stack-output.ts', text: "import { TerraformOutput } from 'cdktf';\nexport const o = TerraformOutput;\n" }, true],
    ['a pure helper in modules/private/', { filePath: 'modules/private/policy-helpers.ts', text: "import { Token } from 'cdktf';\nexport const t = Token;\n" }, false],
    [
      'a construct file in modules/private/',
      { filePath: 'modules/private/managed-policy.ts', text: "import { Construct } from 'constructs';\nexport class ManagedPolicy extends Construct {}\n" },
      true,
    ],
    ['a pure file importing only pure code', { filePath: 'modules/core/example.ts', text: "import { join } from 'path';\nexport const j = join;\n" }, true],
    ['a stack (outside modules/)', { filePath: 'stacks/example.ts', text: "import { TerraformStack } from 'cdktf';\nexport const s = TerraformStack;\n" }, true],
  ];

  it('allows cdktf only in construct files named after their class, and in the listed construct plumbing', () => {
    const messages = lint(cases.map(([, c]) => c));
    expect(cases.map(([name], i) => ({ name, allowed: messages[i].length === 0 }))).toEqual(cases.map(([name, , allowed]) => ({ name, allowed })));
    expect(messages[0][0]).toMatch(/^modules\/core\/example\.ts may not import 'cdktf': only a construct file imports cdktf/);
  });
});
