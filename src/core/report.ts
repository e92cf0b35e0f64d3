// The report of a study: for each category its memo, its codes with descriptions and counts, and its
// representative quotes (translated where a translation exists) attributed by pseudonym only; the
// codebook; a methods appendix. Rendered as Markdown, HTML or CSV (one row per coding). Pure: the
// caller supplies the project, the codings and the memos.
import type { Case, Code, Coding, Memo, ProjectFile } from './model';
import type { DocumentCodings } from './codebook';
import { childrenOf, codePath } from './project';
import { descendantsOf } from './codebook';
import type { CodeCounts } from './codebook';
import { analyse } from './analysis';
import type { Analysis } from './analysis';
import { escapeMarkdown } from './segmentList';
import { caseOfDocument } from './cases';
import { escapeHtml } from './html';

import { speakerTurns, turnIndexAt } from './speakers';
import { saturation, saturationSvg } from './saturation';
import type { SaturationStep } from './saturation';

export interface ReportInput {
  project: ProjectFile;
  documents: readonly DocumentCodings[];
  memos: readonly Memo[];
  /**
   * The LF text of a transcript, when it can be read: needed to leave out the turns of excluded
   * speakers (settings.excludedSpeakers) and for the speaker column of the CSV.
   */
  textOf?: (path: string) => string | undefined;
  /** blind mode: only this coder's codings count */
  viewer?: string;
  /**
   * The analysis, when the caller computed it already (an export renders several files from one input,
   * the editor has the session's); otherwise each renderer computes it from the fields above.
   */
  analysis?: Analysis;
}

export interface ReportOptions {
  /** file name of the saturation chart written beside the Markdown report; the HTML report embeds it */
  saturationImage?: string;
}

/** The one analysis of the report's input (core/analysis.ts): which codings count, and every number. */
export function analysisOf(input: ReportInput): Analysis {
  return input.analysis ?? analyse({ project: input.project, documents: input.documents, textOf: input.textOf, viewer: input.viewer });
}

/** The documents with the codings that count. */
export function analysed(input: ReportInput): readonly DocumentCodings[] {
  return analysisOf(input).documents;
}

/** The saturation steps of the report's input. */
export function reportSaturation(input: ReportInput): SaturationStep[] {
  return saturation(input.project, analysed(input));
}

interface Quote {
  coding: Coding;
  code: Code;
  path: string;
  case?: Case;
}

const caseOf = caseOfDocument;

