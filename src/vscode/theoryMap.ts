// The Theory Map panels: one editor webview per map (webview/map/), drawing the map's codes and
// categories with their colours and counts and the relations between them as arrows. Everything the
// page shows is made here: counts from the session's one analysis, relation rows from core's
// relationRows, screen-reader labels in the language of VS Code. Every edit goes through the session
// (editMaps, addRelation), so it is one transaction with Undo. `handle(mapId, message)` is what the
// end-to-end tests call, as if the map's webview had sent the message. Also the map commands (Open,
// New, Rename, Delete Theory Map, Add to Theory Map).
import * as vscode from 'vscode';
import { relationRows } from '../core/analysis';
import { MAP_LAYOUT, mapGeometry, mapSlug, nodeBoxSize, renderMapSvg } from '../core/mapSvg';
import { EXPORT_DIR } from '../core/model';
import type { Analysis } from '../core/analysis';
import { deleteMap, mapOf, mapsByName, mapsOf, placeNodes, removeNodes, renameMap } from '../core/maps';
import type { Code, MapNode, ProjectFile, Relation, RelationType, TheoryMap } from '../core/model';
import { childrenOf, codePath, nameKey } from '../core/project';
import { relationTypesOf } from '../core/relations';
import type { MapEdgeView, MapHostMessage, MapNodeView, MapPanelData, MapWebviewMessage } from '../shared/webviewProtocol';
import { MAP_PROTOCOL_VERSION } from '../shared/webviewProtocol';
import { ensureCoder } from './coder';
import type { CommandTable } from './commands';
import { Disposable } from './disposable';
import { ActionableError, showError } from './errors';
import type { MemoService } from './memos';
import type { ProjectService } from './project';
import type { EditorSession } from './session';
import { webviewHtml } from './webviewHtml';
import { pseudonymise, warnRealNames } from './exportCommands';

export const MAP_PANEL = 'grounded.theoryMap';

/** The size of a free spot for a node put on a map (a node's box is drawn at most this big). */
const SPOT = { width: 220, height: 90, left: 40, top: 40, columns: 4 };

export interface MapServices {
  project: ProjectService;
  session: EditorSession;
  memos: MemoService;
  extensionUri: vscode.Uri;
}

const noProject = () => vscode.l10n.t('This workspace has no Grounded project yet. Run "Grounded: Initialize Project".');

/** The page's saved state (webview setState), which a restored panel is handed back. */
interface PanelState {
  mapId?: string;
}

/** Places for `count` new nodes that overlap no node of the map: the first free cells of a grid, row by row. */
export function freeSpots(map: TheoryMap, count: number): { x: number; y: number }[] {
  const taken = (x: number, y: number) => map.nodes.some((n) => Math.abs(n.x - x) < SPOT.width && Math.abs(n.y - y) < SPOT.height);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; out.length < count; i++) {
    const x = SPOT.left + (i % SPOT.columns) * SPOT.width;
    const y = SPOT.top + Math.floor(i / SPOT.columns) * SPOT.height;
    if (!taken(x, y) && !out.some((p) => p.x === x && p.y === y)) out.push({ x, y });
  }
  return out;
}

