/**
 * What the worker's long requests (scoreHeads, scoreHeldOut) share: the host may cancel them by
 * their requestId (cancelLongRequest), and they post their progress at most a few times a second.
 */

/** The requests in progress that a cancelLongRequest can stop, by requestId. */
export class CancellableRequests {
  private readonly running = new Map<number, { controller: AbortController; what: string }>();

  /** Runs `work` with a signal that cancel(requestId) aborts ("<what> was cancelled"). */
  async run<T>(
    requestId: number,
    what: string,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    this.running.set(requestId, { controller, what });
    try {
      return await work(controller.signal);
    } finally {
      this.running.delete(requestId);
    }
  }

  cancel(requestId: number): void {
    const r = this.running.get(requestId);
    r?.controller.abort(new Error(`${r.what} was cancelled`));
  }
}

/** Progress is posted at most this often: plenty for a notification, cheap for the thread. */
export const PROGRESS_MS = 200;

/**
 * `post` called at most every `ms`, except for the last unit (done = total), which always goes:
 * the host sees where it ended.
 */
export function throttledProgress<P extends { done: number; total: number }>(
  post: (progress: P) => void,
  ms = PROGRESS_MS,
): (progress: P) => void {
  let last = 0;
  return (progress) => {
    const now = performance.now();
    if (now - last < ms && progress.done < progress.total) return;
    last = now;
    post(progress);
  };
}
