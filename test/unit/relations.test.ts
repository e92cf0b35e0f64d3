// Relations between codes (theoretical coding): the file format, the invariants, the session's edits
// with undo, codes deleted and merged, the merge driver and grounded check.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILTIN_RELATION_TYPES } from '../../src/core/model';
import type { Coding, Memo, ProjectFile, Relation } from '../../src/core/model';
import { readReportInput } from '../../src/cli/report';
import { renderReportHtml, renderReportMarkdown } from '../../src/core/report';
import type { ReportInput } from '../../src/core/report';
import { escapeMarkdown } from '../../src/core/segmentList';
import { analyse, relationRows } from '../../src/core/analysis';
import { parseProject, serializeProject } from '../../src/core/project';
import { memoTargetFromString, memoTargetToString } from '../../src/core/memo';
import {
  addRelation,
  changeEvidence,
  defineRelationType,
  deleteRelation,
  deleteRelationType,
  editRelation,
  editRelationType,
  relationProblems,
  relationTypesOf,
  relationsOfCode,
  relationsOfCodes,
} from '../../src/core/relations';
import { deleteCode, mergeCodes, removeCodingsOf, recodeCodings, renameCode } from '../../src/core/codebook';
import { ProjectSession } from '../../src/core/session';
import type { SessionPorts } from '../../src/core/session';
import { DocumentTable } from '../../src/core/documents';
import { mergeFileTexts } from '../../src/core/mergeDriver';
import { checkProject } from '../../src/cli/check';
import { codebookFixture, testEnv } from './fixtures';
import { fixtureFiles, smallProject, validate } from './refiSupport';
import { exportQdpx, guidOf } from '../../src/core/refi/export';
import { importRefi, importReport } from '../../src/core/refi/import';
import { strToU8, unzipSync, zipSync } from 'fflate';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/relations/grounded.json');
const CAUSE = BUILTIN_RELATION_TYPES[0].id; // is cause of (one-way)
const ASSOCIATED = BUILTIN_RELATION_TYPES[6].id; // is associated with (symmetric)

describe('relations in grounded.json', () => {
  it('parses the fixture with relation types and relations and writes it back byte for byte', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const p = parseProject(text, 'grounded.json');
    assert.equal(p.relations?.length, 2);
    assert.deepEqual(p.relations![0].evidence, ['3131d6b1-3016-4940-b36f-22c938a3fe4a', 'f0457eef-eba2-4da8-8041-6eb26a8f4072']);
    assert.equal(p.relationTypes?.length, 2);
    assert.equal(serializeProject(p), text);
    // records in any order, keys in any order, evidence unsorted and repeated: the same bytes
    const shuffled: ProjectFile = {
      ...p,
      relationTypes: [...p.relationTypes!].reverse(),
      relations: [...p.relations!].reverse().map((r) => Object.fromEntries(Object.entries({ ...r, evidence: r.evidence ? [...r.evidence].reverse().concat(r.evidence) : undefined }).reverse()) as unknown as Relation),
    };
    assert.equal(serializeProject(shuffled), text);
  });

  it('writes nothing for relations when there are none: an existing project keeps its bytes', () => {
    const golden = readFileSync(path.resolve(__dirname, '../../../test/fixtures/golden/grounded.json'), 'utf8');
    const p = parseProject(golden, 'grounded.json');
    assert.equal(serializeProject({ ...p, relations: [], relationTypes: [] }), golden);
    assert.equal('relations' in parseProject(golden, 'grounded.json'), false);
  });

  it('refuses a relation of the wrong shape with its place in the file', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    assert.throws(() => parseProject(text.replace('"direction":"symmetric"', '"direction":"both"'), 'grounded.json'), /grounded\.json:\d+:\d+.*"symmetric" or "one-way"/);
    assert.throws(() => parseProject(text.replace('"label":"tomme', '"weight":2,"label":"tomme'), 'grounded.json'), /unknown field "weight"/);
    assert.throws(() => parseProject(text.replace('"author":"Ingrid Bø",', ''), 'grounded.json'), /missing field "author"/);
  });

  it('reads a relation whose code is gone (a hand edit): check names it, the file still opens', () => {
    const text = readFileSync(FIXTURE, 'utf8').replace('"target":"267396b6-a3d3-4f91-8cc9-0751b2767fb9"', '"target":"11111111-2222-4333-8444-555555555555"');
    const p = parseProject(text, 'grounded.json');
    const problems = relationProblems(p, new Set(['3131d6b1-3016-4940-b36f-22c938a3fe4a']));
    assert.deepEqual(
      problems.map((x) => [x.at.join('.'), x.message]),
      [
        ['relations.0.evidence.1', 'relation 1f2e3d4c: its evidence coding f0457eef-eba2-4da8-8041-6eb26a8f4072 is in no sidecar; remove it from the evidence'],
        ['relations.1.target', 'relation 9c8b7a69: its code 11111111-2222-4333-8444-555555555555 is not in the codebook; delete the relation or restore the code'],
      ],
    );
  });

  it('a relation memo has the target relation:<id>', () => {
    const t = { kind: 'relation' as const, id: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9' };
    assert.equal(memoTargetToString(t), 'relation:1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9');
    assert.deepEqual(memoTargetFromString(memoTargetToString(t)), t);
    assert.equal(memoTargetFromString('relation:not-an-id'), undefined);
  });
});

