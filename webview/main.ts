// The Categories & Memos webview: the category tree (or the focused-coding table, or the memo list)
// on one side, the memo of the selected node on the other. Talks to the extension host only through
// the typed messages of src/shared/webviewProtocol.ts; keeps its UI state with setState.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-split-layout/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './board.css';
import type { BoardData, HostMessage, NodeRef } from '../src/shared/webviewProtocol';
import { PROTOCOL_VERSION } from '../src/shared/webviewProtocol';
import { FocusTable } from './focusTable';
import { h, loadState, onMessage, post, saveState } from './host';
import { MemoList } from './memoList';
import { MemoPane } from './memoPane';
import { format, t } from './strings';
import { CategoryTree } from './tree';

const state = loadState();
const persist = () => saveState(state);
const expanded = new Set(state.expanded);
let data: BoardData = { protocol: PROTOCOL_VERSION, hasProject: false, projectName: '', codes: [], documents: [], memos: [], problems: [] };

const live = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite', id: 'announcer' });
const announce = (text: string) => {
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 30);
};
const errorBar = h('div', { class: 'error-bar', role: 'alert', id: 'board-error', hidden: true });
const showError = (text: string) => {
  errorBar.textContent = text;
  errorBar.hidden = !text;
};

function select(ref: NodeRef, memoPath?: string): void {
  pane.flush();
  state.selected = ref;
  state.memoPath = memoPath;
  persist();
  tree.render();
  post({ type: 'select', target: ref, memoPath });
}

const tree = new CategoryTree(
  {
    selected: () => state.selected,
    select: (ref) => select(ref),
    expanded,
    expandedChanged: () => {
      state.expanded = [...expanded];
      persist();
    },
    announce,
  },
  data,
);

const pane = new MemoPane({
  preview: state.preview,
  previewChanged() {
    state.preview = this.preview;
    persist();
  },
  memoShown(target, path) {
    state.selected = target;
    state.memoPath = path;
    persist();
  },
});

const table = new FocusTable({
  sort: state.tableSort,
  sortChanged() {
    state.tableSort = this.sort;
    persist();
  },
  select: (ref) => select(ref),
  announce,
});

const memoList = new MemoList({
  search: state.search,
  searchChanged() {
    state.search = this.search;
    persist();
  },
  open: (target, path) => select(target, path),
});

// ---- tree toolbar: every tree action also has a key (see tree.ts) ----------------------------------
function selectedCodeId(): string | undefined {
  return state.selected?.kind === 'code' ? state.selected.id : undefined;
}
function toolButton(id: string, icon: string, label: string, keys: string, run: () => void): HTMLElement {
  const b = h('vscode-button', { id, icon, secondary: true, 'icon-only': true, title: keys ? `${label} (${keys})` : label, 'aria-label': label });
  b.addEventListener('click', run);
  return b;
}
const needCode = (run: (id: string) => void) => () => {
  const id = selectedCodeId();
  if (id) run(id);
  else announce(t.selectCodeFirst);
};
const treeTools = h(
  'div',
  { class: 'tree-tools', role: 'toolbar', 'aria-label': t.categoryActions, 'aria-controls': 'category-tree' },
  toolButton('new-category', 'new-folder', t.newCategory, 'Ctrl+Enter', () => post({ type: 'newCategory', parentId: selectedCodeId() })),
  toolButton('rename-code', 'edit', t.rename, 'F2', needCode((id) => post({ type: 'renameCode', id }))),
  toolButton('move-code', 'move', t.moveUnder, 'Ctrl+X, Ctrl+V', needCode((id) => post({ type: 'moveCodesAsk', ids: [id] }))),
  toolButton('promote-code', 'arrow-circle-up', t.promoteToCategory, '', needCode((id) => post({ type: 'promoteCode', id }))),
  toolButton('toggle-focused', 'star-full', t.toggleFocused, '', needCode((id) => post({ type: 'setFocused', ids: [id], focused: !findCode(id)?.focused }))),
  toolButton('delete-code', 'trash', t.delete, 'Delete', needCode((id) => post({ type: 'deleteCode', id }))),
  toolButton('undo-edit', 'discard', t.undoCodebookEdit, '', () => post({ type: 'undo' })),
);

function findCode(id: string) {
  const walk = (nodes: BoardData['codes']): BoardData['codes'][number] | undefined => {
    for (const n of nodes) {
      if (n.id === id) return n;
      const below = walk(n.children);
      if (below) return below;
    }
    return undefined;
  };
  return walk(data.codes);
}

