// Suggested codings from a language model: the prompt, the reply's parsing, where each quote lies in the
// transcript, and how a transcript is cut into requests. The model answers JSON
// {"codings":[{"quote","code","reason"}]}; a quote must be the transcript's own words (found exactly,
// else with any run of white space and straight or curly quotation marks as equal) inside the text it was
// sent, or it is dropped and counted. A code is an existing code (matched by name, case-insensitively) or
// a proposed new one. Pure: the requests go through a ChatPort (core/chat.ts).
import { ChatError, runBounded } from './chat';
import type { ChatPort, ChatRequest, RunBoundedOptions } from './chat';
import { nameKey } from './project';
import { speakerTurns } from './speakers';
import type { NewSuggestion } from './suggestions';

export type { NewSuggestion, SuggestionSource } from './suggestions';

/** Names the prompt and reply format; stored with every suggestion, changed whenever the prompt changes. */
export const PROMPT_VERSION = 'grounded-suggest-1';

/** The largest piece of a transcript sent in one request, in characters (a selection is sent whole). */
export const DEFAULT_CHUNK_CHARS = 6000;

/** What the model answered, checked. */
export interface SuggestReply {
  codings: { quote: string; code: string; reason?: string }[];
}

export interface CodebookEntry {
  name: string;
  description?: string;
}

const SYSTEM_PROMPT = [
  'You help a qualitative researcher code an interview transcript.',
  'You get the codebook (code names, some with a description) and a passage of the transcript.',
  'Find the passages that one of the codes fits, and propose a new short code (an in-vivo code, in the words of the transcript where possible) only when no code in the codebook fits.',
  'Answer only with JSON of this form and nothing else: {"codings":[{"quote":"...","code":"...","reason":"..."}]}',
  '- "quote": the exact words of the transcript, copied character for character (no changes, no "...", no words left out), a phrase, sentence or a few sentences long.',
  '- "code": the name of a code from the codebook, written exactly as in the codebook, or a new code name.',
  '- "reason": one short sentence why the code fits.',
  'Code only what the transcript says; do not code the speaker labels or timestamps. When nothing fits, answer {"codings":[]}.',
].join('\n');

const REPLY_SCHEMA = {
  type: 'object',
  properties: {
    codings: {
      type: 'array',
      items: {
        type: 'object',
        properties: { quote: { type: 'string' }, code: { type: 'string' }, reason: { type: 'string' } },
        required: ['quote', 'code', 'reason'],
        additionalProperties: false,
      },
    },
  },
  required: ['codings'],
  additionalProperties: false,
} as const;

