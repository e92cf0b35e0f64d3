// `grounded report`: the report of categories with their memos, codes and representative quotes
// (Markdown or HTML), the coded segments and the codebook as CSV, the saturation chart; the pseudonym
// table applied to each, with the places where a real name still appears.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { PROJECT_FILE } from '../core/model';
import type { Memo } from '../core/model';
import { parseProject } from '../core/project';
import { isSidecarPath, parseSidecar, transcriptPathFor } from '../core/sidecar';
import { MemoStore } from '../core/store';
import { EXPORT_KINDS, buildExport, describeRealNames } from '../core/exports';
import type { ExportKind } from '../core/exports';
import { PSEUDONYM_FILE, emptyPseudonymTable, parsePseudonyms } from '../core/pseudonyms';
import type { PseudonymTable } from '../core/pseudonyms';
import { normalizeEol } from '../core/text';
import type { ReportInput } from '../core/report';
import { NodeChunkWriter, NodeFileSystem } from './nodeFs';
import { historyForReport } from '../node/gitHistory';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export const REPORT_USAGE = `Usage: grounded report [dir] [--format FORMAT] [--out FILE]
       grounded report [dir] --all --out FOLDER

Writes the report of the Grounded project in dir (default: the current folder): for each category
its memo, its codes with descriptions and counts, and its representative quotes (translated where
a translation exists, attributed by pseudonym and case attributes); the saturation table; the
codebook; a methods appendix (with a summary of the codebook's history: codes created, merged,
promoted, and when focused coding began, when the folder is in git). Output goes to standard output unless --out names a file.

  --format md            the report as Markdown (default)
  --format html          the report as a standalone HTML page, with the saturation chart
  --format csv           every coded segment, one row per coding (document, case, speaker, code
                         path, quote, translation, coder, dates)
  --format codebook-csv  the codebook, one row per code
  --format codebook-md   the codebook as a Markdown table with the definitions
  --format saturation-svg  the saturation chart (new codes per transcript) as SVG
  --all --out FOLDER     every one of these, as report.md, report.html, saturation.svg,
                         segments.csv, codebook.csv and codebook.md in FOLDER (created if needed),
                         and each theory map as map-<name>.svg (linked from report.md; the HTML
                         report has them inline; see grounded map)

Every export applies the pseudonym table (pseudonyms.json): real names become pseudonyms. Where a
real name (or a word of one) still appears, each place is listed on standard error as
file:line:column and the exit status is 1, so CI can stop a leak. Codings wholly inside the turns
of settings.excludedSpeakers are left out of counts and quotes. Nothing in the project is changed.

Exit status: 0 written, 1 written but a real name still appears, 2 usage error or a project that
cannot be read.
`;

const FORMATS: Record<string, { kind: ExportKind; file: string }> = {
  md: { kind: 'report', file: 'report.md' },
  html: { kind: 'report', file: 'report.html' },
  'saturation-svg': { kind: 'report', file: 'saturation.svg' },
  csv: { kind: 'segments', file: 'segments.csv' },
  'codebook-csv': { kind: 'codebook', file: 'codebook.csv' },
  'codebook-md': { kind: 'codebook', file: 'codebook.md' },
};

/** Reads what a report needs; throws (with path:line:column) when a file does not parse. */
export async function readReportInput(root: string): Promise<ReportInput> {
  return (await readExportInput(root)).input;
}

