import { Worker } from 'node:worker_threads';
import type {
  HostToWorker,
  ModelFileReadMessage,
  TranslateRequestMessage,
  TranslateResultMessage,
  TranslationItem,
  WorkerToHost,
} from '../shared/protocol';

/** What answers a request. */
type WorkerAnswer = TranslateResultMessage | ModelFileReadMessage;

export type WorkerListener = (message: WorkerToHost) => void;

/**
 * The host's handle on a training worker thread (no vscode import: tested in plain Node).
 * Sends typed messages, fans incoming ones out to listeners, matches translate answers to their
 * requests, and turns a crash of the thread into an `error` message instead of an exception.
 */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly listeners = new Set<WorkerListener>();
  /** Requests waiting for their answer (translateResult, modelFileRead or error). */
  private readonly pending = new Map<
    number,
    { resolve: (answer: WorkerAnswer) => void; reject: (err: Error) => void }
  >();
  private nextRequest = 1;
  private exited = false;
  readonly exitedPromise: Promise<number>;

  /** `script`: the bundled dist/trainingWorker.js, or the .ts source with `execArgv` for tsx. */
  constructor(script: string, execArgv: string[] = []) {
    this.worker = new Worker(script, { execArgv });
    this.worker.on('message', (m: WorkerToHost) => this.dispatch(m));
    this.worker.on('error', (err) =>
      this.dispatch({
        type: 'error',
        message: `Training worker crashed: ${err.message}`,
        stack: err.stack,
      }),
    );
    this.exitedPromise = new Promise((resolve) =>
      this.worker.on('exit', (code) => {
        this.exited = true;
        for (const p of this.pending.values()) p.reject(new Error('The training worker stopped'));
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  get alive(): boolean {
    return !this.exited;
  }

  onMessage(listener: WorkerListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(message: HostToWorker): void {
    if (this.exited) throw new Error('The training worker has stopped');
    this.worker.postMessage(message);
  }

  async translate(
    request: Omit<TranslateRequestMessage, 'type' | 'requestId'>,
  ): Promise<TranslationItem[]> {
    const answer = await this.request((requestId) => ({
      type: 'translate',
      requestId,
      ...request,
    }));
    if (answer.type !== 'translateResult') throw new Error(`Unexpected answer ${answer.type}`);
    return answer.items;
  }

  /** A model file read and checked in the worker (Open Model…): an error names what is wrong. */
  async readModelFile(file: string): Promise<ModelFileReadMessage> {
    const answer = await this.request((requestId) => ({ type: 'readModelFile', requestId, file }));
    if (answer.type !== 'modelFileRead') throw new Error(`Unexpected answer ${answer.type}`);
    return answer;
  }

  private request(message: (requestId: number) => HostToWorker): Promise<WorkerAnswer> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      try {
        this.send(message(requestId));
      } catch (err) {
        this.pending.delete(requestId);
        reject(err as Error);
      }
    });
  }

  /** Stops the thread at once (tfjs work in progress is abandoned). */
  async terminate(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }

  private dispatch(message: WorkerToHost): void {
    const answers = message.type === 'translateResult' || message.type === 'modelFileRead';
    if (answers || (message.type === 'error' && message.requestId)) {
      const p = this.pending.get(message.requestId!);
      if (p) {
        this.pending.delete(message.requestId!);
        if (message.type === 'error') p.reject(new Error(message.message));
        else p.resolve(message);
        return;
      }
    }
    for (const l of this.listeners) {
      try {
        l(message);
      } catch {
        // A listener's failure must not stop the others (or the worker's message pump).
      }
    }
  }
}
