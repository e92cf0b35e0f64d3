// Every memo of the project, newest first, filtered by the search box (title, text, author).
import type { BoardData, MemoSummary, NodeRef } from '../src/shared/webviewProtocol';
import { formatDate, h } from './host';
import { count, format, t } from './strings';

export interface MemoListHost {
  search: string;
  searchChanged(): void;
  open(target: NodeRef, path: string): void;
}

export class MemoList {
  readonly element: HTMLElement;
  private memos: MemoSummary[] = [];
  private readonly list = h('ul', { class: 'memo-list', id: 'memo-list', 'aria-label': t.tabMemos });
  private readonly count = h('p', { class: 'memo-count', 'aria-live': 'polite' });
  readonly searchBox: HTMLElement & { value: string; label: string };

  constructor(private readonly host: MemoListHost) {
    this.searchBox = h('vscode-textfield', { id: 'memo-search', placeholder: t.searchMemos, type: 'search' }) as unknown as HTMLElement & { value: string; label: string };
    this.searchBox.label = t.searchMemos;
    this.searchBox.value = host.search;
    this.searchBox.addEventListener('input', () => {
      host.search = this.searchBox.value;
      host.searchChanged();
      this.render();
    });
    this.element = h('section', { class: 'memos', 'aria-label': t.allMemos }, this.searchBox, this.count, this.list);
  }

  update(data: BoardData): void {
    this.memos = [...data.memos].sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : 0));
    this.render();
  }

  private render(): void {
    const words = this.host.search.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = this.memos.filter((m) => words.every((w) => m.searchText.includes(w) || m.targetLabel.toLowerCase().includes(w)));
    this.count.textContent = words.length ? format(t.memosMatch, shown.length, this.memos.length) : count(this.memos.length, t.memosOne, t.memosMany);
    this.list.replaceChildren(
      ...shown.map((m) => {
        const b = h(
          'button',
          { type: 'button', class: 'memo-item', 'data-path': m.path },
          h('span', { class: 'memo-title', text: m.title }),
          h('span', { class: 'memo-target', text: m.targetLabel }),
          h('span', { class: 'memo-date', text: `${m.author} · ${formatDate(m.modified)}` }),
        );
        b.addEventListener('click', () => this.host.open(m.target, m.path));
        return h('li', {}, b);
      }),
    );
  }
}
