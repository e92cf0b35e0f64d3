// The units a researcher codes one by one ("line-by-line coding") and the search for the next one
// that no coding touches yet. Pure: works on the LF-normalised text and the codings alone.
import type { Coding } from './model';
import { isNamedSpeaker, labelLengthOf, speakerTurns, turnIndexAt, turnStartOf } from './speakers';
import { isUncountedSuggestion } from './suggestions';

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
  return codings.some((c) => !c.orphaned && !isUncountedSuggestion(c) && overlaps(segment, c));
}

/**
 * Whether each segment (sorted, non-overlapping, as from `segmentsOf`) is coded, in one sweep over the
 * codings sorted by start: a segment is coded when the largest end among the codings starting before
 * the segment's end lies after the segment's start.
 */
function codedFlags(segments: readonly Segment[], codings: readonly Coding[]): boolean[] {
  const sorted = codings
    .filter((c) => !c.orphaned && !isUncountedSuggestion(c))
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
 * The speaker's words in a segment: without the label that starts a turn (`Ola:`, `Ola (00:01:02):`,
 * `[00:01:02] Ola:`) and the white space after it, so that a quote taken from it does not begin with
 * the name. A segment that does not start a turn is returned whole; one that holds only a label gives
 * an empty span at its end.
 */
export function wordsOf(text: string, segment: Segment): Segment {
  const lineEnd = text.indexOf('\n', segment.start);
  const label = labelLengthOf(text.slice(segment.start, lineEnd < 0 || lineEnd > segment.end ? segment.end : lineEnd));
  if (!label) return segment;
  let start = segment.start + label;
  while (start < segment.end && /\s/.test(text[start])) start++;
  return { start, end: segment.end };
}

/**
 * A test for the segments inside turns of the speakers left out of the analysis (compared ignoring case,
 * as settings.excludedSpeakers is), or undefined when no one is left out.
 */
export function excludedTurnTest(text: string, excluded: readonly string[]): ((segment: Segment) => boolean) | undefined {
  if (!excluded.length) return undefined;
  const turns = speakerTurns(text);
  const out = turns.map((t) => isNamedSpeaker(t.speaker, excluded));
  return (segment) => {
    const i = turnIndexAt(turns, segment.start);
    return i >= 0 && out[i];
  };
}

/**
 * The first uncoded segment after ('next') or before ('previous') the cursor or selection `from`
 * (offsets of the LF text; a number is a cursor). Line-by-line coding walks with it, so:
 * - a bare cursor offers the segment it stands in when that one is uncoded, unless the cursor is already
 *   past it in the direction of travel: 'next' takes segments ending after the cursor, 'previous'
 *   segments whose words (see `wordsOf`) start before it. A cursor left at the end of a segment that
 *   'next' selected (or at the start of the words 'previous' selected) therefore moves on.
 * - a selection stands for the segment it is in, done: 'next' takes segments starting at or after its
 *   end, 'previous' segments ending at or before its start. Pressing again after a stop walks on.
 * A segment that holds only a speaker label is never a stop (there is nothing to code).
 * Returns the whole segment, or undefined when there is none in that direction; it never wraps around.
 */
export function nextUncoded(
  text: string,
  codings: readonly Coding[],
  from: number | Segment,
  direction: 'next' | 'previous',
  /** segments never to stop at (for example the interviewer's turns, when they are left out of the analysis: `excludedTurnTest`) */
  skip?: (segment: Segment) => boolean,
): Segment | undefined {
  const segments = segmentsOf(text);
  if (segments.length === 0) return undefined;
  const flags = codedFlags(segments, codings);
  const { start: a, end: b } = typeof from === 'number' ? { start: from, end: from } : from;
  const cursor = a === b;
  const stop = (i: number) => {
    if (flags[i] || skip?.(segments[i])) return false;
    return wordsOf(text, segments[i]).start < segments[i].end;
  };

  if (direction === 'next') {
    const first = cursor ? firstIndex(segments, (s) => s.end > b) : firstIndex(segments, (s) => s.start >= b);
    for (let i = first; i < segments.length; i++) if (stop(i)) return segments[i];
  } else {
    // the last segment starting before the cursor (or ending at or before the selection's start)
    let last = (cursor ? firstIndex(segments, (s) => s.start >= a) : firstIndex(segments, (s) => s.end > a)) - 1;
    if (cursor && last >= 0 && wordsOf(text, segments[last]).start >= a) last--;
    for (let i = last; i >= 0; i--) if (stop(i)) return segments[i];
  }
  return undefined;
}

/** The index of the first segment for which `after` holds (a test that is false, then true, along the segments), or their number. */
function firstIndex(segments: readonly Segment[], after: (segment: Segment) => boolean): number {
  let lo = 0;
  let hi = segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after(segments[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
