// Commands that can fail are wrapped once, so the user always sees what went wrong instead of silence.
import * as vscode from 'vscode';
import { FormatError } from '../core/jsonError';
import type { WorkspaceFileSystem } from './workspaceFs';

let channel: vscode.LogOutputChannel | undefined;
const shown: string[] = [];

/** The "Grounded" output channel, where every error is also logged. */
export function output(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('Grounded', { log: true });
  return channel;
}

/** The error messages shown to the user in this session, newest last (read by the end-to-end tests). */
export function shownErrors(): readonly string[] {
  return shown;
}

export async function showError(err: unknown, fs?: WorkspaceFileSystem): Promise<void> {
  const text = err instanceof Error ? err.message : String(err);
  shown.push(text);
  output().error(text);
  if (err instanceof FormatError) {
    const open = 'Open File';
    const choice = await vscode.window.showErrorMessage(
      `Grounded: ${err.message}. The file was left untouched; fix it (or restore it from git) and try again.`,
      open,
    );
    if (choice === open && fs) {
      const doc = await vscode.workspace.openTextDocument(fs.uri(err.path));
      const pos = new vscode.Position(Math.max(0, err.line - 1), Math.max(0, err.column - 1));
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
    }
    return;
  }
  await vscode.window.showErrorMessage(`Grounded: ${text}`);
}

export function failable<A extends unknown[]>(
  fn: (...args: A) => Promise<unknown> | unknown,
  fs?: WorkspaceFileSystem,
): (...args: A) => Promise<unknown> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      void showError(err, fs);
      return undefined;
    }
  };
}
