// From codes to findings on the stress project (500 transcripts, ~100,000 codings): the report with
// the pseudonym table applied, the matrices, saturation, and a REFI-QDA round trip (.qdpx out and in).
//
// The stress project on disk already has a case per transcript with two attributes (language, site)
// and speaker turns ("Interviewer:" / "Intervjuer:" and the participant's "Name (hh:mm:ss):"). What
// it lacks is added in memory only (nothing is written to bench/.data/stress):
//   - settings.excludedSpeakers = the two interviewer labels, as the sample project has it, so that
//     the analysis leaves the interviewer's turns out (every matrix, saturation and the report go
//     through the analysis (core/analysis.ts analyse) then);
//   - one coding in 100 flagged as a representative quote (one in five of those for the category),
//     so that the report has quotes to print (about 1,000);
//   - a memo on every category and one on the project;
//   - a pseudonym table of 50 names: the 30 first names the generator gives participants (they
//     appear in every transcript's turn headers and in the case pseudonyms), then 20 invented full
//     names (three are the coders' names, in every coding's coder field; their first names are partly
//     participants' names too, which findRealNames reports as leftovers, as it should).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import type { DocumentCodings } from '../src/core/codebook';
import { buildExport } from '../src/core/exports';
import { codeByAttribute, codeByCase, cooccurrence } from '../src/core/matrix';
import type { Matrix } from '../src/core/matrix';
import { PROJECT_FILE } from '../src/core/model';
import type { Coding, Memo, ProjectFile } from '../src/core/model';
import { parseProject } from '../src/core/project';
import { applyPseudonyms, emptyPseudonymTable, findRealNames } from '../src/core/pseudonyms';
import type { PseudonymTable } from '../src/core/pseudonyms';
import type { ReportInput } from '../src/core/report';
import { exportQdpx } from '../src/core/refi/export';
import type { ExportInput } from '../src/core/refi/export';
import { importRefi } from '../src/core/refi/import';
import { saturation } from '../src/core/saturation';
import { parseSidecar, sidecarPathFor } from '../src/core/sidecar';
import { analyse } from '../src/core/analysis';
import { normalizeEol } from '../src/core/text';
import type { BenchRow, Compare } from './decorate';
import { GeneratedProject, Rng } from './generate';

export interface FindingsOutcome {
  rows: BenchRow[];
  transcripts: number;
  codings: number;
  /** codings left after orphans and the interviewer's turns are left out */
  analysed: number;
  representative: number;
  cases: number;
  attributes: string[];
  sidecarBytes: number;
  reportBytes: Record<string, number>;
  realNameHits: number;
  cooccurrencePairs: { overlap: number; turn: number };
  saturationSteps: number;
  qdpxBytes: number;
  qdeBytes: number;
  imported: { documents: number; codings: number; codes: number; cases: number };
}

let sink = 0;

export function findingsSink(): number {
  return sink;
}

const INVENTED = [
  'Kari Nordmann', 'Ola Hansen', 'Åse Sørensen', 'Per Johansen', 'Ingrid Olsen', 'Lars Larsen', 'Marit Andersen', 'Bjørn Pedersen',
  'Solveig Nilsen', 'Terje Kristiansen', 'Randi Jensen', 'Knut Karlsen', 'Liv Johnsen', 'Geir Pettersen', 'Hilde Eriksen',
  'Svein Berg', 'Tone Haugen', 'Arne Hagen', 'Berit Johannessen', 'Odd Andreassen', 'Gunn Jacobsen', 'Rune Dahl', 'Eva Jørgensen',
  'Trond Halvorsen', 'Anne Henriksen', 'Jon Lund', 'Sissel Sørlie', 'Rolf Moen', 'Wenche Gundersen', 'Harald Iversen',
];

/** 50 names: every participant first name the transcripts use (found in the case pseudonyms), then invented full names. */
function pseudonymTable(project: ProjectFile): PseudonymTable {
  const firstNames = [...new Set(project.cases.map((k) => k.pseudonym.replace(/ \d+$/, '')))].sort();
  const reals = [...firstNames, ...INVENTED].slice(0, 50);
  return { version: 1, names: reals.map((real, i) => ({ real, pseudonym: `Deltaker ${String(i + 1).padStart(2, '0')}` })) };
}

