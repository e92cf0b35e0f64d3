// `grounded check`: validates a project folder and reports what is wrong, without writing anything.
// A changed transcript is re-anchored in memory only, to tell how its codings fare; the extension
// saves the new positions the next time the transcript is opened.
import { mapProblems } from '../core/maps';
import { relationProblems } from '../core/relations';
import { reanchorCodings } from '../core/anchor';
import { readLfText } from '../core/hash';
import { findDuplicates } from '../core/invariants';
import { FormatError, lineColumnAt, offsetOfJsonPath } from '../core/jsonError';
import type { JsonPath } from '../core/jsonError';
import { memoTargetToString, parseMemo } from '../core/memo';
import { MEMO_DIR, PROJECT_FILE } from '../core/model';
import type { Coding, ProjectFile, Sidecar } from '../core/model';
import { findCodeByName, parseProject } from '../core/project';
import { isSidecarPath, parseSidecar, transcriptPathFor } from '../core/sidecar';
import { isUncountedSuggestion, suggestionProblems } from '../core/suggestions';
import { NodeFileSystem } from './nodeFs';

export type FindingKind =
  | 'parse' // a file that does not parse: broken JSON, a wrong field, a bad memo front matter
  | 'project-missing' // no grounded.json
  | 'transcript-missing' // a sidecar whose transcript does not exist
  | 'document-path' // document.path differs from the transcript the sidecar is named after
  | 'orphaned' // a coding whose quote cannot be found in its transcript
  | 'anchor-mismatch' // hash matches, but the text at the stored offsets is not the quote
  | 'unknown-code' // a coding whose codeId is not in the codebook
  | 'duplicate' // a coding that repeats another: the same coder's same code on the same span (counted once)
  | 'duplicate-name' // a code whose name another code at the same level has, ignoring case (after a git merge)
  | 'memo-target' // a memo about a code, coding, document or relation that does not exist
  | 'merge-conflict' // a record a merge (git's driver, or a save) kept twice (conflictOf) until a person picks one
  | 'set-member' // a set holding a code that is not in the codebook (deleted on another branch)
  | 'relation' // a relation whose code, type or evidence does not exist, that relates a code to itself, or repeats another
  | 'map' // a theory map's node whose code is not in the codebook
  | 'suggestion' // an AI suggestion's record that contradicts itself (accepted without decidedBy, a coder not "AI: <model>")
  | 'reanchored'; // info: a changed transcript, re-anchored in memory

export interface Finding {
  severity: 'problem' | 'info';
  kind: FindingKind;
  /** project-relative, forward slashes */
  path: string;
  /** 1-based, when the finding has a place in the file */
  line?: number;
  column?: number;
  message: string;
  codingId?: string;
  codeId?: string;
  relationId?: string;
}

export interface TranscriptCheck {
  path: string;
  sidecar: string;
  codings: number;
  exists: boolean;
  /** the transcript's hash differs from the sidecar's document.hash */
  changed: boolean;
  /** set when changed: how re-anchoring in memory went */
  reanchor?: { unchanged: number; moved: number; fuzzy: number; orphaned: number };
}

export interface CheckReport {
  root: string;
  /** coded transcripts: one per sidecar that parses */
  transcripts: TranscriptCheck[];
  /** codings (pending and rejected AI suggestions are not codings: see `suggestions`) */
  codings: number;
  /** pending and rejected AI suggestions */
  suggestions: number;
  memos: number;
  problems: number;
  /** in file order: grounded.json, then sidecars, then memos */
  findings: Finding[];
}

