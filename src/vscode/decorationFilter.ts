// Which codings the editor draws: all, some codes, or one coder's. Kept in the workspace state so
// the filter outlives a reload, and shown in the status bar while it hides anything.
import * as vscode from 'vscode';
import type { DecorationFilter } from '../core/decorationPlan';
import { isFilterActive } from '../core/decorationPlan';
import { Disposable } from './disposable';
import type { ProjectService } from './project';

const KEY = 'grounded.decorationFilter';

export class DecorationFilterState extends Disposable {
  private readonly item = this.own(vscode.window.createStatusBarItem('grounded.decorationFilter', vscode.StatusBarAlignment.Left, 49));
  private readonly changed = this.own(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly project: ProjectService,
  ) {
    super();
    this.item.name = 'Grounded: Decoration Filter';
    this.item.command = 'grounded.decorationFilterActions';
    this.own(project.onDidChange(() => this.show()));
    this.show();
  }

  /** The active filter, or undefined when every coding is drawn. */
  get filter(): DecorationFilter | undefined {
    const stored = this.memento.get<DecorationFilter>(KEY);
    return isFilterActive(stored) ? stored : undefined;
  }

  async set(filter: DecorationFilter | undefined): Promise<void> {
    await this.memento.update(KEY, isFilterActive(filter) ? filter : undefined);
    this.show();
    this.changed.fire();
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
