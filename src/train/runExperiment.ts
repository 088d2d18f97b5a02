/**
 * One experiment end to end, the one way the extension's worker (src/worker/runTraining.ts),
 * the CLI (src/cli/train.ts) and the bench (scripts/benchWorker.ts) run it: check where the
 * model will be saved, start the backend, read the corpus, choose the one- or two-thread trainer,
 * train, translate the book's seed sentences, score the held-out pairs, save. Each caller is an
 * adapter that turns the events into its own output (messages, lines, bench figures).
 */
import { BackendChoice, BackendInfo, selectBackend } from '../backend/backend';
import { checkSaveTarget, saveCheckpoint } from '../checkpoint/checkpoint';
import type { PositionMode, TrainingThreads } from '../config/choices';
import type { Hyperparameters } from '../config/hyperparameters';
import { readCorpusFile } from '../data/corpus';
import { sliceLines } from '../data/lines';
import { firstUnusedLine } from '../data/tokenize';
import { evaluateRange } from '../decode/evaluate';
import { translateSeeds } from '../decode/seedSentences';
import type { BatchProgress } from '../shared/payloads';
import type { RunMetrics } from '../shared/runRecord';
import { Experiment, ExperimentHooks, TrainedModel, trainFromText } from './experiment';
import type { BatchReport, EpochReport, TrainSummary } from './loopTypes';
import { trainFromTextParallel } from './parallel';
import { trainingThreads } from './threads';

export interface ExperimentRequest {
  hyperparameters: Hyperparameters;
  backend: BackendChoice;
  /** fra.txt or the book's zip. */
  corpusPath: string;
  /** Where the model is saved. Checked before anything else; absent: nothing is saved. */
  checkpointDir?: string;
  threads: TrainingThreads;
  /** How the seed sentences and held-out pairs are decoded. */
  positionMode: PositionMode;
  /** Pairs after the training pairs to score when training ends (0: none). */
  heldOutCount: number;
  /** tfjs-backend-wasm's .wasm files (default: found beside the bundle or in node_modules). */
  wasmDir?: string;
  /** Extra places to load tfjs-node-gpu from. */
  gpuModulePaths?: string[];
  /** Nice value of the two-thread trainer's helper thread (default 10). */
  helperNice?: number;
  /** Stops training between steps: a stopped run is neither scored nor saved. */
  signal?: AbortSignal;
}

/** What happens as the experiment runs, in this order; each is optional. */
export interface ExperimentEvents {
  /** The backend is running (nothing has been read yet). */
  backendSelected?: (backend: BackendInfo) => void;
  /** The corpus is read and the trainer chosen: data preparation and training start now. */
  trainingStarts?: (threads: 1 | 2) => void;
  /** The data and the fresh model, before the first step. */
  prepared?: (experiment: Experiment) => void;
  /** After every step: called often, keep it cheap. */
  batch?: (report: BatchReport) => void;
  /** After every epoch, with the model as it is now. */
  epoch?: (report: EpochReport, experiment: Experiment) => void | Promise<void>;
  /** Scoring the held-out pairs: 0 done first, then after each sentence (synchronous). */
  heldOut?: (progress: Omit<BatchProgress, 'phase'>) => void;
  /** The run is over (stopped, or scored and saved); the model lives until this returns. */
  ended?: (outcome: ExperimentOutcome, trained: TrainedModel) => void | Promise<void>;
}

export interface ExperimentOutcome {
  summary: TrainSummary;
  /** What the run measured; null when it was stopped. */
  metrics: RunMetrics | null;
  /** Where the model was saved; null when it was not (stopped, or no checkpointDir). */
  checkpointDir: string | null;
  backend: BackendInfo;
}

