// The Theory Map webview: one map's codes and categories as boxes and its relations as arrows, in SVG.
// Talks to the extension host (src/vscode/theoryMap.ts) only through the Map* messages of
// src/shared/webviewProtocol.ts. The page computes no number: counts, words and screen-reader labels
// come from the host. It draws, lets the nodes be dragged (the final places go to the host on pointer
// up: one transaction per drag, however many nodes were selected), relates two nodes by a drag from a
// node's handle (or with Alt held), and works from the keyboard. Keeps its map id and selection with
// setState, so a restored panel finds its map again.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import './map.css';
import type { MapEdgeView, MapHostMessage, MapNodeView, MapPanelData, MapWebviewMessage } from '../../src/shared/webviewProtocol';
import { MAP_PROTOCOL_VERSION } from '../../src/shared/webviewProtocol';
import { h, vscodeApi } from '../dom';
import { format, t } from '../strings';

const api = vscodeApi();
const post = (m: MapWebviewMessage) => api.postMessage(m);

interface UiState {
  mapId: string;
  selected: string[];
  /** the relation shown in the side pane, if one is */
  relation?: string;
}
const saved = api.getState() as Partial<UiState> | undefined;
const state: UiState = { mapId: document.body.dataset.mapId || saved?.mapId || '', selected: saved?.selected ?? [], relation: saved?.relation };
const persist = () => api.setState(state);
persist();

let data: MapPanelData | undefined;
/** where each node is drawn now (the data's places, or where a drag has it) */
const at = new Map<string, { x: number; y: number }>();

// ---- geometry -----------------------------------------------------------------------------------
const MARGIN = 60;
/** The layout of a box, as core/mapSvg.ts MAP_LAYOUT has it (the host sends each box's size and name lines from there). */
const PAD_Y = 8;
const LINE = 16;
const COUNT_LINE = 14;
const nodeOf = (code: string) => data?.nodes.find((n) => n.code === code);
function box(n: MapNodeView) {
  const p = at.get(n.code) ?? n;
  return { x: p.x, y: p.y, w: n.width, h: n.height, cx: p.x + n.width / 2, cy: p.y + n.height / 2 };
}
/** Where the line from the box's centre towards (tx, ty) leaves the box (a few pixels out, for the arrowhead). */
function edgePoint(b: ReturnType<typeof box>, tx: number, ty: number, pad: number) {
  const dx = tx - b.cx;
  const dy = ty - b.cy;
  if (!dx && !dy) return { x: b.cx, y: b.cy };
  const s = Math.min(dx ? (b.w / 2 + pad) / Math.abs(dx) : Infinity, dy ? (b.h / 2 + pad) / Math.abs(dy) : Infinity);
  return { x: b.cx + dx * s, y: b.cy + dy * s };
}

// ---- the page -----------------------------------------------------------------------------------
const SVG = 'http://www.w3.org/2000/svg';
function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number | undefined> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) el.append(c);
  return el;
}

const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', id: 'announcer' });
const announce = (text: string) => {
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 30);
};
const errorBar = h('div', { class: 'error-bar', role: 'alert', id: 'map-error', hidden: true });
let errorTimer: ReturnType<typeof setTimeout> | undefined;
const showError = (text: string) => {
  errorBar.textContent = text;
  errorBar.hidden = !text;
  if (errorTimer) clearTimeout(errorTimer);
  if (text) errorTimer = setTimeout(() => showError(''), 10000);
};
const title = h('h1', { class: 'map-title', id: 'map-title' });
const help = h('p', { class: 'note small', id: 'map-help', text: t.mapHelp });
const note = h('p', { class: 'note', id: 'map-note', hidden: true });

