import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { NodeFileSystem } from '../../src/cli/nodeFs';
import type { Memo, ProjectFile, Sidecar } from '../../src/core/model';
import { parseMemo } from '../../src/core/memo';
import { parseProject } from '../../src/core/project';
import { parseSidecar } from '../../src/core/sidecar';
import { exportQdc, exportQdpx } from '../../src/core/refi/export';
import type { ExportInput } from '../../src/core/refi/export';
import { readForExport, writeImport } from '../../src/core/refi/gather';
import { importHeadline, importRefi, importReport } from '../../src/core/refi/import';
import type { ImportResult } from '../../src/core/refi/import';
import { RefiError } from '../../src/core/refi/xml';
import { testEnv } from './fixtures';
import { REPO, attrsOf, fixtureFiles, smallProject, validate, zip } from './refiSupport';

const options = () => ({ coder: 'Importør', env: testEnv() });
const imp = (bytes: Uint8Array, name = 'test.qdpx', opts = options()) => importRefi(bytes, name, opts);

/** What an import holds, parsed back with Grounded's own parsers. */
function parsed(r: ImportResult): { project: ProjectFile; sidecars: Map<string, Sidecar>; memos: Memo[]; texts: Map<string, string> } {
  const project = parseProject(r.files.get('grounded.json')!, 'grounded.json');
  const sidecars = new Map<string, Sidecar>();
  const memos: Memo[] = [];
  const texts = new Map<string, string>();
  for (const [p, t] of r.files) {
    if (p.endsWith('.codes.json')) sidecars.set(p.slice(0, -'.codes.json'.length), parseSidecar(t, p));
    else if (p.startsWith('memos/')) memos.push(parseMemo(t, p));
    else if (p !== 'grounded.json') texts.set(p, t);
  }
  return { project, sidecars, memos, texts };
}

/** The codings of an import as [transcript, code name, quote], sorted. */
function quotes(r: ImportResult): string[][] {
  const { project, sidecars } = parsed(r);
  const name = new Map(project.codes.map((c) => [c.id, c.name]));
  return [...sidecars].flatMap(([p, s]) => s.codings.map((c) => [p, name.get(c.codeId)!, c.anchor.quote])).sort();
}

function assertSameProject(input: ExportInput, r: ImportResult): void {
  const { project, sidecars, memos, texts } = parsed(r);
  const codeKeys = (p: ProjectFile) => p.codes.map(({ id, name, color, description, parent, order }) => ({ id, name, color: color.toLowerCase(), description, parent, order })).sort((a, b) => (a.id < b.id ? -1 : 1));
  assert.deepEqual(codeKeys(project), codeKeys(input.project), 'the same codes');
  assert.deepEqual(project.cases, [...input.project.cases].sort((a, b) => (a.id < b.id ? -1 : 1)), 'the same cases');
  assert.equal(project.project.name, input.project.project.name);
  for (const d of input.documents) {
    assert.equal(texts.get(d.path), d.lfText, `${d.path}: the same text`);
    const got = sidecars.get(d.path)?.codings ?? [];
    const want = d.codings.filter((c) => !c.orphaned).map(({ id, codeId, anchor, coder, created, note }) => ({ id, codeId, anchor, coder, created, ...(note ? { note } : {}) }));
    assert.deepEqual(
      got.map(({ id, codeId, anchor, coder, created, note }) => ({ id, codeId, anchor, coder, created, ...(note ? { note } : {}) })).sort((a, b) => (a.id < b.id ? -1 : 1)),
      want.sort((a, b) => (a.id < b.id ? -1 : 1)),
      `${d.path}: the same codings on the same quotes`,
    );
  }
  assert.deepEqual([...memos].sort((a, b) => (a.id < b.id ? -1 : 1)), [...input.memos].sort((a, b) => (a.id < b.id ? -1 : 1)), 'the same memos');
}

function refused(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof RefiError, `a RefiError, got ${String(err)}`);
    assert.match(err.message, pattern);
    return true;
  });
}

