// Memo Markdown is rendered so that nothing in a memo can run script: a hostile memo is shown as text.
import * as assert from 'node:assert/strict';
import { memoMarkdownForReport, renderMemoMarkdown } from '../../src/core/markdown';

const HOSTILE = [
  '# Hostile memo',
  '<script>window.__groundedPwned = 1</script>',
  '<img src=x onerror="window.__groundedPwned = 2">',
  '<iframe src="https://example.com"></iframe>',
  '<a href="javascript:alert(1)">raw link</a>',
  '[md link](javascript:window.__groundedPwned=3) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox) [cmd](command:workbench.action.quit)',
  '![img](https://example.com/x.png "t") <svg onload="alert(1)"></svg> <div style="x" onclick="alert(1)">div</div>',
  '[[code:"><script>alert(1)</script>]] [[document:a" onmouseover="alert(1)]]',
].join('\n\n');

describe('memo markdown', () => {
  it('renders headings, emphasis, lists and safe links', () => {
    const html = renderMemoMarkdown('# Title\n\n*waiting* is **time**\n\n- a\n- b\n\n[site](https://example.com)');
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<em>waiting<\/em>/);
    assert.match(html, /<li>a<\/li>/);
    assert.match(html, /<a href="https:\/\/example.com" class="external-link" rel="noopener noreferrer">site<\/a>/);
  });

  it('turns memo links into anchors that carry their target', () => {
    const html = renderMemoMarkdown('About [[code:Tid og ventetid|waiting]] and [[coding:40c49d0a-ca07-44fc-abe3-930199f417ac]].');
    assert.match(html, /<a role="link" tabindex="0" class="memo-link memo-link-code" data-link-kind="code" data-link-ref="Tid og ventetid"[^>]*>waiting<\/a>/);
    assert.match(html, /data-link-kind="coding" data-link-ref="40c49d0a-ca07-44fc-abe3-930199f417ac"/);
  });

  it('renders a hostile memo with no executable element or attribute', () => {
    const html = renderMemoMarkdown(HOSTILE);
    for (const tag of ['script', 'img', 'iframe', 'svg', 'div', 'object', 'embed', 'style']) {
      assert.ok(!new RegExp(`<${tag}[\\s>]`, 'i').test(html), `no <${tag}> element in ${html}`);
    }
    // Event handlers appear only as escaped text, never as attributes of a tag.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    for (const t of tags) {
      // Attribute names only: every value is double-quoted with its own quotes escaped as &quot;.
      const names = t.replace(/"[^"]*"/g, '""');
      assert.ok(!/\son\w+\s*=/i.test(names), `no event handler attribute in ${t}`);
      assert.ok(!/(href|src)\s*=\s*"(javascript|data|vbscript|command):/i.test(t), `no dangerous URL in ${t}`);
      assert.ok(!/\sstyle\s*=/i.test(names), `no style attribute in ${t}`);
    }
    assert.ok(tags.every((t) => /^<\/?(h1|p|a|em|strong|code|br)\b/i.test(t)), `only harmless tags: ${tags.join(' ')}`);
    assert.match(html, /&lt;script&gt;window.__groundedPwned = 1&lt;\/script&gt;/, 'raw HTML is shown as text');
  });

  it('shifts headings and reads memo links as text for a report, letting only in-page anchors through', () => {
    const html = renderMemoMarkdown('# A\n\n## B\n\n##### E\n\n[[code:x]] [[code:y|label]]', {
      headingOffset: 2,
      link: (l) => ({ text: `${l.ref}!`, href: l.ref === 'x' ? '#code-1' : 'javascript:alert(1)' }),
    });
    assert.match(html, /<h3>A<\/h3>\n<h4>B<\/h4>\n<h6>E<\/h6>/);
    assert.match(html, /<a class="memo-link" href="#code-1">x!<\/a> <span class="memo-link">y!<\/span>/);
    // the board's rendering is unchanged by a report's call before it
    assert.match(renderMemoMarkdown('# A'), /^<h1>A<\/h1>/);
  });

  it('keeps a memo Markdown for a Markdown report: headings shifted (not in code), links replaced', () => {
    const body = ['# A', '', 'Setext', '===', '', '```', '# not a heading [[code:x]]', '```', '', '> # quoted', '', 'see [[code:x|the x]] and [[memo:m1]]'].join('\n');
    const out = memoMarkdownForReport(body, 1, (l) => (l.kind === 'code' ? 'X' : 'the memo'));
    assert.equal(out, ['## A', '', '## Setext', '', '```', '# not a heading X', '```', '', '> # quoted', '', 'see X and the memo'].join('\n'));
  });
});
