import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdktf';
import { buildStacks, STACKS } from '../../stacks';

const root = join(__dirname, '../..');
const cacheDir = join(root, 'node_modules', '.cache', 'least-privilege-iam');

function runSynth(outdir: string): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'run-bundled.js'), 'main.ts'], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: 'pipe' });
}

function read(outdir: string): Record<string, string> {
  return Object.fromEntries(STACKS.map(([name]) => [name, readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')]));
}

// `npm run synth` and cdktf.json's app run main.ts through scripts/run-bundled.js: bundled once, cached by content.
describe('scripts/run-bundled.js main.ts', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'synth-out-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes every stack, byte for byte what the app writes in-process, and reuses its bundle', () => {
    const first = tmp();
    runSynth(first);
    const bundles = readdirSync(cacheDir).filter((f) => /^main-[0-9a-f]{16}\.js$/.test(f));
    expect(bundles).toHaveLength(1);
    const built = statSync(join(cacheDir, bundles[0])).mtimeMs;

    const second = tmp();
    runSynth(second);
    expect(statSync(join(cacheDir, bundles[0])).mtimeMs).toBe(built);

    const inProcess = tmp();
    const app = new App({ outdir: inProcess });
    buildStacks(app);
    app.synth();
    expect(read(first)).toEqual(read(inProcess));
    expect(read(second)).toEqual(read(inProcess));
  });

  it('is what cdktf.json runs', () => {
    expect(JSON.parse(readFileSync(join(root, 'cdktf.json'), 'utf8')).app).toBe('node scripts/run-bundled.js main.ts');
  });
});
