// Exports (the report, the coded segments, the codebook) written to exports/ with the pseudonym table
// applied, and the commands of the pseudonym table itself.
import * as vscode from 'vscode';
import { EXPORT_DIR } from '../core/model';
import type { ExportKind } from '../core/exports';
import { buildExport, describeRealNames } from '../core/exports';
import type { RealNameHit, PseudonymTable } from '../core/pseudonyms';
import { PSEUDONYM_FILE, applyPseudonyms, emptyPseudonymTable, findRealNames, otherSpellings, parsePseudonyms, serializePseudonyms, setPseudonym } from '../core/pseudonyms';
import { writeAtomic } from '../core/ports';
import type { ReportInput } from '../core/report';
import { escapeMarkdown } from '../core/segmentList';
import { notify } from './errors';
import { showMarkdownPage } from './markdownPage';
import type { MemoService } from './memos';
import type { ProjectService } from './project';
import { transcriptText } from './texts';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';
import type { EditorSession } from './session';

export interface ExportServices {
  project: ProjectService;
  index: WorkspaceIndex;
  session: EditorSession;
  memos: MemoService;
  fs: WorkspaceFileSystem;
}

/** What an export command returns (for tests and other extensions). */
export interface ExportOutcome {
  /** workspace-relative paths written */
  files: string[];
  /** places in those files where a real name from the pseudonym table still appears */
  realNames: RealNameHit[];
}

const TITLES: Record<ExportKind, string> = { report: 'the report', segments: 'the coded segments', codebook: 'the codebook' };
const PAGE_SCHEME = 'grounded-export';
let lastHits: RealNameHit[] = [];

/** The page listing where real names remain after the last export. */
export function registerExportPages(): vscode.Disposable {
  return vscode.workspace.registerTextDocumentContentProvider(PAGE_SCHEME, { provideTextDocumentContent: () => realNamesPage(lastHits) });
}

export function createExportCommands(s: ExportServices): Record<string, (...args: never[]) => unknown> {
  return {
    'grounded.exportReport': () => exportKinds(s, ['report']),
    'grounded.exportSegments': () => exportKinds(s, ['segments']),
    'grounded.exportCodebook': () => exportKinds(s, ['codebook']),
    'grounded.exportAll': () => exportKinds(s, ['report', 'segments', 'codebook']),
    'grounded.openPseudonymTable': () => openPseudonymTable(s),
    'grounded.addPseudonym': (args?: AddPseudonymArgs) => addPseudonym(s, args ?? {}),
  };
}

/** The pseudonym table; an empty one when pseudonyms.json does not exist. Throws FormatError when it is broken. */
async function readTable(fs: WorkspaceFileSystem): Promise<PseudonymTable> {
  const text = await fs.readText(PSEUDONYM_FILE);
  return text === undefined ? emptyPseudonymTable() : parsePseudonyms(text, PSEUDONYM_FILE);
}

/**
 * Another export's text (a matrix as CSV) with the pseudonym table applied; a warning lists the places
 * where a real name remains. Throws FormatError when the table is broken, before anything is written.
 */
export async function pseudonymise(fs: WorkspaceFileSystem, name: string, text: string): Promise<{ text: string; realNames: RealNameHit[] }> {
  const table = await readTable(fs);
  const out = applyPseudonyms(text, table);
  return { text: out, realNames: findRealNames(out, table, name) };
}

/**
 * For a name that the transcripts also hold spelled otherwise ("liv", the word, beside "Liv", the
 * name): whether to replace it only as written. Without such places the entry's setting is kept.
 */
async function askMatchCase(s: ExportServices, real: string, table: PseudonymTable): Promise<boolean | undefined> {
  const kept = !!table.names.find((e) => e.real.toLocaleLowerCase() === real.toLocaleLowerCase())?.matchCase;
  let places = 0;
  for (const path of s.index.transcripts) places += otherSpellings((await transcriptText(s.fs, path)) ?? '', real);
  if (!places) return kept;
  const exact = { label: `Only "${real}" as written`, detail: `The ${places} place${places === 1 ? '' : 's'} in the transcripts where it is spelled otherwise stay as they are`, matchCase: true };
  const any = { label: `"${real}" in any case`, detail: `Also replaces the ${places} place${places === 1 ? '' : 's'} where it is spelled otherwise`, matchCase: false };
  const pick = await vscode.window.showQuickPick(kept ? [exact, any] : [any, exact], {
    title: `Grounded: Replace "${real}" in any case? (the transcripts also hold it spelled otherwise)`,
  });
  return pick?.matchCase;
}

