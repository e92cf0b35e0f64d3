// REFI-QDA export: the project as a .qdpx (project.qde and sources/ in a zip) and the codebook as
// a .qdc. Deterministic: the same project gives the same bytes (fixed order, fixed zip dates, GUIDs
// from our ids or derived from names). docs/REFI-QDA.md has the mapping.
import { linksXml } from './links';
import { graphsXml } from './graphs';
import type { Code, Coding, Memo, ProjectFile } from '../model';
import { childrenOf } from '../project';
import { sortCodings } from '../sidecar';
import { ExportPositions, nameGuid } from './positions';
import type { LineEnding } from './positions';
import { ZipWriter, deflateEntry, writeZip } from '../zip';
import type { DeflatedEntry } from '../zip';
import type { ChunkWriter } from '../ports';
import { escapeAttr, escapeText } from './xml';
import { isUncountedSuggestion } from '../suggestions';

export const PROJECT_NS = 'urn:QDA-XML:project:1.0';
export const CODEBOOK_NS = 'urn:QDA-XML:codebook:1.0';

export interface ExportDocument {
  /** workspace-relative path */
  path: string;
  /** the transcript's text, LF-normalised */
  lfText: string;
  /** its codings, anchored to that text */
  codings: readonly Coding[];
}

export interface ExportInput {
  project: ProjectFile;
  documents: readonly ExportDocument[];
  memos: readonly Memo[];
}

export interface ExportOptions {
  /** line endings of the exported sources; positions count them (CRLF for MAXQDA) */
  lineEnding: LineEnding;
  /** the `origin` attribute, for example "Grounded 0.1.0" */
  origin: string;
}

export interface ExportSummary {
  sources: number;
  codes: number;
  codings: number;
  memos: number;
  cases: number;
  sets: number;
  users: number;
  /** theory maps written as <Graph>s */
  graphs: number;
  /** what was left out, one line each, with the reason */
  leftOut: string[];
}

export interface ExportResult {
  bytes: Uint8Array;
  /** the text of project.qde */
  qde: string;
  summary: ExportSummary;
}

/** GUIDs of the things that have no id of their own. */
export const guidOf = {
  selection: (codingId: string) => nameGuid(`selection:${codingId}`),
  source: (path: string) => nameGuid(`source:${path}`),
  user: (name: string) => nameGuid(`user:${name}`),
  variable: (name: string) => nameGuid(`variable:${name}`),
};

const attrs = (pairs: ReadonlyArray<[string, string | number | undefined]>): string => {
  let s = '';
  for (const [k, v] of pairs) if (v !== undefined) s += ` ${k}="${escapeAttr(String(v))}"`;
  return s;
};

/** The title of a memo: its first heading, else its first line, else the label of its target. */
export function memoTitle(memo: Memo, fallback: string): string {
  const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(memo.body);
  const first = memo.body.split('\n').find((l) => l.trim());
  return (heading?.[1] ?? first?.trim() ?? fallback).slice(0, 200);
}

/** Codes with at least one coding of their own. */
function codedCodes(documents: readonly ExportDocument[]): Set<string> {
  return new Set(documents.flatMap((d) => d.codings.filter((c) => !c.orphaned && !isUncountedSuggestion(c)).map((c) => c.codeId)));
}

/** The <Code> tree, in sibling order. `noteRefs` by code id. */
function codeXml(project: ProjectFile, coded: Set<string>, indent: string, noteRefs: Map<string, string[]>): string {
  const out: string[] = [];
  const walk = (code: Code, depth: number): void => {
    const pad = indent + '  '.repeat(depth);
    const kids = childrenOf(project, code.id);
    const codable = kids.length === 0 || coded.has(code.id);
    const head = `${pad}<Code${attrs([['guid', code.id], ['name', code.name], ['isCodable', String(codable)], ['color', code.color.toLowerCase()]])}`;
    const inner: string[] = [];
    if (code.description) inner.push(`${pad}  <Description>${escapeText(code.description)}</Description>`);
    for (const note of noteRefs.get(code.id) ?? []) inner.push(`${pad}  <NoteRef targetGUID="${note}"/>`);
    if (!inner.length && !kids.length) {
      out.push(`${head}/>`);
      return;
    }
    out.push(`${head}>`, ...inner);
    for (const k of kids) walk(k, depth + 1);
    out.push(`${pad}</Code>`);
  };
  for (const top of childrenOf(project)) walk(top, 0);
  return out.join('\n');
}

