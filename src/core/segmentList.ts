// The segments of one code across every transcript (constant comparison): grouped by document with
// the case's pseudonym, sorted by position, with a little context around each quote, and rendered
// as a readable Markdown page. Pure: the caller supplies the codings and the transcript texts.
import type { Analysis } from './analysis';
import { descendantsOf } from './codebook';
import type { Code, Coding, ProjectFile } from './model';
import { caseOfDocument } from './cases';

/** One coded segment of the listed code (or of one of its subcodes). */
export interface ListedSegment {
  coding: Coding;
  /** the code this coding carries: the listed code or one of its subcodes */
  code: Code;
}

export interface SegmentGroup {
  /** workspace-relative path of the transcript */
  path: string;
  /** the pseudonym of the case this transcript belongs to, if any */
  pseudonym?: string;
  /** by position in the transcript; orphaned codings last */
  segments: ListedSegment[];
}

export interface SegmentList {
  code: Code;
  /** the subcodes whose codings are included (empty for a code that is not a category) */
  subcodes: Code[];
  /** documents with at least one segment, sorted by path */
  groups: SegmentGroup[];
  /** segments that are not orphaned */
  segments: number;
  /** documents with at least one segment that is not orphaned */
  documents: number;
  orphaned: number;
}

/** The pseudonym of the case a transcript belongs to (the first case that lists it). */
export function pseudonymOf(project: ProjectFile, path: string): string | undefined {
  return caseOfDocument(project, path)?.pseudonym;
}

/**
 * Every coding of a code that counts in the analysis, grouped by document, and the code's orphans
 * (listed last, to be re-attached; never counted). For a category, the codings of every code below it
 * are included (unless `includeSubcodes` is false). The numbers are the analysis's own.
 */
export function listSegments(analysis: Pick<Analysis, 'project' | 'documents'>, codeId: string, options: { includeSubcodes?: boolean } = {}): SegmentList {
  const { project } = analysis;
  const code = project.codes.find((c) => c.id === codeId);
  if (!code) throw new Error(`No code with id ${codeId}.`);
  const byId = new Map(project.codes.map((c) => [c.id, c]));
  const subcodes = options.includeSubcodes === false ? [] : descendantsOf(project, codeId).map((id) => byId.get(id)!);
  const wanted = new Set([codeId, ...subcodes.map((c) => c.id)]);
  const groups: SegmentGroup[] = [];
  let segments = 0;
  let orphaned = 0;
  let docs = 0;
  const byPosition = (a: Coding, b: Coding) => a.anchor.start - b.anchor.start || a.anchor.end - b.anchor.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const doc of [...analysis.documents].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const live = doc.codings.filter((c) => wanted.has(c.codeId)).sort(byPosition);
    const lost = doc.orphans.filter((c) => wanted.has(c.codeId)).sort(byPosition);
    if (live.length + lost.length === 0) continue;
    segments += live.length;
    orphaned += lost.length;
    if (live.length > 0) docs++;
    groups.push({ path: doc.path, pseudonym: pseudonymOf(project, doc.path), segments: [...live, ...lost].map((c) => ({ coding: c, code: byId.get(c.codeId)! })) });
  }
  return { code, subcodes, groups, segments, documents: docs, orphaned };
}

/** "3 segments in 2 documents, 1 orphaned" */
export function describeCounts(list: Pick<SegmentList, 'segments' | 'documents' | 'orphaned'>): string {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  const base = `${n(list.segments, 'segment', 'segments')} in ${n(list.documents, 'document', 'documents')}`;
  return list.orphaned ? `${base}, ${list.orphaned} orphaned` : base;
}

