// Memos: Markdown files under memos/ with a YAML front matter. Grounded's own keys (id, target, author,
// created, modified) are written first, in that order, each on one line, plain when YAML reads the
// plain text as exactly the value and double-quoted otherwise; every other key (tags, aliases, what
// Obsidian or another tool put there) and every comment is kept as its lines were and written after them.
import { isMap, isScalar, isSeq, parseDocument, stringify } from 'yaml';
import type { Node, Pair } from 'yaml';
import { MEMO_DIR } from './model';
import type { Memo, MemoTarget } from './model';
import { FormatError, TIMESTAMP, UUID, lineColumnAt } from './jsonError';

const FRONT_KEYS = ['id', 'target', 'author', 'created', 'modified'] as const;
type FrontKey = (typeof FRONT_KEYS)[number];
const isFrontKey = (key: string): key is FrontKey => (FRONT_KEYS as readonly string[]).includes(key);

// Every scalar is read as a string (YAML's failsafe schema): `author: 2024` is the text "2024".
const YAML_OPTIONS = { schema: 'failsafe', prettyErrors: false, uniqueKeys: false } as const;

// Text YAML surely reads plain as itself (letters, digits, . _ / : + - and single spaces; no ": ", no
// final ":"): every id, target and timestamp Grounded writes, and most names, without asking the parser.
const SURELY_PLAIN = /^[\p{L}\p{N}][\p{L}\p{N}._/:+-]*(?: [\p{L}\p{N}._/:+-]+)*$/u;

/** What YAML reads from `key: text` on one line, when that is a plain (unquoted) string; else undefined. */
function plainReading(text: string): string | undefined {
  if (SURELY_PLAIN.test(text) && !text.includes(': ') && !text.endsWith(':')) return text;
  const doc = parseDocument(`k: ${text}`, YAML_OPTIONS);
  if (doc.errors.length || !isMap(doc.contents) || doc.contents.items.length !== 1) return undefined;
  const value = doc.contents.items[0].value;
  return isScalar(value) && value.type === 'PLAIN' && typeof value.value === 'string' ? value.value : undefined;
}

/** A value as YAML on one line: as it is when YAML reads it back exactly, else double-quoted. */
export function yamlValue(value: string): string {
  return plainReading(value) === value ? value : stringify(value, { defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0 }).trimEnd();
}

export function memoTargetToString(t: MemoTarget): string {
  switch (t.kind) {
    case 'project':
      return 'project';
    case 'code':
      return `code:${t.id}`;
    case 'document':
      return `document:${t.path}`;
    case 'coding':
      return `coding:${t.id}`;
    case 'relation':
      return `relation:${t.id}`;
  }
}

/** The target written as in the front matter, or undefined when it is not one. */
export function memoTargetFromString(s: string): MemoTarget | undefined {
  if (s === 'project') return { kind: 'project' };
  const colon = s.indexOf(':');
  const kind = s.slice(0, colon);
  const rest = s.slice(colon + 1);
  if (colon < 0 || !rest) return undefined;
  if (kind === 'document') return { kind, path: rest };
  if ((kind === 'code' || kind === 'coding' || kind === 'relation') && UUID.re.test(rest)) return { kind, id: rest };
  return undefined;
}

/** The exact file text. The body keeps its own line breaks; the file always ends with one newline. */
export function serializeMemo(m: Memo): string {
  const values: Record<FrontKey, string> = {
    id: m.id,
    target: memoTargetToString(m.target),
    author: m.author,
    created: m.created,
    modified: m.modified,
  };
  for (const key of FRONT_KEYS) {
    // A memo's own values are one line each, as a person reads and edits them in the file.
    if (/[\r\n]/.test(values[key])) throw new Error(`memo ${key} must be a single line`);
  }
  const other = m.otherFrontMatter ? `${m.otherFrontMatter.replace(/\r\n?/g, '\n').replace(/\n*$/, '')}\n` : '';
  const front = `---\n${FRONT_KEYS.map((k) => `${k}: ${yamlValue(values[k])}`).join('\n')}\n${other}---\n`;
  const body = m.body.replace(/\r\n?/g, '\n');
  return body ? `${front}\n${body}\n` : front;
}

/**
 * Parse a memo file. CRLF (a Windows checkout) and a byte order mark are accepted; the blank line
 * after the front matter and the final newline are not part of the body. The front matter is YAML;
 * errors (YAML that does not parse, a missing key, a list where Grounded expects text, a value that is
 * not an id, target or timestamp) are FormatErrors with the file's line and column.
 */
