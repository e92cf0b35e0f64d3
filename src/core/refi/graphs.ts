// Theory maps as REFI-QDA <Graph>s, both ways. A map is a Graph whose GUID is the map's id and whose
// name is the map's name; each node a <Vertex> (GUID derived from the map's and the code's ids) with
// representedGUID = the code's GUID, firstX/firstY = the node's position (the top left of its box),
// shape RoundedRectangle and the code's colour; each relation the map draws (maps.ts relationsOnMap)
// that the export has as a <Link> an <Edge> with representedGUID = the Link's GUID (the relation's id),
// its source and target vertices, the Link's name and direction. Reading, a vertex representing an
// imported code becomes a node at its position rounded to whole pixels; an edge needs no reading (a
// map draws its codes' relations), but one that represents no imported Link between its two vertices'
// codes is reported, and so is a vertex of anything but a code (a source, a note, a free shape).
import type { ProjectFile, Relation, TheoryMap } from '../model';
import { mapsByName, relationsOnMap } from '../maps';
import { nameKey } from '../project';
import { relationTypeOf } from '../relations';
import { nameGuid } from './positions';
import { escapeAttr } from './xml';
import type { XmlElement } from './xml';

/** The GUID of a code's vertex on a map's graph, and of a relation's edge: derived, so every export gives the same. */
export const graphGuidOf = {
  vertex: (mapId: string, codeId: string) => nameGuid(`vertex:${mapId}:${codeId}`),
  edge: (mapId: string, relationId: string) => nameGuid(`edge:${mapId}:${relationId}`),
};

/**
 * The <Graphs> element's lines of an export (none without maps), maps by name. `linked` are the
 * relations the export wrote as <Link>s, with the Link's name and direction (refi/links.ts); a node
 * whose code is not in the codebook is left out and added to `leftOut`.
 */
export function graphsXml(project: ProjectFile, codeIds: ReadonlySet<string>, linked: ReadonlyMap<string, { name: string; direction: string }>, leftOut: string[]): string[] {
  const maps = mapsByName(project);
  if (!maps.length) return [];
  const codes = new Map(project.codes.map((c) => [c.id, c]));
  const lines = ['  <Graphs>'];
  for (const m of maps) {
    const nodes = m.nodes.filter((n) => codeIds.has(n.code));
    for (const n of m.nodes) if (!codeIds.has(n.code)) leftOut.push(`map "${m.name}": its node ${n.code}, whose code is not in the codebook`);
    const edges = relationsOnMap(project, m).filter((r) => linked.has(r.id));
    const head = `    <Graph guid="${m.id}" name="${escapeAttr(m.name)}"`;
    if (!nodes.length) {
      lines.push(`${head}/>`);
      continue;
    }
    lines.push(`${head}>`);
    for (const n of nodes) {
      const code = codes.get(n.code)!;
      lines.push(`      <Vertex guid="${graphGuidOf.vertex(m.id, n.code)}" representedGUID="${n.code}" name="${escapeAttr(code.name)}" firstX="${n.x}" firstY="${n.y}" shape="RoundedRectangle" color="${code.color.toLowerCase()}"/>`);
    }
    for (const r of [...edges].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const link = linked.get(r.id)!;
      lines.push(
        `      <Edge guid="${graphGuidOf.edge(m.id, r.id)}" representedGUID="${r.id}" name="${escapeAttr(link.name)}" sourceVertex="${graphGuidOf.vertex(m.id, r.source)}" targetVertex="${graphGuidOf.vertex(m.id, r.target)}" direction="${link.direction}"/>`,
      );
    }
    lines.push('    </Graph>');
  }
  lines.push('  </Graphs>');
  return lines;
}

/** What a Graph's vertex or edge that could not be read stands for, for the import's summary. */
export interface GraphReading {
  maps: TheoryMap[];
  /** one line per graph with parts not imported, with the reason */
  notImported: string[];
  /** what was changed on the way in (a renamed map, a relation drawn that had no edge) */
  notes: string[];
}

const plural = (n: number, one: string, many = one + 's'): string => `${n} ${n === 1 ? one : many}`;

/**
 * The <Graphs> of an imported file as theory maps. `guidOf` normalises a GUID (undefined when it is
 * none); `kindOf` names the element a GUID in the file belongs to (`TextSource`, `Note`, …);
 * `project` holds the imported codes and relations.
 */
