// The one place where VS Code positions and change events become core offsets and back.
// Core offsets are UTF-16 units in LF-normalised text. In a CRLF document every earlier line
// break counts one unit more in VS Code's offsets, but the character within a line is the same,
// so a line index over the LF text converts both ways.
import * as vscode from 'vscode';
import type { TextChange, TextSource } from '../core/anchor';
import { lineAt, lineStartsOf } from '../core/decorationPlan';
import { normalizeEol } from '../core/text';

/** Converts LF offsets of one document version to positions and back. */
export interface Positions {
  positionAt(offset: number): vscode.Position;
  offsetAt(position: vscode.Position): number;
  range(start: number, end: number): vscode.Range;
}

export class LineIndex implements Positions {
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {}

  /** Built on first use: typing needs only the text, not positions. */
  private get starts(): number[] {
    this.lineStarts ??= lineStartsOf(this.text);
    return this.lineStarts;
  }

  positionAt(offset: number): vscode.Position {
    const starts = this.starts;
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = lineAt(starts, o);
    return new vscode.Position(line, o - starts[line]);
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

/**
 * Positions for LF offsets without copying the text: in a document whose line ends are LF (VS Code
 * normalises a document to one kind of line end), LF offsets are the document's own offsets, and
 * its positionAt/offsetAt search a line table VS Code keeps anyway. A CRLF document falls back to
 * the line index over its normalised text (cached per version).
 */
export function positionsOf(document: vscode.TextDocument): Positions {
  if (document.eol !== vscode.EndOfLine.LF) return lineIndexOf(document);
  return {
    positionAt: (offset) => document.positionAt(offset),
    offsetAt: (position) => document.offsetAt(position),
    range: (start, end) => new vscode.Range(document.positionAt(start), document.positionAt(end)),
  };
}

/**
 * The current text of a document as a TextSource for shiftCodings: in an LF document only the few
 * pieces asked for are read; a CRLF document is normalised once, on the first read.
 */
export function textSourceOf(document: vscode.TextDocument): TextSource {
  if (document.eol === vscode.EndOfLine.LF) {
    return { slice: (start, end) => document.getText(new vscode.Range(document.positionAt(start), document.positionAt(end))) };
  }
  let text: string | undefined;
  return { slice: (start, end) => (text ??= lineIndexOf(document).text).slice(start, end) };
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
