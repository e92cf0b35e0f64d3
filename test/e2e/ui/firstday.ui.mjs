// UI test: a researcher's first day, guided by the walkthrough "Code interviews with Grounded", in VS Code
// 1.100 (code-server) and Chromium. The folder is a study not yet initialised: the sample's transcripts
// (no grounded.json, no codes files, no memos), a README.md, a Word transcript, all committed in git.
// The day: the Explorer, the walkthrough, Initialize, Import, coding turn by turn with the keys, a
// category on the board, a memo, the report, Source Control. The walkthrough's buttons do the steps:
// the Getting Started page takes the focus back a moment after a button ran its command, so what a
// command asks must stay open without the focus (ignoreFocusOut), and the test clicks into it as a person would.
//   node test/e2e/ui/firstday.ui.mjs [--screenshots DIR]
// Pictures: with --screenshots, the walkthrough's step images go to media/walkthrough/<stepId>.png and
// walkthrough.png to DIR (`npm run screenshots` gives docs/images); without it, all go to test-results/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { inWorkbench, openFile, pressChord, runCommand, selectWithFind, uiRunner, until } from './support.mjs';

const require = createRequire(import.meta.url);
const { ROOT } = require('../codeServer.js');

const shotsArg = process.argv.indexOf('--screenshots');
const results = path.join(ROOT, 'test-results');
const docShots = path.resolve(shotsArg > 0 ? process.argv[shotsArg + 1] : results);
const stepShots = shotsArg > 0 ? path.join(ROOT, 'media/walkthrough') : path.join(results, 'walkthrough');
for (const d of [docShots, stepShots, results]) mkdirSync(d, { recursive: true });
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

// ---- the study folder: transcripts only, a README, a Word file, one commit -----------------------------
const scratch = mkdtempSync(path.join(os.tmpdir(), 'grounded-ui-firstday-'));
const workspace = path.join(scratch, 'prison-study');
mkdirSync(path.join(workspace, 'interviews'), { recursive: true });
for (const f of readdirSync(path.join(ROOT, 'sample/interviews')).filter((f) => f.endsWith('.txt'))) {
  cpSync(path.join(ROOT, 'sample/interviews', f), path.join(workspace, 'interviews', f));
}
writeFileSync(path.join(workspace, 'README.md'), '# Everyday life in prison\n\nInterviews with people serving a sentence, about routines, contact with family and hope.\n\n- `interviews/`: the transcripts\n');

