// Grounded's default keys, checked against the keybindings of the VS Code the tests run in (its "Default
// Keyboard Shortcuts", read from the workbench): none that AltGr layouts type with (Ctrl+Alt+letter on
// Windows), none that Linux desktops take, none that takes a VS Code default's key where that default
// applies, and one meaning per key across Grounded's views.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { groundedApi, until } from './helpers';

interface Binding { key: string; command: string; when?: string; mac?: string; win?: string; linux?: string }

async function vscodeDefaults(): Promise<Binding[]> {
  await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
  const doc = await until('the default keybindings', () => {
    const d = vscode.window.activeTextEditor?.document;
    return d && d.uri.scheme !== 'file' && d.getText().includes('"command"') && d;
  });
  const text = doc.getText().split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  return (JSON.parse(text) as Binding[]).filter((b) => !b.command.startsWith('grounded.') && !b.command.startsWith('-'));
}

const ours = (): Binding[] => vscode.extensions.getExtension('grounded-qda.grounded')!.packageJSON.contributes.keybindings;
const firstChord = (key: string) => key.split(' ')[0];
// Keys Linux desktops keep for themselves (GNOME, KDE, Xfce, Cinnamon): window switching and closing,
// run dialogs, and every Ctrl+Alt combination (workspaces, lock screen, terminal).
const desktop = [/^alt\+(tab|f\d+|space|`)$/, /^ctrl\+alt\+/, /^(meta|super|win)\+/, /^ctrl\+esc/];
// A Grounded key may share a VS Code default's key only where a Grounded context makes the default not apply:
// in Grounded's own views, in the translation tab (Ctrl+Enter saves), and Ctrl+Z/redo in a transcript right
// after a coding action (the default again as soon as the user types).
const groundedContext = /focusedView == grounded\.|grounded\.can(Undo|Redo)Coding|resourceScheme == '?grounded-translation'?/;

describe('default keys', () => {
  before(() => groundedApi());

  it('none is typed by AltGr layouts on Windows or taken by the desktop on Linux', () => {
    for (const b of ours()) {
      for (const key of [b.win ?? b.key, b.linux ?? b.key]) {
        const parts = firstChord(key).split('+');
        assert.ok(!(parts.includes('ctrl') && parts.includes('alt')), `${b.command}: ${key} is AltGr+${parts.at(-1)} on Windows`);
        assert.ok(!desktop.some((re) => re.test(firstChord(key))), `${b.command}: ${key} is taken by Linux desktops`);
      }
    }
  });

  it("none takes a VS Code default's key outside Grounded's own contexts", async () => {
    const defaults = await vscodeDefaults();
    assert.ok(defaults.length > 200, `read ${defaults.length} default keybindings`);
    assert.ok(defaults.some((d) => d.key === 'ctrl+shift+p' || d.key === 'f1'), 'the defaults hold the command palette');
    for (const b of ours()) {
      const clash = defaults.filter((d) => firstChord(d.key) === firstChord(b.key));
      if (clash.length === 0) continue;
      assert.match(b.when ?? '', groundedContext,
        `${b.command}: ${b.key} (when ${b.when}) is also ${clash.map((d) => d.command).join(', ')} and applies outside Grounded's contexts`);
    }
  });

  it('a key means the same command in every Grounded view', () => {
    const byKey = new Map<string, Set<string>>();
    for (const b of ours()) {
      if (!b.key.startsWith('alt+q ')) continue;
      const set = byKey.get(b.key) ?? new Set<string>();
      byKey.set(b.key, set.add(b.command));
    }
    assert.ok(byKey.size >= 10, 'the Alt+Q keymap has its keys');
    for (const [key, commands] of byKey) assert.strictEqual(commands.size, 1, `${key} runs ${[...commands].join(' and ')}`);
  });
});
