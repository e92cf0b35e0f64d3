// The floors of the terminal section (bench/terminal.ts), compiled to out/bench/terminalChild.js.
//
// The floors the CLI commands are measured against, in a process of their own so that start-up costs
// the same (bench/terminalProbe.ts is preloaded into both):
//   read DIR       read grounded.json, every sidecar and every transcript; JSON.parse the JSON files
//   zip DIR        the same, then fflate zipSync (level 6) of the transcript texts into FILE=$2
//   unzip FILE     fflate unzipSync of a .qdpx and a saxes parse of its project.qde (builds nothing)
//   idle           nothing: the resident set of a bare node process
import * as fs from 'node:fs';
import * as path from 'node:path';


const SKIPPED = new Set(['node_modules', '.git']);

function files(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) walk(p);
      } else if (e.isFile()) out.push(p);
    }
  };
  walk(root);
  return out;
}

/**
 * A file read whole and decoded: the faster of Node's plain reads (`readFileSync(p, 'utf8')` reads in
 * 8 KiB pieces and takes about a twentieth longer), as the CLI's own port reads.
 */
const read = (p: string): string => fs.readFileSync(p).toString('utf8');

/** Reads what every command reads; returns the transcript texts. */
function readAll(root: string): Map<string, string> {
  let sink = 0;
  const texts = new Map<string, string>();
  const all = files(root);
  const sidecars = all.filter((f) => f.endsWith('.codes.json'));
  sink += (JSON.parse(read(path.join(root, 'grounded.json'))) as { codes: unknown[] }).codes.length;
  for (const s of sidecars) {
    sink += (JSON.parse(read(s)) as { codings: unknown[] }).codings.length;
    const t = s.slice(0, -'.codes.json'.length);
    const text = read(t);
    texts.set(path.relative(root, t), text);
  }
  if (sink === 0 && sidecars.length > 0) throw new Error('read nothing');
  return texts;
}

function main(argv: string[]): void {
  const [mode, a, b] = argv;
  if (mode === 'idle') return;
  if (mode === 'read') {
    readAll(a);
    return;
  }
  if (mode === 'zip') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { zipSync } = require('fflate') as typeof import('fflate');
    const enc = new TextEncoder();
    const tree: Record<string, [Uint8Array, { level: 6 }]> = {};
    for (const [p, text] of readAll(a)) tree[p] = [enc.encode(text), { level: 6 }];
    fs.writeFileSync(b, zipSync(tree));
    return;
  }
  if (mode === 'unzip') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { unzipSync } = require('fflate') as typeof import('fflate');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SaxesParser } = require('saxes') as typeof import('saxes');
    const zip = unzipSync(fs.readFileSync(a));
    const parser = new SaxesParser({ xmlns: true });
    let n = 0;
    parser.on('opentag', () => n++);
    parser.write(new TextDecoder().decode(zip['project.qde'])).close();
    if (n === 0) throw new Error('no elements in project.qde');
    return;
  }
  throw new Error(`usage: node terminalChild.js read DIR | zip DIR FILE | unzip FILE | idle (got ${mode})`);
}

if (require.main === module) main(process.argv.slice(2));
