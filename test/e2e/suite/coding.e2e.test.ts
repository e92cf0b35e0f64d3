// The first slice as a researcher meets it: code a selection, see it highlighted, keep typing, and
// find the codings on the same words after edits made in the editor and outside it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { recentFirst } from '../../../src/core/codebook';
import type { Sidecar } from '../../../src/core/model';
import { groundedApi, placeSelection, sleep, until, workspaceRoot } from './helpers';

const workspace = workspaceRoot;
const api = groundedApi;

function readSidecar(rel: string): Sidecar {
  return JSON.parse(fs.readFileSync(path.join(workspace(), `${rel}.codes.json`), 'utf8')) as Sidecar;
}

async function openTranscript(rel: string, content?: string): Promise<vscode.TextEditor> {
  const file = path.join(workspace(), rel);
  if (content !== undefined) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc);
}

async function select(editor: vscode.TextEditor, words: string): Promise<void> {
  const text = editor.document.getText();
  const at = text.indexOf(words);
  assert.ok(at >= 0, `"${words}" is in the transcript`);
  await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
}

const TRANSCRIPT = [
  'Intervjuer: Hvordan holder du kontakten med familien?',
  '',
  'Håkon (00:01:10): Jeg ringer datteren min hver søndag. Det er det jeg gleder meg til hele uka.',
  '',
  'Intervjuer: Og besøkene?',
  '',
  'Håkon (00:02:40): Besøksrommet er kaldt, men når hun ler der inne glemmer jeg murene et øyeblikk 🙂.',
  '',
].join('\n');

describe('Coding in the editor', function () {
  this.timeout(60000);

  it('activates on the sample project and highlights its existing codings', async () => {
    const grounded = await api();
    assert.ok(grounded.project.project, 'grounded.json of sample/ was loaded');
    assert.ok(grounded.project.project.codes.length > 0, 'the sample codebook has codes');
    const sidecars = fs.readdirSync(path.join(workspace(), 'interviews')).filter((f) => f.endsWith('.codes.json'));
    assert.ok(sidecars.length > 0, 'sample/ has sidecars');
    const rel = `interviews/${sidecars[0].replace(/\.codes\.json$/, '')}`;
    const stored = readSidecar(rel).codings.filter((c) => !c.orphaned);
    const editor = await openTranscript(rel);
    const drawn = await until('decorations on the sample transcript', () => {
      const applied = grounded.decorations.appliedTo(editor.document.uri);
      return applied.length === stored.length && applied;
    });
    const text = editor.document.getText().replace(/\r\n?/g, '\n');
    for (const d of drawn) {
      const coding = stored.find((c) => c.anchor.start === d.start && c.anchor.end === d.end && c.codeId === d.codeId);
      assert.ok(coding, `decoration ${d.start}-${d.end} matches a stored coding`);
      assert.equal(text.slice(d.start, d.end), coding.anchor.quote);
    }
  });

  it('Code Selection from the quick pick writes the coding to the sidecar and draws it', async () => {
    const grounded = await api();
    const editor = await openTranscript('interviews/e2e-kontakt.txt', TRANSCRIPT);
    const words = 'Jeg ringer datteren min hver søndag.';
    await select(editor, words);
    // The picker lists the recently used codes first, then the others by name, below a row that only
    // says what to do (Enter there codes nothing): Down, then Enter takes the first code.
    const order = recentFirst(grounded.project.project!.codes, grounded.recentCodes());
    const firstCode = [...order.recent, ...order.others][0];
    const running = vscode.commands.executeCommand('grounded.codeSelection');
    await until('the code picker', () => grounded.codePicker());
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await until('the first code active', () => grounded.codePicker()?.active === firstCode.name);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await running;
    const sidecar = await until('the sidecar file', () => {
      try {
        return readSidecar('interviews/e2e-kontakt.txt');
      } catch {
        return undefined;
      }
    });
    assert.equal(sidecar.document.path, 'interviews/e2e-kontakt.txt');
    assert.equal(sidecar.codings.length, 1);
    const [coding] = sidecar.codings;
    assert.equal(coding.codeId, firstCode.id);
    assert.equal(coding.anchor.quote, words);
    assert.equal(coding.anchor.start, TRANSCRIPT.indexOf(words));
    assert.equal(coding.anchor.end, TRANSCRIPT.indexOf(words) + words.length);
    assert.ok(coding.anchor.prefix.endsWith('Håkon (00:01:10): '), 'the prefix holds the words before');
    await until('the decoration', () =>
      grounded.decorations.appliedTo(editor.document.uri).some((d) => d.start === coding.anchor.start && d.codeId === firstCode.id),
    );
  });

  it('Code Selection with a new code name creates the code in grounded.json', async () => {
    const grounded = await api();
    const editor = await openTranscript('interviews/e2e-kontakt.txt');
    const words = 'glemmer jeg murene et øyeblikk 🙂';
    await select(editor, words);
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'glemmer murene' });
    const project = JSON.parse(fs.readFileSync(path.join(workspace(), 'grounded.json'), 'utf8'));
    const code = project.codes.find((c: { name: string }) => c.name === 'glemmer murene');
    assert.ok(code, 'the new code is in the codebook on disk');
    const coding = readSidecar('interviews/e2e-kontakt.txt').codings.find((c) => c.codeId === code.id);
    assert.ok(coding, 'the coding uses the new code');
    assert.equal(coding.anchor.quote, words);
    assert.equal(grounded.project.codeById(code.id)?.name, 'glemmer murene');
  });

  it('an edit above a coding keeps it on the same words, in memory and on save', async () => {
    const grounded = await api();
    const editor = await openTranscript('interviews/e2e-kontakt.txt');
    const before = readSidecar('interviews/e2e-kontakt.txt').codings;
    const inserted = 'Intervjuer: Først, hvordan har dagen vært? Ærlig talt, føler du deg trygg her?\n\n';
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), inserted));
    const text = () => editor.document.getText();
    const moved = await until('codings shifted with the edit', () => {
      const now = grounded.codings.peek(editor.document.uri);
      return now && now.every((c) => c.anchor.start >= inserted.length) && now;
    });
    for (const c of moved) assert.equal(text().slice(c.anchor.start, c.anchor.end), c.anchor.quote);
    await until('decorations follow', () =>
      grounded.decorations.appliedTo(editor.document.uri).every((d) => d.start >= inserted.length),
    );
    await editor.document.save();
    const saved = await until('the sidecar rewritten on save', () => {
      const s = readSidecar('interviews/e2e-kontakt.txt');
      return s.codings.every((c) => c.anchor.start >= inserted.length) && s;
    });
    assert.equal(saved.codings.length, before.length, 'no coding lost');
    for (const c of saved.codings) {
      const old = before.find((b) => b.id === c.id)!;
      assert.equal(c.anchor.start, old.anchor.start + inserted.length);
      assert.equal(c.anchor.quote, old.anchor.quote);
    }
  });

  it('re-anchors codings when the transcript changed on disk while closed', async () => {
    const grounded = await api();
    const rel = 'interviews/e2e-utenfra.txt';
    const words = 'Besøksrommet er kaldt';
    let editor = await openTranscript(rel, TRANSCRIPT);
    await select(editor, words);
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'besøksrommet' });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await until('the document is closed', () => !vscode.window.visibleTextEditors.some((e) => e.document.uri.fsPath.endsWith('e2e-utenfra.txt')));
    // An edit made elsewhere (a co-author's commit, a git pull), with Windows line endings.
    const changed = ('Merknad: lydfilen var dårlig i starten.\n\n' + TRANSCRIPT).replace(/\n/g, '\r\n');
    fs.writeFileSync(path.join(workspace(), rel), changed);
    await sleep(300);
    editor = await openTranscript(rel);
    const lf = changed.replace(/\r\n/g, '\n');
    const sidecar = await until('the sidecar re-anchored', () => {
      const s = readSidecar(rel);
      return s.codings[0]?.anchor.start === lf.indexOf(words) && s;
    });
    assert.equal(sidecar.codings[0].anchor.quote, words);
    assert.equal(sidecar.codings[0].orphaned, undefined);
    await until('the decoration on the moved words', () =>
      grounded.decorations.appliedTo(editor.document.uri).some((d) => d.start === lf.indexOf(words)),
    );
  });

  it('a corrupt sidecar is reported and never overwritten', async () => {
    const rel = 'interviews/e2e-korrupt.txt';
    const sidecarFile = path.join(workspace(), `${rel}.codes.json`);
    fs.writeFileSync(path.join(workspace(), rel), TRANSCRIPT);
    const corrupt = '{\n  "version": 1,\n  "document": {"path": "interviews/e2e-korrupt.txt",\n  "codings": [\n';
    fs.writeFileSync(sidecarFile, corrupt);
    const grounded = await api();
    const editor = await openTranscript(rel);
    const message = await until('an error naming the file, line and column', () =>
      grounded.shownErrors().find((m) => m.includes('e2e-korrupt.txt.codes.json:')),
    );
    assert.match(message, /e2e-korrupt\.txt\.codes\.json:\d+:\d+/);
    await select(editor, 'Og besøkene?');
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'besøk' });
    await sleep(500);
    assert.equal(fs.readFileSync(sidecarFile, 'utf8'), corrupt, 'the corrupt file is untouched');
    assert.equal(grounded.decorations.appliedTo(editor.document.uri).length, 0);
    // Put the folder right again for the tests after this one (as the researcher would: restore or delete it).
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(sidecarFile);
    fs.rmSync(path.join(workspace(), rel));
  });
});

