// Theory maps in REFI-QDA: <Graph>s with <Vertex>es for codes and <Edge>s for Links (core/refi/graphs.ts).
import * as assert from 'node:assert/strict';
import { zipSync } from 'fflate';
import type { ProjectFile } from '../../src/core/model';
import { addMap } from '../../src/core/maps';
import { parseProject } from '../../src/core/project';
import { exportQdpx } from '../../src/core/refi/export';
import type { ExportInput } from '../../src/core/refi/export';
import { graphGuidOf } from '../../src/core/refi/graphs';
import { importRefi, importReport } from '../../src/core/refi/import';
import { fixtureFiles, validate } from './refiSupport';
import { testEnv } from './fixtures';
import { MAP_TEXT, mapProject } from './mapFixture';

const refiOptions = () => ({ coder: 'Importør', env: { ...testEnv(), newId: (() => { let n = 0; return () => `dddddddd-0000-4000-8000-${(++n).toString().padStart(12, '0')}`; })() } });

/** The map fixture with a second map (a code at negative coordinates) and an empty third, as an export's input. */
function withMaps(): { input: ExportInput; p: ProjectFile; mapId: string; ids: Record<string, string> } {
  const f = mapProject();
  const env = { now: () => '2026-11-05T12:00:00.000Z', newId: (() => { let n = 0; return () => `aaaaaaaa-0000-4000-8000-${(++n).toString().padStart(12, '0')}`; })() };
  let p = addMap(f.p, 'Savn & <lengsel>', env, [{ code: f.ids.boredom, x: -40, y: -7 }, { code: f.ids.letters, x: 300, y: 0 }]).project;
  p = addMap(p, 'Tomt', env).project;
  const input: ExportInput = { project: p, documents: [{ path: f.documents[0].path, lfText: MAP_TEXT, codings: f.documents[0].codings }], memos: [] };
  return { input, p, mapId: f.mapId, ids: f.ids };
}

const graphsOf = (qde: string) => qde.slice(qde.indexOf('  <Graphs>'), qde.indexOf('</Graphs>') + '</Graphs>'.length);

