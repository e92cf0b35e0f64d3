// Small text helpers shared by the converters: Markdown escaping, speaker names that Grounded
// recognises, the final clean-up (LF, no BOM, final newline).
import { turnStartOf } from '../speakers';

export type TranscriptFormat = 'txt' | 'md';

/**
 * Escapes what Markdown would otherwise read as formatting: `\`, `*`, `_`, backticks and `<` before a
 * tag, and block markers at the start of a line (`#`, `>`, `-`, `+`, `=`, `1.`).
 */
export function escapeMarkdown(text: string): string {
  return escapeLineStarts(escapeInline(text));
}

/** Escapes `\`, `*`, `_`, backticks and `<` before a tag. */
export function escapeInline(text: string): string {
  return text.replace(/[\\`*_]/g, (c) => `\\${c}`).replace(/<(?=[A-Za-z/!?])/g, '\\<');
}

/** Escapes block markers at the start of a line: `#`, `>`, `-`, `+`, `=`, `1.`, `1)`. */
export function escapeLineStarts(text: string): string {
  return text.replace(/^([ \t]{0,3})([#>+=-])/gm, '$1\\$2').replace(/^([ \t]{0,3}\d+)([.)])(?=\s|$)/gm, '$1\\$2');
}

/**
 * The length of the speaker label (`Name:` or `Name (00:12:03):`) at the start of the text, as
 * Grounded recognises it (src/core/speakers.ts), or 0 when the text does not start a turn.
 */
export function turnPrefixLength(text: string): number {
  const line = text.split('\n', 1)[0];
  if (!turnStartOf(line)) return 0;
  for (let i = line.indexOf(':'); i >= 0 && i < 64; i = line.indexOf(':', i + 1)) {
    if ((i + 1 === line.length || /\s/.test(line[i + 1])) && turnStartOf(line.slice(0, i + 1))) return i + 1;
  }
  return 0;
}

/**
 * A speaker name that Grounded recognises in `Name (00:00:00):`: characters other than letters,
 * digits, spaces, dots and hyphens become spaces; at most 40 characters; a name that does not start
 * with a letter gets "Speaker " in front. Empty or unusable: "Speaker".
 */
export function speakerName(raw: string): string {
  let name = raw
    .replace(/[^\p{L}\p{M}\d .-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!name) return 'Speaker';
  if (!/^\p{L}/u.test(name)) name = `Speaker ${name}`;
  name = name.slice(0, 40).trim();
  return turnStartOf(`${name} (00:00:00): x`)?.speaker === name ? name : 'Speaker';
}

/** LF line ends, no BOM, no control characters but tab and newline, no trailing blanks, one final newline. */
export function finish(text: string): string {
  return (
    text
      .replace(/^\uFEFF/, '')
      .replace(/\r\n?|[\u2028\u2029\u0085]/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFEFF]/g, '')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .replace(/^\n+/, '')
      .replace(/\n*$/, '\n')
  );
}
