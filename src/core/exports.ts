// The files an export writes, with the pseudonym table applied to every one of them and a list of the
// places where a real name still appears. Pure: the caller reads the project and writes the files.
import type { ReportInput } from './report';
import { analysisOf, renderCodebookCsv, renderCodebookMarkdown, renderCodingsCsv, renderCodingsCsvWith, renderReportHtml, reportMapFiles, streamCodingsCsvWith, renderReportMarkdown, renderSaturationSvg } from './report';
import { RealNamesInPieces, applyPseudonyms, findRealNames, pseudonymPass, realNamesAt } from './pseudonyms';
import type { ChunkWriter } from './ports';
import { speakerTurns } from './speakers';
import type { Turn } from './speakers';
import type { PseudonymTable, RealNameHit } from './pseudonyms';

/** What can be exported: the report (Markdown, HTML, the saturation chart, the theory maps), the coded segments, the codebook. */
export type ExportKind = 'report' | 'segments' | 'codebook';
export const EXPORT_KINDS: readonly ExportKind[] = ['report', 'segments', 'codebook'];

export interface ExportFile {
  /** file name inside the export folder */
  name: string;
  /** the file's text; '' when it was written through `BuildExportOptions.write` instead */
  text: string;
  /** true when the text went to `BuildExportOptions.write` (and `text` is empty) */
  written?: boolean;
}

export interface BuildExportOptions {
  /**
   * Where to write the segments CSV (most of an export's bytes) as it is made, a document's rows at a
   * time, instead of returning it as one string: the same bytes, never whole in memory. Used when the
   * pseudonym table allows applying it piece by piece (core/pseudonyms.ts pseudonymPass); closed when done.
   */
  write?: (name: string) => ChunkWriter;
}

export interface ExportResult {
  files: ExportFile[];
  /** where a real name from the pseudonym table still appears, after the table was applied */
  realNames: RealNameHit[];
}

/** The file names each kind writes (and the report one `map-<slug>.svg` per theory map: report.ts reportMapFiles). */
export const EXPORT_FILES: Record<ExportKind, readonly string[]> = {
  report: ['report.md', 'report.html', 'saturation.svg'],
  segments: ['segments.csv'],
  codebook: ['codebook.csv', 'codebook.md'],
};

function render(kind: ExportKind, input: ReportInput): ExportFile[] {
  switch (kind) {
    case 'report':
      return [
        { name: 'report.md', text: renderReportMarkdown(input, { saturationImage: 'saturation.svg', mapImages: true }) },
        { name: 'report.html', text: renderReportHtml(input) },
        { name: 'saturation.svg', text: renderSaturationSvg(input) },
        ...reportMapFiles(input),
      ];
    case 'segments':
      return [{ name: 'segments.csv', text: renderCodingsCsv(input) }];
    case 'codebook':
      return [
        { name: 'codebook.csv', text: renderCodebookCsv(input) },
        { name: 'codebook.md', text: renderCodebookMarkdown(input) },
      ];
  }
}

/**
 * The files of the given kinds, each with the pseudonym table applied (real names replaced by their
 * pseudonyms in quotes, memos, translations, notes, file names), and every place where a real name
 * (or a word of one) still appears.
 */
export function buildExport(input: ReportInput, kinds: readonly ExportKind[], table: PseudonymTable, options: BuildExportOptions = {}): ExportResult {
  // every file is rendered from the same analysis: compute it once
  // every file is rendered from the same speaker turns too (the analysis and the segments CSV read them)
  const turns = new Map<string, readonly Turn[] | undefined>();
  const turnsOf = input.turnsOf ?? ((path: string) => {
    if (!turns.has(path)) {
      const text = input.textOf?.(path);
      turns.set(path, text === undefined ? undefined : speakerTurns(text));
    }
    return turns.get(path);
  });
  // a theory map's file is named after its name with the table applied (report.ts fileNameText)
  const withTurns: ReportInput = { ...input, turnsOf, fileNameText: (text) => applyPseudonyms(text, table) };
  const once: ReportInput = { ...withTurns, analysis: analysisOf(withTurns) };
  // the segments CSV, most of an export's bytes, gets the table cell by cell as it is written when the
  // table allows (core/pseudonyms.ts PseudonymPass); every other file, and any other table, as a whole
  const pass = kinds.includes('segments') ? pseudonymPass(table) : undefined;
  const done = kinds.flatMap((k): { file: ExportFile; realNames: RealNameHit[] }[] => {
    if (k === 'segments' && pass && options.write) {
      const writer = options.write('segments.csv');
      const names = new RealNamesInPieces('segments.csv');
      try {
        streamCodingsCsvWith(once, pass, (text, at) => {
          writer.write(text);
          names.push(text, at);
        });
      } catch (err) {
        writer.abort();
        throw err;
      }
      writer.close();
      return [{ file: { name: 'segments.csv', text: '', written: true }, realNames: names.end() }];
    }
    if (k === 'segments' && pass) {
      const csv = renderCodingsCsvWith(once, pass);
      return [{ file: { name: 'segments.csv', text: csv.text }, realNames: realNamesAt(csv.text, csv.realNames, 'segments.csv') }];
    }
    return render(k, once).map((f) => {
      const text = applyPseudonyms(f.text, table);
      return { file: { name: f.name, text }, realNames: findRealNames(text, table, f.name) };
    });
  });
  return { files: done.map((d) => d.file), realNames: done.flatMap((d) => d.realNames) };
}

/**
 * The real names in a REFI-QDA project export: a working copy for co-authors that carries the
 * transcripts and memos as they are (the pseudonym table is not applied: replacing names would move
 * every coding). Listed so the export can say where, as every export does.
 */
export function realNamesInProject(qde: string, documents: readonly { path: string; lfText: string }[], table: PseudonymTable): RealNameHit[] {
  return [...findRealNames(qde, table, 'project.qde'), ...documents.flatMap((d) => findRealNames(d.lfText, table, d.path))];
}

/** The warning's lines: "report.md:12:5 Kari — …context…", at most `max` of them. */
export function describeRealNames(hits: readonly RealNameHit[], max = 20): string[] {
  const lines = hits.slice(0, max).map((h) => `${h.file}:${h.line}:${h.column} "${h.name}": ${h.context}`);
  if (hits.length > max) lines.push(`… and ${hits.length - max} more`);
  return lines;
}
