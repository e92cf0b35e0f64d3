// FileSystemPort on Node's fs, for the CLI and the tests. Paths are relative to `root` with forward
// slashes, as everywhere in the core; a path that would leave the root is refused.
import { closeSync, mkdirSync, openSync, promises as fsp, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as nodePath from 'node:path';
import { hashText, hashUtf8 } from '../core/hash';
import type { ChunkWriter, FileSystemPort, LfText } from '../core/ports';
import { normalizeEol } from '../core/text';

const SKIPPED_DIRS = new Set(['node_modules', '.git']);

export class NodeFileSystem implements FileSystemPort {
  readonly root: string;

  constructor(root: string) {
    this.root = nodePath.resolve(root);
  }

  /** Absolute path of a root-relative path. */
  resolve(relPath: string): string {
    const abs = nodePath.resolve(this.root, relPath);
    const rel = nodePath.relative(this.root, abs);
    if (rel === '..' || rel.startsWith('..' + nodePath.sep) || nodePath.isAbsolute(rel)) throw new Error(`path outside the project folder: ${relPath}`);
    return abs;
  }

  /**
   * Read synchronously: the CLI reads one file after another, and `fs.promises.readFile` costs more
   * CPU and leaves the process idle between the thread pool's chunks (a third more time for a whole
   * project in bench/terminal.ts). Nothing else runs meanwhile that a blocked event loop would delay.
   * Decoded by Node's own UTF-8 reader (invalid bytes become U+FFFD exactly as TextDecoder makes them,
   * at a fraction of TextDecoder's cost); a leading byte order mark is dropped, as TextDecoder and
   * VS Code drop it: both ports then see the same text.
   */
  async readText(path: string): Promise<string | undefined> {
    const bytes = this.bytesOf(path);
    return bytes === undefined ? undefined : decode(bytes);
  }

  /**
   * core/ports.ts `readLfText`: when the file's bytes are already the UTF-8 of its LF text (valid UTF-8,
   * no CR; a byte order mark aside), those bytes are hashed, without encoding the text to UTF-8 again.
   */
  async readLfText(path: string): Promise<LfText | undefined> {
    const bytes = this.bytesOf(path);
    if (bytes === undefined) return undefined;
    const text = decode(bytes);
    if (text.indexOf('\r') === -1 && isUtf8(bytes)) {
      // valid UTF-8 that begins with EF BB BF: the byte order mark `decode` dropped
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      return { text, hash: hashUtf8(bom ? bytes.subarray(3) : bytes) };
    }
    const lf = normalizeEol(text);
    return { text: lf, hash: hashText(lf) };
  }

  /**
   * The whole file in one read (`readFileSync(path, 'utf8')` reads it 8 KiB at a time and decodes the
   * same bytes the same way, for a tenth more time over a whole project); undefined when it does not exist.
   */
  private bytesOf(path: string): Buffer | undefined {
    try {
      return readFileSync(this.resolve(path));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The bytes as they are on disk (readText's, before decoding). */
  async readBytes(path: string): Promise<Uint8Array | undefined> {
    return this.bytesOf(path);
  }

  async holdsBytes(path: string, bytes: Uint8Array): Promise<boolean> {
    try {
      return readFileSync(this.resolve(path)).equals(bytes);
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /**
   * Writes, renames, locks and deletes are synchronous too, for the same reason: a save is a handful of
   * small file operations (the lock made and removed, a temporary file written and renamed), and each
   * round trip through the thread pool left the process idle for longer than the operation itself (a
   * save of one sidecar took twice as long). The folder is made only when it is missing (a save's
   * temporary file sits beside its file: it almost never is).
   */
  async writeText(path: string, text: string): Promise<void> {
    const abs = this.resolve(path);
    inFolder(abs, () => writeFileSync(abs, text, 'utf8'));
  }

  /** fs.rename replaces an existing target, on Windows too (MoveFileEx with REPLACE_EXISTING). */
  async rename(from: string, to: string): Promise<void> {
    const source = this.resolve(from);
    const target = this.resolve(to);
    inFolder(target, () => renameSync(source, target));
  }

  /** The exclusive create of a lock (core/lock.ts): O_CREAT|O_EXCL, which only one process can win. */
  async createExclusive(path: string, text: string): Promise<boolean> {
    const abs = this.resolve(path);
    try {
      // The folder almost always exists (the lock sits beside the file it guards): make it only if not.
      inFolder(abs, () => writeFileSync(abs, text, { encoding: 'utf8', flag: 'wx' }));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  }

  async modifiedTime(path: string): Promise<number | undefined> {
    try {
      return statSync(this.resolve(path)).mtimeMs;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Deleting a file that is already gone is not an error. */
  async delete(path: string): Promise<void> {
    try {
      unlinkSync(this.resolve(path));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Removes a folder with everything in it; a folder that is already gone is not an error. */
  async deleteFolder(path: string): Promise<void> {
    if (!path || path === '.') throw new Error('refusing to delete the project folder itself');
    await fsp.rm(this.resolve(path), { recursive: true, force: true });
  }

  /** Root-relative paths (forward slashes, sorted) of every file under `dir`; [] for a missing folder. */
  async list(dir: string): Promise<string[]> {
    const out: string[] = [];
    const walk = async (abs: string): Promise<void> => {
      let entries;
      try {
        entries = await fsp.readdir(abs, { withFileTypes: true });
      } catch (err) {
        if (isNotFound(err) || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return;
        throw err;
      }
      for (const e of entries) {
        const child = nodePath.join(abs, e.name);
        if (e.isDirectory()) {
          if (!SKIPPED_DIRS.has(e.name)) await walk(child);
        } else if (e.isFile()) {
          out.push(nodePath.relative(this.root, child).split(nodePath.sep).join('/'));
        }
      }
    };
    await walk(this.resolve(dir || '.'));
    return out.sort();
  }
}

/**
 * Runs `io`, which writes `abs`; if it fails because a folder is missing, makes the folder of `abs` and
 * runs it once more (a missing source of a rename fails the second time too, with its own error).
 */
function inFolder(abs: string, io: () => void): void {
  try {
    io();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    mkdirSync(nodePath.dirname(abs), { recursive: true });
    io();
  }
}

/** UTF-8 bytes as text, a leading byte order mark dropped (see `readText`). */
function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/**
 * A file written piece by piece (core/ports.ts ChunkWriter) to a temporary file beside `file`, renamed
 * onto it when closed: a failure midway leaves the file as it was and no half-written one.
 */
export class NodeChunkWriter implements ChunkWriter {
  private fd: number | undefined;
  private readonly tmp: string;

  constructor(readonly file: string) {
    this.tmp = `${file}.${Math.random().toString(36).slice(2, 10)}.tmp`;
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (err) {
      // named as a write of the file itself would name it (a missing folder, say)
      if (err instanceof Error) err.message = err.message.split(this.tmp).join(file);
      throw err;
    }
  }

  write(chunk: string | Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.file}: written after it was closed`);
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at, bytes.length - at);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.tmp, this.file);
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }
}
