import * as assert from 'node:assert/strict';
import { CsvError, decodeCsvBytes, detectDelimiter, parseCsv } from '../../src/core/csv';

const values = (text: string) => parseCsv(text).records.map((r) => r.cells.map((c) => c.value));

function throwsAt(text: string, line: number, column: number, words: RegExp): void {
  assert.throws(
    () => parseCsv(text),
    (err: unknown) => {
      assert.ok(err instanceof CsvError, String(err));
      assert.equal(`${err.line}:${err.column}`, `${line}:${column}`, err.message);
      assert.match(err.message, words);
      assert.ok(err.message.startsWith(`line ${line}, column ${column}: `), err.message);
      return true;
    },
  );
}

describe('CSV reader', () => {
  it('reads comma-separated records with LF or CRLF line endings, with or without a final newline', () => {
    assert.deepEqual(values('a,b\n1,2\n'), [['a', 'b'], ['1', '2']]);
    assert.deepEqual(values('a,b\r\n1,2\r\n'), [['a', 'b'], ['1', '2']]);
    assert.deepEqual(values('a,b\r\n1,2'), [['a', 'b'], ['1', '2']]);
    assert.deepEqual(values('a,b\r1,2\r'), [['a', 'b'], ['1', '2']]);
  });

  it('drops a byte order mark', () => {
    assert.deepEqual(values('\uFEFFpseudonym;alder\r\nOla;34\r\n'), [['pseudonym', 'alder'], ['Ola', '34']]);
  });

  it('reads quoted fields: delimiters, doubled quotes and line breaks inside, CRLF inside becoming LF', () => {
    const text = 'a,b,c\r\n"Ola, 34","han sa ""nei""","to\r\nlinjer"\r\n"",x,""\r\n';
    assert.deepEqual(values(text), [
      ['a', 'b', 'c'],
      ['Ola, 34', 'han sa "nei"', 'to\nlinjer'],
      ['', 'x', ''],
    ]);
  });

  it('keeps empty cells and skips empty lines', () => {
    assert.deepEqual(values('a;b;c\n\n1;;3\n\n\n;;\n'), [['a', 'b', 'c'], ['1', '', '3'], ['', '', '']]);
  });

  it('detects the delimiter from the header line, ignoring delimiters inside quotes', () => {
    assert.equal(detectDelimiter('pseudonym;alder;"by, land"\nOla,Nordmann;34;x'), ';');
    assert.equal(detectDelimiter('pseudonym,alder\nOla;Kari,34'), ',');
    assert.equal(detectDelimiter('pseudonym\talder\n'), '\t');
    assert.equal(detectDelimiter('pseudonym\nOla;Kari'), ',');
    assert.equal(detectDelimiter('"a;b;c",d\n'), ',');
    assert.equal(parseCsv('pseudonym;alder\n"Ola, jr.";34\n').delimiter, ';');
    assert.deepEqual(values('pseudonym;alder\n"Ola, jr.";34\n'), [['pseudonym', 'alder'], ['Ola, jr.', '34']]);
  });

  it('records the line and column where each cell starts, counting lines inside quotes', () => {
    const { records } = parseCsv('a,b\n"x\ny",z\nq,w\n');
    assert.deepEqual(records.map((r) => r.line), [1, 2, 4]);
    assert.deepEqual(records[1].cells.map((c) => [c.line, c.column]), [[2, 1], [3, 4]]);
  });

  it('fails on an unclosed quote, naming where the quoted field opened', () => {
    throwsAt('a,b\n1,"to\nlinjer\n', 2, 3, /not closed/);
  });

  it('fails on text after a closing quote and on a bare quote inside a field', () => {
    throwsAt('a,b\n"Ola"x,2\n', 2, 6, /after a closing quote/);
    throwsAt('a,b\nOla "O",2\n', 2, 5, /inside a field/);
  });

  it('decodes UTF-8 with or without a BOM, and Excel\'s Windows-1252 "CSV" when the bytes are not UTF-8', () => {
    const utf8 = new TextEncoder().encode('pseudonym;by\r\nHåkon;Tromsø\r\n');
    assert.equal(decodeCsvBytes(utf8), 'pseudonym;by\r\nHåkon;Tromsø\r\n');
    assert.equal(decodeCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])), '\uFEFFpseudonym;by\r\nHåkon;Tromsø\r\n');
    // "Håkon;Tromsø" as Excel in Norway writes it: å = 0xE5, ø = 0xF8.
    const cp1252 = new Uint8Array([0x48, 0xe5, 0x6b, 0x6f, 0x6e, 0x3b, 0x54, 0x72, 0x6f, 0x6d, 0x73, 0xf8]);
    assert.equal(decodeCsvBytes(cp1252), 'Håkon;Tromsø');
  });
});
