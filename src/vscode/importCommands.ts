// "Grounded: Import Transcript…" (and "Import as Transcript" on .docx/.odt/.vtt/.srt files in the
// Explorer): converts the files with core/transcriptImport.ts and writes NAME.txt or NAME.md into a
// folder of the workspace. All or nothing: every file is converted before the first is written; a
// file that exists (or has a sidecar) is never overwritten.
import * as vscode from 'vscode';
import { SIDECAR_SUFFIX } from '../core/model';
import { writeAllOrNothing } from '../core/staging';
import { alternativeName, importTranscript, sourceKindOf, transcriptNameFor, SOURCE_EXTENSIONS } from '../core/transcriptImport';
import type { ImportedTranscript, TranscriptFormat } from '../core/transcriptImport';
import type { CodingService } from './codings';
import type { CommandTable } from './commands';
import { notify } from './errors';
import type { WorkspaceFileSystem } from './workspaceFs';

/** Arguments for scripts and tests, so no dialog opens. */
export interface ImportArgs {
  /** absolute paths of the files to import */
  files: string[];
  format: TranscriptFormat;
  /** workspace-relative folder to write to; default `transcripts/` if it exists, else the root */
  folder?: string;
  /** when a transcript of that name exists: write `NAME-2.txt` ('rename', the default here) or leave that file out ('skip') */
  ifExists?: 'rename' | 'skip';
}

export interface ImportOutcome {
  /** workspace-relative paths of the transcripts written, in the order of the files */
  written: string[];
  /** one line per transcript: its path, turns and speakers */
  summaries: string[];
}

interface Services {
  fs: WorkspaceFileSystem;
  codings: CodingService;
}

export function createImportCommands(s: Services): CommandTable {
  const run = (arg?: unknown, all?: unknown) => importTranscripts(s, arg, all);
  return {
    'grounded.importTranscript': run,
    'grounded.importAsTranscript': run,
  };
}

