// The Matrices webview: code × case, code × attribute value, co-occurrence and saturation. Talks to the
// extension host (src/vscode/matrixPanel.ts) only through the Matrix* messages of
// src/shared/webviewProtocol.ts; keeps the tab, its choices and the selected cell with setState.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import './matrices.css';
import { saturationSvg } from '../../src/core/saturation';
import type { MatrixData, MatrixHostMessage, MatrixPanelData, MatrixSegment, MatrixTab, MatrixView, MatrixWebviewMessage, SaturationRow } from '../../src/shared/webviewProtocol';
import { MATRIX_PROTOCOL_VERSION } from '../../src/shared/webviewProtocol';
import { codicon, h, vscodeApi } from '../dom';
import { count, format, t } from '../strings';

const api = vscodeApi();
const post = (m: MatrixWebviewMessage) => api.postMessage(m);

interface UiState {
  view: MatrixView;
  /** the cell whose segments are listed */
  selected?: { row: string; column: string };
}
const saved = api.getState() as Partial<UiState> | undefined;
const state: UiState = { view: { tab: 'case', mode: 'overlap', ...(saved?.view ?? {}) }, selected: saved?.selected };
const persist = () => api.setState(state);
let data: MatrixPanelData | undefined;

const TABS: { id: MatrixTab; label: string }[] = [
  { id: 'case', label: t.tabCase },
  { id: 'attribute', label: t.tabAttribute },
  { id: 'cooccurrence', label: t.tabCooccurrence },
  { id: 'saturation', label: t.tabSaturation },
];

// ---- status and errors ------------------------------------------------------------------------
const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', id: 'announcer' });
const announce = (text: string) => {
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 30);
};
const errorBar = h('div', { class: 'error-bar', role: 'alert', id: 'matrix-error', hidden: true });
const showError = (text: string) => {
  errorBar.textContent = text;
  errorBar.hidden = !text;
};
const note = h('p', { class: 'note', id: 'matrix-note', hidden: true });
const excludedNote = h('p', { class: 'note small', id: 'excluded-note', hidden: true });

// ---- tabs and toolbar -------------------------------------------------------------------------
const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': t.matrices });
const tabButtons = TABS.map((t, i) => {
  const b = h('button', { type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': 'matrix-panel', text: t.label });
  b.addEventListener('click', () => request({ ...state.view, tab: t.id }));
  b.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = TABS[(i + step + TABS.length) % TABS.length];
    request({ ...state.view, tab: next.id });
    document.getElementById(`tab-${next.id}`)?.focus();
  });
  tablist.append(b);
  return b;
});

type SingleSelect = HTMLElement & { value: string };
const attributeSelect = h('vscode-single-select', { id: 'attribute-select', 'aria-label': t.caseAttribute }) as SingleSelect;
attributeSelect.addEventListener('change', () => request({ ...state.view, attribute: attributeSelect.value }));
const modeSelect = h(
  'vscode-single-select',
  { id: 'mode-select', 'aria-label': t.cooccurWhen },
  h('vscode-option', { value: 'overlap', text: t.modeOverlap }),
  h('vscode-option', { value: 'turn', text: t.modeTurn }),
) as SingleSelect;
modeSelect.addEventListener('change', () => request({ ...state.view, mode: modeSelect.value === 'turn' ? 'turn' : 'overlap' }));
// The "Set" filter: '' for all documents and codes, else a set's id (the host keeps it per user).
const setSelect = h('vscode-single-select', { id: 'set-select', 'aria-label': t.setFilter }) as SingleSelect;
setSelect.addEventListener('change', () => {
  const { setId: _old, ...rest } = state.view;
  request(setSelect.value ? { ...rest, setId: setSelect.value } : rest);
});
const setField = h('label', { class: 'field', id: 'set-field' }, h('span', { text: t.setFilter }), setSelect);
const attributeField = h('label', { class: 'field', id: 'attribute-field' }, h('span', { text: t.attribute }), attributeSelect);
const modeField = h('label', { class: 'field', id: 'mode-field' }, h('span', { text: t.cooccurWhenShort }), modeSelect);
const exportButton = h('vscode-button', { id: 'export-csv', icon: 'desktop-download', secondary: true, title: t.exportCsvTitle }, t.exportCsv);
exportButton.addEventListener('click', () => post({ type: 'matrixExport', view: state.view }));
const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': t.matrixOptions }, setField, attributeField, modeField, h('span', { class: 'spacer' }), exportButton);

