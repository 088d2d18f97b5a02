import { confirmAndDeleteRun } from '../../host/runActions';
import type { Command } from '../command';
import { runArgument } from './runArgument';

/**
 * Runs view › Delete from History…: after a modal confirmation, removes the run's folder from the
 * extension's own storage (its record and its copy of the model). Nothing else is touched: the
 * current model and any file of the user's stay.
 */
export const runDelete: Command = {
  id: 'runs.delete',
  run: ({ history }, arg) => confirmAndDeleteRun(history, runArgument(arg).id),
};
