import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChatError } from '../../src/core/chat';
import type { ChatPort, ChatRequest } from '../../src/core/chat';
import { PROMPT_VERSION, chunksOf, findQuote, parseSuggestReply, placeSuggestions, suggestAll, suggestRequest } from '../../src/core/suggest';

// A fictional transcript, written for these tests.
const TEXT = [
  'Interviewer: How do you get through the week?',
  'Sigrid: I count the Sundays. Four more Sundays and then I am out.',
  'Some weeks I do not count at all, because counting makes it longer.',
  'Interviewer: And the calls home?',
  'Sigrid: I call my brother on Tuesdays. I never tell him about the "bad days".',
  '',
].join('\n');

const CODES = [
  { id: 'c-days', name: 'Counting the days', description: 'How the time left is measured.' },
  { id: 'c-calls', name: 'Phone calls' },
];

describe('suggest: the request', () => {
  it('sends the codebook with descriptions and the text, asks for JSON by a strict schema, temperature 0', () => {
    const r = suggestRequest(CODES, 'Sigrid: I count the Sundays.', 'llama3.1:8b');
    assert.equal(r.model, 'llama3.1:8b');
    assert.equal(r.temperature, 0);
    assert.deepEqual(r.messages.map((m) => m.role), ['system', 'user']);
    assert.match(r.messages[0].content, /Answer only with JSON/);
    assert.match(r.messages[0].content, /\{"codings":\[\{"quote":"...","code":"...","reason":"..."\}\]\}/);
    assert.match(r.messages[0].content, /exact words/);
    assert.match(r.messages[1].content, /- Counting the days: How the time left is measured\.\n- Phone calls\n/);
    assert.match(r.messages[1].content, /<<<\nSigrid: I count the Sundays\.\n>>>/);
    const format = r.response_format as { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[]; properties: { codings: { items: { required: string[] } } } } } };
    assert.equal(format.type, 'json_schema');
    assert.equal(format.json_schema.strict, true);
    assert.ok(format.json_schema.name);
    assert.deepEqual(format.json_schema.schema.required, ['codings']);
    assert.deepEqual(format.json_schema.schema.properties.codings.items.required, ['quote', 'code', 'reason']);
    assert.equal(PROMPT_VERSION, 'grounded-suggest-1');
  });

  it('says so when the codebook is empty', () => {
    assert.match(suggestRequest([], 'x', 'm').messages[1].content, /codebook is empty/);
  });
});

describe('suggest: parsing the reply', () => {
  it('reads plain JSON, and JSON inside a ``` fence', () => {
    const json = '{"codings":[{"quote":"I count the Sundays.","code":"Counting the days","reason":"Counting."}]}';
    const want = { codings: [{ quote: 'I count the Sundays.', code: 'Counting the days', reason: 'Counting.' }] };
    assert.deepEqual(parseSuggestReply(json), want);
    assert.deepEqual(parseSuggestReply(`Here you are:\n\`\`\`json\n${json}\n\`\`\`\n`), want);
    assert.deepEqual(parseSuggestReply(`<think>\nThe user wants codes. {"codings": maybe}\n</think>\n\n${json}`), want);
    assert.deepEqual(parseSuggestReply('{"codings":[]}'), { codings: [] });
    assert.deepEqual(parseSuggestReply('{"codings":[{"quote":"a","code":"b"}]}'), { codings: [{ quote: 'a', code: 'b' }] });
  });

  for (const [what, reply, why] of [
    ['prose', 'Sure! The first passage is about counting days.', /not JSON/],
    ['an empty reply', '  ', /it is empty/],
    ['a list', '[{"quote":"a","code":"b"}]', /expected an object with "codings"/],
    ['no codings', '{"coding":[]}', /"codings" is not a list/],
    ['a quote that is not text', '{"codings":[{"quote":3,"code":"b"}]}', /codings\[0\]\.quote is not text/],
  ] as const) {
    it(`refuses ${what} with ChatError 'malformed' quoting the reply's start`, () => {
      assert.throws(
        () => parseSuggestReply(reply),
        (e: unknown) => {
          assert.ok(e instanceof ChatError);
          assert.equal(e.kind, 'malformed');
          assert.equal(e.retryable, false);
          assert.match(e.message, why);
          assert.ok(e.message.includes(`It began: "${reply.trim().slice(0, 40)}`), e.message);
          return true;
        },
      );
    });
  }

  it('cuts a long reply in the message', () => {
    const long = `Well ${'and so on '.repeat(40)}`;
    assert.throws(() => parseSuggestReply(long), (e: Error) => /It began: "Well and so on .{60,80}…"$/.test(e.message));
  });
});

