import * as assert from 'node:assert/strict';
import type { Coding } from '../../src/core/model';
import { codingsAt, inVivoName } from '../../src/core/query';

function coding(id: string, start: number, end: number, orphaned = false): Coding {
  return {
    id,
    codeId: `code-${id}`,
    anchor: { start, end, prefix: '', quote: 'x'.repeat(end - start), suffix: '' },
    coder: 'Kari Nordmann',
    created: '2026-11-02T10:00:00.000Z',
    ...(orphaned ? { orphaned: true } : {}),
  };
}

describe('codingsAt', () => {
  const list = [coding('inner', 20, 30), coding('outer', 10, 50), coding('later', 60, 70), coding('gone', 0, 100, true)];

  it('lists the codings containing a cursor, outer first, never orphans', () => {
    assert.deepEqual(codingsAt(list, 25).map((c) => c.id), ['outer', 'inner']);
    assert.deepEqual(codingsAt(list, 55).map((c) => c.id), []);
  });

  it('counts a cursor at the start as inside and at the end as outside', () => {
    assert.deepEqual(codingsAt(list, 60).map((c) => c.id), ['later']);
    assert.deepEqual(codingsAt(list, 70).map((c) => c.id), []);
  });

  it('lists the codings overlapping a selection', () => {
    assert.deepEqual(codingsAt(list, 45, 65).map((c) => c.id), ['outer', 'later']);
    assert.deepEqual(codingsAt(list, 50, 60).map((c) => c.id), []);
  });
});

describe('inVivoName', () => {
  it('takes the participant\'s words, tidied', () => {
    assert.equal(inVivoName('  «å holde hodet\n over vannet».  '), 'å holde hodet over vannet');
    assert.equal(inVivoName('"Counting the days backwards."'), 'Counting the days backwards');
  });

  it('cuts a long selection at a word boundary', () => {
    const name = inVivoName('Det handler om å holde hodet over vannet, rett og slett, én dag av gangen, hver eneste dag.', 40);
    assert.equal(name, 'Det handler om å holde hodet over…');
    assert.ok(name.length <= 41);
  });
});
