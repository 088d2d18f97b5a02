import { makeRunCurrent } from '../../host/runActions';
import type { Command } from '../command';
import { runArgument } from './runArgument';

/** Runs view › Make Current: the run's model becomes the one translations and attention use. */
export const runMakeCurrent: Command = {
  id: 'runs.makeCurrent',
  run: ({ history }, arg) => makeRunCurrent(history, runArgument(arg).id),
};
