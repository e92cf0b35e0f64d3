// Theory maps: the file format, the invariants, the session's edits with undo, codes deleted and
// merged, the merge driver and grounded check.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILTIN_RELATION_TYPES } from '../../src/core/model';
import type { ProjectFile, TheoryMap } from '../../src/core/model';
import { parseProject, serializeProject } from '../../src/core/project';
import { addMap, deleteMap, mapProblems, mapsByName, mergeMaps, placeNodes, relationsOnMap, removeNodes, renameMap } from '../../src/core/maps';
import { addRelation } from '../../src/core/relations';
import { deleteCode, mergeCodes, recodeCodings, removeCodingsOf } from '../../src/core/codebook';
import { ProjectSession } from '../../src/core/session';
import type { SessionPorts } from '../../src/core/session';
import { DocumentTable } from '../../src/core/documents';
import { mergeFileTexts } from '../../src/core/mergeDriver';
import { checkProject } from '../../src/cli/check';
import { codebookFixture } from './fixtures';

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/maps/grounded.json');
const CAUSE = BUILTIN_RELATION_TYPES[0].id;

describe('theory maps in grounded.json', () => {
  it('parses the fixture and writes it back byte for byte, whatever the order of maps and nodes', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const p = parseProject(text, 'grounded.json');
    assert.deepEqual(p.maps!.map((m) => [m.name, m.nodes.length]), [['Hele teorien', 4], ['Tid', 1]]);
    assert.deepEqual(p.maps![0].nodes.find((n) => n.x < 0), { code: '267396b6-a3d3-4f91-8cc9-0751b2767fb9', x: -40, y: 300 });
    assert.equal(serializeProject(p), text);
    const shuffled: ProjectFile = { ...p, maps: [...p.maps!].reverse().map((m) => ({ nodes: [...m.nodes].reverse(), name: m.name, id: m.id })) };
    assert.equal(serializeProject(shuffled), text);
  });

  it('writes no maps key without maps: an existing project keeps its bytes', () => {
    const text = readFileSync(path.resolve(__dirname, '../../../test/fixtures/relations/grounded.json'), 'utf8');
    const p = parseProject(text, 'grounded.json');
    assert.equal(p.maps, undefined);
    assert.equal(serializeProject(p), text);
    assert.equal(serializeProject({ ...p, maps: [] }), text);
  });

  it('refuses a node twice on one map, a coordinate that is not whole, and two maps of one name, each with its place', () => {
    const text = readFileSync(FIXTURE, 'utf8');
    const twice = text.replace('{"code":"035b1c60-4756-4360-ae99-7308f22e9756","x":0,"y":0}', '{"code":"035b1c60-4756-4360-ae99-7308f22e9756","x":0,"y":0},{"code":"035b1c60-4756-4360-ae99-7308f22e9756","x":5,"y":5}');
    assert.throws(() => parseProject(twice, 'grounded.json'), /grounded\.json:\d+:\d+: maps\[1\]\.nodes\[1\]\.code: the code 035b1c60-4756-4360-ae99-7308f22e9756 is on this map twice/);
    const half = text.replace('"x":120,', '"x":120.5,');
    assert.throws(() => parseProject(half, 'grounded.json'), /maps\[0\]\.nodes\[0\]\.x: expected a whole number, got 120\.5/);
    const sameName = text.replace('"name":"Tid"', '"name":"hele TEORIEN "');
    assert.throws(() => parseProject(sameName, 'grounded.json'), /maps\[1\]\.name: the map name "hele TEORIEN " is taken by another map/);
  });
});

