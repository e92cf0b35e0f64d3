// `grounded agreement` and `grounded stats`: reports over a whole project, read-only.
// Output is deterministic: codes in codebook order, documents by path, numbers rounded the same way
// everywhere (kappa and alpha to 4 decimals, percentages to 2; the raw character counts are exact).
import { isAiCoder } from '../core/suggestions';
import { stringSharer } from '../core/text';
import { codersByCodings, compareCoders, compareManyCoders, segmentAgreement } from '../core/agreement';
import type { AgreementCoding, AgreementCounts, AgreementDocument, AgreementReport, ManyAgreementReport, SegmentCounts } from '../core/agreement';
import { analyse, documentAnalyser } from '../core/analysis';
import type { AnalysedDocument, LeftOut } from '../core/analysis';
import { codeCounter, coverage } from '../core/codebook';
import type { CodeCounts } from '../core/codebook';
import { duplicateIds } from '../core/invariants';
import type { ProjectFile } from '../core/model';
import type { FileSystemPort } from '../core/ports';
import { codePath } from '../core/project';
import { loadProject, loadProjectFile, readDocuments } from './load';
import type { LoadedDocument, LoadedProject } from './load';
import { writeCsv } from '../core/csv';

/** A problem with the input that the user can fix (exit status 2, message on stderr). */
export class InputError extends Error {}

export const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 || 0;
export const percent = (fraction: number): number => Math.round(fraction * 1e4) / 100 || 0;

// ---------------------------------------------------------------------------------------------
// agreement

export interface AgreementJson {
  coders: [string, string];
  overall: { kappa: number; percentAgreement: number; alpha: number; characters: number } & AgreementCounts;
  codes: ({ code: string; codeId: string; kappa: number; percentAgreement: number; alpha: number; characters: number } & AgreementCounts)[];
  byCode: ({ code: string; codeId: string; document: string; kappa: number; percentAgreement: number; alpha: number; characters: number } & AgreementCounts)[];
  /** only with --overlap: segment agreement of the two coders */
  segments?: { overlap: number; overall: SegmentJson; codes: ({ code: string; codeId: string } & SegmentJson)[] };
}

export interface AgreementResult {
  /** without the disagreements (the JSON has none: compared with `disagreements: false`) */
  report: AgreementReport;
  json: AgreementJson;
  warnings: string[];
}

/** Picks the coders (the two with most codings unless given) and compares them. */
export async function agreementOf(fs: FileSystemPort, coders?: readonly string[], where?: string, options: { overlap?: number } = {}): Promise<AgreementResult> {
  const { project, documents, warnings } = await agreementDocuments(fs, where);
  const picked = pickCoders(documents, coders);
  if (picked.length !== 2) throw new InputError(`agreement: --coders names ${picked.length} coders; this comparison is of two (grounded agreement compares more)`);
  const pair: [string, string] = [picked[0], picked[1]];
  const report = compareCoders(documents, pair, { codes: project.codes, disagreements: false });
  const json = agreementJson(project, report);
  if (options.overlap !== undefined) {
    const many = compareManyCoders(documents, pair, { codes: project.codes, overlap: options.overlap });
    const names = new Map(many.codeIds.map((id) => [id, codeName(project, id)]));
    json.segments = {
      overlap: many.overlap,
      overall: segmentNums(many.pairs[0].overall.segments),
      codes: many.pairs[0].byCode.map((c) => ({ code: names.get(c.codeId)!, codeId: c.codeId, ...segmentNums(c.segments) })),
    };
  }
  return { report, json, warnings };
}

export interface SegmentJson {
  segments: number;
  agreedSegments: number;
  /** agreedSegments / segments in percent, 2 decimals; 100 without segments */
  segmentAgreement: number;
}

type PairFigures = { kappa: number; percentAgreement: number; alpha: number; characters: number } & AgreementCounts & SegmentJson;
type AllFigures = { alpha: number; characters: number; carriedBy: number[] } & SegmentJson;

