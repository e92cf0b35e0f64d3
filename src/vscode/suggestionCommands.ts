// Reviewing AI suggestions: accept, reject or change the code of the suggestion at the cursor (Alt+Q Y,
// Alt+Q X, Alt+Q U) or of a row of the Suggestions view; accept or reject every pending suggestion of
// one code across transcripts, or accept all of one transcript, each as one transaction (one undo);
// move the cursor to the next or previous suggestion; show or hide rejected ones. Every decision records
// the coder's name (asked once, coder.ts) and the time; the rules are the session's (core/session.ts
// decideSuggestions, changeSuggestionCode).
import * as vscode from 'vscode';
import type { Coding } from '../core/model';
import { suggestionsAt } from '../core/suggestions';
import type { Environment } from '../core/ports';
import { shortenQuote } from '../core/segmentList';
import { ensureCoder } from './coder';
import type { CommandTable, Services } from './commands';
import { chooseCode } from './commands';
import { lineIndexOf } from './convert';
import { ActionableError, notify } from './errors';
import type { NotificationAction } from './errors';
import type { PersonalState } from './personalState';
import type { SuggestionEntry, SuggestionsElement, SuggestionsView } from './suggestionsView';
import { SUGGESTIONS_VIEW } from './suggestionsView';
import { announceUndoable, editOf } from './undo';

export interface SuggestionServices extends Services {
  view: SuggestionsView;
  personal: PersonalState;
  env: Environment;
}

/** A suggestion named by a command's argument: a row of the view, or its transcript and id (tests, links). */
export type SuggestionArg = SuggestionsElement | { path?: string; codingId?: string; codeId?: string; codeName?: string } | undefined;

/** The way forward of a message: the Suggestions view. */
function showSuggestions(): NotificationAction {
  return { title: vscode.l10n.t('Show Suggestions'), run: () => vscode.commands.executeCommand(`${SUGGESTIONS_VIEW}.focus`) };
}

export function createSuggestionCommands(s: SuggestionServices): CommandTable {
  return {
    'grounded.acceptSuggestion': (arg?: SuggestionArg) => decideOne(s, arg, 'accepted'),
    'grounded.rejectSuggestion': (arg?: SuggestionArg) => decideOne(s, arg, 'rejected'),
    'grounded.changeSuggestionCode': (arg?: SuggestionArg) => changeCode(s, arg),
    'grounded.acceptSuggestionsOfCode': (arg?: SuggestionArg) => decideCode(s, arg, 'accepted'),
    'grounded.rejectSuggestionsOfCode': (arg?: SuggestionArg) => decideCode(s, arg, 'rejected'),
    'grounded.acceptSuggestionsInTranscript': (arg?: SuggestionArg) => acceptTranscript(s, arg),
    'grounded.nextSuggestion': () => moveToSuggestion(s, 'next'),
    'grounded.previousSuggestion': () => moveToSuggestion(s, 'previous'),
    'grounded.showRejectedSuggestions': () => s.personal.set('showRejectedSuggestions', true),
    'grounded.hideRejectedSuggestions': () => s.personal.set('showRejectedSuggestions', false),
    'grounded.showSuggestions': () => vscode.commands.executeCommand(`${SUGGESTIONS_VIEW}.focus`),
  };
}

/** The keys that undo in a transcript, as the user's platform writes them. */
const undoKey = process.platform === 'darwin' ? 'Cmd+Z' : 'Ctrl+Z';

/** The transcript and id a command's argument names, if it names one. */
function refOf(arg: SuggestionArg): { path: string; id: string } | undefined {
  if (!arg) return undefined;
  if ('kind' in arg) return arg.kind === 'suggestion' ? { path: arg.path, id: arg.coding.id } : undefined;
  return arg.path && arg.codingId ? { path: arg.path, id: arg.codingId } : undefined;
}

/**
 * The suggestion a command's argument names: a pending one, or with `rejectedToo` a rejected one too (a
 * person may change their mind and accept it after all, from the view's rejected rows).
 */
function named(s: SuggestionServices, ref: { path: string; id: string }, rejectedToo = false): SuggestionEntry {
  const coding = s.session.documents.document(ref.path).codings.find((c) => c.id === ref.id);
  if (!coding?.suggestion) throw new Error(vscode.l10n.t('There is no AI suggestion with the id {0} in {1}.', ref.id, ref.path));
  if (coding.suggestion.status !== 'pending' && !(rejectedToo && coding.suggestion.status === 'rejected')) {
    throw new ActionableError(
      coding.suggestion.status === 'accepted'
        ? vscode.l10n.t('This AI suggestion was accepted already (by {0}).', coding.suggestion.decidedBy ?? '?')
        : vscode.l10n.t('This AI suggestion was rejected already (by {0}).', coding.suggestion.decidedBy ?? '?'),
      [showSuggestions()],
    );
  }
  return { path: ref.path, coding };
}

