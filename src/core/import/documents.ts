// Word (.docx, through mammoth's HTML) and OpenDocument (.odt, its content.xml) documents → paragraphs.
// Each paragraph, heading, list item and table row becomes one block; blocks are separated by blank
// lines, so Grounded's segments (src/core/segments.ts) are the document's paragraphs. Markdown output
// keeps headings, bold and italic, but never formats a speaker label (`**Ola:**` would hide the turn).
import { escapeInline, escapeLineStarts, speakerName, turnPrefixLength } from './text';
import type { TranscriptFormat } from './text';
import { findAll, findFirst, parseXml } from './xml';
import type { XmlElement, XmlNode } from './xml';

export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
}

export interface Block {
  /** a heading's level (1–6); 0 for a paragraph */
  heading: number;
  /** a list item's depth (1 = top level); 0 outside lists */
  list: number;
  /** the item's number in an ordered list */
  number?: number;
  runs: Run[];
}

interface Format {
  bold?: boolean;
  italic?: boolean;
}

const textOf = (runs: readonly Run[]) => runs.map((r) => r.text).join('');

// ---- table rows ---------------------------------------------------------------------------------

const NAME_CELL = /^\p{L}[\p{L}\p{M}\d .'-]{0,39}$/u;
const TIME_CELL = /^[[(]?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)[)\]]?$/;

/**
 * One table row as one block. A transcript kept as a table reads as turns: `Name | text` becomes
 * `Name: text`, `00:12:03 | Name | text` becomes `Name (00:12:03): text`; other rows join their cells
 * with tabs.
 */
function rowBlock(cells: Run[][]): Block | undefined {
  const filled = cells.map(trimRuns).filter((c) => textOf(c).length > 0);
  if (!filled.length) return undefined;
  const plain = filled.map((c) => textOf(c).replace(/:$/, '').trim());
  const joined = (from: number) => filled.slice(from).flatMap((c, i) => (i ? [{ text: ' ' }, ...c] : c));
  const words = (s: string) => s.split(' ').length;
  if (filled.length >= 3 && TIME_CELL.test(plain[0]) && NAME_CELL.test(plain[1]) && words(plain[1]) <= 4) {
    const time = TIME_CELL.exec(plain[0])![1];
    return { heading: 0, list: 0, runs: [{ text: `${speakerName(plain[1])} (${time}): ` }, ...joined(2)] };
  }
  if (filled.length >= 2 && NAME_CELL.test(plain[0]) && words(plain[0]) <= 4) {
    return { heading: 0, list: 0, runs: [{ text: `${speakerName(plain[0])}: ` }, ...joined(1)] };
  }
  return { heading: 0, list: 0, runs: filled.flatMap((c, i) => (i ? [{ text: '\t' }, ...c] : c)) };
}

function trimRuns(runs: readonly Run[]): Run[] {
  const out = runs.filter((r) => r.text.length > 0).map((r) => ({ ...r }));
  while (out.length && !out[0].text.trimStart()) out.shift();
  while (out.length && !out[out.length - 1].text.trimEnd()) out.pop();
  if (out.length) {
    out[0].text = out[0].text.trimStart();
    out[out.length - 1].text = out[out.length - 1].text.trimEnd();
  }
  return out;
}

// ---- mammoth's HTML -----------------------------------------------------------------------------

