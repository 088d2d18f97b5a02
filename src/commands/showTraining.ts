import type { Command } from './command';

/** Show Training Panel (also the status bar item's click). */
export const showTraining: Command = {
  id: 'showTraining',
  run: ({ panels }) => panels.show('training'),
};
