// Every command of the extension, in one table, registered in one loop (see main.ts).
import * as vscode from 'vscode';
import type { Code, Coding } from '../core/model';
import { codingsAt, inVivoName } from '../core/query';
import { excludedTurnTest, nextUncoded, wordsOf } from '../core/segments';
import { recentFirst, touchRecent } from '../core/codebook';
import { findCodeByName } from '../core/project';
import type { CodingService } from './codings';
import { sourceKindOf } from '../core/transcriptImport';
import { wordsAtCursor } from '../core/wordsAtCursor';
import type { WordsAtCursor } from '../core/wordsAtCursor';
import { lineByLineIncludesLabel, transcriptGlobs } from './config';
import { ensureCoder } from './coder';
import { lineIndexOf } from './convert';
import { ActionableError, notify } from './errors';
import type { NotificationAction } from './errors';
import { announceUndoable, editOf } from './undo';
import { askInterviewers, writeWorkspaceSettings } from './projectSetup';
import { ignoreSaveFiles } from './gitSetup';
import type { ProjectService } from './project';
import type { ProjectSession } from '../core/session';
import type { CodebookService } from './codebook';
import type { WorkspaceFileSystem } from './workspaceFs';
import { languageName, openTranslation } from './translation';
import type { TranslationHost, TranslationTarget } from './translation';

export interface Services {
  project: ProjectService;
  codings: CodingService;
  /** the project session: coding actions are its transactions, on the one undo history */
  session: ProjectSession;
  codebook: CodebookService;
  fs: WorkspaceFileSystem;
  /** workspace state: the last code used, for "Code with Last Code" */
  memento: vscode.Memento;
}

const LAST_CODE = 'grounded.lastCodeId';
export const RECENT_CODES_KEY = 'grounded.recentCodeIds';
const RECENT = RECENT_CODES_KEY;

/** Remembers the code just used: for Code with Last Code, and to list it first in the code picker. */
async function rememberCode(s: Services, id: string): Promise<void> {
  await s.memento.update(LAST_CODE, id);
  await s.memento.update(RECENT, touchRecent(s.memento.get<string[]>(RECENT) ?? [], id));
}

/** Arguments a keybinding or another extension may pass to grounded.codeSelection. */
export interface CodeSelectionArgs {
  codeId?: string;
  /** an existing code's name, or a new code to create */
  codeName?: string;
}

/** Arguments for Change Code and Add Note without asking (tests, keybindings, other extensions). */
export interface EditCodingArgs {
  codingId?: string;
  /** Change Code: the new code, by id or by name (created if new) */
  codeId?: string;
  codeName?: string;
  /** Add Note: the note; empty removes it */
  note?: string;
  /** Translate: the translation; empty removes it */
  translation?: string;
  /** Translate: the language translated into (default: the project's report language, else en) */
  language?: string;
  /** Mark as Representative: of its code, of its category, or not ('none') */
  representative?: 'code' | 'category' | 'none';
  /** the transcript holding codingId, when the command comes from a view (it is opened first) */
  path?: string;
}

export type CommandTable = Record<string, (...args: never[]) => unknown>;

export function createCommands(s: Services): CommandTable {
  return {
    'grounded.initializeProject': (args?: InitializeArgs) => initializeProject(s, args),
    'grounded.codeSelection': (args?: CodeSelectionArgs) => codeSelection(s, args ?? {}),
    'grounded.inVivoCode': () => inVivoCode(s),
    'grounded.codeWithLastCode': () => codeWithLastCode(s),
    'grounded.removeCoding': (args?: { codingId?: string }) => removeCoding(s, args?.codingId),
    'grounded.codingsAtCursor': () => codingsAtCursor(s),
    'grounded.changeCode': (args?: EditCodingArgs) => changeCode(s, args ?? {}),
    'grounded.addNote': (args?: EditCodingArgs) => addNote(s, args ?? {}),
    'grounded.translateCoding': (args?: EditCodingArgs) => translateCoding(s, args ?? {}),
    'grounded.markRepresentative': (args?: EditCodingArgs) => markRepresentative(s, args ?? {}),
    'grounded.nextUncodedSegment': () => moveToUncoded(s, 'next'),
    'grounded.previousUncodedSegment': () => moveToUncoded(s, 'previous'),
    'grounded.reanchorDocument': () => reanchorActive(s),
    'grounded.showOrphans': () => showOrphans(s),
  };
}

/** Arguments for Initialize Project without asking (tests, other extensions). */
export interface InitializeArgs {
  name?: string;
  /** the speakers whose turns are left out of the analysis; asked when not given */
  interviewers?: string[];
}

/**
 * Creates grounded.json, writes the workspace settings that fit transcripts (projectSetup.ts) and asks
 * which speakers are interviewers: their turns are left out of the analysis, as an undoable edit.
 */
