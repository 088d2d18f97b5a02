/**
 * Everything the UI and the CLI's `heads` show about the heads of one model, in one plain-data
 * report: each head's importance (headImportance.ts) beside its statistics averaged over the
 * same held-out pairs (headStats.ts) and its label, the pruning curve, and what was scored.
 * Runs in a worker (TensorFlow.js); the report itself is JSON that a run's record keeps.
 */
import type { LoadedCheckpoint } from '../checkpoint/checkpoint';
import type { PositionMode } from '../model/config';
import type { HeadReport } from '../shared/headReport';
import { ImportanceOrder, ImportanceProgress, headImportance } from './headImportance';
import { firstUnusedLine } from '../data/tokenize';
import { headLabels } from './headStats';
import { heldOutHeadStats, heldOutPairs } from './heldOut';

export interface HeadReportOptions {
  /** Held-out pairs: the `count` pairs after the model's training pairs in `corpusText`. */
  count: number;
  positionMode: PositionMode;
  order?: ImportanceOrder;
  onProgress?: ImportanceProgress;
  signal?: AbortSignal;
}

/** Scores and describes every head of `ck`'s model; RangeError when the corpus has no pairs left. */
export async function headReport(
  ck: Pick<LoadedCheckpoint, 'model' | 'srcVocab' | 'tgtVocab' | 'hyperparameters'>,
  corpusText: string,
  options: HeadReportOptions,
): Promise<HeadReport> {
  const { numExamples, numSteps } = ck.hyperparameters;
  const pairs = heldOutPairs(corpusText, numExamples, options.count);
  const importance = await headImportance(ck.model, ck.srcVocab, ck.tgtVocab, pairs, {
    numSteps,
    positionMode: options.positionMode,
    order: options.order,
    onProgress: options.onProgress,
    signal: options.signal,
  });
  const stats = heldOutHeadStats(ck.model, ck.srcVocab, ck.tgtVocab, pairs, { numSteps });
  const labels = headLabels(stats);
  return {
    createdAt: new Date().toISOString(),
    fromLine: firstUnusedLine(numExamples),
    count: importance.count,
    baseline: importance.baseline,
    order: importance.order,
    heads: importance.heads.map((h) => ({
      ...h,
      stats: stats[h.kind][h.layer][h.head],
      label: labels[h.kind][h.layer][h.head],
    })),
    pruning: importance.pruning,
    seconds: importance.seconds,
  };
}
