// Blind mode: only my own codings are drawn, hovered and counted; switching it off shows everyone's.
// It is my choice alone: nothing is written to the workspace's (committed) .vscode/settings.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sidecar } from '../../../src/core/model';
import { E2E_CODER, groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const REL = 'interviews/interview-03.txt';

describe('Blind mode', function () {
  this.timeout(60000);

  const settingsFile = () => path.join(workspaceRoot(), '.vscode', 'settings.json');
  const workspaceSettings = () => (fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : undefined);

  after(async () => {
    const g = await groundedApi();
    if (g.session.session.viewer !== undefined) await vscode.commands.executeCommand('grounded.toggleBlindMode');
    await vscode.workspace.getConfiguration('grounded').update('coder', E2E_CODER, vscode.ConfigurationTarget.Global);
  });

  it('shows only my codings while on, and everyone\'s again when off', async () => {
    const g = await groundedApi();
    await vscode.workspace.getConfiguration('grounded').update('coder', 'Ola Blind', vscode.ConfigurationTarget.Global);
    const settingsBefore = workspaceSettings();
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceRoot(), REL)));
    const uri = editor.document.uri;
    const onDisk = (): Sidecar => JSON.parse(fs.readFileSync(path.join(workspaceRoot(), `${REL}.codes.json`), 'utf8'));
    const others = onDisk().codings.filter((c) => !c.orphaned).length;
    assert.ok(others > 0);
    await until('the sample codings drawn', () => g.decorations.appliedTo(uri).length >= others);

    // Code a sentence as Ola, then go blind.
    const text = editor.document.getText();
    const words = text.split('\n').find((l) => l.length > 40)!.slice(0, 30);
    const at = text.indexOf(words);
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'e2e blind code' });
    const mine = onDisk().codings.find((c) => c.coder === 'Ola Blind');
    assert.ok(mine, 'my coding is saved with my name');

    const on = await vscode.commands.executeCommand<boolean>('grounded.toggleBlindMode');
    assert.equal(on, true);
    await until('only my coding drawn', () => {
      const drawn = g.decorations.appliedTo(uri);
      return drawn.length === 1 && drawn[0].start === mine.anchor.start;
    });
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, editor.document.positionAt(mine.anchor.start + 2));
    const hoverText = hover.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(hoverText, /Ola Blind/);
    assert.doesNotMatch(hoverText, /Kari Nordmann/, 'no other coder in the hover');
    // The views count my codings only: every count in the Codes view comes from Ola's one coding.
    await until('the Codes view counting only mine', () => {
      const total = g.codesView.rows().reduce((n, r) => n + Number(r.description.split(' ')[0] || 0), 0);
      return total === 1;
    });
    assert.equal(onDisk().codings.length, others + 1, 'nothing was removed from the sidecar');

    assert.equal(workspaceSettings(), settingsBefore, 'blind mode on: the workspace settings are untouched');

    await vscode.commands.executeCommand('grounded.toggleBlindMode');
    await until('everyone\'s codings drawn again', () => g.decorations.appliedTo(uri).length === others + 1);
    assert.equal(workspaceSettings(), settingsBefore, 'blind mode off: the workspace settings are untouched');
  });
});
