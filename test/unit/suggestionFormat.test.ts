// AI suggestions on disk (issue 17): the `suggestion` record of a coding, written in a fixed key order,
// read back as it was, and refused with the file position when it is malformed.
import * as assert from 'node:assert/strict';
import type { Coding, Sidecar } from '../../src/core/model';
import { FORMAT_VERSION } from '../../src/core/model';
import { UNKNOWN_HASH } from '../../src/core/hash';
import { FormatError } from '../../src/core/jsonError';
import { parseSidecar, serializeSidecar, serializeSidecarChecked, cloneSidecar } from '../../src/core/sidecar';
import { aiCoder } from '../../src/core/suggestions';

const PATH = 'interviews/ola.txt.codes.json';
const id = (n: number): string => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const CODE = '11111111-1111-4111-8111-111111111111';
const T = '2026-12-01T09:00:00.000Z';

function suggestion(n: number, start: number, extra: Partial<Coding> = {}, s: Partial<NonNullable<Coding['suggestion']>> = {}): Coding {
  return {
    id: id(n),
    codeId: CODE,
    anchor: { start, end: start + 4, prefix: '', quote: 'ordx', suffix: '' },
    coder: aiCoder('llama3.1:8b'),
    created: T,
    ...extra,
    suggestion: { status: 'pending', model: 'llama3.1:8b', endpoint: 'http://127.0.0.1:11434/v1', promptVersion: 'grounded-suggest-1', requested: T, code: 'Venting', ...s },
  };
}

const sidecar = (codings: Coding[]): Sidecar => ({ version: FORMAT_VERSION, document: { path: 'interviews/ola.txt', hash: UNKNOWN_HASH }, codings });

function refused(text: string, expect: { line: number; column: number; message: RegExp }): void {
  try {
    parseSidecar(text, PATH);
  } catch (err) {
    assert.ok(err instanceof FormatError, String(err));
    assert.ok(err.message.startsWith(`${PATH}:${expect.line}:${expect.column}: `), err.message);
    assert.match(err.message, expect.message);
    return;
  }
  assert.fail('expected the sidecar to be refused');
}

