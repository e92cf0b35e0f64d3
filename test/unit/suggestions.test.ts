// AI suggestions (issue 17) in the session: added as pending codings of the coder "AI: <model>",
// never twice, accepted or rejected (one transaction across transcripts, undo and redo restoring the
// files' exact bytes), accepted with another code, and what counts: pending and rejected never.
import * as assert from 'node:assert/strict';
import type { Coding, ProjectFile } from '../../src/core/model';
import { FORMAT_VERSION } from '../../src/core/model';
import { ProjectSession } from '../../src/core/session';
import type { SessionPorts } from '../../src/core/session';
import { DocumentTable } from '../../src/core/documents';
import { analyse } from '../../src/core/analysis';
import { serializeProject } from '../../src/core/project';
import { serializeSidecar } from '../../src/core/sidecar';
import { UNKNOWN_HASH } from '../../src/core/hash';
import { aiCoder, isCountedSuggestion, listSuggestions, suggestionProblems } from '../../src/core/suggestions';
import type { NewSuggestion, SuggestionSource } from '../../src/core/suggestions';
import { codebookFixture } from './fixtures';

const A = ['Intervjuer: Hvordan holder dere kontakten?', '', '[00:04:02] Ola: Vi ringer hjem hver søndag klokka seks.', ''].join('\n');
const B = ['Intervjuer: Hva gjør du om kvelden?', '', '[00:01:10] Kari: Jeg venter bare på at dagen skal gå.', ''].join('\n');
const TEXTS = new Map([['a.txt', A], ['b.txt', B]]);
const span = (text: string, words: string): [number, number] => {
  const i = text.indexOf(words);
  assert.ok(i >= 0, words);
  return [i, i + words.length];
};
const SOURCE: SuggestionSource = { model: 'llama3.1:8b', endpoint: 'http://127.0.0.1:11434/v1', promptVersion: 'grounded-suggest-1', requested: '2026-12-01T09:00:00.000Z' };
const AI = aiCoder(SOURCE.model);
const WHEN = '2026-12-02T10:00:00.000Z';

function memoryProject() {
  const fixture = codebookFixture();
  let project: ProjectFile = fixture.p;
  const sidecars = new Map<string, Coding[]>([['a.txt', []], ['b.txt', []]]);
  const table = new DocumentTable();
  table.scanned(['a.txt', 'b.txt'], ['a.txt', 'b.txt'], new Set(['a.txt', 'b.txt']));
  table.setStored('a.txt', []);
  table.setStored('b.txt', []);
  const ports: SessionPorts = {
    editProject: async (change) => (project = change(project)),
    editCodings: async (path, change) => {
      sidecars.set(path, change([...(sidecars.get(path) ?? [])]));
      table.setStored(path, sidecars.get(path)!);
    },
    textOf: (p) => TEXTS.get(p),
  };
  const session = new ProjectSession(ports, fixture.env, table);
  session.setProject(project);
  /** the bytes of every file: grounded.json and the two sidecars */
  const bytes = () => [serializeProject(session.project!), ...[...sidecars].map(([path, codings]) => serializeSidecar({ version: FORMAT_VERSION, document: { path, hash: UNKNOWN_HASH }, codings }))].join('\n');
  return { session, sidecars, bytes, ...fixture };
}

const item = (text: string, words: string, code: string, codeId?: string, reason?: string): NewSuggestion => {
  const [start, end] = span(text, words);
  return { start, end, code, ...(codeId ? { codeId } : {}), ...(reason ? { reason } : {}) };
};

