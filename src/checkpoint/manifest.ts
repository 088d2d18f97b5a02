import { createHash } from 'node:crypto';
import { Hyperparameters } from '../config/hyperparameters';
import type { RunMetrics } from '../shared/runRecord';

/**
 * A checkpoint is one folder: `checkpoint.json` (format, version, hyperparameters, vocabularies,
 * the weight table, hashes) and one weights file (float32, little-endian, parameters back to back
 * in table order).
 *
 * Version 2 names the weights file after its content (`weights-<16 hex of its SHA-256>.bin`) and
 * checkpoint.json points to it, so a save never rewrites a file the current checkpoint.json
 * points to: the manifest rename is the single moment the checkpoint changes (./commit.ts).
 * `modelSha256` covers every field that decides the model's output, so an edited manifest is an
 * error rather than a different model. Version 1 (fixed `weights.bin`, no model hash) still loads.
 */
export const CHECKPOINT_FORMAT = 'transformer-attention-explorer/checkpoint';
export const CHECKPOINT_VERSION = 2;
export const SUPPORTED_VERSIONS: readonly number[] = [1, CHECKPOINT_VERSION];
export const MANIFEST_FILE = 'checkpoint.json';
/** The weights file of a version 1 checkpoint. */
export const LEGACY_WEIGHTS_FILE = 'weights.bin';
/** Version 2 weights files: `weights-` and the first 16 hex digits of the file's SHA-256. */
export const WEIGHTS_FILE_PATTERN = /^weights-[0-9a-f]{16}\.bin$/;

export interface WeightEntry {
  name: string;
  shape: number[];
  offset: number; // in float32 elements
}

/** What decides the model's output: covered by `modelSha256`. */
export interface ModelFields {
  hyperparameters: Hyperparameters;
  srcVocab: string[];
  tgtVocab: string[];
  weights: WeightEntry[];
  /** Version 2: the weights file in this folder. Version 1: absent (`weights.bin`). */
  weightsFile?: string;
  weightsSha256: string;
}

export interface CheckpointManifest extends ModelFields {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  createdAt: string;
  /** Version 2: SHA-256 of the canonical JSON of the format, version and model fields. */
  modelSha256?: string;
  /** What the run measured (for display: not covered by the hash). */
  metrics?: CheckpointMetrics;
}

/**
 * checkpoint.json's metrics: a RunMetrics in what saveCheckpoint writes. Checkpoints saved before
 * it was typed hold what their writer chose (the CLI's `seedBleu` instead of `seeds` and no
 * `heldOut`; a fixture's `note`): they load and show as they are, so a reader checks a field
 * before it trusts it.
 */
export type CheckpointMetrics = RunMetrics | Readonly<Record<string, unknown>>;

export class CheckpointError extends Error {
  constructor(
    message: string,
    readonly dir: string,
  ) {
    super(`Checkpoint ${dir}: ${message}`);
    this.name = 'CheckpointError';
  }
}

/** The name of the weights file `manifest` points to. */
export function weightsFileOf(manifest: Pick<ModelFields, 'weightsFile'>): string {
  return manifest.weightsFile ?? LEGACY_WEIGHTS_FILE;
}

/** The version 2 name of a weights file whose SHA-256 is `sha`. */
export function weightsFileName(sha: string): string {
  return `weights-${sha.slice(0, 16)}.bin`;
}

/**
 * The hash that makes an edited manifest an error. Not a signature (anyone can recompute it):
 * it catches hand edits and damage, which the weights' own hash cannot see. Metrics and
 * createdAt are left out: they are facts for display, not inputs of the model.
 */
export function modelSha256(m: ModelFields & Pick<CheckpointManifest, 'format' | 'version'>) {
  const { format, version, hyperparameters, srcVocab, tgtVocab, weights } = m;
  const { weightsFile, weightsSha256 } = m;
  const fields = { format, version, hyperparameters, srcVocab, tgtVocab, weights };
  return sha256(Buffer.from(canonicalJson({ ...fields, weightsFile, weightsSha256 }), 'utf8'));
}

/** JSON with object keys sorted, so key order in the file does not change the hash. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
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
