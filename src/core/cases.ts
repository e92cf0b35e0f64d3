// Cases (participants) as pure edits of the project, each returning the case records it changed so
// that the editor can undo it (see restoreRecords in codebook.ts), and the import of cases from a CSV
// file. A case is known everywhere only by its pseudonym; a transcript belongs to at most one case.
import { CsvError, parseCsv } from './csv';
import type { CsvCell, CsvDelimiter } from './csv';
import type { Case, ProjectFile } from './model';
import type { Environment } from './ports';

export interface CaseEdit {
  project: ProjectFile;
  /** case records before the edit (changed or removed ones) */
  before: Case[];
  /** ids of the cases the edit created (undo removes them) */
  added?: string[];
}

const key = (s: string): string => s.trim().normalize('NFC').toLowerCase();

/** The case with this pseudonym, ignoring case and surrounding spaces. */
export function findCaseByPseudonym(project: ProjectFile, pseudonym: string): Case | undefined {
  const k = key(pseudonym);
  return project.cases.find((c) => key(c.pseudonym) === k);
}

/** The case a transcript belongs to. */
export function caseOfDocument(project: ProjectFile, path: string): Case | undefined {
  return project.cases.find((c) => c.documents.includes(path));
}

/**
 * caseOfDocument for many documents of one project: the cases' documents indexed once (a report asks
 * for the case of each of its quotes and rows; searching every case each time was a cost of its own).
 */
export function casesByDocument(project: ProjectFile): (path: string) => Case | undefined {
  const index = new Map<string, Case>();
  for (const c of project.cases) for (const d of c.documents) if (!index.has(d)) index.set(d, c);
  return (path) => index.get(path);
}

export function requireCase(project: ProjectFile, id: string): Case {
  const found = project.cases.find((c) => c.id === id);
  if (!found) throw new Error(`No case with id ${id}.`);
  return found;
}

/** A pseudonym trimmed, checked to be non-empty and unused by another case. */
function checkedPseudonym(project: ProjectFile, pseudonym: string, self?: string): string {
  const name = pseudonym.trim();
  if (!name) throw new Error('A case needs a pseudonym.');
  const other = findCaseByPseudonym(project, name);
  if (other && other.id !== self) throw new Error(`There is already a case "${other.pseudonym}".`);
  return name;
}

/** A workspace-relative transcript path as written in grounded.json: forward slashes, no "./". Throws on absolute paths and "..". */
export function normalizeDocumentPath(path: string): string {
  const p = path.trim().replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  if (!p) throw new Error('A transcript path is empty.');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split('/').includes('..')) {
    throw new Error(`"${path.trim()}" is not a path inside the workspace (write it relative to the folder, like interviews/ola.txt).`);
  }
  return p;
}

function replaceCases(project: ProjectFile, changed: readonly Case[]): ProjectFile {
  const byId = new Map(changed.map((c) => [c.id, c]));
  return { ...project, cases: project.cases.map((c) => byId.get(c.id) ?? c) };
}

function sortedAttributes(attributes: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(attributes).sort()) out[k] = attributes[k];
  return out;
}

/** A new case with a unique pseudonym (and optionally attributes). */
export function addCase(project: ProjectFile, pseudonym: string, env: Environment, attributes: Record<string, string> = {}): CaseEdit & { case: Case } {
  const name = checkedPseudonym(project, pseudonym);
  const created: Case = { id: env.newId(), pseudonym: name, documents: [], attributes: sortedAttributes(attributes) };
  return { project: { ...project, cases: [...project.cases, created] }, before: [], added: [created.id], case: created };
}

/** Renames a case; the pseudonym stays unique (ignoring case). */
export function renameCase(project: ProjectFile, id: string, pseudonym: string): CaseEdit {
  const old = requireCase(project, id);
  const name = checkedPseudonym(project, pseudonym, id);
  if (name === old.pseudonym) return { project, before: [] };
  return { project: replaceCases(project, [{ ...old, pseudonym: name }]), before: [old] };
}

