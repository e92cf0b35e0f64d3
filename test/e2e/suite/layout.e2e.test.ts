// How codings look: two codings over the same words are drawn with two marks of their own colours,
// the highlight strength setting changes the fills at once, and a segment's tooltip holds what its
// short label leaves out (the full quote, the code, the document with its pseudonym, the coder).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { fillAlpha } from '../../../src/core/decorationPlan';
import type { Code } from '../../../src/core/model';
import { escapeMarkdown } from '../../../src/core/segmentList';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-layout.txt';
const QUOTE = 'Jeg skriver brev til mamma hver uke, lange brev om ingenting, bare for at hun skal se at jeg fortsatt er meg, at jeg ikke har blitt en annen her inne.';
const TEXT = `Intervjuer: Hvordan holder du kontakten?\n\nEirik (00:07:12): ${QUOTE}\n`;

const uri = () => vscode.Uri.file(path.join(workspaceRoot(), REL));
const span = (words: string): [number, number] => {
  const at = TEXT.indexOf(words);
  assert.ok(at >= 0, words);
  return [at, at + words.length];
};

describe('Layout and colour', function () {
  this.timeout(60000);
  let g: GroundedApi;
  let letters: Code;
  let identity: Code;
  let editor: vscode.TextEditor;
  const strength = () => vscode.workspace.getConfiguration('grounded').get<string>('decorations.highlightStrength');

  before(async () => {
    g = await groundedApi();
    fs.writeFileSync(path.join(workspaceRoot(), REL), TEXT);
    editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri()));
    letters = await g.project.addCode('Layout: brev hjem', 'Ana');
    identity = await g.project.addCode('Layout: å forbli seg selv', 'Bo');
    await g.codings.load(editor.document);
    await g.session.session.code(REL, TEXT, [span(QUOTE)], letters.id, 'Ana');
    await g.session.session.code(REL, TEXT, [span('bare for at hun skal se at jeg fortsatt er meg')], identity.id, 'Bo');
    await until('both codings drawn', () => g.decorations.drawnIn(editor)?.codings.length === 2);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('grounded').update('decorations.highlightStrength', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('draws two overlapping codings with two different marks, each in its code\'s colour', () => {
    const drawn = g.decorations.drawnIn(editor)!.codings;
    const outer = drawn.find((d) => d.codeId === letters.id)!;
    const inner = drawn.find((d) => d.codeId === identity.id)!;
    assert.equal(outer.mark, 'underline');
    assert.equal(inner.mark, 'box');
    assert.equal(outer.colour, letters.color);
    assert.equal(inner.colour, identity.color);
    assert.notEqual(letters.color, identity.color, 'two new codes get two colours');
  });

  it('fills as strongly as grounded.decorations.highlightStrength says, changed at once', async () => {
    assert.equal(strength(), 'medium', 'the default');
    assert.deepEqual(g.decorations.drawnIn(editor)?.fillAlpha, fillAlpha('medium'));
    await vscode.workspace.getConfiguration('grounded').update('decorations.highlightStrength', 'strong', vscode.ConfigurationTarget.Workspace);
    await until('stronger fills drawn', () => {
      const d = g.decorations.drawnIn(editor);
      return d?.codings.length === 2 && d.fillAlpha?.light === fillAlpha('strong').light;
    });
    await vscode.workspace.getConfiguration('grounded').update('decorations.highlightStrength', 'subtle', vscode.ConfigurationTarget.Workspace);
    await until('subtle fills drawn', () => g.decorations.drawnIn(editor)?.fillAlpha?.dark === fillAlpha('subtle').dark);
    assert.equal(g.decorations.drawnIn(editor)!.codings.length, 2, 'every coding is drawn again');
  });

  it('the Segments view keeps its labels short and puts the whole segment in the tooltip', async () => {
    await vscode.commands.executeCommand('grounded.showSegments', { codeId: letters.id });
    const item = await until('the segment listed', () => g.segments.shown().items.find((i) => i.label === REL)?.children?.[0]);
    assert.ok(item.label.length <= 82 && item.label.endsWith('…”'), `a short label: ${item.label}`);
    const tip = item.tooltip ?? '';
    assert.ok(tip.includes(escapeMarkdown(QUOTE)), `the full quote: ${tip}`);
    assert.ok(tip.includes(`**${escapeMarkdown(letters.name)}**`), 'the code');
    assert.ok(tip.includes(escapeMarkdown(`In ${REL}, coded by Ana on `)), `the document and the coder: ${tip}`);
  });
});
