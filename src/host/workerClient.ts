import { Worker } from 'node:worker_threads';
import { checkHeadReport } from '../shared/headReport';
import type {
  HeadReport,
  HeadsProgress,
  HeadsResultMessage,
  HostToWorker,
  ModelFileReadMessage,
  ScoreHeadsMessage,
  TranslateRequestMessage,
  TranslateResultMessage,
  TranslationItem,
  WorkerToHost,
} from '../shared/protocol';

/** What answers a request. */
type WorkerAnswer = TranslateResultMessage | ModelFileReadMessage | HeadsResultMessage;

/** A request waiting for its answer; scoreHeads also hears its headsProgress. */
interface Pending {
  resolve: (answer: WorkerAnswer) => void;
  reject: (err: Error) => void;
  onProgress?: (p: HeadsProgress) => void;
}

export type WorkerListener = (message: WorkerToHost) => void;

/**
 * The host's handle on a training worker thread (no vscode import: tested in plain Node).
 * Sends typed messages, fans incoming ones out to listeners, matches the answers to translate,
 * readModelFile and scoreHeads requests (and scoreHeads' progress) to their requests, and turns a crash of the thread into an `error` message instead of an exception.
 */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly listeners = new Set<WorkerListener>();
  /** Requests waiting for their answer (translateResult, modelFileRead, headsResult or error). */
  private readonly pending = new Map<number, Pending>();
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

  /**
   * Scores every head (src/explore/headReport.ts) in the worker. `onProgress` hears how far it
   * got; aborting `signal` asks the worker to stop at its next head, and the promise rejects.
   */
  async scoreHeads(
    request: Omit<ScoreHeadsMessage, 'type' | 'requestId'>,
    options: { onProgress?: (p: HeadsProgress) => void; signal?: AbortSignal } = {},
  ): Promise<HeadReport> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    let requestId = 0;
    const cancel = () => this.exited || this.send({ type: 'cancelScoreHeads', requestId });
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const answer = await this.request(
        (id) => ({ type: 'scoreHeads', requestId: (requestId = id), ...request }),
        onProgress,
      );
      if (answer.type !== 'headsResult') throw new Error(`Unexpected answer ${answer.type}`);
      // The worker is ours, but the report goes on into run.json: the check that reads it back.
      const checked = checkHeadReport(answer.report);
      if (!checked.ok) throw new Error(`The worker's head report is malformed (${checked.error})`);
      return checked.report;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  private request(
    message: (requestId: number) => HostToWorker,
    onProgress?: (p: HeadsProgress) => void,
  ): Promise<WorkerAnswer> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject, onProgress });
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
    if (message.type === 'headsProgress') {
      this.pending.get(message.requestId)?.onProgress?.(message.progress);
      return;
    }
    const answers =
      message.type === 'translateResult' ||
      message.type === 'modelFileRead' ||
      message.type === 'headsResult';
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
