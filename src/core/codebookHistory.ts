// The codebook's history (Charmaz's audit trail: which codes were created, renamed, merged, promoted,
// moved, and when): the changes between two versions of grounded.json as events. Pure: the command
// line and the extension (src/node/gitHistory.ts) read the versions and the sidecar
// diffs from git and hand them here.
// Not to be confused with history.ts, the undo history.
import type { Code, ProjectFile } from './model';
import { effectiveParent, nameKey } from './project';

/** The kinds of change, in the order a commit's events are listed. */
export const HISTORY_KINDS = ['created', 'promoted', 'renamed', 'recoloured', 'described', 'moved', 'focused', 'unfocused', 'merged', 'deleted'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

/**
 * One change to one code. `name` is the code's name after the change (a deleted or merged code's last
 * name). `from`/`to` by kind: renamed the old and new name; recoloured the old and new colour;
 * described the old and new description (null: none); moved the old and new parent's name (null: the
 * top level); created the parent's name in `to` (null: the top level); promoted the name of the subcode
 * it got in `to` (the first by name if several); merged the name of the code it was merged into in `to`;
 * null everywhere else.
 */
export interface CodeChange {
  kind: HistoryKind;
  codeId: string;
  name: string;
  from: string | null;
  to: string | null;
  /**
   * Not in the JSON: the other code an event is also about, so that `--code` lists it for that code
   * too: the code merged into, and the code that Promote to Category put into its new category.
   */
  relatedId?: string;
}

/** A commit that changed grounded.json. `date` is the author date, ISO 8601 in UTC. */
export interface CommitInfo {
  commit: string;
  date: string;
  author: string;
}

/** An event of `grounded history --json`, keys in this order. */
export interface HistoryEvent extends CommitInfo, CodeChange {}

/** A coding (by id) whose code changed in a commit's sidecars: `from` and `to` are code ids. */
export interface CodingMove {
  id: string;
  from: string;
  to: string;
}

const NO_CODES: readonly Code[] = [];
const kindRank = new Map<string, number>(HISTORY_KINDS.map((k, i) => [k, i]));

interface Tree {
  byId: Map<string, Code>;
  parent: Map<string, string | undefined>;
  children: Map<string, Code[]>;
}

// A version is compared twice (with the one before and the one after): its tree is made once.
const trees = new WeakMap<ProjectFile, Tree>();

/** The codes of a version by id, each with its effective parent (see project.ts effectiveParent). */
function tree(project: ProjectFile | undefined): Tree {
  const known = project && trees.get(project);
  if (known) return known;
  const made = makeTree(project);
  if (project) trees.set(project, made);
  return made;
}

function makeTree(project: ProjectFile | undefined): Tree {
  const codes = project?.codes ?? NO_CODES;
  const byId = new Map(codes.map((c) => [c.id, c]));
  const parent = new Map<string, string | undefined>();
  const children = new Map<string, Code[]>();
  for (const c of codes) {
    const p = project ? effectiveParent(project, c, byId) : undefined;
    parent.set(c.id, p);
    if (p !== undefined) {
      const list = children.get(p);
      if (list) list.push(c);
      else children.set(p, [c]);
    }
  }
  return { byId, parent, children };
}

const sameName = (a: string, b: string): boolean => nameKey(a) === nameKey(b);
const byName = (a: Code, b: Code): number => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Ids of the codes of `before` that `after` no longer has. */
export function codesRemoved(before: ProjectFile | undefined, after: ProjectFile): string[] {
  const now = new Set(after.codes.map((c) => c.id));
  return (before?.codes ?? NO_CODES).filter((c) => !now.has(c.id)).map((c) => c.id);
}

/**
 * The changes from `before` (undefined: no project yet) to `after`, in the order they are listed:
 * by kind (HISTORY_KINDS), then by name, then by id. `recoded`: the codings whose code changed in the
 * same commit's sidecars. A removed code is "merged" into another when codings of it now belong to
 * that code (Merge Codes recodes them; the code most of them went to), or, when it had none, when its
 * subcodes went under another code than its own parent (Delete moves them up to its parent instead);
 * otherwise "deleted". A code that gets its first subcode is "promoted" (a code new in this version
 * with subcodes is only "created": one birth per code). The category that Promote to
 * Category creates (a new code holding the code that had its name at its level) is only "promoted",
 * with that code's name in `to`: neither "created" nor the code's "moved" is listed.
 */
export function codebookChanges(before: ProjectFile | undefined, after: ProjectFile, recoded: readonly CodingMove[] = []): CodeChange[] {
  const old = tree(before);
  const now = tree(after);
  const nameIn = (t: Tree, id: string | undefined): string | null => (id === undefined ? null : (t.byId.get(id)?.name ?? null));
  const changes: CodeChange[] = [];
  const add = (kind: HistoryKind, code: Code, from: string | null = null, to: string | null = null, relatedId?: string) =>
    changes.push({ kind, codeId: code.id, name: code.name, from, to, ...(relatedId ? { relatedId } : {}) });
  // Promote to Category: a new code (the category) holding a code that had its name at the same level.
  // The category is "promoted" (not "created"), and the code moving into it is part of that event.
  const promotedBy = new Map<string, Code>();
  for (const code of after.codes) {
    if (old.byId.has(code.id)) continue;
    const inner = (now.children.get(code.id) ?? []).find((k) => {
      const was = old.byId.get(k.id);
      return was !== undefined && sameName(was.name, code.name) && old.parent.get(k.id) === now.parent.get(code.id);
    });
    if (inner) promotedBy.set(code.id, inner);
  }
  const promotedInto = new Set([...promotedBy.values()].map((c) => c.id));

  for (const code of after.codes) {
    const was = old.byId.get(code.id);
    const kids = (now.children.get(code.id) ?? []).filter((k) => !(old.parent.get(k.id) === code.id && old.byId.has(code.id)));
    const firstChild = kids.length ? [...kids].sort(byName)[0] : undefined;
    if (!was) {
      const promotedCode = promotedBy.get(code.id);
      if (promotedCode) add('promoted', code, null, promotedCode.name, promotedCode.id);
      else {
        // A code born with its subcodes (a category made in one commit) is created, not also promoted:
        // promoted is an existing code becoming a category, and each code has one birth in the history.
        add('created', code, null, nameIn(now, now.parent.get(code.id)));
        if (code.focused) add('focused', code);
      }
      continue;
    }
    if (firstChild && !(old.children.get(code.id)?.length)) add('promoted', code, null, firstChild.name);
    if (was.name !== code.name) add('renamed', code, was.name, code.name);
    if (was.color !== code.color) add('recoloured', code, was.color, code.color);
    if ((was.description ?? '') !== (code.description ?? '')) add('described', code, was.description ?? null, code.description ?? null);
    const from = old.parent.get(code.id);
    const to = now.parent.get(code.id);
    if (from !== to && !promotedInto.has(code.id)) add('moved', code, nameIn(old, from), nameIn(now, to));
    if (!!was.focused !== !!code.focused) add(code.focused ? 'focused' : 'unfocused', code);
  }

  const targets = new Map<string, Map<string, number>>();
  for (const m of recoded) {
    if (m.from === m.to || !now.byId.has(m.to)) continue;
    const counts = targets.get(m.from) ?? new Map<string, number>();
    counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
    targets.set(m.from, counts);
  }
  for (const code of before?.codes ?? NO_CODES) {
    if (now.byId.has(code.id)) continue;
    let into: string | undefined;
    const counts = targets.get(code.id);
    if (counts) {
      into = [...counts].sort(([a, na], [b, nb]) => nb - na || byName(now.byId.get(a)!, now.byId.get(b)!))[0][0];
    } else {
      const up = old.parent.get(code.id);
      const moved = (old.children.get(code.id) ?? []).map((k) => now.parent.get(k.id)).find((p) => p !== undefined && p !== up && now.byId.has(p));
      into = moved;
    }
    if (into !== undefined) add('merged', code, null, now.byId.get(into)!.name, into);
    else add('deleted', code);
  }
  return changes.sort((a, b) => kindRank.get(a.kind)! - kindRank.get(b.kind)! || a.name.localeCompare(b.name) || (a.codeId < b.codeId ? -1 : a.codeId > b.codeId ? 1 : 0));
}

/**
 * The changes a commit made. A merge commit (several parents) made only the changes it shows against
 * every parent (kind and code alike): what a branch brought in was listed at that branch's commits.
 * `recoded` is read against the first parent.
 */
export function commitChanges(parents: readonly (ProjectFile | undefined)[], after: ProjectFile, recoded: readonly CodingMove[] = []): CodeChange[] {
  const [first, ...others] = parents.length ? parents : [undefined];
  const changes = codebookChanges(first, after, recoded);
  if (!others.length) return changes;
  const keysOf = (p: ProjectFile | undefined) => new Set(codebookChanges(p, after, recoded).map((c) => `${c.kind} ${c.codeId}`));
  const otherKeys = others.map(keysOf);
  return changes.filter((c) => otherKeys.every((keys) => keys.has(`${c.kind} ${c.codeId}`)));
}

/**
 * The codings whose code changed, from `git diff` of sidecars (one coding per line, see docs/FORMAT.md):
 * a removed line and an added line with the same coding id and different `codeId`s.
 */
export function codingMovesInDiff(diff: string): CodingMove[] {
  const removed = new Map<string, string>();
  const added = new Map<string, string>();
  for (const line of diff.split('\n')) {
    const sign = line[0];
    if ((sign !== '-' && sign !== '+') || line.startsWith('---') || line.startsWith('+++')) continue;
    const text = line.slice(1).trim().replace(/,$/, '');
    if (!text.startsWith('{"id":')) continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      continue;
    }
    const { id, codeId } = record as { id?: unknown; codeId?: unknown };
    if (typeof id === 'string' && typeof codeId === 'string') (sign === '-' ? removed : added).set(id, codeId);
  }
  const moves: CodingMove[] = [];
  for (const [id, from] of removed) {
    const to = added.get(id);
    // An AI suggestion of a proposed code gets its first code when accepted (codeId "" before): no move.
    if (to !== undefined && to !== from && from !== '') moves.push({ id, from, to });
  }
  return moves;
}

