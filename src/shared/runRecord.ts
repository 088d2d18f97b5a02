/**
 * A training run's record as the run history keeps it (run.json), what the run measured
 * (RunMetrics: also a checkpoint's metrics and the CLI's summary), and the one check of a record
 * read back from disk or from a webview's saved state.
 */
import { POSITION_MODES, PositionMode } from '../config/choices';
import { Hyperparameters, LIMITS, validateHyperparameters } from '../config/hyperparameters';
import type {
  BackendReport,
  EpochPoint,
  HeldOutScore,
  ScoredSentence,
  TrainingSummary,
} from './payloads';
import { HeadReport, checkHeadReport } from './headReport';
import { isArrayOf, isNum, isObj, isStr } from './shapes';

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
  /** Its heads scored over held-out pairs (Score Head Importance), when that was run. */
  heads?: HeadReport;
  /** A model opened from a file (Open Model…), not trained here: where it came from. */
  imported?: ImportedSource;
}

/** The file an imported run's model was read from. */
export interface ImportedSource {
  /** The .pt or .safetensors file, as the user chose it. */
  file: string;
  format: 'pt' | 'safetensors';
}

/** Run ids are folder names the host made: `run-<number>-<time>`. */
export const RUN_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const RUN_STATUSES: readonly RunRecord['status'][] = ['finished', 'cancelled', 'failed'];

/**
 * Bounds checked before an array is walked (a record may come from a webview's saved state,
 * which the webview wrote): one point per epoch, a few seed sentences.
 */
const MAX_POINTS = LIMITS.numEpochs.max;
const MAX_SEEDS = 100;

/**
 * The hyperparameters every run has recorded since the first run.json: a record without them is
 * not one (the others, added later, take their defaults as validateHyperparameters gives them).
 */
const RECORDED_HYPERPARAMETERS = [
  'numLayers',
  'numHiddens',
  'numHeads',
  'numEpochs',
  'numExamples',
] as const;

export type RunRecordCheck = { ok: true; run: RunRecord } | { ok: false; error: string };

/**
 * `raw` as a RunRecord, or why it is not one, naming the run by its id: the one check of a
 * record, where it is read (run.json by src/runs/runRecordFile.ts, a runsState message or the
 * Compare Runs panel's saved state by src/shared/validate.ts). Fields that older records lack
 * get their defaults (positionMode 'correct', no backend, summary or held-out score).
 */
export function checkRunRecord(raw: unknown): RunRecordCheck {
  if (!isObj(raw)) return { ok: false, error: 'not an object' };
  if (!isStr(raw.id) || !RUN_ID_PATTERN.test(raw.id)) return { ok: false, error: 'no id' };
  const problem = recordProblem(raw);
  if (problem) return { ok: false, error: `${raw.id}: ${problem}` };
  const h = validateHyperparameters(raw.hyperparameters);
  if (!h.ok) return { ok: false, error: `${raw.id}: bad hyperparameters (${h.errors.join('; ')})` };
  const r = raw as unknown as RunRecord;
  return {
    ok: true,
    run: {
      ...r,
      hyperparameters: h.value,
      positionMode: r.positionMode ?? 'correct',
      backend: r.backend ?? null,
      summary: r.summary ?? null,
      heldOut: r.heldOut ?? null,
      hasCheckpoint: r.hasCheckpoint === true,
      sizeBytes: isNum(r.sizeBytes) ? r.sizeBytes : 0,
    },
  };
}

/** What is wrong with the fields of a record other than its id and hyperparameters' values. */
function recordProblem(raw: Record<string, unknown>): string | null {
  if (!Number.isInteger(raw.number) || (raw.number as number) < 1) return 'no number';
  if (!isStr(raw.createdAt)) return 'no createdAt';
  if (!RUN_STATUSES.includes(raw.status as RunRecord['status'])) {
    return `unknown status ${JSON.stringify(raw.status)}`;
  }
  const h = raw.hyperparameters;
  if (!isObj(h) || RECORDED_HYPERPARAMETERS.some((k) => h[k] === undefined)) {
    return `bad hyperparameters (${RECORDED_HYPERPARAMETERS.join(', ')} are required)`;
  }
  if (raw.positionMode !== undefined && !POSITION_MODES.includes(raw.positionMode as PositionMode))
    return `unknown positionMode ${JSON.stringify(raw.positionMode)}`;
  if (!isArrayOf(raw.points, MAX_POINTS, (p) => isObj(p) && isNum(p.epoch))) return 'bad points';
  if (!isArrayOf(raw.seeds, MAX_SEEDS, (s) => isObj(s) && isStr(s.source))) return 'bad seeds';
  for (const key of ['backend', 'summary', 'heldOut']) {
    if (raw[key] !== null && raw[key] !== undefined && !isObj(raw[key])) return `bad ${key}`;
  }
  if (raw.pairs !== undefined && !isNum(raw.pairs)) return 'bad pairs';
  if (raw.error !== undefined && !isStr(raw.error)) return 'bad error';
  if (raw.heads !== undefined) {
    const heads = checkHeadReport(raw.heads);
    if (!heads.ok) return heads.error;
  }
  if (raw.imported !== undefined) return importedProblem(raw.imported);
  return null;
}

/** What is wrong with a record's `imported` (present: an imported run), or null. */
function importedProblem(imported: unknown): string | null {
  if (!isObj(imported)) return 'imported must be an object';
  if (!isStr(imported.file) || imported.file === '') return 'imported.file must name a file';
  if (imported.format !== 'pt' && imported.format !== 'safetensors') {
    return `imported.format must be "pt" or "safetensors" (got ${JSON.stringify(imported.format)})`;
  }
  return null;
}
