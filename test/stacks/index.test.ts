import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdktf';
import { buildStacks, STACKS } from '../../stacks';

describe('main app: every stack in stacks/', () => {
  it('lists one entry per stack file, by the file name', () => {
    const files = readdirSync(join(__dirname, '../../stacks'))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(STACKS.map(([name]) => name).sort()).toEqual(files);
  });

  it('writes cdktf.out/stacks/<name>/cdk.tf.json for each, identically on a second run', () => {
    const synthOnce = () => {
      const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
      try {
        const app = new App({ outdir });
        buildStacks(app);
        app.synth();
        return Object.fromEntries(STACKS.map(([name]) => [name, readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')]));
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    };
    const first = synthOnce();
    expect(Object.keys(first)).toHaveLength(STACKS.length);
    expect(synthOnce()).toEqual(first);
  });
});
