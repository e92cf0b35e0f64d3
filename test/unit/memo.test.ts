import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Memo, MemoTarget } from '../../src/core/model';
import { FormatError } from '../../src/core/jsonError';
import { memoFileName, memoPathFor, memoTargetFromString, memoTargetToString, parseMemo, serializeMemo } from '../../src/core/memo';

const GOLDEN_PATH = 'memos/helgene-som-dod-tid-da65dfd4.md';
const goldenText = (): string => readFileSync(path.resolve(__dirname, '../../../test/fixtures/golden', GOLDEN_PATH), 'utf8');

const memo = (body: string, target: MemoTarget = { kind: 'project' }): Memo => ({
  id: 'da65dfd4-1dd8-4d01-8d22-b0df74e50dd0',
  target,
  author: 'Kari Nordmann',
  created: '2026-11-02T10:30:00.000Z',
  modified: '2026-11-03T09:12:00.000Z',
  body,
});

function lineOfError(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FormatError, String(err));
    return err.line;
  }
  return assert.fail('expected a FormatError');
}

describe('memo format', () => {
  it('parses the golden memo and re-serialises it byte-identically', () => {
    const text = goldenText();
    const m = parseMemo(text, GOLDEN_PATH);
    assert.deepEqual(m.target, { kind: 'code', id: '035b1c60-4756-4360-ae99-7308f22e9756' });
    assert.equal(m.author, 'Kari Nordmann');
    assert.ok(m.body.startsWith('# Helgene som «død tid»\n\nFlere'), m.body);
    assert.ok(m.body.endsWith('*ventetid*?'), 'the final newline is not part of the body');
    assert.equal(serializeMemo(m), text);
  });

  it('writes the front matter in fixed order, a blank line, the body and one final newline', () => {
    assert.equal(
      serializeMemo(memo('Tekst')),
      '---\nid: da65dfd4-1dd8-4d01-8d22-b0df74e50dd0\ntarget: project\nauthor: Kari Nordmann\ncreated: 2026-11-02T10:30:00.000Z\nmodified: 2026-11-03T09:12:00.000Z\n---\n\nTekst\n',
    );
  });

  it('round-trips bodies with leading blank lines, trailing newlines and no body at all', () => {
    for (const body of ['', '\nstarter med tom linje', 'slutter med linjeskift\n', 'a\n\n\nb']) {
      const m = memo(body);
      assert.deepEqual(parseMemo(serializeMemo(m), 'x.md'), m, JSON.stringify(body));
      assert.equal(serializeMemo(parseMemo(serializeMemo(m), 'x.md')), serializeMemo(m));
    }
  });

  it('reads CRLF and a byte order mark (a Windows checkout) as LF', () => {
    const text = '\uFEFF' + goldenText().replace(/\n/g, '\r\n');
    assert.equal(serializeMemo(parseMemo(text, GOLDEN_PATH)), goldenText());
  });

  it('refuses line breaks in front matter values', () => {
    assert.throws(() => serializeMemo({ ...memo('x'), author: 'Kari\nid: x' }), /single line/);
  });

  it('reports front matter problems on their line', () => {
    const text = goldenText();
    assert.equal(lineOfError(() => parseMemo('# bare markdown\n', 'm.md')), 1);
    assert.equal(lineOfError(() => parseMemo(text.replace('modified: 2026-11-03T09:12:00.000Z\n---', 'modified: 2026-11-03T09:12:00.000Z'), 'm.md')), 1);
    assert.equal(lineOfError(() => parseMemo(text.replace('author: Kari Nordmann', 'forfatter: Kari Nordmann'), 'm.md')), 4);
    assert.equal(lineOfError(() => parseMemo(text.replace('author: Kari Nordmann\n', ''), 'm.md')), 6);
    assert.equal(lineOfError(() => parseMemo(text.replace('target: code:', 'target: kode:'), 'm.md')), 3);
    assert.equal(lineOfError(() => parseMemo(text.replace('created: 2026-11-02T10:30:00.000Z', 'created: i går'), 'm.md')), 5);
    assert.throws(() => parseMemo(text.replace('id: da65dfd4', 'id: DA65DFD4'), 'memos/m.md'), /^FormatError: memos\/m\.md:2:5: id: expected a lowercase UUID/);
  });
});

describe('memo targets and file names', () => {
  it('converts every kind of target to a string and back', () => {
    const targets: MemoTarget[] = [
      { kind: 'project' },
      { kind: 'code', id: '035b1c60-4756-4360-ae99-7308f22e9756' },
      { kind: 'document', path: 'interviews/åse: del 2.txt' },
      { kind: 'coding', id: '40c49d0a-ca07-44fc-abe3-930199f417ac' },
    ];
    for (const t of targets) assert.deepEqual(memoTargetFromString(memoTargetToString(t)), t);
    assert.equal(memoTargetToString(targets[2]), 'document:interviews/åse: del 2.txt');
  });

  it('rejects strings that are not targets', () => {
    for (const s of ['', 'prosjekt', 'code:', 'code:abc', 'document:', 'memo:035b1c60-4756-4360-ae99-7308f22e9756', 'projects']) {
      assert.equal(memoTargetFromString(s), undefined, s);
    }
  });

  it('folds Norwegian letters to ASCII in the slug and appends 8 characters of the id', () => {
    const m = memo('');
    assert.equal(memoFileName(m, 'Ærlighet, søvn og første år på Åna'), 'aerlighet-sovn-og-forste-ar-pa-ana-da65dfd4.md');
    assert.equal(memoFileName(m, 'Café «Øst» 😔 — notater'), 'cafe-ost-notater-da65dfd4.md');
    assert.equal(memoFileName(m, '😔'), 'memo-da65dfd4.md');
    assert.equal(memoPathFor(m, 'Helgene som død tid'), 'memos/helgene-som-dod-tid-da65dfd4.md');
    const long = memoFileName(m, 'ord '.repeat(40));
    assert.ok(long.length <= 48 + '-da65dfd4.md'.length && !long.includes('--'), long);
  });
});
