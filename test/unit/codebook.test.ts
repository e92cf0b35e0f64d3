import fc from 'fast-check';
import * as assert from 'node:assert/strict';
import { codebookFixture } from './fixtures';
import type { Coding } from '../../src/core/model';
import { childrenOf, parseProject, serializeProject } from '../../src/core/project';
import { makeAnchor } from '../../src/core/text';
import { analyse } from '../../src/core/analysis';
import {
  coverage,
  deleteCode,
  descendantsOf,
  describeCode,
  mergeCodes,
  moveCode,
  recodeCodings,
  recolorCode,
  removeCodingsOf,
  renameCode,
  restoreCodings,
  restoreRecords,
  sortCodes,
  recentFirst,
  reorderCode,
  touchRecent,
} from '../../src/core/codebook';


const fixture = codebookFixture;

const TEXT = 'Eg ringer heim kvar søndag. Breva kjem sjeldan. Dagane er lange og like.';
let codingSeq = 0;
function coding(codeId: string, quote: string, coder = 'Kari'): Coding {
  const start = TEXT.indexOf(quote);
  assert.ok(start >= 0, quote);
  return { id: `c-${++codingSeq}`, codeId, anchor: makeAnchor(TEXT, start, start + quote.length), coder, created: '2026-11-05T12:00:00.000Z' };
}

describe('codebook edits', () => {
  it('renames a code, refusing an empty name and a sibling with the same name', () => {
    const { p, calling, letters } = fixture();
    const renamed = renameCode(p, calling, '  phoning home ');
    assert.equal(renamed.codes.find((c) => c.id === calling)!.name, 'phoning home');
    assert.throws(() => renameCode(p, calling, '  '), /needs a name/);
    assert.throws(() => renameCode(p, calling, 'LETTERS'), /already a code named "letters"/);
    // the same name at another level is fine
    assert.equal(renameCode(p, letters, 'boredom').codes.find((c) => c.id === letters)!.name, 'boredom');
  });

  it('recolours (lower case) and describes a code; an empty description removes the key from the file', () => {
    const { p, boredom } = fixture();
    const q = recolorCode(p, boredom, '#AABBCC');
    assert.equal(q.codes.find((c) => c.id === boredom)!.color, '#aabbcc');
    assert.throws(() => recolorCode(p, boredom, 'red'), /Not a colour/);
    const described = describeCode(q, boredom, ' Time that does not pass ');
    assert.equal(described.codes.find((c) => c.id === boredom)!.description, 'Time that does not pass');
    const cleared = describeCode(described, boredom, '');
    assert.ok(!('description' in cleared.codes.find((c) => c.id === boredom)!));
    assert.doesNotMatch(serializeProject(cleared), /description/);
  });

  it('moves a code under a category and back to the top level; never under itself or a descendant', () => {
    const { p, cat, calling, boredom } = fixture();
    const moved = moveCode(p, boredom, cat);
    assert.equal(moved.codes.find((c) => c.id === boredom)!.parent, cat);
    assert.deepEqual(descendantsOf(moved, cat).sort(), [calling, boredom, moved.codes.find((c) => c.name === 'letters')!.id].sort());
    const top = moveCode(moved, boredom, undefined);
    assert.ok(!('parent' in top.codes.find((c) => c.id === boredom)!));
    assert.throws(() => moveCode(p, cat, calling), /cannot be moved under itself/);
    assert.throws(() => moveCode(p, cat, cat), /cannot be moved under itself/);
    // the file written after a move parses back to the same tree
    const reread = parseProject(serializeProject(moved), 'grounded.json');
    assert.equal(reread.codes.find((c) => c.id === boredom)!.parent, cat);
  });

  it('deletes a code, moving its subcodes up and reporting the records before', () => {
    const { p, cat, calling, letters } = fixture();
    const { project, before } = deleteCode(p, cat);
    assert.equal(project.codes.length, 3);
    assert.ok(project.codes.every((c) => !c.parent));
    assert.deepEqual(before.map((c) => c.id).sort(), [cat, calling, letters].sort());
    // undo puts the category back and the subcodes under it again
    const undone = { ...project, codes: restoreRecords(project.codes, before) };
    assert.equal(undone.codes.find((c) => c.id === calling)!.parent, cat);
    assert.equal(undone.codes.length, 4);
  });

  it('merges a code into another: subcodes follow, the source disappears', () => {
    const { p, cat, calling, letters, boredom } = fixture();
    const { project, before } = mergeCodes(p, cat, boredom);
    assert.equal(project.codes.find((c) => c.id === cat), undefined);
    assert.equal(project.codes.find((c) => c.id === calling)!.parent, boredom);
    assert.equal(project.codes.find((c) => c.id === letters)!.parent, boredom);
    assert.equal(before.length, 3);
    assert.throws(() => mergeCodes(p, cat, calling), /its own subcode/);
    assert.throws(() => mergeCodes(p, cat, cat), /into itself/);
  });
});

