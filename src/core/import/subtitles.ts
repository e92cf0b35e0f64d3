// WebVTT (.vtt) and SubRip (.srt) subtitles → speaker turns `Name (hh:mm:ss): text`, one paragraph each.
// The speaker of a cue: its voice tag (`<v Name>`), else a leading `Name:` in its text, else the
// speaker of the cue before (captions name a speaker when the speaker changes), else "Speaker".
// Consecutive cues of one speaker become one turn with the first cue's time; "Speaker" (nobody named)
// starts a new turn after a pause of two seconds or more instead.
import { decodeHTML } from 'entities';
import { escapeMarkdown, speakerName } from './text';
import type { TranscriptFormat } from './text';

/** A problem in the subtitle text, with its 1-based line. */
export class SubtitleError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(`line ${line}: ${detail}`);
  }
}

interface Cue {
  /** milliseconds */
  start: number;
  end: number;
  /** text lines, tags and entities still in */
  lines: string[];
}

interface Piece {
  speaker?: string;
  text: string;
  start: number;
  end: number;
}

const VTT_TIME = /^(?:(\d+):)?(\d{2}):(\d{2})[.,](\d{3})$/;
const SRT_TIME = /^(\d+):(\d{2}):(\d{2})[,.](\d{1,3})$/;
const UNKNOWN = 'Speaker';
const PAUSE_MS = 2000;

function parseTime(raw: string, pattern: RegExp, line: number, example: string): number {
  const m = pattern.exec(raw);
  if (!m) throw new SubtitleError(line, `"${raw}" is not a time like ${example}`);
  const [h, min, s] = [Number(m[1] ?? 0), Number(m[2]), Number(m[3])];
  if (min > 59 || s > 59) throw new SubtitleError(line, `"${raw}" has ${min > 59 ? 'minutes' : 'seconds'} above 59`);
  const ms = Number(m[4].padEnd(3, '0'));
  return ((h * 60 + min) * 60 + s) * 1000 + ms;
}

function parseTiming(text: string, line: number, pattern: RegExp, example: string): { start: number; end: number } {
  const m = /^\s*(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t].*)?$/.exec(text);
  if (!m) throw new SubtitleError(line, `"${text.trim()}" is not a cue timing like ${example} --> ${example}`);
  const start = parseTime(m[1], pattern, line, example);
  const end = parseTime(m[2], pattern, line, example);
  if (end < start) throw new SubtitleError(line, `the cue ends (${m[2]}) before it starts (${m[1]})`);
  return { start, end };
}

/** Blocks of lines separated by blank lines, each with the 1-based number of its first line. */
function blocks(text: string): { line: number; lines: string[] }[] {
  const out: { line: number; lines: string[] }[] = [];
  let current: { line: number; lines: string[] } | undefined;
  text.split('\n').forEach((l, i) => {
    if (/^[ \t]*$/.test(l)) current = undefined;
    else if (current) current.lines.push(l);
    else out.push((current = { line: i + 1, lines: [l] }));
  });
  return out;
}

const normalise = (text: string) => text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

/** The cues of a WebVTT file: header, NOTE, STYLE and REGION blocks and cue identifiers left out. */
export function parseVtt(input: string): Cue[] {
  const text = normalise(input);
  const all = blocks(text);
  if (!/^WEBVTT(?:[ \t].*)?$/.test(text.split('\n', 1)[0])) throw new SubtitleError(1, 'a WebVTT file starts with the line "WEBVTT"');
  return cuesOf(all.slice(1), VTT_TIME, '00:01:02.000', (first) => /^(?:NOTE(?:[ \t].*)?|STYLE[ \t]*|REGION[ \t]*)$/.test(first));
}

/** The cues of a SubRip file: the numbers left out. */
export function parseSrt(input: string): Cue[] {
  return cuesOf(blocks(normalise(input)), SRT_TIME, '00:01:02,000', () => false);
}

function cuesOf(list: { line: number; lines: string[] }[], pattern: RegExp, example: string, skip: (first: string) => boolean): Cue[] {
  const cues: Cue[] = [];
  for (const block of list) {
    if (skip(block.lines[0])) continue;
    const at = block.lines.findIndex((l) => l.includes('-->'));
    if (at < 0 || at > 1) {
      // Text after a blank line inside a cue (a common slip): it belongs to the cue before.
      if (at < 0 && cues.length) {
        cues[cues.length - 1].lines.push(...block.lines);
        continue;
      }
      throw new SubtitleError(block.line + Math.max(at, 0), `expected a cue timing like ${example} --> ${example}`);
    }
    const timing = parseTiming(block.lines[at], block.line + at, pattern, example);
    cues.push({ ...timing, lines: block.lines.slice(at + 1) });
  }
  return cues;
}

const LABEL = /^(\p{Lu}[\p{L}\p{M}\d.'-]*(?:[ ][\p{Lu}\d][\p{L}\p{M}\d.'-]*){0,3})[ \t]*:[ \t]+(?=\S)/u;

const clean = (text: string) =>
  decodeHTML(text.replace(/<[^>]*>/g, '').replace(/\{\\[^}]*\}/g, ''))
    .replace(/\s+/g, ' ')
    .trim();

/** A cue's text split at its voice tags, each piece with its speaker (undefined when not named). */
function piecesOf(cue: Cue): Piece[] {
  const raw = cue.lines.join('\n');
  const out: Piece[] = [];
  const voice = /<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>/g;
  let last = 0;
  let speaker: string | undefined;
  const push = (chunk: string) => {
    let text = clean(chunk);
    if (!text) return;
    let who = speaker;
    if (who === undefined) {
      const label = LABEL.exec(text);
      if (label) {
        who = label[1];
        text = text.slice(label[0].length);
      }
    }
    out.push({ speaker: who === undefined ? undefined : speakerName(clean(who)), text, start: cue.start, end: cue.end });
  };
  for (let m = voice.exec(raw); m; m = voice.exec(raw)) {
    push(raw.slice(last, m.index));
    speaker = m[1]?.trim() || undefined;
    last = m.index + m[0].length;
  }
  push(raw.slice(last));
  return out;
}

const two = (n: number) => String(n).padStart(2, '0');
/** hh:mm:ss, the part of a second dropped. */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
}

/** The transcript of the cues: one `Name (hh:mm:ss): text` paragraph per turn. */
export function cuesToTranscript(cues: readonly Cue[], format: TranscriptFormat): string {
  const turns: { speaker: string; start: number; end: number; texts: string[] }[] = [];
  let previous: string | undefined;
  for (const piece of cues.flatMap(piecesOf)) {
    const speaker = piece.speaker ?? previous ?? UNKNOWN;
    previous = speaker === UNKNOWN ? previous : speaker;
    const turn = turns[turns.length - 1];
    if (turn && turn.speaker === speaker && !(speaker === UNKNOWN && piece.start - turn.end >= PAUSE_MS)) {
      turn.texts.push(piece.text);
      turn.end = Math.max(turn.end, piece.end);
    } else turns.push({ speaker, start: piece.start, end: piece.end, texts: [piece.text] });
  }
  const lines = turns.map((t) => `${t.speaker} (${clock(t.start)}): ${t.texts.join(' ')}`);
  return (format === 'md' ? lines.map(escapeMarkdown) : lines).join('\n\n');
}
