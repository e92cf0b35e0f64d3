// Relations in VS Code: Add Relation from the Codes view (questions answered by stubbed quick picks),
// the relation in grounded.json and in the Relations view; evidence added from the coded words at the
// cursor; a code with a relation deleted (the dialog says what goes with it) and Undo bringing both
// back; and the commands that cannot act saying why.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectFile, Relation } from '../../../src/core/model';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-relasjoner.txt';
const TEXT = 'Mari: Vakten bytter hver uke, så jeg sover dårlig.\n\nMari: Når jeg sover dårlig, krangler jeg mer med de andre.\n';
const CAUSE = 'e2e rel shift changes';
const EFFECT = 'e2e rel poor sleep';
const TITLE = `${CAUSE} — is cause of → ${EFFECT}`;

const file = (rel: string) => path.join(workspaceRoot(), rel);
const projectOnDisk = (): ProjectFile => JSON.parse(fs.readFileSync(file('grounded.json'), 'utf8'));
const relationsOnDisk = (): Relation[] => projectOnDisk().relations ?? [];

type Pick = (items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => unknown;

describe('Relations', function () {
  this.timeout(60000);
  let g: GroundedApi;
  let savedProject: string;
  const realQuickPick = vscode.window.showQuickPick;
  const realInputBox = vscode.window.showInputBox;
  const realWarning = vscode.window.showWarningMessage;
  const asked: { title?: string; items: vscode.QuickPickItem[] }[] = [];

  /** Quick picks answer with the first item whose label includes the next of `answers`. */
  function answerPicks(...answers: string[]): void {
    const queue = [...answers];
    (vscode.window as { showQuickPick: Pick }).showQuickPick = async (items, options) => {
      const list = [...(await items)];
      asked.push({ title: options?.title, items: list });
      const want = queue.shift();
      assert.ok(want !== undefined, `an unexpected quick pick: ${options?.title}`);
      const found = list.find((i) => i.kind !== vscode.QuickPickItemKind.Separator && i.label.includes(want));
      assert.ok(found, `no item "${want}" in ${options?.title}: ${list.map((i) => i.label).join(', ')}`);
      return found;
    };
  }
  const codeId = (name: string) => g.project.project!.codes.find((c) => c.name === name)!.id;
  const shownRelation = () => g.relations.shown().find((i) => i.label === TITLE);

  before(async () => {
    g = await groundedApi();
    savedProject = fs.readFileSync(file('grounded.json'), 'utf8');
    fs.writeFileSync(file(REL), TEXT);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file(REL)));
    const code = async (words: string, codeName: string) => {
      const at = TEXT.indexOf(words);
      await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
      await vscode.commands.executeCommand('grounded.codeSelection', { codeName });
    };
    await code('Vakten bytter hver uke', CAUSE);
    await code('jeg sover dårlig', EFFECT);
    await until('both codes in the codebook', () => g.project.project?.codes.some((c) => c.name === EFFECT));
  });

  afterEach(() => {
    (vscode.window as { showQuickPick: unknown }).showQuickPick = realQuickPick;
    (vscode.window as { showInputBox: unknown }).showInputBox = realInputBox;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = realWarning;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(file(REL), { force: true });
    fs.rmSync(file(`${REL}.codes.json`), { force: true });
    fs.writeFileSync(file('grounded.json'), savedProject);
    await g.project.refresh();
    await until('the project as it was', () => !g.project.project?.codes.some((c) => c.name === CAUSE));
  });

  it('says why a command on relations cannot act before there is one', async () => {
    const before = g.shownNotifications().length;
    await vscode.commands.executeCommand('grounded.editRelation');
    await vscode.commands.executeCommand('grounded.addEvidence');
    const said = g.shownNotifications().slice(before).map((n) => n.message);
    assert.equal(said.filter((m) => m.includes('There are no relations yet')).length, 2, said.join('\n'));
    assert.ok(g.shownNotifications().slice(before)[0].actions.some((a) => a.title === 'Add Relation…'), 'with the way forward');
  });

  it('adds a relation from the Codes view: in grounded.json and in the Relations view', async () => {
    answerPicks('is cause of', EFFECT);
    (vscode.window as { showInputBox: unknown }).showInputBox = async () => 'rotation wears people out';
    const source = g.project.codeById(codeId(CAUSE))!;
    const id = (await vscode.commands.executeCommand('grounded.addRelation', source)) as string;
    assert.ok(id, 'the command returns the new relation');
    const onDisk = await until('the relation in grounded.json', () => relationsOnDisk().find((r) => r.id === id));
    assert.equal(onDisk.source, codeId(CAUSE));
    assert.equal(onDisk.target, codeId(EFFECT));
    assert.equal(onDisk.type, '9e1a7100-0000-4000-8000-000000000001'); // the built-in "is cause of"
    assert.equal(onDisk.label, 'rotation wears people out');
    assert.equal(onDisk.author, 'Eli Test');
    const row = await until('the relation in the Relations view', shownRelation);
    assert.equal(row.description, 'rotation wears people out · 0 evidence');
    // The same relation again is refused with the reason.
    const before = g.shownNotifications().length;
    answerPicks('is cause of', EFFECT);
    await vscode.commands.executeCommand('grounded.addRelation', source);
    await until('the refusal', () => g.shownNotifications().slice(before).some((n) => n.message.includes('is already a relation')));
    assert.equal(relationsOnDisk().length, 1);
  });

  it('adds the coding at the cursor as evidence, offering the relations of its code first', async () => {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file(REL)));
    const at = TEXT.indexOf('bytter');
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at)));
    asked.length = 0;
    answerPicks(TITLE);
    const id = await vscode.commands.executeCommand('grounded.addEvidence');
    assert.ok(id, 'the command returns the relation');
    const items = asked[0].items;
    assert.equal(items[0].kind, vscode.QuickPickItemKind.Separator);
    assert.equal(items[0].label, `Relations of "${CAUSE}"`);
    assert.equal(items[1].label, TITLE);
    const coding = g.codings.visible(editor.document.uri)!.find((c) => c.codeId === codeId(CAUSE))!;
    await until('the evidence in grounded.json', () => relationsOnDisk()[0]?.evidence?.includes(coding.id));
    const row = await until('one evidence in the view', () => shownRelation()?.description?.endsWith('1 evidence') && shownRelation());
    assert.equal(row.children?.[0].label, '“Vakten bytter hver uke”');
    assert.deepEqual(row.children?.[0].command, { command: 'grounded.openCoding', argument: { path: REL, codingId: coding.id } });
  });

  it('adds a segment of the Segments view as evidence (its context menu)', async () => {
    await g.segments.show(codeId(EFFECT), false);
    const segment = await until('the segment of "e2e rel poor sleep"', () => {
      const [doc] = g.segments.getChildren();
      return doc && g.segments.getChildren(doc)[0];
    });
    assert.equal(segment.kind, 'segment');
    answerPicks(TITLE);
    await vscode.commands.executeCommand('grounded.addEvidence', segment);
    await until('two evidence in grounded.json', () => relationsOnDisk()[0]?.evidence?.length === 2);
    await until('two evidence in the view', () => shownRelation()?.children?.map((c) => c.label).join(' | ') === '“Vakten bytter hver uke” | “jeg sover dårlig”');
  });

  it('asks before deleting a code with a relation, removes it with the code, and Undo brings both back', async () => {
    const dialogs: { message: string; detail?: string }[] = [];
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = async (message: string, ...rest: unknown[]) => {
      const options = rest[0];
      if (options && typeof options === 'object' && (options as vscode.MessageOptions).modal) {
        dialogs.push({ message, detail: (options as vscode.MessageOptions).detail });
        return 'Delete';
      }
      return (realWarning as (m: string, ...r: unknown[]) => unknown)(message, ...rest);
    };
    const relation = relationsOnDisk()[0];
    await vscode.commands.executeCommand('grounded.deleteCode', { codeId: codeId(EFFECT) });
    assert.equal(dialogs.length, 1);
    assert.match(dialogs[0].detail ?? '', new RegExp(`^“${EFFECT}” has 1 relation\\. Deleting it removes it too\\.`));
    await until('the code and its relation gone from grounded.json', () => !projectOnDisk().codes.some((c) => c.name === EFFECT) && relationsOnDisk().length === 0);
    await until('the Relations view empty', () => g.relations.shown().length === 0);

    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
    await until('the relation back in grounded.json', () => relationsOnDisk().length === 1);
    assert.deepEqual(relationsOnDisk()[0], relation);
    await until('the relation back in the view', shownRelation);
  });

  it('edits, annotates and deletes a relation, each undoable', async () => {
    const relation = relationsOnDisk()[0];
    await vscode.commands.executeCommand('grounded.editRelation', { relationId: relation.id, swap: true });
    await until('the direction swapped', () => relationsOnDisk()[0]?.source === relation.target);
    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
    await until('the direction back', () => relationsOnDisk()[0]?.source === relation.source);

    const memo = (await vscode.commands.executeCommand('grounded.openRelationMemo', { relationId: relation.id })) as string;
    assert.match(fs.readFileSync(file(memo), 'utf8'), new RegExp(`target: relation:${relation.id}`));
    assert.equal(await vscode.commands.executeCommand('grounded.openRelationMemo', { relationId: relation.id }), memo, 'the same memo the second time');
    fs.rmSync(file(memo));

    const [first] = g.relations.getChildren();
    const [evidence] = g.relations.getChildren(first);
    assert.ok(evidence.kind === 'evidence' && evidence.relationId === relation.id, 'an evidence row of the relation');
    await vscode.commands.executeCommand('grounded.removeEvidence', evidence);
    await until('one evidence left', () => relationsOnDisk()[0]?.evidence?.length === 1);
    assert.ok(!relationsOnDisk()[0].evidence!.includes(evidence.codingId), 'the one removed is gone');
    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
    await until('both evidence back', () => relationsOnDisk()[0]?.evidence?.length === 2);

    await vscode.commands.executeCommand('grounded.deleteRelation', { relationId: relation.id });
    await until('the relation deleted', () => relationsOnDisk().length === 0);
    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
    await until('the relation back', () => relationsOnDisk().length === 1);
  });

  it('defines a relation type and refuses to delete it while a relation has it', async () => {
    const typeId = (await vscode.commands.executeCommand('grounded.defineRelationType', { name: 'e2e wears down', direction: 'one-way', transitive: false })) as string;
    await until('the type in grounded.json', () => projectOnDisk().relationTypes?.some((t) => t.id === typeId && t.name === 'e2e wears down' && t.direction === 'one-way'));
    const relation = relationsOnDisk()[0];
    await vscode.commands.executeCommand('grounded.editRelation', { relationId: relation.id, typeId });
    await until('the relation of the new type', () => relationsOnDisk()[0]?.type === typeId);
    const before = g.shownNotifications().length;
    await vscode.commands.executeCommand('grounded.deleteRelationType', { typeId });
    await until('the refusal with what to do', () =>
      g.shownNotifications().slice(before).some((n) => n.message.includes('"e2e wears down" is the type of 1 relation: give it another type (Edit Relation…) or delete it first.')),
    );
    assert.ok(projectOnDisk().relationTypes?.some((t) => t.id === typeId), 'the type is kept');
  });

  it('merging a related code carries its relation to the code it is merged into; Undo takes it back', async () => {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file(REL)));
    const at = TEXT.indexOf('krangler jeg mer');
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + 'krangler jeg mer'.length)));
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName: 'e2e rel quarrels' });
    const quarrels = await until('the third code', () => g.project.project?.codes.find((c) => c.name === 'e2e rel quarrels'));
    const relation = relationsOnDisk()[0];
    await vscode.commands.executeCommand('grounded.mergeCode', { codeId: codeId(EFFECT), targetId: quarrels.id });
    await until('the relation moved to "e2e rel quarrels"', () => relationsOnDisk().length === 1 && relationsOnDisk()[0].target === quarrels.id);
    assert.equal(relationsOnDisk()[0].id, relation.id);
    assert.deepEqual(relationsOnDisk()[0].evidence, relation.evidence);
    await until('the view naming the new target', () => g.relations.shown().some((i) => i.label.endsWith('→ e2e rel quarrels')));
    await vscode.commands.executeCommand('grounded.undoCodebookEdit');
    await until('the relation back on its code', () => relationsOnDisk()[0]?.target === relation.target);
  });
});
