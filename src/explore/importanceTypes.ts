/**
 * The plain-data types of head importance (./headImportance.ts): the scores, the pruning curve
 * and its progress, apart from the TensorFlow.js code so that the host and the webviews can
 * import them (src/shared/headReport.ts) without type-checking tfjs.
 */
import type { HeadRef } from '../model/headMask';

/**
 * What one head mask (none for the baseline) does on the held-out batch: greedy BLEU-2 and
 * teacher-forced loss. Not a run's held-out BLEU (HeldOutScore in src/shared/payloads.ts:
 * count, mean BLEU-2 and corpus BLEU-4 of evaluateRange), hence its own name.
 */
export interface MaskScore {
  /** Mean of the book's bleu(prediction, reference, 2) over the pairs (evaluateRange's). */
  bleu: number;
  /** Mean teacher-forced per-sequence loss (the book's loss, as in training). */
  loss: number;
}

/** One head's scores. */
export interface HeadScore extends HeadRef {
  /** Baseline BLEU minus BLEU with this head alone masked (positive: the head helped). */
  bleuDrop: number;
  /** Loss with this head alone masked minus the baseline loss. */
  lossIncrease: number;
  /** Mean over pairs of |∂L(x)/∂ξ_h| at ξ = 1 (Michel et al.'s I_h, not normalised per layer). */
  gradient: number;
}

/** Which score orders the heads for pruning ("least important" first). */
export type ImportanceOrder = 'gradient' | 'bleuDrop' | 'lossIncrease';

export interface PruningPoint extends MaskScore {
  /** How many heads are masked. */
  k: number;
  /** The head masked last (the k-th least important); null at k = 0. */
  head: HeadRef | null;
}

export interface HeadImportance {
  /** Pairs scored. */
  count: number;
  baseline: MaskScore;
  /** Every head, in everyHead order (kind, layer, head). */
  heads: HeadScore[];
  /** The order the pruning curve masks heads by, and its points for k = 0 … heads. */
  order: ImportanceOrder;
  pruning: PruningPoint[];
  seconds: number;
}

export type ImportancePhase = 'baseline' | 'gradient' | 'heads' | 'pruning';

/** After each unit of work: `done` of `total` units (one unit: one mask scored, or the grads). */
export type ImportanceProgress = (p: {
  phase: ImportancePhase;
  done: number;
  total: number;
}) => void;
