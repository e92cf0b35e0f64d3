// The Categories & Memos board in a light and in a high-contrast theme: the webview takes the
// workbench's theme colours (its background and text follow the theme, not fixed colours), and a
// screenshot of each is saved to test-results/ for a person to look at.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { uiRunner, until } from './support.mjs';

const require = createRequire(import.meta.url);
const { ROOT, startCodeServer, workbenchUrl, launchBrowser } = require('../codeServer.js');
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
const shots = path.join(ROOT, 'test-results');
mkdirSync(shots, { recursive: true });
const runner = uiRunner('UI, themes');
const results = runner.results;


/** Relative luminance of a CSS rgb() colour (WCAG). */
function luminance(css) {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

for (const [theme, file, light, minContrast] of [
  ['Default Light Modern', 'webview-light.png', true, 4.5],
  ['Default Dark Modern', 'webview-high-contrast.png', false, 7],
]) {
  const name = `the board in ${light ? `"${theme}"` : 'Dark High Contrast'} follows the theme's colours`;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grounded-theme-'));
  const workspace = path.join(scratch, 'sample');
  cpSync(path.join(ROOT, 'sample'), workspace, { recursive: true });
  let server, browser;
  const t = Date.now();
  try {
    server = await startCodeServer({ home: path.join(scratch, 'vscode'), settings: { 'workbench.colorTheme': theme, 'grounded.coder': 'Kari Nordmann' } });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(workbenchUrl(server.base, server.port, { folder: workspace, extensionDevelopmentPaths: [ROOT] }));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.statusbar', { timeout: 30000 });
    // The palette lists the command once the extension's contributions are in (retried, as a person would).
    for (let attempt = 0; ; attempt++) {
      await page.keyboard.press(`${mod}+Shift+P`);
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type('Grounded: Open Categories');
      try {
        await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="Open Categories"]', { timeout: 8000 });
        await page.keyboard.press('Enter');
        break;
      } catch (err) {
        await page.keyboard.press('Escape');
        if (attempt === 4) throw err;
        await page.waitForTimeout(2000);
      }
    }
    const frame = await until('the board', async () => {
      for (const f of page.frames()) if (await f.locator('body[data-host="panel"] #category-tree [role="treeitem"]').count().catch(() => 0)) return f;
      return undefined;
    }, 30000, 200);
    if (!light) {
      // Picked as a person picks it (a high-contrast theme named only in the settings file is not applied at start-up).
      await page.keyboard.press(`${mod}+K`);
      await page.keyboard.press(`${mod}+T`);
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type('Dark High Contrast');
      await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="Dark High Contrast"]', { timeout: 8000 });
      await page.keyboard.press('Enter');
      await until('the high-contrast workbench', async () => (await page.locator('.monaco-workbench.hc-black').count()) > 0, 10000);
      await page.waitForTimeout(1000);
    }
    // Runs in the webview (a browser page): globalThis is its window.
    const colours = await frame.evaluate(() => {
      const doc = globalThis.document;
      const style = (el) => globalThis.getComputedStyle(el);
      const item = doc.querySelector('#category-tree [role="treeitem"]');
      return { background: style(doc.body).backgroundColor, text: style(item).color, editorBackground: style(doc.documentElement).getPropertyValue('--vscode-editor-background').trim() };
    });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(shots, file) });
    assert.ok(colours.editorBackground, 'the webview receives the theme variables');
    assert.equal(luminance(colours.background) > 0.5, light, `background ${colours.background} is ${light ? 'light' : 'dark'}`);
    const ratio = contrast(colours.background, colours.text);
    assert.ok(ratio >= minContrast, `text ${colours.text} on ${colours.background}: contrast ${ratio.toFixed(1)} < ${minContrast}`);
    results.passed++;
    console.log(`    ✔ ${name} (${Date.now() - t}ms)`);
  } catch (err) {
    results.failed++;
    console.log(`    ✗ ${name}\n      ${String((err && err.stack) || err).split('\n').slice(0, 4).join('\n      ')}`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exit(await runner.report(appendFileSync));
