import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { buildExport } from '../../src/core/exports';
import { FormatError } from '../../src/core/jsonError';
import type { Coding, ProjectFile } from '../../src/core/model';
import { serializeProject } from '../../src/core/project';
import {
  applyPseudonyms,
  emptyPseudonymTable,
  findRealNames,
  otherSpellings,
  parsePseudonyms,
  serializePseudonyms,
  setPseudonym,
} from '../../src/core/pseudonyms';
import type { PseudonymTable } from '../../src/core/pseudonyms';
import { renderCodebookCsv, renderCodebookMarkdown, renderCodingsCsv, renderReportHtml, renderReportMarkdown } from '../../src/core/report';
import type { ReportInput } from '../../src/core/report';
import { serializeSidecar } from '../../src/core/sidecar';
import { hashText } from '../../src/core/hash';
import { makeAnchor } from '../../src/core/text';
import { codebookFixture, parseCsv } from './fixtures';


// Two fictional interviews. In a.txt the interviewer names a real person; the participant's genitive
// "Karis" is a form the pseudonym table below does not list.
const A = [
  'Intervjuer: Hvordan holder du kontakten med Kari Hansen?',
  'Mira (00:01:02): Jeg ringer hjem hver søndag. Karis bror svarer ofte.',
  '',
  'Intervjuer: Og brev?',
  'Mira (00:02:10): Brev skriver jeg om natta.',
  '',
].join('\n');
const B = ['Tomas: Det er kjedelig her.', 'Kari Hansen besøker meg av og til.', ''].join('\n');

interface Fixture {
  input: ReportInput;
  ids: ReturnType<typeof codebookFixture>;
  table: PseudonymTable;
  texts: Record<string, string>;
}

function coding(id: string, codeId: string, text: string, quote: string, created: string, extra: Partial<Coding> = {}): Coding {
  const start = text.indexOf(quote);
  assert.ok(start >= 0, quote);
  return { id, codeId, anchor: makeAnchor(text, start, start + quote.length), coder: 'Kari', created, ...extra };
}

/** Writes the fixture as a project folder: grounded.json, the transcripts and their sidecars. */
function writeProject(dir: string, input: ReportInput, texts: Record<string, string>): void {
  writeFileSync(path.join(dir, 'grounded.json'), serializeProject(input.project));
  for (const d of input.documents) {
    writeFileSync(path.join(dir, d.path), texts[d.path]);
    writeFileSync(path.join(dir, `${d.path}.codes.json`), serializeSidecar({ version: 1, document: { path: d.path, hash: hashText(texts[d.path]) }, codings: [...d.codings] }));
  }
}

function fixture(): Fixture {
  const ids = codebookFixture();
  const project: ProjectFile = {
    ...ids.p,
    settings: { language: 'nb', reportLanguage: 'en', excludedSpeakers: ['Intervjuer'] },
    cases: [
      { id: '00000000-0000-4000-8000-0000000000c1', pseudonym: 'Mira', documents: ['a.txt'], attributes: { age: '30-39', ward: 'high' } },
      { id: '00000000-0000-4000-8000-0000000000c2', pseudonym: 'Tomas', documents: ['b.txt'], attributes: { age: '40-49' } },
    ],
  };
  const texts: Record<string, string> = { 'a.txt': A, 'b.txt': B };
  const u = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const documents = [
    {
      path: 'a.txt',
      codings: [
        // the interviewer's question: left out of the analysis
        coding(u(101), ids.boredom, A, 'Hvordan holder du kontakten med Kari Hansen?', '2026-11-03T09:00:00.000Z', { representative: 'code' }),
        coding(u(102), ids.calling, A, 'Jeg ringer hjem hver søndag.', '2026-11-03T09:05:00.000Z', {
          representative: 'category',
          translation: { text: 'I call home every Sunday.', language: 'en', translator: 'Jonas', created: '2026-11-20T10:00:00.000Z' },
        }),
        coding(u(103), ids.letters, A, 'Karis bror svarer ofte.', '2026-11-03T09:06:00.000Z'),
        coding(u(104), ids.letters, A, 'Brev skriver jeg om natta.', '2026-11-03T09:07:00.000Z', { representative: 'code' }),
      ],
    },
    {
      path: 'b.txt',
      codings: [
        coding(u(201), ids.boredom, B, 'Det er kjedelig her.', '2026-11-10T09:00:00.000Z', { representative: 'code' }),
        coding(u(202), ids.calling, B, 'Kari Hansen besøker meg av og til.', '2026-11-10T09:01:00.000Z'),
      ],
    },
  ];
  const memos = [
    {
      id: u(301),
      target: { kind: 'code' as const, id: ids.cat },
      author: 'Kari',
      created: '2026-11-12T09:00:00.000Z',
      modified: '2026-11-12T09:00:00.000Z',
      body: 'Contact with family is rationed. Kari Hansen is the one who keeps it going.\n',
    },
  ];
  const table = setPseudonym(emptyPseudonymTable(), 'Kari Hansen', 'Sara');
  return { input: { project, documents, memos, textOf: (p) => texts[p] }, ids, table, texts };
}

