// A theory map drawn (core/mapSvg.ts): the geometry the webview and the SVG share, and the SVG itself.
import * as assert from 'node:assert/strict';
import type { ProjectFile } from '../../src/core/model';
import { addMap } from '../../src/core/maps';
import { MAP_LAYOUT, mapFileNames, mapGeometry, renderMapSvg } from '../../src/core/mapSvg';
import { renameCode } from '../../src/core/codebook';
import { parseXml } from '../../src/core/refi/xml';
import type { XmlElement } from '../../src/core/refi/xml';
import { analyse } from '../../src/core/analysis';
import { buildExport } from '../../src/core/exports';
import { parsePseudonyms } from '../../src/core/pseudonyms';
import { renderReportHtml, renderReportMarkdown } from '../../src/core/report';
import type { ReportInput } from '../../src/core/report';
import { MAP_TEXT, mapProject } from './mapFixture';

const all = (el: XmlElement, name: string, out: XmlElement[] = []): XmlElement[] => {
  if (el.name === name) out.push(el);
  for (const c of el.children) all(c, name, out);
  return out;
};
const byClass = (el: XmlElement, cls: string): XmlElement[] => all(el, 'g').filter((g) => (g.attrs.class ?? '').split(' ').includes(cls));
const titleOf = (g: XmlElement) => g.children.find((c) => c.name === 'title')?.text;

describe('theory map geometry (core/mapSvg.ts mapGeometry)', () => {
  it('puts each box with its top left at the node, shows a code its own segments and a category the total with its subcodes', () => {
    const { p, analysis, mapId, ids } = mapProject();
    const g = mapGeometry(p, analysis.counts, mapId);
    const box = (id: string) => g.nodes.find((n) => n.code.id === id)!;
    assert.deepEqual([box(ids.calling).x, box(ids.calling).y], [-200, 200]);
    assert.equal(box(ids.calling).count, 2);
    assert.equal(box(ids.letters).count, 1);
    assert.equal(box(ids.cat).category, true);
    assert.equal(box(ids.cat).count, 3, 'the category: 2 + 1 from its subcodes');
    assert.equal(box(ids.cat).countText, '3 segments');
    assert.equal(box(ids.boredom).category, false);
    for (const n of g.nodes) {
      assert.ok(n.width >= MAP_LAYOUT.minWidth && n.width <= MAP_LAYOUT.maxWidth, `${n.code.name}: ${n.width}`);
      assert.equal(n.height, 2 * MAP_LAYOUT.padY + n.lines.length * MAP_LAYOUT.line + MAP_LAYOUT.countLine);
    }
  });

  it('draws each relation from the edge of one box to the edge of the other, side by side between the same two codes', () => {
    const { p, analysis, mapId, ids } = mapProject();
    const g = mapGeometry(p, analysis.counts, mapId);
    assert.equal(g.edges.length, 3);
    const onBorder = (pt: { x: number; y: number }, id: string) => {
      const b = g.nodes.find((n) => n.code.id === id)!;
      const near = (a: number, c: number) => Math.abs(a - c) < 1e-6;
      const inX = pt.x >= b.x - 1e-6 && pt.x <= b.x + b.width + 1e-6;
      const inY = pt.y >= b.y - 1e-6 && pt.y <= b.y + b.height + 1e-6;
      return inX && inY && (near(pt.x, b.x) || near(pt.x, b.x + b.width) || near(pt.y, b.y) || near(pt.y, b.y + b.height));
    };
    for (const e of g.edges) {
      assert.ok(onBorder(e.from, e.relation.source), `${e.title}: starts on its source's border`);
      assert.ok(onBorder(e.to, e.relation.target), `${e.title}: ends on its target's border`);
    }
    const between = g.edges.filter((e) => [e.relation.source, e.relation.target].sort().join() === [ids.calling, ids.boredom].sort().join());
    assert.equal(between.length, 2);
    const [a, b] = between;
    // the distance of a's start from the line of b
    const [dx, dy] = [b.to.x - b.from.x, b.to.y - b.from.y];
    const gap = Math.abs(dx * (a.from.y - b.from.y) - dy * (a.from.x - b.from.x)) / Math.hypot(dx, dy);
    assert.ok(Math.abs(gap - MAP_LAYOUT.parallel) < 0.5, `two relations of one pair drawn ${MAP_LAYOUT.parallel} px apart, got ${gap}`);
    assert.ok(Math.hypot(a.mid.x - b.mid.x, a.mid.y - b.mid.y) > 40, 'their labels staggered along them');
    assert.deepEqual(g.edges.map((e) => e.arrow).sort(), [false, false, true], 'one one-way type, two symmetric');
  });

  it('leaves out a node whose code is not in the codebook and throws for a map that does not exist', () => {
    const { p, analysis, mapId } = mapProject();
    const broken: ProjectFile = { ...p, maps: p.maps!.map((m) => ({ ...m, nodes: [...m.nodes, { code: 'ffffffff-0000-4000-8000-000000000000', x: 5, y: 5 }] })) };
    assert.equal(mapGeometry(broken, analysis.counts, mapId).nodes.length, 4);
    assert.throws(() => mapGeometry(p, analysis.counts, 'nope'), /no theory map with id nope/);
  });
});

