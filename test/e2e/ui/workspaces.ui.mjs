// Which folders Grounded serves, as a person sees it. A folder without grounded.json gets no Grounded
// items in an editor's context menu. A window of several folders serves the first folder with
// grounded.json: its transcripts have the Grounded items, a Markdown file of another folder has none,
// and a message names the served folder and offers to open the other project in a window of its own.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { uiRunner, until } from './support.mjs';

const require = createRequire(import.meta.url);
const { ROOT, startCodeServer, workbenchUrl, launchBrowser } = require('../codeServer.js');
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
const runner = uiRunner('UI, workspaces');
const GROUNDED_ITEMS = /Code Selection|In-Vivo Code|Code with Last Code|Remove Coding|Grounded/;

function notesFolder(dir) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'README.md'), '# Notes\n\nThese are notes about the study, not a transcript.\n');
}

/**
 * Opens `file` with Quick Open (the row naming it whose path includes `folder`, when given). The whole
 * sequence is tried again until the file's tab is active: on a busy machine the file search may not have
 * started, or the list may redraw under the click (the click lost, the picker closed).
 */
async function quickOpen(page, file, folder) {
  await until(`${file} in the editor`, async () => {
    if (await page.locator('.quick-input-widget input').isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press(`${mod}+P`);
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 5000 });
    await page.keyboard.type(file);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: file }).filter({ hasText: folder ?? file }).first();
    await row.waitFor({ timeout: 10000 });
    await row.click();
    return until(`the tab of ${file}`, async () => (await page.locator('.tab.active').innerText()).includes(file), 10000);
  }, 90000, 500);
}

/** The labels of the editor's context menu, with all text selected (the coding items need a selection). */
async function contextMenuLabels(page) {
  const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
  await editor.click();
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.press('Shift+F10');
  const items = page.locator('.context-view .action-item .action-label');
  await until('the context menu with Copy', async () => (await items.allInnerTexts()).some((t) => t.trim() === 'Copy'), 10000);
  const labels = (await items.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  await page.keyboard.press('Escape');
  return labels;
}

/** Code-server and Chromium on `target` (a folder or a .code-workspace file), then `body(page)`. */
async function inWindow(scratch, target, body) {
  let server, browser;
  try {
    server = await startCodeServer({ home: path.join(scratch, 'vscode'), settings: { 'grounded.coder': 'Kari Nordmann' } });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const url = workbenchUrl(server.base, server.port, { folder: target.endsWith('.code-workspace') ? undefined : target, extensionDevelopmentPaths: [ROOT] });
    await page.goto(target.endsWith('.code-workspace') ? `${url}&workspace=${encodeURIComponent(target)}` : url);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.statusbar', { timeout: 30000 });
    await body(page);
  } catch (err) {
    runner.fail(err);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

console.log('  Workspaces: which folders Grounded serves');

{
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grounded-noproject-'));
  const notes = path.join(scratch, 'notes');
  notesFolder(notes);
  await inWindow(scratch, notes, async (page) => {
    await runner.test('a folder without grounded.json: a Markdown file gets no Grounded items in its context menu', async () => {
      await quickOpen(page, 'README.md');
      // Whatever the extension would do, it has had the time of a normal start to do it.
      await page.waitForSelector('.statusbar-item', { timeout: 30000 });
      const labels = await contextMenuLabels(page);
      assert.deepEqual(labels.filter((l) => GROUNDED_ITEMS.test(l)), [], `menu: ${labels.join(' | ')}`);
    });
  });
}

{
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grounded-multiroot-'));
  const notes = path.join(scratch, 'notes');
  const studyA = path.join(scratch, 'studyA');
  const studyB = path.join(scratch, 'studyB');
  notesFolder(notes);
  cpSync(path.join(ROOT, 'sample'), studyA, { recursive: true });
  mkdirSync(studyB);
  cpSync(path.join(ROOT, 'sample', 'grounded.json'), path.join(studyB, 'grounded.json'));
  const file = path.join(scratch, 'three.code-workspace');
  writeFileSync(file, JSON.stringify({ folders: [{ path: 'notes' }, { path: 'studyA' }, { path: 'studyB' }] }));
  await inWindow(scratch, file, async (page) => {
    await runner.test('several folders: a message names the served project and offers to open the other in its own window', async () => {
      const toast = page.locator('.notification-toast', { hasText: 'serves the project in studyA' });
      await toast.waitFor({ timeout: 60000 });
      const text = await toast.innerText();
      assert.match(text, /The project in studyB is not served here/);
      const opened = page.context().waitForEvent('page', { timeout: 15000 });
      await toast.locator('.monaco-button', { hasText: 'Open studyB in New Window' }).click();
      const other = await opened;
      assert.match(decodeURIComponent(other.url()), /folder=[^&]*studyB/, other.url());
      await other.close();
    });

    await runner.test('several folders: the served project\'s transcripts have the Grounded items, another folder\'s Markdown has none', async () => {
      await quickOpen(page, 'interview-03.txt', 'studyA');
      await until('the codings drawn', () => page.evaluate(() => [...globalThis.document.querySelectorAll('.monaco-editor .view-overlays .cdr')]
        .some((el) => { const bg = globalThis.getComputedStyle(el).backgroundColor; return bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent'; })), 30000);
      // The menu's Grounded items follow a context key the extension host sets for the active editor; on a
      // busy machine it may come a moment after the highlights: the menu is opened again until then.
      let inProject = [];
      await until('the menu with Code Selection…', async () => (inProject = await contextMenuLabels(page)).includes('Code Selection…'), 20000).catch(() => undefined);
      assert.ok(inProject.includes('Code Selection…'), `menu: ${inProject.join(' | ')}`);
      await quickOpen(page, 'README.md', 'notes');
      const elsewhere = await contextMenuLabels(page);
      assert.deepEqual(elsewhere.filter((l) => GROUNDED_ITEMS.test(l)), [], `menu: ${elsewhere.join(' | ')}`);
    });
  });
}

process.exit(await runner.report(appendFileSync));