describe('theory maps in REFI-QDA: <Graphs>', () => {
  it('exports each map as a schema-valid <Graph>: a <Vertex> per code at its position, an <Edge> per Link it draws', function () {
    const { input, p, mapId, ids } = withMaps();
    const out = exportQdpx(input, { lineEnding: 'lf', origin: 'test' });
    validate(this, out.qde);
    assert.equal(out.summary.graphs, 3);
    const graphs = graphsOf(out.qde);
    assert.ok(out.qde.indexOf('</Links>') < out.qde.indexOf('<Graphs>'), 'after the Links, as the schema orders them');
    assert.ok(graphs.includes(`<Graph guid="${mapId}" name="Theory">`));
    assert.ok(graphs.includes('name="Savn &amp; &lt;lengsel&gt;"'));
    assert.match(graphs, /<Graph guid="aaaaaaaa-0000-4000-8000-\d+" name="Tomt"\/>/);
    const cat = p.codes.find((c) => c.id === ids.cat)!;
    assert.ok(graphs.includes(`<Vertex guid="${graphGuidOf.vertex(mapId, ids.cat)}" representedGUID="${ids.cat}" name="Keeping connected" firstX="0" firstY="0" shape="RoundedRectangle" color="${cat.color}"/>`), graphs);
    assert.ok(graphs.includes(`representedGUID="${ids.boredom}" name="boredom" firstX="-40" firstY="-7"`));
    const cause = p.relations!.find((r) => r.label)!;
    assert.ok(
      graphs.includes(
        `<Edge guid="${graphGuidOf.edge(mapId, cause.id)}" representedGUID="${cause.id}" name="is cause of: empty &lt;Sundays&gt; &amp; &quot;calls&quot;" sourceVertex="${graphGuidOf.vertex(mapId, ids.calling)}" targetVertex="${graphGuidOf.vertex(mapId, ids.boredom)}" direction="OneWay"/>`,
      ),
      graphs,
    );
    assert.equal((graphs.match(/<Edge /g) ?? []).length, 3 + 1, 'three on Theory, one (letters contradicts boredom) on the second map');
    assert.equal(exportQdpx(input, { lineEnding: 'lf', origin: 'test' }).qde, out.qde, 'the same bytes every time');
    const stray: ExportInput = { ...input, project: { ...p, maps: p.maps!.map((m) => (m.id === mapId ? { ...m, nodes: [...m.nodes, { code: 'ffffffff-0000-4000-8000-000000000000', x: 1, y: 1 }] } : m)) } };
    const left = exportQdpx(stray, { lineEnding: 'lf', origin: 'test' });
    assert.equal(graphsOf(left.qde), graphs, 'a node of no code is not a vertex');
    assert.ok(left.summary.leftOut.includes('map "Theory": its node ffffffff-0000-4000-8000-000000000000, whose code is not in the codebook'), left.summary.leftOut.join('\n'));
  });

  it('imports the Graphs back as the same maps, nodes and positions, and exports them again byte for byte', () => {
    const { input } = withMaps();
    const out = exportQdpx(input, { lineEnding: 'lf', origin: 'test' });
    const r = importRefi(out.bytes, 'maps.qdpx', refiOptions());
    const project = parseProject(r.files.get('grounded.json')!, 'grounded.json');
    assert.deepEqual(project.maps, input.project.maps);
    assert.equal(r.summary.maps, 3);
    assert.deepEqual(r.summary.notImported.filter((n) => /graph/.test(n)), []);
    assert.deepEqual(r.summary.notes.filter((n) => /graph/.test(n)), []);
    assert.match(importReport(r.summary, 'ut'), /^- 3 theory maps \(from graphs\)$/m);
    const again = exportQdpx({ ...input, project: { ...project, codes: input.project.codes } }, { lineEnding: 'lf', origin: 'test' }).qde;
    assert.equal(graphsOf(again), graphsOf(out.qde));
  });

  it('imports an ATLAS.ti-like network: vertices of codes at their positions rounded; vertices of a source, a note or nothing, and edges of no link, reported', () => {
    const V = (n: number) => `{B7000000-0000-4000-8000-00000000000${n}}`;
    const files = fixtureFiles('atlasti', (path, text) =>
      path === 'project.qde'
        ? text.replace(
            '</Project>',
            '  <Links>\n' +
              '    <Link guid="{C2000000-0000-4000-8000-000000000001}" name="is cause of" direction="OneWay" originGUID="{D1000000-0000-4000-8000-000000000001}" targetGUID="{D1000000-0000-4000-8000-000000000002}"/>\n' +
              '  </Links>\n' +
              '  <Graphs>\n' +
              '    <Graph guid="{A7000000-0000-4000-8000-000000000001}" name="Nettverk">\n' +
              `      <Vertex guid="${V(1)}" representedGUID="{D1000000-0000-4000-8000-000000000001}" name="Skjerme familien" firstX="10.6" firstY="-20.2" secondX="120" secondY="40"/>\n` +
              `      <Vertex guid="${V(2)}" representedGUID="{D1000000-0000-4000-8000-000000000002}" name="Telefon" firstX="300" firstY="12"/>\n` +
              `      <Vertex guid="${V(3)}" representedGUID="{6B1D0E52-7A44-4C09-9E3F-2D8C1B0A9F33}" name="Intervju Lise" firstX="0" firstY="200"/>\n` +
              `      <Vertex guid="${V(4)}" representedGUID="{E1000000-0000-4000-8000-000000000001}" name="Om å skjerme" firstX="100" firstY="200"/>\n` +
              `      <Vertex guid="${V(5)}" name="(kommentar)" firstX="200" firstY="200" shape="Note"/>\n` +
              `      <Edge guid="{B8000000-0000-4000-8000-000000000001}" representedGUID="{C2000000-0000-4000-8000-000000000001}" sourceVertex="${V(1)}" targetVertex="${V(2)}" direction="OneWay"/>\n` +
              `      <Edge guid="{B8000000-0000-4000-8000-000000000002}" sourceVertex="${V(1)}" targetVertex="${V(3)}"/>\n` +
              '    </Graph>\n' +
              '    <Graph guid="{A7000000-0000-4000-8000-000000000002}" name="nettverk">\n' +
              '      <Vertex guid="{B7000000-0000-4000-8000-000000000009}" representedGUID="{D1000000-0000-4000-8000-000000000002}" firstX="5" firstY="5"/>\n' +
              '    </Graph>\n' +
              '  </Graphs>\n</Project>',
          )
        : text,
    );
    const r = importRefi(zipSync(files), 'atlas.qdpx', refiOptions());
    const project = parseProject(r.files.get('grounded.json')!, 'grounded.json');
    assert.deepEqual(project.maps, [
      {
        id: 'a7000000-0000-4000-8000-000000000001',
        name: 'Nettverk',
        nodes: [
          { code: 'd1000000-0000-4000-8000-000000000001', x: 11, y: -20 },
          { code: 'd1000000-0000-4000-8000-000000000002', x: 300, y: 12 },
        ],
      },
      { id: 'a7000000-0000-4000-8000-000000000002', name: 'nettverk (2)', nodes: [{ code: 'd1000000-0000-4000-8000-000000000002', x: 5, y: 5 }] },
    ]);
    assert.equal(r.summary.maps, 2);
    const graphLines = r.summary.notImported.filter((n) => n.startsWith('graph'));
    assert.deepEqual(graphLines, [
      'graph "Nettverk": 3 vertices not imported (1 for a note, 1 for nothing (a shape or a comment), 1 for a source): a Grounded map draws codes and categories, each once',
      'graph "Nettverk": 1 edge that stands for no imported link between the codes of its two vertices: a Grounded map draws the relations between its codes',
    ]);
    assert.ok(r.summary.notes.some((n) => /the graph "nettverk" has the name of the graph "Nettverk" \(ignoring case\).*renamed "nettverk \(2\)"/.test(n)), r.summary.notes.join('\n'));
    assert.ok(!r.summary.notImported.some((n) => /no graphs/.test(n)));
    const report = importReport(r.summary, 'ut');
    assert.match(report, /^- 2 theory maps \(from graphs\)$/m);
    assert.match(report, /graph "Nettverk": 3 vertices not imported/);
  });

  it('says when a map draws a relation the graph had no edge for', () => {
    const { input } = withMaps();
    const out = exportQdpx(input, { lineEnding: 'lf', origin: 'test' });
    const qde = out.qde.replace(/\n\s*<Edge [^>]*name="contradicts"[^>]*\/>/, '');
    assert.notEqual(qde, out.qde);
    const r = importRefi(new TextEncoder().encode(qde), 'x.qde', refiOptions());
    assert.ok(r.summary.notes.some((n) => /^graph "(Theory|Savn & <lengsel>)": the map also draws 1 relation between its codes that the graph had no edge for/.test(n)), r.summary.notes.join('\n'));
  });
});
