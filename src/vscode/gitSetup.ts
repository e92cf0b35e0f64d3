// "Grounded: Set Up Git Merge Driver" (the same set-up as `grounded git-setup`) and the check of the
// repository's driver entry on activation. git runs a copy of the bundled command line (dist/cli.js)
// kept in the extension's global storage, which outlives the versioned extension folder VS Code
// removes at each update, with VS Code's own executable as Node (ELECTRON_RUN_AS_NODE=1), so no `node`
// is needed on the PATH. The copy is refreshed when the extension's differs.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import { gitConfigEntries, withGitAttributes, DRIVER_NAME } from '../core/mergeDriver';
import { STABLE_CLI_FILE, classifyDriver, needsRepair, onSearchPath, runtimeCommand, stableRuntime } from '../core/driverCommand';
import type { DriverState } from '../core/driverCommand';
import { notify, output } from './errors';
import type { WorkspaceFileSystem } from './workspaceFs';

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd }, (err, stdout, stderr) => (err ? reject(new Error(`git ${args[0]}: ${stderr.trim() || err.message}`)) : resolve(stdout))),
  );
}

/** Whether a program of this name is on this process's PATH (with PATHEXT on Windows). */
function onPath(name: string): boolean {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return onSearchPath(name, process.env.PATH ?? '', nodePath.delimiter, exts, (p) => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false);
}

/** The workspaceState key of the driver entry the user said "Not Now" to (asked again once it changes). */
const NOT_NOW_KEY = 'grounded.mergeDriver.notNow';

export class GitMergeDriver {
  /** The state of the repository's driver entry found on activation (undefined: no repository here). */
  readonly checked: Promise<DriverState | undefined>;

  constructor(
    private readonly fs: WorkspaceFileSystem,
    private readonly context: Pick<vscode.ExtensionContext, 'extensionPath' | 'globalStorageUri' | 'workspaceState'>,
  ) {
    this.checked = this.check();
  }

  /** The stable copy of the command line: <global storage>/cli/grounded-cli.js. */
  get stableScript(): string {
    return nodePath.join(this.context.globalStorageUri.fsPath, 'cli', STABLE_CLI_FILE);
  }

  /** The command git runs (without the driver's arguments). */
  get command(): string {
    return runtimeCommand(stableRuntime(process.execPath), this.stableScript, process.platform === 'win32');
  }

  /** Copies the extension's dist/cli.js to the stable copy unless it holds the same bytes already; written whole (a rename), as git may be running it. */
  async refreshStableCopy(): Promise<void> {
    const source = nodePath.join(this.context.extensionPath, 'dist', 'cli.js');
    let bytes: Buffer;
    try {
      bytes = await readFile(source);
    } catch (err) {
      throw new Error(vscode.l10n.t('the command line bundled in the extension ({0}) cannot be read: {1}. Reinstall the extension.', source, err instanceof Error ? err.message : String(err)));
    }
    const target = this.stableScript;
    const existing = await readFile(target).catch(() => undefined);
    if (existing && existing.equals(bytes)) return;
    try {
      await mkdir(nodePath.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, target);
    } catch (err) {
      throw new Error(vscode.l10n.t('the command line could not be copied to {0}: {1}. Check that this folder can be written to, then run "Grounded: Set Up Git Merge Driver" again.', target, err instanceof Error ? err.message : String(err)));
    }
  }

  private repositoryRoot(): string {
    if (this.fs.root.scheme !== 'file') throw new Error(vscode.l10n.t('The merge driver can only be set up in a folder on this computer.'));
    return this.fs.root.fsPath;
  }

  /** Writes the driver's entries to the repository's git config (the stable copy refreshed first); returns the driver command. */
  async writeConfig(): Promise<string> {
    const cwd = this.repositoryRoot();
    await this.refreshStableCopy();
    const entries = gitConfigEntries(this.command);
    for (const [key, value] of entries) await git(cwd, ['config', '--local', key, value]);
    return entries[entries.length - 1][1];
  }

