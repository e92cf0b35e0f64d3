// Commands of the Cases view (new, rename, attributes, transcripts, delete, import from CSV, undo) and
// "Leave Speakers Out of the Analysis…". Each takes the clicked row (Cases view, Documents view, the
// explorer or an editor tab), else the view's selection, else asks; tests pass argument objects
// (`{ caseId, pseudonym, name, value, path, file, speakers, confirm: false }`) to run without questions.
import * as vscode from 'vscode';
import { attributeNames, attributeValues, caseOfDocument, findCaseByPseudonym } from '../core/cases';
import type { ImportSummary } from '../core/cases';
import { decodeCsvBytes } from '../core/csv';
import type { Case } from '../core/model';
import { excludedSpeakers, isNamedSpeaker, speakersOf } from '../core/speakers';
import type { CaseService } from './cases';
import type { CasesElement, CasesView } from './casesView';
import type { CommandTable } from './commands';
import { notify } from './errors';
import type { NotificationAction } from './errors';
import type { ProjectService } from './project';
import { transcriptText } from './texts';
import { sayNoProject } from './wayForward';
import { announceUndoable } from './undo';
import type { History } from '../core/history';
import type { UndoableEdit } from './undo';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';

export interface CaseServices {
  project: ProjectService;
  cases: CaseService;
  view: CasesView;
  index: WorkspaceIndex;
  fs: WorkspaceFileSystem;
  /** the project's one undo history */
  history: History;
}

/** What the commands accept besides tree rows: everything optional, given values skip their question. */
interface CaseArgs {
  caseId?: string;
  pseudonym?: string;
  name?: string;
  value?: string;
  path?: string;
  confirm?: boolean;
}

type Arg = CasesElement | CaseArgs | vscode.Uri | undefined;

const isUri = (a: unknown): a is vscode.Uri => a instanceof vscode.Uri;
const obj = (a: Arg): CaseArgs & Partial<CasesElement> => (a && !isUri(a) ? (a as CaseArgs & Partial<CasesElement>) : {});

