// The report of a study: for each category its memo, its codes with descriptions and counts, and its
// representative quotes (translated where a translation exists) attributed by pseudonym only; the
// codebook; a methods appendix. Rendered as Markdown, HTML or CSV (one row per coding). Pure: the
// caller supplies the project, the codings and the memos.
import type { Case, Code, Coding, Memo, ProjectFile } from './model';
import type { DocumentCodings } from './codebook';
import { childrenOf, codePath } from './project';
import { descendantsOf } from './codebook';
import type { CodeCounts } from './codebook';
import { analyse, relationRows } from './analysis';
import type { Analysis } from './analysis';
import { BUILTIN_RELATION_TYPES } from './model';
import { escapeMarkdown } from './segmentList';
import { casesByDocument } from './cases';
import { escapeHtml } from './html';
import { memoMarkdownForReport, renderMemoMarkdown } from './markdown';
import { resolveCodeLink } from './memoLinks';
import type { MemoLink } from './memoLinks';
import { reportText } from './reportText';
import { historySummary } from './codebookHistory';
import type { HistoryEvent } from './codebookHistory';

import { speakerTurns, turnIndexAt } from './speakers';
import type { Turn } from './speakers';
import { CELL_AS_IS, CELL_QUOTED, csvCell, csvCellShape, csvRow, writeCsv } from './csv';
import type { CsvValue } from './csv';
import { PRINT_COLORS, saturation, saturationSvg } from './saturation';
import { mapFileNames, renderMapSvg } from './mapSvg';
import { mapsByName } from './maps';
import type { PseudonymPass } from './pseudonyms';
import type { SaturationStep } from './saturation';
import { aiSummary, isUncountedSuggestion } from './suggestions';

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
  /** the speaker turns of a transcript, when the caller keeps them (core/analysis.ts AnalysisInput.turnsOf) */
  turnsOf?: (path: string) => readonly Turn[] | undefined;
  /**
   * The analysis, when the caller computed it already (an export renders several files from one input,
   * the editor has the session's); otherwise each renderer computes it from the fields above.
   */
  analysis?: Analysis;
  /**
   * The codebook's history from git (src/node/gitHistory.ts), summed up in the methods appendix; left
   * out when there is none (no git, no repository, grounded.json never committed).
   */
  history?: { events: readonly HistoryEvent[]; commits: number };
  /**
   * What a name becomes before it is part of a file name (a theory map's `map-<slug>.svg`): buildExport
   * applies the pseudonym table, so no file is named after a real name. Unchanged without it.
   */
  fileNameText?: (text: string) => string;
}

export interface ReportOptions {
  /** file name of the saturation chart written beside the Markdown report; the HTML report embeds it */
  saturationImage?: string;
  /** the theory maps are written beside the Markdown report as map-<slug>.svg (reportMapFiles): link them */
  mapImages?: boolean;
}

/** The one analysis of the report's input (core/analysis.ts): which codings count, and every number. */
export function analysisOf(input: ReportInput): Analysis {
  return input.analysis ?? analyse({ project: input.project, documents: input.documents, textOf: input.textOf, viewer: input.viewer, turnsOf: input.turnsOf });
}

/** The documents with the codings that count. */
export function analysed(input: ReportInput): readonly DocumentCodings[] {
  return analysisOf(input).documents;
}

/** The saturation steps of the report's input. */
export function reportSaturation(input: ReportInput): SaturationStep[] {
  return [...stepsOf(input)];
}

// The steps of one analysis, computed once: the Markdown and HTML reports and the chart (drawn twice,
// as a file and inside the HTML) all show them. An analysis is never changed after `analyse` made it.
const stepsCache = new WeakMap<Analysis, { project: ProjectFile; steps: readonly SaturationStep[] }>();
function stepsOf(input: ReportInput): readonly SaturationStep[] {
  const analysis = analysisOf(input);
  let cached = stepsCache.get(analysis);
  if (cached?.project !== input.project) stepsCache.set(analysis, (cached = { project: input.project, steps: saturation(input.project, analysis.documents) }));
  return cached.steps;
}

interface Quote {
  coding: Coding;
  code: Code;
  path: string;
  case?: Case;
}

