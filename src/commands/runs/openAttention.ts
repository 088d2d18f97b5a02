import * as vscode from 'vscode';
import { makeRunCurrent } from '../../host/runActions';
import { showAttention } from '../../host/translateAndShow';
import type { Command } from '../command';
import { runArgument } from './runArgument';

/**
 * Runs view › Open Attention: the attention panel shows the current model's translations, so a
 * run that is not current is made current first, after asking (it replaces the current model).
 */
export const runOpenAttention: Command = {
  id: 'runs.openAttention',
  async run(explorer, arg) {
    const run = runArgument(arg);
    const { currentRunId } = await explorer.history.state();
    if (run.id !== currentRunId) {
      if (!run.hasCheckpoint) {
        void vscode.window.showInformationMessage(
          `Run ${run.number} has no saved model (it was ${run.status}): there is no attention to show.`,
        );
        return;
      }
      const choice = await vscode.window.showInformationMessage(
        `The attention panel shows the current model. Make Run ${run.number} the current model?`,
        { modal: true },
        'Make Current',
      );
      if (choice !== 'Make Current') return;
      await makeRunCurrent(explorer.history, run.id);
    }
    await showAttention(explorer);
  },
};
