// Where AI suggestions come from (issue 17): the settings grounded.ai.provider, grounded.ai.endpoint and
// grounded.ai.model; the project's switch (workspace state, off until turned on); the provider itself (an
// OpenAI-compatible endpoint through the Node ChatPort, or a model VS Code offers through vscode.lm); and
// the consent asked before any text leaves the machine. An adapter only: the prompt, the reply's parsing
// and the quotes' placement are core's (core/suggest.ts).
import * as vscode from 'vscode';
import { ChatError, isLoopback } from '../core/chat';
import type { ChatCompleteOptions, ChatPort, ChatRequest } from '../core/chat';
import { HttpChatPort } from '../cli/chatHttp';
import { ActionableError } from './errors';
import type { NotificationAction } from './errors';

const SECTION = 'grounded.ai';
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:11434/v1';
/** How long one request may take before it is given up, unless grounded.ai.timeoutSeconds says otherwise. */
const DEFAULT_TIMEOUT_SECONDS = 120;

export type ProviderKind = 'endpoint' | 'vscode.lm';

export interface AiSettings {
  provider: ProviderKind;
  endpoint: string;
  model: string;
  /** one request's time limit */
  timeoutMs: number;
}

/** The AI settings as they are now. */
export function aiSettings(): AiSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const provider = c.get<string>('provider') === 'vscode.lm' ? 'vscode.lm' : 'endpoint';
  const endpoint = (c.get<string>('endpoint') ?? '').trim() || DEFAULT_ENDPOINT;
  const seconds = c.get<number>('timeoutSeconds');
  const timeoutMs = Math.round((typeof seconds === 'number' && seconds >= 1 ? seconds : DEFAULT_TIMEOUT_SECONDS) * 1000);
  return { provider, endpoint: endpoint.replace(/\/+$/, ''), model: (c.get<string>('model') ?? '').trim(), timeoutMs };
}

/** Writes one AI setting where it is set now (the workspace's, else the user's). */
export async function saveAiSetting(key: 'provider' | 'endpoint' | 'model', value: string): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const inspected = c.inspect(key);
  const target = inspected?.workspaceValue !== undefined || !inspected?.globalValue ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update(key, value, target);
}

/**
 * The models an endpoint on this machine lists (`GET {endpoint}/models`, as Ollama, llama.cpp server and
 * LM Studio answer), for picking one; empty when it is remote (nothing is asked of it before consent),
 * not running, or lists none.
 */
export async function listLocalModels(endpoint: string): Promise<string[]> {
  try {
    if (!isLoopback(endpoint)) return [];
    const response = await fetch(`${endpoint.replace(/\/+$/, '')}/models`, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) return [];
    const body = (await response.json()) as { data?: { id?: unknown }[] };
    const ids = (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string' && id.trim() !== '');
    return [...new Set(ids)].sort();
  } catch {
    return [];
  }
}

/** The button that opens the AI settings. */
export function openAiSettings(): NotificationAction {
  return { title: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'grounded.ai') };
}

/** The workspace-state key of the project's switch, and the context key the menus read. */
export const AI_ENABLED_KEY = 'grounded.ai.enabled';
const CONTEXT_KEY = 'grounded.aiEnabled';

/** Whether AI suggestions are on for this project: this user's choice, in workspace state (never committed). */
export class AiSwitch {
  constructor(private readonly memento: vscode.Memento) {
    void this.publish();
  }

  get enabled(): boolean {
    return this.memento.get<boolean>(AI_ENABLED_KEY) === true;
  }

  async set(on: boolean): Promise<void> {
    await this.memento.update(AI_ENABLED_KEY, on ? true : undefined);
    await this.publish();
  }

  private async publish(): Promise<void> {
    await vscode.commands.executeCommand('setContext', CONTEXT_KEY, this.enabled);
  }
}