  /** The command: .gitattributes and the repository's git config; returns the driver command written. */
  async setUp(): Promise<string> {
    const cwd = this.repositoryRoot();
    try {
      await git(cwd, ['rev-parse', '--show-toplevel']);
    } catch {
      throw new Error(vscode.l10n.t('{0} is not in a git repository. Run "git init" (or Source Control › Initialize Repository) first.', cwd));
    }
    const before = await this.fs.readText('.gitattributes');
    const after = withGitAttributes(before);
    if (after !== (before ?? '')) await this.fs.writeText('.gitattributes', after);
    return this.writeConfig();
  }

  /**
   * Reads the repository's merge.grounded.driver and acts on it: the extension's own entry gets its
   * stable copy refreshed, and is written again when VS Code's executable moved; a broken one (its
   * command line gone with an old extension folder, in a folder the next update removes, or run with a
   * `node` that is not there) gets a warning with Repair.
   * Nothing happens outside a git repository or without an entry.
   */
  async check(): Promise<DriverState | undefined> {
    if (this.fs.root.scheme !== 'file') return undefined;
    const cwd = this.fs.root.fsPath;
    let value: string;
    try {
      value = (await git(cwd, ['config', '--local', '--get', `merge.${DRIVER_NAME}.driver`])).trim();
    } catch {
      return undefined; // no repository, no entry, or no git: nothing to check
    }
    const state = classifyDriver(value, { exists: existsSync, onPath, stableScript: this.stableScript });
    if (state.kind === 'stable') {
      await this.refreshStableCopy().catch((err: unknown) =>
        notify('warning', vscode.l10n.t('Grounded: the merge driver\'s copy of the command line could not be updated ({0}); git keeps running the one it has.', err instanceof Error ? err.message : String(err))),
      );
    } else if (state.kind === 'missing-runtime' && state.ours) {
      // Our own entry, and VS Code is no longer where it was (moved or reinstalled): written again for this one.
      try {
        const driver = await this.writeConfig();
        output().info(`merge.grounded.driver ran ${state.runtime}, which is gone; now: ${driver}`);
      } catch (err) {
        notify('warning', vscode.l10n.t('Grounded: git\'s merge driver runs {0}, which is gone, and could not be written again ({1}). Run "Grounded: Set Up Git Merge Driver".', state.runtime, err instanceof Error ? err.message : String(err)));
      }
    } else if (needsRepair(state) && this.context.workspaceState.get<string>(NOT_NOW_KEY) !== value) {
      const repair = vscode.l10n.t('Repair');
      const notNow = vscode.l10n.t('Not Now');
      notify(
        'warning',
        vscode.l10n.t('Grounded: {0} Until it is repaired, git reports every merge of a sidecar or grounded.json as a conflict. Repair makes git run a copy of the command line kept by the extension, with VS Code itself, which outlives updates and needs no Node.', this.problem(state, value)),
        {
          title: repair,
          run: async () => {
            const driver = await this.writeConfig();
            notify('info', vscode.l10n.t('Grounded: the merge driver is repaired; git now runs {0}.', driver));
          },
        },
        { title: notNow, run: () => this.context.workspaceState.update(NOT_NOW_KEY, value) },
      );
    }
    return state;
  }

  private problem(state: DriverState, value: string): string {
    switch (state.kind) {
      case 'missing-file':
        return vscode.l10n.t("git's merge driver for this repository runs {0}, which no longer exists (an extension folder VS Code removes when the extension updates).", state.file);
      case 'extension-folder':
        return vscode.l10n.t("git's merge driver for this repository runs {0}, inside the extension's folder, which VS Code removes at the next update of the extension.", state.file);
      case 'missing-runtime':
        return vscode.l10n.t("git's merge driver for this repository runs the command line with {0}, which is not on this computer (or not on its PATH).", state.runtime);
      default:
        return vscode.l10n.t("git's merge driver for this repository (merge.grounded.driver = {0}) cannot be read: a quote is not closed.", value);
    }
  }
}
