// Edits applied to a transcript "behind Grounded's back" (a git pull, another editor), with the
// ground truth of where every coding's words are afterwards, for the re-anchoring benchmark.
import type { Coding } from '../src/core/model';
import { Rng, Transcript, randomSentence, randomWord } from './generate';

export type EditKind =
  | 'substitute word'
  | 'typo'
  | 'insert words'
  | 'delete words'
  | 'insert sentence'
  | 'delete sentence'
  | 'delete paragraph';

/** One edit in coordinates of the original text; the edits of one set never overlap or touch. */
export interface Edit {
  offset: number;
  length: number;
  text: string;
  kind: EditKind;
}

interface Range {
  start: number;
  end: number;
}

/** Share of the change budget spent on each level of edit. */
const PARAGRAPH_SHARE = 0.25;
const SENTENCE_SHARE = 0.35;

function wordsOf(text: string): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** Participant turns: paragraphs that start with "Name (hh:mm:ss): ", with their blank line. */
function turnsOf(text: string): Range[] {
  const out: Range[] = [];
  for (const m of text.matchAll(/^[^\n:]+ \(\d\d:\d\d:\d\d\): [^\n]*\n*/gm)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * Edits that change about `fraction` of the text (counting max(deleted, inserted) units per edit),
 * spread uniformly: about a quarter of the budget deletes whole turns, a third inserts or deletes
 * sentences, the rest substitutes, inserts or deletes words and fixes typos.
 */
export function randomEdits(rng: Rng, t: Transcript, fraction: number): Edit[] {
  const { text } = t;
  const budget = fraction * text.length;
  const blocked = new Uint8Array(text.length + 2);
  const edits: Edit[] = [];
  let spent = 0;
  const words = wordsOf(text);
  const turns = turnsOf(text);
  // Keep at least one untouched unit between two edits, so that they stay separate edits.
  const tryAdd = (offset: number, length: number, insert: string, kind: EditKind): boolean => {
    if (offset < 0 || offset + length > text.length || (length === 0 && insert === '')) return false;
    for (let i = offset; i <= offset + length; i++) if (blocked[i]) return false;
    for (let i = Math.max(0, offset - 1); i <= offset + length + 1; i++) blocked[i] = 1;
    edits.push({ offset, length, text: insert, kind });
    spent += Math.max(length, insert.length);
    return true;
  };
  const lang = t.language;
  let attempts = 0;
  while (spent < budget * PARAGRAPH_SHARE && attempts++ < 1000) {
    const turn = rng.pick(turns);
    tryAdd(turn.start, turn.end - turn.start, '', 'delete paragraph');
  }
  attempts = 0;
  while (spent < budget * (PARAGRAPH_SHARE + SENTENCE_SHARE) && attempts++ < 10000) {
    const s = rng.pick(t.sentences);
    if (rng.chance(0.5)) {
      tryAdd(s.start, 0, randomSentence(rng, lang) + ' ', 'insert sentence');
    } else if (text[s.end] === ' ') {
      tryAdd(s.start, s.end + 1 - s.start, '', 'delete sentence');
    } else if (text[s.start - 1] === ' ') {
      tryAdd(s.start - 1, s.end - s.start + 1, '', 'delete sentence');
    }
  }
  attempts = 0;
  while (spent < budget && attempts++ < 100000) {
    const i = rng.int(0, words.length - 1);
    const w = words[i];
    const r = rng.next();
    if (r < 0.4) {
      const old = text.slice(w.start, w.end);
      let replacement = randomWord(rng, lang).replace(/,$/, '');
      if (/^\p{Lu}/u.test(old)) replacement = replacement.charAt(0).toUpperCase() + replacement.slice(1);
      if (replacement !== old && /^[\p{L}]+$/u.test(replacement)) tryAdd(w.start, w.end - w.start, replacement, 'substitute word');
    } else if (r < 0.5) {
      if (w.end - w.start < 4) continue;
      const at = w.start + rng.int(1, w.end - w.start - 2);
      const letter = rng.pick([...'abdeghiklmnoprstuvæøå']);
      if (letter !== text[at]) tryAdd(at, 1, letter, 'typo');
    } else if (r < 0.75) {
      const n = rng.int(1, 3);
      const inserted = Array.from({ length: n }, () => randomWord(rng, lang)).join(' ') + ' ';
      tryAdd(w.start, 0, inserted, 'insert words');
    } else {
      const last = words[Math.min(words.length - 1, i + rng.int(0, 2))];
      const end = last.end + 1;
      if (text[last.end] === ' ' && !text.slice(w.start, end).includes('\n')) tryAdd(w.start, end - w.start, '', 'delete words');
    }
  }
  return edits.sort((a, b) => a.offset - b.offset);
}

/** The text after all edits (sorted, non-overlapping, in original coordinates). */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const e of edits) {
    parts.push(text.slice(at, e.offset), e.text);
    at = e.offset + e.length;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

/** Where a coding's words are after the edits. */
export interface Truth {
  /** share of the quote's units that survived (0: all words deleted) */
  survived: number;
  /** span in the new text from the first to the last surviving unit (when survived > 0) */
  start: number;
  end: number;
  /**
   * Text an edit inserted right before `start` / right after `end`, typically the replacement of
   * the quote's first or last word. A boundary anywhere in it is also right.
   */
  slackBefore: number;
  slackAfter: number;
  /** the edits that touched the quote or its 32-unit context */
  nearby: Edit[];
}

export class EditMap {
  /** cumulative length change of edits[0..i) */
  private readonly before: number[] = [0];

  constructor(readonly edits: readonly Edit[]) {
    for (const e of edits) this.before.push(this.before[this.before.length - 1] + e.text.length - e.length);
  }

  /** Number of edits that end at or before `p` (an insertion at p counts: it lands before p). */
  private endingBy(p: number): number {
    let lo = 0;
    let hi = this.edits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = this.edits[mid];
      if (e.offset + e.length <= p) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** New position of the original unit at `p`, which must not have been deleted. */
  map(p: number): number {
    return p + this.before[this.endingBy(p)];
  }

  truth(coding: Coding, context: number): Truth {
    const { start: s, end: e } = coding.anchor;
    const nearby: Edit[] = [];
    let deleted = 0;
    let first = s;
    let last = e - 1;
    for (let k = Math.max(0, this.endingBy(s - context) - 1); k < this.edits.length; k++) {
      const ed = this.edits[k];
      if (ed.offset > e + context) break;
      if (ed.offset + ed.length < s - context) continue;
      nearby.push(ed);
      const from = Math.max(s, ed.offset);
      const to = Math.min(e, ed.offset + ed.length);
      if (to > from) deleted += to - from;
    }
    const survived = (e - s - deleted) / (e - s);
    if (survived === 0) return { survived, start: -1, end: -1, slackBefore: 0, slackAfter: 0, nearby };
    // First and last surviving units: step over deleted ranges.
    for (const ed of nearby) if (ed.length > 0 && ed.offset <= first && first < ed.offset + ed.length) first = ed.offset + ed.length;
    for (const ed of [...nearby].reverse()) if (ed.length > 0 && ed.offset <= last && last < ed.offset + ed.length) last = ed.offset - 1;
    const before = nearby.find((ed) => ed.offset + ed.length === first);
    const after = nearby.find((ed) => ed.offset === last + 1);
    return {
      survived,
      start: this.map(first),
      end: this.map(last) + 1,
      slackBefore: before ? before.text.length : 0,
      slackAfter: after ? after.text.length : 0,
      nearby,
    };
  }
}