// ---- the matrix -------------------------------------------------------------------------------
// A grid with a column per case can be 500 columns wide: only the columns in view (and a margin on
// either side) are in the DOM, the rest stand in as two empty spacer cells of the same width, so the
// table is drawn at once and scrolls as if whole. Every row is there (the codebook's rows); each column
// is the same width (--col-w), so a column's place is its index times that width. The keys move over
// the whole matrix: a cell beyond the drawn part is scrolled to and drawn before it takes the focus.
// aria-rowcount/-colcount and aria-rowindex/-colindex tell screen readers the grid's full size.
const table = h('table', { id: 'matrix', role: 'grid', tabindex: '-1' });
const scroller = h('div', { class: 'matrix-scroll', id: 'matrix-scroll' }, table);
const legend = h('p', { class: 'note small', id: 'matrix-legend' });
const segmentsTitle = h('h2', { id: 'segments-title', class: 'segments-title' });
const segmentsList = h('ul', { id: 'segments', class: 'segments', 'aria-labelledby': 'segments-title' });
const segmentsBox = h('section', { class: 'segments-box', hidden: true, 'aria-labelledby': 'segments-title' }, segmentsTitle, segmentsList);
const matrixBox = h('div', { id: 'matrix-box' }, scroller, legend, segmentsBox);

const transcripts = (n: number) => count(n, t.transcriptsOne, t.transcriptsMany);

/** Shade 0 (empty) to 8 (the maximum). */
const level = (count: number, max: number) => (count <= 0 || max <= 0 ? 0 : Math.min(8, Math.max(1, Math.ceil((count / max) * 8))));

/** Columns drawn beyond the visible ones on either side. */
const MARGIN = 8;
let matrix: MatrixData | undefined;
let headRow: HTMLTableRowElement = h('tr');
let bodyRows: HTMLTableRowElement[] = [];
/** the columns drawn: [from, to) */
let drawn = { from: 0, to: 0 };
/** a column's width in pixels, measured from a drawn header (a guess until then) */
let columnWidth = 64;
/** the cell with tabindex 0 (the grid's one tab stop), by index */
let active = { r: 0, c: 0 };

function renderMatrix(m: MatrixData): void {
  matrix = m;
  const tab = TABS.find((t) => t.id === state.view.tab)!;
  table.setAttribute('aria-label', tab.label);
  table.setAttribute('aria-rowcount', String(m.rows.length + 1));
  table.setAttribute('aria-colcount', String(m.columns.length + 1));
  const sel = state.selected;
  const r = sel ? m.rows.findIndex((x) => x.id === sel.row) : -1;
  const c = sel ? m.columns.findIndex((x) => x.id === sel.column) : -1;
  if (r < 0 || c < 0) {
    state.selected = undefined;
    segmentsBox.hidden = true;
    active = { r: Math.min(active.r, Math.max(0, m.rows.length - 1)), c: Math.min(active.c, Math.max(0, m.columns.length - 1)) };
  } else active = { r, c };
  headRow = h('tr', { 'aria-rowindex': '1' }, h('th', { class: 'corner', scope: 'col', 'aria-colindex': '1', text: m.corner }));
  bodyRows = m.rows.map((row, i) => {
    const swatch = h('span', { class: `swatch${row.category ? ' category' : ''}`, 'aria-hidden': 'true' });
    swatch.style.setProperty('--swatch', row.color);
    const head = h('th', { scope: 'row', class: `row-head${row.category ? ' category' : ''}`, title: row.path, 'aria-colindex': '1' }, swatch, h('span', { class: 'label', text: row.name }));
    head.style.setProperty('--depth', String(row.depth));
    return h('tr', { 'aria-rowindex': String(i + 2) }, head);
  });
  table.replaceChildren(h('thead', {}, headRow), h('tbody', {}, ...bodyRows));
  drawn = { from: 0, to: 0 };
  drawColumns(wanted());
  // the real width of a column, now that one is drawn; then the columns in view again with it
  const first = headRow.querySelector<HTMLElement>('th.col-head');
  const width = first?.getBoundingClientRect().width ?? 0;
  if (width > 0 && Math.abs(width - columnWidth) > 0.01) {
    columnWidth = width;
    drawColumns(wanted(), true);
  }
  scroller.style.scrollPaddingLeft = `${headRow.cells[0].getBoundingClientRect().width}px`;
  scroller.style.scrollPaddingTop = `${headRow.getBoundingClientRect().height}px`;
  legend.textContent = format(m.diagonal ? (state.view.mode === 'turn' ? t.legendTurn : t.legendOverlap) : t.legendMatrix, m.max);
}

