// `grounded agreement --coders a,b,c`: the three-coder example computed by hand in docs/AGREEMENT.md,
// as a project on disk, through the command line.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './fixtures';
import type { AgreementJson, ManyAgreementJson } from '../../src/cli/reports';
import { hashText } from '../../src/core/hash';
import type { Code, Coding, ProjectFile } from '../../src/core/model';
import { serializeProject } from '../../src/core/project';
import { serializeSidecar } from '../../src/core/sidecar';
import { makeAnchor } from '../../src/core/text';

const T = '2026-11-02T10:00:00.000Z';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const TEXT = 'Mum wrote each week.'; // 20 characters
const FAMILY = uuid(1);
const WAITING = uuid(2);

function makeProject(dir: string): void {
  const code = (id: string, name: string): Code => ({ id, name, color: '#336699', created: T, createdBy: 'Ann' });
  const project: ProjectFile = { version: 1, project: { id: uuid(99), name: 'Three coders', created: T }, settings: {}, codes: [code(FAMILY, 'Family'), code(WAITING, 'Waiting')], cases: [] };
  writeFileSync(path.join(dir, 'grounded.json'), serializeProject(project));
  mkdirSync(path.join(dir, 'interviews'));
  let n = 10;
  const c = (coder: string, codeId: string, start: number, end: number): Coding => ({ id: uuid(n++), codeId, anchor: makeAnchor(TEXT, start, end), coder, created: T });
  const rel = 'interviews/letters.txt';
  writeFileSync(path.join(dir, rel), TEXT);
  writeFileSync(
    path.join(dir, rel + '.codes.json'),
    serializeSidecar({
      version: 1,
      document: { path: rel, hash: hashText(TEXT) },
      codings: [c('Ann', FAMILY, 0, 10), c('Ben', FAMILY, 0, 10), c('Cy', FAMILY, 0, 11), c('Ann', WAITING, 12, 20), c('Ben', WAITING, 14, 20)],
    }),
  );
}