const svg = s('svg', { id: 'map-svg', role: 'group', 'aria-label': t.mapCanvas });
const defs = s(
  'defs',
  {},
  s('marker', { id: 'arrowhead', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' })),
);
const linesLayer = s('g', { class: 'lines' });
const nodesLayer = s('g', { class: 'nodes' });
const labelsLayer = s('g', { class: 'labels' });
const dragLayer = s('g', { class: 'drag' });
svg.append(defs, linesLayer, nodesLayer, labelsLayer, dragLayer);
const canvas = h('div', { class: 'canvas', id: 'map-canvas' });
canvas.append(svg);

const details = h('aside', { class: 'details', id: 'map-details', 'aria-label': t.mapDetails });
const layout = h('div', { class: 'layout' }, canvas, details);
const app = document.getElementById('app')!;
const exportButton = h('vscode-button', { id: 'map-export', secondary: true, text: t.mapExport });
exportButton.addEventListener('click', () => post({ type: 'mapExport', mapId: state.mapId }));
app.replaceChildren(live, errorBar, h('div', { class: 'top' }, h('div', { class: 'title-row' }, title, exportButton), help), note, layout);

/**
 * The export's SVG drawn as a PNG: an image of the SVG (a data: URL, which the page's policy allows)
 * painted on a canvas `scale` times its size; the bytes in base64.
 */
async function renderPng(svgText: string, width: number, height: number, scale: number): Promise<string> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  const url = canvas.toDataURL('image/png');
  return url.slice(url.indexOf(',') + 1);
}

// ---- drawing ------------------------------------------------------------------------------------
function nodeElement(code: string): SVGGElement | null {
  return nodesLayer.querySelector(`g.node[data-code="${CSS.escape(code)}"]`);
}

function drawNodes(): void {
  const nodes = [...(data?.nodes ?? [])].sort((a, b) => a.y - b.y || a.x - b.x || a.name.localeCompare(b.name));
  const selected = new Set(state.selected);
  nodesLayer.replaceChildren(
    ...nodes.map((n) => {
      const b = box(n);
      const g = s(
        'g',
        { class: `node${n.category ? ' category' : ''}${selected.has(n.code) ? ' selected' : ''}`, 'data-code': n.code, transform: `translate(${b.x},${b.y})`, tabindex: 0, role: 'button', 'aria-label': n.aria },
        s('title', {}, `${n.path}\n${n.countText}`),
        s('rect', { class: 'focus-ring', x: -4, y: -4, width: b.w + 8, height: b.h + 8, rx: 8 }),
        s('rect', { class: 'box', width: b.w, height: b.h, rx: 8 }),
        // the name's lines and the count centred, where the SVG export has them
        ...n.lines.map((line, i) => s('text', { class: 'name', x: b.w / 2, y: PAD_Y + (i + 1) * LINE - 4, 'text-anchor': 'middle' }, line)),
        s('text', { class: 'count', x: b.w / 2, y: PAD_Y + n.lines.length * LINE + COUNT_LINE - 3, 'text-anchor': 'middle' }, n.countText),
        ...(n.hasMemo ? [s('text', { class: 'memo-mark', x: b.w - 14, y: b.h - 5 }, '✎')] : []),
        s('circle', { class: 'handle', cx: b.w, cy: b.h / 2, r: 6, 'data-handle': n.code }),
      );
      g.style.setProperty('--code-color', n.color); // the CSSOM: the policy allows no style attribute
      return g;
    }),
  );
}

function drawEdges(): void {
  const edges = data?.edges ?? [];
  // Several relations of one pair of codes are drawn as curves side by side.
  const pairs = new Map<string, MapEdgeView[]>();
  for (const e of edges) {
    const key = [e.source, e.target].sort().join('|');
    pairs.set(key, [...(pairs.get(key) ?? []), e]);
  }
  const lines: SVGElement[] = [];
  const labels: SVGElement[] = [];
  for (const e of edges) {
    const a = nodeOf(e.source);
    const b = nodeOf(e.target);
    if (!a || !b) continue;
    const ba = box(a);
    const bb = box(b);
    const group = pairs.get([e.source, e.target].sort().join('|'))!;
    const k = group.indexOf(e);
    // the offset is measured from the pair's first code, so both directions bend apart
    const flip = e.source < e.target ? 1 : -1;
    const offset = (k - (group.length - 1) / 2) * 34 * flip;
    const mx = (ba.cx + bb.cx) / 2;
    const my = (ba.cy + bb.cy) / 2;
    const len = Math.hypot(bb.cx - ba.cx, bb.cy - ba.cy) || 1;
    const cx = mx + (-(bb.cy - ba.cy) / len) * offset;
    const cy = my + ((bb.cx - ba.cx) / len) * offset;
    const p1 = edgePoint(ba, cx, cy, e.symmetric ? 2 : 2);
    const p2 = edgePoint(bb, cx, cy, e.symmetric ? 2 : 4);
    const d = `M${p1.x.toFixed(1)},${p1.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${p2.x.toFixed(1)},${p2.y.toFixed(1)}`;
    const selected = state.relation === e.id;
    const cls = `edge${e.conflict ? ' conflict' : ''}${e.symmetric ? ' symmetric' : ''}${selected ? ' selected' : ''}`;
    lines.push(
      s('g', { class: cls, 'data-edge': e.id }, s('path', { class: 'hit', d }), s('path', { class: 'line', d, 'marker-end': e.symmetric ? undefined : 'url(#arrowhead)' })),
    );
    const lx = 0.25 * p1.x + 0.5 * cx + 0.25 * p2.x;
    const ly = 0.25 * p1.y + 0.5 * cy + 0.25 * p2.y;
    const text = e.label ? `${e.typeName} · ${e.label}` : e.typeName;
    const textEl = s('text', { x: lx, y: ly + 4, 'text-anchor': 'middle' }, text);
    const w = text.length * 6.4 + 12;
    labels.push(
      s(
        'g',
        { class: cls, 'data-edge': e.id, tabindex: 0, role: 'button', 'aria-label': e.aria },
        s('title', {}, `${text}\n${e.evidenceText}`),
        s('rect', { class: 'label-bg', x: lx - w / 2, y: ly - 9, width: w, height: 18, rx: 4 }),
        textEl,
      ),
    );
  }
  linesLayer.replaceChildren(...lines);
  labelsLayer.replaceChildren(...labels);
}

/** The svg's size: every node with a margin, the origin included (nodes may sit at negative places). */
function fit(): void {
  const boxes = (data?.nodes ?? []).map(box);
  const minX = Math.min(0, ...boxes.map((b) => b.x - MARGIN));
  const minY = Math.min(0, ...boxes.map((b) => b.y - MARGIN));
  const maxX = Math.max(400, ...boxes.map((b) => b.x + b.w + MARGIN));
  const maxY = Math.max(300, ...boxes.map((b) => b.y + b.h + MARGIN));
  svg.setAttribute('viewBox', `${minX} ${minY} ${maxX - minX} ${maxY - minY}`);
  svg.setAttribute('width', String(maxX - minX));
  svg.setAttribute('height', String(maxY - minY));
}

function draw(): void {
  const focused = document.activeElement?.closest?.('[data-code],[data-edge]');
  const focusKey = focused ? (focused.getAttribute('data-code') ? `n:${focused.getAttribute('data-code')}` : `e:${focused.getAttribute('data-edge')}`) : undefined;
  const scroll = { left: canvas.scrollLeft, top: canvas.scrollTop };
  fit();
  drawNodes();
  drawEdges();
  canvas.scrollLeft = scroll.left;
  canvas.scrollTop = scroll.top;
  if (focusKey) focusKeyed(focusKey);
  showDetails();
}

function focusKeyed(key: string): void {
  const el = key.startsWith('n:') ? nodeElement(key.slice(2)) : labelsLayer.querySelector<SVGGElement>(`g[data-edge="${CSS.escape(key.slice(2))}"]`);
  (el as SVGGElement | null)?.focus();
}

let renders = 0;
function render(d: MapPanelData): void {
  data = d;
  svg.dataset.renders = String(++renders); // for the UI tests: the host's data drawn
  at.clear();
  for (const n of d.nodes) at.set(n.code, { x: n.x, y: n.y });
  const codes = new Set(d.nodes.map((n) => n.code));
  state.selected = state.selected.filter((c) => codes.has(c));
  if (state.relation && !d.edges.some((e) => e.id === state.relation)) state.relation = undefined;
  persist();
  title.textContent = d.name ? format(t.mapLabel, d.name) : '';
  const text = d.hasProject ? (d.name ? (d.note ?? '') : t.mapGone) : (d.note ?? t.noProject);
  note.textContent = text;
  note.hidden = !text;
  draw();
  if (pendingFocus) {
    const el = nodeElement(pendingFocus);
    if (el) {
      el.focus();
      pendingFocus = undefined;
    }
  }
}
let pendingFocus: string | undefined;

// ---- the side pane ------------------------------------------------------------------------------
function button(label: string, id: string, run: () => void): HTMLElement {
  const b = h('vscode-button', { id, secondary: true, text: label });
  b.addEventListener('click', run);
  return b;
}

function swatch(n: MapNodeView): HTMLElement {
  const el = h('span', { class: `swatch${n.category ? ' category' : ''}` });
  el.style.setProperty('--swatch', n.color);
  return el;
}

function showDetails(): void {
  const edge = state.relation ? data?.edges.find((e) => e.id === state.relation) : undefined;
  if (edge) {
    const a = nodeOf(edge.source)?.name ?? '';
    const b = nodeOf(edge.target)?.name ?? '';
    details.replaceChildren(
      h('h2', { text: `${a} ${edge.typeName} ${b}` }),
      h('dl', {}, h('dt', { text: t.mapRelationType }), h('dd', { text: edge.typeName }), ...(edge.label ? [h('dt', { text: t.mapRelationLabel }), h('dd', { text: edge.label })] : []), h('dt', { text: t.mapEvidence }), h('dd', { id: 'details-evidence', text: edge.evidenceText })),
      ...(edge.conflict ? [h('p', { class: 'note', text: t.mapConflict })] : []),
      h(
        'div',
        { class: 'actions' },
        button(t.mapShowEvidence, 'details-show-evidence', () => post({ type: 'mapEvidence', relation: edge.id })),
        button(t.mapOpenMemo, 'details-memo', () => post({ type: 'mapRelationMemo', relation: edge.id })),
      ),
    );
    return;
  }
  const nodes = state.selected.map(nodeOf).filter((n): n is MapNodeView => !!n);
  if (nodes.length > 1) {
    details.replaceChildren(h('p', { text: format(t.mapSelectedMany, nodes.length) }), h('div', { class: 'actions' }, button(t.mapTakeOff, 'details-remove', () => takeOff(nodes.map((n) => n.code)))));
    return;
  }
  const n = nodes[0];
  if (!n) {
    details.replaceChildren(h('p', { class: 'note', text: t.mapNothingSelected }));
    return;
  }
  details.replaceChildren(
    h('h2', {}, swatch(n), n.name),
    h('p', { class: 'note', text: n.path === n.name ? (n.category ? t.mapCategory : t.mapCode) : `${n.category ? t.mapCategory : t.mapCode} · ${n.path}` }),
    h('p', { id: 'details-count', text: n.countText }),
    h(
      'div',
      { class: 'actions' },
      button(t.mapShowSegments, 'details-segments', () => post({ type: 'mapSegments', code: n.code })),
      button(t.mapOpenMemo, 'details-memo', () => post({ type: 'mapMemo', code: n.code })),
      button(t.mapRelateTo, 'details-relate', () => post({ type: 'mapRelate', mapId: state.mapId, source: n.code })),
      button(t.mapTakeOff, 'details-remove', () => takeOff([n.code])),
    ),
  );
}

function select(codes: string[], relation?: string): void {
  state.selected = codes;
  state.relation = relation;
  persist();
  for (const g of nodesLayer.querySelectorAll<SVGGElement>('g.node')) g.classList.toggle('selected', codes.includes(g.dataset.code!));
  for (const g of svg.querySelectorAll<SVGGElement>('g[data-edge]')) g.classList.toggle('selected', g.dataset.edge === relation);
  showDetails();
}

function takeOff(codes: string[]): void {
  if (!codes.length) return;
  post({ type: 'mapRemove', mapId: state.mapId, codes });
}

// ---- pointer: drag to move, drag from the handle (or with Alt) to relate --------------------------
type Drag =
  | { kind: 'move'; pointerId: number; start: DOMPoint; origin: Map<string, { x: number; y: number }>; moved: boolean; clicked: string; shift: boolean }
  | { kind: 'relate'; pointerId: number; source: string; line: SVGLineElement };
let drag: Drag | undefined;
/** true while a pointer press focuses a node (its selection is the press's to decide) */
let pointerFocus = false;
/** data that came while a drag was on, drawn when it ends */
let deferred: MapPanelData | undefined;

function svgPoint(e: PointerEvent): DOMPoint {
  const m = svg.getScreenCTM();
  return new DOMPoint(e.clientX, e.clientY).matrixTransform(m ? m.inverse() : new DOMMatrix());
}

svg.addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  const target = e.target as Element;
  const nodeG = target.closest<SVGGElement>('g.node');
  const edgeG = target.closest<SVGGElement>('g[data-edge]');
  if (edgeG) {
    select([], edgeG.dataset.edge);
    pointerFocus = true;
    labelsLayer.querySelector<SVGGElement>(`g[data-edge="${CSS.escape(edgeG.dataset.edge!)}"]`)?.focus();
    pointerFocus = false;
    e.preventDefault();
    return;
  }
  if (!nodeG) {
    select([]);
    return;
  }
  e.preventDefault();
  const code = nodeG.dataset.code!;
  pointerFocus = true;
  nodeG.focus();
  pointerFocus = false;
  if (target.closest('.handle') || e.altKey) {
    const b = box(nodeOf(code)!);
    const line = s('line', { class: 'drag-line', x1: b.cx, y1: b.cy, x2: b.cx, y2: b.cy });
    dragLayer.replaceChildren(line);
    drag = { kind: 'relate', pointerId: e.pointerId, source: code, line };
    svg.setPointerCapture(e.pointerId);
    announce(t.mapRelateHint);
    return;
  }
  let selected = state.selected;
  if (e.shiftKey) {
    selected = selected.includes(code) ? selected.filter((c) => c !== code) : [...selected, code];
    select(selected);
    if (!selected.includes(code)) return;
  } else if (!selected.includes(code)) {
    selected = [code];
    select(selected);
  } else {
    select(selected); // shows the details again (a click on a selected node)
  }
  const origin = new Map(selected.map((c) => [c, { ...(at.get(c) ?? { x: 0, y: 0 }) }]));
  drag = { kind: 'move', pointerId: e.pointerId, start: svgPoint(e), origin, moved: false, clicked: code, shift: e.shiftKey };
  svg.setPointerCapture(e.pointerId);
});

