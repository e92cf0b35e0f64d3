// Cases and speakers: a case made, given a transcript (taken from another case) and attributes,
// cases imported from a semicolon CSV file as Excel writes it, each edit undone from its notification
// or with Undo Case Edit; a CSV file that does not parse writes nothing; the excluded speakers setting.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ImportSummary } from '../../../src/core/cases';
import type { Case, ProjectFile } from '../../../src/core/model';
import type { GroundedApi } from '../../../src/vscode/main';
import { groundedApi, sleep, until, workspaceRoot } from './helpers';

const SARA = 'interviews/e2e-cases-sara.txt';
const SARA_TEXT = 'Intervjuer: Hvordan har uka vært?\n\nSara (00:00:05): Rolig. Jeg har lest mye.\n\nIntervjuer: Og besøk?\n\nSara: Mora mi kom på søndag.\n';
const MIRA_DOC = 'interviews/interview-02.txt';
// Fictional participants; "e2e Jonas" names a transcript that does not exist (a warning, recorded anyway).
const CSV =
  '\uFEFFParticipant;Transcript;ageGroup;Avdeling\r\n' +
  'e2e sara;;;"lav, åpen"\r\n' +
  'Mira;;20-29;lav\r\n' +
  'e2e Jonas;interviews/e2e-cases-jonas.txt;40-49;"høy; lukket"\r\n';
const BAD_CSV = 'pseudonym,ageGroup\r\ne2e Petter,30-39\r\n"e2e Nora,20-29\r\n';

const file = (rel: string) => path.join(workspaceRoot(), rel);
const projectText = () => fs.readFileSync(file('grounded.json'), 'utf8');
const projectFile = (): ProjectFile => JSON.parse(projectText());
const byPseudonym = (name: string): Case | undefined => projectFile().cases.find((c) => c.pseudonym === name);

