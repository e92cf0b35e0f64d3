// The one place where VS Code positions and change events become core offsets and back.
// Core offsets are UTF-16 units in LF-normalised text. In a CRLF document every earlier line
// break counts one unit more in VS Code's offsets, but the character within a line is the same,
// so a line index over the LF text converts both ways.
import * as vscode from 'vscode';
import type { TextChange } from '../core/anchor';
import { normalizeEol } from '../core/text';

export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Built on first use: typing needs only the text, not positions. */
  private get starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  positionAt(offset: number): vscode.Position {
    const starts = this.starts;
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return new vscode.Position(lo, o - starts[lo]);
  }

  offsetAt(position: vscode.Position): number {
    const starts = this.starts;
    const line = Math.max(0, Math.min(position.line, starts.length - 1));
    const lineEnd = line + 1 < starts.length ? starts[line + 1] - 1 : this.text.length;
    return Math.min(starts[line] + position.character, lineEnd);
  }

  range(start: number, end: number): vscode.Range {
    return new vscode.Range(this.positionAt(start), this.positionAt(end));
  }
}

const indexes = new WeakMap<vscode.TextDocument, { version: number; index: LineIndex }>();

/** The LF-normalised text of a document with its line index, cached per document version. */
export function lineIndexOf(document: vscode.TextDocument): LineIndex {
  const cached = indexes.get(document);
  if (cached && cached.version === document.version) return cached.index;
  const index = new LineIndex(normalizeEol(document.getText()));
  indexes.set(document, { version: document.version, index });
  return index;
}

/** A change event's edits in LF coordinates of the text before the event. */
export function changesOf(event: vscode.TextDocumentChangeEvent): TextChange[] {
  return event.contentChanges.map((c) => {
    const breaks = c.range.end.line - c.range.start.line;
    const crlf = event.document.eol === vscode.EndOfLine.CRLF;
    return {
      offset: crlf ? c.rangeOffset - c.range.start.line : c.rangeOffset,
      length: crlf ? c.rangeLength - breaks : c.rangeLength,
      text: normalizeEol(c.text),
    };
  });
}
