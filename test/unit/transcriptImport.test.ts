// Import Transcript: WebVTT, SubRip, Word and OpenDocument files → transcript text Grounded codes.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { speakerTurns } from '../../src/core/speakers';
import { segmentsOf } from '../../src/core/segments';
import { ImportError, alternativeName, importTranscript, sourceKindOf, transcriptNameFor } from '../../src/core/transcriptImport';
import type { TranscriptFormat } from '../../src/core/transcriptImport';
import { docxOf, odtOf } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/import');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const utf8 = (s: string) => new TextEncoder().encode(s);
const text = async (name: string, bytes: Uint8Array | string, format: TranscriptFormat = 'txt') =>
  (await importTranscript(name, typeof bytes === 'string' ? utf8(bytes) : bytes, format)).text;

/** Asserts that importing rejects with an ImportError whose message names the file and matches `pattern`. */
async function rejects(name: string, bytes: Uint8Array | string, pattern: RegExp, options = {}) {
  await assert.rejects(
    () => importTranscript(name, typeof bytes === 'string' ? utf8(bytes) : bytes, 'txt', options),
    (err: unknown) => {
      assert.ok(err instanceof ImportError, String(err));
      assert.ok(err.message.startsWith(`${name}: `), err.message);
      assert.match(err.message, pattern);
      return true;
    },
  );
}

function assertClean(out: string) {
  assert.ok(!out.startsWith('\uFEFF'), 'no BOM');
  assert.ok(!out.includes('\r'), 'LF only');
  assert.ok(out.endsWith('\n') && !out.endsWith('\n\n'), 'one final newline');
}

const p = (runs: string) => `<w:p>${runs}</w:p>`;
const r = (t: string, props = '') => `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${t}</w:t></w:r>`;

