import * as assert from 'node:assert/strict';
import { reanchor, reanchorCodings } from '../../src/core/anchor';
import { Anchor, Coding } from '../../src/core/model';
import { makeAnchor, normalizeEol } from '../../src/core/text';

// A fictional interview (Norwegian) about life in a prison.
const FENGSEL = [
  'I: Kan du fortelle om den første tiden inne?',
  'R: Den første uka var helt forferdelig. Jeg sov nesten ikke, og lyden av dørene som ble låst om kvelden satt i kroppen lenge.',
  'I: Hadde du kontakt med familien?',
  'R: Ja, men bare på telefon. Det verste med å sitte inne er at du mister kontakten med barna, de vokser opp uten deg.',
  'I: Hvordan var forholdet til betjentene?',
  'R: Noen var greie, andre var kalde. Jeg vet ikke. Det kom an på hvem som hadde vakt, og jeg lærte fort hvem jeg kunne snakke med.',
  'I: Og de andre innsatte?',
  'R: Jeg vet ikke. Vi holdt oss mest for oss selv på avdelingen, men på søndager spilte vi kort i fellesrommet.',
  'I: Hva tenker du på nå, etter løslatelsen?',
  'R: Øynene til datteren min da jeg kom hjem. Ærlig talt 😢 det var det fineste øyeblikket på mange år.',
].join('\n');

const BARNA = 'Det verste med å sitte inne er at du mister kontakten med barna';

function anchorOf(text: string, phrase: string, occurrence = 0): Anchor {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) start = text.indexOf(phrase, start + 1);
  assert.notEqual(start, -1, `test text lacks "${phrase}" #${occurrence}`);
  return makeAnchor(text, start, start + phrase.length);
}

function coding(id: string, anchor: Anchor, orphaned?: boolean): Coding {
  return {
    id,
    codeId: 'kode-' + id,
    anchor,
    coder: 'ola',
    created: '2025-02-03T10:00:00.000Z',
    ...(orphaned ? { orphaned } : {}),
  };
}

function assertAt(text: string, anchor: Anchor, quote: string, start: number) {
  assert.equal(anchor.quote, quote);
  assert.equal(anchor.start, start);
  assert.equal(anchor.end, start + quote.length);
  assert.equal(text.slice(anchor.start, anchor.end), quote);
}

