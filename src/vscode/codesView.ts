// The Codes view: the codebook as a tree of categories and codes, each with its colour and its numbers
// (segments, documents), sorted by name or by frequency; codes move between categories by drag and drop.
// A code in sets (core/sets.ts) names them after its numbers and in its tooltip.
import * as vscode from 'vscode';
import type { Code } from '../core/model';
import { CodeCounts, CodeOrder, sortCodes } from '../core/codebook';
import { childrenOf } from '../core/project';
import { setsOfCode } from '../core/sets';
import type { CodebookService, UndoableEdit } from './codebook';
import { Disposable } from './disposable';
import { showError } from './errors';
import type { ProjectService } from './project';
import type { EditorSession } from './session';

export const CODES_VIEW = 'grounded.codes';
const MIME = 'application/vnd.code.tree.grounded.codes';
const ORDER_KEY = 'grounded.codes.order';

/** What a row of the view shows, in plain data (read by the end-to-end tests). */
export interface CodeRow {
  id: string;
  label: string;
  description: string;
  children: CodeRow[];
}

export class CodesView extends Disposable implements vscode.TreeDataProvider<Code>, vscode.TreeDragAndDropController<Code> {
  readonly dragMimeTypes = [MIME];
  readonly dropMimeTypes = [MIME];
  private readonly changed = this.own(new vscode.EventEmitter<Code | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Code>;
  private readonly icons = new Map<string, vscode.Uri>();
  private readonly writing = new Set<string>();

  constructor(
    private readonly project: ProjectService,
    private readonly session: EditorSession,
    private readonly codebook: CodebookService,
    private readonly state: vscode.Memento,
    private readonly iconDir: vscode.Uri,
    private readonly showUndo: (edit: UndoableEdit | undefined) => void,
  ) {
    super();
    this.view = this.own(
      vscode.window.createTreeView(CODES_VIEW, { treeDataProvider: this, dragAndDropController: this, showCollapseAll: true, canSelectMany: true }),
    );
    this.own(session.onDidChange(() => this.refresh()));
    this.own(
      this.view.onDidChangeSelection((e) => {
        const code = e.selection[0];
        if (code && e.selection.length === 1) {
          void vscode.commands.executeCommand('grounded.showSegments', { codeId: code.id, preserveFocus: true }).then(undefined, () => undefined);
        }
      }),
    );
    void this.setOrderContext();
    this.refresh();
  }

  get order(): CodeOrder {
    return this.state.get<CodeOrder>(ORDER_KEY) ?? 'name';
  }

  async setOrder(order: CodeOrder): Promise<void> {
    await this.state.update(ORDER_KEY, order);
    await this.setOrderContext();
    this.refresh();
  }

  private setOrderContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'grounded.codesOrder', this.order);
  }

  /** Redraws the tree; the numbers are read from the one analysis as the rows are drawn. */
  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The numbers of every code, from the session's analysis (computed once per change). */
  private get counts(): ReadonlyMap<string, CodeCounts> {
    return this.session.analysis()?.counts ?? new Map<string, CodeCounts>();
  }

  /**
   * Shows a code in the view, selected. Tried again a moment later when the view was being redrawn (a
   * change of grounded.json or of a sidecar arriving just then makes the workbench refuse the reveal).
   */
  async reveal(id: string, options: { focus: boolean; expand?: boolean }): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const code = this.project.codeById(id);
      if (!code) throw new Error(vscode.l10n.t('There is no code with the id {0}.', id));
      try {
        await this.view.reveal(code, { select: true, ...options });
        return;
      } catch (err) {
        if (attempt >= 4) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  getChildren(parent?: Code): Code[] {
    if (!parent) {
      const analysis = this.session.analysis();
      const description = analysis ? vscode.l10n.t('{0} codes · {1} codings', analysis.project.codes.length, analysis.total) : undefined;
      if (this.view.description !== description) this.view.description = description;
    }
    const project = this.project.project;
    if (!project) return [];
    return sortCodes(childrenOf(project, parent?.id), this.order, this.counts);
  }

  getParent(code: Code): Code | undefined {
    return code.parent ? this.project.codeById(code.parent) : undefined;
  }

  getTreeItem(code: Code): vscode.TreeItem {
    const project = this.project.project;
    const hasChildren = !!project && childrenOf(project, code.id).length > 0;
    const item = new vscode.TreeItem(code.name, hasChildren ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = code.id;
    const sets = project ? setsOfCode(project, code.id).map((k) => k.name) : [];
    item.description = [this.describe(code, hasChildren), ...(sets.length ? [vscode.l10n.t('in {0}', sets.join(', '))] : [])].filter(Boolean).join(' · ');
    item.iconPath = this.icon(code.color);
    item.contextValue = hasChildren ? 'category' : 'code';
    item.tooltip = this.tooltip(code, hasChildren);
    // A click (or Enter) shows the code's segments, also when the row is already selected.
    item.command = { command: 'grounded.showSegments', title: vscode.l10n.t('Show Segments'), arguments: [{ codeId: code.id, preserveFocus: true }] };
    const label = hasChildren ? vscode.l10n.t('Category {0}, {1}', code.name, item.description) : vscode.l10n.t('Code {0}, {1}', code.name, item.description);
    item.accessibilityInformation = { label };
    return item;
  }

  /** "12 · 4 docs": segments and documents; for a category, the totals below it. */
  private describe(code: Code, category: boolean): string {
    const c = this.counts.get(code.id);
    if (!c) return '';
    const segments = category ? c.totalSegments : c.segments;
    const documents = category ? c.totalDocuments : c.documents;
    return documents === 1 ? vscode.l10n.t('{0} · 1 doc', segments) : vscode.l10n.t('{0} · {1} docs', segments, documents);
  }

  private tooltip(code: Code, category: boolean): vscode.MarkdownString {
    const c = this.counts.get(code.id);
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`${category ? vscode.l10n.t('**{0}** (category)', escape(code.name)) : `**${escape(code.name)}**`}\n\n`);
    if (code.description) md.appendMarkdown(`${escape(code.description)}\n\n`);
    if (c) {
      md.appendMarkdown(
        category
          ? vscode.l10n.t('{0} segment(s) in {1} document(s); with its subcodes {2} in {3}', c.segments, c.documents, c.totalSegments, c.totalDocuments)
          : vscode.l10n.t('{0} segment(s) in {1} document(s)', c.segments, c.documents),
      );
      if (c.coders.length) md.appendMarkdown(`\n\n${vscode.l10n.t('Coders: {0}', c.coders.map(escape).join(', '))}`);
    }
    const project = this.project.project;
    const sets = project ? setsOfCode(project, code.id) : [];
    if (sets.length) md.appendMarkdown(`\n\n${vscode.l10n.t('Sets: {0}', sets.map((k) => escape(k.name)).join(', '))}`);
    return md;
  }

  /**
   * A filled circle in the code's colour: a small SVG written once per colour. Until the file is
   * written the row shows a plain circle, so the workbench never caches a missing image.
   */
  private icon(color: string): vscode.Uri | vscode.ThemeIcon {
    const key = color.toLowerCase();
    const uri = this.icons.get(key);
    if (uri) return uri;
    if (!this.writing.has(key)) {
      this.writing.add(key);
      const target = vscode.Uri.joinPath(this.iconDir, `code-${key.slice(1)}.svg`);
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="5" fill="${key}" stroke="${key}" stroke-opacity=".5" stroke-width="1.5"/></svg>\n`;
      void vscode.workspace.fs.createDirectory(this.iconDir).then(
        () => vscode.workspace.fs.writeFile(target, new TextEncoder().encode(svg)).then(() => {
          this.icons.set(key, target);
          this.changed.fire(undefined);
        }),
        () => undefined,
      );
    }
    return new vscode.ThemeIcon('circle-large-filled');
  }

  /** The rows as the user sees them (labels and descriptions), for the end-to-end tests. */
  rows(parent?: Code): CodeRow[] {
    return this.getChildren(parent).map((code) => {
      const item = this.getTreeItem(code);
      return { id: code.id, label: code.name, description: String(item.description ?? ''), children: this.rows(code) };
    });
  }

  handleDrag(source: readonly Code[], data: vscode.DataTransfer): void {
    data.set(MIME, new vscode.DataTransferItem(source.map((c) => c.id)));
  }

  /** Dropping codes on a code puts them under it (it becomes a category); on empty space, at the top level. */
  async handleDrop(target: Code | undefined, data: vscode.DataTransfer): Promise<void> {
    const item = data.get(MIME);
    if (!item) return;
    const raw: unknown = typeof item.value === 'string' ? JSON.parse(item.value) : item.value;
    const ids = Array.isArray(raw) ? raw.filter((v): v is string => typeof v === 'string') : [];
    for (const id of ids) {
      const code = this.project.codeById(id);
      if (!code || id === target?.id || code.parent === target?.id) continue;
      try {
        this.showUndo(await this.codebook.move(id, target?.id));
      } catch (err) {
        void showError(err);
      }
    }
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
