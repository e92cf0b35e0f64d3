// Positions. Grounded counts UTF-16 code units in LF text; REFI-QDA counts Unicode code points in
// the text as exported (with CRLF for MAXQDA, where a line break counts two).
import { HASH_PREFIX, hashText } from '../hash';

export type LineEnding = 'lf' | 'crlf';

/**
 * Code point index <-> UTF-16 offset in one text. Identity (and no tables) when the text has no
 * surrogate pairs; else a table of the pairs only (a text with a few emoji stays small and fast).
 */
export class CodePoints {
  /** UTF-16 offset of each surrogate pair, ascending; undefined when identity */
  private readonly pairs?: number[];
  /** the code point index of each pair (pairs[j] - j), ascending */
  private readonly pairCps?: number[];
  readonly count: number;

  constructor(readonly text: string) {
    if (!/[\uD800-\uDFFF]/.test(text)) {
      this.count = text.length;
      return;
    }
    const pairs: number[] = [];
    const pairCps: number[] = [];
    const re = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      pairCps.push(m.index - pairs.length);
      pairs.push(m.index);
    }
    this.count = text.length - pairs.length;
    this.pairs = pairs;
    this.pairCps = pairCps;
  }

  /** The code point index of a UTF-16 offset (an offset inside a pair counts as the pair's start). */
  toCodePoint(offset: number): number {
    if (!this.pairs) return offset;
    // (outside the text: its first or last index, as a search of every code point's start gave)
    if (offset <= 0) return 0;
    if (offset >= this.text.length) return this.count;
    // every pair that starts before the offset makes one code point of two units
    return offset - countBelow(this.pairs, offset);
  }

  /** The UTF-16 offset of a code point index; undefined past the end. */
  toUtf16(cp: number): number | undefined {
    if (!Number.isInteger(cp) || cp < 0 || cp > this.count) return undefined;
    return this.pairCps ? cp + countBelow(this.pairCps, cp) : cp;
  }
}

/** Offsets of every "\n" in the text, ascending. */
function newlines(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i);
  return out;
}

/** How many of the sorted numbers are below `x`. */
function countBelow(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** An LF text as exported, and its positions in REFI-QDA's units. */
export class ExportPositions {
  readonly text: string;
  private readonly cps: CodePoints;
  private readonly lines: number[];

  constructor(
    lfText: string,
    private readonly lineEnding: LineEnding,
  ) {
    this.text = lineEnding === 'crlf' ? lfText.replace(/\n/g, '\r\n') : lfText;
    this.cps = new CodePoints(lfText);
    this.lines = lineEnding === 'crlf' ? newlines(lfText) : [];
  }

  /** The code point position of an LF UTF-16 offset in the exported text (each CR added before it counts). */
  position(lfOffset: number): number {
    return this.cps.toCodePoint(lfOffset) + (this.lineEnding === 'crlf' ? countBelow(this.lines, lfOffset) : 0);
  }
}

/** A source text as found in an archive, and the way back to Grounded's offsets. */
export class ImportPositions {
  /** the text with the byte order mark removed and line endings normalised to LF */
  readonly lfText: string;
  /** number of code points in the text as found */
  readonly length: number;
  private readonly cps: CodePoints;
  /** UTF-16 offsets (in the text as found) of every CR that is followed by LF and so disappears */
  private readonly droppedCr: number[] = [];

  constructor(raw: string) {
    const text = raw.replace(/^\uFEFF/, '');
    this.cps = new CodePoints(text);
    this.length = this.cps.count;
    for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', i + 2)) this.droppedCr.push(i);
    this.lfText = text.replace(/\r\n?/g, '\n');
  }

  /** Grounded's LF UTF-16 offset of a REFI-QDA position; undefined when it lies outside the text. */
  offset(position: number): number | undefined {
    const u = this.cps.toUtf16(position);
    if (u === undefined) return undefined;
    return u - countBelow(this.droppedCr, u);
  }
}

/** A name-based GUID: the same name gives the same GUID on every export (sha256, shaped as a version 5 UUID). */
export function nameGuid(name: string): string {
  const h = hashText(`grounded-refi:${name}`).slice(HASH_PREFIX.length, HASH_PREFIX.length + 32);
  // version 5 in the 13th digit, the variant (10xx) in the 17th
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const LOWER_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/** A GUID as Grounded writes ids: braces removed, lower case. Undefined when it is not a GUID. */
export function normalizeGuid(guid: string | undefined): string | undefined {
  // the common case, a GUID as Grounded writes it, as it is
  if (guid !== undefined && guid.length === 36 && LOWER_GUID.test(guid)) return guid;
  const m = guid === undefined ? null : GUID.exec(guid.trim());
  return m && (guid!.trim().startsWith('{') === guid!.trim().endsWith('}')) ? m[1].toLowerCase() : undefined;
}
