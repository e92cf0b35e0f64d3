// Generators and a character model for the property tests (test/property/properties.ts).
//
// Every UTF-16 unit of a transcript carries a tag: its index in the original text, or a negative
// number for a unit an edit inserted. Edits are applied to the text and to the tags together, so the
// tests always know where each original character went (or that it was deleted) without asking the
// code under test.
import fc from 'fast-check';
import type { TextChange } from '../../src/core/anchor';
import { splitsSurrogatePair } from '../../src/core/text';

/** Words of fictional interviews: Norwegian (æøå), English, emoji (surrogate pairs, one with a modifier). */
export const WORDS = [
  'jeg', 'ikke', 'det', 'var', 'hjem', 'søndag', 'kafé', 'ærlig', 'øyeblikk', 'på', 'gå', 'dit', 'familien',
  'barna', 'brev', 'telefon', 'kontakten', 'betjentene', 'cella', 'fellesrommet', 'Åse', 'Øystein', 'mørket',
  'lufting', 'besøk', 'håp', 'skam', 'frihet', 'tåke', 'sjøen', 'fengselet', 'løslatelsen', 'dørene', 'lyden',
  'prison', 'visit', 'window', 'hope', 'time', 'letters', 'mother', 'workshop', 'routine', 'silence', 'yard',
  "don't", 'know', 'never', 'again', 'morning', 'evening', 'officer', 'trust', 'shame', 'release', 'daughter',
  '🌊', '😢', '👍🏽', 'hvorfor', 'kanskje', 'alltid', 'sjelden', 'sammen', 'alene', 'redd', 'glad', 'sint',
  'trøtt', 'søsteren', 'broren', 'advokaten', 'dommen', 'straffen', 'uka', 'måneden', 'året', 'jula', 'påsken',
];

export const SPEAKERS = ['Intervjuer', 'Ola', 'Kari', 'Åsmund'];

export type Turn = { speaker: number; sentences: number[][] };

