// Edits of the codebook (rename, recolour, describe, move, delete, merge) and the numbers shown next
// to each code. Every edit is a pure function from the old project (and codings) to the new ones, and
// returns what it changed so that the editor can offer "Undo" (see restoreRecords).
import type { Code, Coding, ProjectFile } from './model';
import type { Environment } from './ports';
import { duplicateKey } from './invariants';
import { setsAfterCodesRemoved } from './sets';
import { mapsAfterCodesRemoved } from './maps';
import { relationsAfterCodesRemoved } from './relations';
import { COLOR_PATTERN, addCode, bySiblingOrder, childrenOf, effectiveParent, findCodeByName } from './project';
import { isUncountedSuggestion } from './suggestions';

function requireCode(project: ProjectFile, id: string): Code {
  const code = project.codes.find((c) => c.id === id);
  if (!code) throw new Error(`No code with id ${id}.`);
  return code;
}

function replaceCode(project: ProjectFile, code: Code): ProjectFile {
  return { ...project, codes: project.codes.map((c) => (c.id === code.id ? code : c)) };
}

const parentOf = (project: ProjectFile, code: Code): string | undefined => effectiveParent(project, code);

/** Renames a code. Names are unique among siblings (ignoring case), as in every QDA tool. */
export function renameCode(project: ProjectFile, id: string, name: string): ProjectFile {
  const code = requireCode(project, id);
  const trimmed = name.trim();
  if (!trimmed) throw new Error('A code needs a name.');
  const clash = findCodeByName(project, trimmed, parentOf(project, code) ?? null);
  if (clash && clash.id !== id) throw new Error(`There is already a code named "${clash.name}" here.`);
  return replaceCode(project, { ...code, name: trimmed });
}

export function recolorCode(project: ProjectFile, id: string, color: string): ProjectFile {
  const code = requireCode(project, id);
  if (!COLOR_PATTERN.re.test(color)) throw new Error(`Not a colour: ${color} (expected #rrggbb).`);
  return replaceCode(project, { ...code, color: color.toLowerCase() });
}

/** Sets or (with an empty text) removes a code's description. */
export function describeCode(project: ProjectFile, id: string, description: string): ProjectFile {
  const { description: _old, ...rest } = requireCode(project, id);
  const text = description.trim();
  return replaceCode(project, text ? { ...rest, description: text } : rest);
}

/** Ids of every code below `id` in the tree (not including `id`). */
export function descendantsOf(project: ProjectFile, id: string): string[] {
  const out: string[] = [];
  const queue = [id];
  const seen = new Set([id]);
  while (queue.length) {
    const parent = queue.shift()!;
    for (const c of project.codes) {
      if (c.parent === parent && !seen.has(c.id)) {
        seen.add(c.id);
        out.push(c.id);
        queue.push(c.id);
      }
    }
  }
  return out;
}

/**
 * Moves a code under another code (which becomes or stays a category), or to the top level with
 * `parent` undefined. Refuses to move a code under itself or its own descendants, and a name clash.
 */
export function moveCode(project: ProjectFile, id: string, parent: string | undefined): ProjectFile {
  const code = requireCode(project, id);
  if (parent !== undefined) {
    requireCode(project, parent);
    if (parent === id || descendantsOf(project, id).includes(parent)) {
      throw new Error(`"${code.name}" cannot be moved under itself or one of its own subcodes.`);
    }
  }
  const clash = findCodeByName(project, code.name, parent ?? null);
  if (clash && clash.id !== id) throw new Error(`There is already a code named "${clash.name}" there.`);
  // Among its new siblings it goes where its name sorts (its old position meant nothing there).
  const { parent: _old, order: _order, ...rest } = code;
  return replaceCode(project, parent ? { ...rest, parent } : rest);
}

/** The codebook after an edit, and the code records as they were before it, for undo. */
export interface CodebookEdit {
  project: ProjectFile;
  /** code records before the edit (changed or removed ones) */
  before: Code[];
  /** ids of codes the edit created (undo removes them) */
  added?: string[];
}

/** Marks codes as focused codes (or unmarks them). Unknown ids fail; unchanged codes are not in `before`. */
export function setFocused(project: ProjectFile, ids: readonly string[], focused: boolean): CodebookEdit {
  const wanted = new Set(ids);
  for (const id of wanted) requireCode(project, id);
  const before: Code[] = [];
  const codes = project.codes.map((c) => {
    if (!wanted.has(c.id) || !!c.focused === focused) return c;
    before.push(c);
    const { focused: _f, ...rest } = c;
    return focused ? { ...rest, focused: true } : rest;
  });
  return { project: { ...project, codes }, before };
}