describe('theory maps: the invariants (core/maps.ts)', () => {
  it('names are unique ignoring case and never empty; nodes are codes of the codebook, once each, rounded and sorted', () => {
    const { p, env, calling, letters, boredom } = codebookFixture();
    const a = addMap(p, '  Theory ', env, [{ code: letters, x: 10.4, y: 20.6 }, { code: calling, x: 0, y: 0 }]);
    assert.equal(a.map.name, 'Theory');
    assert.deepEqual(a.map.nodes, [{ code: calling, x: 0, y: 0 }, { code: letters, x: 10, y: 21 }].sort((x, y) => (x.code < y.code ? -1 : 1)));
    assert.throws(() => addMap(a.project, 'theory', env), /already a theory map named "Theory"/);
    assert.throws(() => addMap(a.project, '  ', env), /needs a name/);
    assert.throws(() => placeNodes(a.project, a.map.id, [{ code: 'ffffffff-0000-4000-8000-000000000000', x: 1, y: 1 }]), /not in the codebook/);
    const moved = placeNodes(a.project, a.map.id, [{ code: letters, x: 50, y: 60 }, { code: boredom, x: 5, y: 5 }]);
    assert.deepEqual(moved.maps![0].nodes.find((n) => n.code === letters), { code: letters, x: 50, y: 60 });
    assert.equal(moved.maps![0].nodes.length, 3);
    assert.equal(placeNodes(moved, a.map.id, [{ code: letters, x: 50.2, y: 59.9 }]), moved, 'the same place: unchanged');
    const off = removeNodes(moved, a.map.id, [boredom]);
    assert.deepEqual(off.maps![0].nodes.map((n) => n.code).sort(), [calling, letters].sort());
    assert.equal(removeNodes(off, a.map.id, [boredom]), off);
    assert.equal(off.codes.length, p.codes.length, 'the code stays in the codebook');
    const b = addMap(off, 'Another', env);
    assert.deepEqual(mapsByName(b.project).map((m) => m.name), ['Another', 'Theory']);
    assert.equal(renameMap(b.project, b.map.id, 'Another'), b.project);
    assert.throws(() => renameMap(b.project, b.map.id, 'THEORY'), /already a theory map named "Theory"/);
    assert.equal(deleteMap(deleteMap(b.project, b.map.id), a.map.id).maps, undefined, 'the last map gone: no maps key');
  });

  it('draws the relations whose two codes are both on the map', () => {
    const { p, env, calling, letters, boredom } = codebookFixture();
    let q = addRelation(p, { source: calling, target: letters, type: CAUSE }, 'K', env).project;
    q = addRelation(q, { source: calling, target: boredom, type: CAUSE }, 'K', env).project;
    const m = addMap(q, 'M', env, [{ code: calling, x: 0, y: 0 }, { code: letters, x: 100, y: 0 }]);
    assert.deepEqual(relationsOnMap(m.project, m.map).map((r) => r.target), [letters]);
  });

  it('deleting a code takes it off every map; merging puts the target in its place unless the target is there', () => {
    const { p, env, calling, letters, boredom } = codebookFixture();
    let q = addMap(p, 'One', env, [{ code: calling, x: 1, y: 2 }, { code: boredom, x: 3, y: 4 }]).project;
    q = addMap(q, 'Two', env, [{ code: calling, x: 5, y: 6 }, { code: letters, x: 7, y: 8 }]).project;
    const deleted = deleteCode(q, boredom).project;
    assert.deepEqual(deleted.maps!.find((m) => m.name === 'One')!.nodes, [{ code: calling, x: 1, y: 2 }]);
    const merged = mergeCodes(q, calling, letters).project;
    assert.deepEqual(merged.maps!.find((m) => m.name === 'One')!.nodes.find((n) => n.code === letters), { code: letters, x: 1, y: 2 }, 'letters takes calling\'s place');
    assert.deepEqual(merged.maps!.find((m) => m.name === 'Two')!.nodes, [{ code: letters, x: 7, y: 8 }], 'letters was there: it keeps its place');
    assert.deepEqual(mapProblems(merged), []);
  });
});

describe('theory maps in the session: one transaction each, with undo and redo', () => {
  function memorySession() {
    const fixture = codebookFixture();
    let project = fixture.p;
    const table = new DocumentTable();
    table.scanned([], [], new Set());
    const ports: SessionPorts = {
      editProject: async (change) => (project = change(project)),
      editCodings: async () => undefined,
      textOf: () => undefined,
    };
    const session = new ProjectSession(ports, fixture.env, table);
    session.setProject(project);
    return { ...fixture, session, project: () => project };
  }

  it('add, move (several nodes at once), rename, delete: each one undo; a code deleted leaves the map in the same undo', async () => {
    const { session, project, calling, letters, boredom } = memorySession();
    const changes: { maps?: boolean; relations?: boolean; codebook?: boolean }[] = [];
    session.onDidChange((c) => changes.push({ maps: c.maps, relations: c.relations, codebook: c.codebook }));
    const { map, transaction } = await session.addMap('Theory', [{ code: calling, x: 0, y: 0 }]);
    assert.equal(transaction?.origin, 'maps');
    assert.deepEqual(changes.at(-1), { maps: true, relations: false, codebook: undefined });
    await session.editMaps('Move', (p) => placeNodes(p, map.id, [{ code: calling, x: 40, y: 40 }, { code: letters, x: 200, y: 40 }, { code: boredom, x: 120, y: 200 }]));
    assert.equal(project().maps![0].nodes.length, 3);
    assert.equal(await session.editMaps('Nothing', (p) => placeNodes(p, map.id, [{ code: calling, x: 40, y: 40 }])), undefined, 'no change, no transaction');
    await session.editMaps('Rename', (p) => renameMap(p, map.id, 'Teorien'));
    await session.editCodebook('Delete "boredom"', (p) => deleteCode(p, boredom), (cs) => removeCodingsOf(cs, [boredom]));
    assert.equal(project().maps![0].nodes.length, 2);
    assert.equal(changes.at(-1)!.maps, true);
    await session.history.undo(); // delete code
    assert.equal(project().maps![0].nodes.length, 3);
    await session.history.undo(); // rename
    assert.equal(project().maps![0].name, 'Theory');
    await session.history.undo(); // the whole drag at once
    assert.deepEqual(project().maps![0].nodes, [{ code: calling, x: 0, y: 0 }]);
    await session.history.undo(); // add
    assert.equal(project().maps, undefined);
    await session.history.redo();
    await session.history.redo();
    assert.equal(project().maps![0].nodes.length, 3);
    await session.editCodebook('Merge', (p) => mergeCodes(p, calling, letters), (cs) => recodeCodings(cs, calling, letters));
    assert.deepEqual(project().maps![0].nodes.map((n) => n.code).sort(), [letters, boredom].sort());
    await session.history.undo();
    assert.equal(project().maps![0].nodes.length, 3);
    await assert.rejects(session.addMap('theory'), /already a theory map named "Theory"/);
  });
});

