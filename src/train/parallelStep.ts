/**
 * The gradient arithmetic of one data-parallel step, done the same way in both threads: cut the
 * batch into rows, compute one replica's gradient, and sum the two replicas' gradients.
 */
import { tf } from '../model/tf';
import { Transformer } from '../model/transformer';
import { TrainBatch, batchTensors } from './batch';
import { readFlat } from './adam';
import { tapeGradients } from './trainStep';
import type { TrainSetup } from './loopTypes';
import { CTL, SharedStep } from './parallelProtocol';

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

/**
 * The leader's share of step `step`: hands the second half of `batch` to the helper, computes
 * the first half's gradient here, waits for the helper's, and writes their sum to `summed`.
 * Returns the whole batch's summed loss. The caller applies the update, exactly as the helper
 * does with the same sum.
 */
export function leaderStep(
  setup: Pick<TrainSetup, 'model' | 'numSteps' | 'bos' | 'rng'>,
  shared: SharedStep,
  batch: TrainBatch,
  step: number,
  summed: Float32Array,
): number {
  const { model, numSteps, bos, rng } = setup;
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
  return lossMine + shared.losses[shared.lossIndex(step, 1)];
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
