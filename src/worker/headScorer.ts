/**
 * Answers scoreHeads requests in the worker: loads the checkpoint (shared with the translator),
 * reads the held-out pairs after its training pairs, and scores every head, posting progress
 * after each head and stopping at the next one when `signal` aborts (a cancelLongRequest).
 */
import { readCorpusFile } from '../data/corpus';
import { headReport } from '../explore/headReport';
import type { HeadReport, ScoreHeadsMessage, WorkerToHost } from '../shared/protocol';
import { throttledProgress } from './longRequests';
import type { Translator } from './translator';

export async function scoreHeads(
  translator: Translator,
  msg: ScoreHeadsMessage,
  signal: AbortSignal,
  post: (message: WorkerToHost) => void,
): Promise<HeadReport> {
  const ck = await translator.model(msg);
  const text = readCorpusFile(msg.corpusPath);
  return headReport(ck, text, {
    count: msg.count,
    positionMode: msg.positionMode,
    signal,
    onProgress: throttledProgress((progress) =>
      post({ type: 'headsProgress', requestId: msg.requestId, progress }),
    ),
  });
}
