import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './fixtures';
import { REPO, unzipText, zip } from './refiSupport';

describe('grounded export / import (REFI-QDA)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-cli-'));
  });

  it('exports the sample as .qdpx (LF and --crlf) and .qdc, and imports the .qdpx into a new folder', async () => {
    const sample = path.join(REPO, 'sample');
    let r = await runCli(['export', '--qdpx', 'out.qdpx', sample], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Exported 3 sources, 14 codes, \d+ codings, 3 memos and 3 cases to out.qdpx.\n$/);
    const lf = unzipText(new Uint8Array(readFileSync(path.join(dir, 'out.qdpx'))));
    r = await runCli(['export', '--qdpx=crlf.qdpx', '--crlf', sample], dir);
    assert.equal(r.code, 0, r.err);
    const crlf = unzipText(new Uint8Array(readFileSync(path.join(dir, 'crlf.qdpx'))));
    const source = Object.keys(lf).find((k) => k.startsWith('sources/'))!;
    assert.ok(!lf[source].includes('\r') && crlf[source].includes('\r\n'));
    r = await runCli(['export', '--qdc', 'codes.qdc', sample], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(path.join(dir, 'codes.qdc'), 'utf8'), /<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/);

    r = await runCli(['import', 'crlf.qdpx', '--into', 'new'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Imported 3 transcripts, 14 codes, \d+ codings, 3 memos and 3 cases from crlf.qdpx into new.\n$/);
    const check = await runCli(['check', 'new'], dir);
    assert.equal(check.code, 0, check.out);
    assert.equal(readFileSync(path.join(dir, 'new/interviews/interview-02.txt'), 'utf8'), readFileSync(path.join(sample, 'interviews/interview-02.txt'), 'utf8').replace(/\r\n/g, '\n'));
  });

  it('refuses with exit 1 and writes nothing: a file that is unsafe, a folder that has a project', async () => {
    writeFileSync(path.join(dir, 'evil.qdpx'), zip({ 'project.qde': '<Project name="x"/>', '../evil.txt': 'x' }));
    let r = await runCli(['import', 'evil.qdpx', '--into', 'target'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /^grounded import: evil.qdpx: the entry "..\/evil.txt" would be written outside the target folder\n$/);
    assert.ok(!existsSync(path.join(dir, 'target')) && !existsSync(path.join(dir, 'evil.txt')));

    writeFileSync(path.join(dir, 'ok.qdc'), '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="K" isCodable="true"/></Codes></CodeBook>');
    assert.equal((await runCli(['import', 'ok.qdc', '--into', 'target'], dir)).code, 0);
    const before = readdirSync(path.join(dir, 'target'));
    r = await runCli(['import', 'ok.qdc', '--into', 'target'], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /already has a grounded.json/);
    assert.deepEqual(readdirSync(path.join(dir, 'target')), before);

    r = await runCli(['export', '--qdpx', 'x.qdpx', dir], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /no grounded.json here/);
    assert.ok(!existsSync(path.join(dir, 'x.qdpx')));
  });

  it('answers usage errors with exit 2', async () => {
    for (const argv of [['export'], ['export', '--qdpx', 'a', '--qdc', 'b'], ['export', '--qdc', 'a.qdc', '--crlf'], ['export', '--qdpx'], ['import', 'x.qdpx'], ['import', '--into', 'd'], ['import', 'missing.qdpx', '--into', 'd'], ['export', '--zip', 'x']]) {
      const r = await runCli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /^grounded: (export|import): /);
    }
    assert.match((await runCli(['export', '--help'], dir)).out, /^Usage: grounded export --qdpx FILE/);
    assert.match((await runCli(['import', '-h'], dir)).out, /^Usage: grounded import FILE --into DIR/);
    assert.match((await runCli(['--help'], dir)).out, /export --qdpx FILE \[dir\] \[--crlf\]/);
  });
});
