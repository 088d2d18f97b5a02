/**
 * The leader's handle on the helper thread of `trainParallel`: finding its script, starting it
 * with a copy of the leader's replica, noticing when it fails, and stopping it.
 */
import * as path from 'node:path';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { tf } from '../model/tf';
import type { BackendChoice } from '../backend/backend';
import type { TrainSetup } from './loopTypes';
import type { ParallelOptions } from './parallel';
import { CTL, HelperInit, HelperMessage, SharedStep } from './parallelProtocol';

/** The helper's dropout seed when the caller names none. */
export const HELPER_SEED = 0x5eed;

export interface Helper {
  stop(): Promise<void>;
}

/**
 * Starts the helper (its replica is built from `shared.values`, which hold the leader's
 * parameters) and waits until it is ready to take steps.
 */
export async function startHelper(
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
  const { ready, exited } = watchHelper(worker, shared);
  worker.postMessage(helperInit(setup, shared, clip, options));
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

/**
 * Listens to the helper: `ready` settles with its first reply, `exited` once it has exited. Any
 * failure is also flagged in shared memory, where the leader's blocking wait can see it.
 */
function watchHelper(
  worker: Worker,
  shared: SharedStep,
): { ready: Promise<void>; exited: Promise<void> } {
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    Atomics.store(shared.ctl, CTL.error, 1);
    Atomics.notify(shared.ctl, CTL.doneHelper);
  };
  // Registered before `ready`'s own 'exit' listener, so `failure` is set when that one rejects.
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
  return { ready, exited };
}

/** The helper's first message: the model's shape, the step's constants and the buffer. */
function helperInit(
  setup: TrainSetup,
  shared: SharedStep,
  clip: number,
  options: ParallelOptions,
): HelperInit {
  return {
    type: 'init',
    config: setup.model.config,
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
