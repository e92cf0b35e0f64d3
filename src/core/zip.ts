// Zip archives (.qdpx, .docx, .odt), with fflate. Reading is defensive: entry names that would leave the
// target folder are refused, declared sizes (central directory) are checked against limits before
// anything is inflated, and inflating stops as soon as an entry grows past its limit, whatever its
// header said (a zip bomb never gets more than one chunk past the limit).
import { Unzip, UnzipInflate, deflateSync, unzipSync, zipSync } from 'fflate';
import type { ChunkWriter } from './ports';

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
  /** most an entry over 1 MiB may be compressed, uncompressed size over compressed (default 200) */
  maxRatio?: number;
}

// project.qde of 500 transcripts with 100,000 codings is about 67 MiB: an entry may be 256 MiB.
// 10,000 entries: a project of several thousand sources, each a file in sources/.
export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 256 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024, maxEntries: 10000 };

/** Text and XML compress 3 to 30 times; past 200 is a file made to fill memory (deflate reaches 1032). */
export const DEFAULT_MAX_RATIO = 200;
/** Entries up to this size are never held to the ratio: small enough to inflate whatever their ratio. */
const RATIO_FREE_BYTES = 1024 * 1024;

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

interface DirectoryEntry {
  name: string;
  /** Unix file mode from the external attributes (0 when the archive was made elsewhere) */
  mode: number;
}

/**
 * The names and Unix modes in the central directory, read directly (fflate does not give the
 * external attributes). Stops at `maxEntries + 1` entries. Undefined when there is no directory to
 * read (the archive is then refused).
 */
function centralDirectory(bytes: Uint8Array, maxEntries: number): DirectoryEntry[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  let count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const z = Number(view.getBigUint64(eocd - 12, true));
    if (z + 56 > bytes.length || view.getUint32(z, true) !== 0x06064b50) return undefined;
    count = Number(view.getBigUint64(z + 32, true));
    offset = Number(view.getBigUint64(z + 48, true));
  }
  const out: DirectoryEntry[] = [];
  const decoder = new TextDecoder();
  for (let i = 0, at = offset; i < count && out.length <= maxEntries; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const mode = view.getUint32(at + 38, true) >>> 16;
    out.push({ name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)), mode });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** What readZip gives for an entry `keep` declined: its name and declared size checked, not inflated (read it with inflateEntry). */
export const LEFT_OUT: Uint8Array = new Uint8Array(0);

/**
 * The files of a zip archive by path (folders left out). Throws (a ZipError by default) on anything unsafe.
 * An entry whose path `keep` declines is not inflated, and given as LEFT_OUT; `sizes` receives each
 * entry's declared size and the bytes the others inflated to (for inflateEntry's limits).
 */