function checkedAttributeName(name: string): string {
  const k = name.trim();
  if (!k) throw new Error('An attribute needs a name.');
  return k;
}

/** Sets an attribute of a case (a new one or a new value). Names and values are trimmed; neither may be empty. */
export function setAttribute(project: ProjectFile, id: string, name: string, value: string): CaseEdit {
  const old = requireCase(project, id);
  const k = checkedAttributeName(name);
  const v = value.trim();
  if (!v) throw new Error(`The attribute "${k}" needs a value (Remove Attribute takes it away).`);
  if (old.attributes[k] === v) return { project, before: [] };
  return { project: replaceCases(project, [{ ...old, attributes: sortedAttributes({ ...old.attributes, [k]: v }) }]), before: [old] };
}

/** Removes an attribute of a case. */
export function removeAttribute(project: ProjectFile, id: string, name: string): CaseEdit {
  const old = requireCase(project, id);
  if (!(name in old.attributes)) throw new Error(`The case "${old.pseudonym}" has no attribute "${name}".`);
  const attributes = { ...old.attributes };
  delete attributes[name];
  return { project: replaceCases(project, [{ ...old, attributes }]), before: [old] };
}

/** Gives a transcript to a case; a case that had it loses it (a transcript belongs to at most one case). */
export function assignDocument(project: ProjectFile, id: string, path: string): CaseEdit & { from?: Case } {
  const target = requireCase(project, id);
  const doc = normalizeDocumentPath(path);
  if (target.documents.includes(doc)) return { project, before: [] };
  const before: Case[] = [];
  const changed: Case[] = [];
  let from: Case | undefined;
  for (const c of project.cases) {
    if (c.id === id) {
      before.push(c);
      changed.push({ ...c, documents: [...c.documents, doc] });
    } else if (c.documents.includes(doc)) {
      from = c;
      before.push(c);
      changed.push({ ...c, documents: c.documents.filter((d) => d !== doc) });
    }
  }
  return { project: replaceCases(project, changed), before, from };
}

/** Takes a transcript away from a case. */
export function removeDocument(project: ProjectFile, id: string, path: string): CaseEdit {
  const old = requireCase(project, id);
  if (!old.documents.includes(path)) throw new Error(`${path} does not belong to the case "${old.pseudonym}".`);
  return { project: replaceCases(project, [{ ...old, documents: old.documents.filter((d) => d !== path) }]), before: [old] };
}

/** Deletes a case (its transcripts stay; they belong to no case afterwards). */
export function deleteCase(project: ProjectFile, id: string): CaseEdit {
  const old = requireCase(project, id);
  return { project: { ...project, cases: project.cases.filter((c) => c.id !== id) }, before: [old] };
}

/** Every attribute name used by any case, sorted. */
export function attributeNames(project: ProjectFile): string[] {
  return [...new Set(project.cases.flatMap((c) => Object.keys(c.attributes)))].sort((a, b) => a.localeCompare(b));
}

/** The values an attribute has in the cases, each once, sorted. */
export function attributeValues(project: ProjectFile, name: string): string[] {
  const values = project.cases.map((c) => c.attributes[name]).filter((v): v is string => v !== undefined);
  return [...new Set(values)].sort((a, b) => a.localeCompare(b));
}

/** "ageGroup: 30-39 · securityLevel: high": the attributes of a case on one line. */
export function attributeSummary(c: Case): string {
  return Object.keys(c.attributes)
    .sort()
    .map((k) => `${k}: ${c.attributes[k]}`)
    .join(' · ');
}

// ---- Import from CSV ----

/** One case as a CSV file describes it. */
export interface CaseRow {
  /** the line the row starts on */
  line: number;
  pseudonym: string;
  documents: string[];
  attributes: Record<string, string>;
}

