// The project session (core/session.ts) over in-memory ports: the invariants on every path, the one
// history with undo and redo, and the events that tell a change of positions from a change of counts.
import * as assert from 'node:assert/strict';
import { applyPatch, History, keepPosition } from '../../src/core/history';
import type { Change } from '../../src/core/history';
import { addCodings, duplicateIds, findDuplicates } from '../../src/core/invariants';
import type { Coding, ProjectFile } from '../../src/core/model';
import { addCode } from '../../src/core/project';
import { ProjectSession } from '../../src/core/session';
import { DocumentTable } from '../../src/core/documents';
import { analyse } from '../../src/core/analysis';
import type { SessionChange, SessionPorts } from '../../src/core/session';
import { deleteCode, mergeCodes, recodeCodings, removeCodingsOf, renameCode } from '../../src/core/codebook';
import { addCase } from '../../src/core/cases';
import { makeAnchor } from '../../src/core/text';
import { shiftCodings } from '../../src/core/anchor';
import { codebookFixture, testEnv } from './fixtures';

const TEXT = ['Intervjuer: Hvordan holder dere kontakten?', '', '[00:04:02] Ola: Vi ringer hjem hver søndag klokka seks.', ''].join('\n');
const at = (words: string): [number, number] => {
  const i = TEXT.indexOf(words);
  assert.ok(i >= 0, words);
  return [i, i + words.length];
};

/** A project in memory: grounded.json and one sidecar per transcript, as the ports see them. */
function memoryProject() {
  // "Keeping connected" with "calling home" and "letters"; "boredom" at the top
  const fixture = codebookFixture();
  const { env, cat, calling, boredom } = fixture;
  let project: ProjectFile = fixture.p;
  // The files: grounded.json and the sidecars; the session holds what was read and written.
  const sidecars = new Map<string, Coding[]>([['a.txt', []]]);
  const writes = { project: 0, codings: 0 };
  const table = new DocumentTable();
  table.scanned(['a.txt'], ['a.txt'], new Set(['a.txt']));
  table.setStored('a.txt', []);
  const ports: SessionPorts = {
    editProject: async (change) => {
      project = change(project);
      writes.project++;
      return project;
    },
    editCodings: async (path, change) => {
      sidecars.set(path, change([...(sidecars.get(path) ?? [])]));
      table.setStored(path, sidecars.get(path)!);
      writes.codings++;
    },
    textOf: () => TEXT,
  };
  const session = new ProjectSession(ports, env, table);
  session.setProject(project);
  const events: SessionChange[] = [];
  session.onDidChange((c) => events.push(c));
  return { session, env, cat, calling, boredom, sidecars, writes, events, project: () => session.project! };
}

