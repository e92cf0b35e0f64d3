// Everyday coding actions: in-vivo codes, repeating the last code, removing one of two overlapping
// codings, and the codes at the cursor in the status bar.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sidecar } from '../../../src/core/model';
import { groundedApi, placeSelection, sleep, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-handlinger.txt';
const TEXT = [
  'Intervjuer: Hva gjør du når dagene blir lange?',
  '',
  'Mira (00:05:12): Jeg teller dagene baklengs. Hver kveld stryker jeg ut en dag i kalenderen, og da føles det som om jeg kommer nærmere.',
  '',
].join('\n');

const sidecar = (): Sidecar => JSON.parse(fs.readFileSync(path.join(workspaceRoot(), `${REL}.codes.json`), 'utf8'));

async function select(words: string, editor = vscode.window.activeTextEditor!): Promise<void> {
  const at = TEXT.indexOf(words);
  assert.ok(at >= 0);
  const wanted = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length));
  await placeSelection(editor, wanted);
}

describe('Everyday coding actions', function () {
  this.timeout(60000);

  before(async () => {
    fs.writeFileSync(path.join(workspaceRoot(), REL), TEXT);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), REL)));
    await vscode.window.showTextDocument(doc);
    await groundedApi();
  });

  it('Next and Previous Uncoded Segment walk the turns that have no coding, past the interviewer left out of the analysis', async () => {
    const editor = vscode.window.activeTextEditor!;
    const grounded = await groundedApi();
    assert.deepEqual(grounded.project.project!.settings.excludedSpeakers, ['Interviewer', 'Intervjuer'], 'the sample leaves the interviewer out');
    await placeSelection(editor, new vscode.Selection(0, 0, 0, 0));
    await vscode.commands.executeCommand('grounded.nextUncodedSegment');
    const turn = TEXT.split('\n')[2].replace('Mira (00:05:12): ', '');
    assert.equal(editor.document.getText(editor.selection), turn, "Mira's words in the next turn after the interviewer's are selected");
    await vscode.commands.executeCommand('grounded.previousUncodedSegment');
    assert.equal(editor.document.getText(editor.selection), turn, "the interviewer's question is not a stop");
    await placeSelection(editor, new vscode.Selection(2, 5, 2, 5));
    await vscode.commands.executeCommand('grounded.previousUncodedSegment');
    assert.ok(editor.selection.isEmpty && editor.selection.active.line === 2, 'nothing before it to code: the cursor stays');
  });

  it('In-Vivo Code makes the selected words the name of a new code', async () => {
    const grounded = await groundedApi();
    await select('Jeg teller dagene baklengs.');
    await vscode.commands.executeCommand('grounded.inVivoCode');
    const code = grounded.project.project!.codes.find((c) => c.name === 'Jeg teller dagene baklengs');
    assert.ok(code, 'a code named after the participant\'s words, without the full stop');
    const [coding] = sidecar().codings;
    assert.equal(coding.codeId, code.id);
    assert.equal(coding.anchor.quote, 'Jeg teller dagene baklengs.');
  });

  it('Code with Last Code repeats that code on a new selection', async () => {
    const grounded = await groundedApi();
    await select('Hver kveld stryker jeg ut en dag i kalenderen');
    await vscode.commands.executeCommand('grounded.codeWithLastCode');
    const codes = sidecar().codings.map((c) => grounded.project.codeById(c.codeId)?.name);
    assert.deepEqual(codes, ['Jeg teller dagene baklengs', 'Jeg teller dagene baklengs']);
  });

  it('the status bar names the codes at the cursor', async () => {
    const grounded = await groundedApi();
    const editor = vscode.window.activeTextEditor!;
    await select('ut en dag');
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'Tidsregning' });
    const inside = TEXT.indexOf('en dag') + 1;
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(inside), editor.document.positionAt(inside)));
    await until('both codes in the status bar', () => grounded.statusBar.text === '$(tag) Jeg teller dagene baklengs, Tidsregning');
    const outside = TEXT.indexOf('Hva gjør');
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(outside), editor.document.positionAt(outside)));
    await until('the status bar item hidden', () => grounded.statusBar.text === undefined);
  });

  it('Remove Coding at two overlapping codings asks which and removes only that one', async () => {
    const grounded = await groundedApi();
    const editor = vscode.window.activeTextEditor!;
    const inside = TEXT.indexOf('en dag') + 1;
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(inside), editor.document.positionAt(inside)));
    const before = sidecar().codings;
    assert.equal(before.length, 3);
    const running = vscode.commands.executeCommand('grounded.removeCoding');
    await sleep(700); // the quick pick lists the two codings here, outer first
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.quickPickManyToggle');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await running;
    const after = sidecar().codings;
    assert.equal(after.length, 2, 'one coding removed');
    const gone = before.find((c) => !after.some((a) => a.id === c.id))!;
    assert.equal(grounded.project.codeById(gone.codeId)?.name, 'Jeg teller dagene baklengs');
    assert.equal(gone.anchor.quote, 'Hver kveld stryker jeg ut en dag i kalenderen');
    assert.ok(after.some((c) => grounded.project.codeById(c.codeId)?.name === 'Tidsregning'), 'the other overlapping coding stays');
    await until('the decoration gone', () => !grounded.decorations.appliedTo(editor.document.uri).some((d) => d.start === gone.anchor.start && d.codeId === gone.codeId));
  });
});
