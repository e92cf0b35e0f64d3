// REFI-QDA exchange in the editor: Export Project (.qdpx), Export Codebook (.qdc), Import REFI-QDA
// Project. The work is done by src/core/refi; here are the dialogs, the progress notification and
// the summary page. Each command takes an optional argument object so that tests need no dialogs:
// `{ out, lineEnding }` for the exports, `{ file, folder }` for the import (paths or Uris).
import * as vscode from 'vscode';
import { systemEnvironment } from '../core/ports';
import { exportQdc, exportQdpx } from '../core/refi/export';
import type { ExportSummary } from '../core/refi/export';
import { importIntoFolder, readForExport } from '../core/refi/gather';
import { importHeadline, importReport } from '../core/refi/import';
import type { ImportSummary } from '../core/refi/import';
import type { LineEnding } from '../core/refi/positions';
import { ensureCoder } from './coder';
import { transcriptGlobs } from './config';
import { notify } from './errors';
import { warnRealNames } from './exportCommands';
import { realNamesInProject } from '../core/exports';
import { PSEUDONYM_FILE, parsePseudonyms } from '../core/pseudonyms';
import { PROJECT_FILE } from '../core/model';
import { showMarkdownPage } from './markdownPage';
import { sayNoProject } from './wayForward';
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
    const uri = vscode.Uri.from({ scheme: REFI_SCHEME, path: `/${vscode.l10n.t('REFI-QDA import {0}', ++this.n)}.md` });
    this.pages.set(uri.toString(), text);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.pages.get(uri.toString()) ?? `# ${vscode.l10n.t('Gone')}\n\n${vscode.l10n.t('This page belonged to an earlier session.')}\n`;
  }
}

