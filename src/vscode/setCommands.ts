// Sets of documents and codes (core/sets.ts) in the editor: New Set…, Add to Set…, Remove from Set,
// Rename Set…, Delete Set, each one transaction of the session with Undo; and "Filter by Set…" of the
// Segments view. Each command takes the clicked row (a transcript or a set in the Documents view, a code
// in the Codes view), else asks; tests pass `{ setId, name, documents, codes }` to run without questions.
import * as vscode from 'vscode';
import type { Code, ProjectFile, ProjectSet } from '../core/model';
import { addSet, addToSet, deleteSet, removeFromSet, renameSet, requireSet, setsByName, setsOf } from '../core/sets';
import type { SetEdit, SetMembers } from '../core/sets';
import type { Environment } from '../core/ports';
import type { ProjectSession } from '../core/session';
import type { CommandTable } from './commands';
import type { DocumentsElement } from './documentsView';
import type { ProjectService } from './project';
import type { PersonalState } from './personalState';
import { announceUndoable, editOf } from './undo';
import type { UndoableEdit } from './undo';
import { sayNoProject } from './wayForward';
import type { WorkspaceIndex } from './workspaceIndex';

/** Set edits written to grounded.json as transactions of the project session. */
export class SetService {
  constructor(
    private readonly project: ProjectService,
    private readonly session: ProjectSession,
    private readonly index: WorkspaceIndex,
    private readonly env: Environment,
  ) {}

  get sets(): readonly ProjectSet[] {
    const p = this.project.project;
    return p ? setsByName(p) : [];
  }

  set(id: string): ProjectSet {
    return requireSet(this.requireProject(), id);
  }

  private readonly isTranscript = (path: string): boolean => this.index.transcripts.includes(path);

  async add(name: string, members: SetMembers = {}): Promise<UndoableEdit & { setId: string }> {
    let setId = '';
    const edit = await this.apply(vscode.l10n.t('Made the set "{0}".', name.trim()), (p) => {
      const r = addSet(p, name, this.env, members, this.isTranscript);
      setId = r.set.id;
      return r;
    });
    return { ...edit!, setId };
  }

  rename(id: string, name: string): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Renamed the set "{0}" to "{1}".', this.set(id).name, name.trim()), (p) => renameSet(p, id, name));
  }

  addMembers(id: string, members: SetMembers): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Added {0} to the set "{1}".', this.describe(members), this.set(id).name), (p) => addToSet(p, id, members, this.isTranscript));
  }

  removeMembers(id: string, members: SetMembers): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Removed {0} from the set "{1}".', this.describe(members), this.set(id).name), (p) => removeFromSet(p, id, members));
  }

  delete(id: string): Promise<UndoableEdit | undefined> {
    return this.apply(vscode.l10n.t('Deleted the set "{0}".', this.set(id).name), (p) => deleteSet(p, id));
  }

  /** "interviews/ola.txt", "the code "Tid"", or "3 members". */
  private describe(m: SetMembers): string {
    const docs = m.documents ?? [];
    const codes = m.codes ?? [];
    if (docs.length + codes.length !== 1) return vscode.l10n.t('{0} members', docs.length + codes.length);
    if (docs.length) return docs[0];
    return vscode.l10n.t('the code "{0}"', this.project.codeById(codes[0])?.name ?? codes[0]);
  }

  private requireProject(): ProjectFile {
    const p = this.project.project;
    if (!p) throw new Error(vscode.l10n.t('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".'));
    return p;
  }

  private async apply(message: string, change: (p: ProjectFile) => SetEdit): Promise<UndoableEdit | undefined> {
    return editOf(await this.session.editSets(message, change));
  }
}

export interface SetServices {
  project: ProjectService;
  sets: SetService;
  index: WorkspaceIndex;
  personal: PersonalState;
  session: ProjectSession;
  /** the Codes view's selection (Add to Set… on several codes) */
  selectedCodes: () => readonly Code[];
}

/** What the commands accept besides tree rows: everything optional, given values skip their question. */
interface SetArgs {
  setId?: string | null;
  name?: string;
  documents?: string[];
  codes?: string[];
}

const isCode = (v: unknown): v is Code => !!v && typeof v === 'object' && typeof (v as Code).id === 'string' && typeof (v as Code).color === 'string';
const isElement = (v: unknown): v is DocumentsElement => !!v && typeof v === 'object' && typeof (v as DocumentsElement).kind === 'string';

