// Transcripts renamed, moved or deleted inside VS Code (Explorer, drag and drop, a refactoring's
// WorkspaceEdit). A renamed transcript takes its sidecar along in the same operation; afterwards the
// paths recorded in the sidecar, in grounded.json's cases and in memos about the document follow.
// A deleted transcript's sidecar is kept (its codings are work), and the user is told where it is.
import * as vscode from 'vscode';
import { SIDECAR_SUFFIX } from '../core/model';
import { FormatError } from '../core/jsonError';
import { MemoStore, SidecarStore } from '../core/store';
import { isSidecarPath, parseSidecar, sidecarPathFor, transcriptPathFor } from '../core/sidecar';
import { renameInMemo, renameInSidecar } from '../core/rename';
import type { PathMove } from '../core/rename';
import type { CodingService } from './codings';
import { Disposable } from './disposable';
import { tellSaveConflicts } from './saveMerges';
import { notify, output, showError } from './errors';
import type { ProjectService } from './project';
import type { WorkspaceFileSystem } from './workspaceFs';
import { isCountedSuggestion } from '../core/suggestions';

/** Hash for a sidecar store opened only to rewrite an existing file (never used: a missing file is skipped). */
const NO_TEXT = `sha256:${'0'.repeat(64)}`;

export class TranscriptFiles extends Disposable {
  /** The last rename handled completely (paths rewritten), for tests and for anyone who waits on it. */
  lastRename: Promise<void> = Promise.resolve();

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly codings: CodingService,
    private readonly project: ProjectService,
  ) {
    super();
    this.own(vscode.workspace.onWillRenameFiles((e) => e.waitUntil(this.sidecarMoves(e.files))));
    this.own(
      vscode.workspace.onDidRenameFiles((e) => {
        this.lastRename = this.afterRename(e.files).catch((err) => showError(err, this.fs));
      }),
    );
    this.own(vscode.workspace.onDidDeleteFiles((e) => void this.afterDelete(e.files).catch((err) => showError(err, this.fs))));
  }

  /**
   * A WorkspaceEdit that moves the sidecar of every renamed file that has one, so the transcript and
   * its codings move in one operation (one undo). A folder needs none: its sidecars are inside it.
   */
  private async sidecarMoves(files: readonly { oldUri: vscode.Uri; newUri: vscode.Uri }[]): Promise<vscode.WorkspaceEdit> {
    const edit = new vscode.WorkspaceEdit();
    const moving = files.map((f) => f.oldUri.toString());
    for (const { oldUri, newUri } of files) {
      const oldSidecar = oldUri.with({ path: oldUri.path + SIDECAR_SUFFIX });
      const newSidecar = newUri.with({ path: newUri.path + SIDECAR_SUFFIX });
      // Moved by the user in the same operation (both selected), or inside a moved folder: nothing to add.
      if (moving.some((m) => oldSidecar.toString() === m || oldSidecar.toString().startsWith(`${m}/`))) continue;
      if (isSidecarPath(oldUri.path) || !(await isFile(oldUri)) || !(await isFile(oldSidecar))) continue;
      if (await exists(newSidecar)) {
        // Never overwrite another transcript's codings: the sidecar stays where it is, and the user is told.
        notify(
          'warning',
          vscode.l10n.t('Grounded: {0} already exists, so the codings of {1} stayed in {2}. Move or merge them by hand.', this.name(newSidecar), this.name(oldUri), this.name(oldSidecar)),
        );
        continue;
      }
      edit.renameFile(oldSidecar, newSidecar, { overwrite: false });
    }
    return edit;
  }

  private async afterRename(files: readonly { oldUri: vscode.Uri; newUri: vscode.Uri }[]): Promise<void> {
    const moves: PathMove[] = [];
    const sidecars = new Set<string>();
    for (const { oldUri, newUri } of files) {
      this.codings.forget(oldUri);
      const from = this.fs.relative(oldUri);
      const to = this.fs.relative(newUri);
      if (from === undefined || to === undefined || isSidecarPath(from)) continue;
      moves.push({ from, to });
      if (await isFile(newUri)) {
        sidecars.add(sidecarPathFor(to));
        await this.checkSidecarFollowed(from, to);
      } else {
        for (const path of await this.fs.list(to)) if (isSidecarPath(path)) sidecars.add(path);
      }
    }
    if (moves.length === 0) return;
    for (const path of sidecars) await this.renameInSidecarFile(path, moves);
    await this.project.renameDocuments(moves);
    await this.renameInMemos(moves);
  }

  /**
   * VS Code asks the user before it applies an extension's edit during a rename; declined (or failed),
   * the transcript moved without its sidecar. Say so, and offer to move it now.
   */
  private async checkSidecarFollowed(from: string, to: string): Promise<void> {
    const oldSidecar = this.fs.uri(sidecarPathFor(from));
    const newSidecar = this.fs.uri(sidecarPathFor(to));
    if (!(await isFile(oldSidecar)) || (await exists(newSidecar)) || (await exists(this.fs.uri(from)))) return;
    notify('warning', vscode.l10n.t('Grounded: {0} was renamed, but its codings stayed in {1}.', to, sidecarPathFor(from)), {
      title: vscode.l10n.t('Move Sidecar'),
      run: async () => {
        await vscode.workspace.fs.rename(oldSidecar, newSidecar, { overwrite: false });
        await this.renameInSidecarFile(sidecarPathFor(to), [{ from, to }]);
      },
    });
  }

  /** Rewrites `document.path` in a sidecar that moved; a sidecar that does not parse is left as it is. */
  private async renameInSidecarFile(path: string, moves: readonly PathMove[]): Promise<void> {
    const transcript = transcriptPathFor(path);
    const store = await SidecarStore.open(this.fs, transcript, { documentHash: NO_TEXT, onMerge: tellSaveConflicts });
    if (!store.exists || renameInSidecar(store.data, moves) === store.data) return;
    await store.update((sidecar) => renameInSidecar(sidecar, moves));
    // An open transcript may have loaded the sidecar before its path was rewritten.
    const uri = this.fs.uri(transcript);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (document) {
      await this.codings.load(document).catch(() => undefined);
      await this.codings.reloadSidecar(uri);
    }
  }

  private async renameInMemos(moves: readonly PathMove[]): Promise<void> {
    const memos = new MemoStore(this.fs);
    const { memos: entries } = await memos.list(); // memos that do not parse are not touched
    for (const { path, memo } of entries) {
      const renamed = renameInMemo(memo, moves);
      if (renamed !== memo) {
        const result = await memos.write(path, renamed);
        if (result.conflict) output().warn(`memo ${path} changed meanwhile; the renamed target went to ${result.path}`);
      }
    }
  }

  /** A deleted transcript's sidecar is kept; the user is told where, with how many codings, and may delete it too. */
  private async afterDelete(files: readonly vscode.Uri[]): Promise<void> {
    for (const uri of files) {
      const rel = this.fs.relative(uri);
      if (rel === undefined || isSidecarPath(rel)) continue;
      const sidecar = sidecarPathFor(rel);
      const text = await this.fs.readText(sidecar);
      if (text === undefined) continue;
      let count: string;
      try {
        const n = parseSidecar(text, sidecar).codings.filter(isCountedSuggestion).length; // pending and rejected AI suggestions are no codings
        count = n === 1 ? vscode.l10n.t('1 coding') : vscode.l10n.t('{0} codings', n);
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
        count = vscode.l10n.t('codings (it does not parse: see the file)');
      }
      const sidecarUri = this.fs.uri(sidecar);
      notify(
        'warning',
        vscode.l10n.t('Grounded: {0} was deleted. Its sidecar {1} was kept, with {2}.', rel, sidecar, count),
        {
          title: vscode.l10n.t('Open Sidecar'),
          run: async () => {
            await vscode.commands.executeCommand('revealInExplorer', sidecarUri);
            await vscode.window.showTextDocument(sidecarUri, { preview: true });
          },
        },
        { title: vscode.l10n.t('Delete Sidecar…'), run: () => this.deleteSidecar(uri, sidecar, count) },
      );
    }
  }

  private async deleteSidecar(transcript: vscode.Uri, sidecar: string, count: string): Promise<void> {
    const remove = vscode.l10n.t('Delete Sidecar');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Delete {0} with its {1}? It is moved to the trash.', sidecar, count),
      { modal: true },
      remove,
    );
    if (choice !== remove) return;
    this.codings.forget(transcript);
    await vscode.workspace.fs.delete(this.fs.uri(sidecar), { useTrash: true });
  }

  private name(uri: vscode.Uri): string {
    return this.fs.relative(uri) ?? uri.fsPath;
  }
}

async function stat(uri: vscode.Uri): Promise<vscode.FileStat | undefined> {
  try {
    return await vscode.workspace.fs.stat(uri);
  } catch {
    return undefined;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return (await stat(uri)) !== undefined;
}

async function isFile(uri: vscode.Uri): Promise<boolean> {
  const s = await stat(uri);
  return s !== undefined && (s.type & vscode.FileType.File) !== 0;
}
