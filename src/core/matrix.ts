// Comparison matrices: codes against cases, against the values of a case attribute, and against each
// other (co-occurrence by overlap or by speaker turn). Rows are the codebook in tree order, a category
// counting its subcodes' codings too. Every cell keeps the references of its segments, so a view can
// list them. Pure: the caller passes the documents as the one analysis counts them (core/analysis.ts
// `analyse`: no orphans, duplicates, excluded speakers' turns or, in blind mode, other coders' codings).
import type { DocumentCodings } from './codebook';
import type { Code, Coding, ProjectFile } from './model';
import { childrenOf } from './project';
import { setScope } from './sets';
import { speakerTurns } from './speakers';
import { writeCsv } from './csv';
import type { CsvValue } from './csv';
import { isUncountedSuggestion } from './suggestions';

/** A segment of a cell: the coding `codingId` in the transcript `path`. */
export interface SegmentRef {
  path: string;
  codingId: string;
}

export interface MatrixRow {
  /** the code's id */
  id: string;
  name: string;
  /** 0 at the top level, 1 under a category, … */
  depth: number;
  /** true when the code has subcodes (its row counts theirs too) */
  category: boolean;
  color: string;
  /** the names from the top-level category down, joined with " > " (for CSV) */
  path: string;
}

export interface MatrixColumn {
  /** a case id, an attribute value, a code id, or NO_CASE / NO_VALUE */
  id: string;
  label: string;
}

export interface MatrixCell {
  /** codings (code × case, code × attribute), pairs of codings (co-occurrence; on the diagonal: the code's codings) */
  count: number;
  /** distinct transcripts of the segments */
  documents: number;
  /** the segments, sorted by path, then position */
  refs: SegmentRef[];
}

export type CooccurrenceMode = 'overlap' | 'turn';

export type MatrixKind = 'case' | 'attribute' | 'cooccurrence';

export interface Matrix {
  kind: MatrixKind;
  /** the header of the row labels' column ("Code") */
  corner: string;
  rows: MatrixRow[];
  columns: MatrixColumn[];
  /** cells[row][column] */
  cells: MatrixCell[][];
  /** the largest count, for shading (co-occurrence: the largest off the diagonal) */
  max: number;
}

export const NO_CASE = '\u0000no-case';
export const NO_VALUE = '\u0000none';
export const NO_CASE_LABEL = 'No case';
export const NO_VALUE_LABEL = '(none)';

const compareText = (a: string, b: string) => a.localeCompare(b) || (a < b ? -1 : a > b ? 1 : 0);

/** The codebook in tree order (depth first, siblings in their order) with each row's depth, and each row's code ids (itself and everything below). */
export function codeRows(project: ProjectFile): { rows: MatrixRow[]; members: Map<string, Set<string>> } {
  const rows: MatrixRow[] = [];
  const members = new Map<string, Set<string>>();
  const walk = (parent: Code | undefined, depth: number, names: string[]): Set<string> => {
    const below = new Set<string>();
    for (const code of childrenOf(project, parent?.id)) {
      const row: MatrixRow = { id: code.id, name: code.name, depth, category: false, color: code.color, path: [...names, code.name].join(' > ') };
      rows.push(row);
      const mine = walk(code, depth + 1, [...names, code.name]);
      row.category = mine.size > 0;
      mine.add(code.id);
      members.set(code.id, mine);
      for (const id of mine) below.add(id);
    }
    return below;
  };
  walk(undefined, 0, []);
  return { rows, members };
}

/** For every code id, the rows whose counts it reaches: itself and its ancestors. */
function rowsReached(rows: readonly MatrixRow[], members: ReadonlyMap<string, ReadonlySet<string>>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  rows.forEach((row, i) => {
    for (const id of members.get(row.id)!) {
      const list = out.get(id) ?? [];
      list.push(i);
      out.set(id, list);
    }
  });
  return out;
}

interface Builder {
  count: number;
  /** path -> coding id -> coding: the segments, without repeats (keys are strings that already exist, so nothing is built per call) */
  refs: Map<string, Map<string, Coding>>;
}

const newBuilder = (): Builder => ({ count: 0, refs: new Map() });
const addRef = (b: Builder, path: string, c: Coding) => {
  let inDoc = b.refs.get(path);
  if (!inDoc) b.refs.set(path, (inDoc = new Map()));
  inDoc.set(c.id, c);
};
const byPath = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const finish = (b: Builder): MatrixCell => ({
  count: b.count,
  documents: b.refs.size,
  refs: [...b.refs.keys()].sort(byPath).flatMap((path) =>
    [...b.refs.get(path)!.values()]
      .sort((x, y) => x.anchor.start - y.anchor.start || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0))
      .map((c) => ({ path, codingId: c.id })),
  ),
});

