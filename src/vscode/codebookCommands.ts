// Commands of the Codes view: new code, rename, recolour, describe, move, delete, merge, sort, undo.
// Each takes the tree element it was invoked on (context menu), else the view's selection (keyboard),
// else asks; tests and other extensions can pass `{ codeId, ... }` to run it without questions.
import * as vscode from 'vscode';
import type { Code } from '../core/model';
import { CODE_PALETTE, COLOR_PATTERN } from '../core/project';
import type { CodebookService, UndoableEdit } from './codebook';
import { ActionableError } from './errors';
import { announceUndoable } from './undo';
import type { CodesView } from './codesView';
import { ensureCoder } from './coder';
import type { ProjectService } from './project';
import type { CommandTable } from './commands';
import { relationsOfCodes } from '../core/relations';

export interface CodebookServices {
  project: ProjectService;
  codebook: CodebookService;
  view: CodesView;
}

interface CodeArgs {
  codeId?: string;
}

/** The notification after a codebook edit, with its Undo button. */
export function announce(codebook: CodebookService, edit: UndoableEdit | undefined): void {
  announceUndoable(codebook.history, edit);
}

function isCode(value: unknown): value is Code {
  return !!value && typeof value === 'object' && typeof (value as Code).id === 'string' && typeof (value as Code).color === 'string';
}

