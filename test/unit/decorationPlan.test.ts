import * as assert from 'node:assert/strict';
import { codersOf, isFilterActive, lineAt, lineStartsOf, planDecorations, suggestionMark } from '../../src/core/decorationPlan';
import type { Coding } from '../../src/core/model';
import { makeAnchor } from '../../src/core/text';

const TEXT = [
  'I: Hvordan var den første natten på cella?',
  'R: Jeg fikk ikke sove. Lyden av dørene som ble låst, den glemmer jeg aldri.',
  'I: Og besøkene?',
  'R: Søsteren min kom hver søndag. Det var det eneste jeg så frem til i uka.',
].join('\n');

let n = 0;
function coding(phrase: string, codeId: string, coder = 'ingrid', extra: Partial<Coding> = {}): Coding {
  const start = TEXT.indexOf(phrase);
  assert.notEqual(start, -1, phrase);
  return { id: `c${n++}`, codeId, anchor: makeAnchor(TEXT, start, start + phrase.length), coder, created: '2025-01-01T00:00:00.000Z', ...extra };
}

const lines = lineStartsOf(TEXT);
const lineOf = (offset: number) => lineAt(lines, offset);

describe('planDecorations', () => {
  const sleep = coding('Jeg fikk ikke sove.', 'sleep');
  const sound = coding('Lyden av dørene som ble låst', 'sound', 'per');
  const door = coding('dørene', 'door');
  const night = coding('Jeg fikk ikke sove. Lyden av dørene', 'night', 'per');
  const family = coding('Søsteren min kom hver søndag.', 'family');
  const orphan = coding('Og besøkene?', 'family', 'ingrid', { orphaned: true });

  it('draws every coding but orphans, ordered by start, longer first', () => {
    const plan = planDecorations([family, door, sleep, sound, orphan, night]);
    assert.deepEqual(
      plan.codings.map((p) => p.coding.codeId),
      ['night', 'sleep', 'sound', 'door', 'family'],
    );
    assert.equal(plan.hidden, 0);
    assert.deepEqual([...plan.byCode.keys()].sort(), ['door', 'family', 'night', 'sleep', 'sound']);
  });

  it('puts overlapping codings in different lanes and reuses lanes that are free again', () => {
    const plan = planDecorations([night, sleep, sound, door, family]);
    const lane = (id: string) => plan.codings.find((p) => p.coding.codeId === id)!.lane;
    assert.equal(lane('night'), 0);
    assert.equal(lane('sleep'), 1, 'inside night');
    assert.equal(lane('sound'), 1, 'sleep has ended where sound starts; night has not');
    assert.equal(lane('door'), 2, 'inside night and sound');
    assert.equal(lane('family'), 0, 'overlaps nothing');
    assert.equal(plan.lanes, 3);
    // The invariant, pair by pair.
    for (const a of plan.codings) {
      for (const b of plan.codings) {
        if (a !== b && a.start < b.end && b.start < a.end) assert.notEqual(a.lane, b.lane, `${a.coding.codeId}/${b.coding.codeId}`);
      }
    }
  });

  it('filters to some codes, to one coder, or to both, and counts what it hid', () => {
    const all = [night, sleep, sound, door, family, orphan];
    const byCode = planDecorations(all, { filter: { codeIds: ['sleep', 'family'] } });
    assert.deepEqual(byCode.codings.map((p) => p.coding.id), [sleep.id, family.id]);
    assert.equal(byCode.hidden, 3);
    const byCoder = planDecorations(all, { filter: { coder: 'per' } });
    assert.deepEqual(byCoder.codings.map((p) => p.coding.id), [night.id, sound.id]);
    const both = planDecorations(all, { filter: { coder: 'per', codeIds: ['sound', 'family'] } });
    assert.deepEqual(both.codings.map((p) => p.coding.id), [sound.id]);
    assert.equal(planDecorations(all, { filter: { codeIds: [] } }).codings.length, 0, 'an empty selection of codes shows nothing');
    // Lanes are computed among the codings shown.
    assert.equal(byCoder.codings[1].lane, 1);
    assert.equal(planDecorations([sound], {}).codings[0].lane, 0);
  });

  it('labels each coded line with its codes, once each, in the order they start', () => {
    const twoLines = coding('aldri.\nI: Og', 'bridge');
    const plan = planDecorations([family, sound, sleep, door, twoLines, coding('Det var det eneste', 'family')], { lineOf });
    assert.deepEqual(plan.labels, [
      { line: 1, codeIds: ['sleep', 'sound', 'door', 'bridge'] },
      { line: 2, codeIds: ['bridge'] },
      { line: 3, codeIds: ['family'] },
    ]);
    assert.deepEqual(planDecorations([sleep]).labels, [], 'no labels unless asked for');
  });

  it('does not label the next line for a coding that ends with a line break', () => {
    const start = TEXT.indexOf('I: Og besøkene?');
    const withBreak: Coding = { ...family, id: 'x', anchor: makeAnchor(TEXT, start, start + 'I: Og besøkene?\n'.length) };
    assert.deepEqual(planDecorations([withBreak], { lineOf }).labels, [{ line: 2, codeIds: ['family'] }]);
  });
});

