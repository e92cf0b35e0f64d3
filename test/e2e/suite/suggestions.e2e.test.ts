// Reviewing AI suggestions in the editor: two transcripts whose sidecars hold pending suggestions of the
// coder "AI: e2e-model" (written here, as `grounded suggest` would leave them). The Suggestions view lists
// them by transcript; the editor draws them dashed, never as codings; accepting at the cursor records who
// and when and makes the Codes view count one more; rejecting hides it (shown faint with Show Rejected);
// Undo brings either back to pending; all of one code across both transcripts is one undo; changing the
// code and accepting a proposed new code; and the cursor in no suggestion says so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Code, Coding, ProjectFile, Sidecar, Suggestion } from '../../../src/core/model';
import { FORMAT_VERSION } from '../../../src/core/model';
import { hashText } from '../../../src/core/hash';
import { serializeSidecar, sidecarPathFor } from '../../../src/core/sidecar';
import { makeAnchor } from '../../../src/core/text';
import { recentFirst } from '../../../src/core/codebook';
import type { GroundedApi } from '../../../src/vscode/main';
import type { SuggestionsElement } from '../../../src/vscode/suggestionsView';
import { E2E_CODER, groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const A = 'interviews/e2e-forslag-a.txt';
const B = 'interviews/e2e-forslag-b.txt';
const TEXT_A = [
  'Ola (00:01:10): Jeg ringer mora mi hver fredag. Det er det jeg gleder meg til.',
  '',
  'Intervjuer: Og brevene?',
  '',
  'Ola (00:02:05): Brevene leser jeg mange ganger før jeg svarer.',
  '',
].join('\n');
const TEXT_B = ['Siri (00:00:40): Telefonen er kort, ti minutter.', '', 'Siri (00:01:30): Jeg teller dagene til neste besøk.', ''].join('\n');
const CALLS = 'e2e sugg calls';
const WAITING = 'e2e sugg waiting';
const PROPOSED = 'e2e sugg rereading';
const MODEL = 'e2e-model';
const AI = `AI: ${MODEL}`;

const file = (rel: string) => path.join(workspaceRoot(), rel);
const uri = (rel: string) => vscode.Uri.file(file(rel));
const sidecarOnDisk = (rel: string): Sidecar => JSON.parse(fs.readFileSync(file(sidecarPathFor(rel)), 'utf8'));
const onDisk = (rel: string, id: string): Coding | undefined => sidecarOnDisk(rel).codings.find((c) => c.id === id);
const projectOnDisk = (): ProjectFile => JSON.parse(fs.readFileSync(file('grounded.json'), 'utf8'));

const ids = { callsA: 'e2e5a000-0000-4000-8000-000000000001', waitingA: 'e2e5a000-0000-4000-8000-000000000002', proposedA: 'e2e5a000-0000-4000-8000-000000000003', callsB: 'e2e5a000-0000-4000-8000-000000000004', waitingB: 'e2e5a000-0000-4000-8000-000000000005', overlapB: 'e2e5a000-0000-4000-8000-000000000006' };

function suggestionCoding(id: string, text: string, words: string, codeId: string, code: string, reason: string): Coding {
  const at = text.indexOf(words);
  assert.ok(at >= 0, words);
  const suggestion: Suggestion = {
    status: 'pending',
    model: MODEL,
    endpoint: 'http://127.0.0.1:11434/v1',
    promptVersion: 'grounded-suggest-1',
    requested: '2026-11-05T10:00:00.000Z',
    reason,
    code,
    ...(codeId ? {} : { proposed: true as const }),
  };
  return { id, codeId, anchor: makeAnchor(text, at, at + words.length), coder: AI, created: '2026-11-05T10:00:00.000Z', suggestion };
}

function writeTranscript(rel: string, text: string, codings: Coding[]): void {
  fs.writeFileSync(file(rel), text);
  const sidecar: Sidecar = { version: FORMAT_VERSION, document: { path: rel, hash: hashText(text) }, codings };
  fs.writeFileSync(file(sidecarPathFor(rel)), serializeSidecar(sidecar));
}

describe('AI suggestions: review', function () {
  this.timeout(90000);
  let g: GroundedApi;
  let savedProject: string;
  let calls: Code;
  let waiting: Code;

  const suggestionRows = () => g.suggestions.shown();
  const rowOf = (rel: string) => suggestionRows().find((r) => r.label === rel);
  const element = (rel: string, id: string): SuggestionsElement => {
    const found = g.suggestions.getChildren().flatMap((t) => g.suggestions.getChildren(t)).find((e) => e.kind === 'suggestion' && e.path === rel && e.coding.id === id);
    assert.ok(found, `the row of ${id} in the Suggestions view`);
    return found;
  };
  const countOf = (codeId: string) => {
    const row = g.codesView.rows().find((r) => r.id === codeId);
    return row?.description ? Number(row.description.split(' ')[0]) : 0;
  };
  const statusOf = (rel: string, id: string) => onDisk(rel, id)?.suggestion?.status;

  async function cursorIn(rel: string, text: string, words: string): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri(rel)));
    await g.codings.load(editor.document);
    const at = text.indexOf(words) + 2;
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at)));
    return editor;
  }

  async function hoverText(rel: string, at: number): Promise<string> {
    const document = await vscode.workspace.openTextDocument(uri(rel));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri(rel), document.positionAt(at));
    return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  }

  before(async () => {
    g = await groundedApi();
    savedProject = fs.readFileSync(file('grounded.json'), 'utf8');
    calls = await g.project.addCode(CALLS, 'Ana');
    waiting = await g.project.addCode(WAITING, 'Ana');
    writeTranscript(A, TEXT_A, [
      suggestionCoding(ids.callsA, TEXT_A, 'Jeg ringer mora mi hver fredag.', calls.id, CALLS, 'He calls his mother every week.'),
      suggestionCoding(ids.waitingA, TEXT_A, 'Det er det jeg gleder meg til.', waiting.id, WAITING, 'Looking forward to the call.'),
      suggestionCoding(ids.proposedA, TEXT_A, 'Brevene leser jeg mange ganger', '', PROPOSED, 'Reads the letters again and again.'),
    ]);
    writeTranscript(B, TEXT_B, [
      suggestionCoding(ids.callsB, TEXT_B, 'Telefonen er kort, ti minutter.', calls.id, CALLS, 'The phone call is short.'),
      suggestionCoding(ids.waitingB, TEXT_B, 'Jeg teller dagene til neste besøk.', waiting.id, WAITING, 'Counting the days.'),
      suggestionCoding(ids.overlapB, TEXT_B, 'kort, ti minutter', waiting.id, WAITING, 'Ten minutes to wait for.'),
    ]);
    await until('both transcripts in the Suggestions view', () => rowOf(A) && rowOf(B), 30000);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await g.personal.set('showRejectedSuggestions', false);
    for (const rel of [A, B]) {
      fs.rmSync(file(rel), { force: true });
      fs.rmSync(file(sidecarPathFor(rel)), { force: true });
    }
    fs.writeFileSync(file('grounded.json'), savedProject);
    await g.project.refresh();
    await until('the project as it was', () => !g.project.project?.codes.some((c) => c.name === CALLS));
  });

  it('lists the pending suggestions by transcript, with their codes, none counted', async () => {
    const a = rowOf(A)!;
    assert.equal(a.description, '3 suggestions');
    assert.deepEqual(
      a.children?.map((c) => [c.label, c.description]),
      [
        ['“Jeg ringer mora mi hver fredag.”', CALLS],
        ['“Det er det jeg gleder meg til.”', WAITING],
        ['“Brevene leser jeg mange ganger”', `${PROPOSED} (proposed)`],
      ],
    );
    assert.ok(a.children![0].tooltip?.includes(MODEL) && a.children![0].tooltip.includes('He calls his mother every week.'), a.children![0].tooltip);
    assert.deepEqual(a.children![0].command, { command: 'grounded.openCoding', argument: { path: A, codingId: ids.callsA } });
    assert.equal(rowOf(B)!.description, '3 suggestions');
    assert.equal(g.suggestions.view.description, '6');
    assert.equal(countOf(calls.id), 0, 'a pending suggestion counts nowhere');
    assert.equal(countOf(waiting.id), 0);
  });

  it('draws pending suggestions with the suggestion style, never as codings; the hover says who suggested', async () => {
    await cursorIn(A, TEXT_A, 'Jeg ringer');
    const drawn = await until('three suggestions drawn', () => g.decorations.suggestionsDrawnIn(uri(A)).length === 3 && g.decorations.suggestionsDrawnIn(uri(A)));
    assert.deepEqual(
      drawn.map((d) => [d.codingId, d.mark, d.border, d.colour]),
      [
        [ids.callsA, 'pending', 'dashed', calls.color],
        [ids.waitingA, 'pending', 'dashed', waiting.color],
        [ids.proposedA, 'pending', 'dashed', 'theme'],
      ],
    );
    assert.deepEqual(g.decorations.appliedTo(uri(A)), [], 'no coding drawn');
    assert.equal(g.suggestions.activeHasSuggestions, true, "the editor's context menu offers Accept and Reject");
    await until('the status bar names the suggested code apart from codes', () => g.statusBar.text === `$(sparkle) ${CALLS}`);
    const text = await hoverText(A, TEXT_A.indexOf('ringer'));
    assert.match(text, /Suggested by AI: e2e\\-model:/);
    assert.match(text, /He calls his mother every week/);
    assert.match(text, /Alt\\\+Q Y accept/);
  });

  it('accepts the suggestion at the cursor: status, who and when in the sidecar; the Codes view counts it; Undo makes it pending again', async () => {
    await cursorIn(A, TEXT_A, 'Jeg ringer');
    const before = Date.now();
    assert.equal(await vscode.commands.executeCommand('grounded.acceptSuggestion'), true);
    const coding = await until('accepted in the sidecar', () => statusOf(A, ids.callsA) === 'accepted' && onDisk(A, ids.callsA));
    await until('Ctrl+Z in the transcript undoes it', () => g.undoKeys.state.undo);
    assert.equal(coding.suggestion?.decidedBy, E2E_CODER);
    assert.ok(coding.suggestion?.decided && Date.parse(coding.suggestion.decided) >= before - 1000, coding.suggestion?.decided);
    assert.equal(coding.codeId, calls.id);
    await until('the Codes view counts it', () => countOf(calls.id) === 1);
    await until('drawn as a coding now', () => g.decorations.appliedTo(uri(A)).some((d) => d.codingId === ids.callsA));
    assert.ok(!g.decorations.suggestionsDrawnIn(uri(A)).some((d) => d.codingId === ids.callsA), 'no longer drawn as a suggestion');
    await until('gone from the Suggestions view', () => rowOf(A)?.description === '2 suggestions');
    await until('the status bar shows it as a code at the cursor', () => g.statusBar.text === `$(tag) ${CALLS}`);
    const hover = await hoverText(A, TEXT_A.indexOf('ringer'));
    assert.match(hover, /accepted by Eli Test on \d{4}\\-\d\d\\-\d\d/, hover);

    await vscode.commands.executeCommand('grounded.undo');
    await until('pending again in the sidecar', () => statusOf(A, ids.callsA) === 'pending');
    assert.equal(onDisk(A, ids.callsA)?.suggestion?.decidedBy, undefined);
    await until('not counted again', () => countOf(calls.id) === 0);
    await until('listed again', () => rowOf(A)?.description === '3 suggestions');
  });

  it('rejects the suggestion at the cursor: kept in the sidecar, hidden from the view and the text; Show Rejected shows it faint; Undo makes it pending', async () => {
    await cursorIn(A, TEXT_A, 'Det er det jeg');
    assert.equal(await vscode.commands.executeCommand('grounded.rejectSuggestion'), true);
    const coding = await until('rejected in the sidecar', () => statusOf(A, ids.waitingA) === 'rejected' && onDisk(A, ids.waitingA));
    assert.equal(coding.suggestion?.decidedBy, E2E_CODER);
    assert.ok(coding.suggestion?.decided);
    await until('hidden from the view', () => rowOf(A)?.description === '2 suggestions' && !rowOf(A)!.children!.some((c) => c.label.includes('gleder')));
    await until('not drawn', () => g.decorations.suggestionsDrawnIn(uri(A)).length === 2);
    assert.equal(countOf(waiting.id), 0, 'a rejected suggestion counts nowhere');

    await vscode.commands.executeCommand('grounded.showRejectedSuggestions');
    const shown = await until('shown faint in the view', () => rowOf(A)?.children?.find((c) => c.label.includes('gleder')));
    assert.equal(shown.description, `${WAITING} · rejected by ${E2E_CODER}`);
    assert.equal(shown.icon, 'circle-slash');
    assert.equal(rowOf(A)!.description, '2 suggestions · 1 rejected');
    const faint = await until('drawn dotted', () => g.decorations.suggestionsDrawnIn(uri(A)).find((d) => d.codingId === ids.waitingA));
    assert.equal(faint.mark, 'rejected');
    assert.equal(faint.border, 'dotted');
    // A person may change their mind: a rejected row's Accept, undone again.
    assert.equal(await vscode.commands.executeCommand('grounded.acceptSuggestion', element(A, ids.waitingA)), true);
    await until('accepted after all', () => statusOf(A, ids.waitingA) === 'accepted');
    await vscode.commands.executeCommand('grounded.undo');
    await until('rejected again', () => statusOf(A, ids.waitingA) === 'rejected');
    await vscode.commands.executeCommand('grounded.hideRejectedSuggestions');
    await until('hidden again', () => g.decorations.suggestionsDrawnIn(uri(A)).length === 2 && !rowOf(A)!.children!.some((c) => c.label.includes('gleder')));

    await vscode.commands.executeCommand('grounded.undo');
    await until('pending again', () => statusOf(A, ids.waitingA) === 'pending');
    await until('listed and drawn again', () => rowOf(A)?.description === '3 suggestions' && g.decorations.suggestionsDrawnIn(uri(A)).length === 3);
  });

  it('accepts all suggestions of one code across two transcripts as one transaction, undone at once', async () => {
    const notes = g.shownNotifications().length;
    assert.equal(await vscode.commands.executeCommand('grounded.acceptSuggestionsOfCode', element(A, ids.callsA)), 2);
    await until('both accepted on disk', () => statusOf(A, ids.callsA) === 'accepted' && statusOf(B, ids.callsB) === 'accepted');
    assert.equal(statusOf(A, ids.waitingA), 'pending', 'another code is left alone');
    assert.equal(statusOf(B, ids.waitingB), 'pending');
    await until('counted in two documents', () => g.codesView.rows().find((r) => r.id === calls.id)?.description === '2 · 2 docs');
    const said = g.shownNotifications().slice(notes).find((n) => n.message.includes(`Accepted 2 AI suggestion(s) of "${CALLS}" in 2 transcript(s).`));
    assert.ok(said?.actions.some((a) => a.title === 'Undo'), 'announced with Undo');

    await vscode.commands.executeCommand('grounded.undo');
    await until('both pending again after one undo', () => statusOf(A, ids.callsA) === 'pending' && statusOf(B, ids.callsB) === 'pending');
    await until('counted nowhere again', () => countOf(calls.id) === 0);
  });

  it("changes a suggestion's code: accepted with the new code, marked changed, the model's code kept", async () => {
    assert.equal(await vscode.commands.executeCommand('grounded.changeSuggestionCode', { path: B, codingId: ids.waitingB, codeId: calls.id }), true);
    const coding = await until('changed on disk', () => statusOf(B, ids.waitingB) === 'accepted' && onDisk(B, ids.waitingB));
    assert.equal(coding.codeId, calls.id);
    assert.equal(coding.suggestion?.changed, true);
    assert.equal(coding.suggestion?.code, WAITING, "the model's answer stays for the audit");
    assert.equal(coding.suggestion?.decidedBy, E2E_CODER);
    await until('counted under the new code', () => countOf(calls.id) === 1 && countOf(waiting.id) === 0);
  });

  it('accepting a proposed code creates the code in grounded.json', async () => {
    await cursorIn(A, TEXT_A, 'Brevene leser');
    assert.equal(await vscode.commands.executeCommand('grounded.acceptSuggestion'), true);
    const code = await until('the new code in grounded.json', () => projectOnDisk().codes.find((c) => c.name === PROPOSED));
    const coding = await until('accepted with its code', () => statusOf(A, ids.proposedA) === 'accepted' && onDisk(A, ids.proposedA));
    assert.equal(coding.codeId, code.id);
    assert.equal(coding.suggestion?.proposed, true);
    await until('counted', () => countOf(code.id) === 1);
  });

  it('asks which where two suggestions overlap at the cursor', async () => {
    await cursorIn(B, TEXT_B, 'kort, ti');
    const asked: string[] = [];
    const real = vscode.window.showQuickPick;
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly vscode.QuickPickItem[]) => {
      asked.push(...items.map((i) => `${i.label} | ${i.detail}`));
      return items.find((i) => i.label === WAITING);
    };
    try {
      assert.equal(await vscode.commands.executeCommand('grounded.rejectSuggestion'), true);
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = real;
    }
    assert.deepEqual(asked, [`${CALLS} | “Telefonen er kort, ti minutter.”`, `${WAITING} | “kort, ti minutter”`]);
    await until('the one picked rejected', () => statusOf(B, ids.overlapB) === 'rejected');
    assert.equal(statusOf(B, ids.callsB), 'pending', 'the other one left alone');
  });

  it('accepts all pending suggestions of one transcript as one transaction', async () => {
    const transcript = g.suggestions.getChildren().find((t) => t.path === A);
    assert.ok(transcript);
    assert.equal(await vscode.commands.executeCommand('grounded.acceptSuggestionsInTranscript', transcript), 2);
    await until('both accepted', () => statusOf(A, ids.callsA) === 'accepted' && statusOf(A, ids.waitingA) === 'accepted');
    await until('gone from the view', () => !rowOf(A));
    await vscode.commands.executeCommand('grounded.undo');
    await until('both pending after one undo', () => statusOf(A, ids.callsA) === 'pending' && statusOf(A, ids.waitingA) === 'pending');
    await until('listed again', () => rowOf(A)?.description === '2 suggestions');
  });

  it('moves the cursor to the next and previous suggestion', async () => {
    const editor = await cursorIn(B, TEXT_B, 'Siri (00:00');
    await placeSelection(editor, new vscode.Selection(0, 0, 0, 0));
    assert.equal(await vscode.commands.executeCommand('grounded.nextSuggestion'), true);
    const at = TEXT_B.indexOf('Telefonen er kort');
    assert.equal(editor.document.offsetAt(editor.selection.start), at, 'the pending one in B');
    assert.equal(editor.document.getText(editor.selection), 'Telefonen er kort, ti minutter.');
    const notes = g.shownNotifications().length;
    assert.equal(await vscode.commands.executeCommand('grounded.nextSuggestion'), false, 'the others in B were decided');
    assert.ok(g.shownNotifications().slice(notes).some((n) => n.message.includes('no AI suggestion after the cursor')));
    const end = editor.document.positionAt(TEXT_B.length);
    await placeSelection(editor, new vscode.Selection(end, end));
    assert.equal(await vscode.commands.executeCommand('grounded.previousSuggestion'), true);
    assert.equal(editor.document.getText(editor.selection), 'Telefonen er kort, ti minutter.');
  });

  it('says so when there is no suggestion at the cursor, with the way to the Suggestions view', async () => {
    await cursorIn(B, TEXT_B, 'Siri (00:01');
    const notes = g.shownNotifications().length;
    assert.equal(await vscode.commands.executeCommand('grounded.acceptSuggestion'), false);
    const said = await until('the message', () => g.shownNotifications().slice(notes).find((n) => n.message.includes('No AI suggestion at the cursor')));
    assert.ok(said.actions.some((a) => a.title === 'Show Suggestions'));
  });

  it("Change Suggestion's Code… at the cursor offers the code picker without the model's code", async () => {
    await cursorIn(A, TEXT_A, 'Det er det jeg');
    const order = recentFirst(g.project.project!.codes.filter((c) => c.id !== waiting.id), g.recentCodes());
    const firstCode = [...order.recent, ...order.others][0];
    const running = vscode.commands.executeCommand('grounded.changeSuggestionCode');
    const picker = await until('the code picker', () => g.codePicker());
    assert.equal(picker.title, `Grounded: Accept the suggestion "${WAITING}" with the code…`);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await until('the first code active', () => g.codePicker()?.active === firstCode.name);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(await running, true);
    const coding = await until('accepted with the code picked', () => statusOf(A, ids.waitingA) === 'accepted' && onDisk(A, ids.waitingA));
    assert.equal(coding.codeId, firstCode.id);
    assert.equal(coding.suggestion?.changed, true);
  });
});
