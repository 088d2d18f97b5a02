/**
 * Answers scoreHeads requests in the worker: loads the checkpoint (shared with the translator),
 * reads the held-out pairs after its training pairs, and scores every head, posting progress
 * after each head and stopping at the next one when the host cancels.
 */
import { readCorpusFile } from '../data/corpus';
import { headReport } from '../explore/headReport';
import type { HeadReport, ScoreHeadsMessage, WorkerToHost } from '../shared/protocol';
import type { Translator } from './translator';

/** Progress is posted at most this often: ~100 heads × a few hundred ms each is plenty. */
const PROGRESS_MS = 200;

export class HeadScorer {
  /** The scoreHeads requests in progress, by requestId. */
  private readonly running = new Map<number, AbortController>();

  constructor(
    private readonly translator: Translator,
    private readonly post: (message: WorkerToHost) => void,
  ) {}

  async score(msg: ScoreHeadsMessage): Promise<HeadReport> {
    const controller = new AbortController();
    this.running.set(msg.requestId, controller);
    let last = 0;
    try {
      const ck = await this.translator.model(msg);
      const text = readCorpusFile(msg.corpusPath);
      return await headReport(ck, text, {
        count: msg.count,
        positionMode: msg.positionMode,
        signal: controller.signal,
        onProgress: (progress) => {
          const now = performance.now();
          if (now - last < PROGRESS_MS && progress.done < progress.total) return;
          last = now;
          this.post({ type: 'headsProgress', requestId: msg.requestId, progress });
        },
      });
    } finally {
      this.running.delete(msg.requestId);
    }
  }

  cancel(requestId: number): void {
    this.running.get(requestId)?.abort(new Error('Head scoring was cancelled'));
  }
}