/** Warns that real names remain in what was just written, with a button showing where. */
export function warnRealNames(written: string, hits: RealNameHit[]): void {
  if (!hits.length) return;
  lastHits = hits;
  notify(
    'warning',
    `Grounded: wrote ${written}, but a real name from ${PSEUDONYM_FILE} still appears in ${hits.length} place${hits.length === 1 ? '' : 's'}: ${describeRealNames(hits, 3).join('; ')}. Fix them before you share the file.`,
    { title: 'Show Where', run: () => showMarkdownPage(vscode.Uri.from({ scheme: PAGE_SCHEME, path: '/Real names in the export.md', query: String(Date.now()) })) },
  );
}

async function exportInput(s: ExportServices): Promise<ReportInput> {
  const project = s.project.project;
  if (!project) throw new Error('There is no Grounded project in this folder yet: run "Grounded: Initialize Project" first.');
  await s.index.ready;
  // Every coder's codings: the analysis leaves out what blind mode hides (viewer), as the views do.
  const documents = s.index.documents(true);
  const texts = new Map<string, string | undefined>();
  await Promise.all(documents.map(async (d) => texts.set(d.path, await transcriptText(s.fs, d.path))));
  return { project, documents, memos: s.memos.list().map((e) => e.memo), textOf: (p) => texts.get(p), viewer: s.session.session.viewer };
}