/** The request for one passage: the codebook and the text, asking for JSON through a JSON schema, temperature 0. */
export function suggestRequest(codebook: readonly CodebookEntry[], text: string, model: string): ChatRequest {
  const codes = codebook.length
    ? codebook.map((c) => (c.description?.trim() ? `- ${c.name}: ${oneLine(c.description)}` : `- ${c.name}`)).join('\n')
    : '(the codebook is empty: propose new codes)';
  const user = `Codebook:\n${codes}\n\nTranscript passage:\n<<<\n${text}\n>>>`;
  return {
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: user },
    ],
    response_format: { type: 'json_schema', json_schema: { name: 'grounded_codings', strict: true, schema: REPLY_SCHEMA } },
    temperature: 0,
  };
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The start of a reply for an error message: at most 80 characters, on one line. */
export function replyExcerpt(content: string, max = 80): string {
  const flat = content.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/**
 * The model's reply, checked: JSON {"codings":[{quote, code, reason?}]}, also inside a ``` fence or after
 * a leading `<think>…</think>` block. Anything
 * else throws ChatError 'malformed' saying what was wrong and quoting the reply's start.
 */
export function parseSuggestReply(content: string): SuggestReply {
  const fail = (what: string): never => {
    throw new ChatError('malformed', `The model's reply is not the JSON asked for (${what}). It began: "${replyExcerpt(content)}"`);
  };
  // A reasoning model may think aloud first (`<think>…</think>`, as some local models put it in the content).
  let body = content.replace(/^\s*<think>[\s\S]*?<\/think>/, '').trim();
  const fence = /```[A-Za-z]*[ \t]*\r?\n?([\s\S]*?)```/.exec(body);
  if (fence && !body.startsWith('{')) body = fence[1].trim();
  if (!body) fail('it is empty');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return fail(`not JSON: ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('expected an object with "codings"');
  const codings = (value as { codings?: unknown }).codings;
  if (!Array.isArray(codings)) return fail('"codings" is not a list');
  const out: SuggestReply['codings'] = [];
  codings.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) fail(`codings[${i}] is not an object`);
    const { quote, code, reason } = item as { quote?: unknown; code?: unknown; reason?: unknown };
    if (typeof quote !== 'string') fail(`codings[${i}].quote is not text`);
    if (typeof code !== 'string') fail(`codings[${i}].code is not text`);
    if (reason !== undefined && reason !== null && typeof reason !== 'string') fail(`codings[${i}].reason is not text`);
    const entry: SuggestReply['codings'][number] = { quote: quote as string, code: code as string };
    if (typeof reason === 'string' && reason.trim()) entry.reason = reason.trim();
    out.push(entry);
  });
  return { codings: out };
}

const DOUBLE_QUOTES = '"“”„‟«»';
const SINGLE_QUOTES = "'‘’‚‛`";

/** A regular expression source matching the quote with any run of white space and either kind of quotation mark. */
function tolerantPattern(quote: string): string {
  let out = '';
  let inSpace = false;
  for (const ch of quote) {
    if (/\s/u.test(ch)) {
      if (!inSpace) out += String.raw`\s+`;
      inSpace = true;
      continue;
    }
    inSpace = false;
    if (DOUBLE_QUOTES.includes(ch)) out += `[${DOUBLE_QUOTES}]`;
    else if (SINGLE_QUOTES.includes(ch)) out += `[${SINGLE_QUOTES}]`;
    else out += ch.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'); // the syntax characters: the only escapes the u flag allows
  }
  return out;
}

/** Where the quote lies in fullText inside [from, to): exactly first, then whitespace- and quotation-mark-tolerant; the first occurrence. */
export function findQuote(fullText: string, range: readonly [number, number], quote: string): [number, number] | undefined {
  const q = quote.trim();
  if (!q) return undefined;
  const [from, to] = range;
  // Searched in the range alone: a long transcript is not scanned to its end for each quote.
  const sent = fullText.slice(from, to);
  const exact = sent.indexOf(q);
  if (exact >= 0) return [from + exact, from + exact + q.length];
  let m: RegExpExecArray | null = null;
  try {
    m = new RegExp(tolerantPattern(q), 'u').exec(sent);
  } catch {
    return undefined; // a quote no pattern can be made of is not found (and counted as dropped), never a failed run
  }
  if (m) return [from + m.index, from + m.index + m[0].length];
  return undefined;
}

/**
 * The reply's codings placed in fullText inside the range that was sent. A quote not found there is
 * dropped (and returned, to be counted). A code name matching an existing code case-insensitively gets
 * its id; another is a proposed new code. The same span and code twice is kept once.
 */
export function placeSuggestions(
  fullText: string,
  range: readonly [number, number],
  reply: SuggestReply,
  codes: readonly { id: string; name: string }[],
): { items: NewSuggestion[]; dropped: { quote: string; code: string }[] } {
  const byName = new Map<string, string>();
  for (const c of codes) if (!byName.has(nameKey(c.name))) byName.set(nameKey(c.name), c.id);
  const items: NewSuggestion[] = [];
  const dropped: { quote: string; code: string }[] = [];
  const seen = new Set<string>();
  for (const c of reply.codings) {
    const code = c.code.trim();
    const span = code ? findQuote(fullText, range, c.quote) : undefined;
    if (!span) {
      dropped.push({ quote: c.quote, code: c.code });
      continue;
    }
    const key = `${span[0]}:${span[1]}:${nameKey(code)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const item: NewSuggestion = { start: span[0], end: span[1], code };
    const codeId = byName.get(nameKey(code));
    if (codeId !== undefined) item.codeId = codeId;
    if (c.reason) item.reason = c.reason;
    items.push(item);
  }
  return { items, dropped };
}

/**
 * The pieces of text to send, as [start, end) offsets. A range given (a selection, a turn) is one piece.
 * Otherwise the whole text is cut at speaker turns into pieces of at most maxChars characters; a turn
 * longer than that is cut at line breaks, then at white space, then anywhere. Pieces of white space only
 * are left out.
 */
export function chunksOf(text: string, range?: readonly [number, number], maxChars = DEFAULT_CHUNK_CHARS): [number, number][] {
  if (range) return [[range[0], range[1]]];
  const max = Math.max(1, Math.floor(maxChars));
  const bounds = new Set<number>([0, text.length]);
  for (const t of speakerTurns(text)) bounds.add(t.start);
  const cuts = [...bounds].filter((b) => b >= 0 && b <= text.length).sort((a, b) => a - b);
  const pieces: [number, number][] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    for (const p of splitLong(text, cuts[i], cuts[i + 1], max)) pieces.push(p);
  }
  const chunks: [number, number][] = [];
  for (const [s, e] of pieces) {
    const last = chunks[chunks.length - 1];
    if (last && e - last[0] <= max) last[1] = e;
    else chunks.push([s, e]);
  }
  return chunks.filter(([s, e]) => text.slice(s, e).trim() !== '');
}

/** [start, end) cut into pieces of at most max characters: at the last line break, else white space, else hard. */
function splitLong(text: string, start: number, end: number, max: number): [number, number][] {
  const out: [number, number][] = [];
  let s = start;
  while (end - s > max) {
    const window = text.slice(s, s + max);
    let cut = window.lastIndexOf('\n') + 1;
    if (cut <= 0) {
      const ws = window.search(/\s\S*$/);
      cut = ws > 0 ? ws + 1 : 0;
    }
    if (cut <= 0) cut = max;
    out.push([s, s + cut]);
    s += cut;
  }
  if (end > s) out.push([s, end]);
  return out;
}

/** One transcript to ask about: its text and the ranges to send (undefined = the whole text, in chunks). */
export interface SuggestTarget {
  path: string;
  text: string;
  range?: readonly [number, number];
}

export interface SuggestOptions extends Omit<RunBoundedOptions, 'onRetry' | 'onSettled'> {
  endpoint: string;
  model: string;
  /** the codebook: ids for matching, names and descriptions for the prompt */
  codes: readonly { id: string; name: string; description?: string }[];
  timeoutMs: number;
  maxChars?: number;
  /** after each request (done or failed), for progress */
  onProgress?: (done: number, total: number, path: string) => void;
  onRetry?: (path: string, attempt: number, error: ChatError, waitMs: number) => void;
  /**
   * Told of each transcript as soon as all its requests are settled (one call at a time, awaited), so that
   * a caller can store it before the others are done. A rejection rejects suggestAll at its end (the
   * other transcripts are still handed on).
   */
  onTranscript?: (outcome: SuggestOutcome) => Promise<void> | void;
}

/** What came of one transcript: its placed suggestions and dropped quotes, or the error of a request that failed (then no items). */
export interface SuggestOutcome {
  path: string;
  items: NewSuggestion[];
  dropped: { quote: string; code: string }[];
  requests: number;
  error?: Error;
}

/**
 * Asks the model about every target, chunk by chunk, with bounded concurrency and retries. A transcript
 * one of whose requests failed (after its retries) gets its error and no items, so that nothing half-done
 * is stored for it. Each transcript's outcome goes to `onTranscript` when its last request is settled.
 */
export async function suggestAll(port: ChatPort, targets: readonly SuggestTarget[], opts: SuggestOptions): Promise<SuggestOutcome[]> {
  const codebook = opts.codes.map((c) => (c.description ? { name: c.name, description: c.description } : { name: c.name }));
  const jobs: { target: number; range: [number, number] }[] = [];
  const left = targets.map(() => 0);
  targets.forEach((t, i) => {
    for (const range of chunksOf(t.text, t.range, opts.maxChars)) {
      jobs.push({ target: i, range });
      left[i]++;
    }
  });
  const outcomes: SuggestOutcome[] = targets.map((t) => ({ path: t.path, items: [], dropped: [], requests: 0 }));
  // Each transcript is handed on as soon as its last request is settled, one at a time, in that order.
  let handed: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  const finish = (i: number): void => {
    const o = outcomes[i];
    if (o.error) o.items = [];
    o.items.sort((a, b) => a.start - b.start || a.end - b.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const onTranscript = opts.onTranscript;
    if (onTranscript) {
      handed = handed
        .then(() => onTranscript(o))
        .catch((error: unknown) => {
          failure ??= { error };
        });
    }
  };
  targets.forEach((_, i) => left[i] === 0 && finish(i));
  let done = 0;
  await runBounded(
    jobs.map((job) => async (signal?: AbortSignal) => {
      const t = targets[job.target];
      const request = suggestRequest(codebook, t.text.slice(job.range[0], job.range[1]), opts.model);
      const content = await port.complete(opts.endpoint, request, { timeoutMs: opts.timeoutMs, signal });
      return placeSuggestions(t.text, job.range, parseSuggestReply(content), opts.codes);
    }),
    {
      concurrency: opts.concurrency,
      retries: opts.retries,
      backoffMs: opts.backoffMs,
      sleep: opts.sleep,
      signal: opts.signal,
      onRetry: (index, attempt, error, wait) => opts.onRetry?.(targets[jobs[index].target].path, attempt, error, wait),
      onSettled: (index, r) => {
        const i = jobs[index].target;
        const o = outcomes[i];
        o.requests++;
        if (r.ok) {
          const placed = r.value as ReturnType<typeof placeSuggestions>;
          o.items.push(...placed.items);
          o.dropped.push(...placed.dropped);
        } else {
          o.error ??= r.error;
        }
        opts.onProgress?.(++done, jobs.length, o.path);
        if (--left[i] === 0) finish(i);
      },
    },
  );
  await handed;
  if (failure) throw failure.error;
  return outcomes;
}

export { memoDraftInputs, memoDraftRequest, memoDraft, memoDraftText } from './memoDraft';
export type { MemoDraftSegment, MemoDraftInput } from './memoDraft';