/** Who said it: the case's pseudonym and attributes, never a name. */
function attribution(c: Case): string {
  const attrs = Object.entries(c.attributes)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}: ${v}`);
  return attrs.length ? `${c.pseudonym} (${attrs.join(', ')})` : c.pseudonym;
}

/** The memo about a code, the most recently modified if there are several. */
function memoOf(memos: readonly Memo[], codeId: string): Memo | undefined {
  return memos
    .filter((m) => m.target.kind === 'code' && m.target.id === codeId)
    .sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : 0))[0];
}

/** The codings flagged as representative quotes (not orphaned), in document order: read once per report, not once per category. */
function flaggedCodings(documents: readonly DocumentCodings[]): { coding: Coding; path: string }[] {
  const out: { coding: Coding; path: string }[] = [];
  for (const doc of documents) {
    for (const coding of doc.codings) if (coding.representative && !coding.orphaned && !isUncountedSuggestion(coding)) out.push({ coding, path: doc.path });
  }
  return out;
}

/** Representative quotes of a category: codings flagged in its codes (and the codes below). */
function quotesOf(input: ReportInput, flagged: readonly { coding: Coding; path: string }[], codeIds: ReadonlySet<string>): Quote[] {
  const byId = new Map(input.project.codes.map((c) => [c.id, c]));
  const caseOf = casesByDocument(input.project);
  const out: Quote[] = [];
  for (const { coding, path } of flagged) {
    if (!codeIds.has(coding.codeId)) continue;
    out.push({ coding, code: byId.get(coding.codeId)!, path, case: caseOf(path) });
  }
  // quotes flagged for the category first, then those of single codes; each group by document and position
  const rank = (q: Quote) => (q.coding.representative === 'category' ? 0 : 1);
  return out.sort((a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.coding.anchor.start - b.coding.anchor.start));
}

/** The memo about a relation, the most recently modified if there are several. */
function relationMemoOf(memos: readonly Memo[], relationId: string): Memo | undefined {
  return memos
    .filter((m) => m.target.kind === 'relation' && m.target.id === relationId)
    .sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : 0))[0];
}

/**
 * The Relations section, only when the project has relations: each as "A — is cause of → B" (a symmetric
 * type "A — contradicts — B"), its label, its memo, and its evidence quotes attributed by pseudonym as the
 * representative quotes are. The numbers are the analysis's (analysis.ts relationRows).
 */
function relationBlocks(input: ReportInput): Block[] {
  const rows = relationRows(analysisOf(input));
  if (!rows.length) return [];
  const { project } = input;
  const t = reportText(project.settings.reportLanguage);
  const out: Block[] = [{ kind: 'heading', level: 2, text: t.relations }, { kind: 'paragraph', spans: [t.relationsIntro] }];
  const caseOf = casesByDocument(project);
  for (const row of rows) {
    const builtin = BUILTIN_RELATION_TYPES.findIndex((b) => b.id === row.type.id && b.name === row.type.name);
    const typeName = builtin >= 0 ? t.builtinRelationTypes[builtin] : row.type.name;
    const arrow = row.type.direction === 'symmetric' ? '—' : '→';
    out.push({ kind: 'heading', level: 3, text: `${row.source.code.name} — ${typeName} ${arrow} ${row.target.code.name}`, id: `relation-${row.relation.id}` });
    if (row.relation.label) out.push({ kind: 'paragraph', spans: [row.relation.label] });
    out.push({ kind: 'paragraph', spans: [t.evidence(row.evidence.length)] });
    const memo = relationMemoOf(input.memos, row.relation.id);
    if (memo) out.push({ kind: 'memo', memo, depth: 3, labelled: true });
    for (const { coding, path } of row.evidence) {
      const code = project.codes.find((c) => c.id === coding.codeId)!;
      const q: Quote = { coding, code, path, case: caseOf(path) };
      const paragraphs = [quoteText(q), `— ${q.case ? attribution(q.case) : t.unattributed}; ${code.name}`];
      const tr = coding.translation;
      if (tr) paragraphs.push(`${t.original(project.settings.language ?? t.source, tr.language, tr.translator)}: ${coding.anchor.quote}`);
      out.push({ kind: 'quote', paragraphs });
    }
  }
  return out;
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

// The report is built once as blocks of plain text, then written as Markdown or as HTML: each writer
// escapes for its own format, and a memo's Markdown is rendered by the board's renderer (core/markdown.ts).
type Span = string | { strong: string };
type Block =
  | { kind: 'heading'; level: number; text: string; id?: string }
  | { kind: 'paragraph'; spans: Span[] }
  /** `numeric`: the columns of numbers, right-aligned in Markdown */
  | { kind: 'table'; head: string[]; numeric: number[]; rows: string[][]; rowIds?: (string | undefined)[] }
  | { kind: 'quote'; paragraphs: string[] }
  /** a memo under a heading of level `depth`; labelled with "Memo (author, date):" unless it is the project's */
  | { kind: 'memo'; memo: Memo; depth: number; labelled: boolean }
  | { kind: 'chart'; alt: string }
  /** a theory map as a figure: inline SVG in HTML, a link to its file (reportMapFiles) in Markdown */
  | { kind: 'map'; mapId: string; file: string; caption: string };

/** The in-page anchor of a code in the HTML report: its section if it has one, else its codebook row. */
const anchorOf = (code: Code) => `code-${code.id}`;

// The blocks of one input, built once when an export renders both the Markdown and the HTML report
// (buildExport passes the same input object, with its analysis, to both).
const blocksCache = new WeakMap<ReportInput, Block[]>();
function reportBlocks(input: ReportInput): Block[] {
  if (!input.analysis) return buildReportBlocks(input);
  let blocks = blocksCache.get(input);
  if (!blocks) blocksCache.set(input, (blocks = buildReportBlocks(input)));
  return blocks;
}

function buildReportBlocks(input: ReportInput): Block[] {
  const { project } = input;
  const { documents, counts } = analysisOf(input);
  const t = reportText(project.settings.reportLanguage);
  const out: Block[] = [{ kind: 'heading', level: 1, text: project.project.name }];
  const projectMemo = input.memos.filter((m) => m.target.kind === 'project').sort((a, b) => (a.modified < b.modified ? 1 : -1))[0];
  if (projectMemo) out.push({ kind: 'memo', memo: projectMemo, depth: 1, labelled: false });
  const { categories: cats, loose } = categories(project);
  const flagged = flaggedCodings(documents);
  const section = (code: Code, depth: number): void => {
    const c = counts.get(code.id)!;
    out.push({ kind: 'heading', level: Math.min(depth, 6), text: code.name, id: anchorOf(code) });
    if (code.description) out.push({ kind: 'paragraph', spans: [code.description] });
    out.push({ kind: 'paragraph', spans: [t.counts(c.totalSegments, c.totalDocuments)] });
    const memo = memoOf(input.memos, code.id);
    if (memo) out.push({ kind: 'memo', memo, depth, labelled: true });
    const subs = childrenOf(project, code.id);
    if (subs.length) {
      const rows = subs.map((s) => [s.name, s.description ?? '', String(counts.get(s.id)!.totalSegments), String(counts.get(s.id)!.totalDocuments)]);
      out.push({ kind: 'table', head: [t.code, t.description, t.segments, t.documents], numeric: [2, 3], rows });
    }
    const quotes = quotesOf(input, flagged, new Set([code.id, ...descendantsOf(project, code.id)]));
    if (quotes.length) out.push({ kind: 'paragraph', spans: [t.representativeQuotes] });
    for (const q of quotes) {
      const of = q.coding.representative === 'category' && q.code.id !== code.id ? t.forCategory(q.code.name) : q.code.name;
      const paragraphs = [quoteText(q), `— ${q.case ? attribution(q.case) : t.unattributed}; ${of}`];
      const tr = q.coding.translation;
      if (tr) paragraphs.push(`${t.original(project.settings.language ?? t.source, tr.language, tr.translator)}: ${q.coding.anchor.quote}`);
      out.push({ kind: 'quote', paragraphs });
    }
  };
  for (const cat of cats) section(cat, 2);
  if (loose.length) {
    out.push({ kind: 'heading', level: 2, text: t.looseCodes });
    for (const code of loose) section(code, 3);
  }
  out.push(...mapBlocks(input));
  out.push(...relationBlocks(input));
  out.push(...saturationBlocks(input, stepsOf(input)));
  out.push({ kind: 'heading', level: 2, text: t.codebook }, codebookTable(project, counts, true));
  out.push(...methods(input));
  return out;
}

/**
 * The maps of the report: each map with a code of the codebook on it, by name (maps.ts mapsByName),
 * with the file name it is written under beside the Markdown report (mapSvg.ts mapFileNames).
 */
function reportMaps(project: ProjectFile, fileNameText?: (text: string) => string): { id: string; name: string; file: string }[] {
  const maps = mapsByName(project);
  const files = mapFileNames(maps, fileNameText);
  const codes = new Set(project.codes.map((c) => c.id));
  return maps.filter((m) => m.nodes.some((n) => codes.has(n.code))).map((m) => ({ id: m.id, name: m.name, file: files.get(m.id)! }));
}

/** The Theory maps section, right before the Relations: a figure per map, captioned with its name. */
function mapBlocks(input: ReportInput): Block[] {
  const maps = reportMaps(input.project, input.fileNameText);
  if (!maps.length) return [];
  const t = reportText(input.project.settings.reportLanguage);
  return [{ kind: 'heading', level: 2, text: t.theoryMaps }, ...maps.map((m): Block => ({ kind: 'map', mapId: m.id, file: m.file, caption: `${t.theoryMap}: ${m.name}` }))];
}

/**
 * The theory maps as SVG files to write beside the Markdown report (`map-<slug>.svg`, which it links
 * when rendered with `mapImages`), drawn with the report's analysis and language; none without maps.
 */
export function reportMapFiles(input: ReportInput): { name: string; text: string }[] {
  const analysis = analysisOf(input);
  return reportMaps(input.project, input.fileNameText).map((m) => ({ name: m.file, text: renderMapSvg(input.project, analysis, m.id) }));
}

function saturationBlocks(input: ReportInput, steps: readonly SaturationStep[]): Block[] {
  if (!steps.length) return [];
  const t = reportText(input.project.settings.reportLanguage);
  const names = new Map(input.project.codes.map((c) => [c.id, c.name]));
  const rows = steps.map((s, i) => {
    const fresh = s.newCodeIds.map((id) => names.get(id) ?? id);
    return [String(i + 1), s.path, s.pseudonym ?? '', s.firstCoded.slice(0, 10), String(s.codes), `${fresh.length}${fresh.length ? `: ${fresh.join(', ')}` : ''}`, String(s.cumulative)];
  });
  return [
    { kind: 'heading', level: 2, text: t.saturation },
    { kind: 'paragraph', spans: [t.saturationIntro] },
    { kind: 'chart', alt: t.chartTitle },
    { kind: 'table', head: ['#', t.transcript, t.case, t.firstCoded, t.codes, t.newCodes, t.codesSoFar], numeric: [0, 4, 6], rows },
  ];
}

/** The codebook as a table: code, category path, description, segments, documents, coders; in the report, rows carry anchors. */
function codebookTable(project: ProjectFile, counts: ReadonlyMap<string, CodeCounts>, anchors = false): Block {
  const t = reportText(project.settings.reportLanguage);
  const order = codebookOrder(project);
  const rows = order.map((code) => {
    const c = counts.get(code.id)!;
    return [code.name, codePath(project, code.id).slice(0, -1).join(' › '), code.description ?? '', String(c.segments), String(c.documents), c.coders.join(', ')];
  });
  // top-level codes have their own section to link to; the others are found in the codebook
  const rowIds = anchors ? order.map((code) => (code.parent ? anchorOf(code) : undefined)) : undefined;
  return { kind: 'table', head: [t.code, t.category, t.description, t.segments, t.documents, t.coders], numeric: [3, 4], rows, rowIds };
}

/** The codebook on its own, as Markdown: the table, then each code's description in full. */
export function renderCodebookMarkdown(input: ReportInput): string {
  const { project } = input;
  const { counts } = analysisOf(input);
  const t = reportText(project.settings.reportLanguage);
  const blocks: Block[] = [{ kind: 'heading', level: 1, text: t.codebookOf(project.project.name) }, codebookTable(project, counts)];
  const described = codebookOrder(project).filter((c) => c.description);
  if (described.length) {
    blocks.push({ kind: 'heading', level: 2, text: t.definitions });
    for (const code of described) blocks.push({ kind: 'paragraph', spans: [{ strong: codePath(project, code.id).join(' › ') }, `: ${code.description!.replace(/\n+/g, ' ')}`] });
  }
  return toMarkdown(input, blocks, {});
}

/** The codebook as CSV: one row per code in tree order. */
export function renderCodebookCsv(input: ReportInput): string {
  const { project } = input;
  const { counts } = analysisOf(input);
  const rows: CsvValue[][] = [['code', 'path', 'category', 'description', 'color', 'focused', 'segments', 'documents', 'segments with subcodes', 'documents with subcodes', 'coders', 'created', 'created by', 'id']];
  for (const code of codebookOrder(project)) {
    const c = counts.get(code.id)!;
    const path = codePath(project, code.id);
    rows.push([code.name, path.join(' > '), path.slice(0, -1).join(' > '), code.description ?? '', code.color, code.focused ? 'yes' : '', c.segments, c.documents, c.totalSegments, c.totalDocuments, c.coders.join('; '), code.created, code.createdBy, code.id]);
  }
  return writeCsv(rows);
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

function methods(input: ReportInput): Block[] {
  const { project } = input;
  const t = reportText(project.settings.reportLanguage);
  const coders = new Map<string, number>();
  let first: string | undefined;
  let last: string | undefined;
  // A pending or rejected AI suggestion is no coding (core/suggestions.ts); the AI appendix below counts them.
  const stored = (d: DocumentCodings) => (d.codings.some(isUncountedSuggestion) ? d.codings.filter((c) => !isUncountedSuggestion(c)) : d.codings);
  for (const d of input.documents) {
    for (const c of stored(d)) {
      coders.set(c.coder, (coders.get(c.coder) ?? 0) + 1);
      if (!first || c.created < first) first = c.created;
      if (!last || c.created > last) last = c.created;
    }
  }
  const caseOf = casesByDocument(project);
  const rows = [...input.documents].sort((a, b) => (a.path < b.path ? -1 : 1)).map((d) => [d.path, caseOf(d.path)?.pseudonym ?? '', String(stored(d).length)]);
  const out: Block[] = [
    { kind: 'heading', level: 2, text: t.methods },
    { kind: 'table', head: [t.document, t.case, t.codings], numeric: [2], rows },
    { kind: 'paragraph', spans: [t.codersLine([...coders].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, codings]) => ({ name, codings })))] },
  ];
  if (first && last) out.push({ kind: 'paragraph', spans: [t.codingDates(first.slice(0, 10), last.slice(0, 10))] });
  if (input.history && input.history.commits > 0) out.push({ kind: 'paragraph', spans: [t.historyLine(historySummary(input.history.events, input.history.commits))] });
  out.push(...aiAppendix(input));
  return out;
}

/**
 * The methods appendix's part on AI suggestions (none without them): which models suggested how many
 * codings, how many were accepted (changed), rejected or are pending, and the human-AI agreement.
 */
function aiAppendix(input: ReportInput): Block[] {
  if (!input.documents.some((d) => d.codings.some((c) => c.suggestion))) return [];
  const t = reportText(input.project.settings.reportLanguage);
  const summary = aiSummary(
    input.documents.map((d) => ({ path: d.path, length: input.textOf?.(d.path)?.length, codings: d.codings })),
    { codes: input.project.codes },
  );
  const percent = (x: number) => `${t.decimal(x * 100, 1)} %`;
  const out: Block[] = [
    { kind: 'heading', level: 3, text: t.aiSuggestions },
    { kind: 'paragraph', spans: [t.aiIntro] },
    {
      kind: 'table',
      head: [t.model, t.suggested, t.accepted, t.changed, t.rejected, t.pending],
      numeric: [1, 2, 3, 4, 5],
      rows: summary.models.map((m) => [m.model, String(m.suggested), String(m.accepted), String(m.changed), String(m.rejected), String(m.pending)]),
    },
  ];
  if (summary.agreement.length) {
    out.push(
      { kind: 'paragraph', spans: [t.aiAgreementIntro(summary.overlap)] },
      {
        kind: 'table',
        head: [t.aiCoder, t.humanCoder, t.kappa, t.characterAgreement, t.segmentAgreement],
        numeric: [2, 3, 4],
        rows: summary.agreement.map((a) => [a.ai, a.human, t.decimal(a.kappa, 2), percent(a.agreement), `${percent(a.segmentAgreement)} (${a.segments.agreed}/${a.segments.segments})`]),
      },
    );
  }
  return out;
}

/** What a memo link reads as in the report: its label, else the code's name, the quote, the path, or the memo's subject. */
function memoLinkReader(input: ReportInput): (link: MemoLink) => { text: string; href?: string } {
  const t = reportText(input.project.settings.reportLanguage);
  const codingById = (id: string) => {
    for (const d of input.documents) for (const c of d.codings) if (c.id === id) return c;
    return undefined;
  };
  const quoted = (c: Coding) => `“${shorten(c.translation?.text ?? c.anchor.quote, 60)}”`;
  const about = (m: Memo): string => {
    const target = m.target;
    if (target.kind === 'project') return input.project.project.name;
    if (target.kind === 'document') return target.path;
    if (target.kind === 'code') return input.project.codes.find((c) => c.id === target.id)?.name ?? target.id;
    if (target.kind === 'relation') {
      const r = input.project.relations?.find((x) => x.id === target.id);
      const name = (id: string) => input.project.codes.find((c) => c.id === id)?.name ?? id;
      return r ? `${name(r.source)} — ${name(r.target)}` : target.id;
    }
    const c = codingById(target.id);
    return c ? quoted(c) : target.id;
  };
  return (link) => {
    const code = link.kind === 'code' ? resolveCodeLink(input.project, link.ref) : undefined;
    const href = code ? `#${anchorOf(code)}` : undefined;
    if (link.label !== link.ref) return { text: link.label, href };
    if (code) return { text: code.name, href };
    if (link.kind === 'coding') {
      const c = codingById(link.ref);
      if (c) return { text: quoted(c) };
    }
    if (link.kind === 'memo') {
      const m = input.memos.find((k) => k.id === link.ref);
      if (m) return { text: t.memoOn(about(m)) };
    }
    return { text: link.ref };
  };
}

