// The Suggestions view: the AI suggestions waiting for a person's decision, grouped by transcript (the
// number waiting in each group's description). Each row is the suggested quote, with the code (marked
// "proposed" when the model named a new one) as its description and the model and its reason in the
// tooltip; a click (or Enter) opens the transcript with the words selected. Accept and Reject stand on
// the row; its context menu has them too, with Change Code… and the whole-code and whole-transcript
// decisions. With "Show Rejected" (a personal choice, personalState.ts) rejected suggestions are listed
// too, faint, with who rejected them. The rows come from core listSuggestions over the session's
// documents (the live codings of open transcripts, the sidecars of the others).
import * as vscode from 'vscode';
import type { Coding } from '../core/model';
import { escapeMarkdown, shortenQuote } from '../core/segmentList';
import { listSuggestions } from '../core/suggestions';
import type { CodingService } from './codings';
import { Disposable } from './disposable';
import type { PersonalState } from './personalState';
import type { ProjectService } from './project';
import type { EditorSession } from './session';
import { shownTree } from './shownTree';
import type { ShownItem } from './shownTree';

export const SUGGESTIONS_VIEW = 'grounded.suggestions';
export const SHOW_REJECTED_CONTEXT = 'grounded.suggestions.showRejected';
/** True while the active editor is a transcript with pending AI suggestions: the editor's context menu offers Accept and Reject. */
export const HAS_SUGGESTIONS_CONTEXT = 'grounded.transcriptHasSuggestions';

/** One suggestion where it is: its transcript and the coding that holds it. */
export interface SuggestionEntry {
  path: string;
  coding: Coding;
}

export type SuggestionsElement =
  | { kind: 'transcript'; path: string; entries: SuggestionEntry[] }
  | { kind: 'suggestion'; path: string; coding: Coding };

export class SuggestionsView extends Disposable implements vscode.TreeDataProvider<SuggestionsElement> {
  private readonly treeChanged = this.own(new vscode.EventEmitter<SuggestionsElement | undefined>());
  readonly onDidChangeTreeData = this.treeChanged.event;
  readonly view: vscode.TreeView<SuggestionsElement>;
  private entries: SuggestionEntry[] | undefined;

  constructor(
    private readonly session: EditorSession,
    private readonly codings: CodingService,
    private readonly project: ProjectService,
    private readonly personal: PersonalState,
  ) {
    super();
    this.view = this.own(vscode.window.createTreeView(SUGGESTIONS_VIEW, { treeDataProvider: this, showCollapseAll: true }));
    this.own(session.onDidChange(() => this.refresh()));
    this.own(
      personal.onDidChange((key) => {
        if (key !== 'showRejectedSuggestions') return;
        void this.setContext();
        this.refresh();
      }),
    );
    void this.setContext();
    const update = () => this.updateEditorContext();
    this.own(vscode.window.onDidChangeActiveTextEditor(update));
    this.own(codings.onDidChange(update));
    this.own(codings.onDidWrite(update));
    update();
  }

  private editorHasSuggestions = false;

  /** The context key as last set: the active transcript has pending suggestions (read by the tests). */
  get activeHasSuggestions(): boolean {
    return this.editorHasSuggestions;
  }

  /** Sets HAS_SUGGESTIONS_CONTEXT for the active editor (only when it changes). */
  private updateEditorContext(): void {
    const editor = vscode.window.activeTextEditor;
    const codings = editor ? this.codings.withSuggestions(editor.document.uri) : undefined;
    const has = !!codings?.some((c) => c.suggestion?.status === 'pending');
    if (has === this.editorHasSuggestions) return;
    this.editorHasSuggestions = has;
    void vscode.commands.executeCommand('setContext', HAS_SUGGESTIONS_CONTEXT, has);
  }

