// The property tests of issue 14, shared by the unit suite (test/unit/property.test.ts: a few hundred
// runs each, fixed seed) and the long run (bench/property.ts, `npm run property`: 10,000 runs each).
//
// Each property builds random transcripts, codings, edits, codebook edits and merges, runs them through
// the same core functions the extension and the command line use, and checks what a researcher relies on:
// no coding lost or moved onto other words, every file parses and is written deterministically, a merge
// gives the same bytes whichever side is "ours". The oracles do not ask the code under test where things
// are: test/property/text.ts tags every character and follows it through the edits.
import { BUILTIN_RELATION_TYPES } from '../../src/core/model';
import { addRelation, deleteRelation, relationProblems } from '../../src/core/relations';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { reanchorCodings, shiftCodings } from '../../src/core/anchor';
import type { Case, Code, Coding, ProjectFile, Relation, RelationType, Sidecar } from '../../src/core/model';
import { makeAnchor } from '../../src/core/text';
import { hashText } from '../../src/core/hash';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { addCode, parseProject, serializeProject } from '../../src/core/project';
import { deleteCode, mergeCodes, moveCode, recodeCodings, recolorCode, removeCodingsOf, renameCode } from '../../src/core/codebook';
import { addCodings, duplicateKey } from '../../src/core/invariants';
import type { CodebookEdit } from '../../src/core/codebook';
import { deepEqual } from '../../src/core/merge';
import { mergeFileTexts } from '../../src/core/mergeDriver';
import type { Environment } from '../../src/core/ports';
import { codePath } from '../../src/core/project';
import { DocumentTable } from '../../src/core/documents';
import { ProjectSession } from '../../src/core/session';
import { findDuplicates } from '../../src/core/invariants';
import { exportQdpx } from '../../src/core/refi/export';
import { importRefi } from '../../src/core/refi/import';
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
    return { id: id('c', i + 1), codeId: id('c0de', 1 + (i % 3)), anchor: makeAnchor(text, start, end), coder: i % 2 ? 'Kari' : 'Ola', created: CREATED };
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
// 3. Files: parse, deterministic

const stringArb = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('æøå ÆØÅ', 'Havet 🌊', 'line\nbreak', 'tab\there', 'quote " and \\ slash', '  spaced  ', 'CR\r\nLF'));
const timestampArb = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
const uuidArb = fc.uuid().map((u) => u.toLowerCase());

/** Any valid coding, with any optional fields. Quote and context need not be in a text here: this is about the file. */
const codingArb: fc.Arbitrary<Coding> = fc
  .record({
    id: uuidArb,
    codeId: uuidArb,
    start: fc.nat({ max: 100000 }),
    length: fc.nat({ max: 500 }),
    prefix: stringArb,
    quote: stringArb,
    suffix: stringArb,
    coder: stringArb,
    created: timestampArb,
    note: fc.option(stringArb, { nil: undefined }),
    translation: fc.option(fc.record({ text: stringArb, language: fc.constantFrom('en', 'nb', 'de'), translator: stringArb, created: timestampArb }), { nil: undefined }),
    representative: fc.option(fc.constantFrom('code' as const, 'category' as const), { nil: undefined }),
    orphaned: fc.option(fc.constant(true as const), { nil: undefined }),
    conflictOf: fc.option(uuidArb, { nil: undefined }),
  })
  .map((r) => {
    const c: Coding = { id: r.id, codeId: r.codeId, anchor: { start: r.start, end: r.start + r.length, prefix: r.prefix, quote: r.quote, suffix: r.suffix }, coder: r.coder, created: r.created };
    if (r.note) c.note = r.note;
    if (r.translation) c.translation = r.translation;
    if (r.representative) c.representative = r.representative;
    if (r.orphaned) c.orphaned = r.orphaned;
    if (r.conflictOf) c.conflictOf = r.conflictOf;
    return c;
  });

const codeArb: fc.Arbitrary<Code> = fc
  .record({
    id: uuidArb,
    name: stringArb,
    color: fc.integer({ min: 0, max: 0xffffff }).map((n) => '#' + n.toString(16).padStart(6, '0')),
    description: fc.option(stringArb, { nil: undefined }),
    parent: fc.option(uuidArb, { nil: undefined }),
    focused: fc.option(fc.constant(true as const), { nil: undefined }),
    order: fc.option(fc.nat({ max: 50 }), { nil: undefined }),
    created: timestampArb,
    createdBy: stringArb,
    conflictOf: fc.option(uuidArb, { nil: undefined }),
  })
  .map((r) => {
    const c: Code = { id: r.id, name: r.name, color: r.color, created: r.created, createdBy: r.createdBy };
    if (r.description) c.description = r.description;
    if (r.parent) c.parent = r.parent;
    if (r.focused) c.focused = true;
    if (r.order !== undefined) c.order = r.order;
    if (r.conflictOf) c.conflictOf = r.conflictOf;
    return c;
  });

