/**
 * A model's held-out BLEU: corpus pairs greedy-translated one by one and scored against their
 * references (the book's mean BLEU-2 and corpus BLEU-4). Training runs score the pairs after
 * their training pairs when they end (evaluateRange); the extension's worker scores a run later
 * (an imported model, a run that lacks it) with evaluateRangeAsync, which the host can cancel.
 */
import { preprocessLineRange } from '../data/lines';
import { tokenizeNmt } from '../data/tokenize';
import { Vocab } from '../data/vocab';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import type { HeldOutScore } from '../shared/payloads';
import { bleu, corpusBleu } from './bleu';
import { greedyTranslate } from './greedy';

/** Sentences translated so far and how many there are: (0, total) first, then after each. */
export type EvaluationProgress = (done: number, total: number) => void;

/** The model and the pairs: lines `from … from+count-1` (0-based) of the raw corpus text. */
export interface EvaluationTarget {
  model: Transformer;
  srcVocab: Vocab;
  tgtVocab: Vocab;
  rawText: string;
  from: number;
  count: number;
  numSteps: number;
  positionMode: PositionMode;
}

/** The pairs, one translation per `step(i)`, and the scores of those done. */
function evaluation(t: EvaluationTarget) {
  const { source, target } = tokenizeNmt(preprocessLineRange(t.rawText, t.from, t.count));
  const preds: string[][] = [];
  let sum = 0;
  const options = { numSteps: t.numSteps, positionMode: t.positionMode };
  return {
    total: source.length,
    step(i: number): void {
      const g = greedyTranslate(t.model, t.srcVocab, t.tgtVocab, source[i].join(' '), options);
      preds.push(g.tokens);
      sum += bleu(g.translation, target[i].join(' '), 2);
    },
    result: (): HeldOutScore => ({
      count: source.length,
      meanBleu2: source.length ? sum / source.length : 0,
      corpusBleu4: corpusBleu(preds, target),
    }),
  };
}

/**
 * Greedy-translates pairs from lines `from … from+count-1` (0-based; pairs from+1 … from+count of
 * the file) of the raw corpus text and scores them against their references. `onProgress` is
 * called synchronously (the loop does not yield): keep it cheap, throttle what costs.
 */
export function evaluateRange(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  rawText: string,
  from: number,
  count: number,
  numSteps: number,
  positionMode: PositionMode = 'correct',
  onProgress?: EvaluationProgress,
): HeldOutScore {
  const e = evaluation({ model, srcVocab, tgtVocab, rawText, from, count, numSteps, positionMode });
  onProgress?.(0, e.total);
  for (let i = 0; i < e.total; i++) {
    e.step(i);
    onProgress?.(i + 1, e.total);
  }
  return e.result();
}

/** How long evaluateRangeAsync translates before it lets a worker's messages in (a cancel). */
const YIELD_MS = 50;

/**
 * evaluateRange's scores (the same translations, the same numbers), but it yields to the event
 * loop every ~50 ms of work, so that a worker hears a cancel: aborting `signal` rejects with its
 * reason at the next yield.
 */
export async function evaluateRangeAsync(
  target: EvaluationTarget,
  o: { onProgress?: EvaluationProgress; signal?: AbortSignal } = {},
): Promise<HeldOutScore> {
  const e = evaluation(target);
  o.onProgress?.(0, e.total);
  let since = performance.now();
  for (let i = 0; i < e.total; i++) {
    if (performance.now() - since >= YIELD_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      since = performance.now();
    }
    o.signal?.throwIfAborted();
    e.step(i);
    o.onProgress?.(i + 1, e.total);
  }
  return e.result();
}