/**
 * The cell with its `refs` made when first read (then kept as a plain value): the Matrices panel sends
 * counts only and lists the segments of the one cell clicked, and a large project's cells hold millions.
 */
function withRefsWhenRead(count: number, documents: number, makeRefs: () => SegmentRef[]): MatrixCell {
  const cell = { count, documents } as MatrixCell;
  Object.defineProperty(cell, 'refs', {
    enumerable: true,
    configurable: true,
    get(this: MatrixCell): SegmentRef[] {
      const refs = makeRefs();
      Object.defineProperty(this, 'refs', { value: refs, enumerable: true, writable: true, configurable: true });
      return refs;
    },
  });
  return cell;
}

/** Codings per row and column, where each document falls in the columns `columnsOf` names. */
function countByColumn(
  project: ProjectFile,
  documents: readonly DocumentCodings[],
  columns: MatrixColumn[],
  columnsOf: (path: string) => string[],
  kind: MatrixKind,
): Matrix {
  const { rows, members } = codeRows(project);
  const reach = rowsReached(rows, members);
  const colIndex = new Map(columns.map((c, i) => [c.id, i]));
  const grid = rows.map(() => columns.map(newBuilder));
  for (const doc of documents) {
    const cols = columnsOf(doc.path)
      .map((id) => colIndex.get(id))
      .filter((i): i is number => i !== undefined);
    for (const coding of doc.codings) {
      if (coding.orphaned || isUncountedSuggestion(coding)) continue;
      for (const r of reach.get(coding.codeId) ?? []) {
        for (const c of cols) {
          grid[r][c].count++;
          addRef(grid[r][c], doc.path, coding);
        }
      }
    }
  }
  const cells = grid.map((row) => row.map((b) => withRefsWhenRead(b.count, b.refs.size, () => finish(b).refs)));
  return { kind, corner: 'Code', rows, columns, cells, max: maxOf(cells) };
}

function maxOf(cells: MatrixCell[][], skipDiagonal = false): number {
  let max = 0;
  cells.forEach((row, r) => row.forEach((cell, c) => (skipDiagonal && r === c ? undefined : (max = Math.max(max, cell.count)))));
  return max;
}

const hasCodings = (d: DocumentCodings, known: ReadonlySet<string>) => d.codings.some((c) => !c.orphaned && !isUncountedSuggestion(c) && known.has(c.codeId));

/**
 * Codes × cases: a column per case (by pseudonym), and "No case" for transcripts in no case when such a
 * transcript has codings. A cell holds the codings of the row's code (and its subcodes) in the case's
 * transcripts. A transcript listed in two cases counts in both.
 */
export function codeByCase(project: ProjectFile, documents: readonly DocumentCodings[]): Matrix {
  const cases = [...project.cases].sort((a, b) => compareText(a.pseudonym, b.pseudonym) || compareText(a.id, b.id));
  const casesOf = (path: string) => cases.filter((k) => k.documents.includes(path)).map((k) => k.id);
  const known = new Set(project.codes.map((c) => c.id));
  const columns: MatrixColumn[] = cases.map((k) => ({ id: k.id, label: k.pseudonym }));
  if (documents.some((d) => casesOf(d.path).length === 0 && hasCodings(d, known))) columns.push({ id: NO_CASE, label: NO_CASE_LABEL });
  return countByColumn(project, documents, columns, (path) => {
    const ids = casesOf(path);
    return ids.length ? ids : [NO_CASE];
  }, 'case');
}

/** Every attribute name used by a case, sorted. */
export function attributeNames(project: ProjectFile): string[] {
  return [...new Set(project.cases.flatMap((k) => Object.keys(k.attributes)))].sort(compareText);
}

/**
 * Codes × the values of one case attribute (sorted), with "(none)" for cases without the attribute and
 * for transcripts in no case, when any of those has codings. A transcript whose cases have different
 * values counts under each value once.
 */
export function codeByAttribute(project: ProjectFile, documents: readonly DocumentCodings[], attribute: string): Matrix {
  const valuesOf = (path: string): string[] => {
    const cases = project.cases.filter((k) => k.documents.includes(path));
    if (!cases.length) return [NO_VALUE];
    return [...new Set(cases.map((k) => (Object.prototype.hasOwnProperty.call(k.attributes, attribute) ? k.attributes[attribute] : NO_VALUE)))];
  };
  const values = project.cases.filter((k) => Object.prototype.hasOwnProperty.call(k.attributes, attribute)).map((k) => k.attributes[attribute]);
  const known = new Set(project.codes.map((c) => c.id));
  const columns: MatrixColumn[] = [...new Set(values)].sort(compareText).map((v) => ({ id: v, label: v }));
  if (documents.some((d) => valuesOf(d.path).includes(NO_VALUE) && hasCodings(d, known))) columns.push({ id: NO_VALUE, label: NO_VALUE_LABEL });
  return countByColumn(project, documents, columns, valuesOf, 'attribute');
}

