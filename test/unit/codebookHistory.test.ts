// The codebook's history: the pure diff of two versions of grounded.json (every kind of change), and
// `grounded history` over a real git repository built here, commit by commit, by two researchers.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { codebookChanges, codingMovesInDiff, commitChanges, formatHistory, historySummary, matchCode } from '../../src/core/codebookHistory';
import { renderReportHtml, renderReportMarkdown } from '../../src/core/report';
import type { CodeChange, HistoryEvent } from '../../src/core/codebookHistory';
import { deleteCode, describeCode, mergeCodes, moveCode, promoteToCategory, recodeCodings, recolorCode, renameCode, setFocused } from '../../src/core/codebook';
import type { Code, Coding, ProjectFile } from '../../src/core/model';
import { serializeProject } from '../../src/core/project';
import { serializeSidecar } from '../../src/core/sidecar';
import { hashText } from '../../src/core/hash';
import { makeAnchor } from '../../src/core/text';
import { runCli } from './fixtures';
import { codebookHistory, HistoryError, historyForReport } from '../../src/node/gitHistory';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CREATED = '2026-11-01T09:00:00.000Z';

function code(n: number, name: string, extra: Partial<Code> = {}): Code {
  return { id: id(n), name, color: '#61afef', created: CREATED, createdBy: 'Ingrid Haugen', ...extra };
}

function project(codes: Code[]): ProjectFile {
  return { version: 1, project: { id: id(999), name: 'Hverdagsliv på Nordkaia', created: CREATED }, settings: {}, codes: [...codes].sort((a, b) => (a.id < b.id ? -1 : 1)), cases: [] };
}

const change = (kind: CodeChange['kind'], n: number, name: string, from: string | null = null, to: string | null = null, related?: number): CodeChange => ({
  kind,
  codeId: id(n),
  name,
  from,
  to,
  ...(related === undefined ? {} : { relatedId: id(related) }),
});

