import * as assert from 'node:assert/strict';
import type { Coding, ProjectFile } from '../../src/core/model';
import { newProject } from '../../src/core/project';
import { analyse } from '../../src/core/analysis';
import {
  excludedSpeakers,
  isExcludedCoding,
  labelLengthOf,
  looksLikeInterviewer,
  speakersAcross,
  speakersOf,
  speakerTurns,
  turnIndexAt,
  turnStartOf,
} from '../../src/core/speakers';
import { testEnv } from './fixtures';

// A fictional interview: a header without turns, turns with and without timestamps, a turn over two
// paragraphs, blank lines between turns.
const INTERVIEW = [
  'Intervju 12 — Sølvi (pseudonym)',
  'Fiktivt intervju for testene. Opptak: 3. mars.',
  '',
  'Intervjuer: Hvordan var første uka?',
  '',
  'Sølvi (00:00:12): Lang. Veldig lang.',
  'Jeg sov nesten ikke.',
  '',
  'Intervjuer (00:01:40): Og nå?',
  'Sølvi: Nå teller jeg dagene baklengs.',
  '',
  '',
].join('\n');

const at = (text: string, words: string): number => {
  const i = text.indexOf(words);
  assert.ok(i >= 0, `not in the text: ${words}`);
  return i;
};

let n = 0;
function coding(start: number, end: number, orphaned = false): Coding {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    codeId: '00000000-0000-4000-8000-999999999999',
    anchor: { start, end, prefix: '', quote: '', suffix: '' },
    coder: 'Kari',
    created: '2026-11-05T12:00:00.000Z',
    ...(orphaned ? { orphaned: true } : {}),
  };
}
/** A coding over the first occurrence of `words`. */
const on = (text: string, words: string, orphaned = false) => coding(at(text, words), at(text, words) + words.length, orphaned);

/** A project with the one code every coding here carries, and the speakers it leaves out. */
function project(excluded?: string[]): ProjectFile {
  const p = newProject('Test', testEnv());
  const code = { id: '00000000-0000-4000-8000-999999999999', name: 'code', color: '#4e79a7', created: '2026-11-05T12:00:00.000Z', createdBy: 'Kari' };
  const withCode = { ...p, codes: [code] };
  return excluded ? { ...withCode, settings: { ...p.settings, excludedSpeakers: excluded } } : withCode;
}

/** The documents of an analysis with the codings that count (without the orphans listed beside them). */
const counted = (documents: readonly { path: string; codings: readonly Coding[] }[]) => documents.map((d) => ({ path: d.path, codings: d.codings }));

