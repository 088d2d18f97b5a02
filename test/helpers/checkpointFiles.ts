/** Reading, editing and asserting on checkpoint folders in tests. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CheckpointError,
  CheckpointManifest,
  MANIFEST_FILE,
  SaveOptions,
  modelSha256,
  saveCheckpoint,
  weightsFileOf,
} from '../../src/checkpoint/checkpoint';
import { Hyperparameters } from '../../src/config/hyperparameters';
import { modelConfigOf } from '../../src/config/modelConfig';
import { Transformer } from '../../src/model/transformer';
import { SRC_WORDS, TGT_WORDS, vocabOf } from './tinyModel';

/** The vocabularies of the checkpoint tests' tiny models. */
export const srcVocab = vocabOf(SRC_WORDS);
export const tgtVocab = vocabOf(TGT_WORDS);

/** A tiny model with the architecture of `h` and weights from `seed` (not h.seed). */
export function tinyModel(h: Hyperparameters, seed: number): Transformer {
  return new Transformer(modelConfigOf(h, srcVocab.size, tgtVocab.size), seed);
}

/** Saves a model made by tinyModel (with its vocabularies). */
export function saveTiny(
  dir: string,
  model: Transformer,
  h: Hyperparameters,
  options?: SaveOptions,
): Promise<CheckpointManifest> {
  return saveCheckpoint(dir, model, srcVocab, tgtVocab, h, undefined, options);
}

/**
 * A version 1 checkpoint as users have them: written by saveCheckpoint of main at 0436721 (the
 * last version 1 writer) for a 1-layer tiny model (test/helpers/tinyModel.ts vocabularies,
 * weights from seed 7); metrics.translation holds what that code translated with it.
 */
export const V1_FIXTURE = path.join(__dirname, '..', 'fixtures', 'checkpoint-v1');

/** Expects `promise` to reject with a CheckpointError about `dir` whose message matches `pattern`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  dir: string,
  pattern: RegExp,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof CheckpointError, `not a CheckpointError: ${String(err)}`);
    assert.equal(err.name, 'CheckpointError');
    assert.equal(err.dir, dir);
    assert.ok(err.message.startsWith(`Checkpoint ${dir}: `), err.message);
    assert.match(err.message, pattern);
    return true;
  });
}

export function readJson(dir: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8'));
}

export function writeJson(dir: string, json: unknown): void {
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(json));
}

/**
 * `json` with its modelSha256 recomputed: a manifest edited by someone who also fixed the hash
 * (it is a checksum, not a signature), so the check under test is the one that must catch it.
 */
export function rehashed(json: Record<string, unknown>): Record<string, unknown> {
  return { ...json, modelSha256: modelSha256(json as unknown as CheckpointManifest) };
}

/** The weights file checkpoint.json in `dir` points to. */
export function weightsPath(dir: string): string {
  return path.join(dir, weightsFileOf(readJson(dir) as { weightsFile?: string }));
}

/** Names in `dir`, sorted. */
export function namesIn(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