describe('codings under codebook edits', () => {
  it('recodes codings and drops exact duplicates of the target, which undo brings back', () => {
    const { calling, letters, boredom } = fixture();
    const a = coding(calling, 'ringer heim');
    const b = coding(letters, 'Breva kjem sjeldan');
    const dupe = coding(letters, 'ringer heim');
    const other = coding(boredom, 'Dagane er lange');
    const { codings, before } = recodeCodings([a, b, dupe, other], letters, calling);
    assert.deepEqual(
      codings.map((c) => [c.id, c.codeId]),
      [
        [a.id, calling],
        [b.id, calling],
        [other.id, boredom],
      ],
    );
    assert.deepEqual(before.map((c) => c.id), [b.id, dupe.id]);
    const undone = restoreCodings(codings, before);
    assert.deepEqual(undone.map((c) => [c.id, c.codeId]).sort(), [a, b, dupe, other].map((c) => [c.id, c.codeId]).sort());
  });

  it('removes the codings of deleted codes; undo keeps anchors that moved in the meantime', () => {
    const { calling, boredom } = fixture();
    const a = coding(calling, 'ringer heim');
    const other = coding(boredom, 'Dagane er lange');
    const { codings, before } = removeCodingsOf([a, other], [calling]);
    assert.deepEqual(codings, [other]);
    assert.deepEqual(before, [a]);
    // a recode whose coding's anchor moved with typing, then undone
    const recoded = recodeCodings([a], calling, boredom);
    const moved = { ...recoded.codings[0], anchor: { ...recoded.codings[0].anchor, start: 10, end: 21 } };
    const back = restoreCodings([moved], recoded.before);
    assert.equal(back[0].codeId, calling);
    assert.equal(back[0].anchor.start, 10);
  });
});

