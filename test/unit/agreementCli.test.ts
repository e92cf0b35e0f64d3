import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './fixtures';
import type { AgreementJson, StatsJson } from '../../src/cli/reports';
import { hashText } from '../../src/core/hash';
import type { Code, Coding, ProjectFile } from '../../src/core/model';
import { serializeProject } from '../../src/core/project';
import { serializeSidecar } from '../../src/core/sidecar';
import { makeAnchor } from '../../src/core/text';

const ROOT = path.resolve(__dirname, '../../..');
const COMPILED_MAIN = path.join(ROOT, 'out/src/cli/main.js');
const T = '2026-11-02T10:00:00.000Z';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

// Two transcripts; code "Waiting, hoping" (a comma, for the CSV) and code "Family".
//   a.txt (20 characters, CRLF on disk: the LF text is what counts):
//     Waiting: Ann 0-10, Ben 5-15        -> both 5, onlyA 5, onlyB 5, neither 5: 50 %, kappa 0, alpha 0.025
//     Family:  nobody                     -> neither 20: 100 %, kappa 1 (both left it out)
//   b.txt (10 characters):
//     Waiting: Ann 0-10, Ben 0-10        -> both 10: 100 %, kappa 1
//     Family:  Ann 0-2 and 1-2 (overlap, counts once), Ben 0-2; Cy 5-9 (a third coder, ignored)
//                                         -> both 2, neither 8: 100 %, kappa 1
//   overall: both 17, onlyA 5, onlyB 5, neither 33 (N 60): agreement 5/6 = 83.33 %,
//            kappa 134/209 = 0.6411, alpha 1 − 119·10/(76·44) = 0.6441
const TEXT_A = 'Waiting for\nthe day.'; // 20 (21 on disk with CRLF)
const TEXT_B = 'Call home.'; // 10
const WAITING = uuid(1);
const FAMILY = uuid(2);

function makeProject(dir: string): void {
  const code = (id: string, name: string): Code => ({ id, name, color: '#336699', created: T, createdBy: 'Ann' });
  const project: ProjectFile = { version: 1, project: { id: uuid(99), name: 'Agreement test', created: T }, settings: {}, codes: [code(WAITING, 'Waiting, hoping'), code(FAMILY, 'Family')], cases: [] };
  writeFileSync(path.join(dir, 'grounded.json'), serializeProject(project));
  mkdirSync(path.join(dir, 'interviews'));
  let n = 10;
  const c = (text: string, coder: string, codeId: string, start: number, end: number): Coding => ({ id: uuid(n++), codeId, anchor: makeAnchor(text, start, end), coder, created: T });
  const doc = (rel: string, text: string, codings: Coding[], eol = '\n') => {
    writeFileSync(path.join(dir, rel), text.replace(/\n/g, eol));
    writeFileSync(path.join(dir, rel + '.codes.json'), serializeSidecar({ version: 1, document: { path: rel, hash: hashText(text) }, codings }));
  };
  doc('interviews/a.txt', TEXT_A, [c(TEXT_A, 'Ann', WAITING, 0, 10), c(TEXT_A, 'Ben', WAITING, 5, 15)], '\r\n');
  doc('interviews/b.txt', TEXT_B, [
    c(TEXT_B, 'Ann', WAITING, 0, 10),
    c(TEXT_B, 'Ben', WAITING, 0, 10),
    c(TEXT_B, 'Ann', FAMILY, 0, 2),
    c(TEXT_B, 'Ann', FAMILY, 1, 2),
    c(TEXT_B, 'Ben', FAMILY, 0, 2),
    c(TEXT_B, 'Cy', FAMILY, 5, 9),
  ]);
}

