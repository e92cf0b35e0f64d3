// `grounded suggest`: asks a model at an OpenAI-compatible endpoint for codings of the project's
// transcripts and stores them as pending suggestions of the coder `AI: <model>` (core/session.ts
// addSuggestions: no duplicates, one transaction per transcript, written through the guarded stores).
// A non-loopback endpoint is refused before anything is sent unless --allow-remote is given. A
// transcript one of whose requests failed (after retries) gets nothing written.
import * as nodePath from 'node:path';
import { statSync } from 'node:fs';
import { parse as parseJsonc } from 'jsonc-parser';
import { ChatError, isLoopback } from '../core/chat';
import type { ChatPort } from '../core/chat';
import type { Environment } from '../core/ports';
import { systemEnvironment } from '../core/ports';
import { hashText } from '../core/hash';
import { parseSidecar } from '../core/sidecar';
import { sidecarPathFor } from '../core/sidecar';
import { normalizeEol } from '../core/text';
import { DEFAULT_TRANSCRIPT_GLOBS, isTranscriptPath } from '../core/transcripts';
import { DEFAULT_CHUNK_CHARS, PROMPT_VERSION, suggestAll } from '../core/suggest';
import type { SuggestTarget } from '../core/suggest';
import type { SuggestionSource } from '../core/suggestions';
import { HttpChatPort } from './chatHttp';
import { openCliSession } from './session';
import { parseOptions } from './options';

export const SUGGEST_USAGE = `Usage: grounded suggest [dir] --endpoint URL --model NAME [--files GLOB] [--allow-remote]
                        [--json] [--concurrency N] [--timeout SECONDS] [--retries N] [--chunk N]

Asks a language model at an OpenAI-compatible endpoint (POST {endpoint}/chat/completions: Ollama,
llama.cpp server, LM Studio, vLLM) for codings of the transcripts of the Grounded project in dir
(default: the current folder), and stores them in the sidecars as pending suggestions of the coder
"AI: <model>", for a person to accept or reject in VS Code. They do not count anywhere until accepted.
The model gets the codebook (names and descriptions) and each transcript, in pieces of at most about
6,000 characters cut at speaker turns. A quote the model gives that is not the transcript's words is
dropped and counted; a code name not in the codebook is stored as a proposed new code. A suggestion
already there (same coder, span and code, also a rejected one) is skipped. See docs/AI.md.

  --endpoint URL   the endpoint's base URL, for example http://127.0.0.1:11434/v1 (Ollama)
  --model NAME     the model's name at the endpoint, for example llama3.1:8b
  --files GLOB     only the transcripts matching GLOB (for example "interviews/*.txt"); default: every
                   transcript (the globs of grounded.transcripts in .vscode/settings.json, else
                   ${DEFAULT_TRANSCRIPT_GLOBS.join(', ')})
  --allow-remote   send text to an endpoint that is not on this machine (anything but localhost,
                   127.0.0.0/8 and [::1]); without it such an endpoint is refused and nothing is sent
  --concurrency N  requests at once (default 2)
  --timeout S      seconds one request may take (default 120)
  --retries N      tries more after a timeout, a lost connection, HTTP 429 or 5xx, waiting 1 s, 2 s,
                   4 s, … (default 2)
  --chunk N        the most characters of a transcript in one request (default 6000, at least 500);
                   a model with a small context (Ollama's default is a few thousand tokens) may need
                   fewer, or its context raised (OLLAMA_CONTEXT_LENGTH=8192)
  --json           print {"endpoint","model","promptVersion","requested","transcripts":[{"path",
                   "requests","added","skipped","dropped","error"}],"total"} instead of the table

An endpoint that needs a key gets the environment variable GROUNDED_AI_KEY as "Authorization: Bearer".
Progress goes to stderr. Each transcript is stored as soon as its requests are done; nothing is written
for a transcript whose requests failed. Ctrl+C stops, keeping the transcripts stored so far.

Exit status: 0 done, 1 some transcripts failed (nothing written for them), 2 usage error, a refused
endpoint or a project that cannot be read.
`;

