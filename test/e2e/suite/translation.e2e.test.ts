// Translating a quote in its own editor: the original above a line, the translation (any number of
// lines) below it; Save Translation stores it on the coding and closes the tab; Undo takes it back.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sidecar } from '../../../src/core/model';
import { groundedApi, until, workspaceRoot } from './helpers';

const DOC = 'interviews/intervju-01-nb.txt';
const sidecarOf = (doc: string): Sidecar => JSON.parse(readFileSync(path.join(workspaceRoot(), `${doc}.codes.json`), 'utf8')) as Sidecar;
const SCHEME = 'grounded-translation';

describe('Translation editor', function () {
  this.timeout(90000);

  it('opens the quote in an editor, takes a two-line translation, stores it on save and undoes it', async () => {
    await groundedApi();
    const coding = sidecarOf(DOC).codings.find((c) => !c.translation && !c.orphaned && c.anchor.quote.length > 20)!;
    assert.ok(coding, 'the sample has an untranslated coding');

    await vscode.commands.executeCommand('grounded.translateCoding', { path: DOC, codingId: coding.id, language: 'en' });
    const editor = await until('the translation editor', () => (vscode.window.activeTextEditor?.document.uri.scheme === SCHEME ? vscode.window.activeTextEditor : undefined));
    const doc = editor.document;
    // The tab names the language, not its code; the original quote is shown above the line.
    assert.ok(doc.uri.path.endsWith('/Translation into English.md'), doc.uri.path);
    assert.ok(doc.getText().includes(`> ${coding.anchor.quote.split('\n')[0]}`), doc.getText());
    assert.match(doc.getText(), /Original \(Norwegian Bokmål\):/);

    // The cursor waits below the line: type two lines there.
    const typed = 'The first line of the translation,\nand the second.';
    assert.ok(await editor.edit((e) => e.insert(editor.selection.active, typed)));
    await vscode.commands.executeCommand('grounded.saveTranslation');
    await until('the translation tab closed', () => !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === SCHEME))).catch((err: Error) => {
      throw new Error(`${err.message}; dirty: ${doc.isDirty}; active: ${vscode.window.activeTextEditor?.document.uri.toString()}; text: ${doc.getText()}`);
    });
    const saved = await until('the sidecar holds the two-line translation', () => sidecarOf(DOC).codings.find((c) => c.id === coding.id && c.translation)?.translation);
    assert.equal(saved.text, typed);
    assert.equal(saved.language, 'en');
    assert.ok(saved.translator, 'the translator is recorded');

    // Opened again, the editor shows the stored translation below the line.
    await vscode.commands.executeCommand('grounded.translateCoding', { path: DOC, codingId: coding.id });
    const again = await until('the translation editor again', () => (vscode.window.activeTextEditor?.document.uri.scheme === SCHEME ? vscode.window.activeTextEditor : undefined));
    assert.ok(again.document.getText().endsWith(`─\n${typed}\n`), again.document.getText());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Undo (as the notification's button does) removes it from the coding.
    await vscode.commands.executeCommand('grounded.undo');
    await until('the translation undone', () => sidecarOf(DOC).codings.find((c) => c.id === coding.id && !c.translation));
  });

  it('says what is wrong when the line above the translation is gone, and stores nothing', async () => {
    const coding = sidecarOf(DOC).codings.find((c) => !c.translation && !c.orphaned)!;
    await vscode.commands.executeCommand('grounded.translateCoding', { path: DOC, codingId: coding.id, language: 'en' });
    const editor = await until('the translation editor', () => (vscode.window.activeTextEditor?.document.uri.scheme === SCHEME ? vscode.window.activeTextEditor : undefined));
    const all = new vscode.Range(0, 0, editor.document.lineCount, 0);
    assert.ok(await editor.edit((e) => e.replace(all, 'just a translation, no line')));
    // The command is wrapped to show its error; the document stays open and unsaved.
    await vscode.commands.executeCommand('grounded.saveTranslation');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
    assert.ok(editor.document.isDirty, 'not saved');
    assert.equal(sidecarOf(DOC).codings.find((c) => c.id === coding.id)?.translation, undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
