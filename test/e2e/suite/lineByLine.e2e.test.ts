// A researcher's first day: Initialize Project asks which speakers are interviewers and fits the Explorer
// and the editor to transcripts; Next/Previous Uncoded Segment walk the turns from the very first one,
// past the interviewer, selecting the speaker's words without the name.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-linje-for-linje.txt';
const TEXT = [
  'Ola: Første replikk, som ingen har kodet ennå.',
  'Intervjuer: Og så?',
  '[00:01:02] Ola: Andre replikk.',
  '',
  'Kari (00:02:00): Tredje replikk.',
  '',
].join('\n');

const selected = (editor: vscode.TextEditor) => editor.document.getText(editor.selection);

async function press(command: 'next' | 'previous'): Promise<void> {
  await vscode.commands.executeCommand(command === 'next' ? 'grounded.nextUncodedSegment' : 'grounded.previousUncodedSegment');
}

describe('Line-by-line coding', function () {
  this.timeout(60000);
  let editor: vscode.TextEditor;

  before(async () => {
    fs.writeFileSync(path.join(workspaceRoot(), REL), TEXT);
    const grounded = await groundedApi();
    assert.deepEqual(grounded.project.project!.settings.excludedSpeakers, ['Interviewer', 'Intervjuer'], 'the sample leaves the interviewer out');
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), REL))));
  });

  it('offers the first turn with the cursor at the top, and selects the words without "Ola: "', async () => {
    await placeSelection(editor, new vscode.Selection(0, 0, 0, 0));
    await press('next');
    assert.equal(selected(editor), 'Første replikk, som ingen har kodet ennå.');
  });

  it('walks on with each press, past the interviewer and a leading timestamp, and stays at the end', async () => {
    await press('next');
    assert.equal(selected(editor), 'Andre replikk.', "the interviewer's turn is not a stop; the timestamp and name are not selected");
    await press('next');
    assert.equal(selected(editor), 'Tredje replikk.');
    const last = editor.selection;
    await press('next');
    assert.ok(editor.selection.isEqual(last), 'nothing after the last turn: the selection stays');
    await press('previous');
    assert.equal(selected(editor), 'Andre replikk.');
    await press('previous');
    assert.equal(selected(editor), 'Første replikk, som ingen har kodet ennå.');
  });

  it('selects the label too when grounded.lineByLine.includeSpeakerLabel is on', async () => {
    const config = vscode.workspace.getConfiguration('grounded');
    await config.update('lineByLine.includeSpeakerLabel', true, vscode.ConfigurationTarget.Global);
    try {
      await placeSelection(editor, new vscode.Selection(0, 0, 0, 0));
      await press('next');
      assert.equal(selected(editor), 'Ola: Første replikk, som ingen har kodet ennå.');
      await press('next');
      assert.equal(selected(editor), '[00:01:02] Ola: Andre replikk.');
    } finally {
      await config.update('lineByLine.includeSpeakerLabel', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('Initialize Project asks for the interviewers and fits the workspace settings', function () {
  this.timeout(60000);
  const projectFile = () => path.join(workspaceRoot(), 'grounded.json');
  const settingsFile = () => path.join(workspaceRoot(), '.vscode', 'settings.json');
  let grounded: GroundedApi;
  let savedProject: string;
  let savedSettings: string | undefined;
  const realQuickPick = vscode.window.showQuickPick;
  const asked: { items: vscode.QuickPickItem[]; options?: vscode.QuickPickOptions }[] = [];

  /** The quick pick answers itself with the items ticked in advance (what Enter takes). */
  function answerWithTicked(): void {
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => {
      asked.push({ items: [...items], options });
      return items.filter((i) => i.picked);
    };
  }

  async function writeSettings(text: string, check: () => boolean): Promise<void> {
    fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
    fs.writeFileSync(settingsFile(), text);
    await until('VS Code to read the settings file', check);
  }

  before(async () => {
    grounded = await groundedApi();
    savedProject = fs.readFileSync(projectFile(), 'utf8');
    savedSettings = fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : undefined;
  });

  afterEach(() => {
    (vscode.window as { showQuickPick: unknown }).showQuickPick = realQuickPick;
  });

  after(async () => {
    fs.rmSync(path.join(workspaceRoot(), REL), { force: true }); // written above; its speaker Ola is asked about here
    fs.writeFileSync(projectFile(), savedProject);
    if (savedSettings === undefined) fs.rmSync(settingsFile(), { force: true });
    else fs.writeFileSync(settingsFile(), savedSettings);
    await grounded.project.refresh();
    await until('the sample project back', () => grounded.project.project?.codes.length);
  });

  it('lists the speakers with the interviewers ticked, leaves the ones picked out (undoably), and nests sidecars and wraps lines', async () => {
    await writeSettings('{\n  // kept: a comment of the researcher\n  "editor.fontSize": 15\n}\n', () => vscode.workspace.getConfiguration('editor').inspect('fontSize')?.workspaceValue === 15);
    fs.rmSync(projectFile());
    answerWithTicked();
    const created = await vscode.commands.executeCommand('grounded.initializeProject', { name: 'Linje for linje' });
    assert.equal(created, true);

    const [question] = asked;
    assert.ok(question, 'the speakers were asked about');
    assert.equal(question.options?.canPickMany, true);
    assert.match(question.options?.placeHolder ?? '', /Which speakers are interviewers\?.*left out of the analysis.*skipped by line-by-line coding/);
    const labels = question.items.map((i) => i.label);
    for (const name of ['Intervjuer', 'Interviewer', 'Håkon', 'Mira', 'Ola']) assert.ok(labels.includes(name), `${name} is listed`);
    assert.deepEqual(question.items.filter((i) => i.picked).map((i) => i.label).sort(), ['Interviewer', 'Intervjuer']);
    assert.match(question.items.find((i) => i.label === 'Ola')!.description ?? '', /^2 turns in 1 transcript$/);

    const project = JSON.parse(fs.readFileSync(projectFile(), 'utf8'));
    assert.equal(project.project.name, 'Linje for linje');
    assert.deepEqual(project.settings.excludedSpeakers, ['Interviewer', 'Intervjuer']);

    const text = fs.readFileSync(settingsFile(), 'utf8');
    assert.ok(text.includes('// kept: a comment of the researcher') && text.includes('"editor.fontSize": 15'), 'the file keeps what it had');
    const explorer = vscode.workspace.getConfiguration('explorer');
    assert.equal(explorer.inspect('fileNesting.enabled')?.workspaceValue, true);
    assert.deepEqual(explorer.inspect('fileNesting.patterns')?.workspaceValue, {
      '*.txt': '${capture}.txt.codes.json',
      '*.md': '${capture}.md.codes.json',
    });
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId: 'plaintext' }).inspect('wordWrap')?.workspaceLanguageValue, 'on');

    const note = [...grounded.shownNotifications()].reverse().find((n) => n.message.includes('Linje for linje'));
    assert.ok(note, 'the user is told');
    assert.match(note.message, /Interviewer, Intervjuer|Intervjuer, Interviewer/);
    const undo = note.actions.find((a) => a.title === 'Undo');
    assert.ok(undo, 'with an Undo button');
    await undo.run();
    await until('the interviewers counted again', () => !grounded.project.project?.settings.excludedSpeakers?.length);
    assert.equal(JSON.parse(fs.readFileSync(projectFile(), 'utf8')).settings.excludedSpeakers, undefined);
  });

  it('leaves a settings file that does not parse alone and says so; Escape leaves every speaker in', async () => {
    const broken = '{\n  "editor.fontSize": 15,\n  <<<<<<< HEAD\n';
    await writeSettings(broken, () => vscode.workspace.getConfiguration('explorer').inspect('fileNesting.enabled')?.workspaceValue === undefined);
    fs.rmSync(projectFile());
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async () => undefined;
    const before = grounded.shownNotifications().length;
    const created = await vscode.commands.executeCommand('grounded.initializeProject', { name: 'Uten tolk' });
    assert.equal(created, true);
    assert.equal(fs.readFileSync(settingsFile(), 'utf8'), broken);
    const warning = grounded.shownNotifications().slice(before).find((n) => n.severity === 'warning');
    assert.ok(warning, 'a warning names the problem');
    assert.match(warning.message, /settings\.json/);
    assert.equal(JSON.parse(fs.readFileSync(projectFile(), 'utf8')).settings.excludedSpeakers, undefined);
  });
});
