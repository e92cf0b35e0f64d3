// `grounded merge-driver` (called by git) and `grounded git-setup` (writes .gitattributes and the
// repository's git config so that git calls the driver).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { gitConfigEntries, mergeFileTexts, mergeableKind, withGitAttributes } from '../core/mergeDriver';
import { commandProgram, onSearchPath } from '../core/driverCommand';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

/**
 * git's merge driver: `grounded merge-driver %O %A %B %P`. Writes the merge into %A. Exit 0 when
 * merged cleanly, 1 when records conflicted (both kept, flagged; git then reports the file as
 * conflicted), 2 when a version does not parse (ours is left as it is).
 */
export function mergeDriver(args: readonly string[], io: Io): number {
  if (args.length !== 4) {
    io.err('grounded merge-driver: expected 4 arguments: %O %A %B %P (ancestor, ours, theirs, path)\n');
    return 2;
  }
  const [basePath, oursPath, theirsPath, repoPath] = args.map((a, i) => (i === 3 ? a : nodePath.resolve(io.cwd, a)));
  const kind = mergeableKind(repoPath.split(nodePath.sep).join('/'));
  if (!kind) {
    io.err(`grounded merge-driver: ${repoPath} is not a sidecar or grounded.json; leave it to git's own merge (see .gitattributes)\n`);
    return 2;
  }
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
  const ours = read(oursPath);
  const theirs = read(theirsPath);
  if (ours === undefined || theirs === undefined) {
    io.err(`grounded merge-driver: cannot read ${ours === undefined ? oursPath : theirsPath}\n`);
    return 2;
  }
  let result;
  try {
    result = mergeFileTexts(kind, read(basePath), ours, theirs, repoPath);
  } catch (err) {
    io.err(`grounded merge-driver: ${err instanceof Error ? err.message : String(err)}\n  ${repoPath} was not merged: it keeps our version, and git reports a conflict.\n`);
    return 2;
  }
  const tmp = `${oursPath}.grounded-merge.tmp`;
  writeFileSync(tmp, result.text);
  renameSync(tmp, oursPath);
  if (result.duplicates > 0) {
    io.err(`grounded merge-driver: ${repoPath}: ${result.duplicates} coding(s) repeated one from the other side (same coder, code and span) and were dropped; the earliest of each pair is kept.\n`);
  }
  if (result.conflicts > 0) {
    io.err(
      `grounded merge-driver: ${repoPath}: ${result.conflicts} record(s) were changed differently on both sides. ` +
        `Both versions are kept; the other side's carries "conflictOf". Keep one of each pair, delete the other, then git add the file.\n`,
    );
    return 1;
  }
  return 0;
}

const SETUP_USAGE = `Usage: grounded git-setup [dir] [--command CMD]

Sets up the Grounded merge driver in the git repository at dir (default: the current folder):
adds "*.codes.json merge=grounded" and "grounded.json merge=grounded" to .gitattributes (commit
it, so co-authors get it too) and writes merge.grounded.driver to the repository's .git/config
(each clone runs this once). CMD is how git should run the command line (default: grounded, which
must then be on the PATH, e.g. after npm install -g or npm link; otherwise give its full path, e.g.
--command "node /path/to/dist/cli.js"). Inside VS Code, "Grounded: Set Up Git Merge Driver" writes a
command that needs no Node.
`;

export function gitSetup(args: readonly string[], io: Io): number {
  let command = 'grounded';
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') {
      io.out(SETUP_USAGE);
      return 0;
    } else if (a === '--command') {
      const next = args[++i];
      if (!next) {
        io.err('grounded git-setup: --command needs a value, e.g. --command "npx grounded"\n');
        return 2;
      }
      command = next;
    } else if (a.startsWith('-')) {
      io.err(`grounded git-setup: unknown option ${a}\n`);
      return 2;
    } else dirs.push(a);
  }
  if (dirs.length > 1) {
    io.err('grounded git-setup: one folder at most\n');
    return 2;
  }
  const root = nodePath.resolve(io.cwd, dirs[0] ?? '.');
  const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: root, encoding: 'utf8' });
  if (top.status !== 0) {
    io.err(`grounded git-setup: ${root} is not inside a git repository (git init first)\n`);
    return 2;
  }
  const attributes = nodePath.join(root, '.gitattributes');
  const before = existsSync(attributes) ? readFileSync(attributes, 'utf8') : undefined;
  const after = withGitAttributes(before);
  if (after !== (before ?? '')) writeFileSync(attributes, after);
  for (const [key, value] of gitConfigEntries(command)) {
    const r = spawnSync('git', ['config', '--local', key, value], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) {
      io.err(`grounded git-setup: git config ${key} failed: ${r.stderr.trim()}\n`);
      return 2;
    }
  }
  io.out(
    `${after !== (before ?? '') ? 'Updated' : 'Kept'} ${nodePath.relative(io.cwd, attributes) || '.gitattributes'}; ` +
      `git config merge.grounded.driver = "${command} merge-driver %O %A %B %P".\n`,
  );
  const program = commandProgram(command);
  if (program && !/[\\/]/.test(program) && !onPath(program)) {
    io.err(
      `grounded git-setup: warning: "${program}" is not on the PATH here, so git cannot run the driver and reports every merge of a sidecar as a conflict. ` +
        `Install the command line (npm install -g, or npm link in its folder), or run git-setup again with --command and a full path, e.g. --command "node /path/to/dist/cli.js".\n`,
    );
  }
  return 0;
}

/** Whether `name` is a program on this process's PATH (with PATHEXT on Windows). */
function onPath(name: string): boolean {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  return onSearchPath(name, process.env.PATH ?? '', nodePath.delimiter, exts, (p) => statSync(p, { throwIfNoEntry: false })?.isFile() ?? false);
}
