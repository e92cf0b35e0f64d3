// The git merge driver's logic: a three-way merge of a sidecar or of grounded.json by record id.
// Nothing either side did is lost. A record both sides changed differently is a real conflict: ours
// stays as it is and theirs is kept beside it under a new, deterministic id with `conflictOf` naming
// ours, so the file stays valid JSON (no conflict markers) and a person decides which one to keep.
// A value both sides changed differently (the project's name, a setting) stays ours and counts as a
// conflict too, so git reports it whichever side is ours.
// When both sides coded the same span with the same code (same coder, different ids), the merged
// sidecar would hold a duplicate (core/invariants.ts): the later one is dropped when it carries
// nothing the kept one does not; otherwise both stay and `grounded check` reports them.
import { createHash } from 'node:crypto';
import type { Code, Coding, ProjectFile, Sidecar } from './model';
import { PROJECT_FILE } from './model';
import { isSidecarPath, parseSidecar, serializeSidecar } from './sidecar';
import { findCodeByName, parseProject, serializeProject } from './project';
import { Conflict, deepEqual, mergeProjects, mergeSidecars } from './merge';
import { findDuplicates } from './invariants';

export type MergeableKind = 'sidecar' | 'project';

/** Which of our files a repository path is, or undefined when the driver should not touch it. */
export function mergeableKind(path: string): MergeableKind | undefined {
  const name = path.split('/').pop() ?? path;
  if (isSidecarPath(path)) return 'sidecar';
  if (name === PROJECT_FILE) return 'project';
  return undefined;
}