/** `grounded agreement --json` for three or more coders (docs/AGREEMENT.md). */
export interface ManyAgreementJson {
  coders: string[];
  overlap: number;
  overall: AllFigures;
  codes: ({ code: string; codeId: string } & AllFigures)[];
  pairs: ({ coders: [string, string] } & PairFigures & { codes: ({ code: string; codeId: string } & PairFigures)[] })[];
  byCode: ({ code: string; codeId: string; document: string } & AllFigures)[];
}

export interface ManyAgreementResult {
  report: ManyAgreementReport;
  json: ManyAgreementJson;
  warnings: string[];
}

/** Compares two or more coders, named (`--coders a,b,c`): alpha of all, every pair, segment agreement. */
export async function agreementOfMany(fs: FileSystemPort, coders: readonly string[], where?: string, options: { overlap?: number } = {}): Promise<ManyAgreementResult> {
  const { project, documents, warnings } = await agreementDocuments(fs, where);
  const picked = pickCoders(documents, coders);
  const report = compareManyCoders(documents, picked, { codes: project.codes, overlap: options.overlap });
  return { report, json: manyAgreementJson(project, report), warnings };
}

/** The project's codings as the comparison reads them, one transcript at a time. */
async function agreementDocuments(fs: FileSystemPort, where?: string): Promise<{ project: ProjectFile; documents: AgreementDocument[]; warnings: string[] }> {
  const project = await loadProjectFile(fs, where);
  const warnings: string[] = [];
  // One transcript at a time; of each coding only what the comparison reads is kept (not its quote and
  // contexts, nor the transcript's text), so the project's codings are not held in memory whole.
  // A duplicate (the same coder's same code on the same span again) adds no characters, as spans are
  // merged per coder; leaving it out also keeps it from ranking a coder higher.
  // One string kept for each coder name and code id, so that the many kept codings do not hold their copies.
  const shared = stringSharer();
  const documents: AgreementDocument[] = [];
  for await (const d of readDocuments(fs, warnings)) {
    const dupes = duplicateIds(d.codings);
    const codings: AgreementCoding[] = [];
    for (const c of d.codings) {
      if (dupes.has(c.id)) continue;
      const coding = new ComparedCoding(shared(c.coder), shared(c.codeId), c.anchor.start, c.anchor.end);
      if (c.orphaned) coding.orphaned = true;
      if (c.suggestion) coding.suggestion = { status: c.suggestion.status };
      codings.push(coding);
    }
    documents.push({ path: d.path, length: d.length, codings });
  }
  return { project, documents, warnings };
}

/**
 * What the comparison keeps of a coding (core/agreement.ts `AgreementCoding`) in one object: it is its
 * own anchor (`anchor` returns it, with its `start` and `end`), so that each coding of a large project
 * costs one small object, not two, while the comparison waits for the last transcript.
 */
class ComparedCoding implements AgreementCoding {
  declare orphaned?: boolean;
  declare suggestion?: { status: string };
  constructor(
    readonly coder: string,
    readonly codeId: string,
    readonly start: number,
    readonly end: number,
  ) {}

  get anchor(): { start: number; end: number } {
    return this;
  }
}

/** The coders named, checked against those with codings; without names, the two people with most codings. */
function pickCoders(documents: readonly AgreementDocument[], coders?: readonly string[]): string[] {
  const ranked = codersByCodings(documents);
  const list = ranked.map((r) => `"${r.coder}" (${r.codings})`).join(', ');
  if (coders) {
    if (coders.length < 2 || coders.some((c) => !c)) throw new InputError(`agreement: --coders takes two names separated by a comma, or more (a,b,c), got "${coders.join(',')}"; coders (codings): ${list || 'none'}`);
    const twice = coders.find((c, i) => coders.indexOf(c) !== i);
    if (twice !== undefined) throw new InputError(`agreement: --coders names the same coder twice: "${twice}"`);
    for (const c of coders) {
      if (!ranked.some((r) => r.coder === c)) throw new InputError(`agreement: no codings by "${c}" in this project; coders (codings): ${list || 'none'}`);
    }
    return [...coders];
  }
  if (ranked.length < 2) {
    throw new InputError(
      ranked.length === 0
        ? 'agreement: the project has no codings, so there are no coders to compare'
        : `agreement: needs two coders, but all codings are by one coder: ${list}`,
    );
  }
  // An AI coder is compared only when named, or when fewer than two people coded: its pending
  // suggestions count for agreement and would otherwise often outrank a person.
  const people = ranked.filter((r) => !isAiCoder(r.coder));
  const two = people.length >= 2 ? people : ranked;
  return [two[0].coder, two[1].coder];
}