async function initializeProject(s: Services, args: InitializeArgs = {}): Promise<boolean> {
  // Ask the disk, not the last file event: grounded.json may have been deleted or restored a moment ago.
  await s.project.refresh();
  if (s.project.loadError) throw s.project.loadError;
  if (s.project.exists) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Grounded: this workspace already has a project (grounded.json).'));
    return false;
  }
  const name = (
    args.name ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Grounded: Initialize Project'),
      prompt: vscode.l10n.t('A name for the project'),
      value: vscode.workspace.workspaceFolders?.[0]?.name ?? vscode.l10n.t('Grounded project'),
      // The walkthrough's button runs this, and its page takes the focus back a moment later: that must not close the box.
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('The project needs a name.')),
    }))
  )?.trim();
  if (!name) return false;
  await s.project.initialize(name);
  await ignoreSaveFiles(s.fs, true); // in a git folder: a save's lock and temporary files stay out of git
  const settingsProblem = await writeWorkspaceSettings();
  const interviewers = args.interviewers ?? (await askInterviewers(s.fs));
  const left = interviewers.length
    ? editOf(await s.session.setExcludedSpeakers(vscode.l10n.t('Left out of the analysis: {0}.', interviewers.join(', ')), interviewers))
    : undefined;
  if (left) {
    notify('info', vscode.l10n.t('Grounded: created grounded.json for "{0}". The turns of {1} are left out of the analysis.', name, interviewers.join(', ')), {
      title: vscode.l10n.t('Undo'),
      run: async () => void (await s.session.history.undoTransaction(left.transaction)),
    });
  } else {
    notify('info', vscode.l10n.t('Grounded: created grounded.json for "{0}".', name));
  }
  if (settingsProblem) {
    const open = vscode.l10n.t('Open settings.json');
    notify(
      'warning',
      vscode.l10n.t(
        'Grounded: could not add the workspace settings that nest each .codes.json file under its transcript and wrap long lines, because .vscode/settings.json could not be updated ({0}). Correct the file and add them by hand if you want them (see the README).',
        settingsProblem,
      ),
      { title: open, run: () => vscode.commands.executeCommand('workbench.action.openWorkspaceSettingsFile') },
    );
  }
  return true;
}

/** Makes sure there is a project, offering to create one. */
export async function ensureProject(s: Services): Promise<boolean> {
  if (s.project.exists) return true;
  if (s.project.loadError) throw s.project.loadError;
  const create = vscode.l10n.t('Initialize Project');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Grounded: this workspace has no project yet. Initialize one to start coding.'), create);
  return choice === create && (await initializeProject(s));
}

/** The active editor if it shows a transcript of the project; otherwise says why, and the way forward. */
export function activeTranscript(s: Services): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (editor && s.codings.isTranscript(editor.document.uri)) return editor;
  throw notATranscript(s, editor);
}

/** Why the active file cannot be coded, with a button for the way forward that fits the file. */
function notATranscript(s: Services, editor: vscode.TextEditor | undefined): ActionableError {
  const globs = transcriptGlobs().join(', ');
  const showDocuments: NotificationAction = { title: vscode.l10n.t('Show Documents'), run: () => vscode.commands.executeCommand('grounded.documents.focus') };
  // A .docx or .odt opens in no text editor: the active tab names it.
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = editor?.document.uri ?? (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom ? input.uri : undefined);
  if (!uri || (!editor && s.codings.isTranscript(uri))) {
    return new ActionableError(vscode.l10n.t('Open a transcript first. Transcripts are the files of the project matching the setting grounded.transcripts ({0}).', globs), [showDocuments]);
  }
  if (sourceKindOf(uri.path)) {
    const importIt = { title: vscode.l10n.t('Import as Transcript'), run: () => vscode.commands.executeCommand('grounded.importAsTranscript', uri) };
    return new ActionableError(vscode.l10n.t('This file is not a transcript of the project yet. Import it as a transcript (.txt or .md) to code it.'), [importIt]);
  }
  if (uri.scheme === 'untitled') {
    const save = { title: vscode.l10n.t('Save As…'), run: () => vscode.commands.executeCommand('workbench.action.files.saveAs') };
    return new ActionableError(vscode.l10n.t('This file is not saved yet. Save it in the project folder as a file matching grounded.transcripts ({0}) to code it.', globs), [save]);
  }
  if (s.fs.relative(uri) === undefined) {
    return new ActionableError(vscode.l10n.t('This file is outside the project folder, so it is not a transcript of the project. Open a transcript from the project folder.'), [showDocuments]);
  }
  const openSettings = { title: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'grounded.transcripts') };
  return new ActionableError(vscode.l10n.t('This file is not a transcript of the project. Transcripts are files matching grounded.transcripts ({0}).', globs), [openSettings, showDocuments]);
}

