// Commands of relations (theoretical coding): add, edit, delete a relation and open its memo; define,
// edit and delete relation types; add a coding to a relation's evidence (from the editor or the Segments
// view) and remove it. Every edit is one transaction of the project session (core/session.ts
// editRelations), so Grounded's Undo takes it back. Each command takes the element it was invoked on
// (context menu), else the view's selection, else asks; tests can pass `{ relationId, ... }` to run it
// without questions.
import * as vscode from 'vscode';
import type { RelationRow } from '../core/analysis';
import { relationRows } from '../core/analysis';
import type { Code, Coding, ProjectFile, RelationDirection, RelationType } from '../core/model';
import type { Environment } from '../core/ports';
import { codePath, nameKey } from '../core/project';
import { codingsAt } from '../core/query';
import {
  changeEvidence,
  deleteRelation,
  deleteRelationType,
  editRelation,
  editRelationType,
  isBuiltinRelationType,
  relationKey,
  relationTypeOf,
  relationTypesOf,
  relationsOf,
} from '../core/relations';
import type { RelationChanges } from '../core/relations';
import { ensureCoder } from './coder';
import type { CodingService } from './codings';
import type { CommandTable } from './commands';
import { lineIndexOf } from './convert';
import { ActionableError, notify } from './errors';
import type { MemoService } from './memos';
import type { ProjectService } from './project';
import { relationText, relationTitle } from './relationsView';
import type { RelationsElement, RelationsView } from './relationsView';
import type { EditorSession } from './session';
import { announceUndoable, editOf } from './undo';
import type { WorkspaceFileSystem } from './workspaceFs';

export interface RelationServices {
  project: ProjectService;
  session: EditorSession;
  codings: CodingService;
  memos: MemoService;
  fs: WorkspaceFileSystem;
  view: RelationsView;
  env: Environment;
}

interface RelationArgs {
  relationId?: string;
}
interface AddArgs {
  sourceId?: string;
  typeId?: string;
  targetId?: string;
  label?: string;
}
interface EditArgs extends RelationArgs {
  typeId?: string;
  label?: string;
  swap?: boolean;
}
interface TypeArgs {
  typeId?: string;
  name?: string;
  direction?: RelationDirection;
  transitive?: boolean;
}
interface EvidenceArgs extends RelationArgs {
  codingId?: string;
  path?: string;
}

const isCode = (v: unknown): v is Code => !!v && typeof v === 'object' && typeof (v as Code).id === 'string' && typeof (v as Code).color === 'string';
const isElement = (v: unknown): v is RelationsElement =>
  !!v && typeof v === 'object' && ((v as RelationsElement).kind === 'relation' || (v as RelationsElement).kind === 'evidence') && typeof (v as RelationsElement).relationId === 'string';
/** A row of the Segments view (grounded.segment): a coding with its transcript. */
const isSegment = (v: unknown): v is { kind: 'segment'; path: string; coding: Coding } =>
  !!v && typeof v === 'object' && (v as { kind?: string }).kind === 'segment' && typeof (v as { path?: unknown }).path === 'string' && !!(v as { coding?: unknown }).coding;

const addRelationAction = () => ({ title: vscode.l10n.t('Add Relation…'), run: () => vscode.commands.executeCommand('grounded.addRelation') });
const showRelationsAction = () => ({ title: vscode.l10n.t('Show Relations'), run: () => vscode.commands.executeCommand('grounded.relations.focus') });

