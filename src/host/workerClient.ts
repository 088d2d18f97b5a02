import { Worker } from 'node:worker_threads';
import { checkHeadReport } from '../shared/headReport';
import type {
  HeadReport,
  HeadsProgress,
  HeldOutScore,
  HostToWorker,
  RequestProgressMessage,
  ScoreHeadsMessage,
  ScoreHeldOutMessage,
  ModelFileReadMessage,
  TranslateRequestMessage,
  TranslationItem,
  WorkerReplies,
  WorkerReply,
  WorkerRequest,
  WorkerToHost,
} from '../shared/protocol';

/** A request as the caller writes it: the client numbers it. */
type Unnumbered<R> = R extends WorkerRequest ? Omit<R, 'requestId'> : never;

/** Reply type -> the request type it answers (a reply of another type is an error). */
const REPLY_OF: Readonly<Record<WorkerReply['type'], WorkerRequest['type']>> = {
  translateResult: 'translate',
  modelFileRead: 'readModelFile',
  maskedTranslateResult: 'maskedTranslate',
  headWalkthroughResult: 'headWalkthrough',
  headsResult: 'scoreHeads',
  heldOutResult: 'scoreHeldOut',
};

/** Where a long request's progress goes, and the signal that cancels it. */
export interface LongRequestOptions<P> {
  onProgress?: (p: P) => void;
  signal?: AbortSignal;
}

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
    {
      type: WorkerRequest['type'];
      resolve: (reply: WorkerReply) => void;
      reject: (err: Error) => void;
      /** scoreHeads, scoreHeldOut: hears its progress messages. */
      onProgress?: (m: RequestProgressMessage) => void;
    }
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
    return (await this.request({ type: 'translate', ...request })).items;
  }

  /** A model file read and checked in the worker (Open Model…): an error names what is wrong. */
  readModelFile(file: string): Promise<ModelFileReadMessage> {
    return this.request({ type: 'readModelFile', file });
  }

  /**
   * Scores every head (src/explore/headReport.ts) in the worker. `onProgress` hears how far it
   * got; aborting `signal` asks the worker to stop at its next head, and the promise rejects.
   */
  async scoreHeads(
    request: Omit<ScoreHeadsMessage, 'type' | 'requestId'>,
    options: LongRequestOptions<HeadsProgress> = {},
  ): Promise<HeadReport> {
    const { onProgress } = options;
    const reply = await this.longRequest<'scoreHeads'>(
      { type: 'scoreHeads', ...request },
      options.signal,
      (m) => {
        if (m.type === 'headsProgress') onProgress?.(m.progress);
      },
    );
    // The worker is ours, but the report goes on into run.json: the check that reads it back.
    const checked = checkHeadReport(reply.report);
    if (!checked.ok) throw new Error(`The worker's head report is malformed (${checked.error})`);
    return checked.report;
  }

  /**
   * A model's held-out BLEU (src/decode/evaluate.ts) computed in the worker; `onProgress` hears
   * the pairs translated, aborting `signal` stops it at its next sentence (the promise rejects).
   */
  async scoreHeldOut(
    request: Omit<ScoreHeldOutMessage, 'type' | 'requestId'>,
    options: LongRequestOptions<{ done: number; total: number }> = {},
  ): Promise<HeldOutScore> {
    const { onProgress } = options;
    const reply = await this.longRequest<'scoreHeldOut'>(
      { type: 'scoreHeldOut', ...request },
      options.signal,
      (m) => {
        if (m.type === 'heldOutProgress') onProgress?.({ done: m.done, total: m.total });
      },
    );
    return reply.heldOut;
  }

  /** A request the worker answers after a while, with progress; `signal` cancels it there. */
  private async longRequest<T extends 'scoreHeads' | 'scoreHeldOut'>(
    request: Unnumbered<Extract<WorkerRequest, { type: T }>>,
    signal: AbortSignal | undefined,
    onProgress: (m: RequestProgressMessage) => void,
  ): Promise<WorkerReplies[T]> {
    signal?.throwIfAborted();
    const requestId = this.nextRequest; // the id request() gives it
    const cancel = () =>
      this.exited || this.send({ type: 'cancelLongRequest', cancels: requestId });
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await this.request(request, onProgress);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** Sends a request and resolves with its reply (rejects with the worker's error for it). */
  request<R extends Unnumbered<WorkerRequest>>(
    request: R,
    onProgress?: (m: RequestProgressMessage) => void,
  ): Promise<WorkerReplies[R['type']]> {
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      const settle = (reply: WorkerReply) => resolve(reply as WorkerReplies[R['type']]);
      this.pending.set(requestId, { type: request.type, resolve: settle, reject, onProgress });
      try {
        this.send({ ...request, requestId } as WorkerRequest);
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
    if (message.type === 'headsProgress' || message.type === 'heldOutProgress') {
      this.pending.get(message.requestId)?.onProgress?.(message);
      return;
    }
    const isReply = Object.hasOwn(REPLY_OF, message.type);
    if (isReply || (message.type === 'error' && message.requestId)) {
      const requestId = (message as { requestId: number }).requestId;
      const p = this.pending.get(requestId);
      if (p) {
        this.pending.delete(requestId);
        if (message.type === 'error') p.reject(new Error(message.message));
        else if (REPLY_OF[(message as WorkerReply).type] !== p.type) {
          p.reject(new Error(`The worker answered a ${p.type} request with ${message.type}`));
        } else p.resolve(message as WorkerReply);
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
