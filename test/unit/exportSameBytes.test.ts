// The report, segments and codebook exports with a pseudonym table were made faster for large projects
// (issue 15); these tests hold buildExport to what it gave before, byte for byte: every file's text
// and the list of real names left (file, line, column, name, context), on a fictional project whose
// quotes, notes, translations, memos, code names, paths and case pseudonyms hold names in every form
// a table must handle: as written and in other cases, as genitives, inside longer words (which must
// stay), next to digits and hyphens, with Norwegian letters, across a line break inside a quote,
// split between two cells, between two rows, with characters CSV, Markdown and HTML escape.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { buildExport } from '../../src/core/exports';
import type { ExportKind, ExportResult } from '../../src/core/exports';
import type { Coding, Memo, ProjectFile } from '../../src/core/model';
import { addCode, newProject } from '../../src/core/project';
import { RealNamesInPieces, pseudonymPass, realNamesAt } from '../../src/core/pseudonyms';
import { MemoryChunkWriter } from '../../src/core/ports';
import type { PseudonymEntry, PseudonymTable } from '../../src/core/pseudonyms';
import { renderCodebookCsv, renderCodebookMarkdown, renderCodingsCsv, renderReportHtml, renderReportMarkdown, renderSaturationSvg } from '../../src/core/report';
import type { ReportInput } from '../../src/core/report';
import { makeAnchor } from '../../src/core/text';
import { testEnv } from './fixtures';
import { oldApplyPseudonyms, oldFindRealNames, onePassApplyPseudonyms, onePassFindRealNames } from './pseudonymsOracle';

const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const TEXTS: Record<string, string> = {
  'Kari.txt': [
    'Intervjuer: Fortell om Kari Nordmann og Ola  Nordmann.',
    'Mira (00:01:02): Kari ringte. Makari og Karim kom ikke, men KARI kom, og kari også. Karis bror, Kari\'s søster, Kari7 og Kari-intervjuet.',
    '',
    'Intervjuer: Og Åse?',
    'Mira (00:02:10): Åse, åse og ÅSE Sørensen bor i Ærø. Øystein kjenner Bjørn Ærø; Bjørn\nÆrø er "snill", sier Liv, og liv er viktig. Bo bor i bo-enheten.',
    '',
    'Mira (00:03:00): -Kari sa det: =Ola Nordmann, @Ola og +Åse. Håkon skrev <Håkon> & [Håkon](x) | *Håkon* til Ola',
    '',
  ].join('\n'),
  'Nordmann/brev.txt': [
    'Tomas (00:00:05): Nordmann skrev til meg. Ola skrev til Nordmann, ikke Olaf.',
    'Intervjuer: Hvem er Sølvi Berg?',
    'Tomas (00:00:40): Sølvi er søster til Berg, Svein. Dr. Berg sier O"Neil kom, og Ståle, Ståles og STÅLE.',
    '',
  ].join('\n'),
  'intervju-åse.txt': [
    'Åse (00:00:01): Jeg heter ikke Åse her, men Ola kaller meg Åse-Marie. Kari Nordmanns kontor er stengt.',
    'Intervjuer: Takk, Åse.',
    '',
  ].join('\n'),
};

