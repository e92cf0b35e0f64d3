// Sidecar files (`<transcript>.codes.json`): one coding per line so that git diffs and merges work
// line by line, and a fixed key order and sort order so that saving the same data twice gives the
// same bytes (no noise in `git diff`). docs/FORMAT.md describes the format for readers of the files.
import { FORMAT_VERSION, SIDECAR_SUFFIX } from './model';
import type { Anchor, Coding, DocumentRef, Sidecar, Suggestion, Translation } from './model';
import { FormatError, JsonPath, ShapeChecker, TIMESTAMP, UUID, isTimestamp, isUuid, parseJson } from './jsonError';

export const HASH_PATTERN = { re: /^sha256:[0-9a-f]{64}$/, what: 'sha256: followed by 64 lowercase hex digits' };
const RELATIVE_PATH = { re: /^(?![/\\])(?![A-Za-z]:)[^\\]+$/, what: 'a workspace-relative path with forward slashes' };

/** `interviews/ola.txt` -> `interviews/ola.txt.codes.json` */
export function sidecarPathFor(transcriptPath: string): string {
  return transcriptPath + SIDECAR_SUFFIX;
}

export function isSidecarPath(path: string): boolean {
  return path.endsWith(SIDECAR_SUFFIX) && path.length > SIDECAR_SUFFIX.length && !path.endsWith('/' + SIDECAR_SUFFIX);
}

/** `interviews/ola.txt.codes.json` -> `interviews/ola.txt`; throws on a path that is not a sidecar. */
export function transcriptPathFor(sidecarPath: string): string {
  if (!isSidecarPath(sidecarPath)) throw new Error(`not a sidecar path: ${sidecarPath}`);
  return sidecarPath.slice(0, -SIDECAR_SUFFIX.length);
}

