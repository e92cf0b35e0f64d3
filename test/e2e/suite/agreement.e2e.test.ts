// The Agreement view computes what `grounded agreement` computes, and shows disagreements side by side.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AgreementReport } from '../../../src/core/agreement';
import { run } from '../../../src/cli/main';
import { groundedApi, until, workspaceRoot } from './helpers';

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
});
