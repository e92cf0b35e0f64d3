// Small helpers shared by the extension-host tests.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { GroundedApi } from '../../../src/vscode/main';

/** The coder the tests code as: named in the user settings (index.ts), as a researcher's is once Grounded asked. */
export const E2E_CODER = 'Eli Test';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until the probe returns something truthy; fails with `what` after `ms`. */
export async function until<T>(what: string, probe: () => T | undefined | false, ms = 20000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** The activated extension's API, once it has loaded the project. */
export async function groundedApi(): Promise<GroundedApi> {
  const ext = vscode.extensions.getExtension<GroundedApi>('grounded-qda.grounded');
  assert.ok(ext, 'the extension is installed');
  const exported = await ext.activate();
  assert.ok(exported, 'activate() returned the API');
  await exported.ready;
  return exported;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/**
 * Sets the selection and waits until it holds: a selection the workbench reports back late (from
 * the previous command) can otherwise replace it, a race no person at the keyboard runs into.
 */
export async function placeSelection(editor: vscode.TextEditor, wanted: vscode.Selection): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    editor.selection = wanted;
    await sleep(100);
    if (editor.selection.isEqual(wanted)) return;
  }
  assert.fail('the selection did not hold');
}
