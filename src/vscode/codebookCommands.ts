// Commands of the Codes view: new code, rename, recolour, describe, move, delete, merge, sort, undo.
// Each takes the tree element it was invoked on (context menu), else the view's selection (keyboard),
// else asks; tests and other extensions can pass `{ codeId, ... }` to run it without questions.
import * as vscode from 'vscode';
import type { Code } from '../core/model';
import { CODE_COLOUR_NAMES, CODE_PALETTE, COLOR_PATTERN } from '../core/project';
import type { CodebookService, UndoableEdit } from './codebook';
import { announceUndoable } from './undo';
import type { CodesView } from './codesView';
import { coderName } from './config';
import type { ProjectService } from './project';
import type { CommandTable } from './commands';

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
  const one = async (arg: unknown, title: string): Promise<Code | undefined> => {
    const [id] = targets(arg);
    if (id) return s.codebook.code(id);
    return pickCode(s.project.project?.codes ?? [], title);
  };
  const done = (edit: UndoableEdit | undefined) => announce(s.codebook, edit);

  return {
    'grounded.newCode': async (arg?: Code | { name?: string; parentId?: string }) => {
      const parent = isCode(arg) ? arg : arg?.parentId ? s.codebook.code(arg.parentId) : undefined;
      const name =
        (!isCode(arg) && arg?.name) ||
        (await vscode.window.showInputBox({
          title: parent ? `Grounded: New Subcode of "${parent.name}"` : 'Grounded: New Code',
          prompt: 'The name of the code',
          validateInput: (v) => (v.trim() ? undefined : 'A code needs a name.'),
        }));
      if (!name) return undefined;
      const created = await s.codebook.newCode(name, parent?.id, await coderName(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath));
      vscode.window.setStatusBarMessage(`Grounded: ${created.message}`, 4000);
      await s.view.reveal(created.codeId, { focus: false }).then(undefined, () => undefined);
      return created.codeId;
    },

    'grounded.renameCode': async (arg?: Code | (CodeArgs & { name?: string })) => {
      const code = await one(arg, 'Rename which code?');
      if (!code) return;
      const name =
        (!isCode(arg) && arg?.name) ||
        (await vscode.window.showInputBox({
          title: `Grounded: Rename "${code.name}"`,
          value: code.name,
          validateInput: (v) => (v.trim() ? undefined : 'A code needs a name.'),
        }));
      if (!name || name.trim() === code.name) return;
      done(await s.codebook.rename(code.id, name));
    },

    'grounded.recolorCode': async (arg?: Code | (CodeArgs & { color?: string })) => {
      const code = await one(arg, 'Recolour which code?');
      if (!code) return;
      const color = (!isCode(arg) && arg?.color) || (await pickColor(code));
      if (!color) return;
      done(await s.codebook.recolor(code.id, color));
    },

    'grounded.editCodeDescription': async (arg?: Code | (CodeArgs & { description?: string })) => {
      const code = await one(arg, 'Describe which code?');
      if (!code) return;
      const given = !isCode(arg) ? arg?.description : undefined;
      const description =
        given ??
        (await vscode.window.showInputBox({
          title: `Grounded: Description of "${code.name}"`,
          prompt: 'What the code means and when it applies (empty: no description)',
          value: code.description ?? '',
        }));
      if (description === undefined) return;
      done(await s.codebook.describe(code.id, description));
    },

    'grounded.deleteCode': async (arg?: Code | (CodeArgs & { confirm?: boolean }), selected?: Code[]) => {
      let ids = targets(arg, selected);
      if (ids.length === 0) {
        const code = await pickCode(s.project.project?.codes ?? [], 'Delete which code?');
        if (!code) return;
        ids = [code.id];
      }
      const names = ids.map((id) => `"${s.codebook.code(id).name}"`).join(', ');
      const { codings, documents } = s.codebook.usage(ids);
      const confirm = !(arg && !isCode(arg) && arg.confirm === false);
      if (confirm) {
        const del = 'Delete';
        const detail =
          codings > 0
            ? `${codings} coding${codings === 1 ? '' : 's'} in ${documents} transcript${documents === 1 ? '' : 's'} will be removed. Subcodes move up a level. You can undo this from the notification.`
            : 'No transcript uses it. Subcodes move up a level.';
        const choice = await vscode.window.showWarningMessage(`Delete the code${ids.length > 1 ? 's' : ''} ${names}?`, { modal: true, detail }, del);
        if (choice !== del) return;
      }
      for (const id of ids) done(await s.codebook.delete(id));
    },

    'grounded.mergeCode': async (arg?: Code | (CodeArgs & { targetId?: string })) => {
      const source = await one(arg, 'Merge which code?');
      if (!source) return;
      let targetId = !isCode(arg) ? arg?.targetId : undefined;
      if (!targetId) {
        const target = await pickCode(s.codebook.candidatesFor(source.id), `Merge "${source.name}" into…`);
        if (!target) return;
        targetId = target.id;
      }
      done(await s.codebook.merge(source.id, targetId));
    },

    'grounded.moveCode': async (arg?: Code | (CodeArgs & { parentId?: string | null }), selected?: Code[]) => {
      const ids = targets(arg, selected);
      const first = ids[0] ? s.codebook.code(ids[0]) : await pickCode(s.project.project?.codes ?? [], 'Move which code?');
      if (!first) return;
      if (ids.length === 0) ids.push(first.id);
      let parent: string | null | undefined = !isCode(arg) ? arg?.parentId : undefined;
      if (parent === undefined) {
        const top = { label: '$(list-tree) Top level', code: undefined as Code | undefined };
        const items = [top, ...s.codebook.candidatesFor(first.id).sort((a, b) => a.name.localeCompare(b.name)).map((c) => ({ label: c.name, description: c.description, code: c as Code | undefined }))];
        const picked = await vscode.window.showQuickPick(items, { title: `Grounded: Move "${first.name}" under…`, matchOnDescription: true });
        if (!picked) return;
        parent = picked.code?.id ?? null;
      }
      for (const id of ids) done(await s.codebook.move(id, parent ?? undefined));
    },

    'grounded.moveCodeUp': async (arg?: Code | CodeArgs) => {
      const code = await one(arg, 'Move which code up?');
      const edit = code && (await s.codebook.reorder(code.id, -1));
      if (edit) done(edit);
    },
    'grounded.moveCodeDown': async (arg?: Code | CodeArgs) => {
      const code = await one(arg, 'Move which code down?');
      const edit = code && (await s.codebook.reorder(code.id, 1));
      if (edit) done(edit);
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

async function pickCode(codes: readonly Code[], title: string): Promise<Code | undefined> {
  const picked = await vscode.window.showQuickPick(
    [...codes].sort((a, b) => a.name.localeCompare(b.name)).map((c) => ({ label: c.name, description: c.description, code: c })),
    { title: `Grounded: ${title}`, matchOnDescription: true },
  );
  return picked?.code;
}

async function pickColor(code: Code): Promise<string | undefined> {
  const names = CODE_COLOUR_NAMES;
  const custom = { label: '$(edit) Other colour…', color: '' };
  const items = [
    ...CODE_PALETTE.map((color, i) => ({ label: names[i] ?? color, description: color + (color === code.color ? ' (current)' : ''), color })),
    custom,
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Grounded: Colour of "${code.name}"` });
  if (!picked) return undefined;
  if (picked !== custom) return picked.color;
  return vscode.window.showInputBox({
    title: `Grounded: Colour of "${code.name}"`,
    prompt: 'A colour as #rrggbb',
    value: code.color,
    validateInput: (v) => (COLOR_PATTERN.re.test(v.trim()) ? undefined : 'Write the colour as # and six hex digits, for example #e06c75.'),
  });
}
