// A second writer, as a real process: loads a project through the command line's file system port
// and the core session, like the extension does in another window, and codes one segment at a time.
// Used by test/unit/concurrentWrites.test.ts (two of these at once) and the e2e test of the extension
// (one of these beside the editor).
//
//   node out/test/support/concurrentWriter.js ROOT TRANSCRIPT CODER CODINGS CODES [FIRST]
//
// Adds CODINGS codings by CODER to TRANSCRIPT, one write each, at offsets FIRST, FIRST+1, …; every
// CODINGS/CODES-th coding is made with a new code "CODER code k" (one transaction: grounded.json and
// the sidecar). Prints "ready" and waits for a line on stdin before it starts, so that a test can start
// two at the same moment; at the end prints one line of JSON: the ids it added and what its session
// holds (the other writer's codings included, as the merges brought them in).
import { createInterface } from 'node:readline';
import { NodeFileSystem } from '../../src/cli/nodeFs';
import { DocumentTable } from '../../src/core/documents';
import { systemEnvironment } from '../../src/core/ports';
import { ProjectSession } from '../../src/core/session';
import type { SessionPorts } from '../../src/core/session';
import { ProjectStore, SidecarStore } from '../../src/core/store';
import { normalizeEol } from '../../src/core/text';

export interface WriterReport {
  codings: string[];
  codes: string[];
  /** how many codings of the transcript the writer's session holds at the end */
  seenCodings: number;
  /** how many codes its session's project holds at the end */
  seenCodes: number;
  /** how many of its writes found the file changed by the other writer, and merged */
  merges: number;
}

async function main(): Promise<void> {
  const [root, transcript, coder, codingsArg, codesArg, firstArg] = process.argv.slice(2);
  const total = Number(codingsArg);
  const codes = Number(codesArg);
  const first = Number(firstArg ?? 0);
  if (!root || !transcript || !coder || !(total > 0) || !(codes > 0) || codes > total) {
    process.stderr.write('usage: concurrentWriter ROOT TRANSCRIPT CODER CODINGS CODES [FIRST]\n');
    process.exit(2);
  }
  const fs = new NodeFileSystem(root);
  const text = normalizeEol((await fs.readText(transcript)) ?? '');
  if (text.length < first + total + 8) throw new Error(`${transcript} is too short for ${total} codings from offset ${first}`);
  let merges = 0;
  const project = await ProjectStore.open(fs, { onMerge: () => merges++ });
  const sidecar = await SidecarStore.open(fs, transcript, { onMerge: () => merges++ });
  const table = new DocumentTable();
  table.setStored(transcript, sidecar.data.codings);
  const ports: SessionPorts = {
    editProject: async (change) => {
      await project.update((p) => change(p));
      return project.data;
    },
    editCodings: async (path, change) => {
      await sidecar.update((s) => ({ ...s, codings: change(s.codings) }));
      table.setStored(path, sidecar.data.codings);
    },
    textOf: () => text,
  };
  const session = new ProjectSession(ports, systemEnvironment, table);
  session.setProject(project.data);

  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();
  process.stdin.destroy();

  const report: WriterReport = { codings: [], codes: [], seenCodings: 0, seenCodes: 0, merges: 0 };
  const every = Math.floor(total / codes);
  let codeId = '';
  for (let i = 0; i < total; i++) {
    const span: [number, number] = [first + i, first + i + 6];
    const k = i / every;
    const target = i % every === 0 && k < codes ? { newCode: `${coder} code ${k + 1}` } : codeId;
    const outcome = await session.code(transcript, text, [span], target, coder);
    if (outcome.added.length !== 1) throw new Error(`coding ${i} was not added`);
    if (typeof target !== 'string') report.codes.push((codeId = outcome.code.id));
    report.codings.push(outcome.added[0].id);
  }
  report.seenCodings = table.document(transcript).codings.length;
  report.seenCodes = session.project?.codes.length ?? 0;
  report.merges = merges;
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
