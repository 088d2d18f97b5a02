/**
 * What people see of a training run outside its panel: the progress notification while it runs
 * and the messages when it is refused, ends or fails. None of them is awaited: a command or a
 * worker message must never wait for someone to click.
 */
import * as vscode from 'vscode';
import type { TrainingDoneMessage, TrainingStateMessage, WorkerToHost } from '../shared/protocol';

export interface TrainingProgress {
  /** Updates the notification from a worker message (epochs and batches; others are ignored). */
  report(message: WorkerToHost): void;
  /** Closes the notification. */
  close(): void;
}

/** Opens the cancellable "Training Transformer" notification; its Cancel calls `cancel`. */
export function showTrainingProgress(cancel: () => void): TrainingProgress {
  let progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  let close = () => {};
  const closed = new Promise<void>((resolve) => (close = resolve));
  void vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: 'Training Transformer',
      cancellable: true,
    },
    (shown, token) => {
      progress = shown;
      token.onCancellationRequested(cancel);
      return closed;
    },
  );
  let lastPct = 0;
  let lastLoss = '';
  return {
    report(message) {
      if (message.type === 'epoch') {
        const point = message.point;
        const pct = Math.floor((100 * point.epoch) / point.numEpochs);
        lastLoss = `, loss ${point.lossPerToken.toFixed(3)}`;
        progress?.report({
          increment: pct - lastPct,
          message: `epoch ${point.epoch}/${point.numEpochs}${lastLoss}`,
        });
        lastPct = pct;
      } else if (message.type === 'batchProgress') {
        const batch = message.progress;
        progress?.report({
          message:
            batch.phase === 'train'
              ? `epoch ${batch.epoch}/${batch.numEpochs}, batch ${batch.done}/${batch.total}${lastLoss}`
              : `held-out BLEU: ${batch.done}/${batch.total} sentences`,
        });
      }
    },
    close: () => close(),
  };
}

/** Train Transformer while a run is going: says so, offers the panel or Stop. */
export function announceAlreadyRunning(state: TrainingStateMessage, stop: () => void): void {
  const last = state.points.at(-1);
  const where = last ? ` (epoch ${last.epoch}/${last.numEpochs})` : '';
  void vscode.window
    .showInformationMessage(
      `Training is already running${where}. It was not started again.`,
      'Show Training Panel',
      'Stop Training',
    )
    .then((choice) => {
      if (choice === 'Stop Training') stop();
      if (choice === 'Show Training Panel') {
        void vscode.commands.executeCommand('transformerExplorer.showTraining');
      }
    });
}

export function announceInvalidSettings(why: string): void {
  void vscode.window
    .showErrorMessage(`Transformer settings are invalid: ${why}`, 'Open Settings')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('transformerExplorer.openSettings');
    });
}

/** A run the worker finished (loss, seed BLEU, where to look next) or stopped. */
export function announceDone(done: TrainingDoneMessage): void {
  const summary = done.summary;
  if (summary.cancelled) {
    void vscode.window.showInformationMessage(
      'Training stopped. The previous model (if any) is kept.',
    );
    return;
  }
  const seeds = done.seeds;
  const meanBleu = seeds.reduce((a, seed) => a + (seed.bleu ?? 0), 0) / Math.max(1, seeds.length);
  void vscode.window
    .showInformationMessage(
      `Transformer trained in ${summary.seconds.toFixed(0)} s: loss ${summary.lossPerToken.toFixed(3)}, seed-sentence BLEU ${meanBleu.toFixed(2)}.`,
      'Open Attention Panel',
      'Compare Runs',
    )
    .then((choice) => {
      if (choice === 'Open Attention Panel')
        void vscode.commands.executeCommand('transformerExplorer.openAttention');
      if (choice === 'Compare Runs')
        void vscode.commands.executeCommand('transformerExplorer.compareRuns');
    });
}

export function announceFailure(message: string, log: vscode.LogOutputChannel): void {
  void vscode.window.showErrorMessage(`Training failed: ${message}`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') log.show();
  });
}
