// Coded ranges drawn over transcripts. What is drawn is planned in src/core/decorationPlan.ts
// (filter, lanes of overlapping codings, codes per line); this file turns the plan into decoration
// types and ranges:
// - a translucent fill per code colour (overlapping fills blend), as strong as
//   grounded.decorations.highlightStrength says; none in high-contrast themes;
// - a mark in the code's colour per coding, chosen by the coding's lane (core laneMark): a line
//   under the words, or a solid, dashed or dotted box around them, so two codings over the same
//   words show two marks; these also mark the overview ruler;
// - a thin bar in the code's colour before the first character of every coding, so codings that
//   overlap or begin at the same place can be told apart (bars at one place stand side by side);
// - optionally (the personal choice lineLabels, personalState.ts) the names of the codes on a line, at its end;
// - AI suggestions not accepted yet: a dashed border in the code's colour (a neutral theme colour for a
//   proposed new code), no fill, no bar, no label: never drawn as codings. Rejected ones only while the
//   personal choice showRejectedSuggestions is on: a faint dotted border, struck through.
// Types are created once per colour (and mark) and strength, and reused. Redraws are debounced: after a
// keystroke VS Code moves the drawn ranges along with the text itself, so the redraw waits until
// typing pauses; any other change (a coding added, the codebook, the filter) redraws at once.
// A transcript just opened is drawn in the same task VS Code tells of its editor, from the codings the
// project's index read from its sidecar when they are anchored to this very text (CodingService.preview),
// and again, sending only what differs, as soon as its own load is done.
import * as vscode from 'vscode';
import type { Coding } from '../core/model';
import type { DecorationFilter, LaneMark, SuggestionMark } from '../core/decorationPlan';
import { fillAlpha, laneMark, planDecorations, withAlpha } from '../core/decorationPlan';
import { highlightStrengthSetting } from './config';
import { positionsOf } from './convert';
import { DecorationFilterState } from './decorationFilter';
import { Disposable } from './disposable';
import type { CodingService } from './codings';
import type { PersonalState } from './personalState';
import type { ProjectService } from './project';

/** What was last drawn for one coding in an editor, kept so tests (and the status bar later) can read it. */
export interface AppliedDecoration {
  codeId: string;
  codingId: string;
  start: number;
  end: number;
  /** overlapping codings are in different lanes (0 = outermost) */
  lane: number;
  /** how the lane is drawn */
  mark: LaneMark;
  /** `#rrggbb` of the fill and the bar */
  colour: string;
}

/** What was last drawn for one AI suggestion (pending, or rejected while those are shown). */
export interface AppliedSuggestion {
  codingId: string;
  /** empty for a proposed new code */
  codeId: string;
  start: number;
  end: number;
  mark: SuggestionMark;
  /** how its border is drawn: dashed (pending) or dotted (rejected) */
  border: 'dashed' | 'dotted';
  /** `#rrggbb` of the code, or `theme` (a proposed new code: a neutral theme colour) */
  colour: string;
}

/** A label at the end of a line: the names of the codes drawn on it. */
export interface AppliedLabel {
  line: number;
  text: string;
}

interface Drawn {
  codings: AppliedDecoration[];
  /** AI suggestions, drawn apart from the codings */
  suggestions: AppliedSuggestion[];
  labels: AppliedLabel[];
  /** how the codings were drawn: translucent fills, or only the lanes' lines in a high-contrast theme */
  style: 'fill' | 'underline';
  /** the fill's opacity (0-255) on light and dark themes; absent without fills */
  fillAlpha?: { light: number; dark: number };
}

interface SentState {
  /** the document version the offsets are for */
  version: number;
  /** per type of the codings, the LF offsets of the ranges sent (start, end, …) */
  types: Map<vscode.TextEditorDecorationType, number[]>;
  /** the line labels sent */
  labels?: readonly vscode.DecorationOptions[];
  /** typing happened since the labels were sent (they stand at line ends VS Code moved itself) */
  labelsMoved: boolean;
}