/** Codings in analysis order for a baseline: by document, then code, each bucket counted. */
function bucket(documents: readonly DocumentCodings[]): number {
  // The least any code × something table must do: put every coding in its (code, document) bucket.
  const buckets = new Map<string, Map<string, number>>();
  for (const d of documents) {
    for (const c of d.codings) {
      if (c.orphaned) continue;
      let perDoc = buckets.get(c.codeId);
      if (!perDoc) buckets.set(c.codeId, (perDoc = new Map()));
      perDoc.set(d.path, (perDoc.get(d.path) ?? 0) + 1);
    }
  }
  return buckets.size;
}

const total = (m: Matrix, skipDiagonal = false): number =>
  m.cells.reduce((n, row, r) => n + row.reduce((k, cell, c) => k + (skipDiagonal && r === c ? 0 : cell.count), 0), 0);

export async function benchFindings(compare: Compare, stress: GeneratedProject, warmup: number, reps: number): Promise<FindingsOutcome> {
  // ---- Read the project once (untimed) and add in memory what the generator does not write.
  const projectText = fs.readFileSync(path.join(stress.root, PROJECT_FILE), 'utf8');
  const project = parseProject(projectText, PROJECT_FILE);
  project.settings = { ...project.settings, excludedSpeakers: ['Interviewer', 'Intervjuer'] };
  const sidecarTexts: string[] = [];
  const texts = new Map<string, string>();
  const documents: DocumentCodings[] = [];
  const rng = new Rng('grounded-bench-findings');
  let representative = 0;
  for (const t of stress.transcripts) {
    const json = fs.readFileSync(path.join(stress.root, sidecarPathFor(t)), 'utf8');
    sidecarTexts.push(json);
    texts.set(t, normalizeEol(fs.readFileSync(path.join(stress.root, t), 'utf8')));
    const codings: Coding[] = parseSidecar(json, sidecarPathFor(t)).codings.map((c) => {
      if (!rng.chance(0.01)) return c;
      representative++;
      return { ...c, representative: rng.chance(0.2) ? 'category' : 'code' };
    });
    documents.push({ path: t, codings });
  }
  const categories = project.codes.filter((c) => project.codes.some((k) => k.parent === c.id));
  const memos: Memo[] = [
    { id: rng.uuid(), target: { kind: 'project' }, author: 'Kari Nordmann', created: rng.timestamp(), modified: rng.timestamp(), body: '# Project memo\n\nSynthetic memo for the benchmark.\n' },
    ...categories.map((c): Memo => ({
      id: rng.uuid(),
      target: { kind: 'code', id: c.id },
      author: 'Kari Nordmann',
      created: rng.timestamp(),
      modified: rng.timestamp(),
      body: `# ${c.name}\n\nWhat holds the codes of this category together, with a few sentences about how they relate. ` +
        'Synthetic memo text for the benchmark; the real ones run to a page or two.\n',
    })),
  ];
  const textOf = (p: string) => texts.get(p);
  const table = pseudonymTable(project);
  const codings = documents.reduce((n, d) => n + d.codings.length, 0);
  const sidecarBytes = sidecarTexts.reduce((n, s) => n + Buffer.byteLength(s), 0);
  const rows: BenchRow[] = [];
  const parseAll = () => {
    let n = 0;
    for (const s of sidecarTexts) n += (JSON.parse(s) as { codings: unknown[] }).codings.length;
    if (n !== codings) throw new Error(`parsed ${n} codings, expected ${codings}`);
    sink += n;
  };
  const parseBaseline = 'JSON.parse of the same sidecar texts (in memory)';

  // ---- 1. The report: Markdown, HTML, saturation chart, segments CSV, codebook CSV and Markdown.
  const input: ReportInput = { project, documents, memos, textOf };
  let exported = buildExport(input, ['report', 'segments', 'codebook'], table);
  const report = await compare(
    () => {
      exported = buildExport(input, ['report', 'segments', 'codebook'], table);
      sink += exported.files.length;
    },
    parseAll,
    { warmup, reps },
  );
  const reportBytes = Object.fromEntries(exported.files.map((f) => [f.name, Buffer.byteLength(f.text)]));
  if (!exported.files.find((f) => f.name === 'segments.csv')?.text.includes('Deltaker')) throw new Error('findings: the pseudonym table was not applied to segments.csv');
  rows.push({
    name: 'Report, segments and codebook (all six files)',
    detail:
      `${stress.transcripts.length} transcripts, ${codings.toLocaleString('en')} codings, ${representative.toLocaleString('en')} representative quotes, ` +
      `50 pseudonyms; ${(Object.values(reportBytes).reduce((a, b) => a + b, 0) / 1e6).toFixed(1)} MB written`,
    c: report,
    baseline: parseBaseline,
  });

  // ---- 1b. The pseudonym table when some names match case (those as written, the other names' letters
  // folded), against all names ignoring case, on the raw segments CSV; both through the one pass.
  const rawCsv = buildExport(input, ['segments'], emptyPseudonymTable()).files[0].text;
  const exactTable: PseudonymTable = { ...table, names: table.names.map((e, i) => (i % 10 === 0 ? { ...e, matchCase: true as const } : e)) };
  const pseudonymise = (t: PseudonymTable) => {
    const out = applyPseudonyms(rawCsv, t);
    sink += out.length + findRealNames(out, t, 'segments.csv').length;
  };
  if (applyPseudonyms(rawCsv, exactTable) !== applyPseudonyms(rawCsv, table)) throw new Error('findings: the generated names are all capitalised, so matchCase must change nothing here');
  rows.push({
    name: 'Pseudonym table, 5 of 50 names matching case',
    detail: `applied to the segments CSV (${(Buffer.byteLength(rawCsv) / 1e6).toFixed(1)} MB) and searched for real names left`,
    c: await compare(() => pseudonymise(exactTable), () => pseudonymise(table), { warmup, reps }),
    baseline: 'the same with all 50 ignoring case',
  });

  // ---- 2. The matrices, on the documents as the analysis sees them (what the Matrices panel does).
  const analysis = await compare(
    () => (sink += analyse({ project: project, documents: documents, textOf: textOf }).documents.length),
    () => (sink += bucket(documents)),
    { warmup, reps },
  );
  const docs = analyse({ project: project, documents: documents, textOf: textOf }).documents;
  const analysed = docs.reduce((n, d) => n + d.codings.length, 0);
  rows.push({
    name: 'Analysis documents (interviewer turns left out)',
    detail: `speaker turns of all ${stress.transcripts.length} transcripts; ${analysed.toLocaleString('en')} of ${codings.toLocaleString('en')} codings remain`,
    c: analysis,
    baseline: 'codings bucketed by (code, document)',
  });
  const attributes = [...new Set(project.cases.flatMap((k) => Object.keys(k.attributes)))].sort();
  const matrices: Array<[string, string, () => Matrix]> = [
    ['Matrix: code × case', `${project.cases.length} cases`, () => codeByCase(project, docs)],
    ...attributes.map((a): [string, string, () => Matrix] => [`Matrix: code × attribute "${a}"`, `values of ${project.cases.length} cases`, () => codeByAttribute(project, docs, a)]),
    ['Matrix: co-occurrence by overlap', 'pairs of codings sharing a character', () => cooccurrence(project, docs, 'overlap', textOf)],
    ['Matrix: co-occurrence by speaker turn', 'pairs of codings touching a common turn', () => cooccurrence(project, docs, 'turn', textOf)],
  ];
  const pairs = { overlap: 0, turn: 0 };
  for (const [name, detail, build] of matrices) {
    let m = build();
    const c = await compare(
      () => {
        m = build();
        sink += m.max;
      },
      () => (sink += bucket(docs)),
      { warmup, reps },
    );
    const off = m.kind === 'cooccurrence' ? total(m, true) / 2 : 0;
    if (name.includes('overlap')) pairs.overlap = off;
    if (name.includes('turn')) pairs.turn = off;
    rows.push({
      name,
      detail: `${m.rows.length} codes × ${m.columns.length} columns; ${detail}${m.kind === 'cooccurrence' ? `: ${off.toLocaleString('en')} code pairs counted` : ''}`,
      c,
      baseline: 'codings bucketed by (code, document)',
    });
  }

  // ---- 3. Saturation.
  let steps = saturation(project, docs);
  const sat = await compare(
    () => {
      steps = saturation(project, docs);
      sink += steps.length;
    },
    () => (sink += bucket(docs)),
    { warmup: warmup * 3, reps: reps * 2 + 1 },
  );
  rows.push({
    name: 'Saturation (new codes per transcript)',
    detail: `${steps.length} steps, ${steps[steps.length - 1]?.cumulative ?? 0} codes`,
    c: sat,
    baseline: 'codings bucketed by (code, document)',
  });

  // ---- 4. REFI-QDA: export to .qdpx, import it back.
  const exportInput: ExportInput = { project, documents: documents.map((d) => ({ path: d.path, lfText: texts.get(d.path)!, codings: d.codings })), memos };
  const options = { lineEnding: 'lf' as const, origin: 'Grounded bench' };
  let qdpx = exportQdpx(exportInput, options);
  const enc = new TextEncoder();
  const exp = await compare(
    () => {
      qdpx = exportQdpx(exportInput, options);
      sink += qdpx.bytes.length;
    },
    () => {
      const tree: Record<string, [Uint8Array, { level: 6 }]> = {};
      for (const d of exportInput.documents) tree[d.path] = [enc.encode(d.lfText), { level: 6 }];
      sink += zipSync(tree).length;
    },
    { warmup, reps },
  );
  rows.push({
    name: 'REFI-QDA export (.qdpx)',
    detail: `the whole project: ${qdpx.summary.sources} sources, ${qdpx.summary.codings.toLocaleString('en')} codings, ${(qdpx.qde.length / 1e6).toFixed(1)} MB project.qde; ${(qdpx.bytes.length / 1e6).toFixed(1)} MB zipped`,
    c: exp,
    baseline: 'fflate zipSync (level 6) of the transcript texts',
  });
  // The issue's measure: the export against zipping the same bytes it writes (project.qde and the sources),
  // so the ratio is what building project.qde and the archive costs beyond the compression itself.
  const same: Record<string, [Uint8Array, { level: 6 }]> = { 'project.qde': [enc.encode(qdpx.qde), { level: 6 }] };
  for (const d of exportInput.documents) same[`sources/${d.path}`] = [enc.encode(d.lfText), { level: 6 }];
  const expSame = await compare(
    () => {
      qdpx = exportQdpx(exportInput, options);
      sink += qdpx.bytes.length;
    },
    () => {
      sink += zipSync(same).length;
    },
    { warmup, reps },
  );
  rows.push({
    name: 'REFI-QDA export (.qdpx), against zipping what it writes',
    detail: `the same export; the baseline zips its ${(qdpx.qde.length / 1e6).toFixed(1)} MB project.qde and the ${qdpx.summary.sources} sources as they are written, already made`,
    c: expSame,
    baseline: 'fflate zipSync (level 6) of project.qde and the sources',
  });
  let n = 0;
  const env = { now: () => '2026-12-01T00:00:00.000Z', newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
  const run = () => importRefi(qdpx.bytes, 'stress.qdpx', { coder: 'Kari Nordmann', env });
  let imported = run();
  const imp = await compare(
    () => {
      imported = run();
      sink += imported.files.size;
    },
    () => {
      const files = unzipSync(qdpx.bytes);
      const parser = new SaxesParser({ xmlns: true });
      let elements = 0;
      parser.on('opentag', () => void elements++);
      parser.write(new TextDecoder().decode(files['project.qde'])).close();
      sink += elements;
    },
    { warmup, reps },
  );
  const s = imported.summary;
  // A coding that repeats another (same coder, code and span) is imported once (core/invariants.ts).
  if (s.codings + s.duplicateCodings !== qdpx.summary.codings || s.documents.length !== qdpx.summary.sources) {
    throw new Error(`findings: imported ${s.codings} codings in ${s.documents.length} documents, exported ${qdpx.summary.codings} in ${qdpx.summary.sources}`);
  }
  rows.push({
    name: 'REFI-QDA import of that .qdpx',
    detail: `${s.documents.length} transcripts, ${s.codings.toLocaleString('en')} codings (${s.duplicateCodings} repeats of the same coder's code on the same span imported once), ${s.codes} codes, ${s.cases} cases: files built and checked in memory`,
    c: imp,
    baseline: 'fflate unzipSync + saxes parse of project.qde (no tree)',
  });

  return {
    rows,
    transcripts: stress.transcripts.length,
    codings,
    analysed,
    representative,
    cases: project.cases.length,
    attributes,
    sidecarBytes,
    reportBytes,
    realNameHits: exported.realNames.length,
    cooccurrencePairs: pairs,
    saturationSteps: steps.length,
    qdpxBytes: qdpx.bytes.length,
    qdeBytes: Buffer.byteLength(qdpx.qde),
    imported: { documents: s.documents.length, codings: s.codings, codes: s.codes, cases: s.cases },
  };
}