function attribution(q: Quote): string {
  if (!q.case) return 'unattributed';
  const attrs = Object.entries(q.case.attributes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}: ${v}`);
  return attrs.length ? `${q.case.pseudonym} (${attrs.join(', ')})` : q.case.pseudonym;
}

/** The memo about a code, the most recently modified if there are several. */
function memoOf(memos: readonly Memo[], codeId: string): Memo | undefined {
  return memos
    .filter((m) => m.target.kind === 'code' && m.target.id === codeId)
    .sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : 0))[0];
}

/** Representative quotes of a category: codings flagged in its codes (and the codes below). */
function quotesOf(input: ReportInput, documents: readonly DocumentCodings[], codeIds: ReadonlySet<string>): Quote[] {
  const byId = new Map(input.project.codes.map((c) => [c.id, c]));
  const out: Quote[] = [];
  for (const doc of documents) {
    for (const coding of doc.codings) {
      if (!coding.representative || coding.orphaned || !codeIds.has(coding.codeId)) continue;
      out.push({ coding, code: byId.get(coding.codeId)!, path: doc.path, case: caseOf(input.project, doc.path) });
    }
  }
  // quotes flagged for the category first, then those of single codes; each group by document and position
  const rank = (q: Quote) => (q.coding.representative === 'category' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.coding.anchor.start - b.coding.anchor.start));
}

/** The sections of the report: each top-level code that has subcodes is a category. */
function categories(project: ProjectFile): { categories: Code[]; loose: Code[] } {
  const top = childrenOf(project);
  return {
    categories: top.filter((c) => childrenOf(project, c.id).length > 0),
    loose: top.filter((c) => childrenOf(project, c.id).length === 0),
  };
}

const quoteText = (q: Quote) => (q.coding.translation ? q.coding.translation.text : q.coding.anchor.quote);

/** The report as Markdown. */
export function renderReportMarkdown(input: ReportInput, options: ReportOptions = {}): string {
  const { project } = input;
  const { documents, counts } = analysisOf(input);
  const lines: string[] = [`# ${escapeMarkdown(project.project.name)}`, ''];
  const projectMemo = input.memos.filter((m) => m.target.kind === 'project').sort((a, b) => (a.modified < b.modified ? 1 : -1))[0];
  if (projectMemo) lines.push(projectMemo.body.trim(), '');
  const { categories: cats, loose } = categories(project);
  const section = (code: Code, depth: number): void => {
    const below = descendantsOf(project, code.id);
    const c = counts.get(code.id)!;
    lines.push(`${'#'.repeat(Math.min(depth, 6))} ${escapeMarkdown(code.name)}`, '');
    if (code.description) lines.push(escapeMarkdown(code.description), '');
    lines.push(`${c.totalSegments} segment${c.totalSegments === 1 ? '' : 's'} in ${c.totalDocuments} document${c.totalDocuments === 1 ? '' : 's'}.`, '');
    const memo = memoOf(input.memos, code.id);
    if (memo) lines.push(`**Memo** (${escapeMarkdown(memo.author)}, ${memo.modified.slice(0, 10)}):`, '', ...memo.body.trim().split('\n').map((l) => `> ${l}`), '');
    const subs = childrenOf(project, code.id);
    if (subs.length) {
      lines.push('| Code | Description | Segments | Documents |', '| --- | --- | --: | --: |');
      for (const s of subs) {
        const sc = counts.get(s.id)!;
        lines.push(`| ${cell(s.name)} | ${cell(s.description ?? '')} | ${sc.totalSegments} | ${sc.totalDocuments} |`);
      }
      lines.push('');
    }
    const quotes = quotesOf(input, documents, new Set([code.id, ...below]));
    if (quotes.length) {
      lines.push('Representative quotes:', '');
      for (const q of quotes) {
        const of = q.coding.representative === 'category' && q.code.id !== code.id ? `${escapeMarkdown(q.code.name)}, for the category` : escapeMarkdown(q.code.name);
        lines.push(`> ${escapeMarkdown(quoteText(q)).replace(/\n+/g, ' ')}`, '>', `> — ${escapeMarkdown(attribution(q))}; ${of}`);
        if (q.coding.translation) {
          const t = q.coding.translation;
          lines.push('>', `> Original (${escapeMarkdown(project.settings.language ?? 'source')}; translated into ${escapeMarkdown(t.language)} by ${escapeMarkdown(t.translator)}): ${escapeMarkdown(q.coding.anchor.quote).replace(/\n+/g, ' ')}`);
        }
        lines.push('');
      }
    }
  };
  for (const cat of cats) section(cat, 2);
  if (loose.length) {
    lines.push('## Codes outside the categories', '');
    for (const code of loose) section(code, 3);
  }
  lines.push(...saturationSection(input, saturation(project, documents), options));
  lines.push('## Codebook', '', ...codebookTable(project, counts));
  lines.push('', ...methods(input).map((l) => l), '');
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

function saturationSection(input: ReportInput, steps: readonly SaturationStep[], options: ReportOptions): string[] {
  if (!steps.length) return [];
  const names = new Map(input.project.codes.map((c) => [c.id, c.name]));
  const lines = ['## Saturation', '', 'New codes each transcript brought, in the order the transcripts were first coded, and the codes found so far.', ''];
  if (options.saturationImage) lines.push(`![New codes per transcript](${options.saturationImage})`, '');
  lines.push('| # | Transcript | Case | First coded | Codes | New codes | Codes so far |', '| --: | --- | --- | --- | --: | --- | --: |');
  steps.forEach((s, i) => {
    const fresh = s.newCodeIds.map((id) => names.get(id) ?? id);
    lines.push(`| ${i + 1} | ${cell(s.path)} | ${cell(s.pseudonym ?? '')} | ${s.firstCoded.slice(0, 10)} | ${s.codes} | ${fresh.length}${fresh.length ? `: ${cell(fresh.join(', '))}` : ''} | ${s.cumulative} |`);
  });
  lines.push('');
  return lines;
}

/** The codebook as Markdown table lines: code, category path, description, segments, documents, coders. */
function codebookTable(project: ProjectFile, counts: ReadonlyMap<string, CodeCounts>): string[] {
  const lines = ['| Code | Category | Description | Segments | Documents | Coders |', '| --- | --- | --- | --: | --: | --- |'];
  for (const code of codebookOrder(project)) {
    const c = counts.get(code.id)!;
    lines.push(`| ${cell(code.name)} | ${cell(codePath(project, code.id).slice(0, -1).join(' › '))} | ${cell(code.description ?? '')} | ${c.segments} | ${c.documents} | ${cell(c.coders.join(', '))} |`);
  }
  return lines;
}

/** The codebook on its own, as Markdown: the table, then each code's description in full. */
export function renderCodebookMarkdown(input: ReportInput): string {
  const { project } = input;
  const { counts } = analysisOf(input);
  const lines = [`# Codebook: ${escapeMarkdown(project.project.name)}`, '', ...codebookTable(project, counts), ''];
  const described = codebookOrder(project).filter((c) => c.description);
  if (described.length) {
    lines.push('## Definitions', '');
    for (const code of described) lines.push(`**${escapeMarkdown(codePath(project, code.id).join(' › '))}**: ${cell(code.description!)}`, '');
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** The codebook as CSV: one row per code in tree order. */
export function renderCodebookCsv(input: ReportInput): string {
  const { project } = input;
  const { counts } = analysisOf(input);
  const rows: (string | number)[][] = [['code', 'path', 'category', 'description', 'color', 'focused', 'segments', 'documents', 'segments with subcodes', 'documents with subcodes', 'coders', 'created', 'created by', 'id']];
  for (const code of codebookOrder(project)) {
    const c = counts.get(code.id)!;
    const path = codePath(project, code.id);
    rows.push([code.name, path.join(' > '), path.slice(0, -1).join(' > '), code.description ?? '', code.color, code.focused ? 'yes' : '', c.segments, c.documents, c.totalSegments, c.totalDocuments, c.coders.join('; '), code.created, code.createdBy, code.id]);
  }
  return csv(rows);
}

/** Codes in tree order (depth first, siblings by name). */
function codebookOrder(project: ProjectFile): Code[] {
  const out: Code[] = [];
  const walk = (parent?: string) => {
    for (const c of childrenOf(project, parent)) {
      out.push(c);
      walk(c.id);
    }
  };
  walk();
  return out;
}

function methods(input: ReportInput): string[] {
  const { project } = input;
  const coders = new Map<string, number>();
  let first: string | undefined;
  let last: string | undefined;
  for (const d of input.documents) {
    for (const c of d.codings) {
      coders.set(c.coder, (coders.get(c.coder) ?? 0) + 1);
      if (!first || c.created < first) first = c.created;
      if (!last || c.created > last) last = c.created;
    }
  }
  const lines = ['## Methods appendix', '', '| Document | Case | Codings |', '| --- | --- | --: |'];
  for (const d of [...input.documents].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    lines.push(`| ${cell(d.path)} | ${cell(caseOf(project, d.path)?.pseudonym ?? '')} | ${d.codings.length} |`);
  }
  lines.push('', `Coders: ${[...coders].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, n]) => `${escapeMarkdown(name)} (${n} codings)`).join(', ') || 'none'}.`);
  if (first && last) lines.push('', `Coding dates: ${first.slice(0, 10)} to ${last.slice(0, 10)}.`);
  return lines;
}

function cell(text: string): string {
  return escapeMarkdown(text).replace(/\n+/g, ' '); // escapeMarkdown escapes | already
}

export { escapeHtml };

/**
 * The report as a standalone HTML page. Every piece of text from the project (names, quotes, memos)
 * is escaped, so nothing in a transcript or memo can become markup or script.
 */
export function renderReportHtml(input: ReportInput): string {
  const IMAGE = 'saturation.svg';
  const md = renderReportMarkdown(input, { saturationImage: IMAGE });
  const chart = () => saturationSvg(reportSaturation(input)).replace(/^<svg /, '<svg class="chart" ').trimEnd();
  const body: string[] = [];
  let table: string[][] | undefined;
  let quote: string[] | undefined;
  const inline = (s: string) =>
    escapeHtml(s.replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1')).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  const flush = () => {
    if (table) {
      const [head, , ...rows] = table;
      body.push('<table>', `<thead><tr>${head.map((h) => `<th>${inline(h)}</th>`).join('')}</tr></thead>`, '<tbody>');
      for (const r of rows) body.push(`<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`);
      body.push('</tbody></table>');
      table = undefined;
    }
    if (quote) {
      body.push(`<blockquote>${quote.map((l) => (l ? `<p>${inline(l)}</p>` : '')).join('')}</blockquote>`);
      quote = undefined;
    }
  };
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      (table ??= []).push(line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|')));
      continue;
    }
    if (line.startsWith('>')) {
      (quote ??= []).push(line.replace(/^> ?/, ''));
      continue;
    }
    flush();
    if (line === `![New codes per transcript](${IMAGE})`) {
      body.push(chart());
      continue;
    }
    const h = /^(#{1,6}) (.*)$/.exec(line);
    if (h) body.push(`<h${h[1].length}>${inline(h[2])}</h${h[1].length}>`);
    else if (line.trim()) body.push(`<p>${inline(line)}</p>`);
  }
  flush();
  const title = escapeHtml(input.project.project.name);
  return `<!DOCTYPE html>\n<html lang="${escapeHtml(input.project.settings.reportLanguage ?? 'en')}">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}blockquote{border-left:4px solid #999;margin:1rem 0;padding:0 1rem;color:#333}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}.chart{max-width:100%;height:auto}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

/** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
function csvField(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: readonly (readonly (string | number | undefined)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * Every coded segment, one row per coding: document, case, speaker, code path, quote, translation,
 * coder, dates. Codings in excluded speakers' turns and orphans are kept and marked, so the table is
 * complete; a duplicate (the same coder's same code on the same span again) and, in blind mode,
 * another coder's coding are not rows, as they are not in any count.
 */
export function renderCodingsCsv(input: ReportInput): string {
  const { leftOut } = analysisOf(input);
  const rows = [['document', 'case', 'speaker', 'code', 'quote', 'translation', 'translation language', 'translator', 'coder', 'created', 'start', 'end', 'note', 'representative', 'orphaned', 'excluded speaker', 'coding id']];
  const paths = new Map<string, string>();
  const pathOf = (codeId: string) => {
    let p = paths.get(codeId);
    if (p === undefined) paths.set(codeId, (p = codePath(input.project, codeId).join(' > ') || codeId));
    return p;
  };
  for (const d of [...input.documents].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const text = input.textOf?.(d.path);
    const turns = text === undefined ? [] : speakerTurns(text);
    const pseudonym = caseOf(input.project, d.path)?.pseudonym ?? '';
    const rowsOf = d.codings.filter((c) => leftOut.get(c.id) !== 'duplicate' && leftOut.get(c.id) !== 'hidden');
    for (const c of rowsOf.sort((a, b) => a.anchor.start - b.anchor.start || (a.id < b.id ? -1 : 1))) {
      const turn = c.orphaned ? -1 : turnIndexAt(turns, c.anchor.start);
      rows.push([
        d.path,
        pseudonym,
        turn >= 0 ? turns[turn].speaker : '',
        pathOf(c.codeId),
        c.anchor.quote,
        c.translation?.text ?? '',
        c.translation?.language ?? '',
        c.translation?.translator ?? '',
        c.coder,
        c.created,
        String(c.anchor.start),
        String(c.anchor.end),
        c.note ?? '',
        c.representative ?? '',
        c.orphaned ? 'yes' : '',
        leftOut.get(c.id) === 'excludedSpeaker' ? 'yes' : '',
        c.id,
      ]);
    }
  }
  return csv(rows);
}