function segmentNums(s: SegmentCounts): SegmentJson {
  return { segments: s.segments, agreedSegments: s.agreed, segmentAgreement: percent(segmentAgreement(s)) };
}

function pairNums(m: { kappa: number; agreement: number; alpha: number; counts: AgreementCounts; segments: SegmentCounts }): PairFigures {
  return {
    kappa: round4(m.kappa),
    percentAgreement: percent(m.agreement),
    alpha: round4(m.alpha),
    characters: m.counts.both + m.counts.onlyA + m.counts.onlyB + m.counts.neither,
    ...m.counts,
    ...segmentNums(m.segments),
  };
}

function allNums(m: { alpha: number; carriedBy: number[]; segments: SegmentCounts }): AllFigures {
  return { alpha: round4(m.alpha), characters: m.carriedBy.reduce((a, b) => a + b, 0), carriedBy: [...m.carriedBy], ...segmentNums(m.segments) };
}

function manyAgreementJson(project: ProjectFile, r: ManyAgreementReport): ManyAgreementJson {
  const names = new Map(r.codeIds.map((id) => [id, codeName(project, id)]));
  return {
    coders: r.coders,
    overlap: r.overlap,
    overall: allNums(r.overall),
    codes: r.byCode.map((c) => ({ code: names.get(c.codeId)!, codeId: c.codeId, ...allNums(c) })),
    pairs: r.pairs.map((p) => ({
      coders: [r.coders[p.coders[0]], r.coders[p.coders[1]]],
      ...pairNums(p.overall),
      codes: p.byCode.map((c) => ({ code: names.get(c.codeId)!, codeId: c.codeId, ...pairNums(c) })),
    })),
    byCode: r.byCodeAndDocument.map((c) => ({ code: names.get(c.codeId)!, codeId: c.codeId, document: c.document, ...allNums(c) })),
  };
}

function codeName(project: ProjectFile, codeId: string): string {
  return project.codes.find((c) => c.id === codeId)?.name ?? codeId;
}

function agreementJson(project: ProjectFile, r: AgreementReport): AgreementJson {
  const names = new Map(r.codeIds.map((id) => [id, codeName(project, id)]));
  // The figures put after a row's own fields one by one, in the order of the output (no spread of the
  // counts: there is a row for every code and document).
  type Measured = { kappa: number; agreement: number; alpha: number; counts: AgreementCounts };
  const withNums = <H extends object>(head: H, m: Measured) => {
    const k = m.counts;
    return Object.assign(head, {
      kappa: round4(m.kappa),
      percentAgreement: percent(m.agreement),
      alpha: round4(m.alpha),
      characters: k.both + k.onlyA + k.onlyB + k.neither,
      both: k.both,
      onlyA: k.onlyA,
      onlyB: k.onlyB,
      neither: k.neither,
    });
  };
  return {
    coders: r.coders,
    overall: withNums({}, r.overall),
    codes: r.byCode.map((c) => withNums({ code: names.get(c.codeId)!, codeId: c.codeId }, c)),
    byCode: r.byCodeAndDocument.map((c) => withNums({ code: names.get(c.codeId)!, codeId: c.codeId, document: c.document }, c)),
  };
}

const CSV_COLUMNS = ['code', 'codeId', 'document', 'characters', 'both', 'onlyA', 'onlyB', 'neither', 'percentAgreement', 'kappa', 'alpha'] as const;

