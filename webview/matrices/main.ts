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
const table = h('table', { id: 'matrix', role: 'grid' });
const scroller = h('div', { class: 'matrix-scroll', id: 'matrix-scroll' }, table);
const legend = h('p', { class: 'note small', id: 'matrix-legend' });
const segmentsTitle = h('h2', { id: 'segments-title', class: 'segments-title' });
const segmentsList = h('ul', { id: 'segments', class: 'segments', 'aria-labelledby': 'segments-title' });
const segmentsBox = h('section', { class: 'segments-box', hidden: true, 'aria-labelledby': 'segments-title' }, segmentsTitle, segmentsList);
const matrixBox = h('div', { id: 'matrix-box' }, scroller, legend, segmentsBox);

const transcripts = (n: number) => count(n, t.transcriptsOne, t.transcriptsMany);

/** Shade 0 (empty) to 8 (the maximum). */
const level = (count: number, max: number) => (count <= 0 || max <= 0 ? 0 : Math.min(8, Math.max(1, Math.ceil((count / max) * 8))));

function renderMatrix(m: MatrixData): void {
  const tab = TABS.find((t) => t.id === state.view.tab)!;
  table.setAttribute('aria-label', tab.label);
  const headRow = h('tr', {}, h('th', { class: 'corner', scope: 'col', text: m.corner }));
  for (const c of m.columns) headRow.append(h('th', { scope: 'col', class: 'col-head', title: c.label, text: c.label }));
  const body = h('tbody');
  m.rows.forEach((row, r) => {
    const swatch = h('span', { class: `swatch${row.category ? ' category' : ''}`, 'aria-hidden': 'true' });
    swatch.style.setProperty('--swatch', row.color);
    const head = h('th', { scope: 'row', class: `row-head${row.category ? ' category' : ''}`, title: row.path }, swatch, h('span', { class: 'label', text: row.name }));
    head.style.setProperty('--depth', String(row.depth));
    const tr = h('tr', {}, head);
    m.columns.forEach((col, c) => {
      const cell = m.cells[r][c];
      const diagonal = m.diagonal && row.id === col.id;
      const td = h('td', {
        role: 'gridcell',
        tabindex: '-1',
        class: diagonal ? 'cell diagonal' : 'cell',
        'data-row': row.id,
        'data-column': col.id,
        'data-level': String(diagonal ? 0 : level(cell.count, m.max)),
        'aria-label': diagonal
          ? format(t.cellLabelDiagonal, row.name, col.label, count(cell.count, t.codingsOne, t.codingsMany), transcripts(cell.documents))
          : format(t.cellLabel, row.name, col.label, cell.count, transcripts(cell.documents)),
        title: diagonal ? format(t.cellTitleDiagonal, row.name, count(cell.count, t.codingsOne, t.codingsMany), transcripts(cell.documents)) : format(t.cellTitle, cell.count, transcripts(cell.documents)),
        text: String(cell.count),
      });
      if (!cell.count) td.classList.add('zero');
      tr.append(td);
    });
    body.append(tr);
  });
  table.replaceChildren(h('thead', {}, headRow), body);
  const sel = state.selected && cellAt(state.selected.row, state.selected.column);
  const first = sel ?? table.querySelector<HTMLTableCellElement>('td.cell');
  if (first) first.tabIndex = 0;
  if (sel) sel.setAttribute('aria-selected', 'true');
  else {
    state.selected = undefined;
    segmentsBox.hidden = true;
  }
  legend.textContent = format(m.diagonal ? (state.view.mode === 'turn' ? t.legendTurn : t.legendOverlap) : t.legendMatrix, m.max);
}

function cellAt(row: string, column: string): HTMLTableCellElement | null {
  return table.querySelector<HTMLTableCellElement>(`td[data-row="${CSS.escape(row)}"][data-column="${CSS.escape(column)}"]`);
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
  if (focus) td.focus();
}

table.addEventListener('click', (e) => {
  const td = (e.target as HTMLElement).closest<HTMLTableCellElement>('td.cell');
  if (td) openCell(td);
});
table.addEventListener('keydown', (e) => {
  const td = (e.target as HTMLElement).closest<HTMLTableCellElement>('td.cell');
  if (!td) return;
  const tr = td.parentElement as HTMLTableRowElement;
  const rows = [...table.tBodies[0].rows];
  const r = rows.indexOf(tr);
  const c = [...tr.cells].indexOf(td); // 0 is the row header
  const go = (rr: number, cc: number) => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, rr))];
    const cell = row?.cells[Math.max(1, Math.min(row.cells.length - 1, cc))];
    if (cell instanceof HTMLTableCellElement && cell.classList.contains('cell')) moveFocus(cell);
  };
  const keys: Record<string, () => void> = {
    ArrowRight: () => go(r, c + 1),
    ArrowLeft: () => go(r, c - 1),
    ArrowDown: () => go(r + 1, c),
    ArrowUp: () => go(r - 1, c),
    Home: () => (e.ctrlKey ? go(0, 1) : go(r, 1)),
    End: () => (e.ctrlKey ? go(rows.length - 1, tr.cells.length - 1) : go(r, tr.cells.length - 1)),
    PageDown: () => go(r + 10, c),
    PageUp: () => go(r - 10, c),
    Enter: () => openCell(td),
    ' ': () => openCell(td),
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
