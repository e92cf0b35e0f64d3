// The Agreement view: inter-coder agreement of two or more coders, as `grounded agreement` computes it.
// Two coders: by code and transcript (worst first), a click shows where they disagree, side by side, in
// a page. Three or more: Krippendorff's alpha of all, every pair (a click compares that pair) and every
// code. Both: agreement by segment. Every number is core's (core/agreement.ts).
import * as vscode from 'vscode';
import { CodeDocumentAgreement, AgreementReport, ManyAgreementReport, PairAgreement, codersByCodings, compareCoders, compareManyCoders, segmentAgreement } from '../core/agreement';
import type { SegmentCounts } from '../core/agreement';
import { formatMeasures, renderDisagreementPage } from '../core/agreementPage';
import { Disposable } from './disposable';
import { notify } from './errors';
import { showMarkdownPage } from './markdownPage';
import type { PersonalState } from './personalState';
import type { ProjectService } from './project';
import { transcriptText } from './texts';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';

export const AGREEMENT_SCHEME = 'grounded-agreement';

type Node =
  | { kind: 'overall' }
  | { kind: 'segments' }
  | { kind: 'row'; row: CodeDocumentAgreement }
  | { kind: 'all' }
  | { kind: 'pair'; pair: PairAgreement }
  | { kind: 'code'; code: ManyAgreementReport['byCode'][number] };

/** "12 of 15 segments (80 %)" */
function segmentText(s: SegmentCounts): string {
  return vscode.l10n.t('{0} of {1} segments ({2} %)', s.agreed, s.segments, Math.round(segmentAgreement(s) * 100));
}

