/**
 * The training worker: a worker_threads thread of the extension host (or of the CLI/bench) that
 * owns TensorFlow.js. The host never loads tfjs, so training never blocks its event loop and the
 * wasm backend's process-wide handlers never reach it. Messages: src/shared/protocol.ts.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { checkpointOfImported } from '../interop/checkpointModel';
import { readModelFile } from '../interop/files';
import type { HostToWorker, WorkerToHost } from '../shared/protocol';
import { maskedResult, walkthroughResult } from './exploreRequests';
import { runTraining } from './runTraining';
import { scoreHeads } from './headScorer';
import { scoreHeldOut } from './heldOutScorer';
import { CancellableRequests } from './longRequests';
import { Translator } from './translator';

if (!parentPort) throw new Error('trainingWorker.ts must run as a worker thread');
// A lower priority for this thread (Linux applies it per thread): when the extension host's own
// thread wakes up it runs at once, so training never makes the editor feel slow.
try {
  setPriority(10);
} catch {
  // not permitted here: training still works at normal priority
}
const port = parentPort;

function post(message: WorkerToHost): void {
  port.postMessage(message);
}

let training: AbortController | null = null;
const translator = new Translator();
/** scoreHeads and scoreHeldOut requests in progress (a cancelLongRequest stops one). */
const long = new CancellableRequests();

type Handler<T extends HostToWorker['type']> = (
  message: Extract<HostToWorker, { type: T }>,
) => void;

function startTraining(message: Extract<HostToWorker, { type: 'startTraining' }>): void {
  if (training) {
    post({ type: 'error', message: 'A training run is already in progress in this worker' });
    return;
  }
  const controller = new AbortController();
  training = controller;
  runTraining(message, post, controller.signal)
    .catch((err: unknown) => post(errorMessage(err)))
    .finally(() => {
      training = null;
    });
}

/** Reads a model file and posts it as a checkpoint, its bytes moved, not copied. */
function readModel(message: Extract<HostToWorker, { type: 'readModelFile' }>): void {
  readModelFile(message.file)
    .then((model) => {
      const { contents, bytes } = checkpointOfImported(model, { importedFrom: message.file });
      const { requestId } = message;
      const read: WorkerToHost = {
        type: 'modelFileRead',
        requestId,
        format: model.format,
        contents,
        bytes,
      };
      port.postMessage(read, [bytes.buffer as ArrayBuffer]); // moved, not copied
    })
    .catch((err: unknown) => post({ ...errorMessage(err), requestId: message.requestId }));
}

/** One handler per message type: a type missing here fails to compile. */
const HANDLERS: { [T in HostToWorker['type']]: Handler<T> } = {
  startTraining,
  cancelTraining: () => training?.abort(),
  translate: (message) =>
    answer(message.requestId, async () => ({
      type: 'translateResult',
      requestId: message.requestId,
      items: await translator.translate(message),
    })),
  maskedTranslate: (message) =>
    answer(message.requestId, async () => ({
      type: 'maskedTranslateResult',
      requestId: message.requestId,
      result: maskedResult(await translator.model(message), message),
    })),
  headWalkthrough: (message) =>
    answer(message.requestId, async () => ({
      type: 'headWalkthroughResult',
      requestId: message.requestId,
      walkthrough: walkthroughResult(await translator.model(message), message),
    })),
  scoreHeads: (message) =>
    answer(message.requestId, async () => ({
      type: 'headsResult',
      requestId: message.requestId,
      report: await long.run(message.requestId, 'Head scoring', (signal) =>
        scoreHeads(translator, message, signal, post),
      ),
    })),
  scoreHeldOut: (message) =>
    answer(message.requestId, async () => ({
      type: 'heldOutResult',
      requestId: message.requestId,
      heldOut: await long.run(message.requestId, 'Held-out scoring', (signal) =>
        scoreHeldOut(translator, message, signal, post),
      ),
    })),
  cancelLongRequest: (message) => long.cancel(message.cancels),
  readModelFile: readModel,
};

port.on('message', (message: HostToWorker) => {
  // Own keys only: a type that is not ours (or is "toString") is answered with an error.
  if (!Object.hasOwn(HANDLERS, message.type)) {
    post({ type: 'error', message: `Unknown message ${JSON.stringify(message).slice(0, 80)}` });
    return;
  }
  // TypeScript cannot pair a union's member with its handler: the table's type does.
  (HANDLERS[message.type] as Handler<HostToWorker['type']>)(message);
});

/** Posts the reply `reply` builds, or its failure as an error with the request's id. */
function answer(requestId: number, reply: () => Promise<WorkerToHost>): void {
  reply()
    .then(post)
    .catch((err: unknown) => post({ ...errorMessage(err), requestId }));
}

function errorMessage(err: unknown): WorkerToHost & { type: 'error' } {
  return err instanceof Error
    ? { type: 'error', message: err.message, stack: err.stack }
    : { type: 'error', message: String(err) };
}