/**
 * project.qde written one source at a time: `source` for each document in path order gives its
 * <TextSource> element (and its text for sources/), `finish` what goes before the sources (users,
 * codebook, variables, cases: they depend on every coding) and after them. head + every source + tail
 * is the whole file, the same text as one pass over all documents held in memory would write.
 */
export class QdeWriter {
  private readonly leftOut: string[] = [];
  private readonly codeIds: Set<string>;
  private readonly imported: Map<string, { id: string; name?: string }>;
  private readonly memos: Memo[];
  private readonly docPaths = new Set<string>();
  private readonly codingIds = new Set<string>();
  /** codes with at least one coding of their own (orphans aside), whether exported or not */
  private readonly coded = new Set<string>();
  private readonly coders = new Set<string>();
  /** memos on documents and on codings, by target: each one's NoteRef goes where its target is written */
  private readonly notesOnDocument = new Map<string, string[]>();
  private readonly notesOnCoding = new Map<string, string[]>();
  private readonly userGuids = new Map<string, string>();
  private codingCount = 0;
  private sourceCount = 0;
  private lastPath: string | undefined;

  constructor(
    private readonly project: ProjectFile,
    memos: readonly Memo[],
    private readonly options: ExportOptions,
  ) {
    this.codeIds = new Set(project.codes.map((c) => c.id));
    // A source keeps the GUID and name it was imported with (grounded.json "sources").
    this.imported = new Map((project.sources ?? []).map((s) => [s.path, s]));
    this.memos = [...memos].sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const m of this.memos) {
      const t = m.target;
      if (t.kind === 'document') push(this.notesOnDocument, t.path, m.id);
      else if (t.kind === 'coding') push(this.notesOnCoding, t.id, m.id);
    }
  }

  private sourceGuid(path: string): string {
    return this.imported.get(path)?.id ?? guidOf.source(path);
  }

  private userGuid(name: string): string {
    let g = this.userGuids.get(name);
    if (g === undefined) this.userGuids.set(name, (g = guidOf.user(name)));
    return g;
  }

  /** The <TextSource> element of a document (its lines, each ending in a line end) and its source file; documents come in path order. */
  source(d: ExportDocument): { xml: string; file: [string, string] } {
    if (this.lastPath !== undefined && d.path < this.lastPath) throw new Error(`export: documents out of order (${d.path} after ${this.lastPath})`);
    this.lastPath = d.path;
    this.sourceCount++;
    this.docPaths.add(d.path);
    const { options } = this;
    // Codings that can be exported: anchored, to a code that exists. A pending or rejected AI
    // suggestion is no coding and is not exported; an accepted one is a coding of its user `AI: <model>`.
    const keep: Coding[] = [];
    for (const c of sortCodings(d.codings)) {
      if (isUncountedSuggestion(c)) continue;
      if (!c.orphaned) this.coded.add(c.codeId);
      if (c.orphaned) this.leftOut.push(`${d.path}: the orphaned coding ${c.id} ("${c.anchor.quote.slice(0, 40)}"): its words are not in the text`);
      else if (!this.codeIds.has(c.codeId)) this.leftOut.push(`${d.path}: the coding ${c.id}: its code ${c.codeId} is not in the codebook`);
      else if (c.anchor.end > d.lfText.length) this.leftOut.push(`${d.path}: the coding ${c.id}: it lies past the end of the text`);
      else {
        keep.push(c);
        this.codingIds.add(c.id);
        this.coders.add(c.coder);
      }
    }
    const lines: string[] = [];
    const guid = this.sourceGuid(d.path);
    const pos = new ExportPositions(d.lfText, options.lineEnding);
    lines.push(`    <TextSource${attrs([['guid', guid], ['name', this.imported.get(d.path)?.name ?? d.path], ['plainTextPath', `internal://${guid}.txt`]])}>`);
    for (const c of keep) {
      this.codingCount++;
      const user = this.userGuid(c.coder);
      const quote = options.lineEnding === 'crlf' ? c.anchor.quote.replace(/\n/g, '\r\n') : c.anchor.quote;
      // one string per selection, attributes in the order attrs() writes them (none is undefined here)
      const noteRefsOf = this.notesOnCoding.get(c.id);
      lines.push(
        `      <PlainTextSelection guid="${guidOf.selection(c.id)}" name="${escapeAttr(quote)}" startPosition="${pos.position(c.anchor.start)}"` +
          ` endPosition="${pos.position(c.anchor.end)}" creatingUser="${user}" creationDateTime="${escapeAttr(c.created)}">` +
          (c.note ? `\n        <Description>${escapeText(c.note)}</Description>` : '') +
          `\n        <Coding guid="${escapeAttr(c.id)}" creatingUser="${user}" creationDateTime="${escapeAttr(c.created)}">` +
          `\n          <CodeRef targetGUID="${c.codeId}"/>\n        </Coding>` +
          (noteRefsOf ? noteRefsOf.map((n) => `\n        <NoteRef targetGUID="${n}"/>`).join('') : ''),
      );
      lines.push('      </PlainTextSelection>');
    }
    for (const n of this.notesOnDocument.get(d.path) ?? []) lines.push(`      <NoteRef targetGUID="${n}"/>`);
    lines.push('    </TextSource>');
    lines.push('');
    return { xml: lines.join('\n'), file: [`sources/${guid}.txt`, pos.text] };
  }

  /** What goes before the sources and after them (each ending in a line end), and the summary; after the last `source`. */
  finish(): { head: string; tail: string; summary: ExportSummary } {
    const { project, options, leftOut, codeIds, docPaths, memos } = this;
    // Memos: a Note each, referenced from their target.
    const noteRefs = { project: [] as string[], code: new Map<string, string[]>(), relation: new Map<string, string[]>() };
    const relationIds = new Set((project.relations ?? []).map((r) => r.id));
    for (const m of memos) {
      const t = m.target;
      if (t.kind === 'project') noteRefs.project.push(m.id);
      else if (t.kind === 'code' && codeIds.has(t.id)) push(noteRefs.code, t.id, m.id);
      else if (t.kind === 'document' && docPaths.has(t.path)) continue;
      else if (t.kind === 'coding' && this.codingIds.has(t.id)) continue;
      else if (t.kind === 'relation' && relationIds.has(t.id)) push(noteRefs.relation, t.id, m.id);
      else leftOut.push(`the link of memo ${m.id} to its ${t.kind} (${t.kind === 'document' ? t.path : t.id}), which is not in the export; the memo itself is exported`);
    }

    // Users: every coder and memo author.
    const userNames = new Set(this.coders);
    for (const m of memos) userNames.add(m.author);
    const users = [...userNames].sort();

    const lines: string[] = [];
    lines.push('<?xml version="1.0" encoding="utf-8"?>');
    lines.push(
      `<Project xmlns="${PROJECT_NS}"${attrs([['name', project.project.name], ['origin', options.origin], ['creationDateTime', project.project.created]])}>`,
    );
    if (users.length) {
      lines.push('  <Users>');
      for (const u of users) lines.push(`    <User${attrs([['guid', guidOf.user(u)], ['name', u]])}/>`);
      lines.push('  </Users>');
    }
    if (project.codes.length) {
      lines.push('  <CodeBook>', '    <Codes>', codeXml(project, this.coded, '      ', noteRefs.code), '    </Codes>', '  </CodeBook>');
    }
    const cases = [...project.cases].sort((a, b) => a.pseudonym.localeCompare(b.pseudonym) || (a.id < b.id ? -1 : 1));
    const variables = [...new Set(cases.flatMap((k) => Object.keys(k.attributes)))].sort();
    if (variables.length) {
      lines.push('  <Variables>');
      for (const v of variables) lines.push(`    <Variable${attrs([['guid', guidOf.variable(v)], ['name', v], ['typeOfVariable', 'Text']])}/>`);
      lines.push('  </Variables>');
    }
    if (cases.length) {
      lines.push('  <Cases>');
      for (const k of cases) {
        lines.push(`    <Case${attrs([['guid', k.id], ['name', k.pseudonym]])}>`);
        for (const v of Object.keys(k.attributes).sort()) {
          lines.push(`      <VariableValue><VariableRef targetGUID="${guidOf.variable(v)}"/><TextValue>${escapeText(k.attributes[v])}</TextValue></VariableValue>`);
        }
        for (const p of k.documents) {
          if (docPaths.has(p)) lines.push(`      <SourceRef targetGUID="${this.sourceGuid(p)}"/>`);
          else leftOut.push(`case ${k.pseudonym}: its document ${p} does not exist`);
        }
        lines.push('    </Case>');
      }
      lines.push('  </Cases>');
    }
    if (this.sourceCount) lines.push('  <Sources>');
    lines.push('');
    const head = lines.join('\n');

    lines.length = 0;
    if (this.sourceCount) lines.push('  </Sources>');
    if (memos.length) {
      lines.push('  <Notes>');
      for (const m of memos) {
        const user = this.userGuid(m.author);
        lines.push(
          `    <Note${attrs([['guid', m.id], ['name', memoTitle(m, 'Memo')], ['creatingUser', user], ['creationDateTime', m.created], ['modifyingUser', user], ['modifiedDateTime', m.modified]])}>`,
        );
        const body = options.lineEnding === 'crlf' ? m.body.replace(/\n/g, '\r\n') : m.body;
        lines.push(`      <PlainTextContent>${escapeText(body)}</PlainTextContent>`);
        lines.push('    </Note>');
      }
      lines.push('  </Notes>');
    }
    // Relations: a <Link> each (refi/links.ts), before <Sets> as the schema orders them.
    const linked = new Map<string, { name: string; direction: string }>();
    lines.push(...linksXml(project, codeIds, (id) => noteRefs.relation.get(id) ?? [], leftOut, linked));
    const sets = [...(project.sets ?? [])].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
    if (sets.length) {
      lines.push('  <Sets>');
      for (const k of sets) {
        const inner: string[] = [];
        if (k.description) inner.push(`      <Description>${escapeText(k.description)}</Description>`);
        for (const id of k.codes) {
          if (codeIds.has(id)) inner.push(`      <MemberCode targetGUID="${id}"/>`);
          else leftOut.push(`set ${k.name}: its code ${id} is not in the codebook`);
        }
        for (const p of k.documents) {
          if (docPaths.has(p)) inner.push(`      <MemberSource targetGUID="${this.sourceGuid(p)}"/>`);
          else leftOut.push(`set ${k.name}: its document ${p} does not exist`);
        }
        const head = `    <Set${attrs([['guid', k.id], ['name', k.name]])}`;
        lines.push(...(inner.length ? [`${head}>`, ...inner, '    </Set>'] : [`${head}/>`]));
      }
      lines.push('  </Sets>');
    }
    // Theory maps: a <Graph> each (refi/graphs.ts), after <Sets> as the schema orders them.
    lines.push(...graphsXml(project, codeIds, linked, leftOut));
    for (const n of noteRefs.project) lines.push(`  <NoteRef targetGUID="${n}"/>`);
    lines.push('</Project>');
    lines.push('');
    const summary: ExportSummary = {
      sources: this.sourceCount,
      codes: project.codes.length,
      codings: this.codingCount,
      memos: memos.length,
      cases: cases.length,
      sets: sets.length,
      users: users.length,
      graphs: project.maps?.length ?? 0,
      leftOut,
    };
    return { head, tail: lines.join('\n'), summary };
  }
}

