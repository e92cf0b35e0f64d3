// The Cases view: every case (participant) by pseudonym with its attributes summarised, and below it
// its attributes and its transcripts (a click opens one). The title shows the speakers left out of the
// analysis (settings.excludedSpeakers).
import * as vscode from 'vscode';
import { attributeSummary } from '../core/cases';
import type { Case } from '../core/model';
import { excludedSpeakers } from '../core/speakers';
import { Disposable } from './disposable';
import type { ProjectService } from './project';
import { shownItem } from './shownTree';
import type { ShownItem } from './shownTree';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';
import type { EditorSession } from './session';

export type CasesElement =
  | { kind: 'case'; caseId: string }
  | { kind: 'attribute'; caseId: string; name: string }
  | { kind: 'document'; caseId: string; path: string };

export class CasesView extends Disposable implements vscode.TreeDataProvider<CasesElement> {
  private readonly treeChanged = this.own(new vscode.EventEmitter<CasesElement | undefined>());
  readonly onDidChangeTreeData = this.treeChanged.event;
  readonly view: vscode.TreeView<CasesElement>;

  constructor(
    private readonly project: ProjectService,
    private readonly index: WorkspaceIndex,
    private readonly fs: WorkspaceFileSystem,
    session: EditorSession,
  ) {
    super();
    this.view = this.own(vscode.window.createTreeView('grounded.cases', { treeDataProvider: this, showCollapseAll: true }));
    this.own(session.onDidChange(() => this.refresh()));
    this.refresh();
  }

  refresh(): void {
    const p = this.project.project;
    const excluded = p ? excludedSpeakers(p) : [];
    this.view.description = excluded.length ? vscode.l10n.t('without {0}', excluded.join(', ')) : undefined;
    this.treeChanged.fire(undefined);
  }

  private caseById(id: string): Case | undefined {
    return this.project.project?.cases.find((c) => c.id === id);
  }

  getChildren(element?: CasesElement): CasesElement[] {
    if (!element) {
      return [...(this.project.project?.cases ?? [])]
        .sort((a, b) => a.pseudonym.localeCompare(b.pseudonym) || (a.id < b.id ? -1 : 1))
        .map((c) => ({ kind: 'case', caseId: c.id }));
    }
    if (element.kind !== 'case') return [];
    const c = this.caseById(element.caseId);
    if (!c) return [];
    return [
      ...Object.keys(c.attributes)
        .sort()
        .map((name): CasesElement => ({ kind: 'attribute', caseId: c.id, name })),
      ...c.documents.map((path): CasesElement => ({ kind: 'document', caseId: c.id, path })),
    ];
  }

  getParent(element: CasesElement): CasesElement | undefined {
    return element.kind === 'case' ? undefined : { kind: 'case', caseId: element.caseId };
  }

  getTreeItem(element: CasesElement): vscode.TreeItem {
    const c = this.caseById(element.caseId);
    if (element.kind === 'attribute') {
      const item = new vscode.TreeItem(`${element.name}: ${c?.attributes[element.name] ?? ''}`);
      item.id = `attribute:${element.caseId}:${element.name}`;
      item.iconPath = new vscode.ThemeIcon('symbol-field');
      item.contextValue = 'grounded.caseAttribute';
      return item;
    }
    if (element.kind === 'document') {
      const item = new vscode.TreeItem(element.path);
      item.id = `document:${element.caseId}:${element.path}`;
      item.resourceUri = this.fs.uri(element.path);
      item.contextValue = 'grounded.caseDocument';
      const known = this.index.transcripts.includes(element.path);
      item.iconPath = known ? vscode.ThemeIcon.File : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      if (!known) item.description = vscode.l10n.t('not a transcript in this workspace');
      item.tooltip = known
        ? vscode.l10n.t('{0}: a transcript of {1}', element.path, c?.pseudonym ?? '?')
        : vscode.l10n.t('{0} is not a transcript in this workspace (moved, deleted, or not yet added).', element.path);
      item.command = { command: 'vscode.open', title: vscode.l10n.t('Open Transcript'), arguments: [item.resourceUri] };
      return item;
    }
    const hasChildren = !!c && (c.documents.length > 0 || Object.keys(c.attributes).length > 0);
    const item = new vscode.TreeItem(c?.pseudonym ?? '?', hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `case:${element.caseId}`;
    item.iconPath = new vscode.ThemeIcon('person');
    item.contextValue = 'grounded.case';
    const summary = c ? attributeSummary(c) : '';
    item.description = summary || undefined;
    const n = c?.documents.length ?? 0;
    const transcripts =
      n === 0 ? vscode.l10n.t('no transcripts') : n === 1 ? vscode.l10n.t('1 transcript: {0}', c!.documents[0]) : vscode.l10n.t('{0} transcripts: {1}', n, c!.documents.join(', '));
    item.tooltip = [c?.pseudonym, summary, transcripts].filter(Boolean).join('\n');
    return item;
  }

  /** What the view shows (for tests): each case with its description, its attributes and transcripts below it. */
  shown(): ShownItem[] {
    const toShown = (el: CasesElement): ShownItem => shownItem(this.getTreeItem(el), el, this.getChildren(el).map(toShown));
    return this.getChildren().map(toShown);
  }
}
