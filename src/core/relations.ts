// Relations between codes and categories (theoretical coding) and their types, as pure edits of the
// project returning the project after the edit; the session records what each changed for undo
// (session.ts editRelations). The rules every path keeps (the invariants of relations):
// - both endpoints are codes of the codebook, and they differ;
// - the type exists (a built-in one, BUILTIN_RELATION_TYPES, or one in `relationTypes`);
// - no two relations join the same endpoints with the same type (for a symmetric type either order is
//   the same relation);
// - evidence lists coding ids, sorted, unique (codings removed leave it: relationsAfterCodingsRemoved).
// A file edited by hand or merged may break them; it still reads, and `relationProblems` (grounded
// check) names what is wrong.
import { BUILTIN_RELATION_TYPES } from './model';
import type { Code, ProjectFile, Relation, RelationDirection, RelationType } from './model';
import type { Environment } from './ports';
import { nameKey } from './project';

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const BUILTIN_IDS = new Set(BUILTIN_RELATION_TYPES.map((t) => t.id));

export const isBuiltinRelationType = (id: string): boolean => BUILTIN_IDS.has(id);

export function relationsOf(project: ProjectFile): readonly Relation[] {
  return project.relations ?? [];
}

/** Every relation type of the project: the built-in ones (as customised) first, in their order, then the project's own by name. */
export function relationTypesOf(project: ProjectFile): RelationType[] {
  const own = project.relationTypes ?? [];
  const custom = new Map(own.map((t) => [t.id, t]));
  const builtins = BUILTIN_RELATION_TYPES.map((t) => custom.get(t.id) ?? t);
  const others = own.filter((t) => !BUILTIN_IDS.has(t.id)).sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  return [...builtins, ...others];
}

export function relationTypeOf(project: ProjectFile, id: string): RelationType | undefined {
  return project.relationTypes?.find((t) => t.id === id) ?? BUILTIN_RELATION_TYPES.find((t) => t.id === id);
}

/** The identity of a relation for the no-duplicates rule: its type and endpoints (in either order for a symmetric type). */
export function relationKey(project: ProjectFile, r: Pick<Relation, 'source' | 'target' | 'type'>): string {
  const symmetric = relationTypeOf(project, r.type)?.direction === 'symmetric';
  const [a, b] = symmetric && r.target < r.source ? [r.target, r.source] : [r.source, r.target];
  return `${r.type}|${a}|${b}`;
}

/** The relations a code takes part in (what deleting it would remove). */
export function relationsOfCode(project: ProjectFile, codeId: string): Relation[] {
  return relationsOfCodes(project, [codeId]);
}

/** The relations any of the codes takes part in, each once (what deleting them removes: Delete Code asks first). */
export function relationsOfCodes(project: ProjectFile, codeIds: readonly string[]): Relation[] {
  const ids = new Set(codeIds);
  return relationsOf(project).filter((r) => ids.has(r.source) || ids.has(r.target));
}

function withRelations(project: ProjectFile, relations: readonly Relation[]): ProjectFile {
  const out: ProjectFile = { ...project, relations: [...relations] };
  if (!relations.length) delete out.relations;
  return out;
}

function withTypes(project: ProjectFile, types: readonly RelationType[]): ProjectFile {
  const out: ProjectFile = { ...project, relationTypes: [...types] };
  if (!types.length) delete out.relationTypes;
  return out;
}

function requireRelation(project: ProjectFile, id: string): Relation {
  const r = relationsOf(project).find((x) => x.id === id);
  if (!r) throw new Error(`The relation no longer exists (id ${id}).`);
  return r;
}

function requireType(project: ProjectFile, id: string): RelationType {
  const t = relationTypeOf(project, id);
  if (!t) throw new Error(`The relation type no longer exists (id ${id}).`);
  return t;
}

function codeNamed(project: ProjectFile, id: string): Code {
  const c = project.codes.find((x) => x.id === id);
  if (!c) throw new Error(`The code no longer exists (id ${id}).`);
  return c;
}