describe('codebook history: the changes between two versions', () => {
  const venting = code(1, 'Venting');
  const kjedsomhet = code(2, 'Kjedsomhet', { description: 'Dager uten innhold' });
  const fisket = code(3, 'Fisket');
  const before = project([venting, kjedsomhet, fisket]);

  it('lists every code of the first version as created, with its category; a category born with its subcodes is created, not also promoted', () => {
    const first = project([venting, code(4, 'Båten', { parent: id(1) })]);
    assert.deepEqual(codebookChanges(undefined, first), [change('created', 4, 'Båten', null, 'Venting'), change('created', 1, 'Venting')]);
    const grouped = project([venting, kjedsomhet, fisket, code(5, 'Tid', {}), ].map((c) => (c.id === id(1) || c.id === id(2) ? { ...c, parent: id(5) } : c)));
    assert.deepEqual(codebookChanges(before, grouped), [change('created', 5, 'Tid'), change('moved', 2, 'Kjedsomhet', null, 'Tid'), change('moved', 1, 'Venting', null, 'Tid')]);
  });

  it('renamed, recoloured, described (set, changed, removed)', () => {
    let after = renameCode(before, id(1), 'Venting på svar');
    after = recolorCode(after, id(3), '#e06c75');
    after = describeCode(after, id(2), 'Lange dager uten innhold');
    after = describeCode(after, id(1), 'Når svaret uteblir');
    assert.deepEqual(codebookChanges(before, after), [
      change('renamed', 1, 'Venting på svar', 'Venting', 'Venting på svar'),
      change('recoloured', 3, 'Fisket', '#61afef', '#e06c75'),
      change('described', 2, 'Kjedsomhet', 'Dager uten innhold', 'Lange dager uten innhold'),
      change('described', 1, 'Venting på svar', null, 'Når svaret uteblir'),
    ]);
    assert.deepEqual(codebookChanges(before, describeCode(before, id(2), '')), [change('described', 2, 'Kjedsomhet', 'Dager uten innhold', null)]);
  });

  it('moved under a category (which is promoted: its first subcode) and back to the top level', () => {
    const under = moveCode(before, id(2), id(1));
    assert.deepEqual(codebookChanges(before, under), [change('promoted', 1, 'Venting', null, 'Kjedsomhet'), change('moved', 2, 'Kjedsomhet', null, 'Venting')]);
    const second = moveCode(under, id(3), id(1));
    assert.deepEqual(codebookChanges(under, second), [change('moved', 3, 'Fisket', null, 'Venting')], 'a second subcode promotes nothing');
    assert.deepEqual(codebookChanges(under, moveCode(under, id(2), undefined)), [change('moved', 2, 'Kjedsomhet', 'Venting', null)]);
  });

  it('Promote to Category: the new category is promoted, which says it all (not also created, nor the code moved into it)', () => {
    let n = 50;
    const { project: after, category } = promoteToCategory(before, id(3), 'Per Lund', { now: () => CREATED, newId: () => id(n++) });
    assert.equal(category.id, id(50));
    assert.deepEqual(codebookChanges(before, after), [change('promoted', 50, 'Fisket', null, 'Fisket', 3)]);
    const more = moveCode(after, id(1), id(50));
    assert.deepEqual(codebookChanges(before, more), [change('promoted', 50, 'Fisket', null, 'Fisket', 3), change('moved', 1, 'Venting', null, 'Fisket')], 'another code moved in with it');
  });

  it('focused and unfocused', () => {
    const focused = setFocused(before, [id(1), id(2)], true).project;
    assert.deepEqual(codebookChanges(before, focused), [change('focused', 2, 'Kjedsomhet'), change('focused', 1, 'Venting')]);
    assert.deepEqual(codebookChanges(focused, setFocused(focused, [id(2)], false).project), [change('unfocused', 2, 'Kjedsomhet')]);
  });

  it('deleted; its subcodes moved up', () => {
    const tree = moveCode(before, id(3), id(2));
    assert.deepEqual(codebookChanges(tree, deleteCode(tree, id(2)).project), [change('moved', 3, 'Fisket', 'Kjedsomhet', null), change('deleted', 2, 'Kjedsomhet')]);
  });

  it('merged into the code its codings went to in the same commit, else deleted', () => {
    const after = mergeCodes(before, id(3), id(2)).project;
    const codings: Coding[] = [1, 2, 3].map((k) => ({ id: id(100 + k), codeId: k === 3 ? id(1) : id(3), anchor: { start: k * 10, end: k * 10 + 5, prefix: '', quote: 'hei', suffix: '' }, coder: 'Per Lund', created: CREATED }));
    const recoded = recodeCodings(codings, id(3), id(2)).codings;
    const moves = recoded.flatMap((c, i) => (c.codeId !== codings[i].codeId ? [{ id: c.id, from: codings[i].codeId, to: c.codeId }] : []));
    assert.equal(moves.length, 2);
    assert.deepEqual(codebookChanges(before, after, moves), [change('merged', 3, 'Fisket', null, 'Kjedsomhet', 2)]);
    assert.deepEqual(codebookChanges(before, after), [change('deleted', 3, 'Fisket')], 'no codings moved: a deletion');
    assert.deepEqual(codebookChanges(before, after, [{ id: id(101), from: id(3), to: id(777) }]), [change('deleted', 3, 'Fisket')], 'into a code that is not there');
  });

  it('a merged code without codings is known by its subcodes going to the target (which becomes a category)', () => {
    const tree = moveCode(before, id(1), id(3));
    const after = mergeCodes(tree, id(3), id(2)).project;
    assert.deepEqual(codebookChanges(tree, after), [
      change('promoted', 2, 'Kjedsomhet', null, 'Venting'),
      change('moved', 1, 'Venting', 'Fisket', 'Kjedsomhet'),
      change('merged', 3, 'Fisket', null, 'Kjedsomhet', 2),
    ]);
  });

  it('a merge commit lists only what it changed against both parents', () => {
    const ours = renameCode(before, id(1), 'Venting på svar');
    const theirs = recolorCode(before, id(3), '#e06c75');
    const merged = recolorCode(ours, id(3), '#e06c75');
    assert.deepEqual(commitChanges([ours, theirs], merged), []);
    const resolved = renameCode(merged, id(2), 'Tomme dager');
    assert.deepEqual(commitChanges([ours, theirs], resolved), [change('renamed', 2, 'Tomme dager', 'Kjedsomhet', 'Tomme dager')]);
    assert.deepEqual(commitChanges([], before).map((c) => c.kind), ['created', 'created', 'created']);
  });

  it('reads the codings whose code changed from a diff of sidecars', () => {
    const line = (coding: string, codeId: string) => `{"id":"${coding}","codeId":"${codeId}","anchor":{"start":1,"end":4,"prefix":"","quote":"hei","suffix":""},"coder":"Per","created":"${CREATED}"}`;
    const diff = [
      'diff --git a/ola.txt.codes.json b/ola.txt.codes.json',
      '--- a/ola.txt.codes.json',
      '+++ b/ola.txt.codes.json',
      '@@ -3,2 +3,2 @@',
      `-    ${line('k1', 'c3')},`,
      `-    ${line('k2', 'c3')}`,
      `+    ${line('k1', 'c2')},`,
      `+    ${line('k2', 'c3')}`,
      `-    ${line('k9', 'c3')}`,
      '+    {"id":"broken',
    ].join('\n');
    assert.deepEqual(codingMovesInDiff(diff), [{ id: 'k1', from: 'c3', to: 'c2' }]);
  });

  it('finds a code by any name it had, or its id; says when a name was two codes', () => {
    const at = (kind: CodeChange['kind'], n: number, name: string, from: string | null = null, to: string | null = null): HistoryEvent => ({ commit: 'a'.repeat(40), date: CREATED, author: 'Per', ...change(kind, n, name, from, to) });
    const events = [at('created', 1, 'Venting'), at('renamed', 1, 'Svar', 'Venting', 'Svar'), at('created', 2, 'Fisket'), at('created', 3, 'fisket ')];
    assert.deepEqual(matchCode(events, 'venting'), { kind: 'one', codeId: id(1) });
    assert.deepEqual(matchCode(events, id(2)), { kind: 'one', codeId: id(2) });
    assert.deepEqual(matchCode(events, 'Båten'), { kind: 'none' });
    assert.deepEqual(matchCode(events, 'FISKET'), { kind: 'ambiguous', codes: [{ codeId: id(2), names: ['Fisket'], first: events[2] }, { codeId: id(3), names: ['fisket '], first: events[3] }] });
    assert.equal(formatHistory(events.slice(0, 2)), `2026-11-01 09:00 UTC  Per  aaaaaaa\n  created "Venting"\n  renamed "Venting" to "Svar"\n`);
  });
});

