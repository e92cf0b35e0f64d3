// A theory map drawn: the geometry of its boxes and arrows (`mapGeometry`, shared by the map webview
// and the SVG so both draw the same thing) and the map as a standalone SVG (`renderMapSvg`, for the
// report, `grounded map --svg` and the webview's SVG export). Pure and deterministic: the same project,
// counts and map give the same bytes (numbers to one decimal, fixed order, no measuring of fonts).
//
// The geometry:
// - a node's (x, y) in grounded.json is the TOP LEFT corner of its box; the box's size follows from the
//   code's name (wrapped onto at most two lines, an ellipsis when longer) and its count line, with
//   text widths estimated from the characters (NODE_FONT), so it needs no fonts or DOM;
// - a box shows the code's name and its segments: a category (a code with subcodes) its total with
//   the subcodes (CodeCounts.totalSegments, as the Codes view and the report), in bold with a thicker
//   border; the fill is a light tint of the code's colour, the border the colour a little darker;
// - an arrow joins the edges of two boxes (not their centres), along the line between their centres;
//   several relations between the same two codes are drawn side by side, 16 px apart; a one-way type
//   has an arrowhead at its target, a symmetric one none; a merge's other version (conflictOf) is dashed;
// - the label (the type's name, then the relation's label in quotes) sits on the arrow's middle.
import { BUILTIN_RELATION_TYPES } from './model';
import type { Code, ProjectFile, Relation, RelationType, TheoryMap } from './model';
import { childrenOf } from './project';
import { mapOf, relationsOnMap } from './maps';
import { relationTypeOf } from './relations';
import { reportLanguageOf, reportText } from './reportText';

/** The numbers a box shows (core/codebook.ts CodeCounts has them; the analysis's `counts` fits). */
export interface MapCounts {
  segments: number;
  totalSegments: number;
}

export interface MapDrawOptions {
  /** the language of the fixed words (the count, built-in type names): a BCP 47 tag; default the project's report language */
  language?: string;
}

export interface Point {
  x: number;
  y: number;
}

/** A node as drawn: its box (top left at the node's x and y), its text and colours. */
export interface MapNodeBox {
  code: Code;
  /** a category: a code with subcodes (bold, thicker border, total count with the subcodes) */
  category: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
  /** the name as drawn, one or two lines */
  lines: string[];
  /** segments: the code's own, or for a category the total with its subcodes */
  count: number;
  /** the count line ("12 segments") */
  countText: string;
  /** the accessible description ("Boredom (category): 12 segments") */
  title: string;
  fill: string;
  stroke: string;
  text: string;
}

/** A relation as drawn: from the edge of its source's box to the edge of its target's. */
export interface MapEdge {
  relation: Relation;
  type: RelationType;
  /** the type's name as shown (a built-in type's in the drawing's language) */
  typeName: string;
  /** the text on the arrow: the type's name, and the relation's label in quotes */
  labelText: string;
  /** the label as drawn: the type's name, and on a second line the relation's label in quotes (cut at 40 characters) */
  labelLines: string[];
  /** the accessible description ("Boredom is cause of Longing “empty weekends”") */
  title: string;
  from: Point;
  to: Point;
  /** where its label sits: the arrow's middle (arrows side by side: staggered along them) */
  mid: Point;
  /** an arrowhead at `to` (a one-way type) */
  arrow: boolean;
  /** a merge's other version (conflictOf): drawn dashed */
  conflict: boolean;
}

export interface MapGeometry {
  map: TheoryMap;
  nodes: MapNodeBox[];
  edges: MapEdge[];
  /** what the drawing covers (boxes and labels), without the margin; a 0×0 box at 0,0 for an empty map */
  bounds: { x: number; y: number; width: number; height: number };
}

/** The sizes of a drawing, for the webview to draw with the same numbers. */
export const MAP_LAYOUT = {
  /** the name's font size, px; bold for a category */
  nameFont: 13,
  /** the count line's and the arrow labels' font size, px */
  smallFont: 11,
  padX: 10,
  padY: 8,
  /** a name line's height, px */
  line: 16,
  /** the count line's height, px */
  countLine: 14,
  minWidth: 96,
  maxWidth: 220,
  /** corner radius of a box */
  radius: 8,
  /** between two arrows joining the same two codes */
  parallel: 16,
  /** around the drawing in the SVG */
  margin: 24,
} as const;

