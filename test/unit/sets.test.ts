// Sets of documents and codes: the file format, the edits (with undo on the one history), what follows
// renames, deletes and merges, the three-way merge, and the "by set" filter of the one analysis.
import * as assert from 'node:assert/strict';
import type { Coding, ProjectFile } from '../../src/core/model';
import { parseProject, serializeProject } from '../../src/core/project';
import { FormatError } from '../../src/core/jsonError';
import { addSet, addToSet, deleteSet, removeFromSet, renameSet, setsOfDocument } from '../../src/core/sets';
import { renameInProject } from '../../src/core/rename';
import { deleteCode, mergeCodes, recodeCodings, removeCodingsOf } from '../../src/core/codebook';
import { mergeProjects } from '../../src/core/merge';
import { mergeFileTexts } from '../../src/core/mergeDriver';
import { ProjectSession } from '../../src/core/session';
import type { SessionChange } from '../../src/core/session';
import { DocumentTable } from '../../src/core/documents';
import { analyse, withinSet } from '../../src/core/analysis';
import { codeByCase, cooccurrence, matrixWithinSet } from '../../src/core/matrix';
import { makeAnchor } from '../../src/core/text';
import { codebookFixture } from './fixtures';

const TEXT = 'Vi ringer hjem hver søndag. Brevene kommer sjelden.\n';

function withSets() {
  const f = codebookFixture();
  const has = (p: string) => ['a.txt', 'b.txt', 'c.txt'].includes(p);
  let p = f.p;
  const first = addSet(p, 'Første runde', f.env, { documents: ['b.txt', 'a.txt'] }, has);
  p = first.project;
  const core = addSet(p, 'Kjernekoder', f.env, { codes: [f.letters, f.calling] }, has);
  p = core.project;
  return { ...f, p, has, first: first.set.id, core: core.set.id };
}

