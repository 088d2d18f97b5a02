/**
 * Train Transformer, Stop Training, a second Train while one runs, invalid settings: through the
 * real commands and settings.json, with the worker thread the extension starts.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  SMALL,
  activeApi,
  configure,
  resetSettings,
  sharedCorpus,
  waitFor,
} from './support/extension';

describe('training from VS Code', function () {
  this.timeout(10 * 60_000);

  before(async () => {
    await resetSettings();
    await configure({ ...SMALL, corpusPath: sharedCorpus() });
  });
  after(resetSettings);

  it('trains a small configuration to completion and saves the checkpoint in global storage', async () => {
    const api = await activeApi();
    await vscode.commands.executeCommand('transformerExplorer.train');
    assert.equal(api.isTraining(), true, 'training runs after the command returns');
    await api.whenTrainingDone();
    const state = api.trainingState();
    assert.equal(state.status, 'finished', state.statusText);
    assert.deepEqual(
      state.points.map((p) => p.epoch),
      [1, 2, 3],
    );
    assert.equal(state.backend?.name, 'wasm');
    assert.equal(state.seeds.length, 4);
    assert.equal(state.heldOut?.count, 20);
    const manifest = path.join(api.checkpointDir, 'checkpoint.json');
    assert.ok(existsSync(manifest), manifest);
    assert.equal(JSON.parse(readFileSync(manifest, 'utf8')).hyperparameters.numHiddens, 16);
    assert.ok(api.attentionData().snapshots.length >= 3, 'one attention snapshot per epoch');
    // The training panel (opened by Train) answered the ready handshake and drew its loss chart.
    await vscode.commands.executeCommand('transformerExplorer.showTraining');
    await waitFor(
      'the training panel to render its loss chart',
      () => api.renderedCharts('training') === 1,
    );
  });

  it('keeps the host responsive while training, refuses a second run, and stops on request', async () => {
    const api = await activeApi();
    const before = readFileSync(path.join(api.checkpointDir, 'checkpoint.json'), 'utf8');
    await configure({ numEpochs: 20000 }); // far more than the test waits for
    await vscode.commands.executeCommand('transformerExplorer.train');
    await waitFor('the first epoch', () => api.trainingState().points.length >= 1);

    // The event loop of the extension host keeps ticking: training is in the worker thread.
    let worst = 0;
    for (let i = 0; i < 20; i++) {
      const t = Date.now();
      await new Promise((r) => setTimeout(r, 20));
      worst = Math.max(worst, Date.now() - t - 20);
    }
    assert.ok(worst < 250, `event-loop lag while training: ${worst} ms`);

    // A second Train while one runs starts nothing: the same run keeps counting epochs.
    const epochsBefore = api.trainingState().points.length;
    await vscode.commands.executeCommand('transformerExplorer.train');
    assert.equal(api.isTraining(), true);
    await waitFor('another epoch', () => api.trainingState().points.length > epochsBefore);
    const epochs = api.trainingState().points.map((p) => p.epoch);
    assert.deepEqual(
      epochs,
      epochs.map((_, i) => i + 1),
      'one run, epochs 1..n, not restarted',
    );

    await vscode.commands.executeCommand('transformerExplorer.stopTraining');
    await api.whenTrainingDone();
    assert.equal(api.isTraining(), false);
    assert.equal(api.trainingState().status, 'cancelled');
    const after = readFileSync(path.join(api.checkpointDir, 'checkpoint.json'), 'utf8');
    assert.equal(after, before, 'the last good checkpoint stays as it was');
    // The status bar names the model still in use (the first test's run), not "cancelled".
    const { runs, currentRunId } = await api.runs();
    const current = runs.find((run) => run.id === currentRunId);
    assert.ok(current, 'the first run is the current model');
    const text = await waitFor('the status bar to name the current model', () =>
      api.statusBarText().includes(`Run ${current.number}`) ? api.statusBarText() : undefined,
    );
    assert.doesNotMatch(text, /cancelled/);
    await configure({ numEpochs: SMALL.numEpochs });
  });

  it('refuses impossible settings before anything starts', async () => {
    const api = await activeApi();
    const stateBefore = api.trainingState();
    await configure({ numHiddens: 18, numHeads: 4 });
    await vscode.commands.executeCommand('transformerExplorer.train');
    assert.equal(api.isTraining(), false);
    assert.equal(api.trainingState(), stateBefore, 'nothing started, the state is untouched');
    assert.match(
      api.lastRefusal() ?? '',
      /transformer\.numHiddens \(18\) must be divisible by transformer\.numHeads \(4\)/,
    );
    await configure({ numHiddens: SMALL.numHiddens });
  });
});
