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
export type CodeArg = string | { codeId?: string; code?: { id?: string }; preserveFocus?: boolean } | undefined;

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
  return arg?.codeId ?? arg?.code?.id;
}

/** The code named by the argument, else a quick pick of the codebook with each code's segment count. */
async function resolveCode(v: ViewServices, arg: CodeArg, title: string): Promise<Code | undefined> {
  const project = v.project.project;
  if (!project) throw new Error('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".');
  const id = codeIdOf(arg);
  if (id) {
    const code = v.project.codeById(id);
    if (!code) throw new Error(`No code with id ${id}.`);
    return code;
  }
  if (project.codes.length === 0) throw new Error('The codebook is empty: code some words first.');
  const analysis = v.session.analysis()!;
  const items = project.codes
    .map((code) => {
      const c = countsOf(analysis, code.id);
      return {
        label: code.name,
        description: codePath(project, code.id).slice(0, -1).join(' › '),
        detail: `${c.totalSegments} segment${c.totalSegments === 1 ? '' : 's'}${c.totalSegments !== c.segments ? ' (with subcodes)' : ''}`,
        code,
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a code', matchOnDescription: true });
  return picked?.code;
}

async function showSegments(v: ViewServices, arg: CodeArg): Promise<void> {
  const code = await resolveCode(v, arg, 'Grounded: Show Segments of Code');
  // From the Codes view (preserveFocus) the keyboard stays there while the segments follow the selection.
  const stay = typeof arg === 'object' && arg?.preserveFocus === true;
  if (code) await v.segments.show(code.id, !stay);
}

/** Opens the segments of a code (the one in the Segments view unless given) as a Markdown page. Returns its uri. */
async function openSegmentsAsPage(v: ViewServices, arg: CodeArg): Promise<vscode.Uri | undefined> {
  // From a row of the Segments view the argument is that row (a document, or a segment of a subcode):
  // the page is of the code the view lists, never of the row's own code.
  const fromRow = typeof arg === 'object' && arg !== null && 'kind' in arg;
  const code = await resolveCode(v, fromRow || arg === undefined ? v.segments.shownCodeId : arg, 'Grounded: Open Segments as Page');
  if (!code) return undefined;
  const uri = v.segments.pageUri(code.id);
  v.segments.refresh(); // a page opened before gets its content again
  await showMarkdownPage(uri);
  return uri;
}

async function openTranscript(v: ViewServices, path: string): Promise<{ document: vscode.TextDocument; codings: Coding[] }> {
  const document = await vscode.workspace.openTextDocument(v.fs.uri(path));
  if (!(await v.codings.load(document))) throw new Error(`${path} is not a transcript (see the setting grounded.transcripts).`);
  return { document, codings: v.codings.peek(document.uri) ?? [] };
}

/** Opens a transcript with the coding selected, at its current position (open editors move codings as the text changes). */
async function openCoding(v: ViewServices, ref: CodingRef): Promise<void> {
  if (!ref?.path || !ref.codingId) throw new Error('Open Coding needs a coding: click one in the Segments view.');
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(v.fs.uri(ref.path)), { preview: true });
  const { codings } = await openTranscript(v, ref.path);
  const coding = codings.find((c) => c.id === ref.codingId);
  if (!coding) throw new Error(`That coding is no longer in ${ref.path}.`);
  if (coding.orphaned) {
    void vscode.window.showWarningMessage(
      `Grounded: this coding is orphaned: its words ("${shortenQuote(coding.anchor.quote, 60)}") were not found in ${ref.path}. Re-attach or delete it in the Documents view.`,
    );
    return;
  }
  const range = lineIndexOf(editor.document).range(coding.anchor.start, coding.anchor.end);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

function orphanRef(ref: CodingRef | undefined, what: string): CodingRef {
  if (!ref?.path || !ref.codingId) throw new Error(`${what} works on an orphaned coding: use it from the Documents view.`);
  return ref;
}

/** Gives an orphaned coding a new anchor on the words selected in its transcript's editor. */
async function reattachOrphan(v: ViewServices, ref: CodingRef): Promise<void> {
  const { path, codingId } = orphanRef(ref, 'Re-attach to Selection');
  const key = v.fs.uri(path).toString();
  const active = vscode.window.activeTextEditor;
  const editor = active?.document.uri.toString() === key ? active : vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === key);
  if (!editor || editor.selection.isEmpty) {
    if (!editor) await vscode.window.showTextDocument(v.fs.uri(path));
    throw new Error(`Select the words of this coding in ${path} first, then run Re-attach to Selection again.`);
  }
  const { document, codings } = await openTranscript(v, path);
  const coding = codings.find((c) => c.id === codingId);
  if (!coding) throw new Error(`That coding is no longer in ${path}.`);
  const index = lineIndexOf(document);
  const start = index.offsetAt(editor.selection.start);
  const end = index.offsetAt(editor.selection.end);
  const name = v.project.codeById(coding.codeId)?.name ?? coding.codeId;
  const label = `Re-attached the coding "${name}" to the selection.`;
  await v.session.session.editCoding(path, codingId, label, (c) => {
    const { orphaned: _orphaned, ...rest } = c;
    return { ...rest, anchor: makeAnchor(index.text, start, end) };
  });
  vscode.window.setStatusBarMessage(`Grounded: ${label}`, 4000);
}

/** Deletes an orphaned coding after confirmation; the notification offers Undo. */
async function deleteOrphan(v: ViewServices, ref: CodingRef & { confirmed?: boolean }): Promise<void> {
  const { path, codingId } = orphanRef(ref, 'Delete');
  const { codings } = await openTranscript(v, path);
  const coding = codings.find((c) => c.id === codingId);
  if (!coding) throw new Error(`That coding is no longer in ${path}.`);
  const name = v.project.codeById(coding.codeId)?.name ?? coding.codeId;
  if (!ref.confirmed) {
    const del = 'Delete';
    const choice = await vscode.window.showWarningMessage(
      `Delete the orphaned coding "${name}" of “${shortenQuote(coding.anchor.quote, 60)}” in ${path}?`,
      { modal: true, detail: 'It is removed from the sidecar. You can undo this from the notification that follows.' },
      del,
    );
    if (choice !== del) return;
  }
  const { transaction } = await v.session.session.removeCodings(path, [codingId], `Deleted the orphaned coding "${name}" in ${path}.`);
  announceUndoable(v.session.session.history, editOf(transaction));
}