  private setContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', SHOW_REJECTED_CONTEXT, this.showRejected);
  }

  get showRejected(): boolean {
    return this.personal.get('showRejectedSuggestions');
  }

  refresh(): void {
    this.entries = undefined;
    this.treeChanged.fire(undefined);
  }

  /**
   * The suggestions listed: pending ones (rejected too while shown), by transcript, then by place; in
   * blind mode only the viewer's (an AI coder's suggestions are not theirs, so none).
   */
  current(): SuggestionEntry[] {
    if (!this.entries) {
      const docs = this.session.session.documents
        .documents()
        .filter((d) => !d.transcriptMissing && d.error === undefined)
        .map((d) => ({ path: d.path, codings: this.codings.shownOf(d.codings).filter((c) => !c.orphaned) }));
      this.entries = listSuggestions(docs, { includeRejected: this.showRejected });
      const pending = this.entries.filter((e) => e.coding.suggestion?.status === 'pending').length;
      this.view.description = pending ? String(pending) : undefined;
    }
    return this.entries;
  }

  /** The pending suggestions only (what the decisions act on). */
  pending(): SuggestionEntry[] {
    return this.current().filter((e) => e.coding.suggestion?.status === 'pending');
  }

  getChildren(element?: SuggestionsElement): SuggestionsElement[] {
    if (!element) {
      const groups = new Map<string, SuggestionEntry[]>();
      for (const e of this.current()) {
        const list = groups.get(e.path);
        if (list) list.push(e);
        else groups.set(e.path, [e]);
      }
      return [...groups].map(([path, entries]) => ({ kind: 'transcript', path, entries }));
    }
    if (element.kind === 'transcript') return element.entries.map((e) => ({ kind: 'suggestion', path: e.path, coding: e.coding }));
    return [];
  }

  getParent(element: SuggestionsElement): SuggestionsElement | undefined {
    if (element.kind === 'transcript') return undefined;
    return this.getChildren().find((t) => t.path === element.path);
  }

  /** The name a suggestion's code goes by: the code's name, or the model's name for a proposed new code. */
  codeName(coding: Coding): string {
    return this.project.codeById(coding.codeId)?.name ?? coding.suggestion?.code ?? coding.codeId;
  }

  /** The code as a row shows it: its name, and "(proposed)" for a new code the model named. */
  codeLabel(coding: Coding): string {
    const name = this.codeName(coding);
    return coding.suggestion?.proposed && !this.project.codeById(coding.codeId) ? vscode.l10n.t('{0} (proposed)', name) : name;
  }

  getTreeItem(element: SuggestionsElement): vscode.TreeItem {
    if (element.kind === 'transcript') {
      const item = new vscode.TreeItem(element.path, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `suggestions:${element.path}`;
      const pending = element.entries.filter((e) => e.coding.suggestion?.status === 'pending').length;
      const rejected = element.entries.length - pending;
      const parts = [pending === 1 ? vscode.l10n.t('1 suggestion') : vscode.l10n.t('{0} suggestions', pending)];
      if (rejected) parts.push(rejected === 1 ? vscode.l10n.t('1 rejected') : vscode.l10n.t('{0} rejected', rejected));
      item.description = parts.join(' · ');
      item.iconPath = vscode.ThemeIcon.File;
      item.contextValue = pending ? 'grounded.suggestionTranscript' : 'grounded.suggestionTranscript.decided';
      item.tooltip = `${element.path}: ${item.description}`;
      return item;
    }
    const { coding, path } = element;
    const s = coding.suggestion!;
    const rejected = s.status === 'rejected';
    const item = new vscode.TreeItem(`“${shortenQuote(coding.anchor.quote, 80)}”`, vscode.TreeItemCollapsibleState.None);
    item.id = `suggestion:${path}:${coding.id}`;
    item.description = rejected ? vscode.l10n.t('{0} · rejected by {1}', this.codeLabel(coding), s.decidedBy ?? '?') : this.codeLabel(coding);
    item.iconPath = rejected ? new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')) : new vscode.ThemeIcon('sparkle');
    item.contextValue = rejected ? 'grounded.suggestion.rejected' : 'grounded.suggestion';
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`${escapeMarkdown(vscode.l10n.t('Suggested by AI: {0}:', s.model))} **${escapeMarkdown(this.codeLabel(coding))}**\n\n`);
    if (s.reason) tip.appendMarkdown(`*${escapeMarkdown(s.reason)}*\n\n`);
    tip.appendMarkdown(`${escapeMarkdown(`“${shortenQuote(coding.anchor.quote, 300)}”`)}\n\n`);
    tip.appendMarkdown(escapeMarkdown(vscode.l10n.t('{0} · asked for on {1} · {2}', path, s.requested.slice(0, 10), s.endpoint)));
    if (rejected) tip.appendMarkdown(`\n\n${escapeMarkdown(vscode.l10n.t('Rejected by {0} on {1}.', s.decidedBy ?? '?', (s.decided ?? '').slice(0, 10)))}`);
    item.tooltip = tip;
    item.command = { command: 'grounded.openCoding', title: vscode.l10n.t('Open Coding'), arguments: [{ path, codingId: coding.id }] };
    return item;
  }

  /** What the view shows: transcripts with their suggestions (for tests). */
  shown(): ShownItem[] {
    return shownTree(this);
  }
}
