import type { Command } from '../command';
import { runArgument } from './runArgument';

/** Runs view › Compare: the Compare Runs panel (the run table, loss curves, attention side by side). */
export const runCompare: Command = {
  id: 'runs.compare',
  async run({ panels }, arg) {
    runArgument(arg);
    await panels.show('compare');
  },
};
