// UI tests of the Theory Map panel in VS Code 1.100 (code-server) and Chromium, on a fresh copy of
// sample/ given a map "Theory" of six codes and categories and four relations (written here, before the
// workbench starts): the webview draws every node and arrow with its screen-reader label; a node dragged
// with the mouse lands in grounded.json at its new place and Ctrl+Z puts it back; Shift+click selects two
// nodes that one drag moves together (one Ctrl+Z); the keyboard moves the focus from node to node (a
// visible focus ring on the focused one) and Shift+arrow moves the focused node by 10 pixels; two
// relations made with the mouse (from a node's handle, and with Alt held) with the type picked in the
// workbench's quick pick; after a reload the panel comes back.
//   node test/e2e/ui/map.ui.mjs [--screenshots DIR]
// Screenshot: test-results/theory-map.png (or in DIR; `npm run screenshots` uses docs/images).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inWorkbench, runCommand, sampleCopy, screenshotDir, uiRunner, until } from './support.mjs';


const results = screenshotDir();

const copy = sampleCopy('grounded-ui-map-');
const { workspace } = copy;
const file = path.join(workspace, 'grounded.json');
const sample = JSON.parse(readFileSync(file, 'utf8'));
const id = (name) => {
  const c = sample.codes.find((x) => x.name === name);
  assert.ok(c, `the sample has ${name}`);
  return c.id;
};

// The map and relations of the picture (fictional, like the sample): how the people interviewed keep
// time and keep in touch, and what being watched does to it.
const MAP_ID = '3f6b2a10-7d4e-4c1a-9b2e-5a8c7d6e4f01';
const TYPES = { cause: '9e1a7100-0000-4000-8000-000000000001', partOf: '9e1a7100-0000-4000-8000-000000000003', strategy: '9e1a7100-0000-4000-8000-000000000005', associated: '9e1a7100-0000-4000-8000-000000000007' };
const when = '2026-11-20T10:00:00.000Z';
const relation = (rid, source, type, target, evidence, label) => ({
  id: rid,
  source: id(source),
  target: id(target),
  type,
  ...(label ? { label } : {}),
  ...(evidence.length ? { evidence: [...evidence].sort() } : {}),
  author: 'Kari Nordmann',
  created: when,
  modified: when,
});
const places = [
  ['Managing time', 40, 60],
  ['Counting the days backwards', 410, 60],
  ['Keeping connected', 40, 260],
  ['Phone calls and messages', 410, 260],
  ['Trust and surveillance', 770, 60],
  ['Feeling watched', 780, 420],
];
writeFileSync(
  file,
  `${JSON.stringify(
    {
      ...sample,
      relations: [
        relation('4a1d8e2c-3b5f-4e6a-8c7d-9e0f1a2b3c41', 'Counting the days backwards', TYPES.strategy, 'Managing time', ['4b5541b2-c3ad-4fe5-a4e2-4529216207df']),
        relation('4a1d8e2c-3b5f-4e6a-8c7d-9e0f1a2b3c42', 'Phone calls and messages', TYPES.strategy, 'Keeping connected', ['6b157fcd-f869-4a07-b1ac-d1e9c068e0dd', '9f5e23ff-89b0-4d94-9034-2e15012e0309', '1ba1c02d-b655-40a3-8c8e-b6500110ca7d']),
        relation('4a1d8e2c-3b5f-4e6a-8c7d-9e0f1a2b3c43', 'Feeling watched', TYPES.associated, 'Phone calls and messages', ['92cb341c-dcd3-407a-b0dd-5f7507878d33'], 'letters are read'),
        relation('4a1d8e2c-3b5f-4e6a-8c7d-9e0f1a2b3c44', 'Feeling watched', TYPES.partOf, 'Trust and surveillance', []),
      ],
      maps: [{ id: MAP_ID, name: 'Theory', nodes: places.map(([name, x, y]) => ({ code: id(name), x, y })).sort((a, b) => (a.code < b.code ? -1 : 1)) }],
    },
    null,
    2,
  )}\n`,
);
const onDisk = () => JSON.parse(readFileSync(file, 'utf8'));
const nodeOnDisk = (name) => onDisk().maps.find((m) => m.id === MAP_ID).nodes.find((n) => n.code === id(name));

const runner = uiRunner('UI');
const { test } = runner;

/** The map's document: the inner frame of the webview that holds the svg. */
async function mapFrame(page) {
  return until('the theory map webview', async () => {
    for (const f of page.frames()) {
      if (await f.locator('#map-svg').count().catch(() => 0)) return f;
    }
    return undefined;
  }, 60000);
}