export function createCaseCommands(s: CaseServices): CommandTable {
  const done = (edit: UndoableEdit | undefined) => {
    if (edit) announceUndoable(s.history, edit);
  };
  const selected = (): CasesElement | undefined => s.view.view.selection[0];

  /** The case of the argument (a row, `{caseId}`, `{pseudonym}`), else of the view's selection, else picked. */
  const resolveCase = async (arg: Arg, title: string, fromSelection = true): Promise<Case | undefined> => {
    if (!s.project.project) return sayNoProject();
    const a = obj(arg);
    if (a.caseId) return s.cases.case(a.caseId);
    if (a.pseudonym && s.project.project) {
      const found = findCaseByPseudonym(s.project.project, a.pseudonym);
      if (found) return found;
    }
    const sel = fromSelection ? selected() : undefined;
    if (sel) return s.cases.case(sel.caseId);
    return pickCase(s, title, false);
  };

  /** The transcript of the argument (explorer/editor tab uri, a Documents or Cases view row, `{path}`), else the active editor's. */
  const transcriptOf = (arg: Arg): string | undefined => {
    if (isUri(arg)) {
      const rel = s.fs.relative(arg);
      if (!rel) throw new Error(vscode.l10n.t('{0} is outside the workspace folder.', arg.fsPath));
      return rel;
    }
    const a = obj(arg);
    if (a.path) return a.path;
    if (arg === undefined) {
      const editor = vscode.window.activeTextEditor;
      const rel = editor && s.fs.relative(editor.document.uri);
      if (rel && s.index.transcripts.includes(rel)) return rel;
    }
    return undefined;
  };

  return {
    'grounded.newCase': async (arg?: CaseArgs) => {
      if (!s.project.project) return sayNoProject();
      const pseudonym = arg?.pseudonym ?? (await askPseudonym(s));
      if (!pseudonym) return undefined;
      const edit = await s.cases.add(pseudonym);
      done(edit);
      await s.view.view.reveal({ kind: 'case', caseId: edit.caseId }, { select: true, focus: false }).then(undefined, () => undefined);
      return edit.caseId;
    },

    'grounded.renameCase': async (arg?: Arg) => {
      const c = await resolveCase(arg, vscode.l10n.t('Grounded: Rename which case?'));
      if (!c) return;
      const pseudonym =
        obj(arg).pseudonym && obj(arg).caseId
          ? obj(arg).pseudonym
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Grounded: Rename the Case "{0}"', c.pseudonym),
              prompt: vscode.l10n.t('The pseudonym: the only name this participant has in the project and its reports'),
              value: c.pseudonym,
              validateInput: (v) => pseudonymProblem(s, v, c.id),
            });
      if (!pseudonym) return;
      done(await s.cases.rename(c.id, pseudonym));
    },

    'grounded.setCaseAttribute': async (arg?: Arg) => {
      const c = await resolveCase(arg, vscode.l10n.t('Grounded: Set an attribute of which case?'));
      const project = s.project.project;
      if (!c || !project) return;
      const a = obj(arg);
      const name =
        a.name ??
        (await pickOrType({
          title: vscode.l10n.t('Grounded: Attribute of "{0}"', c.pseudonym),
          placeholder: vscode.l10n.t('Pick an attribute or type the name of a new one (for example ageGroup)'),
          items: attributeNames(project).map((n) => ({ label: n, description: c.attributes[n] !== undefined ? vscode.l10n.t('now: {0}', c.attributes[n]) : undefined })),
          newLabel: (v) => vscode.l10n.t('New attribute "{0}"', v),
        }));
      if (!name?.trim()) return;
      const value =
        a.value ??
        (await pickOrType({
          title: vscode.l10n.t('Grounded: {0} of "{1}"', name.trim(), c.pseudonym),
          placeholder: vscode.l10n.t('Pick a value the other cases have, or type one'),
          items: attributeValues(project, name.trim()).map((v) => ({ label: v, description: v === c.attributes[name.trim()] ? vscode.l10n.t('(current)') : undefined })),
          newLabel: (v) => vscode.l10n.t('"{0}"', v),
          value: c.attributes[name.trim()],
        }));
      if (!value?.trim()) return;
      done(await s.cases.setAttribute(c.id, name, value));
    },

    'grounded.removeCaseAttribute': async (arg?: Arg) => {
      const c = await resolveCase(arg, vscode.l10n.t('Grounded: Remove an attribute of which case?'));
      if (!c) return;
      let name = obj(arg).name ?? (selected()?.kind === 'attribute' && selected()!.caseId === c.id ? (selected() as { name: string }).name : undefined);
      if (!name) {
        const names = Object.keys(c.attributes).sort();
        if (!names.length) {
          notify('info', vscode.l10n.t('Grounded: the case "{0}" has no attributes to remove. Give it one (an age group, a unit, …) with Set Attribute….', c.pseudonym), {
            title: vscode.l10n.t('Set Attribute…'),
            run: () => vscode.commands.executeCommand('grounded.setCaseAttribute', { caseId: c.id }),
          });
          return;
        }
        name = (
          await vscode.window.showQuickPick(
            names.map((n) => ({ label: n, description: c.attributes[n] })),
            { title: vscode.l10n.t('Grounded: Remove which attribute of "{0}"?', c.pseudonym) },
          )
        )?.label;
      }
      if (!name) return;
      done(await s.cases.removeAttribute(c.id, name));
    },

    'grounded.assignTranscriptToCase': async (arg?: Arg) => {
      if (!s.project.project) return sayNoProject();
      const a = obj(arg);
      const fromCasesView = !isUri(arg) && a.kind === 'case';
      let path = fromCasesView ? undefined : transcriptOf(arg);
      let target: Case | undefined;
      if (fromCasesView || (a.caseId && !path)) target = s.cases.case(a.caseId!);
      if (!path) {
        path = await pickTranscript(
          s,
          target ? vscode.l10n.t('Grounded: Assign which transcript to "{0}"?', target.pseudonym) : vscode.l10n.t('Grounded: Assign which transcript to a case?'),
        );
        if (!path) return;
      }
      if (!target && a.caseId) target = s.cases.case(a.caseId);
      if (!target && a.pseudonym && s.project.project) {
        target = findCaseByPseudonym(s.project.project, a.pseudonym);
        if (!target) {
          const created = await s.cases.add(a.pseudonym);
          done(created);
          target = s.cases.case(created.caseId);
        }
      }
      if (!target) {
        target = await pickCase(s, vscode.l10n.t('Grounded: Assign {0} to which case?', path), true);
        if (!target) return;
      }
      done(await s.cases.assign(target.id, path));
    },

    'grounded.removeTranscriptFromCase': async (arg?: Arg) => {
      const a = obj(arg);
      let caseId = a.caseId;
      let path = a.path;
      const sel = selected();
      if (!path && sel?.kind === 'document') ({ caseId, path } = sel);
      const project = s.project.project;
      if (!project) return sayNoProject();
      if (path && !caseId) {
        caseId = caseOfDocument(project, path)?.id;
        if (!caseId) {
          notify('info', vscode.l10n.t('Grounded: {0} belongs to no case, so there is nothing to remove it from.', path), {
            title: vscode.l10n.t('Assign Transcript to Case…'),
            run: () => vscode.commands.executeCommand('grounded.assignTranscriptToCase', { path }),
          });
          return;
        }
      }
      if (!path || !caseId) {
        const picked = await pickAssigned(s);
        if (!picked) return;
        ({ caseId, path } = picked);
      }
      done(await s.cases.unassign(caseId, path));
    },

    'grounded.deleteCase': async (arg?: Arg) => {
      const c = await resolveCase(arg, vscode.l10n.t('Grounded: Delete which case?'));
      if (!c) return;
      if (obj(arg).confirm !== false) {
        const del = vscode.l10n.t('Delete');
        const n = c.documents.length;
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('Delete the case "{0}"?', c.pseudonym),
          {
            modal: true,
            detail:
              n === 1
                ? vscode.l10n.t('Its attributes go with it; its 1 transcript and its codings stay, belonging to no case. You can undo this from the notification.')
                : vscode.l10n.t('Its attributes go with it; its {0} transcripts and their codings stay, belonging to no case. You can undo this from the notification.', n),
          },
          del,
        );
        if (choice !== del) return;
      }
      done(await s.cases.delete(c.id));
    },

    'grounded.importCasesCsv': async (arg?: vscode.Uri | { file?: string }) => {
      let uri = isUri(arg) ? arg : arg?.file ? vscode.Uri.file(arg.file) : undefined;
      if (!uri) {
        const picked = await vscode.window.showOpenDialog({
          title: vscode.l10n.t('Grounded: Import Cases from CSV'),
          defaultUri: s.fs.root,
          canSelectMany: false,
          filters: { [vscode.l10n.t('CSV files')]: ['csv', 'txt'], [vscode.l10n.t('All files')]: ['*'] },
          openLabel: vscode.l10n.t('Import'),
        });
        uri = picked?.[0];
      }
      if (!uri) return undefined;
      if (!s.project.project) return sayNoProject();
      const name = s.fs.relative(uri) ?? uri.fsPath;
      const text = decodeCsvBytes(await vscode.workspace.fs.readFile(uri));
      let result: Awaited<ReturnType<CaseService['importCsv']>>;
      try {
        result = await s.cases.importCsv(text, name, (p) => s.index.transcripts.includes(p));
      } catch (err) {
        throw new Error(vscode.l10n.t('{0}: {1}. Nothing was imported.', name, err instanceof Error ? err.message : String(err)));
      }
      const { summary, edit } = result;
      const actions: NotificationAction[] = [];
      if (edit) actions.push({ title: vscode.l10n.t('Undo'), run: async () => void (await s.cases.undo(edit)) });
      notify(summary.warnings.length ? 'warning' : 'info', describeCsvImport(name, summary), ...actions);
      return summary;
    },

    // The Cases view's Undo takes back the newest edit of the one history, as every Undo does.
    'grounded.undoCaseEdit': () => s.cases.undoLast(),

    'grounded.excludeSpeakers': async (arg?: { speakers?: string[] }) => {
      const project = s.project.project;
      if (!project) return sayNoProject();
      let speakers = arg?.speakers;
      if (!speakers) {
        const found = await speakersAcross(s);
        const current = excludedSpeakers(project);
        for (const name of current) if (!isNamedSpeaker(name, found.map((f) => f.speaker))) found.push({ speaker: name, turns: 0, documents: 0 });
        if (!found.length) {
          notify(
            'info',
            vscode.l10n.t(
              'Grounded: the transcripts have no speaker turns, so there is no speaker to leave out. A turn is a paragraph that starts with a name and a colon, like "Intervjuer:" or "Ola (00:12:03):"; write the transcripts that way (Import Transcript… does it for Word, WebVTT and SubRip files).',
            ),
            { title: vscode.l10n.t('Import Transcript…'), run: () => vscode.commands.executeCommand('grounded.importTranscript') },
          );
          return undefined;
        }
        const items = found.map((f) => ({
          label: f.speaker,
          description: f.turns ? turnsIn(f.turns, f.documents) : vscode.l10n.t('in no transcript now'),
          picked: isNamedSpeaker(f.speaker, current),
        }));
        const picked = await vscode.window.showQuickPick(items, {
          title: vscode.l10n.t('Grounded: Leave Speakers Out of the Analysis'),
          placeHolder: vscode.l10n.t('Tick the speakers whose turns do not count (the interviewer, for example); their codings stay in the files'),
          canPickMany: true,
        });
        if (!picked) return undefined;
        speakers = picked.map((p) => p.label);
      }
      done(await s.cases.setExcludedSpeakers(speakers));
      return s.project.project ? excludedSpeakers(s.project.project) : undefined;
    },
  };
}

