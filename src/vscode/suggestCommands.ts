// AI suggestions from VS Code (issue 17): Turn On / Turn Off for the project, Suggest Codes (the selection
// or the turn at the cursor, this transcript, picked transcripts) with progress and cancel, and Draft
// Memo with AI. The suggestions are stored through the session (one undoable transaction per
// transcript) as pending codings of the coder `AI: <model>`: they count nowhere until a person accepts
// them (the Suggestions view, H4's). Never silent: every run ends with what was added, what was already
// there, what was dropped, or what went wrong and what to do.
import * as vscode from 'vscode';
import type { Memo, MemoTarget } from '../core/model';
import { descendantsOf } from '../core/codebook';
import { aiCoder } from '../core/suggestions';
import { PROMPT_VERSION, chunksOf, memoDraft, memoDraftInputs, memoDraftRequest, suggestAll } from '../core/suggest';
import type { SuggestTarget } from '../core/suggest';
import { ChatError } from '../core/chat';
import { wordsAtCursor } from '../core/wordsAtCursor';
import type { Environment } from '../core/ports';
import { ActionableError, notify, showError } from './errors';
import type { NotificationAction } from './errors';
import { activeTranscript, ensureProject } from './commands';
import type { CommandTable, Services } from './commands';
import { lineIndexOf } from './convert';
import { transcriptText } from './texts';
import type { EditorSession } from './session';
import type { MemoService } from './memos';
import type { WorkspaceIndex } from './workspaceIndex';
import { aiSettings, consentToSend, listLocalModels, explainFailure, openAiSettings, resolveProvider, saveAiSetting } from './aiProvider';
import type { AiProvider, AiSwitch } from './aiProvider';
import { resolveCode } from './viewCommands';
import { readPseudonymTable } from './exportCommands';
import type { CodeArg } from './viewCommands';

export interface SuggestServices extends Services {
  editorSession: EditorSession;
  index: WorkspaceIndex;
  memos: MemoService;
  env: Environment;
  ai: AiSwitch;
}

/** How many requests run at once, how often a retryable failure is tried again, and the first wait. */
const CONCURRENCY = 2;
const RETRIES = 2;
const BACKOFF_MS = 1000;

/** What one run of Suggest Codes did (returned to tests and other extensions). */
export interface SuggestOutcome {
  added: number;
  skipped: number;
  dropped: number;
  proposed: string[];
  /** requests that failed (after their retries) */
  failed: number;
  /** transcripts that got nothing because one of their requests failed or was cancelled */
  incomplete: string[];
  cancelled: boolean;
}

/** Arguments for tests and other extensions: the transcripts to suggest for, without the picker. */
export interface SuggestArgs {
  paths?: string[];
}

export function createSuggestCommands(s: SuggestServices): CommandTable {
  return {
    'grounded.turnOnAi': () => turnOn(s),
    'grounded.turnOffAi': () => turnOff(s),
    'grounded.suggestCodes': () => suggestForSelection(s),
    'grounded.suggestCodesForTranscript': () => suggestForActiveTranscript(s),
    'grounded.suggestCodesForTranscripts': (args?: SuggestArgs) => suggestForTranscripts(s, args ?? {}),
    'grounded.draftMemoWithAi': (arg?: CodeArg) => draftMemo(s, arg),
  };
}