describe('pseudonym table', () => {
  it('is written sorted by real name, one name per line, and read back the same', () => {
    let t = emptyPseudonymTable();
    t = setPseudonym(t, 'Ola Nordmann', 'Per');
    t = setPseudonym(t, 'anne', 'Mia');
    t = setPseudonym(t, 'Kari Hansen', 'Sara');
    const text = serializePseudonyms(t);
    assert.equal(
      text,
      '{\n  "version": 1,\n  "names": [\n    {"real":"anne","pseudonym":"Mia"},\n    {"real":"Kari Hansen","pseudonym":"Sara"},\n    {"real":"Ola Nordmann","pseudonym":"Per"}\n  ]\n}\n',
    );
    assert.deepEqual(parsePseudonyms(text), t);
    assert.equal(serializePseudonyms(emptyPseudonymTable()), '{\n  "version": 1,\n  "names": []\n}\n');
    // replacing a name keeps one entry
    assert.equal(setPseudonym(t, 'KARI HANSEN', 'Siri').names.filter((e) => /kari/i.test(e.real)).length, 1);
  });

  it('refuses a broken table with the line and column, and pseudonyms that could become markup', () => {
    const dup = '{\n  "version": 1,\n  "names": [\n    {"real":"Kari","pseudonym":"A"},\n    {"real":"kari","pseudonym":"B"}\n  ]\n}\n';
    assert.throws(() => parsePseudonyms(dup, 'pseudonyms.json'), (e: FormatError) => e instanceof FormatError && e.line === 5 && /already in the table/.test(e.message));
    const markup = '{"version":1,"names":[{"real":"Kari","pseudonym":"<b>A</b>"}]}';
    assert.throws(() => parsePseudonyms(markup), /use only letters, digits, spaces/);
    assert.throws(() => setPseudonym(emptyPseudonymTable(), 'Kari', 'A,B'), /use only letters/);
    assert.throws(() => parsePseudonyms('{"version":1,"names":[{"real":" ","pseudonym":"A"}]}'), /the real name is empty/);
    assert.throws(() => parsePseudonyms('{"version":1,"names":[{"real":"A"}]}'), /missing field "pseudonym"/);
  });

  it('replaces whole names ignoring case, longest first, keeping a genitive ending', () => {
    let t = setPseudonym(emptyPseudonymTable(), 'Kari Hansen', 'Sara');
    t = setPseudonym(t, 'Kari', 'Siri');
    t = setPseudonym(t, 'Bergen', 'a city');
    assert.equal(applyPseudonyms('Kari Hansen og Kari var i Bergen.', t), 'Sara og Siri var i a city.');
    assert.equal(applyPseudonyms('KARI  hansen', t), 'Sara', 'any case, any run of spaces');
    assert.equal(applyPseudonyms("Karis bror, Kari's bror", t), "Siris bror, Siri's bror");
    assert.equal(applyPseudonyms('Makari og Karianne', t), 'Makari og Karianne', 'not inside other words');
    assert.equal(applyPseudonyms('interviews/kari.txt', t), 'interviews/Siri.txt', 'file names too');
    assert.equal(applyPseudonyms('Siri', setPseudonym(emptyPseudonymTable(), 'Siri', 'Siri')), 'Siri');
  });

  it('finds a name that starts inside a longer name rejected for following a letter', () => {
    let t = setPseudonym(emptyPseudonymTable(), 'Ann Kari', 'Lise');
    t = setPseudonym(t, 'Kari', 'Siri');
    assert.equal(applyPseudonyms('JoAnn Kari kom. 😀Kari og Ann Kari.', t), 'JoAnn Siri kom. 😀Siri og Lise.');
    assert.deepEqual(
      findRealNames('JoAnn Kari kom.', t, 'x').map((h) => [h.column, h.name]),
      [[7, 'Kari']],
    );
  });

  it('finds what is left of a real name, with file, line, column and context', () => {
    const t = setPseudonym(emptyPseudonymTable(), 'Kari Hansen', 'Sara');
    const hits = findRealNames('Sara kom.\nDet var Karis idé, sa fru Hansen.\nMakarios kom ikke.', t, 'report.md');
    assert.deepEqual(
      hits.map((h) => [h.file, h.line, h.column, h.name]),
      [
        ['report.md', 2, 9, 'Kari'],
        ['report.md', 2, 27, 'Hansen'],
      ],
    );
    assert.match(hits[0].context, /Det var Karis idé/);
    // a word that is also a pseudonym is not a leak
    assert.deepEqual(findRealNames('Sara Lie', setPseudonym(emptyPseudonymTable(), 'Sara Lund', 'Sara'), 'x'), []);
  });
  it('matches a name that is also a word only as written when the entry says matchCase', () => {
    // "Liv" is a Norwegian first name and the word for "life"; "Bo" a name and "to live".
    let t = setPseudonym(emptyPseudonymTable(), 'Liv', 'Ane', true);
    t = setPseudonym(t, 'Liv Berg', 'Ane Dal', true);
    t = setPseudonym(t, 'Bergen', 'a city');
    const text = serializePseudonyms(t);
    assert.match(text, /\{"real":"Liv","pseudonym":"Ane","matchCase":true\}/);
    assert.deepEqual(parsePseudonyms(text), t);
    assert.equal(
      applyPseudonyms('Livet i BERGEN: liv og helse, sa Liv. Livs mor, Liv Berg, og LIV.', t),
      'Livet i a city: liv og helse, sa Ane. Anes mor, Ane Dal, og LIV.',
      'the word and other spellings stay; names without matchCase still ignore case',
    );
    assert.deepEqual(
      findRealNames('et godt liv, sa Liv i bergen; Berg kom', t, 'x').map((h) => h.name),
      ['Liv', 'bergen', 'Berg'],
      'the leftover search also matches such names as written',
    );
    assert.throws(() => parsePseudonyms('{"version":1,"names":[{"real":"Liv","pseudonym":"A","matchCase":"yes"}]}'), /matchCase/);
    // what the Add Name command counts before it asks
    assert.equal(otherSpellings('Liv sa: livet er et liv, et LIV. Liv.', 'Liv'), 2);
    assert.equal(otherSpellings('Liv  Berg og liv berg', 'Liv Berg'), 1);
    assert.equal(otherSpellings('Oliver', 'liv'), 0);
  });
});