/** A Word file: one paragraph a line (fflate is what the import reads .docx with). */
function docx(lines) {
  const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = lines.map((l) => `<w:p><w:r><w:t xml:space="preserve">${esc(l)}</w:t></w:r></w:p>`).join('');
  const rels = 'http://schemas.openxmlformats.org/package/2006/relationships';
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${rels}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`),
  });
}
// test/fixtures holds no .docx: this one is written here, a short interview as a transcriber types it in Word.
const wordFile = 'interviews/intervju-04.docx';
writeFileSync(path.join(workspace, wordFile), docx([
  'Intervju 04 — Sara (pseudonym)',
  'Fiktivt intervju skrevet for eksempelprosjektet i Grounded.',
  'Intervjuer: Hvordan holder du kontakten med familien?',
  'Sara: Jeg ringer mamma hver søndag. Tjue minutter, og så er det slutt. Jeg skriver ned hva jeg skal si før jeg ringer.',
  'Intervjuer: Hvorfor skriver du det ned?',
  'Sara: Ellers glemmer jeg det viktigste. Tiden går så fort når noen hører på deg.',
]));
const git = (...args) => {
  const r = spawnSync('git', ['-c', 'user.name=Kari Nordmann', '-c', 'user.email=kari@example.org', '-c', 'init.defaultBranch=main', ...args], { cwd: workspace, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
git('init', '-q');
git('add', '.');
git('commit', '-q', '-m', 'Transcripts of the first four interviews');

const file = (rel) => path.join(workspace, rel);
const project = () => JSON.parse(readFileSync(file('grounded.json'), 'utf8'));
const sidecar = (rel) => JSON.parse(readFileSync(file(`${rel}.codes.json`), 'utf8'));

const runner = uiRunner('UI');
let failures = 0;
let current; // the page, for a picture of a failure
/** A test; on failure the workbench as it was goes to test-results/firstday-failed-N.png. */
const test = (name, fn) => runner.test(name, async () => {
  try {
    await fn();
  } catch (err) {
    await current?.screenshot({ path: path.join(results, `firstday-failed-${++failures}.png`) }).catch(() => undefined);
    throw err;
  }
});

/** A picture of the workbench as it is; step pictures go to media/walkthrough (or test-results/walkthrough). */
async function shot(page, name, dir = stepShots) {
  await page.waitForTimeout(400); // let fades and hovers settle: the picture only, never a condition
  await page.screenshot({ path: path.join(dir, `${name}.png`) });
}

/** The Getting Started page's step (its title button) and, once it is open, a button of its description. */
const step = (page, title) => page.locator('.getting-started-step', { has: page.locator('.step-title', { hasText: title }) }).first();
async function clickStepButton(page, title, button) {
  const s = step(page, title);
  const b = s.locator('.monaco-button, a', { hasText: button }).first();
  // The step opens on a click of its title; on a busy machine the page may still be laying out: click again.
  await until(`the button "${button}" of the step "${title}"`, async () => {
    if (await b.isVisible()) return true;
    await s.locator('.step-title').click();
    return false;
  }, 30000, 1500);
  await b.click();
}

/** Picks the row of the open quick pick whose label holds `label`, typing it into the filter first. */
async function pick(page, label) {
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${label}"]`);
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  await input.fill(label);
  await page.waitForSelector(`.quick-input-list .monaco-list-row.focused[aria-label*="${label}"]`);
  await input.press('Enter');
}

async function openWalkthrough(page) {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  await pick(page, 'Code interviews with Grounded');
  // The page slides between its overview and a walkthrough: both are in the page, one of them off screen.
  const onScreen = async () => {
    const box = await step(page, 'Start a Grounded project').boundingBox();
    return box && box.x >= 0 && box.x + box.width <= page.viewportSize().width;
  };
  await until('the walkthrough', async () => {
    if (await onScreen()) return true;
    // Opened again after its tab was closed, the page may show the Welcome overview: its entry opens it.
    const entry = page.locator('.getting-started-category', { hasText: 'Code interviews with Grounded' }).first();
    if (await entry.isVisible()) await entry.click();
    return false;
  }, 15000, 500);
}

const STEPS = ['Open the folder of your study', 'Start a Grounded project', 'Import a Word transcript', 'Code line by line', 'Make a category', 'Write a memo', 'Export the report', 'Commit your coding with git'];