describe('Import Transcript: WebVTT', () => {
  it('makes one turn per speaker from voice tags: cues merged, first time kept, NOTE/STYLE/REGION, identifiers, settings, tags and entities gone', async () => {
    const out = await text('intervju-stemmer.vtt', fixture('intervju-stemmer.vtt'));
    assert.equal(
      out,
      [
        'Intervjuer (00:00:01): Hvordan begynte du som frivillig på biblioteket?',
        '',
        'Solveig (00:00:04): Det var en venninne som spurte meg. Jeg sa ja med en gang & angret litt etterpå. Men bare litt, altså <ler>.',
        '',
        'Intervjuer (00:00:13): Hva gjør du der nå?',
        '',
        'Solveig (01:00:02): Jeg leser høyt for barna på lørdager.',
        '',
      ].join('\n'),
    );
    assertClean(out);
  });

  it('writes turns that Grounded recognises, with their timestamps, each its own segment', async () => {
    const imported = await importTranscript('intervju-stemmer.vtt', fixture('intervju-stemmer.vtt'), 'txt');
    const turns = speakerTurns(imported.text);
    assert.deepEqual(
      turns.map((t) => [t.speaker, t.timestamp]),
      [
        ['Intervjuer', '00:00:01'],
        ['Solveig', '00:00:04'],
        ['Intervjuer', '00:00:13'],
        ['Solveig', '01:00:02'],
      ],
    );
    assert.equal(segmentsOf(imported.text).length, 4);
    assert.equal(imported.turns, 4);
    assert.deepEqual(imported.speakers, [
      { speaker: 'Intervjuer', turns: 2 },
      { speaker: 'Solveig', turns: 2 },
    ]);
  });

  it('takes the speaker from a leading "Name:", continues it in unlabelled cues, and leaves a colon later in the text alone', async () => {
    assert.equal(
      await text('intervju-navn.vtt', fixture('intervju-navn.vtt')),
      'Intervjuer (00:00:02): Kan du fortelle om den første dagen?\n\n' +
        'Aksel (00:00:05): Jeg husker at det regnet. Vi sto i kø utenfor i en time.\n\n' +
        'Intervjuer (00:00:12): Hvorfor det?\n\n' +
        'Aksel (00:00:14): Ingen visste hvor inngangen var. Det var sånn: helt kaos.\n',
    );
  });

  it('calls an unnamed speaker "Speaker" and starts a new turn after a pause of two seconds', async () => {
    const vtt = 'WEBVTT\n\n00:00.000 --> 00:02.000\nførste bit\n\n00:02.500 --> 00:04.000\nandre bit\n\n00:07.000 --> 00:09.000\netter pausen\n';
    assert.equal(await text('x.vtt', vtt), 'Speaker (00:00:00): første bit andre bit\n\nSpeaker (00:00:07): etter pausen\n');
  });

  it('splits a cue with two voices, and makes unusable names ones Grounded recognises', async () => {
    const vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Dr. O'Brien>Ja?</v> <v Kari_Lie>Nei.</v>\n\n00:00:04.000 --> 00:00:05.000\n<v 2>Kanskje.\n";
    const out = await text('x.vtt', vtt);
    assert.equal(out, 'Dr. O Brien (00:00:01): Ja?\n\nKari Lie (00:00:01): Nei.\n\nSpeaker 2 (00:00:04): Kanskje.\n');
    assert.deepEqual(
      speakerTurns(out).map((t) => t.speaker),
      ['Dr. O Brien', 'Kari Lie', 'Speaker 2'],
    );
  });

  it('reads a file with a BOM and CRLF line ends the same, and writes LF without a BOM', async () => {
    const lf = fixture('intervju-stemmer.vtt').toString('utf8');
    const crlf = '\uFEFF' + lf.replace(/\n/g, '\r\n');
    const out = await text('intervju-stemmer.vtt', crlf);
    assert.equal(out, await text('intervju-stemmer.vtt', lf));
    assertClean(out);
  });

  it('escapes Markdown in .md output but keeps the turns', async () => {
    const vtt = 'WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ola>Det var *veldig* rart_greier &lt;b&gt;\n';
    const out = await text('x.vtt', vtt, 'md');
    assert.equal(out, 'Ola (00:00:01): Det var \\*veldig\\* rart\\_greier \\<b>\n');
    assert.equal(speakerTurns(out)[0].speaker, 'Ola');
  });

  it('refuses a file without the WEBVTT line, malformed timings, cues ending before they start, and text without a cue', async () => {
    await rejects('a.vtt', '00:01.000 --> 00:02.000\nHei\n', /line 1: a WebVTT file starts with the line "WEBVTT"/);
    await rejects('b.vtt', 'WEBVTT\n\n00:01 --> 00:02.000\nHei\n', /line 3: "00:01" is not a time like 00:01:02\.000/);
    await rejects('c.vtt', 'WEBVTT\n\n1\n00:05.000 --> 00:04.000\nHei\n', /line 4: the cue ends \(00:04\.000\) before it starts \(00:05\.000\)/);
    await rejects('d.vtt', 'WEBVTT\n\n00:61.000 --> 01:02.000\nHei\n', /line 3: "00:61\.000" has minutes above 59|seconds above 59/);
    await rejects('e.vtt', 'WEBVTT\n\nHei uten tid\n', /line 3: expected a cue timing/);
    await rejects('f.vtt', 'WEBVTT\n\nNOTE bare et notat\n', /no text in it/);
  });
});

