// Speaker turns of a transcript: a line starting with "Name:" or "Name (00:12:03):" begins a turn that
// lasts until the next turn begins (or the text ends). The label may follow a leading timestamp or a
// bracketed note ("[00:01:02] Ola:", "(ler) Ola:", "00:01:02 Ola:"); a line without a label belongs to
// the turn above it. The interviewer's turns can be left out of the analysis: a coding that lies wholly
// inside turns of excluded speakers is not counted in matrices, saturation or the report. Pure: works on
// the LF-normalised text alone.
import type { Coding, ProjectFile } from './model';

/** One speaker turn: from the start of its line to the start of the next turn (trailing blank lines excluded). */
export interface Turn {
  speaker: string;
  /** the timestamp written after the name, or else the first one before it, as written (for example `00:12:03`) */
  timestamp?: string;
  start: number;
  end: number;
}

const TIME = String.raw`\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?`;
// One item before the label, then spaces or tabs: a timestamp (`00:01:02`, `1:02`, `00:01:02.5`), bare
// or in brackets, or a short note in brackets (`(ler)`, `[inaudible 00:03]`, at most 40 characters inside).
const LEADING_ITEM = new RegExp(String.raw`(?:[[(](${TIME})[)\]]|(${TIME})|\([^()\n]{1,40}\)|\[[^[\]\n]{1,40}\])[ \t]+`, 'uy');
const MAX_LEADING_ITEMS = 3;
// A name is one to four words (letters first, then letters, digits, apostrophes, dots, hyphens) of at most
// 40 characters, so that a sentence with a colon in it ("Fiktivt intervju for testene. Opptak: 3. mars")
// does not start a turn. An optional timestamp in brackets may follow the name.
const LABEL = new RegExp(
  String.raw`(\p{L}[\p{L}\p{M}\d'’.-]*(?:[ \t]+[\p{L}\p{M}\d'’.-]+){0,3})[ \t]*(?:[[(](${TIME})[)\]][ \t]*)?:(?=\s|$)`,
  'uy',
);
const MAX_NAME = 40;
// After a leading item the name must start with a capital letter, so that speech after a note
// ("(ler) og så sa hun: nei") does not start a turn.
const CAPITAL = /^[\p{Lu}\p{Lt}]/u;

/**
 * The speaker named at the start of a line, or undefined when the line does not start a turn. The label
 * (`Name:` or `Name (00:12:03):`) may follow up to three leading timestamps or bracketed notes
 * (`[00:01:02] (ler) Ola:`); a leading timestamp is the turn's timestamp when none follows the name.
 * The one rule for where a turn starts: `speakerTurns` and `segmentsOf` both use it.
 */
export function turnStartOf(line: string): { speaker: string; timestamp?: string } | undefined {
  const parsed = parseTurnStart(line);
  if (!parsed) return undefined;
  const { speaker, timestamp } = parsed;
  return timestamp ? { speaker, timestamp } : { speaker };
}

/**
 * The length of the label that starts a turn's line: everything up to and including the colon after the
 * name (leading timestamps and notes too), so that what follows is the speaker's words. 0 when the line
 * does not start a turn.
 */
export function labelLengthOf(line: string): number {
  return parseTurnStart(line)?.labelEnd ?? 0;
}

function parseTurnStart(line: string): { speaker: string; timestamp?: string; labelEnd: number } | undefined {
  return parseTurnStartAt(line, 0, line.length);
}

/**
 * parseTurnStart on the line [from, to) of `text`, read in place (no copy of the line): none of the
 * patterns can match a line break, and after the colon a line break is white space as the line's end
 * was, so the result is the same as on the line alone. `labelEnd` is relative to `from`.
 */
function parseTurnStartAt(text: string, from: number, to: number): { speaker: string; timestamp?: string; labelEnd: number } | undefined {
  let pos = from;
  while (pos < to && (text.charCodeAt(pos) === 32 || text.charCodeAt(pos) === 9)) pos++;
  if (pos >= to) return undefined;
  let leadingTime: string | undefined;
  let items = 0;
  for (; items < MAX_LEADING_ITEMS; items++) {
    LEADING_ITEM.lastIndex = pos;
    const item = LEADING_ITEM.exec(text);
    if (!item || LEADING_ITEM.lastIndex > to) break;
    leadingTime ??= item[1] ?? item[2];
    pos = LEADING_ITEM.lastIndex;
  }
  LABEL.lastIndex = pos;
  const m = LABEL.exec(text);
  if (!m || LABEL.lastIndex > to || m[1].length > MAX_NAME) return undefined;
  const speaker = m[1].trim();
  if (items > 0 && !CAPITAL.test(speaker)) return undefined;
  return { speaker, timestamp: m[2] ?? leadingTime, labelEnd: LABEL.lastIndex - from };
}

/** Every speaker turn, in text order. Text before the first turn belongs to no turn. */
export function speakerTurns(text: string): Turn[] {
  const turns: Turn[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const start = parseTurnStartAt(text, lineStart, lineEnd);
    if (start) {
      if (turns.length) turns[turns.length - 1].end = trimEnd(text, turns[turns.length - 1].start, lineStart);
      turns.push(start.timestamp ? { speaker: start.speaker, timestamp: start.timestamp, start: lineStart, end: lineEnd } : { speaker: start.speaker, start: lineStart, end: lineEnd });
    }
    lineStart = lineEnd + 1;
  }
  if (turns.length) turns[turns.length - 1].end = trimEnd(text, turns[turns.length - 1].start, text.length);
  return turns;
}