describe('speakers', () => {
  describe('turnStartOf', () => {
    it('reads "Name:" and "Name (hh:mm:ss):" at the start of a line', () => {
      assert.deepEqual(turnStartOf('Intervjuer: Hvordan går det?'), { speaker: 'Intervjuer' });
      assert.deepEqual(turnStartOf('Sølvi (00:12:03): Bra.'), { speaker: 'Sølvi', timestamp: '00:12:03' });
      assert.deepEqual(turnStartOf('Sølvi [12:03]: Bra.'), { speaker: 'Sølvi', timestamp: '12:03' });
      assert.deepEqual(turnStartOf('Sølvi (0:12:03.5): Bra.'), { speaker: 'Sølvi', timestamp: '0:12:03.5' });
    });

    it('takes names of several words, with hyphens, dots and digits, and leading spaces', () => {
      assert.deepEqual(turnStartOf('Anne-Lise Berg: Ja.'), { speaker: 'Anne-Lise Berg' });
      assert.deepEqual(turnStartOf('  Dr. Holm: Ja.'), { speaker: 'Dr. Holm' });
      assert.deepEqual(turnStartOf('P3: Ja.'), { speaker: 'P3' });
      assert.deepEqual(turnStartOf('Åse :  Ja.'), { speaker: 'Åse' });
    });

    it('takes a name alone on its line, the turn following below', () => {
      assert.deepEqual(turnStartOf('Intervjuer:'), { speaker: 'Intervjuer' });
      assert.deepEqual(turnStartOf('Intervjuer:\t'), { speaker: 'Intervjuer' });
    });

    it('takes an apostrophe in a name', () => {
      assert.deepEqual(turnStartOf("O'Neill: Yes."), { speaker: "O'Neill" });
      assert.deepEqual(turnStartOf('D’Angelo (00:01:02): Yes.'), { speaker: 'D’Angelo', timestamp: '00:01:02' });
    });

    it('is not fooled by clock times, links, plain sentences or very long labels', () => {
      assert.equal(turnStartOf('Kl. 07:30 kommer betjenten.'), undefined);
      assert.equal(turnStartOf('https://example.org/intervju'), undefined);
      assert.equal(turnStartOf('Vi snakket lenge, og så sa hun: nei.'), undefined);
      assert.equal(turnStartOf('12: tolv'), undefined);
      assert.equal(turnStartOf(''), undefined);
      assert.equal(turnStartOf('Sølvi(00:12:03)Bra.'), undefined);
      assert.equal(turnStartOf(`${'A'.repeat(41)}: for lang`), undefined);
      assert.deepEqual(turnStartOf(`${'A'.repeat(40)}: akkurat nok`), { speaker: 'A'.repeat(40) });
    });

    it('reads a label after a leading timestamp or bracketed note', () => {
      assert.deepEqual(turnStartOf('[00:01:02] Ola: ja'), { speaker: 'Ola', timestamp: '00:01:02' });
      assert.deepEqual(turnStartOf('(ler) Ola: ja'), { speaker: 'Ola' });
      assert.deepEqual(turnStartOf('00:01:02 Ola: ja'), { speaker: 'Ola', timestamp: '00:01:02' });
      assert.deepEqual(turnStartOf('[00:01:02] (ler) Ola: ja'), { speaker: 'Ola', timestamp: '00:01:02' });
      assert.deepEqual(turnStartOf('Ola (00:12:03): ja'), { speaker: 'Ola', timestamp: '00:12:03' });
      assert.deepEqual(turnStartOf('Ola [00:12:03]: ja'), { speaker: 'Ola', timestamp: '00:12:03' });
    });

    it('takes every kind of leading item: timestamps bare or in brackets, notes in ( ) or [ ], tabs between', () => {
      assert.deepEqual(turnStartOf('1:02 Ola: ja'), { speaker: 'Ola', timestamp: '1:02' });
      assert.deepEqual(turnStartOf('00:01:02.5 Ola: ja'), { speaker: 'Ola', timestamp: '00:01:02.5' });
      assert.deepEqual(turnStartOf('(00:01:02) Ola: ja'), { speaker: 'Ola', timestamp: '00:01:02' });
      assert.deepEqual(turnStartOf('[latter] Ola: ja'), { speaker: 'Ola' });
      assert.deepEqual(turnStartOf('(pause)\tOla: ja'), { speaker: 'Ola' });
      assert.deepEqual(turnStartOf('[inaudible 00:03] Ola: ja'), { speaker: 'Ola' });
      assert.deepEqual(turnStartOf('  (ler) [00:01:02]  Anne-Lise Berg: ja'), { speaker: 'Anne-Lise Berg', timestamp: '00:01:02' });
      assert.deepEqual(turnStartOf('[00:01:02] (ler) [pause] Ola: ja'), { speaker: 'Ola', timestamp: '00:01:02' });
    });

    it('prefers the timestamp after the name to a leading one', () => {
      assert.deepEqual(turnStartOf('[00:01:02] Ola (00:01:05): ja'), { speaker: 'Ola', timestamp: '00:01:05' });
      assert.deepEqual(turnStartOf('(ler) 00:01:02 Ola: ja'), { speaker: 'Ola', timestamp: '00:01:02' });
    });

    it('does not take a note without a label, speech after a note, or too many or too long leading items', () => {
      assert.equal(turnStartOf('(ler)'), undefined);
      assert.equal(turnStartOf('[00:01:02]'), undefined);
      assert.equal(turnStartOf('00:01:02 ja, det var det'), undefined);
      assert.equal(turnStartOf('(ler) og så sa hun: nei'), undefined);
      assert.equal(turnStartOf('(ler) Fiktivt intervju for testene. Opptak: 3. mars'), undefined);
      assert.equal(turnStartOf('Fiktivt intervju for testene. Opptak: 3. mars'), undefined);
      assert.equal(turnStartOf('(ler)Ola: ja'), undefined);
      assert.equal(turnStartOf('(a) (b) (c) (d) Ola: ja'), undefined);
      assert.equal(turnStartOf(`(${'x'.repeat(41)}) Ola: ja`), undefined);
      assert.deepEqual(turnStartOf(`(${'x'.repeat(40)}) Ola: ja`), { speaker: 'Ola' });
      assert.equal(turnStartOf('(ler\n) Ola: ja'), undefined);
      assert.equal(turnStartOf('10:30: da kom hun.'), undefined);
    });
  });

  describe('speakerTurns', () => {
    it('finds every turn in text order; each runs to the next, trailing blank lines excluded', () => {
      const turns = speakerTurns(INTERVIEW);
      assert.deepEqual(
        turns.map((t) => [t.speaker, t.timestamp, INTERVIEW.slice(t.start, t.end)]),
        [
          ['Intervjuer', undefined, 'Intervjuer: Hvordan var første uka?'],
          ['Sølvi', '00:00:12', 'Sølvi (00:00:12): Lang. Veldig lang.\nJeg sov nesten ikke.'],
          ['Intervjuer', '00:01:40', 'Intervjuer (00:01:40): Og nå?'],
          ['Sølvi', undefined, 'Sølvi: Nå teller jeg dagene baklengs.'],
        ],
      );
    });

    it('leaves text before the first turn in no turn (the header may contain "Opptak:" mid-line)', () => {
      const first = speakerTurns(INTERVIEW)[0];
      assert.equal(first.start, at(INTERVIEW, 'Intervjuer:'));
    });

    it('starts a turn after a leading timestamp or note; a line with only a note stays in the turn above', () => {
      const text = ['Intervjuer: Hva skjedde?', '(ler)', '[00:01:02] Ola: Det vet jeg ikke.', '(ler) og så sa hun: nei', '00:02:00 Intervjuer: Og så?', '(ler) Ola: Ja.'].join('\n');
      assert.deepEqual(
        speakerTurns(text).map((t) => [t.speaker, t.timestamp, text.slice(t.start, t.end)]),
        [
          ['Intervjuer', undefined, 'Intervjuer: Hva skjedde?\n(ler)'],
          ['Ola', '00:01:02', '[00:01:02] Ola: Det vet jeg ikke.\n(ler) og så sa hun: nei'],
          ['Intervjuer', '00:02:00', '00:02:00 Intervjuer: Og så?'],
          ['Ola', undefined, '(ler) Ola: Ja.'],
        ],
      );
    });

    it('gives nothing for a text without turns, or an empty text', () => {
      assert.deepEqual(speakerTurns('Bare en tekst.\nUten navn.'), []);
      assert.deepEqual(speakerTurns(''), []);
    });

    it('ends the last turn at the end of a text without a final newline', () => {
      const text = 'Ola: Hei.\nKari: Hade.';
      assert.deepEqual(
        speakerTurns(text).map((t) => text.slice(t.start, t.end)),
        ['Ola: Hei.', 'Kari: Hade.'],
      );
    });
  });

  describe('turnIndexAt', () => {
    const turns = speakerTurns(INTERVIEW);
    it('finds the turn containing an offset, start inclusive and end exclusive', () => {
      assert.equal(turnIndexAt(turns, turns[1].start), 1);
      assert.equal(turnIndexAt(turns, at(INTERVIEW, 'Jeg sov')), 1);
      assert.equal(turnIndexAt(turns, turns[1].end - 1), 1);
      assert.equal(turnIndexAt(turns, turns[3].end - 1), 3);
    });
    it('gives -1 before the first turn, between turns and after the last', () => {
      assert.equal(turnIndexAt(turns, 0), -1);
      assert.equal(turnIndexAt(turns, turns[0].end), -1);
      assert.equal(turnIndexAt(turns, turns[3].end), -1);
      assert.equal(turnIndexAt([], 5), -1);
    });
  });

  describe('speakersOf', () => {
    it('counts the turns of every speaker, most first, then by name', () => {
      assert.deepEqual(speakersOf(INTERVIEW), [
        { speaker: 'Intervjuer', turns: 2 },
        { speaker: 'Sølvi', turns: 2 },
      ]);
      assert.deepEqual(speakersOf('Ola: a\nKari: b\nOla: c\nBerit: d\n'), [
        { speaker: 'Ola', turns: 2 },
        { speaker: 'Berit', turns: 1 },
        { speaker: 'Kari', turns: 1 },
      ]);
      assert.deepEqual(speakersOf('ingen turer'), []);
    });
  });

  describe('isExcludedCoding', () => {
    const turns = speakerTurns(INTERVIEW);

    it('excludes a coding wholly inside an excluded speaker\'s turn, ignoring case', () => {
      assert.equal(isExcludedCoding(turns, on(INTERVIEW, 'Hvordan var første uka?'), ['Intervjuer']), true);
      assert.equal(isExcludedCoding(turns, on(INTERVIEW, 'Hvordan var første uka?'), ['intervjuer']), true);
      assert.equal(isExcludedCoding(turns, on(INTERVIEW, 'Og nå?'), ['INTERVJUER']), true);
    });

    it('keeps a coding in another speaker\'s turn, and everything when nobody is excluded', () => {
      assert.equal(isExcludedCoding(turns, on(INTERVIEW, 'Veldig lang.'), ['Intervjuer']), false);
      assert.equal(isExcludedCoding(turns, on(INTERVIEW, 'Hvordan var første uka?'), []), false);
    });

    it('keeps a coding that runs from an excluded turn into another speaker\'s turn', () => {
      const start = at(INTERVIEW, 'Og nå?');
      const end = at(INTERVIEW, 'Nå teller') + 3;
      assert.equal(isExcludedCoding(turns, coding(start, end), ['Intervjuer']), false);
    });

    it('excludes a coding over two turns of excluded speakers, and one ending in the blank lines after a turn', () => {
      const start = at(INTERVIEW, 'Hvordan');
      assert.equal(isExcludedCoding(turns, coding(start, at(INTERVIEW, 'Lang.') + 5), ['Intervjuer', 'sølvi']), true);
      assert.equal(isExcludedCoding(turns, coding(start, turns[0].end + 2), ['Intervjuer']), true);
    });

    it('excludes a coding that starts in the blank lines before an excluded turn', () => {
      // The selection began at the end of the previous turn's paragraph (a line break before "Intervjuer (00:01:40)").
      const start = turns[1].end;
      assert.equal(isExcludedCoding(turns, coding(start, turns[2].end), ['Intervjuer']), true);
      assert.equal(isExcludedCoding(turns, coding(start, turns[2].end), ['Sølvi']), false);
    });

    it('never excludes a coding outside any turn, a coding that starts in the header, or an orphaned coding', () => {
      assert.equal(isExcludedCoding(turns, on(INTERVIEW, 'Fiktivt intervju'), ['Intervjuer']), false);
      assert.equal(isExcludedCoding(turns, coding(at(INTERVIEW, 'Fiktivt'), at(INTERVIEW, 'uka?')), ['Intervjuer']), false);
      assert.equal(isExcludedCoding(turns, coding(turns[0].end, turns[0].end + 1), ['Intervjuer']), false);
      assert.equal(isExcludedCoding(turns, on(INTERVIEW, 'Og nå?', true), ['Intervjuer']), false);
      assert.equal(isExcludedCoding([], on(INTERVIEW, 'Og nå?'), ['Intervjuer']), false);
    });

    it('treats an empty coding by the turn it sits in', () => {
      const i = at(INTERVIEW, 'Og nå?');
      assert.equal(isExcludedCoding(turns, coding(i, i), ['Intervjuer']), true);
      assert.equal(isExcludedCoding(turns, coding(i, i), ['Sølvi']), false);
    });
  });

  describe('the analysis and speaker turns (core/analysis.ts analyse)', () => {
    const interviewer = on(INTERVIEW, 'Hvordan var første uka?');
    const participant = on(INTERVIEW, 'Veldig lang.');
    const orphan = on(INTERVIEW, 'Jeg sov', true);
    const docs = [{ path: 'intervjuer/solvi.txt', codings: [interviewer, participant, orphan] }];

    it('leaves out orphans and the codings in excluded speakers\' turns', () => {
      const result = counted(analyse({ project: project(['Intervjuer']), documents: docs, textOf: () => INTERVIEW }).documents);
      assert.deepEqual(result, [{ path: 'intervjuer/solvi.txt', codings: [participant] }]);
    });

    it('leaves out only orphans when no speaker is excluded, without reading any text', () => {
      const result = counted(analyse({ project: project(), documents: docs, textOf: () => assert.fail('no text needed') }).documents);
      assert.deepEqual(result, [{ path: 'intervjuer/solvi.txt', codings: [interviewer, participant] }]);
    });

    it('keeps every live coding of a transcript that cannot be read', () => {
      const result = analyse({ project: project(['Intervjuer']), documents: docs, textOf: () => undefined }).documents;
      assert.deepEqual(result[0].codings, [interviewer, participant]);
    });

    it('counts a coding in a participant\'s turn that starts after a note or a timestamp', () => {
      const text = ['Intervjuer: Hvordan var første uka?', '(ler) Ola: Lang, veldig lang.', 'Intervjuer: Og nå?', '[00:01:02] Ola: Bedre.', ''].join('\n');
      const laughing = on(text, 'veldig lang');
      const later = on(text, 'Bedre');
      const asked = on(text, 'Og nå?');
      const turns = speakerTurns(text);
      assert.equal(isExcludedCoding(turns, laughing, ['Intervjuer']), false);
      assert.equal(isExcludedCoding(turns, later, ['Intervjuer']), false);
      assert.equal(isExcludedCoding(turns, asked, ['Intervjuer']), true);
      const result = counted(analyse({ project: project(['Intervjuer']), documents: [{ path: 'ola.txt', codings: [laughing, asked, later] }], textOf: () => text }).documents);
      assert.deepEqual(result, [{ path: 'ola.txt', codings: [laughing, later] }]);
    });

    it('reads settings.excludedSpeakers', () => {
      assert.deepEqual(excludedSpeakers(project(['Intervjuer'])), ['Intervjuer']);
      assert.deepEqual(excludedSpeakers(project()), []);
    });
  });
});

