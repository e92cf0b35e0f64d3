// The Segments view (constant comparison): every coded segment of one code across all transcripts,
// grouped by document with the case's pseudonym, and the same list as a readable page
// (a `grounded-segments:` Markdown document shown in the Markdown preview). "Filter by Set…" limits it to
// a set's documents or codes (personal state; the one analysis within the set, core/analysis.ts withinSet).
import * as vscode from 'vscode';
import type { Code, Coding } from '../core/model';
import { codePath } from '../core/project';
import type { ListedSegment, SegmentList } from '../core/segmentList';
import { describeCounts, escapeMarkdown, listSegments, renderSegmentsPage, shortenQuote } from '../core/segmentList';
import { Disposable } from './disposable';
import { shownItem } from './shownTree';
import type { ShownItem } from './shownTree';
import type { ProjectService } from './project';
import { transcriptText } from './texts';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { EditorSession } from './session';
import type { PersonalState } from './personalState';

export const SEGMENTS_SCHEME = 'grounded-segments';

export type SegmentsElement =
  | { kind: 'document'; path: string; pseudonym?: string; segments: ListedSegment[] }
  | { kind: 'segment'; path: string; codingId: string; coding: Coding; code: Code };

export type { ShownItem } from './shownTree';

const date = (iso: string) => iso.slice(0, 10);

export class SegmentsView extends Disposable implements vscode.TreeDataProvider<SegmentsElement>, vscode.TextDocumentContentProvider {
  private codeId: string | undefined;
  private list: SegmentList | undefined;
  private readonly treeChanged = this.own(new vscode.EventEmitter<SegmentsElement | undefined>());
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly pageChanged = this.own(new vscode.EventEmitter<vscode.Uri>());
  /** TextDocumentContentProvider: a page's content changed. */
  readonly onDidChange = this.pageChanged.event;
  readonly view: vscode.TreeView<SegmentsElement>;

  constructor(
    private readonly project: ProjectService,
    private readonly session: EditorSession,
    private readonly fs: WorkspaceFileSystem,
    private readonly personal: PersonalState,
  ) {
    super();
    this.view = this.own(vscode.window.createTreeView('grounded.segments', { treeDataProvider: this, showCollapseAll: true }));
    this.own(personal.onDidChange((key) => key === 'segmentsSet' && this.refresh()));
    this.own(vscode.workspace.registerTextDocumentContentProvider(SEGMENTS_SCHEME, this));
    this.own(session.onDidChange(() => this.refresh()));
    this.refresh();
  }

  /** The list is computed when the view asks for its rows: a hidden view does no work. */
  private stale = true;

  /** Whether quotes show their translation (where one exists) or the original words. */
  private originals = false;

  get showsOriginals(): boolean {
    return this.originals;
  }

  /** Shows the original words of translated quotes, or their translations again. */
  setShowOriginals(on: boolean): void {
    this.originals = on;
    void vscode.commands.executeCommand('setContext', 'grounded.segments.showOriginals', on);
    this.refresh();
  }

  /** The code whose segments are shown, if any. */
  get shownCodeId(): string | undefined {
    return this.codeId;
  }

  /** Shows the segments of a code and (unless told not to) brings the view into sight. */
  async show(codeId: string, bringIntoSight = true): Promise<void> {
    if (!this.project.codeById(codeId)) throw new Error(vscode.l10n.t('No code with the id {0} in the codebook.', codeId));
    this.codeId = codeId;
    this.refresh();
    if (bringIntoSight && !this.view.visible) await vscode.commands.executeCommand('grounded.segments.focus');
  }