describe('AI suggestions in the session', () => {
  it('adds pending codings of the coder "AI: <model>", anchored in the text, with the record the spec gives', async () => {
    const { session, sidecars, calling } = memoryProject();
    const r = await session.addSuggestions('a.txt', A, [item(A, 'Vi ringer hjem', 'calling home', calling, 'Han ringer hjem.'), item(A, 'hver søndag', 'Faste rutiner')], SOURCE);
    assert.equal(r.added.length, 2);
    assert.equal(r.skipped, 0);
    const [known, proposed] = sidecars.get('a.txt')!;
    assert.deepEqual(known, {
      id: known.id,
      codeId: calling,
      anchor: { start: span(A, 'Vi ringer hjem')[0], end: span(A, 'Vi ringer hjem')[1], prefix: A.slice(span(A, 'Vi ringer hjem')[0] - 32, span(A, 'Vi ringer hjem')[0]), quote: 'Vi ringer hjem', suffix: A.slice(span(A, 'Vi ringer hjem')[1], span(A, 'Vi ringer hjem')[1] + 32) },
      coder: 'AI: llama3.1:8b',
      created: SOURCE.requested,
      suggestion: { status: 'pending', model: 'llama3.1:8b', endpoint: 'http://127.0.0.1:11434/v1', promptVersion: 'grounded-suggest-1', requested: SOURCE.requested, reason: 'Han ringer hjem.', code: 'calling home' },
    });
    assert.equal(proposed.codeId, '');
    assert.deepEqual(proposed.suggestion, { status: 'pending', model: 'llama3.1:8b', endpoint: SOURCE.endpoint, promptVersion: SOURCE.promptVersion, requested: SOURCE.requested, code: 'Faste rutiner', proposed: true });
    assert.deepEqual(suggestionProblems(known), []);
    assert.deepEqual(suggestionProblems(proposed), []);
    // listed by path, then start
    assert.deepEqual(listSuggestions([{ path: 'a.txt', codings: sidecars.get('a.txt')! }]).map((s) => s.coding.anchor.quote), ['Vi ringer hjem', 'hver søndag']);
  });

  it('skips one with the same coder, span and code as a coding of that coder in any status, a proposed name matched ignoring case', async () => {
    const { session, calling, boredom } = memoryProject();
    const first = await session.addSuggestions('a.txt', A, [item(A, 'Vi ringer hjem', 'calling home', calling), item(A, 'hver søndag', 'Faste rutiner')], SOURCE);
    await session.decideSuggestions([{ path: 'a.txt', id: first.added[0].id }], 'rejected', 'Kari', WHEN);
    const again = await session.addSuggestions('a.txt', A, [
      item(A, 'Vi ringer hjem', 'calling home', calling), // rejected before: not suggested again
      item(A, 'hver søndag', 'faste RUTINER'), // the same proposed code
      item(A, 'hver søndag', 'boredom', boredom), // another code: new
      item(A, 'hver søndag', 'boredom', boredom), // twice in one batch
    ], SOURCE);
    assert.equal(again.added.length, 1);
    assert.equal(again.skipped, 3);
    assert.equal(again.added[0].codeId, boredom);
    // nothing new at all: no transaction
    const none = await session.addSuggestions('a.txt', A, [item(A, 'hver søndag', 'boredom', boredom)], SOURCE);
    assert.deepEqual([none.added.length, none.skipped, none.transaction], [0, 1, undefined]);
    // another model is another coder
    const other = await session.addSuggestions('a.txt', A, [item(A, 'hver søndag', 'boredom', boredom)], { ...SOURCE, model: 'qwen2.5' });
    assert.equal(other.added[0].coder, 'AI: qwen2.5');
  });

  it('accepts and rejects across transcripts in one transaction; accepting a proposed code creates it; undo and redo restore the exact bytes', async () => {
    const { session, sidecars, bytes, calling } = memoryProject();
    const a = await session.addSuggestions('a.txt', A, [item(A, 'Vi ringer hjem', 'calling home', calling), item(A, 'hver søndag', 'Faste rutiner')], SOURCE);
    const b = await session.addSuggestions('b.txt', B, [item(B, 'Jeg venter bare', 'faste rutiner'), item(B, 'dagen skal gå', 'Dødtid')], SOURCE);
    const before = bytes();
    const codesBefore = session.project!.codes.length;
    const t = await session.decideSuggestions([{ path: 'a.txt', id: a.added[0].id }, { path: 'a.txt', id: a.added[1].id }, { path: 'b.txt', id: b.added[0].id }], 'accepted', 'Kari', WHEN);
    assert.ok(t);
    assert.equal(t.label, 'Accepted 3 suggestions.');
    // one new code for "Faste rutiner" and "faste rutiner" (ignoring case), created by the person who accepted
    const codes = session.project!.codes;
    assert.equal(codes.length, codesBefore + 1);
    const made = codes.find((c) => c.name === 'Faste rutiner')!;
    assert.equal(made.createdBy, 'Kari');
    const [aKnown, aProposed] = sidecars.get('a.txt')!;
    assert.equal(aKnown.codeId, calling);
    assert.equal(aProposed.codeId, made.id);
    assert.equal(sidecars.get('b.txt')![0].codeId, made.id);
    for (const c of [aKnown, aProposed, sidecars.get('b.txt')![0]]) {
      assert.equal(c.suggestion!.status, 'accepted');
      assert.equal(c.suggestion!.decidedBy, 'Kari');
      assert.equal(c.suggestion!.decided, WHEN);
      assert.equal(c.suggestion!.changed, undefined);
      assert.deepEqual(suggestionProblems(c), []);
    }
    assert.equal(sidecars.get('b.txt')![1].suggestion!.status, 'pending');
    const after = bytes();
    await session.history.undo();
    assert.equal(bytes(), before);
    await session.history.redo();
    assert.equal(bytes(), after);
    await session.history.undo();
    assert.equal(bytes(), before);
    // deciding the same again changes nothing
    await session.decideSuggestions([{ path: 'b.txt', id: b.added[1].id }], 'rejected', 'Kari', WHEN);
    assert.equal(await session.decideSuggestions([{ path: 'b.txt', id: b.added[1].id }], 'rejected', 'Ola', WHEN), undefined);
    assert.equal(sidecars.get('b.txt')![1].suggestion!.decidedBy, 'Kari');
  });

  it('accepting a proposed code uses the code of that name if there is one by then', async () => {
    const { session, sidecars, boredom } = memoryProject();
    const a = await session.addSuggestions('a.txt', A, [item(A, 'hver søndag', 'BOREDOM')], SOURCE);
    const n = session.project!.codes.length;
    await session.decideSuggestions([{ path: 'a.txt', id: a.added[0].id }], 'accepted', 'Kari', WHEN);
    assert.equal(session.project!.codes.length, n);
    assert.equal(sidecars.get('a.txt')![0].codeId, boredom);
    assert.equal(sidecars.get('a.txt')![0].suggestion!.changed, undefined);
  });

  it('changes the code: accepted with another code, changed: true; a new code in the same transaction; undo restores the bytes', async () => {
    const { session, sidecars, bytes, calling, boredom } = memoryProject();
    const a = await session.addSuggestions('a.txt', A, [item(A, 'Vi ringer hjem', 'calling home', calling), item(A, 'hver søndag', 'Faste rutiner')], SOURCE);
    const before = bytes();
    const t = await session.changeSuggestionCode('a.txt', a.added[0].id, boredom, 'Kari', WHEN);
    assert.ok(t);
    const changed = sidecars.get('a.txt')![0];
    assert.equal(changed.codeId, boredom);
    assert.deepEqual(changed.suggestion, { ...a.added[0].suggestion, status: 'accepted', decidedBy: 'Kari', decided: WHEN, changed: true });
    assert.equal(changed.suggestion!.code, 'calling home'); // the model's answer stays for the audit
    await session.changeSuggestionCode('a.txt', a.added[1].id, { newCode: 'Søndagsrutiner' }, 'Kari', WHEN);
    const made = session.project!.codes.find((c) => c.name === 'Søndagsrutiner')!;
    assert.equal(sidecars.get('a.txt')![1].codeId, made.id);
    assert.equal(sidecars.get('a.txt')![1].suggestion!.changed, true);
    await session.history.undo();
    await session.history.undo();
    assert.equal(bytes(), before);
    assert.equal(session.project!.codes.some((c) => c.name === 'Søndagsrutiner'), false);
  });

  it('refuses, writing nothing, an id that is no suggestion, and a change that would repeat a coding of the AI coder', async () => {
    const { session, bytes, calling, boredom } = memoryProject();
    const a = await session.addSuggestions('a.txt', A, [item(A, 'Vi ringer hjem', 'calling home', calling), item(A, 'Vi ringer hjem', 'boredom', boredom)], SOURCE);
    await session.decideSuggestions([{ path: 'a.txt', id: a.added[1].id }], 'accepted', 'Kari', WHEN);
    const before = bytes();
    await assert.rejects(session.decideSuggestions([{ path: 'a.txt', id: a.added[0].id }, { path: 'a.txt', id: 'nope' }], 'accepted', 'Kari', WHEN), /No suggestion with id nope in a\.txt/);
    await assert.rejects(session.changeSuggestionCode('a.txt', a.added[0].id, boredom, 'Kari', WHEN), /already have the code "boredom" by AI: llama3\.1:8b/);
    assert.equal(bytes(), before);
  });

  it('rejecting keeps the record for the audit; an accepted proposed code rejected again has no code', async () => {
    const { session, sidecars } = memoryProject();
    const a = await session.addSuggestions('a.txt', A, [item(A, 'hver søndag', 'Faste rutiner')], SOURCE);
    await session.decideSuggestions([{ path: 'a.txt', id: a.added[0].id }], 'accepted', 'Kari', WHEN);
    await session.decideSuggestions([{ path: 'a.txt', id: a.added[0].id }], 'rejected', 'Ola', WHEN);
    const c = sidecars.get('a.txt')![0];
    assert.equal(c.codeId, '');
    assert.deepEqual(suggestionProblems(c), []);
    assert.equal(c.suggestion!.decidedBy, 'Ola');
    assert.deepEqual(listSuggestions([{ path: 'a.txt', codings: sidecars.get('a.txt')! }]), []);
    assert.equal(listSuggestions([{ path: 'a.txt', codings: sidecars.get('a.txt')! }], { includeRejected: true }).length, 1);
  });

  it('counts only accepted suggestions: the analysis leaves pending and rejected out as "suggestion"', async () => {
    const { session, sidecars, calling, boredom } = memoryProject();
    const a = await session.addSuggestions('a.txt', A, [item(A, 'Vi ringer hjem', 'calling home', calling), item(A, 'hver søndag', 'boredom', boredom), item(A, 'klokka seks', 'Tid')], SOURCE);
    const empty = session.analysis()!;
    assert.equal(empty.total, 0);
    assert.deepEqual([...empty.leftOut.values()], ['suggestion', 'suggestion', 'suggestion']);
    await session.decideSuggestions([{ path: 'a.txt', id: a.added[0].id }], 'accepted', 'Kari', WHEN);
    await session.decideSuggestions([{ path: 'a.txt', id: a.added[1].id }], 'rejected', 'Kari', WHEN);
    const analysis = analyse({ project: session.project!, documents: [{ path: 'a.txt', codings: sidecars.get('a.txt')! }] });
    assert.equal(analysis.total, 1);
    assert.equal(analysis.counts.get(calling)!.segments, 1);
    assert.deepEqual(analysis.counts.get(calling)!.coders, [AI]);
    assert.equal(analysis.counts.get(boredom)!.segments, 0);
    assert.equal(analysis.leftOut.get(a.added[1].id), 'suggestion');
    assert.equal(analysis.leftOut.get(a.added[2].id), 'suggestion');
    assert.deepEqual(sidecars.get('a.txt')!.map(isCountedSuggestion), [true, false, false]);
  });

  it('a pending suggestion does not make an accepted one of the same span and code a duplicate', () => {
    const { p, calling } = codebookFixture();
    const [start, end] = span(A, 'Vi ringer hjem');
    const anchor = { start, end, prefix: '', quote: 'Vi ringer hjem', suffix: '' };
    const base = { status: 'pending' as const, model: 'm', endpoint: 'e', promptVersion: 'p', requested: '2026-01-01T00:00:00.000Z', code: 'calling home' };
    const pending: Coding = { id: 'a', codeId: calling, anchor, coder: 'AI: m', created: '2026-01-01T00:00:00.000Z', suggestion: base };
    const accepted: Coding = { id: 'b', codeId: calling, anchor, coder: 'AI: m', created: '2026-01-02T00:00:00.000Z', suggestion: { ...base, status: 'accepted', decidedBy: 'K', decided: WHEN } };
    const analysis = analyse({ project: p, documents: [{ path: 'a.txt', codings: [pending, accepted] }] });
    assert.equal(analysis.total, 1);
    assert.equal(analysis.leftOut.get('a'), 'suggestion');
    assert.equal(analysis.leftOut.has('b'), false);
  });
});