describe('theory map as SVG (core/mapSvg.ts renderMapSvg)', () => {
  it('gives the same bytes every time, whatever the order of the nodes in the file', () => {
    const { p, analysis, mapId } = mapProject();
    const svg = renderMapSvg(p, analysis, mapId);
    assert.equal(renderMapSvg(p, analysis, mapId), svg);
    const shuffled: ProjectFile = { ...p, maps: p.maps!.map((m) => ({ ...m, nodes: [...m.nodes].reverse() })) };
    assert.equal(renderMapSvg(shuffled, analysis, mapId), svg, 'drawn in code order, not file order');
    assert.ok(svg.endsWith('</svg>\n'));
    assert.ok(!/\d\.\d\d/.test(svg), 'numbers to one decimal at most');
    assert.ok(!svg.includes('NaN') && !svg.includes('Infinity'));
  });

  it('is well-formed XML with a title, a box and a title per node, an arrow and a title per relation, an arrowhead only on one-way types', () => {
    const { p, analysis, mapId } = mapProject();
    const svg = renderMapSvg(p, analysis, mapId);
    const root = parseXml(svg, 'map.svg');
    assert.equal(root.name, 'svg');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="theory-map" width="[\d.]+" height="[\d.]+" viewBox="-?[\d.]+ -?[\d.]+ [\d.]+ [\d.]+" role="img" aria-label="Theory map: Theory"/);
    assert.equal(root.children[0].name, 'title');
    assert.equal(root.children[0].text, 'Theory map: Theory');
    const nodes = byClass(root, 'node');
    assert.deepEqual(nodes.map(titleOf).sort(), ['Keeping connected (category): 3 segments', 'boredom: 1 segment', 'calling home: 2 segments', 'letters: 1 segment'].sort());
    const category = byClass(root, 'category');
    assert.equal(category.length, 1);
    assert.equal(all(category[0], 'rect')[0].attrs['stroke-width'], '3');
    assert.equal(all(category[0], 'text')[0].attrs['font-weight'], 'bold');
    assert.equal(all(byClass(root, 'node').find((g) => titleOf(g)!.startsWith('letters'))!, 'rect')[0].attrs['stroke-width'], '1.5');
    const edges = byClass(root, 'edge');
    assert.equal(edges.length, 3);
    assert.deepEqual(edges.map(titleOf).sort(), [
      'boredom contradicts calling home',
      'calling home is cause of boredom “empty <Sundays> & "calls"”',
      'letters contradicts boredom',
    ]);
    const lines = edges.map((g) => all(g, 'line')[0]);
    const marked = lines.filter((l) => l.attrs['marker-end']);
    assert.equal(marked.length, 1, 'only the one-way relation has an arrowhead');
    const marker = all(root, 'marker');
    assert.equal(marker.length, 1);
    assert.equal(marked[0].attrs['marker-end'], `url(#${marker[0].attrs.id})`);
    assert.equal(marker[0].attrs.id, `arrow-${mapId}`, 'one id per map, so several maps can be inline in one HTML page');
    const labels = all(root, 'g').filter((g) => g.attrs.class === 'edge-label').map((g) => all(g, 'text').map((t) => t.text));
    assert.deepEqual(labels.sort(), [['contradicts'], ['contradicts'], ['is cause of', '“empty <Sundays> & "calls"”']].sort());
  });

  it("draws a merge's other version of a relation (conflictOf) dashed and says so in its title", () => {
    const { p, analysis, mapId } = mapProject();
    const [first, ...rest] = p.relations!;
    const other = { ...first, id: 'eeeeeeee-0000-4000-8000-000000000001', label: 'theirs', conflictOf: first.id };
    const svg = renderMapSvg({ ...p, relations: [first, other, ...rest] }, analysis, mapId);
    const conflict = byClass(parseXml(svg, 'm.svg'), 'conflict');
    assert.equal(conflict.length, 1);
    assert.equal(titleOf(conflict[0]), 'calling home is cause of boredom “theirs” (merge conflict)');
    assert.equal(all(conflict[0], 'line')[0].attrs['stroke-dasharray'], '6 4');
  });

  it('escapes names, labels and map names, and drops characters XML does not allow', () => {
    const { p, analysis, mapId, ids } = mapProject();
    const q: ProjectFile = { ...renameCode(p, ids.boredom, 'A & <B> "c" \'d\''), maps: p.maps!.map((m) => ({ ...m, name: 'Map <1> & "2"\u0007' })) };
    const svg = renderMapSvg(q, analysis, mapId);
    assert.ok(svg.includes('A &amp; &lt;B&gt; &quot;c&quot; &#39;d&#39;'));
    assert.ok(svg.includes('empty &lt;Sundays&gt; &amp; &quot;calls&quot;'));
    assert.ok(!svg.includes('<B>') && !svg.includes('\u0007'));
    const root = parseXml(svg, 'map.svg');
    assert.equal(root.children[0].text, 'Theory map: Map <1> & "2"');
    assert.ok(byClass(root, 'node').some((g) => all(g, 'text')[0].text === 'A & <B> "c" \'d\''));
  });

  it('fits the viewBox to the boxes and labels with a margin of 24', () => {
    const { p, analysis, mapId } = mapProject();
    const g = mapGeometry(p, analysis.counts, mapId);
    const svg = renderMapSvg(p, analysis, mapId);
    const [x, y, w, h] = /viewBox="([^"]+)"/.exec(svg)![1].split(' ').map(Number);
    const round = (n: number) => Math.round(n * 10) / 10;
    assert.deepEqual([x, y, w, h], [round(g.bounds.x - 24), round(g.bounds.y - 24), round(g.bounds.width + 48), round(g.bounds.height + 48)]);
    for (const n of g.nodes) assert.ok(n.x >= x && n.y >= y && n.x + n.width <= x + w && n.y + n.height <= y + h, `${n.code.name} inside the viewBox`);
    assert.ok(g.nodes.some((n) => n.x === g.bounds.x), 'the leftmost box touches the bounds');
  });

  it('wraps a long name onto two lines and cuts the rest with an ellipsis', () => {
    const { p, analysis, mapId, ids } = mapProject();
    const long = renameCode(p, ids.letters, 'letters and parcels sent from home to the prison every second week of the long winter');
    const box = mapGeometry(long, analysis.counts, mapId).nodes.find((n) => n.code.id === ids.letters)!;
    assert.equal(box.lines.length, 2);
    assert.ok(box.lines[1].endsWith('…'));
    assert.ok(box.width > 180 && box.width <= MAP_LAYOUT.maxWidth, `${box.width}`);
  });

  it('writes the fixed words and built-in type names in the report language', () => {
    const { p, analysis, mapId } = mapProject();
    const nb = renderMapSvg(p, analysis, mapId, { language: 'nb' });
    assert.ok(nb.includes('<title>Teorikart: Theory</title>'));
    assert.ok(nb.includes('2 segmenter'));
    assert.ok(nb.includes('er årsak til'));
    assert.ok(nb.includes('«empty &lt;Sundays&gt; &amp; &quot;calls&quot;»'));
    const fromProject = renderMapSvg({ ...p, settings: { ...p.settings, reportLanguage: 'nb' } }, analysis, mapId);
    assert.equal(fromProject, nb);
  });

  it('draws an empty map as a small empty picture', () => {
    const { p, analysis } = mapProject();
    const env = { now: () => '2026-11-05T12:00:00.000Z', newId: () => '11111111-1111-4111-8111-111111111111' };
    const empty = addMap(p, 'Empty', env);
    const svg = renderMapSvg(empty.project, analysis, empty.map.id);
    assert.match(svg, /viewBox="-24 -24 48 48"/);
    assert.equal(byClass(parseXml(svg, 'e.svg'), 'node').length, 0);
  });

  it('names each map file map-<slug>.svg, unique', () => {
    const maps = [
      { id: 'a1', name: 'Hele teorien', nodes: [] },
      { id: 'b2', name: 'Hele  teorien!', nodes: [] },
      { id: 'c3', name: 'Ærlig på øya, så', nodes: [] },
      { id: 'd4d4d4d4-0000', name: '★★', nodes: [] },
    ];
    assert.deepEqual([...mapFileNames(maps).values()], ['map-hele-teorien.svg', 'map-hele-teorien-2.svg', 'map-aerlig-pa-oya-sa.svg', 'map-d4d4d4d4.svg']);
  });
});

