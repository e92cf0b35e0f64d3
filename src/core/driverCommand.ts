// The command line git runs as the merge driver (merge.grounded.driver in .git/config), and what is
// wrong with one already written. git runs it with sh (Git for Windows with its own sh), so the words
// are quoted for sh. The extension writes a command that keeps working after it updates and needs no
// `node` on the PATH: VS Code's own executable, run as Node (ELECTRON_RUN_AS_NODE=1), on a copy of the
// command line in the extension's global storage (the same folder at every version).

/** The file name of the stable copy of the command line (dist/cli.js) in global storage. */
export const STABLE_CLI_FILE = 'grounded-cli.js';

/** The arguments git passes to the driver (ancestor, ours, theirs, the file's path in the repository). */
export const DRIVER_ARGS = 'merge-driver %O %A %B %P';

/** A word for sh: as it is when it holds nothing sh reads specially, otherwise in single quotes. */
export function shQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A Windows path as Git's sh takes it (C:/Users/…); other paths as they are. */
function forSh(path: string, windows: boolean): string {
  return windows ? path.replace(/\\/g, '/') : path;
}

/**
 * The command that runs the command line at `script` with `runtime` (VS Code's executable, or Node)
 * as Node, without the driver's arguments (gitConfigEntries adds them).
 */
export function runtimeCommand(runtime: string, script: string, windows = false): string {
  return `ELECTRON_RUN_AS_NODE=1 ${shQuote(forSh(runtime, windows))} ${shQuote(forSh(script, windows))}`;
}

/**
 * The words of a sh command line as sh splits them: single and double quotes and backslashes are
 * honoured; nothing is expanded. undefined when a quote is not closed.
 */
export function shWords(line: string): string[] | undefined {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (ch === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`\n'.includes(line[j + 1])) j++;
        word += line[j];
      }
      if (j >= line.length) return undefined;
      i = j;
    } else if (ch === '\\') {
      if (i + 1 < line.length) word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/**
 * What a merge.grounded.driver entry is:
 * - `absent`: none (the driver was never set up in this clone);
 * - `stable`: the extension's own command, on the stable copy (working);
 * - `other`: a command the extension does not manage and finds nothing wrong with (`grounded …`,
 *   `npx grounded …`, a command line of one's own): left alone;
 * - `missing-file`: the command line it runs does not exist (e.g. the folder of an earlier version of
 *   the extension, which VS Code removed at the update);
 * - `extension-folder`: it runs the command line inside an extension's versioned folder, which VS
 *   Code removes at the next update;
 * - `missing-runtime`: the program it runs the command line with is not there (`node` not on the PATH,
 *   or a path that does not exist, e.g. VS Code moved); `ours` when it runs the stable copy;
 * - `unreadable`: sh cannot split it (a quote not closed).
 * The last four break every merge of a sidecar: the extension offers to repair them.
 */
export type DriverState =
  | { kind: 'absent' }
  | { kind: 'stable'; runtime: string; script: string }
  | { kind: 'other' }
  | { kind: 'missing-file'; file: string }
  | { kind: 'extension-folder'; file: string }
  | { kind: 'missing-runtime'; runtime: string; ours: boolean }
  | { kind: 'unreadable' };

/** What classifyDriver needs to know of the computer it runs on. */
export interface DriverFacts {
  /** whether a file exists at this (absolute) path */
  exists(path: string): boolean;
  /** whether a program of this name is on the PATH */
  onPath(name: string): boolean;
  /** the stable copy's path (global storage) */
  stableScript: string;
}

const isPathLike = (word: string) => /[\\/]/.test(word);
const isScript = (word: string) => /\.[cm]?js$/i.test(word);
const samePath = (a: string, b: string) => a.replace(/\\/g, '/') === b.replace(/\\/g, '/');
/** `…/<publisher>.grounded-<version>/dist/cli.js`: the command line inside an installed extension's folder */
const EXTENSION_CLI = /[\\/][^\\/]+\.grounded-\d[^\\/]*[\\/]dist[\\/]cli\.js$/i;

export function classifyDriver(value: string | undefined, facts: DriverFacts): DriverState {
  if (value === undefined || value.trim() === '') return { kind: 'absent' };
  const all = shWords(value);
  if (!all) return { kind: 'unreadable' };
  let first = 0;
  while (first < all.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(all[first])) first++;
  const words = all.slice(first);
  const verb = words.indexOf('merge-driver');
  if (verb < 1) return { kind: 'other' };
  const [runtime, ...rest] = words.slice(0, verb);
  const script = rest.find(isScript);
  if (!script) return { kind: 'other' }; // `grounded merge-driver …`, `npx grounded merge-driver …`
  if (isPathLike(script) && !facts.exists(script)) return { kind: 'missing-file', file: script };
  const ours = samePath(script, facts.stableScript);
  if (isPathLike(runtime) ? !facts.exists(runtime) : !facts.onPath(runtime)) return { kind: 'missing-runtime', runtime, ours };
  if (ours) return { kind: 'stable', runtime, script };
  if (EXTENSION_CLI.test(script)) return { kind: 'extension-folder', file: script };
  return { kind: 'other' };
}

/** Whether the extension should offer to repair the entry. */
export function needsRepair(state: DriverState): boolean {
  return state.kind !== 'absent' && state.kind !== 'stable' && state.kind !== 'other';
}

/**
 * The path of VS Code's executable to write into git's config: as it is, except a Snap's revision
 * folder (/snap/code/123/…), which the next revision replaces, becomes the Snap's `current` link.
 */
export function stableRuntime(execPath: string): string {
  return execPath.replace(/^\/snap\/([^/]+)\/\d+\//, '/snap/$1/current/');
}

/**
 * Whether a program `name` is found on a PATH (`path`, its folders split by `delimiter`), trying each
 * of `extensions` (Windows: PATHEXT; elsewhere ['']); `isFile` looks at the disk.
 */
export function onSearchPath(name: string, path: string, delimiter: string, extensions: readonly string[], isFile: (p: string) => boolean): boolean {
  const sep = delimiter === ';' ? '\\' : '/';
  return path
    .split(delimiter)
    .filter(Boolean)
    .some((dir) => extensions.some((ext) => isFile(`${dir.replace(/[\\/]+$/, '')}${sep}${name}${ext}`)));
}

/** The program a driver command runs first (after any NAME=value), or undefined when there is none. */
export function commandProgram(command: string): string | undefined {
  const words = shWords(command) ?? [];
  return words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
}
