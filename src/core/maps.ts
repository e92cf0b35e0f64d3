// Theory maps: named drawings of codes and categories, as pure edits of the project returning the
// project after the edit; the session records what each changed for undo (session.ts editMaps).
// A map stores only its nodes (a code and where it is drawn); the arrows are the project's relations
// whose two codes are both on the map, so a relation made anywhere shows on every map that has its
// codes. The rules every path keeps (the invariants of maps):
// - map names are unique, ignoring case (nameKey), and not empty;
// - a node is a code of the codebook, at most once per map, at whole-pixel coordinates;
// - nodes are sorted by code id (the file's order, so a drag changes one node's numbers only).
// A file edited by hand or merged may break the second; it still reads, and `mapProblems` (grounded
// check) names what is wrong.
import type { MapNode, ProjectFile, Relation, TheoryMap } from './model';
import type { Environment } from './ports';
import { nameKey } from './project';
import { relationsOf } from './relations';

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byCode = (a: MapNode, b: MapNode): number => compare(a.code, b.code);

export function mapsOf(project: ProjectFile): readonly TheoryMap[] {
  return project.maps ?? [];
}

/** The maps by name (for pickers and the report). */
export function mapsByName(project: ProjectFile): TheoryMap[] {
  return [...mapsOf(project)].sort((a, b) => a.name.localeCompare(b.name) || compare(a.id, b.id));
}

export function mapOf(project: ProjectFile, id: string): TheoryMap | undefined {
  return mapsOf(project).find((m) => m.id === id);
}

function withMaps(project: ProjectFile, maps: readonly TheoryMap[]): ProjectFile {
  const out: ProjectFile = { ...project, maps: [...maps] };
  if (!maps.length) delete out.maps;
  return out;
}

function requireMap(project: ProjectFile, id: string): TheoryMap {
  const m = mapOf(project, id);
  if (!m) throw new Error(`The theory map no longer exists (id ${id}).`);
  return m;
}

function checkName(project: ProjectFile, name: string, self?: string): string {
  const n = name.trim();
  if (!n) throw new Error('A theory map needs a name.');
  const clash = mapsOf(project).find((m) => m.id !== self && nameKey(m.name) === nameKey(n));
  if (clash) throw new Error(`There is already a theory map named "${clash.name}".`);
  return n;
}

const replace = (project: ProjectFile, map: TheoryMap): ProjectFile => withMaps(project, mapsOf(project).map((m) => (m.id === map.id ? map : m)));

/** A new, empty map (or with `nodes`). Throws on an empty or taken name, or a node whose code is not in the codebook. */
export function addMap(project: ProjectFile, name: string, env: Environment, nodes: readonly MapNode[] = []): { project: ProjectFile; map: TheoryMap } {
  const map: TheoryMap = { id: env.newId(), name: name.trim(), nodes: [] };
  const added = insertMap(project, map);
  const out = nodes.length ? placeNodes(added, map.id, nodes) : added;
  return { project: out, map: mapOf(out, map.id)! };
}

/** The project with a map made before (its id fixed) added; throws on a taken name or id, or a node of no code. */
export function insertMap(project: ProjectFile, map: TheoryMap): ProjectFile {
  if (mapOf(project, map.id)) throw new Error(`There is already a theory map with id ${map.id}.`);
  const name = checkName(project, map.name);
  const codes = new Set(project.codes.map((c) => c.id));
  const seen = new Set<string>();
  for (const n of map.nodes) {
    if (!codes.has(n.code)) throw new Error(`The code ${n.code} is not in the codebook: it cannot be on a map.`);
    if (seen.has(n.code)) throw new Error(`The code ${n.code} is on the map twice.`);
    seen.add(n.code);
  }
  const nodes = map.nodes.map((n) => ({ code: n.code, x: Math.round(n.x), y: Math.round(n.y) })).sort(byCode);
  return withMaps(project, [...mapsOf(project), { id: map.id, name, nodes }]);
}

/** Another name for a map. Unchanged project when the name is the same. */
export function renameMap(project: ProjectFile, id: string, name: string): ProjectFile {
  const old = requireMap(project, id);
  const n = checkName(project, name, id);
  return n === old.name ? project : replace(project, { ...old, name: n });
}

export function deleteMap(project: ProjectFile, id: string): ProjectFile {
  requireMap(project, id);
  return withMaps(project, mapsOf(project).filter((m) => m.id !== id));
}

/**
 * Codes put on a map or moved on it (coordinates rounded to whole pixels). Throws for a code that is
 * not in the codebook. Unchanged project when every node is already where it is asked to be.
 */
export function placeNodes(project: ProjectFile, mapId: string, nodes: readonly MapNode[]): ProjectFile {
  const map = requireMap(project, mapId);
  const codes = new Set(project.codes.map((c) => c.id));
  const at = new Map(map.nodes.map((n) => [n.code, n]));
  let changed = false;
  for (const n of nodes) {
    if (!codes.has(n.code)) throw new Error(`The code ${n.code} is not in the codebook: it cannot be put on a map.`);
    const next = { code: n.code, x: Math.round(n.x), y: Math.round(n.y) };
    const old = at.get(n.code);
    if (old && old.x === next.x && old.y === next.y) continue;
    at.set(n.code, next);
    changed = true;
  }
  return changed ? replace(project, { ...map, nodes: [...at.values()].sort(byCode) }) : project;
}

