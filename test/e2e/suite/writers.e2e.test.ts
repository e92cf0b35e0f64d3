// Two writers at once in the real VS Code: the extension codes segments with Code Selection while a
// second process (test/support/concurrentWriter.ts: the core session over the command line's file
// system port) codes the same transcript and adds codes to grounded.json. Both survive, on disk and in
// the editor, and no lock or temporary file is left behind.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sidecar, ProjectFile } from '../../../src/core/model';
import { parseSidecar, serializeSidecar } from '../../../src/core/sidecar';
import { startWriterProcess } from '../../support/writerProcess';
import type { WriterProcess } from '../../support/writerProcess';
import { E2E_CODER, groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-to-skrivere.txt';
const LINES = 12;
const TEXT = Array.from({ length: LINES }, (_, i) => `Intervjuer: Hva gjør dere om kvelden, del ${i + 1}?\nOla: Vi spiller kort på fellesrommet til klokka ni, og så blir det stille på gangen.\n`).join('');

const abs = (rel: string) => path.join(workspaceRoot(), ...rel.split('/'));
const readJson = <T>(rel: string): T => JSON.parse(fs.readFileSync(abs(rel), 'utf8')) as T;

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === '.git' ? [] : allFiles(path.join(dir, e.name))) : [path.join(dir, e.name)]));
}

/** The writer script as a child process; `go()` starts it once it is ready. */
function startWriter(codings: number, codes: number): WriterProcess {
  return startWriterProcess([workspaceRoot(), REL, 'Annen skriver', String(codings), String(codes)]);
}

describe('two writers at once', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the extension codes a transcript while another process codes it and adds codes: every coding and code survives, in the files and in the editor', async function () {
    this.timeout(180_000);
    const g = await groundedApi();
    fs.writeFileSync(abs(REL), TEXT);
    await until(`${REL} listed`, () => g.index.transcripts.includes(REL));
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(abs(REL)));
    await until('the transcript loaded', () => g.codings.peek(editor.document.uri));

    const writer = startWriter(200, 10);
    await writer.ready;
    writer.go();
    const mine: string[] = [];
    for (let i = 1; i <= 8; i++) {
      const words = `del ${i}?`;
      const at = TEXT.indexOf(words);
      await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
      await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'Kveldene' });
      mine.push(words);
    }
    const report = await writer.done;

    // On disk: all of both.
    const sidecar = readJson<Sidecar>(`${REL}.codes.json`);
    const onDisk = new Set(sidecar.codings.map((c) => c.id));
    assert.deepEqual(report.codings.filter((id) => !onDisk.has(id)), [], "every coding of the other process is in the sidecar");
    const ours = sidecar.codings.filter((c) => c.coder === E2E_CODER);
    assert.deepEqual(ours.map((c) => c.anchor.quote).sort(), [...mine].sort(), "every coding made in the editor is in the sidecar");
    assert.equal(sidecar.codings.length, report.codings.length + mine.length);
    const project = readJson<ProjectFile>('grounded.json');
    const codes = new Set(project.codes.map((c) => c.id));
    assert.deepEqual(report.codes.filter((id) => !codes.has(id)), [], 'every code of the other process is in grounded.json');
    const kveldene = project.codes.find((c) => c.name === 'Kveldene');
    assert.ok(kveldene && ours.every((c) => c.codeId === kveldene.id), "the editor's code is in grounded.json");

    // In the editor: the merged result, the other process's codings and codes included.
    await until("the editor holds every coding of both", () => g.codings.peek(editor.document.uri)?.length === sidecar.codings.length);
    await until('the codebook holds every code of both', () => report.codes.every((id) => g.project.codeById(id)));
    assert.ok(report.merges > 0, 'the other process found the editor\'s writes on disk and merged them: the two wrote at the same time');
    assert.deepEqual(allFiles(workspaceRoot()).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp')), [], 'no lock or temporary file is left');
  });

  it('a coding changed in the editor and on disk at the same time is kept in both versions, and the user is told', async function () {
    this.timeout(120_000);
    const g = await groundedApi();
    const rel = 'interviews/e2e-samtidig.txt';
    const sidecarRel = `${rel}.codes.json`;
    fs.writeFileSync(abs(rel), TEXT);
    await until(`${rel} listed`, () => g.index.transcripts.includes(rel));
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(abs(rel)));
    await until('the transcript loaded', () => g.codings.peek(editor.document.uri));
    try {
      const words = 'fellesrommet';
      const at = TEXT.indexOf(words);
      await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
      await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'Kveldene' });
      const coding = (await until('the coding saved', () => fs.existsSync(abs(sidecarRel)) && readJson<Sidecar>(sidecarRel).codings[0]))!;
      // Typing keeps the editor's codings in memory until its next write (a change on disk is merged then).
      await editor.edit((b) => b.insert(editor.document.positionAt(editor.document.getText().length), '\n'));
      // Another window gives the same coding a note of its own.
      const other = parseSidecar(fs.readFileSync(abs(sidecarRel), 'utf8'), sidecarRel);
      other.codings = other.codings.map((c) => (c.id === coding.id ? { ...c, note: 'Notat fra det andre vinduet' } : c));
      fs.writeFileSync(abs(sidecarRel), serializeSidecar(other));
      const told = g.shownNotifications().length;
      await vscode.commands.executeCommand('grounded.addNote', { codingId: coding.id, note: 'Notat fra dette vinduet' });

      const onDisk = readJson<Sidecar>(sidecarRel).codings;
      assert.equal(onDisk.find((c) => c.id === coding.id)?.note, 'Notat fra dette vinduet', 'ours under its id');
      const theirs = onDisk.filter((c) => c.conflictOf === coding.id);
      assert.deepEqual(theirs.map((c) => c.note), ['Notat fra det andre vinduet'], "theirs beside it, marked conflictOf");
      const notice = await until('the user is told', () => g.shownNotifications().slice(told).find((n) => n.message.includes(sidecarRel)));
      assert.equal(notice.severity, 'warning');
      assert.match(notice.message, /conflictOf/);
      await until('the editor holds both versions', () => g.codings.peek(editor.document.uri)?.some((c) => c.conflictOf === coding.id));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
  });
});
