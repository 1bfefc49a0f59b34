import { existsSync, rmSync } from 'fs';
import { join } from 'path';
import type { App } from 'cdktf';

/**
 * Removes, from each synthesized stack's folder, the files of the other output format. cdktf writes
 * `cdk.tf.json`, or `cdk.tf` and `metadata.json` under `cdktf synth --hcl`, and leaves the other format's
 * files from an earlier synth in place: terraform reads both `cdk.tf` and `cdk.tf.json`, and fails on every
 * resource declared twice. Run after `app.synth()`.
 */
export function removeOtherFormat(app: App): void {
  const stale = app.hclOutput ? ['cdk.tf.json'] : ['cdk.tf', 'metadata.json'];
  for (const stack of Object.values(app.manifest.stacks)) {
    for (const name of stale) {
      const file = join(app.outdir, stack.workingDirectory, name);
      if (existsSync(file)) rmSync(file);
    }
  }
}
