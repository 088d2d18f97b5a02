import * as vscode from 'vscode';
import { checkSaveTarget } from '../checkpoint/saveTarget';
import type {
  AttentionSnapshot,
  BatchProgress,
  EpochPoint,
  TrainingStateMessage,
  WorkerToHost,
} from '../shared/protocol';
import { examplesShortfall } from '../config/hyperparameters';
import { ensureCorpus } from './corpusService';
import { ExtensionPaths } from './paths';
import { ExtensionSettings, SECTION, readSettings } from './settings';
import { WorkerClient } from './workerClient';

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

const STATE_KEY = 'transformerExplorer.lastTraining';
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
  private _state: TrainingStateMessage;
  private _snapshots: AttentionSnapshot[] = [];
  private lastSettings: ExtensionSettings | null = null;
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
    this._state = context.globalState.get<TrainingStateMessage>(STATE_KEY) ?? idleState();
    if (this._state.status === 'training' || this._state.status === 'preparing') {
      this._state = {
        ...this._state,
        status: 'cancelled',
        statusText: 'Interrupted by a window reload',
      };
    }
  }

  get running(): boolean {
    return this.busy;
  }

  get state(): TrainingStateMessage {
    return this._state;
  }

  get snapshots(): AttentionSnapshot[] {
    return this._snapshots;
  }

  get settings(): ExtensionSettings | null {
    return this.lastSettings;
  }

  /** Train Transformer. Resolves when the run has ended (finished, cancelled or failed). */
  async start(): Promise<void> {
    if (this.busy) {
      // Not awaited: a command must not wait for someone to dismiss a notification.
      const last = this._state.points.at(-1);
      const where = last ? ` (epoch ${last.epoch}/${last.numEpochs})` : '';
      void vscode.window
        .showInformationMessage(
          `Training is already running${where}. It was not started again.`,
          'Show Training Panel',
          'Stop Training',
        )
        .then((choice) => {
          if (choice === 'Stop Training') this.stop();
          if (choice === 'Show Training Panel') {
            void vscode.commands.executeCommand('transformerExplorer.showTraining');
          }
        });
      return;
    }
    const read = readSettings(this.log);
    if (!read.ok) {
      this.log.warn(`Training refused, invalid settings: ${read.errors.join(' | ')}`);
      this.lastRefusal = read.errors.join('; ');
      void vscode.window
        .showErrorMessage(`Transformer settings are invalid: ${this.lastRefusal}`, 'Open Settings')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('transformerExplorer.openSettings');
        });
      return;
    }
    const settings = read.settings;
    this.lastSettings = settings;
    this.busy = true;
    this.stopRequested = false;
    // The new run's state is in place before anything is awaited: nobody sees the last run's
    // curve as this one's.
    this._snapshots = [];
    this.savedCheckpointDir = null;
    this.setState({
      ...idleState(),
      status: 'preparing',
      statusText: 'Getting the corpus…',
      hyperparameters: settings.hyperparameters,
    });
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
      if (this._state.points.length > 0 || this._state.status === 'finished') {
        await this.observer
          .ended(this._state, this.savedCheckpointDir, settings)
          .catch((err: unknown) => this.log.error(`Could not record the run: ${String(err)}`));
      }
      this.busy = false;
      await vscode.commands.executeCommand('setContext', 'transformerExplorer.training', false);
    }
  }

  /** Stop Training: asks the worker to stop between steps; the previous checkpoint stays. */
  stop(): boolean {
    if (!this.busy) return false;
    this.stopRequested = true;
    this.log.info('Stop requested');
    if (this.worker?.alive) {
      this.worker.send({ type: 'cancelTraining' });
      // A worker stuck inside one long step is ended outright after a grace period.
      const w = this.worker;
      setTimeout(() => void w.terminate(), 10_000).unref?.();
    }
    return true;
  }

  private runWorker(settings: ExtensionSettings, corpusPath: string): Promise<void> {
    const h = settings.hyperparameters;
    const worker = new WorkerClient(this.paths.workerScript);
    this.worker = worker;
    this.setState({
      ...this._state,
      status: 'training',
      statusText: 'Starting the training worker…',
    });
    return new Promise<void>((resolve, reject) => {
      void vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Training Transformer',
          cancellable: true,
        },
        (progress, token) =>
          new Promise<void>((done) => {
            token.onCancellationRequested(() => this.stop());
            let lastPct = 0;
            let lastLoss = '';
            const finish = (err?: unknown) => {
              off();
              done();
              if (err) reject(err);
              else resolve();
            };
            const off = worker.onMessage((m: WorkerToHost) => {
              try {
                if (this.handle(m, h.numEpochs)) finish();
                if (m.type === 'epoch') {
                  const pct = Math.floor((100 * m.point.epoch) / m.point.numEpochs);
                  lastLoss = `, loss ${m.point.lossPerToken.toFixed(3)}`;
                  progress.report({
                    increment: pct - lastPct,
                    message: `epoch ${m.point.epoch}/${m.point.numEpochs}${lastLoss}`,
                  });
                  lastPct = pct;
                }
                if (m.type === 'batchProgress') {
                  const p = m.progress;
                  const what =
                    p.phase === 'train'
                      ? `epoch ${p.epoch}/${p.numEpochs}, batch ${p.done}/${p.total}${lastLoss}`
                      : `held-out BLEU: ${p.done}/${p.total} sentences`;
                  progress.report({ message: what });
                }
                if (m.type === 'error' && m.requestId === undefined)
                  finish(new WorkerError(m.message, m.stack));
              } catch (err) {
                finish(err);
              }
            });
            void worker.exitedPromise.then((code) => {
              if (this.busy && this._state.status === 'training') {
                finish(
                  new Error(
                    this.stopRequested
                      ? 'Training stopped'
                      : `The training worker exited (code ${code})`,
                  ),
                );
              }
            });
            worker.send({
              type: 'startTraining',
              hyperparameters: h,
              backend: settings.backend,
              corpusPath,
              checkpointDir: this.paths.checkpointDir,
              wasmDir: this.paths.wasmDir,
              gpuModulePaths: [this.paths.gpuModulesDir],
              positionMode: settings.positionMode,
              probe: PROBE,
              snapshotEvery: settings.snapshotEvery,
              heldOutCount: settings.heldOutCount,
              threads: settings.threads,
            });
          }),
      );
    });
  }

  /** Applies one worker message; true when the run is over. */
  private handle(m: WorkerToHost, numEpochs: number): boolean {
    switch (m.type) {
      case 'backendSelected':
        this.log.info(`Backend: ${m.backend.label} — ${m.backend.reason}`);
        this.setState({
          ...this._state,
          backend: m.backend,
          statusText: `Training on ${m.backend.label}`,
        });
        return false;
      case 'dataReady': {
        this.log.info(
          `Data: ${m.pairs} pairs, vocabularies ${m.srcVocabSize}/${m.tgtVocabSize}, ${m.parameters} parameters`,
        );
        this._state = { ...this._state, pairs: m.pairs };
        const notice = examplesNotice(this._state);
        if (notice) this.log.warn(notice);
        return false;
      }
      case 'epoch':
        this._state = {
          ...this._state,
          points: [...this._state.points, m.point],
          statusText: `Epoch ${m.point.epoch}/${numEpochs}`,
        };
        this.observer.epoch(m.point);
        return false;
      case 'batchProgress':
        this.observer.batch(m.progress);
        return false;
      case 'snapshot':
        this._snapshots.push(m.snapshot);
        this.observer.snapshot(m.snapshot);
        return false;
      case 'log':
        this.log[m.level](m.message);
        return false;
      case 'trainingDone': {
        const s = m.summary;
        const notice = examplesNotice(this._state);
        const cancelled = s.cancelled;
        this.setState({
          ...this._state,
          status: cancelled ? 'cancelled' : 'finished',
          statusText: cancelled
            ? `Stopped after ${s.epochsCompleted} epochs; the previous model is kept`
            : `Finished ${s.epochsCompleted} epochs in ${s.seconds.toFixed(1)} s` +
              (notice ? `. ${notice}` : ''),
          seeds: m.seeds,
          heldOut: m.heldOut,
          summary: s,
        });
        this.log.info(
          `Training ${cancelled ? 'stopped' : 'finished'}: ${s.epochsCompleted} epochs, loss ${s.lossPerToken.toFixed(4)}, ` +
            `${Math.round(s.tokensPerSecond)} tokens/s, ${s.seconds.toFixed(1)} s`,
        );
        for (const seed of m.seeds)
          this.log.info(`  ${seed.source} => ${seed.translation} (BLEU ${seed.bleu?.toFixed(3)})`);
        this.savedCheckpointDir = m.checkpointDir;
        if (!cancelled) {
          const meanBleu =
            m.seeds.reduce((a, b) => a + (b.bleu ?? 0), 0) / Math.max(1, m.seeds.length);
          void vscode.window
            .showInformationMessage(
              `Transformer trained in ${s.seconds.toFixed(0)} s: loss ${s.lossPerToken.toFixed(3)}, seed-sentence BLEU ${meanBleu.toFixed(2)}.`,
              'Open Attention Panel',
              'Compare Runs',
            )
            .then((c) => {
              if (c === 'Open Attention Panel')
                void vscode.commands.executeCommand('transformerExplorer.openAttention');
              if (c === 'Compare Runs')
                void vscode.commands.executeCommand('transformerExplorer.compareRuns');
            });
        } else {
          void vscode.window.showInformationMessage(
            'Training stopped. The previous model (if any) is kept.',
          );
        }
        return true;
      }
      default:
        return false;
    }
  }

  private fail(err: unknown): void {
    if (
      err instanceof vscode.CancellationError ||
      (err instanceof Error && err.name === 'AbortError') ||
      this.stopRequested
    ) {
      this.setState({
        ...this._state,
        status: 'cancelled',
        statusText: 'Stopped; the previous model is kept',
      });
      this.log.info('Training stopped before it finished');
      return;
    }
    const message = err instanceof Error ? err.message : String(err);
    this.log.error(
      `Training failed: ${message}${err instanceof WorkerError && err.workerStack ? `\n${err.workerStack}` : ''}`,
    );
    this.setState({ ...this._state, status: 'failed', statusText: `Failed: ${message}` });
    void vscode.window.showErrorMessage(`Training failed: ${message}`, 'Show Log').then((c) => {
      if (c === 'Show Log') this.log.show();
    });
  }

  private setState(state: TrainingStateMessage): void {
    this._state = state;
    void this.context.globalState.update(STATE_KEY, state);
    this.observer.stateChanged(state);
  }

  dispose(): void {
    void this.worker?.terminate();
  }
}

class WorkerError extends Error {
  constructor(
    message: string,
    readonly workerStack?: string,
  ) {
    super(message);
  }
}

/** Why the run trains on fewer pairs than transformer.numExamples, or null (the log and the
 * training panel's status say it). */
function examplesNotice(state: TrainingStateMessage): string | null {
  const asked = state.hyperparameters?.numExamples;
  return asked && state.pairs !== undefined
    ? examplesShortfall(asked, state.pairs, `${SECTION}.numExamples`)
    : null;
}

function idleState(): TrainingStateMessage {
  return {
    type: 'trainingState',
    status: 'idle',
    statusText: 'No training yet. Run “Transformer: Train Transformer”.',
    hyperparameters: null,
    backend: null,
    points: [],
    seeds: [],
    heldOut: null,
    summary: null,
  };
}