/** Explains what turning on means (one modal), asks for the model when none is set, and turns it on. */
async function turnOn(s: SuggestServices): Promise<boolean> {
  if (!(await ensureProject(s))) return false;
  if (s.ai.enabled) {
    notify('info', vscode.l10n.t('Grounded: AI suggestions are already on for this project.'), turnOffAction());
    return false;
  }
  const settings = aiSettings();
  const where =
    settings.provider === 'vscode.lm'
      ? vscode.l10n.t('The provider set is vscode.lm: a language model VS Code offers (for example through GitHub Copilot). Such a model is treated as remote: Grounded asks you, each time, before it sends any text, naming the model and the transcripts.')
      : vscode.l10n.t('The model is asked at {0}. On this machine (the default, for Ollama, llama.cpp server or LM Studio) nothing leaves the machine; for any other endpoint Grounded asks you, each time, before it sends any text, naming the endpoint and the transcripts.', settings.endpoint);
  const detail = [
    vscode.l10n.t('A language model suggests codes for the words you choose, from your codebook. Each suggestion is stored in the sidecar as a pending coding of the coder "AI: <model>", with the model and the time, and counts nowhere until you accept it. Rejected suggestions stay in the file for the audit.'),
    where,
    vscode.l10n.t('This is your choice for this workspace only; turn it off at any time.'),
  ].join('\n\n');
  const turnOnLabel = vscode.l10n.t('Turn On');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Turn on AI suggestions for this project?'), { modal: true, detail }, turnOnLabel);
  if (choice !== turnOnLabel) {
    notify('info', vscode.l10n.t('Grounded: AI suggestions stay off.'));
    return false;
  }
  if (settings.provider === 'endpoint' && !settings.model) {
    const model = await askModel(settings.endpoint);
    if (!model) {
      notify('info', vscode.l10n.t('Grounded: AI suggestions stay off: no model was given.'), { title: vscode.l10n.t('Turn On…'), run: () => vscode.commands.executeCommand('grounded.turnOnAi') });
      return false;
    }
    await saveAiSetting('model', model);
  }
  await s.ai.set(true);
  const now = aiSettings();
  notify(
    'info',
    now.provider === 'vscode.lm'
      ? vscode.l10n.t('Grounded: AI suggestions are on for this project, from a VS Code language model. Select words in a transcript and press {0} (Suggest Codes).', suggestKey)
      : vscode.l10n.t('Grounded: AI suggestions are on for this project, from {0} at {1}. Select words in a transcript and press {2} (Suggest Codes).', now.model, now.endpoint, suggestKey),
  );
  return true;
}

/**
 * The model to ask at the endpoint: picked from the models a local endpoint lists (GET /models, no text
 * sent), else typed.
 */
async function askModel(endpoint: string): Promise<string | undefined> {
  const listed = await listLocalModels(endpoint);
  if (listed.length > 0) {
    const other = vscode.l10n.t('$(edit) Another Model…');
    const picked = await vscode.window.showQuickPick([...listed.map((id) => ({ label: id })), { label: other }], {
      title: vscode.l10n.t('Grounded: The Model to Ask'),
      placeHolder: vscode.l10n.t('The models at {0} (saved in the setting grounded.ai.model)', endpoint),
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked.label !== other) return picked.label;
  }
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Grounded: The Model to Ask'),
    prompt: vscode.l10n.t('The model at {0}, as the endpoint names it (saved in the setting grounded.ai.model)', endpoint),
    placeHolder: vscode.l10n.t('for example llama3.1:8b'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Name the model to ask.')),
  });
  return typed?.trim() || undefined;
}

const suggestKey = process.platform === 'darwin' ? 'Cmd+Alt+Q S' : 'Alt+Q S';

function turnOffAction(): NotificationAction {
  return { title: vscode.l10n.t('Turn Off'), run: () => vscode.commands.executeCommand('grounded.turnOffAi') };
}

async function turnOff(s: SuggestServices): Promise<void> {
  if (!s.ai.enabled) {
    notify('info', vscode.l10n.t('Grounded: AI suggestions are already off for this project.'));
    return;
  }
  await s.ai.set(false);
  notify('info', vscode.l10n.t('Grounded: AI suggestions are off for this project. Suggestions already made stay in the sidecars until you accept or reject them.'));
}

/** Throws the way forward when AI suggestions are off (or there is no project). */
async function ready(s: SuggestServices): Promise<boolean> {
  if (!s.ai.enabled) {
    throw new ActionableError(vscode.l10n.t('AI suggestions are off for this project. Turn them on to ask a model to suggest codes; nothing is sent anywhere until then.'), [
      { title: vscode.l10n.t('Turn On…'), run: () => vscode.commands.executeCommand('grounded.turnOnAi') },
    ]);
  }
  return ensureProject(s);
}