describe('planDecorations: AI suggestions', () => {
  const ai = 'AI: llama3';
  const suggestion = (status: 'pending' | 'accepted' | 'rejected', proposed = false): Partial<Coding> => ({
    suggestion: {
      status,
      model: 'llama3',
      endpoint: 'http://127.0.0.1:11434/v1',
      promptVersion: 'grounded-suggest-1',
      requested: '2025-01-01T00:00:00.000Z',
      code: proposed ? 'sleepless nights' : 'sleep',
      ...(proposed ? { proposed: true as const } : {}),
      ...(status === 'pending' ? {} : { decidedBy: 'ingrid', decided: '2025-01-02T00:00:00.000Z' }),
    },
  });
  const human = coding('Jeg fikk ikke sove.', 'sleep');
  const pending = coding('Lyden av dørene som ble låst', 'sound', ai, suggestion('pending'));
  const proposed = coding('dørene', '', ai, suggestion('pending', true));
  const rejected = coding('Søsteren min kom hver søndag.', 'family', ai, suggestion('rejected'));
  const accepted = coding('Jeg fikk ikke sove. Lyden av dørene', 'night', ai, suggestion('accepted'));

  it('draws pending suggestions apart from the codings: no lane, no label, never in byCode', () => {
    const plan = planDecorations([rejected, proposed, human, pending, accepted], { lineOf });
    assert.deepEqual(plan.codings.map((p) => p.coding.id), [accepted.id, human.id], 'only the human coding and the accepted suggestion are codings');
    assert.deepEqual([...plan.byCode.keys()].sort(), ['night', 'sleep']);
    assert.deepEqual(plan.labels, [{ line: 1, codeIds: ['night', 'sleep'] }], 'a pending suggestion labels no line');
    assert.equal(plan.lanes, 2);
    assert.deepEqual(
      plan.suggestions.map((p) => [p.coding.id, p.mark]),
      [[pending.id, 'pending'], [proposed.id, 'pending']],
      'pending ones by start; the rejected one not drawn',
    );
    assert.equal(plan.hidden, 0, 'a suggestion left out is not a coding hidden by the filter');
  });

  it('draws rejected suggestions only when asked for, marked as rejected', () => {
    const plan = planDecorations([rejected, pending], { showRejected: true });
    assert.deepEqual(plan.suggestions.map((p) => [p.coding.id, p.mark]), [[pending.id, 'pending'], [rejected.id, 'rejected']]);
    assert.equal(plan.codings.length, 0);
  });

  it('applies the filter to suggestions too, and never draws orphaned ones', () => {
    const orphanedSuggestion = { ...pending, id: 'orph', orphaned: true };
    assert.deepEqual(planDecorations([pending, proposed, orphanedSuggestion], { filter: { codeIds: ['sound'] } }).suggestions.map((p) => p.coding.id), [pending.id]);
    assert.deepEqual(planDecorations([pending, human], { filter: { coder: 'ingrid' } }).suggestions, []);
  });

  it('tells how a coding is drawn', () => {
    assert.equal(suggestionMark(human), 'coding');
    assert.equal(suggestionMark(accepted), 'coding');
    assert.equal(suggestionMark(pending), 'pending');
    assert.equal(suggestionMark(rejected), undefined);
    assert.equal(suggestionMark(rejected, true), 'rejected');
  });
});

describe('filter helpers', () => {
  it('tells an active filter from none', () => {
    assert.equal(isFilterActive(undefined), false);
    assert.equal(isFilterActive({}), false);
    assert.equal(isFilterActive({ coder: 'per' }), true);
    assert.equal(isFilterActive({ codeIds: [] }), true);
  });

  it('lists the coders of some codings once each, sorted', () => {
    assert.deepEqual(codersOf([coding('Jeg', 'a', 'per'), coding('Lyden', 'a', 'ingrid'), coding('sove', 'b', 'per')]), ['ingrid', 'per']);
  });

  it('finds the line of an offset', () => {
    assert.equal(lineOf(0), 0);
    assert.equal(lineOf(TEXT.indexOf('\n')), 0, 'the line break belongs to its line');
    assert.equal(lineOf(TEXT.indexOf('\n') + 1), 1);
    assert.equal(lineOf(TEXT.length), 3);
  });
});
