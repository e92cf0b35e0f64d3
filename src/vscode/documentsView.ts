// The Documents view: every transcript with its coding progress (share of the text coded, number of
// codings, the case's pseudonym), its orphaned codings below it to re-attach or delete, and sidecars
// that do not parse shown as errors (their files are never written).
import * as vscode from 'vscode';
import { coverage } from '../core/codebook';
import type { FormatError } from '../core/jsonError';
import type { Coding } from '../core/model';
import { escapeMarkdown, pseudonymOf, shortenQuote } from '../core/segmentList';
import { speakersOf } from '../core/speakers';
import { Disposable } from './disposable';
import type { ProjectService } from './project';
import { shownItem } from './shownTree';
import type { ShownItem } from './shownTree';
import { transcriptLength, transcriptText } from './texts';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';
import type { EditorSession } from './session';
import { analysedDocument } from '../core/analysis';

export type DocumentsElement = { kind: 'document'; path: string } | { kind: 'orphan'; path: string; codingId: string };

interface DocumentInfo {
  path: string;
  pseudonym?: string;
  /** codings that are not orphaned */
  codings: number;
  /** share of the text coded, 0..1; undefined when the transcript cannot be read */
  coverage?: number;
  orphans: Coding[];
  error?: FormatError;
}

/** "37%", "<1%" for a little, "0%" for nothing. */
export function percent(share: number): string {
  if (share > 0 && share < 0.005) return '<1%';
  return `${Math.round(share * 100)}%`;
}

export class DocumentsView extends Disposable implements vscode.TreeDataProvider<DocumentsElement> {
  private infos = new Map<string, DocumentInfo>();
  private readonly treeChanged = this.own(new vscode.EventEmitter<DocumentsElement | undefined>());
  readonly onDidChangeTreeData = this.treeChanged.event;
  readonly view: vscode.TreeView<DocumentsElement>;