describe('theory maps in the report (core/report.ts, core/exports.ts)', () => {
  const inputOf = (p: ProjectFile, documents: ReturnType<typeof mapProject>['documents']): ReportInput => ({ project: p, documents, memos: [], textOf: () => MAP_TEXT });

  it('puts each map inline in the HTML report as a figure captioned with its name, right before the Relations', () => {
    const { p, documents, mapId, analysis } = mapProject();
    const html = renderReportHtml(inputOf(p, documents));
    const figure = html.indexOf(`<figure class="map" id="map-${mapId}">`);
    assert.ok(figure > 0, 'the figure is there');
    const svg = renderMapSvg(p, analysis, mapId).trimEnd();
    assert.ok(html.includes(`<figure class="map" id="map-${mapId}">\n${svg}\n<figcaption>Theory map: Theory</figcaption>\n</figure>`), 'the map drawn as renderMapSvg draws it');
    assert.ok(html.indexOf('<h2>Theory maps</h2>') < figure);
    assert.ok(figure < html.indexOf('<h2>Relations</h2>'), 'before the Relations section');
    assert.ok(!/<svg[^>]*>[\s\S]*<script/i.test(html));
  });

  it('writes map-<slug>.svg beside report.md and links it; the export applies the pseudonym table to it', () => {
    const { p: p0, documents, mapId, ids } = mapProject();
    const p = renameCode(p0, ids.boredom, 'Kari is bored');
    const table = parsePseudonyms('{\n  "version": 1,\n  "names": [\n    {"real":"Kari","pseudonym":"Sara"}\n  ]\n}\n', 'pseudonyms.json');
    const { files, realNames } = buildExport(inputOf(p, documents), ['report'], table);
    assert.deepEqual(files.map((f) => f.name), ['report.md', 'report.html', 'saturation.svg', 'map-theory.svg']);
    const md = files.find((f) => f.name === 'report.md')!.text;
    assert.ok(md.includes('## Theory maps\n\n![Theory map: Theory](map-theory.svg)\n\n*Theory map: Theory*\n\n## Relations'), md);
    const svg = files.find((f) => f.name === 'map-theory.svg')!.text;
    assert.ok(svg.includes('Sara is bored') && !svg.includes('Kari'), 'the pseudonym table applied');
    assert.deepEqual(realNames, []);
    assert.equal(svg, renderMapSvg(p, analyse({ project: p, documents, textOf: () => MAP_TEXT }), mapId).replace(/Kari/g, 'Sara'));
  });

  it('names no map file after a real name: the pseudonym table is applied to the name before it becomes the file name', () => {
    const { p: p0, documents } = mapProject();
    const p: ProjectFile = { ...p0, maps: p0.maps!.map((m) => ({ ...m, name: "Kari's world" })) };
    const table = parsePseudonyms('{\n  "version": 1,\n  "names": [\n    {"real":"Kari","pseudonym":"Deltaker 01"}\n  ]\n}\n', 'pseudonyms.json');
    const { files, realNames } = buildExport(inputOf(p, documents), ['report'], table);
    assert.deepEqual(files.map((f) => f.name), ['report.md', 'report.html', 'saturation.svg', 'map-deltaker-01-s-world.svg']);
    assert.ok(files[0].text.includes("![Theory map: Deltaker 01's world](map-deltaker-01-s-world.svg)"), files[0].text);
    assert.deepEqual(realNames, []);
  });

  it('has no maps section or map files without maps, and leaves out a map with no code of the codebook on it', () => {
    const { p, documents } = mapProject();
    const none: ProjectFile = { ...p };
    delete none.maps;
    const { files } = buildExport(inputOf(none, documents), ['report'], parsePseudonyms('{\n  "version": 1,\n  "names": []\n}\n', 'pseudonyms.json'));
    assert.deepEqual(files.map((f) => f.name), ['report.md', 'report.html', 'saturation.svg']);
    assert.ok(!files[0].text.includes('Theory map'));
    const empty = addMap(p, 'Empty', { now: () => '2026-11-05T12:00:00.000Z', newId: () => '22222222-2222-4222-8222-222222222222' }).project;
    const md = renderReportMarkdown(inputOf(empty, documents), { mapImages: true });
    assert.ok(!md.includes('Empty'), 'an empty map is not a figure');
    assert.ok(md.includes('![Theory map: Theory](map-theory.svg)'));
    assert.ok(renderReportMarkdown(inputOf(empty, documents)).includes('*Theory map: Theory*\n'), 'without the files: the caption only');
  });
});