describe('reanchor', () => {
  it('keeps an anchor whose text did not change', () => {
    const a = anchorOf(FENGSEL, BARNA);
    const r = reanchor(a, FENGSEL);
    assert.equal(r.status, 'unchanged');
    assert.equal(r.score, 1);
    assert.equal(r.anchor, a);
  });

  it('follows a quote when text was inserted above it', () => {
    const a = anchorOf(FENGSEL, BARNA);
    const intro = 'Intervju 4, opptatt på Bastøy. Transkribert av Åse.\n\n';
    const text = intro + FENGSEL;
    const r = reanchor(a, text);
    assert.equal(r.status, 'moved');
    assertAt(text, r.anchor, BARNA, a.start + intro.length);
    assert.ok(r.score > 0.9, `score ${r.score}`);
  });

  it('follows a paragraph that was moved elsewhere', () => {
    const lines = FENGSEL.split('\n');
    const moved = lines.slice(3, 4);
    const text = [...lines.slice(0, 3), ...lines.slice(4), ...moved].join('\n');
    const quote = 'Ja, men bare på telefon.';
    const a = anchorOf(FENGSEL, quote);
    const r = reanchor(a, text);
    assert.equal(r.status, 'moved');
    assertAt(text, r.anchor, quote, text.indexOf('R: Ja, men') + 3);
  });

  it('finds a quote with small wording changes as fuzzy', () => {
    const a = anchorOf(FENGSEL, BARNA);
    const text = FENGSEL.replace('at du mister kontakten med barna', 'at man mister kontakten med ungene');
    const r = reanchor(a, text);
    assert.equal(r.status, 'fuzzy');
    const changed = 'Det verste med å sitte inne er at man mister kontakten med ungene';
    assertAt(text, r.anchor, changed, text.indexOf(changed));
    assert.equal(r.anchor.suffix, ', de vokser opp uten deg.\nI: Hvo');
    assert.ok(r.score >= 0.7 && r.score < 1, `score ${r.score}`);
  });

  it('finds an edited quote in a text that also changed around it', () => {
    const a = anchorOf(FENGSEL, 'lyden av dørene som ble låst om kvelden satt i kroppen lenge');
    const text = ('Innledende merknader.\n'.repeat(10) + FENGSEL)
      .replace('dørene som ble låst', 'dørene som ble smelt igjen')
      .replace('Den første uka', 'Den aller første uka');
    const r = reanchor(a, text);
    assert.equal(r.status, 'fuzzy');
    const expected = 'lyden av dørene som ble smelt igjen om kvelden satt i kroppen lenge';
    assertAt(text, r.anchor, expected, text.indexOf(expected));
  });

  it('finds an edited paragraph that moved far away (beyond the search window)', () => {
    const a = anchorOf(FENGSEL, BARNA);
    const filler = 'I: Mer om hverdagen.\nR: Vi sto opp klokka sju og spiste frokost på avdelingen.\n'.repeat(80);
    const text = filler + FENGSEL.replace('å sitte inne', 'å sitte i fengsel');
    assert.ok(filler.length > 5000);
    const r = reanchor(a, text);
    assert.equal(r.status, 'fuzzy');
    const expected = 'Det verste med å sitte i fengsel er at du mister kontakten med barna';
    assertAt(text, r.anchor, expected, text.indexOf(expected));
  });

  it('finds a long, slightly edited quote even among new neighbours', () => {
    const sentence = BARNA + ', de vokser opp uten deg.';
    const a = anchorOf(FENGSEL, sentence);
    const lines = FENGSEL.split('\n');
    const edited = 'R: Ja, men bare på telefon. ' + sentence.replace('vokser opp', 'vokser jo opp');
    const text = ['Tema: familie', edited, 'Tema: arbeid', ...lines.slice(4)].join('\n\n');
    const r = reanchor(a, text);
    assert.equal(r.status, 'fuzzy');
    const expected = sentence.replace('vokser opp', 'vokser jo opp');
    assertAt(text, r.anchor, expected, text.indexOf(expected));
  });

  it('orphans a deleted quote and returns the original anchor', () => {
    const a = anchorOf(FENGSEL, BARNA);
    const text = FENGSEL.replace(BARNA + ', de vokser opp uten deg.', 'Det vil jeg ikke snakke om.');
    const r = reanchor(a, text);
    assert.equal(r.status, 'orphaned');
    assert.equal(r.score, 0);
    assert.equal(r.anchor, a);
  });

  it('chooses the right one of a repeated phrase by its context', () => {
    // "Jeg vet ikke." occurs twice; the coding is on the second.
    const a = anchorOf(FENGSEL, 'Jeg vet ikke.', 1);
    // Insert text above so that the *first* occurrence now sits exactly at the old offset.
    const first = FENGSEL.indexOf('Jeg vet ikke.');
    const pad = 'Ø'.repeat(a.start - first);
    const text = FENGSEL.slice(0, 10) + pad + FENGSEL.slice(10);
    assert.equal(text.indexOf('Jeg vet ikke.'), a.start);
    const r = reanchor(a, text);
    assert.equal(r.status, 'moved');
    assertAt(text, r.anchor, 'Jeg vet ikke.', text.indexOf('Jeg vet ikke.', a.start + 1));
    assert.equal(r.anchor.suffix, a.suffix);
  });

  it('prefers the nearer occurrence of a short quote when the context ties', () => {
    const text0 =
      'I: Spiste du i fellesskap med de andre?\nR: Ja.\nI: Og i helgene, spiste dere sammen da?\nR: Ja.\n' +
      'I: Hvordan var maten der inne, egentlig?\nR: Grei nok.';
    const a = anchorOf(text0, 'Ja.', 1);
    // After the edit both "Ja." have the same context within reach: "?\nR: " before and
    // "\nI: Hvordan var maten" after. The second one is nearer to the old offset.
    const text = 'I: Noe annet?\nR: Ja.\nI: Hvordan var maten?\nR: Ja.\nI: Hvordan var maten?\nR: Grei nok.';
    assert.equal(text.startsWith('Ja.', a.start), false);
    const r = reanchor(a, text);
    assert.equal(r.status, 'moved');
    assertAt(text, r.anchor, 'Ja.', text.indexOf('Ja.', 20));
  });

  it('prefers an occurrence that, like the original, ends the document', () => {
    const a = anchorOf('I: Noe mer?\nR: Takk for meg.', 'Takk for meg.');
    assert.equal(a.suffix, '');
    // The closing exchange now appears twice; the first copy is nearer to the old offset.
    const text = 'Ny innledning.\nI: Noe mer?\nR: Takk for meg.\nI: Noe mer?\nR: Takk for meg.';
    const r = reanchor(a, text);
    assert.equal(r.status, 'moved');
    assertAt(text, r.anchor, 'Takk for meg.', text.length - 'Takk for meg.'.length);
  });

  it('does not move a short quote to a place without matching context', () => {
    const a = anchorOf(FENGSEL, 'Ja,');
    const text = FENGSEL.replace('R: Ja, men bare på telefon.', 'R: Bare på telefon.') + '\nI: Ja, takk for praten.';
    const r = reanchor(a, text);
    assert.equal(r.status, 'orphaned');
  });

  it('orphans a fuzzy quote that matches two places equally well', () => {
    const para = 'R: Jeg savnet å kunne gå en tur alene i skogen om kvelden.';
    const text0 = 'I: Første spørsmål.\n' + para + '\nI: Neste.\n';
    const a = anchorOf(text0, 'Jeg savnet å kunne gå en tur alene i skogen');
    const copy = 'R: Jeg savnet å kunne gå en tur alene ute i skogen om kvelden.';
    // Both copies keep the old neighbours on both sides: nothing tells them apart.
    const text = 'I: Første spørsmål.\n' + copy + '\nI: Neste.\nI: Første spørsmål.\n' + copy + '\nI: Neste.\n';
    const r = reanchor(a, text);
    assert.equal(r.status, 'orphaned');
  });

  it('orphans an empty quote', () => {
    const r = reanchor(makeAnchor(FENGSEL, 10, 10), FENGSEL);
    assert.equal(r.status, 'orphaned');
  });

  it('handles emoji and Norwegian letters before and inside a quote in UTF-16 offsets', () => {
    const quote = 'Ærlig talt 😢 det var det fineste øyeblikket';
    const a = anchorOf(FENGSEL, quote);
    const intro = '🎧🎧 Lydfil: «Ørsta», del 2 — 😀\n';
    assert.equal(intro.length, 33, 'each emoji counts two units');
    const text = intro + FENGSEL;
    const moved = reanchor(a, text);
    assert.equal(moved.status, 'moved');
    assertAt(text, moved.anchor, quote, a.start + 33);

    const edited = text.replace('det fineste', 'den fineste');
    const fuzzy = reanchor(a, edited);
    assert.equal(fuzzy.status, 'fuzzy');
    assertAt(edited, fuzzy.anchor, 'Ærlig talt 😢 det var den fineste øyeblikket', a.start + 33);
  });
});

