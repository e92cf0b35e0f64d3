// Memos under memos/ (core MemoStore), listed once and re-read when a memo file changes on disk
// (git, the normal editor, another window). One event for the views after every change.
import * as vscode from 'vscode';
import { MEMO_DIR } from '../core/model';
import type { Memo, MemoTarget } from '../core/model';
import { memoTargetToString } from '../core/memo';
import type { Environment } from '../core/ports';
import { MemoStore } from '../core/store';
import type { MemoEntry, MemoWriteResult } from '../core/store';
import type { FormatError } from '../core/jsonError';
import { Disposable } from './disposable';
import type { WorkspaceFileSystem } from './workspaceFs';

export class MemoService extends Disposable {
  readonly store: MemoStore;
  private entries: MemoEntry[] = [];
  private problems: FormatError[] = [];
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  /** Fires (debounced) after the list of memos or a memo's text changed. */
  readonly onDidChange = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> = Promise.resolve();
  readonly ready: Promise<void>;

  constructor(
    readonly fs: WorkspaceFileSystem,
    private readonly env: Environment,
    onConflict: (result: MemoWriteResult) => void,
  ) {
    super();
    this.store = new MemoStore(fs, { env, onConflict });
    const watcher = this.own(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(fs.root, `${MEMO_DIR}/**/*.md`)));
    const reload = () => this.reloadSoon();
    this.own(watcher.onDidChange(reload));
    this.own(watcher.onDidCreate(reload));
    this.own(watcher.onDidDelete(reload));
    this.ready = this.reload();
  }

  /** Every memo that parses, sorted by path. */
  list(): readonly MemoEntry[] {
    return this.entries;
  }

  /** Memo files that do not parse (shown in the board, never overwritten). */
  errors(): readonly FormatError[] {
    return this.problems;
  }

  /** The memos about one target, most recently modified first. */
  about(target: MemoTarget): MemoEntry[] {
    const key = memoTargetToString(target);
    return this.entries.filter((e) => memoTargetToString(e.memo.target) === key).sort((a, b) => (a.memo.modified < b.memo.modified ? 1 : a.memo.modified > b.memo.modified ? -1 : 0));
  }

  entry(path: string): MemoEntry | undefined {
    return this.entries.find((e) => e.path === path);
  }

  /** A new memo file about `target`, named after `label`. */
  async create(target: MemoTarget, label: string, body: string, author: string): Promise<MemoWriteResult> {
    const now = this.env.now();
    const memo: Memo = { id: this.env.newId(), target, author, created: now, modified: now, body };
    const result = await this.store.create(memo, label);
    this.remember(result);
    return result;
  }

  /**
   * Saves a new body into an existing memo file (its `modified` becomes now). `startedFrom` is the body
   * the editor showed before the edit: if the file holds another body by now (edited in the text
   * editor, a git pull), the new text goes to a conflict copy instead of over that change.
   */
  async save(path: string, body: string, startedFrom?: string): Promise<MemoWriteResult> {
    const current = this.entry(path)?.memo ?? (await this.store.read(path));
    if (!current) throw new Error(vscode.l10n.t('The memo {0} no longer exists.', path));
    if (current.body === body.replace(/\r\n?/g, '\n')) return { path, memo: current, written: false };
    const result = await this.store.write(path, { ...current, body, modified: this.env.now() }, startedFrom);
    this.remember(result);
    return result;
  }

  private remember(result: MemoWriteResult): void {
    this.entries = [...this.entries.filter((e) => e.path !== result.path), { path: result.path, memo: result.memo }].sort((a, b) => (a.path < b.path ? -1 : 1));
    this.changed.fire();
  }

  reloadSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), 150);
  }

  reload(): Promise<void> {
    this.loading = this.loading.then(async () => {
      try {
        const { memos, errors } = await this.store.list();
        this.entries = memos;
        this.problems = errors;
      } catch {
        this.entries = [];
      }
      this.changed.fire();
    });
    return this.loading;
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}
