/**
 * The helper thread of `trainParallel` (src/train/parallel.ts): builds the leader's replica from
 * the shared values, then for every step computes the gradient of its half of the batch, meets
 * the leader's gradient in the shared buffer, updates its share of the values and, once the
 * leader has updated the other share, loads them all. It blocks in Atomics.wait
 * between steps: it has nothing else to do.
 */
import * as os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../backend/backend';
import { Transformer } from '../model/transformer';
import { Rng } from '../util/rng';
import { tf } from '../model/tf';
import { CTL, HelperInit, HelperMessage, SharedStep } from './parallelProtocol';
import { replicaGradient, updateReplica } from './parallelStep';
import { SplitAdam, assignFlat, shareOf } from './splitAdam';
import { threadMemory, writeThreadMemory } from './threadMemory';

if (!parentPort) throw new Error('parallelWorker must run as a worker thread');
const port = parentPort;

function post(m: HelperMessage): void {
  port.postMessage(m);
}

/**
 * Blocks until ctl[index] differs from `value` (`atLeast`: until it is >= `value`; the leader
 * may already have moved on to the next step by the time this thread looks).
 */
function waitUntil(ctl: Int32Array, index: number, value: number, atLeast: boolean): number {
  for (;;) {
    const v = Atomics.load(ctl, index);
    if (atLeast ? v >= value : v !== value) return v;
    Atomics.wait(ctl, index, v, 1000);
  }
}

async function run(init: HelperInit): Promise<void> {
  lowerPriority(init.nice);
  await selectBackend(init.backend, { wasmDir: init.wasmDir });
  const model = new Transformer(init.config);
  const vars = model.params.variables();
  const numParams = vars.reduce((n, v) => n + v.size, 0);
  const shared = new SharedStep(init.buffer, numParams, init.maxRows, init.numSteps);
  tf.tidy(() => assignFlat(vars, shared.values)); // the leader's parameters
  const adam = new SplitAdam(init.learningRate, shareOf(numParams, 1));
  const rng = new Rng(init.seed);
  const wait = (index: number, target: number) => waitUntil(shared.ctl, index, target, true);
  post({ type: 'ready' });
  let last = 0;
  for (;;) {
    const step = waitUntil(shared.ctl, CTL.step, last, false);
    if (step < 0) break;
    last = step;
    const batch = shared.readBatch();
    const { numSteps, bos } = init;
    shared.losses[1] = replicaGradient(model, batch, numSteps, bos, rng, shared.gradSlot(1));
    Atomics.store(shared.ctl, CTL.doneHelper, step);
    Atomics.notify(shared.ctl, CTL.doneHelper);
    wait(CTL.doneLeader, step);
    updateReplica(shared, adam, vars, 1, step, init.clip, wait);
    writeThreadMemory(threadMemory(), shared.helperMemory);
  }
  model.dispose();
}

/** os.setPriority without a pid sets this thread's nice value on Linux; best effort elsewhere. */
function lowerPriority(nice: number): void {
  try {
    os.setPriority(nice);
  } catch {
    // Not permitted or not supported: train at the default priority.
  }
}

function ctlOf(init: HelperInit): Int32Array {
  return new Int32Array(init.buffer, 0, CTL.size);
}

port.once('message', (init: HelperInit) => {
  run(init)
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      Atomics.store(ctlOf(init), CTL.error, 1);
      Atomics.notify(ctlOf(init), CTL.doneHelper);
      post(
        err instanceof Error
          ? { type: 'error', message: err.message, stack: err.stack }
          : { type: 'error', message: String(err) },
      );
      process.exit(1);
    });
});