/** Sidecar order: by start, then end, then id (plain code-unit order, the same in every locale). */
export function compareCodings(a: Coding, b: Coding): number {
  return a.anchor.start - b.anchor.start || a.anchor.end - b.anchor.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A sorted copy. */
export function sortCodings(codings: readonly Coding[]): Coding[] {
  return [...codings].sort(compareCodings);
}

export function emptySidecar(document: DocumentRef): Sidecar {
  return { version: FORMAT_VERSION, document: { path: document.path, hash: document.hash }, codings: [] };
}

/**
 * A deep copy, as structuredClone makes it (every record and its anchor and translation new objects),
 * at a fraction of its cost for thousands of small records.
 */
export function cloneSidecar(s: Sidecar): Sidecar {
  return {
    ...s,
    document: { ...s.document },
    codings: s.codings.map((c) => {
      const copy = { ...c, anchor: { ...c.anchor } };
      if (c.translation) copy.translation = { ...c.translation };
      if (c.suggestion) copy.suggestion = { ...c.suggestion };
      return copy;
    }),
  };
}

/** The exact on-disk text: fixed layout and key order, codings sorted, LF, final newline. */
export function serializeSidecar(s: Sidecar): string {
  return layoutSidecar(s, sortCodings(s.codings).map(recordOf));
}

/**
 * serializeSidecar's text, and the sidecar that parseSidecar would read back from it, without parsing
 * it: the records written are checked one by one as the reader checks them (FormatError with the
 * position in `text` where they would not read back). A save writes only what it could read again;
 * this is that check at the cost of the checks alone (the JSON parse of the whole text was half a save).
 */
export function serializeSidecarChecked(s: Sidecar, path: string): { text: string; data: Sidecar } {
  const records = sortCodings(s.codings).map(recordOf);
  // Another version is read back through its migrations: parse the text as any reader would.
  if (s.version !== FORMAT_VERSION) {
    const text = layoutSidecar(s, records);
    return { text, data: parseSidecar(text, path) };
  }
  const text = layoutReadable(s, records);
  try {
    return { text, data: readSidecarBody(new ShapeChecker(text, path), s.document, records) };
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    // Not readable, so not written: reported at its place in the text laid out record by record (the
    // text layoutReadable makes is the same only for records that read back).
    readSidecarBody(new ShapeChecker(layoutSidecar(s, records), path), s.document, records);
    throw err;
  }
}

function layoutSidecar(s: Sidecar, records: readonly object[]): string {
  const lines = records.map((r) => '    ' + JSON.stringify(r));
  return layoutAround(s, lines.length ? `[\n${lines.join(',\n')}\n  ]` : '[]');
}

/**
 * layoutSidecar's text for records that read back, from one JSON.stringify of all of them (a
 * JSON.stringify per record costs twice as much): a line break and indent put before each record. Every
 * record starts with `{"id":`, and `,{"id":` stands nowhere else in such records: none holds an array,
 * and a quote inside a string is escaped. For records that do not read back, the text may differ.
 */
function layoutReadable(s: Sidecar, records: readonly object[]): string {
  if (records.length === 0) return layoutAround(s, '[]');
  const all = JSON.stringify(records);
  return layoutAround(s, `[\n    ${all.slice(1, -1).replaceAll(',{"id":', ',\n    {"id":')}\n  ]`);
}

function layoutAround(s: Sidecar, codings: string): string {
  const document = JSON.stringify({ path: s.document.path, hash: s.document.hash });
  return `{\n  "version": ${s.version},\n  "document": ${document},\n  "codings": ${codings}\n}\n`;
}

/**
 * What a coding is written as: the coding itself when it has exactly the five required fields and the
 * anchor its five, in file order (most do; JSON.stringify then writes what codingRecord would), else
 * codingRecord's copy.
 */
function recordOf(c: Coding): object {
  return keysAre(c, CODING_ORDER) && keysAre(c.anchor, ANCHOR_ORDER) ? c : codingRecord(c);
}

/** A coding with its keys in file order; optional keys only when they carry something. */
function codingRecord(c: Coding): Record<string, unknown> {
  const a = c.anchor;
  const r: Record<string, unknown> = {
    id: c.id,
    codeId: c.codeId,
    anchor: { start: a.start, end: a.end, prefix: a.prefix, quote: a.quote, suffix: a.suffix },
    coder: c.coder,
    created: c.created,
  };
  if (c.note) r.note = c.note;
  if (c.translation) {
    const t = c.translation;
    r.translation = { text: t.text, language: t.language, translator: t.translator, created: t.created };
  }
  if (c.representative) r.representative = c.representative;
  if (c.orphaned) r.orphaned = true;
  if (c.conflictOf) r.conflictOf = c.conflictOf;
  if (c.suggestion) r.suggestion = suggestionRecordOf(c.suggestion);
  return r;
}

/** A suggestion record with its keys in file order (status, model, endpoint, promptVersion, requested, decidedBy, decided, reason, code, proposed, changed). */
export function suggestionRecordOf(s: Suggestion): Suggestion {
  const r: Suggestion = { status: s.status, model: s.model, endpoint: s.endpoint, promptVersion: s.promptVersion, requested: s.requested } as Suggestion;
  if (s.decidedBy !== undefined) r.decidedBy = s.decidedBy;
  if (s.decided !== undefined) r.decided = s.decided;
  if (s.reason !== undefined) r.reason = s.reason;
  r.code = s.code;
  if (s.proposed) r.proposed = true;
  if (s.changed) r.changed = true;
  return r;
}

type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;

/**
 * Upgrades from version N to N+1, keyed by N. Empty while version 1 is the only format; a future
 * format adds an entry here and bumps FORMAT_VERSION, and old files are upgraded when read (and
 * rewritten in the new format on the next save).
 */
const SIDECAR_MIGRATIONS: Record<number, Migration> = {};

/** Bring a raw sidecar object at `fromVersion` up to FORMAT_VERSION. */
export function migrateSidecar(raw: Record<string, unknown>, fromVersion: number): Record<string, unknown> {
  return runMigrations(SIDECAR_MIGRATIONS, raw, fromVersion);
}

export function runMigrations(table: Record<number, Migration>, raw: Record<string, unknown>, fromVersion: number): Record<string, unknown> {
  let out = raw;
  for (let v = fromVersion; v < FORMAT_VERSION; v++) {
    const step = table[v];
    if (!step) throw new Error(`no migration from format version ${v}`);
    out = { ...step(out), version: v + 1 };
  }
  return out;
}

/**
 * Read the `version` field before anything else: a newer file may have a different shape, and the
 * person should be told to update Grounded rather than be shown a confusing field error.
 */
export function checkVersion(c: ShapeChecker, raw: unknown): { obj: Record<string, unknown>; version: number } {
  const obj = c.anyObject(raw, []);
  if (!('version' in obj)) c.fail([], 'missing field "version"');
  const version = obj.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    c.fail(['version'], `expected a format version (a positive integer), got ${JSON.stringify(version)}`);
  }
  if (version > FORMAT_VERSION) {
    c.fail(['version'], `written by a newer Grounded (format version ${version}; this version reads up to ${FORMAT_VERSION}). Update the Grounded extension to open it.`, false);
  }
  return { obj, version };
}

