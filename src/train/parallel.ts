import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tf } from '../model/tf';
import { ModelConfig } from '../model/config';
import { Transformer } from '../model/transformer';
import type { BackendChoice } from '../backend/backend';
import { TrainBatch, batchTensors } from './batch';
import { BookAdam, readFlat } from './adam';
import { tapeGradients } from './trainStep';
import { runEpochs } from './epochLoop';
import type { TrainHooks, TrainSetup, TrainSummary } from './loopTypes';
import { Hyperparameters } from '../config/hyperparameters';
import { ExperimentHooks, TrainedModel, trainFromText } from './experiment';

/**
 * Data-parallel training on two threads: the calling thread (the leader, which owns the model
 * the caller sees) and one helper worker_threads Worker with an identical replica. Every batch
 * is cut in two halves; each thread computes the gradient of its half's summed loss, the two
 * gradients meet in a SharedArrayBuffer, and both threads apply the same clipped Adam update to
 * the same sum (in the same order, in JavaScript), so the replicas stay bit-identical. Because
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

/** What the helper gets first: enough to rebuild the leader's replica and the shared buffers. */
export interface HelperInit {
  type: 'init';
  config: ModelConfig;
  params: { name: string; shape: number[]; data: Float32Array }[];
  numSteps: number;
  bos: number;
  learningRate: number;
  clip: number;
  seed: number;
  backend: BackendChoice;
  wasmDir?: string;
  buffer: SharedArrayBuffer;
  maxRows: number;
  nice: number;
}

export type HelperMessage = { type: 'ready' } | { type: 'error'; message: string; stack?: string };

/** Indices of the Int32 control words at the start of the shared buffer. */
export const CTL = {
  /** Step the helper should run (1, 2, …); -1 tells it to exit. */
  step: 0,
  /** Last step whose gradient the helper has written. */
  doneHelper: 1,
  /** Last step whose gradient the leader has written. */
  doneLeader: 2,
  /** Rows of the helper's half this step. */
  rows: 3,
  /** Non-zero once the helper failed or exited. */
  error: 4,
  size: 8,
} as const;

/** Views on the shared buffer, laid out identically in both threads. */
export class SharedStep {
  readonly ctl: Int32Array;
  readonly src: Int32Array;
  readonly srcValidLen: Int32Array;
  readonly tgt: Int32Array;
  readonly tgtValidLen: Int32Array;
  /** Gradients [parity][replica] of numParams floats each (double-buffered by step parity). */
  private readonly grads: Float32Array;
  /** Losses [parity][replica]. */
  readonly losses: Float64Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly numParams: number,
    readonly maxRows: number,
    readonly numSteps: number,
  ) {
    let offset = 0;
    const ints = (n: number) => {
      const a = new Int32Array(buffer, offset, n);
      offset += 4 * n;
      return a;
    };
    this.ctl = ints(CTL.size);
    this.src = ints(maxRows * numSteps);
    this.srcValidLen = ints(maxRows);
    this.tgt = ints(maxRows * numSteps);
    this.tgtValidLen = ints(maxRows);
    offset = Math.ceil(offset / 8) * 8;
    this.losses = new Float64Array(buffer, offset, 4);
    offset += 8 * 4;
    this.grads = new Float32Array(buffer, offset, 4 * numParams);
  }

  static byteLength(numParams: number, maxRows: number, numSteps: number): number {
    const ints = CTL.size + 2 * maxRows * numSteps + 2 * maxRows;
    return Math.ceil((4 * ints) / 8) * 8 + 8 * 4 + 4 * 4 * numParams;
  }

  gradSlot(step: number, replica: 0 | 1): Float32Array {
    const i = (step % 2) * 2 + replica;
    return this.grads.subarray(i * this.numParams, (i + 1) * this.numParams);
  }

  lossIndex(step: number, replica: 0 | 1): number {
    return (step % 2) * 2 + replica;
  }

  writeBatch(b: TrainBatch): void {
    this.src.set(b.src);
    this.srcValidLen.set(b.srcValidLen);
    this.tgt.set(b.tgt);
    this.tgtValidLen.set(b.tgtValidLen);
    Atomics.store(this.ctl, CTL.rows, b.size);
  }

  readBatch(): TrainBatch {
    const size = Atomics.load(this.ctl, CTL.rows);
    const n = size * this.numSteps;
    return {
      src: this.src.slice(0, n),
      srcValidLen: this.srcValidLen.slice(0, size),
      tgt: this.tgt.slice(0, n),
      tgtValidLen: this.tgtValidLen.slice(0, size),
      size,
    };
  }
}

