// Content hashes for documents. A sidecar records the hash of the text its anchors were computed
// against, so a changed transcript is noticed before any offset is trusted.
import * as crypto from 'node:crypto';

export const HASH_PREFIX = 'sha256:';

/**
 * A hash that matches no text. A merge writes it when the merged codings came from transcripts with
 * different hashes, so that every coding is re-anchored on the next open instead of trusting offsets.
 */
export const UNKNOWN_HASH = HASH_PREFIX + '0'.repeat(64);

/** Node's one-shot `crypto.hash` (Node 20.12 and later): the same digest, without a Hash object per call. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

/** `sha256:<hex>` of the UTF-8 bytes of `lfText`. The caller normalises line endings to LF first. */
export function hashText(lfText: string): string {
  return HASH_PREFIX + (oneShot ? oneShot('sha256', lfText, 'hex') : crypto.createHash('sha256').update(lfText, 'utf8').digest('hex'));
}
