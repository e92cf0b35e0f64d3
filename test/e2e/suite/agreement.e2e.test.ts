// The Agreement view computes what `grounded agreement` computes, and shows disagreements side by side.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgreementReport, ManyAgreementReport } from '../../../src/core/agreement';
import { run } from '../../../src/cli/main';
import type { ManyAgreementJson } from '../../../src/cli/reports';
import { E2E_CODER, groundedApi, until, workspaceRoot } from './helpers';

describe('Agreement view', function () {
  this.timeout(60000);

  it('compares two coders as the command line does, and shows where they disagree side by side', async () => {
    const g = await groundedApi();
    const coders = g.agreement.coders();
    assert.ok(coders.length >= 2, `the sample has two coders: ${coders.join(', ')}`);
    const pair: [string, string] = [coders[0], coders[1]];
    const report = await vscode.commands.executeCommand<AgreementReport>('grounded.compareCoders', { coders: pair });

    let out = '';
    const status = await run(['agreement', workspaceRoot(), '--coders', pair.join(','), '--json'], { out: (t) => void (out += t), err: () => undefined, cwd: workspaceRoot() });
    assert.equal(status, 0);
    const cli = JSON.parse(out) as { coders: string[]; overall: { kappa: number; alpha: number } };
    assert.deepEqual(cli.coders, pair);
    assert.equal(Number(report.overall.kappa.toFixed(4)), cli.overall.kappa, 'the view and the terminal agree on kappa');
    assert.equal(Number(report.overall.alpha.toFixed(4)), cli.overall.alpha);

    const rows = g.agreement.rows();
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r, i) => i === 0 || rows[i - 1].kappa <= r.kappa), 'lowest kappa first');
    const row = rows.find((r) => r.disagreements.length > 0)!;
    const uri = await vscode.commands.executeCommand<vscode.Uri>('grounded.showDisagreements', { codeId: row.codeId, document: row.document });
    const page = await until('the page', () => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()));
    const text = page.getText();
    assert.match(text, new RegExp(`\\| Line \\| Only ${pair[0]} \\| Only ${pair[1]} \\|`));
    assert.equal(text.split('\n').filter((l) => /^\| \d+ \|/.test(l)).length, row.disagreements.length, 'one table row per disagreement');
  });
  it('compares three coders (a third codes one passage here): alpha of all, every pair and segments, as the command line does', async () => {
    const g = await groundedApi();
    const [a, b] = g.agreement.coders();
    const rel = 'interviews/interview-02.txt';
    const sidecarPath = path.join(workspaceRoot(), `${rel}.codes.json`);
    const codingsOnDisk = () => (JSON.parse(fs.readFileSync(sidecarPath, 'utf8')) as { codings: { coder: string; codeId: string; anchor: { start: number; end: number } }[] }).codings;
    // The third coder codes one of the first coder's passages again, leaving out its first 6 characters.
    const theirs = codingsOnDisk().find((c) => c.coder === a)!;
    const codeName = g.project.codeById(theirs.codeId)!.name;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(workspaceRoot(), rel)));
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(doc.positionAt(theirs.anchor.start + 6), doc.positionAt(theirs.anchor.end));
    await vscode.commands.executeCommand('grounded.codeSelection', { codeName });
    await until(`a coding by ${E2E_CODER} on disk`, () => codingsOnDisk().some((c) => c.coder === E2E_CODER));
    await until(`${E2E_CODER} among the coders`, () => g.agreement.coders().includes(E2E_CODER));

    const coders = [a, b, E2E_CODER];
    const report = await vscode.commands.executeCommand<ManyAgreementReport>('grounded.compareCoders', { coders });
    let out = '';
    const status = await run(['agreement', workspaceRoot(), '--coders', coders.join(','), '--json'], { out: (t) => void (out += t), err: () => undefined, cwd: workspaceRoot() });
    assert.equal(status, 0);
    const cli = JSON.parse(out) as ManyAgreementJson;
    assert.deepEqual(cli.coders, coders);
    assert.equal(Number(report.overall.alpha.toFixed(4)), cli.overall.alpha, "the view and the terminal agree on alpha");
    assert.deepEqual(report.overall.segments, { agreed: cli.overall.agreedSegments, segments: cli.overall.segments });
    assert.deepEqual(
      report.pairs.map((p) => [coders[p.coders[0]], coders[p.coders[1]], Number(p.overall.kappa.toFixed(4)), p.overall.segments.agreed]),
      cli.pairs.map((p) => [...p.coders, p.kappa, p.agreedSegments]),
    );
    // The third coder's segment overlaps the first coder's by far more than 90 %: both count as agreed in their pair.
    const withThird = report.pairs.find((p) => coders[p.coders[0]] === a && coders[p.coders[1]] === E2E_CODER)!;
    assert.ok(withThird.overall.segments.agreed >= 2, `agreed segments of ${a} and ${E2E_CODER}: ${JSON.stringify(withThird.overall.segments)}`);

    // The view: all coders first, then every pair, then the codes.
    const items = g.agreement.getChildren().map((n) => g.agreement.getTreeItem(n));
    assert.equal(items[0].label, 'All 3 coders');
    assert.match(String(items[0].description), new RegExp(`α ${report.overall.alpha.toFixed(2)}`));
    assert.deepEqual(items.slice(1, 4).map((i) => i.label), [`${a} × ${b}`, `${a} × ${E2E_CODER}`, `${b} × ${E2E_CODER}`]);
    assert.equal(items.length, 4 + report.byCode.length);
    // A pair's row compares that pair alone.
    const pairItem = items[2];
    const pairReport = await vscode.commands.executeCommand<AgreementReport>(pairItem.command!.command, ...(pairItem.command!.arguments ?? []));
    assert.deepEqual(pairReport.coders, [a, E2E_CODER]);
    assert.equal(g.agreement.getTreeItem(g.agreement.getChildren()[1]).label, 'By segment');
  });
  it('asks which coders with the ones compared last ticked (kept in workspace state), and says why one is not enough', async () => {
    const g = await groundedApi();
    const real = vscode.window.showQuickPick;
    type Pick = (items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => unknown;
    const asked: { options?: vscode.QuickPickOptions; items: vscode.QuickPickItem[] }[] = [];
    const answer = (labels: string[] | undefined) => {
      (vscode.window as { showQuickPick: Pick }).showQuickPick = async (items, options) => {
        const list = [...(await items)];
        asked.push({ options, items: list });
        return labels && list.filter((i) => labels.includes(i.label));
      };
    };
    try {
      const coders = g.agreement.coders();
      assert.ok(coders.length >= 3, `three coders by now: ${coders.join(', ')}`);
      const chosen = [coders[0], coders[2]];
      answer(chosen);
      const report = await vscode.commands.executeCommand<AgreementReport>('grounded.compareCoders');
      assert.equal(asked[0].options?.canPickMany, true);
      assert.deepEqual(report.coders, chosen);
      assert.deepEqual(g.agreement.personal.get('agreementCoders'), chosen, 'the choice is kept in workspace state');
      assert.equal(vscode.workspace.getConfiguration('grounded').get('agreementCoders'), undefined, 'never a setting');

      // The next time, the same coders are ticked; one ticked coder is not enough, and the message says so.
      const shown = g.shownNotifications().length;
      answer([coders[1]]);
      assert.equal(await vscode.commands.executeCommand('grounded.compareCoders'), undefined);
      assert.deepEqual(asked[1].items.filter((i) => i.picked).map((i) => i.label), chosen);
      await until('a message to tick at least two', () => g.shownNotifications().slice(shown).find((n) => /two or more coders; you ticked 1/.test(n.message)));
      assert.deepEqual(g.agreement.personal.get('agreementCoders'), chosen, 'a refused choice is not kept');
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = real;
    }
  });
});
