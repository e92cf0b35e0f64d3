// Which files are the project's transcripts: what files.exclude and search.exclude hide is not one
// (not in the Documents view, not in the analysis, no Grounded editor), and a transcript created,
// deleted or moved joins or leaves the list by itself, without a new search of the folder.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, until, workspaceRoot } from './helpers';

const TEXT = 'Intervjuer: Hvordan var første dag?\n\nSara: Lang, men god.\n';
const abs = (rel: string): string => path.join(workspaceRoot(), ...rel.split('/'));
const uri = (rel: string): vscode.Uri => vscode.Uri.file(abs(rel));

function write(rel: string): void {
  fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
  fs.writeFileSync(abs(rel), TEXT);
}

async function listedEverywhere(g: GroundedApi, rel: string): Promise<{ index: boolean; view: boolean; analysis: boolean }> {
  const view = (await g.documents.shown()).some((d) => d.label === rel);
  const analysis = g.session.analysis()?.documents.some((d) => d.path === rel) ?? false;
  return { index: g.index.transcripts.includes(rel), view, analysis };
}

describe('workspace files', () => {
  let g: GroundedApi;
  before(async () => {
    g = await groundedApi();
  });

  for (const setting of ['files.exclude', 'search.exclude']) {
    it(`a transcript hidden by ${setting} is not in the Documents view or the analysis, and gets no Grounded editor`, async () => {
      const [section, key] = setting.split('.');
      const rel = `e2e-hidden-${section}/notes.txt`;
      const config = () => vscode.workspace.getConfiguration(section);
      const before = config().inspect<Record<string, boolean>>(key)?.workspaceValue;
      write(rel);
      try {
        await until(`${rel} listed`, () => g.index.transcripts.includes(rel));
        await config().update(key, { ...before, [`e2e-hidden-${section}`]: true }, vscode.ConfigurationTarget.Workspace);
        await until(`${rel} gone from the index`, () => !g.index.transcripts.includes(rel));
        // the view and the analysis follow the index within their debounce
        await until(`${rel} gone from the view and the analysis`, async () => {
          const listed = await listedEverywhere(g, rel);
          return !listed.index && !listed.view && !listed.analysis;
        });
        const editor = await vscode.window.showTextDocument(uri(rel));
        assert.equal(g.codings.isTranscript(editor.document.uri), false, 'grounded.isTranscript is false for it');
        const said = () => g.shownErrors().length + g.shownNotifications().length;
        const saidBefore = said();
        await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'Første dag' });
        await until('Code Selection says why it cannot code here', () => said() > saidBefore);
        assert.equal(fs.existsSync(abs(`${rel}.codes.json`)), false, 'no sidecar was written');
      } finally {
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await config().update(key, before, vscode.ConfigurationTarget.Workspace);
      }
      await until(`${rel} listed again once ${setting} no longer hides it`, () => g.index.transcripts.includes(rel));
      fs.rmSync(abs(rel.split('/')[0]), { recursive: true, force: true });
      await until(`${rel} gone with its folder`, () => !g.index.transcripts.includes(rel));
    });
  }

  it('sidecars hidden from the Explorer by files.exclude still count: every coding stays in the analysis', async () => {
    const config = () => vscode.workspace.getConfiguration('files');
    const before = config().inspect<Record<string, boolean>>('exclude')?.workspaceValue;
    // What the session's analysis reads: every transcript with its codings as the index holds them.
    const counted = () => g.index.documents(true).map((d) => `${d.path}: ${d.codings.length}${d.transcriptMissing ? ' (missing)' : ''}`);
    const expected = counted();
    assert.ok(expected.some((d) => !d.endsWith(': 0')), 'the sample has codings');
    const searches = g.index.searches;
    try {
      await config().update('exclude', { ...before, '**/*.codes.json': true }, vscode.ConfigurationTarget.Workspace);
      await until('the folder searched again under the new setting', () => g.index.searches > searches);
      await g.index.ready;
      assert.deepEqual(counted(), expected);
    } finally {
      await config().update('exclude', before, vscode.ConfigurationTarget.Workspace);
    }
    await until('the folder searched again without the setting', () => g.index.searches > searches + 1);
    await g.index.ready;
  });

  it('a transcript created, moved and deleted joins and leaves the list without a new search of the folder', async function () {
    // Three file-watcher round trips, each waited for up to a minute on a busy machine.
    this.timeout(180000);
    await g.index.ready;
    const searches = g.index.searches;
    const errors = g.shownErrors().length;
    const outside = 'interviews/e2e-new-outside.txt';
    write(outside); // as git or another program would
    await until(`${outside} in the Documents view`, async () => (await listedEverywhere(g, outside)).view);

    const inside = 'e2e-new-folder/made-in-editor.md';
    const edit = new vscode.WorkspaceEdit();
    edit.createFile(uri(inside), { contents: new TextEncoder().encode(TEXT) });
    assert.ok(await vscode.workspace.applyEdit(edit), 'the file was created');
    await until(`${inside} listed`, () => g.index.transcripts.includes(inside));

    const move = new vscode.WorkspaceEdit();
    move.renameFile(uri('e2e-new-folder'), uri('e2e-moved-folder'));
    assert.ok(await vscode.workspace.applyEdit(move), 'the folder was renamed');
    const moved = 'e2e-moved-folder/made-in-editor.md';
    // a folder's rename reaches the index through the file watcher (slow on a busy machine)
    await until('the moved transcript listed under its new path', () => g.index.transcripts.includes(moved) && !g.index.transcripts.includes(inside), 60000).catch((err: Error) => {
      throw new Error(`${err.message}; listed: ${JSON.stringify(g.index.transcripts.filter((p) => p.startsWith('e2e-')))}`);
    });

    fs.rmSync(abs(outside));
    const remove = new vscode.WorkspaceEdit();
    remove.deleteFile(uri('e2e-moved-folder'), { recursive: true });
    assert.ok(await vscode.workspace.applyEdit(remove), 'the folder was deleted');
    await until('both gone from the list', () => !g.index.transcripts.includes(outside) && !g.index.transcripts.includes(moved), 60000);
    assert.equal(g.index.searches, searches, 'no new search of the folder was needed');
    assert.deepEqual(g.shownErrors().slice(errors), [], 'no error was shown');
  });
});
