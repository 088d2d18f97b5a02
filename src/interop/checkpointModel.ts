/**
 * Between the two model formats: a model read from PyTorch's files (ImportedModel) as a
 * checkpoint of this extension (so the run history, the worker's translator and the attention
 * panel use it like a trained run), and a checkpoint as a model the exporters write. No tfjs:
 * the extension host runs both directions.
 */
import * as path from 'node:path';
import type { CheckpointContents } from '../checkpoint/commit';
import type { CheckpointMetrics, WeightEntry } from '../checkpoint/manifest';
import { modelConfigOf } from '../config/modelConfig';
import { CheckpointFiles, readCheckpointFiles } from '../checkpoint/readCheckpoint';
import {
  DEFAULT_HYPERPARAMETERS,
  Hyperparameters,
  validateHyperparameters,
} from '../config/hyperparameters';
import { exists } from '../util/durableFs';
import { fail } from './errors';
import { writeModelFiles } from './files';
import { sidecarPathFor } from './modelMeta';
import { ExportableModel } from './models';
import { ImportedModel } from './stateDict';

/**
 * The hyperparameters an imported model stands for: its architecture and num_steps from the
 * file, the training keys (batch size, learning rate, epochs, examples, seed) at their defaults
 * (the file does not say how it was trained). The training LIMITS apply to imported models too
 * (12 layers, 1024 hidden, 64 heads, FFN 8192, 1000 steps): the checkpoint format validates
 * them on every load, and they bound what one translation may cost the worker. A model beyond
 * them is refused with the limit named.
 */
export function importedHyperparameters(model: ImportedModel): Hyperparameters {
  const c = model.config;
  const checked = validateHyperparameters({
    ...DEFAULT_HYPERPARAMETERS,
    numHiddens: c.numHiddens,
    numLayers: c.numLayers,
    numHeads: c.numHeads,
    ffnNumHiddens: c.ffnNumHiddens,
    dropout: c.dropout,
    numSteps: model.numSteps,
    attentionFunction: c.attentionFunction ?? 'dotProduct',
  });
  if (!checked.ok) {
    fail(`the model is larger than this extension runs: ${checked.errors.join('; ')}`);
  }
  return checked.value;
}

/** `model` as checkpoint contents and float32 bytes (commitCheckpoint writes them). */
export function checkpointOfImported(
  model: ImportedModel,
  metrics?: { importedFrom: string },
): { contents: CheckpointContents; bytes: Uint8Array } {
  const hyperparameters = importedHyperparameters(model);
  const weights: WeightEntry[] = [];
  let total = 0;
  for (const p of model.params) {
    weights.push({ name: p.name, shape: [...p.shape], offset: total });
    total += p.data.length;
  }
  const floats = new Float32Array(total);
  for (const [i, p] of model.params.entries()) floats.set(p.data, weights[i].offset);
  const contents = {
    hyperparameters,
    srcVocab: [...model.srcVocab],
    tgtVocab: [...model.tgtVocab],
    weights,
    metrics,
  };
  return { contents, bytes: new Uint8Array(floats.buffer) };
}

/**
 * The model file a checkpoint was opened from (Open Model… writes `metrics.importedFrom`), or
 * undefined for a model trained here.
 */
export function importedFrom(metrics: CheckpointMetrics | undefined): string | undefined {
  const from = (metrics as Readonly<Record<string, unknown>> | undefined)?.importedFrom;
  return typeof from === 'string' ? from : undefined;
}

/** A checkpoint read whole (readCheckpointFiles) as what the exporters take. */
export function exportableOfCheckpoint({ manifest, floats }: CheckpointFiles): ExportableModel {
  const h = manifest.hyperparameters;
  return {
    config: modelConfigOf(h, manifest.srcVocab.length, manifest.tgtVocab.length),
    numSteps: h.numSteps,
    srcVocab: manifest.srcVocab,
    tgtVocab: manifest.tgtVocab,
    params: manifest.weights.map((w) => ({
      name: w.name,
      shape: w.shape,
      data: floats.subarray(w.offset, w.offset + w.shape.reduce((a, b) => a * b, 1)),
    })),
  };
}

/** The files Export Model for PyTorch writes into a folder. */
export function exportTargets(folder: string, baseName = 'model'): ExportTargets {
  const pt = path.join(folder, `${baseName}.pt`);
  const safetensors = path.join(folder, `${baseName}.safetensors`);
  return { pt, safetensors, sidecar: sidecarPathFor(safetensors) };
}

export interface ExportTargets {
  pt: string;
  safetensors: string;
  sidecar: string;
}

/** Which of `targets` exist already (an export replaces them only when asked to). */
export async function existingTargets(targets: ExportTargets): Promise<string[]> {
  const all = [targets.pt, targets.safetensors, targets.sidecar];
  const found = await Promise.all(all.map((file) => exists(file)));
  return all.filter((_, i) => found[i]);
}

/**
 * Writes the checkpoint in `checkpointDir` as `targets` (.pt, .safetensors and its sidecar).
 * Unless `replace`, refused with nothing written when any of them exists. The checkpoint is
 * read and checked whole first, and each file is written to a temporary name and renamed, so a
 * failure never leaves half a file (src/interop/files.ts).
 */
export async function exportCheckpoint(
  checkpointDir: string,
  targets: ExportTargets,
  options: { replace?: boolean } = {},
): Promise<string[]> {
  const model = exportableOfCheckpoint(await readCheckpointFiles(checkpointDir));
  if (!options.replace) {
    const existing = await existingTargets(targets);
    if (existing.length) {
      fail(
        `not exported: ${existing.map((f) => path.basename(f)).join(', ')} already ` +
          `exist${existing.length === 1 ? 's' : ''} in ${path.dirname(targets.pt)}; nothing was written`,
      );
    }
  }
  return writeModelFiles(model, { pt: targets.pt, safetensors: targets.safetensors });
}