export function fixture(reportLanguage: 'en' | 'nb' = 'en'): ReportInput {
  const env = testEnv();
  let p: ProjectFile = newProject('Studie av Ola Nordmann & Kari <Hansen>', env);
  const add = (name: string, parent?: string, description?: string) => {
    const r = addCode(p, { name, parent, description }, 'Kari Nordmann', env);
    p = r.project;
    return r.code.id;
  };
  const family = add('Familie (Ola Nordmann)', undefined, 'Kontakt med familien, som når Kari ringer eller Åse Sørensen skriver.');
  const visits = add("Kari's besøk", family, 'Besøk av Kari, ikke av Makari.');
  const letters = add('Brev til Åse', family);
  const work = add('Arbeid', undefined, 'Arbeid i "verkstedet", med Håkon | Øystein.');
  const tools = add('Verktøy, Bo', work);
  const loose = add('Kari-saken');
  p = {
    ...p,
    settings: { language: 'nb', reportLanguage, excludedSpeakers: ['Intervjuer'] },
    cases: [
      { id: u(901), pseudonym: 'Mira', documents: ['Kari.txt'], attributes: { alder: '30-39', sted: 'Ærø' } },
      { id: u(902), pseudonym: 'Tomas Berg', documents: ['Nordmann/brev.txt'], attributes: { alder: '40-49' } },
      { id: u(903), pseudonym: 'Ola 3', documents: ['intervju-åse.txt'], attributes: {} },
    ],
  };
  let n = 100;
  const coding = (path: string, codeId: string, quote: string, extra: Partial<Coding> = {}, nth = 0): Coding => {
    const text = TEXTS[path];
    let start = text.indexOf(quote);
    for (let i = 0; i < nth; i++) start = text.indexOf(quote, start + 1);
    assert.ok(start >= 0, quote);
    n++;
    return { id: u(n), codeId, anchor: makeAnchor(text, start, start + quote.length), coder: 'Kari Nordmann', created: `2026-11-${String(1 + (n % 28)).padStart(2, '0')}T09:00:00.000Z`, ...extra };
  };
  const K = 'Kari.txt';
  const N = 'Nordmann/brev.txt';
  const A = 'intervju-åse.txt';
  const documents = [
    {
      path: K,
      codings: [
        coding(K, family, 'Fortell om Kari Nordmann og Ola  Nordmann.'),
        coding(K, visits, 'Kari ringte. Makari og Karim kom ikke, men KARI kom, og kari også.', { representative: 'category', note: 'Kari, ikke Karim' }),
        coding(K, visits, "Karis bror, Kari's søster, Kari7 og Kari-intervjuet.", {
          representative: 'code',
          coder: 'Ola',
          translation: { text: "Kari's brother, Kari's sister, Kari7 and the Kari interview.", language: 'en', translator: 'Åse Sørensen', created: '2026-11-20T10:00:00.000Z' },
        }),
        coding(K, letters, 'Åse, åse og ÅSE Sørensen bor i Ærø.', { representative: 'code', note: 'Åse\nSørensen' }),
        coding(K, letters, 'Øystein kjenner Bjørn Ærø; Bjørn\nÆrø er "snill", sier Liv, og liv er viktig.', { representative: 'category' }),
        coding(K, tools, 'Bo bor i bo-enheten.', { coder: 'Bo', note: '=Bo' }),
        coding(K, work, '-Kari sa det: =Ola Nordmann, @Ola og +Åse.', { representative: 'code', note: '+Kari' }),
        coding(K, work, 'Håkon skrev <Håkon> & [Håkon](x) | *Håkon* til Ola', { representative: 'code', translation: { text: 'Håkon wrote to Ola', language: 'en', translator: 'Ola', created: '2026-11-21T10:00:00.000Z' } }),
        // the same coder's same code on the same span again: not a row
        coding(K, tools, 'Bo bor i bo-enheten.', { coder: 'Bo' }),
        // orphaned, kept and marked; its last cell (an id written by hand) ends in a real name's first word, the next row starts with its last
        { ...coding(K, loose, '* til Ola'), orphaned: true, id: 'hand-written id Ola' },
      ],
    },
    {
      path: N,
      codings: [
        coding(N, family, 'Nordmann skrev til meg. Ola skrev til Nordmann, ikke Olaf.', { representative: 'category', coder: 'Ola' }),
        coding(N, loose, 'Hvem er Sølvi Berg?'),
        coding(N, visits, 'Sølvi er søster til Berg, Svein.', { representative: 'code', note: 'Berg, Svein i et notat' }),
        coding(N, work, 'Dr. Berg sier O"Neil kom, og Ståle, Ståles og STÅLE.', { representative: 'code', translation: { text: 'Dr. Berg says O"Neil came', language: 'en', translator: 'Bo', created: '2026-11-22T10:00:00.000Z' } }),
      ],
    },
    {
      path: A,
      codings: [
        coding(A, letters, 'Jeg heter ikke Åse her, men Ola kaller meg Åse-Marie.', { representative: 'category' }),
        coding(A, loose, 'Kari Nordmanns kontor er stengt.', { coder: 'Ola' }),
        coding(A, family, 'Takk, Åse.'),
      ],
    },
  ];
  const memo = (id: number, target: Memo['target'], body: string): Memo => ({ id: u(id), target, author: 'Kari Nordmann', created: '2026-11-12T09:00:00.000Z', modified: '2026-11-12T09:00:00.000Z', body });
  const memos: Memo[] = [
    memo(801, { kind: 'project' }, '# Om studien\n\nOla Nordmann og *Kari* leste alt. Åse  Sørensen skrev <Åse>.\n'),
    memo(802, { kind: 'code', id: family }, `Familien betyr mye for Kari og Ola.\nSe [[${"Kari's besøk"}]] og Karis brev.\n`),
    memo(803, { kind: 'code', id: work }, 'Håkon & Øystein | Bo, liv og Liv.\n\n- Berg, Svein\n- Dr. Berg\n'),
  ];
  return { project: p, documents, memos, textOf: (path) => TEXTS[path] };
}