describe('exports', () => {
  it('the report: categories with counts, representative quotes translated and attributed, excluded speakers left out', () => {
    const { input } = fixture();
    const md = renderReportMarkdown(input, { saturationImage: 'saturation.svg' });
    assert.match(md, /^## Keeping connected$/m);
    // calling home: 2 codings (a, b); letters: 2 (a) -> the category counts 4 in 2 documents
    assert.match(md, /^4 segments in 2 documents\.$/m);
    assert.match(md, /^\| calling home \| {2}\| 2 \| 2 \|$/m);
    // the category's quote first, translated, with pseudonym and attributes, and the original below
    const i = md.indexOf('> I call home every Sunday.');
    assert.ok(i > 0 && i < md.indexOf('> Brev skriver jeg om natta.'), 'category quote before code quotes');
    assert.ok(md.includes('> — Mira (age: 30-39, ward: high); calling home, for the category'));
    assert.ok(md.includes('> Original (nb; translated into en by Jonas): Jeg ringer hjem hver søndag.'));
    // boredom: the interviewer's coding is left out, so 1 segment, and its quote is not a representative quote
    assert.match(md, /^### boredom\n\n1 segment in 1 document\.$/m);
    assert.ok(!md.includes('Hvordan holder du kontakten'), 'the interviewer turn is left out');
    assert.ok(md.includes('> Det er kjedelig her.'));
    // saturation: a.txt was coded first; its interviewer coding (boredom) does not count, so boredom is new in b.txt
    assert.match(md, /^!\[New codes per transcript\]\(saturation\.svg\)$/m);
    assert.match(md, /^\| 1 \| a\.txt \| Mira \| 2026-11-03 \| 2 \| 2: calling home, letters \| 2 \|$/m);
    assert.match(md, /^\| 2 \| b\.txt \| Tomas \| 2026-11-10 \| 2 \| 1: boredom \| 3 \|$/m);
    assert.match(md, /^## Codebook$/m);
    assert.match(md, /^Coders: Kari \(6 codings\)\.$/m);
  });

  it('the HTML report embeds the saturation chart as SVG with a bar per transcript', () => {
    const html = renderReportHtml(fixture().input);
    const svg = /<svg class="chart"[\s\S]*?<\/svg>/.exec(html);
    assert.ok(svg, 'inline svg');
    assert.equal((svg[0].match(/class="bar"/g) ?? []).length, 2);
    assert.match(svg[0], /<title>Mira: 2 new, 2 in all<\/title>/);
    assert.match(svg[0], /<title>Tomas: 1 new, 3 in all<\/title>/);
  });

  it('every coded segment as CSV: case, speaker, code path, translation, excluded speaker marked', () => {
    const { input } = fixture();
    const rows = parseCsv(renderCodingsCsv(input));
    const head = rows[0];
    const get = (id: string, col: string) => rows.find((r) => r[head.indexOf('coding id')] === id)![head.indexOf(col)];
    assert.equal(rows.length, 7);
    assert.equal(get('00000000-0000-4000-8000-000000000101', 'speaker'), 'Intervjuer');
    assert.equal(get('00000000-0000-4000-8000-000000000101', 'excluded speaker'), 'yes');
    assert.equal(get('00000000-0000-4000-8000-000000000102', 'speaker'), 'Mira');
    assert.equal(get('00000000-0000-4000-8000-000000000102', 'excluded speaker'), '');
    assert.equal(get('00000000-0000-4000-8000-000000000102', 'code'), 'Keeping connected > calling home');
    assert.equal(get('00000000-0000-4000-8000-000000000102', 'translation'), 'I call home every Sunday.');
    assert.equal(get('00000000-0000-4000-8000-000000000102', 'translator'), 'Jonas');
    assert.equal(get('00000000-0000-4000-8000-000000000201', 'case'), 'Tomas');
    assert.equal(get('00000000-0000-4000-8000-000000000201', 'speaker'), 'Tomas');
  });

  it('the codebook as CSV and Markdown, with counts that leave the interviewer out', () => {
    const { input } = fixture();
    const rows = parseCsv(renderCodebookCsv(input));
    const head = rows[0];
    assert.deepEqual(
      rows.slice(1).map((r) => [r[head.indexOf('path')], r[head.indexOf('segments')], r[head.indexOf('segments with subcodes')]]),
      [
        ['boredom', '1', '1'],
        ['Keeping connected', '0', '4'],
        ['Keeping connected > calling home', '2', '2'],
        ['Keeping connected > letters', '2', '2'],
      ],
    );
    const md = renderCodebookMarkdown(input);
    assert.match(md, /^# Codebook: Test$/m);
    assert.match(md, /^\| letters \| Keeping connected \| {2}\| 2 \| 1 \| Kari \|$/m);
  });

  it('applies the pseudonym table to every file and lists the real names left', () => {
    const { input, table } = fixture();
    const { files, realNames } = buildExport(input, ['report', 'segments', 'codebook'], table);
    assert.deepEqual(files.map((f) => f.name), ['report.md', 'report.html', 'saturation.svg', 'segments.csv', 'codebook.csv', 'codebook.md']);
    const byName = Object.fromEntries(files.map((f) => [f.name, f.text]));
    for (const f of files) assert.ok(!/Kari Hansen/i.test(f.text), `${f.name} has no full real name`);
    assert.ok(byName['report.md'].includes('Sara is the one who keeps it going'), 'memo text pseudonymised');
    assert.ok(byName['segments.csv'].includes('Sara besøker meg av og til.'), 'quote pseudonymised');
    // "Karis" (a form the table lacks) and the coder "Kari" are reported where they appear
    const leaks = realNames.map((h) => `${h.file}:${h.name}`);
    assert.ok(leaks.includes('segments.csv:Kari'), leaks.join(', '));
    const karis = realNames.find((h) => h.file === 'segments.csv' && h.context.includes('Karis bror'));
    assert.ok(karis, 'the genitive in a quote is found');
    const line = byName['segments.csv'].split('\n')[karis.line - 1];
    assert.equal(line.slice(karis.column - 1, karis.column - 1 + 4), 'Kari');
    // adding the missing forms leaves nothing
    let full = setPseudonym(table, 'Kari', 'Sara');
    full = setPseudonym(full, 'Hansen', 'Lie');
    const clean = buildExport(input, ['report', 'segments', 'codebook'], full);
    assert.deepEqual(clean.realNames, []);
    assert.ok(clean.files.find((f) => f.name === 'segments.csv')!.text.includes('Saras bror svarer ofte.'));
  });

  it('a REFI-QDA project export carries the transcripts unchanged and says where real names are; a broken table stops it before writing', async () => {
    const { input, table, texts } = fixture();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-export-refi-'));
    try {
      writeProject(dir, input, texts);
      writeFileSync(path.join(dir, 'pseudonyms.json'), serializePseudonyms(table));
      let err = '';
      const io = { out: () => undefined, err: (t: string) => void (err += t), cwd: dir };
      assert.equal(await run(['export', '--qdpx', 'p.qdpx'], io), 0, err);
      assert.ok(existsSync(path.join(dir, 'p.qdpx')));
      assert.match(err, /a REFI-QDA project carries the transcripts unchanged; real names from pseudonyms\.json appear in \d+ places/);
      assert.match(err, /a\.txt:1:45 "Kari Hansen": .*kontakten med Kari Hansen\?/);
      assert.match(err, /project\.qde:\d+:\d+ "Kari Hansen"/, 'quotes in the project file too');
      assert.match(err, /b\.txt:2:1 "Kari Hansen"/);

      writeFileSync(path.join(dir, 'pseudonyms.json'), '{"version":1,"names":[{"real":"Kari","pseudonym":"<i>"}]}');
      err = '';
      assert.equal(await run(['export', '--qdpx', 'q.qdpx'], io), 1);
      assert.match(err, /pseudonyms\.json:1:\d+: .*use only letters/);
      assert.ok(!existsSync(path.join(dir, 'q.qdpx')), 'nothing written');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a memo with Obsidian keys (tags, aliases, lists) is in the report and the exports; a memo whose YAML is broken is named with line and column', async () => {
    const { input, texts, ids } = fixture();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-export-memo-'));
    try {
      writeProject(dir, input, texts);
      mkdirSync(path.join(dir, 'memos'));
      const memo = [
        '---',
        'id: 00000000-0000-4000-8000-000000000301',
        `target: code:${ids.cat}`,
        'author: Kari',
        'created: 2026-11-12T09:00:00.000Z',
        'modified: 2026-11-12T09:00:00.000Z',
        'tags: [family, contact]',
        'aliases:',
        '  - Keeping in touch',
        '---',
        '',
        'Contact with family is rationed.',
        '',
      ].join('\n');
      writeFileSync(path.join(dir, 'memos/keeping-connected-00000000.md'), memo);
      let err = '';
      let out = '';
      const io = { out: (t: string) => void (out += t), err: (t: string) => void (err += t), cwd: dir };
      assert.equal(await run(['report', '--all', '--out', 'out'], io), 0, err);
      assert.match(readFileSync(path.join(dir, 'out', 'report.md'), 'utf8'), /Contact with family is rationed\./);
      assert.equal(await run(['export', '--qdpx', 'p.qdpx'], io), 0, err);
      assert.equal(await run(['check'], io), 0, out + err);
      assert.doesNotMatch(out, /keeping-connected/);

      writeFileSync(path.join(dir, 'memos/keeping-connected-00000000.md'), memo.replace('tags: [family, contact]', 'tags: [family, contact'));
      err = '';
      assert.equal(await run(['report', '--all', '--out', 'again'], io), 2);
      // YAML finds the list unclosed where the next key begins
      assert.match(err, /memos\/keeping-connected-00000000\.md:8:1: the front matter is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a \]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs from the command line: --all writes every file, exits 1 while a real name remains, 2 on a broken table', async () => {
    const { input, table, texts } = fixture();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-export-'));
    try {
      writeProject(dir, input, texts);
      writeFileSync(path.join(dir, 'pseudonyms.json'), serializePseudonyms(table));
      let err = '';
      const io = { out: () => undefined, err: (t: string) => void (err += t), cwd: dir };
      assert.equal(await run(['report', '--all', '--out', 'out'], io), 1);
      assert.deepEqual(readdirSync(path.join(dir, 'out')).sort(), ['codebook.csv', 'codebook.md', 'report.html', 'report.md', 'saturation.svg', 'segments.csv']);
      assert.match(err, /place.* where a real name from pseudonyms\.json still appears/);
      assert.match(err, /segments\.csv:\d+:\d+ "Kari": .*Karis bror/);
      assert.ok(!readFileSync(path.join(dir, 'out', 'segments.csv'), 'utf8').includes('Kari Hansen'));

      writeFileSync(path.join(dir, 'pseudonyms.json'), serializePseudonyms(setPseudonym(setPseudonym(setPseudonym(table, 'Kari', 'Sara'), 'Hansen', 'Lie'), 'Karis', 'Saras')));
      err = '';
      assert.equal(await run(['report', '--format', 'codebook-md', '--out', 'codebook.md'], io), 0, err);
      assert.match(readFileSync(path.join(dir, 'codebook.md'), 'utf8'), /^# Codebook: Test$/m);

      writeFileSync(path.join(dir, 'pseudonyms.json'), '{"version":1,"names":[{"real":"Kari"}]}');
      mkdirSync(path.join(dir, 'fresh'));
      err = '';
      assert.equal(await run(['report', '--all', '--out', 'fresh'], io), 2);
      assert.match(err, /pseudonyms\.json:1:\d+: names\[0\]: missing field "pseudonym"/);
      assert.deepEqual(readdirSync(path.join(dir, 'fresh')), [], 'nothing written');
      assert.equal(await run(['report', '--all'], io), 2);
      assert.ok(!existsSync(path.join(dir, 'report.md')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
