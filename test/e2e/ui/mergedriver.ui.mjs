// UI test: the git merge driver survives an update of the extension, on a computer without Node on
// git's PATH. The .vsix is installed as a user installs it, in a project (a git repository) whose
// .git/config holds the entry an earlier Grounded wrote (`node "<extension folder>/dist/cli.js"`):
// Grounded warns on opening and Repair rewrites it; "Set Up Git Merge Driver" from the palette then
// writes .gitattributes and .gitignore. A newer .vsix is installed (the old folder removed, as VS Code does), the workbench
// opens again (the stable copy of the command line is refreshed, no warning), and two branches that
// both coded the same transcript merge with real git, without a conflict.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { installVsix, packageVsix, runCommand, uiRunner, until } from './support.mjs';

const require = createRequire(import.meta.url);
const { ROOT, startCodeServer, workbenchUrl, launchBrowser } = require('../codeServer.js');
const { unzipSync, zipSync, strToU8, strFromU8 } = require('fflate');

const runner = uiRunner('UI, merge driver');
const { test } = runner;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'grounded-mergedriver-'));
const home = path.join(scratch, 'vscode');
const workspace = path.join(scratch, 'project');
const extensions = path.join(home, 'extensions');
const storageCopy = path.join(home, 'user-data', 'User', 'globalStorage', 'grounded-qda.grounded', 'cli', 'grounded-cli.js');
const T2 = 'interviews/interview-02.txt';

