import * as assert from 'node:assert/strict';
import { isTranscriptPath } from '../../src/core/transcripts';

describe('transcript globs', () => {
  it('takes .txt and .md files anywhere by default', () => {
    assert.equal(isTranscriptPath('interviews/intervju-01-nb.txt'), true);
    assert.equal(isTranscriptPath('notes.md'), true);
    assert.equal(isTranscriptPath('deep/er/still.txt'), true);
  });

  it('never takes sidecars, memos, the project file, node_modules or an import being written', () => {
    assert.equal(isTranscriptPath('interviews/a.txt.codes.json'), false);
    assert.equal(isTranscriptPath('memos/trust-1a2b3c4d.md'), false);
    assert.equal(isTranscriptPath('node_modules/pkg/README.md'), false);
    assert.equal(isTranscriptPath('grounded.json'), false);
    assert.equal(isTranscriptPath('.grounded-import-x1y2/interview.txt', ['**/*.txt', '.grounded-import-*/**']), false);
  });

  it('follows configured globs', () => {
    const globs = ['interviews/**/*.txt'];
    assert.equal(isTranscriptPath('interviews/a.txt', globs), true);
    assert.equal(isTranscriptPath('other/a.txt', globs), false);
    assert.equal(isTranscriptPath('interviews/a.md', globs), false);
  });

  it('skips hidden folders unless a glob names them', () => {
    assert.equal(isTranscriptPath('.vscode/notes.md'), false);
    assert.equal(isTranscriptPath('.drafts/a.txt', ['.drafts/*.txt']), true);
  });
});
