import * as path from 'node:path';
import * as vscode from 'vscode';
import { existingTargets, exportCheckpoint, exportTargets } from '../interop/checkpointModel';
import { InteropError } from '../interop/errors';
import { pickOne } from '../host/pickOne';
import { Command } from './command';

/**
 * Export Model for PyTorch: the current model as model.pt (torch.load, then the book's
 * net.load_state_dict) and as model.safetensors with its sidecar model.json, into a folder the
 * user picks. Files already there are replaced only after a modal question (nothing is
 * overwritten unasked, as everywhere in this extension). A folder Uri argument skips the picker.
 */
export const exportModel: Command = {
  id: 'exportModel',
  async run(explorer, target?: unknown) {
    if (!explorer.translations.hasModel()) {
      void vscode.window.showWarningMessage(
        'There is no model to export yet: train one (Train Transformer) or open one (Open Model…).',
      );
      return undefined;
    }
    const folder = target instanceof vscode.Uri ? target : await pickFolder();
    if (!folder) return undefined;
    const targets = exportTargets(folder.fsPath);
    const existing = await existingTargets(targets);
    if (existing.length && !(await confirmReplace(existing, folder.fsPath))) return undefined;
    let written: string[];
    try {
      written = await exportCheckpoint(explorer.paths.checkpointDir, targets, { replace: true });
    } catch (err) {
      if (!(err instanceof InteropError)) throw err;
      void vscode.window.showErrorMessage(`Export Model for PyTorch: ${err.message}`);
      return undefined;
    }
    explorer.log.info(`Exported the current model: ${written.join(', ')}`);
    void vscode.window
      .showInformationMessage(
        `Exported ${written.map((f) => path.basename(f)).join(', ')} to ${folder.fsPath}. ` +
          "In the book's notebook: net.load_state_dict(torch.load('model.pt')['net']).",
        'Reveal in File Explorer',
      )
      .then(
        (choice) =>
          choice && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(targets.pt)),
      );
    return written;
  },
};

const pickFolder = () =>
  pickOne({
    title: 'Export the current model for PyTorch into a folder',
    openLabel: 'Export Here',
    canSelectFiles: false,
    canSelectFolders: true,
  });

async function confirmReplace(existing: string[], folder: string): Promise<boolean> {
  const names = existing.map((f) => path.basename(f)).join(', ');
  const choice = await vscode.window.showWarningMessage(
    `${names} already exist${existing.length === 1 ? 's' : ''} in ${folder}. Replace?`,
    { modal: true },
    'Replace',
  );
  return choice === 'Replace';
}