/** The blocks of the HTML mammoth writes for a .docx (p, h1–h6, ul/ol/li, table, strong, em, br). */
export function htmlBlocks(html: string): Block[] {
  const root = parseXml(`<root>${html}</root>`);
  const blocks: Block[] = [];
  const inline = (node: XmlNode, f: Format, out: Run[]): void => {
    if (typeof node === 'string') {
      out.push({ text: node, ...f });
      return;
    }
    if (node.name === 'br') out.push({ text: '\n' });
    else if (node.name === 'img') return;
    else if (node.name === 'a' && /^#(?:footnote|endnote|comment)-ref-/.test(node.attrs.href ?? '')) return; // the ↑ back to the reference
    else {
      const g = node.name === 'strong' || node.name === 'b' ? { ...f, bold: true } : node.name === 'em' || node.name === 'i' ? { ...f, italic: true } : f;
      for (const c of node.children) inline(c, g, out);
    }
  };
  const runsOf = (nodes: readonly XmlNode[]) => {
    const out: Run[] = [];
    for (const n of nodes) inline(n, {}, out);
    return out;
  };
  const walk = (el: XmlElement, depth: number): void => {
    for (const c of el.children) {
      if (typeof c === 'string') {
        if (c.trim()) blocks.push({ heading: 0, list: 0, runs: [{ text: c }] });
        continue;
      }
      const h = /^h([1-6])$/.exec(c.name);
      if (c.name === 'p') blocks.push({ heading: 0, list: 0, runs: runsOf(c.children) });
      else if (h) blocks.push({ heading: Number(h[1]), list: 0, runs: runsOf(c.children) });
      else if (c.name === 'ul' || c.name === 'ol') {
        let n = 0;
        for (const li of c.children) {
          if (typeof li === 'string' || li.name !== 'li') continue;
          n++;
          const own = li.children.filter((x) => typeof x === 'string' || !['ul', 'ol', 'p', 'table'].includes(x.name));
          const paragraphs = li.children.filter((x): x is XmlElement => typeof x !== 'string' && x.name === 'p');
          const runs = [...runsOf(own), ...paragraphs.flatMap((p, i) => [...(i || own.length ? [{ text: '\n' }] : []), ...runsOf(p.children)])];
          blocks.push({ heading: 0, list: depth + 1, ...(c.name === 'ol' ? { number: n } : {}), runs });
          walk({ ...li, children: li.children.filter((x) => typeof x !== 'string' && ['ul', 'ol', 'table'].includes(x.name)) }, depth + 1);
        }
      } else if (c.name === 'table') {
        for (const tr of findAll(c, 'tr')) {
          const row = rowBlock(tr.children.filter((x): x is XmlElement => typeof x !== 'string' && (x.name === 'td' || x.name === 'th')).map((cell) => cellRuns(cell, runsOf)));
          if (row) blocks.push(row);
        }
      } else walk(c, depth);
    }
  };
  walk(root, 0);
  return blocks;
}

/** A table cell's text: its paragraphs joined with spaces. */
function cellRuns(cell: XmlElement, runsOf: (nodes: readonly XmlNode[]) => Run[]): Run[] {
  const paragraphs = cell.children.filter((x): x is XmlElement => typeof x !== 'string' && x.name === 'p');
  if (!paragraphs.length) return runsOf(cell.children);
  return paragraphs.flatMap((p, i) => [...(i ? [{ text: ' ' }] : []), ...runsOf(p.children)]);
}

// ---- OpenDocument -------------------------------------------------------------------------------

interface OdfStyle {
  bold?: boolean;
  italic?: boolean;
  parent?: string;
}

/** Text and paragraph styles by name, from office:styles and office:automatic-styles. */
function odfStyles(...docs: (XmlElement | undefined)[]): Map<string, OdfStyle> {
  const styles = new Map<string, OdfStyle>([
    ['Strong_20_Emphasis', { bold: true }],
    ['Emphasis', { italic: true }],
  ]);
  for (const doc of docs) {
    if (!doc) continue;
    for (const s of findAll(doc, 'style:style')) {
      const props = findFirst(s, 'style:text-properties');
      const weight = props?.attrs['fo:font-weight'];
      const style = props?.attrs['fo:font-style'];
      styles.set(s.attrs['style:name'] ?? '', {
        ...(weight ? { bold: weight === 'bold' || Number(weight) >= 600 } : {}),
        ...(style ? { italic: style === 'italic' || style === 'oblique' } : {}),
        parent: s.attrs['style:parent-style-name'],
      });
    }
  }
  return styles;
}

function resolve(styles: Map<string, OdfStyle>, name: string | undefined, base: Format): Format {
  const chain: OdfStyle[] = [];
  for (let n = name, guard = 0; n && guard < 20; guard++) {
    const s = styles.get(n);
    if (!s) break;
    chain.unshift(s);
    n = s.parent;
  }
  const out = { ...base };
  for (const s of chain) {
    if (s.bold !== undefined) out.bold = s.bold;
    if (s.italic !== undefined) out.italic = s.italic;
  }
  return out;
}

const ODF_SKIPPED = new Set(['text:note', 'office:annotation', 'text:tracked-changes', 'draw:frame', 'text:sequence-decls', 'office:forms', 'text:index-title-template']);

/** The blocks of an OpenDocument text's content.xml (with styles.xml for named styles, if given). */
export function odtBlocks(contentXml: string, stylesXml?: string): Block[] {
  const content = parseXml(contentXml);
  const styles = odfStyles(stylesXml ? parseXml(stylesXml) : undefined, content);
  const body = findFirst(content, 'office:text');
  if (!body) throw new Error('content.xml has no office:text: this is not a text document');
  const blocks: Block[] = [];
  const inline = (node: XmlNode, f: Format, out: Run[]): void => {
    if (typeof node === 'string') {
      out.push({ text: node.replace(/[ \t\r\n]+/g, ' '), ...f });
      return;
    }
    if (ODF_SKIPPED.has(node.name) || node.name === 'office:annotation-end') return;
    if (node.name === 'text:s') out.push({ text: ' '.repeat(Math.min(Number(node.attrs['text:c'] ?? 1) || 1, 1000)), ...f });
    else if (node.name === 'text:tab') out.push({ text: '\t' });
    else if (node.name === 'text:line-break') out.push({ text: '\n' });
    else {
      const g = node.name === 'text:span' ? resolve(styles, node.attrs['text:style-name'], f) : f;
      for (const c of node.children) inline(c, g, out);
    }
  };
  const runsOf = (el: XmlElement): Run[] => {
    const out: Run[] = [];
    const f = resolve(styles, el.attrs['text:style-name'], {});
    for (const c of el.children) inline(c, f, out);
    return out;
  };
  const walk = (el: XmlElement, depth: number): void => {
    for (const c of el.children) {
      if (typeof c === 'string' || ODF_SKIPPED.has(c.name)) continue;
      if (c.name === 'text:p') blocks.push({ heading: 0, list: depth, runs: runsOf(c) });
      else if (c.name === 'text:h') blocks.push({ heading: Math.min(Math.max(Number(c.attrs['text:outline-level'] ?? 1) || 1, 1), 6), list: 0, runs: runsOf(c) });
      else if (c.name === 'text:list') {
        for (const item of c.children) if (typeof item !== 'string') walk(item, depth + 1);
      } else if (c.name === 'table:table') {
        for (const tr of findAll(c, 'table:table-row')) {
          const cells = tr.children.filter((x): x is XmlElement => typeof x !== 'string' && x.name === 'table:table-cell');
          const row = rowBlock(cells.map((cell) => findAll(cell, 'text:p').flatMap((p, i) => [...(i ? [{ text: ' ' }] : []), ...runsOf(p)])));
          if (row) blocks.push(row);
        }
      } else walk(c, depth);
    }
  };
  walk(body, 0);
  return blocks;
}

// ---- rendering ----------------------------------------------------------------------------------

/** Adjacent runs with the same formatting as one; a run of whitespace alone loses its formatting. */
function mergeRuns(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (!r.text) continue;
    const plain = !r.text.trim();
    const run = { text: r.text, bold: !plain && !!r.bold, italic: !plain && !!r.italic };
    const last = out[out.length - 1];
    if (last && last.bold === run.bold && last.italic === run.italic) last.text += run.text;
    else out.push(run);
  }
  return out;
}

