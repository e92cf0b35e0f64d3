// Which files of the project's folder belong to the project: the transcripts (by the globs of
// grounded.transcripts) and the sidecars, less what the editor's exclude settings hide (files.exclude,
// search.exclude), and the list of them kept current one created or deleted path at a time. Pure.
import { Minimatch } from 'minimatch';
import { isSidecarPath, sidecarPathFor, transcriptPathFor } from './sidecar';
import { isReservedPath, isTranscriptPath } from './transcripts';

/** An exclude setting as the editor holds it: pattern → on, off, or on under a sibling condition ({ when }). */
export type ExcludeSetting = Record<string, boolean | { when?: string } | null | undefined>;

/**
 * The patterns that are on in the given settings. A conditional pattern (`{ "when": "$(basename).ts" }`)
 * is left out: it hides generated files next to their sources, never transcripts.
 */
export function excludePatterns(...settings: readonly (ExcludeSetting | undefined)[]): string[] {
  const on = new Set<string>();
  for (const setting of settings) for (const [pattern, value] of Object.entries(setting ?? {})) if (value === true) on.add(pattern);
  return [...on].sort();
}

/** What is a transcript and what is a sidecar of the project. */
export class FileRules {
  private readonly excludes: Minimatch[];

  constructor(
    readonly globs: readonly string[],
    readonly excludePatterns: readonly string[] = [],
  ) {
    // The editor's globs match dot files too, and a pattern that matches a folder hides all inside it.
    this.excludes = excludePatterns.map((p) => new Minimatch(p.replace(/\/+$/, ''), { dot: true }));
  }

  /** True when the path, or a folder it is in, matches an exclude pattern. */
  isExcluded(relPath: string): boolean {
    const parts = relPath.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      if (this.excludes.some((m) => m.match(prefix))) return true;
    }
    return false;
  }

  /** A transcript of the project: matches the globs, is not reserved (sidecars, memos, …), is not excluded. */
  isTranscript(relPath: string): boolean {
    return isTranscriptPath(relPath, this.globs) && !this.isExcluded(relPath);
  }

  /**
   * A sidecar of the project: its transcript is neither reserved (node_modules, .git, memos, …) nor
   * excluded. A pattern that hides sidecars alone (one on `*.codes.json`, to tidy the Explorer) hides
   * nothing from Grounded: the codings are the transcript's.
   */
  isSidecar(relPath: string): boolean {
    if (!isSidecarPath(relPath)) return false;
    const transcript = transcriptPathFor(relPath);
    return !isReservedPath(transcript) && !this.isExcluded(transcript);
  }
}

/** The project's files as last found: a full search at the start, then one created or deleted path at a time. */
export class ProjectListing {
  /** transcripts (by the rules) that exist */
  readonly transcripts = new Set<string>();
  /** transcript paths whose sidecars exist */
  readonly withSidecars = new Set<string>();
  /** transcripts known to exist: the listed ones, and those of sidecars that match no glob */
  readonly files = new Set<string>();

  constructor(public rules: FileRules) {}

  /** After a full search: the files found (transcripts and sidecars; others are ignored). */
  reset(rules: FileRules, found: readonly string[]): void {
    this.rules = rules;
    this.transcripts.clear();
    this.withSidecars.clear();
    this.files.clear();
    for (const path of found) this.add(path);
  }

  /** A file was created (or found); true when the listing changed. */
  add(path: string): boolean {
    if (this.rules.isSidecar(path)) return grow(this.withSidecars, transcriptPathFor(path));
    if (this.rules.isTranscript(path)) {
      const listed = grow(this.transcripts, path);
      return grow(this.files, path) || listed;
    }
    // A file that matches no glob still counts as the transcript of its sidecar.
    return this.withSidecars.has(path) && grow(this.files, path);
  }

  /** A file or a folder was deleted; true when the listing changed. */
  remove(path: string): boolean {
    let changed = false;
    const inside = (p: string) => p === path || p.startsWith(`${path}/`);
    for (const set of [this.transcripts, this.files]) {
      for (const p of [...set]) if (inside(p) && set.delete(p)) changed = true;
    }
    for (const p of [...this.withSidecars]) if (inside(sidecarPathFor(p)) && this.withSidecars.delete(p)) changed = true;
    return changed;
  }
}

function grow(set: Set<string>, value: string): boolean {
  if (set.has(value)) return false;
  set.add(value);
  return true;
}

/**
 * The folder a window of several folders serves: the first that holds a project (grounded.json), else the
 * first (Initialize Project makes one there). `unserved`: the other folders that hold a project.
 */
export function servedFolder<T>(folders: readonly T[], hasProject: readonly boolean[]): { served: T; unserved: T[] } | undefined {
  if (folders.length === 0) return undefined;
  const withProject = folders.filter((_, i) => hasProject[i]);
  return { served: withProject[0] ?? folders[0], unserved: withProject.slice(1) };
}
