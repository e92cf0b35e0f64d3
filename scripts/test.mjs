// THE test command (`npm test`; CI runs it from a fresh clone after `npm ci`).
// Steps, in order, each one's output streamed:
//   1 lint        npx eslint .                                    one check
//   2 typecheck   tsc --noEmit (extension) + tsc --noEmit (webview) one check
//   3 build       node scripts/build.mjs                          (needed by e2e)
//   4 compile     tsc -p tsconfig.test.json                       (needed by unit and e2e)
//   5 unit        mocha --config .mocharc.json                    each test counts
//   6 e2e         node scripts/e2e.mjs --no-build                 each test counts
//   7 package     node scripts/check-vsix.mjs                     one check
// Every step runs even when an earlier one failed, except the tests whose build/compile failed: those are
// skipped and count as one failure each. Tests report through out/test/support/countingReporter.js, which
// appends {"suite","passed","failed"} to the file in GROUNDED_TEST_RESULTS.
// Prints a table, then the final line `N passed, N failed`; exit code 1 when anything failed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureAll } from './prereqs.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'grounded-test-'));
const resultsFile = path.join(scratch, 'results.jsonl');

function exec(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('error', (err) => { console.error(`cannot run ${cmd}: ${err.message}`); resolve(127); });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function suiteResults(suite) {
  let text = '';
  try { text = readFileSync(resultsFile, 'utf8'); } catch { /* nothing written */ }
  const lines = text.split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return null; } })
    .filter((r) => r && r.suite === suite);
  if (lines.length === 0) return null;
  return lines.reduce((a, r) => ({ passed: a.passed + (r.passed | 0), failed: a.failed + (r.failed | 0) }), { passed: 0, failed: 0 });
}

const rows = [];
const ok = {};

function banner(name, desc) {
  console.log(`\n━━━ ${name}: ${desc} ━━━`);
}

async function check(name, desc, commands, counted = true) {
  banner(name, desc);
  const t = Date.now();
  let pass = true;
  for (const [cmd, ...args] of commands) pass = (await exec(cmd, args)) === 0 && pass;
  ok[name] = pass;
  rows.push({ name, status: pass ? 'ok' : 'FAILED', passed: counted ? +pass : 0, failed: counted ? +!pass : 0, ms: Date.now() - t, counted });
}

async function tests(name, desc, needs, cmd, args) {
  const missing = needs.filter((n) => !ok[n]);
  if (missing.length) {
    banner(name, `skipped (${missing.join(' and ')} failed)`);
    rows.push({ name, status: `SKIPPED (${missing.join('+')} failed)`, passed: 0, failed: 1, ms: 0, counted: true });
    return;
  }
  banner(name, desc);
  const t = Date.now();
  const code = await exec(cmd, args, { GROUNDED_TEST_RESULTS: resultsFile, GROUNDED_TEST_SUITE: name });
  const r = suiteResults(name);
  let passed = r ? r.passed : 0;
  let failed = r ? r.failed : 0;
  let status = code === 0 ? 'ok' : 'FAILED';
  // A run that crashed or never reported (no test files, load error, VS Code did not start) is a failure too.
  if (code !== 0 && failed === 0) { failed += 1; status = r ? `FAILED (exit ${code})` : `FAILED (exit ${code}, no results)`; }
  if (code === 0 && !r) { failed += 1; status = 'FAILED (no results reported)'; }
  if (code === 0 && r && passed === 0 && failed === 0) status = 'ok (no tests)';
  rows.push({ name, status, passed, failed, ms: Date.now() - t, counted: true });
}

const started = Date.now();
try {
  ensureAll({ codeServer: process.env.GROUNDED_E2E_HOST !== 'electron' });
} catch (err) {
  console.error(`test: ${err.message}`);
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}
await check('lint', 'npx eslint .', [['npx', 'eslint', '.']]);
await check('typecheck', 'tsc --noEmit (extension, webview)', [
  ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit'],
  ['npx', 'tsc', '-p', 'webview/tsconfig.json', '--noEmit'],
]);
await check('build', 'node scripts/build.mjs', [[process.execPath, 'scripts/build.mjs']], false);
await check('compile', 'tsc -p tsconfig.test.json', [['npx', 'tsc', '-p', 'tsconfig.test.json']], false);
await tests('unit', 'mocha --config .mocharc.json', ['compile'], 'npx', ['mocha', '--config', '.mocharc.json']);
await tests('e2e', 'scripts/e2e.mjs --no-build (VS Code via code-server)', ['build', 'compile'], process.execPath, ['scripts/e2e.mjs', '--no-build']);
await check('package', 'npm run package, install the .vsix into VS Code 1.100', [[process.execPath, 'scripts/check-vsix.mjs']]);
rmSync(scratch, { recursive: true, force: true });

const passed = rows.reduce((s, r) => s + r.passed, 0);
const failed = rows.reduce((s, r) => s + r.failed, 0);
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
console.log('\n━━━ summary ━━━');
console.log(`${pad('step', 10)} ${pad('status', 34)} ${lpad('passed', 6)} ${lpad('failed', 6)} ${lpad('time', 8)}`);
for (const r of rows) {
  const p = r.counted ? r.passed : '-';
  const f = r.counted ? r.failed : '-';
  console.log(`${pad(r.name, 10)} ${pad(r.status, 34)} ${lpad(p, 6)} ${lpad(f, 6)} ${lpad((r.ms / 1000).toFixed(1) + ' s', 8)}`);
}
console.log(`${pad('total', 10)} ${pad('', 34)} ${lpad(passed, 6)} ${lpad(failed, 6)} ${lpad(((Date.now() - started) / 1000).toFixed(1) + ' s', 8)}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 || rows.some((r) => r.status.startsWith('FAILED')) ? 1 : 0);
