// End-to-end tests in a real VS Code (`npm run test:e2e`).
//   node scripts/e2e.mjs             install code-server if missing, build, compile tests, run them
//   node scripts/e2e.mjs --no-build  the caller has built (dist/) and compiled the tests (out/) already
// Runs out/test/e2e/runTest.js (test/e2e/runTest.ts), then every test/e2e/ui/*.ui.mjs; exit code = the tests' result.
// GROUNDED_E2E_HOST=electron runs in downloaded desktop VS Code instead of code-server (needs internet).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAll } from './prereqs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const noBuild = process.argv.includes('--no-build');
const host = process.env.GROUNDED_E2E_HOST || 'code-server';

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`e2e: ${what} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})`);
    process.exit(r.status || 1);
  }
}

try {
  ensureAll({ codeServer: host === 'code-server' });
} catch (err) {
  console.error(`e2e: ${err.message}`);
  process.exit(1);
}
if (host === 'code-server') {
  const chromium = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`e2e: no browser at ${chromium}: apt-get install chromium (or set CHROMIUM_BIN)`);
    process.exit(1);
  }
}

if (!noBuild) {
  run(process.execPath, ['scripts/build.mjs'], 'build');
  run('npx', ['tsc', '-p', 'tsconfig.test.json'], 'compiling the tests');
}
for (const f of ['dist/extension.js', 'out/test/e2e/runTest.js', 'out/test/e2e/suite/index.js']) {
  if (!existsSync(path.join(root, f))) {
    console.error(`e2e: ${f} is missing: build and compile first (or drop --no-build)`);
    process.exit(1);
  }
}

// 1. the mocha suite inside the extension host (test/e2e/suite), through @vscode/test-electron's runTests;
// 2. the UI tests that drive the workbench with keys and the mouse (test/e2e/ui), code-server only.
const suite = spawnSync(process.execPath, ['out/test/e2e/runTest.js'], { cwd: root, stdio: 'inherit' });
let uiFailed = false;
if (host === 'code-server') {
  // Every UI test file, one after the other (each starts its own code-server on a fresh sample copy).
  for (const f of readdirSync(path.join(root, 'test/e2e/ui')).filter((n) => n.endsWith('.ui.mjs')).sort()) {
    const ui = spawnSync(process.execPath, [path.join('test/e2e/ui', f)], { cwd: root, stdio: 'inherit' });
    if (ui.status !== 0) uiFailed = true;
  }
}
process.exit(suite.status === 0 && !uiFailed ? 0 : 1);
