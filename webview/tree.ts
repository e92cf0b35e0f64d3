// The category tree: the project, categories and codes with their numbers, the codings under each
// code, and the documents. An ARIA tree with a roving tab stop: arrows move, Right/Left open and close,
// the selection follows the focus; Alt+Up/Down moves a code among its siblings; F2 renames, Delete deletes, Ctrl+Enter adds a category, Ctrl+X and
// Ctrl+V move a code (the keyboard's drag and drop); codes can also be dragged with the mouse.
import type { BoardData, CodeNode, NodeRef } from '../src/shared/webviewProtocol';
import { shownNumbers } from '../src/shared/webviewProtocol';
import { codicon, h, nodeKey, post, sameNode } from './host';
import { count, format, t } from './strings';

interface Row {
  key: string;
  ref?: NodeRef;
  kind: 'project' | 'category' | 'code' | 'coding' | 'documents' | 'document';
  level: number;
  label: string;
  detail: string;
  /** screen reader text */
  aria: string;
  expandable: boolean;
  parentKey?: string;
  code?: CodeNode;
  posinset: number;
  setsize: number;
}

export interface TreeHost {
  selected(): NodeRef | undefined;
  select(ref: NodeRef): void;
  expanded: Set<string>;
  expandedChanged(): void;
  announce(text: string): void;
}

export class CategoryTree {
  private rows: Row[] = [];
  private focusKey: string | undefined;
  private cut: string | undefined;
  readonly element: HTMLElement;

  constructor(
    private readonly host: TreeHost,
    private data: BoardData,
  ) {
    this.element = h('div', { role: 'tree', class: 'tree', 'aria-label': t.treeLabel, id: 'category-tree' });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    // Focus can also arrive by a click or a screen reader's cursor: the roving tab stop follows it.
    this.element.addEventListener('focusin', (e) => {
      const r = this.rowOf(e.target);
      if (r && r.key !== this.focusKey) {
        this.focusKey = r.key;
        for (const el of this.element.querySelectorAll<HTMLElement>('.row')) el.tabIndex = el.dataset.key === r.key ? 0 : -1;
      }
    });
    this.element.addEventListener('click', (e) => this.onClick(e));
    this.element.addEventListener('dragstart', (e) => this.onDragStart(e));
    this.element.addEventListener('dragover', (e) => this.onDragOver(e));
    this.element.addEventListener('dragleave', (e) => (e.target as HTMLElement).closest?.('.row')?.classList.remove('drop-target'));
    this.element.addEventListener('drop', (e) => this.onDrop(e));
  }

  update(data: BoardData): void {
    this.data = data;
    this.render();
  }

  focus(): void {
    const el = this.rowElement(this.focusKey ?? this.rows[0]?.key);
    el?.focus();
  }

  /** Opens the ancestors of a node so it can be shown. */
  reveal(ref: NodeRef): void {
    const path = this.pathTo(ref);
    for (const k of path) this.host.expanded.add(k);
    this.focusKey = nodeKey(ref);
    this.render();
  }

  private pathTo(ref: NodeRef): string[] {
    const found: string[] = [];
    const walk = (nodes: CodeNode[], trail: string[]): boolean => {
      for (const n of nodes) {
        const key = `code:${n.id}`;
        if ((ref.kind === 'code' && n.id === ref.id) || (ref.kind === 'coding' && n.codings.some((c) => c.id === ref.id))) {
          found.push(...trail, ...(ref.kind === 'coding' ? [key] : []));
          return true;
        }
        if (walk(n.children, [...trail, key])) return true;
      }
      return false;
    };
    if (ref.kind === 'document') return ['documents'];
    walk(this.data.codes, []);
    return found;
  }

