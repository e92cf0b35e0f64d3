// The project session on a 1 MB transcript with 5,000 codings, in plain Node, with three listeners that
// stand for the Codes view, the Segments view and the board (each reads the one analysis when told that
// codings, the codebook or the cases changed): what a keystroke costs and sets off, what one coding and
// one outside change set off. The editor adds its calls into VS Code (the context keys, setDecorations),
// which cannot run outside it; the end-to-end test "One source of truth" counts the views' refreshes in
// the real VS Code.
import type { TextChange, TextSource } from '../src/core/anchor';
import { shiftCodings } from '../src/core/anchor';
import { analyse } from '../src/core/analysis';
import type { Analysis } from '../src/core/analysis';
import type { Coding, ProjectFile } from '../src/core/model';
import { newProject } from '../src/core/project';
import { codingsAt } from '../src/core/query';
import { ProjectSession, changesCounts } from '../src/core/session';
import { DocumentTable } from '../src/core/documents';
import type { Comparison, Compare } from './decorate';
import { DEFAULT_SEED, Rng, generateCodebook, generateCodings, generateTranscript } from './generate';

export interface SessionOutcome {
  /** one keystroke: shift + the session told "positions", vs recomputing the analysis once */
  keystroke: Comparison;
  /** what the three listeners did on 100 keystrokes: analyses computed, refreshes */
  onKeystrokes: { analyses: number; refreshes: number };
  /** after one coding: events each listener received, analyses computed */
  onCoding: { refreshes: number; analyses: number };
  /** after one outside change of a sidecar: the same */
  onOutside: { refreshes: number; analyses: number };
  codings: number;
  textLength: number;
}

const CODINGS = 5000;
const PATH = 'intervjuer/stor.txt';
let sink = 0;

export async function benchSession(compare: Compare, warmup: number, reps: number): Promise<SessionOutcome> {
  const rng = new Rng(`${DEFAULT_SEED}/shift`);
  const codes = generateCodebook(rng.fork('codebook'));
  const t = generateTranscript(rng.fork('text'), 1_000_000, 1);
  let codings: Coding[] = generateCodings(rng.fork('codings'), t, CODINGS, codes);
  let n = 0;
  const env = { now: () => '2026-12-05T12:00:00.000Z', newId: () => `bench-${++n}` };
  let project: ProjectFile = { ...newProject('Bench', env), codes };
  const table = new DocumentTable();
  table.scanned([PATH], [PATH], new Set([PATH]));
  table.setStored(PATH, codings);
  const session = new ProjectSession(
    {
      editProject: async (change) => (project = change(project)),
      editCodings: async (path, change) => {
        codings = change([...codings]);
        table.setStored(path, codings);
      },
      textOf: () => t.text,
    },
    env,
    table,
  );
  session.setProject(project);
  // Three views: each reads the analysis when the session says counts may have changed.
  let refreshes = 0;
  let analyses = 0;
  let last: Analysis | undefined;
  const read = () => {
    const a = session.analysis();
    if (a !== last) analyses++;
    last = a;
    sink += a?.total ?? 0;
  };
  for (let v = 0; v < 3; v++) {
    session.onDidChange((change) => {
      if (changesCounts(change)) {
        refreshes++;
        read();
      }
    });
  }
  read();

  // A keystroke near the top: every coding but a few moves. The text is read around the edit only.
  const at = t.sentences[0].start + 5;
  const changes: TextChange[] = [{ offset: at, length: 0, text: 'e' }];
  const newText = t.text.slice(0, at) + 'e' + t.text.slice(at);
  const source: TextSource = { slice: (a, b) => newText.slice(a, b) };
  const keystroke = () => {
    const { codings: shifted } = shiftCodings(codings, changes, source);
    session.changed({ positions: [PATH] });
    sink += codingsAt(shifted, at + 1).length;
  };
  const recompute = () => {
    sink += analyse({ project, documents: [{ path: PATH, codings }], textOf: () => t.text }).total;
  };
  const c = await compare(keystroke, recompute, { warmup, reps });

  const count = async (act: () => Promise<unknown> | void) => {
    const r0 = refreshes;
    const a0 = analyses;
    await act();
    return { refreshes: (refreshes - r0) / 3, analyses: analyses - a0 };
  };
  const onKeystrokes = await count(() => {
    for (let i = 0; i < 100; i++) keystroke();
  });
  const free = t.sentences.find((s) => !codings.some((k) => k.anchor.start < s.end && k.anchor.end > s.start)) ?? t.sentences[1];
  const onCoding = await count(() => session.code(PATH, t.text, [[free.start, free.end]], codes[codes.length - 1].id, 'Bench'));
  const onOutside = await count(() => {
    codings = [...codings.slice(1)]; // a co-author's commit took one coding away
    table.setStored(PATH, codings);
    session.changed({ codings: [PATH] });
  });
  return { keystroke: c, onKeystrokes, onCoding, onOutside, codings: CODINGS, textLength: t.text.length };
}

export function sessionSink(): number {
  return sink;
}
