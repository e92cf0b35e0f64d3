// The property tests of issue 14, shared by the unit suite (test/unit/property.test.ts: a few hundred
// runs each, fixed seed) and the long run (bench/property.ts, `npm run property`: 10,000 runs each).
//
// Each property builds random transcripts, codings, edits, codebook edits and merges, runs them through
// the same core functions the extension and the command line use, and checks what a researcher relies on:
// no coding lost or moved onto other words, every file parses and is written deterministically, a merge
// gives the same bytes whichever side is "ours". The oracles do not ask the code under test where things
// are: test/property/text.ts tags every character and follows it through the edits.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { reanchorCodings, shiftCodings } from '../../src/core/anchor';
import type { Coding } from '../../src/core/model';
import { makeAnchor } from '../../src/core/text';
import {
  OutsideOp,
  SpanSpec,
  TaggedText,
  Turn,
  changesOf,
  eventArb,
  onDisk,
  outsideChanges,
  outsideOpArb,
  spanArb,
  spanOf,
  textOf,
  turnsArb,
  wordSpans,
} from './text';
import type { ChangeSpec } from './text';

export interface PropertyDef {
  name: string;
  /** a fresh property (async ones return a promise from their predicate) */
  make(): fc.IRawProperty<unknown, boolean>;
}

const CREATED = '2026-11-05T12:00:00.000Z';
const id = (prefix: string, n: number): string => `${prefix.padStart(8, '0').slice(0, 8)}-0000-4000-8000-${n.toString().padStart(12, '0')}`;

/** Codings over word spans of `text`, one per span (duplicates of a span are fine here: different ids). */
function codingsOver(text: string, spans: readonly SpanSpec[]): Coding[] {
  const words = wordSpans(text);
  return spans.map((s, i) => {
    const [start, end] = spanOf(words, s);
    return { id: id('c', i + 1), codeId: id('k', 1 + (i % 3)), anchor: makeAnchor(text, start, end), coder: i % 2 ? 'Kari' : 'Ola', created: CREATED };
  });
}

/** A coding that is not orphaned carries the anchor makeAnchor gives for its span in the current text. */
function assertConsistent(c: Coding, text: string, what: string): void {
  if (c.orphaned) return;
  assert.deepEqual(c.anchor, makeAnchor(text, c.anchor.start, c.anchor.end), `${what}: the anchor of ${c.id} does not describe the text at its offsets`);
}

// ---------------------------------------------------------------------------------------------
// 1. Editor edits: offsets shift exactly

/**
 * After any sequence of editor events, each coding holds exactly its own surviving characters (plus
 * text typed inside it), never a character that was outside it; it is orphaned only when all its
 * characters were deleted.
 */
