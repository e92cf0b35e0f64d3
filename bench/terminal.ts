// The terminal (issue 15): the real `grounded` CLI (dist/cli.js, built by `node scripts/build.mjs`) run
// as a child process on the generated projects at 50, 200 and 500 transcripts, each command against a
// floor that is a child node process too (bench/terminalChild.ts), so that start-up costs both alike.
// Wall time is the median of alternating runs; peak memory is the child's maxRSS (written at exit by
// the preload bench/terminalProbe.ts).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sidecarPathFor } from '../src/core/sidecar';
import { agreementProject } from './agreement';
import { median } from './median';
import { DATA_DIR, GeneratedProject, PROFILES, generateProject } from './generate';

const REPO = path.resolve(__dirname, '..', '..');
// GROUNDED_BENCH_CLI: another build of the CLI (e.g. a copy of dist/cli.js from before a change).
const CLI = process.env.GROUNDED_BENCH_CLI ? path.resolve(process.env.GROUNDED_BENCH_CLI) : path.join(REPO, 'dist', 'cli.js');
const CHILD = path.join(__dirname, 'terminalChild.js');
const PROBE = path.join(__dirname, 'terminalProbe.js');

export interface Run {
  ms: number;
  /** CPU time of the child (user + system, all its threads), ms */
  cpu: number;
  /** peak resident set, bytes */
  rss: number;
}

export interface Measured {
  /** median wall time, ms */
  ms: number;
  /** median CPU time, ms: less disturbed than wall time by other processes on a busy machine */
  cpu: number;
  /** the largest peak resident set over the runs, bytes */
  rss: number;
  reps: number;
}

export interface CommandRow {
  command: string;
  /** the CLI's arguments, for the table */
  shown: string;
  baseline: string;
  transcripts: number;
  codings: number;
  projectBytes: number;
  subject: Measured;
  floor: Measured;
}

export interface TerminalOutcome {
  rows: CommandRow[];
  idleRss: number;
  /** `grounded --version` against a bare node process: what loading the CLI bundle costs every command */
  startup: { subject: Measured; floor: Measured };
}

const rssFile = path.join(os.tmpdir(), `grounded-bench-rss-${process.pid}`);

/** One child: `node --require terminalProbe.js ...args`; throws if it exits with 2 or more. */
function runChild(args: string[], okStatus: readonly number[] = [0]): Run {
  fs.rmSync(rssFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--require', PROBE, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, GROUNDED_BENCH_RSS: rssFile },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status === null || !okStatus.includes(r.status)) throw new Error(`node ${args.join(' ')}: exit ${r.status}\n${r.stderr.toString().slice(0, 2000)}`);
  const [rss, cpu] = fs.readFileSync(rssFile, 'utf8').split(' ').map(Number);
  return { ms, cpu: cpu / 1000, rss: rss * 1024 };
}

/** Subject and floor alternately (ABBA), after one untimed round of each; `setup` runs untimed before every run. */
function measure(subject: () => Run, floor: () => Run, reps: number, setup?: () => void): { subject: Measured; floor: Measured } {
  const once = (fn: () => Run) => {
    setup?.();
    return fn();
  };
  once(subject);
  once(floor);
  const a: Run[] = [];
  const b: Run[] = [];
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      a.push(once(subject));
      b.push(once(floor));
    } else {
      b.push(once(floor));
      a.push(once(subject));
    }
  }
  const m = (xs: Run[]): Measured => ({ ms: median(xs.map((x) => x.ms)), cpu: median(xs.map((x) => x.cpu)), rss: Math.max(...xs.map((x) => x.rss)), reps: xs.length });
  return { subject: m(a), floor: m(b) };
}

/** The bytes of the project's own files (transcripts, sidecars, grounded.json, memos), not the bench's manifest. */
function projectBytes(root: string): number {
  let n = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !e.name.startsWith('.bench')) n += fs.statSync(p).size;
    }
  };
  walk(root);
  return n;
}

export interface TerminalOptions {
  /** repetitions per size, e.g. { stress50: 5, stress200: 5, stress: 3 } */
  reps: Record<string, number>;
  log: (line: string) => void;
  /** only these commands (e.g. ['report', 'export', 'import']); all when undefined */
  commands?: readonly string[];
}