// git and sh, and nothing else: node is not on this PATH (as on most researchers' computers).
const bin = path.join(scratch, 'bin');
mkdirSync(bin);
for (const tool of ['git', 'sh']) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), path.join(bin, tool));
const gitEnv = { ...process.env, PATH: bin, HOME: scratch, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Kari Nordmann', GIT_AUTHOR_EMAIL: 'kari@example.org', GIT_COMMITTER_NAME: 'Kari Nordmann', GIT_COMMITTER_EMAIL: 'kari@example.org' };
function git(...args) {
  const r = spawnSync(path.join(bin, 'git'), args, { cwd: workspace, encoding: 'utf8', env: gitEnv });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}
const driverEntry = () => git('config', '--local', '--get', 'merge.grounded.driver').trim();

/** Adds a coding to the transcript's sidecar: a copy of its first coding under a new id, by another coder. */
function addCoding(id, coder) {
  const file = path.join(workspace, `${T2}.codes.json`);
  const sidecar = JSON.parse(readFileSync(file, 'utf8'));
  sidecar.codings.push({ ...sidecar.codings[0], id, coder, created: '2026-12-05T10:00:00.000Z' });
  writeFileSync(file, `${JSON.stringify(sidecar, null, 2)}\n`);
}

/** The .vsix as version `version`, its command line changed by a comment (a newer build). */
function newerVsix(vsix, version) {
  const files = unzipSync(readFileSync(vsix));
  const manifest = JSON.parse(strFromU8(files['extension/package.json']));
  const old = manifest.version;
  files['extension/package.json'] = strToU8(JSON.stringify({ ...manifest, version }, null, 2));
  files['extension.vsixmanifest'] = strToU8(strFromU8(files['extension.vsixmanifest']).replace(`Version="${old}"`, `Version="${version}"`));
  files['extension/dist/cli.js'] = strToU8(`${strFromU8(files['extension/dist/cli.js'])}\n// ${version}\n`);
  const out = vsix.replace(/\.vsix$/, `-${version}.vsix`);
  writeFileSync(out, zipSync(files));
  return { vsix: out, version: old, cli: files['extension/dist/cli.js'] };
}

const groundedFolders = () => readdirSync(extensions).filter((n) => n.startsWith('grounded-qda.grounded-'));

/** code-server and Chromium on the project with what is installed under `home`; `body(page)`, then both closed. */
async function inWindow(title, body) {
  let server, browser;
  try {
    server = await startCodeServer({ home, settings: { 'grounded.coder': 'Kari Nordmann' } });
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    await page.goto(workbenchUrl(server.base, server.port, { folder: workspace, extensionDevelopmentPaths: [] }));
    await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
    await page.waitForSelector('.statusbar', { timeout: 30000 });
    console.log(`  ${title}`);
    await body(page);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (server) server.stop();
  }
}

let exitCode = 1;
try {
  // The project: the sample in a git repository.
  cpSync(path.join(ROOT, 'sample'), workspace, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'sample');

  const first = packageVsix(scratch);
  const second = newerVsix(first, '99.0.0');
  installVsix(home, first);
  const [oldFolder] = groundedFolders();
  assert.equal(oldFolder, `grounded-qda.grounded-${second.version}`);
  const oldCli = path.join(extensions, oldFolder, 'dist', 'cli.js');
  // What "Set Up Git Merge Driver" of Grounded 0.1.0 wrote.
  git('config', '--local', 'merge.grounded.driver', `node "${oldCli}" merge-driver %O %A %B %P`);

  await inWindow('UI: the merge driver, Grounded installed from its .vsix', async (page) => {
    await test("the entry of an earlier Grounded (node on the extension's folder) gets a warning on opening; Repair rewrites it", async () => {
      const toast = page.locator('.notification-toast', { hasText: 'which VS Code removes at the next update' });
      await toast.waitFor({ timeout: 60000 });
      await toast.locator('.monaco-button', { hasText: /^Repair$/ }).click();
      await until('the entry repaired', () => driverEntry().startsWith('ELECTRON_RUN_AS_NODE=1 '), 20000);
      await page.locator('.notification-toast', { hasText: 'the merge driver is repaired' }).waitFor();
    });

    await test("Set Up Git Merge Driver writes .gitattributes and .gitignore, and git runs the copy in global storage with VS Code's runtime, not node", async () => {
      await runCommand(page, 'Grounded: Set Up Git Merge Driver');
      await until('.gitattributes', () => existsSync(path.join(workspace, '.gitattributes')), 20000);
      await page.locator('.notification-toast', { hasText: 'git now merges sidecars and grounded.json record by record' }).waitFor();
      assert.match(readFileSync(path.join(workspace, '.gitattributes'), 'utf8'), /^\*\.codes\.json merge=grounded$/m);
      assert.match(readFileSync(path.join(workspace, '.gitignore'), 'utf8'), /^# Grounded: lock and temporary files/m, "a save's lock files are ignored");
      // code-server's extension host runs on the Node that started it; desktop VS Code's on its own executable
      assert.equal(driverEntry(), `ELECTRON_RUN_AS_NODE=1 ${process.execPath} ${storageCopy} merge-driver %O %A %B %P`);
      assert.ok(!driverEntry().includes(extensions), "nothing in the extension's folder");
      assert.deepEqual(readFileSync(storageCopy), readFileSync(oldCli));
    });
  });

  // Two coders code the same transcript on two branches.
  git('add', '.gitattributes', '.gitignore');
  git('commit', '-q', '-m', 'merge driver');
  git('checkout', '-q', '-b', 'ola');
  addCoding('0a000000-0000-4000-8000-000000000001', 'Ola');
  git('commit', '-q', '-am', 'Ola codes');
  git('checkout', '-q', 'main');
  addCoding('0b000000-0000-4000-8000-000000000002', 'Kari Nordmann');
  git('commit', '-q', '-am', 'Kari codes');

  // The update. The profile then lists only the new version; desktop VS Code deletes the folders no
  // profile lists when it next starts (its shared process). code-server has no such step: done here.
  installVsix(home, second.vsix);
  const listed = JSON.parse(readFileSync(path.join(extensions, 'extensions.json'), 'utf8')).map((e) => e.relativeLocation);
  assert.deepEqual(listed, ['grounded-qda.grounded-99.0.0']);
  for (const folder of groundedFolders().filter((f) => !listed.includes(f))) rmSync(path.join(extensions, folder), { recursive: true });
  assert.ok(!existsSync(oldCli), 'the old folder is gone');
  await inWindow('UI: the merge driver after the extension updated', async (page) => {
    await test('after the update the copy in global storage is the new version\'s, and nothing is asked', async () => {
      await until('the copy refreshed', () => readFileSync(storageCopy).equals(Buffer.from(second.cli)), 60000, 500);
      assert.equal(await page.locator('.notification-toast', { hasText: 'merge driver' }).count(), 0, 'no warning about the merge driver');
    });
  });

  await test("git merges the two coders' branches through the driver, with no node on the PATH: no conflict, both codings kept", async () => {
    assert.notEqual(spawnSync(path.join(bin, 'sh'), ['-c', 'command -v node'], { env: gitEnv }).status, 0, 'node is not on the PATH');
    git('merge', '--no-edit', 'ola');
    const merged = JSON.parse(readFileSync(path.join(workspace, `${T2}.codes.json`), 'utf8'));
    const ids = merged.codings.map((c) => c.id);
    assert.ok(ids.includes('0a000000-0000-4000-8000-000000000001'), "Ola's coding");
    assert.ok(ids.includes('0b000000-0000-4000-8000-000000000002'), "Kari's coding");
    assert.equal(git('status', '--porcelain'), '', 'nothing left conflicted');
  });
} catch (err) {
  runner.fail(err);
} finally {
  exitCode = await runner.report(appendFileSync);
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(exitCode);