/** The names a code had in the events (renames included). */
function namesOf(events: readonly HistoryEvent[]): Map<string, string[]> {
  const names = new Map<string, string[]>();
  const note = (id: string, name: string | null) => {
    if (name === null) return;
    const list = names.get(id) ?? [];
    if (!list.includes(name)) list.push(name);
    names.set(id, list);
  };
  for (const e of events) {
    if (e.kind === 'renamed') note(e.codeId, e.from);
    note(e.codeId, e.name);
  }
  return names;
}

/** `--code NAME`: the code whose id is NAME or that had the name NAME at some time (ignoring case). */
export type CodeMatch =
  | { kind: 'one'; codeId: string }
  | { kind: 'none' }
  | { kind: 'ambiguous'; codes: { codeId: string; names: string[]; first: HistoryEvent }[] };

export function matchCode(events: readonly HistoryEvent[], query: string): CodeMatch {
  const names = namesOf(events);
  if (names.has(query.trim())) return { kind: 'one', codeId: query.trim() };
  const hits = [...names].filter(([, list]) => list.some((n) => sameName(n, query)));
  if (hits.length === 0) return { kind: 'none' };
  if (hits.length === 1) return { kind: 'one', codeId: hits[0][0] };
  return { kind: 'ambiguous', codes: hits.map(([codeId, list]) => ({ codeId, names: list, first: events.find((e) => e.codeId === codeId)! })) };
}

