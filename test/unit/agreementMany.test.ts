// Agreement of two or more coders: Krippendorff's alpha of all coders, pairwise kappa and segment
// agreement, against the example computed by hand in docs/AGREEMENT.md ("A worked example: three coders").
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { alphaOfCarriers, carriersOf, compareCoders, compareManyCoders, segmentAgreement, segmentMatched, unionSpans } from '../../src/core/agreement';
import type { AgreementCoding, AgreementDocument } from '../../src/core/agreement';

const coding = (coder: string, codeId: string, start: number, end: number, orphaned = false): AgreementCoding => ({ coder, codeId, anchor: { start, end }, ...(orphaned ? { orphaned } : {}) });
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} != ${expected}`);

// docs/AGREEMENT.md: "Mum wrote each week." (20 characters)
//   Family:  Ann 0-10, Ben 0-10, Cy 0-11
//   Waiting: Ann 12-20, Ben 14-20
const EXAMPLE: AgreementDocument[] = [
  {
    path: 'letters.txt',
    length: 20,
    codings: [
      coding('Ann', 'family', 0, 10),
      coding('Ben', 'family', 0, 10),
      coding('Cy', 'family', 0, 11),
      coding('Ann', 'waiting', 12, 20),
      coding('Ben', 'waiting', 14, 20),
    ],
  },
];
const CODES = [
  { id: 'family', name: 'Family', color: '#000000', created: '', createdBy: '' },
  { id: 'waiting', name: 'Waiting', color: '#000000', created: '', createdBy: '' },
];

describe('agreement of two or more coders: the hand-computed example', () => {
  const r = compareManyCoders(EXAMPLE, ['Ann', 'Ben', 'Cy'], { codes: CODES });

  it("counts the characters by number of carriers and gives Krippendorff's alpha per code and overall", () => {
    assert.deepEqual(r.codeIds, ['family', 'waiting']);
    assert.deepEqual(r.byCode.map((c) => c.carriedBy), [
      [9, 1, 0, 10],
      [12, 2, 6, 0],
    ]);
    close(r.byCode[0].alpha, 840 / 899); // 0.9344
    close(r.byCode[1].alpha, 43 / 161); // 0.2671
    assert.deepEqual(r.overall.carriedBy, [21, 3, 6, 10]);
    close(r.overall.alpha, 256 / 375); // 0.6827
  });

  it("gives Cohen's kappa for every pair", () => {
    assert.deepEqual(r.pairs.map((p) => p.coders), [[0, 1], [0, 2], [1, 2]]);
    const [annBen, annCy, benCy] = r.pairs;
    assert.deepEqual(annBen.byCode.map((c) => c.counts), [
      { both: 10, onlyA: 0, onlyB: 0, neither: 10 },
      { both: 6, onlyA: 2, onlyB: 0, neither: 12 },
    ]);
    close(annBen.byCode[0].kappa, 1);
    close(annBen.byCode[1].kappa, 18 / 23);
    close(annCy.byCode[0].kappa, 0.9);
    close(annCy.byCode[1].kappa, 0);
    close(benCy.byCode[0].kappa, 0.9);
    close(benCy.byCode[1].kappa, 0);
    assert.deepEqual(annCy.overall.counts, { both: 10, onlyA: 8, onlyB: 1, neither: 21 });
    close(annBen.overall.kappa, 44 / 49);
    close(annCy.overall.kappa, 101 / 191);
    close(benCy.overall.kappa, 8 / 13);
    close(annCy.overall.agreement, 0.775);
  });

  it('counts agreed segments at 90 % overlap of the union, per pair and for all coders', () => {
    assert.deepEqual(r.byCode.map((c) => c.segments), [
      { agreed: 3, segments: 3 },
      { agreed: 0, segments: 2 },
    ]);
    assert.deepEqual(r.overall.segments, { agreed: 3, segments: 5 });
    close(segmentAgreement(r.overall.segments), 0.6);
    assert.deepEqual(r.pairs.map((p) => p.overall.segments), [
      { agreed: 2, segments: 4 },
      { agreed: 2, segments: 3 },
      { agreed: 2, segments: 3 },
    ]);
    assert.deepEqual(r.pairs[0].byCode.map((c) => c.segments), [
      { agreed: 2, segments: 2 },
      { agreed: 0, segments: 2 },
    ]);
  });

  it('a lower overlap lets Waiting match between Ann and Ben (6 of 8 characters), not for all coders (Cy has none)', () => {
    const low = compareManyCoders(EXAMPLE, ['Ann', 'Ben', 'Cy'], { overlap: 0.75 });
    assert.deepEqual(low.pairs[0].byCode[1].segments, { agreed: 2, segments: 2 });
    assert.deepEqual(low.byCode[1].segments, { agreed: 0, segments: 2 });
    const high = compareManyCoders(EXAMPLE, ['Ann', 'Ben', 'Cy'], { overlap: 0.95 });
    assert.deepEqual(high.byCode[0].segments, { agreed: 0, segments: 3 }, "Cy's 11 characters against 10: 10/11 < 0.95");
    assert.deepEqual(high.pairs[0].byCode[0].segments, { agreed: 2, segments: 2 });
  });

  it('refuses fewer than two coders, a coder named twice and an overlap outside (0, 1]', () => {
    assert.throws(() => compareManyCoders(EXAMPLE, ['Ann']), /two or more/);
    assert.throws(() => compareManyCoders(EXAMPLE, ['Ann', 'Ann']), /twice/);
    assert.throws(() => compareManyCoders(EXAMPLE, ['Ann', 'Ben'], { overlap: 0 }), /overlap/);
    assert.throws(() => compareManyCoders(EXAMPLE, ['Ann', 'Ben'], { overlap: 1.5 }), /overlap/);
  });
});

describe('agreement of two or more coders: pieces', () => {
  it('segmentMatched: intersection over union, at least the share, and some overlap', () => {
    const others = [
      { start: 0, end: 10 },
      { start: 20, end: 30 },
    ];
    assert.equal(segmentMatched({ start: 0, end: 9 }, others, 0.9), true); // 9/10
    assert.equal(segmentMatched({ start: 0, end: 8 }, others, 0.9), false); // 8/10
    assert.equal(segmentMatched({ start: 21, end: 31 }, others, 0.8), true); // 9/11 = 0.818
    assert.equal(segmentMatched({ start: 21, end: 31 }, others, 0.9), false);
    assert.equal(segmentMatched({ start: 10, end: 20 }, others, 0.01), false, 'touching is no overlap');
    assert.equal(segmentMatched({ start: 5, end: 25 }, others, 0.2), true); // 5/25 with either
    assert.equal(segmentMatched({ start: 5, end: 25 }, others, 0.21), false);
  });

  it('alphaOfCarriers: 1 without disagreement, and the two-coder alpha of measures for m = 2', () => {
    assert.equal(alphaOfCarriers([5, 0, 0, 3]), 1);
    assert.equal(alphaOfCarriers([5, 0, 0]), 1);
    // Krippendorff's binary two-coder example: alpha 0.095 (test/unit/agreement.test.ts)
    close(alphaOfCarriers([3, 4, 3]), 1 - (19 * 4) / (10 * 10));
  });

  it('carriersOf sums to the length and counts touching and nested spans right', () => {
    assert.deepEqual(carriersOf([[{ start: 0, end: 5 }], [{ start: 5, end: 8 }], [{ start: 2, end: 6 }]], 10), [2, 4, 4, 0]);
    assert.deepEqual(carriersOf([[], []], 7), [7, 0, 0]);
  });
});

// Random projects: up to 3 documents, up to 4 coders, 2 codes.
const CODERS = ['a', 'b', 'c', 'd'];
const docsArb = fc.array(
  fc.record({
    length: fc.integer({ min: 0, max: 40 }),
    codings: fc.array(fc.record({ coder: fc.constantFrom(...CODERS), codeId: fc.constantFrom('x', 'y'), start: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 1, max: 15 }), orphaned: fc.boolean() }), { maxLength: 12 }),
  }),
  { minLength: 1, maxLength: 3 },
);
const toDocs = (ds: { length: number; codings: { coder: string; codeId: string; start: number; len: number; orphaned: boolean }[] }[]): AgreementDocument[] =>
  ds.map((d, i) => ({ path: `d${i}.txt`, length: d.length, codings: d.codings.map((c) => coding(c.coder, c.codeId, c.start, c.start + c.len, c.orphaned)) }));

describe('agreement of two or more coders: properties', () => {
  it('with two coders, alpha and every pair figure equal compareCoders exactly', () => {
    fc.assert(
      fc.property(docsArb, (ds) => {
        const docs = toDocs(ds);
        const two = compareCoders(docs, ['a', 'b']);
        const many = compareManyCoders(docs, ['a', 'b']);
        assert.deepEqual(many.codeIds, two.codeIds);
        assert.deepEqual(many.documents, two.documents);
        assert.equal(many.overall.alpha, two.overall.alpha);
        assert.deepEqual(many.byCode.map((c) => c.alpha), two.byCode.map((c) => c.alpha));
        assert.deepEqual(many.byCodeAndDocument.map((c) => c.alpha), two.byCodeAndDocument.map((c) => c.alpha));
        const { segments: _, ...pair } = many.pairs[0].overall;
        assert.deepEqual(pair, two.overall);
        assert.deepEqual(many.pairs[0].byCode.map(({ segments: _s, ...c }) => c), two.byCode);
        assert.deepEqual(many.overall.segments, many.pairs[0].overall.segments, 'with two coders, all coders are the pair');
      }),
    );
  });

  it('alpha and segment agreement do not depend on the order of the coders; pairs follow it', () => {
    fc.assert(
      fc.property(docsArb, fc.shuffledSubarray(CODERS, { minLength: 2 }), (ds, coders) => {
        const docs = toDocs(ds);
        const sorted = [...coders].sort();
        const x = compareManyCoders(docs, coders);
        const y = compareManyCoders(docs, sorted);
        close(x.overall.alpha, y.overall.alpha);
        assert.deepEqual(x.overall.segments, y.overall.segments);
        assert.deepEqual(x.byCode.map((c) => c.segments), y.byCode.map((c) => c.segments));
        for (const p of x.pairs) {
          const names = [coders[p.coders[0]], coders[p.coders[1]]].sort();
          const q = y.pairs.find((r) => sorted[r.coders[0]] === names[0] && sorted[r.coders[1]] === names[1])!;
          close(p.overall.kappa, q.overall.kappa);
          assert.deepEqual(p.overall.segments, q.overall.segments);
        }
      }),
    );
  });

  it('identical coders: alpha 1, kappa 1 and every segment agreed', () => {
    fc.assert(
      fc.property(docsArb, fc.integer({ min: 2, max: 4 }), (ds, m) => {
        const copies = toDocs(ds).map((d) => ({ ...d, codings: d.codings.flatMap((c) => CODERS.slice(0, m).map((coder) => ({ ...c, coder }))) }));
        const r = compareManyCoders(copies, CODERS.slice(0, m));
        assert.equal(r.overall.alpha, 1);
        assert.ok(r.pairs.every((p) => p.overall.kappa === 1));
        assert.equal(r.overall.segments.agreed, r.overall.segments.segments);
      }),
    );
  });

  it('carriersOf agrees with a count character by character', () => {
    fc.assert(
      fc.property(docsArb, (ds) => {
        for (const d of toDocs(ds)) {
          const lists = CODERS.map((coder) => unionSpans(d.codings.filter((c) => c.coder === coder && c.codeId === 'x'), d.length));
          const expected = new Array<number>(CODERS.length + 1).fill(0);
          for (let i = 0; i < d.length; i++) expected[lists.filter((l) => l.some((s) => s.start <= i && i < s.end)).length]++;
          assert.deepEqual(carriersOf(lists, d.length), expected);
        }
      }),
    );
  });
});
