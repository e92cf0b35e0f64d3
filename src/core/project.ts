// The project file (`grounded.json`): project identity, settings, the codebook and the cases.
// Same layout rules as sidecars: one record per line, fixed key order, records sorted by id, so
// that two researchers adding codes at the same time touch different lines.
import { FORMAT_VERSION } from './model';
import type { Case, Code, MapNode, ProjectFile, ProjectInfo, ProjectSet, ProjectSettings, Relation, RelationType, SourceInfo, TheoryMap } from './model';
import type { Environment } from './ports';
import { JsonPath, ShapeChecker, TIMESTAMP, UUID, parseJson } from './jsonError';
import { checkVersion, runMigrations } from './sidecar';

export const COLOR_PATTERN = { re: /^#[0-9a-fA-F]{6}$/, what: 'a colour like #e06c75' };

/**
 * Default code colours, picked to stay readable as highlights on both light and dark themes.
 * Fixed order: the first colour used least often in the codebook is the next one handed out.
 * The first twelve are the original palette (One Dark and Material tones) and keep their places, so
 * projects go on getting the colours they got before. The other twelve were taken, one at a time, from
 * Kelly's colours of maximum contrast, Tableau 20 and Material (shades 400-600): each time the candidate
 * farthest (CIELAB distance) from every colour already in the list, among those of mid lightness
 * (L* 50-78), since a very dark colour vanishes as a translucent fill on a dark theme and a very light
 * one as a line on a light theme. test/unit/palette.test.ts checks the distances and the lightness.
 */
export const CODE_PALETTE: readonly string[] = [
  '#e06c75', // red
  '#61afef', // blue
  '#98c379', // green
  '#e5c07b', // yellow
  '#c678dd', // purple
  '#56b6c2', // cyan
  '#d19a66', // orange
  '#f48fb1', // pink
  '#4db6ac', // teal
  '#9575cd', // violet
  '#a1887f', // brown
  '#90a4ae', // blue grey
  '#ff7f0e', // bright orange (Tableau)
  '#8db600', // yellow green (Kelly)
  '#e53935', // signal red (Material)
  '#2ca02c', // leaf green (Tableau)
  '#f6a600', // amber (Kelly)
  '#ff8a65', // coral (Material)
  '#ec407a', // raspberry (Material)
  '#1e88e5', // strong blue (Material)
  '#c5b0d5', // lavender (Tableau)
  '#e377c2', // orchid (Tableau)
  '#7cb342', // grass green (Material)
  '#7986cb', // indigo (Material)
];

/** English names of the palette's colours, in its order (for the colour picker). */
export const CODE_COLOUR_NAMES: readonly string[] = [
  'red',
  'blue',
  'green',
  'yellow',
  'purple',
  'cyan',
  'orange',
  'pink',
  'teal',
  'violet',
  'brown',
  'blue grey',
  'bright orange',
  'yellow green',
  'signal red',
  'leaf green',
  'amber',
  'coral',
  'raspberry',
  'strong blue',
  'lavender',
  'orchid',
  'grass green',
  'indigo',
];

export function newProject(name: string, env: Environment): ProjectFile {
  return {
    version: FORMAT_VERSION,
    project: { id: env.newId(), name, created: env.now() },
    settings: {},
    codes: [],
    cases: [],
  };
}

const compareCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const byId = <T extends { id: string }>(a: T, b: T): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** JSON with object keys sorted at every level, for the parts whose keys are open-ended. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function recordList(lines: string[]): string {
  return lines.length ? `[\n${lines.map((l) => '    ' + l).join(',\n')}\n  ]` : '[]';
}

/** The exact on-disk text of grounded.json. */
export function serializeProject(p: ProjectFile): string {
  const info = JSON.stringify({ id: p.project.id, name: p.project.name, created: p.project.created });
  const codes = [...p.codes].sort(byId).map((c) => {
    const r: Record<string, unknown> = { id: c.id, name: c.name, color: c.color };
    if (c.description) r.description = c.description;
    if (c.parent) r.parent = c.parent;
    if (c.focused) r.focused = true;
    if (c.order !== undefined) r.order = c.order;
    r.created = c.created;
    r.createdBy = c.createdBy;
    if (c.conflictOf) r.conflictOf = c.conflictOf;
    return JSON.stringify(r);
  });
  const cases = [...p.cases].sort(byId).map(
    (k) => `{"id":${JSON.stringify(k.id)},"pseudonym":${JSON.stringify(k.pseudonym)},"documents":${JSON.stringify(k.documents)},"attributes":${sortedJson(k.attributes)}}`,
  );
  // sets and sources only when there are any: a project without them keeps the file it always had.
  const sets = [...(p.sets ?? [])].sort(byId).map((k) => {
    const r: Record<string, unknown> = { id: k.id, name: k.name };
    if (k.description) r.description = k.description;
    r.documents = [...k.documents].sort(compareCodeUnits);
    r.codes = [...k.codes].sort(compareCodeUnits);
    return JSON.stringify(r);
  });
  const sources = [...(p.sources ?? [])].sort(byId).map((k) => JSON.stringify(k.name === undefined ? { id: k.id, path: k.path } : { id: k.id, path: k.path, name: k.name }));
  const relationTypes = [...(p.relationTypes ?? [])].sort(byId).map((t) => {
    const r: Record<string, unknown> = { id: t.id, name: t.name, direction: t.direction };
    if (t.transitive) r.transitive = true;
    if (t.conflictOf) r.conflictOf = t.conflictOf;
    return JSON.stringify(r);
  });
  const relations = [...(p.relations ?? [])].sort(byId).map((x) => {
    const r: Record<string, unknown> = { id: x.id, source: x.source, target: x.target, type: x.type };
    if (x.label) r.label = x.label;
    const evidence = [...new Set(x.evidence ?? [])].sort(compareCodeUnits);
    if (evidence.length) r.evidence = evidence;
    r.author = x.author;
    r.created = x.created;
    r.modified = x.modified;
    if (x.conflictOf) r.conflictOf = x.conflictOf;
    return JSON.stringify(r);
  });
  // A map is one line: its nodes sorted by code id, each {code, x, y}. The merge driver merges maps node by node.
  const maps = [...(p.maps ?? [])].sort(byId).map((m) => {
    const nodes = [...m.nodes].sort((a, b) => compareCodeUnits(a.code, b.code)).map((n) => `{"code":${JSON.stringify(n.code)},"x":${n.x},"y":${n.y}}`);
    return `{"id":${JSON.stringify(m.id)},"name":${JSON.stringify(m.name)},"nodes":[${nodes.join(',')}]}`;
  });
  return (
    `{\n  "version": ${p.version},\n  "project": ${info},\n  "settings": ${sortedJson(p.settings)},\n` +
    `  "codes": ${recordList(codes)},\n  "cases": ${recordList(cases)}` +
    (sets.length ? `,\n  "sets": ${recordList(sets)}` : '') +
    (sources.length ? `,\n  "sources": ${recordList(sources)}` : '') +
    (relationTypes.length ? `,\n  "relationTypes": ${recordList(relationTypes)}` : '') +
    (relations.length ? `,\n  "relations": ${recordList(relations)}` : '') +
    (maps.length ? `,\n  "maps": ${recordList(maps)}` : '') +
    '\n}\n'
  );
}

type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;
/** Upgrades of grounded.json from version N to N+1, keyed by N (see migrateSidecar). */
const PROJECT_MIGRATIONS: Record<number, Migration> = {};

export function migrateProject(raw: Record<string, unknown>, fromVersion: number): Record<string, unknown> {
  return runMigrations(PROJECT_MIGRATIONS, raw, fromVersion);
}

const TOP_REQUIRED = ['version', 'project', 'settings', 'codes', 'cases'];
const TOP_KEYS = [...TOP_REQUIRED, 'sets', 'sources', 'relationTypes', 'relations', 'maps'];
const RELATION_TYPE_KEYS = ['id', 'name', 'direction', 'transitive', 'conflictOf'];
const RELATION_KEYS = ['id', 'source', 'target', 'type', 'label', 'evidence', 'author', 'created', 'modified', 'conflictOf'];
const RELATION_REQUIRED = ['id', 'source', 'target', 'type', 'author', 'created', 'modified'];
const DIRECTION = { re: /^(symmetric|one-way)$/, what: '"symmetric" or "one-way"' };
const SET_KEYS = ['id', 'name', 'description', 'documents', 'codes'];
const SET_REQUIRED = ['id', 'name', 'documents', 'codes'];
const SOURCE_KEYS = ['id', 'path', 'name'];
const CODE_KEYS = ['id', 'name', 'color', 'description', 'parent', 'focused', 'order', 'created', 'createdBy', 'conflictOf'];
const CODE_REQUIRED = ['id', 'name', 'color', 'created', 'createdBy'];
const CASE_KEYS = ['id', 'pseudonym', 'documents', 'attributes'];

/** Parse and validate grounded.json; throws FormatError with the file position of the problem. */
export function parseProject(text: string, path: string): ProjectFile {
  const c = new ShapeChecker(text, path);
  const { obj, version } = checkVersion(c, parseJson(text, path));
  const raw = migrateProject(obj, version);
  c.object(raw, [], TOP_KEYS, TOP_REQUIRED);
  const pi = c.object(raw.project, ['project'], ['id', 'name', 'created'], ['id', 'name', 'created']);
  const project: ProjectInfo = {
    id: c.string(pi.id, ['project', 'id'], UUID),
    name: c.string(pi.name, ['project', 'name']),
    created: c.string(pi.created, ['project', 'created'], TIMESTAMP),
  };
  // Settings are open-ended (later versions of the extension add keys); the known ones are typed.
  const settings = c.anyObject(raw.settings, ['settings']) as ProjectSettings;
  for (const key of ['language', 'reportLanguage'] as const) {
    if (settings[key] !== undefined) c.string(settings[key], ['settings', key]);
  }
  if (settings.excludedSpeakers !== undefined) {
    c.array(settings.excludedSpeakers, ['settings', 'excludedSpeakers']).forEach((v, i) => c.string(v, ['settings', 'excludedSpeakers', i]));
  }
  const codes = c.array(raw.codes, ['codes']).map((v, i) => readCode(c, v, ['codes', i]));
  const cases = c.array(raw.cases, ['cases']).map((v, i) => readCase(c, v, ['cases', i]));
  c.uniqueIds(codes, ['codes']);
  c.uniqueIds(cases, ['cases']);
  const out: ProjectFile = { version: FORMAT_VERSION, project, settings: { ...settings }, codes, cases };
  if (raw.sets !== undefined) {
    const sets = c.array(raw.sets, ['sets']).map((v, i) => readSet(c, v, ['sets', i]));
    c.uniqueIds(sets, ['sets']);
    uniqueNames(c, sets, 'sets', 'set');
    if (sets.length) out.sets = sets;
  }
  if (raw.sources !== undefined) {
    const sources = c.array(raw.sources, ['sources']).map((v, i) => readSource(c, v, ['sources', i]));
    c.uniqueIds(sources, ['sources']);
    if (sources.length) out.sources = sources;
  }
  // Only the shape is checked here: a relation whose code or type is gone (a hand edit, a merge) still
  // reads, is left out of the analysis, and `grounded check` reports it (relations.ts relationProblems).
  if (raw.relationTypes !== undefined) {
    const types = c.array(raw.relationTypes, ['relationTypes']).map((v, i) => readRelationType(c, v, ['relationTypes', i]));
    c.uniqueIds(types, ['relationTypes']);
    if (types.length) out.relationTypes = types;
  }
  if (raw.relations !== undefined) {
    const relations = c.array(raw.relations, ['relations']).map((v, i) => readRelation(c, v, ['relations', i]));
    c.uniqueIds(relations, ['relations']);
    if (relations.length) out.relations = relations;
  }
  // A map's node whose code is gone still reads; it is not drawn, and `grounded check` reports it (maps.ts mapProblems).
  if (raw.maps !== undefined) {
    const maps = c.array(raw.maps, ['maps']).map((v, i) => readMap(c, v, ['maps', i]));
    c.uniqueIds(maps, ['maps']);
    uniqueNames(c, maps, 'maps', 'map');
    if (maps.length) out.maps = maps;
  }
  return out;
}

function readRelationType(c: ShapeChecker, value: unknown, at: JsonPath): RelationType {
  const r = c.object(value, at, RELATION_TYPE_KEYS, ['id', 'name', 'direction']);
  const t: RelationType = {
    id: c.string(r.id, [...at, 'id'], UUID),
    name: c.string(r.name, [...at, 'name']),
    direction: c.string(r.direction, [...at, 'direction'], DIRECTION) as RelationType['direction'],
  };
  if (r.transitive !== undefined && c.boolean(r.transitive, [...at, 'transitive'])) t.transitive = true;
  if (r.conflictOf !== undefined) t.conflictOf = c.string(r.conflictOf, [...at, 'conflictOf'], UUID);
  return t;
}

/** Names unique in a list, ignoring case (nameKey): the second of two is refused with its place. */
function uniqueNames(c: ShapeChecker, records: readonly { name: string }[], key: string, what: string): void {
  const names = new Set<string>();
  records.forEach((r, i) => {
    const k = nameKey(r.name);
    if (names.has(k)) c.fail([key, i, 'name'], `the ${what} name "${r.name}" is taken by another ${what} (names are unique, ignoring case)`);
    names.add(k);
  });
}

function readMap(c: ShapeChecker, value: unknown, at: JsonPath): TheoryMap {
  const r = c.object(value, at, ['id', 'name', 'nodes'], ['id', 'name', 'nodes']);
  const seen = new Set<string>();
  const nodes = c.array(r.nodes, [...at, 'nodes']).map((v, i): MapNode => {
    const where = [...at, 'nodes', i];
    const n = c.object(v, where, ['code', 'x', 'y'], ['code', 'x', 'y']);
    const code = c.string(n.code, [...where, 'code'], UUID);
    if (seen.has(code)) c.fail([...where, 'code'], `the code ${code} is on this map twice (one node per code)`);
    seen.add(code);
    return { code, x: c.integer(n.x, [...where, 'x']), y: c.integer(n.y, [...where, 'y']) };
  });
  const name = c.string(r.name, [...at, 'name']);
  if (!name.trim()) c.fail([...at, 'name'], 'a map needs a name');
  return { id: c.string(r.id, [...at, 'id'], UUID), name, nodes: nodes.sort((a, b) => compareCodeUnits(a.code, b.code)) };
}

function readRelation(c: ShapeChecker, value: unknown, at: JsonPath): Relation {
  const r = c.object(value, at, RELATION_KEYS, RELATION_REQUIRED);
  const x: Relation = {
    id: c.string(r.id, [...at, 'id'], UUID),
    source: c.string(r.source, [...at, 'source'], UUID),
    target: c.string(r.target, [...at, 'target'], UUID),
    type: c.string(r.type, [...at, 'type'], UUID),
    author: c.string(r.author, [...at, 'author']),
    created: c.string(r.created, [...at, 'created'], TIMESTAMP),
    modified: c.string(r.modified, [...at, 'modified'], TIMESTAMP),
  };
  if (r.label !== undefined) {
    const label = c.string(r.label, [...at, 'label']);
    if (label) x.label = label;
  }
  if (r.evidence !== undefined) {
    const ids = c.array(r.evidence, [...at, 'evidence']).map((v, i) => c.string(v, [...at, 'evidence', i], UUID));
    const evidence = [...new Set(ids)].sort(compareCodeUnits);
    if (evidence.length) x.evidence = evidence;
  }
  if (r.conflictOf !== undefined) x.conflictOf = c.string(r.conflictOf, [...at, 'conflictOf'], UUID);
  return x;
}

function readCode(c: ShapeChecker, value: unknown, at: JsonPath): Code {
  const r = c.object(value, at, CODE_KEYS, CODE_REQUIRED);
  const code: Code = {
    id: c.string(r.id, [...at, 'id'], UUID),
    name: c.string(r.name, [...at, 'name']),
    color: c.string(r.color, [...at, 'color'], COLOR_PATTERN),
    created: c.string(r.created, [...at, 'created'], TIMESTAMP),
    createdBy: c.string(r.createdBy, [...at, 'createdBy']),
  };
  if (r.description !== undefined) {
    const d = c.string(r.description, [...at, 'description']);
    if (d) code.description = d;
  }
  if (r.parent !== undefined) code.parent = c.string(r.parent, [...at, 'parent'], UUID);
  if (r.focused !== undefined && c.boolean(r.focused, [...at, 'focused'])) code.focused = true;
  if (r.order !== undefined) code.order = c.nonNegativeInteger(r.order, [...at, 'order']);
  if (r.conflictOf !== undefined) code.conflictOf = c.string(r.conflictOf, [...at, 'conflictOf'], UUID);
  return code;
}

function readCase(c: ShapeChecker, value: unknown, at: JsonPath): Case {
  const r = c.object(value, at, CASE_KEYS, CASE_KEYS);
  const attrs = c.anyObject(r.attributes, [...at, 'attributes']);
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) attributes[k] = c.string(v, [...at, 'attributes', k]);
  return {
    id: c.string(r.id, [...at, 'id'], UUID),
    pseudonym: c.string(r.pseudonym, [...at, 'pseudonym']),
    documents: c.array(r.documents, [...at, 'documents']).map((d, i) => c.string(d, [...at, 'documents', i])),
    attributes,
  };
}

