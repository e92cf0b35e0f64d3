// Inter-coder agreement between two coders, counted by character (docs/AGREEMENT.md).
//
// The unit is one character of one transcript for one code: each coder either carries the code
// there or not. A coder's codings of one code in one document are first merged into disjoint
// spans (overlapping or repeated codings count once), orphaned codings are left out, and the
// 2x2 table of a (code, document) pair is counted from the two span lists by interval arithmetic:
// no per-character arrays, so the cost is O(codings log codings), not O(characters × codes).
import type { Code } from './model';

/**
 * What the comparison reads of a coding: who applied which code where, and whether it is orphaned. A
 * `Coding` is one; the CLI keeps only these fields of each coding while it reads a project
 * (src/cli/reports.ts), so that the quotes and contexts need not stay in memory.
 */
export interface AgreementCoding {
  coder: string;
  codeId: string;
  orphaned?: boolean;
  anchor: { start: number; end: number };
  /** an AI suggestion's status (model.ts Suggestion): a rejected one is left out */
  suggestion?: { status: string };
}

/**
 * Whether a coding takes part in a comparison: not orphaned, and not a rejected AI suggestion (the AI
 * coder is compared by its pending and accepted suggestions), nor a pending one of a proposed code,
 * which has no code yet (codeId "").
 */
export function comparedCoding(c: Pick<AgreementCoding, 'orphaned' | 'codeId' | 'suggestion'>): boolean {
  return !c.orphaned && (!c.suggestion || (c.suggestion.status !== 'rejected' && c.codeId !== ''));
}

/** A transcript as the comparison sees it. */
export interface AgreementDocument {
  /** workspace-relative path */
  path: string;
  /** length of the LF-normalised text in UTF-16 code units */
  length: number;
  codings: readonly AgreementCoding[];
}

/** A half-open range [start, end) of UTF-16 offsets. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The 2x2 table of one comparison, in characters: `both` carry the code for both coders, `onlyA`
 * for the first coder only, `onlyB` for the second only, `neither` for none. Their sum is the
 * number of characters compared.
 */
export interface AgreementCounts {
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
}

/** Measures of one table. All three are 1 when both coders agree on every character (see `measures`). */
export interface AgreementMeasures {
  /** share of characters on which the coders agree, from 0 to 1 */
  agreement: number;
  /** Cohen's kappa */
  kappa: number;
  /** Krippendorff's alpha, nominal, two coders, no missing values */
  alpha: number;
}

/** Where the coders disagree: a range carried by one coder only. */
export interface Disagreement extends Span {
  /** the coder who carries the code on this range: 'a' (the first) or 'b' (the second) */
  coder: 'a' | 'b';
}

/** One code in one document. */
export interface CodeDocumentAgreement extends AgreementMeasures {
  codeId: string;
  document: string;
  counts: AgreementCounts;
  /** in text order; ranges of 'a' and 'b' never overlap, adjacent ones may touch */
  disagreements: Disagreement[];
}

/** One code pooled over all documents. */
export interface CodeAgreement extends AgreementMeasures {
  codeId: string;
  counts: AgreementCounts;
}

export interface AgreementReport {
  coders: [string, string];
  /** the codes compared, in codebook order (codes not in the codebook last, by id) */
  codeIds: string[];
  /** the documents compared, in the order given */
  documents: string[];
  /** every code × every document: by document (in the order given), then by code */
  byCodeAndDocument: CodeDocumentAgreement[];
  /** every code pooled over the documents */
  byCode: CodeAgreement[];
  /** all codes and documents pooled into one table */
  overall: AgreementMeasures & { counts: AgreementCounts };
}

export interface AgreementOptions {
  /** the codebook, for the order of the codes; codes not in it are compared too, after it */
  codes?: readonly Code[];
  /**
   * false: every `disagreements` of the report is left empty, for a caller that reads only the numbers
   * (the CLI's `agreement`); the numbers are the same. Default true.
   */
  disagreements?: boolean;
}

/**
 * The sorted, disjoint spans carried by `codings` (orphans left out), clipped to [0, length).
 * Overlapping and touching spans are merged.
 */
