/**
 * The Runs view's context-menu commands as the view calls them (with the run's record), and the
 * walkthrough's example document.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { RunRecord } from '../../src/shared/protocol';
import * as support from './support/extension';

describe('the Runs view', function () {
  this.timeout(10 * 60_000);
  let older: RunRecord;
  let newer: RunRecord;
  let api: ExtensionApi;

  before(async () => {
    // Two one-epoch runs of the small configuration, in an otherwise empty history.
    api = await support.activeApi();
    await support.resetSettings();
    const corpusPath = support.sharedCorpus();
    await support.configure({ ...support.SMALL, numEpochs: 1, heldOutCount: 0, corpusPath });
    for (const run of (await api.runs()).runs) await api.deleteRun(run.id);
    for (let i = 0; i < 2; i++) await support.train(api);
    [newer, older] = (await api.runs()).runs;
  });
  after(() => support.resetSettings());

  it("Make Current makes the chosen run's model the current one", async () => {
    assert.equal((await api.runs()).currentRunId, newer.id);
    await vscode.commands.executeCommand('transformerExplorer.runs.makeCurrent', older);
    assert.equal((await api.runs()).currentRunId, older.id);
  });

  it("Reveal Checkpoint gives the run's own checkpoint folder, which holds its model", async () => {
    const dir = await vscode.commands.executeCommand<string>(
      'transformerExplorer.runs.revealCheckpoint',
      newer,
    );
    assert.ok(dir?.includes(newer.id), `${dir} is the run's folder`);
    assert.ok(existsSync(path.join(dir, 'checkpoint.json')));
  });

  it('a run command without a run (another caller) says what to do and changes nothing', async () => {
    const before = await api.runs();
    const result = await vscode.commands.executeCommand('transformerExplorer.runs.delete');
    assert.equal(result, undefined);
    assert.deepEqual(
      (await api.runs()).runs.map((r) => r.id),
      before.runs.map((r) => r.id),
    );
  });

  it('Open Example Sentences opens sentences with the first one selected', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(
      'transformerExplorer.openExample',
    );
    assert.equal(editor.document.getText(editor.selection), 'go .');
    assert.equal(editor.document.languageId, 'plaintext');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