export interface CasesCsv {
  delimiter: CsvDelimiter;
  /** the attribute columns, in file order */
  attributeColumns: string[];
  rows: CaseRow[];
}

const PSEUDONYM_HEADERS = ['pseudonym', 'case', 'participant'];
const DOCUMENT_HEADERS = ['documents', 'document', 'transcripts', 'transcript'];

/**
 * Reads a cases CSV file: a header row; a `pseudonym` column (or `case`, `participant`; any case);
 * optionally a `documents` column (or `document`, `transcript`) with workspace-relative paths separated
 * by `;`; every other column an attribute. Empty cells give no attribute. Throws CsvError naming the
 * line and column of the first problem.
 */
export function parseCasesCsv(text: string): CasesCsv {
  const { delimiter, records } = parseCsv(text);
  if (records.length === 0) throw new CsvError(1, 1, 'the file is empty: it needs a header row with a "pseudonym" column');
  const [header, ...body] = records;
  const names = header.cells.map((c) => c.value.trim());
  let pseudonymAt = -1;
  let documentsAt = -1;
  const attributeAt: number[] = [];
  const seen = new Map<string, CsvCell>();
  header.cells.forEach((cell, i) => {
    const name = names[i];
    if (!name) {
      // A column without a name is allowed only while it is empty (Excel's trailing delimiter).
      const filled = body.find((r) => r.cells[i]?.value.trim());
      if (filled) throw new CsvError(cell.line, cell.column, `column ${i + 1} has no name in the header row but holds values (line ${filled.line})`);
      return;
    }
    const k = name.toLowerCase();
    const twice = seen.get(k);
    if (twice) throw new CsvError(cell.line, cell.column, `the column "${name}" appears twice in the header row (also column ${header.cells.indexOf(twice) + 1})`);
    seen.set(k, cell);
    if (PSEUDONYM_HEADERS.includes(k)) {
      if (pseudonymAt >= 0) throw new CsvError(cell.line, cell.column, `two pseudonym columns: "${names[pseudonymAt]}" and "${name}"`);
      pseudonymAt = i;
    } else if (DOCUMENT_HEADERS.includes(k)) {
      if (documentsAt >= 0) throw new CsvError(cell.line, cell.column, `two transcript columns: "${names[documentsAt]}" and "${name}"`);
      documentsAt = i;
    } else attributeAt.push(i);
  });
  if (pseudonymAt < 0) throw new CsvError(header.line, 1, 'the header row has no "pseudonym" column (it may also be called "case" or "participant")');

  const rows: CaseRow[] = [];
  const byPseudonym = new Map<string, CaseRow>();
  const byDocument = new Map<string, CaseRow>();
  for (const record of body) {
    if (record.cells.every((c) => !c.value.trim())) continue; // a blank row (";;;")
    const extra = record.cells.slice(header.cells.length).find((c) => c.value.trim());
    if (extra) throw new CsvError(extra.line, extra.column, `this row has more cells than the header row has columns (${header.cells.length})`);
    const cellAt = (i: number): CsvCell => record.cells[i] ?? { value: '', line: record.line, column: 1 };
    const pseudonymCell = cellAt(pseudonymAt);
    const pseudonym = pseudonymCell.value.trim();
    if (!pseudonym) throw new CsvError(pseudonymCell.line, pseudonymCell.column, `the row has no ${names[pseudonymAt]}`);
    const first = byPseudonym.get(key(pseudonym));
    if (first) throw new CsvError(pseudonymCell.line, pseudonymCell.column, `"${pseudonym}" appears twice (first on line ${first.line})`);
    const documents: string[] = [];
    if (documentsAt >= 0) {
      const cell = cellAt(documentsAt);
      for (const part of cell.value.split(';')) {
        if (!part.trim()) continue;
        let doc: string;
        try {
          doc = normalizeDocumentPath(part);
        } catch (err) {
          throw new CsvError(cell.line, cell.column, (err as Error).message);
        }
        const owner = byDocument.get(doc);
        if (owner && owner.pseudonym !== pseudonym) throw new CsvError(cell.line, cell.column, `${doc} is given to two cases: "${owner.pseudonym}" (line ${owner.line}) and "${pseudonym}"`);
        if (!documents.includes(doc)) documents.push(doc);
      }
    }
    const attributes: Record<string, string> = {};
    for (const i of attributeAt) {
      const v = cellAt(i).value.trim();
      if (v) attributes[names[i]] = v;
    }
    const row: CaseRow = { line: record.line, pseudonym, documents, attributes };
    for (const d of documents) byDocument.set(d, row);
    byPseudonym.set(key(pseudonym), row);
    rows.push(row);
  }
  return { delimiter, attributeColumns: attributeAt.map((i) => names[i]), rows };
}

