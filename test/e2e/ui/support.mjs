// Shared by the UI test files: a tiny test runner that counts results, polling, the palette, and the
// workbench itself (code-server and Chromium on a fresh copy of sample/).
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { ROOT, startCodeServer, workbenchUrl, launchBrowser } = require('../codeServer.js');

/** Runs UI tests one after another and counts them; `report()` prints the tally and appends it to GROUNDED_TEST_RESULTS. */
export function uiRunner(label) {
  const results = { passed: 0, failed: 0 };
  return {
    results,
    async test(name, fn) {
      const t = Date.now();
      try {
        await fn();
        results.passed++;
        console.log(`    ✔ ${name} (${Date.now() - t}ms)`);
      } catch (err) {
        results.failed++;
        console.log(`    ✗ ${name}\n      ${String((err && err.stack) || err).split('\n').slice(0, 4).join('\n      ')}`);
      }
    },
    fail(err) {
      results.failed++;
      console.log(`    ✗ UI run could not complete: ${(err && err.stack) || err}`);
    },
    async report(appendFileSync) {
      console.log(`  ${results.passed} passing, ${results.failed} failing (${label})`);
      if (process.env.GROUNDED_TEST_RESULTS) {
        appendFileSync(process.env.GROUNDED_TEST_RESULTS, JSON.stringify({ suite: process.env.GROUNDED_TEST_SUITE || 'e2e', ...results }) + '\n');
      }
      return results.failed > 0 ? 1 : 0;
    },
  };
}

/** Where a UI test saves its screenshots: the folder after `--screenshots` (docs/images for `npm run screenshots`), else `fallback`. */
export function screenshotDir(fallback = path.join(ROOT, 'test-results')) {
  const at = process.argv.indexOf('--screenshots');
  const dir = path.resolve(at > 0 ? process.argv[at + 1] : fallback);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Opens a file as a person does: Quick Open (Ctrl+P), its name typed, Enter once the row of that file is
 * the one focused, until its tab is the active one (a busy workbench may let a key pass), then its text.
 */
export async function openFile(page, rel) {
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  const name = path.basename(rel);
  await until(`${name} open`, async () => {
    if (await page.locator('.quick-input-widget input').isVisible()) await page.keyboard.press('Escape');
    await page.keyboard.press(`${mod}+P`);
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 5000 });
    await page.keyboard.type(name);
    await page.waitForSelector(`.quick-input-list .monaco-list-row.focused[aria-label*="${name}"]`, { timeout: 10000 });
    await page.keyboard.press('Enter');
    return page.waitForSelector(`.tab.active[data-resource-name="${name}"]`, { timeout: 10000 });
  }, 90000, 500);
  await page.waitForSelector('.monaco-editor .view-lines');
}

/** Polls until the (async) probe returns something truthy; a probe that throws counts as not yet. */
export async function until(what, probe, ms = 15000, every = 100) {
  const end = Date.now() + ms;
  for (;;) {
    let value;
    try {
      value = await probe();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/**
 * What the workbench shows, for a failure message: the editor tabs (the active one marked) and every
 * frame with the start of its text, so a webview that did not come back says whether its tab was
 * restored and what its page shows.
 */
export async function workbenchState(page) {
  const tabs = await page.locator('.tabs-container .tab').evaluateAll((els) =>
    els.map((e) => `${e.classList.contains('active') ? '*' : ''}${e.getAttribute('aria-label') || e.textContent}`)).catch(() => []);
  const frames = [];
  for (const f of page.frames()) {
    const text = await f.locator('body').innerText({ timeout: 1000 }).catch(() => '?');
    const host = await f.locator('body').getAttribute('data-host', { timeout: 1000 }).catch(() => null);
    frames.push(`${f.url().replace(/\?.*$/, '').slice(-60)}${host ? ` (data-host=${host})` : ''}: ${JSON.stringify(text.slice(0, 80))}`);
  }
  return `tabs: [${tabs.join(' | ')}]; frames: ${frames.join('; ')}`;
}

/** Presses Grounded's chord: Alt+Q (Cmd+Alt+Q on macOS), then `key` (e.g. 'c' for Code Selection). */
export async function pressChord(page, key) {
  await page.keyboard.press(process.platform === 'darwin' ? 'Meta+Alt+KeyQ' : 'Alt+KeyQ');
  await page.keyboard.press(key);
}

/**
 * Runs a command from the palette. Retried: the palette lists the extension's commands only once the
 * extension host has them. On failure the palette's rows are in the error.
 */
export async function runCommand(page, title) {
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  const wanted = title.replace(/^.*?: /, '');
  let labels = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    // F1 on a retry: a busy workbench (or a webview holding the focus) may have let the first keys pass.
    await page.keyboard.press(attempt ? 'F1' : `${mod}+Shift+P`);
    const open = await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10000 }).then(() => true, () => false);
    if (!open) {
      labels = ['(the palette did not open)'];
      await page.keyboard.press('Escape');
      continue;
    }
    await page.keyboard.type(title);
    try {
      await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${wanted}"]`, { timeout: 8000 });
      // The row of exactly this command: the palette may rank another first ("Show Rejected Suggestions"
      // above "Show Suggestions"); its aria-label is the title, then a comma and a keybinding if any.
      const rows = await page.locator('.quick-input-list .monaco-list-row').evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? ''));
      const exact = rows.findIndex((l) => l === title || l.startsWith(`${title},`) || l === wanted || l.startsWith(`${wanted},`));
      for (let i = 0; i < exact; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      return;
    } catch {
      labels = await page.locator('.quick-input-list .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
      await page.keyboard.press('Escape');
      await page.waitForTimeout(2000);
    }
  }
  throw new Error(`"${title}" is not in the palette: ${JSON.stringify(labels)}`);
}

