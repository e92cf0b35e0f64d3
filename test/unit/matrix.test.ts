import * as assert from 'node:assert/strict';
import type { DocumentCodings } from '../../src/core/codebook';
import { NO_CASE, NO_VALUE, attributeNames, codeByAttribute, codeByCase, codeRows, cooccurrence, matrixCsv } from '../../src/core/matrix';
import type { Matrix } from '../../src/core/matrix';
import type { Coding, ProjectFile } from '../../src/core/model';
import { analyse } from '../../src/core/analysis';
import { makeAnchor } from '../../src/core/text';
import { codebookFixture } from './fixtures';

const A = 'interviews/a.txt';
const B = 'interviews/b.txt';
const C = 'interviews/c.txt';
const D = 'interviews/d.txt';
const TEXTS: Record<string, string> = {
  [A]: ['Intervjuer: Hvordan holder du kontakten?', 'Ola: Jeg ringer hjem hver søndag. Brevene kommer sjelden.', 'Intervjuer: Kjeder du deg?', 'Ola: Ja, dagene er lange.', ''].join('\n'),
  [B]: ['Intervjuer: Skriver du brev?', 'Mira: Jeg skriver brev til mora mi. Det er kjedelig her. Tida går sakte.', ''].join('\n'),
  [C]: ['Per: Jeg ringer broren min.', ''].join('\n'),
  [D]: ['Notater uten talere. Brev fra mor.', ''].join('\n'),
};

function fixture() {
  const f = codebookFixture();
  const project: ProjectFile = {
    ...f.p,
    cases: [
      { id: 'case-ola', pseudonym: 'Ola', documents: [A], attributes: { unit: 'high' } },
      { id: 'case-mira', pseudonym: 'Mira', documents: [B], attributes: { unit: 'low', age: '20-29' } },
      { id: 'case-per', pseudonym: 'Per', documents: [C], attributes: {} },
    ],
  };
  const coding = (path: string, id: string, codeId: string, quote: string, extra: Partial<Coding> = {}): Coding => {
    const text = TEXTS[path];
    const start = text.indexOf(quote);
    assert.ok(start >= 0, `"${quote}" is in ${path}`);
    return { id, codeId, anchor: makeAnchor(text, start, start + quote.length), coder: 'Kari', created: '2026-11-05T12:00:00.000Z', ...extra };
  };
  const docs: DocumentCodings[] = [
    {
      path: A,
      codings: [
        coding(A, 'c1', f.calling, 'Jeg ringer hjem hver søndag.'),
        coding(A, 'c2', f.letters, 'hver søndag. Brevene kommer sjelden.'),
        coding(A, 'c3', f.calling, 'ringer hjem'),
        coding(A, 'c4', f.boredom, 'Ja, dagene er lange.'),
        coding(A, 'c5', f.boredom, 'Kjeder du deg?'), // inside the interviewer's turn
      ],
    },
    {
      path: B,
      codings: [
        coding(B, 'c6', f.letters, 'Jeg skriver brev til mora mi. Det er'),
        coding(B, 'c7', f.boredom, 'Det er kjedelig her.'),
        coding(B, 'c11', f.boredom, 'Tida går sakte.'),
        coding(B, 'c10', f.letters, 'Skriver du brev?', { orphaned: true }),
      ],
    },
    { path: C, codings: [coding(C, 'c9', f.calling, 'ringer broren')] },
    { path: D, codings: [coding(D, 'c8', f.letters, 'Brev fra mor.')] },
  ];
  return { ...f, project, docs: analyse({ project: project, documents: docs, textOf: (p) => TEXTS[p] }).documents };
}

/** The counts as { row name: { column label: count } }, for readable expectations. */
function table(m: Matrix): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  m.rows.forEach((row, r) => (out[row.name] = Object.fromEntries(m.columns.map((c, i) => [c.label, m.cells[r][i].count]))));
  return out;
}
const cell = (m: Matrix, row: string, column: string) => {
  const r = m.rows.findIndex((x) => x.name === row);
  const c = m.columns.findIndex((x) => x.label === column);
  assert.ok(r >= 0 && c >= 0, `${row} × ${column}`);
  return m.cells[r][c];
};

