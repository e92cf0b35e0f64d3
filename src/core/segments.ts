// The units a researcher codes one by one ("line-by-line coding") and the search for the next one
// that no coding touches yet. Pure: works on the LF-normalised text and the codings alone.
import type { Coding } from './model';
import { turnStartOf } from './speakers';

/** A span of the LF-normalised text, in UTF-16 code units, `end` exclusive. */
export interface Segment {
  start: number;
  end: number;
}

const BLANK = /^\s*$/;

/**
 * Splits the text into segments: paragraphs separated by one or more blank (or whitespace-only)
 * lines, and in addition a new segment at every line that starts a speaker turn (as `turnStartOf`
 * decides: `Intervjuer:`, `Håkon (00:01:20):`, `[00:01:02] Ola:`, `(ler) Ola:`). Spans exclude
 * leading and trailing whitespace. Returned in text order, never overlapping, never empty.
 */
export function segmentsOf(text: string): Segment[] {
  const segments: Segment[] = [];
  let open: Segment | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (BLANK.test(line)) {
      open = undefined;
    } else {
      const lead = line.length - line.trimStart().length;
      const end = lineStart + line.trimEnd().length;
      if (open && !turnStartOf(line)) {
        open.end = end;
      } else {
        open = { start: lineStart + lead, end };
        segments.push(open);
      }
    }
    lineStart = lineEnd + 1;
  }
  return segments;
}

function overlaps(segment: Segment, coding: Coding): boolean {
  return coding.anchor.start < segment.end && coding.anchor.end > segment.start;
}

/** True when some coding that is not orphaned overlaps the segment. */
export function isCoded(segment: Segment, codings: readonly Coding[]): boolean {
  return codings.some((c) => !c.orphaned && overlaps(segment, c));
}

/**
 * Whether each segment (sorted, non-overlapping, as from `segmentsOf`) is coded, in one sweep over the
 * codings sorted by start: a segment is coded when the largest end among the codings starting before
 * the segment's end lies after the segment's start.
 */
function codedFlags(segments: readonly Segment[], codings: readonly Coding[]): boolean[] {
  const sorted = codings
    .filter((c) => !c.orphaned)
    .map((c) => c.anchor)
    .sort((a, b) => a.start - b.start);
  const flags: boolean[] = [];
  let next = 0;
  let maxEnd = -Infinity;
  for (const segment of segments) {
    while (next < sorted.length && sorted[next].start < segment.end) {
      maxEnd = Math.max(maxEnd, sorted[next].end);
      next++;
    }
    flags.push(maxEnd > segment.start);
  }
  return flags;
}

/**
 * The first uncoded segment after ('next') or before ('previous') the segment containing `offset`
 * (its end counts as inside). When `offset` lies between segments, 'next' starts with the first segment
 * starting at or after it and 'previous' with the last one ending at or before it.
 * Returns undefined when there is none in that direction; it never wraps around.
 */
export function nextUncoded(
  text: string,
  codings: readonly Coding[],
  offset: number,
  direction: 'next' | 'previous',
  /** segments never to stop at (for example the interviewer's turns, when they are left out of the analysis) */
  skip?: (segment: Segment) => boolean,
): Segment | undefined {
  const segments = segmentsOf(text);
  if (segments.length === 0) return undefined;
  const flags = codedFlags(segments, codings);
  if (skip) segments.forEach((seg, i) => (flags[i] ||= skip(seg)));

  // index of the first segment whose end is at or after offset (binary search)
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid].end < offset) lo = mid + 1;
    else hi = mid;
  }
  const inside = lo < segments.length && segments[lo].start <= offset;

  if (direction === 'next') {
    for (let i = inside ? lo + 1 : lo; i < segments.length; i++) if (!flags[i]) return segments[i];
  } else {
    for (let i = lo - 1; i >= 0; i--) if (!flags[i]) return segments[i];
  }
  return undefined;
}
