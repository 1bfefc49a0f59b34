// Prints the figures the tests recorded (test/support/figures.ts), then one closing line,
// "Summary: N passed, N failed, N skipped", that CI tooling reads without knowing Jest's own summary format.
// Both are written as the process exits, so they come after everything Jest prints.
const { existsSync, readFileSync, rmSync } = require('fs');
const { dirname } = require('path');

function figures() {
  const file = process.env.TEST_FIGURES_FILE;
  if (!file || !existsSync(file)) return [];
  const totals = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    const { name, value } = JSON.parse(line);
    totals.set(name, (totals.get(name) ?? 0) + value);
  }
  rmSync(dirname(file), { recursive: true, force: true });
  return [...totals].map(([name, value]) => `  ${name}: ${value.toLocaleString('en-US')}`);
}

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const lines = figures();
    const text = (lines.length > 0 ? `Figures\n${lines.join('\n')}\n` : '') + `Summary: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`;
    process.once('exit', () => process.stderr.write(text));
  }
}
module.exports = SummaryReporter;
