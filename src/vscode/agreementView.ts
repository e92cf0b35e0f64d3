// The Agreement view: inter-coder agreement of two coders, by code and transcript (worst first), as
// `grounded agreement` computes it; a click shows where they disagree, side by side, in a page.
import * as vscode from 'vscode';
import { CodeDocumentAgreement, AgreementReport, codersByCodings, compareCoders } from '../core/agreement';
import { formatMeasures, renderDisagreementPage } from '../core/agreementPage';
import { Disposable } from './disposable';
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
      const item = new vscode.TreeItem('Overall');
      item.description = `${formatMeasures(o)} · α ${o.alpha.toFixed(2)}`;
      item.iconPath = new vscode.ThemeIcon('graph');
      return item;
    }
    const { row } = node;
    const name = this.project.codeById(row.codeId)?.name ?? row.codeId;
    const item = new vscode.TreeItem(`${name} — ${row.document}`);
    item.description = formatMeasures(row);
    item.tooltip = `${row.disagreements.length} passage(s) where only one coder has "${name}". Click to see them side by side.`;
    item.iconPath = new vscode.ThemeIcon(row.kappa >= 0.75 ? 'pass' : row.kappa >= 0.4 ? 'warning' : 'error');
    item.command = { command: 'grounded.showDisagreements', title: 'Show Disagreements', arguments: [{ codeId: row.codeId, document: row.document }] };
    return item;
  }

  pageUri(codeId: string, document: string): vscode.Uri {
    const name = this.project.codeById(codeId)?.name ?? codeId;
    return vscode.Uri.from({ scheme: AGREEMENT_SCHEME, path: `/${name} in ${document.split('/').pop()}.md`, query: JSON.stringify({ codeId, document }) });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const { codeId, document } = JSON.parse(uri.query) as { codeId: string; document: string };
    const row = this.report?.byCodeAndDocument.find((r) => r.codeId === codeId && r.document === document);
    if (!row || !this.report) return '# No comparison\n\nRun "Grounded: Compare Coders…" first.\n';
    return renderDisagreementPage(row, this.texts.get(document) ?? '', this.report.coders, this.project.codeById(codeId)?.name ?? codeId);
  }
}

export function createAgreementCommands(view: AgreementView): Record<string, (...args: never[]) => unknown> {
  return {
    'grounded.compareCoders': async (args?: { coders?: [string, string] }) => {
      let coders = args?.coders;
      if (!coders) {
        const all = view.coders();
        if (all.length < 2) throw new Error(`Agreement needs two coders; this project has ${all.length === 0 ? 'no codings' : `only ${all[0]}`}.`);
        const picked = await vscode.window.showQuickPick(all, { title: 'Grounded: Compare which two coders?', canPickMany: true, placeHolder: 'Pick two coders' });
        if (!picked) return undefined;
        if (picked.length !== 2) throw new Error('Pick exactly two coders.');
        coders = [picked[0], picked[1]];
      }
      const report = await vscode.window.withProgress({ location: { viewId: 'grounded.agreement' }, title: 'Comparing coders' }, () => view.compare(coders));
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