describe('Import Transcript: SubRip', () => {
  it('makes turns of the cues: numbers, positions, {\\an8} and <i> gone, lines joined, speakers from "Name:"', async () => {
    const out = await text('intervju.srt', fixture('intervju.srt'));
    assert.equal(
      out,
      'Intervjuer (00:00:01): Hvor lenge har du bodd her?\n\n' +
        'Marte (00:00:03): Snart tjue år. Først i sentrum, senere på landet.\n\n' +
        'Intervjuer (00:01:10): Og nå?\n',
    );
    assertClean(out);
    assert.deepEqual(
      speakerTurns(out).map((t) => t.speaker),
      ['Intervjuer', 'Marte', 'Intervjuer'],
    );
  });

  it('reads CRLF and Windows-1252 (old Norwegian .srt files) as well', async () => {
    const latin1 = Uint8Array.from([...'1\r\n00:00:01,000 --> 00:00:02,000\r\nOla: Tjue '].map((c) => c.charCodeAt(0)).concat([0xe5, 0x72, 0x2e, 0x0d, 0x0a]));
    assert.equal(await text('gammel.srt', latin1), 'Ola (00:00:01): Tjue år.\n');
  });

  it('refuses malformed timings, naming the file and line', async () => {
    await rejects('feil.srt', '1\n00:00:01,000 --> 00:00:02,000\nHei\n\n2\n00:00:03,000 --> 00:00:0x,000\nHå\n', /^feil\.srt: .*line 6: "00:00:0x,000" is not a time/);
    await rejects('tom.srt', 'Hei\n', /line 1: expected a cue timing like 00:01:02,000/);
  });
});

describe('Import Transcript: Word (.docx)', () => {
  const doc = docxOf(
    [
      `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>${r('Intervju 4 &amp; notater')}</w:p>`,
      p(r('Intervjuer:', '<w:b/>') + r(' Hvordan var *det*?')),
      p(r('Ingrid:', '<w:b/>') + r(' Det var ') + r('helt', '<w:i/>') + r(' greit.') + '<w:r><w:br/></w:r>' + r('Ny linje.')),
      '<w:p/>',
      p(r('- ikke en liste')),
    ].join(''),
  );

  it('makes each paragraph a paragraph with blank lines between, empty paragraphs dropped', async () => {
    const out = await text('intervju-4.docx', doc);
    assert.equal(
      out,
      'Intervju 4 & notater\n\nIntervjuer: Hvordan var *det*?\n\nIngrid: Det var helt greit.\nNy linje.\n\n- ikke en liste\n',
    );
    assertClean(out);
    assert.deepEqual(
      speakerTurns(out).map((t) => t.speaker),
      ['Intervjuer', 'Ingrid'],
    );
  });

  it('keeps headings, bold and italic in Markdown, but never formats a speaker label', async () => {
    const out = await text('intervju-4.docx', doc, 'md');
    assert.equal(
      out,
      '# Intervju 4 & notater\n\nIntervjuer: Hvordan var \\*det\\*?\n\nIngrid: Det var *helt* greit.\nNy linje.\n\n\\- ikke en liste\n',
    );
    assert.deepEqual(
      speakerTurns(out).map((t) => t.speaker),
      ['Intervjuer', 'Ingrid'],
    );
  });

  it('reads a transcript kept as a table (time | speaker | text, or speaker | text) as turns', async () => {
    const cell = (t: string) => `<w:tc><w:p>${r(t)}</w:p></w:tc>`;
    const row = (...cells: string[]) => `<w:tr>${cells.map(cell).join('')}</w:tr>`;
    const table = docxOf(`<w:tbl>${row('00:01:05', 'Intervjuer', 'Og så?')}${row('00:01:09', 'Ingrid', 'Så flyttet vi.')}${row('Ingrid:', 'Til byen.')}</w:tbl>`);
    const out = await text('tabell.docx', table);
    assert.equal(out, 'Intervjuer (00:01:05): Og så?\n\nIngrid (00:01:09): Så flyttet vi.\n\nIngrid: Til byen.\n');
    assert.equal(speakerTurns(out).length, 3);
  });

  it('refuses what is not a .docx: plain text, an old .doc, a zip without a document, a zip bomb', async () => {
    await rejects('notat.docx', 'bare tekst', /not a Word document \(\.docx\).*not a zip archive/);
    await rejects('gammel.docx', Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), /older Word \(\.doc\).*save it as \.docx/);
    await rejects('tom.docx', zipSync({ 'a.txt': strToU8('x') }), /no Word document in it/);
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(4 * 1024 * 1024) }, { level: 9 });
    assert.ok(bomb.length < 64 * 1024, 'the bomb is small');
    await rejects('bombe.docx', bomb, /zip bomb/, { zipLimits: { maxBytes: 1024 * 1024, maxEntries: 100 } });
  });

  it('refuses a zip whose entries inflate to more than they declare', async () => {
    // Patch the declared size of the only entry (local header and central directory) to 1 byte.
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(4 * 1024 * 1024) }, { level: 9 });
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    view.setUint32(22, 1, true);
    const cd = bomb.findIndex((_, i) => view.getUint32(i, true) === 0x02014b50);
    view.setUint32(cd + 24, 1, true);
    await rejects('lureri.docx', bomb, /zip bomb/, { zipLimits: { maxBytes: 1024 * 1024, maxEntries: 100 } });
  });
});

