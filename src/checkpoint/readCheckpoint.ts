/** Reading a checkpoint's files whole and checked (no tfjs: the run history copies with it). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  CheckpointError,
  CheckpointManifest,
  WeightEntry,
  sha256,
  weightsFileOf,
} from './manifest';
import { readManifest, tableFloats } from './readManifest';

export interface CheckpointFiles {
  manifest: CheckpointManifest;
  /** The weights file's bytes (float32, little-endian). */
  bytes: Uint8Array;
  /** The same values as floats (their own copy, aligned). */
  floats: Float32Array;
}

/**
 * A save that replaces the checkpoint between our reading checkpoint.json and its weights file
 * removes the old weights: reading the (new) manifest again then finds the new ones.
 */
const READ_ATTEMPTS = 3;

/** The manifest and the weights it points to, every check passed. */
export async function readCheckpointFiles(dir: string): Promise<CheckpointFiles> {
  for (let attempt = 1; ; attempt++) {
    const manifest = await readManifest(dir);
    const file = weightsFileOf(manifest);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(path.join(dir, file));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && attempt < READ_ATTEMPTS) continue;
      throw new CheckpointError(`${file} is missing`, dir);
    }
    const floats = checkWeights(dir, manifest, file, bytes);
    return { manifest, bytes, floats };
  }
}

function checkWeights(
  dir: string,
  manifest: CheckpointManifest,
  file: string,
  bytes: Buffer,
): Float32Array {
  const needed = tableFloats(manifest.weights) * 4;
  if (bytes.byteLength !== needed) {
    throw new CheckpointError(
      `${file} has ${bytes.byteLength} bytes, the manifest needs ${needed} ` +
        `(the file is ${bytes.byteLength < needed ? 'truncated' : 'too long'})`,
      dir,
    );
  }
  if (sha256(bytes) !== manifest.weightsSha256) {
    throw new CheckpointError(`${file} is corrupt (its SHA-256 does not match)`, dir);
  }
  const floats = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
  const bad = nonFiniteParameter(floats, manifest.weights);
  if (bad) {
    throw new CheckpointError(
      `${file} holds NaN or Infinity in ${bad}: the model cannot translate with it`,
      dir,
    );
  }
  return floats;
}

/** The first parameter holding NaN or ±Infinity, or null. */
export function nonFiniteParameter(
  floats: Float32Array,
  weights: readonly WeightEntry[],
): string | null {
  for (const w of weights) {
    const end = w.offset + w.shape.reduce((a, b) => a * b, 1);
    for (let i = w.offset; i < end; i++) if (!Number.isFinite(floats[i])) return w.name;
  }
  return null;
}