describe('suggestion records grounded check reports', () => {
  const base = { status: 'pending' as const, model: 'm', endpoint: 'e', promptVersion: 'p', requested: '2026-01-01T00:00:00.000Z', code: 'X' };
  const coding = (s: Partial<NonNullable<Coding['suggestion']>>, extra: Partial<Coding> = {}): Coding => ({
    id: 'a', codeId: '11111111-1111-4111-8111-111111111111', anchor: { start: 0, end: 1, prefix: '', quote: 'x', suffix: '' }, coder: 'AI: m', created: '2026-01-01T00:00:00.000Z', ...extra, suggestion: { ...base, ...s },
  });
  const problems = (c: Coding) => suggestionProblems(c).map((p) => `${p.field}: ${p.message}`);

  it('finds an accepted one without decidedBy or decided, a pending one with them, another coder, a rejected change', () => {
    assert.deepEqual(problems(coding({ status: 'accepted', decidedBy: 'K' })), ['decidedBy: an accepted suggestion says when it was decided (decided), but this one does not']);
    assert.deepEqual(problems(coding({ status: 'rejected' })), [
      'status: a rejected suggestion says who decided (decidedBy), but this one does not',
      'status: a rejected suggestion says when it was decided (decided), but this one does not',
    ]);
    assert.deepEqual(problems(coding({ decided: WHEN })), ['decided: a pending suggestion has no decision yet, but this one has decidedBy or decided']);
    assert.deepEqual(problems(coding({}, { coder: 'Kari' })), ['coder: the coder of a suggestion of the model "m" is "AI: m", not "Kari"']);
    assert.deepEqual(problems(coding({ status: 'rejected', decidedBy: 'K', decided: WHEN, changed: true })), ['changed: a rejected suggestion cannot have been accepted with another code (changed)']);
    assert.deepEqual(problems(coding({ proposed: true })), ['codeId: a pending suggestion of a proposed new code has no code yet (codeId ""), but this one has 11111111-1111-4111-8111-111111111111']);
    assert.deepEqual(problems(coding({})), []);
  });
});

