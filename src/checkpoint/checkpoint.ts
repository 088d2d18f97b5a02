import { Hyperparameters } from '../config/hyperparameters';
import { Vocab } from '../data/vocab';
import { modelConfigOf } from '../config/modelConfig';
import { Transformer } from '../model/transformer';
import type { RunMetrics } from '../shared/runRecord';
import { CheckpointContents, SaveOptions, commitCheckpoint } from './commit';
import {
  CheckpointError,
  CheckpointManifest,
  ModelFields,
  WeightEntry,
  architectureDifferences,
} from './manifest';
import { nonFiniteParameter, readCheckpointFiles } from './readCheckpoint';

/**
 * Saving and loading whole models (tfjs). The format is ./manifest.ts, its checks
 * ./readManifest.ts, the write-safety rule ./saveTarget.ts and the crash-safe write ./commit.ts:
 * none of those imports tfjs, so the extension host can use them cheaply.
 */
export * from './manifest';
export { readManifest } from './readManifest';
export { checkSaveTarget } from './saveTarget';
export { copyCheckpoint } from './commit';
export type { SaveOptions } from './commit';

export interface LoadedCheckpoint {
  model: Transformer;
  srcVocab: Vocab;
  tgtVocab: Vocab;
  hyperparameters: Hyperparameters;
  manifest: CheckpointManifest;
}

/**
 * Saves the model into `dir` crash-safely (./commit.ts). Refused, with nothing written, when
 * `dir` is not a folder a checkpoint may go into (./saveTarget.ts) or when a weight is NaN or
 * Infinity (a diverged run must not replace a model that works).
 */
export async function saveCheckpoint(
  dir: string,
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  hyperparameters: Hyperparameters,
  metrics?: RunMetrics,
  options?: SaveOptions,
): Promise<CheckpointManifest> {
  const { contents, bytes } = await modelContents(model, srcVocab, tgtVocab, hyperparameters);
  const bad = nonFiniteParameter(new Float32Array(bytes.buffer), contents.weights);
  if (bad) {
    throw new CheckpointError(
      `not saved: the model's ${bad} holds NaN or Infinity (training diverged); ` +
        'the folder was left as it was',
      dir,
    );
  }
  return commitCheckpoint(dir, { ...contents, metrics }, bytes, options);
}

/** The model as the checkpoint format stores it: the weight table and float32 bytes. */
export async function modelContents(
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  hyperparameters: Hyperparameters,
): Promise<{ contents: CheckpointContents; bytes: Uint8Array }> {
  const entries = model.params.entries();
  const weights: WeightEntry[] = [];
  let total = 0;
  for (const [name, v] of entries) {
    weights.push({ name, shape: v.shape, offset: total });
    total += v.size;
  }
  const data = new Float32Array(total);
  for (const [i, [, v]] of entries.entries()) data.set(await v.data(), weights[i].offset);
  const contents = {
    hyperparameters,
    srcVocab: [...srcVocab.idxToToken],
    tgtVocab: [...tgtVocab.idxToToken],
    weights,
  };
  return { contents, bytes: new Uint8Array(data.buffer) };
}

/**
 * Reads and checks a checkpoint. `expected` (the settings now in force) makes a checkpoint
 * trained with another architecture an error that names the differing settings.
 */
export async function loadCheckpoint(
  dir: string,
  expected?: Partial<Hyperparameters>,
): Promise<LoadedCheckpoint> {
  const { manifest, floats } = await readCheckpointFiles(dir);
  if (expected) {
    const diff = architectureDifferences(manifest.hyperparameters, expected);
    if (diff.length) {
      throw new CheckpointError(`was trained with other hyperparameters (${diff.join('; ')})`, dir);
    }
  }
  return { ...modelOf(manifest, floats, dir), manifest };
}

/**
 * A Transformer holding `floats` laid out as `fields.weights` says, with its vocabularies (a
 * checkpoint's, or a model file's converted by src/interop/checkpointModel.ts). Errors are
 * CheckpointErrors naming `where`.
 */
export function modelOf(
  fields: Pick<ModelFields, 'hyperparameters' | 'srcVocab' | 'tgtVocab' | 'weights'>,
  floats: Float32Array,
  where: string,
): Omit<LoadedCheckpoint, 'manifest'> {
  const srcVocab = wrap(where, () => Vocab.fromJSON({ idxToToken: fields.srcVocab }));
  const tgtVocab = wrap(where, () => Vocab.fromJSON({ idxToToken: fields.tgtVocab }));
  const h = fields.hyperparameters;
  const model = new Transformer(modelConfigOf(h, srcVocab.size, tgtVocab.size), h.seed);
  try {
    const values: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const w of fields.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1); // in bounds: checked by the reader
      values[w.name] = { shape: w.shape, data: floats.subarray(w.offset, w.offset + size) };
    }
    model.params.load(values);
  } catch (err) {
    model.dispose();
    throw new CheckpointError(`does not fit the model: ${(err as Error).message}`, where);
  }
  return { model, srcVocab, tgtVocab, hyperparameters: h };
}

function wrap<T>(dir: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new CheckpointError((err as Error).message, dir);
  }
}
