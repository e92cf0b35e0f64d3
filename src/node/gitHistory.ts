// The codebook's history from git, shared by `grounded history`, `grounded report` and the extension
// (History page, Export Report): reads the versions of grounded.json from git and hands them to
// core/codebookHistory.ts. Node only (child_process), never imports `vscode`. Git is asked as little as
// possible: one `git rev-parse`, one `git log` of grounded.json, one `git cat-file --batch` for all its
// versions, and a `git diff` of the sidecars only for commits that removed a code (to tell a merge from
// a deletion).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as nodePath from 'node:path';
import { codesRemoved, codingMovesInDiff, commitChanges } from '../core/codebookHistory';
import type { CodingMove, HistoryEvent } from '../core/codebookHistory';
import { PROJECT_FILE, SIDECAR_SUFFIX } from '../core/model';
import type { ProjectFile } from '../core/model';
import { parseProject } from '../core/project';

export { eventsOfCode, formatHistory, historyJson, matchCode } from '../core/codebookHistory';

/** Why there is no history to read: git missing, no repository, no grounded.json, git failed, cancelled. */
export type HistoryProblem = 'noGit' | 'notRepository' | 'noProject' | 'gitFailed' | 'cancelled';

/**
 * What the user must fix (or know) before there is a history to show: its message (English, for the
 * command line: exit 2) and its `reason`, which the extension words in the user's language.
 */
export class HistoryError extends Error {
  constructor(
    message: string,
    readonly reason: HistoryProblem = 'gitFailed',
  ) {
    super(message);
  }
}

export interface HistoryOptions {
  /** stops git and rejects with a HistoryError whose reason is `cancelled` */
  signal?: AbortSignal;
}

export interface CodebookHistory {
  events: HistoryEvent[];
  /** each commit's short name (git's %h) and subject line by full hash, for the human output */
  commitInfo: Map<string, { short: string; subject: string }>;
  /** how many commits changed grounded.json */
  commits: number;
  /** notes for stderr: versions skipped, a shallow clone, uncommitted changes */
  notes: string[];
  /** the same notes as data, for the extension to word in the user's language */
  remarks: HistoryRemark[];
  /** grounded.json was never committed: there is no history yet */
  none: boolean;
}

/** A note on the history: a shallow clone, a commit that removed or broke grounded.json, uncommitted changes. */
export type HistoryRemark =
  | { kind: 'shallow' }
  | { kind: 'removed'; commit: string }
  | { kind: 'unreadable'; commit: string; error: string }
  | { kind: 'uncommitted' };

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

// git's messages in English (they are matched), no pager, no index refresh written by `git status`.
const gitEnv = () => ({ ...process.env, LC_ALL: 'C', LANGUAGE: 'C', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' });

function runGit(cwd: string, args: readonly string[], input?: string, signal?: AbortSignal): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new HistoryError('history: cancelled', 'cancelled'));
      return;
    }
    const child = execFile('git', args, { cwd, env: gitEnv(), encoding: 'buffer', maxBuffer: 1 << 30, signal }, (err, stdout, stderr) => {
      // err.code: the exit status when git ran, a string such as ENOENT when it could not be started
      const code = (err as { code?: unknown } | null)?.code;
      if (signal?.aborted) {
        reject(new HistoryError('history: cancelled', 'cancelled'));
      } else if (code === 'ENOENT') {
        reject(new HistoryError('history: git is not installed (or not on the PATH): the codebook history is read from git. Install git, then run this again.', 'noGit'));
      } else if (err && typeof code !== 'number') {
        reject(new HistoryError(`history: git ${args[0]} failed: ${err.message}`));
      } else {
        resolve({ code: typeof code === 'number' ? code : 0, stdout, stderr: stderr.toString('utf8') });
      }
    });
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

function failed(args: readonly string[], r: GitResult): HistoryError {
  return new HistoryError(`history: git ${args.join(' ')} failed: ${r.stderr.trim() || `exit status ${r.code}`}`);
}

interface LogEntry {
  commit: string;
  short: string;
  subject: string;
  parents: string[];
  author: string;
  date: string;
}

/** `git cat-file --batch` output: one blob (or "missing") per line of input, in order. */
function splitBatch(out: Buffer, count: number): (string | undefined)[] {
  const texts: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new HistoryError('history: git cat-file gave less than asked for');
    const header = out.toString('utf8', at, eol);
    at = eol + 1;
    const m = /^[0-9a-f]+ blob (\d+)$/.exec(header);
    if (!m) {
      texts.push(undefined); // "<name> missing": the file is not in that commit
      continue;
    }
    const size = Number(m[1]);
    texts.push(out.toString('utf8', at, at + size));
    at += size + 1;
  }
  return texts;
}

/**
 * The codebook's history of the project in `root` (the folder as the user named it: `where`), oldest
 * first: commits in git's author-date order, parents before children.
 */