/** Throws unless the relation keeps the invariants in the project (other than itself). */
function checkRelation(project: ProjectFile, r: Relation): void {
  const a = codeNamed(project, r.source);
  codeNamed(project, r.target);
  if (r.source === r.target) throw new Error(`A relation joins two different codes: "${a.name}" cannot be related to itself.`);
  const type = requireType(project, r.type);
  const key = relationKey(project, r);
  const twin = relationsOf(project).find((x) => x.id !== r.id && relationKey(project, x) === key);
  if (twin) {
    const name = (id: string) => project.codes.find((c) => c.id === id)?.name ?? id;
    throw new Error(`"${name(twin.source)}" ${type.name} "${name(twin.target)}" is already a relation: add to it instead.`);
  }
}

export interface NewRelation {
  source: string;
  target: string;
  type: string;
  label?: string;
  evidence?: readonly string[];
}

/** A new relation. Throws when it would break an invariant (an endpoint or the type missing, the same endpoints, a duplicate). */
export function addRelation(project: ProjectFile, input: NewRelation, author: string, env: Environment): { project: ProjectFile; relation: Relation } {
  const now = env.now();
  const relation: Relation = { id: env.newId(), source: input.source, target: input.target, type: input.type, author, created: now, modified: now };
  const label = input.label?.trim();
  if (label) relation.label = label;
  const evidence = sorted(input.evidence ?? []);
  if (evidence.length) relation.evidence = evidence;
  return { project: insertRelation(project, relation), relation };
}

/** The project with a relation made before (its id fixed) added, if it keeps the invariants; throws otherwise. */
export function insertRelation(project: ProjectFile, relation: Relation): ProjectFile {
  if (relationsOf(project).some((r) => r.id === relation.id)) throw new Error(`There is already a relation with id ${relation.id}.`);
  checkRelation(project, relation);
  return withRelations(project, [...relationsOf(project), relation]);
}

export interface RelationChanges {
  type?: string;
  /** an empty label removes it */
  label?: string;
  source?: string;
  target?: string;
}

/** Another type, label or endpoints for a relation (its `modified` set to now). Unchanged project when nothing changes. */
export function editRelation(project: ProjectFile, id: string, changes: RelationChanges, env: Environment): ProjectFile {
  const old = requireRelation(project, id);
  const next: Relation = { ...old };
  if (changes.type !== undefined) next.type = changes.type;
  if (changes.source !== undefined) next.source = changes.source;
  if (changes.target !== undefined) next.target = changes.target;
  if (changes.label !== undefined) {
    const label = changes.label.trim();
    if (label) next.label = label;
    else delete next.label;
  }
  if (next.type === old.type && next.source === old.source && next.target === old.target && next.label === old.label) return project;
  checkRelation(project, next);
  next.modified = env.now();
  return withRelations(project, relationsOf(project).map((r) => (r.id === id ? next : r)));
}

export function deleteRelation(project: ProjectFile, id: string): ProjectFile {
  requireRelation(project, id);
  return withRelations(project, relationsOf(project).filter((r) => r.id !== id));
}

/** Codings added to (or, with `remove`, taken from) a relation's evidence. Unchanged project when nothing changes. */
export function changeEvidence(project: ProjectFile, id: string, codingIds: readonly string[], env: Environment, remove = false): ProjectFile {
  const old = requireRelation(project, id);
  const had = old.evidence ?? [];
  const gone = new Set(codingIds);
  const evidence = remove ? had.filter((c) => !gone.has(c)) : sorted([...had, ...codingIds]);
  if (evidence.length === had.length && evidence.every((c, i) => c === had[i])) return project;
  const next: Relation = { ...old, modified: env.now() };
  if (evidence.length) next.evidence = evidence;
  else delete next.evidence;
  return withRelations(project, relationsOf(project).map((r) => (r.id === id ? next : r)));
}

export interface NewRelationType {
  name: string;
  direction: RelationDirection;
  transitive?: boolean;
}

function checkTypeName(project: ProjectFile, name: string, self?: string): string {
  const n = name.trim();
  if (!n) throw new Error('A relation type needs a name.');
  const clash = relationTypesOf(project).find((t) => t.id !== self && nameKey(t.name) === nameKey(n));
  if (clash) throw new Error(`There is already a relation type named "${clash.name}".`);
  return n;
}

function typeRecord(id: string, name: string, direction: RelationDirection, transitive: boolean | undefined): RelationType {
  const t: RelationType = { id, name, direction };
  if (transitive) t.transitive = true;
  return t;
}