function checkEditorEdits(turns: Turn[], spans: SpanSpec[], events: ChangeSpec[][]): void {
  const original = textOf(turns);
  const model = new TaggedText(original);
  let codings = codingsOver(original, spans);
  const ranges = codings.map((c) => [c.anchor.start, c.anchor.end] as const);
  for (const event of events) {
    const changes = changesOf(model.text, event);
    if (changes.length === 0) continue;
    model.apply(changes);
    codings = shiftCodings(codings, changes, model.text).codings;
  }
  const pos = model.positions(original.length);
  codings.forEach((c, i) => {
    const [oS, oE] = ranges[i];
    const surviving: number[] = [];
    for (let t = oS; t < oE; t++) if (pos[t] >= 0) surviving.push(pos[t]);
    if (c.orphaned) {
      assert.equal(surviving.length, 0, `coding ${i} was orphaned although ${surviving.length} of its characters survive`);
      return;
    }
    assertConsistent(c, model.text, `coding ${i}`);
    const { start, end } = c.anchor;
    for (const p of surviving) assert.ok(p >= start && p < end, `coding ${i} lost its character at ${p} (span [${start}, ${end}))`);
    for (let p = start; p < end; p++) {
      const t = model.tags[p];
      assert.ok(t < 0 || (t >= oS && t < oE), `coding ${i} [${start}, ${end}) took the character at ${p}, which was outside it`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Outside edits: re-anchoring

/** Matching context units around an intact quote now at `p`, counted by tags (unchanged neighbours). */
function survivingContext(model: TaggedText, p: number, oS: number, oE: number, prefixLength: number, suffixLength: number): number {
  const len = oE - oS;
  let k = 0;
  while (k < prefixLength && p - 1 - k >= 0 && model.tags[p - 1 - k] === oS - 1 - k) k++;
  let s = 0;
  while (s < suffixLength && p + len + s < model.tags.length && model.tags[p + len + s] === oE + s) s++;
  return k + s;
}

/** The words of a text, lower case, without punctuation and spacing. */
function wordsOf(text: string): string {
  return (text.toLowerCase().match(/[\p{L}\p{N}\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}']+/gu) ?? []).join(' ');
}

function occurrences(text: string, quote: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) out.push(i);
  return out;
}

/**
 * The rules (anchor.ts: never move a coding silently to the wrong words; when in doubt, orphan):
 * - every coding comes back, with its id, in its place in the list;
 * - a coding that is not orphaned describes the new text at its offsets;
 * - a quote that survived intact (no character deleted, nothing inserted inside) and occurs once in the
 *   new text is either orphaned or found on exactly those characters; it must be found when it is still
 *   at its stored offset, or when at least 8 units of its old context still touch it and quote plus that
 *   context make 24 units (anchor.ts MIN_EXACT_CONTEXT, MIN_EXACT_EVIDENCE: less is the same words said
 *   again, not evidence);
 * - an intact quote that now occurs more than once (the same words said twice) may be found on any
 *   exact occurrence or orphaned: that ambiguity is allowed;
 * - a coding whose characters were partly deleted or edited inside, if found, overlaps what is left of
 *   them (its boundaries may be off by a word: see bench/RESULTS.md, re-anchoring accuracy), or lies on
 *   the same words said again elsewhere (see below);
 * - a coding whose characters were all deleted is orphaned, or lies on the same words said again.
 * "The same words" ignores case, punctuation and spacing: "løslatelsen lyden lyden løslatelsen." with
 * "lyden lyden løslatelsen." deleted cannot be told from the same text with "løslatelsen lyden lyden "
 * and the full stop deleted, so finding the coding on the first "løslatelsen" is allowed. Finding it on
 * words that merely sat next to it (its old prefix, still there) is not.
 */
function checkOutsideEdits(turns: Turn[], spans: SpanSpec[], ops: OutsideOp[], crlf: boolean): void {
  const original = textOf(turns);
  const model = new TaggedText(original);
  const codings = codingsOver(original, spans);
  const changes = outsideChanges(original, ops);
  model.apply(changes);
  const lf = model.text;
  const { codings: out } = reanchorCodings(codings, onDisk(lf, crlf));
  assert.deepEqual(out.map((c) => c.id), codings.map((c) => c.id), 'every coding comes back, in order');
  const pos = model.positions(original.length);
  codings.forEach((before, i) => {
    const c = out[i];
    const { start: oS, end: oE, quote } = before.anchor;
    const what = `coding ${i} "${quote}" [${oS}, ${oE})`;
    assertConsistent(c, lf, what);
    const surviving: number[] = [];
    for (let t = oS; t < oE; t++) if (pos[t] >= 0) surviving.push(pos[t]);
    const p = surviving[0];
    const intact = surviving.length === oE - oS && surviving[surviving.length - 1] - p === oE - oS - 1;
    const { start, end } = c.anchor;
    if (intact) {
      const found = occurrences(lf, quote);
      if (found.length === 1) {
        const context = survivingContext(model, p, oS, oE, before.anchor.prefix.length, before.anchor.suffix.length);
        const must = p === oS || (context >= 8 && quote.length + context >= 24);
        if (must) assert.ok(!c.orphaned, `${what}: intact and unique, with ${context} units of context, but orphaned`);
        if (!c.orphaned) assert.deepEqual([start, end], [p, p + quote.length], `${what}: intact at ${p}, found at [${start}, ${end})`);
      } else if (!c.orphaned) {
        assert.equal(lf.slice(start, end), quote, `${what}: intact, repeated; found on other words [${start}, ${end})`);
      }
    } else if (surviving.length > 0) {
      if (!c.orphaned) {
        const lo = Math.min(...surviving);
        const hi = Math.max(...surviving) + 1;
        const sameWords = wordsOf(lf.slice(start, end)) === wordsOf(quote);
        assert.ok((start < hi && end > lo) || sameWords, `${what}: what is left of it is at [${lo}, ${hi}), found at [${start}, ${end}) "${lf.slice(start, end)}"`);
      }
    } else if (!c.orphaned) {
      assert.equal(wordsOf(lf.slice(start, end)), wordsOf(quote), `${what}: all its words were deleted, yet it was found on [${start}, ${end}) "${lf.slice(start, end)}"`);
    }
  });
}

// ---------------------------------------------------------------------------------------------

export const PROPERTIES: PropertyDef[] = [
  {
    name: 'editor edits move every coding exactly with its words',
    make: () =>
      fc.property(turnsArb(), fc.array(spanArb, { minLength: 1, maxLength: 12 }), fc.array(eventArb, { maxLength: 16 }), (turns, spans, events) => {
        checkEditorEdits(turns, spans, events);
        return true;
      }),
  },
  {
    name: 'outside edits (about 5 % of the text) never move a coding onto other words',
    make: () =>
      fc.property(turnsArb(), fc.array(spanArb, { minLength: 1, maxLength: 12 }), fc.array(outsideOpArb, { minLength: 1, maxLength: 10 }), fc.boolean(), (turns, spans, ops, crlf) => {
        checkOutsideEdits(turns, spans, ops, crlf);
        return true;
      }),
  },
];

export interface RunOutcome {
  name: string;
  failed: boolean;
  numRuns: number;
  seed: number;
  ms: number;
  report?: string;
}

/** Runs one property; never throws (the outcome says whether it failed, with fast-check's report). */
export async function runProperty(p: PropertyDef, numRuns: number, seed: number): Promise<RunOutcome> {
  const t0 = performance.now();
  const details = await fc.check(p.make(), { numRuns, seed });
  const ms = performance.now() - t0;
  return { name: p.name, failed: details.failed, numRuns: details.numRuns, seed, ms, report: details.failed ? `${fc.defaultReportMessage(details)}\n${String(details.errorInstance)}` : undefined };
}
