// Every command of the extension, in one table, registered in one loop (see main.ts).
import * as vscode from 'vscode';
import type { Code, Coding } from '../core/model';
import { codingsAt, inVivoName } from '../core/query';
import { nextUncoded } from '../core/segments';
import { isNamedSpeaker, speakerTurns, turnIndexAt } from '../core/speakers';
import { recentFirst, touchRecent } from '../core/codebook';
import { findCodeByName } from '../core/project';
import type { CodingService } from './codings';
import { coderName } from './config';
import { lineIndexOf } from './convert';
import { notify } from './errors';
import { announceUndoable, editOf } from './undo';
import type { ProjectService } from './project';
import type { ProjectSession } from '../core/session';
import type { CodebookService } from './codebook';
import type { WorkspaceFileSystem } from './workspaceFs';

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
    'grounded.initializeProject': (args?: { name?: string }) => initializeProject(s, args?.name),
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

async function initializeProject(s: Services, name?: string): Promise<boolean> {
  // Ask the disk, not the last file event: grounded.json may have been deleted or restored a moment ago.
  await s.project.refresh();
  if (s.project.loadError) throw s.project.loadError;
  if (s.project.exists) {
    void vscode.window.showInformationMessage('Grounded: this workspace already has a project (grounded.json).');
    return false;
  }
  name ??= await vscode.window.showInputBox({
    title: 'Grounded: Initialize Project',
    prompt: 'A name for the project',
    value: vscode.workspace.workspaceFolders?.[0]?.name ?? 'Grounded project',
    // The walkthrough's button runs this, and its page takes the focus back a moment later: that must not close the box.
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'The project needs a name.'),
  });
  if (!name) return false;
  await s.project.initialize(name.trim());
  void vscode.window.showInformationMessage(`Grounded: created grounded.json for "${name.trim()}".`);
  return true;
}

/** Makes sure there is a project, offering to create one. */
async function ensureProject(s: Services): Promise<boolean> {
  if (s.project.exists) return true;
  if (s.project.loadError) throw s.project.loadError;
  const create = 'Initialize Project';
  const choice = await vscode.window.showWarningMessage('Grounded: this workspace has no project yet.', create);
  return choice === create && (await initializeProject(s));
}

/** The active editor if it shows a transcript; throws a helpful error otherwise. */
function activeTranscript(s: Services, what = 'Open a transcript first.'): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !s.codings.isTranscript(editor.document.uri)) throw new Error(`${what} (See the setting grounded.transcripts.)`);
  return editor;
}

/** The active transcript editor and its non-empty selections as LF offsets; throws a helpful error otherwise. */
function selectedSpans(s: Services): { editor: vscode.TextEditor; spans: [number, number][] } {
  const editor = activeTranscript(s, 'Open a transcript and select the words to code.');
  const index = lineIndexOf(editor.document);
  const spans = editor.selections
    .map((sel) => [index.offsetAt(sel.start), index.offsetAt(sel.end)] as [number, number])
    .filter(([a, b]) => b > a);
  if (spans.length === 0) throw new Error('Select the words to code first.');
  return { editor, spans };
}

