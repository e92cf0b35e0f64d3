// Keeping codings attached to their words while the text changes.
//
// Two situations: (1) live edits in the editor, where we know exactly what changed and shift
// offsets arithmetically (`shiftCodings`, on every keystroke, so it must stay cheap); (2) the text
// changed behind our back (git pull, another editor), where we search for the quote again
// (`reanchorCodings`). The rule for (2): never move a coding silently to the wrong words. When
// the evidence is weak or two places are about equally likely, the coding is orphaned (kept,
// flagged and reported) instead of guessed.

import search from 'approx-string-match';
import { Anchor, Coding, CONTEXT_LENGTH } from './model';
import { contextOf, makeAnchor, normalizeEol } from './text';

/**
 * One edit in LF-normalised coordinates of the text before the change event (VS Code's
 * rangeOffset, rangeLength, text). The changes of one event do not overlap and all refer to the
 * pre-event text.
 */
export interface TextChange {
  offset: number;
  length: number;
  text: string;
}

export type ReanchorStatus = 'unchanged' | 'moved' | 'fuzzy' | 'orphaned';

export interface ReanchorResult {
  anchor: Anchor;
  status: ReanchorStatus;
  /** confidence in the returned anchor, 0..1; 0 for an orphan */
  score: number;
}

export interface ReanchorReport {
  unchanged: number;
  moved: number;
  fuzzy: number;
  orphaned: Coding[];
}

// ---------------------------------------------------------------------------------------------
// Shifting on live edits

// Descending offsets keep every remaining change's coordinates valid. At equal offsets the
// longer change goes first: an insertion at o lies before a deletion starting at o.
function byDescendingOffset(a: TextChange, b: TextChange): number {
  return b.offset - a.offset || b.length - a.length;
}

function shiftSorted(start: number, end: number, sorted: readonly TextChange[]) {
  let s = start;
  let e = end;
  let collapsed = false;
  for (const c of sorted) {
    const cEnd = c.offset + c.length;
    const delta = c.text.length - c.length;
    if (cEnd <= s) {
      // Before, including an insertion exactly at the start: typing in front of a segment
      // should not extend it.
      s += delta;
      e += delta;
    } else if (c.offset >= e) {
      // After, including an insertion exactly at the end.
    } else if (c.offset <= s && cEnd >= e) {
      // Covers the segment (only reachable with length > 0). Keep a point where it was, so
      // later re-anchoring searches near the right place.
      collapsed = true;
      s = c.offset;
      e = c.offset;
    } else if (c.offset >= s && cEnd <= e) {
      e += delta;
    } else if (c.offset < s) {
      // Across the start: the segment keeps only its surviving tail, not the new text.
      s = c.offset + c.text.length;
      e += delta;
    } else {
      // Across the end: likewise the replacement text is not taken into the segment.
      e = c.offset;
    }
  }
  return { start: s, end: e, collapsed };
}

/** Where a segment ends up after one change event (see TextChange). */
export function shiftAnchor(
  anchor: Pick<Anchor, 'start' | 'end'>,
  changes: readonly TextChange[],
): { start: number; end: number; collapsed: boolean } {
  return shiftSorted(anchor.start, anchor.end, [...changes].sort(byDescendingOffset));
}

// An edit within CONTEXT_LENGTH of the segment alters its quote, prefix or suffix. The bounds
// are inclusive so that an edit next to a surrogate pair at the context edge is also seen.
function touchesContext(start: number, end: number, changes: readonly TextChange[]): boolean {
  for (const c of changes) {
    if (c.offset <= end + CONTEXT_LENGTH && c.offset + c.length >= start - CONTEXT_LENGTH) return true;
  }
  return false;
}

/**
 * The text after a change event, read only where needed. On a keystroke the extension should not
 * copy a 1 MB document to refresh the context of the one or two codings next to the edit.
 * `slice` clamps like `String.prototype.slice` for in-range, ordered arguments past the end.
 */
export interface TextSource {
  slice(start: number, end: number): string;
}

/**
 * `makeAnchor` over a window of a text source: the same anchor as `makeAnchor(text, start, end)`
 * (the window is one unit wider than the context on each side, so surrogate checks at its edges
 * see the same neighbours as in the whole text).
 */
export function makeAnchorFrom(source: TextSource, start: number, end: number): Anchor {
  if (end < start) [start, end] = [end, start];
  const from = Math.max(0, start - CONTEXT_LENGTH - 2);
  const window = source.slice(from, end + CONTEXT_LENGTH + 2);
  const a = makeAnchor(window, start - from, end - from);
  return { ...a, start: a.start + from, end: a.end + from };
}

/** A coding with a new anchor: every other field (also ones a newer format adds) kept as is. */
function withAnchor(coding: Coding, anchor: Anchor): Coding {
  const out = Object.assign({}, coding);
  out.anchor = anchor;
  return out;
}

/**
 * Apply one change event to all codings. `newText` is the LF-normalised text after the event,
 * or a source to read it from: only codings whose quote or context an edit touched read it.
 * Codings that nothing touched come back as the same objects; changed ones are new objects.
 *
 * This runs on every keystroke, so codings wholly before or after every edit (with their
 * context) take a fast path: before, the same object; after, a copy with both ends moved by the
 * event's total length change and the old quote and context.
 */
export function shiftCodings(
  codings: readonly Coding[],
  changes: readonly TextChange[],
  newText: string | TextSource,
): { codings: Coding[]; collapsed: Coding[] } {
  const sorted = changes.length > 1 ? [...changes].sort(byDescendingOffset) : changes;
  let first = Infinity;
  let last = -Infinity;
  let delta = 0;
  for (const c of sorted) {
    first = Math.min(first, c.offset);
    last = Math.max(last, c.offset + c.length);
    delta += c.text.length - c.length;
  }
  const out: Coding[] = new Array<Coding>(codings.length);
  const collapsed: Coding[] = [];
  for (let i = 0; i < codings.length; i++) {
    const coding = codings[i];
    const { start, end } = coding.anchor;
    if (coding.orphaned || end + CONTEXT_LENGTH < first) {
      // Orphans wait for re-anchoring; codings whose context ends before every edit are untouched.
      out[i] = coding;
      continue;
    }
    if (start - CONTEXT_LENGTH > last) {
      // Every edit lies before the context: the same words, moved.
      const a = coding.anchor;
      out[i] =
        delta === 0 ? coding : withAnchor(coding, { start: start + delta, end: end + delta, prefix: a.prefix, quote: a.quote, suffix: a.suffix });
      continue;
    }
    const shifted = shiftSorted(start, end, sorted);
    if (shifted.collapsed) {
      // The words are gone (perhaps only until an undo): keep the old text so re-anchoring can
      // find them again, and let the caller report the orphan.
      const orphan: Coding = { ...withAnchor(coding, { ...coding.anchor, start: shifted.start, end: shifted.end }), orphaned: true };
      out[i] = orphan;
      collapsed.push(orphan);
    } else if (touchesContext(start, end, sorted)) {
      const anchor =
        typeof newText === 'string' ? makeAnchor(newText, shifted.start, shifted.end) : makeAnchorFrom(newText, shifted.start, shifted.end);
      out[i] = withAnchor(coding, anchor);
    } else if (shifted.start !== start || shifted.end !== end) {
      const { prefix, quote, suffix } = coding.anchor;
      out[i] = withAnchor(coding, { start: shifted.start, end: shifted.end, prefix, quote, suffix });
    } else {
      out[i] = coding;
    }
  }
  return { codings: out, collapsed };
}

// ---------------------------------------------------------------------------------------------
// Re-anchoring against a changed text

// Weights of the combined score: the quote itself is the main evidence, the context tells
// repeated phrases apart, nearness only breaks near-ties.
const QUOTE_WEIGHT = 0.6;
const PREFIX_WEIGHT = 0.175;
const SUFFIX_WEIGHT = 0.175;
const NEAR_WEIGHT = 0.05;
/** distance (code units) at which the nearness term has dropped to one half */
const NEAR_SCALE = 1000;

/** An exact occurrence elsewhere needs quote length + matching context units at least this, */
const MIN_EXACT_EVIDENCE = 24;
/** and at least this many matching context units: the same words said twice are two utterances. */
const MIN_EXACT_CONTEXT = 8;

// Unrelated 32-unit contexts of interview text have a similarity of about 0.2 (0.35 at the 99th
// percentile). With such context even an intact quote scores only about 0.67 + nearness, so
// MIN_FUZZY_SCORE demands that some context corroborates the match.
const MIN_QUOTE_SIMILARITY = 0.75;
const MIN_FUZZY_SCORE = 0.7;
/** Quotes shorter than this are not distinctive: a fuzzy match also needs corroborating context. */
const SHORT_QUOTE = 24;
const MIN_SHORT_QUOTE_CONTEXT = 0.5;
/** A long quote that is nearly intact is evidence enough on its own, whatever its context. */
const DISTINCTIVE_QUOTE = 64;
const DISTINCTIVE_SIMILARITY = 0.9;
/** The winner must beat the best candidate at another place by this much, or it is ambiguous. */
const AMBIGUITY_MARGIN = 0.05;
/** Myers' search costs O(text · errors / 32); long quotes must therefore match more closely. */
const MAX_ERRORS = 256;
const FUZZY_WINDOW = 4000;
/**
 * The approximate searches' reach once a neighbouring coding was found: its shift predicts this one's
 * to within the edits between them, so a quarter of FUZZY_WINDOW suffices, and the search cost is
 * proportional to it. Where nothing is found there, the searches widen as before.
 */
