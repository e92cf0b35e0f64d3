// The memo of the selected node: a Markdown editor with autosave (debounced), a preview, the saved
// state, the author and the dates. The file is created on the first save; saves go one at a time.
import { renderMemoMarkdown } from '../src/core/markdown';
import type { HostMessage, MemoData, NodeRef } from '../src/shared/webviewProtocol';
import { formatDate, h, post, sameNode } from './host';
import { count, format, t } from './strings';

const AUTOSAVE_MS = 700;

interface TextArea extends HTMLElement {
  value: string;
  label: string;
}

export interface MemoPaneHost {
  preview: boolean;
  previewChanged(): void;
  memoShown(target: NodeRef, path: string | undefined): void;
}

export class MemoPane {
  readonly element: HTMLElement;
  private target: NodeRef | undefined;
  private memo: MemoData | undefined;
  private readonly heading = h('h2', { id: 'memo-heading', class: 'memo-heading' });
  private readonly meta = h('p', { class: 'memo-meta', id: 'memo-meta' });
  private readonly status = h('span', { class: 'memo-status', role: 'status', 'aria-live': 'polite', id: 'memo-status' });
  private readonly note = h('p', { class: 'memo-note', role: 'alert' });
  private readonly editor: TextArea;
  private readonly previewEl = h('div', { class: 'memo-preview markdown-body', id: 'memo-preview', 'aria-label': t.memoPreview, tabindex: '0' });
  private readonly previewButton: HTMLElement;
  private readonly openButton: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private dirty = false;
  private inFlight: { id: number; body: string } | undefined;
  private requestId = 0;

