// "Grounded: Import Transcript…" run with arguments (no dialogs): the written transcript's text, its
// speaker turns as Grounded reads them, the editor it opens, and that nothing is overwritten.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { speakerTurns } from '../../../src/core/speakers';
import type { ImportOutcome } from '../../../src/vscode/importCommands';
import { docxOf } from '../../unit/fixtures';
import { groundedApi, workspaceRoot } from './helpers';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/import');
const VOICES = path.join(FIXTURES, 'intervju-stemmer.vtt');
const abs = (rel: string): string => path.join(workspaceRoot(), ...rel.split('/'));
const read = (rel: string): string => fs.readFileSync(abs(rel), 'utf8');

describe('Import Transcript', function () {
  this.timeout(60000);

  after(async () => {
    // Leave the workspace as the other suites expect it.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const dir of ['importert', 'transcripts']) fs.rmSync(abs(dir), { recursive: true, force: true });
  });

  it('writes the subtitles as speaker turns into the folder given, opens the transcript and reports turns and speakers', async () => {
    const grounded = await groundedApi();
    const outcome = await vscode.commands.executeCommand<ImportOutcome>('grounded.importTranscript', { files: [VOICES], format: 'txt', folder: 'importert' });
    assert.deepEqual(outcome.written, ['importert/intervju-stemmer.txt']);
    const text = read('importert/intervju-stemmer.txt');
    assert.equal(
      text,
      'Intervjuer (00:00:01): Hvordan begynte du som frivillig på biblioteket?\n\n' +
        'Solveig (00:00:04): Det var en venninne som spurte meg. Jeg sa ja med en gang & angret litt etterpå. Men bare litt, altså <ler>.\n\n' +
        'Intervjuer (00:00:13): Hva gjør du der nå?\n\n' +
        'Solveig (01:00:02): Jeg leser høyt for barna på lørdager.\n',
    );
    assert.deepEqual(
      speakerTurns(text).map((t) => `${t.speaker} ${t.timestamp}`),
      ['Intervjuer 00:00:01', 'Solveig 00:00:04', 'Intervjuer 00:00:13', 'Solveig 01:00:02'],
    );
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, abs('importert/intervju-stemmer.txt'));
    assert.ok(grounded.codings.isTranscript(editor.document.uri), 'the imported file is a transcript');
    const note = grounded.shownNotifications().at(-1);
    assert.equal(note?.message, 'Grounded: imported importert/intervju-stemmer.txt: 4 turns (Intervjuer 2, Solveig 2).');
  });

  it('never overwrites: the second import of the same file becomes NAME-2.txt', async () => {
    await groundedApi();
    fs.writeFileSync(abs('importert/intervju-stemmer.txt'), 'Redigert av forskeren.\n');
    const outcome = await vscode.commands.executeCommand<ImportOutcome>('grounded.importTranscript', { files: [VOICES], format: 'txt', folder: 'importert' });
    assert.deepEqual(outcome.written, ['importert/intervju-stemmer-2.txt']);
    assert.equal(read('importert/intervju-stemmer.txt'), 'Redigert av forskeren.\n');
    assert.equal(speakerTurns(read('importert/intervju-stemmer-2.txt')).length, 4);
  });

  it('writes a Word file as Markdown into transcripts/ by default', async () => {
    await groundedApi();
    fs.mkdirSync(abs('transcripts'), { recursive: true });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-import-e2e-'));
    const docx = path.join(scratch, 'samtale-5.docx');
    fs.writeFileSync(
      docx,
      docxOf('<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Intervjuer: </w:t></w:r><w:r><w:t>Var det </w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>vanskelig</w:t></w:r><w:r><w:t>?</w:t></w:r></w:p><w:p><w:r><w:t>Ingrid: Litt.</w:t></w:r></w:p>'),
    );
    const outcome = await vscode.commands.executeCommand<ImportOutcome>('grounded.importTranscript', { files: [docx], format: 'md' });
    assert.deepEqual(outcome.written, ['transcripts/samtale-5.md']);
    const text = read('transcripts/samtale-5.md');
    assert.equal(text, 'Intervjuer: Var det *vanskelig*?\n\nIngrid: Litt.\n');
    assert.deepEqual(
      speakerTurns(text).map((t) => t.speaker),
      ['Intervjuer', 'Ingrid'],
    );
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('shows what is wrong with a bad file and writes nothing, not even the good one', async () => {
    const grounded = await groundedApi();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-import-e2e-'));
    const bad = path.join(scratch, 'feil.srt');
    fs.writeFileSync(bad, '1\n00:00:01,000 --> 00:00:0x,000\nHei\n');
    const good = path.join(scratch, 'god.vtt');
    fs.copyFileSync(VOICES, good);
    const errors = grounded.shownErrors().length;
    const outcome = await vscode.commands.executeCommand<ImportOutcome | undefined>('grounded.importTranscript', { files: [good, bad], format: 'txt', folder: 'importert' });
    assert.equal(outcome, undefined);
    const error = grounded.shownErrors().slice(errors).join('\n');
    assert.match(error, /feil\.srt: .*line 2: "00:00:0x,000" is not a time/);
    assert.match(error, /Nothing was imported/);
    assert.ok(!fs.existsSync(abs('importert/god.txt')));
    assert.ok(!fs.existsSync(abs('importert/feil.txt')));
    fs.rmSync(scratch, { recursive: true, force: true });
  });
});