svg.addEventListener('pointermove', (e) => {
  if (!drag || e.pointerId !== drag.pointerId) return;
  const p = svgPoint(e);
  if (drag.kind === 'relate') {
    drag.line.setAttribute('x2', String(p.x));
    drag.line.setAttribute('y2', String(p.y));
    const over = document.elementFromPoint(e.clientX, e.clientY)?.closest('g.node') as SVGGElement | null;
    for (const g of nodesLayer.querySelectorAll('g.node.drop')) g.classList.remove('drop');
    if (over && over.dataset.code !== drag.source) over.classList.add('drop');
    return;
  }
  const dx = p.x - drag.start.x;
  const dy = p.y - drag.start.y;
  if (!drag.moved && Math.hypot(dx, dy) < 3) return;
  drag.moved = true;
  for (const [code, o] of drag.origin) {
    const next = { x: Math.round(o.x + dx), y: Math.round(o.y + dy) };
    at.set(code, next);
    nodeElement(code)?.setAttribute('transform', `translate(${next.x},${next.y})`);
  }
  drawEdges();
});

function endDrag(e: PointerEvent, cancelled: boolean): void {
  if (!drag || e.pointerId !== drag.pointerId) return;
  const d = drag;
  drag = undefined;
  if (svg.hasPointerCapture(e.pointerId)) svg.releasePointerCapture(e.pointerId);
  if (d.kind === 'relate') {
    dragLayer.replaceChildren();
    const over = document.elementFromPoint(e.clientX, e.clientY)?.closest('g.node') as SVGGElement | null;
    for (const g of nodesLayer.querySelectorAll('g.node.drop')) g.classList.remove('drop');
    if (!cancelled && over && over.dataset.code && over.dataset.code !== d.source) post({ type: 'mapRelate', mapId: state.mapId, source: d.source, target: over.dataset.code });
  } else if (d.moved && !cancelled) {
    const nodes = [...d.origin.keys()].map((code) => ({ code, ...at.get(code)! }));
    post({ type: 'mapMove', mapId: state.mapId, nodes });
    announce(format(t.mapMoved, nodes.map((n) => nodeOf(n.code)?.name ?? '').join(', ')));
    fit();
  } else if (d.moved) {
    for (const [code, o] of d.origin) at.set(code, o);
    draw();
  } else if (!d.shift && state.selected.length > 1) {
    select([d.clicked]); // a plain click (no drag) on one of several selected nodes selects it alone
  }
  if (deferred) {
    const next = deferred;
    deferred = undefined;
    render(next);
  }
}
svg.addEventListener('pointerup', (e) => endDrag(e, false));
svg.addEventListener('pointercancel', (e) => endDrag(e, true));

