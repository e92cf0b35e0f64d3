// In-extension-host test runner: VS Code (or code-server) loads this module via --extensionTestsPath and
// calls run(). It runs every out/test/e2e/suite/**/*.e2e.test.js with mocha and the counting reporter,
// which appends {"suite":"e2e",...} to the results file named by GROUNDED_E2E_RESULTS (set by runTest.ts).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import CountingReporter from '../../support/countingReporter';
import { E2E_CODER } from './helpers';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(full));
    else if (entry.isFile() && entry.name.endsWith('.e2e.test.js')) out.push(full);
  }
  return out.sort();
}

export async function run(): Promise<void> {
  // Without a name Grounded asks for one at the first coding; identity.e2e.test.ts clears it to see that.
  await vscode.workspace.getConfiguration('grounded').update('coder', E2E_CODER, vscode.ConfigurationTarget.Global);
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60000,
    color: false,
    reporter: CountingReporter,
    reporterOptions: {
      resultsFile: process.env.GROUNDED_E2E_RESULTS || process.env.GROUNDED_TEST_RESULTS,
      suite: 'e2e',
    },
  });
  return new Promise((resolve, reject) => {
    try {
      // GROUNDED_E2E_FILTER=decorations,segments runs only the files whose names contain one of the words.
      const filter = (process.env.GROUNDED_E2E_FILTER ?? '').split(',').filter(Boolean);
      const files = findTests(__dirname).filter((f) => filter.length === 0 || filter.some((w) => path.basename(f).includes(w)));
      if (files.length === 0) throw new Error(`no *.e2e.test.js files under ${__dirname}`);
      for (const f of files) mocha.addFile(f);
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} e2e test(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