  constructor(private readonly host: MemoPaneHost) {
    this.editor = h('vscode-textarea', {
      id: 'memo-editor',
      class: 'memo-editor',
      monospace: true,
      resize: 'vertical',
      rows: '14',
      placeholder: t.memoPlaceholder,
    } as Record<string, string | boolean>) as unknown as TextArea;
    // `label` is a property (not an attribute): the aria-label of the inner textarea.
    this.editor.label = t.memoLabel;
    this.editor.addEventListener('input', () => this.changed());
    this.previewButton = this.button('preview-toggle', 'open-preview', t.preview, () => this.togglePreview());
    this.openButton = this.button('open-in-editor', 'go-to-file', t.openInEditor, () => this.memo && post({ type: 'openMemoInEditor', path: this.memo.path }));
    const newButton = this.button('new-memo', 'new-file', t.newMemo, () => this.target && this.flush() && post({ type: 'newMemo', target: this.target }));
    const revealButton = this.button('reveal-node', 'go-to-search', t.show, () => this.target && post({ type: 'reveal', target: this.target }));
    revealButton.setAttribute('title', t.showTitle);
    this.previewEl.addEventListener('click', (e) => this.onPreviewClick(e));
    this.previewEl.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.target as HTMLElement).classList.contains('memo-link')) this.onPreviewClick(e);
    });
    this.element = h(
      'section',
      { class: 'memo-pane', 'aria-labelledby': 'memo-heading' },
      this.heading,
      this.meta,
      h('div', { class: 'memo-actions', role: 'toolbar', 'aria-label': t.memoActions }, this.previewButton, newButton, this.openButton, revealButton, this.status),
      this.note,
      this.editor,
      this.previewEl,
    );
    this.applyPreview();
  }

  private button(id: string, icon: string, label: string, run: () => unknown): HTMLElement {
    const b = h('vscode-button', { id, icon, secondary: true, text: label });
    b.addEventListener('click', () => void run());
    return b;
  }

  get shownTarget(): NodeRef | undefined {
    return this.target;
  }

  get memoPath(): string | undefined {
    return this.memo?.path;
  }

  /** Writes any unsaved text now (before the node changes). Always true, for chaining. */
  flush(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.dirty) this.save();
    return true;
  }

  focusEditor(): void {
    if (this.host.preview) this.togglePreview();
    this.editor.focus();
  }

  receive(m: HostMessage): void {
    if (m.type === 'memo') this.show(m.target, m.label, m.memo, m.others);
    else if (m.type === 'saved') this.onSaved(m.requestId, m.memo, m.note);
    else if (m.type === 'saveFailed' && this.inFlight?.id === m.requestId) {
      this.inFlight = undefined;
      this.setStatus(format(t.notSaved, m.message), 'error');
    }
  }

  /** After the data changed: the open memo changed on disk (git, the text editor) and we have no edits: reload it. */
  checkOutside(modified: string | undefined): void {
    if (!this.memo || !this.target || this.dirty || this.inFlight) return;
    if (modified && modified !== this.memo.modified) post({ type: 'select', target: this.target, memoPath: this.memo.path });
  }

  private show(target: NodeRef, label: string, memo: MemoData | undefined, others: number): void {
    const same = sameNode(target, this.target) && memo?.path === this.memo?.path;
    if (same && (this.dirty || this.inFlight)) return; // our own edits are newer than what was sent
    this.target = target;
    this.memo = memo;
    this.dirty = false;
    this.heading.textContent = label;
    this.editor.value = memo?.body ?? '';
    this.note.textContent = others > 0 ? count(others, t.moreMemosOne, t.moreMemosMany) : '';
    this.renderMeta();
    this.setStatus(memo ? t.saved : t.noMemoYet, memo ? 'saved' : 'empty');
    this.openButton.toggleAttribute('disabled', !memo);
    if (this.host.preview) this.renderPreview();
    this.host.memoShown(target, memo?.path);
  }

  private renderMeta(): void {
    const m = this.memo;
    this.meta.textContent = m ? format(t.memoMeta, m.author, formatDate(m.created), formatDate(m.modified), m.path) : t.memoNewHint;
  }

  private changed(): void {
    this.dirty = true;
    this.setStatus(t.unsaved, 'dirty');
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), AUTOSAVE_MS);
  }

  private save(): void {
    if (!this.target) return;
    if (this.inFlight) {
      // One save at a time (the first one may be creating the file); the newest text follows.
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.save(), AUTOSAVE_MS);
      return;
    }
    const body = this.editor.value;
    const id = ++this.requestId;
    this.inFlight = { id, body };
    this.setStatus(t.saving, 'saving');
    post({ type: 'saveMemo', requestId: id, target: this.target, path: this.memo?.path, body });
  }

  private onSaved(requestId: number, memo: MemoData, note: string | undefined): void {
    if (this.inFlight?.id !== requestId) return;
    const sent = this.inFlight.body;
    this.inFlight = undefined;
    if (!this.target || !sameNode(memo.target, this.target)) return; // the user moved on meanwhile
    this.memo = memo;
    this.renderMeta();
    this.openButton.removeAttribute('disabled');
    this.host.memoShown(this.target, memo.path);
    if (note) this.note.textContent = note;
    if (this.editor.value === sent) {
      this.dirty = false;
      this.setStatus(format(t.savedAt, formatDate(memo.modified).slice(11)), 'saved');
    }
  }

  private setStatus(text: string, kind: 'saved' | 'dirty' | 'saving' | 'error' | 'empty'): void {
    this.status.textContent = text;
    this.status.dataset.state = kind;
  }

  togglePreview(): void {
    this.host.preview = !this.host.preview;
    this.host.previewChanged();
    this.applyPreview();
    if (this.host.preview) this.previewEl.focus();
    else this.editor.focus();
  }

  private applyPreview(): void {
    const on = this.host.preview;
    this.editor.hidden = on;
    this.previewEl.hidden = !on;
    this.previewButton.textContent = on ? t.edit : t.preview;
    this.previewButton.setAttribute('icon', on ? 'edit' : 'open-preview');
    this.previewButton.setAttribute('aria-pressed', String(on));
    if (on) this.renderPreview();
  }

  private renderPreview(): void {
    // renderMemoMarkdown escapes raw HTML and keeps only safe links (src/core/markdown.ts); the
    // content security policy would block any script that slipped through.
    this.previewEl.innerHTML = renderMemoMarkdown(this.editor.value);
  }

  private onPreviewClick(e: Event): void {
    const a = (e.target as HTMLElement).closest?.('.memo-link') as HTMLElement | null;
    if (!a) return;
    e.preventDefault();
    const kind = a.dataset.linkKind as 'code' | 'coding' | 'document' | 'memo';
    const ref = a.dataset.linkRef ?? '';
    post({ type: 'openLink', kind, ref });
  }
}
