// The codebook's history in the editor: "Show Codebook History" (the project's timeline) and "Show
// History of Code" (one code's, from the Codes view's context menu) as read-only Markdown pages
// (`grounded-history:`), read from git by src/node/gitHistory.ts, the reader `grounded history` uses.
import * as vscode from 'vscode';
import { eventsOfCode } from '../core/codebookHistory';
import type { HistoryEvent } from '../core/codebookHistory';
import { escapeMarkdown } from '../core/segmentList';
import { codebookHistory, HistoryError } from '../node/gitHistory';
import type { CodebookHistory, HistoryRemark } from '../node/gitHistory';
import { ActionableError, notify, output } from './errors';
import { showMarkdownPage } from './markdownPage';
import type { ProjectService } from './project';
import { sayNoProject } from './wayForward';
import type { WorkspaceFileSystem } from './workspaceFs';

export const HISTORY_SCHEME = 'grounded-history';

export interface HistoryServices {
  project: ProjectService;
  fs: WorkspaceFileSystem;
  /** the code selected in the Codes view (`Alt+Q H` there passes no argument) */
  selectedCodeId: () => string | undefined;
  subscriptions: vscode.Disposable[];
}

/** A code as the Codes view or a keybinding passes it: `{ codeId }`, a tree element with `.code`, or an id. */
type CodeArg = string | { codeId?: string; code?: { id?: string } } | undefined;

/** The pages shown, by uri: each read again when its command runs again. */
class HistoryPages implements vscode.TextDocumentContentProvider {
  private readonly pages = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  set(uri: vscode.Uri, text: string): void {
    this.pages.set(uri.toString(), text);
    this.changed.fire(uri);
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.pages.get(uri.toString()) ?? `# ${vscode.l10n.t('Gone')}\n\n${vscode.l10n.t('This page belonged to an earlier session.')}\n`;
  }
  dispose(): void {
    this.changed.dispose();
  }
}

export function createHistoryCommands(s: HistoryServices): Record<string, (...args: never[]) => unknown> {
  const pages = new HistoryPages();
  s.subscriptions.push(pages, vscode.workspace.registerTextDocumentContentProvider(HISTORY_SCHEME, pages));

  /** Shows a page (made again if it is open already) and returns its uri. */
  async function show(title: string, text: string): Promise<vscode.Uri> {
    const uri = vscode.Uri.from({ scheme: HISTORY_SCHEME, path: `/${title.replace(/[\\/]/g, '-')}.md` });
    // A page open already gets the new text through onDidChange; wait for it (briefly at most), so
    // that the page shown, and the document returned, are of this reading.
    const key = uri.toString();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    const updated =
      open && open.getText() !== text
        ? new Promise<void>((resolve) => {
            const done = () => {
              sub.dispose();
              clearTimeout(timer);
              resolve();
            };
            const sub = vscode.workspace.onDidChangeTextDocument((e) => e.document.uri.toString() === key && e.document.getText() === text && done());
            const timer = setTimeout(done, 3000);
          })
        : undefined;
    pages.set(uri, text);
    await updated;
    await showMarkdownPage(uri);
    return uri;
  }

  return {
    /** The project's codebook history as a page; its uri, or undefined when there is none (said why). */
    'grounded.showCodebookHistory': async (): Promise<vscode.Uri | undefined> => {
      const project = s.project.project;
      if (!project) return sayNoProject();
      const history = await readHistory(s.fs);
      if (!history) return undefined;
      const title = vscode.l10n.t('Codebook history of {0}', project.project.name);
      return show(title, historyPage(title, history, history.events));
    },
    /** One code's history as a page (the clicked code, `{ codeId }`, the Codes view's selection, else a pick of the codebook). */
    'grounded.showCodeHistory': async (arg?: CodeArg): Promise<vscode.Uri | undefined> => {
      const project = s.project.project;
      if (!project) return sayNoProject();
      let codeId = (typeof arg === 'string' ? arg : (arg?.codeId ?? arg?.code?.id)) ?? s.selectedCodeId();
      if (!codeId) {
        if (!project.codes.length) {
          throw new ActionableError(vscode.l10n.t('The codebook is empty: select words in a transcript and code them, or add a code.'), [
            { title: vscode.l10n.t('New Code…'), run: () => vscode.commands.executeCommand('grounded.newCode') },
          ]);
        }
        const items = [...project.codes].sort((a, b) => a.name.localeCompare(b.name)).map((c) => ({ label: c.name, code: c }));
        const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Grounded: Show History of Code'), placeHolder: vscode.l10n.t('Pick a code') });
        if (!picked) return undefined;
        codeId = picked.code.id;
      }
      const code = s.project.codeById(codeId);
      if (!code) throw new Error(vscode.l10n.t('No code with id {0}.', codeId));
      const history = await readHistory(s.fs);
      if (!history) return undefined;
      const events = eventsOfCode(history.events, code.id);
      if (!events.length) {
        notify(
          'info',
          vscode.l10n.t(
            'Grounded: "{0}" has no history yet: no commit of grounded.json has it. Commit grounded.json (and the sidecars) and its changes will be listed here.',
            code.name,
          ),
        );
        return undefined;
      }
      const title = vscode.l10n.t('History of the code {0}', code.name);
      return show(title, historyPage(title, history, events));
    },
  };
}