export function readZip(
  bytes: Uint8Array,
  fileName: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  refuse: ZipErrorFactory = (m) => new ZipError(m),
  keep: (path: string) => boolean = () => true,
  sizes?: { declared: Map<string, number>; total: number },
): Map<string, Uint8Array> {
  const ours = new WeakSet<Error>();
  const fail = (message: string): Error => {
    const e = refuse(message);
    ours.add(e);
    return e;
  };
  const isOurs = (e: unknown): e is Error => e instanceof Error && ours.has(e);
  const maxRatio = limits.maxRatio ?? DEFAULT_MAX_RATIO;
  const tooMany = () => fail(`${fileName}: more than ${limits.maxEntries} entries; refused as a possible zip bomb`);
  // 0. The central directory read directly: the number of entries, links, names given twice.
  const directory = centralDirectory(bytes, limits.maxEntries);
  if (!directory) throw fail(`${fileName}: not a zip archive, or a damaged or cut-off one (its central directory cannot be read)`);
  if (directory.length > limits.maxEntries) throw tooMany();
  const seen = new Set<string>();
  for (const e of directory) {
    if ((e.mode & S_IFMT) === S_IFLNK) throw fail(`${fileName}: the entry "${e.name}" is a symbolic link; an archive to import holds files only`);
    const path = safeEntryPath(e.name);
    if (path === undefined) throw fail(`${fileName}: the entry "${e.name}" would be written outside the target folder`);
    if (path && !e.name.endsWith('/') && seen.has(path)) throw fail(`${fileName}: the entry "${e.name}" is in the archive twice; which one is meant cannot be told`);
    seen.add(path);
  }

  // 1. The central directory again through fflate: declared sizes, nothing inflated yet.
  let declaredTotal = 0;
  let count = 0;
  const declared = new Map<string, number>();
  try {
    unzipSync(bytes, {
      filter: (f) => {
        if (++count > limits.maxEntries) throw tooMany();
        if (safeEntryPath(f.name) === undefined) throw fail(`${fileName}: the entry "${f.name}" would be written outside the target folder`);
        if (f.originalSize > limits.maxEntryBytes) throw fail(`${fileName}: the entry "${f.name}" is too large (${mib(f.originalSize)} uncompressed; the limit is ${mib(limits.maxEntryBytes)}); refused as a possible zip bomb`);
        if (f.originalSize > RATIO_FREE_BYTES && f.originalSize > maxRatio * Math.max(1, f.size)) {
          throw fail(`${fileName}: the entry "${f.name}" is compressed ${Math.round(f.originalSize / Math.max(1, f.size))} times (${mib(f.originalSize)} from ${f.size} bytes; text is never compressed more than ${maxRatio} times); refused as a possible zip bomb`);
        }
        declaredTotal += f.originalSize;
        if (declaredTotal > limits.maxTotalBytes) throw fail(`${fileName}: the archive is too large uncompressed (more than ${mib(limits.maxTotalBytes)}); refused as a possible zip bomb`);
        declared.set(f.name, f.originalSize);
        return false;
      },
    });
  } catch (err) {
    if (isOurs(err)) throw err;
    throw fail(`${fileName}: not a zip archive, or a damaged or cut-off one (${err instanceof Error ? err.message : String(err)})`);
  }

  // 2. The entries, inflated in small steps while counting the bytes they actually produce: none may
  // grow past what the directory declares for it (a lying header), nor past the limits.
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
    const size0 = declared.get(file.name);
    if (size0 === undefined) {
      failure = fail(`${fileName}: the entry "${file.name}" is not in the archive's directory; the archive is damaged or made to deceive`);
      return;
    }
    const cap = Math.min(size0, limits.maxEntryBytes);
    const chunks: Uint8Array[] = [];
    if (!keep(path)) {
      // not inflated here: inflateEntry checks its size as it inflates it
      if (!file.name.endsWith('/')) files.set(path, LEFT_OUT);
      return;
    }
    let size = 0;
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) {
        failure = fail(`${fileName}: the entry "${file.name}" is damaged (${err.message})`);
        return;
      }
      size += data.length;
      total += data.length;
      if (size > cap) {
        failure = fail(`${fileName}: the entry "${file.name}" inflates to more than the ${size0} bytes it declares; stopped, refused as a possible zip bomb`);
        return;
      }
      if (total > limits.maxTotalBytes) {
        failure = fail(`${fileName}: the archive inflates to more than ${mib(limits.maxTotalBytes)}; stopped, refused as a possible zip bomb`);
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
  const missing = [...declared.keys()].find((n) => !n.endsWith('/') && !files.has(safeEntryPath(n)!));
  if (missing !== undefined) throw fail(`${fileName}: the entry "${missing}" could not be read in full; the archive is damaged or cut off`);
  if (sizes) {
    for (const [name, size] of declared) if (safeEntryPath(name) !== undefined) sizes.declared.set(safeEntryPath(name)!, size);
    sizes.total = total;
  }
  return files;
}

/**
 * The bytes of one entry (by its safe path) inflated a piece at a time, for an archive readZip has
 * checked: only the piece being read is in memory. Throws when the entry is damaged, not there, cut off,
 * or inflates to more than `cap` bytes.
 */