/**
 * One row per code and document, by `writeCsv` (RFC 4180 quoting, text cells that begin with a formula
 * character neutralised, figures as numbers so a kappa of -0.12 stays -0.12); LF line ends, as it has always had.
 */
export function agreementCsv(json: AgreementJson): string {
  return writeCsv([[...CSV_COLUMNS], ...json.byCode.map((row) => CSV_COLUMNS.map((k) => row[k]))], '\n');
}

export function agreementTable(json: AgreementJson): string {
  const [a, b] = json.coders;
  const o = json.overall;
  const documents = new Set(json.byCode.map((r) => r.document)).size;
  const out: string[] = [
    `Agreement between ${a} and ${b}, by character: ${plural(json.codes.length, 'code')} in ${plural(documents, 'document')}`,
    '',
    `Overall: agreement ${o.percentAgreement.toFixed(2)} %, kappa ${o.kappa.toFixed(4)}, alpha ${o.alpha.toFixed(4)} (${o.characters.toLocaleString('en')} units of one character for one code)`,
    '',
  ];
  const head = ['code', 'agreement', 'kappa', 'alpha', `only ${a}`, `only ${b}`, 'both'];
  out.push(
    'By code (all documents):',
    ...table(head, json.codes.map((c) => [c.code, `${c.percentAgreement.toFixed(2)} %`, c.kappa.toFixed(4), c.alpha.toFixed(4), String(c.onlyA), String(c.onlyB), String(c.both)])),
    '',
    'By code and document:',
    ...table(
      ['code', 'document', ...head.slice(1)],
      json.byCode.map((c) => [c.code, c.document, `${c.percentAgreement.toFixed(2)} %`, c.kappa.toFixed(4), c.alpha.toFixed(4), String(c.onlyA), String(c.onlyB), String(c.both)]),
    ),
  );
  if (json.segments) {
    const s = json.segments;
    out.push(
      '',
      `By segment (a segment agrees when the other coder has one of the same code overlapping it by at least ${overlapText(s.overlap)} of their union): ${segmentText(s.overall)}`,
      ...table(['code', 'segments', 'agreed', 'segment agreement'], s.codes.map((c) => [c.code, String(c.segments), String(c.agreedSegments), `${c.segmentAgreement.toFixed(2)} %`])),
    );
  }
  return out.join('\n') + '\n';
}

const overlapText = (overlap: number): string => `${Number((overlap * 100).toFixed(2))} %`;
const segmentText = (s: SegmentJson): string => `${s.agreedSegments} of ${plural(s.segments, 'segment')} agreed (${s.segmentAgreement.toFixed(2)} %)`;

