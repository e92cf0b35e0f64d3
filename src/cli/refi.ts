// `grounded export --qdpx|--qdc FILE [dir] [--crlf]` and `grounded import FILE --into DIR`: REFI-QDA
// exchange with NVivo, ATLAS.ti, MAXQDA and QualCoder (docs/REFI-QDA.md), on the core's src/core/refi.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { version } from '../../package.json';
import { FormatError } from '../core/jsonError';
import { systemEnvironment } from '../core/ports';
import type { Environment } from '../core/ports';
import { exportQdc, exportQdpx, streamQdpx } from '../core/refi/export';
import { importIntoFolder, readForExport, readForExportInPieces } from '../core/refi/gather';
import { importHeadline } from '../core/refi/import';
import type { ImportSummary } from '../core/refi/import';
import { NodeChunkWriter, NodeFileSystem } from './nodeFs';
import { describeRealNames, realNamesInProject } from '../core/exports';
import { PSEUDONYM_FILE, parsePseudonyms } from '../core/pseudonyms';
import { parseOptions } from './options';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export const EXPORT_USAGE = `Usage: grounded export --qdpx FILE [dir] [--crlf]
       grounded export --qdc FILE [dir]

Exports the Grounded project in dir (default: the current folder) in the REFI-QDA exchange format,
which NVivo, ATLAS.ti, MAXQDA and QualCoder read:
  --qdpx FILE  the whole project: transcripts, codebook, codings, memos (as notes), cases
  --qdc FILE   the codebook only
  --crlf       sources with CRLF line endings, positions counted with them (for MAXQDA)
Nothing in the project is changed. See docs/REFI-QDA.md for what is kept and what is lost.

Exit status: 0 done, 1 the export failed, 2 usage error.
`;

export const IMPORT_USAGE = `Usage: grounded import FILE --into DIR [--coder NAME]

Imports a REFI-QDA project (.qdpx) or codebook (.qdc) into DIR (created if missing; it must not
hold a Grounded project): transcripts as .txt with their codings, grounded.json with the codebook
and cases, memos/ from the notes. Prints what was imported and what could not be, and why.
  --coder NAME  recorded as the author of the imported codes and of anything without a user
                (default: "REFI-QDA import")
A file that is damaged or unsafe is refused with a message and nothing is written.

Exit status: 0 imported, 1 refused or failed (nothing written), 2 usage error.
`;

class Usage extends Error {}

function usageError(io: Io, command: string, err: Usage): number {
  io.err(`grounded: ${err.message}\nRun "grounded ${command} --help" for usage.\n`);
  return 2;
}

