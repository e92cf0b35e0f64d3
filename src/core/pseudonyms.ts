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
// written first, and how the unit tests' oracle still is), but walks the text once: the letters after
// a word's first are skipped with one table look-up each, and at each word start an automaton of all
// the names (a DFA built lazily from the names' characters, a state per set of partial matches) reads
// the text only as far as some name could still match. Of the names that match there, the first in
// the alternation's order wins. Names with an empty first word (only whitespace) never match (the
// regex looped on them).
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

/** A name as a matcher per code point, per word. */
function compileNeedle(name: string, rule: 'iu' | 'fold' | 'exact'): { words: Matcher[][] } {
  return { words: name.trim().split(/\s+/).map((w) => [...w].map((ch) => matcher(ch, rule))) };
}

/** Per BMP code unit: 1 a letter, mark or digit, 2 a surrogate (read as a pair), else 0; built once. */
let bmpLetters: Uint8Array | undefined;
function letterTable(): Uint8Array {
  if (!bmpLetters) {
    const t = new Uint8Array(0x10000);
    for (let c = 0; c < 0x10000; c++) t[c] = c >= 0xd800 && c <= 0xdfff ? 2 : isLetter(c) ? 1 : 0;
    bmpLetters = t;
  }
  return bmpLetters;
}

/**
 * The position after the code point at `q` and those after it up to the first that is not a letter,
 * mark or digit (included): where the next word start can be when the code point before `q` is one.
 */
function skipWord(text: string, q: number, n: number, letters: Uint8Array): number {
  while (q < n) {
    const c = text.charCodeAt(q++);
    const kind = letters[c];
    if (kind === 1) continue;
    if (kind === 0) return q;
    let cp = c;
    if (c <= 0xdbff && q < n) {
      const d = text.charCodeAt(q);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        q++;
      }
    }
    if (!isLetter(cp)) return q;
  }
  return q;
}

const DEAD = -1;
const UNKNOWN = -2;
/** no name ends in a state */
const NONE = 0x7fffffff;

/**
 * Every name of one or two lists as one automaton. The NFA: node 0 the start, each name a chain of
 * nodes, one per code point (its matcher on the edge into it), and after each word but the last a node
 * for the run of whitespace before the next word, which loops on whitespace (greedily, as the regex's
 * `\s+` before a word that never starts with whitespace; not over a line break for a list searched
 * within lines). The DFA: a state per set of NFA nodes, made on first need; transitions on code points
 * below 256 in one flat table, the others in a map per state. Per state, the first name of each list
 * (lowest index) that ends there: `accept` for the first list, `acceptSecond` for the second.
 */
class NameAutomaton {
  private readonly edges: { m: Matcher; to: number }[][] = [[]];
  /** per node: the whitespace-run node after it (at the end of a word that is not the name's last), else -1 */
  private readonly spaceTo: number[] = [-1];
  /** per node: whether it is a whitespace-run node */
  private readonly run: boolean[] = [false];
  /** per node: whether its name is searched within lines (a run does not cross a line break) */
  private readonly inLine: boolean[] = [false];
  /** per node: the index of the name of the first list, or of the second, that ends there, else NONE */
  private readonly endsFirst: number[] = [NONE];
  private readonly endsSecond: number[] = [NONE];
  private readonly sets: number[][] = [];
  private readonly ids = new Map<string, number>();
  private readonly wide: (Map<number, number> | undefined)[] = [];
  accept = new Int32Array(64);
  acceptSecond = new Int32Array(64);
  /** per state × code point below 256: the next state, DEAD or UNKNOWN */
  trans = new Int32Array(64 * 256);

  constructor(first: { names: readonly { words: Matcher[][] }[]; oneLine: boolean }, second?: { names: readonly { words: Matcher[][] }[]; oneLine: boolean }) {
    for (const [list, ends] of [[first, this.endsFirst], [second, this.endsSecond]] as const) {
      if (!list) continue;
      list.names.forEach(({ words }, k) => {
        if (!words[0]?.length) return; // an empty first word never matches
        let cur = 0;
        words.forEach((word, w) => {
          if (w > 0) {
            const s = this.node(true, list.oneLine);
            this.spaceTo[cur] = s;
            cur = s;
          }
          for (const m of word) {
            const to = this.node(false, list.oneLine);
            this.edges[cur].push({ m, to });
            cur = to;
          }
        });
        if (ends[cur] === NONE) ends[cur] = k;
      });
    }
    this.state([0]);
  }

