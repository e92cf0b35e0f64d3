// One source of truth: for every code, the segments, documents and coders are the same wherever a
// researcher reads them: the one analysis (the Codes and Documents views), the Segments view's list, the
// matrices' row totals, the report's codebook table, the codebook and segments CSVs and `grounded stats
// --json`. Run on the sample project and on a seeded random project, as they are, after an edit that puts
// a timestamp or a note before speaker labels, with no speaker left out, and in blind mode.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyse } from '../../src/core/analysis';
import type { Analysis } from '../../src/core/analysis';
import { reanchorCodings } from '../../src/core/anchor';
import { hashText } from '../../src/core/hash';
import { codeByCase } from '../../src/core/matrix';
import type { Coding, ProjectFile } from '../../src/core/model';
import { addCode, codePath, newProject, parseProject, serializeProject } from '../../src/core/project';
import { renderCodebookCsv, renderCodebookMarkdown, renderCodingsCsv } from '../../src/core/report';
import type { ReportInput } from '../../src/core/report';
import { listSegments } from '../../src/core/segmentList';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { makeAnchor, normalizeEol } from '../../src/core/text';
import { assignDocument, addCase } from '../../src/core/cases';
import type { StatsJson } from '../../src/cli/reports';
import { parseCsv, runCli, testEnv } from './fixtures';

interface Numbers {
  segments: number;
  documents: number;
  coders: string[];
  totalSegments: number;
  totalDocuments: number;
}

/** A project folder as the tools read it: grounded.json, transcripts and sidecars. */
function readFolder(dir: string): { project: ProjectFile; documents: { path: string; codings: Coding[] }[]; texts: Map<string, string> } {
  const project = parseProject(readFileSync(path.join(dir, 'grounded.json'), 'utf8'), 'grounded.json');
  const documents: { path: string; codings: Coding[] }[] = [];
  const texts = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(child);
      else if (child.endsWith('.codes.json')) {
        const transcript = child.slice(0, -'.codes.json'.length);
        documents.push({ path: transcript, codings: parseSidecar(readFileSync(path.join(dir, child), 'utf8'), child).codings });
        texts.set(transcript, normalizeEol(readFileSync(path.join(dir, transcript), 'utf8')));
      }
    }
  };
  walk('');
  return { project, documents: documents.sort((a, b) => (a.path < b.path ? -1 : 1)), texts };
}