describe('theory maps and the git merge driver', () => {
  const base = readFileSync(FIXTURE, 'utf8');
  const p = parseProject(base, 'grounded.json');
  const [whole] = p.maps!;
  const withMap = (m: TheoryMap, ...rest: TheoryMap[]): string => serializeProject({ ...p, maps: [m, ...p.maps!.slice(1), ...rest] });
  const moveNode = (m: TheoryMap, code: string, x: number, y: number): TheoryMap => ({ ...m, nodes: m.nodes.map((n) => (n.code === code ? { code, x, y } : n)) });
  const [n1, n2, n3] = whole.nodes.map((n) => n.code);

  it('two people laying out different nodes of one map both keep their work, with no conflict', () => {
    const ours = withMap(moveNode(whole, n1, 500, 500));
    const theirs = withMap(moveNode(whole, n2, -10, -10));
    const r = mergeFileTexts('project', base, ours, theirs, 'grounded.json');
    assert.equal(r.conflicts, 0);
    const nodes = parseProject(r.text, 'grounded.json').maps![0].nodes;
    assert.deepEqual([nodes.find((n) => n.code === n1), nodes.find((n) => n.code === n2)], [{ code: n1, x: 500, y: 500 }, { code: n2, x: -10, y: -10 }]);
  });

  it('one node moved on both sides: ours; taken off on one side and moved on the other: it stays; a node added on each: both', () => {
    const ours = moveNode({ ...whole, nodes: whole.nodes.filter((n) => n.code !== n3) }, n1, 1, 1);
    const theirs = moveNode(moveNode(whole, n1, 2, 2), n3, 9, 9);
    const merged = mergeMaps(p.maps!, [ours], [theirs]);
    assert.deepEqual(merged[0].nodes.find((n) => n.code === n1), { code: n1, x: 1, y: 1 });
    assert.deepEqual(merged[0].nodes.find((n) => n.code === n3), { code: n3, x: 9, y: 9 });
    const reversed = mergeMaps(p.maps!, [theirs], [ours]);
    assert.deepEqual(reversed[0].nodes.find((n) => n.code === n3), { code: n3, x: 9, y: 9 }, 'the same either way round');
  });

  it('a map deleted on one side and changed on the other is kept; deleted and untouched goes; two new maps of one name both kept', () => {
    const changed = serializeProject({ ...p, maps: [moveNode(whole, n1, 7, 7)] }); // "Tid" deleted, "Hele teorien" changed
    const deletedWhole = serializeProject({ ...p, maps: [p.maps![1]] });
    const r = mergeFileTexts('project', base, changed, deletedWhole, 'grounded.json');
    assert.equal(r.conflicts, 0);
    assert.deepEqual(parseProject(r.text, 'grounded.json').maps!.map((m) => m.name), ['Hele teorien']);
    const mine: TheoryMap = { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Ny', nodes: [] };
    const yours: TheoryMap = { id: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'ny', nodes: [] };
    const both = mergeFileTexts('project', base, withMap(whole, mine), withMap(whole, yours), 'grounded.json');
    assert.deepEqual(parseProject(both.text, 'grounded.json').maps!.map((m) => m.name).sort(), ['Hele teorien', 'Ny', 'Tid', 'ny (2)'].sort());
  });
});

describe('grounded check and maps edited by hand', () => {
  it('names a node whose code is not in the codebook with its place in grounded.json', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-maps-'));
    try {
      const text = readFileSync(FIXTURE, 'utf8').replace('"nodes":[{"code":"035b1c60-4756-4360-ae99-7308f22e9756","x":0,"y":0}]', '"nodes":[{"code":"eeeeeeee-0000-4000-8000-000000000001","x":0,"y":0}]');
      writeFileSync(path.join(dir, 'grounded.json'), text);
      const report = await checkProject(dir);
      const found = report.findings.filter((f) => f.kind === 'map');
      assert.deepEqual(found.map((f) => [f.line, f.message]), [[text.split('\n').findIndex((l) => l.includes('eeeeeeee')) + 1, 'map "Tid": its node eeeeeeee-0000-4000-8000-000000000001 is not in the codebook; take it off the map or restore the code']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
