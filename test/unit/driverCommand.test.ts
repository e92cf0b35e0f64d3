// The merge driver's command line: quoting for sh, reading an entry back, what is wrong with an old
// one, and a merge with real git through a command written for folders with spaces and quotes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { classifyDriver, commandProgram, needsRepair, onSearchPath, runtimeCommand, shQuote, shWords, stableRuntime } from '../../src/core/driverCommand';
import type { DriverFacts } from '../../src/core/driverCommand';
import { gitConfigEntries } from '../../src/core/mergeDriver';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { makeAnchor } from '../../src/core/text';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'out/src/cli/main.js');

/** What sh makes of `line`: the words it passes to a program, one per line. */
function shSplits(line: string): string[] {
  const r = spawnSync('sh', ['-c', `for w in ${line}; do printf '%s\\n' "$w"; done`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').slice(0, -1);
}

describe('merge driver command line', () => {
  it('quotes words for sh so that sh reads them back as they were (spaces, quotes, $, backslashes)', () => {
    const words = ['/home/kari/.config/Code/User/globalStorage/grounded-qda.grounded/cli/grounded-cli.js', '/Users/Kari Nordmann/Library/Application Support/Code', "/home/o'brien/it's here", 'a$HOME`x`\\b"c', 'C:/Program Files/Microsoft VS Code/Code.exe'];
    assert.deepEqual(shSplits(words.map(shQuote).join(' ')), words);
    assert.equal(shQuote('/usr/bin/node'), '/usr/bin/node', 'a plain path stays readable');
  });

  it('reads back any words it quoted (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 4 }), (words) => {
        assert.deepEqual(shWords(words.map(shQuote).join(' ')), words);
      }),
    );
  });

  it('reads double quotes and backslashes as sh does, and refuses a quote left open', () => {
    const line = `node "/ext/grounded-qda.grounded-0.1.0/dist/cli.js" merge-driver %O %A %B %P`;
    assert.deepEqual(shWords(line), shSplits(line));
    assert.deepEqual(shWords(`a\\ b "c \\"d\\" \\x" 'e'f`), ['a b', 'c "d" \\x', 'ef']);
    assert.equal(shWords(`node "/unclosed merge-driver`), undefined);
  });

  it("runs VS Code's executable as Node on the stable copy; Windows paths get forward slashes for Git's sh", () => {
    assert.equal(
      runtimeCommand('/usr/share/code/code', '/home/kari/.config/Code/User/globalStorage/grounded-qda.grounded/cli/grounded-cli.js'),
      'ELECTRON_RUN_AS_NODE=1 /usr/share/code/code /home/kari/.config/Code/User/globalStorage/grounded-qda.grounded/cli/grounded-cli.js',
    );
    assert.equal(
      runtimeCommand('C:\\Users\\Kari\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', 'C:\\Users\\Kari\\AppData\\Roaming\\Code\\User\\globalStorage\\grounded-qda.grounded\\cli\\grounded-cli.js', true),
      "ELECTRON_RUN_AS_NODE=1 'C:/Users/Kari/AppData/Local/Programs/Microsoft VS Code/Code.exe' C:/Users/Kari/AppData/Roaming/Code/User/globalStorage/grounded-qda.grounded/cli/grounded-cli.js",
    );
    assert.equal(commandProgram("ELECTRON_RUN_AS_NODE=1 '/a b/code' x.js"), '/a b/code');
    assert.equal(commandProgram('grounded'), 'grounded');
  });

  it('writes the Snap revision folder of VS Code as the Snap\'s current link', () => {
    assert.equal(stableRuntime('/snap/code/184/usr/share/code/code'), '/snap/code/current/usr/share/code/code');
    assert.equal(stableRuntime('/usr/share/code/code'), '/usr/share/code/code');
  });

  it('finds a program on a PATH, with Windows extensions', () => {
    const files = new Set(['/usr/bin/git', 'c:\\git\\bin\\git.exe']);
    const isFile = (p: string) => files.has(p.toLowerCase()); // as on Windows, where case does not matter
    assert.equal(onSearchPath('git', '/opt/bin:/usr/bin/', ':', [''], isFile), true);
    assert.equal(onSearchPath('node', '/opt/bin:/usr/bin', ':', [''], isFile), false);
    assert.equal(onSearchPath('git', 'C:\\Windows;C:\\Git\\bin', ';', ['.COM', '.EXE'], isFile), true);
  });
});

