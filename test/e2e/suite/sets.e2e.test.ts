// Sets: a set made with New Set appears under "Sets" in the Documents view and in grounded.json; the
// Segments view filtered by it lists only its transcripts (the filter kept as personal state, not in a
// file); the matrices get it through their protocol; Undo takes the set away again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectFile } from '../../../src/core/model';
import type { GroundedApi } from '../../../src/vscode/main';
import type { ShownItem } from '../../../src/vscode/segmentsView';
import { groundedApi, sleep, until, workspaceRoot } from './helpers';

const CATEGORY = 'Managing time';
const SET = 'e2e Første runde';

const projectOnDisk = (): ProjectFile => JSON.parse(fs.readFileSync(path.join(workspaceRoot(), 'grounded.json'), 'utf8')) as ProjectFile;
/** Polls an async probe until it gives something truthy (the Documents view's rows are computed asynchronously). */
async function untilAsync<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const labels = (items: readonly ShownItem[] | undefined) => (items ?? []).map((i) => i.label);

describe('Sets', function () {
  this.timeout(60000);
  let g: GroundedApi;

  before(async () => {
    g = await groundedApi();
  });

  after(async () => {
    await vscode.commands.executeCommand('grounded.filterSegmentsBySet', { setId: null });
    const left = projectOnDisk().sets?.find((k) => k.name === SET);
    if (left) await vscode.commands.executeCommand('grounded.deleteSet', { setId: left.id });
  });

  it('New Set shows the set in the Documents view; Filter Segments by Set limits the rows; Undo removes the set', async () => {
    const category = projectOnDisk().codes.find((c) => c.name === CATEGORY)!;
    await vscode.commands.executeCommand('grounded.showSegments', { codeId: category.id });
    const all = await until('the segments of the category in several transcripts', () => {
      const s = g.segments.shown();
      return s.items.length >= 2 && s;
    });
    const member = all.items[0].label;

    const setId = await vscode.commands.executeCommand<string>('grounded.newSet', { name: SET, documents: [member] });
    assert.ok(setId, 'the command returns the new set');
    assert.deepEqual(projectOnDisk().sets?.find((k) => k.id === setId), { id: setId, name: SET, documents: [member], codes: [] }, 'written to grounded.json');
    const sets = await untilAsync('the Sets node of the Documents view', async () => (await g.documents.shown()).find((i) => i.label === 'Sets'));
    assert.deepEqual(labels(sets.children), [SET]);
    assert.equal(sets.children![0].description, '1 document');
    assert.deepEqual(labels(sets.children![0].children), [member]);

    await vscode.commands.executeCommand('grounded.filterSegmentsBySet', { setId });
    const filtered = await until('the segments within the set', () => {
      const s = g.segments.shown();
      return s.items.length === 1 && s;
    });
    assert.deepEqual(labels(filtered.items), [member]);
    assert.deepEqual(labels(filtered.items[0].children), labels(all.items[0].children), 'the same segments of that transcript');
    assert.match(filtered.description ?? '', new RegExp(`set: ${SET}$`));
    assert.match(filtered.message ?? '', /Only the set "e2e Første runde" is shown/);
    assert.equal(g.personal.get('segmentsSet'), setId, 'the filter is personal state');
    assert.ok(!fs.readFileSync(path.join(workspaceRoot(), 'grounded.json'), 'utf8').includes('segmentsSet'));
    assert.ok(!fs.existsSync(path.join(workspaceRoot(), '.vscode', 'settings.json')) || !fs.readFileSync(path.join(workspaceRoot(), '.vscode', 'settings.json'), 'utf8').includes('set'));

    // The matrices: the same set through the typed protocol limits the transcripts counted.
    const whole = await g.matrices.data({ tab: 'case', mode: 'overlap' });
    const within = await g.matrices.data({ tab: 'case', mode: 'overlap', setId });
    assert.deepEqual(within.sets.map((k) => k.name), [SET]);
    assert.equal(within.view.setId, setId);
    const sum = (d: typeof whole) => d.matrix!.counts.reduce((n, row, r) => n + (d.matrix!.rows[r].depth === 0 ? row.reduce((m, c) => m + c, 0) : 0), 0);
    assert.ok(sum(within) > 0 && sum(within) < sum(whole), `${sum(within)} within the set, ${sum(whole)} in all`);

    await vscode.commands.executeCommand('grounded.filterSegmentsBySet', { setId: null });
    await until('all segments again', () => g.segments.shown().items.length === all.items.length);
    assert.equal(await vscode.commands.executeCommand<string>('grounded.undo'), `Made the set "${SET}".`);
    await untilAsync('the set gone from grounded.json and the view', async () => !projectOnDisk().sets && !(await g.documents.shown()).some((i) => i.label === 'Sets'));
  });
});
