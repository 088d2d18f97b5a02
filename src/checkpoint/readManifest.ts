/**
 * Reading checkpoint.json: every field is checked before anything trusts it, and each problem is
 * a CheckpointError that names the field (never a TypeError from deep inside the loader).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { validateHyperparameters } from '../config/hyperparameters';
import {
  CHECKPOINT_FORMAT,
  CheckpointError,
  CheckpointManifest,
  MANIFEST_FILE,
  SUPPORTED_VERSIONS,
  WeightEntry,
  modelSha256,
  weightsFileName,
} from './manifest';

/** The most dimensions a parameter has (the model's are 1-D and 2-D). */
const MAX_RANK = 4;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Reads checkpoint.json alone and checks all of it (cheap: for status and staleness checks). */
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
  return checkManifest(json, dir);
}

/** `json` as a manifest, or the first thing wrong with it. */
export function checkManifest(json: unknown, dir: string): CheckpointManifest {
  const fail = (message: string) => new CheckpointError(`${MANIFEST_FILE}: ${message}`, dir);
  const m = json as Partial<CheckpointManifest>;
  if (typeof m !== 'object' || m === null || m.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(`${MANIFEST_FILE} is not a checkpoint of this extension`, dir);
  }
  if (!SUPPORTED_VERSIONS.includes(m.version as number)) {
    throw new CheckpointError(
      `format version ${m.version} is not supported (expected ${SUPPORTED_VERSIONS.join(' or ')})`,
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
  if (typeof m.createdAt !== 'string') throw fail('createdAt must be a date string');
  if (m.metrics !== undefined && (typeof m.metrics !== 'object' || m.metrics === null)) {
    throw fail('metrics must be an object');
  }
  const problem = weightTableProblem(m.weights);
  if (problem) throw fail(problem);
  if (!SHA256_HEX.test(m.weightsSha256)) throw fail('weightsSha256 is not a SHA-256 hex digest');
  if (m.version !== 1) checkVersion2(m as CheckpointManifest, fail);
  return { ...(m as CheckpointManifest), hyperparameters: h.value };
}

/** Version 2: the weights file named after its hash, and the model fields under their hash. */
function checkVersion2(m: CheckpointManifest, fail: (message: string) => Error): void {
  const expected = weightsFileName(m.weightsSha256);
  if (m.weightsFile !== expected) {
    throw fail(`weightsFile must be ${expected} (got ${JSON.stringify(m.weightsFile)})`);
  }
  if (typeof m.modelSha256 !== 'string' || !SHA256_HEX.test(m.modelSha256)) {
    throw fail('modelSha256 is missing');
  }
  if (modelSha256(m) !== m.modelSha256) {
    throw fail(
      'the model fields (hyperparameters, vocabularies, weight table) were changed after the ' +
        'checkpoint was saved: they do not match modelSha256',
    );
  }
}

/**
 * What is wrong with the weight table, or null: every entry needs a unique name, a shape of
 * positive whole numbers and the offset where the entry before it ends (the writer stores them
 * back to back, so anything else is damage or an edit).
 */
function weightTableProblem(weights: unknown[]): string | null {
  if (weights.length === 0) return 'the weight table is empty';
  const names = new Set<string>();
  let end = 0;
  for (const [i, raw] of weights.entries()) {
    const w = raw as Partial<WeightEntry> | null;
    if (typeof w !== 'object' || w === null) return `weight entry ${i} is not an object`;
    if (typeof w.name !== 'string' || w.name === '') return `weight entry ${i} has no name`;
    const what = `weight entry ${i} (${w.name})`;
    if (names.has(w.name)) return `${what} appears twice`;
    names.add(w.name);
    const { shape, offset } = w;
    if (!Array.isArray(shape)) return `${what} has no shape`;
    if (shape.length === 0 || shape.length > MAX_RANK) {
      return `${what} has ${shape.length} dimensions (expected 1 to ${MAX_RANK})`;
    }
    if (!shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
      return `${what} has shape ${JSON.stringify(shape)}: dimensions must be whole numbers > 0`;
    }
    if (!Number.isSafeInteger(offset)) return `${what} has no whole-number offset`;
    if (offset !== end) {
      return `${what} starts at offset ${offset}, expected ${end} (entries are stored back to back)`;
    }
    end += shape.reduce((a, b) => a * b, 1);
    if (!Number.isSafeInteger(end * 4)) return `${what} makes the weights impossibly large`;
  }
  return null;
}

/** Number of float32 values the table describes (after checkManifest). */
export function tableFloats(weights: readonly WeightEntry[]): number {
  const last = weights[weights.length - 1];
  return last.offset + last.shape.reduce((a, b) => a * b, 1);
}