/** Rows [from, to) of a batch. */
export function batchRows(b: TrainBatch, from: number, to: number, numSteps: number): TrainBatch {
  return {
    src: b.src.subarray(from * numSteps, to * numSteps),
    srcValidLen: b.srcValidLen.subarray(from, to),
    tgt: b.tgt.subarray(from * numSteps, to * numSteps),
    tgtValidLen: b.tgtValidLen.subarray(from, to),
    size: to - from,
  };
}

/**
 * One replica's share of a step: forward and backward on its rows (none: zero gradient), the
 * flat gradient written to `out`. Returns the rows' summed loss.
 */
export function replicaGradient(
  model: Transformer,
  rows: TrainBatch,
  numSteps: number,
  bos: number,
  rng: { seed(): number } | undefined,
  out: Float32Array,
): number {
  if (rows.size === 0) {
    out.fill(0);
    return 0;
  }
  return tf.tidy(() => {
    const t = batchTensors(rows, numSteps, bos);
    const { loss, grads } = tapeGradients(model, t, rng as never);
    readFlat(grads, out);
    return loss.dataSync()[0];
  });
}

/** g = a + b elementwise into `out` (the same order in both threads: bit-identical sums). */
export function sumInto(out: Float32Array, a: Float32Array, b: Float32Array): Float32Array {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
  return out;
}

/** The `trainModel` loop, data-parallel over this thread and one helper thread. */
export async function trainParallel(
  setup: TrainSetup,
  hooks: TrainHooks = {},
  options: ParallelOptions = {},
): Promise<TrainSummary> {
  const { model, numSteps, bos, rng } = setup;
  const clip = setup.clip ?? 1;
  const vars = model.params.variables();
  const numParams = vars.reduce((n, v) => n + v.size, 0);
  // The helper starts with the first batch, which sizes the shared buffer: epochBatches cuts
  // equal batches and then the remainder, so no later batch is larger.
  let shared: SharedStep | null = null;
  // Assigned in the first step (a closure): the cast keeps TypeScript from narrowing it to null.
  let helper = null as Helper | null;
  const startHelperFor = async (maxRows: number) => {
    shared = new SharedStep(
      new SharedArrayBuffer(SharedStep.byteLength(numParams, maxRows, numSteps)),
      numParams,
      maxRows,
      numSteps,
    );
    helper = await startHelper(setup, shared, clip, options);
    return { shared, helper };
  };
  // With maxRows known the helper starts (~1 s: a thread, tfjs, the model) before the clock.
  if (options.maxRows) await startHelperFor(options.maxRows);
  const adam = new BookAdam(setup.learningRate);
  const summed = new Float32Array(numParams);
  let lossSum = 0;
  try {
    return await runEpochs(setup, hooks, {
      async step(batch, step) {
        if (!shared || !helper) ({ shared, helper } = await startHelperFor(batch.size));
        if (batch.size > shared.maxRows) {
          throw new Error(`A batch of ${batch.size} rows exceeds the first (${shared.maxRows})`);
        }
        const half = Math.ceil(batch.size / 2);
        shared.writeBatch(batchRows(batch, half, batch.size, numSteps));
        Atomics.store(shared.ctl, CTL.step, step);
        Atomics.notify(shared.ctl, CTL.step);
        const mine = shared.gradSlot(step, 0);
        const lossMine = replicaGradient(
          model,
          batchRows(batch, 0, half, numSteps),
          numSteps,
          bos,
          rng,
          mine,
        );
        shared.losses[shared.lossIndex(step, 0)] = lossMine;
        Atomics.store(shared.ctl, CTL.doneLeader, step);
        Atomics.notify(shared.ctl, CTL.doneLeader);
        waitFor(shared.ctl, CTL.doneHelper, step);
        sumInto(summed, mine, shared.gradSlot(step, 1));
        adam.applyFlat(vars, summed, clip);
        lossSum += lossMine + shared.losses[shared.lossIndex(step, 1)];
      },
      takeEpochLoss() {
        const loss = lossSum;
        lossSum = 0;
        return loss;
      },
    });
  } finally {
    adam.dispose();
    await helper?.stop();
  }
}

