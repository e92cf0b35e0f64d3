import * as assert from 'node:assert/strict';
import type { Coding, ProjectFile } from '../../src/core/model';
import { PRINT_COLORS, saturation, saturationSvg } from '../../src/core/saturation';
import { analyse } from '../../src/core/analysis';
import { makeAnchor } from '../../src/core/text';
import { codebookFixture } from './fixtures';

const TEXT = 'Intervjuer: Hva gjør du om kvelden?\nOla: Jeg ringer hjem, og så skriver jeg brev.\n';

function fixture() {
  const f = codebookFixture();
  const project: ProjectFile = {
    ...f.p,
    cases: [
      { id: 'case-ola', pseudonym: 'Ola', documents: ['b.txt'], attributes: {} },
      { id: 'case-mira', pseudonym: 'Mira', documents: ['a.txt'], attributes: {} },
    ],
  };
  let n = 0;
  const coding = (codeId: string, created: string, quote = 'ringer hjem', extra: Partial<Coding> = {}): Coding => {
    const s = TEXT.indexOf(quote);
    return { id: `k${++n}`, codeId, anchor: makeAnchor(TEXT, s, s + quote.length), coder: 'Kari', created, ...extra };
  };
  return { ...f, project, coding };
}

describe('saturation', () => {
  it('orders transcripts by their first coding, counts codes per transcript, new codes by name and the cumulative count', () => {
    const { project, coding, calling, letters, boredom, cat } = fixture();
    const steps = saturation(project, [
      { path: 'a.txt', codings: [coding(letters, '2026-11-03T09:00:00.000Z'), coding(calling, '2026-11-01T09:00:00.000Z'), coding(boredom, '2026-11-04T09:00:00.000Z')] },
      { path: 'b.txt', codings: [coding(calling, '2026-10-30T09:00:00.000Z'), coding(calling, '2026-11-05T09:00:00.000Z')] },
      { path: 'c.txt', codings: [coding(letters, '2026-11-02T09:00:00.000Z'), coding(cat, '2026-11-06T09:00:00.000Z')] },
      { path: 'd.txt', codings: [] },
    ]);
    assert.deepEqual(steps, [
      { path: 'b.txt', pseudonym: 'Ola', firstCoded: '2026-10-30T09:00:00.000Z', codes: 1, newCodeIds: [calling], cumulative: 1 },
      { path: 'a.txt', pseudonym: 'Mira', firstCoded: '2026-11-01T09:00:00.000Z', codes: 3, newCodeIds: [boredom, letters], cumulative: 3 },
      { path: 'c.txt', firstCoded: '2026-11-02T09:00:00.000Z', codes: 2, newCodeIds: [cat], cumulative: 4 },
    ]);
  });

  it('breaks ties of the first coding by path, and leaves out orphans, unknown codes and transcripts with nothing left', () => {
    const { project, coding, calling, letters } = fixture();
    const same = '2026-11-01T09:00:00.000Z';
    const steps = saturation(project, [
      { path: 'z.txt', codings: [coding(calling, same)] },
      { path: 'y.txt', codings: [coding(letters, same), coding(calling, '2026-01-01T00:00:00.000Z', 'ringer hjem', { orphaned: true })] },
      { path: 'x.txt', codings: [coding('00000000-0000-4000-8000-999999999999', '2020-01-01T00:00:00.000Z')] },
    ]);
    assert.deepEqual(steps.map((s) => [s.path, s.firstCoded, s.newCodeIds.length, s.cumulative]), [
      ['y.txt', same, 1, 1],
      ['z.txt', same, 1, 2],
    ]);
  });

  it('counts only what the analysis counts: a code used only in the interviewer\'s turns is not new there', () => {
    const { project, coding, calling, boredom } = fixture();
    const excluded: ProjectFile = { ...project, settings: { excludedSpeakers: ['Intervjuer'] } };
    const docs = [{ path: 'a.txt', codings: [coding(boredom, '2026-11-01T09:00:00.000Z', 'Hva gjør du om kvelden?'), coding(calling, '2026-11-02T09:00:00.000Z')] }];
    const steps = saturation(excluded, analyse({ project: excluded, documents: docs, textOf: () => TEXT }).documents);
    assert.deepEqual(steps.map((s) => [s.firstCoded, s.newCodeIds]), [['2026-11-02T09:00:00.000Z', [calling]]]);
  });

  it('draws a bar per transcript with its new codes and a point per cumulative count, labelled by pseudonym, text escaped', () => {
    const { project, coding, calling, letters } = fixture();
    const named: ProjectFile = { ...project, cases: [{ id: 'k', pseudonym: 'Ola <&> "O"', documents: ['a.txt'], attributes: {} }] };
    const steps = saturation(named, [
      { path: 'a.txt', codings: [coding(calling, '2026-11-01T09:00:00.000Z'), coding(letters, '2026-11-01T10:00:00.000Z')] },
      { path: 'interviews/b.txt', codings: [coding(calling, '2026-11-02T09:00:00.000Z')] },
    ]);
    const svg = saturationSvg(steps, { ...PRINT_COLORS, bar: '#123456' }, 'Nye koder <per> intervju');
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svg.endsWith('</svg>\n'));
    assert.equal((svg.match(/<rect class="bar"/g) ?? []).length, 2);
    assert.equal((svg.match(/<circle class="point"/g) ?? []).length, 2);
    assert.match(svg, /<title>Nye koder &lt;per&gt; intervju<\/title>/);
    assert.match(svg, />Ola &lt;&amp;&gt; &quot;O&quot;: 2 new, 2 in all</);
    assert.match(svg, />b\.txt: 0 new, 2 in all</, 'a transcript without a case is labelled by its file name');
    assert.match(svg, /fill="#123456"/);
    assert.ok(!svg.includes('<&>'), 'no raw markup from the data');
    // the second bar has no height; the first is twice as tall as one code
    const heights = [...svg.matchAll(/<rect class="bar"[^>]* height="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.equal(heights[1], 0);
    assert.ok(heights[0] > 0);
    assert.equal(saturationSvg(steps), saturationSvg(steps), 'deterministic');
  });

  it('shortens long labels without cutting a character in half, and escapes colours', () => {
    const { project, coding, calling } = fixture();
    const named: ProjectFile = { ...project, cases: [{ id: 'k', pseudonym: 'Sigrid Margrethe😀😀 Olsen', documents: ['a.txt'], attributes: {} }] };
    const svg = saturationSvg(saturation(named, [{ path: 'a.txt', codings: [coding(calling, '2026-11-01T09:00:00.000Z')] }]), { ...PRINT_COLORS, line: 'rgb(1, 2, 3)" onload="x' });
    assert.match(svg, />Sigrid Margrethe😀…</);
    assert.ok(!/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/.test(svg), 'no lone high surrogate');
    assert.ok(!svg.includes('" onload="'), 'a colour cannot end its attribute');
  });

  it('draws an empty chart (axes and legend) when nothing is coded', () => {
    const svg = saturationSvg([]);
    assert.ok(!svg.includes('class="bar"'));
    assert.ok(!svg.includes('<polyline'));
    assert.match(svg, /new codes/);
  });
});
