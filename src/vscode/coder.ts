// Who is coding. Every coding, memo, new code and translation records a coder name; it is
// `grounded.coder` in the user settings. The first time something is recorded without it, Grounded
// asks for it once (suggesting git's user.name or the login name) instead of taking one silently:
// every recording path goes through ensureCoder(). Escape records nothing and says why.
import * as vscode from 'vscode';
import { configuredCoder, saveCoder, suggestedCoder } from './config';
import { notify, showError } from './errors';

const root = (): string | undefined => vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;

/** The name recorded now, without asking: the setting, else the one Grounded would suggest (for blind mode). */
export async function currentCoder(): Promise<string> {
  return configuredCoder() ?? (await suggestedCoder(root()));
}

/**
 * The name an older project set in its workspace settings, from before the setting became
 * user-only. VS Code no longer applies it (so it is read from the file), but it is the best
 * suggestion for whoever coded there.
 */
async function oldProjectCoder(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) return undefined;
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json')));
    // The file may hold comments and trailing commas (JSONC): only this one string is read.
    const literal = /"grounded\.coder"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text)?.[1];
    return literal ? (JSON.parse(literal) as string).trim() || undefined : undefined;
  } catch {
    return undefined;
  }
}

/** The open coder name box and how many times it was shown (read by the end-to-end tests). */
let openBox: vscode.InputBox | undefined;
let timesAsked = 0;

export function coderPromptState(): { open?: { value: string; prompt: string }; timesAsked: number } {
  return { open: openBox && { value: openBox.value, prompt: openBox.prompt ?? '' }, timesAsked };
}

/** One question at a time: actions that record while the box is open wait for its answer. */
let asking: Promise<string | undefined> | undefined;

/**
 * The coder name to record; asks for it (once, saved to the user settings) when it is not set.
 * Undefined when the user pressed Escape: the caller records nothing (the user was told why).
 */
export async function ensureCoder(): Promise<string | undefined> {
  const configured = configuredCoder();
  if (configured) return configured;
  asking ??= (async () => {
    const name = await askCoder(true);
    if (!name) {
      notify('warning', vscode.l10n.t('Grounded needs a coder name to record who coded. Set it with Set Coder Name…'), {
        title: vscode.l10n.t('Set Coder Name…'),
        run: () => vscode.commands.executeCommand('grounded.setCoderName'),
      });
    }
    return name;
  })().finally(() => (asking = undefined));
  return asking;
}

/** The command Set Coder Name…: `name` sets it without asking. Returns the name saved, if any. */
export async function setCoderName(name?: string): Promise<string | undefined> {
  const given = name?.trim();
  const chosen = given || (await askCoder(false));
  if (!chosen) return undefined;
  if (given) await saveCoder(given); // askCoder saves what is typed
  vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: new codings and memos are recorded as {0}.', chosen), 5000);
  return chosen;
}

/** Shows the name box; saves and returns the name entered, or undefined on Escape. */
function askCoder(first: boolean): Promise<string | undefined> {
  const box = vscode.window.createInputBox();
  box.title = first ? vscode.l10n.t('Grounded: Who Is Coding?') : vscode.l10n.t('Grounded: Set Coder Name');
  box.prompt = vscode.l10n.t(
    'Your name as a coder. Grounded records it on every coding and memo, so that co-coders can tell whose work is whose. It is saved in your user settings, not in the project.',
  );
  box.placeholder = vscode.l10n.t('Your name');
  box.ignoreFocusOut = true;
  timesAsked++;
  // The suggestion is in the box, all selected, before it shows: typing replaces it, and a name typed
  // at once is never mixed with a suggestion that arrived later.
  const suggested = (async () => configuredCoder() ?? (await oldProjectCoder()) ?? (await suggestedCoder(root())))();
  return new Promise((resolve) => {
    let saved: string | undefined;
    box.onDidChangeValue((v) => (box.validationMessage = v.trim() ? undefined : vscode.l10n.t('Type the name to record on your codings.')));
    box.onDidAccept(async () => {
      const name = box.value.trim();
      if (!name) return;
      box.busy = true;
      try {
        await saveCoder(name);
        saved = name;
      } catch (err) {
        void showError(err);
      } finally {
        box.hide();
      }
    });
    box.onDidHide(() => {
      if (openBox === box) openBox = undefined;
      box.dispose();
      resolve(saved);
    });
    void suggested.then(
      (suggestion) => {
        if (suggestion) {
          box.value = suggestion;
          box.valueSelection = [0, suggestion.length];
        }
      },
      () => undefined,
    ).finally(() => {
      openBox = box; // open for the tests once it shows
      box.show();
    });
  });
}
