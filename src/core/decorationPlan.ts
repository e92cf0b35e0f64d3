// What the editor draws over a transcript, computed without the editor: which codings are shown
// (after the user's filter), the lane of each one so that overlapping codings can be told apart,
// and the codes coded on each line for the optional labels at the end of the line. AI suggestions that
// are not accepted (pending; rejected only when asked for) are planned apart: drawn as suggestions,
// never as codings (no lane, no label, no fill).
import type { Coding } from './model';

/** Show only some codes, or one coder's codings (both: that coder's codings of those codes). */
export interface DecorationFilter {
  /** ids of the codes to show; absent: every code */
  codeIds?: readonly string[];
  /** the coder whose codings to show; absent: every coder */
  coder?: string;
}

export function isFilterActive(filter: DecorationFilter | undefined): boolean {
  return !!filter && (filter.codeIds !== undefined || filter.coder !== undefined);
}

/** A predicate for the filter (built once, tested per coding). */
export function filterPredicate(filter: DecorationFilter | undefined): (coding: Coding) => boolean {
  const codes = filter?.codeIds ? new Set(filter.codeIds) : undefined;
  const coder = filter?.coder;
  return (c) => (!codes || codes.has(c.codeId)) && (coder === undefined || c.coder === coder);
}

/** The coders of some codings, sorted, each once. */
export function codersOf(codings: readonly Coding[]): string[] {
  return [...new Set(codings.map((c) => c.coder))].sort((a, b) => a.localeCompare(b));
}

/** A coding as drawn. */
export interface PlannedCoding {
  coding: Coding;
  start: number;
  end: number;
  /**
   * 0 for a coding that overlaps no earlier-starting one; otherwise the lowest lane not used by
   * a coding it overlaps. Codings that overlap never share a lane.
   */
  lane: number;
}

/** The codes coded on one line (0-based), in the order their codings start, each once. */
export interface LineLabel {
  line: number;
  codeIds: string[];
}

/** How an AI suggestion that is not accepted is drawn: pending (dashed), or rejected (faint; only when shown). */
export type SuggestionMark = 'pending' | 'rejected';

/** An AI suggestion as drawn: never a coding (no lane, no label, no fill). */
export interface PlannedSuggestion {
  coding: Coding;
  start: number;
  end: number;
  mark: SuggestionMark;
}

export interface DecorationPlan {
  /** the drawn codings, by start, longer first at the same start */
  codings: PlannedCoding[];
  /** the drawn codings of each code, in the same order */
  byCode: Map<string, PlannedCoding[]>;
  /** how many lanes are in use (0 when nothing is drawn) */
  lanes: number;
  /** per line with a drawn coding, when labels were asked for; sorted by line */
  labels: LineLabel[];
  /** codings hidden by the filter (orphans are never drawn and not counted) */
  hidden: number;
  /** the AI suggestions not accepted (pending; rejected with `showRejected`), after the filter, by start */
  suggestions: PlannedSuggestion[];
}

export interface PlanOptions {
  filter?: DecorationFilter;
  /** the line an offset lies on; when given, the plan includes line labels */
  lineOf?: (offset: number) => number;
  /** rejected AI suggestions are drawn too (faint); without it they are not drawn at all */
  showRejected?: boolean;
}

/** How a coding is drawn: as a coding (no suggestion, or an accepted one), as a suggestion, or not at all. */
export function suggestionMark(coding: Coding, showRejected = false): SuggestionMark | 'coding' | undefined {
  const status = coding.suggestion?.status;
  if (status === undefined || status === 'accepted') return 'coding';
  if (status === 'pending') return 'pending';
  return status === 'rejected' && showRejected ? 'rejected' : undefined;
}

