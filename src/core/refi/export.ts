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
import { writeZip } from '../zip';
import { escapeAttr, escapeText } from './xml';

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
  return new Set(documents.flatMap((d) => d.codings.filter((c) => !c.orphaned).map((c) => c.codeId)));
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

/** project.qde and the source files for a .qdpx. */
export function buildQdpx(input: ExportInput, options: ExportOptions): { qde: string; sources: Array<[string, string]>; summary: ExportSummary } {
  const { project } = input;
  const leftOut: string[] = [];
  const codeIds = new Set(project.codes.map((c) => c.id));
  const documents = [...input.documents].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const docPaths = new Set(documents.map((d) => d.path));
  // A source keeps the GUID and name it was imported with (grounded.json "sources").
  const imported = new Map((project.sources ?? []).map((s) => [s.path, s]));
  const sourceGuid = (path: string): string => imported.get(path)?.id ?? guidOf.source(path);

  // Codings that can be exported: anchored, to a code that exists.
  const exported = new Map<string, Coding[]>();
  const codingIds = new Set<string>();
  for (const d of documents) {
    const keep: Coding[] = [];
    for (const c of sortCodings(d.codings)) {
      if (c.orphaned) leftOut.push(`${d.path}: the orphaned coding ${c.id} ("${c.anchor.quote.slice(0, 40)}"): its words are not in the text`);
      else if (!codeIds.has(c.codeId)) leftOut.push(`${d.path}: the coding ${c.id}: its code ${c.codeId} is not in the codebook`);
      else if (c.anchor.end > d.lfText.length) leftOut.push(`${d.path}: the coding ${c.id}: it lies past the end of the text`);
      else {
        keep.push(c);
        codingIds.add(c.id);
      }
    }
    exported.set(d.path, keep);
  }

  // Memos: a Note each, referenced from their target.
  const noteRefs = { project: [] as string[], code: new Map<string, string[]>(), document: new Map<string, string[]>(), coding: new Map<string, string[]>(), relation: new Map<string, string[]>() };
  const relationIds = new Set((project.relations ?? []).map((r) => r.id));
  const push = (m: Map<string, string[]>, k: string, v: string) => m.set(k, [...(m.get(k) ?? []), v]);
  const memos = [...input.memos].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const m of memos) {
    const t = m.target;
    if (t.kind === 'project') noteRefs.project.push(m.id);
    else if (t.kind === 'code' && codeIds.has(t.id)) push(noteRefs.code, t.id, m.id);
    else if (t.kind === 'document' && docPaths.has(t.path)) push(noteRefs.document, t.path, m.id);
    else if (t.kind === 'coding' && codingIds.has(t.id)) push(noteRefs.coding, t.id, m.id);
    else if (t.kind === 'relation' && relationIds.has(t.id)) push(noteRefs.relation, t.id, m.id);
    else leftOut.push(`the link of memo ${m.id} to its ${t.kind} (${t.kind === 'document' ? t.path : t.id}), which is not in the export; the memo itself is exported`);
  }

  // Users: every coder and memo author.
  const userNames = new Set<string>();
  for (const list of exported.values()) for (const c of list) userNames.add(c.coder);
  for (const m of memos) userNames.add(m.author);
  const users = [...userNames].sort();
  const userGuids = new Map(users.map((u) => [u, guidOf.user(u)]));

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
    lines.push('  <CodeBook>', '    <Codes>', codeXml(project, codedCodes(documents), '      ', noteRefs.code), '    </Codes>', '  </CodeBook>');
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
        if (docPaths.has(p)) lines.push(`      <SourceRef targetGUID="${sourceGuid(p)}"/>`);
        else leftOut.push(`case ${k.pseudonym}: its document ${p} does not exist`);
      }
      lines.push('    </Case>');
    }
    lines.push('  </Cases>');
  }
  const sources: Array<[string, string]> = [];
  let codingCount = 0;
  if (documents.length) {
    lines.push('  <Sources>');
    for (const d of documents) {
      const guid = sourceGuid(d.path);
      const pos = new ExportPositions(d.lfText, options.lineEnding);
      sources.push([`sources/${guid}.txt`, pos.text]);
      lines.push(`    <TextSource${attrs([['guid', guid], ['name', imported.get(d.path)?.name ?? d.path], ['plainTextPath', `internal://${guid}.txt`]])}>`);
      for (const c of exported.get(d.path) ?? []) {
        codingCount++;
        const user = userGuids.get(c.coder) ?? guidOf.user(c.coder);
        const quote = options.lineEnding === 'crlf' ? c.anchor.quote.replace(/\n/g, '\r\n') : c.anchor.quote;
        // one string per selection, attributes in the order attrs() writes them (none is undefined here)
        const noteRefsOf = noteRefs.coding.get(c.id);
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
      for (const n of noteRefs.document.get(d.path) ?? []) lines.push(`      <NoteRef targetGUID="${n}"/>`);
      lines.push('    </TextSource>');
    }
    lines.push('  </Sources>');
  }
  if (memos.length) {
    lines.push('  <Notes>');
    for (const m of memos) {
      const user = userGuids.get(m.author) ?? guidOf.user(m.author);
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
        if (docPaths.has(p)) inner.push(`      <MemberSource targetGUID="${sourceGuid(p)}"/>`);
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
  const summary: ExportSummary = {
    sources: documents.length,
    codes: project.codes.length,
    codings: codingCount,
    memos: memos.length,
    cases: cases.length,
    sets: sets.length,
    users: users.length,
    graphs: project.maps?.length ?? 0,
    leftOut,
  };
  // the final line end by the join itself: `+ '\n'` after it would copy the whole text once more
  lines.push('');
  return { qde: lines.join('\n'), sources, summary };
}

/** The .qdpx archive: project.qde first, then sources/<guid>.txt in UTF-8. */
export function exportQdpx(input: ExportInput, options: ExportOptions): ExportResult {
  const { qde, sources, summary } = buildQdpx(input, options);
  const enc = new TextEncoder();
  const bytes = writeZip([['project.qde', enc.encode(qde)], ...sources.map(([p, t]): [string, Uint8Array] => [p, enc.encode(t)])]);
  return { bytes, qde, summary };
}

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
