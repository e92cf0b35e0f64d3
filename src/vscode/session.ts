// The editor's side of the project session (core/session.ts): the ports through which the session reads
// and writes the project, and the transcript texts it needs for speaker turns. An adapter only: every
// rule (duplicates, names, what counts, undo) is the session's.
import * as vscode from 'vscode';
import type { Coding } from '../core/model';
import type { Environment } from '../core/ports';
import { ProjectSession, changesCounts } from '../core/session';
import type { MemoIndexEntry, SessionPorts } from '../core/session';
import { excludedSpeakers } from '../core/speakers';
import { SidecarStore } from '../core/store';
import { tellSaveConflicts } from './saveMerges';
import type { CodingService } from './codings';
import { lineIndexOf } from './convert';
import { Disposable } from './disposable';
import type { ProjectService } from './project';
import { transcriptText } from './texts';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';

/**
 * The LF texts of closed transcripts, for the analysis's speaker turns (needed only while some speaker
 * is left out). Read once and kept until the file changes; open transcripts are read live.
 */
class TranscriptTexts extends Disposable {
  private readonly texts = new Map<string, string | undefined>();
  /** texts asked for and not yet read: read together, then the analysis is redone once */
  private readonly wanted = new Set<string>();
  private reading: Promise<void> | undefined;

  constructor(
    private readonly fs: WorkspaceFileSystem,
    index: WorkspaceIndex,
    private readonly loaded: (paths: string[]) => void,
  ) {
    super();
    // The index's transcript watcher tells when a text changed on disk.
    this.own(
      index.onDidChangeFile((rel) => {
        if (this.texts.delete(rel)) this.loaded([rel]);
      }),
    );
  }

  /** The text when it is at hand; else undefined, and it is read soon with the others asked for meanwhile. */
  get(path: string): string | undefined {
    const open = this.open(path);
    if (open) return lineIndexOf(open).text;
    if (this.texts.has(path)) return this.texts.get(path);
    this.wanted.add(path);
    this.reading ??= Promise.resolve().then(async () => {
      const paths = [...this.wanted];
      this.wanted.clear();
      await Promise.all(paths.map(async (p) => this.texts.set(p, await transcriptText(this.fs, p))));
      this.reading = undefined;
      this.loaded(paths);
    });
    return undefined;
  }

  /** Reads the texts of the given transcripts now (before an export or a matrix that must be exact); how many were new. */
  async load(paths: readonly string[]): Promise<number> {
    let read = 0;
    for (const path of paths) {
      if (this.texts.has(path) || this.open(path)) continue;
      this.texts.set(path, await transcriptText(this.fs, path));
      read++;
    }
    return read;
  }

  private open(path: string): vscode.TextDocument | undefined {
    const uri = this.fs.uri(path).toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
  }
}

/** The views refresh once for the events of one action (a transaction's parts, a burst of file events). */
const REFRESH_DELAY = 20;

