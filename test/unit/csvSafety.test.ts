// Every CSV Grounded writes neutralises text that a spreadsheet would run as a formula (OWASP "CSV
// Injection"): a text cell that begins with =, +, -, @, a tab or a carriage return gets a ' before it and
// is quoted; numbers stay numbers. Checked byte for byte through each export, not only the helper.
// (LibreOffice is not installed on the test machines, so no test opens the files in a spreadsheet.)
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { agreementCsv } from '../../src/cli/reports';
import type { AgreementJson } from '../../src/cli/reports';
import { CELL_AS_IS, CELL_OTHER, CELL_QUOTED, csvCell, csvCellShape, parseCsv, writeCsv } from '../../src/core/csv';
import { hashText } from '../../src/core/hash';
import { codeByAttribute, matrixCsv } from '../../src/core/matrix';
import type { Code, Coding, ProjectFile } from '../../src/core/model';
import { serializeProject } from '../../src/core/project';
import { renderCodebookCsv, renderCodingsCsv } from '../../src/core/report';
import type { ReportInput } from '../../src/core/report';
import { serializeSidecar } from '../../src/core/sidecar';
import { makeAnchor } from '../../src/core/text';
import { codebookFixture, runCli } from './fixtures';

const T = '2026-11-05T12:00:00.000Z';
const HYPERLINK = '=HYPERLINK("http://example.invalid/x","click")';
const HYPERLINK_CELL = `"'=HYPERLINK(""http://example.invalid/x"",""click"")"`;
// A fictional transcript whose turns begin the way spoken Norwegian is often written down.
const TEXT = ['- Ja, det var sånn.', '=SUM(A1)', '+47 22 33 44 55', '@x', ''].join('\n');

function input(): ReportInput {
  const f = codebookFixture();
  const project: ProjectFile = {
    ...f.p,
    codes: f.p.codes.map((c): Code => (c.id === f.boredom ? { ...c, name: HYPERLINK, description: '- kjedsomhet' } : c)),
    cases: [{ id: 'case-1', pseudonym: 'Mira', documents: ['a.txt'], attributes: { phone: '+47', mood: '-' } }],
  };
  let n = 0;
  const coding = (quote: string, extra: Partial<Coding> = {}): Coding => {
    const start = TEXT.indexOf(quote);
    assert.ok(start >= 0, quote);
    return { id: `c${++n}`, codeId: f.boredom, anchor: makeAnchor(TEXT, start, start + quote.length), coder: 'Kari', created: T, ...extra };
  };
  const codings = [
    coding('- Ja, det var sånn.', { translation: { text: '- Yes, that was how it was.', language: 'en', translator: '@jonas', created: T } }),
    coding('=SUM(A1)', { note: '\tx' }),
    coding('+47 22 33 44 55', { note: '\rx' }),
    coding('@x'),
  ];
  return { project, documents: [{ path: 'a.txt', codings }], memos: [] };
}

