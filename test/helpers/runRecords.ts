/** Pieces of RunRecord fixtures shared by the compare panel's unit tests and browser harness. */
import type { EpochPoint, RunMetrics, TrainingSummary } from '../../src/shared/protocol';

/** The fields of RunMetrics: what a checkpoint saved by the CLI or the worker holds. */
export const RUN_METRICS_KEYS: (keyof RunMetrics)[] = [
  'backend',
  'heldOut',
  'loss',
  'pairs',
  'seconds',
  'seeds',
  'tokensPerSecond',
];

/** The summary a finished run of `points` reports (null for a run with no epoch). */
export function summaryOf(points: readonly EpochPoint[]): TrainingSummary | null {
  const last = points.at(-1);
  return last
    ? {
        epochsCompleted: last.epoch,
        lossPerToken: last.lossPerToken,
        tokensPerSecond: last.tokensPerSecond,
        seconds: last.elapsedSeconds,
        cancelled: false,
      }
    : null;
}