async function codeSelection(s: Services, args: CodeSelectionArgs): Promise<void> {
  const { editor, spans } = selectedSpans(s);
  if (!(await ensureProject(s))) return;
  const coder = await coderName(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  const chosen = await chooseCode(s, args);
  if (!chosen) return;
  await s.codings.load(editor.document);
  // A new code and its first coding are one transaction: one Ctrl+Z takes back both.
  const outcome = await s.session.code(pathOf(s, editor), lineIndexOf(editor.document).text, spans, 'newCode' in chosen ? chosen : chosen.id, coder);
  const { code } = outcome;
  await rememberCode(s, code.id);
  if (outcome.added.length === 0) {
    // The invariant: the same coder never has the same code twice on the same words. Nothing changed.
    notify('info', `Grounded: these words already have the code "${code.name}" (by ${coder}): nothing was added.`);
    return;
  }
  const again = outcome.skipped.length ? `; ${outcome.skipped.length} already had it` : '';
  vscode.window.setStatusBarMessage(`Grounded: coded ${outcome.added.length} segment${outcome.added.length > 1 ? 's' : ''} as "${code.name}"${again} (${undoKey} to undo)`, 4000);
}

/** The keys that undo a coding action in a transcript, as the user's platform writes them. */
const undoKey = process.platform === 'darwin' ? 'Cmd+Z' : 'Ctrl+Z';

/** The workspace-relative path of the transcript in an editor. */
function pathOf(s: Services, editor: vscode.TextEditor): string {
  const path = s.fs.relative(editor.document.uri);
  if (path === undefined) throw new Error('This transcript is outside the workspace folder: open it from the folder of the project.');
  return path;
}

/** The selected words become the name of a new code (or of the existing code with that name). */
async function inVivoCode(s: Services): Promise<void> {
  const { editor, spans } = selectedSpans(s);
  const name = inVivoName(lineIndexOf(editor.document).text.slice(spans[0][0], spans[0][1]));
  if (!name) throw new Error('The selection has no words to name a code with.');
  await codeSelection(s, { codeName: name });
}

/** Repeats the last code; without one (or if it was deleted), asks as Code Selection does. */
function codeWithLastCode(s: Services): Promise<void> {
  const id = s.memento.get<string>(LAST_CODE);
  return codeSelection(s, id && s.project.codeById(id) ? { codeId: id } : {});
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
      void vscode.window.showInformationMessage('Grounded: there is no coding at the cursor.');
      return;
    }
    targets = here.length === 1 ? here : await pickCodings(s, here);
  }
  if (targets.length === 0) return;
  const { transaction } = await s.session.removeCodings(pathOf(s, editor), targets.map((c) => c.id));
  if (transaction) vscode.window.setStatusBarMessage(`Grounded: ${transaction.label} (${undoKey} to undo)`, 4000);
}

/** The coding to change: by id, the one at the cursor, or the one picked where several overlap. */
async function codingToEdit(s: Services, editor: vscode.TextEditor, codingId?: string): Promise<Coding | undefined> {
  await s.codings.load(editor.document);
  const all = s.codings.visible(editor.document.uri) ?? [];
  if (codingId) {
    const coding = all.find((c) => c.id === codingId);
    if (!coding) throw new Error(`No coding with id ${codingId} in this transcript.`);
    return coding;
  }
  const index = lineIndexOf(editor.document);
  const here = codingsAt(all, index.offsetAt(editor.selection.start), index.offsetAt(editor.selection.end));
  if (here.length === 0) {
    void vscode.window.showInformationMessage('Grounded: there is no coding at the cursor.');
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
  const coder = await coderName(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  const code = await resolveCode(s, { codeId: args.codeId, codeName: args.codeName }, coder, 'Grounded: Change Code', coding.codeId);
  if (!code || code.id === coding.codeId) return;
  const oldName = s.project.codeById(coding.codeId)?.name ?? coding.codeId;
  const label = `Changed the code "${oldName}" to "${code.name}".`;
  await s.session.editCoding(pathOf(s, editor), coding.id, label, (c) => ({ ...c, codeId: code.id }));
  await rememberCode(s, code.id);
  vscode.window.setStatusBarMessage(`Grounded: ${label} (${undoKey} to undo)`, 4000);
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
      title: `Grounded: Note on the coding "${name}"`,
      prompt: 'A short note on this coding, shown in its hover. Empty removes the note.',
      value: coding.note ?? '',
    }));
  if (input === undefined) return;
  const note = input.trim();
  if (note === (coding.note ?? '')) return;
  const label = note ? `Saved the note on "${name}".` : `Removed the note on "${name}".`;
  await s.session.editCoding(pathOf(s, editor), coding.id, label, withField('note', note));
  vscode.window.setStatusBarMessage(`Grounded: ${label} (${undoKey} to undo)`, 4000);
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

