// Entry of the e2e tests (node out/test/e2e/runTest.js; scripts/e2e.mjs runs it).
// Launches a real VS Code with the extension under development and runs test/e2e/suite/index.ts inside it.
//   GROUNDED_E2E_HOST=code-server (default): offline. The "VS Code executable" is test/e2e/vscode-shim.js,
//     which runs code-server (VS Code server + web workbench) and headless Debian Chromium.
//   GROUNDED_E2E_HOST=electron: @vscode/test-electron downloads desktop VS Code (needs internet).
// The workspace is a fresh temp copy of sample/, so tests never modify sample/.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

const root = path.resolve(__dirname, '../../..'); // out/test/e2e -> repo root

function makeWorkspace(): string {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-e2e-ws-')));
  const sample = path.join(root, 'sample');
  if (fs.existsSync(sample)) fs.cpSync(sample, ws, { recursive: true });
  return ws;
}

function readResults(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

async function main(): Promise<number> {
  const host = process.env.GROUNDED_E2E_HOST || 'code-server';
  if (host !== 'code-server' && host !== 'electron') {
    console.error(`GROUNDED_E2E_HOST must be "code-server" or "electron", not "${host}"`);
    return 2;
  }
  const workspace = makeWorkspace();
  const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-e2e-')));
  // Results: the caller's file (scripts/test.mjs) or our own, read back for a one-line summary.
  const ownResults = !process.env.GROUNDED_TEST_RESULTS;
  const results = process.env.GROUNDED_TEST_RESULTS || path.join(scratch, 'results.jsonl');

  const started = Date.now();
  let code = 0;
  try {
    await runTests({
      ...(host === 'code-server' ? { vscodeExecutablePath: path.join(root, 'test/e2e/vscode-shim.js') } : {}),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out/test/e2e/suite/index'),
      launchArgs: [
        workspace,
        `--user-data-dir=${path.join(scratch, 'user-data')}`,
        `--extensions-dir=${path.join(scratch, 'extensions')}`,
        '--disable-extensions', // only the extension under development (and built-ins)
      ],
      extensionTestsEnv: {
        GROUNDED_E2E_WORKSPACE: workspace,
        GROUNDED_E2E_RESULTS: results,
        GROUNDED_TEST_SUITE: 'e2e',
        GROUNDED_E2E_FILTER: process.env.GROUNDED_E2E_FILTER ?? '',
      },
    });
  } catch (err) {
    console.error(`e2e: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (ownResults) {
    const line = readResults(results).split('\n').filter(Boolean).pop();
    console.log(`e2e results: ${line || '(none: the test runner did not finish)'}`);
  }
  console.log(`e2e (${host}) ${code === 0 ? 'passed' : 'FAILED'} in ${secs} s`);
  if (code === 0 && !process.env.VSCODE_E2E_KEEP) {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  } else {
    console.log(`e2e: workspace kept at ${workspace}, scratch at ${scratch}`);
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