/**
 * Selects the first place of `words` in the focused editor as a person does with Find: Ctrl+Home,
 * Ctrl+F, the words typed, Escape (Find leaves its match selected and the editor focused). Escape
 * waits until the widget counts the matches of the whole words in `text` (the file's text), since Find
 * searches as it is typed and a busy workbench may still have the match of the first few letters selected.
 */
export async function selectWithFind(page, words, text) {
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  const count = text.toLowerCase().split(words.toLowerCase()).length - 1;
  if (!count) throw new Error(`"${words}" is not in the text`);
  await page.keyboard.press(`${mod}+Home`);
  await page.keyboard.press(`${mod}+F`);
  await page.waitForSelector('.find-widget.visible textarea, .find-widget.visible input');
  await page.keyboard.press(`${mod}+A`);
  await page.keyboard.type(words);
  await until(`Find counting ${count} matches of "${words}"`, async () => {
    const field = page.locator('.find-widget.visible .find-part textarea, .find-widget.visible .find-part input').first();
    // a key press lost on a busy machine leaves other words in the field: put the words there again
    if ((await field.inputValue()) !== words) await field.fill(words);
    const counted = (await page.locator('.find-widget.visible .matchesCount').innerText()).trim();
    return (await field.inputValue()) === words && new RegExp(`^1 of ${count}$`).test(counted);
  }, 30000);
  await page.keyboard.press('Escape');
}

/** A fresh copy of sample/ in a scratch folder, for one UI test file. */
export function sampleCopy(prefix) {
  const scratch = mkdtempSync(path.join(os.tmpdir(), prefix));
  const workspace = path.join(scratch, 'sample');
  cpSync(path.join(ROOT, 'sample'), workspace, { recursive: true });
  return { scratch, workspace };
}

/** Installs a .vsix into the code-server profile under `home` with code-server's CLI (as `code --install-extension`). */
export function installVsix(home, vsix) {
  const entry = path.join(ROOT, 'tools/code-server/node_modules/code-server/out/node/entry.js');
  mkdirSync(home, { recursive: true });
  const r = spawnSync(process.execPath, [entry, '--extensions-dir', path.join(home, 'extensions'), '--user-data-dir', path.join(home, 'user-data'), '--install-extension', vsix], { encoding: 'utf8' });
  if (r.status !== 0 || !/successfully installed/.test(r.stdout)) throw new Error(`installing ${vsix} failed: ${r.stdout}${r.stderr}`);
  // The display languages the extension contributes (contributes.localizations), listed where VS Code's
  // running instance lists them after an install (user-data/languagepacks.json; the CLI install leaves that to it).
  const [folder] = readdirSync(path.join(home, 'extensions')).filter((n) => n.startsWith('grounded-qda.grounded-'));
  const manifest = JSON.parse(readFileSync(path.join(home, 'extensions', folder, 'package.json'), 'utf8'));
  const packs = {};
  for (const l of manifest.contributes.localizations ?? []) {
    packs[l.languageId] = {
      hash: `${manifest.version}-${l.languageId}`,
      extensions: [{ extensionIdentifier: { id: `${manifest.publisher}.${manifest.name}` }, version: manifest.version }],
      translations: Object.fromEntries(l.translations.map((t) => [t.id, path.join(home, 'extensions', folder, t.path)])),
      label: l.localizedLanguageName,
    };
  }
  writeFileSync(path.join(home, 'user-data', 'languagepacks.json'), JSON.stringify(packs));
}

/** Packages the extension into `dir` (a production build and vsce, as `npm run package`); returns the .vsix path. */
export function packageVsix(dir) {
  const out = path.join(dir, 'grounded.vsix');
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  const vsce = spawnSync('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  if (vsce.status !== 0) throw new Error(`vsce package failed: ${vsce.stdout}${vsce.stderr}`);
  return out;
}

/**
 * Starts code-server and Chromium, opens the workbench on the copy with the extension (coder "Kari
 * Nordmann" plus `settings`; `locale` the display language), prints `title`, runs `body(page)`, then closes both, removes the copy and
 * exits with the runner's tally. An error outside a test fails the run. `onPage` sees the page before it loads.
 * With `vsix`, that package is installed as a user installs it, instead of running the extension from ROOT.
 */
export async function inWorkbench(runner, copy, { title, settings = {}, locale, vsix, onPage }, body) {
  let server, browser;
  try {
    if (vsix) installVsix(path.join(copy.scratch, 'vscode'), vsix);
    server = await startCodeServer({ home: path.join(copy.scratch, 'vscode'), settings: { 'grounded.coder': 'Kari Nordmann', ...settings }, locale });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    if (onPage) onPage(page);
    await page.goto(workbenchUrl(server.base, server.port, { folder: copy.workspace, extensionDevelopmentPaths: vsix ? [] : [ROOT] }));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.statusbar', { timeout: 30000 });
    console.log(`  ${title}`);
    await body(page);
  } catch (err) {
    runner.fail(err);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.stop();
    rmSync(copy.scratch, { recursive: true, force: true });
  }
  process.exit(await runner.report(appendFileSync));
}
