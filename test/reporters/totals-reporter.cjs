// Ends every jest run with one plain line, `N passed, N failed` (and skipped when there are any), which
// CI and people can read without parsing jest's summary table. It is written when the process exits,
// so that it comes after jest's own summary.
'use strict';

class TotalsReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
    process.once('exit', () => process.stderr.write(`\n${line}\n`));
  }
}

module.exports = TotalsReporter;
