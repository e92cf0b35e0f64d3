// Every command of the extension, in one table, registered in one loop (see main.ts).
import * as vscode from 'vscode';
import type { Code } from '../core/model';
import type { CodingService } from './codings';
import { coderName } from './config';
import { lineIndexOf } from './convert';
import type { ProjectService } from './project';

export interface Services {
  project: ProjectService;
  codings: CodingService;
}

/** Arguments a keybinding or another extension may pass to grounded.codeSelection. */
export interface CodeSelectionArgs {
  codeId?: string;
  /** an existing code's name, or a new code to create */
  codeName?: string;
}

export type CommandTable = Record<string, (...args: never[]) => unknown>;

export function createCommands(s: Services): CommandTable {
  return {
    'grounded.initializeProject': (args?: { name?: string }) => initializeProject(s, args?.name),
    'grounded.codeSelection': (args?: CodeSelectionArgs) => codeSelection(s, args ?? {}),
    'grounded.reanchorDocument': () => reanchorActive(s),
    'grounded.showOrphans': () => showOrphans(s),
  };
}

async function initializeProject(s: Services, name?: string): Promise<boolean> {
  if (s.project.exists) {
    void vscode.window.showInformationMessage('Grounded: this workspace already has a project (grounded.json).');
    return false;
  }
  name ??= await vscode.window.showInputBox({
    title: 'Grounded: Initialize Project',
    prompt: 'A name for the project',
    value: vscode.workspace.workspaceFolders?.[0]?.name ?? 'Grounded project',
    validateInput: (v) => (v.trim() ? undefined : 'The project needs a name.'),
  });
  if (!name) return false;
  await s.project.initialize(name.trim());
  void vscode.window.showInformationMessage(`Grounded: created grounded.json for "${name.trim()}".`);
  return true;
}

/** Makes sure there is a project, offering to create one. */
async function ensureProject(s: Services): Promise<boolean> {
  if (s.project.exists) return true;
  if (s.project.loadError) throw s.project.loadError;
  const create = 'Initialize Project';
  const choice = await vscode.window.showWarningMessage('Grounded: this workspace has no project yet.', create);
  return choice === create && (await initializeProject(s));
}

async function codeSelection(s: Services, args: CodeSelectionArgs): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !s.codings.isTranscript(editor.document.uri)) {
    throw new Error('Open a transcript and select the words to code (see the setting grounded.transcripts).');
  }
  const index = lineIndexOf(editor.document);
  const spans = editor.selections
    .map((sel) => [index.offsetAt(sel.start), index.offsetAt(sel.end)] as [number, number])
    .filter(([a, b]) => b > a);
  if (spans.length === 0) throw new Error('Select the words to code first.');
  if (!(await ensureProject(s))) return;
  const coder = await coderName(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath);
  const code = await resolveCode(s, args, coder);
  if (!code) return;
  await s.codings.addCodings(editor.document, spans, code.id, coder);
  vscode.window.setStatusBarMessage(`Grounded: coded ${spans.length} segment${spans.length > 1 ? 's' : ''} as "${code.name}"`, 3000);
}

async function resolveCode(s: Services, args: CodeSelectionArgs, coder: string): Promise<Code | undefined> {
  const codes = s.project.project?.codes ?? [];
  if (args.codeId) {
    const code = codes.find((c) => c.id === args.codeId);
    if (!code) throw new Error(`No code with id ${args.codeId}.`);
    return code;
  }
  if (args.codeName?.trim()) {
    const name = args.codeName.trim();
    return codes.find((c) => c.name === name) ?? (await s.project.addCode(name, coder));
  }
  const picked = await pickCode(codes, (id) => s.project.codeById(id));
  if (!picked) return undefined;
  if (typeof picked === 'string') return s.project.addCode(picked, coder);
  return picked;
}

interface CodeItem extends vscode.QuickPickItem {
  code?: Code;
  newName?: string;
}

/** A quick pick of the codebook; typing a name that is not there offers to create it. Returns a code or a new name. */
function pickCode(codes: Code[], byId: (id: string) => Code | undefined): Promise<Code | string | undefined> {
  const pathOf = (c: Code): string => {
    const names: string[] = [];
    for (let p = c.parent ? byId(c.parent) : undefined; p && names.length < 20; p = p.parent ? byId(p.parent) : undefined) {
      names.unshift(p.name);
    }
    return names.join(' › ');
  };
  const codeItems: CodeItem[] = [...codes]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({ label: c.name, description: pathOf(c), detail: c.description, code: c }));
  const qp = vscode.window.createQuickPick<CodeItem>();
  qp.title = 'Grounded: Code Selection';
  qp.placeholder = 'Pick a code, or type a new code name';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const update = () => {
    const value = qp.value.trim();
    const exists = codes.some((c) => c.name.toLowerCase() === value.toLowerCase());
    const create: CodeItem[] = value && !exists ? [{ label: `$(add) New code "${value}"`, newName: value, alwaysShow: true }] : [];
    qp.items = [...create, ...codeItems];
  };
  update();
  return new Promise((resolve) => {
    qp.onDidChangeValue(update);
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      resolve(item?.code ?? item?.newName ?? (qp.value.trim() || undefined));
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

async function reanchorActive(s: Services): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !s.codings.isTranscript(editor.document.uri)) throw new Error('Open a transcript first.');
  const outcome = await s.codings.reanchor(editor.document);
  void vscode.window.showInformationMessage(
    `Grounded: ${outcome.moved + outcome.fuzzy} codings moved, ${outcome.orphaned.length} orphaned.`,
  );
}

async function showOrphans(s: Services): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !s.codings.isTranscript(editor.document.uri)) throw new Error('Open a transcript first.');
  await s.codings.load(editor.document);
  const orphans = (s.codings.peek(editor.document.uri) ?? []).filter((c) => c.orphaned);
  if (orphans.length === 0) {
    void vscode.window.showInformationMessage('Grounded: no orphaned codings in this transcript.');
    return;
  }
  await vscode.window.showQuickPick(
    orphans.map((c) => ({
      label: s.project.codeById(c.codeId)?.name ?? c.codeId,
      description: `${c.coder}, ${c.created.slice(0, 10)}`,
      detail: `“${c.anchor.quote}”`,
    })),
    { title: 'Orphaned codings (kept in the sidecar; their words were not found)', matchOnDetail: true },
  );
}
