// The merge driver with real git: two branches code the same project differently and meet in a merge.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, appendFileSync } from 'node:fs';
import { runCli } from './fixtures';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Coding } from '../../src/core/model';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { parseProject, serializeProject } from '../../src/core/project';
import { makeAnchor } from '../../src/core/text';
import { derivedId, mergeFileTexts, withGitAttributes } from '../../src/core/mergeDriver';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'out/src/cli/main.js');
const T2 = 'interviews/interview-02.txt';
const T3 = 'interviews/interview-03.txt';

function git(cwd: string, ...args: string[]): { status: number; out: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function ok(cwd: string, ...args: string[]): string {
  const r = git(cwd, ...args);
  assert.equal(r.status, 0, `git ${args.join(' ')}:\n${r.out}`);
  return r.out;
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');
const sidecarOf = (dir: string, rel: string) => parseSidecar(read(dir, `${rel}.codes.json`), rel);

function editSidecar(dir: string, rel: string, change: (codings: Coding[]) => Coding[]): void {
  const s = sidecarOf(dir, rel);
  writeFileSync(path.join(dir, `${rel}.codes.json`), serializeSidecar({ ...s, codings: change(s.codings) }));
}

function newCoding(dir: string, rel: string, words: string, codeId: string, coder: string, id: string): Coding {
  const text = read(dir, rel).replace(/\r\n?/g, '\n');
  const start = text.indexOf(words);
  assert.ok(start >= 0, words);
  return { id, codeId, anchor: makeAnchor(text, start, start + words.length), coder, created: '2026-11-27T10:00:00.000Z' };
}

/** Every JSON file of the project parses, and none holds a conflict marker. */
function assertCleanJson(dir: string): void {
  const walk = (d: string): string[] =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.name === '.git' ? [] : e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
  for (const f of walk(dir).filter((f) => f.endsWith('.json'))) {
    const text = readFileSync(f, 'utf8');
    assert.doesNotMatch(text, /^(<<<<<<<|=======|>>>>>>>)/m, `${f} has conflict markers`);
    JSON.parse(text);
  }
}

describe('git merge driver (real git)', function () {
  this.timeout(60000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-git-'));
    cpSync(path.join(ROOT, 'sample'), dir, { recursive: true });
    ok(dir, 'init', '-q', '-b', 'main');
    ok(dir, 'config', 'user.name', 'Kari Nordmann');
    ok(dir, 'config', 'user.email', 'kari@example.org');
    const setup = spawnSync(process.execPath, [CLI, 'git-setup', '--command', `"${process.execPath}" "${CLI}"`], { cwd: dir, encoding: 'utf8' });
    assert.equal(setup.status, 0, setup.stderr);
    assert.match(read(dir, '.gitattributes'), /\*\.codes\.json merge=grounded/);
    ok(dir, 'add', '-A');
    ok(dir, 'commit', '-q', '-m', 'sample');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a save's lock and temporary files out of git (git-setup wrote .gitignore)", () => {
    assert.match(read(dir, '.gitignore'), /^\*\.codes\.json\.lock$/m);
    assert.equal(ok(dir, 'status', '--porcelain'), '', 'the .gitignore itself was committed with the sample');
    // What a save in progress leaves for a moment (core/lock.ts, core/ports.ts writeAtomic).
    writeFileSync(path.join(dir, `${T2}.codes.json.lock`), 'x\n');
    writeFileSync(path.join(dir, `${T2}.codes.json.k3j4h5g6.tmp`), '{}\n');
    writeFileSync(path.join(dir, 'grounded.json.lock'), 'x\n');
    writeFileSync(path.join(dir, 'grounded.json.a1b2c3d4.tmp'), '{}\n');
    ok(dir, 'add', '-A');
    assert.equal(ok(dir, 'status', '--porcelain'), '', 'git add -A takes none of them');
  });

  it('merges two coders\' work: new codings from both, a deletion, a renamed code, a memo and a transcript edit', () => {
    const project = parseProject(read(dir, 'grounded.json'), 'grounded.json');
    const code = (name: string) => project.codes.find((c) => c.name === name)!.id;
    const s2 = sidecarOf(dir, T2).codings;
    const s3 = sidecarOf(dir, T3).codings;
    const deleted = s3[0];
    const noted = s2[1];

    ok(dir, 'checkout', '-q', '-b', 'ola');
    const olaCoding = newCoding(dir, T2, 'This morning it was two hundred', code('Counting the days backwards'), 'Ola', '0a000000-0000-4000-8000-000000000001');
    editSidecar(dir, T2, (cs) => [...cs.map((c) => (c.id === noted.id ? { ...c, note: 'Ola: compare with Håkon' } : c)), olaCoding]);
    const p = parseProject(read(dir, 'grounded.json'), 'grounded.json');
    writeFileSync(path.join(dir, 'grounded.json'), serializeProject({ ...p, codes: p.codes.map((c) => (c.name === 'Trust in officers' ? { ...c, name: 'Trusting some officers' } : c)) }));
    appendFileSync(path.join(dir, T3), '\nIntervjuer: Takk for praten.\n');
    ok(dir, 'commit', '-q', '-am', 'Ola codes');

    ok(dir, 'checkout', '-q', 'main');
    const kariCoding = newCoding(dir, T2, "I'm counting the days backwards", code('Routines and structure'), 'Kari Nordmann', '0b000000-0000-4000-8000-000000000002');
    editSidecar(dir, T2, (cs) => [...cs, kariCoding]);
    editSidecar(dir, T3, (cs) => cs.filter((c) => c.id !== deleted.id));
    const memo = readdirSync(path.join(dir, 'memos'))[0];
    appendFileSync(path.join(dir, 'memos', memo), '\nKari: a new thought after interview three.\n');
    ok(dir, 'commit', '-q', '-am', 'Kari codes');

    const merge = git(dir, 'merge', '--no-edit', 'ola');
    assert.equal(merge.status, 0, merge.out);
    assertCleanJson(dir);
    const merged2 = sidecarOf(dir, T2).codings;
    assert.ok(merged2.some((c) => c.id === olaCoding.id), "Ola's new coding is there");
    assert.ok(merged2.some((c) => c.id === kariCoding.id), "Kari's new coding is there");
    assert.equal(merged2.find((c) => c.id === noted.id)?.note, 'Ola: compare with Håkon', "Ola's note on an existing coding");
    assert.equal(merged2.length, s2.length + 2);
    const merged3 = sidecarOf(dir, T3).codings;
    assert.ok(!merged3.some((c) => c.id === deleted.id), 'the coding Kari deleted (Ola left it alone) stays deleted');
    assert.equal(merged3.length, s3.length - 1);
    const mergedProject = parseProject(read(dir, 'grounded.json'), 'grounded.json');
    assert.ok(mergedProject.codes.some((c) => c.name === 'Trusting some officers'), "Ola's renamed code");
    assert.match(read(dir, `memos/${memo}`), /Kari: a new thought/);
    assert.match(read(dir, T3), /Takk for praten/);
    // The merged files are in Grounded's own layout, and `grounded check` finds nothing wrong.
    assert.equal(read(dir, `${T2}.codes.json`), serializeSidecar(sidecarOf(dir, T2)));
    const check = spawnSync(process.execPath, [CLI, 'check', '.'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 0, check.stdout + check.stderr);
  });

  it('keeps both versions of a coding changed differently on both branches, flagged, and git reports the conflict', () => {
    const target = sidecarOf(dir, T2).codings[0];
    ok(dir, 'checkout', '-q', '-b', 'ola');
    editSidecar(dir, T2, (cs) => cs.map((c) => (c.id === target.id ? { ...c, note: 'Ola reads this as resistance' } : c)));
    ok(dir, 'commit', '-q', '-am', 'Ola');
    ok(dir, 'checkout', '-q', 'main');
    editSidecar(dir, T2, (cs) => cs.map((c) => (c.id === target.id ? { ...c, note: 'Kari reads this as coping' } : c)));
    ok(dir, 'commit', '-q', '-am', 'Kari');

    const merge = git(dir, 'merge', '--no-edit', 'ola');
    assert.notEqual(merge.status, 0, 'git reports the conflict');
    assert.match(merge.out, /CONFLICT/);
    assertCleanJson(dir);
    const codings = sidecarOf(dir, T2).codings;
    assert.equal(codings.find((c) => c.id === target.id)?.note, 'Kari reads this as coping', 'ours stays under its id');
    const theirs = codings.find((c) => c.conflictOf === target.id);
    assert.ok(theirs, "theirs is kept beside it, flagged");
    assert.equal(theirs.note, 'Ola reads this as resistance');
    const check = spawnSync(process.execPath, [CLI, 'check', '.', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(check.status, 1);
    assert.ok(JSON.parse(check.stdout).findings.some((f: { kind: string }) => f.kind === 'merge-conflict'));
  });
});

describe('merge driver logic', () => {
  it('gives a conflict copy the same id every time, and a valid UUID', () => {
    assert.equal(derivedId('x'), derivedId('x'));
    assert.notEqual(derivedId('x'), derivedId('y'));
    assert.match(derivedId('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  // Found by the property tests (test/property/properties.ts), shrunk.
  it('reports a project name or a setting changed differently on both sides as a conflict, whichever side is ours', () => {
    const base = parseProject(read(path.join(ROOT, 'sample'), 'grounded.json'), 'grounded.json');
    const text = (name: string, language: string | undefined) => {
      const settings = { ...base.settings };
      if (language) settings.language = language;
      else delete settings.language;
      return serializeProject({ ...base, project: { ...base.project, name }, settings });
    };
    const b = serializeProject(base);
    for (const [ours, theirs, conflicts] of [
      [text('Soning', base.settings.language), text('Etter soning', base.settings.language), 1],
      [text(base.project.name, 'de'), text(base.project.name, 'en'), 1],
      [text('Soning', 'de'), text('Etter soning', 'en'), 2],
      [text('Soning', base.settings.language), text(base.project.name, 'en'), 0],
    ] as const) {
      const ab = mergeFileTexts('project', b, ours, theirs, 'grounded.json');
      const ba = mergeFileTexts('project', b, theirs, ours, 'grounded.json');
      assert.equal(ab.conflicts, conflicts);
      assert.equal(ba.conflicts, conflicts);
      if (conflicts === 0) assert.equal(ab.text, ba.text);
      else assert.equal(ab.text, mergeFileTexts('project', b, ours, ours, 'grounded.json').text, 'ours stays');
    }
  });

  it('is deterministic: the same three inputs give the same bytes, whichever order the records were in', () => {
    const base = read(path.join(ROOT, 'sample'), `${T2}.codes.json`);
    const s = parseSidecar(base, T2);
    const ours = serializeSidecar({ ...s, codings: s.codings.slice(1) });
    const theirs = serializeSidecar({ ...s, codings: s.codings.map((c, i) => (i === 2 ? { ...c, note: 'x' } : c)) });
    const a = mergeFileTexts('sidecar', base, ours, theirs, T2);
    const b = mergeFileTexts('sidecar', base, ours, theirs, T2);
    assert.equal(a.text, b.text);
    assert.equal(a.conflicts, 0);
    assert.equal(parseSidecar(a.text, T2).codings.length, s.codings.length - 1);
  });

  describe('the same span coded with the same code by the same coder on both sides', () => {
    const sample = read(path.join(ROOT, 'sample'), `${T2}.codes.json`);
    const base = parseSidecar(sample, T2);
    const text = read(path.join(ROOT, 'sample'), T2).replace(/\r\n?/g, '\n');
    const words = 'This morning it was two hundred and eleven.';
    const start = text.indexOf(words);
    const codeId = base.codings[0].codeId;
    const coding = (id: string, created: string, extra: Partial<Coding> = {}): Coding => ({ id, codeId, anchor: makeAnchor(text, start, start + words.length), coder: 'Kari Nordmann', created, ...extra });
    const ourCoding = coding('0a000000-0000-4000-8000-000000000001', '2026-11-27T10:00:00.000Z');
    const theirCoding = coding('0b000000-0000-4000-8000-000000000002', '2026-11-27T09:00:00.000Z');
    const withCodings = (...extra: Coding[]) => serializeSidecar({ ...base, codings: [...base.codings, ...extra] });
    const merged = (ours: string, theirs: string) => {
      const r = mergeFileTexts('sidecar', sample, ours, theirs, T2);
      return { ...r, added: parseSidecar(r.text, T2).codings.filter((c) => !base.codings.some((b) => b.id === c.id)) };
    };

    it('keeps only the earliest when the other carries nothing of its own, whichever side it came from', () => {
      const r = merged(withCodings(ourCoding), withCodings(theirCoding));
      assert.deepEqual(r.added, [theirCoding], 'theirs was made first');
      assert.equal(r.duplicates, 1);
      assert.equal(r.conflicts, 0);
      assert.equal(merged(withCodings(theirCoding), withCodings(ourCoding)).text, r.text, 'the same bytes with the sides swapped');
      // The same note, translation and flag as the kept one carry nothing of their own either.
      const flagged = (c: Coding) => ({ ...c, note: 'n', representative: 'code' as const, translation: { text: 't', language: 'nb', translator: 'Ola', created: '2026-11-28T10:00:00.000Z' } });
      assert.deepEqual(merged(withCodings(flagged(ourCoding)), withCodings(flagged(theirCoding))).added, [flagged(theirCoding)]);
      // The kept coding may carry more than the repeat.
      assert.deepEqual(merged(withCodings({ ...ourCoding, created: '2026-11-27T08:00:00.000Z', note: 'n' }), withCodings(theirCoding)).added, [{ ...ourCoding, created: '2026-11-27T08:00:00.000Z', note: 'n' }]);
    });

    it('keeps both when the later one has a note, a translation or a representative flag of its own', () => {
      for (const extra of [{ note: 'Ola: ritual' }, { translation: { text: 'Denne morgenen', language: 'nb', translator: 'Ola', created: '2026-11-28T10:00:00.000Z' } }, { representative: 'category' as const }]) {
        const r = merged(withCodings({ ...ourCoding, ...extra }), withCodings(theirCoding));
        assert.deepEqual(r.added.map((c) => c.id).sort(), [ourCoding.id, theirCoding.id], JSON.stringify(extra));
        assert.equal(r.duplicates, 0);
      }
      const differentNote = merged(withCodings({ ...ourCoding, note: 'a' }), withCodings({ ...theirCoding, note: 'b' }));
      assert.equal(differentNote.added.length, 2);
    });

    it('leaves alone duplicates one side had already, other coders, and spans anchored in different words', () => {
      // Ours already holds both: the merge does not silently change that (grounded check reports it).
      const both = withCodings(ourCoding, theirCoding);
      assert.equal(merged(both, sample).added.length, 2);
      assert.equal(merged(both, both).added.length, 2);
      // Another coder's coding of the same span is no duplicate.
      assert.equal(merged(withCodings(ourCoding), withCodings({ ...theirCoding, coder: 'Jonas Berg' })).added.length, 2);
      // The same offsets, but theirs anchored in an edited text: both stay, to be re-anchored.
      const edited = { ...theirCoding, anchor: { ...theirCoding.anchor, prefix: 'something else entirely, edited' } };
      assert.equal(merged(withCodings(ourCoding), withCodings(edited)).added.length, 2);
    });

    it('tells git\'s user on stderr, and exits 0 (a clean merge)', async () => {
      const tmp = mkdtempSync(path.join(os.tmpdir(), 'grounded-driver-'));
      try {
        writeFileSync(path.join(tmp, 'base'), sample);
        writeFileSync(path.join(tmp, 'ours'), withCodings(ourCoding));
        writeFileSync(path.join(tmp, 'theirs'), withCodings(theirCoding));
        const r = await runCli(['merge-driver', 'base', 'ours', 'theirs', `${T2}.codes.json`], tmp);
        assert.equal(r.code, 0, r.err);
        assert.equal(r.err, `grounded merge-driver: ${T2}.codes.json: 1 coding(s) repeated one from the other side (same coder, code and span) and were dropped; the earliest of each pair is kept.\n`);
        assert.deepEqual(parseSidecar(read(tmp, 'ours'), T2).codings.filter((c) => c.id === ourCoding.id || c.id === theirCoding.id), [theirCoding]);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    });
  });

  it('a copy of dist/cli.js alone merges, as git runs the copy the extension keeps in its storage', () => {
    const cli = path.join(ROOT, 'dist/cli.js');
    assert.ok(existsSync(cli), 'build first: node scripts/build.mjs');
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'grounded-driver-alone-'));
    try {
      cpSync(cli, path.join(tmp, 'grounded-cli.js'));
      const project = serializeProject(parseProject(readFileSync(path.join(ROOT, 'sample/grounded.json'), 'utf8'), 'grounded.json'));
      for (const f of ['base', 'ours', 'theirs']) writeFileSync(path.join(tmp, f), project);
      const r = spawnSync(process.execPath, ['grounded-cli.js', 'merge-driver', 'base', 'ours', 'theirs', 'grounded.json'], { cwd: tmp, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(read(tmp, 'ours'), project);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('refuses a version that does not parse with the file and position', () => {
    assert.throws(() => mergeFileTexts('project', undefined, '{', '{}', 'grounded.json'), /grounded\.json:1:/);
  });

  it('adds the driver to .gitattributes once, keeping what is there', () => {
    const once = withGitAttributes('*.png binary');
    assert.match(once, /^\*\.png binary\n# Grounded/);
    assert.equal(withGitAttributes(once), once);
  });
});