/** At most `max` characters (code points), with an ellipsis when cut; line breaks as spaces. */
function shorten(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

function toMarkdown(input: ReportInput, blocks: readonly Block[], options: ReportOptions): string {
  const t = reportText(input.project.settings.reportLanguage);
  const reader = memoLinkReader(input);
  const linkText = (link: MemoLink) => escapeMarkdown(reader(link).text);
  const spans = (s: readonly Span[]) => s.map((x) => (typeof x === 'string' ? escapeMarkdown(x) : `**${escapeMarkdown(x.strong)}**`)).join('');
  const parts: string[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading') parts.push(`${'#'.repeat(b.level)} ${cell(b.text)}`);
    else if (b.kind === 'paragraph') parts.push(spans(b.spans));
    else if (b.kind === 'quote') parts.push(b.paragraphs.map((p) => `> ${cell(p)}`).join('\n>\n'));
    else if (b.kind === 'chart') {
      if (options.saturationImage) parts.push(`![${escapeMarkdown(b.alt)}](${options.saturationImage})`);
    } else if (b.kind === 'map') {
      if (options.mapImages) parts.push(`![${escapeMarkdown(b.caption)}](${b.file})\n\n*${escapeMarkdown(b.caption)}*`);
      else parts.push(`*${escapeMarkdown(b.caption)}*`);
    } else if (b.kind === 'table') {
      const align = b.head.map((_, i) => (b.numeric.includes(i) ? '--:' : '---'));
      // the head and the alignment row are our own words; only the rows hold project text
      parts.push([b.head, align, ...b.rows].map((r, i) => `| ${(i < 2 ? r : r.map(cell)).join(' | ')} |`).join('\n'));
    } else {
      const body = memoMarkdownForReport(b.memo.body.trim(), b.depth, linkText);
      if (!b.labelled) parts.push(body);
      else parts.push(`**${t.memo}** (${escapeMarkdown(b.memo.author)}, ${b.memo.modified.slice(0, 10)}):`, body.split('\n').map((l) => `> ${l}`).join('\n'));
    }
  }
  return `${parts.join('\n\n')}\n`;
}

/** The report as Markdown. */
export function renderReportMarkdown(input: ReportInput, options: ReportOptions = {}): string {
  return toMarkdown(input, reportBlocks(input), options);
}

function cell(text: string): string {
  return escapeMarkdown(text).replace(/\n+/g, ' '); // escapeMarkdown escapes | already
}

export { escapeHtml };

/** The saturation chart of the report's input, its words in the report language. */
export function renderSaturationSvg(input: ReportInput): string {
  const t = reportText(input.project.settings.reportLanguage);
  return saturationSvg(stepsOf(input), PRINT_COLORS, t.chartTitle, { newCodes: t.chartNewCodes, codesSoFar: t.chartCodesSoFar, bar: t.chartBar });
}

/**
 * The report as a standalone HTML page. Every piece of text from the project (names, quotes) is
 * escaped, and memos go through the board's Markdown renderer, which lets no raw HTML or unsafe link
 * through: nothing in a transcript or memo can become script.
 */
export function renderReportHtml(input: ReportInput): string {
  const t = reportText(input.project.settings.reportLanguage);
  const reader = memoLinkReader(input);
  const esc = (s: string) => escapeHtml(s);
  const spans = (s: readonly Span[]) => s.map((x) => (typeof x === 'string' ? esc(x) : `<strong>${esc(x.strong)}</strong>`)).join('');
  const body: string[] = [];
  let hasMaps = false;
  for (const b of reportBlocks(input)) {
    if (b.kind === 'heading') body.push(`<h${b.level}${b.id ? ` id="${esc(b.id)}"` : ''}>${esc(b.text)}</h${b.level}>`);
    else if (b.kind === 'paragraph') body.push(`<p>${spans(b.spans)}</p>`);
    else if (b.kind === 'quote') body.push(`<blockquote>${b.paragraphs.map((p) => `<p>${esc(p)}</p>`).join('')}</blockquote>`);
    else if (b.kind === 'chart') body.push(renderSaturationSvg(input).replace(/^<svg /, '<svg class="chart" ').trimEnd());
    else if (b.kind === 'map') {
      hasMaps = true;
      body.push(`<figure class="map" id="map-${esc(b.mapId)}">\n${renderMapSvg(input.project, analysisOf(input), b.mapId).trimEnd()}\n<figcaption>${esc(b.caption)}</figcaption>\n</figure>`);
    } else if (b.kind === 'table') {
      body.push('<table>', `<thead><tr>${b.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>`, '<tbody>');
      b.rows.forEach((r, i) => {
        const id = b.rowIds?.[i];
        body.push(`<tr${id ? ` id="${esc(id)}"` : ''}>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`);
      });
      body.push('</tbody></table>');
    } else {
      if (b.labelled) body.push(`<p><strong>${esc(t.memo)}</strong> (${esc(b.memo.author)}, ${esc(b.memo.modified.slice(0, 10))}):</p>`);
      body.push(`<div class="memo">\n${renderMemoMarkdown(b.memo.body.trim(), { headingOffset: b.depth, link: reader }).trimEnd()}\n</div>`);
    }
  }
  const title = esc(input.project.project.name);
  const style =
    'body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}blockquote,.memo{border-left:4px solid #999;margin:1rem 0;padding:0 1rem;color:#333}.memo{border-color:#ccc}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}.chart{max-width:100%;height:auto}' +
    (hasMaps ? 'figure.map{margin:1rem 0}figure.map svg{max-width:100%;height:auto}figcaption{font-style:italic}' : '');
  return `<!DOCTYPE html>\n<html lang="${esc(input.project.settings.reportLanguage ?? 'en')}">\n<head>\n<meta charset="utf-8">\n<title>${title}</title>\n<style>${style}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

/**
 * Every coded segment, one row per coding: document, case, speaker, code path, quote, translation,
 * coder, dates. Codings in excluded speakers' turns and orphans are kept and marked, so the table is
 * complete; a duplicate (the same coder's same code on the same span again) and, in blind mode,
 * another coder's coding are not rows, as they are not in any count.
 */
export function renderCodingsCsv(input: ReportInput): string {
  return writeCodingsCsv(input).text;
}

/**
 * The segments CSV with the pseudonym table applied as it is written (core/pseudonyms.ts
 * PseudonymPass): the same text as applyPseudonyms gives on renderCodingsCsv's, and in `realNames` the
 * start and end offsets of the real names left, as findRealNames finds them in that text.
 */
export function renderCodingsCsvWith(input: ReportInput, pass: PseudonymPass): { text: string; realNames: number[] } {
  return writeCodingsCsv(input, pass);
}

/**
 * The same text as renderCodingsCsvWith, given to `sink` a document's rows at a time instead of joined
 * (a large export's 40 MB CSV is then never one string): each piece with the real names left in it,
 * as offsets in the whole text.
 */
export function streamCodingsCsvWith(input: ReportInput, pass: PseudonymPass, sink: (text: string, realNames: readonly number[]) => void): void {
  writeCodingsCsv(input, pass, sink);
}

/** A timestamp as sidecars hold it (csvCell leaves it as it is). */
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/;
/** An offset written as digits only. */
const isOffset = (n: number) => Number.isSafeInteger(n) && n >= 0;

const CODINGS_HEADER = csvRow(['document', 'case', 'speaker', 'code', 'quote', 'translation', 'translation language', 'translator', 'coder', 'created', 'start', 'end', 'note', 'representative', 'orphaned', 'excluded speaker', 'coding id']);

/**
 * The CSV written as pieces into one array joined once (rows of cells joined first, then the rows, was
 * most of a large export). With a pseudonym pass every piece goes through it: a piece is one cell's
 * text or a few neighbouring cells with their commas (a name crosses no comma or quote). A cell that
 * csvCell writes as its text between two quotes (a comma or line break in it, no quote) puts that
 * text through the pass as it is, between two quotes of our own: the pass gives the same there (a
 * quote is no letter, white space or part of a name), without making the cell's string first. Between
 * rows a name can cross the line end (white space) from a row's last cell into the next row's first:
 * when the pass says a name could still match where the last cell ended (`openAtEnd`), the two go
 * through it again together with the line end. The pieces that repeat (the document's path; case,
 * speaker and code; translation language, translator and coder; the flags) go through it once per
 * value, and a timestamp and offsets not at all when no name begins with a digit.
 */
function writeCodingsCsv(input: ReportInput, pass?: PseudonymPass, sink?: (text: string, realNames: readonly number[]) => void): { text: string; realNames: number[] } {
  const { leftOut } = analysisOf(input);
  const caseOf = casesByDocument(input.project);
  /**
   * the text of the rows so far, in parts: a document's rows each for a sink; else joined every 8,192
   * pieces (some 300,000 characters), so that the pieces die young and each part is large enough for
   * V8 to place it apart from young objects, where no scavenge copies it (a part per document was slower)
   */
  const done: string[] = [];
  let out: string[] = [];
  let realNames: number[] = [];
  /** a document's rows are done: kept, or given to the sink with their names (a row never spans two pieces of the sink) */
  const flush = (end = false) => {
    if (!sink && !end && out.length < 8192) return;
    const text = out.join('');
    out = [];
    if (!sink) done.push(text);
    else {
      sink(text, realNames);
      realNames = [];
    }
  };
  let length = 0;
  interface Piece {
    text: string;
    /** the real names left in it, as start and end offsets in `text` */
    names: number[];
  }
  const piece = (text: string): Piece => {
    const names: number[] = [];
    return { text: pass ? pass.apply(text, 0, names) : text, names };
  };
  const put = (text: string) => {
    if (text === '') return;
    if (!pass) out.push(text);
    else {
      const applied = pass.apply(text, length, realNames);
      out.push(applied);
      length += applied.length;
    }
  };
  /** a piece of our own punctuation, which no name holds */
  const mark = (text: string) => {
    out.push(text);
    length += text.length;
  };
  const emit = (p: Piece) => {
    for (const x of p.names) realNames.push(x + length);
    out.push(p.text);
    length += p.text.length;
  };
  /** a cell of project text, as csvCell writes it */
  const cellOf = (value: string | undefined) => {
    if (value === undefined || value === '') return;
    const shape = csvCellShape(value);
    if (shape === CELL_AS_IS) put(value);
    else if (shape === CELL_QUOTED) {
      mark('"');
      put(value);
      mark('"');
    } else put(csvCell(value));
  };
  const often = new Map<string, Piece>();
  const oftenPiece = (text: string) => {
    let p = often.get(text);
    if (!p) often.set(text, (p = piece(text)));
    return p;
  };
  const flags: (Piece | undefined)[] = [];
  /** the last cell of the row before (the header line, for the first row), waiting for the line end and the next row's first cell */
  let last = CODINGS_HEADER;
  const paths = new Map<string, string>();
  const pathOf = (codeId: string) => {
    let p = paths.get(codeId);
    if (p === undefined) paths.set(codeId, (p = csvCell(codePath(input.project, codeId).join(' > ') || codeId)));
    return p;
  };
  const REPRESENTATIVE = ['', 'code', 'category'];
  // A timestamp and two offsets hold no word start but at a digit (the letters T and Z and the
  // punctuation follow a digit): when no name begins with a digit, the table changes nothing there.
  let digitsBeginNoName = true;
  for (let d = 48; d <= 57; d++) if (pass?.canBegin(d)) digitsBeginNoName = false;
  for (const d of [...input.documents].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const text = input.turnsOf ? undefined : input.textOf?.(d.path);
    const turns = (input.turnsOf ? input.turnsOf(d.path) : text === undefined ? undefined : speakerTurns(text)) ?? [];
    const path = csvCell(d.path);
    let pathPiece: Piece | undefined;
    const pseudonym = csvCell(caseOf(d.path)?.pseudonym ?? '');
    /** `,case,speaker,code,` by speaker, then code */
    const heads = new Map<string, Map<string, Piece>>();
    /** `,,,coder,` (no translation) by coder */
    const coders = new Map<string, Piece>();
    /** the codings that are rows, and those in an excluded speaker's turn */
    const rowsOf: Coding[] = [];
    const excludedSpeaker = new Set<Coding>();
    for (const c of d.codings) {
      const why = leftOut.get(c.id);
      if (why === 'duplicate' || why === 'hidden' || why === 'suggestion') continue;
      rowsOf.push(c);
      if (why === 'excludedSpeaker') excludedSpeaker.add(c);
    }
    for (const c of rowsOf.sort((a, b) => a.anchor.start - b.anchor.start || (a.id < b.id ? -1 : 1))) {
      const turn = c.orphaned ? -1 : turnIndexAt(turns, c.anchor.start);
      if (!pass) out.push(last, '\r\n', path);
      else {
        // the row's last cell alone, unless a name could go on over the line end into this row's first
        const pieces = out.length;
        const names = realNames.length;
        const at = length;
        put(last);
        if (last === '' || !pass.openAtEnd) {
          mark('\r\n');
          emit((pathPiece ??= piece(path)));
        } else {
          out.length = pieces;
          realNames.length = names;
          length = at;
          put(`${last}\r\n${path}`);
        }
      }
      const speaker = turn >= 0 ? turns[turn].speaker : '';
      let bySpeaker = heads.get(speaker);
      if (!bySpeaker) heads.set(speaker, (bySpeaker = new Map()));
      let head = bySpeaker.get(c.codeId);
      if (!head) bySpeaker.set(c.codeId, (head = piece(`,${pseudonym},${csvCell(speaker)},${pathOf(c.codeId)},`)));
      emit(head);
      cellOf(c.anchor.quote);
      mark(',');
      cellOf(c.translation?.text);
      if (c.translation) emit(oftenPiece(`,${csvCell(c.translation.language)},${csvCell(c.translation.translator)},${csvCell(c.coder)},`));
      else {
        let coder = coders.get(c.coder);
        if (!coder) coders.set(c.coder, (coder = piece(`,,,${csvCell(c.coder)},`)));
        emit(coder);
      }
      if (!pass) out.push(csvCell(c.created), ',', String(c.anchor.start), ',', String(c.anchor.end));
      else if (digitsBeginNoName && TIMESTAMP.test(c.created) && isOffset(c.anchor.start) && isOffset(c.anchor.end)) mark(`${c.created},${c.anchor.start},${c.anchor.end}`);
      else put(`${csvCell(c.created)},${c.anchor.start},${c.anchor.end}`);
      mark(',');
      cellOf(c.note);
      const rep = REPRESENTATIVE.indexOf(c.representative ?? '');
      const excluded = excludedSpeaker.has(c);
      if (rep >= 0) {
        const key = rep * 4 + (c.orphaned ? 2 : 0) + (excluded ? 1 : 0);
        emit((flags[key] ??= piece(`,${REPRESENTATIVE[rep]},${c.orphaned ? 'yes' : ''},${excluded ? 'yes' : ''},`)));
      } else emit(oftenPiece(`,${csvCell(c.representative)},${c.orphaned ? 'yes' : ''},${excluded ? 'yes' : ''},`));
      last = csvCell(c.id);
    }
    flush();
  }
  if (pass) put(`${last}\r\n`);
  else out.push(last, '\r\n');
  flush(true);
  return { text: done.join(''), realNames };
}
