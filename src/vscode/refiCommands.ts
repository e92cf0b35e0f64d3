// REFI-QDA exchange in the editor: Export Project (.qdpx), Export Codebook (.qdc), Import REFI-QDA
// Project. The work is done by src/core/refi; here are the dialogs, the progress notification and
// the summary page. Each command takes an optional argument object so that tests need no dialogs:
// `{ out, lineEnding }` for the exports, `{ file, folder }` for the import (paths or Uris).
import * as vscode from 'vscode';
import { systemEnvironment } from '../core/ports';
import { exportQdc, exportQdpx } from '../core/refi/export';
import type { ExportSummary } from '../core/refi/export';
import { readForExport, writeImport } from '../core/refi/gather';
import { importHeadline, importRefi, importReport } from '../core/refi/import';
import type { ImportSummary } from '../core/refi/import';
import type { LineEnding } from '../core/refi/positions';
import { ensureCoder } from './coder';
import { transcriptGlobs } from './config';
import { notify } from './errors';
import { warnRealNames } from './exportCommands';
import { realNamesInProject } from '../core/exports';
import { PSEUDONYM_FILE, parsePseudonyms } from '../core/pseudonyms';
import { showMarkdownPage } from './markdownPage';
import { WorkspaceFileSystem } from './workspaceFs';

export const REFI_SCHEME = 'grounded-refi';

export interface RefiServices {
  fs: WorkspaceFileSystem;
  /** "Grounded 0.1.0", written as the origin of exports */
  origin: string;
  subscriptions: vscode.Disposable[];
}

export interface ExportArgs {
  out?: string | vscode.Uri;
  lineEnding?: LineEnding;
}

export interface ImportArgs {
  file?: string | vscode.Uri;
  folder?: string | vscode.Uri;
}

const toUri = (u: string | vscode.Uri): vscode.Uri => (typeof u === 'string' ? vscode.Uri.file(u) : u);

/** Generated pages (the import summary), shown in the Markdown preview. */
class RefiPages implements vscode.TextDocumentContentProvider {
  private readonly pages = new Map<string, string>();
  private n = 0;
  add(text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: REFI_SCHEME, path: `/REFI-QDA import ${++this.n}.md` });
    this.pages.set(uri.toString(), text);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.pages.get(uri.toString()) ?? '# Gone\n\nThis page belonged to an earlier session.\n';
  }
}

