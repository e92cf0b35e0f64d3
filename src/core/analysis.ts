// The one analysis: which codings count, and every number derived from them. The Codes, Segments and
// Documents views, the board, the matrices, saturation, the report, the exports and every CLI command
// take their numbers from `analyse`, so no two places can disagree about a count.
//
// A coding counts unless it is
// - orphaned (its words were not found in the current text),
// - a duplicate (the same coder put the same code on the same span again; the earliest counts),
// - of a code that is not in the codebook (deleted on another branch),
// - in a sidecar whose transcript no longer exists (its words cannot be read, quoted or checked),
// - wholly inside turns of speakers left out of the analysis (settings.excludedSpeakers),
// - an AI suggestion not (yet) accepted: pending or rejected (suggestions.ts),
// - another coder's, in blind mode (`viewer`).
import type { CodeCounts, DocumentCodings } from './codebook';
import { codeCounts } from './codebook';
import { duplicateIds } from './invariants';
import type { Code, Coding, ProjectFile, Relation, RelationType } from './model';
import { codePath } from './project';
import { relationTypeOf, relationsOf } from './relations';
import { setScope } from './sets';
import { isCountedSuggestion, isUncountedSuggestion } from './suggestions';
import { excludedCodingTest, excludedSpeakers, speakerTurns } from './speakers';
import type { Turn } from './speakers';

/** Why a coding does not count. */
export type LeftOut = 'orphaned' | 'duplicate' | 'suggestion' | 'unknownCode' | 'noTranscript' | 'excludedSpeaker' | 'hidden';

export interface AnalysisInput {
  project: ProjectFile;
  /** every transcript with every coding as stored (all coders) */
  documents: readonly DocumentCodings[];
  /** a transcript's LF text, when it can be read; needed only to leave out excluded speakers' turns */
  textOf?: (path: string) => string | undefined;
  /** blind mode: only this coder's codings are shown and counted */
  viewer?: string;
  /**
   * The speaker turns of a transcript's text, when the caller keeps them (an export reads them for the
   * analysis and again for the speaker column of the segments CSV); otherwise `speakerTurns(textOf(path))`.
   */
  turnsOf?: (path: string) => readonly Turn[] | undefined;
}

export interface AnalysedDocument extends DocumentCodings {
  /** the codings that count, in the order they are stored */
  codings: readonly Coding[];
  /** orphaned codings the viewer may see (listed apart, to be re-attached; never counted) */
  orphans: readonly Coding[];
}

export interface Analysis {
  project: ProjectFile;
  /** every input document (sorted by path) with the codings that count */
  documents: readonly AnalysedDocument[];
  /** numbers per code (zero for unused codes), categories with totals over their subcodes */
  counts: ReadonlyMap<string, CodeCounts>;
  /** the codings that do not count, by id, with the reason (for the segments CSV and `check`) */
  leftOut: ReadonlyMap<string, LeftOut>;
  /** codings that count, over all documents */
  total: number;
}

const byPath = (a: DocumentCodings, b: DocumentCodings) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The analysis of a project: see the comment at the top of this file for which codings count. */
export function analyse(input: AnalysisInput): Analysis {
  const { project } = input;
  const analyser = documentAnalyser(input);
  const leftOut = new Map<string, LeftOut>();
  const documents: AnalysedDocument[] = [];
  let total = 0;
  for (const doc of [...input.documents].sort(byPath)) {
    const analysed = analyser(doc, leftOut);
    total += analysed.codings.length;
    documents.push(analysed);
  }
  return { project, documents, counts: codeCounts(project, documents), leftOut, total };
}

/**
 * `analyse` one document at a time (the documents of `input` are not read): which of `doc`'s codings
 * count, and why the others do not (set in `leftOut`, by coding id). What `analyse` does for each
 * document, for a caller that reads one transcript after another and keeps none of their codings (the
 * CLI's `stats`, with core/codebook.ts `codeCounter` for the numbers per code).
 */
export function documentAnalyser(input: Omit<AnalysisInput, 'documents'>): (doc: DocumentCodings, leftOut: Map<string, LeftOut>) => AnalysedDocument {
  const { project, viewer } = input;
  const excluded = excludedSpeakers(project);
  const known = new Set(project.codes.map((c) => c.id));
  return (doc, leftOut) => {
    const shown = viewer === undefined ? doc.codings : doc.codings.filter((c) => {
      if (c.coder === viewer) return true;
      leftOut.set(c.id, 'hidden');
      return false;
    });
    // A pending or rejected suggestion is no coding yet: never a duplicate, nor the coding another repeats.
    const dupes = duplicateIds(shown.some(isUncountedSuggestion) ? shown.filter(isCountedSuggestion) : shown);
    const turns = excluded.length ? (input.turnsOf ? input.turnsOf(doc.path) : turnsOf(input.textOf, doc.path)) : undefined;
    const inExcludedTurns = turns ? excludedCodingTest(turns, excluded) : undefined;
    const counted: Coding[] = [];
    const orphans: Coding[] = [];
    for (const c of shown) {
      let why: LeftOut | undefined;
      if (doc.transcriptMissing) why = 'noTranscript';
      else if (c.suggestion && c.suggestion.status !== 'accepted') why = 'suggestion';
      else if (c.orphaned) why = 'orphaned';
      else if (dupes.has(c.id)) why = 'duplicate';
      else if (!known.has(c.codeId)) why = 'unknownCode';
      else if (inExcludedTurns?.(c)) why = 'excludedSpeaker';
      if (why === 'orphaned') orphans.push(c);
      if (why) leftOut.set(c.id, why);
      else counted.push(c);
    }
    return { path: doc.path, codings: counted, orphans };
  };
}