const isArgs = (a: unknown): a is ImportArgs => typeof a === 'object' && a !== null && Array.isArray((a as ImportArgs).files);

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function importTranscripts(s: Services, arg: unknown, all: unknown): Promise<ImportOutcome | undefined> {
  const args = isArgs(arg) ? arg : undefined;
  const sources = await sourcesOf(s, arg, all);
  if (!sources?.length) return undefined;

  const format = args ? args.format : await pickFormat();
  if (format !== 'txt' && format !== 'md') {
    if (args) throw new Error(vscode.l10n.t('Import Transcript: format must be "txt" or "md", not {0}', JSON.stringify(format) ?? 'undefined'));
    return undefined;
  }
  const folder = args ? checkedFolder(args.folder ?? (await defaultFolder(s.fs))) : await pickFolder(s.fs, sources);
  if (folder === undefined) return undefined;

  // Convert everything first: one bad file and nothing is written.
  const converted: { source: vscode.Uri; name: string; imported: ImportedTranscript }[] = [];
  const problems: string[] = [];
  for (const source of sources) {
    const name = source.path.split('/').pop() ?? source.path;
    try {
      const bytes = await vscode.workspace.fs.readFile(source);
      converted.push({ source, name, imported: await importTranscript(name, bytes, format) });
    } catch (err) {
      problems.push(err instanceof vscode.FileSystemError ? vscode.l10n.t('{0}: cannot read it ({1})', name, err.message) : err instanceof Error ? err.message : String(err));
    }
  }
  if (problems.length) throw new Error(vscode.l10n.t('{0}. Nothing was imported.', problems.join('; ')));

  // Pick the targets: never an existing file, never a name with a sidecar left behind.
  const taken = new Set<string>();
  const free = async (path: string) => !taken.has(path) && !(await exists(s.fs.uri(path))) && !(await exists(s.fs.uri(path + SIDECAR_SUFFIX)));
  const plan: { path: string; imported: ImportedTranscript }[] = [];
  const skipped: string[] = [];
  for (const c of converted) {
    const wanted = (folder ? `${folder}/` : '') + transcriptNameFor(c.name, format);
    let path: string | undefined = wanted;
    if (!(await free(wanted))) {
      let n = 2;
      while (!(await free(alternativeName(wanted, n)))) n++;
      const alternative = alternativeName(wanted, n);
      const choice = args
        ? (args.ifExists ?? 'rename') === 'rename'
        : (await vscode.window.showWarningMessage(
            vscode.l10n.t('Grounded: {0} exists (or has codings). Grounded never overwrites a transcript.', wanted),
            { modal: true, detail: vscode.l10n.t('Import {0} as {1} instead, or skip it.', c.name, alternative) },
            vscode.l10n.t('Import as {0}', alternative.split('/').pop() ?? alternative),
          )) !== undefined;
      path = choice ? alternative : undefined;
      if (!path) skipped.push(wanted);
    }
    if (path) {
      taken.add(path);
      plan.push({ path, imported: c.imported });
    }
  }
  if (!plan.length) {
    notify(
      'info',
      skipped.length === 1
        ? vscode.l10n.t('Grounded: nothing was imported: {0} exists, and Grounded never overwrites a transcript. Import again and choose the other name it offers, or rename the file you have.', skipped[0])
        : vscode.l10n.t('Grounded: nothing was imported: {0} exist, and Grounded never overwrites a transcript. Import again and choose the other names it offers, or rename the files you have.', skipped.join(', ')),
      { title: vscode.l10n.t('Import Transcript…'), run: () => vscode.commands.executeCommand('grounded.importTranscript') },
    );
    return { written: [], summaries: [] };
  }

  // All or nothing (core/staging.ts): every transcript is written to a staging folder and read back first.
  const origin = new Map(converted.map((c) => [c.imported, c.name]));
  await writeAllOrNothing(
    s.fs,
    plan.map((p) => ({ path: p.path, text: p.imported.text, item: vscode.l10n.t('the transcript of {0}', origin.get(p.imported) ?? p.path) })),
    { source: plan.length === 1 ? (origin.get(plan[0].imported) ?? plan[0].path) : vscode.l10n.t('{0} files', plan.length) },
  );
  const outside = plan.filter((p) => !s.codings.isTranscript(s.fs.uri(p.path)));
  const summaries = plan.map((p) => {
    const who = p.imported.speakers.map((x) => `${x.speaker} ${x.turns}`).join(', ');
    const turns = p.imported.turns === 1 ? vscode.l10n.t('1 turn ({0})', who) : p.imported.turns ? vscode.l10n.t('{0} turns ({1})', p.imported.turns, who) : vscode.l10n.t('no speaker turns, paragraphs only');
    return outside.includes(p) ? vscode.l10n.t('{0}: {1} — not a transcript by the setting grounded.transcripts', p.path, turns) : `${p.path}: ${turns}`;
  });
  await vscode.window.showTextDocument(s.fs.uri(plan[0].path));
  const message = plan.length === 1 ? vscode.l10n.t('Grounded: imported {0}.', summaries[0]) : vscode.l10n.t('Grounded: imported {0} transcripts: {1}.', plan.length, summaries.join('; '));
  const skippedNote = skipped.length ? ` ${vscode.l10n.t('Skipped, as it exists: {0}.', skipped.join(', '))}` : '';
  // A file outside the transcript patterns cannot be coded yet: the setting is the way forward.
  const actions = outside.length
    ? [{ title: vscode.l10n.t('Open Setting'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'grounded.transcripts') }]
    : [];
  notify('info', message + skippedNote, ...actions);
  return { written: plan.map((p) => p.path), summaries };
}

