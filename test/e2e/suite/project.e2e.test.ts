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
    await until('the sample project back', () => grounded.project.project?.codes.length);
  });

  it('does not touch an existing grounded.json', async () => {
    const created = await vscode.commands.executeCommand('grounded.initializeProject', { name: 'Another name' });
    assert.equal(created, false);
    assert.equal(fs.readFileSync(projectFile(), 'utf8'), saved);
  });

  it('creates grounded.json with the name given, an id and an empty codebook', async () => {
    fs.rmSync(projectFile());
    await until('the project to be gone', () => !grounded.project.exists);
    const created = await vscode.commands.executeCommand('grounded.initializeProject', { name: 'Soning og familie' });
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
});
