import * as assert from 'node:assert/strict';
import { MEMO_PROMPT_VERSION, memoDraft, memoDraftInputs, memoDraftRequest, memoDraftText } from '../../src/core/memoDraft';
import { parseMemo } from '../../src/core/memo';
import { newProject } from '../../src/core/project';
import { makeAnchor } from '../../src/core/text';

const CODE_ID = '4b76b837-0f81-4b61-9d03-64c59a29b3ca';
const MEMO_ID = 'a3c1e2f4-1111-4222-8333-944455556666';

describe('suggest: memo drafts', () => {
  const segments = [
    { source: 'P01', quote: 'I count the Sundays.\nFour more Sundays.' },
    { source: 'interviews/odd.txt', quote: 'I stopped counting in the second year.' },
  ];

  it('asks for a Markdown memo about the code from its segments, each with its source', () => {
    const r = memoDraftRequest('Counting the days', 'How the time left is measured.', segments, 'llama3.1:8b');
    assert.equal(r.model, 'llama3.1:8b');
    assert.equal(r.temperature, 0);
    assert.equal(r.response_format, undefined);
    assert.match(r.messages[0].content, /draft memo in Markdown/);
    assert.match(r.messages[0].content, /do not invent/);
    const user = r.messages[1].content;
    assert.match(user, /^Code: Counting the days\nDescription: How the time left is measured\.\n\nSegments \(2\):\n/);
    assert.ok(user.includes('1. [P01] I count the Sundays. Four more Sundays.'));
    assert.ok(user.includes('2. [interviews/odd.txt] I stopped counting in the second year.'));
  });

  it('sends segments labelled by their case pseudonym, with the pseudonym table applied to quotes, name and description', () => {
    const env = { now: () => '2026-12-05T21:00:00.000Z', newId: () => MEMO_ID };
    const project = newProject('Soning', env);
    project.cases = [{ id: CODE_ID, pseudonym: 'P01', documents: ['interviews/sigrid-berg.txt'], attributes: {} }];
    const sigrid = 'Sigrid Berg: I count the Sundays. My brother Odd says stop.';
    const odd = 'Odd: I stopped counting in the second year.';
    const documents = [
      { path: 'interviews/sigrid-berg.txt', codings: [{ anchor: makeAnchor(sigrid, 13, sigrid.length) }] },
      { path: 'interviews/odd.txt', codings: [{ anchor: makeAnchor(odd, 5, odd.length) }] },
    ];
    const table = { version: 1, names: [{ real: 'Odd', pseudonym: 'Ivar' }, { real: 'Sigrid Berg', pseudonym: 'Siri' }] };
    const sent = memoDraftInputs(project, { name: 'Odd counts', description: 'What Odd says about time.' }, documents, table);
    assert.deepEqual(sent, {
      name: 'Ivar counts',
      description: 'What Ivar says about time.',
      segments: [
        { source: 'P01', quote: 'I count the Sundays. My brother Ivar says stop.' },
        { source: 'interviews/Ivar.txt', quote: 'I stopped counting in the second year.' },
      ],
    });
    const user = memoDraftRequest(sent.name, sent.description, sent.segments, 'm').messages[1].content;
    assert.ok(!/odd|sigrid/i.test(user), user);
    // without a table, only the labels change
    assert.equal(memoDraftInputs(project, { name: 'Odd counts' }, documents, { version: 1, names: [] }).segments[1].source, 'interviews/odd.txt');
  });

  it('leaves out segments beyond the limit and says how many', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ source: `t${i}.txt`, quote: 'x'.repeat(90) }));
    const user = memoDraftRequest('C', undefined, many, 'm', 1000).messages[1].content;
    assert.match(user, /Description: \(none\)/);
    const shown = user.split('\n').filter((l) => /^\d+\. \[/.test(l)).length;
    assert.ok(shown >= 1 && shown < 50);
    assert.ok(user.includes(`Segments (50; the first ${shown} are shown, ${50 - shown} left out for length):`));
  });

  it('writes a memo whose front matter marks it AI-written with the model, endpoint and prompt version', () => {
    const input = {
      id: MEMO_ID,
      target: { kind: 'code' as const, id: CODE_ID },
      model: 'llama3.1:8b',
      endpoint: 'http://127.0.0.1:11434/v1',
      created: '2026-12-05T21:00:00.000Z',
      reply: '```markdown\nThe participants measure time in **Sundays** [interviews/sigrid.txt].\n```\n',
    };
    const text = memoDraftText(input);
    assert.equal(
      text,
      [
        '---',
        `id: ${MEMO_ID}`,
        `target: code:${CODE_ID}`,
        'author: "AI: llama3.1:8b"',
        'created: 2026-12-05T21:00:00.000Z',
        'modified: 2026-12-05T21:00:00.000Z',
        'draft: true',
        'generatedBy: llama3.1:8b',
        'endpoint: http://127.0.0.1:11434/v1',
        `promptVersion: ${MEMO_PROMPT_VERSION}`,
        '---',
        '',
        'The participants measure time in **Sundays** [interviews/sigrid.txt].',
        '',
      ].join('\n'),
    );
    // it is a memo like any other: it reads back as written
    const memo = parseMemo(text, 'memos/counting-the-days-a3c1e2f4.md');
    assert.deepEqual(memo, memoDraft(input));
    assert.equal(memo.author, 'AI: llama3.1:8b');
    assert.match(memo.otherFrontMatter ?? '', /^draft: true$/m);
  });

  it('an empty reply drafts nothing, with a clear message', () => {
    assert.throws(
      () => memoDraft({ id: MEMO_ID, target: { kind: 'project' }, model: 'm', endpoint: 'vscode.lm:copilot/gpt-4o', created: '2026-12-05T21:00:00.000Z', reply: ' \n' }),
      /The model \(m\) answered with an empty text: no memo was drafted\./,
    );
  });
});
