// The `grounded` command line. Bundled into dist/cli.js (see scripts/build.mjs); package.json's `bin`.
// Exit status: 0 clean, 1 problems found, 2 usage error (or the check could not run at all).
import { statSync } from 'node:fs';
import * as nodePath from 'node:path';
import { version } from '../../package.json';
import { ProjectError } from './load';
import { NodeFileSystem } from './nodeFs';
import { InputError, agreementCsv, agreementOf, agreementOfMany, agreementTable, manyAgreementTable, statsOf, statsTable } from './reports';

// The commands that need the large libraries (markdown-it for the report, fflate and saxes for REFI-QDA,
// the transcript readers) live in src/cli/more.ts, which the build bundles apart as dist/cli-more.js
// (scripts/build.mjs): it is read and compiled only when one of them runs, not for every `check`,
// `stats`, `agreement` or `--version`. `merge-driver` stays in dist/cli.js: git runs a copy of that one
// file (src/vscode/gitSetup.ts), which must work alone.
// Required, not import()ed: an import() of the CommonJS bundle would have Node's ES module loader scan
// all of dist/cli-more.js for its exports first (cjs-module-lexer), a tenth of a second for nothing.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const more = async (): Promise<typeof import('./more')> => require('./more') as typeof import('./more');
const checkCommand = () => import('./check');
const historyCommand = () => import('../node/gitHistory');
// In dist/cli.js still (the lone copy git runs needs `merge-driver`), but initialised only when run: it
// loads node:child_process, which the other commands do not need.
const gitCommands = () => import('./gitCommands');

export const USAGE = `Usage: grounded <command> [options]

Commands:
  check [dir] [--json]  Check a Grounded project (default: the current folder) without changing
                        anything: grounded.json, sidecars, memos, transcripts, anchors and codes.
                        --json prints a machine-readable report.
  merge-driver %O %A %B %P
                        git's merge driver for sidecars and grounded.json: merges by record id,
                        keeps both versions of a record changed on both sides (flagged
                        "conflictOf") and exits 1 so that git reports them.
  report [dir] [--format md|html|csv|codebook-csv|codebook-md|saturation-svg] [--out FILE]
  report [dir] --all --out FOLDER
                        The report: categories with memos, codes, counts and representative
                        quotes by pseudonym; saturation; the codebook; a methods appendix. csv:
                        every coding. The pseudonym table is applied; exit 1 if a real name remains.
  git-setup [dir] [--command CMD]
                        Adds the driver to .gitattributes and to the repository's git config.
  agreement [dir] [--coders a,b] [--json|--csv]
  agreement [dir] --coders a,b,c... [--overlap 0.9] [--json]
                        Inter-coder agreement, by character: percentage agreement, Cohen's kappa
                        and Krippendorff's alpha for each code and document, each code, and
                        overall. Default coders: the two people with most codings. Three or more coders:
                        alpha of all, every pair, and agreement by segment (--overlap).
  stats [dir] [--json]  Codes with their segments, documents and coders; each document's coverage.
  history [dir] [--json] [--code NAME]
                        The codebook's history from git: every code created, renamed, recoloured,
                        described, moved, merged, promoted to category, marked focused or deleted,
                        with commit, date and author, oldest first. --code: one code's changes.
  import-transcript FILE... [--into DIR] [--md]
                        Converts .docx, .odt, .vtt and .srt files into .txt (or .md) transcripts;
                        subtitle cues become speaker turns "Name (hh:mm:ss): text". Never overwrites.
  export --qdpx FILE [dir] [--crlf] | export --qdc FILE [dir]
                        REFI-QDA export (NVivo, ATLAS.ti, MAXQDA, QualCoder): the project as .qdpx,
                        or the codebook as .qdc. --crlf: CRLF line endings, for MAXQDA.
  import FILE --into DIR [--coder NAME]
                        REFI-QDA import of a .qdpx or .qdc into a folder without a project.
  map [dir] --list | map [dir] --name NAME [--svg FILE]
                        The theory maps: listed, or one drawn as SVG (boxes with counts, arrows
                        labelled with the relation types), the pseudonym table applied.
  suggest [dir] --endpoint URL --model NAME [--files GLOB] [--allow-remote] [--json]
          [--concurrency N] [--timeout SECONDS] [--retries N] [--chunk N]
                        Asks a model at an OpenAI-compatible endpoint (Ollama, llama.cpp, LM
                        Studio) for codings; stores them as pending suggestions of "AI: <model>",
                        counted nowhere until a person accepts them. Only endpoints on this
                        machine unless --allow-remote. See grounded suggest --help.

Options:
  -h, --help     Show this help
  -v, --version  Show the version

Exit status: 0 no problems, 1 problems found, 2 usage error.
`;

