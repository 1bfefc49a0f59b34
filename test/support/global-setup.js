// Gives the run one fresh file the test workers append their figures to (test/support/figures.ts); the
// workers inherit the variable, and the summary reporter reads the file when the run is over.
const { mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

module.exports = async () => {
  process.env.TEST_FIGURES_FILE = join(mkdtempSync(join(tmpdir(), 'test-figures-')), 'figures.jsonl');
};
