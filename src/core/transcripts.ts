// Which workspace files are transcripts. Pure: decided on the workspace-relative path alone.
import { minimatch } from 'minimatch';
import { EXPORT_DIR, MEMO_DIR, PROJECT_FILE, SIDECAR_SUFFIX } from './model';
import { isLockPath } from './lock';
import { STAGING_PREFIX } from './staging';

export const DEFAULT_TRANSCRIPT_GLOBS = ['**/*.txt', '**/*.md'];

/** Paths that are never transcripts, whatever the globs say. */
export function isReservedPath(relPath: string): boolean {
  const parts = relPath.split('/');
  return (
    relPath.endsWith(SIDECAR_SUFFIX) ||
    relPath === PROJECT_FILE ||
    parts[0] === MEMO_DIR ||
    parts[0] === EXPORT_DIR ||
    parts.includes('node_modules') ||
    parts.includes('.git') ||
    relPath.endsWith('.tmp') ||
    isLockPath(relPath) ||
    parts[0].startsWith(STAGING_PREFIX)
  );
}

/** True when the workspace-relative path (forward slashes) matches one of the globs and is not reserved. */
export function isTranscriptPath(relPath: string, globs: readonly string[] = DEFAULT_TRANSCRIPT_GLOBS): boolean {
  if (!relPath || isReservedPath(relPath)) return false;
  return globs.some((g) => minimatch(relPath, g, { dot: false, nocase: false }));
}
