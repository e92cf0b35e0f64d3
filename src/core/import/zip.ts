// The zip archives that .docx and .odt files are, read with the shared defensive reader (../zip.ts):
// the sizes the archive declares and the bytes it really inflates to are both held to a limit before
// anything (mammoth included) unpacks it.
import { ZipError, readZip } from '../zip';

export { ZipError };

export interface ZipLimits {
  /** the most bytes all entries together (and any one of them) may inflate to */
  maxBytes: number;
  /** the most entries */
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxBytes: 256 * 1024 * 1024, maxEntries: 10000 };

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The entries of the archive, by path, after checking it: a zip, at most `maxEntries` entries, neither
 * declaring nor actually inflating to more than `maxBytes`, no entry leaving its folder.
 */
export function readArchive(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Map<string, Uint8Array> {
  if (!isZip(bytes)) throw new ZipError('it is not a zip archive');
  return readZip(bytes, 'the zip archive', { maxEntryBytes: limits.maxBytes, maxTotalBytes: limits.maxBytes, maxEntries: limits.maxEntries }, (m) => new ZipError(m));
}