/** The files: from the arguments, the Explorer's selection, or an open dialog. */
async function sourcesOf(s: Services, arg: unknown, all: unknown): Promise<vscode.Uri[] | undefined> {
  if (isArgs(arg)) {
    if (!arg.files.length) throw new Error(vscode.l10n.t('Import Transcript: no files given'));
    return arg.files.map((f) => vscode.Uri.file(f));
  }
  if (arg instanceof vscode.Uri) {
    const selected = Array.isArray(all) && all.every((u) => u instanceof vscode.Uri) ? (all as vscode.Uri[]) : [arg];
    const usable = selected.filter((u) => sourceKindOf(u.path));
    if (!usable.length) {
      const kinds = SOURCE_EXTENSIONS.map((e) => `.${e}`).join(', ');
      throw new Error(
        vscode.l10n.t('Import Transcript: Grounded imports {0} files, and none of the files selected is one. A plain text transcript (.txt, .md) needs no import: put it in the workspace as it is.', kinds),
      );
    }
    return usable;
  }
  return vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: vscode.l10n.t('Import'),
    title: vscode.l10n.t('Import Transcript'),
    defaultUri: s.fs.root,
    filters: { [vscode.l10n.t('Transcripts (Word, OpenDocument, WebVTT, SubRip)')]: [...SOURCE_EXTENSIONS] },
  });
}

async function pickFormat(): Promise<TranscriptFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Plain text (.txt)'), format: 'txt' as const, detail: vscode.l10n.t('paragraphs and speaker turns, no formatting') },
      { label: vscode.l10n.t('Markdown (.md)'), format: 'md' as const, detail: vscode.l10n.t('keeps headings, bold and italic from Word and OpenDocument files') },
    ],
    // ignoreFocusOut: run from the walkthrough, its page takes the focus back a moment later (see initializeProject).
    { title: vscode.l10n.t('Import Transcript: write as'), placeHolder: vscode.l10n.t('The format of the transcript'), ignoreFocusOut: true },
  );
  return picked?.format;
}

/** `transcripts` when the workspace has that folder, else the root (''). */
async function defaultFolder(fs: WorkspaceFileSystem): Promise<string> {
  try {
    const stat = await vscode.workspace.fs.stat(fs.uri('transcripts'));
    return stat.type & vscode.FileType.Directory ? 'transcripts' : '';
  } catch {
    return '';
  }
}

/** A workspace-relative folder with forward slashes and no trailing slash; '' is the root. */
function checkedFolder(folder: string): string {
  const f = folder.replace(/\\/g, '/').replace(/^\.?\/+|\/+$/g, '');
  if (/^[a-zA-Z]:|^\//.test(folder) || f.split('/').includes('..')) throw new Error(vscode.l10n.t('Import Transcript: the folder must be inside the workspace, relative to it, not "{0}"', folder));
  return f === '.' ? '' : f;
}

async function pickFolder(fs: WorkspaceFileSystem, sources: readonly vscode.Uri[]): Promise<string | undefined> {
  const preferred = await defaultFolder(fs);
  const candidates = [preferred, ''];
  const beside = fs.relative(vscode.Uri.joinPath(sources[0], '..'));
  if (beside !== undefined) candidates.push(beside);
  const label = (f: string) => (f ? `${f}/` : vscode.l10n.t('(workspace root)'));
  const items: (vscode.QuickPickItem & { folder?: string })[] = [...new Set(candidates)].map((f) => ({
    label: label(f),
    folder: f,
    description: f === preferred ? vscode.l10n.t('default') : f === beside ? vscode.l10n.t('beside the file') : undefined,
  }));
  items.push({ label: vscode.l10n.t('Other Folder…') });
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Import Transcript: write into'),
    placeHolder: vscode.l10n.t('A folder of the workspace'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.folder !== undefined) return picked.folder;
  const chosen = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: fs.root, openLabel: vscode.l10n.t('Write Here') });
  if (!chosen?.[0]) return undefined;
  const rel = chosen[0].path === fs.root.path ? '' : fs.relative(chosen[0]);
  if (rel === undefined) throw new Error(vscode.l10n.t('Import Transcript: choose a folder inside the workspace'));
  return rel.replace(/\/+$/, '');
}