describe('speaker labels', () => {
  it('measures the label up to its colon, with leading timestamps and notes; 0 for a line that starts no turn', () => {
    const rest = (line: string) => line.slice(labelLengthOf(line));
    assert.equal(rest('Ola: Hei.'), ' Hei.');
    assert.equal(rest('  Håkon (00:01:20): I starten.'), ' I starten.');
    assert.equal(rest('[00:01:02] (ler) Ola: Bedre.'), ' Bedre.');
    assert.equal(rest('Per-Øyvind [00:05]: Ja.'), ' Ja.');
    assert.equal(labelLengthOf('Fiktivt intervju for testene. Opptak: 3. mars'), 0);
    assert.equal(labelLengthOf('(ler) og så sa hun: nei'), 0);
  });

  it('counts speakers across transcripts: turns, transcripts, most turns first', () => {
    const one = 'Intervjuer: Hei.\nOla: Hei.\nIntervjuer: Og?\nOla: Ja.\nIntervjuer: Takk.';
    const two = 'Intervjuer: Hei.\nKari: Hallo.';
    assert.deepEqual(speakersAcross([one, two, 'Ingen turer her.']), [
      { speaker: 'Intervjuer', turns: 4, documents: 2 },
      { speaker: 'Ola', turns: 2, documents: 1 },
      { speaker: 'Kari', turns: 1, documents: 1 },
    ]);
    assert.deepEqual(speakersAcross([]), []);
  });

  it('knows the labels transcribers give interviewers, ignoring case', () => {
    for (const label of ['I', 'int', 'Intervjuer', 'INTERVIEWER', 'Moderator', 'forsker', 'Researcher']) assert.ok(looksLikeInterviewer(label), label);
    for (const label of ['Ola', 'Intervjuet', 'Deltaker', 'Ingrid']) assert.equal(looksLikeInterviewer(label), false, label);
  });
});