export function createRefiCommands(s: RefiServices): Record<string, (...args: never[]) => unknown> {
  const pages = new RefiPages();
  s.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(REFI_SCHEME, pages));

  async function target(args: ExportArgs | undefined, ext: 'qdpx' | 'qdc', label: string): Promise<vscode.Uri | undefined> {
    if (args?.out) return toUri(args.out);
    const name = (await readName(s.fs)) ?? 'project';
    return vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(s.fs.root, `${name.replace(/[\\/:*?"<>|]/g, '-')}.${ext}`),
      filters: { [label]: [ext] },
      saveLabel: 'Export',
      title: `Grounded: Export ${label}`,
    });
  }

  async function lineEndingOf(args: ExportArgs | undefined): Promise<LineEnding | undefined> {
    if (args?.lineEnding) return args.lineEnding;
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'LF', description: 'NVivo, ATLAS.ti, QualCoder', value: 'lf' as const },
        { label: 'CRLF', description: 'for MAXQDA', value: 'crlf' as const },
      ],
      { title: 'Grounded: line endings of the exported transcripts', placeHolder: 'Positions are counted with the line endings chosen' },
    );
    return pick?.value;
  }

  return {
    'grounded.exportQdpx': async (args?: ExportArgs): Promise<{ uri: vscode.Uri; summary: ExportSummary } | undefined> => {
      const lineEnding = await lineEndingOf(args);
      if (!lineEnding) return undefined;
      const uri = await target(args, 'qdpx', 'REFI-QDA Project');
      if (!uri) return undefined;
      const { input, warnings } = await readForExport(s.fs, transcriptGlobs());
      const tableText = await s.fs.readText(PSEUDONYM_FILE);
      const table = tableText === undefined ? undefined : parsePseudonyms(tableText, PSEUDONYM_FILE); // a broken table stops here, before writing
      const result = exportQdpx(input, { lineEnding, origin: s.origin });
      await vscode.workspace.fs.writeFile(uri, result.bytes);
      const sm = result.summary;
      const left = [...warnings, ...sm.leftOut];
      const name = uri.path.split('/').pop()!;
      notify(
        left.length ? 'warning' : 'info',
        `Grounded: exported ${sm.sources} transcripts, ${sm.codes} codes, ${sm.codings} codings, ${sm.memos} memos and ${sm.cases} cases to ${name}.` +
          (left.length ? ` Left out: ${left.join('; ')}.` : ''),
      );
      // A project export carries the transcripts as they are: say where real names from the pseudonym table are.
      if (table) warnRealNames(`${name} (a REFI-QDA project carries the transcripts unchanged)`, realNamesInProject(result.qde, input.documents, table));
      return { uri, summary: sm };
    },
    'grounded.exportQdc': async (args?: ExportArgs): Promise<vscode.Uri | undefined> => {
      const uri = await target(args, 'qdc', 'REFI-QDA Codebook');
      if (!uri) return undefined;
      const { input } = await readForExport(s.fs, transcriptGlobs());
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(exportQdc(input.project, input.documents, s.origin)));
      notify('info', `Grounded: exported ${input.project.codes.length} codes to ${uri.path.split('/').pop()}.`);
      return uri;
    },
    'grounded.importRefi': async (args?: ImportArgs): Promise<{ folder: vscode.Uri; summary: ImportSummary; page: vscode.Uri } | undefined> => {
      let file = args?.file ? toUri(args.file) : undefined;
      if (!file) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          filters: { 'REFI-QDA Project or Codebook': ['qdpx', 'qdc', 'qde'] },
          openLabel: 'Import',
          title: 'Grounded: Import REFI-QDA Project',
        });
        file = picked?.[0];
      }
      if (!file) return undefined;
      let folder = args?.folder ? toUri(args.folder) : undefined;
      if (!folder) {
        const picked = await vscode.window.showOpenDialog({
          canSelectFiles: false,
          canSelectFolders: true,
          canSelectMany: false,
          openLabel: 'Import Here',
          title: 'Grounded: the folder to import into (empty, or without a Grounded project)',
        });
        folder = picked?.[0];
      }
      if (!folder) return undefined;
      const coder = await ensureCoder(); // recorded on imported codings that name no coder
      if (!coder) return undefined;
      const name = file.path.split('/').pop() ?? 'file';
      const folderName = folder.path.split('/').pop() ?? folder.fsPath;
      const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Grounded: importing ${name}…` }, async () => {
        const bytes = await vscode.workspace.fs.readFile(file);
        const result = importRefi(bytes, name, { coder, env: systemEnvironment });
        await writeImport(new WorkspaceFileSystem(folder), result.files);
        return result.summary;
      });
      const page = pages.add(importReport(summary, folder.fsPath));
      const isOpen = vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === folder.toString());
      notify(
        summary.notImported.length ? 'warning' : 'info',
        `Grounded: ${importHeadline(summary, folderName)}`,
        { title: 'Show Details', run: () => showMarkdownPage(page) },
        ...(isOpen ? [] : [{ title: 'Open Folder', run: () => vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true }) }]),
      );
      return { folder, summary, page };
    },
  };
}

async function readName(fs: WorkspaceFileSystem): Promise<string | undefined> {
  try {
    const text = await fs.readText('grounded.json');
    return text ? (JSON.parse(text) as { project?: { name?: string } }).project?.name : undefined;
  } catch {
    return undefined;
  }
}
