// Hostile inputs (test/fixtures/hostile/corpus.ts): each refused with the file named and nothing
// written; every repeated GUID refused, naming both items; imports written all or nothing (core/staging.ts).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFileSystem } from '../../src/cli/nodeFs';
import type { FileSystemPort } from '../../src/core/ports';
import { writeImport } from '../../src/core/refi/gather';
import { importRefi } from '../../src/core/refi/import';
import { RefiError } from '../../src/core/refi/xml';
import { STAGING_PREFIX, StagingError, targetPathProblem, writeAllOrNothing } from '../../src/core/staging';
import { hostileCorpus, qde, textSource } from '../fixtures/hostile/corpus';
import { runCli, testEnv } from './fixtures';
import { REPO } from './refiSupport';

/** Every file and folder under dir with its bytes: what "nothing changed" is compared on. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) {
        out[r + '/'] = '';
        walk(r);
      } else out[r] = readFileSync(path.join(dir, r)).toString('base64');
    }
  };
  walk('');
  return out;
}

const g = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('hostile inputs: refused with the file named, nothing written', () => {
  let dir: string;
  const corpus = hostileCorpus();
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-hostile-'));
    mkdirSync(path.join(dir, 'target'));
    writeFileSync(path.join(dir, 'target', 'mine.txt'), 'Mitt eget.\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const h of corpus) {
    it(`${h.command} ${h.file}`, async () => {
      writeFileSync(path.join(dir, h.file), h.make());
      const before = snapshot(dir);
      const r = await runCli([h.command, h.file, '--into', 'target'], dir);
      assert.equal(r.code, 1, r.out + r.err);
      assert.ok(r.err.includes(h.file), `the message names ${h.file}: ${r.err}`);
      assert.match(r.err, h.expect);
      assert.deepEqual(snapshot(dir), before, 'nothing written, no staging folder left');
    });
  }

  it('the corpus covers every kind the issue names', () => {
    for (const kind of ['zip-slip', 'absolute', 'symlink', 'xxe', 'billion-laughs', 'zip-bomb.', 'zip-bomb-lying', '25000-entries', 'position-', 'truncated', 'invalid-utf8']) {
      assert.ok(
        corpus.some((h) => h.file.startsWith(kind)),
        kind,
      );
    }
  });

  it('the command line itself (dist/cli.js) exits 1, names the file and both items, and creates no folder', () => {
    const cli = path.join(REPO, 'dist/cli.js');
    assert.ok(existsSync(cli), 'build first: node scripts/build.mjs');
    const h = corpus.find((c) => c.file === 'file-and-folder.qde')!;
    writeFileSync(path.join(dir, h.file), h.make());
    const before = snapshot(dir);
    const r = spawnSync(process.execPath, [cli, 'import', h.file, '--into', 'new-folder'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /^grounded import: file-and-folder\.qde: the source "notes" .* would be written to the file "notes\.txt", and the source "notes\.txt\/second" .* needs a folder of that name .*; nothing was written\n$/);
    assert.deepEqual(snapshot(dir), before);
  });
});

describe('a GUID used twice is refused, naming the GUID and both items', () => {
  const imp = (xml: string) => importRefi(new TextEncoder().encode(xml), 'twice.qde', { coder: 'Importør', env: testEnv() });
  const refused = (xml: string, pattern: RegExp) =>
    assert.throws(
      () => imp(xml),
      (err: unknown) => {
        assert.ok(err instanceof RefiError, String(err));
        assert.match(err.message, /^twice\.qde:\d+: the GUID /);
        assert.match(err.message, pattern);
        return true;
      },
    );
  const code = (n: number, name: string) => `<Code guid="${g('aaaaaaaa', n)}" name="${name}" isCodable="true"/>`;
  const src = (name: string, guid: string, sel: string, coding: string) => textSource(name, 0, 3, guid, sel, coding);

  it('sources', () => {
    // Before: the second source and its codings were silently dropped.
    refused(qde(src('en', g('bbbbbbbb', 1), g('cccccccc', 1), g('dddddddd', 1)) + src('to', g('bbbbbbbb', 1), g('cccccccc', 2), g('dddddddd', 2))), /bbbbbbbb-0000-4000-8000-000000000001 is used twice, by <TextSource> "en" \(line 4\) and by <TextSource> "to" \(line 4\)/);
  });
  it('codes', () => {
    refused(qde('', '', code(1, 'Hav') + code(1, 'Fjell')), /aaaaaaaa-0000-4000-8000-000000000001 is used twice, by <Code> "Hav" \(line 3\) and by <Code> "Fjell" \(line 3\)/);
  });
  it('selections and codings', () => {
    refused(qde(src('en', g('bbbbbbbb', 1), g('cccccccc', 1), g('dddddddd', 1)) + src('to', g('bbbbbbbb', 2), g('cccccccc', 1), g('dddddddd', 2))), /cccccccc-0000-4000-8000-000000000001 is used twice, by <PlainTextSelection> in <TextSource> "en" \(line 4\) and by <PlainTextSelection> in <TextSource> "to"/);
    refused(qde(src('en', g('bbbbbbbb', 1), g('cccccccc', 1), g('dddddddd', 1)) + src('to', g('bbbbbbbb', 2), g('cccccccc', 2), g('dddddddd', 1))), /dddddddd-0000-4000-8000-000000000001 is used twice, by <Coding> in <TextSource> "en" \(line 4\) and by <Coding> in <TextSource> "to"/);
  });
  it('cases', () => {
    const cases = `<Cases><Case guid="${g('ffffffff', 1)}" name="Per"/><Case guid="${g('ffffffff', 1)}" name="Kari"/></Cases>`;
    refused(qde('', cases), /ffffffff-0000-4000-8000-000000000001 is used twice, by <Case> "Per" .* and by <Case> "Kari"/);
  });
  it('notes', () => {
    const notes = `<Notes><Note guid="${g('eeeeeeee', 1)}" name="Første"><PlainTextContent>a</PlainTextContent></Note><Note guid="${g('eeeeeeee', 1)}" name="Andre"><PlainTextContent>b</PlainTextContent></Note></Notes>`;
    refused(qde('', notes), /eeeeeeee-0000-4000-8000-000000000001 is used twice, by <Note> "Første" .* and by <Note> "Andre"/);
  });
  it('users', () => {
    const users = `<Users><User guid="${g('99999999', 1)}" name="Ingrid"/><User guid="${g('99999999', 1)}" name="Per"/></Users>`;
    refused(qde('').replace('<CodeBook>', `${users}<CodeBook>`), /99999999-0000-4000-8000-000000000001 is used twice, by <User> "Ingrid" .* and by <User> "Per"/);
  });
  it('sets', () => {
    const sets = `<Sets><Set guid="${g('77777777', 1)}" name="Kvinner"/><Set guid="${g('77777777', 1)}" name="Menn"/></Sets>`;
    refused(qde('', sets), /77777777-0000-4000-8000-000000000001 is used twice, by <Set> "Kvinner" .* and by <Set> "Menn"/);
  });
  it('across kinds, and whatever the spelling (braces, upper case)', () => {
    const cases = `<Cases><Case guid="{${g('AAAAAAAA', 1)}}" name="Per"/></Cases>`;
    refused(qde('', cases), /\{AAAAAAAA-0000-4000-8000-000000000001\} is used twice, by <Code> "Hav" \(line 3\) and by <Case> "Per"/);
  });
});

describe('imports are written all or nothing (core/staging.ts)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-staging-'));
    writeFileSync(path.join(dir, 'mine.txt'), 'Mitt eget.\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = [
    { path: 'a/en.txt', text: 'En.\n', item: 'the source "en"' },
    { path: 'a/en.txt.codes.json', text: '{}\n', item: 'the codings of the source "en"' },
    { path: 'to.txt', text: 'To.\n', item: 'the source "to"' },
    { path: 'grounded.json', text: '{}\n', item: 'the project' },
  ];

  /** Node's fs, failing as a file system does on the n-th write or rename. */
  class FailingFs extends NodeFileSystem {
    writes = 0;
    renames = 0;
    constructor(
      root: string,
      private readonly failWrite = Infinity,
      private readonly failRename = Infinity,
    ) {
      super(root);
    }
    override async writeText(p: string, text: string): Promise<void> {
      if (++this.writes === this.failWrite) throw Object.assign(new Error(`ENAMETOOLONG: name too long, open '${p}'`), { code: 'ENAMETOOLONG' });
      return super.writeText(p, text);
    }
    override async rename(from: string, to: string): Promise<void> {
      if (++this.renames === this.failRename) throw Object.assign(new Error(`EEXIST: file already exists, rename '${to}'`), { code: 'EEXIST' });
      return super.rename(from, to);
    }
  }

  it('moves every file into place and leaves no staging folder', async () => {
    await writeAllOrNothing(new NodeFileSystem(dir), files, { source: 'p.qdpx' });
    assert.deepEqual(readdirSync(dir).sort(), ['a', 'grounded.json', 'mine.txt', 'to.txt']);
    assert.equal(readFileSync(path.join(dir, 'a/en.txt'), 'utf8'), 'En.\n');
  });

  for (const [when, fs] of [
    ['the file system refuses a name while staging', (d: string) => new FailingFs(d, 3)],
    ['a move into place fails halfway', (d: string) => new FailingFs(d, Infinity, 3)],
  ] as const) {
    it(`leaves the folder as it was when ${when}, and names the file and the item`, async () => {
      const before = snapshot(dir);
      await assert.rejects(writeAllOrNothing(fs(dir), files, { source: 'p.qdpx' }), (err: unknown) => {
        assert.ok(err instanceof StagingError);
        assert.match(err.message, /^p\.qdpx: the source "to" could not be written to "to\.txt" \((ENAMETOOLONG|EEXIST)/);
        assert.match(err.message, /; nothing was written$/);
        return true;
      });
      const after = snapshot(dir);
      assert.deepEqual(after, before, 'no file, no folder made for one, no staging folder');
      assert.ok(!Object.keys(after).some((k) => k.startsWith(STAGING_PREFIX)));
    });
  }

  it('checks every path before writing: unsafe, too long, the same path twice (ignoring case), a file where a folder is needed', () => {
    const f = (p: string, item = `the source "${p}"`) => ({ path: p, text: '', item });
    assert.match(targetPathProblem([f('../x.txt')])!, /"\.\.\/x\.txt", which is not a safe path/);
    assert.match(targetPathProblem([f('/x.txt')])!, /not a safe path/);
    assert.match(targetPathProblem([f('a//x.txt')])!, /not a safe path/);
    assert.match(targetPathProblem([f('ø'.repeat(128) + '.txt')])!, /260 bytes long: file systems allow 255/);
    assert.match(targetPathProblem([f(Array(12).fill('m'.repeat(100)).join('/'))])!, /1211 bytes long: the most Grounded writes is 1024/);
    assert.match(targetPathProblem([f('Notes.txt'), f('notes.txt')])!, /the source "Notes\.txt" and the source "notes\.txt" would both be written to "notes\.txt"/);
    assert.match(targetPathProblem([f('notes.txt'), f('notes.txt/second.txt')])!, /the source "notes\.txt" would be written to the file "notes\.txt", and the source "notes\.txt\/second\.txt" needs a folder/);
    assert.match(targetPathProblem([f('notes.txt/second.txt'), f('notes.txt')])!, /the source "notes\.txt" would be written to the file "notes\.txt", and the source "notes\.txt\/second\.txt" needs a folder/);
    assert.equal(targetPathProblem([f('a/b.txt'), f('a/c.txt'), f('b.txt')]), undefined);
  });

  it('refuses a file the folder has, or a file where the folder has a folder, before writing anything', async () => {
    mkdirSync(path.join(dir, 'to.txt'));
    writeFileSync(path.join(dir, 'to.txt', 'inside.txt'), 'x');
    const before = snapshot(dir);
    await assert.rejects(writeAllOrNothing(new NodeFileSystem(dir), files, { source: 'p.qdpx' }), /^Error: p\.qdpx: the folder already has to\.txt \(the source "to"\), and an import never overwrites; nothing was written$/);
    await assert.rejects(writeAllOrNothing(new NodeFileSystem(dir), [{ path: 'mine.txt/x.txt', text: '', item: 'the source "x"' }], { source: 'p.qdpx' }), /the source "x" needs the folder "mine\.txt", and the folder already has a file of that name/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('refuses a file that exists under another case on a file system that ignores case, before moving any', async () => {
    // A port that finds "Mine.txt" when asked for "mine.txt", as macOS and Windows do.
    class CaseBlindFs extends NodeFileSystem {
      override async readText(p: string): Promise<string | undefined> {
        return super.readText(p.toLowerCase() === 'mine.txt' ? 'mine.txt' : p);
      }
    }
    const before = snapshot(dir);
    await assert.rejects(writeAllOrNothing(new CaseBlindFs(dir), [files[2], { path: 'Mine.txt', text: 'x', item: 'the source "Mine"' }], { source: 'p.qdpx' }), /the folder already has Mine\.txt \(the source "Mine"\)/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('a REFI-QDA import through writeImport: every item named in messages, grounded.json moved last', async () => {
    const r = importRefi(new TextEncoder().encode(qde(textSource('samtale'))), 'p.qde', { coder: 'Importør', env: testEnv() });
    assert.deepEqual([...r.items.values()].sort(), [
      `the codings of the source "samtale" (${g('bbbbbbbb', 1)})`,
      "the project's codebook, cases and sets (grounded.json)",
      `the source "samtale" (${g('bbbbbbbb', 1)})`,
    ]);
    const moved: string[] = [];
    class Recording extends NodeFileSystem {
      override async rename(from: string, to: string): Promise<void> {
        moved.push(to);
        return super.rename(from, to);
      }
    }
    await writeImport(new Recording(dir), r.files, { source: 'p.qde', items: r.items });
    assert.deepEqual(moved, ['samtale.txt', 'samtale.txt.codes.json', 'grounded.json']);
    const failing: FileSystemPort = new FailingFs(dir, 2);
    rmSync(path.join(dir, 'grounded.json'));
    rmSync(path.join(dir, 'samtale.txt'));
    rmSync(path.join(dir, 'samtale.txt.codes.json'));
    const before = snapshot(dir);
    await assert.rejects(writeImport(failing, r.files, { source: 'p.qde', items: r.items }), /^Error: p\.qde: the codings of the source "samtale" \(bbbbbbbb-0000-4000-8000-000000000001\) could not be written to "samtale\.txt\.codes\.json" \(ENAMETOOLONG/);
    assert.deepEqual(snapshot(dir), before);
  });
});