describe('grounded agreement with three coders', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-agreement3-'));
    makeProject(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--json: alpha of all coders, every pair and segment agreement, as computed by hand', async () => {
    const r = await runCli(['agreement', dir, '--coders', 'Ann,Ben,Cy', '--json'], dir);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, '');
    const j = JSON.parse(r.out) as ManyAgreementJson;
    assert.deepEqual(Object.keys(j), ['coders', 'overlap', 'overall', 'codes', 'pairs', 'byCode']);
    assert.deepEqual(j.coders, ['Ann', 'Ben', 'Cy']);
    assert.equal(j.overlap, 0.9);
    assert.deepEqual(j.overall, { alpha: 0.6827, characters: 40, carriedBy: [21, 3, 6, 10], segments: 5, agreedSegments: 3, segmentAgreement: 60 });
    assert.deepEqual(
      j.codes.map((c) => [c.code, c.alpha, c.carriedBy, c.segments, c.agreedSegments, c.segmentAgreement]),
      [
        ['Family', 0.9344, [9, 1, 0, 10], 3, 3, 100],
        ['Waiting', 0.2671, [12, 2, 6, 0], 2, 0, 0],
      ],
    );
    assert.deepEqual(
      j.pairs.map((p) => [p.coders, p.kappa, p.percentAgreement, p.alpha, p.both, p.onlyA, p.onlyB, p.neither, p.segments, p.agreedSegments, p.segmentAgreement]),
      [
        [['Ann', 'Ben'], 0.898, 95, 0.899, 16, 2, 0, 22, 4, 2, 50],
        [['Ann', 'Cy'], 0.5288, 77.5, 0.5193, 10, 8, 1, 21, 3, 2, 66.67],
        [['Ben', 'Cy'], 0.6154, 82.5, 0.6136, 10, 6, 1, 23, 3, 2, 66.67],
      ],
    );
    assert.deepEqual(
      j.pairs[0].codes.map((c) => [c.code, c.kappa, c.segments, c.agreedSegments]),
      [
        ['Family', 1, 2, 2],
        ['Waiting', 0.7826, 2, 0],
      ],
    );
    assert.deepEqual(j.byCode.map((c) => [c.code, c.document, c.alpha]), [
      ['Family', 'interviews/letters.txt', 0.9344],
      ['Waiting', 'interviews/letters.txt', 0.2671],
    ]);
  });

  it('--overlap changes which segments match: 0.75 lets Ann and Ben agree on Waiting (6 of 8 characters)', async () => {
    for (const value of ['0.75', '75%']) {
      const j = JSON.parse((await runCli(['agreement', '--coders=Ann,Ben,Cy', `--overlap=${value}`, '--json'], dir)).out) as ManyAgreementJson;
      assert.equal(j.overlap, 0.75);
      assert.deepEqual([j.pairs[0].segments, j.pairs[0].agreedSegments], [4, 4]);
      assert.deepEqual([j.overall.segments, j.overall.agreedSegments], [5, 3], 'Cy has no Waiting segment: not agreed by all');
    }
  });

  it('prints a table of all coders, pairs, codes and documents', async () => {
    const r = await runCli(['agreement', '--coders', 'Ann, Ben, Cy'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Agreement of 3 coders \(Ann, Ben, Cy\), by character and by segment: 2 codes in 1 document\n/);
    assert.match(r.out, /All coders: Krippendorff's alpha 0\.6827 \(40 units of one character for one code\); segments agreed by every other coder \(same code, overlapping by at least 90 % of their union\): 3 of 5 segments agreed \(60\.00 %\)\n/);
    assert.match(r.out, /\nAnn +Cy +77\.50 % +0\.5288 +0\.5193 +3 +2 +66\.67 %\n/);
    assert.match(r.out, /\nWaiting +Ann +Ben +90\.00 % +0\.7826 +[\d.]+ +2 +0 +0\.00 %\n/);
  });

  it('two coders: the same output as before, and with --overlap the segment figures after it', async () => {
    const plain = await runCli(['agreement', '--coders', 'Ann,Ben', '--json'], dir);
    const j = JSON.parse(plain.out) as AgreementJson;
    assert.deepEqual(Object.keys(j), ['coders', 'overall', 'codes', 'byCode']);
    const withSegments = JSON.parse((await runCli(['agreement', '--coders', 'Ann,Ben', '--json', '--overlap', '0.9'], dir)).out) as AgreementJson;
    assert.deepEqual(Object.keys(withSegments), ['coders', 'overall', 'codes', 'byCode', 'segments']);
    const { segments, ...rest } = withSegments;
    assert.deepEqual(rest, j);
    assert.deepEqual(segments, {
      overlap: 0.9,
      overall: { segments: 4, agreedSegments: 2, segmentAgreement: 50 },
      codes: [
        { code: 'Family', codeId: FAMILY, segments: 2, agreedSegments: 2, segmentAgreement: 100 },
        { code: 'Waiting', codeId: WAITING, segments: 2, agreedSegments: 0, segmentAgreement: 0 },
      ],
    });
    const table = await runCli(['agreement', '--coders', 'Ann,Ben', '--overlap', '0.9'], dir);
    assert.ok(table.out.startsWith((await runCli(['agreement', '--coders', 'Ann,Ben'], dir)).out), 'the two-coder table, then the segments');
    assert.match(table.out, /By segment \(a segment agrees when the other coder has one of the same code overlapping it by at least 90 % of their union\): 2 of 4 segments agreed \(50\.00 %\)\n/);
  });

  it('fails with a clear message and exit status 2 on bad input', async () => {
    const cases: [string[], string][] = [
      [['agreement', '--coders', 'Ann,Ben,Zoe'], 'grounded: agreement: no codings by "Zoe" in this project; coders (codings): "Ann" (2), "Ben" (2), "Cy" (1)\n'],
      [['agreement', '--coders', 'Ann,Ben,Ann'], 'grounded: agreement: --coders names the same coder twice: "Ann"\n'],
      [['agreement', '--coders', 'Ann,,Cy'], 'grounded: agreement: --coders takes two names separated by a comma, or more (a,b,c), got "Ann,,Cy"; coders (codings): "Ann" (2), "Ben" (2), "Cy" (1)\n'],
      [['agreement', '--coders', 'Ann'], 'grounded: agreement: --coders takes two names separated by a comma, or more (a,b,c), got "Ann"; coders (codings): "Ann" (2), "Ben" (2), "Cy" (1)\n'],
      [['agreement', '--coders', 'Ann,Ben,Cy', '--csv'], 'grounded: agreement: --csv is one row per code and document for two coders; for three or more, use --json or the table\n'],
      [['agreement', '--coders', 'Ann,Ben', '--csv', '--overlap', '0.9'], 'grounded: agreement: --csv has no segment columns; use --overlap with --json or the table\n'],
      [['agreement', '--coders', 'Ann,Ben,Cy', '--overlap', '1.5'], 'grounded: agreement: --overlap takes a share above 0 and at most 1 (0.9, or 90%), got "1.5"\n'],
      [['agreement', '--coders', 'Ann,Ben,Cy', '--overlap', '0'], 'grounded: agreement: --overlap takes a share above 0 and at most 1 (0.9, or 90%), got "0"\n'],
      [['agreement', '--coders', 'Ann,Ben,Cy', '--overlap', 'most'], 'grounded: agreement: --overlap takes a share above 0 and at most 1 (0.9, or 90%), got "most"\n'],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.equal(r.out, '');
      assert.ok(r.err.startsWith(message), `${argv.join(' ')}: ${r.err}`);
    }
  });
});
