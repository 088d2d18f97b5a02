/**
 * What a training loop is given (TrainSetup, TrainHooks) and what it reports (BatchReport,
 * EpochReport, TrainSummary): one vocabulary for the one-thread trainer (./trainer.ts), the
 * two-thread one (./parallel.ts) and the epoch bookkeeping they share (./epochLoop.ts).
 */
import type { Transformer } from '../model/transformer';
import type { Rng } from '../util/rng';
import type { TrainBatch } from './batch';

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