function failure(io: Io, command: string, err: unknown): number {
  if (err instanceof FormatError) io.err(`grounded ${command}: ${err.message} (run "grounded check")\n`);
  else io.err(`grounded ${command}: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

export async function exportCommand(args: readonly string[], io: Io): Promise<number> {
  try {
    const a = parseOptions('export', args, ['--qdpx', '--qdc'], ['--crlf'], (m) => new Usage(m));
    if (a.help) {
      io.out(EXPORT_USAGE);
      return 0;
    }
    const qdpx = a.values.get('--qdpx');
    const qdc = a.values.get('--qdc');
    if (!qdpx === !qdc) throw new Usage('export: give one of --qdpx FILE or --qdc FILE');
    if (qdc && a.flags.has('--crlf')) throw new Usage('export: --crlf applies to --qdpx only');
    if (a.positional.length > 1) throw new Usage(`export: one folder at most, got ${a.positional.join(' ')}`);
    const dir = a.positional[0] ?? '.';
    const root = nodePath.resolve(io.cwd, dir);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new Usage(`export: no such folder: ${dir}`);
    const out = nodePath.resolve(io.cwd, (qdpx ?? qdc)!);
    try {
      const origin = `Grounded ${version}`;
      const lineEnding = a.flags.has('--crlf') ? 'crlf' : 'lf';
      if (qdpx && (await new NodeFileSystem(root).readText(PSEUDONYM_FILE)) === undefined) {
        // Without a pseudonym table to look for (which needs all of project.qde as text), the .qdpx is
        // written as the transcripts are read, one at a time: the same bytes, a fraction of the memory.
        const reading = await readForExportInPieces(new NodeFileSystem(root));
        const { summary: s } = await streamQdpx(reading.project, reading.memos, reading.documents, { lineEnding, origin }, new NodeChunkWriter(out));
        for (const w of reading.warnings) io.err(`grounded: note: ${w}\n`);
        for (const l of s.leftOut) io.err(`grounded: left out: ${l}\n`);
        io.out(`Exported ${s.sources} sources, ${s.codes} codes, ${s.codings} codings, ${s.memos} memos and ${s.cases} cases to ${qdpx}.\n`);
        return 0;
      }
      const { input, warnings } = await readForExport(new NodeFileSystem(root));
      for (const w of warnings) io.err(`grounded: note: ${w}\n`);
      // read (and check) the pseudonym table before anything is written
      const tableText = qdpx ? await new NodeFileSystem(root).readText(PSEUDONYM_FILE) : undefined;
      const table = tableText === undefined ? undefined : parsePseudonyms(tableText, PSEUDONYM_FILE);
      if (qdpx) {
        const result = exportQdpx(input, { lineEnding, origin });
        writeFileSync(out, result.bytes);
        for (const l of result.summary.leftOut) io.err(`grounded: left out: ${l}\n`);
        const s = result.summary;
        io.out(`Exported ${s.sources} sources, ${s.codes} codes, ${s.codings} codings, ${s.memos} memos and ${s.cases} cases to ${qdpx}.\n`);
        const hits = table ? realNamesInProject(result.qde, input.documents, table) : [];
        if (hits.length) {
          io.err(`grounded: note: a REFI-QDA project carries the transcripts unchanged; real names from ${PSEUDONYM_FILE} appear in ${hits.length} place${hits.length === 1 ? '' : 's'}:\n`);
          for (const line of describeRealNames(hits, 50)) io.err(`  ${line}\n`);
        }
      } else {
        writeFileSync(out, exportQdc(input.project, input.documents, origin));
        io.out(`Exported ${input.project.codes.length} codes to ${qdc}.\n`);
      }
      return 0;
    } catch (err) {
      return failure(io, 'export', err);
    }
  } catch (err) {
    if (err instanceof Usage) return usageError(io, 'export', err);
    throw err;
  }
}

export async function importCommand(args: readonly string[], io: Io, env: Environment = systemEnvironment): Promise<number> {
  try {
    const a = parseOptions('import', args, ['--into', '--coder'], [], (m) => new Usage(m));
    if (a.help) {
      io.out(IMPORT_USAGE);
      return 0;
    }
    if (a.positional.length !== 1) throw new Usage('import: name one .qdpx or .qdc file');
    const into = a.values.get('--into');
    if (!into) throw new Usage('import: --into DIR is required (the folder to import into)');
    const file = nodePath.resolve(io.cwd, a.positional[0]);
    if (!existsSync(file) || !statSync(file).isFile()) throw new Usage(`import: no such file: ${a.positional[0]}`);
    const target = nodePath.resolve(io.cwd, into);
    if (existsSync(target) && !statSync(target).isDirectory()) throw new Usage(`import: not a folder: ${into}`);
    try {
      const created = !existsSync(target);
      let s: ImportSummary;
      try {
        // a .qdpx is read and written a source at a time (core/refi/gather.ts importIntoFolder)
        s = (await importIntoFolder(new NodeFileSystem(target), new Uint8Array(readFileSync(file)), a.positional[0], { coder: a.values.get('--coder') ?? 'REFI-QDA import', env })).summary;
      } catch (err) {
        // a folder made for this import is removed again: nothing is left behind
        if (created) rmSync(target, { recursive: true, force: true });
        throw err;
      }
      io.out(importHeadline(s, into) + '\n');
      for (const n of s.notImported) io.out(`  not imported: ${n}\n`);
      for (const n of s.notes) io.out(`  note: ${n}\n`);
      return 0;
    } catch (err) {
      return failure(io, 'import', err);
    }
  } catch (err) {
    if (err instanceof Usage) return usageError(io, 'import', err);
    throw err;
  }
}
