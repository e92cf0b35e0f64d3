// How codings are drawn, decided in core: a mark per lane (overlapping codings never share one) and
// the fill's opacity per highlight strength, checked against the contrast of the text over it.
import * as assert from 'node:assert/strict';
import { DEFAULT_HIGHLIGHT_STRENGTH, LANE_MARKS, fillAlpha, laneMark, planDecorations, withAlpha } from '../../src/core/decorationPlan';
import type { Coding } from '../../src/core/model';
import { CODE_PALETTE } from '../../src/core/project';

let n = 0;
function coding(start: number, end: number, codeId: string): Coding {
  return { id: `c${n++}`, codeId, anchor: { start, end, prefix: '', quote: 'x'.repeat(end - start), suffix: '' }, coder: 'K', created: '2025-01-01T00:00:00.000Z' };
}

/** WCAG contrast of text over a fill blended onto the editor background (all `#rrggbb`). */
function contrastOver(fill: string, alpha: number, background: string, text: string): number {
  const rgb = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const lum = (c: number[]) => {
    const l = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * l(c[0]) + 0.7152 * l(c[1]) + 0.0722 * l(c[2]);
  };
  const a = alpha / 255;
  const bg = rgb(background);
  const blended = rgb(fill).map((v, i) => a * v + (1 - a) * bg[i]);
  const [hi, lo] = [lum(blended), lum(rgb(text))].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
// editor background and text of VS Code's "Default Light Modern" and "Default Dark Modern"
const LIGHT = { background: '#ffffff', text: '#3b3b3b' };
const DARK = { background: '#1f1f1f', text: '#cccccc' };

describe('lane marks', () => {
  it('gives two codings over the same words two different marks', () => {
    const plan = planDecorations([coding(0, 10, 'a'), coding(0, 10, 'b'), coding(20, 30, 'c')]);
    const marks = plan.codings.map((p) => laneMark(p.lane));
    assert.deepEqual(marks, ['underline', 'box', 'underline']);
  });

  it('marks each of four nested codings differently, and the fifth like the fourth', () => {
    const plan = planDecorations([coding(0, 50, 'a'), coding(5, 45, 'b'), coding(10, 40, 'c'), coding(15, 35, 'd'), coding(20, 30, 'e')]);
    assert.deepEqual(plan.codings.map((p) => laneMark(p.lane)), [...LANE_MARKS, 'dotted box']);
  });
});

describe('highlight strength', () => {
  it('is stronger by default than the fill drawn before the setting existed (subtle)', () => {
    assert.equal(DEFAULT_HIGHLIGHT_STRENGTH, 'medium');
    const before = fillAlpha('subtle');
    assert.deepEqual(before, { light: 0x30, dark: 0x48 });
    for (const theme of ['light', 'dark'] as const) {
      assert.ok(fillAlpha('medium')[theme] > before[theme], theme);
      assert.ok(fillAlpha('strong')[theme] > fillAlpha('medium')[theme], theme);
    }
  });

  it('treats an unknown value as the default', () => {
    assert.deepEqual(fillAlpha('loud'), fillAlpha('medium'));
    assert.deepEqual(fillAlpha(undefined), fillAlpha('medium'));
  });

  it('keeps the text over every palette colour readable: 4.5:1 for subtle and medium, 3:1 for strong', () => {
    for (const [strength, minimum] of [['subtle', 4.5], ['medium', 4.5], ['strong', 3]] as const) {
      for (const colour of CODE_PALETTE) {
        for (const [theme, t] of [['light', LIGHT], ['dark', DARK]] as const) {
          const ratio = contrastOver(colour, fillAlpha(strength)[theme], t.background, t.text);
          assert.ok(ratio >= minimum, `${strength}, ${colour} on ${theme}: ${ratio.toFixed(2)}`);
        }
      }
    }
  });

  it('writes the opacity as the alpha byte of #rrggbbaa', () => {
    assert.equal(withAlpha('#e06c75', 0x58), '#e06c7558');
    assert.equal(withAlpha('#e06c75', 5), '#e06c7505');
    assert.equal(withAlpha('#e06c75', 300), '#e06c75ff');
  });
});
