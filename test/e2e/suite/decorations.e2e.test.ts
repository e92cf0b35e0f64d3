// What the researcher sees over a transcript: filtered decorations, labels at the end of coded
// lines, every editor of a split decorated, decorations that follow typing, and the hover's link
// to the code's memo.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Code, Coding } from '../../../src/core/model';
import { FORMAT_VERSION } from '../../../src/core/model';
import { hashText } from '../../../src/core/hash';
import { serializeSidecar, sidecarPathFor } from '../../../src/core/sidecar';
import { makeAnchor } from '../../../src/core/text';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, placeSelection, sleep, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-dekor.txt';
const TEXT = [
  'Liv (00:03:02): Vi snakker i telefonen hver kveld, men jeg sier aldri hvor vondt det er.',
  '',
  'Intervjuer: Hvorfor ikke?',
  '',
  'Liv (00:03:40): Hun skal ikke bære det. Det er min jobb å være sterk for henne.',
  '',
].join('\n');

const uri = () => vscode.Uri.file(path.join(workspaceRoot(), REL));
const span = (words: string): [number, number] => {
  const at = TEXT.indexOf(words);
  assert.ok(at >= 0, words);
  return [at, at + words.length];
};
const drawnCodes = (g: GroundedApi) =>
  g.decorations
    .appliedTo(uri())
    .map((d) => d.codeId)
    .sort();

