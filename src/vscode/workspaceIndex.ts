// Every transcript of the project with its codings, kept in the project session's document table
// (core/documents.ts): sidecars read from disk, the live codings of transcripts open in an editor (fed
// from CodingService's events), whether each transcript exists. The folder is searched once (findFiles,
// honouring files.exclude and search.exclude: core/projectFiles.ts); afterwards each created, deleted or
// renamed path is added or taken away alone, from the one sidecar watcher, the one file watcher and the
// editor's own file operations. Outside changes fire one debounced event.
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { FormatError } from '../core/jsonError';
import { isSidecarPath, parseSidecar, sidecarPathFor, transcriptPathFor } from '../core/sidecar';
import { SIDECAR_SUFFIX } from '../core/model';
import { stringSharer } from '../core/text';
import { isLockPath } from '../core/lock';
import { ProjectListing } from '../core/projectFiles';
import { DocumentTable, sameDocument } from '../core/documents';
import type { TableDocument } from '../core/documents';
import type { Coding } from '../core/model';
import type { CodingService } from './codings';
import { Disposable } from './disposable';
import { affectsFileRules, fileRules } from './fileRules';
import type { WorkspaceFileSystem } from './workspaceFs';

export type IndexedDocument = TableDocument<FormatError>;

/**
 * A file's times come from a coarse clock (behind the real time by up to a few milliseconds): a sidecar
 * changed less than this long before a read began may have changed while it was read.
 */