/** One place to ask for a model's answers: an endpoint, or a model of VS Code. */
export interface AiProvider {
  /** the model's name as the endpoint or vscode.lm gives it (the coder is `AI: <model>`) */
  model: string;
  /** the endpoint's base URL, or `vscode.lm:<vendor>/<id>` (recorded on every suggestion) */
  endpoint: string;
  /** true when text sent there leaves this machine (consent first) */
  remote: boolean;
  /** what the user reads: the endpoint's URL, or the model and its vendor */
  where: string;
  /** asks the model (the endpoint argument is `endpoint`); throws ChatError */
  port: ChatPort;
  /** one request's time limit */
  timeoutMs: number;
}

/** The provider the settings name; throws an ActionableError saying what to set when it cannot be used. */
export async function resolveProvider(settings = aiSettings()): Promise<AiProvider> {
  return settings.provider === 'vscode.lm' ? languageModelProvider(settings.model, settings.timeoutMs) : endpointProvider(settings);
}

function endpointProvider({ endpoint, model, timeoutMs }: AiSettings): AiProvider {
  let remote: boolean;
  try {
    remote = !isLoopback(endpoint);
  } catch {
    throw new ActionableError(vscode.l10n.t('The setting grounded.ai.endpoint ({0}) is not an http:// or https:// URL. Set the base URL of an OpenAI-compatible endpoint, for example {1}.', endpoint, DEFAULT_ENDPOINT), [openAiSettings()]);
  }
  if (!model) {
    throw new ActionableError(vscode.l10n.t('No model is set: set grounded.ai.model to the model to ask at {0} (for example llama3.1:8b in Ollama).', endpoint), [openAiSettings()]);
  }
  return { model, endpoint, remote, where: endpoint, port: new HttpChatPort(), timeoutMs };
}

/** The first model VS Code offers (by the configured id, else family); a clear message when there is none. */
async function languageModelProvider(configured: string, timeoutMs: number): Promise<AiProvider> {
  let models = await vscode.lm.selectChatModels(configured ? { id: configured } : {});
  if (models.length === 0 && configured) models = await vscode.lm.selectChatModels({ family: configured });
  const chosen = models[0];
  if (!chosen) {
    const useEndpoint: NotificationAction = {
      title: vscode.l10n.t('Use an Endpoint Instead'),
      run: async () => {
        await saveAiSetting('provider', 'endpoint');
        await vscode.commands.executeCommand('workbench.action.openSettings', 'grounded.ai');
      },
    };
    const message = configured
      ? vscode.l10n.t('VS Code offers no language model "{0}" (grounded.ai.provider is vscode.lm). Install or sign in to an extension that provides it (such as GitHub Copilot), change grounded.ai.model, or use an OpenAI-compatible endpoint such as Ollama on this machine.', configured)
      : vscode.l10n.t('VS Code offers no language model (grounded.ai.provider is vscode.lm). Install or sign in to an extension that provides one (such as GitHub Copilot), or use an OpenAI-compatible endpoint such as Ollama on this machine.');
    throw new ActionableError(message, [useEndpoint, openAiSettings()]);
  }
  return {
    model: chosen.id,
    endpoint: `vscode.lm:${chosen.vendor}/${chosen.id}`,
    // vscode.lm says nothing of where a model runs: every one is treated as remote.
    remote: true,
    where: vscode.l10n.t('the model {0} of {1} (a VS Code language model)', chosen.name, chosen.vendor),
    port: { complete: (_endpoint, request, opts) => completeWithLanguageModel(chosen, request, opts) },
    timeoutMs,
  };
}

/** Sends the prompt to a vscode.lm model and reads its text stream; errors become ChatErrors. */
async function completeWithLanguageModel(model: vscode.LanguageModelChat, request: ChatRequest, { timeoutMs, signal }: ChatCompleteOptions): Promise<string> {
  // vscode.lm has no system role: the instructions go first, as the user's.
  const messages = request.messages.map((m) => (m.role === 'assistant' ? vscode.LanguageModelChatMessage.Assistant(m.content) : vscode.LanguageModelChatMessage.User(m.content)));
  const cancel = new vscode.CancellationTokenSource();
  const onAbort = () => cancel.cancel();
  signal?.addEventListener('abort', onAbort);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    cancel.cancel();
  }, timeoutMs);
  try {
    const response = await model.sendRequest(messages, { justification: vscode.l10n.t('Grounded asks the model to suggest codes for transcripts, or to draft a memo.') }, cancel.token);
    let text = '';
    for await (const part of response.text) text += part;
    return text;
  } catch (err) {
    if (timedOut) throw new ChatError('timeout', vscode.l10n.t('{0} did not answer within {1} seconds.', model.name, Math.round(timeoutMs / 1000)));
    if (signal?.aborted) throw new ChatError('cancelled', vscode.l10n.t('Cancelled.'));
    if (err instanceof ChatError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new ChatError('http', vscode.l10n.t('{0} answered with an error: {1}', model.name, message));
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    cancel.dispose();
  }
}

