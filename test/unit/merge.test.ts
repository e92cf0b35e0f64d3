import * as assert from 'node:assert/strict';
import type { Code, Coding, ProjectFile, Sidecar } from '../../src/core/model';
import { UNKNOWN_HASH, hashText } from '../../src/core/hash';
import { deepEqual, mergeById, mergeProjects, mergeSidecars } from '../../src/core/merge';

interface Rec {
  id: string;
  v: string;
}
const r = (id: string, v = 'base'): Rec => ({ id, v });
const ids = (rs: Rec[]): string => rs.map((x) => `${x.id}=${x.v}`).join(' ');

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
function coding(n: number, start: number, extra: Partial<Coding> = {}): Coding {
  return {
    id: uuid(n),
    codeId: uuid(100),
    anchor: { start, end: start + 5, prefix: '', quote: 'fange', suffix: '' },
    coder: 'Kari',
    created: '2026-11-02T10:00:00.000Z',
    ...extra,
  };
}
const H1 = hashText('Ola: Dagene er like.');
const H2 = hashText('Ola: Dagene er like. Helgene er verst.');
const sidecar = (hash: string, codings: Coding[]): Sidecar => ({ version: 1, document: { path: 'interviews/ola.txt', hash }, codings });

describe('three-way merge by id', () => {
  it('keeps records added on either side', () => {
    const m = mergeById([r('a')], [r('a'), r('b', 'ours')], [r('a'), r('c', 'theirs')]);
    assert.equal(ids(m.merged), 'a=base b=ours c=theirs');
    assert.deepEqual(m.conflicts, []);
  });

  it('deletes a record deleted on one side and unchanged on the other', () => {
    assert.equal(ids(mergeById([r('a'), r('b')], [r('a')], [r('a'), r('b')]).merged), 'a=base');
    assert.equal(ids(mergeById([r('a'), r('b')], [r('a'), r('b')], [r('b')]).merged), 'b=base');
    assert.equal(ids(mergeById([r('a')], [], []).merged), '');
  });

  it('keeps a record deleted on one side and changed on the other, as changed', () => {
    const ours = mergeById([r('a')], [r('a', 'edited')], []);
    assert.equal(ids(ours.merged), 'a=edited');
    const theirs = mergeById([r('a')], [], [r('a', 'edited')]);
    assert.equal(ids(theirs.merged), 'a=edited');
    assert.deepEqual([ours.conflicts, theirs.conflicts], [[], []]);
  });

  it('takes a change made on one side only', () => {
    assert.equal(ids(mergeById([r('a')], [r('a', 'ours')], [r('a')]).merged), 'a=ours');
    assert.equal(ids(mergeById([r('a')], [r('a')], [r('a', 'theirs')]).merged), 'a=theirs');
  });

  it('keeps ours and reports a conflict when both sides changed a record differently', () => {
    const m = mergeById([r('a'), r('b')], [r('a', 'ours'), r('b')], [r('a', 'theirs'), r('b')]);
    assert.equal(ids(m.merged), 'a=ours b=base');
    assert.deepEqual(m.conflicts, [{ id: 'a', ours: r('a', 'ours'), theirs: r('a', 'theirs') }]);
  });

  it('does not report the same change made on both sides, nor the same id added twice identically', () => {
    assert.deepEqual(mergeById([r('a')], [r('a', 'x')], [r('a', 'x')]).conflicts, []);
    const added = mergeById([], [r('n', 'x')], [r('n', 'x')]);
    assert.equal(ids(added.merged), 'n=x');
    const clash = mergeById([], [r('n', 'x')], [r('n', 'y')]);
    assert.equal(clash.conflicts.length, 1);
  });

  it('uses the given equality', () => {
    const sameLetter = (a: Rec, b: Rec): boolean => a.v[0] === b.v[0];
    assert.equal(ids(mergeById([r('a', 'x1')], [r('a', 'x2')], [r('a', 'y')], sameLetter).merged), 'a=y');
  });

  it('compares structurally, ignoring key order and undefined keys', () => {
    assert.ok(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }));
    assert.ok(deepEqual({ a: 1, note: undefined }, { a: 1 }));
    assert.ok(!deepEqual({ a: 1 }, { a: 1, b: null }));
    assert.ok(!deepEqual([1, 2], [2, 1]));
    assert.ok(!deepEqual({ 0: 'x' }, ['x']));
  });
});

