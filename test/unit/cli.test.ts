import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkProject, formatReport } from '../../src/cli/check';
import type { CheckReport, Finding } from '../../src/cli/check';
import { runCli } from './fixtures';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { parseProject, serializeProject } from '../../src/core/project';
import { hashText } from '../../src/core/hash';
import { makeAnchor } from '../../src/core/text';
import type { StatsJson } from '../../src/cli/reports';
import type { Code, Coding, ProjectFile, Sidecar } from '../../src/core/model';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'sample');
const COMPILED_MAIN = path.join(ROOT, 'out/src/cli/main.js');

/** Every file under `dir`, relative with forward slashes, with its bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (abs: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const child = path.join(abs, e.name);
      if (e.isDirectory()) walk(child);
      else if (e.isFile()) files.set(path.relative(dir, child).split(path.sep).join('/'), readFileSync(child));
    }
  };
  walk(dir);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** What the sample holds, read from its files. */
function sampleCounts() {
  const files = [...snapshot(SAMPLE).keys()];
  const sidecars = files.filter((f) => f.endsWith('.codes.json')).sort();
  const codings = sidecars.reduce((n, f) => n + (JSON.parse(readFileSync(path.join(SAMPLE, f), 'utf8')) as Sidecar).codings.length, 0);
  const memos = files.filter((f) => f.startsWith('memos/') && f.endsWith('.md')).length;
  return { sidecars, codings, memos };
}

const problems = (r: CheckReport): Finding[] => r.findings.filter((f) => f.severity === 'problem');

