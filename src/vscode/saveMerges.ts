// A save that found its file changed on disk (another window, the command line, git) merged the two
// (core/store.ts). A record both sides changed differently is then kept twice, the other side's copy
// marked `conflictOf`: never silent, the user is told which file and how many, and what to do.
import * as vscode from 'vscode';
import type { MergeOutcome } from '../core/store';
import { notify } from './errors';

export function tellSaveConflicts(outcome: MergeOutcome<unknown>): void {
  const n = outcome.conflicts.length;
  if (n === 0) return;
  notify(
    'warning',
    n === 1
      ? vscode.l10n.t('Grounded: {0} was changed elsewhere (another window, the command line or git) while you saved, and one record was changed on both sides. Both versions are kept; the other one is marked "conflictOf". Keep one of the two ("grounded check" lists them).', outcome.path)
      : vscode.l10n.t('Grounded: {0} was changed elsewhere (another window, the command line or git) while you saved, and {1} records were changed on both sides. Both versions of each are kept; the other ones are marked "conflictOf". Keep one of each pair ("grounded check" lists them).', outcome.path, n),
  );
}