/**
 * Blocks this thread until ctl[index] >= target (>=: the other side may already be a step
 * ahead), or throws once the helper has failed. A blocking wait is the simplest and quickest to
 * wake; it lasts one step's imbalance, a few milliseconds. Worker events (the helper's 'exit')
 * cannot be handled meanwhile, so the helper also flags its failure in shared memory.
 */
function waitFor(ctl: Int32Array, index: number, target: number): void {
  const deadline = performance.now() + HELPER_STALL_MS;
  for (;;) {
    const v = Atomics.load(ctl, index);
    if (v >= target) return;
    if (Atomics.load(ctl, CTL.error)) throw new Error('The parallel training helper stopped');
    if (performance.now() > deadline) {
      throw new Error(`The parallel training helper stalled (no step in ${HELPER_STALL_MS} ms)`);
    }
    Atomics.wait(ctl, index, v, 100);
  }
}

/** A helper that takes this long for one half-batch is taken for dead (it crashed hard). */
const HELPER_STALL_MS = 120_000;

interface Helper {
  stop(): Promise<void>;
}

function defaultScript(): { script: string; execArgv: string[] } {
  const js = path.join(__dirname, 'parallelWorker.js');
  if (existsSync(js)) return { script: js, execArgv: [] };
  const ts = path.join(__dirname, 'parallelWorker.ts');
  if (existsSync(ts)) return { script: ts, execArgv: ['--require', 'tsx/cjs'] };
  throw new Error(`parallelWorker.js not found beside ${__dirname}`);
}

function backendChoice(name: string): BackendChoice {
  if (name === 'wasm' || name === 'cpu') return name;
  return name === 'tensorflow' ? 'gpu' : 'auto';
}

async function startHelper(
  setup: TrainSetup,
  shared: SharedStep,
  clip: number,
  options: ParallelOptions,
): Promise<Helper> {
  const found = options.workerScript
    ? {
        script: options.workerScript,
        execArgv:
          options.execArgv ??
          (options.workerScript.endsWith('.ts') ? ['--require', 'tsx/cjs'] : []),
      }
    : defaultScript();
  const worker = new Worker(found.script, { execArgv: options.execArgv ?? found.execArgv });
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    Atomics.store(shared.ctl, CTL.error, 1);
    Atomics.notify(shared.ctl, CTL.doneHelper);
  };
  const exited = new Promise<void>((resolve) =>
    worker.on('exit', (code) => {
      fail(new Error(`The parallel training helper exited (code ${code})`));
      resolve();
    }),
  );
  worker.on('error', (err) => fail(err));
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: HelperMessage) => {
      if (m.type === 'ready') resolve();
      else {
        const err = new Error(`Parallel training helper: ${m.message}`);
        fail(err);
        reject(err);
      }
    });
    worker.on('error', reject);
    worker.on('exit', () => reject(failure));
  });
  const init: HelperInit = {
    type: 'init',
    config: setup.model.config,
    params: setup.model.params.entries().map(([name, v]) => ({
      name,
      shape: v.shape,
      data: Float32Array.from(v.dataSync() as Float32Array),
    })),
    numSteps: setup.numSteps,
    bos: setup.bos,
    learningRate: setup.learningRate,
    clip,
    seed: options.helperSeed ?? HELPER_SEED,
    backend: options.backend ?? backendChoice(tf.getBackend()),
    wasmDir: options.wasmDir,
    buffer: shared.buffer,
    maxRows: shared.maxRows,
    nice: options.helperNice ?? 10,
  };
  worker.postMessage(init);
  try {
    await ready;
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    async stop() {
      Atomics.store(shared.ctl, CTL.step, -1);
      Atomics.notify(shared.ctl, CTL.step);
      const timer = setTimeout(() => void worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}

const HELPER_SEED = 0x5eed;

/**
 * The helper's dropout seed for a run of hyperparameter `seed`: different for every seed (with
 * one fixed value, every two-thread run drew the same helper masks at step k, so runs of
 * different seeds were not independent draws), and 0x5eed for seed 0, so the default run is
 * unchanged (loss 0.03246998148891504).
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
