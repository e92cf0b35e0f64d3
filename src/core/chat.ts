// The chat-completions port and what every caller of a model shares: the error kinds, the loopback rule
// (nothing goes beyond this machine unless the person allowed it), and a bounded runner that retries what
// may pass on a second try (timeouts, 429, 5xx, a dropped connection) with exponential backoff. Pure: the
// Node implementation over `fetch` is src/cli/chatHttp.ts, used by the CLI and the extension alike.

/** One request to an OpenAI-compatible `POST {endpoint}/chat/completions`. */
export interface ChatRequest {
  model: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  response_format?: unknown;
  temperature?: number;
}

export interface ChatCompleteOptions {
  /** the whole request (connection, answer) may take this long; then ChatError 'timeout' */
  timeoutMs: number;
  /** aborting it stops the request: ChatError 'cancelled' */
  signal?: AbortSignal;
}

/** Something that answers chat requests: the Node HTTP client, vscode.lm, or a test double. */
export interface ChatPort {
  /** The assistant's message content. Throws ChatError. */
  complete(endpoint: string, request: ChatRequest, opts: ChatCompleteOptions): Promise<string>;
}

export type ChatErrorKind = 'timeout' | 'http' | 'network' | 'malformed' | 'cancelled';

/** A request that failed, with what kind of failure it was and whether another try may help. */
export class ChatError extends Error {
  readonly kind: ChatErrorKind;
  readonly status?: number;
  readonly retryable: boolean;

  constructor(kind: ChatErrorKind, message: string, opts: { status?: number; retryable?: boolean } = {}) {
    super(message);
    this.name = 'ChatError';
    this.kind = kind;
    if (opts.status !== undefined) this.status = opts.status;
    this.retryable = opts.retryable ?? defaultRetryable(kind, opts.status);
  }
}

/** Timeouts, dropped connections, 429 and 5xx may pass on another try; a 4xx, a malformed reply or a cancel will not. */
function defaultRetryable(kind: ChatErrorKind, status: number | undefined): boolean {
  if (kind === 'timeout' || kind === 'network') return true;
  if (kind === 'http') return status === 429 || status === 408 || (status !== undefined && status >= 500);
  return false;
}

/**
 * Whether the endpoint is on this machine's loopback interface: host `localhost`, an IPv4 address in
 * 127.0.0.0/8 or `[::1]`. Anything else (another host name, a LAN address, 0.0.0.0) is remote. Throws a
 * clear Error when the endpoint is not an http(s) URL.
 */
export function isLoopback(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error(`The endpoint "${endpoint}" is not a URL: give its base URL, for example http://127.0.0.1:11434/v1.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`The endpoint "${endpoint}" is not an http or https URL: give its base URL, for example http://127.0.0.1:11434/v1.`);
  }
  const host = url.hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true;
  const parts = host.split('.');
  // the URL parser has normalised IPv4 forms (127.1, 0x7f.0.0.1) to four decimal parts
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** The endpoint without a trailing slash, so that `${base}/chat/completions` has one slash. */
export function endpointBase(endpoint: string): string {
  return endpoint.replace(/\/+$/, '');
}

export interface RunBoundedOptions {
  /** at most this many jobs at once (at least 1) */
  concurrency: number;
  /** retries of a retryable ChatError per job (0 = one try only) */
  retries: number;
  /** the first wait before a retry; doubled for each further retry */
  backoffMs: number;
  /** waits ms (injected, so that tests need not wait); should reject or resolve early when the signal aborts */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** told about each retry, for progress lines */
  onRetry?: (index: number, attempt: number, error: ChatError, waitMs: number) => void;
  /** told when a job has its result (after its last try), for progress */
  onSettled?: (index: number, result: JobResult<unknown>) => void;
}

export type JobResult<T> = { ok: true; value: T } | { ok: false; error: Error };

/** A sleep that ends early (rejecting with ChatError 'cancelled') when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function cancelled(): ChatError {
  return new ChatError('cancelled', 'Cancelled.');
}

/**
 * Runs the jobs with at most `concurrency` at once, each retried up to `retries` times when it fails with
 * a retryable ChatError (waiting backoffMs, 2·backoffMs, 4·backoffMs, … between tries). Results are in the
 * jobs' order, each either its value or its (last) error: one failed job does not stop the others. When
 * the signal aborts, jobs not yet started are not started and end as ChatError 'cancelled'.
 */
export async function runBounded<T>(
  jobs: readonly ((signal?: AbortSignal) => Promise<T>)[],
  opts: RunBoundedOptions,
): Promise<JobResult<T>[]> {
  const sleep = opts.sleep ?? abortableSleep;
  const results: JobResult<T>[] = new Array<JobResult<T>>(jobs.length);
  let next = 0;
  const runOne = async (index: number): Promise<JobResult<T>> => {
    for (let attempt = 0; ; attempt++) {
      if (opts.signal?.aborted) return { ok: false, error: cancelled() };
      try {
        return { ok: true, value: await jobs[index](opts.signal) };
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        if (opts.signal?.aborted) return { ok: false, error: error instanceof ChatError && error.kind === 'cancelled' ? error : cancelled() };
        if (!(error instanceof ChatError) || !error.retryable || attempt >= opts.retries) return { ok: false, error };
        const wait = opts.backoffMs * 2 ** attempt;
        opts.onRetry?.(index, attempt + 1, error, wait);
        try {
          await sleep(wait, opts.signal);
        } catch {
          return { ok: false, error: cancelled() };
        }
      }
    }
  };
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await runOne(index);
      opts.onSettled?.(index, results[index]);
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(opts.concurrency) || 1, jobs.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}