/** The columns to draw for the scroll position: those in view and MARGIN more on either side. */
function wanted(): { from: number; to: number } {
  const n = matrix?.columns.length ?? 0;
  const first = Math.floor(scroller.scrollLeft / columnWidth);
  const last = Math.ceil((scroller.scrollLeft + Math.max(scroller.clientWidth, 800)) / columnWidth);
  return { from: Math.max(0, Math.min(n, first - MARGIN)), to: Math.max(0, Math.min(n, last + MARGIN)) };
}

/** Draws the columns [from, to) in every row, spacers for the rest; keeps the focus in the grid. */
function drawColumns(range: { from: number; to: number }, force = false): void {
  const m = matrix;
  if (!m || (!force && range.from === drawn.from && range.to === drawn.to)) return;
  const hadFocus = table.contains(document.activeElement);
  drawn = range;
  const n = m.columns.length;
  const spacer = (columns: number) => {
    const td = document.createElement('td');
    td.className = 'spacer';
    td.setAttribute('aria-hidden', 'true');
    td.style.width = td.style.minWidth = td.style.maxWidth = `${columns * columnWidth}px`;
    return td;
  };
  const head = document.createDocumentFragment();
  if (range.from > 0) head.append(spacer(range.from));
  for (let c = range.from; c < range.to; c++) {
    const col = m.columns[c];
    const th = document.createElement('th');
    th.scope = 'col';
    th.className = 'col-head';
    th.title = col.label;
    th.setAttribute('aria-colindex', String(c + 2));
    const label = document.createElement('div');
    label.className = 'col-label';
    label.textContent = col.label;
    th.append(label);
    head.append(th);
  }
  if (range.to < n) head.append(spacer(n - range.to));
  while (headRow.cells.length > 1) headRow.lastChild!.remove();
  headRow.append(head);
  const sel = state.selected;
  m.rows.forEach((row, r) => {
    const tr = bodyRows[r];
    const counts = m.counts[r];
    const documents = m.documents[r];
    const frag = document.createDocumentFragment();
    if (range.from > 0) frag.append(spacer(range.from));
    for (let c = range.from; c < range.to; c++) {
      const col = m.columns[c];
      const cell = { count: counts[c], documents: documents[c] };
      const diagonal = m.diagonal && row.id === col.id;
      const td = document.createElement('td');
      td.setAttribute('role', 'gridcell');
      td.tabIndex = r === active.r && c === active.c ? 0 : -1;
      td.className = diagonal ? 'cell diagonal' : cell.count ? 'cell' : 'cell zero';
      td.dataset.row = row.id;
      td.dataset.column = col.id;
      td.dataset.level = String(diagonal ? 0 : level(cell.count, m.max));
      td.setAttribute('aria-colindex', String(c + 2));
      td.setAttribute(
        'aria-label',
        diagonal
          ? format(t.cellLabelDiagonal, row.name, col.label, count(cell.count, t.codingsOne, t.codingsMany), transcripts(cell.documents))
          : format(t.cellLabel, row.name, col.label, cell.count, transcripts(cell.documents)),
      );
      td.title = diagonal ? format(t.cellTitleDiagonal, row.name, count(cell.count, t.codingsOne, t.codingsMany), transcripts(cell.documents)) : format(t.cellTitle, cell.count, transcripts(cell.documents));
      td.textContent = String(cell.count);
      if (sel && sel.row === row.id && sel.column === col.id) td.setAttribute('aria-selected', 'true');
      frag.append(td);
    }
    if (range.to < n) frag.append(spacer(n - range.to));
    while (tr.cells.length > 1) tr.lastChild!.remove();
    tr.append(frag);
  });
  // the grid's tab stop: the active cell, or the table itself while that cell is scrolled away (the keys
  // then start from the active cell)
  const stop = cellAtIndex(active.r, active.c);
  table.tabIndex = stop ? -1 : 0;
  if (hadFocus && !table.contains(document.activeElement)) (stop ?? table).focus({ preventScroll: true });
}

