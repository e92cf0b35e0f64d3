// The Documents view: every transcript with its coding progress (share of the text coded, number of
// codings, the case's pseudonym), its orphaned codings below it to re-attach or delete, and sidecars
// that do not parse shown as errors (their files are never written). Below the transcripts, a "Sets"
// node lists the sets (core/sets.ts), each with its transcripts.
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
import { setsByName, setsOfDocument } from '../core/sets';
import { describeSet } from './setCommands';

export type DocumentsElement =
  | { kind: 'document'; path: string }
  | { kind: 'orphan'; path: string; codingId: string }
  | { kind: 'sets' }
  | { kind: 'set'; setId: string }
  | { kind: 'setDocument'; setId: string; path: string };

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
      const rows: DocumentsElement[] = infos.map((i) => ({ kind: 'document', path: i.path }));
      if (this.project.project?.sets?.length) rows.push({ kind: 'sets' });
      return rows;
    }
    if (element.kind === 'document') {
      return (this.infos.get(element.path)?.orphans ?? []).map((c) => ({ kind: 'orphan', path: element.path, codingId: c.id }));
    }
    const project = this.project.project;
    if (element.kind === 'sets') return project ? setsByName(project).map((k) => ({ kind: 'set', setId: k.id })) : [];
    if (element.kind === 'set') {
      const set = project?.sets?.find((k) => k.id === element.setId);
      return (set?.documents ?? []).map((path) => ({ kind: 'setDocument', setId: element.setId, path }));
    }
    return [];
  }

  getParent(element: DocumentsElement): DocumentsElement | undefined {
    if (element.kind === 'orphan') return { kind: 'document', path: element.path };
    if (element.kind === 'set') return { kind: 'sets' };
    if (element.kind === 'setDocument') return { kind: 'set', setId: element.setId };
    return undefined;
  }

  getTreeItem(element: DocumentsElement): vscode.TreeItem {
    if (element.kind === 'sets' || element.kind === 'set' || element.kind === 'setDocument') return this.setItem(element);
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

  /** The "Sets" node, a set (its numbers and description) and a transcript in a set. */
  private setItem(element: Extract<DocumentsElement, { kind: 'sets' | 'set' | 'setDocument' }>): vscode.TreeItem {
    const project = this.project.project;
    if (element.kind === 'sets') {
      const item = new vscode.TreeItem(vscode.l10n.t('Sets'), vscode.TreeItemCollapsibleState.Expanded);
      item.id = 'sets';
      item.description = String(project?.sets?.length ?? 0);
      item.iconPath = new vscode.ThemeIcon('layers');
      item.contextValue = 'grounded.sets';
      item.tooltip = vscode.l10n.t('Groups of transcripts and codes. Filter the Segments view and the matrices by one.');
      return item;
    }
    const set = project?.sets?.find((k) => k.id === element.setId);
    if (element.kind === 'set') {
      const item = new vscode.TreeItem(set?.name ?? element.setId, set?.documents.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
      item.id = `set:${element.setId}`;
      item.description = set ? describeSet(set) : '';
      item.iconPath = new vscode.ThemeIcon('folder-library');
      item.contextValue = 'grounded.set';
      const codes = set?.codes.map((id) => this.project.codeById(id)?.name).filter((n): n is string => !!n) ?? [];
      item.tooltip = [set?.name, set?.description, codes.length ? vscode.l10n.t('Codes: {0}', codes.join(', ')) : undefined].filter(Boolean).join('\n');
      return item;
    }
    const item = new vscode.TreeItem(element.path, vscode.TreeItemCollapsibleState.None);
    item.id = `set:${element.setId}:${element.path}`;
    const uri = this.fs.uri(element.path);
    item.resourceUri = uri;
    item.contextValue = 'grounded.setDocument';
    const exists = this.infos.has(element.path);
    item.iconPath = exists ? vscode.ThemeIcon.File : new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    if (!exists) item.description = vscode.l10n.t('transcript not found');
    else item.command = { command: 'vscode.open', title: vscode.l10n.t('Open Transcript'), arguments: [uri] };
    return item;
  }

  /** A transcript's tooltip: its path, pseudonym, numbers, sets and its speakers with their turns. */
  async resolveTreeItem(item: vscode.TreeItem, element: DocumentsElement): Promise<vscode.TreeItem> {
    if (element.kind !== 'document' || item.tooltip !== undefined) return item;
    const info = this.infos.get(element.path);
    const text = await transcriptText(this.fs, element.path);
    const speakers = text === undefined ? [] : speakersOf(text);
    const lines = [`${element.path}${info?.pseudonym ? ` (${info.pseudonym})` : ''}`, String(item.description ?? '')];
    const turns = (sp: { speaker: string; turns: number }) =>
      sp.turns === 1 ? vscode.l10n.t('{0} (1 turn)', sp.speaker) : vscode.l10n.t('{0} ({1} turns)', sp.speaker, sp.turns);
    if (speakers.length) lines.push(vscode.l10n.t('Speakers: {0}', speakers.map(turns).join(', ')));
    const sets = this.project.project ? setsOfDocument(this.project.project, element.path) : [];
    if (sets.length) lines.push(vscode.l10n.t('Sets: {0}', sets.map((k) => k.name).join(', ')));
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
