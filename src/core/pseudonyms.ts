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
export function applyPseudonyms(text: string, table: PseudonymTable): string {
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