/** The non-empty selections of a transcript editor as LF offsets. */
function selectedSpans(editor: vscode.TextEditor): [number, number][] {
  const index = lineIndexOf(editor.document);
  return editor.selections.map((sel) => [index.offsetAt(sel.start), index.offsetAt(sel.end)] as [number, number]).filter(([a, b]) => b > a);
}

/** What Code Selection codes: the selected words, or with nothing selected the turn (or paragraph) at each cursor. */
interface WordsToCode {
  editor: vscode.TextEditor;
  spans: [number, number][];
  /** set when the words were chosen for the user: what they are, and the selections to put back if they cancel */
  atCursor?: { kind: 'turn' | 'paragraph'; before: readonly vscode.Selection[] };
}

/** The selected words; with nothing selected, selects the words of the turn (or paragraph) at each cursor. */
function wordsToCode(s: Services): WordsToCode {
  const editor = activeTranscript(s);
  const spans = selectedSpans(editor);
  if (spans.length) return { editor, spans };
  const index = lineIndexOf(editor.document);
  const found = new Map<number, WordsAtCursor>();
  for (const sel of editor.selections) {
    const words = wordsAtCursor(index.text, index.offsetAt(sel.active));
    if (words) found.set(words.start, words);
  }
  const words = [...found.values()].sort((a, b) => a.start - b.start);
  if (words.length === 0) {
    throw new ActionableError(vscode.l10n.t('Nothing is selected, and the cursor is not in a speaker turn or a paragraph. Select the words to code, or put the cursor in a turn.'));
  }
  const before = editor.selections;
  // Selected for the user to see what is coded (the speaker's label stays out).
  editor.selections = words.map((w) => {
    const range = index.range(w.start, w.end);
    return new vscode.Selection(range.start, range.end);
  });
  const kind = words.every((w) => w.kind === 'turn') ? 'turn' : 'paragraph';
  return { editor, spans: words.map((w) => [w.start, w.end]), atCursor: { kind, before } };
}

/** The title of the code picker when the words at the cursor are coded. */
function atCursorTitle(kind: 'turn' | 'paragraph', many: boolean): string {
  if (kind === 'turn') return many ? vscode.l10n.t('Grounded: Coding the turns at the cursors') : vscode.l10n.t('Grounded: Coding the turn at the cursor');
  return many ? vscode.l10n.t('Grounded: Coding the paragraphs at the cursors') : vscode.l10n.t('Grounded: Coding the paragraph at the cursor');
}

async function codeSelection(s: Services, args: CodeSelectionArgs, title?: string): Promise<void> {
  const { editor, spans, atCursor } = wordsToCode(s);
  let coded = false;
  try {
    if (!(await ensureProject(s))) return;
    const coder = await ensureCoder();
    if (!coder) return;
    const chosen = atCursor
      ? await confirmAtCursor(s, args, atCursorTitle(atCursor.kind, spans.length > 1))
      : await chooseCode(s, args, title);
    if (!chosen) return;
    await s.codings.load(editor.document);
    // A new code and its first coding are one transaction: one Ctrl+Z takes back both.
    const outcome = await s.session.code(pathOf(s, editor), lineIndexOf(editor.document).text, spans, 'newCode' in chosen ? chosen : chosen.id, coder);
    coded = true;
    const { code } = outcome;
    await rememberCode(s, code.id);
    if (outcome.added.length === 0) {
      // The invariant: the same coder never has the same code twice on the same words. Nothing changed.
      notify('info', vscode.l10n.t('Grounded: these words already have the code "{0}" (by {1}): nothing was added.', code.name, coder));
      return;
    }
    vscode.window.setStatusBarMessage(codedMessage(outcome.added.length, outcome.skipped.length, code.name), 4000);
  } finally {
    // Cancelled after the words at the cursor were selected for the user: their cursor goes back.
    if (atCursor && !coded && vscode.window.visibleTextEditors.includes(editor)) editor.selections = atCursor.before;
  }
}

/** The status bar after coding: how many segments, and the key that undoes it. */
function codedMessage(added: number, skipped: number, name: string): string {
  if (skipped > 0) return vscode.l10n.t('Grounded: coded {0} segment(s) as "{1}"; {2} already had it ({3} to undo)', added, name, skipped, undoKey);
  if (added === 1) return vscode.l10n.t('Grounded: coded 1 segment as "{0}" ({1} to undo)', name, undoKey);
  return vscode.l10n.t('Grounded: coded {0} segments as "{1}" ({2} to undo)', added, name, undoKey);
}

/**
 * The code for the words at the cursor: the code picker, titled with what is coded; or, when the code is
 * given (Code with Last Code, a keybinding), a question first, since the user selected nothing.
 */
