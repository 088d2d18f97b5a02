/**
 * trainParallel (two threads, data-parallel) against the single-thread step: with dropout 0 the
 * two half-batch gradients sum to the full batch's, and whole runs end with the same parameters
 * and losses (float rounding aside), with dot-product and with additive attention.
 */
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { tf } from '../../src/model/tf';
import { tidyKeep } from '../../src/model/tidy';
import { Transformer } from '../../src/model/transformer';
import { AttentionFunction, ModelConfig } from '../../src/model/config';
import { epochBatches, numBatches } from '../../src/data/batches';
import { loadDataNmt, NmtData } from '../../src/data/nmtDataset';
import { batchTensors } from '../../src/train/batch';
import { tapeGradients } from '../../src/train/trainStep';
import { readFlat } from '../../src/train/adam';
import {
  batchRows,
  replicaGradient,
  trainFromTextParallel,
  trainParallel,
} from '../../src/train/parallel';
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import { BatchReport, EpochReport, TrainSetup, trainModel } from '../../src/train/trainer';
import { selectBackend } from '../../src/backend/backend';
import { Rng } from '../../src/util/rng';
import { sharedCorpusHead } from '../helpers/sharedCorpus';
import { relativeError } from '../helpers/fixtures';

const NUM_STEPS = 8;
const WORKER = path.join(__dirname, '../../src/train/parallelWorker.ts');

function config(
  data: NmtData,
  dropout: number,
  attentionFunction: AttentionFunction = 'dotProduct',
): ModelConfig {
  return {
    attentionFunction,
    numHiddens: 16,
    numLayers: 2,
    numHeads: 4,
    ffnNumHiddens: 32,
    dropout,
    srcVocabSize: data.srcVocab.size,
    tgtVocabSize: data.tgtVocab.size,
  };
}

function setupFor(
  data: NmtData,
  epochs: number,
  dropout = 0,
  attentionFunction?: AttentionFunction,
): TrainSetup {
  const rng = new Rng(3);
  return {
    model: new Transformer(config(data, dropout, attentionFunction), 2),
    numSteps: NUM_STEPS,
    bos: data.tgtVocab.bos,
    learningRate: 0.005,
    numEpochs: epochs,
    batches: () => epochBatches({ src: data.src, tgt: data.tgt }, 16, rng),
    batchesPerEpoch: numBatches(data.src.rows, 16),
    rng,
  };
}

/**
 * A helper script that answers its init message `m` with an error whose message is the
 * JavaScript expression `reply` (of `m`): what the leader sent, seen from the helper's side.
 */
function standInHelper(reply: string): { dir: string; script: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tae-helper-'));
  const script = path.join(dir, 'standIn.cjs');
  writeFileSync(
    script,
    "const { parentPort } = require('node:worker_threads');\n" +
      `parentPort.once('message', (m) => parentPort.postMessage({ type: 'error', message: ${reply} }));\n`,
  );
  return { dir, script };
}

function flatParams(model: Transformer): Float32Array {
  return tidyKeep(() => readFlat(model.params.variables()));
}

