// Grounded in a light, a dark and a high-contrast theme:
// - the Categories & Memos board takes the workbench's theme colours (its background and text follow
//   the theme, not fixed colours);
// - a transcript with overlapping codings draws each coding with a mark of its own (the first
//   underlined, the second boxed, each in its code's colour, as separate decorations), over a
//   translucent fill except in high contrast;
// - the Segments view's tooltip holds a segment's whole quote, which the row cuts short.
//   node test/e2e/ui/themes.ui.mjs [--screenshots DIR]
// Screenshots of the transcript and the Segments view go to test-results/ (or DIR; `npm run
// screenshots` uses docs/images): themes-light.png, themes-dark.png, themes-high-contrast.png and
// segments-tooltip.png; the board's to test-results/webview-<theme>.png.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { openFile, runCommand, uiRunner, until } from './support.mjs';

const require = createRequire(import.meta.url);
const { ROOT, startCodeServer, workbenchUrl, launchBrowser } = require('../codeServer.js');
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
const results = path.join(ROOT, 'test-results');
const shotsArg = process.argv.indexOf('--screenshots');
const shots = path.resolve(shotsArg > 0 ? process.argv[shotsArg + 1] : results);
mkdirSync(results, { recursive: true });
mkdirSync(shots, { recursive: true });
const runner = uiRunner('UI, themes');
const { test } = runner;

/** Relative luminance of a CSS rgb() colour (WCAG). */
function luminance(css) {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
/** `#rrggbb` as the browser writes it: `rgb(r, g, b)`. */
const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

// Two codings of interview-02 overlap on one paragraph: "Counting the days backwards" (Kari, the
// longer one, first) and "Routines and structure" (Jonas, starting inside it).
const TRANSCRIPT = 'interview-02.txt';
const OUTER = 'Counting the days backwards';
const INNER = 'Routines and structure';

/** The decoration elements of the editor with their classes and the colours of their underline, box (outline) and fill. */
const drawnMarks = (page) => page.evaluate(() => [...globalThis.document.querySelectorAll('.monaco-editor .view-overlays .cdr')].map((el) => {
  const s = globalThis.getComputedStyle(el);
  const line = (side) => (s[`border${side}Style`] === 'solid' && parseFloat(s[`border${side}Width`]) >= 2 ? s[`border${side}Color`] : undefined);
  const bg = s.backgroundColor;
  const box = s.outlineStyle === 'solid' && parseFloat(s.outlineWidth) >= 1 ? s.outlineColor : undefined;
  return { classes: el.className, under: line('Bottom'), box, fill: bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent' ? bg : undefined };
}));

async function checkBoard(page, { light, minContrast, file }) {
  const frame = await until('the board', async () => {
    for (const f of page.frames()) if (await f.locator('body[data-host="panel"] #category-tree [role="treeitem"]').count().catch(() => 0)) return f;
    return undefined;
  }, 30000, 200);
  // Runs in the webview (a browser page): globalThis is its window.
  const colours = await until('the theme in the webview', async () => {
    const c = await frame.evaluate(() => {
      const doc = globalThis.document;
      const style = (el) => globalThis.getComputedStyle(el);
      const item = doc.querySelector('#category-tree [role="treeitem"]');
      return { background: style(doc.body).backgroundColor, text: style(item).color, editorBackground: style(doc.documentElement).getPropertyValue('--vscode-editor-background').trim() };
    });
    return c.editorBackground && luminance(c.background) > 0.5 === light && c;
  }, 30000).catch(() => undefined);
  await page.screenshot({ path: path.join(results, file) });
  assert.ok(colours, `the webview receives the theme's variables and a ${light ? 'light' : 'dark'} background`);
  const ratio = contrast(colours.background, colours.text);
  assert.ok(ratio >= minContrast, `text ${colours.text} on ${colours.background}: contrast ${ratio.toFixed(1)} < ${minContrast}`);
}

async function checkOverlap(page, { workspace, highContrast, file }) {
  const codes = JSON.parse(readFileSync(path.join(workspace, 'grounded.json'), 'utf8')).codes;
  const colour = (name) => rgb(codes.find((c) => c.name === name).color);
  // The command's code picker, the command run again when a busy workbench let its Enter pass
  await until('the code picker of Show Segments of Code', async () => {
    if (await page.locator('.quick-input-widget input').isVisible()) await page.keyboard.press('Escape'); // left open by a failed step
    await runCommand(page, 'Grounded: Show Segments of Code');
    return page.waitForSelector('.quick-input-widget input[placeholder="Pick a code"]', { state: 'visible', timeout: 15000 });
  }, 90000, 0);
  await page.keyboard.type(OUTER);
  await page.waitForSelector(`.quick-input-list .monaco-list-row.focused[aria-label^="${OUTER}"]`);
  await page.keyboard.press('Enter');
  const segments = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Segments' }) });
  await until('the segments listed', async () => (await segments.locator('.monaco-list-row', { hasText: TRANSCRIPT }).count()) > 0);
  await openFile(page, TRANSCRIPT);
  const marks = await until('the overlapping codings drawn, one underlined, one boxed', async () => {
    const m = await drawnMarks(page);
    return m.some((x) => x.under === colour(OUTER)) && m.some((x) => x.box === colour(INNER)) && m;
  });
  const under = marks.filter((x) => x.under === colour(OUTER));
  const boxed = marks.filter((x) => x.box === colour(INNER));
  // each lane is its own decoration: the underline's elements are not boxed, the box's not underlined
  assert.ok(under.every((x) => !x.box) && boxed.every((x) => !x.under), 'one mark per decoration');
  assert.ok(under.every((u) => boxed.every((o) => u.classes !== o.classes)), 'the two lanes are drawn by different decoration types');
  const fills = marks.filter((x) => x.fill);
  if (highContrast) assert.equal(fills.length, 0, 'no fills in high contrast, only lines');
  else assert.ok(fills.some((x) => /rgba\(.+, 0\.3\d*\)/.test(x.fill)), `translucent fills of the default strength: ${fills.map((x) => x.fill).join(' ')}`);
  await page.mouse.move(5, 500); // no hover in the picture
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(shots, file) });
}