const caseArb: fc.Arbitrary<Case> = fc.record({
  id: uuidArb,
  pseudonym: stringArb,
  documents: fc.array(fc.constantFrom('a.txt', 'intervjuer/b.txt', 'ø/å.md'), { maxLength: 3 }),
  attributes: fc.dictionary(fc.string({ maxLength: 6 }), stringArb, { maxKeys: 4 }),
});

const relationTypeArb: fc.Arbitrary<RelationType> = fc
  .record({ id: uuidArb, name: stringArb, direction: fc.constantFrom('symmetric' as const, 'one-way' as const), transitive: fc.boolean(), conflictOf: fc.option(uuidArb, { nil: undefined }) })
  .map((r) => {
    const t: RelationType = { id: r.id, name: r.name, direction: r.direction };
    if (r.transitive) t.transitive = true;
    if (r.conflictOf) t.conflictOf = r.conflictOf;
    return t;
  });

const relationArb: fc.Arbitrary<Relation> = fc
  .record({
    id: uuidArb,
    source: uuidArb,
    target: uuidArb,
    type: uuidArb,
    label: fc.option(stringArb, { nil: undefined }),
    evidence: fc.uniqueArray(uuidArb, { maxLength: 4 }),
    author: stringArb,
    created: timestampArb,
    modified: timestampArb,
    conflictOf: fc.option(uuidArb, { nil: undefined }),
  })
  .map((r) => {
    const x: Relation = { id: r.id, source: r.source, target: r.target, type: r.type, author: r.author, created: r.created, modified: r.modified };
    if (r.label) x.label = r.label;
    if (r.evidence.length) x.evidence = [...r.evidence].sort();
    if (r.conflictOf) x.conflictOf = r.conflictOf;
    return x;
  });

/** Records with unique ids (the parsers refuse duplicates). */
const uniqueById = <T extends { id: string }>(arb: fc.Arbitrary<T>, maxLength: number) => fc.uniqueArray(arb, { selector: (r) => r.id, maxLength });

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items.map((x, i) => [keys[i % Math.max(1, keys.length)] ?? 0, i, x] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((t) => t[2]);
}

/** What every file Grounded writes must be: LF only, a final newline, parse back to the same bytes. */
function assertFileText(text: string, what: string): void {
  assert.ok(!text.includes('\r'), `${what}: a CR in the file`);
  assert.ok(text.endsWith('\n') && !text.endsWith('\n\n'), `${what}: not one final newline`);
}

