import * as assert from 'node:assert/strict';
import { addCode, newProject } from '../../src/core/project';
import { formatMemoLink, memoLinkAt, parseMemoLinks, resolveCodeLink } from '../../src/core/memoLinks';

describe('memo links', () => {
  it('finds code, coding, document and memo links with their labels and offsets', () => {
    const text = 'See [[code:Isolasjon]] and [[coding:40c49d0a-ca07-44fc-abe3-930199f417ac|this quote]],\n[[document:interviews/ola.txt]] [[memo:da65dfd4]].';
    const links = parseMemoLinks(text);
    assert.deepEqual(
      links.map((l) => [l.kind, l.ref, l.label]),
      [
        ['code', 'Isolasjon', 'Isolasjon'],
        ['coding', '40c49d0a-ca07-44fc-abe3-930199f417ac', 'this quote'],
        ['document', 'interviews/ola.txt', 'interviews/ola.txt'],
        ['memo', 'da65dfd4', 'da65dfd4'],
      ],
    );
    assert.equal(text.slice(links[0].start, links[0].end), '[[code:Isolasjon]]');
  });

  it('leaves malformed and unknown links as text', () => {
    assert.deepEqual(parseMemoLinks('[[code:]] [[user:kari]] [[code:a\nb]] [code:x] [[code:open'), []);
  });

  it('reads a link at a position (for the Markdown inline rule) and not elsewhere', () => {
    const text = 'x [[code:Tid og ventetid|waiting]] y';
    assert.equal(memoLinkAt(text, 0), undefined);
    const link = memoLinkAt(text, 2)!;
    assert.equal(link.ref, 'Tid og ventetid');
    assert.equal(link.label, 'waiting');
    assert.equal(link.end, text.indexOf(' y'));
  });

  it('writes links back in the same syntax', () => {
    assert.equal(formatMemoLink('code', 'Isolasjon'), '[[code:Isolasjon]]');
    assert.equal(formatMemoLink('document', 'a/b.txt', 'Ola'), '[[document:a/b.txt|Ola]]');
    assert.equal(parseMemoLinks(formatMemoLink('coding', 'abc', 'q'))[0].label, 'q');
  });

  it('resolves a code link by id, or by name ignoring case and spaces', () => {
    let n = 0;
    const env = { now: () => '2026-11-05T12:00:00.000Z', newId: () => `00000000-0000-4000-8000-${(++n).toString().padStart(12, '0')}` };
    const r = addCode(newProject('T', env), { name: 'Kjedsomhet i helgene' }, 'Kari', env);
    assert.equal(resolveCodeLink(r.project, r.code.id)?.id, r.code.id);
    assert.equal(resolveCodeLink(r.project, ' kjedsomhet I HELGENE ')?.id, r.code.id);
    assert.equal(resolveCodeLink(r.project, 'Ensomhet'), undefined);
  });
});