describe('Cases and speakers', function () {
  this.timeout(60000);
  let g: GroundedApi;
  let original: ProjectFile;
  let saraId = '';

  before(async () => {
    g = await groundedApi();
    original = projectFile();
    fs.writeFileSync(file(SARA), SARA_TEXT);
    fs.writeFileSync(file('e2e-cases.csv'), CSV);
    fs.writeFileSync(file('e2e-cases-bad.csv'), BAD_CSV);
    await vscode.commands.executeCommand('grounded.refreshDocuments'); // files written outside VS Code
    await until('the new transcript in the index', () => g.index.transcripts.includes(SARA));
  });

  after(async () => {
    await g.project.edit((p) => ({ ...p, cases: original.cases, settings: original.settings }));
    for (const rel of [SARA, 'e2e-cases.csv', 'e2e-cases-bad.csv']) fs.rmSync(file(rel), { force: true });
  });

  it('New Case writes a case with the pseudonym to grounded.json and shows it in the Cases view', async () => {
    saraId = (await vscode.commands.executeCommand<string>('grounded.newCase', { pseudonym: ' e2e Sara ' }))!;
    assert.deepEqual(byPseudonym('e2e Sara'), { id: saraId, pseudonym: 'e2e Sara', documents: [], attributes: {} });
    await until('the case in the Cases view', () => g.casesView.shown().some((i) => i.label === 'e2e Sara'));
    const errors = g.shownErrors().length;
    await vscode.commands.executeCommand('grounded.newCase', { pseudonym: 'E2E SARA' });
    assert.match(g.shownErrors().slice(errors).join('\n'), /already a case "e2e Sara"/);
    assert.equal(projectFile().cases.length, original.cases.length + 1);
  });

  it('assigns transcripts: from a Documents row, and by path taking one from another case; Undo Case Edit gives it back', async () => {
    await vscode.commands.executeCommand('grounded.assignTranscriptToCase', { kind: 'document', path: SARA, caseId: undefined, pseudonym: 'e2e Sara' });
    assert.deepEqual(byPseudonym('e2e Sara')?.documents, [SARA]);

    await vscode.commands.executeCommand('grounded.assignTranscriptToCase', { caseId: saraId, path: MIRA_DOC });
    assert.deepEqual(byPseudonym('e2e Sara')?.documents, [SARA, MIRA_DOC]);
    assert.deepEqual(byPseudonym('Mira')?.documents, [], 'a transcript belongs to one case only');
    const message = await vscode.commands.executeCommand<string>('grounded.undoCaseEdit');
    assert.match(message ?? '', /Assigned interviews\/interview-02\.txt to "e2e Sara" \(it was Mira's\)/);
    assert.deepEqual(byPseudonym('Mira')?.documents, [MIRA_DOC]);
    assert.deepEqual(byPseudonym('e2e Sara')?.documents, [SARA]);
  });

  it('sets and removes attributes; the view shows them', async () => {
    await vscode.commands.executeCommand('grounded.setCaseAttribute', { caseId: saraId, name: 'ageGroup', value: '30-39' });
    await vscode.commands.executeCommand('grounded.setCaseAttribute', { caseId: saraId, name: 'unit', value: 'open' });
    await vscode.commands.executeCommand('grounded.removeCaseAttribute', { caseId: saraId, name: 'unit' });
    assert.deepEqual(byPseudonym('e2e Sara')?.attributes, { ageGroup: '30-39' });
    const row = await until('the attributes in the view', () => g.casesView.shown().find((i) => i.label === 'e2e Sara' && i.description === 'ageGroup: 30-39'));
    assert.deepEqual(row.children?.map((c) => c.label), ['ageGroup: 30-39', SARA]);
    assert.equal(row.children?.[1].command?.command, 'vscode.open');
  });

  it('Set Attribute… asks for the attribute among the names the cases use, then for one of its values', async () => {
    const running = vscode.commands.executeCommand('grounded.setCaseAttribute', { caseId: saraId });
    await sleep(700); // names, sorted: ageGroup, firstSentence, securityLevel, sentenceLength
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await sleep(700); // the values other cases have: high, low
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await running;
    assert.deepEqual(byPseudonym('e2e Sara')?.attributes, { ageGroup: '30-39', securityLevel: 'high' });
    await vscode.commands.executeCommand('grounded.undoCaseEdit');
    assert.deepEqual(byPseudonym('e2e Sara')?.attributes, { ageGroup: '30-39' });
  });

  it('imports cases from a semicolon CSV file with a BOM: grounded.json holds exactly the merged cases; Undo restores them', async () => {
    const beforeImport = projectText();
    const summary = await vscode.commands.executeCommand<ImportSummary>('grounded.importCasesCsv', { file: file('e2e-cases.csv') });
    assert.deepEqual(summary, {
      added: ['e2e Jonas'],
      updated: ['e2e Sara', 'Mira'],
      unchanged: [],
      warnings: ['line 4: interviews/e2e-cases-jonas.txt is not a transcript in this workspace (recorded anyway)'],
    });
    const jonas = byPseudonym('e2e Jonas')!;
    const mira = original.cases.find((c) => c.pseudonym === 'Mira')!;
    const expected = [
      ...original.cases.map((c) => (c.id === mira.id ? { ...c, attributes: { ...c.attributes, Avdeling: 'lav' } } : c)),
      { id: saraId, pseudonym: 'e2e Sara', documents: [SARA], attributes: { Avdeling: 'lav, åpen', ageGroup: '30-39' } },
      { id: jonas.id, pseudonym: 'e2e Jonas', documents: ['interviews/e2e-cases-jonas.txt'], attributes: { Avdeling: 'høy; lukket', ageGroup: '40-49' } },
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(projectFile().cases, expected);
    assert.ok(projectText().includes(`{"id":"${jonas.id}","pseudonym":"e2e Jonas","documents":["interviews/e2e-cases-jonas.txt"],"attributes":{"Avdeling":"høy; lukket","ageGroup":"40-49"}}`));

    const note = await until('the summary notification', () => [...g.shownNotifications()].reverse().find((n) => n.message.includes('imported e2e-cases.csv')));
    assert.equal(note.severity, 'warning');
    assert.match(note.message, /1 case added, 2 updated, 0 unchanged\. 1 warning/);
    await note.actions.find((a) => a.title === 'Undo')!.run();
    assert.equal(projectText(), beforeImport, 'Undo puts grounded.json back as it was');
  });

  it('a CSV file that does not parse is reported with its line and column and writes nothing', async () => {
    const before = projectText();
    const errors = g.shownErrors().length;
    await vscode.commands.executeCommand('grounded.importCasesCsv', { file: file('e2e-cases-bad.csv') });
    assert.match(g.shownErrors().slice(errors).join('\n'), /e2e-cases-bad\.csv: line 3, column 1: a quoted field is not closed.*Nothing was imported/);
    assert.equal(projectText(), before);
  });

  it('Leave Speakers Out writes settings.excludedSpeakers sorted and unique, shown in the Cases view title; Undo restores the list before', async () => {
    // the sample leaves out "Interviewer" and "Intervjuer"
    assert.deepEqual(original.settings.excludedSpeakers, ['Interviewer', 'Intervjuer']);
    await until('the sample\'s list in the title', () => g.casesView.view.description === 'without Interviewer, Intervjuer');
    const written = await vscode.commands.executeCommand<string[]>('grounded.excludeSpeakers', { speakers: ['Sara', 'Intervjuer', ' Intervjuer'] });
    assert.deepEqual(written, ['Intervjuer', 'Sara']);
    assert.deepEqual(projectFile().settings, { ...original.settings, excludedSpeakers: ['Intervjuer', 'Sara'] });
    assert.ok(projectText().includes('"settings": {"excludedSpeakers":["Intervjuer","Sara"],'), 'settings keys sorted');
    await until('the title description', () => g.casesView.view.description === 'without Intervjuer, Sara');
    await vscode.commands.executeCommand('grounded.undoCaseEdit');
    assert.deepEqual(projectFile().settings, original.settings);
    await until('the sample\'s list again', () => g.casesView.view.description === 'without Interviewer, Intervjuer');
  });

  it('the Documents view lists a transcript\'s speakers with their turns in its tooltip', async () => {
    const shown = await g.documents.shown();
    const sara = shown.find((i) => i.label === SARA);
    assert.ok(sara, 'the transcript is listed');
    assert.match(sara.tooltip ?? '', /Speakers: Intervjuer \(2 turns\), Sara \(2 turns\)/);
    assert.match(sara.tooltip ?? '', /\(e2e Sara\)/, 'with the pseudonym of its case');
  });

  it('Delete Case removes the case (its transcripts stay) and Undo from the notification brings it back', async () => {
    const before = projectText();
    await vscode.commands.executeCommand('grounded.deleteCase', { caseId: saraId, confirm: false });
    assert.equal(byPseudonym('e2e Sara'), undefined);
    assert.ok(fs.existsSync(file(SARA)));
    const note = g.shownNotifications().at(-1)!;
    assert.equal(note.message, 'Grounded: Deleted the case "e2e Sara".');
    await note.actions[0].run();
    assert.equal(projectText(), before);
  });
});