describe('agreement with the AI coder', () => {
  it('compares its pending and accepted suggestions, never its rejected ones nor a proposed code without one', async () => {
    const { compareCoders, codersByCodings } = await import('../../src/core/agreement');
    const doc = (codings: Coding[]) => [{ path: 'a.txt', length: 100, codings }];
    const human: Coding = { id: 'h', codeId: 'x', anchor: { start: 0, end: 10, prefix: '', quote: '', suffix: '' }, coder: 'Kari', created: WHEN };
    const ai = (id: string, status: 'pending' | 'accepted' | 'rejected', start: number, codeId = 'x'): Coding => ({
      id, codeId, anchor: { start, end: start + 10, prefix: '', quote: '', suffix: '' }, coder: AI, created: WHEN,
      suggestion: { status, model: SOURCE.model, endpoint: SOURCE.endpoint, promptVersion: SOURCE.promptVersion, requested: WHEN, code: 'x', ...(codeId ? {} : { proposed: true as const }) },
    });
    // pending on the human's span: full agreement
    assert.equal(compareCoders(doc([human, ai('p', 'pending', 0)]), ['Kari', AI]).overall.kappa, 1);
    // accepted the same
    assert.equal(compareCoders(doc([human, ai('a', 'accepted', 0)]), ['Kari', AI]).overall.kappa, 1);
    // rejected: as if the AI had not coded it
    const rejected = compareCoders(doc([human, ai('r', 'rejected', 0)]), ['Kari', AI]).overall.counts;
    assert.deepEqual(rejected, { both: 0, onlyA: 10, onlyB: 0, neither: 90 });
    // a pending proposed code (no code yet) is not compared
    assert.deepEqual(compareCoders(doc([human, ai('n', 'pending', 50, '')]), ['Kari', AI]).codeIds, ['x']);
    assert.deepEqual(codersByCodings(doc([human, ai('p', 'pending', 0), ai('r', 'rejected', 20), ai('n', 'pending', 50, '')])), [
      { coder: 'AI: llama3.1:8b', codings: 1 },
      { coder: 'Kari', codings: 1 },
    ]);
  });
});

