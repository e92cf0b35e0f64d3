// The colours handed to new codes: 24 before any repeats, each one told apart from the others, none
// too dark for a dark theme or too light for a light one, and the first twelve where they always were.
import * as assert from 'node:assert/strict';
import type { ProjectFile } from '../../src/core/model';
import type { Environment } from '../../src/core/ports';
import { CODE_COLOUR_NAMES, CODE_PALETTE, addCode, newProject } from '../../src/core/project';
import { recolorCode } from '../../src/core/codebook';

function testEnv(): Environment {
  let n = 0;
  return { now: () => '2026-11-05T12:00:00.000Z', newId: () => `00000000-0000-4000-8000-${(++n).toString().padStart(12, '0')}` };
}

function withCodes(count: number, start?: ProjectFile): ProjectFile {
  const env = testEnv();
  let p = start ?? newProject('Test', env);
  const first = p.codes.length;
  for (let i = 0; i < count; i++) p = addCode(p, { name: `kode ${first + i}` }, 'Kari', env).project;
  return p;
}

/** CIELAB (D65) of `#rrggbb`. */
function lab(hex: string): [number, number, number] {
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = [1, 3, 5].map((i) => lin(parseInt(hex.slice(i, i + 2), 16) / 255));
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}
const distance = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]));

describe('code colour palette', () => {
  it('gives 24 codes 24 different colours, then starts again at the first', () => {
    const p = withCodes(25);
    const colours = p.codes.map((c) => c.color);
    assert.equal(new Set(colours.slice(0, 24)).size, 24);
    assert.equal(colours[24], colours[0]);
  });

  it("never changes the colours of existing codes, and keeps the original twelve in their order", () => {
    // the palette before it grew: projects keep getting the same first twelve colours
    assert.deepEqual(CODE_PALETTE.slice(0, 12), ['#e06c75', '#61afef', '#98c379', '#e5c07b', '#c678dd', '#56b6c2', '#d19a66', '#f48fb1', '#4db6ac', '#9575cd', '#a1887f', '#90a4ae']);
    const twelve = withCodes(12);
    const more = withCodes(12, twelve);
    assert.deepEqual(more.codes.slice(0, 12), twelve.codes, 'the first twelve codes are untouched');
    assert.deepEqual(more.codes.slice(12).map((c) => c.color), CODE_PALETTE.slice(12), 'the next twelve get the new colours');
    // a colour the user picked stays; the next code takes the colour least used
    const picked = recolorCode(twelve, twelve.codes[0].id, '#123456');
    const next = withCodes(1, picked);
    assert.equal(next.codes[0].color, '#123456');
    assert.equal(next.codes[12].color, CODE_PALETTE[0], 'the freed palette colour is handed out first');
  });

  it('keeps every two colours at least as far apart as the original twelve were (CIELAB)', () => {
    let closest = Infinity;
    for (let i = 0; i < 12; i++) for (let j = i + 1; j < 12; j++) closest = Math.min(closest, distance(CODE_PALETTE[i], CODE_PALETTE[j]));
    for (let i = 12; i < CODE_PALETTE.length; i++) {
      for (let j = 0; j < i; j++) {
        const d = distance(CODE_PALETTE[i], CODE_PALETTE[j]);
        assert.ok(d >= closest, `${CODE_PALETTE[i]} and ${CODE_PALETTE[j]} are ${d.toFixed(1)} apart (< ${closest.toFixed(1)})`);
      }
    }
  });

  it('uses only mid-light colours, which show as a fill on dark themes and as a line on light ones', () => {
    for (const colour of CODE_PALETTE) {
      const [l] = lab(colour);
      assert.ok(l >= 50 && l <= 80, `${colour}: L* ${l.toFixed(0)}`);
    }
  });

  it('names every colour for the colour picker', () => {
    assert.equal(CODE_COLOUR_NAMES.length, CODE_PALETTE.length);
    assert.equal(new Set(CODE_COLOUR_NAMES).size, CODE_COLOUR_NAMES.length);
  });
});
