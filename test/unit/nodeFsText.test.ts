// The command line's file system port reads a transcript's LF text and its hash in one go
// (src/cli/nodeFs.ts `readLfText`, hashing the file's bytes when they are that text's UTF-8): the same
// text and hash as reading it, making its line ends LF and hashing that, whatever the bytes are.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFileSystem } from '../../src/cli/nodeFs';
import { hashText, readLfText } from '../../src/core/hash';
import type { FileSystemPort } from '../../src/core/ports';
import { normalizeEol } from '../../src/core/text';

describe('NodeFileSystem.readLfText: a transcript and its hash', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-lftext-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cases: [string, Buffer][] = [
    ['plain ASCII', Buffer.from('Ola: Vi spiller kort.\nKari: Og så?\n')],
    ['letters beyond ASCII and an emoji', Buffer.from('Kari: Blåbær og rødgrøt 😀\nOla: Ja.\n')],
    ['a byte order mark', Buffer.from('\uFEFFOla: Hei.\nKari: Hei på deg.\n')],
    ['CRLF line ends', Buffer.from('Ola: Hei.\r\nKari: Hei.\r\n')],
    ['a lone CR', Buffer.from('Ola: Hei.\rKari: Hei.\n')],
    ['a byte order mark and CRLF', Buffer.from('\uFEFFOla: Hei.\r\nKari: Hei.\r\n')],
    ['bytes that are not UTF-8', Buffer.from([0x4f, 0x6c, 0x61, 0x3a, 0x20, 0xff, 0xc3, 0x0a, 0xed, 0xa0, 0x80, 0x0a, 0xf0, 0x9f, 0x0a])],
    ['a byte order mark, then bytes that are not UTF-8', Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xc0, 0x80, 0x0a])],
    ['only a byte order mark', Buffer.from([0xef, 0xbb, 0xbf])],
    ['an empty file', Buffer.alloc(0)],
  ];

  for (const [what, bytes] of cases) {
    it(`${what}: the text readText gives with LF line ends, and hashText of it`, async () => {
      writeFileSync(path.join(dir, 'a.txt'), bytes);
      const fs = new NodeFileSystem(dir);
      const text = normalizeEol((await fs.readText('a.txt'))!);
      assert.ok(!text.startsWith('\uFEFF'));
      assert.deepEqual(await fs.readLfText('a.txt'), { text, hash: hashText(text) });
      // core/hash.ts readLfText over a port without its own gives the same
      const plain = { readText: (p: string) => fs.readText(p) } as unknown as FileSystemPort;
      assert.deepEqual(await readLfText(plain, 'a.txt'), { text, hash: hashText(text) });
    });
  }

  it('undefined for a file that does not exist', async () => {
    assert.equal(await new NodeFileSystem(dir).readLfText('missing.txt'), undefined);
  });
});