  constructor(
    private readonly project: ProjectService,
    private readonly index: WorkspaceIndex,
    private readonly session: EditorSession,
    private readonly fs: WorkspaceFileSystem,
  ) {
    super();
    this.view = this.own(vscode.window.createTreeView('grounded.documents', { treeDataProvider: this }));
    this.own(session.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.treeChanged.fire(undefined);
  }

  /** Reads the documents again from disk (the title bar's Refresh). */
  async rescan(): Promise<void> {
    await this.index.refresh();
    this.refresh();
  }

  /** The orphaned coding with this id in this transcript, as last shown. */
  orphan(path: string, codingId: string): Coding | undefined {
    return this.infos.get(path)?.orphans.find((c) => c.id === codingId);
  }

  /** Every transcript with its numbers from the one analysis (the codings that count, and the orphans shown). */
  private async collect(): Promise<DocumentInfo[]> {
    const project = this.project.project;
    const analysis = this.session.analysis();
    return Promise.all(
      this.index.documents(true).map(async (doc): Promise<DocumentInfo> => {
        const length = doc.error ? undefined : await transcriptLength(this.fs, doc.path);
        const counted = analysis ? analysedDocument(analysis, doc.path) : { codings: [], orphans: [] };
        return {
          path: doc.path,
          pseudonym: project ? pseudonymOf(project, doc.path) : undefined,
          codings: counted.codings.length,
          coverage: length === undefined ? undefined : coverage(length, counted.codings),
          orphans: [...counted.orphans],
          error: doc.error,
        };
      }),
    );
  }

  async getChildren(element?: DocumentsElement): Promise<DocumentsElement[]> {
    if (!element) {
      const infos = await this.collect();
      this.infos = new Map(infos.map((i) => [i.path, i]));
      return infos.map((i) => ({ kind: 'document', path: i.path }));
    }
    if (element.kind === 'document') {
      return (this.infos.get(element.path)?.orphans ?? []).map((c) => ({ kind: 'orphan', path: element.path, codingId: c.id }));
    }
    return [];
  }

  getParent(element: DocumentsElement): DocumentsElement | undefined {
    return element.kind === 'orphan' ? { kind: 'document', path: element.path } : undefined;
  }

  getTreeItem(element: DocumentsElement): vscode.TreeItem {
    const info = this.infos.get(element.path);
    const uri = this.fs.uri(element.path);
    if (element.kind === 'orphan') {
      const coding = info?.orphans.find((c) => c.id === element.codingId);
      const item = new vscode.TreeItem(`“${shortenQuote(coding?.anchor.quote ?? '', 60)}”`);
      item.id = `orphan:${element.path}:${element.codingId}`;
      const code = coding ? this.project.codeById(coding.codeId) : undefined;
      item.description = [code?.name ?? coding?.codeId, coding?.coder].filter(Boolean).join(' · ');
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = 'grounded.orphan';
      const tip = new vscode.MarkdownString();
      tip.appendMarkdown(`> ${escapeMarkdown(coding?.anchor.quote ?? '').replace(/\n/g, '  \n> ')}\n\n`);
      tip.appendMarkdown(
        vscode.l10n.t(
          'Orphaned: these words were not found in the current text. Select the right words in the transcript and choose **Re-attach to Selection**, or **Delete** the coding.',
        ),
      );
      item.tooltip = tip;
      // Opens the transcript (to select the words), never a guessed place in it.
      item.command = { command: 'vscode.open', title: vscode.l10n.t('Open Transcript'), arguments: [uri] };
      return item;
    }
    const orphans = info?.orphans.length ?? 0;
    const item = new vscode.TreeItem(element.path, orphans ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
    item.id = `document:${element.path}`;
    item.resourceUri = uri;
    item.contextValue = 'grounded.document';
    if (info?.error) {
      item.description = vscode.l10n.t('sidecar does not parse: {0}', info.error.reason);
      item.tooltip = `${info.error.message}\n${vscode.l10n.t('The file is left untouched until it is fixed (or restored from git).')}`;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
      const at = new vscode.Position(Math.max(0, info.error.line - 1), Math.max(0, info.error.column - 1));
      item.command = { command: 'vscode.open', title: vscode.l10n.t('Open Sidecar'), arguments: [this.index.sidecarUri(element.path), { selection: new vscode.Range(at, at) }] };
      return item;
    }
    const n = info?.codings ?? 0;
    const parts = [
      info?.coverage === undefined ? vscode.l10n.t('transcript not found') : vscode.l10n.t('{0} coded', percent(info.coverage)),
      n === 1 ? vscode.l10n.t('1 coding') : vscode.l10n.t('{0} codings', n),
      info?.pseudonym,
      orphans ? vscode.l10n.t('{0} orphaned', orphans) : undefined,
    ];
    item.description = parts.filter(Boolean).join(' · ');
    item.iconPath = orphans || info?.coverage === undefined ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : vscode.ThemeIcon.File;
    // The tooltip (with the speakers, which needs the text) is made on hover: see resolveTreeItem.
    item.command = { command: 'vscode.open', title: vscode.l10n.t('Open Transcript'), arguments: [uri] };
    return item;
  }

  /** A transcript's tooltip: its path, pseudonym, numbers and its speakers with their turns. */
  async resolveTreeItem(item: vscode.TreeItem, element: DocumentsElement): Promise<vscode.TreeItem> {
    if (element.kind !== 'document' || item.tooltip !== undefined) return item;
    const info = this.infos.get(element.path);
    const text = await transcriptText(this.fs, element.path);
    const speakers = text === undefined ? [] : speakersOf(text);
    const lines = [`${element.path}${info?.pseudonym ? ` (${info.pseudonym})` : ''}`, String(item.description ?? '')];
    const turns = (sp: { speaker: string; turns: number }) =>
      sp.turns === 1 ? vscode.l10n.t('{0} (1 turn)', sp.speaker) : vscode.l10n.t('{0} ({1} turns)', sp.speaker, sp.turns);
    if (speakers.length) lines.push(vscode.l10n.t('Speakers: {0}', speakers.map(turns).join(', ')));
    item.tooltip = lines.join('\n');
    return item;
  }

  /** What the view shows (for tests): each document with its description, and its orphans below it. */
  async shown(): Promise<ShownItem[]> {
    const toShown = async (el: DocumentsElement): Promise<ShownItem> =>
      shownItem(await this.resolveTreeItem(this.getTreeItem(el), el), el, await Promise.all((await this.getChildren(el)).map(toShown)));
    return Promise.all((await this.getChildren()).map(toShown));
  }
}