describe('code counts, order and coverage', () => {
  it('counts segments, documents and coders per code, with totals over subcodes; orphans do not count', () => {
    const { p, cat, calling, letters, boredom } = fixture();
    const { counts } = analyse({
      project: p,
      documents: [
        { path: 'a.txt', codings: [coding(calling, 'ringer heim'), coding(calling, 'kvar søndag', 'Ola'), coding(boredom, 'lange')] },
        { path: 'b.txt', codings: [coding(letters, 'Breva'), { ...coding(letters, 'sjeldan'), orphaned: true }] },
      ],
    });
    assert.deepEqual(counts.get(calling), { segments: 2, documents: 1, coders: ['Kari', 'Ola'], totalSegments: 2, totalDocuments: 1, totalCoders: ['Kari', 'Ola'] });
    assert.deepEqual(counts.get(letters), { segments: 1, documents: 1, coders: ['Kari'], totalSegments: 1, totalDocuments: 1, totalCoders: ['Kari'] });
    assert.deepEqual(counts.get(cat), { segments: 0, documents: 0, coders: [], totalSegments: 3, totalDocuments: 2, totalCoders: ['Kari', 'Ola'] });
    assert.equal(counts.get(boredom)!.segments, 1);

    const top = p.codes.filter((c) => !c.parent);
    assert.deepEqual(sortCodes(top, 'name').map((c) => c.name), ['boredom', 'Keeping connected']);
    assert.deepEqual(sortCodes(top, 'frequency', counts).map((c) => c.name), ['Keeping connected', 'boredom']);
  });

  it('measures coverage as the union of coded characters', () => {
    const { calling, boredom } = fixture();
    assert.equal(coverage(0, []), 0);
    assert.equal(coverage(100, [{ ...coding(calling, 'ringer heim'), anchor: { ...makeAnchor(TEXT, 0, 10) } }]), 0.1);
    const spans: [number, number][] = [
      [0, 10],
      [5, 20],
      [30, 40],
      [35, 38],
    ];
    const cs = spans.map(([s, e], i) => ({ ...coding(i % 2 ? calling : boredom, 'ringer heim'), anchor: makeAnchor(TEXT, s, e) }));
    assert.equal(coverage(TEXT.length, cs), 30 / TEXT.length);
    assert.equal(coverage(TEXT.length, cs.map((c) => ({ ...c, orphaned: true }))), 0);
  });

  it('gives the union of coded characters whatever order the codings are in, and spans reaching past the text are clipped', () => {
    const { calling } = fixture();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(60), fc.nat(30), fc.boolean())), fc.integer({ min: 1, max: 80 }), (spans, length) => {
        const cs = spans.map(([s, n, orphaned]) => ({ ...coding(calling, 'ringer heim'), anchor: { start: s, end: s + n, prefix: '', quote: '', suffix: '' }, orphaned: orphaned || undefined }));
        const chars = new Set<number>();
        for (const c of cs) if (!c.orphaned) for (let i = c.anchor.start; i < Math.min(length, c.anchor.end); i++) chars.add(i);
        const sorted = [...cs].sort((x, y) => x.anchor.start - y.anchor.start);
        assert.equal(coverage(length, cs), chars.size / length);
        assert.equal(coverage(length, sorted), chars.size / length);
      }),
    );
  });
});

describe('recently used codes', () => {
  it('moves the code used to the front and keeps the list short', () => {
    assert.deepEqual(touchRecent(['a', 'b', 'c'], 'c'), ['c', 'a', 'b']);
    assert.deepEqual(touchRecent(['a', 'b'], 'x', 2), ['x', 'a']);
  });

  it('lists recent codes first, most recent first, then the rest by name; deleted codes are skipped', () => {
    const { p, calling, letters, boredom } = fixture();
    const { recent, others } = recentFirst(p.codes, [letters, 'deleted-id', boredom]);
    assert.deepEqual(recent.map((c) => c.id), [letters, boredom]);
    assert.deepEqual(others.map((c) => c.name), ['calling home', 'Keeping connected']);
    assert.ok(!others.some((c) => c.id === letters));
    assert.equal(recentFirst(p.codes, []).others.length, 4);
    assert.ok(calling);
  });
});

describe('arranging codes by hand', () => {
  it('moves a code up and down among its siblings, keeps the order in the file, and undo restores it', () => {
    const { p, cat, calling, letters } = fixture();
    const names = (q: typeof p, parent?: string) => childrenOf(q, parent).map((c) => c.name);
    assert.deepEqual(names(p, cat), ['calling home', 'letters']);
    const down = reorderCode(p, calling, 1);
    assert.deepEqual(names(down.project, cat), ['letters', 'calling home']);
    const reread = parseProject(serializeProject(down.project), 'grounded.json');
    assert.deepEqual(names(reread, cat), ['letters', 'calling home'], 'the order survives a save');
    assert.match(serializeProject(down.project), /"order":0/);
    assert.equal(reorderCode(down.project, letters, -1).before.length, 0, 'the first cannot move up');
    const undone = { ...down.project, codes: restoreRecords(down.project.codes, down.before) };
    assert.deepEqual(names(undone, cat), ['calling home', 'letters']);
    // a code moved elsewhere forgets its place; unarranged siblings follow the arranged ones, by name
    const moved = moveCode(down.project, calling, undefined);
    assert.equal(moved.codes.find((c) => c.id === calling)!.order, undefined);
    assert.deepEqual(names(moved), ['boredom', 'calling home', 'Keeping connected']);
  });
});
