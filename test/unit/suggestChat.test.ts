import * as assert from 'node:assert/strict';
import { ChatError, isLoopback, runBounded } from '../../src/core/chat';
import type { ChatRequest } from '../../src/core/chat';
import { HttpChatPort } from '../../src/cli/chatHttp';
import { startFakeOpenAI } from '../support/fakeOpenAI';
import type { FakeOpenAI } from '../support/fakeOpenAI';

describe('chat: the loopback rule', () => {
  for (const url of ['http://127.0.0.1:11434/v1', 'http://127.8.9.10/v1', 'https://localhost:1234/v1', 'http://LOCALHOST/v1', 'http://[::1]:8080/v1', 'http://127.1:11434/v1']) {
    it(`${url} is loopback`, () => assert.equal(isLoopback(url), true));
  }
  for (const url of ['https://api.openai.com/v1', 'http://192.168.1.20:11434/v1', 'http://0.0.0.0:11434/v1', 'http://128.0.0.1/v1', 'http://localhost.example.com/v1', 'http://127.0.0.1.nip.io/v1', 'http://[::2]/v1', 'http://10.0.0.1/v1']) {
    it(`${url} is remote`, () => assert.equal(isLoopback(url), false));
  }
  it('an endpoint that is not a URL is a clear error', () => {
    assert.throws(() => isLoopback('127.0.0.1:11434'), /The endpoint "127\.0\.0\.1:11434" is not (a URL|an http or https URL)/);
    assert.throws(() => isLoopback('localhost'), /The endpoint "localhost" is not a URL/);
    assert.throws(() => isLoopback('ftp://127.0.0.1/'), /not an http or https URL/);
  });
});

describe('chat: runBounded', () => {
  it('runs at most `concurrency` jobs at once and keeps the results in order', async () => {
    let running = 0;
    let most = 0;
    const jobs = Array.from({ length: 7 }, (_, i) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
      return i * 10;
    });
    const results = await runBounded(jobs, { concurrency: 3, retries: 0, backoffMs: 0 });
    assert.equal(most, 3);
    assert.deepEqual(results, jobs.map((_, i) => ({ ok: true, value: i * 10 })));
  });

  it('retries retryable errors with exponential backoff through the injected sleep, not others', async () => {
    const waits: number[] = [];
    const tries = [0, 0, 0];
    const errors = [new ChatError('http', '503', { status: 503 }), new ChatError('http', '400', { status: 400 }), new ChatError('network', 'reset')];
    const results = await runBounded(
      errors.map((e, i) => async () => {
        tries[i]++;
        throw e;
      }),
      { concurrency: 1, retries: 3, backoffMs: 100, sleep: async (ms) => void waits.push(ms) },
    );
    assert.deepEqual(tries, [4, 1, 4]);
    assert.deepEqual(waits, [100, 200, 400, 100, 200, 400]);
    assert.ok(results.every((r) => !r.ok));
    assert.equal(new ChatError('http', 'x', { status: 429 }).retryable, true);
    assert.equal(new ChatError('timeout', 'x').retryable, true);
    assert.equal(new ChatError('malformed', 'x').retryable, false);
    assert.equal(new ChatError('cancelled', 'x').retryable, false);
  });

  it('a job that succeeds on a retry gives its value', async () => {
    let n = 0;
    const [r] = await runBounded([async () => (n++ < 2 ? Promise.reject(new ChatError('timeout', 't')) : 'done')], { concurrency: 1, retries: 2, backoffMs: 1, sleep: async () => undefined });
    assert.deepEqual(r, { ok: true, value: 'done' });
  });

  it('a cancel stops starting jobs; those not run end cancelled', async () => {
    const controller = new AbortController();
    const ran: number[] = [];
    const jobs = Array.from({ length: 5 }, (_, i) => async () => {
      ran.push(i);
      if (i === 1) controller.abort();
      return i;
    });
    const results = await runBounded(jobs, { concurrency: 1, retries: 0, backoffMs: 0, signal: controller.signal });
    assert.deepEqual(ran, [0, 1]);
    assert.deepEqual(results.slice(0, 2), [{ ok: true, value: 0 }, { ok: true, value: 1 }]);
    for (const r of results.slice(2)) assert.ok(!r.ok && r.error instanceof ChatError && r.error.kind === 'cancelled');
  });
});

