// The codings of each transcript: loaded from its sidecar, re-anchored when the text changed outside
// the editor, shifted along with typing, and written back when codings change or the transcript is saved.
import * as vscode from 'vscode';
import type { Coding, Sidecar } from '../core/model';
import { mergeById } from '../core/merge';
import { isUncountedSuggestion } from '../core/suggestions';
import { reanchorCodings, shiftCodings } from '../core/anchor';
import { hashText } from '../core/hash';
import { SidecarStore } from '../core/store';
import { fileRules } from './fileRules';
import { changesOf, lineIndexOf, textSourceOf } from './convert';
import { Disposable } from './disposable';
import { tellSaveConflicts } from './saveMerges';
import type { WorkspaceFileSystem } from './workspaceFs';

/** How long after a change of a document that reports itself clean it is looked at again (see onEdit). */
const CLEAN_CHECK_DELAY = 100;

interface TranscriptState {
  store: SidecarStore;
  codings: Coding[];
  /**
   * The store's data the live codings were last taken from. A write compares it with the store's data
   * when the write runs: a reload in between (another window or process wrote the sidecar) brought
   * codings the live ones lack, and those are merged in, never taken as deleted.
   */
  base: Sidecar;
  /** true when codings moved with typing since the sidecar was last written */
  shifted: boolean;
  /** counts the edits of the document, so a write can tell whether typing happened while it waited */
  edits?: number;
}

const hashes = new WeakMap<vscode.TextDocument, { version: number; hash: string }>();

/** The hash of a document's LF text (core hashText), cached per document version. */
function textHashOf(document: vscode.TextDocument): string {
  const cached = hashes.get(document);
  if (cached && cached.version === document.version) return cached.hash;
  const hash = hashText(lineIndexOf(document).text);
  hashes.set(document, { version: document.version, hash });
  return hash;
}

export interface ReanchorOutcome {
  moved: number;
  fuzzy: number;
  orphaned: Coding[];
}

export class CodingService extends Disposable {
  private readonly states = new Map<string, TranscriptState>();
  private readonly loading = new Map<string, Promise<TranscriptState | undefined>>();
  /** Sidecars that failed to load (corrupt): not retried until they change on disk or the editor closes. */
  private readonly failed = new Map<string, unknown>();
  private readonly changed = this.own(new vscode.EventEmitter<vscode.Uri>());
  /** Fires with a transcript's uri when its codings changed (added, removed, edited, re-anchored, reloaded). */
  readonly onDidChange = this.changed.event;
  private readonly written = this.own(new vscode.EventEmitter<vscode.Uri>());
  /**
   * Fires when the project session wrote a transcript's codings (`updateCodings`): the editor redraws,
   * while the views hear of it from the session itself, once.
   */
  readonly onDidWrite = this.written.event;
  private readonly unloaded = this.own(new vscode.EventEmitter<vscode.Uri>());
  /** Fires when a transcript's codings are no longer held (its editor closed, it moved or was deleted). */
  readonly onDidUnload = this.unloaded.event;
  private readonly shifted = this.own(new vscode.EventEmitter<vscode.Uri>());
  /** Fires when typing only moved a transcript's codings: positions, never counts (the views stay as they are). */
  readonly onDidShift = this.shifted.event;
  private readonly reanchored = this.own(new vscode.EventEmitter<{ uri: vscode.Uri; outcome: ReanchorOutcome }>());
  /** Fires when opening a transcript moved or orphaned codings, so the user can be told. */
  readonly onDidReanchor = this.reanchored.event;
  private readonly failedLoad = this.own(new vscode.EventEmitter<{ uri: vscode.Uri; error: unknown }>());
  /** Fires once when a transcript's sidecar cannot be read (it does not parse); the file is left untouched. */
  readonly onDidFailToLoad = this.failedLoad.event;

  /** True when the sidecar of this transcript could not be read. */
  hasFailed(uri: vscode.Uri): boolean {
    return this.failed.has(uri.toString());
  }

