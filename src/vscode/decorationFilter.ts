// Which codings the editor draws: all, some codes, or one coder's. Kept in the personal workspace
// state (personalState.ts) so the filter outlives a reload without reaching the co-coder, and shown
// in the status bar while it hides anything.
import * as vscode from 'vscode';
import type { DecorationFilter } from '../core/decorationPlan';
import { isFilterActive } from '../core/decorationPlan';
import { Disposable } from './disposable';
import type { PersonalState } from './personalState';
import type { ProjectService } from './project';

export class DecorationFilterState extends Disposable {
  private readonly item = this.own(vscode.window.createStatusBarItem('grounded.decorationFilter', vscode.StatusBarAlignment.Left, 49));
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly personal: PersonalState,
    private readonly project: ProjectService,
  ) {
    super();
    this.item.name = 'Grounded: Decoration Filter';
    this.item.command = 'grounded.decorationFilterActions';
    this.own(project.onDidChange(() => this.show()));
    this.own(
      personal.onDidChange((key) => {
        if (key !== 'decorationFilter') return;
        this.show();
        this.changed.fire();
      }),
    );
    this.show();
  }

  /** The active filter, or undefined when every coding is drawn. */
  get filter(): DecorationFilter | undefined {
    const stored = this.personal.get('decorationFilter');
    return isFilterActive(stored) ? stored : undefined;
  }

  async set(filter: DecorationFilter | undefined): Promise<void> {
    await this.personal.set('decorationFilter', isFilterActive(filter) ? filter : undefined);
  }

  /** What the filter shows, in words (also the status bar text after the icon). */
  describe(filter = this.filter): string | undefined {
    if (!filter) return undefined;
    let codes: string | undefined;
    if (filter.codeIds) {
      const names = filter.codeIds.map((id) => this.project.codeById(id)?.name ?? vscode.l10n.t('Unknown code'));
      codes = names.length === 0 ? vscode.l10n.t('no codes') : names.length <= 2 ? names.join(', ') : vscode.l10n.t('{0} codes', names.length);
    }
    if (filter.coder === undefined) return codes;
    return codes === undefined ? vscode.l10n.t('by {0}', filter.coder) : vscode.l10n.t('{0} by {1}', codes, filter.coder);
  }

  /** The status bar text while a filter is active (read by the end-to-end tests), else undefined. */
  get statusText(): string | undefined {
    return this.filter ? this.item.text : undefined;
  }

  private show(): void {
    const what = this.describe();
    if (!what) {
      this.item.hide();
      return;
    }
    this.item.text = `$(filter) ${what}`;
    this.item.tooltip = vscode.l10n.t('Grounded: the editor shows only the codings of {0}. Click to change or clear the filter.', what);
    this.item.show();
  }
}
