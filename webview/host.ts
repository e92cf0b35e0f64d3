// The webview's side of the one protocol (src/shared/webviewProtocol.ts): posting typed messages and
// keeping the UI state with the webview API, so a reload or a restart shows the same board.
import { vscodeApi } from './dom';
import type { BoardUiState, HostMessage, NodeRef, WebviewMessage } from '../src/shared/webviewProtocol';

const api = vscodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

export function onMessage(handler: (m: HostMessage) => void): void {
  window.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as HostMessage;
    if (m && typeof m === 'object' && typeof m.type === 'string') handler(m);
  });
}

const DEFAULT_STATE: BoardUiState = { tab: 'tree', expanded: [], tableSort: { column: 'segments', descending: true }, search: '', preview: false };

export function loadState(): BoardUiState {
  const saved = api.getState() as Partial<BoardUiState> | undefined;
  return { ...DEFAULT_STATE, ...(saved && typeof saved === 'object' ? saved : {}) };
}

export function saveState(state: BoardUiState): void {
  api.setState(state);
}

/** A stable key for a node, for maps and DOM ids. */
export function nodeKey(n: NodeRef): string {
  switch (n.kind) {
    case 'project':
      return 'project';
    case 'code':
      return `code:${n.id}`;
    case 'coding':
      return `coding:${n.id}`;
    case 'relation':
      return `relation:${n.id}`;
    case 'document':
      return `document:${n.path}`;
  }
}

export function sameNode(a: NodeRef | undefined, b: NodeRef | undefined): boolean {
  return !!a && !!b && nodeKey(a) === nodeKey(b);
}

export { codicon, h } from './dom';

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