/** Every speaker across the transcripts with their turns and the number of transcripts they speak in, most turns first. */
async function speakersAcross(s: CaseServices): Promise<{ speaker: string; turns: number; documents: number }[]> {
  const all = new Map<string, { speaker: string; turns: number; documents: number }>();
  for (const path of s.index.transcripts) {
    const text = await transcriptText(s.fs, path);
    if (text === undefined) continue;
    for (const { speaker, turns } of speakersOf(text)) {
      const e = all.get(speaker) ?? { speaker, turns: 0, documents: 0 };
      e.turns += turns;
      e.documents++;
      all.set(speaker, e);
    }
  }
  return [...all.values()].sort((a, b) => b.turns - a.turns || a.speaker.localeCompare(b.speaker));
}

function pseudonymProblem(s: CaseServices, value: string, self?: string): string | undefined {
  if (!value.trim()) return vscode.l10n.t('A case needs a pseudonym.');
  const other = s.project.project && findCaseByPseudonym(s.project.project, value);
  return other && other.id !== self ? vscode.l10n.t('There is already a case "{0}".', other.pseudonym) : undefined;
}

function askPseudonym(s: CaseServices): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Grounded: New Case'),
    prompt: vscode.l10n.t('The pseudonym of the participant: the only name the project and its reports use'),
    validateInput: (v) => pseudonymProblem(s, v),
  });
}