describe('relations: the invariants (core/relations.ts)', () => {
  it('both endpoints exist and differ, the type exists, no two relations are one (either order for a symmetric type)', () => {
    const { p, env, calling, letters, boredom } = codebookFixture();
    const a = addRelation(p, { source: calling, target: boredom, type: CAUSE }, 'Kari', env).project;
    assert.throws(() => addRelation(a, { source: calling, target: calling, type: CAUSE }, 'Kari', env), /cannot be related to itself/);
    assert.throws(() => addRelation(a, { source: calling, target: '99999999-0000-4000-8000-000000000000', type: CAUSE }, 'Kari', env), /code no longer exists/);
    assert.throws(() => addRelation(a, { source: calling, target: letters, type: '99999999-0000-4000-8000-000000000000' }, 'Kari', env), /relation type no longer exists/);
    assert.throws(() => addRelation(a, { source: calling, target: boredom, type: CAUSE }, 'Kari', env), /"calling home" is cause of "boredom" is already a relation/);
    // one-way: the other direction is another relation; symmetric: it is the same one
    const b = addRelation(a, { source: boredom, target: calling, type: CAUSE }, 'Kari', env).project;
    const c = addRelation(b, { source: calling, target: letters, type: ASSOCIATED }, 'Kari', env).project;
    assert.throws(() => addRelation(c, { source: letters, target: calling, type: ASSOCIATED }, 'Kari', env), /already a relation/);
    assert.equal(c.relations!.length, 3);
  });

  it('editing the type, label and endpoints keeps the invariants and sets modified; evidence stays sorted and unique', () => {
    const { p, env, calling, letters, boredom } = codebookFixture();
    const r = addRelation(p, { source: calling, target: boredom, type: CAUSE, label: ' weekends ' }, 'Kari', env);
    assert.equal(r.relation.label, 'weekends');
    const later = { ...env, now: () => '2026-12-01T08:00:00.000Z' };
    const q = editRelation(r.project, r.relation.id, { target: letters, label: '' }, later);
    assert.deepEqual([q.relations![0].target, q.relations![0].label, q.relations![0].modified], [letters, undefined, '2026-12-01T08:00:00.000Z']);
    assert.equal(editRelation(q, r.relation.id, { target: letters }, later), q, 'nothing changed: the same project');
    assert.throws(() => editRelation(q, r.relation.id, { source: letters }, later), /itself/);
    const e = changeEvidence(q, r.relation.id, ['b', 'a', 'b'], later);
    assert.deepEqual(e.relations![0].evidence, ['a', 'b']);
    const e2 = changeEvidence(e, r.relation.id, ['a', 'b'], later, true);
    assert.equal(e2.relations![0].evidence, undefined);
    assert.equal(deleteRelation(e2, r.relation.id).relations, undefined, 'the key goes with the last relation');
  });

  it('relation types: built-ins are always listed and written only when customised; own types by unique name; a used type cannot go', () => {
    const { p, env, calling, boredom } = codebookFixture();
    assert.deepEqual(relationTypesOf(p).map((t) => t.name), BUILTIN_RELATION_TYPES.map((t) => t.name));
    assert.throws(() => defineRelationType(p, { name: 'Contradicts', direction: 'symmetric' }, env), /already a relation type named "contradicts"/);
    const d = defineRelationType(p, { name: 'forsterker', direction: 'one-way', transitive: true }, env);
    assert.deepEqual(d.project.relationTypes, [{ id: d.type.id, name: 'forsterker', direction: 'one-way', transitive: true }]);
    const used = addRelation(d.project, { source: calling, target: boredom, type: d.type.id }, 'Kari', env).project;
    assert.throws(() => deleteRelationType(used, d.type.id), /is the type of 1 relation/);
    assert.equal(deleteRelationType(d.project, d.type.id).relationTypes, undefined);
    // a built-in customised is a record with its id; set back as built, the record goes
    const renamed = editRelationType(p, CAUSE, { name: 'fører til' });
    assert.deepEqual(renamed.relationTypes, [{ id: CAUSE, name: 'fører til', direction: 'one-way', transitive: true }]);
    assert.equal(editRelationType(renamed, CAUSE, { name: 'is cause of' }).relationTypes, undefined);
    assert.throws(() => deleteRelationType(p, CAUSE), /built in/);
    assert.equal(deleteRelationType(renamed, CAUSE).relationTypes, undefined, 'deleting the customisation brings the built-in back');
    // a one-way type made symmetric would make two opposite relations one: refused
    const both = addRelation(addRelation(p, { source: calling, target: boredom, type: CAUSE }, 'K', env).project, { source: boredom, target: calling, type: CAUSE }, 'K', env).project;
    assert.throws(() => editRelationType(both, CAUSE, { direction: 'symmetric' }), /cannot become symmetric/);
  });

  it('deleting a code removes its relations (and offers them first); renaming needs nothing', () => {
    const { p, env, calling, letters, boredom } = codebookFixture();
    let q = addRelation(p, { source: calling, target: boredom, type: CAUSE }, 'K', env).project;
    q = addRelation(q, { source: letters, target: boredom, type: ASSOCIATED }, 'K', env).project;
    assert.deepEqual(relationsOfCode(q, calling).map((r) => r.source), [calling]);
    assert.equal(relationsOfCodes(q, [calling, letters, boredom]).length, 2, 'each relation once, for the question of deleting several codes');
    assert.equal(relationsOfCodes(q, [calling, letters]).length, 2);
    const renamed = renameCode(q, boredom, 'kjedsomhet');
    assert.deepEqual(renamed.relations, q.relations, 'relations refer to codes by id');
    const gone = deleteCode(q, calling).project;
    assert.deepEqual(gone.relations!.map((r) => r.source), [letters]);
    assert.equal(deleteCode(gone, boredom).project.relations, undefined);
  });

  it('merging codes carries their relations to the target: a relation to itself is dropped, a repeat folded into the one there', () => {
    const { p, env, calling, letters, boredom } = codebookFixture();
    let q = p;
    const add = (source: string, target: string, type: string, evidence: string[], label?: string) => {
      const r = addRelation(q, { source, target, type, evidence, label }, 'K', env);
      q = r.project;
      return r.relation.id;
    };
    const toTarget = add(calling, letters, CAUSE, ['e1']); // becomes letters → letters: dropped
    const kept = add(letters, boredom, ASSOCIATED, ['e2']); // there already
    const repeat = add(boredom, calling, ASSOCIATED, ['e3'], 'both bored'); // becomes boredom ~ letters: the same as kept
    const moved = add(calling, boredom, CAUSE, ['e4']); // becomes letters → boredom
    const merged = mergeCodes(q, calling, letters).project;
    const ids = merged.relations!.map((r) => r.id);
    assert.equal(ids.includes(toTarget), false);
    assert.equal(ids.includes(repeat), false);
    assert.deepEqual(merged.relations!.find((r) => r.id === kept), { ...q.relations!.find((r) => r.id === kept)!, evidence: ['e2', 'e3'], label: 'both bored' });
    assert.deepEqual(merged.relations!.find((r) => r.id === moved)!.source, letters);
    assert.deepEqual(relationProblems(merged), []);
  });
});