const L = MAP_LAYOUT;
const DEFAULT_COLOR = '#888888';

/** One decimal, no `-0`: the one number format of the SVG. */
export const fmt = (n: number): string => {
  const r = Math.round(n * 10) / 10;
  return String(r === 0 ? 0 : r);
};

/**
 * The estimated width of a text in px (no font is measured, so every machine gets the same drawing):
 * about 0.58 em for a small letter, 0.7 for a capital, up to 0.95 for the widest (M, W), 0.3 to 0.42
 * for the narrow ones and spaces, 1 em for wide characters (CJK, emoji), 12 % more in bold; generous
 * rather than tight, so text stays inside its box in the common fonts.
 */
export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x300 && c < 0x370) continue; // combining marks
    if (c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f)) continue; // joiners and variation selectors
    em += c >= 0x2e80 ? 1 : /[MWÆŒ]/.test(ch) ? 0.95 : /[mwæœ]/.test(ch) ? 0.85 : /[\p{Lu}]/u.test(ch) ? 0.7 : /[0-9]/.test(ch) ? 0.6 : /[ijl.,:;'|!]/.test(ch) ? 0.3 : /[ftr ()[\]-]/.test(ch) ? 0.42 : 0.58;
  }
  return em * size * (bold ? 1.12 : 1);
}