async function confirmAtCursor(s: Services, args: CodeSelectionArgs, title: string): Promise<Code | { newCode: string } | undefined> {
  if (!args.codeId && !args.codeName?.trim()) return chooseCode(s, args, title);
  const given = await chooseCode(s, args);
  if (!given) return undefined;
  const name = 'newCode' in given ? given.newCode : given.name;
  const items: CodeItem[] = [
    { label: vscode.l10n.t('$(check) Code them as "{0}"', name), ...('newCode' in given ? { newName: given.newCode } : { code: given }) },
    { label: vscode.l10n.t('$(list-selection) Pick Another Code…') },
  ];
  const picked = await ask(items, title, vscode.l10n.t('Nothing was selected, so the words at the cursor are selected now. Enter codes them.'));
  if (!picked) return undefined;
  if (picked.code) return picked.code;
  return picked.newName ? { newCode: picked.newName } : chooseCode(s, {}, title);
}

/** A short quick pick of choices, visible to the end-to-end tests as the code picker is. */
function ask(items: CodeItem[], title: string, placeholder: string): Promise<CodeItem | undefined> {
  const qp = vscode.window.createQuickPick<CodeItem>();
  qp.title = title;
  qp.placeholder = placeholder;
  qp.items = items;
  return new Promise((resolve) => {
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0] ?? qp.activeItems[0]);
      qp.hide();
    });
    showTracked(qp, resolve);
  });
}

/** The keys that undo a coding action in a transcript, as the user's platform writes them. */
const undoKey = process.platform === 'darwin' ? 'Cmd+Z' : 'Ctrl+Z';

/** The workspace-relative path of the transcript in an editor. */
function pathOf(s: Services, editor: vscode.TextEditor): string {
  const path = s.fs.relative(editor.document.uri);
  if (path === undefined) throw new Error(vscode.l10n.t('This transcript is outside the workspace folder: open it from the folder of the project.'));
  return path;
}

/** The selected words become the name of a new code (or of the existing code with that name). */
async function inVivoCode(s: Services): Promise<void> {
  const editor = activeTranscript(s);
  const spans = selectedSpans(editor);
  const name = spans.length ? inVivoName(lineIndexOf(editor.document).text.slice(spans[0][0], spans[0][1])) : undefined;
  if (!spans.length) throw new ActionableError(vscode.l10n.t("Nothing is selected. Select the words to use as the code's name: In-Vivo Code names the code with the participant's own words."));
  if (!name) throw new ActionableError(vscode.l10n.t("The selection has no words to name a code with. Select the words to use as the code's name."));
  await codeSelection(s, { codeName: name });
}

/** Repeats the last code; without one (or if it was deleted), asks as Code Selection does, saying why. */
function codeWithLastCode(s: Services): Promise<void> {
  const id = s.memento.get<string>(LAST_CODE);
  if (id && s.project.codeById(id)) return codeSelection(s, { codeId: id });
  return codeSelection(s, {}, id ? vscode.l10n.t('Grounded: the last code used was deleted. Pick a code') : vscode.l10n.t('Grounded: no code was used yet. Pick a code'));
}

/** Removes the coding at the cursor (or touching the selection); asks which when several overlap. Undoable. */
async function removeCoding(s: Services, codingId?: string): Promise<void> {
  const editor = activeTranscript(s);
  await s.codings.load(editor.document);
  const all = s.codings.visible(editor.document.uri) ?? [];
  let targets: Coding[];
  if (codingId) {
    targets = all.filter((c) => c.id === codingId);
  } else {
    const index = lineIndexOf(editor.document);
    const sel = editor.selection;
    const here = codingsAt(all, index.offsetAt(sel.start), index.offsetAt(sel.end));
    if (here.length === 0) {
      noCodingHere();
      return;
    }
    targets = here.length === 1 ? here : await pickCodings(s, here);
  }
  if (targets.length === 0) {
    if (codingId) throw new Error(vscode.l10n.t('No coding with id {0} in this transcript.', codingId));
    return; // the user closed the list
  }
  const { transaction } = await s.session.removeCodings(pathOf(s, editor), targets.map((c) => c.id));
  if (transaction) vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: {0} ({1} to undo)', transaction.label, undoKey), 4000);
}

/** Said when a command on a coding finds none at the cursor: where to put it instead. */
function noCodingHere(): void {
  notify('info', vscode.l10n.t('Grounded: there is no coding at the cursor. Put the cursor in highlighted words, or select them, and try again.'));
}