// Cases the benchmark (bench/run.ts) once caught moving codings onto the wrong words.
describe('reanchor, where the old context marks the segment', () => {
  const VISIT = [
    'Ola (00:10:02): Vinteren var lang og besøkene var korte. Jeg vet aldri hva jeg skal si til dattera mi når hun spør. Så går jeg tilbake til cella.',
    '',
    'Intervjuer: Kan du si mer om det?',
    '',
    'Ola (00:11:40): Hun ringer på søndager. Jeg vet aldri hva jeg skal si til dattera mi når hun spør.',
    '',
    'Intervjuer: Hvordan takler du det?',
  ].join('\n');
  const REPEATED = 'Jeg vet aldri hva jeg skal si til dattera mi når hun spør.';

  it('does not move an edited quote to an exact copy of it that has none of its context', () => {
    const a = anchorOf(VISIT, REPEATED, 1);
    const text = VISIT.replace('Hun ringer på søndager. Jeg vet aldri hva jeg skal si til dattera mi', 'Hun ringer på søndager. Jeg vet aldri hva jeg skal si til den lille dattera mi');
    const r = reanchor(a, text);
    const expected = 'Jeg vet aldri hva jeg skal si til den lille dattera mi når hun spør.';
    assert.equal(r.status, 'fuzzy');
    assertAt(text, r.anchor, expected, text.lastIndexOf(expected));
  });

  it('keeps a sentence inserted inside a short quote inside it', () => {
    const quote = 'Jeg ringer hver søndag klokka seks.';
    const text0 = 'Intervjuer: Og familien?\n\nMira (00:04:10): ' + quote + '\n\nIntervjuer: Hvem svarer da?';
    const a = anchorOf(text0, quote);
    const inserted = 'Jeg ringer, altså, når jeg får lov, hver søndag klokka seks.';
    const text = text0.replace(quote, inserted);
    const r = reanchor(a, text);
    assert.notEqual(r.status, 'orphaned');
    assertAt(text, r.anchor, inserted, text.indexOf(inserted));
  });

  it('does not stretch a quote over the next sentence when its own last sentence was deleted', () => {
    const kept = 'Verkstedet er det beste med dagen. Der får jeg bruke hendene og tenke på noe annet enn soningen.';
    const deleted = ' Jeg lager fuglekasser som selges på markedet i bygda om våren.';
    const text0 = 'Intervjuer: Hva gjør du på dagtid?\n\nTomas (00:07:55): ' + kept + deleted + ' Etterpå er det lufting og middag.\n\nIntervjuer: Og kveldene?';
    const a = anchorOf(text0, kept + deleted);
    const text = text0.replace(deleted, '');
    const r = reanchor(a, text);
    if (r.status !== 'orphaned') assertAt(text, r.anchor, kept, text.indexOf(kept));
  });
});

