/**
 * The round trip with PyTorch (test/reference/interop_roundtrip.py): our models, built here and
 * exported for PyTorch by test/reference/write_our_models.ts, and rebuilt by the parity test.
 */
import { ExportableModel, importPt } from '../../src/interop';
import type { AttentionFunction } from '../../src/model/config';
import { Transformer } from '../../src/model/transformer';
import { fixtureBytes } from './interopFixtures';

/** src/model's initialisation from a seed, with book-trained.pt's sizes and vocabularies. */
export const OUR_MODELS: Record<string, { attentionFunction: AttentionFunction; seed: number }> = {
  'ours-dot': { attentionFunction: 'dotProduct', seed: 7 },
  'ours-additive': { attentionFunction: 'additive', seed: 8 },
};

/**
 * Our model `name` and what the exporters take of it (the caller disposes the model). The
 * model runs with dropout off (the parity forward pass); the export keeps the book's rate,
 * which does not change the initial weights.
 */
export function ourModel(
  name: string,
  bookTrained: Uint8Array = fixtureBytes('book-trained.pt'),
): { model: Transformer; exportable: ExportableModel } {
  const book = importPt(bookTrained);
  const spec = OUR_MODELS[name];
  const config = { ...book.config, attentionFunction: spec.attentionFunction };
  const model = new Transformer({ ...config, dropout: 0 }, spec.seed);
  const params = model.params.entries().map(([n, v]) => ({
    name: n,
    shape: v.shape,
    data: v.dataSync() as Float32Array,
  }));
  const exportable = { ...book, config, params };
  return { model, exportable };
}
