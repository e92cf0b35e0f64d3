// Ctrl+Z where users press it: in a transcript, right after a coding action, Ctrl+Z (Cmd+Z) undoes that
// action on the project's one history and leaves the text alone; Ctrl+Shift+Z / Ctrl+Y redo it. Typing
// in the transcript hands the keys back to VS Code's own undo of the text. The keybindings in
// package.json are guarded by the context keys kept here.
import * as vscode from 'vscode';
import type { History, Transaction } from '../core/history';
import type { CommandTable } from './commands';
import { Disposable } from './disposable';
import { redoLast, undoLast } from './undo';
import type { WorkspaceFileSystem } from './workspaceFs';

export const CAN_UNDO_CODING = 'grounded.canUndoCoding';
export const CAN_REDO_CODING = 'grounded.canRedoCoding';

export class CodingUndoKeys extends Disposable {
  /** Transactions text was typed after, in their transcript: Ctrl+Z there is the text's again. */
  private readonly passed = new WeakSet<Transaction>();
  private shown = { undo: false, redo: false };
  /** The context keys as last set (read by the tests). */
  get state(): { undo: boolean; redo: boolean } {
    return { ...this.shown };
  }

  constructor(
    private readonly history: History,
    private readonly fs: WorkspaceFileSystem,
  ) {
    super();
    const listener = history.onDidChange(() => this.update());
    this.own({ dispose: () => listener.dispose() });
    this.own(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.own(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        const path = fs.relative(e.document.uri);
        for (const t of [history.nextUndo, history.nextRedo]) if (t && t.path === path) this.passed.add(t);
        this.update();
      }),
    );
    this.update();
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const path = editor ? this.fs.relative(editor.document.uri) : undefined;
    const mine = (t: Transaction | undefined) => !!t && path !== undefined && t.origin === 'coding' && t.path === path && !this.passed.has(t);
    const next = { undo: mine(this.history.nextUndo), redo: mine(this.history.nextRedo) };
    if (next.undo !== this.shown.undo) void vscode.commands.executeCommand('setContext', CAN_UNDO_CODING, next.undo);
    if (next.redo !== this.shown.redo) void vscode.commands.executeCommand('setContext', CAN_REDO_CODING, next.redo);
    this.shown = next;
  }
}

/** Undo and Redo of the one history: the palette's, the keys' in a transcript, the views'. */
export function createUndoCommands(history: History): CommandTable {
  return {
    'grounded.undo': () => undoLast(history),
    'grounded.redo': () => redoLast(history),
  };
}
