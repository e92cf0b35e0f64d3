// The commands of the Segments and Documents views, as one table registered by main.ts's loop.
import * as vscode from 'vscode';
import { countsOf } from '../core/analysis';
import type { Code, Coding } from '../core/model';
import { codePath } from '../core/project';
import { shortenQuote } from '../core/segmentList';
import { makeAnchor } from '../core/text';
import type { CodingService } from './codings';
import type { CommandTable } from './commands';
import { lineIndexOf } from './convert';
import { showMarkdownPage } from './markdownPage';
import { ActionableError, notify } from './errors';
import type { NotificationAction } from './errors';
import { announceUndoable, editOf } from './undo';
import type { DocumentsView } from './documentsView';
import type { ProjectService } from './project';
import type { SegmentsView } from './segmentsView';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { EditorSession } from './session';

export interface ViewServices {
  project: ProjectService;
  codings: CodingService;
  session: EditorSession;
  fs: WorkspaceFileSystem;
  segments: SegmentsView;
  documents: DocumentsView;
}

/** A code as the Codes view or a keybinding passes it: `{ codeId }`, a tree element with `.code`, or an id. */
/** A code as the commands get it: its id, `{codeId}`, `{code}`, or a code itself (a Codes view item). */
export type CodeArg = string | { codeId?: string; code?: { id?: string }; id?: string; preserveFocus?: boolean } | undefined;

/** A coding in a transcript, as the views pass it. */
export interface CodingRef {
  path: string;
  codingId: string;
}

export function createViewCommands(v: ViewServices): CommandTable {
  return {
    'grounded.showSegments': (arg?: CodeArg) => showSegments(v, arg),
    'grounded.openSegmentsAsPage': (arg?: CodeArg) => openSegmentsAsPage(v, arg),
    'grounded.openCoding': (ref: CodingRef) => openCoding(v, ref),
    'grounded.showOriginalQuotes': () => v.segments.setShowOriginals(true),
    'grounded.showTranslatedQuotes': () => v.segments.setShowOriginals(false),
    'grounded.refreshDocuments': () => v.documents.rescan(),
    'grounded.reattachOrphan': (ref: CodingRef) => reattachOrphan(v, ref),
    'grounded.deleteOrphan': (ref: CodingRef & { confirmed?: boolean }) => deleteOrphan(v, ref),
  };
}

function codeIdOf(arg: CodeArg): string | undefined {
  if (typeof arg === 'string') return arg;
  return arg?.codeId ?? arg?.code?.id ?? arg?.id;
}

