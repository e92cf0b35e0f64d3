// Transcripts renamed, moved and deleted inside VS Code, and editing a coding: Change Code (with Undo),
// Add Note, and the Undo of Remove Coding. Every check reads the files on disk or what the editor shows.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recentFirst } from '../../../src/core/codebook';
import type { Sidecar } from '../../../src/core/model';
import { parseProject, serializeProject } from '../../../src/core/project';
import { parseMemo, serializeMemo } from '../../../src/core/memo';
import type { ShownNotification } from '../../../src/vscode/errors';
import { groundedApi, placeSelection, sleep, until, workspaceRoot } from './helpers';

const TEXT = [
  'Intervjuer: Hvordan holder du kontakten med familien?',
  '',
  'Sara (00:12:40): Jeg ringer mamma hver søndag. Det er det faste punktet i uka, selv når vi ikke har noe å si.',
  '',
].join('\n');
const CASE_ID = '5a0e2d2c-58b9-4a57-9d3e-0d2f7c1e6a11';
const MEMO_ID = '7c1b9e40-3f0a-4d8e-a6b2-8e1f2d3c4b5a';
const MEMO = `memos/om-sara-${MEMO_ID.slice(0, 8)}.md`;

const abs = (rel: string): string => path.join(workspaceRoot(), ...rel.split('/'));
const uri = (rel: string): vscode.Uri => vscode.Uri.file(abs(rel));
const exists = (rel: string): boolean => fs.existsSync(abs(rel));
const readSidecar = (transcript: string): Sidecar => JSON.parse(fs.readFileSync(abs(`${transcript}.codes.json`), 'utf8'));
const caseDocuments = (): string[] =>
  parseProject(fs.readFileSync(abs('grounded.json'), 'utf8'), 'grounded.json').cases.find((k) => k.id === CASE_ID)?.documents ?? [];
const memoTarget = (): string => {
  const t = parseMemo(fs.readFileSync(abs(MEMO), 'utf8'), MEMO).target;
  return t.kind === 'document' ? t.path : t.kind;
};

/** Writes a transcript, opens it, and codes two of its sentences. Returns the editor. */
async function codedTranscript(rel: string): Promise<vscode.TextEditor> {
  fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
  fs.writeFileSync(abs(rel), TEXT);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri(rel)));
  await select(editor, 'Jeg ringer mamma hver søndag.');
  await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'Ringer hjem' });
  await select(editor, 'Det er det faste punktet i uka');
  await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'Faste holdepunkter' });
  await until('two codings in the sidecar', () => exists(`${rel}.codes.json`) && readSidecar(rel).codings.length === 2);
  return editor;
}

async function select(editor: vscode.TextEditor, words: string, caretOnly = false): Promise<void> {
  const at = TEXT.indexOf(words);
  assert.ok(at >= 0, words);
  const start = editor.document.positionAt(caretOnly ? at + 1 : at);
  await placeSelection(editor, new vscode.Selection(start, caretOnly ? start : editor.document.positionAt(at + words.length)));
}

async function rename(from: string, to: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.renameFile(uri(from), uri(to));
  assert.ok(await vscode.workspace.applyEdit(edit), 'the rename was applied');
}

/** The newest notification whose message matches, once it has been shown. */
async function notification(pattern: RegExp, after: number): Promise<ShownNotification> {
  const grounded = await groundedApi();
  return until(`a notification matching ${pattern}`, () =>
    grounded
      .shownNotifications()
      .slice(after)
      .find((n) => pattern.test(n.message)),
  );
}

async function press(n: ShownNotification, title: string): Promise<void> {
  const action = n.actions.find((a) => a.title === title);
  assert.ok(action, `the notification "${n.message}" has a button "${title}"`);
  await action.run();
}

