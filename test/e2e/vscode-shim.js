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
const cp = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const util = require('util');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const CODE_SERVER = process.env.CODE_SERVER_BIN ||
  path.join(ROOT, 'tools/code-server/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
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

const freePort = () => new Promise((res, rej) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  s.on('error', rej);
});

async function waitHealthy(url, server, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`code-server exited with code ${server.exitCode}`);
    try { const r = await fetch(url + '/healthz'); if (r.ok) return; } catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('code-server did not become healthy');
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
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server not found at ${CODE_SERVER}: run tools/code-server/install.sh`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_BIN)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vscode-e2e-'));
  const udd = o.udd || path.join(work, 'user-data');
  const exts = o.exts || path.join(work, 'extensions');
  fs.mkdirSync(path.join(udd, 'User'), { recursive: true });
  fs.mkdirSync(exts, { recursive: true });
  const settings = path.join(udd, 'User', 'settings.json');
  if (!fs.existsSync(settings)) {
    fs.writeFileSync(settings, JSON.stringify({
      'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'update.mode': 'none',
      'workbench.enableExperiments': false, 'security.workspace.trust.enabled': false,
    }, null, 2));
  }
  const port = await freePort();
  const config = path.join(work, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(work, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const server = cp.spawn(process.execPath, [CODE_SERVER, '--config', config, '--user-data-dir', udd,
    '--extensions-dir', exts, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override'], { stdio: ['ignore', log, log], detached: true,
    env: { EXTENSIONS_GALLERY: '{}' /* no marketplace: offline */, ...process.env,
      XDG_CONFIG_HOME: path.join(work, 'xdg-config'), XDG_DATA_HOME: path.join(work, 'xdg-data') } });
  const stopServer = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', stopServer);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { stopServer(); process.exit(130); });
  let browser, page, code = 1;
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base, server, 30000);
    const tHealthy = Date.now();
    const remote = p => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [...o.dev.map(d => ['extensionDevelopmentPath', remote(d)]), ['extensionTestsPath', remote(o.tests)]];
    const url = `${base}/?${o.folder ? `folder=${encodeURIComponent(o.folder)}&` : ''}payload=${encodeURIComponent(JSON.stringify(payload))}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-crash-reporter', '--disable-breakpad'] });
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
    await screenshot(page);
    if (browser) await browser.close().catch(() => {});
    stopServer();
    if (code !== 0 || VERBOSE) {
      console.error(`--- code-server log (${logFile}) ---\n` + fs.readFileSync(logFile, 'utf8').slice(-4000));
    }
  }
  if (VERBOSE) console.log(`vscode-shim: done in ${Date.now() - t0} ms, exit code ${code}`);
  if (code === 0 && !process.env.VSCODE_E2E_KEEP) fs.rmSync(work, { recursive: true, force: true });
  else console.error(`vscode-shim: scratch folder kept at ${work}`);
  process.exit(code);
}
main().catch(e => { console.error('vscode-shim error:', e && e.stack || e); process.exit(1); });
