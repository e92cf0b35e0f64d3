// Blind mode: while two coders code the same transcripts independently, each sees only their own
// codings (decorations, hover, status bar, the views and their counts), so neither is swayed by the
// other before they compare. A personal choice (personalState.ts): it never reaches the co-coder.
import * as vscode from 'vscode';
import type { EditorSession } from './session';
import { currentCoder, ensureCoder } from './coder';
import { onDidChangeSettings } from './config';
import type { PersonalState } from './personalState';
import { StatusEntry } from './statusBar';

export class BlindMode extends StatusEntry {
  constructor(
    private readonly session: EditorSession,
    private readonly personal: PersonalState,
  ) {
    super('grounded.blindMode', 49, vscode.l10n.t('Grounded: Blind Mode'), 'grounded.toggleBlindMode', new vscode.ThemeColor('statusBarItem.warningBackground'));
    this.own(onDidChangeSettings(() => void this.update())); // the coder name may have changed
    this.own(personal.onDidChange((key) => key === 'blindMode' && void this.update()));
  }

  /** Applies the choice; resolves when the codings shown follow it. */
  async update(): Promise<void> {
    const me = this.personal.get('blindMode') ? await currentCoder() : undefined;
    this.session.setViewer(me);
    if (me) this.show(vscode.l10n.t('$(eye-closed) Blind'), vscode.l10n.t("Grounded blind mode: only {0}'s codings are shown. Click to show every coder's codings.", me));
    else this.hide();
    await vscode.commands.executeCommand('setContext', 'grounded.blindMode', !!me);
  }

  /** Switches blind mode; returns whether it is on. Turning it on needs to know who "I" am. */
  async toggle(): Promise<boolean> {
    const on = !this.personal.get('blindMode');
    if (on && !(await ensureCoder())) return false;
    await this.personal.set('blindMode', on);
    await this.update();
    vscode.window.setStatusBarMessage(
      on ? vscode.l10n.t('Grounded: blind mode on: only your own codings are shown') : vscode.l10n.t("Grounded: blind mode off: every coder's codings are shown"),
      4000,
    );
    return on;
  }
}
