import { ModelConfig } from '../model/config';
import { DEFAULT_LIMITS, InteropLimits, fail, limitsWith } from './errors';
import { ModelMeta, formatSidecar, parseMeta, parseSidecar } from './modelMeta';
import { NamedTensor, RawTensor } from './modelFile';
import { writeSafetensors, readSafetensors } from './safetensors';
import { ImportedModel, mapStateDict } from './stateDict';
import { readPt, writePt } from './torchPt';

/**
 * Models to and from the book's PyTorch code, in memory (./files.ts reads and writes files):
 *
 * - importPt(bytes): a .pt the book's notebook saved with torch.save({'net': net.state_dict(),
 *   'src_vocab': src_vocab.idx_to_token, 'tgt_vocab': tgt_vocab.idx_to_token,
 *   'num_heads': num_heads, 'num_steps': num_steps}, 'model.pt');
 * - importSafetensors(bytes, sidecarText): model.safetensors with its sidecar model.json
 *   holding the same keys as JSON;
 * - exportPt(model) and exportSafetensors(model): the same formats back, float32.
 *
 * Every failure is an InteropError whose message says what is wrong, naming tensors and shapes.
 */

/** What the exporters take: a model's config, its parameters in our order, vocabularies. */
export interface ExportableModel {
  config: ModelConfig;
  numSteps: number;
  srcVocab: readonly string[];
  tgtVocab: readonly string[];
  params: readonly NamedTensor[];
}

export function importPt(bytes: Uint8Array, limits: Partial<InteropLimits> = {}): ImportedModel {
  return mapStateDict(readPt(bytes, limitsWith(limits)));
}

export function importSafetensors(
  bytes: Uint8Array,
  sidecarText: string,
  limits: Partial<InteropLimits> = {},
  sidecarName = 'the sidecar',
): ImportedModel {
  const all = limitsWith(limits);
  const meta = parseSidecar(sidecarText, sidecarName, all);
  return mapStateDict({ tensors: readSafetensors(bytes, all).tensors, meta });
}

/** A .pt that torch.load reads and the book's net.load_state_dict(checkpoint['net']) accepts. */
export function exportPt(model: ExportableModel): Buffer {
  const { params, meta } = checkedExport(model);
  return writePt({ tensors: params, meta });
}

/** model.safetensors (float32) and the text of its sidecar model.json. */
export function exportSafetensors(model: ExportableModel): {
  safetensors: Buffer;
  sidecar: string;
} {
  const { params, meta } = checkedExport(model);
  return { safetensors: writeSafetensors(params), sidecar: formatSidecar(meta) };
}

/**
 * The exporters write only what the importers read back as the same model: the parameters go
 * through the importer's checks, and the sizes the shapes tell must equal `model.config`.
 */
function checkedExport(model: ExportableModel): { params: NamedTensor[]; meta: ModelMeta } {
  const bookKeys = {
    src_vocab: [...model.srcVocab],
    tgt_vocab: [...model.tgtVocab],
    num_heads: model.config.numHeads,
    num_steps: model.numSteps,
    dropout: model.config.dropout,
  };
  const meta = parseMeta(bookKeys, 'the exported model', DEFAULT_LIMITS);
  const tensors = new Map<string, RawTensor>();
  for (const p of model.params) {
    const elements = p.shape.reduce((a, b) => a * b, 1);
    if (p.data.length !== elements) {
      fail(`parameter ${p.name} has ${p.data.length} values for shape [${p.shape}]`);
    }
    if (tensors.has(p.name)) fail(`parameter ${p.name} is listed twice`);
    tensors.set(p.name, { shape: [...p.shape], data: p.data, dtype: 'float32' });
  }
  const mapped = mapStateDict({ tensors, meta: { ...meta } });
  const given = { attentionFunction: 'dotProduct', ...model.config };
  const differing = (Object.keys(mapped.config) as (keyof ModelConfig)[]).filter(
    (k) => mapped.config[k] !== given[k],
  );
  if (differing.length) {
    fail(
      `the parameters do not match the config (${differing.map((k) => `${k}: ${given[k]} given, ${mapped.config[k]} in the shapes`).join('; ')})`,
    );
  }
  return { params: mapped.params, meta };
}