/** A new relation type (names unique among all types, ignoring case). */
export function defineRelationType(project: ProjectFile, input: NewRelationType, env: Environment): { project: ProjectFile; type: RelationType } {
  const type = typeRecord(env.newId(), input.name.trim(), input.direction, input.transitive);
  return { project: insertRelationType(project, type), type };
}

/** The project with a relation type made before (its id fixed) added; throws on a name taken. */
export function insertRelationType(project: ProjectFile, type: RelationType): ProjectFile {
  if (relationTypeOf(project, type.id)) throw new Error(`There is already a relation type with id ${type.id}.`);
  checkTypeName(project, type.name);
  return withTypes(project, [...(project.relationTypes ?? []), type]);
}

/**
 * Another name, direction or transitivity for a type; a built-in type edited is written as a record with
 * its id (customised). Making a type symmetric is refused when two of its relations join the same codes
 * in opposite directions (they would become one). Unchanged project when nothing changes.
 */
export function editRelationType(project: ProjectFile, id: string, changes: Partial<NewRelationType>, _env?: Environment): ProjectFile {
  const old = requireType(project, id);
  const name = changes.name === undefined ? old.name : checkTypeName(project, changes.name, id);
  const next = typeRecord(id, name, changes.direction ?? old.direction, changes.transitive ?? old.transitive);
  if (next.name === old.name && next.direction === old.direction && !!next.transitive === !!old.transitive) return project;
  const own = project.relationTypes ?? [];
  const builtin = BUILTIN_RELATION_TYPES.find((t) => t.id === id);
  // A built-in type edited back to exactly what it is built in as needs no record.
  const same = builtin && builtin.name === next.name && builtin.direction === next.direction && !!builtin.transitive === !!next.transitive;
  const types = same ? own.filter((t) => t.id !== id) : own.some((t) => t.id === id) ? own.map((t) => (t.id === id ? next : t)) : [...own, next];
  const out = withTypes(project, types);
  const keys = new Set<string>();
  for (const r of relationsOf(out).filter((x) => x.type === id)) {
    const key = relationKey(out, r);
    if (keys.has(key)) throw new Error(`"${old.name}" cannot become symmetric: two of its relations join the same codes in opposite directions. Delete one of them first.`);
    keys.add(key);
  }
  return out;
}

/**
 * Deletes a type of the project's own; for a built-in one, its customisation (the built-in comes back).
 * Refused while relations use a type that would be gone.
 */
export function deleteRelationType(project: ProjectFile, id: string): ProjectFile {
  const type = requireType(project, id);
  const own = project.relationTypes ?? [];
  if (BUILTIN_IDS.has(id)) {
    if (!own.some((t) => t.id === id)) throw new Error(`"${type.name}" is built in: it can be renamed but not deleted.`);
    const out = withTypes(project, own.filter((t) => t.id !== id));
    editRelationTypeCheck(out, id, type.name);
    return out;
  }
  const used = relationsOf(project).filter((r) => r.type === id).length;
  if (used) throw new Error(`"${type.name}" is the type of ${used} relation${used === 1 ? '' : 's'}: give them another type or delete them first.`);
  return withTypes(project, own.filter((t) => t.id !== id));
}

/** After a built-in's customisation is removed, its relations must still be distinct under the built-in's direction. */
function editRelationTypeCheck(project: ProjectFile, id: string, name: string): void {
  const keys = new Set<string>();
  for (const r of relationsOf(project).filter((x) => x.type === id)) {
    const key = relationKey(project, r);
    if (keys.has(key)) throw new Error(`"${name}" cannot go back to the built-in type: two of its relations would become one. Delete one of them first.`);
    keys.add(key);
  }
}

/**
 * The relations after codes were deleted or merged (called by codebook.ts deleteCode and mergeCodes):
 * a relation of a deleted code is removed; a merged code's relations go to the code it was merged into
 * (`into`). A relation that would then join that code to itself is removed; one that would repeat
 * another (same type and endpoints) is folded into it: the evidence of both kept on the one already
 * there, the label kept unless it had none. The project unchanged when no relation is touched.
 */
