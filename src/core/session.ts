// The project session: the one place where the project is changed and counted. It keeps the invariants
// (see invariants.ts) for every path into it, records every change as one transaction on the single
// undo/redo history, tells its listeners what changed (positions shifted, or codings, codebook, cases
// changed), and computes the one analysis (analysis.ts) once per change, only when someone asks.
//
// It reaches the files through `SessionPorts`: the editor gives it the live codings of open transcripts
// and writes sidecars and grounded.json its own guarded way; the command line and the tests give it
// plain stores over a folder. Pure TypeScript: no editor, no file system.
import type { Analysis } from './analysis';
import { analyse, withinSet } from './analysis';
import type { CodebookEdit, CodingsEdit } from './codebook';
import type { Change, RecordPatch, Transaction } from './history';
import { History, applyPatch, keepPosition } from './history';
import { addCodings as addUnique, duplicateKey } from './invariants';
import type { Case, Code, Coding, MapNode, MemoTarget, ProjectFile, ProjectSet, Relation, RelationType, TheoryMap } from './model';
import { addMap as buildMap, insertMap, mapsOf } from './maps';
import type { NewRelation, NewRelationType } from './relations';
import { addRelation as buildRelation, defineRelationType as buildRelationType, insertRelation, insertRelationType, relationsAfterCodingsRemoved, relationsOf } from './relations';
import type { SetEdit } from './sets';
import { DocumentTable } from './documents';
import type { Environment } from './ports';
import { makeAnchor } from './text';
import { TIMESTAMP } from './jsonError';
import { reanchorCodings } from './anchor';
import { addCode, findCodeByName, nameKey } from './project';
import type { NewSuggestion, SuggestionSource } from './suggestions';
import { aiCoder, isCountedSuggestion, newSuggestions, suggestionRecord } from './suggestions';

/** What the session needs from outside: the writes, and the texts of transcripts. */
export interface SessionPorts {
  /** writes a change of grounded.json (merging with a newer file on disk); the project as written */
  editProject(change: (p: ProjectFile) => ProjectFile): Promise<ProjectFile>;
  /**
   * writes a change of one transcript's codings (the open editor's, or its sidecar), and puts the result
   * into the session's documents (`ProjectSession.documents`)
   */
  editCodings(path: string, change: (codings: Coding[]) => Coding[]): Promise<void>;
  /** a transcript's LF text when it is at hand (open, or read before); for excluded speakers */
  textOf(path: string): string | undefined;
}

/** A memo as the session indexes it: where it is and what it is about. */
export interface MemoIndexEntry {
  path: string;
  target: MemoTarget;
}

/** What changed, for views and decorations. `positions` alone means only offsets moved (typing). */
export interface SessionChange {
  /** transcripts whose codings were added, removed or edited */
  codings?: readonly string[];
  /** transcripts whose codings only moved with typing */
  positions?: readonly string[];
  codebook?: boolean;
  cases?: boolean;
  sets?: boolean;
  /** relations or relation types */
  relations?: boolean;
  /** theory maps (their names or layout; counts do not change) */
  maps?: boolean;
  settings?: boolean;
  /** blind mode switched */
  viewer?: boolean;
  /** where an outside change came from (a watcher, a text read), for diagnostics */
  origin?: string;
}

export type SessionListener = (change: SessionChange) => void;

/** True when a change may change counts (anything but positions moved by typing): views redraw, the analysis is redone. */
export function changesCounts(change: SessionChange): boolean {
  return !!(change.codings?.length || change.codebook || change.cases || change.sets || change.relations || change.settings || change.viewer);
}

/** The outcome of coding spans: the codings made, and the spans that already had this code by this coder. */
export interface CodingOutcome {
  /** the code the spans were coded with (a new one when asked for) */
  code: Code;
  added: Coding[];
  skipped: Coding[];
  transaction?: Transaction;
}

/** The patch that turns `after` back into `before` (records by id; compared by their JSON). */
function revertPatch<T extends { id: string }>(before: readonly T[], after: readonly T[]): RecordPatch<T> {
  const now = new Map(after.map((r) => [r.id, JSON.stringify(r)]));
  const was = new Set(before.map((r) => r.id));
  return { put: before.filter((r) => now.get(r.id) !== JSON.stringify(r)), remove: after.filter((r) => !was.has(r.id)).map((r) => r.id) };
}

/** The lists of grounded.json a change may patch that are left out of the file when empty. */
const OPTIONAL_LISTS = ['sets', 'relationTypes', 'relations', 'maps'] as const;