export class TheoryMapPanels extends Disposable implements vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  /** the maps whose page said it is ready (a message posted before that is lost) */
  private readonly ready = new Set<string>();
  /** a selection asked for before the page was ready, posted after its first data */
  private readonly pendingSelect = new Map<string, MapHostMessage>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Every message posted to a map's webview, newest last (read by the end-to-end tests). */
  readonly posted: { mapId: string; message: MapHostMessage }[] = [];
  /** Messages received from the pages, newest last (read by the end-to-end tests). */
  readonly received: MapWebviewMessage[] = [];
  /** PNGs asked of a page (mapRenderPng), by request id */
  private readonly pngs = new Map<number, { resolve: (base64: string) => void; reject: (err: Error) => void }>();
  private nextPng = 1;

  constructor(private readonly s: MapServices) {
    super();
    this.own(vscode.window.registerWebviewPanelSerializer(MAP_PANEL, this));
    this.own(s.session.onDidChange(() => this.refreshSoon()));
    // A change of the maps alone changes no count: the session's own event says so.
    const inner = s.session.session.onDidChange((change) => {
      if (change.maps || change.relations) this.refreshSoon();
    });
    this.own({ dispose: () => inner.dispose() });
    this.own(s.memos.onDidChange(() => this.refreshSoon())); // a node's or an arrow's memo mark
  }

  private get project(): ProjectFile | undefined {
    return this.s.project.project;
  }

  private requireProject(): ProjectFile {
    const p = this.project;
    if (!p) throw new Error(noProject());
    return p;
  }

  // ---- the data -------------------------------------------------------------------------------

  /** Everything a map's page shows. */
  data(mapId: string): MapPanelData {
    const analysis: Analysis | undefined = this.s.session.analysis();
    const project = analysis?.project ?? this.project;
    const base: MapPanelData = { protocol: MAP_PROTOCOL_VERSION, mapId, name: '', hasProject: !!project, nodes: [], edges: [] };
    if (!project) return { ...base, note: noProject() };
    const map = mapOf(project, mapId);
    if (!map) return base;
    const codes = new Map(project.codes.map((c) => [c.id, c]));
    const memoOf = (kind: 'code' | 'relation', id: string) => this.s.memos.about({ kind, id }).length > 0;
    const nodes: MapNodeView[] = [];
    for (const n of map.nodes) {
      const code = codes.get(n.code);
      if (!code) continue; // a hand edit: grounded check reports it
      const category = childrenOf(project, code.id).length > 0;
      const counts = analysis?.counts.get(code.id);
      const count = (category ? counts?.totalSegments : counts?.segments) ?? 0;
      const countText = segmentsText(count);
      // the box as the SVG export lays it out (core/mapSvg.ts), so the panel and the figure match
      const size = nodeBoxSize(code.name, countText, category);
      nodes.push({
        width: size.width,
        height: size.height,
        lines: size.lines,
        code: code.id,
        x: n.x,
        y: n.y,
        name: code.name,
        color: code.color,
        category,
        count,
        countText,
        path: codePath(project, code.id).join(' > '),
        aria: category ? vscode.l10n.t('{0}, category, {1}', code.name, countText) : vscode.l10n.t('{0}, code, {1}', code.name, countText),
        hasMemo: memoOf('code', code.id),
      });
    }
    const on = new Set(nodes.map((n) => n.code));
    const edges: MapEdgeView[] = [];
    for (const row of analysis ? relationRows(analysis) : []) {
      const r = row.relation;
      if (!on.has(r.source) || !on.has(r.target)) continue;
      const evidence = row.evidence.length;
      const evidenceText = evidence === 1 ? vscode.l10n.t('{0} evidence', 1) : vscode.l10n.t('{0} evidence', evidence);
      const words = r.label
        ? vscode.l10n.t('{0} {1} {2} ({3}), {4}', row.source.code.name, row.type.name, row.target.code.name, r.label, evidenceText)
        : vscode.l10n.t('{0} {1} {2}, {3}', row.source.code.name, row.type.name, row.target.code.name, evidenceText);
      edges.push({
        id: r.id,
        source: r.source,
        target: r.target,
        typeName: row.type.name,
        ...(r.label ? { label: r.label } : {}),
        symmetric: row.type.direction === 'symmetric',
        conflict: !!r.conflictOf,
        evidence,
        evidenceText,
        aria: r.conflictOf ? vscode.l10n.t('{0}, a conflicting version from a merge', words) : words,
        hasMemo: memoOf('relation', r.id),
      });
    }
    const note = nodes.length ? undefined : vscode.l10n.t('This map is empty. Put codes on it with "Add to Theory Map" in the Codes view (right-click a code or category).');
    return { ...base, name: map.name, nodes, edges, ...(note ? { note } : {}) };
  }

  // ---- webview hosting ------------------------------------------------------------------------

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const mapId = (state as PanelState | undefined)?.mapId;
    if (!mapId || this.panels.has(mapId)) {
      panel.dispose();
      return;
    }
    this.adopt(panel, mapId);
  }

  /** Opens a map's panel, or shows it when it is open. */
  open(mapId: string): vscode.WebviewPanel {
    const open = this.panels.get(mapId);
    if (open) {
      open.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(MAP_PANEL, this.title(mapId), vscode.ViewColumn.Active, this.options());
    this.adopt(panel, mapId);
    return panel;
  }

  /** The map of the panel in front, if a map's panel is the active editor. */
  get activeMap(): string | undefined {
    for (const [mapId, panel] of this.panels) if (panel.active) return mapId;
    return undefined;
  }

  /**
   * The export's SVG drawn as a PNG by the map's page (a canvas, `scale` times the SVG's size): the
   * extension host has no canvas. Opens the map's panel if needed and waits for its page.
   */
  async renderPng(mapId: string, svg: string, width: number, height: number, scale = 2): Promise<Uint8Array> {
    this.open(mapId);
    const deadline = Date.now() + 30_000;
    const late = () => new Error(vscode.l10n.t('The theory map\'s page did not draw the PNG within 30 seconds. Nothing was written. Try again, or export as SVG.'));
    while (!this.ready.has(mapId)) {
      if (Date.now() > deadline) throw late();
      await new Promise((r) => setTimeout(r, 100));
    }
    const id = this.nextPng++;
    const base64 = await new Promise<string>((resolve, reject) => {
      this.pngs.set(id, { resolve, reject });
      setTimeout(() => {
        if (this.pngs.delete(id)) reject(late());
      }, Math.max(1000, deadline - Date.now()));
      this.post(mapId, { type: 'mapRenderPng', id, svg, width, height, scale });
    });
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  }

  /** The open panels' map ids. */
  get openMaps(): string[] {
    return [...this.panels.keys()];
  }

  close(mapId: string): void {
    this.panels.get(mapId)?.dispose();
  }

  private title(mapId: string): string {
    const map = this.project && mapOf(this.project, mapId);
    return map ? vscode.l10n.t('Theory Map: {0}', map.name) : vscode.l10n.t('Theory Map');
  }

  private adopt(panel: vscode.WebviewPanel, mapId: string): void {
    this.panels.set(mapId, panel);
    panel.title = this.title(mapId);
    panel.iconPath = vscode.Uri.joinPath(this.s.extensionUri, 'media', 'icon.svg');
    panel.webview.options = this.options();
    panel.webview.html = webviewHtml(panel.webview, this.s.extensionUri, { bundle: 'map', title: this.title(mapId), label: this.title(mapId), host: 'panel', data: { 'map-id': mapId } });
    panel.webview.onDidReceiveMessage((m: MapWebviewMessage) => void this.handle(mapId, m));
    // A hidden panel's page is gone (no retained context): it loads again, and says so, when shown.
    panel.onDidChangeViewState(() => {
      if (!panel.visible) this.ready.delete(mapId);
    });
    panel.onDidDispose(() => {
      if (this.panels.get(mapId) !== panel) return;
      this.panels.delete(mapId);
      this.ready.delete(mapId);
      this.pendingSelect.delete(mapId);
    });
  }

  private options(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.s.extensionUri, 'dist')], retainContextWhenHidden: false };
  }

  private post(mapId: string, message: MapHostMessage): void {
    this.posted.push({ mapId, message });
    if (this.posted.length > 100) this.posted.splice(0, this.posted.length - 100);
    const panel = this.panels.get(mapId);
    if (panel) void panel.webview.postMessage(message).then(undefined, () => undefined);
  }

  refreshSoon(): void {
    if (!this.panels.size) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const [mapId, panel] of this.panels) {
        panel.title = this.title(mapId);
        this.send(mapId);
      }
    }, 60);
  }

  private send(mapId: string): void {
    try {
      this.post(mapId, { type: 'mapData', data: this.data(mapId) });
    } catch (err) {
      this.fail(mapId, err);
    }
  }

  /** Selects nodes on an open map's page (after they were put on it). */
  select(mapId: string, codes: string[], relation?: string): void {
    const message: MapHostMessage = { type: 'mapSelect', codes, ...(relation ? { relation } : {}) };
    if (this.ready.has(mapId)) {
      this.send(mapId); // the page draws what it is asked to select first
      this.post(mapId, message);
    } else this.pendingSelect.set(mapId, message);
  }

  /** True once the map's page is loaded and asked for its data. */
  isReady(mapId: string): boolean {
    return this.ready.has(mapId);
  }

  // ---- messages -------------------------------------------------------------------------------

  /** Answers one message of a map's webview. Tests call it directly, as if the webview had sent it. */
  async handle(mapId: string, m: MapWebviewMessage): Promise<void> {
    this.received.push(m);
    if (this.received.length > 100) this.received.splice(0, this.received.length - 100);
    try {
      switch (m.type) {
        case 'mapReady':
          if (m.protocol !== MAP_PROTOCOL_VERSION) throw new Error(vscode.l10n.t('The theory map page speaks protocol {0}, the extension {1}: reload the window.', m.protocol, MAP_PROTOCOL_VERSION));
          await this.s.session.ready();
          this.ready.add(mapId);
          this.send(mapId);
          {
            const pending = this.pendingSelect.get(mapId);
            this.pendingSelect.delete(mapId);
            if (pending) this.post(mapId, pending);
          }
          return;
        case 'mapMove': {
          const nodes: MapNode[] = m.nodes.map((n) => ({ code: n.code, x: n.x, y: n.y }));
          const names = nodes.map((n) => this.codeName(n.code));
          const label = nodes.length === 1 ? vscode.l10n.t('Moved "{0}" on the theory map.', names[0]) : vscode.l10n.t('Moved {0} nodes on the theory map.', nodes.length);
          await this.s.session.session.editMaps(label, (p) => placeNodes(p, m.mapId, nodes));
          this.send(mapId); // the page drew the move already; this confirms it (or puts a refused move back)
          return;
        }
        case 'mapRemove': {
          const label =
            m.codes.length === 1 ? vscode.l10n.t('Took "{0}" off the theory map.', this.codeName(m.codes[0])) : vscode.l10n.t('Took {0} nodes off the theory map.', m.codes.length);
          await this.s.session.session.editMaps(label, (p) => removeNodes(p, m.mapId, m.codes));
          return;
        }
        case 'mapRelate':
          await this.relate(m.mapId, m.source, m.target);
          return;
        case 'mapSegments':
          await vscode.commands.executeCommand('grounded.showSegments', { codeId: m.code });
          return;
        case 'mapMemo':
          await vscode.commands.executeCommand('grounded.openCodeMemo', { codeId: m.code });
          return;
        case 'mapRelationMemo':
          await this.openRelationMemo(m.relation);
          return;
        case 'mapEvidence':
          await vscode.commands.executeCommand('grounded.showRelation', { relationId: m.relation });
          return;
        case 'mapUndo':
          await vscode.commands.executeCommand(m.redo ? 'grounded.redo' : 'grounded.undo');
          return;
        case 'mapExport':
          await vscode.commands.executeCommand('grounded.exportTheoryMap', { mapId: m.mapId });
          return;
        case 'mapPng': {
          const waiting = this.pngs.get(m.id);
          this.pngs.delete(m.id);
          if (m.data) waiting?.resolve(m.data);
          else waiting?.reject(new Error(vscode.l10n.t('The theory map\'s page could not draw the PNG: {0}. Nothing was written. Export as SVG instead.', m.error ?? '')));
          return;
        }
      }
    } catch (err) {
      this.fail(mapId, err);
      if (m.type === 'mapMove') this.send(mapId); // the nodes go back where the file has them
    }
  }

  private codeName(id: string): string {
    return this.project?.codes.find((c) => c.id === id)?.name ?? id;
  }

  /** Relates two codes of a map: asks the target (when not given) among the map's other nodes, then the type. Returns the relation made. */
  async relate(mapId: string, source: string, target?: string): Promise<Relation | undefined> {
    const project = this.requireProject();
    const map = mapOf(project, mapId);
    if (!map) throw new Error(vscode.l10n.t('The theory map no longer exists.'));
    const from = project.codes.find((c) => c.id === source);
    if (!from) throw new Error(vscode.l10n.t('No code with the id {0} in the codebook.', source));
    if (!target) {
      const others = map.nodes.filter((n) => n.code !== source).flatMap((n) => project.codes.filter((c) => c.id === n.code));
      if (!others.length) throw new ActionableError(vscode.l10n.t('"{0}" is the only node on this map: put another code on it to relate them.', from.name));
      const picked = await vscode.window.showQuickPick(
        others.sort((a, b) => a.name.localeCompare(b.name)).map((c) => ({ label: c.name, description: codePath(project, c.id).slice(0, -1).join(' > '), code: c })),
        { title: vscode.l10n.t('Grounded: Relate "{0}" To…', from.name), placeHolder: vscode.l10n.t('The code or category on this map to relate it to') },
      );
      if (!picked) return undefined;
      target = picked.code.id;
    }
    const to = project.codes.find((c) => c.id === target);
    if (!to) throw new Error(vscode.l10n.t('No code with the id {0} in the codebook.', target));
    const type = await pickRelationType(project, from, to);
    if (!type) return undefined;
    const author = await ensureCoder();
    if (!author) return undefined;
    const { relation } = await this.s.session.session.addRelation({ source: from.id, target: to.id, type: type.id }, author, vscode.l10n.t('Related "{0}" {1} "{2}".', from.name, type.name, to.name));
    this.select(mapId, [], relation.id);
    return relation;
  }

  /** Opens the memo of a relation, making it first when there is none. Returns its path. */
  async openRelationMemo(relationId: string): Promise<string | undefined> {
    const project = this.requireProject();
    const relation = project.relations?.find((r) => r.id === relationId);
    if (!relation) throw new Error(vscode.l10n.t('The relation no longer exists.'));
    const target = { kind: 'relation' as const, id: relationId };
    await this.s.memos.ready;
    let path = this.s.memos.about(target)[0]?.path;
    if (!path) {
      const author = await ensureCoder();
      if (!author) return undefined;
      const type = relationTypesOf(project).find((t) => t.id === relation.type);
      const title = `${this.codeName(relation.source)} ${type?.name ?? ''} ${this.codeName(relation.target)}`.replace(/\s+/g, ' ');
      path = (await this.s.memos.create(target, title, `# ${title}\n\n`, author)).path;
    }
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(this.s.memos.fs.uri(path)));
    return path;
  }

  private fail(mapId: string, err: unknown): void {
    this.post(mapId, { type: 'mapError', message: err instanceof Error ? err.message : String(err) });
    void showError(err, this.s.project.fs);
  }

  override dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    super.dispose();
  }
}

