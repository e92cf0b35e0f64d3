// Errors in files a person may have edited by hand (or a bad git merge). Every error names the file,
// a 1-based line and column and what is wrong, in the `file:line:column: message` form editors and
// terminals turn into links. Positions come from our own scan rather than from V8's message, whose
// wording differs between Node versions (Node 20 gives a position, newer V8 a line and column).

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
    const found = new JsonScanner(text).firstError();
    if (found) {
      const { line, column } = lineColumnAt(text, found.offset);
      throw new FormatError(path, line, column, found.message);
    }
    // Our scanner accepted what V8 rejected: should not happen; fall back to V8's position if any.
    const message = err instanceof Error ? err.message : String(err);
    const pos = /at position (\d+)/.exec(message);
    const { line, column } = lineColumnAt(text, pos ? Number(pos[1]) : 0);
    throw new FormatError(path, line, column, message);
  }
}

/** The offset where the value at `target` starts, or of its nearest existing ancestor. */
export function offsetOfJsonPath(text: string, target: JsonPath): number {
  const scanner = new JsonScanner(text, target);
  scanner.firstError();
  return scanner.bestOffset;
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

  boolean(value: unknown, at: JsonPath): boolean {
    if (typeof value !== 'boolean') this.fail(at, `expected true or false, got ${describe(value)}`);
    return value;
  }

  /** Ids must be unique within a list: a merge matches records by id. */
  uniqueIds(records: readonly { id: string }[], at: JsonPath): void {
    const seen = new Set<string>();
    records.forEach((r, i) => {
      if (seen.has(r.id)) this.fail([...at, i, 'id'], `duplicate id ${r.id}`);
      seen.add(r.id);
    });
  }
}

export const UUID = { re: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, what: 'a lowercase UUID' };
export const TIMESTAMP = { re: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/, what: 'an ISO 8601 UTC timestamp' };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return String(value);
}

class ScanError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

/**
 * A strict JSON recogniser (RFC 8259, like JSON.parse) that reports the first error's offset and,
 * with a target path, remembers where the value at that path (or its deepest ancestor) starts.
 */
class JsonScanner {
  private i = 0;
  private readonly path: (string | number)[] = [];
  bestOffset = 0;
  private bestDepth = -1;

  constructor(
    private readonly text: string,
    private readonly target?: JsonPath,
  ) {}

  firstError(): ScanError | undefined {
    try {
      this.ws();
      this.value();
      this.ws();
      if (this.i < this.text.length) this.error('Unexpected non-whitespace character after JSON');
      return undefined;
    } catch (err) {
      if (err instanceof ScanError) return err;
      if (err instanceof RangeError) return new ScanError(this.i, 'JSON nested too deeply'); // stack overflow
      throw err;
    }
  }

  private error(message: string, at = this.i): never {
    throw new ScanError(at, message);
  }

  private unexpected(): never {
    if (this.i >= this.text.length) this.error('Unexpected end of input');
    this.error(`Unexpected token ${JSON.stringify(this.text[this.i])}`);
  }

  private ws(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else return;
    }
  }

  private noteValueStart(): void {
    const t = this.target;
    if (!t || this.path.length > t.length || this.path.length <= this.bestDepth) return;
    for (let k = 0; k < this.path.length; k++) if (this.path[k] !== t[k]) return;
    this.bestDepth = this.path.length;
    this.bestOffset = this.i;
  }

  private value(): void {
    this.noteValueStart();
    const c = this.text[this.i];
    if (c === '{') this.object();
    else if (c === '[') this.array();
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else if (c === 't') this.literal('true');
    else if (c === 'f') this.literal('false');
    else if (c === 'n') this.literal('null');
    else this.unexpected();
  }

  private object(): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === '}') {
      this.i++;
      return;
    }
    for (;;) {
      if (this.text[this.i] !== '"') this.error(this.i < this.text.length ? 'Expected a property name in double quotes' : 'Unexpected end of input');
      const key = this.string();
      this.ws();
      if (this.text[this.i] !== ':') this.error(this.i < this.text.length ? "Expected ':' after property name" : 'Unexpected end of input');
      this.i++;
      this.ws();
      this.path.push(key);
      this.value();
      this.path.pop();
      this.ws();
      const c = this.text[this.i];
      if (c === '}') {
        this.i++;
        return;
      }
      if (c !== ',') this.error(c === undefined ? 'Unexpected end of input' : "Expected ',' or '}' after property value");
      const comma = this.i++;
      this.ws();
      if (this.text[this.i] === '}') this.error("Trailing comma before '}'", comma);
    }
  }

  private array(): void {
    this.i++;
    this.ws();
    if (this.text[this.i] === ']') {
      this.i++;
      return;
    }
    for (let index = 0; ; index++) {
      this.path.push(index);
      this.value();
      this.path.pop();
      this.ws();
      const c = this.text[this.i];
      if (c === ']') {
        this.i++;
        return;
      }
      if (c !== ',') this.error(c === undefined ? 'Unexpected end of input' : "Expected ',' or ']' after array element");
      const comma = this.i++;
      this.ws();
      if (this.text[this.i] === ']') this.error("Trailing comma before ']'", comma);
    }
  }

  /** Scans a string literal and returns its value (needed for keys on the path). */
  private string(): string {
    const start = ++this.i;
    let hasEscape = false;
    for (;;) {
      if (this.i >= this.text.length) this.error('Unterminated string', start - 1);
      const c = this.text.charCodeAt(this.i);
      if (c === 34) break;
      if (c < 32) this.error('Bad control character in string (a line break inside quotes?)');
      if (c === 92) {
        hasEscape = true;
        const e = this.text[this.i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) this.error('Bad Unicode escape');
          this.i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          this.i += 2;
        } else {
          this.error('Bad escaped character');
        }
        continue;
      }
      this.i++;
    }
    const raw = this.text.slice(start, this.i);
    this.i++;
    return hasEscape ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  private number(): void {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400));
    if (!m) this.error('Invalid number');
    this.i += m[0].length;
  }

  private literal(word: string): void {
    if (this.text.startsWith(word, this.i)) this.i += word.length;
    else this.unexpected();
  }
}
