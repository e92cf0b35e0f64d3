// A short lock around one file's read-merge-write, so two writers (two VS Code windows, the extension
// and a script or the command line) never both read the same version and then write over each other.
// The lock is a file beside the one written, `<file>.lock`, made with an exclusive create that only
// one process can win. It is held for the few milliseconds of one save. A lock left behind by a
// process that died is broken once it is STALE_LOCK_MS old (by its modification time, or by how long
// it has sat unchanged while we waited: clocks of a remote disk need not agree with ours).
//
// A port without `createExclusive` (a virtual file system) takes no lock: writes then still merge
// with what they find on disk, as before, but two exactly simultaneous saves could race.
import type { FileSystemPort } from './ports';
import { MEMO_DIR, PROJECT_FILE, SIDECAR_SUFFIX } from './model';

export const LOCK_SUFFIX = '.lock';
/** A lock older than this is taken to be left behind by a process that died, and is broken. */
export const STALE_LOCK_MS = 10_000;
/** How long a writer waits for a lock that keeps changing hands before it gives up and says so. */
export const LOCK_TIMEOUT_MS = 30_000;

/** The lock file of a file. */
export function lockPathFor(path: string): string {
  return `${path}${LOCK_SUFFIX}`;
}

/** True for the lock file of a sidecar, of grounded.json or of a memo (never a transcript, never committed). */
export function isLockPath(path: string): boolean {
  return (
    path.endsWith(`${SIDECAR_SUFFIX}${LOCK_SUFFIX}`) ||
    path === `${PROJECT_FILE}${LOCK_SUFFIX}` ||
    (path.startsWith(`${MEMO_DIR}/`) && path.endsWith(`.md${LOCK_SUFFIX}`))
  );
}

/** The .gitignore lines that keep lock and temporary files out of git. */
export const GIT_IGNORE = [
  `*${SIDECAR_SUFFIX}${LOCK_SUFFIX}`,
  `${PROJECT_FILE}${LOCK_SUFFIX}`,
  `*.md${LOCK_SUFFIX}`,
  `*${SIDECAR_SUFFIX}.*.tmp`,
  `${PROJECT_FILE}.*.tmp`,
  `*.md.*.tmp`,
];

/** .gitignore with our lines added (existing lines kept as they are); unchanged when all are there. */
export function withGitIgnore(existing: string | undefined): string {
  const text = (existing ?? '').replace(/\r\n?/g, '\n');
  const present = new Set(text.split('\n').map((l) => l.trim()));
  const missing = GIT_IGNORE.filter((l) => !present.has(l));
  if (missing.length === 0) return existing ?? '';
  const head = text === '' || text.endsWith('\n') ? text : `${text}\n`;
  return `${head}# Grounded: lock and temporary files of a save in progress\n${missing.join('\n')}\n`;
}

/** Thrown when a lock could not be had in LOCK_TIMEOUT_MS. Names the lock file, so the user can act. */
export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string) {
    super(
      `Could not save ${lockPath.slice(0, -LOCK_SUFFIX.length)}: another program kept ${lockPath} locked for ${LOCK_TIMEOUT_MS / 1000} seconds. ` +
        `Nothing was written. Try again; if no other Grounded window or command is running, delete ${lockPath}.`,
    );
    this.name = 'LockTimeoutError';
  }
}

export interface LockTimings {
  staleMs?: number;
  timeoutMs?: number;
  /** the clock, in ms (tests) */
  now?: () => number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `task` while holding `<path>.lock`. Waits (a few ms at a time) while another writer holds it,
 * breaks a stale one, and always removes its own lock afterwards (only its own: a lock that was
 * broken and taken by someone else meanwhile is left to them).
 */
export async function withFileLock<R>(fs: FileSystemPort, path: string, task: () => Promise<R>, timings: LockTimings = {}): Promise<R> {
  if (!fs.createExclusive) return task();
  const lock = lockPathFor(path);
  const staleMs = timings.staleMs ?? STALE_LOCK_MS;
  const timeoutMs = timings.timeoutMs ?? LOCK_TIMEOUT_MS;
  const now = timings.now ?? Date.now;
  const token = `${now()}-${Math.random().toString(36).slice(2, 12)}\n`;
  const started = now();
  let seen: { stamp: string; since: number } | undefined;
  let pause = 1;
  while (!(await fs.createExclusive(lock, token))) {
    const mtime = fs.modifiedTime ? await fs.modifiedTime(lock) : undefined;
    const held = await fs.readText(lock);
    if (held === undefined) continue; // released meanwhile: try again at once
    const stamp = `${mtime ?? ''}|${held}`;
    if (seen?.stamp !== stamp) seen = { stamp, since: now() };
    const stale = (mtime !== undefined && now() - mtime > staleMs) || now() - seen.since > staleMs;
    if (stale) {
      // Only if it is still the same lock: one that changed hands is alive.
      if ((await fs.readText(lock)) === held) await fs.delete(lock).catch(() => undefined);
      seen = undefined;
      continue;
    }
    if (now() - started > timeoutMs) throw new LockTimeoutError(lock);
    await sleep(pause + Math.random() * pause);
    pause = Math.min(pause * 2, 50);
  }
  try {
    return await task();
  } finally {
    if ((await fs.readText(lock).catch(() => undefined)) === token) await fs.delete(lock).catch(() => undefined);
  }
}
