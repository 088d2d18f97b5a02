import { architectureDifferences } from '../checkpoint/manifest';
import { readManifest } from '../checkpoint/readManifest';
import type { Hyperparameters } from '../config/hyperparameters';

/**
 * How the saved model differs from the settings in the keys that shape the model or its data
 * (empty when it matches, or when there is no model yet).
 */
export async function staleDifferences(
  checkpointDir: string,
  settings: Hyperparameters,
): Promise<string[]> {
  try {
    const manifest = await readManifest(checkpointDir);
    return architectureDifferences(manifest.hyperparameters, settings);
  } catch {
    return [];
  }
}