/** One code's events: its own, a code merged into it, and its Promote to Category. */
export function eventsOfCode(events: readonly HistoryEvent[], codeId: string): HistoryEvent[] {
  return events.filter((e) => e.codeId === codeId || e.relatedId === codeId);
}

/** The JSON of `grounded history --json`. */
export function historyJson(events: readonly HistoryEvent[]): string {
  const ordered = events.map((e) => ({ commit: e.commit, date: e.date, author: e.author, kind: e.kind, codeId: e.codeId, name: e.name, from: e.from, to: e.to }));
  return JSON.stringify({ events: ordered }, null, 2) + '\n';
}

const quoted = (s: string | null): string => (s === null ? '(none)' : `"${s.length > 60 ? `${s.slice(0, 59)}…` : s}"`);
const place = (parent: string | null): string => (parent === null ? 'the top level' : `"${parent}"`);

/** One line of the human output: what happened to which code. */
export function describeChange(e: CodeChange): string {
  const name = `"${e.name}"`;
  switch (e.kind) {
    case 'created':
      return e.to === null ? `created ${name}` : `created ${name} under "${e.to}"`;
    case 'promoted':
      return e.relatedId && e.to !== null && sameName(e.to, e.name)
        ? `promoted ${name} to a category (the code is now its subcode)`
        : `promoted ${name} to a category (first subcode ${quoted(e.to)})`;
    case 'renamed':
      return `renamed ${quoted(e.from)} to ${name}`;
    case 'recoloured':
      return `recoloured ${name} from ${e.from} to ${e.to}`;
    case 'described':
      return e.to === null ? `removed the description of ${name}` : `described ${name}: ${quoted(e.to)}`;
    case 'moved':
      return e.to === null ? `moved ${name} from ${place(e.from)} to the top level` : `moved ${name} under "${e.to}"${e.from === null ? ' (from the top level)' : ` (from ${place(e.from)})`}`;
    case 'focused':
      return `marked ${name} as a focused code`;
    case 'unfocused':
      return `unmarked ${name} as a focused code`;
    case 'merged':
      return `merged ${name} into "${e.to}"`;
    case 'deleted':
      return `deleted ${name}`;
  }
}

