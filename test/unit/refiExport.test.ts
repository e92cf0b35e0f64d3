import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { exportQdc, exportQdpx, guidOf } from '../../src/core/refi/export';
import { readForExport } from '../../src/core/refi/gather';
import { NodeFileSystem } from '../../src/cli/nodeFs';
import { REPO, TEXT, attrsOf, byCodePoints, smallProject, unzipText, validate } from './refiSupport';

const ORIGIN = 'Grounded test';

describe('REFI-QDA export', () => {
  it('writes a .qdpx with project.qde and one UTF-8 source per transcript, under internal:// paths', () => {
    const { input } = smallProject();
    const { bytes, summary } = exportQdpx(input, { lineEnding: 'lf', origin: ORIGIN });
    const files = unzipText(bytes);
    const per = guidOf.source('intervjuer/per.txt');
    assert.equal(Object.keys(files)[0], 'project.qde', 'project.qde comes first');
    assert.deepEqual(Object.keys(files).slice(1).sort(), [`sources/${per}.txt`, `sources/${guidOf.source('tom.txt')}.txt`].sort());
    assert.equal(files[`sources/${per}.txt`], TEXT);
    const src = attrsOf(files['project.qde'], 'TextSource').find((s) => s.name === 'intervjuer/per.txt');
    assert.equal(src?.plainTextPath, `internal://${per}.txt`);
    assert.deepEqual({ sources: summary.sources, codes: summary.codes, codings: summary.codings, memos: summary.memos, cases: summary.cases, users: summary.users }, { sources: 2, codes: 5, codings: 3, memos: 4, cases: 1, users: 2 });
  });

  it('counts positions in code points, and with CRLF counts each line break as two', () => {
    const { input, ids } = smallProject();
    for (const lineEnding of ['lf', 'crlf'] as const) {
      const files = unzipText(exportQdpx(input, { lineEnding, origin: ORIGIN }).bytes);
      const text = files[`sources/${guidOf.source('intervjuer/per.txt')}.txt`];
      assert.equal(text, lineEnding === 'crlf' ? TEXT.replace(/\n/g, '\r\n') : TEXT);
      const sel = attrsOf(files['project.qde'], 'PlainTextSelection').find((s) => s.guid === guidOf.selection(ids.c2))!;
      // "Og å gå dit jeg vil." follows the emoji (one code point, two UTF-16 units) and two line breaks.
      const utf16 = TEXT.indexOf('Og å gå');
      assert.equal(Number(sel.startPosition), utf16 - 1 + (lineEnding === 'crlf' ? 2 : 0));
      assert.equal(byCodePoints(text, Number(sel.startPosition), Number(sel.endPosition)), 'Og å gå dit jeg vil.');
      const emoji = attrsOf(files['project.qde'], 'PlainTextSelection').find((s) => s.guid === guidOf.selection(ids.c1))!;
      assert.equal(byCodePoints(text, Number(emoji.startPosition), Number(emoji.endPosition)), 'Havet 🌊 og lukten av tang.');
    }
  });

  it('gives the same GUIDs and the same bytes on every export', () => {
    const { input, ids } = smallProject();
    const a = exportQdpx(input, { lineEnding: 'lf', origin: ORIGIN });
    const b = exportQdpx(smallProject().input, { lineEnding: 'lf', origin: ORIGIN });
    assert.deepEqual(Buffer.from(a.bytes), Buffer.from(b.bytes));
    const coding = attrsOf(a.qde, 'Coding');
    assert.ok(coding.some((c) => c.guid === ids.c1), 'a coding keeps its id as its GUID');
    const sel = attrsOf(a.qde, 'PlainTextSelection').map((s) => s.guid);
    assert.ok(sel.includes(guidOf.selection(ids.c1)));
    assert.match(guidOf.user('Kari'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(guidOf.user('Kari'), guidOf.user('Jonas'));
  });

  it('keeps colour, description and hierarchy; a category without codings of its own is not codable', () => {
    const { input, ids } = smallProject();
    const { qde } = exportQdpx(input, { lineEnding: 'lf', origin: ORIGIN });
    const codes = new Map(attrsOf(qde, 'Code').map((c) => [c.guid, c]));
    assert.equal(codes.get(ids.savn)?.isCodable, 'true', 'a category coded itself stays codable');
    assert.equal(codes.get(ids.tomt)?.isCodable, 'false');
    assert.equal(codes.get(ids.under)?.isCodable, 'true');
    assert.equal(codes.get(ids.savn)?.color, '#e06c75');
    assert.match(qde, /<Code guid="[^"]+" name="Savn" isCodable="true" color="#e06c75">\n\s+<Description>Det de savner "ute".<\/Description>\n\s+<Code guid="[^"]+" name="Frihet"/);
    assert.match(qde, new RegExp(`name="Tomt" isCodable="false"[^>]*>\\n\\s+<Code guid="${ids.under}"`));
  });

  it('writes coders as Users, memos as Notes referenced from their targets, cases and attributes as Cases and Variables', () => {
    const { input, ids } = smallProject();
    const { qde } = exportQdpx(input, { lineEnding: 'lf', origin: ORIGIN });
    assert.deepEqual(attrsOf(qde, 'User').map((u) => u.name), ['Jonas', 'Kari']);
    const kari = guidOf.user('Kari');
    assert.ok(attrsOf(qde, 'PlainTextSelection').every((s) => s.creatingUser === guidOf.user('Kari') || s.creatingUser === guidOf.user('Jonas')));
    assert.equal(attrsOf(qde, 'Note').find((n) => n.guid === ids.projectMemo)?.creatingUser, kari);
    assert.equal(attrsOf(qde, 'Note').find((n) => n.guid === ids.projectMemo)?.name, 'Prosjektnotat', 'a note is named after its first heading');
    assert.match(qde, new RegExp(`<Code guid="${ids.havet}"[^>]*>\\n\\s+<NoteRef targetGUID="${ids.codeMemo}"/>`));
    assert.match(qde, new RegExp(`<Coding guid="${ids.c2}"[\\s\\S]*?</Coding>\\n\\s+<NoteRef targetGUID="${ids.codingMemo}"/>\\n\\s+</PlainTextSelection>`));
    assert.match(qde, new RegExp(`<NoteRef targetGUID="${ids.docMemo}"/>\\n\\s+</TextSource>`));
    assert.match(qde, new RegExp(`<NoteRef targetGUID="${ids.projectMemo}"/>\\n</Project>\\n$`));
    assert.match(qde, /<PlainTextContent># Om Per\n\n&lt;b&gt;ikke html&lt;\/b&gt; &amp; mer<\/PlainTextContent>/);
    assert.deepEqual(attrsOf(qde, 'Variable').map((v) => [v.name, v.typeOfVariable]), [['alder', 'Text'], ['soning', 'Text']]);
    assert.match(qde, new RegExp(`<Case guid="${input.project.cases[0].id}" name="Per">\\n\\s+<VariableValue><VariableRef targetGUID="${guidOf.variable('alder')}"/><TextValue>30-39</TextValue></VariableValue>`));
    assert.match(qde, new RegExp(`<SourceRef targetGUID="${guidOf.source('intervjuer/per.txt')}"/>`));
  });

  it('writes the quote as the selection name and the coding note as its description, escaped', () => {
    const { input, ids } = smallProject();
    const { qde } = exportQdpx(input, { lineEnding: 'crlf', origin: ORIGIN });
    const sel = attrsOf(qde, 'PlainTextSelection').find((s) => s.guid === guidOf.selection(ids.c1))!;
    assert.equal(sel.name, 'Havet 🌊 og lukten av tang.');
    assert.match(qde, /<Description>Sansene.\nLukt.<\/Description>/);
    assert.match(qde, /<Project xmlns="urn:QDA-XML:project:1.0" name="Savn &amp; &lt;lengsel&gt;" origin="Grounded test" creationDateTime="2026-11-01T09:00:00.000Z">/);
  });

  it('leaves out orphaned codings and codings of codes that are gone, and says so', () => {
    const { input } = smallProject();
    const doc = input.documents[0];
    const codings = [{ ...doc.codings[0], orphaned: true }, { ...doc.codings[1], codeId: '99999999-0000-4000-8000-000000000000' }, doc.codings[2]];
    const r = exportQdpx({ ...input, documents: [{ ...doc, codings }] }, { lineEnding: 'lf', origin: ORIGIN });
    assert.equal(r.summary.codings, 1);
    assert.equal(attrsOf(r.qde, 'Coding').length, 1);
    assert.ok(r.summary.leftOut.some((l) => /orphaned coding/.test(l)));
    assert.ok(r.summary.leftOut.some((l) => /is not in the codebook/.test(l)));
    assert.ok(r.summary.leftOut.some((l) => /link of memo/.test(l)), 'the memo on the dropped coding loses its link');
  });

  it('validates against the REFI-QDA Project schema (xmllint), with LF and with CRLF', async function () {
    const { input } = smallProject();
    validate(this, exportQdpx(input, { lineEnding: 'lf', origin: ORIGIN }).qde);
    validate(this, exportQdpx(input, { lineEnding: 'crlf', origin: ORIGIN }).qde);
    const sample = await readForExport(new NodeFileSystem(path.join(REPO, 'sample')));
    validate(this, exportQdpx(sample.input, { lineEnding: 'crlf', origin: ORIGIN }).qde);
  });

  it('exports the codebook as a .qdc', () => {
    const { input, ids } = smallProject();
    const qdc = exportQdc(input.project, input.documents, ORIGIN);
    assert.match(qdc, /^<\?xml version="1.0" encoding="utf-8"\?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Grounded test">\n {2}<Codes>\n/);
    assert.deepEqual(attrsOf(qdc, 'Code').map((c) => c.name), ['Savn', 'Frihet', 'Havet', 'Tomt', 'Under tomt']);
    assert.equal(attrsOf(qdc, 'Code').find((c) => c.guid === ids.tomt)?.isCodable, 'false');
    assert.doesNotMatch(qdc, /NoteRef/);
    assert.throws(() => exportQdc({ ...input.project, codes: [] }, [], ORIGIN), /no codes/);
  });
});
