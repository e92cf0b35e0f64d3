// "Grounded: Set Up Git Merge Driver": the same set-up as `grounded git-setup`, with git running the
// command line bundled in this extension (dist/cli.js) through the node on the PATH.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { gitConfigEntries, withGitAttributes } from '../core/mergeDriver';
import { withGitIgnore } from '../core/lock';
import type { WorkspaceFileSystem } from './workspaceFs';

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('git', args, { cwd }, (err, stdout, stderr) => (err ? reject(new Error(`git ${args[0]}: ${stderr.trim() || err.message}`)) : resolve(stdout))),
  );
}

/** Writes .gitattributes, .gitignore (lock and temporary files) and the repository's git config; returns the driver command written. */
export async function setUpGitMergeDriver(fs: WorkspaceFileSystem, extensionPath: string): Promise<string> {
  if (fs.root.scheme !== 'file') throw new Error(vscode.l10n.t('The merge driver can only be set up in a folder on this computer.'));
  const cwd = fs.root.fsPath;
  try {
    await git(cwd, ['rev-parse', '--show-toplevel']);
  } catch {
    throw new Error(vscode.l10n.t('{0} is not in a git repository. Run "git init" (or Source Control › Initialize Repository) first.', cwd));
  }
  const before = await fs.readText('.gitattributes');
  const after = withGitAttributes(before);
  if (after !== (before ?? '')) await fs.writeText('.gitattributes', after);
  await ignoreSaveFiles(fs);
  const cli = vscode.Uri.joinPath(vscode.Uri.file(extensionPath), 'dist', 'cli.js').fsPath;
  const command = `node "${cli}"`;
  for (const [key, value] of gitConfigEntries(command)) await git(cwd, ['config', '--local', key, value]);
  return `${command} merge-driver %O %A %B %P`;
}

/**
 * Adds a save's lock and temporary files (core/lock.ts) to the folder's .gitignore: they live for
 * milliseconds, but `git add -A` at that moment must not catch one. Initialize Project calls it with
 * `onlyInGit` (a folder with .git or a .gitignore); Set Up Git Merge Driver always.
 */
export async function ignoreSaveFiles(fs: WorkspaceFileSystem, onlyInGit = false): Promise<void> {
  const before = await fs.readText('.gitignore');
  if (onlyInGit && before === undefined && !(await fs.exists('.git'))) return;
  const after = withGitIgnore(before);
  if (after !== (before ?? '')) await fs.writeText('.gitignore', after);
}
