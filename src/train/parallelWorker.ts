/**
 * The helper thread of `trainParallel` (src/train/parallel.ts): rebuilds the leader's replica,
 * then for every step computes the gradient of its half of the batch, meets the leader's
 * gradient in the shared buffer and applies the same Adam update. It blocks in Atomics.wait
 * between steps: it has nothing else to do.
 */
import * as os from 'node:os';
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../backend/backend';
import { Transformer } from '../model/transformer';
import { Rng } from '../util/rng';
import { BookAdam } from './adam';
import { CTL, HelperInit, HelperMessage, SharedStep } from './parallelProtocol';
import { replicaGradient, sumInto } from './parallelStep';
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
  model.params.load(
    Object.fromEntries(init.params.map((p) => [p.name, { shape: p.shape, data: p.data }])),
  );
  const vars = model.params.variables();
  const numParams = vars.reduce((n, v) => n + v.size, 0);
  const shared = new SharedStep(init.buffer, numParams, init.maxRows, init.numSteps);
  const adam = new BookAdam(init.learningRate);
  const rng = new Rng(init.seed);
  const summed = new Float32Array(numParams);
  post({ type: 'ready' });
  let last = 0;
  for (;;) {
    const step = waitUntil(shared.ctl, CTL.step, last, false);
    if (step < 0) break;
    last = step;
    const mine = shared.gradSlot(step, 1);
    shared.losses[shared.lossIndex(step, 1)] = replicaGradient(
      model,
      shared.readBatch(),
      init.numSteps,
      init.bos,
      rng,
      mine,
    );
    Atomics.store(shared.ctl, CTL.doneHelper, step);
    Atomics.notify(shared.ctl, CTL.doneHelper);
    waitUntil(shared.ctl, CTL.doneLeader, step, true);
    sumInto(summed, shared.gradSlot(step, 0), mine);
    adam.applyFlat(vars, summed, init.clip);
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