/**
 * Reads the history with a progress notification that can be cancelled. Undefined, with a message
 * saying why and what to do, when there is none: no git, no repository, never committed, cancelled.
 */
async function readHistory(fs: WorkspaceFileSystem): Promise<CodebookHistory | undefined> {
  if (fs.root.scheme !== 'file') {
    notify('warning', vscode.l10n.t("Grounded: the codebook's history is read with git, which needs the project folder on this computer's disk; {0} is not.", fs.root.toString()));
    return undefined;
  }
  let history: CodebookHistory;
  try {
    history = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t("Grounded: reading the codebook's history from git…"), cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const cancelled = token.onCancellationRequested(() => abort.abort());
        try {
          return await codebookHistory(fs.root.fsPath, '.', { signal: abort.signal });
        } finally {
          cancelled.dispose();
        }
      },
    );
  } catch (err) {
    if (!(err instanceof HistoryError)) throw err;
    if (err.reason === 'cancelled') return undefined;
    output().warn(err.message);
    notify('warning', historyProblem(err));
    return undefined;
  }
  for (const note of history.notes) output().info(`history: ${note}`);
  if (history.none) {
    notify(
      'info',
      vscode.l10n.t('Grounded: no history yet: grounded.json has never been committed. Commit it (with the sidecars) in Source Control, and the changes to the codebook will be listed here.'),
      { title: vscode.l10n.t('Open Source Control'), run: () => vscode.commands.executeCommand('workbench.view.scm') },
    );
    return undefined;
  }
  return history;
}

/** A note on the history in the user's language. */
function remarkText(r: HistoryRemark): string {
  switch (r.kind) {
    case 'shallow':
      return vscode.l10n.t('This clone is shallow: changes before its oldest commit are not in it ("git fetch --unshallow" fetches them).');
    case 'removed':
      return vscode.l10n.t('Commit {0} removed grounded.json; the next version that has it is compared with the one before.', r.commit);
    case 'unreadable':
      return vscode.l10n.t('grounded.json as of commit {0} could not be read and was skipped: {1}', r.commit, r.error);
    case 'uncommitted':
      return vscode.l10n.t('grounded.json has changes that are not committed: they are not in this history.');
  }
}

/** What the user reads when the history cannot be read, and what to do. */
function historyProblem(err: HistoryError): string {
  switch (err.reason) {
    case 'noGit':
      return vscode.l10n.t("Grounded: git is not installed (or not on the PATH), and the codebook's history is read from git. Install git, then try again.");
    case 'notRepository':
      return vscode.l10n.t(
        "Grounded: the project folder is not in a git repository, so there is no history to read. The codebook's history comes from git: initialise a repository (Source Control: Initialize Repository, or git init), then commit grounded.json and the sidecars as you work.",
      );
    case 'noProject':
      return vscode.l10n.t('Grounded: there is no grounded.json in the project folder, nor in its git history.');
    default:
      return vscode.l10n.t("Grounded: git could not read the codebook's history: {0}", err.message.replace(/^history: /, ''));
  }
}