describe('invariants: no duplicate codings', () => {
  const c = (id: string, coder: string, codeId: string, span: [number, number], created = '2026-11-05T12:00:00.000Z'): Coding => ({ id, codeId, coder, created, anchor: makeAnchor(TEXT, ...span) });

  it('finds repeats of the same coder, code and span, keeping the earliest; other coders, codes, spans and orphans are not repeats', () => {
    const span = at('Vi ringer hjem');
    const first = c('b', 'Kari', 'x', span, '2026-11-01T00:00:00.000Z');
    const again = c('a', 'Kari', 'x', span, '2026-11-02T00:00:00.000Z');
    const groups = findDuplicates([again, first, c('c', 'Ola', 'x', span), c('d', 'Kari', 'y', span), c('e', 'Kari', 'x', at('Vi ringer')), { ...c('f', 'Kari', 'x', span), orphaned: true }]);
    assert.deepEqual(groups.map((g) => [g.kept.id, g.repeats.map((r) => r.id)]), [['b', ['a']]]);
    assert.deepEqual([...duplicateIds([again, first])], ['a']);
  });

  it('finds the same repeats when another coder coded the same spans, whatever the order', () => {
    const span = at('Vi ringer hjem');
    const other = at('Vi ringer');
    const codings = [
      c('k1', 'Kari', 'x', span, '2026-11-01T00:00:00.000Z'),
      c('o1', 'Ola', 'x', span),
      c('k2', 'Kari', 'x', span, '2026-11-03T00:00:00.000Z'),
      c('k3', 'Kari', 'y', span),
      c('o2', 'Ola', 'x', other),
      c('k4', 'Kari', 'x', other),
      c('o3', 'Ola', 'x', other, '2026-11-09T00:00:00.000Z'),
      ...Array.from({ length: 10 }, (_, i) => c(`m${i}`, `Coder ${i}`, 'x', at('hjem'))),
    ];
    const expected = ['k2', 'o3'];
    assert.deepEqual([...duplicateIds(codings)].sort(), expected);
    assert.deepEqual([...duplicateIds([...codings].reverse())].sort(), expected);
    assert.deepEqual(findDuplicates(codings).flatMap((g) => g.repeats.map((r) => r.id)).sort(), expected);
    assert.equal(duplicateIds(codings.filter((x) => x.coder !== 'Kari' || x.id === 'k1')).size, 1);
  });

  it('adding a coding the coder already has is a no-op that says so; an overlapping or longer span is kept beside it', () => {
    const kept = c('k', 'Kari', 'x', at('Vi ringer hjem'));
    const r = addCodings([kept], [c('n1', 'Kari', 'x', at('Vi ringer hjem')), c('n2', 'Kari', 'x', at('Vi ringer hjem hver søndag')), c('n3', 'Kari', 'x', at('Vi ringer hjem hver søndag'))]);
    assert.deepEqual(r.added.map((x) => x.id), ['n2']);
    assert.deepEqual(r.skipped.map((x) => x.id), ['n1', 'n3']);
    assert.deepEqual(r.codings.map((x) => x.id), ['k', 'n2']);
  });

  it('recoding for a merge drops only the same coder\'s duplicate; another coder\'s coding of the same span stays', () => {
    const span = at('Vi ringer hjem');
    const edit = recodeCodings([c('t', 'Kari', 'target', span), c('s1', 'Kari', 'source', span), c('s2', 'Ola', 'source', span)], 'source', 'target');
    assert.deepEqual(edit.codings.map((x) => [x.id, x.codeId, x.coder]), [['t', 'target', 'Kari'], ['s2', 'target', 'Ola']]);
    assert.deepEqual(edit.before.map((x) => x.id), ['s1', 's2']);
  });
});

describe('invariants: unique code names', () => {
  it('refuses a new code, a merge or a delete that would give two siblings the same name ignoring case', () => {
    const { project, calling, cat, boredom } = memoryProject();
    assert.throws(() => addCode(project(), { name: 'BOREDOM ' }, 'Kari', testEnv()), /already a code named "boredom" at the top level/);
    assert.throws(() => addCode(project(), { name: 'Calling Home', parent: cat }, 'Kari', testEnv()), /already a code named "calling home" in this category/);
    // the same name is fine at another level
    assert.doesNotThrow(() => addCode(project(), { name: 'calling home' }, 'Kari', testEnv()));
    assert.throws(() => renameCode(project(), boredom, 'keeping CONNECTED'), /already a code named "Keeping connected"/);
    // "boredom" under a category, then the category merged into a code that has a "boredom" subcode too
    const env = testEnv();
    let p = project();
    const other = addCode(p, { name: 'Other' }, 'Kari', env);
    p = addCode(other.project, { name: 'Boredom', parent: other.code.id }, 'Kari', env).project;
    p = addCode(p, { name: 'boredom', parent: cat }, 'Kari', env).project;
    assert.throws(() => mergeCodes(p, cat, other.code.id), /already has a subcode named "Boredom"/);
    // deleting the category would move its "calling home" up beside a top-level "calling home"
    const withTop = addCode(project(), { name: 'Calling home' }, 'Kari', env).project;
    assert.throws(() => deleteCode(withTop, cat), /would put its subcode "calling home" beside "Calling home"/);
    void calling;
  });
});

