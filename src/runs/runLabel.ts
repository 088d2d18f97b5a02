/** How a run is named for people, everywhere it appears. */
import type { RunRecord } from '../shared/protocol';

/** "Run 3 · 2 layers · dot product" (the attention function only when it is not the default). */
export function runLabel(run: Pick<RunRecord, 'number' | 'hyperparameters'>): string {
  const h = run.hyperparameters;
  const layers = `${h.numLayers} layer${h.numLayers === 1 ? '' : 's'}`;
  const attention = h.attentionFunction === 'additive' ? ' · additive' : '';
  return `Run ${run.number} · ${layers}${attention}`;
}
