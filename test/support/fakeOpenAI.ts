// A fake OpenAI-compatible server for tests: listens on 127.0.0.1 only, on a port the system picks, and
// answers `POST /…/chat/completions` as the test's `reply` function says: a content (wrapped as
// choices[0].message.content), an HTTP status, 'hang' (never answers: a timeout), or a raw body. It
// records every request and is bounded: after maxRequests it answers 503 and counts the excess, and
// after maxMs it closes itself. Usable from unit tests and from e2e tests in the extension host.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatRequest } from '../../src/core/chat';

export type FakeReply = { content: string } | { status: number; body?: string } | 'hang' | { raw: string };

export interface FakeRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: ChatRequest;
}

export interface FakeOpenAI {
  /** the base URL to give as the endpoint, e.g. http://127.0.0.1:40123/v1 */
  url: string;
  requests: FakeRequest[];
  /** requests beyond maxRequests (answered 503) */
  refused: number;
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  reply: (request: ChatRequest, index: number) => FakeReply;
  maxRequests?: number;
  maxMs?: number;
}

export async function startFakeOpenAI(opts: FakeOpenAIOptions): Promise<FakeOpenAI> {
  const maxRequests = opts.maxRequests ?? 50;
  const hanging = new Set<http.ServerResponse>();
  const state: FakeOpenAI = {
    url: '',
    requests: [],
    refused: 0,
    close: () => close(),
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => {
      if (state.requests.length >= maxRequests) {
        state.refused++;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('fakeOpenAI: too many requests for this test');
        return;
      }
      let body: ChatRequest;
      try {
        body = JSON.parse(raw) as ChatRequest;
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('fakeOpenAI: the body is not JSON');
        return;
      }
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.method !== 'POST' || !/\/chat\/completions$/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('fakeOpenAI: only POST …/chat/completions');
        return;
      }
      const answer = opts.reply(body, state.requests.length - 1);
      if (answer === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      if ('raw' in answer) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(answer.raw);
      } else if ('status' in answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body ?? JSON.stringify({ error: { message: `fake status ${answer.status}` } }));
      } else {
        const completion = {
          id: `chatcmpl-fake-${state.requests.length}`,
          object: 'chat.completion',
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: answer.content }, finish_reason: 'stop' }],
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${port}/v1`;
  let closed: Promise<void> | undefined;
  const timer = setTimeout(() => void close(), opts.maxMs ?? 30000);
  timer.unref?.();
  function close(): Promise<void> {
    closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
    return closed;
  }
  return state;
}

/** A reply content of codings, as a model answers. */
export function codingsReply(codings: { quote: string; code: string; reason?: string }[]): FakeReply {
  return { content: JSON.stringify({ codings }) };
}
