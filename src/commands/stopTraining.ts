import * as vscode from 'vscode';
import type { Command } from './command';

/** Stop Training: the run stops between steps and the previous model stays. */
export const stopTraining: Command = {
  id: 'stopTraining',
  run({ training }) {
    if (!training.stop()) void vscode.window.showInformationMessage('No training is running.');
  },
};