/** A minimal valid project.qde around some source XML. */
const qde = (sources: string, extra = '') =>
  `<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="P"><CodeBook><Codes><Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="K" isCodable="true"/></Codes></CodeBook><Sources>${sources}</Sources>${extra}</Project>\n`;
const source = (start: number, end: number, ref = 'aaaaaaaa-0000-4000-8000-000000000001') =>
  `<TextSource guid="bbbbbbbb-0000-4000-8000-000000000001" name="t"><PlainTextContent>Hei på deg.</PlainTextContent><PlainTextSelection guid="cccccccc-0000-4000-8000-000000000001" startPosition="${start}" endPosition="${end}"><Coding guid="dddddddd-0000-4000-8000-000000000001"><CodeRef targetGUID="${ref}"/></Coding></PlainTextSelection></TextSource>`;

describe('REFI-QDA import', () => {
  describe('round trip', () => {
    for (const lineEnding of ['lf', 'crlf'] as const) {
      it(`gives back the same codes, codings on the same quotes, memos and cases (${lineEnding})`, async () => {
        const { input } = smallProject();
        assertSameProject(input, imp(exportQdpx(input, { lineEnding, origin: 'test' }).bytes));
        const sample = await readForExport(new NodeFileSystem(path.join(REPO, 'sample')));
        assertSameProject(sample.input, imp(exportQdpx(sample.input, { lineEnding, origin: 'test' }).bytes, 'sample.qdpx'));
      });
    }

    it('keeps codes arranged by hand in their order', () => {
      const { input, ids } = smallProject();
      const codes = input.project.codes.map((c) => (c.id === ids.savn || c.id === ids.tomt ? c : c.id === ids.havet ? { ...c, order: 0 } : c.id === ids.frihet ? { ...c, order: 1 } : c));
      const r = imp(exportQdpx({ ...input, project: { ...input.project, codes } }, { lineEnding: 'lf', origin: 'test' }).bytes);
      const got = parsed(r).project.codes;
      assert.equal(got.find((c) => c.id === ids.havet)?.order, 0);
      assert.equal(got.find((c) => c.id === ids.frihet)?.order, 1);
      assert.equal(got.find((c) => c.id === ids.tomt)?.order, undefined, 'siblings in name order get none');
    });

    it('writes the files exactly as Grounded writes them: transcripts, sidecars, grounded.json, memos', () => {
      const { input } = smallProject();
      const r = imp(exportQdpx(input, { lineEnding: 'crlf', origin: 'test' }).bytes);
      assert.deepEqual([...r.files.keys()], [
        'grounded.json',
        'intervjuer/per.txt',
        'intervjuer/per.txt.codes.json',
        ...[...r.files.keys()].filter((k) => k.startsWith('memos/')),
        'tom.txt',
      ]);
      assert.equal(r.files.get('intervjuer/per.txt'), input.documents[0].lfText, 'LF text, no BOM');
      assert.ok([...r.files.values()].every((t) => !t.includes('\r')));
      assert.ok(r.files.has(`memos/havet-${smallProject().ids.codeMemo.slice(0, 8)}.md`), 'a code memo is named after its code');
    });

    it('imports a .qdc as a codebook', () => {
      const { input, ids } = smallProject();
      const r = imp(new TextEncoder().encode(exportQdc(input.project, input.documents, 'test')), 'Savn.qdc');
      const { project } = parsed(r);
      assert.equal(r.summary.kind, 'codebook');
      assert.equal(project.project.name, 'Savn');
      assert.deepEqual(project.codes.map((c) => c.name).sort(), ['Frihet', 'Havet', 'Savn', 'Tomt', 'Under tomt']);
      assert.equal(project.codes.find((c) => c.id === ids.havet)?.parent, ids.savn);
      assert.deepEqual([...r.files.keys()], ['grounded.json']);
    });
  });

  describe('what other programs write', () => {
    it('MAXQDA: CRLF and a byte order mark in the sources, internal:// paths, upper-case GUIDs, emoji, #rgb colours', () => {
      const files = fixtureFiles('maxqda', (p, t) => (p.startsWith('sources/') ? '\uFEFF' + t.replace(/\n/g, '\r\n') : t));
      const r = imp(zip(files), 'maxqda.qdpx');
      assert.deepEqual(quotes(r), [
        ['Intervju Per.txt', 'Slutte å telle', 'Nå teller jeg ikke lenger.'],
        ['Intervju Per.txt', 'Telle dager', 'Jeg telte dagene.'],
        ['Intervju Per.txt', 'Telle dager', 'streket jeg over en dag på kalenderen 📅'],
      ]);
      const { project, sidecars, texts } = parsed(r);
      assert.ok(!texts.get('Intervju Per.txt')!.startsWith('\uFEFF'), 'the byte order mark is removed');
      assert.ok(!texts.get('Intervju Per.txt')!.includes('\r'));
      assert.deepEqual(project.codes.map((c) => [c.name, c.color]).sort(), [['Slutte å telle', '#3366cc'], ['Telle dager', '#00aa00'], ['Tid', '#ff8000']]);
      const coding = sidecars.get('Intervju Per.txt')!.codings[0];
      assert.equal(coding.id, 'c0000000-0000-4000-8000-000000000001');
      assert.equal(coding.coder, 'Ingrid');
      assert.equal(coding.created, '2026-10-02T09:00:00.000Z');
      assert.deepEqual(r.summary.notImported, []);
    });

    it('ATLAS.ti: GUIDs in braces, notes on a code and on a segment, a coding note', () => {
      const r = imp(zip(fixtureFiles('atlasti')), 'atlas.qdpx');
      const { project, sidecars, memos } = parsed(r);
      assert.deepEqual(quotes(r).map((q) => q[2]), ['Jeg forteller henne ikke om cellen.', 'Jeg vil ikke at hun skal bekymre seg.', 'Mamma, hver søndag.']);
      const code = project.codes.find((c) => c.name === 'Skjerme familien')!;
      assert.equal(code.id, 'd1000000-0000-4000-8000-000000000001');
      assert.equal(code.description, 'Holder det vanskelige unna familien.');
      const cell = sidecars.get('Intervju Lise.txt')!.codings.find((c) => c.anchor.quote.includes('cellen'))!;
      assert.equal(cell.note, 'Sentralt sitat.');
      assert.deepEqual(memos.map((m) => [m.target, m.author, m.body]).sort((a, b) => String(a[2]).localeCompare(String(b[2]))), [
        [{ kind: 'coding', id: cell.id }, 'Sigrid', 'Cellen nevnes aldri i samtaler hjem.'],
        [{ kind: 'code', id: code.id }, 'Sigrid', 'Deltakerne velger hva familien får vite.'],
      ]);
      const noUser = sidecars.get('Intervju Lise.txt')!.codings.find((c) => c.anchor.quote.startsWith('Mamma'))!;
      assert.equal(noUser.created, '2026-09-10T12:00:00.000Z', 'a time without a zone is read as UTC');
    });

    it('NVivo: relative:// paths, Sets, typed case variables; a source outside the archive is reported', () => {
      const r = imp(zip(fixtureFiles('nvivo')), 'nvivo.qdpx');
      const { project } = parsed(r);
      assert.deepEqual(quotes(r), [
        ['Intervju Kari.txt', 'Dagsrytme', 'Klokka sju åpnes døra.'],
        ['Intervju Kari.txt', 'Dagsrytme', 'Så er det arbeid til tre.'],
      ]);
      assert.deepEqual(project.cases, [{ id: '44444444-0000-4000-8000-000000000001', pseudonym: 'Kari', documents: ['Intervju Kari.txt'], attributes: { Alder: '34', Førstegangssoner: 'true' } }]);
      const n = r.summary.notImported.join('\n');
      assert.match(n, /"Intervju Ola": its text relative:\/\/Transkripsjoner\/Intervju Ola.docx.txt is outside the archive/);
      assert.deepEqual(project.sets?.map((k) => k.name), ['Kvinner']);
      assert.match(n, /1 variable value of the source "Intervju Kari"/);
      assert.equal(parsed(r).sidecars.get('Intervju Kari.txt')?.codings[0].coder, 'FORSKER');
    });

    it('QualCoder: text inline, no users, colours or dates', () => {
      const env = testEnv();
      const r = importRefi(zip(fixtureFiles('qualcoder')), 'qualcoder.qdpx', { coder: 'Importør', env });
      const { project, sidecars } = parsed(r);
      assert.deepEqual(quotes(r), [['samtale 1.txt', 'Lesing', 'Jeg leser mye nå.']]);
      assert.match(project.codes[0].color, /^#[0-9a-f]{6}$/, 'a palette colour');
      const c = sidecars.get('samtale 1.txt')!.codings[0];
      assert.equal(c.coder, 'Importør');
      assert.equal(c.created, '2026-11-05T12:00:00.000Z', 'the time of the import');
      assert.equal(project.project.name, 'Lesing');
    });

    it('a bare project.qde is read too', () => {
      const r = imp(new TextEncoder().encode(qde(source(0, 3))), 'project.qde');
      assert.deepEqual(quotes(r), [['t.txt', 'K', 'Hei']]);
    });

    it('keeps transcripts inside the folder and never on a reserved name, whatever the source is called', () => {
      const names = ['../../etc/passwd', 'C:\\Users\\x\\a.docx', 'grounded.json', 'memos/n', 'x.codes.json', '', 't'];
      const sources = names.map((n, i) => `<TextSource guid="bbbbbbbb-0000-4000-8000-00000000000${i}" name="${n}"><PlainTextContent>x</PlainTextContent></TextSource>`).join('');
      const r = imp(new TextEncoder().encode(qde(sources)), 'p.qde');
      const paths = [...r.files.keys()].filter((p) => p !== 'grounded.json');
      assert.deepEqual(paths.sort(), ['C/Users/x/a.docx.txt', 'etc/passwd.txt', 'imported/grounded.json.txt', 'imported/memos-n.txt', 'imported/x.txt', 'source-bbbbbbbb.txt', 't.txt'].sort());
    });

    it('summarises what was imported and what was not', () => {
      const r = imp(zip(fixtureFiles('nvivo')), 'nvivo.qdpx');
      assert.equal(importHeadline(r.summary, 'rutiner'), 'Imported 1 transcript, 2 codes, 2 codings, 0 memos and 1 case from nvivo.qdpx into rutiner. 2 parts could not be imported.');
      const page = importReport(r.summary, 'rutiner');
      assert.match(page, /^# REFI-QDA import: Rutiner\n/);
      assert.match(page, /## Not imported\n\n(- .*\n)*- the source "Intervju Ola": its text relative:\/\/Transkripsjoner\/Intervju Ola.docx.txt is outside the archive/);
    });
  });

  describe('what Grounded does not allow', () => {
    const g = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

    it('renames codes whose names clash among siblings ignoring case, "Name (2)", "Name (3)", and says so', () => {
      const code = (n: number, name: string, inner = '') => `<Code guid="${g('aaaaaaaa', n)}" name="${name}" isCodable="true">${inner}</Code>`;
      const codes = [code(1, 'Hope'), code(2, 'hope'), code(3, 'HOPE '), code(4, 'Time', code(5, 'Hope') + code(6, 'hOpe')), code(7, 'Time (2)'), code(8, 'time')].join('');
      const xml = `<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="P">\n<CodeBook><Codes>${codes}</Codes></CodeBook></Project>\n`;
      const r = imp(new TextEncoder().encode(xml), 'p.qde');
      const { project } = parsed(r);
      const name = (n: number) => project.codes.find((c) => c.id === g('aaaaaaaa', n))!.name;
      assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(name), ['Hope', 'hope (2)', 'HOPE (3)', 'Time', 'Hope', 'hOpe (2)', 'Time (2)', 'time (3)']);
      assert.equal(r.summary.renamedCodes, 4);
      assert.deepEqual(r.summary.notes, [
        'line 3: the code "hope" has the name of the code "Hope" at the top level (ignoring case), and names are unique among siblings in Grounded; it was renamed "hope (2)"',
        'line 3: the code "HOPE" has the name of the code "Hope" at the top level (ignoring case), and names are unique among siblings in Grounded; it was renamed "HOPE (3)"',
        'line 3: the code "hOpe" has the name of the code "Hope" under "Time" (ignoring case), and names are unique among siblings in Grounded; it was renamed "hOpe (2)"',
        'line 3: the code "time" has the name of the code "Time" at the top level (ignoring case), and names are unique among siblings in Grounded; it was renamed "time (3)"',
      ]);
      assert.match(importHeadline(r.summary, 'f'), / 4 codes were renamed: a code at the same level had the name\.$/);
      assert.match(importReport(r.summary, 'f'), /## Changed on the way in\n\n- line 3: the code "hope" has the name of the code "Hope" at the top level/);
    });

    it('imports a coding that repeats another (same coder, code and span) once, keeping the earliest, its notes and memos', () => {
      const K = g('aaaaaaaa', 1);
      const users = `<Users><User guid="${g('99999999', 1)}" name="Ingrid"/><User guid="${g('99999999', 2)}" name="Per"/></Users>`;
      const sel = (n: number, start: number, end: number, codings: string, inner = '') =>
        `<PlainTextSelection guid="${g('cccccccc', n)}" startPosition="${start}" endPosition="${end}">${inner}${codings}</PlainTextSelection>`;
      const coding = (n: number, user: number, date: string, inner = '') => `<Coding guid="${g('dddddddd', n)}" creatingUser="${g('99999999', user)}" creationDateTime="${date}"><CodeRef targetGUID="${K}"/>${inner}</Coding>`;
      const selections = [
        sel(1, 0, 3, coding(1, 1, '2026-10-02T10:00:00Z')),
        // The same span again, made earlier, with a description: this one is kept, with both notes.
        sel(2, 0, 3, coding(2, 1, '2026-10-01T10:00:00Z') + coding(3, 2, '2026-10-03T10:00:00Z'), '<Description>Hilsen.</Description>'),
        // A third time, with a note linked to the coding: the memo follows the kept coding.
        sel(3, 0, 3, coding(4, 1, '2026-10-04T10:00:00Z', `<NoteRef targetGUID="${g('eeeeeeee', 1)}"/>`)),
        // Longer: not the same span.
        sel(4, 0, 4, coding(5, 1, '2026-10-05T10:00:00Z')),
      ].join('');
      const src = `<TextSource guid="${g('bbbbbbbb', 1)}" name="t"><PlainTextContent>Hei på deg.</PlainTextContent>${selections}</TextSource>`;
      const notes = `<Notes><Note guid="${g('eeeeeeee', 1)}" name="n"><PlainTextContent>Et notat.</PlainTextContent></Note></Notes>`;
      const r = imp(new TextEncoder().encode(qde(src, notes).replace('<CodeBook>', `${users}<CodeBook>`)), 'p.qde');
      const { sidecars, memos } = parsed(r);
      const codings = sidecars.get('t.txt')!.codings;
      assert.deepEqual(codings.map((c) => [c.id, c.coder, c.anchor.quote, c.note]).sort(), [
        [g('dddddddd', 2), 'Ingrid', 'Hei', 'Hilsen.'],
        [g('dddddddd', 3), 'Per', 'Hei', 'Hilsen.'],
        [g('dddddddd', 5), 'Ingrid', 'Hei ', undefined],
      ]);
      assert.deepEqual(memos.map((m) => m.target), [{ kind: 'coding', id: g('dddddddd', 2) }]);
      assert.equal(r.summary.duplicateCodings, 2);
      assert.equal(r.summary.codings, 3);
      assert.deepEqual(r.summary.notImported, ['2 codings in "t" that repeat another (the same coder, code and span): Grounded counts a span once per coder and code, so each was imported once (notes kept)']);
      assert.match(importReport(r.summary, 'f'), /## Not imported\n\n- 2 codings in "t" that repeat another/);
    });
  });

  describe('a malicious or broken file is refused, and nothing is written', () => {
    it('refuses zip entries that would land outside the target folder', () => {
      for (const name of ['../evil.txt', 'sources/../../evil.txt', '/etc/evil', 'C:/evil.txt', '..\\evil.txt']) {
        refused(() => imp(zip({ 'project.qde': qde(source(0, 3)), [name]: 'x' })), /would be written outside the target folder/);
      }
    });

    it('refuses a DOCTYPE, so no entity is ever expanded', () => {
      const bomb = `<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<Project xmlns="urn:QDA-XML:project:1.0" name="&b;"/>`;
      refused(() => imp(zip({ 'project.qde': bomb })), /project.qde:2: a DOCTYPE is not allowed/);
      const external = `<?xml version="1.0"?><!DOCTYPE Project SYSTEM "file:///etc/passwd"><Project name="x"/>`;
      refused(() => imp(new TextEncoder().encode(external), 'x.qde'), /DOCTYPE is not allowed/);
    });

    it('refuses an entry whose declared size is over the limit, before inflating it', () => {
      const big = new Uint8Array(2 * 1024 * 1024);
      const bytes = zip({ 'project.qde': qde(source(0, 3)), 'sources/big.txt': big });
      refused(() => importRefi(bytes, 'big.qdpx', { ...options(), limits: { maxEntryBytes: 1024 * 1024, maxTotalBytes: 10 * 1024 * 1024, maxEntries: 100 } }), /"sources\/big.txt" is too large \(2 MiB uncompressed; the limit is 1 MiB\)/);
      refused(() => importRefi(bytes, 'big.qdpx', { ...options(), limits: { maxEntryBytes: 4 * 1024 * 1024, maxTotalBytes: 1024 * 1024, maxEntries: 100, maxRatio: 2000 } }), /too large uncompressed/);
    });

    it('stops inflating an entry that grows past the limit although its header declares it small', () => {
      const bytes = zipSync({ 'project.qde': new TextEncoder().encode(qde(source(0, 3))), 'sources/bomb.txt': [new Uint8Array(8 * 1024 * 1024), { level: 9 }] });
      // Declare 10 bytes in both headers of the second entry (local: offset 22, central: offset 24).
      const view = new DataView(bytes.buffer);
      const patch = (sig: number, field: number) => {
        let seen = 0;
        for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === sig && ++seen === 2) return view.setUint32(i + field, 10, true);
        assert.fail('header not found');
      };
      patch(0x04034b50, 22);
      patch(0x02014b50, 24);
      refused(() => importRefi(bytes, 'bomb.qdpx', { ...options(), limits: { maxEntryBytes: 1024 * 1024, maxTotalBytes: 4 * 1024 * 1024, maxEntries: 100 } }), /"sources\/bomb.txt" inflates to more than the 10 bytes it declares; stopped/);
    });

    it('refuses positions outside the text', () => {
      refused(() => imp(zip({ 'project.qde': qde(source(5, 99)) })), /runs from 5 to 99, outside the text of 11 characters/);
      refused(() => imp(zip({ 'project.qde': qde(source(-1, 3)) })), /outside the text/);
      refused(() => imp(zip({ 'project.qde': qde(source(6, 2)) })), /runs from 6 to 2/);
      refused(() => imp(zip({ 'project.qde': qde(source(0, 3).replace('endPosition="3"', 'endPosition="x"')) })), /has no endPosition/);
    });

    it('refuses references to GUIDs that do not exist', () => {
      refused(() => imp(zip({ 'project.qde': qde(source(0, 3, 'eeeeeeee-0000-4000-8000-000000000009')) })), /<CodeRef> refers to eeeeeeee-0000-4000-8000-000000000009, which is not in the file/);
      refused(() => imp(zip({ 'project.qde': qde(source(0, 3, 'bbbbbbbb-0000-4000-8000-000000000001')) })), /which is not a code/);
      refused(() => imp(zip({ 'project.qde': qde(source(0, 3), '<NoteRef targetGUID="eeeeeeee-0000-4000-8000-000000000001"/>') })), /<NoteRef> refers to/);
      const cases = '<Cases><Case guid="ffffffff-0000-4000-8000-000000000001" name="A"><SourceRef targetGUID="{EEEEEEEE-0000-4000-8000-000000000002}"/></Case></Cases>';
      refused(() => imp(zip({ 'project.qde': qde(source(0, 3)).replace('<Sources>', `${cases}<Sources>`) })), /<SourceRef> refers to \{EEEEEEEE-0000-4000-8000-000000000002\}/);
    });

    it('refuses what is not a REFI-QDA file', () => {
      refused(() => imp(zip({ 'readme.txt': 'hei' })), /no project.qde in the archive/);
      refused(() => imp(new TextEncoder().encode('<Project name="x">'), 'x.qde'), /not well-formed XML/);
      refused(() => imp(new TextEncoder().encode('<html/>'), 'x.qde'), /root element is <html>/);
      refused(() => imp(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3])), /not a zip archive/);
      refused(() => imp(new Uint8Array([0xff, 0xfe, 0x3c, 0])), /not UTF-8/);
    });

    it('refuses to import into a folder that has a project, or files of the same name, and writes nothing', async () => {
      const r = imp(zip(fixtureFiles('qualcoder')));
      const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-'));
      writeFileSync(path.join(dir, 'grounded.json'), '{}');
      await assert.rejects(writeImport(new NodeFileSystem(dir), r.files), /already has a grounded.json/);
      assert.deepEqual(readdirSync(dir), ['grounded.json']);
      const dir2 = mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-'));
      writeFileSync(path.join(dir2, 'samtale 1.txt'), 'mine');
      await assert.rejects(writeImport(new NodeFileSystem(dir2), r.files), /already has samtale 1.txt .*; nothing was written/);
      assert.deepEqual(readdirSync(dir2), ['samtale 1.txt']);
      const dir3 = mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-'));
      await writeImport(new NodeFileSystem(dir3), r.files);
      assert.deepEqual(readdirSync(dir3).sort(), ['grounded.json', 'samtale 1.txt', 'samtale 1.txt.codes.json']);
    });
  });

  describe('lossless: names and sets', () => {
    // A MAXQDA-like project: sources named without an extension, with dots, a dash and Norwegian
    // letters; upper-case GUIDs in braces; a set of documents and a set of codes.
    const G = (n: number) => `{AAAAAAAA-0000-4000-8000-${n.toString().padStart(12, '0')}}`;
    const names = ['ICLS 2024 3-10', 'Intervju 7 – Åse', 'v1.2 notes'];
    const project = (): Uint8Array => {
      const sources = names
        .map((n, i) => `<TextSource guid="${G(10 + i)}" name="${n}" plainTextPath="internal://${G(10 + i)}.txt"><PlainTextSelection guid="${G(20 + i)}" startPosition="0" endPosition="3"><Coding guid="${G(30 + i)}"><CodeRef targetGUID="${G(1)}"/></Coding></PlainTextSelection></TextSource>`)
        .join('');
      const xml =
        `<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="ICLS"><CodeBook><Codes><Code guid="${G(1)}" name="Læring" isCodable="true"/><Code guid="${G(2)}" name="Tid" isCodable="true"/></Codes></CodeBook>` +
        `<Sources>${sources}</Sources>` +
        `<Sets><Set guid="${G(40)}" name="Grounded"><Description>Kodet\r\nførst.</Description><MemberSource targetGUID="${G(10)}"/><MemberSource targetGUID="${G(12)}"/></Set>` +
        `<Set guid="${G(41)}" name="Kjernekoder"><MemberCode targetGUID="${G(2)}"/><MemberCode targetGUID="${G(1)}"/></Set><Set guid="${G(42)}" name="grounded"/></Sets></Project>\n`;
      return zip({ 'project.qde': xml, ...Object.fromEntries(names.map((n, i) => [`sources/${G(10 + i)}.txt`, `Tekst ${i} om ${n}.\r\n`])) });
    };
    const lower = (g: string) => g.replace(/[{}]/g, '').toLowerCase();

    it('gives every source back with the same name and GUID after import and export', async () => {
      const r = imp(project(), 'icls.qdpx');
      assert.deepEqual(r.summary.documents.sort(), ['ICLS 2024 3-10.txt', 'Intervju 7 – Åse.txt', 'v1.2 notes.txt']);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-'));
      await writeImport(new NodeFileSystem(dir), r.files);
      const back = await readForExport(new NodeFileSystem(dir));
      const { qde } = exportQdpx(back.input, { lineEnding: 'crlf', origin: 'test' });
      const sources = attrsOf(qde, 'TextSource').map((a) => [a.name, a.guid]);
      assert.deepEqual(sources.sort(), names.map((n, i) => [n, lower(G(10 + i))]).sort());
      assert.equal(new TextDecoder().decode(new TextEncoder().encode(sources.find((x) => x[0].startsWith('Intervju'))![0])), 'Intervju 7 – Åse');
      // A Grounded project exported and imported again gets no "sources" records: its names are its paths.
      const plain = imp(exportQdpx(smallProject().input, { lineEnding: 'lf', origin: 'test' }).bytes);
      assert.equal(parsed(plain).project.sources, undefined);
      assert.doesNotMatch(plain.files.get('grounded.json')!, /"sources"/);
    });

    it('imports sets of documents and of codes, and exports them again, schema-valid', async function () {
      const r = imp(project(), 'icls.qdpx');
      const { project: p } = parsed(r);
      assert.deepEqual(p.sets, [
        { id: lower(G(40)), name: 'Grounded', description: 'Kodet\nførst.', documents: ['ICLS 2024 3-10.txt', 'v1.2 notes.txt'], codes: [] },
        { id: lower(G(41)), name: 'Kjernekoder', documents: [], codes: [lower(G(1)), lower(G(2))] },
        { id: lower(G(42)), name: 'grounded (2)', documents: [], codes: [] },
      ]);
      assert.equal(r.summary.sets, 3);
      assert.ok(!r.summary.notImported.some((n) => /set/.test(n)), r.summary.notImported.join('\n'));
      assert.ok(r.summary.notes.some((n) => /the set "grounded" .* renamed "grounded \(2\)"/.test(n)));
      const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-refi-'));
      await writeImport(new NodeFileSystem(dir), r.files);
      const back = await readForExport(new NodeFileSystem(dir));
      const out = exportQdpx(back.input, { lineEnding: 'crlf', origin: 'test' });
      assert.equal(out.summary.sets, 3);
      assert.deepEqual(attrsOf(out.qde, 'Set').map((a) => [a.name, a.guid]), [['Grounded', lower(G(40))], ['grounded (2)', lower(G(42))], ['Kjernekoder', lower(G(41))]]);
      assert.deepEqual(attrsOf(out.qde, 'MemberSource').map((a) => a.targetGUID), [lower(G(10)), lower(G(12))]);
      assert.deepEqual(attrsOf(out.qde, 'MemberCode').map((a) => a.targetGUID), [lower(G(1)), lower(G(2))]);
      // and once more: the second import holds exactly what the first did
      const again = parsed(imp(out.bytes, 'again.qdpx')).project;
      assert.deepEqual(again.sets, p.sets);
      assert.deepEqual(again.sources, p.sources);
      validate(this, out.qde);
    });
  });

  describe('the schema check', () => {
    it('fails on CI when the schema is missing, and skips saying why elsewhere', () => {
      const ci = process.env.CI;
      const missing = path.join(os.tmpdir(), 'no-such-dir', 'Project.xsd');
      let skipped = 0;
      const ctx = { skip: (): never => { skipped++; throw new Error('skipped'); } };
      try {
        process.env.CI = 'true';
        assert.throws(() => validate(ctx, '<Project/>', missing), /CI=true: the schema validation cannot be skipped, but .*Project.xsd/);
        assert.equal(skipped, 0);
        delete process.env.CI;
        assert.throws(() => validate(ctx, '<Project/>', missing), /^Error: skipped$/);
        assert.equal(skipped, 1);
      } finally {
        if (ci === undefined) delete process.env.CI;
        else process.env.CI = ci;
      }
    });
  });
});
