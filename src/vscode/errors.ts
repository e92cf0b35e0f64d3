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

/** A button on a notification: its title and what a click does. */
export interface NotificationAction {
  title: string;
  run: () => unknown;
}

/** A notification shown to the user, kept so the end-to-end tests can read it and press its buttons. */
export interface ShownNotification {
  severity: 'info' | 'warning';
  message: string;
  actions: readonly NotificationAction[];
}

const notifications: ShownNotification[] = [];

/** The information and warning notifications shown through `notify` in this session, newest last. */
export function shownNotifications(): readonly ShownNotification[] {
  return notifications;
}

/**
 * Shows a notification with buttons and runs the button pressed; a failing action is shown as an
 * error. Also logged to the output channel.
 */
export function notify(severity: ShownNotification['severity'], message: string, ...actions: NotificationAction[]): ShownNotification {
  const shownNotification = { severity, message, actions };
  notifications.push(shownNotification);
  if (severity === 'warning') output().warn(message);
  else output().info(message);
  const titles = actions.map((a) => a.title);
  const shown = severity === 'warning' ? vscode.window.showWarningMessage(message, ...titles) : vscode.window.showInformationMessage(message, ...titles);
  void shown.then(async (choice) => {
    const action = actions.find((a) => a.title === choice);
    if (!action) return;
    try {
      await action.run();
    } catch (err) {
      void showError(err);
    }
  });
  return shownNotification;
}

/**
 * A command that cannot act, and the way forward: shown as a warning with buttons (for example Open
 * Settings), never as a failure. Thrown from deep inside a command; `failable` shows it.
 */
export class ActionableError extends Error {
  constructor(
    message: string,
    readonly actions: readonly NotificationAction[] = [],
  ) {
    super(message);
  }
}

export async function showError(err: unknown, fs?: WorkspaceFileSystem): Promise<void> {
  if (err instanceof ActionableError) {
    notify('warning', vscode.l10n.t('Grounded: {0}', err.message), ...err.actions);
    return;
  }
  const text = err instanceof Error ? err.message : String(err);
  shown.push(text);
  output().error(text);
  if (err instanceof FormatError) {
    const open = vscode.l10n.t('Open File');
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('Grounded: {0}. The file was left untouched; fix it (or restore it from git) and try again.', err.message),
      open,
    );
    if (choice === open && fs) {
      const doc = await vscode.workspace.openTextDocument(fs.uri(err.path));
      const pos = new vscode.Position(Math.max(0, err.line - 1), Math.max(0, err.column - 1));
      await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
    }
    return;
  }
  await vscode.window.showErrorMessage(vscode.l10n.t('Grounded: {0}', text));
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
