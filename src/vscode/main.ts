// The composition root: every service is built here, top to bottom, and owned by the extension context.
import * as vscode from 'vscode';
import { systemEnvironment } from '../core/ports';
import { SIDECAR_SUFFIX } from '../core/model';
import { transcriptPathFor } from '../core/sidecar';
import { CodingService } from './codings';
import { createCommands } from './commands';
import { CodingDecorations } from './decorations';
import { onDidChangeSettings } from './config';
import { failable, showError, shownErrors } from './errors';
import { registerCodingHover } from './hover';
import { CodesAtCursor } from './statusBar';
import { ProjectService } from './project';
import { WorkspaceFileSystem } from './workspaceFs';
import { WorkspaceIndex } from './workspaceIndex';
import { SegmentsView } from './segmentsView';
import { DocumentsView } from './documentsView';
import { createViewCommands } from './viewCommands';

/** What activate() returns: used by the end-to-end tests, and by other extensions if they wish. */
export interface GroundedApi {
  project: ProjectService;
  codings: CodingService;
  decorations: CodingDecorations;
  statusBar: CodesAtCursor;
  /** every transcript of the workspace with its codings (for the views) */
  index: WorkspaceIndex;
  /** the Segments view (constant comparison) */
  segments: SegmentsView;
  /** the Documents view (coding progress, orphans) */
  documents: DocumentsView;
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
  const decorations = new CodingDecorations(codings, project);
  const statusBar = new CodesAtCursor(codings, project);
  const index = new WorkspaceIndex(fs, codings);
  context.subscriptions.push(project, codings, decorations, statusBar, index, registerCodingHover(codings, project));
  const segments = new SegmentsView(project, index, fs);
  const documents = new DocumentsView(project, index, fs);
  context.subscriptions.push(segments, documents);

  const commands = {
    ...createCommands({ project, codings, memento: context.workspaceState }),
    ...createViewCommands({ project, codings, index, fs, segments, documents }),
  };
  for (const [id, handler] of Object.entries(commands)) {
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
    await index.ready;
  })();
  return { project, codings, decorations, statusBar, index, segments, documents, ready, shownErrors };
}

export function deactivate(): void {}
