// Every transcript of the workspace with its codings, kept in the project session's document table
// (core/documents.ts): sidecars read from disk, the live codings of transcripts open in an editor (fed
// from CodingService's events), whether each transcript exists; kept current through the one sidecar
// watcher and the one transcript watcher. Outside changes fire one debounced event.
import * as vscode from 'vscode';
import { FormatError } from '../core/jsonError';
import { isSidecarPath, parseSidecar, sidecarPathFor, transcriptPathFor } from '../core/sidecar';
import { isTranscriptPath } from '../core/transcripts';
import { DocumentTable } from '../core/documents';
import type { TableDocument } from '../core/documents';
import type { CodingService } from './codings';
import { transcriptGlobs } from './config';
import { Disposable } from './disposable';
import type { WorkspaceFileSystem } from './workspaceFs';

export type IndexedDocument = TableDocument<FormatError>;

export class WorkspaceIndex extends Disposable {
  /** the documents the project session holds (ProjectSession.documents) */
  readonly table = new DocumentTable<FormatError>();
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  /** Fires (debounced) when any transcript's codings or the set of transcripts changed. */
  readonly onDidChange = this.changed.event;
  private readonly failed = this.own(new vscode.EventEmitter<unknown>());
  /** Fires when a sidecar changed on disk could not be taken over by its open transcript. */
  readonly onDidFail = this.failed.event;
  private readonly transcriptChanged = this.own(new vscode.EventEmitter<string>());
  /** Fires with a file's path when it was created, changed or deleted on disk (not sidecars). */
  readonly onDidChangeFile = this.transcriptChanged.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scan: Promise<void> | undefined;

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly codings: CodingService,
  ) {
    super();
    // The live codings of open transcripts: typing and the session's writes only update the table (the
    // session tells the views about its own writes); a change from elsewhere (loaded, re-anchored,
    // reloaded from disk) is news.
    const live = (uri: vscode.Uri) => {
      const rel = fs.relative(uri);
      if (rel !== undefined) this.table.setLive(rel, codings.peek(uri));
      return rel;
    };
    this.own(codings.onDidShift((uri) => void live(uri)));
    this.own(codings.onDidWrite((uri) => void live(uri)));
    this.own(codings.onDidUnload((uri) => void live(uri)));
    this.own(
      codings.onDidChange((uri) => {
        if (uri.toString() === fs.root.toString()) return this.fireSoon('blind mode');
        this.fireSoon(`open transcript: ${live(uri) ?? uri.toString()}`);
      }),
    );
    // The one sidecar watcher: a change made outside (git, another window) is read once, here, and handed
    // to the open transcript's codings; a change event for this extension's own write is only recorded.
    const sidecars = this.own(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(fs.root, '**/*.codes.json')));
    const reread = (uri: vscode.Uri) => {
      const rel = fs.relative(uri);
      if (!rel || !isSidecarPath(rel)) return;
      void this.readSidecar(rel)
        .then(async (own) => {
          if (own) return;
          await codings.reloadSidecar(fs.uri(transcriptPathFor(rel)));
          this.fireSoon(`sidecar changed: ${rel}`);
        })
        .catch((err) => this.failed.fire(err));
    };
    this.own(sidecars.onDidChange(reread));
    this.own(sidecars.onDidCreate(reread));
    this.own(
      sidecars.onDidDelete((uri) => {
        const rel = fs.relative(uri);
        if (rel) this.table.deleteStored(transcriptPathFor(rel));
        this.fireSoon(`sidecar deleted: ${rel}`);
      }),
    );
    // The one transcript watcher: a transcript created or deleted outside the editor decides whether its
    // sidecar's codings count (a sidecar without its transcript counts nothing), and a changed text is
    // handed on to those who keep texts (EditorSession's speaker turns).
    const files = this.own(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(fs.root, '**/*')));
    const onFile = (uri: vscode.Uri, exists: boolean | undefined) => {
      const rel = fs.relative(uri);
      if (!rel || isSidecarPath(rel)) return;
      if (exists !== undefined && this.table.setFile(rel, exists)) this.fireSoon(`transcript ${exists ? 'created' : 'deleted'}: ${rel}`);
      this.transcriptChanged.fire(rel);
    };
    this.own(files.onDidCreate((uri) => onFile(uri, true)));
    this.own(files.onDidDelete((uri) => onFile(uri, false)));
    this.own(files.onDidChange((uri) => onFile(uri, undefined)));
    const rescan = () => void this.refresh();
    this.own(vscode.workspace.onDidCreateFiles(rescan));
    this.own(vscode.workspace.onDidDeleteFiles(rescan));
    this.own(vscode.workspace.onDidRenameFiles(rescan));
    this.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('grounded.transcripts')) rescan();
      }),
    );
  }

  /** Resolves once the first scan of the workspace is done. */
  get ready(): Promise<void> {
    return this.scan ?? this.refresh();
  }

  /** Scans the workspace again: every transcript and every sidecar. */
  refresh(): Promise<void> {
    const run = (async () => {
      const files = await this.fs.list('');
      const globs = transcriptGlobs();
      const sidecars = files.filter(isSidecarPath);
      this.table.scanned(files, files.filter((f) => isTranscriptPath(f, globs)), new Set(sidecars.map(transcriptPathFor)));
      await Promise.all(sidecars.map((s) => this.readSidecar(s)));
      this.fireSoon();
    })();
    this.scan = run;
    return run;
  }

  /**
   * Reads one transcript's sidecar again now (after the project session wrote it), without waiting for
   * the watcher, and without an event: the session tells the views itself.
   */
  async reload(transcriptPath: string): Promise<void> {
    await this.readSidecar(sidecarPathFor(transcriptPath));
  }

  /** Reads a sidecar into the index; true when it holds what this extension wrote itself (no news). */
  private async readSidecar(sidecarPath: string): Promise<boolean> {
    const transcript = transcriptPathFor(sidecarPath);
    try {
      const text = await this.fs.readText(sidecarPath);
      if (text === undefined) this.table.deleteStored(transcript);
      else this.table.setStored(transcript, parseSidecar(text, sidecarPath).codings);
      // A transcript written a moment before its sidecar may not have reached the watcher yet.
      if (text !== undefined && !this.table.hasFile(transcript) && (await this.fs.exists(transcript))) this.table.setFile(transcript, true);
      return this.fs.isOwnWrite(sidecarPath, text);
    } catch (err) {
      if (err instanceof FormatError) this.table.setStored(transcript, [], err);
      else throw err;
      return false;
    }
  }

  /** What the next change event gathers (for diagnostics: EditorSession.causes). */
  private reasons = new Set<string>();

  /** Why the last change event fired. */
  lastReasons: string[] = [];

  private fireSoon(reason = 'scan'): void {
    this.reasons.add(reason);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastReasons = [...this.reasons];
      this.reasons.clear();
      this.changed.fire();
    }, 50);
  }

  /** Workspace-relative paths of all transcripts, sorted. */
  get transcripts(): readonly string[] {
    return this.table.transcripts;
  }

  /**
   * One transcript: the live codings if it is open in an editor, else those in its sidecar. In blind
   * mode only the user's own, unless `everyone` (codebook edits must reach every coder's codings).
   */
  document(path: string, everyone = false): IndexedDocument {
    return this.table.document(path, everyone ? undefined : this.codings.blindFor);
  }

  /** Every transcript with its codings, sorted by path (see `document` for blind mode and `everyone`). */
  documents(everyone = false): IndexedDocument[] {
    return this.table.documents(everyone ? undefined : this.codings.blindFor);
  }

  /** Where the sidecar of a transcript lives. */
  sidecarUri(path: string): vscode.Uri {
    return this.fs.uri(sidecarPathFor(path));
  }
}
