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
