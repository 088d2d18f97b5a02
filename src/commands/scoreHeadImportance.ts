import type { Command } from './command';
import { optionalRunId } from './runs/runArgument';

/**
 * Score Head Importance: every attention head of the current model (or of the run given: a run
 * id from Compare Runs' button, a run of the Runs view) scored over the held-out pairs (BLEU
 * drop, loss increase, gradient score) with its statistics, into the run's record and, for the
 * current model, the Heads panel (src/host/headScoring.ts).
 */
export const scoreHeadImportance: Command = {
  id: 'scoreHeadImportance',
  run: ({ heads }, arg) => heads.score(optionalRunId(arg)),
};