  private node(run: boolean, inLine: boolean): number {
    this.edges.push([]);
    this.spaceTo.push(-1);
    this.run.push(run);
    this.inLine.push(inLine);
    this.endsFirst.push(NONE);
    this.endsSecond.push(NONE);
    return this.edges.length - 1;
  }

  private state(set: number[]): number {
    const key = set.join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.ids.set(key, id);
      this.sets.push(set);
      this.wide.push(undefined);
      if (id >= this.accept.length) {
        const accept = new Int32Array(this.accept.length * 2);
        accept.set(this.accept);
        this.accept = accept;
        const second = new Int32Array(this.acceptSecond.length * 2);
        second.set(this.acceptSecond);
        this.acceptSecond = second;
        const trans = new Int32Array(this.trans.length * 2);
        trans.set(this.trans);
        this.trans = trans;
      }
      this.trans.fill(UNKNOWN, id * 256, id * 256 + 256);
      let first = NONE;
      let second = NONE;
      for (const node of set) {
        first = Math.min(first, this.endsFirst[node]);
        second = Math.min(second, this.endsSecond[node]);
      }
      this.accept[id] = first;
      this.acceptSecond[id] = second;
    }
    return id;
  }

  /** The state after reading code point `cp` in state `st`, or DEAD. */
  next(st: number, cp: number): number {
    if (cp < 256) {
      const t = this.trans[st * 256 + cp];
      if (t !== UNKNOWN) return t;
    } else {
      const t = this.wide[st]?.get(cp);
      if (t !== undefined) return t;
    }
    const space = isSpace(cp);
    const next = new Set<number>();
    for (const node of this.sets[st]) {
      if (space && !(cp === 10 && this.inLine[node]) && (this.run[node] || this.spaceTo[node] >= 0)) next.add(this.run[node] ? node : this.spaceTo[node]);
      else for (const e of this.edges[node]) if (e.m(cp)) next.add(e.to);
    }
    const t = next.size ? this.state([...next].sort((a, b) => a - b)) : DEAD;
    if (cp < 256) this.trans[st * 256 + cp] = t;
    else {
      let wide = this.wide[st];
      if (!wide) this.wide[st] = wide = new Map();
      wide.set(cp, t);
    }
    return t;
  }
}

/**
 * One pass over the text: at each position not after a letter, mark or digit, of the names that match
 * there and whose end `valid` accepts (it gives the end of the whole match, or -1), the first in order
 * is reported, and the search goes on after it. The first name of the automaton's second list that
 * matches at each of those positions is reported too (before the first list's hit).
 */
interface ScanVisitor {
  /** the end of the whole match when a name of the first list ends at `end`, or -1 */
  valid(end: number): number;
  hit(p: number, nameEnd: number, end: number, k: number): void;
  /** the first name of the second list that matches at p (before `hit` at p) */
  second(p: number, end: number): void;
  /** a name could still match when the text ended (it might go on in what follows the text) */
  open?(): void;
}

