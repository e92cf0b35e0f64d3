// What the two README commands need on a fresh clone, installed when missing, so that `npm start` and
// `npm test` work right after `git clone`. Uses only Node built-ins (it runs before node_modules exists).
//   - the project's npm dependencies (npm ci)
//   - Debian packages for the real VS Code used by e2e tests and `npm start`: chromium, ripgrep,
//     libkrb5-dev (headers for code-server's kerberos module), python3/make/g++ (native modules),
//     libxml2-utils (xmllint); installed with apt-get when running as root or with sudo
//   - code-server 4.100.3 from the npm registry (tools/code-server/install.sh)
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const codeServerMarker = path.join(root, 'tools/code-server/node_modules/code-server/lib/vscode/.e2e-installed');

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error(`${what} failed (${r.error ? r.error.message : `exit ${r.status ?? r.signal}`})`);
  }
}

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

/** npm ci when node_modules is missing or older than package-lock.json. */
export function ensureNodeModules() {
  const installed = path.join(root, 'node_modules/.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('prereqs: installing the npm dependencies (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund'], 'npm ci');
}

const DEBIAN = [
  { pkg: 'chromium', present: () => existsSync(process.env.CHROMIUM_BIN || '/usr/bin/chromium') },
  { pkg: 'ripgrep', present: () => has('rg') },
  { pkg: 'libkrb5-dev', present: () => existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h') },
  { pkg: 'python3', present: () => has('python3') },
  { pkg: 'make', present: () => has('make') },
  { pkg: 'g++', present: () => has('g++') },
  { pkg: 'libxml2-utils', present: () => has('xmllint') },
];

/** Debian packages for the browser-based VS Code; apt-get installs them when it can. */
export function ensureDebianPackages() {
  const missing = DEBIAN.filter((d) => !d.present()).map((d) => d.pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!has('apt-get') || (!isRoot && !has('sudo'))) {
    throw new Error(`missing system packages: ${missing.join(' ')}. Install them (Debian/Ubuntu: apt-get install -y ${missing.join(' ')}) and run again.`);
  }
  console.log(`prereqs: installing Debian packages: ${missing.join(' ')}`);
  const asRoot = (args, what) => (isRoot ? run(args[0], args.slice(1), what) : run('sudo', ['-n', ...args], what));
  asRoot(['apt-get', 'update'], 'apt-get update');
  asRoot(['env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', ...missing], 'apt-get install');
}

/** code-server 4.100.3 (VS Code 1.100.3) in tools/code-server, built once. */
export function ensureCodeServer() {
  if (existsSync(codeServerMarker)) return;
  console.log('prereqs: installing code-server (tools/code-server/install.sh), once');
  run('bash', [path.join(root, 'tools/code-server/install.sh')], 'installing code-server');
}

export function ensureAll({ codeServer = true } = {}) {
  ensureNodeModules();
  if (codeServer) {
    ensureDebianPackages();
    ensureCodeServer();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureAll();
  } catch (err) {
    console.error(`prereqs: ${err.message}`);
    process.exit(1);
  }
}