/** The coding to change: by id, the one at the cursor, or the one picked where several overlap. */
async function codingToEdit(s: Services, editor: vscode.TextEditor, codingId?: string): Promise<Coding | undefined> {
  await s.codings.load(editor.document);
  const all = s.codings.visible(editor.document.uri) ?? [];
  if (codingId) {
    const coding = all.find((c) => c.id === codingId);
    if (!coding) throw new Error(vscode.l10n.t('No coding with id {0} in this transcript.', codingId));
    return coding;
  }
  const index = lineIndexOf(editor.document);
  const here = codingsAt(all, index.offsetAt(editor.selection.start), index.offsetAt(editor.selection.end));
  if (here.length === 0) {
    noCodingHere();
    return undefined;
  }
  return here.length === 1 ? here[0] : (await pickCodings(s, here, false))[0];
}

/** Gives the coding at the cursor another code (picked as in Code Selection). Undoable from the notification. */
async function changeCode(s: Services, args: EditCodingArgs): Promise<void> {
  const editor = activeTranscript(s);
  if (!(await ensureProject(s))) return;
  const coding = await codingToEdit(s, editor, args.codingId);
  if (!coding) return;
  const coder = await ensureCoder();
  if (!coder) return;
  const oldName = s.project.codeById(coding.codeId)?.name ?? coding.codeId;
  const code = await resolveCode(s, { codeId: args.codeId, codeName: args.codeName }, coder, vscode.l10n.t('Grounded: Change the code "{0}" to…', oldName), coding.codeId);
  if (!code) return;
  if (code.id === coding.codeId) {
    notify('info', vscode.l10n.t('Grounded: the coding already has the code "{0}": nothing changed.', code.name));
    return;
  }
  const label = vscode.l10n.t('Changed the code "{0}" to "{1}".', oldName, code.name);
  await s.session.editCoding(pathOf(s, editor), coding.id, label, (c) => ({ ...c, codeId: code.id }));
  await rememberCode(s, code.id);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: {0} ({1} to undo)', label, undoKey), 4000);
}

/** Adds, edits or (when emptied) removes the note of the coding at the cursor. The hover shows it. */
async function addNote(s: Services, args: EditCodingArgs): Promise<void> {
  const editor = activeTranscript(s);
  const coding = await codingToEdit(s, editor, args.codingId);
  if (!coding) return;
  const name = s.project.codeById(coding.codeId)?.name ?? coding.codeId;
  const input =
    args.note ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Grounded: Note on the coding "{0}"', name),
      prompt: vscode.l10n.t('A short note on this coding, shown in its hover. Empty removes the note.'),
      value: coding.note ?? '',
    }));
  if (input === undefined) return;
  const note = input.trim();
  if (note === (coding.note ?? '')) {
    vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: the note is unchanged.'), 4000);
    return;
  }
  const label = note ? vscode.l10n.t('Saved the note on "{0}".', name) : vscode.l10n.t('Removed the note on "{0}".', name);
  await s.session.editCoding(pathOf(s, editor), coding.id, label, withField('note', note));
  vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: {0} ({1} to undo)', label, undoKey), 4000);
}

/** An edit of one coding: one optional field set to `value`, or removed when it is empty. */
function withField<K extends 'note' | 'translation' | 'representative'>(key: K, value: Coding[K] | undefined) {
  return (c: Coding): Coding => {
    const next: Coding = { ...c };
    if (value) next[key] = value;
    else delete next[key];
    return next;
  };
}

/** A command from a view row names the transcript: open it with the coding selected first. */
async function editorFor(s: Services, args: EditCodingArgs): Promise<vscode.TextEditor> {
  if (args.path && args.codingId) await vscode.commands.executeCommand('grounded.openCoding', { path: args.path, codingId: args.codingId });
  return activeTranscript(s);
}

/**
 * Gives the coding a translation of its quote (for the report), with the translator's name: opens the
 * translation editor (src/vscode/translation.ts), which stores it on save; with `translation` in the
 * arguments, stores that at once. Empty removes it.
 */
async function translateCoding(s: Services, args: EditCodingArgs): Promise<void> {
  const editor = await editorFor(s, args);
  const coding = await codingToEdit(s, editor, args.codingId);
  if (!coding) return;
  const target = { path: pathOf(s, editor), codingId: coding.id, language: args.language ?? coding.translation?.language ?? s.project.project?.settings.reportLanguage ?? 'en' };
  if (args.translation === undefined) {
    // the translator's name is asked before the translation is typed, so Escape loses nothing
    if (await ensureCoder()) await openTranslation(target);
  } else await storeTranslation(s, target, args.translation);
}

/** Stores a translation on its coding, with the translator's name; empty removes it. Undoable. */
async function storeTranslation(s: Services, { path, codingId, language }: TranslationTarget, input: string): Promise<void> {
  const coding = s.session.documents.document(path).codings.find((c) => c.id === codingId);
  if (!coding) throw new Error(vscode.l10n.t('The coding to translate is gone (removed, or its transcript renamed): the translation was not saved.'));
  const text = input.replace(/\r\n?/g, '\n').trim();
  if (text === (coding.translation?.text ?? '') && language === (coding.translation?.language ?? language)) return;
  const translator = await ensureCoder();
  if (!translator) return;
  const label = text ? vscode.l10n.t('Saved the translation into {0} (by {1}).', languageName(language), translator) : vscode.l10n.t('Removed the translation.');
  const t = await s.session.editCoding(path, coding.id, label, withField('translation', text ? { text, language, translator, created: new Date().toISOString() } : undefined));
  announceUndoable(s.session.history, editOf(t));
}

