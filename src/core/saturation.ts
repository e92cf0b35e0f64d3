// Saturation: how many new codes each successive transcript brought, in the order the transcripts were
// coded (by the date of each one's first coding), with the cumulative count; and the chart of it as an
// SVG image (for the view and the report). Pure.
import type { DocumentCodings } from './codebook';
import type { ProjectFile } from './model';
import { casesByDocument } from './cases';
import { escapeHtml } from './html';
import { isUncountedSuggestion } from './suggestions';

export interface SaturationStep {
  /** workspace-relative path of the transcript */
  path: string;
  /** the case's pseudonym, if the transcript belongs to a case */
  pseudonym?: string;
  /** when the transcript was first coded (ISO date-time) */
  firstCoded: string;
  /** codes used in this transcript */
  codes: number;
  /** ids of the codes first used in this transcript, sorted by name */
  newCodeIds: string[];
  /** codes used so far, this transcript included */
  cumulative: number;
}

/**
 * The saturation steps: transcripts with at least one coding, ordered by their first coding's date
 * (ties by path); a code is new in the first transcript (in that order) where it is used. Pass the
 * documents as the analysis sees them (orphans and excluded speakers already left out).
 */
export function saturation(project: ProjectFile, documents: readonly DocumentCodings[]): SaturationStep[] {
  const names = new Map(project.codes.map((c) => [c.id, c.name]));
  const known = new Set(project.codes.map((c) => c.id));
  const docs = documents
    .map((d) => {
      const codings = d.codings.filter((c) => !c.orphaned && !isUncountedSuggestion(c) && known.has(c.codeId));
      const firstCoded = codings.reduce<string | undefined>((min, c) => (min === undefined || c.created < min ? c.created : min), undefined);
      return { path: d.path, codings, firstCoded };
    })
    .filter((d): d is { path: string; codings: typeof d.codings; firstCoded: string } => d.firstCoded !== undefined)
    .sort((a, b) => (a.firstCoded < b.firstCoded ? -1 : a.firstCoded > b.firstCoded ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const seen = new Set<string>();
  const caseOf = casesByDocument(project);
  return docs.map((d) => {
    const used = new Set(d.codings.map((c) => c.codeId));
    const fresh = [...used].filter((id) => !seen.has(id)).sort((a, b) => (names.get(a)! < names.get(b)! ? -1 : names.get(a)! > names.get(b)! ? 1 : 0));
    for (const id of fresh) seen.add(id);
    const pseudonym = caseOf(d.path)?.pseudonym;
    return { path: d.path, ...(pseudonym ? { pseudonym } : {}), firstCoded: d.firstCoded, codes: used.size, newCodeIds: fresh, cumulative: seen.size };
  });
}

export interface ChartColors {
  /** bars: new codes per transcript */
  bar: string;
  /** line and points: cumulative codes */
  line: string;
  /** axes, labels */
  text: string;
  /** grid lines */
  grid: string;
  /** a background rectangle, none when absent */
  background?: string;
}

export const PRINT_COLORS: ChartColors = { bar: '#6c8ebf', line: '#b85450', text: '#222222', grid: '#dddddd', background: '#ffffff' };

const esc = escapeHtml;
const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The saturation chart as a standalone SVG: a bar per transcript (new codes) and a line of the
 * cumulative count, labelled by pseudonym (or file name). Deterministic for the same steps.
 */
/** The chart's fixed words (the report passes them in its language). */
export interface ChartWords {
  newCodes: string;
  codesSoFar: string;
  /** a bar's tooltip: "2 new, 7 in all" */
  bar(fresh: number, all: number): string;
}

const ENGLISH: ChartWords = { newCodes: 'new codes', codesSoFar: 'codes so far', bar: (fresh, all) => `${fresh} new, ${all} in all` };

export function saturationSvg(steps: readonly SaturationStep[], themeColors: ChartColors = PRINT_COLORS, title = 'New codes per transcript', words: ChartWords = ENGLISH): string {
  // Colours may come from a theme (CSS values): escaped like any text put in an attribute.
  const colors = Object.fromEntries(Object.entries(themeColors).map(([k, v]) => [k, v === undefined ? v : esc(v)])) as unknown as ChartColors;
  const W = 640;
  const H = 320;
  const left = 48;
  const right = 16;
  const top = 36;
  const bottom = 72;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = Math.max(1, ...steps.map((s) => s.cumulative));
  const tick = niceStep(max);
  const yMax = Math.ceil(max / tick) * tick;
  const y = (v: number) => r1(top + plotH - (v / yMax) * plotH);
  const slot = steps.length ? plotW / steps.length : plotW;
  const x = (i: number) => r1(left + slot * i + slot / 2);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" font-family="system-ui, sans-serif" font-size="11">`);
  out.push(`<title>${esc(title)}</title>`);
  if (colors.background) out.push(`<rect width="${W}" height="${H}" fill="${colors.background}"/>`);
  out.push(`<text x="${left}" y="20" font-size="13" fill="${colors.text}">${esc(title)}</text>`);
  for (let v = 0; v <= yMax; v += tick) {
    out.push(`<line x1="${left}" x2="${W - right}" y1="${y(v)}" y2="${y(v)}" stroke="${colors.grid}"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" fill="${colors.text}">${v}</text>`);
  }
  const barW = r1(Math.min(40, slot * 0.6));
  steps.forEach((s, i) => {
    const n = s.newCodeIds.length;
    out.push(`<rect class="bar" x="${r1(x(i) - barW / 2)}" y="${y(n)}" width="${barW}" height="${r1(y(0) - y(n))}" fill="${colors.bar}"><title>${esc(label(s))}: ${esc(words.bar(n, s.cumulative))}</title></rect>`);
    if (n > 0) out.push(`<text x="${x(i)}" y="${y(n) - 4}" text-anchor="middle" fill="${colors.text}">${n}</text>`);
    const name = label(s);
    out.push(`<text x="${x(i)}" y="${top + plotH + 14}" text-anchor="end" transform="rotate(-30 ${x(i)} ${top + plotH + 14})" fill="${colors.text}">${esc(shorten(name, 18))}</text>`);
  });
  if (steps.length) {
    out.push(`<polyline fill="none" stroke="${colors.line}" stroke-width="2" points="${steps.map((s, i) => `${x(i)},${y(s.cumulative)}`).join(' ')}"/>`);
    steps.forEach((s, i) => out.push(`<circle class="point" cx="${x(i)}" cy="${y(s.cumulative)}" r="3" fill="${colors.line}"/>`));
  }
  const ly = H - 12;
  out.push(`<rect x="${left}" y="${ly - 9}" width="10" height="10" fill="${colors.bar}"/><text x="${left + 14}" y="${ly}" fill="${colors.text}">${esc(words.newCodes)}</text>`);
  out.push(`<line x1="${left + 100}" x2="${left + 120}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colors.line}" stroke-width="2"/><text x="${left + 124}" y="${ly}" fill="${colors.text}">${esc(words.codesSoFar)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

const label = (s: SaturationStep) => s.pseudonym ?? s.path.split('/').pop()!;

/** At most `max` characters (code points, so an emoji is never cut in half), with an ellipsis when cut. */
function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function niceStep(max: number): number {
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (raw <= m * mag) return Math.max(1, m * mag);
  return Math.max(1, 10 * mag);
}