/**
 * Asks before text goes to a remote endpoint or a VS Code model: a modal naming where it goes and the
 * transcripts. True when it may be sent (a loopback endpoint needs no question). Asked every time:
 * a consent is never carried over silently, to another endpoint or another batch of transcripts.
 */
export async function consentToSend(provider: AiProvider, paths: readonly string[], what: 'suggest' | 'memo'): Promise<boolean> {
  if (!provider.remote) return true;
  const names = paths.length <= 5 ? paths.join(', ') : vscode.l10n.t('{0} and {1} more', paths.slice(0, 3).join(', '), paths.length - 3);
  const message =
    paths.length === 1
      ? vscode.l10n.t('Send the text of {0} to {1}?', paths[0], provider.where)
      : vscode.l10n.t('Send the text of {0} transcripts to {1}?', paths.length, provider.where);
  const detail =
    what === 'suggest'
      ? vscode.l10n.t('{0} is not on this machine. To suggest codes, Grounded sends it the codebook and the words to code from: {1}. Check that your ethics approval and your participants\' consent allow this. Nothing is sent unless you press Send.', provider.where, names)
      : vscode.l10n.t('{0} is not on this machine. To draft the memo, Grounded sends it the code and its coded segments from: {1}. Check that your ethics approval and your participants\' consent allow this. Nothing is sent unless you press Send.', provider.where, names);
  const send = vscode.l10n.t('Send');
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, send);
  return choice === send;
}

/** What a failed request means, and what to do about it. */
export function explainFailure(err: unknown, provider: AiProvider): { message: string; actions: NotificationAction[] } {
  const detail = err instanceof Error ? err.message : String(err);
  const isEndpoint = !provider.endpoint.startsWith('vscode.lm:');
  if (err instanceof ChatError) {
    switch (err.kind) {
      case 'network': {
        // the HTTP port says "Could not reach the endpoint … (ECONNREFUSED)."; the cause is what is new here
        const cause = /\(([^()]+)\)\.?$/.exec(detail)?.[1] ?? detail;
        return {
          message: vscode.l10n.t('Could not reach {0}. Is Ollama (or your OpenAI-compatible server) running at {0}? ({1})', provider.endpoint, cause),
          actions: [openAiSettings()],
        };
      }
      case 'timeout':
        return {
          message: vscode.l10n.t('{0} did not answer within {1} seconds. A large model can be slow: try a smaller selection, a smaller model, a longer grounded.ai.timeoutSeconds, or again later.', provider.where, Math.round(provider.timeoutMs / 1000)),
          actions: [openAiSettings()],
        };
      case 'malformed':
        return {
          message: vscode.l10n.t('The reply of {0} was not the JSON Grounded asked for ({1}). Nothing was stored from it. Try again, or another model.', provider.model, detail),
          actions: [],
        };
      case 'http':
        return {
          message:
            isEndpoint && err.status === 404
              ? vscode.l10n.t('{0} answered 404 ({1}). Is the model "{2}" there (for Ollama: ollama pull {2}), and does the endpoint end in /v1?', provider.endpoint, detail, provider.model)
              : vscode.l10n.t('{0} answered with an error: {1}', provider.where, detail),
          actions: [openAiSettings()],
        };
      case 'cancelled':
        return { message: vscode.l10n.t('Cancelled.'), actions: [] };
    }
  }
  return { message: vscode.l10n.t('Asking {0} failed: {1}', provider.where, detail), actions: [openAiSettings()] };
}
