// Positions. Grounded counts UTF-16 code units in LF text; REFI-QDA counts Unicode code points in
// the text as exported (with CRLF for MAXQDA, where a line break counts two).
import { hashText } from '../hash';

export type LineEnding = 'lf' | 'crlf';

/** Code point index <-> UTF-16 offset in one text. Identity (and no tables) when the text has no surrogate pairs. */
export class CodePoints {
  /** UTF-16 offset of each code point, plus the length at the end; undefined when identity */
  private readonly starts?: number[];
  readonly count: number;

  constructor(readonly text: string) {
    if (!/[\uD800-\uDFFF]/.test(text)) {
      this.count = text.length;
      return;
    }
    const starts: number[] = [];
    for (let i = 0; i < text.length; i++) {
      starts.push(i);
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    this.count = starts.length;
    starts.push(text.length);
    this.starts = starts;
  }

  /** The code point index of a UTF-16 offset (an offset inside a pair counts as the pair's start). */
  toCodePoint(offset: number): number {
    if (!this.starts) return offset;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The UTF-16 offset of a code point index; undefined past the end. */
  toUtf16(cp: number): number | undefined {
    if (!Number.isInteger(cp) || cp < 0 || cp > this.count) return undefined;
    return this.starts ? this.starts[cp] : cp;
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
  const hex = hashText(`grounded-refi:${name}`).slice('sha256:'.length, 'sha256:'.length + 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/** A GUID as Grounded writes ids: braces removed, lower case. Undefined when it is not a GUID. */
export function normalizeGuid(guid: string | undefined): string | undefined {
  const m = guid === undefined ? null : GUID.exec(guid.trim());
  return m && (guid!.trim().startsWith('{') === guid!.trim().endsWith('}')) ? m[1].toLowerCase() : undefined;
}
