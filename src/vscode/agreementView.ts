// The Agreement view: inter-coder agreement of two coders, by code and transcript (worst first), as
// `grounded agreement` computes it; a click shows where they disagree, side by side, in a page.
import * as vscode from 'vscode';
import { CodeDocumentAgreement, AgreementReport, codersByCodings, compareCoders } from '../core/agreement';
import { formatMeasures, renderDisagreementPage } from '../core/agreementPage';
import { Disposable } from './disposable';
import { notify } from './errors';
import { showMarkdownPage } from './markdownPage';
import type { ProjectService } from './project';
import { transcriptText } from './texts';
import type { WorkspaceFileSystem } from './workspaceFs';
import type { WorkspaceIndex } from './workspaceIndex';

export const AGREEMENT_SCHEME = 'grounded-agreement';

type Node = { kind: 'overall' } | { kind: 'row'; row: CodeDocumentAgreement };

export class AgreementView extends Disposable implements vscode.TreeDataProvider<Node>, vscode.TextDocumentContentProvider {
  private readonly changed = this.own(new vscode.EventEmitter<Node | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  report: AgreementReport | undefined;
  private texts = new Map<string, string>();

  constructor(
    private readonly project: ProjectService,
    private readonly index: WorkspaceIndex,
    private readonly fs: WorkspaceFileSystem,
  ) {
    super();
    this.view = this.own(vscode.window.createTreeView('grounded.agreement', { treeDataProvider: this }));
    this.own(vscode.workspace.registerTextDocumentContentProvider(AGREEMENT_SCHEME, this));
  }

  /** Coders ranked by their number of codings (every coder's, also in blind mode). */
  coders(): string[] {
    return codersByCodings(this.index.documents(true)).map((c) => c.coder);
  }

  /** Compares two coders over every transcript either of them coded. */
  async compare(coders: [string, string]): Promise<AgreementReport> {
    await this.index.ready;
    const docs = this.index.documents(true).filter((d) => d.codings.some((c) => c.coder === coders[0] || c.coder === coders[1]));
    this.texts = new Map();
    const documents = [];
    for (const d of docs) {
      const text = (await transcriptText(this.fs, d.path)) ?? '';
      this.texts.set(d.path, text);
      documents.push({ path: d.path, length: text.length, codings: d.codings });
    }
    this.report = compareCoders(documents, coders, { codes: this.project.project?.codes });
    this.view.description = `${coders[0]} × ${coders[1]}`;
    this.changed.fire(undefined);
    return this.report;
  }

  /** Rows where at least one coder used the code in the transcript, lowest kappa first. */
  rows(): CodeDocumentAgreement[] {
    if (!this.report) return [];
    return this.report.byCodeAndDocument
      .filter((r) => r.counts.both + r.counts.onlyA + r.counts.onlyB > 0)
      .sort((x, y) => x.kappa - y.kappa || x.document.localeCompare(y.document));
  }

  getChildren(node?: Node): Node[] {
    if (node || !this.report) return [];
    return [{ kind: 'overall' }, ...this.rows().map((row) => ({ kind: 'row' as const, row }))];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'overall') {
      const o = this.report!.overall;
      const item = new vscode.TreeItem(vscode.l10n.t('Overall'));
      item.description = `${formatMeasures(o)} · α ${o.alpha.toFixed(2)}`;
      item.iconPath = new vscode.ThemeIcon('graph');
      return item;
    }
    const { row } = node;
    const name = this.project.codeById(row.codeId)?.name ?? row.codeId;
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
    'grounded.compareCoders': async (args?: { coders?: [string, string] }) => {
      let coders = args?.coders;
      if (!coders) {
        const all = view.coders();
        if (all.length < 2) return sayTooFewCoders(all);
        const picked = await vscode.window.showQuickPick(all, {
          title: vscode.l10n.t('Grounded: Compare which two coders?'),
          canPickMany: true,
          placeHolder: vscode.l10n.t('Tick two coders'),
        });
        if (!picked) return undefined;
        if (picked.length !== 2) {
          notify('warning', vscode.l10n.t('Grounded: agreement is measured between exactly two coders; you ticked {0}. Tick two.', picked.length), {
            title: vscode.l10n.t('Compare Coders…'),
            run: () => vscode.commands.executeCommand('grounded.compareCoders'),
          });
          return undefined;
        }
        coders = [picked[0], picked[1]];
      }
      const report = await vscode.window.withProgress({ location: { viewId: 'grounded.agreement' }, title: vscode.l10n.t('Comparing coders') }, () => view.compare(coders));
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