const NEAR_WINDOW = 1000;

function nearness(start: number, oldStart: number): number {
  return 1 / (1 + Math.abs(start - oldStart) / NEAR_SCALE);
}

function combine(quoteSim: number, prefixSim: number, suffixSim: number, near: number): number {
  return QUOTE_WEIGHT * quoteSim + PREFIX_WEIGHT * prefixSim + SUFFIX_WEIGHT * suffixSim + NEAR_WEIGHT * near;
}

/**
 * How many context units match around an exact occurrence at `start`, counted from the
 * occurrence outwards. A stored context shorter than CONTEXT_LENGTH means the segment touched the
 * start or end of the document; an occurrence that touches it too gets full marks.
 */
function exactContext(anchor: Anchor, text: string, start: number) {
  const { prefix, suffix, quote } = anchor;
  let p = 0;
  while (
    p < prefix.length &&
    start - 1 - p >= 0 &&
    text.charCodeAt(start - 1 - p) === prefix.charCodeAt(prefix.length - 1 - p)
  ) {
    p++;
  }
  const end = start + quote.length;
  let s = 0;
  while (s < suffix.length && end + s < text.length && text.charCodeAt(end + s) === suffix.charCodeAt(s)) s++;
  const full = p === prefix.length && s === suffix.length;
  const prefixUnits = p === prefix.length && start - p === 0 ? CONTEXT_LENGTH : p;
  const suffixUnits = s === suffix.length && end + s === text.length ? CONTEXT_LENGTH : s;
  return { prefixUnits, suffixUnits, full };
}

function findExact(anchor: Anchor, text: string, hint: number): ReanchorResult | undefined {
  const { quote } = anchor;
  const atStored = anchor.start >= 0 && text.startsWith(quote, anchor.start);
  let best = -1;
  let bestContext = -1;
  let bestDistance = Infinity;
  let bestScore = 0;
  const seen = new Set<number>();
  const consider = (at: number): boolean => {
    seen.add(at);
    const c = exactContext(anchor, text, at);
    const context = c.prefixUnits + c.suffixUnits;
    // The stored position wins ties: it needs no move at all.
    const distance = atStored && at === anchor.start ? -1 : Math.abs(at - hint);
    if (context > bestContext || (context === bestContext && distance < bestDistance)) {
      best = at;
      bestContext = context;
      bestDistance = distance;
      const prefixSim = Math.min(1, c.prefixUnits / CONTEXT_LENGTH);
      bestScore = combine(1, prefixSim, Math.min(1, c.suffixUnits / CONTEXT_LENGTH), nearness(at, hint));
    }
    return c.full;
  };
  if (atStored && consider(anchor.start)) {
    // The stored context matches in full, but it may be shorter than the context is now: one unit is
    // left off where the limit falls inside an emoji, and text typed there since makes it whole again.
    const now = makeAnchor(text, anchor.start, anchor.start + quote.length);
    const same = now.prefix === anchor.prefix && now.suffix === anchor.suffix;
    return { anchor: same ? anchor : now, status: 'unchanged', score: 1 };
  }
  // Near the expected position first: an occurrence there with perfect context cannot be beaten
  // by one further away (equal context loses on distance), which spares a scan of the whole text
  // per coding after an edit near the top of a long document. The slice makes indexOf stop at
  // the window's end.
  const nearFrom = Math.max(0, hint - FUZZY_WINDOW);
  const near = text.slice(nearFrom, hint + FUZZY_WINDOW + quote.length);
  for (let i = near.indexOf(quote); i !== -1; i = near.indexOf(quote, i + 1)) consider(nearFrom + i);
  if (bestContext < 2 * CONTEXT_LENGTH) {
    for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) consider(i);
  }
  const occurrences = seen.size;
  if (best === -1) return undefined;
  // The stored position stays unless another occurrence has strictly better context and enough
  // evidence to justify a move. Elsewhere, an occurrence needs some of its old context: a copy of
  // the words with none of it is more likely the same phrase said at another time than the coded
  // one moved (the coded one may be there, edited: the context-pinned search below finds it). Only
  // a long quote that occurs once is distinctive enough on its own.
  const weak = quote.length + bestContext < MIN_EXACT_EVIDENCE;
  if (atStored && (best === anchor.start || weak)) {
    return grown(anchor, text, anchor.start, bestScore) ?? { anchor: makeAnchor(text, anchor.start, anchor.start + quote.length), status: 'unchanged', score: 1 };
  }
  const distinctive = quote.length >= DISTINCTIVE_QUOTE && occurrences === 1;
  // Context across a line break is the next turn's label ("\n\nInterviewer: "), said at every turn:
  // far from where the quote is expected it does not tell this occurrence from another copy of the words.
  const evidence = Math.abs(best - hint) <= NEAR_WINDOW ? bestContext : sameTurnContext(anchor, text, best);
  if (weak || (evidence < MIN_EXACT_CONTEXT && !distinctive)) return undefined;
  return grown(anchor, text, best, bestScore) ?? { anchor: makeAnchor(text, best, best + quote.length), status: 'moved', score: bestScore };
}

/** exactContext's matching units around an exact occurrence, each side counted only up to a line break. */
function sameTurnContext(anchor: Anchor, text: string, start: number): number {
  const { prefix, suffix, quote } = anchor;
  let p = 0;
  while (p < prefix.length && start - 1 - p >= 0 && text.charCodeAt(start - 1 - p) === prefix.charCodeAt(prefix.length - 1 - p) && prefix.charCodeAt(prefix.length - 1 - p) !== 10) p++;
  const end = start + quote.length;
  let s = 0;
  while (s < suffix.length && end + s < text.length && text.charCodeAt(end + s) === suffix.charCodeAt(s) && suffix.charCodeAt(s) !== 10) s++;
  const prefixUnits = p === prefix.length && start - p === 0 ? CONTEXT_LENGTH : p;
  const suffixUnits = s === suffix.length && end + s === text.length ? CONTEXT_LENGTH : s;
  return prefixUnits + suffixUnits;
}

