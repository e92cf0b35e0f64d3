// The Matrices panel in a real VS Code: it opens from its command (its webview loads and asks for its
// data), every matrix the host sends agrees with counts made here straight from grounded.json and the
// sidecars on disk, a cell lists its segments, opening one selects its words, the CSV export writes the
// file, and a rename in the codebook reaches the open panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Coding, ProjectFile } from '../../../src/core/model';
import { analyse } from '../../../src/core/analysis';
import type { GroundedApi } from '../../../src/vscode/main';
import type { MatrixData, MatrixHostMessage, MatrixPanelData, MatrixView } from '../../../src/shared/webviewProtocol';
import { groundedApi, until, workspaceRoot } from './helpers';

const file = (rel: string) => path.join(workspaceRoot(), rel);
const projectFile = (): ProjectFile => JSON.parse(fs.readFileSync(file('grounded.json'), 'utf8'));

let g: GroundedApi;

/**
 * The codings the analysis counts, by transcript: the extension's own index of the workspace (sidecars
 * on disk, overlaid with the live codings of open editors, as earlier tests leave them), without
 * orphans, sidecars without their transcript and codings wholly inside the turns of settings.excludedSpeakers. The counts below
 * are made here from these codings, independently of the matrix code.
 */
function sidecars(): Map<string, Coding[]> {
  // A sidecar whose transcript is gone (deleted by an earlier test) counts nothing.
  const docs = g.index.documents().map((d) => ({ path: d.path, codings: [...d.codings], transcriptMissing: !fs.existsSync(file(d.path)) }));
  const texts = (p: string) => (fs.existsSync(file(p)) ? fs.readFileSync(file(p), 'utf8').replace(/\r\n?/g, '\n') : undefined);
  return new Map(analyse({ project: projectFile(), documents: docs, textOf: texts }).documents.map((d) => [d.path, [...d.codings]]));
}

/** The columns of cases (or attribute values), without the column of transcripts in no case. */
const caseColumns = (m: MatrixData) => m.columns.map((c) => c.label).filter((l) => l !== 'No case' && l !== '(none)');

/** The code ids a row counts: the code and everything below it. */
function membersOf(p: ProjectFile, id: string): Set<string> {
  const out = new Set([id]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const c of p.codes) if (c.parent && out.has(c.parent) && !out.has(c.id)) grew = out.add(c.id).size > 0;
  }
  return out;
}

const countOf = (m: MatrixData, rowId: string, columnId: string) => {
  const r = m.rows.findIndex((x) => x.id === rowId);
  const c = m.columns.findIndex((x) => x.id === columnId);
  assert.ok(r >= 0 && c >= 0, `cell ${rowId} × ${columnId}`);
  return m.counts[r][c];
};

