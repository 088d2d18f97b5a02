/** Checkpoints: the save/load round trip, every way loading can fail, and atomic replacement. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointError,
  LoadedCheckpoint,
  MANIFEST_FILE,
  WEIGHTS_FILE,
  loadCheckpoint,
  modelConfigOf,
  readManifest,
  saveCheckpoint,
} from '../../src/checkpoint/checkpoint';
import { Hyperparameters } from '../../src/config/hyperparameters';
import { greedyTranslate } from '../../src/decode/greedy';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { TempDirs } from '../helpers/tempDir';
import {
  SRC_WORDS,
  TGT_WORDS,
  TINY_HYPERPARAMETERS,
  paramValues,
  useCpuBackend,
  vocabOf,
} from '../helpers/tinyModel';

const H: Hyperparameters = { ...TINY_HYPERPARAMETERS, numLayers: 2, seed: 0 };
const srcVocab = vocabOf(SRC_WORDS);
const tgtVocab = vocabOf(TGT_WORDS);

/** A model with the architecture of H but weights from `seed` (not H.seed: loading must restore them). */
function makeModel(seed: number): Transformer {
  return new Transformer(modelConfigOf(H, srcVocab.size, tgtVocab.size), seed);
}

/** Expects `promise` to reject with a CheckpointError about `dir` whose message matches `pattern`. */
async function rejectsWith(promise: Promise<unknown>, dir: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof CheckpointError, `not a CheckpointError: ${String(err)}`);
    assert.equal(err.name, 'CheckpointError');
    assert.equal(err.dir, dir);
    assert.ok(err.message.startsWith(`Checkpoint ${dir}: `), err.message);
    assert.match(err.message, pattern);
    return true;
  });
}

function readJson(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
}

function writeJson(dir: string, json: unknown): void {
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(json));
}

describe('checkpoint', () => {
  const temp = new TempDirs();
  let model: Transformer;
  /** A valid checkpoint of `model`, copied afresh for each test that damages it. */
  let pristine: string;

  before(async () => {
    await useCpuBackend();
    model = makeModel(99);
    pristine = path.join(temp.make(), 'model');
    await saveCheckpoint(pristine, model, srcVocab, tgtVocab, H, { loss: 1.5 });
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

  it('writes checkpoint.json and weights.bin', async () => {
    assert.deepEqual(fs.readdirSync(pristine).sort(), [MANIFEST_FILE, WEIGHTS_FILE]);
    const m = await readManifest(pristine);
    assert.equal(m.format, CHECKPOINT_FORMAT);
    assert.equal(m.version, CHECKPOINT_VERSION);
    assert.deepEqual(m.hyperparameters, H);
    assert.deepEqual(m.srcVocab, srcVocab.idxToToken);
    assert.deepEqual(m.tgtVocab, tgtVocab.idxToToken);
    assert.deepEqual(m.metrics, { loss: 1.5 });
    assert.match(m.weightsSha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(
      m.weights.map((w) => w.name),
      model.params.names(),
    );
    const size = fs.statSync(path.join(pristine, WEIGHTS_FILE)).size;
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
    const fresh = makeModel(H.seed);
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

  it('fails clearly for flipped bytes in weights.bin (SHA-256 mismatch)', async () => {
    const dir = copy();
    const file = path.join(dir, WEIGHTS_FILE);
    const bytes = fs.readFileSync(file);
    bytes[100] ^= 0x01;
    fs.writeFileSync(file, bytes);
    await rejectsWith(loadCheckpoint(dir), dir, /weights\.bin is corrupt.*SHA-256/);
  });

  it('fails clearly for a truncated weights.bin', async () => {
    const dir = copy();
    const file = path.join(dir, WEIGHTS_FILE);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    await rejectsWith(
      loadCheckpoint(dir),
      dir,
      /weights\.bin has \d+ bytes, the manifest needs \d+ \(the file is truncated\)/,
    );
  });

  it('fails clearly for a missing weights.bin', async () => {
    const dir = copy();
    fs.rmSync(path.join(dir, WEIGHTS_FILE));
    await rejectsWith(loadCheckpoint(dir), dir, /weights\.bin is missing/);
  });

  it('fails clearly for another format or version', async () => {
    const dir = copy();
    const json = readJson(dir);
    writeJson(dir, { ...json, format: 'something-else' });
    await rejectsWith(loadCheckpoint(dir), dir, /not a checkpoint of this extension/);
    writeJson(dir, { ...json, version: 2 });
    await rejectsWith(loadCheckpoint(dir), dir, /format version 2 is not supported \(expected 1\)/);
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
    const weights = json.weights as { name: string }[];
    writeJson(dir, { ...json, weights: weights.slice(1) });
    const baseline = tf.memory().numTensors;
    await rejectsWith(
      loadCheckpoint(dir),
      dir,
      new RegExp(
        `does not fit the model: Missing parameter ${weights[0].name.replace(/\./g, '\\.')}`,
      ),
    );
    assert.equal(tf.memory().numTensors, baseline, 'the half-built model was not disposed');
    writeJson(dir, { ...json, tgtVocab: ['<pad>', '<unk>'] });
    await rejectsWith(loadCheckpoint(dir), dir, /idxToToken\[0\] must be "<unk>"/);
  });

  it('replaces an existing checkpoint and leaves no staging directories', async () => {
    const parent = temp.make();
    const dir = path.join(parent, 'model');
    const other = makeModel(123);
    let loaded: LoadedCheckpoint | undefined;
    try {
      await saveCheckpoint(dir, model, srcVocab, tgtVocab, H);
      fs.writeFileSync(path.join(dir, 'stale.txt'), 'from an older run');
      await saveCheckpoint(dir, other, srcVocab, tgtVocab, { ...H, numEpochs: 7 });
      assert.deepEqual(fs.readdirSync(parent), ['model']);
      assert.deepEqual(fs.readdirSync(dir).sort(), [MANIFEST_FILE, WEIGHTS_FILE]);
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