/** The pending suggestions at the cursor (or touching the selection) of the active transcript. */
async function atCursor(s: SuggestionServices): Promise<SuggestionEntry[]> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !s.codings.isTranscript(editor.document.uri)) {
    throw new ActionableError(vscode.l10n.t('Open a transcript and put the cursor in the words of an AI suggestion, or pick one in the Suggestions view.'), [showSuggestions()]);
  }
  await s.codings.load(editor.document);
  const path = s.fs.relative(editor.document.uri)!;
  const index = lineIndexOf(editor.document);
  const codings = s.codings.withSuggestions(editor.document.uri) ?? [];
  return suggestionsAt(codings, index.offsetAt(editor.selection.start), index.offsetAt(editor.selection.end)).map((coding) => ({ path, coding }));
}

/** The suggestion to act on: the argument's, else the one at the cursor (a pick where several overlap). */
async function target(s: SuggestionServices, arg: SuggestionArg, title: string, rejectedToo = false): Promise<SuggestionEntry | undefined> {
  const ref = refOf(arg);
  if (ref) return named(s, ref, rejectedToo);
  const here = await atCursor(s);
  if (here.length === 0) {
    notify('info', vscode.l10n.t('Grounded: No AI suggestion at the cursor. Put the cursor in words with a dashed outline, or pick a suggestion in the Suggestions view.'), showSuggestions());
    return undefined;
  }
  if (here.length === 1) return here[0];
  const picked = await vscode.window.showQuickPick(
    here.map((e) => ({
      label: s.view.codeLabel(e.coding),
      description: e.coding.suggestion!.model,
      detail: `“${shortenQuote(e.coding.anchor.quote, 120)}”`,
      entry: e,
    })),
    { title, placeHolder: vscode.l10n.t('Several AI suggestions are here: pick one'), matchOnDetail: true },
  );
  return picked?.entry;
}

/** Accepts or rejects one suggestion. */
async function decideOne(s: SuggestionServices, arg: SuggestionArg, decision: 'accepted' | 'rejected'): Promise<boolean> {
  const entry = await target(s, arg, decision === 'accepted' ? vscode.l10n.t('Grounded: Accept Suggestion') : vscode.l10n.t('Grounded: Reject Suggestion'), decision === 'accepted');
  if (!entry) return false;
  const by = await ensureCoder();
  if (!by) return false;
  const name = s.view.codeName(entry.coding);
  const label =
    decision === 'accepted' ? vscode.l10n.t('Accepted the AI suggestion "{0}".', name) : vscode.l10n.t('Rejected the AI suggestion "{0}".', name);
  const t = await s.session.decideSuggestions([{ path: entry.path, id: entry.coding.id }], decision, by, s.env.now(), label);
  if (t) vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: {0} ({1} to undo)', t.label, undoKey), 4000);
  return !!t;
}

/** Accepts a suggestion with another code (the code picker, a new code too). */
async function changeCode(s: SuggestionServices, arg: SuggestionArg): Promise<boolean> {
  const entry = await target(s, arg, vscode.l10n.t("Grounded: Change Suggestion's Code"), true);
  if (!entry) return false;
  const by = await ensureCoder();
  if (!by) return false;
  const given = arg && !('kind' in arg) ? { codeId: arg.codeId, codeName: arg.codeName } : {};
  const oldName = s.view.codeName(entry.coding);
  const chosen = await chooseCode(s, given, vscode.l10n.t('Grounded: Accept the suggestion "{0}" with the code…', oldName), entry.coding.codeId || undefined);
  if (!chosen) return false;
  const ref = { path: entry.path, id: entry.coding.id };
  const when = s.env.now();
  let t;
  if (!('newCode' in chosen) && chosen.id === entry.coding.codeId) {
    // the model's own code: a plain accept
    t = await s.session.decideSuggestions([ref], 'accepted', by, when, vscode.l10n.t('Accepted the AI suggestion "{0}".', chosen.name));
  } else {
    t = await s.session.changeSuggestionCode(entry.path, entry.coding.id, 'newCode' in chosen ? { newCode: chosen.newCode } : chosen.id, by, when);
  }
  const newName = 'newCode' in chosen ? chosen.newCode : chosen.name;
  if (t) vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: accepted the AI suggestion "{0}" as "{1}" ({2} to undo)', oldName, newName, undoKey), 4000);
  return !!t;
}

/** The key of a suggestion's code: its code id, or for a proposed new code its name (ignoring case). */
function codeKey(coding: Coding): string {
  return coding.codeId || `proposed:${(coding.suggestion?.code ?? '').toLocaleLowerCase()}`;
}