describe('Decorations', function () {
  this.timeout(60000);
  let g: GroundedApi;
  let calls: Code;
  let silence: Code;
  let strong: Code;
  let editor: vscode.TextEditor;

  before(async () => {
    g = await groundedApi();
    fs.writeFileSync(path.join(workspaceRoot(), REL), TEXT);
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri()));
    calls = await g.project.addCode('Dekor: telefonsamtaler', 'Ana');
    silence = await g.project.addCode('Dekor: det usagte', 'Bo');
    strong = await g.project.addCode('Dekor: være sterk', 'Ana');
    await g.codings.load(editor.document);
    // Two codings start at the same place and overlap; a third is two lines further down.
    await g.session.session.code(REL, TEXT, [span('Vi snakker i telefonen hver kveld')], calls.id, 'Ana');
    await g.session.session.code(REL, TEXT, [span('Vi snakker i telefonen hver kveld, men jeg sier aldri hvor vondt det er.')], silence.id, 'Bo');
    await g.session.session.code(REL, TEXT, [span('Det er min jobb å være sterk')], strong.id, 'Ana');
    await until('three codings drawn', () => g.decorations.appliedTo(uri()).length === 3);
  });

  after(async () => {
    await vscode.commands.executeCommand('grounded.clearDecorationFilter');
  });

  it('draws each code in its colour and puts codings that overlap in different lanes', () => {
    const drawn = g.decorations.appliedTo(uri());
    const of = (code: Code) => drawn.find((d) => d.codeId === code.id)!;
    assert.equal(of(calls).colour, calls.color);
    assert.equal(of(silence).colour, silence.color);
    assert.deepEqual([of(silence).start, of(silence).end], span('Vi snakker i telefonen hver kveld, men jeg sier aldri hvor vondt det er.'));
    assert.notEqual(of(calls).lane, of(silence).lane, 'the overlapping codings are told apart');
    assert.equal(of(silence).lane, 0, 'the longer coding is the outer one');
    assert.equal(of(strong).lane, 0, 'a coding that overlaps nothing is in the first lane');
  });

  it('filtering to one code draws only its codings, and clearing draws all again', async () => {
    await vscode.commands.executeCommand('grounded.filterDecorationsByCode', { codeIds: [silence.id] });
    await until('only the filtered code drawn', () => drawnCodes(g).join() === silence.id);
    assert.match(g.decorations.filter.statusText ?? '', /\$\(filter\) Dekor: det usagte/, 'the status bar shows the filter');
    // The hover still lists every coding under the pointer.
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri(), editor.document.positionAt(span('telefonen')[0]));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /telefonsamtaler/);
    assert.match(text, /usagte/);

    await vscode.commands.executeCommand('grounded.clearDecorationFilter');
    await until('every coding drawn again', () => g.decorations.appliedTo(uri()).length === 3);
    assert.equal(g.decorations.filter.statusText, undefined, 'the status bar item is gone');
  });

  it('filtering by coder draws only that coder’s codings, and combines with a code filter', async () => {
    await vscode.commands.executeCommand('grounded.filterDecorationsByCoder', { coder: 'Ana' });
    await until("Ana's codings only", () => drawnCodes(g).join() === [calls.id, strong.id].sort().join());
    assert.match(g.decorations.filter.statusText ?? '', /by Ana/);
    await vscode.commands.executeCommand('grounded.filterDecorationsByCode', { codeIds: [strong.id, silence.id] });
    await until("Ana's codings of the two codes", () => drawnCodes(g).join() === strong.id);
    await vscode.commands.executeCommand('grounded.clearDecorationFilter');
    await until('every coding drawn again', () => g.decorations.appliedTo(uri()).length === 3);
  });

  it('Toggle Code Labels shows the codes of each coded line at its end, and hides them again', async () => {
    assert.deepEqual(g.decorations.labelsOf(uri()), [], 'off by default');
    // The labels are this user's choice: nothing is written to the workspace's (committed) settings.
    const settingsFile = path.join(workspaceRoot(), '.vscode', 'settings.json');
    const settings = () => (fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined);
    const before = settings();
    assert.equal(await vscode.commands.executeCommand('grounded.toggleLineLabels'), true);
    const labels = await until('labels drawn', () => g.decorations.labelsOf(uri()).length > 0 && g.decorations.labelsOf(uri()));
    assert.deepEqual(labels, [
      { line: 0, text: `${silence.name} · ${calls.name}` },
      { line: 4, text: strong.name },
    ]);
    assert.equal(settings(), before, 'labels on: the workspace settings are untouched');
    assert.equal(await vscode.commands.executeCommand('grounded.toggleLineLabels'), false);
    await until('labels gone', () => g.decorations.labelsOf(uri()).length === 0);
    assert.equal(settings(), before, 'labels off: the workspace settings are untouched');
  });

  it('decorates both editors after Split Editor, and an editor shown again after being hidden', async () => {
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.splitEditor');
    const both = await until('two editors on the transcript', () => {
      const eds = vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri().toString());
      return eds.length === 2 && eds;
    });
    for (const e of both) {
      await until(`the editor in column ${e.viewColumn} decorated`, () => g.decorations.drawnIn(e)?.codings.length === 3);
    }
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await until('one editor left', () => vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === uri().toString()).length === 1);

    // Hide it behind another file in the same group, then show it again: a new editor, drawn anew.
    const other = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), 'grounded.json')));
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.One });
    await until('the transcript hidden', () => !vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri().toString()));
    editor = await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.One });
    await until('the shown editor decorated', () => g.decorations.drawnIn(editor)?.codings.length === 3);
  });

  it('draws underlines instead of fills in a high-contrast theme, and fills again after it', async () => {
    const config = vscode.workspace.getConfiguration('workbench');
    assert.equal(g.decorations.drawnIn(editor)?.style, 'fill');
    try {
      await config.update('colorTheme', 'Default High Contrast', vscode.ConfigurationTarget.Global);
      await until('a high-contrast theme', () => vscode.window.activeColorTheme.kind === vscode.ColorThemeKind.HighContrast);
      await until('underlines drawn', () => g.decorations.drawnIn(editor)?.style === 'underline' && g.decorations.drawnIn(editor)!.codings.length === 3);
    } finally {
      await config.update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    }
    await until('fills drawn again', () => g.decorations.drawnIn(editor)?.style === 'fill' && g.decorations.drawnIn(editor)!.codings.length === 3);
  });

  it('follows typing: after a pause the drawn ranges are where the words now are', async () => {
    editor = await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.One });
    await placeSelection(editor, new vscode.Selection(0, 0, 0, 0));
    const typed = 'Intervju 7\n';
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), typed));
    const [start, end] = span('Det er min jobb å være sterk');
    await until('the ranges moved with the words', () => {
      const d = g.decorations.appliedTo(uri()).find((x) => x.codeId === strong.id);
      return d?.start === start + typed.length && d.end === end + typed.length;
    });
    const d = g.decorations.appliedTo(uri()).find((x) => x.codeId === strong.id)!;
    assert.equal(editor.document.getText().slice(d.start, d.end), 'Det er min jobb å være sterk');
    await vscode.commands.executeCommand('undo');
    await until('back after undo', () => g.decorations.appliedTo(uri()).find((x) => x.codeId === strong.id)?.start === start);
  });

  it('after typing away from every edge nothing is sent again (VS Code moved the ranges); typing at an edge sends the ranges where the words are', async () => {
    editor = await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.One });
    const text = () => editor.document.getText();
    const redrawn = async (what: string, before: unknown) => until(what, () => g.decorations.drawnIn(editor) !== before);
    const strongAt = () => g.decorations.appliedTo(uri()).find((x) => x.codeId === strong.id)!;
    try {
      // Inside the words of the first two codings (not at an edge of any).
      let before = g.decorations.drawnIn(editor);
      let sends = g.decorations.sends;
      await editor.edit((b) => b.insert(editor.document.positionAt(text().indexOf('telefonen') + 3), 'x'));
      await redrawn('the redraw after typing inside a coding', before);
      assert.equal(g.decorations.sends, sends, 'no decoration sent again');
      assert.equal(text().slice(strongAt().start, strongAt().end), 'Det er min jobb å være sterk');
      // Right before the first word of a coding: VS Code's rule for an edge decides, so the ranges are sent.
      before = g.decorations.drawnIn(editor);
      sends = g.decorations.sends;
      await editor.edit((b) => b.insert(editor.document.positionAt(strongAt().start), 'Ja. '));
      await redrawn('the redraw after typing at an edge', before);
      assert.ok(g.decorations.sends > sends, 'the types are sent again');
      assert.equal(text().slice(strongAt().start, strongAt().end), 'Det er min jobb å være sterk');
    } finally {
      await vscode.commands.executeCommand('undo');
      await vscode.commands.executeCommand('undo');
    }
    await until('the text as before', () => editor.document.getText() === TEXT);
  });

  it('the hover links to the code memo, and Open Code Memo creates it once and opens it', async () => {
    const position = editor.document.positionAt(span('være sterk')[0]);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri(), position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    const link = `command:grounded.openCodeMemo?${encodeURIComponent(JSON.stringify([{ codeId: strong.id }]))}`;
    assert.ok(text.includes(link), `the hover has the memo link: ${text}`);

    const memosOf = (codeId: string) =>
      fs
        .readdirSync(path.join(workspaceRoot(), 'memos'))
        .filter((f) => fs.readFileSync(path.join(workspaceRoot(), 'memos', f), 'utf8').includes(`target: code:${codeId}`));
    assert.deepEqual(memosOf(strong.id), [], 'no memo yet');
    const rel = await vscode.commands.executeCommand<string>('grounded.openCodeMemo', { codeId: strong.id });
    const file = path.join(workspaceRoot(), rel);
    const written = fs.readFileSync(file, 'utf8');
    assert.match(written, /^---\n/);
    assert.match(written, new RegExp(`target: code:${strong.id}`));
    assert.match(written, /\n# Dekor: være sterk\n/);
    await until('the memo is open', () => vscode.window.activeTextEditor?.document.uri.fsPath === file);

    // Again: the same file, not a second memo.
    await sleep(100);
    assert.equal(await vscode.commands.executeCommand<string>('grounded.openCodeMemo', { codeId: strong.id }), rel);
    assert.equal(memosOf(strong.id).length, 1);

    // A code that has a memo in sample/ opens that one.
    const counting = g.project.project!.codes.find((c) => c.name === 'Counting the days backwards')!;
    assert.equal(
      await vscode.commands.executeCommand<string>('grounded.openCodeMemo', { codeId: counting.id }),
      'memos/counting-the-days-backwards-ec2039ef.md',
    );
  });

  it('a transcript of 1,200 codings opened shows every one of them (those in view are sent first, the rest a moment later)', async () => {
    const rel = 'interviews/e2e-dekor-lang.txt';
    const lines = Array.from({ length: 1200 }, (_, i) => `Liv (${String(i).padStart(4, '0')}): Vi snakker hver kveld, og jeg sier aldri hvor vondt det er.`);
    const text = `${lines.join('\n')}\n`;
    let at = 0;
    const codings: Coding[] = lines.map((line, i) => {
      const start = at + line.indexOf('Vi snakker');
      at += line.length + 1;
      const id = `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
      return { id, codeId: i % 2 ? calls.id : strong.id, anchor: makeAnchor(text, start, start + 'Vi snakker hver kveld'.length), coder: 'Ana', created: '2026-11-05T12:00:00.000Z' };
    });
    fs.writeFileSync(path.join(workspaceRoot(), rel), text);
    fs.writeFileSync(path.join(workspaceRoot(), sidecarPathFor(rel)), serializeSidecar({ version: FORMAT_VERSION, document: { path: rel, hash: hashText(text) }, codings }));
    const file = vscode.Uri.file(path.join(workspaceRoot(), rel));
    const long = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await until('every coding drawn', () => g.decorations.drawnIn(long)?.codings.length === 1200, 30000);
    const drawn = g.decorations.appliedTo(file);
    assert.deepEqual(
      drawn.map((d) => [d.codingId, d.start, d.end]),
      codings.map((c) => [c.id, c.anchor.start, c.anchor.end]),
    );
    // Gone again, so the other files of the suite see the project as before.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(path.join(workspaceRoot(), sidecarPathFor(rel)));
    fs.rmSync(path.join(workspaceRoot(), rel));
    await until('the long transcript gone from the index', () => !g.index.transcripts.includes(rel), 30000);
    // VS Code may hold the closed editor's document a while longer: a deleted transcript's codings count no more.
    await until('its codings no longer counted', () => !(g.session.analysis()?.documents.some((d) => d.path === rel) ?? true), 30000);
  });
});
