import { tf, Tensor } from '../model/tf';
import { Transformer } from '../model/transformer';
import { Rng } from '../util/rng';
import { TrainBatch, batchTensors, batchTokens } from './batch';
import { bookAdam, trainStep } from './trainStep';

export interface EpochReport {
  epoch: number; // 1-based
  numEpochs: number;
  lossPerToken: number; // this epoch's summed loss / its target tokens (the book's metric)
  tokens: number; // target tokens this epoch
  tokensPerSecond: number; // this epoch
  elapsedSeconds: number; // since training started
  steps: number; // optimisation steps so far
}

/** Progress inside an epoch, after each optimisation step (one mini-batch, one step). */
export interface BatchReport {
  epoch: number; // 1-based
  numEpochs: number;
  done: number; // batches finished in this epoch: 1 … total
  total: number; // batches per epoch (0 when the setup does not say)
  tokens: number; // target tokens of this epoch's finished batches
  elapsedSeconds: number; // since training started
}

export interface TrainSummary {
  epochsCompleted: number;
  lossPerToken: number; // last completed epoch
  tokensPerSecond: number; // all target tokens / training seconds
  seconds: number;
  steps: number;
  cancelled: boolean;
}

export interface TrainSetup {
  model: Transformer;
  numSteps: number;
  bos: number;
  learningRate: number;
  numEpochs: number;
  /** Mini-batches for an epoch (0-based); shuffled by the caller. */
  batches: (epoch: number) => Iterable<TrainBatch>;
  /**
   * How many batches `batches(epoch)` yields (the `total` of `onBatch`): ceil(rows / batchSize).
   * Optional: without it an array's length is used, else 0 (unknown).
   */
  batchesPerEpoch?: number;
  rng: Rng;
  clip?: number;
}

export interface TrainHooks {
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  /**
   * After every step, before yielding to the event loop. Called synchronously and often (every
   * few ms): keep it cheap and throttle anything that costs, e.g. posting messages.
   */
  onBatch?: (report: BatchReport) => void;
  /** Checked before every step; training stops cleanly between steps once it is aborted. */
  signal?: AbortSignal;
}

/**
 * The book's train_seq2seq: Adam, teacher forcing, loss summed over the batch, gradient clipping,
 * `numEpochs` passes. Yields to the event loop between steps so that a cancel message can
 * arrive. Every tensor it creates is disposed (tf.memory().numTensors is flat across epochs).
 */
export async function trainModel(setup: TrainSetup, hooks: TrainHooks = {}): Promise<TrainSummary> {
  const { model, numSteps, bos, numEpochs, rng } = setup;
  const optimizer = bookAdam(setup.learningRate);
  const start = performance.now();
  let steps = 0;
  let totalTokens = 0;
  let lastLoss = NaN;
  let epochsCompleted = 0;
  let cancelled = false;
  try {
    for (let epoch = 0; epoch < numEpochs && !cancelled; epoch++) {
      const epochStart = performance.now();
      let epochTokens = 0;
      let lossSum: Tensor = tf.scalar(0);
      const batches = setup.batches(epoch);
      const total = batchesPerEpoch(setup, batches);
      let done = 0;
      for (const batch of batches) {
        if (hooks.signal?.aborted) {
          cancelled = true;
          break;
        }
        const t = batchTensors(batch, numSteps, bos);
        const stepLoss = trainStep(model, optimizer, t, rng, setup.clip ?? 1);
        const next = tf.add(lossSum, stepLoss);
        tf.dispose([lossSum, stepLoss, ...Object.values(t)]);
        lossSum = next;
        epochTokens += batchTokens(batch);
        steps++;
        done++;
        hooks.onBatch?.({
          epoch: epoch + 1,
          numEpochs,
          done,
          total,
          tokens: epochTokens,
          elapsedSeconds: (performance.now() - start) / 1000,
        });
        await yieldToEventLoop();
      }
      const loss = (await lossSum.data())[0];
      lossSum.dispose();
      if (cancelled) break;
      totalTokens += epochTokens;
      lastLoss = loss / epochTokens;
      epochsCompleted = epoch + 1;
      const now = performance.now();
      await hooks.onEpoch?.({
        epoch: epoch + 1,
        numEpochs,
        lossPerToken: lastLoss,
        tokens: epochTokens,
        tokensPerSecond: epochTokens / ((now - epochStart) / 1000),
        elapsedSeconds: (now - start) / 1000,
        steps,
      });
    }
  } finally {
    optimizer.dispose();
  }
  const seconds = (performance.now() - start) / 1000;
  return {
    epochsCompleted,
    lossPerToken: lastLoss,
    tokensPerSecond: totalTokens / seconds,
    seconds,
    steps,
    cancelled,
  };
}

/** The `total` of BatchReport: `setup.batchesPerEpoch`, an array's length, or 0 (unknown). */
export function batchesPerEpoch(setup: TrainSetup, batches: Iterable<TrainBatch>): number {
  if (setup.batchesPerEpoch !== undefined) return setup.batchesPerEpoch;
  return Array.isArray(batches) ? batches.length : 0;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