/** Half-open spans [from, to) of each coding: its characters (overlap) or the indices of the speaker turns it touches (turn). */
function spansOf(codings: readonly Coding[], mode: CooccurrenceMode, text: string | undefined): ({ from: number; to: number } | undefined)[] {
  if (mode === 'overlap') return codings.map((c) => ({ from: c.anchor.start, to: Math.max(c.anchor.end, c.anchor.start + 1) }));
  const turns = text === undefined ? [] : speakerTurns(text);
  return codings.map((c) => {
    const s = c.anchor.start;
    const e = Math.max(c.anchor.end, s + 1);
    // the first turn that ends after the coding starts
    let lo = 0;
    let hi = turns.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Math.max(turns[mid].end, turns[mid].start + 1) <= s) lo = mid + 1;
      else hi = mid;
    }
    let last = lo;
    while (last < turns.length && turns[last].start < e) last++;
    return last > lo ? { from: lo, to: last } : undefined;
  });
}

/**
 * Codes × codes: a cell counts the pairs of codings, one of each code (a category: of it or a code below
 * it), in the same transcript that overlap (mode 'overlap': share at least one character) or that touch a
 * common speaker turn (mode 'turn'; a coding in no turn pairs with nothing). Each pair counts once, and a
 * coding never pairs with itself. The diagonal holds the code's own codings. Symmetric.
 * `textOf` gives a transcript's LF text (needed for 'turn').
 */
export function cooccurrence(
  project: ProjectFile,
  documents: readonly DocumentCodings[],
  mode: CooccurrenceMode,
  textOf: (path: string) => string | undefined = () => undefined,
): Matrix {
  // A transcript listed twice, or two codings of one transcript with one id, are counted as the maps
  // of the first version did (one segment per path and id); every project Grounded writes has neither.
  const paths = new Set<string>();
  for (const d of documents) {
    if (paths.has(d.path) || new Set(d.codings.map((c) => c.id)).size !== d.codings.length) return cooccurrenceByMaps(project, documents, mode, textOf);
    paths.add(d.path);
  }
  const { rows, members } = codeRows(project);
  const reach = rowsReached(rows, members);
  const n = rows.length;
  const counts = new Array<number>(n * n).fill(0);
  /** per cell (r * n + c), its segments by transcript */
  const chunks: { path: string; ids: string[] }[][] = Array.from({ length: n * n }, () => []);
  /** per cell, the codings of the current transcript it holds, as bits by their rank (position, then id) */
  const bits: (Uint32Array | undefined)[] = new Array(n * n).fill(undefined);
  /** when a cell was last counted for a pair, so that a pair counts once in each cell */
  const stamp = new Int32Array(n * n).fill(-1);
  let pair = 0;
  for (const doc of documents) {
    const codings = doc.codings.filter((c) => !c.orphaned && !isUncountedSuggestion(c) && reach.has(c.codeId));
    if (!codings.length) continue;
    const m = codings.length;
    const words = (m + 31) >> 5;
    const byRank = codings.map((_, i) => i).sort((x, y) => codings[x].anchor.start - codings[y].anchor.start || (codings[x].id < codings[y].id ? -1 : 1));
    const rank = new Int32Array(m);
    byRank.forEach((i, k) => (rank[i] = k));
    const reached = codings.map((c) => reach.get(c.codeId)!);
    const touched: number[] = [];
    const mark = (cell: number, i: number) => {
      let b = bits[cell];
      if (!b) {
        bits[cell] = b = new Uint32Array(words);
        touched.push(cell);
      }
      b[rank[i] >> 5] |= 1 << (rank[i] & 31);
    };
    const count = (cell: number, a: number, b: number) => {
      if (stamp[cell] === pair) return;
      stamp[cell] = pair;
      counts[cell]++;
      mark(cell, a);
      mark(cell, b);
    };
    for (let i = 0; i < m; i++) {
      for (const r of reached[i]) {
        counts[r * n + r]++;
        mark(r * n + r, i);
      }
    }
    const spans = spansOf(codings, mode, mode === 'turn' ? textOf(doc.path) : undefined);
    const order = codings.map((_, i) => i).filter((i) => spans[i]).sort((a, b) => spans[a]!.from - spans[b]!.from);
    for (let x = 0; x < order.length; x++) {
      const a = order[x];
      const to = spans[a]!.to;
      for (let y = x + 1; y < order.length && spans[order[y]]!.from < to; y++) {
        const b = order[y];
        pair++;
        for (const r of reached[a]) {
          for (const c of reached[b]) {
            if (r !== c) {
              count(r * n + c, a, b);
              count(c * n + r, a, b);
            }
          }
        }
      }
    }
    for (const cell of touched) {
      const b = bits[cell]!;
      const ids: string[] = [];
      for (let w = 0; w < words; w++) {
        for (let v = b[w]; v !== 0; v &= v - 1) ids.push(codings[byRank[(w << 5) + (31 - Math.clz32(v & -v))]].id);
      }
      chunks[cell].push({ path: doc.path, ids });
      bits[cell] = undefined;
    }
  }
  const cells = rows.map((_, r) =>
    rows.map((__, c): MatrixCell => {
      const list = chunks[r * n + c];
      return withRefsWhenRead(counts[r * n + c], list.length, () =>
        list.sort((x, y) => byPath(x.path, y.path)).flatMap((k) => k.ids.map((codingId) => ({ path: k.path, codingId }))),
      );
    }),
  );
  return { kind: 'cooccurrence', corner: 'Code', rows, columns: rows.map((r) => ({ id: r.id, label: r.name })), cells, max: maxOf(cells, true) };
}

