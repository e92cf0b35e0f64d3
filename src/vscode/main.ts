// The composition root: every service is built here, top to bottom, and owned by the extension context.
import * as vscode from 'vscode';
import { systemEnvironment } from '../core/ports';
import { CodingService } from './codings';
import { RECENT_CODES_KEY, codePickerState, createCommands, translationHost } from './commands';
import { registerTranslations } from './translation';
import { CodingDecorations } from './decorations';
import { createDecorationCommands } from './decorationCommands';
import { onDidChangeSettings } from './config';
import { failable, notify, showError, shownErrors, shownNotifications } from './errors';
import type { ShownNotification } from './errors';
import { TranscriptFiles } from './files';
import { affectsFileRules } from './fileRules';
import { registerCodingHover } from './hover';
import { CoderStatus, CodesAtCursor } from './statusBar';
import { ProjectService } from './project';
import { chooseProjectFolder, tellUnserved } from './projectFolder';
import { WorkspaceFileSystem } from './workspaceFs';
import { WorkspaceIndex } from './workspaceIndex';
import { GitMergeDriver } from './gitSetup';
import { BlindMode } from './blind';
import { coderPromptState, setCoderName } from './coder';
import { PersonalState } from './personalState';
import { AgreementView, createAgreementCommands } from './agreementView';
import { CodebookService } from './codebook';
import { announce, createCodebookCommands } from './codebookCommands';
import { CodesView } from './codesView';
import { EditorSession } from './session';
import { CodingUndoKeys, createUndoCommands } from './undoKeys';
import { SegmentsView } from './segmentsView';
import { DocumentsView } from './documentsView';
import { createViewCommands } from './viewCommands';
import { createHistoryCommands } from './historyPage';
import { CategoryBoard } from './categoryBoard';
import { createBoardCommands } from './boardCommands';
import { MemoService } from './memos';
import { createExportCommands, registerExportPages } from './exportCommands';
import { CaseService } from './cases';
import { SetService, createSetCommands } from './setCommands';
import { CasesView } from './casesView';
import { createCaseCommands } from './caseCommands';
import { MatrixPanel, createMatrixCommands } from './matrixPanel';
import { TheoryMapPanels, createMapCommands } from './theoryMap';
import { createImportCommands } from './importCommands';
import { createRefiCommands } from './refiCommands';
import { startBenchProbe } from './benchProbe';
import { RelationsView } from './relationsView';
import { createRelationCommands } from './relationCommands';
import { SuggestionsView } from './suggestionsView';
import { createSuggestionCommands } from './suggestionCommands';
import { AiSwitch } from './aiProvider';
import { createSuggestCommands } from './suggestCommands';

/** What activate() returns: used by the end-to-end tests, and by other extensions if they wish. */
export interface GroundedApi {
  project: ProjectService;
  codings: CodingService;
  decorations: CodingDecorations;
  statusBar: CodesAtCursor;
  /** the coder name in the status bar, and the box that asks for it (while open) */
  coder: { status: CoderStatus; prompt: typeof coderPromptState };
  /** every transcript of the workspace with its codings (for the views) */
  index: WorkspaceIndex;
  codebook: CodebookService;
  /** the project session (the one analysis, the one history) and its editor side */
  session: EditorSession;
  /** the context keys that give Ctrl+Z in a transcript to the last coding action */
  undoKeys: CodingUndoKeys;
  codesView: CodesView;
  /** the Agreement view (inter-coder agreement) */
  agreement: AgreementView;
  /** ids of the codes used most recently, most recent first (the order of the code picker) */
  recentCodes(): string[];
  /** the code picker of Code Selection while it is open */
  codePicker: typeof codePickerState;
  /** the Segments view (constant comparison) */
  segments: SegmentsView;
  /** the Documents view (coding progress, orphans) */
  documents: DocumentsView;
  /** the Categories & Memos webview's host side; `board.handle(message)` acts as if the webview sent it */
  board: CategoryBoard;
  memos: MemoService;
  /** case edits (undoable) and the Cases view */
  cases: CaseService;
  casesView: CasesView;
  /** set edits (undoable) */
  sets: SetService;
  /** personal choices (blind mode, filters) in workspace state */
  personal: PersonalState;
  /** the Relations view (relations between codes and categories, with their evidence) */
  relations: RelationsView;
  /** the Suggestions view (AI suggestions waiting for a decision) */
  suggestions: SuggestionsView;
  /** the Matrices panel's host side; `matrices.handle(message)` acts as if its webview sent it */
  matrices: MatrixPanel;
  /** the Theory Map panels' host side; `maps.handle(mapId, message)` acts as if a map's webview sent it */
  maps: TheoryMapPanels;
  /** AI suggestions: on or off for this project (workspace state) */
  ai: AiSwitch;
  /** git's merge driver: `checked` is the state of the repository's entry found on activation */
  gitDriver: GitMergeDriver;
  ready: Promise<void>;
  /** error messages shown to the user so far */
  shownErrors(): readonly string[];
  /** information and warning notifications shown so far, with their buttons */
  shownNotifications(): readonly ShownNotification[];
}

