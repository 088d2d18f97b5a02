import { preprocessLineRange } from '../data/lines';
import { tokenizeNmt } from '../data/tokenize';
import { Vocab } from '../data/vocab';
import { PositionMode } from '../model/config';
import { Transformer } from '../model/transformer';
import { bleu, corpusBleu } from './bleu';
import { greedyTranslate } from './greedy';

export interface EvaluationResult {
  count: number;
  /** Mean of the book's bleu(pred, label, k=2) over the pairs. */
  meanBleu2: number;
  /** Standard corpus BLEU-4 (brevity penalty, no smoothing). */
  corpusBleu4: number;
}

/** Sentences translated so far and how many there are: (0, total) first, then after each. */
export type EvaluationProgress = (done: number, total: number) => void;

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
): EvaluationResult {
  const { source, target } = tokenizeNmt(preprocessLineRange(rawText, from, count));
  const preds: string[][] = [];
  let sum = 0;
  onProgress?.(0, source.length);
  source.forEach((src, i) => {
    const t = greedyTranslate(model, srcVocab, tgtVocab, src.join(' '), { numSteps, positionMode });
    preds.push(t.tokens);
    sum += bleu(t.translation, target[i].join(' '), 2);
    onProgress?.(i + 1, source.length);
  });
  return {
    count: source.length,
    meanBleu2: source.length ? sum / source.length : 0,
    corpusBleu4: corpusBleu(preds, target),
  };
}
