// Codebook edits that reach across every transcript (delete a code with its codings, merge two codes),
// applied to open editors through CodingService and to closed transcripts through their sidecars,
// each returning an undo that puts back exactly the records it changed.
import * as vscode from 'vscode';
import type { Code, Coding, ProjectFile } from '../core/model';
import {
  CodebookEdit,
  CodingsEdit,
  deleteCode,
  descendantsOf,
  groupIntoCategory,
  promoteToCategory,
  setFocused,
  describeCode,
  mergeCodes,
  moveCode,
  recodeCodings,
  recolorCode,
  reorderCode,
  removeCodingsOf,
  renameCode,
  restoreCodings,
} from '../core/codebook';
import type { Environment } from '../core/ports';
import { systemEnvironment } from '../core/ports';
import { SidecarStore } from '../core/store';
import type { CodingService } from './codings';
import type { ProjectService } from './project';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';
import { UndoStack } from './undo';
import type { UndoableEdit } from './undo';

export type { UndoableEdit } from './undo';

export class CodebookService {
  /** Most recent last; "Grounded: Undo Codebook Edit" takes from the end. */
  private readonly undoStack = new UndoStack();

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly project: ProjectService,
    private readonly codings: CodingService,
    private readonly index: WorkspaceIndex,
    private readonly env: Environment = systemEnvironment,
  ) {}

  code(id: string): Code {
    const code = this.project.codeById(id);
    if (!code) throw new Error(`The code no longer exists (id ${id}).`);
    return code;
  }

  /** How many codings and transcripts an edit of these codes touches (for the confirmation). */
  usage(codeIds: readonly string[]): { codings: number; documents: number } {
    const ids = new Set(codeIds);
    let codings = 0;
    let documents = 0;
    for (const doc of this.index.documents(true)) {
      const n = doc.codings.filter((c) => ids.has(c.codeId)).length;
      codings += n;
      if (n) documents++;
    }
    return { codings, documents };
  }

  async rename(id: string, name: string): Promise<UndoableEdit> {
    const old = this.code(id);
    return this.editProject(`Renamed "${old.name}" to "${name.trim()}".`, (p) => ({ project: renameCode(p, id, name), before: [old] }));
  }

  async recolor(id: string, color: string): Promise<UndoableEdit> {
    const old = this.code(id);
    return this.editProject(`Changed the colour of "${old.name}".`, (p) => ({ project: recolorCode(p, id, color), before: [old] }));
  }

  async describe(id: string, description: string): Promise<UndoableEdit> {
    const old = this.code(id);
    return this.editProject(`Updated the description of "${old.name}".`, (p) => ({ project: describeCode(p, id, description), before: [old] }));
  }

  /** Moves a code one place up (-1) or down (+1) among its siblings; the order is kept in grounded.json. */
  async reorder(id: string, delta: -1 | 1): Promise<UndoableEdit | undefined> {
    const old = this.code(id);
    if (reorderCode(this.requireProject(), id, delta).before.length === 0) return undefined; // already first or last
    return this.editProject(`Moved "${old.name}" ${delta < 0 ? 'up' : 'down'}.`, (p) => reorderCode(p, id, delta));
  }

  async move(id: string, parent: string | undefined): Promise<UndoableEdit> {
    const old = this.code(id);
    const where = parent ? `under "${this.code(parent).name}"` : 'to the top level';
    return this.editProject(`Moved "${old.name}" ${where}.`, (p) => ({ project: moveCode(p, id, parent), before: [old] }));
  }

  /** Marks codes as focused codes, or unmarks them. */
  async setFocused(ids: readonly string[], focused: boolean): Promise<UndoableEdit> {
    const names = ids.map((id) => `"${this.code(id).name}"`).join(', ');
    return this.editProject(`${focused ? 'Marked' : 'Unmarked'} ${names} as focused.`, (p) => setFocused(p, ids, focused));
  }

  /** A new category under `parent` (or at the top level) holding the given codes (none: an empty category). */
  async group(name: string, parent: string | undefined, ids: readonly string[], coder: string): Promise<UndoableEdit & { categoryId: string }> {
    let categoryId = '';
    const what = ids.length ? ` with ${ids.length} code${ids.length === 1 ? '' : 's'}` : '';
    const edit = await this.editProject(`Created the category "${name.trim()}"${what}.`, (p) => {
      const r = groupIntoCategory(p, name, parent, ids, coder, this.env);
      categoryId = r.category.id;
      return r;
    });
    return { ...edit, categoryId };
  }

  /** Promote to Category: a category with the code's name takes its place and the code moves into it. */
  async promote(id: string, coder: string): Promise<UndoableEdit & { categoryId: string }> {
    const code = this.code(id);
    let categoryId = '';
    const edit = await this.editProject(`Promoted "${code.name}" to a category.`, (p) => {
      const r = promoteToCategory(p, id, coder, this.env);
      categoryId = r.category.id;
      return r;
    });
    return { ...edit, categoryId };
  }

  /** Deletes a code and its codings everywhere; subcodes move up a level. */
  async delete(id: string): Promise<UndoableEdit> {
    const old = this.code(id);
    deleteCode(this.requireProject(), id); // fails early, before any coding is touched
    const codings = await this.editCodings((cs) => removeCodingsOf(cs, [id]));
    let undoProject: () => Promise<void>;
    try {
      undoProject = await this.applyProject((p) => deleteCode(p, id));
    } catch (err) {
      await this.restore(codings);
      throw err;
    }
    const n = count(codings);
    return this.push({
      message: `Deleted the code "${old.name}" and its ${n} coding${n === 1 ? '' : 's'}.`,
      undo: async () => {
        await undoProject();
        await this.restore(codings);
      },
    });
  }

  /** Merges `source` into `target`: the codings of source become codings of target. */
  async merge(sourceId: string, targetId: string): Promise<UndoableEdit> {
    const source = this.code(sourceId);
    const target = this.code(targetId);
    mergeCodes(this.requireProject(), sourceId, targetId);
    const codings = await this.editCodings((cs) => recodeCodings(cs, sourceId, targetId));
    let undoProject: () => Promise<void>;
    try {
      undoProject = await this.applyProject((p) => mergeCodes(p, sourceId, targetId));
    } catch (err) {
      await this.restore(codings);
      throw err;
    }
    const n = count(codings);
    return this.push({
      message: `Merged "${source.name}" into "${target.name}" (${n} coding${n === 1 ? '' : 's'} moved).`,
      undo: async () => {
        await undoProject();
        await this.restore(codings);
      },
    });
  }

  /** Undoes the most recent codebook edit; its message, or undefined when there is none. */
  undoLast(): Promise<string | undefined> {
    return this.undoStack.undoLast();
  }

  /** Undoes one given edit (the notification's button), if it is still on the stack. */
  undo(edit: UndoableEdit): Promise<boolean> {
    return this.undoStack.undo(edit);
  }

  /** Codes that could be the target of a merge or a move of `id` (not itself, not below it). */
  candidatesFor(id: string): Code[] {
    const p = this.requireProject();
    const below = new Set([id, ...descendantsOf(p, id)]);
    return p.codes.filter((c) => !below.has(c.id));
  }

  private requireProject(): ProjectFile {
    const p = this.project.project;
    if (!p) throw new Error('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".');
    return p;
  }

  private push(edit: UndoableEdit): UndoableEdit {
    return this.undoStack.push(edit);
  }

  private async editProject(message: string, change: (p: ProjectFile) => CodebookEdit): Promise<UndoableEdit> {
    change(this.requireProject()); // validate before writing
    const undo = await this.applyProject(change);
    return this.push({ message, undo });
  }

  /** Writes a codebook edit; returns the undo, which restores the changed code records by id. */
  private applyProject(change: (p: ProjectFile) => CodebookEdit): Promise<() => Promise<void>> {
    return this.project.editRecords('codes', change);
  }

  /** Applies an edit to the codings of every transcript it changes; returns the records before, per transcript. */
  private async editCodings(edit: (codings: readonly Coding[]) => CodingsEdit): Promise<Map<string, Coding[]>> {
    await this.index.ready;
    const before = new Map<string, Coding[]>();
    for (const doc of this.index.documents(true)) {
      if (doc.error || edit(doc.codings).before.length === 0) continue;
      const saved = await this.applyToDocument(doc.path, (cs) => {
        const result = edit(cs);
        return { codings: result.codings, saved: result.before };
      });
      if (saved.length) before.set(doc.path, saved);
    }
    return before;
  }

  private async restore(saved: Map<string, Coding[]>): Promise<void> {
    for (const [path, codings] of saved) {
      await this.applyToDocument(path, (cs) => ({ codings: restoreCodings(cs, codings), saved: [] }));
    }
  }

  /** One transcript: through the editor's live codings when it is open, else straight to its sidecar. */
  private async applyToDocument(path: string, change: (codings: Coding[]) => { codings: Coding[]; saved: Coding[] }): Promise<Coding[]> {
    const uri = this.fs.uri(path).toString();
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    let saved: Coding[] = [];
    if (document && this.codings.isTranscript(document.uri)) {
      await this.codings.updateCodings(document, (cs) => {
        const r = change(cs);
        saved = r.saved;
        return r.codings;
      });
    } else {
      const store = await SidecarStore.open(this.fs, path);
      await store.update((s) => {
        const r = change(s.codings);
        saved = r.saved;
        return { ...s, codings: r.codings };
      });
      await this.index.reload(path);
    }
    return saved;
  }
}

function count(byDocument: Map<string, Coding[]>): number {
  let n = 0;
  for (const cs of byDocument.values()) n += cs.length;
  return n;
}