function scanNames(text: string, names: NameAutomaton, v: ScanVisitor): void {
  const letters = letterTable();
  const n = text.length;
  let p = 0;
  while (p < n) {
    // p is a word start
    const c = text.charCodeAt(p);
    let live = c >= 256;
    if (!live) {
      // most word starts end here or at the next character: two look-ups before the walk
      const t1 = names.trans[c];
      if (t1 >= 0) {
        const c2 = p + 1 < n ? text.charCodeAt(p + 1) : 256;
        live = c2 >= 256 || names.trans[t1 * 256 + c2] !== DEAD || names.accept[t1] !== NONE || names.acceptSecond[t1] !== NONE;
      } else live = t1 === UNKNOWN;
    }
    if (live) {
      let best = NONE;
      let nameEnd = -1;
      let end = -1;
      let best2 = NONE;
      let end2 = -1;
      let st = 0;
      let i = p;
      let trans = names.trans;
      while (i < n) {
        let cp = text.charCodeAt(i);
        let size = 1;
        if (cp < 256) {
          const t = trans[st * 256 + cp];
          if (t !== UNKNOWN) st = t;
          else {
            st = names.next(st, cp);
            trans = names.trans;
          }
        } else {
          if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < n) {
            const d = text.charCodeAt(i + 1);
            if (d >= 0xdc00 && d <= 0xdfff) {
              cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
              size = 2;
            }
          }
          st = names.next(st, cp);
          trans = names.trans;
        }
        if (st === DEAD) break;
        i += size;
        const k = names.accept[st];
        if (k < best) {
          const e = v.valid(i);
          if (e >= 0) {
            best = k;
            nameEnd = i;
            end = e;
          }
        }
        const k2 = names.acceptSecond[st];
        if (k2 < best2) {
          best2 = k2;
          end2 = i;
        }
      }
      if (i >= n && st !== DEAD) v.open?.();
      if (best2 !== NONE) v.second(p, end2);
      if (best !== NONE) {
        v.hit(p, nameEnd, end, best);
        p = letterBefore(text, end) ? skipWord(text, end, n, letters) : end;
        continue;
      }
    }
    // no name here: on after this code point, and after the rest of its word if it is a letter
    const kind = letters[c];
    if (kind === 1) {
      // skipWord, its common case inline: the letters of the word, then the character after them
      p++;
      while (p < n) {
        const next = letters[text.charCodeAt(p)];
        if (next === 1) p++;
        else {
          p = next === 0 ? p + 1 : skipWord(text, p, n, letters);
          break;
        }
      }
    } else if (kind === 0) p++;
    else {
      const cp = cpAt(text, p);
      p += cp > 0xffff ? 2 : 1;
      if (isLetter(cp)) p = skipWord(text, p, n, letters);
    }
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
  const names = new NameAutomaton({ names: entries.map((e) => compileNeedle(e.real, e.matchCase ? 'exact' : exact ? 'fold' : 'iu')), oneLine: false });
  const s = matcher('s', exact ? 'fold' : 'iu');
  const n = text.length;
  const out: string[] = [];
  let done = 0;
  scanNames(text, names, {
    valid(e) {
      if (e < n && s(text.charCodeAt(e))) e++;
      return e < n && isLetter(cpAt(text, e)) ? -1 : e;
    },
    hit(p, name, e, k) {
      out.push(text.slice(done, p), entries[k].pseudonym + text.slice(name, e));
      done = e;
    },
    second() {},
  });
  out.push(text.slice(done));
  return out.join('');
}

/**
 * The table for a text written in pieces that no name can reach across (the cells of a CSV, each
 * bounded by a `,` or a quote; a line end is white space a name can cross, so after a piece that
 * ends at one `openAtEnd` says whether it may): each piece gets what applyPseudonyms and then findRealNames
 * give it inside the whole text, in one walk over it (the names left are searched again only in a
 * piece where a name was replaced). For a table whose search does not depend on the whole text and
 * whose names cross no cell: none matches case (whether such a name occurs anywhere in the text
 * decides how all are matched) and none holds a `,` or `"`; undefined for any other table.
 */
export interface PseudonymPass {
  /**
   * The piece with the table applied. The real names left in it are pushed to `hits` as start and end
   * offsets plus `at`, where the piece's result starts in the whole result.
   */
  apply(piece: string, at: number, hits: number[]): string;
  /** Whether some name (to replace or to report) can begin with code point `cp`. */
  canBegin(cp: number): boolean;
  /**
   * Whether, in the last piece applied, a name could still match where the piece ended: then the cut
   * after it is not one no name crosses, and the piece must go through with what follows it.
   */
  readonly openAtEnd: boolean;
}