/**
 * A new category (a code meant to hold codes) named `name` under `parent` (or at the top level), with
 * the given codes moved into it. Used by "New Category" (no codes) and "Group into Category".
 */
export function groupIntoCategory(
  project: ProjectFile,
  name: string,
  parent: string | undefined,
  codeIds: readonly string[],
  coder: string,
  env: Environment,
  template?: Pick<Code, 'color' | 'description'>,
): CodebookEdit & { category: Code } {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('A category needs a name.');
  const clash = findCodeByName(project, trimmed, parent ?? null);
  if (clash) throw new Error(`There is already a code named "${clash.name}" here.`);
  const { project: withCategory, code: category } = addCode(project, { name: trimmed, parent, color: template?.color, description: template?.description }, coder, env);
  let p = withCategory;
  const before: Code[] = [];
  for (const id of codeIds) {
    before.push(requireCode(p, id));
    p = moveCode(p, id, category.id);
  }
  return { project: p, before, added: [category.id], category };
}

/**
 * "Promote to Category": a new category with the code's name, colour and description takes the
 * code's place in the tree, and the code moves under it as its first subcode. The code keeps its id
 * and its codings; the category can then gather more codes.
 */
export function promoteToCategory(project: ProjectFile, id: string, coder: string, env: Environment): CodebookEdit & { category: Code } {
  const code = requireCode(project, id);
  const parent = effectiveParent(project, code);
  // The code leaves its level first, so the category may take its name there.
  const { parent: _p, ...rest } = code;
  const away = replaceCode(project, { ...rest, parent: id });
  const result = groupIntoCategory(away, code.name, parent, [], coder, env, code);
  const p = replaceCode(result.project, { ...rest, parent: result.category.id });
  return { project: p, before: [code], added: result.added, category: result.category };
}

/**
 * Deletes a code. Its subcodes are kept and move up to its parent; it leaves its sets, relations and maps; its codings are
 * removed by the caller with `removeCodingsOf`.
 */
export function deleteCode(project: ProjectFile, id: string): CodebookEdit {
  const code = requireCode(project, id);
  const parent = parentOf(project, code);
  // Its subcodes move up a level: names stay unique among siblings, ignoring case.
  for (const sub of project.codes.filter((c) => c.parent === id)) {
    const clash = findCodeByName(project, sub.name, parent ?? null);
    if (clash && clash.id !== id) throw new Error(`Deleting "${code.name}" would put its subcode "${sub.name}" beside "${clash.name}": rename or merge one of them first.`);
  }
  const before: Code[] = [code];
  const codes: Code[] = [];
  for (const c of project.codes) {
    if (c.id === id) continue;
    if (c.parent === id) {
      before.push(c);
      const { parent: _p, ...rest } = c;
      codes.push(parent ? { ...rest, parent } : rest);
    } else codes.push(c);
  }
  return { project: mapsAfterCodesRemoved(relationsAfterCodesRemoved(setsAfterCodesRemoved({ ...project, codes }, [id]), [id]), [id]), before };
}

/**
 * Merges `sourceId` into `targetId`: the source code disappears, its subcodes move under the target,
 * the target takes its place in its sets, relations and maps, and its codings are recoded by the caller with `recodeCodings`.
 */
export function mergeCodes(project: ProjectFile, sourceId: string, targetId: string): CodebookEdit {
  if (sourceId === targetId) throw new Error('A code cannot be merged into itself.');
  const source = requireCode(project, sourceId);
  const target = requireCode(project, targetId);
  if (descendantsOf(project, sourceId).includes(targetId)) {
    throw new Error(`"${source.name}" cannot be merged into its own subcode "${target.name}".`);
  }
  // The source's subcodes join the target's: names stay unique among siblings, ignoring case.
  for (const sub of project.codes.filter((c) => c.parent === sourceId)) {
    const clash = findCodeByName(project, sub.name, targetId);
    if (clash) throw new Error(`"${target.name}" already has a subcode named "${clash.name}", like "${source.name}"'s "${sub.name}": rename or merge one of them first.`);
  }
  const before: Code[] = [source];
  const codes: Code[] = [];
  for (const c of project.codes) {
    if (c.id === sourceId) continue;
    if (c.parent === sourceId) {
      before.push(c);
      codes.push({ ...c, parent: targetId });
    } else codes.push(c);
  }
  const into = new Map([[sourceId, targetId]]);
  return { project: mapsAfterCodesRemoved(relationsAfterCodesRemoved(setsAfterCodesRemoved({ ...project, codes }, [sourceId], into), [sourceId], into), [sourceId], into), before };
}

