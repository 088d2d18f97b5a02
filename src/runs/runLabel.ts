/** How a run is named for people, everywhere it appears. */
import type { RunRecord } from '../shared/protocol';

/**
 * "Run 3 · 2 layers · dot product" (the attention function only when it is not the default);
 * an imported run adds its file's name: "Run 4 · 4 layers · model.pt".
 */
export function runLabel(run: Pick<RunRecord, 'number' | 'hyperparameters' | 'imported'>): string {
  const h = run.hyperparameters;
  const layers = `${h.numLayers} layer${h.numLayers === 1 ? '' : 's'}`;
  const attention = h.attentionFunction === 'additive' ? ' · additive' : '';
  // No node:path: the webviews use this too.
  const file = run.imported ? ` · ${run.imported.file.split(/[\\/]/).pop()}` : '';
  return `Run ${run.number} · ${layers}${attention}${file}`;
}