// Found by the property tests (test/property/properties.ts), shrunk.
describe('undo brings codings back on their words, whatever the text did since', () => {
  async function typedThenUndone(undo: (s: ProjectSession, id: string, boredom: string) => Promise<unknown>) {
    const { p, env, boredom } = codebookFixture();
    let project = p;
    let text = 'Intervjuer: Skam mørket again. Familien evening.\n';
    let codings: Coding[] = [];
    const table = new DocumentTable();
    table.scanned(['a.txt'], ['a.txt'], new Set(['a.txt']));
    table.setStored('a.txt', []);
    const ports: SessionPorts = {
      editProject: async (change) => (project = change(project)),
      editCodings: async (_path, change) => table.setStored('a.txt', (codings = change([...codings]))),
      textOf: () => text,
    };
    const session = new ProjectSession(ports, env, table);
    session.setProject(project);
    const { added } = await session.code('a.txt', text, [[12, 23]], boredom, 'Kari');
    assert.equal(added[0].anchor.quote, 'Skam mørket');
    await undo(session, added[0].id, boredom);
    // Typing at the top while the coding is away.
    const change = { offset: 0, length: 0, text: 'Merknad: ' };
    text = change.text + text;
    codings = shiftCodings(codings, [change], text).codings;
    await session.history.undo();
    return { coding: codings.find((c) => c.id === added[0].id)!, text };
  }

  it('a removed coding', async () => {
    const { coding, text } = await typedThenUndone((s, id) => s.removeCodings('a.txt', [id]));
    assert.deepEqual(coding.anchor, makeAnchor(text, 21, 32));
    assert.equal(coding.anchor.quote, 'Skam mørket');
  });

  it('the codings of a deleted code', async () => {
    const { coding, text } = await typedThenUndone((s, _id, boredom) => s.editCodebook('Deleted.', (p) => deleteCode(p, boredom), (cs) => removeCodingsOf(cs, [boredom])));
    assert.deepEqual(coding.anchor, makeAnchor(text, 21, 32));
  });
});

describe('history: record patches by id, undo and redo', () => {
  it('applyPatch puts records back and removes added ones, returning the patch that reverts it', () => {
    const r = applyPatch([{ id: 'a', v: 2 }, { id: 'b', v: 1 }, { id: 'new', v: 1 }], { put: [{ id: 'a', v: 1 }, { id: 'gone', v: 1 }], remove: ['new'] });
    assert.deepEqual(r.records, [{ id: 'a', v: 1 }, { id: 'b', v: 1 }, { id: 'gone', v: 1 }]);
    const back = applyPatch(r.records, r.inverse);
    assert.deepEqual(back.records, [{ id: 'a', v: 2 }, { id: 'b', v: 1 }, { id: 'new', v: 1 }]);
  });

  it('a reverted coding keeps where its words are now, unless it was given other words (re-attached)', () => {
    const saved: Coding = { id: 'x', codeId: 'c', coder: 'Kari', created: 't', note: 'old', anchor: makeAnchor(TEXT, ...at('Vi ringer')) };
    const moved = { ...saved, note: 'new', anchor: { ...saved.anchor, start: saved.anchor.start + 3, end: saved.anchor.end + 3 } };
    assert.deepEqual(keepPosition(moved, saved), { ...saved, anchor: moved.anchor });
    const orphan: Coding = { ...saved, orphaned: true };
    const reattached = { ...saved, anchor: makeAnchor(TEXT, ...at('hver søndag')) };
    assert.deepEqual(keepPosition(reattached, orphan), orphan, 'undo of Re-attach');
    assert.deepEqual(keepPosition(orphan, reattached, TEXT), reattached, 'redo of Re-attach');
    const typedAway = TEXT.replace('hver søndag', 'hver');
    assert.deepEqual(keepPosition(orphan, reattached, typedAway), { ...reattached, anchor: orphan.anchor, orphaned: true }, 'redo after its words were typed away');
  });

  // Found by the property tests (test/property/properties.ts), shrunk: a letter typed inside a coding, then undo.
  it('a reverted coding keeps its words when typing changed a letter inside them since', () => {
    const text = 'Intervjuer: Lyden 🌊 familien trust.\n';
    const saved: Coding = { id: 'x', codeId: 'c', coder: 'Kari', created: 't', note: 'old', anchor: makeAnchor(text, 0, 11) };
    const typed = ' ' + text.slice(1);
    const now = { ...saved, note: 'new', anchor: makeAnchor(typed, 0, 11) };
    assert.equal(now.anchor.quote, ' ntervjuer:');
    assert.deepEqual(keepPosition(now, saved, typed), { ...saved, anchor: now.anchor });
    assert.deepEqual(keepPosition(now, saved), { ...saved, anchor: now.anchor }, 'also when the text is not at hand');
  });

  it('undo moves a transaction to redo with its inverse; a new transaction clears redo; undoing an older one keeps the newer', async () => {
    let state = [{ id: 'a', v: 0 }];
    const history = new History(async (change: Change) => {
      const r = applyPatch(state, change.codes as never);
      state = r.records as typeof state;
      return { codes: r.inverse as never };
    });
    let changes = 0;
    history.onDidChange(() => changes++);
    const edit = (v: number) => {
      const before = state.find((x) => x.id === 'a')!;
      state = state.map((x) => (x.id === 'a' ? { ...x, v } : x));
      return history.record(`set ${v}`, 'codebook', { codes: { put: [before], remove: [] } as never })!;
    };
    edit(1);
    edit(2);
    assert.equal((await history.undo())?.label, 'set 2');
    assert.equal(state[0].v, 1);
    assert.equal((await history.redo())?.label, 'set 2');
    assert.equal(state[0].v, 2);
    await history.undo();
    edit(3);
    assert.equal(history.canRedo, false, 'a new edit clears redo');
    assert.equal(history.record('nothing', 'codebook', { codes: { put: [], remove: [] } }), undefined, 'an empty change is not recorded');
    // the notification's Undo of an older edit: state goes back to before it, the newer stays done
    state.push({ id: 'b', v: 0 });
    const older = history.record('add b', 'codebook', { codes: { put: [], remove: ['b'] } as never })!;
    edit(4);
    assert.equal(await history.undoTransaction(older), true);
    assert.deepEqual(state, [{ id: 'a', v: 4 }]);
    assert.equal(await history.undoTransaction(older), false, 'only once');
    assert.equal(history.nextUndo?.label, 'set 4');
    assert.ok(changes >= 6);
  });
});

