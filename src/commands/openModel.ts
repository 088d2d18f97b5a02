import * as vscode from 'vscode';
import { readSettings } from '../host/settings';
import type { RunRecord } from '../shared/protocol';
import { errorText } from '../util/errorText';
import { pickOne } from '../host/pickOne';
import { Command, commandId } from './command';

/**
 * Open Model…: a model the book's PyTorch code saved (.pt, or .safetensors with its JSON
 * sidecar) becomes an "imported" run in the history and the current model, so Translate
 * Selection, the attention panel and Compare Runs use it. A file Uri argument (the Explorer's
 * context menu, executeCommand) skips the file picker. A file that is not such a model is an
 * error message naming what is wrong (the tensor and both shapes); nothing else changes.
 */
export const openModel: Command = {
  id: 'openModel',
  async run(explorer, target?: unknown) {
    const file = target instanceof vscode.Uri ? target : await pickModelFile();
    if (!file) return undefined;
    const name = file.path.split('/').pop();
    const read = readSettings();
    const positionMode = read.ok ? read.settings.positionMode : 'correct';
    let run: RunRecord;
    try {
      run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Opening ${name}…` },
        () => explorer.history.addImported(file.fsPath, positionMode),
      );
    } catch (err) {
      // The worker's message (an InteropError's: the file, then the tensor and shapes) as it is.
      const message = errorText(err);
      explorer.log.warn(`Open Model: ${message}`);
      void vscode.window.showErrorMessage(`Cannot open this model. ${message}`);
      return undefined;
    }
    announce(run);
    return run;
  },
};

const pickModelFile = () =>
  pickOne({
    title: 'Open a model saved by the book’s PyTorch code',
    openLabel: 'Open Model',
    filters: { 'PyTorch models': ['pt', 'pth', 'safetensors'] },
  });

function announce(run: RunRecord): void {
  const h = run.hyperparameters;
  const sizes =
    `${h.numLayers} layers, ${h.numHeads} heads, ${h.numHiddens} hidden` +
    (h.attentionFunction === 'additive' ? ', additive attention' : '');
  void vscode.window
    .showInformationMessage(
      `Opened as Run ${run.number} (${sizes}): translations and the attention panel use it now.`,
      'Open Attention Panel',
      'Compare Runs',
    )
    .then((choice) => {
      if (choice === 'Open Attention Panel')
        void vscode.commands.executeCommand(commandId('openAttention'));
      if (choice === 'Compare Runs') void vscode.commands.executeCommand(commandId('compareRuns'));
    });
}
