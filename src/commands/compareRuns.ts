import type { Command } from './command';

/** Compare Runs: the run history as a table, loss curves and attention side by side. */
export const compareRuns: Command = {
  id: 'compareRuns',
  run: ({ panels }) => panels.show('compare'),
};