describe('grounded check', () => {
  let dir: string;
  const { sidecars, codings, memos } = sampleCounts();
  const sidecar = sidecars[0];
  const transcript = sidecar.replace(/\.codes\.json$/, '');
  const read = (rel: string) => readFileSync(path.join(dir, rel), 'utf8');
  const write = (rel: string, text: string) => writeFileSync(path.join(dir, rel), text);
  const lineOf = (rel: string, needle: string) => read(rel).split('\n').findIndex((l) => l.includes(needle)) + 1;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-cli-'));
    cpSync(SAMPLE, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds no problems in the sample and counts its transcripts, codings and memos', async () => {
    const before = snapshot(dir);
    const report = await checkProject(dir);
    assert.deepEqual(report.findings, []);
    assert.equal(report.problems, 0);
    assert.equal(report.transcripts.length, sidecars.length);
    assert.deepEqual(report.transcripts.map((t) => t.sidecar), sidecars);
    assert.ok(report.transcripts.every((t) => t.exists && !t.changed));
    assert.equal(report.codings, codings);
    assert.equal(report.memos, memos);
    assert.equal(formatReport(report), `${sidecars.length} transcripts, ${codings} codings, ${memos} memos, 0 problems\n`);
    assert.deepEqual(snapshot(dir), before);
  });

  it('reports a set holding a code that is not in the codebook, at its place in grounded.json', async () => {
    const p = parseProject(read('grounded.json'), 'grounded.json');
    const gone = '00000000-0000-4000-8000-00000000dead';
    write('grounded.json', serializeProject({ ...p, sets: [{ id: '00000000-0000-4000-8000-00000000beef', name: 'Kjerne', documents: [], codes: [p.codes[0].id, gone].sort() }] }));
    const report = await checkProject(dir);
    assert.deepEqual(problems(report).map((f) => [f.kind, f.path, f.line, f.codeId]), [['set-member', 'grounded.json', lineOf('grounded.json', '"name":"Kjerne"'), gone]]);
    assert.match(problems(report)[0].message, /set "Kjerne": code 00000000-0000-4000-8000-00000000dead is not in the codebook/);
  });

  it('reports codings moved by a paragraph inserted at the top as a note, not a problem, and writes nothing', async () => {
    write(transcript, 'A paragraph added at the top, before everything else.\n\n' + read(transcript));
    const before = snapshot(dir);
    const n = (parseSidecar(read(sidecar), sidecar) as Sidecar).codings.length;
    const report = await checkProject(dir);
    const t = report.transcripts.find((x) => x.path === transcript)!;
    assert.equal(t.changed, true);
    assert.deepEqual(t.reanchor, { unchanged: 0, moved: n, fuzzy: 0, orphaned: 0 });
    assert.equal(report.problems, 0);
    assert.deepEqual(report.findings.map((f) => [f.severity, f.kind, f.path]), [['info', 'reanchored', transcript]]);
    const { code, out } = await runCli(['check', dir], ROOT);
    assert.equal(code, 0);
    assert.match(out, new RegExp(`${transcript}: note: changed since it was coded; re-anchored in memory: 0 unchanged, ${n} moved, 0 fuzzy, 0 orphaned`));
    assert.deepEqual(snapshot(dir), before);
  });

  it('reports a coding whose paragraph was deleted as orphaned, at its line in the sidecar, and exits 1', async () => {
    const text = read(transcript);
    const s = parseSidecar(read(sidecar), sidecar);
    // A coding whose quote occurs once, so that deleting its paragraph leaves nothing to find.
    const victim = s.codings.find((c) => c.anchor.quote.length > 30 && text.indexOf(c.anchor.quote) === text.lastIndexOf(c.anchor.quote))!;
    const from = text.lastIndexOf('\n\n', victim.anchor.start);
    const to = text.indexOf('\n\n', victim.anchor.end);
    assert.ok(from >= 0 && to > from);
    write(transcript, text.slice(0, from) + text.slice(to));
    const before = snapshot(dir);

    const report = await checkProject(dir);
    const orphan = report.findings.find((f) => f.kind === 'orphaned' && f.codingId === victim.id);
    assert.ok(orphan, JSON.stringify(report.findings, null, 2));
    assert.equal(orphan.path, sidecar);
    assert.equal(orphan.line, lineOf(sidecar, victim.id));
    assert.equal(orphan.column, 5);
    assert.ok(problems(report).every((f) => f.kind === 'orphaned'));
    const t = report.transcripts.find((x) => x.path === transcript)!;
    assert.equal(t.reanchor!.orphaned, problems(report).length);

    const { code, out } = await runCli(['check', path.relative(ROOT, dir)], ROOT);
    assert.equal(code, 1);
    const prefix = path.relative(ROOT, dir).split(path.sep).join('/') + '/';
    assert.ok(out.includes(`${prefix}${sidecar}:${orphan.line}:5: orphaned coding ${victim.id.slice(0, 8)}`), out);
    assert.match(out, new RegExp(`${problems(report).length} problems?\\n$`));
    assert.deepEqual(snapshot(dir), before);
  });

  it('reports a corrupt sidecar as path:line:column, exits 1 and leaves the file byte-identical', async () => {
    const lines = read(sidecar).split('\n');
    lines.splice(4, 0, '<<<<<<< HEAD'); // a half-resolved merge conflict, before the first coding
    write(sidecar, lines.join('\n'));
    const before = snapshot(dir);

    const report = await checkProject(dir);
    assert.deepEqual(problems(report).map((f) => [f.kind, f.path, f.line, f.column, f.message]), [['parse', sidecar, 5, 1, 'Unexpected token "<"']]);
    assert.equal(report.transcripts.length, sidecars.length - 1);
    const { code, out } = await runCli(['check'], dir);
    assert.equal(code, 1);
    assert.ok(out.startsWith(`${sidecar}:5:1: Unexpected token "<"\n`), out);
    assert.deepEqual(snapshot(dir), before);
  });

  it('reports a coding whose code is not in the codebook', async () => {
    const s = parseSidecar(read(sidecar), sidecar);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const changed = s.codings[0];
    write(sidecar, serializeSidecar({ ...s, codings: [{ ...changed, codeId: unknown }, ...s.codings.slice(1)] }));
    const report = await checkProject(dir);
    assert.deepEqual(problems(report).map((f) => [f.kind, f.path, f.line, f.codingId, f.codeId]), [['unknown-code', sidecar, lineOf(sidecar, changed.id), changed.id, unknown]]);
    assert.match(problems(report)[0].message, /code 00000000-0000-4000-8000-000000000000 is not in the codebook/);
    assert.equal((await runCli(['check', dir], ROOT)).code, 1);
  });

  it('reports a coding that repeats another (same coder, code and span) at its line, and exits 1', async () => {
    const s = parseSidecar(read(sidecar), sidecar);
    const kept = s.codings[0];
    const repeat: Coding = { ...kept, id: 'ffffffff-0000-4000-8000-000000000001', created: '2026-12-01T09:00:00.000Z' };
    // Not duplicates: the same span by another coder, an overlapping span, and an orphaned copy.
    const other: Coding = { ...kept, id: 'ffffffff-0000-4000-8000-000000000002', coder: 'Someone Else' };
    const longer: Coding = { ...kept, id: 'ffffffff-0000-4000-8000-000000000003', anchor: makeAnchor(read(transcript), kept.anchor.start, kept.anchor.end + 1) };
    write(sidecar, serializeSidecar({ ...s, codings: [...s.codings, repeat, other, longer] }));
    const before = snapshot(dir);

    const report = await checkProject(dir);
    const line = lineOf(sidecar, repeat.id);
    assert.deepEqual(problems(report).map((f) => [f.kind, f.path, f.line, f.column, f.codingId, f.codeId]), [['duplicate', sidecar, line, 5, repeat.id, kept.codeId]]);
    const name = parseProject(read('grounded.json'), 'grounded.json').codes.find((c) => c.id === kept.codeId)!.name;
    const message = `coding ffffffff repeats coding ${kept.id.slice(0, 8)} (same coder "${kept.coder}", code "${name}", span ${kept.anchor.start}-${kept.anchor.end}); counts include it once. Remove one of them.`;
    assert.equal(problems(report)[0].message, message);

    const { code, out } = await runCli(['check'], dir);
    assert.equal(code, 1);
    assert.ok(out.includes(`${sidecar}:${line}:5: ${message}\n`), out);
    assert.match(out, /, 1 problem\n$/);
    assert.deepEqual(snapshot(dir), before);
  });

  it('reports codes whose names clash among siblings ignoring case (after a git merge), at the name in grounded.json', async () => {
    const p = parseProject(read('grounded.json'), 'grounded.json');
    const counting = p.codes.find((c) => c.name === 'Counting the days backwards')!;
    const parent = p.codes.find((c) => c.id === counting.parent)!;
    const clash: Code = { ...counting, id: 'eeeeeeee-0000-4000-8000-000000000001', name: 'counting the DAYS backwards ' };
    // The same name one level up is allowed: names are unique among siblings only.
    const elsewhere: Code = { ...counting, id: 'eeeeeeee-0000-4000-8000-000000000002', parent: undefined };
    write('grounded.json', serializeProject({ ...p, codes: [...p.codes, clash, elsewhere] }));

    const report = await checkProject(dir);
    const line = lineOf('grounded.json', clash.id);
    const at = read('grounded.json').split('\n')[line - 1].indexOf('"counting') + 1;
    const message = `code "counting the DAYS backwards " (eeeeeeee) has the name of code "Counting the days backwards" (${counting.id.slice(0, 8)}) under "${parent.name}", ignoring case; names must differ among siblings. Rename one of them, or merge one into the other (Merge Code into…)`;
    assert.deepEqual(problems(report).map((f) => [f.kind, f.path, f.line, f.column, f.codeId, f.message]), [['duplicate-name', 'grounded.json', line, at, clash.id, message]]);
    const { code, out } = await runCli(['check'], dir);
    assert.equal(code, 1);
    assert.ok(out.startsWith(`grounded.json:${line}:${at}: ${message}\n`), out);
  });

  it('reports a missing transcript, a missing grounded.json and memos about things that do not exist', async () => {
    unlinkSync(path.join(dir, transcript));
    const memo = [...snapshot(dir).keys()].find((f) => f.startsWith('memos/'))!;
    write(memo, read(memo).replace(/^target: .*$/m, 'target: coding:00000000-0000-4000-8000-000000000001'));
    let report = await checkProject(dir);
    assert.deepEqual(problems(report).map((f) => [f.kind, f.path, f.line]), [
      ['transcript-missing', sidecar, 3],
      ['memo-target', memo, lineOf(memo, 'target:')],
    ]);
    unlinkSync(path.join(dir, 'grounded.json'));
    report = await checkProject(dir);
    assert.equal(problems(report)[0].kind, 'project-missing');
    assert.ok(!problems(report).some((f) => f.kind === 'unknown-code'), 'codes are not judged without a codebook');
  });

  it('parses its arguments: help, version, --json and usage errors (exit 2)', async () => {
    const help = await runCli([], dir);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: grounded <command>/);
    assert.match(help.out, /check \[dir\] \[--json\]/);
    assert.equal((await runCli(['--help'], dir)).out, help.out);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.deepEqual(await runCli(['--version'], dir), { code: 0, out: `${pkg.version}\n`, err: '' });

    const json = await runCli(['check', '--json'], dir);
    assert.equal(json.code, 0);
    const parsed = JSON.parse(json.out) as CheckReport & { ok: boolean };
    assert.equal(parsed.ok, true);
    assert.equal(parsed.codings, codings);

    for (const [argv, message] of [
      [['frobnicate'], 'unknown command "frobnicate"'],
      [['--frob'], 'unknown option --frob'],
      [['check', '--frob'], 'check: unknown option --frob'],
      [['check', 'no-such-folder'], 'check: no such folder: no-such-folder'],
      [['check', 'grounded.json'], 'check: not a folder: grounded.json'],
      [['check', '.', '.'], 'check: one folder at most'],
    ] as const) {
      const r = await runCli([...argv], dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.out, '');
      assert.ok(r.err.startsWith(`grounded: ${message}`), r.err);
    }
  });

  it('exits 0, 1 and 2 as a process (compiled out/src/cli/main.js)', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [COMPILED_MAIN, 'check', ...args], { cwd: ROOT, encoding: 'utf8' });
    let r = cli(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${sidecars.length} transcripts, ${codings} codings, ${memos} memos, 0 problems\\n$`));
    write(sidecar, read(sidecar).replace('"version": 1,', '"version": 1,,'));
    r = cli(dir);
    assert.equal(r.status, 1);
    assert.ok(r.stdout.startsWith(`${path.join(dir, sidecar).split(path.sep).join('/')}:2:16: Expected a property name in double quotes\n`), r.stdout);
    r = cli(path.join(dir, 'no-such-folder'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no such folder/);
  });
});

// A transcript with an interviewer's turn and a participant's; settings.excludedSpeakers leaves the
// interviewer out. Codings (all of code "Waiting" unless said):
//   Kari  "I count the days"   (the participant)                      counts
//   Kari  "I count the days"   again, later, another id: a duplicate   counted once
//   Kari  "How long is left?"  (the interviewer's turn)               not counted: excluded speaker
//   Ola   "count", code "Family"                                       counts
//   Ola   an orphaned coding                                           an orphan, not counted
//   Ola   a coding of a code not in the codebook                       not counted
describe('grounded stats', () => {
  let dir: string;
  const T = '2026-11-02T10:00:00.000Z';
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const TEXT = 'Interviewer: How long is left?\n\nAnn: I count the days. Every one.\n';
  const WAITING = uuid(1);
  const FAMILY = uuid(2);
  const CATEGORY = uuid(3);
  const at = (words: string) => {
    const start = TEXT.indexOf(words);
    return makeAnchor(TEXT, start, start + words.length);
  };

  function makeProject(excluded: string[] | undefined): void {
    const code = (id: string, name: string, parent?: string): Code => ({ id, name, color: '#336699', created: T, createdBy: 'Kari', ...(parent ? { parent } : {}) });
    const project: ProjectFile = {
      version: 1,
      project: { id: uuid(99), name: 'Stats test', created: T },
      settings: excluded ? { excludedSpeakers: excluded } : {},
      codes: [code(CATEGORY, 'Time'), code(WAITING, 'Waiting', CATEGORY), code(FAMILY, 'Family')],
      cases: [],
    };
    writeFileSync(path.join(dir, 'grounded.json'), serializeProject(project));
    const c = (n: number, coder: string, codeId: string, words: string, created = T): Coding => ({ id: uuid(n), codeId, anchor: at(words), coder, created });
    const codings: Coding[] = [
      c(10, 'Kari', WAITING, 'I count the days'),
      c(11, 'Kari', WAITING, 'I count the days', '2026-11-03T10:00:00.000Z'),
      c(12, 'Kari', WAITING, 'How long is left?'),
      c(13, 'Ola', FAMILY, 'count'),
      { ...c(14, 'Ola', FAMILY, 'Every one'), orphaned: true },
      c(15, 'Ola', uuid(50), 'Every one'),
    ];
    writeFileSync(path.join(dir, 'a.txt'), TEXT.replace(/\n/g, '\r\n'));
    writeFileSync(path.join(dir, 'a.txt.codes.json'), serializeSidecar({ version: 1, document: { path: 'a.txt', hash: hashText(TEXT) }, codings }));
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-stats-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts as the extension does: a duplicate once, nothing in excluded speakers\' turns, no orphans or unknown codes', async () => {
    makeProject(['interviewer']);
    const r = await runCli(['stats', '--json'], dir);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as StatsJson;
    assert.deepEqual(
      j.codes.map((c) => [c.code, c.segments, c.documents, c.coders, c.totalSegments, c.totalDocuments, c.totalCoders]),
      [
        ['Waiting', 1, 1, ['Kari'], 1, 1, ['Kari']],
        ['Family', 1, 1, ['Ola'], 1, 1, ['Ola']],
        ['Time', 0, 0, [], 1, 1, ['Kari']],
      ],
    );
    // Coverage over the counted codings: "I count the days" (16 of the text's characters).
    assert.deepEqual(j.documents, [{ document: 'a.txt', characters: TEXT.length, codings: 2, orphaned: 1, coders: ['Kari', 'Ola'], coverage: Math.round((16 / TEXT.length) * 1e4) / 1e4 }]);
    assert.equal(
      r.err,
      'grounded: note: a.txt: 1 coding repeats another (same coder, code and span) and is not counted again (run "grounded check" to find it)\n' +
        'grounded: note: a.txt: 1 coding of a code that is not in the codebook is not counted (run "grounded check")\n',
    );
    const table = await runCli(['stats'], dir);
    assert.match(table.out, /\n {2}Waiting +1 +1 +1 in 1 +Kari\n/);
    // Many transcripts with repeats: one note for all (the output of a large project is not a wall of notes).
    const sidecar = readFileSync(path.join(dir, 'a.txt.codes.json'), 'utf8');
    for (const name of ['b', 'c', 'd']) {
      writeFileSync(path.join(dir, `${name}.txt`), TEXT);
      writeFileSync(path.join(dir, `${name}.txt.codes.json`), sidecar.replace('"path":"a.txt"', `"path":"${name}.txt"`).replace(/"id":"0000/g, `"id":"${name}000`));
    }
    const many = await runCli(['stats', '--json'], dir);
    assert.equal(
      many.err,
      'grounded: note: 4 codings repeat another (same coder, code and span) and are not counted again in 4 transcripts, the first in a.txt (run "grounded check" to list them)\n' +
        'grounded: note: 4 codings of a code that is not in the codebook are not counted in 4 transcripts, the first in a.txt (run "grounded check" to list them)\n',
    );
    assert.match(table.out, /\na\.txt +\d+ +2 +1 +\d+\.\d\d % +Kari, Ola\n/);
  });

  it('counts the interviewer\'s turns when no speaker is excluded', async () => {
    makeProject(undefined);
    const j = JSON.parse((await runCli(['stats', '--json'], dir)).out) as StatsJson;
    assert.deepEqual(j.codes.find((c) => c.code === 'Waiting')!.segments, 2);
    assert.equal(j.documents[0].codings, 3);
  });
});
