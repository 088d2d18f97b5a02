import { captureTeacherForced } from '../decode/teacherForced';
import type {
  AttentionSnapshot,
  BatchProgress,
  StartTrainingMessage,
  WorkerToHost,
} from '../shared/protocol';
import type { Experiment } from '../train/experiment';
import type { EpochReport } from '../train/loopTypes';
import { runExperiment } from '../train/runExperiment';

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
 * One training run inside the worker: the experiment (src/train/runExperiment.ts) with its
 * events posted as messages, an attention snapshot of the probe pair every `snapshotEvery`
 * epochs, and batch progress throttled. A cancelled run saves nothing: the previous checkpoint
 * stays as it was. A checkpoint folder the save would refuse is an error before anything starts.
 */
export async function runTraining(
  msg: StartTrainingMessage,
  post: (m: WorkerToHost) => void,
  signal: AbortSignal,
  options: RunTrainingOptions = {},
): Promise<void> {
  const throttle = new ProgressThrottle(options.progressIntervalMs);
  const progress = (p: BatchProgress) => {
    if (throttle.due(p.phase, p.done, p.total)) post({ type: 'batchProgress', progress: p });
  };
  const { summary, metrics, checkpointDir } = await runExperiment(
    { ...msg, signal },
    {
      backendSelected: (backend) => post({ type: 'backendSelected', backend }),
      trainingStarts: (threads) =>
        post({ type: 'log', level: 'info', message: `Training on ${threads} thread(s)` }),
      prepared: ({ data, model }) =>
        post({
          type: 'dataReady',
          pairs: data.src.rows,
          srcVocabSize: data.srcVocab.size,
          tgtVocabSize: data.tgtVocab.size,
          parameters: model.params.count(),
        }),
      batch: ({ epoch, numEpochs, done, total, elapsedSeconds }) =>
        progress({ phase: 'train', epoch, numEpochs, done, total, elapsedSeconds }),
      epoch: (point, experiment) => {
        post({ type: 'epoch', point });
        if (snapshotDue(point, msg.snapshotEvery)) {
          post({ type: 'snapshot', snapshot: probeSnapshot(msg, point.epoch, experiment) });
        }
      },
      heldOut: (p) => progress({ phase: 'heldOut', ...p }),
    },
  );
  const seeds = metrics?.seeds ?? [];
  post({ type: 'trainingDone', summary, seeds, heldOut: metrics?.heldOut ?? null, checkpointDir });
}

/** Snapshots: the first epoch, every `snapshotEvery`-th, and the last. */
function snapshotDue(point: EpochReport, snapshotEvery: number): boolean {
  const every = Math.max(1, snapshotEvery);
  return point.epoch === 1 || point.epoch % every === 0 || point.epoch === point.numEpochs;
}

/** The probe pair's attention, teacher-forced through the model as it is after `epoch`. */
function probeSnapshot(
  msg: StartTrainingMessage,
  epoch: number,
  { model, data }: Experiment,
): AttentionSnapshot {
  const { source, target } = msg.probe;
  const numSteps = msg.hyperparameters.numSteps;
  const maps = captureTeacherForced(model, data.srcVocab, data.tgtVocab, source, target, numSteps);
  return { epoch, maps };
}
