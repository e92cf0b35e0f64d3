// Who is coding: the first coding asks for the coder name (once), saves it in the user settings and
// records it; Escape codes nothing and says why; the status bar shows the name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sidecar } from '../../../src/core/model';
import type { GroundedApi } from '../../../src/vscode/main';
import { E2E_CODER, groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-identity.txt';
const TEXT = [
  'Intervjuer: Hvem hjelper deg i hverdagen?',
  '',
  'Siri (00:02:10): Naboen handler for meg på torsdager. Sønnen min kommer hver helg.',
  '',
  'Siri (00:02:40): Jeg vil ikke være til bry for noen.',
  '',
].join('\n');
const OLD_NAME = 'Siri Gammelkoder';

describe('Coder name', function () {
  this.timeout(60000);
  let g: GroundedApi;
  let editor: vscode.TextEditor;
  const config = () => vscode.workspace.getConfiguration('grounded');
  const userCoder = () => config().inspect<string>('coder')?.globalValue;
  const sidecar = (): Sidecar | undefined => {
    const file = path.join(workspaceRoot(), `${REL}.codes.json`);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Sidecar) : undefined;
  };
  const settingsDir = () => path.join(workspaceRoot(), '.vscode');

  async function select(words: string): Promise<void> {
    await vscode.window.showTextDocument(editor.document);
    const at = TEXT.indexOf(words);
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
  }

  before(async () => {
    g = await groundedApi();
    fs.writeFileSync(path.join(workspaceRoot(), REL), TEXT);
    // An older project named its coder in the (shared) workspace settings: no longer applied, only suggested.
    fs.mkdirSync(settingsDir(), { recursive: true });
    fs.writeFileSync(path.join(settingsDir(), 'settings.json'), JSON.stringify({ 'grounded.coder': OLD_NAME }, null, 2));
    editor = await vscode.window.showTextDocument(vscode.Uri.file(path.join(workspaceRoot(), REL)));
    await config().update('coder', undefined, vscode.ConfigurationTarget.Global);
    await until('no coder name', () => config().get('coder') === '');
  });

  after(async () => {
    await config().update('coder', E2E_CODER, vscode.ConfigurationTarget.Global);
    fs.rmSync(settingsDir(), { recursive: true, force: true });
  });

  it('the first coding asks for the name once, saves it to the user settings and records it', async () => {
    await until('the status bar asking for a name', () => g.coder.status.text === '$(person) No coder name');
    const asked = g.coder.prompt().timesAsked;
    await select('Naboen handler for meg på torsdager.');
    const coding = vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'e2e hjelp fra naboen' });
    const box = await until('the name box, with a suggestion', () => (g.coder.prompt().open?.value ? g.coder.prompt().open : undefined));
    assert.equal(box.value, OLD_NAME, "the old project's name is suggested");
    assert.match(box.prompt, /every coding and memo/);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await coding;
    assert.equal(userCoder(), OLD_NAME, 'saved in the user settings');
    assert.deepEqual(sidecar()?.codings.map((c) => c.coder), [OLD_NAME], 'recorded on the coding');
    await until('the name in the status bar', () => g.coder.status.text === `$(person) ${OLD_NAME}`);

    // The second coding does not ask.
    await select('Sønnen min kommer hver helg.');
    const second = vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'e2e hjelp fra familien' });
    let done = false;
    void second.then(() => (done = true));
    await until('the coding, or a name box', () => done || g.coder.prompt().open);
    if (!done) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.equal(g.coder.prompt().timesAsked, asked + 1, 'asked once');
    await second;
    assert.deepEqual(sidecar()?.codings.map((c) => c.coder), [OLD_NAME, OLD_NAME]);
  });

  it('Escape at the name box codes nothing and says why, with the way to set it', async () => {
    await config().update('coder', undefined, vscode.ConfigurationTarget.Global);
    const before = sidecar()?.codings.length;
    const notes = g.shownNotifications().length;
    await select('Jeg vil ikke være til bry for noen.');
    const coding = vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'e2e ikke til bry' });
    await until('the name box', () => g.coder.prompt().open);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await coding;
    assert.equal(sidecar()?.codings.length, before, 'nothing coded');
    assert.equal(userCoder(), undefined, 'no name saved');
    const said = g.shownNotifications().slice(notes);
    assert.deepEqual(
      said.map((n) => [n.severity, n.message, n.actions.map((a) => a.title)]),
      [['warning', 'Grounded needs a coder name to record who coded. Set it with Set Coder Name…', ['Set Coder Name…']]],
    );
    assert.ok(!g.project.project?.codes.some((c) => c.name === 'e2e ikke til bry'), 'no code created either');
  });

  it('Set Coder Name… changes the name; VS Code refuses it in the shared workspace settings', async () => {
    assert.equal(await vscode.commands.executeCommand('grounded.setCoderName', 'Siri Ny'), 'Siri Ny');
    assert.equal(userCoder(), 'Siri Ny');
    await until('the new name in the status bar', () => g.coder.status.text === '$(person) Siri Ny');
    await assert.rejects(Promise.resolve(config().update('coder', 'Someone Else', vscode.ConfigurationTarget.Workspace)), 'a user setting only');
  });
});