export function createRefiCommands(s: RefiServices): Record<string, (...args: never[]) => unknown> {
  const pages = new RefiPages();
  s.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(REFI_SCHEME, pages));

  async function target(args: ExportArgs | undefined, ext: 'qdpx' | 'qdc', label: string, title: string): Promise<vscode.Uri | undefined> {
    if (args?.out) return toUri(args.out);
    const name = (await readName(s.fs)) ?? 'project';
    return vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(s.fs.root, `${name.replace(/[\\/:*?"<>|]/g, '-')}.${ext}`),
      filters: { [label]: [ext] },
      saveLabel: vscode.l10n.t('Export'),
      title,
    });
  }

  /** The project to export, read before any dialog; undefined (and said why) when there is no project. */
  async function projectToExport(): Promise<Awaited<ReturnType<typeof readForExport>> | undefined> {
    if ((await s.fs.readText(PROJECT_FILE)) === undefined) return sayNoProject();
    return readForExport(s.fs, transcriptGlobs());
  }

  async function lineEndingOf(args: ExportArgs | undefined): Promise<LineEnding | undefined> {
    if (args?.lineEnding) return args.lineEnding;
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'LF', description: vscode.l10n.t('NVivo, ATLAS.ti, QualCoder'), value: 'lf' as const },
        { label: 'CRLF', description: vscode.l10n.t('for MAXQDA'), value: 'crlf' as const },
      ],
      { title: vscode.l10n.t('Grounded: line endings of the exported transcripts'), placeHolder: vscode.l10n.t('Positions are counted with the line endings chosen') },
    );
    return pick?.value;
  }

  return {
    'grounded.exportQdpx': async (args?: ExportArgs): Promise<{ uri: vscode.Uri; summary: ExportSummary } | undefined> => {
      const read = await projectToExport();
      if (!read) return undefined;
      const { input, warnings } = read;
      if (!input.documents.length && !input.project.codes.length) {
        notify('info', vscode.l10n.t('Grounded: there is nothing to export yet: the project has no transcripts and no codes. Import a transcript and code it first.'), {
          title: vscode.l10n.t('Import Transcript…'),
          run: () => vscode.commands.executeCommand('grounded.importTranscript'),
        });
        return undefined;
      }
      const lineEnding = await lineEndingOf(args);
      if (!lineEnding) return undefined;
      const uri = await target(args, 'qdpx', vscode.l10n.t('REFI-QDA Project'), vscode.l10n.t('Grounded: Export REFI-QDA Project'));
      if (!uri) return undefined;
      const tableText = await s.fs.readText(PSEUDONYM_FILE);
      const table = tableText === undefined ? undefined : parsePseudonyms(tableText, PSEUDONYM_FILE); // a broken table stops here, before writing
      const result = exportQdpx(input, { lineEnding, origin: s.origin });
      await vscode.workspace.fs.writeFile(uri, result.bytes);
      const sm = result.summary;
      const left = [...warnings, ...sm.leftOut];
      const name = uri.path.split('/').pop()!;
      notify(
        left.length ? 'warning' : 'info',
        vscode.l10n.t('Grounded: exported {0} transcripts, {1} codes, {2} codings, {3} memos and {4} cases to {5}.', sm.sources, sm.codes, sm.codings, sm.memos, sm.cases, name) +
          (left.length ? ` ${vscode.l10n.t('Left out: {0}.', left.join('; '))}` : ''),
      );
      // A project export carries the transcripts as they are: say where real names from the pseudonym table are.
      if (table) warnRealNames(vscode.l10n.t('{0} (a REFI-QDA project carries the transcripts unchanged)', name), realNamesInProject(result.qde, input.documents, table));
      return { uri, summary: sm };
    },
    'grounded.exportQdc': async (args?: ExportArgs): Promise<vscode.Uri | undefined> => {
      const read = await projectToExport();
      if (!read) return undefined;
      const { input } = read;
      if (!input.project.codes.length) {
        notify('info', vscode.l10n.t('Grounded: the codebook is empty, so there is nothing to export yet. Make codes first: select words in a transcript and code them, or add a code in the Codes view.'), {
          title: vscode.l10n.t('New Code…'),
          run: () => vscode.commands.executeCommand('grounded.newCode'),
        });
        return undefined;
      }
      const uri = await target(args, 'qdc', vscode.l10n.t('REFI-QDA Codebook'), vscode.l10n.t('Grounded: Export REFI-QDA Codebook'));
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(exportQdc(input.project, input.documents, s.origin)));
      const file = uri.path.split('/').pop() ?? uri.fsPath;
      const n = input.project.codes.length;
      notify('info', n === 1 ? vscode.l10n.t('Grounded: exported 1 code to {0}.', file) : vscode.l10n.t('Grounded: exported {0} codes to {1}.', n, file));
      return uri;
    },
    'grounded.importRefi': async (args?: ImportArgs): Promise<{ folder: vscode.Uri; summary: ImportSummary; page: vscode.Uri } | undefined> => {
      let file = args?.file ? toUri(args.file) : undefined;
      if (!file) {
        const picked = await vscode.window.showOpenDialog({
          canSelectMany: false,
          filters: { [vscode.l10n.t('REFI-QDA Project or Codebook')]: ['qdpx', 'qdc', 'qde'] },
          openLabel: vscode.l10n.t('Import'),
          title: vscode.l10n.t('Grounded: Import REFI-QDA Project'),
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
          openLabel: vscode.l10n.t('Import Here'),
          title: vscode.l10n.t('Grounded: the folder to import into (empty, or without a Grounded project)'),
        });
        folder = picked?.[0];
      }
      if (!folder) return undefined;
      const coder = await ensureCoder(); // recorded on imported codings that name no coder
      if (!coder) return undefined;
      const name = file.path.split('/').pop() ?? 'file';
      const folderName = folder.path.split('/').pop() ?? folder.fsPath;
      const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Grounded: importing {0}…', name) }, async () => {
        const bytes = await vscode.workspace.fs.readFile(file);
        const existed = await vscode.workspace.fs.stat(folder).then(
          () => true,
          () => false,
        );
        try {
          // Read in pieces, each transcript written to the staging folder as it is read (all or nothing);
          // a file that is broken or unusual goes the whole-file way, with its messages (core/refi/gather.ts).
          return (await importIntoFolder(new WorkspaceFileSystem(folder), bytes, name, { coder, env: systemEnvironment })).summary;
        } catch (err) {
          // a folder made for this import is removed again: nothing is left behind
          if (!existed) await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false }).then(undefined, () => undefined);
          throw err;
        }
      });
      const page = pages.add(importReport(summary, folder.fsPath));
      const isOpen = vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === folder.toString());
      notify(
        summary.notImported.length ? 'warning' : 'info',
        `Grounded: ${importHeadline(summary, folderName)}`,
        { title: vscode.l10n.t('Show Details'), run: () => showMarkdownPage(page) },
        ...(isOpen ? [] : [{ title: vscode.l10n.t('Open Folder'), run: () => vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true }) }]),
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