export function createCodebookCommands(s: CodebookServices): CommandTable {
  /** The codes a command applies to: the clicked element (or the multi-selection it belongs to), args, the view's selection. */
  const targets = (arg: unknown, selected?: unknown): string[] => {
    if (Array.isArray(selected) && selected.length > 1 && selected.every(isCode)) return selected.map((c) => c.id);
    if (isCode(arg)) return [arg.id];
    if (arg && typeof arg === 'object' && typeof (arg as CodeArgs).codeId === 'string') return [(arg as CodeArgs).codeId!];
    return s.view.view.selection.map((c) => c.id);
  };
  /** The code a command applies to: the clicked or selected one, else picked from the codebook. */
  const one = async (arg: unknown, title: string): Promise<Code | undefined> => {
    const [id] = targets(arg);
    if (id) return s.codebook.code(id);
    return pickCode(s.project.project?.codes ?? [], title);
  };
  const done = (edit: UndoableEdit | undefined) => announce(s.codebook, edit);

  return {
    'grounded.newCode': async (arg?: Code | { name?: string; parentId?: string }) => {
      const parent = isCode(arg) ? arg : arg?.parentId ? s.codebook.code(arg.parentId) : undefined;
      const coder = await ensureCoder(); // recorded on the code; asked before its name is typed
      if (!coder) return undefined;
      const name =
        (!isCode(arg) && arg?.name) ||
        (await vscode.window.showInputBox({
          title: parent ? vscode.l10n.t('Grounded: New Subcode of "{0}"', parent.name) : vscode.l10n.t('Grounded: New Code'),
          prompt: vscode.l10n.t('The name of the code'),
          validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A code needs a name.')),
        }));
      if (!name) return undefined;
      const created = await s.codebook.newCode(name, parent?.id, coder);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: {0}', created.message), 4000);
      await s.view.reveal(created.codeId, { focus: false }).then(undefined, () => undefined);
      return created.codeId;
    },

    'grounded.renameCode': async (arg?: Code | (CodeArgs & { name?: string })) => {
      const code = await one(arg, vscode.l10n.t('Rename which code?'));
      if (!code) return;
      const name =
        (!isCode(arg) && arg?.name) ||
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('Grounded: Rename "{0}"', code.name),
          value: code.name,
          validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('A code needs a name.')),
        }));
      if (!name) return;
      if (name.trim() === code.name) {
        vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: the name is unchanged.'), 4000);
        return;
      }
      done(await s.codebook.rename(code.id, name));
    },

    'grounded.recolorCode': async (arg?: Code | (CodeArgs & { color?: string })) => {
      const code = await one(arg, vscode.l10n.t('Recolour which code?'));
      if (!code) return;
      const color = (!isCode(arg) && arg?.color) || (await pickColor(code));
      if (!color) return;
      done(await s.codebook.recolor(code.id, color));
    },

    'grounded.editCodeDescription': async (arg?: Code | (CodeArgs & { description?: string })) => {
      const code = await one(arg, vscode.l10n.t('Describe which code?'));
      if (!code) return;
      const given = !isCode(arg) ? arg?.description : undefined;
      const description =
        given ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('Grounded: Description of "{0}"', code.name),
          prompt: vscode.l10n.t('What the code means and when it applies (empty: no description)'),
          value: code.description ?? '',
        }));
      if (description === undefined) return;
      done(await s.codebook.describe(code.id, description));
    },

    'grounded.deleteCode': async (arg?: Code | (CodeArgs & { confirm?: boolean }), selected?: Code[]) => {
      let ids = targets(arg, selected);
      if (ids.length === 0) {
        const code = await pickCode(s.project.project?.codes ?? [], vscode.l10n.t('Delete which code?'));
        if (!code) return;
        ids = [code.id];
      }
      const names = ids.map((id) => `"${s.codebook.code(id).name}"`).join(', ');
      const { codings, documents } = s.codebook.usage(ids);
      const confirm = !(arg && !isCode(arg) && arg.confirm === false);
      if (confirm) {
        const del = vscode.l10n.t('Delete');
        let detail =
          codings > 0
            ? vscode.l10n.t('{0} coding(s) in {1} transcript(s) will be removed. Subcodes move up a level. You can undo this from the notification.', codings, documents)
            : vscode.l10n.t('No transcript uses it. Subcodes move up a level.');
        // The relations of the codes go with them (core codebook.ts deleteCode): said first, undo brings them back.
        const relations = s.project.project ? relationsOfCodes(s.project.project, ids).length : 0;
        if (relations > 0) {
          const name = `“${s.codebook.code(ids[0]).name}”`;
          const said =
            ids.length > 1
              ? vscode.l10n.t('Together they have {0} relation(s). Deleting them removes those too.', relations)
              : relations === 1
                ? vscode.l10n.t('{0} has 1 relation. Deleting it removes it too.', name)
                : vscode.l10n.t('{0} has {1} relations. Deleting it removes them too.', name, relations);
          detail = `${said}\n\n${detail}`;
        }
        const question = ids.length > 1 ? vscode.l10n.t('Delete the codes {0}?', names) : vscode.l10n.t('Delete the code {0}?', names);
        const choice = await vscode.window.showWarningMessage(question, { modal: true, detail }, del);
        if (choice !== del) return;
      }
      for (const id of ids) done(await s.codebook.delete(id));
    },

    'grounded.mergeCode': async (arg?: Code | (CodeArgs & { targetId?: string })) => {
      const source = await one(arg, vscode.l10n.t('Merge which code?'));
      if (!source) return;
      let targetId = !isCode(arg) ? arg?.targetId : undefined;
      if (!targetId) {
        const candidates = s.codebook.candidatesFor(source.id);
        if (candidates.length === 0) {
          throw new ActionableError(vscode.l10n.t('There is no other code to merge "{0}" into: only its own subcodes.', source.name));
        }
        const target = await pickCode(candidates, vscode.l10n.t('Merge "{0}" into…', source.name));
        if (!target) return;
        targetId = target.id;
      }
      done(await s.codebook.merge(source.id, targetId));
    },

    'grounded.moveCode': async (arg?: Code | (CodeArgs & { parentId?: string | null }), selected?: Code[]) => {
      const ids = targets(arg, selected);
      const first = ids[0] ? s.codebook.code(ids[0]) : await pickCode(s.project.project?.codes ?? [], vscode.l10n.t('Move which code?'));
      if (!first) return;
      if (ids.length === 0) ids.push(first.id);
      let parent: string | null | undefined = !isCode(arg) ? arg?.parentId : undefined;
      if (parent === undefined) {
        const top = { label: vscode.l10n.t('$(list-tree) Top level'), code: undefined as Code | undefined };
        const items = [top, ...s.codebook.candidatesFor(first.id).sort((a, b) => a.name.localeCompare(b.name)).map((c) => ({ label: c.name, description: c.description, code: c as Code | undefined }))];
        const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Grounded: Move "{0}" under…', first.name), matchOnDescription: true });
        if (!picked) return;
        parent = picked.code?.id ?? null;
      }
      for (const id of ids) done(await s.codebook.move(id, parent ?? undefined));
    },

    'grounded.moveCodeUp': async (arg?: Code | CodeArgs) => {
      const code = await one(arg, vscode.l10n.t('Move which code up?'));
      if (!code) return;
      const edit = await s.codebook.reorder(code.id, -1);
      if (edit) done(edit);
      else vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: "{0}" is already the first in its list.', code.name), 4000);
    },
    'grounded.moveCodeDown': async (arg?: Code | CodeArgs) => {
      const code = await one(arg, vscode.l10n.t('Move which code down?'));
      if (!code) return;
      const edit = await s.codebook.reorder(code.id, 1);
      if (edit) done(edit);
      else vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: "{0}" is already the last in its list.', code.name), 4000);
    },

    'grounded.sortCodesByName': () => s.view.setOrder('name'),
    'grounded.sortCodesByFrequency': () => s.view.setOrder('frequency'),
    'grounded.refreshCodes': () => s.view.refresh(),

    // The Codes view's Undo takes back the newest edit of the one history, as every Undo does.
    'grounded.undoCodebookEdit': async () => {
      const message = await s.codebook.undoLast();
      return message;
    },
  };
}

