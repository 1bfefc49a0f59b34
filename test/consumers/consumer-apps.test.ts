/**
 * The library as teams get it: packed, installed into apps made from `examples/cdktf-app` (the cdktf
 * TypeScript template's tsconfig, verbatim) and `examples/cdktn-app` (CDK Terrain), with the lowest and the
 * highest framework versions the package's peer ranges allow, each install the way npm does it for a
 * tarball, a git URL and a folder. Each app type-checks every subpath it imports, synthesizes, builds two
 * constructs of each kind into one stack, and reviews itself with the package's own command-line tool.
 *
 * Slow by nature (four real `npm install`s, run at the same time): the installs come from npm's cache when
 * it has them, from the registry when not.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConsumerSpec, gitCommitAll, gitSnapshot, installConsumer, must, packLibrary, ROOT, run } from '../support/consumer-app';
import { recordFigure } from '../support/figures';
import { frameworkOf, README, SNIPPETS, snippetModule } from '../support/readme-snippets';

jest.setTimeout(900_000);

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The package's subpaths for one framework: `least-privilege-iam[/x]` (cdktf) or `least-privilege-iam/cdktn[/x]`. */
function subpaths(framework: 'cdktf' | 'cdktn'): string[] {
  return Object.keys(pkg.exports)
    .filter((key) => key !== './package.json' && (framework === 'cdktn') === (key === './cdktn' || key.startsWith('./cdktn/')))
    .map((key) => (key === '.' ? pkg.name : `${pkg.name}${key.slice(1)}`));
}

interface Consumer extends ConsumerSpec {
  readonly name: string;
  readonly framework: 'cdktf' | 'cdktn';
  /** How the library is installed, for the test names. */
  readonly how: string;
}

// The peer ranges' ends. The highest constructs cdktn 0.24 accepts is below 10.8.0 (its peer range).
const LOWEST_CDKTF = { cdktf: '0.21.0', constructs: '10.4.2', '@cdktf/provider-aws': '20.0.0' };
const HIGHEST_CDKTF = { cdktf: pkg.devDependencies.cdktf, constructs: pkg.devDependencies.constructs, '@cdktf/provider-aws': pkg.devDependencies['@cdktf/provider-aws'] };
const LOWEST_CDKTN = { cdktn: '0.24.0', constructs: '10.6.0', '@cdktn/provider-aws': '25.5.0' };
const HIGHEST_CDKTN = { cdktn: '0.24.0', constructs: '10.7.2', '@cdktn/provider-aws': '25.7.0' };

/** The install block of the README (after "### Install"): its command lines. */
const README_INSTALL_COMMANDS = (() => {
  const block = /### Install\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
  return block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
})();

/**
 * Runs each of the README's install commands, as written, in a fresh app beside a clone of the library
 * (`../least-privilege-iam`, as the README has it), the git host's URL replaced by the clone's. The tarball
 * command runs before the folder command: it is the one that runs `npm ci` in the clone.
 */