export async function codebookHistory(root: string, where: string, options: HistoryOptions = {}): Promise<CodebookHistory> {
  const folder = where === '.' ? 'this folder' : where;
  const git = (cwd: string, args: readonly string[], input?: string) => runGit(cwd, args, input, options.signal);
  const revParse = ['rev-parse', '--is-shallow-repository', '--show-prefix'];
  const top = await git(root, revParse);
  if (top.code !== 0) {
    if (/not a git repository/i.test(top.stderr)) {
      throw new HistoryError(
        `history: ${folder} is not in a git repository, so there is no history to read. The codebook's history comes from git: ` +
          `run "git init", then commit grounded.json (and the sidecars) as you work.`,
        'notRepository',
      );
    }
    throw failed(revParse, top);
  }
  const [shallow, prefix = ''] = top.stdout.toString('utf8').split('\n');
  const notes: string[] = [];
  const remarks: HistoryRemark[] = [];
  if (shallow.trim() === 'true') remarks.push({ kind: 'shallow' });
  if (shallow.trim() === 'true') notes.push('this clone is shallow: changes before its oldest commit are not in it ("git fetch --unshallow" fetches them)');
  const onDisk = existsSync(nodePath.join(root, PROJECT_FILE));

  const logArgs = ['log', '--author-date-order', '--reverse', '--parents', '--format=%x1e%H%x00%P%x00%h%x00%an%x00%aI%x00%s', '--', PROJECT_FILE];
  const log = await git(root, logArgs);
  if (log.code !== 0) {
    const head = await git(root, ['rev-parse', '--verify', '--quiet', 'HEAD']);
    if (head.code === 0) throw failed(logArgs, log);
    log.stdout = Buffer.alloc(0); // a repository without commits yet
  }
  const entries: LogEntry[] = log.stdout
    .toString('utf8')
    .split('\x1e')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map((r) => {
      const [commit, parents, short, author, date, subject = ''] = r.split('\x00');
      return { commit, short, subject, parents: parents ? parents.split(' ') : [], author, date: new Date(date).toISOString() };
    });
  if (entries.length === 0) {
    if (!onDisk) throw new HistoryError(`history: no ${PROJECT_FILE} in ${folder}, nor in its git history: not a Grounded project folder`, 'noProject');
    return { events: [], commitInfo: new Map(), commits: 0, notes, remarks, none: true };
  }

  const batch = await git(root, ['cat-file', '--batch'], entries.map((e) => `${e.commit}:${prefix}${PROJECT_FILE}\n`).join(''));
  if (batch.code !== 0) throw failed(['cat-file', '--batch'], batch);
  const texts = splitBatch(batch.stdout, entries.length);

  // Each version is kept only until the last commit that compares with it has been read.
  const uses = new Map<string, number>();
  for (const e of entries) for (const p of e.parents) uses.set(p, (uses.get(p) ?? 0) + 1);
  const versions = new Map<string, ProjectFile | undefined>();
  const events: HistoryEvent[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    const known = e.parents.filter((p) => versions.has(p));
    const parents = known.map((p) => versions.get(p));
    for (const p of e.parents) {
      const left = (uses.get(p) ?? 1) - 1;
      uses.set(p, left);
      if (left <= 0) versions.delete(p);
    }
    let project: ProjectFile | undefined;
    const text = texts[i];
    if (text === undefined) {
      remarks.push({ kind: 'removed', commit: e.short });
      notes.push(`${e.short} removed ${PROJECT_FILE}; the next version that has it is compared with the one before`);
    } else {
      try {
        project = parseProject(text, `${e.short}:${PROJECT_FILE}`);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        remarks.push({ kind: 'unreadable', commit: e.short, error });
        notes.push(`${PROJECT_FILE} as of ${e.short} could not be read and was skipped: ${error}`);
      }
    }
    if (!project) {
      // Stands in for the last version read on its first line, so its children compare with that.
      if ((uses.get(e.commit) ?? 0) > 0) versions.set(e.commit, parents[0]);
      continue;
    }
    if ((uses.get(e.commit) ?? 0) > 0) versions.set(e.commit, project);
    let recoded: CodingMove[] = [];
    if (known.length && codesRemoved(parents[0], project).length) recoded = await sidecarMoves(git, root, known[0], e.commit);
    for (const change of commitChanges(parents, project, recoded)) {
      events.push({ commit: e.commit, date: e.date, author: e.author, ...change });
    }
  }

  const status = await git(root, ['status', '--porcelain', '--', PROJECT_FILE]);
  const uncommitted = status.code === 0 && status.stdout.length > 0;
  if (uncommitted) remarks.push({ kind: 'uncommitted' });
  if (uncommitted) notes.push(`${PROJECT_FILE} has changes that are not committed: they are not in this history`);
  return { events, commitInfo: new Map(entries.map((e) => [e.commit, { short: e.short, subject: e.subject }])), commits: entries.length, notes, remarks, none: false };
}

/** The codings whose code changed between two commits, in the sidecars of the project folder. */
async function sidecarMoves(git: (cwd: string, args: readonly string[]) => Promise<GitResult>, root: string, from: string, to: string): Promise<CodingMove[]> {
  const args = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--unified=0', from, to, '--', `*${SIDECAR_SUFFIX}`];
  const diff = await git(root, args);
  if (diff.code !== 0) throw failed(args, diff);
  return codingMovesInDiff(diff.stdout.toString('utf8'));
}

/** What the report's methods appendix sums up (core/report.ts ReportInput.history). */
export interface ReportHistory {
  events: HistoryEvent[];
  commits: number;
}

/**
 * The codebook's history for the report's methods appendix. No git, no repository or a grounded.json
 * never committed give no history (the appendix then says nothing of it); git failing too, with a `note`
 * saying why. Cancelling rejects.
 */
export async function historyForReport(root: string, options: HistoryOptions = {}): Promise<{ history?: ReportHistory; note?: string }> {
  try {
    const h = await codebookHistory(root, '.', options);
    return h.none ? {} : { history: { events: h.events, commits: h.commits } };
  } catch (err) {
    if (!(err instanceof HistoryError) || err.reason === 'cancelled') throw err;
    return err.reason === 'gitFailed' ? { note: err.message } : {};
  }
}
