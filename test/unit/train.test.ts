/**
 * trainModel (the book's train_seq2seq) and trainFromText on a few dozen pairs of the shared
 * corpus: the loss falls, no tensor leaks, cancelling stops between steps, runs reproduce,
 * progress is reported after every batch.
 */
import { strict as assert } from 'node:assert';
import { epochBatches, numBatches } from '../../src/data/batches';
import { loadDataNmt, NmtData } from '../../src/data/nmtDataset';
import { tf } from '../../src/model/tf';
import { Transformer } from '../../src/model/transformer';
import { trainFromText } from '../../src/train/experiment';
import {
  BatchReport,
  EpochReport,
  TrainHooks,
  TrainSetup,
  trainModel,
} from '../../src/train/trainer';
import { Rng } from '../../src/util/rng';
import { readSharedCorpus, sharedCorpusHead } from '../helpers/sharedCorpus';
import { TINY_HYPERPARAMETERS, useCpuBackend } from '../helpers/tinyModel';

const NUM_STEPS = 8;
const BATCH = 16;

/** A model and setup for `numEpochs` epochs over `data`, seeded as trainFromText seeds them. */
function setupFor(data: NmtData, numEpochs: number, seed = 0): TrainSetup {
  const model = new Transformer(
    {
      numHiddens: 8,
      numLayers: 2,
      numHeads: 2,
      ffnNumHiddens: 16,
      dropout: 0.1,
      srcVocabSize: data.srcVocab.size,
      tgtVocabSize: data.tgtVocab.size,
    },
    seed,
  );
  const rng = new Rng(seed + 1);
  return {
    model,
    numSteps: NUM_STEPS,
    bos: data.tgtVocab.bos,
    learningRate: 0.01,
    numEpochs,
    batches: () => epochBatches({ src: data.src, tgt: data.tgt }, BATCH, rng),
    batchesPerEpoch: numBatches(data.src.rows, BATCH),
    rng,
  };
}

/** The (epoch, done) pairs of `reports`, for comparing sequences. */
function positions(reports: readonly BatchReport[]): [number, number][] {
  return reports.map((r) => [r.epoch, r.done]);
}

/** Every (epoch, done) of `epochs` full epochs of `total` batches, in order. */
function fullEpochs(epochs: number, total: number): [number, number][] {
  const out: [number, number][] = [];
  for (let e = 1; e <= epochs; e++) for (let d = 1; d <= total; d++) out.push([e, d]);
  return out;
}

/**
 * Trains and returns the epoch reports and how many tensors trainModel left behind (tensors
 * alive after it returned minus before it started: the model's own are alive throughout). The
 * model is disposed afterwards.
 */
async function run(setup: TrainSetup, hooks: TrainHooks = {}) {
  const reports: EpochReport[] = [];
  try {
    const before = tf.memory().numTensors;
    const summary = await trainModel(setup, {
      ...hooks,
      onEpoch: async (r) => {
        reports.push(r);
        await hooks.onEpoch?.(r);
      },
    });
    return { summary, reports, leaked: tf.memory().numTensors - before };
  } finally {
    setup.model.dispose();
  }
}

