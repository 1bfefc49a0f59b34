#!/usr/bin/env node
// The `least-privilege-iam` command (package.json "bin"): the compiled CLI in dist/ (`npm run build`,
// run by `npm pack` through "prepack"). Plain JavaScript, so that it runs wherever the package is
// installed, with no TypeScript tooling. `least-privilege-iam --help` for its usage.
'use strict';
const { join } = require('path');

const main = join(__dirname, '..', 'dist', 'modules', 'cli', 'main.js');
let cli;
try {
  cli = require(main);
} catch (error) {
  // Only a missing build is explained here; any other error is the CLI's own, shown as it is.
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(main)) {
    console.error(
      `least-privilege-iam: ${main} is missing: the package was installed without its build. Fix: install it from a packed tarball (npm pack builds dist/), or run \`npm run build\` in ${join(__dirname, '..')}`,
    );
    process.exit(2);
  }
  throw error;
}
cli.runCli(process.argv.slice(2));
