// Codebook edits (rename, recolour, describe, move, reorder, focus, group, promote, delete, merge) as
// transactions of the project session: the session checks each on the project as it is, writes it
// (reaching the codings of every transcript for delete and merge) and records it on the one history.
import * as vscode from 'vscode';
import type { Code, ProjectFile } from '../core/model';
import {
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
} from '../core/codebook';
import type { CodebookEdit, CodingsEdit } from '../core/codebook';
import type { Coding } from '../core/model';
import type { Environment } from '../core/ports';
import { systemEnvironment } from '../core/ports';
import type { ProjectSession } from '../core/session';
import { addCode } from '../core/project';
import type { ProjectService } from './project';
import type { WorkspaceIndex } from './workspaceIndex';
import { editOf, undoLast } from './undo';
import type { UndoableEdit } from './undo';
import { isCountedSuggestion } from '../core/suggestions';

export type { UndoableEdit } from './undo';

export class CodebookService {
  constructor(
    private readonly project: ProjectService,
    private readonly index: WorkspaceIndex,
    private readonly session: ProjectSession,
    private readonly env: Environment = systemEnvironment,
  ) {}

  /** The project's one undo history. */
  get history() {
    return this.session.history;
  }

  code(id: string): Code {
    const code = this.project.codeById(id);
    if (!code) throw new Error(vscode.l10n.t('The code no longer exists (id {0}).', id));
    return code;
  }

  /** How many codings and transcripts an edit of these codes touches (for the confirmation). */
  usage(codeIds: readonly string[]): { codings: number; documents: number } {
    const ids = new Set(codeIds);
    let codings = 0;
    let documents = 0;
    for (const doc of this.index.documents(true)) {
      const n = doc.codings.filter((c) => ids.has(c.codeId) && isCountedSuggestion(c)).length;
      codings += n;
      if (n) documents++;
    }
    return { codings, documents };
  }

  /** A new code under `parent` (or at the top level). Refused when a sibling has the name, ignoring case. */
  async newCode(name: string, parent: string | undefined, coder: string): Promise<UndoableEdit & { codeId: string }> {
    let codeId = '';
    const message = parent
      ? vscode.l10n.t('Created the code "{0}" under "{1}".', name.trim(), this.code(parent).name)
      : vscode.l10n.t('Created the code "{0}".', name.trim());
    const edit = await this.editProject(message, (p) => {
      const r = addCode(p, { name, parent }, coder, this.env);
      codeId = r.code.id;
      return { project: r.project, before: [], added: [r.code.id] };
    });
    return { ...edit!, codeId };
  }

  async rename(id: string, name: string): Promise<UndoableEdit | undefined> {
    const old = this.code(id);
    return this.editProject(vscode.l10n.t('Renamed "{0}" to "{1}".', old.name, name.trim()), (p) => ({ project: renameCode(p, id, name), before: [old] }));
  }

  async recolor(id: string, color: string): Promise<UndoableEdit | undefined> {
    const old = this.code(id);
    return this.editProject(vscode.l10n.t('Changed the colour of "{0}".', old.name), (p) => ({ project: recolorCode(p, id, color), before: [old] }));
  }

  async describe(id: string, description: string): Promise<UndoableEdit | undefined> {
    const old = this.code(id);
    return this.editProject(vscode.l10n.t('Updated the description of "{0}".', old.name), (p) => ({ project: describeCode(p, id, description), before: [old] }));
  }

  /** Moves a code one place up (-1) or down (+1) among its siblings; the order is kept in grounded.json. */
  async reorder(id: string, delta: -1 | 1): Promise<UndoableEdit | undefined> {
    const old = this.code(id);
    if (reorderCode(this.requireProject(), id, delta).before.length === 0) return undefined; // already first or last
    const message = delta < 0 ? vscode.l10n.t('Moved "{0}" up.', old.name) : vscode.l10n.t('Moved "{0}" down.', old.name);
    return this.editProject(message, (p) => reorderCode(p, id, delta));
  }

  async move(id: string, parent: string | undefined): Promise<UndoableEdit | undefined> {
    const old = this.code(id);
    const message = parent
      ? vscode.l10n.t('Moved "{0}" under "{1}".', old.name, this.code(parent).name)
      : vscode.l10n.t('Moved "{0}" to the top level.', old.name);
    return this.editProject(message, (p) => ({ project: moveCode(p, id, parent), before: [old] }));
  }

