import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suggestCommand, SuggestUsageError } from '../../src/cli/suggest';
import type { SuggestJson } from '../../src/cli/suggest';
import { ChatError } from '../../src/core/chat';
import type { ChatPort } from '../../src/core/chat';
import { emptySidecar, parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { hashText } from '../../src/core/hash';
import { makeAnchor } from '../../src/core/text';
import { serializeProject } from '../../src/core/project';
import { PROMPT_VERSION } from '../../src/core/suggest';
import { codebookFixture, runCli, testEnv } from './fixtures';
import { codingsReply, startFakeOpenAI } from '../support/fakeOpenAI';
import type { FakeOpenAI, FakeReply } from '../support/fakeOpenAI';

// Fictional transcripts, written for these tests.
const SIGRID = [
  'Interviewer: How do you keep in touch?',
  'Sigrid: I call home every Tuesday. The calls are short, ten minutes.',
  'Sigrid: Mostly I am bored. The afternoons are the worst.',
  '',
].join('\n');
const ODD = 'Odd: I write letters to my daughter.\n';

describe('grounded suggest', () => {
  let dir: string;
  let fake: FakeOpenAI | undefined;
  const f = codebookFixture();
  const read = (rel: string) => readFileSync(path.join(dir, rel), 'utf8');

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-suggest-'));
    writeFileSync(path.join(dir, 'grounded.json'), serializeProject(f.p));
    mkdirSync(path.join(dir, 'interviews'));
    writeFileSync(path.join(dir, 'interviews/sigrid.txt'), SIGRID);
    writeFileSync(path.join(dir, 'interviews/odd.txt'), ODD);
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** The fake model: for sigrid.txt two exact quotes, one not in the text, and one new code; for odd.txt one quote. */
  const answers = (request: { messages: { content: string }[] }): FakeReply =>
    request.messages[1].content.includes('Sigrid:')
      ? codingsReply([
          { quote: 'I call home every Tuesday.', code: 'Calling Home', reason: 'A weekly call.' },
          { quote: 'Mostly I am bored.', code: 'boredom', reason: 'Says so.' },
          { quote: 'I phone my mother daily.', code: 'calling home', reason: 'Not said.' },
          { quote: 'The afternoons are the worst.', code: 'Empty afternoons', reason: 'A time of day.' },
        ])
      : codingsReply([{ quote: 'I write letters to my daughter.', code: 'letters', reason: 'Letters.' }]);

  const suggest = (url: string, ...more: string[]) => runCli(['suggest', '--endpoint', url, '--model', 'fake-model', ...more], dir);

  it('stores exact quotes as pending suggestions of "AI: <model>", drops a quote not in the text, proposes a new code', async () => {
    fake = await startFakeOpenAI({ reply: answers, maxRequests: 4, maxMs: 10000 });
    const r = await suggest(fake.url);
    assert.equal(r.code, 0, r.err);
    assert.equal(fake.requests.length, 2);
    assert.equal(
      r.out,
      [
        'interviews/odd.txt: 1 added, 0 skipped (already there), 0 dropped (quote not found)',
        'interviews/sigrid.txt: 3 added, 0 skipped (already there), 1 dropped (quote not found)',
        'Total: 4 suggestions of AI: fake-model added to 2 transcripts, 0 skipped (already there), 1 dropped (quote not found).',
        'They are pending: accept or reject them in VS Code (Suggestions view). Until then they count nowhere.',
        '',
      ].join('\n'),
    );
    assert.match(r.err, /asking fake-model at http:\/\/127\.0\.0\.1:\d+\/v1 about 2 transcripts/);
    assert.match(r.err, /\[2\/2\] interviews\//);

    const sidecar = parseSidecar(read('interviews/sigrid.txt.codes.json'), 'interviews/sigrid.txt.codes.json');
    const codings = [...sidecar.codings].sort((a, b) => a.anchor.start - b.anchor.start);
    assert.deepEqual(
      codings.map((c) => [SIGRID.slice(c.anchor.start, c.anchor.end), c.anchor.quote, c.codeId, c.coder]),
      [
        ['I call home every Tuesday.', 'I call home every Tuesday.', f.calling, 'AI: fake-model'],
        ['Mostly I am bored.', 'Mostly I am bored.', f.boredom, 'AI: fake-model'],
        ['The afternoons are the worst.', 'The afternoons are the worst.', '', 'AI: fake-model'],
      ],
    );
    const [call, , proposed] = codings;
    assert.equal(call.created, call.suggestion!.requested);
    assert.deepEqual(call.suggestion, { status: 'pending', model: 'fake-model', endpoint: fake.url, promptVersion: PROMPT_VERSION, requested: call.created, reason: 'A weekly call.', code: 'Calling Home' });
    assert.deepEqual(proposed.suggestion, { status: 'pending', model: 'fake-model', endpoint: fake.url, promptVersion: PROMPT_VERSION, requested: call.created, reason: 'A time of day.', code: 'Empty afternoons', proposed: true });
    // the codebook is unchanged: a proposed code exists only once a person accepts it
    assert.equal(read('grounded.json'), serializeProject(f.p));
    // the request: the codebook and the transcript
    const sent = fake.requests.find((q) => q.body.messages[1].content.includes('Sigrid:'))!.body;
    assert.equal(sent.model, 'fake-model');
    assert.ok(sent.messages[1].content.includes('- calling home\n'));
    assert.ok(sent.messages[1].content.includes(SIGRID.trimEnd()));
  });

  it('skips what is already there when run again, and --json says so', async () => {
    fake = await startFakeOpenAI({ reply: answers, maxRequests: 4, maxMs: 10000 });
    assert.equal((await suggest(fake.url)).code, 0);
    const before = read('interviews/sigrid.txt.codes.json');
    const r = await suggest(fake.url, '--json');
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as SuggestJson;
    assert.equal(json.model, 'fake-model');
    assert.equal(json.endpoint, fake.url);
    assert.equal(json.promptVersion, PROMPT_VERSION);
    assert.deepEqual(json.transcripts, [
      { path: 'interviews/odd.txt', requests: 1, added: 0, skipped: 1, dropped: 0 },
      { path: 'interviews/sigrid.txt', requests: 1, added: 0, skipped: 3, dropped: 1 },
    ]);
    assert.deepEqual(json.total, { transcripts: 2, requests: 2, added: 0, skipped: 4, dropped: 1, failed: 0 });
    assert.equal(read('interviews/sigrid.txt.codes.json'), before);
  });

  it('pending suggestions change no count of grounded stats', async () => {
    // Kari has coded both transcripts already: stats lists them with her codings.
    const human = (file: string, text: string, quote: string, codeId: string, id: string) => {
      const start = text.indexOf(quote);
      const sidecar = emptySidecar({ path: file, hash: hashText(text) });
      sidecar.codings.push({ id, codeId, anchor: makeAnchor(text, start, start + quote.length), coder: 'Kari', created: '2026-11-05T12:00:00.000Z' });
      writeFileSync(path.join(dir, `${file}.codes.json`), serializeSidecar(sidecar));
    };
    human('interviews/sigrid.txt', SIGRID, 'I call home every Tuesday.', f.calling, '00000000-0000-4000-8000-0000000000a1');
    human('interviews/odd.txt', ODD, 'I write letters to my daughter.', f.letters, '00000000-0000-4000-8000-0000000000a2');
    const stats = async () => {
      const r = await runCli(['stats', '--json'], dir);
      assert.equal(r.code, 0, r.err);
      return r.out;
    };
    const before = await stats();
    fake = await startFakeOpenAI({ reply: answers, maxRequests: 4, maxMs: 10000 });
    assert.equal((await suggest(fake.url)).code, 0);
    assert.equal(parseSidecar(read('interviews/sigrid.txt.codes.json'), 'x').codings.length, 1 + 3);
    assert.equal(parseSidecar(read('interviews/odd.txt.codes.json'), 'x').codings.length, 1 + 1);
    assert.equal(await stats(), before);
    assert.match(before, /"codings": 1,/);
  });

  it('sends the key of GROUNDED_AI_KEY as a bearer token, and none without it', async () => {
    fake = await startFakeOpenAI({ reply: answers, maxRequests: 4, maxMs: 10000 });
    const io = { out: () => undefined, err: () => undefined, cwd: dir };
    assert.equal(await suggestCommand(['--endpoint', fake.url, '--model', 'm', '--files', 'interviews/odd.txt'], io, { apiKey: ' sk-test-123 ' }), 0);
    assert.equal(await suggestCommand(['--endpoint', fake.url, '--model', 'n', '--files', 'interviews/odd.txt'], io, { apiKey: '' }), 0);
    assert.deepEqual(fake.requests.map((q) => q.headers.authorization), ['Bearer sk-test-123', undefined]);
  });

  it('--chunk sets the most characters of a transcript in one request', async () => {
    const long = Array.from({ length: 12 }, (_, i) => `${i % 2 ? 'Sigrid' : 'Interviewer'}: ${'We talked about the weeks and the calls. '.repeat(3)}\n`).join('');
    writeFileSync(path.join(dir, 'interviews/long.txt'), long);
    fake = await startFakeOpenAI({ reply: () => codingsReply([]), maxRequests: 20, maxMs: 10000 });
    const r = await suggest(fake.url, '--files', 'interviews/long.txt', '--chunk', '500', '--concurrency', '1', '--json');
    assert.equal(r.code, 0, r.err);
    const sent = fake.requests.map((q) => q.body.messages[1].content.split('<<<\n')[1].split('\n>>>')[0]);
    assert.ok(sent.length >= 3, `${sent.length} requests`);
    assert.ok(sent.every((t) => t.length <= 500));
    assert.equal(sent.join(''), long);
    assert.equal((JSON.parse(r.out) as SuggestJson).transcripts[0].requests, sent.length);
    assert.match((await suggest(fake.url, '--chunk', '100')).err, /--chunk takes a whole number of at least 500, got "100"/);
  });

  it('--files asks about the matching transcripts only', async () => {
    fake = await startFakeOpenAI({ reply: answers, maxRequests: 4, maxMs: 10000 });
    const r = await suggest(fake.url, '--files', '**/odd.txt');
    assert.equal(r.code, 0, r.err);
    assert.equal(fake.requests.length, 1);
    assert.ok(!existsSync(path.join(dir, 'interviews/sigrid.txt.codes.json')));
    assert.match(r.out, /^interviews\/odd\.txt: 1 added/);
  });

  it('takes the transcript globs of the workspace settings (grounded.transcripts)', async () => {
    mkdirSync(path.join(dir, '.vscode'));
    writeFileSync(path.join(dir, '.vscode/settings.json'), '{\n  // only the interviews\n  "grounded.transcripts": ["interviews/s*.txt"],\n}\n');
    writeFileSync(path.join(dir, 'README.md'), 'Sigrid: not a transcript\n');
    fake = await startFakeOpenAI({ reply: answers, maxRequests: 4, maxMs: 10000 });
    const r = await suggest(fake.url, '--json');
    assert.equal(r.code, 0, r.err);
    assert.deepEqual((JSON.parse(r.out) as SuggestJson).transcripts.map((t) => t.path), ['interviews/sigrid.txt']);
    assert.equal(fake.requests.length, 1);
  });

  it('does not ask about a transcript changed since it was coded (its codings are found again in VS Code or by check first)', async () => {
    const old = SIGRID.replace('ten minutes', 'five minutes');
    const sidecar = emptySidecar({ path: 'interviews/sigrid.txt', hash: hashText(old) });
    sidecar.codings.push({ id: '00000000-0000-4000-8000-0000000000a1', codeId: f.boredom, anchor: makeAnchor(old, 0, 11), coder: 'Kari', created: '2026-11-05T12:00:00.000Z' });
    writeFileSync(path.join(dir, 'interviews/sigrid.txt.codes.json'), serializeSidecar(sidecar));
    const before = read('interviews/sigrid.txt.codes.json');
    fake = await startFakeOpenAI({ reply: answers, maxRequests: 4, maxMs: 10000 });
    const r = await suggest(fake.url);
    assert.equal(r.code, 1);
    assert.equal(fake.requests.length, 1, 'only odd.txt was sent');
    assert.ok(!fake.requests[0].body.messages[1].content.includes('Sigrid:'));
    assert.match(r.err, /interviews\/sigrid\.txt: nothing written: interviews\/sigrid\.txt changed since it was coded: open it in VS Code .* or run "grounded check"/);
    assert.equal(read('interviews/sigrid.txt.codes.json'), before);
  });

  it('a malformed reply: a clear error, nothing written for that transcript, exit 1', async () => {
    fake = await startFakeOpenAI({ reply: (q) => (q.messages[1].content.includes('Sigrid:') ? { content: 'Sure! Here are some codes: calling home.' } : answers(q)), maxRequests: 4, maxMs: 10000 });
    const r = await suggest(fake.url);
    assert.equal(r.code, 1);
    assert.equal(fake.requests.length, 2, 'a malformed reply is not asked again');
    assert.match(r.err, /interviews\/sigrid\.txt: nothing written: The model's reply is not the JSON asked for \(not JSON: .*\)\. It began: "Sure! Here are some codes: calling home\."/);
    assert.match(r.out, /^interviews\/sigrid\.txt: failed, nothing written$/m);
    assert.ok(!existsSync(path.join(dir, 'interviews/sigrid.txt.codes.json')));
    assert.ok(existsSync(path.join(dir, 'interviews/odd.txt.codes.json')), 'the other transcript is stored');
  });

  it('a timeout: retried with backoff, then a clear error naming the endpoint and the seconds; nothing written', async () => {
    fake = await startFakeOpenAI({ reply: () => 'hang', maxRequests: 5, maxMs: 10000 });
    const waits: number[] = [];
    let out = '';
    let err = '';
    const code = await suggestCommand(
      ['--endpoint', fake.url, '--model', 'fake-model', '--files', 'interviews/odd.txt', '--timeout', '0.2', '--retries', '2'],
      { out: (t) => (out += t), err: (t) => (err += t), cwd: dir },
      { sleep: async (ms) => void waits.push(ms), env: testEnv() },
    );
    assert.equal(code, 1);
    assert.equal(fake.requests.length, 3);
    assert.deepEqual(waits, [1000, 2000]);
    assert.match(err, /The endpoint http:\/\/127\.0\.0\.1:\d+\/v1 did not answer within 0\.2 s\. Trying again in 1 s \(retry 1 of 2\)/);
    assert.ok(err.includes(`interviews/odd.txt: nothing written: the endpoint ${fake.url} did not answer within 0.2 s (also on retrying).`), err);
    assert.equal(out, 'interviews/odd.txt: failed, nothing written\nTotal: 0 suggestions of AI: fake-model added to 0 transcripts, 0 skipped (already there), 0 dropped (quote not found), 1 failed.\n');
    assert.ok(!existsSync(path.join(dir, 'interviews/odd.txt.codes.json')));
  });

  it('a stop (Ctrl+C) keeps the transcripts done, cancels the request under way, writes nothing for the rest', async () => {
    const stop = new AbortController();
    const port: ChatPort = {
      complete: (_e, request, opts) => {
        if (!request.messages[1].content.includes('Sigrid:')) return Promise.resolve(JSON.stringify({ codings: [{ quote: 'I write letters to my daughter.', code: 'letters' }] }));
        stop.abort(); // stopped while sigrid.txt is being asked about
        return new Promise((_resolve, reject) => {
          const cancel = () => reject(new ChatError('cancelled', 'Cancelled.'));
          if (opts.signal!.aborted) cancel();
          else opts.signal!.addEventListener('abort', cancel);
        });
      },
    };
    let out = '';
    const code = await suggestCommand(['--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--concurrency', '1'], { out: (t) => (out += t), err: () => undefined, cwd: dir }, { port, signal: stop.signal });
    assert.equal(code, 1);
    assert.match(out, /^interviews\/odd\.txt: 1 added/m);
    assert.match(out, /^interviews\/sigrid\.txt: failed, nothing written$/m);
    assert.equal(parseSidecar(read('interviews/odd.txt.codes.json'), 'x').codings.length, 1);
    assert.ok(!existsSync(path.join(dir, 'interviews/sigrid.txt.codes.json')));
  });

  it('refuses an endpoint that is not on the loopback interface without --allow-remote: exit 2, nothing sent', async () => {
    fake = await startFakeOpenAI({ reply: answers, maxRequests: 4, maxMs: 10000 });
    // 0.0.0.0 reaches this machine's listeners, yet is not loopback by the rule: the fake server would see a request sent there.
    const remote = fake.url.replace('127.0.0.1', '0.0.0.0');
    const r = await suggest(remote);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.ok(r.err.includes(`refused: ${remote} is not on this machine`), r.err);
    assert.match(r.err, /Nothing was sent\. .*--allow-remote/);
    assert.equal(fake.requests.length, 0);
    assert.ok(!existsSync(path.join(dir, 'interviews/sigrid.txt.codes.json')));

    let calls = 0;
    const port: ChatPort = { complete: async () => (calls++, '{"codings":[]}') };
    for (const endpoint of ['https://api.example.com/v1', 'http://192.168.1.20:11434/v1']) {
      await assert.rejects(suggestCommand(['--endpoint', endpoint, '--model', 'm'], { out: () => undefined, err: () => undefined, cwd: dir }, { port }), (e: Error) => e instanceof SuggestUsageError && e.message.includes(endpoint));
    }
    assert.equal(calls, 0);
    // with --allow-remote it is asked (here through a port that goes nowhere)
    assert.equal(await suggestCommand(['--endpoint', 'https://api.example.com/v1', '--model', 'm', '--allow-remote'], { out: () => undefined, err: () => undefined, cwd: dir }, { port }), 0);
    assert.equal(calls, 2);
  });

  it('explains bad arguments (exit 2) and itself with --help', async () => {
    const cases: [string[], RegExp][] = [
      [['suggest', '--model', 'm'], /--endpoint URL is needed/],
      [['suggest', '--endpoint', 'http://127.0.0.1:9/v1'], /--model NAME is needed/],
      [['suggest', '--endpoint', '127.0.0.1:11434', '--model', 'm'], /The endpoint "127\.0\.0\.1:11434" is not/],
      [['suggest', '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--timeout', '0'], /--timeout takes a number of seconds above 0, got "0"/],
      [['suggest', '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--concurrency', 'many'], /--concurrency takes a whole number of at least 1/],
      [['suggest', '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm', '--files', 'nothing/*.txt'], /no transcript matches --files nothing\/\*\.txt/],
      [['suggest', 'no-such-folder', '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm'], /no such folder: no-such-folder/],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv, dir);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, message);
    }
    const help = await runCli(['suggest', '--help'], dir);
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: grounded suggest \[dir\] --endpoint URL --model NAME/);
    assert.match((await runCli(['--help'], dir)).out, /\n {2}suggest \[dir\] --endpoint URL --model NAME \[--files GLOB\] \[--allow-remote\] \[--json\]\n/);
  });

  it('refuses a folder without a project, naming it', async () => {
    rmSync(path.join(dir, 'grounded.json'));
    const r = await runCli(['suggest', '--endpoint', 'http://127.0.0.1:9/v1', '--model', 'm'], dir);
    assert.equal(r.code, 2);
    assert.match(r.err, /no grounded\.json in \.: not a Grounded project folder/);
  });
});
