import * as assert from 'node:assert/strict';
import { shiftAnchor, shiftCodings, TextChange } from '../../src/core/anchor';
import { CONTEXT_LENGTH, Coding } from '../../src/core/model';
import { contextOf, makeAnchor, normalizeEol, normalizeSpan } from '../../src/core/text';

// A fictional interview with a former inmate (Norwegian), used across the tests.
const INTERVIEW = [
  'I: Hvordan var den første natten på cella?',
  'R: Jeg fikk ikke sove. Lyden av dørene som ble låst, den glemmer jeg aldri.',
  'I: Og besøkene?',
  'R: Søsteren min kom hver søndag. Det var det eneste jeg så frem til i uka.',
  'I: Hva med arbeid inne?',
  'R: Jeg jobbet på verkstedet. Det ga dagene en slags form, ærlig talt.',
].join('\n');

function span(text: string, phrase: string): { start: number; end: number } {
  const start = text.indexOf(phrase);
  assert.notEqual(start, -1, `test text lacks "${phrase}"`);
  return { start, end: start + phrase.length };
}

/** Apply changes given in pre-event coordinates, the way an editor does. */
function applyChanges(text: string, changes: TextChange[]): string {
  const sorted = [...changes].sort((a, b) => b.offset - a.offset || b.length - a.length);
  let out = text;
  for (const c of sorted) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  return out;
}

function coding(id: string, text: string, phrase: string, extra: Partial<Coding> = {}): Coding {
  const { start, end } = span(text, phrase);
  return {
    id,
    codeId: 'code-' + id,
    anchor: makeAnchor(text, start, end),
    coder: 'ingrid',
    created: '2025-01-01T00:00:00.000Z',
    ...extra,
  };
}

describe('text helpers', () => {
  it('normalises CRLF and lone CR to LF', () => {
    assert.equal(normalizeEol('a\r\nb\rc\nd\r\n\r\n'), 'a\nb\nc\nd\n\n');
    assert.equal(normalizeEol('ingen linjeskift'), 'ingen linjeskift');
  });

  it('makes an anchor with 32 units of context on each side', () => {
    const { start, end } = span(INTERVIEW, 'Søsteren min kom hver søndag.');
    const a = makeAnchor(INTERVIEW, start, end);
    assert.equal(a.start, start);
    assert.equal(a.end, end);
    assert.equal(a.quote, 'Søsteren min kom hver søndag.');
    assert.equal(a.prefix, INTERVIEW.slice(start - CONTEXT_LENGTH, start));
    assert.equal(a.prefix.length, 32);
    assert.equal(a.suffix, ' Det var det eneste jeg så frem ');
    assert.equal(a.suffix.length, 32);
  });

  it('shortens the context at the start and end of the document', () => {
    const head = makeAnchor(INTERVIEW, 3, 10);
    assert.equal(head.prefix, 'I: ');
    assert.equal(head.quote, 'Hvordan');
    const tail = makeAnchor(INTERVIEW, INTERVIEW.length - 5, INTERVIEW.length);
    assert.equal(tail.quote, 'talt.');
    assert.equal(tail.suffix, '');
    assert.equal(tail.start, INTERVIEW.length - 5);
    assert.equal(tail.prefix, INTERVIEW.slice(-37, -5));
  });

  it('counts Norwegian letters as one unit each', () => {
    const text = 'Æ, ø og å: Økonomien på soning var vanskelig.';
    const a = makeAnchor(text, 11, 20);
    assert.equal(a.quote, 'Økonomien');
    assert.equal(a.prefix, 'Æ, ø og å: ');
  });

  it('never cuts a surrogate pair at a context edge', () => {
    // 31 ASCII units, then an emoji (2 units) right where the 32-unit limit falls.
    const text = '😀' + 'x'.repeat(30) + ' Jeg savnet barna. ' + 'y'.repeat(30) + '🙂' + ' slutt';
    const { start, end } = span(text, 'Jeg savnet barna.');
    const a = makeAnchor(text, start, end);
    assert.equal(start - 32, 1, 'the prefix limit falls inside the emoji');
    assert.equal(a.prefix, 'x'.repeat(30) + ' ');
    assert.equal(a.suffix, ' ' + 'y'.repeat(30));
    assert.equal(a.quote, 'Jeg savnet barna.');
    // And where the whole emoji fits, it is kept.
    const b = makeAnchor(text, start - 1, end + 1);
    assert.equal(b.prefix, '😀' + 'x'.repeat(30));
    assert.equal(b.suffix, 'y'.repeat(30) + '🙂');
  });

  it('widens a span that cuts an emoji in half to the whole emoji', () => {
    const text = 'Han sa 👍🏽 og gikk';
    const thumb = text.indexOf('👍');
    assert.deepEqual(normalizeSpan(text, thumb + 1, thumb + 3), { start: thumb, end: thumb + 4 });
    const a = makeAnchor(text, thumb + 1, thumb + 3);
    assert.equal(a.quote, '👍🏽');
    assert.deepEqual(contextOf(text, a.start, a.end), { prefix: 'Han sa ', suffix: ' og gikk' });
  });

  it('clamps and orders spans outside the text', () => {
    assert.deepEqual(normalizeSpan('abcdef', 9, 2), { start: 2, end: 6 });
    assert.deepEqual(normalizeSpan('abcdef', -4, 1), { start: 0, end: 1 });
  });
});

