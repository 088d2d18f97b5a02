/**
 * The epoch bookkeeping both trainers share (one thread: trainer.ts, two: parallel.ts): epochs
 * of batches, cancellation between steps, per-batch and per-epoch reports, timing, the summary.
 * What a step does, and how its loss is summed, is the trainer's.
 */
import { TrainBatch, batchTokens } from './batch';
import type { TrainHooks, TrainSetup, TrainSummary } from './loopTypes';

export interface EpochStepper {
  /** One optimisation step on `batch` (`step` counts from 1 across epochs); adds its loss. */
  step(batch: TrainBatch, step: number): void | Promise<void>;
  /**
   * The summed loss of this epoch's steps, and a fresh sum for the next epoch. Called after
   * every epoch's batches, a cancelled one included (so a tensor sum is always released).
   */
  takeEpochLoss(): number | Promise<number>;
}

/** The book's train_seq2seq loop around `stepper`; yields to the event loop after each step. */
export async function runEpochs(
  setup: TrainSetup,
  hooks: TrainHooks,
  stepper: EpochStepper,
): Promise<TrainSummary> {
  const { numEpochs } = setup;
  const start = performance.now();
  let steps = 0;
  let totalTokens = 0;
  let lastLoss = NaN;
  let epochsCompleted = 0;
  let cancelled = false;
  for (let epoch = 0; epoch < numEpochs && !cancelled; epoch++) {
    const epochStart = performance.now();
    const run = await runBatches(setup, hooks, stepper, epoch, steps, start);
    const epochTokens = run.tokens;
    steps += run.steps;
    cancelled = run.cancelled;
    const loss = await stepper.takeEpochLoss();
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

/**
 * One epoch's batches: a step and a BatchReport each, stopping before the next step once
 * `hooks.signal` is aborted. `stepsBefore` counts the steps of earlier epochs; `start` is the
 * run's clock.
 */
async function runBatches(
  setup: TrainSetup,
  hooks: TrainHooks,
  stepper: EpochStepper,
  epoch: number,
  stepsBefore: number,
  start: number,
): Promise<{ tokens: number; steps: number; cancelled: boolean }> {
  const batches = setup.batches(epoch);
  const total = batchesPerEpoch(setup, batches);
  let tokens = 0;
  let done = 0;
  for (const batch of batches) {
    if (hooks.signal?.aborted) return { tokens, steps: done, cancelled: true };
    await stepper.step(batch, stepsBefore + done + 1);
    tokens += batchTokens(batch);
    done++;
    hooks.onBatch?.({
      epoch: epoch + 1,
      numEpochs: setup.numEpochs,
      done,
      total,
      tokens,
      elapsedSeconds: (performance.now() - start) / 1000,
    });
    await yieldToEventLoop();
  }
  return { tokens, steps: done, cancelled: false };
}

/** The `total` of BatchReport: `setup.batchesPerEpoch`, an array's length, or 0 (unknown). */
export function batchesPerEpoch(setup: TrainSetup, batches: Iterable<TrainBatch>): number {
  if (setup.batchesPerEpoch !== undefined) return setup.batchesPerEpoch;
  return Array.isArray(batches) ? batches.length : 0;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
