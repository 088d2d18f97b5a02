import type { BackendChoice } from '../backend/backend';
import { tf } from '../model/tf';
import { readFlat } from './adam';
import { runEpochs } from './epochLoop';
import type { TrainHooks, TrainSetup, TrainSummary } from './loopTypes';
import { Hyperparameters } from '../config/hyperparameters';
import { ExperimentHooks, TrainedModel, trainFromText } from './experiment';
import { HELPER_SEED, Helper, startHelper } from './parallelHelper';
import { SharedStep } from './parallelProtocol';
import { leaderStep, updateReplica, waitFor } from './parallelStep';
import { SplitAdam, shareOf } from './splitAdam';
import { ThreadMemory, readThreadMemory } from './threadMemory';

// The rooms of two-thread training, re-exported so that './parallel' stays the one way in:
// parallelProtocol.ts (what both threads agree on), parallelStep.ts (one step's gradients and
// update), splitAdam.ts (the update split between the threads), parallelHelper.ts (starting and
// stopping the helper), parallelWorker.ts (the helper).
export { CTL, SharedStep } from './parallelProtocol';
export type { HelperInit, HelperMessage } from './parallelProtocol';
export { batchRows, replicaGradient } from './parallelStep';

/**
 * Data-parallel training on two threads: the calling thread (the leader, which owns the model
 * the caller sees) and one helper worker_threads Worker with an identical replica. Every batch
 * is cut in two halves; each thread computes the gradient of its half's summed loss, the two
 * gradients meet in a SharedArrayBuffer, each thread applies its share of the clipped Adam update
 * of their sum to the parameter values kept there (SplitAdam), and both load the result, so the
 * replicas stay bit-identical. Because
 * the book's loss is a sum over sequences, the summed gradient is the full batch's gradient:
 * with dropout 0 this is the single-thread step up to float rounding.
 *
 * What differs from `trainModel`: the dropout masks. The leader draws its dropout seeds from
 * `setup.rng` exactly as the single-thread step does (the same number of draws per step, so the
 * shuffling is unchanged), but its masks cover half the batch and the helper draws its own from
 * `helperSeed`. Runs are reproducible, but not equal to single-thread runs when dropout > 0.
 *
 * The tfjs wasm backend is single-threaded in Node; this is how training uses both cores. Run
 * the leader in a worker thread too (as the extension's training worker does): it computes, and
 * it blocks in Atomics.wait for the helper's half of each step.
 */
export interface ParallelOptions {
  /**
   * The helper's script: by default parallelWorker.js beside this module (the esbuild bundle's
   * dist/), or src/train/parallelWorker.ts run through tsx when this module is TypeScript.
   */
  workerScript?: string;
  /** execArgv of the helper (default ['--require', 'tsx/cjs'] for a .ts script). */
  execArgv?: string[];
  /** The helper's backend (default: the leader's current one). */
  backend?: BackendChoice;
  /** Folder of tfjs-backend-wasm's .wasm files for the helper (default: found as usual). */
  wasmDir?: string;
  /** Seed of the helper's dropout stream (default 0x5eed; trainFromTextParallel: see helperSeedOf). */
  helperSeed?: number;
  /** Largest batch to expect (default: the first batch's rows). */
  maxRows?: number;
  /**
   * Nice value of the helper thread (default 10; Linux applies it to that thread only). With
   * both cores training, a lower priority lets the host's own thread run at once when it wakes
   * up: it keeps the extension host's event loop responsive, and costs nothing when the
   * machine is otherwise idle.
   */
  helperNice?: number;
}

/** The `trainModel` loop, data-parallel over this thread and one helper thread. */
export async function trainParallel(
  setup: TrainSetup,
  hooks: TrainHooks = {},
  options: ParallelOptions = {},
): Promise<TrainSummary> {
  const clip = setup.clip ?? 1;
  const vars = setup.model.params.variables();
  const numParams = vars.reduce((n, v) => n + v.size, 0);
  // The helper starts with the first batch, which sizes the shared buffer: epochBatches cuts
  // equal batches and then the remainder, so no later batch is larger.
  // Assigned in the first step (a closure): the cast keeps TypeScript from narrowing it to null.
  let running = null as { shared: SharedStep; helper: Helper } | null;
  const start = async (maxRows: number) => {
    const shared = new SharedStep(
      new SharedArrayBuffer(SharedStep.byteLength(numParams, maxRows, setup.numSteps)),
      numParams,
      maxRows,
      setup.numSteps,
    );
    // The helper builds its replica from these values: the parameters are sent once. The block
    // returns nothing: tf.tidy searches its function's result for tensors, and given this
    // Float32Array it walked every value (1.8 s and 140 MB of heap on the whole corpus).
    tf.tidy(() => {
      readFlat(vars, shared.values);
    });
    running = { shared, helper: await startHelper(setup, shared, clip, options) };
    runningShared = shared;
    return running;
  };
  // With maxRows known the helper starts (~1 s: a thread, tfjs, the model) before the clock.
  if (options.maxRows) await start(options.maxRows);
  const adam = new SplitAdam(setup.learningRate, shareOf(numParams, 0));
  let lossSum = 0;
  try {
    return await runEpochs(setup, hooks, {
      async step(batch, step) {
        const { shared } = running ?? (await start(batch.size));
        lossSum += leaderStep(setup, shared, batch, step);
        updateReplica(shared, adam, vars, 0, step, clip, (index, target) =>
          waitFor(shared.ctl, index, target),
        );
      },
      takeEpochLoss() {
        const loss = lossSum;
        lossSum = 0;
        return loss;
      },
    });
  } finally {
    await running?.helper.stop();
    runningShared = null;
  }
}

/** The shared buffer of the two-thread run in progress in this thread (for helperMemory). */
let runningShared: SharedStep | null = null;

/**
 * The helper thread's memory after its last step, while a two-thread run is in progress in this
 * thread (null otherwise): the bench reports it beside the leader's own `threadMemory()`.
 */
export function helperMemory(): ThreadMemory | null {
  return runningShared ? readThreadMemory(runningShared.helperMemory) : null;
}

/**
 * The helper's dropout seed for a run of hyperparameter `seed`: different for every seed (with
 * one fixed value, every two-thread run drew the same helper masks at step k, so runs of
 * different seeds were not independent draws), and 0x5eed for seed 0, so the default run was
 * unchanged by the fix (its loss then: 0.03246998148891504).
 */
export function helperSeedOf(seed: number): number {
  return (HELPER_SEED + seed) >>> 0;
}

/**
 * `trainFromText` on two threads: the same data, model and seeds, trained with `trainParallel`.
 * A drop-in for the training worker (see the note at the top of this file on dropout masks).
 */
export function trainFromTextParallel(
  rawText: string,
  h: Hyperparameters,
  hooks: ExperimentHooks = {},
  options: ParallelOptions = {},
): Promise<TrainedModel> {
  return trainFromText(rawText, h, hooks, (setup, trainHooks) =>
    trainParallel(setup, trainHooks, {
      maxRows: h.batchSize,
      helperSeed: helperSeedOf(h.seed),
      ...options,
    }),
  );
}
