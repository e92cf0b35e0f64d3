// Shared by the UI test files: a tiny test runner that counts results, and polling.

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
 * Runs a command from the palette. Retried: the palette lists the extension's commands only once the
 * extension host has them. On failure the palette's rows are in the error.
 */
export async function runCommand(page, title) {
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  const wanted = title.replace(/^.*?: /, '');
  let labels = [];
  for (let attempt = 0; attempt < 4; attempt++) {
    await page.keyboard.press(`${mod}+Shift+P`);
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(title);
    try {
      await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${wanted}"]`, { timeout: 8000 });
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
