// The domain model of a Grounded project. Pure data: no I/O, no editor.
// Every record carries a stable id (a lowercase UUID) so that git merges can match records by id
// and REFI-QDA exports can reuse the id as the GUID on every export.

/** The current on-disk format version of sidecars and the project file. */
export const FORMAT_VERSION = 1;

/** File names and folders, relative to the workspace root. */
export const PROJECT_FILE = 'grounded.json';
export const SIDECAR_SUFFIX = '.codes.json';
export const MEMO_DIR = 'memos';
/** Where Grounded: Export Report writes its files (never transcripts). */
export const EXPORT_DIR = 'exports';

/**
 * Where a coding sits in its transcript. Offsets are UTF-16 code units in the text with line endings
 * normalised to LF. The quote with up to 32 characters of prefix and suffix lets the anchor be found
 * again after the text changed anywhere (an edit, a git pull).
 */
export interface Anchor {
  start: number;
  end: number;
  prefix: string;
  quote: string;
  suffix: string;
}

/** Length of the prefix and suffix kept with every anchor. */
export const CONTEXT_LENGTH = 32;

/** A code in the codebook. A code with children is a category; `parent` builds the category tree. */
export interface Code {
  id: string;
  name: string;
  /** `#rrggbb` */
  color: string;
  description?: string;
  /** id of the parent code (category), absent at the top level */
  parent?: string;
  /** marked for focused coding (Charmaz): one of the significant codes that categories are built from */
  focused?: boolean;
  /** position among its siblings when arranged by hand (0 first); codes without it follow, by name */
  order?: number;
  created: string;
  createdBy: string;
  /** Set by the git merge driver on the other side's version of a code both sides changed (see Coding.conflictOf). */
  conflictOf?: string;
}

/** A translation of a coding's quote (for the report in another language). */
export interface Translation {
  text: string;
  language: string;
  translator: string;
  created: string;
}

/** A coded segment: one code applied to one span of one transcript by one coder. */
export interface Coding {
  id: string;
  codeId: string;
  anchor: Anchor;
  coder: string;
  created: string;
  note?: string;
  translation?: Translation;
  /** flagged as a representative quote of its code or of the code's category */
  representative?: 'code' | 'category';
  /** true when re-anchoring could not find the quote with confidence; kept and reported, never dropped */
  orphaned?: boolean;
  /**
   * Set by the git merge driver on the other side's version of a coding that both sides changed
   * differently: the id of the coding it conflicts with. Both stay until a person resolves it.
   */
  conflictOf?: string;
  /**
   * Set on a coding an AI model suggested (its coder is `AI: <model>`, see suggestions.ts). A pending
   * or rejected suggestion never counts; an accepted one counts like any coding of its coder.
   */
  suggestion?: Suggestion;
}

/** Where an AI suggestion stands: not yet decided, accepted or rejected by a person. */
export type SuggestionStatus = 'pending' | 'accepted' | 'rejected';

/** The audit record of a coding an AI model suggested (key order as here; docs/FORMAT.md). */
export interface Suggestion {
  status: SuggestionStatus;
  /** the model's name as the endpoint or vscode.lm gives it */
  model: string;
  /** the endpoint's base URL (`http://127.0.0.1:11434/v1`), or `vscode.lm:<vendor>/<id>` */
  endpoint: string;
  /** the prompt's version (PROMPT_VERSION of core/suggest.ts), e.g. `grounded-suggest-1` */
  promptVersion: string;
  /** when the suggestion was asked for (the coding's `created`) */
  requested: string;
  /** the person who accepted or rejected it */
  decidedBy?: string;
  /** when that person decided */
  decided?: string;
  /** the model's reason, as it gave it */
  reason?: string;
  /** the code name the model answered, exactly (kept for the audit) */
  code: string;
  /** `code` was not in the codebook: a proposed new (in-vivo) code; codeId is "" until accepted */
  proposed?: true;
  /** the person accepted it with another code than the model's */
  changed?: true;
}

/** The document a sidecar belongs to. */
export interface DocumentRef {
  /** workspace-relative path with forward slashes */
  path: string;
  /** `sha256:<hex>` of the LF-normalised text the anchors refer to */
  hash: string;
}

/** The content of one sidecar file (`<transcript>.codes.json`). */
export interface Sidecar {
  version: number;
  document: DocumentRef;
  codings: Coding[];
}

/** A case: one participant, known in every output only by pseudonym. */
export interface Case {
  id: string;
  pseudonym: string;
  /** workspace-relative paths of the transcripts that belong to this case */
  documents: string[];
  attributes: Record<string, string>;
}

/**
 * How a transcript is known in REFI-QDA, kept from an import so that an export gives the source back
 * as it came: the same GUID and the same name, byte for byte (a name without an extension, say, where
 * the transcript's file needed one). Only transcripts whose name or GUID differ from what Grounded
 * would give them (the path, a GUID derived from it) have one.
 */
export interface SourceInfo {
  /** the source's GUID, lower case */
  id: string;
  /** the transcript, workspace-relative */
  path: string;
  /** the source's name; absent once the transcript was renamed (the path names it then) */
  name?: string;
}