/** The drawn cell at row r, column c (indices), if it is drawn. */
function cellAtIndex(r: number, c: number): HTMLTableCellElement | undefined {
  if (c < drawn.from || c >= drawn.to) return undefined;
  const cell = bodyRows[r]?.cells[1 + (drawn.from > 0 ? 1 : 0) + c - drawn.from];
  return cell?.classList.contains('cell') ? cell : undefined;
}

/** The indices of a drawn cell. */
function indexOf(td: HTMLTableCellElement): { r: number; c: number } {
  return { r: Number((td.parentElement as HTMLElement).getAttribute('aria-rowindex')) - 2, c: Number(td.getAttribute('aria-colindex')) - 2 };
}

let scrollFrame = 0;
const redrawForScroll = () => {
  if (scrollFrame) return;
  scrollFrame = requestAnimationFrame(() => {
    scrollFrame = 0;
    const width = headRow.querySelector<HTMLElement>('th.col-head')?.getBoundingClientRect().width ?? 0;
    if (width > 0 && Math.abs(width - columnWidth) > 0.01) {
      columnWidth = width; // the first drawing was hidden, or the font changed
      drawColumns(wanted(), true);
      return;
    }
    const w = wanted();
    // redraw only when the view reaches past the margin drawn
    const first = Math.min(w.from + MARGIN, w.to);
    const last = Math.max(w.to - MARGIN, w.from);
    if (first < drawn.from || last > drawn.to || (drawn.to === 0 && w.to > 0)) drawColumns(w);
  });
};
scroller.addEventListener('scroll', redrawForScroll, { passive: true });
new ResizeObserver(redrawForScroll).observe(scroller);

