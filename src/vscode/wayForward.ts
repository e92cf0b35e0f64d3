// What a command says when it cannot act because the folder has no Grounded project: why, and the
// button that makes one (instead of an error, or nothing at all).
import * as vscode from 'vscode';
import { notify } from './errors';

/** Tells the user that this folder has no project yet, with [Initialize Project]; returns undefined for `return sayNoProject()`. */
export function sayNoProject(): undefined {
  notify('warning', vscode.l10n.t('Grounded: this folder has no Grounded project yet. Initialize one to code transcripts, add cases and export.'), {
    title: vscode.l10n.t('Initialize Project'),
    run: () => vscode.commands.executeCommand('grounded.initializeProject'),
  });
  return undefined;
}