const TEXT = 'Ola: Vi ringer hjem hver søndag. Helgene er lange.\n';
const span = (words: string): [number, number] => [TEXT.indexOf(words), TEXT.indexOf(words) + words.length];

function memorySession() {
  const fixture = codebookFixture();
  let project = fixture.p;
  const sidecars = new Map<string, Coding[]>([['a.txt', []]]);
  const table = new DocumentTable();
  table.scanned(['a.txt'], ['a.txt'], new Set(['a.txt']));
  table.setStored('a.txt', []);
  const fail = { project: false };
  const ports: SessionPorts = {
    editProject: async (change) => {
      if (fail.project) throw new Error('grounded.json is locked by another writer');
      return (project = change(project));
    },
    editCodings: async (p, change) => {
      sidecars.set(p, change([...(sidecars.get(p) ?? [])]));
      table.setStored(p, sidecars.get(p)!);
    },
    textOf: () => TEXT,
  };
  const session = new ProjectSession(ports, fixture.env, table);
  session.setProject(project);
  return { ...fixture, session, sidecars, fail, project: () => project };
}

describe('relations in the session: one transaction each, with undo and redo', () => {
  it('create, edit, evidence, delete: each undone and redone', async () => {
    const { session, calling, boredom, letters, project, env } = memorySession();
    const events: boolean[] = [];
    session.onDidChange((c) => events.push(!!c.relations));
    const { relation, transaction } = await session.addRelation({ source: calling, target: boredom, type: CAUSE }, 'Kari');
    assert.equal(transaction?.origin, 'relations');
    assert.deepEqual(project().relations, [relation]);
    await session.editRelations('Edit', (p) => editRelation(p, relation.id, { label: 'helger', target: letters }, env));
    await session.editRelations('Evidence', (p) => changeEvidence(p, relation.id, ['c1'], env));
    assert.deepEqual([project().relations![0].label, project().relations![0].target, project().relations![0].evidence], ['helger', letters, ['c1']]);
    assert.equal(await session.editRelations('Nothing', (p) => changeEvidence(p, relation.id, ['c1'], env)), undefined, 'no change, no transaction');
    await session.editRelations('Delete', (p) => deleteRelation(p, relation.id));
    assert.equal(project().relations, undefined);
    await session.history.undo(); // delete
    await session.history.undo(); // evidence
    assert.deepEqual(project().relations![0].evidence, undefined);
    await session.history.undo(); // edit
    assert.deepEqual(project().relations, [relation]);
    await session.history.undo(); // create
    assert.equal(project().relations, undefined);
    await session.history.redo();
    await session.history.redo();
    assert.deepEqual([project().relations![0].label, project().relations![0].target], ['helger', letters]);
    assert.ok(events.every(Boolean) && events.length >= 8);
    await assert.rejects(session.addRelation({ source: calling, target: calling, type: CAUSE }, 'Kari'), /itself/);
  });

  it('a coding that is evidence is not removed when grounded.json cannot be written: all or nothing', async () => {
    const { session, calling, boredom, project, sidecars, fail } = memorySession();
    const [c1] = (await session.code('a.txt', TEXT, [span('Vi ringer hjem')], calling, 'Kari')).added;
    await session.addRelation({ source: calling, target: boredom, type: CAUSE, evidence: [c1.id] }, 'Kari');
    const undoBefore = session.history.nextUndo;
    fail.project = true;
    await assert.rejects(session.removeCodings('a.txt', [c1.id]), /locked by another writer/);
    assert.deepEqual(sidecars.get('a.txt')!.map((c) => c.id), [c1.id], 'the coding is back');
    assert.deepEqual(project().relations![0].evidence, [c1.id]);
    assert.equal(session.history.nextUndo, undoBefore, 'nothing recorded');
  });

  it('relation types are defined and edited with undo', async () => {
    const { session, project } = memorySession();
    const { type } = await session.defineRelationType({ name: 'forsterker', direction: 'one-way' });
    await session.editRelations('Rename', (p) => editRelationType(p, type.id, { name: 'styrker' }));
    assert.equal(project().relationTypes![0].name, 'styrker');
    await session.history.undo();
    assert.equal(project().relationTypes![0].name, 'forsterker');
    await session.history.undo();
    assert.equal(project().relationTypes, undefined);
  });

  it('a removed coding leaves the evidence in the same transaction; undo brings both back', async () => {
    const { session, calling, boredom, project, sidecars } = memorySession();
    const [c1] = (await session.code('a.txt', TEXT, [span('Vi ringer hjem')], calling, 'Kari')).added;
    const [c2] = (await session.code('a.txt', TEXT, [span('Helgene er lange')], boredom, 'Kari')).added;
    const { relation } = await session.addRelation({ source: calling, target: boredom, type: CAUSE, evidence: [c1.id, c2.id] }, 'Kari');
    await session.removeCodings('a.txt', [c1.id]);
    assert.deepEqual(project().relations![0].evidence, [c2.id]);
    await session.history.undo();
    assert.deepEqual(project().relations![0].evidence, [c1.id, c2.id].sort());
    assert.equal(sidecars.get('a.txt')!.length, 2);
    // deleting a code: its relations and its codings go, and other relations' evidence of its codings, in one undo
    const other = (await session.addRelation({ source: boredom, target: calling, type: ASSOCIATED, evidence: [c2.id] }, 'Kari')).relation;
    assert.ok(other.id);
    await session.editCodebook('Delete "boredom"', (p) => deleteCode(p, boredom), (cs) => removeCodingsOf(cs, [boredom]));
    assert.equal(project().relations, undefined);
    await session.history.undo();
    assert.deepEqual(project().relations!.map((r) => r.id).sort(), [relation.id, other.id].sort());
    assert.deepEqual(project().relations!.find((r) => r.id === relation.id)!.evidence, [c1.id, c2.id].sort());
    // merging codes carries relations along, in one undo
    await session.editCodebook('Merge', (p) => mergeCodes(p, boredom, calling), (cs) => recodeCodings(cs, boredom, calling));
    assert.equal(project().relations, undefined, 'both relations would join "calling home" to itself');
    await session.history.undo();
    assert.equal(project().relations!.length, 2);
  });
});

