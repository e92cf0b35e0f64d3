// Errors in files a person may have edited by hand (or a bad git merge). Every error names the file,
// a 1-based line and column and what is wrong, in the `file:line:column: message` form editors and
// terminals turn into links. Positions come from jsonc-parser (comments and trailing commas not
// allowed: the files are strict JSON) rather than from V8's message, whose wording differs between
// Node versions (Node 20 gives a position, newer V8 a line and column).
import { printParseErrorCode, visit } from 'jsonc-parser';

/** A file that cannot be read as a Grounded file: broken JSON, a wrong field, a newer format. */
export class FormatError extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${path}:${line}:${column}: ${reason}`);
    this.name = 'FormatError';
  }
}

/** A location inside a JSON value: keys and array indices from the root. */
export type JsonPath = readonly (string | number)[];

/** 1-based line and column (UTF-16 code units) of a string offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** Parse JSON; on failure throw a FormatError at the offending character. */
export function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const found = firstJsonError(text);
    if (found) {
      const { line, column } = lineColumnAt(text, found.offset);
      throw new FormatError(path, line, column, found.message);
    }
    // jsonc-parser accepted what V8 rejected: should not happen; fall back to V8's position if any.
    const message = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(message);
    const { line, column } = lineColumnAt(text, pos ? Number(pos[1]) : 0);
    throw new FormatError(path, line, column, message);
  }
}

/**
 * The offset where the value at `target` starts, or of its nearest existing ancestor (the first of
 * duplicate keys). One pass of jsonc-parser's visitor that stops where the value is found: no tree is
 * built, so a large sidecar costs no more than reading it. For the text of a file that JSON.parse took
 * (every caller's), the visitor's events come from `visitPlainJson`, which gives the same faster
 * (`plain` false: from jsonc-parser always, for the unit test that compares the two).
 */
export function offsetOfJsonPath(text: string, target: JsonPath, plain = true): number {
  const path: (string | number)[] = []; // where the next value stands
  const inArray: boolean[] = [];
  let best = 0;
  let bestDepth = -1;
  const found = {};
  const valueStart = (offset: number) => {
    if (inArray[inArray.length - 1]) (path[path.length - 1] as number)++;
    if (path.length > target.length || path.length <= bestDepth) return;
    for (let k = 0; k < path.length; k++) if (path[k] !== target[k]) return;
    best = offset;
    bestDepth = path.length;
    if (bestDepth === target.length) throw found;
  };
  const open = (array: boolean) => {
    inArray.push(array);
    path.push(array ? -1 : '');
  };
  const close = () => {
    inArray.pop();
    path.pop();
  };
  const events: PlainJsonEvents = {
    objectBegin: (offset) => {
      valueStart(offset);
      open(false);
    },
    arrayBegin: (offset) => {
      valueStart(offset);
      open(true);
    },
    end: close,
    property: (name) => {
      path[path.length - 1] = name;
    },
    literal: valueStart,
  };
  try {
    if (!plain || !visitPlainJson(text, events)) {
      best = 0;
      bestDepth = -1;
      path.length = 0;
      inArray.length = 0;
      visit(
        text,
        {
          onObjectBegin: events.objectBegin,
          onArrayBegin: events.arrayBegin,
          onObjectEnd: close,
          onArrayEnd: close,
          onObjectProperty: events.property,
          onLiteralValue: (_value, offset) => valueStart(offset),
        },
        STRICT,
      );
    }
  } catch (err) {
    if (err !== found && !(err instanceof RangeError)) throw err;
  }
  return best;
}

interface PlainJsonEvents {
  objectBegin(offset: number): void;
  arrayBegin(offset: number): void;
  /** the end of an object or array */
  end(): void;
  /** an object's key, decoded */
  property(name: string): void;
  /** where a string, number, true, false or null starts */
  literal(offset: number): void;
}

const MAX_PLAIN_DEPTH = 256;

/**
 * The events jsonc-parser's `visit` gives for `text`, in the same order and at the same offsets, for text
 * that is plain JSON (what JSON.parse takes, nested at most MAX_PLAIN_DEPTH deep): one loop that skips
 * a string with `indexOf` instead of reading it character by character, several times faster on a
 * sidecar, which is mostly quotes and their contexts. Returns false, having stopped, at anything it
 * does not expect: the caller then visits the text with jsonc-parser from the start.
 */
function visitPlainJson(text: string, on: PlainJsonEvents): boolean {
  const n = text.length;
  const stack: number[] = []; // 123 '{' or 91 '['
  let i = 0;
  const skipSpace = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    }
  };
  /** The end (after the closing quote) of the string that starts at `i`, or -1. */
  const stringEnd = (): number => {
    let j = i + 1;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) return -1;
      let backslashes = 0;
      for (let k = q - 1; k > i && text.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      j = q + 1;
    }
  };
  let expectValue = true;
  for (;;) {
    if (expectValue) {
      skipSpace();
      if (i >= n) return false;
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        if (stack.length >= MAX_PLAIN_DEPTH) return false;
        if (c === 123) on.objectBegin(i);
        else on.arrayBegin(i);
        stack.push(c);
        i++;
        skipSpace();
        if (i >= n) return false;
        const next = text.charCodeAt(i);
        if (next === (c === 123 ? 125 : 93)) {
          i++;
          stack.pop();
          on.end();
        } else if (c === 123) {
          if (!property()) return false;
          continue;
        } else {
          continue;
        }
      } else if (c === 34) {
        const end = stringEnd();
        if (end < 0) return false;
        on.literal(i);
        i = end;
      } else {
        const start = i;
        for (; i < n; i++) {
          const d = text.charCodeAt(i);
          if (d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9) break;
        }
        if (!/^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/.test(text.slice(start, i))) return false;
        on.literal(start);
      }
    }
    // after a value
    skipSpace();
    if (stack.length === 0) return i >= n;
    if (i >= n) return false;
    const c = text.charCodeAt(i);
    const top = stack[stack.length - 1];
    if (c === 44) {
      i++;
      if (top === 123) {
        skipSpace();
        if (!property()) return false;
      }
      expectValue = true;
    } else if (c === (top === 123 ? 125 : 93)) {
      i++;
      stack.pop();
      on.end();
      expectValue = false;
    } else {
      return false;
    }
  }

  /** A key at `i` and its colon; then a value is expected. */
  function property(): boolean {
    if (text.charCodeAt(i) !== 34) return false;
    const end = stringEnd();
    if (end < 0) return false;
    const raw = text.slice(i, end);
    let name: string;
    try {
      name = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    } catch {
      return false;
    }
    on.property(name);
    i = end;
    skipSpace();
    if (text.charCodeAt(i) !== 58) return false;
    i++;
    expectValue = true;
    return true;
  }
}

/** `codings[3].anchor.start`, for messages. */
export function formatJsonPath(at: JsonPath): string {
  let out = '';
  for (const part of at) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(root)';
}

/**
 * Shape checks on a parsed value. A failed check throws a FormatError positioned at the offending
 * value in the original text. The position is only computed on failure, so valid files cost nothing.
 */
export class ShapeChecker {
  constructor(
    readonly text: string,
    readonly path: string,
  ) {}

  /** `named`: start the message with the field's path (`codings[3].anchor.start: …`). */
  fail(at: JsonPath, reason: string, named = true): never {
    const { line, column } = lineColumnAt(this.text, offsetOfJsonPath(this.text, at));
    const where = named && at.length ? `${formatJsonPath(at)}: ` : '';
    throw new FormatError(this.path, line, column, where + reason);
  }

  /** An object with only `allowed` keys and all `required` ones. */
  object(value: unknown, at: JsonPath, allowed: readonly string[], required: readonly string[]): Record<string, unknown> {
    const obj = this.anyObject(value, at);
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.fail([...at, key], `unknown field "${key}"`);
    }
    for (const key of required) {
      if (!(key in obj)) this.fail(at, `missing field "${key}"`);
    }
    return obj;
  }

  anyObject(value: unknown, at: JsonPath): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(at, `expected an object, got ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, at: JsonPath): unknown[] {
    if (!Array.isArray(value)) this.fail(at, `expected an array, got ${describe(value)}`);
    return value;
  }

  string(value: unknown, at: JsonPath, pattern?: { re: RegExp; what: string }): string {
    if (typeof value !== 'string') this.fail(at, `expected a string, got ${describe(value)}`);
    if (pattern && !pattern.re.test(value)) this.fail(at, `expected ${pattern.what}, got ${JSON.stringify(value)}`);
    return value;
  }

  nonNegativeInteger(value: unknown, at: JsonPath): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      this.fail(at, `expected a non-negative integer, got ${describe(value)}`);
    }
    return value;
  }

  integer(value: unknown, at: JsonPath): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(at, `expected a whole number, got ${describe(value)}`);
    return value;
  }

  boolean(value: unknown, at: JsonPath): boolean {
    if (typeof value !== 'boolean') this.fail(at, `expected true or false, got ${describe(value)}`);
    return value;
  }

  /** Ids must be unique within a list: a merge matches records by id. */
  uniqueIds(records: readonly { id: string }[], at: JsonPath): void {
    const seen = new Set<string>();
    for (let i = 0; i < records.length; i++) {
      // one lookup per id: a duplicate leaves the set as large as it was
      seen.add(records[i].id);
      if (seen.size === i) this.fail([...at, i, 'id'], `duplicate id ${records[i].id}`);
    }
  }
}