function readSet(c: ShapeChecker, value: unknown, at: JsonPath): ProjectSet {
  const r = c.object(value, at, SET_KEYS, SET_REQUIRED);
  const set: ProjectSet = {
    id: c.string(r.id, [...at, 'id'], UUID),
    name: c.string(r.name, [...at, 'name']),
    documents: c.array(r.documents, [...at, 'documents']).map((d, i) => c.string(d, [...at, 'documents', i])),
    codes: c.array(r.codes, [...at, 'codes']).map((d, i) => c.string(d, [...at, 'codes', i], UUID)),
  };
  if (r.description !== undefined) {
    const d = c.string(r.description, [...at, 'description']);
    if (d) set.description = d;
  }
  return set;
}

function readSource(c: ShapeChecker, value: unknown, at: JsonPath): SourceInfo {
  const r = c.object(value, at, SOURCE_KEYS, ['id', 'path']);
  const source: SourceInfo = { id: c.string(r.id, [...at, 'id'], UUID), path: c.string(r.path, [...at, 'path']) };
  if (r.name !== undefined) source.name = c.string(r.name, [...at, 'name']);
  return source;
}

export interface NewCode {
  name: string;
  color?: string;
  parent?: string;
  description?: string;
}

/** The least used palette colour, earliest first: cycles through the palette and fills gaps. */
export function nextCodeColor(codes: readonly Code[]): string {
  const uses = new Map<string, number>(CODE_PALETTE.map((c) => [c, 0]));
  for (const code of codes) {
    const key = code.color.toLowerCase();
    if (uses.has(key)) uses.set(key, uses.get(key)! + 1);
  }
  let best = CODE_PALETTE[0];
  for (const c of CODE_PALETTE) if (uses.get(c)! < uses.get(best)!) best = c;
  return best;
}