export interface ImportSummary {
  /** pseudonyms of the new cases */
  added: string[];
  /** pseudonyms of existing cases that got new attribute values or transcripts */
  updated: string[];
  /** pseudonyms of existing cases the file changed nothing in */
  unchanged: string[];
  /** transcripts named in the file that are not in the workspace, transcripts taken from another case */
  warnings: string[];
}

/**
 * Merges imported rows into the cases: a row matches an existing case by pseudonym (ignoring case) and
 * sets its attributes (others stay) and adds its transcripts; other rows become new cases. A transcript
 * that belonged to another case moves (with a warning). `isTranscript` tells the workspace's
 * transcripts apart; others are still recorded, with a warning.
 */
export function mergeCases(
  project: ProjectFile,
  rows: readonly CaseRow[],
  env: Environment,
  isTranscript: (path: string) => boolean = () => true,
): CaseEdit & { summary: ImportSummary } {
  const summary: ImportSummary = { added: [], updated: [], unchanged: [], warnings: [] };
  const before = new Map<string, Case>();
  const added: string[] = [];
  let p = project;
  const track = (edit: CaseEdit) => {
    for (const b of edit.before) if (!before.has(b.id) && !added.includes(b.id)) before.set(b.id, b);
    p = edit.project;
  };
  for (const row of rows) {
    let target = findCaseByPseudonym(p, row.pseudonym);
    const isNew = !target;
    if (!target) {
      const r = addCase(p, row.pseudonym, env, row.attributes);
      track(r);
      added.push(r.case.id);
      target = r.case;
    } else {
      for (const [k, v] of Object.entries(row.attributes)) track(setAttribute(p, target.id, k, v));
    }
    for (const doc of row.documents) {
      if (!isTranscript(doc)) summary.warnings.push(`line ${row.line}: ${doc} is not a transcript in this workspace (recorded anyway)`);
      const r = assignDocument(p, target.id, doc);
      if (r.from) summary.warnings.push(`line ${row.line}: ${doc} moved from "${r.from.pseudonym}" to "${row.pseudonym}"`);
      track(r);
    }
    const now = requireCase(p, target.id);
    if (isNew) summary.added.push(now.pseudonym);
    else if (JSON.stringify(now) !== JSON.stringify(requireCase(project, target.id))) summary.updated.push(now.pseudonym);
    else summary.unchanged.push(now.pseudonym);
  }
  return { project: p, before: [...before.values()], added, summary };
}

/** "2 cases added, 1 updated, 3 unchanged." */
export function describeImport(summary: ImportSummary): string {
  const n = (k: number, what: string) => `${k} case${k === 1 ? '' : 's'} ${what}`;
  const parts = [n(summary.added.length, 'added'), `${summary.updated.length} updated`, `${summary.unchanged.length} unchanged`];
  const warn = summary.warnings.length ? ` ${summary.warnings.length} warning${summary.warnings.length === 1 ? '' : 's'}: ${summary.warnings.join('; ')}.` : '';
  return `${parts.join(', ')}.${warn}`;
}