/** Codes taken off a map (the codes themselves stay in the codebook). Unchanged project when none was on it. */
export function removeNodes(project: ProjectFile, mapId: string, codeIds: readonly string[]): ProjectFile {
  const map = requireMap(project, mapId);
  const gone = new Set(codeIds);
  const nodes = map.nodes.filter((n) => !gone.has(n.code));
  return nodes.length === map.nodes.length ? project : replace(project, { ...map, nodes });
}

/**
 * The maps after codes were deleted or merged (codebook.ts deleteCode and mergeCodes): a deleted code's
 * node leaves every map; a merged code's node becomes the node of the code it was merged into (`into`)
 * where that code is not on the map already. The project unchanged when no map had them.
 */
export function mapsAfterCodesRemoved(project: ProjectFile, removed: readonly string[], into: ReadonlyMap<string, string> = new Map()): ProjectFile {
  const gone = new Set(removed);
  const maps = mapsOf(project);
  if (!maps.some((m) => m.nodes.some((n) => gone.has(n.code)))) return project;
  return withMaps(
    project,
    maps.map((m) => {
      if (!m.nodes.some((n) => gone.has(n.code))) return m;
      const at = new Map(m.nodes.filter((n) => !gone.has(n.code)).map((n) => [n.code, n]));
      for (const n of m.nodes) {
        const target = gone.has(n.code) ? into.get(n.code) : undefined;
        if (target && !gone.has(target) && !at.has(target)) at.set(target, { code: target, x: n.x, y: n.y });
      }
      return { ...m, nodes: [...at.values()].sort(byCode) };
    }),
  );
}

/** The relations a map draws: those whose two codes are both on it (a merge's other version, conflictOf, included: it is drawn as a conflict). */
export function relationsOnMap(project: ProjectFile, map: TheoryMap): Relation[] {
  const on = new Set(map.nodes.map((n) => n.code));
  return relationsOf(project).filter((r) => on.has(r.source) && on.has(r.target));
}

/** A problem with a map in grounded.json: where (a JSON path into the file) and what. */
export interface MapProblem {
  mapId: string;
  at: (string | number)[];
  message: string;
}

/** What is wrong with the maps of a file edited by hand or merged (grounded check): a node whose code is not in the codebook. */
export function mapProblems(project: ProjectFile): MapProblem[] {
  const codes = new Set(project.codes.map((c) => c.id));
  const problems: MapProblem[] = [];
  mapsOf(project).forEach((m, i) =>
    m.nodes.forEach((n, k) => {
      if (!codes.has(n.code)) problems.push({ mapId: m.id, at: ['maps', i, 'nodes', k, 'code'], message: `map "${m.name}": its node ${n.code} is not in the codebook; take it off the map or restore the code` });
    }),
  );
  return problems;
}

const sameNode = (a: MapNode | undefined, b: MapNode | undefined): boolean => (!a && !b) || (!!a && !!b && a.x === b.x && a.y === b.y);

/**
 * Three versions of the maps merged (the git merge driver): maps by id, and within a map node by node,
 * so two people laying out different parts of one map both keep their work. A name or node changed on
 * one side only takes that side; changed on both sides differently, ours wins (a layout is not worth a
 * conflict: the other position is one drag away); a node taken off on one side and moved on the other
 * stays. A map deleted on one side and changed on the other is kept with the change. Two maps that end
 * with one name (made on both sides): the later by id gets " (2)" added.
 */
export function mergeMaps(base: readonly TheoryMap[], ours: readonly TheoryMap[], theirs: readonly TheoryMap[]): TheoryMap[] {
  const b = new Map(base.map((m) => [m.id, m]));
  const o = new Map(ours.map((m) => [m.id, m]));
  const t = new Map(theirs.map((m) => [m.id, m]));
  const out: TheoryMap[] = [];
  for (const id of [...new Set([...o.keys(), ...t.keys()])].sort(compare)) {
    const bm = b.get(id);
    const om = o.get(id);
    const tm = t.get(id);
    const same = (x?: TheoryMap, y?: TheoryMap) => JSON.stringify(x) === JSON.stringify(y);
    if (!om || !tm) {
      const kept = (om ?? tm)!;
      // Deleted on one side: gone unless the other side changed it since the base (or made it).
      if (!bm || !same(kept, bm)) out.push(kept);
      continue;
    }
    const name = om.name !== (bm?.name ?? om.name) ? om.name : tm.name;
    const bn = new Map((bm?.nodes ?? []).map((n) => [n.code, n]));
    const on = new Map(om.nodes.map((n) => [n.code, n]));
    const tn = new Map(tm.nodes.map((n) => [n.code, n]));
    const nodes: MapNode[] = [];
    for (const code of new Set([...on.keys(), ...tn.keys(), ...bn.keys()])) {
      const was = bn.get(code);
      const mine = on.get(code);
      const theirsNode = tn.get(code);
      const pick = sameNode(mine, was) ? theirsNode : sameNode(theirsNode, was) ? mine : (mine ?? theirsNode);
      if (pick) nodes.push(pick);
    }
    out.push({ id, name, nodes: nodes.sort(byCode) });
  }
  const names = new Set<string>();
  return out.map((m) => {
    let name = m.name;
    for (let k = 2; names.has(nameKey(name)); k++) name = `${m.name} (${k})`;
    names.add(nameKey(name));
    return name === m.name ? m : { ...m, name };
  });
}
