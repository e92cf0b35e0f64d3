// Starting the VS Code we test in, shared by the test shim (vscode-shim.js), the UI tests (ui/*.mjs)
// and `npm start`: code-server 4.100.3 on 127.0.0.1 with its own profile, no marketplace, no telemetry,
// and Debian's Chromium driven by playwright-core.
'use strict';
const cp = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const ROOT = path.resolve(__dirname, '../..');
const CODE_SERVER = process.env.CODE_SERVER_BIN ||
  path.join(ROOT, 'tools/code-server/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-crash-reporter', '--disable-breakpad'];

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none', 'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'git.openRepositoryInParentFolders': 'never', // sample/ sits inside this repo; don't prompt about it
  'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
  'update.mode': 'none', 'workbench.enableExperiments': false, 'security.workspace.trust.enabled': false,
};

const canListen = (port) => new Promise((resolve) => {
  const s = net.createServer();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  s.on('error', reject);
});

function checkInstalled() {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server not found at ${CODE_SERVER}: run tools/code-server/install.sh`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_BIN)`);
}

/**
 * Starts code-server with its profile under `home` (user-data, extensions, xdg folders; settings written
 * once, with `settings` added; `locale` sets the display language, e.g. 'nb'). Resolves when it answers /healthz. `stop()` ends its whole process group.
 */
async function startCodeServer({ home, port, userDataDir, extensionsDir, logFile, settings: extra, locale }) {
  checkInstalled();
  const udd = userDataDir || path.join(home, 'user-data');
  const exts = extensionsDir || path.join(home, 'extensions');
  for (const d of [path.join(udd, 'User'), exts, path.join(home, 'xdg-config'), path.join(home, 'xdg-data')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const settings = path.join(udd, 'User', 'settings.json');
  if (!fs.existsSync(settings)) fs.writeFileSync(settings, JSON.stringify({ ...DEFAULT_SETTINGS, ...extra }, null, 2));
  port = port || await freePort();
  logFile = logFile || path.join(home, 'code-server.log');
  const log = fs.openSync(logFile, 'w');
  const server = cp.spawn(process.execPath, [CODE_SERVER, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', udd, '--extensions-dir', exts, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override', ...(locale ? ['--locale', locale] : [])], {
    cwd: ROOT, stdio: ['ignore', log, log], detached: true,
    env: { EXTENSIONS_GALLERY: '{}' /* no marketplace: offline */, ...process.env,
      XDG_CONFIG_HOME: path.join(home, 'xdg-config'), XDG_DATA_HOME: path.join(home, 'xdg-data') },
  });
  const stop = (signal = 'SIGTERM') => { try { process.kill(-server.pid, signal); } catch { /* gone */ } };
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`code-server exited with code ${server.exitCode}; log: ${logFile}`);
    try { if ((await fetch(`${base}/healthz`)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > end) { stop(); throw new Error(`code-server did not become healthy within 30 s; log: ${logFile}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, base, server, logFile, stop };
}

/** The workbench URL that opens `folder` with extensions in development mode (and optionally tests). */
function workbenchUrl(base, port, { folder, extensionDevelopmentPaths = [], extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = extensionDevelopmentPaths.map((d) => ['extensionDevelopmentPath', remote(d)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  const query = [folder ? `folder=${encodeURIComponent(folder)}` : '', `payload=${encodeURIComponent(JSON.stringify(payload))}`];
  return `${base}/?${query.filter(Boolean).join('&')}`;
}

function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

module.exports = { ROOT, canListen, freePort, startCodeServer, workbenchUrl, launchBrowser };
