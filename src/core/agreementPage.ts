// The passages where two coders disagree on one code in one transcript, side by side: a Markdown page
// with a column per coder, each disagreement in the column of the coder who coded it. Pure.
import type { CodeDocumentAgreement } from './agreement';
import { escapeMarkdown } from './segmentList';

/** kappa and agreement as shown in lists: "κ 0.43 · 78 %". */
export function formatMeasures(m: { kappa: number; agreement: number }): string {
  return `κ ${m.kappa.toFixed(2)} · ${Math.round(m.agreement * 100)} %`;
}

function cell(text: string): string {
  return escapeMarkdown(text).replace(/\n+/g, ' ⏎ '); // escapeMarkdown escapes | already
}

/** The 1-based line of an offset. */
function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function renderDisagreementPage(row: CodeDocumentAgreement, text: string, coders: readonly [string, string], codeName: string): string {
  const [a, b] = coders;
  const lines = [
    `# ${escapeMarkdown(codeName)} in ${escapeMarkdown(row.document)}`,
    '',
    `${escapeMarkdown(a)} and ${escapeMarkdown(b)}: ${formatMeasures(row)}, Krippendorff's α ${row.alpha.toFixed(2)}. ` +
      `Characters coded by both: ${row.counts.both}; only by ${escapeMarkdown(a)}: ${row.counts.onlyA}; only by ${escapeMarkdown(b)}: ${row.counts.onlyB}.`,
    '',
  ];
  if (row.disagreements.length === 0) {
    lines.push('The two coders agree on every character of this transcript for this code.');
    return lines.join('\n') + '\n';
  }
  lines.push(`| Line | Only ${cell(a)} | Only ${cell(b)} |`, '| --: | --- | --- |');
  for (const d of row.disagreements) {
    const passage = `“${cell(text.slice(d.start, d.end))}”`;
    lines.push(`| ${lineOf(text, d.start)} | ${d.coder === 'a' ? passage : ''} | ${d.coder === 'b' ? passage : ''} |`);
  }
  return lines.join('\n') + '\n';
}
