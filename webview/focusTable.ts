// The focused-coding table: every code with its numbers of segments, documents and coders, sortable
// by column (header buttons with aria-sort), checkboxes to pick the significant codes, and actions to
// mark them focused or group them into a new category.
import type { BoardData, BoardUiState, CodeNode, NodeRef } from '../src/shared/webviewProtocol';
import { shownNumbers } from '../src/shared/webviewProtocol';
import { codicon, h, post } from './host';
import { format, t } from './strings';

type Column = BoardUiState['tableSort']['column'];
const COLUMNS: { column: Column; label: string; numeric: boolean }[] = [
  { column: 'name', label: t.columnCode, numeric: false },
  { column: 'segments', label: t.columnSegments, numeric: true },
  { column: 'documents', label: t.documents, numeric: true },
  { column: 'coders', label: t.columnCoders, numeric: true },
  { column: 'focused', label: t.columnFocused, numeric: false },
];

export interface TableHost {
  sort: BoardUiState['tableSort'];
  sortChanged(): void;
  select(ref: NodeRef): void;
  announce(text: string): void;
}

function flatten(nodes: CodeNode[], out: CodeNode[] = []): CodeNode[] {
  for (const n of nodes) {
    out.push(n);
    flatten(n.children, out);
  }
  return out;
}

export class FocusTable {
  readonly element: HTMLElement;
  private readonly checked = new Set<string>();
  private codes: CodeNode[] = [];
  private readonly body = h('tbody');
  private readonly head = h('tr');
  private readonly count = h('span', { class: 'table-count', 'aria-live': 'polite' });

  constructor(private readonly host: TableHost) {
    const action = (id: string, icon: string, label: string, run: () => void) => {
      const b = h('vscode-button', { id, icon, secondary: true, text: label });
      b.addEventListener('click', run);
      return b;
    };
    const ids = () => [...this.checked].filter((id) => this.codes.some((c) => c.id === id));
    const needChecked = (run: (ids: string[]) => void) => () => {
      const list = ids();
      if (list.length) run(list);
      else host.announce(t.checkCodesFirst);
    };
    this.element = h(
      'section',
      { class: 'focus-table', 'aria-label': t.focusedCodingSection },
      h(
        'div',
        { class: 'table-actions', role: 'toolbar', 'aria-label': t.checkedActions },
        action('mark-focused', 'star-full', t.markFocused, needChecked((list) => post({ type: 'setFocused', ids: list, focused: true }))),
        action('unmark-focused', 'star-empty', t.unmark, needChecked((list) => post({ type: 'setFocused', ids: list, focused: false }))),
        action('group-into-category', 'folder', t.groupIntoCategory, needChecked((list) => post({ type: 'groupIntoCategory', ids: list }))),
        this.count,
      ),
      h('table', { id: 'focus-table' }, h('caption', { class: 'visually-hidden', text: t.tableCaption }), h('thead', {}, this.head), this.body),
    );
  }

  update(data: BoardData): void {
    this.codes = flatten(data.codes);
    this.render();
  }

  private value(c: CodeNode, column: Column): number | string {
    switch (column) {
      case 'name':
        return c.path.toLowerCase();
      case 'segments':
        return shownNumbers(c).segments;
      case 'documents':
        return shownNumbers(c).documents;
      case 'coders':
        return shownNumbers(c).coders.length;
      case 'focused':
        return c.focused ? 1 : 0;
    }
  }

  private render(): void {
    const { column, descending } = this.host.sort;
    const sorted = [...this.codes].sort((a, b) => {
      const x = this.value(a, column);
      const y = this.value(b, column);
      const d = x < y ? -1 : x > y ? 1 : 0;
      return (descending ? -d : d) || a.path.localeCompare(b.path);
    });
    const all = h('input', { type: 'checkbox', id: 'check-all', 'aria-label': t.checkAll }) as HTMLInputElement;
    all.checked = sorted.length > 0 && sorted.every((c) => this.checked.has(c.id));
    all.addEventListener('change', () => {
      for (const c of sorted) {
        if (all.checked) this.checked.add(c.id);
        else this.checked.delete(c.id);
      }
      this.render();
    });
    this.head.replaceChildren(
      h('th', { scope: 'col', class: 'check' }, all),
      ...COLUMNS.map((col) => {
        const active = col.column === column;
        const b = h('button', { type: 'button', class: 'sort', 'data-column': col.column }, col.label, active ? codicon(descending ? 'arrow-down' : 'arrow-up') : undefined);
        b.addEventListener('click', () => {
          this.host.sort = { column: col.column, descending: active ? !descending : col.numeric };
          this.host.sortChanged();
          this.render();
          this.head.querySelector<HTMLElement>(`button[data-column="${col.column}"]`)?.focus();
        });
        return h('th', { scope: 'col', class: col.numeric ? 'num' : undefined, 'aria-sort': active ? (descending ? 'descending' : 'ascending') : 'none' }, b);
      }),
    );
    this.body.replaceChildren(
      ...sorted.map((c) => {
        const box = h('input', { type: 'checkbox', 'aria-label': format(t.checkCode, c.name), 'data-code': c.id }) as HTMLInputElement;
        box.checked = this.checked.has(c.id);
        box.addEventListener('change', () => {
          if (box.checked) this.checked.add(c.id);
          else this.checked.delete(c.id);
          this.updateCount();
        });
        const name = h('button', { type: 'button', class: 'link-button', title: c.description }, c.path);
        name.addEventListener('click', () => this.host.select({ kind: 'code', id: c.id }));
        const star = h('button', { type: 'button', class: 'star', 'aria-pressed': String(c.focused), 'aria-label': format(t.focusedToggle, c.name) }, codicon(c.focused ? 'star-full' : 'star-empty'));
        star.addEventListener('click', () => post({ type: 'setFocused', ids: [c.id], focused: !c.focused }));
        return h(
          'tr',
          { 'data-code': c.id, class: c.focused ? 'is-focused' : undefined },
          h('td', { class: 'check' }, box),
          h('th', { scope: 'row' }, name),
          h('td', { class: 'num', text: String(shownNumbers(c).segments) }),
          h('td', { class: 'num', text: String(shownNumbers(c).documents) }),
          h('td', { class: 'num', text: String(shownNumbers(c).coders.length), title: shownNumbers(c).coders.join(', ') }),
          h('td', { class: 'focused' }, star),
        );
      }),
    );
    this.updateCount();
  }

  private updateCount(): void {
    const n = [...this.checked].filter((id) => this.codes.some((c) => c.id === id)).length;
    this.count.textContent = format(t.checkedCount, n, this.codes.length);
  }
}