await inWorkbench(runner, copy, { title: 'UI: the Theory Map panel', settings: { 'workbench.colorTheme': 'Default Dark Modern' } }, async (page) => {
  let frame;
  const need = () => assert.ok(frame, 'the map did not open');
  const node = (name) => (need(), frame).locator(`#map-svg g.node[data-code="${id(name)}"]`);
  /** A node's box on the page (asked again while the page redraws: the host's data after an edit replaces the nodes). */
  const boxOf = (name) => until(`the box of ${name}`, () => node(name).locator('rect.box').boundingBox());
  /** How many times the page drew the host's data (the host sends it after an edit is on the undo history). */
  const renders = async () => Number(await frame.locator('#map-svg').getAttribute('data-renders'));
  const focused = () => frame.evaluate(() => globalThis.document.activeElement?.getAttribute('aria-label') ?? '');

  await test('Open Theory Map (the only map) draws its six nodes and four arrows, each with its label for screen readers', async () => {
    await runCommand(page, 'View: Close Primary Side Bar');
    await runCommand(page, 'Grounded: Open Theory Map');
    frame = await mapFrame(page);
    await until('six nodes', async () => (await frame.locator('#map-svg g.node').count()) === 6, 30000);
    await until('four arrows', async () => (await frame.locator('#map-svg .lines g.edge').count()) === 4);
    assert.equal(await frame.locator('#map-title').innerText(), 'Theory map: Theory');
    assert.match(await node('Managing time').getAttribute('aria-label'), /^Managing time, category, \d+ segments$/);
    assert.match(await node('Feeling watched').getAttribute('aria-label'), /^Feeling watched, code, \d+ segments$/);
    const arrows = await frame.locator('#map-svg .labels g[data-edge]').evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')));
    assert.ok(arrows.includes('Phone calls and messages is a strategy for Keeping connected, 3 evidence'), JSON.stringify(arrows));
    assert.ok(arrows.includes('Feeling watched is associated with Phone calls and messages (letters are read), 1 evidence'), JSON.stringify(arrows));
    // a one-way type has an arrowhead, a symmetric one none
    const heads = await frame.locator('#map-svg .lines g.edge path.line').evaluateAll((ps) => ps.map((p) => [p.parentElement.classList.contains('symmetric'), p.getAttribute('marker-end')]));
    assert.ok(heads.every(([symmetric, marker]) => (symmetric ? marker === null : marker === 'url(#arrowhead)')), JSON.stringify(heads));
  });

  await test('a click on a node shows it in the side pane; the screenshot of the map', async () => {
    await node('Keeping connected').locator('rect.box').click({ position: { x: 30, y: 20 } });
    await until('its details', async () => (await frame.locator('#map-details h2').innerText()) === 'Keeping connected');
    await frame.locator('#details-segments').waitFor();
    await page.mouse.move(5, 840); // no hover in the picture
    await page.waitForTimeout(300); // the focus ring's paint
    await page.screenshot({ path: path.join(results, 'theory-map.png') });
  });

  await test('dragging a node with the mouse writes its new place to grounded.json (one move); Ctrl+Z puts it back', async () => {
    const before = nodeOnDisk('Feeling watched');
    const drawn = await renders();
    const box = await boxOf('Feeling watched');
    const from = { x: box.x + 30, y: box.y + box.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 10, from.y + 5, { steps: 3 });
    await page.mouse.move(from.x + 80, from.y - 60, { steps: 12 });
    await page.mouse.up();
    const after = await until('the new place in grounded.json', () => {
      const n = nodeOnDisk('Feeling watched');
      return (n.x !== before.x || n.y !== before.y) && n;
    });
    assert.ok(Math.abs(after.x - (before.x + 80)) <= 1 && Math.abs(after.y - (before.y - 60)) <= 1, `moved by (80, -60): ${JSON.stringify({ before, after })}`);
    assert.deepEqual(nodeOnDisk('Managing time'), { code: id('Managing time'), x: 40, y: 60 }, 'the others stay');
    // the host's data after the move: it comes once the move is a transaction on the undo history
    await until('the page drawn again by the host', async () => (await renders()) > drawn);
    await page.keyboard.press('Control+z');
    await until('Ctrl+Z in the map puts it back in grounded.json', () => {
      const n = nodeOnDisk('Feeling watched');
      return n.x === before.x && n.y === before.y;
    });
    await until('and on the page', async () => (await node('Feeling watched').getAttribute('transform')) === `translate(${before.x},${before.y})`);
  });

  await test('Shift+click selects a second node; dragging one of them moves both, in one transaction', async () => {
    const a0 = nodeOnDisk('Counting the days backwards');
    const b0 = nodeOnDisk('Phone calls and messages');
    const drawn = await renders();
    await node('Counting the days backwards').locator('rect.box').click({ position: { x: 40, y: 20 } });
    await node('Phone calls and messages').locator('rect.box').click({ position: { x: 40, y: 20 }, modifiers: ['Shift'] });
    await until('two selected', async () => (await frame.locator('#map-svg g.node.selected').count()) === 2);
    const box = await boxOf('Phone calls and messages');
    const from = { x: box.x + 40, y: box.y + 20 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 5, from.y + 5, { steps: 2 });
    await page.mouse.move(from.x + 30, from.y + 50, { steps: 10 });
    await page.mouse.up();
    await until('both moved in grounded.json', () => nodeOnDisk('Counting the days backwards').y !== a0.y && nodeOnDisk('Phone calls and messages').y !== b0.y);
    const a1 = nodeOnDisk('Counting the days backwards');
    const b1 = nodeOnDisk('Phone calls and messages');
    assert.deepEqual([a1.x - a0.x, a1.y - a0.y], [b1.x - b0.x, b1.y - b0.y], 'by the same distance');
    assert.ok(Math.abs(a1.x - a0.x - 30) <= 1 && Math.abs(a1.y - a0.y - 50) <= 1, JSON.stringify({ a0, a1 }));
    await until('the page drawn again by the host', async () => (await renders()) > drawn);
    await page.keyboard.press('Control+z');
    await until('one Ctrl+Z puts both back', () => nodeOnDisk('Counting the days backwards').y === a0.y && nodeOnDisk('Phone calls and messages').y === b0.y);
  });

  await test('the keys move the focus from node to node (each with its label, a visible focus ring); Shift+arrow moves the node 10 px', async () => {
    await node('Managing time').locator('rect.box').click({ position: { x: 30, y: 20 } });
    await until('Managing time focused', async () => (await focused()).startsWith('Managing time, category'));
    await page.keyboard.press('ArrowRight');
    await until('the node to its right focused', async () => (await focused()).startsWith('Counting the days backwards, code'));
    await page.keyboard.press('ArrowDown');
    await until('the node below focused', async () => (await focused()).startsWith('Phone calls and messages, code'));
    await page.keyboard.press('Tab');
    const next = await focused();
    assert.match(next, /^[^,]+, (code|category), \d+ segments?$/, `Tab reaches another node: ${next}`);
    assert.notEqual(next, '');
    const ring = await frame.evaluate(() => globalThis.getComputedStyle(globalThis.document.activeElement.querySelector('rect.focus-ring')).stroke);
    assert.ok(ring && ring !== 'none' && ring !== 'transparent' && ring !== 'rgba(0, 0, 0, 0)', `a focus ring: ${ring}`);
    await node('Keeping connected').locator('rect.box').click({ position: { x: 30, y: 20 } });
    await until('Keeping connected focused', async () => (await focused()).startsWith('Keeping connected'));
    const before = nodeOnDisk('Keeping connected');
    await page.keyboard.press('Shift+ArrowDown');
    await until('10 px lower in grounded.json', () => nodeOnDisk('Keeping connected').y === before.y + 10);
    assert.equal(nodeOnDisk('Keeping connected').x, before.x);
  });

  /** Answers the workbench's quick pick (the relation type) by typing the type's name. */
  async function pickType(name) {
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 15000 });
    await page.keyboard.type(name);
    await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`, { timeout: 8000 });
    await page.keyboard.press('Enter');
  }
  const relationsOf = (source, target) => (onDisk().relations ?? []).filter((r) => r.source === id(source) && r.target === id(target));
  /** Drags with the mouse from a point to the middle of a node (Alt held if asked). */
  async function dragOnto(from, name, alt) {
    const to = await boxOf(name);
    if (alt) await page.keyboard.down('Alt');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x + 8, from.y + 8, { steps: 3 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 15 });
    await page.mouse.up();
    if (alt) await page.keyboard.up('Alt');
  }

  await test('two relations made with the mouse: from a node\'s handle onto another, and with Alt held; the type asked in a quick pick', async () => {
    // the handle: the small circle in the middle of the box's right edge
    const from = await boxOf('Managing time');
    await dragOnto({ x: from.x + from.width - 2, y: from.y + from.height / 2 }, 'Trust and surveillance', false);
    await pickType('is consequence of');
    const first = await until('the first relation in grounded.json', () => relationsOf('Managing time', 'Trust and surveillance')[0]);
    assert.equal(first.type, TYPES.cause.replace(/1$/, '2'));
    assert.equal(first.author, 'Kari Nordmann');
    const box = await boxOf('Keeping connected');
    await dragOnto({ x: box.x + 40, y: box.y + 20 }, 'Trust and surveillance', true);
    await pickType('contradicts');
    const second = await until('the second relation in grounded.json', () => relationsOf('Keeping connected', 'Trust and surveillance')[0]);
    assert.equal(second.type, '9e1a7100-0000-4000-8000-000000000006');
    assert.deepEqual(nodeOnDisk('Keeping connected').x, 40, 'an Alt drag relates, it does not move');
    await until('six arrows drawn', async () => (await frame.locator('#map-svg .lines g.edge').count()) === 6);
  });

  await test('after a reload the map\'s panel comes back with its nodes', async () => {
    await page.waitForTimeout(500); // the page's state saved by the workbench
    await Promise.all([page.waitForEvent('load', { timeout: 60000 }), runCommand(page, 'Developer: Reload Window')]);
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    frame = await mapFrame(page);
    await until('six nodes again', async () => (await frame.locator('#map-svg g.node').count()) === 6, 30000);
    assert.equal(await frame.locator('#map-title').innerText(), 'Theory map: Theory');
  });
});