/** Parse and validate a sidecar; throws FormatError with the file position of the problem. */
export function parseSidecar(text: string, path: string): Sidecar {
  const c = new ShapeChecker(text, path);
  const { obj, version } = checkVersion(c, parseJson(text, path));
  const raw = migrateSidecar(obj, version);
  c.object(raw, [], ['version', 'document', 'codings'], ['version', 'document', 'codings']);
  return readSidecarBody(c, raw.document, c.array(raw.codings, ['codings']));
}

/** The document reference and the codings of a sidecar (as read, or as about to be written), checked. */
function readSidecarBody(c: ShapeChecker, rawDocument: unknown, records: readonly unknown[]): Sidecar {
  const d = c.object(rawDocument, ['document'], ['path', 'hash'], ['path', 'hash']);
  const document: DocumentRef = {
    path: c.string(d.path, ['document', 'path'], RELATIVE_PATH),
    hash: c.string(d.hash, ['document', 'hash'], HASH_PATTERN),
  };
  const codings: Coding[] = new Array<Coding>(records.length);
  // The JSON path of a coding is built only for one that needs the field-by-field check.
  for (let i = 0; i < records.length; i++) codings[i] = plainCoding(records[i]) ?? readCoding(c, records[i], ['codings', i]);
  c.uniqueIds(codings, ['codings']);
  return { version: FORMAT_VERSION, document, codings };
}

const CODING_KEYS = ['id', 'codeId', 'anchor', 'coder', 'created', 'note', 'translation', 'representative', 'orphaned', 'conflictOf', 'suggestion'];
export const SUGGESTION_KEYS = ['status', 'model', 'endpoint', 'promptVersion', 'requested', 'decidedBy', 'decided', 'reason', 'code', 'proposed', 'changed'];
const SUGGESTION_REQUIRED = ['status', 'model', 'endpoint', 'promptVersion', 'requested', 'code'];
const CODING_REQUIRED = ['id', 'codeId', 'anchor', 'coder', 'created'];
const ANCHOR_KEYS = ['start', 'end', 'prefix', 'quote', 'suffix'];
const TRANSLATION_KEYS = ['text', 'language', 'translator', 'created'];

const CODING_ORDER = ['id', 'codeId', 'anchor', 'coder', 'created'];
const ANCHOR_ORDER = ['start', 'end', 'prefix', 'quote', 'suffix'];

/** True when `obj`'s own keys are exactly `keys`, in that order. */
function keysAre(obj: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in obj) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) return false;
    if (key !== keys[i++]) return false;
  }
  return i === keys.length;
}

/** The optional fields of a coding, in file order (after the five required ones). */
const OPTIONAL_ORDER = ['note', 'translation', 'representative', 'orphaned', 'conflictOf'];