/** Gives the coding a translation of its quote (for the report), with the translator's name; empty removes it. */
async function translateCoding(s: Services, args: EditCodingArgs): Promise<void> {
  const editor = await editorFor(s, args);
  const coding = await codingToEdit(s, editor, args.codingId);
  if (!coding) return;
  const language = args.language ?? coding.translation?.language ?? s.project.project?.settings.reportLanguage ?? 'en';
  const input =
    args.translation ??
    (await vscode.window.showInputBox({
      title: `Grounded: Translate into ${language}`,
      prompt: `“${coding.anchor.quote.length > 140 ? `${coding.anchor.quote.slice(0, 140)}…` : coding.anchor.quote}” — the translation is shown in the segment list and the report, the original on demand. Empty removes it.`,
      value: coding.translation?.text ?? '',
    }));
  if (input === undefined) return;
  const text = input.trim();
  if (text === (coding.translation?.text ?? '') && language === (coding.translation?.language ?? language)) return;
  const translator = await coderName(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  const label = text ? `Saved the ${language} translation (by ${translator}).` : 'Removed the translation.';
  const t = await s.session.editCoding(pathOf(s, editor), coding.id, label, withField('translation', text ? { text, language, translator, created: new Date().toISOString() } : undefined));
  announceUndoable(s.session.history, editOf(t));
}

/** Flags the coding as a representative quote of its code or of its category (for the report), or clears the flag. */
async function markRepresentative(s: Services, args: EditCodingArgs): Promise<void> {
  const editor = await editorFor(s, args);
  const coding = await codingToEdit(s, editor, args.codingId);
  if (!coding) return;
  const code = s.project.codeById(coding.codeId);
  const category = code?.parent ? s.project.codeById(code.parent) : undefined;
  let choice = args.representative;
  if (!choice) {
    const items: { label: string; description?: string; value: 'code' | 'category' | 'none' }[] = [
      { label: `$(star-full) Representative of the code "${code?.name ?? coding.codeId}"`, value: 'code' },
    ];
    if (category) items.push({ label: `$(star-full) Representative of the category "${category.name}"`, value: 'category' });
    items.push({ label: '$(star-empty) Not representative', value: 'none' });
    for (const i of items) if ((coding.representative ?? 'none') === i.value) i.description = 'current';
    choice = (await vscode.window.showQuickPick(items, { title: 'Grounded: Representative Quote', placeHolder: 'Representative quotes go into the report, attributed by pseudonym' }))?.value;
  }
  if (!choice || choice === (coding.representative ?? 'none')) return;
  if (choice === 'category' && !category) throw new Error(`The code "${code?.name ?? coding.codeId}" is not in a category: mark the quote as representative of the code.`);
  const value = choice === 'none' ? undefined : choice;
  const what = value === 'category' ? `the category "${category!.name}"` : `the code "${code?.name ?? coding.codeId}"`;
  const label = value ? `The quote now represents ${what} in the report.` : 'The quote is no longer marked as representative.';
  const t = await s.session.editCoding(pathOf(s, editor), coding.id, label, withField('representative', value));
  announceUndoable(s.session.history, editOf(t));
}

/** Line-by-line coding: selects the next (or previous) paragraph or speaker turn that has no coding yet. */
async function moveToUncoded(s: Services, direction: 'next' | 'previous'): Promise<void> {
  const editor = activeTranscript(s);
  await s.codings.load(editor.document);
  const index = lineIndexOf(editor.document);
  const from = index.offsetAt(direction === 'next' ? editor.selection.end : editor.selection.start);
  // The turns of speakers left out of the analysis (the interviewer's) are not stops.
  const excluded = s.project.project?.settings.excludedSpeakers ?? [];
  const turns = excluded.length ? speakerTurns(index.text) : [];
  const skip = excluded.length
    ? (seg: { start: number; end: number }) => {
        const t = turnIndexAt(turns, seg.start);
        return t >= 0 && isNamedSpeaker(turns[t].speaker, excluded);
      }
    : undefined;
  const segment = nextUncoded(index.text, s.codings.visible(editor.document.uri) ?? [], from, direction, skip);
  if (!segment) {
    vscode.window.setStatusBarMessage(`Grounded: no uncoded segment ${direction === 'next' ? 'after' : 'before'} the cursor`, 4000);
    return;
  }
  const range = index.range(segment.start, segment.end);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The codings at the cursor, each with its actions (the status bar's click). */
async function codingsAtCursor(s: Services): Promise<void> {
  const editor = activeTranscript(s);
  const index = lineIndexOf(editor.document);
  const here = codingsAt(s.codings.visible(editor.document.uri) ?? [], index.offsetAt(editor.selection.active));
  if (here.length === 0) return;
  const [coding] = here.length === 1 ? here : await pickCodings(s, here, false);
  if (!coding) return;
  const actions = [
    { label: '$(tag) Change Code…', run: () => changeCode(s, { codingId: coding.id }) },
    { label: coding.note ? '$(note) Edit Note…' : '$(note) Add Note…', run: () => addNote(s, { codingId: coding.id }) },
    { label: coding.translation ? '$(globe) Edit Translation…' : '$(globe) Translate Quote…', run: () => translateCoding(s, { codingId: coding.id }) },
    { label: coding.representative ? `$(star-full) Representative of its ${coding.representative}…` : '$(star-empty) Mark as Representative Quote…', run: () => markRepresentative(s, { codingId: coding.id }) },
    { label: '$(trash) Remove Coding', run: () => removeCoding(s, coding.id) },
  ];
  const action = await vscode.window.showQuickPick(actions, {
    title: `Grounded: "${s.project.codeById(coding.codeId)?.name ?? coding.codeId}" (${coding.coder}, ${coding.created.slice(0, 10)})`,
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
    const one = await vscode.window.showQuickPick(items, { title: 'Grounded: Codings at the Cursor', matchOnDetail: true });
    return one ? [one.coding] : [];
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Grounded: Remove Coding',
    placeHolder: 'Several codings overlap here: pick the ones to remove',
    canPickMany: true,
    matchOnDetail: true,
  });
  return (picked ?? []).map((p) => p.coding);
}

/** The code to use: an existing one, or the name of a new top-level code (made by the caller's transaction). */
async function chooseCode(s: Services, args: CodeSelectionArgs, title?: string, except?: string): Promise<Code | { newCode: string } | undefined> {
  const codes = s.project.project?.codes ?? [];
  if (args.codeId) {
    const code = codes.find((c) => c.id === args.codeId);
    if (!code) throw new Error(`No code with id ${args.codeId}.`);
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
const HINT: CodeItem = { label: '$(info) Type a new code name, or pick a code with the arrow keys', alwaysShow: true };

/** The code picker while it is open (read by the end-to-end tests, which cannot see the quick pick). */
let openPicker: vscode.QuickPick<CodeItem> | undefined;

/** What the open code picker shows: its placeholder, value and active row; undefined when none is open. */
export function codePickerState(): { placeholder: string; value: string; active?: string } | undefined {
  return openPicker && { placeholder: openPicker.placeholder ?? '', value: openPicker.value, active: openPicker.activeItems[0]?.label };
}

/** A quick pick of the codebook; typing a name that is not there offers to create it. Returns a code or a new name. */
function pickCode(
  codes: Code[],
  byId: (id: string) => Code | undefined,
  recentIds: readonly string[],
  title = 'Grounded: Code Selection',
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
    ? [separator('recently used'), ...recent.map(item), separator('all codes'), ...others.map(item)]
    : others.map(item);
  const qp = vscode.window.createQuickPick<CodeItem>();
  qp.title = title;
  qp.placeholder = 'Pick a code, or type a new code name';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  // The list keeps its length and order as the user types; only its first row changes (the hint, or "New
  // code"). The workbench names the row Enter takes by its place in the list, and it may still be looking
  // at the list of the keystroke before: had a row come or gone, Enter would take the code next to the
  // one shown (typing a code's full name and Enter coded the code below it).
  const update = () => {
    const value = qp.value.trim();
    const exists = codes.some((c) => c.name.toLowerCase() === value.toLowerCase());
    const first: CodeItem = !value ? HINT : exists ? { label: HINT.label } : { label: `$(add) New code "${value}"`, newName: value, alwaysShow: true };
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
        qp.placeholder = 'Nothing was coded: type a code name, or pick a code with the arrow keys, then press Enter';
        return;
      }
      resolve(picked);
      qp.hide();
    });
    qp.onDidHide(() => {
      if (openPicker === qp) openPicker = undefined;
      resolve(undefined);
      qp.dispose();
    });
    openPicker = qp;
    qp.show();
  });
}

async function reanchorActive(s: Services): Promise<void> {
  const editor = activeTranscript(s);
  const outcome = await s.codings.reanchor(editor.document);
  const orphans = (s.codings.peek(editor.document.uri) ?? []).filter((c) => c.orphaned).length;
  void vscode.window.showInformationMessage(`Grounded: ${outcome.moved + outcome.fuzzy} codings moved, ${orphans} orphaned.`);
}

async function showOrphans(s: Services): Promise<void> {
  const editor = activeTranscript(s);
  await s.codings.load(editor.document);
  const orphans = (s.codings.peek(editor.document.uri) ?? []).filter((c) => c.orphaned);
  if (orphans.length === 0) {
    void vscode.window.showInformationMessage('Grounded: no orphaned codings in this transcript.');
    return;
  }
  await vscode.window.showQuickPick(
    orphans.map((c) => ({
      label: s.project.codeById(c.codeId)?.name ?? c.codeId,
      description: `${c.coder}, ${c.created.slice(0, 10)}`,
      detail: `“${c.anchor.quote}”`,
    })),
    { title: 'Orphaned codings (kept in the sidecar; their words were not found)', matchOnDetail: true },
  );
}
