// AI suggestions from VS Code (issue 17): a fake OpenAI-compatible server on 127.0.0.1, started here,
// stands in for Ollama. Suggest Codes on a selection stores pending codings of the coder "AI: <model>"
// that count nowhere (the Codes view and the analysis unchanged); a quote not in the text is reported as
// dropped; a malformed reply is an error and writes nothing; with the feature off nothing is asked; a
// remote endpoint asks first, and declined nothing is sent or written; the vscode.lm path without a
// model says so. No test reaches beyond loopback: the remote endpoint (TEST-NET-3) is never contacted.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Coding } from '../../../src/core/model';
import type { GroundedApi } from '../../../src/vscode/main';
import type { SuggestOutcome } from '../../../src/vscode/suggestCommands';
import { startFakeOpenAI } from '../../support/fakeOpenAI';
import type { FakeOpenAI, FakeReply } from '../../support/fakeOpenAI';
import { groundedApi, placeSelection, until, workspaceRoot } from './helpers';

const REL = 'interviews/e2e-ai-forslag.txt';
const TEXT = [
  'Interviewer: How do you spend the evenings?',
  '',
  'Tove: I count the hours until lights out. Then I write letters to my sister, every evening the same.',
  '',
  'Tove: The letters keep me going, they are my window out.',
  '',
].join('\n');
const SELECTED = 'I count the hours until lights out. Then I write letters to my sister, every evening the same.';
const MODEL = 'fake-llama';
const EXISTING = 'Managing time';
const PROPOSED = 'e2e writing letters';

const file = (rel: string) => path.join(workspaceRoot(), rel);
const sidecarText = () => (fs.existsSync(file(`${REL}.codes.json`)) ? fs.readFileSync(file(`${REL}.codes.json`), 'utf8') : '');
const codingsOnDisk = (): Coding[] => (sidecarText() ? (JSON.parse(sidecarText()) as { codings: Coding[] }).codings : []);

type Warning = (message: string, ...rest: unknown[]) => Thenable<unknown>;