/** A quote on one line, whitespace collapsed, cut at a word boundary near `max` characters with an ellipsis. */
export function shortenQuote(quote: string, max = 80): string {
  const flat = quote.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  let cut = flat.lastIndexOf(' ', max - 1);
  if (cut < max / 2) cut = max - 1;
  // never end on the first half of a surrogate pair
  const code = flat.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${flat.slice(0, cut).trimEnd()}…`;
}

/** Where a coding's quote is in a text: its stored offsets if the quote is still there, else the nearest occurrence. */
export function locateQuote(text: string, coding: Coding): { start: number; end: number } | undefined {
  const { start, end, quote } = coding.anchor;
  if (text.slice(start, end) === quote) return { start, end };
  if (!quote) return undefined;
  let best: number | undefined;
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) {
    if (best === undefined || Math.abs(i - start) < Math.abs(best - start)) best = i;
  }
  return best === undefined ? undefined : { start: best, end: best + quote.length };
}

export interface QuoteInContext {
  before: string;
  quote: string;
  after: string;
}

/**
 * The quote with `lines` lines of text around it: the rest of the line it starts on and the `lines`
 * lines before it, the rest of the line it ends on and the `lines` lines after it. Blank lines are
 * not counted, so a transcript with a blank line between turns gives the neighbouring turns.
 */
export function quoteInContext(text: string, start: number, end: number, lines = 1): QuoteInContext {
  let from = text.lastIndexOf('\n', start - 1) + 1;
  for (let n = 0; n < lines && from > 0; ) {
    const prev = text.lastIndexOf('\n', from - 2) + 1;
    if (text.slice(prev, from - 1).trim()) n++;
    from = prev;
  }
  let to = text.indexOf('\n', end);
  if (to === -1) to = text.length;
  for (let n = 0; n < lines && to < text.length; ) {
    let next = text.indexOf('\n', to + 1);
    if (next === -1) next = text.length;
    if (text.slice(to + 1, next).trim()) n++;
    to = next;
  }
  return { before: text.slice(from, start), quote: text.slice(start, end), after: text.slice(end, to) };
}

/**
 * Escapes text for Markdown so that it shows literally: emphasis, links, code, HTML tags and
 * entities, tables. Line starts that would begin a block (headings, lists, quotes) are escaped by
 * `escapeMarkdownLine`.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]{}<>&|~#!]/g, (ch) => {
    if (ch === '<') return '&lt;';
    if (ch === '>') return '&gt;';
    if (ch === '&') return '&amp;';
    return `\\${ch}`;
  });
}

/** Escapes one line of text that starts a Markdown line (a heading, list item, rule, quote or code block would otherwise begin). */
function escapeLineStart(escaped: string): string {
  const lead = /^\s*/.exec(escaped)![0];
  const rest = escaped.slice(lead.length);
  // Leading spaces could make an indented code block: drop them (transcripts rarely mean them).
  const m = /^(\d+)([.)])/.exec(rest);
  if (m) return `${m[1]}\\${m[2]}${rest.slice(m[0].length)}`;
  return /^[-+=]/.test(rest) ? `\\${rest}` : rest;
}

/** Wraps the non-blank middle of an escaped piece in `**`, leaving surrounding spaces outside (or it would not be bold). */
function bold(escaped: string): string {
  const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(escaped)!;
  return m[2] ? `${m[1]}**${m[2]}**${m[3]}` : escaped;
}

/**
 * Markdown lines of a quote in context, as a block quote: the context plain, the quote in bold,
 * transcript line breaks kept.
 */
export function renderQuoteInContext(ctx: QuoteInContext): string[] {
  type Piece = { text: string; strong: boolean };
  const lines: Piece[][] = [[]];
  const add = (text: string, strong: boolean) => {
    text.split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines[lines.length - 1].push({ text: part, strong });
    });
  };
  add(ctx.before, false);
  add(ctx.quote, true);
  add(ctx.after, false);
  // Drop blank lines at both ends, and collapse runs of blank lines into one.
  const rendered = lines.map((pieces) => {
    if (pieces.every((p) => !p.text.trim())) return '';
    const body = pieces.map((p, i) => {
      let t = escapeMarkdown(p.text);
      if (i === 0) t = escapeLineStart(t);
      return p.strong ? bold(t) : t;
    });
    return body.join('').trimEnd();
  });
  while (rendered.length && !rendered[0]) rendered.shift();
  while (rendered.length && !rendered[rendered.length - 1]) rendered.pop();
  // Consecutive transcript lines keep their break (two trailing spaces); blank lines separate paragraphs.
  const out: string[] = [];
  rendered.forEach((line, i) => {
    if (!line) {
      if (out[out.length - 1] !== '>') out.push('>');
    } else out.push(rendered[i + 1] ? `> ${line}  ` : `> ${line}`);
  });
  return out;
}

export interface PageOptions {
  /** the LF text of each transcript (live for open editors), undefined when it cannot be read */
  textOf: (path: string) => string | undefined;
  /** lines of context before and after each quote */
  contextLines?: number;
  /** the codebook, to name the category path of the code */
  codePath?: string[];
}

const date = (iso: string) => iso.slice(0, 10);

/** The segment list as a readable Markdown page: code, description and counts on top, then each document with its quotes in context. */
export function renderSegmentsPage(list: SegmentList, options: PageOptions): string {
  const out: string[] = [];
  out.push(`# ${escapeMarkdown(list.code.name)}`, '');
  if (options.codePath && options.codePath.length > 1) out.push(`*${options.codePath.slice(0, -1).map(escapeMarkdown).join(' › ')}*`, '');
  if (list.code.description) out.push(escapeLineStart(escapeMarkdown(list.code.description)), '');
  let counts = `**${describeCounts(list)}**`;
  if (list.subcodes.length) counts += ` (including the subcodes ${list.subcodes.map((c) => escapeMarkdown(c.name)).join(', ')})`;
  out.push(counts, '');
  for (const group of list.groups) {
    out.push(`## ${escapeMarkdown(group.path)}${group.pseudonym ? ` (${escapeMarkdown(group.pseudonym)})` : ''}`, '');
    const text = options.textOf(group.path);
    group.segments.forEach(({ coding, code }, i) => {
      const meta = [escapeMarkdown(coding.coder), date(coding.created)];
      if (code.id !== list.code.id) meta.unshift(`*${escapeMarkdown(code.name)}*`);
      if (coding.representative) meta.push(`★ representative of its ${coding.representative}`);
      if (coding.orphaned) meta.push('**orphaned**: the words were not found in the current text');
      out.push(`${i + 1}\\. ${meta.join(' · ')}`, '');
      const at = text !== undefined && !coding.orphaned ? locateQuote(text, coding) : undefined;
      const ctx = at && text !== undefined ? quoteInContext(text, at.start, at.end, options.contextLines ?? 1) : { before: '', quote: coding.anchor.quote, after: '' };
      out.push(...renderQuoteInContext(ctx), '');
      if (coding.translation) {
        const t = coding.translation;
        out.push(`Translation (${escapeMarkdown(t.language)}, ${escapeMarkdown(t.translator)}): ${escapeLineStart(escapeMarkdown(t.text.replace(/\s*\n\s*/g, ' ')))}`, '');
      }
      if (coding.note) out.push(`Note: ${escapeLineStart(escapeMarkdown(coding.note.replace(/\s*\n\s*/g, ' ')))}`, '');
    });
  }
  if (list.groups.length === 0) out.push('*No segments are coded with this code yet.*', '');
  return out.join('\n');
}
