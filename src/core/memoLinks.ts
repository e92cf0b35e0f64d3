// Links inside memos: `[[code:<name or id>]]`, `[[coding:<id>]]`, `[[document:<path>]]` and
// `[[memo:<id>]]`, each optionally with a label after `|` (`[[code:Isolasjon|the isolation code]]`).
// Pure text functions: the webview renders them as links, the host resolves and opens them.
import type { Code, ProjectFile } from './model';
import { UUID } from './jsonError';

export const MEMO_LINK_KINDS = ['code', 'coding', 'document', 'memo'] as const;
export type MemoLinkKind = (typeof MEMO_LINK_KINDS)[number];

export interface MemoLink {
  kind: MemoLinkKind;
  /** what follows the colon: a code's name or id, a coding id, a workspace-relative path, a memo id */
  ref: string;
  /** the text shown: the label after `|`, else the ref */
  label: string;
  /** offsets of `[[` and just after `]]` in the text */
  start: number;
  end: number;
}

const LINK = /\[\[(code|coding|document|memo):([^\]|\n]+?)(?:\|([^\]\n]+?))?\]\]/g;

/** Every link in a memo's text, in order. Malformed brackets and unknown kinds are plain text. */
export function parseMemoLinks(text: string): MemoLink[] {
  const out: MemoLink[] = [];
  for (const m of text.matchAll(LINK)) {
    const ref = m[2].trim();
    if (!ref) continue;
    out.push({ kind: m[1] as MemoLinkKind, ref, label: (m[3] ?? '').trim() || ref, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/** The link at the start of `text` (for a Markdown inline rule), or undefined. */
export function memoLinkAt(text: string, pos: number): MemoLink | undefined {
  if (!text.startsWith('[[', pos)) return undefined;
  const re = new RegExp(LINK.source, 'y');
  re.lastIndex = pos;
  const m = re.exec(text);
  if (!m || !m[2].trim()) return undefined;
  const ref = m[2].trim();
  return { kind: m[1] as MemoLinkKind, ref, label: (m[3] ?? '').trim() || ref, start: pos, end: pos + m[0].length };
}

/** `[[kind:ref]]`, the text to insert for a link. Names with `]`, `|` or a line break cannot be written: the id is used. */
export function formatMemoLink(kind: MemoLinkKind, ref: string, label?: string): string {
  return `[[${kind}:${ref}${label ? `|${label}` : ''}]]`;
}

/** A code link's target: the id if it is one, else the name (ignoring case), else undefined. */
export function resolveCodeLink(project: ProjectFile, ref: string): Code | undefined {
  const key = ref.trim().normalize('NFC').toLowerCase();
  if (UUID.re.test(key)) {
    const byId = project.codes.find((c) => c.id === key);
    if (byId) return byId;
  }
  return project.codes.find((c) => c.name.trim().normalize('NFC').toLowerCase() === key);
}