describe('relations and the git merge driver', () => {
  const base = readFileSync(FIXTURE, 'utf8');
  const p = parseProject(base, 'grounded.json');
  const [r1, r2] = p.relations!;
  const text = (q: ProjectFile) => serializeProject(q);
  const newRelation = (id: string, label: string): Relation => ({ ...r2, id, label, source: p.codes[2].id, target: p.codes[3].id, type: ASSOCIATED });

  it('relations added on both branches are both kept, in either merge order', () => {
    const ours = text({ ...p, relations: [...p.relations!, newRelation('aaaaaaaa-0000-4000-8000-000000000001', 'ours')] });
    const theirs = text({ ...p, relations: [...p.relations!, newRelation('bbbbbbbb-0000-4000-8000-000000000002', 'theirs')] });
    const ab = mergeFileTexts('project', base, ours, theirs, 'grounded.json');
    const ba = mergeFileTexts('project', base, theirs, ours, 'grounded.json');
    assert.equal(ab.text, ba.text);
    assert.equal(ab.conflicts, 0);
    assert.deepEqual(parseProject(ab.text, 'grounded.json').relations!.map((r) => r.label), ['tomme helger gir rom for savnet', undefined, 'ours', 'theirs']);
  });

  it('the same relation edited on both sides: ours kept, theirs beside it with conflictOf; edits on one side each win', () => {
    const ours = text({ ...p, relations: [{ ...r1, label: 'ours' }, r2] });
    const theirs = text({ ...p, relations: [{ ...r1, label: 'theirs' }, { ...r2, label: 'only theirs' }] });
    const r = mergeFileTexts('project', base, ours, theirs, 'grounded.json');
    assert.equal(r.conflicts, 1);
    const merged = parseProject(r.text, 'grounded.json').relations!;
    assert.equal(merged.find((x) => x.id === r1.id)!.label, 'ours');
    assert.deepEqual(merged.filter((x) => x.conflictOf).map((x) => [x.conflictOf, x.label]), [[r1.id, 'theirs']]);
    assert.equal(merged.find((x) => x.id === r2.id)!.label, 'only theirs');
  });

  it('one side deletes a code the other side related: the relation is kept and check reports its missing code', async () => {
    const gone = p.codes.find((c) => c.id === r2.target)!;
    const ours = text(deleteCode(p, gone.id).project); // the deletion takes r2 with it on our side
    const theirs = text({ ...p, relations: [r1, { ...r2, label: 'made on their side' }] });
    const r = mergeFileTexts('project', base, ours, theirs, 'grounded.json');
    const merged = parseProject(r.text, 'grounded.json');
    assert.equal(merged.codes.some((c) => c.id === gone.id), false);
    assert.equal(merged.relations!.find((x) => x.id === r2.id)!.label, 'made on their side', 'their change wins over our deletion: nothing lost');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-relations-'));
    try {
      writeFileSync(path.join(dir, 'grounded.json'), r.text);
      const report = await checkProject(dir);
      // (the fixture's evidence codings are in no sidecar here: reported too)
      const found = report.findings.filter((f) => f.kind === 'relation' && !/evidence/.test(f.message));
      assert.equal(found.length, 1);
      assert.equal(report.findings.filter((f) => f.kind === 'relation').length, 3);
      assert.match(found[0].message, new RegExp(`its code ${gone.id} is not in the codebook`));
      assert.ok(found[0].line! > 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('relations in the report and the analysis', () => {
  let input: ReportInput;
  before(async () => {
    input = await readReportInput(path.resolve(__dirname, '../../../sample'));
  });

  it('has no Relations section without relations', () => {
    assert.doesNotMatch(renderReportMarkdown(input), /^## Relations$/m);
  });

  it('shows each relation "A — type → B" with its label, memo, evidence count and evidence quotes by pseudonym; Markdown and HTML', () => {
    const { project, documents } = input;
    const [a, b, c] = project.codes.filter((k) => documents.some((d) => d.codings.some((x) => x.codeId === k.id)));
    const docA = documents.find((d) => d.codings.some((x) => x.codeId === a.id))!;
    const evidence = docA.codings.find((x) => x.codeId === a.id && !x.orphaned)!;
    const id = (n: number) => `abcdef00-0000-4000-8000-00000000000${n}`;
    const relations: Relation[] = [
      { id: id(1), source: a.id, target: b.id, type: CAUSE, label: 'a label <b>', evidence: [evidence.id, 'abcdef00-0000-4000-8000-0000000000ff'], author: 'Kari', created: '2026-11-05T12:00:00.000Z', modified: '2026-11-05T12:00:00.000Z' },
      { id: id(2), source: c.id, target: a.id, type: ASSOCIATED, author: 'Kari', created: '2026-11-05T12:00:00.000Z', modified: '2026-11-05T12:00:00.000Z' },
    ];
    const memo: Memo = { id: id(3), target: { kind: 'relation', id: id(1) }, author: 'Kari', created: '2026-11-05T12:00:00.000Z', modified: '2026-11-05T12:00:00.000Z', body: 'Why A leads to B.' };
    const withRelations: ReportInput = { ...input, project: { ...project, relations }, memos: [...input.memos, memo] };
    const analysis = analyse({ project: withRelations.project, documents });
    const rows = relationRows(analysis);
    assert.equal(rows.length, 2);
    const row = rows.find((r) => r.relation.id === id(1))!;
    assert.deepEqual([row.source.code.name, row.type.name, row.target.code.name, row.evidence.length], [a.name, 'is cause of', b.name, 1], 'evidence in no sidecar does not count');
    assert.equal(row.source.counts, analysis.counts.get(a.id), 'the analysis\'s own numbers');
    assert.ok(row.source.counts.totalSegments > 0);
    const md = renderReportMarkdown(withRelations);
    assert.match(md, /^## Relations$/m);
    assert.ok(md.includes(`### ${escapeMarkdown(`${a.name} — is cause of → ${b.name}`)}`), md.slice(md.indexOf('## Relations'), md.indexOf('## Relations') + 400));
    assert.ok(md.includes(`${c.name} — is associated with — ${a.name}`), 'a symmetric type has no arrow');
    assert.ok(md.includes('Why A leads to B.'), 'the relation memo');
    assert.ok(md.includes('Evidence: 1 segment.'));
    const pseudonym = project.cases.find((k) => k.documents.includes(docA.path))!.pseudonym;
    const shown = evidence.translation ? evidence.translation.text : evidence.anchor.quote;
    const section = md.slice(md.indexOf('## Relations'));
    assert.ok(section.includes(escapeMarkdown(shown.slice(0, 30))), 'the evidence quote');
    assert.ok(section.includes(`— ${pseudonym}`), 'attributed by pseudonym');
    const html = renderReportHtml(withRelations);
    assert.match(html, /<h2[^>]*>Relations<\/h2>/);
    assert.ok(html.includes(`id="relation-${id(1)}"`));
    assert.ok(html.includes('a label &lt;b&gt;'), 'the label escaped');
    // Norwegian: the built-in type's name in the report language
    const nb = renderReportMarkdown({ ...withRelations, project: { ...withRelations.project, settings: { ...project.settings, reportLanguage: 'nb' } } });
    assert.match(nb, /^## Relasjoner$/m);
    assert.ok(nb.includes('er årsak til'));
  });
});

describe('relations in REFI-QDA: <Link>s', () => {
  const refiOptions = () => ({ coder: 'Importør', env: { ...testEnv(), newId: (() => { let n = 0; return () => `dddddddd-0000-4000-8000-${(++n).toString().padStart(12, '0')}`; })() } });

  function related() {
    const { input, ids } = smallProject();
    const own = { id: 'eeeeeeee-0000-4000-8000-000000000001', name: 'forsterker', direction: 'one-way' as const, transitive: true };
    const rel = (n: number, source: string, target: string, type: string, label?: string, evidence?: string[]): Relation => {
      const r: Relation = { id: `ffffffff-0000-4000-8000-00000000000${n}`, source, target, type, author: 'Kari', created: '2026-11-05T12:00:00.000Z', modified: '2026-11-05T12:00:00.000Z' };
      if (label) r.label = label;
      if (evidence) r.evidence = evidence;
      return r;
    };
    const relations = [
      rel(1, ids.havet, ids.frihet, CAUSE, 'havet & <frihet>: "åpent"', [ids.c1]),
      rel(2, ids.frihet, ids.tomt, ASSOCIATED),
      rel(3, ids.savn, ids.tomt, own.id, 'mer savn'),
    ];
    const memo: Memo = { id: 'ffffffff-0000-4000-8000-0000000000aa', target: { kind: 'relation', id: relations[0].id }, author: 'Kari', created: '2026-11-05T12:00:00.000Z', modified: '2026-11-05T12:00:00.000Z', body: 'Hvorfor havet gir frihet.' };
    return { input: { ...input, project: { ...input.project, relationTypes: [own], relations }, memos: [...input.memos, memo] }, ids, relations, memo };
  }

  it('exports each relation as a schema-valid <Link> (name = type and label, direction, code GUIDs, its memo as NoteRef) and imports them back', function () {
    const { input, relations, memo } = related();
    const out = exportQdpx(input, { lineEnding: 'lf', origin: 'test' });
    validate(this, out.qde);
    assert.ok(out.qde.includes(`<Link guid="${relations[0].id}" name="is cause of: havet &amp; &lt;frihet&gt;: &quot;åpent&quot;" direction="OneWay" originGUID="${relations[0].source}" targetGUID="${relations[0].target}">`), out.qde);
    assert.ok(out.qde.includes(`<NoteRef targetGUID="${memo.id}"/>`));
    assert.ok(out.qde.includes(`name="is associated with" direction="Associative"`));
    assert.ok(out.summary.leftOut.some((l) => /the evidence of 1 relation: a REFI-QDA link has no place for it/.test(l)));
    const r = importRefi(out.bytes, 'related.qdpx', refiOptions());
    const project = parseProject(r.files.get('grounded.json')!, 'grounded.json');
    const got = project.relations!.map((x) => [x.id, x.source, x.target, relationTypesOf(project).find((t) => t.id === x.type)!.name, x.label]);
    assert.deepEqual(got, relations.map((x) => [x.id, x.source, x.target, relationTypesOf(input.project).find((t) => t.id === x.type)!.name, x.label]));
    assert.equal(project.relations![0].type, CAUSE, 'a built-in type comes back as itself');
    assert.deepEqual(project.relationTypes!.map((t) => [t.name, t.direction]), [['forsterker', 'one-way']]);
    const memoText = [...r.files].find(([p, t]) => p.startsWith('memos/') && t.includes(`target: relation:${relations[0].id}`));
    assert.ok(memoText, 'the relation memo comes back with its target');
    assert.equal(r.summary.notImported.some((n) => /link/.test(n)), false);
    // exported again: the same Links
    const again = exportQdpx({ ...input, project: { ...project, codes: input.project.codes } }, { lineEnding: 'lf', origin: 'test' }).qde;
    const links = (q: string) => q.slice(q.indexOf('<Links>'), q.indexOf('</Links>'));
    assert.equal(links(again).replace(/\s+/g, ' '), links(out.qde).replace(/\s+/g, ' '));
  });

  it('imports the Links of an ATLAS.ti-like file (GUIDs in braces, upper case; Bidirectional): between codes as relations', () => {
    const files = fixtureFiles('atlasti', (p, text) =>
      p === 'project.qde'
        ? text.replace(
            '</Project>',
            '  <Links>\n' +
              '    <Link guid="{C2000000-0000-4000-8000-000000000001}" name="Is Cause Of" direction="OneWay" originGUID="{D1000000-0000-4000-8000-000000000001}" targetGUID="{D1000000-0000-4000-8000-000000000002}"/>\n' +
              '    <Link guid="{C2000000-0000-4000-8000-000000000002}" name="hindrer" direction="Bidirectional" originGUID="{D1000000-0000-4000-8000-000000000002}" targetGUID="{D1000000-0000-4000-8000-000000000001}"/>\n' +
              '    <Link guid="{C2000000-0000-4000-8000-000000000003}" name="nevner" direction="OneWay" originGUID="{D1000000-0000-4000-8000-000000000001}" targetGUID="{F1000000-0000-4000-8000-000000000001}"/>\n' +
              '  </Links>\n</Project>',
          )
        : text,
    );
    const r = importRefi(zipSync(files), 'atlas.qdpx', refiOptions());
    const project = parseProject(r.files.get('grounded.json')!, 'grounded.json');
    assert.deepEqual(
      project.relations!.map((x) => [x.id, x.source, x.target, x.type === CAUSE ? 'is cause of' : relationTypesOf(project).find((t) => t.id === x.type)!.name]),
      [
        ['c2000000-0000-4000-8000-000000000001', 'd1000000-0000-4000-8000-000000000001', 'd1000000-0000-4000-8000-000000000002', 'is cause of'],
        ['c2000000-0000-4000-8000-000000000002', 'd1000000-0000-4000-8000-000000000002', 'd1000000-0000-4000-8000-000000000001', 'hindrer'],
      ],
    );
    assert.deepEqual(project.relationTypes!.map((t) => [t.name, t.direction]), [['hindrer', 'symmetric']]);
    assert.equal(r.summary.relations, 2);
    assert.match(importReport(r.summary, 'ut'), /^- 2 relations \(from links between codes\)$/m);
    assert.ok(r.summary.notImported.includes('1 link not between two codes: a Grounded relation joins two codes or categories'), r.summary.notImported.join('\n'));
  });

  it('reports a Link that does not join two codes, and keeps the first of two Links that are one relation', () => {
    const { input, ids } = related();
    const qde = exportQdpx(input, { lineEnding: 'lf', origin: 'test' });
    const text = qde.qde.replace(
      '</Links>',
      `  <Link guid="cccccccc-0000-4000-8000-000000000001" name="nevner" direction="OneWay" originGUID="${ids.havet}" targetGUID="${guidOf.source('intervjuer/per.txt')}"/>\n` +
        `    <Link guid="cccccccc-0000-4000-8000-000000000002" name="is associated with" originGUID="${ids.tomt}" targetGUID="${ids.frihet}"/>\n  </Links>`,
    );
    const files = unzipSync(qde.bytes);
    files['project.qde'] = strToU8(text);
    const r = importRefi(zipSync(files), 'x.qdpx', refiOptions());
    const project = parseProject(r.files.get('grounded.json')!, 'grounded.json');
    assert.equal(project.relations!.length, 3);
    assert.ok(r.summary.notImported.some((n) => n === '1 link not between two codes: a Grounded relation joins two codes or categories'), r.summary.notImported.join('\n'));
  });
});

describe('grounded check and relations edited by hand', () => {
  it('names each broken relation with its place in grounded.json, and a relation memo whose relation is gone', async () => {
    const p = parseProject(readFileSync(FIXTURE, 'utf8'), 'grounded.json');
    const [a, b] = [p.codes[0].id, p.codes[1].id];
    const base = p.relations![1];
    const extra: Relation[] = [
      { ...base, id: 'aaaaaaaa-0000-4000-8000-000000000001', source: a, target: b, type: ASSOCIATED },
      { ...base, id: 'aaaaaaaa-0000-4000-8000-000000000002', source: b, target: a, type: ASSOCIATED }, // the same, symmetric
      { ...base, id: 'aaaaaaaa-0000-4000-8000-000000000003', source: a, target: a, type: CAUSE },
      { ...base, id: 'aaaaaaaa-0000-4000-8000-000000000004', source: b, target: a, type: 'bbbbbbbb-0000-4000-8000-000000000009' },
    ];
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-relations-'));
    try {
      const text = serializeProject({ ...p, relations: [...p.relations!.slice(1), ...extra] });
      writeFileSync(path.join(dir, 'grounded.json'), text);
      const memo = '---\nid: cccccccc-0000-4000-8000-000000000001\ntarget: relation:dddddddd-0000-4000-8000-000000000001\nauthor: Kari\ncreated: 2026-11-05T12:00:00.000Z\nmodified: 2026-11-05T12:00:00.000Z\n---\n\nOm relasjonen.\n';
      mkdirSync(path.join(dir, 'memos'));
      writeFileSync(path.join(dir, 'memos', 'relasjon-cccccccc.md'), memo);
      const report = await checkProject(dir);
      const lines = text.split('\n');
      const found = report.findings.filter((f) => f.kind === 'relation').map((f) => [lines[f.line! - 1].includes(`"id":"${f.relationId}"`), f.message]);
      assert.deepEqual(found, [
        // "henger sammen med": the fixture's name for the built-in "is associated with"
        [true, 'relation aaaaaaaa: the same relation (codes and type "henger sammen med") as relation aaaaaaaa; keep one of them'],
        [true, `relation aaaaaaaa: it relates "${p.codes[0].name}" to itself; a relation joins two different codes`],
        [true, 'relation aaaaaaaa: its type bbbbbbbb-0000-4000-8000-000000000009 is neither built in nor in relationTypes'],
      ]);
      const memoProblem = report.findings.find((f) => f.kind === 'memo-target');
      assert.equal(memoProblem?.message, 'target relation:dddddddd-0000-4000-8000-000000000001: no relation with this id in grounded.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