export function unionSpans(codings: readonly AgreementCoding[], length: number): Span[] {
  const spans: Span[] = [];
  for (const c of codings) {
    if (c.orphaned) continue;
    const start = Math.max(0, c.anchor.start);
    const end = Math.min(length, c.anchor.end);
    if (end > start) spans.push({ start, end });
  }
  return mergeInPlace(spans);
}

/** Sorts and merges overlapping or touching spans (the input is not changed). */
export function mergeSpans(spans: readonly Span[]): Span[] {
  return mergeInPlace(spans.map((s) => ({ start: s.start, end: s.end })));
}

/** Sorts `spans` and merges overlapping or touching ones, reusing the array and its objects. */
function mergeInPlace(spans: Span[]): Span[] {
  if (spans.length < 2) return spans;
  spans.sort((x, y) => x.start - y.start || x.end - y.end);
  let last = 0;
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i];
    if (s.start <= spans[last].end) {
      if (s.end > spans[last].end) spans[last].end = s.end;
    } else {
      spans[++last] = s;
    }
  }
  spans.length = last + 1;
  return spans;
}

function covered(spans: readonly Span[]): number {
  let n = 0;
  for (const s of spans) n += s.end - s.start;
  return n;
}

/** The characters two sorted, disjoint span lists have in common (the `both` of `compareSpans`). */
function overlapLength(a: readonly Span[], b: readonly Span[]): number {
  let n = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (end > start) n += end - start;
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return n;
}

/**
 * The 2x2 table and the disagreements of two sorted, disjoint span lists over a text of `length`
 * characters: one merge-like walk over both lists.
 */
export function compareSpans(a: readonly Span[], b: readonly Span[], length: number, withDisagreements = true): { counts: AgreementCounts; disagreements: Disagreement[] } {
  const disagreements: Disagreement[] = [];
  const push = (start: number, end: number, coder: 'a' | 'b'): void => {
    if (end <= start || !withDisagreements) return;
    const last = disagreements[disagreements.length - 1];
    if (last && last.coder === coder && last.end === start) last.end = end;
    else disagreements.push({ start, end, coder });
  };
  let both = 0;
  let i = 0;
  let j = 0;
  // `pos`: everything before it has been accounted for.
  let pos = 0;
  while (i < a.length || j < b.length) {
    const sa = a[i];
    const sb = b[j];
    const aStart = sa ? Math.max(sa.start, pos) : Infinity;
    const bStart = sb ? Math.max(sb.start, pos) : Infinity;
    if (sa && aStart >= sa.end) {
      i++;
      continue;
    }
    if (sb && bStart >= sb.end) {
      j++;
      continue;
    }
    if (aStart < bStart) {
      // a alone from aStart up to b's start or a's end
      const end = Math.min(sa.end, bStart);
      push(aStart, end, 'a');
      pos = end;
    } else if (bStart < aStart) {
      const end = Math.min(sb.end, aStart);
      push(bStart, end, 'b');
      pos = end;
    } else {
      // both start here
      const end = Math.min(sa.end, sb.end);
      both += end - aStart;
      pos = end;
    }
  }
  const inA = covered(a);
  const inB = covered(b);
  return { counts: { both, onlyA: inA - both, onlyB: inB - both, neither: length - inA - inB + both }, disagreements };
}

/**
 * Percentage agreement, Cohen's kappa and Krippendorff's alpha of one 2x2 table.
 *
 * With N characters, p_o = (both + neither) / N, and the chance agreement of kappa
 * p_e = (pA·pB + (1 − pA)(1 − pB)) with pA, pB the shares each coder carries; kappa = (p_o − p_e) / (1 − p_e).
 * Alpha (nominal, two coders, every character coded by both): the coincidence matrix has
 * o_11 = 2·both, o_00 = 2·neither, o_01 = o_10 = onlyA + onlyB, n = 2N values, n_1 = 2·both + onlyA + onlyB,
 * n_0 = n − n_1; alpha = 1 − (n − 1)·o_01 / (n_0·n_1).
 *
 * Convention (NVivo's): when both coders carry the code on no character (or both on every
 * character), chance agreement is 1 and kappa and alpha are 0/0; they are reported as 1, as is
 * the agreement (100 %). An empty table (N = 0) is reported the same way.
 */