const CHECK_USAGE = `Usage: grounded check [dir] [--json]

Checks the Grounded project in dir (default: the current folder) and changes nothing. Reports
files that do not parse (as path:line:column: message), sidecars whose transcript is missing,
codings that cannot be found in a changed transcript (orphaned) or refer to a code that is not in
the codebook, codings that repeat another (the same coder's same code on the same span: counted
once), codes whose name another code at the same level has (ignoring case), merge conflicts left
by the git merge driver, and memos about codes, codings or documents that do not exist.

Exit status: 0 no problems, 1 problems found, 2 usage error.
`;

const AGREEMENT_USAGE = `Usage: grounded agreement [dir] [--coders a,b] [--overlap 0.9] [--json|--csv]
       grounded agreement [dir] --coders a,b,c... [--overlap 0.9] [--json]

Compares the codings of two coders (or more) in the Grounded project in dir (default: the current
folder), character by character: for every code and document, every code over all documents, and
overall (all codes and documents pooled): percentage agreement, Cohen's kappa and Krippendorff's
alpha (nominal). A code that neither coder applied in a document counts as full agreement there
(kappa 1, as NVivo does). A coder who did not code a compared document did not apply its codes
there (no missing values). Orphaned codings are left out. See docs/AGREEMENT.md.

  --coders a,b  the two coders (names as recorded on the codings); default: the two people with most codings
  --coders a,b,c
                three or more coders: Krippendorff's alpha of all of them by character, every pair
                (agreement, kappa, alpha) and agreement by segment, per code and overall
  --overlap 0.9 agreement by segment: a coder's segment agrees when the other coder (with three or
                more: every other coder) coded the same code in the document on a segment that
                overlaps it by at least this share of their union; default 0.9 (90%). With two
                coders it adds the segment figures ("segments" in the JSON); with three or more
                they are always there
  --json        {"coders", "overall", "codes", "byCode"} with kappa and alpha to 4 decimals and
                percentAgreement in percent to 2 decimals, plus the exact character counts; three
                or more coders: {"coders", "overlap", "overall", "codes", "pairs", "byCode"}
  --csv         one row per code and document (two coders)

Exit status: 0 done, 2 usage error or a project that cannot be read.
`;

const STATS_USAGE = `Usage: grounded stats [dir] [--json]

Lists the codes of the Grounded project in dir (default: the current folder) with their segments,
documents and coders ("with subcodes" adds the codes below), and every coded transcript with its
length, codings, orphans, coders and the share of its text coded (--json: "coverage" from 0 to 1,
rounded to 4 decimals). The numbers are the extension's: a coding that repeats another (same coder,
code and span) counts once; orphaned codings, codings of codes not in the codebook and codings
wholly inside the turns of settings.excludedSpeakers are not counted.

Exit status: 0 done, 2 usage error or a project that cannot be read.
`;