/** A case from a quick pick (by pseudonym, with attributes), or with `allowNew` a new one named on the spot. */
async function pickCase(s: CaseServices, title: string, allowNew: boolean): Promise<Case | undefined> {
  const cases = [...s.cases.cases].sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
  const newItem = { label: `$(add) ${vscode.l10n.t('New Case…')}`, case: undefined as Case | undefined };
  const items = [
    ...cases.map((c) => ({ label: c.pseudonym, description: Object.values(c.attributes).join(' · '), detail: c.documents.join(', ') || undefined, case: c as Case | undefined })),
    ...(allowNew ? [newItem] : []),
  ];
  if (!allowNew && cases.length === 0) {
    notify(
      'info',
      vscode.l10n.t('Grounded: there are no cases yet. A case is a participant, known only by a pseudonym: add one, or import them all from a CSV file.'),
      { title: vscode.l10n.t('New Case…'), run: () => vscode.commands.executeCommand('grounded.newCase') },
      { title: vscode.l10n.t('Import Cases from CSV…'), run: () => vscode.commands.executeCommand('grounded.importCasesCsv') },
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true });
  if (!picked) return undefined;
  if (picked.case) return picked.case;
  const pseudonym = await askPseudonym(s);
  if (!pseudonym) return undefined;
  const created = await s.cases.add(pseudonym);
  announceUndoable(s.history, created);
  return s.cases.case(created.caseId);
}

