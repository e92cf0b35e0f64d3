// Reading the zip archives that .docx and .odt files are, with fflate, refusing zip bombs: the sizes
// the archive declares and the bytes it really inflates to are both held to a limit before anything
// (mammoth included) unpacks it.
import { Unzip, UnzipInflate, unzipSync } from 'fflate';

export interface ZipLimits {
  /** the most bytes all entries together may inflate to */
  maxBytes: number;
  /** the most entries */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxBytes: 256 * 1024 * 1024, maxEntries: 10000 };

/** Thrown with the reason alone; the caller adds the file's name and what it should have been. */
export class ZipError extends Error {}

const mib = (n: number) => `${Math.round(n / (1024 * 1024))} MiB`;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * Checks the archive without keeping anything: it must be a zip, list at most `maxEntries` entries,
 * and neither declare nor actually inflate to more than `maxBytes`. Returns the entry names.
 */
export function inspectZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): string[] {
  if (!isZip(bytes)) throw new ZipError('it is not a zip archive');
  const names: string[] = [];
  let declared = 0;
  try {
    unzipSync(bytes, {
      filter: (f) => {
        names.push(f.name);
        declared += f.originalSize;
        return false;
      },
    });
  } catch (err) {
    throw new ZipError(`the zip archive is damaged (${err instanceof Error ? err.message : String(err)})`);
  }
  if (names.length > limits.maxEntries) throw new ZipError(`the zip archive has ${names.length} entries, more than ${limits.maxEntries}: refused as a possible zip bomb`);
  if (declared > limits.maxBytes) throw new ZipError(`the zip archive unpacks to ${mib(declared)}, more than ${mib(limits.maxBytes)}: refused as a possible zip bomb`);

  // The declared sizes may lie: inflate everything once, counting, and stop at the limit.
  let inflated = 0;
  let failure: ZipError | undefined;
  const unzip = new Unzip((file) => {
    file.ondata = (err, data) => {
      if (failure) return;
      if (err) {
        failure = new ZipError(`the zip archive is damaged (${file.name}: ${err.message})`);
        return;
      }
      inflated += data.length;
      if (inflated > limits.maxBytes) {
        failure = new ZipError(`the zip archive unpacks to more than ${mib(limits.maxBytes)}: refused as a possible zip bomb`);
        file.terminate();
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const CHUNK = 16 * 1024;
  try {
    for (let i = 0; i < bytes.length && !failure; i += CHUNK) unzip.push(bytes.subarray(i, i + CHUNK), i + CHUNK >= bytes.length);
  } catch (err) {
    failure ??= new ZipError(`the zip archive is damaged (${err instanceof Error ? err.message : String(err)})`);
  }
  if (failure) throw failure;
  return names;
}

/** One entry's bytes (after `inspectZip` accepted the archive), or undefined when there is none. */
export function zipEntry(bytes: Uint8Array, name: string): Uint8Array | undefined {
  try {
    return unzipSync(bytes, { filter: (f) => f.name === name })[name];
  } catch (err) {
    throw new ZipError(`the zip archive is damaged (${err instanceof Error ? err.message : String(err)})`);
  }
}
