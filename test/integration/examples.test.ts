/**
 * transformer.numExamples beyond the corpus: the run trains on the pairs there are, says so (the
 * log and the training panel's status) and records that number, not the one asked for.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  SMALL,
  activeApi,
  configure,
  resetSettings,
  sharedCorpus,
  train,
} from './support/extension';

describe('numExamples beyond the corpus', function () {
  this.timeout(5 * 60_000);
  let dir: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tae-examples-'));
    const corpus = path.join(dir, 'fra-30.txt');
    const lines = readFileSync(sharedCorpus(), 'utf8').split('\n').slice(0, 30);
    writeFileSync(corpus, lines.join('\n') + '\n');
    await resetSettings();
    await configure({
      ...SMALL,
      numExamples: 100,
      numEpochs: 1,
      heldOutCount: 0,
      corpusPath: corpus,
    });
  });

  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await resetSettings();
  });

  it('trains on the 30 pairs there are, says so, and records 30', async () => {
    const api = await activeApi();
    await train(api);
    const state = api.trainingState();
    assert.equal(state.status, 'finished', state.statusText);
    assert.equal(state.pairs, 30);
    assert.match(
      state.statusText,
      /^Finished 1 epochs in [\d.]+ s\. transformer\.numExamples is 100 but the corpus has only 30 pairs; all 30 are used$/,
    );
    const newest = (await api.runs()).runs[0];
    assert.equal(newest.pairs, 30);
    assert.equal(newest.hyperparameters.numExamples, 100, 'the setting as it was');
    const manifest = JSON.parse(
      readFileSync(path.join(api.checkpointDir, 'checkpoint.json'), 'utf8'),
    );
    assert.equal(manifest.metrics.pairs, 30);
  });
});
