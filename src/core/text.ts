// Text helpers for anchors. Offsets are UTF-16 code units in LF-normalised text, the same units
// VS Code reports, so an emoji counts as two. Boundaries must never fall inside a surrogate pair:
// a stored prefix that starts with a lone low surrogate would not round-trip through JSON/UTF-8.

import { Anchor, CONTEXT_LENGTH } from './model';

/** CRLF and lone CR become LF, so offsets do not depend on the platform the file was saved on. */
export function normalizeEol(text: string): string {
  return text.indexOf('\r') === -1 ? text : text.replace(/\r\n?/g, '\n');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** True when `offset` lies between the two halves of a surrogate pair. */
export function splitsSurrogatePair(text: string, offset: number): boolean {
  return (
    offset > 0 &&
    offset < text.length &&
    isLowSurrogate(text.charCodeAt(offset)) &&
    isHighSurrogate(text.charCodeAt(offset - 1))
  );
}

/**
 * Clamp a span to the text, order its ends, and widen it to whole code points (a span that
 * cuts an emoji in half takes the whole emoji rather than losing it).
 */
export function normalizeSpan(text: string, start: number, end: number): { start: number; end: number } {
  let s = Math.max(0, Math.min(text.length, Math.trunc(start)));
  let e = Math.max(0, Math.min(text.length, Math.trunc(end)));
  if (e < s) [s, e] = [e, s];
  if (splitsSurrogatePair(text, s)) s -= 1;
  if (splitsSurrogatePair(text, e)) e += 1;
  return { start: s, end: e };
}

/**
 * Up to CONTEXT_LENGTH units before `start` and after `end`. When the limit falls inside a
 * surrogate pair the context is one unit shorter, so it never carries half a character.
 */
export function contextOf(text: string, start: number, end: number): { prefix: string; suffix: string } {
  let from = Math.max(0, start - CONTEXT_LENGTH);
  if (splitsSurrogatePair(text, from)) from += 1;
  let to = Math.min(text.length, end + CONTEXT_LENGTH);
  if (splitsSurrogatePair(text, to)) to -= 1;
  return { prefix: text.slice(from, start), suffix: text.slice(end, to) };
}

/** The anchor of `text.slice(start, end)`, with its context, after `normalizeSpan`. */
export function makeAnchor(text: string, start: number, end: number): Anchor {
  const span = normalizeSpan(text, start, end);
  const { prefix, suffix } = contextOf(text, span.start, span.end);
  return { start: span.start, end: span.end, prefix, quote: text.slice(span.start, span.end), suffix };
}

/**
 * One string kept for each value: the function returns the first string it was given equal to `s`.
 * Every coding parsed from JSON has its own copy of its coder's name and its code id; many codings
 * held in memory then share one (the extension's index, the CLI's agreement).
 */
export function stringSharer(): (s: string) => string {
  const one = new Map<string, string>();
  return (s) => {
    const had = one.get(s);
    if (had !== undefined) return had;
    one.set(s, s);
    return s;
  };
}
