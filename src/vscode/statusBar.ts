// The status bar shows the codes at the cursor in a transcript; a click lists those codings with
// what can be done with them.
import * as vscode from 'vscode';
import { codingsAt } from '../core/query';
import type { CodingService } from './codings';
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
    this.item.name = 'Grounded: Codes at Cursor';
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
    const names = [...new Set(here.map((c) => this.project.codeById(c.codeId)?.name ?? 'Unknown code'))];
    this.item.text = `$(tag) ${names.join(', ')}`;
    this.item.tooltip = `Codes at the cursor: ${names.join(', ')}. Click for actions.`;
    this.item.show();
    this.shown = true;
  }

  private hide(): void {
    this.item.hide();
    this.shown = false;
  }
}