/** A code picked from the list; an empty codebook is said, with the way to fill it, instead of an empty list. */
async function pickCode(codes: readonly Code[], title: string): Promise<Code | undefined> {
  if (codes.length === 0) {
    throw new ActionableError(vscode.l10n.t('The codebook is empty: select words in a transcript and code them, or add a code.'), [
      { title: vscode.l10n.t('New Code…'), run: () => vscode.commands.executeCommand('grounded.newCode') },
    ]);
  }
  const picked = await vscode.window.showQuickPick(
    [...codes].sort((a, b) => a.name.localeCompare(b.name)).map((c) => ({ label: c.name, description: c.description, code: c })),
    { title: vscode.l10n.t('Grounded: {0}', title), matchOnDescription: true },
  );
  return picked?.code;
}

async function pickColor(code: Code): Promise<string | undefined> {
  // CODE_PALETTE's colours by name (core/project.ts CODE_COLOUR_NAMES), in the user's language
  const names = [
    vscode.l10n.t('red'),
    vscode.l10n.t('blue'),
    vscode.l10n.t('green'),
    vscode.l10n.t('yellow'),
    vscode.l10n.t('purple'),
    vscode.l10n.t('cyan'),
    vscode.l10n.t('orange'),
    vscode.l10n.t('pink'),
    vscode.l10n.t('teal'),
    vscode.l10n.t('violet'),
    vscode.l10n.t('brown'),
    vscode.l10n.t('blue grey'),
    vscode.l10n.t('bright orange'),
    vscode.l10n.t('yellow green'),
    vscode.l10n.t('signal red'),
    vscode.l10n.t('leaf green'),
    vscode.l10n.t('amber'),
    vscode.l10n.t('coral'),
    vscode.l10n.t('raspberry'),
    vscode.l10n.t('strong blue'),
    vscode.l10n.t('lavender'),
    vscode.l10n.t('orchid'),
    vscode.l10n.t('grass green'),
    vscode.l10n.t('indigo'),
  ];
  const custom = { label: vscode.l10n.t('$(edit) Other colour…'), color: '' };
  const items = [
    ...CODE_PALETTE.map((color, i) => ({ label: names[i] ?? color, description: color === code.color ? vscode.l10n.t('{0} (current)', color) : color, color })),
    custom,
  ];
  const title = vscode.l10n.t('Grounded: Colour of "{0}"', code.name);
  const picked = await vscode.window.showQuickPick(items, { title });
  if (!picked) return undefined;
  if (picked !== custom) return picked.color;
  return vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('A colour as #rrggbb'),
    value: code.color,
    validateInput: (v) => (COLOR_PATTERN.re.test(v.trim()) ? undefined : vscode.l10n.t('Write the colour as # and six hex digits, for example #e06c75.')),
  });
}
