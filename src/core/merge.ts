// Three-way merges of Grounded files by record id. Used when a file changed on disk while we held
// it (a git pull, a second window) and later by the git merge driver. The rule that shapes every
// case: no coding is ever lost. A deletion only wins over a record the other side left untouched.
import { mergeMaps } from './maps';
import type { Case, Code, Coding, ProjectFile, ProjectSet, Relation, RelationType, Sidecar, SourceInfo } from './model';
import { UNKNOWN_HASH } from './hash';
import { sortCodings } from './sidecar';

export interface Conflict<T> {
  id: string;
  ours: T;
  theirs: T;
}

export interface MergeResult<T> {
  merged: T[];
  conflicts: Conflict<T>[];
}

/** Structural equality; key order does not matter and a key set to undefined counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => bo[k] !== undefined && deepEqual(ao[k], bo[k]));
}

/**
 * Merge three versions of a list of records by id. Output order: ours, then records only theirs has.
 * - added on either side: kept
 * - deleted on one side, unchanged on the other: deleted
 * - deleted on one side, changed on the other: kept, as changed
 * - changed on one side: that change
 * - changed on both sides, differently: ours kept and reported as a conflict
 */
export function mergeById<T extends { id: string }>(
  base: readonly T[],
  ours: readonly T[],
  theirs: readonly T[],
  equal: (a: T, b: T) => boolean = deepEqual,
): MergeResult<T> {
  const baseMap = new Map(base.map((r) => [r.id, r]));
  const theirMap = new Map(theirs.map((r) => [r.id, r]));
  const ourIds = new Set(ours.map((r) => r.id));
  const merged: T[] = [];
  const conflicts: Conflict<T>[] = [];

  for (const o of ours) {
    const b = baseMap.get(o.id);
    const t = theirMap.get(o.id);
    if (t === undefined) {
      // Theirs deleted it (or never had it): the deletion only wins if ours left it as it was.
      if (b === undefined || !equal(o, b)) merged.push(o);
    } else if (equal(o, t) || (b !== undefined && equal(t, b))) {
      merged.push(o);
    } else if (b !== undefined && equal(o, b)) {
      merged.push(t);
    } else {
      merged.push(o);
      conflicts.push({ id: o.id, ours: o, theirs: t });
    }
  }
  for (const t of theirs) {
    if (ourIds.has(t.id)) continue;
    const b = baseMap.get(t.id);
    if (b === undefined || !equal(t, b)) merged.push(t);
  }
  return { merged, conflicts };
}

/** The scalar rule: ours, unless ours did not change it, then theirs. */
export function mergeValue<T>(base: T | undefined, ours: T, theirs: T): T {
  return base !== undefined && deepEqual(ours, base) ? theirs : ours;
}

/**
 * Two versions of a coding are the same for a merge when they are equal, or when they are an AI
 * suggestion that both sides decided the same way (the same status, code and all), by different people
 * or at different times: the decision is what counts, and ours is kept. A suggestion decided
 * differently (accepted on one side, rejected on the other, or accepted with other codes) is a change
 * on both sides like any other: a conflict.
 */
export function sameCoding(a: Coding, b: Coding): boolean {
  if (deepEqual(a, b)) return true;
  if (!a.suggestion || !b.suggestion || a.suggestion.status === 'pending' || a.suggestion.status !== b.suggestion.status) return false;
  const undecided = (c: Coding): Coding => ({ ...c, suggestion: { ...c.suggestion!, decidedBy: undefined, decided: undefined } });
  return deepEqual(undecided(a), undecided(b));
}

export interface SidecarMerge {
  merged: Sidecar;
  conflicts: Conflict<Coding>[];
}

/**
 * Merge two versions of a sidecar. `base` is undefined when the file did not exist in the common
 * ancestor (created on both sides).
 *
 * The document hash says which text the offsets refer to. If the two sides anchored against
 * different texts and the merged codings mix both, no single hash is right; the merged file then
 * carries UNKNOWN_HASH so every coding is re-anchored (and checked) on the next open. When the merged
 * codings are those of both sides, the hash of the side that changed it wins (UNKNOWN_HASH if both
 * did), so that merging A into B and B into A write the same file.
 */
export function mergeSidecars(base: Sidecar | undefined, ours: Sidecar, theirs: Sidecar): SidecarMerge {
  const { merged: codings, conflicts } = mergeById(base?.codings ?? [], ours.codings, theirs.codings, sameCoding);
  const sorted = sortCodings(codings);
  let hash: string;
  const asOurs = deepEqual(sorted, sortCodings(ours.codings));
  const asTheirs = deepEqual(sorted, sortCodings(theirs.codings));
  if (ours.document.hash === theirs.document.hash) hash = ours.document.hash;
  else if (asOurs && asTheirs) {
    // The same codings on both sides, anchored to different texts (their offsets did not change): the
    // text git merges is the one the side that changed it has, whichever side is ours.
    const b = base?.document.hash;
    hash = b === ours.document.hash ? theirs.document.hash : b === theirs.document.hash ? ours.document.hash : UNKNOWN_HASH;
  } else if (asOurs) hash = ours.document.hash;
  else if (asTheirs) hash = theirs.document.hash;
  else hash = UNKNOWN_HASH;
  return {
    merged: {
      version: Math.max(ours.version, theirs.version),
      document: { path: mergeValue(base?.document.path, ours.document.path, theirs.document.path), hash },
      codings: sorted,
    },
    conflicts,
  };
}

export type ProjectConflict =
  | ({ kind: 'code' } & Conflict<Code>)
  | ({ kind: 'case' } & Conflict<Case>)
  | ({ kind: 'set' } & Conflict<ProjectSet>)
  | ({ kind: 'relationType' } & Conflict<RelationType>)
  | ({ kind: 'relation' } & Conflict<Relation>);

