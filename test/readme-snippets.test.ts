/**
 * The README's TypeScript, as a user would paste it: each ```ts block is type-checked (the project's own
 * compiler options) and run, its `least-privilege-iam/<entry>` imports resolved through the package's
 * `exports` map to this project's sources. A block that uses `stack` without making one gets a fresh stack
 * with an AWS provider, synthesized after it runs, so a construct that would fail at synth fails here.
 */
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import * as ts from 'typescript';
import { frameworkOf, type Snippet, SNIPPETS as ALL_SNIPPETS, snippetModule } from './support/readme-snippets';

// The CDK Terrain snippets need cdktn, which this project does not install: test/consumers compiles them in
// a cdktn app, as it compiles every snippet in a cdktf app made from the template.
const SNIPPETS = ALL_SNIPPETS.filter((snippet) => frameworkOf(snippet) === 'cdktf');

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string | { default: string }> };

/** `least-privilege-iam/<entry>` as the source file it is built from (`./dist/modules/x/index.js` → `modules/x/index`). */
function sourceOf(specifier: string): string {
  const entry = specifier === pkg.name ? '.' : `.${specifier.slice(pkg.name.length)}`;
  const target = pkg.exports[entry];
  if (target === undefined || typeof target === 'string') throw new Error(`README imports ${specifier}, which the package does not export`);
  return join(ROOT, target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, ''));
}

/** The snippet as a module: imports resolved to the sources, `stack` declared where the snippet uses one it does not make, any App writing into `outdir`. */
function compiled(snippet: Snippet, outdir: string): string {
  return snippetModule(snippet, { specifier: sourceOf, outdir });
}

describe('README.md: the TypeScript snippets', () => {
  let dir: string;
  let outdir: string;
  const files = new Map<Snippet, string>();

  beforeAll(() => {
    // Inside the project, so that the snippets' own imports (cdktf, @cdktf/provider-aws) resolve as a user's would.
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'readme-snippets-'));
    outdir = mkdtempSync(join(tmpdir(), 'readme-out-'));
    for (const snippet of SNIPPETS) {
      const file = join(dir, `readme-line-${snippet.line}.ts`);
      writeFileSync(file, compiled(snippet, outdir));
      files.set(snippet, file);
    }
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outdir, { recursive: true, force: true });
  });

  it('there are snippets, the presets and the plan and apply roles among them', () => {
    expect(SNIPPETS.length).toBeGreaterThanOrEqual(5);
    expect(SNIPPETS.some((s) => s.code.includes('githubActions'))).toBe(true);
    expect(SNIPPETS.some((s) => s.code.includes('GitHubTerraformRoles'))).toBe(true);
  });

  it("type-check with the project's compiler options", () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram([...files.values()], { ...config.options, incremental: false, noEmit: true });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file !== undefined && [...files.values()].includes(d.file.fileName))
      .map((d) => `${d.file!.fileName.replace(/.*readme-line-(\d+)\.ts$/, 'README.md snippet at line $1')}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  });

  it.each(SNIPPETS.map((s) => [s.line, s] as const))('the snippet at line %i runs, and what it builds synthesizes', (_line, snippet) => {
    const js = ts.transpileModule(compiled(snippet, outdir), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
    if (/\bconst stack\b/.test(snippet.code)) {
      // It makes its own app and stack, and synthesizes them itself (into a temporary folder).
      new Function('require', 'exports', js)(require, {});
      return;
    }
    const stack = new TerraformStack(Testing.app(), 'readme');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new Function('require', 'exports', 'stack', js)(require, {}, stack);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});
