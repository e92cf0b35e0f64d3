// UI tests of the Matrices panel in VS Code 1.100 (code-server) and Chromium, on a fresh copy of sample/:
// the webview draws the code × case matrix, the keyboard moves between cells, a click lists the cell's
// segments and a click on one opens the transcript with the words selected; the saturation tab draws
// its chart; after a reload the panel comes back on the same tab; a matrix wider than the panel draws only
// the columns in view and the keys still reach every cell.
//   node test/e2e/ui/matrices.ui.mjs [--screenshots DIR]
// Screenshots: test-results/matrices.png (dark theme) and test-results/matrices-saturation.png (or in DIR;
// `npm run screenshots` uses docs/images).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inWorkbench, runCommand, sampleCopy, screenshotDir, uiRunner, until } from './support.mjs';


const results = screenshotDir();

const copy = sampleCopy('grounded-ui-matrices-');
const { workspace } = copy;
const project = JSON.parse(readFileSync(path.join(workspace, 'grounded.json'), 'utf8'));

const runner = uiRunner('UI');
const { test } = runner;

/** The matrices' document: the inner frame of the webview that holds the tabs. */
async function matricesFrame(page) {
  return until('the matrices webview', async () => {
    for (const f of page.frames()) {
      if (await f.locator('#tab-case').count().catch(() => 0)) return f;
    }
    return undefined;
  }, 60000); // after a reload on a busy machine the workbench, the extension and the webview all load first
}

