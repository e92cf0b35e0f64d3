// All-or-nothing writing for imports (REFI-QDA, Import Transcript): every target path is checked first
// (safe, not too long for a file system, no two items on one path, no file where another needs a
// folder), then every file is written into a staging folder inside the target, `.grounded-import-*`,
// and read back; only when all of them are there and hold what was meant are they moved into place.
// On any failure the staging folder is removed and the message names the file imported from and the
// item (the source, the note, ...) that could not be written. Nothing here touches a file system of
// its own: the CLI gives Node's fs, the extension vscode.workspace.fs (ports.ts).
import type { FileSystemPort } from './ports';

/** One file an import writes: its path in the target folder, its text, and what it comes from. */
export interface PlannedFile {
  path: string;
  text: string;
  /** for messages: `the source "Interview 3"`, `the codings of the source "Interview 3"`, `grounded.json` */
  item: string;
}

/** An import that cannot be written; the message is for the user and starts with the file imported from. */
export class StagingError extends Error {}

/** The longest name of one file or folder, in UTF-8 bytes (ext4, APFS, NTFS: 255). */
export const MAX_SEGMENT_BYTES = 255;
/** The longest path inside the target folder, in UTF-8 bytes (leaves room for the folder itself under PATH_MAX). */
export const MAX_PATH_BYTES = 1024;
/** The folder files are written to first, inside the target; never a transcript (a dot folder). */
export const STAGING_PREFIX = '.grounded-import-';

export interface StagingOptions {
  /** the file imported from, as the user named it: every message starts with it */
  source: string;
  /** makes the error thrown (default: StagingError) */
  refuse?: (message: string) => Error;
  /** the staging folder's suffix; random by default */
  suffix?: string;
}

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;
const key = (p: string): string => p.normalize('NFC').toLowerCase();

/**
 * The first problem with the target paths, or undefined when they can all be written: each a safe
 * relative path, no name longer than 255 bytes, no two items on one path (ignoring case, as macOS and
 * Windows do), no item's file where another item needs a folder (`notes.txt` and `notes.txt/second.txt`).
 */
export function targetPathProblem(files: readonly PlannedFile[]): string | undefined {
  const files_ = new Map<string, PlannedFile>();
  const folders = new Map<string, PlannedFile>();
  for (const f of files) {
    const p = f.path;
    // eslint-disable-next-line no-control-regex
    if (!p || p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p) || /[\u0000-\u001f]/.test(p)) return `${f.item} would be written to "${p}", which is not a safe path inside the folder`;
    const parts = p.split('/');
    if (parts.some((s) => s === '' || s === '.' || s === '..')) return `${f.item} would be written to "${p}", which is not a safe path inside the folder`;
    if (parts[0].startsWith(STAGING_PREFIX)) return `${f.item} would be written to "${p}", a name Grounded keeps for its own use`;
    const long = parts.find((s) => utf8Length(s) > MAX_SEGMENT_BYTES);
    if (long !== undefined) return `${f.item} needs the name "${long.slice(0, 40)}…", ${utf8Length(long)} bytes long: file systems allow ${MAX_SEGMENT_BYTES}; shorten the name and import again`;
    if (utf8Length(p) > MAX_PATH_BYTES) return `${f.item} needs the path "${p.slice(0, 40)}…", ${utf8Length(p)} bytes long: the most Grounded writes is ${MAX_PATH_BYTES}; shorten the name and import again`;
    const k = key(p);
    const same = files_.get(k);
    if (same) return `${same.item} and ${f.item} would both be written to "${p}"`;
    const asFolder = folders.get(k);
    if (asFolder) return `${f.item} would be written to the file "${p}", and ${asFolder.item} needs a folder of that name ("${asFolder.path}")`;
    files_.set(k, f);
    for (let i = 1; i < parts.length; i++) {
      const dir = key(parts.slice(0, i).join('/'));
      const file = files_.get(dir);
      if (file) return `${file.item} would be written to the file "${file.path}", and ${f.item} needs a folder of that name ("${p}")`;
      if (!folders.has(dir)) folders.set(dir, f);
    }
  }
  return undefined;
}

/**
 * The problem with writing the files beside what the folder already holds, or undefined: a file where
 * a path needs a folder, or a file (or folder) at one of the paths. Asks the file system about each
 * path rather than listing the folder, so a large workspace costs nothing, and a file system that
 * ignores case answers for `Notes.txt` when asked for `notes.txt`.
 */
export async function existingPathProblem(fs: FileSystemPort, files: readonly PlannedFile[]): Promise<string | undefined> {
  const folders = new Map<string, PlannedFile>();
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) if (!folders.has(parts.slice(0, i).join('/'))) folders.set(parts.slice(0, i).join('/'), f);
  }
  for (const [dir, f] of folders) {
    let isFile: boolean;
    try {
      isFile = (await fs.readText(dir)) !== undefined;
    } catch {
      isFile = false; // a folder cannot be read as text
    }
    if (isFile) return `${f.item} needs the folder "${dir}", and the folder already has a file of that name`;
  }
  const clash: PlannedFile[] = [];
  for (const f of files) if (await occupied(fs, f.path)) clash.push(f);
  if (clash.length) {
    const shown = clash.slice(0, 3).map((f) => `${f.path} (${f.item})`);
    return `the folder already has ${shown.join(', ')}${clash.length > 3 ? ` and ${clash.length - 3} more` : ''}, and an import never overwrites`;
  }
  return undefined;
}