describe('project session', () => {
  it('codes a span once: coding the same words again (Code with Last Code twice) adds nothing, records nothing and writes nothing', async () => {
    const { session, calling, sidecars, writes } = memoryProject();
    const first = await session.code('a.txt', TEXT, [at('Vi ringer hjem')], calling, 'Kari');
    assert.equal(first.added.length, 1);
    const writesBefore = writes.codings;
    const again = await session.code('a.txt', TEXT, [at('Vi ringer hjem')], calling, 'Kari');
    assert.deepEqual([again.added.length, again.skipped.length, again.transaction], [0, 1, undefined]);
    assert.equal(writes.codings, writesBefore);
    assert.equal(sidecars.get('a.txt')!.length, 1);
    assert.equal(session.analysis()!.counts.get(calling)!.segments, 1);
    assert.equal(session.history.nextUndo, first.transaction);
    // another coder may code the same words with the same code
    assert.equal((await session.code('a.txt', TEXT, [at('Vi ringer hjem')], calling, 'Ola')).added.length, 1);
  });

  it('a new code made while coding is one transaction with its coding: one undo takes back both; a taken name is refused', async () => {
    const { session, sidecars, project } = memoryProject();
    const outcome = await session.code('a.txt', TEXT, [at('Vi ringer hjem')], { newCode: 'ringer hjem' }, 'Kari');
    assert.equal(outcome.code.name, 'ringer hjem');
    assert.ok(project().codes.some((c) => c.id === outcome.code.id));
    assert.equal(outcome.transaction?.label, 'Coded 1 segment as the new code "ringer hjem".');
    await session.history.undo();
    assert.equal(project().codes.some((c) => c.id === outcome.code.id), false, 'the code is gone with its coding');
    assert.deepEqual(sidecars.get('a.txt'), []);
    await session.history.redo();
    assert.ok(project().codes.some((c) => c.id === outcome.code.id));
    assert.equal(sidecars.get('a.txt')!.length, 1);
    await assert.rejects(session.code('a.txt', TEXT, [at('hver søndag')], { newCode: 'BOREDOM' }, 'Kari'), /already a code named "boredom"/);
    assert.equal(sidecars.get('a.txt')!.length, 1, 'nothing coded');
  });

  it('undo takes a coding back, redo puts the same coding back; the text is not the session\'s to touch', async () => {
    const { session, calling, sidecars } = memoryProject();
    const { added } = await session.code('a.txt', TEXT, [at('Vi ringer hjem')], calling, 'Kari');
    const undone = await session.history.undo();
    assert.equal(undone?.origin, 'coding');
    assert.equal(undone?.path, 'a.txt');
    assert.deepEqual(sidecars.get('a.txt'), []);
    assert.equal(session.analysis()!.counts.get(calling)!.segments, 0);
    await session.history.redo();
    assert.deepEqual(sidecars.get('a.txt'), added);
    assert.equal(session.analysis()!.counts.get(calling)!.segments, 1);
  });

  it('remove, change code, note: each one transaction; changing to a code the coder already has there is refused', async () => {
    const { session, calling, boredom, sidecars } = memoryProject();
    const [a] = (await session.code('a.txt', TEXT, [at('Vi ringer hjem')], calling, 'Kari')).added;
    const [b] = (await session.code('a.txt', TEXT, [at('Vi ringer hjem')], boredom, 'Kari')).added;
    await assert.rejects(session.editCoding('a.txt', b.id, 'change', (c) => ({ ...c, codeId: calling })), /already have the code "calling home" by Kari/);
    await session.editCoding('a.txt', a.id, 'note', (c) => ({ ...c, note: 'søndag' }));
    assert.equal(sidecars.get('a.txt')!.find((c) => c.id === a.id)!.note, 'søndag');
    await session.removeCodings('a.txt', [b.id]);
    assert.deepEqual(sidecars.get('a.txt')!.map((c) => c.id), [a.id]);
    await session.history.undo(); // the removal
    await session.history.undo(); // the note
    assert.deepEqual(sidecars.get('a.txt')!.map((c) => [c.id, c.note]), [[a.id, undefined], [b.id, undefined]]);
  });

  it('a codebook edit that reaches codings (delete a code) is one transaction: undo brings back the code and its codings', async () => {
    const { session, boredom, sidecars, project } = memoryProject();
    await session.code('a.txt', TEXT, [at('Vi ringer hjem'), at('hver søndag')], boredom, 'Kari');
    await session.editCodebook('Deleted boredom.', (p) => deleteCode(p, boredom), (cs) => removeCodingsOf(cs, [boredom]));
    assert.equal(sidecars.get('a.txt')!.length, 0);
    assert.equal(project().codes.some((c) => c.id === boredom), false);
    assert.equal((await session.history.undo())?.label, 'Deleted boredom.');
    assert.equal(sidecars.get('a.txt')!.length, 2);
    assert.equal(project().codes.some((c) => c.id === boredom), true);
    await session.history.redo();
    assert.equal(sidecars.get('a.txt')!.length, 0);
  });

  it('cases and excluded speakers share the one history with codings and the codebook', async () => {
    const { session, calling, project, env } = memoryProject();
    await session.code('a.txt', TEXT, [at('Hvordan holder dere kontakten?')], calling, 'Kari');
    assert.equal(session.analysis()!.counts.get(calling)!.segments, 1);
    await session.setExcludedSpeakers('Left out Intervjuer.', ['Intervjuer']);
    assert.equal(session.analysis()!.counts.get(calling)!.segments, 0, 'the interviewer\'s question no longer counts');
    await session.editCases('Added Ola.', (p) => {
      const r = addCase(p, 'Ola', env);
      return { project: r.project, before: [], added: [r.case.id] };
    });
    assert.equal(project().cases.length, 1);
    assert.deepEqual((await session.history.undo())?.origin, 'cases');
    assert.equal(project().cases.length, 0);
    assert.deepEqual((await session.history.undo())?.origin, 'settings');
    assert.equal(project().settings.excludedSpeakers, undefined);
    assert.equal(session.analysis()!.counts.get(calling)!.segments, 1);
    assert.deepEqual((await session.history.undo())?.origin, 'coding');
  });

  it('tells positions apart from changes of counts, and computes the analysis once per change', async () => {
    const { session, calling, events } = memoryProject();
    const first = session.analysis();
    assert.equal(session.analysis(), first, 'cached');
    session.changed({ positions: ['a.txt'] });
    assert.equal(session.analysis(), first, 'typing that only moved codings keeps the analysis');
    await session.code('a.txt', TEXT, [at('Vi ringer hjem')], calling, 'Kari');
    assert.notEqual(session.analysis(), first);
    assert.deepEqual(events.map((e) => Object.keys(e).filter((k) => (e as Record<string, unknown>)[k])), [['positions'], ['codings']]);
    session.viewer = 'Ola';
    assert.equal(session.analysis()!.counts.get(calling)!.segments, 0, 'blind mode: only Ola\'s codings count');
  });
});

