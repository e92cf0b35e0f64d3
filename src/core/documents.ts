// Every transcript of the project with its codings, as the project session holds them: the codings
// stored in each sidecar (as last read), overlaid with the live codings of a transcript open in an
// editor (they move with typing before they are saved), whether the transcript file exists, and a
// sidecar that does not parse. Fed by the editor or the command line; read by the session and the views.
// Pure: no editor, no file system.
import type { DocumentCodings } from './codebook';
import type { Coding } from './model';

export interface TableDocument<E = unknown> extends DocumentCodings {
  /** true when a sidecar exists (or codings were made in the editor) */
  hasSidecar: boolean;
  /** a sidecar that does not parse: its codings are unknown, the file is left alone */
  error?: E;
}

/**
 * True when two states of one transcript count alike: the same codings by value and in the same order,
 * the same sidecar, error and file. A transcript opened in an editor with the codings its sidecar holds
 * changes nothing the views show (the editor tells of it, and the full analysis need not run again).
 */
export function sameDocument<E>(a: TableDocument<E>, b: TableDocument<E>): boolean {
  if (a.hasSidecar !== b.hasSidecar || a.error !== b.error || !!a.transcriptMissing !== !!b.transcriptMissing) return false;
  if (a.codings === b.codings) return true;
  if (a.codings.length !== b.codings.length) return false;
  for (let i = 0; i < a.codings.length; i++) {
    if (!sameData(a.codings[i], b.codings[i])) return false;
  }
  return true;
}

/**
 * Equal plain data (what JSON holds): the same primitives, arrays alike element by element, objects with
 * the same keys in the same order and alike values. Stricter than comparing JSON.stringify (a key whose
 * value is undefined counts), never looser, and without building strings: a transcript of 5,000 codings
 * is compared in a few milliseconds instead of a hundred.
 */
function sameData(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
  if (Array.isArray(x) !== Array.isArray(y)) return false;
  if (Array.isArray(x)) {
    const ys = y as unknown[];
    if (x.length !== ys.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameData(x[i], ys[i])) return false;
    return true;
  }
  // Anything but a plain object (a Date, say) is compared as JSON would write it.
  if (Object.getPrototypeOf(x) !== Object.prototype || Object.getPrototypeOf(y) !== Object.prototype) return JSON.stringify(x) === JSON.stringify(y);
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  const keys = Object.keys(xo);
  const otherKeys = Object.keys(yo);
  if (keys.length !== otherKeys.length) return false;
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] !== otherKeys[i] || !sameData(xo[keys[i]], yo[keys[i]])) return false;
  }
  return true;
}

export class DocumentTable<E = unknown> {
  private readonly stored = new Map<string, { codings: readonly Coding[]; error?: E }>();
  private readonly live = new Map<string, readonly Coding[]>();
  private files = new Set<string>();
  /** Files a scan saw and a later scan no longer finds: deleted (or moved away) since. */
  private readonly gone = new Set<string>();
  private listed: readonly string[] = [];

  /**
   * After a scan of the folder: every file, the transcripts (by the project's globs), and the
   * transcripts whose sidecars exist (stored codings of other paths are dropped).
   */
  scanned(files: readonly string[], transcripts: readonly string[], withSidecars: ReadonlySet<string>): void {
    const before = this.files;
    this.files = new Set(files);
    for (const p of before) if (!this.files.has(p)) this.gone.add(p);
    for (const p of this.files) this.gone.delete(p);
    const all = new Set(transcripts);
    // A sidecar whose transcript is missing is still listed: its codings must not vanish from view.
    for (const p of withSidecars) all.add(p);
    this.listed = [...all].sort();
    for (const path of [...this.stored.keys()]) if (!withSidecars.has(path)) this.stored.delete(path);
  }

  /** The codings a transcript's sidecar holds, or the error it does not parse with. */
  setStored(path: string, codings: readonly Coding[], error?: E): void {
    this.stored.set(path, error === undefined ? { codings } : { codings, error });
  }

  /** The sidecar is gone. */
  deleteStored(path: string): void {
    this.stored.delete(path);
  }

  hasStored(path: string): boolean {
    return this.stored.has(path);
  }

  /** The codings a transcript's sidecar holds as last read (never the live ones); undefined without a sidecar or when it does not parse. */
  storedCodings(path: string): readonly Coding[] | undefined {
    const stored = this.stored.get(path);
    return stored && stored.error === undefined ? stored.codings : undefined;
  }

  /** The live codings of a transcript open in an editor (undefined: it was closed, the sidecar counts again). */
  setLive(path: string, codings: readonly Coding[] | undefined): void {
    if (codings) this.live.set(path, codings);
    else this.live.delete(path);
  }

  /** A file was created or deleted; true when that decides whether stored codings count (their transcript). */
  setFile(path: string, exists: boolean): boolean {
    const had = this.files.has(path);
    if (exists) {
      this.files.add(path);
      this.gone.delete(path);
    } else {
      this.files.delete(path);
      if (had) this.gone.add(path);
    }
    return had !== exists && this.stored.has(path);
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  /** Paths of all transcripts (and of sidecars without their transcript), sorted. */
  get transcripts(): readonly string[] {
    return this.listed;
  }

  /**
   * One transcript: the live codings if it is open in an editor, else those in its sidecar; with
   * `viewer` (blind mode) only that coder's. A transcript deleted from disk while VS Code still holds
   * its document (it closes documents some time after their editors) counts as its files do: like a
   * sidecar without its transcript, nothing.
   */
  document(path: string, viewer?: string): TableDocument<E> {
    const live = this.gone.has(path) ? undefined : this.live.get(path);
    const shown = (codings: readonly Coding[]) => (viewer === undefined ? codings : codings.filter((c) => c.coder === viewer));
    if (live) return { path, codings: shown(live), hasSidecar: true };
    const stored = this.stored.get(path);
    const doc: TableDocument<E> = { path, codings: shown(stored?.codings ?? []), hasSidecar: !!stored };
    if (stored?.error !== undefined) doc.error = stored.error;
    if (stored && !this.files.has(path)) doc.transcriptMissing = true;
    return doc;
  }

  /** Every transcript, open ones included before any scan has seen their files, sorted by path. */
  documents(viewer?: string): TableDocument<E>[] {
    const paths = new Set(this.listed);
    for (const p of this.stored.keys()) paths.add(p);
    for (const p of this.live.keys()) if (!this.gone.has(p)) paths.add(p);
    return [...paths].sort().map((p) => this.document(p, viewer));
  }
}
