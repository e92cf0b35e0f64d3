// Coded ranges drawn over transcripts: one decoration type per code colour, created once and reused,
// refreshed (debounced) when codings, the codebook or the visible editors change.
import * as vscode from 'vscode';
import { lineIndexOf } from './convert';
import { Disposable } from './disposable';
import type { CodingService } from './codings';
import type { ProjectService } from './project';

/** What was last drawn in an editor, kept so tests (and the status bar later) can read it. */
export interface AppliedDecoration {
  codeId: string;
  start: number;
  end: number;
}

export class CodingDecorations extends Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private readonly applied = new Map<string, AppliedDecoration[]>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly codings: CodingService,
    private readonly project: ProjectService,
  ) {
    super();
    this.own(vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()));
    this.own(codings.onDidChange((uri) => this.schedule(uri)));
    this.own(project.onDidChange(() => this.refreshAll()));
  }

  appliedTo(uri: vscode.Uri): AppliedDecoration[] {
    return this.applied.get(uri.toString()) ?? [];
  }

  refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.refresh(editor);
  }

  private schedule(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.pending.has(key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        for (const editor of vscode.window.visibleTextEditors) {
          if (editor.document.uri.toString() === key) this.refresh(editor);
        }
      }, 15),
    );
  }

  refresh(editor: vscode.TextEditor): void {
    const codings = this.codings.peek(editor.document.uri);
    if (!codings) {
      const uri = editor.document.uri;
      if (this.codings.isTranscript(uri) && !this.codings.hasFailed(uri)) {
        this.codings.load(editor.document).catch(() => undefined); // reported through onDidFailToLoad
      }
      return;
    }
    const index = lineIndexOf(editor.document);
    const byColour = new Map<string, vscode.Range[]>();
    const applied: AppliedDecoration[] = [];
    for (const coding of codings) {
      if (coding.orphaned) continue;
      const code = this.project.codeById(coding.codeId);
      const colour = code?.color ?? '#888888';
      const list = byColour.get(colour) ?? [];
      list.push(index.range(coding.anchor.start, coding.anchor.end));
      byColour.set(colour, list);
      applied.push({ codeId: coding.codeId, start: coding.anchor.start, end: coding.anchor.end });
    }
    for (const [colour, type] of this.types) {
      if (!byColour.has(colour)) editor.setDecorations(type, []);
    }
    for (const [colour, ranges] of byColour) editor.setDecorations(this.typeFor(colour), ranges);
    this.applied.set(editor.document.uri.toString(), applied);
  }

  private typeFor(colour: string): vscode.TextEditorDecorationType {
    let type = this.types.get(colour);
    if (!type) {
      type = vscode.window.createTextEditorDecorationType({
        backgroundColor: `${colour}38`,
        borderColor: `${colour}cc`,
        borderStyle: 'none none solid none',
        borderWidth: '2px',
        overviewRulerColor: `${colour}cc`,
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
      this.types.set(colour, this.own(type));
    }
    return type;
  }
}