/**
 * The common case without the checker: a coding whose own keys are the five required fields in file
 * order, then optional fields in file order (serializeSidecar's order), with an anchor of its five, every
 * value valid and as `readCoding` keeps it (a note that is not empty, `orphaned` true, a translation of
 * its four fields in order; a coding with a suggestion is left to `readCoding`). Such an object is
 * already what `readCoding` would build, key for key, and is returned as it is; anything else (another
 * order, a wrong value, a value `readCoding` would drop) gives undefined, and `readCoding` checks it
 * field by field and reports. Saves building a JSON path for every field and a copy of every coding (a
 * third of the time to read a large project).
 */
function plainCoding(value: unknown): Coding | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const r = value as Record<string, unknown>;
  let i = 0;
  let next = 0; // the first optional field that may still follow
  for (const key in r) {
    if (!Object.prototype.hasOwnProperty.call(r, key)) return undefined;
    if (i < CODING_ORDER.length) {
      if (key !== CODING_ORDER[i++]) return undefined;
      continue;
    }
    while (next < OPTIONAL_ORDER.length && OPTIONAL_ORDER[next] !== key) next++;
    if (next === OPTIONAL_ORDER.length || !plainOptional(key, r[key])) return undefined;
    next++;
  }
  if (i < CODING_ORDER.length) return undefined;
  const a = r.anchor as Record<string, unknown>;
  if (typeof a !== 'object' || a === null || Array.isArray(a) || !keysAre(a, ANCHOR_ORDER)) return undefined;
  const { start, end } = a;
  if (
    typeof start !== 'number' || !Number.isSafeInteger(start) || start < 0 ||
    typeof end !== 'number' || !Number.isSafeInteger(end) || end < start ||
    typeof a.prefix !== 'string' || typeof a.quote !== 'string' || typeof a.suffix !== 'string' ||
    typeof r.id !== 'string' || !isUuid(r.id) ||
    typeof r.codeId !== 'string' || !isUuid(r.codeId) ||
    typeof r.coder !== 'string' ||
    typeof r.created !== 'string' || !isTimestamp(r.created)
  ) {
    return undefined;
  }
  return value as Coding;
}

/** An optional field's value that `readCoding` accepts and keeps exactly as it is. */
function plainOptional(key: string, v: unknown): boolean {
  switch (key) {
    case 'note':
      return typeof v === 'string' && v !== '';
    case 'translation': {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !keysAre(v, TRANSLATION_KEYS)) return false;
      const t = v as Record<string, unknown>;
      return typeof t.text === 'string' && typeof t.language === 'string' && typeof t.translator === 'string' && typeof t.created === 'string' && isTimestamp(t.created);
    }
    case 'representative':
      return v === 'code' || v === 'category';
    case 'orphaned':
      return v === true;
    case 'conflictOf':
      return typeof v === 'string' && isUuid(v);
    default:
      return false;
  }
}