async function exportKinds(s: ExportServices, kinds: ExportKind[]): Promise<ExportOutcome> {
  const what = kinds.length > 1 ? 'everything' : TITLES[kinds[0]];
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Grounded: exporting ${what}…` },
    async (progress) => {
      // Read everything first: a broken pseudonym table or project stops the export before anything is written.
      const table = await readTable(s.fs);
      const input = await exportInput(s);
      progress.report({ message: 'rendering', increment: 30 });
      const result = buildExport(input, kinds, table);
      const files: string[] = [];
      for (const f of result.files) {
        const path = `${EXPORT_DIR}/${f.name}`;
        await writeAtomic(s.fs, path, f.text);
        files.push(path);
        progress.report({ message: f.name, increment: 70 / result.files.length });
      }
      return { files, realNames: result.realNames, table };
    },
  );
  const names = outcome.files.map((f) => f.slice(EXPORT_DIR.length + 1)).join(', ');
  const main = outcome.files.find((f) => f.endsWith('.html')) ?? outcome.files.find((f) => f.endsWith('.md')) ?? outcome.files[0];
  const open = { title: main.endsWith('.html') ? 'Open Report' : 'Open', run: () => openExport(s, main) };
  const reveal = { title: 'Reveal in Explorer', run: () => vscode.commands.executeCommand('revealInExplorer', s.fs.uri(main)) };
  if (outcome.realNames.length) {
    lastHits = outcome.realNames;
    const n = outcome.realNames.length;
    notify(
      'warning',
      `Grounded: wrote ${names} to ${EXPORT_DIR}/, but a real name from ${PSEUDONYM_FILE} still appears in ${n} place${n === 1 ? '' : 's'}: ${describeRealNames(outcome.realNames, 3).join('; ')}. Fix them before you share the files.`,
      { title: 'Show Where', run: () => showMarkdownPage(vscode.Uri.from({ scheme: PAGE_SCHEME, path: '/Real names in the export.md', query: String(Date.now()) })) },
      open,
    );
  } else {
    const note = outcome.table.names.length ? ` with the ${outcome.table.names.length} name${outcome.table.names.length === 1 ? '' : 's'} of ${PSEUDONYM_FILE} replaced by pseudonyms` : '';
    notify('info', `Grounded: wrote ${names} to ${EXPORT_DIR}/${note}.`, open, reveal);
  }
  return { files: outcome.files, realNames: outcome.realNames };
}

async function openExport(s: ExportServices, path: string): Promise<void> {
  if (path.endsWith('.html')) {
    await vscode.env.openExternal(s.fs.uri(path));
    return;
  }
  await vscode.window.showTextDocument(s.fs.uri(path));
}

/** The places where real names remain, as a Markdown page. */
function realNamesPage(hits: readonly RealNameHit[]): string {
  const lines = ['# Real names in the export', '', `These words from ${PSEUDONYM_FILE} (or a word of a name in it) still appear in the files written to ${EXPORT_DIR}/. Add the form that was missed to the pseudonym table (**Grounded: Add Name to Pseudonym Table**), or change the text, and export again.`, ''];
  lines.push('| File | Line | Column | Name | Context |', '| --- | --: | --: | --- | --- |');
  for (const h of hits) lines.push(`| ${escapeMarkdown(h.file)} | ${h.line} | ${h.column} | ${escapeMarkdown(h.name)} | ${escapeMarkdown(h.context)} |`);
  return lines.join('\n') + '\n';
}

const TEMPLATE_NOTE = 'Real names (left) and the pseudonyms every export writes instead (right).';

async function openPseudonymTable(s: ExportServices): Promise<void> {
  if ((await s.fs.readText(PSEUDONYM_FILE)) === undefined) {
    await writeAtomic(s.fs, PSEUDONYM_FILE, serializePseudonyms(emptyPseudonymTable()));
    void vscode.window.showInformationMessage(`Grounded: created ${PSEUDONYM_FILE}. ${TEMPLATE_NOTE} It holds real names: consider keeping it out of git (.gitignore).`);
  } else await readTable(s.fs); // a broken file is reported with its line and column
  await vscode.window.showTextDocument(s.fs.uri(PSEUDONYM_FILE));
}

interface AddPseudonymArgs {
  real?: string;
  pseudonym?: string;
  /** replace the name only as written; asked when the transcripts also hold it spelled otherwise */
  matchCase?: boolean;
}

/** Adds a real name (default: the words selected in the editor) with its pseudonym (picked from the cases, or typed). */
async function addPseudonym(s: ExportServices, args: AddPseudonymArgs): Promise<PseudonymTable | undefined> {
  const table = await readTable(s.fs);
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
  const real =
    args.real ??
    (await vscode.window.showInputBox({
      title: 'Grounded: Add Name to Pseudonym Table (1/2)',
      prompt: 'A real name as it is written in the transcripts (a person, a place, a workplace)',
      value: selected.length <= 60 ? selected : '',
      validateInput: (v) => (v.trim() ? undefined : 'Type the real name'),
    }));
  if (!real?.trim()) return undefined;
  let pseudonym = args.pseudonym;
  if (pseudonym === undefined) {
    const existing = table.names.find((e) => e.real.toLocaleLowerCase() === real.trim().toLocaleLowerCase());
    const cases = (s.project.project?.cases ?? []).map((c) => c.pseudonym).sort();
    const NEW = '$(add) Another pseudonym…';
    const pick = cases.length
      ? await vscode.window.showQuickPick([...cases.map((label) => ({ label, description: 'case' })), { label: NEW }], {
          title: `Grounded: Pseudonym for "${real.trim()}" (2/2)`,
          placeHolder: existing ? `now: ${existing.pseudonym}` : 'the pseudonym exports write instead',
        })
      : { label: NEW };
    if (!pick) return undefined;
    pseudonym =
      pick.label === NEW
        ? await vscode.window.showInputBox({ title: `Grounded: Pseudonym for "${real.trim()}" (2/2)`, value: existing?.pseudonym ?? '', validateInput: (v) => (v.trim() ? undefined : 'Type a pseudonym') })
        : pick.label;
  }
  if (!pseudonym?.trim()) return undefined;
  const matchCase = args.matchCase ?? (await askMatchCase(s, real.trim(), table));
  if (matchCase === undefined) return undefined;
  // Read again right before writing, so an edit made in the editor meanwhile is kept.
  const merged = setPseudonym(await readTable(s.fs), real, pseudonym, matchCase);
  await writeAtomic(s.fs, PSEUDONYM_FILE, serializePseudonyms(merged));
  vscode.window.setStatusBarMessage(`Grounded: exports now write "${pseudonym.trim()}" for "${real.trim()}"`, 4000);
  return merged;
}