/** How far past an exact occurrence its old suffix may be found again, a sentence inserted between them. */
const GROWN_REACH = 4 * CONTEXT_LENGTH;
/** The end of a sentence, with the space after it. */
const SENTENCE_END = /[.!?…]["'»”’)\]]*\s+$/u;

/**
 * An exact occurrence at `start` with its old prefix intact but not its old suffix, where the whole old
 * suffix is found once a little further on, right after another copy of the quote's last word, and the
 * quote's last word begins a sentence: a sentence was inserted inside the quote, right before the
 * sentence its last word begins ("…her. [Day two was long. ]Day fellesrommet"). The quote's last word
 * is the one still next to its old suffix, and the span grows to it, as typing there would have grown
 * the segment. (Read the other way, the same text would be words inserted in the middle of a sentence,
 * right after the quote, ending with a copy of its last word, and ending a sentence there.) Undefined
 * where that is not so.
 */
function grown(anchor: Anchor, text: string, start: number, score: number): ReanchorResult | undefined {
  const { prefix, quote, suffix } = anchor;
  const end = start + quote.length;
  if (suffix.length < MIN_PIN_LENGTH || !text.endsWith(prefix, start) || text.startsWith(suffix, end)) return undefined;
  const last = /\s(\S+)$/.exec(quote);
  if (!last || !SENTENCE_END.test(quote.slice(0, last.index + 1))) return undefined;
  const at = uniqueIn(text, suffix, end + 1, Math.min(text.length, end + GROWN_REACH + suffix.length));
  if (at < 0 || !text.endsWith(last[0], at)) return undefined;
  // The sentence inserted: from the quote's last word where it was to its copy next to the old suffix.
  const word = last[1].length;
  const inserted = text.slice(end - word, at - word);
  if (!SENTENCE_END.test(inserted)) return undefined;
  return { anchor: makeAnchor(text, start, at), status: 'fuzzy', score };
}

/** Levenshtein distance, for contexts and (when refining a fuzzy match) quotes. */
function editDistance(x: string, y: string): number {
  // A common head and tail never change the distance (an optimal alignment can always match them),
  // and a quote compared with its slightly edited self is mostly head and tail.
  let head = 0;
  const shorter = Math.min(x.length, y.length);
  while (head < shorter && x.charCodeAt(head) === y.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < shorter - head && x.charCodeAt(x.length - 1 - tail) === y.charCodeAt(y.length - 1 - tail)) tail++;
  const a = x.slice(head, x.length - tail);
  const b = y.slice(head, y.length - tail);
  if (a.length === 0 || b.length === 0) return a.length + b.length;
  let previous = new Uint32Array(b.length + 1);
  let current = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

/**
 * Edit distance from `quote` to `span` through approx-string-match (bit-parallel, so long quotes stay
 * cheap): the best alignment of the whole quote inside the span plus the span's units left outside
 * it. An upper bound of the true distance, equal to it whenever the span's extra text lies at its
 * edges. `Infinity` beyond `maxErrors`.
 */
function spanDistance(quote: string, span: string, maxErrors: number): number {
  // Myers reports only the matches with the fewest errors, so a search allowing a quarter of the
  // errors that finds anything finds the same, and sooner (its cost grows with the errors allowed).
  const allowed = Math.min(maxErrors, quote.length);
  let matches = allowed >= 8 ? search(span, quote, Math.floor(allowed / 4)) : [];
  if (matches.length === 0) matches = search(span, quote, allowed);
  let best = Infinity;
  for (const m of matches) {
    best = Math.min(best, m.errors + span.length - (m.end - m.start));
  }
  return best;
}

/**
 * How alike an old context and the context now are within the quote's own turn: the old prefix after its
 * last line break (the old suffix before its first), against as many units of the new one next to the
 * span. Text across a line break is the next turn's label or a stock question, said at every turn: it
 * tells nothing about which copy of some words is the coded one. 0 where fewer than MIN_EXACT_CONTEXT
 * units of the old context are in the turn.
 */
function turnSimilarity(old: string, now: string, before: boolean): number {
  const part = before ? old.slice(old.lastIndexOf('\n') + 1) : old.slice(0, old.indexOf('\n') === -1 ? old.length : old.indexOf('\n'));
  if (part.length < MIN_EXACT_CONTEXT) return 0;
  return similarity(part, before ? now.slice(Math.max(0, now.length - part.length)) : now.slice(0, part.length));
}

function similarity(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  return n === 0 ? 1 : 1 - editDistance(a, b) / n;
}

interface Match {
  start: number;
  end: number;
  errors: number;
}

interface Candidate {
  start: number;
  end: number;
  errors: number;
  quoteSim: number;
  contextSim: number;
  /** the better of the prefix's and the suffix's similarity */
  sideSim: number;
  score: number;
}

/** One fuzzy search: the anchor, the new text, where we expect it, how many errors we allow. */
interface Query {
  anchor: Anchor;
  text: string;
  hint: number;
  maxErrors: number;
}

function score(q: Query, m: Match): Candidate {
  const quoteSim = 1 - m.errors / q.anchor.quote.length;
  const context = contextOf(q.text, m.start, m.end);
  const prefixSim = similarity(q.anchor.prefix, context.prefix);
  const suffixSim = similarity(q.anchor.suffix, context.suffix);
  return {
    start: m.start,
    end: m.end,
    errors: m.errors,
    quoteSim,
    contextSim: (prefixSim + suffixSim) / 2,
    sideSim: Math.max(turnSimilarity(q.anchor.prefix, context.prefix, true), turnSimilarity(q.anchor.suffix, context.suffix, false)),
    score: combine(quoteSim, prefixSim, suffixSim, nearness(m.start, q.hint)),
  };
}

// Myers reports every end position with the lowest error count, so one place shows up as a run
// of overlapping matches. Merge them into places and keep the best-scoring variant of each.
function places(q: Query, from: number, to: number): Candidate[] {
  const { text, anchor, maxErrors } = q;
  if (to - from < anchor.quote.length - maxErrors) return [];
  const matches = search(text.slice(from, to), anchor.quote, maxErrors);
  const out: Candidate[] = [];
  let placeEnd = -1;
  for (const m of matches.sort((a, b) => a.start - b.start || a.end - b.end)) {
    const candidate = score(q, { start: m.start + from, end: m.end + from, errors: m.errors });
    const last = out[out.length - 1];
    if (last && candidate.start < placeEnd) {
      if (candidate.score > last.score) out[out.length - 1] = candidate;
      placeEnd = Math.max(placeEnd, candidate.end);
    } else {
      out.push(candidate);
      placeEnd = candidate.end;
    }
  }
  return out;
}

type Verdict = { kind: 'accepted'; candidate: Candidate } | { kind: 'ambiguous' } | { kind: 'none' };

type Range = readonly [number, number];

/** The best approximate match of the quote in the given (sorted, disjoint) ranges of the text. */
function judge(q: Query, ranges: readonly Range[]): Verdict {
  const quoteLength = q.anchor.quote.length;
  const candidates: Candidate[] = [];
  for (const [from, to] of ranges) {
    const first = places(q, from, to);
    if (first.length === 0) continue;
    // Myers only reports the lowest error count. Search the gaps between those places once more,
    // so that a runner-up with an extra error (or a winner with better context) is seen too.
    candidates.push(...first);
    let gapStart = from;
    for (const place of [...first, { start: to, end: to }]) {
      candidates.push(...places(q, gapStart, place.start));
      gapStart = Math.max(gapStart, place.end);
    }
  }
  if (candidates.length === 0) return { kind: 'none' };
  candidates.sort((a, b) => b.score - a.score);
  const winner = candidates[0];
  const acceptable =
    winner.quoteSim >= MIN_QUOTE_SIMILARITY &&
    (winner.score >= MIN_FUZZY_SCORE ||
      (quoteLength >= DISTINCTIVE_QUOTE && winner.quoteSim >= DISTINCTIVE_SIMILARITY)) &&
    (quoteLength >= SHORT_QUOTE || winner.contextSim >= MIN_SHORT_QUOTE_CONTEXT) &&
    // The quote word for word with neither old context near it (within its turn: see turnSimilarity) is
    // the same words said at another time:
    // findExact turned it down as such, and its score must not bring it back.
    (winner.errors > 0 || winner.sideSim >= MIN_SHORT_QUOTE_CONTEXT);
  if (!acceptable) return { kind: 'none' };
  const runnerUp = candidates.find((c) => c.end <= winner.start || c.start >= winner.end);
  if (runnerUp && winner.score - runnerUp.score < AMBIGUITY_MARGIN) return { kind: 'ambiguous' };
  return { kind: 'accepted', candidate: winner };
}

/** Beyond this quote length the quadratic edit distance of `refineBoundaries` is not worth it. */
const MAX_REFINE_LENGTH = 2000;

/** Where `context` (approximately) occurs in text[from, to): the occurrence nearest to `near`. */
function locateContext(text: string, context: string, from: number, to: number, near: number, useEnd: boolean) {
  if (context.length < 8) return undefined;
  const lo = Math.max(0, from);
  const matches = search(text.slice(lo, Math.min(text.length, to)), context, Math.floor(context.length / 4));
  let best: number | undefined;
  for (const m of matches) {
    const at = lo + (useEnd ? m.end : m.start);
    if (best === undefined || Math.abs(at - near) < Math.abs(best - near)) best = at;
  }
  return best;
}

// Myers picks the span with the fewest errors, which cuts a changed word at the quote's edge
// ("med barna" -> "med ung|ene"). Where the stored prefix and suffix are still found next to the
// match, they mark the real boundaries. The refined span is kept only if it scores better and
// the units it adds or drops partly match the quote (fewer new errors than units moved): a
// heading inserted right after the quote must not be swallowed just because the old suffix
// follows it.
function refineBoundaries(q: Query, candidate: Candidate): Candidate {
  const { text, maxErrors: slack } = q;
  const { prefix, suffix, quote } = q.anchor;
  if (quote.length > MAX_REFINE_LENGTH) return candidate;
  const { start, end } = candidate;
  const newStart = locateContext(text, prefix, start - slack - prefix.length, start + slack, start, true) ?? start;
  const newEnd = locateContext(text, suffix, end - slack, end + slack + suffix.length, end, false) ?? end;
  if ((newStart === start && newEnd === end) || newEnd <= newStart) return candidate;
  const refined = score(q, { start: newStart, end: newEnd, errors: quoteDistance(quote, text.slice(newStart, newEnd), quote.length + newEnd - newStart) });
  const unitsMoved = Math.abs(newStart - start) + Math.abs(newEnd - end);
  const better =
    refined.errors - candidate.errors < unitsMoved &&
    refined.quoteSim >= MIN_QUOTE_SIMILARITY &&
    refined.score > candidate.score;
  return better ? refined : candidate;
}

/** Context shorter than this (near the start or end of a document) cannot pin a boundary. */
const MIN_PIN_LENGTH = 12;
/** A pinned span needs at least this much of the quote: both sides of context vouch for the rest. */
const MIN_PINNED_QUOTE_SIMILARITY = 0.5;

/** Approximate matches come in runs of overlapping variants of one place: keep the best of each run. */
function bestOfRuns(matches: Match[]): Match[] {
  const out: Match[] = [];
  for (const m of [...matches].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const last = out[out.length - 1];
    if (last && m.start < last.end) {
      if (m.errors < last.errors) out[out.length - 1] = m;
    } else {
      out.push(m);
    }
  }
  return out;
}

/**
 * The segment between its old prefix and its old suffix, both found again (almost) intact near
 * where the segment is expected. This is what finds a quote that changed more than a fuzzy match
 * allows (a sentence inserted inside it, its last sentence deleted), and it keeps the boundaries
 * where the context says they are, instead of where an alignment with fewer errors would put them.
 */
function findPinned(anchor: Anchor, text: string, hint: number, reach: number): ReanchorResult | undefined {
  const { prefix, suffix, quote } = anchor;
  if (prefix.length < MIN_PIN_LENGTH || suffix.length < MIN_PIN_LENGTH || quote.length > MAX_REFINE_LENGTH) return undefined;
  const from = Math.max(0, hint - reach - prefix.length);
  const to = Math.min(text.length, hint + 2 * quote.length + reach + suffix.length);
  const window = text.slice(from, to);
  const ends = bestOfRuns(search(window, prefix, Math.floor(prefix.length / 8))).map((m) => from + m.end);
  if (ends.length === 0) return undefined;
  const starts = bestOfRuns(search(window, suffix, Math.floor(suffix.length / 8))).map((m) => from + m.start);
  const spans: { start: number; end: number; quoteSim: number }[] = [];
  for (const start of ends) {
    // The nearest suffix after this prefix, within a length the quote could have grown to.
    let end = -1;
    for (const s of starts) if (s >= start && s - start <= 2 * quote.length && (end === -1 || s < end)) end = s;
    if (end === -1 || end - start < quote.length * MIN_PINNED_QUOTE_SIMILARITY) continue;
    const span = text.slice(start, end);
    const length = Math.max(quote.length, span.length);
    // spanDistance overestimates when text was inserted in the middle; the quote's own first and
    // last words at both pinned boundaries are evidence enough there.
    const bounded = 1 - quoteDistance(quote, span, Math.floor(length * (1 - MIN_PINNED_QUOTE_SIMILARITY))) / length;
    const edges = startsLikeQuote(quote, text, start) && endsLikeQuote(quote, text, end);
    const quoteSim = edges ? Math.max(bounded, MIN_PINNED_QUOTE_SIMILARITY) : bounded;
    // A short quote (a word or two) replaced by other words at its place is gone, not edited: half of
    // two letters is no evidence. It needs its first and last words, or a close match.
    const enough = quote.length >= SHORT_QUOTE || edges || quoteSim >= MIN_QUOTE_SIMILARITY || sameEndWords(quote, span);
    if (quoteSim >= MIN_PINNED_QUOTE_SIMILARITY && enough) spans.push({ start, end, quoteSim });
  }
  if (spans.length === 0) return undefined;
  spans.sort((a, b) => b.quoteSim - a.quoteSim || Math.abs(a.start - hint) - Math.abs(b.start - hint));
  const [best, second] = spans;
  // Approximate matches of one context at neighbouring offsets describe the same place.
  const elsewhere = second && (second.end <= best.start || second.start >= best.end);
  if (elsewhere && best.quoteSim - second.quoteSim < AMBIGUITY_MARGIN) return undefined;
  const score = combine(best.quoteSim, 1, 1, nearness(best.start, hint));
  return { anchor: makeAnchor(text, best.start, best.end), status: 'fuzzy', score };
}

/** True when `span` starts with the quote's first word and ends with its last. */
function sameEndWords(quote: string, span: string): boolean {
  const words = quote.trim().split(/\s+/);
  return words[0] !== '' && span.startsWith(words[0]) && span.endsWith(words[words.length - 1]);
}

/** Pieces of the quote looked for word for word, to find where it may have moved far away. */
const FAR_PIECE = 16;
const FAR_PIECES = 12;
/** A piece that occurs more often than this is a stock phrase, not evidence of the quote. */
const MAX_FAR_OCCURRENCES = 8;

/**
 * Where in the whole text an edited quote that moved far away can be: around the exact occurrences
 * of up to FAR_PIECES disjoint pieces of it, spread over the quote. A quote with at most a quarter
 * of it edited nearly always keeps one such piece intact (edits come as words and sentences, not
 * one letter in every 16), and an approximate search of the whole text per coding not found nearby
 * would cost most of the time of re-anchoring a document.
 */
function farRanges(q: Query): Range[] {
  const { text, maxErrors } = q;
  const { quote } = q.anchor;
  const count = Math.min(FAR_PIECES, Math.floor(quote.length / FAR_PIECE));
  if (count < 2) return [[0, text.length]];
  const step = (quote.length - FAR_PIECE) / (count - 1);
  const ranges: [number, number][] = [];
  for (let k = 0; k < count; k++) {
    const offset = Math.round(k * step);
    const piece = quote.slice(offset, offset + FAR_PIECE);
    const found: [number, number][] = [];
    for (let at = text.indexOf(piece); at !== -1 && found.length <= MAX_FAR_OCCURRENCES; at = text.indexOf(piece, at + 1)) {
      // The quote starts about `offset` before the piece, give or take the errors allowed.
      found.push([Math.max(0, at - offset - maxErrors), Math.min(text.length, at - offset + quote.length + maxErrors)]);
    }
    // A piece said again and again ("\n\nInterviewer: ") tells nothing about where the quote is.
    if (found.length <= MAX_FAR_OCCURRENCES) ranges.push(...found);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push(r);
  }
  return merged;
}

/**
 * A close approximate match near `hint`, then anywhere. With `around` (a span the context already
 * placed), only there: the question is then where its boundaries are, not where it is.
 */
function findFuzzy(anchor: Anchor, text: string, hint: number, reach: number, around?: Anchor, widen = true): ReanchorResult | undefined {
  const { quote } = anchor;
  // Beyond a quarter of the quote length in errors the quote similarity threshold fails anyway.
  const maxErrors = Math.min(MAX_ERRORS, Math.floor(quote.length * (1 - MIN_QUOTE_SIMILARITY)));
  if (maxErrors < 1) return undefined;
  const q: Query = { anchor, text, hint, maxErrors };
  const center = Math.max(0, Math.min(text.length, hint));
  const from = Math.max(0, around ? around.start - maxErrors : center - reach);
  const to = Math.min(text.length, around ? around.end + maxErrors : center + quote.length + reach);
  let verdict = judge(q, [[from, to]]);
  if (widen && !around && verdict.kind === 'none' && (from > 0 || to < text.length)) verdict = judge(q, farRanges(q));
  return verdict.kind === 'accepted' ? fuzzyResult(q, verdict.candidate) : undefined;
}

/** The fuzzy match anywhere in the text, looked for only around exact pieces of the quote (see farRanges). */
function findFar(anchor: Anchor, text: string, hint: number): ReanchorResult | undefined {
  const maxErrors = Math.min(MAX_ERRORS, Math.floor(anchor.quote.length * (1 - MIN_QUOTE_SIMILARITY)));
  if (maxErrors < 1) return undefined;
  const q: Query = { anchor, text, hint, maxErrors };
  const verdict = judge(q, farRanges(q));
  return verdict.kind === 'accepted' ? fuzzyResult(q, verdict.candidate) : undefined;
}

/** An accepted approximate match, its boundaries refined by the old context. */
function fuzzyResult(q: Query, accepted: Candidate): ReanchorResult | undefined {
  const { anchor, text } = q;
  const { quote } = anchor;
  const candidate = refineBoundaries(q, accepted);
  const span = withoutContext(anchor, text, candidate);
  if (span.end <= span.start) return undefined;
  if (span.start !== candidate.start || span.end !== candidate.end) {
    // What is left between the context must still be half the quote at least (as for a pinned span).
    const length = Math.max(quote.length, span.end - span.start);
    const allowed = Math.floor(length * (1 - MIN_PINNED_QUOTE_SIMILARITY));
    if (quoteDistance(quote, text.slice(span.start, span.end), allowed) > allowed) return undefined;
  }
  return { anchor: makeAnchor(text, span.start, span.end), status: 'fuzzy', score: candidate.score };
}

/**
 * A span without the coding's old prefix or suffix where they are still there word for word: those
 * words were next to the coding, never in it. A short quote whose words were deleted could otherwise be
 * found again on a neighbour that happens to say the same ("window window 🌊" with "window 🌊" deleted:
 * nothing is left, and the coding is orphaned).
 */
function withoutContext(anchor: Anchor, text: string, span: { start: number; end: number }): { start: number; end: number } {
  const { prefix, suffix } = anchor;
  let { start, end } = span;
  // A match wholly inside the old prefix or suffix, still there word for word, is on the context's words.
  for (const context of [prefix, suffix]) {
    if (context.length < MIN_PIN_LENGTH) continue;
    const at = text.indexOf(context, Math.max(0, end - context.length));
    if (at !== -1 && at <= start) return { start: end, end };
  }
  // Where the context is right next to the span, a copy of it inside is words the quote repeats.
  if (prefix.length >= MIN_PIN_LENGTH && end - prefix.length >= 0 && !text.endsWith(prefix, start)) {
    const at = text.lastIndexOf(prefix, end - prefix.length);
    if (at !== -1 && at + prefix.length > start) start = at + prefix.length;
  }
  if (suffix.length >= MIN_PIN_LENGTH && !text.startsWith(suffix, end)) {
    const at = text.indexOf(suffix, start);
    if (at !== -1 && at < end) end = at;
  }
  // Words deleted across the boundary took the prefix's end (the suffix's start) and the quote's first
  // (last) words: what survives of the prefix (suffix), its first (last) words up to a space, ends
  // (begins) where the quote's surviving words begin (end). A match that takes those words in runs over
  // the context (a short quote aligns its deleted first words with the prefix's surviving last ones).
  if (start === span.start && prefix.length >= MIN_PIN_LENGTH && !text.endsWith(prefix, start)) {
    for (let k = prefix.length - 1; k >= MIN_PIN_LENGTH; k--) {
      if (!/\s/.test(prefix.charAt(k - 1))) continue;
      // Only where it crosses the match's start: a copy inside the match is words the quote repeats.
      const at = uniqueIn(text, prefix.slice(0, k), Math.max(0, start - k + 1), Math.min(end, start + k - 1));
      if (at >= 0 && at < start && at + k < end) {
        start = at + k;
        break;
      }
    }
  }
  const c = suffix.length;
  if (end === span.end && c >= MIN_PIN_LENGTH && !text.startsWith(suffix, end)) {
    for (let k = c - 1; k >= MIN_PIN_LENGTH; k--) {
      if (!/\s/.test(suffix.charAt(c - k))) continue;
      const at = uniqueIn(text, suffix.slice(c - k), Math.max(start + 1, end - k + 1), Math.min(text.length, end + k - 1));
      if (at > start && at < end) {
        end = at;
        break;
      }
    }
  }
  return { start, end };
}

/** How many units of the quote's head or tail must be recognisable at a boundary. */
const EDGE_LENGTH = 16;

function edgeMatches(edge: string, found: string): boolean {
  return edge.length > 0 && editDistance(edge, found) <= Math.floor(edge.length / 4);
}

/** ...or this many units of it unchanged, the words right at the boundary (the edit came after them). */
const EDGE_EXACT = 8;

function startsLikeQuote(quote: string, text: string, at: number): boolean {
  const n = Math.min(EDGE_LENGTH, quote.length);
  const exact = Math.min(EDGE_EXACT, quote.length);
  return text.startsWith(quote.slice(0, exact), at) || edgeMatches(quote.slice(0, n), text.slice(at, at + n));
}

function endsLikeQuote(quote: string, text: string, at: number): boolean {
  const n = Math.min(EDGE_LENGTH, quote.length);
  const exact = Math.min(EDGE_EXACT, quote.length);
  return (
    text.endsWith(quote.slice(quote.length - exact), at) ||
    edgeMatches(quote.slice(quote.length - n), text.slice(Math.max(0, at - n), at))
  );
}

/**
 * The pinned span (between the old prefix and suffix) and the fuzzy match (fewest errors) usually
 * agree. Where they differ at the same place, the context marks the boundaries: the fuzzy match may
 * not run over the old prefix or suffix, and where it stops short of them, the gap belongs to the
 * segment only if the quote's own first (or last) words are there (text inserted just outside the
 * quote, a heading say, stays outside, as it does when typing: see shiftAnchor).
 */
function choose(anchor: Anchor, text: string, pinned?: ReanchorResult, fuzzy?: ReanchorResult): ReanchorResult | undefined {
  if (pinned) {
    // The quote word for word, once, between the old prefix and suffix: text inserted next to it (inside
    // the context) stays outside, as it does when typing.
    const { start, end } = pinned.anchor;
    const quote = anchor.quote;
    const at = text.indexOf(quote, start);
    const again = at === -1 ? -1 : text.indexOf(quote, at + 1);
    if (at !== -1 && at + quote.length <= end && (again === -1 || again + quote.length > end)) {
      return { anchor: makeAnchor(text, at, at + quote.length), status: 'fuzzy', score: pinned.score };
    }
  }
  if (!pinned || !fuzzy) return pinned ?? fuzzy;
  const p = pinned.anchor;
  const f = fuzzy.anchor;
  if (f.end <= p.start || f.start >= p.end) return pinned.score >= fuzzy.score ? pinned : fuzzy;
  // The quote word for word: its own ends are the boundaries (an approximate match of an edited suffix
  // can start inside the quote when the quote's last word follows again).
  if (text.slice(f.start, f.end) === anchor.quote) return fuzzy;
  let start = Math.max(f.start, p.start);
  let end = Math.min(f.end, p.end);
  if (p.start < start && startsLikeQuote(anchor.quote, text, p.start)) start = p.start;
  if (p.end > end && endsLikeQuote(anchor.quote, text, p.end)) end = p.end;
  if (start === f.start && end === f.end) return fuzzy;
  return { anchor: makeAnchor(text, start, end), status: 'fuzzy', score: Math.max(pinned.score, fuzzy.score) };
}

// ---------------------------------------------------------------------------------------------
// Pinning both boundaries by exact pieces (the common case, before any approximate search)

/** Units of the quote's head and tail searched for exactly (at most half of the quote). */
const PIECE_LENGTH = 32;

/**
 * Where `piece` starts in text[from, to): the one occurrence there, -1 when there is none, -2 when
 * there are several (a repeated phrase pins nothing).
 */
function uniqueIn(text: string, piece: string, from: number, to: number): number {
  // The slice makes indexOf stop at the window's end (V8 does not copy it).
  const window = text.slice(from, to);
  const at = window.indexOf(piece);
  if (at === -1) return -1;
  return window.indexOf(piece, at + 1) === -1 ? from + at : -2;
}

/**
 * Edit distance of the quote and a span, cheaply: the exact (quadratic) distance when what differs
 * between them after their common head and tail is small, else spanDistance's upper bound.
 */
function quoteDistance(quote: string, span: string, maxErrors: number): number {
  let head = 0;
  const shorter = Math.min(quote.length, span.length);
  while (head < shorter && quote.charCodeAt(head) === span.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < shorter - head && quote.charCodeAt(quote.length - 1 - tail) === span.charCodeAt(span.length - 1 - tail)) tail++;
  const a = quote.length - head - tail;
  const b = span.length - head - tail;
  if (Math.abs(a - b) > maxErrors) return Infinity;
  return splitDistance(quote.slice(head, quote.length - tail), span.slice(head, span.length - tail), maxErrors);
}

/** Below this many cells the quadratic edit distance is cheaper than looking for a split. */
const SMALL_DISTANCE = 4096;
const SPLIT_PIECE = 12;

/**
 * Edit distance of two strings whose common head and tail are trimmed, or an upper bound of it: where a
 * 12-unit piece of `a` (from its middle, else a quarter in) occurs in `b`, near where it would with
 * the edits spread evenly, the two sides are aligned separately. A quote and its edited self share
 * such pieces between the edits, and in ordinary text the alignment through them is the best one.
 */
function splitDistance(a: string, b: string, maxErrors: number): number {
  if (a.length === 0 || b.length === 0) return a.length + b.length;
  if (Math.abs(a.length - b.length) > maxErrors) return Infinity;
  if (a.length * b.length <= SMALL_DISTANCE) return editDistance(a, b);
  if (a.length >= 3 * SPLIT_PIECE) {
    for (const at of [a.length >> 1, a.length >> 2, (3 * a.length) >> 2]) {
      const i = at - (SPLIT_PIECE >> 1);
      const piece = a.slice(i, i + SPLIT_PIECE);
      const expected = Math.round((i * b.length) / a.length);
      const lo = Math.max(0, expected - maxErrors);
      const window = b.slice(lo, expected + maxErrors + SPLIT_PIECE);
      let j = -1;
      for (let k = window.indexOf(piece); k !== -1; k = window.indexOf(piece, k + 1)) {
        if (j === -1 || Math.abs(lo + k - expected) < Math.abs(j - expected)) j = lo + k;
      }
      if (j === -1) continue;
      const left = editDistanceTrimmed(a.slice(0, i), b.slice(0, j), maxErrors);
      if (left > maxErrors) return Infinity;
      return left + editDistanceTrimmed(a.slice(i + SPLIT_PIECE), b.slice(j + SPLIT_PIECE), maxErrors - left);
    }
  }
  return a.length * b.length <= 40_000 ? editDistance(a, b) : spanDistance(a, b, maxErrors);
}

function editDistanceTrimmed(a: string, b: string, maxErrors: number): number {
  let head = 0;
  const shorter = Math.min(a.length, b.length);
  while (head < shorter && a.charCodeAt(head) === b.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < shorter - head && a.charCodeAt(a.length - 1 - tail) === b.charCodeAt(b.length - 1 - tail)) tail++;
  return splitDistance(a.slice(head, a.length - tail), b.slice(head, b.length - tail), maxErrors);
}

/**
 * The fewest edits that turn `piece` into some text starting at `at` (or, with `backwards`, ending at
 * `at`) of up to 1.5 times its length: how well the quote's first (last) words fit right at a boundary.
 */
function edgeErrors(piece: string, text: string, at: number, backwards: boolean): number {
  return edgeAlignment(piece, text, at, backwards).errors;
}

/**
 * edgeErrors, and how many units of the text the best such alignment takes in (of equally good ones,
 * the one taking in most); `extra` units beyond the piece's length may be taken in.
 */
function edgeAlignment(piece: string, text: string, at: number, backwards: boolean, extra = piece.length >> 1): { errors: number; consumed: number } {
  const m = piece.length;
  const span = backwards ? text.slice(Math.max(0, at - m - extra), at) : text.slice(at, at + m + extra);
  const n = span.length;
  // Align the piece's units (from the boundary outwards) against the span's; the far end is free.
  let previous = new Uint32Array(n + 1);
  let current = new Uint32Array(n + 1);
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= m; i++) {
    current[0] = i;
    const c = piece.charCodeAt(backwards ? m - i : i - 1);
    for (let j = 1; j <= n; j++) {
      const t = span.charCodeAt(backwards ? n - j : j - 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (c === t ? 0 : 1));
    }
    [previous, current] = [current, previous];
  }
  let errors = Infinity;
  let consumed = 0;
  for (let j = 0; j <= n; j++) {
    if (previous[j] <= errors) {
      errors = previous[j];
      consumed = j;
    }
  }
  return { errors, consumed };
}

/** How well the old context must fit next to the quote's first (last) words found beyond inserted text. */
const MIN_EDGE_CONTEXT = 0.5;

/** Units next to a boundary that, found word for word among the quote's first (last) units, show the quote resumes there. */
const EDGE_RESUME = 12;

/** The quote's first (last) word, with the space after (before) it, is at `at` word for word. */
function sameWord(quote: string, text: string, at: number, backwards: boolean): boolean {
  if (backwards) {
    const m = /\s\S+$/.exec(quote);
    return m !== null && text.endsWith(m[0], at);
  }
  const m = /^\S+\s/.exec(quote);
  return m !== null && text.startsWith(m[0], at);
}

/**
 * Whether the quote's own first (with `backwards`, last) words are right at `at`, edited: the next
 * EDGE_RESUME units occur in its first n + EDGE_RESUME units (its first words were deleted or kept), or
 * its first n units fit there with at most a quarter of them edited (a word replaced).
 */
function quoteEdgeAt(quote: string, n: number, text: string, at: number, backwards: boolean): boolean {
  const q = quote.length;
  const reach = n + EDGE_RESUME;
  if (backwards) {
    const near = text.slice(Math.max(0, at - EDGE_RESUME), at);
    if (near.length === EDGE_RESUME && quote.slice(Math.max(0, q - reach)).includes(near)) return true;
    return edgeErrors(quote.slice(q - n), text, at, true) <= n >> 2 || sameWord(quote, text, at, true);
  }
  const near = text.slice(at, at + EDGE_RESUME);
  if (near.length === EDGE_RESUME && quote.slice(0, reach).includes(near)) return true;
  return edgeErrors(quote.slice(0, n), text, at, false) <= n >> 2 || sameWord(quote, text, at, false);
}

/**
 * The first (with `backwards`, last) surviving word of the quote, given the other boundary at `other`:
 * the first SHORT_PIECE units from a word start in the quote's first half (ending at a word end in its
 * last half) found exactly once where they would be, `slack` either way.
 */
function resume(anchor: Anchor, text: string, other: number, slack: number, backwards: boolean): Pin | undefined {
  const { quote } = anchor;
  const context = backwards ? anchor.suffix : anchor.prefix;
  const q = quote.length;
  for (let k = 1; k <= (q >> 1) - SHORT_PIECE; k++) {
    if (backwards) {
      // A piece ending at q - k, where a word ends.
      if (!/\s/.test(quote.charAt(q - k)) || /\s/.test(quote.charAt(q - k - 1))) continue;
      const piece = quote.slice(q - k - SHORT_PIECE, q - k);
      const expected = other + q - k;
      const at = uniqueIn(text, piece, Math.max(0, expected - slack - SHORT_PIECE), Math.min(text.length, expected + slack));
      if (at >= 0) return { at: extend(quote.slice(q - k), text, at + SHORT_PIECE, true, context), byContext: false, byQuote: true, resumed: true };
    } else {
      if (!/\s/.test(quote.charAt(k - 1)) || /\s/.test(quote.charAt(k))) continue;
      const piece = quote.slice(k, k + SHORT_PIECE);
      const expected = other - (q - k);
      const at = uniqueIn(text, piece, Math.max(0, expected - slack), Math.min(text.length, expected + slack + SHORT_PIECE));
      if (at >= 0) return { at: extend(quote.slice(0, k), text, at, false, context), byContext: false, byQuote: true, resumed: true };
    }
  }
  return undefined;
}

/**
 * The words of `skipped` (the quote's units before the resumed piece at `at`; with `backwards`, after
 * it) that survive right before `at`: from the first of them (the last) whose word, aligned with the rest
 * of `skipped`, is there word for word. Else, those words word for word a little further out, with text
 * inserted between them and `at`, where the old context (`context`: the prefix; with `backwards`, the
 * suffix) fits right next to them better than it fits at `at`. Else `at`: those words were deleted or
 * replaced.
 */
function extend(skipped: string, text: string, at: number, backwards: boolean, context: string): number {
  const words = [...skipped.matchAll(/\S+\s*/g)];
  if (backwards) words.reverse();
  const rests: string[] = [];
  for (const w of words) {
    const rest = backwards ? skipped.slice(0, w.index + w[0].length) : skipped.slice(w.index);
    if (rest.trim() === '') break;
    rests.push(rest);
    // Room for a few words inserted among them.
    const { consumed, errors } = edgeAlignment(rest, text, at, !backwards, Math.max(rest.length >> 1, CONTEXT_LENGTH));
    const edge = backwards ? at + consumed : at - consumed;
    // Unrelated text aligns with about three quarters of its units wrong; these words must do better.
    if (consumed > 0 && 3 * errors < 2 * rest.length && sameWord(rest, text, edge, backwards)) return edge;
  }
  // Where the alignment fails, the old context decides: how much of it fits next to an edge (words deleted
  // or inserted in it cost their length once). A context cut short by the document's edge fits only where
  // it reaches that edge again, word for word.
  const c = context.length;
  const fit =
    c >= MIN_PIN_LENGTH
      ? (edge: number) => 1 - edgeErrors(context, text, edge, !backwards) / c
      : (edge: number) => {
          const there = backwards ? edge + c === text.length && text.endsWith(context) : edge === c && text.startsWith(context);
          return there ? 1 : 0;
        };
  const here = fit(at);
  const word = (i: number) => i >= 0 && i < text.length && WORD_UNIT.test(text.charAt(i));
  // Words inserted right inside the quote's edge ("har [kjæresten permisjon vi] Ålesund") separate its
  // first (last) words from the rest: too many units for the alignment. They are found a little further
  // out, whole (the space or mark after them may be where the words were inserted).
  for (const rest of rests) {
    const whole = backwards ? rest.trimStart() : rest.trimEnd();
    const found = backwards
      ? uniqueIn(text, whole, at + 1, Math.min(text.length, at + CONTEXT_LENGTH + rest.length))
      : uniqueIn(text, whole, Math.max(0, at - CONTEXT_LENGTH - rest.length), at - 1);
    if (found < 0 || word(found - 1) || word(found + whole.length)) continue;
    const edge = backwards ? found + whole.length : found;
    const there = fit(edge);
    if (there >= MIN_EDGE_CONTEXT && there > here) return edge;
  }
  // Words deleted right after (before) the piece, the quote's last (first) words surviving right there.
  let next = at;
  if (backwards) while (next < text.length && /\s/.test(text.charAt(next))) next++;
  else while (next > 0 && /\s/.test(text.charAt(next - 1))) next--;
  const kept = backwards ? [...words].reverse().slice(1) : words.slice(0, -1).reverse();
  for (const w of kept) {
    // the last words of `skipped` from w on (its first words up to w), longest first
    const part = backwards ? skipped.slice(w.index).trimEnd() : skipped.slice(0, w.index + w[0].length).trimEnd();
    const edge = backwards ? next + part.length : next - part.length;
    const there = backwards ? text.startsWith(part, next) : text.endsWith(part, next);
    if (!there || word(backwards ? edge : edge - 1)) continue;
    const fits = fit(edge);
    if (fits >= MIN_EDGE_CONTEXT && fits > here) return edge;
  }
  // The quote's last words replaced by others ("jeg er." → "jeg fengselet."): where it ended with a mark,
  // the same mark after at most as many words again, none ending a sentence, with the old suffix there.
  const mark = skipped.charAt(skipped.length - 1);
  if (backwards && mark !== '' && !WORD_UNIT.test(mark) && !/\s/.test(mark)) {
    const most = 2 * words.length;
    let count = 0;
    for (let i = next; i < text.length && i - at <= skipped.length + HALF_CONTEXT; i++) {
      const ch = text.charAt(i);
      if (ch === mark) {
        if (count > 0 && count <= most && fit(i + 1) >= MIN_EDGE_CONTEXT && fit(i + 1) > here) return i + 1;
        break;
      }
      if (/[.!?…\n]/.test(ch)) break;
      if (word(i) && !word(i - 1)) count++;
    }
  }
  return at;
}

/** One boundary of the span, pinned: where, and whether the context, the quote's own piece or both were found there. */
interface Pin {
  at: number;
  byContext: boolean;
  byQuote: boolean;
  /** pinned by a later (earlier) word of the quote, its first (last) words gone */
  resumed?: boolean;
}

/** Shorter pieces tried for a boundary the full ones could not pin, near where the other boundary puts it. */
const SHORT_PIECE = 12;

/**
 * The start (with `backwards`, the end) of the span: where the last `c` units of the old prefix end
 * (the first `c` of the old suffix begin) and where the quote's first (last) `n` units begin (end),
 * each found exactly once in text[from, to). `undefined` where neither is found, `null` where they
 * disagree or a piece is repeated there.
 */
function pin(anchor: Anchor, n: number, c: number, text: string, from: number, to: number, backwards: boolean): Pin | null | undefined {
  const { prefix, suffix, quote } = anchor;
  const context = backwards ? suffix : prefix;
  const piece = context.length < MIN_PIN_LENGTH ? '' : backwards ? context.slice(0, c) : context.slice(context.length - c);
  const own = backwards ? quote.slice(quote.length - n) : quote.slice(0, n);
  const contextAt = piece === '' ? -1 : uniqueIn(text, piece, from, to);
  const quoteAt = uniqueIn(text, own, from, to);
  if (contextAt === -2 && quoteAt === -2) return null;
  // By context: the boundary is where the prefix ends (the suffix begins); by the quote: where its piece begins (ends).
  let byContext = contextAt < 0 ? -1 : backwards ? contextAt : contextAt + piece.length;
  let byQuote = quoteAt < 0 ? -1 : backwards ? quoteAt + n : quoteAt;
  // A piece repeated nearby ("\n\nInterviewer: ") pins nothing by itself, but may be right next to the other.
  if (contextAt === -2) {
    if (byQuote < 0) return null;
    const next = backwards ? text.startsWith(piece, byQuote) : text.endsWith(piece, byQuote);
    byContext = next ? byQuote : -1;
  } else if (quoteAt === -2) {
    if (byContext < 0) return null;
    const next = backwards ? text.endsWith(own, byContext) : text.startsWith(own, byContext);
    byQuote = next ? byContext : -1;
  }
  if (byContext < 0 && byQuote < 0) return undefined;
  if (byContext < 0 || byQuote < 0) return { at: Math.max(byContext, byQuote), byContext: byContext >= 0, byQuote: byQuote >= 0 };
  // Both pins must agree: the quote's own words at or after the end of the old prefix (at or before the
  // start of the old suffix); text inserted between them stays outside.
  if (backwards ? byQuote > byContext : byQuote < byContext) return null;
  return { at: byQuote, byContext: byQuote === byContext, byQuote: true };
}

/** Half the context: how much of the old context, or of the quote's own edge, vouches for a boundary. */
const HALF_CONTEXT = CONTEXT_LENGTH >> 1;

/**
 * How many units of `s` (up to HALF_CONTEXT) are word for word next to `at`: its last units right before
 * `at` (with `before`), else its first units right after `at`; a context that reached the document's
 * edge, and does so again, counts in full. With `turn`, only up to a line break.
 */
function adjacent(s: string, text: string, at: number, before: boolean, turn = false): number {
  const most = Math.min(s.length, HALF_CONTEXT);
  let k = 0;
  if (before) {
    while (k < most && at - 1 - k >= 0 && text.charCodeAt(at - 1 - k) === s.charCodeAt(s.length - 1 - k) && !(turn && s.charCodeAt(s.length - 1 - k) === 10)) k++;
    return k === s.length && at - k === 0 ? CONTEXT_LENGTH : k;
  }
  while (k < most && at + k < text.length && text.charCodeAt(at + k) === s.charCodeAt(k) && !(turn && s.charCodeAt(k) === 10)) k++;
  return k === s.length && at + k === text.length ? CONTEXT_LENGTH : k;
}

/**
 * Most edited quotes keep their boundaries recognisable word for word: the old prefix ends, or the
 * quote's first PIECE_LENGTH units begin, exactly once near the expected place, and likewise the old
 * suffix or the quote's last units at the end (where neither is, their last and first SHORT_PIECE units,
 * near where the other boundary and the quote's length put it). Each boundary is then pinned by exact
 * search (microseconds) instead of by approximate search (milliseconds). Text inserted between the
 * context and the quote's own first or last words stays outside, as it does when typing. The span must
 * still be the quote, closely (or, with both old contexts and both of the quote's edges in place, or one
 * boundary vouched for by its old context and the quote's edge together, with text inserted inside it).
 * Anything less clear-cut is left to the approximate searches.
 */
interface PiecesHint {
  /** where one boundary, pinned, puts the start */
  start?: number;
  /** both old contexts pinned word for word, with less than half the quote's length left between them */
  gone?: boolean;
  /** the quote's own first (last) surviving words, found word for word: no approximate match goes beyond them */
  from?: number;
  to?: number;
  /** the old prefix (suffix) alone found word for word: where it ends (begins) */
  edgeFrom?: number;
  edgeTo?: number;
}

/** Whether `piece` occurs more than once in `s`. */
function repeats(s: string, piece: string): boolean {
  const at = s.indexOf(piece);
  return at !== -1 && s.indexOf(piece, at + 1) !== -1;
}

function findByPieces(anchor: Anchor, text: string, hint: number, reach: number, pinned: PiecesHint): ReanchorResult | undefined {
  const { prefix, suffix, quote } = anchor;
  const q = quote.length;
  if (q < SHORT_QUOTE || q > MAX_REFINE_LENGTH) return undefined;
  const n = Math.min(PIECE_LENGTH, q >> 1);
  const from = Math.max(0, hint - reach - prefix.length);
  const to = Math.min(text.length, hint + 2 * q + reach + suffix.length);
  let first = pin(anchor, n, CONTEXT_LENGTH, text, from, to, false);
  // The end lies after the start: a copy of the quote's last words before it (a stock sentence said
  // earlier) pins nothing.
  let last = pin(anchor, n, CONTEXT_LENGTH, text, first ? first.at : from, to, true);
  if (first === null || last === null || (first === undefined && last === undefined)) return undefined;
  // The other boundary and the quote's length (give or take the quarter it may have changed) say where to look.
  const slack = (q >> 2) + SHORT_PIECE;
  if (first === undefined && last) {
    first = pin(anchor, SHORT_PIECE, SHORT_PIECE, text, Math.max(0, last.at - q - slack - SHORT_PIECE), last.at - q + slack + SHORT_PIECE, false);
  } else if (last === undefined && first) {
    last = pin(anchor, SHORT_PIECE, SHORT_PIECE, text, first.at + q - slack - SHORT_PIECE, Math.min(text.length, first.at + q + slack + SHORT_PIECE), true);
  }
  // Neither: the quote's first (last) words were deleted or replaced. Its first surviving word is where
  // a later piece of it begins, at the place the other boundary and that piece's offset put it.
  if (first === undefined && last) first = resume(anchor, text, last.at, slack, false);
  else if (last === undefined && first) last = resume(anchor, text, first.at, slack, true);
  // Where the approximate searches should look first, if it comes to them.
  if (first) pinned.start = first.at;
  else if (last) pinned.start = Math.max(0, last.at - q);
  // (Not where the quote says its own first (last) words again further in: "You just have to get through
  // the day. You just have to get through the day." may have pinned the copy inside it.)
  if (first?.byQuote && !repeats(quote, quote.slice(0, n))) pinned.from = first.at;
  if (last?.byQuote && !repeats(quote, quote.slice(q - n))) pinned.to = last.at;
  if (first?.byContext && !first.byQuote) pinned.edgeFrom = first.at;
  if (last?.byContext && !last.byQuote) pinned.edgeTo = last.at;
  if (!first || !last) return undefined;
  const start = first.at;
  const end = last.at;
  if (end - start < q * MIN_PINNED_QUOTE_SIMILARITY) {
    pinned.gone = first.byContext && last.byContext;
    return undefined;
  }
  // A boundary pinned by the context alone: the quote's own first (last) words, edited, must be right
  // there; text inserted between the context and them (a sentence after the quote) is not the quote.
  if (!first.byQuote && !quoteEdgeAt(quote, n, text, start, false)) return undefined;
  if (!last.byQuote && !quoteEdgeAt(quote, n, text, end, true)) return undefined;
  const span = text.slice(start, end);
  // With the old context on both sides, or on one side and the quote's own first and last words word for
  // word, the words between are the coded ones, however much was inserted among them (as typing there
  // would have grown the segment).
  // (Not where the quote's edge crosses a line break: "?\n\nStian" recurs at every turn of that speaker.)
  const lineBreakFree = !quote.slice(0, n).includes('\n') && !quote.slice(q - n).includes('\n');
  const ownEdges = first.byQuote && !first.resumed && last.byQuote && !last.resumed && lineBreakFree;
  // Or with one boundary vouched for by both (half the old context and half the quote's own edge word for
  // word on either side of it) and the quote's own words word for word at the other, in twice its length.
  // (Far from where the quote is expected, the old context counts only within the quote's turn: the next
  // turn's label, said at every turn, vouches for nothing there.)
  const far = Math.abs(start - hint) > NEAR_WINDOW;
  const firstBoth = adjacent(prefix, text, start, true, far) >= HALF_CONTEXT && adjacent(quote, text, start, false) >= HALF_CONTEXT;
  const lastBoth = adjacent(suffix, text, end, false, far) >= HALF_CONTEXT && adjacent(quote, text, end, true) >= HALF_CONTEXT;
  const vouched =
    lineBreakFree &&
    end - start <= 2 * q &&
    ((firstBoth && adjacent(quote, text, end, true) >= EDGE_EXACT) || (lastBoth && adjacent(quote, text, start, false) >= EDGE_EXACT));
  const framed = (first.byContext && last.byContext) || ((first.byContext || last.byContext) && ownEdges) || vouched;
  if (end - start > (framed ? 4 : 2) * q) return undefined;
  const length = Math.max(q, span.length);
  // Errors are counted against the quote's length, as for an approximate match of the quote.
  const allowed = Math.floor(q * (1 - MIN_QUOTE_SIMILARITY));
  const distance = quoteDistance(quote, span, allowed);
  if (distance > allowed && !framed) return undefined;
  const quoteSim = Math.max(framed ? MIN_PINNED_QUOTE_SIMILARITY : 0, 1 - distance / length);
  const context = contextOf(text, start, end);
  const prefixSim = context.prefix === prefix ? 1 : similarity(prefix, context.prefix);
  const suffixSim = context.suffix === suffix ? 1 : similarity(suffix, context.suffix);
  const score = combine(quoteSim, prefixSim, suffixSim, nearness(start, hint));
  // The quote's own words found word for word at both ends, closely the quote between, are evidence
  // enough where its context was edited (words deleted across a boundary), unless it is short. Not
  // where its first or last words are gone (a later word resumed it: what is left may be a stock
  // sentence said elsewhere), nor with neither old context near it: an edit across one boundary leaves
  // the other side's context (within the quote's turn: see turnSimilarity), and a copy of the words with
  // none of it is another utterance (findExact rejected it as such when it is word for word).
  const someContext = Math.max(turnSimilarity(prefix, context.prefix, true), turnSimilarity(suffix, context.suffix, false)) >= MIN_SHORT_QUOTE_CONTEXT;
  const ownEnds = first.byQuote && last.byQuote && q >= 2 * SHORT_QUOTE && someContext;
  if (!framed && !ownEnds && score < MIN_FUZZY_SCORE) return undefined;
  // The quote word for word needs the same evidence as in findExact, whatever its score says: some old
  // context within its turn, or to be right where it is expected (its context edited on both sides).
  if (!framed && distance === 0 && !someContext && Math.abs(start - hint) > 2 * CONTEXT_LENGTH) return undefined;
  return { anchor: makeAnchor(text, start, end), status: 'fuzzy', score };
}

/**
 * Find an anchor again in a new version of the text (LF-normalised, see normalizeEol): at its
 * stored position, else as an exact occurrence chosen by context and nearness, else between its
 * old prefix and suffix found again, else as a close approximate match. Otherwise the original anchor comes back with status 'orphaned'.
 * `hint` is where the segment is expected to start now (default: where it was); nearness is
 * measured from there.
 */
export function reanchor(anchor: Anchor, text: string, hint: number = anchor.start): ReanchorResult {
  return locate(anchor, text, hint, FUZZY_WINDOW);
}

/**
 * An approximate match at the place findByPieces pinned the quote's own first or last words cannot run
 * past them: what lies beyond is other text (a deleted paragraph took the quote's end and its suffix).
 * Where findByPieces pinned a boundary by the old context alone, the match reaches it (see below).
 */
function within(anchor: Anchor, text: string, found: ReanchorResult, pieces: PiecesHint): ReanchorResult {
  let { start, end } = found.anchor;
  if (pieces.from !== undefined && pieces.from > start && pieces.from < end) start = pieces.from;
  if (pieces.to !== undefined && pieces.to < end && pieces.to > start) end = pieces.to;
  // A match that starts (ends) within the quote's length after (before) where the old prefix (suffix) ends
  // (begins), with the quote's own first (last) words right there, edited, lost the quote's edge to text
  // inserted inside it.
  const { quote } = anchor;
  const q = quote.length;
  const n = Math.min(PIECE_LENGTH, q >> 1);
  const from = pieces.edgeFrom;
  const to = pieces.edgeTo;
  if (from !== undefined && from < start && start - from <= q && quoteEdgeAt(quote, n, text, from, false)) start = from;
  if (to !== undefined && to > end && to - end <= q && quoteEdgeAt(quote, n, text, to, true)) end = to;
  if (start === found.anchor.start && end === found.anchor.end) return found;
  return { ...found, anchor: makeAnchor(text, start, end) };
}

/** How far from a boundary pinned by findByPieces the approximate searches look: the quote may have changed by a quarter. */
function pinnedReach(anchor: Anchor): number {
  return (anchor.quote.length >> 2) + CONTEXT_LENGTH;
}

/**
 * The span between the old prefix and suffix found approximately, and the quote's closest approximate
 * match, within `reach` of `hint`; with `widen`, further out where nothing is found there.
 */
function approximately(anchor: Anchor, text: string, hint: number, reach: number, widen: boolean): ReanchorResult | undefined {
  let pinned = findPinned(anchor, text, hint, reach);
  if (!pinned && widen && reach < FUZZY_WINDOW) pinned = findPinned(anchor, text, hint, FUZZY_WINDOW);
  return choose(anchor, text, pinned, findFuzzy(anchor, text, hint, reach, pinned?.anchor, widen));
}

const WORD_UNIT = /[\p{L}\p{N}]/u;
/** How far a boundary may move to the edge of the word it cuts. */
const MAX_WORD_STEP = 32;

/**
 * An approximate match cuts a replaced word at the quote's edge ("was awful." found as "was terrib" in
 * "was terrible."). Where the coded quote began (ended) at a word edge, a boundary inside a word moves
 * out to that word's edge, taking in the punctuation mark the quote ended with.
 */
function toWordEdges(old: Anchor, text: string, found: ReanchorResult): ReanchorResult {
  const { quote, prefix, suffix } = old;
  let { start, end } = found.anchor;
  const word = (i: number) => i >= 0 && i < text.length && WORD_UNIT.test(text.charAt(i));
  const startsAtEdge = !(WORD_UNIT.test(quote.charAt(0)) && WORD_UNIT.test(prefix.charAt(prefix.length - 1)));
  const endsAtEdge = !(WORD_UNIT.test(quote.charAt(quote.length - 1)) && WORD_UNIT.test(suffix.charAt(0)));
  if (startsAtEdge && word(start - 1) && word(start)) {
    let s = start;
    while (s > 0 && word(s - 1) && start - s < MAX_WORD_STEP) s--;
    if (!word(s - 1)) start = s;
  }
  if (endsAtEdge && word(end - 1) && word(end)) {
    let e = end;
    while (word(e) && e - end < MAX_WORD_STEP) e++;
    if (!word(e)) {
      const mark = quote.charAt(quote.length - 1);
      end = !WORD_UNIT.test(mark) && !/\s/.test(mark) && text.charAt(e) === mark ? e + 1 : e;
    }
  }
  if (start === found.anchor.start && end === found.anchor.end) return found;
  return { ...found, anchor: makeAnchor(text, start, end) };
}

/** How many units of the old prefix (suffix) are word for word right before `start` (after `end`). */
function contextUnits(anchor: Anchor, text: string, start: number, end: number): number {
  const { prefix, suffix } = anchor;
  let p = 0;
  while (p < prefix.length && start - 1 - p >= 0 && text.charCodeAt(start - 1 - p) === prefix.charCodeAt(prefix.length - 1 - p)) p++;
  let s = 0;
  while (s < suffix.length && end + s < text.length && text.charCodeAt(end + s) === suffix.charCodeAt(s)) s++;
  return p + s;
}

/**
 * An exact occurrence elsewhere (the generator's stock sentences, a phrase a speaker repeats) found
 * with only part of its old context, against the quote edited where it was (words inserted or replaced
 * inside it) between its own old prefix and suffix: the place whose old context is there word for word
 * wins. Where the quote's own place keeps less of it, the exact occurrence stands.
 */
function ownPlaceFirst(anchor: Anchor, text: string, hint: number, reach: number, exact: ReanchorResult): ReanchorResult {
  const { start, end } = exact.anchor;
  const units = contextUnits(anchor, text, start, end);
  if (units >= anchor.prefix.length + anchor.suffix.length) return exact;
  const own = findByPieces(anchor, text, hint, reach, {});
  if (!own || (own.anchor.end > start && own.anchor.start < end)) return exact;
  return contextUnits(anchor, text, own.anchor.start, own.anchor.end) > units ? own : exact;
}

/** reanchor, with the approximate searches first within `reach` of the hint. */
function locate(anchor: Anchor, text: string, hint: number, reach: number): ReanchorResult {
  if (anchor.quote.length > 0) {
    const pieces: PiecesHint = {};
    let found = findExact(anchor, text, hint);
    if (found && found.status === 'moved') found = ownPlaceFirst(anchor, text, hint, reach, found);
    found ??= findByPieces(anchor, text, hint, reach, pieces);
    if (!found && pieces.gone) {
      // The words were deleted where they were (their old prefix and suffix, intact, have closed up):
      // only a copy moved elsewhere can be them.
      found = findFar(anchor, text, hint);
    } else if (!found) {
      // One boundary pinned word for word: the approximate searches look right there first.
      if (pieces.start !== undefined) found = approximately(anchor, text, pieces.start, pinnedReach(anchor), false);
      if (!found) found = approximately(anchor, text, hint, reach, true);
      if (found) found = within(anchor, text, found, pieces);
    }
    if (found) return found.status === 'fuzzy' ? toWordEdges(anchor, text, found) : found;
  }
  return { anchor, status: 'orphaned', score: 0 };
}

/**
 * Re-anchor every coding of one document. All codings come back, in order and with their ids;
 * the ones not found are flagged `orphaned`, and a former orphan that is found loses the flag.
 */
export function reanchorCodings(
  codings: readonly Coding[],
  text: string,
): { codings: Coding[]; report: ReanchorReport } {
  const lf = normalizeEol(text);
  const report: ReanchorReport = { unchanged: 0, moved: 0, fuzzy: 0, orphaned: [] };
  const out: Coding[] = new Array<Coding>(codings.length);
  // In document order, the shift of the previous segment predicts the shift of the next: after a
  // page inserted at the top, "nearest" should mean nearest to old position + page length.
  const order = codings.map((_, i) => i).sort((a, b) => codings[a].anchor.start - codings[b].anchor.start);
  let shift = 0;
  // Until a coding is found (and after an orphan) the shift is a guess: search as widely as reanchor.
  let reach = FUZZY_WINDOW;
  for (const i of order) {
    const coding = codings[i];
    const result = locate(coding.anchor, lf, coding.anchor.start + shift, reach);
    if (result.status === 'orphaned') {
      out[i] = coding.orphaned ? coding : { ...coding, orphaned: true };
      report.orphaned.push(out[i]);
      reach = FUZZY_WINDOW;
      continue;
    }
    report[result.status]++;
    shift = result.anchor.start - coding.anchor.start;
    reach = NEAR_WINDOW;
    if (!coding.orphaned && result.anchor === coding.anchor) {
      out[i] = coding;
    } else {
      const found: Coding = { ...coding, anchor: result.anchor };
      delete found.orphaned;
      out[i] = found;
    }
  }
  return { codings: out, report };
}
