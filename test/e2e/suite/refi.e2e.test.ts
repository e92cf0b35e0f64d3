// REFI-QDA in the editor: Export Project writes a .qdpx of the workspace; Import REFI-QDA Project
// reads it into a new folder with the same codes, codings and memos, and offers its summary page.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { unzipSync } from 'fflate';
import { run } from '../../../src/cli/main';
import { qde, textSource } from '../../fixtures/hostile/corpus';
import { groundedApi, until, workspaceRoot } from './helpers';

describe('REFI-QDA export and import', function () {
  this.timeout(60000);

  it('exports the workspace as .qdpx and .qdc, and imports the .qdpx into a new folder', async () => {
    const g = await groundedApi();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-e2e-'));
    const out = path.join(scratch, 'sample.qdpx');
    const exported = await vscode.commands.executeCommand<{ summary: { codings: number; sources: number } }>('grounded.exportQdpx', { out, lineEnding: 'crlf' });
    assert.ok(exported, 'the export returns its summary');
    const entries = unzipSync(new Uint8Array(fs.readFileSync(out)));
    const qde = new TextDecoder().decode(entries['project.qde']);
    assert.match(qde, /^<\?xml version="1.0" encoding="utf-8"\?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="Life inside — sample project"/);
    const sources = Object.keys(entries).filter((k) => k.startsWith('sources/'));
    assert.equal(sources.length, exported.summary.sources);
    assert.ok(sources.length >= 3, "the sample's three transcripts at least");
    assert.ok(sources.every((k) => new TextDecoder().decode(entries[k]).includes('\r\n')), 'CRLF as chosen');
    // The command exports what the terminal's `grounded export` exports from the same folder.
    const cli = path.join(scratch, 'cli.qdpx');
    assert.equal(await run(['export', '--qdpx', cli, '--crlf', workspaceRoot()], { out: () => undefined, err: () => undefined, cwd: workspaceRoot() }), 0);
    const cliQde = new TextDecoder().decode(unzipSync(new Uint8Array(fs.readFileSync(cli)))['project.qde']);
    const codings = (cliQde.match(/<Coding /g) ?? []).length;
    assert.ok(codings > 0);
    assert.equal(exported.summary.codings, codings);
    assert.equal((qde.match(/<Coding /g) ?? []).length, codings);
    assert.equal(qde, cliQde, 'byte for byte the same project.qde');

    const qdc = path.join(scratch, 'codes.qdc');
    await vscode.commands.executeCommand('grounded.exportQdc', { out: qdc });
    assert.equal((fs.readFileSync(qdc, 'utf8').match(/<Code /g) ?? []).length, g.project.project!.codes.length);

    const folder = path.join(scratch, 'imported');
    const result = await vscode.commands.executeCommand<{ summary: { codes: number; codings: number; memos: number }; page: vscode.Uri }>('grounded.importRefi', { file: out, folder });
    assert.ok(result, 'the import returns its summary');
    assert.deepEqual([result.summary.codes, result.summary.codings], [g.project.project!.codes.length, codings]);
    const project = JSON.parse(fs.readFileSync(path.join(folder, 'grounded.json'), 'utf8'));
    assert.deepEqual(project.codes.map((c: { id: string }) => c.id).sort(), g.project.project!.codes.map((c) => c.id).sort());
    const transcript = 'interviews/interview-02.txt';
    assert.equal(fs.readFileSync(path.join(folder, transcript), 'utf8'), fs.readFileSync(path.join(workspaceRoot(), transcript), 'utf8').replace(/\r\n/g, '\n'));
    const sidecar = JSON.parse(fs.readFileSync(path.join(folder, `${transcript}.codes.json`), 'utf8'));
    const original = JSON.parse(fs.readFileSync(path.join(workspaceRoot(), `${transcript}.codes.json`), 'utf8'));
    const quotes = (s: { codings: Array<{ id: string; anchor: { quote: string } }> }) => s.codings.map((c) => `${c.id} ${c.anchor.quote}`).sort();
    assert.deepEqual(quotes(sidecar), quotes(original), 'the same codings on the same quotes');
    assert.equal(fs.readdirSync(path.join(folder, 'memos')).length, result.summary.memos);

    const note = g.shownNotifications().at(-1)!;
    assert.match(note.message, new RegExp(`^Grounded: Imported ${exported.summary.sources} transcripts, \\d+ codes, ${exported.summary.codings} codings, \\d+ memos and \\d+ cases from sample\\.qdpx into imported\\.$`));
    await note.actions.find((a) => a.title === 'Show Details')!.run();
    const page = await until('the summary page', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === result.page.toString()));
    assert.match(page.getText(), /^# REFI-QDA import: Life inside — sample project\n[\s\S]*## Not imported\n\nNothing: everything in the file was imported\./);

    // A second import into the same folder is refused, and changes nothing.
    const before = fs.readFileSync(path.join(folder, 'grounded.json'), 'utf8');
    const errors = g.shownErrors().length;
    assert.equal(await vscode.commands.executeCommand('grounded.importRefi', { file: out, folder }), undefined);
    await until('the error', () => g.shownErrors().length > errors);
    assert.match(g.shownErrors().at(-1)!, /already has a grounded.json/);
    assert.equal(fs.readFileSync(path.join(folder, 'grounded.json'), 'utf8'), before);
  });

  it('refuses a file whose sources cannot all be written, naming both, and leaves the folder as it was', async () => {
    const g = await groundedApi();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-e2e-'));
    const file = path.join(scratch, 'file-and-folder.qde');
    const second = textSource('notes.txt/second', 0, 3, '22222222-0000-4000-8000-000000000002', '33333333-0000-4000-8000-000000000002', '44444444-0000-4000-8000-000000000002');
    fs.writeFileSync(file, qde(textSource('notes') + second));
    const folder = path.join(scratch, 'target');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'mine.txt'), 'Mitt eget.\n');
    const errors = g.shownErrors().length;
    assert.equal(await vscode.commands.executeCommand('grounded.importRefi', { file, folder }), undefined);
    await until('the error', () => g.shownErrors().length > errors);
    assert.match(g.shownErrors().at(-1)!, /file-and-folder\.qde: the source "notes" .* would be written to the file "notes\.txt", and the source "notes\.txt\/second" .* needs a folder of that name/);
    assert.deepEqual(fs.readdirSync(folder), ['mine.txt']);
    fs.rmSync(scratch, { recursive: true, force: true });
  });
});
