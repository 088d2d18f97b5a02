/** Pieces of RunRecord fixtures shared by the compare panel's unit tests and browser harness. */
import type { EpochPoint, TrainingSummary } from '../../src/shared/protocol';

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
