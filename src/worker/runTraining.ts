import { selectBackend } from '../backend/backend';
import { checkSaveTarget, saveCheckpoint } from '../checkpoint/checkpoint';
import { readCorpusFile } from '../data/corpus';
import { captureTeacherForced } from '../decode/teacherForced';
import { evaluateRange } from '../decode/evaluate';
import { translateSeeds } from '../decode/seedSentences';
import { firstUnusedLine } from '../data/tokenize';
import type { BatchProgress, StartTrainingMessage, WorkerToHost } from '../shared/protocol';
import { ExperimentHooks, trainFromText } from '../train/experiment';
import { trainFromTextParallel } from '../train/parallel';
import { trainingThreads } from '../train/threads';

/** At most one batchProgress message per this many ms (about 4 a second). */
export const BATCH_PROGRESS_MS = 250;

export interface RunTrainingOptions {
  /** Minimum ms between two batchProgress messages of one phase (default BATCH_PROGRESS_MS). */
  progressIntervalMs?: number;
}

/**
 * Decides which progress updates become messages: at most one per `intervalMs` within a phase,
 * the first of a new phase at once, and never the last of an epoch or of the held-out pairs
 * (the 'epoch' or 'trainingDone' message that follows says as much). Asked after every step,
 * so it reads the clock and compares, nothing more.
 */
export class ProgressThrottle {
  private last = -Infinity;
  private phase: BatchProgress['phase'] | null = null;

  constructor(
    private readonly intervalMs = BATCH_PROGRESS_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether to send this update; a true answer counts as sent. */
  due(phase: BatchProgress['phase'], done: number, total: number): boolean {
    if (done >= total) return false;
    const t = this.now();
    if (phase === this.phase && t - this.last < this.intervalMs) return false;
    this.phase = phase;
    this.last = t;
    return true;
  }
}

/**
 * One training run inside the worker: backend, corpus, the book's experiment with progress and
 * attention snapshots, then seed sentences, held-out BLEU and the checkpoint. A cancelled run
 * saves nothing: the previous checkpoint stays as it was. A checkpoint folder the save would
 * refuse is an error before anything starts.
 */
export async function runTraining(
  msg: StartTrainingMessage,
  post: (m: WorkerToHost) => void,
  signal: AbortSignal,
  options: RunTrainingOptions = {},
): Promise<void> {
  const h = msg.hyperparameters;
  const throttle = new ProgressThrottle(options.progressIntervalMs);
  const progress = (p: BatchProgress) => post({ type: 'batchProgress', progress: p });
  await checkSaveTarget(msg.checkpointDir); // a folder the save would refuse: before training
  const backend = await selectBackend(msg.backend, {
    wasmDir: msg.wasmDir,
    gpuModulePaths: msg.gpuModulePaths,
  });
  post({ type: 'backendSelected', backend });
  const text = readCorpusFile(msg.corpusPath);
  const threads = trainingThreads(msg.threads, backend.name);
  post({ type: 'log', level: 'info', message: `Training on ${threads} thread(s)` });
  const hooks: ExperimentHooks = {
    signal,
    onPrepared: ({ data, model }) =>
      post({
        type: 'dataReady',
        pairs: data.src.rows,
        srcVocabSize: data.srcVocab.size,
        tgtVocabSize: data.tgtVocab.size,
        parameters: model.params.count(),
      }),
    onBatch: (r) => {
      if (!throttle.due('train', r.done, r.total)) return;
      const { epoch, numEpochs, done, total, elapsedSeconds } = r;
      progress({ phase: 'train', epoch, numEpochs, done, total, elapsedSeconds });
    },
    onEpoch: (point, experiment) => {
      post({ type: 'epoch', point });
      const every = Math.max(1, msg.snapshotEvery);
      if (point.epoch === 1 || point.epoch % every === 0 || point.epoch === point.numEpochs) {
        const { model, data } = experiment;
        const maps = captureTeacherForced(
          model,
          data.srcVocab,
          data.tgtVocab,
          msg.probe.source,
          msg.probe.target,
          h.numSteps,
        );
        post({ type: 'snapshot', snapshot: { epoch: point.epoch, maps } });
      }
    },
  };
  const trained =
    threads === 2
      ? await trainFromTextParallel(text, h, hooks, { wasmDir: msg.wasmDir })
      : await trainFromText(text, h, hooks);
  try {
    const { model, srcVocab, tgtVocab, summary } = trained;
    if (summary.cancelled) {
      post({ type: 'trainingDone', summary, seeds: [], heldOut: null, checkpointDir: null });
      return;
    }
    const seeds = translateSeeds(model, srcVocab, tgtVocab, h.numSteps, msg.positionMode);
    const heldOutStart = performance.now();
    const heldOutProgress = (done: number, total: number) => {
      if (!throttle.due('heldOut', done, total)) return;
      progress({
        phase: 'heldOut',
        epoch: summary.epochsCompleted,
        numEpochs: h.numEpochs,
        done,
        total,
        elapsedSeconds: summary.seconds + (performance.now() - heldOutStart) / 1000,
      });
    };
    const heldOut =
      msg.heldOutCount > 0
        ? evaluateRange(
            model,
            srcVocab,
            tgtVocab,
            text,
            firstUnusedLine(h.numExamples),
            msg.heldOutCount,
            h.numSteps,
            msg.positionMode,
            heldOutProgress,
          )
        : null;
    await saveCheckpoint(msg.checkpointDir, model, srcVocab, tgtVocab, h, {
      loss: summary.lossPerToken,
      tokensPerSecond: summary.tokensPerSecond,
      seconds: summary.seconds,
      backend: backend.name,
      seeds,
      heldOut,
      pairs: trained.pairs,
    });
    post({ type: 'trainingDone', summary, seeds, heldOut, checkpointDir: msg.checkpointDir });
  } finally {
    trained.model.dispose();
  }
}