const entry = (real: string, pseudonym: string, matchCase = false): PseudonymEntry => (matchCase ? { real, pseudonym, matchCase: true } : { real, pseudonym });
const table = (...names: PseudonymEntry[]): PseudonymTable => ({ version: 1, names });

export const TABLES: Record<string, PseudonymTable> = {
  empty: table(),
  ignoringCase: table(
    entry('Kari', 'Deltaker 01'),
    entry('Kari Nordmann', 'Deltaker 02'),
    entry('Ola Nordmann', 'Deltaker 03'),
    entry('Åse Sørensen', 'Deltaker 04'),
    entry('Bjørn Ærø', 'Deltaker 05'),
    entry('Øystein', 'Deltaker 06'),
    entry('Håkon', 'H.'),
    entry('Ståle', 'Per'),
    entry('Mira', 'Mira'),
  ),
  matchingCase: table(
    entry('Kari', 'Deltaker 01', true),
    entry('Ola', 'Deltaker 03'),
    entry('Nordmann', 'Deltaker 04'),
    entry('Åse', 'Å.', true),
    entry('Liv', 'L.', true),
    entry('Bo', 'B.', true),
    entry('Sølvi Berg', 'Deltaker 05'),
  ),
  // real names with characters CSV, Markdown and HTML write otherwise, and a multi-word name whose words
  // meet across cells and rows
  awkward: table(
    entry('Berg, Svein', 'Deltaker 06'),
    entry('Dr. Berg', 'Deltaker 07'),
    entry('O"Neil', 'Deltaker 08'),
    entry('Ola Nordmann', 'Deltaker 09'),
    entry('Bo', "B'"),
    entry('Ærø', '-Sted'),
    entry('Håkon', 'Deltaker 10'),
  ),
};

const ALL: readonly ExportKind[] = ['report', 'segments', 'codebook'];
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const digest = (r: ExportResult) => sha(JSON.stringify(r));

/** buildExport as it was written before issue 15: each file rendered whole, the table applied to the text, the text searched. */
function oldBuildExport(input: ReportInput, kinds: readonly ExportKind[], t: PseudonymTable, apply = oldApplyPseudonyms, find = oldFindRealNames): ExportResult {
  const files = kinds.flatMap((k) =>
    k === 'report'
      ? [
          { name: 'report.md', text: renderReportMarkdown(input, { saturationImage: 'saturation.svg' }) },
          { name: 'report.html', text: renderReportHtml(input) },
          { name: 'saturation.svg', text: renderSaturationSvg(input) },
        ]
      : k === 'segments'
        ? [{ name: 'segments.csv', text: renderCodingsCsv(input) }]
        : [
            { name: 'codebook.csv', text: renderCodebookCsv(input) },
            { name: 'codebook.md', text: renderCodebookMarkdown(input) },
          ],
  );
  const applied = files.map((f) => ({ name: f.name, text: apply(f.text, t) }));
  return { files: applied, realNames: applied.flatMap((f) => find(f.text, t, f.name)) };
}

// sha256 of JSON.stringify(buildExport(fixture(language), all kinds, TABLES[name])) as the code before
// issue 15's report work wrote it
const GOLDEN: Record<string, string> = {
  'en/empty': 'f4020beee4327d2a498e023d46a99be1e5e158e3df3567a8bb68c3188c2a71ae',
  'en/ignoringCase': '823589be4f5aa023de3fce9621b37c3b6a0c5cf7022522157f3ebb15a86e87b3',
  'en/matchingCase': '55d7da023659accb1a6bcbf81d77d9779d1c14c91b725e3467e53c621bf9ff34',
  'en/awkward': 'd73575918d92da39adcc3f9bebae2a3539b36220963e594a4968b852f5a49411',
  'nb/empty': '79626132b0ae8e9a9a32da28b1972003d97c7e6167f0f822c381808cc3b72ba0',
  'nb/ignoringCase': 'ea1df5eb89f340a5aec112a6e7e65dd536af001291e30213bec90a9ff5736dba',
  'nb/matchingCase': '257d482e82e9c85531151c56e895b611f983a4c43c96c58f33638949f049311e',
  'nb/awkward': '6b044a8a2cff0764cbb948a1f75b6f72caddb2470360c564dbe963878bd43087',
};