describe('Sidecars changed outside the editor', function () {
  this.timeout(60000);

  it('shows a coding another window (or a git pull) added, and keeps it when coding on', async () => {
    const grounded = await groundedApi();
    const rel = 'interviews/e2e-andre.txt';
    const editor = await openTranscript(rel, TRANSCRIPT);
    await select(editor, 'Og besøkene?');
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'spørsmål om besøk' });
    const mine = readSidecar(rel);
    assert.equal(mine.codings.length, 1);
    // A co-author's coding arrives on disk, written by another program.
    const words = 'Jeg ringer datteren min hver søndag.';
    const start = TRANSCRIPT.indexOf(words);
    const theirs = {
      ...mine.codings[0],
      id: '0f0e0d0c-0b0a-4909-8807-060504030201',
      coder: 'Jonas Berg',
      anchor: {
        start,
        end: start + words.length,
        prefix: TRANSCRIPT.slice(Math.max(0, start - 32), start),
        quote: words,
        suffix: TRANSCRIPT.slice(start + words.length, start + words.length + 32),
      },
    };
    const file = path.join(workspace(), `${rel}.codes.json`);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes(mine.codings[0].id));
    lines.splice(at, 1, `    ${JSON.stringify(theirs)},`, lines[at]);
    fs.writeFileSync(file, lines.join('\n'));
    await until('the outside coding drawn', () =>
      grounded.decorations.appliedTo(editor.document.uri).some((d) => d.start === start),
    );
    // Coding on in this window keeps the co-author's coding in the file.
    await select(editor, 'Besøksrommet er kaldt');
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'spørsmål om besøk' });
    const merged = readSidecar(rel);
    assert.equal(merged.codings.length, 3);
    assert.ok(merged.codings.some((c) => c.id === theirs.id && c.coder === 'Jonas Berg'));
  });
});