/** A transcript as turns of sentences of word indices. */
export const turnsArb = (maxTurns = 12): fc.Arbitrary<Turn[]> =>
  fc.array(
    fc.record({
      speaker: fc.nat({ max: SPEAKERS.length - 1 }),
      sentences: fc.array(fc.array(fc.nat({ max: WORDS.length - 1 }), { minLength: 2, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
    }),
    { minLength: 2, maxLength: maxTurns },
  );

/**
 * A sentence of the words. Word `w` at place `k` of the text is WORDS[(w + h(k)) mod n] with h a fixed
 * hash, so that a shrunk counterexample (all indices 0) is still varied text (not one word repeated, and
 * not periodic either: a text that repeats itself makes every quote ambiguous).
 */
export function sentence(words: readonly number[], end = '.', place = 0): string {
  const s = words.map((w, i) => WORDS[(w + scramble(place + i)) % WORDS.length]).join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1) + end;
}

function scramble(k: number): number {
  let h = Math.imul(k + 1, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  return (h ^ (h >>> 13)) >>> 0;
}

/** The LF text of the turns: `Ola: Sentence. Sentence?` per line, a final newline. */
export function textOf(turns: readonly Turn[]): string {
  let place = 0;
  const said = (s: number[], i: number) => {
    place += s.length;
    return sentence(s, i % 3 === 2 ? '?' : '.', place - s.length);
  };
  return turns.map((t) => `${SPEAKERS[t.speaker]}: ${t.sentences.map(said).join(' ')}`).join('\n') + '\n';
}

/** [start, end) of every word (maximal run of non-space units). */
export function wordSpans(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/\S+/g)) out.push([m.index, m.index + m[0].length]);
  return out;
}

/** A span over whole words: from word `from` over `count` words (both taken modulo the word count). */
export const spanArb = fc.record({ from: fc.nat(), count: fc.integer({ min: 1, max: 10 }) });
export type SpanSpec = { from: number; count: number };

export function spanOf(words: readonly [number, number][], s: SpanSpec): [number, number] {
  const i = s.from % words.length;
  const j = Math.min(words.length - 1, i + s.count - 1);
  return [words[i][0], words[j][1]];
}

// ---------------------------------------------------------------------------------------------
// The character model

export class TaggedText {
  private inserted = 0;
  constructor(
    public text: string,
    public tags: number[] = Array.from({ length: text.length }, (_, i) => i),
  ) {}

  /** Apply non-overlapping changes that all refer to the current text (as one editor event). */
  apply(changes: readonly TextChange[]): void {
    const sorted = [...changes].sort((a, b) => b.offset - a.offset || b.length - a.length);
    let text = this.text;
    const tags = [...this.tags];
    for (const c of sorted) {
      text = text.slice(0, c.offset) + c.text + text.slice(c.offset + c.length);
      const fresh = Array.from({ length: c.text.length }, () => -1 - this.inserted++);
      tags.splice(c.offset, c.length, ...fresh);
    }
    this.text = text;
    this.tags = tags;
  }

  /** New index of every original unit (-1: deleted). */
  positions(originalLength: number): Int32Array {
    const out = new Int32Array(originalLength).fill(-1);
    this.tags.forEach((t, i) => {
      if (t >= 0) out[t] = i;
    });
    return out;
  }
}

/** The nearest code point boundary at or before `offset`. */
export function snap(text: string, offset: number): number {
  const o = Math.max(0, Math.min(text.length, offset));
  return splitsSurrogatePair(text, o) ? o - 1 : o;
}

// ---------------------------------------------------------------------------------------------
// Editor edits: what VS Code reports while someone types, pastes, deletes

export const changeArb = fc.record({
  at: fc.nat(),
  length: fc.oneof(fc.constant(0), fc.nat({ max: 6 }), fc.nat({ max: 60 })),
  words: fc.array(fc.nat({ max: WORDS.length - 1 }), { maxLength: 4 }),
  sep: fc.constantFrom(' ', '', '\n', '. ', 'x'),
});
export type ChangeSpec = { at: number; length: number; words: number[]; sep: string };

/** One editor event (1-3 changes, as with several cursors). */
export const eventArb = fc.array(changeArb, { minLength: 1, maxLength: 3 });

/**
 * The changes of one event in the current text: offsets and ends on code point boundaries, sorted, not
 * overlapping and not two at the same offset (VS Code's changes of one event never overlap).
 */
export function changesOf(text: string, specs: readonly ChangeSpec[]): TextChange[] {
  const raw = specs.map((s) => {
    const offset = snap(text, s.at % (text.length + 1));
    const end = snap(text, Math.min(text.length, offset + s.length));
    const inserted = s.words.length ? s.words.map((w) => WORDS[w]).join(' ') + s.sep : s.sep === 'x' ? '' : s.sep;
    return { offset, length: Math.max(0, end - offset), text: inserted };
  });
  raw.sort((a, b) => a.offset - b.offset || a.length - b.length);
  const out: TextChange[] = [];
  for (const c of raw) {
    const prev = out[out.length - 1];
    if (prev && (c.offset < prev.offset + prev.length || c.offset === prev.offset)) continue;
    if (c.length === 0 && c.text === '') continue;
    out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Outside edits: the text changed on disk (another editor, a git pull), about 5 % of it

export const outsideOpArb = fc.record({
  kind: fc.constantFrom('insertWords', 'deleteWords', 'substitute', 'typo', 'insertSentence', 'deleteSentence'),
  at: fc.nat(),
  n: fc.integer({ min: 1, max: 3 }),
  words: fc.array(fc.nat({ max: WORDS.length - 1 }), { minLength: 1, maxLength: 12 }),
});
export type OutsideOp = { kind: string; at: number; n: number; words: number[] };

/**
 * Realistic changes of a whole text, made at word boundaries and not overlapping: words inserted,
 * deleted or substituted, a typo in a word, a sentence inserted or deleted. They stop when about
 * `share` of the text has changed (at least one always applies).
 */
export function outsideChanges(text: string, ops: readonly OutsideOp[], share = 0.05): TextChange[] {
  const words = wordSpans(text);
  if (words.length === 0) return [];
  const budget = Math.max(12, Math.round(text.length * share));
  const out: TextChange[] = [];
  let spent = 0;
  const free = (from: number, to: number) => out.every((c) => to < c.offset || from > c.offset + c.length);
  for (const op of ops) {
    const w = op.at % words.length;
    const [ws, we] = words[w];
    let change: TextChange | undefined;
    switch (op.kind) {
      case 'insertWords':
        change = { offset: ws, length: 0, text: op.words.slice(0, op.n).map((i) => WORDS[i]).join(' ') + ' ' };
        break;
      case 'deleteWords': {
        const last = Math.min(words.length - 1, w + op.n - 1);
        // with the space after the last word, when it is a space
        const end = text[words[last][1]] === ' ' ? words[last][1] + 1 : words[last][1];
        change = { offset: ws, length: end - ws, text: '' };
        break;
      }
      case 'substitute':
        change = { offset: ws, length: we - ws, text: WORDS[op.words[0]] };
        break;
      case 'typo': {
        const at = snap(text, ws + (op.n % Math.max(1, we - ws)));
        const next = snap(text, at + 1) === at ? at + 2 : at + 1;
        change = { offset: at, length: Math.min(we, next) - at || 1, text: 'q' };
        break;
      }
      case 'insertSentence':
        change = { offset: ws, length: 0, text: sentence(op.words) + ' ' };
        break;
      case 'deleteSentence': {
        const stop = /[.?]/g;
        stop.lastIndex = ws;
        const m = stop.exec(text);
        const end = m ? Math.min(text.length, m.index + 2) : we;
        change = { offset: ws, length: snap(text, end) - ws, text: '' };
        break;
      }
    }
    if (!change || (change.length === 0 && change.text === '')) continue;
    const cost = Math.max(change.length, change.text.length);
    if (out.length > 0 && spent + cost > budget) continue;
    if (!free(change.offset, change.offset + change.length)) continue;
    out.push(change);
    spent += cost;
  }
  return out;
}

/** The file as written on disk: LF, or CRLF as a Windows editor saves it. */
export function onDisk(lf: string, crlf: boolean): string {
  return crlf ? lf.replace(/\n/g, '\r\n') : lf;
}