/** A new project with one more code. Throws on an empty name, a bad colour or an unknown parent. */
export function addCode(project: ProjectFile, input: NewCode, coder: string, env: Environment): { project: ProjectFile; code: Code } {
  const name = input.name.trim();
  if (!name) throw new Error('A code needs a name.');
  if (input.color !== undefined && !COLOR_PATTERN.re.test(input.color)) throw new Error(`Not a colour: ${input.color} (expected #rrggbb)`);
  if (input.parent !== undefined && !project.codes.some((c) => c.id === input.parent)) throw new Error(`No code with id ${input.parent}`);
  // Names are unique among siblings, ignoring case: the same rule as rename, move, merge and import.
  const clash = findCodeByName(project, name, input.parent ?? null);
  if (clash) throw new Error(`There is already a code named "${clash.name}" ${input.parent ? 'in this category' : 'at the top level'}. Pick it, or choose another name.`);
  const code: Code = { id: env.newId(), name, color: (input.color ?? nextCodeColor(project.codes)).toLowerCase(), created: env.now(), createdBy: coder };
  const description = input.description?.trim();
  if (description) code.description = description;
  if (input.parent) code.parent = input.parent;
  return { project: { ...project, codes: [...project.codes, code] }, code };
}

/** How names are compared (codes, cases, relation types): ignoring case and surrounding spaces, NFC. */
export const nameKey = (s: string): string => s.trim().normalize('NFC').toLowerCase();

