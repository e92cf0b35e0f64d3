// Renaming and moving transcripts (or folders of them): the workspace-relative paths recorded in the
// project's files follow the move. Pure functions; the editor layer moves the files themselves.
import type { Memo, ProjectFile, Sidecar } from './model';

/** One rename: a file or a folder, workspace-relative, forward slashes. */
export interface PathMove {
  from: string;
  to: string;
}

const trimSlash = (p: string): string => p.replace(/\/+$/, '');

/**
 * Where `path` is after the moves: `from` itself becomes `to`, and anything under the folder `from/`
 * moves along. The first move that applies wins; undefined when none applies.
 */
export function movedPath(path: string, moves: readonly PathMove[]): string | undefined {
  for (const m of moves) {
    const from = trimSlash(m.from);
    const to = trimSlash(m.to);
    if (!from || from === to) continue;
    if (path === from) return to;
    if (path.startsWith(from + '/')) return to + path.slice(from.length);
  }
  return undefined;
}

/**
 * The cases' and sets' document lists, and the REFI-QDA sources, after the moves; the same object when
 * no path changed. A moved source keeps its GUID and is named by its new path from then on.
 */
export function renameInProject(project: ProjectFile, moves: readonly PathMove[]): ProjectFile {
  let changed = false;
  const follow = <T extends { documents: string[] }>(k: T): T => {
    const documents = k.documents.map((d) => movedPath(d, moves) ?? d);
    if (documents.every((d, i) => d === k.documents[i])) return k;
    changed = true;
    return { ...k, documents };
  };
  const cases = project.cases.map(follow);
  const sets = project.sets?.map((k) => {
    const moved = follow(k);
    return moved === k ? k : { ...moved, documents: [...moved.documents].sort() };
  });
  const sources = project.sources?.map((s) => {
    const path = movedPath(s.path, moves);
    if (path === undefined) return s;
    changed = true;
    return { id: s.id, path };
  });
  if (!changed) return project;
  const out: ProjectFile = { ...project, cases };
  if (sets) out.sets = sets;
  if (sources) out.sources = sources;
  return out;
}

/** The sidecar with `document.path` after the moves; the same object when it did not move. */
export function renameInSidecar(sidecar: Sidecar, moves: readonly PathMove[]): Sidecar {
  const path = movedPath(sidecar.document.path, moves);
  if (path === undefined) return sidecar;
  return { ...sidecar, document: { ...sidecar.document, path } };
}

/**
 * A memo about a moved document points to its new path; the same object otherwise. `modified` is left
 * alone: the memo's text did not change.
 */
export function renameInMemo(memo: Memo, moves: readonly PathMove[]): Memo {
  if (memo.target.kind !== 'document') return memo;
  const path = movedPath(memo.target.path, moves);
  if (path === undefined) return memo;
  return { ...memo, target: { kind: 'document', path } };
}
