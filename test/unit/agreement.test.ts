import * as assert from 'node:assert/strict';
import { codersByCodings, compareCoders, compareSpans, measures, mergeSpans, unionSpans } from '../../src/core/agreement';
import type { AgreementDocument } from '../../src/core/agreement';
import type { Coding } from '../../src/core/model';

let next = 0;
function coding(coder: string, codeId: string, start: number, end: number, orphaned = false): Coding {
  const c: Coding = {
    id: `00000000-0000-4000-8000-${String(next++).padStart(12, '0')}`,
    codeId,
    anchor: { start, end, prefix: '', quote: '', suffix: '' },
    coder,
    created: '2026-11-02T10:00:00.000Z',
  };
  if (orphaned) c.orphaned = true;
  return c;
}

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

describe('agreement: spans', () => {
  it('merges overlapping and touching spans and clips them to the text', () => {
    assert.deepEqual(mergeSpans([{ start: 5, end: 8 }, { start: 0, end: 3 }, { start: 3, end: 4 }, { start: 6, end: 12 }]), [
      { start: 0, end: 4 },
      { start: 5, end: 12 },
    ]);
    const spans = unionSpans([coding('a', 'x', -3, 4), coding('a', 'x', 2, 6), coding('a', 'x', 15, 30), coding('a', 'x', 8, 9, true)], 20);
    assert.deepEqual(spans, [
      { start: 0, end: 6 },
      { start: 15, end: 20 },
    ]);
  });

  it('counts the 2x2 table and finds the disagreements by walking both span lists', () => {
    // 0         1         2
    // 0123456789012345678901234567
    // a: [0,10) [14,18) [20,28)
    // b:   [2,6) [8,16)  [20,28)
    // both: 2-6, 8-10, 14-16, 20-28 = 4+2+2+8 = 16; |a| = 10+4+8 = 22; |b| = 4+8+8 = 20
    const { counts, disagreements } = compareSpans(
      [{ start: 0, end: 10 }, { start: 14, end: 18 }, { start: 20, end: 28 }],
      [{ start: 2, end: 6 }, { start: 8, end: 16 }, { start: 20, end: 28 }],
      30,
    );
    assert.deepEqual(counts, { both: 16, onlyA: 6, onlyB: 4, neither: 4 });
    assert.deepEqual(disagreements, [
      { start: 0, end: 2, coder: 'a' },
      { start: 6, end: 8, coder: 'a' },
      { start: 10, end: 14, coder: 'b' },
      { start: 16, end: 18, coder: 'a' },
    ]);
  });
});