const HISTORY_USAGE = `Usage: grounded history [dir] [--json] [--code NAME]

Lists how the codebook of the Grounded project in dir (default: the current folder) changed, read
from the git history of grounded.json: each commit that changed it (date and time in UTC, author,
commit and its message), oldest first, with one line per change to a code: created, renamed, recoloured, described,
moved (under a category or to the top level), merged into another code (the deleted code's codings
went to that code in the same commit's sidecars), promoted to category (it got its first subcode),
marked focused (or unmarked), deleted. Only committed changes count. See README.md (The command line).

  --code NAME  only that code's changes (with the codes merged into it); NAME is any name it had
               (so renames are followed) or its id
  --json       {"events":[{"commit","date","author","kind","codeId","name","from","to"}]}, oldest
               first; date: the author date in ISO 8601 (UTC); from/to: old and new name, colour,
               description or parent (null: top level); the category (created), the subcode
               (promoted) or the code merged into (merged) in to; null where nothing applies

Exit status: 0 done (also when grounded.json was never committed: "no history yet"), 2 usage error,
no git, not a git repository, or an unknown or ambiguous code.
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
    if (command === 'merge-driver') return (await gitCommands()).mergeDriver(rest, io);
    if (command === 'git-setup') return (await gitCommands()).gitSetup(rest, io);
    if (command === 'report') return await (await more()).report(rest, io);
    if (command === 'agreement') return await agreement(rest, io);
    if (command === 'stats') return await stats(rest, io);
    if (command === 'history') return await history(rest, io);
    if (command === 'import-transcript') return await (await more()).importTranscriptCommand(rest, io);
    if (command === 'export') return await (await more()).exportCommand(rest, io);
    if (command === 'import') return await (await more()).importCommand(rest, io);
    if (command === 'map') return await (await more()).mapCommand(rest, io);
    if (command === 'suggest') return await (await more()).suggestCommand(rest, io);
    if (command.startsWith('-')) throw new UsageError(`unknown option ${command}`);
    throw new UsageError(`unknown command "${command}"`);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`grounded: ${err.message}\nRun "grounded --help" for usage.\n`);
    } else if (err instanceof InputError) {
      io.err(`grounded: ${err.message}\n`);
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

  const { checkProject, formatReport } = await checkCommand();
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

interface ReportArgs {
  root: string;
  /** the folder as the user named it */
  dir: string;
  flags: Set<string>;
  values: Map<string, string>;
  help: boolean;
}

/** Options of the report commands: `flags` without a value, `valued` with one (`--x v` or `--x=v`), one folder. */
function reportArgs(command: string, args: readonly string[], io: Io, flags: readonly string[], valued: readonly string[] = []): ReportArgs {
  const out: ReportArgs = { root: '', dir: '', flags: new Set(), values: new Map(), help: false };
  const dirs: string[] = [];
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (options && arg === '--') options = false;
    else if (options && (arg === '-h' || arg === '--help')) out.help = true;
    else if (options && flags.includes(arg)) out.flags.add(arg);
    else if (options && valued.some((v) => arg === v || arg.startsWith(v + '='))) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg : arg.slice(0, eq);
      const value = eq < 0 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${command}: ${name} needs a value`);
      out.values.set(name, value);
    } else if (options && arg.startsWith('-') && arg !== '-') throw new UsageError(`${command}: unknown option ${arg}`);
    else dirs.push(arg);
  }
  if (dirs.length > 1) throw new UsageError(`${command}: one folder at most, got ${dirs.length}: ${dirs.join(' ')}`);
  const dir = dirs[0] ?? '.';
  out.dir = dir;
  out.root = nodePath.resolve(io.cwd, dir);
  if (out.help) return out;
  let isDir = false;
  try {
    isDir = statSync(out.root).isDirectory();
  } catch {
    throw new UsageError(`${command}: no such folder: ${dir}`);
  }
  if (!isDir) throw new UsageError(`${command}: not a folder: ${dir}`);
  return out;
}

