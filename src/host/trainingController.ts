import * as vscode from 'vscode';
import { checkSaveTarget } from '../checkpoint/saveTarget';
import type {
  AttentionSnapshot,
  StartTrainingMessage,
  TrainingStateMessage,
} from '../shared/protocol';
import { errorText } from '../util/errorText';
import { ensureCorpus } from './corpusService';
import { ExtensionPaths } from './paths';
import { ExtensionSettings, readSettings } from './settings';
import { applyWorkerMessage, RunInProgress, TrainingObserver } from './trainingEvents';
import {
  announceAlreadyRunning,
  announceDone,
  announceFailure,
  announceInvalidSettings,
  showTrainingProgress,
} from './trainingNotifications';
import { idleState, TrainingStateStore } from './trainingState';
import { WorkerClient } from './workerClient';

export type { TrainingObserver } from './trainingEvents';

const PROBE = { source: "i'm home .", target: 'je suis chez moi .' };

/**
 * Owns one training run at a time: checks the settings, gets the corpus, starts the worker
 * thread, relays its progress to the panel, status bar and notification, and cleans up however
 * the run ends. The extension host only passes messages: tfjs runs in the worker.
 */
export class TrainingController implements vscode.Disposable {
  private worker: WorkerClient | null = null;
  private busy = false;
  private stopRequested = false;
  private readonly store: TrainingStateStore;
  private _snapshots: AttentionSnapshot[] = [];
  /** The run started last (resolved at once when none was). */
  private lastRun: Promise<void> = Promise.resolve();
  /** The checkpoint this run saved (set by its trainingDone). */
  private savedCheckpointDir: string | null = null;
  /** Why the last Train was refused (invalid settings), for the log and the tests. */
  lastRefusal: string | null = null;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly paths: ExtensionPaths,
    private readonly log: vscode.LogOutputChannel,
    private readonly observer: TrainingObserver,
  ) {
    this.store = new TrainingStateStore(context.globalState, (state) =>
      observer.stateChanged(state),
    );
  }

  get running(): boolean {
    return this.busy;
  }

  get state(): TrainingStateMessage {
    return this.store.current;
  }

  get snapshots(): AttentionSnapshot[] {
    return this._snapshots;
  }

  /** Resolves when the run started last has ended (at once if none was started). */
  whenDone(): Promise<void> {
    return this.lastRun;
  }

  /**
   * Train Transformer. Resolves when the run has ended (finished, cancelled or failed); at once
   * when it was refused (one is already running, or the settings are invalid).
   */
  start(): Promise<void> {
    if (this.busy) {
      announceAlreadyRunning(this.state, () => this.stop());
      return Promise.resolve();
    }
    const read = readSettings(this.log);
    if (!read.ok) {
      this.log.warn(`Training refused, invalid settings: ${read.errors.join(' | ')}`);
      this.lastRefusal = read.errors.join('; ');
      announceInvalidSettings(this.lastRefusal);
      return Promise.resolve();
    }
    this.busy = true;
    this.stopRequested = false;
    // The new run's state is in place before anything is awaited: nobody sees the last run's
    // curve as this one's.
    this._snapshots = [];
    this.savedCheckpointDir = null;
    this.store.set({
      ...idleState(),
      status: 'preparing',
      statusText: 'Getting the corpus…',
      hyperparameters: read.settings.hyperparameters,
    });
    this.lastRun = this.run(read.settings);
    return this.lastRun;
  }

  /** Stop Training: asks the worker to stop between steps; the previous checkpoint stays. */
  stop(): boolean {
    if (!this.busy) return false;
    this.stopRequested = true;
    this.log.info('Stop requested');
    if (this.worker?.alive) {
      this.worker.send({ type: 'cancelTraining' });
      // A worker stuck inside one long step is ended outright after a grace period.
      const stuck = this.worker;
      setTimeout(() => void stuck.terminate(), 10_000).unref?.();
    }
    return true;
  }

  dispose(): void {
    void this.worker?.terminate();
  }

  private async run(settings: ExtensionSettings): Promise<void> {
    try {
      await vscode.commands.executeCommand('setContext', 'transformerExplorer.training', true);
      await checkSaveTarget(this.paths.checkpointDir); // refused now, not after the last epoch
      const corpusPath = await ensureCorpus(settings, this.context.globalStorageUri, this.log);
      if (this.stopRequested) throw new vscode.CancellationError();
      await this.runWorker(settings, corpusPath);
    } catch (err) {
      this.fail(err);
    } finally {
      await this.worker?.terminate();
      this.worker = null;
      const state = this.state;
      if (state.points.length > 0 || state.status === 'finished') {
        await this.observer
          .ended(state, this.savedCheckpointDir, settings)
          .catch((err: unknown) => this.log.error(`Could not record the run: ${String(err)}`));
      }
      this.busy = false;
      await vscode.commands.executeCommand('setContext', 'transformerExplorer.training', false);
    }
  }

  /** Starts the worker on the run; resolves when it is done, rejects when it fails or exits. */
  private async runWorker(settings: ExtensionSettings, corpusPath: string): Promise<void> {
    const worker = new WorkerClient(this.paths.workerScript);
    this.worker = worker;
    this.store.set({
      ...this.state,
      status: 'training',
      statusText: 'Starting the training worker…',
    });
    const progress = showTrainingProgress(() => this.stop());
    const current: RunInProgress = {
      state: this.store,
      log: this.log,
      observer: this.observer,
      snapshots: this._snapshots,
      numEpochs: settings.hyperparameters.numEpochs,
    };
    let stopListening = () => {};
    try {
      await new Promise<void>((resolve, reject) => {
        stopListening = worker.onMessage((message) => {
          try {
            const done = applyWorkerMessage(message, current);
            if (done) {
              this.savedCheckpointDir = done.checkpointDir;
              announceDone(done);
              resolve();
            }
            progress.report(message);
            if (message.type === 'error' && message.requestId === undefined)
              reject(new WorkerError(message.message, message.stack));
          } catch (err) {
            reject(err);
          }
        });
        void worker.exitedPromise.then((code) => {
          if (this.busy && this.state.status === 'training') {
            const why = this.stopRequested
              ? 'Training stopped'
              : `The training worker exited (code ${code})`;
            reject(new Error(why));
          }
        });
        worker.send(startMessage(settings, corpusPath, this.paths));
      });
    } finally {
      stopListening();
      progress.close();
    }
  }

  private fail(err: unknown): void {
    if (
      err instanceof vscode.CancellationError ||
      (err instanceof Error && err.name === 'AbortError') ||
      this.stopRequested
    ) {
      this.store.set({
        ...this.state,
        status: 'cancelled',
        statusText: 'Stopped; the previous model is kept',
      });
      this.log.info('Training stopped before it finished');
      return;
    }
    const message = errorText(err);
    const stack = err instanceof WorkerError && err.workerStack ? `\n${err.workerStack}` : '';
    this.log.error(`Training failed: ${message}${stack}`);
    this.store.set({ ...this.state, status: 'failed', statusText: `Failed: ${message}` });
    announceFailure(message, this.log);
  }
}

/** What the worker needs to train: the settings, the corpus file and where things go. */
function startMessage(
  settings: ExtensionSettings,
  corpusPath: string,
  paths: ExtensionPaths,
): StartTrainingMessage {
  return {
    type: 'startTraining',
    hyperparameters: settings.hyperparameters,
    backend: settings.backend,
    corpusPath,
    checkpointDir: paths.checkpointDir,
    wasmDir: paths.wasmDir,
    gpuModulePaths: [paths.gpuModulesDir],
    positionMode: settings.positionMode,
    probe: PROBE,
    snapshotEvery: settings.snapshotEvery,
    heldOutCount: settings.heldOutCount,
    threads: settings.threads,
  };
}

class WorkerError extends Error {
  constructor(
    message: string,
    readonly workerStack?: string,
  ) {
    super(message);
  }
}
