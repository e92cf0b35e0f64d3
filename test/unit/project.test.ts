import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Code, ProjectFile } from '../../src/core/model';
import type { Environment } from '../../src/core/ports';
import { FormatError } from '../../src/core/jsonError';
import {
  CODE_PALETTE,
  addCode,
  childrenOf,
  codePath,
  findCodeByName,
  newProject,
  parseProject,
  serializeProject,
} from '../../src/core/project';

const GOLDEN = path.resolve(__dirname, '../../../test/fixtures/golden');
const goldenText = (): string => readFileSync(path.join(GOLDEN, 'grounded.json'), 'utf8');

function testEnv(): Environment {
  let n = 0;
  return { now: () => '2026-11-05T12:00:00.000Z', newId: () => `00000000-0000-4000-8000-${(++n).toString().padStart(12, '0')}` };
}

function withCodes(names: string[]): ProjectFile {
  const env = testEnv();
  let p = newProject('Test', env);
  for (const name of names) p = addCode(p, { name }, 'Kari', env).project;
  return p;
}

describe('project file format', () => {
  it('parses the golden grounded.json and re-serialises it byte-identically', () => {
    const text = goldenText();
    const p = parseProject(text, 'grounded.json');
    assert.equal(p.codes.length, 5);
    assert.equal(p.cases[1].pseudonym, 'Åse');
    assert.equal(p.settings.language, 'nb');
    assert.equal(serializeProject(p), text);
  });

  it('sorts codes and cases by id and settings and attribute keys by name', () => {
    const p = parseProject(goldenText(), 'grounded.json');
    const shuffled: ProjectFile = {
      ...p,
      settings: { reportLanguage: 'en', language: 'nb' },
      codes: [...p.codes].reverse(),
      cases: [...p.cases].reverse().map((c) => ({ ...c, attributes: Object.fromEntries(Object.entries(c.attributes).reverse()) })),
    };
    assert.equal(serializeProject(shuffled), goldenText());
  });

  it('writes key order id, name, color, description?, parent?, created, createdBy', () => {
    const code = { createdBy: 'K', created: '2026-11-05T12:00:00.000Z', parent: undefined, description: '', color: '#aabbcc', name: 'N', id: '00000000-0000-4000-8000-000000000001' } as Code;
    const text = serializeProject({ ...newProject('P', testEnv()), codes: [code] });
    assert.ok(text.includes('    {"id":"00000000-0000-4000-8000-000000000001","name":"N","color":"#aabbcc","created":"2026-11-05T12:00:00.000Z","createdBy":"K"}\n'), text);
    assert.ok(text.includes('  "settings": {},\n'), text);
    assert.ok(text.endsWith('  "cases": []\n}\n'), text);
  });

  it('reports a bad colour at the line of the code and a newer version clearly', () => {
    const bad = goldenText().replace('"color":"#e5c07b"', '"color":"yellow"');
    assert.throws(
      () => parseProject(bad, 'grounded.json'),
      (err: unknown) => err instanceof FormatError && err.line === 7 && /codes\[1\]\.color: expected a colour/.test(err.message),
    );
    const newer = goldenText().replace('"version": 1', '"version": 7');
    assert.throws(() => parseProject(newer, 'grounded.json'), /grounded\.json:2:\d+: written by a newer Grounded/);
    const attr = goldenText().replace('"ageGroup":"30-39"', '"ageGroup":39');
    assert.throws(
      () => parseProject(attr, 'grounded.json'),
      (err: unknown) => err instanceof FormatError && err.line === 13 && /attributes\.ageGroup/.test(err.message),
    );
  });
});

