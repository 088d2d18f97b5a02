import * as vscode from 'vscode';
import { heldOutText, runLabel } from '../runs/runLabel';
import type { Command } from './command';
import { optionalRunId } from './runs/runArgument';

/**
 * Score Held-out BLEU: a run's model (the Runs view's run, a Compare Runs button's run, or the
 * current model's run from the Command Palette) scored on the held-out pairs after its training
 * pairs, kept in its record (src/host/heldOutScoring.ts). The corpus is downloaded first if it
 * is not here (asked for explicitly). Resolves to the updated run, or undefined.
 */
export const scoreHeldOut: Command = {
  id: 'scoreHeldOut',
  async run(explorer, arg) {
    const store = explorer.history.store;
    const id = optionalRunId(arg) ?? (await store.currentRunId());
    const run = id ? await store.get(id) : null;
    if (!run) {
      void vscode.window.showInformationMessage(
        id
          ? 'This run is no longer in the history.'
          : 'There is no model to score yet: train one (Transformer: Train Transformer) or open one (Transformer: Open Model…).',
      );
      return undefined;
    }
    const outcome = await explorer.heldOut.score(run, { download: true });
    if (!outcome.ok) {
      void vscode.window.showWarningMessage(
        `${runLabel(run)}: held-out BLEU not scored: ${outcome.reason}.`,
      );
      return undefined;
    }
    void vscode.window.showInformationMessage(
      `${runLabel(outcome.run)}: ${heldOutText(outcome.run.heldOut)}.`,
    );
    return outcome.run;
  },
};