describe('the methods appendix on AI suggestions', () => {
  // 100 characters; Kari codes 0-20; the AI suggested 0-20 (pending), 50-60 (accepted with another
  // code: changed) and 80-90 (rejected), all with the same code.
  // By character: both 20, only Kari 0, only AI 10, neither 70: p_o = 0.9, p_e = 0.2·0.3 + 0.8·0.7 = 0.62,
  // kappa = 0.28 / 0.38 = 0.7368… Segments at 90 %: Kari's 0-20 and the AI's 0-20 match, the AI's 50-60
  // has no match: 2 of 3.
  const TEXT = 'Ola: Jeg venter. Hver dag venter jeg på at noe skal skje, men det skjer aldri noe her inne, aldri.\n\n';
  async function input(language?: string) {
    const { renderReportMarkdown } = await import('../../src/core/report');
    const { p, boredom } = codebookFixture();
    assert.equal(TEXT.length, 100);
    const anchor = (start: number, end: number) => ({ start, end, prefix: '', quote: TEXT.slice(start, end), suffix: '' });
    const s = (status: 'pending' | 'accepted' | 'rejected', extra: object = {}) => ({ status, model: 'llama3.1:8b', endpoint: SOURCE.endpoint, promptVersion: SOURCE.promptVersion, requested: WHEN, ...(status === 'pending' ? {} : { decidedBy: 'Kari', decided: WHEN }), code: 'boredom', ...extra });
    const codings: Coding[] = [
      { id: 'k', codeId: boredom, anchor: anchor(0, 20), coder: 'Kari', created: WHEN },
      { id: 'p', codeId: boredom, anchor: anchor(0, 20), coder: AI, created: WHEN, suggestion: s('pending') },
      { id: 'a', codeId: boredom, anchor: anchor(50, 60), coder: AI, created: WHEN, suggestion: s('accepted', { changed: true }) },
      { id: 'r', codeId: boredom, anchor: anchor(80, 90), coder: AI, created: WHEN, suggestion: s('rejected') },
    ];
    const project = { ...p, settings: { ...p.settings, ...(language ? { reportLanguage: language } : {}) } };
    return renderReportMarkdown({ project, documents: [{ path: 'a.txt', codings }], memos: [], textOf: () => TEXT });
  }

  it('says which models suggested how many codings, what became of them, and the human-AI agreement', async () => {
    const md = await input();
    const appendix = md.slice(md.indexOf('### AI suggestions'));
    assert.match(appendix, /\| llama3\.1:8b \| +3 \| +1 \| +1 \| +1 \| +1 \|/);
    assert.match(appendix, /\| AI: llama3\.1:8b \| Kari \| +0\.74 \| +90\.0 % \| +66\.7 % \(2\/3\) \|/);
    // only the accepted suggestion counts among the codings
    assert.match(md, /Coders: AI: llama3\.1:8b \(1 coding\), Kari \(1 coding\)\./);
  });

  it('in Norwegian Bokmål when the report language is nb', async () => {
    const md = await input('nb');
    assert.match(md, /### KI-forslag\n/);
    assert.match(md, /\| Modell \| +Foreslått \| +Godtatt \| +herav endret \| +Avvist \| +Ventende \|/);
    assert.match(md, /\| AI: llama3\.1:8b \| Kari \| +0,74 \| +90,0 % \| +66,7 % \(2\/3\) \|/);
  });

  it('is left out when there are no suggestions', async () => {
    const { renderReportMarkdown } = await import('../../src/core/report');
    const { p } = codebookFixture();
    assert.doesNotMatch(renderReportMarkdown({ project: p, documents: [], memos: [] }), /AI suggestions/);
  });
});

describe('suggestions at the cursor', () => {
  it('are the pending ones under it (rejected on request), never accepted ones or orphans, outermost first', async () => {
    const { suggestionsAt } = await import('../../src/core/suggestions');
    const { codingsAt } = await import('../../src/core/query');
    const s = (status: 'pending' | 'accepted' | 'rejected') => ({ status, model: 'm', endpoint: 'e', promptVersion: 'p', requested: WHEN, code: 'x' });
    const c = (id: string, start: number, end: number, status?: 'pending' | 'accepted' | 'rejected', orphaned = false): Coding => ({
      id, codeId: 'x', anchor: { start, end, prefix: '', quote: '', suffix: '' }, coder: status ? 'AI: m' : 'Kari', created: WHEN, ...(status ? { suggestion: s(status) } : {}), ...(orphaned ? { orphaned: true } : {}),
    });
    const all = [c('human', 0, 50), c('inner', 10, 20, 'pending'), c('outer', 5, 30, 'pending'), c('acc', 0, 40, 'accepted'), c('rej', 0, 40, 'rejected'), c('lost', 0, 40, 'pending', true)];
    assert.deepEqual(suggestionsAt(all, 12).map((x) => x.id), ['outer', 'inner']);
    assert.deepEqual(suggestionsAt(all, 12, 12, { includeRejected: true }).map((x) => x.id), ['rej', 'outer', 'inner']);
    assert.deepEqual(suggestionsAt(all, 20, 25).map((x) => x.id), ['outer']);
    assert.deepEqual(suggestionsAt(all, 30), []);
    // the codings at the cursor are the human's and the accepted suggestion: pending and rejected ones are no codings
    assert.deepEqual(codingsAt(all, 12).map((x) => x.id), ['human', 'acc']);
  });
});

describe('line-by-line coding with suggestions', () => {
  it('Next Uncoded Segment stops at a turn that only has a pending or rejected suggestion, not at one with an accepted one', async () => {
    const { nextUncoded } = await import('../../src/core/segments');
    const text = 'Ola: Første tur.\n\nKari: Andre tur.\n\nOla: Tredje tur.\n';
    const s = (status: 'pending' | 'accepted' | 'rejected') => ({ status, model: 'm', endpoint: 'e', promptVersion: 'p', requested: WHEN, code: 'x' });
    const on = (words: string, status: 'pending' | 'accepted' | 'rejected', id: string): Coding => {
      const i = text.indexOf(words);
      return { id, codeId: 'x', anchor: { start: i, end: i + words.length, prefix: '', quote: words, suffix: '' }, coder: 'AI: m', created: WHEN, suggestion: s(status) };
    };
    const codings = [on('Første tur.', 'accepted', 'a'), on('Andre tur.', 'pending', 'p'), on('Tredje tur.', 'rejected', 'r')];
    const first = nextUncoded(text, codings, 0, 'next');
    assert.equal(text.slice(first!.start, first!.end).includes('Andre tur.'), true);
  });
});

describe('adding suggestions refuses what could not be written', () => {
  it('says so for no model, a bad timestamp, a deleted code and a span outside the text, writing nothing', async () => {
    const { session, bytes, calling } = (() => {
      const fixture = codebookFixture();
      let project: ProjectFile = fixture.p;
      const table = new DocumentTable();
      table.scanned(['a.txt'], ['a.txt'], new Set(['a.txt']));
      table.setStored('a.txt', []);
      let writes = 0;
      const ports: SessionPorts = { editProject: async (change) => (project = change(project)), editCodings: async () => void writes++, textOf: () => A };
      const s = new ProjectSession(ports, fixture.env, table);
      s.setProject(project);
      return { session: s, bytes: () => writes, calling: fixture.calling };
    })();
    await assert.rejects(session.addSuggestions('a.txt', A, [item(A, 'hver søndag', 'X')], { ...SOURCE, model: ' ' }), /need the name of the model/);
    await assert.rejects(session.addSuggestions('a.txt', A, [item(A, 'hver søndag', 'X')], { ...SOURCE, requested: 'now' }), /Not an ISO 8601 UTC timestamp: "now"/);
    await assert.rejects(session.addSuggestions('a.txt', A, [item(A, 'hver søndag', 'gone', '99999999-9999-4999-8999-999999999999')], SOURCE), /The code "gone" no longer exists/);
    await assert.rejects(session.addSuggestions('a.txt', A, [{ start: 5, end: A.length + 1, code: 'X', codeId: calling }], SOURCE), /lies outside the text of a\.txt/);
    assert.equal(bytes(), 0);
  });
});