// ---- keyboard -----------------------------------------------------------------------------------
const STEP = 10;
const DIRECTIONS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** The node nearest in a direction from a node (favouring the ones straight that way). */
function nearest(from: string, [dx, dy]: [number, number]): string | undefined {
  const a = box(nodeOf(from)!);
  let best: { code: string; score: number } | undefined;
  for (const n of data?.nodes ?? []) {
    if (n.code === from) continue;
    const b = box(n);
    const along = (b.cx - a.cx) * dx + (b.cy - a.cy) * dy;
    const across = Math.abs((b.cx - a.cx) * dy - (b.cy - a.cy) * dx);
    if (along <= 0) continue;
    const score = along + 2 * across;
    if (!best || score < best.score) best = { code: n.code, score };
  }
  return best?.code;
}

// Undo and redo anywhere in the page: the project's history (a drag, a relation, a node taken off).
document.addEventListener('keydown', (e) => {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
  const key = e.key.toLowerCase();
  const redo = (key === 'z' && e.shiftKey) || (key === 'y' && !e.shiftKey);
  if (key !== 'z' && !redo) return;
  e.preventDefault();
  e.stopPropagation();
  post({ type: 'mapUndo', redo });
});

svg.addEventListener('keydown', (e) => {
  const el = (e.target as Element).closest<SVGGElement>('[data-code],[data-edge]');
  if (!el) return;
  const edge = el.dataset.edge;
  if (edge) {
    if (e.key === 'Enter' || e.key === ' ' || e.key.toLowerCase() === 'm') {
      e.preventDefault();
      select([], edge);
      if (e.key !== ' ') post({ type: 'mapRelationMemo', relation: edge });
    }
    return;
  }
  const code = el.dataset.code!;
  const dir = DIRECTIONS[e.key];
  if (dir && (e.shiftKey || e.altKey)) {
    e.preventDefault();
    const moving = state.selected.includes(code) ? state.selected : [code];
    const nodes = moving.map((c) => {
      const p = at.get(c)!;
      const next = { code: c, x: p.x + dir[0] * STEP, y: p.y + dir[1] * STEP };
      at.set(c, { x: next.x, y: next.y });
      nodeElement(c)?.setAttribute('transform', `translate(${next.x},${next.y})`);
      return next;
    });
    drawEdges();
    post({ type: 'mapMove', mapId: state.mapId, nodes });
    return;
  }
  if (dir) {
    e.preventDefault();
    const next = nearest(code, dir);
    if (next) {
      nodeElement(next)?.focus();
      if (!e.ctrlKey) select([next]);
    }
    return;
  }
  switch (e.key) {
    case 'Enter':
      e.preventDefault();
      select([code]);
      post({ type: 'mapSegments', code });
      return;
    case ' ':
      e.preventDefault();
      select(state.selected.includes(code) ? state.selected.filter((c) => c !== code) : [...state.selected, code]);
      return;
    case 'Delete':
    case 'Backspace':
      e.preventDefault();
      takeOff(state.selected.includes(code) ? state.selected : [code]);
      return;
    case 'Escape':
      select([]);
      return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key.toLowerCase() === 'm') {
    e.preventDefault();
    post({ type: 'mapMemo', code });
  } else if (e.key.toLowerCase() === 'r') {
    e.preventDefault();
    post({ type: 'mapRelate', mapId: state.mapId, source: code });
  }
});

