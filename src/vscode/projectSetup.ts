// What Initialize Project asks and writes besides grounded.json: which speakers are interviewers (their
// turns left out of the analysis), and the workspace settings that make the Explorer and the editor fit
// transcripts (each sidecar nested under its transcript, long lines wrapped).
import * as vscode from 'vscode';
import { transcriptExtensions, withSidecarNesting } from '../core/nesting';
import { looksLikeInterviewer, speakersAcross } from '../core/speakers';
import { isTranscriptPath } from '../core/transcripts';
import { transcriptGlobs } from './config';
import { transcriptText } from './texts';
import type { WorkspaceFileSystem } from './workspaceFs';

/**
 * Lists the speakers of the workspace's transcripts and asks which are interviewers, the ones that look
 * like it ticked. The names picked; [] when there are no speakers or the user picked none or pressed Escape.
 */
export async function askInterviewers(fs: WorkspaceFileSystem): Promise<string[]> {
  const globs = transcriptGlobs();
  const paths = (await fs.list('')).filter((p) => isTranscriptPath(p, globs));
  const texts = (await Promise.all(paths.map((p) => transcriptText(fs, p)))).filter((t): t is string => t !== undefined);
  const found = speakersAcross(texts);
  if (!found.length) return [];
  const items = found.map((f) => ({
    label: f.speaker,
    description: turnsIn(f.turns, f.documents),
    picked: looksLikeInterviewer(f.speaker),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Grounded: Initialize Project'),
    placeHolder: vscode.l10n.t(
      'Which speakers are interviewers? Their turns are left out of the analysis and skipped by line-by-line coding. You can change this later with Leave Speakers Out of the Analysis…',
    ),
    canPickMany: true,
    ignoreFocusOut: true,
  });
  return picked?.map((p) => p.label) ?? [];
}

function turnsIn(turns: number, documents: number): string {
  if (turns === 1) return vscode.l10n.t('1 turn in 1 transcript');
  return documents === 1 ? vscode.l10n.t('{0} turns in 1 transcript', turns) : vscode.l10n.t('{0} turns in {1} transcripts', turns, documents);
}

/**
 * Writes the workspace settings (`.vscode/settings.json` in a single folder) that fit a Grounded project:
 * file nesting of each `X.txt.codes.json` under `X.txt` for the transcript globs in use, and word wrap for
 * plain text. VS Code's own configuration API writes them, so comments and other keys in the file stay;
 * a value the workspace already sets is kept. Returns why it could not, when it could not (a settings
 * file with errors is left as it is).
 */
export async function writeWorkspaceSettings(): Promise<string | undefined> {
  const target = vscode.ConfigurationTarget.Workspace;
  try {
    const explorer = vscode.workspace.getConfiguration('explorer');
    if (explorer.inspect<boolean>('fileNesting.enabled')?.workspaceValue === undefined) {
      await explorer.update('fileNesting.enabled', true, target);
    }
    const patterns = withSidecarNesting(
      explorer.inspect<Record<string, string>>('fileNesting.patterns')?.workspaceValue,
      transcriptExtensions(transcriptGlobs()),
    );
    if (patterns) await explorer.update('fileNesting.patterns', patterns, target);
    const plaintext = vscode.workspace.getConfiguration('editor', { languageId: 'plaintext' });
    if (plaintext.inspect('wordWrap')?.workspaceLanguageValue === undefined) {
      await plaintext.update('wordWrap', 'on', target, true);
    }
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
