// The project file (grounded.json): codebook, cases and settings, loaded once and watched.
import * as vscode from 'vscode';
import type { Code, ProjectFile } from '../core/model';
import { PROJECT_FILE } from '../core/model';
import { ProjectStore } from '../core/store';
import { addCode } from '../core/project';
import { renameInProject } from '../core/rename';
import type { PathMove } from '../core/rename';
import type { Environment } from '../core/ports';
import { Disposable } from './disposable';
import { tellSaveConflicts } from './saveMerges';
import type { WorkspaceFileSystem } from './workspaceFs';

export class ProjectService extends Disposable {
  private store: ProjectStore | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /** The last load error (a corrupt grounded.json), shown to the user and never overwritten. */
  loadError: unknown;

  constructor(
    readonly fs: WorkspaceFileSystem,
    private readonly env: Environment,
  ) {
    super();
    const watcher = this.own(
      vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(fs.root, PROJECT_FILE)),
    );
    const reload = () => void this.refresh();
    // A change event for a write of this extension's own is not an outside change: nothing to re-read.
    const changedOnDisk = async () => {
      if (this.store?.exists && fs.isOwnWrite(PROJECT_FILE, await fs.readText(PROJECT_FILE).catch(() => undefined))) return;
      await this.refresh();
    };
    // An atomic write (a temporary file renamed over grounded.json) may be reported as a creation.
    this.own(watcher.onDidChange(() => void changedOnDisk()));
    this.own(watcher.onDidCreate(() => void changedOnDisk()));
    this.own(watcher.onDidDelete(reload));
  }

  get project(): ProjectFile | undefined {
    return this.store?.exists ? this.store.data : undefined;
  }

  get exists(): boolean {
    return this.project !== undefined;
  }

  /** Loads grounded.json; throws a FormatError (and keeps the file untouched) when it does not parse. */
  load(): Promise<void> {
    return this.serially(() => this.loadNow());
  }

  /**
   * Reads grounded.json again: after a change on disk, and before a decision that must not rest on a
   * file event that is late or lost (a busy file watcher). The store reads it in turn with its own
   * writes, so a change event for an earlier write can never put older data back over a newer edit.
   */
  refresh(): Promise<void> {
    return this.serially(async () => {
      if (!this.store) {
        await this.loadNow().catch(() => undefined);
        return;
      }
      try {
        await this.store.reload();
        this.loadError = undefined;
      } catch (err) {
        this.store = undefined;
        this.loadError = err;
      }
      this.changed.fire();
    });
  }

  initialize(name: string): Promise<void> {
    return this.serially(async () => {
      this.store = await ProjectStore.create(this.fs, name, this.env, { onMerge: tellSaveConflicts });
      this.changed.fire();
    });
  }

  /**
   * Loads, refreshes and initialisations run one at a time, in order: a load that read the file before
   * it was deleted can then never finish after (and over) a refresh that found it gone.
   */
  private serially<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadNow(): Promise<void> {
    try {
      this.store = await ProjectStore.open(this.fs, { onMerge: tellSaveConflicts });
      this.loadError = undefined;
    } catch (err) {
      this.store = undefined;
      this.loadError = err;
      this.changed.fire();
      throw err;
    }
    this.changed.fire();
  }

  codeById(id: string): Code | undefined {
    return this.project?.codes.find((c) => c.id === id);
  }

  async addCode(name: string, coder: string): Promise<Code> {
    const store = this.requireStore();
    let created: Code | undefined;
    await store.update((p) => {
      const result = addCode(p, { name }, coder, this.env);
      created = result.code;
      return result.project;
    });
    this.changed.fire();
    return created!;
  }

  /** Applies an edit of the codebook and writes grounded.json (merging with a newer file on disk). */
  async edit(change: (p: ProjectFile) => ProjectFile): Promise<void> {
    const store = this.requireStore();
    await store.update(change);
    this.changed.fire();
  }

  /** Cases follow their transcripts when those are renamed or moved. Writes only if a path changed. */
  async renameDocuments(moves: readonly PathMove[]): Promise<boolean> {
    if (!this.store?.exists || renameInProject(this.store.data, moves) === this.store.data) return false;
    await this.store.update((p) => renameInProject(p, moves));
    this.changed.fire();
    return true;
  }

  private requireStore(): ProjectStore {
    if (!this.store) throw new Error(vscode.l10n.t('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".'));
    return this.store;
  }
}