/** What the translation editor needs: the coding as it is now, and the way to store a translation. */
export function translationHost(s: Services): TranslationHost {
  return {
    coding: ({ path, codingId }) => s.session.documents.document(path).codings.find((c) => c.id === codingId),
    sourceLanguage: () => s.project.project?.settings.language,
    save: (target, text) => storeTranslation(s, target, text),
  };
}

/** Flags the coding as a representative quote of its code or of its category (for the report), or clears the flag. */
async function markRepresentative(s: Services, args: EditCodingArgs): Promise<void> {
  const editor = await editorFor(s, args);
  const coding = await codingToEdit(s, editor, args.codingId);
  if (!coding) return;
  const code = s.project.codeById(coding.codeId);
  const codeName = code?.name ?? coding.codeId;
  const category = code?.parent ? s.project.codeById(code.parent) : undefined;
  let choice = args.representative;
  if (!choice) {
    const items: { label: string; description?: string; value: 'code' | 'category' | 'none' }[] = [
      { label: vscode.l10n.t('$(star-full) Representative of the code "{0}"', codeName), value: 'code' },
    ];
    if (category) items.push({ label: vscode.l10n.t('$(star-full) Representative of the category "{0}"', category.name), value: 'category' });
    items.push({ label: vscode.l10n.t('$(star-empty) Not representative'), value: 'none' });
    for (const i of items) if ((coding.representative ?? 'none') === i.value) i.description = vscode.l10n.t('current');
    const placeHolder = vscode.l10n.t('Representative quotes go into the report, attributed by pseudonym');
    choice = (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Grounded: Representative Quote'), placeHolder }))?.value;
  }
  if (!choice) return;
  if (choice === (coding.representative ?? 'none')) {
    vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: the quote is already marked that way: nothing changed.'), 4000);
    return;
  }
  if (choice === 'category' && !category) throw new Error(vscode.l10n.t('The code "{0}" is not in a category: mark the quote as representative of the code.', codeName));
  const value = choice === 'none' ? undefined : choice;
  const label =
    value === 'category'
      ? vscode.l10n.t('The quote now represents the category "{0}" in the report.', category!.name)
      : value === 'code'
        ? vscode.l10n.t('The quote now represents the code "{0}" in the report.', codeName)
        : vscode.l10n.t('The quote is no longer marked as representative.');
  const t = await s.session.editCoding(pathOf(s, editor), coding.id, label, withField('representative', value));
  announceUndoable(s.session.history, editOf(t));
}

/**
 * Line-by-line coding: selects the speaker's words in the next (or previous) paragraph or speaker turn
 * that has no coding yet, passing over the turns of speakers left out of the analysis. Pressing again
 * walks on (see nextUncoded for what counts as "at the cursor").
 */
async function moveToUncoded(s: Services, direction: 'next' | 'previous'): Promise<void> {
  const editor = activeTranscript(s);
  await s.codings.load(editor.document);
  const index = lineIndexOf(editor.document);
  const { text } = index;
  const from = { start: index.offsetAt(editor.selection.start), end: index.offsetAt(editor.selection.end) };
  const excluded = s.project.project?.settings.excludedSpeakers ?? [];
  const segment = nextUncoded(text, s.codings.visible(editor.document.uri) ?? [], from, direction, excludedTurnTest(text, excluded));
  if (!segment) {
    const message =
      direction === 'next'
        ? excluded.length
          ? vscode.l10n.t('No uncoded segment after the cursor. All turns from here on are coded or left out of the analysis.')
          : vscode.l10n.t('No uncoded segment after the cursor. All turns from here on are coded.')
        : excluded.length
          ? vscode.l10n.t('No uncoded segment before the cursor. All turns up to here are coded or left out of the analysis.')
          : vscode.l10n.t('No uncoded segment before the cursor. All turns up to here are coded.');
    vscode.window.setStatusBarMessage(`$(check) Grounded: ${message}`, 6000);
    return;
  }
  const span = lineByLineIncludesLabel() ? segment : wordsOf(text, segment);
  const range = index.range(span.start, span.end);
  // The cursor goes to the end the walk continues from: after the words going forward, before them going
  // back, so that a cursor left there (Escape) is past this turn and the next press moves on.
  editor.selection = direction === 'next' ? new vscode.Selection(range.start, range.end) : new vscode.Selection(range.end, range.start);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The codings at the cursor, each with its actions (the status bar's click). */
async function codingsAtCursor(s: Services): Promise<void> {
  const editor = activeTranscript(s);
  await s.codings.load(editor.document);
  const index = lineIndexOf(editor.document);
  const here = codingsAt(s.codings.visible(editor.document.uri) ?? [], index.offsetAt(editor.selection.active));
  if (here.length === 0) {
    noCodingHere();
    return;
  }
  const [coding] = here.length === 1 ? here : await pickCodings(s, here, false);
  if (!coding) return;
  const representative =
    coding.representative === 'category'
      ? vscode.l10n.t('$(star-full) Representative of its category…')
      : coding.representative
        ? vscode.l10n.t('$(star-full) Representative of its code…')
        : vscode.l10n.t('$(star-empty) Mark as Representative Quote…');
  const actions = [
    { label: vscode.l10n.t('$(tag) Change Code…'), run: () => changeCode(s, { codingId: coding.id }) },
    { label: coding.note ? vscode.l10n.t('$(note) Edit Note…') : vscode.l10n.t('$(note) Add Note…'), run: () => addNote(s, { codingId: coding.id }) },
    {
      label: coding.translation ? vscode.l10n.t('$(globe) Edit Translation…') : vscode.l10n.t('$(globe) Translate Quote…'),
      run: () => translateCoding(s, { codingId: coding.id }),
    },
    { label: representative, run: () => markRepresentative(s, { codingId: coding.id }) },
    { label: vscode.l10n.t('$(trash) Remove Coding'), run: () => removeCoding(s, coding.id) },
  ];
  const action = await vscode.window.showQuickPick(actions, {
    title: vscode.l10n.t('Grounded: "{0}" ({1}, {2})', s.project.codeById(coding.codeId)?.name ?? coding.codeId, coding.coder, coding.created.slice(0, 10)),
  });
  await action?.run();
}

async function pickCodings(s: Services, codings: Coding[], many = true): Promise<Coding[]> {
  const items = codings.map((c) => ({
    label: s.project.codeById(c.codeId)?.name ?? c.codeId,
    description: `${c.coder}, ${c.created.slice(0, 10)}`,
    detail: `“${c.anchor.quote.length > 120 ? `${c.anchor.quote.slice(0, 120)}…` : c.anchor.quote}”`,
    coding: c,
  }));
  if (!many) {
    const one = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Grounded: Codings at the Cursor'), matchOnDetail: true });
    return one ? [one.coding] : [];
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Grounded: Remove Coding'),
    placeHolder: vscode.l10n.t('Several codings overlap here: pick the ones to remove'),
    canPickMany: true,
    matchOnDetail: true,
  });
  return (picked ?? []).map((p) => p.coding);
}

/** The code to use: an existing one, or the name of a new top-level code (made by the caller's transaction). */
export async function chooseCode(s: Services, args: CodeSelectionArgs, title?: string, except?: string): Promise<Code | { newCode: string } | undefined> {
  const codes = s.project.project?.codes ?? [];
  if (args.codeId) {
    const code = codes.find((c) => c.id === args.codeId);
    if (!code) throw new Error(vscode.l10n.t('No code with id {0}.', args.codeId));
    return code;
  }
  if (args.codeName?.trim()) {
    const name = args.codeName.trim();
    // An existing code by name, ignoring case (a top-level one first), else a new top-level code.
    const project = s.project.project;
    const existing = project && (findCodeByName(project, name, null) ?? findCodeByName(project, name));
    return existing || { newCode: name };
  }
  const choices = except ? codes.filter((c) => c.id !== except) : codes;
  const picked = await pickCode(choices, (id) => s.project.codeById(id), s.memento.get<string[]>(RECENT) ?? [], title);
  if (!picked) return undefined;
  return typeof picked === 'string' ? { newCode: picked } : picked;
}

/** The code to use, a new one created first as a transaction of its own (Change Code). */
async function resolveCode(s: Services, args: CodeSelectionArgs, coder: string, title?: string, except?: string): Promise<Code | undefined> {
  const chosen = await chooseCode(s, args, title, except);
  return chosen && 'newCode' in chosen ? createCode(s, chosen.newCode, coder) : chosen;
}

/** A new top-level code, as a transaction of its own (undoable; refused when the name is taken). */
async function createCode(s: Services, name: string, coder: string): Promise<Code> {
  const { codeId } = await s.codebook.newCode(name, undefined, coder);
  return s.project.codeById(codeId)!;
}

interface CodeItem extends vscode.QuickPickItem {
  code?: Code;
  newName?: string;
}

/**
 * The first row while nothing is typed: Enter on it does nothing, so that an empty Enter never codes
 * (it used to apply the most recent code). A code is picked with the arrow keys or by typing.
 */
function hint(): CodeItem {
  return { label: vscode.l10n.t('$(info) Type a new code name, or pick a code with the arrow keys'), alwaysShow: true };
}

/** The code picker while it is open (read by the end-to-end tests, which cannot see the quick pick). */
let openPicker: vscode.QuickPick<CodeItem> | undefined;

/** What the open code picker shows: its title, placeholder, value and active row; undefined when none is open. */
export function codePickerState(): { title: string; placeholder: string; value: string; active?: string } | undefined {
  return openPicker && { title: openPicker.title ?? '', placeholder: openPicker.placeholder ?? '', value: openPicker.value, active: openPicker.activeItems[0]?.label };
}

/** A quick pick of the codebook; typing a name that is not there offers to create it. Returns a code or a new name. */
function pickCode(
  codes: Code[],
  byId: (id: string) => Code | undefined,
  recentIds: readonly string[],
  title = vscode.l10n.t('Grounded: Code Selection'),
): Promise<Code | string | undefined> {
  const pathOf = (c: Code): string => {
    const names: string[] = [];
    for (let p = c.parent ? byId(c.parent) : undefined; p && names.length < 20; p = p.parent ? byId(p.parent) : undefined) {
      names.unshift(p.name);
    }
    return names.join(' › ');
  };
  const item = (c: Code): CodeItem => ({ label: c.name, description: pathOf(c), detail: c.description, code: c });
  const { recent, others } = recentFirst(codes, recentIds);
  const separator = (label: string): CodeItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const codeItems: CodeItem[] = recent.length
    ? [separator(vscode.l10n.t('recently used')), ...recent.map(item), separator(vscode.l10n.t('all codes')), ...others.map(item)]
    : others.map(item);
  const qp = vscode.window.createQuickPick<CodeItem>();
  qp.title = title;
  qp.placeholder = codes.length ? vscode.l10n.t('Pick a code, or type a new code name') : vscode.l10n.t('The codebook is empty: type a name for the first code');
  const HINT = hint();
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  // The list keeps its length and order as the user types; only its first row changes (the hint, or "New
  // code"). The workbench names the row Enter takes by its place in the list, and it may still be looking
  // at the list of the keystroke before: had a row come or gone, Enter would take the code next to the
  // one shown (typing a code's full name and Enter coded the code below it).
  const update = () => {
    const value = qp.value.trim();
    const exists = codes.some((c) => c.name.toLowerCase() === value.toLowerCase());
    const first: CodeItem = !value ? HINT : exists ? { label: HINT.label } : { label: vscode.l10n.t('$(add) New code "{0}"', value), newName: value, alwaysShow: true };
    qp.items = [first, ...codeItems];
  };
  update();
  return new Promise((resolve) => {
    qp.onDidChangeValue(update);
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      const picked = item?.code ?? item?.newName ?? (item ? undefined : qp.value.trim() || undefined);
      // Enter with nothing typed and no code chosen: stay open, and say what Enter needs.
      if (!picked) {
        qp.placeholder = vscode.l10n.t('Nothing was coded: type a code name, or pick a code with the arrow keys, then press Enter');
        return;
      }
      resolve(picked);
      qp.hide();
    });
    showTracked(qp, resolve);
  });
}

