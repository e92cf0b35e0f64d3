// A draft memo from a model: a code's (or category's) segments summarised into Markdown, written as a
// memo whose front matter says that an AI wrote it and which: `author: "AI: <model>"` and, after
// Grounded's own keys, `draft: true`, `generatedBy: <model>`, `endpoint: <endpoint>` and
// `promptVersion: <MEMO_PROMPT_VERSION>`. A person reads it, edits it, and removes `draft: true` when it
// is theirs. Pure: the request goes through a ChatPort (core/chat.ts).
//
// A memo draft needs no exact words back, so what is sent is pseudonymised (`memoDraftInput`): each
// segment is labelled with its case's pseudonym (the transcript's path only where it has no case), and
// the pseudonym table is applied to the quotes and to the code's name and description.
import type { ChatRequest } from './chat';
import { caseOfDocument } from './cases';
import { serializeMemo, yamlValue } from './memo';
import type { Coding, Memo, MemoTarget, ProjectFile } from './model';
import { applyPseudonyms } from './pseudonyms';
import type { PseudonymTable } from './pseudonyms';

/** Names the memo prompt; written in the draft's front matter. */
export const MEMO_PROMPT_VERSION = 'grounded-memo-2';

/** The most characters of segments sent in one request; the rest are left out and the prompt says how many. */
export const MEMO_DRAFT_MAX_CHARS = 24000;

export interface MemoDraftSegment {
  /** where the segment comes from, as the model sees it: the case's pseudonym, else the transcript's path */
  source: string;
  quote: string;
}

/** What a memo draft sends about a code: its name, description and segments, pseudonymised. */
export interface MemoDraftInputs {
  name: string;
  description: string | undefined;
  segments: MemoDraftSegment[];
}

/**
 * The code's name and description and its segments (`documents`' codings, in that order), as they are
 * sent: each segment labelled with its case's pseudonym (its transcript's path where it has no case),
 * and the pseudonym table applied to every quote, the name and the description.
 */
export function memoDraftInputs(
  project: ProjectFile,
  code: { name: string; description?: string },
  documents: readonly { path: string; codings: readonly Pick<Coding, 'anchor'>[] }[],
  table: PseudonymTable,
): MemoDraftInputs {
  const hide = (text: string) => (table.names.length ? applyPseudonyms(text, table) : text);
  const segments: MemoDraftSegment[] = [];
  for (const d of documents) {
    const source = caseOfDocument(project, d.path)?.pseudonym ?? hide(d.path);
    for (const c of d.codings) segments.push({ source, quote: hide(c.anchor.quote) });
  }
  return { name: hide(code.name), description: code.description === undefined ? undefined : hide(code.description), segments };
}

const MEMO_SYSTEM_PROMPT = [
  'You help a qualitative researcher write an analytic memo about one code (or category) of their codebook.',
  'You get the code, its description and the coded segments, each with the participant (a pseudonym) or transcript it comes from.',
  'Write a draft memo in Markdown: what the segments have in common, how they differ, what stands out, and open questions for further coding.',
  'Use only what the segments say; do not invent. Refer to a segment by its source in brackets, for example [P03].',
  'Answer with the memo text only, without a title line and without a code fence.',
].join('\n');

/** The request for a draft memo about the code `name` from its segments (at most MEMO_DRAFT_MAX_CHARS of them). */
export function memoDraftRequest(
  name: string,
  description: string | undefined,
  segments: readonly MemoDraftSegment[],
  model: string,
  maxChars = MEMO_DRAFT_MAX_CHARS,
): ChatRequest {
  const lines: string[] = [];
  let used = 0;
  let shown = 0;
  for (const s of segments) {
    const line = `${shown + 1}. [${s.source}] ${s.quote.replace(/\s+/g, ' ').trim()}`;
    if (shown > 0 && used + line.length > maxChars) break;
    lines.push(line);
    used += line.length + 1;
    shown++;
  }
  const left = segments.length - shown;
  const user = [
    `Code: ${name}`,
    description?.trim() ? `Description: ${description.replace(/\s+/g, ' ').trim()}` : 'Description: (none)',
    '',
    `Segments (${segments.length}${left ? `; the first ${shown} are shown, ${left} left out for length` : ''}):`,
    ...(lines.length ? lines : ['(no segments)']),
  ].join('\n');
  return {
    model,
    messages: [
      { role: 'system', content: MEMO_SYSTEM_PROMPT },
      { role: 'user', content: user },
    ],
    temperature: 0,
  };
}

export interface MemoDraftInput {
  id: string;
  target: MemoTarget;
  /** the model's name, as the endpoint or vscode.lm gives it */
  model: string;
  /** the endpoint's base URL or `vscode.lm:<vendor>/<id>` */
  endpoint: string;
  /** ISO timestamp: the memo's created and modified */
  created: string;
  /** the model's reply */
  reply: string;
}

/** The model's reply as a memo body: a code fence around the whole reply removed, line endings LF, trimmed. */
function draftBody(reply: string): string {
  let body = reply.replace(/\r\n?/g, '\n').trim();
  const fence = /^```[A-Za-z]*\n([\s\S]*?)\n?```$/.exec(body);
  if (fence) body = fence[1].trim();
  return body;
}

/** The draft memo, its front matter marking it AI-written with the model, endpoint and prompt version. */
export function memoDraft(input: MemoDraftInput): Memo {
  const body = draftBody(input.reply);
  if (!body) throw new Error(`The model (${input.model}) answered with an empty text: no memo was drafted.`);
  const single = (s: string): string => s.replace(/[\r\n]+/g, ' ');
  return {
    id: input.id,
    target: input.target,
    author: `AI: ${single(input.model)}`,
    created: input.created,
    modified: input.created,
    body,
    otherFrontMatter: [
      'draft: true',
      `generatedBy: ${yamlValue(single(input.model))}`,
      `endpoint: ${yamlValue(single(input.endpoint))}`,
      `promptVersion: ${MEMO_PROMPT_VERSION}`,
    ].join('\n'),
  };
}

/** The draft memo's file text (core/memo.ts serializeMemo). */
export function memoDraftText(input: MemoDraftInput): string {
  return serializeMemo(memoDraft(input));
}
