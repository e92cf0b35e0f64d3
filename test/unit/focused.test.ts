// The `focused` flag on codes (focused coding), and the category edits built on the codebook:
// New Category / Group into Category and Promote to Category.
import * as assert from 'node:assert/strict';
import { codebookFixture } from './fixtures';
import { childrenOf, parseProject, serializeProject } from '../../src/core/project';
import { groupIntoCategory, promoteToCategory, restoreRecords, setFocused } from '../../src/core/codebook';
import { FormatError } from '../../src/core/jsonError';


const fixture = codebookFixture;

describe('focused codes', () => {
  it('writes "focused":true after "parent" and before "created", and reads it back', () => {
    const { p, calling } = fixture();
    const text = serializeProject(setFocused(p, [calling], true).project);
    const line = text.split('\n').find((l) => l.includes(calling) && l.includes('"name":"calling home"'))!;
    assert.match(line, /"parent":"[0-9a-f-]+","focused":true,"created":/);
    const back = parseProject(text, 'grounded.json');
    assert.equal(back.codes.find((c) => c.id === calling)?.focused, true);
    assert.equal(serializeProject(back), text, 'byte-identical round trip');
  });

  it('leaves the key out when not focused, so old files stay byte-identical', () => {
    const { p, calling } = fixture();
    const plain = serializeProject(p);
    assert.ok(!plain.includes('focused'));
    const off = setFocused(setFocused(p, [calling], true).project, [calling], false).project;
    assert.equal(serializeProject(off), plain);
  });

  it('reads "focused":false as not focused and refuses a value that is not a boolean', () => {
    const { p, boredom } = fixture();
    const text = serializeProject(p);
    const withFalse = text.replace(`"name":"boredom"`, `"name":"boredom","focused":false`);
    assert.equal(parseProject(withFalse, 'grounded.json').codes.find((c) => c.id === boredom)?.focused, undefined);
    const bad = text.replace(`"name":"boredom"`, `"name":"boredom","focused":"yes"`);
    assert.throws(() => parseProject(bad, 'grounded.json'), (e: unknown) => e instanceof FormatError && /focused: expected true or false/.test(e.message));
  });

  it('setFocused returns only the records it changed, for undo', () => {
    const { p, calling, letters } = fixture();
    const once = setFocused(p, [calling], true);
    const twice = setFocused(once.project, [calling, letters], true);
    assert.deepEqual(twice.before.map((c) => c.id), [letters]);
    const undone = restoreRecords(twice.project.codes, twice.before);
    assert.equal(undone.find((c) => c.id === letters)?.focused, undefined);
    assert.equal(undone.find((c) => c.id === calling)?.focused, true);
    assert.throws(() => setFocused(p, ['00000000-0000-4000-8000-999999999999'], true), /No code/);
  });
});

describe('categories', () => {
  it('groups codes into a new category and reports it as added', () => {
    const { p, env, calling, boredom } = fixture();
    const r = groupIntoCategory(p, ' Waiting ', undefined, [calling, boredom], 'Kari', env);
    assert.equal(r.category.name, 'Waiting');
    assert.deepEqual(r.added, [r.category.id]);
    assert.deepEqual(childrenOf(r.project, r.category.id).map((c) => c.name), ['boredom', 'calling home']);
    assert.deepEqual(r.before.map((c) => c.id), [calling, boredom]);
    assert.throws(() => groupIntoCategory(p, 'boredom', undefined, [], 'Kari', env), /already a code named "boredom"/);
    assert.throws(() => groupIntoCategory(p, '  ', undefined, [], 'Kari', env), /needs a name/);
  });

  it('nests a new empty category under another', () => {
    const { p, env, cat } = fixture();
    const r = groupIntoCategory(p, 'Phone', cat, [], 'Kari', env);
    assert.equal(r.category.parent, cat);
  });

  it('promotes a code: a category with its name, colour and description takes its place and holds it', () => {
    const { p, env, cat, letters } = fixture();
    const described = { ...p, codes: p.codes.map((c) => (c.id === letters ? { ...c, description: 'Writing and reading letters' } : c)) };
    const r = promoteToCategory(described, letters, 'Kari', env);
    const code = r.project.codes.find((c) => c.id === letters)!;
    assert.equal(r.category.name, 'letters');
    assert.equal(r.category.parent, cat, 'the category sits where the code was');
    assert.equal(r.category.color, code.color);
    assert.equal(r.category.description, 'Writing and reading letters');
    assert.equal(code.parent, r.category.id, 'the code keeps its id and moves into the category');
    // Undo: remove what was added, put back what changed.
    const undone = restoreRecords(r.project.codes.filter((c) => !r.added!.includes(c.id)), r.before);
    assert.deepEqual(undone.find((c) => c.id === letters), described.codes.find((c) => c.id === letters));
    assert.equal(undone.length, described.codes.length);
  });
});
