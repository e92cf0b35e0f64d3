// One undo and redo history for the whole project: codings, codebook, cases and settings edits are all
// transactions on it, whether they came from the editor, the Codes view, the Cases view or the board.
//
// A transaction is stored as the change that reverts it, made of record patches by id: the records to
// put back and the ids to remove. Applying a change returns its own inverse, so undo yields the redo
// and redo yields the undo again. Patching by id keeps every other edit made in the meantime (a coding
// added after a rename survives the rename's undo), and a reverted coding keeps the position it has
// now, so text typed since does not send it back to an old offset.
import type { Case, Code, Coding, ProjectSet, Relation, RelationType, TheoryMap } from './model';

/** Records to put back (replacing the record with the same id, or added) and ids to remove. */
export interface RecordPatch<T extends { id: string }> {
  put: readonly T[];
  remove: readonly string[];
}

/** Applies a patch; returns the records and the patch that reverts it. */
export function applyPatch<T extends { id: string }>(
  current: readonly T[],
  patch: RecordPatch<T>,
  /** for a record that exists now and is put back: what to keep of the current one */
  keep?: (now: T, saved: T) => T,
): { records: T[]; inverse: RecordPatch<T> } {
  const byId = new Map(current.map((r) => [r.id, r]));
  const gone = new Set(patch.remove);
  const put = new Map(patch.put.map((r) => [r.id, r]));
  const inversePut: T[] = [];
  const inverseRemove: string[] = [];
  for (const id of new Set([...gone, ...put.keys()])) {
    const now = byId.get(id);
    if (now) inversePut.push(now);
    else if (put.has(id)) inverseRemove.push(id);
  }
  const records: T[] = [];
  for (const r of current) {
    if (put.has(r.id)) {
      const saved = put.get(r.id)!;
      records.push(keep ? keep(r, saved) : saved);
      put.delete(r.id);
    } else if (!gone.has(r.id)) records.push(r);
  }
  records.push(...put.values());
  return { records, inverse: { put: inversePut, remove: inverseRemove } };
}

/**
 * A reverted coding keeps where its words are now (typing since may have moved them, or changed a
 * letter inside them). Only Re-attach to Selection gives a coding other words: its undo brings the
 * saved orphan back, its redo the saved words, unless those are no longer at their offsets in `text`
 * (the transcript's LF text now, when known: typing deleted them since, and the coding stays orphaned).
 */
export const keepPosition = (now: Coding, saved: Coding, text?: string): Coding => {
  if (now.anchor.quote !== saved.anchor.quote) {
    if (saved.orphaned) return saved;
    if (now.orphaned) {
      const { start, end, quote } = saved.anchor;
      if (text === undefined || text.slice(start, end) === quote) return saved;
    }
  }
  const out: Coding = { ...saved, anchor: now.anchor };
  if (now.orphaned) out.orphaned = true;
  else delete out.orphaned;
  return out;
};

/** What one transaction changed, or what reverts it: patches of the project's records and of codings per transcript. */
export interface Change {
  codes?: RecordPatch<Code>;
  cases?: RecordPatch<Case>;
  sets?: RecordPatch<ProjectSet>;
  relations?: RecordPatch<Relation>;
  relationTypes?: RecordPatch<RelationType>;
  maps?: RecordPatch<TheoryMap>;
  /** settings.excludedSpeakers as it is to be (an empty list removes the key) */
  excludedSpeakers?: readonly string[];
  /** per transcript path */
  codings?: ReadonlyMap<string, RecordPatch<Coding>>;
}

/** True when the change has nothing in it. */
export function isEmptyChange(change: Change): boolean {
  const empty = (p?: RecordPatch<{ id: string }>) => !p || (p.put.length === 0 && p.remove.length === 0);
  return (
    empty(change.codes) &&
    empty(change.cases) &&
    empty(change.sets) &&
    empty(change.relations) &&
    empty(change.relationTypes) &&
    empty(change.maps) &&
    change.excludedSpeakers === undefined &&
    (!change.codings || [...change.codings.values()].every((p) => empty(p)))
  );
}

/** Where a transaction came from, so the editor can tell which Ctrl+Z is whose. */
export type Origin = 'coding' | 'codebook' | 'cases' | 'sets' | 'settings' | 'relations' | 'maps';

/** One entry of the history. */
export interface Transaction {
  readonly label: string;
  readonly origin: Origin;
  /** the transcript a coding action was made in (Ctrl+Z in that editor undoes it) */
  readonly path?: string;
  /** the change that reverts this transaction (undo applies it; after undo it holds the redo) */
  revert: Change;
}

/** Applies a change to the project's files and state; returns the change that reverts it. */
export type ChangeApplier = (change: Change) => Promise<Change>;

export type HistoryListener = () => void;

/**
 * The undo and redo stacks. Undo applies the newest transaction's revert change and moves it to the
 * redo stack with the inverse; a new transaction clears redo. Undo and redo run one at a time.
 */
export class History {
  private readonly done: Transaction[] = [];
  private readonly undone: Transaction[] = [];
  private readonly listeners = new Set<HistoryListener>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly apply: ChangeApplier,
    private readonly limit = 100,
  ) {}

  /** Records a finished transaction (nothing is applied: it has been already). Empty changes are not recorded. */
  record(label: string, origin: Origin, revert: Change, path?: string): Transaction | undefined {
    if (isEmptyChange(revert)) return undefined;
    const t: Transaction = { label, origin, revert, path };
    this.done.push(t);
    if (this.done.length > this.limit) this.done.shift();
    this.undone.length = 0;
    this.fire();
    return t;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** The transaction undo would take back next. */
  get nextUndo(): Transaction | undefined {
    return this.done[this.done.length - 1];
  }

  /** The transaction redo would apply again next. */
  get nextRedo(): Transaction | undefined {
    return this.undone[this.undone.length - 1];
  }

  /** Undoes the newest transaction; it, or undefined when there is none. */
  undo(): Promise<Transaction | undefined> {
    return this.serial(() => this.step(this.done, this.undone));
  }

  /** Redoes the newest undone transaction; it, or undefined when there is none. */
  redo(): Promise<Transaction | undefined> {
    return this.serial(() => this.step(this.undone, this.done));
  }

  /** Applies the newest transaction of `from` and moves it to `to` with its inverse; left in place if it fails. */
  private async step(from: Transaction[], to: Transaction[]): Promise<Transaction | undefined> {
    const t = from.pop();
    if (!t) return undefined;
    try {
      t.revert = await this.apply(t.revert);
    } catch (err) {
      from.push(t);
      throw err;
    }
    to.push(t);
    this.fire();
    return t;
  }

  /**
   * Undoes one given transaction (a notification's Undo button) if it has not been undone yet. When
   * it is not the newest, the ones after it stay done (patches by id keep them) and redo is cleared.
   */
  undoTransaction(t: Transaction): Promise<boolean> {
    return this.serial(async () => {
      const i = this.done.indexOf(t);
      if (i < 0) return false;
      const inverse = await this.apply(t.revert);
      this.done.splice(i, 1);
      if (i === this.done.length) {
        t.revert = inverse;
        this.undone.push(t);
      } else this.undone.length = 0;
      this.fire();
      return true;
    });
  }

  /** Called after every change of the stacks. */
  onDidChange(listener: HistoryListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