describe('the one analysis (core/analysis.ts)', () => {
  it('counts nothing of a sidecar whose transcript is gone, and says why for each coding left out', async () => {
    const { session, calling, boredom, project } = memoryProject();
    const [a] = (await session.code('a.txt', TEXT, [at('Vi ringer hjem')], calling, 'Kari')).added;
    const gone: Coding = { ...a, id: 'gone' };
    const dup: Coding = { ...a, id: 'zz-dup', created: '2027-01-01T00:00:00.000Z' };
    const orphan: Coding = { ...a, id: 'orph', codeId: boredom, orphaned: true };
    const unknown: Coding = { ...a, id: 'unknown', codeId: 'no-such-code' };
    const analysis = analyse({
      project: project(),
      documents: [
        { path: 'a.txt', codings: [a, dup, orphan, unknown] },
        { path: 'deleted.txt', codings: [gone], transcriptMissing: true },
      ],
    });
    assert.equal(analysis.counts.get(calling)!.segments, 1);
    assert.equal(analysis.total, 1);
    assert.deepEqual(Object.fromEntries(analysis.leftOut), { 'zz-dup': 'duplicate', orph: 'orphaned', unknown: 'unknownCode', gone: 'noTranscript' });
    assert.deepEqual(analysis.documents.map((d) => [d.path, d.codings.length, d.orphans.length]), [['a.txt', 1, 1], ['deleted.txt', 0, 0]]);
  });
});

