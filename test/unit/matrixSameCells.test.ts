// Co-occurrence was rewritten for large projects (issue 15: bit sets per cell instead of maps, a cell's
// segments listed when first read). This holds it to the first version, kept here as the oracle, on
// random codebooks, codings and speaker turns: the same counts, documents and segments in every cell.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DocumentCodings } from '../../src/core/codebook';
import { codeRows, cooccurrence } from '../../src/core/matrix';
import type { CooccurrenceMode, Matrix, MatrixCell, MatrixRow } from '../../src/core/matrix';
import type { Coding, ProjectFile } from '../../src/core/model';
import { addCode, newProject } from '../../src/core/project';
import { speakerTurns } from '../../src/core/speakers';
import { makeAnchor } from '../../src/core/text';
import { testEnv } from './fixtures';

// ---- the first version of cooccurrence (core/matrix.ts before issue 15), unchanged
function rowsReached(rows: readonly MatrixRow[], members: ReadonlyMap<string, ReadonlySet<string>>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  rows.forEach((row, i) => {
    for (const id of members.get(row.id)!) {
      const list = out.get(id) ?? [];
      list.push(i);
      out.set(id, list);
    }
  });
  return out;
}
interface Builder {
  count: number;
  refs: Map<string, Map<string, Coding>>;
}
const newBuilder = (): Builder => ({ count: 0, refs: new Map() });
const addRef = (b: Builder, path: string, c: Coding) => {
  let inDoc = b.refs.get(path);
  if (!inDoc) b.refs.set(path, (inDoc = new Map()));
  inDoc.set(c.id, c);
};
const byPath = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const finish = (b: Builder): MatrixCell => ({
  count: b.count,
  documents: b.refs.size,
  refs: [...b.refs.keys()].sort(byPath).flatMap((path) =>
    [...b.refs.get(path)!.values()].sort((x, y) => x.anchor.start - y.anchor.start || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).map((c) => ({ path, codingId: c.id })),
  ),
});
function spansOf(codings: readonly Coding[], mode: CooccurrenceMode, text: string | undefined): ({ from: number; to: number } | undefined)[] {
  if (mode === 'overlap') return codings.map((c) => ({ from: c.anchor.start, to: Math.max(c.anchor.end, c.anchor.start + 1) }));
  const turns = text === undefined ? [] : speakerTurns(text);
  return codings.map((c) => {
    const s = c.anchor.start;
    const e = Math.max(c.anchor.end, s + 1);
    let lo = 0;
    let hi = turns.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Math.max(turns[mid].end, turns[mid].start + 1) <= s) lo = mid + 1;
      else hi = mid;
    }
    let last = lo;
    while (last < turns.length && turns[last].start < e) last++;
    return last > lo ? { from: lo, to: last } : undefined;
  });
}
function firstCooccurrence(project: ProjectFile, documents: readonly DocumentCodings[], mode: CooccurrenceMode, textOf: (path: string) => string | undefined): Matrix {
  const { rows, members } = codeRows(project);
  const reach = rowsReached(rows, members);
  const n = rows.length;
  const grid = rows.map(() => rows.map(newBuilder));
  for (const doc of documents) {
    const codings = doc.codings.filter((c) => !c.orphaned && reach.has(c.codeId));
    if (!codings.length) continue;
    for (const c of codings) {
      for (const r of reach.get(c.codeId)!) {
        grid[r][r].count++;
        addRef(grid[r][r], doc.path, c);
      }
    }
    const spans = spansOf(codings, mode, mode === 'turn' ? textOf(doc.path) : undefined);
    const order = codings.map((_, i) => i).filter((i) => spans[i]).sort((a, b) => spans[a]!.from - spans[b]!.from);
    for (let x = 0; x < order.length; x++) {
      const a = order[x];
      for (let y = x + 1; y < order.length && spans[order[y]]!.from < spans[a]!.to; y++) {
        const b = order[y];
        const hit = new Set<number>();
        for (const r of reach.get(codings[a].codeId)!) {
          for (const c of reach.get(codings[b].codeId)!) {
            if (r !== c) hit.add(r * n + c).add(c * n + r);
          }
        }
        for (const key of hit) {
          const cell = grid[Math.floor(key / n)][key % n];
          cell.count++;
          addRef(cell, doc.path, codings[a]);
          addRef(cell, doc.path, codings[b]);
        }
      }
    }
  }
  const cells = grid.map((row) => row.map(finish));
  let max = 0;
  cells.forEach((row, r) => row.forEach((cell, c) => (r === c ? undefined : (max = Math.max(max, cell.count)))));
  return { kind: 'cooccurrence', corner: 'Code', rows, columns: rows.map((r) => ({ id: r.id, label: r.name })), cells, max };
}
// ---- end of the first version

