// The one place that reads Grounded's settings.
import * as vscode from 'vscode';
import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';

const SECTION = 'grounded';

import { DEFAULT_TRANSCRIPT_GLOBS } from '../core/transcripts';

export function transcriptGlobs(): string[] {
  const globs = vscode.workspace.getConfiguration(SECTION).get<string[]>('transcripts');
  return Array.isArray(globs) && globs.length > 0 ? globs : DEFAULT_TRANSCRIPT_GLOBS;
}

let gitUserName: Promise<string | undefined> | undefined;

function readGitUserName(cwd: string | undefined): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd, timeout: 3000 }, (err, stdout) =>
      resolve(err ? undefined : stdout.trim() || undefined),
    );
  });
}

/** The coder recorded on new codings: the setting, else git's user.name, else the login name. */
export async function coderName(cwd: string | undefined): Promise<string> {
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>('coder')?.trim();
  if (configured) return configured;
  gitUserName ??= readGitUserName(cwd);
  const fromGit = await gitUserName;
  if (fromGit) return fromGit;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) {
      gitUserName = undefined;
      listener();
    }
  });
}

/** `grounded.decorations.lineLabels`: the names of the codes on a line, shown at its end. */
export function lineLabelsEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('decorations.lineLabels') === true;
}

/** `grounded.decorations.highlightStrength`: how strongly the coded words are filled ("subtle", "medium", "strong"). */
export function highlightStrengthSetting(): unknown {
  return vscode.workspace.getConfiguration(SECTION).get('decorations.highlightStrength');
}

/** Turns the line labels on or off for this workspace. */
export async function setLineLabels(on: boolean): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('decorations.lineLabels', on, vscode.ConfigurationTarget.Workspace);
}

/** `grounded.blindMode`: show only the user's own codings (independent coding before comparing). */
export function blindModeEnabled(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('blindMode') === true;
}