export class AgreementView extends Disposable implements vscode.TreeDataProvider<Node>, vscode.TextDocumentContentProvider {
  private readonly changed = this.own(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  /** the two-coder comparison (with two coders compared) */
  report: AgreementReport | undefined;
  /** alpha of all coders, every pair and segment agreement (always, also for two) */
  many: ManyAgreementReport | undefined;
  private texts = new Map<string, string>();

  constructor(
    private readonly project: ProjectService,
    private readonly index: WorkspaceIndex,
    private readonly fs: WorkspaceFileSystem,
    readonly personal: PersonalState,
  ) {
    super();
    this.view = this.own(vscode.window.createTreeView('grounded.agreement', { treeDataProvider: this }));
    this.own(vscode.workspace.registerTextDocumentContentProvider(AGREEMENT_SCHEME, this));
  }

  /** Coders ranked by their number of codings (every coder's, also in blind mode). */
  coders(): string[] {
    return codersByCodings(this.index.documents(true)).map((c) => c.coder);
  }

  /** Coders with their number of codings, ranked (for the picker). */
  codersWithCodings(): { coder: string; codings: number }[] {
    return codersByCodings(this.index.documents(true));
  }

  /**
   * Compares two or more coders over every transcript any of them coded: with two, the two-coder
   * comparison (returned) and its segment agreement; with more, alpha of all, every pair and segments.
   */
  async compare(coders: readonly string[], overlap?: number): Promise<AgreementReport | ManyAgreementReport> {
    await this.index.ready;
    const docs = this.index.documents(true).filter((d) => d.codings.some((c) => coders.includes(c.coder)));
    this.texts = new Map();
    const documents = [];
    for (const d of docs) {
      const text = (await transcriptText(this.fs, d.path)) ?? '';
      this.texts.set(d.path, text);
      documents.push({ path: d.path, length: text.length, codings: d.codings });
    }
    const codes = this.project.project?.codes;
    this.many = compareManyCoders(documents, coders, { codes, overlap });
    this.report = coders.length === 2 ? compareCoders(documents, [coders[0], coders[1]], { codes }) : undefined;
    this.view.description = coders.join(' × ');
    this.changed.fire(undefined);
    return this.report ?? this.many;
  }

  /** Rows where at least one coder used the code in the transcript, lowest kappa first. */
  rows(): CodeDocumentAgreement[] {
    if (!this.report) return [];
    return this.report.byCodeAndDocument
      .filter((r) => r.counts.both + r.counts.onlyA + r.counts.onlyB > 0)
      .sort((x, y) => x.kappa - y.kappa || x.document.localeCompare(y.document));
  }

  /** Codes by their alpha of all coders, lowest first (three or more coders). */
  codeRows(): ManyAgreementReport['byCode'] {
    if (!this.many) return [];
    return [...this.many.byCode].sort((x, y) => x.alpha - y.alpha || (this.codeName(x.codeId) < this.codeName(y.codeId) ? -1 : 1));
  }

  getChildren(node?: Node): Node[] {
    if (node || !this.many) return [];
    if (this.report) return [{ kind: 'overall' }, { kind: 'segments' }, ...this.rows().map((row) => ({ kind: 'row' as const, row }))];
    return [{ kind: 'all' }, ...this.many.pairs.map((pair) => ({ kind: 'pair' as const, pair })), ...this.codeRows().map((code) => ({ kind: 'code' as const, code }))];
  }

  private codeName(codeId: string): string {
    return this.project.codeById(codeId)?.name ?? codeId;
  }

  private segmentsTooltip(): string {
    return vscode.l10n.t(
      'A segment agrees when every other coder coded the same code in the transcript on a segment overlapping it by at least {0} % of the two together (their union).',
      Math.round((this.many?.overlap ?? 0) * 100),
    );
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'overall') {
      const o = this.report!.overall;
      const item = new vscode.TreeItem(vscode.l10n.t('Overall'));
      item.description = `${formatMeasures(o)} · α ${o.alpha.toFixed(2)}`;
      item.iconPath = new vscode.ThemeIcon('graph');
      return item;
    }
    if (node.kind === 'segments') {
      const item = new vscode.TreeItem(vscode.l10n.t('By segment'));
      item.description = segmentText(this.many!.overall.segments);
      item.tooltip = this.segmentsTooltip();
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      return item;
    }
    if (node.kind === 'all') {
      const o = this.many!.overall;
      const item = new vscode.TreeItem(vscode.l10n.t('All {0} coders', this.many!.coders.length));
      item.description = vscode.l10n.t("Krippendorff's α {0} · segments: {1}", o.alpha.toFixed(2), segmentText(o.segments));
      item.tooltip = this.segmentsTooltip();
      item.iconPath = new vscode.ThemeIcon('graph');
      return item;
    }
    if (node.kind === 'pair') {
      const { pair } = node;
      const [a, b] = [this.many!.coders[pair.coders[0]], this.many!.coders[pair.coders[1]]];
      const item = new vscode.TreeItem(`${a} × ${b}`);
      item.description = vscode.l10n.t('{0} · segments: {1}', formatMeasures(pair.overall), segmentText(pair.overall.segments));
      item.tooltip = vscode.l10n.t('Click to compare {0} and {1} alone, by code and transcript, with the passages where they disagree.', a, b);
      item.iconPath = new vscode.ThemeIcon(pair.overall.kappa >= 0.75 ? 'pass' : pair.overall.kappa >= 0.4 ? 'warning' : 'error');
      item.command = { command: 'grounded.compareCoders', title: vscode.l10n.t('Compare Coders…'), arguments: [{ coders: [a, b], overlap: this.many!.overlap }] };
      return item;
    }
    if (node.kind === 'code') {
      const { code } = node;
      const item = new vscode.TreeItem(this.codeName(code.codeId));
      item.description = vscode.l10n.t("Krippendorff's α {0} · segments: {1}", code.alpha.toFixed(2), segmentText(code.segments));
      item.iconPath = new vscode.ThemeIcon(code.alpha >= 0.8 ? 'pass' : code.alpha >= 0.667 ? 'warning' : 'error');
      return item;
    }
    const { row } = node;
    const name = this.codeName(row.codeId);
    const item = new vscode.TreeItem(`${name} — ${row.document}`);
    item.description = formatMeasures(row);
    item.tooltip =
      row.disagreements.length === 1
        ? vscode.l10n.t('1 passage where only one coder has "{0}". Click to see it side by side.', name)
        : vscode.l10n.t('{0} passages where only one coder has "{1}". Click to see them side by side.', row.disagreements.length, name);
    item.iconPath = new vscode.ThemeIcon(row.kappa >= 0.75 ? 'pass' : row.kappa >= 0.4 ? 'warning' : 'error');
    item.command = { command: 'grounded.showDisagreements', title: vscode.l10n.t('Show Disagreements'), arguments: [{ codeId: row.codeId, document: row.document }] };
    return item;
  }