describe('shiftAnchor', () => {
  // The segment [20, 30) throughout.
  const seg = { start: 20, end: 30 };
  const shift = (...changes: TextChange[]) => shiftAnchor(seg, changes);
  const ins = (offset: number, text: string): TextChange => ({ offset, length: 0, text });
  const del = (offset: number, length: number): TextChange => ({ offset, length, text: '' });
  const rep = (offset: number, length: number, text: string): TextChange => ({ offset, length, text });

  it('shifts both ends for edits before the segment', () => {
    assert.deepEqual(shift(ins(5, 'hei ')), { start: 24, end: 34, collapsed: false });
    assert.deepEqual(shift(del(5, 5)), { start: 15, end: 25, collapsed: false });
    assert.deepEqual(shift(rep(5, 3, 'abcde')), { start: 22, end: 32, collapsed: false });
  });

  it('treats an insertion exactly at the start as before', () => {
    assert.deepEqual(shift(ins(20, 'ÆØÅ')), { start: 23, end: 33, collapsed: false });
  });

  it('treats an edit ending exactly at the start as before', () => {
    assert.deepEqual(shift(del(15, 5)), { start: 15, end: 25, collapsed: false });
    assert.deepEqual(shift(rep(15, 5, 'ab')), { start: 17, end: 27, collapsed: false });
  });

  it('leaves the segment alone for edits after it', () => {
    assert.deepEqual(shift(ins(31, 'x')), { start: 20, end: 30, collapsed: false });
    assert.deepEqual(shift(del(40, 10)), { start: 20, end: 30, collapsed: false });
    assert.deepEqual(shift(rep(30, 4, 'ny tekst')), { start: 20, end: 30, collapsed: false });
  });

  it('does not take in an insertion exactly at the end', () => {
    assert.deepEqual(shift(ins(30, 'mer')), { start: 20, end: 30, collapsed: false });
  });

  it('moves only the end for edits inside', () => {
    assert.deepEqual(shift(ins(25, '😀')), { start: 20, end: 32, collapsed: false });
    assert.deepEqual(shift(del(22, 4)), { start: 20, end: 26, collapsed: false });
    assert.deepEqual(shift(rep(22, 2, 'øøøø')), { start: 20, end: 32, collapsed: false });
  });

  it('counts edits that start at the start or end at the end as inside', () => {
    assert.deepEqual(shift(del(20, 3)), { start: 20, end: 27, collapsed: false });
    assert.deepEqual(shift(rep(20, 3, 'x')), { start: 20, end: 28, collapsed: false });
    assert.deepEqual(shift(del(27, 3)), { start: 20, end: 27, collapsed: false });
  });

  it('keeps the surviving tail for an edit across the start', () => {
    // [15, 25) replaced by 'XY': the segment's last five units survive, after the new text.
    assert.deepEqual(shift(rep(15, 10, 'XY')), { start: 17, end: 22, collapsed: false });
    assert.deepEqual(shift(del(18, 4)), { start: 18, end: 26, collapsed: false });
  });

  it('keeps the surviving head for an edit across the end', () => {
    assert.deepEqual(shift(rep(25, 10, 'Z')), { start: 20, end: 25, collapsed: false });
    assert.deepEqual(shift(del(29, 2)), { start: 20, end: 29, collapsed: false });
  });

  it('collapses when an edit covers the whole segment', () => {
    assert.equal(shift(del(18, 15)).collapsed, true);
    assert.equal(shift(del(20, 10)).collapsed, true);
    assert.equal(shift(rep(20, 10, 'helt ny tekst')).collapsed, true);
    assert.equal(shift(rep(0, 100, '')).collapsed, true);
  });

  it('applies several changes of one event, in any order given', () => {
    const changes = [ins(2, 'abc'), del(22, 2), ins(28, 'øy'), rep(40, 1, 'zz')];
    const expected = { start: 23, end: 33, collapsed: false };
    assert.deepEqual(shift(...changes), expected);
    assert.deepEqual(shift(...[...changes].reverse()), expected);
  });

  it('orders an insertion and a deletion at the same offset correctly', () => {
    // Insert before the segment at 20 and delete [20, 23) of it: the insertion is before.
    assert.deepEqual(shift(ins(20, 'xx'), del(20, 3)), { start: 22, end: 29, collapsed: false });
    assert.deepEqual(shift(del(20, 3), ins(20, 'xx')), { start: 22, end: 29, collapsed: false });
  });

  it('collapses when two changes of one event together cover the segment', () => {
    assert.equal(shift(del(8, 16), del(24, 10)).collapsed, true);
    // One unit (23) survives between these two.
    assert.deepEqual(shift(del(8, 15), del(24, 10)), { start: 8, end: 9, collapsed: false });
  });

  it('agrees with applying the changes one by one (random events)', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 16807) % 2147483647;
      return seed % n;
    };
    for (let round = 0; round < 500; round++) {
      // Non-overlapping changes in ascending order, in pre-event coordinates.
      const changes: TextChange[] = [];
      let at = 0;
      for (let k = random(4) + 1; k > 0; k--) {
        const offset = at + random(15);
        const length = random(3) === 0 ? 0 : random(8) + 1;
        changes.push({ offset, length, text: 'æ'.repeat(random(4)) });
        at = offset + length + 1;
      }
      const segStart = random(40);
      const segment = { start: segStart, end: segStart + random(15) + 1 };
      const together = shiftAnchor(segment, [...changes].reverse());
      // Sequentially in ascending order, moving each later offset by the earlier deltas.
      let current = { ...segment, collapsed: false };
      let delta = 0;
      for (const c of changes) {
        const step = shiftAnchor(current, [{ ...c, offset: c.offset + delta }]);
        current = { ...step, collapsed: current.collapsed || step.collapsed };
        delta += c.text.length - c.length;
        if (current.collapsed) break;
      }
      assert.equal(together.collapsed, current.collapsed, JSON.stringify({ segment, changes }));
      if (!together.collapsed) {
        assert.deepEqual(together, current, JSON.stringify({ segment, changes }));
      }
    }
  });
});

