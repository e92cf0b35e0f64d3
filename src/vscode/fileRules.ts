// The rules of core/projectFiles.ts from the settings: grounded.transcripts, and the editor's
// files.exclude and search.exclude of the project's folder (what the Explorer and Search hide is no
// transcript of the project either).
import * as vscode from 'vscode';
import { FileRules, excludePatterns } from '../core/projectFiles';
import type { ExcludeSetting } from '../core/projectFiles';
import { transcriptGlobs } from './config';

let last: { key: string; rules: FileRules } | undefined;

/** The rules now (read on every call: settings change; compiled again only when they did). */
export function fileRules(root: vscode.Uri): FileRules {
  const globs = transcriptGlobs();
  const excludes = excludePatterns(
    vscode.workspace.getConfiguration('files', root).get<ExcludeSetting>('exclude'),
    vscode.workspace.getConfiguration('search', root).get<ExcludeSetting>('exclude'),
  );
  const key = JSON.stringify([globs, excludes]);
  if (last?.key !== key) last = { key, rules: new FileRules(globs, excludes) };
  return last.rules;
}

/** True when a configuration change may change which files are the project's. */
export function affectsFileRules(e: vscode.ConfigurationChangeEvent, root: vscode.Uri): boolean {
  return ['grounded.transcripts', 'files.exclude', 'search.exclude'].some((s) => e.affectsConfiguration(s, root));
}