const push = (m: Map<string, string[]>, k: string, v: string) => {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
};

/** project.qde and the source files for a .qdpx. */
export function buildQdpx(input: ExportInput, options: ExportOptions): { qde: string; sources: Array<[string, string]>; summary: ExportSummary } {
  const writer = new QdeWriter(input.project, input.memos, options);
  const documents = [...input.documents].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: string[] = [];
  const sources: Array<[string, string]> = [];
  for (const d of documents) {
    const { xml, file } = writer.source(d);
    parts.push(xml);
    sources.push(file);
  }
  const { head, tail, summary } = writer.finish();
  return { qde: head + parts.join('') + tail, sources, summary };
}

/** The .qdpx archive: project.qde first, then sources/<guid>.txt in UTF-8. */
export function exportQdpx(input: ExportInput, options: ExportOptions): ExportResult {
  const { qde, sources, summary } = buildQdpx(input, options);
  const enc = new TextEncoder();
  const bytes = writeZip([['project.qde', enc.encode(qde)], ...sources.map(([p, t]): [string, Uint8Array] => [p, enc.encode(t)])]);
  return { bytes, qde, summary };
}

/**
 * The same .qdpx as exportQdpx, byte for byte, written to `out` while the documents are read one at a
 * time (in path order): never the whole project, project.qde as one string or the archive in memory.
 * Each source is deflated as it comes; project.qde, which the archive holds first, is gathered as
 * UTF-8 bytes and deflated at the end. `out` is closed when done, aborted on failure.
 */
