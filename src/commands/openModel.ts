import * as vscode from 'vscode';
import { readSettings } from '../host/settings';
import { heldOutText } from '../runs/runLabel';
import type { RunRecord } from '../shared/protocol';
import { errorText } from '../util/errorText';
import { pickOne } from '../host/pickOne';
import { Command, commandId } from './command';

/**
 * Open Model…: a model the book's PyTorch code saved (.pt, or .safetensors with its JSON
 * sidecar) becomes an "imported" run in the history and the current model, so Translate
 * Selection, the attention panel and Compare Runs use it. Its held-out BLEU is scored next (in
 * the worker, cancellable; docs/model-files.md says which pairs), with the corpus if it is on
 * this machine: a failure leaves the run without a score and says why. A file Uri argument (the Explorer's
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
    // Scored in the worker with its own cancellable notification; a failure keeps the import.
    const heldOut = await explorer.heldOut.score(run, { download: false });
    announce(heldOut.ok ? heldOut.run : run, heldOut.ok ? null : heldOut.reason);
    return heldOut.ok ? heldOut.run : run;
  },
};

const pickModelFile = () =>
  pickOne({
    title: 'Open a model saved by the book’s PyTorch code',
    openLabel: 'Open Model',
    filters: { 'PyTorch models': ['pt', 'pth', 'safetensors'] },
  });

/** The message's buttons and the commands they run. */
const ACTIONS: Readonly<Record<string, string>> = {
  'Open Attention Panel': 'openAttention',
  'Compare Runs': 'compareRuns',
  'Score Held-out BLEU': 'scoreHeldOut',
};

/** What was opened, its held-out BLEU or why it has none, and the next steps. */
function announce(run: RunRecord, heldOutMissing: string | null): void {
  const h = run.hyperparameters;
  const sizes =
    `${h.numLayers} layers, ${h.numHeads} heads, ${h.numHiddens} hidden` +
    (h.attentionFunction === 'additive' ? ', additive attention' : '');
  const score = heldOutMissing
    ? `Held-out BLEU not scored: ${heldOutMissing}.`
    : `${heldOutText(run.heldOut)}.`;
  const first = heldOutMissing ? 'Score Held-out BLEU' : 'Open Attention Panel';
  void vscode.window
    .showInformationMessage(
      `Opened as Run ${run.number} (${sizes}): translations and the attention panel use it now. ${score}`,
      first,
      'Compare Runs',
    )
    .then((choice) => {
      const command = choice && ACTIONS[choice];
      // Score Held-out BLEU scores this run (which may no longer be the current one by then).
      const args = command === 'scoreHeldOut' ? [run.id] : [];
      if (command) void vscode.commands.executeCommand(commandId(command), ...args);
    });
}
