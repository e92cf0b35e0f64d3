// The Categories & Memos board, driven through its typed message handler as if the webview had sent
// each message (api.board.handle): categories and moves agree with the Codes view both ways, focused
// codes reach grounded.json, memos are written to memos/ with their text, and links reveal their targets.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectFile, Sidecar } from '../../../src/core/model';
import { parseMemo } from '../../../src/core/memo';
import type { CodeRow } from '../../../src/vscode/codesView';
import type { GroundedApi } from '../../../src/vscode/main';
import type { BoardData, CodeNode, HostMessage } from '../../../src/shared/webviewProtocol';
import { E2E_CODER, groundedApi, until, workspaceRoot } from './helpers';

const file = (rel: string) => path.join(workspaceRoot(), rel);
const projectFile = (): ProjectFile => JSON.parse(fs.readFileSync(file('grounded.json'), 'utf8'));

function findRow(rows: CodeRow[], label: string, parent?: CodeRow): { row: CodeRow; parent?: CodeRow } | undefined {
  for (const r of rows) {
    if (r.label === label) return { row: r, parent };
    const below = findRow(r.children, label, r);
    if (below) return below;
  }
  return undefined;
}

function findNode(nodes: CodeNode[], name: string, parent?: CodeNode): { node: CodeNode; parent?: CodeNode } | undefined {
  for (const n of nodes) {
    if (n.name === name) return { node: n, parent };
    const below = findNode(n.children, name, n);
    if (below) return below;
  }
  return undefined;
}