  /** Marks codes as focused codes, or unmarks them. */
  async setFocused(ids: readonly string[], focused: boolean): Promise<UndoableEdit | undefined> {
    const names = ids.map((id) => `"${this.code(id).name}"`).join(', ');
    const message = focused ? vscode.l10n.t('Marked {0} as focused.', names) : vscode.l10n.t('Unmarked {0} as focused.', names);
    return this.editProject(message, (p) => setFocused(p, ids, focused));
  }

  /** A new category under `parent` (or at the top level) holding the given codes (none: an empty category). */
  async group(name: string, parent: string | undefined, ids: readonly string[], coder: string): Promise<UndoableEdit & { categoryId: string }> {
    let categoryId = '';
    const message =
      ids.length === 0
        ? vscode.l10n.t('Created the category "{0}".', name.trim())
        : ids.length === 1
          ? vscode.l10n.t('Created the category "{0}" with 1 code.', name.trim())
          : vscode.l10n.t('Created the category "{0}" with {1} codes.', name.trim(), ids.length);
    const edit = await this.editProject(message, (p) => {
      const r = groupIntoCategory(p, name, parent, ids, coder, this.env);
      categoryId = r.category.id;
      return r;
    });
    return { ...edit!, categoryId };
  }

  /** Promote to Category: a category with the code's name takes its place and the code moves into it. */
  async promote(id: string, coder: string): Promise<UndoableEdit & { categoryId: string }> {
    const code = this.code(id);
    let categoryId = '';
    const edit = await this.editProject(vscode.l10n.t('Promoted "{0}" to a category.', code.name), (p) => {
      const r = promoteToCategory(p, id, coder, this.env);
      categoryId = r.category.id;
      return r;
    });
    return { ...edit!, categoryId };
  }

  /** Deletes a code and its codings everywhere; subcodes move up a level. */
  async delete(id: string): Promise<UndoableEdit | undefined> {
    const old = this.code(id);
    await this.index.ready;
    const n = this.usage([id]).codings;
    const message = n === 1 ? vscode.l10n.t('Deleted the code "{0}" and its 1 coding.', old.name) : vscode.l10n.t('Deleted the code "{0}" and its {1} codings.', old.name, n);
    return this.editProject(message, (p) => deleteCode(p, id), (cs) => removeCodingsOf(cs, [id]));
  }

  /** Merges `source` into `target`: the codings of source become codings of target. */
  async merge(sourceId: string, targetId: string): Promise<UndoableEdit | undefined> {
    const source = this.code(sourceId);
    const target = this.code(targetId);
    await this.index.ready;
    const n = this.usage([sourceId]).codings;
    return this.editProject(
      n === 1
        ? vscode.l10n.t('Merged "{0}" into "{1}" (1 coding moved).', source.name, target.name)
        : vscode.l10n.t('Merged "{0}" into "{1}" ({2} codings moved).', source.name, target.name, n),
      (p) => mergeCodes(p, sourceId, targetId),
      (cs) => recodeCodings(cs, sourceId, targetId),
    );
  }

  /** Undoes the newest edit of the project's one history; its message, or undefined when there is none. */
  undoLast(): Promise<string | undefined> {
    return undoLast(this.session.history);
  }

  /** Undoes one given edit (the notification's button), if it has not been undone yet. */
  undo(edit: UndoableEdit): Promise<boolean> {
    return this.session.history.undoTransaction(edit.transaction);
  }

  /** Codes that could be the target of a merge or a move of `id` (not itself, not below it). */
  candidatesFor(id: string): Code[] {
    const p = this.requireProject();
    const below = new Set([id, ...descendantsOf(p, id)]);
    return p.codes.filter((c) => !below.has(c.id));
  }

  private requireProject(): ProjectFile {
    const p = this.project.project;
    if (!p) throw new Error(vscode.l10n.t('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".'));
    return p;
  }

  /** One transaction of the session: the codebook edit, and the edit of the codings it reaches. */
  private async editProject(message: string, change: (p: ProjectFile) => CodebookEdit, codings?: (cs: readonly Coding[]) => CodingsEdit): Promise<UndoableEdit | undefined> {
    return editOf(await this.session.editCodebook(message, change, codings));
  }
}
