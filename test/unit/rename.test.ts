import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Memo } from '../../src/core/model';
import { parseProject, serializeProject } from '../../src/core/project';
import { parseSidecar, serializeSidecar } from '../../src/core/sidecar';
import { parseMemo, serializeMemo } from '../../src/core/memo';
import { movedPath, renameInMemo, renameInProject, renameInSidecar } from '../../src/core/rename';

const GOLDEN = path.resolve(__dirname, '../../../test/fixtures/golden');
const golden = (rel: string): string => readFileSync(path.join(GOLDEN, rel), 'utf8');

describe('renaming and moving transcripts', () => {
  describe('movedPath', () => {
    it('moves the file itself', () => {
      assert.equal(movedPath('interviews/ola.txt', [{ from: 'interviews/ola.txt', to: 'interviews/ola-1.txt' }]), 'interviews/ola-1.txt');
    });

    it('moves everything under a moved folder, at any depth', () => {
      const moves = [{ from: 'interviews', to: 'data/intervjuer' }];
      assert.equal(movedPath('interviews/ola.txt', moves), 'data/intervjuer/ola.txt');
      assert.equal(movedPath('interviews/2026/ase.txt', moves), 'data/intervjuer/2026/ase.txt');
    });

    it('leaves paths that only share a prefix of characters, not of folders', () => {
      assert.equal(movedPath('interviews-old/ola.txt', [{ from: 'interviews', to: 'x' }]), undefined);
      assert.equal(movedPath('interviews/ola.txt.bak', [{ from: 'interviews/ola.txt', to: 'x.txt' }]), undefined);
    });

    it('ignores a trailing slash on a folder and a move onto itself', () => {
      assert.equal(movedPath('a/b.txt', [{ from: 'a/', to: 'c/' }]), 'c/b.txt');
      assert.equal(movedPath('a/b.txt', [{ from: 'a/b.txt', to: 'a/b.txt' }]), undefined);
    });

    it('takes the first move that applies when several are given', () => {
      const moves = [
        { from: 'a/x.txt', to: 'b/x.txt' },
        { from: 'a/y.txt', to: 'b/y.txt' },
      ];
      assert.equal(movedPath('a/y.txt', moves), 'b/y.txt');
      assert.equal(movedPath('a/z.txt', moves), undefined);
    });
  });

  it('rewrites the documents of cases in grounded.json and changes only that line', () => {
    const text = golden('grounded.json');
    const project = parseProject(text, 'grounded.json');
    const renamed = renameInProject(project, [{ from: 'interviews/ase-2.txt', to: 'interviews/2026/ase-2.txt' }]);
    assert.deepEqual(renamed.cases[1].documents, ['interviews/ase-1.txt', 'interviews/2026/ase-2.txt'], 'order kept');
    assert.deepEqual(project.cases[1].documents, ['interviews/ase-1.txt', 'interviews/ase-2.txt'], 'the input is not mutated');
    const before = text.split('\n');
    const after = serializeProject(renamed).split('\n');
    assert.equal(after.length, before.length);
    const changed = after.map((line, i) => (line === before[i] ? -1 : i)).filter((i) => i >= 0);
    assert.equal(changed.length, 1, 'exactly one line of the file differs');
    assert.ok(after[changed[0]].includes('"documents":["interviews/ase-1.txt","interviews/2026/ase-2.txt"]'), after[changed[0]]);
  });

  it('returns the same project object when no case refers to a moved path', () => {
    const project = parseProject(golden('grounded.json'), 'grounded.json');
    assert.equal(renameInProject(project, [{ from: 'other/file.txt', to: 'x.txt' }]), project);
  });

  it('moves a case document along with its folder', () => {
    const project = parseProject(golden('grounded.json'), 'grounded.json');
    const renamed = renameInProject(project, [{ from: 'interviews', to: 'transkripsjoner' }]);
    assert.deepEqual(
      renamed.cases.map((k) => k.documents),
      [['transkripsjoner/ola.txt'], ['transkripsjoner/ase-1.txt', 'transkripsjoner/ase-2.txt']],
    );
  });

  it('rewrites document.path of a sidecar and keeps every coding and the hash', () => {
    const text = golden('interviews/ola.txt.codes.json');
    const sidecar = parseSidecar(text, 'interviews/ola.txt.codes.json');
    const renamed = renameInSidecar(sidecar, [{ from: 'interviews/ola.txt', to: 'arkiv/ola-2026.txt' }]);
    assert.equal(renamed.document.path, 'arkiv/ola-2026.txt');
    assert.equal(renamed.document.hash, sidecar.document.hash);
    assert.deepEqual(renamed.codings, sidecar.codings);
    assert.equal(sidecar.document.path, 'interviews/ola.txt', 'the input is not mutated');
    const out = serializeSidecar(renamed);
    assert.equal(out, text.replace('"path":"interviews/ola.txt"', '"path":"arkiv/ola-2026.txt"'), 'only the document line changes');
    assert.equal(renameInSidecar(sidecar, [{ from: 'interviews/per.txt', to: 'x.txt' }]), sidecar);
  });

  it('points a memo about a moved document to the new path and leaves other memos alone', () => {
    const memo: Memo = {
      id: 'da65dfd4-1dd8-4d01-8d22-b0df74e50dd0',
      target: { kind: 'document', path: 'interviews/ola.txt' },
      author: 'Kari Nordmann',
      created: '2026-11-02T10:30:00.000Z',
      modified: '2026-11-03T09:12:00.000Z',
      body: 'Ola snakker mye om helgene.',
    };
    const renamed = renameInMemo(memo, [{ from: 'interviews', to: 'data' }]);
    assert.deepEqual(renamed.target, { kind: 'document', path: 'data/ola.txt' });
    assert.equal(renamed.modified, memo.modified, 'the memo text did not change, so neither does modified');
    assert.ok(serializeMemo(renamed).includes('\ntarget: document:data/ola.txt\n'));
    assert.equal(renameInMemo(memo, [{ from: 'interviews/per.txt', to: 'x.txt' }]), memo);

    const aboutCode = parseMemo(golden('memos/helgene-som-dod-tid-da65dfd4.md'), 'memos/helgene-som-dod-tid-da65dfd4.md');
    assert.equal(renameInMemo(aboutCode, [{ from: 'interviews', to: 'data' }]), aboutCode);
  });
});
