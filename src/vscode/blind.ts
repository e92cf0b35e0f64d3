// Blind mode: while two coders code the same transcripts independently, each sees only their own
// codings (decorations, hover, status bar, the views and their counts), so neither is swayed by the
// other before they compare. Switched by the setting `grounded.blindMode` (workspace).
import * as vscode from 'vscode';
import type { EditorSession } from './session';
import { blindModeEnabled, coderName, onDidChangeSettings } from './config';
import { Disposable } from './disposable';

export class BlindMode extends Disposable {
  private readonly item = this.own(vscode.window.createStatusBarItem('grounded.blindMode', vscode.StatusBarAlignment.Left, 49));

  constructor(private readonly session: EditorSession) {
    super();
    this.item.name = 'Grounded: Blind Mode';
    this.item.command = 'grounded.toggleBlindMode';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.own(onDidChangeSettings(() => void this.update()));
  }

  /** Applies the setting; resolves when the codings shown follow it. */
  async update(): Promise<void> {
    const on = blindModeEnabled();
    const me = on ? await coderName(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath) : undefined;
    this.session.setViewer(me);
    if (me) {
      this.item.text = '$(eye-closed) Blind';
      this.item.tooltip = `Grounded blind mode: only ${me}'s codings are shown. Click to show every coder's codings.`;
      this.item.show();
    } else this.item.hide();
    await vscode.commands.executeCommand('setContext', 'grounded.blindMode', !!me);
  }

  async toggle(): Promise<boolean> {
    const on = !blindModeEnabled();
    await vscode.workspace.getConfiguration('grounded').update('blindMode', on, vscode.ConfigurationTarget.Workspace);
    await this.update();
    vscode.window.setStatusBarMessage(on ? 'Grounded: blind mode on: only your own codings are shown' : 'Grounded: blind mode off: every coder\'s codings are shown', 4000);
    return on;
  }
}
