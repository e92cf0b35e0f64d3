// The storage layer: lowdb over the FileSystemPort, with a guard that makes it safe in a folder
// that git and other windows also write to. Every write holds the file's lock (core/lock.ts) while it
// reads the file again, merges in a change made by someone else (never overwriting it, by the git
// merge driver's rules) and renames the result into place; a file that no longer parses is left
// exactly as it is and reported, so a half-resolved merge conflict is never destroyed by a save.
import { Low } from 'lowdb';
import type { Adapter } from 'lowdb';
import { MEMO_DIR, PROJECT_FILE } from './model';
import type { Coding, Memo, ProjectFile, Sidecar } from './model';
import { Environment, FileSystemPort, systemEnvironment, writeAtomic } from './ports';
import { FormatError } from './jsonError';
import { hashText } from './hash';
import { normalizeEol } from './text';
import { cloneSidecar, emptySidecar, parseSidecar, serializeSidecar, serializeSidecarChecked, sidecarPathFor } from './sidecar';
import { newProject, parseProject, serializeProject } from './project';
import { mergeProjects, mergeSidecars } from './merge';
import type { Conflict, ProjectConflict } from './merge';
import { mergeFileTexts } from './mergeDriver';
import type { MergeableKind } from './mergeDriver';
import { withFileLock } from './lock';
import { memoPathFor, parseMemo, serializeMemo } from './memo';

/** How one kind of file is read, written and merged. */
export interface FileCodec<T, C> {
  /** which of the git merge driver's merges applies (core/mergeDriver.ts) */
  kind: MergeableKind;
  parse(text: string, path: string): T;
  serialize(data: T): string;
  /** serialize, and the data as parse would read that text back (without parsing it), or a FormatError */
  serializeChecked?(data: T, path: string): { text: string; data: T };
  merge(base: T | undefined, ours: T, theirs: T): { merged: T; conflicts: C[] };
  /** A deep copy, for an update to change (and drop if the save fails); structuredClone when absent. */
  clone?(data: T): T;
}

/**
 * A write that found the file changed on disk and merged. `conflicts`: records changed on both sides
 * differently; ours kept as it is, theirs kept beside it with `conflictOf` (as the git merge driver does).
 */
export interface MergeOutcome<C> {
  path: string;
  conflicts: C[];
}

export const sidecarCodec: FileCodec<Sidecar, Conflict<Coding>> = {
  kind: 'sidecar',
  parse: parseSidecar,
  serialize: serializeSidecar,
  serializeChecked: serializeSidecarChecked,
  merge: mergeSidecars,
  clone: cloneSidecar,
};

export const projectCodec: FileCodec<ProjectFile, ProjectConflict> = {
  kind: 'project',
  parse: parseProject,
  serialize: serializeProject,
  merge: mergeProjects,
};

/** What `FileSystemPort.readText` makes of a file's bytes (a leading byte order mark dropped). */
const UTF8 = new TextDecoder();

/** A lowdb adapter that merges instead of overwriting and never writes over a corrupt file. */
export class GuardedJsonAdapter<T, C = unknown> implements Adapter<T> {
  /** The exact text last read or written: the base of the next three-way merge. */
  baseText: string | undefined;
  /** The bytes of `baseText` as read from the file, when the port reads bytes (until the next write). */
  private baseBytes: Uint8Array | undefined;
  /** The data as last written, read back from the written text. */
  written: T | undefined;
  /** Set by the last write if it had to merge with a change on disk, cleared by the next write. */
  lastMerge: MergeOutcome<C> | undefined;

  constructor(
    readonly fs: FileSystemPort,
    readonly path: string,
    private readonly codec: FileCodec<T, C>,
    private readonly onMerge?: (outcome: MergeOutcome<C>) => void,
  ) {}

  /** A deep copy of `data` (the codec's, or structuredClone). */
  clone(data: T): T {
    return this.codec.clone ? this.codec.clone(data) : structuredClone(data);
  }

  /** null when the file does not exist; a FormatError propagates for the caller to show. */
  async read(): Promise<T | null> {
    // Read as bytes where the port can later compare them (readDisk), else as text.
    const asBytes = this.fs.readBytes !== undefined && this.fs.holdsBytes !== undefined;
    const bytes = asBytes ? await this.fs.readBytes!(this.path) : undefined;
    const text = asBytes ? bytes && UTF8.decode(bytes) : await this.fs.readText(this.path);
    if (text === undefined) {
      this.baseText = undefined;
      this.baseBytes = undefined;
      return null;
    }
    const data = this.codec.parse(text, this.path);
    this.baseText = text;
    this.baseBytes = bytes;
    return data;
  }

  /**
   * The file's text now, and its bytes when they are known. `baseText` itself when the file still has
   * the bytes it was read from: compared byte for byte by the port, at a small part of the cost of
   * decoding the file again.
   */
  private async readDisk(): Promise<{ text: string | undefined; bytes?: Uint8Array }> {
    if (this.baseBytes && this.fs.holdsBytes && (await this.fs.holdsBytes(this.path, this.baseBytes))) return { text: this.baseText, bytes: this.baseBytes };
    return { text: await this.fs.readText(this.path) };
  }

