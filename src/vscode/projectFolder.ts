// Which workspace folder the extension serves. One window serves one project: in a window of several
// folders, the first folder that holds grounded.json; the user is told once which one, and how to work
// on the others (each in a window of its own).
import * as vscode from 'vscode';
import { PROJECT_FILE } from '../core/model';
import { servedFolder } from '../core/projectFiles';
import { notify } from './errors';

/** The folder to serve and the other folders with a project, or undefined when no folder is open. */
export async function chooseProjectFolder(): Promise<{ served: vscode.WorkspaceFolder; unserved: vscode.WorkspaceFolder[] } | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const hasProject = await Promise.all(
    folders.map((f) => vscode.workspace.fs.stat(vscode.Uri.joinPath(f.uri, PROJECT_FILE)).then(() => true, () => false)),
  );
  return servedFolder(folders, hasProject);
}

/** Says which folder's project is served and that the others are not, with a button per folder to open it in a new window. */
export function tellUnserved(served: vscode.WorkspaceFolder, unserved: readonly vscode.WorkspaceFolder[]): void {
  if (unserved.length === 0) return;
  const names = unserved.map((f) => f.name).join(', ');
  const message =
    unserved.length === 1
      ? vscode.l10n.t('Grounded works on one project per window: it serves the project in {0}. The project in {1} is not served here; open that folder in a window of its own to work on it.', served.name, names)
      : vscode.l10n.t('Grounded works on one project per window: it serves the project in {0}. The projects in {1} are not served here; open each of those folders in a window of its own to work on its project.', served.name, names);
  notify(
    'warning',
    message,
    ...unserved.slice(0, 3).map((f) => ({
      title: vscode.l10n.t('Open {0} in New Window', f.name),
      run: () => vscode.commands.executeCommand('vscode.openFolder', f.uri, { forceNewWindow: true }),
    })),
  );
}
