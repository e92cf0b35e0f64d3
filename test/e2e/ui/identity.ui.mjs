// UI test: a researcher's first coding with no coder name set. Grounded asks for the name in an input
// box (typed by hand here), saves it in the user settings, records it, shows it in the status bar, and
// does not ask again.
//   node test/e2e/ui/identity.ui.mjs
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inWorkbench, openFile, pressChord, sampleCopy, selectWithFind, uiRunner, until } from './support.mjs';

const copy = sampleCopy('grounded-ui-identity-');
const { workspace, scratch } = copy;
const runner = uiRunner('UI identity');
const { test } = runner;

const rel = 'interviews/intervju-01-nb.txt';
const sidecar = () => JSON.parse(readFileSync(path.join(workspace, `${rel}.codes.json`), 'utf8'));
const userSettings = () => JSON.parse(readFileSync(path.join(scratch, 'vscode', 'user-data', 'User', 'settings.json'), 'utf8'));
const NAME = 'Kari Tastet';

/** Selects `words`, presses Code Selection's keys, and returns the title of the box that opens. */
async function codeSelectionOn(page, words) {
  await page.locator('.monaco-editor .view-lines').first().click();
  await selectWithFind(page, words, readFileSync(path.join(workspace, rel), 'utf8'));
  await pressChord(page, 'c');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  return until('the box title', async () => (await page.locator('.quick-input-widget .quick-input-title').innerText()).trim());
}

/** Types a new code name in the open code picker and takes it. */
async function newCode(page, name) {
  await page.keyboard.type(name);
  await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="New code"]');
  await page.keyboard.press('Enter');
}

await inWorkbench(runner, copy, { title: 'UI: who is coding', settings: { 'grounded.coder': '' } }, async (page) => {
  await test('the first coding asks for the coder name; the name typed is saved for the user and recorded', async () => {
    await openFile(page, rel);
    await until('the status bar saying no name is set', async () => (await page.locator('.statusbar-item', { hasText: 'No coder name' }).count()) > 0, 30000);

    const title = await codeSelectionOn(page, 'Klokka sju kommer betjenten og låser opp');
    assert.equal(title, 'Grounded: Who Is Coding?');
    // The box is prefilled from git a moment after it opens: replace whatever it holds, then check it.
    const box = page.locator('.quick-input-widget input');
    await until('the name typed', async () => {
      await box.fill(NAME);
      return (await box.inputValue()) === NAME;
    });
    await page.keyboard.press('Enter');
    await until('the code picker', async () => (await page.locator('.quick-input-widget .quick-input-title').innerText()).includes('Code Selection'));
    await newCode(page, 'e2e fast rytme');
    const coding = await until('the coding', () => sidecar().codings.find((c) => c.anchor.quote === 'Klokka sju kommer betjenten og låser opp'));
    assert.equal(coding.coder, NAME);
    assert.equal(userSettings()['grounded.coder'], NAME, 'saved in the user settings');
    assert.equal(existsSync(path.join(workspace, '.vscode', 'settings.json')), false, 'not in the workspace settings');
    await until('the name in the status bar', async () => (await page.locator('.statusbar-item', { hasText: NAME }).count()) > 0);
  });

  await test('the second coding does not ask', async () => {
    const title = await codeSelectionOn(page, 'frokost på avdelingen');
    assert.match(title, /Code Selection/);
    await newCode(page, 'e2e frokost');
    const coding = await until('the coding', () => sidecar().codings.find((c) => c.anchor.quote === 'frokost på avdelingen'));
    assert.equal(coding.coder, NAME);
  });
});