  /**
   * Saves `data`: under the file's lock, reads the file again; if it is not the text last read or
   * written (another window, the command line, git wrote it), merges three ways with the git merge
   * driver's rules (base: the text last read or written; ours: `data`; theirs: the file), then writes
   * through a temporary file and a rename. Afterwards `written` holds what the file holds.
   */
  async write(data: T): Promise<void> {
    await withFileLock(this.fs, this.path, () => this.writeLocked(data));
  }

  private async writeLocked(data: T): Promise<void> {
    const { text: disk, bytes: diskBytes } = await this.readDisk();
    const fresh = this.codec.serializeChecked?.(data, this.path);
    let out = fresh ? fresh.text : this.codec.serialize(data);
    let outcome: MergeOutcome<C> | undefined;
    if (disk !== undefined && disk !== this.baseText) {
      // Changed since we read it. Parsing first means a corrupt file throws here, before any write.
      const theirs = this.codec.parse(disk, this.path);
      const base = this.baseText === undefined ? undefined : this.codec.parse(this.baseText, this.path);
      const { conflicts } = this.codec.merge(base, data, theirs);
      // The driver keeps their side of a conflict beside ours and drops a coding both sides made alike.
      out = mergeFileTexts(this.codec.kind, this.baseText, out, disk, this.path).text;
      outcome = { path: this.path, conflicts };
    }
    // Never write a file we could not read back (invalid data from a caller would otherwise
    // become a file every later open refuses).
    // (serializeChecked has checked it record by record; a merged text is parsed.)
    const written = fresh && fresh.text === out ? fresh.data : this.codec.parse(out, this.path);
    if (out !== disk) await writeAtomic(this.fs, this.path, out);
    this.baseText = out;
    this.baseBytes = out === disk ? diskBytes : undefined;
    this.written = written;
    this.lastMerge = outcome;
    if (outcome) this.onMerge?.(outcome);
  }
}

/**
 * One file held through lowdb. `data` always mirrors the file as last read or written: an update
 * that fails (corrupt file on disk, invalid data) is rolled back in memory too.
 */
export class GuardedStore<T, C> {
  private queue: Promise<unknown> = Promise.resolve();

  protected constructor(
    protected readonly adapter: GuardedJsonAdapter<T, C>,
    protected readonly db: Low<T>,
    private readonly defaults: () => T,
  ) {}

  get path(): string {
    return this.adapter.path;
  }

  get data(): T {
    return this.db.data;
  }

  /** True when the file existed at the last read or has been written since. */
  get exists(): boolean {
    return this.adapter.baseText !== undefined;
  }

  get lastMerge(): MergeOutcome<C> | undefined {
    return this.adapter.lastMerge;
  }

  /**
   * Change the data (mutate it, or return a new value) and save. Saves run one at a time, so two
   * quick updates from the same window never race each other.
   */
  update(fn: (data: T) => T | void): Promise<void> {
    return this.serially(async () => {
      const before = this.db.data;
      const draft = this.adapter.clone(before);
      try {
        this.db.data = fn(draft) ?? draft;
        await this.db.write();
        this.db.data = this.adapter.written as T;
      } catch (err) {
        this.db.data = before;
        throw err;
      }
    });
  }

  /** Read the file again (after a change on disk). A FormatError leaves the current data in place. */
  reload(): Promise<void> {
    return this.serially(async () => {
      const data = await this.adapter.read();
      this.db.data = data ?? this.defaults();
    });
  }

  private serially<R>(task: () => Promise<R>): Promise<R> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export interface SidecarStoreOptions {
  /** Hash for a new sidecar's document; by default the hash of the transcript as it is on disk. */
  documentHash?: string;
  onMerge?: (outcome: MergeOutcome<Conflict<Coding>>) => void;
}

/** The sidecar of one transcript. A missing sidecar reads as empty and is created by the first update. */
export class SidecarStore extends GuardedStore<Sidecar, Conflict<Coding>> {
  private constructor(
    adapter: GuardedJsonAdapter<Sidecar, Conflict<Coding>>,
    db: Low<Sidecar>,
    defaults: () => Sidecar,
    readonly transcriptPath: string,
  ) {
    super(adapter, db, defaults);
  }

