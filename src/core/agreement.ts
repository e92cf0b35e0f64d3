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

/**
 * The 2x2 table and the disagreements of two sorted, disjoint span lists over a text of `length`
 * characters: one merge-like walk over both lists.
 */
export function compareSpans(a: readonly Span[], b: readonly Span[], length: number): { counts: AgreementCounts; disagreements: Disagreement[] } {
  const disagreements: Disagreement[] = [];
  const push = (start: number, end: number, coder: 'a' | 'b'): void => {
    if (end <= start) return;
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
  const perDoc: { doc: AgreementDocument; byCode: Map<string, [AgreementCoding[], AgreementCoding[]]> }[] = [];
  const used = new Set<string>();
  for (const doc of documents) {
    const byCode = new Map<string, [AgreementCoding[], AgreementCoding[]]>();
    for (const c of doc.codings) {
      if (c.orphaned) continue;
      if (c.coder !== coderA && c.coder !== coderB) continue;
      const side = c.coder === coderA ? 0 : 1;
      let entry = byCode.get(c.codeId);
      if (!entry) byCode.set(c.codeId, (entry = [[], []]));
      entry[side].push(c);
      used.add(c.codeId);
    }
    if (byCode.size > 0) perDoc.push({ doc, byCode });
  }
  const order = new Map((options.codes ?? []).map((c, i) => [c.id, i]));
  const codeIds = [...used].sort((x, y) => {
    const ox = order.get(x) ?? Infinity;
    const oy = order.get(y) ?? Infinity;
    return ox !== oy ? ox - oy : x < y ? -1 : x > y ? 1 : 0;
  });

  const byCodeAndDocument: CodeDocumentAgreement[] = [];
  const perCode = new Map(codeIds.map((id) => [id, zero()]));
  const total = zero();
  for (const { doc, byCode } of perDoc) {
    for (const codeId of codeIds) {
      const entry = byCode.get(codeId);
      const { counts, disagreements } = entry
        ? compareSpans(unionSpans(entry[0], doc.length), unionSpans(entry[1], doc.length), doc.length)
        : { counts: { both: 0, onlyA: 0, onlyB: 0, neither: doc.length }, disagreements: [] };
      byCodeAndDocument.push({ codeId, document: doc.path, counts, ...measures(counts), disagreements });
      add(perCode.get(codeId)!, counts);
      add(total, counts);
    }
  }
  return {
    coders: [coderA, coderB],
    codeIds,
    documents: perDoc.map((d) => d.doc.path),
    byCodeAndDocument,
    byCode: codeIds.map((codeId) => ({ codeId, counts: perCode.get(codeId)!, ...measures(perCode.get(codeId)!) })),
    overall: { counts: total, ...measures(total) },
  };
}

/** Coders by number of (not orphaned) codings, most first, then by name (code-unit order). */
export function codersByCodings(documents: readonly { codings: readonly Pick<AgreementCoding, 'coder' | 'orphaned'>[] }[]): { coder: string; codings: number }[] {
  const n = new Map<string, number>();
  for (const d of documents) for (const c of d.codings) if (!c.orphaned) n.set(c.coder, (n.get(c.coder) ?? 0) + 1);
  return [...n]
    .map(([coder, codings]) => ({ coder, codings }))
    .sort((x, y) => y.codings - x.codings || (x.coder < y.coder ? -1 : x.coder > y.coder ? 1 : 0));
}
