// Starts test/support/concurrentWriter.ts as a child process, for the unit and e2e tests of two writers
// at once: it loads the project, prints "ready" and waits for go(); done resolves with its report.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { WriterReport } from './concurrentWriter';

export interface WriterProcess {
  ready: Promise<void>;
  go(): void;
  done: Promise<WriterReport>;
}

/** args: root, transcript, coder, codings, codes[, first]. Runs with ELECTRON_RUN_AS_NODE (desktop VS Code's execPath is Electron). */
export function startWriterProcess(args: string[]): WriterProcess {
  const child = spawn(process.execPath, [path.join(__dirname, 'concurrentWriter.js'), ...args], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.startsWith('ready\n')) onReady();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const done = new Promise<WriterReport>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`the writer (${args[2]}) exited ${code}: ${err}`));
      resolve(JSON.parse(out.slice('ready\n'.length)) as WriterReport);
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), done };
}
