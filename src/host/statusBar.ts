import * as vscode from 'vscode';
import { runLabel } from '../runs/runLabel';
import type {
  BatchProgress,
  EpochPoint,
  RunRecord,
  TrainingStateMessage,
} from '../shared/protocol';

/**
 * Backend, epoch and loss while training; after it, the model translations use (the current run
 * of the history) — also after Stop Training, which keeps that model. Click: the training panel.
 */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'transformerExplorer.status',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private backend = '';
  private state: TrainingStateMessage | null = null;
  private currentRun: RunRecord | null = null;

  constructor() {
    this.item.name = 'Transformer training';
    this.item.command = 'transformerExplorer.showTraining';
  }

  /** The run whose model is current (RunHistory's current run), or null: shown when idle. */
  setCurrentRun(run: RunRecord | null): void {
    this.currentRun = run;
    if (this.state && !isRunning(this.state)) this.update(this.state);
  }

  /** The text on the status bar now (the test API reads it). */
  get text(): string {
    return this.item.text;
  }

  update(state: TrainingStateMessage): void {
    this.state = state;
    this.backend = state.backend?.name ?? this.backend;
    const last = state.points.at(-1);
    switch (state.status) {
      case 'preparing':
        this.show('$(sync~spin) Transformer: preparing', state.statusText);
        break;
      case 'training':
        if (last) this.epoch(last);
        else this.show('$(sync~spin) Transformer: starting', state.statusText);
        break;
      case 'finished':
        if (this.currentRun) this.showCurrentModel(state);
        else
          this.show(
            `$(check) Transformer: loss ${state.summary?.lossPerToken.toFixed(3)} (${this.backend})`,
            state.statusText,
          );
        break;
      case 'failed':
        this.show('$(error) Transformer: training failed', state.statusText);
        break;
      default: // idle, or stopped: the previous model is the one in use
        this.showCurrentModel(state);
    }
  }

  /** "Transformer: Run 3 · 2 layers" (the current model), or "stopped" without one. */
  private showCurrentModel(state: TrainingStateMessage): void {
    const run = this.currentRun;
    const stopped = state.status === 'cancelled' ? `${state.statusText}. ` : '';
    if (run) {
      const loss = run.summary ? ` · loss ${run.summary.lossPerToken.toFixed(3)}` : '';
      this.show(
        `$(check) Transformer: ${runLabel(run)}${loss}`,
        `${stopped}${runLabel(run)} is the current model: translations and attention use it. Click for the training panel.`,
      );
    } else if (state.status === 'cancelled') {
      this.show('$(debug-stop) Transformer: stopped', state.statusText);
    } else {
      this.item.hide();
    }
  }

  epoch(point: EpochPoint): void {
    this.show(
      `$(sync~spin) Transformer ${point.epoch}/${point.numEpochs} · loss ${point.lossPerToken.toFixed(3)} · ${this.backend}`,
      `Training on ${this.backend}: ${Math.round(point.tokensPerSecond)} tokens/s. Click for the training panel.`,
    );
  }

  /** Inside a long epoch (or the held-out evaluation): how far it has got. */
  batch(progress: BatchProgress): void {
    const pct = Math.floor((100 * progress.done) / Math.max(1, progress.total));
    this.show(
      progress.phase === 'train'
        ? `$(sync~spin) Transformer ${progress.epoch}/${progress.numEpochs} · ${pct}% · ${this.backend}`
        : `$(sync~spin) Transformer: held-out BLEU ${pct}%`,
      progress.phase === 'train'
        ? `Epoch ${progress.epoch} of ${progress.numEpochs}: batch ${progress.done} of ${progress.total}. Click for the training panel.`
        : `Scoring ${progress.total} held-out pairs: ${progress.done} done.`,
    );
  }

  private show(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function isRunning(state: TrainingStateMessage): boolean {
  return state.status === 'preparing' || state.status === 'training';
}