describe('trainModel', () => {
  let data: NmtData;
  let batchesPerEpoch: number;

  before(async () => {
    await useCpuBackend();
    data = loadDataNmt(sharedCorpusHead(60), { numExamples: 48, numSteps: NUM_STEPS });
    assert.equal(data.src.rows, 49);
    batchesPerEpoch = numBatches(data.src.rows, BATCH);
    assert.equal(batchesPerEpoch, 4);
  });

  it('lowers the loss per token over 15 epochs, with consistent reports', async () => {
    const { summary, reports } = await run(setupFor(data, 15));
    const losses = reports.map((r) => r.lossPerToken);
    assert.equal(reports.length, 15);
    assert.ok(
      losses.every((l) => Number.isFinite(l) && l > 0),
      `losses ${losses}`,
    );
    assert.ok(losses[14] < 0.75 * losses[0], `loss went ${losses[0]} -> ${losses[14]}`);
    // Mostly downhill: the mean of the last 5 epochs is below the mean of the first 5.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.ok(mean(losses.slice(10)) < mean(losses.slice(0, 5)));
    const tokens = Array.from(data.tgt.validLen).reduce((a, b) => a + b, 0);
    reports.forEach((r, i) => {
      assert.equal(r.epoch, i + 1);
      assert.equal(r.numEpochs, 15);
      assert.equal(r.tokens, tokens, 'every target token once per epoch');
      assert.equal(r.steps, (i + 1) * batchesPerEpoch);
      assert.ok(r.tokensPerSecond > 0 && Number.isFinite(r.tokensPerSecond));
      if (i > 0) assert.ok(r.elapsedSeconds >= reports[i - 1].elapsedSeconds);
    });
    assert.deepEqual(
      { ...summary, tokensPerSecond: 0, seconds: 0 },
      {
        epochsCompleted: 15,
        lossPerToken: losses[14],
        tokensPerSecond: 0,
        seconds: 0,
        steps: 15 * batchesPerEpoch,
        cancelled: false,
      },
    );
    assert.ok(summary.seconds > 0 && summary.tokensPerSecond > 0);
  });

  it('keeps tf.memory().numTensors flat across epochs and frees everything it made', async () => {
    const setup = setupFor(data, 6);
    const numParams = setup.model.params.variables().length;
    const baseline = tf.memory().numTensors;
    const counts: number[] = [];
    const { summary, leaked } = await run(setup, {
      onEpoch: () => {
        counts.push(tf.memory().numTensors);
      },
    });
    assert.equal(summary.epochsCompleted, 6);
    // The book's Adam (BookAdam) keeps its moments in JavaScript, not in tensors: between
    // epochs only the parameters are alive, and the count must not grow at all.
    assert.deepEqual(counts, Array(6).fill(counts[0]), `tensors per epoch: ${counts}`);
    assert.equal(counts[0], baseline, `${counts[0]} tensors during training`);
    // The optimizer and its slots are disposed when trainModel returns, the model by run().
    assert.equal(leaked, 0);
    assert.equal(tf.memory().numTensors, baseline - numParams);
  });

  it('stops between steps when aborted and reports cancelled, leaking nothing', async () => {
    const baseline = tf.memory().numTensors;
    const controller = new AbortController();
    const { summary, reports, leaked } = await run(setupFor(data, 10), {
      signal: controller.signal,
      onEpoch: (r) => {
        if (r.epoch === 2) controller.abort();
      },
    });
    assert.equal(summary.cancelled, true);
    assert.equal(summary.epochsCompleted, 2);
    assert.equal(summary.steps, 2 * batchesPerEpoch, 'no step after the abort');
    assert.equal(reports.length, 2);
    assert.equal(summary.lossPerToken, reports[1].lossPerToken, 'loss of the last full epoch');
    assert.equal(leaked, 0);
    assert.equal(tf.memory().numTensors, baseline, 'tensors left once the model is disposed');
  });

  it('stops in the middle of an epoch before the next step', async () => {
    const baseline = tf.memory().numTensors;
    const controller = new AbortController();
    const setup = setupFor(data, 10);
    const inner = setup.batches;
    // Abort while the third epoch is under way, right after its second batch is handed out.
    setup.batches = function* (epoch) {
      let i = 0;
      for (const b of inner(epoch)) {
        yield b;
        if (epoch === 2 && ++i === 2) controller.abort();
      }
    };
    const { summary, reports, leaked } = await run(setup, { signal: controller.signal });
    assert.equal(summary.cancelled, true);
    assert.equal(summary.epochsCompleted, 2);
    assert.equal(summary.steps, 2 * batchesPerEpoch + 2);
    assert.equal(reports.length, 2, 'no report for the interrupted epoch');
    assert.equal(leaked, 0, 'the partial epoch left tensors behind');
    assert.equal(tf.memory().numTensors, baseline, 'tensors left once the model is disposed');
  });

  it('reports every batch: done 1 … total per epoch, then the epoch', async () => {
    const events: (BatchReport | EpochReport)[] = [];
    const batches: BatchReport[] = [];
    const { reports } = await run(setupFor(data, 3), {
      onBatch: (r) => {
        batches.push(r);
        events.push(r);
      },
      onEpoch: (r) => void events.push(r),
    });
    assert.deepEqual(positions(batches), fullEpochs(3, batchesPerEpoch));
    for (const b of batches) {
      assert.equal(b.total, Math.ceil(data.src.rows / BATCH));
      assert.equal(b.numEpochs, 3);
    }
    // Tokens grow within an epoch and end at the epoch's count; time never goes back.
    for (let i = 1; i < batches.length; i++) {
      assert.ok(batches[i].elapsedSeconds >= batches[i - 1].elapsedSeconds);
      if (batches[i].done > 1) assert.ok(batches[i].tokens > batches[i - 1].tokens);
    }
    reports.forEach((r) => {
      const last = batches.find((b) => b.epoch === r.epoch && b.done === b.total)!;
      assert.equal(last.tokens, r.tokens);
      assert.ok(last.elapsedSeconds <= r.elapsedSeconds);
      // The epoch's report comes right after its last batch.
      assert.equal(events[events.indexOf(last) + 1], r);
    });
  });

  it('stops mid-epoch when aborted from onBatch, with no later batch reported', async () => {
    const controller = new AbortController();
    const batches: BatchReport[] = [];
    const { summary, reports, leaked } = await run(setupFor(data, 5), {
      signal: controller.signal,
      onBatch: (r) => {
        batches.push(r);
        if (r.epoch === 2 && r.done === 2) controller.abort();
      },
    });
    assert.equal(summary.cancelled, true);
    assert.equal(summary.steps, batchesPerEpoch + 2);
    assert.equal(reports.length, 1);
    assert.deepEqual(batches.map((b) => [b.epoch, b.done]).pop(), [2, 2]);
    assert.equal(batches.length, batchesPerEpoch + 2);
    assert.equal(leaked, 0);
  });

  it('reports total 0 without batchesPerEpoch unless the batches are an array', async () => {
    const totals = async (asArray: boolean) => {
      const setup = setupFor(data, 1);
      const inner = setup.batches;
      setup.batchesPerEpoch = undefined;
      if (asArray) setup.batches = (e) => [...inner(e)];
      const seen: number[] = [];
      await run(setup, { onBatch: (r) => void seen.push(r.total) });
      return seen;
    };
    assert.deepEqual(await totals(false), Array(batchesPerEpoch).fill(0));
    assert.deepEqual(await totals(true), Array(batchesPerEpoch).fill(batchesPerEpoch));
  });

  it('does nothing when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { summary, reports, leaked } = await run(setupFor(data, 3), {
      signal: controller.signal,
    });
    assert.equal(leaked, 0);
    assert.equal(summary.cancelled, true);
    assert.equal(summary.epochsCompleted, 0);
    assert.equal(summary.steps, 0);
    assert.equal(reports.length, 0);
  });

  it('repeats the same losses from the same seed and others from another (cpu)', async () => {
    const losses = async (seed: number) =>
      (await run(setupFor(data, 3, seed))).reports.map((r) => r.lossPerToken);
    const a = await losses(4);
    const b = await losses(4);
    const c = await losses(5);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });
});