/** The page: a heading, a line of what it holds, the notes, then each commit (UTC) with its changes. */
function historyPage(title: string, history: CodebookHistory, events: readonly HistoryEvent[]): string {
  const lines = [`# ${escapeMarkdown(title)}`, ''];
  const commits = new Set(events.map((e) => e.commit)).size;
  if (!events.length) {
    lines.push(
      history.commits === 1
        ? vscode.l10n.t('No changes to the codes in the 1 commit of grounded.json.')
        : vscode.l10n.t('No changes to the codes in the {0} commits of grounded.json.', history.commits),
    );
  } else {
    lines.push(
      events.length === 1 && commits === 1
        ? vscode.l10n.t('1 change in 1 commit, oldest first; times in UTC.')
        : vscode.l10n.t('{0} changes in {1} commits, oldest first; times in UTC.', events.length, commits),
    );
  }
  for (const remark of history.remarks) lines.push('', `> ${escapeMarkdown(remarkText(remark))}`);
  let last: string | undefined;
  for (const e of events) {
    if (e.commit !== last) {
      last = e.commit;
      const info = history.commitInfo.get(e.commit);
      const short = info?.short ?? e.commit.slice(0, 7);
      const subject = info?.subject ? ` — ${escapeMarkdown(info.subject)}` : '';
      lines.push('', `## ${e.date.slice(0, 10)} ${e.date.slice(11, 16)} · ${escapeMarkdown(e.author)} · \`${short}\`${subject}`, '');
    }
    lines.push(`- ${describe(e)}`);
  }
  return lines.join('\n') + '\n';
}

/** A name or description on the page: Markdown escaped, a long one cut; the quotation marks are the message's. */
const q = (s: string | null): string => (s === null ? '' : escapeMarkdown(s.length > 60 ? `${s.slice(0, 59)}…` : s));

/** One change in words (the localised counterpart of core's describeChange). */
function describe(e: HistoryEvent): string {
  const name = q(e.name);
  switch (e.kind) {
    case 'created':
      return e.to === null ? vscode.l10n.t('created "{0}"', name) : vscode.l10n.t('created "{0}" under "{1}"', name, q(e.to));
    case 'promoted':
      return e.relatedId && e.to !== null && e.to.trim().toLowerCase() === e.name.trim().toLowerCase()
        ? vscode.l10n.t('promoted "{0}" to a category (the code is now its subcode)', name)
        : vscode.l10n.t('promoted "{0}" to a category (first subcode "{1}")', name, q(e.to));
    case 'renamed':
      return vscode.l10n.t('renamed "{0}" to "{1}"', q(e.from), name);
    case 'recoloured':
      return vscode.l10n.t('recoloured "{0}" from {1} to {2}', name, e.from ?? '', e.to ?? '');
    case 'described':
      return e.to === null ? vscode.l10n.t('removed the description of "{0}"', name) : vscode.l10n.t('described "{0}": "{1}"', name, q(e.to));
    case 'moved':
      if (e.to === null) return vscode.l10n.t('moved "{0}" from "{1}" to the top level', name, q(e.from));
      return e.from === null ? vscode.l10n.t('moved "{0}" under "{1}" (from the top level)', name, q(e.to)) : vscode.l10n.t('moved "{0}" under "{1}" (from "{2}")', name, q(e.to), q(e.from));
    case 'focused':
      return vscode.l10n.t('marked "{0}" as a focused code', name);
    case 'unfocused':
      return vscode.l10n.t('unmarked "{0}" as a focused code', name);
    case 'merged':
      return vscode.l10n.t('merged "{0}" into "{1}"', name, q(e.to));
    case 'deleted':
      return vscode.l10n.t('deleted "{0}"', name);
  }
}