describe('grounded agreement and stats', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-agreement-'));
    makeProject(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--json has the coders, the overall figures and one row per code and document', async () => {
    const r = await runCli(['agreement', dir, '--json'], ROOT);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const j = JSON.parse(r.out) as AgreementJson;
    // Ann has 4 codings, Ben 3, Cy 1: the two with most are compared.
    assert.deepEqual(j.coders, ['Ann', 'Ben']);
    assert.deepEqual(j.overall, { kappa: 0.6411, percentAgreement: 83.33, alpha: 0.6441, characters: 60, both: 17, onlyA: 5, onlyB: 5, neither: 33 });
    assert.deepEqual(
      j.byCode.map((x) => [x.code, x.document, x.kappa, x.percentAgreement, x.alpha]),
      [
        ['Waiting, hoping', 'interviews/a.txt', 0, 50, 0.025],
        ['Family', 'interviews/a.txt', 1, 100, 1],
        ['Waiting, hoping', 'interviews/b.txt', 1, 100, 1],
        ['Family', 'interviews/b.txt', 1, 100, 1],
      ],
    );
    assert.deepEqual(Object.keys(j), ['coders', 'overall', 'codes', 'byCode']);
    // The order of the coders decides which is "A".
    const swapped = JSON.parse((await runCli(['agreement', dir, '--json', '--coders', 'Ben,Ann'], ROOT)).out) as AgreementJson;
    assert.deepEqual(swapped.coders, ['Ben', 'Ann']);
    assert.equal(swapped.overall.kappa, 0.6411);
  });

  it('--csv writes one row per code and document, quoting names with commas', async () => {
    const r = await runCli(['agreement', '--csv', '--coders=Ann,Ben'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(
      r.out,
      [
        'code,codeId,document,characters,both,onlyA,onlyB,neither,percentAgreement,kappa,alpha',
        `"Waiting, hoping",${WAITING},interviews/a.txt,20,5,5,5,5,50,0,0.025`,
        `Family,${FAMILY},interviews/a.txt,20,0,0,0,20,100,1,1`,
        `"Waiting, hoping",${WAITING},interviews/b.txt,10,10,0,0,0,100,1,1`,
        `Family,${FAMILY},interviews/b.txt,10,2,0,0,8,100,1,1`,
        '',
      ].join('\n'),
    );
  });

  it('prints a readable table by default', async () => {
    const r = await runCli(['agreement'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Agreement between Ann and Ben, by character: 2 codes in 2 documents\n/);
    assert.match(r.out, /Overall: agreement 83\.33 %, kappa 0\.6411, alpha 0\.6441/);
    assert.match(r.out, /Waiting, hoping +interviews\/a\.txt +50\.00 % +0\.0000 +0\.0250 +5 +5 +5\n/);
  });

  it('compares Ann with Cy: disagreement beyond chance gives a negative kappa', async () => {
    const j = JSON.parse((await runCli(['agreement', dir, '--json', '--coders', 'Ann,Cy'], ROOT)).out) as AgreementJson;
    // b.txt, Family: Ann 0-2, Cy 5-9 of 10: both 0, onlyA 2, onlyB 4, neither 4; p_o = 0.4,
    // p_e = 0.2·0.4 + 0.8·0.6 = 0.56, kappa = (0.4 − 0.56)/0.44 = −0.3636
    const row = j.byCode.find((x) => x.code === 'Family' && x.document === 'interviews/b.txt')!;
    assert.deepEqual([row.onlyA, row.onlyB, row.percentAgreement, row.kappa], [2, 4, 40, -0.3636]);
  });

  it('fails with a clear message and exit status 2 on bad input', async () => {
    const cases: [string[], string, string][] = [
      [['agreement', '--coders', 'Ann,Zoe'], dir, 'grounded: agreement: no codings by "Zoe" in this project; coders (codings): "Ann" (4), "Ben" (3), "Cy" (1)'],
      [['agreement', '--coders', 'Ann'], dir, 'grounded: agreement: --coders takes two names separated by a comma'],
      [['agreement', '--coders', 'Ann,Ann'], dir, 'grounded: agreement: --coders names the same coder twice'],
      [['agreement', '--coders'], dir, 'grounded: agreement: --coders needs a value'],
      [['agreement', '--coders', '--json'], dir, 'grounded: agreement: --coders needs a value'],
      [['agreement', '--json', '--csv'], dir, 'grounded: agreement: --json and --csv exclude each other'],
      [['agreement', '--frob'], dir, 'grounded: agreement: unknown option --frob'],
      [['agreement', 'nowhere'], dir, 'grounded: agreement: no such folder: nowhere'],
      [['agreement', 'interviews'], dir, 'grounded: agreement: no grounded.json in interviews: not a Grounded project folder'],
      [['stats', '--csv'], dir, 'grounded: stats: unknown option --csv'],
      [['stats', 'interviews'], dir, 'grounded: stats: no grounded.json in interviews: not a Grounded project folder'],
    ];
    for (const [argv, cwd, message] of cases) {
      const r = await runCli(argv, cwd);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.out, '');
      assert.ok(r.err.startsWith(message), `${argv.join(' ')}: ${r.err}`);
    }
    // A sidecar that does not parse: its place, and no numbers.
    writeFileSync(path.join(dir, 'interviews/a.txt.codes.json'), '{\n  "version": 1,,\n');
    const broken = await runCli(['agreement'], dir);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /^grounded: agreement: interviews\/a\.txt\.codes\.json:2:16: /);
  });

  it('needs two coders', async () => {
    const one = mkdtempSync(path.join(os.tmpdir(), 'grounded-agreement-'));
    try {
      writeFileSync(path.join(one, 'grounded.json'), serializeProject({ version: 1, project: { id: uuid(98), name: 'x', created: T }, settings: {}, codes: [], cases: [] }));
      let r = await runCli(['agreement'], one);
      assert.equal(r.code, 2);
      assert.equal(r.err, 'grounded: agreement: the project has no codings, so there are no coders to compare\n');
      writeFileSync(path.join(one, 'a.txt'), TEXT_A);
      writeFileSync(path.join(one, 'a.txt.codes.json'), serializeSidecar({ version: 1, document: { path: 'a.txt', hash: hashText(TEXT_A) }, codings: [{ id: uuid(5), codeId: WAITING, anchor: makeAnchor(TEXT_A, 0, 3), coder: 'Ann', created: T }] }));
      r = await runCli(['agreement'], one);
      assert.equal(r.code, 2);
      assert.equal(r.err, 'grounded: agreement: needs two coders, but all codings are by one coder: "Ann" (1)\n');
    } finally {
      rmSync(one, { recursive: true, force: true });
    }
  });

  it('notes a changed transcript on stderr and compares the re-anchored codings', async () => {
    writeFileSync(path.join(dir, 'interviews/a.txt'), 'Oh. ' + TEXT_A.replace('\n', '\r\n'));
    const r = await runCli(['agreement', '--json'], dir);
    assert.equal(r.code, 0);
    assert.match(r.err, /^grounded: note: interviews\/a\.txt: changed since it was coded/);
    const row = (JSON.parse(r.out) as AgreementJson).byCode[0];
    assert.deepEqual([row.document, row.characters, row.both, row.onlyA, row.onlyB], ['interviews/a.txt', 24, 5, 5, 5]);
  });

  it('stats: codes with segments, documents and coders; documents with coverage', async () => {
    const r = await runCli(['stats', '--json'], dir);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as StatsJson;
    assert.deepEqual(
      j.codes.map((c) => [c.code, c.segments, c.documents, c.coders]),
      [
        ['Waiting, hoping', 4, 2, ['Ann', 'Ben']],
        ['Family', 4, 1, ['Ann', 'Ben', 'Cy']],
      ],
    );
    // a.txt: 0-15 of 20 coded = 0.75; b.txt: 0-10 of 10 = 1
    assert.deepEqual(
      j.documents.map((d) => [d.document, d.characters, d.codings, d.orphaned, d.coverage]),
      [
        ['interviews/a.txt', 20, 2, 0, 0.75],
        ['interviews/b.txt', 10, 6, 0, 1],
      ],
    );
    const table = await runCli(['stats'], dir);
    assert.match(table.out, /^Codes \(2\):\n/);
    assert.match(table.out, /interviews\/a\.txt +20 +2 +0 +75\.00 % +Ann, Ben\n/);
  });

  it('stats: a transcript copied with its sidecar counts as a document of its own, with the same coding ids or new ones', async () => {
    // "a.txt-copy.txt.codes.json" lists before "a.txt.codes.json", but its transcript after "a.txt": rows go by transcript.
    const sidecar = readFileSync(path.join(dir, 'interviews/a.txt.codes.json'), 'utf8');
    writeFileSync(path.join(dir, 'interviews/a.txt-copy.txt'), readFileSync(path.join(dir, 'interviews/a.txt')));
    for (const ids of ['new', 'the same']) {
      writeFileSync(path.join(dir, 'interviews/a.txt-copy.txt.codes.json'), ids === 'new' ? sidecar.replace(/8000-0000000000(1\d)/g, '8000-0000000001$1') : sidecar);
      const r = await runCli(['stats', '--json'], dir);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out) as StatsJson;
      assert.deepEqual(
        j.codes.map((c) => [c.code, c.segments, c.documents, c.coders]),
        [
          ['Waiting, hoping', 6, 3, ['Ann', 'Ben']],
          ['Family', 4, 1, ['Ann', 'Ben', 'Cy']],
        ],
        `${ids} ids`,
      );
      assert.deepEqual(
        j.documents.map((d) => [d.document, d.codings, d.coverage]),
        [
          ['interviews/a.txt', 2, 0.75],
          ['interviews/a.txt-copy.txt', 2, 0.75],
          ['interviews/b.txt', 6, 1],
        ],
        `${ids} ids`,
      );
    }
  });

  it('lists both commands in the help, and exits 0 and 2 as a process', async () => {
    const help = await runCli(['--help'], dir);
    assert.match(help.out, /agreement \[dir\] \[--coders a,b\] \[--json\|--csv\]/);
    assert.match(help.out, /stats \[dir\] \[--json\]/);
    assert.match((await runCli(['agreement', '--help'], dir)).out, /^Usage: grounded agreement/);
    let p = spawnSync(process.execPath, [COMPILED_MAIN, 'agreement', dir, '--json'], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    assert.deepEqual((JSON.parse(p.stdout) as AgreementJson).coders, ['Ann', 'Ben']);
    p = spawnSync(process.execPath, [COMPILED_MAIN, 'agreement', dir, '--coders', 'Ann,Zoe'], { encoding: 'utf8' });
    assert.equal(p.status, 2);
    assert.match(p.stderr, /no codings by "Zoe"/);
  });
});