/** The documents and codes a command's argument names: a transcript row, a code (or the selected codes), or `{documents, codes}`. */
function membersOf(arg: unknown, selection: unknown, selectedCodes: readonly Code[]): SetMembers {
  if (Array.isArray(selection) && selection.length > 1 && selection.every(isCode)) return { codes: selection.map((c) => c.id) };
  if (isCode(arg)) return { codes: selectedCodes.length > 1 && selectedCodes.some((c) => c.id === arg.id) ? selectedCodes.map((c) => c.id) : [arg.id] };
  if (arg instanceof vscode.Uri) return {};
  if (isElement(arg)) {
    if (arg.kind === 'document' || arg.kind === 'setDocument') return { documents: [arg.path] };
    return {};
  }
  const a = (arg ?? {}) as SetArgs;
  return { documents: a.documents, codes: a.codes };
}

const isEmpty = (m: SetMembers) => !m.documents?.length && !m.codes?.length;

export function createSetCommands(s: SetServices): CommandTable {
  const done = (edit: UndoableEdit | undefined) => announceUndoable(s.session.history, edit);

  const askName = (title: string, value?: string, self?: string) =>
    vscode.window.showInputBox({
      title,
      value,
      prompt: vscode.l10n.t('The name of the set'),
      validateInput: (v) => {
        if (!v.trim()) return vscode.l10n.t('A set needs a name.');
        const other = s.sets.sets.find((k) => k.name.trim().toLowerCase() === v.trim().toLowerCase());
        return other && other.id !== self ? vscode.l10n.t('There is already a set named "{0}".', other.name) : undefined;
      },
    });

  /** The set of the argument (a set row, `{setId}`), else picked from the sets (undefined: none, or Escape). */
  const resolveSet = async (arg: unknown, title: string, among?: readonly ProjectSet[]): Promise<ProjectSet | undefined> => {
    if (isElement(arg) && (arg.kind === 'set' || arg.kind === 'setDocument')) return s.sets.set(arg.setId);
    const a = (arg ?? {}) as SetArgs;
    if (!isElement(arg) && !isCode(arg) && typeof a.setId === 'string') return s.sets.set(a.setId);
    const sets = among ?? s.sets.sets;
    if (!sets.length) {
      void vscode.window.showInformationMessage(
        among ? vscode.l10n.t('Grounded: this is in no set.') : vscode.l10n.t('Grounded: there are no sets yet. Make one with "Grounded: New Set…" (in the Documents or Codes view\'s context menu).'),
      );
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      sets.map((k) => ({ label: k.name, description: describeSet(k), set: k })),
      { title, placeHolder: vscode.l10n.t('Pick a set') },
    );
    return picked?.set;
  };

  /** Transcripts picked for a set (those it has already are left out). */
  const pickDocuments = async (set: ProjectSet): Promise<string[] | undefined> => {
    const left = s.index.transcripts.filter((p) => !set.documents.includes(p));
    if (!left.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Grounded: every transcript is in the set "{0}" already.', set.name));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      left.map((p) => ({ label: p })),
      { title: vscode.l10n.t('Grounded: Add to the Set "{0}"', set.name), canPickMany: true, placeHolder: vscode.l10n.t('Pick the transcripts to add') },
    );
    return picked?.length ? picked.map((p) => p.label) : undefined;
  };

  return {
    'grounded.newSet': async (arg?: unknown, selection?: unknown) => {
      if (!s.project.project) return sayNoProject();
      const members = membersOf(arg, selection, s.selectedCodes());
      const a = (isElement(arg) || isCode(arg) ? {} : (arg ?? {})) as SetArgs;
      const name = a.name ?? (await askName(vscode.l10n.t('Grounded: New Set')));
      if (!name) return undefined;
      const edit = await s.sets.add(name, members);
      done(edit);
      return edit.setId;
    },

    'grounded.addToSet': async (arg?: unknown, selection?: unknown) => {
      if (!s.project.project) return sayNoProject();
      let members = membersOf(arg, selection, s.selectedCodes());
      const NEW = vscode.l10n.t('New Set…');
      let set: ProjectSet | undefined;
      if (isElement(arg) && arg.kind === 'set') set = s.sets.set(arg.setId);
      else if (!isElement(arg) && !isCode(arg) && typeof (arg as SetArgs | undefined)?.setId === 'string') set = s.sets.set((arg as SetArgs).setId!);
      else {
        const picked = await vscode.window.showQuickPick(
          [...s.sets.sets.map((k) => ({ label: k.name, description: describeSet(k), set: k as ProjectSet | undefined })), { label: NEW, description: '', set: undefined }],
          { title: vscode.l10n.t('Grounded: Add to Set'), placeHolder: vscode.l10n.t('Pick a set, or make a new one') },
        );
        if (!picked) return undefined;
        if (!picked.set) return vscode.commands.executeCommand('grounded.newSet', isEmpty(members) ? undefined : { documents: members.documents, codes: members.codes });
        set = picked.set;
      }
      if (isEmpty(members)) {
        const documents = await pickDocuments(set);
        if (!documents) return undefined;
        members = { documents };
      }
      const edit = await s.sets.addMembers(set.id, members);
      if (!edit) void vscode.window.showInformationMessage(vscode.l10n.t('Grounded: the set "{0}" has these already: nothing changed.', set.name));
      done(edit);
      return set.id;
    },

    'grounded.removeFromSet': async (arg?: unknown, selection?: unknown) => {
      if (!s.project.project) return sayNoProject();
      const members = membersOf(arg, selection, s.selectedCodes());
      if (isEmpty(members)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Grounded: Remove from Set works on a transcript or a code: right-click one in a set in the Documents view, or a code in the Codes view.'));
        return undefined;
      }
      const holding = s.sets.sets.filter((k) => members.documents?.some((d) => k.documents.includes(d)) || members.codes?.some((c) => k.codes.includes(c)));
      const set = await resolveSet(arg, vscode.l10n.t('Grounded: Remove from Which Set?'), holding);
      if (!set) return undefined;
      done(await s.sets.removeMembers(set.id, members));
      return set.id;
    },

    'grounded.renameSet': async (arg?: unknown) => {
      if (!s.project.project) return sayNoProject();
      const set = await resolveSet(arg, vscode.l10n.t('Grounded: Rename Which Set?'));
      if (!set) return undefined;
      const name = (arg as SetArgs | undefined)?.name ?? (await askName(vscode.l10n.t('Grounded: Rename the Set "{0}"', set.name), set.name, set.id));
      if (!name) return undefined;
      done(await s.sets.rename(set.id, name));
      return set.id;
    },

    'grounded.deleteSet': async (arg?: unknown) => {
      if (!s.project.project) return sayNoProject();
      const set = await resolveSet(arg, vscode.l10n.t('Grounded: Delete Which Set?'));
      if (!set) return undefined;
      done(await s.sets.delete(set.id));
      return set.id;
    },

    'grounded.filterSegmentsBySet': async (arg?: SetArgs) => {
      if (!s.project.project) return sayNoProject();
      let setId: string | undefined;
      if (arg && 'setId' in arg) setId = arg.setId ?? undefined;
      else {
        const ALL = vscode.l10n.t('All documents and codes');
        const current = s.personal.get('segmentsSet');
        const picked = await vscode.window.showQuickPick(
          [
            { label: ALL, description: current ? '' : vscode.l10n.t('(shown now)'), setId: undefined as string | undefined },
            ...s.sets.sets.map((k) => ({ label: k.name, description: k.id === current ? vscode.l10n.t('(shown now)') : describeSet(k), setId: k.id as string | undefined })),
          ],
          { title: vscode.l10n.t('Grounded: Filter Segments by Set'), placeHolder: vscode.l10n.t('A document set limits the transcripts, a code set the codes') },
        );
        if (!picked) return undefined;
        setId = picked.setId;
      }
      if (setId !== undefined && !setsOf(s.project.project).some((k) => k.id === setId)) throw new Error(vscode.l10n.t('The set no longer exists (id {0}).', setId));
      await s.personal.set('segmentsSet', setId);
      return setId;
    },
  };
}

/** "3 documents · 2 codes". */
export function describeSet(set: ProjectSet): string {
  const d = set.documents.length;
  const c = set.codes.length;
  const docs = d === 1 ? vscode.l10n.t('1 document') : vscode.l10n.t('{0} documents', d);
  const codes = c === 1 ? vscode.l10n.t('1 code') : vscode.l10n.t('{0} codes', c);
  if (d && c) return `${docs} · ${codes}`;
  if (c) return codes;
  return docs;
}
