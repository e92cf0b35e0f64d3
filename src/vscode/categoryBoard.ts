// The "Categories & Memos" board: one controller behind the webview in the Grounded sidebar and any
// editor panels of it. It answers the webview's typed messages (src/shared/webviewProtocol.ts) with
// CodebookService edits (so Undo works and the Codes view follows), MemoService saves, and reveals;
// and it sends the board's data again whenever the project, the codings or the memos change.
import * as vscode from 'vscode';
import { webviewHtml } from './webviewHtml';
import type { MemoTarget } from '../core/model';
import { resolveCodeLink } from '../core/memoLinks';
import type { MemoEntry } from '../core/store';
import type { BoardData, HostMessage, MemoData, NodeRef, WebviewMessage } from '../shared/webviewProtocol';
import { PROTOCOL_VERSION } from '../shared/webviewProtocol';
import { buildBoardData, fileLabel, targetLabel } from './boardData';
import type { CodebookService, UndoableEdit } from './codebook';
import type { CodesView } from './codesView';
import { ensureCoder } from './coder';
import { LineIndex } from './convert';
import { Disposable } from './disposable';
import { showError } from './errors';
import type { MemoService } from './memos';
import type { ProjectService } from './project';
import type { WorkspaceIndex } from './workspaceIndex';
import type { EditorSession } from './session';

export const BOARD_VIEW = 'grounded.categories';
export const BOARD_PANEL = 'grounded.categoryBoard';

export interface BoardServices {
  project: ProjectService;
  index: WorkspaceIndex;
  session: EditorSession;
  codebook: CodebookService;
  memos: MemoService;
  codesView: CodesView;
  extensionUri: vscode.Uri;
  showUndo: (edit: UndoableEdit | undefined) => void;
}

export class CategoryBoard extends Disposable implements vscode.WebviewViewProvider, vscode.WebviewPanelSerializer {
  private readonly webviews = new Set<vscode.Webview>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Every message posted to the webviews, newest last (read by the end-to-end tests). */
  readonly posted: HostMessage[] = [];
  private panel: vscode.WebviewPanel | undefined;
  /** Per memo file, the body the webview last received or saved: what its next edit starts from. */
  private readonly synced = new Map<string, string>();

  constructor(private readonly s: BoardServices) {
    super();
    this.own(vscode.window.registerWebviewViewProvider(BOARD_VIEW, this, { webviewOptions: { retainContextWhenHidden: false } }));
    this.own(vscode.window.registerWebviewPanelSerializer(BOARD_PANEL, this));
    const refresh = () => this.refreshSoon();
    this.own(s.session.onDidChange(refresh));
    this.own(s.memos.onDidChange(refresh));
  }

  /** The board's data as the webview receives it. */
  data(): BoardData {
    const problems = this.s.memos.errors().map((e) => e.message);
    if (this.s.project.loadError) problems.unshift(String(this.s.project.loadError instanceof Error ? this.s.project.loadError.message : this.s.project.loadError));
    return buildBoardData(this.s.session.analysis(), this.s.memos.list(), problems);
  }

  // ---- webview hosting -------------------------------------------------------------------------

  resolveWebviewView(view: vscode.WebviewView): void {
    this.attach(view.webview, 'view');
    view.onDidDispose(() => this.webviews.delete(view.webview));
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    this.adoptPanel(panel);
  }

  /** Opens the board as an editor panel (or shows the open one). */
  openPanel(): vscode.WebviewPanel {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const panel = vscode.window.createWebviewPanel(BOARD_PANEL, vscode.l10n.t('Categories & Memos'), vscode.ViewColumn.Active, this.options());
    this.adoptPanel(panel);
    return panel;
  }

