// The `grounded` command line. Bundled into dist/cli.js (see scripts/build.mjs); package.json's `bin`.
// Exit status: 0 clean, 1 problems found, 2 usage error (or the check could not run at all).
import { statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { version } from '../../package.json';
import { checkProject, formatReport } from './check';
import { gitSetup, mergeDriver } from './gitCommands';
import { report } from './report';

export const USAGE = `Usage: grounded <command> [options]

Commands:
  check [dir] [--json]  Check a Grounded project (default: the current folder) without changing
                        anything: grounded.json, sidecars, memos, transcripts, anchors and codes.
                        --json prints a machine-readable report.
  merge-driver %O %A %B %P
                        git's merge driver for sidecars and grounded.json: merges by record id,
                        keeps both versions of a record changed on both sides (flagged
                        "conflictOf") and exits 1 so that git reports them.
  report [dir] [--format md|html|csv] [--out FILE]
                        The report: categories with memos, codes, counts and representative
                        quotes by pseudonym; the codebook; a methods appendix. csv: every coding.
  git-setup [dir] [--command CMD]
                        Adds the driver to .gitattributes and to the repository's git config.

Options:
  -h, --help     Show this help
  -v, --version  Show the version

Exit status: 0 no problems, 1 problems found, 2 usage error.
`;

const CHECK_USAGE = `Usage: grounded check [dir] [--json]

Checks the Grounded project in dir (default: the current folder) and changes nothing. Reports
files that do not parse (as path:line:column: message), sidecars whose transcript is missing,
codings that cannot be found in a changed transcript (orphaned) or refer to a code that is not in
the codebook, and memos about codes, codings or documents that do not exist.

Exit status: 0 no problems, 1 problems found, 2 usage error.
`;

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

class UsageError extends Error {}

/** Runs the command line `argv` (without node and the script) and returns the exit status. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      io.out(USAGE);
      return 0;
    }
    if (command === '-v' || command === '--version') {
      io.out(`${version}\n`);
      return 0;
    }
    if (command === 'check') return await check(rest, io);
    if (command === 'merge-driver') return mergeDriver(rest, io);
    if (command === 'git-setup') return gitSetup(rest, io);
    if (command === 'report') return await report(rest, io);
    if (command.startsWith('-')) throw new UsageError(`unknown option ${command}`);
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`grounded: ${err.message}\nRun "grounded --help" for usage.\n`);
    } else {
      io.err(`grounded: ${err instanceof Error ? err.message : String(err)}\n`);
    }
    return 2;
  }
}

async function check(args: readonly string[], io: Io): Promise<number> {
  let json = false;
  const dirs: string[] = [];
  let options = true;
  for (const arg of args) {
    if (options && arg === '--') options = false;
    else if (options && (arg === '-h' || arg === '--help')) {
      io.out(CHECK_USAGE);
      return 0;
    } else if (options && arg === '--json') json = true;
    else if (options && arg.startsWith('-') && arg !== '-') throw new UsageError(`check: unknown option ${arg}`);
    else dirs.push(arg);
  }
  if (dirs.length > 1) throw new UsageError(`check: one folder at most, got ${dirs.length}: ${dirs.join(' ')}`);
  const dir = dirs[0] ?? '.';
  const root = nodePath.resolve(io.cwd, dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`check: no such folder: ${dir}`);
  }
  if (!isDir) throw new UsageError(`check: not a folder: ${dir}`);

  const report = await checkProject(root);
  if (json) {
    io.out(JSON.stringify({ ok: report.problems === 0, ...report }, null, 2) + '\n');
  } else {
    // Paths as the user named the folder, so that terminals and editors can open them.
    const shown = (nodePath.isAbsolute(dir) ? root : nodePath.relative(io.cwd, root)).split(nodePath.sep).join('/');
    io.out(formatReport(report, shown ? `${shown.replace(/\/$/, '')}/` : ''));
  }
  return report.problems === 0 ? 0 : 1;
}

if (require.main === module) {
  void run(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  }).then((code) => {
    process.exitCode = code;
  });
}
