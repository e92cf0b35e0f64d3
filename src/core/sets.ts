// Sets: named groups of documents and of codes (MAXQDA's document and code sets, REFI-QDA <Set>), as
// pure edits of the project, each returning the set records it changed so that the session can undo it.
// Names are unique among sets, ignoring case and surrounding spaces; members are transcript paths and
// code ids that exist when they are added (a transcript deleted later stays listed, like a case's).
import type { ProjectFile, ProjectSet } from './model';
import type { Environment } from './ports';

export interface SetEdit {
  project: ProjectFile;
  /** set records before the edit (changed or removed ones) */
  before: ProjectSet[];
  /** ids of the sets the edit created (undo removes them) */
  added?: string[];
}

/** What a set filter picks: a set by id. The filter of a view is personal state, never in grounded.json. */
export interface SetFilter {
  setId: string;
}

const key = (s: string): string => s.trim().normalize('NFC').toLowerCase();
const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

export function setsOf(project: ProjectFile): readonly ProjectSet[] {
  return project.sets ?? [];
}

/** Sets sorted by name (then id), as the views list them. */
export function setsByName(project: ProjectFile): ProjectSet[] {
  return [...setsOf(project)].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

export function findSetByName(project: ProjectFile, name: string): ProjectSet | undefined {
  const k = key(name);
  return setsOf(project).find((s) => key(s.name) === k);
}

export function requireSet(project: ProjectFile, id: string): ProjectSet {
  const found = setsOf(project).find((s) => s.id === id);
  if (!found) throw new Error(`The set no longer exists (id ${id}).`);
  return found;
}

/** The sets a transcript is in, by name. */
export function setsOfDocument(project: ProjectFile, path: string): ProjectSet[] {
  return setsByName(project).filter((s) => s.documents.includes(path));
}

/** The sets a code is in, by name. */
export function setsOfCode(project: ProjectFile, id: string): ProjectSet[] {
  return setsByName(project).filter((s) => s.codes.includes(id));
}

function checkedName(project: ProjectFile, name: string, self?: string): string {
  const n = name.trim();
  if (!n) throw new Error('A set needs a name.');
  const other = findSetByName(project, n);
  if (other && other.id !== self) throw new Error(`There is already a set named "${other.name}". Pick it, or choose another name.`);
  return n;
}

function withSets(project: ProjectFile, sets: ProjectSet[]): ProjectFile {
  const out: ProjectFile = { ...project, sets };
  if (!sets.length) delete out.sets;
  return out;
}

function replaceSet(project: ProjectFile, set: ProjectSet): ProjectFile {
  return withSets(project, setsOf(project).map((s) => (s.id === set.id ? set : s)));
}

export interface SetMembers {
  documents?: readonly string[];
  codes?: readonly string[];
}

/** Refuses members that do not exist: a code id not in the codebook, a transcript `hasDocument` does not know. */
function checkMembers(project: ProjectFile, members: SetMembers, hasDocument: (path: string) => boolean): void {
  for (const id of members.codes ?? []) if (!project.codes.some((c) => c.id === id)) throw new Error(`The code no longer exists (id ${id}).`);
  for (const p of members.documents ?? []) if (!hasDocument(p)) throw new Error(`${p} is not a transcript of this project.`);
}

/** A new set with a unique name, optionally with members. */
export function addSet(project: ProjectFile, name: string, env: Environment, members: SetMembers = {}, hasDocument: (path: string) => boolean = () => true): SetEdit & { set: ProjectSet } {
  const n = checkedName(project, name);
  checkMembers(project, members, hasDocument);
  const set: ProjectSet = { id: env.newId(), name: n, documents: sorted(members.documents ?? []), codes: sorted(members.codes ?? []) };
  return { project: withSets(project, [...setsOf(project), set]), before: [], added: [set.id], set };
}

/** Renames a set; the name stays unique (ignoring case). */
export function renameSet(project: ProjectFile, id: string, name: string): SetEdit {
  const old = requireSet(project, id);
  const n = checkedName(project, name, id);
  if (n === old.name) return { project, before: [] };
  return { project: replaceSet(project, { ...old, name: n }), before: [old] };
}

/** Describes a set (an empty description removes it). */
export function describeSet(project: ProjectFile, id: string, description: string): SetEdit {
  const old = requireSet(project, id);
  const d = description.trim();
  if ((old.description ?? '') === d) return { project, before: [] };
  const next: ProjectSet = { ...old };
  if (d) next.description = d;
  else delete next.description;
  return { project: replaceSet(project, next), before: [old] };
}

/** Adds documents and codes to a set; members it has already are left as they are. */
export function addToSet(project: ProjectFile, id: string, members: SetMembers, hasDocument: (path: string) => boolean = () => true): SetEdit {
  const old = requireSet(project, id);
  checkMembers(project, members, hasDocument);
  const next: ProjectSet = { ...old, documents: sorted([...old.documents, ...(members.documents ?? [])]), codes: sorted([...old.codes, ...(members.codes ?? [])]) };
  if (next.documents.length === old.documents.length && next.codes.length === old.codes.length) return { project, before: [] };
  return { project: replaceSet(project, next), before: [old] };
}

/** Takes documents and codes out of a set; members it does not have are ignored. */
export function removeFromSet(project: ProjectFile, id: string, members: SetMembers): SetEdit {
  const old = requireSet(project, id);
  const docs = new Set(members.documents ?? []);
  const codes = new Set(members.codes ?? []);
  const next: ProjectSet = { ...old, documents: old.documents.filter((d) => !docs.has(d)), codes: old.codes.filter((c) => !codes.has(c)) };
  if (next.documents.length === old.documents.length && next.codes.length === old.codes.length) return { project, before: [] };
  return { project: replaceSet(project, next), before: [old] };
}

/** Deletes a set (its documents and codes stay). */
export function deleteSet(project: ProjectFile, id: string): SetEdit {
  const old = requireSet(project, id);
  return { project: withSets(project, setsOf(project).filter((s) => s.id !== id)), before: [old] };
}

/**
 * The sets after codes left the codebook: a deleted code leaves its sets, a merged code's place goes to
 * the code it was merged into (`into`: removed id -> the id that takes its place). The same project
 * when no set held any of them.
 */
export function setsAfterCodesRemoved(project: ProjectFile, removed: readonly string[], into: ReadonlyMap<string, string> = new Map()): ProjectFile {
  const gone = new Set(removed);
  let changed = false;
  const sets = setsOf(project).map((s) => {
    if (!s.codes.some((c) => gone.has(c))) return s;
    changed = true;
    return { ...s, codes: sorted(s.codes.flatMap((c) => (gone.has(c) ? (into.has(c) ? [into.get(c)!] : []) : [c]))) };
  });
  return changed ? withSets(project, sets) : project;
}

/**
 * What a set filter keeps of the analysis: the documents (undefined: all) and the codes (undefined: all).
 * A document set limits documents, a code set limits codes, a set with both limits both, an empty set
 * keeps nothing. An unknown set (deleted since) limits nothing.
 */
export function setScope(project: ProjectFile, setId: string | undefined): { documents?: ReadonlySet<string>; codes?: ReadonlySet<string>; set?: ProjectSet } {
  if (!setId) return {};
  const set = setsOf(project).find((s) => s.id === setId);
  if (!set) return {};
  if (!set.documents.length && !set.codes.length) return { set, documents: new Set() };
  return {
    set,
    ...(set.documents.length ? { documents: new Set(set.documents) } : {}),
    ...(set.codes.length ? { codes: new Set(set.codes) } : {}),
  };
}
