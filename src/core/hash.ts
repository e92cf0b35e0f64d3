// Content hashes for documents. A sidecar records the hash of the text its anchors were computed
// against, so a changed transcript is noticed before any offset is trusted.
import { createHash } from 'node:crypto';

export const HASH_PREFIX = 'sha256:';

/**
 * A hash that matches no text. A merge writes it when the merged codings came from transcripts with
 * different hashes, so that every coding is re-anchored on the next open instead of trusting offsets.
 */
export const UNKNOWN_HASH = HASH_PREFIX + '0'.repeat(64);

/** `sha256:<hex>` of the UTF-8 bytes of `lfText`. The caller normalises line endings to LF first. */
export function hashText(lfText: string): string {
  return HASH_PREFIX + createHash('sha256').update(lfText, 'utf8').digest('hex');
}