export function createRelationCommands(s: RelationServices): CommandTable {
  const requireProject = (): ProjectFile => {
    const p = s.project.project;
    if (!p) {
      throw new ActionableError(vscode.l10n.t('This folder has no Grounded project yet: initialize one, code transcripts, then relate their codes.'), [
        { title: vscode.l10n.t('Initialize Project'), run: () => vscode.commands.executeCommand('grounded.initializeProject') },
      ]);
    }
    return p;
  };
  const history = () => s.session.session.history;
  const codeName = (p: ProjectFile, id: string) => p.codes.find((c) => c.id === id)?.name ?? id;
  /** "source — type → target" of a relation of the project as it is. */
  const titleOf = (p: ProjectFile, relationId: string): string => {
    const r = relationsOf(p).find((x) => x.id === relationId);
    if (!r) return relationId;
    return relationText(codeName(p, r.source), relationTypeOf(p, r.type) ?? { name: r.type, direction: 'one-way' }, codeName(p, r.target));
  };
  const rows = (): RelationRow[] => {
    const analysis = s.session.analysis();
    return analysis ? relationRows(analysis) : [];
  };
  /** One edit of the relations, announced with its Undo. */
  const edit = async (label: string, change: (p: ProjectFile) => ProjectFile) => {
    const edited = editOf(await s.session.session.editRelations(label, change));
    announceUndoable(history(), edited);
    return edited;
  };

  /** The code picked from the codebook (all but `except`), categories and codes alike. */
  const pickCode = async (p: ProjectFile, title: string, except?: string): Promise<Code | undefined> => {
    const parents = new Set(p.codes.map((c) => c.parent).filter(Boolean));
    const items = p.codes
      .filter((c) => c.id !== except)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => {
        const path = codePath(p, c.id);
        const where = path.length > 1 ? path.slice(0, -1).join(' › ') : undefined;
        return { label: `$(${parents.has(c.id) ? 'folder' : 'tag'}) ${c.name}`, description: [parents.has(c.id) ? vscode.l10n.t('category') : undefined, where].filter(Boolean).join(' · '), code: c };
      });
    const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
    return picked?.code;
  };

  /** The relation a command applies to: the clicked row, args, the view's selection, else picked. */
  const relationOf = async (arg: unknown, title: string): Promise<string | undefined> => {
    const p = requireProject();
    let id = isElement(arg) ? arg.relationId : arg && typeof arg === 'object' && typeof (arg as RelationArgs).relationId === 'string' ? (arg as RelationArgs).relationId : undefined;
    id ??= s.view.view.selection[0]?.relationId;
    if (id) {
      if (!relationsOf(p).some((r) => r.id === id)) throw new Error(vscode.l10n.t('The relation no longer exists (id {0}).', id));
      return id;
    }
    const all = rows();
    if (all.length === 0) throw noRelations();
    const picked = await vscode.window.showQuickPick(
      all.map((row) => ({ label: relationTitle(row), description: row.relation.label, id: row.relation.id })),
      { title, matchOnDescription: true },
    );
    return picked?.id;
  };
  const noRelations = () =>
    new ActionableError(vscode.l10n.t('There are no relations yet. Relate two codes or categories first with "Add Relation…" (also in the Codes view\'s context menu).'), [addRelationAction()]);

  /** A relation type picked from every type (built in and the project's), or a new one defined on the spot. */
  const pickType = async (p: ProjectFile, title: string, current?: string): Promise<RelationType | undefined> => {
    const defineNew = { label: vscode.l10n.t('$(add) New Relation Type…'), description: '', type: undefined as RelationType | undefined };
    const items = [
      ...relationTypesOf(p).map((t) => ({ label: t.name, description: describeType(t, t.id === current), type: t as RelationType | undefined })),
      defineNew,
    ];
    const picked = await vscode.window.showQuickPick(items, { title });
    if (!picked) return undefined;
    if (picked.type) return picked.type;
    const id = (await defineType({})) as string | undefined;
    return id ? relationTypeOf(requireProject(), id) : undefined;
  };

  /** Define Relation Type…: its name, direction and transitivity (asked unless given). Returns its id. */
  const defineType = async (args: TypeArgs): Promise<string | undefined> => {
    const p = requireProject();
    const name =
      args.name ??
      (await vscode.window.showInputBox({
        title: vscode.l10n.t('Grounded: Define Relation Type'),
        prompt: vscode.l10n.t('The name of the relation type, read between the two codes (for example "is a condition of")'),
        validateInput: (v) => validateTypeName(p, v),
      }));
    if (!name) return undefined;
    const direction = args.direction ?? (await pickDirection(vscode.l10n.t('Grounded: How does "{0}" read?', name.trim())));
    if (!direction) return undefined;
    const transitive = args.transitive ?? (await pickTransitive(vscode.l10n.t('Grounded: Is "{0}" transitive?', name.trim())));
    if (transitive === undefined) return undefined;
    const problem = validateTypeName(p, name);
    if (problem) throw new ActionableError(problem);
    const { type, transaction } = await s.session.session.defineRelationType({ name, direction, transitive }, vscode.l10n.t('Defined the relation type "{0}".', name.trim()));
    announceUndoable(history(), editOf(transaction));
    return type.id;
  };

  /** The coding a command of evidence applies to: the Segments view's row, args, else the one at the cursor. */
  const codingOf = async (arg: unknown): Promise<{ coding: Coding; path: string } | undefined> => {
    if (isSegment(arg)) return { coding: arg.coding, path: arg.path };
    const given = arg && typeof arg === 'object' ? (arg as EvidenceArgs) : undefined;
    if (given?.codingId) {
      for (const doc of s.session.analysis()?.documents ?? []) {
        const coding = doc.codings.find((c) => c.id === given.codingId);
        if (coding && (!given.path || given.path === doc.path)) return { coding, path: doc.path };
      }
      throw new Error(vscode.l10n.t('No coding with id {0} in the project.', given.codingId));
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor || !s.codings.isTranscript(editor.document.uri)) {
      throw new ActionableError(
        vscode.l10n.t('Put the cursor in coded words of a transcript, or right-click a segment in the Segments view, to add it as evidence for a relation.'),
      );
    }
    const path = s.fs.relative(editor.document.uri);
    if (path === undefined) throw new Error(vscode.l10n.t('This transcript is outside the workspace folder: open it from the folder of the project.'));
    await s.codings.load(editor.document);
    const index = lineIndexOf(editor.document);
    const here = codingsAt(s.codings.visible(editor.document.uri) ?? [], index.offsetAt(editor.selection.start), index.offsetAt(editor.selection.end));
    if (here.length === 0) {
      notify('info', vscode.l10n.t('Grounded: there is no coding at the cursor. Put the cursor in highlighted words, or select them, and try again.'));
      return undefined;
    }
    if (here.length === 1) return { coding: here[0], path };
    const p = requireProject();
    const picked = await vscode.window.showQuickPick(
      here.map((c) => ({ label: codeName(p, c.codeId), description: `${c.coder}, ${c.created.slice(0, 10)}`, detail: `“${c.anchor.quote.length > 120 ? `${c.anchor.quote.slice(0, 120)}…` : c.anchor.quote}”`, coding: c })),
      { title: vscode.l10n.t('Grounded: Which coding is the evidence?'), matchOnDetail: true },
    );
    return picked && { coding: picked.coding, path };
  };

  return {
    'grounded.addRelation': async (arg?: Code | AddArgs) => {
      const p = requireProject();
      if (p.codes.length < 2) {
        throw new ActionableError(vscode.l10n.t('A relation joins two codes or categories, and the codebook has fewer than two. Code some transcripts first.'), [
          { title: vscode.l10n.t('New Code…'), run: () => vscode.commands.executeCommand('grounded.newCode') },
        ]);
      }
      const args = isCode(arg) ? { sourceId: arg.id } : (arg ?? {});
      const source = args.sourceId ? s.project.codeById(args.sourceId) : await pickCode(p, vscode.l10n.t('Grounded: Add Relation: from which code or category?'));
      if (!source) {
        if (args.sourceId) throw new Error(vscode.l10n.t('No code with the id {0} in the codebook.', args.sourceId));
        return undefined;
      }
      const type = args.typeId ? relationTypeOf(p, args.typeId) : await pickType(p, vscode.l10n.t('Grounded: "{0}" … which relation?', source.name));
      if (!type) {
        if (args.typeId) throw new Error(vscode.l10n.t('No relation type with the id {0}.', args.typeId));
        return undefined;
      }
      const target = args.targetId ? s.project.codeById(args.targetId) : await pickCode(requireProject(), vscode.l10n.t('Grounded: "{0}" {1} …', source.name, type.name), source.id);
      if (!target) {
        if (args.targetId) throw new Error(vscode.l10n.t('No code with the id {0} in the codebook.', args.targetId));
        return undefined;
      }
      if (target.id === source.id) throw new ActionableError(vscode.l10n.t('A relation joins two different codes: "{0}" cannot be related to itself.', source.name));
      const now = requireProject();
      const key = relationKey(now, { source: source.id, target: target.id, type: type.id });
      if (relationsOf(now).some((r) => relationKey(now, r) === key)) {
        throw new ActionableError(vscode.l10n.t('"{0}" {1} "{2}" is already a relation: add evidence to it or edit it instead.', source.name, type.name, target.name), [showRelationsAction()]);
      }
      const label =
        args.label ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('Grounded: "{0}" {1} "{2}"', source.name, type.name, target.name),
          prompt: vscode.l10n.t('A label for the relation, in your words (optional: Enter without one)'),
        }));
      if (label === undefined) return undefined;
      const coder = await ensureCoder();
      if (!coder) return undefined;
      const { relation, transaction } = await s.session.session.addRelation(
        { source: source.id, target: target.id, type: type.id, label },
        coder,
        vscode.l10n.t('Related "{0}" {1} "{2}".', source.name, type.name, target.name),
      );
      announceUndoable(history(), editOf(transaction));
      return relation.id;
    },

    'grounded.editRelation': async (arg?: RelationsElement | EditArgs) => {
      const id = await relationOf(arg, vscode.l10n.t('Grounded: Edit which relation?'));
      if (!id) return;
      const p = requireProject();
      const relation = relationsOf(p).find((r) => r.id === id)!;
      const type = relationTypeOf(p, relation.type);
      const given = !isElement(arg) && arg ? arg : {};
      const changes: RelationChanges = {};
      if (given.typeId !== undefined || given.label !== undefined || given.swap) {
        if (given.typeId !== undefined) changes.type = given.typeId;
        if (given.label !== undefined) changes.label = given.label;
        if (given.swap) Object.assign(changes, { source: relation.target, target: relation.source });
      } else {
        const actions = [
          { label: vscode.l10n.t('$(symbol-enum) Change Type…'), what: 'type' as const },
          { label: relation.label ? vscode.l10n.t('$(edit) Change Label…') : vscode.l10n.t('$(edit) Add Label…'), what: 'label' as const },
          ...(type?.direction === 'one-way' ? [{ label: vscode.l10n.t('$(arrow-swap) Swap Direction'), what: 'swap' as const }] : []),
        ];
        const action = await vscode.window.showQuickPick(actions, { title: vscode.l10n.t('Grounded: Edit "{0}"', titleOf(p, id)) });
        if (!action) return;
        if (action.what === 'type') {
          const picked = await pickType(p, vscode.l10n.t('Grounded: Another type for "{0}"', titleOf(p, id)), relation.type);
          if (!picked) return;
          changes.type = picked.id;
        } else if (action.what === 'label') {
          const label = await vscode.window.showInputBox({
            title: vscode.l10n.t('Grounded: Label of "{0}"', titleOf(p, id)),
            prompt: vscode.l10n.t('A label for the relation, in your words (empty: no label)'),
            value: relation.label ?? '',
          });
          if (label === undefined) return;
          changes.label = label;
        } else Object.assign(changes, { source: relation.target, target: relation.source });
      }
      const before = titleOf(p, id);
      const done = await edit(vscode.l10n.t('Edited the relation "{0}".', before), (q) => editRelation(q, id, changes, s.env));
      if (!done) vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: the relation is unchanged.'), 4000);
    },

    'grounded.deleteRelation': async (arg?: RelationsElement | RelationArgs) => {
      // Delete on an evidence row (the key in the Relations view) takes that evidence out, not the relation.
      const selected = s.view.view.selection[0];
      if (arg === undefined && selected?.kind === 'evidence') {
        const title = titleOf(requireProject(), selected.relationId);
        await edit(vscode.l10n.t('Removed evidence from "{0}".', title), (p) => changeEvidence(p, selected.relationId, [selected.codingId], s.env, true));
        return;
      }
      const id = await relationOf(arg, vscode.l10n.t('Grounded: Delete which relation?'));
      if (!id) return;
      const title = titleOf(requireProject(), id);
      await edit(vscode.l10n.t('Deleted the relation "{0}".', title), (p) => deleteRelation(p, id));
    },

    /** A relation shown in the Relations view, opened on its evidence (the theory map's Show Evidence). */
    'grounded.showRelation': async (arg?: RelationArgs) => {
      const id = arg?.relationId;
      if (!id || !(await s.view.reveal(id))) throw new Error(vscode.l10n.t('The relation no longer exists (deleted or undone).'));
      return true;
    },
    'grounded.openRelationMemo': async (arg?: RelationsElement | RelationArgs) => {
      const id = await relationOf(arg, vscode.l10n.t('Grounded: Open the memo of which relation?'));
      if (!id) return undefined;
      const target = { kind: 'relation' as const, id };
      await s.memos.ready;
      let path = s.memos.about(target)[0]?.path;
      if (!path) {
        const author = await ensureCoder();
        if (!author) return undefined;
        const title = titleOf(requireProject(), id);
        path = (await s.memos.create(target, title, `# ${title}\n\n`, author)).path;
      }
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(s.fs.uri(path)));
      return path;
    },

    'grounded.defineRelationType': (args?: TypeArgs) => defineType(args ?? {}),

    'grounded.editRelationType': async (args?: TypeArgs) => {
      const p = requireProject();
      const type = args?.typeId ? relationTypeOf(p, args.typeId) : await pickExistingType(p, relationTypesOf(p), vscode.l10n.t('Grounded: Edit which relation type?'));
      if (!type) {
        if (args?.typeId) throw new Error(vscode.l10n.t('No relation type with the id {0}.', args.typeId));
        return;
      }
      const changes: TypeArgs = {};
      if (args && (args.name !== undefined || args.direction !== undefined || args.transitive !== undefined)) Object.assign(changes, { name: args.name, direction: args.direction, transitive: args.transitive });
      else {
        const actions = [
          { label: vscode.l10n.t('$(edit) Rename…'), what: 'name' as const },
          { label: type.direction === 'symmetric' ? vscode.l10n.t('$(arrow-right) Make One-Way') : vscode.l10n.t('$(arrow-both) Make Symmetric'), what: 'direction' as const },
          { label: type.transitive ? vscode.l10n.t('$(circle-slash) Make Not Transitive') : vscode.l10n.t('$(type-hierarchy) Make Transitive'), what: 'transitive' as const },
        ];
        const action = await vscode.window.showQuickPick(actions, { title: vscode.l10n.t('Grounded: Edit the relation type "{0}"', type.name), placeHolder: describeType(type) });
        if (!action) return;
        if (action.what === 'name') {
          const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Grounded: Rename the relation type "{0}"', type.name), value: type.name, validateInput: (v) => validateTypeName(p, v, type.id) });
          if (!name) return;
          changes.name = name;
        } else if (action.what === 'direction') changes.direction = type.direction === 'symmetric' ? 'one-way' : 'symmetric';
        else changes.transitive = !type.transitive;
      }
      const clean = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      const done = await edit(vscode.l10n.t('Edited the relation type "{0}".', type.name), (q) => editRelationType(q, type.id, clean, s.env));
      if (!done) vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: the relation type is unchanged.'), 4000);
    },

    'grounded.deleteRelationType': async (args?: TypeArgs) => {
      const p = requireProject();
      const own = p.relationTypes ?? [];
      let type: RelationType | undefined;
      if (args?.typeId) {
        type = relationTypeOf(p, args.typeId);
        if (!type) throw new Error(vscode.l10n.t('No relation type with the id {0}.', args.typeId));
      } else {
        if (own.length === 0) {
          throw new ActionableError(vscode.l10n.t('The project has only the built-in relation types, and they cannot be deleted (they can be renamed with "Edit Relation Type…"). Define your own with "Define Relation Type…".'), [
            { title: vscode.l10n.t('Define Relation Type…'), run: () => vscode.commands.executeCommand('grounded.defineRelationType') },
          ]);
        }
        type = await pickExistingType(p, relationTypesOf(p).filter((t) => own.some((o) => o.id === t.id)), vscode.l10n.t('Grounded: Delete which relation type?'));
        if (!type) return;
      }
      const builtin = isBuiltinRelationType(type.id);
      if (builtin && !own.some((t) => t.id === type.id)) {
        throw new ActionableError(vscode.l10n.t('"{0}" is built in: it can be renamed (Edit Relation Type…) but not deleted.', type.name));
      }
      const used = relationsOf(p).filter((r) => r.type === type.id).length;
      if (used && !builtin) {
        throw new ActionableError(
          used === 1
            ? vscode.l10n.t('"{0}" is the type of 1 relation: give it another type (Edit Relation…) or delete it first.', type.name)
            : vscode.l10n.t('"{0}" is the type of {1} relations: give them another type (Edit Relation…) or delete them first.', type.name, used),
          [showRelationsAction()],
        );
      }
      const label = builtin ? vscode.l10n.t('Reset the relation type "{0}" to the built-in one.', type.name) : vscode.l10n.t('Deleted the relation type "{0}".', type.name);
      await edit(label, (q) => deleteRelationType(q, type.id));
    },

    'grounded.addEvidence': async (arg?: unknown) => {
      const p = requireProject();
      if (relationsOf(p).length === 0) throw noRelations();
      const found = await codingOf(arg);
      if (!found) return undefined;
      const { coding } = found;
      const given = arg && typeof arg === 'object' && !isSegment(arg) ? (arg as EvidenceArgs) : {};
      let relationId = given.relationId;
      if (!relationId) {
        // The relations of the coding's code, or of a category above it, first.
        const near = new Set([coding.codeId, ...ancestorsOf(p, coding.codeId)]);
        const all = rows();
        const own = all.filter((r) => near.has(r.relation.source) || near.has(r.relation.target));
        const others = all.filter((r) => !own.includes(r));
        const item = (row: RelationRow) => ({
          label: relationTitle(row),
          description: [row.relation.label, row.relation.evidence?.includes(coding.id) ? vscode.l10n.t('already evidence') : undefined].filter(Boolean).join(' · '),
          id: row.relation.id,
        });
        const sep = (label: string) => ({ label, kind: vscode.QuickPickItemKind.Separator, description: '', id: '' });
        const items = [
          ...(own.length ? [sep(vscode.l10n.t('Relations of "{0}"', codeName(p, coding.codeId))), ...own.map(item)] : []),
          ...(others.length ? [sep(vscode.l10n.t('Other relations')), ...others.map(item)] : []),
        ];
        const picked = await vscode.window.showQuickPick(items, {
          title: vscode.l10n.t('Grounded: Add "{0}" as Evidence for Which Relation?', shortQuote(coding.anchor.quote)),
          matchOnDescription: true,
        });
        if (!picked) return undefined;
        relationId = picked.id;
      }
      const relation = relationsOf(requireProject()).find((r) => r.id === relationId);
      if (!relation) throw new Error(vscode.l10n.t('The relation no longer exists (id {0}).', relationId));
      const title = titleOf(requireProject(), relationId);
      if (relation.evidence?.includes(coding.id)) {
        notify('info', vscode.l10n.t('Grounded: this coding is already evidence for "{0}".', title));
        return relationId;
      }
      const id = relationId;
      await edit(vscode.l10n.t('Added evidence to "{0}".', title), (q) => changeEvidence(q, id, [coding.id], s.env));
      return relationId;
    },

    'grounded.removeEvidence': async (arg?: RelationsElement | EvidenceArgs) => {
      const p = requireProject();
      let relationId: string | undefined;
      let codingId: string | undefined;
      if (isElement(arg) && arg.kind === 'evidence') ({ relationId, codingId } = arg);
      else if (arg && !isElement(arg)) ({ relationId, codingId } = arg);
      if (!codingId) {
        const withEvidence = rows().filter((r) => (r.relation.evidence ?? []).length > 0);
        if (relationsOf(p).length === 0) throw noRelations();
        if (withEvidence.length === 0) {
          throw new ActionableError(vscode.l10n.t('No relation has evidence yet. Add some with "Add as Evidence for Relation…" on coded words or on a segment.'));
        }
        const row = relationId
          ? withEvidence.find((r) => r.relation.id === relationId)
          : (await vscode.window.showQuickPick(
              withEvidence.map((r) => ({ label: relationTitle(r), description: r.relation.label, row: r })),
              { title: vscode.l10n.t('Grounded: Remove evidence from which relation?') },
            ))?.row;
        if (!row) return;
        relationId = row.relation.id;
        const picked = await vscode.window.showQuickPick(
          row.evidence.map((e) => ({ label: `“${shortQuote(e.coding.anchor.quote)}”`, description: e.path, id: e.coding.id })),
          { title: vscode.l10n.t('Grounded: Remove which evidence from "{0}"?', relationTitle(row)) },
        );
        if (!picked) return;
        codingId = picked.id;
      }
      if (!relationId) throw noRelations();
      const id = relationId;
      const gone = codingId;
      await edit(vscode.l10n.t('Removed evidence from "{0}".', titleOf(p, id)), (q) => changeEvidence(q, id, [gone], s.env, true));
    },
  };
}

