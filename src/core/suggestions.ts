// AI suggestions (issue 17): a suggestion is a coding of the coder `AI: <model>` with a `suggestion`
// record (model.ts). A pending or rejected one never counts (the one analysis leaves it out as
// 'suggestion'); an accepted one counts like any coding of its coder. This file holds the pure rules:
// the coder's name, what counts, listing, the no-duplicates key, deciding, and the report's summary.
import type { Code, Coding, Suggestion } from './model';
import { nameKey } from './project';
import { DEFAULT_OVERLAP, compareCoders, compareManyCoders, segmentAgreement } from './agreement';
import type { AgreementDocument } from './agreement';

/** The name of the coder whose codings a model suggested. */
export function aiCoder(model: string): string {
  return `AI: ${model}`;
}

/** The prefix of every AI coder's name. */
export const AI_CODER_PREFIX = 'AI: ';

/** True for a coder name of the form `AI: <model>`. */
export function isAiCoder(coder: string): boolean {
  return coder.startsWith(AI_CODER_PREFIX);
}

/** One suggestion to add: a span of the transcript's LF text and the model's code. */
export interface NewSuggestion {
  start: number;
  end: number;
  /** the code name the model answered, exactly */
  code: string;
  /** given: an existing code; absent: a proposed new code named `code` */
  codeId?: string;
  reason?: string;
}

/** Where a batch of suggestions came from. */
export interface SuggestionSource {
  model: string;
  endpoint: string;
  promptVersion: string;
  /** ISO timestamp the suggestions were asked for (the codings' `created`) */
  requested: string;
}

/** True when a coding counts as a coding: it is no suggestion, or an accepted one. */
export function isCountedSuggestion(c: Pick<Coding, 'suggestion'>): boolean {
  return !c.suggestion || c.suggestion.status === 'accepted';
}

/** True for a pending or rejected suggestion (one that never counts). */
export function isUncountedSuggestion(c: Pick<Coding, 'suggestion'>): boolean {
  return !!c.suggestion && c.suggestion.status !== 'accepted';
}

/**
 * True when a coding is one of its coder's codings for agreement: every coding that counts, and an AI
 * coder's pending suggestions too (the AI is compared with what it suggested, not with what a person
 * kept of it); never a rejected one.
 */
export function isAgreementCoding(c: Pick<Coding, 'suggestion'>): boolean {
  return !c.suggestion || c.suggestion.status !== 'rejected';
}

const byStart = (a: Coding, b: Coding) => a.anchor.start - b.anchor.start || a.anchor.end - b.anchor.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The pending suggestions (rejected ones too with `includeRejected`; accepted ones are codings now) of
 * `docs`, by path, then start.
 */
export function listSuggestions(docs: readonly { path: string; codings: readonly Coding[] }[], opts: { includeRejected?: boolean } = {}): { path: string; coding: Coding }[] {
  const out: { path: string; coding: Coding }[] = [];
  const sorted = [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const doc of sorted) {
    const mine = doc.codings.filter((c) => c.suggestion && (c.suggestion.status === 'pending' || (opts.includeRejected && c.suggestion.status === 'rejected')));
    for (const coding of [...mine].sort(byStart)) out.push({ path: doc.path, coding });
  }
  return out;
}

/**
 * The suggestions under a cursor (start === end: the suggestion contains the offset, its end excluded)
 * or touching a selection: pending ones, rejected ones too with `includeRejected`; orphans never.
 * Sorted by start, longest first (as query.ts `codingsAt` sorts codings).
 */
export function suggestionsAt(codings: readonly Coding[], start: number, end: number = start, opts: { includeRejected?: boolean } = {}): Coding[] {
  return codings
    .filter((c) => c.suggestion && !c.orphaned && (c.suggestion.status === 'pending' || (opts.includeRejected && c.suggestion.status === 'rejected')))
    .filter((c) => (start === end ? c.anchor.start <= start && start < c.anchor.end : c.anchor.start < end && c.anchor.end > start))
    .sort((a, b) => a.anchor.start - b.anchor.start || b.anchor.end - a.anchor.end);
}