/** Resting the pointer on a segment shows its whole quote, which the row cuts short. */
async function checkTooltip(page, { workspace, file }) {
  const sidecar = JSON.parse(readFileSync(path.join(workspace, 'interviews', `${TRANSCRIPT}.codes.json`), 'utf8'));
  const codes = JSON.parse(readFileSync(path.join(workspace, 'grounded.json'), 'utf8')).codes;
  const outer = codes.find((c) => c.name === OUTER).id;
  const quote = sidecar.codings.filter((c) => c.codeId === outer).sort((a, b) => a.anchor.start - b.anchor.start)[0].anchor.quote;
  const lastWords = quote.trim().split(/\s+/).slice(-4).join(' ');
  const segments = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Segments' }) });
  const row = segments.locator('.monaco-list-row', { hasText: quote.slice(0, 20) }).first();
  assert.ok(!(await row.innerText()).includes(lastWords), 'the row cuts the quote short');
  const hover = page.locator('.workbench-hover, .monaco-hover:not(.hidden)', { hasText: lastWords });
  await until('the tooltip with the whole quote', async () => {
    await row.hover();
    return (await hover.count()) > 0;
  }, 15000, 1500);
  const text = (await hover.first().innerText()).replace(/\s+/g, ' ');
  assert.ok(text.includes(quote.replace(/\s+/g, ' ').trim()), `the whole quote: ${text}`);
  assert.match(text, new RegExp(`${OUTER}[\\s\\S]*In interviews/${TRANSCRIPT.replace('.', '\\.')} \\(.+\\), coded by Kari Nordmann on \\d{4}-\\d{2}-\\d{2}`));
  await page.waitForTimeout(400); // let the hover finish fading in
  await page.screenshot({ path: path.join(shots, file) });
}

for (const { label, theme, pick, light, minContrast, name, highContrast = false } of [
  { label: '"Default Light Modern"', theme: 'Default Light Modern', light: true, minContrast: 4.5, name: 'light' },
  { label: '"Default Dark Modern"', theme: 'Default Dark Modern', light: false, minContrast: 4.5, name: 'dark' },
  { label: 'Dark High Contrast', theme: 'Default Dark Modern', pick: 'Dark High Contrast', light: false, minContrast: 7, name: 'high-contrast', highContrast: true },
]) {
  console.log(`  UI: ${label}`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grounded-theme-'));
  const workspace = path.join(scratch, 'sample');
  cpSync(path.join(ROOT, 'sample'), workspace, { recursive: true });
  let server, browser;
  try {
    server = await startCodeServer({ home: path.join(scratch, 'vscode'), settings: { 'workbench.colorTheme': theme, 'grounded.coder': 'Kari Nordmann', 'editor.wordWrap': 'on' } });
    browser = await launchBrowser();
    // The size at which the layout was judged (issue 13).
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(workbenchUrl(server.base, server.port, { folder: workspace, extensionDevelopmentPaths: [ROOT] }));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.statusbar', { timeout: 30000 });
    await test(`the board in ${label} follows the theme's colours`, async () => {
      // The theme named in the settings file is applied at start-up, except when the extension is run from
      // a folder with its own node_modules (a fresh clone): then code-server starts in Light+ and stays there.
      // A theme that did not take is picked as a person picks it.
      const wanted = highContrast ? '.monaco-workbench.hc-black' : light ? '.monaco-workbench.vs' : '.monaco-workbench.vs-dark';
      const took = !pick && (await page.waitForSelector(wanted, { timeout: 15000 }).then(() => true, () => false));
      const picking = pick ?? (took ? undefined : theme);
      await runCommand(page, 'Grounded: Open Categories');
      if (picking) {
        // Picked as a person picks it (a high-contrast theme named only in the settings file is not
        // applied at start-up); retried, since the chord can be lost while the board's webview has the focus.
        await until(`the ${picking} workbench`, async () => {
          if (await page.locator('.quick-input-widget input').isVisible()) await page.keyboard.press('Escape');
          await page.keyboard.press(`${mod}+K`);
          await page.keyboard.press(`${mod}+T`);
          await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 5000 });
          await page.keyboard.type(picking);
          await page.waitForSelector(`.quick-input-list .monaco-list-row.focused[aria-label*="${picking}"]`, { timeout: 8000 });
          await page.keyboard.press('Enter');
          return page.waitForSelector(wanted, { timeout: 5000 });
        }, 60000, 0);
      }
      await checkBoard(page, { light, minContrast, file: `webview-${name}.png` });
    });
    await test(`in ${label} overlapping codings show two marks of their own colours${highContrast ? ' (no fills)' : ', over translucent fills'}`, async () => {
      await checkOverlap(page, { workspace, highContrast, file: `themes-${name}.png` });
    });
    if (name === 'light') {
      await test('resting the pointer on a segment shows its whole quote, code, document and coder', async () => {
        await checkTooltip(page, { workspace, file: 'segments-tooltip.png' });
      });
    }
  } catch (err) {
    runner.fail(err);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

process.exit(await runner.report(appendFileSync));