/** One transcript to suggest for: its LF text as it was when asked, and the spans to send (none: all of it, in chunks at speaker turns). */
interface Target {
  path: string;
  text: string;
  ranges?: [number, number][];
}

/** The selection, else the speaker turn (or paragraph) at each cursor. */
async function suggestForSelection(s: SuggestServices): Promise<SuggestOutcome | undefined> {
  if (!(await ready(s))) return undefined;
  const editor = activeTranscript(s);
  const index = lineIndexOf(editor.document);
  let ranges = editor.selections.map((sel) => [index.offsetAt(sel.start), index.offsetAt(sel.end)] as [number, number]).filter(([a, b]) => b > a);
  if (ranges.length === 0) {
    const found = new Map<number, [number, number]>();
    for (const sel of editor.selections) {
      const words = wordsAtCursor(index.text, index.offsetAt(sel.active));
      if (words) found.set(words.start, [words.start, words.end]);
    }
    ranges = [...found.values()].sort((a, b) => a[0] - b[0]);
  }
  if (ranges.length === 0) {
    throw new ActionableError(vscode.l10n.t('Nothing is selected, and the cursor is not in a speaker turn or a paragraph. Select the words to ask about, or put the cursor in a turn.'));
  }
  return suggest(s, [{ path: pathOf(s, editor.document.uri), text: index.text, ranges }]);
}

async function suggestForActiveTranscript(s: SuggestServices): Promise<SuggestOutcome | undefined> {
  if (!(await ready(s))) return undefined;
  const editor = activeTranscript(s);
  const text = lineIndexOf(editor.document).text;
  return suggest(s, [{ path: pathOf(s, editor.document.uri), text }]);
}

async function suggestForTranscripts(s: SuggestServices, args: SuggestArgs): Promise<SuggestOutcome | undefined> {
  if (!(await ready(s))) return undefined;
  await s.index.ready;
  const all = s.index.transcripts;
  if (all.length === 0) throw new ActionableError(vscode.l10n.t('The project has no transcripts yet.'));
  let paths = args.paths;
  if (!paths) {
    const picked = await vscode.window.showQuickPick(
      all.map((p) => ({ label: p })),
      { title: vscode.l10n.t('Grounded: Suggest Codes for Transcripts'), placeHolder: vscode.l10n.t('Pick the transcripts a model should suggest codes for'), canPickMany: true },
    );
    if (!picked || picked.length === 0) {
      notify('info', vscode.l10n.t('Grounded: no transcript was picked: nothing was asked.'));
      return undefined;
    }
    paths = picked.map((p) => p.label);
  }
  const targets: Target[] = [];
  for (const path of paths) {
    const text = await transcriptText(s.fs, path);
    if (text === undefined) throw new ActionableError(vscode.l10n.t('{0} could not be read: nothing was asked.', path));
    targets.push({ path, text });
  }
  return suggest(s, targets);
}

function pathOf(s: SuggestServices, uri: vscode.Uri): string {
  const path = s.fs.relative(uri);
  if (path === undefined) throw new Error(vscode.l10n.t('This transcript is outside the workspace folder: open it from the folder of the project.'));
  return path;
}

