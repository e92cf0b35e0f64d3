// One source of truth in the real VS Code: no duplicate coding slips in, names stay unique, an empty
// Enter never codes, and for every code the Codes view, the Segments view, the Documents view, the
// board, the matrices, the exported CSVs and `grounded stats` show the same numbers, also in blind
// mode, with no speaker left out, and after a timestamp is typed before a speaker's label.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sidecar } from '../../../src/core/model';
import type { CodeRow } from '../../../src/vscode/codesView';
import type { GroundedApi } from '../../../src/vscode/main';
import type { StatsJson } from '../../../src/cli/reports';
import { run } from '../../../src/cli/main';
import { parseCsv } from '../../../src/core/csv';
import type { CodeNode } from '../../../src/shared/webviewProtocol';
import { shownNumbers } from '../../../src/shared/webviewProtocol';
import { groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-en-gang.txt';
const TEXT = 'Intervjuer: Hvordan holder dere kontakten?\n\nSiv: Vi ringer hjem hver søndag klokka seks.\n\nSiv: Brevene kommer sjelden.\n';

const file = (rel: string) => path.join(workspaceRoot(), rel);
const sidecar = (rel: string): Sidecar => JSON.parse(fs.readFileSync(file(`${rel}.codes.json`), 'utf8'));

async function select(words: string): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file(REL)));
  const text = editor.document.getText();
  const at = text.indexOf(words);
  assert.ok(at >= 0, words);
  await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
  return editor;
}

function flatRows(rows: CodeRow[]): CodeRow[] {
  return rows.flatMap((r) => [r, ...flatRows(r.children)]);
}

function flatNodes(nodes: CodeNode[]): CodeNode[] {
  return nodes.flatMap((n) => [n, ...flatNodes(n.children)]);
}

interface Shown {
  segments: number;
  documents: number;
}

/** For every code id, what each place shows (segments and documents; a category: with its subcodes). */
async function everyPlace(g: GroundedApi): Promise<Map<string, Map<string, Shown>>> {
  const places = new Map<string, Map<string, Shown>>();
  const put = (place: string, id: string, n: Shown) => {
    const m = places.get(place) ?? new Map<string, Shown>();
    m.set(id, n);
    places.set(place, m);
  };
  const project = g.project.project!;
  // the Codes view: "12 · 4 docs"
  for (const row of flatRows(g.codesView.rows())) {
    const m = /^(\d+) · (\d+) docs?$/.exec(row.description);
    assert.ok(m, `the Codes view row "${row.label}" reads "${row.description}"`);
    put('Codes view', row.id, { segments: Number(m[1]), documents: Number(m[2]) });
  }
  // the Segments view: its message, "3 segments in 2 documents"
  for (const code of project.codes) {
    await g.segments.show(code.id, false);
    const shown = g.segments.shown();
    const m = /^(\d+) segments? in (\d+) documents?/.exec(shown.message ?? '');
    assert.ok(m, `the Segments view's message for "${code.name}": ${shown.message}`);
    put('Segments view', code.id, { segments: Number(m[1]), documents: Number(m[2]) });
  }
  // the board's tree and focused-coding table (the same numbers: shownNumbers)
  for (const node of flatNodes(g.board.data().codes)) {
    const n = shownNumbers(node);
    put('board', node.id, { segments: n.segments, documents: n.documents });
  }
  // the matrices: each row's total over the cases
  const matrix = (await g.matrices.matrix({ tab: 'case', mode: 'overlap' }))!;
  matrix.rows.forEach((row, r) => {
    const docs = new Set(matrix.cells[r].flatMap((c) => c.refs.map((ref) => ref.path)));
    put('matrices', row.id, { segments: matrix.cells[r].reduce((n, c) => n + c.count, 0), documents: docs.size });
  });
  // the exported codebook CSV
  await vscode.commands.executeCommand('grounded.exportCodebook');
  const csv = parseCsv(fs.readFileSync(file('exports/codebook.csv'), 'utf8'), ',').records.map((r) => r.cells.map((c) => c.value));
  const head = csv[0];
  for (const row of csv.slice(1)) {
    const id = row[head.indexOf('id')];
    put('codebook.csv', id, { segments: Number(row[head.indexOf('segments with subcodes')]), documents: Number(row[head.indexOf('documents with subcodes')]) });
  }
  // grounded stats --json, in a terminal (no blind mode there)
  if (!g.session.session.viewer) {
    let out = '';
    const code = await run(['stats', '--json'], { out: (t) => (out += t), err: () => undefined, cwd: workspaceRoot() });
    assert.equal(code, 0);
    for (const c of (JSON.parse(out) as StatsJson).codes) put('grounded stats', c.codeId, { segments: c.totalSegments, documents: c.totalDocuments });
  }
  return places;
}