/** Every place a number is shown, for every code: name → numbers. */
async function everyPlace(dir: string, viewer?: string): Promise<Map<string, Map<string, Numbers>>> {
  const { project, documents, texts } = readFolder(dir);
  const input: ReportInput = { project, documents, memos: [], textOf: (p) => texts.get(p), viewer };
  const analysis: Analysis = analyse(input);
  const places = new Map<string, Map<string, Numbers>>();
  const put = (place: string, codeId: string, n: Numbers) => {
    const m = places.get(place) ?? new Map<string, Numbers>();
    m.set(codeId, n);
    places.set(place, m);
  };
  const byCode = new Map(project.codes.map((c) => [c.id, c]));
  const below = (id: string): string[] => project.codes.filter((c) => c.parent === id).flatMap((c) => [c.id, ...below(c.id)]);

  // the analysis: the Codes view and the board read these
  for (const [id, c] of analysis.counts) put('analysis', id, { segments: c.segments, documents: c.documents, coders: c.coders, totalSegments: c.totalSegments, totalDocuments: c.totalDocuments });

  // the Segments view: the list of a code alone, and with its subcodes
  for (const code of project.codes) {
    const own = listSegments(analysis, code.id, { includeSubcodes: false });
    const all = listSegments(analysis, code.id);
    const coders = [...new Set(own.groups.flatMap((g) => g.segments.filter((s) => !s.coding.orphaned).map((s) => s.coding.coder)))].sort();
    put('segments view', code.id, { segments: own.segments, documents: own.documents, coders, totalSegments: all.segments, totalDocuments: all.documents });
  }

  // the matrices: a row's total over the cases is the code's segments with its subcodes
  const matrix = codeByCase(project, analysis.documents);
  matrix.rows.forEach((row, r) => {
    const total = matrix.cells[r].reduce((n, cell) => n + cell.count, 0);
    const docs = new Set(matrix.cells[r].flatMap((cell) => cell.refs.map((ref) => ref.path)));
    const a = analysis.counts.get(row.id)!;
    put('matrices', row.id, { segments: a.segments, documents: a.documents, coders: a.coders, totalSegments: total, totalDocuments: docs.size });
  });

  // the codebook CSV
  const [head, ...rows] = parseCsv(renderCodebookCsv(input));
  const col = (name: string) => head.indexOf(name);
  for (const row of rows) {
    put('codebook csv', row[col('id')], {
      segments: Number(row[col('segments')]),
      documents: Number(row[col('documents')]),
      coders: row[col('coders')] ? row[col('coders')].split('; ') : [],
      totalSegments: Number(row[col('segments with subcodes')]),
      totalDocuments: Number(row[col('documents with subcodes')]),
    });
  }

  // the report's codebook table (Markdown): segments, documents and coders per code, in codebook order
  const table = renderCodebookMarkdown(input).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Code') && !l.startsWith('| ---'));
  const ordered = rows.map((r) => r[col('id')]);
  table.forEach((line, i) => {
    const cells = line.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, ''));
    const id = ordered[i];
    const a = analysis.counts.get(id)!;
    put('report', id, { segments: Number(cells[3]), documents: Number(cells[4]), coders: cells[5] ? cells[5].split(', ') : [], totalSegments: a.totalSegments, totalDocuments: a.totalDocuments });
  });

  // the segments CSV: a row per coding; the ones that count are neither orphaned nor in an excluded turn
  const [shead, ...srows] = parseCsv(renderCodingsCsv(input));
  const s = (name: string) => shead.indexOf(name);
  const live = srows.filter((r) => r[s('orphaned')] !== 'yes' && r[s('excluded speaker')] !== 'yes');
  for (const code of project.codes) {
    const pathOf = (id: string) => codePath(project, id).join(' > ');
    const mine = live.filter((r) => r[s('code')] === pathOf(code.id));
    const all = live.filter((r) => [code.id, ...below(code.id)].some((id) => r[s('code')] === pathOf(id)));
    put('segments csv', code.id, {
      segments: mine.length,
      documents: new Set(mine.map((r) => r[s('document')])).size,
      coders: [...new Set(mine.map((r) => r[s('coder')]))].sort(),
      totalSegments: all.length,
      totalDocuments: new Set(all.map((r) => r[s('document')])).size,
    });
  }

  // grounded stats --json (the command line has no blind mode: it counts every coder)
  if (viewer === undefined) {
    const r = await runCli(['stats', '--json'], dir);
    assert.equal(r.code, 0, r.err);
    for (const c of (JSON.parse(r.out) as StatsJson).codes) {
      put('grounded stats', c.codeId, { segments: c.segments, documents: c.documents, coders: c.coders, totalSegments: c.totalSegments, totalDocuments: c.totalDocuments });
    }
  }
  assert.ok(byCode.size > 0);
  return places;
}

/** Asserts that every place shows every code's numbers as the analysis does; returns the analysis's. */
async function assertConsistent(dir: string, viewer?: string): Promise<Map<string, Numbers>> {
  const places = await everyPlace(dir, viewer);
  const truth = places.get('analysis')!;
  const { project } = readFolder(dir);
  for (const [place, numbers] of places) {
    for (const code of project.codes) {
      assert.deepEqual(numbers.get(code.id), truth.get(code.id), `${place} shows "${code.name}" as the analysis counts it`);
    }
  }
  return truth;
}

/** Rewrites each transcript with `edit` and moves its codings along (re-anchoring), as after an edit elsewhere. */
function editTranscripts(dir: string, edit: (text: string) => string): void {
  const { documents, texts } = readFolder(dir);
  for (const d of documents) {
    const text = edit(texts.get(d.path)!);
    writeFileSync(path.join(dir, d.path), text);
    const { codings } = reanchorCodings(d.codings, text);
    const sidecarPath = path.join(dir, `${d.path}.codes.json`);
    const sidecar = parseSidecar(readFileSync(sidecarPath, 'utf8'), d.path);
    writeFileSync(sidecarPath, serializeSidecar({ ...sidecar, document: { ...sidecar.document, hash: hashText(text) }, codings }));
  }
}

/** A timestamp before every participant's label, and a note before some: "[00:01:02] Håkon (00:00:41):", "(ler) Mira:". */
const notesBeforeLabels = (text: string) => {
  let n = 0;
  return text.replace(/^(?!Intervjuer|Interviewer)(\p{Lu}[\p{L}]+)( \(\d\d:\d\d:\d\d\))?:/gmu, (m) => (++n % 2 ? `[00:0${n % 10}:0${n % 7}] ${m}` : `(ler) ${m}`));
};

function setExcluded(dir: string, speakers: string[]): void {
  const file = path.join(dir, 'grounded.json');
  const p = parseProject(readFileSync(file, 'utf8'), 'grounded.json');
  const settings = { ...p.settings };
  if (speakers.length) settings.excludedSpeakers = speakers;
  else delete settings.excludedSpeakers;
  writeFileSync(file, serializeProject({ ...p, settings }));
}