export async function benchTerminal(opts: TerminalOptions): Promise<TerminalOutcome> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run "node scripts/build.mjs" first`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-bench-terminal-'));
  const rows: CommandRow[] = [];
  try {
    const idle = runChild([CHILD, 'idle']).rss;
    const startup = measure(() => runChild([CLI, '--version']), () => runChild([CHILD, 'idle']), 11);
    opts.log(`  start-up: grounded --version ${startup.subject.ms.toFixed(0)} ms, bare node ${startup.floor.ms.toFixed(0)} ms`);
    for (const name of ['stress50', 'stress200', 'stress']) {
      const reps = opts.reps[name] ?? 3;
      const p: GeneratedProject = generateProject(path.join(DATA_DIR, name), PROFILES[name]);
      const two = agreementProject(p, path.join(DATA_DIR, `${name}-agreement`));
      const bytes = projectBytes(p.root);
      const twoBytes = projectBytes(two.root);
      const qdpx = path.join(tmp, `${name}.qdpx`);
      const zipped = path.join(tmp, `${name}.zip`);
      const into = path.join(tmp, `${name}-imported`);
      const out = path.join(tmp, `${name}-report`);
      const read = (root: string) => () => runChild([CHILD, 'read', root]);
      const cli = (args: string[], ok?: number[]) => () => runChild([CLI, ...args], ok);
      const wanted = (command: string) => !opts.commands || opts.commands.includes(command);
      const add = (command: string, shown: string, baseline: string, codings: number, pb: number, m: { subject: Measured; floor: Measured }) => {
        rows.push({ command, shown, baseline, transcripts: p.transcripts.length, codings, projectBytes: pb, ...m });
        opts.log(`  ${name} ${command}: ${m.subject.ms.toFixed(0)} ms (floor ${m.floor.ms.toFixed(0)} ms, ${(m.subject.ms / m.floor.ms).toFixed(2)}×), peak ${(m.subject.rss / 1e6).toFixed(0)} MB = ${(m.subject.rss / pb).toFixed(2)}× the project`);
      };
      const READ = 'node reading every transcript and sidecar, JSON.parse';
      if (wanted('check')) add('check', 'check DIR', READ, p.codings, bytes, measure(cli(['check', p.root], [0, 1]), read(p.root), reps));
      if (wanted('stats')) add('stats', 'stats DIR --json', READ, p.codings, bytes, measure(cli(['stats', p.root, '--json']), read(p.root), reps));
      if (wanted('agreement')) add('agreement', 'agreement DIR --json (two coders)', READ, two.codingsA + two.codingsB, twoBytes, measure(cli(['agreement', two.root, '--json']), read(two.root), reps));
      // check: exit 1, problems found (the generator codes some spans twice). report: exit 1, written, but a real name still appears (the generated project has no pseudonym table).
      if (wanted('report')) add('report', 'report DIR --all --out FOLDER', READ, p.codings, bytes, measure(cli(['report', p.root, '--all', '--out', out], [0, 1]), read(p.root), reps, () => fs.rmSync(out, { recursive: true, force: true })));
      if (wanted('export')) add('export', 'export --qdpx FILE DIR', 'the same read, then fflate zipSync (level 6) of the transcripts', p.codings, bytes, measure(cli(['export', '--qdpx', qdpx, p.root]), () => runChild([CHILD, 'zip', p.root, zipped]), reps));
      if (wanted('import')) {
        if (!fs.existsSync(qdpx)) runChild([CLI, 'export', '--qdpx', qdpx, p.root]);
        add('import', 'import FILE.qdpx --into FOLDER', 'fflate unzipSync + saxes parse of project.qde (builds nothing)', p.codings, bytes, measure(cli(['import', qdpx, '--into', into]), () => runChild([CHILD, 'unzip', qdpx]), reps, () => fs.rmSync(into, { recursive: true, force: true })));
        // The import wrote a whole project: check it is one (as many sidecars as transcripts).
        fs.rmSync(into, { recursive: true, force: true });
        runChild([CLI, 'import', qdpx, '--into', into]);
        const imported = fs.readdirSync(into, { recursive: true }).filter((f) => String(f).endsWith('.codes.json')).length;
        if (imported !== p.transcripts.length || !fs.existsSync(path.join(into, sidecarPathFor(p.transcripts[0])))) throw new Error(`import gave ${imported} sidecars, expected ${p.transcripts.length}`);
      }
    }
    return { rows, idleRss: idle, startup };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(rssFile, { force: true });
  }
}
