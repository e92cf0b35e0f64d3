// The streamed REFI-QDA import of `grounded import` (issue 15, peak memory): project.qde read a piece
// at a time, each source written as it is read. It must give what importRefi gives, byte for byte, and
// for a broken file the same message. Besides its own cases, every file the other tests import is
// imported both ways once all tests have run (the root `after` hook below).
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { NodeFileSystem } from '../../src/cli/nodeFs';
import type { Coding, Memo } from '../../src/core/model';
import { exportQdpx } from '../../src/core/refi/export';
import type { ExportInput } from '../../src/core/refi/export';
import { importIntoFolder, readForExport } from '../../src/core/refi/gather';
import * as refiImport from '../../src/core/refi/import';
import type { ImportOptions } from '../../src/core/refi/import';
import { addCode } from '../../src/core/project';
import { makeAnchor } from '../../src/core/text';
import type { ZipLimits } from '../../src/core/zip';
import { testEnv } from './fixtures';
import { REPO, fixtureFiles, smallProject, zip } from './refiSupport';

// Every file another test imports, recorded (the module's export is what the compiled tests call).
const recorded: Array<{ bytes: Uint8Array; name: string; limits?: ZipLimits }> = [];
const original = refiImport.importRefi;
(refiImport as { importRefi: typeof original }).importRefi = (bytes: Uint8Array, name: string, options: ImportOptions) => {
  if (recorded.length < 2000) recorded.push({ bytes, name, limits: options.limits });
  return original(bytes, name, options);
};

type Outcome = { error: string } | { files: Map<string, string>; summary: refiImport.ImportSummary; streamed?: boolean };

const options = (limits?: ZipLimits): ImportOptions => ({ coder: 'Importør', env: testEnv(), ...(limits ? { limits } : {}) });