/** Accepts or rejects every pending suggestion of one code, across transcripts, as one transaction. */
async function decideCode(s: SuggestionServices, arg: SuggestionArg, decision: 'accepted' | 'rejected'): Promise<number> {
  let entry: SuggestionEntry | undefined;
  const ref = refOf(arg);
  if (ref) entry = named(s, ref);
  else if (arg && !('kind' in arg) && arg.codeId) entry = s.view.pending().find((e) => e.coding.codeId === arg.codeId);
  else if (arg && !('kind' in arg) && arg.codeName) entry = s.view.pending().find((e) => s.view.codeName(e.coding).toLocaleLowerCase() === arg.codeName!.toLocaleLowerCase());
  else entry = await pickCodeOfSuggestions(s, decision);
  if (!entry) return 0;
  const key = codeKey(entry.coding);
  const all = s.view.pending().filter((e) => codeKey(e.coding) === key);
  if (all.length === 0) return 0;
  const by = await ensureCoder();
  if (!by) return 0;
  const name = s.view.codeName(entry.coding);
  const files = new Set(all.map((e) => e.path)).size;
  const label =
    decision === 'accepted'
      ? vscode.l10n.t('Accepted {0} AI suggestion(s) of "{1}" in {2} transcript(s).', all.length, name, files)
      : vscode.l10n.t('Rejected {0} AI suggestion(s) of "{1}" in {2} transcript(s).', all.length, name, files);
  const t = await s.session.decideSuggestions(all.map((e) => ({ path: e.path, id: e.coding.id })), decision, by, s.env.now(), label);
  announceUndoable(s.session.history, editOf(t));
  return t ? all.length : 0;
}

/** Without a row: a pick of the codes with pending suggestions (the one at the cursor first). */
async function pickCodeOfSuggestions(s: SuggestionServices, decision: 'accepted' | 'rejected'): Promise<SuggestionEntry | undefined> {
  const pending = s.view.pending();
  if (pending.length === 0) {
    notify('info', vscode.l10n.t('Grounded: there are no AI suggestions waiting for a decision.'), showSuggestions());
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  const here = editor && s.codings.isTranscript(editor.document.uri) ? await atCursor(s) : [];
  const byKey = new Map<string, { entry: SuggestionEntry; n: number }>();
  for (const e of [...here, ...pending]) {
    const k = codeKey(e.coding);
    const known = byKey.get(k);
    if (known) known.n += here.includes(e) ? 0 : 1;
    else byKey.set(k, { entry: e, n: here.includes(e) ? 0 : 1 });
  }
  const picked = await vscode.window.showQuickPick(
    [...byKey.values()].map(({ entry, n }) => ({ label: s.view.codeLabel(entry.coding), description: n === 1 ? vscode.l10n.t('1 suggestion') : vscode.l10n.t('{0} suggestions', n), entry })),
    {
      title: decision === 'accepted' ? vscode.l10n.t('Grounded: Accept All of One Code') : vscode.l10n.t('Grounded: Reject All of One Code'),
      placeHolder: vscode.l10n.t('The code whose AI suggestions to decide on, in every transcript'),
    },
  );
  return picked?.entry;
}

/** Accepts every pending suggestion of one transcript (the row's, else the active one), as one transaction. */
async function acceptTranscript(s: SuggestionServices, arg: SuggestionArg): Promise<number> {
  let path: string | undefined;
  if (arg && 'kind' in arg) path = arg.path;
  else if (arg?.path) path = arg.path;
  else {
    const editor = vscode.window.activeTextEditor;
    path = editor && s.codings.isTranscript(editor.document.uri) ? s.fs.relative(editor.document.uri) : undefined;
  }
  if (!path) throw new ActionableError(vscode.l10n.t('Open a transcript, or right-click one in the Suggestions view, to accept its AI suggestions.'), [showSuggestions()]);
  const all = s.view.pending().filter((e) => e.path === path);
  if (all.length === 0) {
    notify('info', vscode.l10n.t('Grounded: {0} has no AI suggestions waiting for a decision.', path), showSuggestions());
    return 0;
  }
  const by = await ensureCoder();
  if (!by) return 0;
  const label = vscode.l10n.t('Accepted {0} AI suggestion(s) in {1}.', all.length, path);
  const t = await s.session.decideSuggestions(all.map((e) => ({ path: e.path, id: e.coding.id })), 'accepted', by, s.env.now(), label);
  announceUndoable(s.session.history, editOf(t));
  return t ? all.length : 0;
}

/** Selects the words of the next (or previous) pending suggestion of the active transcript. */
async function moveToSuggestion(s: SuggestionServices, direction: 'next' | 'previous'): Promise<boolean> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !s.codings.isTranscript(editor.document.uri)) {
    throw new ActionableError(vscode.l10n.t('Open a transcript to move between its AI suggestions, or pick one in the Suggestions view.'), [showSuggestions()]);
  }
  await s.codings.load(editor.document);
  const index = lineIndexOf(editor.document);
  const pending = (s.codings.withSuggestions(editor.document.uri) ?? [])
    .filter((c) => c.suggestion?.status === 'pending' && !c.orphaned)
    .sort((a, b) => a.anchor.start - b.anchor.start || b.anchor.end - a.anchor.end);
  const from = index.offsetAt(editor.selection.start);
  const found =
    direction === 'next'
      ? pending.find((c) => c.anchor.start > from || (c.anchor.start === from && editor.selection.isEmpty))
      : [...pending].reverse().find((c) => c.anchor.start < from);
  if (!found) {
    notify(
      'info',
      direction === 'next'
        ? vscode.l10n.t('Grounded: no AI suggestion after the cursor in this transcript.')
        : vscode.l10n.t('Grounded: no AI suggestion before the cursor in this transcript.'),
      showSuggestions(),
    );
    return false;
  }
  const range = index.range(found.anchor.start, found.anchor.end);
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return true;
}