/** Checks the project in `root`. Only reads; throws only on I/O errors (a file that does not parse is a finding). */
export async function checkProject(root: string): Promise<CheckReport> {
  const fs = new NodeFileSystem(root);
  const findings: Finding[] = [];
  const problem = (f: Omit<Finding, 'severity'>): void => void findings.push({ severity: 'problem', ...f });
  const transcripts: TranscriptCheck[] = [];
  let codingCount = 0;
  let suggestionCount = 0;

  // The codebook. Without it, code references cannot be judged and are not reported.
  let project: ProjectFile | undefined;
  const projectText = await fs.readText(PROJECT_FILE);
  if (projectText === undefined) {
    problem({ kind: 'project-missing', path: PROJECT_FILE, message: 'not found: is this a Grounded project folder?' });
  } else {
    project = tryParse(projectText, PROJECT_FILE, parseProject, findings);
  }
  const codeNames = project && new Map(project.codes.map((c) => [c.id, c.name]));
  if (project && projectText !== undefined) {
    const codes = new Map(project.codes.map((c) => [c.id, c]));
    const at = (jsonPath: JsonPath) => lineColumnAt(projectText, offsetOfJsonPath(projectText, jsonPath));
    project.codes.forEach((code, i) => {
      if (code.conflictOf) {
        problem({ kind: 'merge-conflict', path: PROJECT_FILE, ...at(['codes', i, 'conflictOf']), message: `code "${code.name}": the other side's version of code ${code.conflictOf.slice(0, 8)} ("${codeNames!.get(code.conflictOf) ?? '?'}"), which both sides (branches, or windows saving at once) changed; keep one and delete the other`, codeId: code.id });
      }
      // Names are unique among siblings, ignoring case; a git merge of two branches that each added
      // "Hope" and "hope" at one level breaks that. Each code after the first of a name is reported.
      const first = findCodeByName(project!, code.name, code.parent ?? null);
      if (first && first.id !== code.id) {
        const level = code.parent ? `under "${codes.get(code.parent)?.name ?? code.parent}"` : 'at the top level';
        problem({ kind: 'duplicate-name', path: PROJECT_FILE, ...at(['codes', i, 'name']), message: `code "${code.name}" (${code.id.slice(0, 8)}) has the name of code "${first.name}" (${first.id.slice(0, 8)}) ${level}, ignoring case; names must differ among siblings. Rename one of them, or merge one into the other (Merge Code into…)`, codeId: code.id });
      }
    });
    // A set's codes exist (deleting or merging a code updates its sets; a git merge may not).
    (project.sets ?? []).forEach((set, i) => {
      set.codes.forEach((id, k) => {
        if (!codes.has(id)) problem({ kind: 'set-member', path: PROJECT_FILE, ...at(['sets', i, 'codes', k]), message: `set "${set.name}": code ${id} is not in the codebook; remove its id from the set in grounded.json, or restore the code`, codeId: id });
      });
    });
  }
  const describeCoding = (c: Coding): string => {
    const name = codeNames?.get(c.codeId);
    return `coding ${c.id.slice(0, 8)}${name ? ` (${name})` : ''}`;
  };

  const files = await fs.list('');
  const codingIds = new Set<string>();
  let allSidecarsRead = true;
  for (const sidecarPath of files.filter(isSidecarPath)) {
    const text = (await fs.readText(sidecarPath)) ?? '';
    const sidecar = tryParse<Sidecar>(text, sidecarPath, parseSidecar, findings);
    if (!sidecar) {
      allSidecarsRead = false;
      continue;
    }
    const at = (jsonPath: JsonPath) => lineColumnAt(text, offsetOfJsonPath(text, jsonPath));
    const transcriptPath = transcriptPathFor(sidecarPath);
    const codings = sidecar.codings;
    // A pending or rejected AI suggestion is no coding: not counted, never a duplicate.
    const uncounted = codings.filter(isUncountedSuggestion).length;
    codingCount += codings.length - uncounted;
    suggestionCount += uncounted;
    for (const c of codings) codingIds.add(c.id);

    if (sidecar.document.path !== transcriptPath) {
      problem({ kind: 'document-path', path: sidecarPath, ...at(['document', 'path']), message: `document.path is "${sidecar.document.path}", but this sidecar belongs to ${transcriptPath}` });
    }
    // A coding that repeats another (same coder, code and span) is counted once; the earliest counts.
    const repeats = new Map<string, Coding>();
    for (const g of findDuplicates(uncounted ? codings.filter((c) => !isUncountedSuggestion(c)) : codings)) for (const r of g.repeats) repeats.set(r.id, g.kept);
    codings.forEach((c, i) => {
      const kept = repeats.get(c.id);
      if (kept) {
        const code = codeNames?.get(c.codeId) ?? c.codeId;
        problem({ kind: 'duplicate', path: sidecarPath, ...at(['codings', i]), message: `coding ${c.id.slice(0, 8)} repeats coding ${kept.id.slice(0, 8)} (same coder "${c.coder}", code "${code}", span ${c.anchor.start}-${c.anchor.end}); counts include it once. Remove one of them.`, codingId: c.id, codeId: c.codeId });
      }
      if (c.conflictOf) {
        problem({ kind: 'merge-conflict', path: sidecarPath, ...at(['codings', i, 'conflictOf']), message: `${describeCoding(c)}: the other side's version of coding ${c.conflictOf.slice(0, 8)}, which both sides (branches, or windows saving at once) changed; keep one of the two and delete the other`, codingId: c.id, codeId: c.codeId });
      }
      for (const p of suggestionProblems(c)) {
        const field = p.field === 'coder' || p.field === 'codeId' ? ['codings', i, p.field] : ['codings', i, 'suggestion', p.field];
        problem({ kind: 'suggestion', path: sidecarPath, ...at(field), message: `AI suggestion ${c.id.slice(0, 8)} ("${c.suggestion!.code}"): ${p.message}`, codingId: c.id, ...(c.codeId ? { codeId: c.codeId } : {}) });
      }
      if (codeNames && c.codeId !== '' && !codeNames.has(c.codeId)) {
        problem({ kind: 'unknown-code', path: sidecarPath, ...at(['codings', i, 'codeId']), message: `${describeCoding(c)}: code ${c.codeId} is not in the codebook (${PROJECT_FILE})`, codingId: c.id, codeId: c.codeId });
      }
    });

    const check: TranscriptCheck = { path: transcriptPath, sidecar: sidecarPath, codings: codings.length - uncounted, exists: false, changed: false };
    transcripts.push(check);
    const transcript = await readLfText(fs, transcriptPath);
    if (transcript === undefined) {
      problem({ kind: 'transcript-missing', path: sidecarPath, ...at(['document']), message: `transcript missing: ${transcriptPath} does not exist (${plural(codings.length, 'coding')} refer to it)` });
      continue;
    }
    check.exists = true;
    const lf = transcript.text;
    const orphan = (c: Coding, i: number, why: string) =>
      problem({ kind: 'orphaned', path: sidecarPath, ...at(['codings', i]), message: `orphaned ${describeCoding(c)}: ${why}`, codingId: c.id, codeId: c.codeId });

    if (transcript.hash === sidecar.document.hash) {
      codings.forEach((c, i) => {
        // The snippet only for a problem: made for every coding, it was a fifth of the check.
        const quote = () => `quote ${snippet(c.anchor.quote)}`;
        if (c.orphaned) orphan(c, i, `${quote()} was not found in ${transcriptPath} when it was last re-anchored`);
        else if (lf.slice(c.anchor.start, c.anchor.end) !== c.anchor.quote) {
          problem({ kind: 'anchor-mismatch', path: sidecarPath, ...at(['codings', i, 'anchor']), message: `${describeCoding(c)}: ${quote()} is not at ${c.anchor.start}-${c.anchor.end} in ${transcriptPath}, although the transcript is unchanged`, codingId: c.id, codeId: c.codeId });
        }
      });
      continue;
    }
    // Changed behind Grounded's back: find every coding again, in memory only.
    check.changed = true;
    const { codings: found, report } = reanchorCodings(codings, lf);
    check.reanchor = { unchanged: report.unchanged, moved: report.moved, fuzzy: report.fuzzy, orphaned: report.orphaned.length };
    const counts = `${report.unchanged} unchanged, ${report.moved} moved, ${report.fuzzy} fuzzy, ${report.orphaned.length} orphaned`;
    findings.push({ severity: 'info', kind: 'reanchored', path: transcriptPath, message: `changed since it was coded; re-anchored in memory: ${counts} (opening it in VS Code saves this)` });
    found.forEach((c, i) => {
      if (!c.orphaned) return;
      const why = codings[i].orphaned ? 'flagged orphaned in the sidecar, and still not found' : 'not found';
      orphan(codings[i], i, `quote ${snippet(c.anchor.quote)} ${why} in the changed ${transcriptPath}`);
    });
  }

  // Relations (core/relations.ts keeps them right; a hand edit or a git merge may not).
  if (project && projectText !== undefined) {
    const at = (jsonPath: JsonPath) => lineColumnAt(projectText, offsetOfJsonPath(projectText, jsonPath));
    (project.relationTypes ?? []).forEach((t, i) => {
      if (t.conflictOf) problem({ kind: 'merge-conflict', path: PROJECT_FILE, ...at(['relationTypes', i, 'conflictOf']), message: `relation type "${t.name}": the other side's version of relation type ${t.conflictOf.slice(0, 8)}, which both sides changed; keep one and delete the other` });
    });
    (project.relations ?? []).forEach((r, i) => {
      if (r.conflictOf) problem({ kind: 'merge-conflict', path: PROJECT_FILE, ...at(['relations', i, 'conflictOf']), message: `relation ${r.id.slice(0, 8)}: the other side's version of relation ${r.conflictOf.slice(0, 8)}, which both sides changed; keep one and delete the other`, relationId: r.id });
    });
    for (const p of relationProblems(project, allSidecarsRead ? codingIds : undefined)) {
      problem({ kind: 'relation', path: PROJECT_FILE, ...at(p.at), message: p.message, relationId: p.relationId });
    }
    for (const p of mapProblems(project)) problem({ kind: 'map', path: PROJECT_FILE, ...at(p.at), message: p.message });
  }

  // Memos: each must parse, and what it is about must exist.
  const memoPaths = (await fs.list(MEMO_DIR)).filter((p) => p.endsWith('.md'));
  for (const memoPath of memoPaths) {
    const text = (await fs.readText(memoPath)) ?? '';
    const memo = tryParse(text, memoPath, parseMemo, findings);
    if (!memo) continue;
    const t = memo.target;
    let missing: string | undefined;
    if (t.kind === 'code' && codeNames && !codeNames.has(t.id)) missing = `no code with this id in ${PROJECT_FILE}`;
    else if (t.kind === 'coding' && allSidecarsRead && !codingIds.has(t.id)) missing = 'no coding with this id in any sidecar';
    else if (t.kind === 'relation' && project && !(project.relations ?? []).some((r) => r.id === t.id)) missing = `no relation with this id in ${PROJECT_FILE}`;
    else if (t.kind === 'document' && !(await exists(fs, t.path))) missing = 'no such file';
    if (missing) {
      const line = text.replace(/\r\n?/g, '\n').split('\n').findIndex((l) => l.startsWith('target:')) + 1;
      problem({ kind: 'memo-target', path: memoPath, line, column: 'target: '.length + 1, message: `target ${memoTargetToString(t)}: ${missing}`, ...(t.kind === 'code' ? { codeId: t.id } : t.kind === 'coding' ? { codingId: t.id } : {}) });
    }
  }

  return {
    root: fs.root,
    transcripts,
    codings: codingCount,
    suggestions: suggestionCount,
    memos: memoPaths.length,
    problems: findings.filter((f) => f.severity === 'problem').length,
    findings,
  };
}

