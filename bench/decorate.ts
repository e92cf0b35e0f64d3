// The editor's work on a 1 MB transcript with 5,000 codings, in plain Node: what runs on every
// keystroke (shift the codings, find the codes at the cursor for the status bar) and what runs when
// the decorations are drawn (the plan, the positions of every range, the line labels). The VS Code
// side adds only the calls into the editor (positionAt in its own line table, setDecorations),
// which cannot run outside it; the keystroke path makes no such call but for the few characters
// it reads around the edit.
import type { TextChange, TextSource } from '../src/core/anchor';
import { shiftCodings } from '../src/core/anchor';
import { lineAt, lineStartsOf, planDecorations } from '../src/core/decorationPlan';
import type { Coding } from '../src/core/model';
import { codingsAt } from '../src/core/query';
import { normalizeEol } from '../src/core/text';
import { DEFAULT_SEED, Rng, generateCodebook, generateCodings, generateTranscript } from './generate';

export interface Timing {
  median: number;
  min: number;
  max: number;
  reps: number;
}

export interface Comparison {
  subject: Timing;
  baseline: Timing;
}

export type Compare = (subject: () => unknown, baseline: () => unknown, opts: { warmup: number; reps: number }) => Promise<Comparison>;

export interface BenchRow {
  name: string;
  detail: string;
  c: Comparison;
  baseline: string;
}

export interface DecorateOutcome {
  rows: BenchRow[];
  /** the keystroke as the extension did it before: getText (lines joined), normalizeEol, shift over the whole text */
  before: Timing;
  lanes: number;
  labels: number;
}

const CODINGS = 5000;
let sink = 0;

/** The text after the edit, read the way the extension host reads a document range: a slice. */
function sourceOf(text: string): TextSource & { read: number } {
  const source = {
    read: 0,
    slice(start: number, end: number) {
      const s = text.slice(start, end);
      source.read += s.length;
      return s;
    },
  };
  return source;
}

export async function benchDecorate(compare: Compare, warmup: number, reps: number): Promise<DecorateOutcome> {
  const rng = new Rng(`${DEFAULT_SEED}/shift`);
  const codes = generateCodebook(rng.fork('codebook'));
  const t = generateTranscript(rng.fork('text'), 1_000_000, 1);
  // In the order they were made (coded down the text, now and then going back), not sorted.
  const codings = generateCodings(rng.fork('codings'), t, CODINGS, codes);
  const mb = `${(t.text.length / 1e6).toFixed(1)} MB`;

  // The least any pass over the codings does: one small object per coding.
  const mapBaseline = () => {
    sink += codings.map((c) => ({ start: c.anchor.start, end: c.anchor.end })).length;
  };

  // A keystroke near the top (every coding but a few moves) and one inside a coding in the middle.
  const keystroke = (at: number) => {
    const changes: TextChange[] = [{ offset: at, length: 0, text: 'e' }];
    const newText = t.text.slice(0, at) + 'e' + t.text.slice(at);
    const run = () => {
      const source = sourceOf(newText);
      const { codings: shifted } = shiftCodings(codings, changes, source);
      // The status bar: the codes at the cursor, after the typed character.
      sink += codingsAt(shifted, at + 1).length + source.read;
    };
    return { changes, newText, run };
  };
  const top = keystroke(t.sentences[0].start + 5);
  const middleCoding = [...codings].sort((a, b) => a.anchor.start - b.anchor.start)[CODINGS >> 1];
  const middle = keystroke(middleCoding.anchor.start + 3);

  const rows: BenchRow[] = [];
  rows.push({
    name: 'Keystroke near the top',
    detail: `5,000 codings, ${mb} text; shift with a text source + codes at the cursor`,
    c: await compare(top.run, mapBaseline, { warmup, reps }),
    baseline: 'codings.map(c => ({start, end}))',
  });
  rows.push({
    name: 'Keystroke inside a coding, mid-text',
    detail: 'the same, about half the codings after the edit',
    c: await compare(middle.run, mapBaseline, { warmup, reps }),
    baseline: 'codings.map(c => ({start, end}))',
  });

  // The keystroke as it was: the whole text copied (the extension host joins its lines), normalised, shifted.
  const lines = top.newText.split('\n');
  const before = await compare(
    () => {
      const text = normalizeEol(lines.join('\n'));
      const { codings: shifted } = shiftCodings(codings, top.changes, text);
      sink += codingsAt(shifted, 0).length + text.length;
    },
    () => undefined,
    { warmup, reps },
  );

  // Drawing: the plan (lanes, labels) and a position for both ends of every coding, as the extension
  // host's positionAt finds it (binary search in a table of line starts it keeps anyway).
  const starts = lineStartsOf(t.text);
  let lanes = 0;
  let labels = 0;
  const draw = (withLabels: boolean) => () => {
    const plan = planDecorations(codings, { lineOf: withLabels ? (o) => lineAt(starts, o) : undefined });
    const ranges: { sl: number; sc: number; el: number; ec: number }[] = [];
    for (const p of plan.codings) {
      const sl = lineAt(starts, p.start);
      const el = lineAt(starts, p.end);
      ranges.push({ sl, sc: p.start - starts[sl], el, ec: p.end - starts[el] });
    }
    lanes = plan.lanes;
    labels = plan.labels.length;
    sink += ranges.length + plan.labels.length;
  };
  rows.push({
    name: 'Draw decorations',
    detail: '5,000 codings: plan with lanes, both ends of every range as line/character',
    c: await compare(draw(false), mapBaseline, { warmup, reps }),
    baseline: 'codings.map(c => ({start, end}))',
  });
  rows.push({
    name: 'Draw decorations with line labels',
    detail: 'the same, and the codes of every coded line',
    c: await compare(draw(true), mapBaseline, { warmup, reps }),
    baseline: 'codings.map(c => ({start, end}))',
  });
  // Untimed check: the keystroke path left every coding on its words.
  for (const k of [top, middle]) check(codings, k.changes, k.newText);
  if (sink === 0) throw new Error('no work done');
  return { rows, before: before.subject, lanes, labels };
}

function check(codings: readonly Coding[], changes: TextChange[], newText: string): void {
  for (const s of shiftCodings(codings, changes, sourceOf(newText)).codings) {
    if (!s.orphaned && newText.slice(s.anchor.start, s.anchor.end) !== s.anchor.quote) throw new Error(`keystroke lost coding ${s.id}`);
  }
}
