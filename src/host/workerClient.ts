import { Worker } from 'node:worker_threads';
import { checkHeadReport } from '../shared/headReport';
import type {
  HeadReport,
  HeadsProgress,
  HostToWorker,
  ScoreHeadsMessage,
  TranslateRequestMessage,
  TranslationItem,
  WorkerToHost,
} from '../shared/protocol';

export type WorkerListener = (message: WorkerToHost) => void;

/**
 * The host's handle on a training worker thread (no vscode import: tested in plain Node).
 * Sends typed messages, fans incoming ones out to listeners, matches the answers to translate
 * and scoreHeads requests (and their progress) to their requests, and turns a crash of the thread into an `error` message instead of an exception.
 */
export class WorkerClient {
  private readonly worker: Worker;
  private readonly listeners = new Set<WorkerListener>();
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

  translate(
    request: Omit<TranslateRequestMessage, 'type' | 'requestId'>,
  ): Promise<TranslationItem[]> {
    return this.request((requestId) => ({ type: 'translate', requestId, ...request }), {});
  }

  /**
   * Scores every head (src/explore/headReport.ts) in the worker. `onProgress` hears how far it
   * got; aborting `signal` asks the worker to stop at its next head, and the promise rejects.
   */
  scoreHeads(
    request: Omit<ScoreHeadsMessage, 'type' | 'requestId'>,
    options: { onProgress?: (p: HeadsProgress) => void; signal?: AbortSignal } = {},
  ): Promise<HeadReport> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new Error('Head scoring was cancelled'));
    let requestId = 0;
    const cancel = () => this.exited || this.send({ type: 'cancelScoreHeads', requestId });
    signal?.addEventListener('abort', cancel, { once: true });
    return this.request<HeadReport>(
      (id) => ({ type: 'scoreHeads', requestId: (requestId = id), ...request }),
      { onProgress: options.onProgress },
    ).finally(() => signal?.removeEventListener('abort', cancel));
  }

  /** Sends the request `make(requestId)` builds; settles with its answer, or the worker's error. */
  private request<T>(
    make: (requestId: number) => HostToWorker,
    extra: Pick<Pending, 'onProgress'>,
  ): Promise<T> {
    const requestId = this.nextRequest++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject, ...extra });
      try {
        this.send(make(requestId));
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
    if (this.answer(message)) return;
    for (const l of this.listeners) {
      try {
        l(message);
      } catch {
        // A listener's failure must not stop the others (or the worker's message pump).
      }
    }
  }

  /** Settles (or reports the progress of) the request `message` answers; false if none. */
  private answer(message: WorkerToHost): boolean {
    const id = 'requestId' in message ? message.requestId : undefined;
    const p = id !== undefined ? this.pending.get(id) : undefined;
    if (id === undefined || !p) return false;
    if (message.type === 'headsProgress') {
      p.onProgress?.(message.progress);
      return true;
    }
    this.pending.delete(id);
    if (message.type === 'translateResult') p.resolve(message.items);
    else if (message.type === 'error') p.reject(new Error(message.message));
    else if (message.type === 'headsResult') {
      // The worker is ours, but a report goes on into run.json: the same check as reading it.
      const checked = checkHeadReport(message.report);
      if (checked.ok) p.resolve(checked.report);
      else p.reject(new Error(`The worker's head report is malformed (${checked.error})`));
    }
    return true;
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onProgress?: (p: HeadsProgress) => void;
}
