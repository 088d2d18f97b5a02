import * as vscode from 'vscode';
import type { BatchProgress, EpochPoint, TrainingStateMessage } from '../shared/protocol';

/** Backend, epoch and loss while training; the last result after. Click: the training panel. */
export class TrainingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'transformerExplorer.status',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private backend = '';

  constructor() {
    this.item.name = 'Transformer training';
    this.item.command = 'transformerExplorer.showTraining';
  }

  update(state: TrainingStateMessage): void {
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
        this.show(
          `$(check) Transformer: loss ${state.summary?.lossPerToken.toFixed(3)} (${this.backend})`,
          state.statusText,
        );
        break;
      case 'cancelled':
      case 'failed':
        this.show(
          `$(${state.status === 'failed' ? 'error' : 'debug-stop'}) Transformer: ${state.status}`,
          state.statusText,
        );
        break;
      default:
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