export async function streamQdpx(
  project: ProjectFile,
  memos: readonly Memo[],
  documents: AsyncIterable<ExportDocument> | Iterable<ExportDocument>,
  options: ExportOptions,
  out: ChunkWriter,
): Promise<{ summary: ExportSummary }> {
  try {
    const writer = new QdeWriter(project, memos, options);
    const enc = new TextEncoder();
    const parts: Uint8Array[] = [];
    const sources: DeflatedEntry[] = [];
    for await (const d of documents) {
      const { xml, file } = writer.source(d);
      parts.push(enc.encode(xml));
      sources.push(deflateEntry(file[0], enc.encode(file[1])));
    }
    const { head, tail, summary } = writer.finish();
    const zip = new ZipWriter(out);
    const first = [enc.encode(head), ...parts.splice(0), enc.encode(tail)];
    const qde = new Uint8Array(first.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (let i = 0; i < first.length; i++) {
      qde.set(first[i], at);
      at += first[i].length;
      first[i] = EMPTY;
    }
    zip.add(deflateEntry('project.qde', qde));
    for (const e of sources) zip.add(e);
    zip.end();
    out.close();
    return { summary };
  } catch (err) {
    out.abort();
    throw err;
  }
}

const EMPTY = new Uint8Array(0);

/** The codebook as a .qdc (REFI-QDA Codebook). `documents` decide isCodable (a category without codings of its own is not codable). */
export function exportQdc(project: ProjectFile, documents: readonly ExportDocument[], origin: string): string {
  if (!project.codes.length) throw new Error('The codebook has no codes: there is nothing to export.');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<CodeBook xmlns="${CODEBOOK_NS}"${attrs([['origin', origin]])}>`,
    '  <Codes>',
    codeXml(project, codedCodes(documents), '    ', new Map()),
    '  </Codes>',
    '</CodeBook>',
    '',
  ].join('\n');
}
