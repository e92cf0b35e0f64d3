// The one protocol between the extension host and the "Categories & Memos" webview. Pure types (and
// the version constant): the host (src/vscode/categoryBoard.ts) and the webview app (webview/) both
// import this file and nothing else of each other. Every message has a `type`; the direction is in the
// union it belongs to.

/** Bumped when a message changes shape; the webview shows an error instead of misreading. */
export const PROTOCOL_VERSION = 1;

/** A node of the board that can carry a memo: the same shapes as a memo's target in its front matter. */
export type NodeRef =
  | { kind: 'project' }
  | { kind: 'code'; id: string }
  | { kind: 'document'; path: string }
  | { kind: 'coding'; id: string };

/** One coded segment under its code in the tree. */
export interface CodingItem {
  id: string;
  /** workspace-relative path of the transcript */
  path: string;
  /** the coded words, shortened */
  quote: string;
  coder: string;
}

/** A code or category of the tree, with its numbers (core/codebook.ts codeCounts). */
export interface CodeNode {
  id: string;
  name: string;
  color: string;
  description?: string;
  focused: boolean;
  segments: number;
  documents: number;
  coders: string[];
  /** with every code below it */
  totalSegments: number;
  totalDocuments: number;
  /** the name path from the top-level category, joined with " / " */
  path: string;
  children: CodeNode[];
  codings: CodingItem[];
}

export interface DocumentNode {
  path: string;
  segments: number;
}

/** A memo in the list (without its body). */
export interface MemoSummary {
  path: string;
  id: string;
  target: NodeRef;
  /** the target in words: "Project", "Code Isolation", "Document interviews/ola.txt", … */
  targetLabel: string;
  /** the first line of the body without Markdown heading marks, or "(empty)" */
  title: string;
  author: string;
  created: string;
  modified: string;
  /** lower-cased body and title, for the search box */
  searchText: string;
}

/** A memo as the editor shows it. */
export interface MemoData {
  path: string;
  id: string;
  target: NodeRef;
  author: string;
  created: string;
  modified: string;
  body: string;
}

/** Everything the board shows except the open memo; sent whole after every change. */
export interface BoardData {
  protocol: number;
  hasProject: boolean;
  projectName: string;
  codes: CodeNode[];
  documents: DocumentNode[];
  memos: MemoSummary[];
  /** problems reading memos or the project, to show in the board */
  problems: string[];
}

/** What the webview keeps with vscode.setState, so that a reload or a restart shows the same board. */
export interface BoardUiState {
  selected?: NodeRef;
  /** the memo file open for the selected node, if any */
  memoPath?: string;
  tab: 'tree' | 'table' | 'memos';
  expanded: string[];
  tableSort: { column: 'name' | 'segments' | 'documents' | 'coders' | 'focused'; descending: boolean };
  search: string;
  preview: boolean;
}

/** Host → webview. */
export type HostMessage =
  | { type: 'data'; data: BoardData }
  /** the memo of the selected node: `memo` is undefined when the node has none yet */
  | { type: 'memo'; target: NodeRef; label: string; memo?: MemoData; others: number }
  /** a save finished: the memo as written (its path may be a conflict copy) */
  | { type: 'saved'; requestId: number; memo: MemoData; note?: string }
  | { type: 'saveFailed'; requestId: number; message: string }
  /** select a node (from a command, or a revealed link) */
  | { type: 'select'; target: NodeRef; memoPath?: string }
  /** a keyboard command from the workbench */
  | { type: 'command'; command: 'newMemo' | 'focusTree' | 'focusSearch' }
  | { type: 'error'; message: string };

/** Webview → host. Names, confirmations and pickers for edits are asked by the host when not given. */
export type WebviewMessage =
  | { type: 'ready'; protocol: number; selected?: NodeRef; memoPath?: string }
  | { type: 'select'; target: NodeRef; memoPath?: string }
  | { type: 'saveMemo'; requestId: number; target: NodeRef; path?: string; body: string }
  | { type: 'newMemo'; target: NodeRef }
  | { type: 'openMemoInEditor'; path: string }
  | { type: 'openLink'; kind: 'code' | 'coding' | 'document' | 'memo'; ref: string }
  | { type: 'reveal'; target: NodeRef }
  | { type: 'newCategory'; parentId?: string; name?: string }
  | { type: 'renameCode'; id: string; name?: string }
  | { type: 'deleteCode'; id: string }
  | { type: 'moveCodes'; ids: string[]; parentId: string | null }
  | { type: 'moveCodesAsk'; ids: string[] }
  | { type: 'promoteCode'; id: string }
  | { type: 'reorderCode'; id: string; delta: -1 | 1 }
  | { type: 'setFocused'; ids: string[]; focused: boolean }
  | { type: 'groupIntoCategory'; ids: string[]; name?: string }
  | { type: 'undo' };