async function agreement(args: readonly string[], io: Io): Promise<number> {
  const a = reportArgs('agreement', args, io, ['--json', '--csv'], ['--coders', '--overlap']);
  if (a.help) {
    io.out(AGREEMENT_USAGE);
    return 0;
  }
  if (a.flags.has('--json') && a.flags.has('--csv')) throw new UsageError('agreement: --json and --csv exclude each other');
  const coders = a.values.get('--coders')?.split(',').map((c) => c.trim());
  const overlapArg = a.values.get('--overlap');
  const overlap = overlapArg === undefined ? undefined : parseOverlap(overlapArg);
  if (coders && coders.length > 2) {
    if (a.flags.has('--csv')) throw new UsageError('agreement: --csv is one row per code and document for two coders; for three or more, use --json or the table');
    const many = await reported('agreement', () => agreementOfMany(new NodeFileSystem(a.root), coders, a.dir, { overlap }));
    for (const w of many.warnings) io.err(`grounded: note: ${w}\n`);
    io.out(a.flags.has('--json') ? JSON.stringify(many.json, null, 2) + '\n' : manyAgreementTable(many.json));
    return 0;
  }
  if (overlap !== undefined && a.flags.has('--csv')) throw new UsageError('agreement: --csv has no segment columns; use --overlap with --json or the table');
  const result = await reported('agreement', () => agreementOf(new NodeFileSystem(a.root), coders, a.dir, { overlap }));
  for (const w of result.warnings) io.err(`grounded: note: ${w}\n`);
  if (a.flags.has('--json')) io.out(JSON.stringify(result.json, null, 2) + '\n');
  else if (a.flags.has('--csv')) io.out(agreementCsv(result.json));
  else io.out(agreementTable(result.json));
  return 0;
}

/** `--overlap 0.9` or `--overlap 90%`: a share in (0, 1]. */
function parseOverlap(value: string): number {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  const share = percent ? Number(percent[1]) / 100 : /^\s*(\d+(?:\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : NaN;
  if (!(share > 0 && share <= 1)) throw new UsageError(`agreement: --overlap takes a share above 0 and at most 1 (0.9, or 90%), got "${value}"`);
  return share;
}

async function stats(args: readonly string[], io: Io): Promise<number> {
  const a = reportArgs('stats', args, io, ['--json']);
  if (a.help) {
    io.out(STATS_USAGE);
    return 0;
  }
  const result = await reported('stats', () => statsOf(new NodeFileSystem(a.root), a.dir));
  for (const w of result.warnings) io.err(`grounded: note: ${w}\n`);
  io.out(a.flags.has('--json') ? JSON.stringify(result.json, null, 2) + '\n' : statsTable(result.json));
  return 0;
}

async function history(args: readonly string[], io: Io): Promise<number> {
  const a = reportArgs('history', args, io, ['--json'], ['--code']);
  if (a.help) {
    io.out(HISTORY_USAGE);
    return 0;
  }
  const { codebookHistory, HistoryError, eventsOfCode, formatHistory, historyJson, matchCode } = await historyCommand();
  let result;
  try {
    result = await codebookHistory(a.root, a.dir);
  } catch (err) {
    if (err instanceof HistoryError) throw new InputError(err.message);
    throw err;
  }
  for (const n of result.notes) io.err(`grounded: note: ${n}\n`);
  let events = result.events;
  const query = a.values.get('--code');
  if (query !== undefined) {
    const match = matchCode(events, query);
    if (match.kind === 'none') throw new InputError(`history: no code named "${query}" in the history of grounded.json (a code not committed yet has no history)`);
    if (match.kind === 'ambiguous') {
      const list = match.codes.map((c) => `  ${c.codeId}  ${c.names.map((n) => `"${n}"`).join(', ')} (${c.first.kind} ${c.first.date.slice(0, 10)})`).join('\n');
      throw new InputError(`history: "${query}" was the name of ${match.codes.length} codes; give one's id with --code:\n${list}`);
    }
    events = eventsOfCode(events, match.codeId);
  }
  if (a.flags.has('--json')) {
    if (result.none) io.err('grounded: note: no history yet: grounded.json has never been committed\n');
    io.out(historyJson(events));
  } else if (result.none) {
    io.out('No history yet: grounded.json has never been committed. Commit it (git add grounded.json, git commit) and its changes will be listed here.\n');
  } else if (events.length === 0) {
    io.out(`No changes to the codes in the ${result.commits} commit(s) of grounded.json.\n`);
  } else {
    io.out(formatHistory(events, (c) => result.commitInfo.get(c) ?? { short: c.slice(0, 7), subject: '' }));
  }
  return 0;
}

/** A project that cannot be read is the user's to fix: its message without a stack. */
async function reported<T>(command: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProjectError) throw new InputError(`${command}: ${err.message}`);
    throw err;
  }
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