export function measures(c: AgreementCounts): AgreementMeasures {
  const n = c.both + c.onlyA + c.onlyB + c.neither;
  if (n === 0) return { agreement: 1, kappa: 1, alpha: 1 };
  const agree = c.both + c.neither;
  const po = agree / n;
  const pa = (c.both + c.onlyA) / n;
  const pb = (c.both + c.onlyB) / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  const disagree = c.onlyA + c.onlyB;
  const kappa = disagree === 0 ? 1 : (po - pe) / (1 - pe);
  const values = 2 * n;
  const n1 = 2 * c.both + disagree;
  const n0 = values - n1;
  const alpha = disagree === 0 ? 1 : 1 - ((values - 1) * disagree) / (n0 * n1);
  return { agreement: po, kappa, alpha };
}

function add(into: AgreementCounts, c: AgreementCounts): void {
  into.both += c.both;
  into.onlyA += c.onlyA;
  into.onlyB += c.onlyB;
  into.neither += c.neither;
}

const zero = (): AgreementCounts => ({ both: 0, onlyA: 0, onlyB: 0, neither: 0 });

/**
 * The units both comparisons share: per document with a (not orphaned) coding of one of `coders`, each
 * code's codings by coder (in the order of `coders`), and the codes used, in the codebook's order
 * (`codes`), then by id.
 */
function codingsByCode(
  documents: readonly AgreementDocument[],
  coders: readonly string[],
  codes: AgreementOptions['codes'],
): { perDoc: { doc: AgreementDocument; byCode: Map<string, AgreementCoding[][]> }[]; codeIds: string[] } {
  const index = new Map(coders.map((c, i) => [c, i]));
  const perDoc: { doc: AgreementDocument; byCode: Map<string, AgreementCoding[][]> }[] = [];
  const used = new Set<string>();
  for (const doc of documents) {
    const byCode = new Map<string, AgreementCoding[][]>();
    for (const c of doc.codings) {
      if (!comparedCoding(c)) continue;
      const side = index.get(c.coder);
      if (side === undefined) continue;
      let entry = byCode.get(c.codeId);
      if (!entry) byCode.set(c.codeId, (entry = coders.map(() => [])));
      entry[side].push(c);
      used.add(c.codeId);
    }
    if (byCode.size > 0) perDoc.push({ doc, byCode });
  }
  const order = new Map((codes ?? []).map((c, i) => [c.id, i]));
  const codeIds = [...used].sort((x, y) => {
    const ox = order.get(x) ?? Infinity;
    const oy = order.get(y) ?? Infinity;
    return ox !== oy ? ox - oy : x < y ? -1 : x > y ? 1 : 0;
  });
  return { perDoc, codeIds };
}

/**
 * Compares the codings of `coders[0]` and `coders[1]` in `documents`.
 *
 * Compared are the documents in which at least one of the two has a (not orphaned) coding, and the
 * codes at least one of the two applied in them; every such code is compared in every such
 * document, so a code both coders left out of a document gives an agreeing row (NVivo's
 * convention: kappa 1, agreement 100 %). Codings of other coders are ignored.
 */
export function compareCoders(documents: readonly AgreementDocument[], coders: readonly [string, string], options: AgreementOptions = {}): AgreementReport {
  const [coderA, coderB] = coders;
  // Per document: code id -> the two coders' codings.
  const { perDoc, codeIds } = codingsByCode(documents, coders, options.codes) as {
    perDoc: { doc: AgreementDocument; byCode: Map<string, [AgreementCoding[], AgreementCoding[]]> }[];
    codeIds: string[];
  };

  const byCodeAndDocument: CodeDocumentAgreement[] = [];
  const perCode = codeIds.map(() => zero());
  const total = zero();
  const withDisagreements = options.disagreements !== false;
  for (const { doc, byCode } of perDoc) {
    for (let k = 0; k < codeIds.length; k++) {
      const codeId = codeIds[k];
      const entry = byCode.get(codeId);
      const { counts, disagreements } = entry
        ? compareSpans(unionSpans(entry[0], doc.length), unionSpans(entry[1], doc.length), doc.length, withDisagreements)
        : { counts: { both: 0, onlyA: 0, onlyB: 0, neither: doc.length }, disagreements: [] };
      const m = measures(counts);
      byCodeAndDocument.push({ codeId, document: doc.path, counts, agreement: m.agreement, kappa: m.kappa, alpha: m.alpha, disagreements });
      add(perCode[k], counts);
      add(total, counts);
    }
  }
  return {
    coders: [coderA, coderB],
    codeIds,
    documents: perDoc.map((d) => d.doc.path),
    byCodeAndDocument,
    byCode: codeIds.map((codeId, k) => ({ codeId, counts: perCode[k], ...measures(perCode[k]) })),
    overall: { counts: total, ...measures(total) },
  };
}