/** A set: a named group of documents and of codes (REFI-QDA <Set>), for filtering the analysis. */
export interface ProjectSet {
  id: string;
  name: string;
  description?: string;
  /** workspace-relative paths of the member transcripts, sorted */
  documents: string[];
  /** ids of the member codes, sorted */
  codes: string[];
}

export interface ProjectInfo {
  id: string;
  name: string;
  created: string;
}

export interface ProjectSettings {
  /** language of the transcripts (BCP 47), for example `nb` */
  language?: string;
  /** language quotes are translated into for the report, for example `en` */
  reportLanguage?: string;
  /** speakers (as named at the start of their turns, for example `Intervjuer`) whose turns are left out of the analysis */
  excludedSpeakers?: string[];
}

/** The content of the project file (`grounded.json` at the workspace root). */
export interface ProjectFile {
  version: number;
  project: ProjectInfo;
  settings: ProjectSettings;
  codes: Code[];
  cases: Case[];
  /** sets of documents and codes; absent (or empty) when there are none */
  sets?: ProjectSet[];
  /** the REFI-QDA names and GUIDs of imported transcripts (see SourceInfo); absent when there are none */
  sources?: SourceInfo[];
  /** relation types defined or customised in this project (see BUILTIN_RELATION_TYPES); absent when there are none */
  relationTypes?: RelationType[];
  /** relations between codes and categories (theoretical coding); absent when there are none */
  relations?: Relation[];
  /** theory maps: drawings of codes, categories and their relations; absent when there are none */
  maps?: TheoryMap[];
}

/** Where a code or category is drawn on a theory map (whole pixels from the map's top left corner). */
export interface MapNode {
  /** a code id */
  code: string;
  x: number;
  y: number;
}

/**
 * A theory map: a named drawing of codes and categories, one node per code, sorted by code id. The
 * arrows are not stored: every relation whose two codes are both on the map is drawn (maps.ts).
 */
export interface TheoryMap {
  id: string;
  name: string;
  nodes: MapNode[];
}

/** How a relation type reads: the same both ways (`symmetric`) or from its source to its target (`one-way`). */
export type RelationDirection = 'symmetric' | 'one-way';

/** A kind of relation between codes or categories ("is cause of"), built in or defined by the user. */
export interface RelationType {
  id: string;
  name: string;
  direction: RelationDirection;
  /** A is R of B and B is R of C means A is R of C (for a theory map's reading); absent when not */
  transitive?: boolean;
  /** Set by the git merge driver on the other side's version of a type both sides changed (see Coding.conflictOf). */
  conflictOf?: string;
}

/**
 * The relation types every project has without writing them: fixed, well-known ids, so that a relation
 * of a built-in type needs no type record and two branches using one never touch the same line. A
 * record in `relationTypes` with one of these ids customises it (another name, say); removing that
 * record gives the built-in back.
 */
export const BUILTIN_RELATION_TYPES: readonly RelationType[] = [
  { id: '9e1a7100-0000-4000-8000-000000000001', name: 'is cause of', direction: 'one-way', transitive: true },
  { id: '9e1a7100-0000-4000-8000-000000000002', name: 'is consequence of', direction: 'one-way', transitive: true },
  { id: '9e1a7100-0000-4000-8000-000000000003', name: 'is part of', direction: 'one-way', transitive: true },
  { id: '9e1a7100-0000-4000-8000-000000000004', name: 'is property of', direction: 'one-way' },
  { id: '9e1a7100-0000-4000-8000-000000000005', name: 'is a strategy for', direction: 'one-way' },
  { id: '9e1a7100-0000-4000-8000-000000000006', name: 'contradicts', direction: 'symmetric' },
  { id: '9e1a7100-0000-4000-8000-000000000007', name: 'is associated with', direction: 'symmetric' },
];

/**
 * A relation: two codes or categories (by code id) joined by a type, with the codings that support
 * it as evidence. Its memo is a memo with the target `relation:<id>`.
 */
export interface Relation {
  id: string;
  /** the code the relation reads from ("source is cause of target") */
  source: string;
  target: string;
  /** a relation type id (built in or in `relationTypes`) */
  type: string;
  label?: string;
  /** ids of the codings that support it, sorted, unique; absent when there are none */
  evidence?: string[];
  author: string;
  created: string;
  modified: string;
  /** Set by the git merge driver on the other side's version of a relation both sides changed (see Coding.conflictOf). */
  conflictOf?: string;
}

/**
 * What a memo is about: the whole project, a code or category (by code id),
 * a document (by workspace-relative path), a single coding (by coding id) or a relation (by relation id).
 */
export type MemoTarget =
  | { kind: 'project' }
  | { kind: 'code'; id: string }
  | { kind: 'document'; path: string }
  | { kind: 'coding'; id: string }
  | { kind: 'relation'; id: string };

/** A memo: a Markdown file under memos/ with front matter. */
export interface Memo {
  id: string;
  target: MemoTarget;
  author: string;
  created: string;
  modified: string;
  /** Markdown body, LF line endings */
  body: string;
  /**
   * The front matter lines Grounded does not know (another tool's keys such as `tags` or `aliases`,
   * comments), exactly as they were, LF; written back after Grounded's own keys. Absent when there are none.
   */
  otherFrontMatter?: string;
}
