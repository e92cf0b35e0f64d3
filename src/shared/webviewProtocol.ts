// The one protocol between the extension host and the "Categories & Memos" webview. Pure types (and
// the version constant): the host (src/vscode/categoryBoard.ts) and the webview app (webview/) both
// import this file and nothing else of each other. Shapes core already names (a memo's target, a
// code's counts) are core's types, imported as types only. Every message has a `type`; the direction
// is in the union it belongs to.
import type { CodeCounts } from '../core/codebook';
import type { MemoTarget } from '../core/model';

/** Bumped when a message changes shape; the webview shows an error instead of misreading. */
export const PROTOCOL_VERSION = 1;

/** A node of the board that can carry a memo: the same shapes as a memo's target in its front matter. */
export type NodeRef = MemoTarget;

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
export interface CodeNode extends CodeCounts {
  id: string;
  name: string;
  color: string;
  description?: string;
  focused: boolean;
  /** the name path from the top-level category, joined with " / " */
  path: string;
  children: CodeNode[];
  codings: CodingItem[];
}

/**
 * The numbers a code shows wherever it is listed (the tree, the focused-coding table, the Codes view):
 * its own for a code, the totals with every code below it for a category.
 */
export function shownNumbers(n: CodeNode): { segments: number; documents: number; coders: string[] } {
  return n.children.length ? { segments: n.totalSegments, documents: n.totalDocuments, coders: n.totalCoders } : { segments: n.segments, documents: n.documents, coders: n.coders };
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

// ---- The Matrices panel (src/vscode/matrixPanel.ts ↔ webview/matrices/) --------------------------
// A second webview with its own messages; the board's unions above are unchanged.

/** Bumped when a matrices message changes shape. */
export const MATRIX_PROTOCOL_VERSION = 2;

export type MatrixTab = 'case' | 'attribute' | 'cooccurrence' | 'saturation';

/** What the panel shows: the tab and the choices of its toolbar. */
export interface MatrixView {
  tab: MatrixTab;
  /** the case attribute of the "Code × Attribute" tab (undefined: the first there is) */
  attribute?: string;
  /** co-occurrence by overlapping codings or by shared speaker turn */
  mode: 'overlap' | 'turn';
  /** the set (id) the matrices are limited to: a document set limits the transcripts, a code set the codes (undefined: all) */
  setId?: string;
}

/** A matrix as the webview draws it (core/matrix.ts without the segment references). */
export interface MatrixData {
  corner: string;
  rows: { id: string; name: string; depth: number; category: boolean; color: string; path: string }[];
  columns: { id: string; label: string }[];
  /** counts[row][column]: the cell's codings (co-occurrence: pairs). Plain numbers, not an object per
   *  cell: a matrix of 500 cases is 29,000 cells and the message stays small. */
  counts: number[][];
  /** documents[row][column]: the transcripts the cell's codings are in */
  documents: number[][];
  /** the largest count (co-occurrence: off the diagonal), for shading */
  max: number;
  /** true on the co-occurrence matrix, whose diagonal holds each code's own codings */
  diagonal: boolean;
}

/** One transcript of the saturation table (the fields of core/saturation.ts SaturationStep, plus names). */
export interface SaturationRow {
  path: string;
  pseudonym?: string;
  firstCoded: string;
  codes: number;
  newCodeIds: string[];
  /** the names of the new codes, in the order of newCodeIds */
  newCodes: string[];
  cumulative: number;
}

/** A segment listed under the table after a click on a cell. */
export interface MatrixSegment {
  path: string;
  codingId: string;
  /** the coded words, shortened */
  quote: string;
  pseudonym?: string;
  /** the code's name path ("Category > code") */
  code: string;
  color: string;
}

export interface MatrixPanelData {
  protocol: number;
  view: MatrixView;
  hasProject: boolean;
  /** every case attribute name, sorted */
  attributes: string[];
  /** the speakers whose turns are left out (grounded.json settings.excludedSpeakers) */
  excludedSpeakers: string[];
  /** the project's sets, by name, for the "Set" filter */
  sets: { id: string; name: string; description: string }[];
  /** the matrix of the view's tab (absent on the saturation tab) */
  matrix?: MatrixData;
  /** the saturation steps (saturation tab only) */
  saturation?: SaturationRow[];
  /** why there is nothing to show, if so ("Cases have no attributes yet.") */
  note?: string;
}

/** Host → matrices webview. */
export type MatrixHostMessage =
  | { type: 'matrixData'; data: MatrixPanelData }
  | { type: 'matrixSegments'; row: string; column: string; title: string; segments: MatrixSegment[] }
  /** switch to a tab (from a command) */
  | { type: 'matrixShow'; view: Partial<MatrixView> }
  | { type: 'matrixError'; message: string };

/** Matrices webview → host. */
export type MatrixWebviewMessage =
  | { type: 'matrixReady'; protocol: number; view: MatrixView }
  | { type: 'matrixView'; view: MatrixView }
  | { type: 'matrixCell'; view: MatrixView; row: string; column: string }
  | { type: 'matrixOpen'; path: string; codingId: string }
  | { type: 'matrixExport'; view: MatrixView };

// ---- The Theory Map panel (src/vscode/theoryMap.ts ↔ webview/map/) -------------------------------
// One editor panel per map; its own messages. Every number and every screen-reader label is made by
// the host (from the session's one analysis, in the language of VS Code); the page only draws.

/** Bumped when a map message changes shape. */
export const MAP_PROTOCOL_VERSION = 1;

/** A code or category on the map as the page draws it. (x, y) is the top left corner of its box. */
export interface MapNodeView {
  code: string;
  x: number;
  y: number;
  name: string;
  color: string;
  category: boolean;
  /** segments (a category: with its subcodes', as the Codes view counts) */
  count: number;
  /** the count in words ("42 segments") */
  countText: string;
  /** the box's size and the name's lines as core/mapSvg.ts lays them out (the SVG export draws the same box) */
  width: number;
  height: number;
  lines: string[];
  /** the code's path of names ("Category > code") */
  path: string;
  /** the screen-reader label ("Managing time, category, 42 segments") */
  aria: string;
  hasMemo: boolean;
}

/** An arrow: a relation whose two codes are both on the map. */
export interface MapEdgeView {
  id: string;
  source: string;
  target: string;
  typeName: string;
  label?: string;
  /** a symmetric type: drawn without an arrowhead */
  symmetric: boolean;
  /** a merge's other version (conflictOf): drawn dashed */
  conflict: boolean;
  /** the evidence codings that count in the analysis */
  evidence: number;
  evidenceText: string;
  /** the screen-reader label ("Boredom is cause of Missing family, 3 evidence") */
  aria: string;
  hasMemo: boolean;
}

export interface MapPanelData {
  protocol: number;
  mapId: string;
  /** the map's name ('' when it no longer exists) */
  name: string;
  hasProject: boolean;
  nodes: MapNodeView[];
  edges: MapEdgeView[];
  /** why there is nothing to show, if so */
  note?: string;
}

/** Host → map webview. */
export type MapHostMessage =
  | { type: 'mapData'; data: MapPanelData }
  /** select (and focus the first of) these nodes, after they were put on the map or related */
  | { type: 'mapSelect'; codes: string[]; relation?: string }
  | { type: 'mapError'; message: string }
  /** draw this SVG (core/mapSvg.ts, the export's) on a canvas `scale` times its size and answer with a `mapPng` of the same id */
  | { type: 'mapRenderPng'; id: number; svg: string; width: number; height: number; scale: number };

/** Map webview → host. */
export type MapWebviewMessage =
  | { type: 'mapReady'; protocol: number; mapId: string }
  /** nodes dragged (or moved with the keys) to these places: one transaction */
  | { type: 'mapMove'; mapId: string; nodes: { code: string; x: number; y: number }[] }
  /** relate two nodes (the host asks the type); without a target the host asks for it too */
  | { type: 'mapRelate'; mapId: string; source: string; target?: string }
  /** take nodes off the map (not out of the codebook) */
  | { type: 'mapRemove'; mapId: string; codes: string[] }
  | { type: 'mapSegments'; code: string }
  | { type: 'mapMemo'; code: string }
  | { type: 'mapRelationMemo'; relation: string }
  /** an arrow's evidence: the relation shown in the Relations view, opened on its evidence */
  | { type: 'mapEvidence'; relation: string }
  /** Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y) in the page: the project's undo history, as in the Codes view */
  | { type: 'mapUndo'; redo: boolean }
  /** the page's Export button: the host asks SVG or PNG and where */
  | { type: 'mapExport'; mapId: string }
  /** the PNG asked for by a `mapRenderPng`: its bytes in base64, or why it could not be drawn */
  | { type: 'mapPng'; id: number; data?: string; error?: string };

// ---- Interface strings (both webviews) ------------------------------------------------------------
// A webview cannot call vscode.l10n: the host translates every text the pages show
// (src/vscode/webviewStrings.ts) and hands them over in the page's `data-strings` attribute (JSON; no
// inline script under the content security policy). `{0}`, `{1}` are filled in by the page
// (webview/strings.ts format); a pair `…One`/`…Many` is the singular and plural of a count.

/** The name of every interface string; the host must give each a text (checked by the compiler and a test). */
export const WEBVIEW_STRING_KEYS = [
  // both pages
  'protocolMismatch', 'noProject', 'quoted', 'segmentsOne', 'segmentsMany', 'documentsOne', 'documentsMany', 'transcriptsOne', 'transcriptsMany',
  // the board: toolbar, tabs, keys
  'selectCodeFirst', 'categoryActions', 'newCategory', 'rename', 'moveUnder', 'promoteToCategory', 'toggleFocused', 'delete', 'undoCodebookEdit',
  'tabCategories', 'tabFocusedCoding', 'tabMemos', 'boardViews', 'memoEditorAnnounce',
  // the category tree
  'treeLabel', 'project', 'projectRow', 'topLevelNodesOne', 'topLevelNodesMany', 'docsOne', 'docsMany', 'codeRow', 'codeRowFocused', 'categoryRow',
  'categoryRowFocused', 'codingRow', 'documents', 'documentsRow', 'documentRow', 'focusedCode', 'cutAnnounce',
  // the focused-coding table
  'columnCode', 'columnSegments', 'columnCoders', 'columnFocused', 'checkCodesFirst', 'focusedCodingSection', 'checkedActions', 'markFocused', 'unmark',
  'groupIntoCategory', 'tableCaption', 'checkAll', 'checkCode', 'focusedToggle', 'checkedCount',
  // the memo list and the memo pane
  'searchMemos', 'allMemos', 'memosMatch', 'memosOne', 'memosMany', 'memoPreview', 'memoPlaceholder', 'memoLabel', 'preview', 'edit', 'openInEditor',
  'newMemo', 'show', 'showTitle', 'memoActions', 'notSaved', 'moreMemosOne', 'moreMemosMany', 'saved', 'savedAt', 'noMemoYet', 'unsaved', 'saving',
  'memoMeta', 'memoNewHint',
  // the Matrices panel
  'matrices', 'tabCase', 'tabAttribute', 'tabCooccurrence', 'tabSaturation', 'caseAttribute', 'cooccurWhen', 'modeOverlap', 'modeTurn', 'attribute',
  'cooccurWhenShort', 'exportCsv', 'exportCsvTitle', 'matrixOptions', 'codingsOne', 'codingsMany', 'cellLabel', 'cellLabelDiagonal', 'cellTitle',
  'cellTitleDiagonal', 'legendOverlap', 'legendTurn', 'legendMatrix', 'openSegment', 'noSegments', 'chartTitle', 'columnTranscript', 'columnPseudonym',
  'columnFirstCoded', 'columnCodes', 'columnNewCodes', 'columnCodesSoFar', 'saturationCaption', 'excludedNote', 'setFilter', 'allSets',
  // the Theory Map panel
  'mapLabel', 'mapCanvas', 'mapHelp', 'mapDetails', 'mapNothingSelected', 'mapSelectedMany', 'mapCategory', 'mapCode', 'mapShowSegments', 'mapOpenMemo',
  'mapTakeOff', 'mapRelateTo', 'mapRelationType', 'mapRelationLabel', 'mapEvidence', 'mapConflict', 'mapGone', 'mapMoved', 'mapRelateHint',
  'mapExport', 'mapShowEvidence',
] as const;

/** Every text of the webview pages, by name, in the language of VS Code. */
export type WebviewStrings = Record<(typeof WEBVIEW_STRING_KEYS)[number], string>;
