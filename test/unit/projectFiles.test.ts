import * as assert from 'node:assert/strict';
import { FileRules, ProjectListing, excludePatterns, servedFolder } from '../../src/core/projectFiles';

const DEFAULT_GLOBS = ['**/*.txt', '**/*.md'];

describe('project files: exclude settings', () => {
  it('takes the patterns that are on from files.exclude and search.exclude, not the conditional ones', () => {
    const files = { '**/.git': true, 'drafts': true, 'old': false, '**/*.js': { when: '$(basename).ts' } };
    const search = { '**/node_modules': true, drafts: true };
    assert.deepEqual(excludePatterns(files, search, undefined), ['**/.git', '**/node_modules', 'drafts']);
  });

  it('hides a file matched by a pattern, and every file inside a folder matched by one', () => {
    const rules = new FileRules(DEFAULT_GLOBS, ['private', '**/scratch/', '**/*.draft.txt', '**/.hidden']);
    assert.equal(rules.isExcluded('private/p1.txt'), true);
    assert.equal(rules.isExcluded('private'), true);
    assert.equal(rules.isExcluded('interviews/private/p1.txt'), false, 'a pattern without **/ is relative to the folder');
    assert.equal(rules.isExcluded('a/b/scratch/x.txt'), true);
    assert.equal(rules.isExcluded('interviews/one.draft.txt'), true);
    assert.equal(rules.isExcluded('x/.hidden/y.txt'), true, 'dot files and folders match as in the editor');
    assert.equal(rules.isExcluded('interviews/one.txt'), false);
  });

  it('a transcript matches the globs and is not excluded; a sidecar counts unless its transcript is excluded', () => {
    const rules = new FileRules(DEFAULT_GLOBS, ['private', '**/secret.txt', '**/*.codes.json']);
    assert.equal(rules.isTranscript('interviews/one.txt'), true);
    assert.equal(rules.isTranscript('private/one.txt'), false);
    assert.equal(rules.isTranscript('interviews/one.txt.codes.json'), false);
    assert.equal(rules.isSidecar('interviews/one.txt.codes.json'), true, 'sidecars hidden from the Explorer still count');
    assert.equal(rules.isSidecar('private/one.txt.codes.json'), false);
    assert.equal(rules.isSidecar('interviews/secret.txt.codes.json'), false, 'an excluded transcript takes its sidecar along');
    assert.equal(rules.isSidecar('interviews/one.txt'), false);
    assert.equal(rules.isSidecar('node_modules/pkg/a.txt.codes.json'), false, 'never in node_modules or .git');
  });
});

describe('project files: the listing kept one path at a time', () => {
  const found = ['a/one.txt', 'a/one.txt.codes.json', 'a/two.txt', 'notes/n.rtf.codes.json', 'private/p.txt', 'logo.png'];
  const listing = () => {
    const l = new ProjectListing(new FileRules(DEFAULT_GLOBS, ['private']));
    l.reset(l.rules, found);
    return l;
  };

  it('lists the transcripts and sidecars found, and leaves out excluded and other files', () => {
    const l = listing();
    assert.deepEqual([...l.transcripts].sort(), ['a/one.txt', 'a/two.txt']);
    assert.deepEqual([...l.withSidecars].sort(), ['a/one.txt', 'notes/n.rtf']);
    assert.deepEqual([...l.files].sort(), ['a/one.txt', 'a/two.txt']);
  });

  it('adds a created transcript once, and ignores excluded and unrelated files', () => {
    const l = listing();
    assert.equal(l.add('a/three.md'), true);
    assert.equal(l.add('a/three.md'), false, 'adding twice changes nothing');
    assert.equal(l.add('private/q.txt'), false);
    assert.equal(l.add('photo.jpg'), false);
    assert.ok(l.transcripts.has('a/three.md'));
  });

  it('counts a file that matches no glob as existing when its sidecar is listed', () => {
    const l = listing();
    assert.equal(l.add('notes/n.rtf'), true);
    assert.ok(l.files.has('notes/n.rtf'));
    assert.ok(!l.transcripts.has('notes/n.rtf'));
  });

  it('removes a deleted file, and everything inside a deleted folder', () => {
    const l = listing();
    assert.equal(l.remove('a/two.txt'), true);
    assert.equal(l.remove('a/two.txt'), false);
    assert.deepEqual([...l.transcripts], ['a/one.txt']);
    assert.equal(l.remove('a'), true);
    assert.deepEqual([...l.transcripts], []);
    assert.deepEqual([...l.withSidecars], ['notes/n.rtf']);
    assert.equal(l.remove('a/one.txt.codes.json'), false);
  });

  it('a deleted sidecar leaves its transcript listed; a deleted transcript leaves its sidecar', () => {
    const l = listing();
    assert.equal(l.remove('a/one.txt.codes.json'), true);
    assert.ok(l.transcripts.has('a/one.txt'));
    assert.ok(!l.withSidecars.has('a/one.txt'));
    const m = listing();
    m.remove('a/one.txt');
    assert.ok(m.withSidecars.has('a/one.txt'));
    assert.ok(!m.files.has('a/one.txt'));
  });
});

describe('project files: the folder a window serves', () => {
  it('serves the first folder with a project, and names the other folders with one', () => {
    assert.deepEqual(servedFolder(['docs', 'study-a', 'study-b'], [false, true, true]), { served: 'study-a', unserved: ['study-b'] });
  });

  it('serves the first folder when none has a project, and nothing without folders', () => {
    assert.deepEqual(servedFolder(['x', 'y'], [false, false]), { served: 'x', unserved: [] });
    assert.equal(servedFolder([], []), undefined);
  });
});
