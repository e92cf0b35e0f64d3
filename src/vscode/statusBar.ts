// The status bar shows, in a transcript, the codes at the cursor (a click lists those codings with
// what can be done with them) and the coder name new codings are recorded with.
import * as vscode from 'vscode';
import { codingsAt } from '../core/query';
import type { CodingService } from './codings';
import { configuredCoder, onDidChangeSettings } from './config';
import { positionsOf } from './convert';
import { Disposable } from './disposable';
import type { ProjectService } from './project';

export class CodesAtCursor extends Disposable {
  private readonly item = this.own(vscode.window.createStatusBarItem('grounded.codesAtCursor', vscode.StatusBarAlignment.Left, 50));

  constructor(
    private readonly codings: CodingService,
    private readonly project: ProjectService,
  ) {
    super();
    this.item.name = vscode.l10n.t('Grounded: Codes at Cursor');
    this.item.command = 'grounded.codingsAtCursor';
    this.own(vscode.window.onDidChangeTextEditorSelection(() => this.update()));
    this.own(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.own(codings.onDidChange(() => this.update()));
    this.own(codings.onDidWrite(() => this.update()));
    this.own(codings.onDidShift(() => this.update()));
    this.own(project.onDidChange(() => this.update()));
    this.update();
  }

  /** The text shown, or undefined when hidden (read by the end-to-end tests). */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  private shown = false;

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const all = editor ? this.codings.visible(editor.document.uri) : undefined;
    if (!editor || !all) return this.hide();
    const here = codingsAt(all, positionsOf(editor.document).offsetAt(editor.selection.active));
    if (here.length === 0) return this.hide();
    const names = [...new Set(here.map((c) => this.project.codeById(c.codeId)?.name ?? vscode.l10n.t('Unknown code')))];
    this.item.text = `$(tag) ${names.join(', ')}`;
    this.item.tooltip = vscode.l10n.t('Codes at the cursor: {0}. Click for actions.', names.join(', '));
    this.item.show();
    this.shown = true;
  }

  private hide(): void {
    this.item.hide();
    this.shown = false;
  }
}

/**
 * The coder name recorded on new codings and memos, shown while a transcript is active (where
 * coding happens); a click changes it (Set Coder Name…).
 */
export class CoderStatus extends Disposable {
  private readonly item = this.own(vscode.window.createStatusBarItem('grounded.coder', vscode.StatusBarAlignment.Left, 51));

  constructor(
    private readonly codings: CodingService,
    private readonly project: ProjectService,
  ) {
    super();
    this.item.name = vscode.l10n.t('Grounded: Coder Name');
    this.item.command = 'grounded.setCoderName';
    this.own(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this.own(project.onDidChange(() => this.update()));
    this.own(onDidChangeSettings(() => this.update()));
    this.update();
  }

  /** The text shown, or undefined when hidden (read by the end-to-end tests). */
  get text(): string | undefined {
    return this.shown ? this.item.text : undefined;
  }

  private shown = false;

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    this.shown = !!editor && this.project.exists && this.codings.isTranscript(editor.document.uri);
    if (!this.shown) return this.item.hide();
    const name = configuredCoder();
    if (name) {
      this.item.text = `$(person) ${name}`;
      this.item.tooltip = vscode.l10n.t('Grounded records new codings and memos as {0}. Click to change the name.', name);
    } else {
      this.item.text = vscode.l10n.t('$(person) No coder name');
      this.item.tooltip = vscode.l10n.t('Grounded asks for your coder name the first time you code or write a memo. Click to set it now.');
    }
    this.item.show();
  }
}