export function parseMemo(text: string, path: string): Memo {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  function fail(line: number, reason: string, column = 1): never {
    throw new FormatError(path, line, column, reason);
  }
  if (lines[0] !== '---') fail(1, 'a memo starts with a front matter block: a line "---"');
  const close = lines.indexOf('---', 1);
  if (close < 0) fail(1, 'the front matter is not closed by a line "---"');
  const frontLines = lines.slice(1, close);
  // Memos written before the front matter was read as YAML hold Grounded's values literally, so a
  // value like `document:interviews/åse: del 2.txt` (": " inside) or `Kari #2` is read as the text
  // it is, as it always was: such a line is given to YAML quoted (same line, same key column).
  const yamlLines = frontLines.map((line) => {
    const m = /^([a-z]+): (.*)$/.exec(line);
    if (!m || !isFrontKey(m[1])) return line;
    const literal = m[2].trim();
    if (!literal || /^["'[{|>&*!]/.test(literal) || plainReading(literal) === literal) return line;
    return `${m[1]}: ${stringify(literal, { defaultStringType: 'QUOTE_DOUBLE', lineWidth: 0 }).trimEnd()}`;
  });
  const source = yamlLines.map((l) => `${l}\n`).join('');
  // front matter offset -> line and column in the file (the front matter starts on line 2)
  const at = (offset: number) => {
    const p = lineColumnAt(source, Math.min(offset, source.length));
    return { line: p.line + 1, column: p.column };
  };
  function failAt(offset: number, reason: string): never {
    const p = at(offset);
    return fail(p.line, reason, p.column);
  }
  const doc = parseDocument(source, YAML_OPTIONS);
  if (doc.errors.length) failAt(doc.errors[0].pos[0], `the front matter is not valid YAML: ${doc.errors[0].message}`);
  const values: Partial<Record<FrontKey, string>> = {};
  const nodeOf: Partial<Record<FrontKey, Node | null>> = {};
  const own = new Set<number>(); // front matter lines (0-based) holding Grounded's keys
  const contents = doc.contents;
  if (contents !== null) {
    if (!isMap(contents) || contents.flow) failAt(contents.range?.[0] ?? 0, 'expected "key: value" lines');
    if (at(contents.range![0]).column !== 1) failAt(contents.range![0], 'the front matter keys start at the beginning of a line');
    const seen = new Set<string>();
    for (const pair of contents.items as Pair<Node | null, Node | null>[]) {
      const keyNode = pair.key;
      if (!isScalar(keyNode) || typeof keyNode.value !== 'string') continue; // another tool's complex key: kept as it is
      const key = keyNode.value;
      if (seen.has(key)) failAt(keyNode.range![0], `duplicate front matter key "${key}"`);
      seen.add(key);
      if (!isFrontKey(key)) continue;
      const value = pair.value;
      const from = at(keyNode.range![0]).line;
      const to = at(Math.max(keyNode.range![1], value?.range?.[1] ?? 0) - 1).line;
      for (let line = from; line <= to; line++) own.add(line - 2);
      const valueAt = value?.range?.[0] ?? keyNode.range![1];
      let v = '';
      if (value !== null) {
        if (!isScalar(value) || typeof value.value !== 'string') {
          failAt(valueAt, `${key}: expected one line of text, got ${isMap(value) ? 'a mapping' : isSeq(value) ? 'a list' : 'another kind of YAML value'}`);
        }
        v = value.value as string;
      }
      if (/[\r\n]/.test(v)) failAt(valueAt, `${key}: expected one line of text`);
      values[key] = v;
      nodeOf[key] = value;
    }
  }
  const get = (key: FrontKey): string => {
    const v = values[key];
    if (v === undefined) return fail(close + 1, `missing front matter key "${key}"`);
    return v;
  };
  function failValue(key: FrontKey, reason: string): never {
    const node = nodeOf[key];
    return node?.range ? failAt(node.range[0], reason) : fail(close + 1, reason);
  }
  const id = get('id');
  if (!UUID.re.test(id)) failValue('id', `id: expected a lowercase UUID, got "${id}"`);
  const target = memoTargetFromString(get('target'));
  if (!target) failValue('target', `target: expected project, code:<id>, document:<path> or coding:<id>, got "${values.target}"`);
  for (const key of ['created', 'modified'] as const) {
    if (!TIMESTAMP.re.test(get(key))) failValue(key, `${key}: expected an ISO 8601 UTC timestamp, got "${values[key]}"`);
  }
  let rest = lines.slice(close + 1);
  if (rest.length && rest[0] === '') rest = rest.slice(1);
  const body = rest.join('\n').replace(/\n$/, '');
  const memo: Memo = { id, target: target!, author: get('author'), created: values.created!, modified: values.modified!, body };
  // The lines that are not Grounded's: other keys and comments, as they were (blank lines at either end dropped).
  const other = frontLines.filter((_, i) => !own.has(i)).join('\n').replace(/^\n+|\n+$/g, '');
  if (other.trim()) memo.otherFrontMatter = other;
  return memo;
}

/** ASCII slug for file names: Norwegian letters folded the way Norwegians spell them in ASCII. */
export function slugify(label: string, maxLength = 48): string {
  const folded = label
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[åÅ]/g, 'a')
    .replace(/ß/g, 'ss')
    .replace(/[œŒ]/g, 'oe')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return folded.slice(0, maxLength).replace(/-+$/, '') || 'memo';
}

/** `<slug of label>-<first 8 chars of id>.md`, chosen once when the memo is created. */
export function memoFileName(memo: Pick<Memo, 'id'>, label: string): string {
  return `${slugify(label)}-${memo.id.slice(0, 8)}.md`;
}

/** Workspace-relative path of a new memo: `memos/<file name>`. */
export function memoPathFor(memo: Pick<Memo, 'id'>, label: string): string {
  return `${MEMO_DIR}/${memoFileName(memo, label)}`;
}
