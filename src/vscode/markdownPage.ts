// Pages Grounded generates (segments of a code, disagreements of two coders) are virtual Markdown
// documents shown in the Markdown preview.
import * as vscode from 'vscode';

/** Opens a generated Markdown document in the preview; returns the document. */
export async function showMarkdownPage(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // Without the built-in Markdown extension, the Markdown text itself is still readable.
    await vscode.window.showTextDocument(doc, { preview: true });
  }
  return doc;
}
