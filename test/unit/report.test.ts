import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readReportInput } from '../../src/cli/report';
import { run } from '../../src/cli/main';
import { renderCodingsCsv, renderReportHtml, renderReportMarkdown } from '../../src/core/report';
import type { ReportInput } from '../../src/core/report';
import { escapeMarkdown } from '../../src/core/segmentList';
import { codebookFixture, parseCsv } from './fixtures';
import type { Memo } from '../../src/core/model';

const SAMPLE = path.resolve(__dirname, '../../../sample');


describe('report', () => {
  let input: ReportInput;
  before(async () => {
    input = await readReportInput(SAMPLE);
  });

  it('has each category with its codes and counts, its memo, and its representative quotes by pseudonym', () => {
    const md = renderReportMarkdown(input);
    const cats = input.project.codes.filter((c) => !c.parent && input.project.codes.some((k) => k.parent === c.id));
    for (const cat of cats) assert.match(md, new RegExp(`^## ${cat.name}$`, 'm'));
    const flagged = input.documents.flatMap((d) => d.codings.filter((c) => c.representative).map((c) => ({ c, d })));
    assert.ok(flagged.length > 0, 'the sample flags representative quotes');
    for (const { c, d } of flagged) {
      const shown = c.translation ? c.translation.text : c.anchor.quote;
      assert.ok(md.includes(escapeMarkdown(shown.slice(0, 40))), `quote of ${c.id} is in the report`);
      const pseudonym = input.project.cases.find((k) => k.documents.includes(d.path))!.pseudonym;
      assert.ok(md.includes(`— ${pseudonym}`), `attributed to ${pseudonym}`);
    }
    const translated = flagged.find(({ c }) => c.translation);
    assert.ok(translated, 'the sample has a translated representative quote');
    const t = translated.c.translation!;
    assert.ok(md.includes(`Original (nb; translated into ${t.language} by ${t.translator}): ${translated.c.anchor.quote.slice(0, 20)}`), 'the original is shown under the translation');
    const memo = input.memos.find((m) => m.target.kind === 'code' && cats.some((c) => m.target.kind === 'code' && c.id === m.target.id))!;
    assert.ok(md.includes(memo.body.trim().split('\n')[0]), 'the category memo');
    assert.match(md, /^## Codebook$/m);
    assert.match(md, /^## Methods appendix$/m);
    assert.match(md, /Coding dates: \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}\./);
  });

  it('renders HTML in which nothing from the project can become markup or script', () => {
    const hostile = '<script>window.pwned=1</script><img src=x onerror=alert(1)>';
    const evil: ReportInput = {
      ...input,
      project: { ...input.project, codes: input.project.codes.map((c, i) => (i === 0 ? { ...c, name: hostile, description: hostile } : c)) },
      documents: input.documents.map((d) => ({ ...d, codings: d.codings.map((c) => (c.representative ? { ...c, anchor: { ...c.anchor, quote: hostile }, translation: undefined } : c)) })),
      memos: input.memos.map((m) => ({ ...m, body: `${hostile}\n[x](javascript:alert(1))` })),
    };
    const html = renderReportHtml(evil);
    // Only our own tags: the hostile text is there, but as text.
    assert.doesNotMatch(html, /<script|<img|<[^>]*onerror|<a |<iframe/i);
    assert.match(html, /&lt;script&gt;window\.pwned=1&lt;\/script&gt;/);
    assert.match(html, /^<!DOCTYPE html>/);
  });

  it('writes one CSV row per coding, with quotes a spreadsheet reads back exactly', () => {
    const rows = parseCsv(renderCodingsCsv(input));
    const total = input.documents.reduce((n, d) => n + d.codings.length, 0);
    assert.equal(rows.length, total + 1);
    const head = rows[0];
    assert.deepEqual(head, ['document', 'case', 'speaker', 'code', 'quote', 'translation', 'translation language', 'translator', 'coder', 'created', 'start', 'end', 'note', 'representative', 'orphaned', 'excluded speaker', 'coding id']);
    const col = (name: string) => head.indexOf(name);
    const all = input.documents.flatMap((d) => d.codings);
    for (const r of rows.slice(1)) {
      const c = all.find((k) => k.id === r[col('coding id')])!;
      assert.equal(r[col('quote')], c.anchor.quote);
      assert.equal(r[col('coder')], c.coder);
      assert.equal(r[col('translation')], c.translation?.text ?? '');
      assert.equal(r[col('start')], String(c.anchor.start));
    }
    assert.ok(rows.slice(1).every((r) => r.length === head.length));
    assert.ok(rows.slice(1).some((r) => r[col('code')].includes(' > ')), 'code paths with their category');
    assert.ok(rows.slice(1).some((r) => r[col('translator')] !== ''), 'the translator of a translated quote');
    // the speaker of each coded turn, read from the transcript ("Håkon (00:00:41): …")
    assert.ok(rows.slice(1).some((r) => r[col('speaker')] === 'Håkon'), 'speakers from the transcripts');
  });

  it('runs from the command line: --out writes the file, bad options exit 2', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'grounded-report-'));
    try {
      const io = { out: () => undefined, err: (t: string) => void (errors += t), cwd: dir };
      let errors = '';
      assert.equal(await run(['report', SAMPLE, '--format', 'html', '--out', 'r.html'], io), 0);
      assert.match(readFileSync(path.join(dir, 'r.html'), 'utf8'), /<h2 id="code-[0-9a-f-]+">Keeping connected<\/h2>/);
      assert.equal(await run(['report', SAMPLE, '--format', 'pdf'], io), 2);
      assert.match(errors, /--format must be one of md, html, saturation-svg, csv, codebook-csv, codebook-md/);
      assert.equal(await run(['report', dir], io), 2);
      assert.match(errors, /grounded\.json not found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('report: memos and language', () => {
  const { p, cat, calling } = codebookFixture();
  const MEMO = [
    '# Heading',
    '',
    'Waiting is *word* work, see [[code:calling home]] and [[code:nothing like it]].',
    '',
    '- item one',
    '- item two',
    '',
    '| a | b |',
    '| --- | --- |',
    '| 1 | 2 |',
    '',
    '<script>window.pwned=1</script>',
    '',
    '[x](javascript:alert(1))',
  ].join('\n');
  const memo = (target: Memo['target'], body: string): Memo => ({ id: `m-${target.kind}`, target, author: 'Kari', created: '2026-11-05T12:00:00.000Z', modified: '2026-11-05T12:00:00.000Z', body });
  const inputOf = (reportLanguage?: string): ReportInput => ({
    project: { ...p, settings: { ...p.settings, reportLanguage } },
    documents: [],
    memos: [memo({ kind: 'code', id: cat }, MEMO), memo({ kind: 'project' }, '# About the study\n\nFirst *pass*.')],
  });

  it('renders a memo in the HTML report with the board renderer: headings below the section, emphasis, lists, tables, code names, no script', () => {
    const html = renderReportHtml(inputOf());
    const section = html.slice(html.indexOf('>Keeping connected</h2>'));
    // The category is an <h2>, so the memo's "# Heading" is an <h3> inside it.
    assert.match(section, /<div class="memo">\n<h3>Heading<\/h3>/);
    assert.match(section, /<em>word<\/em>/);
    assert.match(section, /<li>item one<\/li>/);
    assert.match(section, /<table>[\s\S]*<td>1<\/td>/);
    // A code link reads as the code's name and jumps to the code in the page; an unknown one is its text.
    assert.match(section, new RegExp(`<a class="memo-link" href="#code-${calling}">calling home</a>`));
    assert.match(html, new RegExp(`<tr id="code-${calling}">`), 'the link has a target in the codebook');
    assert.match(section, /<span class="memo-link">nothing like it<\/span>/);
    assert.doesNotMatch(html, /\[\[code:/);
    assert.doesNotMatch(html, /<script|href="javascript:/i);
    assert.match(html, /&lt;script&gt;window\.pwned=1&lt;\/script&gt;/);
    // The project memo sits under the title: its "# About the study" is an <h2>, not a second <h1>.
    assert.equal(html.match(/<h1[ >]/g)?.length, 1);
    assert.match(html, /<h2>About the study<\/h2>\n<p>First <em>pass<\/em>.<\/p>/);
  });

  it('keeps memos as Markdown in the Markdown report, headings shifted and links as the code name', () => {
    const md = renderReportMarkdown(inputOf());
    assert.match(md, /^## About the study$/m);
    assert.match(md, /^> ### Heading$/m);
    assert.match(md, /^> Waiting is \*word\* work, see calling home and nothing like it\.$/m);
    assert.doesNotMatch(md, /\[\[code:/);
  });

  it('writes its headings and labels in the report language: nb in Bokmål, en and unknown languages in English', () => {
    const nb = renderReportMarkdown(inputOf('nb'));
    for (const heading of ['## Kodebok', '## Metodevedlegg', '## Koder utenfor kategoriene']) assert.match(nb, new RegExp(`^${heading}$`, 'm'));
    assert.match(nb, /^\| Kode \| Beskrivelse \| Segmenter \| Dokumenter \|$/m);
    assert.match(nb, /^0 segmenter i 0 dokumenter\.$/m);
    assert.match(nb, /^\*\*Memo\*\* \(Kari, 2026-11-05\):$/m);
    assert.match(nb, /^Kodere: ingen\.$/m);
    assert.doesNotMatch(nb, /Codebook|Methods appendix|Codes outside/);
    const nbHtml = renderReportHtml(inputOf('nb-NO'));
    assert.match(nbHtml, /<html lang="nb-NO">/);
    assert.match(nbHtml, /<h2>Kodebok<\/h2>/);
    assert.match(nbHtml, /<th>Kategori<\/th>/);
    for (const lang of [undefined, 'en', 'sv']) {
      const en = renderReportMarkdown(inputOf(lang));
      for (const heading of ['## Codebook', '## Methods appendix', '## Codes outside the categories']) assert.match(en, new RegExp(`^${heading}$`, 'm'), `${heading} for ${lang}`);
      assert.match(en, /^Coders: none\.$/m);
    }
  });
});
