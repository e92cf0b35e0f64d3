// "Import Transcript": Word (.docx), OpenDocument (.odt), WebVTT (.vtt) and SubRip (.srt) files →
// a plain-text (.txt) or Markdown (.md) transcript that Grounded codes: paragraphs separated by blank
// lines, speaker turns as `Name (hh:mm:ss): text`. Pure: bytes in, text out; the callers (the
// extension's command, `grounded import-transcript`) read and write the files.
import { cuesToTranscript, parseSrt, parseVtt, SubtitleError } from './import/subtitles';
import { htmlBlocks, odtBlocks, renderBlocks } from './import/documents';
import { finish } from './import/text';
import type { TranscriptFormat } from './import/text';
import { DEFAULT_ZIP_LIMITS, readArchive } from './import/zip';
import type { ZipLimits } from './import/zip';
import { speakersOf, speakerTurns } from './speakers';

export type { TranscriptFormat } from './import/text';
export type { ZipLimits } from './import/zip';

export type SourceKind = 'docx' | 'odt' | 'vtt' | 'srt';
export const SOURCE_EXTENSIONS: readonly SourceKind[] = ['docx', 'odt', 'vtt', 'srt'];

const KIND_NAMES: Record<SourceKind, string> = {
  docx: 'a Word document (.docx)',
  odt: 'an OpenDocument text (.odt)',
  vtt: 'a WebVTT subtitle file (.vtt)',
  srt: 'a SubRip subtitle file (.srt)',
};

/** A file that cannot be imported; the message names the file and what is wrong with it. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

export interface ImportedTranscript {
  /** LF, no BOM, one final newline */
  text: string;
  /** the number of speaker turns Grounded finds in it */
  turns: number;
  /** the speakers with their turns, most turns first */
  speakers: { speaker: string; turns: number }[];
}

/** The kind of a file by its extension (case ignored), or undefined when it cannot be imported. */
export function sourceKindOf(fileName: string): SourceKind | undefined {
  const ext = /\.([^./\\]+)$/.exec(fileName)?.[1].toLowerCase();
  return SOURCE_EXTENSIONS.find((k) => k === ext);
}

/** `intervju 3.docx` → `intervju 3.txt` (or `.md`): the name of the transcript made of a file. */
export function transcriptNameFor(fileName: string, format: TranscriptFormat): string {
  const base = fileName.split(/[/\\]/).pop() ?? fileName;
  const stem = base.replace(/\.[^.]+$/, '') || base;
  return `${stem}.${format}`;
}

/** `intervju.txt` → `intervju-2.txt`, `intervju-3.txt`, …: the n-th alternative name. */
export function alternativeName(name: string, n: number): string {
  const m = /^(.*?)(\.[^.]*)?$/.exec(name)!;
  return `${m[1]}-${n}${m[2] ?? ''}`;
}

/** Subtitle text: UTF-8 (with or without BOM), else Windows-1252, as older .srt files often are. */
function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Converts one file to transcript text. `fileName` names it in errors (and gives its kind when `kind`
 * is not given). Throws `ImportError` for anything it cannot read: not the format its name says, a
 * zip bomb, malformed subtitle timings, no text at all.
 */
export async function importTranscript(
  fileName: string,
  bytes: Uint8Array,
  format: TranscriptFormat,
  options: { kind?: SourceKind; zipLimits?: ZipLimits } = {},
): Promise<ImportedTranscript> {
  const kind = options.kind ?? sourceKindOf(fileName);
  if (!kind) throw new ImportError(fileName, `cannot import this kind of file; Grounded imports ${SOURCE_EXTENSIONS.map((e) => `.${e}`).join(', ')}`);
  let body: string;
  try {
    if (kind === 'vtt') body = cuesToTranscript(parseVtt(decodeText(bytes)), format);
    else if (kind === 'srt') body = cuesToTranscript(parseSrt(decodeText(bytes)), format);
    else if (kind === 'docx') body = renderBlocks(htmlBlocks(await docxHtml(bytes, options.zipLimits)), format);
    else body = renderBlocks(odtContent(bytes, options.zipLimits), format);
  } catch (err) {
    if (err instanceof ImportError) throw err;
    if (err instanceof SubtitleError) throw new ImportError(fileName, `not ${KIND_NAMES[kind]} Grounded can read: ${err.message}`);
    throw new ImportError(fileName, `not ${KIND_NAMES[kind]} Grounded can read: ${reason(err)}`);
  }
  const text = finish(body);
  if (!text.trim()) throw new ImportError(fileName, 'there is no text in it to import');
  return { text, turns: speakerTurns(text).length, speakers: speakersOf(text) };
}

async function docxHtml(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<string> {
  if (bytes.length >= 8 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new Error('it is an older Word (.doc) or password-protected file; open it in Word or LibreOffice and save it as .docx (without a password)');
  }
  refuseDtd(readArchive(bytes, limits));
  const mammoth = (await import('mammoth')).default;
  try {
    const result = await mammoth.convertToHtml(
      // mammoth's Node build reads a Buffer with JSZip, which takes any Uint8Array
      { buffer: bytes as unknown as Buffer },
      { convertImage: mammoth.images.imgElement(async () => ({ src: '' })), ignoreEmptyParagraphs: true, externalFileAccess: false },
    );
    return result.value;
  } catch (err) {
    if (/main document part/i.test(reason(err))) throw new Error('the zip archive has no Word document in it (word/document.xml)');
    throw err;
  }
}

const DOCTYPE = new TextEncoder().encode('<!DOCTYPE');

/** Refuses any XML part with a DOCTYPE: Word and OpenDocument files have none, and a DTD can expand entities without limit or reach outside. */
function refuseDtd(entries: Map<string, Uint8Array>): void {
  for (const [name, bytes] of entries) {
    if (!/\.(xml|rels)$/i.test(name)) continue;
    let found = false;
    for (let i = bytes.indexOf(0x3c); i >= 0 && !found; i = bytes.indexOf(0x3c, i + 1)) found = DOCTYPE.every((d, j) => bytes[i + j] === d);
    if (found) throw new Error(`the entry "${name}" has a DOCTYPE, which Word and OpenDocument files never have (a DTD could expand entities without limit or read other files)`);
  }
}

function odtContent(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS) {
  const entries = readArchive(bytes, limits);
  refuseDtd(entries);
  const mimetype = entries.get('mimetype');
  const mime = mimetype ? new TextDecoder().decode(mimetype).trim() : undefined;
  if (mime && mime !== 'application/vnd.oasis.opendocument.text') throw new Error(`it is ${mime.replace('application/vnd.oasis.', '')}, not an OpenDocument text`);
  if (!entries.has('content.xml')) throw new Error('the zip archive has no content.xml');
  const decode = (b: Uint8Array | undefined, name: string) => {
    try {
      return b ? new TextDecoder('utf-8', { fatal: true }).decode(b) : undefined;
    } catch {
      throw new Error(`the entry "${name}" is not UTF-8 text`);
    }
  };
  return odtBlocks(decode(entries.get('content.xml'), 'content.xml')!, decode(entries.get('styles.xml'), 'styles.xml'));
}
