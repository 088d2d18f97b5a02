import { tf, Tensor } from '../model/tf';
import { Transformer } from '../model/transformer';
import { Rng } from '../util/rng';
import { TrainBatch, batchTensors } from './batch';
import { runEpochs } from './epochLoop';
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
  const { model, numSteps, bos, rng } = setup;
  const optimizer = bookAdam(setup.learningRate);
  // The epoch's loss stays on the backend until the epoch ends: no read-back per step. Made at
  // the epoch's first step, so between epochs only the parameters are alive.
  let lossSum = null as Tensor | null; // (assigned in closures: the cast stops narrowing to null)
  try {
    return await runEpochs(setup, hooks, {
      step(batch) {
        const t = batchTensors(batch, numSteps, bos);
        const stepLoss = trainStep(model, optimizer, t, rng, setup.clip ?? 1);
        const prev = lossSum ?? tf.scalar(0);
        lossSum = tf.add(prev, stepLoss);
        tf.dispose([prev, stepLoss, ...Object.values(t)]);
      },
      async takeEpochLoss() {
        if (!lossSum) return 0;
        const loss = (await lossSum.data())[0];
        lossSum.dispose();
        lossSum = null;
        return loss;
      },
    });
  } finally {
    lossSum?.dispose();
    optimizer.dispose();
  }
}