/**
 * A code by name, ignoring case and surrounding spaces. With `parent` (a code id, or null for the
 * top level) only that level is searched; names need only be unique among siblings.
 */
export function findCodeByName(project: ProjectFile, name: string, parent?: string | null): Code | undefined {
  const key = nameKey(name);
  return project.codes.find((c) => nameKey(c.name) === key && (parent === undefined || (c.parent ?? null) === parent));
}

/** Names from the top-level category down to the code; [] for an unknown id. Stops on a cycle. */
export function codePath(project: ProjectFile, codeId: string): string[] {
  const byIdMap = new Map(project.codes.map((c) => [c.id, c]));
  const names: string[] = [];
  const seen = new Set<string>();
  for (let c = byIdMap.get(codeId); c && !seen.has(c.id); c = c.parent ? byIdMap.get(c.parent) : undefined) {
    seen.add(c.id);
    names.unshift(c.name);
  }
  return names;
}

/**
 * The parent a code hangs under in the tree: undefined at the top level, and also when its parent no
 * longer exists (deleted on another branch) or when its ancestors loop back to it (two moves merged
 * from different branches), so that no code ever disappears from the tree or repeats forever.
 */
export function effectiveParent(project: ProjectFile, code: Code, byIdMap?: ReadonlyMap<string, Code>): string | undefined {
  const map = byIdMap ?? new Map(project.codes.map((c) => [c.id, c]));
  if (!code.parent || !map.has(code.parent)) return undefined;
  const seen = new Set<string>();
  for (let p = map.get(code.parent); p && !seen.has(p.id); p = p.parent ? map.get(p.parent) : undefined) {
    if (p.id === code.id) return undefined; // the code is part of a loop
    seen.add(p.id);
  }
  return code.parent;
}

/** Sibling order: codes arranged by hand (`order`) first, then the others by name; ties by id. */
export function bySiblingOrder(a: Code, b: Code): number {
  const oa = a.order ?? Number.POSITIVE_INFINITY;
  const ob = b.order ?? Number.POSITIVE_INFINITY;
  return oa !== ob ? (oa < ob ? -1 : 1) : a.name.localeCompare(b.name) || byId(a, b);
}

/** Direct children of a code, in sibling order (see bySiblingOrder); without `parentId` the top level (see effectiveParent). */
export function childrenOf(project: ProjectFile, parentId?: string): Code[] {
  const map = new Map(project.codes.map((c) => [c.id, c]));
  return project.codes
    .filter((c) => effectiveParent(project, c, map) === parentId)
    .sort(bySiblingOrder);
}