describe('Import Transcript: OpenDocument (.odt)', () => {
  const styles =
    '<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>' +
    '<style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>';
  const body =
    '<text:h text:outline-level="2">Intervju 9</text:h>' +
    '<text:p><text:span text:style-name="T1">Intervjuer:</text:span> Hva skjedde<text:s text:c="2"/>da?</text:p>' +
    '<text:p>Ingrid: Vi <text:span text:style-name="T2">ventet</text:span>.<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>fotnote</text:p></text:note-body></text:note><text:line-break/>Lenge.</text:p>' +
    '<text:p/>' +
    '<text:list><text:list-item><text:p>punkt en</text:p></text:list-item></text:list>';

  it('makes paragraphs, headings and list items of content.xml, notes left out', async () => {
    const out = await text('intervju-9.odt', odtOf(body, styles));
    assert.equal(out, 'Intervju 9\n\nIntervjuer: Hva skjedde  da?\n\nIngrid: Vi ventet.\nLenge.\n\n- punkt en\n');
    assertClean(out);
    assert.deepEqual(
      speakerTurns(out).map((t) => t.speaker),
      ['Intervjuer', 'Ingrid'],
    );
  });

  it('keeps heading levels, bold and italic (from automatic styles) in Markdown', async () => {
    assert.equal(
      await text('intervju-9.odt', odtOf(body, styles), 'md'),
      '## Intervju 9\n\nIntervjuer: Hva skjedde  da?\n\nIngrid: Vi *ventet*.\nLenge.\n\n- punkt en\n',
    );
  });

  it('refuses a spreadsheet, a zip without content.xml, damaged XML and a zip bomb', async () => {
    await rejects('tall.odt', odtOf('', '', 'application/vnd.oasis.opendocument.spreadsheet'), /opendocument\.spreadsheet, not an OpenDocument text/);
    await rejects('tom.odt', zipSync({ mimetype: strToU8('application/vnd.oasis.opendocument.text') }), /no content\.xml/);
    await rejects('skadet.odt', zipSync({ 'content.xml': strToU8('<office:document-content><text:p>') }), /not an OpenDocument text \(\.odt\) Grounded can read/);
    await rejects('bombe.odt', zipSync({ 'content.xml': new Uint8Array(4 * 1024 * 1024) }, { level: 9 }), /zip bomb/, { zipLimits: { maxBytes: 1024 * 1024, maxEntries: 100 } });
  });
});

describe('Import Transcript: names', () => {
  it('knows the kinds by extension, names the transcript after the file, and numbers alternatives', async () => {
    assert.equal(sourceKindOf('Intervju.DOCX'), 'docx');
    assert.equal(sourceKindOf('a.vtt'), 'vtt');
    assert.equal(sourceKindOf('a.pdf'), undefined);
    assert.equal(transcriptNameFor('/tmp/opptak/intervju 3.vtt', 'txt'), 'intervju 3.txt');
    assert.equal(transcriptNameFor('intervju.3.docx', 'md'), 'intervju.3.md');
    assert.equal(alternativeName('intervju.txt', 2), 'intervju-2.txt');
    await rejects('a.pdf', 'x', /cannot import this kind of file/);
  });
});