function trimEnd(text: string, from: number, to: number): number {
  while (to > from && /\s/.test(text[to - 1])) to--;
  return to;
}

/** The index of the turn containing `offset` (start inclusive, end exclusive), or -1. Turns sorted by start. */
export function turnIndexAt(turns: readonly Turn[], offset: number): number {
  let lo = 0;
  let hi = turns.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (turns[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && offset < Math.max(turns[found].end, turns[found].start + 1) ? found : -1;
}

/** Every speaker named in the text, with the number of turns, most turns first (then by name). */
export function speakersOf(text: string): { speaker: string; turns: number }[] {
  const counts = new Map<string, number>();
  for (const t of speakerTurns(text)) counts.set(t.speaker, (counts.get(t.speaker) ?? 0) + 1);
  return [...counts].map(([speaker, turns]) => ({ speaker, turns })).sort((a, b) => b.turns - a.turns || (a.speaker < b.speaker ? -1 : 1));
}

/** Speakers across several transcripts: their turns and the number of transcripts they speak in, most turns first. */
export function speakersAcross(texts: Iterable<string>): { speaker: string; turns: number; documents: number }[] {
  const all = new Map<string, { speaker: string; turns: number; documents: number }>();
  for (const text of texts) {
    for (const { speaker, turns } of speakersOf(text)) {
      const e = all.get(speaker) ?? { speaker, turns: 0, documents: 0 };
      e.turns += turns;
      e.documents++;
      all.set(speaker, e);
    }
  }
  return [...all.values()].sort((a, b) => b.turns - a.turns || (a.speaker < b.speaker ? -1 : 1));
}

/**
 * Labels transcribers commonly give the interviewer, in English and Norwegian; compared ignoring case.
 * Initialize Project ticks them in advance when it asks which speakers are interviewers.
 */
export const INTERVIEWER_LABELS: readonly string[] = ['I', 'Int', 'Intervjuer', 'Interviewer', 'Moderator', 'Forsker', 'Researcher'];

/** True when the label looks like an interviewer's (one of INTERVIEWER_LABELS, ignoring case). */
export function looksLikeInterviewer(speaker: string): boolean {
  return isNamedSpeaker(speaker, INTERVIEWER_LABELS);
}

// One collator for every comparison: localeCompare with options builds a new one per call, which made
// leaving a speaker out take seconds on a large project.
// Made on first use: creating a collator loads ICU's data, which a command that compares no names need not pay.
let nameCollator: Intl.Collator | undefined;
const sameName = (a: string, b: string) => (nameCollator ??= new Intl.Collator(undefined, { sensitivity: 'accent' })).compare(a, b) === 0;

/** True when the speaker is one of the names given, compared ignoring case (as settings.excludedSpeakers is). */
export function isNamedSpeaker(speaker: string, names: readonly string[]): boolean {
  return names.some((n) => sameName(n, speaker));
}

/**
 * True when the coding lies wholly inside turns of the excluded speakers (compared ignoring case):
 * every turn it overlaps is an excluded speaker's. A coding that starts in the blank lines between two
 * turns is judged by the turns it reaches; one that starts before the first turn (in a header), or lies
 * outside any turn, is never excluded.
 */
export function isExcludedCoding(turns: readonly Turn[], coding: Coding, excluded: readonly string[]): boolean {
  if (!excluded.length || coding.orphaned) return false;
  return insideTurnsOf(turns, coding, (t) => isNamedSpeaker(t.speaker, excluded));
}

/**
 * A test for many codings of one transcript: whether each turn is an excluded speaker's is decided
 * once per turn rather than once per coding (leaving a speaker out of a large project took seconds).
 */
export function excludedCodingTest(turns: readonly Turn[], excluded: readonly string[]): (coding: Coding) => boolean {
  if (!excluded.length) return () => false;
  // decided once per speaker too: a transcript's turns are those of a few speakers
  const bySpeaker = new Map<string, boolean>();
  const out = turns.map((t) => {
    let v = bySpeaker.get(t.speaker);
    if (v === undefined) bySpeaker.set(t.speaker, (v = isNamedSpeaker(t.speaker, excluded)));
    return v;
  });
  return (coding) => !coding.orphaned && insideTurnsOf(turns, coding, (_, i) => out[i]);
}

/** isExcludedCoding with the speaker test decided per turn by `out`. */
function insideTurnsOf(turns: readonly Turn[], coding: Coding, out: (turn: Turn, index: number) => boolean): boolean {
  const { start, end } = coding.anchor;
  let i = turnIndexAt(turns, start);
  if (i < 0) {
    // Between two turns there is only white space: a coding starting there begins with the next turn.
    // Before the first turn (a header) or after the last there is text of no turn.
    i = turns.findIndex((t) => t.start >= start);
    if (i <= 0 || turns[i].start >= end) return false;
  }
  for (; i < turns.length && turns[i].start < Math.max(end, start + 1); i++) {
    if (!out(turns[i], i)) return false;
  }
  return true;
}

/** The speakers whose turns the project leaves out of the analysis (`settings.excludedSpeakers`). */
export function excludedSpeakers(project: ProjectFile): string[] {
  return project.settings.excludedSpeakers ?? [];
}
