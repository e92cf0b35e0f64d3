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
    const parts: string[] = [];
    if (filter.codeIds) {
      const names = filter.codeIds.map((id) => this.project.codeById(id)?.name ?? 'Unknown code');
      parts.push(names.length === 0 ? 'no codes' : names.length <= 2 ? names.join(', ') : `${names.length} codes`);
    }
    if (filter.coder !== undefined) parts.push(`by ${filter.coder}`);
    return parts.join(' ');
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
    this.item.tooltip = `Grounded: the editor shows only the codings of ${what}. Click to change or clear the filter.`;
    this.item.show();
  }
}
