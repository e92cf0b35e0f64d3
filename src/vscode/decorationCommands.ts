// The commands about what the editor draws: filter the decorations by code or by coder, clear
// the filter, the labels at the end of coded lines, and the memo of a code (linked from the hover).
// Registered in main.ts next to the main command table.
import * as vscode from 'vscode';
import type { Code, Memo } from '../core/model';
import { codersOf } from '../core/decorationPlan';
import { MemoStore } from '../core/store';
import type { Environment } from '../core/ports';
import type { CodingService } from './codings';
import type { CommandTable } from './commands';
import { ensureCoder } from './coder';
import type { CodingDecorations } from './decorations';
import type { PersonalState } from './personalState';
import type { ProjectService } from './project';

export interface DecorationServices {
  project: ProjectService;
  codings: CodingService;
  decorations: CodingDecorations;
  env: Environment;
  personal: PersonalState;
}

export function createDecorationCommands(s: DecorationServices): CommandTable {
  return {
    'grounded.filterDecorationsByCode': (args?: { codeIds?: string[] }) => filterByCode(s, args?.codeIds),
    'grounded.filterDecorationsByCoder': (args?: { coder?: string }) => filterByCoder(s, args?.coder),
    'grounded.clearDecorationFilter': () => s.decorations.filter.set(undefined),
    'grounded.decorationFilterActions': () => filterActions(s),
    'grounded.toggleLineLabels': () => toggleLineLabels(s),
    'grounded.openCodeMemo': (args?: { codeId?: string }) => openCodeMemo(s, args?.codeId),
  };
}

/** Shows (hides) the code names at line ends, for this user in this workspace only. Returns whether they are shown. */
async function toggleLineLabels(s: DecorationServices): Promise<boolean> {
  const on = !s.personal.get('lineLabels');
  await s.personal.set('lineLabels', on);
  return on;
}

function codebook(s: DecorationServices): Code[] {
  const codes = s.project.project?.codes ?? [];
  if (codes.length === 0) throw new Error(vscode.l10n.t('The codebook has no codes yet. Code a selection first (Grounded: Code Selection…).'));
  return [...codes].sort((a, b) => a.name.localeCompare(b.name));
}

/** Shows only the codings of the chosen codes (keeping a coder filter). Choosing none shows every code again. */
async function filterByCode(s: DecorationServices, codeIds?: string[]): Promise<void> {
  const current = s.decorations.filter.filter;
  if (!codeIds) {
    const selected = new Set(current?.codeIds ?? []);
    const picked = await vscode.window.showQuickPick(
      codebook(s).map((code) => ({ label: code.name, description: code.description, picked: selected.has(code.id), code })),
      { title: vscode.l10n.t('Grounded: Show Only These Codes'), placeHolder: vscode.l10n.t('Choose the codes to show (none: show every code)'), canPickMany: true, matchOnDescription: true },
    );
    if (!picked) return;
    codeIds = picked.map((p) => p.code.id);
  }
  const unknown = codeIds.filter((id) => !s.project.codeById(id));
  if (unknown.length > 0) throw new Error(vscode.l10n.t('No code with the id {0} in the codebook.', unknown.join(', ')));
  await s.decorations.filter.set({ ...current, codeIds: codeIds.length > 0 ? codeIds : undefined });
}

/** The coders of every transcript whose codings are loaded (open in an editor). */
function knownCoders(s: DecorationServices): string[] {
  return codersOf(vscode.workspace.textDocuments.flatMap((d) => s.codings.peek(d.uri) ?? []));
}

/** Shows only one coder's codings (keeping a code filter). */
async function filterByCoder(s: DecorationServices, coder?: string): Promise<void> {
  const current = s.decorations.filter.filter;
  if (coder === undefined) {
    const coders = knownCoders(s);
    if (coders.length === 0) throw new Error(vscode.l10n.t('No codings are loaded. Open a coded transcript first.'));
    const all = { label: `$(clear-all) ${vscode.l10n.t('Every coder')}`, coder: undefined as string | undefined };
    const picked = await vscode.window.showQuickPick(
      [...coders.map((c) => ({ label: c, description: c === current?.coder ? vscode.l10n.t('shown now') : undefined, coder: c as string | undefined })), all],
      { title: vscode.l10n.t('Grounded: Show Only One Coder’s Codings'), placeHolder: vscode.l10n.t('Whose codings to show') },
    );
    if (!picked) return;
    coder = picked.coder;
  }
  await s.decorations.filter.set({ ...current, coder });
}

async function filterActions(s: DecorationServices): Promise<void> {
  const what = s.decorations.filter.describe();
  const items = [
    { label: `$(tag) ${vscode.l10n.t('Filter by Code…')}`, command: 'grounded.filterDecorationsByCode' },
    { label: `$(person) ${vscode.l10n.t('Filter by Coder…')}`, command: 'grounded.filterDecorationsByCoder' },
    { label: `$(clear-all) ${vscode.l10n.t('Show All Codings')}`, command: 'grounded.clearDecorationFilter' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Grounded: Decoration Filter'),
    placeHolder: what ? vscode.l10n.t('Shown now: the codings of {0}', what) : vscode.l10n.t('Every coding is shown'),
  });
  if (picked) await vscode.commands.executeCommand(picked.command);
}

/**
 * Opens the memo of a code (memos/*.md whose front matter targets the code), creating it when the
 * code has none. Without a code id, asks for the code. Returns the memo's workspace-relative path.
 */
async function openCodeMemo(s: DecorationServices, codeId?: string): Promise<string | undefined> {
  if (!codeId) {
    const picked = await vscode.window.showQuickPick(
      codebook(s).map((code) => ({ label: code.name, description: code.description, code })),
      { title: vscode.l10n.t('Grounded: Open Code Memo'), placeHolder: vscode.l10n.t('The code whose memo to open') },
    );
    if (!picked) return undefined;
    codeId = picked.code.id;
  }
  const code = s.project.codeById(codeId);
  if (!code) throw new Error(vscode.l10n.t('No code with the id {0} in the codebook.', codeId));
  const store = new MemoStore(s.project.fs, { env: s.env });
  const { memos } = await store.list();
  let path = memos.find(({ memo }) => memo.target.kind === 'code' && memo.target.id === code.id)?.path;
  if (!path) {
    const author = await ensureCoder();
    if (!author) return undefined;
    const now = s.env.now();
    const memo: Memo = {
      id: s.env.newId(),
      target: { kind: 'code', id: code.id },
      author,
      created: now,
      modified: now,
      body: `# ${code.name}\n\n`,
    };
    path = (await store.create(memo, code.name)).path;
  }
  const document = await vscode.workspace.openTextDocument(s.project.fs.uri(path));
  await vscode.window.showTextDocument(document);
  return path;
}
