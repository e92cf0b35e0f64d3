import * as assert from 'node:assert/strict';
import {
  addCase,
  assignDocument,
  attributeNames,
  attributeSummary,
  attributeValues,
  caseOfDocument,
  deleteCase,
  describeImport,
  mergeCases,
  parseCasesCsv,
  removeAttribute,
  removeDocument,
  renameCase,
  setAttribute,
} from '../../src/core/cases';
import { CsvError } from '../../src/core/csv';
import { restoreRecords } from '../../src/core/codebook';
import type { Case, ProjectFile } from '../../src/core/model';
import { newProject, parseProject, serializeProject } from '../../src/core/project';
import type { CaseEdit } from '../../src/core/cases';
import { testEnv } from './fixtures';

/** Two cases: Ola with a transcript and an age group, Kari with nothing yet. */
function fixture() {
  const env = testEnv();
  let p = newProject('Test', env);
  const a = addCase(p, 'Ola', env, { ageGroup: '30-39' });
  p = a.project;
  const k = addCase(p, 'Kari', env);
  p = assignDocument(k.project, a.case.id, 'intervjuer/ola.txt').project;
  return { p, env, ola: a.case.id, kari: k.case.id };
}

const caseOf = (p: ProjectFile, id: string): Case => p.cases.find((c) => c.id === id)!;

/** What the editor's undo does with an edit: the saved records back, the added ones gone. */
function undo(now: ProjectFile, edit: CaseEdit): ProjectFile {
  const gone = new Set(edit.added ?? []);
  return { ...now, cases: restoreRecords(now.cases.filter((c) => !gone.has(c.id)), edit.before) };
}

function csvError(text: string, line: number, column: number, words: RegExp): void {
  assert.throws(
    () => parseCasesCsv(text),
    (err: unknown) => {
      assert.ok(err instanceof CsvError, String(err));
      assert.equal(`${err.line}:${err.column}`, `${line}:${column}`, err.message);
      assert.match(err.message, words);
      return true;
    },
  );
}