describe('exports: the same bytes as before (issue 15)', function () {
  this.timeout(120000);
  for (const language of ['en', 'nb'] as const) {
    for (const name of Object.keys(TABLES)) {
      it(`report, segments and codebook in "${language}" with the ${name} table: the same files and real names left`, () => {
        const input = fixture(language);
        const got = buildExport(input, ALL, TABLES[name]);
        assert.deepEqual(got, oldBuildExport(fixture(language), ALL, TABLES[name]));
        assert.deepEqual(got, oldBuildExport(fixture(language), ALL, TABLES[name], onePassApplyPseudonyms, onePassFindRealNames));
        const key = `${language}/${name}`;
        if (process.env.PRINT_GOLDEN) console.log(`  '${key}': '${digest(got)}',`);
        else assert.equal(digest(got), GOLDEN[key], key);
      });
    }
  }

  it('the fixture has what the tests are for: names replaced, names inside words kept, names left found', () => {
    const got = buildExport(fixture(), ALL, TABLES.ignoringCase);
    const csv = got.files.find((f) => f.name === 'segments.csv')!.text;
    assert.ok(csv.includes('Makari og Karim kom ikke, men Deltaker 01 kom, og Deltaker 01 også.'), 'inside words kept, other cases replaced');
    assert.ok(csv.includes("Deltaker 01s bror, Deltaker 01's søster, Kari7 og Deltaker 01-intervjuet."), 'genitives kept, a name before a digit kept');
    assert.ok(csv.includes('Deltaker 05 er'), 'a name across a line break inside a quote');
    assert.ok(csv.includes('"\'-Deltaker 01 sa det:'), 'a neutralised formula cell');
    const karim = got.realNames.find((h) => h.file === 'segments.csv' && h.context.includes('Karim kom') && h.name === 'Kari');
    assert.ok(karim, 'a name at the start of a longer word is found');
    assert.equal(csv.split('\n')[karim.line - 1].slice(karim.column - 1, karim.column + 4), 'Karim');
    const awkward = buildExport(fixture(), ['segments'], TABLES.awkward);
    const rows = awkward.files[0].text;
    assert.ok(rows.includes('hand-written id Deltaker 09/brev.txt'), 'a name whose words meet across two rows is replaced as one, as the text of the whole file had it');
    assert.ok(!rows.includes('Berg, Svein') && rows.includes('Deltaker 06'), 'a name with a comma');
  });

  it('random tables over the fixture: the same files and real names left as the whole-text pass', () => {
    const POOL = [
      'Kari', 'Kari Nordmann', 'Nordmann', 'Ola', 'Ola Nordmann', 'Olaf', 'Åse', 'Åse Sørensen', 'Sørensen', 'Bjørn Ærø', 'Ærø', 'Øystein', 'Håkon', 'Liv',
      'Bo', 'Sølvi Berg', 'Berg', 'Berg, Svein', 'Dr. Berg', 'O"Neil', 'Ståle', 'Mira', 'Tomas', 'Marie', 'Karim', 'ola', 'KARI', 'Svein', 'id Ola',
      // names that begin with a digit reach the timestamps and offsets
      '2026-11', '12', '00', '0',
    ];
    const PSEUDONYMS = ['Deltaker 01', 'P2', 'Anna', 'Ola', 'Sted X', "B'", '-Sted', 'Nordmann', 'Tomas'];
    // most tables without an entry matching case, the tables the segments CSV is written with cell by cell
    const entryArb = fc.record({ real: fc.constantFrom(...POOL), pseudonym: fc.constantFrom(...PSEUDONYMS), matchCase: fc.constantFrom(false, false, false, false, false, true) });
    const tableArb = fc.array(entryArb, { maxLength: 10 }).map((es) =>
      table(...es.filter((e, i) => es.findIndex((f) => f.real.toLocaleLowerCase() === e.real.toLocaleLowerCase()) === i).map((e) => entry(e.real, e.pseudonym, e.matchCase))),
    );
    const kindsArb = fc.subarray([...ALL], { minLength: 1 });
    let cellByCell = 0;
    fc.assert(
      fc.property(tableArb, kindsArb, fc.constantFrom('en' as const, 'nb' as const), (t, kinds, language) => {
        if (pseudonymPass(t) && kinds.includes('segments')) cellByCell++;
        assert.deepEqual(buildExport(fixture(language), kinds, t), oldBuildExport(fixture(language), kinds, t, onePassApplyPseudonyms, onePassFindRealNames));
      }),
      { seed: 20261205, numRuns: Number(process.env.FC_RUNS ?? 400) },
    );
    assert.ok(cellByCell > 100, `${cellByCell} runs wrote the segments CSV cell by cell`);
  });
});

