// The codebook's history in VS Code: "Show Codebook History" and "Show History of Code" over a git
// repository this test makes of the workspace, commit by commit by two researchers with set dates;
// and the messages when there is no history (no repository, nothing committed, a code not committed).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseProject, serializeProject } from '../../../src/core/project';
import type { ProjectFile } from '../../../src/core/model';
import type { ExportOutcome } from '../../../src/vscode/exportCommands';
import { groundedApi, until, workspaceRoot } from './helpers';

// "Counting the days backwards", under "Managing time" in sample/. Other suites may have changed the
// codebook before this one runs: names, counts and categories are read from the workspace.
const COUNTING = '4b76b837-0f81-4b61-9d03-64c59a29b3ca';
const FRESH = '00000000-0000-4000-8000-000000000abc';
const INGRID = { name: 'Ingrid Haugen', email: 'ingrid@example.org' };
const PER = { name: 'Per Lund', email: 'per@example.org' };

describe('Codebook history', function () {
  this.timeout(60000);
  let root: string;
  let original: string;
  const aside = () => path.join(root, '.git-before-history-test');

  const git = (args: string[], who = INGRID, date = '2026-03-02T10:00:00Z') =>
    execFileSync('git', args, {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email, GIT_COMMITTER_DATE: date },
    });
  const project = (): ProjectFile => parseProject(fs.readFileSync(path.join(root, 'grounded.json'), 'utf8'), 'grounded.json');
  /** Writes grounded.json and waits until the extension has read it. */
  const save = async (p: ProjectFile, loaded: (g: Awaited<ReturnType<typeof groundedApi>>) => boolean) => {
    const g = await groundedApi();
    fs.writeFileSync(path.join(root, 'grounded.json'), serializeProject(p));
    await until('the extension reads grounded.json', () => loaded(g));
  };
  const pageText = async (uri: vscode.Uri | undefined) => {
    assert.ok(uri, 'a page was shown');
    return (await vscode.workspace.openTextDocument(uri)).getText();
  };
  const lastNotification = async (after: number, pattern: RegExp) => {
    const g = await groundedApi();
    return until(`a notification matching ${pattern}`, () => g.shownNotifications().slice(after).find((n) => pattern.test(n.message)));
  };

  /** Repositories VS Code's own git extension has open (it runs git in them on its own timers). */
  const openRepositories = (): number => {
    const ext = vscode.extensions.getExtension<{ getAPI(version: 1): { repositories: unknown[] } }>('vscode.git');
    if (!ext?.isActive) return 0;
    try {
      return ext.exports.getAPI(1).repositories.length;
    } catch {
      return 0; // disabled: no model
    }
  };

  before(async () => {
    root = workspaceRoot();
    // VS Code's git extension is switched off while this suite makes and removes the repository, so
    // that none of its git processes is left writing to a repository that was just removed.
    await vscode.workspace.getConfiguration('git').update('enabled', false, vscode.ConfigurationTarget.Global);
    await until("VS Code's git extension lets go of the workspace", () => openRepositories() === 0);
    original = fs.readFileSync(path.join(root, 'grounded.json'), 'utf8');
    // Another suite may have made the workspace a repository: set it aside, so this one starts with none.
    if (fs.existsSync(path.join(root, '.git'))) fs.renameSync(path.join(root, '.git'), aside());
  });

  after(async () => {
    fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
    if (fs.existsSync(aside())) fs.renameSync(aside(), path.join(root, '.git'));
    const back = parseProject(original, 'grounded.json');
    const was = back.codes.find((c) => c.id === COUNTING);
    await save(back, (g) => g.project.codeById(COUNTING)?.name === was?.name && g.project.codeById(COUNTING)?.focused === was?.focused && !g.project.codeById(FRESH));
    await vscode.workspace.getConfiguration('git').update('enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('says why there is no history outside a git repository, and before grounded.json is committed', async () => {
    const g = await groundedApi();
    let before = g.shownNotifications().length;
    assert.equal(await vscode.commands.executeCommand('grounded.showCodebookHistory'), undefined);
    const outside = await lastNotification(before, /history/);
    assert.equal(outside.severity, 'warning');
    assert.equal(
      outside.message,
      "Grounded: the project folder is not in a git repository, so there is no history to read. The codebook's history comes from git: initialise a repository (Source Control: Initialize Repository, or git init), then commit grounded.json and the sidecars as you work.",
    );

    git(['init', '-q', '-b', 'main']);
    before = g.shownNotifications().length;
    assert.equal(await vscode.commands.executeCommand('grounded.showCodeHistory', { codeId: COUNTING }), undefined);
    const uncommitted = await lastNotification(before, /history/);
    assert.equal(
      uncommitted.message,
      'Grounded: no history yet: grounded.json has never been committed. Commit it (with the sidecars) in Source Control, and the changes to the codebook will be listed here.',
    );
    assert.deepEqual(uncommitted.actions.map((a) => a.title), ['Open Source Control']);
  });

  it("shows the project's timeline and one code's, commit by commit with author and date", async () => {
    const g = await groundedApi();
    // The first version: the codebook as it is, with the code not yet focused.
    const unfocus = (p: ProjectFile): ProjectFile => ({ ...p, codes: p.codes.map((c) => (c.id === COUNTING ? (({ focused: _f, ...rest }) => rest)(c) : c)) });
    const start = unfocus(project());
    await save(start, (a) => a.project.codeById(COUNTING) !== undefined && !a.project.codeById(COUNTING)!.focused);
    const name = start.codes.find((c) => c.id === COUNTING)!.name;
    const parent = start.codes.find((c) => c.id === start.codes.find((k) => k.id === COUNTING)!.parent)!.name;
    git(['add', 'grounded.json']);
    git(['commit', '-q', '-m', 'Initial codebook'], INGRID, '2026-03-02T10:00:00Z');
    const renamed = { ...start, codes: start.codes.map((c) => (c.id === COUNTING ? { ...c, name: 'Counting down the days' } : c)) };
    await save(renamed, (a) => a.project.codeById(COUNTING)?.name === 'Counting down the days');
    git(['commit', '-q', '-am', 'Sharper name'], PER, '2026-03-05T14:30:00Z');
    const focused = { ...renamed, codes: renamed.codes.map((c) => (c.id === COUNTING ? { ...c, focused: true } : c)) };
    await save(focused, (a) => a.project.codeById(COUNTING)?.focused === true);
    git(['commit', '-q', '-am', 'Focused coding'], INGRID, '2026-03-09T08:15:00Z');
    const short = (rev: string) => git(['rev-parse', '--short', rev]).trim();

    const whole = await pageText(await vscode.commands.executeCommand<vscode.Uri>('grounded.showCodebookHistory'));
    const lines = whole.split('\n');
    assert.equal(lines[0], `# Codebook history of ${start.project.name}`);
    assert.ok(lines.includes(`## 2026-03-02 10:00 · Ingrid Haugen · \`${short('HEAD~2')}\` — Initial codebook`), whole);
    assert.ok(lines.includes(`- created "${name}" under "${parent}"`), whole);
    assert.ok(lines.includes(`## 2026-03-05 14:30 · Per Lund · \`${short('HEAD~1')}\` — Sharper name`), whole);
    assert.ok(lines.includes(`- renamed "${name}" to "Counting down the days"`), whole);
    assert.ok(lines.includes(`## 2026-03-09 08:15 · Ingrid Haugen · \`${short('HEAD')}\` — Focused coding`), whole);
    assert.ok(lines.includes('- marked "Counting down the days" as a focused code'), whole);
    assert.ok(whole.indexOf('Initial codebook') < whole.indexOf('Sharper name') && whole.indexOf('Sharper name') < whole.indexOf('Focused coding'), 'oldest first');

    // From the Codes view's context menu the argument is the clicked row: { code }.
    const one = await pageText(await vscode.commands.executeCommand<vscode.Uri>('grounded.showCodeHistory', { code: g.project.codeById(COUNTING) }));
    assert.deepEqual(
      one.split('\n').filter((l) => l !== ''),
      [
        '# History of the code Counting down the days',
        '3 changes in 3 commits, oldest first; times in UTC.',
        `## 2026-03-02 10:00 · Ingrid Haugen · \`${short('HEAD~2')}\` — Initial codebook`,
        `- created "${name}" under "${parent}"`,
        `## 2026-03-05 14:30 · Per Lund · \`${short('HEAD~1')}\` — Sharper name`,
        `- renamed "${name}" to "Counting down the days"`,
        `## 2026-03-09 08:15 · Ingrid Haugen · \`${short('HEAD')}\` — Focused coding`,
        '- marked "Counting down the days" as a focused code',
      ],
    );

    // Export Report sums the same history up in the methods appendix.
    const hadExports = fs.existsSync(path.join(root, 'exports'));
    try {
      const outcome = await vscode.commands.executeCommand<ExportOutcome>('grounded.exportReport');
      const report = fs.readFileSync(path.join(root, outcome.files.find((f) => f.endsWith('.md'))!), 'utf8');
      const appendix = report.slice(report.indexOf('## Methods appendix'));
      // The first commit's categories came with their subcodes: created, none promoted.
      assert.ok(
        appendix.includes(
          `Codebook history (from git: 3 commits of grounded.json, changes to codes from 2026-03-02 to 2026-03-09): ${start.codes.length} codes created, 0 merged into another code, 0 promoted to categories. Focused coding began on 2026-03-09 (the first code marked focused).`,
        ),
        appendix,
      );
    } finally {
      if (!hadExports) fs.rmSync(path.join(root, 'exports'), { recursive: true, force: true });
    }
  });

  it('says so for a code no commit has yet', async () => {
    const g = await groundedApi();
    const now = project();
    const { focused: _focused, ...counting } = now.codes.find((c) => c.id === COUNTING)!;
    const fresh = { ...counting, id: FRESH, name: 'Waiting for letters' };
    await save({ ...now, codes: [...now.codes, fresh].sort((a, b) => (a.id < b.id ? -1 : 1)) }, (a) => a.project.codeById(fresh.id) !== undefined);
    const before = g.shownNotifications().length;
    assert.equal(await vscode.commands.executeCommand('grounded.showCodeHistory', { codeId: fresh.id }), undefined);
    const message = await lastNotification(before, /no history yet/);
    assert.equal(
      message.message,
      'Grounded: "Waiting for letters" has no history yet: no commit of grounded.json has it. Commit grounded.json (and the sidecars) and its changes will be listed here.',
    );
    // The project's page says that what is not committed is not in it.
    const whole = await pageText(await vscode.commands.executeCommand<vscode.Uri>('grounded.showCodebookHistory'));
    assert.ok(whole.split('\n').includes('> grounded.json has changes that are not committed: they are not in this history.'), whole);
    assert.ok(!whole.includes('Waiting for letters'), whole);
  });
});