describe('Renaming, moving and deleting transcripts; editing codings', function () {
  this.timeout(90000);

  before(async () => {
    await groundedApi();
  });

  it('renaming a transcript moves its sidecar and updates the paths recorded for it', async () => {
    const grounded = await groundedApi();
    const OLD = 'interviews/e2e-sara.txt';
    const NEW = 'interviews/e2e-sara-2026.txt';
    const editor = await codedTranscript(OLD);
    const before = readSidecar(OLD);
    // A case and a memo that name the transcript.
    const project = parseProject(fs.readFileSync(abs('grounded.json'), 'utf8'), 'grounded.json');
    project.cases.push({ id: CASE_ID, pseudonym: 'Sara', documents: [OLD], attributes: {} });
    fs.writeFileSync(abs('grounded.json'), serializeProject(project));
    await until('the case loaded', () => grounded.project.project?.cases.some((k) => k.id === CASE_ID));
    fs.writeFileSync(
      abs(MEMO),
      serializeMemo({ id: MEMO_ID, target: { kind: 'document', path: OLD }, author: 'Kari', created: '2026-11-02T10:00:00.000Z', modified: '2026-11-02T10:00:00.000Z', body: 'Søndagene.' }),
    );
    assert.equal(grounded.decorations.appliedTo(editor.document.uri).length, 2);

    await rename(OLD, NEW);

    await until('the sidecar moved', () => exists(`${NEW}.codes.json`) && !exists(`${OLD}.codes.json`));
    await until('document.path rewritten', () => readSidecar(NEW).document.path === NEW);
    const after = readSidecar(NEW);
    assert.deepEqual(after.codings, before.codings, 'every coding moved with it, unchanged');
    assert.equal(after.document.hash, before.document.hash);
    await until('the case follows', () => caseDocuments()[0] === NEW);
    assert.deepEqual(caseDocuments(), [NEW]);
    await until('the memo follows', () => memoTarget() === NEW);

    const renamed = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri(NEW)));
    await until('the renamed transcript decorated', () => grounded.decorations.appliedTo(renamed.document.uri).length === 2);
    assert.deepEqual(
      grounded.decorations.appliedTo(renamed.document.uri).map((d) => [d.start, d.codeId]),
      before.codings.map((c) => [c.anchor.start, c.codeId]),
    );
    assert.equal(grounded.codings.peek(uri(OLD)), undefined, 'nothing is held for the old path');

    // Coding the renamed transcript writes the new sidecar, never the old one again.
    await select(renamed, 'selv når vi ikke har noe å si');
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'Ringer hjem' });
    await until('a third coding in the new sidecar', () => readSidecar(NEW).codings.length === 3);
    assert.ok(!exists(`${OLD}.codes.json`), 'the old sidecar was not written again');
    assert.equal(readSidecar(NEW).document.path, NEW);
  });

  it('moving a transcript into another folder, then renaming that folder, keeps its codings with it', async () => {
    const grounded = await groundedApi();
    const OLD = 'interviews/e2e-flytt.txt';
    await codedTranscript(OLD);
    const before = readSidecar(OLD);
    const MOVED = 'arkiv/2026/e2e-flytt.txt';
    await rename(OLD, MOVED);
    await until('the sidecar moved into the folder', () => exists(`${MOVED}.codes.json`) && !exists(`${OLD}.codes.json`));
    await until('document.path rewritten', () => readSidecar(MOVED).document.path === MOVED);
    assert.deepEqual(readSidecar(MOVED).codings, before.codings);

    const FOLDER = 'arkiv-gammelt/2026/e2e-flytt.txt';
    await rename('arkiv', 'arkiv-gammelt');
    await until('document.path follows the folder', () => exists(`${FOLDER}.codes.json`) && readSidecar(FOLDER).document.path === FOLDER);
    assert.deepEqual(readSidecar(FOLDER).codings, before.codings);

    const moved = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri(FOLDER)));
    await until('the moved transcript decorated', () => grounded.decorations.appliedTo(moved.document.uri).length === 2);
  });

  it('a rename onto a name whose sidecar already exists leaves both sidecars as they are, and warns', async () => {
    const grounded = await groundedApi();
    const OLD = 'interviews/e2e-kollisjon.txt';
    const NEW = 'interviews/e2e-kollisjon-ny.txt';
    await codedTranscript(OLD);
    const ours = fs.readFileSync(abs(`${OLD}.codes.json`), 'utf8');
    const stray = ours.replace(`"path":"${OLD}"`, `"path":"${NEW}"`).replace(/\n {4}\{.*\n/, '\n');
    fs.writeFileSync(abs(`${NEW}.codes.json`), stray); // left behind by a transcript deleted earlier
    const shown = grounded.shownNotifications().length;
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await rename(OLD, NEW);
    const warning = await notification(/e2e-kollisjon-ny\.txt\.codes\.json already exists/, shown);
    assert.equal(warning.severity, 'warning');
    assert.ok(exists(NEW) && !exists(OLD), 'the transcript itself was renamed');
    assert.equal(fs.readFileSync(abs(`${NEW}.codes.json`), 'utf8'), stray, 'the existing sidecar is not overwritten');
    assert.equal(fs.readFileSync(abs(`${OLD}.codes.json`), 'utf8'), ours, 'our codings stayed where they were');
  });

  it('deleting a transcript keeps its sidecar and says so, with a button that opens it', async () => {
    const grounded = await groundedApi();
    const REL = 'interviews/e2e-slettes.txt';
    await codedTranscript(REL);
    const before = readSidecar(REL);
    const shown = grounded.shownNotifications().length;
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(uri(REL));
    assert.ok(await vscode.workspace.applyEdit(edit));

    const warning = await notification(/e2e-slettes\.txt was deleted/, shown);
    assert.equal(warning.severity, 'warning');
    assert.match(warning.message, /interviews\/e2e-slettes\.txt\.codes\.json was kept, with 2 codings/);
    assert.ok(!exists(REL), 'the transcript is gone');
    assert.deepEqual(readSidecar(REL), before, 'the sidecar is kept, unchanged');
    assert.ok(warning.actions.some((a) => a.title === 'Delete Sidecar…'), 'deleting it too is offered, not done');

    await press(warning, 'Open Sidecar');
    await until('the sidecar open in the editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === abs(`${REL}.codes.json`));
  });

  it('Change Code gives the coding at the cursor another code, and Undo gives the old one back', async () => {
    const grounded = await groundedApi();
    const REL = 'interviews/e2e-endre.txt';
    const editor = await codedTranscript(REL);
    const [first, second] = readSidecar(REL).codings;
    const oldCode = first.codeId;
    await select(editor, 'Jeg ringer mamma', true);
    const shown = grounded.shownNotifications().length;
    await vscode.commands.executeCommand('grounded.changeCode', { codeName: 'Omsorg for mor' });

    const changed = grounded.project.project!.codes.find((c) => c.name === 'Omsorg for mor');
    assert.ok(changed, 'the new code was created');
    const after = readSidecar(REL).codings;
    assert.equal(after.find((c) => c.id === first.id)?.codeId, changed.id, 'the coding has the new code on disk');
    assert.deepEqual(after.find((c) => c.id === second.id), second, 'the other coding is untouched');
    assert.deepEqual({ ...after.find((c) => c.id === first.id), codeId: oldCode }, first, 'only the code changed');
    await until('drawn in the new code', () => grounded.decorations.appliedTo(editor.document.uri).some((d) => d.start === first.anchor.start && d.codeId === changed.id));

    // Undone from the one history (Ctrl+Z in the transcript, or Grounded: Undo Last Edit)
    assert.equal(grounded.shownNotifications().length, shown, 'a coding action piles no notification over the text');
    assert.equal(await vscode.commands.executeCommand('grounded.undo'), 'Changed the code "Ringer hjem" to "Omsorg for mor".');
    assert.deepEqual(readSidecar(REL).codings.find((c) => c.id === first.id), first, 'Undo restored the old code on disk');
    await until('drawn in the old code again', () => grounded.decorations.appliedTo(editor.document.uri).some((d) => d.start === first.anchor.start && d.codeId === oldCode));

    // Without a code in the arguments it asks with the codebook's quick pick: recently used codes
    // first, then by name, and never the code the coding has now.
    const order = recentFirst(grounded.project.project!.codes.filter((c) => c.id !== oldCode), grounded.recentCodes());
    const firstByName = [...order.recent, ...order.others][0];
    assert.notEqual(firstByName.id, oldCode);
    const asking = vscode.commands.executeCommand('grounded.changeCode', { codingId: first.id });
    await until('the code picker', () => grounded.codePicker());
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await until('the first code active', () => grounded.codePicker()?.active === firstByName.name);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await asking;
    assert.equal(readSidecar(REL).codings.find((c) => c.id === first.id)?.codeId, firstByName.id, 'the picked code is written');
  });

  it('Add Note writes the note to the sidecar, the hover shows it, and an empty note removes it', async () => {
    const REL = 'interviews/e2e-notat.txt';
    const editor = await codedTranscript(REL);
    const coding = readSidecar(REL).codings.find((c) => c.anchor.quote === 'Det er det faste punktet i uka')!;
    await select(editor, 'faste punktet', true);
    await vscode.commands.executeCommand('grounded.addNote', { note: '  Sier det nesten unnskyldende  ' });
    assert.equal(readSidecar(REL).codings.find((c) => c.id === coding.id)?.note, 'Sier det nesten unnskyldende');

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, editor.selection.active);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /Sier det nesten unnskyldende/, 'the hover shows the note');

    // Asked, the input box holds the note already there: accepting it unchanged keeps it.
    const asking = vscode.commands.executeCommand('grounded.addNote');
    await sleep(700);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await asking;
    assert.equal(readSidecar(REL).codings.find((c) => c.id === coding.id)?.note, 'Sier det nesten unnskyldende');

    await vscode.commands.executeCommand('grounded.addNote', { codingId: coding.id, note: '' });
    const after = readSidecar(REL).codings.find((c) => c.id === coding.id)!;
    assert.ok(!('note' in after), 'no note key left in the file');
    assert.deepEqual(after, coding);
  });

  it('Remove Coding is undone from the one history: the coding is back on disk and drawn, and redo removes it again', async () => {
    const grounded = await groundedApi();
    const REL = 'interviews/e2e-angre.txt';
    const editor = await codedTranscript(REL);
    const before = readSidecar(REL).codings;
    const gone = before[0];
    const shown = grounded.shownNotifications().length;
    await vscode.commands.executeCommand('grounded.removeCoding', { codingId: gone.id });
    assert.deepEqual(readSidecar(REL).codings.map((c) => c.id), [before[1].id], 'removed on disk');
    await until('no longer drawn', () => !grounded.decorations.appliedTo(editor.document.uri).some((d) => d.start === gone.anchor.start));

    assert.equal(grounded.shownNotifications().length, shown, 'no notification: the status bar names the undo key');
    assert.deepEqual(grounded.undoKeys.state, { undo: true, redo: false }, 'Ctrl+Z in this transcript undoes the removal');
    assert.equal(await vscode.commands.executeCommand('grounded.undo'), 'Removed the coding "Ringer hjem".');
    assert.deepEqual(readSidecar(REL).codings, before, 'the coding is back, the same id and anchor');
    await until('drawn again', () => grounded.decorations.appliedTo(editor.document.uri).some((d) => d.start === gone.anchor.start && d.codeId === gone.codeId));
    assert.equal(grounded.undoKeys.state.redo, true, 'Ctrl+Shift+Z in this transcript redoes the removal');
    await vscode.commands.executeCommand('grounded.redo');
    assert.deepEqual(readSidecar(REL).codings.map((c) => c.id), [before[1].id], 'redo removes it again');
  });
});
