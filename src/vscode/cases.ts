// Case edits written to grounded.json as transactions of the project session: each is undone by putting
// back exactly the case records it changed (by id, so edits made after it are kept), on the one history
// that the Codes view, the board and the editor share.
import * as vscode from 'vscode';
import type { CaseEdit, ImportSummary } from '../core/cases';
import {
  addCase,
  assignDocument,
  deleteCase,
  mergeCases,
  parseCasesCsv,
  removeAttribute,
  removeDocument,
  renameCase,
  requireCase,
  setAttribute,
} from '../core/cases';
import type { Case, ProjectFile } from '../core/model';
import type { Environment } from '../core/ports';
import { systemEnvironment } from '../core/ports';
import type { ProjectSession } from '../core/session';
import type { ProjectService } from './project';
import { editOf, undoLast } from './undo';
import type { UndoableEdit } from './undo';

export class CaseService {
  constructor(
    private readonly project: ProjectService,
    private readonly session: ProjectSession,
    private readonly env: Environment = systemEnvironment,
  ) {}

  get cases(): readonly Case[] {
    return this.project.project?.cases ?? [];
  }

  case(id: string): Case {
    return requireCase(this.requireProject(), id);
  }

  async add(pseudonym: string): Promise<UndoableEdit & { caseId: string }> {
    let caseId = '';
    const edit = await this.apply(vscode.l10n.t('Added the case "{0}".', pseudonym.trim()), (p) => {
      const r = addCase(p, pseudonym, this.env);
      caseId = r.case.id;
      return r;
    });
    return { ...edit!, caseId };
  }

  rename(id: string, pseudonym: string): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Renamed the case "{0}" to "{1}".', this.case(id).pseudonym, pseudonym.trim()), (p) => renameCase(p, id, pseudonym));
  }

  setAttribute(id: string, name: string, value: string): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Set {0} of "{1}" to "{2}".', name.trim(), this.case(id).pseudonym, value.trim()), (p) => setAttribute(p, id, name, value));
  }

  removeAttribute(id: string, name: string): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Removed {0} from "{1}".', name, this.case(id).pseudonym), (p) => removeAttribute(p, id, name));
  }

  async assign(id: string, path: string): Promise<UndoableEdit | undefined> {
    const c = this.case(id);
    const from = assignDocument(this.requireProject(), id, path).from;
    const message = from
      ? vscode.l10n.t('Assigned {0} to "{1}" (it was {2}\'s).', path, c.pseudonym, from.pseudonym)
      : vscode.l10n.t('Assigned {0} to "{1}".', path, c.pseudonym);
    return this.apply(message, (p) => assignDocument(p, id, path));
  }

  unassign(id: string, path: string): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Removed {0} from "{1}".', path, this.case(id).pseudonym), (p) => removeDocument(p, id, path));
  }

  delete(id: string): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Deleted the case "{0}".', this.case(id).pseudonym), (p) => deleteCase(p, id));
  }

  /**
   * Imports a cases CSV text (see core/cases.ts parseCasesCsv). A file that does not parse throws a
   * CsvError and nothing is written. The edit is undefined when the file changed nothing.
   */
  async importCsv(text: string, file: string, isTranscript: (path: string) => boolean): Promise<{ summary: ImportSummary; edit?: UndoableEdit }> {
    const { rows } = parseCasesCsv(text);
    let summary = mergeCases(this.requireProject(), rows, this.env, isTranscript).summary;
    const edit = await this.apply(vscode.l10n.t('Imported cases from {0}.', file), (p) => {
      const r = mergeCases(p, rows, this.env, isTranscript);
      summary = r.summary;
      return r;
    });
    return { summary, edit };
  }

  /** Writes settings.excludedSpeakers (sorted, unique; none: the key is removed). */
  async setExcludedSpeakers(speakers: readonly string[]): Promise<UndoableEdit | undefined> {
    const wanted = [...new Set(speakers.map((s) => s.trim()).filter(Boolean))];
    const message = wanted.length
      ? vscode.l10n.t('Left out of the analysis: {0}.', [...wanted].sort((x, y) => x.localeCompare(y)).join(', '))
      : vscode.l10n.t('Every speaker counts in the analysis again.');
    return editOf(await this.session.setExcludedSpeakers(message, wanted));
  }

  /** Undoes the newest edit of the project's one history. */
  undoLast(): Promise<string | undefined> {
    return undoLast(this.session.history);
  }

  undo(edit: UndoableEdit): Promise<boolean> {
    return this.session.history.undoTransaction(edit.transaction);
  }

  private requireProject(): ProjectFile {
    const p = this.project.project;
    if (!p) throw new Error(vscode.l10n.t('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".'));
    return p;
  }

  /** One transaction of the session; undefined when the edit changes nothing. */
  private async apply(message: string, change: (p: ProjectFile) => CaseEdit): Promise<UndoableEdit | undefined> {
    return editOf(await this.session.editCases(message, change));
  }
}