/** What the command needs from outside; tests replace the clock and the waits. */
export interface SuggestDeps {
  port?: ChatPort;
  /** the endpoint's key (default: the environment variable GROUNDED_AI_KEY) */
  apiKey?: string;
  env?: Environment;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
}

export interface SuggestIo {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

/** A usage error: exit 2 with the message and a pointer to --help. */
export class SuggestUsageError extends Error {}

export interface TranscriptSummary {
  path: string;
  requests: number;
  added: number;
  skipped: number;
  dropped: number;
  error?: string;
}

export interface SuggestJson {
  endpoint: string;
  model: string;
  promptVersion: string;
  requested: string;
  transcripts: TranscriptSummary[];
  total: { transcripts: number; requests: number; added: number; skipped: number; dropped: number; failed: number };
}

interface SuggestArgs {
  dir: string;
  endpoint: string;
  model: string;
  files?: string;
  allowRemote: boolean;
  json: boolean;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  chunkChars: number;
}

const VALUED = ['--endpoint', '--model', '--files', '--concurrency', '--timeout', '--retries', '--chunk'];

function parseArgs(args: readonly string[]): SuggestArgs | 'help' {
  const { values, flags, positional: dirs, help } = parseOptions('suggest', args, VALUED, ['--json', '--allow-remote'], (m) => new SuggestUsageError(m));
  if (help) return 'help';
  if (dirs.length > 1) throw new SuggestUsageError(`suggest: one folder at most, got ${dirs.length}: ${dirs.join(' ')}`);
  const endpoint = values.get('--endpoint');
  const model = values.get('--model');
  if (!endpoint) throw new SuggestUsageError('suggest: --endpoint URL is needed, for example --endpoint http://127.0.0.1:11434/v1');
  if (!model?.trim()) throw new SuggestUsageError('suggest: --model NAME is needed, for example --model llama3.1:8b');
  const int = (name: string, fallback: number, min: number): number => {
    const v = values.get(name);
    if (v === undefined) return fallback;
    if (!/^\d+$/.test(v.trim()) || Number(v) < min) throw new SuggestUsageError(`suggest: ${name} takes a whole number of at least ${min}, got "${v}"`);
    return Number(v);
  };
  const timeout = values.get('--timeout');
  let timeoutMs = 120_000;
  if (timeout !== undefined) {
    const s = Number(timeout);
    if (!/^\s*\d*\.?\d+\s*$/.test(timeout) || !(s > 0)) throw new SuggestUsageError(`suggest: --timeout takes a number of seconds above 0, got "${timeout}"`);
    timeoutMs = Math.round(s * 1000);
  }
  return {
    dir: dirs[0] ?? '.',
    endpoint,
    model: model.trim(),
    files: values.get('--files'),
    allowRemote: flags.has('--allow-remote'),
    json: flags.has('--json'),
    concurrency: int('--concurrency', 2, 1),
    timeoutMs,
    retries: int('--retries', 2, 0),
    chunkChars: int('--chunk', DEFAULT_CHUNK_CHARS, 500),
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Runs `grounded suggest`; the exit status. Usage errors and a refused endpoint throw SuggestUsageError; an unreadable project, ProjectError. */
export async function suggestCommand(argv: readonly string[], io: SuggestIo, deps: SuggestDeps = {}): Promise<number> {
  const a = parseArgs(argv);
  if (a === 'help') {
    io.out(SUGGEST_USAGE);
    return 0;
  }
  let loopback: boolean;
  try {
    loopback = isLoopback(a.endpoint);
  } catch (err) {
    throw new SuggestUsageError(`suggest: ${(err as Error).message}`);
  }
  if (!loopback && !a.allowRemote) {
    throw new SuggestUsageError(
      `suggest: refused: ${a.endpoint} is not on this machine (only localhost, 127.0.0.0/8 and [::1] are), and the transcripts would be sent there. Nothing was sent. If your ethics approval and data agreement allow it, run again with --allow-remote.`,
    );
  }
  const root = nodePath.resolve(io.cwd, a.dir);
  try {
    if (!statSync(root).isDirectory()) throw new SuggestUsageError(`suggest: not a folder: ${a.dir}`);
  } catch (err) {
    if (err instanceof SuggestUsageError) throw err;
    throw new SuggestUsageError(`suggest: no such folder: ${a.dir}`);
  }
  const env = deps.env ?? systemEnvironment;
  const cli = await openCliSession(root, a.dir, env);
  const globs = a.files ? [a.files] : await transcriptGlobs(cli.fs);
  const paths = cli.files.filter((p) => isTranscriptPath(p, globs));
  if (paths.length === 0) {
    throw new SuggestUsageError(a.files ? `suggest: no transcript matches --files ${a.files}` : `suggest: no transcripts (${globs.join(', ')}) in ${a.dir}`);
  }

  // Read every transcript and its sidecar before anything is sent: one that cannot be stored to is not asked about.
  const summaries = new Map<string, TranscriptSummary>();
  const targets: SuggestTarget[] = [];
  for (const path of paths) {
    const summary: TranscriptSummary = { path, requests: 0, added: 0, skipped: 0, dropped: 0 };
    summaries.set(path, summary);
    const text = normalizeEol((await cli.fs.readText(path)) ?? '');
    const sidecarText = cli.withSidecars.has(path) ? await cli.fs.readText(sidecarPathFor(path)) : undefined;
    if (sidecarText !== undefined) {
      try {
        const sidecar = parseSidecar(sidecarText, sidecarPathFor(path));
        if (sidecar.document.hash !== hashText(text) && sidecar.codings.length > 0) {
          summary.error = `${path} changed since it was coded: open it in VS Code (its codings are found again there) or run "grounded check", then suggest again`;
          continue;
        }
      } catch (err) {
        summary.error = `${(err as Error).message} (run "grounded check")`;
        continue;
      }
    }
    if (text.trim() === '') continue;
    targets.push({ path, text });
  }

  const project = cli.project;
  const codes = project.codes.map((c) => (c.description ? { id: c.id, name: c.name, description: c.description } : { id: c.id, name: c.name }));
  const requested = env.now();
  const source: SuggestionSource = { model: a.model, endpoint: a.endpoint, promptVersion: PROMPT_VERSION, requested };
  const seconds = a.timeoutMs / 1000;
  io.err(`grounded: suggest: asking ${a.model} at ${a.endpoint} about ${plural(targets.length, 'transcript')}${loopback ? '' : ' (remote, allowed by --allow-remote)'}\n`);
  // Each transcript is stored as soon as its requests are done: what is done is kept if a later one fails or the run is stopped.
  const textOf = new Map(targets.map((t) => [t.path, t.text]));
  // Ctrl+C stops asking: requests under way are cancelled, transcripts already stored stay, the rest get nothing.
  const stop = new AbortController();
  const onInterrupt = (): void => {
    io.err('grounded: suggest: stopping: the transcripts done so far are kept, the others get nothing written\n');
    stop.abort();
  };
  if (deps.signal) deps.signal.addEventListener('abort', () => stop.abort(), { once: true });
  else process.once('SIGINT', onInterrupt);
  try {
    await suggestAll(deps.port ?? new HttpChatPort(apiKeyHeaders(deps.apiKey ?? process.env.GROUNDED_AI_KEY)), targets, {
      endpoint: a.endpoint,
      model: a.model,
      codes,
      timeoutMs: a.timeoutMs,
      concurrency: a.concurrency,
      retries: a.retries,
      backoffMs: 1000,
      maxChars: a.chunkChars,
      sleep: deps.sleep,
      signal: stop.signal,
      onProgress: (done, total, path) => io.err(`grounded: suggest: [${done}/${total}] ${path}\n`),
      onRetry: (path, attempt, error, wait) => io.err(`grounded: suggest: ${path}: ${error.message} Trying again in ${wait / 1000} s (retry ${attempt} of ${a.retries}).\n`),
      onTranscript: async (o) => {
        const summary = summaries.get(o.path)!;
        summary.requests = o.requests;
        summary.dropped = o.dropped.length;
        if (o.error) {
          summary.error = describeFailure(o.error, a.endpoint, seconds);
          return;
        }
        if (o.items.length === 0) return;
        const text = textOf.get(o.path)!;
        try {
          await cli.openTranscript(o.path, text);
          const result = await cli.session.addSuggestions(o.path, text, o.items, source, `Suggest codes (${a.model})`);
          summary.added = result.added.length;
          summary.skipped = result.skipped;
        } catch (err) {
          summary.error = err instanceof Error ? err.message : String(err);
        }
      },
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }

  const list = [...summaries.values()];
  const total = {
    transcripts: list.length,
    requests: list.reduce((n, s) => n + s.requests, 0),
    added: list.reduce((n, s) => n + s.added, 0),
    skipped: list.reduce((n, s) => n + s.skipped, 0),
    dropped: list.reduce((n, s) => n + s.dropped, 0),
    failed: list.filter((s) => s.error !== undefined).length,
  };
  for (const s of list) if (s.error) io.err(`grounded: suggest: ${s.path}: nothing written: ${s.error}\n`);
  if (a.json) {
    const json: SuggestJson = { endpoint: a.endpoint, model: a.model, promptVersion: PROMPT_VERSION, requested, transcripts: list, total };
    io.out(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    io.out(summaryTable(list, total, a.model));
  }
  return total.failed > 0 ? 1 : 0;
}

/** `Authorization: Bearer <key>` when a key is given (hosted endpoints need one; local ones ignore it). */
export function apiKeyHeaders(key: string | undefined): Record<string, string> {
  return key?.trim() ? { authorization: `Bearer ${key.trim()}` } : {};
}

/** The project's transcript globs: the workspace setting `grounded.transcripts` in .vscode/settings.json, else the default. */
async function transcriptGlobs(fs: { readText(path: string): Promise<string | undefined> }): Promise<string[]> {
  const text = await fs.readText('.vscode/settings.json');
  const value: unknown = text === undefined ? undefined : (parseJsonc(text) as Record<string, unknown> | undefined)?.['grounded.transcripts'];
  return Array.isArray(value) && value.length > 0 && value.every((g) => typeof g === 'string') ? (value as string[]) : DEFAULT_TRANSCRIPT_GLOBS;
}

/** A failed request, said plainly: a timeout names the endpoint and the seconds. */
function describeFailure(error: Error, endpoint: string, seconds: number): string {
  if (error instanceof ChatError && error.kind === 'cancelled') return 'stopped before it was done';
  if (error instanceof ChatError && error.kind === 'timeout') {
    return `the endpoint ${endpoint} did not answer within ${seconds} s (also on retrying). Is the model loaded and the machine not too busy? Try a longer --timeout, a smaller model, or fewer transcripts with --files.`;
  }
  return error.message;
}

function summaryTable(list: readonly TranscriptSummary[], total: SuggestJson['total'], model: string): string {
  const lines = list.map((s) =>
    s.error !== undefined
      ? `${s.path}: failed, nothing written`
      : `${s.path}: ${s.added} added, ${s.skipped} skipped (already there), ${s.dropped} dropped (quote not found)`,
  );
  lines.push(
    `Total: ${plural(total.added, 'suggestion')} of AI: ${model} added to ${plural(list.length - total.failed, 'transcript')}, ${total.skipped} skipped (already there), ${total.dropped} dropped (quote not found)${total.failed ? `, ${total.failed} failed` : ''}.`,
  );
  if (total.added > 0) lines.push('They are pending: accept or reject them in VS Code (Suggestions view). Until then they count nowhere.');
  return `${lines.join('\n')}\n`;
}