/** Runs the experiment `request` asks for; rejects on the first failure, the model disposed. */
export async function runExperiment(
  request: ExperimentRequest,
  events: ExperimentEvents = {},
): Promise<ExperimentOutcome> {
  // A folder the save would refuse is refused now, not after the last epoch.
  if (request.checkpointDir !== undefined) await checkSaveTarget(request.checkpointDir);
  const backend = await selectBackend(request.backend, {
    wasmDir: request.wasmDir,
    gpuModulePaths: request.gpuModulePaths,
  });
  events.backendSelected?.(backend);
  const threads = trainingThreads(request.threads, backend.name);
  const hooks: ExperimentHooks = {
    signal: request.signal,
    onPrepared: events.prepared,
    onBatch: events.batch,
    onEpoch: events.epoch,
  };
  const { training, heldOutText } = startTraining(request, threads, hooks, events);
  const trained = await training;
  try {
    const outcome = trained.summary.cancelled
      ? { summary: trained.summary, metrics: null, checkpointDir: null, backend }
      : await scoreAndSave(request, heldOutText, trained, backend, events);
    await events.ended?.(outcome, trained);
    return outcome;
  } finally {
    trained.model.dispose();
  }
}

/**
 * Reads the corpus, keeps the held-out lines and starts the one- or two-thread trainer. Not
 * async, so that nothing holds the corpus text while training runs (22 MB of UTF-16 on the whole
 * corpus; trainFromText drops it once the data is prepared).
 */
function startTraining(
  request: ExperimentRequest,
  threads: 1 | 2,
  hooks: ExperimentHooks,
  events: ExperimentEvents,
): { training: Promise<TrainedModel>; heldOutText: string | null } {
  const h = request.hyperparameters;
  const text = readCorpusFile(request.corpusPath);
  const heldOutText =
    request.heldOutCount > 0
      ? heldOutLines(text, firstUnusedLine(h.numExamples), request.heldOutCount)
      : null;
  events.trainingStarts?.(threads);
  const options = { wasmDir: request.wasmDir, helperNice: request.helperNice };
  const training =
    threads === 2 ? trainFromTextParallel(text, h, hooks, options) : trainFromText(text, h, hooks);
  return { training, heldOutText };
}

/**
 * The corpus lines `from … from+count-1` (0-based) as their own small string, after a newline:
 * lines 1 … count of the result, preprocessed exactly as in the whole text (see
 * preprocessLineRange). structuredClone makes a copy: a slice of the text would be a V8 sliced
 * string that keeps all of the text alive.
 */
export function heldOutLines(text: string, from: number, count: number): string {
  return structuredClone('\n' + sliceLines(text, from, count));
}

/** The finished run's seed translations and held-out score, saved with the model. */
async function scoreAndSave(
  request: ExperimentRequest,
  heldOutText: string | null,
  trained: TrainedModel,
  backend: BackendInfo,
  events: ExperimentEvents,
): Promise<ExperimentOutcome> {
  const { model, srcVocab, tgtVocab, summary } = trained;
  const h = request.hyperparameters;
  const { positionMode, heldOutCount, checkpointDir } = request;
  const seeds = translateSeeds(model, srcVocab, tgtVocab, h.numSteps, positionMode);
  const start = performance.now();
  const heldOutProgress = (done: number, total: number) =>
    events.heldOut?.({
      epoch: summary.epochsCompleted,
      numEpochs: h.numEpochs,
      done,
      total,
      elapsedSeconds: summary.seconds + (performance.now() - start) / 1000,
    });
  const heldOut =
    heldOutCount > 0
      ? evaluateRange(
          model,
          srcVocab,
          tgtVocab,
          heldOutText ?? '',
          1, // heldOutLines puts the held-out pairs from line 1 on
          heldOutCount,
          h.numSteps,
          positionMode,
          heldOutProgress,
        )
      : null;
  const metrics: RunMetrics = {
    loss: summary.lossPerToken,
    tokensPerSecond: summary.tokensPerSecond,
    seconds: summary.seconds,
    backend: backend.name,
    pairs: trained.pairs,
    seeds,
    heldOut,
  };
  if (checkpointDir === undefined) return { summary, metrics, checkpointDir: null, backend };
  await saveCheckpoint(checkpointDir, model, srcVocab, tgtVocab, h, metrics);
  return { summary, metrics, checkpointDir, backend };
}