  static async open(fs: FileSystemPort, transcriptPath: string, options: SidecarStoreOptions = {}): Promise<SidecarStore> {
    let hash = options.documentHash;
    if (hash === undefined) {
      const text = (await fs.readText(transcriptPath)) ?? '';
      hash = hashText(normalizeEol(text));
    }
    const defaults = (): Sidecar => emptySidecar({ path: transcriptPath, hash: hash! });
    const adapter = new GuardedJsonAdapter(fs, sidecarPathFor(transcriptPath), sidecarCodec, options.onMerge);
    const db = new Low<Sidecar>(adapter, defaults());
    await db.read();
    return new SidecarStore(adapter, db, defaults, transcriptPath);
  }
}

export interface ProjectStoreOptions {
  /** Name for a new project when grounded.json does not exist yet. */
  name?: string;
  env?: Environment;
  onMerge?: (outcome: MergeOutcome<ProjectConflict>) => void;
}

/** grounded.json. A missing file reads as a new, empty project and is created by the first update. */
export class ProjectStore extends GuardedStore<ProjectFile, ProjectConflict> {
  static async open(fs: FileSystemPort, options: ProjectStoreOptions = {}): Promise<ProjectStore> {
    const fresh = newProject(options.name ?? 'Untitled project', options.env ?? systemEnvironment);
    const defaults = (): ProjectFile => structuredClone(fresh);
    const adapter = new GuardedJsonAdapter(fs, PROJECT_FILE, projectCodec, options.onMerge);
    const db = new Low<ProjectFile>(adapter, defaults());
    await db.read();
    return new ProjectStore(adapter, db, defaults);
  }

  /** Open grounded.json, first writing a new project named `name` if there is none (an existing one is kept). */
  static async create(fs: FileSystemPort, name: string, env: Environment = systemEnvironment, options: Omit<ProjectStoreOptions, 'name' | 'env'> = {}): Promise<ProjectStore> {
    const store = await ProjectStore.open(fs, { ...options, name, env });
    if (!store.exists) await store.update(() => undefined);
    return store;
  }
}

export interface MemoEntry {
  path: string;
  memo: Memo;
}

export interface MemoWriteResult {
  /** Where the memo was written: the requested path, or a `-conflict-` copy. */
  path: string;
  memo: Memo;
  /** false when the file already had exactly this text */
  written: boolean;
  /** Set when the requested file had changed on disk; the memo went to a copy instead. */
  conflict?: { original: string };
}

export interface MemoStoreOptions {
  env?: Environment;
  onConflict?: (result: MemoWriteResult) => void;
}

/**
 * Memos under memos/. A memo file is only overwritten if it still holds the text we last read or
 * wrote; otherwise our version goes to `<name>-conflict-<8>.md` with a new id, so both texts survive.
 */
export class MemoStore {
  private readonly known = new Map<string, string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly fs: FileSystemPort,
    private readonly options: MemoStoreOptions = {},
  ) {}

  /** All memos, sorted by path. Files that do not parse are returned as errors, not thrown. */
  async list(): Promise<{ memos: MemoEntry[]; errors: FormatError[] }> {
    const paths = (await this.fs.list(MEMO_DIR)).filter((p) => p.endsWith('.md')).sort();
    const memos: MemoEntry[] = [];
    const errors: FormatError[] = [];
    for (const path of paths) {
      try {
        const memo = await this.read(path);
        if (memo) memos.push({ path, memo });
      } catch (err) {
        if (!(err instanceof FormatError)) throw err;
        errors.push(err);
      }
    }
    return { memos, errors };
  }

  /** undefined when the file does not exist; FormatError when it does not parse. */
  async read(path: string): Promise<Memo | undefined> {
    const text = await this.fs.readText(path);
    if (text === undefined) return undefined;
    const memo = parseMemo(text, path);
    this.known.set(path, text);
    return memo;
  }

  /** Write a new memo to `memos/<slug of label>-<id8>.md`. */
  create(memo: Memo, label: string): Promise<MemoWriteResult> {
    return this.write(memoPathFor(memo, label), memo);
  }

  /**
   * Save a memo to the file it was read from (its `modified` is the caller's to set). `expectedBody`
   * is the body the caller's text was edited from (an editor that shows the memo elsewhere): the file
   * is overwritten only if its body is still that; without it, only if the file is still the text this
   * store last read or wrote.
   */
  write(path: string, memo: Memo, expectedBody?: string): Promise<MemoWriteResult> {
    const run = this.queue.then(() => withFileLock(this.fs, path, () => this.writeNow(path, memo, expectedBody)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async writeNow(path: string, memo: Memo, expectedBody?: string): Promise<MemoWriteResult> {
    const text = serializeMemo(memo);
    const disk = await this.fs.readText(path);
    if (disk === text) {
      this.known.set(path, text);
      return { path, memo, written: false };
    }
    const unchanged = (): boolean => {
      if (expectedBody === undefined) return disk === this.known.get(path);
      try {
        return parseMemo(disk!, path).body === expectedBody.replace(/\r\n?/g, '\n');
      } catch {
        return false; // a file that does not parse is never overwritten
      }
    };
    // A file deleted on disk since we read it is written again: our text is the newer one.
    if (disk === undefined || unchanged()) {
      await writeAtomic(this.fs, path, text);
      this.known.set(path, text);
      return { path, memo, written: true };
    }
    const copy: Memo = { ...memo, id: (this.options.env ?? systemEnvironment).newId() };
    const copyPath = `${path.replace(/\.md$/, '')}-conflict-${copy.id.slice(0, 8)}.md`;
    const copyText = serializeMemo(copy);
    await writeAtomic(this.fs, copyPath, copyText);
    this.known.set(copyPath, copyText);
    const result: MemoWriteResult = { path: copyPath, memo: copy, written: true, conflict: { original: path } };
    this.options.onConflict?.(result);
    return result;
  }
}
