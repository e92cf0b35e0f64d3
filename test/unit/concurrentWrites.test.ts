// Two writers at once (issue 14): two real processes (test/support/concurrentWriter.ts, the core
// session over the command line's file system port, as another window would be) code the same
// transcript and add codes to the same grounded.json at the same moment. Nothing may be lost.
// Also the lock itself (core/lock.ts): waiting, stale locks, timeouts, only one's own lock removed.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeFileSystem } from '../../src/cli/nodeFs';
import { LOCK_TIMEOUT_MS, LockTimeoutError, isLockPath, lockPathFor, withFileLock, withGitIgnore } from '../../src/core/lock';
import { parseProject, serializeProject } from '../../src/core/project';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { isTranscriptPath } from '../../src/core/transcripts';
import { startWriterProcess } from '../support/writerProcess';
import type { WriterProcess } from '../support/writerProcess';

const GOLDEN = path.resolve(__dirname, '../../../test/fixtures/golden');
const TRANSCRIPT = 'interviews/kveld.txt';
const SIDECAR = `${TRANSCRIPT}.codes.json`;

/** A fictional transcript long enough for a few hundred short codings. */
function transcriptText(): string {
  const lines: string[] = [];
  for (let i = 1; i <= 30; i++) {
    lines.push(`Intervjuer: Hva skjer på kveldene, del ${i}?`);
    lines.push(`Ola: Vi spiller kort på fellesrommet til klokka ni, og så blir det stille på gangen igjen.`);
  }
  return `${lines.join('\n')}\n`;
}

/** Starts the writer script; it loads the project, says "ready" and waits for go(). */
function startWriter(root: string, coder: string, codings: number, codes: number, first = 0): WriterProcess {
  return startWriterProcess([root, TRANSCRIPT, coder, String(codings), String(codes), String(first)]);
}

function allFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? allFiles(dir, p) : [p];
  });
}

