/**
 * Answers scoreHeldOut requests in the worker: a model's held-out BLEU computed as a training
 * run computes it when it ends (evaluateRange's translations and scores over the `count` pairs
 * after the model's numExamples training pairs), for a run that lacks it. It yields between
 * sentences, so a cancelLongRequest stops it; progress goes out a few times a second.
 */
import { readCorpusFile } from '../data/corpus';
import { firstUnusedLine } from '../data/tokenize';
import { evaluateRangeAsync } from '../decode/evaluate';
import type { HeldOutScore, ScoreHeldOutMessage, WorkerToHost } from '../shared/protocol';
import { throttledProgress } from './longRequests';
import type { Translator } from './translator';

export async function scoreHeldOut(
  translator: Translator,
  msg: ScoreHeldOutMessage,
  signal: AbortSignal,
  post: (message: WorkerToHost) => void,
): Promise<HeldOutScore> {
  const ck = await translator.model(msg);
  const h = ck.hyperparameters;
  const rawText = readCorpusFile(msg.corpusPath);
  const progress = throttledProgress((p: { done: number; total: number }) =>
    post({ type: 'heldOutProgress', requestId: msg.requestId, ...p }),
  );
  const score = await evaluateRangeAsync(
    {
      model: ck.model,
      srcVocab: ck.srcVocab,
      tgtVocab: ck.tgtVocab,
      rawText,
      from: firstUnusedLine(h.numExamples),
      count: msg.count,
      numSteps: h.numSteps,
      positionMode: msg.positionMode,
    },
    { signal, onProgress: (done, total) => progress({ done, total }) },
  );
  if (score.count === 0) {
    throw new RangeError(
      `no held-out pairs: the corpus ends before line ${firstUnusedLine(h.numExamples) + 1}`,
    );
  }
  return score;
}