  private build(): Row[] {
    const rows: Row[] = [];
    const ex = this.host.expanded;
    rows.push({
      key: 'project',
      ref: { kind: 'project' },
      kind: 'project',
      level: 1,
      label: this.data.projectName || t.project,
      detail: count(this.data.codes.length, t.topLevelNodesOne, t.topLevelNodesMany),
      aria: format(t.projectRow, this.data.projectName),
      expandable: false,
      posinset: 1,
      setsize: 2,
    });
    const addCodes = (nodes: CodeNode[], level: number, parentKey?: string) => {
      nodes.forEach((n, i) => {
        const key = `code:${n.id}`;
        const category = n.children.length > 0;
        const { segments, documents } = shownNumbers(n);
        const detail = `${segments} · ${count(documents, t.docsOne, t.docsMany)}`;
        rows.push({
          key,
          ref: { kind: 'code', id: n.id },
          kind: category ? 'category' : 'code',
          level,
          label: n.name,
          detail,
          aria: format(
            category ? (n.focused ? t.categoryRowFocused : t.categoryRow) : n.focused ? t.codeRowFocused : t.codeRow,
            n.name,
            count(segments, t.segmentsOne, t.segmentsMany),
            count(documents, t.documentsOne, t.documentsMany),
          ),
          expandable: category || n.codings.length > 0,
          parentKey,
          code: n,
          posinset: i + 1,
          setsize: nodes.length,
        });
        if (!ex.has(key)) return;
        addCodes(n.children, level + 1, key);
        n.codings.forEach((c, j) => {
          rows.push({
            key: `coding:${c.id}`,
            ref: { kind: 'coding', id: c.id },
            kind: 'coding',
            level: level + 1,
            label: format(t.quoted, c.quote),
            detail: c.path.split('/').pop() ?? c.path,
            aria: format(t.codingRow, c.quote, c.path, c.coder),
            expandable: false,
            parentKey: key,
            posinset: n.children.length + j + 1,
            setsize: n.children.length + n.codings.length,
          });
        });
      });
    };
    addCodes(this.data.codes, 1);
    rows.push({
      key: 'documents',
      kind: 'documents',
      level: 1,
      label: t.documents,
      detail: count(this.data.documents.length, t.transcriptsOne, t.transcriptsMany),
      aria: format(t.documentsRow, count(this.data.documents.length, t.transcriptsOne, t.transcriptsMany)),
      expandable: this.data.documents.length > 0,
      posinset: 2,
      setsize: 2,
    });
    if (ex.has('documents')) {
      this.data.documents.forEach((d, i) =>
        rows.push({
          key: `document:${d.path}`,
          ref: { kind: 'document', path: d.path },
          kind: 'document',
          level: 2,
          label: d.path,
          detail: count(d.segments, t.segmentsOne, t.segmentsMany),
          aria: format(t.documentRow, d.path, count(d.segments, t.segmentsOne, t.segmentsMany)),
          expandable: false,
          parentKey: 'documents',
          posinset: i + 1,
          setsize: this.data.documents.length,
        }),
      );
    }
    return rows;
  }

  render(): void {
    const hadFocus = this.element.contains(document.activeElement);
    this.rows = this.build();
    const selected = this.host.selected();
    if (!this.focusKey || !this.rows.some((r) => r.key === this.focusKey)) {
      this.focusKey = (selected && this.rows.find((r) => r.ref && sameNode(r.ref, selected))?.key) ?? this.rows[0]?.key;
    }
    this.element.replaceChildren(...this.rows.map((r) => this.rowView(r, selected)));
    if (hadFocus) this.focus();
  }

  private rowView(r: Row, selected: NodeRef | undefined): HTMLElement {
    const isSelected = !!r.ref && sameNode(r.ref, selected);
    const expanded = this.host.expanded.has(r.key);
    const icon =
      r.kind === 'project' ? codicon('project') :
      r.kind === 'documents' ? codicon('files') :
      r.kind === 'document' ? codicon('file-text') :
      r.kind === 'coding' ? codicon('quote') :
      h('span', { class: `swatch ${r.kind}`, 'aria-hidden': 'true', 'data-color': r.code?.color });
    const el = h(
      'div',
      {
        role: 'treeitem',
        class: `row ${r.kind}${isSelected ? ' selected' : ''}${this.cut === r.key ? ' cut' : ''}`,
        id: `node-${cssId(r.key)}`,
        'data-key': r.key,
        'aria-level': String(r.level),
        'aria-posinset': String(r.posinset),
        'aria-setsize': String(r.setsize),
        'aria-selected': r.ref ? String(isSelected) : undefined,
        'aria-expanded': r.expandable ? String(expanded) : undefined,
        'aria-label': r.aria,
        tabindex: r.key === this.focusKey ? '0' : '-1',
        draggable: r.kind === 'code' || r.kind === 'category' ? 'true' : undefined,
        title: r.code?.description,
      },
      h('span', { class: 'indent', style: undefined }),
      h('span', { class: `twistie codicon ${r.expandable ? (expanded ? 'codicon-chevron-down' : 'codicon-chevron-right') : ''}`, 'aria-hidden': 'true' }),
      icon,
      h('span', { class: 'label', text: r.label }),
      r.code?.focused ? h('span', { class: 'codicon codicon-star-full focused-mark', title: t.focusedCode, 'aria-hidden': 'true' }) : undefined,
      h('span', { class: 'detail', text: r.detail }),
    );
    // Indentation and colour through the CSSOM (allowed by the content security policy), never markup.
    el.style.setProperty('--level', String(r.level - 1));
    const swatch = el.querySelector<HTMLElement>('.swatch');
    if (swatch && r.code) swatch.style.setProperty('--swatch', r.code.color);
    return el;
  }

