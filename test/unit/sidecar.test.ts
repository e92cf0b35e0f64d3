import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as path from 'node:path';
import type { Coding, Sidecar } from '../../src/core/model';
import { hashText, UNKNOWN_HASH } from '../../src/core/hash';
import { FORMAT_VERSION } from '../../src/core/model';
import { FormatError, TIMESTAMP, UUID, isTimestamp, isUuid, lineColumnAt, offsetOfJsonPath, parseJson } from '../../src/core/jsonError';
import { COLOR_PATTERN } from '../../src/core/project';
import {
  HASH_PATTERN,
  SUGGESTION_KEYS,
  cloneSidecar,
  isSidecarPath,
  migrateSidecar,
  parseSidecar,
  serializeSidecar,
  serializeSidecarChecked,
  sidecarPathFor,
  sortCodings,
  transcriptPathFor,
} from '../../src/core/sidecar';

const GOLDEN = path.resolve(__dirname, '../../../test/fixtures/golden');
const golden = (rel: string): string => readFileSync(path.join(GOLDEN, rel), 'utf8');
const SIDECAR = 'interviews/ola.txt.codes.json';

function coding(id: string, start: number, end: number, extra: Partial<Coding> = {}): Coding {
  return {
    id,
    codeId: '11111111-1111-4111-8111-111111111111',
    anchor: { start, end, prefix: '', quote: 'x'.repeat(end - start), suffix: '' },
    coder: 'Kari',
    created: '2026-11-02T10:00:00.000Z',
    ...extra,
  };
}
const id = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

function expectFormatError(fn: () => unknown, check: { line: number; column?: number; message?: RegExp }): FormatError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof FormatError, `expected a FormatError, got ${String(err)}`);
    assert.equal(err.line, check.line, err.message);
    if (check.column !== undefined) assert.equal(err.column, check.column, err.message);
    if (check.message) assert.match(err.message, check.message);
    return err;
  }
  assert.fail('expected a FormatError');
}

