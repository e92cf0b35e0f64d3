// The undo stack shared by the editing services (codebook, cases): each finished edit is pushed with its
// message and its undo; the view's Ctrl+Z takes the newest, a notification's Undo button takes its own.
import * as vscode from 'vscode';
import { notify } from './errors';

/** A finished edit: what to tell the user, and how to take it back. */
export interface UndoableEdit {
  message: string;
  undo(): Promise<void>;
}

export class UndoStack {
  /** Most recent last. */
  private readonly edits: UndoableEdit[] = [];

  constructor(private readonly limit = 50) {}

  push<E extends UndoableEdit>(edit: E): E {
    this.edits.push(edit);
    if (this.edits.length > this.limit) this.edits.shift();
    return edit;
  }

  /** Undoes the most recent edit; its message, or undefined when there is none. */
  async undoLast(): Promise<string | undefined> {
    const last = this.edits.pop();
    if (!last) return undefined;
    await last.undo();
    return last.message;
  }

  /** Undoes one given edit (a notification's button), if it is still on the stack. */
  async undo(edit: UndoableEdit): Promise<boolean> {
    const i = this.edits.indexOf(edit);
    if (i < 0) return false;
    this.edits.splice(i, 1);
    await edit.undo();
    return true;
  }
}

/** The notification after an edit, with an Undo button (recorded by `notify`, so tests can press it). */
export function announceUndoable(stack: Pick<UndoStack, 'undo'>, edit: UndoableEdit): void {
  notify('info', `Grounded: ${edit.message}`, {
    title: 'Undo',
    run: async () => {
      if (await stack.undo(edit)) vscode.window.setStatusBarMessage(`Grounded: undone: ${edit.message}`, 4000);
    },
  });
}
