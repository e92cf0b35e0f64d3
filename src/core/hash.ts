// Content hashes for documents. A sidecar records the hash of the text its anchors were computed
// against, so a changed transcript is noticed before any offset is trusted.
import * as crypto from 'node:crypto';
import type { FileSystemPort, LfText } from './ports';
import { normalizeEol } from './text';

export const HASH_PREFIX = 'sha256:';

/**
 * A hash that matches no text. A merge writes it when the merged codings came from transcripts with
 * different hashes, so that every coding is re-anchored on the next open instead of trusting offsets.
 */
export const UNKNOWN_HASH = HASH_PREFIX + '0'.repeat(64);

/** Node's one-shot `crypto.hash` (Node 20.12 and later): the same digest, without a Hash object per call. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

/** `sha256:<hex>` of a text's UTF-8 bytes, or of bytes. */
function sha256(data: string | Uint8Array): string {
  return HASH_PREFIX + (oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex'));
}

/** `sha256:<hex>` of the UTF-8 bytes of `lfText`. The caller normalises line endings to LF first. */
export function hashText(lfText: string): string {
  return sha256(lfText);
}

/**
 * `hashText` of the text whose UTF-8 `bytes` are, from the bytes themselves (a file read as it is on
 * disk), without encoding the text again. The caller knows them to be valid UTF-8 of an LF text.
 */
export function hashUtf8(bytes: Uint8Array): string {
  return sha256(bytes);
}

/** A transcript's LF text and its `hashText` (ports.ts `readLfText`, by the port's own when it has one). */
export async function readLfText(fs: FileSystemPort, path: string): Promise<LfText | undefined> {
  if (fs.readLfText) return fs.readLfText(path);
  const raw = await fs.readText(path);
  if (raw === undefined) return undefined;
  const text = normalizeEol(raw);
  return { text, hash: hashText(text) };
}
