/**
 * After the transformer.* settings change (debounced: one check per burst of edits), offers to
 * retrain when the saved model no longer matches them in a key that shapes the model or its data.
 */
import * as vscode from 'vscode';
import { architectureDifferences } from '../checkpoint/manifest';
import { readManifest } from '../checkpoint/readManifest';
import { importedFrom } from '../interop/checkpointModel';
import type { Hyperparameters } from '../config/hyperparameters';
import type { Explorer } from './explorer';
import { readSettings, SECTION } from './settings';

const DEBOUNCE_MS = 1000;

export function watchForStaleModel(explorer: Explorer): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const listener = vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration(SECTION)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void offerRetrain(explorer), DEBOUNCE_MS);
  });
  return {
    dispose: () => {
      clearTimeout(timer);
      listener.dispose();
    },
  };
}

async function offerRetrain(explorer: Explorer): Promise<void> {
  const read = readSettings();
  if (!read.ok || explorer.training.running) return;
  const diff = await staleDifferences(explorer.paths.checkpointDir, read.settings.hyperparameters);
  if (diff.length === 0) return;
  explorer.log.info(`The saved model is stale: ${diff.join('; ')}`);
  const choice = await vscode.window.showWarningMessage(
    `The trained model no longer matches the settings (${diff.join('; ')}). Retrain it?`,
    'Train Transformer',
  );
  if (choice) void vscode.commands.executeCommand('transformerExplorer.train');
}

/**
 * How the saved model differs from the settings in the keys that shape the model or its data
 * (empty when it matches, when there is no model yet, or when the model was opened from a file).
 */
export async function staleDifferences(
  checkpointDir: string,
  settings: Hyperparameters,
): Promise<string[]> {
  try {
    const manifest = await readManifest(checkpointDir);
    // An opened model (Open Model…) was not trained from these settings: never "stale".
    if (importedFrom(manifest.metrics) !== undefined) return [];
    return architectureDifferences(manifest.hyperparameters, settings);
  } catch {
    return [];
  }
}
