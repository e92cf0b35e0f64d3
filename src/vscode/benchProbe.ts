// What bench/editor.ts measures inside the extension host: how long the event loop was blocked and how
// much memory the process holds. Not part of the product: it exists only when the extension host runs
// with GROUNDED_BENCH set to a file path (the bench sets it for its code-server); otherwise nothing is
// started and no command is registered. The command is internal (not in package.json, so not in the
// palette); the bench runs it through a keybinding of its own profile and reads the file it writes.
// It can also record a CPU profile of the extension host (node:inspector in this process), to find
// what a long task was.
import { Session } from 'node:inspector';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export const BENCH_PROBE_COMMAND = 'grounded.benchProbe';

/** What the probe writes: delays in milliseconds, memory in bytes. */
export interface BenchProbeReport {
  /** counts the reports, so the bench knows the file is the one it asked for */
  seq: number;
  /** the longest delay of the event loop since the last reset: no task ran longer than this (plus the resolution) */
  maxDelayMs: number;
  p99DelayMs: number;
  meanDelayMs: number;
  /** milliseconds since the last reset (or since the probe started) */
  sinceMs: number;
  /** share of that time the event loop was busy (0-1) */
  utilization: number;
  /** CPU time the process used in that time (user + system), which other processes on the machine do not inflate */
  cpuMs: number;
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  /** wall-clock times (Date.now()) of the extension host's start, of activate() and of the marks set since */
  times: Record<string, number>;
}

export interface BenchProbe extends vscode.Disposable {
  /** notes the wall-clock time of a moment (e.g. the index ready) */
  mark(name: string): void;
}

/** `gc`: a full garbage collection first (through the inspector), then the report: memory that is still in use. */
type Action = 'reset' | 'report' | 'gc' | 'profile' | 'profile-stop';

/** Starts the probe when GROUNDED_BENCH names a file; undefined (and nothing started) otherwise. */
export function startBenchProbe(out: string | undefined = process.env.GROUNDED_BENCH): BenchProbe | undefined {
  if (!out) return undefined;
  const target = vscode.Uri.file(out);
  const times: Record<string, number> = { 'extension host started': Math.round(Date.now() - process.uptime() * 1000), activate: Date.now() };
  let inspector: Session | undefined;
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => inspector!.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  const profile = async (action: Action) => {
    if (action === 'profile') {
      // a profile running since activate() (GROUNDED_BENCH_PROFILE) is dropped: a new one starts now
      inspector?.disconnect();
      inspector = new Session();
      inspector.connect();
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
    } else if (action === 'profile-stop' && inspector) {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      inspector.disconnect();
      inspector = undefined;
      await vscode.workspace.fs.writeFile(vscode.Uri.file(`${out}.cpuprofile`), new TextEncoder().encode(JSON.stringify(profile)));
    }
  };
  if (process.env.GROUNDED_BENCH_PROFILE) void profile('profile');
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let since = performance.now();
  let busy = performance.eventLoopUtilization();
  let cpu = process.cpuUsage();
  let seq = 0;
  const collectGarbage = async () => {
    const session = new Session();
    session.connect();
    await new Promise<void>((resolve) => session.post('HeapProfiler.collectGarbage', () => resolve()));
    session.disconnect();
  };
  const command = vscode.commands.registerCommand(BENCH_PROBE_COMMAND, async (action: Action = 'report') => {
    await profile(action);
    if (action === 'gc') await collectGarbage();
    const m = process.memoryUsage();
    const report: BenchProbeReport = {
      seq: ++seq,
      maxDelayMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      meanDelayMs: histogram.mean / 1e6,
      sinceMs: performance.now() - since,
      utilization: performance.eventLoopUtilization(busy).utilization,
      cpuMs: ((used) => (used.user + used.system) / 1000)(process.cpuUsage(cpu)),
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      rss: m.rss,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      times,
    };
    if (action === 'reset') {
      histogram.reset();
      since = performance.now();
      busy = performance.eventLoopUtilization();
      cpu = process.cpuUsage();
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify({ action, ...report })));
    return report;
  });
  return {
    mark: (name) => void (times[name] = Date.now()),
    dispose: () => {
      histogram.disable();
      command.dispose();
      inspector?.disconnect();
    },
  };
}
