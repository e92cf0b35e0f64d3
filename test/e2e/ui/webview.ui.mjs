// UI tests of the Categories & Memos board in VS Code 1.100 (code-server) and Chromium, on a fresh copy
// of sample/: the webview renders the category tree, a memo typed in it lands in memos/, a hostile memo
// runs no script, keyboard moves reach grounded.json, and a reload brings back the same board.
//   node test/e2e/ui/webview.ui.mjs [--screenshots DIR]
// Screenshots: test-results/webview.png (or DIR/webview.png; `npm run screenshots` uses docs/images).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inWorkbench, runCommand, sampleCopy, screenshotDir, uiRunner, until, workbenchState } from './support.mjs';

const require = createRequire(import.meta.url);
const { ROOT } = require('../codeServer.js');

const shots = screenshotDir();
mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

const copy = sampleCopy('grounded-ui-webview-');
const { workspace } = copy;

const runner = uiRunner('UI');
const { test } = runner;

const project = () => JSON.parse(readFileSync(path.join(workspace, 'grounded.json'), 'utf8'));
const memoFiles = () => readdirSync(path.join(workspace, 'memos')).map((f) => ({ name: f, text: readFileSync(path.join(workspace, 'memos', f), 'utf8') }));

/** The board's document: the inner frame of the webview (the editor panel, or the sidebar view) that shows the tree. */
async function boardFrame(page, host = 'panel', ms = 60000) {
  // after a reload on a busy machine the workbench, the extension and the webview all load first
  return until(`the board webview (${host})`, () => findBoardFrame(page, host), ms);
}

/** The board's frame if it is there now. */
async function findBoardFrame(page, host) {
  for (const f of page.frames()) {
    if (await f.locator(`body[data-host="${host}"] #category-tree`).count().catch(() => 0)) return f;
  }
  return undefined;
}

const HOSTILE = [
  '# Hostile memo',
  '<script>window.__groundedPwned = "script"</script>',
  '<img src=x onerror="window.__groundedPwned = \'img\'">',
  '<iframe srcdoc="<script>parent.__groundedPwned = 1</script>"></iframe>',
  '[click](javascript:window.__groundedPwned=3)',
].join('\n\n');