describe('sidecar merge', () => {
  it('never loses a coding: deleted by us, re-coded (changed) by them', () => {
    const base = sidecar(H1, [coding(1, 0), coding(2, 10)]);
    const ours = sidecar(H1, [coding(2, 10)]);
    const theirs = sidecar(H1, [coding(1, 0, { note: 'viktig' }), coding(2, 10)]);
    const m = mergeSidecars(base, ours, theirs);
    assert.deepEqual(
      m.merged.codings.map((c) => [c.id, c.note]),
      [
        [uuid(1), 'viktig'],
        [uuid(2), undefined],
      ],
    );
  });

  it('merges additions from both sides in sidecar order', () => {
    const base = sidecar(H1, [coding(5, 5)]);
    const m = mergeSidecars(base, sidecar(H1, [coding(5, 5), coding(7, 9)]), sidecar(H1, [coding(6, 1), coding(5, 5)]));
    assert.deepEqual(
      m.merged.codings.map((c) => c.id),
      [uuid(6), uuid(5), uuid(7)],
    );
    assert.equal(m.merged.document.hash, H1);
  });

  it('keeps the hash of the side whose codings are all in the result', () => {
    // Theirs edited the transcript and re-anchored; we changed nothing.
    const base = sidecar(H1, [coding(1, 0)]);
    const m = mergeSidecars(base, base, sidecar(H2, [coding(1, 2)]));
    assert.equal(m.merged.document.hash, H2);
    assert.equal(m.merged.codings[0].anchor.start, 2);
  });

  it('marks the hash unknown when codings anchored against different texts are mixed', () => {
    const base = sidecar(H1, [coding(1, 0)]);
    const ours = sidecar(H1, [coding(1, 0), coding(2, 14)]);
    const theirs = sidecar(H2, [coding(1, 2)]);
    const m = mergeSidecars(base, ours, theirs);
    assert.equal(m.merged.document.hash, UNKNOWN_HASH);
    assert.equal(m.merged.codings.length, 2);
  });

  // Found by the property tests (test/property/properties.ts), shrunk: no codings, one side edited the text.
  it('takes the hash of the side that changed the text when both sides have the same codings, whichever side is ours', () => {
    const base = sidecar(H1, [coding(1, 0)]);
    const edited = sidecar(H2, [coding(1, 0)]);
    assert.equal(mergeSidecars(base, base, edited).merged.document.hash, H2);
    assert.equal(mergeSidecars(base, edited, base).merged.document.hash, H2);
    const other = sidecar(hashText('Ola: Dagene er like lange.'), [coding(1, 0)]);
    assert.equal(mergeSidecars(base, edited, other).merged.document.hash, UNKNOWN_HASH, 'both changed it');
    assert.equal(mergeSidecars(base, other, edited).merged.document.hash, UNKNOWN_HASH);
  });

  it('merges without a base (the file was created on both sides)', () => {
    const m = mergeSidecars(undefined, sidecar(H1, [coding(1, 0)]), sidecar(H1, [coding(2, 3)]));
    assert.equal(m.merged.codings.length, 2);
  });
});

describe('project merge', () => {
  const code = (n: number, name: string): Code => ({ id: uuid(n), name, color: '#e06c75', created: '2026-11-01T09:00:00.000Z', createdBy: 'Kari' });
  const project = (codes: Code[], settings: ProjectFile['settings'] = {}, name = 'Fengsel'): ProjectFile => ({
    version: 1,
    project: { id: uuid(99), name, created: '2026-11-01T09:00:00.000Z' },
    settings,
    codes,
    cases: [],
  });

  it('merges codes by id and settings key by key', () => {
    const base = project([code(1, 'Tid')], { language: 'nb' });
    const ours = project([code(1, 'Tid'), code(2, 'Savn')], { language: 'nn' });
    const theirs = project([code(1, 'Tid'), code(3, 'Arbeid')], { language: 'nb', reportLanguage: 'en' });
    const m = mergeProjects(base, ours, theirs);
    assert.deepEqual(
      m.merged.codes.map((c) => c.name),
      ['Tid', 'Savn', 'Arbeid'],
    );
    assert.deepEqual(m.merged.settings, { language: 'nn', reportLanguage: 'en' });
  });

  it('takes their project rename when ours did not rename, and reports a code renamed on both sides', () => {
    const base = project([code(1, 'Tid')]);
    const m = mergeProjects(base, project([code(1, 'Ventetid')]), project([code(1, 'Tidsbruk')], {}, 'Fengselsliv'));
    assert.equal(m.merged.project.name, 'Fengselsliv');
    assert.equal(m.merged.codes[0].name, 'Ventetid');
    assert.deepEqual(
      m.conflicts.map((c) => [c.kind, c.id, c.theirs.id === c.id]),
      [['code', uuid(1), true]],
    );
  });
});
