// What the Categories & Memos board shows, built from the project, the workspace index and the memos
// as plain protocol data (src/shared/webviewProtocol.ts).
import * as vscode from 'vscode';
import type { Code, MemoTarget, ProjectFile } from '../core/model';
import { sortCodes } from '../core/codebook';
import type { CodeCounts, DocumentCodings } from '../core/codebook';
import type { Analysis } from '../core/analysis';
import { childrenOf, codePath } from '../core/project';
import type { MemoEntry } from '../core/store';
import type { BoardData, CodeNode, CodingItem, MemoSummary, NodeRef } from '../shared/webviewProtocol';
import { PROTOCOL_VERSION } from '../shared/webviewProtocol';

const MAX_CODINGS_PER_CODE = 200;
const QUOTE_LENGTH = 90;

function shorten(text: string, n: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

/** The board's data: every number from the one analysis (undefined without a project). */
export function buildBoardData(analysis: Analysis | undefined, memos: readonly MemoEntry[], problems: string[]): BoardData {
  const project = analysis?.project;
  const documents = analysis?.documents ?? [];
  const counts: ReadonlyMap<string, CodeCounts> = analysis?.counts ?? new Map<string, CodeCounts>();
  const codingsOf = new Map<string, CodingItem[]>();
  for (const doc of documents) {
    for (const c of doc.codings) {
      const list = codingsOf.get(c.codeId) ?? [];
      if (list.length < MAX_CODINGS_PER_CODE) list.push({ id: c.id, path: doc.path, quote: shorten(c.anchor.quote, QUOTE_LENGTH), coder: c.coder });
      codingsOf.set(c.codeId, list);
    }
  }
  const node = (p: ProjectFile, code: Code): CodeNode => {
    const n = counts.get(code.id);
    return {
      id: code.id,
      name: code.name,
      color: code.color,
      description: code.description,
      focused: !!code.focused,
      segments: n?.segments ?? 0,
      documents: n?.documents ?? 0,
      coders: n?.coders ?? [],
      totalSegments: n?.totalSegments ?? 0,
      totalDocuments: n?.totalDocuments ?? 0,
      totalCoders: n?.totalCoders ?? [],
      path: codePath(p, code.id).join(' / '),
      children: sortCodes(childrenOf(p, code.id), 'name').map((c) => node(p, c)),
      codings: codingsOf.get(code.id) ?? [],
    };
  };
  return {
    protocol: PROTOCOL_VERSION,
    hasProject: !!project,
    projectName: project?.project.name ?? '',
    codes: project ? sortCodes(childrenOf(project), 'name').map((c) => node(project, c)) : [],
    documents: documents.map((d) => ({ path: d.path, segments: d.codings.length })).sort((a, b) => a.path.localeCompare(b.path)),
    memos: memos.map((e) => summary(e, project, documents)),
    problems,
  };
}

/** The target in words, for headings and the memo list. */
export function targetLabel(target: MemoTarget | NodeRef, project: ProjectFile | undefined, documents: readonly DocumentCodings[]): string {
  switch (target.kind) {
    case 'project':
      return vscode.l10n.t('Project {0}', project?.project.name ?? '').trim();
    case 'code': {
      const code = project?.codes.find((c) => c.id === target.id);
      if (!code) return vscode.l10n.t('Code (deleted: {0})', target.id.slice(0, 8));
      const category = project!.codes.some((c) => c.parent === code.id);
      return category ? vscode.l10n.t('Category {0}', code.name) : vscode.l10n.t('Code {0}', code.name);
    }
    case 'document':
      return vscode.l10n.t('Document {0}', target.path);
    case 'coding': {
      for (const d of documents) {
        const c = d.codings.find((x) => x.id === target.id);
        if (c) return vscode.l10n.t('Coding “{0}” in {1}', shorten(c.anchor.quote, 40), d.path);
      }
      return vscode.l10n.t('Coding {0}', target.id.slice(0, 8));
    }
    case 'relation': {
      const r = project?.relations?.find((x) => x.id === target.id);
      const name = (id: string) => project?.codes.find((c) => c.id === id)?.name ?? id.slice(0, 8);
      return r ? vscode.l10n.t('Relation {0} – {1}', name(r.source), name(r.target)) : vscode.l10n.t('Relation {0}', target.id.slice(0, 8));
    }
  }
}

function summary(e: MemoEntry, project: ProjectFile | undefined, documents: readonly DocumentCodings[]): MemoSummary {
  const first = e.memo.body.split('\n').find((l) => l.trim()) ?? '';
  const title = shorten(first.replace(/^#+\s*/, ''), 80) || vscode.l10n.t('(empty)');
  return {
    path: e.path,
    id: e.memo.id,
    target: e.memo.target,
    targetLabel: targetLabel(e.memo.target, project, documents),
    title,
    author: e.memo.author,
    created: e.memo.created,
    modified: e.memo.modified,
    searchText: `${title}\n${e.memo.body}\n${e.memo.author}`.toLowerCase(),
  };
}

/** A label for a memo's file name: the code's name, the document's file name, "project", "coding". */
export function fileLabel(target: MemoTarget, project: ProjectFile | undefined): string {
  switch (target.kind) {
    case 'project':
      return 'project';
    case 'code':
      return project?.codes.find((c) => c.id === target.id)?.name ?? 'code';
    case 'document':
      return target.path.split('/').pop() ?? 'document';
    case 'coding':
      return 'coding';
    case 'relation':
      return 'relation';
  }
}
