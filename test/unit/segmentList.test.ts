import * as assert from 'node:assert/strict';
import type { Coding, ProjectFile } from '../../src/core/model';
import type { Environment } from '../../src/core/ports';
import { addCode, newProject } from '../../src/core/project';
import { makeAnchor } from '../../src/core/text';
import { analyse } from '../../src/core/analysis';
import {
  describeCounts,
  escapeMarkdown,
  listSegments,
  locateQuote,
  pseudonymOf,
  quoteInContext,
  renderQuoteInContext,
  renderSegmentsPage,
  shortenQuote,
} from '../../src/core/segmentList';

function testEnv(): Environment {
  let n = 0;
  return { now: () => '2026-11-05T12:00:00.000Z', newId: () => `00000000-0000-4000-8000-${(++n).toString().padStart(12, '0')}` };
}

const A = 'interviews/a.txt';
const B = 'interviews/b.txt';
const C = 'interviews/c.txt';
const TEXT_A = ['Interviewer: How do you keep in touch?', '', 'Mira: I call my mother every Sunday.', '', 'Interviewer: And letters?', '', 'Mira: I write <b>one</b> *every* week, #1 priority.', ''].join('\n');
const TEXT_B = ['Tomas: Sundays are the worst.', '', 'Tomas: I call nobody.', ''].join('\n');

function fixture() {
  const env = testEnv();
  let p: ProjectFile = newProject('Test', env);
  const add = (name: string, parent?: string) => {
    const r = addCode(p, { name, parent, description: name === 'Keeping connected' ? 'Calls, *letters* and visits.' : undefined }, 'Kari', env);
    p = r.project;
    return r.code.id;
  };
  const cat = add('Keeping connected');
  const calls = add('Phone calls', cat);
  const letters = add('Letters', cat);
  const other = add('Boredom');
  p = {
    ...p,
    cases: [
      { id: env.newId(), pseudonym: 'Mira', documents: [A], attributes: {} },
      { id: env.newId(), pseudonym: 'Tomas', documents: [B], attributes: {} },
    ],
  };
  let n = 100;
  const coding = (text: string, words: string, codeId: string, extra: Partial<Coding> = {}): Coding => {
    const at = text.indexOf(words);
    assert.ok(at >= 0, words);
    return { id: `00000000-0000-4000-8000-${(++n).toString().padStart(12, '0')}`, codeId, anchor: makeAnchor(text, at, at + words.length), coder: 'Kari', created: '2026-11-06T10:00:00.000Z', ...extra };
  };
  const docs = [
    { path: B, codings: [coding(TEXT_B, 'I call nobody.', calls), coding(TEXT_B, 'Sundays are the worst.', other)] },
    {
      path: A,
      codings: [
        coding(TEXT_A, 'I write <b>one</b> *every* week, #1 priority.', letters, { note: 'Letters as _ritual_' }),
        coding(TEXT_A, 'I call my mother every Sunday.', calls, { coder: 'Jonas' }),
        { ...coding(TEXT_A, 'How do you keep in touch?', cat), orphaned: true },
      ],
    },
    { path: C, codings: [] },
  ];
  return { p, cat, calls, letters, other, docs };
}

