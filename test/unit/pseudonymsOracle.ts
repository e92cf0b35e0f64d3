// Oracles for the pseudonym pass (issue 15), kept as they were so that the faster code in
// src/core/pseudonyms.ts can be held to them byte for byte:
//   - oldApplyPseudonyms / oldFindRealNames: the regex alternation (one regex of all names, searched
//     from every word start), the first implementation;
//   - onePassApplyPseudonyms / onePassFindRealNames: the one pass that replaced it (at each word start
//     only the names whose first two characters fit are tried), as it was before the automaton.
// Test code only: nothing here is shipped.
import type { PseudonymEntry, PseudonymTable, RealNameHit } from '../../src/core/pseudonyms';

const byReal = (a: PseudonymEntry, b: PseudonymEntry) => {
  const x = a.real.toLocaleLowerCase();
  const y = b.real.toLocaleLowerCase();
  return x < y ? -1 : x > y ? 1 : a.real < b.real ? -1 : a.real > b.real ? 1 : 0;
};

// ---- the oracle: src/core/pseudonyms.ts before the one pass ----
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * A name written with any run of whitespace between its words. `fold`: each letter as a class of its
 * lower and upper case, for a regex without the `i` flag that also holds names matched only as written.
 */
const namePattern = (name: string, fold = false) =>
  name
    .trim()
    .split(/\s+/)
    .map((word) => (fold ? [...word].map(caseClass).join('') : escapeRe(word)))
    .join('\\s+');
function caseClass(ch: string): string {
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  const one = (x: string) => [...x].length === 1;
  return lower !== upper && one(lower) && one(upper) ? `[${lower}${upper}]` : escapeRe(ch);
}

/**
 * How a set of names is searched: one regex ignoring case when no entry asks to match case (the fast
 * path), otherwise a case-sensitive regex in which the other names have their letters folded.
 */
function namesRegex(names: { text: string; matchCase?: boolean }[], wrap: (alternatives: string[], fold: boolean) => string): RegExp {
  const exact = names.some((n) => n.matchCase);
  const alternatives = names.map((n) => namePattern(n.text, exact && !n.matchCase));
  return new RegExp(wrap(alternatives, exact), exact ? 'gu' : 'giu');
}
const LETTER = '[\\p{L}\\p{M}\\p{N}]';
/** False when the name cannot occur in the text: its first word does not (same engine and flags as the full search, which is slow on long texts with many alternatives). */
const LETTER_BEFORE = new RegExp(`${LETTER}$`, 'u');

/**
 * The matches of the global regex `re` that do not follow a letter, mark or digit: what `(?<!LETTER)` at
 * its start gives, without a lookbehind tried at every position of the text (six times slower on a
 * 40 MB segments CSV). After a match that follows a letter the search goes on one character later, so
 * no match that the lookbehind would allow is skipped.
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

const mayOccur = (text: string, name: string, matchCase = false) => new RegExp(escapeRe(name.trim().split(/\s+/)[0]), matchCase ? 'u' : 'iu').test(text);

/**
 * The text with every real name of the table replaced by its pseudonym: whole words only, ignoring
 * case (unless the entry says `matchCase`), longest names first (so "Kari Hansen" wins over "Kari"); a
 * Norwegian or English genitive ("Karis", "Kari's") keeps its ending. Pseudonyms are not replaced again.
 */
export function oldApplyPseudonyms(text: string, table: PseudonymTable): string {
  if (!table.names.length) return text;
  const entries = table.names.filter((e) => mayOccur(text, e.real, e.matchCase)).sort((a, b) => b.real.length - a.real.length || byReal(a, b));
  if (!entries.length) return text;
  const re = namesRegex(
    entries.map((e) => ({ text: e.real, matchCase: e.matchCase })),
    (alts, fold) => `(?:${alts.map((a) => `(${a})`).join('|')})(${fold ? '[sS]' : 's'}?)(?!${LETTER})`,
  );
  const out: string[] = [];
  let done = 0;
  for (const m of atWordStart(text, re)) {
    const i = m.findIndex((g, k) => k > 0 && k <= entries.length && g !== undefined) - 1;
    out.push(text.slice(done, m.index), entries[i].pseudonym + (m[entries.length + 1] ?? ''));
    done = m.index + m[0].length;
  }
  out.push(text.slice(done));
  return out.join('');
}

export function oldFindRealNames(text: string, table: PseudonymTable, file: string): RealNameHit[] {
  const pseudo = new Set(table.names.flatMap((e) => e.pseudonym.toLocaleLowerCase().split(/\s+/)));
  /** each needle, and whether it is searched only as written (when every entry holding it says so) */
  const needles = new Map<string, boolean>();
  const add = (n: string, matchCase: boolean) => needles.set(n, (needles.get(n) ?? true) && matchCase);
  for (const e of table.names) {
    add(e.real, !!e.matchCase);
    const words = e.real.split(/\s+/);
    if (words.length > 1) for (const w of words) if ([...w].length >= 3) add(w, !!e.matchCase);
  }
  const list = [...needles]
    .filter(([n, matchCase]) => !pseudo.has(n.toLocaleLowerCase()) && mayOccur(text, n, matchCase))
    .sort((a, b) => b[0].length - a[0].length)
    .map(([n, matchCase]) => ({ text: n, matchCase }));
  if (!list.length) return [];
  const re = namesRegex(list, (alts) => `(?:${alts.join('|')})`);
  const hits: RealNameHit[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of atWordStart(line, re)) {
      const at = m.index ?? 0;
      const from = Math.max(0, at - 30);
      const to = Math.min(line.length, at + m[0].length + 30);
      hits.push({
        file,
        line: i + 1,
        column: at + 1,
        name: m[0],
        context: `${from > 0 ? '…' : ''}${line.slice(from, to).trim()}${to < line.length ? '…' : ''}`,
      });
    }
  });
  return hits;
}

// ---- the one pass (src/core/pseudonyms.ts before the automaton) ----

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
export function onePassApplyPseudonyms(text: string, table: PseudonymTable): string {
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
 * Where real names still appear in a text: each real name of the table and each of its words of three
 * letters or more, at the start of a word (so "Karis" and "Kari-intervju" count, "Makarios" does not),
 * ignoring case, except for the names (and their words) of entries that match case. Words that are
 * also a pseudonym (or part of one) are not reported.
 */
export function onePassFindRealNames(text: string, table: PseudonymTable, file: string): RealNameHit[] {
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