  refresh(): void {
    this.stale = true;
    this.treeChanged.fire(undefined);
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === SEGMENTS_SCHEME) this.pageChanged.fire(doc.uri);
  }

  /** The set the view is limited to (personal state), if it still exists. */
  get filterSet(): { id: string; name: string } | undefined {
    const id = this.personal.get('segmentsSet');
    const set = id ? this.project.project?.sets?.find((k) => k.id === id) : undefined;
    return set && { id: set.id, name: set.name };
  }

  /** The one analysis, within the filter's set when there is one. */
  private analysis() {
    return this.session.session.analysisWithin(this.filterSet?.id);
  }

  /** The segments of the shown code from the one analysis, with the view's description and message. */
  private current(): SegmentList | undefined {
    if (!this.stale) return this.list;
    this.stale = false;
    const set = this.filterSet;
    const analysis = this.analysis();
    const project = analysis?.project;
    const code = this.codeId ? project?.codes.find((c) => c.id === this.codeId) : undefined;
    if (!analysis || !project || !code) {
      this.list = undefined;
      this.view.description = undefined;
      this.view.message = this.codeId
        ? vscode.l10n.t('The code shown here no longer exists. Pick another one in the Codes view.')
        : vscode.l10n.t('Select a code in the Codes view, or run "Grounded: Show Segments of Code…", to compare its segments across transcripts.');
    } else {
      this.list = listSegments(analysis, code.id);
      this.view.description = codePath(project, code.id).join(' › ') + (set ? ` · ${vscode.l10n.t('set: {0}', set.name)}` : '');
      const subcodes = this.list.subcodes.length;
      this.view.message =
        `${describeCounts(this.list)}${subcodes ? ` (a category: including the codings of its ${subcodes} subcode${subcodes > 1 ? 's' : ''})` : ''}` +
        (set ? ` ${vscode.l10n.t('Only the set "{0}" is shown ("Filter Segments by Set…" to show all).', set.name)}` : '');
    }
    return this.list;
  }

  getChildren(element?: SegmentsElement): SegmentsElement[] {
    const list = this.current();
    if (!list) return [];
    if (!element) return list.groups.map((g) => ({ kind: 'document', path: g.path, pseudonym: g.pseudonym, segments: g.segments }));
    if (element.kind === 'document') {
      return element.segments.map(({ coding, code }) => ({ kind: 'segment', path: element.path, codingId: coding.id, coding, code }));
    }
    return [];
  }

  getParent(element: SegmentsElement): SegmentsElement | undefined {
    if (element.kind === 'document') return undefined;
    return this.getChildren().find((d) => d.path === element.path);
  }

  getTreeItem(element: SegmentsElement): vscode.TreeItem {
    if (element.kind === 'document') {
      const item = new vscode.TreeItem(element.path, vscode.TreeItemCollapsibleState.Expanded);
      const live = element.segments.filter((s) => !s.coding.orphaned).length;
      const orphaned = element.segments.length - live;
      item.id = `document:${element.path}`;
      item.description = [element.pseudonym, `${live} segment${live === 1 ? '' : 's'}`, orphaned ? `${orphaned} orphaned` : undefined].filter(Boolean).join(' · ');
      item.resourceUri = this.fs.uri(element.path);
      item.iconPath = vscode.ThemeIcon.File;
      item.tooltip = `${element.path}${element.pseudonym ? ` (${element.pseudonym})` : ''}`;
      item.contextValue = 'grounded.segmentDocument';
      return item;
    }
    const { coding, code } = element;
    const translated = !!coding.translation && !this.originals;
    const item = new vscode.TreeItem(`“${shortenQuote(translated ? coding.translation!.text : coding.anchor.quote, 80)}”`, vscode.TreeItemCollapsibleState.None);
    item.id = `segment:${element.path}:${coding.id}`;
    const parts = [coding.coder, date(coding.created)];
    if (coding.translation) parts.unshift(translated ? vscode.l10n.t('translated ({0})', coding.translation.language) : vscode.l10n.t('original'));
    if (coding.representative) parts.unshift(`★ ${coding.representative}`);
    if (this.list && code.id !== this.list.code.id) parts.unshift(code.name);
    if (coding.note) parts.push(shortenQuote(coding.note, 60));
    item.description = parts.join(' · ');
    const tip = this.segmentTooltip(element, translated);
    if (coding.orphaned) {
      tip.appendMarkdown(`$(warning) ${escapeMarkdown(vscode.l10n.t('Orphaned: these words were not found in the current text. Re-attach or delete it in the Documents view.'))}`);
      tip.supportThemeIcons = true;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
      item.contextValue = 'grounded.segment.orphaned';
    } else {
      item.iconPath = new vscode.ThemeIcon('quote');
      item.contextValue = 'grounded.segment';
      item.command = { command: 'grounded.openCoding', title: vscode.l10n.t('Open Coding'), arguments: [{ path: element.path, codingId: coding.id }] };
    }
    item.tooltip = tip;
    return item;
  }

  /**
   * The whole segment, since the label is cut short (and again at the sidebar's edge): the full quote
   * (and its translation), then the code, the document with its case's pseudonym, the coder, the date and the note.
   */
  private segmentTooltip(element: Extract<SegmentsElement, { kind: 'segment' }>, translated: boolean): vscode.MarkdownString {
    const { coding, code } = element;
    const quote = (text: string) => `> ${escapeMarkdown(text).replace(/\n/g, '  \n> ')}\n\n`;
    const md = (text: string) => escapeMarkdown(text);
    const tip = new vscode.MarkdownString();
    if (translated) {
      const t = coding.translation!;
      tip.appendMarkdown(quote(t.text));
      tip.appendMarkdown(`${md(vscode.l10n.t('Translated into {0} by {1}. Original:', t.language, t.translator))}\n\n`);
    }
    tip.appendMarkdown(quote(coding.anchor.quote));
    if (coding.translation && !translated) {
      const t = coding.translation;
      tip.appendMarkdown(`${md(vscode.l10n.t('Translation ({0}, {1}): {2}', t.language, t.translator, t.text))}\n\n`);
    }
    if (coding.representative) {
      const of = coding.representative === 'code' ? vscode.l10n.t('★ A representative quote of its code (in the report)') : vscode.l10n.t('★ A representative quote of its category (in the report)');
      tip.appendMarkdown(`${md(of)}\n\n`);
    }
    const pseudonym = this.list?.groups.find((g) => g.path === element.path)?.pseudonym;
    const where = pseudonym
      ? vscode.l10n.t('In {0} ({1}), coded by {2} on {3}', element.path, pseudonym, coding.coder, date(coding.created))
      : vscode.l10n.t('In {0}, coded by {1} on {2}', element.path, coding.coder, date(coding.created));
    tip.appendMarkdown(`**${md(code.name)}**  \n${md(where)}\n\n`);
    if (coding.note) tip.appendMarkdown(`${md(vscode.l10n.t('Note: {0}', coding.note))}\n\n`);
    return tip;
  }

  /** What the view shows: its description, message and items (for tests). */
  shown(): { description?: string; message?: string; items: ShownItem[] } {
    const toShown = (el: SegmentsElement): ShownItem => {
      const item = this.getTreeItem(el);
      return shownItem(item, item.command?.arguments?.[0], this.getChildren(el).map(toShown));
    };
    const items = this.getChildren().map(toShown);
    return { description: this.view.description, message: this.view.message, items };
  }

  /** The uri of the page of a code's segments. */
  pageUri(codeId: string): vscode.Uri {
    const name = (this.project.codeById(codeId)?.name ?? 'Segments').replace(/[/\\?#%]/g, '-');
    return vscode.Uri.from({ scheme: SEGMENTS_SCHEME, path: `/Segments of ${name}.md`, query: codeId });
  }

  /** The Markdown page of the segments of the code named in the uri's query. */
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const analysis = this.analysis();
    const project = analysis?.project;
    const codeId = uri.query;
    if (!analysis || !project || !this.project.codeById(codeId)) return '# Segments\n\nThis code no longer exists.\n';
    const list = listSegments(analysis, codeId);
    const texts = new Map<string, string | undefined>();
    await Promise.all(list.groups.map(async (g) => texts.set(g.path, await transcriptText(this.fs, g.path))));
    return renderSegmentsPage(list, { textOf: (p) => texts.get(p), contextLines: 1, codePath: codePath(project, codeId) });
  }
}
