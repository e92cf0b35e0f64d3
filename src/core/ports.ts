// Ports: what the core needs from the outside world, implemented by the CLI and tests with Node's fs
// (src/cli/nodeFs.ts) and by the extension with vscode.workspace.fs (src/vscode/workspaceFs.ts).
// The core itself never touches a file system.

/**
 * A file system rooted at the project folder. Paths are relative to that root, with forward slashes.
 */
export interface FileSystemPort {
  /** The file's bytes decoded as UTF-8, or `undefined` when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /**
   * The file's bytes, not decoded, or `undefined` when it does not exist; `new TextDecoder().decode`
   * of them is what `readText` gives. Optional, with `holdsBytes`: a save then sees that a file is still
   * exactly what it last read without decoding it again (core/store.ts).
   */
  readBytes?(path: string): Promise<Uint8Array | undefined>;
  /** True when the file exists and holds exactly `bytes` (compared natively: a memcmp). */
  holdsBytes?(path: string, bytes: Uint8Array): Promise<boolean>;
  /**
   * A transcript as the analysis reads it: its text (`readText`) with line ends made LF (core/text.ts
   * `normalizeEol`) and core/hash.ts `hashText` of that text; `undefined` when it does not exist.
   * Optional: core/hash.ts `readLfText` does the same without it. The CLI's hashes the file's bytes
   * when they are that text's UTF-8, instead of encoding the text again.
   */
  readLfText?(path: string): Promise<LfText | undefined>;
  /** Write the whole file (creating parent folders). Not atomic by itself: see `writeAtomic`. */
  writeText(path: string, text: string): Promise<void>;
  /** Rename, replacing `to` if it exists. */
  rename(from: string, to: string): Promise<void>;
  delete(path: string): Promise<void>;
  /** Remove a folder and everything in it; nothing when it does not exist (used to clear an import's staging folder). */
  deleteFolder?(path: string): Promise<void>;
  /** Relative paths of all files under `dir` (recursive), for example `list('memos')`. */
  list(dir: string): Promise<string[]>;
  /**
   * Creates the file with `text` only if nothing is at the path, in one step that two processes can
   * never both win (Node's `open` with `wx`); false when something is there. Used for the lock of a
   * save (core/lock.ts). Optional: a port without it takes no locks.
   */
  createExclusive?(path: string, text: string): Promise<boolean>;
  /** The file's last modification time (ms since the epoch), or `undefined` when it does not exist. */
  modifiedTime?(path: string): Promise<number | undefined>;
}

/** A text with LF line ends and its `hashText` (`sha256:` and the hex digest of its UTF-8). */
export interface LfText {
  text: string;
  hash: string;
}

/**
 * A file written piece by piece, for the outputs too large to hold whole in memory (the segments CSV of
 * `grounded report --all`, the .qdpx of `grounded export`). The CLI's is src/cli/nodeFs.ts
 * `NodeChunkWriter`; tests use `MemoryChunkWriter`. Text is written as UTF-8.
 */
export interface ChunkWriter {
  write(chunk: string | Uint8Array): void;
  /** every piece is written: the file is complete */
  close(): void;
  /** writing failed midway: leave nothing of it behind */
  abort(): void;
}

/** A ChunkWriter in memory, for tests: the pieces as given. */
export class MemoryChunkWriter implements ChunkWriter {
  readonly chunks: Array<string | Uint8Array> = [];
  closed = false;

  write(chunk: string | Uint8Array): void {
    if (this.closed) throw new Error('written after close');
    this.chunks.push(chunk);
  }

  close(): void {
    this.closed = true;
  }

  abort(): void {
    this.chunks.length = 0;
    this.closed = true;
  }

  /** everything written, as bytes */
  bytes(): Uint8Array {
    const enc = new TextEncoder();
    const parts = this.chunks.map((c) => (typeof c === 'string' ? enc.encode(c) : c));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** everything written, decoded as UTF-8 */
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

/** Clock and identity, injectable so tests are deterministic. */
export interface Environment {
  now(): string;
  newId(): string;
}

export const systemEnvironment: Environment = {
  now: () => new Date().toISOString(),
  newId: () => globalThis.crypto.randomUUID(),
};

/** Write through a temporary file and a rename, so a crash never leaves half a file behind. */
export async function writeAtomic(fs: FileSystemPort, path: string, text: string): Promise<void> {
  const tmp = `${path}.${Math.random().toString(36).slice(2, 10)}.tmp`;
  await fs.writeText(tmp, text);
  try {
    await fs.rename(tmp, path);
  } catch (err) {
    await fs.delete(tmp).catch(() => undefined);
    throw err;
  }
}