// Tab into a node selects it (so its details show); Shift+click's selection is not undone by focus.
svg.addEventListener('focusin', (e) => {
  const el = (e.target as Element).closest<SVGGElement>('[data-code],[data-edge]');
  if (!el || drag || pointerFocus) return;
  if (el.dataset.edge) {
    if (state.relation !== el.dataset.edge) select([], el.dataset.edge);
  } else if (!state.selected.includes(el.dataset.code!)) select([el.dataset.code!]);
});

// ---- messages -----------------------------------------------------------------------------------
window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as MapHostMessage;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  switch (m.type) {
    case 'mapData':
      if (m.data.protocol !== MAP_PROTOCOL_VERSION) {
        showError(format(t.protocolMismatch, m.data.protocol, MAP_PROTOCOL_VERSION));
        return;
      }
      if (drag) deferred = m.data;
      else render(m.data);
      return;
    case 'mapSelect':
      select(m.codes, m.relation);
      if (m.relation) focusKeyed(`e:${m.relation}`);
      if (m.codes[0]) {
        const el = nodeElement(m.codes[0]);
        if (el) el.focus();
        else pendingFocus = m.codes[0];
      }
      return;
    case 'mapError':
      showError(m.message);
      return;
    case 'mapRenderPng':
      renderPng(m.svg, m.width, m.height, m.scale).then(
        (data) => post({ type: 'mapPng', id: m.id, data }),
        (err: unknown) => post({ type: 'mapPng', id: m.id, error: err instanceof Error ? err.message : String(err) }),
      );
      return;
  }
});

showDetails();
post({ type: 'mapReady', protocol: MAP_PROTOCOL_VERSION, mapId: state.mapId });