/** The table of `grounded agreement --coders a,b,c`: all coders, every pair, by code, by code and document. */
export function manyAgreementTable(json: ManyAgreementJson): string {
  const o = json.overall;
  const documents = new Set(json.byCode.map((r) => r.document)).size;
  const segmentCells = (s: SegmentJson) => [String(s.segments), String(s.agreedSegments), `${s.segmentAgreement.toFixed(2)} %`];
  const pairCells = (p: PairFigures) => [`${p.percentAgreement.toFixed(2)} %`, p.kappa.toFixed(4), p.alpha.toFixed(4), ...segmentCells(p)];
  const pairHead = ['agreement', 'kappa', 'alpha', 'segments', 'agreed', 'segment agreement'];
  const out: string[] = [
    `Agreement of ${plural(json.coders.length, 'coder')} (${json.coders.join(', ')}), by character and by segment: ${plural(json.codes.length, 'code')} in ${plural(documents, 'document')}`,
    '',
    `All coders: Krippendorff's alpha ${o.alpha.toFixed(4)} (${o.characters.toLocaleString('en')} units of one character for one code); ` +
      `segments agreed by every other coder (same code, overlapping by at least ${overlapText(json.overlap)} of their union): ${segmentText(o)}`,
    '',
    'Pairs (all codes):',
    ...table(['coder', 'coder', ...pairHead], json.pairs.map((p) => [p.coders[0], p.coders[1], ...pairCells(p)])),
    '',
    'By code (all documents, all coders):',
    ...table(['code', 'alpha', 'segments', 'agreed', 'segment agreement'], json.codes.map((c) => [c.code, c.alpha.toFixed(4), ...segmentCells(c)])),
    '',
    'By code and pair:',
    ...table(['code', 'coder', 'coder', ...pairHead], json.pairs.flatMap((p) => p.codes.map((c) => [c.code, p.coders[0], p.coders[1], ...pairCells(c)]))),
    '',
    'By code and document (all coders):',
    ...table(['code', 'document', 'alpha', 'segments', 'agreed', 'segment agreement'], json.byCode.map((c) => [c.code, c.document, c.alpha.toFixed(4), ...segmentCells(c)])),
  ];
  return out.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// stats

export interface StatsJson {
  codes: { code: string; codeId: string; path: string[]; segments: number; documents: number; coders: string[]; totalSegments: number; totalDocuments: number; totalCoders: string[] }[];
  documents: { document: string; characters: number; codings: number; orphaned: number; coders: string[]; coverage: number }[];
}

/**
 * Every number from the one analysis (core/analysis.ts), as the extension counts: a duplicate coding
 * counts once; orphans, codings of codes not in the codebook and codings wholly inside the turns of
 * settings.excludedSpeakers are not counted.
 *
 * One transcript at a time (load.ts `readDocuments`): each is analysed as `analyse` analyses it
 * (`documentAnalyser`), its codings counted (`codeCounter`) and dropped, so that only the numbers stay
 * in memory. Reasons for leaving a coding out are kept by coding id; should two documents hold the same
 * id (a sidecar copied with its transcript), a reason found in one would apply in the other too, as it
 * does in `analyse`: then the whole project is loaded and analysed at once instead, with the same result.
 */
export async function statsOf(fs: FileSystemPort, where?: string): Promise<{ json: StatsJson; warnings: string[] }> {
  const project = await loadProjectFile(fs, where);
  const warnings: string[] = [];
  const notes: string[] = [];
  const left = new LeftOutNotes();
  let current: LoadedDocument | undefined;
  const analyser = documentAnalyser({ project, textOf: (p) => (p === current?.path ? current.text : undefined) });
  const counter = codeCounter(project);
  const ids = new Set<string>();
  const rows: StatsJson['documents'] = [];
  for await (const d of readDocuments(fs, warnings)) {
    current = d;
    for (const c of d.codings) {
      if (ids.has(c.id)) return statsOfLoaded(await loadProject(fs, where));
      ids.add(c.id);
    }
    const leftOut = new Map<string, LeftOut>();
    const analysed = analyser(d, leftOut);
    counter.add(analysed);
    rows.push(documentRow(d.length, analysed));
    left.add(d, leftOut);
  }
  notes.push(...left.notes());
  current = undefined;
  rows.sort((a, b) => (a.document < b.document ? -1 : a.document > b.document ? 1 : 0));
  return { warnings: [...warnings, ...notes], json: statsJson(project, counter.counts(), rows) };
}

/** `statsOf` over a project loaded whole and analysed at once. */
function statsOfLoaded(loaded: LoadedProject): { json: StatsJson; warnings: string[] } {
  const analysis = analyse({ project: loaded.project, documents: loaded.documents, textOf: loaded.textOf });
  const lengths = new Map(loaded.documents.map((d) => [d.path, d.length]));
  const left = new LeftOutNotes();
  for (const d of loaded.documents) left.add(d, analysis.leftOut);
  return { warnings: [...loaded.warnings, ...left.notes()], json: statsJson(loaded.project, analysis.counts, analysis.documents.map((d) => documentRow(lengths.get(d.path) ?? 0, d))) };
}

/** Up to this many transcripts, each gets its own note; more are summed up in one (grounded check lists them all). */
const NOTES_EACH = 3;

/**
 * The notes on codings that are not counted: those that repeat another (same coder, code and span) and
 * those of a code that is not in the codebook. One note per transcript while few have them; for more, one
 * note for all, naming the first, so a large project's output is not a wall of notes.
 */
class LeftOutNotes {
  private readonly found = { duplicate: [] as [string, number][], unknownCode: [] as [string, number][] };

  add(d: LoadedDocument, leftOut: ReadonlyMap<string, LeftOut>): void {
    if (!leftOut.size) return;
    const n = (why: LeftOut) => d.codings.filter((c) => leftOut.get(c.id) === why).length;
    for (const why of ['duplicate', 'unknownCode'] as const) {
      const k = n(why);
      if (k) this.found[why].push([d.path, k]);
    }
  }

  notes(): string[] {
    const duplicates = (k: number) => `${plural(k, 'coding')} repeat${k === 1 ? 's' : ''} another (same coder, code and span) and ${k === 1 ? 'is' : 'are'} not counted again`;
    const unknown = (k: number) => `${plural(k, 'coding')} of a code that is not in the codebook ${k === 1 ? 'is' : 'are'} not counted`;
    const out: string[] = [];
    const each = (found: [string, number][], say: (k: number) => string, find: (k: number) => string) => {
      if (found.length <= NOTES_EACH) for (const [path, k] of found) out.push(`${path}: ${say(k)} (${find(k)})`);
      else {
        const total = found.reduce((sum, [, k]) => sum + k, 0);
        out.push(`${say(total)} in ${found.length} transcripts, the first in ${found[0][0]} (run "grounded check" to list them)`);
      }
    };
    each(this.found.duplicate, duplicates, (k) => `run "grounded check" to find ${k === 1 ? 'it' : 'them'}`);
    each(this.found.unknownCode, unknown, () => 'run "grounded check"');
    return out;
  }
}

function documentRow(length: number, d: AnalysedDocument): StatsJson['documents'][number] {
  return {
    document: d.path,
    characters: length,
    codings: d.codings.length,
    orphaned: d.orphans.length,
    coders: [...new Set(d.codings.map((c) => c.coder))].sort(),
    coverage: round4(coverage(length, d.codings)),
  };
}

function statsJson(project: ProjectFile, counts: ReadonlyMap<string, CodeCounts>, documents: StatsJson['documents']): StatsJson {
  const zero: CodeCounts = { segments: 0, documents: 0, coders: [], totalSegments: 0, totalDocuments: 0, totalCoders: [] };
  return {
    codes: project.codes.map((c) => {
      const n = counts.get(c.id) ?? zero;
      return {
        code: c.name,
        codeId: c.id,
        path: codePath(project, c.id),
        segments: n.segments,
        documents: n.documents,
        coders: n.coders,
        totalSegments: n.totalSegments,
        totalDocuments: n.totalDocuments,
        totalCoders: n.totalCoders,
      };
    }),
    documents,
  };
}

export function statsTable(json: StatsJson): string {
  const codes = [...json.codes].sort((x, y) => cmpPath(x.path, y.path));
  return [
    `Codes (${json.codes.length}):`,
    ...table(
      ['code', 'segments', 'documents', 'with subcodes', 'coders'],
      codes.map((c) => ['  '.repeat(Math.max(0, c.path.length - 1)) + c.code, String(c.segments), String(c.documents), `${c.totalSegments} in ${c.totalDocuments}`, c.coders.join(', ')]),
    ),
    '',
    `Documents (${json.documents.length}):`,
    ...table(
      ['document', 'characters', 'codings', 'orphaned', 'coverage', 'coders'],
      json.documents.map((d) => [d.document, String(d.characters), String(d.codings), String(d.orphaned), `${(d.coverage * 100).toFixed(2)} %`, d.coders.join(', ')]),
    ),
  ].join('\n') + '\n';
}

/** Tree order: parents before children, siblings by name (code-unit order, the same everywhere). */
function cmpPath(x: string[], y: string[]): number {
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return x.length - y.length;
}

// ---------------------------------------------------------------------------------------------

/** Columns padded to the widest cell; text left, numbers right. */
function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = head.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.,]+( %)?$|^\d+ in \d+$/.test(r[i])));
  const line = (cells: string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
