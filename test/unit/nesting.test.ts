import * as assert from 'node:assert/strict';
import { transcriptExtensions, withSidecarNesting } from '../../src/core/nesting';

describe('sidecar nesting in the Explorer', () => {
  it('finds the extensions the transcript globs end in', () => {
    assert.deepEqual(transcriptExtensions(['**/*.txt', '**/*.md']), ['txt', 'md']);
    assert.deepEqual(transcriptExtensions(['interviews/*.{txt,md}', 'notes/**/*.txt']), ['txt', 'md']);
    assert.deepEqual(transcriptExtensions(['interviews/**', 'one-file.txt']), []);
  });

  it('nests each sidecar under its transcript', () => {
    assert.deepEqual(withSidecarNesting(undefined, ['txt', 'md']), {
      '*.txt': '${capture}.txt.codes.json',
      '*.md': '${capture}.md.codes.json',
    });
  });

  it('keeps the patterns the workspace has and adds the sidecar to one for the same files', () => {
    const before = { '*.ts': '${capture}.js', '*.txt': '${capture}.txt.bak' };
    assert.deepEqual(withSidecarNesting(before, ['txt']), { '*.ts': '${capture}.js', '*.txt': '${capture}.txt.bak, ${capture}.txt.codes.json' });
    assert.deepEqual(before, { '*.ts': '${capture}.js', '*.txt': '${capture}.txt.bak' }, 'the value given is not changed');
  });

  it('says when nothing needs to change', () => {
    assert.equal(withSidecarNesting({ '*.txt': '${capture}.txt.bak,${capture}.txt.codes.json' }, ['txt']), undefined);
    assert.equal(withSidecarNesting({}, []), undefined);
  });
});