await inWorkbench(runner, copy, { title: 'UI: the Matrices panel', settings: { 'workbench.colorTheme': 'Default Dark Modern' } }, async (page) => {
  let frame;
  const need = () => assert.ok(frame, 'the panel did not open');
  const code = project.codes.find((c) => c.name === 'Counting the days backwards');
  const mira = project.cases.find((k) => k.pseudonym === 'Mira');
  const cell = (row, column) => (need(), frame).locator(`td.cell[data-row="${row}"][data-column="${column}"]`);

  await test('Open Matrices shows the code × case matrix: a column per pseudonym, a row per code, numbers in the cells', async () => {
    await runCommand(page, 'Grounded: Open Matrices');
    frame = await matricesFrame(page);
    await until('the matrix', async () => (await frame.locator('#matrix td.cell').count()) > 0);
    const heads = await frame.locator('#matrix thead th').allInnerTexts();
    assert.deepEqual(heads, ['Code', ...project.cases.map((k) => k.pseudonym).sort((a, b) => a.localeCompare(b))]);
    assert.equal(await frame.locator('#matrix tbody tr').count(), project.codes.length);
    assert.match(await cell(code.id, mira.id).innerText(), /^[1-9]\d*$/);
    assert.equal(await frame.locator('#tab-case').getAttribute('aria-selected'), 'true');
  });

  await test('a cell with more codings is shaded darker; the numbers keep the foreground colour', async () => {
    const levels = await frame.locator('#matrix td.cell').evaluateAll((tds) => tds.map((td) => ({ n: Number(td.textContent), level: Number(td.dataset.level), bg: globalThis.getComputedStyle(td).backgroundColor, fg: globalThis.getComputedStyle(td).color })));
    const max = Math.max(...levels.map((l) => l.n));
    assert.equal(levels.find((l) => l.n === max).level, 8);
    assert.ok(levels.filter((l) => l.n === 0).every((l) => l.level === 0));
    const full = levels.find((l) => l.level === 8);
    const low = levels.find((l) => l.level > 0 && l.level < 4);
    assert.notEqual(full.bg, low.bg, 'the maximum is tinted more than a small count');
    assert.ok(levels.every((l) => l.fg === full.fg || l.level === 0), 'every shaded number has the same (foreground) colour');
  });

  await test('arrow keys move between cells and Enter lists the segments of the cell', async () => {
    const target = cell(code.id, mira.id);
    await target.click();
    await until('the segments listed', async () => (await frame.locator('#segments button.segment').count()) > 0);
    await page.keyboard.press('ArrowDown');
    const focusedRow = await frame.evaluate(() => globalThis.document.activeElement?.getAttribute('data-row'));
    assert.notEqual(focusedRow, code.id, 'the focus moved down a row');
    assert.equal(await frame.evaluate(() => globalThis.document.activeElement?.getAttribute('data-column')), mira.id, 'in the same column');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const n = Number(await target.innerText());
    await until('the segments of the cell', async () => (await frame.locator('#segments button.segment').count()) === n);
    assert.match(await frame.locator('#segments-title').innerText(), /^Counting the days backwards × Mira: \d+ segments? in 1 transcript$/);
    const meta = await frame.locator('#segments button.segment .meta').first().innerText();
    assert.match(meta, /Mira · interviews\/interview-02\.txt/);
    assert.match(meta, /Managing time > Counting the days backwards/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(results, 'matrices.png') });
  });

  await test('a click on a segment opens the transcript with its words selected', async () => {
    const first = frame.locator('#segments button.segment').first();
    const quote = (await first.locator('.quote').innerText()).replace(/^“|”$/g, '').replace(/…$/, '');
    await first.click();
    await until('the transcript tab', async () => (await page.locator('.tab.active[aria-label^="interview-02.txt"]').count()) > 0);
    const selected = await until('a selection in the editor', async () => {
      const text = await page.evaluate(() => globalThis.getSelection()?.toString() ?? '');
      return (await page.locator('.monaco-editor .selected-text').count()) > 0 && (text || 'yes');
    });
    assert.ok(selected);
    assert.ok(quote.length > 10);
  });

  await test('the saturation tab draws a bar per coded transcript and lists them in a table', async () => {
    await runCommand(page, 'Grounded: Show Saturation');
    frame = await matricesFrame(page);
    await until('the chart', async () => (await frame.locator('#saturation-chart svg rect.bar').count()) === 3);
    assert.equal(await frame.locator('#saturation-table tbody tr').count(), 3);
    assert.equal(await frame.locator('#tab-saturation').getAttribute('aria-selected'), 'true');
    const last = await frame.locator('#saturation-table tbody tr').last().locator('td.num').last().innerText();
    const used = new Set(
      ['interview-02', 'interview-03', 'intervju-01-nb'].flatMap((f) => JSON.parse(readFileSync(path.join(workspace, 'interviews', `${f}.txt.codes.json`), 'utf8')).codings.map((c) => c.codeId)),
    );
    assert.equal(Number(last), used.size, 'the last row: every code used');
    await page.screenshot({ path: path.join(results, 'matrices-saturation.png') });
  });

  await test('after a reload the panel comes back on the same tab', async () => {
    await page.waitForTimeout(500);
    await Promise.all([page.waitForEvent('load', { timeout: 60000 }), runCommand(page, 'Developer: Reload Window')]);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    frame = await matricesFrame(page);
    await until('the saturation tab', async () => (await frame.locator('#tab-saturation').getAttribute('aria-selected')) === 'true', 30000);
    await until('the chart', async () => (await frame.locator('#saturation-chart svg rect.bar').count()) === 3);
  });

  await test('a matrix of 153 cases draws only the columns in view; the keys reach the cells beyond, scrolling to them', async () => {
    const file = path.join(workspace, 'grounded.json');
    const current = JSON.parse(readFileSync(file, 'utf8'));
    const wide = Array.from({ length: 150 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, pseudonym: `Wide ${String(i + 1).padStart(3, '0')}`, documents: [], attributes: {} }));
    writeFileSync(file, `${JSON.stringify({ ...current, cases: [...current.cases, ...wide] }, null, 2)}\n`);
    const all = [...current.cases, ...wide].sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
    await frame.locator('#tab-case').click();
    await until('the wide matrix', async () => (await frame.locator('#matrix').getAttribute('aria-colcount')) === String(all.length + 1), 30000);
    const row = frame.locator('#matrix tbody tr').first();
    const drawn = await row.locator('td.cell').count();
    assert.ok(drawn > 0 && drawn < all.length, `${drawn} of ${all.length} columns drawn`);
    assert.equal(await frame.locator('#matrix thead th.col-head').count(), drawn, 'a header per drawn column');
    const focused = () => frame.evaluate(() => {
      const el = globalThis.document.activeElement;
      return { column: el?.getAttribute('data-column'), label: el?.getAttribute('aria-label') ?? '' };
    });
    const scrollLeft = () => frame.locator('#matrix-scroll').evaluate((el) => el.scrollLeft);
    await row.locator('td.cell').first().click();
    await page.keyboard.press('End');
    await until('the last case focused', async () => (await focused()).column === all.at(-1).id);
    assert.ok((await focused()).label.includes(all.at(-1).pseudonym), 'its screen-reader label names the case');
    assert.ok((await scrollLeft()) > 0, 'scrolled to it');
    await page.keyboard.press('Home');
    await until('the first case focused', async () => (await focused()).column === all[0].id);
    assert.equal(await scrollLeft(), 0, 'scrolled back');
    for (let i = 0; i < drawn + 2; i++) await page.keyboard.press('ArrowRight');
    await until('a case beyond the first drawing focused', async () => (await focused()).column === all[drawn + 2].id);
    assert.ok((await scrollLeft()) > 0, 'scrolled along');
    assert.equal(await frame.locator(`#matrix thead th.col-head[title="${all[drawn + 2].pseudonym}"]`).count(), 1, 'its header drawn too');
  });
});