describe('sidecar format', () => {
  it('parses the golden sidecar and re-serialises it byte-identically', () => {
    const text = golden(SIDECAR);
    const s = parseSidecar(text, SIDECAR);
    assert.equal(s.codings.length, 7);
    assert.equal(serializeSidecar(s), text);
  });

  it('keeps Norwegian letters, emoji, notes, translations and flags from the golden file', () => {
    const s = parseSidecar(golden(SIDECAR), SIDECAR);
    const withEmoji = s.codings.find((c) => c.anchor.quote.includes('😔'))!;
    assert.equal(withEmoji.anchor.quote, 'tankene går hjem til ungene 😔');
    assert.equal(withEmoji.translation?.text, 'my thoughts go home to the kids 😔');
    assert.equal(withEmoji.representative, 'code');
    assert.equal(s.codings.filter((c) => c.orphaned).length, 1);
    assert.equal(s.codings.find((c) => c.note)?.note, 'Helgene som «død tid» – jf. memo om ventetid.');
    assert.equal(s.codings[1].coder, 'Ingrid Bø');
  });

  it('has anchors that point at their quotes (UTF-16 offsets) and the hash of the transcript', () => {
    const transcript = golden('interviews/ola.txt');
    const s = parseSidecar(golden(SIDECAR), SIDECAR);
    assert.equal(s.document.hash, hashText(transcript));
    for (const c of s.codings.filter((x) => !x.orphaned)) {
      assert.equal(transcript.slice(c.anchor.start, c.anchor.end), c.anchor.quote);
      assert.equal(transcript.slice(Math.max(0, c.anchor.start - 32), c.anchor.start), c.anchor.prefix);
      assert.equal(transcript.slice(c.anchor.end, c.anchor.end + 32), c.anchor.suffix);
    }
  });

  it('sorts codings by start, end, then id', () => {
    const codings = [coding(id(3), 5, 9), coding(id(2), 5, 7), coding(id(9), 1, 2), coding(id(1), 5, 7)];
    assert.deepEqual(
      sortCodings(codings).map((c) => c.id),
      [id(9), id(1), id(2), id(3)],
    );
    const text = serializeSidecar({ version: 1, document: { path: 'a.txt', hash: UNKNOWN_HASH }, codings });
    const order = [...text.matchAll(/"id":"([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(order, [id(9), id(1), id(2), id(3)]);
    assert.equal(codings[0].id, id(3), 'sorting must not reorder the caller’s array');
  });

  it('writes the exact layout and key order, omitting empty optional fields', () => {
    const c = {
      orphaned: false,
      note: '',
      created: '2026-11-02T10:00:00.000Z',
      coder: 'Kari',
      anchor: { suffix: 's', quote: 'q', prefix: 'p', end: 2, start: 1 },
      codeId: id(2),
      id: id(1),
      representative: 'category',
      translation: { created: '2026-11-02T10:00:00.000Z', translator: 'T', language: 'en', text: 'tr' },
    } as Coding;
    const text = serializeSidecar({ version: 1, document: { hash: UNKNOWN_HASH, path: 'x/a.txt' } as Sidecar['document'], codings: [c] });
    assert.equal(
      text,
      '{\n  "version": 1,\n  "document": {"path":"x/a.txt","hash":"' +
        UNKNOWN_HASH +
        '"},\n  "codings": [\n' +
        `    {"id":"${id(1)}","codeId":"${id(2)}","anchor":{"start":1,"end":2,"prefix":"p","quote":"q","suffix":"s"},"coder":"Kari","created":"2026-11-02T10:00:00.000Z",` +
        '"translation":{"text":"tr","language":"en","translator":"T","created":"2026-11-02T10:00:00.000Z"},"representative":"category"}\n  ]\n}\n',
    );
  });

  it('copies a sidecar as structuredClone does, sharing no object with it', () => {
    const s = parseSidecar(golden(SIDECAR), SIDECAR);
    const copy = cloneSidecar(s);
    assert.deepEqual(copy, structuredClone(s));
    assert.ok(s.codings.some((c) => c.translation) && s.codings.some((c) => c.note));
    assert.notEqual(copy.document, s.document);
    assert.notEqual(copy.codings, s.codings);
    s.codings.forEach((c, i) => {
      assert.notEqual(copy.codings[i], c);
      assert.notEqual(copy.codings[i].anchor, c.anchor);
      if (c.translation) assert.notEqual(copy.codings[i].translation, c.translation);
    });
    copy.codings[0].anchor.start += 1;
    assert.notEqual(copy.codings[0].anchor.start, s.codings[0].anchor.start);
  });

  it('writes an empty list as []', () => {
    const text = serializeSidecar({ version: 1, document: { path: 'a.txt', hash: UNKNOWN_HASH }, codings: [] });
    assert.equal(text, `{\n  "version": 1,\n  "document": {"path":"a.txt","hash":"${UNKNOWN_HASH}"},\n  "codings": []\n}\n`);
    assert.deepEqual(parseSidecar(text, 'a.txt.codes.json').codings, []);
  });

  it('reads a CRLF checkout (git autocrlf) and writes LF again', () => {
    const text = golden(SIDECAR);
    const s = parseSidecar(text.replace(/\n/g, '\r\n'), SIDECAR);
    assert.equal(serializeSidecar(s), text);
  });
});

describe('sidecar errors', () => {
  const text = golden(SIDECAR);
  const lines = text.split('\n');

  it('reports broken JSON with the line and column of the problem', () => {
    // Drop the comma after the coding on line 5: the next record on line 6 is unexpected.
    const broken = [...lines.slice(0, 4), lines[4].replace(/,$/, ''), ...lines.slice(5)].join('\n');
    const err = expectFormatError(() => parseSidecar(broken, SIDECAR), { line: 6, column: 5, message: /Expected ',' or '\]'/ });
    assert.ok(err.message.startsWith(`${SIDECAR}:6:5: `), err.message);
  });

  it('points at a trailing comma', () => {
    const broken = text.replace('"created":"2026-11-02T10:05:00.000Z"}', '"created":"2026-11-02T10:05:00.000Z",}');
    const col = lines[9].indexOf('"created":"2026-11-02T10:05:00.000Z"') + '"created":"2026-11-02T10:05:00.000Z"'.length + 1;
    expectFormatError(() => parseSidecar(broken, SIDECAR), { line: 10, column: col, message: /Trailing comma/ });
  });

  it('reports an unterminated string and unexpected end of input', () => {
    expectFormatError(() => parseJson('{\n  "a": "no end\n}', 'f.json'), { line: 2, column: 15, message: /control character/ });
    expectFormatError(() => parseJson('{"a": "x', 'f.json'), { line: 1, column: 7, message: /Unterminated string/ });
    expectFormatError(() => parseJson('{\n  "a": [1, 2', 'f.json'), { line: 2, column: 13, message: /end of input/ });
    expectFormatError(() => parseJson('', 'f.json'), { line: 1, column: 1, message: /end of input/ });
  });

  it('rejects comments and trailing commas (the files are JSON, not JSON with comments) where they stand', () => {
    const message = (text: string) => {
      try {
        parseJson(text, 'f.json');
      } catch (err) {
        assert.ok(err instanceof FormatError, String(err));
        return err.message;
      }
      return assert.fail(`expected a FormatError for ${text}`);
    };
    assert.equal(message('{\n  // a note\n  "a": 1\n}'), 'f.json:2:3: Expected a property name in double quotes');
    assert.equal(message('{"a": 1 /* why */}'), "f.json:1:9: Expected ',' or '}' after property value");
    assert.equal(message('{"a": /* why */ 1}'), 'f.json:1:7: Unexpected token "/"');
    assert.equal(message('[1]\n// the end'), 'f.json:2:1: Unexpected non-whitespace character after JSON');
    assert.equal(message('[1, 2,\n]'), "f.json:1:6: Trailing comma before ']'");
    assert.equal(message('{"a": [1], }'), "f.json:1:10: Trailing comma before '}'");
  });

  it('names the character that is wrong inside a value', () => {
    const message = (text: string) => {
      try {
        parseJson(text, 'f.json');
      } catch (err) {
        return (err as Error).message;
      }
      return 'parsed';
    };
    assert.equal(message('{"a": truex}'), "f.json:1:11: Expected ',' or '}' after property value");
    assert.equal(message('[tru]'), 'f.json:1:2: Unexpected token "t"');
    assert.equal(message('[1.]'), "f.json:1:3: Expected ',' or ']' after array element");
    assert.equal(message('[-x]'), 'f.json:1:2: Invalid number');
    assert.equal(message('["a\\qb"]'), 'f.json:1:4: Bad escaped character');
    assert.equal(message('["ab\\u12"]'), 'f.json:1:5: Bad Unicode escape');
    assert.equal(message('{"a"\t1}'), "f.json:1:6: Expected ':' after property name");
    assert.equal(message("{'a': 1}"), 'f.json:1:2: Expected a property name in double quotes');
  });

  it('finds where the value at a path starts, or its nearest ancestor', () => {
    const text = '{"a": [1, {"b": 2, "b": 3}], "c": null}';
    assert.equal(offsetOfJsonPath(text, ['a', 1, 'b']), text.indexOf('2'), 'the first of two equal keys');
    assert.equal(offsetOfJsonPath(text, ['a', 5]), text.indexOf('['));
    assert.equal(offsetOfJsonPath(text, ['c']), text.indexOf('null'));
    assert.equal(offsetOfJsonPath(text, ['x', 'y']), 0);
    assert.equal(offsetOfJsonPath(text, []), 0);
  });

  it('finds the same place by its fast reading of plain JSON as by jsonc-parser, for any JSON and any path', () => {
    const key = fc.constantFrom('a', 'b', 'codings', 'anchor', 'k\u00e9', 'q"x', 'b\\s', 'ø😔');
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, true, false, 0, -1.5e-3, 12, 'a"b\\', 'x\\"y', '', 'ø😔\n'), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    const jsonPath = fc.array(fc.oneof(key, fc.nat(4)), { maxLength: 4 });
    fc.assert(
      fc.property(value, fc.constantFrom(undefined, 2, '\t'), fc.boolean(), fc.array(jsonPath, { minLength: 1, maxLength: 6 }), (v, indent, escapeKeys, paths) => {
        let text = JSON.stringify(v, null, indent);
        // Keys written with \u escapes, and a key twice, which JSON.parse allows.
        if (escapeKeys) text = text.replace(/"a":/g, '"\\u0061":').replace(/\{"b":([^{}[\],]*),/, '{"b":$1,"b":$1,');
        JSON.parse(text);
        for (const p of paths) assert.equal(offsetOfJsonPath(text, p), offsetOfJsonPath(text, p, false), `${JSON.stringify(p)} in ${text}`);
      }),
      { numRuns: 500 },
    );
  });

  it('counts columns in UTF-16 units after multi-byte text', () => {
    expectFormatError(() => parseJson('{"ø😔": 1 2}', 'f.json'), { line: 1, column: 11 });
    assert.deepEqual(lineColumnAt('ab\ncd', 4), { line: 2, column: 2 });
  });

  it('reports a field of the wrong type at the line of its record', () => {
    const bad = text.replace('"start":323', '"start":"323"');
    const col = bad.split('\n')[8].indexOf('"323"') + 1;
    expectFormatError(() => parseSidecar(bad, SIDECAR), { line: 9, column: col, message: /codings\[4\]\.anchor\.start: expected a non-negative integer/ });
  });

  it('reports unknown fields, missing fields, bad ids and duplicate ids on the right line', () => {
    expectFormatError(() => parseSidecar(text.replace('"coder":"Ingrid Bø","created":"2026-11-03T08:20:00.000Z"', '"coder":"Ingrid Bø","kode":1,"created":"2026-11-03T08:20:00.000Z"'), SIDECAR), {
      line: 9,
      message: /unknown field "kode"/,
    });
    expectFormatError(() => parseSidecar(text.replace(',"coder":"Kari Nordmann","created":"2026-11-02T10:05:00.000Z"', ',"created":"2026-11-02T10:05:00.000Z"'), SIDECAR), {
      line: 10,
      column: 5,
      message: /missing field "coder"/,
    });
    expectFormatError(() => parseSidecar(text.replace('"id":"e089df58-7112-4f05-8c60-bb7828188489"', '"id":"E089DF58"'), SIDECAR), { line: 10, message: /lowercase UUID/ });
    expectFormatError(() => parseSidecar(text.replace('"id":"e089df58-7112-4f05-8c60-bb7828188489"', '"id":"40c49d0a-ca07-44fc-abe3-930199f417ac"'), SIDECAR), {
      line: 10,
      message: /duplicate id/,
    });
    expectFormatError(() => parseSidecar(text.replace('"hash":"sha256:9dee', '"hash":"md5:9dee'), SIDECAR), { line: 3, message: /document\.hash/ });
  });

  it('reads a plain coding (the five fields in file order) as it reads one with its keys in another order, and checks it as strictly', () => {
    const plain = coding('22222222-2222-4222-8222-222222222222', 3, 7);
    const file = (record: string) => `{"version":1,"document":{"path":"a.txt","hash":"${'sha256:' + '0'.repeat(64)}"},"codings":[\n${record}\n]}`;
    const a = plain.anchor;
    const inOrder = file(JSON.stringify(plain));
    const reordered = file(JSON.stringify({ created: plain.created, coder: plain.coder, anchor: { suffix: a.suffix, quote: a.quote, prefix: a.prefix, end: a.end, start: a.start }, codeId: plain.codeId, id: plain.id }));
    for (const t of [inOrder, reordered]) {
      const read = parseSidecar(t, SIDECAR).codings[0];
      assert.deepEqual(read, plain);
      assert.deepEqual(Object.keys(read), ['id', 'codeId', 'anchor', 'coder', 'created']);
      assert.deepEqual(Object.keys(read.anchor), ['start', 'end', 'prefix', 'quote', 'suffix']);
    }
    const bad = (change: (r: Record<string, unknown>, anchor: Record<string, unknown>) => void) => {
      const r = JSON.parse(JSON.stringify(plain)) as Record<string, unknown>;
      change(r, r.anchor as Record<string, unknown>);
      return file(JSON.stringify(r));
    };
    expectFormatError(() => parseSidecar(bad((_, x) => (x.end = 2)), SIDECAR), { line: 2, message: /codings\[0\]\.anchor\.end: end 2 is before start 3/ });
    expectFormatError(() => parseSidecar(bad((_, x) => (x.start = -1)), SIDECAR), { line: 2, message: /anchor\.start: expected a non-negative integer/ });
    expectFormatError(() => parseSidecar(bad((_, x) => (x.start = 1.5)), SIDECAR), { line: 2, message: /anchor\.start: expected a non-negative integer/ });
    expectFormatError(() => parseSidecar(bad((r) => (r.codeId = 'Not-a-uuid')), SIDECAR), { line: 2, message: /codings\[0\]\.codeId: expected a lowercase UUID/ });
    expectFormatError(() => parseSidecar(bad((r) => (r.created = '2026-11-02')), SIDECAR), { line: 2, message: /created: expected an ISO 8601 UTC timestamp/ });
    expectFormatError(() => parseSidecar(bad((r) => (r.coder = 7)), SIDECAR), { line: 2, message: /coder: expected a string/ });
    expectFormatError(() => parseSidecar(bad((_, x) => (x.quote = null)), SIDECAR), { line: 2, message: /anchor\.quote: expected a string/ });
    expectFormatError(() => parseSidecar(bad((_, x) => (x.extra = 1)), SIDECAR), { line: 2, message: /unknown field "extra"/ });
    expectFormatError(() => parseSidecar(bad((r) => delete r.created), SIDECAR), { line: 2, message: /missing field "created"/ });
    expectFormatError(() => parseSidecar(bad((r) => (r.anchor = [1])), SIDECAR), { line: 2, message: /anchor: expected an object/ });
  });

  it('refuses a file written by a newer Grounded with a clear message', () => {
    const newer = text.replace('"version": 1', '"version": 2');
    const err = expectFormatError(() => parseSidecar(newer, SIDECAR), { line: 2, column: 14, message: /written by a newer Grounded \(format version 2; this version reads up to 1\)/ });
    assert.doesNotMatch(err.message, /version: written/);
    expectFormatError(() => parseSidecar(text.replace('"version": 1', '"version": "1"'), SIDECAR), { line: 2, message: /format version/ });
    expectFormatError(() => parseSidecar('[]', SIDECAR), { line: 1, message: /expected an object/ });
  });

  it('has a migration hook that leaves a current file alone', () => {
    const raw = { version: 1, document: {}, codings: [] };
    assert.deepEqual(migrateSidecar(raw, 1), raw);
    assert.throws(() => migrateSidecar(raw, 0), /no migration from format version 0/);
  });
});

describe('sidecar paths and hashing', () => {
  it('maps transcripts to sidecars and back', () => {
    assert.equal(sidecarPathFor('interviews/ola.txt'), 'interviews/ola.txt.codes.json');
    assert.equal(transcriptPathFor('interviews/ola.txt.codes.json'), 'interviews/ola.txt');
    assert.equal(isSidecarPath('interviews/ola.txt.codes.json'), true);
    assert.equal(isSidecarPath('interviews/ola.txt'), false);
    assert.equal(isSidecarPath('.codes.json'), false);
    assert.throws(() => transcriptPathFor('grounded.json'));
  });

  it('hashes UTF-8 bytes with sha256', () => {
    assert.equal(hashText(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // The bytes c3 a6, not the UTF-16 unit 0x00e6.
    assert.equal(hashText('æ'), 'sha256:889be819e24eaa58cd98ff071bc5aa9d9d6b3fea8d62c6cd43778c7370d2bf60');
    assert.notEqual(hashText('a\nb'), hashText('a\r\nb'));
    assert.match(hashText('Ola 😔'), /^sha256:[0-9a-f]{64}$/);
  });
});

describe('JSON Schemas', () => {
  // The schemas are for editors; the parser is what Grounded enforces. They must not drift apart.
  const schema = (name: string) => JSON.parse(readFileSync(path.resolve(__dirname, '../../../schemas', name), 'utf8'));

  it('use the same patterns and record fields as the parsers', () => {
    const sidecar = schema('sidecar.schema.json');
    const project = schema('project.schema.json');
    assert.equal(sidecar.definitions.uuid.pattern, UUID.re.source);
    assert.equal(project.definitions.uuid.pattern, UUID.re.source);
    assert.equal(sidecar.definitions.timestamp.pattern, TIMESTAMP.re.source);
    assert.equal(sidecar.properties.document.properties.hash.pattern, HASH_PATTERN.re.source);
    assert.equal(project.definitions.code.properties.color.pattern, COLOR_PATTERN.re.source);
    assert.equal(sidecar.properties.version.const, FORMAT_VERSION);
    // Key order as written in the files (docs/FORMAT.md).
    assert.deepEqual(Object.keys(sidecar.definitions.coding.properties), ['id', 'codeId', 'anchor', 'coder', 'created', 'note', 'translation', 'representative', 'orphaned', 'conflictOf', 'suggestion']);
    assert.deepEqual(Object.keys(sidecar.definitions.suggestion.properties), SUGGESTION_KEYS);
    assert.deepEqual(Object.keys(sidecar.definitions.anchor.properties), ['start', 'end', 'prefix', 'quote', 'suffix']);
    assert.deepEqual(Object.keys(project.definitions.code.properties), ['id', 'name', 'color', 'description', 'parent', 'focused', 'order', 'created', 'createdBy', 'conflictOf']);
    assert.deepEqual(Object.keys(project.definitions.relation.properties), ['id', 'source', 'target', 'type', 'label', 'evidence', 'author', 'created', 'modified', 'conflictOf']);
    assert.deepEqual(Object.keys(project.definitions.relationType.properties), ['id', 'name', 'direction', 'transitive', 'conflictOf']);
    assert.deepEqual(Object.keys(project.properties), ['version', 'project', 'settings', 'codes', 'cases', 'sets', 'sources', 'relationTypes', 'relations', 'maps']);
    assert.deepEqual(Object.keys(project.definitions.map.properties), ['id', 'name', 'nodes']);
    assert.deepEqual(Object.keys(project.definitions.map.properties.nodes.items.properties), ['code', 'x', 'y']);
    assert.equal(sidecar.definitions.coding.additionalProperties, false);
    assert.equal(project.definitions.case.additionalProperties, false);
  });
});

describe('a save\'s text and what it reads back (serializeSidecarChecked)', () => {
  const base = (codings: Coding[]): Sidecar => ({ version: FORMAT_VERSION, document: { path: 'interviews/ola.txt', hash: UNKNOWN_HASH }, codings });

  it('writes the same bytes as serializeSidecar and gives back what parseSidecar reads from them', () => {
    const golden_ = parseSidecar(golden(SIDECAR), SIDECAR);
    const extra = { ...coding(id(9), 3, 8), note: '', orphaned: false } as Coding;
    const outOfOrder = { created: '2026-11-02T10:00:00.000Z', coder: 'Kari', id: id(8), codeId: id(1), anchor: { quote: 'xx', suffix: '', prefix: '', end: 4, start: 2 } } as Coding;
    const withRuntimeKey = { ...coding(id(7), 1, 2), shownAt: 5 } as unknown as Coding;
    for (const s of [golden_, base([]), base([coding(id(2), 9, 12), extra, outOfOrder, withRuntimeKey, coding(id(1), 0, 4, { translation: { text: 'Time', language: 'en', translator: 'Kari', created: '2026-11-03T10:00:00.000Z' }, representative: 'code' })])]) {
      const { text, data } = serializeSidecarChecked(s, SIDECAR);
      assert.equal(text, serializeSidecar(s));
      assert.deepEqual(data, parseSidecar(text, SIDECAR));
    }
  });

  it('lays out records whose strings hold a record\'s opening exactly as serializeSidecar does', () => {
    const tricky = ',{"id":"00000000-0000-4000-8000-000000000001"},\n    {"id":';
    const s = base([
      coding(id(1), 0, 4, { note: tricky, anchor: { start: 0, end: 4, prefix: '},{"id":', quote: tricky, suffix: '\\",{"id":' } }),
      coding(id(2), 5, 9, { translation: { text: tricky, language: 'en', translator: '{"id":', created: '2026-11-03T10:00:00.000Z' }, conflictOf: id(1) }),
      coding(id(3), 6, 9, { coder: 'Kari ,{"id": ø😔' }),
    ]);
    const { text, data } = serializeSidecarChecked(s, SIDECAR);
    assert.equal(text, serializeSidecar(s));
    assert.deepEqual(data, parseSidecar(text, SIDECAR));
    assert.equal(text.split('\n').filter((line) => line.startsWith('    {"id":')).length, 3);
  });

  it('refuses what would not read back, naming the field and its line in the text it would have written', () => {
    const bad = base([coding(id(1), 0, 4), coding(id(2), 5, 9, { codeId: 'not-a-uuid' })]);
    const err = expectFormatError(() => serializeSidecarChecked(bad, SIDECAR), { line: 6, message: /codings\[1\]\.codeId/ });
    assert.equal(err.message, (() => {
      try {
        parseSidecar(serializeSidecar(bad), SIDECAR);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })());
    expectFormatError(() => serializeSidecarChecked(base([coding(id(1), 0, 4), coding(id(1), 5, 9)]), SIDECAR), { line: 6, message: /id/ });
    expectFormatError(() => serializeSidecarChecked({ ...base([]), document: { path: '/abs/ola.txt', hash: UNKNOWN_HASH } }, SIDECAR), { line: 3, message: /document\.path/ });
  });
});

describe('isUuid', () => {
  it('accepts exactly the strings the lowercase UUID pattern accepts', () => {
    const hexish = fc.constantFrom(...'0123456789abcdefABCDEFg-z \u00e9\u0130\u0660\u{1F600}\n'.split(''));
    const nearUuid = fc.array(hexish, { minLength: 30, maxLength: 40 }).map((cs) => cs.join(''));
    const mutated = fc.tuple(fc.uuid(), fc.nat(40), hexish).map(([u, at, ch]) => u.slice(0, at) + ch + u.slice(at + 1));
    fc.assert(
      fc.property(fc.oneof(fc.uuid(), nearUuid, mutated, fc.string()), (s) => {
        assert.equal(isUuid(s), UUID.re.test(s), JSON.stringify(s));
      }),
      { numRuns: 3000 },
    );
    for (const s of ['00000000-0000-4000-8000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-4000-8000-00000000000', '00000000-0000-4000-8000-0000000000000', '00000000-0000-4000-8000-000000000000\n', '000000000000-4000-8000-000000000000-', 'g0000000-0000-4000-8000-000000000000']) {
      assert.equal(isUuid(s), UUID.re.test(s), s);
    }
  });
});

describe('isTimestamp', () => {
  it('accepts exactly the strings the timestamp pattern accepts', () => {
    const part = fc.constantFrom(...'0123456789-T:.Z z\u0660\u00bd'.split(''));
    const nearStamp = fc.array(part, { minLength: 18, maxLength: 32 }).map((cs) => cs.join(''));
    const stamp = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
    const fraction = fc.tuple(stamp, fc.stringMatching(/^\.?[0-9]{0,11}$/)).map(([s, f]) => s.slice(0, 19) + f + 'Z');
    const mutated = fc.tuple(fc.oneof(stamp, fraction), fc.nat(31), part).map(([s, at, ch]) => s.slice(0, at) + ch + s.slice(at + 1));
    fc.assert(
      fc.property(fc.oneof(stamp, fraction, mutated, nearStamp, fc.string()), (s) => {
        assert.equal(isTimestamp(s), TIMESTAMP.re.test(s), JSON.stringify(s));
      }),
      { numRuns: 3000 },
    );
    for (const s of ['2026-11-02T10:00:00Z', '2026-11-02T10:00:00.1Z', '2026-11-02T10:00:00.123456789Z', '2026-11-02T10:00:00.1234567890Z', '2026-11-02T10:00:00.Z', '2026-11-02T10:00:00.000Z\n', '2026-11-02 10:00:00Z']) {
      assert.equal(isTimestamp(s), TIMESTAMP.re.test(s), s);
    }
  });
});
