// The document table's test of "nothing changed" (core/documents.ts sameDocument): a transcript opened in
// the editor with the codings its sidecar holds does not make the views recompute; any difference a view
// could show (a coding, its words, note or code, the order, the sidecar, an error) does.
import * as assert from 'node:assert/strict';
import { DocumentTable, sameDocument } from '../../src/core/documents';
import type { Coding } from '../../src/core/model';
import { makeAnchor } from '../../src/core/text';

const TEXT = 'Interviewer: How are the days?\n\nMira: I count them backwards, every morning.\n';

function coding(id: string, start: number, end: number, extra: Partial<Coding> = {}): Coding {
  return { id, codeId: 'code-1', anchor: makeAnchor(TEXT, start, end), coder: 'Kari Nordmann', created: '2026-11-05T12:00:00.000Z', ...extra };
}

/** A fresh copy, as a second parse of the same sidecar gives: equal values, other objects. */
const copy = (codings: Coding[]) => JSON.parse(JSON.stringify(codings)) as Coding[];

describe('sameDocument (a transcript opened with its sidecar\'s codings)', () => {
  const stored = [coding('00000000-0000-4000-8000-000000000001', 38, 61), coding('00000000-0000-4000-8000-000000000002', 44, 74, { note: 'every day' })];

  it('the live codings of an opened transcript, parsed again from the same sidecar, count as the same', () => {
    const table = new DocumentTable();
    table.scanned(['a.txt', 'a.txt.codes.json'], ['a.txt'], new Set(['a.txt']));
    table.setStored('a.txt', stored);
    const before = table.document('a.txt');
    table.setLive('a.txt', copy(stored));
    assert.equal(sameDocument(before, table.document('a.txt')), true);
  });

  it('a coding more or fewer, other words, another code, note or order, or a sidecar error, differ', () => {
    const base = { path: 'a.txt', hasSidecar: true, codings: stored };
    const differ = (codings: Coding[]) => assert.equal(sameDocument(base, { ...base, codings }), false, JSON.stringify(codings));
    differ(stored.slice(1));
    differ([...copy(stored), coding('00000000-0000-4000-8000-000000000003', 0, 11)]);
    differ([coding('00000000-0000-4000-8000-000000000001', 38, 60), stored[1]]);
    differ([{ ...stored[0], codeId: 'code-2' }, stored[1]]);
    differ([stored[0], { ...stored[1], note: 'every night' }]);
    differ([stored[1], stored[0]]);
    assert.equal(sameDocument(base, { ...base, hasSidecar: false }), false);
    assert.equal(sameDocument(base, { ...base, codings: copy(stored), error: new Error('bad') }), false);
    assert.equal(sameDocument(base, { ...base, codings: copy(stored), transcriptMissing: true }), false);
  });

  it('a transcript not yet in the table (opened before the scan) differs from its live codings', () => {
    const table = new DocumentTable();
    const before = table.document('a.txt');
    table.setLive('a.txt', copy(stored));
    assert.equal(sameDocument(before, table.document('a.txt')), false);
  });
});

describe('DocumentTable.storedCodings (what the first highlights of an opened transcript are drawn from)', () => {
  const stored = [coding('00000000-0000-4000-8000-000000000001', 38, 61)];

  it('gives the sidecar\'s codings as last read, never the live ones; nothing without a sidecar or with one that does not parse', () => {
    const table = new DocumentTable<string>();
    table.scanned(['a.txt', 'a.txt.codes.json', 'b.txt'], ['a.txt', 'b.txt'], new Set(['a.txt']));
    assert.equal(table.storedCodings('a.txt'), undefined);
    table.setStored('a.txt', stored);
    table.setLive('a.txt', []);
    assert.deepEqual(table.storedCodings('a.txt'), stored);
    assert.equal(table.storedCodings('b.txt'), undefined);
    table.setStored('a.txt', [], 'line 3: not JSON');
    assert.equal(table.storedCodings('a.txt'), undefined);
  });
});

describe('sameDocument compares values as JSON would write them, never more loosely', () => {
  const base = [coding('00000000-0000-4000-8000-000000000001', 38, 61, { translation: { text: 'every morning', language: 'en', translator: 'Kari Nordmann', created: '2026-11-05T12:00:00.000Z' } })];
  const doc = (codings: Coding[]) => ({ path: 'a.txt', hasSidecar: true, codings });

  it('nested values alike count as the same; a nested difference, another key order or an extra key with no value differ', () => {
    assert.equal(sameDocument(doc(base), doc(copy(base))), true);
    const changed = copy(base);
    changed[0].translation!.text = 'every night';
    assert.equal(sameDocument(doc(base), doc(changed)), false);
    const reordered = copy(base).map(({ id, ...rest }) => ({ ...rest, id }) as Coding);
    assert.equal(sameDocument(doc(base), doc(reordered)), false);
    assert.equal(sameDocument(doc(base), doc(copy(base).map((c) => ({ ...c, note: undefined })))), false);
  });
});

describe('DocumentTable: a transcript deleted while VS Code still holds its document', () => {
  const live = [coding('00000000-0000-4000-8000-000000000001', 38, 61), coding('00000000-0000-4000-8000-000000000002', 44, 61)];

  it('counts nothing once a scan no longer finds its file, and counts again when the file is back', () => {
    const table = new DocumentTable();
    table.scanned(['a.txt', 'a.txt.codes.json', 'b.txt'], ['a.txt', 'b.txt'], new Set(['a.txt']));
    table.setStored('a.txt', live.slice(0, 1));
    table.setLive('a.txt', live);
    assert.equal(table.document('a.txt').codings.length, 2, 'open: the live codings count');
    // The transcript and its sidecar deleted (the editor closed, the document not yet).
    table.deleteStored('a.txt');
    table.scanned(['b.txt'], ['b.txt'], new Set());
    assert.deepEqual(table.documents().map((d) => [d.path, d.codings.length]), [['b.txt', 0]]);
    // Written again (say, saved from the still open document): its codings count again.
    table.scanned(['a.txt', 'b.txt'], ['a.txt', 'b.txt'], new Set());
    assert.deepEqual(table.documents().map((d) => [d.path, d.codings.length]), [['a.txt', 2], ['b.txt', 0]]);
  });

  it('a transcript opened before any scan saw its file still counts (a new file)', () => {
    const table = new DocumentTable();
    table.scanned(['b.txt'], ['b.txt'], new Set());
    table.setLive('new.txt', live);
    assert.equal(table.document('new.txt').codings.length, 2);
  });
});