/** A lowercase UUID derived from the text, so the same conflict gets the same id on every machine. */
export function derivedId(seed: string): string {
  const h = createHash('sha256').update(seed, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Their version of a conflicting record, kept beside ours. */
function theirsBeside<T extends { id: string; conflictOf?: string }>(c: Conflict<T>): T {
  return { ...c.theirs, id: derivedId(`grounded-conflict:${c.id}:${JSON.stringify(c.theirs)}`), conflictOf: c.id };
}

export interface DriverResult {
  /** the merged file's text */
  text: string;
  /** records both sides changed differently (kept twice, flagged) */
  conflicts: number;
  /** codings dropped because the other side had coded the same span with the same code (sidecars) */
  duplicates: number;
}

/**
 * Merges three texts of one file. `base` is undefined (or empty) when the file did not exist in the
 * common ancestor. Throws a FormatError when ours or theirs does not parse (git then keeps ours and
 * reports the conflict).
 */
export function mergeFileTexts(kind: MergeableKind, base: string | undefined, ours: string, theirs: string, path: string): DriverResult {
  const hasBase = base !== undefined && base.trim() !== '';
  if (kind === 'sidecar') {
    const o = parseSidecar(ours, path);
    const t = parseSidecar(theirs, path);
    const b = hasBase ? parseSidecar(base, `${path} (common ancestor)`) : undefined;
    const { merged, conflicts } = mergeSidecars(b, o, t);
    const dropped = duplicatesFromBothSides(merged.codings, o.codings, t.codings, conflicts);
    const extra: Coding[] = conflicts.map(theirsBeside);
    const out: Sidecar = { ...merged, codings: [...merged.codings.filter((c) => !dropped.has(c.id)), ...extra] };
    return { text: serializeSidecar(out), conflicts: conflicts.length, duplicates: dropped.size };
  }
  const o = parseProject(ours, path);
  const t = parseProject(theirs, path);
  const b = hasBase ? parseProject(base, `${path} (common ancestor)`) : undefined;
  const { merged, conflicts } = mergeProjects(b, o, t);
  let project: ProjectFile = merged;
  for (const c of conflicts) {
    if (c.kind === 'code') {
      const copy: Code = theirsBeside(c);
      // Names are unique among siblings: their version gets a marked name if it would clash.
      const clash = findCodeByName(project, copy.name, copy.parent ?? null);
      if (clash) copy.name = `${copy.name} (their version)`;
      project = { ...project, codes: [...project.codes, copy] };
    } else if (c.kind === 'case') {
      project = { ...project, cases: [...project.cases, { ...c.theirs, id: derivedId(`grounded-conflict:${c.id}:${JSON.stringify(c.theirs)}`) }] };
    } else if (c.kind === 'relationType') {
      const copy = theirsBeside(c);
      const taken = (n: string) => (project.relationTypes ?? []).some((t) => t.id !== c.id && t.name.toLowerCase() === n.toLowerCase()) || c.ours.name.toLowerCase() === n.toLowerCase();
      if (taken(copy.name)) copy.name = `${copy.name} (their version)`;
      project = { ...project, relationTypes: [...(project.relationTypes ?? []), copy] };
    } else if (c.kind === 'relation') {
      // Both versions stay (the same endpoints and type twice, perhaps): `grounded check` reports the pair until a person keeps one.
      project = { ...project, relations: [...(project.relations ?? []), theirsBeside(c)] };
    } else {
      // A set both sides renamed (or described) differently: their version beside ours, under a marked name.
      const sets = project.sets ?? [];
      let name = `${c.theirs.name} (their version)`;
      for (let n = 2; sets.some((k) => k.name.toLowerCase() === name.toLowerCase()); n++) name = `${c.theirs.name} (their version ${n})`;
      project = { ...project, sets: [...sets, { ...c.theirs, name, id: derivedId(`grounded-conflict:${c.id}:${JSON.stringify(c.theirs)}`) }] };
    }
  }
  return { text: serializeProject(project), conflicts: conflicts.length + scalarConflicts(b, o, t), duplicates: 0 };
}

/**
 * Values that cannot be kept twice, changed differently on both sides: the project's name (its info)
 * and each setting. Ours stays in the file; counting them makes git report the conflict, whichever
 * side is ours, instead of our value winning silently.
 */
function scalarConflicts(base: ProjectFile | undefined, ours: ProjectFile, theirs: ProjectFile): number {
  const differ = (b: unknown, o: unknown, t: unknown) => !deepEqual(o, t) && (base === undefined || (!deepEqual(o, b) && !deepEqual(t, b)));
  const b = (base?.settings ?? {}) as Record<string, unknown>;
  const o = ours.settings as Record<string, unknown>;
  const t = theirs.settings as Record<string, unknown>;
  let n = differ(base?.project, ours.project, theirs.project) ? 1 : 0;
  for (const key of new Set([...Object.keys(o), ...Object.keys(t)])) if (differ(b[key], o[key], t[key])) n++;
  return n;
}

/**
 * The merged codings to drop: each one that repeats an earlier one (same coder, code and span: see
 * core/invariants.ts; the earliest, by created then id, is kept) where
 * - the two met in this merge: they are not both on our side, nor both on theirs (duplicates a side
 *   already had are left for `grounded check` to report, not silently changed),
 * - their anchors are the same (the same words, so the two sides anchored against the same text),
 * - neither is in a conflict the merge flagged (now or in an earlier merge: conflictOf), and
 * - the repeat carries nothing of its own: its note, translation and representative flag are each
 *   absent or the same as the kept coding's.
 * Otherwise both stay; counts include the span once and `grounded check` reports the pair.
 */
function duplicatesFromBothSides(merged: readonly Coding[], ours: readonly Coding[], theirs: readonly Coding[], conflicts: readonly Conflict<Coding>[]): Set<string> {
  const ourIds = new Set(ours.map((c) => c.id));
  const theirIds = new Set(theirs.map((c) => c.id));
  const conflicted = new Set(conflicts.map((c) => c.id));
  const sameSide = (a: Coding, b: Coding) => (ourIds.has(a.id) && ourIds.has(b.id)) || (theirIds.has(a.id) && theirIds.has(b.id));
  const nothingOwn = (r: Coding, kept: Coding) =>
    (r.note === undefined || r.note === kept.note) &&
    (r.translation === undefined || deepEqual(r.translation, kept.translation)) &&
    (r.representative === undefined || r.representative === kept.representative) &&
    (r.suggestion === undefined || deepEqual(r.suggestion, kept.suggestion));
  const dropped = new Set<string>();
  for (const { kept, repeats } of findDuplicates(merged)) {
    if (conflicted.has(kept.id) || kept.conflictOf) continue;
    for (const r of repeats) {
      if (!conflicted.has(r.id) && !r.conflictOf && !sameSide(kept, r) && deepEqual(kept.anchor, r.anchor) && nothingOwn(r, kept)) dropped.add(r.id);
    }
  }
  return dropped;
}

/** The records a merge flagged, still waiting for a person (for `grounded check`). */
export function unresolvedConflicts<T extends { id: string; conflictOf?: string }>(records: readonly T[]): T[] {
  return records.filter((r) => r.conflictOf !== undefined);
}

/** The name of the merge driver in .gitattributes and git config. */
export const DRIVER_NAME = 'grounded';

/** The lines .gitattributes needs so that git hands our files to the driver. */
export const GIT_ATTRIBUTES = [`*.codes.json merge=${DRIVER_NAME}`, `${PROJECT_FILE} merge=${DRIVER_NAME}`];

/** .gitattributes with our lines added (existing lines are kept as they are); unchanged if present. */
export function withGitAttributes(existing: string | undefined): string {
  const text = (existing ?? '').replace(/\r\n?/g, '\n');
  const present = new Set(text.split('\n').map((l) => l.trim().replace(/\s+/g, ' ')));
  const missing = GIT_ATTRIBUTES.filter((l) => !present.has(l));
  if (missing.length === 0) return existing ?? '';
  const head = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${head}# Grounded: merge codings and the codebook record by record (grounded merge-driver)\n${missing.join('\n')}\n`;
}

/** The git config entries of the driver; `command` runs the grounded command line (e.g. `grounded` or `node /path/cli.js`). */
export function gitConfigEntries(command: string): [string, string][] {
  return [
    [`merge.${DRIVER_NAME}.name`, 'Grounded: merge sidecars and grounded.json by record id'],
    [`merge.${DRIVER_NAME}.driver`, `${command} merge-driver %O %A %B %P`],
  ];
}
