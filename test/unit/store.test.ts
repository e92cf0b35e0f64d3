import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Coding, Memo } from '../../src/core/model';
import type { Environment, FileSystemPort } from '../../src/core/ports';
import { FormatError } from '../../src/core/jsonError';
import { hashText } from '../../src/core/hash';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { parseProject } from '../../src/core/project';
import { parseMemo as parseMemoText } from '../../src/core/memo';
import { MemoStore, ProjectStore, SidecarStore } from '../../src/core/store';
import { NodeFileSystem } from '../../src/cli/nodeFs';

const GOLDEN = path.resolve(__dirname, '../../../test/fixtures/golden');
const TRANSCRIPT = 'interviews/ola.txt';
const SIDECAR = 'interviews/ola.txt.codes.json';

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
function testEnv(): Environment {
  let n = 500;
  return { now: () => '2026-11-05T12:00:00.000Z', newId: () => uuid(++n) };
}
function coding(n: number, start: number, quote: string, coder = 'Kari Nordmann'): Coding {
  return {
    id: uuid(n),
    codeId: '035b1c60-4756-4360-ae99-7308f22e9756',
    anchor: { start, end: start + quote.length, prefix: '', quote, suffix: '' },
    coder,
    created: '2026-11-05T12:00:00.000Z',
  };
}

/** Counts writes (to see that nothing was written) and can fail one, like a full disk. */
class CountingFs implements FileSystemPort {
  writes = 0;
  failNextWrite = false;
  constructor(private readonly inner: FileSystemPort) {}
  readText(p: string) {
    return this.inner.readText(p);
  }
  writeText(p: string, t: string) {
    if (this.failNextWrite) {
      this.failNextWrite = false;
      return Promise.reject(new Error('disk full'));
    }
    this.writes++;
    return this.inner.writeText(p, t);
  }
  rename(a: string, b: string) {
    return this.inner.rename(a, b);
  }
  delete(p: string) {
    return this.inner.delete(p);
  }
  list(d: string) {
    return this.inner.list(d);
  }
}

const parseMemo = (text: string): Memo => parseMemoText(text, 'm.md');