/** Per transcript, the codings that count as the Documents view shows them and as `grounded stats` does. */
async function assertDocumentsConsistent(g: GroundedApi, what: string): Promise<void> {
  const view = new Map((await g.documents.shown()).map((d) => [d.label, Number(/(\d+) codings?/.exec(d.description ?? '')?.[1] ?? NaN)]));
  let out = '';
  assert.equal(await run(['stats', '--json'], { out: (t) => (out += t), err: () => undefined, cwd: workspaceRoot() }), 0);
  const stats = (JSON.parse(out) as StatsJson).documents;
  assert.ok(stats.length > 0);
  for (const d of stats) assert.equal(view.get(d.document), d.codings, `${what}: the Documents view counts ${d.document} as grounded stats does`);
}

async function assertConsistent(g: GroundedApi, what: string): Promise<Map<string, Shown>> {
  await g.session.ready();
  // The views refresh once their change arrives: wait until the Codes view shows what the analysis counts.
  await until(`${what}: the Codes view follows the analysis`, () => {
    const counts = g.session.analysis()!.counts;
    return flatRows(g.codesView.rows()).every((r) => r.description.startsWith(`${counts.get(r.id)!.totalSegments} · `));
  });
  const places = await everyPlace(g);
  const truth = places.get('Codes view')!;
  const project = g.project.project!;
  for (const [place, numbers] of places) {
    for (const code of project.codes) assert.deepEqual(numbers.get(code.id), truth.get(code.id), `${what}: ${place} shows "${code.name}" as the Codes view does`);
  }
  return truth;
}

/** Waits until the views have been quiet for a moment (no refresh for 400 ms), so a count is final. */
async function settle(g: GroundedApi): Promise<void> {
  let last = g.session.refreshes;
  let since = Date.now();
  await until('the views to settle', () => {
    if (g.session.refreshes !== last) {
      last = g.session.refreshes;
      since = Date.now();
    }
    return Date.now() - since > 400;
  });
}

