// The Codes view: counts, rename, merge and delete across open and closed transcripts with undo,
// drag and drop into a category, sorting, and a refresh after a sidecar changed on disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectFile, Sidecar } from '../../../src/core/model';
import type { CodeRow } from '../../../src/vscode/codesView';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const OPEN = 'interviews/e2e-koder-a.txt';
const CLOSED = 'interviews/e2e-koder-b.txt';
const TEXT_A = 'Tomas: Brevene kommer sjelden, men når de kommer leser jeg dem tre ganger.\n\nTomas: Telefonen er det viktigste.\n';
const TEXT_B = 'Håkon: Jeg skriver brev hver søndag.\n\nHåkon: Noen ganger sender jeg dem ikke.\n';

const file = (rel: string) => path.join(workspaceRoot(), rel);
const sidecar = (rel: string): Sidecar => JSON.parse(fs.readFileSync(file(`${rel}.codes.json`), 'utf8'));
const projectFile = (): ProjectFile => JSON.parse(fs.readFileSync(file('grounded.json'), 'utf8'));

function find(rows: CodeRow[], label: string): CodeRow | undefined {
  for (const r of rows) {
    if (r.label === label) return r;
    const below = find(r.children, label);
    if (below) return below;
  }
  return undefined;
}

async function codeWords(rel: string, text: string, words: string, codeName: string): Promise<void> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file(rel)));
  const at = text.indexOf(words);
  assert.ok(at >= 0, words);
  await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
  await vscode.commands.executeCommand('grounded.codeSelection', { codeName });
}