describe('the documents the session holds (core/documents.ts)', () => {
  const c = (id: string, coder: string): Coding => ({ id, codeId: 'x', coder, created: 't', anchor: makeAnchor(TEXT, ...at('Vi ringer')) });

  it('overlays an open editor\'s live codings on the stored ones, and falls back when it closes', () => {
    const table = new DocumentTable();
    table.scanned(['a.txt', 'b.txt', 'a.txt.codes.json'], ['a.txt', 'b.txt'], new Set(['a.txt']));
    table.setStored('a.txt', [c('1', 'Kari')]);
    assert.deepEqual(table.documents().map((d) => [d.path, d.codings.length, d.hasSidecar]), [['a.txt', 1, true], ['b.txt', 0, false]]);
    table.setLive('a.txt', [c('1', 'Kari'), c('2', 'Ola')]);
    assert.equal(table.document('a.txt').codings.length, 2);
    assert.deepEqual(table.document('a.txt', 'Ola').codings.map((k) => k.id), ['2'], 'blind mode: only the viewer\'s');
    table.setLive('a.txt', undefined);
    assert.equal(table.document('a.txt').codings.length, 1);
    // an editor opened on a transcript no scan has seen yet is listed from its first coding
    table.setLive('new.txt', [c('3', 'Kari')]);
    assert.deepEqual(table.documents().map((d) => d.path), ['a.txt', 'b.txt', 'new.txt']);
  });

  it('marks a sidecar whose transcript is gone, keeps the error of one that does not parse, and forgets a deleted sidecar', () => {
    const table = new DocumentTable<string>();
    table.scanned(['a.txt'], ['a.txt'], new Set(['a.txt', 'gone.txt']));
    table.setStored('gone.txt', [c('1', 'Kari')]);
    table.setStored('a.txt', [], 'line 3: not JSON');
    assert.equal(table.document('gone.txt').transcriptMissing, true);
    assert.equal(table.document('a.txt').error, 'line 3: not JSON');
    assert.equal(table.setFile('gone.txt', true), true, 'its transcript came back: its codings count again');
    assert.equal(table.document('gone.txt').transcriptMissing, undefined);
    assert.equal(table.setFile('other.txt', true), false, 'a file without a sidecar changes no count');
    table.deleteStored('gone.txt');
    table.scanned(['a.txt'], ['a.txt'], new Set(['a.txt']));
    assert.deepEqual(table.documents().map((d) => d.path), ['a.txt']);
  });
});
