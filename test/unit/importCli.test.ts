// grounded import-transcript: files in, transcripts out; all or nothing, never overwriting.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { speakerTurns } from '../../src/core/speakers';
import { docxOf, runCli } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/import');

describe('grounded import-transcript', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-import-'));
    copyFileSync(path.join(FIXTURES, 'intervju-stemmer.vtt'), path.join(dir, 'intervju-stemmer.vtt'));
    copyFileSync(path.join(FIXTURES, 'intervju.srt'), path.join(dir, 'intervju.srt'));
    writeFileSync(path.join(dir, 'samtale.docx'), docxOf('<w:p><w:r><w:t>Intervjuer: Hei.</w:t></w:r></w:p><w:p><w:r><w:t>Ingrid: Hei igjen.</w:t></w:r></w:p>'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const read = (rel: string) => readFileSync(path.join(dir, rel), 'utf8');

  it('writes one transcript per file into --into and names turns and speakers', async () => {
    const r = await runCli(['import-transcript', 'intervju-stemmer.vtt', 'samtale.docx', '--into', 'ut'], dir);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    assert.equal(r.out, 'ut/intervju-stemmer.txt: 4 turns (Intervjuer 2, Solveig 2)\nut/samtale.txt: 2 turns (Ingrid 1, Intervjuer 1)\n');
    assert.deepEqual(readdirSync(path.join(dir, 'ut')).sort(), ['intervju-stemmer.txt', 'samtale.txt']);
    assert.equal(read('ut/samtale.txt'), 'Intervjuer: Hei.\n\nIngrid: Hei igjen.\n');
    assert.deepEqual(
      speakerTurns(read('ut/intervju-stemmer.txt')).map((t) => t.timestamp),
      ['00:00:01', '00:00:04', '00:00:13', '01:00:02'],
    );
  });

  it('writes into transcripts/ when the folder has one, as .md with --md', async () => {
    mkdirSync(path.join(dir, 'transcripts'));
    const r = await runCli(['import-transcript', '--md', 'intervju.srt'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(read('transcripts/intervju.md'), /^Intervjuer \(00:00:01\): Hvor lenge har du bodd her\?\n/);
  });

  it('refuses to overwrite, and then writes none of the files', async () => {
    writeFileSync(path.join(dir, 'intervju.txt'), 'mine notater\n');
    const r = await runCli(['import-transcript', 'intervju-stemmer.vtt', 'intervju.srt'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /intervju\.txt exists and is never overwritten/);
    assert.match(r.err, /nothing was written/);
    assert.equal(read('intervju.txt'), 'mine notater\n');
    assert.ok(!existsSync(path.join(dir, 'intervju-stemmer.txt')));
  });

  it('refuses when the new transcript would inherit an old sidecar', async () => {
    writeFileSync(path.join(dir, 'intervju.txt.codes.json'), '{}\n');
    const r = await runCli(['import-transcript', 'intervju.srt'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /intervju\.txt\.codes\.json exists/);
    assert.ok(!existsSync(path.join(dir, 'intervju.txt')));
  });

  it('writes nothing when one file is bad, and names it and the problem', async () => {
    writeFileSync(path.join(dir, 'feil.vtt'), 'WEBVTT\n\n00:01.000 --> 00:00.500\nHei\n');
    const r = await runCli(['import-transcript', 'intervju.srt', 'feil.vtt', 'mangler.vtt', 'notat.pdf'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /feil\.vtt: .*line 3: the cue ends \(00:00\.500\) before it starts/);
    assert.match(r.err, /mangler\.vtt: no such file/);
    assert.match(r.err, /notat\.pdf: cannot import this kind of file/);
    assert.ok(!existsSync(path.join(dir, 'intervju.txt')));
  });

  it('refuses two files that would become the same transcript', async () => {
    writeFileSync(path.join(dir, 'intervju.vtt'), 'WEBVTT\n\n00:01.000 --> 00:02.000\nHei\n');
    const r = await runCli(['import-transcript', 'intervju.srt', 'intervju.vtt'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /intervju\.srt and intervju\.vtt would both become intervju\.txt/);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await runCli(['import-transcript'], dir)).code, 2);
    assert.equal((await runCli(['import-transcript', '--pdf', 'a.vtt'], dir)).code, 2);
    assert.equal((await runCli(['import-transcript', 'a.vtt', '--into'], dir)).code, 2);
    const help = await runCli(['import-transcript', '--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: grounded import-transcript FILE\.\.\. \[--into DIR\] \[--md\]/);
  });
});
