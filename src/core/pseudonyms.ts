// The pseudonym table: real names (of participants, places, workplaces) mapped to the pseudonyms every
// export uses instead. Kept in `pseudonyms.json` at the project root, apart from grounded.json, so a
// team can keep it out of git. Every export applies the table; what still looks like a real name in an
// export's text is listed with its place so the researcher can fix it before sharing. Pure.
import { checkVersion } from './sidecar';
import { ShapeChecker, parseJson } from './jsonError';
import { FORMAT_VERSION } from './model';

export const PSEUDONYM_FILE = 'pseudonyms.json';

export interface PseudonymEntry {
  /** the name as it may appear in transcripts, memos and file names */
  real: string;
  /** what exports write instead */
  pseudonym: string;
  /**
   * Matched only as written: for a name that is also a common word ("Liv" and "liv", "Bo" and "bo"),
   * so quotes keep the word and only the name is replaced. Left out (ignoring case) by default.
   */
  matchCase?: true;
}

export interface PseudonymTable {
  version: number;
  names: PseudonymEntry[];
}

export const emptyPseudonymTable = (): PseudonymTable => ({ version: FORMAT_VERSION, names: [] });

const byReal = (a: PseudonymEntry, b: PseudonymEntry) => {
  const x = a.real.toLocaleLowerCase();
  const y = b.real.toLocaleLowerCase();
  return x < y ? -1 : x > y ? 1 : a.real < b.real ? -1 : a.real > b.real ? 1 : 0;
};

/** Parse and validate pseudonyms.json; throws FormatError (path:line:column) when it is broken. */
export function parsePseudonyms(text: string, path = PSEUDONYM_FILE): PseudonymTable {
  const c = new ShapeChecker(text, path);
  const { obj } = checkVersion(c, parseJson(text, path));
  c.object(obj, [], ['version', 'names'], ['version', 'names']);
  const seen = new Map<string, number>();
  const names = c.array(obj.names, ['names']).map((v, i) => {
    const r = c.object(v, ['names', i], ['real', 'pseudonym', 'matchCase'], ['real', 'pseudonym']);
    const real = c.string(r.real, ['names', i, 'real']).trim();
    const pseudonym = c.string(r.pseudonym, ['names', i, 'pseudonym']).trim();
    if (!real) c.fail(['names', i, 'real'], 'the real name is empty');
    if (!pseudonym) c.fail(['names', i, 'pseudonym'], 'the pseudonym is empty');
    const bad = badPseudonym(pseudonym);
    if (bad) c.fail(['names', i, 'pseudonym'], bad);
    const key = real.toLocaleLowerCase();
    if (seen.has(key)) c.fail(['names', i, 'real'], `"${real}" is already in the table (names[${seen.get(key)}])`);
    seen.set(key, i);
    if (r.matchCase !== undefined && c.boolean(r.matchCase, ['names', i, 'matchCase'])) return { real, pseudonym, matchCase: true as const };
    return { real, pseudonym };
  });
  return { version: FORMAT_VERSION, names };
}

