// Mocha reporter: Mocha's Spec output, plus one machine-readable JSON line appended at the end of the run
// to a results file, so scripts/test.mjs can add up unit and e2e results:
//   {"suite":"unit","passed":12,"failed":0}
// Where to write: reporterOptions.resultsFile, else env GROUNDED_TEST_RESULTS (nothing is written when neither
// is set). Suite name: reporterOptions.suite, else env GROUNDED_TEST_SUITE, else "unit".
// Used by `mocha --reporter out/test/support/countingReporter.js` (hence `export =`, i.e. module.exports)
// and, inside the extension host, passed as a class to `new Mocha({ reporter })` by test/e2e/suite/index.ts.
import * as fs from 'fs';
import * as path from 'path';
import * as Mocha from 'mocha';

interface CountingOptions {
  resultsFile?: string;
  suite?: string;
}

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const opts: CountingOptions = (options && (options.reporterOptions as CountingOptions)) || {};
    const resultsFile = opts.resultsFile || process.env.GROUNDED_TEST_RESULTS;
    const suite = opts.suite || process.env.GROUNDED_TEST_SUITE || 'unit';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      if (!resultsFile) return;
      const stats = runner.stats ?? { passes: 0, failures: 0 };
      const line = JSON.stringify({ suite, passed: stats.passes, failed: stats.failures });
      try {
        fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
        fs.appendFileSync(resultsFile, line + '\n');
      } catch (err) {
        console.error(`countingReporter: cannot write ${resultsFile}: ${String(err)}`);
      }
    });
  }
}

export = CountingReporter;