describe('storage layer', () => {
  let dir: string;
  let fs: NodeFileSystem;
  const file = (rel: string): string => readFileSync(path.join(dir, rel), 'utf8');
  const put = (rel: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-store-'));
    cpSync(GOLDEN, dir, { recursive: true });
    fs = new NodeFileSystem(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('SidecarStore', () => {
    it('opens the golden sidecar and saving unchanged data writes nothing', async () => {
      const counting = new CountingFs(fs);
      const store = await SidecarStore.open(counting, TRANSCRIPT);
      assert.equal(store.exists, true);
      assert.equal(store.data.codings.length, 7);
      await store.update(() => undefined);
      assert.equal(counting.writes, 0);
      assert.equal(file(SIDECAR), readFileSync(path.join(GOLDEN, SIDECAR), 'utf8'));
    });

    it('starts empty for a transcript without a sidecar, with the transcript hash, and creates the file on update', async () => {
      put('interviews/kari.txt', 'Kari: Jeg teller dager.\r\nKari: Og netter.\r\n');
      const store = await SidecarStore.open(fs, 'interviews/kari.txt');
      assert.equal(store.exists, false);
      assert.equal(store.data.document.hash, hashText('Kari: Jeg teller dager.\nKari: Og netter.\n'));
      await store.update((s) => {
        s.codings.push(coding(1, 6, 'Jeg teller dager.'));
      });
      assert.equal(store.exists, true);
      const onDisk = parseSidecar(file('interviews/kari.txt.codes.json'), 'x');
      assert.equal(onDisk.document.path, 'interviews/kari.txt');
      assert.deepEqual(onDisk.codings, [coding(1, 6, 'Jeg teller dager.')]);
      assert.ok(!readdirSync(path.join(dir, 'interviews')).some((n) => n.endsWith('.tmp')), 'no temp file left behind');
    });

    it('merges a change another writer made on disk instead of overwriting it', async () => {
      const merges: unknown[] = [];
      const store = await SidecarStore.open(fs, TRANSCRIPT, { onMerge: (m) => merges.push(m) });
      // A second window (or a git pull) adds a coding and deletes one that we leave untouched.
      const other = parseSidecar(file(SIDECAR), SIDECAR);
      other.codings = other.codings.filter((c) => c.id !== 'e089df58-7112-4f05-8c60-bb7828188489');
      other.codings.push(coding(2, 0, 'Intervjuer', 'Ingrid Bø'));
      put(SIDECAR, serializeSidecar(other));
      // We add another coding through the store, unaware of theirs.
      await store.update((s) => {
        s.codings.push(coding(3, 5, 'Ola'));
      });
      const ids = parseSidecar(file(SIDECAR), SIDECAR).codings.map((c) => c.id);
      assert.ok(ids.includes(uuid(2)), 'their coding survives');
      assert.ok(ids.includes(uuid(3)), 'our coding is written');
      assert.ok(!ids.includes('e089df58-7112-4f05-8c60-bb7828188489'), 'their deletion of an untouched coding holds');
      assert.equal(ids.length, 8);
      assert.deepEqual(
        store.data.codings.map((c) => c.id),
        ids,
        'the store holds what was written',
      );
      assert.equal(merges.length, 1);
      assert.deepEqual(store.lastMerge, { path: SIDECAR, conflicts: [] });
    });

    it('sees a change on disk that keeps the file\'s length (the bytes are compared, not only their number)', async () => {
      const store = await SidecarStore.open(fs, TRANSCRIPT);
      const before = file(SIDECAR);
      const changed = before.replaceAll('"coder":"Ingrid Bø"', '"coder":"Ingrid Bå"');
      assert.notEqual(changed, before);
      assert.equal(Buffer.byteLength(changed), Buffer.byteLength(before));
      put(SIDECAR, changed);
      await store.update((s) => {
        s.codings.push(coding(3, 5, 'Ola'));
      });
      const onDisk = parseSidecar(file(SIDECAR), SIDECAR);
      assert.ok(onDisk.codings.some((c) => c.coder === 'Ingrid Bå'), 'their change survives');
      assert.ok(!onDisk.codings.some((c) => c.coder === 'Ingrid Bø'), 'our old copy does not come back');
      assert.ok(onDisk.codings.some((c) => c.id === uuid(3)), 'our coding is written');
      assert.deepEqual(store.lastMerge, { path: SIDECAR, conflicts: [] });
      // The next save starts from what was written: an unchanged file merges nothing.
      await store.update((s) => {
        s.codings.push(coding(4, 9, 'a'));
      });
      assert.equal(store.lastMerge, undefined);
      assert.equal(parseSidecar(file(SIDECAR), SIDECAR).codings.length, 9);
    });

    it('keeps both versions of a coding both sides changed, as the git merge driver does, and reports the conflict', async () => {
      const store = await SidecarStore.open(fs, TRANSCRIPT);
      const other = parseSidecar(file(SIDECAR), SIDECAR);
      const id = other.codings[0].id;
      other.codings[0].note = 'deres notat';
      put(SIDECAR, serializeSidecar(other));
      await store.update((s) => {
        s.codings[0].note = 'vårt notat';
      });
      const onDisk = parseSidecar(file(SIDECAR), SIDECAR).codings;
      assert.equal(onDisk.find((c) => c.id === id)?.note, 'vårt notat', 'ours stays under its id');
      const theirs = onDisk.filter((c) => c.conflictOf === id);
      assert.equal(theirs.length, 1, 'theirs is kept beside it, flagged');
      assert.equal(theirs[0].note, 'deres notat');
      assert.equal(onDisk.length, 8);
      assert.deepEqual(store.data.codings, onDisk, 'the store holds what was written');
      assert.equal(store.lastMerge?.conflicts.length, 1);
      assert.equal(store.lastMerge?.conflicts[0].theirs.note, 'deres notat');
    });

    it('refuses to open a corrupt sidecar, with line and column', async () => {
      const broken = file(SIDECAR).replace('"coder":"Ingrid Bø","created":"2026-11-03T08:20:00.000Z"', '"coder":"Ingrid Bø" "created":"2026-11-03T08:20:00.000Z"');
      put(SIDECAR, broken);
      await assert.rejects(SidecarStore.open(fs, TRANSCRIPT), (err: unknown) => {
        assert.ok(err instanceof FormatError);
        assert.equal(err.line, 9);
        assert.equal(err.column, broken.split('\n')[8].indexOf(' "created"') + 2);
        assert.equal(err.path, SIDECAR);
        return true;
      });
    });

    it('never overwrites a sidecar that became corrupt on disk (a half-resolved git conflict)', async () => {
      const store = await SidecarStore.open(fs, TRANSCRIPT);
      const before = store.data;
      const conflicted = file(SIDECAR).replace('    {"id":"5d358f42', '<<<<<<< HEAD\n    {"id":"5d358f42');
      put(SIDECAR, conflicted);
      await assert.rejects(
        store.update((s) => {
          s.codings.push(coding(4, 0, 'Intervjuer'));
        }),
        (err: unknown) => err instanceof FormatError && err.line === 9 && err.column === 1,
      );
      assert.equal(readFileSync(path.join(dir, SIDECAR)).toString('utf8'), conflicted, 'file bytes untouched');
      assert.equal(store.data, before, 'the failed change is rolled back in memory');
      assert.equal(store.data.codings.length, 7);
    });

    it('refuses to write invalid data and leaves the file alone', async () => {
      const store = await SidecarStore.open(fs, TRANSCRIPT);
      const original = file(SIDECAR);
      await assert.rejects(
        store.update((s) => {
          s.codings.push({ ...coding(5, 0, 'x'), id: 'not-a-uuid' });
        }),
        FormatError,
      );
      assert.equal(file(SIDECAR), original);
    });

    it('reloads after a change on disk and falls back to empty when the file is deleted', async () => {
      const store = await SidecarStore.open(fs, TRANSCRIPT);
      const other = parseSidecar(file(SIDECAR), SIDECAR);
      other.codings = other.codings.slice(0, 2);
      put(SIDECAR, serializeSidecar(other));
      await store.reload();
      assert.equal(store.data.codings.length, 2);
      rmSync(path.join(dir, SIDECAR));
      await store.reload();
      assert.equal(store.exists, false);
      assert.equal(store.data.codings.length, 0);
    });

    it('runs updates one at a time, so a failed save never leaks into the next one', async () => {
      const flaky = new CountingFs(fs);
      flaky.failNextWrite = true;
      const store = await SidecarStore.open(flaky, TRANSCRIPT);
      const first = store.update((s) => {
        s.codings.push(coding(10, 10, 'x'));
      });
      const second = store.update((s) => {
        s.codings.push(coding(11, 11, 'y'));
      });
      await assert.rejects(first, /disk full/);
      await second;
      const ids = parseSidecar(file(SIDECAR), SIDECAR).codings.map((c) => c.id);
      assert.ok(ids.includes(uuid(11)));
      assert.ok(!ids.includes(uuid(10)), 'the change whose save failed is not written later');
      assert.equal(ids.length, 8);
    });
  });

  describe('ProjectStore', () => {
    it('merges codes added concurrently by two windows', async () => {
      const a = await ProjectStore.open(fs);
      const b = await ProjectStore.open(fs);
      await a.update((p) => {
        p.codes.push({ id: uuid(1), name: 'Soningsplan', color: '#4db6ac', created: '2026-11-05T12:00:00.000Z', createdBy: 'Kari' });
      });
      await b.update((p) => {
        p.codes.push({ id: uuid(2), name: 'Permisjon', color: '#9575cd', created: '2026-11-05T12:00:00.000Z', createdBy: 'Ingrid' });
      });
      const names = parseProject(file('grounded.json'), 'grounded.json').codes.map((c) => c.name);
      assert.ok(names.includes('Soningsplan') && names.includes('Permisjon'), names.join());
      assert.equal(names.length, 7);
    });

    it('creates grounded.json for a new project but never replaces an existing one', async () => {
      const original = file('grounded.json');
      const kept = await ProjectStore.create(fs, 'Annet navn', testEnv());
      assert.equal(kept.data.project.name, 'Hverdagsliv i norske fengsler');
      assert.equal(file('grounded.json'), original);

      rmSync(path.join(dir, 'grounded.json'));
      const fresh = await ProjectStore.create(fs, 'Ny studie', testEnv());
      assert.equal(fresh.exists, true);
      assert.deepEqual(parseProject(file('grounded.json'), 'grounded.json').project, { id: uuid(501), name: 'Ny studie', created: '2026-11-05T12:00:00.000Z' });
    });
  });

  describe('MemoStore', () => {
    const memo = (body: string): Memo => ({
      id: uuid(42),
      target: { kind: 'document', path: TRANSCRIPT },
      author: 'Kari Nordmann',
      created: '2026-11-05T12:00:00.000Z',
      modified: '2026-11-05T12:00:00.000Z',
      body,
    });

    it('lists memos and reports files that do not parse without failing the list', async () => {
      put('memos/notat.md', 'bare tekst uten front matter\n');
      const { memos, errors } = await new MemoStore(fs).list();
      assert.deepEqual(
        memos.map((m) => m.path),
        ['memos/helgene-som-dod-tid-da65dfd4.md'],
      );
      assert.equal(errors.length, 1);
      assert.equal(errors[0].path, 'memos/notat.md');
    });

    it('creates a memo under a slug of its label and overwrites it when unchanged on disk', async () => {
      const store = new MemoStore(fs);
      const created = await store.create(memo('Første tanke.'), 'Ola – første intervju');
      assert.equal(created.path, 'memos/ola-forste-intervju-00000000.md');
      const updated = await store.write(created.path, { ...memo('Første tanke. Og en til.'), modified: '2026-11-06T08:00:00.000Z' });
      assert.equal(updated.conflict, undefined);
      assert.equal(parseMemo(file(created.path)).body, 'Første tanke. Og en til.');
    });

    it('saves an edited memo with the keys other tools keep in its front matter as they were', async () => {
      const other = 'tags: [ventetid, helg]\naliases:\n  - Helgene\n  - Weekends';
      const text = `---\nid: ${uuid(42)}\ntarget: document:${TRANSCRIPT}\nauthor: Kari Nordmann\ncreated: 2026-11-05T12:00:00.000Z\nmodified: 2026-11-05T12:00:00.000Z\n${other}\n---\n\nFørste tanke.\n`;
      put('memos/obsidian.md', text);
      const store = new MemoStore(fs);
      const read = (await store.read('memos/obsidian.md'))!;
      const saved = await store.write('memos/obsidian.md', { ...read, body: 'Andre tanke.', modified: '2026-11-06T08:00:00.000Z' });
      assert.equal(saved.conflict, undefined);
      assert.equal(file('memos/obsidian.md'), text.replace('modified: 2026-11-05T12:00:00.000Z', 'modified: 2026-11-06T08:00:00.000Z').replace('Første tanke.', 'Andre tanke.'));
    });

    it('writes to a conflict copy instead of overwriting a memo changed on disk since it was read', async () => {
      const conflicts: unknown[] = [];
      const store = new MemoStore(fs, { env: testEnv(), onConflict: (c) => conflicts.push(c) });
      const p = 'memos/helgene-som-dod-tid-da65dfd4.md';
      const read = (await store.read(p))!;
      const theirs = file(p).replace('# Helgene', '# Helgene (revidert av Ingrid)');
      put(p, theirs);
      const result = await store.write(p, { ...read, body: read.body + '\n\nMitt tillegg.' });
      assert.equal(file(p), theirs, 'their text is untouched');
      assert.equal(result.path, 'memos/helgene-som-dod-tid-da65dfd4-conflict-00000000.md');
      assert.deepEqual(result.conflict, { original: p });
      const copy = parseMemo(file(result.path));
      assert.ok(copy.body.endsWith('Mitt tillegg.'));
      assert.equal(copy.id, uuid(501), 'the copy is a memo of its own');
      assert.equal(conflicts.length, 1);
    });
  });

  describe('MemoStore with the body an editor started from', () => {
    it('overwrites when the body on disk is the one the edit started from, else writes a conflict copy', async () => {
      const store = new MemoStore(fs, { env: testEnv() });
      const p = 'memos/helgene-som-dod-tid-da65dfd4.md';
      const read = (await store.read(p))!;
      // The editor started from the body as read; the file was re-read since (a list), still that body.
      const ok = await store.write(p, { ...read, body: read.body + '\n\nFørste tillegg.' }, read.body);
      assert.equal(ok.conflict, undefined);
      assert.ok(parseMemo(file(p)).body.endsWith('Første tillegg.'));
      // Someone changed the file; the store re-reads it (a watcher), but the editor still shows the old body.
      const theirs = file(p).replace('# Helgene', '# Helgene (revidert)');
      put(p, theirs);
      await store.read(p);
      const stale = await store.write(p, { ...read, body: read.body + '\n\nAndre tillegg.' }, read.body + '\n\nFørste tillegg.');
      assert.equal(file(p), theirs, 'their text is untouched');
      assert.deepEqual(stale.conflict, { original: p });
      assert.ok(parseMemo(file(stale.path)).body.endsWith('Andre tillegg.'));
    });
  });

  describe('NodeFileSystem', () => {
    it('lists root-relative paths recursively, skipping node_modules and .git', async () => {
      put('memos/a/b.md', 'x');
      put('memos/node_modules/x.md', 'x');
      put('memos/.git/HEAD', 'x');
      assert.deepEqual(await fs.list('memos'), ['memos/a/b.md', 'memos/helgene-som-dod-tid-da65dfd4.md']);
      assert.deepEqual(await fs.list('nowhere'), []);
      assert.ok((await fs.list('')).includes('grounded.json'));
    });

    it('reads missing files as undefined, drops a byte order mark, writes with parent folders and renames over a file', async () => {
      assert.equal(await fs.readText('nope.txt'), undefined);
      assert.equal(await fs.readBytes('nope.txt'), undefined);
      writeFileSync(path.join(dir, 'bom.txt'), '\uFEFFHei');
      assert.equal(await fs.readText('bom.txt'), 'Hei');
      // Bytes that are not UTF-8 read as U+FFFD, one for each maximal invalid part, as TextDecoder reads them.
      const broken = Buffer.from([0xef, 0xbb, 0xbf, 0x41, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80]);
      writeFileSync(path.join(dir, 'broken.txt'), broken);
      assert.equal(await fs.readText('broken.txt'), 'A\uFFFD\uFFFD(\uFFFD\uFFFD\uFFFD\uFFFD😀');
      assert.equal(await fs.readText('broken.txt'), new TextDecoder('utf-8').decode(broken));
      assert.deepEqual(await fs.readBytes('broken.txt'), broken);
      await fs.writeText('a/b/c.txt', 'én');
      assert.equal(file('a/b/c.txt'), 'én');
      await fs.writeText('d.txt', 'ny');
      await fs.rename('d.txt', 'a/b/c.txt');
      assert.equal(file('a/b/c.txt'), 'ny');
      await fs.delete('a/b/c.txt');
      await fs.delete('a/b/c.txt');
      assert.equal(await fs.readText('a/b/c.txt'), undefined);
      // A rename into a folder that does not exist yet makes it; a missing source is an error, as before.
      await fs.writeText('e.txt', 'flyttet');
      await fs.rename('e.txt', 'f/g/e.txt');
      assert.equal(file('f/g/e.txt'), 'flyttet');
      await assert.rejects(fs.rename('e.txt', 'h/e.txt'), /ENOENT/);
    });

    it('refuses paths outside its root', async () => {
      await assert.rejects(fs.readText('../etc/passwd'), /outside the project folder/);
      assert.throws(() => fs.resolve('/etc/passwd'), /outside/);
      assert.throws(() => fs.resolve('a/../../b'), /outside/);
      assert.equal(fs.resolve('..notes.txt'), path.join(dir, '..notes.txt'));
    });
  });
});
