/**
 * What the training panel says where a result is missing, true to the run's state (a stopped
 * run saved no model: its seed translations never come), and what its two speeds are. Pure.
 */
import type { TrainingStateMessage } from '../../src/shared/protocol';

type Status = TrainingStateMessage['status'];

export interface ResultNotes {
  /** Where the seed sentences' translations would be. */
  seeds: string;
  /** Where the held-out scores would be. */
  heldOut: string;
}

export function resultNotes(status: Status): ResultNotes {
  switch (status) {
    case 'cancelled':
      return {
        seeds:
          'Training was stopped, so no new model was saved and the seed sentences were not ' +
          'translated. The previous model, if there is one, stays current.',
        heldOut: 'Not scored: training was stopped before it ended.',
      };
    case 'failed':
      return {
        seeds: 'Training failed, so there is no new model to translate the seed sentences.',
        heldOut: 'Not scored: training failed.',
      };
    case 'finished':
      return {
        seeds: 'This run translated no seed sentences.',
        heldOut: 'Not scored: no pairs were kept out of training (transformer.heldOutCount is 0).',
      };
    default:
      return {
        seeds: 'Translations of the seed sentences appear when training ends.',
        heldOut: 'Scored on pairs kept out of training, when training ends.',
      };
  }
}

/**
 * The two tokens-per-second figures (src/train/epochLoop.ts): the stat is the latest epoch's
 * own speed, the summary the mean over the whole training loop.
 */
export const SPEED_NOTES = {
  epochLabel: 'Tokens/s (last epoch)',
  epoch:
    'Target tokens per second in the latest epoch: its mini-batches only (forward pass, ' +
    'backward pass and Adam step).',
  run:
    'Mean over the whole training: all target tokens divided by the time from the first ' +
    'mini-batch to the end of the last epoch. Unlike the per-epoch figure it includes the ' +
    'attention snapshots and reports between epochs and the slower first epoch; reading the ' +
    'corpus, building the model, the seed translations and the held-out evaluation are not counted.',
} as const;

/** Whether the panel has anything to show but "no training yet". */
export function neverTrained(run: Pick<TrainingStateMessage, 'status' | 'points'>): boolean {
  return run.status === 'idle' && run.points.length === 0;
}