const UNKNOWN_COLOUR = '#888888';
/** The colour of a suggested new code (no colour yet): a neutral colour of the theme. */
const THEME_COLOUR = 'theme';
/** Read once: every `vscode.X` of the bundled extension is a getter call. */
const { Range } = vscode;
/** Redraw this long after the last keystroke (VS Code moves the ranges meanwhile). */
const TYPING_DELAY = 300;
/** Redraw this long after any other change, so that a burst of changes draws once. */
const CHANGE_DELAY = 15;
const LABEL_SEPARATOR = ' · ';
/** A first draw of more codings than this sends those around the lines in view first (see apply). */
const FIRST_PART_OVER = 1000;
/** How many lines before and after those in view the first part covers. */
const FIRST_PART_LINES = 100;
/**
 * The rest follows this much later: the first part's messages are compressed and written to the window
 * in later turns of the event loop, which a draw of thousands of ranges at once would hold up.
 */
const FIRST_PART_REST_DELAY = 50;

function isHighContrast(kind: vscode.ColorThemeKind): boolean {
  return kind === vscode.ColorThemeKind.HighContrast || kind === vscode.ColorThemeKind.HighContrastLight;
}

export class CodingDecorations extends Disposable {
  /** fill and bar types per colour, lane types per colour and mark; the fills for the strength they were made for */
  private readonly fills = new Map<string, vscode.TextEditorDecorationType>();
  private readonly lanes = new Map<string, vscode.TextEditorDecorationType>();
  private readonly bars = new Map<string, vscode.TextEditorDecorationType>();
  /** suggestion types per colour and mark */
  private readonly suggestionTypes = new Map<string, vscode.TextEditorDecorationType>();
  private alpha = fillAlpha(highlightStrengthSetting());
  private labelType: vscode.TextEditorDecorationType | undefined;
  private themeKind = vscode.window.activeColorTheme.kind;
  /**
   * What each editor was last given, and for which document version, so that unchanged types are not
   * sent again. The codings' types are kept as LF offsets (start, end, start, end, …). Typing moves
   * them the way VS Code moves the drawn ranges (`track`), so a redraw after typing sends only the
   * types whose ranges came out differently. After any other edit (a deletion, an undo, several
   * cursors, an insertion right at a range's edge, where VS Code's rules for the edges decide) the
   * version no longer matches, and every type that was or is non-empty is sent again.
   */
  private sent = new WeakMap<vscode.TextEditor, SentState>();
  /** How many times ranges were sent to an editor (read by the end-to-end tests). */
  sends = 0;
  private readonly drawnByEditor = new WeakMap<vscode.TextEditor, Drawn>();
  private readonly drawnByUri = new Map<string, Drawn>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  /** transcripts whose sidecars are being loaded for an editor */
  private readonly loading = new Set<string>();
  readonly filter: DecorationFilterState;