describe('agreement: measures', () => {
  it('A codes 0-10, B 5-15 of a 20-character document', () => {
    // both 5 (5-10), only A 5 (0-5), only B 5 (10-15), neither 5 (15-20)
    // agreement = (5 + 5) / 20 = 0.5
    // kappa: pA = pB = 10/20 = 0.5; p_e = 0.5·0.5 + 0.5·0.5 = 0.5; kappa = (0.5 − 0.5) / (1 − 0.5) = 0
    // alpha: coincidence matrix o11 = 2·5 = 10, o00 = 10, o01 = o10 = 5 + 5 = 10; n = 40, n1 = n0 = 20
    //        alpha = 1 − (n − 1)·o01 / (n0·n1) = 1 − 39·10 / 400 = 0.025
    const r = compareCoders([{ path: 'd.txt', length: 20, codings: [coding('A', 'x', 0, 10), coding('B', 'x', 5, 15)] }], ['A', 'B']);
    const row = r.byCodeAndDocument[0];
    assert.deepEqual(row.counts, { both: 5, onlyA: 5, onlyB: 5, neither: 5 });
    close(row.agreement, 0.5);
    close(row.kappa, 0);
    close(row.alpha, 0.025);
    assert.deepEqual(row.disagreements, [
      { start: 0, end: 5, coder: 'a' },
      { start: 10, end: 15, coder: 'b' },
    ]);
  });

  it('A codes 10-40, B 20-40 and 60-70 of a 100-character document', () => {
    // both 20 (20-40), only A 10 (10-20), only B 10 (60-70), neither 60
    // agreement = 80 / 100 = 0.8
    // kappa: pA = 0.3, pB = 0.3; p_e = 0.09 + 0.49 = 0.58; kappa = (0.8 − 0.58) / 0.42 = 11/21
    // alpha: n = 200, n1 = 2·20 + 20 = 60, n0 = 140, o01 = 20; alpha = 1 − 199·20 / (140·60) = 1 − 3980/8400 = 221/420
    const m = measures({ both: 20, onlyA: 10, onlyB: 10, neither: 60 });
    close(m.agreement, 0.8);
    close(m.kappa, 11 / 21);
    close(m.alpha, 221 / 420);
  });

  it("reproduces published examples: Krippendorff's binary two-coder example (alpha 0.095) and Cohen's kappa 0.4", () => {
    // Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), binary data, two observers, 10 units:
    //   A: 0 1 0 0 0 0 0 0 1 0
    //   B: 1 1 1 0 0 1 0 0 0 0
    // o_01 = 4, n_0 = 14, n_1 = 6, n = 20: alpha = 1 − 19·4 / (14·6) = 0.0952
    // As characters 0-9: A codes [1,2) and [8,9); B codes [0,3) and [5,6).
    const r = compareCoders([{ path: 'k', length: 10, codings: [coding('A', 'x', 1, 2), coding('A', 'x', 8, 9), coding('B', 'x', 0, 3), coding('B', 'x', 5, 6)] }], ['A', 'B']);
    assert.deepEqual(r.overall.counts, { both: 1, onlyA: 1, onlyB: 3, neither: 5 });
    close(r.overall.alpha, 1 - 76 / 84);
    assert.equal(r.overall.alpha.toFixed(3), '0.095');
    // The textbook 2x2 table: 50 items, both yes 20, A only 5, B only 10, both no 15:
    // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; kappa = 0.2/0.5 = 0.4
    close(measures({ both: 20, onlyA: 5, onlyB: 10, neither: 15 }).kappa, 0.4);
  });

  it('kappa is 0 and agreement high when one coder coded nothing', () => {
    // L = 100, A codes 0-10, B nothing: agreement 90/100; pB = 0, p_e = 0.9·1 = 0.9 = p_o, kappa 0
    // alpha: n = 200, n1 = 10, n0 = 190, o01 = 10: 1 − 199·10 / 1900 = −9/190
    const m = measures({ both: 0, onlyA: 10, onlyB: 0, neither: 90 });
    close(m.agreement, 0.9);
    close(m.kappa, 0);
    close(m.alpha, 1 - 1990 / 1900);
  });

  it("NVivo's convention: a code both coders left out of a document agrees fully (kappa 1, 100 %)", () => {
    // Code y is used by A in d1 only; in d2 nobody used it: p_o = 1, p_e = 1, kappa 0/0 -> 1.
    const docs: AgreementDocument[] = [
      { path: 'd1.txt', length: 10, codings: [coding('A', 'y', 0, 5), coding('A', 'x', 0, 10), coding('B', 'x', 0, 10)] },
      { path: 'd2.txt', length: 10, codings: [coding('A', 'x', 0, 4), coding('B', 'x', 0, 4)] },
    ];
    const r = compareCoders(docs, ['A', 'B'], { codes: [{ id: 'x', name: 'X', color: '#000000', created: '', createdBy: '' }, { id: 'y', name: 'Y', color: '#000000', created: '', createdBy: '' }] });
    assert.deepEqual(r.codeIds, ['x', 'y']);
    assert.deepEqual(r.byCodeAndDocument.map((x) => [x.document, x.codeId]), [['d1.txt', 'x'], ['d1.txt', 'y'], ['d2.txt', 'x'], ['d2.txt', 'y']]);
    const absent = r.byCodeAndDocument[3];
    assert.deepEqual(absent.counts, { both: 0, onlyA: 0, onlyB: 0, neither: 10 });
    assert.deepEqual([absent.agreement, absent.kappa, absent.alpha], [1, 1, 1]);
    assert.deepEqual(absent.disagreements, []);
    // Both coded the whole document: p_e = 1 too, also 1.
    const whole = r.byCodeAndDocument[0];
    assert.deepEqual(whole.counts, { both: 10, onlyA: 0, onlyB: 0, neither: 0 });
    assert.deepEqual([whole.agreement, whole.kappa, whole.alpha], [1, 1, 1]);
    // y in d1: A 0-5 of 10, B nothing: kappa 0, agreement 50 %
    close(r.byCodeAndDocument[1].kappa, 0);
    close(r.byCodeAndDocument[1].agreement, 0.5);
    // An empty table is reported the same way.
    assert.deepEqual(measures({ both: 0, onlyA: 0, onlyB: 0, neither: 0 }), { agreement: 1, kappa: 1, alpha: 1 });
  });

  it('counts overlapping codings of one coder on one code once, and leaves orphans and other coders out', () => {
    // L = 20. A: 0-6 and 4-10 (union 0-10), an orphan at 12-18 (left out); B: 5-15; C (third coder) ignored.
    // Same table as 0-10 against 5-15: both 5, only A 5, only B 5, neither 5.
    const r = compareCoders(
      [{ path: 'd.txt', length: 20, codings: [coding('A', 'x', 0, 6), coding('A', 'x', 4, 10), coding('A', 'x', 12, 18, true), coding('B', 'x', 5, 15), coding('C', 'x', 0, 20)] }],
      ['A', 'B'],
    );
    assert.deepEqual(r.byCodeAndDocument[0].counts, { both: 5, onlyA: 5, onlyB: 5, neither: 5 });
    close(r.overall.kappa, 0);
  });

  it('pools codes and documents into one table for the overall figures', () => {
    // d1 (20 chars), code x: A 0-10, B 5-15      -> both 5, onlyA 5, onlyB 5, neither 5
    // d2 (10 chars), code x: A 0-10, B 0-10      -> both 10
    // d1, code y: nobody                          -> neither 20
    // d2, code y: A 0-2, B 0-2                    -> both 2, neither 8
    // pooled: both 17, onlyA 5, onlyB 5, neither 33, N = 60
    // agreement = 50/60 = 5/6
    // pA = pB = 22/60; p_e = (22/60)² + (38/60)² = (484 + 1444)/3600 = 1928/3600
    // kappa = (3000/3600 − 1928/3600) / (1 − 1928/3600) = 1072/1672 = 134/209
    // alpha: n = 120, n1 = 34 + 10 = 44, n0 = 76, o01 = 10: 1 − 119·10/(76·44) = 1 − 1190/3344 = 2154/3344
    const docs: AgreementDocument[] = [
      { path: 'd1.txt', length: 20, codings: [coding('A', 'x', 0, 10), coding('B', 'x', 5, 15)] },
      { path: 'd2.txt', length: 10, codings: [coding('A', 'x', 0, 10), coding('B', 'x', 0, 10), coding('A', 'y', 0, 2), coding('B', 'y', 0, 2)] },
      { path: 'd3.txt', length: 50, codings: [coding('C', 'x', 0, 10)] }, // neither A nor B: not compared
    ];
    const r = compareCoders(docs, ['A', 'B']);
    assert.deepEqual(r.documents, ['d1.txt', 'd2.txt']);
    assert.deepEqual(r.overall.counts, { both: 17, onlyA: 5, onlyB: 5, neither: 33 });
    close(r.overall.agreement, 5 / 6);
    close(r.overall.kappa, 134 / 209);
    close(r.overall.alpha, 2154 / 3344);
    // per code pooled over documents: x = both 15, onlyA 5, onlyB 5, neither 5 (N 30)
    assert.deepEqual(r.byCode.map((c) => [c.codeId, c.counts]), [
      ['x', { both: 15, onlyA: 5, onlyB: 5, neither: 5 }],
      ['y', { both: 2, onlyA: 0, onlyB: 0, neither: 28 }],
    ]);
  });

  it('ranks coders by their codings, then by name', () => {
    const docs = [{ codings: [coding('b', 'x', 0, 1), coding('a', 'x', 0, 1), coding('c', 'x', 0, 1), coding('c', 'x', 0, 1), coding('d', 'x', 0, 1, true)] }];
    assert.deepEqual(codersByCodings(docs), [
      { coder: 'c', codings: 2 },
      { coder: 'a', codings: 1 },
      { coder: 'b', codings: 1 },
    ]);
  });

  it('agrees with a per-character count on random codings', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const length = 1 + rand(60);
      const codings: Coding[] = [];
      for (let k = rand(8); k > 0; k--) {
        const s = rand(length + 4) - 2;
        codings.push(coding(rand(2) ? 'A' : 'B', 'x', s, s + rand(20)));
      }
      const r = compareCoders([{ path: 'd', length, codings }], ['A', 'B']);
      const a = new Uint8Array(length);
      const b = new Uint8Array(length);
      for (const c of codings) for (let i = Math.max(0, c.anchor.start); i < Math.min(length, c.anchor.end); i++) (c.coder === 'A' ? a : b)[i] = 1;
      const expected = { both: 0, onlyA: 0, onlyB: 0, neither: 0 };
      for (let i = 0; i < length; i++) expected[a[i] && b[i] ? 'both' : a[i] ? 'onlyA' : b[i] ? 'onlyB' : 'neither']++;
      if (codings.length === 0) continue;
      assert.deepEqual(r.byCodeAndDocument[0].counts, expected);
      // Alpha and kappa from their textbook definitions over the per-character values.
      const m = r.byCodeAndDocument[0];
      const o = [
        [0, 0],
        [0, 0],
      ];
      for (let i = 0; i < length; i++) {
        // each unit has m_u = 2 values; each ordered pair of values counts 1/(m_u − 1) = 1
        o[a[i]][b[i]]++;
        o[b[i]][a[i]]++;
      }
      const nc = [o[0][0] + o[0][1], o[1][0] + o[1][1]];
      const n = nc[0] + nc[1];
      const De = (nc[0] * nc[1] + nc[1] * nc[0]) / (n * (n - 1));
      const Do = (o[0][1] + o[1][0]) / n;
      if (De > 0) close(m.alpha, 1 - Do / De);
      const pa = (expected.both + expected.onlyA) / length;
      const pb = (expected.both + expected.onlyB) / length;
      const pe = pa * pb + (1 - pa) * (1 - pb);
      if (pe < 1) close(m.kappa, ((expected.both + expected.neither) / length - pe) / (1 - pe));
      for (const d of r.byCodeAndDocument[0].disagreements) {
        for (let i = d.start; i < d.end; i++) assert.ok(d.coder === 'a' ? a[i] && !b[i] : b[i] && !a[i]);
      }
      const inDisagreement = r.byCodeAndDocument[0].disagreements.reduce((n, d) => n + d.end - d.start, 0);
      assert.equal(inDisagreement, expected.onlyA + expected.onlyB);
      // Without the disagreements (the CLI's JSON has none): the same report, every list of them empty.
      const bare = compareCoders([{ path: 'd', length, codings }], ['A', 'B'], { disagreements: false });
      assert.deepEqual(bare, { ...r, byCodeAndDocument: r.byCodeAndDocument.map((row) => ({ ...row, disagreements: [] })) });
    }
  });
});
