import * as assert from 'node:assert/strict';
import { compareCoders } from '../../src/core/agreement';
import { formatMeasures, renderDisagreementPage } from '../../src/core/agreementPage';
import type { Coding } from '../../src/core/model';
import { makeAnchor } from '../../src/core/text';

const TEXT = 'Line one is here.\nLine two | has a pipe.\nLine three *stars*.\n';
const CODE = '00000000-0000-4000-8000-000000000001';
let n = 0;
const coding = (coder: string, start: number, end: number): Coding => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  codeId: CODE,
  anchor: makeAnchor(TEXT, start, end),
  coder,
  created: '2026-11-27T10:00:00.000Z',
});

describe('disagreement page', () => {
  it('puts each passage in the column of the coder who coded it, with its line, escaped', () => {
    const two = TEXT.indexOf('Line two');
    const three = TEXT.indexOf('Line three');
    const report = compareCoders([{ path: 'a.txt', length: TEXT.length, codings: [coding('Ann', 0, 8), coding('Ann', two, two + 10), coding('Bo', 0, 8), coding('Bo', three, TEXT.length - 1)] }], ['Ann', 'Bo']);
    const row = report.byCodeAndDocument[0];
    const page = renderDisagreementPage(row, TEXT, ['Ann', 'Bo'], 'Waiting');
    const rows = page.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    assert.equal(rows.length, 2);
    assert.equal(rows[0], '| 2 | “Line two \\|” |  |', 'the pipe cannot break the table');
    assert.match(rows[1], /^\| 3 \| {2}\| “Line three \\\*stars\\\*\.” \|$/);
    assert.match(page, /^# Waiting in a\.txt$/m);
    assert.match(page, /\| Line \| Only Ann \| Only Bo \|/);
  });

  it('says so when the coders agree everywhere, and formats measures', () => {
    const report = compareCoders([{ path: 'a.txt', length: TEXT.length, codings: [coding('Ann', 0, 8), coding('Bo', 0, 8)] }], ['Ann', 'Bo']);
    assert.match(renderDisagreementPage(report.byCodeAndDocument[0], TEXT, ['Ann', 'Bo'], 'X'), /agree on every character/);
    assert.equal(formatMeasures({ kappa: 0.4321, agreement: 0.775 }), 'κ 0.43 · 78 %');
  });
});
