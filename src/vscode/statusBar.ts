// The status bar shows, in a transcript, the codes at the cursor (a click lists those codings with
// what can be done with them) and the codes AI suggests there, and the coder name new codings are recorded with.
import * as vscode from 'vscode';
import type { Coding } from '../core/model';
import { codingsAt } from '../core/query';
import { suggestionsAt } from '../core/suggestions';
import type { CodingService } from './codings';
import { configuredCoder, onDidChangeSettings } from './config';
import { positionsOf } from './convert';
import { Disposable } from './disposable';
import type { ProjectService } from './project';

/**
 * One of Grounded's status bar items: created with its name and command, shown with a text and a
 * tooltip or hidden; `text` is what it shows (undefined when hidden; read by the end-to-end tests).
 */
export class StatusEntry extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private shown = false;

  constructor(id: string, priority: number, name: string, command: string, background?: vscode.ThemeColor) {
    super();
    this.item = this.own(vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Left, priority));
    this.item.name = name;
    this.item.command = command;
    if (background) this.item.backgroundColor = background;
  }

  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  protected show(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
    this.shown = true;
  }

  protected hide(): void {
    this.item.hide();
    this.shown = false;
  }
}

export class CodesAtCursor extends StatusEntry {
  constructor(
    private readonly codings: CodingService,
    private readonly project: ProjectService,
  ) {
    super('grounded.codesAtCursor', 50, vscode.l10n.t('Grounded: Codes at Cursor'), 'grounded.codingsAtCursor');
    this.own(vscode.window.onDidChangeTextEditorSelection(() => this.update()));
    this.own(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.own(codings.onDidChange(() => this.update()));
    this.own(codings.onDidWrite(() => this.update()));
    this.own(codings.onDidShift(() => this.update()));
    this.own(project.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const all = editor ? this.codings.withSuggestions(editor.document.uri) : undefined;
    if (!editor || !all) return this.hide();
    const positions = positionsOf(editor.document);
    const here = codingsAt(all, positions.offsetAt(editor.selection.active));
    // Pending AI suggestions are not codings: they are named apart, with how to decide on them, those
    // under the selection (as Accept and Reject find them; Next Suggestion selects one).
    const pending = suggestionsAt(all, positions.offsetAt(editor.selection.start), positions.offsetAt(editor.selection.end));
    if (here.length === 0 && pending.length === 0) return this.hide();
    const nameOf = (c: Coding) => this.project.codeById(c.codeId)?.name ?? (c.suggestion?.code || vscode.l10n.t('Unknown code'));
    const names = [...new Set(here.map(nameOf))];
    const suggested = [...new Set(pending.map(nameOf))];
    const text: string[] = [];
    const tooltip: string[] = [];
    if (names.length) {
      text.push(`$(tag) ${names.join(', ')}`);
      tooltip.push(vscode.l10n.t('Codes at the cursor: {0}. Click for actions.', names.join(', ')));
    }
    if (suggested.length) {
      text.push(`$(sparkle) ${suggested.join(', ')}`);
      const [accept, reject] = process.platform === 'darwin' ? ['⌘⌥Q Y', '⌘⌥Q X'] : ['Alt+Q Y', 'Alt+Q X'];
      tooltip.push(vscode.l10n.t('Suggested by AI at the cursor: {0}. Accept Suggestion ({1}) or Reject Suggestion ({2}).', suggested.join(', '), accept, reject));
    }
    this.show(text.join('  '), tooltip.join('\n'));
  }
}

/**
 * The coder name recorded on new codings and memos, shown while a transcript is active (where
 * coding happens); a click changes it (Set Coder Name…).
 */
export class CoderStatus extends StatusEntry {
  constructor(
    private readonly codings: CodingService,
    private readonly project: ProjectService,
  ) {
    super('grounded.coder', 51, vscode.l10n.t('Grounded: Coder Name'), 'grounded.setCoderName');
    this.own(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.own(project.onDidChange(() => this.update()));
    this.own(onDidChangeSettings(() => this.update()));
    this.update();
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !this.project.exists || !this.codings.isTranscript(editor.document.uri)) return this.hide();
    const name = configuredCoder();
    if (name) this.show(`$(person) ${name}`, vscode.l10n.t('Grounded records new codings and memos as {0}. Click to change the name.', name));
    else this.show(vscode.l10n.t('$(person) No coder name'), vscode.l10n.t('Grounded asks for your coder name the first time you code or write a memo. Click to set it now.'));
  }
}