describe('CSV: formula cells are neutralised in every export', () => {
  it('csvCell: text that begins with = + - @ tab or CR gets a quote mark and quotes; numbers stay numbers', () => {
    assert.deepEqual(
      ['- Ja, …', '=SUM(A1)', '+47 22', '@x', '\tx', '\rx', HYPERLINK, 'a-b', 'plain', 'a,b', 'say "hi"', '', undefined, -0.12, 0, 1.5, -3].map(csvCell),
      ['"\'- Ja, …"', '"\'=SUM(A1)"', '"\'+47 22"', '"\'@x"', '"\'\tx"', '"\'\rx"', HYPERLINK_CELL, 'a-b', 'plain', '"a,b"', '"say ""hi"""', '', '', '-0.12', '0', '1.5', '-3'],
    );
    assert.equal(writeCsv([['a', 1], ['-b', -1]]), 'a,1\r\n"\'-b",-1\r\n');
    assert.equal(writeCsv([['a', 1]], '\n'), 'a,1\n');
  });

  it('csvCellShape says which cells csvCell writes as they are or only between two quotes', () => {
    const texts = ['plain', 'a-b', 'a,b', 'line\nbreak', 'cr\rhere', 'say "hi"', 'a,"b"', '- Ja, …', '=SUM(A1)', '+47 22', '@x', '\tx', '\rx', HYPERLINK];
    assert.deepEqual(
      texts.map(csvCellShape),
      [CELL_AS_IS, CELL_AS_IS, CELL_QUOTED, CELL_QUOTED, CELL_QUOTED, CELL_OTHER, CELL_OTHER, CELL_OTHER, CELL_OTHER, CELL_OTHER, CELL_OTHER, CELL_OTHER, CELL_OTHER, CELL_OTHER],
    );
    for (const t of texts) {
      const shape = csvCellShape(t);
      if (shape === CELL_AS_IS) assert.equal(csvCell(t), t);
      if (shape === CELL_QUOTED) assert.equal(csvCell(t), `"${t}"`);
    }
  });

  it('a spreadsheet reading the cell back gets the text with the quote mark before it, never a formula', () => {
    const text = writeCsv([['=SUM(A1)', '\rx', -0.5]]);
    assert.deepEqual(
      parseCsv(text).records.map((r) => r.cells.map((c) => c.value)),
      [["'=SUM(A1)", "'\nx", '-0.5']], // the reader reads a CR inside quotes as a line break
    );
  });

  it('segments.csv: quotes, translations, notes and the code path', () => {
    assert.equal(
      renderCodingsCsv(input()),
      [
        'document,case,speaker,code,quote,translation,translation language,translator,coder,created,start,end,note,representative,orphaned,excluded speaker,coding id',
        `a.txt,Mira,,${HYPERLINK_CELL},"'- Ja, det var sånn.","'- Yes, that was how it was.",en,"'@jonas",Kari,${T},0,19,,,,,c1`,
        `a.txt,Mira,,${HYPERLINK_CELL},"'=SUM(A1)",,,,Kari,${T},20,28,"'\tx",,,,c2`,
        `a.txt,Mira,,${HYPERLINK_CELL},"'+47 22 33 44 55",,,,Kari,${T},29,44,"'\rx",,,,c3`,
        `a.txt,Mira,,${HYPERLINK_CELL},"'@x",,,,Kari,${T},45,47,,,,,c4`,
        '',
      ].join('\r\n'),
    );
  });

  it('codebook.csv: a code named =HYPERLINK(…) and a description that begins with -; counts stay numbers', () => {
    assert.equal(
      renderCodebookCsv(input()),
      [
        'code,path,category,description,color,focused,segments,documents,segments with subcodes,documents with subcodes,coders,created,created by,id',
        `${HYPERLINK_CELL},${HYPERLINK_CELL},,"'- kjedsomhet",#e5c07b,,4,1,4,1,Kari,${T},Kari,00000000-0000-4000-8000-000000000005`,
        `Keeping connected,Keeping connected,,,#e06c75,,0,0,0,0,,${T},Kari,00000000-0000-4000-8000-000000000002`,
        `calling home,Keeping connected > calling home,Keeping connected,,#61afef,,0,0,0,0,,${T},Kari,00000000-0000-4000-8000-000000000003`,
        `letters,Keeping connected > letters,Keeping connected,,#98c379,,0,0,0,0,,${T},Kari,00000000-0000-4000-8000-000000000004`,
        '',
      ].join('\r\n'),
    );
  });

  it('a matrix: a row for =HYPERLINK(…), columns for attribute values + and -', () => {
    const { project, documents } = input();
    const phone = matrixCsv(codeByAttribute(project, documents, 'phone'));
    assert.equal(phone, ['Code,"\'+47"', `${HYPERLINK_CELL},4`, 'Keeping connected,0', 'Keeping connected > calling home,0', 'Keeping connected > letters,0', ''].join('\r\n'));
    assert.match(matrixCsv(codeByAttribute(project, documents, 'mood')), /^Code,"'-"\r\n/);
  });

  it('agreement --csv: a negative kappa stays a number, a code named =HYPERLINK(…) is text', () => {
    const row = { code: HYPERLINK, codeId: 'k1', document: '@notes.txt', characters: 10, both: 2, onlyA: 4, onlyB: 4, neither: 0, percentAgreement: 20, kappa: -0.12, alpha: -0.5833 };
    const json: AgreementJson = { coders: ['Ann', 'Ben'], overall: { ...row }, codes: [row], byCode: [row] };
    assert.equal(
      agreementCsv(json),
      `code,codeId,document,characters,both,onlyA,onlyB,neither,percentAgreement,kappa,alpha\n${HYPERLINK_CELL},k1,"'@notes.txt",10,2,4,4,0,20,-0.12,-0.5833\n`,
    );
  });

  describe('grounded agreement --csv on a project', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-csv-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('writes the negative kappa of two coders who mostly disagree as a number', async () => {
      const id = '00000000-0000-4000-8000-000000000001';
      const project: ProjectFile = {
        version: 1,
        project: { id: '00000000-0000-4000-8000-000000000099', name: 'CSV test', created: T },
        settings: {},
        codes: [{ id, name: HYPERLINK, color: '#336699', created: T, createdBy: 'Ann' }],
        cases: [],
      };
      writeFileSync(path.join(dir, 'grounded.json'), serializeProject(project));
      mkdirSync(path.join(dir, 'interviews'));
      const text = 'abcdefghij';
      const c = (n: number, coder: string, start: number, end: number): Coding => ({ id: `00000000-0000-4000-8000-00000000001${n}`, codeId: id, anchor: makeAnchor(text, start, end), coder, created: T });
      writeFileSync(path.join(dir, 'interviews/a.txt'), text);
      writeFileSync(path.join(dir, 'interviews/a.txt.codes.json'), serializeSidecar({ version: 1, document: { path: 'interviews/a.txt', hash: hashText(text) }, codings: [c(1, 'Ann', 0, 6), c(2, 'Ben', 4, 10)] }));
      const r = await runCli(['agreement', '--csv'], dir);
      assert.equal(r.code, 0, r.err);
      // both 2, onlyA 4, onlyB 4 of 10: agreement 20 %, kappa (0.2 − 0.52) / 0.48 = −0.6667
      assert.equal(r.out, `code,codeId,document,characters,both,onlyA,onlyB,neither,percentAgreement,kappa,alpha\n${HYPERLINK_CELL},${id},interviews/a.txt,10,2,4,4,0,20,-0.6667,-0.5833\n`);
    });
  });
});
