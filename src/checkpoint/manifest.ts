import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Hyperparameters, validateHyperparameters } from '../config/hyperparameters';

/**
 * A checkpoint is one directory: `checkpoint.json` (format, version, hyperparameters,
 * vocabularies, the weight manifest and its SHA-256) and `weights.bin` (float32, little-endian,
 * parameters back to back in manifest order).
 */
export const CHECKPOINT_FORMAT = 'transformer-attention-explorer/checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'checkpoint.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface WeightEntry {
  name: string;
  shape: number[];
  offset: number; // in float32 elements
}

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  createdAt: string;
  hyperparameters: Hyperparameters;
  srcVocab: string[];
  tgtVocab: string[];
  weights: WeightEntry[];
  weightsSha256: string;
  /** Free-form facts about the run (loss, tokens/s, backend, BLEU). */
  metrics?: Record<string, unknown>;
}

export class CheckpointError extends Error {
  constructor(
    message: string,
    readonly dir: string,
  ) {
    super(`Checkpoint ${dir}: ${message}`);
    this.name = 'CheckpointError';
  }
}

/** Reads checkpoint.json alone (cheap: for status displays and staleness checks). */
export async function readManifest(dir: string): Promise<CheckpointManifest> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new CheckpointError(`no ${MANIFEST_FILE} (no model has been saved here)`, dir);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CheckpointError(`${MANIFEST_FILE} is not valid JSON (the file is damaged)`, dir);
  }
  const m = json as Partial<CheckpointManifest>;
  if (typeof m !== 'object' || m === null || m.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(`${MANIFEST_FILE} is not a checkpoint of this extension`, dir);
  }
  if (m.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      `format version ${m.version} is not supported (expected ${CHECKPOINT_VERSION})`,
      dir,
    );
  }
  const h = validateHyperparameters(m.hyperparameters);
  if (!h.ok) throw new CheckpointError(`invalid hyperparameters: ${h.errors.join('; ')}`, dir);
  if (!Array.isArray(m.weights) || typeof m.weightsSha256 !== 'string') {
    throw new CheckpointError(`${MANIFEST_FILE} has no weight manifest`, dir);
  }
  if (!Array.isArray(m.srcVocab) || !Array.isArray(m.tgtVocab)) {
    throw new CheckpointError(`${MANIFEST_FILE} has no vocabularies`, dir);
  }
  return { ...(m as CheckpointManifest), hyperparameters: h.value };
}

/** Settings that change the architecture or the data the model was built for. */
export const ARCHITECTURE_KEYS: readonly (keyof Hyperparameters)[] = [
  'numHiddens',
  'numLayers',
  'numHeads',
  'ffnNumHiddens',
  'numSteps',
  'numExamples',
  'attentionFunction',
];

export function architectureDifferences(
  saved: Hyperparameters,
  expected: Partial<Hyperparameters>,
): string[] {
  return ARCHITECTURE_KEYS.filter((k) => expected[k] !== undefined && expected[k] !== saved[k]).map(
    (k) => `${k}: checkpoint ${saved[k]}, expected ${expected[k]}`,
  );
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