/** Coders by number of (not orphaned) codings, most first, then by name (code-unit order). */
export function codersByCodings(documents: readonly { codings: readonly Pick<AgreementCoding, 'coder' | 'orphaned' | 'codeId' | 'suggestion'>[] }[]): { coder: string; codings: number }[] {
  const n = new Map<string, number>();
  for (const d of documents) for (const c of d.codings) if (comparedCoding(c)) n.set(c.coder, (n.get(c.coder) ?? 0) + 1);
  return [...n]
    .map(([coder, codings]) => ({ coder, codings }))
    .sort((x, y) => y.codings - x.codings || (x.coder < y.coder ? -1 : x.coder > y.coder ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// Any number of coders (docs/AGREEMENT.md, "Two or more coders").

/** The default share two segments must overlap by to count as the same segment: 90 %, as in MAXQDA. */
export const DEFAULT_OVERLAP = 0.9;

/**
 * Segment counts: `segments` coded segments (a coder's merged spans of one code in one document), of
 * which `agreed` are matched by the other coder(s).
 */
export interface SegmentCounts {
  agreed: number;
  segments: number;
}

/** Share of agreed segments, from 0 to 1; 1 when there are no segments (nothing to disagree on). */
export function segmentAgreement(s: SegmentCounts): number {
  return s.segments === 0 ? 1 : s.agreed / s.segments;
}

/**
 * Krippendorff's alpha, nominal, of binary units (a character carries the code or not) that each of
 * m coders valued: `carriedBy[k]` is the number of units that exactly k of the m = carriedBy.length − 1
 * coders carry. A unit with k carriers adds k(m − k)/(m − 1) to each off-diagonal cell of the
 * coincidence matrix, so o_01 = Σ carriedBy[k]·k(m − k)/(m − 1); n_1 = Σ k·carriedBy[k],
 * n_0 = Σ (m − k)·carriedBy[k], n = n_0 + n_1 = m·units, and alpha = 1 − (n − 1)·o_01 / (n_0·n_1).
 * 1 when no unit has a disagreement (the convention of `measures`). For m = 2 this is `measures`' alpha
 * of the same characters, to the bit.
 */
export function alphaOfCarriers(carriedBy: readonly number[]): number {
  const m = carriedBy.length - 1;
  if (m < 2) return 1;
  let n0 = 0;
  let n1 = 0;
  // Σ units·k·(m − k): (m − 1)·o_01, an integer.
  let pairs = 0;
  for (let k = 0; k <= m; k++) {
    const units = carriedBy[k];
    n1 += k * units;
    n0 += (m - k) * units;
    pairs += units * k * (m - k);
  }
  if (pairs === 0) return 1;
  const n = n0 + n1;
  return 1 - ((n - 1) * pairs) / ((m - 1) * n0 * n1);
}

/**
 * `carriedBy` of one code in one document: how many of the `length` characters exactly k of the span
 * lists cover, for k = 0 … lists.length. One sweep over the sorted span boundaries.
 */
export function carriersOf(lists: readonly (readonly Span[])[], length: number): number[] {
  const carriedBy = new Array<number>(lists.length + 1).fill(0);
  const events: number[] = [];
  // Encoded as position·2 + (0 for an end, 1 for a start), so that ends sort before starts at one position.
  for (const spans of lists) for (const s of spans) events.push(s.start * 2 + 1, s.end * 2);
  events.sort((x, y) => x - y);
  let depth = 0;
  let pos = 0;
  let covered = 0;
  for (const e of events) {
    const at = Math.floor(e / 2);
    if (depth > 0 && at > pos) {
      carriedBy[depth] += at - pos;
      covered += at - pos;
    }
    pos = at;
    depth += e % 2 === 1 ? 1 : -1;
  }
  carriedBy[0] = length - covered;
  return carriedBy;
}

/**
 * Whether `segment` has a match among `others` (sorted, disjoint): a span that overlaps it by at least
 * `overlap` of their union, |s ∩ t| / |s ∪ t| ≥ overlap, with |s ∩ t| > 0.
 */
export function segmentMatched(segment: Span, others: readonly Span[], overlap: number): boolean {
  // The first span that ends after the segment starts.
  let lo = 0;
  let hi = others.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (others[mid].end <= segment.start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < others.length && others[i].start < segment.end; i++) {
    const t = others[i];
    const inter = Math.min(segment.end, t.end) - Math.max(segment.start, t.start);
    const union = Math.max(segment.end, t.end) - Math.min(segment.start, t.start);
    if (inter > 0 && inter / union >= overlap) return true;
  }
  return false;
}

/** One pair of coders over the same units as the whole comparison. */
export interface PairAgreement {
  /** indices into the report's `coders`, the first lower */
  coders: [number, number];
  overall: AgreementMeasures & { counts: AgreementCounts; segments: SegmentCounts };
  byCode: (CodeAgreement & { segments: SegmentCounts })[];
}

/** Alpha of all coders and the segment agreement of all coders, for one table. */
export interface ManyMeasures {
  alpha: number;
  /** characters by number of coders who carry the code: carriedBy[k] characters carried by exactly k */
  carriedBy: number[];
  /** a segment is agreed when every other coder has a matching one */
  segments: SegmentCounts;
}

export interface ManyAgreementReport {
  coders: string[];
  overlap: number;
  /** the codes compared, in codebook order (codes not in the codebook last, by id) */
  codeIds: string[];
  /** the documents compared, in the order given */
  documents: string[];
  /** every code × every document: by document, then by code */
  byCodeAndDocument: (ManyMeasures & { codeId: string; document: string })[];
  byCode: (ManyMeasures & { codeId: string })[];
  overall: ManyMeasures;
  /** every pair of coders (i < j), in the order of `coders`: (0,1), (0,2), … (1,2), … */
  pairs: PairAgreement[];
}

export interface ManyAgreementOptions extends AgreementOptions {
  /** the share of their union two segments must overlap by to match, in (0, 1]; default DEFAULT_OVERLAP */
  overlap?: number;
}

/**
 * Compares the codings of two or more coders in `documents` (docs/AGREEMENT.md):
 * - Krippendorff's alpha of all coders, by character, per code and document, per code and overall;
 * - for every pair, the two-coder table, kappa, agreement and alpha (as `compareCoders` has them);
 * - segment agreement, for every pair and for all coders.
 *
 * The units are those of `compareCoders` for all coders at once: the documents in which at least one of
 * them has a (not orphaned) coding, and in them every code at least one of them applied. A coder without
 * codings of a code in such a document did not apply it there (every character is valued by every coder:
 * no missing values). With two coders, the pair's figures equal `compareCoders`'.
 */
export function compareManyCoders(documents: readonly AgreementDocument[], coders: readonly string[], options: ManyAgreementOptions = {}): ManyAgreementReport {
  const m = coders.length;
  if (m < 2) throw new Error(`compareManyCoders: needs two or more coders, got ${m}`);
  if (new Set(coders).size !== m) throw new Error('compareManyCoders: a coder is named twice');
  const overlap = options.overlap ?? DEFAULT_OVERLAP;
  if (!(overlap > 0 && overlap <= 1)) throw new Error(`compareManyCoders: overlap must be in (0, 1], got ${overlap}`);
  const { perDoc, codeIds } = codingsByCode(documents, coders, options.codes);

  const pairIndex: [number, number][] = [];
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) pairIndex.push([i, j]);
  const zeroMany = (): ManyMeasures => ({ alpha: 1, carriedBy: new Array<number>(m + 1).fill(0), segments: { agreed: 0, segments: 0 } });
  const addMany = (into: ManyMeasures, c: { carriedBy: number[]; segments: SegmentCounts }): void => {
    for (let k = 0; k <= m; k++) into.carriedBy[k] += c.carriedBy[k];
    into.segments.agreed += c.segments.agreed;
    into.segments.segments += c.segments.segments;
  };
  const addSegments = (into: SegmentCounts, s: SegmentCounts): void => {
    into.agreed += s.agreed;
    into.segments += s.segments;
  };
  const perCode = new Map(codeIds.map((id) => [id, zeroMany()]));
  const total = zeroMany();
  const pairCode = pairIndex.map(() => new Map(codeIds.map((id) => [id, { counts: zero(), segments: { agreed: 0, segments: 0 } }])));

  const byCodeAndDocument: ManyAgreementReport['byCodeAndDocument'] = [];
  for (const { doc, byCode } of perDoc) {
    for (const codeId of codeIds) {
      const entry = byCode.get(codeId);
      if (!entry) {
        // Nobody applied the code here: every character is 0 for every coder, no segments.
        const carriedBy = new Array<number>(m + 1).fill(0);
        carriedBy[0] = doc.length;
        const none: SegmentCounts = { agreed: 0, segments: 0 };
        byCodeAndDocument.push({ codeId, document: doc.path, alpha: 1, carriedBy, segments: none });
        addMany(perCode.get(codeId)!, { carriedBy, segments: none });
        addMany(total, { carriedBy, segments: none });
        for (let p = 0; p < pairIndex.length; p++) pairCode[p].get(codeId)!.counts.neither += doc.length;
        continue;
      }
      const spans = entry.map((codings) => unionSpans(codings, doc.length));
      const carriedBy = carriersOf(spans, doc.length);
      // agreedWith[i·m + j]: coder i's segments that have a match among coder j's
      const agreedWith = new Array<number>(m * m).fill(0);
      const all: SegmentCounts = { agreed: 0, segments: 0 };
      for (let i = 0; i < m; i++) {
        all.segments += spans[i].length;
        for (const s of spans[i]) {
          let byAll = true;
          for (let j = 0; j < m; j++) {
            if (j === i) continue;
            if (segmentMatched(s, spans[j], overlap)) agreedWith[i * m + j]++;
            else byAll = false;
          }
          if (byAll) all.agreed++;
        }
      }
      byCodeAndDocument.push({ codeId, document: doc.path, alpha: alphaOfCarriers(carriedBy), carriedBy, segments: all });
      addMany(perCode.get(codeId)!, { carriedBy, segments: all });
      addMany(total, { carriedBy, segments: all });
      const covers = spans.map(covered);
      pairIndex.forEach(([i, j], p) => {
        const into = pairCode[p].get(codeId)!;
        const both = overlapLength(spans[i], spans[j]);
        add(into.counts, { both, onlyA: covers[i] - both, onlyB: covers[j] - both, neither: doc.length - covers[i] - covers[j] + both });
        addSegments(into.segments, { agreed: agreedWith[i * m + j] + agreedWith[j * m + i], segments: spans[i].length + spans[j].length });
      });
    }
  }
  const finish = <T extends ManyMeasures>(x: T): T => ({ ...x, alpha: alphaOfCarriers(x.carriedBy) });
  return {
    coders: [...coders],
    overlap,
    codeIds,
    documents: perDoc.map((d) => d.doc.path),
    byCodeAndDocument,
    byCode: codeIds.map((codeId) => finish({ codeId, ...perCode.get(codeId)! })),
    overall: finish(total),
    pairs: pairIndex.map(([i, j], p) => {
      const counts = zero();
      const segments: SegmentCounts = { agreed: 0, segments: 0 };
      const byCode = codeIds.map((codeId) => {
        const c = pairCode[p].get(codeId)!;
        add(counts, c.counts);
        addSegments(segments, c.segments);
        return { codeId, counts: c.counts, ...measures(c.counts), segments: c.segments };
      });
      return { coders: [i, j], overall: { counts, ...measures(counts), segments }, byCode };
    }),
  };
}
