// `grounded import-transcript FILE... [--into DIR] [--md]`: Word, OpenDocument, WebVTT and SubRip
// files → transcripts (core/transcriptImport.ts). All or nothing: every file is converted and every
// target checked before the first is written, and an existing file is never overwritten.
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { SIDECAR_SUFFIX } from '../core/model';
import { writeAllOrNothing } from '../core/staging';
import { NodeFileSystem } from './nodeFs';
import { ImportError, importTranscript, sourceKindOf, transcriptNameFor } from '../core/transcriptImport';
import type { ImportedTranscript } from '../core/transcriptImport';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export const IMPORT_USAGE = `Usage: grounded import-transcript FILE... [--into DIR] [--md]

Converts Word (.docx), OpenDocument (.odt), WebVTT (.vtt) and SubRip (.srt) files into transcripts
that Grounded codes: NAME.txt (NAME.md with --md) in DIR, by default transcripts/ in the current
folder if it exists, else the current folder. Paragraphs are separated by blank lines; subtitle cues
become speaker turns "Name (hh:mm:ss): text" (the speaker from <v Name> or a leading "Name:",
consecutive cues of one speaker merged). Nothing is ever overwritten: when a transcript of that name
(or its .codes.json) exists, or any file cannot be read, the command says why and writes nothing.

  --into DIR  the folder to write the transcripts to (created if missing)
  --md        Markdown: headings, bold and italic from .docx and .odt are kept

Exit status: 0 imported, 1 a file could not be imported (nothing written), 2 usage error.
`;

const PREFIX = 'grounded import-transcript';

/** One line per transcript: its turns and speakers. */
export function summaryOf(imported: ImportedTranscript): string {
  if (!imported.turns) return 'no speaker turns';
  const who = imported.speakers.map((s) => `${s.speaker} ${s.turns}`).join(', ');
  return `${imported.turns} turn${imported.turns === 1 ? '' : 's'} (${who})`;
}

export async function importTranscriptCommand(args: readonly string[], io: Io): Promise<number> {
  let into: string | undefined;
  let md = false;
  const files: string[] = [];
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (options && a === '--') options = false;
    else if (options && (a === '-h' || a === '--help')) {
      io.out(IMPORT_USAGE);
      return 0;
    } else if (options && a === '--md') md = true;
    else if (options && (a === '--into' || a.startsWith('--into='))) {
      const v = a === '--into' ? args[++i] : a.slice('--into='.length);
      if (!v) return usage(io, '--into needs a folder');
      into = v;
    } else if (options && a.startsWith('-') && a !== '-') return usage(io, `unknown option ${a}`);
    else files.push(a);
  }
  if (!files.length) return usage(io, 'name at least one file to import');
  const format = md ? 'md' : 'txt';

  const dir = into !== undefined ? nodePath.resolve(io.cwd, into) : defaultFolder(io.cwd);
  if (existsSync(dir) && !statSync(dir).isDirectory()) return fail(io, [`${shown(io, dir)} is not a folder`]);

  const problems: string[] = [];
  const planned = new Map<string, { from: string; imported: ImportedTranscript }>();
  for (const file of files) {
    const source = nodePath.resolve(io.cwd, file);
    if (!sourceKindOf(file)) {
      problems.push(`${file}: cannot import this kind of file; Grounded imports .docx, .odt, .vtt and .srt`);
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(source);
    } catch (err) {
      problems.push(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
      continue;
    }
    try {
      const imported = await importTranscript(file, bytes, format);
      const target = nodePath.join(dir, transcriptNameFor(file, format));
      const earlier = planned.get(target);
      if (earlier) problems.push(`${earlier.from} and ${file} would both become ${shown(io, target)}`);
      else if (existsSync(target)) problems.push(`${shown(io, target)} exists and is never overwritten: move it away, or import with --into another folder`);
      else if (existsSync(target + SIDECAR_SUFFIX)) problems.push(`${shown(io, target + SIDECAR_SUFFIX)} exists (codings of an earlier ${nodePath.basename(target)}): move it away first`);
      else planned.set(target, { from: file, imported });
    } catch (err) {
      problems.push(err instanceof ImportError ? err.message : `${file}: ${(err as Error).message}`);
    }
  }
  if (problems.length) return fail(io, problems);

  // All or nothing (core/staging.ts): written to a staging folder in DIR, read back, then moved into place.
  const created = !existsSync(dir);
  try {
    const fs = new NodeFileSystem(dir);
    const files = [...planned].map(([target, { from, imported }]) => ({ path: nodePath.basename(target), text: imported.text, item: `the transcript of ${from}` }));
    await writeAllOrNothing(fs, files, { source: files.length === 1 ? planned.values().next().value!.from : `${files.length} files` });
  } catch (err) {
    if (created) rmSync(dir, { recursive: true, force: true });
    io.err(`${PREFIX}: ${(err as Error).message}\n`);
    return 1;
  }
  for (const [target, { imported }] of planned) io.out(`${shown(io, target)}: ${summaryOf(imported)}\n`);
  return 0;
}

/** transcripts/ under the current folder if it exists, else the current folder. */
function defaultFolder(cwd: string): string {
  const transcripts = nodePath.join(cwd, 'transcripts');
  return existsSync(transcripts) && statSync(transcripts).isDirectory() ? transcripts : cwd;
}

/** A path as the user would type it: relative to the current folder when inside it. */
function shown(io: Io, abs: string): string {
  const rel = nodePath.relative(io.cwd, abs);
  return (rel && !rel.startsWith('..') && !nodePath.isAbsolute(rel) ? rel : abs).split(nodePath.sep).join('/');
}

function usage(io: Io, message: string): number {
  io.err(`${PREFIX}: ${message}\nRun "grounded import-transcript --help" for usage.\n`);
  return 2;
}

function fail(io: Io, problems: readonly string[]): number {
  for (const p of problems) io.err(`${PREFIX}: ${p}\n`);
  io.err(`${PREFIX}: nothing was written\n`);
  return 1;
}
