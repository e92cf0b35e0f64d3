// One hover for every coding under the pointer, so overlapping codings read as a list, not as
// separate boxes per decoration. Each entry starts with a square in its code's colour, the colour of
// its fill and line in the text. An AI suggestion not accepted yet says so, with the model, its code
// (proposed when new), its reason and the keys that accept, reject or change it.
import * as vscode from 'vscode';
import type { Code, Coding } from '../core/model';
import { COLOR_PATTERN } from '../core/project';
import { duplicateIds } from '../core/invariants';
import { isUncountedSuggestion } from '../core/suggestions';
import type { CodingService } from './codings';
import { lineIndexOf } from './convert';
import type { ProjectService } from './project';

export function registerCodingHover(codings: CodingService, project: ProjectService, showRejected: () => boolean = () => false): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { scheme: 'file' },
    {
      provideHover(document, position) {
        const all = codings.withSuggestions(document.uri);
        if (!all) return undefined;
        const index = lineIndexOf(document);
        const offset = index.offsetAt(position);
        const rejectedToo = showRejected();
        const under = all.filter(
          (c) => !c.orphaned && c.anchor.start <= offset && offset < c.anchor.end && (c.suggestion?.status !== 'rejected' || rejectedToo),
        );
        // a duplicate on disk (after a merge; `grounded check` names it) is one coding, listed once
        const repeats = duplicateIds(under);
        const here = under
          .filter((c) => !repeats.has(c.id))
          .sort((a, b) => a.anchor.start - b.anchor.start || b.anchor.end - a.anchor.end);
        if (here.length === 0) return undefined;
        const md = new vscode.MarkdownString(
          here.map((c) => (isUncountedSuggestion(c) ? describeSuggestion(c, project.codeById(c.codeId)) : describe(c, project.codeById(c.codeId)))).join('\n\n---\n\n'),
        );
        // Command links are trusted for this one command only.
        md.isTrusted = { enabledCommands: [OPEN_CODE_MEMO] };
        md.supportThemeIcons = true;
        // for the colour square only: VS Code keeps nothing of a span's style but a colour
        md.supportHtml = true;
        const start = Math.max(...here.map((c) => c.anchor.start));
        const end = Math.min(...here.map((c) => c.anchor.end));
        return new vscode.Hover(md, index.range(start, end));
      },
    },
  );
}

function describe(coding: Coding, code: Code | undefined): string {
  const swatch = code && COLOR_PATTERN.re.test(code.color) ? `<span style="color:${code.color};">■</span> ` : '';
  const lines = [`${swatch}**${escapeMd(code?.name ?? vscode.l10n.t('Unknown code'))}** — ${escapeMd(coding.coder)}, ${coding.created.slice(0, 10)}`];
  const s = coding.suggestion;
  if (s?.status === 'accepted') {
    lines.push(
      escapeMd(
        s.changed
          ? vscode.l10n.t('Suggested by AI ({0}) as "{1}"; accepted with this code by {2} on {3}.', s.model, s.code, s.decidedBy ?? '?', (s.decided ?? '').slice(0, 10))
          : vscode.l10n.t('Suggested by AI ({0}); accepted by {1} on {2}.', s.model, s.decidedBy ?? '?', (s.decided ?? '').slice(0, 10)),
      ),
    );
  }
  if (coding.note) lines.push(escapeMd(coding.note));
  const title = vscode.l10n.t('Open the memo of this code (created if it has none)').replace(/["\\]/g, '');
  lines.push(`[$(note) ${escapeMd(vscode.l10n.t('Code memo'))}](${memoLink(coding.codeId)} "${title}")`);
  return lines.join('  \n');
}

/** A suggestion's hover: "Suggested by AI: <model>: <code> (proposed)", the reason, and the keys (or who rejected it). */
function describeSuggestion(coding: Coding, code: Code | undefined): string {
  const s = coding.suggestion!;
  const name = code?.name ?? s.code;
  const swatch = code && COLOR_PATTERN.re.test(code.color) ? `<span style="color:${code.color};">■</span> ` : '';
  const what = s.proposed && !code ? vscode.l10n.t('{0} (proposed)', name) : name;
  const lines = [`${swatch}${escapeMd(vscode.l10n.t('Suggested by AI: {0}:', s.model))} **${escapeMd(what)}**`];
  if (s.reason) lines.push(`*${escapeMd(s.reason)}*`);
  if (s.status === 'rejected') {
    lines.push(escapeMd(vscode.l10n.t('Rejected by {0} on {1}.', s.decidedBy ?? '?', (s.decided ?? '').slice(0, 10))));
  } else {
    lines.push(escapeMd(vscode.l10n.t('{0} accept · {1} reject · {2} change the code', keyOf('Y'), keyOf('X'), keyOf('U'))));
  }
  return lines.join('  \n');
}

/** A chord of Grounded's Alt+Q keys as the user's platform writes it. */
function keyOf(letter: string): string {
  return process.platform === 'darwin' ? `Cmd+Alt+Q ${letter}` : `Alt+Q ${letter}`;
}

export const OPEN_CODE_MEMO = 'grounded.openCodeMemo';

/** A command link that opens (or creates) the memo of a code. */
export function memoLink(codeId: string): string {
  return `command:${OPEN_CODE_MEMO}?${encodeURIComponent(JSON.stringify([{ codeId }]))}`;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
