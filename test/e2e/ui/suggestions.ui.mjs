// UI test: reviewing AI suggestions with the keys, in the real workbench. A transcript's sidecar holds two
// pending suggestions of "AI: ui-model" (written here, as `grounded suggest` leaves them): the editor draws
// them with a dashed border; Alt+Q Y on the first accepts it (the sidecar records the coder and the time,
// and the words get a coding's fill), Alt+Q X on the second rejects it (its border goes).
// Screenshot: test-results/ai-suggestions.png (or in DIR with --screenshots DIR; `npm run screenshots` uses docs/images).
//   node test/e2e/ui/suggestions.ui.mjs
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inWorkbench, openFile, pressChord, runCommand, sampleCopy, screenshotDir, selectWithFind, uiRunner, until } from './support.mjs';

const require = createRequire(import.meta.url);
const { ROOT } = require('../codeServer.js');
// The compiled core (npx tsc -p tsconfig.test.json): the anchor and the sidecar's bytes as Grounded writes them.
const { makeAnchor } = require(path.join(ROOT, 'out/src/core/text.js'));
const { serializeSidecar, sidecarPathFor } = require(path.join(ROOT, 'out/src/core/sidecar.js'));

const results = screenshotDir();

const copy = sampleCopy('grounded-ui-suggestions-');
const { workspace } = copy;
const runner = uiRunner('UI suggestions');
const { test } = runner;

const rel = 'interviews/intervju-01-nb.txt';
const text = readFileSync(path.join(workspace, rel), 'utf8').replace(/\r\n?/g, '\n');
const sidecarFile = path.join(workspace, sidecarPathFor(rel));
const sidecar = () => JSON.parse(readFileSync(sidecarFile, 'utf8'));
const FIRST = 'Jeg kunne gjort det i søvne.';
const SECOND = 'halv åtte går vi ned til verkstedet';
const project = JSON.parse(readFileSync(path.join(workspace, 'grounded.json'), 'utf8'));
const code = project.codes.find((c) => !project.codes.some((o) => o.parent === c.id));

function suggestion(id, words) {
  const at = text.indexOf(words);
  assert.ok(at >= 0, words);
  return {
    id,
    codeId: code.id,
    anchor: makeAnchor(text, at, at + words.length),
    coder: 'AI: ui-model',
    created: '2026-11-05T10:00:00.000Z',
    suggestion: { status: 'pending', model: 'ui-model', endpoint: 'http://127.0.0.1:11434/v1', promptVersion: 'grounded-suggest-1', requested: '2026-11-05T10:00:00.000Z', reason: 'Routine.', code: code.name },
  };
}
const ids = { first: 'a1a1a1a1-0000-4000-8000-000000000001', second: 'a1a1a1a1-0000-4000-8000-000000000002' };
const stored = sidecar();
writeFileSync(sidecarFile, serializeSidecar({ ...stored, codings: [...stored.codings, suggestion(ids.first, FIRST), suggestion(ids.second, SECOND)] }));
const statusOf = (id) => sidecar().codings.find((c) => c.id === id)?.suggestion?.status;

/** Decorations drawn with a dashed border: the pending suggestions in view. */
const dashedCount = (page) => page.evaluate(() => [...globalThis.document.querySelectorAll('.monaco-editor .view-overlays .cdr, .monaco-editor .view-lines span')]
  .filter((el) => globalThis.getComputedStyle(el).borderTopStyle === 'dashed').length);

async function selectWords(page, words) {
  await page.locator('.monaco-editor .view-lines').first().click();
  await selectWithFind(page, words, text);
}

/** Presses the chord until the sidecar shows `status` for `id` (a busy workbench may let a chord pass). */
async function decideWithKeys(page, key, id, status, words) {
  for (let attempt = 0; ; attempt++) {
    await selectWords(page, words);
    await pressChord(page, key);
    const done = await until(`${id} ${status}`, () => statusOf(id) === status, 10000).then(() => true, () => false);
    if (done) return;
    if (attempt === 2) throw new Error(`Alt+Q ${key.toUpperCase()} did not make the suggestion ${status}`);
  }
}

await inWorkbench(runner, copy, { title: 'UI: reviewing AI suggestions' }, async (page) => {
  await test('the pending suggestions are drawn with a dashed border', async () => {
    await openFile(page, rel);
    const n = await until('dashed borders', async () => (await dashedCount(page)) > 0 && dashedCount(page), 30000);
    assert.ok(n >= 1);
  });

  await test('the Suggestions view lists both under their transcript; the screenshot', async () => {
    await runCommand(page, 'Grounded: Show Suggestions');
    const row = (words) => page.locator('.pane-body .monaco-list-row').filter({ hasText: words.slice(0, 20) });
    await until('both suggestions in the view', async () => (await row(FIRST).count()) === 1 && (await row(SECOND).count()) === 1, 30000);
    await runCommand(page, 'Grounded: Next Suggestion'); // the editor scrolled to the first, drawn dashed
    await until('a dashed suggestion in view', async () => (await dashedCount(page)) > 0, 15000);
    // the suggestion selected: the status bar names its code after a sparkle
    const status = page.locator('.statusbar-item', { has: page.locator('.codicon-sparkle') });
    await until(`the status bar names "${code.name}"`, async () => (await status.innerText()).includes(code.name), 15000);
    await page.mouse.move(5, 840); // no hover in the picture
    await page.screenshot({ path: path.join(results, 'ai-suggestions.png') });
  });

  await test('Alt+Q Y in a suggestion accepts it: the coder and the time in the sidecar', async () => {
    const before = Date.now();
    await decideWithKeys(page, 'y', ids.first, 'accepted', FIRST);
    const coding = sidecar().codings.find((c) => c.id === ids.first);
    assert.equal(coding.suggestion.decidedBy, 'Kari Nordmann');
    assert.ok(Date.parse(coding.suggestion.decided) >= before - 1000, coding.suggestion.decided);
  });

  await test('Alt+Q X in the other one rejects it, and its dashed border goes', async () => {
    const dashed = await dashedCount(page);
    await decideWithKeys(page, 'x', ids.second, 'rejected', SECOND);
    assert.equal(sidecar().codings.find((c) => c.id === ids.second).suggestion.decidedBy, 'Kari Nordmann');
    await until('no dashed border left', async () => (await dashedCount(page)) < dashed && (await dashedCount(page)) === 0, 15000);
  });
});
