import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';

/**
 * The project root, found from the running file upwards: run-bundled.js runs the scripts from a bundle under
 * node_modules/.cache, so the script's own folder says nothing about where the project is.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'least-privilege-iam') return dir;
  }
  throw new Error(`no least-privilege-iam package.json above ${from}`);
}
