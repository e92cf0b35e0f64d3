// Initialize Project in a folder that has transcripts but no grounded.json yet, and never over an existing one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, until, workspaceRoot } from './helpers';

describe('Initialize Project', function () {
  this.timeout(60000);
  const projectFile = () => path.join(workspaceRoot(), 'grounded.json');
  let saved: string;
  let grounded: GroundedApi;

  before(async () => {
    grounded = await groundedApi();
    saved = fs.readFileSync(projectFile(), 'utf8');
  });

  after(async () => {
    fs.writeFileSync(projectFile(), saved);
    // Not left to the file watcher, which can be late on a busy machine: the next suites need the sample.
    await grounded.project.refresh();
    await until('the sample project back', () => grounded.project.project?.codes.length);
  });

  it('does not touch an existing grounded.json', async () => {
    const created = await vscode.commands.executeCommand('grounded.initializeProject', { name: 'Another name' });
    assert.equal(created, false);
    assert.equal(fs.readFileSync(projectFile(), 'utf8'), saved);
  });

  it('leaves a grounded.json that does not parse as it is, even written a moment ago', async () => {
    const broken = '{"version": 1, "project": {"name": "half a merge"\n<<<<<<< HEAD\n';
    fs.writeFileSync(projectFile(), broken);
    const created = await vscode.commands.executeCommand('grounded.initializeProject', { name: 'Over it' });
    assert.equal(created, undefined, 'the command stopped with an error');
    assert.equal(fs.readFileSync(projectFile(), 'utf8'), broken);
    fs.writeFileSync(projectFile(), saved);
    await grounded.project.refresh();
    assert.equal(grounded.project.project?.project.name, JSON.parse(saved).project.name);
  });

  it('creates grounded.json with the name given, an id and an empty codebook', async () => {
    // Deleted outside VS Code: the command looks at the disk, whether or not the file event has come yet.
    fs.rmSync(projectFile());
    const created = await vscode.commands.executeCommand('grounded.initializeProject', { name: 'Soning og familie', interviewers: [] });
    assert.equal(created, true);
    const text = fs.readFileSync(projectFile(), 'utf8');
    assert.ok(text.endsWith('}\n') && !text.includes('\r'), 'LF and a final newline');
    const project = JSON.parse(text);
    assert.equal(project.version, 1);
    assert.equal(project.project.name, 'Soning og familie');
    assert.match(project.project.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(project.codes, []);
    assert.equal(grounded.project.project?.project.name, 'Soning og familie');
  });

  it("in a folder kept in git, adds a save's lock and temporary files to .gitignore, keeping its lines; elsewhere writes none", async () => {
    const ignore = path.join(workspaceRoot(), '.gitignore');
    // Other suites may have set up git here: keep what they left, and put it back.
    const had = fs.existsSync(ignore) ? fs.readFileSync(ignore, 'utf8') : undefined;
    try {
      if (!fs.existsSync(path.join(workspaceRoot(), '.git'))) {
        fs.rmSync(ignore, { force: true });
        fs.rmSync(projectFile());
        assert.equal(await vscode.commands.executeCommand('grounded.initializeProject', { name: 'Uten git', interviewers: [] }), true);
        assert.equal(fs.existsSync(ignore), false, 'no .gitignore in a folder without git');
      }
      fs.writeFileSync(ignore, 'eksport/\n');
      fs.rmSync(projectFile());
      assert.equal(await vscode.commands.executeCommand('grounded.initializeProject', { name: 'I git', interviewers: [] }), true);
      const lines = fs.readFileSync(ignore, 'utf8').split('\n');
      assert.equal(lines[0], 'eksport/');
      for (const line of ['*.codes.json.lock', 'grounded.json.lock', '*.codes.json.*.tmp', 'grounded.json.*.tmp']) assert.ok(lines.includes(line), line);
    } finally {
      if (had === undefined) fs.rmSync(ignore, { force: true });
      else fs.writeFileSync(ignore, had);
    }
  });
});