/** A small deterministic random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded random project: a code tree, cases, transcripts of turns, two coders, duplicates and orphans. */
function randomProject(dir: string, seed: number): void {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const env = testEnv();
  let project = newProject('Random', env);
  const ids: string[] = [];
  for (let i = 0; i < 12; i++) {
    const parent = i > 3 && rnd() < 0.6 ? pick(ids.slice(0, 4)) : undefined;
    const r = addCode(project, { name: `kode ${i}`, parent }, 'Kari', env);
    project = r.project;
    ids.push(r.code.id);
  }
  const words = ['hjem', 'søndag', 'telefon', 'brev', 'dag', 'natt', 'mor', 'jobb', 'tid', 'håp', 'ro', 'lys'];
  const people = ['Ola', 'Liv', 'Dag', 'Siri'];
  for (let t = 0; t < 5; t++) {
    const person = people[t % people.length];
    const lines = [`Intervju ${t + 1}`, ''];
    for (let turn = 0; turn < 12; turn++) {
      const sentence = () => Array.from({ length: 6 + Math.floor(rnd() * 8) }, () => pick(words)).join(' ') + '.';
      lines.push(turn % 2 ? `${person}: ${sentence()} ${sentence()}` : `Intervjuer: ${sentence()}`);
      if (rnd() < 0.3) lines.push(sentence());
      lines.push('');
    }
    const text = lines.join('\n');
    const rel = `intervjuer/${person.toLowerCase()}-${t}.txt`;
    const codings: Coding[] = [];
    for (let k = 0; k < 25; k++) {
      const start = Math.floor(rnd() * (text.length - 40));
      const end = start + 5 + Math.floor(rnd() * 60);
      const coding: Coding = { id: env.newId(), codeId: pick(ids), anchor: makeAnchor(text, start, end), coder: pick(['Kari', 'Ola']), created: `2026-11-0${1 + (k % 9)}T12:00:00.000Z` };
      codings.push(rnd() < 0.1 ? { ...coding, orphaned: true } : coding);
      if (rnd() < 0.15) codings.push({ ...coding, id: env.newId(), created: '2026-11-10T12:00:00.000Z' }); // a duplicate, as after a merge
    }
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
    writeFileSync(path.join(dir, `${rel}.codes.json`), serializeSidecar({ version: 1, document: { path: rel, hash: hashText(text) }, codings }));
    if (t < 4) {
      const c = addCase(project, person, env);
      project = assignDocument(c.project, c.case.id, rel).project;
    }
  }
  project = { ...project, settings: { ...project.settings, excludedSpeakers: ['Intervjuer'] } };
  writeFileSync(path.join(dir, 'grounded.json'), serializeProject(project));
}

describe('one source of truth: every place counts every code alike', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sample = () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-consistency-'));
    cpSync(path.join(__dirname, '..', '..', '..', 'sample'), dir, { recursive: true });
  };

  it('the sample project: as it is, in blind mode, and with no speaker left out', async () => {
    sample();
    const excluded = await assertConsistent(dir);
    const kari = await assertConsistent(dir, 'Kari Nordmann');
    setExcluded(dir, []);
    const everyone = await assertConsistent(dir);
    const sum = (m: Map<string, Numbers>) => [...m.values()].reduce((n, c) => n + c.segments, 0);
    assert.ok(sum(everyone) >= sum(excluded), 'leaving no speaker out never loses a coding');
    assert.ok(sum(kari) <= sum(excluded));
  });

  it('the sample project after a timestamp or a note is put before the speakers\' labels: the same numbers', async () => {
    sample();
    const before = await assertConsistent(dir);
    editTranscripts(dir, notesBeforeLabels);
    assert.match(readFileSync(path.join(dir, 'interviews/intervju-01-nb.txt'), 'utf8'), /^\[00:0\d:0\d\] Håkon \(00:00:41\):/m);
    const after = await assertConsistent(dir);
    assert.deepEqual(after, before, 'a note before a label does not move a participant\'s turn into the interviewer\'s');
  });

  for (const seed of [1, 7, 42]) {
    it(`a seeded random project (seed ${seed}) with duplicates, orphans, two coders and the interviewer left out`, async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-consistency-'));
      randomProject(dir, seed);
      const { documents } = readFolder(dir);
      const stored = documents.reduce((n, d) => n + d.codings.length, 0);
      const truth = await assertConsistent(dir);
      const counted = [...truth.values()].reduce((n, c) => n + c.segments, 0);
      assert.ok(counted < stored, 'duplicates, orphans and the interviewer\'s codings are not counted');
      await assertConsistent(dir, 'Ola');
      editTranscripts(dir, notesBeforeLabels);
      await assertConsistent(dir);
      setExcluded(dir, []);
      await assertConsistent(dir);
    });
  }
});
