// The Theory Map panel in a real VS Code: Open Theory Map in a project without maps asks a name and
// opens the new map's webview (it loads and asks for its data); Add to Theory Map puts codes on it with
// the counts of the one analysis; the page's messages (as the webview sends them) move nodes, relate
// two of them and take one off, each written to grounded.json; one Undo puts a drag of several nodes
// back; Rename and Delete Theory Map work and say why when there is nothing to act on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectFile } from '../../../src/core/model';
import { mapGeometry, renderMapSvg } from '../../../src/core/mapSvg';
import type { GroundedApi } from '../../../src/vscode/main';
import type { MapHostMessage, MapPanelData } from '../../../src/shared/webviewProtocol';
import { groundedApi, until, workspaceRoot } from './helpers';

const projectPath = () => path.join(workspaceRoot(), 'grounded.json');
const projectFile = (): ProjectFile => JSON.parse(fs.readFileSync(projectPath(), 'utf8'));
const mapOnDisk = (id: string) => projectFile().maps?.find((m) => m.id === id);

describe('Theory map', function () {
  this.timeout(90000);
  let g: GroundedApi;
  let saved: string;
  let mapId = '';
  /** memo files the tests made (removed after) */
  const made: string[] = [];
  const realInput = vscode.window.showInputBox;
  const realPick = vscode.window.showQuickPick;
  const realWarning = vscode.window.showWarningMessage;
  const code = (name: string) => {
    const c = g.project.project!.codes.find((x) => x.name === name);
    assert.ok(c, `the sample has the code ${name}`);
    return c;
  };
  /** The newest data the host sent the map's page. */
  const lastData = (): MapPanelData | undefined =>
    g.maps.posted
      .filter((p): p is { mapId: string; message: Extract<MapHostMessage, { type: 'mapData' }> } => p.mapId === mapId && p.message.type === 'mapData')
      .at(-1)?.message.data;

  before(async () => {
    g = await groundedApi();
    await g.index.ready;
    saved = fs.readFileSync(projectPath(), 'utf8');
  });
  afterEach(() => {
    (vscode.window as { showInputBox: unknown }).showInputBox = realInput;
    (vscode.window as { showQuickPick: unknown }).showQuickPick = realPick;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = realWarning;
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of made) fs.rmSync(f, { force: true });
    fs.writeFileSync(projectPath(), saved);
    await g.project.refresh();
    await until('the sample project back', () => !g.project.project?.maps);
  });

  it('Rename Theory Map says why when the project has no map yet', async () => {
    assert.equal(projectFile().maps, undefined, 'the sample has no maps');
    const before = g.shownNotifications().length;
    await vscode.commands.executeCommand('grounded.renameTheoryMap');
    const shown = await until('a warning', () => g.shownNotifications().slice(before).find((n) => n.severity === 'warning'));
    assert.match(shown.message, /no theory map yet/);
    assert.deepEqual(shown.actions.map((a) => a.title), ['New Theory Map…']);
  });

  it('Open Theory Map without maps asks a name, writes the map and opens its webview, which asks for its data', async () => {
    const asked: vscode.InputBoxOptions[] = [];
    (vscode.window as { showInputBox: unknown }).showInputBox = async (options: vscode.InputBoxOptions) => {
      asked.push(options);
      assert.equal(await options.validateInput?.('  '), 'A theory map needs a name.');
      return 'Theory';
    };
    mapId = (await vscode.commands.executeCommand<string>('grounded.openTheoryMap'))!;
    assert.ok(mapId, 'a map was made');
    assert.equal(asked.length, 1);
    assert.deepEqual(mapOnDisk(mapId), { id: mapId, name: 'Theory', nodes: [] });
    await until('the map page loaded and asked for its data', () => g.maps.isReady(mapId), 60000);
    const data = await until('its data', lastData);
    assert.equal(data.name, 'Theory');
    assert.equal(data.nodes.length, 0);
    assert.match(data.note ?? '', /This map is empty/);
    assert.ok(g.maps.received.some((m) => m.type === 'mapReady' && m.mapId === mapId), 'the page said it is ready with its map id');
  });

  it('Add to Theory Map puts codes at free spots; the page gets each with its colour, the analysis count and its label', async () => {
    const time = code('Managing time');
    const days = code('Counting the days backwards');
    const trust = code('Trust in officers');
    await vscode.commands.executeCommand('grounded.addToTheoryMap', { codeIds: [time.id, days.id, trust.id], mapId });
    const nodes = mapOnDisk(mapId)!.nodes;
    assert.equal(nodes.length, 3);
    const spots = new Set(nodes.map((n) => `${n.x},${n.y}`));
    assert.equal(spots.size, 3, 'three different places');
    const data = await until('the three nodes on the page', () => (lastData()?.nodes.length === 3 ? lastData() : undefined));
    const counts = g.session.analysis()!.counts;
    const timeNode = data.nodes.find((n) => n.code === time.id)!;
    assert.equal(timeNode.category, true);
    assert.equal(timeNode.count, counts.get(time.id)!.totalSegments, 'a category counts with its subcodes');
    assert.ok(timeNode.count > counts.get(days.id)!.segments, 'more than one of its subcodes');
    assert.equal(timeNode.aria, `Managing time, category, ${timeNode.count} segments`);
    assert.equal(timeNode.color, time.color);
    const daysNode = data.nodes.find((n) => n.code === days.id)!;
    assert.equal(daysNode.category, false);
    assert.equal(daysNode.aria, `Counting the days backwards, code, ${counts.get(days.id)!.segments} segments`);
    // Each box as the SVG export lays it out (core/mapSvg.ts): the panel and the exported figure match.
    const geometry = mapGeometry(g.session.analysis()!.project, counts, mapId);
    const sizes = (rows: [string, number, number, string[]][]) => rows.sort((x, y) => (x[0] < y[0] ? -1 : 1));
    assert.deepEqual(sizes(data.nodes.map((n) => [n.code, n.width, n.height, n.lines])), sizes(geometry.nodes.map((b) => [b.code.id, b.width, b.height, b.lines])));
    // Putting a code on a map twice keeps it where it is.
    await vscode.commands.executeCommand('grounded.addToTheoryMap', { codeIds: [days.id], mapId });
    assert.deepEqual(mapOnDisk(mapId)!.nodes, nodes);
  });

  it('from the Codes view\'s context menu (the clicked code and the selection) it puts the selected codes on the map', async () => {
    const watched = code('Feeling watched');
    const phone = code('Phone calls and messages');
    const only = (await vscode.commands.executeCommand<string>('grounded.addToTheoryMap', watched, [phone, watched]))!;
    assert.equal(only, mapId, 'the only map, without asking');
    const nodes = mapOnDisk(mapId)!.nodes;
    assert.ok(nodes.some((n) => n.code === watched.id) && nodes.some((n) => n.code === phone.id), 'both selected codes');
    await g.maps.handle(mapId, { type: 'mapRemove', mapId, codes: [watched.id, phone.id] });
    assert.equal(mapOnDisk(mapId)!.nodes.length, 3);
  });

  it('a drag (the page sends the final place) writes the whole-pixel place to grounded.json', async () => {
    const days = code('Counting the days backwards');
    await g.maps.handle(mapId, { type: 'mapMove', mapId, nodes: [{ code: days.id, x: 512.4, y: 301.6 }] });
    assert.deepEqual(mapOnDisk(mapId)!.nodes.find((n) => n.code === days.id), { code: days.id, x: 512, y: 302 });
    await until('the page told the new place', () => lastData()?.nodes.find((n) => n.code === days.id && n.x === 512 && n.y === 302));
  });

  it('dragging several selected nodes is one transaction: one Undo puts them all back', async () => {
    const time = code('Managing time');
    const trust = code('Trust in officers');
    const before = mapOnDisk(mapId)!.nodes;
    const was = (id: string) => before.find((n) => n.code === id)!;
    await g.maps.handle(mapId, {
      type: 'mapMove',
      mapId,
      nodes: [
        { code: time.id, x: was(time.id).x + 100, y: was(time.id).y + 40 },
        { code: trust.id, x: was(trust.id).x + 100, y: was(trust.id).y + 40 },
      ],
    });
    assert.equal(mapOnDisk(mapId)!.nodes.find((n) => n.code === trust.id)!.x, was(trust.id).x + 100);
    assert.equal(mapOnDisk(mapId)!.nodes.find((n) => n.code === time.id)!.y, was(time.id).y + 40);
    await vscode.commands.executeCommand('grounded.undo');
    assert.deepEqual(mapOnDisk(mapId)!.nodes, before, 'both nodes back where they were');
    await until('the page drew them back', () => lastData()?.nodes.find((n) => n.code === trust.id && n.x === was(trust.id).x));
  });

  it('relating two nodes (drag from one onto another) asks the type and writes the relation; the arrow comes with its label', async () => {
    const time = code('Managing time');
    const trust = code('Trust in officers');
    const asked: string[][] = [];
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly (vscode.QuickPickItem & { type?: { id: string } })[]) => {
      asked.push(items.map((i) => i.label));
      return items.find((i) => i.label === 'is a strategy for');
    };
    await g.maps.handle(mapId, { type: 'mapRelate', mapId, source: time.id, target: trust.id });
    assert.equal(asked.length, 1, 'one question: the type');
    assert.ok(asked[0].includes('is cause of') && asked[0].includes('is associated with'), 'the built-in types offered');
    const relations = projectFile().relations ?? [];
    assert.equal(relations.length, 1);
    assert.deepEqual(
      { source: relations[0].source, target: relations[0].target, type: relations[0].type, author: relations[0].author },
      { source: time.id, target: trust.id, type: '9e1a7100-0000-4000-8000-000000000005', author: 'Eli Test' },
    );
    const data = await until('the arrow on the page', () => (lastData()?.edges.length ? lastData() : undefined));
    assert.deepEqual(
      { typeName: data.edges[0].typeName, symmetric: data.edges[0].symmetric, conflict: data.edges[0].conflict, aria: data.edges[0].aria },
      { typeName: 'is a strategy for', symmetric: false, conflict: false, aria: 'Managing time is a strategy for Trust in officers, 0 evidence' },
    );
    assert.ok(g.maps.posted.some((p) => p.mapId === mapId && p.message.type === 'mapSelect' && p.message.relation === relations[0].id), 'the new arrow is selected');
  });

  it('a relation that breaks an invariant (the same one again) is refused with a message, and nothing is written', async () => {
    const time = code('Managing time');
    const trust = code('Trust in officers');
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly vscode.QuickPickItem[]) => items.find((i) => i.label === 'is a strategy for');
    const before = fs.readFileSync(projectPath(), 'utf8');
    const errors = g.shownErrors().length;
    await g.maps.handle(mapId, { type: 'mapRelate', mapId, source: time.id, target: trust.id });
    const shown = await until('an error', () => g.shownErrors().slice(errors)[0]);
    assert.match(shown, /is already a relation/);
    assert.equal(fs.readFileSync(projectPath(), 'utf8'), before);
    assert.ok(g.maps.posted.some((p) => p.mapId === mapId && p.message.type === 'mapError' && /already a relation/.test(p.message.message)), 'the page shows it too');
  });

  it('R on a node asks the target among the map\'s other nodes, then the type (symmetric: no arrowhead)', async () => {
    const days = code('Counting the days backwards');
    const trust = code('Trust in officers');
    const asked: string[][] = [];
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly vscode.QuickPickItem[]) => {
      asked.push(items.map((i) => i.label));
      return asked.length === 1 ? items.find((i) => i.label === 'Trust in officers') : items.find((i) => i.label === 'is associated with');
    };
    await g.maps.handle(mapId, { type: 'mapRelate', mapId, source: days.id });
    assert.deepEqual(asked[0], ['Managing time', 'Trust in officers'], 'the other nodes of the map, by name');
    const data = await until('two arrows', () => (lastData()?.edges.length === 2 ? lastData() : undefined));
    const edge = data.edges.find((e) => e.source === days.id && e.target === trust.id);
    assert.ok(edge, 'the second arrow');
    assert.equal(edge.symmetric, true);
  });

  it('Enter on a node shows its segments in the Segments view; M opens its memo; an arrow\'s memo is made, opened and marked', async () => {
    const time = code('Managing time');
    await g.maps.handle(mapId, { type: 'mapSegments', code: time.id });
    await until('the Segments view on the category', () => g.segments.shownCodeId === time.id);
    await g.maps.handle(mapId, { type: 'mapMemo', code: time.id });
    const codeMemo = await until('the code memo open', () => {
      const doc = vscode.window.activeTextEditor?.document;
      return doc && /[\\/]memos[\\/]/.test(doc.uri.fsPath) && doc.getText().includes('Managing time') && doc.uri.fsPath;
    });
    const relation = lastData()!.edges.find((e) => e.source === time.id)!;
    assert.equal(relation.hasMemo, false);
    await g.maps.handle(mapId, { type: 'mapRelationMemo', relation: relation.id });
    const relationMemo = await until('the relation memo open', () => {
      const doc = vscode.window.activeTextEditor?.document;
      return doc && doc.uri.fsPath !== codeMemo && /[\\/]memos[\\/]/.test(doc.uri.fsPath) && doc.uri.fsPath;
    });
    made.push(codeMemo, relationMemo);
    assert.match(fs.readFileSync(relationMemo, 'utf8'), new RegExp(`target: relation:${relation.id}`));
    assert.match(fs.readFileSync(relationMemo, 'utf8'), /# Managing time is a strategy for Trust in officers/);
    await until('the arrow marked as having a memo', () => lastData()?.edges.find((e) => e.id === relation.id)?.hasMemo);
    // Show Evidence on an arrow: the relation selected in the Relations view, with its evidence below it.
    await g.maps.handle(mapId, { type: 'mapEvidence', relation: relation.id });
    await until('the relation selected in the Relations view', () => g.relations.view.selection[0]?.relationId === relation.id && g.relations.view.visible);
  });

  it('the page follows the codebook: a code renamed (and renamed back with Undo) is redrawn with its new name', async () => {
    const days = code('Counting the days backwards');
    await vscode.commands.executeCommand('grounded.renameCode', { codeId: days.id, name: 'Counting down the days' });
    await until('the new name on the page', () => lastData()?.nodes.find((n) => n.code === days.id)?.name === 'Counting down the days');
    assert.match(lastData()!.edges.find((e) => e.source === days.id)!.aria, /^Counting down the days is associated with Trust in officers/);
    await vscode.commands.executeCommand('grounded.undo');
    await until('the old name back', () => lastData()?.nodes.find((n) => n.code === days.id)?.name === 'Counting the days backwards');
  });

  it('Export Theory Map writes the SVG the report has (boxes, labelled arrows) and a PNG of it drawn by the map\'s page at twice its size', async () => {
    const analysis = g.session.analysis()!;
    const expected = renderMapSvg(analysis.project, analysis, mapId);
    const errors = g.shownErrors().length;
    const warnings = g.shownNotifications().length;
    const svgUri = await vscode.commands.executeCommand<vscode.Uri>('grounded.exportTheoryMap', { mapId, format: 'svg', uri: 'exports/e2e-theory-map.svg' });
    assert.ok(svgUri, `the SVG written: ${[...g.shownErrors().slice(errors), ...g.shownNotifications().slice(warnings).map((n) => n.message)].join('\n')}`);
    made.push(svgUri.fsPath);
    const svg = fs.readFileSync(svgUri.fsPath, 'utf8');
    assert.equal(svg, expected, 'the drawing of the report and of grounded map --svg');
    const data = lastData()!;
    assert.equal(svg.match(/<g class="node/g)?.length, data.nodes.length);
    assert.equal(svg.match(/<g class="edge /g)?.length, data.edges.length);
    for (const n of data.nodes) assert.ok(svg.includes(`<title>${n.name}`), `a box for ${n.name}`);
    const pngUri = await vscode.commands.executeCommand<vscode.Uri>('grounded.exportTheoryMap', { mapId, format: 'png', uri: 'exports/e2e-theory-map.png' });
    assert.ok(pngUri, `the PNG written: ${[...g.shownErrors().slice(errors), ...g.shownNotifications().slice(warnings).map((n) => n.message)].join('\n')}`);
    made.push(pngUri.fsPath);
    const png = fs.readFileSync(pngUri.fsPath);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    const width = Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
    const height = Number(/^<svg[^>]* height="([\d.]+)"/.exec(svg)![1]);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [Math.ceil(width * 2), Math.ceil(height * 2)], 'twice the size of the SVG');
    assert.ok(png.length > 5000, `a drawing, not an empty image (${png.length} bytes)`);
    // An empty map has nothing to export, and says so.
    const empty = (await g.session.session.addMap('e2e empty map')).map;
    const before = g.shownNotifications().length;
    assert.equal(await vscode.commands.executeCommand('grounded.exportTheoryMap', { mapId: empty.id, format: 'svg', uri: 'exports/x.svg' }), undefined);
    assert.match(g.shownNotifications().slice(before).map((n) => n.message).join('\n'), /"e2e empty map" is empty: there is nothing to export/);
    await g.session.session.history.undo();
    assert.ok(!fs.existsSync(path.join(workspaceRoot(), 'exports', 'x.svg')));
  });

  it('Delete on a node takes it off the map (its code stays in the codebook, its arrows leave the map)', async () => {
    const trust = code('Trust in officers');
    await g.maps.handle(mapId, { type: 'mapRemove', mapId, codes: [trust.id] });
    assert.ok(!mapOnDisk(mapId)!.nodes.some((n) => n.code === trust.id));
    assert.ok(projectFile().codes.some((c) => c.id === trust.id), 'still in the codebook');
    assert.equal(projectFile().relations?.length, 2, 'its relations stay in the project');
    await until('the page without it and its arrows', () => lastData()?.nodes.length === 2 && lastData()?.edges.length === 0);
  });

  it('Rename and Delete Theory Map: the panel follows the name; Delete asks, and Undo brings the map back', async () => {
    await vscode.commands.executeCommand('grounded.renameTheoryMap', { mapId, name: 'Theory of waiting' });
    assert.equal(mapOnDisk(mapId)!.name, 'Theory of waiting');
    await until('the page told the new name', () => lastData()?.name === 'Theory of waiting');
    const warned: string[] = [];
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (message: string, _options: unknown, ...items: string[]) => {
      warned.push(message);
      return items[0];
    };
    assert.equal(await vscode.commands.executeCommand('grounded.deleteTheoryMap', { mapId }), true);
    assert.deepEqual(warned, ['Delete the theory map "Theory of waiting"?']);
    assert.equal(mapOnDisk(mapId), undefined);
    assert.ok(!g.maps.openMaps.includes(mapId), 'its panel closed');
    await vscode.commands.executeCommand('grounded.undo');
    assert.equal(mapOnDisk(mapId)?.name, 'Theory of waiting');
  });
});