describe('codebook helpers', () => {
  it('creates a project from the environment', () => {
    const p = newProject('Fengselsstudien', testEnv());
    assert.deepEqual(p.project, { id: '00000000-0000-4000-8000-000000000001', name: 'Fengselsstudien', created: '2026-11-05T12:00:00.000Z' });
    assert.deepEqual([p.codes, p.cases, p.settings], [[], [], {}]);
  });

  it('adds a code without mutating the project', () => {
    const env = testEnv();
    const before = newProject('P', env);
    const { project, code } = addCode(before, { name: '  Savn  ', description: 'Lengsel hjem' }, 'Kari', env);
    assert.equal(before.codes.length, 0);
    assert.equal(project.codes.length, 1);
    assert.deepEqual(code, {
      id: '00000000-0000-4000-8000-000000000002',
      name: 'Savn',
      color: CODE_PALETTE[0],
      description: 'Lengsel hjem',
      created: '2026-11-05T12:00:00.000Z',
      createdBy: 'Kari',
    });
  });

  it('cycles through 24 distinct palette colours and fills gaps first', () => {
    assert.equal(new Set(CODE_PALETTE).size, 24);
    const p = withCodes(Array.from({ length: 25 }, (_, i) => `kode ${i}`));
    assert.deepEqual(
      p.codes.map((c) => c.color),
      [...CODE_PALETTE, CODE_PALETTE[0]],
    );
    const gap = { ...p, codes: p.codes.filter((c) => c.color !== CODE_PALETTE[4]) };
    assert.equal(addCode(gap, { name: 'ny' }, 'K', testEnv()).code.color, CODE_PALETTE[4]);
    assert.equal(addCode(p, { name: 'valgt', color: '#ABCDEF' }, 'K', testEnv()).code.color, '#abcdef');
  });

  it('refuses an empty name, a bad colour and an unknown parent', () => {
    const p = withCodes(['a']);
    assert.throws(() => addCode(p, { name: '  ' }, 'K', testEnv()), /needs a name/);
    assert.throws(() => addCode(p, { name: 'b', color: 'red' }, 'K', testEnv()), /Not a colour/);
    assert.throws(() => addCode(p, { name: 'b', parent: '99999999-0000-4000-8000-000000000000' }, 'K', testEnv()), /No code/);
  });

  it('finds codes by name ignoring case, optionally within one parent', () => {
    const p = parseProject(goldenText(), 'grounded.json');
    assert.equal(findCodeByName(p, 'kjedsomhet i HELGENE ')?.id, '035b1c60-4756-4360-ae99-7308f22e9756');
    assert.equal(findCodeByName(p, 'Kjedsomhet i helgene', null), undefined);
    assert.equal(findCodeByName(p, 'Kjedsomhet i helgene', '8b146274-f18d-4b12-933d-621d6f6901e2')?.name, 'Kjedsomhet i helgene');
    assert.equal(findCodeByName(p, 'Finnes ikke'), undefined);
  });

  it('lists codes whose parents loop (merged moves from two branches) at the top level, once', () => {
    const p = withCodes(['a', 'b', 'c']);
    const [a, b, c] = p.codes;
    const cyclic = { ...p, codes: [{ ...a, parent: b.id }, { ...b, parent: a.id }, { ...c, parent: a.id }] };
    assert.deepEqual(childrenOf(cyclic).map((x) => x.name), ['a', 'b']);
    assert.deepEqual(childrenOf(cyclic, a.id).map((x) => x.name), ['c']);
    assert.deepEqual(childrenOf(cyclic, b.id).map((x) => x.name), []);
  });

  it('gives the path of names from the root and survives a parent cycle', () => {
    const p = parseProject(goldenText(), 'grounded.json');
    assert.deepEqual(codePath(p, '035b1c60-4756-4360-ae99-7308f22e9756'), ['Tid og ventetid', 'Kjedsomhet i helgene']);
    assert.deepEqual(codePath(p, '8b146274-f18d-4b12-933d-621d6f6901e2'), ['Tid og ventetid']);
    assert.deepEqual(codePath(p, 'nope'), []);
    const a = p.codes[0];
    const b = p.codes[1];
    const cyclic = { ...p, codes: [{ ...a, parent: b.id }, { ...b, parent: a.id }] };
    assert.deepEqual(codePath(cyclic, a.id), [b.name, a.name]);
  });

  it('lists children sorted by name, with orphaned children at the top level', () => {
    const p = parseProject(goldenText(), 'grounded.json');
    assert.deepEqual(
      childrenOf(p, '8b146274-f18d-4b12-933d-621d6f6901e2').map((c) => c.name),
      ['Kjedsomhet i helgene', 'Utdanning bak murene'],
    );
    assert.deepEqual(
      childrenOf(p).map((c) => c.name),
      ['Relasjon til betjenter', 'Savn av familie 👨‍👧', 'Tid og ventetid'],
    );
    const parentGone = { ...p, codes: p.codes.filter((c) => c.id !== '8b146274-f18d-4b12-933d-621d6f6901e2') };
    assert.equal(childrenOf(parentGone).length, 4);
  });
});