describe('One source of truth', function () {
  this.timeout(120000);
  let g: GroundedApi;

  before(async () => {
    fs.writeFileSync(file(REL), TEXT);
    g = await groundedApi();
  });

  after(async () => {
    if (g.session.session.viewer !== undefined) await vscode.commands.executeCommand('grounded.toggleBlindMode');
  });

  it('Code with Last Code twice on the same words gives one coding, and says so', async () => {
    await select('Vi ringer hjem hver søndag');
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'e2e ringer hjem' });
    const code = g.project.project!.codes.find((c) => c.name === 'e2e ringer hjem')!;
    const shown = g.shownNotifications().length;
    await vscode.commands.executeCommand('grounded.codeWithLastCode');
    assert.equal(sidecar(REL).codings.filter((c) => c.codeId === code.id).length, 1, 'one coding on disk');
    const said = await until('a message that nothing was added', () => g.shownNotifications().slice(shown).find((n) => /already have the code "e2e ringer hjem"/.test(n.message)));
    assert.match(said.message, /nothing was added/);
    await until('the Codes view counts it once', () => flatRows(g.codesView.rows()).find((r) => r.id === code.id)?.description === '1 · 1 doc');
  });

  it('one coding refreshes the views once, typing none, and one sidecar changed outside once', async () => {
    const editor = await select('Brevene kommer sjelden');
    await settle(g);
    let before = g.session.refreshes;
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'e2e ringer hjem' }); // a code there is already
    await until('the coding on disk', () => sidecar(REL).codings.some((c) => c.anchor.quote === 'Brevene kommer sjelden'));
    await settle(g);
    assert.equal(g.session.refreshes - before, 1, `one coding, one refresh of the views (were: ${g.session.causes.slice(before - g.session.refreshes).join(' | ')})`);

    before = g.session.refreshes;
    for (const ch of 'abc') await editor.edit((e) => e.insert(editor.document.positionAt(0), ch));
    await settle(g);
    assert.equal(g.session.refreshes - before, 0, `typing only moves positions: no view recomputes (were: ${g.session.causes.slice(before - g.session.refreshes).join(' | ')})`);
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
    await vscode.commands.executeCommand('undo');
    await until('the text as it was', () => editor.document.getText() === TEXT);
    await editor.document.save();
    await settle(g);

    // A co-author's commit arrives: a closed transcript's sidecar loses a coding.
    const rel = 'interviews/interview-02.txt';
    const lines = fs.readFileSync(file(`${rel}.codes.json`), 'utf8').split('\n');
    const first = lines.findIndex((l) => l.trimStart().startsWith('{"id"'));
    const last = lines.findIndex((l, i) => i > first && l.trim() === ']') - 1;
    assert.ok(first > 0 && last > first, 'a sidecar with two codings or more');
    lines.splice(first, 1);
    before = g.session.refreshes;
    const total = g.session.analysis()!.total;
    fs.writeFileSync(file(`${rel}.codes.json`), lines.join('\n'));
    await until('the change counted', () => g.session.analysis()!.total !== total);
    await settle(g);
    assert.equal(g.session.refreshes - before, 1, `one outside change, one refresh of the views (were: ${g.session.causes.slice(before - g.session.refreshes).join(' | ')})`);
  });

  it('a new code typed while coding goes with its coding on one undo', async () => {
    await select('klokka seks');
    const before = sidecar(REL).codings.length;
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'e2e ny kode' });
    assert.ok(g.project.project!.codes.some((c) => c.name === 'e2e ny kode'));
    assert.equal(sidecar(REL).codings.length, before + 1);
    assert.deepEqual(g.undoKeys.state, { undo: true, redo: false }, 'Ctrl+Z in the transcript is the coding\'s');
    assert.equal(await vscode.commands.executeCommand('grounded.undo'), 'Coded 1 segment as the new code "e2e ny kode".');
    assert.equal(g.project.project!.codes.some((c) => c.name === 'e2e ny kode'), false, 'the new code is gone too');
    assert.equal(sidecar(REL).codings.length, before);
  });

  it('an empty Enter in the Code Selection picker codes nothing and says what Enter needs', async () => {
    await select('Brevene kommer sjelden');
    const before = sidecar(REL).codings.length;
    const asking = vscode.commands.executeCommand('grounded.codeSelection');
    await until('the code picker', () => g.codePicker());
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await until('the picker says nothing was coded', () => g.codePicker()?.placeholder.startsWith('Nothing was coded'));
    assert.equal(sidecar(REL).codings.length, before, 'nothing written');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await asking;
    assert.equal(sidecar(REL).codings.length, before);
  });

  it('New Code with a name that exists in another letter case is refused, at the top level and in a category', async () => {
    const errors = g.shownErrors().length;
    const codes = g.project.project!.codes.length;
    await vscode.commands.executeCommand('grounded.newCode', { name: 'E2E RINGER HJEM' });
    await until('the refusal', () => g.shownErrors().slice(errors).find((e) => /already a code named "e2e ringer hjem"/.test(e)));
    assert.equal(g.project.project!.codes.length, codes, 'no code was added');
    const parent = g.project.project!.codes.find((c) => c.name === 'e2e ringer hjem')!;
    await vscode.commands.executeCommand('grounded.newCode', { name: 'e2e under', parentId: parent.id });
    await vscode.commands.executeCommand('grounded.newCode', { name: 'E2E Under', parentId: parent.id });
    await until('the refusal in the category', () => g.shownErrors().slice(errors).find((e) => /already a code named "e2e under" in this category/.test(e)));
    assert.equal(g.project.project!.codes.filter((c) => c.name.toLowerCase() === 'e2e under').length, 1);
    // and Undo takes the new subcode back: creating a code is a transaction of the one history
    assert.match(String(await vscode.commands.executeCommand('grounded.undo')), /Created the code "e2e under"/);
    await until('the subcode is gone', () => !g.project.project!.codes.some((c) => c.name === 'e2e under'));
  });

  it('Open as Page from a segment of a subcode shows the code the Segments view lists, not the subcode', async () => {
    const project = g.project.project!;
    const category = project.codes.find((c) => project.codes.some((k) => k.parent === c.id && g.session.analysis()!.counts.get(k.id)!.segments > 0))!;
    await g.segments.show(category.id, false);
    const rows = g.segments.getChildren();
    const row = rows.flatMap((d) => g.segments.getChildren(d)).find((r) => r.kind === 'segment' && r.code.id !== category.id);
    assert.ok(row, 'a segment of a subcode in the list');
    const uri = await vscode.commands.executeCommand<vscode.Uri>('grounded.openSegmentsAsPage', row);
    assert.equal(uri.query, category.id);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('every view, the board, the matrices, the export and grounded stats count every code alike', async () => {
    const withInterviewerOut = await assertConsistent(g, 'the sample with the interviewer left out');
    for (const editor of vscode.window.visibleTextEditors) if (editor.document.isDirty) await editor.document.save();
    await assertDocumentsConsistent(g, 'the sample with the interviewer left out');
    assert.ok([...withInterviewerOut.values()].some((n) => n.segments > 0));

    assert.equal(await vscode.commands.executeCommand('grounded.toggleBlindMode'), true);
    await until('blind mode', () => g.session.session.viewer !== undefined);
    await assertConsistent(g, 'in blind mode');
    assert.equal(await vscode.commands.executeCommand('grounded.toggleBlindMode'), false);
    await until('blind mode off', () => g.session.session.viewer === undefined);

    await vscode.commands.executeCommand('grounded.excludeSpeakers', { speakers: [] });
    await until('every speaker counts', () => !g.project.project!.settings.excludedSpeakers);
    await assertConsistent(g, 'with no speaker left out');
    await assertDocumentsConsistent(g, 'with no speaker left out');
    await vscode.commands.executeCommand('grounded.undo');
    await until('the interviewer is left out again', () => g.project.project!.settings.excludedSpeakers?.length);
    assert.deepEqual(await assertConsistent(g, 'after undo'), withInterviewerOut);
  });

  it('a timestamp typed before a participant\'s label keeps the turn the participant\'s: the same numbers', async () => {
    const before = await assertConsistent(g, 'before the edit');
    const rel = 'interviews/intervju-01-nb.txt';
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file(rel)));
    const text = editor.document.getText();
    const at = text.indexOf('Håkon (00:00:41):');
    assert.ok(at > 0);
    await editor.edit((e) => e.insert(editor.document.positionAt(at), '[00:00:40] '));
    await editor.edit((e) => e.insert(editor.document.positionAt(text.indexOf('Håkon (00:01:20):') + '[00:00:40] '.length), '(ler) '));
    await editor.document.save();
    await until('the sidecar is written for the new text', () => sidecar(rel).codings.every((c) => editor.document.getText().includes(c.anchor.quote)));
    assert.deepEqual(await assertConsistent(g, 'after the edit'), before);
  });
});