async function readmeInstalls(home: string, gitUrl: string): Promise<{ command: string; dir: string }[]> {
  mkdirSync(home, { recursive: true });
  await must('git', ['clone', '-q', gitUrl.replace(/^git\+/, ''), join(home, 'least-privilege-iam')], home);
  const installIn = async (command: string, n: number) => {
    const dir = join(home, `app-${n}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `app-${n}`, version: '1.0.0', private: true }));
    const written = command.replace(/"git\+https:\/\/github\.com\/<owner>\/least-privilege-iam\.git#<ref>"/, `"${gitUrl}#main"`);
    await must('bash', ['-c', written], dir);
    return { command, dir };
  };
  const git = README_INSTALL_COMMANDS.findIndex((c) => c.includes('git+https://'));
  const tarball = README_INSTALL_COMMANDS.findIndex((c) => c.includes('npm pack'));
  const folder = README_INSTALL_COMMANDS.findIndex((c) => c.includes('--install-links'));
  if ([git, tarball, folder].includes(-1) || README_INSTALL_COMMANDS.length !== 3)
    throw new Error(`README.md's install block should hold a git, a tarball and a folder command: ${JSON.stringify(README_INSTALL_COMMANDS)}`);
  const [fromGit, fromTarballThenFolder] = await Promise.all([
    installIn(README_INSTALL_COMMANDS[git], git),
    installIn(README_INSTALL_COMMANDS[tarball], tarball).then(async (done) => [done, await installIn(README_INSTALL_COMMANDS[folder], folder)]),
  ]);
  return [fromGit, ...fromTarballThenFolder].sort((a, b) => README_INSTALL_COMMANDS.indexOf(a.command) - README_INSTALL_COMMANDS.indexOf(b.command));
}

describe("the package installed into teams' apps", () => {
  let work: string;
  const consumers: Consumer[] = [];
  const dirs = new Map<string, string>();
  const readmeApps: { command: string; dir: string }[] = [];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'consumers-'));
    const started = Date.now();
    const tarball = await packLibrary(join(work, 'pack'));
    recordFigure('package tarball (KiB)', Math.round(readFileSync(tarball).length / 1024));
    mkdirSync(join(work, 'git-source'));
    const gitUrl = await gitSnapshot(join(work, 'git-source'));
    consumers.push(
      { name: 'cdktf-tarball-highest', framework: 'cdktf', how: 'a tarball', example: 'cdktf-app', library: tarball, versions: HIGHEST_CDKTF },
      { name: 'cdktf-git-lowest', framework: 'cdktf', how: 'a git URL', example: 'cdktf-app', library: gitUrl, versions: LOWEST_CDKTF },
      { name: 'cdktn-tarball-highest', framework: 'cdktn', how: 'a tarball', example: 'cdktn-app', library: tarball, versions: HIGHEST_CDKTN },
      // A folder: the repository's own, already built by `npm ci`; .npmrc's install-links packs it as a tarball.
      { name: 'cdktn-folder-lowest', framework: 'cdktn', how: 'a file: path', example: 'cdktn-app', library: `file:${ROOT}`, versions: LOWEST_CDKTN },
    );
    await Promise.all([
      ...consumers.map(async (consumer) => {
        const dir = join(work, consumer.name);
        await installConsumer(dir, consumer);
        dirs.set(consumer.name, dir);
      }),
      readmeInstalls(join(work, 'readme'), gitUrl).then((done) => readmeApps.push(...done)),
    ]);
    recordFigure('consumer apps installed', consumers.length);
    recordFigure('consumer installs (s, in parallel)', Math.round((Date.now() - started) / 1000));
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const each = (title: string, body: (consumer: Consumer, dir: string) => Promise<void>) =>
    it.each([['cdktf-tarball-highest'], ['cdktf-git-lowest'], ['cdktn-tarball-highest'], ['cdktn-folder-lowest']])(`${title} (%s)`, async (name) => {
      const consumer = consumers.find((c) => c.name === name)!;
      await body(consumer, dirs.get(name)!);
    });

  it("the README's install commands work as written (the git host replaced by a local clone)", async () => {
    expect(readmeApps.map((app) => app.command)).toEqual(README_INSTALL_COMMANDS);
    for (const { dir } of readmeApps) {
      const installed = join(dir, 'node_modules', pkg.name);
      for (const file of ['dist/modules/index.js', 'dist/modules/index.d.ts', 'dist/cdktn/index.js', 'dist/cdktn/index.d.ts', 'LICENSE', 'CHANGELOG.md'])
        expect([dir, file, existsSync(join(installed, file))]).toEqual([dir, file, true]);
      await must(process.execPath, ['-e', `require('${pkg.name}/core'); require('${pkg.name}/cdktn/core')`], dir);
    }
  });

  each('the install holds built JavaScript and declarations, and the framework versions asked for', async (consumer, dir) => {
    const installed = join(dir, 'node_modules', pkg.name);
    const tree = consumer.framework === 'cdktf' ? 'modules' : 'cdktn';
    expect(existsSync(join(installed, 'dist', tree, 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', tree, 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'LICENSE'))).toBe(true);
    for (const [name, version] of Object.entries(consumer.versions)) {
      expect([name, JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version]).toEqual([name, version]);
    }
    // One copy of each framework package: the library resolves the app's, never a second of its own.
    const nested = join(installed, 'node_modules');
    const own = existsSync(nested) ? readdirSync(nested).flatMap((e) => (e.startsWith('@') ? readdirSync(join(nested, e)).map((s) => `${e}/${s}`) : [e])) : [];
    expect(own.filter((name) => /^(cdktf|cdktn|constructs|@cdktf\/provider-aws|@cdktn\/provider-aws)$/.test(name))).toEqual([]);
  });

  each('every subpath type-checks under the template tsconfig, node16 and bundler resolution, and loads', async (consumer, dir) => {
    const names = subpaths(consumer.framework);
    expect(names.length).toBeGreaterThanOrEqual(11);
    const lines = names.map((name, i) => `import * as entry${i} from '${name}';`);
    writeFileSync(join(dir, 'every-subpath.ts'), `${lines.join('\n')}\n\nexport const entries = [${names.map((_n, i) => `entry${i}`).join(', ')}];\n`);
    await must('npx', ['tsc', '--noEmit', '-p', '.'], dir);
    await must('npx', ['tsc', '--noEmit', '-p', '.', '--module', 'node16', '--moduleResolution', 'node16'], dir);
    await must('npx', ['tsc', '--noEmit', '-p', '.', '--module', 'esnext', '--moduleResolution', 'bundler'], dir);
    const script = `for (const name of ${JSON.stringify(names)}) { const m = require(name); if (Object.keys(m).length === 0) throw new Error(name + ' exports nothing'); }`;
    await must(process.execPath, ['-e', script], dir);
    // A type error is found: the check above is not vacuous.
    writeFileSync(join(dir, 'every-subpath.ts'), `import { StateAccessRole } from '${names.find((n) => n.endsWith('/state-access'))}';\nexport const wrong: number = StateAccessRole;\n`);
    const wrong = await run('npx', ['tsc', '--noEmit', '-p', '.'], dir);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toContain('every-subpath.ts');
    rmSync(join(dir, 'every-subpath.ts'));
  });

  each('the example app synthesizes with its own synth command', async (_consumer, dir) => {
    await must('npm', ['run', 'synth'], dir);
    const stack = JSON.parse(readFileSync(join(dir, 'cdktf.out', 'stacks', 'platform-iam', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(stack.resource.aws_iam_role ?? {}).length).toBeGreaterThanOrEqual(1);
    expect(stack.terraform.backend.s3.use_lockfile).toBe(true);
  });

  each('two constructs of every kind synthesize in one stack, through the subpaths, with no output', async (consumer, dir) => {
    const fixture = readFileSync(join(__dirname, 'fixtures', 'every-construct.ts'), 'utf8');
    // For CDK Terrain, the imports rewritten as scripts/build-cdktn.js rewrites the library's.
    const source =
      consumer.framework === 'cdktf'
        ? fixture
        : fixture
            .replace(/from '@cdktf\/provider-aws\//g, "from '@cdktn/provider-aws/")
            .replace(/from 'cdktf'/g, "from 'cdktn'")
            .replace(/from 'least-privilege-iam\//g, "from 'least-privilege-iam/cdktn/");
    writeFileSync(join(dir, 'every-construct.ts'), source);
    try {
      await must('npx', ['tsc', '--noEmit', '-p', '.'], dir);
      const out = await must('npx', ['ts-node', '--transpile-only', 'every-construct.ts'], dir, { CDKTF_OUTDIR: join(dir, 'every-construct.out') });
      const { counts, outputs } = JSON.parse(out.trim().split('\n').pop()!) as { counts: Record<string, number>; outputs: number };
      expect(outputs).toBe(0);
      // Role, StateAccessRole, and GitHubTerraformRoles' plan and apply roles, twice.
      expect(counts.aws_iam_role).toBe(2 * 4);
      for (const type of ['aws_iam_instance_profile', 'aws_iam_openid_connect_provider', 'aws_organizations_policy', 'aws_s3_bucket_policy']) expect([type, counts[type]]).toEqual([type, 2]);
      // PermissionsBoundary, the four CI policies and DelegatedRoleCreationPolicy, twice (StatePermissionsPolicy goes inline on its role).
      expect(counts.aws_iam_policy).toBe(2 * 6);
    } finally {
      rmSync(join(dir, 'every-construct.ts'));
    }
  });

  each("the package's command reviews the app: report, a diff with no change (0), a widening commit (1)", async (_consumer, dir) => {
    const cli = join(dir, 'node_modules', '.bin', 'least-privilege-iam');
    await gitCommitAll(dir, 'the app as it is');
    const report = await run(cli, ['report', '--synth', 'npm run synth', '--format', 'markdown'], dir);
    expect([report.code, report.stderr]).toEqual([0, expect.any(String)]);
    expect(report.stdout).toContain('network-terraform-state');
    expect(Buffer.byteLength(report.stdout)).toBeLessThanOrEqual(65_536);
    expect(existsSync(join(dir, 'cdktf.out', 'access-report.json'))).toBe(true);

    const same = await run(cli, ['diff', 'HEAD', '--format', 'json'], dir);
    expect([same.code, same.stderr]).toEqual([0, expect.any(String)]);
    expect(JSON.parse(same.stdout)).toMatchObject({ verdict: 'does-not-widen', exitCode: 0 });

    // A commit giving the role a second state key: a widening, which the check must refuse, as a pull
    // request's head is compared with its base.
    const main = readFileSync(join(dir, 'main.ts'), 'utf8');
    writeFileSync(join(dir, 'main.ts'), main.replace("canApply: [{ key: 'network.tfstate' }]", "canApply: [{ key: 'network.tfstate' }, { key: 'shared.tfstate' }]"));
    await gitCommitAll(dir, 'the role may apply shared.tfstate too');
    try {
      const widened = await run(cli, ['diff', 'HEAD~1', '--format', 'json'], dir);
      expect([widened.code, widened.stderr]).toEqual([1, expect.any(String)]);
      const review = JSON.parse(widened.stdout) as { verdict: string; widened: { name: string }[] };
      expect(review.verdict).toBe('widens');
      expect(review.widened.map((subject) => subject.name)).toContain('network-terraform-state');
      const text = await run(cli, ['diff', 'HEAD~1'], dir);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('shared.tfstate');
      const markdown = await run(cli, ['diff', 'HEAD~1', '--format', 'markdown'], dir);
      expect(markdown.code).toBe(1);
      expect(markdown.stdout).toMatch(/Widens permissions/);
    } finally {
      await must('git', ['reset', '-q', '--hard', 'HEAD~1'], dir);
    }
  });

  it.each([['cdktf-tarball-highest'], ['cdktn-tarball-highest']])("the README's TypeScript for its framework compiles under the template tsconfig (%s)", async (name) => {
    const consumer = consumers.find((c) => c.name === name)!;
    const dir = dirs.get(name)!;
    const snippets = SNIPPETS.filter((snippet) => frameworkOf(snippet) === consumer.framework);
    expect(snippets.length).toBeGreaterThanOrEqual(1);
    const folder = join(dir, 'readme');
    mkdirSync(folder);
    for (const snippet of snippets) writeFileSync(join(folder, `readme-line-${snippet.line}.ts`), snippetModule(snippet));
    const result = await run('npx', ['tsc', '--noEmit', '-p', '.'], dir);
    rmSync(folder, { recursive: true });
    expect(`${result.stdout}${result.stderr}`.replace(/readme\/readme-line-(\d+)\.ts/g, 'README.md snippet at line $1')).toBe('');
    expect(result.code).toBe(0);
  });
});