describe('matrices', () => {
  it('rows are the codebook in tree order with depths; a category is marked and has its own row', () => {
    const { project } = fixture();
    const { rows } = codeRows(project);
    assert.deepEqual(
      rows.map((r) => [r.name, r.depth, r.category, r.path]),
      [
        ['boredom', 0, false, 'boredom'],
        ['Keeping connected', 0, true, 'Keeping connected'],
        ['calling home', 1, false, 'Keeping connected > calling home'],
        ['letters', 1, false, 'Keeping connected > letters'],
      ],
    );
  });

  it('code × case: codings per case by pseudonym, a category counting its subcodes, "No case" for a coded transcript without a case; orphans left out', () => {
    const { project, docs } = fixture();
    const m = codeByCase(project, docs);
    assert.deepEqual(m.columns.map((c) => c.label), ['Mira', 'Ola', 'Per', 'No case']);
    assert.equal(m.columns[3].id, NO_CASE);
    assert.deepEqual(table(m), {
      boredom: { Mira: 2, Ola: 2, Per: 0, 'No case': 0 },
      'Keeping connected': { Mira: 1, Ola: 3, Per: 1, 'No case': 1 },
      'calling home': { Mira: 0, Ola: 2, Per: 1, 'No case': 0 },
      letters: { Mira: 1, Ola: 1, Per: 0, 'No case': 1 },
    });
    assert.equal(m.max, 3);
    const kc = cell(m, 'Keeping connected', 'Ola');
    assert.equal(kc.documents, 1);
    assert.deepEqual(kc.refs, [
      { path: A, codingId: 'c1' },
      { path: A, codingId: 'c3' },
      { path: A, codingId: 'c2' },
    ]);
  });

  it('code × case has no "No case" column when every coded transcript belongs to a case', () => {
    const { project, docs } = fixture();
    const m = codeByCase(project, [...docs.filter((d) => d.path !== D), { path: 'notes/readme.md', codings: [] }]);
    assert.deepEqual(m.columns.map((c) => c.label), ['Mira', 'Ola', 'Per']);
  });

  it('excluded speakers: a coding wholly inside the interviewer\'s turns is not counted', () => {
    const { project, docs } = fixture();
    const withExcluded: ProjectFile = { ...project, settings: { excludedSpeakers: ['intervjuer'] } };
    const m = codeByCase(withExcluded, analyse({ project: withExcluded, documents: docs, textOf: (p) => TEXTS[p] }).documents);
    assert.equal(cell(m, 'boredom', 'Ola').count, 1);
    assert.deepEqual(cell(m, 'boredom', 'Ola').refs, [{ path: A, codingId: 'c4' }]);
    assert.equal(cell(codeByCase(project, docs), 'boredom', 'Ola').count, 2, 'counted without the setting');
  });

  it('code × attribute: sorted values and "(none)" for cases without it and transcripts in no case', () => {
    const { project, docs } = fixture();
    assert.deepEqual(attributeNames(project), ['age', 'unit']);
    const m = codeByAttribute(project, docs, 'unit');
    assert.deepEqual(m.columns.map((c) => c.label), ['high', 'low', '(none)']);
    assert.equal(m.columns[2].id, NO_VALUE);
    assert.deepEqual(table(m), {
      boredom: { high: 2, low: 2, '(none)': 0 },
      'Keeping connected': { high: 3, low: 1, '(none)': 2 },
      'calling home': { high: 2, low: 0, '(none)': 1 },
      letters: { high: 1, low: 1, '(none)': 1 },
    });
    assert.equal(cell(m, 'Keeping connected', '(none)').documents, 2);
    const age = codeByAttribute(project, docs, 'age');
    assert.deepEqual(table(age).boredom, { '20-29': 2, '(none)': 2 });
  });

  it('co-occurrence by overlap: pairs of overlapping codings, each pair once, diagonal = own codings, symmetric', () => {
    const { project, docs } = fixture();
    const m = cooccurrence(project, docs, 'overlap');
    assert.deepEqual(m.columns.map((c) => c.label), ['boredom', 'Keeping connected', 'calling home', 'letters']);
    assert.deepEqual(table(m), {
      boredom: { boredom: 4, 'Keeping connected': 1, 'calling home': 0, letters: 1 },
      'Keeping connected': { boredom: 1, 'Keeping connected': 6, 'calling home': 2, letters: 1 },
      'calling home': { boredom: 0, 'Keeping connected': 2, 'calling home': 3, letters: 1 },
      letters: { boredom: 1, 'Keeping connected': 1, 'calling home': 1, letters: 3 },
    });
    assert.equal(m.max, 2, 'the diagonal is not the maximum');
    assert.deepEqual(cell(m, 'calling home', 'letters').refs, [
      { path: A, codingId: 'c1' },
      { path: A, codingId: 'c2' },
    ]);
    assert.deepEqual(cell(m, 'letters', 'boredom').refs, [
      { path: B, codingId: 'c6' },
      { path: B, codingId: 'c7' },
    ]);
  });

  it('co-occurrence by speaker turn: codings touching a common turn pair up; text without turns pairs nothing', () => {
    const { project, docs } = fixture();
    const m = cooccurrence(project, docs, 'turn', (p) => TEXTS[p]);
    assert.deepEqual(table(m), {
      boredom: { boredom: 4, 'Keeping connected': 2, 'calling home': 0, letters: 2 },
      'Keeping connected': { boredom: 2, 'Keeping connected': 6, 'calling home': 3, letters: 2 },
      'calling home': { boredom: 0, 'Keeping connected': 3, 'calling home': 3, letters: 2 },
      letters: { boredom: 2, 'Keeping connected': 2, 'calling home': 2, letters: 3 },
    });
    assert.equal(m.max, 3);
    assert.deepEqual(cell(m, 'letters', 'boredom').refs.map((r) => r.codingId), ['c6', 'c7', 'c11']);
    // without the texts there are no turns, so no pairs; the diagonal still counts
    const blind = cooccurrence(project, docs, 'turn', () => undefined);
    assert.equal(cell(blind, 'letters', 'boredom').count, 0);
    assert.equal(cell(blind, 'letters', 'letters').count, 3);
  });

  it('a coding spanning two turns pairs with codings in either, once', () => {
    const { project, calling, letters } = fixture();
    const text = TEXTS[A];
    const mk = (id: string, codeId: string, quote: string): Coding => {
      const s = text.indexOf(quote);
      return { id, codeId, anchor: makeAnchor(text, s, s + quote.length), coder: 'Kari', created: '2026-11-05T12:00:00.000Z' };
    };
    const docs = [{ path: A, codings: [mk('x', calling, 'sjelden.\nIntervjuer: Kjeder'), mk('y', letters, 'Brevene'), mk('z', letters, 'du deg?')] }];
    const m = cooccurrence(project, docs, 'turn', () => text);
    assert.equal(cell(m, 'calling home', 'letters').count, 2);
    assert.equal(cell(m, 'letters', 'letters').count, 2);
    assert.equal(cell(m, 'Keeping connected', 'letters').count, 2, 'x–y and x–z; y and z share no turn');
    assert.equal(cell(cooccurrence(project, docs, 'overlap'), 'calling home', 'letters').count, 0, 'none of them overlap');
  });

  it('CSV: a header of column labels, code paths, counts; fields with commas, quotes and line breaks quoted (RFC 4180)', () => {
    const { project, docs, boredom } = fixture();
    const odd: ProjectFile = {
      ...project,
      codes: project.codes.map((c) => (c.id === boredom ? { ...c, name: 'say "no", then\nleave' } : c)),
      cases: project.cases.map((k) => (k.id === 'case-per' ? { ...k, pseudonym: 'Per, the elder' } : k)),
    };
    const csv = matrixCsv(codeByCase(odd, docs));
    assert.equal(
      csv,
      [
        'Code,Mira,Ola,"Per, the elder",No case',
        'Keeping connected,1,3,1,1',
        'Keeping connected > calling home,0,2,1,0',
        'Keeping connected > letters,1,1,0,1',
        '"say ""no"", then\nleave",2,2,0,0',
        '',
      ].join('\r\n'),
    );
  });
});
