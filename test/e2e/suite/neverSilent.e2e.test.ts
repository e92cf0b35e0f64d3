// Commands say what they did and, when they cannot act, why and what to do: Add Name to Pseudonym
// Table confirms in a notification naming both names, with a button that opens the table; Remove
// Attribute on a case without attributes and an import whose every file exists say so, with the way on.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImportOutcome } from '../../../src/vscode/importCommands';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, until, workspaceRoot } from './helpers';

const abs = (rel: string): string => path.join(workspaceRoot(), ...rel.split('/'));

/** Runs `action` with window.showInformationMessage replaced by a recorder (nothing pops up); the original is put back after. */
async function recordingInformation(action: () => Promise<unknown>): Promise<{ message: string; items: string[] }[]> {
  const window = vscode.window as { showInformationMessage: (message: string, ...items: string[]) => Thenable<string | undefined> };
  const original = window.showInformationMessage;
  const shown: { message: string; items: string[] }[] = [];
  window.showInformationMessage = (message: string, ...items: string[]) => {
    shown.push({ message, items });
    return Promise.resolve(undefined);
  };
  try {
    await action();
  } finally {
    window.showInformationMessage = original;
  }
  return shown;
}

describe('Never silent', function () {
  this.timeout(60000);
  let g: GroundedApi;
  const tableFile = () => abs('pseudonyms.json');
  let savedTable: string | undefined;

  before(async () => {
    g = await groundedApi();
    savedTable = fs.existsSync(tableFile()) ? fs.readFileSync(tableFile(), 'utf8') : undefined;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (savedTable === undefined) fs.rmSync(tableFile(), { force: true });
    else fs.writeFileSync(tableFile(), savedTable);
    fs.rmSync(abs('e2e-never-silent'), { recursive: true, force: true });
  });

  it('Add Name to Pseudonym Table confirms in a notification naming the real name and the pseudonym, whose button opens the table', async () => {
    const shown = await recordingInformation(() =>
      Promise.resolve(vscode.commands.executeCommand('grounded.addPseudonym', { real: 'e2e Ragnhild Dahl', pseudonym: 'e2e Eva', matchCase: false })),
    );
    assert.match(fs.readFileSync(tableFile(), 'utf8'), /\{"real":"e2e Ragnhild Dahl","pseudonym":"e2e Eva"\}/);
    const note = shown.find((n) => n.message.includes('e2e Ragnhild Dahl'));
    assert.ok(note, `a notification names the real name: ${JSON.stringify(shown)}`);
    assert.equal(note.message, 'Grounded: exports now write "e2e Eva" for "e2e Ragnhild Dahl".');
    assert.deepEqual(note.items, ['Open Pseudonym Table']);

    // The button (pressed through the recorded notification) opens pseudonyms.json in an editor.
    const recorded = [...g.shownNotifications()].reverse().find((n) => n.message === note.message)!;
    await recorded.actions.find((a) => a.title === 'Open Pseudonym Table')!.run();
    await until('pseudonyms.json in the editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === tableFile());

    // Changing the pseudonym says what it was before.
    const again = await recordingInformation(() =>
      Promise.resolve(vscode.commands.executeCommand('grounded.addPseudonym', { real: 'e2e Ragnhild Dahl', pseudonym: 'e2e Vera', matchCase: false })),
    );
    assert.ok(
      again.some((n) => n.message === 'Grounded: exports now write "e2e Vera" for "e2e Ragnhild Dahl" (before: "e2e Eva").'),
      JSON.stringify(again),
    );
  });

  it('Remove Attribute on a case without attributes says so and offers Set Attribute…, changing nothing', async () => {
    const caseId = (await vscode.commands.executeCommand<string>('grounded.newCase', { pseudonym: 'e2e Uten Attributter' }))!;
    try {
      const before = fs.readFileSync(abs('grounded.json'), 'utf8');
      const errors = g.shownErrors().length;
      const shown = await recordingInformation(() => Promise.resolve(vscode.commands.executeCommand('grounded.removeCaseAttribute', { caseId })));
      const note = shown.find((n) => n.message.includes('no attributes to remove'));
      assert.ok(note, JSON.stringify(shown));
      assert.match(note.message, /the case "e2e Uten Attributter" has no attributes to remove/);
      assert.deepEqual(note.items, ['Set Attribute…']);
      assert.equal(g.shownErrors().length, errors, 'not an error: there is simply nothing to remove');
      assert.equal(fs.readFileSync(abs('grounded.json'), 'utf8'), before);
    } finally {
      await vscode.commands.executeCommand('grounded.deleteCase', { caseId, confirm: false });
    }
  });

  it('an import whose every file already exists says that nothing was imported and why, instead of returning quietly', async () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-never-silent-'));
    const source = path.join(scratch, 'samtale.vtt');
    fs.writeFileSync(source, 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Intervjuer>Hvordan går det?\n\n00:00:04.000 --> 00:00:06.000\n<v Liv>Bra.\n');
    try {
      const args = { files: [source], format: 'txt', folder: 'e2e-never-silent' };
      const first = await vscode.commands.executeCommand<ImportOutcome>('grounded.importTranscript', args);
      assert.deepEqual(first.written, ['e2e-never-silent/samtale.txt']);
      let outcome: ImportOutcome | undefined;
      const shown = await recordingInformation(async () => {
        outcome = await vscode.commands.executeCommand<ImportOutcome>('grounded.importTranscript', { ...args, ifExists: 'skip' });
      });
      assert.deepEqual(outcome?.written, []);
      const note = shown.find((n) => n.message.includes('nothing was imported'));
      assert.ok(note, JSON.stringify(shown));
      assert.match(note.message, /e2e-never-silent\/samtale\.txt exists, and Grounded never overwrites a transcript/);
      assert.deepEqual(note.items, ['Import Transcript…']);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});