describe('cases', () => {
  describe('edits', () => {
    it('adds a case with a trimmed, unique pseudonym and sorted attributes, written as grounded.json holds it', () => {
      const { p, env } = fixture();
      const r = addCase(p, '  Sølvi ', env, { securityLevel: 'high', ageGroup: '20-29' });
      assert.equal(r.case.pseudonym, 'Sølvi');
      assert.deepEqual(r.added, [r.case.id]);
      const text = serializeProject(r.project);
      assert.ok(text.includes(`{"id":"${r.case.id}","pseudonym":"Sølvi","documents":[],"attributes":{"ageGroup":"20-29","securityLevel":"high"}}`), text);
      assert.deepEqual(parseProject(text, 'grounded.json').cases, r.project.cases);
      assert.throws(() => addCase(p, 'ola', env), /already a case "Ola"/);
      assert.throws(() => addCase(p, '   ', env), /needs a pseudonym/);
    });

    it('renames a case; the pseudonym must stay unique and non-empty, its own case aside', () => {
      const { p, ola } = fixture();
      const r = renameCase(p, ola, 'Ole');
      assert.equal(caseOf(r.project, ola).pseudonym, 'Ole');
      assert.deepEqual(r.before, [caseOf(p, ola)]);
      assert.equal(caseOf(renameCase(p, ola, 'OLA').project, ola).pseudonym, 'OLA');
      assert.throws(() => renameCase(p, ola, 'kari'), /already a case "Kari"/);
      assert.throws(() => renameCase(p, ola, ' '), /needs a pseudonym/);
      assert.throws(() => renameCase(p, 'nope', 'X'), /No case/);
      assert.deepEqual(renameCase(p, ola, 'Ola').before, []);
    });

    it('sets and removes attributes', () => {
      const { p, ola } = fixture();
      const set = setAttribute(p, ola, ' securityLevel ', ' high ');
      assert.deepEqual(caseOf(set.project, ola).attributes, { ageGroup: '30-39', securityLevel: 'high' });
      assert.deepEqual(Object.keys(caseOf(setAttribute(p, ola, 'a', 'x').project, ola).attributes), ['a', 'ageGroup']);
      assert.deepEqual(setAttribute(p, ola, 'ageGroup', '30-39').before, []);
      assert.throws(() => setAttribute(p, ola, '', 'x'), /needs a name/);
      assert.throws(() => setAttribute(p, ola, 'ageGroup', '  '), /needs a value/);
      const removed = removeAttribute(set.project, ola, 'ageGroup');
      assert.deepEqual(caseOf(removed.project, ola).attributes, { securityLevel: 'high' });
      assert.throws(() => removeAttribute(p, ola, 'nothing'), /no attribute "nothing"/);
    });

    it('assigns a transcript to one case only: moving it takes it from the other', () => {
      const { p, ola, kari } = fixture();
      const moved = assignDocument(p, kari, 'intervjuer/ola.txt');
      assert.deepEqual(caseOf(moved.project, ola).documents, []);
      assert.deepEqual(caseOf(moved.project, kari).documents, ['intervjuer/ola.txt']);
      assert.equal(moved.from?.id, ola);
      assert.equal(moved.before.length, 2);
      assert.equal(caseOfDocument(moved.project, 'intervjuer/ola.txt')?.id, kari);
      assert.deepEqual(undo(moved.project, moved).cases, p.cases);
      assert.deepEqual(assignDocument(p, ola, 'intervjuer/ola.txt').before, []);
      assert.deepEqual(caseOf(assignDocument(p, kari, '.\\intervjuer\\kari.txt').project, kari).documents, ['intervjuer/kari.txt']);
      assert.throws(() => assignDocument(p, kari, '/home/kari/kari.txt'), /not a path inside the workspace/);
      assert.throws(() => assignDocument(p, kari, '../kari.txt'), /not a path inside the workspace/);
    });

    it('removes a transcript from a case, and deletes a case; undo brings each back', () => {
      const { p, ola } = fixture();
      const removed = removeDocument(p, ola, 'intervjuer/ola.txt');
      assert.deepEqual(caseOf(removed.project, ola).documents, []);
      assert.throws(() => removeDocument(p, ola, 'other.txt'), /does not belong/);
      const deleted = deleteCase(p, ola);
      assert.equal(deleted.project.cases.length, 1);
      assert.equal(caseOfDocument(deleted.project, 'intervjuer/ola.txt'), undefined);
      assert.deepEqual(undo(deleted.project, deleted).cases.find((c) => c.id === ola), caseOf(p, ola));
    });

    it('lists attribute names and values, and summarises a case\'s attributes', () => {
      const { p, ola, kari } = fixture();
      const q = setAttribute(setAttribute(p, kari, 'ageGroup', '20-29').project, kari, 'by', 'Bergen').project;
      assert.deepEqual(attributeNames(q), ['ageGroup', 'by']);
      assert.deepEqual(attributeValues(q, 'ageGroup'), ['20-29', '30-39']);
      assert.equal(attributeSummary(caseOf(q, kari)), 'ageGroup: 20-29 · by: Bergen');
      assert.equal(attributeSummary(caseOf(p, ola)), 'ageGroup: 30-39');
    });
  });

  describe('parseCasesCsv', () => {
    it('reads pseudonyms, transcripts and attributes; empty cells give no attribute', () => {
      const csv = parseCasesCsv('pseudonym,documents,ageGroup,by\nOla,intervjuer/ola.txt,30-39,Bergen\nKari,"intervjuer/kari-1.txt; intervjuer/kari-2.txt",,Tromsø\n');
      assert.equal(csv.delimiter, ',');
      assert.deepEqual(csv.attributeColumns, ['ageGroup', 'by']);
      assert.deepEqual(csv.rows, [
        { line: 2, pseudonym: 'Ola', documents: ['intervjuer/ola.txt'], attributes: { ageGroup: '30-39', by: 'Bergen' } },
        { line: 3, pseudonym: 'Kari', documents: ['intervjuer/kari-1.txt', 'intervjuer/kari-2.txt'], attributes: { by: 'Tromsø' } },
      ]);
    });

    it('reads a semicolon file from Excel: BOM, CRLF, quoted cells, "Participant" and "Transcript" headers', () => {
      const text = '\uFEFFParticipant;Transcript;Soningstid;Merknad\r\nOla;intervjuer\\ola.txt;"2,5 år";"sa ""nei"" først"\r\n;;;\r\nKari;;1 år;\r\n';
      const csv = parseCasesCsv(text);
      assert.equal(csv.delimiter, ';');
      assert.deepEqual(csv.rows, [
        { line: 2, pseudonym: 'Ola', documents: ['intervjuer/ola.txt'], attributes: { Soningstid: '2,5 år', Merknad: 'sa "nei" først' } },
        { line: 4, pseudonym: 'Kari', documents: [], attributes: { Soningstid: '1 år' } },
      ]);
    });

    it('accepts "case" as the pseudonym column and "document" for the transcripts, in any case, and a nameless empty column', () => {
      const csv = parseCasesCsv('CASE,Document,alder,\nOla,ola.txt,34,\n');
      assert.deepEqual(csv.rows, [{ line: 2, pseudonym: 'Ola', documents: ['ola.txt'], attributes: { alder: '34' } }]);
    });

    it('fails with the line and column of the problem', () => {
      csvError('', 1, 1, /empty/);
      csvError('navn,alder\nOla,34\n', 1, 1, /no "pseudonym" column/);
      csvError('pseudonym,participant\nOla,Ola\n', 1, 11, /two pseudonym columns/);
      csvError('pseudonym,document,transcript\n', 1, 20, /two transcript columns/);
      csvError('pseudonym,alder,Alder\n', 1, 17, /"Alder" appears twice/);
      csvError('pseudonym,,alder\nOla,x,34\n', 1, 11, /column 2 has no name.*line 2/);
      csvError('pseudonym,alder\nOla,34\n,35\n', 3, 1, /no pseudonym/);
      csvError('pseudonym,alder\nOla,34\nola,35\n', 3, 1, /"ola" appears twice \(first on line 2\)/);
      csvError('pseudonym,alder\nOla,34,x\n', 2, 8, /more cells than the header/);
      csvError('pseudonym;documents\nOla;/home/ola.txt\n', 2, 5, /not a path inside the workspace/);
      csvError('pseudonym;documents\nOla;a.txt\nKari;"b.txt;a.txt"\n', 3, 6, /a.txt is given to two cases: "Ola" \(line 2\) and "Kari"/);
      csvError('pseudonym,alder\n"Ola,34\n', 2, 1, /not closed/);
    });
  });

  describe('mergeCases', () => {
    it('updates cases matched by pseudonym (ignoring case), adds new ones, and reports what changed', () => {
      const { p, env, ola, kari } = fixture();
      const { rows } = parseCasesCsv(
        [
          'pseudonym;documents;ageGroup;by',
          'OLA;intervjuer/ola.txt;30-39;Bergen', // a new attribute: updated
          'kari;;;', // nothing: unchanged
          'Sølvi;intervjuer/solvi.txt;20-29;', // new
          'Per;intervjuer/mangler.txt;;', // new, with a transcript that is not in the workspace
        ].join('\n'),
      );
      const known = new Set(['intervjuer/ola.txt', 'intervjuer/solvi.txt']);
      const r = mergeCases(p, rows, env, (path) => known.has(path));
      assert.deepEqual(r.summary, {
        added: ['Sølvi', 'Per'],
        updated: ['Ola'],
        unchanged: ['Kari'],
        warnings: ['line 5: intervjuer/mangler.txt is not a transcript in this workspace (recorded anyway)'],
      });
      assert.deepEqual(caseOf(r.project, ola), { id: ola, pseudonym: 'Ola', documents: ['intervjuer/ola.txt'], attributes: { ageGroup: '30-39', by: 'Bergen' } });
      assert.deepEqual(caseOf(r.project, kari), caseOf(p, kari));
      const solvi = r.project.cases.find((c) => c.pseudonym === 'Sølvi')!;
      assert.deepEqual(solvi, { id: solvi.id, pseudonym: 'Sølvi', documents: ['intervjuer/solvi.txt'], attributes: { ageGroup: '20-29' } });
      assert.equal(r.added?.length, 2);
      assert.deepEqual(r.before, [caseOf(p, ola)]);
      assert.deepEqual(undo(r.project, r).cases, p.cases);
      assert.equal(describeImport(r.summary), '2 cases added, 1 updated, 1 unchanged. 1 warning: line 5: intervjuer/mangler.txt is not a transcript in this workspace (recorded anyway).');
    });

    it('moves a transcript named for another case, with a warning, and undo puts it back', () => {
      const { p, env, ola, kari } = fixture();
      const r = mergeCases(p, parseCasesCsv('pseudonym,documents\nKari,intervjuer/ola.txt\n').rows, env);
      assert.deepEqual(caseOf(r.project, ola).documents, []);
      assert.deepEqual(caseOf(r.project, kari).documents, ['intervjuer/ola.txt']);
      assert.deepEqual(r.summary.updated, ['Kari']);
      assert.deepEqual(r.summary.warnings, ['line 2: intervjuer/ola.txt moved from "Ola" to "Kari"']);
      assert.deepEqual(undo(r.project, r).cases, p.cases);
    });

    it('changes nothing for a file that only repeats what the cases hold', () => {
      const { p, env } = fixture();
      const r = mergeCases(p, parseCasesCsv('pseudonym,documents,ageGroup\nOla,intervjuer/ola.txt,30-39\n').rows, env);
      assert.deepEqual(r.project.cases, p.cases);
      assert.deepEqual(r.before, []);
      assert.equal(describeImport(r.summary), '0 cases added, 0 updated, 1 unchanged.');
    });
  });
});