export function relationsAfterCodesRemoved(project: ProjectFile, removed: readonly string[], into: ReadonlyMap<string, string> = new Map()): ProjectFile {
  const gone = new Set(removed);
  const all = relationsOf(project);
  if (!all.some((r) => gone.has(r.source) || gone.has(r.target))) return project;
  const kept: Relation[] = [];
  const moved: Relation[] = [];
  for (const r of all) {
    if (!gone.has(r.source) && !gone.has(r.target)) kept.push(r);
    else {
      const source = gone.has(r.source) ? into.get(r.source) : r.source;
      const target = gone.has(r.target) ? into.get(r.target) : r.target;
      if (source && target && source !== target) moved.push({ ...r, source, target });
    }
  }
  const byKey = new Map(kept.map((r, i) => [relationKey(project, r), i]));
  for (const r of moved) {
    const key = relationKey(project, r);
    const at = byKey.get(key);
    if (at === undefined) {
      byKey.set(key, kept.length);
      kept.push(r);
      continue;
    }
    const twin = kept[at];
    const evidence = sorted([...(twin.evidence ?? []), ...(r.evidence ?? [])]);
    const folded: Relation = { ...twin };
    if (evidence.length) folded.evidence = evidence;
    if (!folded.label && r.label) folded.label = r.label;
    kept[at] = folded;
  }
  const order = new Map(all.map((r, i) => [r.id, i]));
  kept.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return withRelations(project, kept);
}

/** The relations after codings were removed: their ids leave every relation's evidence. Unchanged when none was evidence. */
export function relationsAfterCodingsRemoved(project: ProjectFile, codingIds: readonly string[]): ProjectFile {
  const gone = new Set(codingIds);
  const all = relationsOf(project);
  if (!all.some((r) => r.evidence?.some((c) => gone.has(c)))) return project;
  return withRelations(
    project,
    all.map((r) => {
      if (!r.evidence?.some((c) => gone.has(c))) return r;
      const next: Relation = { ...r };
      const evidence = r.evidence.filter((c) => !gone.has(c));
      if (evidence.length) next.evidence = evidence;
      else delete next.evidence;
      return next;
    }),
  );
}

/** A problem with a relation in grounded.json: where (a JSON path into the file) and what. */
export interface RelationProblem {
  relationId: string;
  at: (string | number)[];
  message: string;
}

/**
 * What is wrong with the relations of a file edited by hand or merged (grounded check): a code or type
 * that does not exist, a relation of a code to itself, two relations that are one, evidence naming a
 * coding no sidecar has (only when `codingIds`, every coding id of the project, is given). A merge's
 * other version (conflictOf) is not counted as a repeat: it is reported as a conflict.
 */
export function relationProblems(project: ProjectFile, codingIds?: ReadonlySet<string>): RelationProblem[] {
  const problems: RelationProblem[] = [];
  const codes = new Map(project.codes.map((c) => [c.id, c.name]));
  const seen = new Map<string, string>();
  relationsOf(project).forEach((r, i) => {
    const add = (field: string | number | (string | number)[], message: string) =>
      problems.push({ relationId: r.id, at: ['relations', i, ...(Array.isArray(field) ? field : [field])], message: `relation ${r.id.slice(0, 8)}: ${message}` });
    if (!codes.has(r.source)) add('source', `its code ${r.source} is not in the codebook; delete the relation or restore the code`);
    if (!codes.has(r.target)) add('target', `its code ${r.target} is not in the codebook; delete the relation or restore the code`);
    if (r.source === r.target) add('target', `it relates "${codes.get(r.source) ?? r.source}" to itself; a relation joins two different codes`);
    const type = relationTypeOf(project, r.type);
    if (!type) add('type', `its type ${r.type} is neither built in nor in relationTypes`);
    if (!r.conflictOf) {
      const key = relationKey(project, r);
      if (seen.has(key)) add('type', `the same relation (codes and ${type ? `type "${type.name}"` : 'type'}) as relation ${seen.get(key)!.slice(0, 8)}; keep one of them`);
      else seen.set(key, r.id);
    }
    if (codingIds) (r.evidence ?? []).forEach((c, k) => { if (!codingIds.has(c)) add(['evidence', k], `its evidence coding ${c} is in no sidecar; remove it from the evidence`); });
  });
  return problems;
}
