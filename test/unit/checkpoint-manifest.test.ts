/**
 * checkpoint.json is checked whole before anything trusts it: every weight entry, non-finite
 * weights, and a hash over the model fields, each a `Checkpoint …:` error that names the problem
 * (issue 10, item 6). Version 1 checkpoints written by the previous code still load.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  LEGACY_WEIGHTS_FILE,
  MANIFEST_FILE,
  loadCheckpoint,
  sha256,
  weightsFileName,
} from '../../src/checkpoint/checkpoint';
import { Hyperparameters } from '../../src/config/hyperparameters';
import { greedyTranslate } from '../../src/decode/greedy';
import { tf } from '../../src/model/tf';
import {
  V1_FIXTURE,
  namesIn,
  readJson,
  rehashed,
  rejectsWith,
  saveTiny,
  tinyModel,
  weightsPath,
  writeJson,
} from '../helpers/checkpointFiles';
import { TempDirs } from '../helpers/tempDir';
import { TINY_HYPERPARAMETERS, paramValues, useCpuBackend } from '../helpers/tinyModel';

const H: Hyperparameters = { ...TINY_HYPERPARAMETERS, seed: 0 };

type Entry = { name: string; shape: unknown; offset: unknown };

describe('checkpoint manifest checks', () => {
  const temp = new TempDirs();
  let pristine = '';

  before(async () => {
    await useCpuBackend();
    pristine = path.join(temp.make(), 'model');
    const model = tinyModel(H, 5);
    await saveTiny(pristine, model, H).finally(() => model.dispose());
  });

  after(() => temp.cleanup());

  /** A copy of the pristine checkpoint whose weight table went through `edit` (re-hashed). */
  function withTable(edit: (weights: Entry[]) => unknown[]): string {
    const dir = path.join(temp.make(), 'ck');
    fs.cpSync(pristine, dir, { recursive: true });
    const json = readJson(dir);
    writeJson(dir, rehashed({ ...json, weights: edit(structuredClone(json.weights) as Entry[]) }));
    return dir;
  }

  const table = (pattern: RegExp, edit: (weights: Entry[]) => unknown[]) => async () => {
    const dir = withTable(edit);
    await rejectsWith(loadCheckpoint(dir), dir, pattern);
  };

  it(
    'names an entry without a shape (not a TypeError)',
    table(
      /checkpoint\.json: weight entry 1 \(encoder\.blks\.block0\.attention\.W_q\.weight\) has no shape/,
      (w) => {
        delete (w[1] as Partial<Entry>).shape;
        return w;
      },
    ),
  );

  for (const shape of [[0, 8], [12, -8], [1.5, 8], ['12', 8], []]) {
    it(
      `refuses the shape ${JSON.stringify(shape)}`,
      table(
        /weight entry 0 \(encoder\.embedding\.weight\) has (shape .*: dimensions must be whole numbers > 0|0 dimensions)/,
        (w) => {
          w[0].shape = shape;
          return w;
        },
      ),
    );
  }

  it('refuses an offset that is missing, fractional, or not where the entry before ends', async () => {
    await table(/weight entry 2 \(.*W_k\.weight\) has no whole-number offset/, (w) => {
      delete (w[2] as Partial<Entry>).offset;
      return w;
    })();
    await table(/weight entry 2 .* has no whole-number offset/, (w) => {
      w[2].offset = 160.5;
      return w;
    })();
    // Overlapping a neighbour, or leaving a gap: the writer stores entries back to back.
    await table(/weight entry 2 .* starts at offset 96, expected 160/, (w) => {
      w[2].offset = 96;
      return w;
    })();
    await table(/weight entry 2 .* starts at offset 170, expected 160/, (w) => {
      w[2].offset = 170;
      return w;
    })();
  });

  it('refuses an entry twice, an entry without a name, a non-object, and an empty table', async () => {
    await table(/weight entry 1 \(encoder\.embedding\.weight\) appears twice/, (w) => [
      w[0],
      { ...w[0], offset: 96 },
      ...w.slice(2),
    ])();
    await table(/weight entry 3 has no name/, (w) => {
      (w[3] as Partial<Entry>).name = '';
      return w;
    })();
    await table(/weight entry 0 is not an object/, (w) => [null, ...w])();
    await table(/the weight table is empty/, () => [])();
  });

  it('refuses a table whose sizes do not add up to the weights file', async () => {
    await table(
      /weights-[0-9a-f]{16}\.bin has \d+ bytes, the manifest needs \d+ \(the file is too long\)/,
      (w) => w.slice(0, -1),
    )();
  });

  it('refuses a weightsFile that is not the name of its hash (no path outside the folder)', async () => {
    const dir = path.join(temp.make(), 'ck');
    fs.cpSync(pristine, dir, { recursive: true });
    writeJson(dir, rehashed({ ...readJson(dir), weightsFile: '../../outside.bin' }));
    await rejectsWith(
      loadCheckpoint(dir),
      dir,
      /weightsFile must be weights-[0-9a-f]{16}\.bin \(got "\.\.\/\.\.\/outside\.bin"\)/,
    );
  });

  it('refuses NaN and Infinity in the weights, naming the parameter', async () => {
    for (const [value, index, name] of [
      [NaN, 0, 'encoder.embedding.weight'],
      [Infinity, 1563, 'decoder.blks.block0.ffn.dense2.bias'],
      [-Infinity, 1673, 'decoder.dense.bias'],
    ] as const) {
      const dir = path.join(temp.make(), 'ck');
      fs.cpSync(pristine, dir, { recursive: true });
      rewriteWeights(dir, (floats) => (floats[index] = value));
      await rejectsWith(
        loadCheckpoint(dir),
        dir,
        new RegExp(
          `holds NaN or Infinity in ${name.replace(/\./g, '\\.')}: the model cannot translate`,
        ),
      );
    }
  });

  it('will not save a model whose weights are NaN, and keeps the checkpoint it had', async () => {
    const dir = path.join(temp.make(), 'ck');
    fs.cpSync(pristine, dir, { recursive: true });
    const before = namesIn(dir).map((n) => fs.readFileSync(path.join(dir, n)));
    const diverged = tinyModel(H, 6);
    try {
      const w = diverged.params.get('decoder.dense.bias');
      w.assign(tf.fill(w.shape, NaN));
      await rejectsWith(
        saveTiny(dir, diverged, H),
        dir,
        /not saved: the model's decoder\.dense\.bias holds NaN or Infinity \(training diverged\)/,
      );
    } finally {
      diverged.dispose();
    }
    assert.deepEqual(
      namesIn(dir).map((n) => fs.readFileSync(path.join(dir, n))),
      before,
    );
  });

  it('refuses edits to the model fields that the hash covers', async () => {
    const edits: [string, (json: Record<string, unknown>) => void][] = [
      ['numSteps', (j) => ((j.hyperparameters as Hyperparameters).numSteps = 1000)],
      ['learningRate', (j) => ((j.hyperparameters as Hyperparameters).learningRate = 0.5)],
      ['a vocabulary token', (j) => ((j.tgtVocab as string[])[5] = 'bonjour')],
      ['two same-shaped weights swapped', (j) => swapNames(j.weights as Entry[], 1, 2)],
      ['modelSha256 removed', (j) => delete j.modelSha256],
    ];
    for (const [what, edit] of edits) {
      const dir = path.join(temp.make(), 'ck');
      fs.cpSync(pristine, dir, { recursive: true });
      const json = readJson(dir);
      edit(json);
      writeJson(dir, json);
      const expected =
        what === 'modelSha256 removed'
          ? /checkpoint\.json: modelSha256 is missing/
          : /model fields \(hyperparameters, vocabularies, weight table\) were changed after the checkpoint was saved/;
      await rejectsWith(loadCheckpoint(dir), dir, expected);
    }
  });

  it('loads with edited metrics or createdAt (facts for display, not model inputs)', async () => {
    const dir = path.join(temp.make(), 'ck');
    fs.cpSync(pristine, dir, { recursive: true });
    writeJson(dir, { ...readJson(dir), metrics: { loss: 9 }, createdAt: 'yesterday' });
    const loaded = await loadCheckpoint(dir);
    loaded.model.dispose();
    assert.deepEqual(loaded.manifest.metrics, { loss: 9 });
    writeJson(dir, { ...readJson(dir), metrics: 'lots' });
    await rejectsWith(loadCheckpoint(dir), dir, /checkpoint\.json: metrics must be an object/);
  });

  it('loads the untyped metrics older writers saved, and shows them as they are', async () => {
    // Before RunMetrics: the CLI wrote seedBleu (no seeds, no heldOut); the worker seeds and
    // heldOut; version 1's fixture a note and a translation.
    const older: Record<string, unknown>[] = [
      {
        loss: 0.0325,
        tokensPerSecond: 20694,
        seconds: 24.6,
        backend: 'wasm',
        seedBleu: [1, 1, 0.658, 1],
        pairs: 601,
      },
      {
        loss: 0.03,
        tokensPerSecond: 9000,
        seconds: 5,
        backend: 'cpu',
        seeds: [],
        heldOut: null,
        pairs: 41,
      },
    ];
    for (const metrics of older) {
      const dir = path.join(temp.make(), 'ck');
      fs.cpSync(pristine, dir, { recursive: true });
      writeJson(dir, { ...readJson(dir), metrics });
      const loaded = await loadCheckpoint(dir);
      loaded.model.dispose();
      assert.deepEqual(loaded.manifest.metrics, metrics);
    }
    const v1 = await loadCheckpoint(V1_FIXTURE);
    v1.model.dispose();
    assert.deepEqual(Object.keys(v1.manifest.metrics ?? {}), ['note', 'translation']);
  });

  it('loads a version 1 checkpoint written by the previous code, bit for bit', async () => {
    const json = readJson(V1_FIXTURE) as { version: number; metrics: Record<string, unknown> };
    assert.equal(json.version, 1);
    assert.deepEqual(namesIn(V1_FIXTURE), [MANIFEST_FILE, LEGACY_WEIGHTS_FILE]);
    const loaded = await loadCheckpoint(V1_FIXTURE);
    try {
      const bytes = fs.readFileSync(path.join(V1_FIXTURE, LEGACY_WEIGHTS_FILE));
      const floats = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      );
      let at = 0;
      for (const [name, values] of paramValues(loaded.model)) {
        assert.deepEqual(values, floats.subarray(at, at + values.length), name);
        at += values.length;
      }
      assert.equal(at, floats.length);
      const seen = json.metrics.translation as { source: string; translation: string };
      const now = greedyTranslate(loaded.model, loaded.srcVocab, loaded.tgtVocab, seen.source, {
        numSteps: loaded.hyperparameters.numSteps,
        positionMode: 'correct',
      });
      assert.equal(now.translation, seen.translation);
    } finally {
      loaded.model.dispose();
    }
  });
});

function swapNames(weights: Entry[], i: number, j: number): void {
  [weights[i].name, weights[j].name] = [weights[j].name, weights[i].name];
}

/** Changes the weights of the checkpoint in `dir` and fixes every hash and name to match. */
function rewriteWeights(dir: string, change: (floats: Float32Array) => void): void {
  const file = weightsPath(dir);
  const bytes = fs.readFileSync(file);
  const floats = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  change(floats);
  const out = new Uint8Array(floats.buffer);
  const weightsSha256 = sha256(out);
  fs.rmSync(file);
  fs.writeFileSync(path.join(dir, weightsFileName(weightsSha256)), out);
  const json = readJson(dir);
  writeJson(dir, rehashed({ ...json, weightsSha256, weightsFile: weightsFileName(weightsSha256) }));
}