  constructor(
    private readonly fs: WorkspaceFileSystem,
  ) {
    super();
    this.own(vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)));
    this.own(
      vscode.workspace.onDidSaveTextDocument((d) =>
        this.onSave(d).catch((err) => this.failedLoad.fire({ uri: d.uri, error: err })),
      ),
    );
    this.own(
      vscode.workspace.onDidCloseTextDocument((d) => {
        const held = this.states.delete(d.uri.toString());
        this.failed.delete(d.uri.toString());
        if (held) this.unloaded.fire(d.uri);
      }),
    );
  }

  /** A transcript of the served project: in its folder, matching grounded.transcripts, not hidden by files.exclude or search.exclude. */
  isTranscript(uri: vscode.Uri): boolean {
    const rel = this.fs.relative(uri);
    return rel !== undefined && fileRules(this.fs.root).isTranscript(rel);
  }

  /** In blind mode, the coder whose codings alone are shown (see blind.ts); undefined: everyone's. */
  private viewer: string | undefined;

  get blindFor(): string | undefined {
    return this.viewer;
  }

  /** Switches blind mode: only `coder`'s codings are shown (undefined: all). Views and decorations refresh. */
  setBlind(coder: string | undefined): void {
    if (coder === this.viewer) return;
    this.viewer = coder;
    for (const key of this.states.keys()) this.changed.fire(vscode.Uri.parse(key));
    this.changed.fire(this.fs.root); // the views refresh even when no transcript is open
  }

  /** What the user is shown of a list of codings: in blind mode only their own. */
  shownOf<T extends { coder: string }>(codings: readonly T[]): T[] {
    const me = this.viewer;
    return me === undefined ? [...codings] : codings.filter((c) => c.coder === me);
  }

  /**
   * The codings of a loaded transcript as the user may see them (blind mode hides other coders'), and
   * only those that count: AI suggestions not accepted (pending, rejected) are left out, as the analysis
   * leaves them out (the commands on codings at the cursor never take one for a coding).
   */
  visible(uri: vscode.Uri): Coding[] | undefined {
    const all = this.withSuggestions(uri);
    return all && all.some(isUncountedSuggestion) ? all.filter((c) => !isUncountedSuggestion(c)) : all;
  }

  /** As `visible`, with the AI suggestions not accepted too (what the editor draws: decorations, hover, the suggestion commands). */
  withSuggestions(uri: vscode.Uri): Coding[] | undefined {
    const all = this.peek(uri);
    return all && this.viewer !== undefined ? this.shownOf(all) : all;
  }

  /** The codings of a loaded transcript, or undefined when it is not loaded (yet). */
  peek(uri: vscode.Uri): Coding[] | undefined {
    return this.states.get(uri.toString())?.codings;
  }

  /**
   * Where the codings of a transcript's sidecar are already at hand, with the hash of the text they are
   * anchored to (the project's index, which read every sidecar: WorkspaceIndex.stored).
   */
  storedSource: ((path: string) => { codings: readonly Coding[]; hash: string } | undefined) | undefined;

  /**
   * The codings to draw for a transcript whose sidecar is not loaded yet: those the project's index holds
   * for it, when they are anchored to exactly this text (the hash matches) and the sidecar is not known to
   * have changed since the index read it. The first highlights need not wait for the sidecar to be read
   * again; the load that follows gives the live codings. As the user may see them (blind mode).
   */
  preview(document: vscode.TextDocument): Coding[] | undefined {
    const key = document.uri.toString();
    if (this.states.has(key) || this.failed.has(key)) return undefined;
    const rel = this.fs.relative(document.uri);
    const stored = rel === undefined || !this.isTranscript(document.uri) ? undefined : this.storedSource?.(rel);
    if (!stored || stored.hash !== textHashOf(document)) return undefined;
    return this.shownOf(stored.codings);
  }

  /** Loads a transcript's sidecar (once), re-anchoring its codings if the text changed since it was written. */
  load(document: vscode.TextDocument): Promise<TranscriptState | undefined> {
    const key = document.uri.toString();
    const state = this.states.get(key);
    if (state) return Promise.resolve(state);
    if (this.failed.has(key)) return Promise.reject(this.failed.get(key));
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.doLoad(document)
        .catch((err) => {
          this.failed.set(key, err);
          this.failedLoad.fire({ uri: document.uri, error: err });
          throw err;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  private async doLoad(document: vscode.TextDocument): Promise<TranscriptState | undefined> {
    const rel = this.fs.relative(document.uri);
    if (rel === undefined || !this.isTranscript(document.uri)) return undefined;
    const version = document.version;
    const hash = textHashOf(document);
    const store = await SidecarStore.open(this.fs, rel, { documentHash: hash, onMerge: tellSaveConflicts });
    const state: TranscriptState = { store, codings: store.data.codings, base: store.data, shifted: false };
    this.states.set(document.uri.toString(), state);
    // Typing while the sidecar was read was not shifted into these codings: find them again.
    if ((store.exists && store.data.document.hash !== hash) || document.version !== version) {
      await this.reanchor(document, state);
    }
    this.changed.fire(document.uri);
    return state;
  }

  /** Finds every coding again in the current text; writes the sidecar unless the editor has unsaved edits. */
  async reanchor(document: vscode.TextDocument, state?: TranscriptState): Promise<ReanchorOutcome> {
    state ??= await this.load(document);
    if (!state) throw new Error(vscode.l10n.t('{0} is not a transcript of this project.', document.uri.fsPath));
    const text = lineIndexOf(document).text;
    // Orphans from earlier runs were reported then; only the codings lost now are news.
    const wasOrphaned = new Set(state.codings.filter((c) => c.orphaned).map((c) => c.id));
    const { codings, report } = reanchorCodings(state.codings, text);
    state.codings = codings;
    if (!document.isDirty) await this.write(state, text);
    else state.shifted = true;
    const outcome = { moved: report.moved, fuzzy: report.fuzzy, orphaned: report.orphaned.filter((c) => !wasOrphaned.has(c.id)) };
    if (outcome.moved + outcome.fuzzy + outcome.orphaned.length > 0) this.reanchored.fire({ uri: document.uri, outcome });
    this.changed.fire(document.uri);
    return outcome;
  }

  /**
   * Replaces the codings of an open transcript with `update(codings)` and writes the sidecar: the one
   * write path of the project session (core/session.ts) for open transcripts, whose live codings move
   * with typing. Returns the codings as they were before.
   */
  async updateCodings(document: vscode.TextDocument, update: (codings: Coding[]) => Coding[]): Promise<Coding[]> {
    const state = await this.load(document);
    if (!state) throw new Error(vscode.l10n.t('{0} is not a transcript of this project.', document.uri.fsPath));
    const before = state.codings;
    state.codings = update(before);
    await this.write(state, lineIndexOf(document).text);
    this.written.fire(document.uri);
    return before;
  }

  private async write(state: TranscriptState, text: string): Promise<void> {
    const codings = state.codings;
    const base = state.base;
    const edits = state.edits ?? 0;
    await state.store.update((sidecar) => {
      // Reloaded since the live codings were taken from the store (the file changed on disk): what the
      // reload brought is theirs, the live codings ours, the data they were taken from the base.
      const current = state.store.data;
      const merged = current === base ? codings : mergeById(base.codings, codings, current.codings).merged;
      return { ...sidecar, document: { ...sidecar.document, hash: hashText(text) }, codings: merged };
    });
    state.base = state.store.data;
    if ((state.edits ?? 0) === edits) {
      // The store may have merged in codings another writer added on disk meanwhile.
      state.codings = state.store.data.codings;
      state.shifted = false;
      return;
    }
    // Typing moved the codings while the file was written: keep those positions, and take over only
    // what the merge brought (codings another writer added or removed); the next save writes them.
    const written = new Set(codings.map((c) => c.id));
    const onDisk = new Set(state.store.data.codings.map((c) => c.id));
    const mine = new Set(state.codings.map((c) => c.id));
    const added = state.store.data.codings.filter((c) => !written.has(c.id) && !mine.has(c.id));
    state.codings = [...state.codings.filter((c) => !written.has(c.id) || onDisk.has(c.id)), ...added];
    state.shifted = true;
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const state = this.states.get(event.document.uri.toString());
    if (!state || event.contentChanges.length === 0) return;
    // Every keystroke: only the text around the edit is read (see textSourceOf), never the whole document.
    const { codings, collapsed } = shiftCodings(state.codings, changesOf(event), textSourceOf(event.document));
    state.codings = codings;
    state.edits = (state.edits ?? 0) + 1;
    state.shifted = true;
    // Words deleted whole orphan their codings: that changes counts. Anything else only moved them.
    if (collapsed.length > 0) this.changed.fire(event.document.uri);
    else this.shifted.fire(event.document.uri);
    const document = event.document;
    const reportCollapsed = () => {
      if (collapsed.length > 0) this.reanchored.fire({ uri: document.uri, outcome: { moved: 0, fuzzy: 0, orphaned: collapsed } });
    };
    if (document.isDirty) {
      reportCollapsed();
      return;
    }
    // The text may equal the file again: reloaded from disk (a git pull) or undone to the saved state.
    // The first keystroke after a save arrives before the document reports itself dirty, so look again a
    // moment later: a keystroke only moves positions, it never re-anchors or writes.
    setTimeout(() => {
      if (document.isClosed || this.states.get(document.uri.toString()) !== state) return;
      if (document.isDirty) {
        reportCollapsed();
        return;
      }
      void this.persist(document, state).catch((err) => this.failedLoad.fire({ uri: document.uri, error: err }));
    }, CLEAN_CHECK_DELAY);
  }

  /**
   * Writes the codings for text that is on disk now, re-anchoring first: orphans from deleted words
   * get one more chance (the words may have been cut and pasted elsewhere).
   */
  private async persist(document: vscode.TextDocument, state: TranscriptState): Promise<void> {
    if (!state.store.exists && state.codings.length === 0) return;
    const stale = state.shifted || state.store.data.document.hash !== hashText(lineIndexOf(document).text);
    if (stale) await this.reanchor(document, state);
  }

  private async onSave(document: vscode.TextDocument): Promise<void> {
    const state = this.states.get(document.uri.toString());
    if (state) await this.persist(document, state);
  }

  /**
   * Drops what is held for a transcript, or for every transcript under a folder, that was moved or
   * deleted, so its sidecar is never written at the old path again. Opened again, it loads afresh.
   */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const under = key.endsWith('/') ? key : `${key}/`;
    for (const map of [this.states, this.loading, this.failed]) {
      for (const k of [...map.keys()]) {
        if (k !== key && !k.startsWith(under)) continue;
        map.delete(k);
        if (map === this.states) this.unloaded.fire(vscode.Uri.parse(k));
      }
    }
  }

  /** Reloads a sidecar that changed on disk (git checkout, another window) for an open transcript. */
  async reloadSidecar(transcript: vscode.Uri): Promise<void> {
    const key = transcript.toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (this.failed.delete(key)) {
      if (document) await this.load(document);
      return;
    }
    const state = this.states.get(key);
    if (!state || state.shifted) return;
    await state.store.reload();
    // Typing during the read moved the codings in memory: those win until the next save merges the file.
    if (state.shifted || this.states.get(key) !== state) return;
    state.codings = state.store.data.codings;
    state.base = state.store.data;
    if (document && state.store.data.document.hash !== hashText(lineIndexOf(document).text)) {
      await this.reanchor(document, state);
      return;
    }
    this.changed.fire(transcript);
  }
}