/** buildExport with the segments CSV written piece by piece to a MemoryChunkWriter (as `grounded report --all` writes it), put back as returned text. */
function streamedExport(input: ReportInput, kinds: readonly ExportKind[], t: PseudonymTable): { result: ExportResult; pieces: number } {
  const writers = new Map<string, MemoryChunkWriter>();
  const got = buildExport(input, kinds, t, { write: (name) => writers.set(name, new MemoryChunkWriter()).get(name)! });
  for (const [name, w] of writers) assert.ok(w.closed, `${name} closed`);
  const files = got.files.map((f) => {
    const w = writers.get(f.name);
    if (!w) return f;
    assert.equal(f.written, true);
    return { name: f.name, text: w.text() };
  });
  return { result: { files, realNames: got.realNames }, pieces: [...writers.values()].reduce((n, w) => n + w.chunks.length, 0) };
}

describe('exports: the segments CSV written piece by piece (issue 15, peak memory)', function () {
  this.timeout(120000);
  it('every table that allows it: the same files and real names left as the text returned whole, in more than one piece', () => {
    let streamed = 0;
    for (const language of ['en', 'nb'] as const) {
      for (const name of Object.keys(TABLES)) {
        const { result, pieces } = streamedExport(fixture(language), ALL, TABLES[name]);
        assert.deepEqual(result, buildExport(fixture(language), ALL, TABLES[name]), `${language}/${name}`);
        if (pseudonymPass(TABLES[name])) {
          assert.ok(pieces > 1, `${language}/${name}: ${pieces} pieces`);
          streamed++;
        }
      }
    }
    assert.ok(streamed > 0);
  });

  it('the real names left in a text given in any pieces: the same hits (line, column, context) as in the whole text', () => {
    // the CSV without a table, and names in it as a pass would report them (one across a line end inside a quote)
    const text = buildExport(fixture(), ['segments'], table()).files[0].text;
    const at: number[] = [];
    for (const m of text.matchAll(/Bjørn\nÆrø|Kari|Ola|Åse|Nordmann/g)) at.push(m.index!, m.index! + m[0].length);
    assert.ok(at.length > 20 && text.includes('Bjørn\nÆrø'));
    const whole = realNamesAt(text, at, 'segments.csv');
    assert.ok(whole.some((h) => h.name === 'Bjørn\nÆrø') && new Set(whole.map((h) => h.line)).size > 5);
    // pieces never split a name (a pass finds names within a piece)
    const inside = (cut: number) => at.some((x, k) => k % 2 === 0 && x < cut && cut < at[k + 1]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 }), { maxLength: 40 }), (cuts) => {
        const bounds = [0, ...cuts.filter((c) => !inside(c)).sort((a, b) => a - b), text.length];
        const pieces = new RealNamesInPieces('segments.csv');
        for (let i = 0; i + 1 < bounds.length; i++) {
          const names: number[] = [];
          for (let k = 0; k < at.length; k += 2) if (at[k] >= bounds[i] && at[k] < bounds[i + 1]) names.push(at[k], at[k + 1]);
          pieces.push(text.slice(bounds[i], bounds[i + 1]), names);
        }
        assert.deepEqual(pieces.end(), whole);
      }),
      { seed: 20261205, numRuns: 200 },
    );
  });
});