describe('AI suggestions in sidecars', () => {
  const all = [
    suggestion(1, 0),
    suggestion(2, 10, { codeId: '' }, { status: 'rejected', decidedBy: 'Kari', decided: T, reason: 'Han snakker om «venting».', code: 'Dødtid', proposed: true }),
    suggestion(3, 20, {}, { status: 'accepted', decidedBy: 'Kari', decided: T, code: 'Dødtid', proposed: true, changed: true }),
    { id: id(4), codeId: CODE, anchor: { start: 30, end: 34, prefix: '', quote: 'ordx', suffix: '' }, coder: 'Kari', created: T },
  ];

  it('writes the suggestion record last, its keys in the fixed order, and reads it back as it was', () => {
    const text = serializeSidecar(sidecar(all));
    const line = text.split('\n').find((l) => l.includes(id(2)))!;
    assert.equal(
      line.trim(),
      `{"id":"${id(2)}","codeId":"","anchor":{"start":10,"end":14,"prefix":"","quote":"ordx","suffix":""},"coder":"AI: llama3.1:8b","created":"${T}",` +
        `"suggestion":{"status":"rejected","model":"llama3.1:8b","endpoint":"http://127.0.0.1:11434/v1","promptVersion":"grounded-suggest-1","requested":"${T}","decidedBy":"Kari","decided":"${T}","reason":"Han snakker om «venting».","code":"Dødtid","proposed":true}},`,
    );
    const back = parseSidecar(text, PATH);
    assert.deepEqual(back.codings, all);
    assert.equal(serializeSidecar(back), text);
  });

  it('gives the same bytes whatever order the keys were in memory', () => {
    const shuffled = all.map((c) => {
      if (!c.suggestion) return c;
      const s = c.suggestion;
      const reversed = Object.fromEntries(Object.entries(s).reverse()) as typeof s;
      return { suggestion: reversed, created: c.created, coder: c.coder, anchor: c.anchor, codeId: c.codeId, id: c.id } as Coding;
    });
    assert.equal(serializeSidecar(sidecar(shuffled)), serializeSidecar(sidecar(all)));
    assert.equal(serializeSidecarChecked(sidecar(shuffled), PATH).text, serializeSidecar(sidecar(all)));
    assert.deepEqual(serializeSidecarChecked(sidecar(all), PATH).data.codings, all);
  });

  it('copies the suggestion record in a deep copy', () => {
    const copy = cloneSidecar(sidecar(all));
    assert.notEqual(copy.codings[0].suggestion, all[0].suggestion);
    assert.deepEqual(copy.codings, all);
  });

  const textWith = (record: string) => `{\n  "version": 1,\n  "document": {"path":"interviews/ola.txt","hash":"${UNKNOWN_HASH}"},\n  "codings": [\n    ${record}\n  ]\n}\n`;
  const rec = (codeId: string, s: string) =>
    `{"id":"${id(1)}","codeId":"${codeId}","anchor":{"start":0,"end":4,"prefix":"","quote":"ordx","suffix":""},"coder":"AI: m","created":"${T}","suggestion":{${s}}}`;
  const base = `"model":"m","endpoint":"http://127.0.0.1:11434/v1","promptVersion":"grounded-suggest-1","requested":"${T}"`;

  it('refuses an unknown status, naming the field with its line and column', () => {
    const text = textWith(rec(CODE, `"status":"maybe",${base},"code":"X"`));
    const col = text.split('\n')[4].indexOf('"maybe"') + 1;
    refused(text, { line: 5, column: col, message: /codings\[0\]\.suggestion\.status: expected "pending", "accepted" or "rejected", got "maybe"/ });
  });

  it('refuses codeId "" unless the suggestion is a pending or rejected proposed code', () => {
    const accepted = textWith(rec('', `"status":"accepted",${base},"decidedBy":"Kari","decided":"${T}","code":"X","proposed":true`));
    refused(accepted, { line: 5, column: accepted.split('\n')[4].indexOf('""') + 1, message: /codings\[0\]\.codeId: expected a lowercase UUID, got "" \(only a pending or rejected suggestion of a proposed new code/ });
    const notProposed = textWith(rec('', `"status":"pending",${base},"code":"X"`));
    refused(notProposed, { line: 5, column: notProposed.split('\n')[4].indexOf('""') + 1, message: /codeId: expected a lowercase UUID/ });
    const plain = textWith(`{"id":"${id(1)}","codeId":"","anchor":{"start":0,"end":4,"prefix":"","quote":"ordx","suffix":""},"coder":"Kari","created":"${T}"}`);
    refused(plain, { line: 5, column: plain.split('\n')[4].indexOf('""') + 1, message: /codings\[0\]\.codeId: expected a lowercase UUID, got ""$/ });
    // pending and rejected proposed suggestions read
    assert.equal(parseSidecar(textWith(rec('', `"status":"pending",${base},"code":"X","proposed":true`)), PATH).codings[0].codeId, '');
    assert.equal(parseSidecar(textWith(rec('', `"status":"rejected",${base},"decidedBy":"Kari","decided":"${T}","code":"X","proposed":true`)), PATH).codings[0].codeId, '');
  });

  it('refuses a missing field, an unknown field, a bad timestamp and a flag that is not true', () => {
    const missing = textWith(rec(CODE, `"status":"pending",${base}`));
    refused(missing, { line: 5, column: missing.split('\n')[4].indexOf('{"status"') + 1, message: /codings\[0\]\.suggestion: missing field "code"/ });
    const unknown = textWith(rec(CODE, `"status":"pending",${base},"code":"X","score":0.9`));
    refused(unknown, { line: 5, column: unknown.split('\n')[4].indexOf('0.9') + 1, message: /suggestion\.score: unknown field "score"/ });
    const badTime = textWith(rec(CODE, `"status":"accepted",${base},"decidedBy":"Kari","decided":"yesterday","code":"X"`));
    refused(badTime, { line: 5, column: badTime.split('\n')[4].indexOf('"yesterday"') + 1, message: /suggestion\.decided: expected an ISO 8601 UTC timestamp/ });
    const flag = textWith(rec(CODE, `"status":"accepted",${base},"code":"X","changed":false`));
    refused(flag, { line: 5, column: flag.split('\n')[4].indexOf('false') + 1, message: /suggestion\.changed: expected true \(or no field\), got false/ });
    const noModel = textWith(rec(CODE, `"status":"pending","model":" ","endpoint":"e","promptVersion":"p","requested":"${T}","code":"X"`));
    refused(noModel, { line: 5, column: noModel.split('\n')[4].indexOf('" "') + 1, message: /suggestion\.model: expected a non-empty string/ });
  });
});

describe('merging sidecars with AI suggestions (the git merge driver)', () => {
  // mergeFileTexts is what the git merge driver runs on a sidecar's three versions.
  const text = (codings: Coding[]) => serializeSidecar(sidecar(codings));
  const pending = suggestion(1, 0, { codeId: '' }, { code: 'Dødtid', proposed: true });
  const decided = (by: string, when: string, status: 'accepted' | 'rejected', codeId = status === 'accepted' ? CODE : ''): Coding => ({
    ...pending,
    codeId,
    suggestion: { ...pending.suggestion!, status, decidedBy: by, decided: when },
  });

  it('merges the same decision made on both sides cleanly, keeping ours', async () => {
    const { mergeFileTexts } = await import('../../src/core/mergeDriver');
    const ours = decided('Kari', '2026-12-02T10:00:00.000Z', 'accepted');
    const theirs = decided('Ola', '2026-12-03T11:00:00.000Z', 'accepted');
    const r = mergeFileTexts('sidecar', text([pending]), text([ours]), text([theirs]), PATH);
    assert.equal(r.conflicts, 0);
    assert.equal(r.text, text([ours]));
  });

  it('takes a decision made on one side only', async () => {
    const { mergeFileTexts } = await import('../../src/core/mergeDriver');
    const theirs = decided('Ola', '2026-12-03T11:00:00.000Z', 'rejected');
    const r = mergeFileTexts('sidecar', text([pending]), text([pending]), text([theirs]), PATH);
    assert.equal(r.conflicts, 0);
    assert.equal(r.text, text([theirs]));
  });

  it('keeps a suggestion accepted on one side and rejected on the other as a conflict: theirs beside ours with conflictOf', async () => {
    const { mergeFileTexts } = await import('../../src/core/mergeDriver');
    const ours = decided('Kari', '2026-12-02T10:00:00.000Z', 'accepted');
    const theirs = decided('Ola', '2026-12-03T11:00:00.000Z', 'rejected');
    const r = mergeFileTexts('sidecar', text([pending]), text([ours]), text([theirs]), PATH);
    assert.equal(r.conflicts, 1);
    const merged = parseSidecar(r.text, PATH).codings;
    assert.equal(merged.length, 2);
    const kept = merged.find((c) => c.id === ours.id)!;
    const beside = merged.find((c) => c.conflictOf === ours.id)!;
    assert.deepEqual(kept, ours);
    assert.deepEqual({ ...beside, id: theirs.id, conflictOf: undefined }, { ...theirs, conflictOf: undefined });
    // accepted with two different codes is a conflict too
    const other = { ...decided('Ola', '2026-12-03T11:00:00.000Z', 'accepted', '22222222-2222-4222-8222-222222222222'), suggestion: { ...ours.suggestion!, decidedBy: 'Ola', changed: true as const } };
    assert.equal(mergeFileTexts('sidecar', text([pending]), text([ours]), text([other]), PATH).conflicts, 1);
  });

  it('keeps the suggestions both sides added, and never drops one of another proposed name as a duplicate', async () => {
    const { mergeFileTexts } = await import('../../src/core/mergeDriver');
    const a = suggestion(2, 40, { codeId: '' }, { code: 'Dødtid', proposed: true });
    const b = suggestion(3, 40, { codeId: '' }, { code: 'Venting', proposed: true });
    const r = mergeFileTexts('sidecar', text([]), text([a]), text([b]), PATH);
    assert.equal(r.conflicts, 0);
    assert.deepEqual(parseSidecar(r.text, PATH).codings.map((c) => c.suggestion!.code), ['Dødtid', 'Venting']);
  });
});