describe('Categories & Memos board', function () {
  this.timeout(60000);
  let g: GroundedApi;
  /** The board data most recently posted to the webview(s). */
  const lastData = (): BoardData | undefined => [...g.board.posted].reverse().find((m): m is Extract<HostMessage, { type: 'data' }> => m.type === 'data')?.data;
  const codeId = (name: string) => {
    const code = g.project.project!.codes.find((c) => c.name === name);
    assert.ok(code, `a code named ${name}`);
    return code.id;
  };

  before(async function () {
    this.timeout(150000);
    g = await groundedApi();
    await vscode.workspace.getConfiguration('grounded').update('coder', 'Kari Nordmann', vscode.ConfigurationTarget.Global);
    // A board that is not open does no work: these tests watch what an open one is sent.
    await vscode.commands.executeCommand('grounded.openCategoryBoard');
    const asked = () => g.board.posted.some((m) => m.type === 'data');
    try {
      // On a busy machine (two CI runs at once) the page and its scripts take a while to load.
      await until('the board asks for its data', asked, 60000);
    } catch {
      // In a browser VS Code's webview page can wait forever for its service worker when two webviews load
      // at once (test/e2e/ui/webview.ui.mjs shows VS Code's console line); a user closes it and opens it again.
      console.log('      (the board did not ask for its data within 60 s: closed and opened again)');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.commands.executeCommand('grounded.openCategoryBoard');
      await until('the board asks for its data', asked, 60000);
    }
  });
  after(async () => {
    await vscode.workspace.getConfiguration('grounded').update('coder', E2E_CODER, vscode.ConfigurationTarget.Global);
  });

  it('creates a category and moves a code into it: grounded.json, the Codes view and the board agree', async () => {
    await g.board.handle({ type: 'newCategory', name: 'e2e Waiting' });
    const category = codeId('e2e Waiting');
    const code = codeId('Counting the days backwards');
    await g.board.handle({ type: 'moveCodes', ids: [code], parentId: category });
    assert.equal(projectFile().codes.find((c) => c.id === code)?.parent, category);
    const inView = await until('the code under the category in the Codes view', () => findRow(g.codesView.rows(), 'Counting the days backwards'));
    assert.equal(inView.parent?.label, 'e2e Waiting');
    const inBoard = await until('the code under the category on the board', () => {
      const found = lastData() && findNode(lastData()!.codes, 'Counting the days backwards');
      return found?.parent?.name === 'e2e Waiting' && found;
    });
    assert.ok(inBoard.node.segments > 0, 'the board shows the numbers of segments');
    assert.equal(findNode(g.board.data().codes, 'e2e Waiting')?.node.totalSegments, inBoard.node.segments);
  });

  it('a rename and a move in the Codes view show on the board at once', async () => {
    const category = codeId('e2e Waiting');
    await vscode.commands.executeCommand('grounded.renameCode', { codeId: category, name: 'e2e Waiting time' });
    await until('the renamed category on the board', () => lastData() && findNode(lastData()!.codes, 'e2e Waiting time'));
    await vscode.commands.executeCommand('grounded.moveCode', { codeId: codeId('Counting the days backwards'), parentId: codeId('Managing time') });
    await until('the code back under "Managing time" on the board', () => lastData() && findNode(lastData()!.codes, 'Counting the days backwards')?.parent?.name === 'Managing time');
  });

  it('nests a category, promotes a code and undoes it', async () => {
    await g.board.handle({ type: 'newCategory', name: 'e2e Inner', parentId: codeId('e2e Waiting time') });
    assert.equal(projectFile().codes.find((c) => c.name === 'e2e Inner')?.parent, codeId('e2e Waiting time'));
    const code = codeId('Work and education');
    await g.board.handle({ type: 'promoteCode', id: code });
    const categories = projectFile().codes.filter((c) => c.name === 'Work and education');
    assert.equal(categories.length, 2, 'a category with the same name holds the code');
    const category = categories.find((c) => c.id !== code)!;
    assert.equal(projectFile().codes.find((c) => c.id === code)?.parent, category.id);
    assert.equal(category.parent, codeId('Managing time'));
    await until('the promoted code in the Codes view', () => findRow(g.codesView.rows(), 'Work and education')?.row.children.some((r) => r.id === code));
    await g.board.handle({ type: 'undo' });
    assert.equal(projectFile().codes.filter((c) => c.name === 'Work and education').length, 1);
    assert.equal(projectFile().codes.find((c) => c.id === code)?.parent, codeId('Managing time'));
  });

  it('marks codes as focused and groups them into a category from the focused-coding table', async () => {
    const ids = [codeId('Feeling watched'), codeId('Trust in officers')];
    await g.board.handle({ type: 'setFocused', ids, focused: true });
    const onDisk = projectFile().codes.filter((c) => ids.includes(c.id));
    assert.deepEqual(onDisk.map((c) => c.focused), [true, true]);
    assert.match(fs.readFileSync(file('grounded.json'), 'utf8'), /"parent":"[0-9a-f-]+","focused":true,"created"/);
    await until('the focused flags on the board', () => lastData() && findNode(lastData()!.codes, 'Feeling watched')?.node.focused);
    await g.board.handle({ type: 'groupIntoCategory', ids, name: 'e2e Being watched' });
    const group = codeId('e2e Being watched');
    assert.equal(projectFile().codes.find((c) => c.id === group)?.parent, codeId('Trust and surveillance'), 'the group stays where its codes were');
    for (const id of ids) assert.equal(projectFile().codes.find((c) => c.id === id)?.parent, group);
  });

  it('writes a memo for the selected category to memos/ with autosaves into the same file', async () => {
    const target = { kind: 'code' as const, id: codeId('e2e Waiting time') };
    await g.board.handle({ type: 'select', target });
    const shown = g.board.posted.at(-1);
    assert.equal(shown?.type, 'memo');
    assert.equal(shown.type === 'memo' && shown.memo, undefined, 'no memo yet');
    await g.board.handle({ type: 'saveMemo', requestId: 1, target, body: '# Waiting\n\nFirst thoughts.' });
    const saved = [...g.board.posted].reverse().find((m) => m.type === 'saved');
    assert.ok(saved && saved.type === 'saved');
    const rel = saved.memo.path;
    assert.match(rel, /^memos\/e2e-waiting-time-[0-9a-f]{8}\.md$/);
    await g.board.handle({ type: 'saveMemo', requestId: 2, target, path: rel, body: '# Waiting\n\nFirst thoughts. Time is [[code:Managing time]].' });
    const memo = parseMemo(fs.readFileSync(file(rel), 'utf8'), rel);
    assert.equal(memo.body, '# Waiting\n\nFirst thoughts. Time is [[code:Managing time]].');
    assert.deepEqual(memo.target, target);
    assert.equal(memo.author, 'Kari Nordmann');
    assert.equal(fs.readdirSync(file('memos')).filter((f) => f.startsWith('e2e-waiting-time-')).length, 1, 'one file, saved again');
    // The next time the node is selected (a reload), its memo comes back from the file.
    await g.board.handle({ type: 'ready', protocol: 1, selected: target });
    const again = [...g.board.posted].reverse().find((m) => m.type === 'memo');
    assert.ok(again && again.type === 'memo' && again.memo?.body.includes('First thoughts'));
    await until('the memo in the memo list', () => lastData()?.memos.some((m) => m.path === rel && m.title === 'Waiting'));
  });

  it('a memo edited on disk meanwhile is not overwritten by the board: its text goes to a conflict copy', async () => {
    const target = { kind: 'code' as const, id: codeId('e2e Waiting time') };
    await g.board.handle({ type: 'select', target });
    const shown = [...g.board.posted].reverse().find((m) => m.type === 'memo');
    assert.ok(shown && shown.type === 'memo' && shown.memo);
    const rel = shown.memo.path;
    const theirs = fs.readFileSync(file(rel), 'utf8').replace('First thoughts.', 'First thoughts, revised in the text editor.');
    fs.writeFileSync(file(rel), theirs);
    await until('the memo re-read from disk', () => g.memos.entry(rel)?.memo.body.includes('revised in the text editor'));
    await g.board.handle({ type: 'saveMemo', requestId: 3, target, path: rel, body: `${shown.memo.body}\n\nTyped in the board.` });
    const saved = [...g.board.posted].reverse().find((m) => m.type === 'saved');
    assert.ok(saved && saved.type === 'saved');
    assert.equal(fs.readFileSync(file(rel), 'utf8'), theirs, 'the change on disk is kept');
    assert.match(saved.memo.path, /-conflict-[0-9a-f]{8}\.md$/);
    assert.match(saved.note ?? '', /changed on disk meanwhile/);
    assert.ok(fs.readFileSync(file(saved.memo.path), 'utf8').includes('Typed in the board.'));
  });

  it('a memo link to a code reveals it in the Codes view; a coding link opens the transcript at the coding', async () => {
    await g.board.handle({ type: 'openLink', kind: 'code', ref: 'managing TIME' });
    await until('the code selected in the Codes view', () => g.codesView.view.selection.some((c) => c.name === 'Managing time'));
    const rel = 'interviews/interview-02.txt';
    const sidecar: Sidecar = JSON.parse(fs.readFileSync(file(`${rel}.codes.json`), 'utf8'));
    const coding = sidecar.codings[0];
    await g.board.handle({ type: 'openLink', kind: 'coding', ref: coding.id });
    const editor = await until('the transcript open', () => vscode.window.activeTextEditor?.document.uri.fsPath === file(rel) && vscode.window.activeTextEditor);
    assert.equal(editor.document.getText(editor.selection).replace(/\r\n/g, '\n'), coding.anchor.quote);
    const errors = g.shownErrors().length;
    await g.board.handle({ type: 'openLink', kind: 'code', ref: 'no such code' });
    assert.match(g.shownErrors().slice(errors).join('\n'), /links to a code "no such code" that does not exist/);
  });

  it('opens as an editor panel', async () => {
    await vscode.commands.executeCommand('grounded.openCategoryBoard');
    const tab = await until('the board tab', () =>
      vscode.window.tabGroups.all.flatMap((gr) => gr.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.label === 'Categories & Memos'),
    );
    assert.ok(tab);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
