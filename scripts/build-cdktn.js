#!/usr/bin/env node
// Emits the CDK Terrain build of the library: dist/cdktn/, the compiled dist/modules/ with every import of
// CDK for Terraform rewritten to its community fork (`cdktf` -> `cdktn`, `@cdktf/provider-aws` ->
// `@cdktn/provider-aws`). Run by `npm run build`, after tsc.
//
// Why a second tree, and why rewritten rather than written twice:
// - One build cannot serve both frameworks: a cdktn `App` refuses a resource made with cdktf's classes (the
//   constructs check `instanceof` against their own framework's `TerraformStack`, `TerraformResource`,
//   `TerraformOutput`), so a cdktn app needs constructs that import cdktn itself.
// - cdktn 0.24 keeps cdktf's API and its provider bindings keep their module paths (`lib/iam-role`, ...), so
//   the source is the same and only the module specifiers differ. A hand-kept copy would drift; rewriting the
//   compiled output cannot. The consumer tests type-check and synthesize the result with the real cdktn.
// Usage: node scripts/build-cdktn.js [distDir]   (default: dist)
'use strict';
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('fs');
const { join, relative } = require('path');

const dist = process.argv[2] ?? join(__dirname, '..', 'dist');
const from = join(dist, 'modules');
const to = join(dist, 'cdktn');

// The packages a module of the library may import from cdktf's world, and their CDK Terrain names.
const RENAMES = [
  [/^cdktf(\/.*)?$/, (m, rest) => `cdktn${rest ?? ''}`],
  [/^@cdktf\/provider-aws(\/.*)?$/, (m, rest) => `@cdktn/provider-aws${rest ?? ''}`],
];
// Module specifiers as tsc writes them: require("x"), from "x", import("x"), with either quote.
const SPECIFIER = /(\brequire\(|\bfrom\s+|\bimport\()(["'])([^"']+)\2/g;

function rewrite(text, file) {
  return text.replace(SPECIFIER, (whole, lead, quote, specifier) => {
    for (const [pattern, rename] of RENAMES) {
      const match = specifier.match(pattern);
      if (match) return `${lead}${quote}${rename(...match)}${quote}`;
    }
    if (/^@cdktf\//.test(specifier)) {
      // A package of cdktf's that has no rename above: a build that imported it would be half cdktf.
      throw new Error(`build-cdktn: ${relative(process.cwd(), file)} imports ${specifier}, which has no CDK Terrain name. Fix: add it to RENAMES in scripts/build-cdktn.js`);
    }
    return whole;
  });
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
}

rmSync(to, { recursive: true, force: true });
let rewritten = 0;
for (const file of walk(from)) {
  const target = join(to, relative(from, file));
  mkdirSync(join(target, '..'), { recursive: true });
  const text = readFileSync(file, 'utf8');
  const out = /\.(js|d\.ts)$/.test(file) ? rewrite(text, file) : text;
  if (out !== text) rewritten++;
  writeFileSync(target, out);
}
if (rewritten === 0) throw new Error(`build-cdktn: no file under ${from} imports cdktf: is the build empty?`);