/** Asks the model for every span of every target (bounded, with retries), then stores per transcript. */
async function suggest(s: SuggestServices, targets: Target[]): Promise<SuggestOutcome | undefined> {
  const provider = await resolveProvider();
  if (!(await consentToSend(provider, targets.map((t) => t.path), 'suggest'))) {
    notify('info', vscode.l10n.t('Grounded: nothing was sent to {0}.', provider.where));
    return undefined;
  }
  const codes = s.project.project?.codes ?? [];
  const requested = s.env.now();
  let cancelled = false;
  // A selection or turn is sent whole; a transcript in chunks at speaker turns (suggestAll).
  const spans: SuggestTarget[] = targets.flatMap((t) => (t.ranges ? t.ranges.map((range) => ({ path: t.path, text: t.text, range })) : [{ path: t.path, text: t.text }]));
  const requests = spans.reduce((n, span) => n + chunksOf(span.text, span.range).length, 0);
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Grounded: asking {0} to suggest codes', provider.where), cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => {
        cancelled = true;
        abort.abort();
      });
      progress.report({ message: vscode.l10n.t('{0} of {1} requests answered', 0, requests) });
      return suggestAll(provider.port, spans, {
        endpoint: provider.endpoint,
        model: provider.model,
        codes,
        timeoutMs: provider.timeoutMs,
        concurrency: CONCURRENCY,
        retries: RETRIES,
        backoffMs: BACKOFF_MS,
        signal: abort.signal,
        onProgress: (done, total) => progress.report({ increment: 100 / total, message: vscode.l10n.t('{0} of {1} requests answered', done, total) }),
      });
    },
  );
  const outcome: SuggestOutcome = { added: 0, skipped: 0, dropped: 0, proposed: [], failed: 0, incomplete: [], cancelled };
  const failures: { path: string; error: Error }[] = [];
  const changed: string[] = [];
  const source = { model: provider.model, endpoint: provider.endpoint, promptVersion: PROMPT_VERSION, requested };
  for (const target of targets) {
    const mine = results.filter((_r, i) => spans[i].path === target.path);
    const failed = mine.filter((r) => r.error);
    for (const r of failed) {
      if (r.error instanceof ChatError && r.error.kind === 'cancelled') continue;
      outcome.failed++;
      failures.push({ path: target.path, error: r.error! });
    }
    // A transcript one of whose requests failed or was cancelled gets nothing: no half-done transcript.
    if (failed.length) {
      outcome.incomplete.push(target.path);
      continue;
    }
    outcome.dropped += mine.reduce((n, r) => n + r.dropped.length, 0);
    const items = mine.flatMap((r) => r.items);
    if (items.length === 0) continue;
    // The spans are offsets in the text that was sent: if it changed meanwhile, nothing is stored for it.
    if ((await transcriptText(s.fs, target.path)) !== target.text) {
      changed.push(target.path);
      continue;
    }
    const { added, skipped } = await s.session.addSuggestions(target.path, target.text, items, source, vscode.l10n.t('Suggested codes from {0} in {1}.', aiCoder(provider.model), target.path));
    outcome.added += added.length;
    outcome.skipped += skipped;
    for (const c of added) if (c.suggestion?.proposed && !outcome.proposed.includes(c.suggestion.code)) outcome.proposed.push(c.suggestion.code);
  }
  report(provider, outcome, failures, changed, targets.length);
  return outcome;
}

/** The messages at the end of a run: never silent, and what to do when something failed. */
function report(provider: AiProvider, o: SuggestOutcome, failures: { path: string; error: Error }[], changed: string[], transcripts: number): void {
  const coder = aiCoder(provider.model);
  const answered = transcripts - o.incomplete.length;
  if (answered > 0) {
    const parts: string[] = [];
    if (o.skipped) parts.push(vscode.l10n.t('{0} already there', o.skipped));
    if (o.dropped) parts.push(vscode.l10n.t('{0} quote(s) not found in the text (dropped)', o.dropped));
    if (o.proposed.length) parts.push(vscode.l10n.t('{0} proposed new code(s): {1}', o.proposed.length, o.proposed.join(', ')));
    const rest = parts.length ? ` (${parts.join('; ')})` : '';
    const head =
      o.added === 0
        ? vscode.l10n.t('Grounded: {0} suggested nothing new{1}.', coder, rest)
        : vscode.l10n.t('Grounded: {0} suggestion(s) of {1} added, pending your review: they count nowhere until you accept them{2}.', o.added, coder, rest);
    const cancelled = o.cancelled && o.incomplete.length ? ` ${vscode.l10n.t('Cancelled before {0} transcript(s) were done: nothing was stored for them.', o.incomplete.length)}` : '';
    const show: NotificationAction = { title: vscode.l10n.t('Show Suggestions'), run: () => vscode.commands.executeCommand('grounded.suggestions.focus') };
    notify('info', head + cancelled, ...(o.added > 0 ? [show] : []));
  } else if (o.cancelled) {
    notify('info', vscode.l10n.t('Grounded: cancelled: nothing was stored.'));
  }
  if (changed.length) {
    notify('warning', vscode.l10n.t('Grounded: {0} changed while the model was answering, so its suggestions were not stored. Ask again.', changed.join(', ')));
  }
  if (failures.length) {
    const { message, actions } = explainFailure(failures[0].error, provider);
    const paths = [...new Set(failures.map((f) => f.path))];
    const nothing = ` ${vscode.l10n.t('Nothing was stored for {0}.', paths.length <= 3 ? paths.join(', ') : vscode.l10n.t('{0} and {1} more', paths.slice(0, 3).join(', '), paths.length - 3))}`;
    if (actions.length) notify('warning', vscode.l10n.t('Grounded: {0}', message) + nothing, ...actions);
    else void showError(new Error(message + nothing));
  }
}

