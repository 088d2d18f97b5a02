/**
 * The state of the last training run as the training panel and the status bar show it, kept in
 * the extension's global state so that it survives a window reload.
 */
import type * as vscode from 'vscode';
import { examplesShortfall } from '../config/hyperparameters';
import type { TrainingDoneMessage, TrainingStateMessage } from '../shared/protocol';
import { SECTION } from './settings';

const STATE_KEY = 'transformerExplorer.lastTraining';

export class TrainingStateStore {
  private state: TrainingStateMessage;

  /** `changed`: told every state set() saves (the panel and the status bar redraw). */
  constructor(
    private readonly memento: vscode.Memento,
    private readonly changed: (state: TrainingStateMessage) => void,
  ) {
    const saved = memento.get<TrainingStateMessage>(STATE_KEY) ?? idleState();
    // A run that was going when the window reloaded did not survive it.
    this.state =
      saved.status === 'training' || saved.status === 'preparing'
        ? { ...saved, status: 'cancelled', statusText: 'Interrupted by a window reload' }
        : saved;
  }

  get current(): TrainingStateMessage {
    return this.state;
  }

  /** Replaces the state, saves it and tells `changed`. */
  set(state: TrainingStateMessage): void {
    this.state = state;
    void this.memento.update(STATE_KEY, state);
    this.changed(state);
  }

  /** Changes the state without saving or telling `changed`: for what goes out as messages of
   * its own (a new epoch point) or waits for the next set() (the number of pairs). */
  patch(changes: Partial<TrainingStateMessage>): void {
    this.state = { ...this.state, ...changes };
  }
}

export function idleState(): TrainingStateMessage {
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

/** The state a run ends in when the worker says it is done (finished or stopped). */
export function doneState(
  state: TrainingStateMessage,
  done: TrainingDoneMessage,
): TrainingStateMessage {
  const summary = done.summary;
  const notice = examplesNotice(state);
  return {
    ...state,
    status: summary.cancelled ? 'cancelled' : 'finished',
    statusText: summary.cancelled
      ? `Stopped after ${summary.epochsCompleted} epochs; the previous model is kept`
      : `Finished ${summary.epochsCompleted} epochs in ${summary.seconds.toFixed(1)} s` +
        (notice ? `. ${notice}` : ''),
    seeds: done.seeds,
    heldOut: done.heldOut,
    summary,
  };
}

/** Why the run trains on fewer pairs than transformer.numExamples, or null (the log and the
 * training panel's status say it). */
export function examplesNotice(state: TrainingStateMessage): string | null {
  const asked = state.hyperparameters?.numExamples;
  return asked && state.pairs !== undefined
    ? examplesShortfall(asked, state.pairs, `${SECTION}.numExamples`)
    : null;
}
