import * as assert from 'node:assert/strict';
import type { Coding } from '../../src/core/model';
import { excludedTurnTest, isCoded, nextUncoded, segmentsOf, wordsOf, type Segment } from '../../src/core/segments';
import { speakerTurns } from '../../src/core/speakers';

function texts(text: string): string[] {
  return segmentsOf(text).map((s) => text.slice(s.start, s.end));
}

let counter = 0;
function coding(text: string, start: number, end: number, orphaned = false): Coding {
  counter++;
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    codeId: 'c1',
    anchor: { start, end, prefix: '', quote: text.slice(start, end), suffix: '' },
    coder: 'test',
    created: '2026-01-01T00:00:00Z',
    ...(orphaned ? { orphaned: true } : {}),
  };
}

/** A coding over the first occurrence of `quote`. */
function codingOn(text: string, quote: string, orphaned = false): Coding {
  const start = text.indexOf(quote);
  assert.ok(start >= 0, `quote not in text: ${quote}`);
  return coding(text, start, start + quote.length, orphaned);
}

function slice(text: string, segment: Segment | undefined): string | undefined {
  return segment && text.slice(segment.start, segment.end);
}

// A fictional interview: three header lines, turns with and without blank lines between them.
const INTERVIEW = [
  'Intervju 07 — Sølvi (pseudonym)',
  'Fiktivt intervju for testene.',
  '',
  'Intervjuer: Hvordan var første uka?',
  '',
  'Sølvi (00:00:12): Lang. Veldig lang.',
  'Jeg sov nesten ikke.',
  'Intervjuer: Og nå?',
  'Sølvi (00:01:05): Bedre. Jeg har fått jobb på kjøkkenet.',
  '',
  '',
  'Intervjuer: Hva betyr det for deg?',
  '',
].join('\n');