describe('suggest: placing quotes', () => {
  const all: [number, number] = [0, TEXT.length];
  const at = (quote: string) => TEXT.indexOf(quote);

  it('places exact quotes, matches code names case-insensitively, and proposes new codes', () => {
    const { items, dropped } = placeSuggestions(
      TEXT,
      all,
      {
        codings: [
          { quote: 'I count the Sundays.', code: 'counting THE days', reason: 'Counts Sundays.' },
          { quote: 'I call my brother on Tuesdays.', code: 'Phone calls' },
          { quote: 'counting makes it longer', code: 'Time stretches' },
        ],
      },
      CODES,
    );
    assert.deepEqual(dropped, []);
    assert.deepEqual(items, [
      { start: at('I count the Sundays.'), end: at('I count the Sundays.') + 20, code: 'counting THE days', codeId: 'c-days', reason: 'Counts Sundays.' },
      { start: at('I call my brother'), end: at('I call my brother') + 'I call my brother on Tuesdays.'.length, code: 'Phone calls', codeId: 'c-calls' },
      { start: at('counting makes'), end: at('counting makes') + 'counting makes it longer'.length, code: 'Time stretches' },
    ]);
  });

  it('finds a quote whose white space, line breaks and quotation marks differ', () => {
    const q1 = findQuote(TEXT, all, 'Four more  Sundays\tand then I am out.\nSome weeks');
    assert.deepEqual(q1, [at('Four more'), at('Some weeks') + 'Some weeks'.length]);
    const q2 = findQuote(TEXT, all, 'about the “bad days”.');
    assert.deepEqual(q2, [at('about the "bad'), at('about the "bad') + 'about the "bad days".'.length]);
    assert.equal(TEXT.slice(...q2!), 'about the "bad days".');
  });

  it('finds quotes with any of the characters regular expressions treat specially', () => {
    const text = 'Ola: a well-known  place (really) [x] {y} 1+1=2? $5 ^ | / \\ end.\n';
    for (const q of ['a well-known place', '(really) [x]\n{y}', '1+1=2? $5 ^ | / \\ end.', 'well-known  place (really)']) {
      const span = findQuote(text, [0, text.length], q);
      assert.ok(span, q);
      assert.equal(text.slice(...span).replace(/\s+/g, ' '), q.replace(/\s+/g, ' '));
    }
    assert.equal(findQuote(text, [0, text.length], 'a well known place'), undefined);
  });

  it('finds any passage of any text again when its white space and quotation marks are changed (property)', () => {
    const char = fc.constantFrom('a', 'b', 'ø', ' ', '  ', '\n', '\t', '"', "'", '“', '’', '-', '.', '(', ')', '[', '\\', '$', '^', '?', '*', '|', '/', '😀');
    fc.assert(
      fc.property(fc.array(char, { minLength: 1, maxLength: 60 }), fc.nat(), fc.nat(), (chars, x, y) => {
        const text = chars.join('');
        const i = x % text.length;
        const j = i + 1 + (y % (text.length - i));
        const passage = text.slice(i, j);
        if (!passage.trim() || /[\uD800-\uDBFF]$/.test(passage) || /^[\uDC00-\uDFFF]/.test(passage)) return;
        // as a model might give it: white space runs as one space (or a line break), quotation marks swapped
        const quote = passage.replace(/\s+/g, ' ').replace(/"/g, '”').replace(/'/g, '‘').replace(/’/g, "'");
        const span = findQuote(text, [0, text.length], quote);
        assert.ok(span, `${JSON.stringify(quote)} in ${JSON.stringify(text)}`);
        const norm = (t: string) => t.trim().replace(/\s+/g, ' ').replace(/[“”„‟«»]/g, '"').replace(/[‘’‚‛`]/g, "'");
        assert.equal(norm(text.slice(...span)), norm(quote));
        assert.ok(span[0] <= i + (passage.length - passage.trimStart().length), 'the first occurrence is taken');
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('takes the first occurrence inside the range sent, and drops a quote found only outside it', () => {
    const second = TEXT.indexOf('Sigrid: I call');
    assert.deepEqual(findQuote(TEXT, all, 'Sigrid:'), [at('Sigrid:'), at('Sigrid:') + 7]);
    assert.deepEqual(findQuote(TEXT, [second, TEXT.length], 'Sigrid:'), [second, second + 7]);
    const { items, dropped } = placeSuggestions(TEXT, [second, TEXT.length], { codings: [{ quote: 'I count the Sundays.', code: 'Counting the days' }] }, CODES);
    assert.deepEqual(items, []);
    assert.deepEqual(dropped, [{ quote: 'I count the Sundays.', code: 'Counting the days' }]);
  });

  it('drops and counts quotes that are not in the text (changed words, an ellipsis), and empty codes', () => {
    const { items, dropped } = placeSuggestions(
      TEXT,
      all,
      {
        codings: [
          { quote: 'I count the Saturdays.', code: 'Counting the days' },
          { quote: 'Four more Sundays ... I am out', code: 'Counting the days' },
          { quote: 'I count the Sundays.', code: '  ' },
          { quote: '', code: 'Phone calls' },
        ],
      },
      CODES,
    );
    assert.deepEqual(items, []);
    assert.equal(dropped.length, 4);
  });

  it('keeps the same span and code once', () => {
    const { items } = placeSuggestions(TEXT, all, { codings: [{ quote: 'I count the Sundays.', code: 'Phone calls' }, { quote: ' I count the Sundays. ', code: 'phone calls' }] }, CODES);
    assert.equal(items.length, 1);
  });
});

describe('suggest: chunks', () => {
  it('a range (a selection) is one chunk, however long', () => {
    assert.deepEqual(chunksOf(TEXT, [5, 200], 10), [[5, 200]]);
  });

  it('a short transcript is one chunk', () => {
    assert.deepEqual(chunksOf(TEXT), [[0, TEXT.length]]);
    assert.deepEqual(chunksOf(''), []);
  });

  it('cuts a long transcript at speaker turns into chunks of at most maxChars', () => {
    const turns = Array.from({ length: 40 }, (_, i) => `${i % 2 ? 'Sigrid' : 'Interviewer'}: ${'words and more words '.repeat(3 + (i % 5))}\n`);
    const text = turns.join('');
    const starts = new Set(turns.map((_, i) => turns.slice(0, i).join('').length));
    const chunks = chunksOf(text, undefined, 400);
    assert.ok(chunks.length > 3);
    assert.equal(chunks[0][0], 0);
    assert.equal(chunks[chunks.length - 1][1], text.length);
    for (let i = 0; i < chunks.length; i++) {
      assert.ok(chunks[i][1] - chunks[i][0] <= 400, `chunk ${i} is ${chunks[i][1] - chunks[i][0]} long`);
      assert.ok(starts.has(chunks[i][0]), `chunk ${i} starts at a turn`);
      if (i > 0) assert.equal(chunks[i][0], chunks[i - 1][1], 'chunks follow each other without gaps');
    }
  });

  it('cuts a turn longer than maxChars at line breaks, then at white space', () => {
    const text = `Sigrid: ${'one two three four five six seven eight nine ten\n'.repeat(20)}Sigrid: ${'x'.repeat(30)} ${'y'.repeat(30)}`;
    const chunks = chunksOf(text, undefined, 120);
    assert.equal(chunks.map(([s, e]) => text.slice(s, e)).join(''), text);
    for (const [s, e] of chunks) {
      assert.ok(e - s <= 120);
      assert.ok(e === text.length || /[\n ]$/.test(text.slice(s, e)), JSON.stringify(text.slice(s, e)));
    }
  });
});

describe('suggest: suggestAll', () => {
  class FakePort implements ChatPort {
    readonly requests: ChatRequest[] = [];
    constructor(private readonly answer: (request: ChatRequest, n: number) => string | Error) {}
    complete(_endpoint: string, request: ChatRequest): Promise<string> {
      this.requests.push(request);
      const a = this.answer(request, this.requests.length - 1);
      return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
    }
  }
  const opts = { endpoint: 'http://127.0.0.1:1/v1', model: 'm', codes: CODES, timeoutMs: 1000, concurrency: 2, retries: 2, backoffMs: 10, sleep: async () => undefined };

  it('places every chunk of every transcript and reports progress', async () => {
    const port = new FakePort(() => JSON.stringify({ codings: [{ quote: 'I count the Sundays.', code: 'Counting the days' }, { quote: 'nowhere', code: 'Phone calls' }] }));
    const progress: string[] = [];
    const out = await suggestAll(port, [{ path: 'a.txt', text: TEXT }, { path: 'b.txt', text: 'nothing here\n' }], { ...opts, onProgress: (d, t, p) => progress.push(`${d}/${t} ${p}`) });
    assert.equal(port.requests.length, 2);
    assert.deepEqual(out.map((o) => [o.path, o.items.length, o.dropped.length, o.requests, o.error]), [
      ['a.txt', 1, 1, 1, undefined],
      ['b.txt', 0, 2, 1, undefined],
    ]);
    assert.equal(progress.length, 2);
    assert.ok(progress.every((p) => p.includes('/2 ')));
  });

  it('hands each transcript on as soon as its requests are done, one at a time', async () => {
    let aHanded: () => void = () => undefined;
    const aDone = new Promise<void>((r) => (aHanded = r));
    const port: ChatPort = {
      complete: async (_e, request) => {
        // b's request ends only after a.txt was handed on: a caller that got it only at the end would wait forever
        if (request.messages[1].content.includes('nothing here')) await aDone;
        return '{"codings":[{"quote":"I count the Sundays.","code":"x"}]}';
      },
    };
    const handed: string[] = [];
    const out = await suggestAll(port, [{ path: 'a.txt', text: TEXT }, { path: 'b.txt', text: 'nothing here\n' }, { path: 'empty.txt', text: '  \n' }], {
      ...opts,
      onTranscript: async (o) => {
        handed.push(`${o.path}:${o.items.length}:${o.dropped.length}:${o.requests}`);
        if (o.path === 'a.txt') aHanded();
      },
    });
    assert.deepEqual(handed, ['empty.txt:0:0:0', 'a.txt:1:0:1', 'b.txt:0:1:1']);
    assert.deepEqual(out.map((o) => o.path), ['a.txt', 'b.txt', 'empty.txt']);
  });

  it('a failure of onTranscript rejects at the end, after the other transcripts were handed on', async () => {
    const port: ChatPort = { complete: async () => '{"codings":[]}' };
    const handed: string[] = [];
    await assert.rejects(
      suggestAll(port, [{ path: 'a.txt', text: TEXT }, { path: 'b.txt', text: TEXT }], {
        ...opts,
        concurrency: 1,
        onTranscript: (o) => {
          handed.push(o.path);
          if (o.path === 'a.txt') throw new Error('disk full');
        },
      }),
      /disk full/,
    );
    assert.deepEqual(handed, ['a.txt', 'b.txt']);
  });

  it('retries a timeout, then gives the transcript its error and no items', async () => {
    const port = new FakePort((_r, n) => (n === 0 ? new ChatError('timeout', 'slow') : n === 1 ? '{"codings":[{"quote":"I count the Sundays.","code":"x"}]}' : new ChatError('timeout', 'slow')));
    const out = await suggestAll(port, [{ path: 'a.txt', text: TEXT }, { path: 'b.txt', text: TEXT }], { ...opts, concurrency: 1 });
    assert.equal(out[0].items.length, 1);
    assert.equal(out[0].error, undefined);
    assert.equal(out[1].items.length, 0);
    assert.ok(out[1].error instanceof ChatError && out[1].error.kind === 'timeout');
    assert.equal(port.requests.length, 2 + 3);
  });
});