/** The human report: one line per finding, then the summary. `prefix` is put before every path (the folder as the user named it). */
export function formatReport(report: CheckReport, prefix = ''): string {
  const lines = report.findings.map((f) => {
    const where = f.line !== undefined ? `${prefix}${f.path}:${f.line}:${f.column ?? 1}` : `${prefix}${f.path}`;
    return `${where}: ${f.severity === 'info' ? 'note: ' : ''}${f.message}`;
  });
  lines.push(summaryLine(report));
  return lines.join('\n') + '\n';
}

export function summaryLine(r: CheckReport): string {
  const suggestions = r.suggestions ? [plural(r.suggestions, 'AI suggestion') + ' not (yet) accepted'] : [];
  return [plural(r.transcripts.length, 'transcript'), plural(r.codings, 'coding'), ...suggestions, plural(r.memos, 'memo'), plural(r.problems, 'problem')].join(', ');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A quote for a message: one line, at most 40 characters. */
function snippet(quote: string): string {
  const flat = quote.replace(/\s+/g, ' ');
  return JSON.stringify(flat.length > 40 ? flat.slice(0, 39) + '…' : flat);
}

function tryParse<T>(text: string, path: string, parse: (text: string, path: string) => T, findings: Finding[]): T | undefined {
  try {
    return parse(text, path);
  } catch (err) {
    if (!(err instanceof FormatError)) throw err;
    findings.push({ severity: 'problem', kind: 'parse', path, line: err.line, column: err.column, message: err.reason });
    return undefined;
  }
}

async function exists(fs: NodeFileSystem, path: string): Promise<boolean> {
  try {
    return (await fs.readText(path)) !== undefined;
  } catch {
    return false; // outside the project folder, or a folder
  }
}
