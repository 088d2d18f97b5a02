/**
 * The experiments of the book's exercises, as a user runs them: two runs (2 and 4 layers) kept in
 * the run history and compared in the Compare Runs panel (table, curves, attention of both for
 * one sentence), making an older run current, deleting one, a stopped run, and the additive
 * attention setting end to end.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunRecord, TranslationItem } from '../../src/shared/protocol';
import {
  SMALL,
  activeApi,
  configure,
  layersOf,
  resetSettings,
  selectAndTranslate,
  sharedCorpus,
  train,
  waitFor,
} from './support/extension';

async function translateLine(text: string): Promise<TranslationItem> {
  const items = await selectAndTranslate(text);
  assert.ok(items?.[0], 'translated');
  return items[0];
}

describe('comparing runs', function () {
  this.timeout(10 * 60_000);
  let twoLayers: RunRecord;
  let fourLayers: RunRecord;

  before(async () => {
    await resetSettings();
    await configure({ ...SMALL, numEpochs: 2, corpusPath: sharedCorpus() });
    const api = await activeApi();
    for (const run of (await api.runs()).runs) await api.deleteRun(run.id);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await resetSettings();
  });

  it('keeps every finished run with its curve, translations, held-out BLEU and model', async () => {
    const api = await activeApi();
    await train(api);
    await configure({ numLayers: 4 });
    await train(api);
    const state = await api.runs();
    assert.equal(state.runs.length, 2);
    [fourLayers, twoLayers] = state.runs; // newest first
    assert.equal(twoLayers.hyperparameters.numLayers, 2);
    assert.equal(fourLayers.hyperparameters.numLayers, 4);
    assert.ok(fourLayers.number > twoLayers.number);
    for (const run of state.runs) {
      assert.equal(run.status, 'finished');
      assert.deepEqual(
        run.points.map((p) => p.epoch),
        [1, 2],
      );
      assert.equal(run.seeds.length, 4);
      assert.equal(run.heldOut?.count, 20);
      assert.equal(run.backend?.name, 'wasm');
      assert.ok(run.summary && run.summary.seconds > 0);
      assert.ok(run.hasCheckpoint && run.sizeBytes > 10_000, `size ${run.sizeBytes}`);
    }
    assert.equal(state.currentRunId, fourLayers.id, 'the newest finished run is the current model');
    assert.equal(state.totalBytes, twoLayers.sizeBytes + fourLayers.sizeBytes);
  });

  it('opens Compare Runs and draws the runs and their loss curves', async () => {
    const api = await activeApi();
    await vscode.commands.executeCommand('transformerExplorer.compareRuns');
    await waitFor(
      'the compare panel to draw the loss curves',
      () => (api.renderedCharts('compare') ?? 0) >= 1,
    );
  });

  it('compares the attention of the 2-layer and the 4-layer run for one sentence', async () => {
    const api = await activeApi();
    const result = await api.compareAttention([twoLayers.id, fourLayers.id], "i'm home .");
    assert.equal(result.sentence, "i'm home .");
    assert.deepEqual(
      result.sides.map((s) => s.runId),
      [twoLayers.id, fourLayers.id],
    );
    assert.deepEqual(layersOf(result.sides[0].item!), [2, 2, 2]);
    assert.deepEqual(layersOf(result.sides[1].item!), [4, 4, 4]);
    assert.match(result.sides[0].label, new RegExp(`^Run ${twoLayers.number} · 2 layers`));
    assert.equal(result.sides[0].item!.reference, 'je suis chez moi .');
    // The panel draws both sides' heatmaps (encoder self-attention: 2×4 + 4×4) beside the curves.
    await waitFor(
      'the compare panel to draw both runs’ heatmaps',
      () => (api.renderedCharts('compare') ?? 0) >= 1 + 2 * 4 + 4 * 4,
    );
  });

  it('makes the older run current: translations use the 2-layer model again', async () => {
    const api = await activeApi();
    assert.deepEqual(layersOf(await translateLine('go .')), [4, 4, 4]);
    await api.makeRunCurrent(twoLayers.id);
    assert.equal((await api.runs()).currentRunId, twoLayers.id);
    assert.deepEqual(layersOf(await translateLine('go .')), [2, 2, 2]);
  });

  it('puts a run’s hyperparameters back into the settings (Use Its Settings)', async () => {
    const api = await activeApi();
    const config = () => vscode.workspace.getConfiguration('transformer');
    assert.equal(config().get('numLayers'), 4, 'the settings of the last run');
    assert.deepEqual(await api.useRunSettings(twoLayers.id), ['numLayers = 2']);
    assert.equal(config().get('numLayers'), 2);
    assert.deepEqual(await api.useRunSettings(twoLayers.id), [], 'nothing left to change');
  });

  it('deletes a run, and refuses to compare with it afterwards', async () => {
    const api = await activeApi();
    assert.equal(await api.deleteRun(fourLayers.id), true);
    const state = await api.runs();
    assert.deepEqual(
      state.runs.map((r) => r.id),
      [twoLayers.id],
    );
    const result = await api.compareAttention([twoLayers.id, fourLayers.id], 'go .');
    assert.ok(result.sides[0].item);
    assert.equal(result.sides[1].item, null);
    assert.match(result.sides[1].error ?? '', /no longer in the history/);
  });

  it('keeps a stopped run with its curve but no model, and the current model stays', async () => {
    const api = await activeApi();
    const before = (await api.runs()).currentRunId;
    await configure({ numEpochs: 20000 });
    try {
      await vscode.commands.executeCommand('transformerExplorer.train');
      await waitFor('the first epoch', () => api.trainingState().points.length >= 1);
      await vscode.commands.executeCommand('transformerExplorer.stopTraining');
      await api.whenTrainingDone();
    } finally {
      await configure({ numEpochs: 2 });
    }
    const state = await api.runs();
    const stopped = state.runs[0];
    assert.equal(stopped.status, 'cancelled');
    assert.equal(stopped.hasCheckpoint, false);
    assert.ok(stopped.points.length >= 1);
    assert.equal(state.currentRunId, before);
    await assert.rejects(api.makeRunCurrent(stopped.id), /has no saved model/);
  });

  it('trains with additive attention in every layer and records it', async () => {
    const api = await activeApi();
    await configure({ numLayers: 2, attentionFunction: 'additive' });
    await train(api);
    assert.equal(api.trainingState().status, 'finished', api.trainingState().statusText);
    const run = (await api.runs()).runs[0];
    assert.equal(run.hyperparameters.attentionFunction, 'additive');
    assert.ok(run.hasCheckpoint);
    const item = await translateLine("i'm home .");
    assert.deepEqual(layersOf(item), [2, 2, 2]);
    const row = item.attention.encoderSelf[0][0][0];
    const valid = row.filter((w) => w !== null && w > 0);
    assert.ok(valid.length > 0, 'additive attention weights are captured');
    await vscode.commands.executeCommand('transformerExplorer.openAttention');
    await waitFor('24 rendered heatmaps', () => api.renderedCharts('attention') === 24);
    const compared = await api.compareAttention([twoLayers.id, run.id], "i'm home .");
    assert.ok(compared.sides.every((s) => s.item !== null));
    assert.ok(existsSync(api.checkpointDir));
  });
});