/** `text` cut to fit `width` px, an ellipsis added when cut (code points, so an emoji is never halved). */
function fit(text: string, width: number, size: number, bold: boolean): string {
  if (textWidth(text, size, bold) <= width) return text;
  const chars = Array.from(text);
  while (chars.length && textWidth(`${chars.join('')}…`, size, bold) > width) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** A name on at most two lines of `width` px: words greedily, the second line cut with an ellipsis. */
function wrap(name: string, width: number, size: number, bold: boolean): string[] {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (!words.length) return [''];
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (!line || textWidth(next, size, bold) <= width) line = next;
    else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  // a third line and more: the second line is the rest, cut with an ellipsis
  const shown = lines.length <= 2 ? lines : [lines[0], lines.slice(1).join(' ')];
  return shown.map((l) => fit(l, width, size, bold));
}

const hex = (c: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
const toHex = (rgb: readonly number[]): string => `#${rgb.map((v) => Math.round(Math.max(0, Math.min(255, v))).toString(16).padStart(2, '0')).join('')}`;
const mix = (c: string, other: readonly number[], share: number): string => toHex(hex(c).map((v, i) => v * (1 - share) + other[i] * share));
const luminance = (c: string): number => {
  const [r, g, b] = hex(c).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/** The colours of a code's box: a light tint of its colour, a border a little darker, and dark or light text, whichever reads. */
export function nodeColors(color: string): { fill: string; stroke: string; text: string } {
  const c = /^#[0-9a-fA-F]{6}$/.test(color) ? color.toLowerCase() : DEFAULT_COLOR;
  const fill = mix(c, [255, 255, 255], 0.82);
  return { fill, stroke: mix(c, [0, 0, 0], 0.15), text: luminance(fill) > 0.18 ? '#1f1f1f' : '#ffffff' };
}

/** A relation type's name as shown: a built-in type not renamed in the drawing's language, any other as named. */
export function relationTypeName(type: RelationType, language?: string): string {
  const at = BUILTIN_RELATION_TYPES.findIndex((b) => b.id === type.id && b.name === type.name);
  return at >= 0 ? reportText(language).builtinRelationTypes[at] : type.name;
}

const quoted = (label: string, language?: string): string => (reportLanguageOf(language) === 'nb' ? `«${label}»` : `“${label}”`);

/**
 * Where a line from `inside` (a point in the box) towards `toward` leaves the box. The point itself
 * when the two are the same.
 */
export function boxExit(box: { x: number; y: number; width: number; height: number }, inside: Point, toward: Point): Point {
  const dx = toward.x - inside.x;
  const dy = toward.y - inside.y;
  if (dx === 0 && dy === 0) return { ...inside };
  let t = Infinity;
  if (dx > 0) t = Math.min(t, (box.x + box.width - inside.x) / dx);
  if (dx < 0) t = Math.min(t, (box.x - inside.x) / dx);
  if (dy > 0) t = Math.min(t, (box.y + box.height - inside.y) / dy);
  if (dy < 0) t = Math.min(t, (box.y - inside.y) / dy);
  t = Math.max(0, t);
  return { x: inside.x + dx * t, y: inside.y + dy * t };
}

/** The size of a code's box and its name's lines (its top left is the node's x and y). */
export function nodeBoxSize(name: string, countText: string, category: boolean): { width: number; height: number; lines: string[] } {
  const inner = L.maxWidth - 2 * L.padX;
  const lines = wrap(name, inner, L.nameFont, category);
  const widest = Math.max(...lines.map((l) => textWidth(l, L.nameFont, category)), textWidth(countText, L.smallFont));
  const width = Math.min(L.maxWidth, Math.max(L.minWidth, Math.ceil(widest + 2 * L.padX)));
  return { width, height: 2 * L.padY + lines.length * L.line + L.countLine, lines };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The drawing of a map: a box per node whose code is in the codebook (in the map's order, by code id)
 * and an arrow per relation on the map (maps.ts relationsOnMap) whose type exists, sorted by source
 * and target id, then type name and id. Throws when there is no map with the id.
 */
export function mapGeometry(project: ProjectFile, counts: ReadonlyMap<string, MapCounts>, mapId: string, options: MapDrawOptions = {}): MapGeometry {
  const map = mapOf(project, mapId);
  if (!map) throw new Error(`There is no theory map with id ${mapId}.`);
  const language = options.language ?? project.settings.reportLanguage;
  const t = reportText(language);
  const codes = new Map(project.codes.map((c) => [c.id, c]));
  const parents = new Set(project.codes.filter((c) => c.parent).map((c) => c.parent!));
  const nodes: MapNodeBox[] = [];
  const boxes = new Map<string, MapNodeBox>();
  for (const n of [...map.nodes].sort((a, b) => cmp(a.code, b.code))) {
    const code = codes.get(n.code);
    if (!code) continue;
    const category = parents.has(code.id) && childrenOf(project, code.id).length > 0;
    const c = counts.get(code.id);
    const count = (category ? c?.totalSegments : c?.segments) ?? 0;
    const countText = t.mapSegments(count);
    const size = nodeBoxSize(code.name, countText, category);
    const box: MapNodeBox = {
      code,
      category,
      x: n.x,
      y: n.y,
      ...size,
      count,
      countText,
      title: `${code.name}${category ? ` (${t.category.toLowerCase()})` : ''}: ${countText}`,
      ...nodeColors(code.color),
    };
    nodes.push(box);
    boxes.set(code.id, box);
  }
  const drawn = relationsOnMap(project, map)
    .flatMap((relation) => {
      const type = relationTypeOf(project, relation.type);
      return type && boxes.has(relation.source) && boxes.has(relation.target) && relation.source !== relation.target ? [{ relation, type }] : [];
    })
    .sort((a, b) => cmp(a.relation.source, b.relation.source) || cmp(a.relation.target, b.relation.target) || cmp(a.type.name, b.type.name) || cmp(a.relation.id, b.relation.id));
  // relations between the same two codes (either way round), side by side
  const pairKey = (r: Relation) => (r.source < r.target ? `${r.source}|${r.target}` : `${r.target}|${r.source}`);
  const pairs = new Map<string, number>();
  for (const d of drawn) pairs.set(pairKey(d.relation), (pairs.get(pairKey(d.relation)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const centre = (b: MapNodeBox): Point => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
  const edges: MapEdge[] = drawn.map(({ relation, type }) => {
    const a = boxes.get(relation.source)!;
    const b = boxes.get(relation.target)!;
    const key = pairKey(relation);
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const side = k - (pairs.get(key)! - 1) / 2;
    const shift = side * L.parallel;
    // the normal of the pair's line, the same for both directions (from the lower code id to the higher)
    const [lo, hi] = relation.source < relation.target ? [a, b] : [b, a];
    const lc = centre(lo);
    const hc = centre(hi);
    const len = Math.hypot(hc.x - lc.x, hc.y - lc.y) || 1;
    const nx = -(hc.y - lc.y) / len;
    const ny = (hc.x - lc.x) / len;
    // a shifted start stays inside its box
    const inBox = (box: MapNodeBox, p: Point): Point => ({ x: Math.max(box.x + 1, Math.min(box.x + box.width - 1, p.x)), y: Math.max(box.y + 1, Math.min(box.y + box.height - 1, p.y)) });
    const pa = inBox(a, { x: centre(a).x + nx * shift, y: centre(a).y + ny * shift });
    const pb = inBox(b, { x: centre(b).x + nx * shift, y: centre(b).y + ny * shift });
    // the labels of arrows side by side staggered along them, so they do not cover each other
    const along = Math.max(0.2, Math.min(0.8, 0.5 + side * 0.3 * (relation.source < relation.target ? 1 : -1)));
    const from = boxExit(a, pa, pb);
    const to = boxExit(b, pb, pa);
    const typeName = relationTypeName(type, language);
    const labelText = relation.label ? `${typeName} ${quoted(relation.label, language)}` : typeName;
    const labelLines = relation.label ? [typeName, quoted(shorten(relation.label, 40), language)] : [typeName];
    const title = `${a.code.name} ${typeName} ${b.code.name}${relation.label ? ` ${quoted(relation.label, language)}` : ''}${relation.conflictOf ? ` (${t.mapConflict})` : ''}`;
    return {
      relation,
      type,
      typeName,
      labelText,
      labelLines,
      title,
      from,
      to,
      mid: { x: from.x + (to.x - from.x) * along, y: from.y + (to.y - from.y) * along },
      arrow: type.direction === 'one-way',
      conflict: !!relation.conflictOf,
    };
  });
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const cover = (x: number, y: number, w: number, h: number) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x + w);
    maxY = Math.max(maxY, y + h);
  };
  for (const n of nodes) cover(n.x, n.y, n.width, n.height);
  for (const e of edges) {
    const box = labelBox(e);
    cover(box.x, box.y, box.width, box.height);
  }
  const bounds = nodes.length ? { x: minX, y: minY, width: maxX - minX, height: maxY - minY } : { x: 0, y: 0, width: 0, height: 0 };
  return { map, nodes, edges, bounds };
}

/** The background box of an arrow's label, centred on the arrow's middle. */
export function labelBox(e: Pick<MapEdge, 'labelLines' | 'mid'>): { x: number; y: number; width: number; height: number } {
  const width = Math.max(...e.labelLines.map((l) => textWidth(l, L.smallFont))) + 8;
  const height = e.labelLines.length * L.countLine + 4;
  return { x: e.mid.x - width / 2, y: e.mid.y - height / 2, width, height };
}

/** At most `max` characters (code points), an ellipsis when cut; line breaks as spaces. */
function shorten(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('').trimEnd()}…` : chars.join('');
}

/** Text made safe for XML content and attributes: escaped, and characters XML 1.0 does not allow removed. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const EDGE = '#555555';
const CONFLICT = '#c0392b';

/**
 * A theory map as a standalone SVG (UTF-8 text, an `<svg>` element with its namespace, no XML
 * declaration, so it can be a file and be put inline in HTML): the boxes and arrows of `mapGeometry`
 * on a white background, the viewBox fitted to the drawing with a margin of 24 px, a `<title>` for the
 * map, each box and each arrow. The counts come from the analysis (core/analysis.ts `counts`).
 * Throws when there is no map with the id.
 */
export function renderMapSvg(project: ProjectFile, analysis: { counts: ReadonlyMap<string, MapCounts> }, mapId: string, options: MapDrawOptions = {}): string {
  const g = mapGeometry(project, analysis.counts, mapId, options);
  const t = reportText(options.language ?? project.settings.reportLanguage);
  const esc = escapeXml;
  const vx = g.bounds.x - L.margin;
  const vy = g.bounds.y - L.margin;
  const vw = g.bounds.width + 2 * L.margin;
  const vh = g.bounds.height + 2 * L.margin;
  const marker = `arrow-${g.map.id.replace(/[^A-Za-z0-9_-]/g, '')}`;
  const out: string[] = [];
  const title = `${t.theoryMap}: ${g.map.name}`;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="theory-map" width="${fmt(vw)}" height="${fmt(vh)}" viewBox="${fmt(vx)} ${fmt(vy)} ${fmt(vw)} ${fmt(vh)}" role="img" aria-label="${esc(title)}" font-family="system-ui, sans-serif">`);
  out.push(`<title>${esc(title)}</title>`);
  out.push(`<desc>${esc(t.mapDescription(g.nodes.length, g.edges.length))}</desc>`);
  if (g.edges.some((e) => e.arrow)) {
    out.push(`<defs><marker id="${marker}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" fill="${EDGE}"/></marker></defs>`);
  }
  out.push(`<rect class="background" x="${fmt(vx)}" y="${fmt(vy)}" width="${fmt(vw)}" height="${fmt(vh)}" fill="#ffffff"/>`);
  for (const e of g.edges) {
    const color = e.conflict ? CONFLICT : EDGE;
    out.push(
      `<g class="edge${e.arrow ? ' one-way' : ' symmetric'}${e.conflict ? ' conflict' : ''}"><title>${esc(e.title)}</title>` +
        `<line x1="${fmt(e.from.x)}" y1="${fmt(e.from.y)}" x2="${fmt(e.to.x)}" y2="${fmt(e.to.y)}" stroke="${color}" stroke-width="1.5"${e.conflict ? ' stroke-dasharray="6 4"' : ''}${e.arrow ? ` marker-end="url(#${marker})"` : ''}/></g>`,
    );
  }
  for (const n of g.nodes) {
    const parts = [
      `<g class="node${n.category ? ' category' : ''}"><title>${esc(n.title)}</title>`,
      `<rect x="${fmt(n.x)}" y="${fmt(n.y)}" width="${fmt(n.width)}" height="${fmt(n.height)}" rx="${L.radius}" fill="${n.fill}" stroke="${n.stroke}" stroke-width="${n.category ? 3 : 1.5}"/>`,
    ];
    const cx = n.x + n.width / 2;
    n.lines.forEach((line, i) => {
      const y = n.y + L.padY + (i + 1) * L.line - 4;
      parts.push(`<text x="${fmt(cx)}" y="${fmt(y)}" text-anchor="middle" font-size="${L.nameFont}"${n.category ? ' font-weight="bold"' : ''} fill="${n.text}">${esc(line)}</text>`);
    });
    const cy = n.y + L.padY + n.lines.length * L.line + L.countLine - 3;
    parts.push(`<text x="${fmt(cx)}" y="${fmt(cy)}" text-anchor="middle" font-size="${L.smallFont}" fill="${n.text}">${esc(n.countText)}</text></g>`);
    out.push(parts.join(''));
  }
  for (const e of g.edges) {
    const box = labelBox(e);
    const fill = e.conflict ? CONFLICT : '#333333';
    const lines = e.labelLines.map((l, i) => `<text x="${fmt(e.mid.x)}" y="${fmt(box.y + 2 + (i + 1) * L.countLine - 3)}" text-anchor="middle" font-size="${L.smallFont}" fill="${fill}">${esc(l)}</text>`);
    out.push(`<g class="edge-label"><rect x="${fmt(box.x)}" y="${fmt(box.y)}" width="${fmt(box.width)}" height="${fmt(box.height)}" rx="3" fill="#ffffff" fill-opacity="0.9"/>${lines.join('')}</g>`);
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** A map's name as a file name part: `map-<slug>.svg` (lower case letters and digits, hyphens; the id's start when nothing is left). */
export function mapSlug(map: TheoryMap, name = map.name): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || map.id.slice(0, 8);
}

/**
 * The file name of each map beside the report (`map-<slug>.svg`), unique: a second map with one slug
 * gets `-2`, by the maps' order. `rename` is applied to a name before it becomes a slug (an export
 * passes the pseudonym table, so no file is named after a real name).
 */
export function mapFileNames(maps: readonly TheoryMap[], rename: (name: string) => string = (n) => n): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const m of maps) {
    const base = `map-${mapSlug(m, rename(m.name))}`;
    let name = `${base}.svg`;
    for (let k = 2; taken.has(name); k++) name = `${base}-${k}.svg`;
    taken.add(name);
    out.set(m.id, name);
  }
  return out;
}