describe('AI suggestions (Suggest Codes)', function () {
  this.timeout(90000);
  let g: GroundedApi;
  let fake: FakeOpenAI;
  let reply: (index: number) => FakeReply = () => ({ content: '{"codings":[]}' });
  let editor: vscode.TextEditor;
  const config = () => vscode.workspace.getConfiguration('grounded.ai');
  const realInfo = vscode.window.showInformationMessage;
  const realWarning = vscode.window.showWarningMessage;
  const realInputBox = vscode.window.showInputBox;
  const realQuickPick = vscode.window.showQuickPick;
  const dialogs: { message: string; detail?: string }[] = [];

  /** Modal dialogs answer with `answer` (undefined = Cancel); other messages show as usual. */
  function answerModals(answer: string | undefined): void {
    const stub = (real: Warning): Warning => (message, ...rest) => {
      const options = rest[0];
      if (options && typeof options === 'object' && (options as vscode.MessageOptions).modal) {
        dialogs.push({ message, detail: (options as vscode.MessageOptions).detail });
        return Promise.resolve(answer);
      }
      return real(message, ...rest);
    };
    (vscode.window as { showInformationMessage: unknown }).showInformationMessage = stub(realInfo as Warning);
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = stub(realWarning as Warning);
  }

  async function select(words: string): Promise<void> {
    editor = await vscode.window.showTextDocument(vscode.Uri.file(file(REL)));
    const at = TEXT.indexOf(words);
    await placeSelection(editor, new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + words.length)));
  }

  const suggest = () => vscode.commands.executeCommand<SuggestOutcome | undefined>('grounded.suggestCodes');
  const notificationsSince = (n: number) => g.shownNotifications().slice(n).map((x) => x.message);

  const settingsFile = () => file('.vscode/settings.json');
  let savedSettings: string | undefined;

  before(async () => {
    g = await groundedApi();
    savedSettings = fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : undefined;
    fs.writeFileSync(file(REL), TEXT);
    fake = await startFakeOpenAI({ reply: (_request, index) => reply(index), maxRequests: 40, maxMs: 300000 });
    await config().update('provider', 'endpoint', vscode.ConfigurationTarget.Workspace);
    await config().update('endpoint', fake.url, vscode.ConfigurationTarget.Workspace);
    await config().update('model', MODEL, vscode.ConfigurationTarget.Workspace);
    await until('the transcript in the index', () => g.index.transcripts.includes(REL));
  });

  afterEach(() => {
    (vscode.window as { showInformationMessage: unknown }).showInformationMessage = realInfo;
    (vscode.window as { showWarningMessage: unknown }).showWarningMessage = realWarning;
    (vscode.window as { showInputBox: unknown }).showInputBox = realInputBox;
    dialogs.length = 0;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const key of ['provider', 'endpoint', 'model', 'timeoutSeconds']) await config().update(key, undefined, vscode.ConfigurationTarget.Workspace);
    // the workspace's settings file as it was (the settings above were this test's only change to it)
    if (savedSettings === undefined) fs.rmSync(settingsFile(), { force: true });
    else fs.writeFileSync(settingsFile(), savedSettings);
    if (g.ai.enabled) await g.ai.set(false);
    await fake.close();
    fs.rmSync(file(REL), { force: true });
    fs.rmSync(file(`${REL}.codes.json`), { force: true });
  });

  it('when off, says so with Turn On… and asks nothing', async () => {
    if (g.ai.enabled) await g.ai.set(false);
    await select(SELECTED);
    const n = g.shownNotifications().length;
    await suggest();
    const said = g.shownNotifications().slice(n).find((x) => /AI suggestions are off for this project/.test(x.message));
    assert.ok(said, `no message that AI is off: ${notificationsSince(n).join(' | ')}`);
    assert.deepEqual(
      said.actions.map((a) => a.title),
      ['Turn On…'],
    );
    assert.equal(fake.requests.length, 0);
    assert.equal(codingsOnDisk().length, 0);
  });

  it('Turn On explains in one modal what happens (local endpoint, consent for anything else), asks for the model, and turns it on', async () => {
    await config().update('model', undefined, vscode.ConfigurationTarget.Workspace);
    answerModals('Turn On');
    const asked: (string | undefined)[] = [];
    (vscode.window as { showInputBox: unknown }).showInputBox = (options?: vscode.InputBoxOptions) => {
      asked.push(options?.prompt);
      return Promise.resolve(MODEL);
    };
    await vscode.commands.executeCommand('grounded.turnOnAi');
    assert.equal(asked.length, 1, 'the model was asked for');
    assert.match(asked[0] ?? '', new RegExp(`The model at ${fake.url.replace(/[.]/g, '\\.')}`));
    assert.equal(config().get('model'), MODEL);
    assert.equal(dialogs.length, 1);
    assert.match(dialogs[0].message, /Turn on AI suggestions/);
    assert.match(dialogs[0].detail ?? '', /pending coding of the coder "AI: <model>"/);
    assert.match(dialogs[0].detail ?? '', new RegExp(`asked at ${fake.url.replace(/[.]/g, '\\.')}`));
    assert.ok(g.ai.enabled);
  });

  it('Suggest Codes on a selection stores pending suggestions of "AI: <model>" that count nowhere, and reports a quote not found as dropped', async () => {
    const rowsBefore = JSON.stringify(g.codesView.rows());
    const totalBefore = g.session.analysis()?.total;
    reply = () => ({
      content: JSON.stringify({
        codings: [
          { quote: 'I count the hours until lights out.', code: EXISTING, reason: 'time is measured out' },
          { quote: 'I write letters to my sister', code: PROPOSED, reason: 'a daily ritual' },
          { quote: 'words that are nowhere in the text', code: EXISTING },
        ],
      }),
    });
    await select(SELECTED);
    const n = g.shownNotifications().length;
    const outcome = await suggest();
    assert.equal(fake.requests.length, 1, 'one request for one selection');
    const sent = fake.requests[0].body.messages.map((m) => m.content).join('\n');
    assert.ok(sent.includes(SELECTED), 'the selected words were sent');
    assert.ok(!sent.includes('my window out'), 'words outside the selection were not sent');
    assert.ok(sent.includes(EXISTING), 'the codebook was sent');
    assert.ok(outcome, 'the command returned its outcome');
    assert.equal(outcome.added, 2);
    assert.equal(outcome.dropped, 1);
    assert.deepEqual(outcome.proposed, [PROPOSED]);

    const stored = await until('two suggestions in the sidecar', () => (codingsOnDisk().length === 2 ? codingsOnDisk() : undefined));
    for (const c of stored) {
      assert.equal(c.coder, `AI: ${MODEL}`);
      assert.equal(c.suggestion?.status, 'pending');
      assert.equal(c.suggestion?.model, MODEL);
      assert.equal(c.suggestion?.endpoint, fake.url);
      assert.equal(c.suggestion?.promptVersion, 'grounded-suggest-1');
    }
    const existing = stored.find((c) => c.suggestion?.code === EXISTING)!;
    assert.equal(existing.anchor.quote, 'I count the hours until lights out.');
    assert.equal(existing.codeId, g.project.project!.codes.find((c) => c.name === EXISTING)!.id);
    assert.equal(existing.suggestion?.reason, 'time is measured out');
    const proposed = stored.find((c) => c.suggestion?.code === PROPOSED)!;
    assert.equal(proposed.codeId, '');
    assert.equal(proposed.suggestion?.proposed, true);
    assert.ok(!g.project.project!.codes.some((c) => c.name === PROPOSED), 'the proposed code is not in the codebook yet');

    const summary = notificationsSince(n).find((m) => /suggestion\(s\) of AI: fake-llama added/.test(m));
    assert.ok(summary, `no summary: ${notificationsSince(n).join(' | ')}`);
    assert.match(summary, /1 quote\(s\) not found in the text \(dropped\)/);
    assert.match(summary, new RegExp(`1 proposed new code\\(s\\): ${PROPOSED}`));

    // Pending suggestions count nowhere: the Codes view and the analysis are as they were.
    await g.session.ready();
    assert.equal(g.session.analysis()?.total, totalBefore);
    assert.equal(JSON.stringify(g.codesView.rows()), rowsBefore);
  });

  it('asked again, the same suggestions are reported as already there and not added twice', async () => {
    await select(SELECTED);
    const outcome = await suggest();
    assert.equal(outcome?.added, 0);
    assert.equal(outcome?.skipped, 2);
    assert.equal(codingsOnDisk().length, 2);
  });

  it('with nothing selected, the turn at the cursor is sent; Undo takes the transcript\'s suggestions back in one step', async () => {
    const turn = 'The letters keep me going, they are my window out.';
    reply = () => ({ content: JSON.stringify({ codings: [{ quote: 'they are my window out', code: 'Keeping connected' }] }) });
    editor = await vscode.window.showTextDocument(vscode.Uri.file(file(REL)));
    const at = editor.document.positionAt(TEXT.indexOf('keep me going'));
    await placeSelection(editor, new vscode.Selection(at, at));
    const before = codingsOnDisk().length;
    const outcome = await suggest();
    assert.equal(outcome?.added, 1);
    const sent = fake.requests.at(-1)!.body.messages.map((m) => m.content).join('\n');
    assert.ok(sent.includes(turn), 'the turn at the cursor was sent');
    assert.ok(!sent.includes('I count the hours'), 'the other turns were not');
    await until('the suggestion in the sidecar', () => codingsOnDisk().length === before + 1);
    await vscode.commands.executeCommand('grounded.undo');
    await until('Undo took it back', () => codingsOnDisk().length === before);
  });

  it('Suggest Codes for Transcripts… sends the picked transcripts whole, and says what came of them', async () => {
    reply = () => ({ content: JSON.stringify({ codings: [{ quote: 'every evening the same', code: EXISTING }] }) });
    const requests = fake.requests.length;
    const n = g.shownNotifications().length;
    const outcome = await vscode.commands.executeCommand<SuggestOutcome | undefined>('grounded.suggestCodesForTranscripts', { paths: [REL] });
    assert.equal(fake.requests.length, requests + 1, 'a short transcript is one request');
    const sent = fake.requests.at(-1)!.body.messages.map((m) => m.content).join('\n');
    assert.ok(sent.includes('How do you spend the evenings?') && sent.includes('my window out'), 'the whole transcript was sent');
    assert.equal(outcome?.added, 1);
    assert.ok(notificationsSince(n).some((m) => /1 suggestion\(s\) of AI: fake-llama added/.test(m)), notificationsSince(n).join(' | '));
    await vscode.commands.executeCommand('grounded.undo');
    await until('Undo took it back', () => codingsOnDisk().length === 2);
  });

  it('a long transcript goes in parts at speaker turns; when one part fails, nothing is stored for that transcript', async () => {
    const LONG = 'interviews/e2e-ai-lang.txt';
    const turns = Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'Interviewer' : 'Tove'}: Turn ${i} — ${'the corridor is quiet at night and I listen to the doors. '.repeat(5)}`);
    fs.writeFileSync(file(LONG), turns.join('\n\n') + '\n');
    try {
      await until('the long transcript in the index', () => g.index.transcripts.includes(LONG));
      const requests = fake.requests.length;
      reply = (index) => (index === requests ? { content: JSON.stringify({ codings: [{ quote: 'Turn 0', code: EXISTING }] }) } : { content: 'not JSON at all' });
      const errors = g.shownErrors().length;
      const outcome = await vscode.commands.executeCommand<SuggestOutcome | undefined>('grounded.suggestCodesForTranscripts', { paths: [LONG] });
      const sentParts = fake.requests.length - requests;
      assert.ok(sentParts >= 2, `sent in parts: ${sentParts}`);
      for (const r of fake.requests.slice(requests)) {
        const passage = /<<<\n([\s\S]*)\n>>>/.exec(r.body.messages.at(-1)!.content)?.[1] ?? '';
        assert.match(passage, /^(Tove|Interviewer): Turn \d+ —/, 'each part begins at a speaker turn');
      }
      assert.equal(outcome?.added, 0);
      assert.deepEqual(outcome?.incomplete, [LONG]);
      const error = await until('the error message', () => g.shownErrors().slice(errors).find((m) => m.includes(`Nothing was stored for ${LONG}`)));
      assert.match(error, /not the JSON Grounded asked for/);
      assert.ok(!fs.existsSync(file(`${LONG}.codes.json`)), 'no sidecar written');
    } finally {
      fs.rmSync(file(LONG), { force: true });
      fs.rmSync(file(`${LONG}.codes.json`), { force: true });
    }
  });

  it('a malformed reply is an error that says what happened, and nothing is written', async () => {
    reply = () => ({ content: 'Sure! Here are some codes: Managing time, Letters.' });
    const before = sidecarText();
    const requests = fake.requests.length;
    const errors = g.shownErrors().length;
    await select('The letters keep me going, they are my window out.');
    const outcome = await suggest();
    assert.equal(fake.requests.length, requests + 1, 'a malformed reply is not asked again');
    assert.equal(outcome?.added, 0);
    const error = await until('the error message', () => g.shownErrors().slice(errors).find((m) => /not the JSON Grounded asked for/.test(m)));
    assert.match(error, /Nothing was stored for interviews\/e2e-ai-forslag\.txt/);
    assert.equal(sidecarText(), before);
  });

  it('a model that does not answer in time is tried again twice, then the message says so and what to do; nothing is written', async () => {
    await config().update('timeoutSeconds', 1, vscode.ConfigurationTarget.Workspace);
    try {
      reply = () => 'hang';
      const before = sidecarText();
      const requests = fake.requests.length;
      const n = g.shownNotifications().length;
      await select(SELECTED);
      await suggest();
      assert.equal(fake.requests.length, requests + 3, 'one try and two retries');
      const said = g.shownNotifications().slice(n).find((x) => /did not answer within 1 seconds/.test(x.message));
      assert.ok(said, notificationsSince(n).join(' | '));
      assert.match(said.message, /grounded\.ai\.timeoutSeconds/);
      assert.deepEqual(
        said.actions.map((a) => a.title),
        ['Open Settings'],
      );
      assert.equal(sidecarText(), before);
    } finally {
      await config().update('timeoutSeconds', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('nothing listening at the endpoint: the message asks whether Ollama is running there, with Open Settings', async () => {
    const gone = await startFakeOpenAI({ reply: () => ({ content: '{"codings":[]}' }), maxRequests: 1, maxMs: 10000 });
    await gone.close(); // its port on 127.0.0.1 is closed now: connections are refused
    await config().update('endpoint', gone.url, vscode.ConfigurationTarget.Workspace);
    try {
      const before = sidecarText();
      const n = g.shownNotifications().length;
      await select(SELECTED);
      await suggest();
      const said = g.shownNotifications().slice(n).find((x) => x.message.includes(`Could not reach ${gone.url}. Is Ollama`));
      assert.ok(said, notificationsSince(n).join(' | '));
      assert.deepEqual(
        said.actions.map((a) => a.title),
        ['Open Settings'],
      );
      assert.equal(gone.requests.length, 0);
      assert.equal(sidecarText(), before);
    } finally {
      await config().update('endpoint', fake.url, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a remote endpoint asks first, naming it and the transcript; declined, nothing is sent or written', async () => {
    const remote = 'http://203.0.113.5/v1';
    await config().update('endpoint', remote, vscode.ConfigurationTarget.Workspace);
    try {
      answerModals(undefined);
      const before = sidecarText();
      const requests = fake.requests.length;
      const n = g.shownNotifications().length;
      await select(SELECTED);
      const outcome = await suggest();
      assert.equal(outcome, undefined);
      assert.equal(dialogs.length, 1, 'one consent dialog');
      assert.match(dialogs[0].message, new RegExp(`Send the text of ${REL.replace(/[.]/g, '\\.')} to http://203\\.0\\.113\\.5/v1\\?`));
      assert.match(dialogs[0].detail ?? '', /is not on this machine/);
      assert.ok(notificationsSince(n).some((m) => m.includes(`nothing was sent to ${remote}`)), notificationsSince(n).join(' | '));
      assert.equal(fake.requests.length, requests);
      assert.equal(sidecarText(), before);
    } finally {
      await config().update('endpoint', fake.url, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('the vscode.lm provider without a model says so, with Use an Endpoint Instead', async () => {
    await config().update('provider', 'vscode.lm', vscode.ConfigurationTarget.Workspace);
    await config().update('model', 'e2e-no-such-model', vscode.ConfigurationTarget.Workspace);
    try {
      const before = sidecarText();
      const requests = fake.requests.length;
      const n = g.shownNotifications().length;
      await select(SELECTED);
      await suggest();
      const said = g.shownNotifications().slice(n).find((x) => /VS Code offers no language model "e2e-no-such-model"/.test(x.message));
      assert.ok(said, notificationsSince(n).join(' | '));
      assert.deepEqual(
        said.actions.map((a) => a.title),
        ['Use an Endpoint Instead', 'Open Settings'],
      );
      assert.equal(fake.requests.length, requests);
      assert.equal(sidecarText(), before);
    } finally {
      await config().update('provider', 'endpoint', vscode.ConfigurationTarget.Workspace);
      await config().update('model', MODEL, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('Draft Memo with AI summarises a code\'s segments into a new memo marked AI-written; the memo already there is untouched', async () => {
    const CODE_ID = '4b76b837-0f81-4b61-9d03-64c59a29b3ca'; // "Counting the days backwards", with a memo of its own
    const existing = 'memos/counting-the-days-backwards-ec2039ef.md';
    const existingBefore = fs.readFileSync(file(existing), 'utf8');
    const memosBefore = fs.readdirSync(file('memos'));
    reply = () => ({ content: '## What the segments share\n\nThey count time backwards, toward release.' });
    const requests = fake.requests.length;
    const written = await vscode.commands.executeCommand<string | undefined>('grounded.draftMemoWithAi', { codeId: CODE_ID });
    assert.equal(fake.requests.length, requests + 1);
    const sent = fake.requests.at(-1)!.body.messages.map((m) => m.content).join('\n');
    assert.ok(sent.includes("I'm counting the days backwards"), 'the coded segments were sent');
    // labelled by their cases' pseudonyms (interview-02 is Mira's, interview-03 Tomas'), never by the transcripts' paths
    assert.match(sent, /^\d+\. \[(Mira|Tomas)\] /m, sent);
    assert.ok(!sent.includes('interviews/'), sent);
    assert.ok(written, 'the command returned the new memo');
    assert.ok(!memosBefore.includes(path.basename(written)), 'a new file');
    const text = fs.readFileSync(file(written), 'utf8');
    assert.match(text, new RegExp(`^target: code:${CODE_ID}$`, 'm'));
    assert.match(text, new RegExp(`^author: "?AI: ${MODEL}"?$`, 'm'));
    assert.match(text, new RegExp(`^generatedBy: ${MODEL}$`, 'm'));
    assert.match(text, /^draft: true$/m);
    assert.match(text, /They count time backwards, toward release\./);
    assert.equal(fs.readFileSync(file(existing), 'utf8'), existingBefore);
    fs.rmSync(file(written));
  });

  it('Turn Off turns it off, and Suggest Codes asks nothing again', async () => {
    await vscode.commands.executeCommand('grounded.turnOffAi');
    assert.ok(!g.ai.enabled);
    const requests = fake.requests.length;
    await select(SELECTED);
    await suggest();
    assert.equal(fake.requests.length, requests);
  });

  it('Turn On lists the models a local endpoint offers to pick from', async () => {
    const server = http.createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/v1/models') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'qwen2.5:7b' }, { id: 'llama3.1:8b' }] }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    await config().update('endpoint', endpoint, vscode.ConfigurationTarget.Workspace);
    await config().update('model', undefined, vscode.ConfigurationTarget.Workspace);
    try {
      answerModals('Turn On');
      const offered: string[][] = [];
      (vscode.window as { showQuickPick: unknown }).showQuickPick = (items: readonly vscode.QuickPickItem[]) => {
        offered.push(items.map((i) => i.label));
        return Promise.resolve(items.find((i) => i.label === 'llama3.1:8b'));
      };
      await vscode.commands.executeCommand('grounded.turnOnAi');
      assert.deepEqual(offered, [['llama3.1:8b', 'qwen2.5:7b', '$(edit) Another Model…']]);
      assert.equal(config().get('model'), 'llama3.1:8b');
      assert.ok(g.ai.enabled);
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = realQuickPick;
      await g.ai.set(false);
      await config().update('endpoint', fake.url, vscode.ConfigurationTarget.Workspace);
      await config().update('model', MODEL, vscode.ConfigurationTarget.Workspace);
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