function inMemory(bytes: Uint8Array, name: string, limits?: ZipLimits): Outcome {
  try {
    const r = original(bytes, name, options(limits));
    return { files: r.files, summary: r.summary };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function filesIn(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const rel = path.relative(dir, path.join(f.parentPath ?? (f as unknown as { path: string }).path, f.name)).split(path.sep).join('/');
    out.set(rel, readFileSync(path.join(dir, rel), 'utf8'));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function streamed(bytes: Uint8Array, name: string, limits?: ZipLimits): Promise<Outcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-streamed-'));
  try {
    try {
      const r = await importIntoFolder(new NodeFileSystem(dir), bytes, name, options(limits));
      return { files: filesIn(dir), summary: r.summary, streamed: r.streamed };
    } catch (err) {
      assert.deepEqual([...filesIn(dir).keys()], [], `${name}: a failed import left files behind`);
      assert.deepEqual(readdirSync(dir), [], `${name}: a failed import left a folder behind`);
      return { error: (err as Error).message };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b;

/** Both ways on the same .qdpx (a bare .qde is put in one first): refused by both, or read as it came, or read whole. */
async function sameBothWays(bytes: Uint8Array, name: string, limits?: ZipLimits): Promise<'refused' | 'streamed' | 'whole'> {
  if (!isZip(bytes)) {
    bytes = zipSync({ 'project.qde': bytes });
    name = name.replace(/\.[^.]*$/, '') + '.qdpx';
  }
  const a = inMemory(bytes, name, limits);
  const b = await streamed(bytes, name, limits);
  if ('error' in a) {
    assert.ok('error' in b, `${name}: importRefi refused it (${a.error}), the streamed import did not`);
    assert.equal(b.error, a.error, name);
    return 'refused';
  }
  assert.ok(!('error' in b), `${name}: importRefi read it, the streamed import refused it: ${'error' in b ? b.error : ''}`);
  assert.deepEqual([...b.files.keys()], [...a.files.keys()], `${name}: the same files`);
  for (const [p, text] of a.files) assert.equal(b.files.get(p), text, `${name}: ${p}`);
  assert.deepEqual(b.summary, a.summary, `${name}: the same summary`);
  return b.streamed ? 'streamed' : 'whole';
}

/** A generated project: many sources (project.qde inflated in many pieces), text beyond the BMP, CRLF, codings by two coders, notes. */
function generated(sources: number): ExportInput {
  const env = testEnv();
  let p: ExportInput['project'] = { version: 1, project: { id: env.newId(), name: 'Generert', created: '2026-11-01T09:00:00.000Z' }, settings: {}, codes: [], cases: [] };
  const codes: string[] = [];
  for (const name of ['Hav', 'Frihet', 'Savn', 'Lukt', 'Arbeid']) {
    const r = addCode(p, { name, parent: codes.length > 2 ? codes[0] : undefined }, 'Kari', env);
    p = r.project;
    codes.push(r.code.id);
  }
  const words = ['havet', 'lukten', 'av', 'tang', 'og', 'å', 'gå', 'dit', 'jeg', 'vil', '🌊', 'frihet', 'savn', 'arbeid', 'Ærlig'];
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const documents: Array<ExportInput['documents'][number]> = [];
  const memos: Memo[] = [];
  for (let s = 0; s < sources; s++) {
    const lines: string[] = [];
    for (let l = 0; l < 40; l++) lines.push(`${l % 2 ? 'P' : 'I'}: ${Array.from({ length: 12 }, () => words[rnd(words.length)]).join(' ')}`);
    const lfText = lines.join('\n') + '\n';
    const codings: Coding[] = [];
    for (let c = 0; c < 12; c++) {
      const start = rnd(lfText.length - 40);
      const end = start + 5 + rnd(30);
      // never inside a surrogate pair
      const at = (i: number) => (/[\uDC00-\uDFFF]/.test(lfText[i]) ? i + 1 : i);
      const coding: Coding = { id: env.newId(), codeId: codes[rnd(codes.length)], anchor: makeAnchor(lfText, at(start), at(end)), coder: c % 3 ? 'Kari' : 'Jonas', created: '2026-11-02T10:00:00.000Z' };
      if (c === 0) coding.note = `Notat ${s}`;
      codings.push(coding);
    }
    const docPath = `intervjuer/del ${s % 7}/intervju ${s}.txt`;
    documents.push({ path: docPath, lfText, codings });
    if (s % 10 === 0) memos.push({ id: env.newId(), target: { kind: 'document', path: docPath }, author: 'Kari', created: '2026-11-03T10:00:00.000Z', modified: '2026-11-03T10:00:00.000Z', body: `Om intervju ${s}` });
    if (s % 25 === 0) memos.push({ id: env.newId(), target: { kind: 'coding', id: codings[1].id }, author: 'Jonas', created: '2026-11-03T10:00:00.000Z', modified: '2026-11-03T10:00:00.000Z', body: `Koding i ${s}` });
  }
  p.cases = [{ id: env.newId(), pseudonym: 'Per', documents: [documents[0].path, documents[1].path], attributes: { alder: '30-39' } }];
  memos.push({ id: env.newId(), target: { kind: 'code', id: codes[1] }, author: 'Kari', created: '2026-11-03T10:00:00.000Z', modified: '2026-11-03T10:00:00.000Z', body: 'Frihet.' });
  return { project: p, documents, memos };
}

const ORIGIN = 'Grounded test';
const G = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;
const qdeOf = (sources: string, extra = '') =>
  `<?xml version="1.0" encoding="utf-8"?>\n<Project name="P" xmlns="urn:QDA-XML:project:1.0"><CodeBook><Codes><Code guid="${G('aaaaaaaa', 1)}" name="K" isCodable="true"/></Codes></CodeBook><Sources>${sources}</Sources>${extra}</Project>`;
const textSource = (n: number, text: string, selections = '') => `<TextSource guid="${G('bbbbbbbb', n)}" name="kilde ${n}"><PlainTextContent>${text}</PlainTextContent>${selections}</TextSource>`;
const selection = (n: number, start: number, end: number, inner = '', ref = G('aaaaaaaa', 1)) =>
  `<PlainTextSelection guid="${G('cccccccc', n)}" startPosition="${start}" endPosition="${end}"><Coding guid="${G('dddddddd', n)}"><CodeRef targetGUID="${ref}"/></Coding>${inner}</PlainTextSelection>`;

describe('the streamed REFI-QDA import (grounded import)', () => {
  for (const name of ['atlasti', 'maxqda', 'nvivo', 'qualcoder']) {
    it(`gives importRefi's files and summary for the ${name} fixture, reading it as it comes`, async () => {
      assert.equal(await sameBothWays(zip(fixtureFiles(name)), `${name}.qdpx`), 'streamed');
    });
  }

  it("gives importRefi's files and summary for the sample project and a small one, exported", async () => {
    const { input } = await readForExport(new NodeFileSystem(path.join(REPO, 'sample')));
    assert.equal(await sameBothWays(exportQdpx(input, { lineEnding: 'lf', origin: ORIGIN }).bytes, 'sample.qdpx'), 'streamed');
    assert.equal(await sameBothWays(exportQdpx(smallProject().input, { lineEnding: 'crlf', origin: ORIGIN }).bytes, 'small.qdpx'), 'streamed');
  });

  it("gives importRefi's files and summary for a generated project of 300 sources (project.qde in many pieces)", async () => {
    const bytes = exportQdpx(generated(300), { lineEnding: 'crlf', origin: ORIGIN }).bytes;
    assert.ok(unzipSync(bytes)['project.qde'].length > 1024 * 1024, 'project.qde is more than a piece');
    assert.equal(await sameBothWays(bytes, 'generated.qdpx'), 'streamed');
  });

  it('says what importRefi says, and writes nothing, for what only the whole file shows', async () => {
    const cases: Array<[string, string]> = [
      // a GUID used again in a later source (after a source with a position out of range: the GUID is reported first)
      ['twice.qde', qdeOf(textSource(1, 'abc', selection(1, 0, 9)) + textSource(2, 'def', selection(1, 0, 1)))],
      // a note referred to from a selection, and not in the file
      ['dangling.qde', qdeOf(textSource(1, 'abc', selection(1, 0, 1, `<NoteRef targetGUID="${G('eeeeeeee', 1)}"/>`)))],
      // a reference to a code that is not one, in the second source
      ['notcode.qde', qdeOf(textSource(1, 'abc', selection(1, 0, 1)) + textSource(2, 'def', selection(2, 0, 1, '', G('bbbbbbbb', 1))))],
      // a position out of range in the second source
      ['range.qde', qdeOf(textSource(1, 'abc', selection(1, 0, 1)) + textSource(2, 'def', selection(2, 2, 8)))],
      // not well-formed after the sources
      ['cut.qde', qdeOf(textSource(1, 'abc', selection(1, 0, 1))).replace('</Project>', '<Notes>')],
    ];
    for (const [name, xml] of cases) assert.equal(await sameBothWays(strToU8(xml), name), 'refused', name);
  });

  it('says what importRefi says for a project.qde that inflates to more than it declares, or is cut off', async () => {
    const bytes = exportQdpx(smallProject().input, { lineEnding: 'lf', origin: ORIGIN }).bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // project.qde is the first entry: its local header at 0, its central directory record where the end record says
    const eocd = bytes.length - 22;
    assert.equal(view.getUint32(eocd, true), 0x06054b50);
    const central = view.getUint32(eocd + 16, true);
    assert.equal(new TextDecoder().decode(bytes.subarray(30, 30 + view.getUint16(26, true))), 'project.qde');
    const lying = bytes.slice();
    const lv = new DataView(lying.buffer);
    lv.setUint32(22, 100, true);
    lv.setUint32(central + 24, 100, true);
    assert.equal(await sameBothWays(lying, 'lying.qdpx'), 'refused');
    assert.equal(await sameBothWays(bytes.subarray(0, Math.floor(bytes.length / 2)), 'cut.qdpx'), 'refused');
  });

  it('reads a file importRefi reads in another order of its parts (sources before the codebook) the same, by reading it whole', async () => {
    const xml = qdeOf(textSource(1, 'abc', selection(1, 0, 1))).replace(/<CodeBook>.*<\/CodeBook>(<Sources>.*<\/Sources>)/, (_m, s: string) => `${s}<CodeBook><Codes><Code guid="${G('aaaaaaaa', 1)}" name="K" isCodable="true"/></Codes></CodeBook>`);
    assert.match(xml, /<\/Sources><CodeBook>/);
    assert.equal(await sameBothWays(strToU8(xml), 'order.qde'), 'whole');
    // with a note referred to before it comes: read as it comes, checked at the end
    const noted = qdeOf(textSource(1, 'abc', selection(1, 0, 1, `<NoteRef targetGUID="${G('eeeeeeee', 1)}"/>`)), `<Notes><Note guid="${G('eeeeeeee', 1)}" name="n"><PlainTextContent>notat</PlainTextContent></Note></Notes>`);
    assert.equal(await sameBothWays(strToU8(noted), 'noted.qde'), 'streamed');
  });

  it('says what writeImport says when the folder has a file the import would write, and leaves the folder as it was', async () => {
    const bytes = exportQdpx(smallProject().input, { lineEnding: 'lf', origin: ORIGIN }).bytes;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-streamed-'));
    try {
      const fs = new NodeFileSystem(dir);
      await fs.writeText('tom.txt', 'mine\n');
      await assert.rejects(importIntoFolder(fs, bytes, 'small.qdpx', options()), (e: Error) => {
        assert.match(e.message, /^small\.qdpx: the folder already has tom\.txt \(the source "tom\.txt" \([0-9a-f-]+\)\), and an import never overwrites; nothing was written$/);
        return true;
      });
      assert.deepEqual([...filesIn(dir)], [['tom.txt', 'mine\n']]);
      assert.deepEqual(readdirSync(dir), ['tom.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Once every test has run: each file the other tests imported, both ways.
after(async function () {
  this.timeout(120000);
  const seen = new Set<string>();
  for (const r of recorded) {
    const key = `${r.name}\0${JSON.stringify(r.limits ?? null)}\0${Buffer.from(r.bytes).toString('base64')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    await sameBothWays(r.bytes, r.name, r.limits);
  }
});
