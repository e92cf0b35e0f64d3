// The words to code when nothing is selected: the speaker turn at the cursor without its label ("Håkon
// (00:01:10):"), or in a text without speaker labels the paragraph at the cursor. Pure: works on the
// LF-normalised text alone.
import { segmentsOf } from './segments';
import { speakerTurns, turnIndexAt, turnStartOf } from './speakers';

export interface WordsAtCursor {
  start: number;
  end: number;
  /** a speaker turn (its words, after the label), or a paragraph of a text without a turn there */
  kind: 'turn' | 'paragraph';
  speaker?: string;
}

/** The words of the turn (or paragraph) at the offset; undefined on a blank line or a label with no words. */
export function wordsAtCursor(text: string, offset: number): WordsAtCursor | undefined {
  const turns = speakerTurns(text);
  // A cursor just after the last word (End) is still in that turn.
  let i = turnIndexAt(turns, offset);
  if (i < 0 && offset > 0) i = turnIndexAt(turns, offset - 1);
  if (i >= 0) {
    const turn = turns[i];
    let start = turn.start + labelLength(text.slice(turn.start, turn.end));
    while (start < turn.end && /\s/.test(text[start])) start++;
    return start < turn.end ? { start, end: turn.end, kind: 'turn', speaker: turn.speaker } : undefined;
  }
  const segment = segmentsOf(text).find((s) => s.start <= offset && offset <= s.end);
  return segment && { start: segment.start, end: segment.end, kind: 'paragraph' };
}

/**
 * The length of the label that starts a turn's first line, colon included. The label is the shortest
 * start of the line that `turnStartOf` (the one rule for labels) accepts; it ends at a colon.
 */
function labelLength(turnText: string): number {
  const lineEnd = turnText.indexOf('\n');
  const line = lineEnd < 0 ? turnText : turnText.slice(0, lineEnd);
  for (let colon = line.indexOf(':'); colon >= 0; colon = line.indexOf(':', colon + 1)) {
    if (turnStartOf(line.slice(0, colon + 1))) return colon + 1;
  }
  return 0;
}
