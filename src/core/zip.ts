// Zip archives (.qdpx, .docx, .odt), with fflate. Reading is defensive: entry names that would leave the
// target folder are refused, declared sizes (central directory) are checked against limits before
// anything is inflated, and inflating stops as soon as an entry grows past its limit, whatever its
// header said (a zip bomb never gets more than one chunk past the limit).
import { Unzip, UnzipInflate, unzipSync, zipSync } from 'fflate';

/** An archive that is refused: the message is for the user and starts with the file's name. */
export class ZipError extends Error {}

/** Makes the error thrown for a refused archive (the REFI-QDA import throws its own kind). */
export type ZipErrorFactory = (message: string) => Error;

export interface ZipLimits {
  /** largest uncompressed entry, in bytes */
  maxEntryBytes: number;
  /** largest uncompressed total, in bytes */
  maxTotalBytes: number;
  maxEntries: number;
}

// project.qde of 500 transcripts with 100,000 codings is about 67 MiB: an entry may be 256 MiB.
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 256 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024, maxEntries: 20000 };

/** Compressed bytes pushed into the inflater at a time: bounds what one step can produce (~1000x). */
const CHUNK = 16 * 1024;

const mib = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/**
 * A safe archive path: relative, forward slashes, no `..`, no drive letter, no control characters.
 * Returns the normalised path, or undefined when the entry would land outside the target folder.
 */
export function safeEntryPath(name: string): string | undefined {
  const n = name.replace(/\\/g, '/');
  // eslint-disable-next-line no-control-regex
  if (!n || n.startsWith('/') || /^[A-Za-z]:/.test(n) || /[\u0000-\u001f]/.test(n)) return undefined;
  const parts = n.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}

/** The files of a zip archive by path (folders left out). Throws (a ZipError by default) on anything unsafe. */
export function readZip(
  bytes: Uint8Array,
  fileName: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  refuse: ZipErrorFactory = (m) => new ZipError(m),
): Map<string, Uint8Array> {
  const ours = new WeakSet<Error>();
  const fail = (message: string): Error => {
    const e = refuse(message);
    ours.add(e);
    return e;
  };
  const isOurs = (e: unknown): e is Error => e instanceof Error && ours.has(e);
  // 1. The central directory: names and declared sizes, nothing inflated yet.
  let declaredTotal = 0;
  let count = 0;
  try {
    unzipSync(bytes, {
      filter: (f) => {
        if (++count > limits.maxEntries) throw fail(`${fileName}: more than ${limits.maxEntries} entries`);
        if (safeEntryPath(f.name) === undefined) throw fail(`${fileName}: the entry "${f.name}" would be written outside the target folder`);
        if (f.originalSize > limits.maxEntryBytes) throw fail(`${fileName}: the entry "${f.name}" is too large (${mib(f.originalSize)} uncompressed; the limit is ${mib(limits.maxEntryBytes)})`);
        declaredTotal += f.originalSize;
        if (declaredTotal > limits.maxTotalBytes) throw fail(`${fileName}: the archive is too large uncompressed (more than ${mib(limits.maxTotalBytes)})`);
        return false;
      },
    });
  } catch (err) {
    if (isOurs(err)) throw err;
    throw fail(`${fileName}: not a zip archive (${err instanceof Error ? err.message : String(err)})`);
  }

  // 2. The entries, inflated in small steps while counting the bytes they actually produce.
  const files = new Map<string, Uint8Array>();
  let failure: Error | undefined;
  let total = 0;
  const unzip = new Unzip((file) => {
    if (failure) return;
    const path = safeEntryPath(file.name);
    if (path === undefined) {
      failure = fail(`${fileName}: the entry "${file.name}" would be written outside the target folder`);
      return;
    }
    if (file.originalSize !== undefined && file.originalSize > limits.maxEntryBytes) {
      failure = fail(`${fileName}: the entry "${file.name}" is too large (${mib(file.originalSize)} uncompressed; the limit is ${mib(limits.maxEntryBytes)})`);
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) {
        failure = fail(`${fileName}: the entry "${file.name}" is damaged (${err.message})`);
        return;
      }
      size += data.length;
      total += data.length;
      if (size > limits.maxEntryBytes) {
        failure = fail(`${fileName}: the entry "${file.name}" inflates to more than ${mib(limits.maxEntryBytes)}, more than it declares; stopped`);
        return;
      }
      if (total > limits.maxTotalBytes) {
        failure = fail(`${fileName}: the archive inflates to more than ${mib(limits.maxTotalBytes)}; stopped`);
        return;
      }
      chunks.push(data);
      if (final && !file.name.endsWith('/')) files.set(path, concat(chunks, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let i = 0; i < bytes.length && !failure; i += CHUNK) unzip.push(bytes.subarray(i, i + CHUNK), i + CHUNK >= bytes.length);
  } catch (err) {
    if (isOurs(err)) throw err;
    failure ??= fail(`${fileName}: the zip archive is damaged (${err instanceof Error ? err.message : String(err)})`);
  }
  if (failure) throw failure;
  return files;
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A fixed date for every entry, so that the same project gives the same bytes. */
const FIXED_MTIME = new Date(2000, 0, 1, 0, 0, 0); // local time: zip stores local time, so every time zone writes the same bytes

/** A deflated zip of the files, in the order given, with fixed timestamps. */
export function writeZip(files: ReadonlyArray<[string, Uint8Array]>): Uint8Array {
  const tree: Record<string, [Uint8Array, { mtime: Date; level: 6 }]> = {};
  for (const [path, data] of files) tree[path] = [data, { mtime: FIXED_MTIME, level: 6 }];
  return zipSync(tree);
}