export function planDecorations(all: readonly Coding[], options: PlanOptions = {}): DecorationPlan {
  const shown = filterPredicate(options.filter);
  const codings: PlannedCoding[] = [];
  const suggestions: PlannedSuggestion[] = [];
  let hidden = 0;
  for (const coding of all) {
    if (coding.orphaned) continue;
    if (coding.suggestion && coding.suggestion.status !== 'accepted') {
      const mark = suggestionMark(coding, options.showRejected);
      if (mark && mark !== 'coding' && shown(coding)) suggestions.push({ coding, start: coding.anchor.start, end: coding.anchor.end, mark });
      continue;
    }
    if (!shown(coding)) {
      hidden++;
      continue;
    }
    codings.push({ coding, start: coding.anchor.start, end: coding.anchor.end, lane: 0 });
  }
  // Usually already in order (codings are appended as the user codes down the text).
  let sorted = true;
  for (let i = 1; i < codings.length && sorted; i++) sorted = compare(codings[i - 1], codings[i]) <= 0;
  if (!sorted) codings.sort(compare);

  // Greedy interval colouring: each coding takes the lowest lane free at its start.
  const laneEnds: number[] = [];
  for (const p of codings) {
    let lane = 0;
    while (lane < laneEnds.length && laneEnds[lane] > p.start) lane++;
    laneEnds[lane] = Math.max(p.end, p.start + 1);
    p.lane = lane;
  }

  const byCode = new Map<string, PlannedCoding[]>();
  for (const p of codings) {
    const list = byCode.get(p.coding.codeId);
    if (list) list.push(p);
    else byCode.set(p.coding.codeId, [p]);
  }

  suggestions.sort(compare);
  return { codings, byCode, lanes: laneEnds.length, labels: options.lineOf ? labelsOf(codings, options.lineOf) : [], hidden, suggestions };
}

function compare(a: { start: number; end: number }, b: { start: number; end: number }): number {
  return a.start - b.start || b.end - a.end;
}

function labelsOf(codings: readonly PlannedCoding[], lineOf: (offset: number) => number): LineLabel[] {
  const lines = new Map<number, string[]>();
  for (const p of codings) {
    const first = lineOf(p.start);
    // A coding that ends just after a line break does not reach into the next line.
    const last = Math.max(first, lineOf(Math.max(p.start, p.end - 1)));
    for (let line = first; line <= last; line++) {
      const ids = lines.get(line);
      if (!ids) lines.set(line, [p.coding.codeId]);
      else if (!ids.includes(p.coding.codeId)) ids.push(p.coding.codeId);
    }
  }
  return [...lines].sort((a, b) => a[0] - b[0]).map(([line, codeIds]) => ({ line, codeIds }));
}

/**
 * How a coding's lane is drawn: each coding gets a line of its own code's colour, placed by its lane,
 * so that two codings over the same words show two marks even where their fills blend: a line under
 * the words, then a thin box around them (solid, dashed, dotted). Not a line over the words: in
 * wrapped text it touches the line under the row above and reads as a second underline there.
 * Lanes past the fourth share the dotted box (rare: five codings over the same words).
 */
export type LaneMark = 'underline' | 'box' | 'dashed box' | 'dotted box';
export const LANE_MARKS: readonly LaneMark[] = ['underline', 'box', 'dashed box', 'dotted box'];

export function laneMark(lane: number): LaneMark {
  return LANE_MARKS[Math.min(Math.max(0, lane), LANE_MARKS.length - 1)];
}

/** `grounded.decorations.highlightStrength`. */
export type HighlightStrength = 'subtle' | 'medium' | 'strong';
export const DEFAULT_HIGHLIGHT_STRENGTH: HighlightStrength = 'medium';

/**
 * The opacity of the fill (0-255: the alpha byte of `#rrggbbaa`) on light and on dark themes.
 * "subtle" is what Grounded drew before the setting existed. A dark theme gets less than a light
 * one beyond that: its text is light, and a strong light fill under it lowers the contrast. With
 * every palette colour, "subtle" and "medium" keep text at 4.5:1 or more in the default themes,
 * "strong" at 3:1 (test/unit/highlight.test.ts).
 */
const FILL_ALPHA: Record<HighlightStrength, { light: number; dark: number }> = {
  subtle: { light: 0x30, dark: 0x48 },
  medium: { light: 0x58, dark: 0x50 },
  strong: { light: 0x88, dark: 0x68 },
};

export function isHighlightStrength(value: unknown): value is HighlightStrength {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(FILL_ALPHA, value);
}

/** The fill opacities for a strength; an unknown value (a hand-edited setting) counts as the default. */
export function fillAlpha(strength: unknown): { light: number; dark: number } {
  return FILL_ALPHA[isHighlightStrength(strength) ? strength : DEFAULT_HIGHLIGHT_STRENGTH];
}

/** `#rrggbb` with an opacity (0-255) as `#rrggbbaa`. */
export function withAlpha(colour: string, alpha: number): string {
  return `${colour}${Math.round(Math.min(255, Math.max(0, alpha))).toString(16).padStart(2, '0')}`;
}

/** Offsets of the line starts of an LF text: `starts[n]` is where line n begins. */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The line (0-based) of an offset, by binary search over `lineStartsOf`. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
