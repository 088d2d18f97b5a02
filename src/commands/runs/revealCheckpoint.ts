import * as vscode from 'vscode';
import type { Command } from '../command';
import { runArgument } from './runArgument';

/**
 * Runs view › Reveal Checkpoint: the run's saved model (checkpoint.json, weights.bin) in the
 * system's file manager; where there is none (a remote window, code-server), the
 * folder's path is copied and shown instead.
 */
export const runRevealCheckpoint: Command = {
  id: 'runs.revealCheckpoint',
  async run({ history }, arg) {
    const run = runArgument(arg);
    if (!run.hasCheckpoint) throw new Error(`Run ${run.number} has no saved model`);
    const dir = vscode.Uri.file(history.store.checkpointDir(run.id));
    if (vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) {
      await vscode.commands.executeCommand('revealFileInOS', dir);
      return dir.fsPath;
    }
    await vscode.env.clipboard.writeText(dir.fsPath);
    void vscode.window.showInformationMessage(
      `Run ${run.number}'s model is in ${dir.fsPath} (path copied).`,
    );
    return dir.fsPath;
  },
};