export async function activate(context: vscode.ExtensionContext): Promise<GroundedApi | undefined> {
  // Only for bench/editor.ts (GROUNDED_BENCH set): event-loop delays and memory of this extension host.
  const probe = startBenchProbe();
  if (probe) context.subscriptions.push(probe);
  // One project per window: the first folder with grounded.json (see projectFolder.ts).
  const folders = await chooseProjectFolder();
  if (!folders) return undefined;
  tellUnserved(folders.served, folders.unserved);
  const fs = new WorkspaceFileSystem(folders.served.uri);
  const env = systemEnvironment;
  const project = new ProjectService(fs, env);
  const codings = new CodingService(fs);
  // Blind mode, line labels and the decoration filter: this user's, never committed (personalState.ts).
  const personal = new PersonalState(context.workspaceState);
  const decorations = new CodingDecorations(codings, project, personal);
  const statusBar = new CodesAtCursor(codings, project);
  const coderStatus = new CoderStatus(codings, project);
  const index = new WorkspaceIndex(fs, codings);
  // An opened transcript's first highlights come from the sidecar the index has read (CodingService.preview).
  codings.storedSource = (path) => index.stored(path);
  context.subscriptions.push(personal, project, codings, decorations, statusBar, coderStatus, index, registerCodingHover(codings, project, () => personal.get('showRejectedSuggestions')));
  context.subscriptions.push(new TranscriptFiles(fs, codings, project));

  // The project session: the one analysis, the invariants and the one undo history (core/session.ts).
  const memos = new MemoService(fs, env, (r) => notify('warning', vscode.l10n.t('Grounded: the memo {0} changed on disk meanwhile; your text was saved to {1}.', r.conflict?.original ?? '', r.path)));
  const memoIndex = () => memos.list().map((e) => ({ path: e.path, target: e.memo.target }));
  const editorSession = new EditorSession(fs, project, codings, index, env, memoIndex, (listener) => memos.onDidChange(listener));
  context.subscriptions.push(editorSession);
  const undoKeys = new CodingUndoKeys(editorSession.session.history, fs);
  context.subscriptions.push(undoKeys);
  const blind = new BlindMode(editorSession, personal);
  context.subscriptions.push(blind);
  const codebook = new CodebookService(project, index, editorSession.session, env);
  const iconDir = vscode.Uri.joinPath(context.globalStorageUri, 'icons');
  const codesView = new CodesView(project, editorSession, codebook, context.workspaceState, iconDir, (edit) => announce(codebook, edit));
  context.subscriptions.push(codesView);
  const board = new CategoryBoard({ project, index, session: editorSession, codebook, memos, codesView, extensionUri: context.extensionUri, showUndo: (edit) => announce(codebook, edit) });
  context.subscriptions.push(memos, board);
  const agreement = new AgreementView(project, index, fs, personal);
  context.subscriptions.push(agreement);
  const segments = new SegmentsView(project, editorSession, fs, personal);
  const documents = new DocumentsView(project, index, editorSession, fs);
  const relations = new RelationsView(editorSession);
  const suggestions = new SuggestionsView(editorSession, codings, project, personal);
  context.subscriptions.push(segments, documents, relations, suggestions);
  const cases = new CaseService(project, editorSession.session, env);
  const casesView = new CasesView(project, index, fs, editorSession);
  const sets = new SetService(project, editorSession.session, index, env);
  context.subscriptions.push(casesView);
  // The explorer's and editor tabs' "Assign Transcript to Case…" shows on transcripts only.
  const setTranscriptPaths = () => void vscode.commands.executeCommand('setContext', 'grounded.transcriptPaths', index.transcripts.map((p) => fs.uri(p).fsPath));
  context.subscriptions.push(index.onDidChange(setTranscriptPaths));
  void index.ready.then(setTranscriptPaths);
  const matrices = new MatrixPanel({ project, index, session: editorSession, fs, extensionUri: context.extensionUri, personal });
  context.subscriptions.push(matrices);
  const maps = new TheoryMapPanels({ project, session: editorSession, memos, extensionUri: context.extensionUri });
  context.subscriptions.push(maps);
  // git's merge driver: checked now (a broken entry gets Repair), set up by its command.
  const gitDriver = new GitMergeDriver(fs, context);
  const services = { project, codings, session: editorSession.session, codebook, fs, memento: context.workspaceState };
  const ai = new AiSwitch(context.workspaceState);
  context.subscriptions.push(registerTranslations(translationHost(services)));
  const commandTables = [
    createUndoCommands(editorSession.session.history),
    createCommands(services),
    createCodebookCommands({ project, codebook, view: codesView }),
    {
      'grounded.toggleBlindMode': () => blind.toggle(),
      'grounded.setCoderName': (name?: string) => setCoderName(name),
      'grounded.setUpGitMergeDriver': async () => {
        const driver = await gitDriver.setUp();
        void vscode.window.showInformationMessage(
          vscode.l10n.t('Grounded: git now merges sidecars and grounded.json record by record ({0}), and .gitignore keeps out the lock and temporary files of a save. Commit .gitattributes and .gitignore so co-authors get them too; each clone runs this command once.', driver),
        );
        return driver;
      },
    },
    createViewCommands({ project, codings, session: editorSession, fs, segments, documents }),
    createBoardCommands(board),
    createAgreementCommands(agreement),
    createExportCommands({ project, index, session: editorSession, memos, fs }),
    createCaseCommands({ project, cases, view: casesView, index, fs, history: editorSession.session.history }),
    createSetCommands({ project, sets, index, personal, session: editorSession.session, selectedCodes: () => codesView.view.selection }),
    createMatrixCommands(matrices),
    createRelationCommands({ project, session: editorSession, codings, memos, fs, view: relations, env }),
    createSuggestionCommands({ ...services, view: suggestions, personal, env }),
    createMapCommands({ project, session: editorSession, panels: maps, selectedCodes: () => codesView.view.selection }),
    createImportCommands({ fs, codings }),
    createHistoryCommands({ project, fs, selectedCodeId: () => codesView.view.selection[0]?.id, subscriptions: context.subscriptions }),
    createSuggestCommands({ ...services, editorSession, index, memos, env, ai }),
    createRefiCommands({ fs, origin: `Grounded ${String(context.extension.packageJSON.version)}`, subscriptions: context.subscriptions }),
  ];
  context.subscriptions.push(registerExportPages());
  for (const [id, handler] of commandTables.flatMap((t) => Object.entries(t))) {
    context.subscriptions.push(vscode.commands.registerCommand(id, failable(handler as (...a: unknown[]) => unknown, fs)));
  }
  for (const [id, handler] of Object.entries(createDecorationCommands({ project, codings, decorations, env, personal }))) {
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
  // files.exclude and search.exclude decide too which files are the project's transcripts.
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration((e) => affectsFileRules(e, fs.root) && setContext(vscode.window.activeTextEditor)));
  setContext(vscode.window.activeTextEditor);
  const setHasProject = () => void vscode.commands.executeCommand('setContext', 'grounded.hasProject', project.exists);
  context.subscriptions.push(project.onDidChange(setHasProject));

  context.subscriptions.push(index.onDidFail((err) => void showError(err, fs)));

  context.subscriptions.push(codings.onDidFailToLoad(({ error }) => void showError(error, fs)));
  context.subscriptions.push(
    codings.onDidReanchor(({ uri, outcome }) => {
      const name = fs.relative(uri) ?? uri.fsPath;
      if (outcome.orphaned.length > 0) {
        const show = vscode.l10n.t('Show Orphans');
        const n = outcome.orphaned.length;
        void vscode.window
          .showWarningMessage(
            n === 1
              ? vscode.l10n.t('Grounded: 1 coding in {0} could not be found in the changed text. It is kept, marked as orphaned.', name)
              : vscode.l10n.t('Grounded: {0} codings in {1} could not be found in the changed text. They are kept, marked as orphaned.', n, name),
            show,
          )
          .then((c) => c === show && vscode.commands.executeCommand('grounded.showOrphans'));
      } else if (outcome.moved + outcome.fuzzy > 0) {
        const n = outcome.moved + outcome.fuzzy;
        vscode.window.setStatusBarMessage(
          n === 1 ? vscode.l10n.t('Grounded: re-anchored 1 coding in {0}', name) : vscode.l10n.t('Grounded: re-anchored {0} codings in {1}', n, name),
          5000,
        );
      }
    }),
  );

  const ready = (async () => {
    try {
      await project.load();
    } catch (err) {
      void showError(err, fs);
    }
    await blind.update();
    decorations.refreshAll();
    await index.ready;
    probe?.mark('index ready');
    await memos.ready;
  })();
  return {
    project,
    codings,
    decorations,
    statusBar,
    coder: { status: coderStatus, prompt: coderPromptState },
    index,
    codebook,
    session: editorSession,
    undoKeys,
    codesView,
    agreement,
    segments,
    documents,
    board,
    memos,
    cases,
    casesView,
    sets,
    personal,
    matrices,
    relations,
    suggestions,
    maps,
    recentCodes: () => context.workspaceState.get<string[]>(RECENT_CODES_KEY) ?? [],
    codePicker: codePickerState,
    gitDriver,
    ai,
    ready, shownErrors, shownNotifications };
}

export function deactivate(): void {}
