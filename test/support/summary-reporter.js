// Prints one closing line, "Summary: N passed, N failed, N skipped", that CI tooling reads without knowing
// Jest's own summary format. It is written as the process exits, so it comes after everything Jest prints.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests } = results;
    const line = `Summary: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;
