// Exports (the report, the coded segments, the codebook) written to exports/ with the pseudonym table
// applied, and the commands of the pseudonym table itself.
import * as vscode from 'vscode';
import { EXPORT_DIR } from '../core/model';
import type { ExportKind } from '../core/exports';
import { buildExport } from '../core/exports';
import type { RealNameHit, PseudonymTable } from '../core/pseudonyms';
import { PSEUDONYM_FILE, applyPseudonyms, emptyPseudonymTable, findRealNames, otherSpellings, parsePseudonyms, serializePseudonyms, setPseudonym } from '../core/pseudonyms';
import { writeAtomic } from '../core/ports';
import type { ReportInput } from '../core/report';
import { historyForReport } from '../node/gitHistory';
import { escapeMarkdown } from '../core/segmentList';
import { notify, output } from './errors';
import { showMarkdownPage } from './markdownPage';
import type { MemoService } from './memos';
import type { ProjectService } from './project';
import { transcriptText } from './texts';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';
import type { EditorSession } from './session';
import { sayNoProject } from './wayForward';

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

/** The progress title of an export of these kinds. */
function progressTitle(kinds: readonly ExportKind[]): string {
  if (kinds.length > 1) return vscode.l10n.t('Grounded: exporting everything…');
  if (kinds[0] === 'report') return vscode.l10n.t('Grounded: exporting the report…');
  return kinds[0] === 'segments' ? vscode.l10n.t('Grounded: exporting the coded segments…') : vscode.l10n.t('Grounded: exporting the codebook…');
}

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
export async function readPseudonymTable(fs: WorkspaceFileSystem): Promise<PseudonymTable> {
  const text = await fs.readText(PSEUDONYM_FILE);
  return text === undefined ? emptyPseudonymTable() : parsePseudonyms(text, PSEUDONYM_FILE);
}

/**
 * Another export's text (a matrix as CSV) with the pseudonym table applied; a warning lists the places
 * where a real name remains. Throws FormatError when the table is broken, before anything is written.
 */
export async function pseudonymise(fs: WorkspaceFileSystem, name: string, text: string): Promise<{ text: string; realNames: RealNameHit[] }> {
  const table = await readPseudonymTable(fs);
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
  const exact = {
    label: vscode.l10n.t('Only "{0}" as written', real),
    detail:
      places === 1
        ? vscode.l10n.t('The 1 place in the transcripts where it is spelled otherwise stays as it is')
        : vscode.l10n.t('The {0} places in the transcripts where it is spelled otherwise stay as they are', places),
    matchCase: true,
  };
  const any = {
    label: vscode.l10n.t('"{0}" in any case', real),
    detail: places === 1 ? vscode.l10n.t('Also replaces the 1 place where it is spelled otherwise') : vscode.l10n.t('Also replaces the {0} places where it is spelled otherwise', places),
    matchCase: false,
  };
  const pick = await vscode.window.showQuickPick(kept ? [exact, any] : [any, exact], {
    title: vscode.l10n.t('Grounded: Replace "{0}" in any case? (the transcripts also hold it spelled otherwise)', real),
  });
  return pick?.matchCase;
}

/** Warns that real names remain in what was just written, with a button showing where. */
export function warnRealNames(written: string, hits: RealNameHit[]): void {
  if (!hits.length) return;
  lastHits = hits;
  const where = describeHits(hits);
  notify(
    'warning',
    hits.length === 1
      ? vscode.l10n.t('Grounded: wrote {0}, but a real name from {1} still appears in 1 place: {2}. Fix it before you share the file.', written, PSEUDONYM_FILE, where)
      : vscode.l10n.t('Grounded: wrote {0}, but a real name from {1} still appears in {2} places: {3}. Fix them before you share the file.', written, PSEUDONYM_FILE, hits.length, where),
    showWhere(),
  );
}

/** The button that opens the page of real names left in the last export. */
function showWhere(): { title: string; run: () => unknown } {
  const path = `/${vscode.l10n.t('Real names in the export')}.md`;
  return { title: vscode.l10n.t('Show Where'), run: () => showMarkdownPage(vscode.Uri.from({ scheme: PAGE_SCHEME, path, query: String(Date.now()) })) };
}