describe('segmentsOf', () => {
  it('splits paragraphs at blank lines and trims the spans', () => {
    const text = '  Første avsnitt,\nsom går over to linjer.  \n\n\nAndre avsnitt.\n';
    assert.deepEqual(segmentsOf(text), [
      { start: 2, end: 41 },
      { start: 46, end: 60 },
    ]);
    assert.deepEqual(texts(text), ['Første avsnitt,\nsom går over to linjer.', 'Andre avsnitt.']);
  });

  it('treats whitespace-only lines as blank', () => {
    const text = 'Ett.\n   \t \nTo.\n \nTre.';
    assert.deepEqual(segmentsOf(text), [
      { start: 0, end: 4 },
      { start: 11, end: 14 },
      { start: 17, end: 21 },
    ]);
  });

  it('returns nothing for empty or blank text', () => {
    assert.deepEqual(segmentsOf(''), []);
    assert.deepEqual(segmentsOf('\n \n\t\n'), []);
  });

  it('keeps header lines together and starts a segment at every speaker turn', () => {
    assert.deepEqual(texts(INTERVIEW), [
      'Intervju 07 — Sølvi (pseudonym)\nFiktivt intervju for testene.',
      'Intervjuer: Hvordan var første uka?',
      'Sølvi (00:00:12): Lang. Veldig lang.\nJeg sov nesten ikke.',
      'Intervjuer: Og nå?',
      'Sølvi (00:01:05): Bedre. Jeg har fått jobb på kjøkkenet.',
      'Intervjuer: Hva betyr det for deg?',
    ]);
    const segs = segmentsOf(INTERVIEW);
    assert.equal(segs[3].start, INTERVIEW.indexOf('Intervjuer: Og nå?'));
    assert.equal(segs[3].end, segs[3].start + 'Intervjuer: Og nå?'.length);
  });

  it('recognises Norwegian names with æøå, dots, hyphens, spaces and timestamps', () => {
    const text = [
      'Ærlend Ødegård-Åsen: Hei.',
      'Bjørg K. Æsøy (01:02:03): Hallo.',
      'Per-Øyvind [00:05]: Ja.',
      'I: Neste spørsmål.',
    ].join('\n');
    assert.deepEqual(texts(text), [
      'Ærlend Ødegård-Åsen: Hei.',
      'Bjørg K. Æsøy (01:02:03): Hallo.',
      'Per-Øyvind [00:05]: Ja.',
      'I: Neste spørsmål.',
    ]);
  });

  it('does not start a turn on clock times, URLs or over-long "names"', () => {
    const text = [
      'Vi møttes',
      '10:30: da kom hun.',
      'https://example.invalid er lenken',
      'Dette er en veldig lang innledning som slett ikke er noe navn: men fortsetter.',
    ].join('\n');
    assert.deepEqual(segmentsOf(text), [{ start: 0, end: text.length }]);
  });

  it('starts a segment at a turn after a leading timestamp or bracketed note, as speakerTurns does', () => {
    const text = [
      'Intervjuer: Hvordan var første uka?',
      '[00:01:02] Ola: Lang.',
      '(ler)',
      '(ler) Ola: Veldig lang.',
      '00:01:40 Intervjuer: Og nå?',
      '[00:01:45] (ler) Ola: Bedre.',
      '(ler) og så sa hun: nei',
      'Fiktivt intervju for testene. Opptak: 3. mars',
    ].join('\n');
    assert.deepEqual(texts(text), [
      'Intervjuer: Hvordan var første uka?',
      '[00:01:02] Ola: Lang.\n(ler)',
      '(ler) Ola: Veldig lang.',
      '00:01:40 Intervjuer: Og nå?',
      '[00:01:45] (ler) Ola: Bedre.\n(ler) og så sa hun: nei\nFiktivt intervju for testene. Opptak: 3. mars',
    ]);
    assert.deepEqual(
      segmentsOf(text).map((s) => s.start),
      speakerTurns(text).map((t) => t.start),
    );
  });

  it('splits at a "[00:01:02] Ola:" line', () => {
    const text = 'Intervjuer: Hva skjedde?\n[00:01:02] Ola: Det vet jeg ikke.';
    assert.deepEqual(segmentsOf(text), [
      { start: 0, end: 24 },
      { start: 25, end: text.length },
    ]);
    assert.equal(text.slice(25), '[00:01:02] Ola: Det vet jeg ikke.');
  });

  it('counts offsets in UTF-16 code units with emoji in the text', () => {
    const text = 'Ola: Det var 😀 gøy.\n\nKari: 👍🏽 Enig.';
    const segs = segmentsOf(text);
    assert.deepEqual(segs, [
      { start: 0, end: 20 },
      { start: 22, end: 38 },
    ]);
    assert.equal(text.slice(segs[0].start, segs[0].end), 'Ola: Det var 😀 gøy.');
    assert.equal(text.slice(segs[1].start, segs[1].end), 'Kari: 👍🏽 Enig.');
  });
});

describe('wordsOf', () => {
  const words = (text: string) => {
    const [first] = segmentsOf(text);
    const w = wordsOf(text, first);
    return text.slice(w.start, w.end);
  };

  it('leaves out the speaker label, its timestamp and the space after it', () => {
    assert.equal(words('Ola: Det var lenge siden.'), 'Det var lenge siden.');
    assert.equal(words('Håkon (00:01:20):   I starten hatet jeg det.\nMen nå.'), 'I starten hatet jeg det.\nMen nå.');
    assert.equal(words('[00:01:02] Ola: Lang.'), 'Lang.');
    assert.equal(words('[00:01:45] (ler) Ola: Bedre.'), 'Bedre.');
    assert.equal(words('  Kari:\nOrdene står på neste linje.'), 'Ordene står på neste linje.');
  });

  it('returns a segment without a label whole, and an empty span for a label alone', () => {
    const text = 'Fiktivt intervju for testene. Opptak: 3. mars';
    assert.equal(words(text), text);
    const alone = 'Ola:';
    assert.deepEqual(wordsOf(alone, segmentsOf(alone)[0]), { start: 4, end: 4 });
  });
});

