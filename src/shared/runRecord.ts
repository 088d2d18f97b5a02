/**
 * A training run's record as the run history keeps it (run.json), what the run measured
 * (RunMetrics: also a checkpoint's metrics and the CLI's summary), and the one check of a record
 * read back from disk or from a webview's saved state.
 */
import type { Hyperparameters } from '../config/hyperparameters';
import type { PositionMode } from '../config/choices';
import type {
  BackendReport,
  EpochPoint,
  HeldOutScore,
  ScoredSentence,
  TrainingSummary,
} from './payloads';

/**
 * What a finished training run measured, in one type: a checkpoint keeps it as its metrics
 * (src/checkpoint/), the run record, the training panel and the worker's trainingDone carry its
 * seeds, held-out score and pairs, and the CLI prints its first four as its last line.
 */
export interface RunMetrics {
  /** The last epoch's loss per target token (the book's metric). */
  loss: number;
  /** Target tokens per second of training, over all epochs. */
  tokensPerSecond: number;
  /** Seconds of training (data preparation and evaluation excluded). */
  seconds: number;
  /** tfjs's name of the backend it trained on: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  /** Source/target pairs trained on (the book reads numExamples + 1 lines). */
  pairs: number;
  /** The book's four seed sentences, translated greedily and scored (BLEU-2). */
  seeds: ScoredSentence[];
  /** BLEU on the pairs after the training pairs; null when none were scored. */
  heldOut: HeldOutScore | null;
}

/** The CLI's last line: `{"loss":…,"tokensPerSecond":…,"seconds":…,"backend":…}`. */
export type RunSummaryLine = Pick<RunMetrics, 'loss' | 'tokensPerSecond' | 'seconds' | 'backend'>;

/**
 * One training run as the run history keeps it (run.json beside the run's checkpoint): what was
 * trained, on what, how it went, and what it translates.
 */
export interface RunRecord {
  /** Folder name under runs/: `run-<number>-<time>`, [a-z0-9-] only. */
  id: string;
  /** 1-based, increasing: "Run 7". */
  number: number;
  createdAt: string;
  status: 'finished' | 'cancelled' | 'failed';
  hyperparameters: Hyperparameters;
  positionMode: PositionMode;
  backend: BackendReport | null;
  points: EpochPoint[];
  summary: TrainingSummary | null;
  seeds: RunMetrics['seeds'];
  heldOut: RunMetrics['heldOut'];
  /** Whether runs/<id>/checkpoint holds the trained model (not for cancelled or failed runs). */
  hasCheckpoint: boolean;
  /** Source/target pairs trained on (absent in runs recorded before it was kept). */
  pairs?: RunMetrics['pairs'];
  /** Bytes on disk (run.json and checkpoint). */
  sizeBytes: number;
  /** Why a failed run failed. */
  error?: string;
}
