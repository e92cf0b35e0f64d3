#!/usr/bin/env node
// Stand-in for the VS Code executable, for @vscode/test-electron's runTests({ vscodeExecutablePath }).
// Accepts the arguments test-electron passes to desktop VS Code
// (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=, --extensions-dir=, [folder])
// and runs them in a real VS Code: code-server 4.100.3 (VS Code 1.100.3 server, Node extension host) plus
// headless Debian Chromium driven by playwright-core. Exit code = result of the extension's test runner.
// Whatever the outcome, a screenshot of the workbench is saved to test-results/e2e-final.png.
//
// Environment:
//   VSCODE_E2E_VERBOSE=1       forward every workbench log line and print the code-server log
//   VSCODE_E2E_KEEP=1          keep the scratch folder (code-server log, config) even on success
//   VSCODE_E2E_TIMEOUT_MS=n    give up after n ms (default 300000)
//   CODE_SERVER_BIN, CHROMIUM_BIN  override the code-server entry point / browser
//   GROUNDED_E2E_SCREENSHOT    where to save the final screenshot (default test-results/e2e-final.png)
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const util = require('util');
const { ROOT, startCodeServer, workbenchUrl, launchBrowser } = require('./codeServer');

const TIMEOUT_MS = +(process.env.VSCODE_E2E_TIMEOUT_MS || 300000);
const SCREENSHOT = process.env.GROUNDED_E2E_SCREENSHOT || path.join(ROOT, 'test-results', 'e2e-final.png');
const VERBOSE = !!process.env.VSCODE_E2E_VERBOSE;
// Workbench chatter that says nothing about the tests.
const NOISE = /^(Resolv|Creating a socket|Updating additional|Ignoring fetching additional builtin|\[Service Worker\]|ChatSessionStore|\[perf\]|Started local extension host|Started initializing default profile|Completed initializing default profile)/;

function parseArgs(argv) {
  const o = { dev: [], folder: undefined, tests: undefined, udd: undefined, exts: undefined };
  for (const a of argv) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    if (m) {
      if (m[1] === 'extensionDevelopmentPath') o.dev.push(path.resolve(m[2]));
      else if (m[1] === 'extensionTestsPath') o.tests = path.resolve(m[2]);
      else if (m[1] === 'user-data-dir') o.udd = path.resolve(m[2]);
      else if (m[1] === 'extensions-dir') o.exts = path.resolve(m[2]);
      // desktop-only flags (--no-sandbox, --disable-updates, --disable-extensions, ...) are ignored
    } else if (!a.startsWith('-')) o.folder = path.resolve(a);
  }
  return o;
}

async function screenshot(page) {
  if (!page || page.isClosed()) return;
  try {
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, timeout: 10000 });
    console.log(`vscode-shim: screenshot saved to ${path.relative(process.cwd(), SCREENSHOT) || SCREENSHOT}`);
  } catch (e) {
    console.error('vscode-shim: could not save the screenshot:', e && e.message || e);
  }
}

async function main() {
  const t0 = Date.now();
  const o = parseArgs(process.argv.slice(2));
  if (!o.tests || o.dev.length === 0) throw new Error('need --extensionTestsPath= and --extensionDevelopmentPath=');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-e2e-'));
  let server;
  let browser, page, code = 1;
  try {
    server = await startCodeServer({ home: work, userDataDir: o.udd, extensionsDir: o.exts });
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.stop(); process.exit(130); });
    process.on('exit', () => server.stop());
    const tHealthy = Date.now();
    const url = workbenchUrl(server.base, server.port, { folder: o.folder, extensionDevelopmentPaths: o.dev, extensionTestsPath: o.tests });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    let done; const exited = new Promise(r => (done = r));
    await page.exposeFunction('codeAutomationExit', c => done(c));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (VERBOSE || !NOISE.test(line)) (type === 'error' ? console.error : console.log)(line);
    });
    page.on('pageerror', e => console.error('[page error]', e.message));
    let timer;
    const timeout = new Promise(r => (timer = setTimeout(() => r('timeout'), Math.max(0, TIMEOUT_MS - (Date.now() - t0)))));
    const run = (async () => {
      await page.goto(url);
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      if (VERBOSE) console.log(`vscode-shim: healthy after ${tHealthy - t0} ms, workbench after ${Date.now() - t0} ms`);
      return exited;
    })();
    run.catch(() => { /* reported through the race below */ });
    code = await Promise.race([run, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') { console.error(`vscode-shim: extension tests timed out after ${TIMEOUT_MS} ms`); code = 1; }
    if (typeof code !== 'number') code = 1;
  } catch (e) {
    console.error('vscode-shim error:', e && e.stack || e);
    code = 1;
  } finally {
    // Taken after the tests' extension host has ended: the Grounded views then show their empty-view text
    // ("The codebook is empty") beside counts from before. That is the host gone, not what a user sees.
    await screenshot(page);
    if (browser) await browser.close().catch(() => {});
    if (server) server.stop();
    if (server && (code !== 0 || VERBOSE)) {
      console.error(`--- code-server log (${server.logFile}) ---\n` + fs.readFileSync(server.logFile, 'utf8').slice(-4000));
    }
  }
  if (VERBOSE) console.log(`vscode-shim: done in ${Date.now() - t0} ms, exit code ${code}`);
  if (code === 0 && !process.env.VSCODE_E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
  else console.error(`vscode-shim: scratch folder kept at ${work}`);
  process.exit(code);
}
main().catch(e => { console.error('vscode-shim error:', e && e.stack || e); process.exit(1); });