/** Summarises a code's (or category's) counted segments into a new memo file marked AI-written. */
async function draftMemo(s: SuggestServices, arg: CodeArg): Promise<string | undefined> {
  if (!(await ready(s))) return undefined;
  const code = await resolveCode({ project: s.project, session: s.editorSession }, arg, vscode.l10n.t('Grounded: Draft Memo with AI'));
  if (!code) return undefined;
  const project = s.project.project!;
  const ids = new Set([code.id, ...descendantsOf(project, code.id)]);
  const analysis = s.editorSession.analysis();
  const documents = (analysis?.documents ?? []).map((d) => ({ path: d.path, codings: d.codings.filter((c) => ids.has(c.codeId)) })).filter((d) => d.codings.length > 0);
  // Pseudonymised before anything is sent (a broken pseudonyms.json stops here, with its message).
  const { name, description, segments } = memoDraftInputs(project, code, documents, await readPseudonymTable(s.fs));
  if (segments.length === 0) {
    throw new ActionableError(vscode.l10n.t('"{0}" has no coded segments that count yet: there is nothing to summarise.', code.name));
  }
  const provider = await resolveProvider();
  const paths = documents.map((d) => d.path);
  if (!(await consentToSend(provider, paths, 'memo'))) {
    notify('info', vscode.l10n.t('Grounded: nothing was sent to {0}.', provider.where));
    return undefined;
  }
  let memo: Memo;
  try {
    memo = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Grounded: asking {0} to draft a memo about "{1}"', provider.where, code.name), cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        const request = memoDraftRequest(name, description, segments, provider.model);
        const reply = await provider.port.complete(provider.endpoint, request, { timeoutMs: provider.timeoutMs, signal: abort.signal });
        const target: MemoTarget = { kind: 'code', id: code.id };
        return memoDraft({ id: s.env.newId(), target, model: provider.model, endpoint: provider.endpoint, created: s.env.now(), reply });
      },
    );
  } catch (err) {
    if (err instanceof ChatError && err.kind === 'cancelled') {
      notify('info', vscode.l10n.t('Grounded: cancelled: no memo was written.'));
      return undefined;
    }
    const { message, actions } = explainFailure(err, provider);
    throw new ActionableError(vscode.l10n.t('{0} No memo was written.', message), actions.length ? actions : [openAiSettings()]);
  }
  // Always a new file (named after the code, with the memo's id): a memo already about the code is never touched.
  const result = await s.memos.store.create(memo, vscode.l10n.t('AI draft {0}', code.name));
  await s.memos.reload();
  await vscode.window.showTextDocument(s.fs.uri(result.path), { preview: false });
  notify('info', vscode.l10n.t('Grounded: {0} drafted a memo about "{1}" from {2} segment(s): {3}. It is marked AI-written; read it against the data before you keep it.', aiCoder(provider.model), code.name, segments.length, result.path));
  return result.path;
}
