// The text of a transcript as the views read it: live (with unsaved edits) when it is open, else from disk.
import * as vscode from 'vscode';
import { normalizeEol } from '../core/text';
import { lineIndexOf } from './convert';
import type { WorkspaceFileSystem } from './workspaceFs';

/** The LF text of a transcript, or undefined when it cannot be read (deleted, unreadable). */
export async function transcriptText(fs: WorkspaceFileSystem, path: string): Promise<string | undefined> {
  const key = fs.uri(path).toString();
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  if (open) return lineIndexOf(open).text;
  try {
    const text = await fs.readText(path);
    return text === undefined ? undefined : normalizeEol(text);
  } catch {
    return undefined;
  }
}

const lengths = new Map<string, { mtime: number; size: number; length: number }>();

/**
 * The length of a transcript's LF text: the open document's, else the file's, re-read only when the
 * file's modification time or size changed (the Documents view asks on every change of any coding).
 */
export async function transcriptLength(fs: WorkspaceFileSystem, path: string): Promise<number | undefined> {
  const uri = fs.uri(path);
  const key = uri.toString();
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  if (open) return lineIndexOf(open).text.length;
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    lengths.delete(key);
    return undefined;
  }
  const cached = lengths.get(key);
  if (cached && cached.mtime === stat.mtime && cached.size === stat.size) return cached.length;
  const text = await transcriptText(fs, path);
  if (text === undefined) return undefined;
  lengths.set(key, { mtime: stat.mtime, size: stat.size, length: text.length });
  return text.length;
}
