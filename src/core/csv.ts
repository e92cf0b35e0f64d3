// A small RFC 4180 reader for the files researchers keep their participants in: quoted fields (with
// "" for a quote, line breaks inside quotes), CRLF or LF, a byte order mark, and the delimiter of the
// header line (`,`, or `;` as Excel writes it where the comma is the decimal sign, or a tab).
// Errors name the line and column (1-based, columns in UTF-16 units) where the problem is.

export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'CsvError';
  }
}

/** One cell, with where it starts in the file (for messages about its content). */
export interface CsvCell {
  value: string;
  line: number;
  column: number;
}

/** One record: its cells and the line it starts on. */
export interface CsvRecord {
  line: number;
  cells: CsvCell[];
}

/**
 * The text of a CSV file's bytes: UTF-8 (with or without a byte order mark), else Windows-1252, the
 * encoding Excel uses for "CSV" (not "CSV UTF-8") on Windows in Norway and the rest of Western Europe.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof DELIMITERS)[number];

/** The delimiter used most often outside quotes on the first line; `,` when none is used. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: CsvDelimiter = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * Every record of a CSV text. A leading byte order mark is dropped; the delimiter is detected from the
 * first line unless given. Lines that hold nothing (not even a delimiter) are skipped. Throws CsvError.
 */
export function parseCsv(input: string, delimiter?: CsvDelimiter): { delimiter: CsvDelimiter; records: CsvRecord[] } {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const sep = delimiter ?? detectDelimiter(text);
  const records: CsvRecord[] = [];
  let line = 1;
  let lineStart = 0; // offset of the current physical line
  let i = 0;
  const col = (offset: number) => offset - lineStart + 1;
  const newlineAt = (k: number) => (text[k] === '\r' && text[k + 1] === '\n' ? 2 : text[k] === '\n' || text[k] === '\r' ? 1 : 0);

  while (i < text.length) {
    const record: CsvRecord = { line, cells: [] };
    for (;;) {
      const cell: CsvCell = { value: '', line, column: col(i) };
      if (text[i] === '"') {
        const openLine = line;
        const openColumn = col(i);
        i++;
        let value = '';
        for (;;) {
          if (i >= text.length) throw new CsvError(openLine, openColumn, 'a quoted field is not closed: a " is missing');
          const ch = text[i];
          if (ch === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          const nl = newlineAt(i);
          if (nl) {
            value += '\n';
            i += nl;
            line++;
            lineStart = i;
            continue;
          }
          value += ch;
          i++;
        }
        if (i < text.length && text[i] !== sep && !newlineAt(i)) {
          throw new CsvError(line, col(i), `unexpected text after a closing quote (a " inside a quoted field is written "")`);
        }
        cell.value = value;
      } else {
        const from = i;
        while (i < text.length && text[i] !== sep && !newlineAt(i)) {
          if (text[i] === '"') throw new CsvError(line, col(i), 'a " inside a field: put the field in quotes and write the quote as ""');
          i++;
        }
        cell.value = text.slice(from, i);
      }
      record.cells.push(cell);
      if (i < text.length && text[i] === sep) {
        i++;
        continue;
      }
      break;
    }
    const nl = i < text.length ? newlineAt(i) : 0;
    const empty = record.cells.length === 1 && record.cells[0].value === '' && text[i - 1] !== '"';
    if (!empty) records.push(record);
    if (nl) {
      i += nl;
      line++;
      lineStart = i;
    }
  }
  return { delimiter: sep, records };
}

// ---------------------------------------------------------------------------------------------------
// The writer: every CSV Grounded writes (segments.csv, codebook.csv, the matrices, `grounded agreement
// --csv`) goes through writeCsv, so they all quote and neutralise the same way.

/**
 * A value of a CSV cell. A number is written as a number (a count, a kappa of -0.12); a string is text
 * from the project or our own words; undefined is an empty cell.
 */
export type CsvValue = string | number | undefined;

/**
 * The first characters that make a spreadsheet (Excel, LibreOffice Calc, Google Sheets) read a text
 * cell as a formula or a command: `=`, `+`, `-`, `@`, a tab and a carriage return (OWASP, "CSV
 * Injection").
 */
const FORMULA_START: ReadonlySet<number> = new Set(['=', '+', '-', '@', '\t', '\r'].map((c) => c.charCodeAt(0)));

/**
 * One cell (RFC 4180): quoted when it holds a comma, a quote or a line break, a quote written as "".
 * A text cell that begins with a formula character is neutralised as OWASP recommends: a single quote
 * `'` before it, and the cell quoted, so `=SUM(A1)` is written `"'=SUM(A1)"` and a spreadsheet shows it
 * as text instead of computing it. Numbers are never text cells: -0.12 stays `-0.12`.
 */
export function csvCell(value: CsvValue): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (value === '') return '';
  // the first character's code looked up (a regex per cell was a tenth of a large export)
  if (FORMULA_START.has(value.charCodeAt(0))) return `"'${value.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * How csvCell writes a text that is not empty: `CELL_AS_IS` the text itself, `CELL_QUOTED` the text
 * itself between two quotes (it holds a comma or a line break, and no quote), `CELL_OTHER` otherwise
 * (a formula start neutralised, or quotes doubled). Lets a writer put the text's own characters
 * through something (the pseudonym pass) without making the cell's string first.
 */
export function csvCellShape(value: string): typeof CELL_AS_IS | typeof CELL_QUOTED | typeof CELL_OTHER {
  if (FORMULA_START.has(value.charCodeAt(0))) return CELL_OTHER;
  if (!NEEDS_QUOTES.test(value)) return CELL_AS_IS;
  return value.includes('"') ? CELL_OTHER : CELL_QUOTED;
}
export const CELL_AS_IS = 0;
export const CELL_QUOTED = 1;
export const CELL_OTHER = 2;

/** One row of cells by csvCell, separated by commas, without its line end. */
export function csvRow(row: readonly CsvValue[]): string {
  let out = row.length ? csvCell(row[0]) : '';
  for (let i = 1; i < row.length; i++) out += ',' + csvCell(row[i]);
  return out;
}

/**
 * The rows as a CSV text: cells by csvCell, separated by commas, each row ended by CRLF (RFC 4180), or
 * by LF where a file has always had LF (`grounded agreement --csv`, written to a terminal or a pipe).
 */
export function writeCsv(rows: readonly (readonly CsvValue[])[], lineEnd: '\r\n' | '\n' = '\r\n'): string {
  const lines: string[] = [];
  for (const row of rows) lines.push(csvRow(row));
  return lines.length ? lines.join(lineEnd) + lineEnd : '';
}