describe('two writers at once', function () {
  this.timeout(120_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-writers-'));
    cpSync(GOLDEN, dir, { recursive: true });
    writeFileSync(path.join(dir, TRANSCRIPT), transcriptText());
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('two processes coding one transcript and adding codes at the same moment, round after round, lose nothing', async () => {
    const codesBefore = parseProject(readFileSync(path.join(dir, 'grounded.json'), 'utf8'), 'grounded.json').codes.length;
    const ids = { codings: [] as string[], codes: [] as string[] };
    let merged = 0;
    for (let round = 0; round < 3; round++) {
      // The sidecar does not exist before the first round: both create it at once.
      const writers = [startWriter(dir, `Kari ${round}`, 100, 10), startWriter(dir, `Ingrid ${round}`, 100, 10, 3)];
      await Promise.all(writers.map((w) => w.ready));
      writers.forEach((w) => w.go());
      const reports = await Promise.all(writers.map((w) => w.done));
      for (const r of reports) {
        ids.codings.push(...r.codings);
        ids.codes.push(...r.codes);
        merged += r.merges;
      }

      const sidecarText = readFileSync(path.join(dir, SIDECAR), 'utf8');
      const sidecar = parseSidecar(sidecarText, SIDECAR);
      assert.equal(serializeSidecar(sidecar), sidecarText, 'the sidecar is written deterministically');
      const onDisk = new Set(sidecar.codings.map((c) => c.id));
      assert.deepEqual(ids.codings.filter((id) => !onDisk.has(id)), [], `round ${round}: every coding of both writers is in the sidecar`);
      assert.equal(sidecar.codings.length, ids.codings.length, 'and nothing else');

      const projectText = readFileSync(path.join(dir, 'grounded.json'), 'utf8');
      const project = parseProject(projectText, 'grounded.json');
      assert.equal(serializeProject(project), projectText, 'grounded.json is written deterministically');
      const codes = new Set(project.codes.map((c) => c.id));
      assert.deepEqual(ids.codes.filter((id) => !codes.has(id)), [], `round ${round}: every code of both writers is in grounded.json`);
      assert.equal(project.codes.length, codesBefore + ids.codes.length);
      const known = new Set(project.codes.map((c) => c.id));
      assert.ok(sidecar.codings.every((c) => known.has(c.codeId)), 'every coding refers to a code in grounded.json');

      // What the last writer's session holds is the merged file: the other writer's codings came in.
      assert.equal(Math.max(...reports.map((r) => r.seenCodings)), sidecar.codings.length, 'the writer that wrote last holds every coding');
      assert.deepEqual(allFiles(dir).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp')), [], 'no lock or temporary file is left');
    }
    assert.equal(ids.codings.length, 600);
    assert.equal(ids.codes.length, 60);
    // The writers really wrote at the same time: writes found the other's change on disk and merged it.
    assert.ok(merged > 0, 'the writers interleaved');
  });

  describe('the lock', () => {
    let fs: NodeFileSystem;
    beforeEach(() => (fs = new NodeFileSystem(dir)));
    const lock = lockPathFor(SIDECAR);

    it('is held while the task runs and removed afterwards, also when the task fails', async () => {
      await withFileLock(fs, SIDECAR, async () => {
        assert.ok(existsSync(path.join(dir, lock)), 'the lock file is there during the task');
      });
      assert.ok(!existsSync(path.join(dir, lock)));
      await assert.rejects(withFileLock(fs, SIDECAR, async () => Promise.reject(new Error('disk full'))), /disk full/);
      assert.ok(!existsSync(path.join(dir, lock)), 'removed after a failure too');
    });

    it('makes a second writer wait until the first is done', async () => {
      const order: string[] = [];
      let release: () => void = () => undefined;
      const first = withFileLock(fs, SIDECAR, async () => {
        order.push('first in');
        await new Promise<void>((r) => (release = r));
        order.push('first out');
      });
      while (!existsSync(path.join(dir, lock))) await new Promise((r) => setImmediate(r));
      const second = withFileLock(fs, SIDECAR, async () => {
        order.push('second in');
      });
      // The second cannot get in while the first holds the lock, however often it tries.
      for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 1));
      assert.deepEqual(order, ['first in']);
      release();
      await Promise.all([first, second]);
      assert.deepEqual(order, ['first in', 'first out', 'second in']);
    });

    it('breaks a lock left behind by a process that died (older than 10 s)', async () => {
      writeFileSync(path.join(dir, lock), 'a crashed writer\n');
      const old = new Date(Date.now() - 11_000);
      utimesSync(path.join(dir, lock), old, old);
      let ran = false;
      await withFileLock(fs, SIDECAR, async () => {
        ran = true;
      });
      assert.ok(ran);
      assert.ok(!existsSync(path.join(dir, lock)), 'the stale lock is gone');
    });

    it('gives up with a message naming the lock file when a live lock never goes away', async () => {
      writeFileSync(path.join(dir, lock), 'a busy writer\n');
      let clock = Date.now();
      // A clock that runs fast, and a lock that never counts as stale: the writer waits until it times out.
      const timings = { now: () => (clock += 1_000), staleMs: Number.MAX_SAFE_INTEGER };
      await assert.rejects(
        withFileLock(fs, SIDECAR, async () => assert.fail('must not run'), timings),
        (err: unknown) => err instanceof LockTimeoutError && err.message.includes(lock) && err.message.includes('Nothing was written') && err.message.includes(`${LOCK_TIMEOUT_MS / 1000} seconds`),
      );
      assert.equal(readFileSync(path.join(dir, lock), 'utf8'), 'a busy writer\n', "someone else's lock is never removed by a writer that gave up");
    });

    it("never removes a lock that is no longer its own (broken as stale and taken by another writer)", async () => {
      await withFileLock(fs, SIDECAR, async () => {
        writeFileSync(path.join(dir, lock), 'another writer\n');
      });
      assert.equal(readFileSync(path.join(dir, lock), 'utf8'), 'another writer\n');
    });

    it('is neither a transcript nor committed to git', () => {
      assert.ok(isLockPath(lock));
      assert.ok(isLockPath('grounded.json.lock'));
      assert.ok(isLockPath('memos/kjedsomhet-1a2b3c4d.md.lock'));
      assert.ok(!isLockPath('interviews/notes.lock'));
      assert.equal(isTranscriptPath(lock, ['**/*']), false);
      assert.equal(isTranscriptPath('interviews/kveld.txt.codes.json.x1y2z3.tmp', ['**/*']), false);
      const ignore = withGitIgnore('node_modules/\n');
      assert.ok(ignore.startsWith('node_modules/\n'), 'existing lines are kept');
      for (const line of ['*.codes.json.lock', 'grounded.json.lock', '*.codes.json.*.tmp', 'grounded.json.*.tmp']) assert.ok(ignore.split('\n').includes(line), line);
      assert.equal(withGitIgnore(ignore), ignore, 'added once');
    });
  });
});