/** Scrolls column c into view (behind the sticky row headers) and draws it. */
function revealColumn(c: number): void {
  const head = headRow.cells[0]?.getBoundingClientRect().width ?? 0;
  const left = c * columnWidth;
  const right = left + columnWidth + head;
  if (left < scroller.scrollLeft) scroller.scrollLeft = left;
  else if (right > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = right - scroller.clientWidth;
  const w = wanted();
  if (c < drawn.from || c >= drawn.to) drawColumns(w);
}

function openCell(td: HTMLTableCellElement): void {
  const row = td.dataset.row!;
  const column = td.dataset.column!;
  table.querySelectorAll('td[aria-selected="true"]').forEach((x) => x.removeAttribute('aria-selected'));
  td.setAttribute('aria-selected', 'true');
  moveFocus(td, false);
  state.selected = { row, column };
  persist();
  post({ type: 'matrixCell', view: state.view, row, column });
}

function moveFocus(td: HTMLTableCellElement, focus = true): void {
  table.querySelectorAll<HTMLElement>('td[tabindex="0"]').forEach((x) => (x.tabIndex = -1));
  td.tabIndex = 0;
  active = indexOf(td);
  if (focus) td.focus();
}

table.addEventListener('click', (e) => {
  const td = (e.target as HTMLElement).closest<HTMLTableCellElement>('td.cell');
  if (td) openCell(td);
});
table.addEventListener('keydown', (e) => {
  const m = matrix;
  const td = (e.target as HTMLElement).closest<HTMLTableCellElement>('td.cell');
  if (!m || (!td && e.target !== table)) return;
  const { r, c } = td ? indexOf(td) : active;
  const rows = m.rows.length;
  const columns = m.columns.length;
  const go = (rr: number, cc: number) => {
    if (!rows || !columns) return;
    const to = { r: Math.max(0, Math.min(rows - 1, rr)), c: Math.max(0, Math.min(columns - 1, cc)) };
    revealColumn(to.c);
    const cell = cellAtIndex(to.r, to.c);
    if (cell) moveFocus(cell);
  };
  const open = () => {
    const cell = td ?? cellAtIndex(r, c);
    if (cell) openCell(cell);
    else go(r, c);
  };
  const keys: Record<string, () => void> = {
    ArrowRight: () => go(r, c + 1),
    ArrowLeft: () => go(r, c - 1),
    ArrowDown: () => go(r + 1, c),
    ArrowUp: () => go(r - 1, c),
    Home: () => (e.ctrlKey ? go(0, 0) : go(r, 0)),
    End: () => (e.ctrlKey ? go(rows - 1, columns - 1) : go(r, columns - 1)),
    PageDown: () => go(r + 10, c),
    PageUp: () => go(r - 10, c),
    Enter: open,
    ' ': open,
  };
  const run = keys[e.key];
  if (run) {
    e.preventDefault();
    run();
  }
});

function renderSegments(title: string, segments: MatrixSegment[]): void {
  segmentsTitle.textContent = title;
  segmentsList.replaceChildren(
    ...segments.map((s) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.setProperty('--swatch', s.color);
      const who = s.pseudonym ? `${s.pseudonym} · ${s.path}` : s.path;
      const button = h(
        'button',
        { type: 'button', class: 'segment', 'data-path': s.path, 'data-coding': s.codingId, title: t.openSegment },
        h('span', { class: 'quote', text: format(t.quoted, s.quote) }),
        h('span', { class: 'meta' }, codicon('go-to-file'), h('span', { text: who }), swatch, h('span', { class: 'code', text: s.code })),
      );
      button.addEventListener('click', () => post({ type: 'matrixOpen', path: s.path, codingId: s.codingId }));
      return h('li', {}, button);
    }),
  );
  if (!segments.length) segmentsList.append(h('li', { class: 'note', text: t.noSegments }));
  segmentsBox.hidden = false;
  announce(title);
}

// ---- saturation -------------------------------------------------------------------------------
const chart = h('div', { class: 'chart', id: 'saturation-chart' });
const satTable = h('table', { id: 'saturation-table', class: 'plain' });
const saturationBox = h('div', { id: 'saturation-box', hidden: true }, chart, satTable);
let steps: SaturationRow[] = [];

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function renderChart(): void {
  const fg = themeColor('--vscode-foreground', '#cccccc');
  const svg = saturationSvg(
    steps,
    {
      bar: themeColor('--vscode-charts-blue', '#3794ff'),
      line: themeColor('--vscode-charts-orange', '#d18616'),
      text: fg,
      grid: themeColor('--vscode-editorWidget-border', themeColor('--vscode-panel-border', '#80808059')),
    },
    t.chartTitle,
  );
  // Parsed as XML and imported: no script can come from it, and the CSP allows inline SVG elements.
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const el = document.importNode(doc.documentElement, true);
  el.setAttribute('width', '100%');
  el.removeAttribute('height');
  el.classList.add('saturation-svg');
  chart.replaceChildren(el);
}