await inWorkbench(runner, { scratch, workspace }, { title: 'UI: a researcher\'s first day, with the walkthrough', settings: { 'editor.wordWrap': 'on' } }, async (page) => {
  current = page;
  const explorerRow = (name) => page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();

  await test('the Explorer lists the transcripts of the study (openFolder.png)', async () => {
    await until('the folder "interviews" in the Explorer', () => explorerRow('interviews').isVisible(), 30000);
    if ((await explorerRow('interviews').getAttribute('aria-expanded')) !== 'true') await explorerRow('interviews').click();
    for (const f of ['intervju-01-nb.txt', 'interview-02.txt', 'interview-03.txt', 'intervju-04.docx']) {
      await until(`${f} in the Explorer`, () => explorerRow(f).isVisible());
    }
    await explorerRow('intervju-01-nb.txt').click();
    await page.waitForSelector('.tab.active[data-resource-name="intervju-01-nb.txt"]');
    await until('the start-up activations done', async () => !(await page.locator('.statusbar').innerText()).includes('Activating Extensions'), 30000);
    await shot(page, 'openFolder');
  });

  await test('a folder without grounded.json: Grounded stays inactive and README.md has no Grounded menu items', async () => {
    // Once the workbench has activated what it activates at start, Grounded still is not among them.
    await until('the start-up activations done', async () => !(await page.locator('.statusbar').innerText()).includes('Activating Extensions'), 30000);
    await explorerRow('README.md').click();
    await page.waitForSelector('.tab.active[data-resource-name="README.md"]');
    const editor = page.locator('.monaco-editor .view-lines').first();
    await editor.click({ button: 'right' });
    const items = page.locator('.context-view .monaco-menu .action-label');
    await until('the editor context menu', async () => (await items.count()) > 3);
    const labels = (await items.allInnerTexts()).map((l) => l.trim()).filter(Boolean);
    assert.ok(labels.some((l) => /Cut|Copy|Command Palette/.test(l)), `the editor's own items: ${JSON.stringify(labels)}`);
    assert.deepEqual(labels.filter((l) => /Grounded|Code Selection|In-Vivo/i.test(l)), [], 'no Grounded item');
    await page.keyboard.press('Escape');
    await until('the menu closed', async () => (await items.count()) === 0);
    // Active, Grounded shows what is coded at the cursor in the status bar; here it shows nothing.
    assert.equal(await page.locator('.statusbar-item[id*="grounded" i]').count(), 0, 'no Grounded status bar item');
    assert.ok(!existsSync(file('grounded.json')));
  });

  await test('the walkthrough "Code interviews with Grounded" opens from the palette with its 8 steps', async () => {
    await openWalkthrough(page);
    const titles = (await page.locator('.getting-started-step .step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles, STEPS);
    for (const t of STEPS) assert.ok(await step(page, t).isVisible(), `${t} is shown`);
    await shot(page, 'walkthrough-start', results);
  });

  await test('its button "Initialize Project" writes grounded.json (initialize.png)', async () => {
    await clickStepButton(page, 'Start a Grounded project', 'Initialize Project');
    // The project's name (the folder's, offered) and, where Initialize asks it, which speakers are
    // interviewers (the default offered): Enter takes each.
    // Done when the interviewer ("Intervjuer", ticked as one) is left out: the last question answered.
    await until('grounded.json with the interviewer left out', async () => {
      // The step takes the focus a moment after its button ran the command: a person clicks into the box.
      const input = page.locator('.quick-input-widget .quick-input-box input').first();
      if (await input.isVisible()) await input.press('Enter');
      return existsSync(file('grounded.json')) && (project().settings?.excludedSpeakers ?? []).length > 0;
    }, 30000, 500);
    await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
    assert.equal(project().project.name, 'prison-study', 'the name offered: the folder\'s');
    await runCommand(page, 'Grounded: Focus on Codes View');
    await until('the step ticked', async () => (await step(page, 'Start a Grounded project').getAttribute('aria-checked')) === 'true');
    // The picture: the empty codebook says what to do next, beside a transcript to do it in.
    await openFile(page, 'interviews/intervju-01-nb.txt');
    await until('the Codes view of the new project', () => page.locator('.pane-header', { hasText: 'Codes' }).locator('text=0 codes').isVisible());
    await shot(page, 'initialize');
  });

  await test('its button "Import Transcript…" turns the Word file into a transcript (import.png)', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await openWalkthrough(page);
    await clickStepButton(page, 'Import a Word transcript', 'Import Transcript');
    // The open dialog of the browser workbench is a quick input with a path: the Word file's path typed.
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    // Typed once it shows the folder it opens in (it sets its path when it has read that folder).
    await until('the open dialog on the study folder', async () => (await input.isVisible()) && (await input.inputValue()) === `${workspace}/`
      && page.locator('.quick-input-list .monaco-list-row[aria-label="interviews"]').isVisible());
    await input.fill(file(wordFile));
    await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label="intervju-04.docx"]');
    await page.locator('.quick-input-widget .monaco-button', { hasText: /^Import$/ }).click();
    await pick(page, 'Plain text');
    await pick(page, 'interviews/');
    await until('interviews/intervju-04.txt', () => existsSync(file('interviews/intervju-04.txt')), 20000);
    assert.match(readFileSync(file('interviews/intervju-04.txt'), 'utf8'), /Sara: Jeg ringer mamma hver søndag/);
    await page.waitForSelector('.tab.active[data-resource-name="intervju-04.txt"]');
    await page.locator('.notification-toast', { hasText: 'imported interviews/intervju-04.txt' }).waitFor();
    await runCommand(page, 'View: Show Explorer'); // the Word file and its transcript side by side
    await until('the transcript in the Explorer', () => explorerRow('intervju-04.txt').isVisible());
    await shot(page, 'import');
  });

  const rel = 'interviews/intervju-01-nb.txt';
  const codes = ['Same day every day', 'Routine as a lifeline', 'Keeping the hands busy'];
  await test('Alt+Q N selects the next uncoded turn, Alt+Q C codes it with a new code (codeLineByLine.png)', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await openFile(page, rel);
    await page.locator('.monaco-editor .view-lines').first().click();
    // From the first question: each Alt+Q N stops at the next uncoded turn, the interviewer's too unless
    // Initialize left the interviewer out of the analysis.
    await selectWithFind(page, 'Takk for at du ville være med', readFileSync(file(rel), 'utf8'));
    await page.keyboard.press('ArrowLeft');
    const interviewerLeftOut = (project().settings?.excludedSpeakers ?? []).some((s) => /intervjuer/i.test(s));
    const selection = page.locator('.statusbar-item[id="status.editor.selection"]');
    for (const [i, name] of codes.entries()) {
      const before = existsSync(file(`${rel}.codes.json`)) ? sidecar(rel).codings.length : 0;
      for (let n = 0; n < (i === 0 || interviewerLeftOut ? 1 : 2); n++) {
        // The status bar's "Ln 7, Col 1 (215 selected)" changes when Alt+Q N has moved the selection.
        const was = await selection.innerText();
        await pressChord(page, 'n');
        await until('the next uncoded turn selected', async () => {
          const now = await selection.innerText();
          return now !== was && /selected/.test(now);
        });
      }
      await pressChord(page, 'c');
      await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
      await page.keyboard.type(name);
      await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="New code"]');
      if (i === codes.length - 1) await shot(page, 'codeLineByLine');
      await page.keyboard.press('Enter');
      const coding = await until(`the coding "${name}" in the sidecar`, () => {
        const s = existsSync(file(`${rel}.codes.json`)) && sidecar(rel);
        const id = project().codes.find((c) => c.name === name)?.id;
        return s && s.codings.length === before + 1 && s.codings.find((c) => c.codeId === id);
      });
      await page.waitForSelector('.quick-input-widget', { state: 'hidden' });
      // the words of a turn of Håkon, the participant, without his label
      const line = readFileSync(file(rel), 'utf8').split('\n').find((l) => l.includes(coding.anchor.quote.slice(0, 40)));
      assert.match(line ?? '', /^Håkon \(00:0\d:\d\d\): /, `a turn of Håkon: ${JSON.stringify(coding.anchor.quote.slice(0, 60))}`);
      assert.doesNotMatch(coding.anchor.quote, /^Håkon/, 'the quote leaves the label out');
    }
  });

  let frame;
  await test('Open Categories & Memos: two codes grouped into a new category (category.png)', async () => {
    await openWalkthrough(page);
    await clickStepButton(page, 'Make a category', 'Open Categories & Memos');
    frame = await until('the board', async () => {
      for (const f of page.frames()) if (await f.locator('body[data-host="panel"] #category-tree').count().catch(() => 0)) return f;
      return undefined;
    }, 60000);
    await frame.locator('#tab-table').click();
    for (const name of codes.slice(0, 2)) await frame.locator(`input[aria-label="Check ${name}"]`).check();
    await frame.locator('#group-into-category').click();
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('Managing time');
    await page.keyboard.press('Enter');
    const category = await until('the category in grounded.json', () => project().codes.find((c) => c.name === 'Managing time'));
    const under = project().codes.filter((c) => c.parent === category.id).map((c) => c.name).sort();
    assert.deepEqual(under, codes.slice(0, 2).sort());
    await frame.locator('#tab-tree').click();
    const row = frame.locator('[role="treeitem"][aria-label^="Category Managing time"]').first();
    await until('the category on the board', () => row.isVisible());
    if ((await row.getAttribute('aria-expanded')) !== 'true') {
      await row.click();
      await page.keyboard.press('ArrowRight');
    }
    await until('its codes shown', () => frame.locator(`[role="treeitem"][aria-label^="Code ${codes[0]}"]`).first().isVisible());
    await runCommand(page, 'Notifications: Clear All Notifications');
    await shot(page, 'category');
  });

  await test('a memo written for the category is saved to memos/ (memo.png)', async () => {
    assert.ok(frame, 'the board did not open');
    await frame.locator('[role="treeitem"][aria-label^="Category Managing time"]').first().click();
    await until('the category memo', async () => (await frame.locator('#memo-heading').innerText()) === 'Category Managing time');
    const textarea = frame.locator('#memo-editor textarea');
    await textarea.click();
    await page.keyboard.type('Time as something to get through. Håkon fills the day with fixed points: the routine is what keeps his head above water ("holde hodet over vannet"). Compare with Mira, who counts the days backwards.', { delay: 5 });
    await until('saved', async () => /^Saved/.test(await frame.locator('#memo-status').innerText()));
    await until('the memo file', () => existsSync(file('memos')) && readdirSync(file('memos')).some((f) => readFileSync(file(`memos/${f}`), 'utf8').includes('keeps his head above water')));
    await shot(page, 'memo');
  });

  await test('Export Report writes the report; the report page (report.png)', async () => {
    await runCommand(page, 'Grounded: Export Report');
    await until('the report', () => existsSync(file('exports/report.html')), 30000);
    const html = readFileSync(file('exports/report.html'), 'utf8');
    assert.ok(html.includes('Managing time') && html.includes('Time as something to get through'), 'the category and its memo');
    const report = await page.context().browser().newPage({ viewport: { width: 1400, height: 860 } });
    try {
      await report.goto(pathToFileURL(file('exports/report.html')).href);
      await report.locator('text=Managing time').first().waitFor();
      await report.screenshot({ path: path.join(stepShots, 'report.png') });
    } finally {
      await report.close();
    }
  });

  await test('Source Control lists the coded transcript, grounded.json and the memo as changes (commit.png)', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications');
    await openWalkthrough(page);
    await clickStepButton(page, 'Commit your coding with git', 'Open Source Control');
    const change = (name) => page.locator(`.scm-view .monaco-list-row[aria-label*="${name}"]`).first();
    for (const name of ['grounded.json', 'intervju-01-nb.txt.codes.json', 'intervju-04.txt', 'managing-time-']) await until(`${name} in Source Control`, () => change(name).isVisible(), 30000);
    // The walkthrough's page takes the focus back a moment after its button ran a command: from here the
    // mouse, and the message typed again until the box holds all of it.
    await page.locator('.tab[data-resource-name="intervju-01-nb.txt"]').click();
    await page.waitForSelector('.tab.active[data-resource-name="intervju-01-nb.txt"]');
    const message = 'First day of coding: Håkon, a category and a memo';
    const box = page.locator('.scm-editor .monaco-editor').first();
    await until('the commit message typed', async () => {
      if ((await box.locator('.view-lines').innerText()).replace(/\s+/g, ' ').trim() === message) return true;
      await box.click();
      await page.keyboard.press(`${mod}+A`);
      await page.keyboard.type(message);
      return false;
    }, 20000, 1000);
    await shot(page, 'commit');
  });

  await test('the walkthrough ticks the steps done (walkthrough.png)', async () => {
    await runCommand(page, 'View: Close Primary Side Bar'); // the page at its full width
    await openWalkthrough(page);
    await step(page, 'Code line by line').locator('.step-title').click();
    for (const t of ['Start a Grounded project', 'Import a Word transcript', 'Code line by line']) {
      await until(`"${t}" ticked`, async () => (await step(page, t).getAttribute('aria-checked')) === 'true');
    }
    await shot(page, 'walkthrough', docShots);
  });
});