  private adoptPanel(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.s.extensionUri, 'media', 'icon.svg');
    this.attach(panel.webview, 'panel');
    panel.onDidDispose(() => {
      this.webviews.delete(panel.webview);
      if (this.panel === panel) this.panel = undefined;
    });
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.s.extensionUri, 'dist')], retainContextWhenHidden: false };
  }

  private attach(webview: vscode.Webview, host: 'view' | 'panel'): void {
    webview.options = this.options();
    webview.html = this.html(webview, host);
    this.webviews.add(webview);
    let heard = false;
    webview.onDidReceiveMessage((m: WebviewMessage) => {
      heard = true;
      void this.handle(m, webview);
    });
    // A page restored after a reload on a busy machine may never run its script (its resources time out)
    // and stay at "Loading…": loaded again, twice at most, until it says it is ready.
    const reloadIfSilent = (attempt: number) => setTimeout(() => {
      if (heard || attempt > 2 || !this.webviews.has(webview)) return;
      try {
        webview.html = `${this.html(webview, host)}<!-- loaded again (${attempt}) -->`;
      } catch {
        return; // disposed meanwhile
      }
      reloadIfSilent(attempt + 1);
    }, 15000);
    reloadIfSilent(1);
  }

  private html(webview: vscode.Webview, host: 'view' | 'panel'): string {
    return webviewHtml(webview, this.s.extensionUri, { bundle: 'webview', title: vscode.l10n.t('Categories & Memos'), label: vscode.l10n.t('Categories and memos'), host });
  }

  private post(message: HostMessage, to?: vscode.Webview): void {
    this.posted.push(message);
    if (this.posted.length > 200) this.posted.splice(0, this.posted.length - 200);
    for (const w of to ? [to] : this.webviews) void w.postMessage(message).then(undefined, () => undefined);
  }

  /** Sends the data again soon; a board that is not open does no work (it asks on `ready` when opened). */
  refreshSoon(): void {
    if (this.webviews.size === 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.post({ type: 'data', data: this.data() }), 30);
  }

  /** Sends a command to the board (opening the sidebar view if no board is shown). */
  async command(command: 'newMemo' | 'focusTree' | 'focusSearch'): Promise<void> {
    if (this.webviews.size === 0) await vscode.commands.executeCommand(`${BOARD_VIEW}.focus`);
    this.post({ type: 'command', command });
  }

  // ---- messages --------------------------------------------------------------------------------

  /** Answers one webview message. Tests call it directly, as if the webview had sent it. */
  async handle(m: WebviewMessage, from?: vscode.Webview): Promise<void> {
    try {
      await this.dispatch(m, from);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (m.type === 'saveMemo') this.post({ type: 'saveFailed', requestId: m.requestId, message }, from);
      else this.post({ type: 'error', message }, from);
      void showError(err, this.s.project.fs);
    }
  }

  private async dispatch(m: WebviewMessage, from?: vscode.Webview): Promise<void> {
    const { codebook } = this.s;
    switch (m.type) {
      case 'ready':
        if (m.protocol !== PROTOCOL_VERSION) throw new Error(vscode.l10n.t("The board's page speaks protocol {0}, the extension {1}: reload the window.", m.protocol, PROTOCOL_VERSION));
        await this.s.memos.ready;
        this.post({ type: 'data', data: this.data() }, from);
        this.postMemo(m.selected ?? { kind: 'project' }, m.memoPath, from);
        return;
      case 'select':
        this.postMemo(m.target, m.memoPath, from);
        return;
      case 'newMemo': {
        const author = await ensureCoder();
        if (!author) return;
        const result = await this.s.memos.create(m.target, fileLabel(m.target, this.s.project.project), '', author);
        this.postMemo(m.target, result.path, from);
        return;
      }
      case 'saveMemo': {
        // A new memo records its author: without a coder name it is not created (the user was told why).
        const author = m.path ? undefined : await ensureCoder();
        if (!m.path && !author) {
          this.post({ type: 'saveFailed', requestId: m.requestId, message: vscode.l10n.t('Not saved: Grounded needs a coder name to record who wrote the memo.') }, from);
          return;
        }
        const result = m.path
          ? await this.s.memos.save(m.path, m.body, this.synced.get(m.path))
          : await this.s.memos.create(m.target, fileLabel(m.target, this.s.project.project), m.body, author ?? '');
        this.synced.set(result.path, result.memo.body);
        const note = result.conflict ? vscode.l10n.t('The file changed on disk meanwhile: this text was saved to {0} instead.', result.path) : undefined;
        this.post({ type: 'saved', requestId: m.requestId, memo: memoData(result.path, result.memo), note }, from);
        return;
      }
      case 'openMemoInEditor':
        await vscode.window.showTextDocument(this.s.project.fs.uri(m.path), { preview: false });
        return;
      case 'openLink':
        await this.openLink(m.kind, m.ref, from);
        return;
      case 'reveal':
        await this.reveal(m.target);
        return;
      case 'newCategory': {
        const author = await ensureCoder(); // asked before the name is typed, so Escape loses nothing
        if (!author) return;
        const name = m.name ?? (await ask(vscode.l10n.t('Grounded: New Category'), vscode.l10n.t('The name of the category')));
        if (!name) return;
        const edit = await codebook.group(name, m.parentId, [], author);
        this.s.showUndo(edit);
        this.post({ type: 'select', target: { kind: 'code', id: edit.categoryId } }, from);
        return;
      }
      case 'renameCode': {
        const code = codebook.code(m.id);
        const name = m.name ?? (await ask(vscode.l10n.t('Grounded: Rename "{0}"', code.name), vscode.l10n.t('The new name'), code.name));
        if (!name || name.trim() === code.name) return;
        this.s.showUndo(await codebook.rename(m.id, name));
        return;
      }
      case 'deleteCode':
        await vscode.commands.executeCommand('grounded.deleteCode', { codeId: m.id });
        return;
      case 'moveCodes':
        for (const id of m.ids) {
          const code = codebook.code(id);
          if ((code.parent ?? null) === m.parentId || id === m.parentId) continue;
          this.s.showUndo(await codebook.move(id, m.parentId ?? undefined));
        }
        return;
      case 'moveCodesAsk':
        if (m.ids.length) await vscode.commands.executeCommand('grounded.moveCode', { codeId: m.ids[0] });
        return;
      case 'reorderCode': {
        const edit = await codebook.reorder(m.id, m.delta);
        if (edit) this.s.showUndo(edit);
        return;
      }
      case 'promoteCode': {
        const author = await ensureCoder();
        if (!author) return;
        const edit = await codebook.promote(m.id, author);
        this.s.showUndo(edit);
        this.post({ type: 'select', target: { kind: 'code', id: edit.categoryId } }, from);
        return;
      }
      case 'setFocused':
        if (m.ids.length) this.s.showUndo(await codebook.setFocused(m.ids, m.focused));
        return;
      case 'groupIntoCategory': {
        if (!m.ids.length) throw new Error(vscode.l10n.t('Check the codes to group first.'));
        const author = await ensureCoder();
        if (!author) return;
        const title = m.ids.length === 1 ? vscode.l10n.t('Grounded: Group 1 code into a new category') : vscode.l10n.t('Grounded: Group {0} codes into a new category', m.ids.length);
        const name = m.name ?? (await ask(title, vscode.l10n.t('The name of the category')));
        if (!name) return;
        const parents = new Set(m.ids.map((id) => codebook.code(id).parent));
        const parent = parents.size === 1 ? [...parents][0] : undefined;
        const edit = await codebook.group(name, parent && !m.ids.includes(parent) ? parent : undefined, m.ids, author);
        this.s.showUndo(edit);
        return;
      }
      case 'undo': {
        await codebook.undoLast(); // the one history: the newest edit, wherever it was made
        return;
      }
    }
  }

  private postMemo(target: NodeRef, memoPath: string | undefined, to?: vscode.Webview): void {
    const all = this.s.memos.about(target);
    const entry: MemoEntry | undefined = (memoPath && all.find((e) => e.path === memoPath)) || all[0];
    if (entry) this.synced.set(entry.path, entry.memo.body);
    this.post(
      {
        type: 'memo',
        target,
        label: targetLabel(target, this.s.project.project, this.s.index.documents()),
        memo: entry ? memoData(entry.path, entry.memo) : undefined,
        others: Math.max(0, all.length - 1),
      },
      to,
    );
  }

  private async openLink(kind: 'code' | 'coding' | 'document' | 'memo', ref: string, from?: vscode.Webview): Promise<void> {
    const project = this.s.project.project;
    switch (kind) {
      case 'code': {
        const code = project && resolveCodeLink(project, ref);
        if (!code) throw new Error(vscode.l10n.t('The memo links to a code "{0}" that does not exist.', ref));
        this.post({ type: 'select', target: { kind: 'code', id: code.id } }, from);
        await this.reveal({ kind: 'code', id: code.id });
        return;
      }
      case 'memo': {
        const entry = this.s.memos.list().find((e) => e.memo.id === ref || e.memo.id.startsWith(ref) || e.path === ref);
        if (!entry) throw new Error(vscode.l10n.t('The memo links to a memo "{0}" that does not exist.', ref));
        this.post({ type: 'select', target: entry.memo.target, memoPath: entry.path }, from);
        return;
      }
      default:
        await this.reveal(kind === 'coding' ? { kind, id: ref } : { kind, path: ref });
    }
  }

  /** Shows a node in the workbench: a code in the Codes view, a transcript, a coding in its transcript. */
  async reveal(target: NodeRef): Promise<void> {
    switch (target.kind) {
      case 'project':
        return;
      case 'code': {
        await this.s.codesView.reveal(target.id, { focus: true, expand: true });
        return;
      }
      case 'relation': {
        // Until the theory map shows relations, a relation is shown by its first code in the Codes view.
        const relation = this.s.session.session.project?.relations?.find((r) => r.id === target.id);
        if (!relation) throw new Error(vscode.l10n.t('The memo is about a relation ({0}) that grounded.json no longer has.', target.id));
        await this.s.codesView.reveal(relation.source, { focus: true, expand: true });
        return;
      }
      case 'document': {
        const uri = this.s.project.fs.uri(target.path);
        await vscode.workspace.fs.stat(uri).then(undefined, () => {
          throw new Error(vscode.l10n.t('The memo links to a document "{0}" that does not exist.', target.path));
        });
        await vscode.window.showTextDocument(uri, { preview: false });
        return;
      }
      case 'coding': {
        await this.s.index.ready;
        for (const doc of this.s.index.documents()) {
          const coding = doc.codings.find((c) => c.id === target.id);
          if (!coding) continue;
          const document = await vscode.workspace.openTextDocument(this.s.project.fs.uri(doc.path));
          const lines = new LineIndex(document.getText().replace(/\r\n?/g, '\n'));
          const selection = new vscode.Selection(lines.positionAt(coding.anchor.start), lines.positionAt(coding.anchor.end));
          await vscode.window.showTextDocument(document, { selection, preview: false });
          return;
        }
        throw new Error(vscode.l10n.t('The memo links to a coding ({0}) that no transcript has.', target.id));
      }
    }
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}

function memoData(path: string, m: { id: string; target: MemoTarget; author: string; created: string; modified: string; body: string }): MemoData {
  return { path, id: m.id, target: m.target, author: m.author, created: m.created, modified: m.modified, body: m.body };
}

async function ask(title: string, prompt: string, value?: string): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    value,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A name is needed.')),
  });
}

