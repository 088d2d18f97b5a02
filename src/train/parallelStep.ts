/**
 * One data-parallel step, done the same way in both threads: cut the batch into rows, compute
 * one replica's gradient, meet the other's, update this thread's share of the parameters and
 * load them all.
 */
import { tf } from '../model/tf';
import { Transformer } from '../model/transformer';
import { TrainBatch, batchTensors } from './batch';
import { readFlat } from './adam';
import { SplitAdam, assignFlat } from './splitAdam';
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

/**
 * The leader's share of step `step`: hands the second half of `batch` to the helper, computes
 * the first half's gradient here and waits for the helper's. Returns the whole batch's summed
 * loss. Both gradients are then in the shared buffer: see `updateReplica`.
 */
export function leaderStep(
  setup: Pick<TrainSetup, 'model' | 'numSteps' | 'bos' | 'rng'>,
  shared: SharedStep,
  batch: TrainBatch,
  step: number,
): number {
  const { model, numSteps, bos, rng } = setup;
  if (batch.size > shared.maxRows) {
    throw new Error(`A batch of ${batch.size} rows exceeds the first (${shared.maxRows})`);
  }
  const half = Math.ceil(batch.size / 2);
  shared.writeBatch(batchRows(batch, half, batch.size, numSteps));
  Atomics.store(shared.ctl, CTL.step, step);
  Atomics.notify(shared.ctl, CTL.step);
  const rows = batchRows(batch, 0, half, numSteps);
  shared.losses[0] = replicaGradient(model, rows, numSteps, bos, rng, shared.gradSlot(0));
  Atomics.store(shared.ctl, CTL.doneLeader, step);
  Atomics.notify(shared.ctl, CTL.doneLeader);
  waitFor(shared.ctl, CTL.doneHelper, step);
  return shared.losses[0] + shared.losses[1];
}

/**
 * Either thread, once both gradients of step `step` are in the shared buffer: this thread's
 * share of the clipped Adam update (SplitAdam), then, once the other thread's share is written
 * too, every variable of this replica from the shared values. `wait(index, step)` blocks until
 * ctl[index] >= step (the leader's wait also notices a failed helper).
 */
export function updateReplica(
  shared: SharedStep,
  adam: SplitAdam,
  vars: readonly tf.Variable[],
  replica: 0 | 1,
  step: number,
  clip: number,
  wait: (index: number, target: number) => void,
): void {
  adam.update(shared.values, shared.gradSlot(0), shared.gradSlot(1), clip);
  const [mine, theirs] =
    replica === 0 ? [CTL.updatedLeader, CTL.updatedHelper] : [CTL.updatedHelper, CTL.updatedLeader];
  Atomics.store(shared.ctl, mine, step);
  Atomics.notify(shared.ctl, mine);
  wait(theirs, step);
  tf.tidy(() => assignFlat(vars, shared.values));
}

/**
 * Blocks this thread until ctl[index] >= target (>=: the other side may already be a step
 * ahead), or throws once the helper has failed. A blocking wait is the simplest and quickest to
 * wake; it lasts one step's imbalance, a few milliseconds. Worker events (the helper's 'exit')
 * cannot be handled meanwhile, so the helper also flags its failure in shared memory.
 */
export function waitFor(ctl: Int32Array, index: number, target: number): void {
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
