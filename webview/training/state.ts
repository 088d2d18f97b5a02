/**
 * What the training panel shows: the host's last training state with the epochs streamed since
 * (kept through getState/setState, so a re-shown panel draws at once), and the latest progress
 * inside an epoch or the held-out evaluation (not kept: it is stale at once). Only this module
 * changes it.
 */
import type { BatchProgress, EpochPoint, TrainingStateMessage } from '../../src/shared/protocol';
import type { HeldOutStart } from '../shared/format';
import { getState, setState } from '../shared/vscodeApi';

export interface TrainingState {
  run: TrainingStateMessage | null;
  /** "Show as table": the loss curve as a table of its points. */
  lossTable: boolean;
  batch: BatchProgress | null;
  /** Where the held-out evaluation's pace is measured from. */
  heldOutStart: HeldOutStart | null;
}

export const state: TrainingState = {
  run: null,
  lossTable: false,
  batch: null,
  heldOutStart: null,
};

/** What setState keeps (the shape earlier versions saved, and the table view). */
interface SavedState {
  state: TrainingStateMessage | null;
  lossTable?: boolean;
}

function save(): void {
  setState<SavedState>({ state: state.run, lossTable: state.lossTable });
}

export function restore(): boolean {
  const saved = getState<SavedState>();
  if (typeof saved?.lossTable === 'boolean') state.lossTable = saved.lossTable;
  if (!saved?.state) return false;
  state.run = saved.state;
  return true;
}

export function setLossTable(show: boolean): void {
  state.lossTable = show;
  save();
}

/** Training runs (or has not reported yet): batch progress is shown. */
export function isRunning(): boolean {
  const run = state.run;
  return !run || run.status === 'training' || run.status === 'preparing';
}

export function applyTrainingState(m: TrainingStateMessage): void {
  state.run = { ...m, points: [...m.points] };
  if (!isRunning() || m.status === 'preparing') {
    state.batch = null; // finished, stopped, or a new run
    state.heldOutStart = null;
  }
  save();
}

/**
 * One more epoch. `first`: the panel had no state (it opened during training) and now has one;
 * `duplicate`: already shown (e.g. restored state); `appended`: one more point.
 */
export function addEpoch(point: EpochPoint): 'first' | 'duplicate' | 'appended' {
  const run = state.run;
  if (!run) {
    state.run = {
      type: 'trainingState',
      status: 'training',
      statusText: 'Training',
      hyperparameters: null,
      backend: null,
      points: [point],
      seeds: [],
      heldOut: null,
      summary: null,
    };
    save();
    return 'first';
  }
  const last = run.points[run.points.length - 1];
  if (last && point.epoch <= last.epoch) return 'duplicate';
  run.points.push(point);
  save();
  const batch = state.batch;
  if (batch?.phase === 'train' && batch.epoch <= point.epoch) {
    // The epoch is over: show it full until the next epoch's first message.
    state.batch = { ...batch, epoch: point.epoch, done: batch.total };
  }
  return 'appended';
}

/** Progress inside an epoch or the held-out pairs; false when training is over. */
export function applyBatch(p: BatchProgress): boolean {
  if (!isRunning()) return false;
  if (p.phase === 'heldOut' && state.batch?.phase !== 'heldOut') {
    state.heldOutStart = { elapsedSeconds: p.elapsedSeconds, done: p.done };
  }
  state.batch = p;
  return true;
}