function turnsOf(textOf: AnalysisInput['textOf'], path: string) {
  const text = textOf?.(path);
  return text === undefined ? undefined : speakerTurns(text);
}

/** The numbers of one code (zeros for an unknown id). */
export function countsOf(analysis: Analysis, codeId: string): CodeCounts {
  return analysis.counts.get(codeId) ?? { segments: 0, documents: 0, coders: [], totalSegments: 0, totalDocuments: 0, totalCoders: [] };
}

/** One document of the analysis (an empty one for a path it does not know). */
export function analysedDocument(analysis: Analysis, path: string): AnalysedDocument {
  return analysis.documents.find((d) => d.path === path) ?? { path, codings: [], orphans: [] };
}

/**
 * The analysis within a set (the Segments view's and the matrices' "by set" filter): only the set's
 * documents when it has documents, only codings of its codes when it has codes, and the counts of what
 * is left. The same analysis without a set, or for a set that no longer exists.
 */
export function withinSet(analysis: Analysis, setId: string | undefined): Analysis {
  const scope = setScope(analysis.project, setId);
  if (!scope.set) return analysis;
  const { documents: docs, codes } = scope;
  const documents: AnalysedDocument[] = analysis.documents
    .filter((d) => !docs || docs.has(d.path))
    .map((d) => (codes ? { path: d.path, codings: d.codings.filter((c) => codes.has(c.codeId)), orphans: d.orphans.filter((c) => codes.has(c.codeId)) } : d));
  const total = documents.reduce((n, d) => n + d.codings.length, 0);
  return { project: analysis.project, documents, counts: codeCounts(analysis.project, documents), leftOut: analysis.leftOut, total };
}

/** One end of a relation in the analysis: the code, its path of names and its numbers (totals over subcodes for a category). */
export interface RelationEnd {
  code: Code;
  /** names from the top-level category down to the code */
  path: string[];
  counts: CodeCounts;
}

/** A relation as every view and report shows it: its type, its ends with their numbers, and the evidence that counts. */
export interface RelationRow {
  relation: Relation;
  type: RelationType;
  source: RelationEnd;
  target: RelationEnd;
  /** the evidence codings that count in this analysis (see the top of this file), in document order */
  evidence: { coding: Coding; path: string }[];
}

/**
 * The relations of the analysed project, each with its ends' names and counts and the evidence that
 * counts (evidence left out of the analysis, such as an orphaned coding or another coder's in blind
 * mode, is not counted). A relation whose code or type is missing (a hand edit, a merge: `grounded check`
 * reports it) is left out. Sorted by the source's name, the type's name, then the target's name.
 */
export function relationRows(analysis: Analysis): RelationRow[] {
  const { project } = analysis;
  const relations = relationsOf(project);
  if (!relations.length) return [];
  const codes = new Map(project.codes.map((c) => [c.id, c]));
  const wanted = new Set(relations.flatMap((r) => r.evidence ?? []));
  const counted = new Map<string, { coding: Coding; path: string; at: number }>();
  let at = 0;
  for (const doc of analysis.documents) for (const coding of doc.codings) if (wanted.has(coding.id)) counted.set(coding.id, { coding, path: doc.path, at: at++ });
  const end = (id: string): RelationEnd | undefined => {
    const code = codes.get(id);
    return code && { code, path: codePath(project, id), counts: analysis.counts.get(id)! };
  };
  const rows: RelationRow[] = [];
  for (const relation of relations) {
    const type = relationTypeOf(project, relation.type);
    const source = end(relation.source);
    const target = end(relation.target);
    if (!type || !source || !target || relation.source === relation.target) continue;
    const evidence = (relation.evidence ?? []).flatMap((id) => (counted.has(id) ? [counted.get(id)!] : [])).sort((a, b) => a.at - b.at).map(({ coding, path }) => ({ coding, path }));
    rows.push({ relation, type, source, target, evidence });
  }
  const cmp = (a: string, b: string) => a.localeCompare(b);
  return rows.sort((a, b) => cmp(a.source.code.name, b.source.code.name) || cmp(a.type.name, b.type.name) || cmp(a.target.code.name, b.target.code.name) || (a.relation.id < b.relation.id ? -1 : 1));
}
