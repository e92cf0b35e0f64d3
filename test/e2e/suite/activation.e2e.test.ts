import * as assert from 'assert';
import * as vscode from 'vscode';

describe('activation', () => {
  it('loads and activates the Grounded extension in a workspace', async () => {
    const ext = vscode.extensions.getExtension('grounded-qda.grounded');
    assert.ok(ext, 'extension grounded-qda.grounded is not installed in the test host');
    await ext.activate();
    assert.strictEqual(ext.isActive, true, 'extension did not activate');

    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folders.length > 0, 'no workspace folder is open');
    const expected = process.env.GROUNDED_E2E_WORKSPACE;
    if (expected) {
      assert.strictEqual(folders[0].uri.fsPath, expected, 'the opened folder is not the temp copy of sample/');
    }
  });
});
