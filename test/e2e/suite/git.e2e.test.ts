// "Grounded: Set Up Git Merge Driver" in a workspace that is a git repository, and the check of the
// repository's driver entry (Repair for one that points at a removed extension folder).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runtimeCommand, shWords } from '../../../src/core/driverCommand';
import { groundedApi, until, workspaceRoot } from './helpers';

const driverEntry = (root: string) => execFileSync('git', ['config', '--local', 'merge.grounded.driver'], { cwd: root, encoding: 'utf8' }).trim();

describe('Set Up Git Merge Driver', function () {
  this.timeout(60000);

  it("writes .gitattributes and a git config entry that runs a stable copy of the command line with VS Code's own runtime", async () => {
    const g = await groundedApi();
    const root = workspaceRoot();
    if (!fs.existsSync(path.join(root, '.git'))) execFileSync('git', ['init', '-q'], { cwd: root });
    const driver = await vscode.commands.executeCommand<string>('grounded.setUpGitMergeDriver');
    const attributes = fs.readFileSync(path.join(root, '.gitattributes'), 'utf8');
    assert.match(attributes, /^\*\.codes\.json merge=grounded$/m);
    assert.match(attributes, /^grounded\.json merge=grounded$/m);
    const configured = driverEntry(root);
    assert.equal(configured, driver);
    const words = shWords(configured)!;
    assert.deepEqual(words.slice(0, 1), ['ELECTRON_RUN_AS_NODE=1'], configured);
    assert.equal(words[1], process.execPath, "VS Code's own executable, not `node` on the PATH");
    assert.deepEqual(words.slice(3), ['merge-driver', '%O', '%A', '%B', '%P']);
    const copy = words[2];
    assert.equal(copy, g.gitDriver.stableScript);
    assert.ok(!copy.startsWith(vscode.extensions.getExtension('grounded-qda.grounded')!.extensionPath), `${copy} is outside the extension's folder`);
    assert.deepEqual(fs.readFileSync(copy), fs.readFileSync(path.join(vscode.extensions.getExtension('grounded-qda.grounded')!.extensionPath, 'dist', 'cli.js')));
    // Run twice: nothing is added twice.
    await vscode.commands.executeCommand('grounded.setUpGitMergeDriver');
    assert.equal(fs.readFileSync(path.join(root, '.gitattributes'), 'utf8'), attributes);
  });

  it('offers to repair an entry that runs the command line of a removed extension folder with node, and Repair fixes it', async () => {
    const g = await groundedApi();
    const root = workspaceRoot();
    if (!fs.existsSync(path.join(root, '.git'))) execFileSync('git', ['init', '-q'], { cwd: root });
    const removed = path.join(path.dirname(vscode.extensions.getExtension('grounded-qda.grounded')!.extensionPath), 'grounded-qda.grounded-0.0.9', 'dist', 'cli.js');
    assert.ok(!fs.existsSync(removed));
    execFileSync('git', ['config', '--local', 'merge.grounded.driver', `node "${removed}" merge-driver %O %A %B %P`], { cwd: root });
    fs.rmSync(g.gitDriver.stableScript, { force: true });
    const before = g.shownNotifications().length;
    assert.deepEqual(await g.gitDriver.check(), { kind: 'missing-file', file: removed });
    const warning = await until('the warning', () => g.shownNotifications().slice(before).find((n) => n.severity === 'warning'));
    assert.match(warning.message, /no longer exists/);
    assert.ok(warning.message.includes(removed), warning.message);
    assert.deepEqual(warning.actions.map((a) => a.title), ['Repair', 'Not Now']);
    await warning.actions[0].run();
    const repaired = driverEntry(root);
    assert.equal(shWords(repaired)![2], g.gitDriver.stableScript);
    assert.ok(fs.existsSync(g.gitDriver.stableScript), 'the stable copy is written again');
    assert.equal((await g.gitDriver.check())?.kind, 'stable');
    assert.ok(g.shownNotifications().slice(before).some((n) => n.severity === 'info' && n.message.includes('repaired')));
  });

  it('writes its own entry again, without asking, when VS Code is no longer where the entry says', async () => {
    const g = await groundedApi();
    const root = workspaceRoot();
    if (!fs.existsSync(path.join(root, '.git'))) execFileSync('git', ['init', '-q'], { cwd: root });
    await g.gitDriver.refreshStableCopy();
    execFileSync('git', ['config', '--local', 'merge.grounded.driver', `${runtimeCommand('/opt/VS Code (old)/code', g.gitDriver.stableScript)} merge-driver %O %A %B %P`], { cwd: root });
    const before = g.shownNotifications().length;
    assert.deepEqual(await g.gitDriver.check(), { kind: 'missing-runtime', runtime: '/opt/VS Code (old)/code', ours: true });
    assert.equal(shWords(driverEntry(root))![1], process.execPath);
    assert.deepEqual(g.shownNotifications().slice(before), [], 'nothing asked');
  });

  it('Not Now is remembered for that entry in this workspace; another broken entry is asked about again', async () => {
    const g = await groundedApi();
    const root = workspaceRoot();
    if (!fs.existsSync(path.join(root, '.git'))) execFileSync('git', ['init', '-q'], { cwd: root });
    const extensions = path.dirname(vscode.extensions.getExtension('grounded-qda.grounded')!.extensionPath);
    const entry = (version: string) => `node "${path.join(extensions, `grounded-qda.grounded-${version}`, 'dist', 'cli.js')}" merge-driver %O %A %B %P`;
    const warningsAfter = (n: number) => g.shownNotifications().slice(n).filter((x) => x.severity === 'warning');
    execFileSync('git', ['config', '--local', 'merge.grounded.driver', entry('0.0.7')], { cwd: root });
    let before = g.shownNotifications().length;
    await g.gitDriver.check();
    const [warning] = warningsAfter(before);
    assert.equal(warning.actions[1].title, 'Not Now');
    await warning.actions[1].run();
    before = g.shownNotifications().length;
    assert.equal((await g.gitDriver.check())?.kind, 'missing-file');
    assert.deepEqual(warningsAfter(before), [], 'not asked again about the same entry');
    execFileSync('git', ['config', '--local', 'merge.grounded.driver', entry('0.0.8')], { cwd: root });
    await g.gitDriver.check();
    assert.equal(warningsAfter(before).length, 1, 'asked about a different entry');
    await vscode.commands.executeCommand('grounded.setUpGitMergeDriver');
  });
});