/**
 * The keys under which a coding (or a new suggestion) is the same as another of its coder: its span
 * with its code id, and with the code's name ignoring case (the name the model answered, and the
 * codebook's name of its code, via `codeName`), so that a proposed code is matched by name.
 */
function sameKeys(c: Pick<Coding, 'coder' | 'codeId' | 'anchor' | 'suggestion'>, codeName?: (id: string) => string | undefined): string[] {
  const at = `${c.coder}\u0000${c.anchor.start}\u0000${c.anchor.end}\u0000`;
  const keys: string[] = [];
  if (c.codeId) keys.push(`${at}id:${c.codeId}`);
  if (c.suggestion) keys.push(`${at}name:${nameKey(c.suggestion.code)}`);
  const name = c.codeId ? codeName?.(c.codeId) : undefined;
  if (name !== undefined) keys.push(`${at}name:${nameKey(name)}`);
  return keys;
}

/**
 * The candidates that are new: not the same coder, span and code (by id, or by name ignoring case) as
 * a coding of `existing` in any status (a rejected suggestion is not suggested again), nor as an
 * earlier candidate.
 */
export function newSuggestions(existing: readonly Coding[], candidates: readonly Coding[], codeName?: (id: string) => string | undefined): Coding[] {
  const coders = new Set(candidates.map((c) => c.coder));
  const seen = new Set<string>();
  for (const c of existing) if (coders.has(c.coder)) for (const k of sameKeys(c, codeName)) seen.add(k);
  const out: Coding[] = [];
  for (const c of candidates) {
    const keys = sameKeys(c, codeName);
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    out.push(c);
  }
  return out;
}

/** The suggestion record of a new suggestion (key order as in the file). */
export function suggestionRecord(item: NewSuggestion, source: SuggestionSource): Suggestion {
  return {
    status: 'pending',
    model: source.model,
    endpoint: source.endpoint,
    promptVersion: source.promptVersion,
    requested: source.requested,
    ...(item.reason ? { reason: item.reason } : {}),
    code: item.code,
    ...(item.codeId ? {} : { proposed: true as const }),
  };
}

/** What one model suggested, for the report's methods appendix. */
export interface AiModelSummary {
  /** `AI: <model>` */
  coder: string;
  model: string;
  /** every suggestion in the sidecars (pending, accepted and rejected) */
  suggested: number;
  pending: number;
  accepted: number;
  rejected: number;
  /** accepted with another code than the model's */
  changed: number;
  /** suggestions of a proposed new code */
  proposed: number;
}

/** The agreement of one AI coder with one human coder (its pending and accepted suggestions against the human's codings). */
export interface HumanAiAgreement {
  ai: string;
  human: string;
  /** Cohen's kappa by character, over all codes and documents */
  kappa: number;
  /** share of characters agreed */
  agreement: number;
  /** segment agreement at `overlap` (docs/AGREEMENT.md) */
  segments: { agreed: number; segments: number };
  segmentAgreement: number;
}

export interface AiSummary {
  /** by coder name */
  models: AiModelSummary[];
  /** per AI coder, per human coder (by name) */
  agreement: HumanAiAgreement[];
  /** the segment overlap used */
  overlap: number;
}


/**
 * The methods appendix's numbers: per model (by coder name), how many codings it suggested and how
 * many of them are pending, accepted (of which changed) and rejected; and the human-AI agreement of
 * every AI coder with every human coder who coded: Cohen's kappa by character over all codes and
 * documents, and the segment agreement at `overlap` (core/agreement.ts). The AI is compared by its
 * pending and accepted suggestions, the humans by their codings (orphans left out), only in the
 * documents whose text length is known (`length` not undefined).
 */