/** `cooccurrence` with a map of segments per cell: for the inputs the bit sets above do not take. */
function cooccurrenceByMaps(
  project: ProjectFile,
  documents: readonly DocumentCodings[],
  mode: CooccurrenceMode,
  textOf: (path: string) => string | undefined = () => undefined,
): Matrix {
  const { rows, members } = codeRows(project);
  const reach = rowsReached(rows, members);
  const n = rows.length;
  const grid = rows.map(() => rows.map(newBuilder));
  for (const doc of documents) {
    const codings = doc.codings.filter((c) => !c.orphaned && !isUncountedSuggestion(c) && reach.has(c.codeId));
    if (!codings.length) continue;
    for (const c of codings) {
      for (const r of reach.get(c.codeId)!) {
        grid[r][r].count++;
        addRef(grid[r][r], doc.path, c);
      }
    }
    const spans = spansOf(codings, mode, mode === 'turn' ? textOf(doc.path) : undefined);
    const order = codings.map((_, i) => i).filter((i) => spans[i]).sort((a, b) => spans[a]!.from - spans[b]!.from);
    for (let x = 0; x < order.length; x++) {
      const a = order[x];
      for (let y = x + 1; y < order.length && spans[order[y]]!.from < spans[a]!.to; y++) {
        const b = order[y];
        const hit = new Set<number>();
        for (const r of reach.get(codings[a].codeId)!) {
          for (const c of reach.get(codings[b].codeId)!) {
            if (r !== c) hit.add(r * n + c).add(c * n + r);
          }
        }
        for (const key of hit) {
          const cell = grid[Math.floor(key / n)][key % n];
          cell.count++;
          addRef(cell, doc.path, codings[a]);
          addRef(cell, doc.path, codings[b]);
        }
      }
    }
  }
  const cells = grid.map((row) => row.map(finish));
  return { kind: 'cooccurrence', corner: 'Code', rows, columns: rows.map((r) => ({ id: r.id, label: r.name })), cells, max: maxOf(cells, true) };
}

/** The matrix as CSV (RFC 4180, CRLF, by `writeCsv`): a header row, then per code its path and the counts (as numbers). */
export function matrixCsv(matrix: Matrix): string {
  const lines: CsvValue[][] = [[matrix.corner, ...matrix.columns.map((c) => c.label)]];
  matrix.rows.forEach((row, r) => lines.push([row.path, ...matrix.cells[r].map((cell) => cell.count)]));
  return writeCsv(lines);
}

/**
 * A matrix within a code set: only the rows (and, on co-occurrence, the columns) of the set's codes and
 * of the categories above them. The counts are the caller's: build the matrix from the analysis within
 * the set (core/analysis.ts withinSet), which also limits the documents of a document set. The same
 * matrix for a set without codes, or none.
 */
export function matrixWithinSet(m: Matrix, project: ProjectFile, setId: string | undefined): Matrix {
  const codes = setScope(project, setId).codes;
  if (!codes) return m;
  const { members } = codeRows(project);
  const keep = m.rows.map((r) => [...(members.get(r.id) ?? [])].some((id) => codes.has(id)));
  const rows = m.rows.filter((_, i) => keep[i]);
  const pick = <T>(xs: T[]) => xs.filter((_, i) => keep[i]);
  const cells = m.kind === 'cooccurrence' ? pick(m.cells).map(pick) : pick(m.cells);
  const columns = m.kind === 'cooccurrence' ? pick(m.columns) : m.columns;
  return { ...m, rows, columns, cells, max: maxOf(cells, m.kind === 'cooccurrence') };
}