const SETTLED = 100;

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
  /** the transcripts and sidecars found, kept current one path at a time */
  private readonly listing: ProjectListing;
  /**
   * One string per code id and per coder name, for every coding held: each sidecar's text is parsed into
   * strings of its own, and 100,000 codings would otherwise hold 100,000 copies of a few hundred values.
   */
  private readonly share = stringSharer();
  /** per transcript, the hash of the text its stored codings are anchored to, and when the index began to read its sidecar (ms since the epoch) */
  private readonly anchors = new Map<string, { hash: string; readFrom: number }>();

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly codings: CodingService,
  ) {
    super();
    this.listing = new ProjectListing(fileRules(fs.root));
    // The live codings of open transcripts: typing and the session's writes only update the table (the
    // session tells the views about its own writes); a change from elsewhere (loaded, re-anchored,
    // reloaded from disk) is news, unless the transcript counts as it did (opened with the codings its
    // sidecar holds: no view changes, and the analysis of the whole project is not redone).
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
        const rel = fs.relative(uri);
        const before = rel === undefined ? undefined : this.table.document(rel);
        live(uri);
        if (rel !== undefined && before && sameDocument(before, this.table.document(rel))) return;
        this.fireSoon(`open transcript: ${rel ?? uri.toString()}`);
      }),
    );
    // The one sidecar watcher: a change made outside (git, another window) is read once, here, and handed
    // to the open transcript's codings; a change event for this extension's own write is only recorded.
    const sidecars = this.own(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(fs.root, `**/*${SIDECAR_SUFFIX}`)));
    this.own(sidecars.onDidChange((uri) => this.reread(uri)));
    this.own(sidecars.onDidCreate((uri) => this.reread(uri)));
    this.own(sidecars.onDidDelete((uri) => this.deleted(uri)));
    // The one transcript watcher: a file created or deleted outside the editor is added to or taken from
    // the list (a sidecar without its transcript counts nothing), and a changed text is handed on to those
    // who keep texts (EditorSession's speaker turns).
    const files = this.own(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(fs.root, '**/*')));
    const onFile = (uri: vscode.Uri, change: 'created' | 'deleted' | 'changed') => {
      const rel = fs.relative(uri);
      if (!rel || isSidecarPath(rel) || isLockPath(rel)) return; // a save's lock (core/lock.ts) comes and goes
      if (change === 'created') {
        this.created(uri);
        // The watcher may tell of a file that is gone again: its folder, created and renamed or deleted
        // at once, had both its events merged away while the file's own creation remained.
        void vscode.workspace.fs.stat(uri).then(undefined, () => this.deleted(uri));
      }
      if (change === 'deleted') this.deleted(uri);
      this.transcriptChanged.fire(rel);
    };
    this.own(files.onDidCreate((uri) => onFile(uri, 'created')));
    this.own(files.onDidDelete((uri) => onFile(uri, 'deleted')));
    this.own(files.onDidChange((uri) => onFile(uri, 'changed')));
    // Created, deleted and renamed inside the editor: the list follows at once (the watcher comes later,
    // or not at all where files.watcherExclude hides the folder). One path each, never a new search.
    this.own(vscode.workspace.onDidCreateFiles((e) => e.files.forEach((uri) => this.created(uri))));
    this.own(vscode.workspace.onDidDeleteFiles((e) => e.files.forEach((uri) => this.deleted(uri))));
    this.own(
      vscode.workspace.onDidRenameFiles((e) => {
        for (const { oldUri, newUri } of e.files) {
          this.deleted(oldUri);
          this.created(newUri);
        }
      }),
    );
    // New rules (globs, excludes) may list other files: the one case for a new search.
    this.own(vscode.workspace.onDidChangeConfiguration((e) => affectsFileRules(e, fs.root) && void this.refresh()));
  }

  /** How many times the whole folder was searched: once at the start, again only when the rules change. */
  searches = 0;

  /** Resolves once the first search of the folder is done. */
  get ready(): Promise<void> {
    return this.scan ?? this.refresh();
  }

  /**
   * Searches the folder again for every transcript and every sidecar. For transcripts, `findFiles`
   * without an exclude leaves out what files.exclude hides; the rules leave out what search.exclude
   * hides. Sidecars are searched past files.exclude (a user may hide them from the Explorer; only `null`
   * turns it off, an exclude pattern of one's own does not) and count unless their transcript is hidden.
   */
  refresh(): Promise<void> {
    this.searching++;
    const since = this.changes.length;
    const run = (async () => {
      const rules = fileRules(this.fs.root);
      const search = (glob: string, exclude?: null) => vscode.workspace.findFiles(new vscode.RelativePattern(this.fs.root, glob), exclude);
      const found = await Promise.all([...rules.globs.map((glob) => search(glob)), search(`**/*${SIDECAR_SUFFIX}`, null)]);
      this.searches++;
      const paths = found.flat().map((uri) => this.fs.relative(uri));
      this.listing.reset(rules, paths.filter((p): p is string => p !== undefined));
      // A sidecar's transcript that matches no glob is still its transcript, if it exists.
      const unlisted = [...this.listing.withSidecars].filter((t) => !this.listing.files.has(t));
      await Promise.all(unlisted.map(async (t) => (await this.fs.exists(t)) && this.listing.add(t)));
      // Files created or deleted while the search ran may be missing from what it found.
      for (const change of this.changes.slice(since)) change();
      this.sync();
      await Promise.all([...this.listing.withSidecars].map((t) => this.readSidecar(sidecarPathFor(t))));
      this.fireSoon();
    })().finally(() => {
      if (--this.searching === 0) this.changes = [];
    });
    this.scan = run;
    return run;
  }

  /** searches running, and the created and deleted paths since the first of them began (replayed on what they find) */
  private searching = 0;
  private changes: (() => boolean)[] = [];

  private add(path: string): boolean {
    return this.record(() => this.listing.add(path));
  }

  private remove(path: string): boolean {
    return this.record(() => this.listing.remove(path));
  }

  private record(change: () => boolean): boolean {
    if (this.searching > 0) this.changes.push(change);
    return change();
  }

  /** Hands the listing to the document table (what the session and the views read). */
  private sync(): void {
    this.table.scanned([...this.listing.files], [...this.listing.transcripts], this.listing.withSidecars);
  }

  /** A file or folder was created (or renamed to here): its transcripts and sidecars join the list. */
  private created(uri: vscode.Uri): void {
    const rel = this.fs.relative(uri);
    if (!rel) return;
    if (isSidecarPath(rel)) return this.reread(uri); // counts by its transcript, see FileRules.isSidecar
    if (this.listing.rules.isExcluded(rel)) return;
    if (this.add(rel)) {
      this.sync();
      return this.fireSoon(`transcript created: ${rel}`);
    }
    if (this.listing.rules.isTranscript(rel)) return; // listed already
    // Maybe a folder (moved or copied in): only its own files are looked at.
    void (async () => {
      const stat = await vscode.workspace.fs.stat(uri).then(undefined, () => undefined);
      if (!stat || !(stat.type & vscode.FileType.Directory)) return;
      const inside = await this.fs.list(rel);
      const added = inside.filter((p) => !isSidecarPath(p) && this.add(p));
      for (const sidecar of inside.filter((p) => this.listing.rules.isSidecar(p))) this.reread(this.fs.uri(sidecar));
      if (added.length === 0) return;
      this.sync();
      this.fireSoon(`folder created: ${rel}`);
    })().catch((err) => this.failed.fire(err));
  }

  /** A file or folder was deleted (or renamed away): its transcripts and sidecars leave the list. */
  private deleted(uri: vscode.Uri): void {
    const rel = this.fs.relative(uri);
    if (!rel || !this.remove(rel)) return;
    this.sync();
    this.fireSoon(`${isSidecarPath(rel) ? 'sidecar' : 'file'} deleted: ${rel}`);
  }

  /** A sidecar created or changed: read once, and handed to its open transcript unless it was this extension's own write. */
  private reread(uri: vscode.Uri): void {
    const rel = this.fs.relative(uri);
    if (!rel || !this.listing.rules.isSidecar(rel)) return;
    void this.readSidecar(rel)
      .then(async (own) => {
        if (own) return;
        await this.codings.reloadSidecar(this.fs.uri(transcriptPathFor(rel)));
        this.fireSoon(`sidecar changed: ${rel}`);
      })
      .catch((err) => this.failed.fire(err));
  }

  /**
   * Reads one transcript's sidecar again now (after the project session wrote it), without waiting for
   * the watcher, and without an event: the session tells the views itself.
   */
  async reload(transcriptPath: string): Promise<void> {
    await this.readSidecar(sidecarPathFor(transcriptPath));
  }

  /**
   * The codings a transcript's sidecar holds as this index last read them, with the hash of the text they
   * are anchored to: what an opened transcript's first highlights are drawn from before its own load
   * (CodingService.preview). Undefined when not read or when it does not parse; and unless the sidecar is
   * on a local disk and was last changed (written, or renamed into place: its ctime) well before the
   * index began to read it, so that what was read is what it holds, even before the file watcher tells
   * of a change. A synchronous stat: no other task runs before the first draw.
   */
  stored(path: string): { codings: readonly Coding[]; hash: string } | undefined {
    const codings = this.table.storedCodings(path);
    const read = this.anchors.get(path);
    const uri = this.fs.uri(sidecarPathFor(path));
    if (!codings || !read || uri.scheme !== 'file') return undefined;
    let changed: number;
    try {
      changed = statSync(uri.fsPath).ctimeMs;
    } catch {
      return undefined;
    }
    return changed < read.readFrom - SETTLED ? { codings, hash: read.hash } : undefined;
  }

  /** Reads a sidecar into the index; true when it holds what this extension wrote itself (no news). */
  private async readSidecar(sidecarPath: string): Promise<boolean> {
    const transcript = transcriptPathFor(sidecarPath);
    if (!this.listing.rules.isSidecar(sidecarPath)) return true;
    const readFrom = Date.now();
    try {
      const text = await this.fs.readText(sidecarPath);
      if (text === undefined) {
        if (this.remove(sidecarPath)) this.sync();
        this.table.deleteStored(transcript);
        this.anchors.delete(transcript);
        return false;
      }
      if (this.add(sidecarPath)) this.sync();
      // A transcript written a moment before its sidecar may not have reached the watcher yet.
      if (!this.listing.files.has(transcript) && (await this.fs.exists(transcript)) && this.add(transcript)) this.sync();
      const sidecar = parseSidecar(text, sidecarPath);
      for (const coding of sidecar.codings) {
        coding.codeId = this.share(coding.codeId);
        coding.coder = this.share(coding.coder);
      }
      this.table.setStored(transcript, sidecar.codings);
      this.anchors.set(transcript, { hash: sidecar.document.hash, readFrom });
      return this.fs.isOwnWrite(sidecarPath, text);
    } catch (err) {
      this.anchors.delete(transcript);
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