describe('trainParallel (two threads)', function () {
  this.timeout(120000);
  let data: NmtData;

  before(async () => {
    await selectBackend('wasm');
    data = loadDataNmt(sharedCorpusHead(60), { numExamples: 48, numSteps: NUM_STEPS });
  });

  it('half-batch gradients sum to the full-batch gradient within 1e-5 (dropout 0)', () => {
    const model = new Transformer(config(data, 0), 5);
    try {
      const batch = epochBatches({ src: data.src, tgt: data.tgt }, 16, new Rng(1)).next().value!;
      const full = tf.tidy(() => {
        const { grads } = tapeGradients(model, batchTensors(batch, NUM_STEPS, 2), undefined);
        return readFlat(grads);
      });
      const a = new Float32Array(full.length);
      const b = new Float32Array(full.length);
      const half = Math.ceil(batch.size / 2);
      replicaGradient(model, batchRows(batch, 0, half, NUM_STEPS), NUM_STEPS, 2, undefined, a);
      replicaGradient(
        model,
        batchRows(batch, half, batch.size, NUM_STEPS),
        NUM_STEPS,
        2,
        undefined,
        b,
      );
      // The book's loss is a sum over sequences, so the halves' gradients add up (no average).
      const sum = a.map((x, i) => x + b[i]);
      const err = relativeError(sum, full);
      assert.ok(err <= 1e-5, `relative error ${err}`);
      // Its global norm is well above the book's clip (1), so the clipped step that follows is
      // the book's clip of the full batch's gradient: both threads clip this very sum.
      const norm = (g: Float32Array) => Math.sqrt(g.reduce((s, x) => s + x * x, 0));
      assert.ok(norm(full) > 2, `gradient norm ${norm(full)}`);
      assert.ok(Math.abs(norm(sum) / norm(full) - 1) < 1e-5);
    } finally {
      model.dispose();
    }
  });

  for (const attention of ['dotProduct', 'additive'] as const) {
    it(`ends a dropout-0 run with the single-thread parameters and losses (${attention})`, async () => {
      const single = setupFor(data, 3, 0, attention);
      const parallel = setupFor(data, 3, 0, attention);
      const singleReports: EpochReport[] = [];
      const parallelReports: EpochReport[] = [];
      const singleBatches: BatchReport[] = [];
      const parallelBatches: BatchReport[] = [];
      try {
        const before = tf.memory().numTensors;
        await trainModel(single, {
          onEpoch: (r) => void singleReports.push(r),
          onBatch: (r) => void singleBatches.push(r),
        });
        const summary = await trainParallel(
          parallel,
          {
            onEpoch: (r) => void parallelReports.push(r),
            onBatch: (r) => void parallelBatches.push(r),
          },
          { workerScript: WORKER },
        );
        assert.equal(summary.epochsCompleted, 3);
        assert.equal(summary.steps, 3 * 4);
        assert.equal(tf.memory().numTensors, before, 'tensors left by the two runs');
        const err = relativeError(flatParams(parallel.model), flatParams(single.model));
        assert.ok(err <= 1e-5, `parameters differ: relative error ${err}`);
        parallelReports.forEach((r, i) => {
          assert.equal(r.tokens, singleReports[i].tokens);
          const d = Math.abs(r.lossPerToken - singleReports[i].lossPerToken);
          assert.ok(
            d <= 1e-5 * singleReports[i].lossPerToken,
            `epoch ${i + 1} loss differs by ${d}`,
          );
        });
        // One report per step (a whole batch, both halves), as the single-thread loop reports.
        const strip = (b: BatchReport) => [b.epoch, b.numEpochs, b.done, b.total, b.tokens];
        const expected = [1, 2, 3].flatMap((e) => [1, 2, 3, 4].map((d) => [e, d]));
        assert.deepEqual(
          parallelBatches.map((b) => [b.epoch, b.done]),
          expected,
        );
        assert.ok(parallelBatches.every((b) => b.total === 4 && b.numEpochs === 3));
        assert.deepEqual(parallelBatches.map(strip), singleBatches.map(strip));
        parallelReports.forEach((r) => {
          const last = parallelBatches.find((b) => b.epoch === r.epoch && b.done === 4)!;
          assert.equal(last.tokens, r.tokens);
        });
      } finally {
        single.model.dispose();
        parallel.model.dispose();
      }
    });
  }

  it('trains with dropout, stops when aborted and leaves no tensors or threads behind', async () => {
    const setup = setupFor(data, 10, 0.1);
    const controller = new AbortController();
    const losses: number[] = [];
    try {
      const before = tf.memory().numTensors;
      const summary = await trainParallel(
        setup,
        {
          signal: controller.signal,
          onEpoch: (r) => {
            losses.push(r.lossPerToken);
            if (r.epoch === 4) controller.abort();
          },
        },
        { workerScript: WORKER },
      );
      assert.equal(summary.cancelled, true);
      assert.equal(summary.epochsCompleted, 4);
      assert.ok(losses.every(Number.isFinite) && losses[3] < losses[0], `losses ${losses}`);
      assert.equal(tf.memory().numTensors, before);
    } finally {
      setup.model.dispose();
    }
  });

  it('stops mid-epoch when aborted from onBatch', async () => {
    const setup = setupFor(data, 5, 0.1);
    const controller = new AbortController();
    const batches: [number, number][] = [];
    try {
      const before = tf.memory().numTensors;
      const summary = await trainParallel(
        setup,
        {
          signal: controller.signal,
          onBatch: (r) => {
            batches.push([r.epoch, r.done]);
            if (r.epoch === 2 && r.done === 1) controller.abort();
          },
        },
        { workerScript: WORKER },
      );
      assert.equal(summary.cancelled, true);
      assert.equal(summary.epochsCompleted, 1);
      assert.equal(summary.steps, 4 + 1);
      assert.deepEqual(batches, [
        [1, 1],
        [1, 2],
        [1, 3],
        [1, 4],
        [2, 1],
      ]);
      assert.equal(tf.memory().numTensors, before);
    } finally {
      setup.model.dispose();
    }
  });

  it('reports a helper that cannot start instead of hanging', async () => {
    const setup = setupFor(data, 1);
    try {
      await assert.rejects(
        trainParallel(setup, {}, { workerScript: path.join(__dirname, 'no-such-worker.ts') }),
        /helper|Cannot find|not find/i,
      );
    } finally {
      setup.model.dispose();
    }
  });

  it('sends the helper no parameters: it builds its replica from the shared values', async () => {
    // A stand-in helper that answers its init message with what it was sent.
    const { dir, script } = standInHelper(
      "'init ' + JSON.stringify({ keys: Object.keys(m).sort(), bytes: m.buffer.byteLength })",
    );
    const setup = setupFor(data, 1);
    try {
      const err = await trainParallel(setup, {}, { workerScript: script, maxRows: 16 }).then(
        () => assert.fail('the stand-in helper never trains'),
        (e: Error) => e,
      );
      const sent = JSON.parse(/init (.*)$/.exec(err.message)![1]) as {
        keys: string[];
        bytes: number;
      };
      assert.ok(!sent.keys.includes('params'), `init carries ${sent.keys.join(', ')}`);
      // The shared buffer: the values once and one gradient per thread (12 bytes a parameter),
      // plus the batch and control words; it used to hold four gradients (16 bytes).
      const n = setup.model.params.count();
      assert.ok(
        sent.bytes >= 12 * n && sent.bytes < 12 * n + 8192,
        `${sent.bytes} bytes, ${n} params`,
      );
    } finally {
      setup.model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands tf.tidy no typed array to walk while the helper starts', async () => {
    // tf.tidy looks for tensors to keep in whatever its function returns, key by key: given the
    // shared buffer's Float32Array it walked every value into a Set. On the whole corpus (1.5 M
    // parameters) that took 1.8 s and 140 MB of heap, the set-up's memory peak.
    const { dir, script } = standInHelper("'init'");
    const engine = tf.engine();
    const endScope = engine.endScope;
    const results: unknown[] = [];
    engine.endScope = function (this: typeof engine, result?: tf.TensorContainer) {
      results.push(result);
      return endScope.call(this, result);
    };
    const setup = setupFor(data, 1);
    try {
      await trainParallel(setup, {}, { workerScript: script, maxRows: 16 }).catch(() => null);
      const views = results.filter((r) => ArrayBuffer.isView(r));
      assert.ok(results.length > 0, 'no tf.tidy seen');
      assert.equal(views.length, 0, `tf.tidy walked ${views.length} typed array(s)`);
    } finally {
      engine.endScope = endScope;
      setup.model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives every seed its own helper dropout stream (seed 0 keeps 0x5eed)', async () => {
    // A stand-in helper that answers its init message with the dropout seed it was given.
    const { dir, script } = standInHelper("'seed ' + m.seed");
    try {
      const seen: number[] = [];
      for (const seed of [0, 1, 2]) {
        const h = { ...DEFAULT_HYPERPARAMETERS, numExamples: 20, numEpochs: 1, seed };
        const err = await trainFromTextParallel(
          sharedCorpusHead(60),
          h,
          {},
          {
            workerScript: script,
          },
        ).then(
          () => assert.fail('the stand-in helper never trains'),
          (e: Error) => e,
        );
        const m = /seed (\d+)/.exec(err.message);
        assert.ok(m, err.message);
        seen.push(Number(m[1]));
      }
      assert.equal(seen[0], 0x5eed, 'seed 0 keeps the default run (and its loss) as it was');
      assert.equal(new Set(seen).size, 3, `helper seeds ${seen.join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
