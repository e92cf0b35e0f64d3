// The Node ChatPort: `POST {endpoint}/chat/completions` with global fetch and an AbortController for the
// timeout and cancel. Used by `grounded suggest` and by the extension (an endpoint provider). Failures
// are ChatErrors: 'timeout' (naming the endpoint and the seconds), 'http' (status and the start of the
// body), 'network', 'malformed' (no choices[0].message.content), 'cancelled'. An endpoint that rejects
// `response_format` (HTTP 400 mentioning it) is asked once more without it.
import { ChatError, endpointBase } from '../core/chat';
import type { ChatCompleteOptions, ChatPort, ChatRequest } from '../core/chat';
import { replyExcerpt } from '../core/suggest';

export class HttpChatPort implements ChatPort {
  constructor(private readonly headers: Record<string, string> = {}) {}

  async complete(endpoint: string, request: ChatRequest, opts: ChatCompleteOptions): Promise<string> {
    try {
      return await this.post(endpoint, request, opts);
    } catch (e) {
      if (e instanceof ChatError && e.kind === 'http' && e.status === 400 && request.response_format !== undefined && /response_format|json_schema/i.test(e.message)) {
        const { response_format: _dropped, ...plain } = request;
        return this.post(endpoint, plain, opts);
      }
      throw e;
    }
  }

  private async post(endpoint: string, request: ChatRequest, opts: ChatCompleteOptions): Promise<string> {
    const url = `${endpointBase(endpoint)}/chat/completions`;
    const seconds = Math.round(opts.timeoutMs / 100) / 10;
    if (opts.signal?.aborted) throw new ChatError('cancelled', 'Cancelled.');
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, opts.timeoutMs);
    const onAbort = (): void => controller.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const failed = (e: unknown): ChatError => {
      if (e instanceof ChatError) return e;
      if (timedOut) return new ChatError('timeout', `The endpoint ${endpoint} did not answer within ${seconds} s.`);
      if (opts.signal?.aborted) return new ChatError('cancelled', 'Cancelled.');
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      return new ChatError('network', `Could not reach the endpoint ${endpoint} (${why}).`);
    };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.headers },
        body: JSON.stringify(request),
        signal: controller.signal,
      });
      const body = await response.text();
      if (!response.ok) {
        const excerpt = replyExcerpt(body, 200);
        throw new ChatError('http', `The endpoint ${endpoint} answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`, { status: response.status });
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new ChatError('malformed', `The endpoint ${endpoint} did not answer JSON. It began: "${replyExcerpt(body)}"`);
      }
      const content = (json as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
      if (typeof content !== 'string') {
        throw new ChatError('malformed', `The endpoint ${endpoint} answered without choices[0].message.content. It began: "${replyExcerpt(body)}"`);
      }
      return content;
    } catch (e) {
      throw failed(e);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
}