describe('trainFromText', () => {
  before(useCpuBackend);

  it('trains on the first 40 (+1) pairs of the shared corpus', async () => {
    const h = { ...TINY_HYPERPARAMETERS, numExamples: 40, numEpochs: 3, batchSize: 16 };
    const baseline = tf.memory().numTensors;
    const epochs: number[] = [];
    const batches: [number, number, number][] = [];
    const trained = await trainFromText(readSharedCorpus(), h, {
      onEpoch: (r) => {
        epochs.push(r.epoch);
      },
      onBatch: (r) => void batches.push([r.epoch, r.done, r.total]),
    });
    try {
      assert.equal(trained.pairs, 41, "the book's numExamples + 1 lines");
      assert.deepEqual(epochs, [1, 2, 3]);
      assert.equal(trained.summary.epochsCompleted, 3);
      assert.equal(trained.summary.steps, 3 * Math.ceil(41 / 16));
      // onBatch is passed through, with total = ceil(pairs / batchSize) = 3.
      assert.deepEqual(
        batches,
        [1, 2, 3].flatMap((e) => [1, 2, 3].map((d) => [e, d, 3])),
      );
      assert.ok(Number.isFinite(trained.summary.lossPerToken));
      assert.equal(trained.model.config.numLayers, 1);
      assert.equal(trained.model.config.srcVocabSize, trained.srcVocab.size);
      assert.equal(trained.model.config.tgtVocabSize, trained.tgtVocab.size);
      assert.ok(trained.srcVocab.idxToToken.includes('go'));
      // Same data and model as loadDataNmt gives.
      const data = loadDataNmt(sharedCorpusHead(41), { numExamples: 40, numSteps: 8 });
      assert.deepEqual(trained.srcVocab.idxToToken, data.srcVocab.idxToToken);
      assert.deepEqual(trained.tgtVocab.idxToToken, data.tgtVocab.idxToToken);
    } finally {
      trained.model.dispose();
    }
    assert.equal(tf.memory().numTensors, baseline, 'tensors left once the model is disposed');
  });

  it('rejects text without pairs', async () => {
    const baseline = tf.memory().numTensors;
    await assert.rejects(
      trainFromText('no tab here\n', { ...TINY_HYPERPARAMETERS, numEpochs: 1 }),
      /no English<TAB>French pairs/,
    );
    assert.equal(tf.memory().numTensors, baseline);
  });
});