describe('Matrices panel', function () {
  this.timeout(60000);
  const dataMessages = () => g.matrices.posted.filter((m): m is Extract<MatrixHostMessage, { type: 'matrixData' }> => m.type === 'matrixData');
  /** Asks the host for a view, as the webview does, and returns the data it sent back. */
  async function show(view: MatrixView): Promise<MatrixPanelData> {
    const before = g.matrices.posted.length;
    await g.matrices.handle({ type: 'matrixView', view });
    const sent = g.matrices.posted.slice(before).find((m): m is Extract<MatrixHostMessage, { type: 'matrixData' }> => m.type === 'matrixData');
    assert.ok(sent, 'the host answered with data');
    return sent.data;
  }

  before(async () => {
    g = await groundedApi();
    await vscode.commands.executeCommand('workbench.action.files.saveAll');
    await g.index.ready;
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens from its command on the tab asked for: the webview loads and receives that tab', async () => {
    await vscode.commands.executeCommand('grounded.openMatrices', { tab: 'cooccurrence' });
    const data = await until('the webview asking for its data', () => dataMessages().find((m) => m.data.view.tab === 'cooccurrence')?.data, 30000);
    assert.ok(data.matrix, 'a co-occurrence matrix');
    assert.equal(data.matrix.diagonal, true);
  });

  it('code × case: every cell equals the codings in the sidecars of that case\'s transcripts (a category with its subcodes)', async () => {
    const p = projectFile();
    const docs = sidecars();
    const data = await show({ tab: 'case', mode: 'overlap' });
    const m = data.matrix!;
    assert.deepEqual(caseColumns(m), [...p.cases].map((k) => k.pseudonym).sort((a, b) => a.localeCompare(b)));
    let total = 0;
    for (const code of p.codes) {
      const ids = membersOf(p, code.id);
      for (const k of p.cases) {
        const expected = k.documents.flatMap((d) => docs.get(d) ?? []).filter((c) => ids.has(c.codeId)).length;
        assert.equal(countOf(m, code.id, k.id), expected, `${code.name} × ${k.pseudonym}`);
        const transcripts = k.documents.filter((d) => (docs.get(d) ?? []).some((c) => ids.has(c.codeId))).length;
        assert.equal(m.documents[m.rows.findIndex((x) => x.id === code.id)][m.columns.findIndex((x) => x.id === k.id)], transcripts, `${code.name} × ${k.pseudonym}: transcripts`);
        total += expected;
      }
    }
    assert.ok(total > 0, 'the sample is coded');
    assert.equal(m.max, Math.max(...m.counts.flat()));
    const category = m.rows.find((r) => r.category)!;
    assert.equal(category.depth, 0);
    assert.equal(m.rows[m.rows.indexOf(category) + 1].depth, 1, 'its subcodes follow it, one level deeper');
  });

  it('code × attribute: columns are the values of the attribute; a cell counts the codings of the cases with that value', async () => {
    const p = projectFile();
    const docs = sidecars();
    const data = await show({ tab: 'attribute', attribute: 'securityLevel', mode: 'overlap' });
    assert.ok(data.attributes.includes('securityLevel'));
    const m = data.matrix!;
    // cases without the attribute count under "(none)"
    const values = [...new Set(p.cases.map((k) => k.attributes.securityLevel).filter((v) => v !== undefined))].sort((a, b) => a.localeCompare(b));
    assert.deepEqual(caseColumns(m), values);
    for (const code of p.codes) {
      const ids = membersOf(p, code.id);
      for (const v of values) {
        const expected = p.cases.filter((k) => k.attributes.securityLevel === v).flatMap((k) => k.documents.flatMap((d) => docs.get(d) ?? [])).filter((c) => ids.has(c.codeId)).length;
        assert.equal(countOf(m, code.id, v), expected, `${code.name} × ${v}`);
      }
    }
  });

  it('co-occurrence: overlapping pairs as counted here, the diagonal is the code\'s codings; by speaker turn there are at least as many', async () => {
    const p = projectFile();
    const docs = sidecars();
    const overlap = (await show({ tab: 'cooccurrence', mode: 'overlap' })).matrix!;
    const turn = (await show({ tab: 'cooccurrence', mode: 'turn' })).matrix!;
    const leaves = p.codes.filter((c) => !p.codes.some((k) => k.parent === c.id));
    let pairs = 0;
    for (const a of leaves) {
      assert.equal(countOf(overlap, a.id, a.id), [...docs.values()].flat().filter((c) => c.codeId === a.id).length, `${a.name} on the diagonal`);
      for (const b of leaves) {
        if (a.id === b.id) continue;
        let expected = 0;
        for (const codings of docs.values()) {
          for (const x of codings.filter((c) => c.codeId === a.id)) {
            for (const y of codings.filter((c) => c.codeId === b.id)) if (x.anchor.start < y.anchor.end && y.anchor.start < x.anchor.end) expected++;
          }
        }
        pairs += expected;
        assert.equal(countOf(overlap, a.id, b.id), expected, `${a.name} × ${b.name} overlapping`);
        assert.equal(countOf(turn, a.id, b.id), countOf(turn, b.id, a.id), 'symmetric');
        assert.ok(countOf(turn, a.id, b.id) >= expected, `${a.name} × ${b.name}: overlapping codings share a turn`);
      }
    }
    assert.ok(pairs > 0, 'some codings of the sample overlap');
    assert.ok(turn.counts.flat().reduce((s, n) => s + n, 0) > overlap.counts.flat().reduce((s, n) => s + n, 0), 'more pairs by turn than by overlap');
  });

  it('a click on a cell lists its segments with pseudonym and code; opening one selects its words in the transcript', async () => {
    const p = projectFile();
    const view: MatrixView = { tab: 'case', mode: 'overlap' };
    const m = (await show(view)).matrix!;
    const code = p.codes.find((c) => c.name === 'Counting the days backwards')!;
    const mira = p.cases.find((k) => k.pseudonym === 'Mira')!;
    const count = countOf(m, code.id, mira.id);
    assert.ok(count > 0);
    const before = g.matrices.posted.length;
    await g.matrices.handle({ type: 'matrixCell', view, row: code.id, column: mira.id });
    const listed = g.matrices.posted.slice(before).find((x): x is Extract<MatrixHostMessage, { type: 'matrixSegments' }> => x.type === 'matrixSegments');
    assert.ok(listed);
    assert.equal(listed.segments.length, count);
    assert.match(listed.title, new RegExp(`^Counting the days backwards × Mira: ${count} segments? in 1 transcript$`));
    for (const s of listed.segments) {
      assert.equal(s.pseudonym, 'Mira');
      assert.equal(s.path, mira.documents[0]);
      assert.equal(s.code, 'Managing time > Counting the days backwards');
    }
    const first = listed.segments[0];
    const coding = sidecars().get(first.path)!.find((c) => c.id === first.codingId)!;
    await g.matrices.handle({ type: 'matrixOpen', path: first.path, codingId: first.codingId });
    const editor = await until('the transcript open', () => vscode.window.activeTextEditor?.document.uri.fsPath === file(first.path) && vscode.window.activeTextEditor);
    await until('the words selected', () => editor.document.getText(editor.selection).replace(/\r\n/g, '\n') === coding.anchor.quote);
  });

  it('the saturation tab lists the coded transcripts in the order they were first coded, ending with every code used', async () => {
    const docs = sidecars();
    const data = await show({ tab: 'saturation', mode: 'overlap' });
    const steps = data.saturation!;
    assert.equal(steps.length, [...docs.values()].filter((c) => c.length).length);
    const firsts = steps.map((s) => s.firstCoded);
    assert.deepEqual(firsts, [...firsts].sort());
    assert.equal(steps.at(-1)!.cumulative, new Set([...docs.values()].flat().map((c) => c.codeId)).size);
    assert.equal(steps.reduce((n, s) => n + s.newCodes.length, 0), steps.at(-1)!.cumulative);
  });

  it('Export CSV writes the matrix: a header of pseudonyms and a row per code', async () => {
    const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'grounded-csv-')), 'matrix.csv'));
    await g.matrices.exportCsv({ tab: 'case', mode: 'overlap' }, target);
    const lines = fs.readFileSync(target.fsPath, 'utf8').split('\r\n');
    const m = (await show({ tab: 'case', mode: 'overlap' })).matrix!;
    const noCase = m.columns.some((c) => c.label === 'No case') ? ',No case' : '';
    assert.equal(lines[0], `Code,${projectFile().cases.map((k) => k.pseudonym).sort((a, b) => a.localeCompare(b)).join(',')}${noCase}`);
    const r = m.rows.findIndex((x) => x.name === 'Counting the days backwards');
    assert.ok(lines.includes(`Managing time > Counting the days backwards,${m.counts[r].join(',')}`), 'the row of a subcode: its path and counts');
    assert.equal(lines.length, projectFile().codes.length + 2, 'header, one line per code, and the final line break');
  });

  it('a rename in the codebook reaches the open panel', async () => {
    await show({ tab: 'case', mode: 'overlap' });
    const code = projectFile().codes.find((c) => c.name === 'Routines and structure')!;
    await vscode.commands.executeCommand('grounded.renameCode', { codeId: code.id, name: 'Routines (e2e)' });
    try {
      await until('the new name in the panel', () => dataMessages().at(-1)?.data.matrix?.rows.some((r) => r.name === 'Routines (e2e)'));
    } finally {
      await vscode.commands.executeCommand('grounded.renameCode', { codeId: code.id, name: 'Routines and structure' });
    }
  });
});