export function pseudonymPass(table: PseudonymTable): PseudonymPass | undefined {
  if (table.names.some((e) => e.matchCase || /[,"]/.test(e.real))) return undefined;
  if (!table.names.length) return { apply: (piece) => piece, canBegin: () => false, openAtEnd: false };
  return new PiecePass(table);
}

/** The ScanVisitor of findRealNames: every hit's start and end pushed to `at`. */
const findVisitor = (at: number[]): ScanVisitor => ({
  valid: (e) => e,
  hit: (p, _name, e) => void at.push(p, e),
  second() {},
});

class PiecePass implements PseudonymPass, ScanVisitor {
  private readonly entries: PseudonymEntry[];
  private readonly both: NameAutomaton;
  private readonly leftOnly: NameAutomaton;
  private readonly s = matcher('s', 'iu');
  // the piece being read
  private piece = '';
  private out: string[] | undefined;
  private done = 0;
  private readonly found: number[] = [];
  private foundFrom = 0;
  openAtEnd = false;

  constructor(table: PseudonymTable) {
    this.entries = [...table.names].sort((a, b) => b.real.length - a.real.length || byReal(a, b));
    const left = realNameNeedles(table, undefined).list.map(([n]) => compileNeedle(n, 'iu'));
    this.both = new NameAutomaton({ names: this.entries.map((e) => compileNeedle(e.real, 'iu')), oneLine: false }, { names: left, oneLine: true });
    this.leftOnly = new NameAutomaton({ names: left, oneLine: true });
  }

  apply(piece: string, at: number, hits: number[]): string {
    if (piece.length === 0) return piece;
    this.piece = piece;
    this.out = undefined;
    this.done = 0;
    this.found.length = 0;
    this.foundFrom = 0;
    this.openAtEnd = false;
    scanNames(piece, this.both, this);
    const out = this.out as string[] | undefined;
    if (!out) {
      for (const x of this.found) hits.push(x + at);
      return piece;
    }
    out.push(piece.slice(this.done));
    const result = out.join('');
    const left: number[] = [];
    scanNames(result, this.leftOnly, findVisitor(left));
    for (const x of left) hits.push(x + at);
    return result;
  }

  canBegin(cp: number): boolean {
    return this.both.next(0, cp) !== DEAD;
  }

  valid(e: number): number {
    const piece = this.piece;
    const n = piece.length;
    if (e < n && this.s(piece.charCodeAt(e))) e++;
    return e < n && isLetter(cpAt(piece, e)) ? -1 : e;
  }

  hit(p: number, name: number, e: number, k: number): void {
    (this.out ??= []).push(this.piece.slice(this.done, p), this.entries[k].pseudonym + this.piece.slice(name, e));
    this.done = e;
  }

  open(): void {
    this.openAtEnd = true;
  }

  /** where findRealNames, on this piece unchanged, reports a name: at a word start not inside the previous one */
  second(p: number, e: number): void {
    if (this.out || p < this.foundFrom) return;
    this.found.push(p, e);
    this.foundFrom = e;
  }
}

/** The hits of `findRealNames` for a text whose names left were found by a PseudonymPass (`at` as its `hits`). */
export function realNamesAt(text: string, at: readonly number[], file: string): RealNameHit[] {
  return realNameHitsAt(text, at, file);
}

/**
 * realNamesAt for a text given in pieces (the segments CSV as it is written): the same hits, while
 * holding only the text since the last line end (a hit's line and context need its whole line).
 * `push` each piece with the names left in it as offsets in the whole text; `end` when all is given.
 */
export class RealNamesInPieces {
  readonly hits: RealNameHit[] = [];
  /** the text since the last line end given, and where it starts in the whole text */
  private tail = '';
  private tailAt = 0;
  /** line number (0-based) of the tail's first line */
  private line = 0;
  /** names not yet placed, as offsets in the whole text */
  private waiting: number[] = [];

  constructor(private readonly file: string) {}

  push(piece: string, names: readonly number[]): void {
    for (const n of names) this.waiting.push(n);
    if (!this.waiting.length) {
      // nothing to place: keep only what follows the last line end, and count the lines passed
      const nl = piece.lastIndexOf('\n');
      if (nl < 0) this.tail += piece;
      else {
        this.line += countLines(piece, nl + 1);
        this.tailAt += this.tail.length + nl + 1;
        this.tail = piece.slice(nl + 1);
      }
      return;
    }
    this.tail += piece;
    const nl = this.tail.lastIndexOf('\n');
    if (nl < 0) return;
    // every name that starts before the last line end has its whole line in the tail
    let k = 0;
    while (k < this.waiting.length && this.waiting[k] - this.tailAt < nl) k += 2;
    if (k) {
      const at = this.waiting.slice(0, k).map((x) => x - this.tailAt);
      for (const h of realNameHitsAt(this.tail, at, this.file)) this.hits.push({ ...h, line: h.line + this.line });
      this.waiting = this.waiting.slice(k);
    }
    this.line += countLines(this.tail, nl + 1);
    this.tailAt += nl + 1;
    this.tail = this.tail.slice(nl + 1);
  }

  /** the hits of the whole text */
  end(): RealNameHit[] {
    if (this.waiting.length) {
      for (const h of realNameHitsAt(this.tail, this.waiting.map((x) => x - this.tailAt), this.file)) this.hits.push({ ...h, line: h.line + this.line });
      this.waiting = [];
    }
    return this.hits;
  }
}

/** How many line ends (\n) are in `text` before `end`. */
function countLines(text: string, end = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
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
  const { list, exact } = realNameNeedles(table, text);
  if (!list.length) return [];
  const names = new NameAutomaton({ names: list.map(([n, matchCase]) => compileNeedle(n, matchCase ? 'exact' : exact ? 'fold' : 'iu')), oneLine: true });
  const at: number[] = [];
  scanNames(text, names, findVisitor(at));
  return realNameHitsAt(text, at, file);
}

/**
 * What findRealNames searches: each real name and each word of three letters or more of a name of
 * several words, unless it is (part of) a pseudonym, longest first; whether each matches only as
 * written, and whether any does (the other names' letters then match `[aA]`-style). A name matching
 * case that the text does not hold is left out (`text` undefined: the table has no such name).
 */
function realNameNeedles(table: PseudonymTable, text: string | undefined): { list: [string, boolean][]; exact: boolean } {
  const pseudo = new Set(table.names.flatMap((e) => e.pseudonym.toLocaleLowerCase().split(/\s+/)));
  /** each needle, and whether it is searched only as written (when every entry holding it says so) */
  const needles = new Map<string, boolean>();
  const add = (n: string, matchCase: boolean) => needles.set(n, (needles.get(n) ?? true) && matchCase);
  for (const e of table.names) {
    add(e.real, !!e.matchCase);
    const words = e.real.split(/\s+/);
    if (words.length > 1) for (const w of words) if ([...w].length >= 3) add(w, !!e.matchCase);
  }
  const candidates = [...needles].filter(([n, matchCase]) => !pseudo.has(n.toLocaleLowerCase()) && (!matchCase || mayOccur(text ?? '', n, true)));
  const exact = candidates.some(([, matchCase]) => matchCase);
  const list = candidates
    .filter(([n, matchCase]) => matchCase || !exact || !foldWiderThanIu(n.trim().split(/\s+/)[0]) || mayOccur(text ?? '', n))
    .sort((a, b) => b[0].length - a[0].length);
  return { list, exact };
}

/** The hits of a text given as start and end offsets (in pairs, in text order): line, column, name and the line around each. */
function realNameHitsAt(text: string, at: readonly number[], file: string): RealNameHit[] {
  const hits: RealNameHit[] = [];
  let lineNo = 0;
  let lineStart = 0;
  let lineEnd = -1;
  for (let i = 0; i < at.length; i += 2) {
    const p = at[i];
    const e = at[i + 1];
    if (p > lineEnd) {
      for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < p; nl = text.indexOf('\n', lineStart)) {
        lineNo++;
        lineStart = nl + 1;
      }
      lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = text.length;
    }
    const line = text.slice(lineStart, lineEnd);
    const col = p - lineStart;
    const from = Math.max(0, col - 30);
    const to = Math.min(line.length, col + (e - p) + 30);
    hits.push({
      file,
      line: lineNo + 1,
      column: col + 1,
      name: text.slice(p, e),
      context: `${from > 0 ? '…' : ''}${line.slice(from, to).trim()}${to < line.length ? '…' : ''}`,
    });
  }
  return hits;
}