/** The session of the workspace's project, with the editor's ports. */
export class EditorSession extends Disposable {
  readonly session: ProjectSession;
  private readonly texts: TranscriptTexts;

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly project: ProjectService,
    private readonly codings: CodingService,
    private readonly index: WorkspaceIndex,
    env: Environment,
    /** the memos by file and target, and when they change */
    memoIndex: () => readonly MemoIndexEntry[] = () => [],
    onMemos: (listener: () => void) => vscode.Disposable = () => ({ dispose: () => undefined }),
  ) {
    super();
    const ports: SessionPorts = {
      editProject: async (change) => {
        await project.edit(change);
        return project.project!;
      },
      editCodings: (path, change) => this.editCodings(path, change),
      // An open transcript's live text (an undo finds the codings it brings back in it); others only while
      // a speaker is left out.
      textOf: (path) => this.openText(path) ?? (this.needsTexts() ? this.texts.get(path) : undefined),
    };
    // The session holds the documents the index keeps current (its table), the project and the memos' index.
    this.session = new ProjectSession(ports, env, index.table);
    this.session.setProject(project.project);
    this.session.setMemos(memoIndex());
    this.texts = this.own(new TranscriptTexts(fs, index, (paths) => this.session.changed({ codings: paths, origin: 'texts read' })));
    // Outside changes reach the session here; its own changes it announces itself, once, when they are
    // done (a project event during one of its transactions is that transaction's own write).
    this.own(index.onDidChange(() => this.session.changed({ codings: index.transcripts, origin: index.lastReasons.join('; ') })));
    this.own(
      project.onDidChange(() => {
        this.session.setProject(project.project);
        if (!this.session.busy) this.session.changed({ codebook: true, cases: true, settings: true, origin: 'grounded.json' });
      }),
    );
    this.own(onMemos(() => this.session.setMemos(memoIndex())));
    const listener = this.session.onDidChange((change) => {
      if (!changesCounts(change)) return;
      const kinds = Object.entries(change)
        .filter(([k, v]) => k !== 'origin' && (Array.isArray(v) ? v.length > 0 : !!v))
        .map(([k]) => k);
      this.pending.push(`${kinds.join('+')}${change.origin ? ` (${change.origin})` : ''}`);
      this.fireSoon();
    });
    this.own({ dispose: () => listener.dispose() });
    this.own({ dispose: () => this.timer && clearTimeout(this.timer) });
  }

  private readonly changed = this.own(new vscode.EventEmitter<void>());
  /**
   * Fires when what the views show changed: codings, codebook, cases, settings or blind mode, never for
   * typing that only moved positions. One event for the bursts one action causes (the session's own
   * change, the write's sidecar and project events): every view refreshes once per action.
   */
  readonly onDidChange = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** How many times the views were told to refresh (read by the tests). */
  refreshes = 0;
  /** What each of the last refreshes was for (the kinds of change it gathered), newest last. */
  readonly causes: string[] = [];
  private pending: string[] = [];

  private fireSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refreshes++;
      this.causes.push(this.pending.join(', '));
      if (this.causes.length > 20) this.causes.shift();
      this.pending = [];
      this.changed.fire();
    }, REFRESH_DELAY);
  }

  /** The LF text of a transcript open in an editor, else undefined. */
  private openText(path: string): string | undefined {
    const uri = this.fs.uri(path).toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    return document && this.codings.isTranscript(document.uri) ? lineIndexOf(document).text : undefined;
  }

  private needsTexts(): boolean {
    const p = this.project.project;
    return !!p && excludedSpeakers(p).length > 0;
  }

  /** Blind mode: only `coder`'s codings are shown and counted (undefined: everyone's). */
  setViewer(coder: string | undefined): void {
    this.codings.setBlind(coder); // what the editor draws
    this.session.viewer = coder; // what every view counts
  }

  /** The one analysis (undefined without a project). */
  analysis() {
    return this.session.analysis();
  }

  /** Reads every coded transcript's text when speakers are left out, so the next analysis is exact. */
  async ready(): Promise<void> {
    await this.index.ready;
    if (!this.needsTexts()) return;
    const read = await this.texts.load(this.index.documents(true).filter((d) => d.codings.length > 0).map((d) => d.path));
    if (read) this.session.changed({ codings: this.index.transcripts, origin: 'texts read' });
  }

  /** One transcript's codings: through the editor's live codings when it is open, else straight to its sidecar. */
  private async editCodings(path: string, change: (codings: Coding[]) => Coding[]): Promise<void> {
    const uri = this.fs.uri(path).toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (document && this.codings.isTranscript(document.uri)) {
      await this.codings.updateCodings(document, change);
      return;
    }
    const store = await SidecarStore.open(this.fs, path, { onMerge: tellSaveConflicts });
    await store.update((s) => ({ ...s, codings: change(s.codings) }));
    await this.index.reload(path);
  }
}