function shortQuote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 60)}…` : one;
}

/** The categories above a code, nearest first. */
function ancestorsOf(p: ProjectFile, id: string): string[] {
  const out: string[] = [];
  let at = p.codes.find((c) => c.id === id)?.parent;
  while (at && !out.includes(at)) {
    out.push(at);
    at = p.codes.find((c) => c.id === at)?.parent;
  }
  return out;
}

/** How a type reads: its direction and whether it is transitive (and whether it is the current one). */
function describeType(t: RelationType, current = false): string {
  const parts = [t.direction === 'symmetric' ? vscode.l10n.t('symmetric') : vscode.l10n.t('one-way')];
  if (t.transitive) parts.push(vscode.l10n.t('transitive'));
  if (isBuiltinRelationType(t.id)) parts.push(vscode.l10n.t('built in'));
  if (current) parts.push(vscode.l10n.t('current'));
  return parts.join(' · ');
}

function validateTypeName(p: ProjectFile, value: string, self?: string): string | undefined {
  const name = value.trim();
  if (!name) return vscode.l10n.t('A relation type needs a name.');
  const clash = relationTypesOf(p).find((t) => t.id !== self && nameKey(t.name) === nameKey(name));
  return clash ? vscode.l10n.t('There is already a relation type named "{0}".', clash.name) : undefined;
}

async function pickExistingType(p: ProjectFile, types: readonly RelationType[], title: string): Promise<RelationType | undefined> {
  const picked = await vscode.window.showQuickPick(
    types.map((t) => {
      const used = relationsOf(p).filter((r) => r.type === t.id).length;
      return { label: t.name, description: [describeType(t), used === 1 ? vscode.l10n.t('1 relation') : vscode.l10n.t('{0} relations', used)].join(' · '), type: t };
    }),
    { title },
  );
  return picked?.type;
}

async function pickDirection(title: string): Promise<RelationDirection | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('$(arrow-right) One-way'), description: vscode.l10n.t('reads from the first code to the second ("is cause of")'), direction: 'one-way' as const },
      { label: vscode.l10n.t('$(arrow-both) Symmetric'), description: vscode.l10n.t('reads the same both ways ("contradicts")'), direction: 'symmetric' as const },
    ],
    { title },
  );
  return picked?.direction;
}

async function pickTransitive(title: string): Promise<boolean | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      { label: vscode.l10n.t('Not transitive'), description: vscode.l10n.t('A related to B and B to C says nothing about A and C'), transitive: false },
      { label: vscode.l10n.t('Transitive'), description: vscode.l10n.t('A related to B and B to C means A is related to C ("is part of")'), transitive: true },
    ],
    { title },
  );
  return picked?.transitive;
}