describe('merge driver entry: what is wrong with it', () => {
  const stable = '/home/kari/.config/Code/User/globalStorage/grounded-qda.grounded/cli/grounded-cli.js';
  const oldFolder = '/home/kari/.vscode/extensions/grounded-qda.grounded-0.1.0/dist/cli.js';
  const newFolder = '/home/kari/.vscode/extensions/grounded-qda.grounded-0.2.0/dist/cli.js';
  const facts = (files: string[], path: string[] = []): DriverFacts => ({ exists: (p) => files.includes(p), onPath: (n) => path.includes(n), stableScript: stable });
  const entry = (command: string) => gitConfigEntries(command)[1][1];

  it('is absent, ours and working, or a command of the user\'s own left alone', () => {
    assert.equal(classifyDriver(undefined, facts([])).kind, 'absent');
    assert.equal(classifyDriver(entry(runtimeCommand('/usr/share/code/code', stable)), facts([stable, '/usr/share/code/code'])).kind, 'stable');
    assert.equal(classifyDriver(entry('grounded'), facts([])).kind, 'other', 'the npm-installed command line (a terminal set-up)');
    assert.equal(classifyDriver(entry('npx grounded'), facts([])).kind, 'other');
    assert.equal(classifyDriver(entry('node /home/kari/src/grounded/dist/cli.js'), facts(['/home/kari/src/grounded/dist/cli.js'], ['node'])).kind, 'other');
  });

  it('the old command: the extension folder removed at an update, or one the next update removes, or no node', () => {
    const old = entry(`node "${oldFolder}"`);
    assert.deepEqual(classifyDriver(old, facts([newFolder], ['node'])), { kind: 'missing-file', file: oldFolder });
    assert.deepEqual(classifyDriver(old, facts([oldFolder], ['node'])), { kind: 'extension-folder', file: oldFolder });
    assert.deepEqual(classifyDriver(old, facts([oldFolder], [])), { kind: 'missing-runtime', runtime: 'node', ours: false });
    assert.deepEqual(classifyDriver(entry(runtimeCommand('/gone/code', stable)), facts([stable])), { kind: 'missing-runtime', runtime: '/gone/code', ours: true }, 'VS Code moved');
    assert.deepEqual(classifyDriver(entry(runtimeCommand('/usr/share/code/code', stable)), facts(['/usr/share/code/code'])), { kind: 'missing-file', file: stable });
    assert.equal(classifyDriver(`node "${oldFolder} merge-driver %O %A %B %P`, facts([])).kind, 'unreadable');
    for (const [value, f] of [[old, facts([oldFolder], ['node'])], [old, facts([])]] as const) assert.ok(needsRepair(classifyDriver(value, f)));
    for (const kind of ['absent', 'stable', 'other'] as const) assert.ok(!needsRepair({ kind } as never));
  });
});

describe('merge driver command line with real git', function () {
  this.timeout(60000);
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("merges a sidecar through the command written for a runtime and a command line in folders with spaces and quotes, with no node on git's PATH", () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-driver-'));
    // Where VS Code and its global storage may live: spaces and a quote in the paths.
    const app = path.join(dir, "Kari's Apps", 'Visual Studio Code');
    const storage = path.join(dir, 'Application Support', "Code 'Insiders'", 'cli');
    mkdirSync(app, { recursive: true });
    mkdirSync(storage, { recursive: true });
    const runtime = path.join(app, 'code');
    symlinkSync(process.execPath, runtime);
    const script = path.join(storage, 'grounded-cli.js');
    writeFileSync(script, `require(${JSON.stringify(CLI)}).run(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), cwd: process.cwd() }).then((c) => { process.exitCode = c; });\n`);
    // git and sh only: node is not on this PATH.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['git', 'sh']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(found, path.join(bin, tool));
    }
    const repo = path.join(dir, 'project');
    cpSync(path.join(ROOT, 'sample'), repo, { recursive: true });
    const env = { ...process.env, PATH: bin, HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Kari', GIT_AUTHOR_EMAIL: 'kari@example.org', GIT_COMMITTER_NAME: 'Kari', GIT_COMMITTER_EMAIL: 'kari@example.org' };
    const git = (...args: string[]) => {
      const r = spawnSync(path.join(bin, 'git'), args, { cwd: repo, encoding: 'utf8', env });
      assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    };
    assert.notEqual(spawnSync(path.join(bin, 'sh'), ['-c', 'command -v node'], { env }).status, 0, 'node is not on the PATH');
    git('init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, '.gitattributes'), '*.codes.json merge=grounded\n');
    for (const [key, value] of gitConfigEntries(runtimeCommand(runtime, script))) git('config', '--local', key, value);
    git('add', '-A');
    git('commit', '-q', '-m', 'sample');
    const rel = 'interviews/interview-02.txt';
    const text = readFileSync(path.join(repo, rel), 'utf8').replace(/\r\n?/g, '\n');
    const addCoding = (id: string, start: number) => {
      const file = path.join(repo, `${rel}.codes.json`);
      const s = parseSidecar(readFileSync(file, 'utf8'), rel);
      const coding = { id, codeId: s.codings[0].codeId, anchor: makeAnchor(text, start, start + 20), coder: 'Kari', created: '2026-12-05T10:00:00.000Z' };
      writeFileSync(file, serializeSidecar({ ...s, codings: [...s.codings, coding] }));
    };
    git('checkout', '-q', '-b', 'ola');
    addCoding('0a000000-0000-4000-8000-000000000001', 10);
    git('commit', '-q', '-am', 'Ola');
    git('checkout', '-q', 'main');
    addCoding('0b000000-0000-4000-8000-000000000002', 200);
    git('commit', '-q', '-am', 'Kari');
    git('merge', '--no-edit', 'ola');
    const ids = parseSidecar(readFileSync(path.join(repo, `${rel}.codes.json`), 'utf8'), rel).codings.map((c) => c.id);
    assert.ok(ids.includes('0a000000-0000-4000-8000-000000000001') && ids.includes('0b000000-0000-4000-8000-000000000002'), ids.join(', '));
  });

  it('grounded git-setup warns when the command it writes is not on the PATH (a terminal set-up)', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-setup-'));
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim(), path.join(bin, 'git'));
    const env = { ...process.env, PATH: bin, HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };
    assert.equal(spawnSync('git', ['init', '-q', dir], { env: { ...env, PATH: process.env.PATH } }).status, 0);
    const setup = spawnSync(process.execPath, [CLI, 'git-setup', dir], { encoding: 'utf8', env });
    assert.equal(setup.status, 0, setup.stderr);
    assert.match(setup.stderr, /"grounded" is not on the PATH here/);
    assert.match(setup.stderr, /--command "node \/path\/to\/dist\/cli\.js"/);
    const full = spawnSync(process.execPath, [CLI, 'git-setup', dir, '--command', `${shQuote(process.execPath)} ${shQuote(CLI)}`], { encoding: 'utf8', env });
    assert.equal(full.status, 0, full.stderr);
    assert.equal(full.stderr, '', 'a full path: nothing to warn about');
  });
});
