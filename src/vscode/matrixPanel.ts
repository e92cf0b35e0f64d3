// The Matrices panel: code × case, code × attribute value, code co-occurrence and the saturation chart,
// as one editor webview (webview/matrices/). Everything it shows is computed by core/matrix.ts and
// core/saturation.ts over the documents as the one analysis counts them (the session's core/analysis.ts);
// it is sent again whenever the project or the codings change. The "Set" filter (view.setId, kept as
// personal state) limits the analysis to a set's documents and codes (core/analysis.ts withinSet). `handle(message)` is what the end-to-end
// tests call, as if the webview had sent the message.
import * as vscode from 'vscode';
import { webviewHtml } from './webviewHtml';
import type { DocumentCodings } from '../core/codebook';
import { attributeNames, codeByAttribute, codeByCase, cooccurrence, matrixCsv, matrixWithinSet, NO_CASE, NO_VALUE } from '../core/matrix';
import { setsByName } from '../core/sets';
import type { PersonalState } from './personalState';
import { describeSet } from './setCommands';
import { pseudonymise, warnRealNames } from './exportCommands';
import { EXPORT_DIR } from '../core/model';
import type { Matrix } from '../core/matrix';
import type { ProjectFile } from '../core/model';
import { codePath } from '../core/project';
import { saturation } from '../core/saturation';
import { pseudonymOf, shortenQuote } from '../core/segmentList';
import { excludedSpeakers } from '../core/speakers';
import type { MatrixData, MatrixHostMessage, MatrixPanelData, MatrixSegment, MatrixView, MatrixWebviewMessage } from '../shared/webviewProtocol';
import { MATRIX_PROTOCOL_VERSION } from '../shared/webviewProtocol';
import type { CommandTable } from './commands';
import { Disposable } from './disposable';
import { showError } from './errors';
import type { ProjectService } from './project';
import { transcriptText } from './texts';
import type { WorkspaceIndex } from './workspaceIndex';
import type { EditorSession } from './session';
import type { WorkspaceFileSystem } from './workspaceFs';

export const MATRIX_PANEL = 'grounded.matrices';

export const DEFAULT_MATRIX_VIEW: MatrixView = { tab: 'case', mode: 'overlap' };

export interface MatrixServices {
  project: ProjectService;
  index: WorkspaceIndex;
  session: EditorSession;
  fs: WorkspaceFileSystem;
  extensionUri: vscode.Uri;
  /** where the "Set" filter is kept (this user's, in workspace state) */
  personal: PersonalState;
}

const noProject = () => vscode.l10n.t('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".');