/** The code named by the argument, else a quick pick of the codebook with each code's segment count. */
export async function resolveCode(v: Pick<ViewServices, 'project' | 'session'>, arg: CodeArg, title: string): Promise<Code | undefined> {
  const project = v.project.project;
  if (!project) throw new ActionableError(vscode.l10n.t('This workspace has no Grounded project yet.'), [initializeAction()]);
  const id = codeIdOf(arg);
  if (id) {
    const code = v.project.codeById(id);
    if (!code) throw new Error(vscode.l10n.t('No code with id {0}.', id));
    return code;
  }
  if (project.codes.length === 0) {
    throw new ActionableError(vscode.l10n.t('The codebook is empty: select words in a transcript and code them, or add a code.'), [
      { title: vscode.l10n.t('New Code…'), run: () => vscode.commands.executeCommand('grounded.newCode') },
    ]);
  }
  const analysis = v.session.analysis()!;
  const items = project.codes
    .map((code) => {
      const c = countsOf(analysis, code.id);
      return {
        label: code.name,
        description: codePath(project, code.id).slice(0, -1).join(' › '),
        detail: segmentCount(c.totalSegments, c.totalSegments !== c.segments),
        code,
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Pick a code'), matchOnDescription: true });
  return picked?.code;
}

/** "3 segments", "1 segment (with subcodes)": a code's segments in the code picker. */
function segmentCount(n: number, withSubcodes: boolean): string {
  if (withSubcodes) return n === 1 ? vscode.l10n.t('1 segment (with subcodes)') : vscode.l10n.t('{0} segments (with subcodes)', n);
  return n === 1 ? vscode.l10n.t('1 segment') : vscode.l10n.t('{0} segments', n);
}

/** The button that creates the project. */
function initializeAction(): NotificationAction {
  return { title: vscode.l10n.t('Initialize Project'), run: () => vscode.commands.executeCommand('grounded.initializeProject') };
}

async function showSegments(v: ViewServices, arg: CodeArg): Promise<void> {
  const code = await resolveCode(v, arg, vscode.l10n.t('Grounded: Show Segments of Code'));
  // From the Codes view (preserveFocus) the keyboard stays there while the segments follow the selection.
  const stay = typeof arg === 'object' && arg?.preserveFocus === true;
  if (code) await v.segments.show(code.id, !stay);
}

/** Opens the segments of a code (the one in the Segments view unless given) as a Markdown page. Returns its uri. */
async function openSegmentsAsPage(v: ViewServices, arg: CodeArg): Promise<vscode.Uri | undefined> {
  // From a row of the Segments view the argument is that row (a document, or a segment of a subcode):
  // the page is of the code the view lists, never of the row's own code.
  const fromRow = typeof arg === 'object' && arg !== null && 'kind' in arg;
  const code = await resolveCode(v, fromRow || arg === undefined ? v.segments.shownCodeId : arg, vscode.l10n.t('Grounded: Open Segments as Page'));
  if (!code) return undefined;
  const uri = v.segments.pageUri(code.id);
  v.segments.refresh(); // a page opened before gets its content again
  await showMarkdownPage(uri);
  return uri;
}

async function openTranscript(v: ViewServices, path: string): Promise<{ document: vscode.TextDocument; codings: Coding[] }> {
  const document = await vscode.workspace.openTextDocument(v.fs.uri(path));
  if (!(await v.codings.load(document))) {
    throw new ActionableError(vscode.l10n.t('{0} is not a transcript: it does not match the setting grounded.transcripts.', path), [
      { title: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'grounded.transcripts') },
    ]);
  }
  return { document, codings: v.codings.peek(document.uri) ?? [] };
}

/** Opens a transcript with the coding selected, at its current position (open editors move codings as the text changes). */
async function openCoding(v: ViewServices, ref: CodingRef): Promise<void> {
  if (!ref?.path || !ref.codingId) {
    throw new ActionableError(vscode.l10n.t('Open Coding needs a coding: click one in the Segments view.'), [
      { title: vscode.l10n.t('Show Segments of Code…'), run: () => vscode.commands.executeCommand('grounded.showSegments') },
    ]);
  }
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(v.fs.uri(ref.path)), { preview: true });
  const { codings } = await openTranscript(v, ref.path);
  const coding = codings.find((c) => c.id === ref.codingId);
  if (!coding) throw new Error(vscode.l10n.t('That coding is no longer in {0}.', ref.path));
  if (coding.orphaned) {
    const message = vscode.l10n.t(
      'Grounded: this coding is orphaned: its words ("{0}") were not found in {1}. Re-attach or delete it in the Documents view.',
      shortenQuote(coding.anchor.quote, 60),
      ref.path,
    );
    notify('warning', message, { title: vscode.l10n.t('Show Documents'), run: () => vscode.commands.executeCommand('grounded.documents.focus') });
    return;
  }
  const range = lineIndexOf(editor.document).range(coding.anchor.start, coding.anchor.end);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function orphanRef(ref: CodingRef | undefined): CodingRef {
  if (!ref?.path || !ref.codingId) {
    throw new ActionableError(vscode.l10n.t('This works on an orphaned coding: right-click one in the Documents view.'), [
      { title: vscode.l10n.t('Show Documents'), run: () => vscode.commands.executeCommand('grounded.documents.focus') },
    ]);
  }
  return ref;
}

/** Gives an orphaned coding a new anchor on the words selected in its transcript's editor. */
async function reattachOrphan(v: ViewServices, ref: CodingRef): Promise<void> {
  const { path, codingId } = orphanRef(ref);
  const key = v.fs.uri(path).toString();
  const active = vscode.window.activeTextEditor;
  const editor = active?.document.uri.toString() === key ? active : vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
  if (!editor || editor.selection.isEmpty) {
    if (!editor) await vscode.window.showTextDocument(v.fs.uri(path));
    throw new Error(vscode.l10n.t('Select the words of this coding in {0} first, then run Re-attach to Selection again.', path));
  }
  const { document, codings } = await openTranscript(v, path);
  const coding = codings.find((c) => c.id === codingId);
  if (!coding) throw new Error(vscode.l10n.t('That coding is no longer in {0}.', path));
  const index = lineIndexOf(document);
  const start = index.offsetAt(editor.selection.start);
  const end = index.offsetAt(editor.selection.end);
  const name = v.project.codeById(coding.codeId)?.name ?? coding.codeId;
  const label = vscode.l10n.t('Re-attached the coding "{0}" to the selection.', name);
  await v.session.session.editCoding(path, codingId, label, (c) => {
    const { orphaned: _orphaned, ...rest } = c;
    return { ...rest, anchor: makeAnchor(index.text, start, end) };
  });
  vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: {0}', label), 4000);
}

/** Deletes an orphaned coding after confirmation; the notification offers Undo. */
async function deleteOrphan(v: ViewServices, ref: CodingRef & { confirmed?: boolean }): Promise<void> {
  const { path, codingId } = orphanRef(ref);
  const { codings } = await openTranscript(v, path);
  const coding = codings.find((c) => c.id === codingId);
  if (!coding) throw new Error(vscode.l10n.t('That coding is no longer in {0}.', path));
  const name = v.project.codeById(coding.codeId)?.name ?? coding.codeId;
  if (!ref.confirmed) {
    const del = vscode.l10n.t('Delete');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete the orphaned coding "{0}" of “{1}” in {2}?', name, shortenQuote(coding.anchor.quote, 60), path),
      { modal: true, detail: vscode.l10n.t('It is removed from the sidecar. You can undo this from the notification that follows.') },
      del,
    );
    if (choice !== del) return;
  }
  const { transaction } = await v.session.session.removeCodings(path, [codingId], vscode.l10n.t('Deleted the orphaned coding "{0}" in {1}.', name, path));
  announceUndoable(v.session.session.history, editOf(transaction));
}