async function reanchorActive(s: Services): Promise<void> {
  const editor = activeTranscript(s);
  const outcome = await s.codings.reanchor(editor.document);
  const orphans = (s.codings.peek(editor.document.uri) ?? []).filter((c) => c.orphaned).length;
  void vscode.window.showInformationMessage(vscode.l10n.t('Grounded: {0} codings moved, {1} orphaned.', outcome.moved + outcome.fuzzy, orphans));
}

async function showOrphans(s: Services): Promise<void> {
  const editor = activeTranscript(s);
  await s.codings.load(editor.document);
  const orphans = (s.codings.peek(editor.document.uri) ?? []).filter((c) => c.orphaned);
  if (orphans.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Grounded: no orphaned codings in this transcript.'));
    return;
  }
  await vscode.window.showQuickPick(
    orphans.map((c) => ({
      label: s.project.codeById(c.codeId)?.name ?? c.codeId,
      description: `${c.coder}, ${c.created.slice(0, 10)}`,
      detail: `“${c.anchor.quote}”`,
    })),
    { title: vscode.l10n.t('Orphaned codings (kept in the sidecar; their words were not found)'), matchOnDetail: true },
  );
}

/** Shows a picker as the open one (codePickerState reads it); hiding it answers undefined and disposes it. */
function showTracked(qp: vscode.QuickPick<CodeItem>, resolve: (value: undefined) => void): void {
  qp.onDidHide(() => {
    if (openPicker === qp) openPicker = undefined;
    resolve(undefined);
    qp.dispose();
  });
  openPicker = qp;
  qp.show();
}