/** The first three places of real names, as `file:line:column "name": context`. */
function describeHits(hits: readonly RealNameHit[]): string {
  const shown = hits.slice(0, 3).map((h) => `${h.file}:${h.line}:${h.column} "${h.name}": ${h.context}`);
  if (hits.length > 3) shown.push(vscode.l10n.t('… and {0} more', hits.length - 3));
  return shown.join('; ');
}

async function exportInput(s: ExportServices, project: ReportInput['project']): Promise<ReportInput> {
  await s.index.ready;
  // Every coder's codings: the analysis leaves out what blind mode hides (viewer), as the views do.
  const documents = s.index.documents(true);
  const texts = new Map<string, string | undefined>();
  await Promise.all(documents.map(async (d) => texts.set(d.path, await transcriptText(s.fs, d.path))));
  return { project, documents, memos: s.memos.list().map((e) => e.memo), textOf: (p) => texts.get(p), viewer: s.session.session.viewer };
}

async function exportKinds(s: ExportServices, kinds: ExportKind[]): Promise<ExportOutcome | undefined> {
  const project = s.project.project;
  if (!project) return sayNoProject();
  if (!project.codes.length) return sayNothingToExport();
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: progressTitle(kinds) },
    async (progress) => {
      // Read everything first: a broken pseudonym table or project stops the export before anything is written.
      const table = await readPseudonymTable(s.fs);
      const input = await exportInput(s, project);
      if (kinds.includes('report') && s.fs.root.scheme === 'file') {
        // The methods appendix sums up the codebook's history when the folder is in git (src/node/gitHistory.ts).
        progress.report({ message: vscode.l10n.t("reading the codebook's history from git") });
        const { history, note } = await historyForReport(s.fs.root.fsPath);
        if (history) input.history = history;
        if (note) output().warn(note);
      }
      progress.report({ message: vscode.l10n.t('rendering'), increment: 30 });
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
  const open = { title: main.endsWith('.html') ? vscode.l10n.t('Open Report') : vscode.l10n.t('Open'), run: () => openExport(s, main) };
  const reveal = { title: vscode.l10n.t('Reveal in Explorer'), run: () => vscode.commands.executeCommand('revealInExplorer', s.fs.uri(main)) };
  const folder = `${EXPORT_DIR}/`;
  if (outcome.realNames.length) {
    lastHits = outcome.realNames;
    const n = outcome.realNames.length;
    const where = describeHits(outcome.realNames);
    notify(
      'warning',
      n === 1
        ? vscode.l10n.t('Grounded: wrote {0} to {1}, but a real name from {2} still appears in 1 place: {3}. Fix it before you share the files.', names, folder, PSEUDONYM_FILE, where)
        : vscode.l10n.t('Grounded: wrote {0} to {1}, but a real name from {2} still appears in {3} places: {4}. Fix them before you share the files.', names, folder, PSEUDONYM_FILE, n, where),
      showWhere(),
      open,
    );
  } else {
    const replaced = outcome.table.names.length;
    const message =
      replaced === 0
        ? vscode.l10n.t('Grounded: wrote {0} to {1}.', names, folder)
        : replaced === 1
          ? vscode.l10n.t('Grounded: wrote {0} to {1} with the 1 name of {2} replaced by its pseudonym.', names, folder, PSEUDONYM_FILE)
          : vscode.l10n.t('Grounded: wrote {0} to {1} with the {2} names of {3} replaced by pseudonyms.', names, folder, replaced, PSEUDONYM_FILE);
    notify('info', message, open, reveal);
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

/** An export with no codes in the project: it would write empty files, so say what to do first. */
function sayNothingToExport(): undefined {
  notify(
    'info',
    vscode.l10n.t('Grounded: there is nothing to export yet: the project has no codes. Select words in a transcript and code them (Code Selection…), then export.'),
    { title: vscode.l10n.t('New Code…'), run: () => vscode.commands.executeCommand('grounded.newCode') },
  );
  return undefined;
}

/** The places where real names remain, as a Markdown page. */
function realNamesPage(hits: readonly RealNameHit[]): string {
  const lines = [
    `# ${vscode.l10n.t('Real names in the export')}`,
    '',
    vscode.l10n.t(
      'These words from {0} (or a word of a name in it) still appear in the files written to {1}. Add the form that was missed to the pseudonym table (**Grounded: Add Name to Pseudonym Table**), or change the text, and export again.',
      PSEUDONYM_FILE,
      `${EXPORT_DIR}/`,
    ),
    '',
  ];
  const header = [vscode.l10n.t('File'), vscode.l10n.t('Line'), vscode.l10n.t('Column'), vscode.l10n.t('Name'), vscode.l10n.t('Context')];
  lines.push(`| ${header.join(' | ')} |`, '| --- | --: | --: | --- | --- |');
  for (const h of hits) lines.push(`| ${escapeMarkdown(h.file)} | ${h.line} | ${h.column} | ${escapeMarkdown(h.name)} | ${escapeMarkdown(h.context)} |`);
  return lines.join('\n') + '\n';
}

async function openPseudonymTable(s: ExportServices): Promise<void> {
  if ((await s.fs.readText(PSEUDONYM_FILE)) === undefined) {
    await writeAtomic(s.fs, PSEUDONYM_FILE, serializePseudonyms(emptyPseudonymTable()));
    void vscode.window.showInformationMessage(
      vscode.l10n.t(
        'Grounded: created {0}. Real names (left) and the pseudonyms every export writes instead (right). It holds real names: consider keeping it out of git (.gitignore).',
        PSEUDONYM_FILE,
      ),
    );
  } else await readPseudonymTable(s.fs); // a broken file is reported with its line and column
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
  const table = await readPseudonymTable(s.fs);
  const editor = vscode.window.activeTextEditor;
  const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
  const real =
    args.real ??
    (await vscode.window.showInputBox({
      title: vscode.l10n.t('Grounded: Add Name to Pseudonym Table (1/2)'),
      prompt: vscode.l10n.t('A real name as it is written in the transcripts (a person, a place, a workplace)'),
      value: selected.length <= 60 ? selected : '',
      validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Type the real name')),
    }));
  if (!real?.trim()) return undefined;
  let pseudonym = args.pseudonym;
  const existing = table.names.find((e) => e.real.toLocaleLowerCase() === real.trim().toLocaleLowerCase());
  if (pseudonym === undefined) {
    const cases = (s.project.project?.cases ?? []).map((c) => c.pseudonym).sort();
    const NEW = `$(add) ${vscode.l10n.t('Another pseudonym…')}`;
    const title = vscode.l10n.t('Grounded: Pseudonym for "{0}" (2/2)', real.trim());
    const pick = cases.length
      ? await vscode.window.showQuickPick([...cases.map((label) => ({ label, description: vscode.l10n.t('case') })), { label: NEW }], {
          title,
          placeHolder: existing ? vscode.l10n.t('now: {0}', existing.pseudonym) : vscode.l10n.t('the pseudonym exports write instead'),
        })
      : { label: NEW };
    if (!pick) return undefined;
    pseudonym =
      pick.label === NEW
        ? await vscode.window.showInputBox({ title, value: existing?.pseudonym ?? '', validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Type a pseudonym')) })
        : pick.label;
  }
  if (!pseudonym?.trim()) return undefined;
  const matchCase = args.matchCase ?? (await askMatchCase(s, real.trim(), table));
  if (matchCase === undefined) return undefined;
  // Read again right before writing, so an edit made in the editor meanwhile is kept.
  const merged = setPseudonym(await readPseudonymTable(s.fs), real, pseudonym, matchCase);
  await writeAtomic(s.fs, PSEUDONYM_FILE, serializePseudonyms(merged));
  const [name, alias] = [real.trim(), pseudonym.trim()];
  notify(
    'info',
    existing && existing.pseudonym !== alias
      ? vscode.l10n.t('Grounded: exports now write "{0}" for "{1}" (before: "{2}").', alias, name, existing.pseudonym)
      : vscode.l10n.t('Grounded: exports now write "{0}" for "{1}".', alias, name),
    { title: vscode.l10n.t('Open Pseudonym Table'), run: () => openPseudonymTable(s) },
  );
  return merged;
}
