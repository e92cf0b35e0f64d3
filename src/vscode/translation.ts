// The editor for a quote's translation: a small Markdown document on the grounded-translation: file
// system showing the original quote above a line, with the translation (as many lines as it takes)
// below it. Saving the document (Ctrl+S, or Save Translation / Ctrl+Enter, which also closes it)
// stores the translation on the coding, undoably; the document itself is never written anywhere.
// Its address names the transcript, the coding and the language, so a tab restored after a reload
// shows the coding as it is now.
import * as vscode from 'vscode';
import type { Coding } from '../core/model';
import { failable } from './errors';

export const TRANSLATION_SCHEME = 'grounded-translation';
const SEPARATOR = '─'.repeat(40);

export interface TranslationTarget {
  /** the transcript, workspace-relative */
  path: string;
  codingId: string;
  /** BCP 47, the language translated into */
  language: string;
}

export interface TranslationHost {
  /** the coding as it is now; undefined when it is gone */
  coding(target: TranslationTarget): Coding | undefined;
  /** the transcripts' language (settings.language), for the heading of the original */
  sourceLanguage(): string | undefined;
  /** stores the translation; empty removes it */
  save(target: TranslationTarget, text: string): Promise<void>;
}

/** A language's name in the user's display language ("English", "engelsk"); the code itself if it has none. */
export function languageName(code: string): string {
  try {
    return new Intl.DisplayNames([vscode.env.language, 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code; // not a valid BCP 47 tag
  }
}

export function translationUri(target: TranslationTarget): vscode.Uri {
  const name = vscode.l10n.t('Translation into {0}', languageName(target.language)).replace(/[/\\]/g, '-');
  return vscode.Uri.from({ scheme: TRANSLATION_SCHEME, path: `/${target.codingId}/${name}.md`, query: JSON.stringify(target) });
}

function targetOf(uri: vscode.Uri): TranslationTarget {
  try {
    const t = JSON.parse(uri.query) as Partial<TranslationTarget>;
    if (typeof t.path === 'string' && typeof t.codingId === 'string' && typeof t.language === 'string') return t as TranslationTarget;
  } catch {
    // fall through
  }
  throw vscode.FileSystemError.FileNotFound(uri);
}

/** The translation written below the line; undefined when the line is gone. */
export function translationIn(text: string): string | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const at = lines.findIndex((l) => /^─{3,}\s*$/.test(l));
  return at < 0 ? undefined : lines.slice(at + 1).join('\n').trim();
}

function documentText(host: TranslationHost, target: TranslationTarget, coding: Coding): string {
  const save = process.platform === 'darwin' ? 'Cmd+Enter' : 'Ctrl+Enter';
  const source = host.sourceLanguage();
  return [
    `<!-- ${vscode.l10n.t('Write the translation into {0} below the line. {1} saves it and closes this tab; leaving it empty removes the translation.', languageName(target.language), save)} -->`,
    '',
    source ? vscode.l10n.t('Original ({0}):', languageName(source)) : vscode.l10n.t('Original:'),
    '',
    ...coding.anchor.quote.split('\n').map((l) => `> ${l}`),
    '',
    SEPARATOR,
    coding.translation?.text ?? '',
    '',
  ].join('\n');
}

/** The grounded-translation: file system: each file is built from its coding and saved into it. */
class TranslationFiles implements vscode.FileSystemProvider {
  private readonly written = new Map<string, { data: Uint8Array; mtime: number }>();
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;

  constructor(private readonly host: TranslationHost) {}

  /** Forgets what was saved to a closed tab: opened again, it shows the coding as it is then. */
  forget(uri: vscode.Uri): void {
    this.written.delete(uri.toString());
  }

  private file(uri: vscode.Uri): { data: Uint8Array; mtime: number } {
    const kept = this.written.get(uri.toString());
    if (kept) return kept;
    const target = targetOf(uri);
    const coding = this.host.coding(target);
    if (!coding) throw vscode.FileSystemError.FileNotFound(vscode.l10n.t('The coding to translate is gone (removed, or its transcript renamed). Open the translation again from the coding.'));
    const file = { data: new TextEncoder().encode(documentText(this.host, target, coding)), mtime: Date.now() };
    this.written.set(uri.toString(), file);
    return file;
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const f = this.file(uri);
    return { type: vscode.FileType.File, ctime: f.mtime, mtime: f.mtime, size: f.data.byteLength };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.file(uri).data;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const text = translationIn(new TextDecoder().decode(content));
    if (text === undefined) throw new Error(vscode.l10n.t('The line above the translation is gone: put back a line of ─ characters, with the translation below it.'));
    await this.host.save(targetOf(uri), text);
    this.written.set(uri.toString(), { data: content, mtime: Date.now() });
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
}

/** Opens the translation of a coding's quote in an editor, the cursor below the line. */
export async function openTranslation(target: TranslationTarget): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(translationUri(target));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const line = doc.getText().split('\n').findIndex((l) => /^─{3,}\s*$/.test(l));
  if (line >= 0 && line + 1 < doc.lineCount) {
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const start = new vscode.Position(line + 1, 0);
    // an empty translation: the cursor on its line; an existing one: selected, to overtype or edit
    editor.selection = new vscode.Selection(start, doc.getText(new vscode.Range(start, end)).trim() ? end : start);
    editor.revealRange(new vscode.Range(start, start));
  }
  return editor;
}

/** Save Translation: saves the active translation (stores it on the coding) and closes its tab. */
async function saveAndClose(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== TRANSLATION_SCHEME) {
    throw new Error(vscode.l10n.t('Open a translation first: Translate Quote… on a coding opens one.'));
  }
  const doc = editor.document;
  if (translationIn(doc.getText()) === undefined) {
    throw new Error(vscode.l10n.t('The line above the translation is gone: put back a line of ─ characters, with the translation below it.'));
  }
  if (doc.isDirty && !(await doc.save())) return; // VS Code has said why the save failed
  const uri = doc.uri.toString();
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri);
  await vscode.window.tabGroups.close(tabs);
}

/** The translation file system and the Save Translation command. */
export function registerTranslations(host: TranslationHost): vscode.Disposable {
  const files = new TranslationFiles(host);
  return vscode.Disposable.from(
    vscode.workspace.registerFileSystemProvider(TRANSLATION_SCHEME, files, { isCaseSensitive: true }),
    vscode.workspace.onDidCloseTextDocument((doc) => doc.uri.scheme === TRANSLATION_SCHEME && files.forget(doc.uri)),
    vscode.commands.registerCommand('grounded.saveTranslation', failable(saveAndClose)),
  );
}
