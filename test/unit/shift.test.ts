// shiftCodings' fast paths and its lazy text source, checked against the straightforward
// algorithm (every coding through shiftAnchor, every touched one re-anchored in the whole text).
import * as assert from 'node:assert/strict';
import { makeAnchorFrom, shiftAnchor, shiftCodings, TextChange, TextSource } from '../../src/core/anchor';
import { CONTEXT_LENGTH, Coding } from '../../src/core/model';
import { makeAnchor } from '../../src/core/text';

function applyChanges(text: string, changes: readonly TextChange[]): string {
  const sorted = [...changes].sort((a, b) => b.offset - a.offset || b.length - a.length);
  let out = text;
  for (const c of sorted) out = out.slice(0, c.offset) + c.text + out.slice(c.offset + c.length);
  return out;
}

/** The reference: what shiftCodings must return, computed the slow, obvious way. */
function reference(codings: readonly Coding[], changes: readonly TextChange[], newText: string): Coding[] {
  return codings.map((coding) => {
    if (coding.orphaned) return coding;
    const { start, end } = coding.anchor;
    const shifted = shiftAnchor(coding.anchor, changes);
    if (shifted.collapsed) return { ...coding, anchor: { ...coding.anchor, start: shifted.start, end: shifted.end }, orphaned: true };
    const touched = changes.some((c) => c.offset <= end + CONTEXT_LENGTH && c.offset + c.length >= start - CONTEXT_LENGTH);
    if (touched) return { ...coding, anchor: makeAnchor(newText, shifted.start, shifted.end) };
    return { ...coding, anchor: { ...coding.anchor, start: shifted.start, end: shifted.end } };
  });
}

function rng(seed: number) {
  return (n: number) => {
    seed = (seed * 16807) % 2147483647;
    return seed % n;
  };
}

const PIECES = ['a', 'b', 'æ', 'ø', ' ', '\n', '🙂', 'Det ', 'var '];

function randomText(random: (n: number) => number, length: number): string {
  let out = '';
  while (out.length < length) out += PIECES[random(PIECES.length)];
  return out;
}

/** A source over a string that counts how much it was asked for. */
function countingSource(text: string): TextSource & { read: number; calls: number } {
  const source = {
    read: 0,
    calls: 0,
    slice(start: number, end: number) {
      source.calls++;
      const s = text.slice(start, end);
      source.read += s.length;
      return s;
    },
  };
  return source;
}

describe('makeAnchorFrom', () => {
  it('makes the same anchor as makeAnchor over the whole text, emoji at every edge included', () => {
    const random = rng(7);
    for (let round = 0; round < 400; round++) {
      const text = randomText(random, 20 + random(200));
      const start = random(text.length + 1);
      const end = Math.min(text.length, start + random(40));
      assert.deepEqual(makeAnchorFrom(countingSource(text), start, end), makeAnchor(text, start, end), JSON.stringify({ text, start, end }));
    }
  });
});

describe('shiftCodings (fast paths and text source)', () => {
  it('agrees with the straightforward algorithm on random events, with a string and with a source', () => {
    const random = rng(99);
    for (let round = 0; round < 300; round++) {
      const text = randomText(random, 300 + random(300));
      const codings: Coding[] = [];
      for (let i = 0; i < 15; i++) {
        const start = random(text.length - 30);
        codings.push({
          id: `c${i}`,
          codeId: `k${random(3)}`,
          anchor: makeAnchor(text, start, start + 1 + random(29)),
          coder: 'ingrid',
          created: '2025-01-01T00:00:00.000Z',
          ...(random(5) === 0 ? { orphaned: true } : {}),
          ...(random(4) === 0 ? { note: 'n' } : {}),
        });
      }
      const changes: TextChange[] = [];
      let at = random(text.length - 60);
      for (let k = random(3) + 1; k > 0 && at < text.length - 10; k--) {
        const length = random(3) === 0 ? 0 : random(8) + 1;
        changes.push({ offset: at, length, text: PIECES[random(PIECES.length)].repeat(random(3)) });
        at += length + 1 + random(20);
      }
      const newText = applyChanges(text, changes);
      const expected = reference(codings, changes, newText);
      const context = JSON.stringify({ text, changes });
      const fromString = shiftCodings(codings, changes, newText);
      const source = countingSource(newText);
      const fromSource = shiftCodings(codings, [...changes].reverse(), source);
      assert.deepEqual(fromString.codings, expected, context);
      assert.deepEqual(fromSource.codings, expected, context);
      assert.deepEqual(fromSource.collapsed, expected.filter((c, i) => c.orphaned && !codings[i].orphaned), context);
      // A changed coding is a new object; one whose context ends before every edit is the same object.
      const first = Math.min(...changes.map((c) => c.offset));
      fromSource.codings.forEach((c, i) => {
        if (JSON.stringify(c) !== JSON.stringify(codings[i])) assert.notEqual(c, codings[i], `${context} coding ${i}`);
        if (codings[i].anchor.end + CONTEXT_LENGTH < first) assert.equal(c, codings[i], `${context} coding ${i}`);
      });
    }
  });

  it('reads only the text around the edit, never the whole document', () => {
    const random = rng(3);
    const text = randomText(random, 200_000);
    const codings: Coding[] = [];
    for (let start = 100; start < text.length - 200; start += 400) {
      codings.push({ id: `c${start}`, codeId: 'k', anchor: makeAnchor(text, start, start + 150), coder: 'x', created: '2025-01-01T00:00:00.000Z' });
    }
    // One character typed inside the tenth coding.
    const at = codings[10].anchor.start + 20;
    const changes = [{ offset: at, length: 0, text: 'e' }];
    const newText = applyChanges(text, changes);
    const source = countingSource(newText);
    const { codings: out } = shiftCodings(codings, changes, source);
    assert.equal(source.calls, 1, 'one coding had its words touched');
    assert.ok(source.read < 300, `read ${source.read} units`);
    assert.equal(out[10].anchor.quote, newText.slice(out[10].anchor.start, out[10].anchor.end));
    for (let i = 0; i < 10; i++) assert.equal(out[i], codings[i], 'codings before the edit are the same objects');
    for (let i = 11; i < out.length; i++) {
      assert.equal(out[i].anchor.start, codings[i].anchor.start + 1);
      assert.equal(out[i].anchor.quote, codings[i].anchor.quote);
      assert.equal(out[i].anchor.prefix, codings[i].anchor.prefix);
    }
  });

  it('keeps fields it does not know about on moved codings', () => {
    const text = 'Jeg fikk ikke sove. Lyden av dørene som ble låst, den glemmer jeg aldri. Og så kom morgenen, grå og kald.';
    const start = text.indexOf('grå og kald');
    const coding = { id: 'a', codeId: 'k', anchor: makeAnchor(text, start, start + 11), coder: 'x', created: 'c', future: { kept: true } } as Coding;
    const changes = [{ offset: 0, length: 0, text: 'R: ' }];
    const [moved] = shiftCodings([coding], changes, applyChanges(text, changes)).codings;
    assert.equal(moved.anchor.start, start + 3);
    assert.deepEqual((moved as unknown as { future: unknown }).future, { kept: true });
  });
});
