// `grounded report [dir] --format md|html|csv [--out FILE]`: the report of categories with their memos,
// codes and representative quotes (Markdown or HTML), or every coded segment as CSV.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { PROJECT_FILE } from '../core/model';
import type { Memo } from '../core/model';
import { parseProject } from '../core/project';
import { isSidecarPath, parseSidecar, transcriptPathFor } from '../core/sidecar';
import { MemoStore } from '../core/store';
import { renderCodingsCsv, renderReportHtml, renderReportMarkdown } from '../core/report';
import type { ReportInput } from '../core/report';
import { NodeFileSystem } from './nodeFs';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

export const REPORT_USAGE = `Usage: grounded report [dir] [--format md|html|csv] [--out FILE]

Writes the report of the Grounded project in dir (default: the current folder): for each category
its memo, its codes with descriptions and counts, and its representative quotes (translated where
a translation exists, attributed by pseudonym); the codebook; a methods appendix. --format csv
writes every coded segment instead, one row per coding. Output goes to standard output unless
--out names a file. Nothing in the project is changed.
`;

/** Reads what a report needs; throws (with path:line:column) when a file does not parse. */
export async function readReportInput(root: string): Promise<ReportInput> {
  const fs = new NodeFileSystem(root);
  const projectText = await fs.readText(PROJECT_FILE);
  if (projectText === undefined) throw new Error(`${nodePath.join(root, PROJECT_FILE)} not found: is this a Grounded project folder?`);
  const project = parseProject(projectText, PROJECT_FILE);
  const documents = [];
  for (const path of (await fs.list('')).filter(isSidecarPath)) {
    const sidecar = parseSidecar((await fs.readText(path)) ?? '', path);
    documents.push({ path: transcriptPathFor(path), codings: sidecar.codings });
  }
  const { memos, errors } = await new MemoStore(fs).list();
  if (errors.length) throw errors[0];
  return { project, documents, memos: memos.map((m: { memo: Memo }) => m.memo) };
}

export async function report(args: readonly string[], io: Io): Promise<number> {
  let format = 'md';
  let out: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') {
      io.out(REPORT_USAGE);
      return 0;
    } else if (a === '--format' || a === '--out') {
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
  if (!['md', 'html', 'csv'].includes(format)) {
    io.err(`grounded report: --format must be md, html or csv, not "${format}"\n`);
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
  let input: ReportInput;
  try {
    input = await readReportInput(root);
  } catch (err) {
    io.err(`grounded report: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const text = format === 'csv' ? renderCodingsCsv(input) : format === 'html' ? renderReportHtml(input) : renderReportMarkdown(input);
  if (out) writeFileSync(nodePath.resolve(io.cwd, out), text);
  else io.out(text);
  return 0;
}
