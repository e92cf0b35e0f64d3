// Questions asked of a transcript's codings, for commands and the status bar.
import type { Coding } from './model';
import { isUncountedSuggestion } from './suggestions';

/**
 * The codings under a cursor (start === end: the coding contains the offset, its end excluded) or
 * touching a selection (they overlap it). Orphans have no place and are never "here"; a pending or
 * rejected AI suggestion is no coding (suggestions.ts lists those).
 * Sorted by start, longest first, so nested codings list from the outside in.
 */
export function codingsAt(codings: readonly Coding[], start: number, end: number = start): Coding[] {
  return codings
    .filter((c) => !c.orphaned && !isUncountedSuggestion(c) && (start === end ? c.anchor.start <= start && start < c.anchor.end : c.anchor.start < end && c.anchor.end > start))
    .sort((a, b) => a.anchor.start - b.anchor.start || b.anchor.end - a.anchor.end);
}

/**
 * A code name from the participant's own words (an in-vivo code): whitespace collapsed, outer
 * quotes and trailing punctuation dropped, cut at a word boundary after `max` characters.
 */
export function inVivoName(selected: string, max = 60): string {
  let name = selected.replace(/\s+/g, ' ').trim();
  name = name.replace(/^["'«»“”‘’„\s]+/u, '').replace(/["'«»“”‘’„.,;:!?…\s]+$/u, '');
  if (name.length > max) {
    const cut = name.slice(0, max + 1);
    const space = cut.lastIndexOf(' ');
    name = `${(space > max / 2 ? cut.slice(0, space) : name.slice(0, max)).trim()}…`;
  }
  return name;
}
