// `npm start`: try Grounded in a real VS Code in your browser, no packaging, no internet.
// Builds the extension, installs code-server if missing (tools/code-server/install.sh), starts it on
// 127.0.0.1 (port 8080 if free, else a free one; env PORT forces one) with --auth none and its own
// profile under .vscode-test/start/, and prints a URL that opens sample/ with this folder loaded as an
// extension in development mode. Runs until Ctrl+C, then stops the server's process group.
// After changing code: `npm run build` (or `npm run watch` in another terminal), then reload the page.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureAll, root } from './prereqs.mjs';

const require = createRequire(import.meta.url);
const home = path.join(root, '.vscode-test', 'start');
const sample = path.join(root, 'sample');

function run(cmd, args, what) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`start: ${what} failed`);
    process.exit(r.status || 1);
  }
}

try {
  ensureAll();
} catch (err) {
  console.error(`start: ${err.message}`);
  process.exit(1);
}
run(process.execPath, ['scripts/build.mjs'], 'build');
const { canListen, startCodeServer, workbenchUrl } = require('../test/e2e/codeServer.js');

async function pickPort() {
  if (process.env.PORT) {
    const p = Number(process.env.PORT);
    if (!Number.isInteger(p) || p <= 0 || p > 65535) throw new Error(`PORT=${process.env.PORT} is not a port`);
    if (!(await canListen(p))) throw new Error(`port ${p} (from PORT) is already in use`);
    return p;
  }
  return (await canListen(8080)) ? 8080 : undefined; // undefined: any free port
}

let server;
try {
  server = await startCodeServer({ home, port: await pickPort() });
} catch (err) {
  console.error(`start: ${err.message}`);
  process.exit(1);
}
let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstart: stopping code-server');
  server.stop();
  setTimeout(() => { server.stop('SIGKILL'); process.exit(code); }, 3000).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
process.on('exit', () => server.stop());
server.server.on('exit', (code, signal) => {
  if (!stopping) console.error(`start: code-server exited (${code ?? signal}); log: ${path.relative(root, server.logFile)}`);
  process.exit(stopping ? 0 : code || 1);
});
const url = workbenchUrl(server.base, server.port, { folder: sample, extensionDevelopmentPaths: [root] });
console.log(`\nGrounded is running: open ${url}\n`);
console.log(`  workspace: ${path.relative(root, sample)}/   extension: ${root} (development mode)`);
console.log(`  server log: ${path.relative(root, server.logFile)}   Ctrl+C to stop`);