const TEXT = ['Intervjuer: Hvordan går det?', 'Ola: Bra, takk. Jeg ringer hjem.', '', 'Mira: Det er langt hjem herfra.', 'Intervjuer: Og brev?', 'Ola: Sjelden.', ''].join('\n');

describe('co-occurrence gives what its first version gave', () => {
  const env = testEnv();
  let p = newProject('Test', env);
  const ids: string[] = [];
  // a category with a subcategory, codes at three levels, and a code outside the codebook
  for (const [name, parent] of [['A', undefined], ['A1', 0], ['A2', 0], ['A21', 2], ['B', undefined], ['C', undefined]] as const) {
    const r = addCode(p, { name, parent: parent === undefined ? undefined : ids[parent] }, 'Kari', env);
    p = r.project;
    ids.push(r.code.id);
  }
  const codeIds = [...ids, 'not-a-code'];
  const coding = fc.record({
    id: fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10', 'k11', 'k12'),
    code: fc.integer({ min: 0, max: codeIds.length - 1 }),
    start: fc.integer({ min: 0, max: TEXT.length }),
    length: fc.integer({ min: 0, max: 60 }),
    orphaned: fc.boolean(),
  });
  const documents = fc.array(fc.record({ path: fc.constantFrom('a.txt', 'b.txt', 'c.txt', 'd.txt'), codings: fc.array(coding, { maxLength: 12 }) }), { maxLength: 4 });
  const build = (docs: { path: string; codings: { id: string; code: number; start: number; length: number; orphaned: boolean }[] }[], unique: boolean): DocumentCodings[] => {
    const seenPaths = new Set<string>();
    return docs
      .filter((d) => !unique || (!seenPaths.has(d.path) && seenPaths.add(d.path)))
      .map((d) => {
        const seen = new Set<string>();
        return {
          path: d.path,
          codings: d.codings
            .filter((c) => !unique || (!seen.has(c.id) && seen.add(c.id)))
            .map((c): Coding => ({
              id: c.id,
              codeId: codeIds[c.code],
              anchor: makeAnchor(TEXT, c.start, Math.min(TEXT.length, c.start + c.length)),
              coder: 'Kari',
              created: '2026-12-01T00:00:00.000Z',
              ...(c.orphaned && c.code % 3 === 0 ? { orphaned: true } : {}),
            })),
        };
      });
  };
  const same = (docs: DocumentCodings[], mode: CooccurrenceMode) => {
    const textOf = (path: string) => (path === 'd.txt' ? undefined : TEXT);
    const now = cooccurrence(p, docs, mode, textOf);
    const then = firstCooccurrence(p, docs, mode, textOf);
    assert.equal(JSON.stringify(now), JSON.stringify(then));
    assert.deepEqual(now, then);
  };

  for (const mode of ['overlap', 'turn'] as const) {
    it(`by ${mode}: the same cells, with segments listed when read, on transcripts as Grounded writes them`, () => {
      fc.assert(fc.property(documents, (docs) => same(build(docs, true), mode)), { numRuns: 300 });
    });
    it(`by ${mode}: the same cells where a transcript is listed twice or two codings share an id`, () => {
      fc.assert(fc.property(documents, (docs) => same(build(docs, false), mode)), { numRuns: 300 });
    });
  }

  it('lists the segments of a cell when first read, and then keeps the same list', () => {
    const docs = build([{ path: 'a.txt', codings: [{ id: 'k1', code: 1, start: 40, length: 10, orphaned: false }, { id: 'k2', code: 4, start: 45, length: 10, orphaned: false }] }], true);
    const m = cooccurrence(p, docs, 'overlap');
    const cell = m.cells[m.rows.findIndex((r) => r.id === ids[1])][m.rows.findIndex((r) => r.id === ids[4])];
    assert.equal(cell.count, 1);
    assert.deepEqual(cell.refs, [{ path: 'a.txt', codingId: 'k1' }, { path: 'a.txt', codingId: 'k2' }]);
    assert.equal(cell.refs, cell.refs);
  });
});
