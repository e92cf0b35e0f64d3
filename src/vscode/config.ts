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

/**
 * `grounded.coder`: the name recorded on new codings and memos, from the user settings only (the
 * setting has application scope, so VS Code reads no workspace's value); undefined while unset.
 * coder.ts asks for it the first time something is recorded.
 */
export function configuredCoder(): string | undefined {
  return vscode.workspace.getConfiguration(SECTION).get<string>('coder')?.trim() || undefined;
}

/** Saves the coder name in the user settings, never the workspace's (they are committed and shared). */
export async function saveCoder(name: string): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION).update('coder', name.trim(), vscode.ConfigurationTarget.Global);
}

/** The name to suggest when none is set: git's user.name, else the login name. */
export async function suggestedCoder(cwd: string | undefined): Promise<string> {
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

/** `grounded.lineByLine.includeSpeakerLabel`: Next/Previous Uncoded Segment select the speaker's label too. */
export function lineByLineIncludesLabel(): boolean {
  return vscode.workspace.getConfiguration(SECTION).get<boolean>('lineByLine.includeSpeakerLabel') === true;
}

/** `grounded.decorations.highlightStrength`: how strongly the coded words are filled ("subtle", "medium", "strong"). */
export function highlightStrengthSetting(): unknown {
  return vscode.workspace.getConfiguration(SECTION).get('decorations.highlightStrength');
}
