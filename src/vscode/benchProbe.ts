// What bench/editor.ts measures inside the extension host: how long the event loop was blocked and how
// much memory the process holds. Not part of the product: it exists only when the extension host runs
// with GROUNDED_BENCH set to a file path (the bench sets it for its code-server); otherwise nothing is
// started and no command is registered. The command is internal (not in package.json, so not in the
// palette); the bench runs it through a keybinding of its own profile and reads the file it writes.
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
  heapUsed: number;
  heapTotal: number;
  rss: number;
  external: number;
  arrayBuffers: number;
}

/** Starts the probe when GROUNDED_BENCH names a file; undefined (and nothing started) otherwise. */
export function startBenchProbe(out: string | undefined = process.env.GROUNDED_BENCH): vscode.Disposable | undefined {
  if (!out) return undefined;
  const target = vscode.Uri.file(out);
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  let since = performance.now();
  let busy = performance.eventLoopUtilization();
  let seq = 0;
  const command = vscode.commands.registerCommand(BENCH_PROBE_COMMAND, async (action: unknown = 'report') => {
    const m = process.memoryUsage();
    const report: BenchProbeReport = {
      seq: ++seq,
      maxDelayMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      meanDelayMs: histogram.mean / 1e6,
      sinceMs: performance.now() - since,
      utilization: performance.eventLoopUtilization(busy).utilization,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      rss: m.rss,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
    };
    if (action === 'reset') {
      histogram.reset();
      since = performance.now();
      busy = performance.eventLoopUtilization();
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify({ action, ...report })));
    return report;
  });
  return { dispose: () => (histogram.disable(), command.dispose()) };
}