// ---------------------------------------------------------------------------------------------------
// A real repository: Ingrid and Per code interviews from a fishing village, commit by commit.

const TRANSCRIPT = 'intervjuer/astrid.txt';
const TEXT = 'Astrid: Om vinteren venter vi på båten. Dagene blir lange når fisket stopper. Vi spiller kort på kaia.\n';

function gitOk(cwd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, ...env } });
  assert.equal(r.status, 0, `git ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe('grounded history (real git)', function () {
  this.timeout(60000);
  let dir: string;
  const commits: string[] = [];
  const INGRID = { name: 'Ingrid Haugen', email: 'ingrid@example.org' };
  const PER = { name: 'Per Lund', email: 'per@example.org' };

  const coding = (n: number, words: string, codeN: number): Coding => {
    const start = TEXT.indexOf(words);
    return { id: id(200 + n), codeId: id(codeN), anchor: makeAnchor(TEXT, start, start + words.length), coder: 'Ingrid Haugen', created: CREATED };
  };
  let p: ProjectFile;
  let codings: Coding[];
  const write = () => {
    writeFileSync(path.join(dir, 'grounded.json'), serializeProject(p));
    writeFileSync(path.join(dir, `${TRANSCRIPT}.codes.json`), serializeSidecar({ version: 1, document: { path: TRANSCRIPT, hash: hashText(TEXT) }, codings }));
  };
  const commit = (who: { name: string; email: string }, date: string, message: string) => {
    write();
    gitOk(dir, ['add', '-A']);
    const env = { GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email, GIT_COMMITTER_DATE: date };
    gitOk(dir, ['commit', '-q', '-m', message], env);
    commits.push(gitOk(dir, ['rev-parse', 'HEAD']).trim());
  };

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-history-'));
    gitOk(dir, ['init', '-q', '-b', 'main']);
    mkdirSync(path.join(dir, 'intervjuer'));
    writeFileSync(path.join(dir, TRANSCRIPT), TEXT);
    // 1 Ingrid: the first codes and codings
    p = project([code(1, 'Venting'), code(2, 'Lange dager'), code(3, 'Når fisket stopper'), code(4, 'Kortspill')]);
    codings = [coding(1, 'venter vi på båten', 1), coding(2, 'Dagene blir lange', 2), coding(3, 'når fisket stopper', 3), coding(4, 'Vi spiller kort', 4)];
    commit(INGRID, '2026-11-02T09:00:00+01:00', 'Første koder');
    // 2 Per: rename, recolour, describe
    p = renameCode(p, id(1), 'Venter på båten');
    p = recolorCode(p, id(2), '#e06c75');
    p = describeCode(p, id(2), 'Vinterdager uten arbeid');
    commit(PER, '2026-11-03T14:30:00+01:00', 'Navn og farger');
    // 3 Ingrid: merge "Når fisket stopper" into "Lange dager" (its coding recoded in the sidecar)
    p = mergeCodes(p, id(3), id(2)).project;
    codings = recodeCodings(codings, id(3), id(2)).codings;
    commit(INGRID, '2026-11-04T10:00:00+01:00', 'Slå sammen');
    // 4 a commit without grounded.json: not in the history
    writeFileSync(path.join(dir, 'notater.md'), 'Husk å spørre om vinteren.\n');
    gitOk(dir, ['add', 'notater.md']);
    gitOk(dir, ['commit', '-q', '-m', 'Notat'], { GIT_AUTHOR_NAME: PER.name, GIT_AUTHOR_EMAIL: PER.email, GIT_AUTHOR_DATE: '2026-11-04T12:00:00+01:00', GIT_COMMITTER_NAME: PER.name, GIT_COMMITTER_EMAIL: PER.email, GIT_COMMITTER_DATE: '2026-11-04T12:00:00+01:00' });
    // 5 Per: promote "Lange dager" to a category, move "Kortspill" into it
    let n = 10;
    p = promoteToCategory(p, id(2), 'Per Lund', { now: () => CREATED, newId: () => id(n++) }).project;
    p = moveCode(p, id(4), id(10));
    commit(PER, '2026-11-05T08:15:00+01:00', 'Kategori');
    // 6 Ingrid: focused codes, and "Venter på båten" deleted (its codings with it)
    p = setFocused(p, [id(2), id(4)], true).project;
    commit(INGRID, '2026-11-06T09:00:00+01:00', 'Fokuserte koder');
    p = deleteCode(p, id(1)).project;
    codings = codings.filter((c) => c.codeId !== id(1));
    commit(INGRID, '2026-11-07T16:45:00+01:00', 'Slett');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ev = (i: number, date: string, author: string, kind: string, n: number, name: string, from: string | null = null, to: string | null = null) => ({ commit: commits[i], date, author, kind, codeId: id(n), name, from, to });

  it('lists every change with commit, date and author, oldest first, as JSON', async () => {
    const r = await runCli(['history', '--json'], dir);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    const I = 'Ingrid Haugen';
    const P = 'Per Lund';
    assert.deepEqual(JSON.parse(r.out), {
      events: [
        ev(0, '2026-11-02T08:00:00.000Z', I, 'created', 4, 'Kortspill'),
        ev(0, '2026-11-02T08:00:00.000Z', I, 'created', 2, 'Lange dager'),
        ev(0, '2026-11-02T08:00:00.000Z', I, 'created', 3, 'Når fisket stopper'),
        ev(0, '2026-11-02T08:00:00.000Z', I, 'created', 1, 'Venting'),
        ev(1, '2026-11-03T13:30:00.000Z', P, 'renamed', 1, 'Venter på båten', 'Venting', 'Venter på båten'),
        ev(1, '2026-11-03T13:30:00.000Z', P, 'recoloured', 2, 'Lange dager', '#61afef', '#e06c75'),
        ev(1, '2026-11-03T13:30:00.000Z', P, 'described', 2, 'Lange dager', null, 'Vinterdager uten arbeid'),
        ev(2, '2026-11-04T09:00:00.000Z', I, 'merged', 3, 'Når fisket stopper', null, 'Lange dager'),
        ev(3, '2026-11-05T07:15:00.000Z', P, 'promoted', 10, 'Lange dager', null, 'Lange dager'),
        ev(3, '2026-11-05T07:15:00.000Z', P, 'moved', 4, 'Kortspill', null, 'Lange dager'),
        ev(4, '2026-11-06T08:00:00.000Z', I, 'focused', 4, 'Kortspill'),
        ev(4, '2026-11-06T08:00:00.000Z', I, 'focused', 2, 'Lange dager'),
        ev(5, '2026-11-07T15:45:00.000Z', I, 'deleted', 1, 'Venter på båten'),
      ],
    });
  });

  it('reads as a timeline, a line per commit and a line per change', async () => {
    const r = await runCli(['history', dir], os.tmpdir());
    assert.equal(r.code, 0);
    const subjects = ['Første koder', 'Navn og farger', 'Slå sammen', 'Kategori', 'Fokuserte koder', 'Slett'];
    const short = (i: number) => `${gitOk(dir, ['rev-parse', '--short', commits[i]]).trim()}  ${subjects[i]}`;
    assert.equal(
      r.out,
      [
        `2026-11-02 08:00 UTC  Ingrid Haugen  ${short(0)}`,
        '  created "Kortspill"',
        '  created "Lange dager"',
        '  created "Når fisket stopper"',
        '  created "Venting"',
        `2026-11-03 13:30 UTC  Per Lund  ${short(1)}`,
        '  renamed "Venting" to "Venter på båten"',
        '  recoloured "Lange dager" from #61afef to #e06c75',
        '  described "Lange dager": "Vinterdager uten arbeid"',
        `2026-11-04 09:00 UTC  Ingrid Haugen  ${short(2)}`,
        '  merged "Når fisket stopper" into "Lange dager"',
        `2026-11-05 07:15 UTC  Per Lund  ${short(3)}`,
        '  promoted "Lange dager" to a category (the code is now its subcode)',
        '  moved "Kortspill" under "Lange dager" (from the top level)',
        `2026-11-06 08:00 UTC  Ingrid Haugen  ${short(4)}`,
        '  marked "Kortspill" as a focused code',
        '  marked "Lange dager" as a focused code',
        `2026-11-07 15:45 UTC  Ingrid Haugen  ${short(5)}`,
        '  deleted "Venter på båten"',
        '',
      ].join('\n'),
    );
  });

  it('--code follows one code through its renames; a name two codes had is refused with their ids', async () => {
    const r = await runCli(['history', '--json', '--code', 'venting'], dir);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      (JSON.parse(r.out) as { events: HistoryEvent[] }).events.map((e) => [e.kind, e.name]),
      [['created', 'Venting'], ['renamed', 'Venter på båten'], ['deleted', 'Venter på båten']],
    );
    const twice = await runCli(['history', '--code', 'Lange dager'], dir);
    assert.equal(twice.code, 2);
    assert.equal(twice.out, '');
    assert.match(twice.err, /"Lange dager" was the name of 2 codes; give one's id with --code:/);
    assert.ok(twice.err.includes(`${id(2)}  "Lange dager" (created 2026-11-02)`), twice.err);
    assert.ok(twice.err.includes(`${id(10)}  "Lange dager" (promoted 2026-11-05)`), twice.err);
    const category = await runCli(['history', '--code', id(10)], dir);
    assert.equal(category.code, 0);
    assert.match(category.out, /^2026-11-05 07:15 UTC {2}Per Lund {2}[0-9a-f]{7,} {2}Kategori\n {2}promoted "Lange dager" to a category \(the code is now its subcode\)\n$/);
    const code2 = await runCli(['history', '--json', '--code', id(2)], dir);
    assert.deepEqual(
      (JSON.parse(code2.out) as { events: HistoryEvent[] }).events.map((e) => [e.kind, e.codeId, e.name, e.to]),
      [
        ['created', id(2), 'Lange dager', null],
        ['recoloured', id(2), 'Lange dager', '#e06c75'],
        ['described', id(2), 'Lange dager', 'Vinterdager uten arbeid'],
        ['merged', id(3), 'Når fisket stopper', 'Lange dager'],
        ['promoted', id(10), 'Lange dager', 'Lange dager'],
        ['focused', id(2), 'Lange dager', null],
      ],
      'its own changes, the code merged into it and its promotion',
    );
    const none = await runCli(['history', '--code', 'Båten'], dir);
    assert.equal(none.code, 2);
    assert.match(none.err, /^grounded: history: no code named "Båten" in the history of grounded\.json/);
  });

  it("a merge of two branches lists each branch's changes once, at its own commit, and what the merge itself changed", async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'grounded-history-merge-'));
    const as = (who: { name: string; email: string }, date: string) => ({ GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email, GIT_COMMITTER_DATE: date });
    const save = (q: ProjectFile) => writeFileSync(path.join(repo, 'grounded.json'), serializeProject(q));
    const head = () => gitOk(repo, ['rev-parse', 'HEAD']).trim();
    try {
      gitOk(repo, ['init', '-q', '-b', 'main']);
      const start = project([code(1, 'Havet'), code(2, 'Båten'), code(3, 'Kaia'), code(4, 'Været'), code(5, 'Fangsten')]);
      save(start);
      gitOk(repo, ['add', '-A']);
      gitOk(repo, ['commit', '-q', '-m', 'start'], as(INGRID, '2026-12-01T09:00:00Z'));
      gitOk(repo, ['checkout', '-q', '-b', 'per']);
      save(renameCode(start, id(1), 'Havet om vinteren'));
      gitOk(repo, ['commit', '-q', '-am', 'per'], as(PER, '2026-12-02T09:00:00Z'));
      const perCommit = head();
      gitOk(repo, ['checkout', '-q', 'main']);
      save(recolorCode(start, id(5), '#98c379'));
      gitOk(repo, ['commit', '-q', '-am', 'ingrid'], as(INGRID, '2026-12-03T09:00:00Z'));
      const ingridCommit = head();
      gitOk(repo, ['merge', '-q', '--no-ff', '--no-commit', 'per'], as(INGRID, '2026-12-04T09:00:00Z'));
      save(renameCode(recolorCode(renameCode(start, id(1), 'Havet om vinteren'), id(5), '#98c379'), id(3), 'Kaia om kvelden'));
      gitOk(repo, ['add', 'grounded.json']);
      gitOk(repo, ['commit', '-q', '-m', 'merge'], as(INGRID, '2026-12-04T09:00:00Z'));
      const mergeCommit = head();
      const r = await runCli(['history', '--json'], repo);
      assert.equal(r.code, 0, r.err);
      const events = (JSON.parse(r.out) as { events: HistoryEvent[] }).events;
      assert.deepEqual(
        events.filter((e) => e.kind !== 'created').map((e) => [e.commit, e.author, e.kind, e.name, e.from, e.to]),
        [
          [perCommit, 'Per Lund', 'renamed', 'Havet om vinteren', 'Havet', 'Havet om vinteren'],
          [ingridCommit, 'Ingrid Haugen', 'recoloured', 'Fangsten', '#61afef', '#98c379'],
          [mergeCommit, 'Ingrid Haugen', 'renamed', 'Kaia om kvelden', 'Kaia', 'Kaia om kvelden'],
        ],
      );
      assert.equal(events.filter((e) => e.kind === 'created').length, 5);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('skips a committed version that does not parse, with a note, and compares the next with the last one read', async () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'grounded-history-broken-'));
    const as = { GIT_AUTHOR_NAME: PER.name, GIT_AUTHOR_EMAIL: PER.email, GIT_AUTHOR_DATE: '2026-12-01T09:00:00Z', GIT_COMMITTER_NAME: PER.name, GIT_COMMITTER_EMAIL: PER.email };
    const put = (text: string, message: string) => {
      writeFileSync(path.join(repo, 'grounded.json'), text);
      gitOk(repo, ['add', 'grounded.json']);
      gitOk(repo, ['commit', '-q', '-m', message], as);
      return gitOk(repo, ['rev-parse', '--short', 'HEAD']).trim();
    };
    try {
      gitOk(repo, ['init', '-q', '-b', 'main']);
      put(serializeProject(project([code(1, 'Havet')])), 'start');
      const broken = put('<<<<<<< HEAD\n{\n', 'konflikt');
      put(serializeProject(project([code(1, 'Havet'), code(2, 'Været')])), 'løst');
      const r = await runCli(['history', '--json'], repo);
      assert.equal(r.code, 0);
      assert.deepEqual((JSON.parse(r.out) as { events: HistoryEvent[] }).events.map((e) => [e.kind, e.name]), [['created', 'Havet'], ['created', 'Været']]);
      assert.match(r.err, new RegExp(`^grounded: note: grounded\\.json as of ${broken} could not be read and was skipped: ${broken}:grounded\\.json:1:1: `));
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('refuses bad arguments with exit status 2 and explains itself with --help', async () => {
    for (const [argv, message] of [
      [['history', '--frob'], 'grounded: history: unknown option --frob'],
      [['history', '--code'], 'grounded: history: --code needs a value'],
      [['history', 'nowhere'], 'grounded: history: no such folder: nowhere'],
      [['history', '.', '.'], 'grounded: history: one folder at most'],
      [['history', 'intervjuer'], 'grounded: history: no grounded.json in intervjuer, nor in its git history: not a Grounded project folder'],
    ] as const) {
      const r = await runCli([...argv], dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.out, '');
      assert.ok(r.err.startsWith(message), r.err);
    }
    const help = await runCli(['history', '--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: grounded history \[dir\] \[--json\] \[--code NAME\]\n/);
    assert.match((await runCli(['--help'], dir)).out, /\n {2}history \[dir\] \[--json\] \[--code NAME\]\n/);
  });

  it('a project in a subfolder of the repository, and a change not committed yet (said on stderr)', async () => {
    const sub = mkdtempSync(path.join(os.tmpdir(), 'grounded-history-sub-'));
    try {
      gitOk(sub, ['init', '-q', '-b', 'main']);
      mkdirSync(path.join(sub, 'studie'));
      writeFileSync(path.join(sub, 'studie', 'grounded.json'), serializeProject(project([code(1, 'Havet')])));
      gitOk(sub, ['add', '-A']);
      gitOk(sub, ['commit', '-q', '-m', 'start'], { GIT_AUTHOR_NAME: 'Per Lund', GIT_AUTHOR_EMAIL: 'per@example.org', GIT_AUTHOR_DATE: '2026-11-10T10:00:00Z', GIT_COMMITTER_NAME: 'Per Lund', GIT_COMMITTER_EMAIL: 'per@example.org' });
      writeFileSync(path.join(sub, 'studie', 'grounded.json'), serializeProject(project([code(1, 'Havet og været')])));
      const r = await runCli(['history', 'studie', '--json'], sub);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual((JSON.parse(r.out) as { events: HistoryEvent[] }).events.map((e) => [e.kind, e.name, e.date]), [['created', 'Havet', '2026-11-10T10:00:00.000Z']]);
      assert.equal(r.err, 'grounded: note: grounded.json has changes that are not committed: they are not in this history\n');
    } finally {
      rmSync(sub, { recursive: true, force: true });
    }
  });

  it('says plainly when there is no git, no repository, or no commit of grounded.json yet', async () => {
    const plain = mkdtempSync(path.join(os.tmpdir(), 'grounded-history-plain-'));
    try {
      writeFileSync(path.join(plain, 'grounded.json'), serializeProject(project([code(1, 'Havet')])));
      // GIT_CEILING_DIRECTORIES: git must not find a repository above the temporary folder
      const outside = { ...process.env };
      process.env.GIT_CEILING_DIRECTORIES = path.dirname(plain);
      let r;
      try {
        r = await runCli(['history', plain], os.tmpdir());
      } finally {
        process.env.GIT_CEILING_DIRECTORIES = outside.GIT_CEILING_DIRECTORIES;
        if (outside.GIT_CEILING_DIRECTORIES === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      }
      assert.equal(r.code, 2);
      assert.match(r.err, /^grounded: history: .* is not in a git repository, so there is no history to read\. .*git init/);

      gitOk(plain, ['init', '-q', '-b', 'main']);
      r = await runCli(['history'], plain);
      assert.deepEqual(r, { code: 0, out: 'No history yet: grounded.json has never been committed. Commit it (git add grounded.json, git commit) and its changes will be listed here.\n', err: '' });
      r = await runCli(['history', '--json'], plain);
      assert.deepEqual(r, { code: 0, out: '{\n  "events": []\n}\n', err: 'grounded: note: no history yet: grounded.json has never been committed\n' });
      writeFileSync(path.join(plain, 'LESMEG.md'), 'Om studien.\n');
      gitOk(plain, ['add', 'LESMEG.md']);
      gitOk(plain, ['commit', '-q', '-m', 'lesmeg'], { GIT_AUTHOR_NAME: 'Per Lund', GIT_AUTHOR_EMAIL: 'per@example.org', GIT_COMMITTER_NAME: 'Per Lund', GIT_COMMITTER_EMAIL: 'per@example.org' });
      r = await runCli(['history'], plain);
      assert.equal(r.code, 0);
      assert.match(r.out, /^No history yet: grounded\.json has never been committed\./, 'commits, but none of grounded.json');

      const path0 = process.env.PATH;
      process.env.PATH = path.join(plain, 'no-such-bin');
      try {
        r = await runCli(['history'], plain);
      } finally {
        process.env.PATH = path0;
      }
      assert.equal(r.code, 2);
      assert.equal(r.err, 'grounded: history: git is not installed (or not on the PATH): the codebook history is read from git. Install git, then run this again.\n');
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe("the report's methods appendix: the codebook's history summed up", () => {
  const at = (date: string, kind: CodeChange['kind'], n: number, name: string, to: string | null = null): HistoryEvent => ({
    commit: `c${date}`,
    date,
    author: 'Ingrid Haugen',
    ...change(kind, n, name, null, to),
  });
  const events = [
    at('2026-10-02T08:00:00.000Z', 'created', 1, 'Havet'),
    at('2026-10-02T08:00:00.000Z', 'created', 2, 'Båten'),
    at('2026-10-02T08:00:00.000Z', 'created', 3, 'Kaia'),
    at('2026-10-09T12:00:00.000Z', 'promoted', 1, 'Havet', 'Båten'),
    at('2026-10-20T12:00:00.000Z', 'merged', 3, 'Kaia', 'Havet'),
    at('2026-11-03T23:30:00.000Z', 'focused', 2, 'Båten'),
    at('2026-11-01T10:00:00.000Z', 'focused', 1, 'Havet'),
    at('2026-11-04T10:00:00.000Z', 'unfocused', 1, 'Havet'),
    at('2026-11-05T10:00:00.000Z', 'renamed', 2, 'Båtene'),
  ];
  const input = (settings: ProjectFile['settings'], history?: { events: HistoryEvent[]; commits: number }) => ({
    project: { ...project([code(1, 'Havet', { focused: true }), code(2, 'Båtene', { parent: id(1) })]), settings },
    documents: [],
    memos: [],
    ...(history ? { history } : {}),
  });

  it('counts the codes created, merged and promoted, and dates focused coding by the first code marked focused', () => {
    assert.deepEqual(historySummary(events, 6), { commits: 6, first: '2026-10-02', last: '2026-11-05', created: 3, merged: 1, promoted: 1, focusedFrom: '2026-11-01' });
    assert.deepEqual(historySummary([], 2), { commits: 2, first: undefined, last: undefined, created: 0, merged: 0, promoted: 0, focusedFrom: undefined });
  });

  it('is one paragraph of the appendix in the report language, and none without a history', () => {
    const md = renderReportMarkdown(input({}, { events, commits: 6 }));
    const appendix = md.slice(md.indexOf('## Methods appendix'));
    assert.ok(
      appendix.includes(
        'Codebook history (from git: 6 commits of grounded.json, changes to codes from 2026-10-02 to 2026-11-05): 3 codes created, 1 merged into another code, 1 promoted to a category. Focused coding began on 2026-11-01 (the first code marked focused).',
      ),
      appendix,
    );
    assert.ok(renderReportHtml(input({}, { events, commits: 6 })).includes('Focused coding began on 2026-11-01'));
    const nb = renderReportMarkdown(input({ reportLanguage: 'nb' }, { events: events.filter((e) => e.kind !== 'focused'), commits: 1 }));
    assert.ok(
      nb.includes('Kodebokens historikk (fra git: 1 commit av grounded.json, endringer i kodene fra 2026-10-02 til 2026-11-05): 3 koder opprettet, 1 slått sammen med en annen kode, 1 forfremmet til kategori. Ingen kode er merket som fokusert.'),
      nb,
    );
    assert.doesNotMatch(renderReportMarkdown(input({})), /Codebook history/);
    assert.doesNotMatch(renderReportMarkdown(input({}, { events: [], commits: 0 })), /Codebook history/, 'never committed: nothing to sum up');
  });

  it('`grounded report` sums up the git history of the folder, and says nothing of it outside git', async function () {
    this.timeout(20000);
    const repo = mkdtempSync(path.join(os.tmpdir(), 'grounded-report-history-'));
    const as = (date: string) => ({ GIT_AUTHOR_NAME: 'Per Lund', GIT_AUTHOR_EMAIL: 'per@example.org', GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: 'Per Lund', GIT_COMMITTER_EMAIL: 'per@example.org', GIT_COMMITTER_DATE: date });
    const save = (q: ProjectFile, message: string, date: string) => {
      writeFileSync(path.join(repo, 'grounded.json'), serializeProject(q));
      gitOk(repo, ['add', 'grounded.json']);
      gitOk(repo, ['commit', '-q', '-m', message], as(date));
    };
    try {
      const start = project([code(1, 'Havet'), code(2, 'Båten'), code(3, 'Kaia')]);
      writeFileSync(path.join(repo, 'grounded.json'), serializeProject(start));
      const ceiling = process.env.GIT_CEILING_DIRECTORIES;
      process.env.GIT_CEILING_DIRECTORIES = path.dirname(repo); // no repository above the temporary folder
      let outside;
      try {
        outside = await runCli(['report'], repo);
      } finally {
        if (ceiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
        else process.env.GIT_CEILING_DIRECTORIES = ceiling;
      }
      assert.equal(outside.code, 0, outside.err);
      assert.match(outside.out, /^## Methods appendix$/m);
      assert.doesNotMatch(outside.out, /Codebook history/);
      assert.equal(outside.err, '');
      gitOk(repo, ['init', '-q', '-b', 'main']);
      save(start, 'start', '2026-12-01T09:00:00Z');
      const moved = moveCode(start, id(2), id(1));
      save(moved, 'kategori', '2026-12-02T09:00:00Z');
      save(setFocused(moved, [id(3)], true).project, 'fokusert', '2026-12-07T09:00:00Z');
      const r = await runCli(['report'], repo);
      assert.equal(r.code, 0, r.err);
      assert.ok(
        r.out.includes(
          'Codebook history (from git: 3 commits of grounded.json, changes to codes from 2026-12-01 to 2026-12-07): 3 codes created, 0 merged into another code, 1 promoted to a category. Focused coding began on 2026-12-07 (the first code marked focused).',
        ),
        r.out,
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('the shared git reader (src/node/gitHistory.ts): what the extension words and cancels', () => {
  it('names the reason there is no history, gives its notes as data, stops when cancelled, and gives the report nothing outside git', async function () {
    this.timeout(20000);
    const plain = mkdtempSync(path.join(os.tmpdir(), 'grounded-history-reader-'));
    const ceiling = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = path.dirname(plain); // no repository above the temporary folder
    try {
      writeFileSync(path.join(plain, 'grounded.json'), serializeProject(project([code(1, 'Havet')])));
      await assert.rejects(codebookHistory(plain, '.'), (e: unknown) => e instanceof HistoryError && e.reason === 'notRepository');
      assert.deepEqual(await historyForReport(plain), {}, 'outside git the appendix gets nothing, and no note');
      gitOk(plain, ['init', '-q', '-b', 'main']);
      assert.equal((await codebookHistory(plain, '.')).none, true);
      assert.deepEqual(await historyForReport(plain), {}, 'never committed: nothing either');
      gitOk(plain, ['add', 'grounded.json']);
      const per = { GIT_AUTHOR_NAME: 'Per Lund', GIT_AUTHOR_EMAIL: 'per@example.org', GIT_AUTHOR_DATE: '2026-12-01T09:00:00Z', GIT_COMMITTER_NAME: 'Per Lund', GIT_COMMITTER_EMAIL: 'per@example.org' };
      gitOk(plain, ['commit', '-q', '-m', 'start'], per);
      writeFileSync(path.join(plain, 'grounded.json'), serializeProject(project([code(1, 'Havet'), code(2, 'Været')])));
      const h = await codebookHistory(plain, '.');
      assert.deepEqual(h.remarks, [{ kind: 'uncommitted' }]);
      assert.deepEqual(h.notes, ['grounded.json has changes that are not committed: they are not in this history']);
      assert.deepEqual(
        h.events.map((e) => [e.kind, e.name, e.author, e.date]),
        [['created', 'Havet', 'Per Lund', '2026-12-01T09:00:00.000Z']],
      );
      const report = await historyForReport(plain);
      assert.equal(report.history?.commits, 1);
      assert.equal(report.history?.events.length, 1);
      const abort = new AbortController();
      abort.abort();
      await assert.rejects(codebookHistory(plain, '.', { signal: abort.signal }), (e: unknown) => e instanceof HistoryError && e.reason === 'cancelled');
      await assert.rejects(historyForReport(plain, { signal: abort.signal }), (e: unknown) => e instanceof HistoryError && e.reason === 'cancelled');
    } finally {
      if (ceiling === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = ceiling;
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