function checkFiles(codings: Coding[], codes: Code[], cases: Case[], settings: Record<string, unknown>, keys: number[], relations: Relation[] = [], relationTypes: RelationType[] = []): void {
  const sidecar: Sidecar = { version: 1, document: { path: 'intervjuer/ø.txt', hash: hashText('x') }, codings };
  const text = serializeSidecar(sidecar);
  assertFileText(text, 'sidecar');
  const parsed = parseSidecar(text, 'a.codes.json');
  assert.equal(serializeSidecar(parsed), text, 'sidecar: parse and write again gives other bytes');
  assert.equal(serializeSidecar({ ...sidecar, codings: shuffled(codings, keys) }), text, 'sidecar: the order of the codings in memory changed the file');
  assert.deepEqual(new Set(parsed.codings.map((c) => JSON.stringify(c))), new Set(codings.map((c) => JSON.stringify(c))), 'sidecar: parse gives other codings');

  const project: ProjectFile = { version: 1, project: { id: codes[0]?.id ?? '00000000-0000-4000-8000-000000000000', name: 'Prosjekt «ø»', created: CREATED }, settings, codes, cases };
  if (relations.length) project.relations = relations;
  if (relationTypes.length) project.relationTypes = relationTypes;
  const ptext = serializeProject(project);
  assertFileText(ptext, 'grounded.json');
  const pparsed = parseProject(ptext, 'grounded.json');
  assert.equal(serializeProject(pparsed), ptext, 'grounded.json: parse and write again gives other bytes');
  const reordered: ProjectFile = {
    ...project,
    settings: Object.fromEntries(shuffled(Object.entries(settings), keys)),
    codes: shuffled(codes, keys),
    cases: shuffled(cases, keys).map((k) => ({ ...k, attributes: Object.fromEntries(shuffled(Object.entries(k.attributes), keys)) })),
    ...(relations.length ? { relations: shuffled(relations, keys).map((r) => ({ ...r, evidence: r.evidence && shuffled(r.evidence, keys) })) } : {}),
    ...(relationTypes.length ? { relationTypes: shuffled(relationTypes, keys) } : {}),
  };
  const byId = <T extends { id: string }>(xs: readonly T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  assert.deepEqual(pparsed.relations ?? [], byId(relations), 'grounded.json: parse gives other relations');
  assert.deepEqual(pparsed.relationTypes ?? [], byId(relationTypes), 'grounded.json: parse gives other relation types');
  assert.equal(serializeProject(reordered), ptext, 'grounded.json: the order of records or keys in memory changed the file');
}

// ---------------------------------------------------------------------------------------------
// 4. Three-way merges through the git merge driver

/** One transcript's project as a side of a merge sees it. */
interface World {
  project: ProjectFile;
  text: string;
  codings: Coding[];
}

const CODERS = ['Kari', 'Ola', 'Åse'];
const CODE_NAMES = ['savn', 'Savn', 'håp', 'familien', 'Frihet 🌊', 'skam', 'rutiner', 'kontakt', 'Tid & <rom>', 'mørket'];
const COLOURS = ['#e06c75', '#61afef', '#98c379', '#E5C07B', '#000000'];

/** Counting ids with a side's own hex prefix, and a clock that moves on. */
function sideEnv(prefix: string): Environment {
  let n = 0;
  return { now: () => new Date(Date.UTC(2026, 10, 5, 12, 0, n)).toISOString(), newId: () => id(prefix, ++n) };
}

export const worldOpArb = fc.oneof(
  // Few spans and codes, so that both sides often code the same words with the same code.
  { weight: 4, arbitrary: fc.record({ op: fc.constant('code' as const), span: fc.record({ from: fc.nat({ max: 12 }), count: fc.integer({ min: 1, max: 4 }) }), code: fc.nat({ max: 4 }), coder: fc.nat({ max: CODERS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('uncode' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('note' as const), which: fc.nat(), note: fc.constantFrom('', 'Viktig.', 'Sansene 🌊') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('newCode' as const), name: fc.nat({ max: CODE_NAMES.length - 1 }), parent: fc.option(fc.nat(), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename' as const), code: fc.nat(), name: fc.nat({ max: CODE_NAMES.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('recolour' as const), code: fc.nat(), colour: fc.nat({ max: COLOURS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('move' as const), code: fc.nat(), parent: fc.option(fc.nat(), { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('merge' as const), code: fc.nat(), into: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), code: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('relate' as const), source: fc.nat(), target: fc.nat(), type: fc.nat({ max: BUILTIN_RELATION_TYPES.length - 1 }), label: fc.constantFrom('', 'fordi', 'Tid & <rom>') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unrelate' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('type' as const), event: eventArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setting' as const), language: fc.option(fc.constantFrom('nb', 'en', 'de'), { nil: undefined }), name: fc.option(fc.constantFrom('Fengsel', 'Soning', 'Etter soning'), { nil: undefined }) }) },
);
export type WorldOp = typeof worldOpArb extends fc.Arbitrary<infer T> ? T : never;

const pick = <T>(items: readonly T[], n: number): T | undefined => (items.length ? items[n % items.length] : undefined);

/**
 * One edit of a world, as the extension makes it (the same core functions). An edit the codebook refuses
 * (a name clash, a move under itself) changes nothing.
 */
function applyWorldOp(w: World, op: WorldOp, env: Environment): World {
  const codes = w.project.codes;
  const codeAt = (n: number) => pick(codes, n)?.id;
  try {
    switch (op.op) {
      case 'code': {
        const codeId = codeAt(op.code);
        if (!codeId) return w;
        const [start, end] = spanOf(wordSpans(w.text), op.span);
        const c: Coding = { id: env.newId(), codeId, anchor: makeAnchor(w.text, start, end), coder: CODERS[op.coder], created: env.now() };
        return { ...w, codings: addCodings(w.codings, [c]).codings };
      }
      case 'uncode': {
        const gone = pick(w.codings, op.which);
        return gone ? { ...w, codings: w.codings.filter((c) => c !== gone) } : w;
      }
      case 'note': {
        const c = pick(w.codings, op.which);
        if (!c) return w;
        const next: Coding = { ...c, note: op.note };
        if (!op.note) delete next.note;
        return { ...w, codings: w.codings.map((x) => (x === c ? next : x)) };
      }
      case 'newCode': {
        const parent = op.parent === undefined ? undefined : codeAt(op.parent);
        return { ...w, project: addCode(w.project, { name: CODE_NAMES[op.name], parent }, 'Kari', env).project };
      }
      case 'rename': {
        const c = codeAt(op.code);
        return c ? { ...w, project: renameCode(w.project, c, CODE_NAMES[op.name]) } : w;
      }
      case 'recolour': {
        const c = codeAt(op.code);
        return c ? { ...w, project: recolorCode(w.project, c, COLOURS[op.colour]) } : w;
      }
      case 'move': {
        const c = codeAt(op.code);
        return c ? { ...w, project: moveCode(w.project, c, op.parent === undefined ? undefined : codeAt(op.parent)) } : w;
      }
      case 'merge': {
        const from = codeAt(op.code);
        const into = codeAt(op.into);
        if (!from || !into) return w;
        const project = mergeCodes(w.project, from, into).project;
        return { ...w, project, codings: recodeCodings(w.codings, from, into).codings };
      }
      case 'delete': {
        const c = codeAt(op.code);
        if (!c) return w;
        return { ...w, project: deleteCode(w.project, c).project, codings: removeCodingsOf(w.codings, [c]).codings };
      }
      case 'relate': {
        const source = codeAt(op.source);
        const target = codeAt(op.target);
        if (!source || !target) return w;
        const evidence = w.codings.filter((c) => c.codeId === source).slice(0, 1).map((c) => c.id);
        return { ...w, project: addRelation(w.project, { source, target, type: BUILTIN_RELATION_TYPES[op.type].id, label: op.label, evidence }, 'Kari', env).project };
      }
      case 'unrelate': {
        const r = pick(w.project.relations ?? [], op.which);
        return r ? { ...w, project: deleteRelation(w.project, r.id) } : w;
      }
      case 'setting': {
        const settings = { ...w.project.settings };
        if (op.language) settings.language = op.language;
        else delete settings.language;
        const info = op.name ? { ...w.project.project, name: op.name } : w.project.project;
        return { ...w, project: { ...w.project, project: info, settings } };
      }
      case 'type': {
        const changes = changesOf(w.text, op.event);
        if (!changes.length) return w;
        const model = new TaggedText(w.text);
        model.apply(changes);
        return { ...w, text: model.text, codings: shiftCodings(w.codings, changes, model.text).codings };
      }
    }
  } catch (err) {
    if (err instanceof Error && !(err instanceof assert.AssertionError)) return w; // refused: nothing changed
    throw err;
  }
}

function baseWorld(turns: Turn[], codeNames: number[], spans: SpanSpec[]): World {
  const env = sideEnv('ba5e');
  const text = textOf(turns);
  let project: ProjectFile = { version: 1, project: { id: env.newId(), name: 'Fengsel', created: CREATED }, settings: { language: 'nb' }, codes: [], cases: [] };
  for (const n of codeNames) {
    try {
      project = addCode(project, { name: CODE_NAMES[n] }, 'Kari', env).project;
    } catch {
      // a name taken
    }
  }
  let w: World = { project, text, codings: [] };
  spans.forEach((span, i) => (w = applyWorldOp(w, { op: 'code', span, code: i, coder: i % CODERS.length }, env)));
  return w;
}

const sidecarText = (w: World) => serializeSidecar({ version: 1, document: { path: 'intervju.txt', hash: hashText(w.text) }, codings: w.codings });

/**
 * Merging A into B and B into A: the same conflicts and duplicates counted, the same bytes when there is
 * no conflict (with a conflict "ours" is kept and "theirs" set beside it, so the bytes may differ), files
 * that parse back to the same bytes, and no coding lost: every coding of A and of B is in the merge,
 * unless the other side deleted it and this side had not changed it, or it repeats a coding the merge
 * kept (the same coder, code and anchor: mergeDriver.ts drops it).
 */
function checkMerge(base: World, a: World, b: World): void {
  for (const kind of ['sidecar', 'project'] as const) {
    const text = kind === 'sidecar' ? sidecarText : (w: World) => serializeProject(w.project);
    const path = kind === 'sidecar' ? 'intervju.txt.codes.json' : 'grounded.json';
    const ab = mergeFileTexts(kind, text(base), text(a), text(b), path);
    const ba = mergeFileTexts(kind, text(base), text(b), text(a), path);
    assert.equal(ab.conflicts, ba.conflicts, `${path}: ${ab.conflicts} conflicts merging B into A, ${ba.conflicts} merging A into B`);
    assert.equal(ab.duplicates, ba.duplicates, `${path}: duplicates dropped differ by direction`);
    if (ab.conflicts === 0) assert.equal(ab.text, ba.text, `${path}: A into B and B into A give different files`);
    for (const r of [ab, ba]) {
      assertFileText(r.text, path);
      if (kind === 'sidecar') {
        const merged = parseSidecar(r.text, path);
        assert.equal(serializeSidecar(merged), r.text);
        const ids = new Set(merged.codings.map((c) => c.id));
        const keys = new Set(merged.codings.map((c) => `${duplicateKey(c)}\u0000${JSON.stringify(c.anchor)}`));
        const baseById = new Map(base.codings.map((c) => [c.id, c]));
        for (const [side, other] of [[a, b], [b, a]] as const) {
          const otherIds = new Set(other.codings.map((c) => c.id));
          for (const c of side.codings) {
            if (ids.has(c.id)) continue;
            const deletedThere = !otherIds.has(c.id) && baseById.has(c.id) && deepEqual(baseById.get(c.id), c);
            const repeat = keys.has(`${duplicateKey(c)}\u0000${JSON.stringify(c.anchor)}`);
            assert.ok(deletedThere || repeat, `${path}: the coding ${c.id} "${c.anchor.quote}" was lost in the merge`);
          }
        }
      } else {
        const merged = parseProject(r.text, path);
        assert.equal(serializeProject(merged), r.text);
        // No relation lost: each of A's and B's is in the merge unless the other side deleted it and this side had not changed it.
        const ids = new Set((merged.relations ?? []).map((x) => x.id));
        const baseById = new Map((base.project.relations ?? []).map((x) => [x.id, x]));
        for (const [side, other] of [[a, b], [b, a]] as const) {
          const otherIds = new Set((other.project.relations ?? []).map((x) => x.id));
          for (const x of side.project.relations ?? []) {
            const deletedThere = !otherIds.has(x.id) && baseById.has(x.id) && deepEqual(baseById.get(x.id), x);
            assert.ok(ids.has(x.id) || deletedThere, `${path}: the relation ${x.id} was lost in the merge`);
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 5. REFI-QDA: export, then import

/** The codebook as paths of names, with colour and description, sorted. */
function codebookOf(project: ProjectFile): string[] {
  return project.codes.map((c) => JSON.stringify([codePath(project, c.id), c.color, c.description ?? ''])).sort();
}

/** The codings as [transcript, code path, start, end, quote, coder], sorted. */
function codingsOf(project: ProjectFile, docs: ReadonlyMap<string, readonly Coding[]>): string[] {
  const out: string[] = [];
  for (const [path, codings] of docs) {
    for (const c of codings) if (!c.orphaned) out.push(JSON.stringify([path, codePath(project, c.codeId), c.anchor.start, c.anchor.end, c.anchor.quote, c.coder]));
  }
  return out.sort();
}

/**
 * A project exported as .qdpx (LF or CRLF sources) and imported again has the same codebook (names,
 * tree, colours, descriptions) and the same codings: the same transcript, code, offsets, quote and coder.
 * Orphaned codings are left out of an export (their words are not in the text), so not compared.
 */
function checkRefi(worlds: World[], crlf: boolean): void {
  const project = worlds[worlds.length - 1].project;
  const documents = worlds.map((w, i) => ({ path: i === 0 ? 'intervjuer/Åse 1.txt' : `intervjuer/samtale ${i + 1}.txt`, lfText: w.text, codings: w.codings.filter((c) => project.codes.some((k) => k.id === c.codeId)) }));
  const exported = exportQdpx({ project, documents, memos: [] }, { lineEnding: crlf ? 'crlf' : 'lf', origin: 'property test' });
  const imported = importRefi(exported.bytes, 'prosjekt.qdpx', { coder: 'Importør', env: sideEnv('1e0') });
  const p = parseProject(imported.files.get('grounded.json')!, 'grounded.json');
  assert.deepEqual(codebookOf(p), codebookOf(project), 'the codebook changed on the way');
  const docs = new Map<string, Coding[]>();
  for (const d of documents) {
    assert.equal(imported.files.get(d.path), d.lfText, `${d.path}: the text changed on the way`);
    const sidecar = imported.files.get(`${d.path}.codes.json`);
    docs.set(d.path, sidecar ? parseSidecar(sidecar, d.path).codings : []);
  }
  const before = new Map(documents.map((d) => [d.path, d.codings]));
  assert.deepEqual(codingsOf(p, docs), codingsOf(project, before), 'the codings changed on the way');
  for (const [path, text] of imported.files) {
    if (path.endsWith('.json')) assertFileText(text, path);
    else assert.ok(!text.includes('\r'), `${path}: a CR in an imported transcript`);
  }
}

// ---------------------------------------------------------------------------------------------
// 6. The project session: codings, codebook edits, editor and outside edits, undo and redo

const sessionOpArb = fc.oneof(
  { weight: 8, arbitrary: fc.record({ doc: fc.nat({ max: 1 }), op: worldOpArb }) },
  { weight: 1, arbitrary: fc.record({ doc: fc.nat({ max: 1 }), op: fc.record({ op: fc.constant('outside' as const), edits: fc.array(outsideOpArb, { minLength: 1, maxLength: 4 }) }) }) },
  { weight: 1, arbitrary: fc.record({ doc: fc.nat({ max: 1 }), op: fc.record({ op: fc.constant('newCodeAndCode' as const), name: fc.nat({ max: CODE_NAMES.length - 1 }), span: spanArb }) }) },
  { weight: 2, arbitrary: fc.record({ doc: fc.constant(0), op: fc.record({ op: fc.constantFrom('undo' as const, 'redo' as const) }) }) },
);
type SessionOp = typeof sessionOpArb extends fc.Arbitrary<infer T> ? T : never;

const PATHS = ['intervjuer/a.txt', 'intervjuer/b.txt'];

/** What undo and redo must bring back: every coding's code (by transcript and id) and the codebook's bytes. */
interface Snapshot {
  codings: string;
  codebook: string;
}

class SessionHarness {
  project: ProjectFile;
  readonly sidecars = new Map<string, Coding[]>();
  readonly texts = new Map<string, string>();
  readonly table = new DocumentTable();
  readonly session: ProjectSession;
  readonly env = sideEnv('5e55');
  /** typing or an outside change happened: spans may have become equal (a duplicate `grounded check` reports) */
  moved = false;

  constructor(base: World, otherText: string) {
    this.project = base.project;
    this.texts.set(PATHS[0], base.text);
    this.texts.set(PATHS[1], otherText);
    this.table.scanned(PATHS, PATHS, new Set(PATHS));
    for (const p of PATHS) this.store(p, []);
    this.session = new ProjectSession(
      {
        editProject: async (change) => (this.project = change(this.project)),
        editCodings: async (path, change) => this.store(path, change([...(this.sidecars.get(path) ?? [])])),
        textOf: (path) => this.texts.get(path),
      },
      this.env,
      this.table,
    );
    this.session.setProject(this.project);
  }

  store(path: string, codings: Coding[]): void {
    this.sidecars.set(path, codings);
    this.table.setStored(path, codings);
  }

  snapshot(): Snapshot {
    const codings = PATHS.flatMap((p) => (this.sidecars.get(p) ?? []).map((c) => `${p} ${c.id} ${c.codeId}`)).sort().join('\n');
    return { codings, codebook: serializeProject(this.project) };
  }

  /** The files as written now. */
  files(): Map<string, string> {
    const out = new Map([['grounded.json', serializeProject(this.project)]]);
    for (const p of PATHS) out.set(`${p}.codes.json`, serializeSidecar({ version: 1, document: { path: p, hash: hashText(this.texts.get(p)!) }, codings: this.sidecars.get(p)! }));
    return out;
  }

  private codebookEdit(label: string, edit: (p: ProjectFile) => CodebookEdit, codings?: Parameters<ProjectSession['editCodebook']>[2]) {
    return this.session.editCodebook(label, edit, codings);
  }

  /** Runs one op; true when it recorded a transaction (undo: took one back; redo: applied one again). */
  async run(doc: number, op: SessionOp['op']): Promise<boolean> {
    const path = PATHS[doc];
    const text = this.texts.get(path)!;
    const codings = this.sidecars.get(path)!;
    const codes = this.project.codes;
    const codeAt = (n: number) => pick(codes, n);
    const done = this.session.history.canUndo ? this.session.history.nextUndo : undefined;
    const recorded = () => (this.session.history.canUndo ? this.session.history.nextUndo : undefined) !== done;
    try {
      switch (op.op) {
        case 'undo':
          return (await this.session.history.undo()) !== undefined;
        case 'redo':
          return (await this.session.history.redo()) !== undefined;
        case 'type': {
          const changes = changesOf(text, op.event);
          if (!changes.length) return false;
          const model = new TaggedText(text);
          model.apply(changes);
          this.texts.set(path, model.text);
          this.store(path, shiftCodings(codings, changes, model.text).codings);
          this.session.changed({ positions: [path] });
          this.moved = true;
          return false;
        }
        case 'outside': {
          const model = new TaggedText(text);
          model.apply(outsideChanges(text, op.edits));
          this.texts.set(path, model.text);
          this.store(path, reanchorCodings(codings, model.text).codings);
          this.session.changed({ codings: [path] });
          this.moved = true;
          return false;
        }
        case 'code': {
          const code = codeAt(op.code);
          if (!code) return false;
          await this.session.code(path, text, [spanOf(wordSpans(text), op.span)], code.id, CODERS[op.coder]);
          return recorded();
        }
        case 'newCodeAndCode':
          await this.session.code(path, text, [spanOf(wordSpans(text), op.span)], { newCode: CODE_NAMES[op.name] }, 'Kari');
          return recorded();
        case 'uncode': {
          const c = pick(codings, op.which);
          if (!c) return false;
          await this.session.removeCodings(path, [c.id]);
          return recorded();
        }
        case 'note': {
          const c = pick(codings, op.which);
          if (!c) return false;
          await this.session.editCoding(path, c.id, 'Note.', (x) => {
            const next: Coding = { ...x, note: op.note };
            if (!op.note) delete next.note;
            return next;
          });
          return recorded();
        }
        case 'newCode': {
          const parent = op.parent === undefined ? undefined : codeAt(op.parent)?.id;
          await this.codebookEdit('New code.', (p) => {
            const r = addCode(p, { name: CODE_NAMES[op.name], parent }, 'Kari', this.env);
            return { project: r.project, before: [], added: [r.code.id] };
          });
          return recorded();
        }
        case 'rename': {
          const old = codeAt(op.code);
          if (!old) return false;
          await this.codebookEdit('Renamed.', (p) => ({ project: renameCode(p, old.id, CODE_NAMES[op.name]), before: [old] }));
          return recorded();
        }
        case 'recolour': {
          const old = codeAt(op.code);
          if (!old) return false;
          await this.codebookEdit('Recoloured.', (p) => ({ project: recolorCode(p, old.id, COLOURS[op.colour]), before: [old] }));
          return recorded();
        }
        case 'move': {
          const old = codeAt(op.code);
          if (!old) return false;
          const parent = op.parent === undefined ? undefined : codeAt(op.parent)?.id;
          await this.codebookEdit('Moved.', (p) => ({ project: moveCode(p, old.id, parent), before: [old] }));
          return recorded();
        }
        case 'merge': {
          const from = codeAt(op.code);
          const into = codeAt(op.into);
          if (!from || !into) return false;
          await this.codebookEdit('Merged.', (p) => mergeCodes(p, from.id, into.id), (cs) => recodeCodings(cs, from.id, into.id));
          return recorded();
        }
        case 'delete': {
          const old = codeAt(op.code);
          if (!old) return false;
          await this.codebookEdit('Deleted.', (p) => deleteCode(p, old.id), (cs) => removeCodingsOf(cs, [old.id]));
          return recorded();
        }
        case 'relate': {
          const source = codeAt(op.source);
          const target = codeAt(op.target);
          if (!source || !target) return false;
          const evidence = PATHS.flatMap((x) => this.sidecars.get(x)!).filter((c) => c.codeId === source.id).slice(0, 2).map((c) => c.id);
          await this.session.addRelation({ source: source.id, target: target.id, type: BUILTIN_RELATION_TYPES[op.type].id, label: op.label, evidence }, 'Kari');
          return recorded();
        }
        case 'unrelate': {
          const r = pick(this.project.relations ?? [], op.which);
          if (!r) return false;
          await this.session.editRelations('Unrelated.', (p) => deleteRelation(p, r.id));
          return recorded();
        }
        case 'setting':
          return false;
      }
    } catch (err) {
      if (err instanceof assert.AssertionError || !(err instanceof Error)) throw err;
      return false; // refused (a name taken, a move under itself): checked below to have changed nothing
    }
  }

  /** The rules that hold after every step. */
  check(what: string): void {
    const ids = new Set(this.project.codes.map((c) => c.id));
    for (const p of PATHS) {
      const text = this.texts.get(p)!;
      for (const c of this.sidecars.get(p)!) {
        assertConsistent(c, text, `${what}, ${p}`);
        assert.ok(ids.has(c.codeId), `${what}, ${p}: the coding ${c.id} has the code ${c.codeId}, which is not in the codebook`);
      }
      if (!this.moved) assert.deepEqual(findDuplicates(this.sidecars.get(p)!), [], `${what}, ${p}: a duplicate coding`);
    }
    const names = new Set<string>();
    for (const c of this.project.codes) {
      const key = `${c.parent ?? ''}\u0000${c.name.normalize('NFC').toLowerCase()}`;
      assert.ok(!names.has(key), `${what}: two codes named "${c.name}" side by side`);
      names.add(key);
    }
    // Relations: endpoints and type exist, no two are one, evidence only of codings that exist.
    const codingIds = new Set(PATHS.flatMap((x) => this.sidecars.get(x)!.map((c) => c.id)));
    assert.deepEqual(relationProblems(this.project, codingIds).map((x) => x.message), [], `${what}: a relation breaks a rule`);
    for (const [path, text] of this.files()) {
      assertFileText(text, path);
      const again = path === 'grounded.json' ? serializeProject(parseProject(text, path)) : serializeSidecar(parseSidecar(text, path));
      assert.equal(again, text, `${what}: ${path} does not parse back to the same bytes`);
    }
  }
}

/**
 * A sequence of coding, codebook, editor and outside edits and undo/redo through ProjectSession, with
 * in-memory ports. After every step: every coding describes the text at its offsets (or is orphaned),
 * has a code in the codebook, no duplicates (unless typing or an outside change made two spans equal:
 * `grounded check` reports those), code names unique among siblings, relations that keep their rules
 * (relations.ts: endpoints and type exist, no two are one, evidence only of codings that exist), files that parse back to the same
 * bytes; a refused edit changes nothing; undo and redo restore exactly the codings (by id and code) and
 * the codebook of the step they return to. At the end, undoing everything gives the start back, and
 * redoing everything the end.
 */
async function checkSession(turns: Turn[], codeNames: number[], ops: SessionOp[]): Promise<void> {
  const base = baseWorld(turns, codeNames, []);
  const h = new SessionHarness(base, textOf([...turns].reverse()));
  const states: Snapshot[] = [h.snapshot()];
  let at = 0;
  for (const [i, { doc, op }] of ops.entries()) {
    const before = h.snapshot();
    const recorded = await h.run(doc, op);
    const now = h.snapshot();
    const what = `step ${i} (${op.op})`;
    if (op.op === 'undo' || op.op === 'redo') {
      if (recorded) at += op.op === 'undo' ? -1 : 1;
      assert.deepEqual(now, states[at], `${what}: not the state it should return to`);
    } else if (recorded) {
      states.length = at + 1;
      states.push(now);
      at++;
    } else if (op.op !== 'type' && op.op !== 'outside') {
      assert.deepEqual(now, before, `${what}: changed something without a transaction`);
    }
    h.check(what);
  }
  while (at > 0) {
    assert.ok(await h.session.history.undo(), 'an undo is missing');
    at--;
    assert.deepEqual(h.snapshot(), states[at], `undo to step ${at}`);
    h.check(`undo to ${at}`);
  }
  assert.equal(await h.session.history.undo(), undefined);
  while (at < states.length - 1) {
    assert.ok(await h.session.history.redo(), 'a redo is missing');
    at++;
    assert.deepEqual(h.snapshot(), states[at], `redo to step ${at}`);
    h.check(`redo to ${at}`);
  }
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
  {
    name: 'sidecars and grounded.json parse back to the same bytes, whatever the order in memory',
    make: () =>
      fc.property(
        uniqueById(codingArb, 12),
        uniqueById(codeArb, 8),
        uniqueById(caseArb, 4),
        fc.record({ language: fc.option(fc.constantFrom('nb', 'en'), { nil: undefined }), excludedSpeakers: fc.option(fc.array(stringArb, { maxLength: 3 }), { nil: undefined }), futureKey: fc.option(fc.dictionary(fc.string({ maxLength: 4 }), fc.nat()), { nil: undefined }) }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        uniqueById(relationArb, 4),
        uniqueById(relationTypeArb, 3),
        (codings, codes, cases, settings, keys, relations, relationTypes) => {
          const s: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(settings)) if (v !== undefined) s[k] = v;
          checkFiles(codings, codes, cases, s, keys, relations, relationTypes);
          return true;
        },
      ),
  },
  {
    name: 'three-way merges through the driver: no coding lost, the same bytes both ways',
    make: () =>
      fc.property(
        turnsArb(6),
        fc.array(fc.nat({ max: CODE_NAMES.length - 1 }), { minLength: 1, maxLength: 5 }),
        fc.array(spanArb, { maxLength: 8 }),
        fc.array(worldOpArb, { maxLength: 10 }),
        fc.array(worldOpArb, { maxLength: 10 }),
        (turns, codeNames, spans, opsA, opsB) => {
          const base = baseWorld(turns, codeNames, spans);
          const envA = sideEnv('aaaa');
          const envB = sideEnv('bbbb');
          const a = opsA.reduce((w, op) => applyWorldOp(w, op, envA), base);
          const b = opsB.reduce((w, op) => applyWorldOp(w, op, envB), base);
          checkMerge(base, a, b);
          return true;
        },
      ),
  },
  {
    name: 'REFI-QDA export then import gives the same codebook and codings',
    make: () =>
      fc.property(
        turnsArb(6),
        fc.array(fc.nat({ max: CODE_NAMES.length - 1 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.array(worldOpArb, { maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (turns, codeNames, opsPerDoc, crlf) => {
          // One codebook grows through the documents' edits; each document gets its own text and codings.
          const env = sideEnv('aaaa');
          let world = baseWorld(turns, codeNames, []);
          const worlds: World[] = [];
          opsPerDoc.forEach((ops, i) => {
            const start: World = { project: world.project, text: i === 0 ? world.text : textOf([...turns].reverse()), codings: [] };
            world = ops.reduce((w, op) => applyWorldOp(w, op, env), start);
            worlds.push(world);
          });
          // Deleting or merging a code in a later document left codings of it in earlier ones: drop those, as the editor would have.
          checkRefi(worlds, crlf);
          return true;
        },
      ),
  },
  {
    name: 'the session: codings, codebook edits, editor and outside edits, undo and redo keep every rule',
    make: () =>
      fc.asyncProperty(turnsArb(5), fc.array(fc.nat({ max: CODE_NAMES.length - 1 }), { minLength: 1, maxLength: 4 }), fc.array(sessionOpArb, { maxLength: 25 }), async (turns, codeNames, ops) => {
        await checkSession(turns, codeNames, ops);
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