export function* inflateEntry(bytes: Uint8Array, path: string, cap: number): Generator<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let found = false;
  let done = false;
  let size = 0;
  let failure: Error | undefined;
  const unzip = new Unzip((file) => {
    if (found || safeEntryPath(file.name) !== path) return;
    found = true;
    file.ondata = (err, data, final) => {
      if (err) failure ??= err;
      else if ((size += data.length) > cap) failure ??= new Error(`the entry ${path} inflates to more than ${cap} bytes`);
      else if (data.length) pieces.push(data);
      if (final) done = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let i = 0; i < bytes.length; i += CHUNK) {
    unzip.push(bytes.subarray(i, i + CHUNK), i + CHUNK >= bytes.length);
    if (failure) throw failure;
    while (pieces.length) yield pieces.shift()!;
  }
  if (!found || !done) throw new Error(`the entry ${path} is not in the archive, or not in full`);
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

/** An entry deflated on its own, ready for ZipWriter. */
export interface DeflatedEntry {
  name: string;
  /** CRC-32 of the uncompressed bytes */
  crc: number;
  /** uncompressed size */
  size: number;
  data: Uint8Array;
}

/** An entry deflated as writeZip deflates it (level 6): the same bytes. */
export function deflateEntry(name: string, bytes: Uint8Array): DeflatedEntry {
  return { name, crc: crc32(bytes), size: bytes.length, data: deflateSync(bytes, { level: 6 }) };
}

/**
 * The archive writeZip makes, byte for byte (fflate's zipSync layout: no data descriptors, no extra
 * fields, fixed dates), written to a ChunkWriter an entry at a time: only the entry being written and the
 * central directory's small records are in memory. Entries must be added in writeZip's order.
 */
export class ZipWriter {
  private offset = 0;
  private readonly directory: Uint8Array[] = [];
  private readonly names = new Set<string>();

  constructor(private readonly out: ChunkWriter) {}

  add(entry: DeflatedEntry): void {
    if (this.names.has(entry.name)) throw new Error(`zip: the entry ${entry.name} twice`);
    this.names.add(entry.name);
    const name = new TextEncoder().encode(entry.name);
    if (name.length > 65535) throw new Error(`zip: the name ${entry.name.slice(0, 40)}… is too long`);
    const utf8 = name.length !== entry.name.length;
    const local = header(false, name, utf8, entry, 0);
    this.directory.push(header(true, name, utf8, entry, this.offset));
    this.out.write(local);
    this.out.write(entry.data);
    this.offset += local.length + entry.data.length;
  }

  /** The central directory and its end record. */
  end(): void {
    let size = 0;
    for (const d of this.directory) {
      this.out.write(d);
      size += d.length;
    }
    const eocd = new Uint8Array(22);
    const v = new DataView(eocd.buffer);
    v.setUint32(0, 0x06054b50, true);
    v.setUint16(8, this.directory.length, true);
    v.setUint16(10, this.directory.length, true);
    v.setUint32(12, size, true);
    v.setUint32(16, this.offset, true);
    this.out.write(eocd);
  }
}

/** A local (30 bytes + name) or central (46 bytes + name) header, as fflate writes them for zipSync. */
function header(central: boolean, name: Uint8Array, utf8: boolean, e: DeflatedEntry, offset: number): Uint8Array {
  const d = new Uint8Array((central ? 46 : 30) + name.length);
  const v = new DataView(d.buffer);
  let b = 0;
  v.setUint32(b, central ? 0x02014b50 : 0x04034b50, true);
  b += 4;
  if (central) {
    d[b++] = 20; // made by version 2.0, os 0
    d[b++] = 0;
  }
  d[b] = 20; // version needed to extract
  b += 2;
  d[b++] = 0; // flags: no data descriptor
  d[b++] = utf8 ? 8 : 0; // bit 11: UTF-8 name
  d[b++] = 8; // deflate
  d[b++] = 0;
  const t = FIXED_MTIME;
  v.setUint32(b, (((t.getFullYear() - 1980) << 25) | ((t.getMonth() + 1) << 21) | (t.getDate() << 16) | (t.getHours() << 11) | (t.getMinutes() << 5) | (t.getSeconds() >> 1)) >>> 0, true);
  v.setUint32(b + 4, e.crc >>> 0, true);
  v.setUint32(b + 8, e.data.length, true);
  v.setUint32(b + 12, e.size, true);
  v.setUint16(b + 16, name.length, true);
  b += 20; // extra field length 0
  if (central) {
    // comment length, disk, internal and external attributes: 0; then the local header's offset
    v.setUint32(b + 10, offset, true);
    b += 14;
  }
  d.set(name, b);
  return d;
}

let CRC_TABLE: Int32Array | undefined;

/** CRC-32 (IEEE), as zip stores it. */
export function crc32(bytes: Uint8Array): number {
  const table = (CRC_TABLE ??= (() => {
    const t = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[i] = c;
    }
    return t;
  })());
  let c = -1;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