/** The exact on-disk text: one entry per line, sorted by real name, LF, final newline. */
export function serializePseudonyms(table: PseudonymTable): string {
  const lines = [...table.names]
    .sort(byReal)
    .map((e) => `    {"real":${JSON.stringify(e.real)},"pseudonym":${JSON.stringify(e.pseudonym)}${e.matchCase ? ',"matchCase":true' : ''}}`);
  return `{\n  "version": ${table.version},\n  "names": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

/** Adds or replaces the entry for a real name (matched ignoring case); `matchCase` as for the entry. */
export function setPseudonym(table: PseudonymTable, real: string, pseudonym: string, matchCase = false): PseudonymTable {
  const r = real.trim();
  const p = pseudonym.trim();
  if (!r) throw new Error('The real name is empty.');
  if (!p) throw new Error('The pseudonym is empty.');
  const bad = badPseudonym(p);
  if (bad) throw new Error(`The pseudonym "${p}": ${bad}.`);
  const names = table.names.filter((e) => e.real.toLocaleLowerCase() !== r.toLocaleLowerCase());
  const entry: PseudonymEntry = matchCase ? { real: r, pseudonym: p, matchCase: true } : { real: r, pseudonym: p };
  return { ...table, names: [...names, entry].sort(byReal) };
}

/**
 * Why a pseudonym cannot be used, or undefined. Pseudonyms go into Markdown, HTML, CSV and SVG as they
 * are, so they hold only letters, digits, spaces, hyphens, dots and apostrophes.
 */
export function badPseudonym(pseudonym: string): string | undefined {
  const bad = /[^\p{L}\p{M}\p{N} .'’-]/u.exec(pseudonym);
  return bad ? `use only letters, digits, spaces, hyphens, dots and apostrophes (not "${bad[0]}")` : undefined;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A name written with any run of whitespace between its words (for `otherSpellings`). */
const namePattern = (name: string) => name.trim().split(/\s+/).map(escapeRe).join('\\s+');
const LETTER = '[\\p{L}\\p{M}\\p{N}]';
const LETTER_BEFORE = new RegExp(`${LETTER}$`, 'u');

/**
 * The matches of the global regex `re` that do not follow a letter, mark or digit: what `(?<!LETTER)` at
 * its start gives, without a lookbehind tried at every position of the text. After a match that follows
 * a letter the search goes on one character later, so no match that the lookbehind would allow is skipped.
 */
function* atWordStart(text: string, re: RegExp): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > 0 && LETTER_BEFORE.test(text.slice(Math.max(0, m.index - 2), m.index))) {
      re.lastIndex = m.index + ((text.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
      continue;
    }
    yield m;
  }
}

/** False when the name cannot occur in the text: its first word does not. */
const mayOccur = (text: string, name: string, matchCase = false) => new RegExp(escapeRe(name.trim().split(/\s+/)[0]), matchCase ? 'u' : 'iu').test(text);

// ---- The one pass that finds every name of a table at once (applyPseudonyms, findRealNames) ----
//
// It gives exactly what one regex alternation of all the names (longest first) gave, searched from
// every position that does not follow a letter, mark or digit (which is how these functions were
// written before, and how the unit tests' oracle still is), but walks the text once: at each such
// position, only the names whose first two characters can match the text's there (lists by the first
// character, then by the second, built on first sight) are tried, in the alternation's order, and the
// first that matches wins. Names with an empty first word (only whitespace) never match (the regex
// looped on them).
//
// Character rules, the regex engine's own: a table without any `matchCase` entry that occurs in the
// text is matched ignoring case as the `iu` flags do (Unicode simple case folding: "ſ" is an "s", the
// Kelvin sign a "k"; the regex engine itself decides, once per character seen); with such an entry
// present, that entry matches only as written and every other name's letters match their lower or
// upper case (`toLowerCase`/`toUpperCase` of one code point), as the `[aA]` classes of the earlier
// case-sensitive regex did. Between a name's words any run of whitespace (`\s`), within one line for
// findRealNames.

type Matcher = (cp: number) => boolean;
const LETTER_ONE = new RegExp(`^${LETTER}$`, 'u');
/** 0 not yet known, 1 not a letter, 2 a letter, mark or digit; by code point, for every call. */
const letterMemo = new Uint8Array(0x110000);
function isLetter(cp: number): boolean {
  let v = letterMemo[cp];
  if (v === 0) letterMemo[cp] = v = LETTER_ONE.test(String.fromCodePoint(cp)) ? 2 : 1;
  return v === 2;
}
/** 1 for the ASCII letters and digits (all of `LETTER` below 0x80) */
const ASCII_LETTER = Uint8Array.from({ length: 0x80 }, (_, c) => (/[\p{L}\p{M}\p{N}]/u.test(String.fromCharCode(c)) ? 1 : 0));
/** `\s` of JavaScript regexes. */
const isSpace = (c: number) =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
/** The code point at i (a lone surrogate as itself), as the `u` flag reads it. */
function cpAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}
/** Whether the code point ending at i (before position i) is a letter, mark or digit. */
function letterBefore(text: string, i: number): boolean {
  if (i <= 0) return false;
  const d = text.charCodeAt(i - 1);
  if (d >= 0xdc00 && d <= 0xdfff && i >= 2) {
    const c = text.charCodeAt(i - 2);
    if (c >= 0xd800 && c <= 0xdbff) return isLetter(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
  }
  return isLetter(d);
}
const ignoringCase = new Map<string, Matcher>();
/** One character ignoring case as `/x/iu` does; the regex engine asked once per code point. */
function iuMatcher(ch: string): Matcher {
  let m = ignoringCase.get(ch);
  if (!m) {
    const c = ch.codePointAt(0) ?? -1;
    const re = new RegExp(`^${escapeRe(ch)}$`, 'iu');
    /** 0 not yet asked, 1 no, 2 yes; the rest of Unicode in a map */
    const bmp = new Uint8Array(0x10000);
    const astral = new Map<number, boolean>();
    m = (cp) => {
      if (cp === c) return true;
      if (cp < 0x10000) {
        const v = bmp[cp];
        if (v !== 0) return v === 2;
        const yes = re.test(String.fromCodePoint(cp));
        bmp[cp] = yes ? 2 : 1;
        return yes;
      }
      let v = astral.get(cp);
      if (v === undefined) astral.set(cp, (v = re.test(String.fromCodePoint(cp))));
      return v;
    };
    ignoringCase.set(ch, m);
  }
  return m;
}
/** The code points a letter matches as `[aA]` (its lower and upper case when each is one code point), else itself. */
function foldedCps(ch: string): number[] {
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  const one = (x: string) => [...x].length === 1;
  return lower !== upper && one(lower) && one(upper) ? [lower.codePointAt(0) ?? -1, upper.codePointAt(0) ?? -1] : [ch.codePointAt(0) ?? -1];
}
function matcher(ch: string, rule: 'iu' | 'fold' | 'exact'): Matcher {
  if (rule === 'iu') return iuMatcher(ch);
  const [a, b = a] = rule === 'fold' ? foldedCps(ch) : [ch.codePointAt(0) ?? -1];
  return (cp) => cp === a || cp === b;
}
/** Whether a folded name could match where the same name ignoring case (`mayOccur`) could not ("ı" folds to "I", which `/ı/iu` does not match). */
const foldWiderThanIu = (word: string) => [...word].some((ch) => foldedCps(ch).some((cp) => !iuMatcher(ch)(cp)));

interface Needle {
  /** per word, a matcher per code point */
  words: Matcher[][];
}
function compileNeedle(name: string, rule: 'iu' | 'fold' | 'exact'): Needle {
  return { words: name.trim().split(/\s+/).map((w) => [...w].map((ch) => matcher(ch, rule))) };
}
/** Where needle `k` ends when it starts at p, or -1; `\s+` between words (not across a line break when `oneLine`). */
function matchAt(text: string, p: number, needle: Needle, oneLine: boolean): number {
  const n = text.length;
  let i = p;
  const words = needle.words;
  for (let w = 0; w < words.length; w++) {
    if (w > 0) {
      const s = i;
      for (let c = text.charCodeAt(i); i < n && isSpace(c) && !(oneLine && c === 10); c = text.charCodeAt(i)) i++;
      if (i === s) return -1;
    }
    const word = words[w];
    for (let j = 0; j < word.length; j++) {
      if (i >= n) return -1;
      const cp = cpAt(text, i);
      if (!word[j](cp)) return -1;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return i;
}

/**
 * One pass over the text: at each position not after a letter, mark or digit, the first needle (in
 * order) for which `end(p, k)` gives an end (not -1) is reported, and the search goes on after it.
 */
function scanNames(text: string, needles: Needle[], end: (p: number, k: number) => number, hit: (p: number, e: number, k: number) => void): void {
  /** the needles whose first character matches `cp`, and by the code point after it those whose second does too */
  interface First {
    list: number[];
    second: Map<number, number[]>;
    /** `second` for ASCII */
    ascii: (number[] | undefined)[];
  }
  const first = (cp: number): First | undefined => {
    const list: number[] = [];
    needles.forEach((nd, k) => {
      const m = nd.words[0][0];
      if (m && m(cp)) list.push(k);
    });
    return list.length ? { list, second: new Map(), ascii: new Array<number[] | undefined>(128).fill(undefined) } : undefined;
  };
  const second = (f: First, cp: number): number[] => {
    let list = f.second.get(cp);
    if (!list) {
      list = f.list.filter((k) => {
        const m = needles[k].words[0][1];
        return !m || m(cp);
      });
      f.second.set(cp, list);
    }
    return list;
  };
  /** per BMP code unit, 1 + the index of its entry in `firsts` (0: not built yet) */
  const bmp = new Int32Array(0x10000);
  const firsts: (First | undefined)[] = [];
  const astral = new Map<number, First | undefined>();
  const n = text.length;
  let prevLetter = false;
  let p = 0;
  while (p < n) {
    const c = text.charCodeAt(p);
    // the common case first: a BMP character after a letter, on to the next character
    const cp = c < 0xd800 || c > 0xdbff ? c : cpAt(text, p);
    const size = cp > 0xffff ? 2 : 1;
    if (!prevLetter) {
      let f: First | undefined;
      if (cp < 0x10000) {
        const at = bmp[cp];
        if (at !== 0) f = firsts[at - 1];
        else {
          firsts.push((f = first(cp)));
          bmp[cp] = firsts.length;
        }
      } else if (astral.has(cp)) f = astral.get(cp);
      else astral.set(cp, (f = first(cp)));
      if (f) {
        let list = f.list;
        if (p + size < n) {
          const c2 = text.charCodeAt(p + size);
          list = c2 < 0x80 ? (f.ascii[c2] ??= second(f, c2)) : second(f, cpAt(text, p + size));
        }
        let e = -1;
        for (let j = 0; j < list.length && e < 0; j++) {
          e = end(p, list[j]);
          if (e >= 0) hit(p, e, list[j]);
        }
        if (e >= 0) {
          prevLetter = letterBefore(text, e);
          p = e;
          continue;
        }
      }
    }
    prevLetter = cp < 0x80 ? ASCII_LETTER[cp] === 1 : isLetter(cp);
    p += size;
  }
}

/**
 * The text with every real name of the table replaced by its pseudonym: whole words only, ignoring
 * case (unless the entry says `matchCase`), longest names first (so "Kari Hansen" wins over "Kari"); a
 * Norwegian or English genitive ("Karis", "Kari's") keeps its ending. Pseudonyms are not replaced again.
 * A name counts where it does not follow a letter, mark or digit ("Makari" holds no "Kari") and is not
 * followed by one, after its optional "s"; all names are found in one pass (see scanNames).
 */
export function applyPseudonyms(text: string, table: PseudonymTable): string {
  if (!table.names.length) return text;
  const sorted = [...table.names].sort((a, b) => b.real.length - a.real.length || byReal(a, b));
  const caseEntries = sorted.filter((e) => e.matchCase && mayOccur(text, e.real, true));
  const exact = caseEntries.length > 0;
  const entries = sorted.filter((e) =>
    e.matchCase ? caseEntries.includes(e) : !exact || !foldWiderThanIu(e.real.trim().split(/\s+/)[0]) || mayOccur(text, e.real),
  );
  if (!entries.length) return text;
  const needles = entries.map((e) => compileNeedle(e.real, e.matchCase ? 'exact' : exact ? 'fold' : 'iu'));
  const s = matcher('s', exact ? 'fold' : 'iu');
  const n = text.length;
  const out: string[] = [];
  let done = 0;
  scanNames(
    text,
    needles,
    (p, k) => {
      let e = matchAt(text, p, needles[k], false);
      if (e < 0) return -1;
      if (e < n && s(text.charCodeAt(e))) e++;
      return e < n && isLetter(cpAt(text, e)) ? -1 : e;
    },
    (p, e, k) => {
      const name = matchAt(text, p, needles[k], false);
      out.push(text.slice(done, p), entries[k].pseudonym + text.slice(name, e));
      done = e;
    },
  );
  out.push(text.slice(done));
  return out.join('');
}

/**
 * How often a name occurs in a text as a whole word spelled otherwise than written ("liv" or "LIV" for
 * "Liv"): the places a case-insensitive entry would replace too.
 */
export function otherSpellings(text: string, real: string): number {
  const wanted = real.trim().split(/\s+/).join(' ');
  if (!wanted || !mayOccur(text, wanted)) return 0;
  let n = 0;
  for (const m of atWordStart(text, new RegExp(`${namePattern(wanted)}(?!${LETTER})`, 'giu'))) if (m[0].split(/\s+/).join(' ') !== wanted) n++;
  return n;
}

/** A place in an export where a real name still appears. */
export interface RealNameHit {
  /** the export file (as named by the caller) */
  file: string;
  line: number;
  column: number;
  /** the real name (or the part of it) found */
  name: string;
  /** the line around the hit, shortened */
  context: string;
}

/**
 * Where real names still appear in a text: each real name of the table and each of its words of three
 * letters or more, at the start of a word (so "Karis" and "Kari-intervju" count, "Makarios" does not),
 * ignoring case, except for the names (and their words) of entries that match case. Words that are
 * also a pseudonym (or part of one) are not reported.
 */
export function findRealNames(text: string, table: PseudonymTable, file: string): RealNameHit[] {
  const pseudo = new Set(table.names.flatMap((e) => e.pseudonym.toLocaleLowerCase().split(/\s+/)));
  /** each needle, and whether it is searched only as written (when every entry holding it says so) */
  const needles = new Map<string, boolean>();
  const add = (n: string, matchCase: boolean) => needles.set(n, (needles.get(n) ?? true) && matchCase);
  for (const e of table.names) {
    add(e.real, !!e.matchCase);
    const words = e.real.split(/\s+/);
    if (words.length > 1) for (const w of words) if ([...w].length >= 3) add(w, !!e.matchCase);
  }
  const candidates = [...needles].filter(([n, matchCase]) => !pseudo.has(n.toLocaleLowerCase()) && (!matchCase || mayOccur(text, n, true)));
  const exact = candidates.some(([, matchCase]) => matchCase);
  const list = candidates
    .filter(([n, matchCase]) => matchCase || !exact || !foldWiderThanIu(n.trim().split(/\s+/)[0]) || mayOccur(text, n))
    .sort((a, b) => b[0].length - a[0].length);
  if (!list.length) return [];
  const compiled = list.map(([n, matchCase]) => compileNeedle(n, matchCase ? 'exact' : exact ? 'fold' : 'iu'));
  const hits: RealNameHit[] = [];
  let lineNo = 0;
  let lineStart = 0;
  let lineEnd = -1;
  scanNames(
    text,
    compiled,
    (p, k) => matchAt(text, p, compiled[k], true),
    (p, e) => {
      if (p > lineEnd) {
        for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < p; nl = text.indexOf('\n', lineStart)) {
          lineNo++;
          lineStart = nl + 1;
        }
        lineEnd = text.indexOf('\n', lineStart);
        if (lineEnd < 0) lineEnd = text.length;
      }
      const line = text.slice(lineStart, lineEnd);
      const at = p - lineStart;
      const from = Math.max(0, at - 30);
      const to = Math.min(line.length, at + (e - p) + 30);
      hits.push({
        file,
        line: lineNo + 1,
        column: at + 1,
        name: text.slice(p, e),
        context: `${from > 0 ? '…' : ''}${line.slice(from, to).trim()}${to < line.length ? '…' : ''}`,
      });
    },
  );
  return hits;
}