describe('sets', () => {
  describe('in grounded.json', () => {
    it('writes one set per line, sorted by id, members sorted, and reads them back; no "sets" without sets', () => {
      const { p, first, core, calling, letters } = withSets();
      const text = serializeProject(p);
      const lines = text.split('\n');
      const i = lines.indexOf('  "sets": [');
      assert.ok(i > 0, text);
      assert.equal(lines[i + 1], `    {"id":"${first}","name":"Første runde","documents":["a.txt","b.txt"],"codes":[]},`);
      assert.equal(lines[i + 2], `    {"id":"${core}","name":"Kjernekoder","documents":[],"codes":${JSON.stringify([calling, letters].sort())}}`);
      assert.deepEqual(parseProject(text, 'grounded.json'), p);
      assert.equal(serializeProject(parseProject(text, 'grounded.json')), text);
      const none = serializeProject(deleteSet(deleteSet(p, first).project, core).project);
      assert.doesNotMatch(none, /"sets"/);
    });

    it('refuses two sets with one name (ignoring case), with the place in the file', () => {
      const { p, first } = withSets();
      const text = serializeProject(p).replace('"name":"Første runde"', '"name":"kjernekoder"');
      assert.throws(() => parseProject(text, 'grounded.json'), (e: unknown) => e instanceof FormatError && /grounded\.json:\d+:\d+.*the set name "Kjernekoder" is taken/.test(e.message));
      assert.ok(first);
    });
  });

  describe('edits', () => {
    it('keeps names unique and members real', () => {
      const { p, env, first, has, boredom } = withSets();
      assert.throws(() => addSet(p, ' kjernekoder ', env), /already a set named "Kjernekoder"/);
      assert.throws(() => addSet(p, '  ', env), /needs a name/);
      assert.throws(() => renameSet(p, first, 'KJERNEKODER'), /already a set named/);
      assert.throws(() => addToSet(p, first, { documents: ['nope.txt'] }, has), /nope.txt is not a transcript/);
      assert.throws(() => addToSet(p, first, { codes: ['00000000-0000-4000-8000-0000000000ff'] }, has), /no longer exists/);
      const added = addToSet(p, first, { documents: ['c.txt', 'a.txt'], codes: [boredom] }, has);
      assert.deepEqual(added.project.sets!.find((s) => s.id === first)!.documents, ['a.txt', 'b.txt', 'c.txt']);
      assert.deepEqual(removeFromSet(added.project, first, { documents: ['a.txt'] }).project.sets!.find((s) => s.id === first)!.documents, ['b.txt', 'c.txt']);
      assert.deepEqual(setsOfDocument(p, 'a.txt').map((s) => s.name), ['Første runde']);
    });

    it('follow renamed transcripts, deleted and merged codes', () => {
      const { p, first, core, calling, letters, boredom } = withSets();
      const moved = renameInProject(p, [{ from: 'a.txt', to: 'z/a.txt' }]);
      assert.deepEqual(moved.sets!.find((s) => s.id === first)!.documents, ['b.txt', 'z/a.txt']);
      const src = renameInProject({ ...p, sources: [{ id: first, path: 'a.txt', name: 'A' }] }, [{ from: 'a.txt', to: 'z/a.txt' }]);
      assert.deepEqual(src.sources, [{ id: first, path: 'z/a.txt' }], 'a renamed source keeps its GUID and is named by its path');
      const deleted = deleteCode(p, calling).project;
      assert.deepEqual(deleted.sets!.find((s) => s.id === core)!.codes, [letters]);
      const merged = mergeCodes(p, letters, boredom).project;
      assert.deepEqual(merged.sets!.find((s) => s.id === core)!.codes, [calling, boredom].sort());
    });

    it('are transactions on the one history; a deleted code\'s set membership comes back with its undo', async () => {
      const f = withSets();
      let project: ProjectFile = f.p;
      const table = new DocumentTable();
      table.scanned(['a.txt'], ['a.txt'], new Set());
      const session = new ProjectSession({ editProject: async (c) => (project = c(project)), editCodings: async () => undefined, textOf: () => TEXT }, f.env, table);
      session.setProject(project);
      const events: SessionChange[] = [];
      session.onDidChange((e) => events.push(e));
      await session.editSets('New set Tredje.', (p) => addSet(p, 'Tredje', f.env, { documents: ['a.txt'] }, f.has));
      assert.deepEqual(project.sets!.map((s) => s.name).sort(), ['Første runde', 'Kjernekoder', 'Tredje']);
      assert.ok(events.some((e) => e.sets));
      assert.equal(await session.editSets('Nothing.', (p) => addToSet(p, f.first, { documents: ['a.txt'] }, f.has)), undefined, 'a no-op records nothing');
      await session.editSets('Renamed.', (p) => renameSet(p, f.first, 'Runde 1'));
      assert.equal((await session.history.undo())?.origin, 'sets');
      assert.equal(project.sets!.find((s) => s.id === f.first)!.name, 'Første runde');
      await session.history.undo();
      assert.deepEqual(project.sets!.map((s) => s.name).sort(), ['Første runde', 'Kjernekoder']);
      await session.history.redo();
      assert.deepEqual(project.sets!.map((s) => s.name).sort(), ['Første runde', 'Kjernekoder', 'Tredje']);
      await session.editCodebook('Deleted calling home.', (p) => deleteCode(p, f.calling), (cs) => removeCodingsOf(cs, [f.calling]));
      assert.deepEqual(project.sets!.find((s) => s.id === f.core)!.codes, [f.letters]);
      await session.history.undo();
      assert.deepEqual(project.sets!.find((s) => s.id === f.core)!.codes, [f.calling, f.letters].sort(), 'undo puts the code back in its set');
      await session.editCodebook('Merged.', (p) => mergeCodes(p, f.letters, f.boredom), (cs) => recodeCodings(cs, f.letters, f.boredom));
      assert.deepEqual(project.sets!.find((s) => s.id === f.core)!.codes, [f.calling, f.boredom].sort());
    });
  });

  describe('merge', () => {
    it('merges sets by id and members three-way; a set made on both sides under one name keeps both, the later renamed', () => {
      const f = withSets();
      const base = f.p;
      const ours = addToSet(base, f.first, { documents: ['c.txt'] }).project;
      const theirs = removeFromSet(base, f.first, { documents: ['a.txt'] }).project;
      const m = mergeProjects(base, ours, theirs);
      assert.deepEqual(m.merged.sets!.find((s) => s.id === f.first)!.documents, ['b.txt', 'c.txt']);
      assert.equal(m.conflicts.length, 0);
      const o2 = addSet(base, 'Ny', { now: () => '', newId: () => '00000000-0000-4000-8000-0000000000a1' }).project;
      const t2 = addSet(base, 'ny', { now: () => '', newId: () => '00000000-0000-4000-8000-0000000000a2' }).project;
      const m2 = mergeProjects(base, o2, t2);
      assert.deepEqual(m2.merged.sets!.map((s) => s.name), ['Første runde', 'Kjernekoder', 'Ny', 'ny (2)']);
      // The git merge driver writes a file that reads back.
      const r = mergeFileTexts('project', serializeProject(base), serializeProject(renameSet(base, f.first, 'A').project), serializeProject(renameSet(base, f.first, 'B').project), 'grounded.json');
      const names = parseProject(r.text, 'grounded.json').sets!.map((s) => s.name).sort();
      assert.deepEqual(names, ['A', 'B (their version)', 'Kjernekoder']);
      assert.equal(r.conflicts, 1);
    });
  });

  describe('the "by set" filter of the analysis', () => {
    it('a document set limits documents, a code set limits codes; the counts are of what is left', () => {
      const f = withSets();
      const coding = (id: string, codeId: string, words: string): Coding => {
        const i = TEXT.indexOf(words);
        return { id, codeId, anchor: makeAnchor(TEXT, i, i + words.length), coder: 'Kari', created: '2026-11-05T12:00:00.000Z' };
      };
      const documents = [
        { path: 'a.txt', codings: [coding('00000000-0000-4000-8000-0000000000c1', f.calling, 'ringer hjem'), coding('00000000-0000-4000-8000-0000000000c2', f.boredom, 'søndag')] },
        { path: 'c.txt', codings: [coding('00000000-0000-4000-8000-0000000000c3', f.letters, 'Brevene')] },
      ];
      const all = analyse({ project: f.p, documents });
      assert.equal(all.total, 3);
      const byDocs = withinSet(all, f.first);
      assert.deepEqual(byDocs.documents.map((d) => d.path), ['a.txt']);
      assert.equal(byDocs.total, 2);
      assert.equal(byDocs.counts.get(f.letters)!.segments, 0);
      const byCodes = withinSet(all, f.core);
      assert.equal(byCodes.total, 2);
      assert.equal(byCodes.counts.get(f.boredom)!.segments, 0);
      assert.equal(byCodes.counts.get(f.cat)!.totalSegments, 2, 'the category counts its subcodes in the set');
      // The matrices: a code set keeps the rows of its codes and of the categories above them.
      const project = { ...f.p, cases: [{ id: '00000000-0000-4000-8000-0000000000d1', pseudonym: 'Ola', documents: ['a.txt', 'c.txt'], attributes: {} }] };
      const inCore = withinSet({ ...all, project }, f.core);
      const m = matrixWithinSet(codeByCase(project, inCore.documents), project, f.core);
      assert.deepEqual(m.rows.map((r) => r.name), ['Keeping connected', 'calling home', 'letters']);
      assert.deepEqual(m.cells.map((r) => r[0].count), [2, 1, 1]);
      const co = matrixWithinSet(cooccurrence(project, inCore.documents, 'overlap'), project, f.core);
      assert.deepEqual(co.columns.map((c) => c.label), ['Keeping connected', 'calling home', 'letters']);
      assert.equal(co.cells.length, 3);
      assert.ok(co.cells.every((r) => r.length === 3));
      const byDocsMatrix = matrixWithinSet(codeByCase(project, withinSet({ ...all, project }, f.first).documents), project, f.first);
      assert.equal(byDocsMatrix.rows.length, project.codes.length, 'a document set keeps every code row');
      assert.equal(byDocsMatrix.cells.reduce((n, r, i) => n + (byDocsMatrix.rows[i].depth === 0 ? r[0].count : 0), 0), 2, 'only a.txt is counted');
      assert.equal(withinSet(all, undefined), all);
      assert.equal(withinSet(all, '00000000-0000-4000-8000-0000000000ee'), all, 'a set deleted since filters nothing');
    });
  });
});