  pageUri(codeId: string, document: string): vscode.Uri {
    const name = this.project.codeById(codeId)?.name ?? codeId;
    const title = vscode.l10n.t('{0} in {1}', name, document.split('/').pop() ?? document);
    return vscode.Uri.from({ scheme: AGREEMENT_SCHEME, path: `/${title}.md`, query: JSON.stringify({ codeId, document }) });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const { codeId, document } = JSON.parse(uri.query) as { codeId: string; document: string };
    const row = this.report?.byCodeAndDocument.find((r) => r.codeId === codeId && r.document === document);
    if (!row || !this.report) return `# ${vscode.l10n.t('No comparison')}\n\n${vscode.l10n.t('Run "Grounded: Compare Coders…" first.')}\n`;
    return renderDisagreementPage(row, this.texts.get(document) ?? '', this.report.coders, this.project.codeById(codeId)?.name ?? codeId);
  }
}

export function createAgreementCommands(view: AgreementView): Record<string, (...args: never[]) => unknown> {
  return {
    'grounded.compareCoders': async (args?: { coders?: string[]; overlap?: number }) => {
      let coders = args?.coders;
      if (!coders) {
        const all = view.codersWithCodings();
        if (all.length < 2) return sayTooFewCoders(all.map((c) => c.coder));
        const last = new Set(view.personal.get('agreementCoders') ?? []);
        const picked = await vscode.window.showQuickPick(
          all.map((c) => ({ label: c.coder, description: c.codings === 1 ? vscode.l10n.t('1 coding') : vscode.l10n.t('{0} codings', c.codings), picked: last.has(c.coder) })),
          {
            title: vscode.l10n.t('Grounded: Compare which coders?'),
            canPickMany: true,
            placeHolder: vscode.l10n.t("Tick two coders, or more for Krippendorff's α of all and every pair"),
          },
        );
        if (!picked) return undefined;
        if (picked.length < 2) {
          notify('warning', vscode.l10n.t('Grounded: agreement is measured between two or more coders; you ticked {0}. Tick at least two.', picked.length), {
            title: vscode.l10n.t('Compare Coders…'),
            run: () => vscode.commands.executeCommand('grounded.compareCoders'),
          });
          return undefined;
        }
        coders = picked.map((p) => p.label);
        await view.personal.set('agreementCoders', coders);
      }
      const chosen = coders;
      const report = await vscode.window.withProgress({ location: { viewId: 'grounded.agreement' }, title: vscode.l10n.t('Comparing coders') }, () => view.compare(chosen, args?.overlap));
      await vscode.commands.executeCommand('grounded.agreement.focus');
      return report;
    },
    'grounded.showDisagreements': async (args: { codeId: string; document: string }) => {
      const uri = view.pageUri(args.codeId, args.document);
      await showMarkdownPage(uri);
      return uri;
    },
  };
}

/** Compare Coders with fewer than two coders: why there is nothing to compare, and how a second coder's work gets here. */
function sayTooFewCoders(coders: readonly string[]): undefined {
  const message =
    coders.length === 0
      ? vscode.l10n.t('Grounded: Compare Coders needs the codings of two coders, and this project has no codings yet. Code the transcripts; a colleague codes the same ones in their copy of the project, and you merge their work with git.')
      : vscode.l10n.t(
          'Grounded: Compare Coders needs the codings of two coders, and this project only has codings by {0}. A colleague codes the same transcripts in their copy of the project, under their own name (the setting grounded.coder), and you merge their work with git; then compare.',
          coders[0],
        );
  notify(
    'info',
    message,
    { title: vscode.l10n.t('Set Up Git Merge Driver'), run: () => vscode.commands.executeCommand('grounded.setUpGitMergeDriver') },
    { title: vscode.l10n.t('Open Setting'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'grounded.coder') },
  );
  return undefined;
}
