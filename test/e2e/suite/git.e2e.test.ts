// "Grounded: Set Up Git Merge Driver" in a workspace that is a git repository.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { groundedApi, workspaceRoot } from './helpers';

describe('Set Up Git Merge Driver', function () {
  this.timeout(60000);

  it('writes .gitattributes and a git config entry that runs the bundled command line', async () => {
    await groundedApi();
    const root = workspaceRoot();
    if (!fs.existsSync(path.join(root, '.git'))) execFileSync('git', ['init', '-q'], { cwd: root });
    const driver = await vscode.commands.executeCommand<string>('grounded.setUpGitMergeDriver');
    const attributes = fs.readFileSync(path.join(root, '.gitattributes'), 'utf8');
    assert.match(attributes, /^\*\.codes\.json merge=grounded$/m);
    assert.match(attributes, /^grounded\.json merge=grounded$/m);
    const configured = execFileSync('git', ['config', '--local', 'merge.grounded.driver'], { cwd: root, encoding: 'utf8' }).trim();
    assert.equal(configured, driver);
    const cli = /^node "([^"]+)" merge-driver %O %A %B %P$/.exec(configured);
    assert.ok(cli, configured);
    assert.ok(fs.existsSync(cli[1]), `the command line ${cli[1]} exists`);
    // Run twice: nothing is added twice.
    await vscode.commands.executeCommand('grounded.setUpGitMergeDriver');
    assert.equal(fs.readFileSync(path.join(root, '.gitattributes'), 'utf8'), attributes);
  });
});