  constructor(
    private readonly codings: CodingService,
    private readonly project: ProjectService,
    private readonly personal: PersonalState,
  ) {
    super();
    this.filter = this.own(new DecorationFilterState(personal, project));
    this.own(personal.onDidChange((key) => (key === 'lineLabels' || key === 'showRejectedSuggestions') && this.refreshAll()));
    this.own(vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()));
    this.own(codings.onDidChange((uri) => this.schedule(uri.toString(), CHANGE_DELAY, false)));
    this.own(codings.onDidWrite((uri) => this.schedule(uri.toString(), CHANGE_DELAY, false)));
    this.own(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || !codings.peek(e.document.uri)) return;
        this.track(e);
        this.schedule(e.document.uri.toString(), TYPING_DELAY, true);
      }),
    );
    this.own(project.onDidChange(() => this.refreshAll()));
    this.own(this.filter.onDidChange(() => this.refreshAll()));
    this.own(
      vscode.window.onDidChangeActiveColorTheme((theme) => {
        // Light and dark options are both in every type; a high-contrast theme only leaves the fills out.
        const fillsChange = isHighContrast(theme.kind) !== isHighContrast(this.themeKind);
        this.themeKind = theme.kind;
        if (fillsChange) this.refreshAll();
      }),
    );
    this.own(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('grounded.decorations.highlightStrength')) return;
        const alpha = fillAlpha(highlightStrengthSetting());
        if (alpha.light === this.alpha.light && alpha.dark === this.alpha.dark) return;
        this.alpha = alpha;
        this.disposeTypes();
        this.refreshAll();
      }),
    );
    this.own({ dispose: () => this.disposeTypes() });
    this.own({ dispose: () => this.pending.forEach((t) => clearTimeout(t)) });
  }

  /** The codings last drawn for a transcript (in whichever of its editors was drawn last), after the filter. */
  appliedTo(uri: vscode.Uri): AppliedDecoration[] {
    return this.drawnByUri.get(uri.toString())?.codings ?? [];
  }

  /** The AI suggestions last drawn for a transcript (pending; rejected ones while they are shown). */
  suggestionsDrawnIn(uri: vscode.Uri): AppliedSuggestion[] {
    return this.drawnByUri.get(uri.toString())?.suggestions ?? [];
  }

  /** The line labels last drawn for a transcript; empty when they are switched off. */
  labelsOf(uri: vscode.Uri): AppliedLabel[] {
    return this.drawnByUri.get(uri.toString())?.labels ?? [];
  }

  /** What was last drawn in one editor (two editors of a split show the same document). */
  drawnIn(editor: vscode.TextEditor): Drawn | undefined {
    return this.drawnByEditor.get(editor);
  }

  refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.refresh(editor);
  }

  /** Typing postpones the redraw until it pauses; other changes keep the earlier time. */
  private schedule(key: string, delay: number, restart: boolean): void {
    const existing = this.pending.get(key);
    if (existing && !restart) return;
    if (existing) clearTimeout(existing);
    this.pending.set(
      key,
      setTimeout(() => {
        this.drawNow(key);
      }, delay),
    );
  }

  /**
   * Moves what was sent to the editors of a document the way VS Code moves the drawn ranges, for the
   * one edit it can be sure of: text typed (one insertion, not an undo or redo, LF line ends) away from
   * every range's edge. An offset before the insertion stays, one after it moves by the text's length.
   */
  private track(e: vscode.TextDocumentChangeEvent): void {
    const change = e.contentChanges[0];
    const simple =
      e.contentChanges.length === 1 && change.rangeLength === 0 && e.reason === undefined && e.document.eol === vscode.EndOfLine.LF && !change.text.includes('\r');
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== e.document) continue;
      const sent = this.sent.get(editor);
      if (!sent || !simple || sent.version !== e.document.version - 1) continue; // stale: sent again in full
      const at = change.rangeOffset;
      const by = change.text.length;
      if ([...sent.types.values()].some((offsets) => offsets.includes(at))) continue;
      for (const offsets of sent.types.values()) {
        for (let i = 0; i < offsets.length; i++) if (offsets[i] > at) offsets[i] += by;
      }
      sent.version = e.document.version;
      sent.labelsMoved = true;
    }
  }

  refresh(editor: vscode.TextEditor): void {
    const document = editor.document;
    const codings = this.codings.withSuggestions(document.uri);
    if (codings) return this.apply(editor, codings);
    if (!this.codings.isTranscript(document.uri) || this.codings.hasFailed(document.uri)) return;
    // Not loaded yet: drawn at once from the codings the project's index read from the sidecar, when
    // they are anchored to this very text; drawn again (sending only what differs) as soon as the load is done.
    const preview = this.codings.preview(document);
    if (preview) this.apply(editor, preview);
    const key = document.uri.toString();
    if (this.loading.has(key)) return;
    this.loading.add(key);
    this.codings
      .load(document)
      .then(() => this.drawNow(key))
      .catch(() => undefined) // reported through onDidFailToLoad
      .finally(() => this.loading.delete(key));
  }

  /** Draws a document's editors now, instead of when the redraw already scheduled for it was due. */
  private drawNow(key: string): void {
    const pending = this.pending.get(key);
    if (pending) clearTimeout(pending);
    this.pending.delete(key);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === key) this.refresh(editor);
    }
  }

  private apply(editor: vscode.TextEditor, codings: readonly Coding[]): void {
    const filter = this.filter.filter;
    const labels = this.personal.get('lineLabels');
    if (!this.sent.has(editor) && codings.length > FIRST_PART_OVER) {
      // A long transcript's first draw: the codings around what the editor shows first, the rest a moment
      // later, so the highlights in view need not wait for thousands of ranges to cross to the window.
      this.draw(editor, codings, filter, labels, this.around(editor));
      const key = editor.document.uri.toString();
      const pending = this.pending.get(key);
      if (pending) clearTimeout(pending);
      this.pending.set(key, setTimeout(() => this.drawNow(key), FIRST_PART_REST_DELAY));
      return;
    }
    const drawn = this.draw(editor, codings, filter, labels);
    this.drawnByEditor.set(editor, drawn);
    this.drawnByUri.set(editor.document.uri.toString(), drawn);
  }

  /** LF offsets of the lines an editor shows (or, before it knows, of those around its cursor), with a margin. */
  private around(editor: vscode.TextEditor): { start: number; end: number } {
    const shown = editor.visibleRanges;
    const first = shown.length > 0 ? shown[0].start.line : editor.selection.active.line;
    const last = shown.length > 0 ? shown[shown.length - 1].end.line : first + FIRST_PART_LINES;
    const positions = positionsOf(editor.document);
    const lines = editor.document.lineCount;
    return {
      start: positions.offsetAt(new vscode.Position(Math.max(0, first - FIRST_PART_LINES), 0)),
      end: positions.offsetAt(new vscode.Position(Math.min(lines - 1, last + FIRST_PART_LINES), Number.MAX_SAFE_INTEGER)),
    };
  }

  /** Draws the codings, or with `part` only the ranges that touch those offsets (and no labels). */
  private draw(editor: vscode.TextEditor, all: readonly Coding[], filter: DecorationFilter | undefined, labels: boolean, part?: { start: number; end: number }): Drawn {
    const document = editor.document;
    const positions = positionsOf(document);
    const plan = planDecorations(all, {
      filter,
      lineOf: labels ? (offset) => positions.positionAt(offset).line : undefined,
      showRejected: this.personal.get('showRejectedSuggestions'),
    });
    // Per type the LF offsets of its ranges (start, end, …); ranges are made only for the types sent.
    const next = new Map<vscode.TextEditorDecorationType, number[]>();
    const applied: AppliedDecoration[] = [];
    for (const [codeId, planned] of plan.byCode) {
      const colour = this.project.codeById(codeId)?.color ?? UNKNOWN_COLOUR;
      const fill = isHighContrast(this.themeKind) ? undefined : this.ensure(next, this.fillType(colour));
      const bar = this.ensure(next, this.barType(colour));
      const lanes = new Map<LaneMark, number[]>();
      for (const p of planned) {
        const mark = laneMark(p.lane);
        let lane = lanes.get(mark);
        if (!lane) lanes.set(mark, (lane = this.ensure(next, this.laneType(colour, mark))));
        fill?.push(p.start, p.end);
        lane.push(p.start, p.end);
        bar.push(p.start, p.start);
        applied.push({ codeId, codingId: p.coding.id, start: p.start, end: p.end, lane: p.lane, mark, colour });
      }
    }
    applied.sort((a, b) => a.start - b.start || b.end - a.end);
    const suggestions: AppliedSuggestion[] = [];
    for (const p of plan.suggestions) {
      const colour = p.coding.codeId ? (this.project.codeById(p.coding.codeId)?.color ?? UNKNOWN_COLOUR) : THEME_COLOUR;
      this.ensure(next, this.suggestionType(colour, p.mark)).push(p.start, p.end);
      suggestions.push({ codingId: p.coding.id, codeId: p.coding.codeId, start: p.start, end: p.end, mark: p.mark, border: p.mark === 'pending' ? 'dashed' : 'dotted', colour });
    }

    const drawnLabels: AppliedLabel[] = [];
    let labelOptions: vscode.DecorationOptions[] = [];
    if (labels) {
      labelOptions = plan.labels.map(({ line, codeIds }) => {
        const text = codeIds.map((id) => this.project.codeById(id)?.name ?? 'Unknown code').join(LABEL_SEPARATOR);
        drawnLabels.push({ line, text });
        const end = document.lineAt(line).range.end;
        return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } };
      });
    }

    const last = this.sent.get(editor);
    const stale = last !== undefined && last.version !== document.version;
    const sent: SentState = { version: document.version, types: last?.types ?? new Map(), labels: last?.labels, labelsMoved: false };
    this.sent.set(editor, sent);
    // The fill and the lane mark of a coding share one range, its bar starts at the same position:
    // each offset is turned into a position once, each pair of offsets into a range once.
    const at = new Map<number, vscode.Position>();
    const positionAt = (offset: number) => {
      let position = at.get(offset);
      if (!position) at.set(offset, (position = positions.positionAt(offset)));
      return position;
    };
    const made = new Map<number, vscode.Range>();
    let span = 1; // greater than every offset: start * span + end names a pair
    for (const offsets of next.values()) for (const o of offsets) if (o >= span) span = o + 1;
    for (const type of this.types()) {
      const all = next.get(type) ?? [];
      const offsets = part ? pairsTouching(all, part.start, part.end) : all;
      const before = sent.types.get(type);
      const unchanged = stale ? !before?.length && offsets.length === 0 : before ? sameOffsets(before, offsets) : offsets.length === 0;
      if (unchanged) continue;
      const ranges: vscode.Range[] = [];
      for (let i = 0; i < offsets.length; i += 2) {
        const key = offsets[i] * span + offsets[i + 1];
        let range = made.get(key);
        if (!range) made.set(key, (range = new Range(positionAt(offsets[i]), positionAt(offsets[i + 1]))));
        ranges.push(range);
      }
      editor.setDecorations(type, ranges);
      this.sends++;
      sent.types.set(type, offsets);
    }
    if (part) return { codings: applied, suggestions, labels: drawnLabels, style: 'fill' }; // not kept: drawn in full a moment later
    // Labels stand at line ends: after any edit the ones drawn are sent again.
    const labelType = this.labelTypeFor();
    const labelsUnchanged = stale || last?.labelsMoved ? !last?.labels?.length && labelOptions.length === 0 : last?.labels ? sameRanges(last.labels, labelOptions) : labelOptions.length === 0;
    if (!labelsUnchanged) {
      editor.setDecorations(labelType, labelOptions);
      this.sends++;
    }
    sent.labels = labelOptions;
    const fills = !isHighContrast(this.themeKind);
    return { codings: applied, suggestions, labels: drawnLabels, style: fills ? 'fill' : 'underline', fillAlpha: fills ? { ...this.alpha } : undefined };
  }

  private ensure(map: Map<vscode.TextEditorDecorationType, number[]>, type: vscode.TextEditorDecorationType): number[] {
    let list = map.get(type);
    if (!list) map.set(type, (list = []));
    return list;
  }

  private fillType(colour: string): vscode.TextEditorDecorationType {
    let type = this.fills.get(colour);
    if (!type) {
      type = vscode.window.createTextEditorDecorationType({
        // Translucent, so that overlapping codings blend instead of hiding each other; a dark
        // background needs a little more colour to show (core fillAlpha).
        light: { backgroundColor: withAlpha(colour, this.alpha.light) },
        dark: { backgroundColor: withAlpha(colour, this.alpha.dark) },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
      this.fills.set(colour, type);
    }
    return type;
  }

  /** The mark of one lane in one colour: borders and outlines are drawn beside the text, one element per decoration, so they stack. */
  private laneType(colour: string, mark: LaneMark): vscode.TextEditorDecorationType {
    const key = `${colour} ${mark}`;
    let type = this.lanes.get(key);
    if (!type) {
      // A border lies inside the element, an outline just outside it: the two never cover each other.
      const line: vscode.DecorationRenderOptions =
        mark === 'underline'
          ? { borderColor: colour, borderStyle: 'none none solid none', borderWidth: '0 0 2px 0' }
          : { outlineColor: colour, outlineStyle: mark === 'box' ? 'solid' : mark === 'dashed box' ? 'dashed' : 'dotted', outlineWidth: '1px' };
      type = vscode.window.createTextEditorDecorationType({
        ...line,
        overviewRulerColor: `${colour}cc`,
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
      this.lanes.set(key, type);
    }
    return type;
  }

  /**
   * An AI suggestion: a dashed border around the words in the code's colour (a proposed new code: the
   * theme's neutral colour), no fill, so it never reads as a coding; a rejected one (shown on request)
   * faint, dotted and struck through.
   */
  private suggestionType(colour: string, mark: SuggestionMark): vscode.TextEditorDecorationType {
    const key = `${colour} ${mark}`;
    let type = this.suggestionTypes.get(key);
    if (!type) {
      const themed = colour === THEME_COLOUR;
      const borderColor = themed ? new vscode.ThemeColor(mark === 'pending' ? 'editorInfo.foreground' : 'disabledForeground') : mark === 'pending' ? colour : withAlpha(colour, 0x80);
      type = vscode.window.createTextEditorDecorationType(
        mark === 'pending'
          ? {
              borderColor,
              borderStyle: 'dashed',
              borderWidth: '1px',
              borderRadius: '2px',
              overviewRulerColor: themed ? new vscode.ThemeColor('editorInfo.foreground') : `${colour}88`,
              overviewRulerLane: vscode.OverviewRulerLane.Center,
              rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
            }
          : {
              borderColor,
              borderStyle: 'dotted',
              borderWidth: '1px',
              textDecoration: 'line-through',
              opacity: '0.7',
              rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
            },
      );
      this.suggestionTypes.set(key, type);
    }
    return type;
  }

  private barType(colour: string): vscode.TextEditorDecorationType {
    let type = this.bars.get(colour);
    if (!type) {
      type = vscode.window.createTextEditorDecorationType({
        before: { contentText: '\u200b', width: '2px', backgroundColor: colour, margin: '0 1px 0 0' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      });
      this.bars.set(colour, type);
    }
    return type;
  }

  private labelTypeFor(): vscode.TextEditorDecorationType {
    this.labelType ??= vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 2em', fontStyle: 'italic' },
      // Typing at the end of the line keeps the label after the text.
      rangeBehavior: vscode.DecorationRangeBehavior.OpenOpen,
    });
    return this.labelType;
  }

  private types(): vscode.TextEditorDecorationType[] {
    return [...this.fills.values(), ...this.lanes.values(), ...this.bars.values(), ...this.suggestionTypes.values()];
  }

  /** Disposing a type removes its decorations from every editor; the next refresh sends everything again. */
  private disposeTypes(): void {
    for (const type of this.types()) type.dispose();
    this.labelType?.dispose();
    this.fills.clear();
    this.lanes.clear();
    this.bars.clear();
    this.suggestionTypes.clear();
    this.labelType = undefined;
    this.sent = new WeakMap();
  }
}

/** The (start, end) pairs of `offsets` that touch [from, to]. */
function pairsTouching(offsets: readonly number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < offsets.length; i += 2) if (offsets[i + 1] >= from && offsets[i] <= to) out.push(offsets[i], offsets[i + 1]);
  return out;
}

function sameOffsets(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameRanges(a: readonly vscode.DecorationOptions[], b: readonly vscode.DecorationOptions[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!a[i].range.isEqual(b[i].range) || a[i].renderOptions?.after?.contentText !== b[i].renderOptions?.after?.contentText) return false;
  }
  return true;
}