export const UUID = { re: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, what: 'a lowercase UUID' };

/** 0 for a lowercase hex digit's code unit, 1 for every other UTF-16 code unit. */
const NOT_HEX = new Uint8Array(0x10000).fill(1);
for (const digit of '0123456789abcdef') NOT_HEX[digit.charCodeAt(0)] = 0;

/**
 * `UUID.re.test(s)` without the regular expression, for the ids of every record read or saved (two ids
 * a coding): true for exactly the same strings, in less than half the time.
 */
export function isUuid(s: string): boolean {
  if (s.length !== 36 || s.charCodeAt(8) !== 45 || s.charCodeAt(13) !== 45 || s.charCodeAt(18) !== 45 || s.charCodeAt(23) !== 45) return false;
  let bad = 0;
  for (let i = 0; i < 8; i++) bad |= NOT_HEX[s.charCodeAt(i)];
  for (let i = 9; i < 13; i++) bad |= NOT_HEX[s.charCodeAt(i)];
  for (let i = 14; i < 18; i++) bad |= NOT_HEX[s.charCodeAt(i)];
  for (let i = 19; i < 23; i++) bad |= NOT_HEX[s.charCodeAt(i)];
  for (let i = 24; i < 36; i++) bad |= NOT_HEX[s.charCodeAt(i)];
  return bad === 0;
}