describe('segmentList', () => {
  it('pseudonymOf finds the case that lists a transcript', () => {
    const { p } = fixture();
    assert.equal(pseudonymOf(p, A), 'Mira');
    assert.equal(pseudonymOf(p, B), 'Tomas');
    assert.equal(pseudonymOf(p, C), undefined);
  });

  it('groups the codings of a category and its subcodes by document, sorted by path and position, orphans last', () => {
    const { p, cat, calls, letters, docs } = fixture();
    const list = listSegments(analyse({ project: p, documents: docs }), cat);
    assert.deepEqual(list.subcodes.map((c) => c.name).sort(), ['Letters', 'Phone calls']);
    assert.deepEqual(
      list.groups.map((g) => [g.path, g.pseudonym, g.segments.map((s) => s.coding.anchor.quote)]),
      [
        [A, 'Mira', ['I call my mother every Sunday.', 'I write <b>one</b> *every* week, #1 priority.', 'How do you keep in touch?']],
        [B, 'Tomas', ['I call nobody.']],
      ],
    );
    assert.deepEqual(list.groups[0].segments.map((s) => s.code.id), [calls, letters, cat]);
    assert.equal(list.segments, 3);
    assert.equal(list.documents, 2);
    assert.equal(list.orphaned, 1);
    assert.equal(describeCounts(list), '3 segments in 2 documents, 1 orphaned');
  });

  it('lists only the code itself for a leaf code, or without subcodes when asked', () => {
    const { p, cat, calls, docs } = fixture();
    const leaf = listSegments(analyse({ project: p, documents: docs }), calls);
    assert.equal(leaf.subcodes.length, 0);
    assert.deepEqual(leaf.groups.map((g) => g.segments.length), [1, 1]);
    assert.equal(describeCounts(leaf), '2 segments in 2 documents');
    const own = listSegments(analyse({ project: p, documents: docs }), cat, { includeSubcodes: false });
    assert.deepEqual(own.groups.map((g) => g.path), [A]);
    assert.equal(describeCounts(own), '0 segments in 0 documents, 1 orphaned');
    assert.throws(() => listSegments(analyse({ project: p, documents: docs }), 'nope'), /No code/);
  });

  it('shortens quotes to one line at a word boundary', () => {
    assert.equal(shortenQuote('short\n  quote'), 'short quote');
    const long = 'word '.repeat(40);
    const s = shortenQuote(long, 22);
    assert.ok(s.endsWith('…') && s.length <= 22, s);
    assert.equal(s, 'word word word word…');
    assert.equal(shortenQuote('x'.repeat(10) + '😔' + 'y', 11), 'x'.repeat(10) + '…', 'never half an emoji');
  });

  it('locateQuote uses the stored offsets, else the nearest occurrence, else nothing', () => {
    const text = 'aa QUOTE bb QUOTE cc';
    const coding = { anchor: { start: 12, end: 17, prefix: '', quote: 'QUOTE', suffix: '' } } as Coding;
    assert.deepEqual(locateQuote(text, coding), { start: 12, end: 17 });
    assert.deepEqual(locateQuote('x' + text, coding), { start: 13, end: 18 });
    assert.deepEqual(locateQuote('QUOTE and then a lot more text QUOTE', { anchor: { ...coding.anchor, start: 2, end: 7 } } as Coding), { start: 0, end: 5 });
    assert.equal(locateQuote('nothing here', coding), undefined);
  });

  it('quoteInContext takes the neighbouring non-blank lines', () => {
    const at = TEXT_A.indexOf('every Sunday');
    const ctx = quoteInContext(TEXT_A, at, at + 'every Sunday'.length, 1);
    assert.equal(ctx.before, 'Interviewer: How do you keep in touch?\n\nMira: I call my mother ');
    assert.equal(ctx.quote, 'every Sunday');
    assert.equal(ctx.after, '.\n\nInterviewer: And letters?');
    const none = quoteInContext(TEXT_A, at, at + 5, 0);
    assert.equal(none.before, 'Mira: I call my mother ');
    assert.equal(none.after, ' Sunday.');
    const start = quoteInContext(TEXT_B, 0, 7, 2);
    assert.equal(start.before, '');
    assert.equal(start.quote, 'Tomas: ');
    assert.equal(start.after, 'Sundays are the worst.\n\nTomas: I call nobody.\n');
  });

  it('escapes Markdown and HTML in quotes so they show literally', () => {
    assert.equal(escapeMarkdown('<b>one</b> *every* _x_ [l](u) `c` a&b #1 | ~'), '&lt;b&gt;one&lt;/b&gt; \\*every\\* \\_x\\_ \\[l\\](u) \\`c\\` a&amp;b \\#1 \\| \\~');
    const lines = renderQuoteInContext({ before: 'Q: \n\n', quote: '- a list?\n1. no\n> quote', after: ' end\n' });
    assert.deepEqual(lines, ['> Q:', '>', '> **\\- a list?**  ', '> **1\\. no**  ', '> **&gt; quote** end']);
  });

  it('renders a page: code, description, counts, documents with pseudonyms, quotes in bold within their context, notes', () => {
    const { p, cat, docs } = fixture();
    const list = listSegments(analyse({ project: p, documents: docs }), cat);
    const texts: Record<string, string> = { [A]: TEXT_A, [B]: TEXT_B };
    const md = renderSegmentsPage(list, { textOf: (path) => texts[path], contextLines: 1 });
    const lines = md.split('\n');
    assert.equal(lines[0], '# Keeping connected');
    assert.ok(md.includes('Calls, \\*letters\\* and visits.'), 'the description, escaped');
    assert.ok(md.includes('**3 segments in 2 documents, 1 orphaned** (including the subcodes '), md);
    assert.ok(lines.includes('## interviews/a.txt (Mira)'));
    assert.ok(lines.includes('## interviews/b.txt (Tomas)'));
    assert.ok(md.indexOf('(Mira)') < md.indexOf('(Tomas)'));
    assert.ok(md.includes('> Mira: I call my mother every Sunday.') === false, 'the quote is bold');
    assert.ok(md.includes('> Mira: **I call my mother every Sunday.**'), md);
    assert.ok(md.includes('> Interviewer: How do you keep in touch?'), 'the line before as context');
    assert.ok(md.includes('**I write &lt;b&gt;one&lt;/b&gt; \\*every\\* week, \\#1 priority.**'), 'HTML and emphasis escaped');
    assert.ok(!md.includes('<b>'), 'no raw HTML');
    assert.ok(md.includes('Note: Letters as \\_ritual\\_'));
    assert.ok(md.includes('*Phone calls* · Jonas · 2026-11-06'), 'a subcode\'s coding names its code');
    assert.ok(md.includes('**orphaned**'), 'orphans are marked');
    // the orphan is shown without context: its offsets are not trusted
    const orphan = md.slice(md.indexOf('**orphaned**'));
    assert.ok(orphan.includes('> **How do you keep in touch?**'));
  });

  it('renders a quote whose document text cannot be read, and a code without segments', () => {
    const { p, calls, other, docs } = fixture();
    const md = renderSegmentsPage(listSegments(analyse({ project: p, documents: docs }), calls), { textOf: () => undefined });
    assert.ok(md.includes('> **I call nobody.**'));
    const empty = renderSegmentsPage(listSegments(analyse({ project: p, documents: [] }), other), { textOf: () => undefined });
    assert.ok(empty.includes('**0 segments in 0 documents**'));
    assert.ok(empty.includes('No segments'));
  });
});
