/**
 * How the training worker's messages become the run's state, log lines and the events the rest
 * of the extension (panels, status bar, run history) listens to.
 */
import type * as vscode from 'vscode';
import type {
  AttentionSnapshot,
  BatchProgress,
  EpochPoint,
  TrainingDoneMessage,
  TrainingStateMessage,
  WorkerToHost,
} from '../shared/protocol';
import type { ExtensionSettings } from './settings';
import { doneState, examplesNotice, TrainingStateStore } from './trainingState';

/** What the controller tells the rest of the extension (panels, status bar). */
export interface TrainingObserver {
  stateChanged(state: TrainingStateMessage): void;
  epoch(point: EpochPoint): void;
  /** Progress inside an epoch or through the held-out pairs (a few times a second). */
  batch(progress: BatchProgress): void;
  snapshot(snapshot: AttentionSnapshot): void;
  /**
   * A run that got to training has ended (finished, stopped or failed), with the checkpoint it
   * saved, if any. Awaited before the run counts as over (the run history records it).
   */
  ended(
    state: TrainingStateMessage,
    checkpointDir: string | null,
    settings: ExtensionSettings,
  ): Promise<unknown>;
}

/** One run as its worker messages change it. */
export interface RunInProgress {
  readonly state: TrainingStateStore;
  readonly log: vscode.LogOutputChannel;
  readonly observer: TrainingObserver;
  /** The attention snapshots taken so far, oldest first. */
  readonly snapshots: AttentionSnapshot[];
  readonly numEpochs: number;
}

/** Applies one worker message to the run; returns the trainingDone message once the run is over
 * (null before). `error` messages are the caller's: they end the run as a failure. */
export function applyWorkerMessage(
  message: WorkerToHost,
  run: RunInProgress,
): TrainingDoneMessage | null {
  const { state, log, observer } = run;
  switch (message.type) {
    case 'backendSelected':
      log.info(`Backend: ${message.backend.label} — ${message.backend.reason}`);
      state.set({
        ...state.current,
        backend: message.backend,
        statusText: `Training on ${message.backend.label}`,
      });
      return null;
    case 'dataReady': {
      log.info(
        `Data: ${message.pairs} pairs, vocabularies ${message.srcVocabSize}/${message.tgtVocabSize}, ${message.parameters} parameters`,
      );
      state.patch({ pairs: message.pairs });
      const notice = examplesNotice(state.current);
      if (notice) log.warn(notice);
      return null;
    }
    case 'epoch':
      state.patch({
        points: [...state.current.points, message.point],
        statusText: `Epoch ${message.point.epoch}/${run.numEpochs}`,
      });
      observer.epoch(message.point);
      return null;
    case 'batchProgress':
      observer.batch(message.progress);
      return null;
    case 'snapshot':
      run.snapshots.push(message.snapshot);
      observer.snapshot(message.snapshot);
      return null;
    case 'log':
      log[message.level](message.message);
      return null;
    case 'trainingDone':
      state.set(doneState(state.current, message));
      logDone(message, log);
      return message;
    default:
      return null;
  }
}

function logDone(done: TrainingDoneMessage, log: vscode.LogOutputChannel): void {
  const summary = done.summary;
  log.info(
    `Training ${summary.cancelled ? 'stopped' : 'finished'}: ${summary.epochsCompleted} epochs, loss ${summary.lossPerToken.toFixed(4)}, ` +
      `${Math.round(summary.tokensPerSecond)} tokens/s, ${summary.seconds.toFixed(1)} s`,
  );
  for (const seed of done.seeds)
    log.info(`  ${seed.source} => ${seed.translation} (BLEU ${seed.bleu?.toFixed(3)})`);
}
