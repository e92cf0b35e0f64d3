// A project with a theory map, shared by the map tests (mapSvg.test.ts, mapCli.test.ts).
import { analyse } from '../../src/core/analysis';
import type { Analysis } from '../../src/core/analysis';
import { BUILTIN_RELATION_TYPES } from '../../src/core/model';
import type { Coding, ProjectFile } from '../../src/core/model';
import { addMap } from '../../src/core/maps';
import { addRelation } from '../../src/core/relations';
import { makeAnchor } from '../../src/core/text';
import { codebookFixture } from './fixtures';

const CAUSE = BUILTIN_RELATION_TYPES[0].id;
const CONTRADICTS = BUILTIN_RELATION_TYPES.find((t) => t.name === 'contradicts')!.id;
export const MAP_TEXT = 'I: Hvordan holder du kontakten?\nP: Jeg ringer hjem hver søndag.\nP: Og skriver brev.\nP: Ellers kjeder jeg meg.\n';

/**
 * The codebook fixture ("Keeping connected" with "calling home" and "letters"; "boredom") with codings
 * (calling home 2, letters 1, boredom 1), three relations (two between calling home and boredom) and a
 * map "Theory" with all four codes spread out.
 */
export function mapProject(): { p: ProjectFile; analysis: Analysis; mapId: string; ids: Record<string, string>; documents: { path: string; codings: Coding[] }[] } {
  const { p: p0, env, cat, calling, letters, boredom } = codebookFixture();
  let p = p0;
  p = addRelation(p, { source: calling, target: boredom, type: CAUSE, label: 'empty <Sundays> & "calls"' }, 'Kari', env).project;
  p = addRelation(p, { source: boredom, target: calling, type: CONTRADICTS }, 'Kari', env).project;
  p = addRelation(p, { source: letters, target: boredom, type: CONTRADICTS }, 'Kari', env).project;
  const made = addMap(p, 'Theory', env, [
    { code: cat, x: 0, y: 0 },
    { code: calling, x: -200, y: 200 },
    { code: letters, x: 200, y: 200 },
    { code: boredom, x: 0, y: 420 },
  ]);
  p = made.project;
  const at = (word: string): [number, number] => [MAP_TEXT.indexOf(word), MAP_TEXT.indexOf(word) + word.length];
  const coding = (id: string, codeId: string, word: string): Coding => ({ id, codeId, anchor: makeAnchor(MAP_TEXT, ...at(word)), coder: 'Kari', created: '2026-11-05T12:00:00.000Z' });
  const documents = [
    {
      path: 'interviews/ola.txt',
      codings: [coding('c0d1c0d1-0000-4000-8000-000000000001', calling, 'ringer hjem'), coding('c0d1c0d1-0000-4000-8000-000000000002', calling, 'hver søndag'), coding('c0d1c0d1-0000-4000-8000-000000000003', letters, 'skriver brev'), coding('c0d1c0d1-0000-4000-8000-000000000004', boredom, 'kjeder jeg meg')],
    },
  ];
  const analysis = analyse({ project: p, documents, textOf: () => MAP_TEXT });
  return { p, analysis, mapId: made.map.id, ids: { cat, calling, letters, boredom }, documents };
}
