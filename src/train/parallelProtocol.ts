/**
 * What the two threads of `trainParallel` (src/train/parallel.ts) agree on: the helper's first
 * message, its replies, and the layout of the shared buffer where batches, gradients and losses
 * meet. The leader (parallelHelper.ts) and the helper (parallelWorker.ts) both build their views
 * from this one file, so the layout cannot drift between them.
 */
import type { ModelConfig } from '../model/config';
import type { BackendChoice } from '../backend/backend';
import type { TrainBatch } from './batch';
import { THREAD_MEMORY_FIELDS } from './threadMemory';

/**
 * What the helper gets first: the model's configuration and the shared buffer, whose `values`
 * hold the leader's parameters (the replica is built from them: nothing is copied).
 */
export interface HelperInit {
  type: 'init';
  config: ModelConfig;
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
  /** Last step whose share of the parameter update the helper has written to `values`. */
  updatedHelper: 5,
  /** Last step whose share of the parameter update the leader has written to `values`. */
  updatedLeader: 6,
  size: 8,
} as const;

const MEMORY_SLOTS = THREAD_MEMORY_FIELDS.length;

/**
 * Views on the shared buffer, laid out identically in both threads. A step has two meeting
 * points: the gradients (doneLeader/doneHelper) and the updated values (updatedLeader/
 * updatedHelper). Neither thread starts its next step before both have written their share of
 * the update, and that is after both have read both gradients and losses: so one gradient slot
 * and one loss per replica suffice, and `values` is never written while the other thread reads it.
 */
export class SharedStep {
  readonly ctl: Int32Array;
  readonly src: Int32Array;
  readonly srcValidLen: Int32Array;
  readonly tgt: Int32Array;
  readonly tgtValidLen: Int32Array;
  /** Gradients [replica] of numParams floats each. */
  private readonly grads: Float32Array;
  /** Every parameter's master value, end to end in variable order (see SplitAdam). */
  readonly values: Float32Array;
  /** Summed losses [replica] of this step's rows. */
  readonly losses: Float64Array;
  /** The helper's ThreadMemory after its last step (threadMemory.ts), for the bench. */
  readonly helperMemory: Float64Array;

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
    this.losses = new Float64Array(buffer, offset, 2);
    offset += 8 * 2;
    this.helperMemory = new Float64Array(buffer, offset, MEMORY_SLOTS);
    offset += 8 * MEMORY_SLOTS;
    this.grads = new Float32Array(buffer, offset, 2 * numParams);
    offset += 4 * 2 * numParams;
    this.values = new Float32Array(buffer, offset, numParams);
  }

  static byteLength(numParams: number, maxRows: number, numSteps: number): number {
    const ints = CTL.size + 2 * maxRows * numSteps + 2 * maxRows;
    return Math.ceil((4 * ints) / 8) * 8 + 8 * (2 + MEMORY_SLOTS) + 4 * 3 * numParams;
  }

  gradSlot(replica: 0 | 1): Float32Array {
    return this.grads.subarray(replica * this.numParams, (replica + 1) * this.numParams);
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