/**
 * The human output: oldest first, one line per commit (date and time in UTC, author, short commit and
 * its subject line) with its events below it, one per line.
 */
export function formatHistory(
  events: readonly HistoryEvent[],
  commitOf: (commit: string) => { short: string; subject: string } = (c) => ({ short: c.slice(0, 7), subject: '' }),
): string {
  const lines: string[] = [];
  let last: string | undefined;
  for (const e of events) {
    if (e.commit !== last) {
      last = e.commit;
      const { short, subject } = commitOf(e.commit);
      lines.push(`${e.date.slice(0, 10)} ${e.date.slice(11, 16)} UTC  ${e.author}  ${short}${subject ? `  ${subject}` : ''}`);
    }
    lines.push(`  ${describeChange(e)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The history as the report's methods appendix sums it up (dates are YYYY-MM-DD, UTC). */
export interface HistorySummary {
  /** commits that changed grounded.json */
  commits: number;
  /** the first and last change to a code; undefined when no commit changed one */
  first?: string;
  last?: string;
  created: number;
  merged: number;
  promoted: number;
  /** the day the first code was marked focused (focused coding began); undefined when none was */
  focusedFrom?: string;
}

/** Counts the codes created, merged and promoted, and finds when focused coding began. */
export function historySummary(events: readonly HistoryEvent[], commits: number): HistorySummary {
  const count = (kind: HistoryKind) => events.filter((e) => e.kind === kind).length;
  const day = (d: string | undefined) => d?.slice(0, 10);
  const dates = events.map((e) => e.date).sort();
  const focused = events.filter((e) => e.kind === 'focused').map((e) => e.date).sort();
  return {
    commits,
    first: day(dates[0]),
    last: day(dates[dates.length - 1]),
    created: count('created'),
    merged: count('merged'),
    promoted: count('promoted'),
    focusedFrom: day(focused[0]),
  };
}