/** A coding checked field by field (plainCoding did not take it): a FormatError names what is wrong. */
function readCoding(c: ShapeChecker, value: unknown, at: JsonPath): Coding {
  const r = c.object(value, at, CODING_KEYS, CODING_REQUIRED);
  const a = c.object(r.anchor, [...at, 'anchor'], ANCHOR_KEYS, ANCHOR_KEYS);
  const anchor: Anchor = {
    start: c.nonNegativeInteger(a.start, [...at, 'anchor', 'start']),
    end: c.nonNegativeInteger(a.end, [...at, 'anchor', 'end']),
    prefix: c.string(a.prefix, [...at, 'anchor', 'prefix']),
    quote: c.string(a.quote, [...at, 'anchor', 'quote']),
    suffix: c.string(a.suffix, [...at, 'anchor', 'suffix']),
  };
  if (anchor.end < anchor.start) c.fail([...at, 'anchor', 'end'], `end ${anchor.end} is before start ${anchor.start}`);
  // A pending or rejected suggestion of a proposed new code has no code yet: codeId "".
  const suggestion = r.suggestion === undefined ? undefined : readSuggestion(c, r.suggestion, [...at, 'suggestion']);
  const codeless = r.codeId === '' && suggestion?.proposed && suggestion.status !== 'accepted';
  if (r.codeId === '' && !codeless) {
    c.fail([...at, 'codeId'], suggestion
      ? `expected a lowercase UUID, got "" (only a pending or rejected suggestion of a proposed new code has no code yet)`
      : 'expected a lowercase UUID, got ""');
  }
  const coding: Coding = {
    id: c.string(r.id, [...at, 'id'], UUID),
    codeId: codeless ? '' : c.string(r.codeId, [...at, 'codeId'], UUID),
    anchor,
    coder: c.string(r.coder, [...at, 'coder']),
    created: c.string(r.created, [...at, 'created'], TIMESTAMP),
  };
  if (r.note !== undefined) {
    const note = c.string(r.note, [...at, 'note']);
    if (note) coding.note = note;
  }
  if (r.translation !== undefined) coding.translation = readTranslation(c, r.translation, [...at, 'translation']);
  if (r.representative !== undefined) {
    const rep = r.representative;
    if (rep !== 'code' && rep !== 'category') c.fail([...at, 'representative'], `expected "code" or "category", got ${JSON.stringify(rep)}`);
    coding.representative = rep;
  }
  if (r.orphaned !== undefined && c.boolean(r.orphaned, [...at, 'orphaned'])) coding.orphaned = true;
  if (r.conflictOf !== undefined) coding.conflictOf = c.string(r.conflictOf, [...at, 'conflictOf'], UUID);
  if (suggestion) coding.suggestion = suggestion;
  return coding;
}

const NON_EMPTY = { re: /\S/, what: 'a non-empty string' };

function readSuggestion(c: ShapeChecker, value: unknown, at: JsonPath): Suggestion {
  const s = c.object(value, at, SUGGESTION_KEYS, SUGGESTION_REQUIRED);
  const status = s.status;
  if (status !== 'pending' && status !== 'accepted' && status !== 'rejected') {
    c.fail([...at, 'status'], `expected "pending", "accepted" or "rejected", got ${JSON.stringify(status)}`);
  }
  const out = {
    status,
    model: c.string(s.model, [...at, 'model'], NON_EMPTY),
    endpoint: c.string(s.endpoint, [...at, 'endpoint']),
    promptVersion: c.string(s.promptVersion, [...at, 'promptVersion']),
    requested: c.string(s.requested, [...at, 'requested'], TIMESTAMP),
  } as Suggestion;
  if (s.decidedBy !== undefined) out.decidedBy = c.string(s.decidedBy, [...at, 'decidedBy']);
  if (s.decided !== undefined) out.decided = c.string(s.decided, [...at, 'decided'], TIMESTAMP);
  if (s.reason !== undefined) out.reason = c.string(s.reason, [...at, 'reason']);
  out.code = c.string(s.code, [...at, 'code']);
  if (s.proposed !== undefined && s.proposed !== true) c.fail([...at, 'proposed'], `expected true (or no field), got ${JSON.stringify(s.proposed)}`);
  if (s.proposed) out.proposed = true;
  if (s.changed !== undefined && s.changed !== true) c.fail([...at, 'changed'], `expected true (or no field), got ${JSON.stringify(s.changed)}`);
  if (s.changed) out.changed = true;
  return out;
}

function readTranslation(c: ShapeChecker, value: unknown, at: JsonPath): Translation {
  const t = c.object(value, at, TRANSLATION_KEYS, TRANSLATION_KEYS);
  return {
    text: c.string(t.text, [...at, 'text']),
    language: c.string(t.language, [...at, 'language']),
    translator: c.string(t.translator, [...at, 'translator']),
    created: c.string(t.created, [...at, 'created'], TIMESTAMP),
  };
}
