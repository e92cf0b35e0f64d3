// applyPseudonyms and findRealNames against the two implementations before them, kept verbatim in
// pseudonymsOracle.ts as oracles (the regex alternation, then the one pass): the same text and the
// same hits for random texts and tables with overlapping names, Norwegian letters, case variants,
// names next to letters, digits and punctuation, and the characters where case rules differ ("ſ",
// "ı", the Kelvin sign, "ß", "ǅ").
import * as assert from 'assert';
import fc from 'fast-check';
import { applyPseudonyms, findRealNames, pseudonymPass, realNamesAt } from '../../src/core/pseudonyms';
import type { PseudonymTable } from '../../src/core/pseudonyms';
import { oldApplyPseudonyms, oldFindRealNames, onePassApplyPseudonyms, onePassFindRealNames } from './pseudonymsOracle';

// ---- the property ----
const NAMES = ['Ola', 'Ola Nordmann', 'Nordmann', 'Kari', 'Kari Hansen', 'Åse', 'Øystein', 'Bjørn Ærø', 'Liv', 'Bo', 'Jo', 'Sigrid', 'Kåre', 'ſara', 'Kelvin', 'Mıra', 'Straße', 'ǅemal', 'Ann-Kari', "O'Neil", 'Dr. Berg', '😀Emo', 'Ås', 'Å', 'E Li', 'ı'];
const PIECES = [
  ...NAMES, ' ', ' ', '  ', '\n', '\t', '\u00a0', ',', '.', '-', "'", '’', '"', 's', 'S', 'ſ', 'ss', "'s", 'a', 'x', 'æ', 'Ø', 'å', '7', '_', '\u0301',
  'ola', 'OLA', 'oLa', 'NORDMANN', 'kari', 'KARI', 'åse', 'ÅSE', 'øystein', 'liv', 'LIV', 'bo', 'BO', 'sara', 'Sara', 'SARA', 'kelvin', 'KELVIN', '\u212a', 'mira', 'MIRA', 'MIRA', 'ı', 'I',
  'STRASSE', 'strasse', 'ẞ', 'ß', 'ǆemal', 'Ǆemal', 'ǅ', 'ann-kari', 'dr. berg', 'DR.  BERG', '😀emo', '𝐀', 'Deltaker 01', 'deltaker', '\ud83d', '\ude00',
];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));
const entryArb = fc.record({
  real: fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom(...NAMES).map((n) => n.toUpperCase()), fc.constantFrom(...NAMES).map((n) => n.toLowerCase())),
  pseudonym: fc.constantFrom('Deltaker 01', 'P2', 'Anna', 'Ola', 'Sted X'),
  matchCase: fc.boolean(),
});
const tableArb = fc.array(entryArb, { maxLength: 8 }).map(
  (es): PseudonymTable => ({
    version: 1,
    names: es
      .filter((e, i) => es.findIndex((f) => f.real.toLocaleLowerCase() === e.real.toLocaleLowerCase()) === i)
      .map((e) => (e.matchCase ? { real: e.real, pseudonym: e.pseudonym, matchCase: true as const } : { real: e.real, pseudonym: e.pseudonym })),
  }),
);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261205;
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 3000;

describe('pseudonyms: the automaton gives what the regex alternation and the one pass gave', function () {
  this.timeout(120000);
  it('applyPseudonyms: the same text for random texts and tables', () => {
    fc.assert(
      fc.property(textArb, tableArb, (text, table) => {
        const out = applyPseudonyms(text, table);
        assert.strictEqual(out, oldApplyPseudonyms(text, table));
        assert.strictEqual(out, onePassApplyPseudonyms(text, table));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
  it('findRealNames: the same hits (line, column, name, context) for random texts and tables', () => {
    fc.assert(
      fc.property(textArb, tableArb, (text, table) => {
        const hits = findRealNames(text, table, 'f.md');
        assert.deepStrictEqual(hits, oldFindRealNames(text, table, 'f.md'));
        assert.deepStrictEqual(hits, onePassFindRealNames(text, table, 'f.md'));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
  it('a PseudonymPass over pieces cut at commas: the text and hits of applyPseudonyms then findRealNames on the whole', () => {
    const ignoringCase = tableArb.map((t): PseudonymTable => ({ ...t, names: t.names.map(({ real, pseudonym }) => ({ real, pseudonym })) }));
    const piecesArb = fc.array(textArb.map((t) => t.replace(/[,"]/g, '')), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(piecesArb, ignoringCase, (pieces, table) => {
        const pass = pseudonymPass(table);
        assert.ok(pass, 'a table without matchCase and without , or " in its names has a pass');
        const hits: number[] = [];
        const out: string[] = [];
        let at = 0;
        for (const piece of pieces) {
          const text = pass.apply(piece, at, hits);
          out.push(text);
          at += text.length + 1;
        }
        const whole = applyPseudonyms(pieces.join(','), table);
        assert.strictEqual(out.join(','), whole);
        assert.deepStrictEqual(realNamesAt(whole, hits, 'f.csv'), findRealNames(whole, table, 'f.csv'));
      }),
      { seed: SEED, numRuns: RUNS },
    );
    assert.strictEqual(pseudonymPass({ version: 1, names: [{ real: 'Liv', pseudonym: 'P1', matchCase: true }] }), undefined);
    assert.strictEqual(pseudonymPass({ version: 1, names: [{ real: 'Berg, Svein', pseudonym: 'P1' }] }), undefined);
  });
  it('the cases the property is built around', () => {
    const table: PseudonymTable = {
      version: 1,
      names: [
        { real: 'Ola', pseudonym: 'P1' },
        { real: 'Ola Nordmann', pseudonym: 'P2' },
        { real: 'Nordmann', pseudonym: 'P3' },
        { real: 'Liv', pseudonym: 'P4', matchCase: true },
      ],
    };
    const text = 'Ola Nordmann, ola  nordmann\nOlas bok. Makola Ola7 Ola-Nordmann liv Liv Livs NORDMANNs ſ';
    assert.strictEqual(applyPseudonyms(text, table), 'P2, P2\nP1s bok. Makola Ola7 P1-P3 liv P4 P4s P3s ſ');
    assert.strictEqual(applyPseudonyms(text, table), oldApplyPseudonyms(text, table));
    assert.deepStrictEqual(findRealNames(text, table, 'f'), oldFindRealNames(text, table, 'f'));
  });
});