const consoleLines = [];
await inWorkbench(runner, copy, { title: 'UI: the Categories & Memos board', settings: { 'workbench.colorTheme': 'Default Dark Modern' }, onPage: (page) => { page.on('console', (m) => consoleLines.push(m.text())); } }, async (page) => {
  let frame;
  /** Every test after a failed opening would fail the same way: they are skipped with the reason. */
  const needFrame = () => assert.ok(frame, 'the board did not open');
  const row = (label) => (needFrame(), frame).locator(`[role="treeitem"][aria-label^="${label}"]`).first();

  await test('the board opens from the palette as an editor and shows the category tree with counts', async () => {
    await runCommand(page, 'Grounded: Open Categories & Memos');
    frame = await boardFrame(page);
    const label = await until('the category row', async () => (await row('Category Managing time').count()) && row('Category Managing time').getAttribute('aria-label'));
    assert.match(label, /^Category Managing time, \d+ segments? in \d+ documents?$/);
  });

  await test('the page shows the texts the host translated (data-strings): every one given, the tabs and buttons use them', async () => {
    needFrame();
    const strings = JSON.parse(await frame.locator('body').getAttribute('data-strings'));
    assert.ok(Object.keys(strings).length > 100, 'the texts of the page');
    for (const [key, text] of Object.entries(strings)) assert.ok(typeof text === 'string' && text.trim(), `a text for ${key}`);
    assert.equal(strings.tabCategories, 'Categories', 'English in an English VS Code');
    assert.equal(await frame.locator('#tab-tree').textContent(), strings.tabCategories);
    assert.equal(await frame.locator('#new-category').getAttribute('aria-label'), strings.newCategory);
    assert.equal(await frame.locator('#category-tree').getAttribute('aria-label'), strings.treeLabel);
  });

  await test('a hostile memo is shown as text: no script runs, no element of it is rendered', async () => {
    await row('Project').click();
    await until('the project memo heading', async () => /^Project/.test(await frame.locator('#memo-heading').innerText()));
    // The sample's project memo is open; start a new one for the hostile text.
    await frame.locator('#new-memo').click();
    await until('an empty new memo', async () => (await frame.locator('#memo-editor').evaluate((e) => e.value)) === '');
    await frame.locator('#memo-editor textarea').fill(HOSTILE);
    await until('the hostile memo saved', async () => /^Saved/.test(await frame.locator('#memo-status').innerText()));
    await frame.locator('#preview-toggle').click();
    const preview = frame.locator('#memo-preview');
    await until('the preview', async () => /Hostile memo/.test(await preview.innerText()));
    assert.equal(await preview.locator('script, img, iframe').count(), 0, 'no script, img or iframe element');
    assert.match(await preview.innerText(), /<script>window.__groundedPwned/);
    assert.equal(await preview.locator('a').count(), 0, 'the javascript: link is not a link');
    await page.waitForTimeout(500);
    assert.equal(await frame.evaluate(() => globalThis.__groundedPwned), undefined, 'no hostile script ran');
    assert.ok(!consoleLines.some((l) => /groundedPwned/.test(l)));
    assert.ok(memoFiles().some((f) => f.text.includes('window.__groundedPwned = "script"')), 'the text is kept in the file as written');
    await frame.locator('#preview-toggle').click();
  });

  const memoText = '# Waiting as a category\n\nTime inside is counted backwards: see [[code:Counting the days backwards]] and [[code:Routines and structure]].\n\n- *waiting* structures the day\n- release dates anchor hope';
  await test('a memo typed for a category is saved to memos/ with its text and shows author and dates', async () => {
    await row('Category Managing time').click();
    await until('the category memo heading', async () => (await frame.locator('#memo-heading').innerText()) === 'Category Managing time');
    if (await frame.locator('#memo-preview').isVisible()) await frame.locator('#preview-toggle').click();
    assert.equal(await frame.locator('#memo-editor textarea').getAttribute('aria-label'), 'Memo text in Markdown. Links: [[code:name]], [[coding:id]], [[document:path]]. Saved as you type.');
    await frame.locator('#memo-editor textarea').fill(memoText);
    await until('saved', async () => /^Saved/.test(await frame.locator('#memo-status').innerText()));
    const file = await until('the memo file', () => memoFiles().find((f) => f.text.includes('Time inside is counted backwards')));
    assert.match(file.name, /^managing-time-[0-9a-f]{8}\.md$/);
    assert.match(file.text, /^---\nid: [0-9a-f-]+\ntarget: code:[0-9a-f-]+\nauthor: Kari Nordmann\n/);
    assert.match(await frame.locator('#memo-meta').innerText(), /^Kari Nordmann · created \d{4}-\d{2}-\d{2} \d{2}:\d{2} · modified/);
  });

  await test('Ctrl+X and Ctrl+V in the tree move a code into another category (the keyboard drag and drop)', async () => {
    const id = project().codes.find((c) => c.name === 'Work and education').id;
    const target = project().codes.find((c) => c.name === 'Keeping connected').id;
    await row('Category Managing time').click();
    await page.keyboard.press('ArrowRight'); // opens the category
    await row('Code Work and education').click();
    await page.keyboard.press(`${mod}+X`);
    await row('Category Keeping connected').focus();
    await page.keyboard.press(`${mod}+V`);
    await until('the new parent in grounded.json', () => project().codes.find((c) => c.id === id).parent === target);
    await until('the tree shows it', async () => (await row('Category Keeping connected').getAttribute('aria-expanded')) !== null);
  });

  await test('Alt+Down in the tree moves a code below its next sibling, kept as "order" in grounded.json', async () => {
    // Managing time is open (above): its codes by name until arranged.
    const under = project().codes.filter((c) => c.parent === project().codes.find((k) => k.name === 'Managing time').id);
    const first = under.map((c) => c.name).sort((a, b) => a.localeCompare(b))[0];
    await row(`Code ${first}`).click();
    await page.keyboard.press('Alt+ArrowDown');
    await until('the order in grounded.json', () => project().codes.find((c) => c.name === first).order === 1);
  });

  await test('dragging a code with the mouse onto another category in the tree moves it there', async () => {
    const id = project().codes.find((c) => c.name === 'Trust in officers').id;
    const target = project().codes.find((c) => c.name === 'Managing time').id;
    await row('Category Trust and surveillance').click();
    if ((await row('Category Trust and surveillance').getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
    await row('Code Trust in officers').dragTo(row('Category Managing time'));
    await until('the new parent in grounded.json', () => project().codes.find((c) => c.id === id).parent === target);
  });

  await test('the focused-coding table sorts by segments and marks a code focused', async () => {
    await frame.locator('#tab-table').click();
    const header = frame.locator('button.sort[data-column="segments"]');
    const sortOf = () => frame.locator('th:has(button.sort[data-column="segments"])').getAttribute('aria-sort');
    if ((await sortOf()) !== 'descending') await header.click();
    assert.equal(await sortOf(), 'descending');
    const counts = await frame.locator('#focus-table tbody tr td.num:nth-of-type(2)').allInnerTexts();
    const numbers = counts.map(Number);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => b - a));
    const first = frame.locator('#focus-table tbody tr').first();
    const code = await first.getAttribute('data-code');
    await first.locator('button.star').click();
    await until('focused in grounded.json', () => project().codes.find((c) => c.id === code).focused === true);
    await frame.locator('#tab-tree').click();
  });

  await test('the sidebar view shows the same board, with the edits made in the editor panel', async () => {
    await runCommand(page, 'Grounded: Focus on Categories & Memos View');
    const side = await boardFrame(page, 'view');
    const focusedRow = side.locator('[role="treeitem"][aria-label^="Category Managing time"]');
    await until('the category in the sidebar', async () => (await focusedRow.count()) > 0);
    await page.screenshot({ path: path.join(ROOT, 'test-results', 'webview-sidebar.png') });
  });

  await test('screenshot of the board with a memo in preview (test-results/webview.png)', async () => {
    await row('Category Managing time').click();
    await until('the memo', async () => (await frame.locator('#memo-editor').evaluate((e) => e.value)).includes('counted backwards'));
    await frame.locator('#preview-toggle').click();
    await until('the preview with links', async () => (await frame.locator('#memo-preview .memo-link').count()) === 2);
    // The Codes view beside the board, the notifications cleared, a second category open.
    await runCommand(page, 'Grounded: Focus on Codes View');
    await runCommand(page, 'Notifications: Clear All Notifications');
    await row('Category Trust and surveillance').click();
    await page.keyboard.press('ArrowRight');
    await row('Category Managing time').click();
    await page.waitForTimeout(800);
    await page.screenshot({ path: path.join(shots, 'webview.png') });
    if (shots !== path.join(ROOT, 'test-results')) await page.screenshot({ path: path.join(ROOT, 'test-results', 'webview.png') });
  });

  await test('after a reload the board comes back with the same node selected and its memo in preview', async () => {
    // As a person reloads: the command lets the workbench save its state (a browser reload may cut it short).
    await page.waitForTimeout(500);
    let reloadedAt = 0;
    const reload = async () => {
      consoleLines.length = 0;
      await Promise.all([page.waitForEvent('load', { timeout: 60000 }), runCommand(page, 'Developer: Reload Window')]);
      await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
      reloadedAt = Date.now();
    };
    await reload();
    // In a browser all webviews share one origin, and VS Code's webview page registers a service worker per
    // webview: when the board panel and the board view are restored at once, one page may wait forever for
    // its worker ("Found unexpected service worker controller … Waiting for controllerchange", or "Error
    // loading webview"). That is VS Code's (desktop VS Code gives every webview an origin of its own); the
    // user's remedy is to reload again, and so does this test, twice at most, when VS Code logged it.
    // Any other failure fails the test.
    const vscodeFailed = async () => consoleLines.find((l) => /Error loading webview|unexpected service worker controller|register (a )?service ?worker/i.test(l))
      || (await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => []))
        .find((t) => /Error loading webview/i.test(t));
    const reloadedAgain = [];
    // two CI runs at once may take more than a minute to bring the workbench, the extension and the panel back
    frame = await until('the board webview (panel)', async () => {
      const f = await findBoardFrame(page, 'panel');
      if (f) return f;
      const failed = reloadedAgain.length < 2 && Date.now() - reloadedAt > 45000 && await vscodeFailed();
      if (failed) {
        reloadedAgain.push(failed.slice(0, 160));
        console.log(`      (VS Code did not load the webview: ${failed.slice(0, 160)}; reloading once more)`);
        await reload();
      }
      return undefined;
    }, 240000, 500).catch(async (err) => {
      await page.screenshot({ path: path.join(ROOT, 'test-results', 'webview-after-reload.png') });
      const said = consoleLines.filter((l) => /webview|service ?worker|grounded/i.test(l)).slice(-5).map((l) => l.slice(0, 200));
      throw new Error(`${err.message}; ${await workbenchState(page)}; console: ${JSON.stringify(said)}${reloadedAgain.length ? '; reloaded again after: ' + reloadedAgain.join(' / ') : ''}`);
    });
    await until('the selected category', async () => (await row('Category Managing time').getAttribute('aria-selected')) === 'true', 30000);
    await until('its memo', async () => (await frame.locator('#memo-heading').innerText()) === 'Category Managing time');
    assert.equal(await frame.locator('#memo-preview').isVisible(), true, 'the preview is still on');
    assert.match(await frame.locator('#memo-preview').innerText(), /Time inside is counted backwards/);
  });
  await test('a click on a code link in the preview reveals the code in the Codes view', async () => {
    await frame.locator('#memo-preview .memo-link', { hasText: 'Counting the days backwards' }).click();
    await until('the code selected in the Codes view', async () =>
      (await page.locator('.pane-body .monaco-list-row.selected[aria-label^="Code Counting the days backwards,"]').count()) > 0);
  });

});
