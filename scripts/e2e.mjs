// End-to-end tests in a real VS Code (`npm run test:e2e`).
//   node scripts/e2e.mjs             install code-server if missing, build, compile tests, run them
//   node scripts/e2e.mjs --no-build  the caller has built (dist/) and compiled the tests (out/) already
// Runs out/test/e2e/runTest.js (test/e2e/runTest.ts); exit code = the tests' result.
// GROUNDED_E2E_HOST=electron runs in downloaded desktop VS Code instead of code-server (needs internet).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const noBuild = process.argv.includes('--no-build');
const host = process.env.GROUNDED_E2E_HOST || 'code-server';
const marker = path.join(root, 'tools/code-server/node_modules/code-server/lib/vscode/.e2e-installed');

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`e2e: ${what} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})`);
    process.exit(r.status || 1);
  }
}

if (host === 'code-server') {
  if (!existsSync(marker)) {
    console.log('e2e: code-server is not installed yet: running tools/code-server/install.sh');
    run('bash', [path.join(root, 'tools/code-server/install.sh')], 'installing code-server');
  }
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

const r = spawnSync(process.execPath, ['out/test/e2e/runTest.js'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
