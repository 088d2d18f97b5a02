/** How a run is named for people, everywhere it appears. */
import type { HeldOutScore, RunRecord } from '../shared/protocol';

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

/**
 * "Held-out BLEU-2 0.412, corpus BLEU-4 0.123 on 200 pairs", or "Held-out BLEU not scored" (the
 * Runs view's tooltip, the log, Open Model's message).
 */
export function heldOutText(heldOut: HeldOutScore | null | undefined): string {
  if (!heldOut) return 'Held-out BLEU not scored';
  const pairs = `${heldOut.count} pair${heldOut.count === 1 ? '' : 's'}`;
  return `Held-out BLEU-2 ${heldOut.meanBleu2.toFixed(3)}, corpus BLEU-4 ${heldOut.corpusBleu4.toFixed(3)} on ${pairs}`;
}
