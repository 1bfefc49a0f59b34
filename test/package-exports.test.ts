import { execFileSync } from 'child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..');
const pkg = require(join(root, 'package.json')) as { name: string; exports: Record<string, unknown> };

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
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')], {
      stdio: 'pipe',
    });
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
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
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