/** The change that reverts an edit of the relations, relation types and maps. */
function relationRevert(before: ProjectFile, after: ProjectFile): Change {
  const out: { relations?: RecordPatch<Relation>; relationTypes?: RecordPatch<RelationType>; maps?: RecordPatch<TheoryMap> } = {};
  const relations = revertPatch(before.relations ?? [], after.relations ?? []);
  const types = revertPatch(before.relationTypes ?? [], after.relationTypes ?? []);
  const maps = revertPatch(mapsOf(before), mapsOf(after));
  if (relations.put.length || relations.remove.length) out.relations = relations;
  if (types.put.length || types.remove.length) out.relationTypes = types;
  if (maps.put.length || maps.remove.length) out.maps = maps;
  return out;
}

const isEmpty = (c: Change): boolean => !c.relations && !c.relationTypes && !c.maps;

const noun = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A coding that comes back (undo of its removal, of a code's deletion or merge) holds the offsets it had
 * then; typing or an outside change since may have moved its words. Each one whose words are no longer at
 * its offsets is found again in `text` (re-anchored, or orphaned), never left on other words; the others
 * get the context they have now.
 */
function findReturned(records: Coding[], before: readonly Coding[], text: string): Coding[] {
  const had = new Set(before.map((c) => c.id));
  const returned = records.filter((c) => !had.has(c.id) && !c.orphaned);
  if (returned.length === 0) return records;
  const moved = returned.filter((c) => text.slice(c.anchor.start, c.anchor.end) !== c.anchor.quote);
  const found = new Map(reanchorCodings(moved, text).codings.map((c) => [c.id, c]));
  return records.map((c) => {
    const f = found.get(c.id);
    if (f || had.has(c.id) || c.orphaned) return f ?? c;
    // Its words are where they were; the text around them may have changed.
    const anchor = makeAnchor(text, c.anchor.start, c.anchor.end);
    return anchor.prefix === c.anchor.prefix && anchor.suffix === c.anchor.suffix ? c : { ...c, anchor };
  });
}

export class ProjectSession {
  readonly history: History;
  private readonly listeners = new Set<SessionListener>();
  private cached: Analysis | undefined;
  private scoped: { of: Analysis; setId: string; analysis: Analysis } | undefined;
  private viewerName: string | undefined;
  /** Transactions running now (their own writes come back as file events, which are not news). */
  private running = 0;

  /** True while a transaction of the session is writing. */
  get busy(): boolean {
    return this.running > 0;
  }

  /** Runs a transaction's writes, marked busy. */
  private async transact<T>(run: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await run();
    } finally {
      this.running--;
    }
  }

  /** Every transcript's codings, stored and live, whether or not its editor is open (fed by the adapters). */
  readonly documents: DocumentTable;
  private current: ProjectFile | undefined;
  private memoIndex: readonly MemoIndexEntry[] = [];

  constructor(
    private readonly ports: SessionPorts,
    private readonly env: Environment,
    documents = new DocumentTable(),
  ) {
    this.documents = documents;
    this.history = new History((change) => this.applyChange(change));
  }

  // ---- the state -----------------------------------------------------------------------------------

  /** The project (codebook, cases, settings) as last loaded or written; undefined without grounded.json. */
  get project(): ProjectFile | undefined {
    return this.current;
  }

  /** The project as loaded (by the editor's store, the command line): the session holds it from now on. */
  setProject(project: ProjectFile | undefined): void {
    this.current = project;
  }

  /** The memos, by file and target (their bodies stay with the memo store). */
  get memos(): readonly MemoIndexEntry[] {
    return this.memoIndex;
  }

  setMemos(index: readonly MemoIndexEntry[]): void {
    this.memoIndex = index;
  }

  private async writeProject(change: (p: ProjectFile) => ProjectFile): Promise<void> {
    this.current = await this.transact(() => this.ports.editProject(change));
  }

  // ---- the analysis ------------------------------------------------------------------------------

  /** Blind mode: the coder whose codings alone are shown and counted (undefined: everyone's). */
  get viewer(): string | undefined {
    return this.viewerName;
  }

  set viewer(coder: string | undefined) {
    if (coder === this.viewerName) return;
    this.viewerName = coder;
    this.changed({ viewer: true });
  }

  /** The one analysis of the project as it is now (computed once per change, on demand). */
  analysis(): Analysis | undefined {
    const project = this.current;
    if (!project) return undefined;
    if (this.cached?.project !== project) this.cached = undefined;
    this.cached ??= analyse({ project, documents: this.documents.documents(), textOf: (p) => this.ports.textOf(p), viewer: this.viewerName });
    return this.cached;
  }

  /** The one analysis within a set (the "by set" filter of the Segments view and the matrices); all of it without one. */
  analysisWithin(setId: string | undefined): Analysis | undefined {
    const all = this.analysis();
    if (!all || !setId) return all;
    if (this.scoped?.of !== all || this.scoped.setId !== setId) this.scoped = { of: all, setId, analysis: withinSet(all, setId) };
    return this.scoped.analysis;
  }

  /** What the user is shown of a list of codings: in blind mode only their own. */
  shownOf<T extends { coder: string }>(codings: readonly T[]): T[] {
    const me = this.viewerName;
    return me === undefined ? [...codings] : codings.filter((c) => c.coder === me);
  }

  // ---- events ------------------------------------------------------------------------------------

  onDidChange(listener: SessionListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Tells the session that something changed outside it (a sidecar or grounded.json changed on disk, a
   * transcript was re-anchored or opened). A change of positions only keeps the analysis: offsets do
   * not change counts.
   */
  changed(change: SessionChange): void {
    if (changesCounts(change)) this.cached = undefined;
    for (const l of this.listeners) l(change);
  }

  // ---- coding actions ----------------------------------------------------------------------------

  /**
   * Codes spans of a transcript's LF text with one code, or with a new code made for them (`{ newCode }`:
   * then creating the code and coding are one transaction, and one undo takes back both). A span the
   * coder has already coded with this code is skipped (the invariant: no duplicate codings); when every
   * span is, nothing is written and no transaction is recorded.
   */
  async code(path: string, text: string, spans: readonly (readonly [number, number])[], target: string | { newCode: string }, coder: string): Promise<CodingOutcome> {
    let code: Code;
    let created: Code | undefined;
    if (typeof target === 'string') code = this.requireCode(target);
    else created = code = addCode(this.requireProject(), { name: target.newCode }, coder, this.env).code; // refuses a name taken
    const candidates: Coding[] = spans.map(([start, end]) => ({ id: this.env.newId(), codeId: code.id, anchor: makeAnchor(text, start, end), coder, created: this.env.now() }));
    let outcome = addUnique(this.documents.document(path).codings, candidates);
    if (outcome.added.length === 0) return { code, added: [], skipped: outcome.skipped };
    if (created) {
      const fresh = created;
      await this.writeProject((p) => {
        const clash = findCodeByName(p, fresh.name, null);
        if (clash) throw new Error(`There is already a code named "${clash.name}" at the top level. Pick it, or choose another name.`);
        return { ...p, codes: [...p.codes, fresh] };
      });
    }
    try {
      await this.transact(() => this.ports.editCodings(path, (current) => {
        outcome = addUnique(current, candidates);
        return outcome.codings;
      }));
    } catch (err) {
      if (created) await this.applyChange({ codes: { put: [], remove: [created.id] } });
      throw err;
    }
    const revert: Change = { codings: new Map([[path, { put: [], remove: outcome.added.map((c) => c.id) }]]), ...(created ? { codes: { put: [], remove: [created.id] } } : {}) };
    const label = `Coded ${noun(outcome.added.length, 'segment')} as ${created ? 'the new code ' : ''}"${code.name}".`;
    const transaction = this.history.record(label, 'coding', revert, path);
    this.changed({ codings: [path], codebook: !!created });
    return { code, added: outcome.added, skipped: outcome.skipped, transaction };
  }

  /** Removes codings of one transcript by id. */
  async removeCodings(path: string, ids: readonly string[], label?: string): Promise<{ removed: Coding[]; transaction?: Transaction }> {
    const gone = new Set(ids);
    let removed: Coding[] = [];
    await this.transact(() => this.ports.editCodings(path, (current) => {
      removed = current.filter((c) => gone.has(c.id));
      return current.filter((c) => !gone.has(c.id));
    }));
    if (!removed.length) return { removed };
    const names = [...new Set(removed.map((c) => `"${this.codeName(c.codeId)}"`))].join(', ');
    // A coding that was evidence of a relation leaves it in the same transaction (undo brings it back).
    let relations: RecordPatch<Relation> | undefined;
    try {
      relations = await this.dropEvidence(removed.map((c) => c.id));
    } catch (err) {
      await this.applyChange({ codings: new Map([[path, { put: removed, remove: [] }]]) }); // all or nothing
      throw err;
    }
    const revert: Change = { codings: new Map([[path, { put: removed, remove: [] }]]), ...(relations ? { relations } : {}) };
    const transaction = this.history.record(label ?? `Removed the coding ${names}.`, 'coding', revert, path);
    this.changed({ codings: [path], relations: !!relations });
    return { removed, transaction };
  }

  /**
   * Edits one coding (another code, a note, a translation, the representative flag). Giving it a code
   * the same coder already has on the same span is refused: that would make a duplicate.
   */
  async editCoding(path: string, id: string, label: string, edit: (c: Coding) => Coding): Promise<Transaction | undefined> {
    let before: Coding | undefined;
    await this.transact(() => this.ports.editCodings(path, (current) => {
      const old = current.find((c) => c.id === id);
      if (!old) throw new Error(`No coding with id ${id} in ${path}.`);
      const next = edit(old);
      if (next.codeId !== old.codeId) {
        this.requireCode(next.codeId);
        const key = duplicateKey(next);
        if (current.some((c) => c.id !== id && !c.orphaned && duplicateKey(c) === key)) {
          throw new Error(`These words already have the code "${this.codeName(next.codeId)}" by ${next.coder}: nothing changed.`);
        }
      }
      before = old;
      return current.map((c) => (c.id === id ? next : c));
    }));
    const transaction = this.history.record(label, 'coding', { codings: new Map([[path, { put: [before!], remove: [] }]]) }, path);
    this.changed({ codings: [path] });
    return transaction;
  }

  // ---- AI suggestions (suggestions.ts) ----------------------------------------------------------

  /**
   * Adds suggestions of one model to a transcript as pending codings of the coder `AI: <model>`,
   * anchored in `text` (its LF text) like any coding. One that has the same coder, span and code as a
   * coding of that coder in any status (a rejected suggestion is not suggested again) is skipped. One
   * transaction (undo removes them); none when nothing was added.
   */
  async addSuggestions(path: string, text: string, items: readonly NewSuggestion[], source: SuggestionSource, label?: string): Promise<{ added: Coding[]; skipped: number; transaction?: Transaction }> {
    const project = this.requireProject();
    if (!source.model.trim()) throw new Error('Suggestions need the name of the model that made them.');
    if (!TIMESTAMP.re.test(source.requested)) throw new Error(`Not an ISO 8601 UTC timestamp: "${source.requested}" (when the suggestions were asked for).`);
    const known = new Set(project.codes.map((c) => c.id));
    for (const item of items) {
      if (item.codeId !== undefined && !known.has(item.codeId)) throw new Error(`The code "${item.code}" no longer exists (id ${item.codeId}).`);
      if (!(item.start >= 0 && item.end >= item.start && item.end <= text.length)) throw new Error(`A suggestion of "${item.code}" lies outside the text of ${path} (${item.start}-${item.end}).`);
    }
    const coder = aiCoder(source.model);
    const candidates: Coding[] = items.map((item) => ({
      id: this.env.newId(),
      codeId: item.codeId ?? '',
      anchor: makeAnchor(text, item.start, item.end),
      coder,
      created: source.requested,
      suggestion: suggestionRecord(item, source),
    }));
    let added: Coding[] = [];
    const names = new Map(project.codes.map((c) => [c.id, c.name]));
    const fresh = (current: readonly Coding[]) => newSuggestions(current, candidates, (id) => names.get(id));
    if (fresh(this.documents.document(path).codings).length === 0) return { added: [], skipped: items.length };
    await this.transact(() => this.ports.editCodings(path, (current) => {
      added = fresh(current);
      return [...current, ...added];
    }));
    if (!added.length) return { added, skipped: items.length };
    const revert: Change = { codings: new Map([[path, { put: [], remove: added.map((c) => c.id) }]]) };
    const transaction = this.history.record(label ?? `Added ${noun(added.length, 'suggestion')} of ${source.model}.`, 'coding', revert, path);
    this.changed({ codings: [path] });
    return { added, skipped: items.length - added.length, transaction };
  }

  /**
   * Accepts or rejects suggestions, across transcripts, as one transaction (one undo). Accepting a
   * proposed code creates it (or uses the code of that name, ignoring case) in the same transaction.
   * Records `by` and `when` as decidedBy and decided. Undefined when nothing changed (each one has
   * that decision already). Throws, writing nothing, on an id that is no suggestion.
   */
  async decideSuggestions(items: readonly { path: string; id: string }[], decision: 'accepted' | 'rejected', by: string, when: string, label?: string): Promise<Transaction | undefined> {
    return this.decide(items.map((i) => ({ ...i, target: undefined })), decision, by, when, label);
  }

  /**
   * Accepts a suggestion with another code than the model's (an existing code's id, or a new code):
   * codeId set, status accepted, changed: true. One transaction.
   */
  async changeSuggestionCode(path: string, id: string, target: string | { newCode: string }, by: string, when: string): Promise<Transaction | undefined> {
    return this.decide([{ path, id, target }], 'accepted', by, when);
  }

  /** decideSuggestions and changeSuggestionCode: `target` is the code a person chose instead of the model's. */
  private async decide(
    items: readonly { path: string; id: string; target: string | { newCode: string } | undefined }[],
    decision: 'accepted' | 'rejected',
    by: string,
    when: string,
    label?: string,
  ): Promise<Transaction | undefined> {
    const project = this.requireProject();
    const byPath = new Map<string, Map<string, string | { newCode: string } | undefined>>();
    for (const item of items) {
      const coding = this.documents.document(item.path).codings.find((c) => c.id === item.id);
      if (!coding) throw new Error(`No suggestion with id ${item.id} in ${item.path}.`);
      if (!coding.suggestion) throw new Error(`The coding ${item.id} in ${item.path} is no AI suggestion.`);
      if (typeof item.target === 'string') this.requireCode(item.target);
      if (!byPath.has(item.path)) byPath.set(item.path, new Map());
      byPath.get(item.path)!.set(item.id, item.target);
    }
    // The codes to create for accepted proposed codes (one per name, ignoring case), or the code of that name.
    const created: Code[] = [];
    let codes = project;
    const codeFor = (name: string): Code => {
      const found = findCodeByName(codes, name, null) ?? findCodeByName(codes, name);
      if (found) return found;
      const r = addCode(codes, { name }, by, this.env);
      codes = r.project;
      created.push(r.code);
      return r.code;
    };
    const plan = (c: Coding, target: string | { newCode: string } | undefined): Coding | undefined => {
      const s = c.suggestion!;
      if (target === undefined && s.status === decision) return undefined;
      const next: Coding = { ...c, suggestion: { ...s, status: decision, decidedBy: by, decided: when } };
      const suggestion = next.suggestion!;
      delete suggestion.changed;
      if (decision === 'rejected') {
        if (s.proposed) next.codeId = '';
        return next;
      }
      if (target !== undefined) {
        const code = typeof target === 'string' ? this.requireCode(target) : codeFor(target.newCode);
        next.codeId = code.id;
        // Another code than the model's: for a proposed code, one of another name.
        if (s.proposed ? nameKey(code.name) !== nameKey(s.code) : code.id !== c.codeId) suggestion.changed = true;
      } else if (s.proposed && (c.codeId === '' || !codes.codes.some((x) => x.id === c.codeId))) {
        next.codeId = codeFor(s.code).id;
      } else if (!codes.codes.some((x) => x.id === c.codeId)) {
        throw new Error(`The code of the suggestion "${s.code}" no longer exists (id ${c.codeId}): change its code instead.`);
      }
      return next;
    };
    // Plan on the codings as they are (throws before anything is written), then write.
    const planned = new Map<string, Map<string, Coding>>();
    for (const [path, ids] of byPath) {
      const m = new Map<string, Coding>();
      for (const c of this.documents.document(path).codings) {
        if (!ids.has(c.id)) continue;
        const next = plan(c, ids.get(c.id));
        if (next) m.set(c.id, next);
      }
      // An accepted suggestion is a coding: it may not repeat one of its coder (same code and span).
      const after = this.documents.document(path).codings.map((c) => m.get(c.id) ?? c).filter((c) => !c.orphaned && isCountedSuggestion(c));
      for (const next of m.values()) {
        if (next.suggestion?.status !== 'accepted' || next.orphaned) continue;
        const key = duplicateKey(next);
        if (after.some((c) => c.id !== next.id && duplicateKey(c) === key)) {
          throw new Error(`These words already have the code "${this.codeName(next.codeId)}" by ${next.coder}: nothing changed.`);
        }
      }
      if (m.size) planned.set(path, m);
    }
    if (!planned.size) return undefined;
    if (created.length) {
      const fresh = created;
      await this.writeProject((p) => {
        for (const code of fresh) {
          const clash = findCodeByName(p, code.name, null);
          if (clash) throw new Error(`There is already a code named "${clash.name}" at the top level: accept the suggestion again.`);
        }
        return { ...p, codes: [...p.codes, ...fresh] };
      });
    }
    const revertCodings = new Map<string, RecordPatch<Coding>>();
    try {
      for (const [path, m] of planned) {
        let before: Coding[] = [];
        await this.transact(() => this.ports.editCodings(path, (current) => {
          before = current.filter((c) => m.has(c.id));
          return current.map((c) => m.get(c.id) ?? c);
        }));
        revertCodings.set(path, { put: before, remove: [] });
      }
    } catch (err) {
      if (revertCodings.size) await this.applyChange({ codings: revertCodings });
      if (created.length) await this.applyChange({ codes: { put: [], remove: created.map((c) => c.id) } });
      throw err;
    }
    const revert: Change = { codings: revertCodings, ...(created.length ? { codes: { put: [], remove: created.map((c) => c.id) } } : {}) };
    const n = [...planned.values()].reduce((k, m) => k + m.size, 0);
    const changedCode = items.some((i) => i.target !== undefined);
    const paths = [...planned.keys()];
    const text = label ?? (changedCode ? `Accepted the suggestion with another code.` : `${decision === 'accepted' ? 'Accepted' : 'Rejected'} ${noun(n, 'suggestion')}.`);
    const transaction = this.history.record(text, 'coding', revert, paths.length === 1 ? paths[0] : undefined);
    this.changed({ codings: paths, codebook: created.length > 0 });
    return transaction;
  }

  // ---- codebook, cases, settings -----------------------------------------------------------------

  /**
   * An edit of the codebook, and of the codings of every transcript it reaches (delete, merge). The
   * codebook edit is checked on the project as it is before anything is written.
   */
  async editCodebook(label: string, edit: (p: ProjectFile) => CodebookEdit, codings?: (cs: readonly Coding[]) => CodingsEdit): Promise<Transaction | undefined> {
    edit(this.requireProject()); // throws (a name clash, say) before anything is written
    const revert: { codes?: RecordPatch<Code>; sets?: RecordPatch<ProjectSet>; relations?: RecordPatch<Relation>; maps?: RecordPatch<TheoryMap>; codings?: Map<string, RecordPatch<Coding>> } = {};
    const paths: string[] = [];
    const removedCodings: string[] = [];
    if (codings) {
      const byPath = new Map<string, RecordPatch<Coding>>();
      for (const doc of this.documents.documents()) {
        if (codings(doc.codings).before.length === 0) continue;
        let saved: Coding[] = [];
        let left = new Set<string>();
        await this.transact(() => this.ports.editCodings(doc.path, (current) => {
          const r = codings(current);
          saved = r.before;
          left = new Set(r.codings.map((c) => c.id));
          return r.codings;
        }));
        for (const c of saved) if (!left.has(c.id)) removedCodings.push(c.id);
        if (saved.length) {
          byPath.set(doc.path, { put: saved, remove: [] });
          paths.push(doc.path);
        }
      }
      revert.codings = byPath;
    }
    try {
      const sets: { patch?: RecordPatch<ProjectSet>; relations?: RecordPatch<Relation>; maps?: RecordPatch<TheoryMap> } = {};
      // The codings the edit removed leave the evidence of relations (the code's own relations go with it: codebook.ts).
      const withEvidence = (p: ProjectFile): CodebookEdit => {
        const r = edit(p);
        return removedCodings.length ? { ...r, project: relationsAfterCodingsRemoved(r.project, removedCodings) } : r;
      };
      revert.codes = await this.editRecords('codes', withEvidence, sets);
      if (sets.patch) revert.sets = sets.patch;
      if (sets.relations) revert.relations = sets.relations;
      if (sets.maps) revert.maps = sets.maps;
    } catch (err) {
      if (revert.codings) await this.applyChange({ codings: revert.codings });
      throw err;
    }
    const transaction = this.history.record(label, 'codebook', revert);
    this.changed({ codebook: true, codings: paths, sets: !!revert.sets, relations: !!revert.relations, maps: !!revert.maps });
    return transaction;
  }

  // ---- relations ---------------------------------------------------------------------------------

  /**
   * An edit of the relations or relation types (relations.ts: editRelation, deleteRelation,
   * changeEvidence, editRelationType, deleteRelationType), checked on the project as it is before
   * anything is written. One transaction; undefined when it changes nothing.
   */
  async editRelations(label: string, edit: (p: ProjectFile) => ProjectFile): Promise<Transaction | undefined> {
    return this.editTheory(label, 'relations', edit);
  }

  /**
   * An edit of the theory maps (maps.ts: renameMap, deleteMap, placeNodes, removeNodes), checked on the
   * project as it is before anything is written. One transaction; undefined when it changes nothing.
   * A drag that moves nodes is one transaction, so one undo puts them back.
   */
  async editMaps(label: string, edit: (p: ProjectFile) => ProjectFile): Promise<Transaction | undefined> {
    return this.editTheory(label, 'maps', edit);
  }

  /** A new theory map, empty or with `nodes` (one transaction). Throws on a name taken. */
  async addMap(name: string, nodes: readonly MapNode[] = [], label?: string): Promise<{ map: TheoryMap; transaction?: Transaction }> {
    const built = buildMap(this.requireProject(), name, this.env, nodes).map;
    const transaction = await this.editMaps(label ?? `Added the theory map "${built.name}".`, (p) => insertMap(p, built));
    return { map: built, transaction };
  }

  private async editTheory(label: string, origin: 'relations' | 'maps', edit: (p: ProjectFile) => ProjectFile): Promise<Transaction | undefined> {
    const now = this.requireProject();
    if (edit(now) === now) return undefined; // throws (an invariant) before anything is written
    let revert: Change = {};
    await this.writeProject((p) => {
      const next = edit(p);
      revert = relationRevert(p, next);
      return next;
    });
    if (isEmpty(revert)) return undefined;
    const transaction = this.history.record(label, origin, revert);
    this.changed({ relations: !!(revert.relations || revert.relationTypes), maps: !!revert.maps });
    return transaction;
  }

  /** A new relation (one transaction). Throws when it would break an invariant (see relations.ts). */
  async addRelation(input: NewRelation, author: string, label?: string): Promise<{ relation: Relation; transaction?: Transaction }> {
    const built = buildRelation(this.requireProject(), input, author, this.env).relation;
    const transaction = await this.editRelations(label ?? `Added a relation of "${this.codeName(built.source)}" and "${this.codeName(built.target)}".`, (p) => insertRelation(p, built));
    return { relation: built, transaction };
  }

  /** A new relation type (one transaction). Throws on a name taken. */
  async defineRelationType(input: NewRelationType, label?: string): Promise<{ type: RelationType; transaction?: Transaction }> {
    const built = buildRelationType(this.requireProject(), input, this.env).type;
    const transaction = await this.editRelations(label ?? `Defined the relation type "${built.name}".`, (p) => insertRelationType(p, built));
    return { type: built, transaction };
  }

  /** The relations removed with the codings `ids` as evidence; their revert patch, or undefined when none was evidence. */
  private async dropEvidence(ids: readonly string[]): Promise<RecordPatch<Relation> | undefined> {
    const gone = new Set(ids);
    const project = this.current;
    if (!project || !relationsOf(project).some((r) => r.evidence?.some((c) => gone.has(c)))) return undefined;
    let patch: RecordPatch<Relation> | undefined;
    await this.writeProject((p) => {
      const next = relationsAfterCodingsRemoved(p, ids);
      patch = revertPatch(relationsOf(p), relationsOf(next));
      return next;
    });
    return patch && (patch.put.length || patch.remove.length) ? patch : undefined;
  }

  /** An edit of the cases. Undefined when it changes nothing. */
  async editCases(label: string, edit: (p: ProjectFile) => { project: ProjectFile; before: Case[]; added?: string[] }): Promise<Transaction | undefined> {
    const dry = edit(this.requireProject());
    if (dry.before.length === 0 && !dry.added?.length) return undefined;
    const cases = await this.editRecords('cases', edit);
    const transaction = this.history.record(label, 'cases', { cases });
    this.changed({ cases: true });
    return transaction;
  }

  /** An edit of the sets (see sets.ts). Undefined when it changes nothing. */
  async editSets(label: string, edit: (p: ProjectFile) => SetEdit): Promise<Transaction | undefined> {
    const dry = edit(this.requireProject()); // throws (a name taken, a member gone) before anything is written
    if (dry.before.length === 0 && !dry.added?.length) return undefined;
    let revert: RecordPatch<ProjectSet> = { put: [], remove: [] };
    await this.writeProject((p) => {
      const r = edit(p);
      const existed = new Set((p.sets ?? []).map((x) => x.id));
      revert = { put: r.before, remove: (r.added ?? []).filter((id) => !existed.has(id)) };
      return r.project;
    });
    const transaction = this.history.record(label, 'sets', { sets: revert });
    this.changed({ sets: true });
    return transaction;
  }

  /** settings.excludedSpeakers (sorted, unique; none: the key is removed). Undefined when unchanged. */
  async setExcludedSpeakers(label: string, speakers: readonly string[]): Promise<Transaction | undefined> {
    const wanted = [...new Set(speakers.map((s) => s.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));
    const old = this.requireProject().settings.excludedSpeakers ?? [];
    if (JSON.stringify(old) === JSON.stringify(wanted)) return undefined;
    const revert = await this.applyChange({ excludedSpeakers: wanted });
    return this.history.record(label, 'settings', revert);
  }

  // ---- applying changes --------------------------------------------------------------------------

  /** Writes a codes or cases edit; returns the patch that reverts it (changed records back, added ones removed). */
  private async editRecords<K extends 'codes' | 'cases'>(
    key: K,
    edit: (p: ProjectFile) => { project: ProjectFile; before: ProjectFile[K]; added?: string[] },
    /** receives the patch that reverts what the edit did to the sets (a deleted or merged code leaves them) */
    sets?: { patch?: RecordPatch<ProjectSet>; relations?: RecordPatch<Relation>; maps?: RecordPatch<TheoryMap> },
  ): Promise<RecordPatch<ProjectFile[K][number]>> {
    let revert: RecordPatch<ProjectFile[K][number]> = { put: [], remove: [] };
    await this.writeProject((p) => {
      const r = edit(p);
      const existed = new Set(p[key].map((x) => x.id));
      revert = { put: r.before, remove: (r.added ?? []).filter((id) => !existed.has(id)) };
      if (sets && r.project.sets !== p.sets) sets.patch = revertPatch(p.sets ?? [], r.project.sets ?? []);
      if (sets && r.project.relations !== p.relations) sets.relations = revertPatch(relationsOf(p), relationsOf(r.project));
      if (sets && r.project.maps !== p.maps) sets.maps = revertPatch(mapsOf(p), mapsOf(r.project));
      return r.project;
    });
    return revert;
  }

  /** Applies a change (an undo or a redo); returns its inverse. */
  private async applyChange(change: Change): Promise<Change> {
    const inverse: {
      codes?: RecordPatch<Code>;
      cases?: RecordPatch<Case>;
      sets?: RecordPatch<ProjectSet>;
      relations?: RecordPatch<Relation>;
      relationTypes?: RecordPatch<RelationType>;
      maps?: RecordPatch<TheoryMap>;
      excludedSpeakers?: string[];
      codings?: Map<string, RecordPatch<Coding>>;
    } = {};
    if (change.codes || change.cases || change.sets || change.relations || change.relationTypes || change.maps || change.excludedSpeakers) {
      await this.writeProject((p) => {
        let next = p;
        if (change.codes) {
          const r = applyPatch(next.codes, change.codes);
          inverse.codes = r.inverse;
          next = { ...next, codes: r.records };
        }
        if (change.cases) {
          const r = applyPatch(next.cases, change.cases);
          inverse.cases = r.inverse;
          next = { ...next, cases: r.records };
        }
        // The lists written only when not empty: sets, relation types, relations, maps.
        for (const key of OPTIONAL_LISTS) {
          const patch = change[key] as RecordPatch<{ id: string }> | undefined;
          if (!patch) continue;
          const r = applyPatch<{ id: string }>(next[key] ?? [], patch);
          (inverse as Record<string, unknown>)[key] = r.inverse;
          next = { ...next, [key]: r.records };
          if (!r.records.length) delete next[key];
        }
        if (change.excludedSpeakers) {
          inverse.excludedSpeakers = [...(next.settings.excludedSpeakers ?? [])];
          const settings = { ...next.settings };
          if (change.excludedSpeakers.length) settings.excludedSpeakers = [...change.excludedSpeakers];
          else delete settings.excludedSpeakers;
          next = { ...next, settings };
        }
        return next;
      });
    }
    if (change.codings) {
      inverse.codings = new Map();
      for (const [path, patch] of change.codings) {
        await this.transact(() => this.ports.editCodings(path, (current) => {
          const text = this.ports.textOf(path);
          const r = applyPatch(current, patch, (now, saved) => keepPosition(now, saved, text));
          inverse.codings!.set(path, r.inverse);
          return text === undefined ? r.records : findReturned(r.records, current, text);
        }));
      }
    }
    this.changed({
      codebook: !!change.codes,
      cases: !!change.cases,
      sets: !!change.sets,
      relations: !!(change.relations || change.relationTypes),
      maps: !!change.maps,
      settings: !!change.excludedSpeakers,
      codings: change.codings ? [...change.codings.keys()] : undefined,
    });
    return inverse;
  }

  private requireProject(): ProjectFile {
    const p = this.current;
    if (!p) throw new Error('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".');
    return p;
  }

  private requireCode(id: string): Code {
    const code = this.requireProject().codes.find((c) => c.id === id);
    if (!code) throw new Error(`The code no longer exists (id ${id}).`);
    return code;
  }

  private codeName(id: string): string {
    return this.current?.codes.find((c) => c.id === id)?.name ?? id;
  }
}