/** The codings of one transcript after an edit, and the coding records as they were before it. */
export interface CodingsEdit {
  codings: Coding[];
  before: Coding[];
}

/** Removes every coding of the given codes. */
export function removeCodingsOf(codings: readonly Coding[], codeIds: readonly string[]): CodingsEdit {
  const gone = new Set(codeIds);
  return { codings: codings.filter((c) => !gone.has(c.codeId)), before: codings.filter((c) => gone.has(c.codeId)) };
}

/**
 * Recodes the codings of `sourceId` as `targetId`. A coding that would duplicate one the same coder
 * has with the target on exactly the same span is dropped (it is in `before`, so undo brings it back);
 * another coder's coding of the same span stays, as theirs.
 */
export function recodeCodings(codings: readonly Coding[], sourceId: string, targetId: string): CodingsEdit {
  const spanKey = (c: Coding) => duplicateKey({ ...c, codeId: targetId });
  const targetSpans = new Set(codings.filter((c) => c.codeId === targetId && !c.orphaned).map(spanKey));
  const before: Coding[] = [];
  const out: Coding[] = [];
  for (const c of codings) {
    if (c.codeId !== sourceId) {
      out.push(c);
      continue;
    }
    before.push(c);
    if (c.orphaned || !targetSpans.has(spanKey(c))) {
      if (!c.orphaned) targetSpans.add(spanKey(c));
      out.push({ ...c, codeId: targetId });
    }
  }
  return { codings: out, before };
}

/**
 * Undo: puts saved records back by id over the current ones. A record that still exists keeps what
 * changed in it since (for codings: `keep`, the anchor that moved with later edits); others return.
 */
export function restoreRecords<T extends { id: string }>(current: readonly T[], saved: readonly T[], keep?: (now: T, saved: T) => T): T[] {
  const byId = new Map(saved.map((r) => [r.id, r]));
  const out = current.map((r) => {
    const s = byId.get(r.id);
    if (!s) return r;
    byId.delete(r.id);
    return keep ? keep(r, s) : s;
  });
  return [...out, ...byId.values()];
}

/** Undo of a codings edit: the saved codings come back, with the current anchor where they still exist. */
export function restoreCodings(current: readonly Coding[], saved: readonly Coding[]): Coding[] {
  return restoreRecords(current, saved, (now, old) => ({ ...old, anchor: now.anchor, orphaned: now.orphaned }));
}

/** One transcript's codings, as the counting functions see them. */
export interface DocumentCodings {
  /** workspace-relative path of the transcript */
  path: string;
  codings: readonly Coding[];
  /** true when the sidecar is there but its transcript is not (deleted, or moved outside the editor) */
  transcriptMissing?: boolean;
}

export interface CodeCounts {
  /** codings of this code */
  segments: number;
  /** transcripts with at least one coding of this code */
  documents: number;
  /** the coders who applied it, sorted */
  coders: string[];
  /** segments of this code and every code below it */
  totalSegments: number;
  /** transcripts with a coding of this code or one below it */
  totalDocuments: number;
  /** the coders who applied this code or one below it, sorted */
  totalCoders: string[];
}

/**
 * Counts for every code of the codebook (zero for unused codes) over codings that already count: call
 * it through core/analysis.ts `analyse`, which decides that, never on raw sidecar codings.
 */
export function codeCounts(project: ProjectFile, documents: readonly DocumentCodings[]): Map<string, CodeCounts> {
  const counter = codeCounter(project);
  for (const doc of documents) counter.add(doc);
  return counter.counts();
}

/**
 * `codeCounts` a document at a time, for a caller that reads one transcript after another and keeps
 * none of their codings (the CLI's `stats`): `add` each document once, then `counts()`, which gives
 * what `codeCounts` gives for all the documents added.
 */
