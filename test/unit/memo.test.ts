import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Memo, MemoTarget } from '../../src/core/model';
import { FormatError } from '../../src/core/jsonError';
import { renameInMemo } from '../../src/core/rename';
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
    // another key is kept (see below), so the memo lacks "author": reported at the closing "---"
    assert.equal(lineOfError(() => parseMemo(text.replace('author: Kari Nordmann', 'forfatter: Kari Nordmann'), 'm.md')), 7);
    assert.equal(lineOfError(() => parseMemo(text.replace('author: Kari Nordmann\n', ''), 'm.md')), 6);
    assert.equal(lineOfError(() => parseMemo(text.replace('target: code:', 'target: kode:'), 'm.md')), 3);
    assert.equal(lineOfError(() => parseMemo(text.replace('created: 2026-11-02T10:30:00.000Z', 'created: i går'), 'm.md')), 5);
    assert.throws(() => parseMemo(text.replace('id: da65dfd4', 'id: DA65DFD4'), 'memos/m.md'), /^FormatError: memos\/m\.md:2:5: id: expected a lowercase UUID/);
  });
});

describe('memo front matter as YAML, with other tools\' keys', () => {
  const ID = 'da65dfd4-1dd8-4d01-8d22-b0df74e50dd0';
  // What Obsidian and a hand keep beside Grounded's keys: a flow list, block lists (indented and not),
  // a nested map, a comment, a quoted value.
  const OTHER = [
    'tags: [venting, helg]',
    'aliases:',
    '  - Helgene',
    '  - "Weekends: dead time"',
    '# my own note',
    'cssclasses:',
    '- wide',
    'review:',
    '  status: draft',
    '  by: [Jonas, Kari]',
  ].join('\n');
  const obsidian = (target: string) =>
    `---\nid: ${ID}\ntarget: ${target}\nauthor: Kari Nordmann\ncreated: 2026-11-02T10:30:00.000Z\nmodified: 2026-11-03T09:12:00.000Z\n${OTHER}\n---\n\nOla snakker om helgene.\n`;

  it('keeps keys Grounded does not know and writes them back byte for byte after a rename', () => {
    const text = obsidian('document:interviews/ola.txt');
    const m = parseMemo(text, 'memos/m.md');
    assert.equal(m.otherFrontMatter, OTHER);
    assert.equal(serializeMemo(m), text, 'read and written unchanged');
    const renamed = renameInMemo(m, [{ from: 'interviews', to: 'data' }]);
    assert.equal(serializeMemo(renamed), obsidian('document:data/ola.txt'));
    const edited = { ...m, body: 'Ny tekst.', modified: '2026-11-06T08:00:00.000Z' };
    assert.equal(serializeMemo(edited), text.replace('2026-11-03T09:12:00.000Z', '2026-11-06T08:00:00.000Z').replace('Ola snakker om helgene.', 'Ny tekst.'));
  });

  it('writes the other keys, in their order, after its own when they came first', () => {
    const text = `---\ntags: [a, b]\naliases:\n  - x\n\nid: ${ID}\ntarget: project\n# a comment\nauthor: Kari Nordmann\ncreated: 2026-11-02T10:30:00.000Z\nmodified: 2026-11-03T09:12:00.000Z\nzeta: 1\n---\n`;
    assert.equal(
      serializeMemo(parseMemo(text, 'm.md')),
      `---\nid: ${ID}\ntarget: project\nauthor: Kari Nordmann\ncreated: 2026-11-02T10:30:00.000Z\nmodified: 2026-11-03T09:12:00.000Z\ntags: [a, b]\naliases:\n  - x\n\n# a comment\nzeta: 1\n---\n`,
    );
  });

  it('reads values as YAML: quoted, or plain; writes each one plain when YAML reads it back the same, quoted otherwise', () => {
    const text = goldenText().replace('author: Kari Nordmann', "author: 'Kari Nordmann'");
    assert.equal(parseMemo(text, 'm.md').author, 'Kari Nordmann');
    assert.equal(serializeMemo(parseMemo(text, 'm.md')), goldenText());
    for (const author of ['2024', 'true', 'null', 'Kari #2', ' Kari', '- Kari', '"Kari"', "'Kari'", '[Kari]', 'Kari: PI', '#1', '', '&a', 'Ærlig Åse']) {
      const m = memo('x');
      const written = serializeMemo({ ...m, author });
      assert.equal(parseMemo(written, 'm.md').author, author, written);
    }
    assert.match(serializeMemo({ ...memo('x'), author: 'Kari: PI' }), /\nauthor: "Kari: PI"\n/);
    assert.match(serializeMemo({ ...memo('x'), author: '2024' }), /\nauthor: 2024\n/);
    assert.match(serializeMemo({ ...memo('x'), target: { kind: 'document', path: 'interviews/åse: del 2.txt' } }), /\ntarget: "document:interviews\/åse: del 2\.txt"\n/);
  });

  it('reads a value written literally before the front matter was YAML as the text it is', () => {
    const text = obsidian('document:interviews/åse: del 2.txt').replace('author: Kari Nordmann', 'author: Kari #2');
    const m = parseMemo(text, 'm.md');
    assert.deepEqual(m.target, { kind: 'document', path: 'interviews/åse: del 2.txt' });
    assert.equal(m.author, 'Kari #2');
    assert.equal(m.otherFrontMatter, OTHER);
  });

  it('gives path:line:column for YAML that does not parse and for a list where Grounded expects text', () => {
    const bad = (text: string) => {
      try {
        parseMemo(text, 'memos/m.md');
      } catch (err) {
        assert.ok(err instanceof FormatError, String(err));
        return err.message;
      }
      return assert.fail('expected a FormatError');
    };
    assert.match(bad(obsidian('project').replace('tags: [venting, helg]', 'tags: [venting, helg')), /^memos\/m\.md:8:\d+: the front matter is not valid YAML: /);
    assert.match(bad(obsidian('project').replace('review:\n  status', 'review:\n status: x\n  status')), /^memos\/m\.md:1[45]:\d+: the front matter is not valid YAML: /);
    assert.equal(bad(obsidian('project').replace('author: Kari Nordmann', 'author:\n  - Kari\n  - Jonas')), 'memos/m.md:5:3: author: expected one line of text, got a list');
    assert.equal(bad(obsidian('project').replace('author: Kari Nordmann', 'author: {name: Kari}')), 'memos/m.md:4:9: author: expected one line of text, got a mapping');
    assert.equal(bad(obsidian('project').replace('tags: [venting, helg]', `id: ${ID}`)), `memos/m.md:7:1: duplicate front matter key "id"`);
    assert.equal(bad(obsidian('project').replace("created: 2026-11-02T10:30:00.000Z", "created: '2026-11-02'")), 'memos/m.md:5:10: created: expected an ISO 8601 UTC timestamp, got "2026-11-02"');
  });

  it('the sample project\'s memos and the golden memo round-trip byte for byte', () => {
    const dir = path.resolve(__dirname, '../../../sample/memos');
    const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
    assert.ok(files.length >= 3);
    for (const f of files) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const m = parseMemo(text, f);
      assert.equal(m.otherFrontMatter, undefined, f);
      assert.equal(serializeMemo(m), text, f);
    }
    assert.equal(serializeMemo(parseMemo(goldenText(), GOLDEN_PATH)), goldenText());
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