describe('reanchorCodings', () => {
  const codings = [
    coding('1', anchorOf(FENGSEL, 'Den første uka var helt forferdelig.')),
    coding('2', anchorOf(FENGSEL, BARNA)),
    coding('3', anchorOf(FENGSEL, 'spilte vi kort i fellesrommet')),
    coding('4', anchorOf(FENGSEL, 'Øynene til datteren min')),
  ];

  it('returns every coding with a report', () => {
    const text = ('Intervjuer: K. Ødegård\n' + FENGSEL)
      .replace('at du mister kontakten', 'at du liksom mister kontakten')
      .replace('men på søndager spilte vi kort i fellesrommet.', 'og det var det.');
    const snapshot = structuredClone(codings);
    const { codings: out, report } = reanchorCodings(codings, text);
    assert.deepEqual(codings, snapshot, 'input not mutated');
    assert.deepEqual(
      out.map((c) => c.id),
      ['1', '2', '3', '4'],
    );
    assert.equal(report.unchanged, 0);
    assert.equal(report.moved, 2);
    assert.equal(report.fuzzy, 1);
    assert.deepEqual(
      report.orphaned.map((c) => c.id),
      ['3'],
    );
    assert.equal(out[2].orphaned, true);
    assert.deepEqual(out[2].anchor, codings[2].anchor);
    assertAt(text, out[0].anchor, 'Den første uka var helt forferdelig.', codings[0].anchor.start + 23);
    assert.equal(out[1].anchor.quote, 'Det verste med å sitte inne er at du liksom mister kontakten med barna');
    assert.equal(out[1].orphaned, undefined);
    assertAt(text, out[3].anchor, 'Øynene til datteren min', text.indexOf('Øynene'));
  });

  it('returns unchanged codings as they were', () => {
    const { codings: out, report } = reanchorCodings(codings, FENGSEL);
    assert.equal(report.unchanged, 4);
    out.forEach((c, i) => assert.equal(c, codings[i]));
  });

  it('clears the orphan flag of a coding that is found again', () => {
    const orphan = coding('5', anchorOf(FENGSEL, 'lærte fort hvem jeg kunne snakke med'), true);
    const { codings: out, report } = reanchorCodings([orphan], FENGSEL);
    assert.equal(report.unchanged, 1);
    assert.equal(out[0].orphaned, undefined);
    assert.equal('orphaned' in out[0], false);
    assert.equal(orphan.orphaned, true, 'input not mutated');
  });

  it('normalises CRLF text before re-anchoring', () => {
    const crlf = FENGSEL.replace(/\n/g, '\r\n');
    const { codings: out, report } = reanchorCodings(codings, crlf);
    assert.equal(report.unchanged, 4);
    const lf = normalizeEol(crlf);
    out.forEach((c, i) => assertAt(lf, c.anchor, codings[i].anchor.quote, codings[i].anchor.start));
  });

  it('uses the shift of earlier codings to pick the right occurrence', () => {
    // A transcript where the same answer appears many times; a page inserted at the top moves
    // every coding far from its old offset, so the old offset alone would point at a wrong copy.
    const block = (n: number) => `I: Spørsmål ${n}?\nR: Jeg vet ikke.\n`;
    const text0 = Array.from({ length: 300 }, (_, i) => block(i % 10)).join('');
    const list = [0, 100, 200].map((n) => coding(String(n), anchorOf(text0, 'Jeg vet ikke.', n)));
    const page = 'Merknad.\n'.repeat(30);
    const text = page + text0;
    const { codings: out, report } = reanchorCodings(list, text);
    assert.equal(report.moved, 3);
    out.forEach((c, i) => assert.equal(c.anchor.start, list[i].anchor.start + page.length));
  });
  // Found by the property tests (test/property/properties.ts), shrunk.
  it('refreshes a context left one unit short by an emoji once text typed there makes it whole', () => {
    const text = 'Vi satt i fellesrommet og spilte kort hele kvelden, og ingen sa noe 🌊 om det etterpå.';
    const a = anchorOf(text, 'spilte kort');
    assert.equal(a.suffix.length, 31, 'the 32nd unit would be half the emoji');
    const edited = text.replace('🌊', 'j🌊');
    const r = reanchor(a, edited);
    assert.equal(r.status, 'unchanged');
    assert.deepEqual(r.anchor, makeAnchor(edited, a.start, a.end));
    assert.equal(r.anchor.suffix.length, 32);
  });

  it('orphans a quote whose words were deleted rather than take the same word right before it', () => {
    const text = 'Intervjuer: Skam window window 🌊 evening. Gå ærlig fengselet officer betjentene søsteren.\n';
    const a = anchorOf(text, 'window 🌊');
    const edited = text.replace('window 🌊 evening. ', '');
    assert.equal(edited, 'Intervjuer: Skam window Gå ærlig fengselet officer betjentene søsteren.\n');
    const r = reanchor(a, edited);
    assert.equal(r.status, 'orphaned', `found on "${edited.slice(r.anchor.start, r.anchor.end)}"`);
  });
  it('keeps a quote that is there word for word whole, though an edited suffix seems to start at its last word', () => {
    const text = 'Intervjuer: Skam mørket again håp evening gå ærlig fengselet året håp søsteren jeg. Lyden ikke. Ikke 🌊? Trust jeg besøk.\nIntervjuer: Skam';
    const a = anchorOf(text, 'søsteren jeg. Lyden ikke. Ikke');
    const edited = 'jeg ' + text.replace('året', 'årqt').replace(' 🌊?', '');
    const r = reanchor(a, edited, a.start + 4);
    assertAt(edited, r.anchor, a.quote, edited.indexOf(a.quote));
  });

  it('orphans a one-word quote replaced by another word, though its context is intact', () => {
    const text = 'R: Vi holdt oss mest for oss selv på avdelingen, men på søndager spilte vi kort i fellesrommet.';
    const a = anchorOf(text, 'på', 1);
    const edited = text.replace('men på søndager', 'men kafé søndager');
    assert.equal(reanchor(a, edited).status, 'orphaned');
    // a short quote with a typo in it is still found
    const b = anchorOf(text, 'søndager spilte');
    const typo = text.replace('søndager spilte', 'søndagr spilte');
    assertAt(typo, reanchor(b, typo).anchor, 'søndagr spilte', text.indexOf('søndager spilte'));
  });
  it('finds an edited quote though a long passage was pasted between it and the coding found before it', () => {
    // The first coding's shift predicts the second's badly: its context lies beyond the narrow search
    // that follows a found neighbour, and the search widens to find it.
    const filler = 'I: Mer om hverdagen.\nR: Vi sto opp klokka sju og spiste frokost på avdelingen.\n'.repeat(30);
    assert.ok(filler.length > 2000 && filler.length < 3500);
    const text = FENGSEL.replace('I: Hadde du kontakt', filler + 'I: Hadde du kontakt').replace(
      'sitte inne er at',
      'sitte inne, og det har jeg tenkt mye på i ettertid, er at',
    );
    const { codings: found } = reanchorCodings(codings.slice(0, 2), text);
    assertAt(text, found[0].anchor, 'Den første uka var helt forferdelig.', text.indexOf('Den første uka'));
    const expected = 'Det verste med å sitte inne, og det har jeg tenkt mye på i ettertid, er at du mister kontakten med barna';
    assertAt(text, found[1].anchor, expected, text.indexOf(expected));
  });

  it('keeps an intact quote to its own words when text was inserted right before and right after it', () => {
    const text =
      'n officer never workshop daughter sint. Dommen cella. Broren Øystein besøk ikke trust workshop hjem? Time måneden kafé mørket.\n' +
      'Intervjuer: Året det cella routine redd Åse alene kontakten 🌊 know påsken shame.\nIntervjuer: Frihet alene glad sjøen jeg 😢 evening.';
    const a = anchorOf(text, 'trust workshop hjem? Time måneden kafé mørket.\nIntervjuer: Året');
    const edited = text.replace('ikke trust', 'ikke Dørene morning. trust').replace('Året det', 'Året never søndag det');
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, a.quote, edited.indexOf(a.quote));
  });
});

