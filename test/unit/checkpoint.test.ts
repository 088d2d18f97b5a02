/**
 * Checkpoints: the save/load round trip, damaged files, and replacement. The manifest's own
 * checks: checkpoint-manifest.test.ts; where a save may write: checkpoint-save-target.test.ts;
 * crashes during a save: checkpoint-crash.test.ts.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  LoadedCheckpoint,
  MANIFEST_FILE,
  loadCheckpoint,
  readManifest,
  saveCheckpoint,
} from '../../src/checkpoint/checkpoint';
import { Hyperparameters } from '../../src/config/hyperparameters';
import { greedyTranslate } from '../../src/decode/greedy';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import type { RunMetrics } from '../../src/shared/runRecord';
import {
  namesIn,
  readJson,
  rehashed,
  rejectsWith,
  srcVocab,
  tgtVocab,
  tinyModel,
  weightsPath,
  writeJson,
} from '../helpers/checkpointFiles';
import { TempDirs } from '../helpers/tempDir';
import { TINY_HYPERPARAMETERS, paramValues, useCpuBackend } from '../helpers/tinyModel';

const H: Hyperparameters = { ...TINY_HYPERPARAMETERS, numLayers: 2, seed: 0 };

/** What a run measured, as training saves it with the model. */
const METRICS: RunMetrics = {
  loss: 1.5,
  tokensPerSecond: 100,
  seconds: 2,
  backend: 'cpu',
  pairs: 41,
  seeds: [{ source: 'go .', reference: 'va !', translation: 'va !', bleu: 1, unknownTokens: [] }],
  heldOut: { count: 10, meanBleu2: 0.2, corpusBleu4: 0.1 },
};

