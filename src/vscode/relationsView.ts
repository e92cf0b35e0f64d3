// The Relations view (theoretical coding): every relation between codes and categories as
// "source — type → target" with its label and the number of evidence codings that count, and below each
// relation its evidence (a click opens the segment in its transcript, as in the Segments view). Rows,
// names and counts come from the one analysis (core/analysis.ts relationRows); the view only draws them.
import * as vscode from 'vscode';
import type { RelationRow } from '../core/analysis';
import { relationRows } from '../core/analysis';
import type { Coding, RelationType } from '../core/model';
import { escapeMarkdown, shortenQuote } from '../core/segmentList';
import { Disposable } from './disposable';
import type { EditorSession } from './session';
import { shownTree } from './shownTree';
import type { ShownItem } from './shownTree';

export type RelationsElement =
  | { kind: 'relation'; relationId: string; row: RelationRow }
  | { kind: 'evidence'; relationId: string; codingId: string; path: string; coding: Coding };

/** How a relation reads in one line: "source — type → target" (one-way) or "source — type — target" (symmetric). */
export function relationText(source: string, type: Pick<RelationType, 'name' | 'direction'>, target: string): string {
  return `${source} — ${type.name} ${type.direction === 'symmetric' ? '—' : '→'} ${target}`;
}

/** How a row of the analysis reads (relationText). */
export function relationTitle(row: RelationRow): string {
  return relationText(row.source.code.name, row.type, row.target.code.name);
}

export class RelationsView extends Disposable implements vscode.TreeDataProvider<RelationsElement> {
  private readonly treeChanged = this.own(new vscode.EventEmitter<RelationsElement | undefined>());
  readonly onDidChangeTreeData = this.treeChanged.event;
  readonly view: vscode.TreeView<RelationsElement>;
  private rows: RelationRow[] | undefined;

  constructor(private readonly session: EditorSession) {
    super();
    this.view = this.own(vscode.window.createTreeView('grounded.relations', { treeDataProvider: this, showCollapseAll: true }));
    this.own(session.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.rows = undefined;
    this.treeChanged.fire(undefined);
  }

  /** The relations as the one analysis has them (computed when the view asks: a hidden view does no work). */
  current(): RelationRow[] {
    if (!this.rows) {
      const analysis = this.session.analysis();
      this.rows = analysis ? relationRows(analysis) : [];
      this.view.description = this.rows.length ? String(this.rows.length) : undefined;
    }
    return this.rows;
  }

  getChildren(element?: RelationsElement): RelationsElement[] {
    if (!element) return this.current().map((row) => ({ kind: 'relation', relationId: row.relation.id, row }));
    if (element.kind === 'relation') {
      return element.row.evidence.map(({ coding, path }) => ({ kind: 'evidence', relationId: element.relationId, codingId: coding.id, path, coding }));
    }
    return [];
  }

  /** Shows a relation in the view, selected and opened on its evidence. False when there is no such relation. */
  async reveal(relationId: string): Promise<boolean> {
    const element = this.getChildren().find((r) => r.relationId === relationId);
    if (!element) return false;
    await this.view.reveal(element, { select: true, focus: true, expand: true });
    return true;
  }

  getParent(element: RelationsElement): RelationsElement | undefined {
    if (element.kind === 'relation') return undefined;
    return this.getChildren().find((r) => r.relationId === element.relationId);
  }

  getTreeItem(element: RelationsElement): vscode.TreeItem {
    if (element.kind === 'relation') {
      const { row } = element;
      const n = row.evidence.length;
      const item = new vscode.TreeItem(relationTitle(row), n ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `relation:${row.relation.id}`;
      const evidence = n === 1 ? vscode.l10n.t('1 evidence') : vscode.l10n.t('{0} evidence', n);
      item.description = [row.relation.label, evidence].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon(row.type.direction === 'symmetric' ? 'arrow-both' : 'arrow-right');
      item.contextValue = 'grounded.relation';
      const tip = new vscode.MarkdownString();
      tip.appendMarkdown(`**${escapeMarkdown(relationTitle(row))}**\n\n`);
      if (row.relation.label) tip.appendMarkdown(`${escapeMarkdown(row.relation.label)}\n\n`);
      tip.appendMarkdown(
        escapeMarkdown(
          row.type.direction === 'symmetric'
            ? vscode.l10n.t('Type: {0} (symmetric{1})', row.type.name, row.type.transitive ? vscode.l10n.t(', transitive') : '')
            : vscode.l10n.t('Type: {0} (one-way{1})', row.type.name, row.type.transitive ? vscode.l10n.t(', transitive') : ''),
        ) + '  \n',
      );
      tip.appendMarkdown(escapeMarkdown(vscode.l10n.t('By {0} on {1}; {2}', row.relation.author, row.relation.created.slice(0, 10), evidence)));
      item.tooltip = tip;
      return item;
    }
    const { coding } = element;
    const item = new vscode.TreeItem(`“${shortenQuote(coding.anchor.quote, 80)}”`, vscode.TreeItemCollapsibleState.None);
    item.id = `evidence:${element.relationId}:${coding.id}`;
    item.description = element.path;
    item.iconPath = new vscode.ThemeIcon('quote');
    item.contextValue = 'grounded.relationEvidence';
    item.tooltip = `${coding.anchor.quote}\n\n${element.path} · ${coding.coder} · ${coding.created.slice(0, 10)}`;
    item.command = { command: 'grounded.openCoding', title: vscode.l10n.t('Open Coding'), arguments: [{ path: element.path, codingId: coding.id }] };
    return item;
  }

  /** What the view shows: its items with their evidence (for tests). */
  shown(): ShownItem[] {
    return shownTree(this);
  }
}
