// `npm start`: try Grounded in a real VS Code in your browser, no packaging, no internet.
// Builds the extension, installs code-server if missing (tools/code-server/install.sh), starts it on
// 127.0.0.1 (port 8080 if free, else a free one; env PORT forces one) with --auth none and its own
// profile under .vscode-test/start/, and prints a URL that opens sample/ with this folder loaded as an
// extension in development mode. Runs until Ctrl+C, then stops the server's process group.
// After changing code: `npm run build` (or `npm run watch` in another terminal), then reload the page.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const codeServer = path.join(root, 'tools/code-server/node_modules/code-server/out/node/entry.js');
const marker = path.join(root, 'tools/code-server/node_modules/code-server/lib/vscode/.e2e-installed');
const home = path.join(root, '.vscode-test', 'start');
const sample = path.join(root, 'sample');

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: ${what} failed`);
    process.exit(r.status || 1);
  }
}

const canListen = (port) => new Promise((resolve) => {
  const s = net.createServer();
  s.once('error', () => resolve(false));
  s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
});

async function pickPort() {
  if (process.env.PORT) {
    const p = Number(process.env.PORT);
    if (!Number.isInteger(p) || p <= 0 || p > 65535) throw new Error(`PORT=${process.env.PORT} is not a port`);
    if (!(await canListen(p))) throw new Error(`port ${p} (from PORT) is already in use`);
    return p;
  }
  if (await canListen(8080)) return 8080;
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

async function waitHealthy(base, server, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (server.exitCode !== null) throw new Error(`code-server exited with code ${server.exitCode}`);
    try { if ((await fetch(`${base}/healthz`)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error('code-server did not become healthy within 30 s');
}

run(process.execPath, ['scripts/build.mjs'], 'build');
if (!existsSync(marker)) {
  console.log('start: installing code-server (tools/code-server/install.sh), once');
  run('bash', [path.join(root, 'tools/code-server/install.sh')], 'installing code-server');
}
mkdirSync(sample, { recursive: true });
const dirs = Object.fromEntries(['user-data', 'extensions', 'xdg-config', 'xdg-data'].map((d) => [d, path.join(home, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
const settings = path.join(dirs['user-data'], 'User', 'settings.json');
if (!existsSync(settings)) {
  writeFileSync(settings, JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'git.openRepositoryInParentFolders': 'never', // sample/ sits inside this repo; don't prompt about it
    'telemetry.telemetryLevel': 'off', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'update.mode': 'none', 'workbench.enableExperiments': false, 'security.workspace.trust.enabled': false,
  }, null, 2));
}

const port = await pickPort();
const base = `http://127.0.0.1:${port}`;
const logFile = path.join(home, 'code-server.log');
const log = openSync(logFile, 'w');
const server = spawn(process.execPath, [codeServer, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
  '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions, '--disable-telemetry',
  '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'], {
  cwd: root, stdio: ['ignore', log, log], detached: true,
  env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_CONFIG_HOME: dirs['xdg-config'], XDG_DATA_HOME: dirs['xdg-data'] },
});

let stopping = false;
function stop(code) {
  if (!stopping) {
    stopping = true;
    console.log('\nstart: stopping code-server');
    try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ }
    setTimeout(() => { try { process.kill(-server.pid, 'SIGKILL'); } catch { /* gone */ } process.exit(code); }, 3000).unref();
  }
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('exit', () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ } });
server.on('exit', (code, signal) => {
  if (!stopping) console.error(`start: code-server exited (${code ?? signal}); log: ${path.relative(root, logFile)}`);
  process.exit(stopping ? 0 : code || 1);
});

try {
  await waitHealthy(base, server, 30000);
} catch (err) {
  console.error(`start: ${err.message}; log: ${path.relative(root, logFile)}`);
  stop(1);
}
if (!stopping) {
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`]];
  const url = `${base}/?folder=${encodeURIComponent(sample)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  console.log(`\nGrounded is running: open ${url}\n`);
  console.log(`  workspace: ${path.relative(root, sample)}/   extension: ${root} (development mode)`);
  console.log(`  server log: ${path.relative(root, logFile)}   Ctrl+C to stop`);
}
