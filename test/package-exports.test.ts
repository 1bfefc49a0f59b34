import { execFileSync } from 'child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..');
const pkg = require(join(root, 'package.json')) as {
  name: string;
  files: string[];
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

// What a team gets when it installs this package into its own cdktf app: `npm run build` output, reached
// through the package's `exports` map by name, as Node resolves it.
describe('the package as a library', () => {
  let home: string;
  let installed: string;

  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'consumer-'));
    installed = join(home, 'node_modules', pkg.name);
    mkdirSync(installed, { recursive: true });
    copyFileSync(join(root, 'package.json'), join(installed, 'package.json'));
    // `npm run build`, into the copy: tsc, then the CDK Terrain tree.
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')], {
      stdio: 'pipe',
    });
    execFileSync(process.execPath, [join(root, 'scripts', 'build-cdktn.js'), join(installed, 'dist')], { stdio: 'pipe' });
    // The data the package ships beside dist (package.json `files`).
    cpSync(join(root, 'data'), join(installed, 'data'), { recursive: true });
  }, 60_000);

  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('build emits JavaScript and declarations for every entry point', () => {
    for (const entry of Object.values(pkg.exports)) {
      if (typeof entry === 'string') continue;
      const { types, default: js } = entry as { types: string; default: string };
      expect(existsSync(join(installed, types))).toBe(true);
      expect(existsSync(join(installed, js))).toBe(true);
    }
  });

  it("under classic resolution (the cdktf template's tsconfig) typesVersions gives each subpath the declarations exports gives it", () => {
    const entries = Object.entries(pkg.exports).filter(([key]) => key !== '.' && key !== './package.json');
    expect(Object.fromEntries(entries.map(([key, entry]) => [key.slice(2), [(entry as { types: string }).types.slice(2)]]))).toEqual(pkg.typesVersions['*']);
  });

  it('each cdktf subpath has its CDK Terrain twin under cdktn/, built from the same file', () => {
    const keys = Object.keys(pkg.exports).filter((key) => key !== './package.json');
    const cdktf = keys.filter((key) => key !== './cdktn' && !key.startsWith('./cdktn/'));
    const twins = cdktf.map((key) => (key === '.' ? './cdktn' : `./cdktn/${key.slice(2)}`));
    expect(keys.filter((key) => !cdktf.includes(key)).sort()).toEqual([...twins].sort());
    for (const key of cdktf) {
      const twin = key === '.' ? './cdktn' : `./cdktn/${key.slice(2)}`;
      expect((pkg.exports[twin] as { default: string }).default).toBe((pkg.exports[key] as { default: string }).default.replace('/dist/modules/', '/dist/cdktn/'));
    }
  });

  it('the CDK Terrain tree imports cdktn and its provider only, the cdktf tree cdktf only', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : /\.(js|d\.ts)$/.test(e.name) ? [join(dir, e.name)] : []));
    const specifiers = (tree: string) =>
      new Set(
        walk(join(installed, 'dist', tree)).flatMap((file) =>
          [...readFileSync(file, 'utf8').matchAll(/(?:require\(|from\s+|import\()["']((?:@cdkt[fn]\/[a-z-]+|cdkt[fn])[^"']*)["']/g)].map((m) => m[1].split('/lib/')[0]),
        ),
      );
    expect([...specifiers('modules')].sort()).toEqual(['@cdktf/provider-aws', 'cdktf']);
    expect([...specifiers('cdktn')].sort()).toEqual(['@cdktn/provider-aws', 'cdktn']);
    const files = (tree: string) =>
      walk(join(installed, 'dist', tree))
        .map((file) => file.slice(join(installed, 'dist', tree).length))
        .sort();
    expect(files('cdktn')).toEqual(files('modules'));
  });

  it('the frameworks are optional peers, so an app installs only its own; the repository pins each within its range', () => {
    const frameworks = ['@cdktf/provider-aws', '@cdktn/provider-aws', 'cdktf', 'cdktn', 'constructs'];
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(frameworks);
    for (const name of frameworks) expect([name, pkg.peerDependenciesMeta[name]?.optional]).toEqual([name, true]);
    for (const name of Object.keys(pkg.dependencies)) expect(frameworks).not.toContain(name);
    const semver = require('semver') as { satisfies(version: string, range: string): boolean };
    for (const name of ['@cdktf/provider-aws', 'cdktf', 'constructs']) {
      expect([name, /^\d+\.\d+\.\d+$/.test(pkg.devDependencies[name]), semver.satisfies(pkg.devDependencies[name], pkg.peerDependencies[name])]).toEqual([name, true, true]);
    }
  });

  it('exports the constructs and the pure functions by package name', () => {
    const script = `
      const all = require('${pkg.name}');
      const stateAccess = require('${pkg.name}/state-access');
      const core = require('${pkg.name}/core');
      const doc = stateAccess.statePermissionsPolicy({ stateBucketArn: 'arn:aws:s3:::b-b', canRead: [{ key: 'k' }] });
      console.log(JSON.stringify({
        constructs: [typeof all.StateAccessRole, typeof all.StatePermissionsPolicy, typeof stateAccess.StateAccessRole],
        pure: [typeof core.policyDocument, typeof core.validatePolicy, typeof all.statePermissionsPolicy],
        sids: doc.Statement.map((s) => s.Sid),
      }));`;
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: home,
      env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual({
      constructs: ['function', 'function', 'function'],
      pure: ['function', 'function', 'function'],
      sids: ['S3List', 'S3Read'],
    });
  });

  it('ships the AWS managed policies once, at the package root, and both trees find them there', () => {
    expect(pkg.files).toContain('data/**');
    const script = (core: string) => `
      const core = require('${pkg.name}/${core}');
      const admin = core.awsManagedPolicyDocument('arn:aws:iam::aws:policy/AdministratorAccess');
      console.log(JSON.stringify([admin.document.Statement, core.awsManagedPolicyFindings('f', 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAcess')[0].code]));`;
    for (const core of ['core', 'cdktn/core']) {
      const out = execFileSync(process.execPath, ['-e', script(core)], { cwd: home, env: { ...process.env, NODE_PATH: join(root, 'node_modules') }, encoding: 'utf8' });
      expect([core, JSON.parse(out)]).toEqual([core, [[{ Effect: 'Allow', Action: '*', Resource: '*' }], 'AWS_MANAGED_POLICY_UNKNOWN']]);
    }
  });

  it('the policy logic loads without cdktf, so a move to another CDK is a change of imports', () => {
    const script = `
      require('${pkg.name}/core');
      require('${pkg.name}/state-access/policy');
      console.log(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules\\/(cdktf|constructs|@cdktf)\\//.test(f))));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: home, env: { ...process.env, NODE_PATH: join(root, 'node_modules') }, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });

  it('every module file that imports no cdktf itself loads none through its imports either', () => {
    // Pure policy logic stays pure all the way down: the files that import neither cdktf, constructs, the
    // provider nor the constructs' shared helpers (modules/private/) are required one by one from the
    // build, and none may bring cdktf into the process.
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const pure = walk(join(root, 'modules'))
      .filter((file) => !file.endsWith('index.ts') && !/from '(cdktf|constructs|@cdktf\/[^']+|(\.\.\/)+private\/(references|stack-output))'/.test(readFileSync(file, 'utf8')))
      .map((file) => join(installed, 'dist', file.slice(root.length + 1).replace(/\.ts$/, '.js')));
    expect(pure.length).toBeGreaterThan(20);
    const script = `
      const files = ${JSON.stringify(pure)};
      const leaks = [];
      for (const file of files) {
        for (const key of Object.keys(require.cache)) delete require.cache[key];
        require(file);
        if (Object.keys(require.cache).some((f) => /node_modules\\/(cdktf|constructs|@cdktf)\\//.test(f))) leaks.push(file);
      }
      console.log(JSON.stringify(leaks));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: home, env: { ...process.env, NODE_PATH: join(root, 'node_modules') }, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([]);
  });
});
