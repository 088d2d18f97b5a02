import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Hyperparameters } from '../config/hyperparameters';
import { swapInDir } from '../util/swapDir';
import { Vocab } from '../data/vocab';
import { ModelConfig } from '../model/config';
import { Transformer } from '../model/transformer';
import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointError,
  CheckpointManifest,
  MANIFEST_FILE,
  WEIGHTS_FILE,
  WeightEntry,
  architectureDifferences,
  readManifest,
  sha256,
} from './manifest';

/**
 * Saving and loading whole models (tfjs). The manifest format, its checks and the errors live in
 * ./manifest.ts, which has no tfjs import so the extension host can read manifests cheaply.
 */
export * from './manifest';

export interface LoadedCheckpoint {
  model: Transformer;
  srcVocab: Vocab;
  tgtVocab: Vocab;
  hyperparameters: Hyperparameters;
  manifest: CheckpointManifest;
}

export function modelConfigOf(
  h: Hyperparameters,
  srcVocabSize: number,
  tgtVocabSize: number,
): ModelConfig {
  return {
    numHiddens: h.numHiddens,
    numLayers: h.numLayers,
    numHeads: h.numHeads,
    ffnNumHiddens: h.ffnNumHiddens,
    dropout: h.dropout,
    srcVocabSize,
    tgtVocabSize,
    attentionFunction: h.attentionFunction,
  };
}

/** Writes into a fresh sibling directory, then swaps it in, so a crash never leaves half a checkpoint. */
export async function saveCheckpoint(
  dir: string,
  model: Transformer,
  srcVocab: Vocab,
  tgtVocab: Vocab,
  hyperparameters: Hyperparameters,
  metrics?: Record<string, unknown>,
): Promise<CheckpointManifest> {
  const entries = model.params.entries();
  const weights: WeightEntry[] = [];
  let total = 0;
  for (const [name, v] of entries) {
    weights.push({ name, shape: v.shape, offset: total });
    total += v.size;
  }
  const data = new Float32Array(total);
  for (const [i, [, v]] of entries.entries()) data.set(await v.data(), weights[i].offset);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    hyperparameters,
    srcVocab: [...srcVocab.idxToToken],
    tgtVocab: [...tgtVocab.idxToToken],
    weights,
    weightsSha256: sha256(bytes),
    metrics,
  };
  const parent = path.dirname(path.resolve(dir));
  await fs.mkdir(parent, { recursive: true });
  const staging = await fs.mkdtemp(path.join(parent, `.${path.basename(dir)}.new-`));
  try {
    await fs.writeFile(path.join(staging, WEIGHTS_FILE), bytes);
    await fs.writeFile(path.join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 1));
  } catch (err) {
    await fs.rm(staging, { recursive: true, force: true });
    throw err;
  }
  await swapInDir(staging, dir);
  return manifest;
}

/**
 * Reads and checks a checkpoint. `expected` (the settings now in force) makes a checkpoint
 * trained with another architecture an error that names the differing settings.
 */
export async function loadCheckpoint(
  dir: string,
  expected?: Partial<Hyperparameters>,
): Promise<LoadedCheckpoint> {
  const manifest = await readManifest(dir);
  if (expected) {
    const diff = architectureDifferences(manifest.hyperparameters, expected);
    if (diff.length) {
      throw new CheckpointError(`was trained with other hyperparameters (${diff.join('; ')})`, dir);
    }
  }
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path.join(dir, WEIGHTS_FILE));
  } catch {
    throw new CheckpointError(`${WEIGHTS_FILE} is missing`, dir);
  }
  const expectedFloats = manifest.weights.reduce(
    (end, w) => Math.max(end, w.offset + w.shape.reduce((a, b) => a * b, 1)),
    0,
  );
  if (bytes.byteLength !== expectedFloats * 4) {
    throw new CheckpointError(
      `${WEIGHTS_FILE} has ${bytes.byteLength} bytes, the manifest needs ${expectedFloats * 4} ` +
        `(the file is ${bytes.byteLength < expectedFloats * 4 ? 'truncated' : 'too long'})`,
      dir,
    );
  }
  if (sha256(bytes) !== manifest.weightsSha256) {
    throw new CheckpointError(`${WEIGHTS_FILE} is corrupt (its SHA-256 does not match)`, dir);
  }
  const floats = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  const srcVocab = wrap(dir, () => Vocab.fromJSON({ idxToToken: manifest.srcVocab }));
  const tgtVocab = wrap(dir, () => Vocab.fromJSON({ idxToToken: manifest.tgtVocab }));
  const h = manifest.hyperparameters;
  const model = new Transformer(modelConfigOf(h, srcVocab.size, tgtVocab.size), h.seed);
  try {
    const values: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const w of manifest.weights) {
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (w.offset + size > floats.length)
        throw new Error(`${w.name} runs past the end of ${WEIGHTS_FILE}`);
      values[w.name] = { shape: w.shape, data: floats.subarray(w.offset, w.offset + size) };
    }
    model.params.load(values);
  } catch (err) {
    model.dispose();
    throw new CheckpointError(`does not fit the model: ${(err as Error).message}`, dir);
  }
  return { model, srcVocab, tgtVocab, hyperparameters: h, manifest };
}

function wrap<T>(dir: string, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw new CheckpointError((err as Error).message, dir);
  }
}
