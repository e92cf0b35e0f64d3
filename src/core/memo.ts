// Memos: Markdown files under memos/ with a small front matter. The front matter is read literally
// as `key: value` lines (no YAML quoting), so what a person sees in the file is exactly the value.
import { MEMO_DIR } from './model';
import type { Memo, MemoTarget } from './model';
import { FormatError, TIMESTAMP, UUID } from './jsonError';

const FRONT_KEYS = ['id', 'target', 'author', 'created', 'modified'] as const;
type FrontKey = (typeof FRONT_KEYS)[number];

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
  if ((kind === 'code' || kind === 'coding') && UUID.re.test(rest)) return { kind, id: rest };
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
    // A line break would end the value early and corrupt the front matter.
    if (/[\r\n]/.test(values[key])) throw new Error(`memo ${key} must be a single line`);
  }
  const front = `---\n${FRONT_KEYS.map((k) => `${k}: ${values[k]}`).join('\n')}\n---\n`;
  const body = m.body.replace(/\r\n?/g, '\n');
  return body ? `${front}\n${body}\n` : front;
}

/**
 * Parse a memo file. CRLF (a Windows checkout) and a byte order mark are accepted; the blank line
 * after the front matter and the final newline are not part of the body.
 */
export function parseMemo(text: string, path: string): Memo {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  function fail(line: number, reason: string, column = 1): never {
    throw new FormatError(path, line, column, reason);
  }
  if (lines[0] !== '---') fail(1, 'a memo starts with a front matter block: a line "---"');
  const close = lines.indexOf('---', 1);
  if (close < 0) fail(1, 'the front matter is not closed by a line "---"');
  const values: Partial<Record<FrontKey, string>> = {};
  const lineOf: Partial<Record<FrontKey, number>> = {};
  for (let i = 1; i < close; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    const m = /^([A-Za-z]+):(?: (.*))?$/.exec(line);
    if (!m) fail(i + 1, 'expected "key: value"');
    const key = m[1] as FrontKey;
    if (!FRONT_KEYS.includes(key)) fail(i + 1, `unknown front matter key "${m[1]}" (expected ${FRONT_KEYS.join(', ')})`);
    if (values[key] !== undefined) fail(i + 1, `duplicate front matter key "${key}"`);
    values[key] = (m[2] ?? '').trim();
    lineOf[key] = i + 1;
  }
  const get = (key: FrontKey): string => {
    const v = values[key];
    if (v === undefined) return fail(close + 1, `missing front matter key "${key}"`);
    return v;
  };
  const valueColumn = (key: FrontKey): number => key.length + 3;
  const id = get('id');
  if (!UUID.re.test(id)) fail(lineOf.id!, `id: expected a lowercase UUID, got "${id}"`, valueColumn('id'));
  const target = memoTargetFromString(get('target'));
  if (!target) fail(lineOf.target!, `target: expected project, code:<id>, document:<path> or coding:<id>, got "${values.target}"`, valueColumn('target'));
  for (const key of ['created', 'modified'] as const) {
    if (!TIMESTAMP.re.test(get(key))) fail(lineOf[key]!, `${key}: expected an ISO 8601 UTC timestamp, got "${values[key]}"`, valueColumn(key));
  }
  let rest = lines.slice(close + 1);
  if (rest.length && rest[0] === '') rest = rest.slice(1);
  const body = rest.join('\n').replace(/\n$/, '');
  return { id, target: target!, author: get('author'), created: values.created!, modified: values.modified!, body };
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
