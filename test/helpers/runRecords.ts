/** RunRecord fixtures shared by the compare panel's unit tests, the message checks' tests and
 * the browser harness. */
import { DEFAULT_HYPERPARAMETERS } from '../../src/config/hyperparameters';
import type {
  EpochPoint,
  RunMetrics,
  RunRecord,
  RunsStateMessage,
  ScoredSentence,
  TrainingSummary,
} from '../../src/shared/protocol';

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

/** `n` epochs of a falling loss curve (loss 4/epoch, two seconds and ten steps an epoch). */
export function epochPoints(n: number, numEpochs = n): EpochPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    epoch: i + 1,
    numEpochs,
    lossPerToken: 4 / (i + 1),
    tokensPerSecond: 20000 + i,
    elapsedSeconds: (i + 1) * 2,
    steps: (i + 1) * 10,
  }));
}

/** A seed sentence's translation, scored against the reference `ref <source>`. */
export function scoredSentence(source: string, translation: string, bleu?: number): ScoredSentence {
  return { source, reference: `ref ${source}`, translation, bleu, unknownTokens: [] };
}

/** Run `number` of the history: finished, five epochs, two seed sentences, a checkpoint;
 * `over` replaces any field (its id and time follow from `number`). */
export function runRecord(number: number, over: Partial<RunRecord> = {}): RunRecord {
  const points = over.points ?? epochPoints(5);
  return {
    id: `run-${number}-20261125t1000${String(number).padStart(2, '0')}`,
    number,
    createdAt: `2026-11-25T10:${String(number).padStart(2, '0')}:00.000Z`,
    status: 'finished',
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS, numEpochs: points.length },
    positionMode: 'correct',
    backend: { name: 'wasm', label: 'WebAssembly (SIMD)', reason: '' },
    points,
    summary: summaryOf(points),
    seeds: [scoredSentence('go .', 'va !', 1), scoredSentence('i lost .', "j'ai perdu .", 0.5)],
    heldOut: null,
    hasCheckpoint: true,
    sizeBytes: 1000 * number,
    ...over,
  };
}

/** A runsState of `runs` (whatever they are: the checks' tests pass damaged ones). */
export function runsStateOf(runs: unknown): RunsStateMessage {
  return {
    type: 'runsState',
    runs,
    currentRunId: null,
    totalBytes: 1000,
    limitBytes: 1e9,
  } as RunsStateMessage;
}
