import type { Command } from './command';

/**
 * Score Head Importance: every attention head of the current model scored over the held-out
 * pairs (BLEU drop, loss increase, gradient score) with its statistics, into the Heads panel
 * and the current run's record (src/host/headScoring.ts).
 */
export const scoreHeadImportance: Command = {
  id: 'scoreHeadImportance',
  run: ({ heads }) => heads.score(),
};