function segmentsText(n: number): string {
  return n === 1 ? vscode.l10n.t('1 segment') : vscode.l10n.t('{0} segments', n);
}

/**
 * Asks the type of a new relation of `from` and `to` (every type of the project: built-in first). The
 * pick stays when the focus moves away: after a drag with Alt held, letting go of Alt focuses the
 * workbench's menu bar, which closed the pick before one could choose.
 */
async function pickRelationType(project: ProjectFile, from: Code, to: Code): Promise<RelationType | undefined> {
  const picked = await vscode.window.showQuickPick(
    relationTypesOf(project).map((t) => ({
      label: t.name,
      description: t.direction === 'symmetric' ? vscode.l10n.t('symmetric') : vscode.l10n.t('one-way'),
      detail: `${from.name} ${t.name} ${to.name}`,
      type: t,
    })),
    { title: vscode.l10n.t('Grounded: Relate "{0}" and "{1}"', from.name, to.name), placeHolder: vscode.l10n.t('The type of the relation'), matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.type;
}

// ---- commands ---------------------------------------------------------------------------------

export interface MapCommandServices {
  project: ProjectService;
  session: EditorSession;
  panels: TheoryMapPanels;
  /** the codes selected in the Codes view */
  selectedCodes: () => readonly Code[];
}

interface MapArg {
  mapId?: string;
  name?: string;
}

/** Export Theory Map's arguments (tests, the page's button): the map, the format and the file (a uri or a path in the project). */
interface ExportArg {
  mapId?: string;
  format?: 'svg' | 'png';
  uri?: vscode.Uri | string;
}

export function createMapCommands(s: MapCommandServices): CommandTable {
  const requireProject = (): ProjectFile => {
    const p = s.project.project;
    if (!p) {
      throw new ActionableError(noProject(), [{ title: vscode.l10n.t('Initialize Project'), run: () => vscode.commands.executeCommand('grounded.initializeProject') }]);
    }
    return p;
  };
  const noMaps = () =>
    new ActionableError(vscode.l10n.t('This project has no theory map yet.'), [
      { title: vscode.l10n.t('New Theory Map…'), run: () => vscode.commands.executeCommand('grounded.newTheoryMap') },
    ]);

  /** Asks a new map's name (checked as core checks it); undefined when cancelled. */
  const askName = async (title: string, value = '', self?: string): Promise<string | undefined> => {
    const name = await vscode.window.showInputBox({
      title,
      prompt: vscode.l10n.t('The name of the theory map'),
      value,
      validateInput: (text) => {
        const n = text.trim();
        if (!n) return vscode.l10n.t('A theory map needs a name.');
        const clash = mapsOf(s.project.project ?? requireProject()).find((m) => m.id !== self && nameKey(m.name) === nameKey(n));
        return clash ? vscode.l10n.t('There is already a theory map named "{0}".', clash.name) : undefined;
      },
    });
    return name?.trim() || undefined;
  };

  const create = async (name: string | undefined, title: string): Promise<TheoryMap | undefined> => {
    requireProject();
    const n = name ?? (await askName(title));
    if (!n) return undefined;
    const { map } = await s.session.session.addMap(n);
    return map;
  };

  /** The map of the argument, or the one picked; undefined when cancelled. Throws when there is none. */
  const pickMap = async (arg: MapArg | undefined, placeHolder: string): Promise<TheoryMap | undefined> => {
    const p = requireProject();
    if (arg?.mapId) {
      const m = mapOf(p, arg.mapId);
      if (!m) throw new Error(vscode.l10n.t('No theory map with the id {0}.', arg.mapId));
      return m;
    }
    const maps = mapsByName(p);
    if (!maps.length) throw noMaps();
    if (maps.length === 1) return maps[0];
    const picked = await vscode.window.showQuickPick(
      maps.map((m) => ({ label: m.name, description: m.nodes.length === 1 ? vscode.l10n.t('1 node') : vscode.l10n.t('{0} nodes', m.nodes.length), map: m })),
      { title: vscode.l10n.t('Grounded: Theory Maps'), placeHolder },
    );
    return picked?.map;
  };

  return {
    /** The map as SVG (for a paper) or PNG (twice its size), the pseudonym table applied; returns the file written. */
    'grounded.exportTheoryMap': async (arg?: ExportArg): Promise<vscode.Uri | undefined> => {
      const active = arg?.mapId ?? s.panels.activeMap;
      const map = await pickMap(active ? { mapId: active } : undefined, vscode.l10n.t('The theory map to export'));
      if (!map) return undefined;
      if (!map.nodes.length) {
        throw new ActionableError(vscode.l10n.t('The theory map "{0}" is empty: there is nothing to export. Put codes on it first.', map.name), [
          { title: vscode.l10n.t('Add to Theory Map…'), run: () => vscode.commands.executeCommand('grounded.addToTheoryMap', { mapId: map.id }) },
        ]);
      }
      let format = arg?.format;
      if (!format) {
        const picked = await vscode.window.showQuickPick(
          [
            { label: 'SVG', detail: vscode.l10n.t('A drawing for a paper: sharp at any size, editable in Inkscape or Illustrator'), format: 'svg' as const },
            { label: 'PNG', detail: vscode.l10n.t('An image at twice the size of the map, for slides and documents'), format: 'png' as const },
          ],
          { title: vscode.l10n.t('Grounded: Export Theory Map "{0}"', map.name), placeHolder: vscode.l10n.t('The format of the file') },
        );
        if (!picked) return undefined;
        format = picked.format;
      }
      const analysis = s.session.analysis();
      if (!analysis) throw new Error(noProject());
      const root = s.project.fs.root;
      const uri =
        typeof arg?.uri === 'string'
          ? vscode.Uri.joinPath(root, arg.uri)
          : (arg?.uri ??
            (await vscode.window.showSaveDialog({
              title: vscode.l10n.t('Grounded: Export Theory Map "{0}"', map.name),
              defaultUri: vscode.Uri.joinPath(root, EXPORT_DIR, `map-${mapSlug(map)}.${format}`),
              filters: format === 'svg' ? { SVG: ['svg'] } : { PNG: ['png'] },
              saveLabel: vscode.l10n.t('Export'),
            })));
      if (!uri) return undefined;
      // The drawing of the report and of `grounded map --svg`, with the pseudonym table applied like every export.
      const file = vscode.workspace.asRelativePath(uri);
      const { text, realNames } = await pseudonymise(s.project.fs, file, renderMapSvg(analysis.project, analysis, map.id));
      let bytes: Uint8Array;
      if (format === 'svg') bytes = new TextEncoder().encode(text);
      else {
        const { bounds } = mapGeometry(analysis.project, analysis.counts, map.id);
        const width = bounds.width + 2 * MAP_LAYOUT.margin;
        const height = bounds.height + 2 * MAP_LAYOUT.margin;
        bytes = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Grounded: drawing the theory map "{0}" as PNG…', map.name) },
          () => s.panels.renderPng(map.id, text, width, height, 2),
        );
      }
      await vscode.workspace.fs.writeFile(uri, bytes);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Grounded: theory map written to {0}', file), 5000);
      warnRealNames(file, realNames);
      return uri;
    },
    'grounded.openTheoryMap': async (arg?: MapArg) => {
      const p = requireProject();
      if (!arg?.mapId && !mapsOf(p).length) {
        // None yet: the name of a first one opens it.
        const map = await create(arg?.name, vscode.l10n.t('Grounded: This project has no theory map yet. Name the first one'));
        if (map) s.panels.open(map.id);
        return map?.id;
      }
      const map = await pickMap(arg, vscode.l10n.t('The theory map to open'));
      if (map) s.panels.open(map.id);
      return map?.id;
    },
    'grounded.newTheoryMap': async (arg?: MapArg) => {
      const map = await create(arg?.name, vscode.l10n.t('Grounded: New Theory Map'));
      if (map) s.panels.open(map.id);
      return map?.id;
    },
    'grounded.renameTheoryMap': async (arg?: MapArg) => {
      const map = await pickMap(arg?.mapId ? arg : undefined, vscode.l10n.t('The theory map to rename'));
      if (!map) return undefined;
      const name = arg?.name ?? (await askName(vscode.l10n.t('Grounded: Rename Theory Map "{0}"', map.name), map.name, map.id));
      if (!name) return undefined;
      await s.session.session.editMaps(vscode.l10n.t('Renamed the theory map "{0}" to "{1}".', map.name, name), (p) => renameMap(p, map.id, name));
      return map.id;
    },
    'grounded.deleteTheoryMap': async (arg?: MapArg & { confirm?: boolean }) => {
      const map = await pickMap(arg, vscode.l10n.t('The theory map to delete'));
      if (!map) return false;
      if (arg?.confirm !== false) {
        const yes = vscode.l10n.t('Delete');
        const answer = await vscode.window.showWarningMessage(
          vscode.l10n.t('Delete the theory map "{0}"?', map.name),
          { modal: true, detail: vscode.l10n.t('Its codes and relations stay in the project; only the drawing goes. Undo brings it back.') },
          yes,
        );
        if (answer !== yes) return false;
      }
      s.panels.close(map.id);
      await s.session.session.editMaps(vscode.l10n.t('Deleted the theory map "{0}".', map.name), (p) => deleteMap(p, map.id));
      return true;
    },
    'grounded.addToTheoryMap': async (clicked?: Code | { codeIds?: string[]; mapId?: string }, selected?: readonly Code[]) => {
      const p = requireProject();
      if (!p.codes.length) throw new Error(vscode.l10n.t('The codebook has no codes yet. Code a selection first (Grounded: Code Selection…).'));
      const arg = clicked && !('id' in clicked) ? clicked : undefined;
      const fromView = clicked && 'id' in clicked ? (selected?.some((c) => c.id === clicked.id) ? selected : [clicked]) : s.selectedCodes();
      let ids = arg?.codeIds ?? fromView.map((c) => c.id);
      if (!ids.length) {
        // From the palette with nothing selected: pick the codes here.
        const picked = await vscode.window.showQuickPick(
          p.codes.map((c) => ({ label: c.name, description: codePath(p, c.id).slice(0, -1).join(' > '), code: c })).sort((a, b) => (a.description + a.label).localeCompare(b.description + b.label)),
          { title: vscode.l10n.t('Grounded: Add to Theory Map'), placeHolder: vscode.l10n.t('The codes and categories to put on the map'), canPickMany: true, matchOnDescription: true },
        );
        if (!picked?.length) return undefined;
        ids = picked.map((x) => x.code.id);
      }
      let map: TheoryMap | undefined;
      if (!arg?.mapId && !mapsOf(p).length) map = await create(undefined, vscode.l10n.t('Grounded: This project has no theory map yet. Name the first one'));
      else map = await pickMap(arg?.mapId ? { mapId: arg.mapId } : undefined, vscode.l10n.t('The theory map to put the codes on'));
      if (!map) return undefined;
      const current = mapOf(requireProject(), map.id) ?? map;
      const already = new Set(current.nodes.map((n) => n.code));
      const fresh = ids.filter((id) => !already.has(id));
      s.panels.open(map.id);
      if (!fresh.length) {
        void vscode.window.showInformationMessage(
          ids.length === 1 ? vscode.l10n.t('Grounded: "{0}" is on the map "{1}" already.', p.codes.find((c) => c.id === ids[0])?.name ?? ids[0], map.name) : vscode.l10n.t('Grounded: those codes are on the map "{0}" already.', map.name),
        );
        s.panels.select(map.id, ids);
        return map.id;
      }
      const spots = freeSpots(current, fresh.length);
      const nodes = fresh.map((code, i) => ({ code, ...spots[i] }));
      const names = fresh.map((id) => p.codes.find((c) => c.id === id)?.name ?? id);
      const label = names.length === 1 ? vscode.l10n.t('Put "{0}" on the theory map "{1}".', names[0], map.name) : vscode.l10n.t('Put {0} codes on the theory map "{1}".', names.length, map.name);
      await s.session.session.editMaps(label, (q) => placeNodes(q, map.id, nodes));
      s.panels.select(map.id, fresh);
      return map.id;
    },
  };
}
