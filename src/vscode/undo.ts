// Undo and redo in the editor: one history for the whole project (core/history.ts, kept by the
// session), whichever view or editor an edit was made in. A finished edit is announced with its
// message; the notification's Undo takes back that edit, Ctrl+Z in a transcript or a view's Undo the
// newest one.
import * as vscode from 'vscode';
import type { History, Transaction } from '../core/history';
import { notify } from './errors';

/** A finished edit: what to tell the user, and its transaction on the history. */
export interface UndoableEdit {
  message: string;
  transaction: Transaction;
}

/** An edit for the history's transaction (undefined when the edit changed nothing and was not recorded). */
export function editOf(transaction: Transaction | undefined): UndoableEdit | undefined {
  return transaction && { message: transaction.label, transaction };
}

/** Undoes the newest transaction, telling the user what was undone (or that there is nothing). */
export async function undoLast(history: History): Promise<string | undefined> {
  const t = await history.undo();
  if (t) vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: undone: {0}', t.label), 4000);
  else vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: there is nothing to undo.'), 4000);
  return t?.label;
}

/** Redoes the newest undone transaction. */
export async function redoLast(history: History): Promise<string | undefined> {
  const t = await history.redo();
  if (t) vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: redone: {0}', t.label), 4000);
  else vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: there is nothing to redo.'), 4000);
  return t?.label;
}

/** The notification after an edit, with an Undo button (recorded by `notify`, so tests can press it). */
export function announceUndoable(history: History, edit: UndoableEdit | undefined): void {
  if (!edit) return;
  notify('info', vscode.l10n.t('Grounded: {0}', edit.message), {
    title: vscode.l10n.t('Undo'),
    run: async () => {
      try {
        if (await history.undoTransaction(edit.transaction)) vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: undone: {0}', edit.message), 4000);
        else notify('info', vscode.l10n.t('Grounded: this can no longer be undone (it was undone already): {0}', edit.message));
      } catch (err) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Grounded: the undo failed: {0}', err instanceof Error ? err.message : String(err)));
      }
    },
  });
}
