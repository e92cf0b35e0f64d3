// What one researcher chose for themselves in this workspace: blind mode, the labels at line ends,
// the decoration filter, the "by set" filters of the Segments view and the Matrices panel, and the coders compared in the Agreement view, whether rejected AI suggestions are shown. Kept in VS Code's workspace state (per user and workspace, never in a
// file), not in settings: `.vscode/settings.json` is committed, so a setting there would switch
// blind mode on for the co-coder too.
import * as vscode from 'vscode';
import type { DecorationFilter } from '../core/decorationPlan';
import { Disposable } from './disposable';

export interface PersonalChoices {
  /** only the user's own codings are shown and counted (independent coding before comparing) */
  blindMode: boolean;
  /** the names of the codes on a line are shown at its end */
  lineLabels: boolean;
  /** which codings the editor draws; undefined: all */
  decorationFilter: DecorationFilter | undefined;
  /** the set (id) the Segments view is limited to; undefined: all documents and codes */
  segmentsSet: string | undefined;
  /** the set (id) the Matrices panel is limited to; undefined: all documents and codes */
  matricesSet: string | undefined;
  /** the coders last compared in the Agreement view (two or more), ticked when it asks again */
  agreementCoders: string[] | undefined;
  /** rejected AI suggestions are shown (faint) in the editor and the Suggestions view */
  showRejectedSuggestions: boolean;
}

/** The workspace-state keys (the filter's is the one it was stored under before). */
const KEYS: { [K in keyof PersonalChoices]: string } = {
  blindMode: 'grounded.blindMode',
  lineLabels: 'grounded.lineLabels',
  decorationFilter: 'grounded.decorationFilter',
  segmentsSet: 'grounded.segments.set',
  matricesSet: 'grounded.matrices.set',
  agreementCoders: 'grounded.agreement.coders',
  showRejectedSuggestions: 'grounded.ai.showRejected',
};

const DEFAULTS: PersonalChoices = { blindMode: false, lineLabels: false, decorationFilter: undefined, segmentsSet: undefined, matricesSet: undefined, agreementCoders: undefined, showRejectedSuggestions: false };

export class PersonalState extends Disposable {
  private readonly changed = this.own(new vscode.EventEmitter<keyof PersonalChoices>());
  /** Fires with the name of the choice that changed. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {
    super();
  }

  get<K extends keyof PersonalChoices>(key: K): PersonalChoices[K] {
    return this.memento.get<PersonalChoices[K]>(KEYS[key]) ?? DEFAULTS[key];
  }

  async set<K extends keyof PersonalChoices>(key: K, value: PersonalChoices[K]): Promise<void> {
    await this.memento.update(KEYS[key], value === DEFAULTS[key] ? undefined : value);
    this.changed.fire(key);
  }
}