/**
 * Sets merge by id, and a set both sides changed merges member by member (three-way on each list:
 * a member added on either side is in, one removed on one side and untouched on the other is out),
 * name and description by the scalar rule; so two people adding documents to one set both win.
 * Only a set both sides renamed (or described) differently is a conflict: ours is kept.
 */
function mergeSets(base: readonly ProjectSet[], ours: readonly ProjectSet[], theirs: readonly ProjectSet[]): MergeResult<ProjectSet> {
  const { merged, conflicts } = mergeById(base, ours, theirs);
  const baseMap = new Map(base.map((k) => [k.id, k]));
  const theirMap = new Map(theirs.map((k) => [k.id, k]));
  const members = (b: readonly string[] | undefined, o: readonly string[], t: readonly string[]): string[] => {
    const bs = new Set(b ?? []);
    const out = new Set([...o, ...t]);
    for (const m of bs) if (!o.includes(m) || !t.includes(m)) out.delete(m);
    return [...out].sort();
  };
  const hard: Conflict<ProjectSet>[] = [];
  const byId = new Map(merged.map((k) => [k.id, k]));
  for (const c of conflicts) {
    const b = baseMap.get(c.id);
    const o = c.ours;
    const t = theirMap.get(c.id)!;
    const name = mergeValue(b?.name, o.name, t.name);
    const description = mergeValue(b?.description ?? '', o.description ?? '', t.description ?? '');
    const set: ProjectSet = { id: c.id, name, documents: members(b?.documents, o.documents, t.documents), codes: members(b?.codes, o.codes, t.codes) };
    if (description) set.description = description;
    byId.set(c.id, set);
    const scalarClash = (bv: string | undefined, ov: string, tv: string) => ov !== tv && bv !== ov && bv !== tv;
    if (scalarClash(b?.name, o.name, t.name) || scalarClash(b?.description ?? '', o.description ?? '', t.description ?? '')) hard.push(c);
  }
  // Names stay unique (ignoring case): a set made on both sides under one name keeps ours, theirs becomes "Name (2)".
  const taken = new Set<string>();
  const key = (n: string) => n.trim().normalize('NFC').toLowerCase();
  const out = merged.map((k) => {
    let set = byId.get(k.id)!;
    for (let n = 2; taken.has(key(set.name)); n++) set = { ...set, name: `${byId.get(k.id)!.name} (${n})` };
    taken.add(key(set.name));
    return set;
  });
  return { merged: out, conflicts: hard };
}

export interface ProjectMerge {
  merged: ProjectFile;
  conflicts: ProjectConflict[];
}

/**
 * Merge two versions of grounded.json: codes, cases, sets, sources, relation types and relations by id,
 * theory maps node by node,
 * project info and each setting by the scalar rule.
 */
export function mergeProjects(base: ProjectFile | undefined, ours: ProjectFile, theirs: ProjectFile): ProjectMerge {
  const codes = mergeById(base?.codes ?? [], ours.codes, theirs.codes);
  const cases = mergeById(base?.cases ?? [], ours.cases, theirs.cases);
  const sets = mergeSets(base?.sets ?? [], ours.sets ?? [], theirs.sets ?? []);
  // A source record only ever changes with a rename (the path follows, the name goes): ours wins a clash.
  const sources = mergeById<SourceInfo>(base?.sources ?? [], ours.sources ?? [], theirs.sources ?? []);
  // Relations and their types merge like codes: a record both sides changed differently is a conflict
  // (the driver keeps theirs beside ours with conflictOf). A relation one side made to a code the other
  // side deleted is kept (nothing is lost); `grounded check` reports its missing code.
  const relationTypes = mergeById<RelationType>(base?.relationTypes ?? [], ours.relationTypes ?? [], theirs.relationTypes ?? []);
  const relations = mergeById<Relation>(base?.relations ?? [], ours.relations ?? [], theirs.relations ?? []);
  // Maps merge node by node and never conflict (maps.ts mergeMaps).
  const maps = mergeMaps(base?.maps ?? [], ours.maps ?? [], theirs.maps ?? []);
  const settings: Record<string, unknown> = {};
  const b = (base?.settings ?? {}) as Record<string, unknown>;
  const o = ours.settings as Record<string, unknown>;
  const t = theirs.settings as Record<string, unknown>;
  for (const key of new Set([...Object.keys(o), ...Object.keys(t)])) {
    // Per key, so two people changing different settings both win. A missing key counts as a
    // value (undefined): removed on our side and changed on theirs keeps theirs.
    const value = deepEqual(o[key], b[key]) ? t[key] : o[key];
    if (value !== undefined) settings[key] = value;
  }
  return {
    merged: {
      version: Math.max(ours.version, theirs.version),
      project: mergeValue(base?.project, ours.project, theirs.project),
      settings,
      codes: codes.merged,
      cases: cases.merged,
      ...(sets.merged.length ? { sets: sets.merged } : {}),
      ...(sources.merged.length ? { sources: sources.merged } : {}),
      ...(relationTypes.merged.length ? { relationTypes: relationTypes.merged } : {}),
      ...(relations.merged.length ? { relations: relations.merged } : {}),
      ...(maps.length ? { maps } : {}),
    },
    conflicts: [
      ...codes.conflicts.map((c) => ({ kind: 'code' as const, ...c })),
      ...cases.conflicts.map((c) => ({ kind: 'case' as const, ...c })),
      ...sets.conflicts.map((c) => ({ kind: 'set' as const, ...c })),
      ...relationTypes.conflicts.map((c) => ({ kind: 'relationType' as const, ...c })),
      ...relations.conflicts.map((c) => ({ kind: 'relation' as const, ...c })),
    ],
  };
}
