import * as assert from 'node:assert/strict';
import { wordsAtCursor } from '../../src/core/wordsAtCursor';

const TEXT = [
  'Intervju 3 — fiktivt. Opptak: 3. mars.',
  '',
  'Intervjuer: Hvordan har du det?',
  '',
  'Håkon (00:01:10): Jeg ringer datteren min.',
  'Hver søndag.',
  '',
  '[00:02:00] (ler) Sølvi: Ja.',
  '',
  'Ola:',
  '',
].join('\n');

const words = (offset: number) => {
  const w = wordsAtCursor(TEXT, offset);
  return w && { ...w, text: TEXT.slice(w.start, w.end) };
};

describe('wordsAtCursor: the words to code when nothing is selected', () => {
  it('is the turn at the cursor without its label, over all its lines', () => {
    const w = words(TEXT.indexOf('datteren'));
    assert.deepEqual(w, { start: TEXT.indexOf('Jeg ringer'), end: TEXT.indexOf('søndag.') + 7, kind: 'turn', speaker: 'Håkon', text: 'Jeg ringer datteren min.\nHver søndag.' });
  });

  it('leaves out a label with a timestamp in brackets, and leading timestamps and notes', () => {
    assert.equal(words(TEXT.indexOf('Håkon'))?.text, 'Jeg ringer datteren min.\nHver søndag.', 'the cursor on the label');
    assert.equal(words(TEXT.indexOf('Sølvi'))?.text, 'Ja.');
  });

  it('takes the turn when the cursor is just after its last word', () => {
    assert.equal(words(TEXT.indexOf('det?') + 4)?.text, 'Hvordan har du det?');
  });

  it('is the paragraph at the cursor where no turn is (a header), and nothing on a blank line or a bare label', () => {
    assert.deepEqual(wordsAtCursor(TEXT, 3), { start: 0, end: TEXT.indexOf('\n'), kind: 'paragraph' });
    assert.equal(words(TEXT.indexOf('\n\nIntervjuer') + 1), undefined);
    assert.equal(words(TEXT.indexOf('Ola:') + 1), undefined);
  });
});