export function readGraphs(
  graphsEl: XmlElement | undefined,
  project: ProjectFile,
  guidOf: (value: string | undefined) => string | undefined,
  kindOf: (guid: string) => string | undefined,
): GraphReading {
  const out: GraphReading = { maps: [], notImported: [], notes: [] };
  if (!graphsEl) return out;
  const codes = new Set(project.codes.map((c) => c.id));
  const relations = new Map((project.relations ?? []).map((r) => [r.id, r]));
  const names = new Map<string, string>();
  const ids = new Set<string>();
  let unnamed = 0;
  for (const el of graphsEl.children.filter((c) => c.name === 'Graph')) {
    const id = guidOf(el.attrs.guid);
    const original = el.attrs.name?.trim() || `Graph ${++unnamed}`;
    if (!id || ids.has(id)) {
      out.notImported.push(`line ${el.line}: the graph "${original}" has no valid GUID of its own`);
      continue;
    }
    ids.add(id);
    let name = original;
    for (let n = 2; names.has(nameKey(name)); n++) name = `${original} (${n})`;
    if (name !== original) out.notes.push(`line ${el.line}: the graph "${original}" has the name of the graph "${names.get(nameKey(original))}" (ignoring case), and map names are unique in Grounded; it was renamed "${name}"`);
    names.set(nameKey(name), name);
    const at = new Map<string, { code: string; x: number; y: number }>();
    /** vertex GUID -> the code it stands for (imported vertices only) */
    const vertexCode = new Map<string, string>();
    const others = new Map<Kind, number>();
    const other = (what: Kind) => others.set(what, (others.get(what) ?? 0) + 1);
    let badPosition = 0;
    for (const v of el.children.filter((c) => c.name === 'Vertex')) {
      const represented = guidOf(v.attrs.representedGUID);
      if (!represented) {
        other('nothing');
        continue;
      }
      if (!codes.has(represented)) {
        other(kindOfElement(kindOf(represented)));
        continue;
      }
      if (at.has(represented)) {
        other('again');
        continue;
      }
      const [x, y] = [v.attrs.firstX, v.attrs.firstY].map((s) => (s !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(s) ? Math.round(Number(s)) : undefined));
      if (x === undefined || y === undefined) badPosition++;
      at.set(represented, { code: represented, x: x ?? 0, y: y ?? 0 });
      const vg = guidOf(v.attrs.guid);
      if (vg) vertexCode.set(vg, represented);
    }
    if (badPosition) out.notes.push(`graph "${name}": ${plural(badPosition, 'vertex', 'vertices')} without a whole-number firstX and firstY, put at 0, 0`);
    const drawnByEdge = new Set<string>();
    let strayEdges = 0;
    for (const e of el.children.filter((c) => c.name === 'Edge')) {
      const r: Relation | undefined = relations.get(guidOf(e.attrs.representedGUID) ?? '');
      const a = vertexCode.get(guidOf(e.attrs.sourceVertex) ?? '');
      const b = vertexCode.get(guidOf(e.attrs.targetVertex) ?? '');
      if (r && a && b && ((r.source === a && r.target === b) || (r.source === b && r.target === a))) drawnByEdge.add(r.id);
      else strayEdges++;
    }
    if (others.size) {
      const total = [...others.values()].reduce((a, b) => a + b, 0);
      const parts = [...others].sort(([p], [q]) => (p < q ? -1 : 1)).map(([what, n]) => `${n} for ${n === 1 ? KINDS[what][0] : KINDS[what][1]}`);
      out.notImported.push(`graph "${name}": ${plural(total, 'vertex', 'vertices')} not imported (${parts.join(', ')}): a Grounded map draws codes and categories, each once`);
    }
    if (strayEdges) out.notImported.push(`graph "${name}": ${plural(strayEdges, 'edge')} that ${strayEdges === 1 ? 'stands' : 'stand'} for no imported link between the codes of ${strayEdges === 1 ? 'its' : 'their'} two vertices: a Grounded map draws the relations between its codes`);
    const map: TheoryMap = { id, name, nodes: [...at.values()].sort((p, q) => (p.code < q.code ? -1 : p.code > q.code ? 1 : 0)) };
    const extra = relationsOnMap(project, map).filter((r) => !drawnByEdge.has(r.id) && relationTypeOf(project, r.type)).length;
    if (extra) out.notes.push(`graph "${name}": the map also draws ${plural(extra, 'relation')} between its codes that the graph had no edge for (a Grounded map draws every relation between its codes)`);
    out.maps.push(map);
  }
  return out;
}

/** What a vertex that is not imported stands for: [one, several]. */
const KINDS = {
  again: ['a code with a vertex before it', 'codes with a vertex before them'],
  case: ['a case', 'cases'],
  link: ['a link', 'links'],
  note: ['a note', 'notes'],
  nothing: ['nothing (a shape or a comment)', 'nothing (shapes or comments)'],
  other: ['something else', 'other things'],
  selection: ['a selection', 'selections'],
  set: ['a set', 'sets'],
  source: ['a source', 'sources'],
  unknown: ['a GUID not in the file', 'GUIDs not in the file'],
  user: ['a user', 'users'],
} as const;
type Kind = keyof typeof KINDS;

function kindOfElement(element: string | undefined): Kind {
  if (!element) return 'unknown';
  if (element.endsWith('Source')) return 'source';
  if (element.endsWith('Selection')) return 'selection';
  const known: Record<string, Kind> = { Note: 'note', Case: 'case', Set: 'set', Link: 'link', User: 'user' };
  return known[element] ?? 'other';
}
