// UI tests of the way to findings in VS Code 1.100 (code-server) and Chromium, on a fresh copy of sample/:
// the Cases view lists the participants by pseudonym; a name selected in a transcript goes into the
// pseudonym table from the editor's context menu, and a name that is also a word can be matched only as
// written; "Export Report" from the palette writes the report with the pseudonym applied and says so in
// a notification.
//   node test/e2e/ui/findings.ui.mjs
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inWorkbench, runCommand, sampleCopy, selectWithFind, uiRunner, until } from './support.mjs';

const copy = sampleCopy('grounded-ui-findings-');
const { workspace } = copy;
const project = JSON.parse(readFileSync(path.join(workspace, 'grounded.json'), 'utf8'));
const file = (rel) => path.join(workspace, rel);

/** Step 2 of Add Name to Pseudonym Table: "Another pseudonym…" in the pick, then the pseudonym typed into the empty input box that follows. */
async function typeNewPseudonym(page, pseudonym) {
  await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 10000 });
  await page.keyboard.type('Another pseudonym');
  await page.keyboard.press('Enter');
  await until('the input box for the pseudonym', async () => {
    const input = page.locator('.quick-input-widget input').first();
    return (await input.isVisible()) && (await input.inputValue()) === '';
  });
  await page.keyboard.type(pseudonym);
  await page.keyboard.press('Enter');
}

const runner = uiRunner('UI');
const { test } = runner;

await inWorkbench(runner, copy, { title: 'UI: from codes to findings', settings: { 'workbench.colorTheme': 'Default Dark Modern' } }, async (page) => {
  await test('the Cases view lists every participant by pseudonym with their attributes', async () => {
    await runCommand(page, 'Grounded: Focus on Cases View');
    const view = page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Cases' }) });
    await until('the cases', async () => (await view.locator('.monaco-list-row').count()) >= project.cases.length);
    const rows = await view.locator('.monaco-list-row').allInnerTexts();
    for (const k of project.cases) assert.ok(rows.some((r) => r.includes(k.pseudonym)), `${k.pseudonym} in ${JSON.stringify(rows)}`);
    const [name, value] = Object.entries(project.cases[0].attributes)[0];
    assert.ok(rows.some((r) => r.includes(`${name}: ${value}`)), 'attributes in the description');
  });

  await test('a name selected in a transcript goes into the pseudonym table from the context menu', async () => {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('interview-03.txt');
    await page.waitForSelector('.quick-input-list .monaco-list-row', { timeout: 10000 });
    await page.keyboard.press('Enter');
    const editor = page.locator('.monaco-editor .view-lines').first();
    await editor.waitFor({ timeout: 15000 });
    // The extension has the transcript when its codings are drawn (the context menu item needs that).
    await until('the codings drawn', () => page.evaluate(() => [...globalThis.document.querySelectorAll('.monaco-editor .view-overlays .cdr')]
      .some((el) => { const bg = globalThis.getComputedStyle(el).backgroundColor; return bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent'; })), 30000);
    // Select "Norwegian" (Tomas's second language, which would identify him in a small population) with Find,
    // open the editor's context menu from the keyboard, move to the item with the arrow keys and press
    // Enter; the whole gesture is tried again while the menu or the command is not ready yet.
    const item = page.locator('.context-view .action-item', { hasText: 'Add Name to Pseudonym Table' });
    for (let attempt = 0; ; attempt++) {
      try {
        await editor.click();
        await selectWithFind(page, 'Norwegian', readFileSync(file('interviews/interview-03.txt'), 'utf8'));
        await page.keyboard.press('Shift+F10');
        await item.waitFor({ timeout: 5000 });
        for (let i = 0; i < 40 && !(await item.evaluate((el) => el.classList.contains('focused'))); i++) await page.keyboard.press('ArrowDown');
        await page.keyboard.press('Enter');
        await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 });
        // Step 1 offers the selected words.
        assert.equal(await page.locator('.quick-input-widget input').inputValue(), 'Norwegian');
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        await page.keyboard.press('Escape');
        await page.waitForTimeout(1000);
      }
    }
    await page.keyboard.press('Enter');
    await typeNewPseudonym(page, 'the local language');
    await until('the table on disk', () => readFileSync(file('pseudonyms.json'), 'utf8').includes('{"real":"Norwegian","pseudonym":"the local language"}'));
  });

  await test('for a name that is also a word ("Dag"; "dag", a day) the command asks whether to replace it only as written', async () => {
    await runCommand(page, 'Grounded: Add Name to Pseudonym Table…');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Dag');
    await page.keyboard.press('Enter');
    await typeNewPseudonym(page, 'Ivar');
    const exact = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Only "Dag" as written' });
    await exact.waitFor({ timeout: 10000 });
    assert.match(await exact.innerText(), /The \d+ places in the transcripts where it is spelled otherwise/);
    await page.keyboard.type('Only');
    await page.keyboard.press('Enter');
    await until('the table on disk', () => readFileSync(file('pseudonyms.json'), 'utf8').includes('{"real":"Dag","pseudonym":"Ivar","matchCase":true}'));
  });

  await test('Export Report from the palette writes the report with the pseudonym applied and says where it went', async () => {
    await runCommand(page, 'Grounded: Export Report');
    await until('the report', () => existsSync(file('exports/report.html')) && existsSync(file('exports/report.md')), 30000);
    const toast = page.locator('.notification-toast', { hasText: 'wrote report.md, report.html, saturation.svg to exports/' });
    await toast.waitFor({ timeout: 15000 });
    const md = readFileSync(file('exports/report.md'), 'utf8');
    // Tomas's representative quote "a children's book, in Norwegian, about a fox"
    assert.ok(md.includes("a children's book, in the local language, about a fox"), 'the quote with the pseudonym');
    assert.ok(!/Norwegian/i.test(md), 'the real name is nowhere in the report');
    assert.match(readFileSync(file('exports/report.html'), 'utf8'), /<svg class="chart"/);
    const representative = JSON.parse(readFileSync(file('interviews/intervju-01-nb.txt.codes.json'), 'utf8')).codings.find((c) => c.representative && c.translation);
    if (representative) assert.ok(md.includes(representative.translation.text.slice(0, 30)), 'a translated representative quote');
  });
});