/** The report's input (with the transcripts' texts) and the pseudonym table (empty without pseudonyms.json). */
export async function readExportInput(root: string): Promise<{ input: ReportInput; pseudonyms: PseudonymTable }> {
  const fs = new NodeFileSystem(root);
  const projectText = await fs.readText(PROJECT_FILE);
  if (projectText === undefined) throw new Error(`${nodePath.join(root, PROJECT_FILE)} not found: is this a Grounded project folder?`);
  const project = parseProject(projectText, PROJECT_FILE);
  const documents = [];
  const texts = new Map<string, string>();
  for (const path of (await fs.list('')).filter(isSidecarPath)) {
    const sidecar = parseSidecar((await fs.readText(path)) ?? '', path);
    const transcript = transcriptPathFor(path);
    const text = await fs.readText(transcript);
    // A sidecar whose transcript is gone counts nothing (core/analysis.ts), as in the editor and `stats`.
    documents.push(text === undefined ? { path: transcript, codings: sidecar.codings, transcriptMissing: true } : { path: transcript, codings: sidecar.codings });
    if (text !== undefined) texts.set(transcript, normalizeEol(text));
  }
  const { memos, errors } = await new MemoStore(fs).list();
  if (errors.length) throw errors[0];
  const table = await fs.readText(PSEUDONYM_FILE);
  return {
    input: { project, documents, memos: memos.map((m: { memo: Memo }) => m.memo), textOf: (p) => texts.get(p) },
    pseudonyms: table === undefined ? emptyPseudonymTable() : parsePseudonyms(table, PSEUDONYM_FILE),
  };
}

export async function report(args: readonly string[], io: Io): Promise<number> {
  let format = 'md';
  let out: string | undefined;
  let all = false;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') {
      io.out(REPORT_USAGE);
      return 0;
    } else if (a === '--all') all = true;
    else if (a === '--format' || a === '--out') {
      const v = args[++i];
      if (!v) {
        io.err(`grounded report: ${a} needs a value\n`);
        return 2;
      }
      if (a === '--format') format = v;
      else out = v;
    } else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a.startsWith('--out=')) out = a.slice(6);
    else if (a.startsWith('-')) {
      io.err(`grounded report: unknown option ${a}\n`);
      return 2;
    } else dirs.push(a);
  }
  if (!FORMATS[format]) {
    io.err(`grounded report: --format must be one of ${Object.keys(FORMATS).join(', ')}, not "${format}"\n`);
    return 2;
  }
  if (all && !out) {
    io.err('grounded report: --all needs --out FOLDER\n');
    return 2;
  }
  if (dirs.length > 1) {
    io.err('grounded report: one folder at most\n');
    return 2;
  }
  const root = nodePath.resolve(io.cwd, dirs[0] ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    io.err(`grounded report: no such folder: ${dirs[0] ?? '.'}\n`);
    return 2;
  }
  let read: Awaited<ReturnType<typeof readExportInput>>;
  try {
    read = await readExportInput(root);
  } catch (err) {
    io.err(`grounded report: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  // The methods appendix sums up the codebook's history when there is one in git.
  const { history, note } = await historyForReport(root);
  if (note) io.err(`grounded report: note: the methods appendix has no codebook history: ${note.replace(/^history: /, '')}\n`);
  if (history) read.input.history = history;
  const wanted = all ? undefined : FORMATS[format];
  // --all: the segments CSV (most of the bytes) is written as it is made, never whole in memory
  const folder = all ? nodePath.resolve(io.cwd, out!) : undefined;
  if (folder) mkdirSync(folder, { recursive: true });
  const result = buildExport(read.input, wanted ? [wanted.kind] : EXPORT_KINDS, read.pseudonyms, folder ? { write: (name) => new NodeChunkWriter(nodePath.join(folder, name)) } : {});
  const files = wanted ? result.files.filter((f) => f.name === wanted.file) : result.files;
  if (folder) {
    for (const f of files) if (!f.written) writeFileSync(nodePath.join(folder, f.name), f.text);
    io.err(`grounded report: wrote ${files.map((f) => f.name).join(', ')} to ${out}\n`);
  } else if (out) writeFileSync(nodePath.resolve(io.cwd, out), files[0].text);
  else io.out(files[0].text);
  const hits = result.realNames.filter((h) => files.some((f) => f.name === h.file));
  if (hits.length) {
    io.err(`grounded report: ${hits.length} place${hits.length === 1 ? '' : 's'} where a real name from ${PSEUDONYM_FILE} still appears:\n`);
    for (const line of describeRealNames(hits, 200)) io.err(`  ${line}\n`);
    return 1;
  }
  return 0;
}
