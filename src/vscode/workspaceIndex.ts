// Every transcript of the workspace with its codings, for the views (counts, segments, progress):
// sidecars read from disk, overlaid with the live codings of transcripts open in an editor, and kept
// current through the sidecar watcher and CodingService events. Changes fire one debounced event.
import * as vscode from 'vscode';
import type { Coding } from '../core/model';
import { FormatError } from '../core/jsonError';
import { isSidecarPath, parseSidecar, sidecarPathFor, transcriptPathFor } from '../core/sidecar';
import { isTranscriptPath } from '../core/transcripts';
import type { DocumentCodings } from '../core/codebook';
import type { CodingService } from './codings';
import { transcriptGlobs } from './config';
import { Disposable } from './disposable';
import type { WorkspaceFileSystem } from './workspaceFs';

export interface IndexedDocument extends DocumentCodings {
  /** true when a sidecar exists on disk (or codings were made in the editor) */
  hasSidecar: boolean;
  /** a sidecar that does not parse: its codings are unknown, the file is left alone */
  error?: FormatError;
}

export class WorkspaceIndex extends Disposable {
  private readonly disk = new Map<string, { codings: Coding[]; error?: FormatError }>();
  private transcriptList: string[] = [];
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  /** Fires (debounced) when any transcript's codings or the set of transcripts changed. */
  readonly onDidChange = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scan: Promise<void> | undefined;

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly codings: CodingService,
  ) {
    super();
    this.own(codings.onDidChange(() => this.fireSoon()));
    const sidecars = this.own(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(fs.root, '**/*.codes.json')));
    const reread = (uri: vscode.Uri) => {
      const rel = fs.relative(uri);
      if (rel && isSidecarPath(rel)) void this.readSidecar(rel).then(() => this.fireSoon());
    };
    this.own(sidecars.onDidChange(reread));
    this.own(sidecars.onDidCreate(reread));
    this.own(
      sidecars.onDidDelete((uri) => {
        const rel = fs.relative(uri);
        if (rel) this.disk.delete(transcriptPathFor(rel));
        this.fireSoon();
      }),
    );
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
      const transcripts = new Set(files.filter((f) => isTranscriptPath(f, globs)));
      // A sidecar whose transcript is missing is still listed: its codings must not vanish from view.
      for (const s of sidecars) transcripts.add(transcriptPathFor(s));
      this.transcriptList = [...transcripts].sort();
      const seen = new Set(sidecars.map(transcriptPathFor));
      for (const path of [...this.disk.keys()]) if (!seen.has(path)) this.disk.delete(path);
      await Promise.all(sidecars.map((s) => this.readSidecar(s)));
      this.fireSoon();
    })();
    this.scan = run;
    return run;
  }

  /** Reads one transcript's sidecar again now (after this extension wrote it), without waiting for the watcher. */
  async reload(transcriptPath: string): Promise<void> {
    await this.readSidecar(sidecarPathFor(transcriptPath));
    this.fireSoon();
  }

  private async readSidecar(sidecarPath: string): Promise<void> {
    const transcript = transcriptPathFor(sidecarPath);
    try {
      const text = await this.fs.readText(sidecarPath);
      if (text === undefined) this.disk.delete(transcript);
      else this.disk.set(transcript, { codings: parseSidecar(text, sidecarPath).codings });
    } catch (err) {
      if (err instanceof FormatError) this.disk.set(transcript, { codings: [], error: err });
      else throw err;
    }
  }

  private fireSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire();
    }, 50);
  }

  /** Workspace-relative paths of all transcripts, sorted. */
  get transcripts(): readonly string[] {
    return this.transcriptList;
  }

  /**
   * One transcript: the live codings if it is open in an editor, else those in its sidecar. In blind
   * mode only the user's own, unless `everyone` (codebook edits must reach every coder's codings).
   */
  document(path: string, everyone = false): IndexedDocument {
    const uri = this.fs.uri(path);
    const live = everyone ? this.codings.peek(uri) : this.codings.visible(uri);
    const disk = this.disk.get(path);
    if (live) return { path, codings: live, hasSidecar: true };
    const codings = disk?.codings ?? [];
    return { path, codings: everyone ? codings : this.codings.shownOf(codings), hasSidecar: !!disk, error: disk?.error };
  }

  /** Every transcript with its codings, sorted by path (see `document` for blind mode and `everyone`). */
  documents(everyone = false): IndexedDocument[] {
    const paths = new Set(this.transcriptList);
    for (const p of this.disk.keys()) paths.add(p);
    return [...paths].sort().map((p) => this.document(p, everyone));
  }

  /** Where the sidecar of a transcript lives. */
  sidecarUri(path: string): vscode.Uri {
    return this.fs.uri(sidecarPathFor(path));
  }
}