// The boundaries of an edited quote, pinned by exact pieces (the old context, the quote's own first and
// last words) before any approximate search; cases found by the re-anchoring benchmark (bench/run.ts).
describe('reanchor: the boundaries of an edited quote', () => {
  // A fictional interview (English) about the first weeks in a prison.
  const WEEKS = [
    'I: What was the first week like?',
    'R: The first week was awful. I hardly slept, and the sound of the doors being locked at night stayed with me for a long time.',
    'I: Did you have contact with your family?',
    'R: Yes, but only by phone. The worst thing about being inside is that you lose touch with the children, they grow up without you.',
    'I: And the other inmates?',
    'R: I do not know. We mostly kept to ourselves on the ward, but on Sundays we played cards in the common room.',
  ].join('\n');

  it('takes in a long sentence inserted inside the quote when its old prefix and suffix are intact', () => {
    const a = anchorOf(WEEKS, 'Yes, but only by phone. The worst thing about being inside');
    const inserted = 'I called my sister every Sunday evening from the hallway, whenever the line was free. ';
    const edited = WEEKS.replace('by phone. The worst', 'by phone. ' + inserted + 'The worst');
    assert.ok(inserted.length > a.quote.length, 'longer than the quote itself');
    const expected = 'Yes, but only by phone. ' + inserted + 'The worst thing about being inside';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('takes in a sentence inserted inside the quote when one old context and its own first and last words are intact', () => {
    const a = anchorOf(WEEKS, 'Yes, but only by phone. The worst thing about being inside is that you lose touch with the children');
    const inserted = 'I think about it every single day, even now. ';
    const edited = WEEKS.replace('being inside is that', 'being inside. ' + inserted + 'It is that').replace('up without you.', 'up so fast.');
    const expected = 'Yes, but only by phone. The worst thing about being inside. ' + inserted + 'It is that you lose touch with the children';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('starts at the first surviving word when words were deleted across the start of the quote', () => {
    const a = anchorOf(WEEKS, 'The worst thing about being inside is that you lose touch with the children');
    const edited = WEEKS.replace('only by phone. The worst thing', 'only thing');
    const expected = 'thing about being inside is that you lose touch with the children';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('starts at the first surviving word when words were deleted across its start and the suffix was edited too', () => {
    const a = anchorOf(WEEKS, 'We mostly kept to ourselves on the ward, but on Sundays we played cards');
    const edited = WEEKS.replace('I do not know. We mostly', 'I mostly').replace('cards in the common room.', 'cards, in the room.');
    const expected = 'mostly kept to ourselves on the ward, but on Sundays we played cards';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('keeps the first word when the second was replaced and the prefix was edited too', () => {
    const a = anchorOf(WEEKS, 'We mostly kept to ourselves on the ward, but on Sundays we played cards');
    const edited = WEEKS.replace('I do not know. We mostly kept', 'I do not remember. We often kept');
    const expected = 'We often kept to ourselves on the ward, but on Sundays we played cards';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('leaves out a sentence inserted after the quote whose last word was replaced', () => {
    const a = anchorOf(WEEKS, 'The first week was awful.');
    // The old suffix (" I hardly slept, …") is found again intact, after the new sentence.
    const edited = WEEKS.replace('was awful. I hardly', 'was terrible. Nobody told me anything at all. I hardly');
    const r = reanchor(a, edited);
    const expected = 'The first week was terrible.';
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('ends at the last surviving word when the end of the quote was deleted with the text after it', () => {
    const a = anchorOf(WEEKS, 'Yes, but only by phone. The worst thing about being inside is that you lose touch');
    const edited = WEEKS.replace(' you lose touch with the children', '');
    const expected = 'Yes, but only by phone. The worst thing about being inside is that';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('ends at its last word when words were inserted right before it and the first word after it was deleted', () => {
    const a = anchorOf(WEEKS, 'The worst thing about being inside is that you lose touch with the children');
    // Neither the old suffix (", they grow …") nor the quote's last words ("with the children") are there word for word.
    const edited = WEEKS.replace('with the children, they grow', 'with the two youngest children grow');
    const expected = 'The worst thing about being inside is that you lose touch with the two youngest children';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('starts at its first word when words were inserted right after it and the prefix was edited too', () => {
    const a = anchorOf(WEEKS, 'mostly kept to ourselves on the ward, but on Sundays we played cards in the common room.');
    const edited = WEEKS.replace('I do not know. We mostly kept', 'I do not know at all. We mostly, I would say, kept');
    const expected = 'mostly, I would say, kept to ourselves on the ward, but on Sundays we played cards in the common room.';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('takes in a sentence inserted right before its last word, which begins a sentence, though the sentence begins with that word', () => {
    const a = anchorOf(WEEKS, 'R: I do not know. We');
    // "R: I do not know. We" is there word for word (and its old prefix), but its old suffix follows the second "We".
    const edited = WEEKS.replace('I do not know. We mostly', 'I do not know. We talked about nothing else. We mostly');
    const expected = 'R: I do not know. We talked about nothing else. We';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('keeps a quote that is there word for word on its words when a word inserted after it repeats its last word', () => {
    const a = anchorOf(WEEKS, 'R: I do not know. We');
    const edited = WEEKS.replace('I do not know. We mostly', 'I do not know. We We mostly');
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, a.quote, edited.indexOf(a.quote));
  });

  it('starts where the old prefix ends when a long clause was inserted among its first words and its end was edited', () => {
    const a = anchorOf(WEEKS, 'Yes, but only by phone. The worst thing about being inside is that you lose touch with the children, they grow up');
    const inserted = 'every Sunday evening from the hallway, whenever the line was free, ';
    // Neither the quote's first 32 units nor its last, nor the first units after it, are there word for word.
    const edited = WEEKS.replace('Yes, but only', 'Yes, ' + inserted + 'but only').replace('they grow up without you', 'they grew up without me');
    const expected = 'Yes, ' + inserted + 'but only by phone. The worst thing about being inside is that you lose touch with the children, they grew up';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('does not start on the words of its prefix when its first words were deleted with the end of the prefix', () => {
    const a = anchorOf(WEEKS, 'Sundays we played cards in the common room.');
    const edited = WEEKS.replace('on the ward, but on Sundays we played', 'on the played');
    const expected = 'played cards in the common room.';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('ends at its last word when the words before it were deleted and the text after it edited', () => {
    const a = anchorOf(WEEKS, 'The first week was awful. I hardly slept, and the sound of the doors being locked at night stayed with me');
    const edited = WEEKS.replace('locked at night stayed with me for a long time.', 'locked me for ages.');
    const expected = 'The first week was awful. I hardly slept, and the sound of the doors being locked me';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('takes in a long clause inserted inside the quote when one boundary keeps most of its old context and its own words, and the other its own words', () => {
    const a = anchorOf(WEEKS, 'The worst thing about being inside is that you lose touch with the children');
    const inserted = 'as my cellmate liked to say when the lights went out, ';
    // The old prefix is edited at its far end ("family" → "families"), the old suffix right after the quote.
    const edited = WEEKS.replace('your family?', 'your families?')
      .replace('is that you lose', 'is that ' + inserted + 'you lose')
      .replace(', they grow up without you.', ' and then suddenly they are adults.');
    const expected = 'The worst thing about being inside is that ' + inserted + 'you lose touch with the children';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('ends with the word that replaced its last word, before the same mark, where the text after it was edited too', () => {
    const a = anchorOf(WEEKS, 'I hardly slept, and the sound of the doors being locked at night stayed with me for a long time.');
    const edited = WEEKS.replace('a long time.\nI: Did you', 'a long while.\nI: So did you');
    const expected = 'I hardly slept, and the sound of the doors being locked at night stayed with me for a long while.';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('ends with the word that replaced its last word at the end of the document', () => {
    const a = anchorOf(WEEKS, 'We mostly kept to ourselves on the ward, but on Sundays we played cards in the common room.');
    assert.equal(a.suffix, '', 'the quote ends the document');
    const edited = WEEKS.replace('common room.', 'common hall.');
    const expected = 'We mostly kept to ourselves on the ward, but on Sundays we played cards in the common hall.';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('does not cut an edited quote short where it repeats the words of its old suffix', () => {
    const text = [
      'I: How was that?',
      'R: Every day is the same in here. I wake up, I eat, I wait for the post and nothing comes. Every day is the same in here. Nobody writes.',
    ].join('\n');
    const a = anchorOf(text, 'Every day is the same in here. I wake up, I eat, I wait for the post and nothing comes.');
    const edited = text.replace('nothing comes. Every day is the same', 'nothing arrives. Every day is the very');
    const expected = 'Every day is the same in here. I wake up, I eat, I wait for the post and nothing arrives.';
    const r = reanchor(a, edited);
    assertAt(edited, r.anchor, expected, edited.indexOf(expected));
  });

  it('does not find a short quote whose last word was deleted on the same word in its intact old prefix', () => {
    // (found by the property tests)
    const text = 'I: Og om natta?\nR: Det var mørkt på cella. Ærlig 🌊. Ærlig alene med lyden av havet.\n';
    const a = anchorOf(text, '🌊. Ærlig');
    const edited = text.replace('🌊. Ærlig alene', '🌊. alene');
    const r = reanchor(a, edited);
    // What is left of it ("🌊. ") may be found; the words of its prefix ("cella. Ærlig") may not.
    const left = edited.indexOf('🌊. ');
    assert.ok(r.status === 'orphaned' || (r.anchor.start < left + 3 && r.anchor.end > left), `found on [${r.anchor.start}, ${r.anchor.end}) "${r.anchor.quote}"`);
  });

  it('looks for a quote whose words were deleted where they were only elsewhere, never on the words now there', () => {
    const quote = 'The worst thing about being inside is that you lose touch with the children, they grow up without you.';
    const a = anchorOf(WEEKS, quote);
    const edited = WEEKS.replace(quote, '');
    assert.equal(reanchor(a, edited).status, 'orphaned');
    // moved (and edited) to the end of the interview, it is found there
    const copy = quote.replace('The worst', 'the worst');
    const moved = edited + '\nR: And I keep thinking: ' + copy;
    const r = reanchor(a, moved);
    assertAt(moved, r.anchor, copy, moved.indexOf(copy));
  });

  // A phrase a participant comes back to, said word for word in several turns.
  const REFRAIN = 'one day at a time, that is all you can do.';
  const WORKSHOP = [
    'I: What was the first night like?',
    `R: When the door closed the first night I said to myself: ${REFRAIN}`,
    'I: Did that help?',
    'R: Not at first. I counted the bolts in the door and listened to the man next door cough until the morning came.',
    `Later, in the workshop, I said to myself: ${REFRAIN}`,
    'I: And now?',
    'R: Now I work nights at a bakery.',
  ].join('\n');

  it('finds a refrain edited where it was coded between its old prefix and suffix, not its exact copy in another turn', () => {
    const a = anchorOf(WORKSHOP, REFRAIN, 1);
    // words inserted inside it: the copy in the first turn keeps part of the old prefix ("I said to myself: ")
    const inserted = WORKSHOP.replace(`workshop, I said to myself: ${REFRAIN}`, 'workshop, I said to myself: one day at a time, that is really all you can do.');
    const expected = 'one day at a time, that is really all you can do.';
    assertAt(inserted, reanchor(a, inserted).anchor, expected, inserted.indexOf(expected));
    // its last word replaced: the end is pinned by the old suffix after the start, not by the copy's last words
    const replaced = WORKSHOP.replace(`workshop, I said to myself: ${REFRAIN}`, 'workshop, I said to myself: one day at a time, that is all you can take.');
    const take = 'one day at a time, that is all you can take.';
    assertAt(replaced, reanchor(a, replaced).anchor, take, replaced.indexOf(take));
  });

  // Long enough that one turn is far (over a thousand units) from another.
  const LONG = [
    'Interviewer: Tell me about the visits.',
    'Participant: My sister came on the first Sunday of every month. She brought apples from her garden and news about her boys.',
    'Interviewer: How did you feel after a visit?',
    'Participant: Empty for a day, then better. The guards let us sit by the window in the visiting room, which helped.',
    'Interviewer: Were there bad weeks?',
    'Participant: In the winter the ferry stopped for nine days because of the ice, and nobody could come out to the island at all.',
    'Interviewer: What did you do then?',
    'Participant: I read the same detective novel three times and wrote letters I never sent to anyone.',
    'Interviewer: Did you work?',
    'Participant: In the laundry, folding sheets from six in the morning. The steam made my glasses useless, so I learned to fold by feel.',
    'Interviewer: And the evenings?',
    'Participant: Cards with two men from the north wing, until the bell at nine. We played for matches, never for money.',
    'Interviewer: Was there anyone you trusted?',
    'Participant: An older officer who had grown up in my town. He knew my father from the football club and always asked about him.',
    'Interviewer: How was the food?',
    'Participant: Fish on Fridays, soup the rest of the week. You stop tasting it after a while, honestly.',
    'Interviewer: And the day you left?',
    'Participant: Rain, and my sister at the gate with an umbrella. The boys had made a sign but it had gone soft in the rain.',
  ].join('\n\n');

  it('orphans a quote whose turn was deleted rather than attach it to the same words in a turn far away that only the next label matches', () => {
    const refrain = 'Nobody tells you how long a Sunday is.';
    const text = `Interviewer: Before we begin?\n\nParticipant: Just one thing. ${refrain}\n\n${LONG}\n\nParticipant: Sundays were slow too, and the radio only played hymns. ${refrain}\n\nInterviewer: Thank you.`;
    // the second one is coded; its turn is deleted
    const a = anchorOf(text, refrain, 1);
    const edited = text.replace(`\n\nParticipant: Sundays were slow too, and the radio only played hymns. ${refrain}`, '');
    assert.ok(edited.indexOf(refrain) < a.start - 1000, 'the copy left is far away');
    assert.equal(reanchor(a, edited).status, 'orphaned');
  });

  it('orphans a quote whose paragraph was deleted rather than attach it to a copy of its first sentence whose context is other words', () => {
    const first = 'The guards let us sit by the window in the visiting room, which helped.';
    const quote = `${first} She cried.`;
    const text = `${LONG}\n\nInterviewer: And your sister?\n\nParticipant: She wrote every week. ${quote} I never did.\n\nInterviewer: Thank you.`;
    const a = anchorOf(text, quote);
    const edited = text.replace(`\n\nParticipant: She wrote every week. ${quote} I never did.`, '');
    assert.ok(edited.includes(first), 'its first sentence is still said in another turn');
    assert.equal(reanchor(a, edited).status, 'orphaned');
  });

  it('keeps both halves of a quote that says the same sentence twice when words were inserted in one of them', () => {
    const text = 'I: And the winter?\nR: It was long. Day after day you see the same walls and the same faces. Day after day you see the same walls and the same faces. Then spring came.\nI: Did it help?';
    const quote = 'Day after day you see the same walls and the same faces. Day after day you see the same walls and the same faces.';
    const a = anchorOf(text, quote);
    // in the second sentence, before its last words
    const later = text.replace('faces. Day after day you see the same walls and the same faces.', 'faces. Day after day you see the same walls and the same tired faces.');
    const expected = 'Day after day you see the same walls and the same faces. Day after day you see the same walls and the same tired faces.';
    assertAt(later, reanchor(a, later).anchor, expected, later.indexOf(expected));
    // in the first sentence, after its first words
    const earlier = text.replace('long. Day after day you see', 'long. Day after long day you see');
    const first = 'Day after long day you see the same walls and the same faces. Day after day you see the same walls and the same faces.';
    assertAt(earlier, reanchor(a, earlier).anchor, first, earlier.indexOf(first));
  });
});
