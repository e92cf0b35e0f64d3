// The .qdpx written as the transcripts are read, one at a time (issue 15, peak memory of `grounded
// export`): the same bytes as exportQdpx, which test/unit/refiSameBytes.test.ts holds to the code before.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { MemoryChunkWriter } from '../../src/core/ports';
import { exportQdpx, streamQdpx } from '../../src/core/refi/export';
import type { ExportDocument, ExportInput } from '../../src/core/refi/export';
import { readForExport, readForExportInPieces } from '../../src/core/refi/gather';
import { ZipWriter, crc32, deflateEntry, writeZip } from '../../src/core/zip';
import { NodeChunkWriter, NodeFileSystem } from '../../src/cli/nodeFs';
import { runCli } from './fixtures';
import { REPO, smallProject } from './refiSupport';

describe('REFI-QDA export written as the documents are read (issue 15)', () => {
  it('gives exportQdpx\'s bytes for the small project, with LF and with CRLF, and its summary', async () => {
    for (const lineEnding of ['lf', 'crlf'] as const) {
      const { input } = smallProject();
      const whole = exportQdpx(input, { lineEnding, origin: 'Grounded test' });
      const writer = new MemoryChunkWriter();
      const { summary } = await streamQdpx(input.project, input.memos, [...input.documents].sort((a, b) => (a.path < b.path ? -1 : 1)), { lineEnding, origin: 'Grounded test' }, writer);
      assert.ok(writer.closed && writer.chunks.length > 4, 'closed, written in pieces');
      assert.deepEqual(writer.bytes(), whole.bytes, lineEnding);
      assert.deepEqual(summary, whole.summary);
    }
  });

  it('gives exportQdpx\'s bytes for the sample, read one document at a time, with the same warnings', async () => {
    const fs = new NodeFileSystem(path.join(REPO, 'sample'));
    const whole = await readForExport(fs);
    for (const lineEnding of ['lf', 'crlf'] as const) {
      const reading = await readForExportInPieces(fs);
      const writer = new MemoryChunkWriter();
      const { summary } = await streamQdpx(reading.project, reading.memos, reading.documents, { lineEnding, origin: 'o' }, writer);
      const expected = exportQdpx(whole.input, { lineEnding, origin: 'o' });
      assert.deepEqual(writer.bytes(), expected.bytes);
      assert.deepEqual(summary, expected.summary);
      assert.deepEqual(reading.warnings, whole.warnings);
    }
  });

  it('leaves out and says what exportQdpx leaves out: orphans, codings of missing codes, memo links, in the same order', async () => {
    const { input } = smallProject();
    const [doc, ...rest] = input.documents;
    const codings = [
      ...doc.codings,
      { ...doc.codings[0], id: 'c-orphan', orphaned: true },
      { ...doc.codings[0], id: 'c-gone', codeId: 'no-such-code' },
    ];
    const memos = [...input.memos, { ...input.memos[0], id: 'memo-x', target: { kind: 'coding' as const, id: 'c-gone' } }];
    const changed: ExportInput = { ...input, documents: [{ ...doc, codings }, ...rest], memos };
    const whole = exportQdpx(changed, { lineEnding: 'lf', origin: 't' });
    assert.ok(whole.summary.leftOut.length >= 3);
    const writer = new MemoryChunkWriter();
    const { summary } = await streamQdpx(changed.project, changed.memos, [...changed.documents].sort((a, b) => (a.path < b.path ? -1 : 1)), { lineEnding: 'lf', origin: 't' }, writer);
    assert.deepEqual(summary.leftOut, whole.summary.leftOut);
    assert.deepEqual(writer.bytes(), whole.bytes);
  });

  it('writes nothing when reading a document fails midway, or when the documents come out of order', async () => {
    const { input } = smallProject();
    const docs = [...input.documents].sort((a, b) => (a.path < b.path ? -1 : 1));
    async function* failing(): AsyncGenerator<ExportDocument> {
      yield docs[0];
      throw new Error('x.txt.codes.json:1:1: not JSON');
    }
    const writer = new MemoryChunkWriter();
    await assert.rejects(streamQdpx(input.project, input.memos, failing(), { lineEnding: 'lf', origin: 't' }, writer), /x.txt.codes.json:1:1: not JSON/);
    assert.ok(writer.closed && writer.chunks.length === 0, 'aborted');
    if (docs.length > 1) {
      const w2 = new MemoryChunkWriter();
      await assert.rejects(streamQdpx(input.project, input.memos, [...docs].reverse(), { lineEnding: 'lf', origin: 't' }, w2), /out of order/);
      assert.equal(w2.chunks.length, 0);
    }
  });

  it('throws a memo that does not parse after the documents, as readForExport does: a broken sidecar is named first', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-stream-'));
    try {
      cpSync(path.join(REPO, 'sample'), dir, { recursive: true });
      const memo = path.join(dir, 'memos', 'trust-and-surveillance-156885af.md');
      writeFileSync(memo, '---\nid: [\n---\nbroken\n');
      const fs = new NodeFileSystem(dir);
      const memoError = await readForExport(fs).then(() => undefined, (e: Error) => e.message);
      assert.ok(memoError, 'the broken memo is refused');
      let reading = await readForExportInPieces(fs);
      await assert.rejects(streamQdpx(reading.project, reading.memos, reading.documents, { lineEnding: 'lf', origin: 't' }, new MemoryChunkWriter()), (e: Error) => e.message === memoError);
      writeFileSync(path.join(dir, 'interviews', 'interview-03.txt.codes.json'), '{ not json');
      const sidecarError = await readForExport(fs).then(() => undefined, (e: Error) => e.message);
      assert.match(sidecarError ?? '', /interview-03\.txt\.codes\.json/);
      reading = await readForExportInPieces(fs);
      await assert.rejects(streamQdpx(reading.project, reading.memos, reading.documents, { lineEnding: 'lf', origin: 't' }, new MemoryChunkWriter()), (e: Error) => e.message === sidecarError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ZipWriter writes writeZip\'s bytes: any entries, names with letters beyond ASCII, empty files', () => {
    const entry = fc.tuple(fc.constantFrom('project.qde', 'sources/a.txt', 'kilder/æøå.txt', 'tom', 'dir/🌊.txt', 'x'), fc.uint8Array({ maxLength: 3000 }), fc.boolean());
    fc.assert(
      fc.property(fc.uniqueArray(entry, { selector: (e) => e[0], maxLength: 6 }), (entries) => {
        // text-like bytes as well as random ones
        const files = entries.map(([name, bytes, text]): [string, Uint8Array] => [name, text ? new TextEncoder().encode('Intervjuer: Hva? '.repeat(bytes.length % 200)) : bytes]);
        const writer = new MemoryChunkWriter();
        const zip = new ZipWriter(writer);
        for (const [name, data] of files) zip.add(deflateEntry(name, data));
        zip.end();
        assert.deepEqual(writer.bytes(), writeZip(files));
      }),
      { seed: 20261205, numRuns: 150 },
    );
    assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  });

  it('grounded export --qdpx writes the same file whether or not there is a pseudonym table to look for', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-stream-cli-'));
    try {
      const project = path.join(dir, 'project');
      cpSync(path.join(REPO, 'sample'), project, { recursive: true });
      let r = await runCli(['export', '--qdpx', 'with-table.qdpx', '--crlf', 'project'], dir);
      assert.equal(r.code, 0, r.err);
      rmSync(path.join(project, 'pseudonyms.json'));
      r = await runCli(['export', '--qdpx', 'without.qdpx', '--crlf', 'project'], dir);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^Exported 3 sources, 14 codes, \d+ codings, 3 memos and 3 cases to without.qdpx.\n$/);
      assert.deepEqual(readFileSync(path.join(dir, 'without.qdpx')), readFileSync(path.join(dir, 'with-table.qdpx')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('NodeChunkWriter (issue 15)', () => {
  it('writes through a temporary file renamed into place; aborted, it leaves the file as it was and nothing beside it; a missing folder is named as the file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-chunk-writer-'));
    try {
      const file = path.join(dir, 'out.csv');
      writeFileSync(file, 'before');
      const w = new NodeChunkWriter(file);
      w.write('a,b\r\n');
      w.write(new TextEncoder().encode('ø,🌊\r\n'));
      assert.equal(readFileSync(file, 'utf8'), 'before', 'not in place before it is closed');
      w.close();
      assert.equal(readFileSync(file, 'utf8'), 'a,b\r\nø,🌊\r\n');
      const aborted = new NodeChunkWriter(file);
      aborted.write('half');
      aborted.abort();
      assert.equal(readFileSync(file, 'utf8'), 'a,b\r\nø,🌊\r\n');
      assert.deepEqual(readdirSync(dir), ['out.csv']);
      assert.throws(() => new NodeChunkWriter(path.join(dir, 'missing', 'x.qdpx')), (e: Error) => e.message.includes(path.join(dir, 'missing', 'x.qdpx')) && !e.message.includes('.tmp'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