  private rowElement(key: string | undefined): HTMLElement | null {
    return key ? this.element.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`) : null;
  }

  private rowOf(target: EventTarget | null): Row | undefined {
    const el = (target as HTMLElement | null)?.closest?.('.row') as HTMLElement | null;
    const key = el?.dataset.key;
    return this.rows.find((r) => r.key === key);
  }

  private moveFocus(r: Row | undefined, selectIt = true): void {
    if (!r) return;
    this.focusKey = r.key;
    for (const el of this.element.querySelectorAll<HTMLElement>('.row')) el.tabIndex = el.dataset.key === r.key ? 0 : -1;
    this.rowElement(r.key)?.focus();
    if (selectIt && r.ref) this.host.select(r.ref);
  }

  private toggle(r: Row, open?: boolean): void {
    if (!r.expandable) return;
    const now = this.host.expanded.has(r.key);
    const want = open ?? !now;
    if (want === now) return;
    if (want) this.host.expanded.add(r.key);
    else this.host.expanded.delete(r.key);
    this.host.expandedChanged();
    this.render();
  }

  private onClick(e: MouseEvent): void {
    const r = this.rowOf(e.target);
    if (!r) return;
    if ((e.target as HTMLElement).classList.contains('twistie') || !r.ref) this.toggle(r);
    this.moveFocus(r);
  }

  private onKey(e: KeyboardEvent): void {
    const i = this.rows.findIndex((r) => r.key === this.focusKey);
    const r = this.rows[i];
    if (!r) return;
    const codeId = r.code?.id;
    const ctrl = e.ctrlKey || e.metaKey;
    let handled = true;
    if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && e.altKey && codeId) post({ type: 'reorderCode', id: codeId, delta: e.key === 'ArrowUp' ? -1 : 1 });
    else if (e.key === 'ArrowDown') this.moveFocus(this.rows[i + 1]);
    else if (e.key === 'ArrowUp') this.moveFocus(this.rows[i - 1]);
    else if (e.key === 'Home') this.moveFocus(this.rows[0]);
    else if (e.key === 'End') this.moveFocus(this.rows[this.rows.length - 1]);
    else if (e.key === 'ArrowRight') {
      if (r.expandable && !this.host.expanded.has(r.key)) this.toggle(r, true);
      else if (r.expandable) this.moveFocus(this.rows[i + 1]);
    } else if (e.key === 'ArrowLeft') {
      if (r.expandable && this.host.expanded.has(r.key)) this.toggle(r, false);
      else this.moveFocus(this.rows.find((x) => x.key === r.parentKey));
    } else if (e.key === 'Enter' && ctrl && !e.altKey) post({ type: 'newCategory', parentId: r.kind === 'category' || r.kind === 'code' ? codeId : undefined });
    else if (e.key === 'Enter' && !ctrl && !e.altKey && r.ref?.kind === 'coding') post({ type: 'reveal', target: r.ref });
    else if ((e.key === 'Enter' || e.key === ' ') && !ctrl && !e.altKey) {
      if (r.expandable) this.toggle(r);
      if (r.ref) this.host.select(r.ref);
    } else if (e.key === 'F2' && codeId) post({ type: 'renameCode', id: codeId });
    else if (e.key === 'Delete' && codeId) post({ type: 'deleteCode', id: codeId });
    else if (ctrl && e.key.toLowerCase() === 'x' && codeId) {
      this.cut = r.key;
      this.host.announce(format(t.cutAnnounce, r.label));
      this.render();
    } else if (ctrl && e.key.toLowerCase() === 'v' && this.cut) {
      const id = this.cut.slice('code:'.length);
      const parentId = r.kind === 'project' ? null : codeId;
      if (parentId !== undefined) post({ type: 'moveCodes', ids: [id], parentId });
      this.cut = undefined;
    } else if (e.key === 'Escape' && this.cut) {
      this.cut = undefined;
      this.render();
    } else handled = false;
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  }

  private onDragStart(e: DragEvent): void {
    const r = this.rowOf(e.target);
    if (!r?.code || !e.dataTransfer) return;
    e.dataTransfer.setData('application/x-grounded-code', r.code.id);
    e.dataTransfer.setData('text/plain', `[[code:${r.code.name}]]`);
    e.dataTransfer.effectAllowed = 'copyMove';
  }

  private dropTarget(e: DragEvent): { row: Row; parentId: string | null } | undefined {
    const r = this.rowOf(e.target);
    if (!r) return undefined;
    if (r.kind === 'project') return { row: r, parentId: null };
    if (r.kind === 'code' || r.kind === 'category') return { row: r, parentId: r.code!.id };
    return undefined;
  }

  private onDragOver(e: DragEvent): void {
    if (!e.dataTransfer?.types.includes('application/x-grounded-code')) return;
    const t = this.dropTarget(e);
    if (!t) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    this.rowElement(t.row.key)?.classList.add('drop-target');
  }

  private onDrop(e: DragEvent): void {
    const id = e.dataTransfer?.getData('application/x-grounded-code');
    const t = this.dropTarget(e);
    this.element.querySelectorAll('.drop-target').forEach((el) => el.classList.remove('drop-target'));
    if (!id || !t || t.parentId === id) return;
    e.preventDefault();
    post({ type: 'moveCodes', ids: [id], parentId: t.parentId });
  }
}

function cssId(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, '_');
}