describe('isCoded', () => {
  const text = 'Aaa aaa.\n\nBbb bbb.';
  const [a, b] = segmentsOf(text);

  it('is true for a coding overlapping the segment, false for one that only touches it', () => {
    assert.equal(isCoded(a, [coding(text, 4, 7)]), true);
    assert.equal(isCoded(b, [coding(text, 4, 7)]), false);
    // ends exactly where b starts: no overlap
    assert.equal(isCoded(b, [coding(text, 0, b.start)]), false);
    // spans the gap into b by one unit
    assert.equal(isCoded(b, [coding(text, 0, b.start + 1)]), true);
  });

  it('ignores orphaned codings', () => {
    assert.equal(isCoded(a, [coding(text, 0, 8, true)]), false);
    assert.equal(isCoded(a, [coding(text, 0, 8, true), coding(text, 7, 8)]), true);
  });
});

describe('nextUncoded', () => {
  const seg = (i: number): Segment => segmentsOf(INTERVIEW)[i];
  // segments: 0 header, 1 "Intervjuer: Hvordan…", 2 Sølvi long, 3 "Intervjuer: Og nå?", 4 Sølvi kjøkkenet, 5 last question
  const codings = [
    codingOn(INTERVIEW, 'Veldig lang'), // codes segment 2
    codingOn(INTERVIEW, 'Og nå?'), // codes segment 3
    codingOn(INTERVIEW, 'kjøkkenet', true), // orphaned: segment 4 stays uncoded
    codingOn(INTERVIEW, 'Fiktivt'), // codes segment 0
  ];

  it('finds the next uncoded segment, skipping coded ones', () => {
    const found = nextUncoded(INTERVIEW, codings, seg(1), 'next');
    assert.deepEqual(found, seg(4));
    assert.equal(slice(INTERVIEW, found), 'Sølvi (00:01:05): Bedre. Jeg har fått jobb på kjøkkenet.');
  });

  it('finds the previous uncoded segment, skipping coded ones', () => {
    const found = nextUncoded(INTERVIEW, codings, seg(4).start + 5, 'previous');
    assert.equal(slice(INTERVIEW, found), 'Intervjuer: Hvordan var første uka?');
  });

  it('starts from the segment containing the offset even when that one is coded', () => {
    const from = INTERVIEW.indexOf('Jeg sov'); // inside coded segment 2
    assert.deepEqual(nextUncoded(INTERVIEW, codings, from, 'next'), seg(4));
    assert.equal(slice(INTERVIEW, nextUncoded(INTERVIEW, codings, from, 'previous')), 'Intervjuer: Hvordan var første uka?');
  });

  it('offers the uncoded segment at the cursor, unless the cursor is past it in the direction of travel', () => {
    // the first turn of a transcript, with the cursor at the very top
    const text = 'Ola: Første.\nKari: Andre.';
    assert.equal(slice(text, nextUncoded(text, [], 0, 'next')), 'Ola: Første.');
    // inside an uncoded turn: that turn, either way
    const inside = seg(1).start + 15;
    assert.deepEqual(nextUncoded(INTERVIEW, [], inside, 'next'), seg(1));
    assert.deepEqual(nextUncoded(INTERVIEW, [], inside, 'previous'), seg(1));
    // at its end, 'next' is past it; at the start of its words (or in its label), 'previous' is
    assert.deepEqual(nextUncoded(INTERVIEW, [], seg(1).end, 'next'), seg(2));
    assert.deepEqual(nextUncoded(INTERVIEW, [], seg(1).end, 'previous'), seg(1));
    assert.deepEqual(nextUncoded(INTERVIEW, [], wordsOf(INTERVIEW, seg(1)).start, 'previous'), seg(0));
    assert.deepEqual(nextUncoded(INTERVIEW, [], seg(1).start + 3, 'previous'), seg(0));
    assert.deepEqual(nextUncoded(INTERVIEW, [], seg(1).start, 'next'), seg(1));
  });

  it('walks on from a selection: pressing again after a stop never offers the same segment', () => {
    let at: Segment | undefined = { start: 0, end: 0 };
    const stops: string[] = [];
    for (let n = 0; n < 10; n++) {
      const found = nextUncoded(INTERVIEW, codings, at, 'next');
      if (!found) break;
      stops.push(slice(INTERVIEW, found)!);
      at = wordsOf(INTERVIEW, found); // the command selects the words
    }
    assert.deepEqual(stops.map((t) => t.slice(0, 12)), ['Intervjuer: ', 'Sølvi (00:01', 'Intervjuer: ']);
    // and backwards, from the last turn's words, with the cursor where the selection started
    const back: string[] = [];
    at = wordsOf(INTERVIEW, seg(5));
    for (let n = 0; n < 10; n++) {
      const found: Segment | undefined = nextUncoded(INTERVIEW, [], at, 'previous');
      if (!found) break;
      back.push(slice(INTERVIEW, found)!.slice(0, 12));
      at = n % 2 ? wordsOf(INTERVIEW, found) : { start: wordsOf(INTERVIEW, found).start, end: wordsOf(INTERVIEW, found).start };
    }
    assert.deepEqual(back, ['Sølvi (00:01', 'Intervjuer: ', 'Sølvi (00:00', 'Intervjuer: ', 'Intervju 07 ']);
  });

  it('a selection of part of a turn counts as that turn; a selection ending at the next line start does not take that line', () => {
    const words = INTERVIEW.indexOf('Veldig lang.');
    const part = { start: words, end: words + 6 };
    assert.deepEqual(nextUncoded(INTERVIEW, [], part, 'next'), seg(3));
    assert.deepEqual(nextUncoded(INTERVIEW, [], part, 'previous'), seg(1));
    // a line selected with its line break (a triple click) ends where the next turn starts
    const line = { start: seg(3).start, end: seg(4).start };
    assert.deepEqual(nextUncoded(INTERVIEW, [], line, 'next'), seg(4));
  });

  it('never stops at a turn that holds only its label', () => {
    const text = 'Ola:\n\nKari: Noe å kode.';
    assert.equal(slice(text, nextUncoded(text, [], 0, 'next')), 'Kari: Noe å kode.');
    assert.equal(nextUncoded(text, [], text.indexOf('Kari'), 'previous'), undefined);
  });

  it('between segments takes the next one starting at or after the offset, the previous one ending before it', () => {
    const gap = seg(1).end + 1; // on the blank line between segments 1 and 2
    assert.deepEqual(nextUncoded(INTERVIEW, [], gap, 'next'), seg(2));
    assert.deepEqual(nextUncoded(INTERVIEW, [], gap, 'previous'), seg(1));
    // with 2 coded, 'next' from the gap goes on to 4 (3 coded too); 'previous' takes 1
    assert.deepEqual(nextUncoded(INTERVIEW, codings, gap, 'next'), seg(4));
    assert.deepEqual(nextUncoded(INTERVIEW, codings, gap, 'previous'), seg(1));
  });

  it('before the first or after the last segment', () => {
    const text = '\n\nFørst.\n\nSist.\n\n';
    assert.deepEqual(nextUncoded(text, [], 0, 'next'), { start: 2, end: 8 });
    assert.equal(nextUncoded(text, [], 0, 'previous'), undefined);
    assert.deepEqual(nextUncoded(text, [], text.length, 'previous'), { start: 10, end: 15 });
    assert.equal(nextUncoded(text, [], text.length, 'next'), undefined);
  });

  it('passes over the segments it is told to skip (turns left out of the analysis)', () => {
    const interviewer = (x: Segment) => INTERVIEW.slice(x.start, x.end).startsWith('Intervjuer:');
    // from the header, the first uncoded segment is the interviewer's question (1), unless it is skipped: then 4
    assert.deepEqual(nextUncoded(INTERVIEW, codings, seg(0).start, 'next'), seg(1));
    assert.deepEqual(nextUncoded(INTERVIEW, codings, seg(0).start, 'next', interviewer), seg(4));
    assert.equal(nextUncoded(INTERVIEW, codings, seg(4).start, 'previous', interviewer), undefined);
  });

  it('returns undefined at the end without wrapping around', () => {
    assert.equal(nextUncoded(INTERVIEW, codings, seg(5), 'next'), undefined);
    assert.equal(nextUncoded(INTERVIEW, codings, seg(5).end, 'next'), undefined);
    assert.equal(nextUncoded(INTERVIEW, codings, seg(0).start, 'previous'), undefined);
    // everything after segment 3 coded: nothing next, even though segment 1 is uncoded
    const more = [...codings, codingOn(INTERVIEW, 'Bedre'), codingOn(INTERVIEW, 'Hva betyr')];
    assert.equal(nextUncoded(INTERVIEW, more, seg(3).start, 'next'), undefined);
    assert.equal(slice(INTERVIEW, nextUncoded(INTERVIEW, more, seg(3).start, 'previous')), 'Intervjuer: Hvordan var første uka?');
  });

  it('takes codings in any order and a coding spanning several segments', () => {
    const spanning = coding(INTERVIEW, seg(1).start + 2, seg(3).start + 1); // covers 1, 2 and 3
    const unsorted = [codingOn(INTERVIEW, 'Hva betyr'), spanning, codingOn(INTERVIEW, 'Fiktivt')];
    assert.deepEqual(nextUncoded(INTERVIEW, unsorted, 0, 'next'), seg(4));
    assert.equal(nextUncoded(INTERVIEW, unsorted, seg(4).start, 'previous'), undefined);
  });

  it('passes over the turns of excluded speakers, compared ignoring case, paragraphs of their turns too', () => {
    const text = 'Intervjuer: Første spørsmål?\n\nOg en fortsettelse.\n\nOla: Svar.\n\nintervjuer: Neste?\nOla: Svar to.';
    const skip = excludedTurnTest(text, ['INTERVJUER']);
    assert.ok(skip);
    const stops: string[] = [];
    for (let at: Segment | undefined = { start: 0, end: 0 }; at; ) {
      at = nextUncoded(text, [], at, 'next', skip);
      if (at) stops.push(slice(text, at)!);
    }
    assert.deepEqual(stops, ['Ola: Svar.', 'Ola: Svar to.']);
    assert.equal(excludedTurnTest(text, []), undefined);
  });

  it('returns undefined for text without segments', () => {
    assert.equal(nextUncoded('', [], 0, 'next'), undefined);
    assert.equal(nextUncoded('\n\n', [], 1, 'previous'), undefined);
  });

  it('handles 1 MB of text with 5,000 codings quickly', () => {
    const paragraph = 'Intervjuer: Hva skjedde?\nOla (00:00:01): Det vet jeg ikke helt. 😀\n\n';
    const big = paragraph.repeat(Math.ceil(1_000_000 / paragraph.length));
    const segs = segmentsOf(big);
    assert.ok(segs.length > 20_000);
    // code every segment except the last one, with 5,000 long codings given in reverse order
    const lastStart = segs[segs.length - 1].start;
    const step = Math.ceil((segs.length - 1) / 5000);
    const many: Coding[] = [];
    for (let i = 0; i < segs.length - 1; i += step) {
      const endIdx = Math.min(i + step, segs.length - 1) - 1;
      many.push(coding(big, segs[i].start, segs[endIdx].end));
    }
    many.reverse();
    assert.ok(many.length >= 4900 && many.length <= 5000);
    const t0 = Date.now();
    const found = nextUncoded(big, many, 0, 'next');
    const elapsed = Date.now() - t0;
    assert.deepEqual(found, segs[segs.length - 1]);
    assert.equal(found?.start, lastStart);
    assert.ok(elapsed < 2000, `took ${elapsed} ms`);
  });
});