/** True when s[from..to) are all ASCII digits (what `\d` matches without the u flag). */
function digits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** `TIMESTAMP.re.test(s)` without the regular expression, as `isUuid` (one a coding). */
export function isTimestamp(s: string): boolean {
  const n = s.length;
  if (n !== 20 && (n < 22 || n > 30)) return false;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(n - 1) !== 90) return false;
  if (!digits(s, 0, 4) || !digits(s, 5, 7) || !digits(s, 8, 10) || !digits(s, 11, 13) || !digits(s, 14, 16) || !digits(s, 17, 19)) return false;
  // "Z" at 19, or a "." at 19 and one to nine digits up to the "Z"
  return n === 20 || (s.charCodeAt(19) === 46 && digits(s, 20, n - 1));
}
export const TIMESTAMP = { re: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, what: 'an ISO 8601 UTC timestamp' };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return String(value);
}

/** JSON as RFC 8259 has it: no comments, no trailing commas, no empty file. */
const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

/** What a JSON text must have next, at the point jsonc-parser reports an error. */
type Expect = 'value' | 'name' | 'colon' | 'after';

/** The valid start of a number (what JSON.parse would take as the number). */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** The valid part of a string's content after its opening quote (no control characters, known escapes). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON strings may not hold
const STRING_CONTENT = /(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*/y;

class FoundError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * The first error of a text that is not JSON: its offset and a message naming what was expected there.
 * jsonc-parser finds the error; the message comes from what the text had to have at that point (a
 * value, a property name, a colon, a comma or the end), followed through jsonc-parser's visitor.
 */
function firstJsonError(text: string): FoundError | undefined {
  const containers: ('object' | 'array')[] = [];
  let expect: Expect = 'value';
  let comma = -1; // offset of a comma just read, for "Trailing comma"
  let lastOffset = 0;
  const top = () => containers[containers.length - 1];
  const endOfInput = () => new FoundError(text.length, 'Unexpected end of input');
  /** The error for an unexpected character at `offset`, given what was expected there. */
  const unexpected = (offset: number): FoundError => {
    if (offset >= text.length) return endOfInput();
    const ch = text[offset];
    switch (expect) {
      case 'value':
        if (ch === ']' && comma >= 0 && top() === 'array') return new FoundError(comma, "Trailing comma before ']'");
        if (ch === '-') return new FoundError(offset, 'Invalid number');
        for (const word of ['true', 'false', 'null']) {
          if (text.startsWith(word, offset)) {
            expect = 'after';
            return unexpected(offset + word.length);
          }
        }
        return new FoundError(offset, `Unexpected token ${JSON.stringify(ch)}`);
      case 'name':
        if (ch === '}' && comma >= 0) return new FoundError(comma, "Trailing comma before '}'");
        return new FoundError(offset, 'Expected a property name in double quotes');
      case 'colon':
        return new FoundError(offset, "Expected ':' after property name");
      case 'after':
        if (top() === 'object') return new FoundError(offset, "Expected ',' or '}' after property value");
        if (top() === 'array') return new FoundError(offset, "Expected ',' or ']' after array element");
        return new FoundError(offset, 'Unexpected non-whitespace character after JSON');
    }
  };
  /** The first problem inside the string literal whose opening quote is at `offset`. */
  const badString = (offset: number): FoundError => {
    STRING_CONTENT.lastIndex = offset + 1;
    STRING_CONTENT.exec(text);
    const at = STRING_CONTENT.lastIndex;
    if (at >= text.length) return new FoundError(offset, 'Unterminated string');
    if (text[at] !== '\\') return new FoundError(at, 'Bad control character in string (a line break inside quotes?)');
    return new FoundError(at, text[at + 1] === 'u' ? 'Bad Unicode escape' : 'Bad escaped character');
  };
  const value = (offset: number) => {
    lastOffset = offset;
    expect = 'after';
    comma = -1;
  };
  try {
    visit(
      text,
      {
        onObjectBegin: (offset) => {
          lastOffset = offset;
          containers.push('object');
          expect = 'name';
          comma = -1;
        },
        onArrayBegin: (offset) => {
          lastOffset = offset;
          containers.push('array');
          expect = 'value';
          comma = -1;
        },
        onObjectEnd: (offset) => {
          containers.pop();
          value(offset);
        },
        onArrayEnd: (offset) => {
          containers.pop();
          value(offset);
        },
        onObjectProperty: (_name, offset) => {
          lastOffset = offset;
          expect = 'colon';
        },
        onLiteralValue: (_value, offset) => value(offset),
        onSeparator: (separator, offset) => {
          lastOffset = offset;
          if (separator === ':') expect = 'value';
          else {
            expect = top() === 'object' ? 'name' : 'value';
            comma = offset;
          }
        },
        onError: (code, offset) => {
          // by name (ParseErrorCode is declared as a const enum)
          switch (printParseErrorCode(code)) {
            case 'InvalidUnicode':
            case 'InvalidEscapeCharacter':
            case 'InvalidCharacter':
            case 'UnexpectedEndOfString':
              // a string with a problem inside; where no string may stand, the string is the problem
              throw expect === 'value' || expect === 'name' ? badString(offset) : unexpected(offset);
            case 'UnexpectedEndOfNumber':
            case 'InvalidNumberFormat': {
              if (expect !== 'value') throw unexpected(offset);
              // the number's valid start is the value; what follows it is unexpected
              NUMBER.lastIndex = offset;
              NUMBER.exec(text);
              expect = 'after';
              throw unexpected(NUMBER.lastIndex);
            }
            default:
              throw unexpected(offset);
          }
        },
      },
      STRICT,
    );
  } catch (err) {
    if (err instanceof FoundError) return err;
    if (err instanceof RangeError) return new FoundError(lastOffset, 'JSON nested too deeply'); // stack overflow
    throw err;
  }
  return undefined;
}