async function pickTranscript(s: CaseServices, title: string): Promise<string | undefined> {
  const project = s.project.project;
  const items = [...s.index.transcripts].sort().map((path) => ({ label: path, description: project && caseOfDocument(project, path)?.pseudonym }));
  if (!items.length) {
    notify(
      'info',
      vscode.l10n.t('Grounded: this workspace has no transcripts yet. Import a Word, OpenDocument, WebVTT or SubRip file, or say which files are transcripts in the setting grounded.transcripts.'),
      { title: vscode.l10n.t('Import Transcript…'), run: () => vscode.commands.executeCommand('grounded.importTranscript') },
      { title: vscode.l10n.t('Open Setting'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'grounded.transcripts') },
    );
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.label;
}

/** A transcript assigned to a case, picked from all of them; says so when no case has a transcript. */
async function pickAssigned(s: CaseServices): Promise<{ caseId: string; path: string } | undefined> {
  const items = s.cases.cases.flatMap((c) => c.documents.map((path) => ({ label: path, description: c.pseudonym, caseId: c.id })));
  if (!items.length) {
    notify('info', vscode.l10n.t('Grounded: no case has a transcript yet, so there is none to remove.'), {
      title: vscode.l10n.t('Assign Transcript to Case…'),
      run: () => vscode.commands.executeCommand('grounded.assignTranscriptToCase'),
    });
    return undefined;
  }
  items.sort((a, b) => a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Grounded: Remove which transcript from its case?'), matchOnDescription: true });
  return picked && { caseId: picked.caseId, path: picked.label };
}

/** "12 turns in 3 transcripts", as one phrase per plural form. */
function turnsIn(turns: number, documents: number): string {
  if (turns === 1) return vscode.l10n.t('1 turn in 1 transcript');
  return documents === 1 ? vscode.l10n.t('{0} turns in 1 transcript', turns) : vscode.l10n.t('{0} turns in {1} transcripts', turns, documents);
}

/** The notification after a CSV import: the counts, then the warnings (the rows Grounded could not use as they are). */
function describeCsvImport(file: string, summary: ImportSummary): string {
  const added = summary.added.length;
  const counts =
    added === 1
      ? vscode.l10n.t('Grounded: imported {0}: 1 case added, {1} updated, {2} unchanged.', file, summary.updated.length, summary.unchanged.length)
      : vscode.l10n.t('Grounded: imported {0}: {1} cases added, {2} updated, {3} unchanged.', file, added, summary.updated.length, summary.unchanged.length);
  const w = summary.warnings;
  if (!w.length) return counts;
  return `${counts} ${w.length === 1 ? vscode.l10n.t('1 warning: {0}.', w[0]) : vscode.l10n.t('{0} warnings: {1}.', w.length, w.join('; '))}`;
}

/** A quick pick of known values that also takes a typed new one. */
function pickOrType(o: {
  title: string;
  placeholder: string;
  items: vscode.QuickPickItem[];
  newLabel: (typed: string) => string;
  value?: string;
}): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { typed?: string }>();
    qp.title = o.title;
    qp.placeholder = o.placeholder;
    const update = () => {
      const typed = qp.value.trim();
      const exists = o.items.some((i) => i.label === typed);
      qp.items = typed && !exists ? [{ label: o.newLabel(typed), typed, alwaysShow: true }, ...o.items] : o.items;
    };
    qp.onDidChangeValue(update);
    let result: string | undefined;
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      result = item ? (item.typed ?? item.label) : qp.value.trim() || undefined;
      qp.hide();
    });
    qp.onDidHide(() => {
      qp.dispose();
      resolve(result);
    });
    if (o.value) qp.value = o.value;
    update();
    qp.show();
  });
}
