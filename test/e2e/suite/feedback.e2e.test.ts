// Commands that cannot act say why and offer the way forward: Code Selection with nothing selected codes
// the speaker turn at the cursor (without its label), and in a file that is not a transcript it explains
// what a transcript is, with a button to the setting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recentFirst } from '../../../src/core/codebook';
import type { Sidecar } from '../../../src/core/model';
import { groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-feedback.txt';
const TURN = 'Vi ringer hjem hver søndag.\nBrevene kommer sjelden.';
const TEXT = `Intervjuer: Hvordan holder dere kontakten?\n\nSiv (00:01:10): ${TURN}\n\nIntervjuer: Takk.\n`;

const file = (rel: string) => path.join(workspaceRoot(), rel);
const sidecar = (rel: string): Sidecar | undefined => {
  try {
    return JSON.parse(fs.readFileSync(file(`${rel}.codes.json`), 'utf8')) as Sidecar;
  } catch {
    return undefined;
  }
};

async function cursorAt(words: string): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(vscode.Uri.file(file(REL)));
  const at = editor.document.positionAt(editor.document.getText().indexOf(words));
  await placeSelection(editor, new vscode.Selection(at, at));
  return editor;
}

describe('Feedback: commands say why they cannot act', function () {
  this.timeout(60000);

  before(() => {
    fs.mkdirSync(path.dirname(file(REL)), { recursive: true });
    fs.writeFileSync(file(REL), TEXT);
  });

  it('Code Selection with nothing selected selects the turn at the cursor without its label, and puts the cursor back when cancelled', async () => {
    const g = await groundedApi();
    const editor = await cursorAt('hjem hver');
    const cursor = editor.selection;
    const asking = vscode.commands.executeCommand('grounded.codeSelection');
    const picker = await until('the code picker', () => g.codePicker());
    assert.equal(picker.title, 'Grounded: Coding the turn at the cursor');
    // the words of the turn are selected, not "Siv (00:01:10):" (the selection event may reach the test a moment later)
    const selected = () => { const e = vscode.window.activeTextEditor; return e ? e.document.getText(e.selection) : ''; };
    await until(`the turn selected (now ${JSON.stringify(selected())})`, () => selected() === TURN);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await asking;
    assert.ok(editor.selection.isEqual(cursor), 'the cursor is back where it was');
    assert.equal(sidecar(REL)?.codings.length ?? 0, 0, 'nothing was coded');
  });

  it('Code Selection with nothing selected codes the turn at the cursor with the code picked', async () => {
    const g = await groundedApi();
    await cursorAt('sjelden');
    const order = recentFirst(g.project.project!.codes, g.recentCodes());
    const firstCode = [...order.recent, ...order.others][0];
    const running = vscode.commands.executeCommand('grounded.codeSelection');
    await until('the code picker', () => g.codePicker());
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await until('the first code active', () => g.codePicker()?.active === firstCode.name);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await running;
    const [coding] = await until('the coding on disk', () => sidecar(REL)?.codings.length === 1 && sidecar(REL)!.codings);
    assert.equal(coding.codeId, firstCode.id);
    assert.equal(coding.anchor.quote, TURN);
    assert.equal(coding.anchor.start, TEXT.indexOf(TURN));
  });

  it('In-Vivo Code with nothing selected asks for the words to name the code with', async () => {
    const g = await groundedApi();
    await cursorAt('Takk');
    const shown = g.shownNotifications().length;
    await vscode.commands.executeCommand('grounded.inVivoCode');
    const said = await until('the message', () => g.shownNotifications().slice(shown).at(-1));
    assert.match(said.message, /Select the words to use as the code's name/);
    assert.equal(sidecar(REL)?.codings.length, 1, 'nothing more was coded');
  });

  it('Code with Last Code with nothing selected asks first, and Enter codes the turn at the cursor', async () => {
    const g = await groundedApi();
    await cursorAt('Takk');
    const last = g.project.project!.codes.find((c) => c.id === g.recentCodes()[0])!;
    const running = vscode.commands.executeCommand('grounded.codeWithLastCode');
    const question = await until('the question', () => g.codePicker());
    assert.equal(question.title, 'Grounded: Coding the turn at the cursor');
    await until('Enter on "Code them as"', () => g.codePicker()?.active === `$(check) Code them as "${last.name}"`);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await running;
    const coding = await until('the coding on disk', () => sidecar(REL)?.codings.find((c) => c.anchor.quote === 'Takk.'));
    assert.equal(coding.codeId, last.id);
  });

  it('Code Selection in a file that is not a transcript says what a transcript is, with a button to the setting', async () => {
    const g = await groundedApi();
    await vscode.window.showTextDocument(vscode.Uri.file(file('grounded.json')));
    const shown = g.shownNotifications().length;
    await vscode.commands.executeCommand('grounded.codeSelection');
    const said = await until('the message', () => g.shownNotifications().slice(shown).at(-1));
    assert.equal(said.severity, 'warning');
    assert.match(said.message, /This file is not a transcript of the project\. Transcripts are files matching grounded\.transcripts \(.*\*\*\/\*\.txt.*\)/);
    assert.ok(said.actions.some((a) => a.title === 'Open Settings'), `buttons: ${said.actions.map((a) => a.title).join(', ')}`);
    assert.equal(g.codePicker(), undefined, 'no code picker opened');
  });
});
