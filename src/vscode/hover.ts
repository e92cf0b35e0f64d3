// One hover for every coding under the pointer, so overlapping codings read as a list, not as
// separate boxes per decoration.
import * as vscode from 'vscode';
import type { Coding } from '../core/model';
import { duplicateIds } from '../core/invariants';
import type { CodingService } from './codings';
import { lineIndexOf } from './convert';
import type { ProjectService } from './project';

export function registerCodingHover(codings: CodingService, project: ProjectService): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { scheme: 'file' },
    {
      provideHover(document, position) {
        const all = codings.visible(document.uri);
        if (!all) return undefined;
        const index = lineIndexOf(document);
        const offset = index.offsetAt(position);
        const under = all.filter((c) => !c.orphaned && c.anchor.start <= offset && offset < c.anchor.end);
        // a duplicate on disk (after a merge; `grounded check` names it) is one coding, listed once
        const repeats = duplicateIds(under);
        const here = under
          .filter((c) => !repeats.has(c.id))
          .sort((a, b) => a.anchor.start - b.anchor.start || b.anchor.end - a.anchor.end);
        if (here.length === 0) return undefined;
        const md = new vscode.MarkdownString(here.map((c) => describe(c, project.codeById(c.codeId)?.name)).join('\n\n---\n\n'));
        // Command links are trusted for this one command only.
        md.isTrusted = { enabledCommands: [OPEN_CODE_MEMO] };
        md.supportThemeIcons = true;
        const start = Math.max(...here.map((c) => c.anchor.start));
        const end = Math.min(...here.map((c) => c.anchor.end));
        return new vscode.Hover(md, index.range(start, end));
      },
    },
  );
}

function describe(coding: Coding, codeName: string | undefined): string {
  const lines = [`**${escapeMd(codeName ?? 'Unknown code')}** — ${escapeMd(coding.coder)}, ${coding.created.slice(0, 10)}`];
  if (coding.note) lines.push(escapeMd(coding.note));
  lines.push(`[$(note) Code memo](${memoLink(coding.codeId)} "Open the memo of this code (created if it has none)")`);
  return lines.join('  \n');
}

export const OPEN_CODE_MEMO = 'grounded.openCodeMemo';

/** A command link that opens (or creates) the memo of a code. */
export function memoLink(codeId: string): string {
  return `command:${OPEN_CODE_MEMO}?${encodeURIComponent(JSON.stringify([{ codeId }]))}`;
}

function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