// ---- tabs -------------------------------------------------------------------------------------
const TABS = [
  { id: 'tree', label: t.tabCategories, panel: h('div', { class: 'tab-panel' }, treeTools, tree.element) },
  { id: 'table', label: t.tabFocusedCoding, panel: h('div', { class: 'tab-panel' }, table.element) },
  { id: 'memos', label: t.tabMemos, panel: h('div', { class: 'tab-panel' }, memoList.element) },
] as const;
const tablist = h('div', { role: 'tablist', class: 'tabs', 'aria-label': t.boardViews });
const tabButtons = TABS.map((t, i) => {
  const b = h('button', { type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}`, text: t.label });
  t.panel.id = `panel-${t.id}`;
  t.panel.setAttribute('role', 'tabpanel');
  t.panel.setAttribute('aria-labelledby', `tab-${t.id}`);
  b.addEventListener('click', () => showTab(t.id));
  b.addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = TABS[(i + step + TABS.length) % TABS.length];
    showTab(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  });
  tablist.append(b);
  return b;
});
function showTab(id: (typeof TABS)[number]['id']): void {
  state.tab = id;
  persist();
  TABS.forEach((t, i) => {
    const on = t.id === id;
    tabButtons[i].setAttribute('aria-selected', String(on));
    tabButtons[i].tabIndex = on ? 0 : -1;
    t.panel.hidden = !on;
  });
}

// ---- layout -----------------------------------------------------------------------------------
const wide = () => document.body.dataset.host === 'panel' || window.innerWidth > 700;
const split = h('vscode-split-layout', { class: 'split', split: wide() ? 'vertical' : 'horizontal', 'initial-handle-position': wide() ? '45%' : '50%' },
  h('div', { slot: 'start', class: 'left' }, tablist, ...TABS.map((t) => t.panel)),
  h('div', { slot: 'end', class: 'right' }, pane.element),
);
const emptyNote = h('p', { class: 'empty-note', hidden: true, text: t.noProject });
const app = document.getElementById('app')!;
app.replaceChildren(errorBar, emptyNote, split, live);
showTab(state.tab);
window.addEventListener('resize', () => split.setAttribute('split', wide() ? 'vertical' : 'horizontal'));

// ---- keys anywhere in the board ---------------------------------------------------------------
// Write Memo is the workbench's Alt+Q M (package.json), which reaches the page as the 'newMemo' command:
// one key for it in every Grounded view, and no Ctrl+Alt key that AltGr layouts type with in the memo editor.
document.addEventListener('keydown', (e) => {
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && e.shiftKey && e.key.toLowerCase() === 'v') {
    e.preventDefault();
    pane.togglePreview();
  }
});
function newMemoShortcut(): void {
  if (!state.selected) select({ kind: 'project' });
  pane.focusEditor();
  announce(t.memoEditorAnnounce);
}

// ---- messages from the host -------------------------------------------------------------------
onMessage((m: HostMessage) => {
  switch (m.type) {
    case 'data': {
      if (m.data.protocol !== PROTOCOL_VERSION) {
        showError(format(t.protocolMismatch, m.data.protocol, PROTOCOL_VERSION));
        return;
      }
      data = m.data;
      emptyNote.hidden = data.hasProject;
      if (data.problems.length) showError(data.problems.join('\n'));
      else if (!errorBar.dataset.sticky) showError('');
      tree.update(data);
      table.update(data);
      memoList.update(data);
      pane.checkOutside(data.memos.find((x) => x.path === pane.memoPath)?.modified);
      return;
    }
    case 'select':
      state.selected = m.target;
      if (state.tab !== 'tree' && m.target.kind !== 'project') showTab('tree');
      tree.reveal(m.target);
      select(m.target, m.memoPath);
      return;
    case 'command':
      if (m.command === 'newMemo') newMemoShortcut();
      else if (m.command === 'focusTree') {
        showTab('tree');
        tree.focus();
      } else {
        showTab('memos');
        memoList.searchBox.focus();
      }
      return;
    case 'error':
      showError(m.message);
      setTimeout(() => showError(''), 8000);
      return;
    default:
      pane.receive(m);
  }
});

post({ type: 'ready', protocol: PROTOCOL_VERSION, selected: state.selected, memoPath: state.memoPath });