describe('Codes view', function () {
  this.timeout(60000);
  let g: GroundedApi;
  const api = async () => g;
  const rows = () => g.codesView.rows();
  const codeId = async (name: string) => g.project.project!.codes.find((c) => c.name === name)!.id;

  before(async () => {
    fs.writeFileSync(file(OPEN), TEXT_A);
    fs.writeFileSync(file(CLOSED), TEXT_B);
    g = await groundedApi();
    // "letters" in both transcripts, "phone" once; the second transcript is then closed.
    await codeWords(CLOSED, TEXT_B, 'Jeg skriver brev hver søndag.', 'e2e letters');
    await codeWords(CLOSED, TEXT_B, 'Noen ganger sender jeg dem ikke.', 'e2e unsent letters');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await codeWords(OPEN, TEXT_A, 'Brevene kommer sjelden', 'e2e letters');
    await codeWords(OPEN, TEXT_A, 'leser jeg dem tre ganger', 'e2e unsent letters');
    await codeWords(OPEN, TEXT_A, 'Telefonen er det viktigste.', 'e2e phone');
  });

  it('lists codes with the numbers of segments and documents from the sidecars', async () => {
    const letters = await until('the counts of "e2e letters"', () => find(rows(), 'e2e letters'));
    const onDisk = [OPEN, CLOSED].map((rel) => sidecar(rel).codings.filter((c) => c.codeId === letters.id).length);
    assert.deepEqual(onDisk, [1, 1]);
    await until('2 segments in 2 documents', () => find(rows(), 'e2e letters')?.description === '2 · 2 docs');
    await until('1 segment of "e2e phone"', () => find(rows(), 'e2e phone')?.description === '1 · 1 doc');
  });

  it('selecting a code in the Codes view lists its segments in the Segments view', async () => {
    const code = g.project.codeById(await codeId('e2e letters'))!;
    // A refresh of the tree arriving just then can take the selection with it: select again until it
    // holds, by way of another code (selecting the row that is selected already changes nothing).
    const other = g.project.project!.codes.find((c) => c.id !== code.id)!;
    let tries = 0;
    await until('the Segments view showing "e2e letters"', () => {
      if (g.segments.shownCodeId === code.id) return true;
      if (tries++ % 20 === 0) {
        const view = g.codesView.view;
        const again = view.selection.some((c) => c.id === code.id) ? view.reveal(g.project.codeById(other.id)!, { select: true }) : Promise.resolve();
        void again.then(() => view.reveal(g.project.codeById(code.id)!, { select: true, focus: true })).then(undefined, () => undefined);
      }
      return false;
    });
  });

  it('renames a code in grounded.json and in the view', async () => {
    const id = await codeId('e2e phone');
    await vscode.commands.executeCommand('grounded.renameCode', { codeId: id, name: 'e2e the telephone' });
    assert.equal(projectFile().codes.find((c) => c.id === id)?.name, 'e2e the telephone');
    assert.ok(find(rows(), 'e2e the telephone'));
    assert.equal(find(rows(), 'e2e phone'), undefined);
  });

  it('merges two codes in open and closed transcripts, and Undo brings the code and its codings back', async () => {
    const source = await codeId('e2e unsent letters');
    const target = await codeId('e2e letters');
    await vscode.commands.executeCommand('grounded.mergeCode', { codeId: source, targetId: target });
    for (const rel of [OPEN, CLOSED]) {
      const codes = sidecar(rel).codings.map((c) => c.codeId);
      assert.ok(!codes.includes(source), `${rel} has no coding of the merged code`);
      assert.equal(codes.filter((c) => c === target).length, 2, `${rel}: both codings now carry the target code`);
    }
    assert.equal(projectFile().codes.find((c) => c.id === source), undefined, 'the merged code left grounded.json');
    await until('4 segments of "e2e letters"', () => find(rows(), 'e2e letters')?.description === '4 · 2 docs');

    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
    assert.ok(projectFile().codes.find((c) => c.id === source), 'the code is back');
    for (const rel of [OPEN, CLOSED]) {
      assert.equal(sidecar(rel).codings.filter((c) => c.codeId === source).length, 1, `${rel}: its coding is back`);
    }
    await until('the counts after undo', () => find(rows(), 'e2e unsent letters')?.description === '2 · 2 docs');
  });

  it('moves a code into a category by drag and drop, and back with Undo', async () => {
    const grounded = await api();
    const child = grounded.project.codeById(await codeId('e2e the telephone'))!;
    const category = grounded.project.codeById(await codeId('e2e letters'))!;
    const data = new vscode.DataTransfer();
    await grounded.codesView.handleDrag([child], data);
    await grounded.codesView.handleDrop(category, data);
    assert.equal(projectFile().codes.find((c) => c.id === child.id)?.parent, category.id);
    const parentRow = find(rows(), 'e2e letters')!;
    assert.deepEqual(parentRow.children.map((r) => r.label), ['e2e the telephone']);
    assert.equal(parentRow.description, '3 · 2 docs', 'a category counts the segments below it');
    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
    assert.equal(projectFile().codes.find((c) => c.id === child.id)?.parent, undefined);
  });

  it('refuses to drop a category into its own subcode', async () => {
    const grounded = await api();
    const parent = grounded.project.codeById(await codeId('e2e letters'))!;
    await vscode.commands.executeCommand('grounded.moveCode', { codeId: (await codeId('e2e the telephone')), parentId: parent.id });
    const child = grounded.project.codeById(await codeId('e2e the telephone'))!;
    const data = new vscode.DataTransfer();
    await grounded.codesView.handleDrag([parent], data);
    await grounded.codesView.handleDrop(child, data);
    assert.equal(projectFile().codes.find((c) => c.id === parent.id)?.parent, undefined, 'nothing moved');
    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
  });

  it('sorts codes by frequency', async () => {
    const grounded = await api();
    await vscode.commands.executeCommand('grounded.sortCodesByFrequency');
    const counts = (r: CodeRow) => Number(r.description.split(' ')[0]);
    const top = rows();
    assert.deepEqual(top.map(counts), [...top.map(counts)].sort((a, b) => b - a), 'most coded first');
    await vscode.commands.executeCommand('grounded.sortCodesByName');
    const names = (rows()).map((r) => r.label);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    assert.equal(grounded.codesView.order, 'name');
  });

  it('Move Code Down (Alt+Down) and the board\'s reorder arrange codes by hand, kept in grounded.json', async () => {
    const parent = g.project.codeById(await codeId('Keeping connected'))!;
    const before = find(rows(), 'Keeping connected')!.children.map((r) => r.label);
    assert.ok(before.length >= 2);
    await vscode.commands.executeCommand('grounded.moveCodeDown', { codeId: await codeId(before[0]) });
    const after = find(rows(), 'Keeping connected')!.children.map((r) => r.label);
    assert.deepEqual(after, [before[1], before[0], ...before.slice(2)]);
    const order = (name: string) => projectFile().codes.find((c) => c.name === name)?.order;
    assert.equal(order(before[1]), 0);
    assert.equal(order(before[0]), 1);
    // The Categories & Memos board sends the same edit (Alt+Up in its tree).
    await g.board.handle({ type: 'reorderCode', id: await codeId(before[0]), delta: -1 });
    assert.deepEqual(find(rows(), 'Keeping connected')!.children.map((r) => r.label), before);
    assert.equal(parent.id, await codeId('Keeping connected'));
  });

  it('deletes a code with its codings everywhere, and Undo restores them', async () => {
    const id = await codeId('e2e unsent letters');
    await vscode.commands.executeCommand('grounded.deleteCode', { codeId: id, confirm: false });
    assert.equal(projectFile().codes.find((c) => c.id === id), undefined);
    for (const rel of [OPEN, CLOSED]) assert.ok(!sidecar(rel).codings.some((c) => c.codeId === id), `${rel} lost the codings`);
    assert.equal(find(rows(), 'e2e unsent letters'), undefined);
    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
    for (const rel of [OPEN, CLOSED]) assert.equal(sidecar(rel).codings.filter((c) => c.codeId === id).length, 1);
  });

  it('shows a sidecar changed on disk (a git pull) within a second or two', async () => {
    const id = await codeId('e2e letters');
    const before = find(rows(), 'e2e letters')!.description;
    const s = sidecar(CLOSED);
    // "e2e letters" on words that have another code: a new segment (the same words again would be a duplicate, counted once)
    const other = s.codings.find((c) => c.codeId !== id)!;
    const extra = { ...other, id: '99999999-0000-4000-8000-000000000001', codeId: id };
    const lines = fs.readFileSync(file(`${CLOSED}.codes.json`), 'utf8').split('\n');
    const last = lines.findIndex((l) => l.trim() === ']');
    lines.splice(last, 0, `    ${JSON.stringify(extra)}`);
    lines[last - 1] += ',';
    fs.writeFileSync(file(`${CLOSED}.codes.json`), lines.join('\n'));
    const after = await until('the new count', () => {
      const d = find(rows(), 'e2e letters')!.description;
      return d !== before && d;
    }, 2000);
    assert.equal(Number(after.split(' ')[0]), Number(before.split(' ')[0]) + 1);
  });
});