function renderSaturation(rows: SaturationRow[]): void {
  steps = rows;
  renderChart();
  const head = h('tr', {}, ...['#', t.columnTranscript, t.columnPseudonym, t.columnFirstCoded, t.columnCodes, t.columnNewCodes, t.columnCodesSoFar].map((t) => h('th', { scope: 'col', text: t })));
  const body = h('tbody');
  rows.forEach((s, i) => {
    body.append(
      h(
        'tr',
        {},
        h('td', { class: 'num', text: String(i + 1) }),
        h('th', { scope: 'row', text: s.path }),
        h('td', { text: s.pseudonym ?? '' }),
        h('td', { text: formatDate(s.firstCoded) }),
        h('td', { class: 'num', text: String(s.codes) }),
        h('td', { class: 'new-codes' }, h('span', { class: 'num-inline', text: `${s.newCodes.length}` }), s.newCodes.length ? ` ${s.newCodes.join(', ')}` : ''),
        h('td', { class: 'num', text: String(s.cumulative) }),
      ),
    );
  });
  satTable.replaceChildren(h('caption', { class: 'visually-hidden', text: t.saturationCaption }), h('thead', {}, head), body);
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// Theme changes: VS Code switches the body's class; the chart reads its colours again.
new MutationObserver(() => steps.length && renderChart()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// ---- layout and state -------------------------------------------------------------------------
const panel = h('div', { id: 'matrix-panel', role: 'tabpanel' }, excludedNote, note, matrixBox, saturationBox);
document.getElementById('app')!.replaceChildren(h('div', { class: 'top' }, tablist, toolbar), errorBar, panel, live);

function showView(view: MatrixView, attributes: string[], sets: MatrixPanelData['sets'] = data?.sets ?? []): void {
  state.view = view;
  persist();
  TABS.forEach((t, i) => {
    const on = t.id === view.tab;
    tabButtons[i].setAttribute('aria-selected', String(on));
    tabButtons[i].tabIndex = on ? 0 : -1;
  });
  panel.setAttribute('aria-labelledby', `tab-${view.tab}`);
  attributeField.hidden = view.tab !== 'attribute' || !attributes.length;
  modeField.hidden = view.tab !== 'cooccurrence';
  exportButton.hidden = view.tab === 'saturation';
  if (attributeSelect.childElementCount !== attributes.length || [...attributeSelect.children].some((o, i) => o.getAttribute('value') !== attributes[i])) {
    attributeSelect.replaceChildren(...attributes.map((a) => h('vscode-option', { value: a, text: a })));
  }
  if (view.attribute !== undefined) attributeSelect.value = view.attribute;
  modeSelect.value = view.mode;
  setField.hidden = !sets.length;
  const values = ['', ...sets.map((k) => k.id)];
  if (setSelect.childElementCount !== values.length || [...setSelect.children].some((o, i) => o.getAttribute('value') !== values[i] || o.textContent !== (i ? sets[i - 1].name : t.allSets))) {
    setSelect.replaceChildren(h('vscode-option', { value: '', text: t.allSets }), ...sets.map((k) => h('vscode-option', { value: k.id, text: k.name, description: k.description })));
  }
  setSelect.value = view.setId ?? '';
}

function request(view: MatrixView): void {
  if (view.tab !== state.view.tab || view.attribute !== state.view.attribute || view.mode !== state.view.mode || view.setId !== state.view.setId) {
    state.selected = undefined;
    segmentsBox.hidden = true;
  }
  showView(view, data?.attributes ?? []);
  post({ type: 'matrixView', view });
}

function render(d: MatrixPanelData): void {
  data = d;
  showView(d.view, d.attributes, d.sets);
  note.textContent = d.note ?? '';
  note.hidden = !d.note;
  excludedNote.textContent = d.excludedSpeakers.length ? format(t.excludedNote, d.excludedSpeakers.join(', ')) : '';
  excludedNote.hidden = !d.excludedSpeakers.length;
  matrixBox.hidden = !d.matrix;
  saturationBox.hidden = !d.saturation || !d.saturation.length;
  if (d.matrix) {
    renderMatrix(d.matrix);
    // the segments listed may have changed with the data: ask again
    if (state.selected) post({ type: 'matrixCell', view: state.view, row: state.selected.row, column: state.selected.column });
  }
  if (d.saturation) renderSaturation(d.saturation);
}

window.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as MatrixHostMessage;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
  switch (m.type) {
    case 'matrixData':
      if (m.data.protocol !== MATRIX_PROTOCOL_VERSION) {
        showError(format(t.protocolMismatch, m.data.protocol, MATRIX_PROTOCOL_VERSION));
        return;
      }
      showError('');
      render(m.data);
      return;
    case 'matrixSegments':
      if (state.selected?.row === m.row && state.selected.column === m.column) renderSegments(m.title, m.segments);
      return;
    case 'matrixShow':
      request({ ...state.view, ...m.view });
      document.getElementById(`tab-${state.view.tab}`)?.focus();
      return;
    case 'matrixError':
      showError(m.message);
      setTimeout(() => showError(''), 8000);
      return;
  }
});

showView(state.view, []);
post({ type: 'matrixReady', protocol: MATRIX_PROTOCOL_VERSION, view: state.view });
