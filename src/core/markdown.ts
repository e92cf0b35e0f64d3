// Memo Markdown to HTML for the preview. Nothing in a memo may run script: raw HTML is escaped
// (markdown-it with html:false), links are kept only for http(s) and mailto, images are shown as
// their alt text (no remote loads), and `[[kind:ref]]` memo links become anchors carrying their target in
// a data attribute, which the webview turns into a typed message. The webview's content security
// policy is the second wall.
import MarkdownIt from 'markdown-it';
import { memoLinkAt } from './memoLinks';

const SAFE_URL = /^(https?:|mailto:)/i;

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
  md.renderer.rules.memo_link = (tokens, idx) => {
    const link = tokens[idx].meta as { kind: string; ref: string; label: string };
    const esc = md.utils.escapeHtml;
    return `<a role="link" tabindex="0" class="memo-link memo-link-${link.kind}" data-link-kind="${esc(link.kind)}" data-link-ref="${esc(link.ref)}" title="${esc(`${link.kind}: ${link.ref}`)}">${esc(link.label)}</a>`;
  };
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

/** The HTML of a memo body. Safe to assign to innerHTML in the webview. */
export function renderMemoMarkdown(body: string): string {
  instance ??= create();
  return instance.render(body);
}