describe('chat: the HTTP port against the fake server', () => {
  let fake: FakeOpenAI | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const request: ChatRequest = { model: 'fake-model', messages: [{ role: 'user', content: 'hello' }], response_format: { type: 'json_schema', json_schema: { name: 'x', strict: true, schema: {} } }, temperature: 0 };
  const port = new HttpChatPort();

  it('posts JSON to {endpoint}/chat/completions and returns the content', async () => {
    fake = await startFakeOpenAI({ reply: () => ({ content: 'the answer' }), maxRequests: 2, maxMs: 5000 });
    assert.match(fake.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    assert.equal(await port.complete(`${fake.url}/`, request, { timeoutMs: 5000 }), 'the answer');
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.requests[0].method, 'POST');
    assert.equal(fake.requests[0].url, '/v1/chat/completions');
    assert.deepEqual(fake.requests[0].body, request);
  });

  it('a non-2xx answer is ChatError http with the status and the start of the body', async () => {
    fake = await startFakeOpenAI({ reply: () => ({ status: 500, body: 'model crashed: out of memory' }), maxRequests: 2, maxMs: 5000 });
    await assert.rejects(port.complete(fake.url, request, { timeoutMs: 5000 }), (e: ChatError) => {
      assert.equal(e.kind, 'http');
      assert.equal(e.status, 500);
      assert.equal(e.retryable, true);
      assert.ok(e.message.includes(fake!.url));
      assert.match(e.message, /HTTP 500: model crashed: out of memory/);
      return true;
    });
  });

  it('a reply without choices[0].message.content is malformed', async () => {
    fake = await startFakeOpenAI({ reply: () => ({ raw: '{"choices":[]}' }), maxRequests: 2, maxMs: 5000 });
    await assert.rejects(port.complete(fake.url, request, { timeoutMs: 5000 }), (e: ChatError) => e.kind === 'malformed' && /without choices\[0\]\.message\.content/.test(e.message) && e.message.includes('{"choices":[]}'));
    await assert.rejects(
      startFakeOpenAI({ reply: () => ({ raw: 'not json' }), maxRequests: 1, maxMs: 5000 }).then(async (f) => {
        try {
          return await port.complete(f.url, request, { timeoutMs: 5000 });
        } finally {
          await f.close();
        }
      }),
      (e: ChatError) => e.kind === 'malformed' && /did not answer JSON/.test(e.message),
    );
  });

  it('a server that does not answer in time is ChatError timeout naming the endpoint and the seconds', async () => {
    fake = await startFakeOpenAI({ reply: () => 'hang', maxRequests: 2, maxMs: 5000 });
    await assert.rejects(port.complete(fake.url, request, { timeoutMs: 200 }), (e: ChatError) => {
      assert.equal(e.kind, 'timeout');
      assert.equal(e.retryable, true);
      assert.equal(e.message, `The endpoint ${fake!.url} did not answer within 0.2 s.`);
      return true;
    });
  });

  it('a cancel aborts the request: ChatError cancelled', async () => {
    fake = await startFakeOpenAI({ reply: () => 'hang', maxRequests: 2, maxMs: 5000 });
    const controller = new AbortController();
    const pending = port.complete(fake.url, request, { timeoutMs: 5000, signal: controller.signal });
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await assert.rejects(pending, (e: ChatError) => e.kind === 'cancelled');
  });

  it('nobody listening is ChatError network', async () => {
    fake = await startFakeOpenAI({ reply: () => ({ content: '' }), maxRequests: 1, maxMs: 5000 });
    const url = fake.url;
    await fake.close();
    await assert.rejects(port.complete(url, request, { timeoutMs: 5000 }), (e: ChatError) => e.kind === 'network' && e.message.includes(url) && e.retryable);
  });

  it('an endpoint that rejects response_format is asked once more without it', async () => {
    fake = await startFakeOpenAI({
      reply: (r) => (r.response_format ? { status: 400, body: '{"error":{"message":"response_format is not supported"}}' } : { content: '{"codings":[]}' }),
      maxRequests: 3,
      maxMs: 5000,
    });
    assert.equal(await port.complete(fake.url, request, { timeoutMs: 5000 }), '{"codings":[]}');
    assert.equal(fake.requests.length, 2);
    assert.ok(fake.requests[0].body.response_format);
    assert.equal(fake.requests[1].body.response_format, undefined);
    assert.deepEqual(fake.requests[1].body.messages, request.messages);
  });

  it('another 400 is not asked again', async () => {
    fake = await startFakeOpenAI({ reply: () => ({ status: 400, body: 'unknown model' }), maxRequests: 3, maxMs: 5000 });
    await assert.rejects(port.complete(fake.url, request, { timeoutMs: 5000 }), (e: ChatError) => e.kind === 'http' && e.status === 400 && !e.retryable);
    assert.equal(fake.requests.length, 1);
  });

  it('the fake server is bounded in requests', async () => {
    fake = await startFakeOpenAI({ reply: () => ({ content: 'ok' }), maxRequests: 1, maxMs: 5000 });
    await port.complete(fake.url, request, { timeoutMs: 5000 });
    await assert.rejects(port.complete(fake.url, request, { timeoutMs: 5000 }), (e: ChatError) => e.status === 503);
    assert.equal(fake.refused, 1);
  });
});