export function aiSummary(documents: readonly { path: string; length?: number; codings: readonly Coding[] }[], options: { codes?: readonly Code[]; overlap?: number } = {}): AiSummary {
  const overlap = options.overlap ?? DEFAULT_OVERLAP;
  const models = new Map<string, AiModelSummary>();
  const humans = new Set<string>();
  for (const d of documents) {
    for (const c of d.codings) {
      const s = c.suggestion;
      if (!s) {
        if (!isAiCoder(c.coder) && !c.orphaned) humans.add(c.coder);
        continue;
      }
      let m = models.get(c.coder);
      if (!m) models.set(c.coder, (m = { coder: c.coder, model: s.model, suggested: 0, pending: 0, accepted: 0, rejected: 0, changed: 0, proposed: 0 }));
      m.suggested++;
      m[s.status]++;
      if (s.status === 'accepted' && s.changed) m.changed++;
      if (s.proposed) m.proposed++;
    }
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const agreement: HumanAiAgreement[] = [];
  const compared: AgreementDocument[] = documents.filter((d): d is AgreementDocument & { codings: readonly Coding[] } => d.length !== undefined);
  for (const ai of [...models.keys()].sort(byName)) {
    for (const human of [...humans].sort(byName)) {
      const pair: [string, string] = [ai, human];
      const kappaOf = compareCoders(compared, pair, { codes: options.codes });
      if (!kappaOf.codeIds.length) continue;
      const segments = compareManyCoders(compared, pair, { codes: options.codes, overlap }).pairs[0].overall.segments;
      agreement.push({ ai, human, kappa: kappaOf.overall.kappa, agreement: kappaOf.overall.agreement, segments, segmentAgreement: segmentAgreement(segments) });
    }
  }
  return { models: [...models.values()].sort((a, b) => byName(a.coder, b.coder)), agreement, overlap };
}

/**
 * What is wrong with a coding's suggestion record that the file format alone does not refuse (a hand
 * edit, a merge, another tool): for `grounded check`. Each with the field it is about.
 */
export function suggestionProblems(c: Coding): { field: string; message: string }[] {
  const s = c.suggestion;
  if (!s) return [];
  const out: { field: string; message: string }[] = [];
  if (c.coder !== aiCoder(s.model)) out.push({ field: 'coder', message: `the coder of a suggestion of the model "${s.model}" is "${aiCoder(s.model)}", not "${c.coder}"` });
  if (s.status === 'pending') {
    if (s.decidedBy !== undefined || s.decided !== undefined) out.push({ field: s.decidedBy !== undefined ? 'decidedBy' : 'decided', message: 'a pending suggestion has no decision yet, but this one has decidedBy or decided' });
    if (s.changed) out.push({ field: 'changed', message: 'a pending suggestion cannot have been accepted with another code (changed)' });
  } else {
    if (s.decidedBy === undefined) out.push({ field: s.decided !== undefined ? 'decided' : 'status', message: `${s.status === 'accepted' ? 'an' : 'a'} ${s.status} suggestion says who decided (decidedBy), but this one does not` });
    if (s.decided === undefined) out.push({ field: s.decidedBy !== undefined ? 'decidedBy' : 'status', message: `${s.status === 'accepted' ? 'an' : 'a'} ${s.status} suggestion says when it was decided (decided), but this one does not` });
    if (s.status === 'rejected' && s.changed) out.push({ field: 'changed', message: 'a rejected suggestion cannot have been accepted with another code (changed)' });
  }
  if (s.status !== 'accepted' && s.proposed && c.codeId !== '') out.push({ field: 'codeId', message: `a ${s.status} suggestion of a proposed new code has no code yet (codeId ""), but this one has ${c.codeId}` });
  if (s.requested !== c.created) out.push({ field: 'requested', message: `requested (${s.requested}) differs from the coding's created (${c.created})` });
  return out;
}
