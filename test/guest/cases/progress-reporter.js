// In the guest: each test's result as one JSON line in results.jsonl (in the
// run's shared dir) the moment it ends, and a line per file, so a run stopped
// by the timeout still reports every test it finished. It also prints one
// line per test to run.log, to follow a run: tail -f <run dir>/run.log
const { appendFileSync } = require('node:fs');
const { join } = require('node:path');

class ProgressReporter {
  constructor() {
    // Unset when the host only warms the transform cache (global-setup.js).
    this.file = process.env.KIT_GUEST_OUT ? join(process.env.KIT_GUEST_OUT, 'results.jsonl') : undefined;
  }

  onTestCaseResult(test, result) {
    const { fullName, status, failureMessages, duration } = result;
    this.write({ file: test.path, fullName, status, failureMessages, duration });
    process.stderr.write(`${status === 'passed' ? 'ok  ' : status.padEnd(4)} ${fullName} (${Math.round((duration ?? 0) / 1000)} s)\n`);
  }

  onTestResult(test, result) {
    this.write({ file: test.path, done: true, message: result.failureMessage ?? '', tests: result.testResults.length });
  }

  write(record) {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }
}
module.exports = ProgressReporter;
