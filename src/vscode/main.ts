// The composition root: every service is built here, top to bottom, and owned by the extension context.
import * as vscode from 'vscode';
import { systemEnvironment } from '../core/ports';
import { SIDECAR_SUFFIX } from '../core/model';
import { transcriptPathFor } from '../core/sidecar';
import { CodingService } from './codings';
import { createCommands } from './commands';
import { CodingDecorations } from './decorations';
import { createDecorationCommands } from './decorationCommands';
import { onDidChangeSettings } from './config';
import { failable, showError, shownErrors } from './errors';
import { registerCodingHover } from './hover';
import { CodesAtCursor } from './statusBar';
import { ProjectService } from './project';
import { WorkspaceFileSystem } from './workspaceFs';

/** What activate() returns: used by the end-to-end tests, and by other extensions if they wish. */
export interface GroundedApi {
  project: ProjectService;
  codings: CodingService;
  decorations: CodingDecorations;
  statusBar: CodesAtCursor;
  ready: Promise<void>;
  /** error messages shown to the user so far */
  shownErrors(): readonly string[];
}

export function activate(context: vscode.ExtensionContext): GroundedApi | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  const fs = new WorkspaceFileSystem(folder.uri);
  const env = systemEnvironment;
  const project = new ProjectService(fs, env);
  const codings = new CodingService(fs, env);
  const decorations = new CodingDecorations(codings, project, context.workspaceState);
  const statusBar = new CodesAtCursor(codings, project);
  context.subscriptions.push(project, codings, decorations, statusBar, registerCodingHover(codings, project));

  for (const [id, handler] of Object.entries(createCommands({ project, codings, memento: context.workspaceState }))) {
    context.subscriptions.push(vscode.commands.registerCommand(id, failable(handler as (...a: unknown[]) => unknown, fs)));
  }
  for (const [id, handler] of Object.entries(createDecorationCommands({ project, codings, decorations, env }))) {
    context.subscriptions.push(vscode.commands.registerCommand(id, failable(handler as (...a: unknown[]) => unknown, fs)));
  }

  const setContext = (editor: vscode.TextEditor | undefined) =>
    void vscode.commands.executeCommand('setContext', 'grounded.isTranscript', !!editor && codings.isTranscript(editor.document.uri));
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(setContext));
  context.subscriptions.push(
    onDidChangeSettings(() => {
      setContext(vscode.window.activeTextEditor);
      decorations.refreshAll();
    }),
  );
  setContext(vscode.window.activeTextEditor);

  const sidecars = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, `**/*${SIDECAR_SUFFIX}`));
  const onSidecar = (uri: vscode.Uri) => {
    const rel = fs.relative(uri);
    if (rel) void codings.reloadSidecar(fs.uri(transcriptPathFor(rel))).catch((err) => showError(err, fs));
  };
  context.subscriptions.push(sidecars, sidecars.onDidChange(onSidecar), sidecars.onDidCreate(onSidecar));

  context.subscriptions.push(codings.onDidFailToLoad(({ error }) => void showError(error, fs)));
  context.subscriptions.push(
    codings.onDidReanchor(({ uri, outcome }) => {
      const name = fs.relative(uri) ?? uri.fsPath;
      if (outcome.orphaned.length > 0) {
        const show = 'Show Orphans';
        void vscode.window
          .showWarningMessage(
            `Grounded: ${outcome.orphaned.length} coding(s) in ${name} could not be found in the changed text. They are kept, marked as orphaned.`,
            show,
          )
          .then((c) => c === show && vscode.commands.executeCommand('grounded.showOrphans'));
      } else if (outcome.moved + outcome.fuzzy > 0) {
        vscode.window.setStatusBarMessage(`Grounded: re-anchored ${outcome.moved + outcome.fuzzy} coding(s) in ${name}`, 5000);
      }
    }),
  );

  const ready = (async () => {
    try {
      await project.load();
    } catch (err) {
      void showError(err, fs);
    }
    decorations.refreshAll();
  })();
  return { project, codings, decorations, statusBar, ready, shownErrors };
}

export function deactivate(): void {}