describe('checkpoint', () => {
  const temp = new TempDirs();
  let model: Transformer;
  /** A valid checkpoint of `model`, copied afresh for each test that damages it. */
  let pristine: string;

  before(async () => {
    await useCpuBackend();
    model = tinyModel(H, 99);
    pristine = path.join(temp.make(), 'model');
    await saveCheckpoint(pristine, model, srcVocab, tgtVocab, H, METRICS);
  });

  after(() => {
    model.dispose();
    temp.cleanup();
  });

  /** A copy of the pristine checkpoint in a fresh directory. */
  function copy(): string {
    const dir = path.join(temp.make(), 'ck');
    fs.cpSync(pristine, dir, { recursive: true });
    return dir;
  }

  it('writes checkpoint.json and one weights file named after its SHA-256', async () => {
    const m = await readManifest(pristine);
    assert.equal(m.weightsFile, `weights-${m.weightsSha256.slice(0, 16)}.bin`);
    assert.deepEqual(namesIn(pristine), [MANIFEST_FILE, m.weightsFile]);
    assert.match(m.modelSha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(m.format, CHECKPOINT_FORMAT);
    assert.equal(m.version, CHECKPOINT_VERSION);
    assert.deepEqual(m.hyperparameters, H);
    assert.deepEqual(m.srcVocab, srcVocab.idxToToken);
    assert.deepEqual(m.tgtVocab, tgtVocab.idxToToken);
    assert.deepEqual(m.metrics, METRICS);
    assert.match(m.weightsSha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(
      m.weights.map((w) => w.name),
      model.params.names(),
    );
    const size = fs.statSync(weightsPath(pristine)).size;
    assert.equal(size, 4 * model.params.count(), 'float32 values back to back');
  });

  it('loads bit-identical parameters that translate the same', async () => {
    const baseline = tf.memory().numTensors;
    const loaded = await loadCheckpoint(pristine);
    try {
      assert.deepEqual(paramValues(loaded.model), paramValues(model));
      assert.deepEqual(loaded.hyperparameters, H);
      assert.deepEqual(loaded.srcVocab.idxToToken, srcVocab.idxToToken);
      assert.deepEqual(loaded.tgtVocab.idxToToken, tgtVocab.idxToToken);
      assert.deepEqual(loaded.model.config, model.config);
      for (const sentence of ["I'm home.", 'go .']) {
        for (const positionMode of ['correct', 'book'] as const) {
          const opts = { numSteps: H.numSteps, positionMode };
          assert.deepEqual(
            greedyTranslate(loaded.model, loaded.srcVocab, loaded.tgtVocab, sentence, opts),
            greedyTranslate(model, srcVocab, tgtVocab, sentence, opts),
          );
        }
      }
    } finally {
      loaded.model.dispose();
    }
    assert.equal(tf.memory().numTensors, baseline, 'tensors left by load + dispose');
    // The weights really came from the file: the seed alone gives others.
    const fresh = tinyModel(H, H.seed);
    try {
      assert.notDeepEqual(paramValues(fresh), paramValues(model));
    } finally {
      fresh.dispose();
    }
  });

  it('loads when the expected settings agree (other settings may differ)', async () => {
    const loaded = await loadCheckpoint(pristine, {
      numLayers: 2,
      numHiddens: 8,
      learningRate: 0.5,
      numEpochs: 9,
    });
    loaded.model.dispose();
  });

  it('fails clearly for a directory without checkpoint.json', async () => {
    const empty = temp.make();
    await rejectsWith(loadCheckpoint(empty), empty, /no checkpoint\.json/);
    const missing = path.join(empty, 'nowhere');
    await rejectsWith(loadCheckpoint(missing), missing, /no checkpoint\.json/);
  });

  it('fails clearly for invalid JSON', async () => {
    const dir = copy();
    fs.writeFileSync(path.join(dir, MANIFEST_FILE), '{"format": "transformer-');
    await rejectsWith(loadCheckpoint(dir), dir, /checkpoint\.json is not valid JSON/);
  });

  it('fails clearly for flipped bytes in the weights file (SHA-256 mismatch)', async () => {
    const dir = copy();
    const file = weightsPath(dir);
    const bytes = fs.readFileSync(file);
    bytes[100] ^= 0x01;
    fs.writeFileSync(file, bytes);
    await rejectsWith(loadCheckpoint(dir), dir, /weights-[0-9a-f]{16}\.bin is corrupt.*SHA-256/);
  });

  it('fails clearly for a truncated weights file', async () => {
    const dir = copy();
    const file = weightsPath(dir);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    await rejectsWith(
      loadCheckpoint(dir),
      dir,
      /weights-[0-9a-f]{16}\.bin has \d+ bytes, the manifest needs \d+ \(the file is truncated\)/,
    );
  });

  it('fails clearly for a missing weights file', async () => {
    const dir = copy();
    fs.rmSync(weightsPath(dir));
    await rejectsWith(loadCheckpoint(dir), dir, /weights-[0-9a-f]{16}\.bin is missing/);
  });

  it('fails clearly for another format or version', async () => {
    const dir = copy();
    const json = readJson(dir);
    writeJson(dir, { ...json, format: 'something-else' });
    await rejectsWith(loadCheckpoint(dir), dir, /not a checkpoint of this extension/);
    writeJson(dir, { ...json, version: 3 });
    await rejectsWith(
      loadCheckpoint(dir),
      dir,
      /format version 3 is not supported \(expected 1 or 2\)/,
    );
    writeJson(dir, [1, 2]);
    await rejectsWith(loadCheckpoint(dir), dir, /not a checkpoint of this extension/);
  });

  it('names the settings that differ from the expected ones', async () => {
    await rejectsWith(
      loadCheckpoint(pristine, { numLayers: 3 }),
      pristine,
      /other hyperparameters \(numLayers: checkpoint 2, expected 3\)/,
    );
    await rejectsWith(
      loadCheckpoint(pristine, { numHeads: 4, numSteps: 8, numHiddens: 16 }),
      pristine,
      /numHiddens: checkpoint 8, expected 16; numHeads: checkpoint 2, expected 4\)/,
    );
  });

  it('fails clearly for invalid saved hyperparameters or a weight manifest that does not fit', async () => {
    const dir = copy();
    const json = readJson(dir);
    const h = json.hyperparameters as Hyperparameters;
    writeJson(dir, { ...json, hyperparameters: { ...h, numHeads: 3 } });
    await rejectsWith(loadCheckpoint(dir), dir, /invalid hyperparameters: .*numHeads/);
    // A table that is whole but names a parameter the model does not have.
    const weights = json.weights as { name: string }[];
    const renamed = weights.map((w, i) => (i === 0 ? { ...w, name: 'encoder.renamed' } : w));
    writeJson(dir, rehashed({ ...json, weights: renamed }));
    const baseline = tf.memory().numTensors;
    await rejectsWith(
      loadCheckpoint(dir),
      dir,
      new RegExp(
        `does not fit the model: Missing parameter ${weights[0].name.replace(/\./g, '\\.')}`,
      ),
    );
    assert.equal(tf.memory().numTensors, baseline, 'the half-built model was not disposed');
    writeJson(dir, rehashed({ ...json, tgtVocab: ['<pad>', '<unk>'] }));
    await rejectsWith(loadCheckpoint(dir), dir, /idxToToken\[0\] must be "<unk>"/);
  });

  it("replaces an existing checkpoint, removes its old weights and keeps a user's note", async () => {
    const parent = temp.make();
    const dir = path.join(parent, 'model');
    const other = tinyModel(H, 123);
    let loaded: LoadedCheckpoint | undefined;
    try {
      const first = await saveCheckpoint(dir, model, srcVocab, tgtVocab, H);
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'what this run was for');
      const second = await saveCheckpoint(dir, other, srcVocab, tgtVocab, { ...H, numEpochs: 7 });
      assert.notEqual(second.weightsFile, first.weightsFile);
      assert.deepEqual(fs.readdirSync(parent), ['model']);
      assert.deepEqual(namesIn(dir), [MANIFEST_FILE, 'notes.txt', second.weightsFile]);
      assert.equal(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'what this run was for');
      loaded = await loadCheckpoint(dir);
      assert.equal(loaded.hyperparameters.numEpochs, 7);
      assert.deepEqual(paramValues(loaded.model), paramValues(other));
    } finally {
      other.dispose();
      loaded?.model.dispose();
    }
  });

  it('creates missing parent directories', async () => {
    const dir = path.join(temp.make(), 'a', 'b', 'model');
    await saveCheckpoint(dir, model, srcVocab, tgtVocab, H);
    assert.deepEqual(fs.readdirSync(path.dirname(dir)), ['model']);
    const m = await readManifest(dir);
    assert.equal(m.hyperparameters.numLayers, 2);
  });
});