export function codeCounter(project: ProjectFile): { add(doc: DocumentCodings): void; counts(): Map<string, CodeCounts> } {
  const own = new Map<string, { segments: number; docs: Set<string>; coders: Set<string> }>();
  for (const c of project.codes) own.set(c.id, { segments: 0, docs: new Set(), coders: new Set() });
  const add = (doc: DocumentCodings): void => {
    for (const coding of doc.codings) {
      if (coding.orphaned || isUncountedSuggestion(coding)) continue;
      const entry = own.get(coding.codeId);
      if (!entry) continue;
      entry.segments++;
      entry.docs.add(doc.path);
      entry.coders.add(coding.coder);
    }
  };
  const counts = (): Map<string, CodeCounts> => {
    const out = new Map<string, CodeCounts>();
    for (const c of project.codes) {
      const mine = own.get(c.id)!;
      let totalSegments = mine.segments;
      const docs = new Set(mine.docs);
      const coders = new Set(mine.coders);
      for (const d of descendantsOf(project, c.id)) {
        const e = own.get(d)!;
        totalSegments += e.segments;
        for (const p of e.docs) docs.add(p);
        for (const k of e.coders) coders.add(k);
      }
      out.set(c.id, {
        segments: mine.segments,
        documents: mine.docs.size,
        coders: [...mine.coders].sort(),
        totalSegments,
        totalDocuments: docs.size,
        totalCoders: [...coders].sort(),
      });
    }
    return out;
  };
  return { add, counts };
}

/**
 * Moves a code one place up (-1) or down (+1) among its siblings. The siblings are numbered 0, 1, …
 * in their current order (so the arrangement is kept in the file); the records changed are returned.
 */
export function reorderCode(project: ProjectFile, id: string, delta: -1 | 1): CodebookEdit {
  const code = requireCode(project, id);
  const siblings = childrenOf(project, effectiveParent(project, code));
  const i = siblings.findIndex((c) => c.id === id);
  const j = i + delta;
  if (j < 0 || j >= siblings.length) return { project, before: [] };
  const arranged = [...siblings];
  [arranged[i], arranged[j]] = [arranged[j], arranged[i]];
  const changed = new Map<string, Code>();
  const before: Code[] = [];
  arranged.forEach((c, n) => {
    if (c.order !== n) {
      before.push(c);
      changed.set(c.id, { ...c, order: n });
    }
  });
  return { project: { ...project, codes: project.codes.map((c) => changed.get(c.id) ?? c) }, before };
}

/** Name order (arranged codes first, see bySiblingOrder) or frequency. */
export type CodeOrder = 'name' | 'frequency';

/** Sorts sibling codes by name, or by frequency (segments below them, most first, then by name). */
export function sortCodes(codes: readonly Code[], order: CodeOrder, counts?: ReadonlyMap<string, CodeCounts>): Code[] {
  const byName = bySiblingOrder;
  if (order === 'name' || !counts) return [...codes].sort(byName);
  const n = (c: Code) => counts.get(c.id)?.totalSegments ?? 0;
  return [...codes].sort((a, b) => n(b) - n(a) || byName(a, b));
}

/** Share of the text's characters covered by at least one (not orphaned) coding, from 0 to 1. */
export function coverage(textLength: number, codings: readonly Coding[]): number {
  if (textLength <= 0) return 0;
  // Codings in sidecar order are sorted by start already: one sweep, without a list of spans to sort.
  let covered = 0;
  let reach = 0;
  let last = 0;
  for (const c of codings) {
    if (c.orphaned) continue;
    const a = Math.max(0, c.anchor.start);
    const b = Math.min(textLength, c.anchor.end);
    if (!(b > a)) continue;
    if (a < last) return coverageOfUnsorted(textLength, codings);
    last = a;
    if (b <= reach) continue;
    covered += b - Math.max(a, reach);
    reach = b;
  }
  return covered / textLength;
}

/** `coverage` of codings in any order. */
function coverageOfUnsorted(textLength: number, codings: readonly Coding[]): number {
  const spans = codings
    .filter((c) => !c.orphaned)
    .map((c) => [Math.max(0, c.anchor.start), Math.min(textLength, c.anchor.end)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let reach = 0;
  for (const [a, b] of spans) {
    if (b <= reach) continue;
    covered += b - Math.max(a, reach);
    reach = b;
  }
  return covered / textLength;
}

/** How many codes "recently used" remembers. */
export const RECENT_CODES = 8;

/** The recently used list after using `id`: it moves to the front, the list stays short. */
export function touchRecent(recent: readonly string[], id: string, max = RECENT_CODES): string[] {
  return [id, ...recent.filter((r) => r !== id)].slice(0, max);
}

/** Codes for a picker: the recently used ones first (most recent first), then all others by name. */
export function recentFirst(codes: readonly Code[], recent: readonly string[]): { recent: Code[]; others: Code[] } {
  const byIdMap = new Map(codes.map((c) => [c.id, c]));
  const first = recent.map((id) => byIdMap.get(id)).filter((c): c is Code => !!c);
  const seen = new Set(first.map((c) => c.id));
  const others = codes.filter((c) => !seen.has(c.id)).sort((a, b) => a.name.localeCompare(b.name));
  return { recent: first, others };
}
