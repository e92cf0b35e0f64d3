// Memo Markdown to HTML, for the board's preview and for the HTML report. Nothing in a memo may run
// script: raw HTML is escaped (markdown-it with html:false), links are kept only for http(s) and mailto,
// images are shown as their alt text (no remote loads). `[[kind:ref]]` memo links become, on the board,
// anchors carrying their target in a data attribute (which the webview turns into a typed message); in
// a report, readable text (the code's name), with an in-page anchor where the report has one. The
// webview's content security policy is the second wall.
import MarkdownIt from 'markdown-it';
import { memoLinkAt, parseMemoLinks } from './memoLinks';
import type { MemoLink } from './memoLinks';

const SAFE_URL = /^(https?:|mailto:)/i;
const IN_PAGE = /^#[\w-]+$/;

export interface MemoRenderOptions {
  /** levels added to each heading, so a memo's `# X` sits below the heading it is shown under (at most h6) */
  headingOffset?: number;
  /**
   * How a memo link reads: its text and, optionally, an in-page anchor (`#id`; anything else is
   * dropped). Without it, links are the board's data-link anchors.
   */
  link?: (link: MemoLink) => { text: string; href?: string };
}

function create() {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  md.validateLink = (url: string) => SAFE_URL.test(url.trim());
  md.disable('image');
  md.inline.ruler.before('link', 'memo_link', (state, silent) => {
    const link = memoLinkAt(state.src, state.pos);
    if (!link) return false;
    if (!silent) {
      const open = state.push('memo_link', 'a', 0);
      open.meta = { ...link };
    }
    state.pos = link.end;
    return true;
  });
  const esc = md.utils.escapeHtml;
  md.renderer.rules.memo_link = (tokens, idx, _options, env) => {
    const link = tokens[idx].meta as unknown as MemoLink;
    const read = (env as MemoRenderOptions | undefined)?.link;
    if (read) {
      const { text, href } = read(link);
      return href && IN_PAGE.test(href) ? `<a class="memo-link" href="${esc(href)}">${esc(text)}</a>` : `<span class="memo-link">${esc(text)}</span>`;
    }
    return `<a role="link" tabindex="0" class="memo-link memo-link-${link.kind}" data-link-kind="${esc(link.kind)}" data-link-ref="${esc(link.ref)}" title="${esc(`${link.kind}: ${link.ref}`)}">${esc(link.label)}</a>`;
  };
  const shifted = (tokens: { tag: string }[], idx: number, env: unknown) => {
    const by = (env as MemoRenderOptions | undefined)?.headingOffset ?? 0;
    if (by > 0) tokens[idx].tag = `h${Math.min(6, Number(tokens[idx].tag.slice(1)) + by)}`;
  };
  md.renderer.rules.heading_open = (tokens, idx, options, env, self) => (shifted(tokens, idx, env), self.renderToken(tokens, idx, options));
  md.renderer.rules.heading_close = (tokens, idx, options, env, self) => (shifted(tokens, idx, env), self.renderToken(tokens, idx, options));
  // External links open in the browser (the webview asks the host); never in the webview itself.
  const defaultOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    tokens[idx].attrSet('class', 'external-link');
    tokens[idx].attrSet('rel', 'noopener noreferrer');
    return defaultOpen(tokens, idx, options, env, self);
  };
  return md;
}

let instance: ReturnType<typeof create> | undefined;
const markdownIt = () => (instance ??= create());

/** The HTML of a memo body. Safe to assign to innerHTML in the webview and to put in a report page. */
export function renderMemoMarkdown(body: string, options: MemoRenderOptions = {}): string {
  // The options travel as markdown-it's env: one shared parser, no state between calls.
  return markdownIt().render(body, { ...options });
}

/**
 * A memo body for a Markdown report: still Markdown, with its top-level headings shifted by
 * `headingOffset` (ATX and setext alike; code blocks untouched) and each memo link replaced by the
 * text `linkText` gives (already escaped for Markdown by the caller).
 */
export function memoMarkdownForReport(body: string, headingOffset: number, linkText: (link: MemoLink) => string): string {
  const lines = body.split('\n');
  const dropped = new Set<number>();
  for (const t of markdownIt().parse(body, {})) {
    if (t.type !== 'heading_open' || t.level !== 0 || !t.map) continue;
    const [start, end] = t.map;
    const level = Math.min(6, Number(t.tag.slice(1)) + headingOffset);
    if (t.markup.startsWith('#')) lines[start] = lines[start].replace(/^(\s*)#+/, `$1${'#'.repeat(level)}`);
    else {
      // setext: "Title" over "=====" becomes one ATX line; the underline goes
      lines[start] = `${'#'.repeat(level)} ${lines.slice(start, end - 1).map((l) => l.trim()).join(' ')}`;
      for (let i = start + 1; i < end; i++) dropped.add(i);
    }
  }
  const text = lines.filter((_, i) => !dropped.has(i)).join('\n');
  let out = '';
  let at = 0;
  for (const link of parseMemoLinks(text)) {
    out += text.slice(at, link.start) + linkText(link).replace(/\n+/g, ' ');
    at = link.end;
  }
  return out + text.slice(at);
}