describe('shiftCodings', () => {
  const text = INTERVIEW;
  const base = [
    coding('a', text, 'Jeg fikk ikke sove.'),
    coding('b', text, 'Søsteren min kom hver søndag.'),
    coding('c', text, 'Det ga dagene en slags form'),
  ];

  function edit(changes: TextChange[], codings = base) {
    const newText = applyChanges(text, changes);
    return { newText, ...shiftCodings(codings, changes, newText) };
  }

  it('shifts and refreshes codings when text is typed inside one', () => {
    const at = text.indexOf('kom hver') + 4;
    const { newText, codings, collapsed } = edit([{ offset: at, length: 0, text: 'nesten ' }]);
    assert.equal(collapsed.length, 0);
    const b = codings[1].anchor;
    assert.equal(b.quote, 'Søsteren min kom nesten hver søndag.');
    assert.equal(newText.slice(b.start, b.end), b.quote);
    assert.equal(b.suffix, base[1].anchor.suffix);
    // The coding after the edit only moved; its words and context are the same.
    assert.equal(codings[2].anchor.start, base[2].anchor.start + 7);
    assert.equal(codings[2].anchor.quote, base[2].anchor.quote);
    // The coding before the edit is the same object.
    assert.equal(codings[0], base[0]);
  });

  it('refreshes the suffix when only the context after a coding changes', () => {
    const at = text.indexOf('Det var det eneste');
    const { codings } = edit([{ offset: at, length: 3, text: 'Dét' }]);
    const b = codings[1].anchor;
    assert.equal(b.start, base[1].anchor.start);
    assert.equal(b.quote, base[1].anchor.quote);
    assert.equal(b.suffix, ' Dét var det eneste jeg så frem ');
  });

  it('refreshes the prefix when the context before a coding changes', () => {
    const at = text.indexOf('Og besøkene?');
    const { codings, newText } = edit([{ offset: at, length: 2, text: 'Hva med' }]);
    const b = codings[1].anchor;
    assert.equal(b.start, base[1].anchor.start + 5);
    assert.equal(b.prefix, ' aldri.\nI: Hva med besøkene?\nR: ');
    assert.equal(b.prefix, newText.slice(b.start - b.prefix.length, b.start));
  });

  it('orphans a coding whose words were deleted, keeping its old text', () => {
    const { start, end } = span(text, 'R: Søsteren min kom hver søndag.');
    const { codings, collapsed } = edit([{ offset: start, length: end - start + 1, text: '' }]);
    assert.equal(codings.length, 3);
    const b = codings[1];
    assert.equal(b.id, 'b');
    assert.equal(b.orphaned, true);
    assert.equal(b.anchor.quote, base[1].anchor.quote);
    assert.equal(b.anchor.prefix, base[1].anchor.prefix);
    assert.equal(b.anchor.suffix, base[1].anchor.suffix);
    assert.deepEqual(collapsed, [b]);
    assert.equal(codings[2].anchor.start, base[2].anchor.start - (end - start + 1));
    assert.equal(codings[2].orphaned, undefined);
  });

  it('leaves orphaned codings untouched', () => {
    const orphan: Coding = { ...base[1], orphaned: true };
    const { codings, collapsed } = edit([{ offset: 0, length: 0, text: 'Intervju 3\n' }], [orphan, base[2]]);
    assert.equal(codings[0], orphan);
    assert.equal(codings[0].anchor.start, base[1].anchor.start);
    assert.equal(codings[1].anchor.start, base[2].anchor.start + 11);
    assert.equal(collapsed.length, 0);
  });

  it('never mutates its input', () => {
    const snapshot = structuredClone(base);
    edit([
      { offset: 0, length: 0, text: 'Ny linje\n' },
      { offset: text.indexOf('kom hver'), length: 3, text: 'kommer' },
      { offset: text.indexOf('verkstedet'), length: 40, text: '' },
    ]);
    assert.deepEqual(base, snapshot);
  });

  it('counts emoji as two units when shifting', () => {
    const { codings, newText } = edit([{ offset: 0, length: 0, text: '🎙️ Opptak 1\n' }]);
    assert.equal('🎙️ Opptak 1\n'.length, 13);
    for (let i = 0; i < base.length; i++) {
      assert.equal(codings[i].anchor.start, base[i].anchor.start + 13);
      assert.equal(newText.slice(codings[i].anchor.start, codings[i].anchor.end), base[i].anchor.quote);
    }
  });

  it('keeps every coding in step with the text while typing', () => {
    let current = text;
    let codings: Coding[] = base;
    // Each keystroke is located in the text as it is at that moment.
    const keystrokes: ((t: string) => TextChange)[] = [
      (t) => ({ offset: t.indexOf('Jeg jobbet'), length: 0, text: 'Æ' }),
      () => ({ offset: 3, length: 0, text: '— ' }),
      (t) => ({ offset: t.indexOf('søndag') + 2, length: 1, text: '' }),
      (t) => ({ offset: t.indexOf('Lyden'), length: 5, text: 'Smellet' }),
      (t) => ({ offset: t.indexOf('slags form') + 10, length: 0, text: '🙂' }),
    ];
    for (const keystroke of keystrokes) {
      const change = keystroke(current);
      current = applyChanges(current, [change]);
      codings = shiftCodings(codings, [change], current).codings;
      for (const c of codings) {
        assert.equal(current.slice(c.anchor.start, c.anchor.end), c.anchor.quote);
        assert.deepEqual(contextOf(current, c.anchor.start, c.anchor.end), {
          prefix: c.anchor.prefix,
          suffix: c.anchor.suffix,
        });
      }
    }
    assert.deepEqual(
      codings.map((c) => c.anchor.quote),
      ['Jeg fikk ikke sove.', 'Søsteren min kom hver sødag.', 'Det ga dagene en slags form'],
    );
  });
});