/** True when something is at the path (a file, or a folder, which cannot be read as text). */
async function occupied(fs: FileSystemPort, path: string): Promise<boolean> {
  try {
    return (await fs.readText(path)) !== undefined;
  } catch {
    return true;
  }
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Writes all the files or none. Checks the paths, writes each into `.grounded-import-*` in the folder
 * and reads it back, checks that no target exists (also as another case of the same name on a file
 * system that ignores case), then moves each into place. On any failure the staging folder and
 * whatever was moved are removed, and the error names `options.source` and the item.
 */
export async function writeAllOrNothing(fs: FileSystemPort, files: readonly PlannedFile[], options: StagingOptions): Promise<void> {
  const writer = new StagedWriter(fs, options);
  const problem = targetPathProblem(files) ?? (await existingPathProblem(fs, files));
  if (problem) throw writer.fail(problem);
  try {
    for (const f of files) await writer.add(f);
    await writer.commit(undefined, true);
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

/**
 * writeAllOrNothing for files made one at a time (the streamed REFI-QDA import): `add` writes each into
 * `.grounded-import-*` and reads it back, keeping only its path and item; `commit` checks every path
 * (as writeAllOrNothing does, in the order given) and moves them into place; `abort` removes whatever
 * was written. Nothing is moved into place before every file is written and checked.
 */
export class StagedWriter {
  private readonly staging: string;
  private readonly files: PlannedFile[] = [];
  private readonly moved: string[] = [];
  private readonly newFolders: string[] = [];
  private readonly refuse: (message: string) => Error;

  constructor(
    private readonly fs: FileSystemPort,
    private readonly options: StagingOptions,
  ) {
    this.refuse = options.refuse ?? ((m: string) => new StagingError(m));
    this.staging = `${STAGING_PREFIX}${options.suffix ?? Math.random().toString(36).slice(2, 10)}`;
  }

  /** The error of a refused import: the source, the message, and that nothing was written. */
  fail(message: string): Error {
    return this.refuse(`${this.options.source}: ${message}; nothing was written`);
  }

  /** Writes one file into the staging folder and reads it back; its text is not kept. */
  async add(f: PlannedFile): Promise<void> {
    const problem = targetPathProblem([f]);
    if (problem) throw this.fail(problem);
    const at = `${this.staging}/${f.path}`;
    this.files.push({ path: f.path, text: '', item: f.item });
    try {
      await this.fs.writeText(at, f.text);
      const back = await this.fs.readText(at);
      if (back?.replace(/^\uFEFF/, '') !== f.text.replace(/^\uFEFF/, '')) throw new Error('it did not read back as written');
    } catch (err) {
      throw this.fail(`${f.item} could not be written to "${f.path}" (${reason(err)})`);
    }
  }

  /**
   * Checks every path (in the order `compare` gives; `checked`: the caller checked them before anything
   * was written), that no target exists, then moves each file into place, in that order.
   */
  async commit(compare?: (a: string, b: string) => number, checked = false): Promise<void> {
    const { fs } = this;
    const files = compare ? [...this.files].sort((a, b) => compare(a.path, b.path)) : this.files;
    const problem = checked ? undefined : (targetPathProblem(files) ?? (await existingPathProblem(fs, files)));
    if (problem) throw this.fail(problem);
    let current: PlannedFile | undefined;
    try {
      for (const f of files) {
        if (await occupied(fs, f.path)) {
          current = f;
          throw new Error(`"${f.path}" exists (perhaps under another case of the same name), and an import never overwrites`);
        }
      }
      const probed = new Set<string>();
      for (const f of files) {
        const parts = f.path.split('/');
        for (let i = 1; i < parts.length; i++) {
          const dir = parts.slice(0, i).join('/');
          if (probed.has(dir)) continue;
          probed.add(dir);
          // undefined: nothing there (a file there was refused above; a folder cannot be read as text)
          if ((await fs.readText(dir).catch(() => '')) === undefined) {
            this.newFolders.push(dir);
            break; // the folders inside it are new as well, and go with it
          }
        }
      }
      for (const f of files) {
        current = f;
        await fs.rename(`${this.staging}/${f.path}`, f.path);
        this.moved.push(f.path);
      }
      current = undefined;
      if (fs.deleteFolder) await fs.deleteFolder(this.staging).catch(() => undefined);
    } catch (err) {
      throw this.fail(current ? `${current.item} could not be written to "${current.path}" (${reason(err)})` : reason(err));
    }
  }

  /** Removes what was written and moved: the folder is as it was. */
  async abort(): Promise<void> {
    const { fs } = this;
    for (const p of this.moved.splice(0)) await fs.delete(p).catch(() => undefined);
    for (const d of this.newFolders.splice(0)) {
      if (fs.deleteFolder && (await fs.list(d).catch(() => ['?'])).length === 0) await fs.deleteFolder(d).catch(() => undefined);
    }
    if (fs.deleteFolder) await fs.deleteFolder(this.staging).catch(() => undefined);
    else for (const f of this.files) await fs.delete(`${this.staging}/${f.path}`).catch(() => undefined);
  }
}