export class MatrixPanel extends Disposable implements vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | undefined;
  /** the view the webview shows (its last request) */
  private view: MatrixView = DEFAULT_MATRIX_VIEW;
  /** a tab asked for by a command before the webview was ready */
  private pending: Partial<MatrixView> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The data of a new panel's first view, computed while its page loads (the page asks for it when ready). */
  private early: { view: MatrixView; data: Promise<MatrixPanelData> } | undefined;
  /** Every message posted to the webview, newest last (read by the end-to-end tests). */
  readonly posted: MatrixHostMessage[] = [];

  constructor(private readonly s: MatrixServices) {
    super();
    this.own(vscode.window.registerWebviewPanelSerializer(MATRIX_PANEL, this));
    const refresh = () => this.refreshSoon();
    this.own(s.session.onDidChange(refresh));
  }

  // ---- computing -------------------------------------------------------------------------------

  /** The project and its documents as the one analysis counts them, and the texts read for turn co-occurrence. */
  private async analysis(needTexts: boolean, setId: string | undefined): Promise<{ project: ProjectFile; docs: readonly DocumentCodings[]; textOf: (path: string) => string | undefined } | undefined> {
    await this.s.session.ready();
    const analysis = this.s.session.session.analysisWithin(setId);
    if (!analysis) return undefined;
    const texts = new Map<string, string | undefined>();
    if (needTexts) for (const d of analysis.documents) if (d.codings.length) texts.set(d.path, await transcriptText(this.s.fs, d.path));
    return { project: analysis.project, docs: analysis.documents, textOf: (path: string) => texts.get(path) };
  }

  /** The matrix of a view (undefined on the saturation tab, or without a project or attribute). */
  async matrix(view: MatrixView): Promise<Matrix | undefined> {
    const a = await this.analysis(view.tab === 'cooccurrence' && view.mode === 'turn', view.setId);
    if (!a) return undefined;
    const m = (() => {
      switch (view.tab) {
        case 'case':
          return codeByCase(a.project, a.docs);
        case 'attribute': {
          const attribute = this.attributeOf(a.project, view);
          return attribute === undefined ? undefined : codeByAttribute(a.project, a.docs, attribute);
        }
        case 'cooccurrence':
          return cooccurrence(a.project, a.docs, view.mode, a.textOf);
        default:
          return undefined;
      }
    })();
    return m && matrixWithinSet(m, a.project, view.setId);
  }

  /** The view with a set that exists (a set deleted since is dropped). */
  private withSet(view: MatrixView): MatrixView {
    const { setId, ...rest } = view;
    return setId && this.s.project.project?.sets?.some((k) => k.id === setId) ? { ...rest, setId } : rest;
  }

  private attributeOf(project: ProjectFile, view: MatrixView): string | undefined {
    const names = attributeNames(project);
    return view.attribute !== undefined && names.includes(view.attribute) ? view.attribute : names[0];
  }

  /** Everything the webview shows for a view. */
  async data(view: MatrixView): Promise<MatrixPanelData> {
    const project = this.s.project.project;
    const attributes = project ? attributeNames(project) : [];
    view = this.withSet(view);
    const shown: MatrixView = { ...view, attribute: view.tab === 'attribute' && project ? this.attributeOf(project, view) : view.attribute };
    const base: MatrixPanelData = {
      protocol: MATRIX_PROTOCOL_VERSION,
      view: shown,
      hasProject: !!project,
      attributes,
      excludedSpeakers: project ? excludedSpeakers(project) : [],
      sets: project ? setsByName(project).map((k) => ({ id: k.id, name: k.name, description: describeSet(k) })) : [],
    };
    if (!project) return { ...base, note: noProject() };
    if (view.tab === 'saturation') {
      const a = (await this.analysis(false, view.setId))!;
      const names = new Map(project.codes.map((c) => [c.id, c.name]));
      const steps = saturation(project, a.docs).map((s) => ({ ...s, newCodes: s.newCodeIds.map((id) => names.get(id) ?? id) }));
      return { ...base, saturation: steps, note: steps.length ? undefined : vscode.l10n.t('Nothing is coded yet.') };
    }
    if (view.tab === 'attribute' && !attributes.length) return { ...base, note: vscode.l10n.t('The cases in grounded.json have no attributes yet.') };
    const m = await this.matrix(shown);
    if (!m) return base;
    const note = !m.rows.length ? vscode.l10n.t('The codebook is empty.') : !m.columns.length ? vscode.l10n.t('There are no cases in grounded.json yet.') : undefined;
    return { ...base, matrix: wire(m), note };
  }

  /** The segments of one cell, as listed under the table. */
  async segments(view: MatrixView, rowId: string, columnId: string): Promise<{ title: string; segments: MatrixSegment[] }> {
    const found = await this.matrix(view);
    const m = found && localised(found);
    const r = m?.rows.findIndex((x) => x.id === rowId) ?? -1;
    const c = m?.columns.findIndex((x) => x.id === columnId) ?? -1;
    if (!m || r < 0 || c < 0) throw new Error(vscode.l10n.t('That cell is no longer in the matrix: the project changed meanwhile.'));
    const project = this.s.project.project!;
    const cell = m.cells[r][c];
    const byPath = new Map(this.s.index.documents().map((d) => [d.path, new Map(d.codings.map((k) => [k.id, k]))]));
    const colors = new Map(project.codes.map((k) => [k.id, k.color]));
    const segments: MatrixSegment[] = [];
    for (const ref of cell.refs) {
      const coding = byPath.get(ref.path)?.get(ref.codingId);
      if (!coding) continue;
      const pseudonym = pseudonymOf(project, ref.path);
      segments.push({
        path: ref.path,
        codingId: ref.codingId,
        quote: shortenQuote(coding.anchor.quote, 140),
        ...(pseudonym ? { pseudonym } : {}),
        code: codePath(project, coding.codeId).join(' > '),
        color: colors.get(coding.codeId) ?? '#888888',
      });
    }
    const row = m.rows[r].name;
    const column = m.columns[c].label;
    const segs = (n: number) => (n === 1 ? vscode.l10n.t('{0} segment', n) : vscode.l10n.t('{0} segments', n));
    const pairs = cell.count === 1 ? vscode.l10n.t('{0} pair', 1) : vscode.l10n.t('{0} pairs', cell.count);
    const title =
      m.kind === 'cooccurrence' && r !== c
        ? view.mode === 'turn'
          ? vscode.l10n.t('{0} × {1}: {2} of codings (same speaker turn), {3}', row, column, pairs, segs(segments.length))
          : vscode.l10n.t('{0} × {1}: {2} of codings (overlapping), {3}', row, column, pairs, segs(segments.length))
        : vscode.l10n.t('{0} × {1}: {2} in {3}', row, column, segs(cell.count), cell.documents === 1 ? vscode.l10n.t('{0} transcript', 1) : vscode.l10n.t('{0} transcripts', cell.documents));
    return { title, segments };
  }

  /** Writes the view's matrix as CSV to `target`, or where the save dialog says. Returns the file, if written. */
  async exportCsv(view: MatrixView, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    if (view.tab === 'saturation') throw new Error(vscode.l10n.t('Export CSV works on a matrix: choose Code × Case, Code × Attribute or Co-occurrence.'));
    const m = await this.matrix(view);
    if (!m) throw new Error(this.s.project.project ? vscode.l10n.t('There is no matrix to export: the cases have no attributes.') : noProject());
    const project = this.s.project.project!;
    const name =
      view.tab === 'case' ? 'code-by-case' : view.tab === 'attribute' ? `code-by-${slug(this.attributeOf(project, view) ?? 'attribute')}` : `cooccurrence-${view.mode}`;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: vscode.l10n.t('Grounded: Export Matrix as CSV'),
        defaultUri: vscode.Uri.joinPath(this.s.fs.root, EXPORT_DIR, `${name}.csv`),
        filters: { CSV: ['csv'] },
        saveLabel: vscode.l10n.t('Export'),
      }));
    if (!uri) return undefined;
    // Like every export, the pseudonym table is applied (a broken table stops it before writing).
    const file = vscode.workspace.asRelativePath(uri);
    const { text, realNames } = await pseudonymise(this.s.fs, file, matrixCsv(localised(m)));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: matrix written to {0}', file), 5000);
    warnRealNames(file, realNames);
    return uri;
  }

  // ---- webview hosting -------------------------------------------------------------------------

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    this.adopt(panel);
  }

  /** Opens the panel (or shows the open one), on the given tab if any. */
  open(view?: Partial<MatrixView>): vscode.WebviewPanel {
    if (this.panel) {
      // A hidden panel's page is gone (no retained context) and reloads on reveal: its ready message
      // takes the pending view; a live page switches on matrixShow.
      this.pending = view;
      this.panel.reveal();
      if (view) this.post({ type: 'matrixShow', view });
      return this.panel;
    }
    this.pending = view;
    const panel = vscode.window.createWebviewPanel(MATRIX_PANEL, vscode.l10n.t('Matrices'), vscode.ViewColumn.Active, this.options());
    this.adopt(panel);
    // A new page has no state of its own: its ready message will ask for this view. Counting starts
    // now, while the page loads, once the messages that create the panel are on their way.
    const first = { ...DEFAULT_MATRIX_VIEW, setId: this.s.personal.get('matricesSet'), ...view };
    const early = { view: first, data: new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.data(first)) };
    early.data.catch(() => undefined); // a failure is reported when the page asks (it is computed again then)
    this.early = early;
    return panel;
  }

  /** The view the panel shows now. */
  get currentView(): MatrixView {
    return this.view;
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.s.extensionUri, 'media', 'icon.svg');
    panel.webview.options = this.options();
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((m: MatrixWebviewMessage) => void this.handle(m));
    panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = undefined;
        this.early = undefined;
      }
    });
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.s.extensionUri, 'dist')], retainContextWhenHidden: false };
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(webview, this.s.extensionUri, { bundle: 'matrices', title: vscode.l10n.t('Matrices'), label: vscode.l10n.t('Matrices'), host: 'panel' });
  }

  private post(message: MatrixHostMessage): void {
    this.posted.push(message);
    if (this.posted.length > 100) this.posted.splice(0, this.posted.length - 100);
    if (this.panel) void this.panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  refreshSoon(): void {
    if (!this.panel) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.send(this.view).catch((err) => this.fail(err)), 60);
  }

  private async send(view: MatrixView): Promise<void> {
    this.view = view;
    const early = this.early;
    this.early = undefined;
    const data = (early && sameView(early.view, view) && (await early.data.catch(() => undefined))) || (await this.data(view));
    if (this.view === view) this.post({ type: 'matrixData', data });
  }

  // ---- messages --------------------------------------------------------------------------------

  /** Answers one webview message. Tests call it directly, as if the webview had sent it. */
  async handle(m: MatrixWebviewMessage): Promise<void> {
    try {
      switch (m.type) {
        case 'matrixReady': {
          if (m.protocol !== MATRIX_PROTOCOL_VERSION) throw new Error(vscode.l10n.t('The matrices page speaks protocol {0}, the extension {1}: reload the window.', m.protocol, MATRIX_PROTOCOL_VERSION));
          const view = { ...DEFAULT_MATRIX_VIEW, ...m.view, setId: this.s.personal.get('matricesSet'), ...this.pending };
          this.pending = undefined;
          await this.send(view);
          return;
        }
        case 'matrixView':
          this.pending = undefined;
          if (m.view.setId !== this.s.personal.get('matricesSet')) await this.s.personal.set('matricesSet', m.view.setId);
          await this.send(m.view);
          return;
        case 'matrixCell': {
          const { title, segments } = await this.segments(m.view, m.row, m.column);
          this.post({ type: 'matrixSegments', row: m.row, column: m.column, title, segments });
          return;
        }
        case 'matrixOpen':
          await vscode.commands.executeCommand('grounded.openCoding', { path: m.path, codingId: m.codingId });
          return;
        case 'matrixExport':
          await this.exportCsv(m.view);
          return;
      }
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    this.post({ type: 'matrixError', message: err instanceof Error ? err.message : String(err) });
    void showError(err, this.s.project.fs);
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}

const sameView = (a: MatrixView, b: MatrixView) => a.tab === b.tab && a.attribute === b.attribute && a.mode === b.mode && a.setId === b.setId;

const TABS: readonly MatrixView['tab'][] = ['case', 'attribute', 'cooccurrence', 'saturation'];

/** Open Matrices (optionally `{ tab, attribute, mode }`, or the tab's name) and Show Saturation. */
export function createMatrixCommands(panel: MatrixPanel): CommandTable {
  return {
    'grounded.openMatrices': (arg?: Partial<MatrixView> | MatrixView['tab']) => {
      const view = typeof arg === 'string' ? { tab: arg } : arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : undefined;
      if (view?.tab !== undefined && !TABS.includes(view.tab)) throw new Error(vscode.l10n.t('No matrix "{0}": use one of {1}.', view.tab, TABS.join(', ')));
      panel.open(view);
    },
    'grounded.showSaturation': () => {
      panel.open({ tab: 'saturation' });
    },
  };
}

/** The matrix with its words (the corner, the columns of no case and no value) in the language of VS Code. */
function localised(m: Matrix): Matrix {
  const label = (c: { id: string; label: string }) =>
    c.id === NO_CASE ? vscode.l10n.t('No case') : c.id === NO_VALUE ? vscode.l10n.t('(none)') : c.label;
  return { ...m, corner: vscode.l10n.t('Code'), columns: m.columns.map((c) => ({ ...c, label: label(c) })) };
}

function wire(found: Matrix): MatrixData {
  const m = localised(found);
  return {
    corner: m.corner,
    rows: m.rows.map(({ id, name, depth, category, color, path }) => ({ id, name, depth, category, color, path })),
    columns: m.columns,
    counts: m.cells.map((row) => row.map((cell) => cell.count)),
    documents: m.cells.map((row) => row.map((cell) => cell.documents)),
    max: m.max,
    diagonal: m.kind === 'cooccurrence',
  };
}

function slug(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'attribute'
  );
}