/** The first `n` characters without formatting (a speaker label). */
function unformatPrefix(runs: readonly Run[], n: number): Run[] {
  const out: Run[] = [];
  let left = n;
  for (const r of runs) {
    if (left <= 0) out.push(r);
    else if (r.text.length <= left) {
      out.push({ text: r.text });
      left -= r.text.length;
    } else {
      out.push({ text: r.text.slice(0, left) }, { ...r, text: r.text.slice(left) });
      left = 0;
    }
  }
  return out;
}

function markdownRuns(runs: readonly Run[]): string {
  return mergeRuns(runs)
    .map((r) => {
      const text = escapeInline(r.text);
      if (!r.bold && !r.italic) return text;
      const marker = r.bold && r.italic ? '***' : r.bold ? '**' : '*';
      const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
      return `${m[1]}${marker}${m[2]}${marker}${m[3]}`;
    })
    .join('');
}

function renderBlock(block: Block, format: TranscriptFormat): string {
  let runs = trimRuns(block.runs);
  const plain = textOf(runs);
  if (!plain.trim()) return '';
  if (block.heading && format === 'md') return `${'#'.repeat(block.heading)} ${escapeInline(plain.replace(/\s*\n\s*/g, ' '))}`;
  runs = unformatPrefix(runs, turnPrefixLength(plain));
  let text = format === 'md' ? markdownRuns(runs) : plain;
  if (block.list) {
    const marker = block.number !== undefined ? `${block.number}. ` : '- ';
    const indent = '  '.repeat(block.list - 1);
    text = `${indent}${marker}${text.replace(/\n/g, `\n${indent}${' '.repeat(marker.length)}`)}`;
    return text;
  }
  return format === 'md' ? escapeLineStarts(text) : text;
}

/** The blocks as a transcript: one paragraph each, separated by blank lines. */
export function renderBlocks(blocks: readonly Block[], format: TranscriptFormat): string {
  return blocks
    .map((b) => renderBlock(b, format))
    .filter(Boolean)
    .join('\n\n');
}
