// The REFI-QDA writer and positions were made faster for large projects (issue 15); these tests hold
// them to what the earlier code gave: the same project.qde and .qdpx bytes, the same positions, the
// same escaping, byte for byte.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { exportQdpx } from '../../src/core/refi/export';
import { CodePoints, nameGuid, normalizeGuid } from '../../src/core/refi/positions';
import { escapeAttr, escapeText } from '../../src/core/refi/xml';
import { smallProject } from './refiSupport';

// sha256 of what the code before issue 15 wrote (the same smallProject)
const GOLDEN_LF_QDE = '916ed18eed874c148d17a1eb0134f9616ae4c8228fce88db88950246e928c726';
const GOLDEN_LF_QDPX = 'b6d356465c039f64b7a15672c1088b39b49da4403f438e960cd0a5b870539fe2';
const GOLDEN_CRLF_QDE = '0d697d3e6590e5e4a13681733b68560091c2aa214ec63d2ef17c8fcb45792a14';
const GOLDEN_CRLF_QDPX = '54e6f12705544191a513ad844463eb8dbc3942c9c2a662e294f3a193f0e8f719';
const GOLDEN_GUID = 'd3da1db9-2b04-556e-992d-e0cf07b70f05';
const GOLDEN_EMPTY_GUID = 'd1fdf36e-ebaa-549f-96de-8c8c153f0d86';

const sha = (b: string | Uint8Array) => createHash('sha256').update(b).digest('hex');

/** CodePoints as it was written first: a table of every code point's start. */
class EveryStart {
  private readonly starts?: number[];
  readonly count: number;
  constructor(text: string) {
    if (!/[\uD800-\uDFFF]/.test(text)) {
      this.count = text.length;
      return;
    }
    const starts: number[] = [];
    for (let i = 0; i < text.length; i++) {
      starts.push(i);
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
    }
    this.count = starts.length;
    starts.push(text.length);
    this.starts = starts;
  }
  toCodePoint(offset: number): number {
    if (!this.starts) return offset;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  toUtf16(cp: number): number | undefined {
    if (!Number.isInteger(cp) || cp < 0 || cp > this.count) return undefined;
    return this.starts ? this.starts[cp] : cp;
  }
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;' };
// eslint-disable-next-line no-control-regex
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const oldAttr = (s: string) => s.replace(INVALID_XML, '\uFFFD').replace(/[&<>"\r\n\t]/g, (c) => TEXT_ESCAPES[c]);
const oldText = (s: string) => s.replace(INVALID_XML, '\uFFFD').replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]);

/** Text of letters, emoji, lone surrogates, line breaks and the characters XML escapes. */
const tricky = fc
  .array(fc.constantFrom('a', 'ø', ' ', '\n', '\r', '\t', '🌊', '\uD83C', '\uDF0A', '&', '<', '>', '"', '\u0001', '\uFFFE', 'é'), { maxLength: 40 })
  .map((a) => a.join(''));

describe('REFI-QDA: the faster writer gives the same bytes', () => {
  it('exports the small project to the same project.qde and .qdpx as before, with LF and with CRLF', () => {
    const { input } = smallProject();
    const lf = exportQdpx(input, { lineEnding: 'lf', origin: 'Grounded test' });
    const crlf = exportQdpx(input, { lineEnding: 'crlf', origin: 'Grounded test' });
    assert.deepEqual([sha(lf.qde), sha(lf.bytes), sha(crlf.qde), sha(crlf.bytes)], [GOLDEN_LF_QDE, GOLDEN_LF_QDPX, GOLDEN_CRLF_QDE, GOLDEN_CRLF_QDPX]);
  });

  it('gives name-based GUIDs as before', () => {
    assert.equal(nameGuid('source:intervjuer/per.txt'), GOLDEN_GUID);
    assert.equal(nameGuid(''), GOLDEN_EMPTY_GUID);
  });

  it('counts code points as the table of every code point did, inside pairs, at lone surrogates and outside the text', () => {
    fc.assert(
      fc.property(tricky, (text) => {
        const now = new CodePoints(text);
        const then = new EveryStart(text);
        assert.equal(now.count, then.count);
        for (let o = -2; o <= text.length + 2; o++) assert.equal(now.toCodePoint(o), then.toCodePoint(o), `offset ${o}`);
        for (let c = -1; c <= then.count + 1; c++) assert.equal(now.toUtf16(c), then.toUtf16(c), `code point ${c}`);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes attribute values and element text as before', () => {
    fc.assert(
      fc.property(tricky, (s) => {
        assert.equal(escapeAttr(s), oldAttr(s));
        assert.equal(escapeText(s), oldText(s));
      }),
      { numRuns: 1000 },
    );
  });

  it('normalises GUIDs as before: braces, upper case, spaces, and what is not a GUID', () => {
    const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;
    const old = (g: string | undefined) => {
      const m = g === undefined ? null : GUID.exec(g.trim());
      return m && g!.trim().startsWith('{') === g!.trim().endsWith('}') ? m[1].toLowerCase() : undefined;
    };
    const g = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    for (const v of [undefined, '', g, g.toUpperCase(), `{${g}}`, `{${g}`, ` ${g} `, g.slice(1), `${g}x`, g.replace('-', 'g')]) assert.equal(normalizeGuid(v), old(v), String(v));
  });
});
