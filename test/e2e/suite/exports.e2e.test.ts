// From coded data to findings: a quote is translated and flagged representative, a real name goes into
// the pseudonym table, and the export writes files with the expected quotes and no real name.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Sidecar } from '../../../src/core/model';
import type { ExportOutcome } from '../../../src/vscode/exportCommands';
import { groundedApi, until, workspaceRoot } from './helpers';

const DOC = 'interviews/intervju-01-nb.txt';
const sidecarOf = (doc: string): Sidecar => JSON.parse(readFileSync(path.join(workspaceRoot(), `${doc}.codes.json`), 'utf8')) as Sidecar;

describe('Exports', function () {
  this.timeout(90000);

  it('translates a quote, flags it representative, and the exported report shows it by pseudonym with no real name', async () => {
    const g = await groundedApi();
    const root = workspaceRoot();
    const coding = sidecarOf(DOC).codings.find((c) => !c.translation && !c.representative && !c.orphaned && c.anchor.quote.length > 40)!;
    assert.ok(coding, 'the sample has an untranslated coding');
    const code = g.project.codeById(coding.codeId)!;
    assert.ok(code.parent, 'its code is in a category');
    const translation = 'Every day is like the one before: seven o’clock, the count, breakfast, the workshop.';

    await vscode.commands.executeCommand('grounded.translateCoding', { path: DOC, codingId: coding.id, translation, language: 'en' });
    await vscode.commands.executeCommand('grounded.markRepresentative', { path: DOC, codingId: coding.id, representative: 'category' });
    await vscode.commands.executeCommand('workbench.action.files.save');
    const saved = await until('the sidecar holds the translation and the flag', () => {
      const c = sidecarOf(DOC).codings.find((k) => k.id === coding.id);
      return c?.translation?.text === translation && c.representative === 'category' ? c : undefined;
    });
    assert.equal(saved.translation!.language, 'en');
    assert.ok(saved.translation!.translator, 'the translator is recorded');

    // The Segments view shows the translation; the original on demand.
    await g.segments.show(code.id, false);
    const label = () => g.segments.shown().items.find((d) => d.label === DOC)!.children!.find((s) => s.command && (s.command.argument as { codingId: string }).codingId === coding.id)!;
    await until('the translated label', () => label().label.startsWith('“Every day is like the one before'));
    assert.match(label().description!, /★ category/);
    await vscode.commands.executeCommand('grounded.showOriginalQuotes');
    assert.ok(label().label.startsWith(`“${coding.anchor.quote.slice(0, 20)}`), label().label);
    await vscode.commands.executeCommand('grounded.showTranslatedQuotes');

    // A real name in the pseudonym table: the coder's full name is replaced, the first name alone is reported.
    await vscode.commands.executeCommand('grounded.addPseudonym', { real: 'Kari Nordmann', pseudonym: 'Coder A' });
    const table = readFileSync(path.join(root, 'pseudonyms.json'), 'utf8');
    assert.match(table, /\{"real":"Kari Nordmann","pseudonym":"Coder A"\}/);
    assert.match(table, /\{"real":"Hans Kristian Lunde","pseudonym":"Håkon"\}/, 'the sample entries are kept');

    const before = g.shownNotifications().length;
    const outcome = await vscode.commands.executeCommand<ExportOutcome>('grounded.exportAll');
    assert.deepEqual(
      [...outcome.files].sort(),
      ['exports/codebook.csv', 'exports/codebook.md', 'exports/report.html', 'exports/report.md', 'exports/saturation.svg', 'exports/segments.csv'],
    );
    const read = (f: string) => readFileSync(path.join(root, f), 'utf8');
    const md = read('exports/report.md');
    const category = g.project.codeById(code.parent!)!;
    const section = md.slice(md.indexOf(`## ${category.name}`));
    assert.ok(section.includes(`> ${translation.replace(/[.]$/, '')}`), 'the translation is the quote');
    assert.ok(section.includes(`> — Håkon (`), 'attributed by pseudonym with the case attributes');
    assert.ok(section.includes(`Original (nb; translated into en by `), 'the original on the next line');
    assert.ok(section.includes(coding.anchor.quote.slice(0, 30).replace(/\[/g, '\\[')), 'the original words');
    assert.match(read('exports/report.html'), /<svg class="chart"/);
    assert.match(md, /^!\[New codes per transcript\]\(saturation\.svg\)$/m);
    assert.ok(read('exports/segments.csv').split('\r\n').some((row) => row.includes(coding.id) && row.includes(translation)), 'the segment row with its translation');
    assert.equal(read('exports/codebook.csv').trimEnd().split('\r\n').length, g.project.project!.codes.length + 1);
    for (const f of outcome.files) assert.ok(!read(f).includes('Kari Nordmann'), `${f} has no real name`);

    // "Kari’s" in a coding note remains: the export warns and lists where.
    assert.ok(outcome.realNames.some((h) => h.file === 'segments.csv' && h.name === 'Kari'), JSON.stringify(outcome.realNames.slice(0, 3)));
    const warning = await until('the warning', () => g.shownNotifications().slice(before).find((n) => n.severity === 'warning'));
    assert.match(warning.message, /a real name from pseudonyms\.json still appears in \d+ place/);
    assert.match(warning.message, /segments\.csv:\d+:\d+ "Kari"/);
    await warning.actions.find((a) => a.title === 'Show Where')!.run();
    const page = await until('the page of real names', () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'grounded-export'));
    assert.match(page.getText(), /\| segments\.csv \| \d+ \| \d+ \| Kari \|/);

    // exports/ never counts as transcripts
    assert.ok(existsSync(path.join(root, 'exports/report.md')));
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!g.index.documents().some((d) => d.path.startsWith('exports/')), 'exports are not transcripts');
  });

  it('a name that is also a word ("Dag", and "dag", a day) is replaced only as written when the entry matches case', async () => {
    const root = workspaceRoot();
    const tableFile = path.join(root, 'pseudonyms.json');
    const saved = readFileSync(tableFile, 'utf8');
    try {
      await vscode.commands.executeCommand('grounded.addPseudonym', { real: 'Dag', pseudonym: 'Ivar', matchCase: true });
      assert.match(readFileSync(tableFile, 'utf8'), /\{"real":"Dag","pseudonym":"Ivar","matchCase":true\}/);
      const outcome = await vscode.commands.executeCommand<ExportOutcome>('grounded.exportSegments');
      const csv = readFileSync(path.join(root, 'exports/segments.csv'), 'utf8');
      assert.match(csv, /Én dag av gangen/, 'the word in a quote stays');
      assert.ok(!/Én Ivar/.test(csv), 'the word is not taken for the name');
      assert.ok(!outcome.realNames.some((h) => h.name.toLowerCase() === 'dag'), 'and is not reported as a real name');
    } finally {
      writeFileSync(tableFile, saved);
    }
  });
});
